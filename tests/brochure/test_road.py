"""Road figures of a brochure car (nevcalc.brochure.road) and the range answers built on them."""

from __future__ import annotations

import json

import pytest

from nevcalc.brochure.road import Brochure, complete, consumption_factors, relations
from nevcalc.scenario.road import brochure_road_vehicle, drive_range, load_road_vehicle

KWH = 3.6e6


def test_only_what_is_missing_is_estimated():
    given = Brochure(battery=77 * KWH, curb_mass=1950.0, drag_coefficient=0.25, frontal_area=2.4,
                     motor_power=200e3)  # fmt: skip
    values, est = complete(given)
    assert est == ()
    assert values["curb_mass"] == 1950.0 and values["drag_coefficient"] == 0.25
    _, est = complete(Brochure(battery=77 * KWH, drag_coefficient=0.25))
    assert [e.field for e in est] == ["curb_mass", "frontal_area", "motor_power"]


def test_frontal_area_from_width_and_height_is_the_fill_of_the_rectangle():
    values, est = complete(Brochure(battery=77 * KWH, width=1.89, height=1.6))
    fill = relations()["frontal_area"]["fill"]["value"]
    assert values["frontal_area"] == pytest.approx(fill * 1.89 * 1.6)
    assert 0.7 < fill < 0.95
    area = next(e for e in est if e.field == "frontal_area")
    assert area.low < area.value < area.high and "width x height" in area.basis


def test_mass_grows_with_pack_energy_and_with_a_heavier_chemistry():
    m = [complete(Brochure(battery=k * KWH))[0]["curb_mass"] for k in (50, 80, 110)]
    assert m[0] < m[1] < m[2]
    nmc = complete(Brochure(battery=75 * KWH), None, 250 * 3600.0)[0]["curb_mass"]
    lfp = complete(Brochure(battery=75 * KWH), None, 160 * 3600.0)[0]["curb_mass"]
    # the same glider; the LFP pack is heavier by 75 kWh / (160 Wh/kg) - 75 / 250
    assert lfp - nmc == pytest.approx(75e3 / 160 - 75e3 / 250)


def test_a_gross_figure_is_turned_into_usable_energy():
    values, est = complete(Brochure(battery=82 * KWH, battery_basis="gross"))
    assert values["battery_usable_energy"] < 82 * KWH
    assert est[0].field == "battery_usable_energy"


def test_all_wheel_drive_costs_range():
    f_rwd, _ = consumption_factors(Brochure(battery=77 * KWH, drive="rwd"))
    f_awd, text = consumption_factors(Brochure(battery=77 * KWH, drive="awd"))
    assert f_awd["wltp"] > f_rwd["wltp"] and "all-wheel drive" in text
    rwd = drive_range(brochure_road_vehicle(Brochure(battery=77 * KWH, drive="rwd")), "wltp")
    awd = drive_range(brochure_road_vehicle(Brochure(battery=77 * KWH, drive="awd")), "wltp")
    assert awd.range < rwd.range


def test_a_spec_without_road_figures_is_completed_not_refused():
    v = load_road_vehicle("zeekr-7x-lfp")  # no Cd, no frontal area in its spec
    fields = [e.field for e in v.estimates]
    assert "drag_coefficient" in fields and "frontal_area" in fields
    assert any(a.startswith("drag_coefficient estimated") for a in v.assumptions)
    r = drive_range(v)
    assert r.interval is not None and r.interval.low < r.range < r.interval.high


def test_cli_brochure_range_json_carries_interval_and_estimates(run_cli):
    code, out, err = run_cli("range", "--battery", "77kWh", "--body", "suv", "--market", "eu",
                             "--year", "2024", "--json")  # fmt: skip
    assert code == 0, err
    doc = json.loads(out)
    i = doc["interval"]
    assert i["low"] < doc["range"]["value"] < i["high"] and i["level"] == 0.8
    assert i["unit"] == doc["range"]["unit"] == "km"
    assert {e["field"] for e in doc["estimates"]} >= {"curb_mass", "drag_coefficient"}
    assert "WLTP" in doc["cycle"]
    code, out, err = run_cli("range", "--battery", "77kWh", "--market", "cn")
    assert code == 0 and "CLTC" in out and "80%:" in out, err


def test_cli_a_car_with_every_figure_gets_no_interval(run_cli):
    figures = ("--mass", "1950kg", "--cd", "0.25", "--frontal-area", "2.4m^2", "--motor-power",
               "200kW")  # fmt: skip
    code, out, err = run_cli("range", "--battery", "77kWh", *figures, "--json")
    assert code == 0, err
    doc = json.loads(out)
    assert "interval" not in doc and "estimates" not in doc
