"""Charging at an ambient temperature: the properties every answer must keep."""

from __future__ import annotations

import numpy as np
import pytest

from nevcalc.errors import InputError
from nevcalc.model import charging
from nevcalc.model.thermal import c_rate_factor
from nevcalc.scenario.charge import _pair_arrays, charge, load_charger, load_vehicle
from nevcalc.scenario.thermal import (
    DEFAULTS,
    TEMPERATURE_NODES,
    arrival_state,
    pack_thermal,
    parse_precondition,
)

C = 273.15
CARS = ["hyundai-ioniq-5-77", "tesla-model-3-lr-2019", "byd-han-l", "nissan-leaf-e-plus"]


@pytest.fixture(scope="module")
def cars():
    return [load_vehicle(n) for n in CARS]


@pytest.fixture(scope="module")
def dc():
    return load_charger("ionity-350")


def _minutes(v, c, ambient, precondition="none", a=0.1, b=0.8):
    return charge(v, c, a, b, ambient=ambient, precondition=precondition).duration / 60


def test_no_ambient_is_todays_answer_and_an_isothermal_pack_gives_it_exactly(cars, dc):
    """Without --ambient nothing changes; a thermal march whose pack stays at the tables'
    25 degC (no Arrhenius, factor 1) gives the same profile, bit for bit."""
    for v in cars:
        arrays = _pair_arrays([v], [dc], [0], [0])
        arrays["soc_start"] = np.array([0.1])
        base = charging.charge_profile(**arrays)
        hw = v.thermal
        th = pack_thermal(hw, 298.15, 298.15)._replace(
            resistance_factor=np.ones(TEMPERATURE_NODES.size),
            c_rate_factor=np.ones(TEMPERATURE_NODES.size),
        )
        warm = charging.charge_profile(**arrays, thermal=th)
        for f in ("time", "current", "power", "limit", "energy_battery"):
            np.testing.assert_array_equal(getattr(base, f), getattr(warm, f), err_msg=f)


def test_colder_never_charges_faster_and_warmer_within_the_window_never_slower(cars, dc):
    ambients = C + np.array([-30.0, -20.0, -10.0, -5.0, 0.0, 10.0, 20.0, 25.0, 30.0, 35.0])
    for v in cars:
        t = [_minutes(v, dc, a) for a in ambients]
        assert all(np.diff(t) <= 1e-9), (v.name, np.round(t, 2))


def test_preconditioning_never_lengthens_the_time_at_the_charger(cars, dc):
    for v in cars:
        for amb in C + np.array([-25.0, -10.0, 0.0, 10.0, 40.0]):
            none = _minutes(v, dc, amb)
            for pre in ("on-arrival", 600.0, 1800.0):
                assert _minutes(v, dc, amb, pre) <= none + 1e-9, (v.name, amb - C, pre)


def test_a_cold_charge_names_the_cold_cell_and_warms_the_pack(cars, dc):
    ans = charge(cars[0], dc, 0.1, 0.8, ambient=C - 10.0)
    assert ans.segments[0][2] == "cold cell"
    assert ans.temperature[0] == pytest.approx(C - 10.0)
    assert ans.temperature[-1] > ans.temperature[0] + 10.0  # its losses and the heater
    assert ans.thermal_energy > 0
    assert ans.energy_from_grid > charge(cars[0], dc, 0.1, 0.8).energy_from_grid


def test_plating_factor_is_the_anode_arrhenius_below_the_full_rate_temperature():
    ea, full, hot = 35000.0, 298.15, 318.15
    t = np.array([243.15, 263.15, 298.15, 318.15, 323.15, 328.15, 340.0])
    f = c_rate_factor(t, ea, full, hot)
    by_hand = np.exp(-ea / 8.314462618 * (1 / t[:2] - 1 / full))
    np.testing.assert_allclose(f[:2], by_hand, rtol=1e-12)
    np.testing.assert_array_equal(f[2:], [1.0, 1.0, 0.5, 0.0, 0.0])


def test_a_pack_that_cannot_take_current_and_has_no_heater_is_refused_clearly(cars, dc):
    v = cars[0]
    hw = v.thermal
    cold = np.where(TEMPERATURE_NODES < C - 20.0, 0.0, 1.0)
    from dataclasses import replace

    for heater, finite in ((0.0, False), (5000.0, True)):
        v2 = replace(v, thermal=replace(hw, c_rate_factor=cold, heating_power=heater))
        ans = charge(v2, dc, 0.1, 0.8, ambient=C - 30.0)
        assert ans.feasible is finite
        if finite:
            assert ans.warmup_time > 0 and np.isfinite(ans.duration)
            assert ans.duration > charge(v2, dc, 0.1, 0.8, ambient=C - 15.0).duration
        else:
            assert "too cold" in ans.reason and not np.isnan(ans.charging_time)


def test_preconditioning_reaches_its_target_or_says_it_does_not(cars):
    """On arrival the navigation heats for the lead time (30 min by default): from 15 degC
    the default 3 kW heater brings the pack to its target, from -25 degC it does not, and
    says so."""
    from dataclasses import replace

    hw = cars[0].thermal
    target = DEFAULTS["precondition_target"][0]
    assert hw.precondition_lead_time == DEFAULTS["precondition_lead_time"][0] == 1800.0
    assert hw.heating_power == DEFAULTS["battery_heater_power"][0] == 3000.0
    near = arrival_state(hw, C + 15.0, "on-arrival")
    assert near.temperature == pytest.approx(target)
    assert 0 < near.time < hw.precondition_lead_time and near.energy > 0
    far = arrival_state(hw, C - 25.0, "on-arrival")
    assert far.time == hw.precondition_lead_time and "not reached" in far.text
    # by hand: at most the heater's heat over the lead time into the pack's heat capacity
    rise = hw.heating_power * hw.precondition_lead_time / hw.heat_capacity
    assert C - 25.0 + 0.9 * rise < far.temperature <= C - 25.0 + rise < target
    # a longer lead time (a spec's precondition_lead_time) gets there
    long = arrival_state(replace(hw, precondition_lead_time=4 * 3600.0), C - 25.0, "on-arrival")
    assert long.temperature == pytest.approx(target) and far.time < long.time < 4 * 3600.0
    short = arrival_state(hw, C - 10.0, 300.0)
    assert C - 10.0 < short.temperature < target and short.time == 300.0
    assert arrival_state(hw, C + 30.0, "on-arrival").time == 0.0  # inside the window
    # preconditioning never lengthens the time at the charger, however far it gets
    car, dc = cars[0], load_charger("ionity-350")
    for amb in (C - 25.0, C - 10.0, C - 1.0):
        assert _minutes(car, dc, amb, "on-arrival") <= _minutes(car, dc, amb) + 1e-9


@pytest.mark.parametrize("text", ["x", "-5min", "2days", "", "25 h"])
def test_bad_preconditioning_is_refused(text):
    with pytest.raises(ValueError, match="--precondition"):
        parse_precondition(text)


def test_thermal_answers_are_physical(cars, dc):
    for v in cars:
        for amb in C + np.array([-40.0, -20.0, 0.0, 45.0, 50.0]):
            ans = charge(v, dc, 0.0, 1.0, ambient=amb, precondition="on-arrival")
            assert np.all(np.isfinite(ans.temperature))
            assert ans.thermal_energy >= 0 and ans.energy_from_grid >= ans.energy_to_battery
            assert ans.duration > 0


def test_a_vehicle_without_thermal_figures_is_a_clear_error(cars, dc):
    from dataclasses import replace

    with pytest.raises(InputError, match="thermal"):
        charge(replace(cars[0], thermal=None), dc, 0.1, 0.8, ambient=263.15)


def test_the_evaluator_gives_the_single_answer_exactly_at_any_ambient(cars, dc):
    """One path: charge_stage (compare, sweeps) and charge (the single answer) agree bit
    for bit, for several cars, ambients and preconditionings in one call."""
    from nevcalc.evaluate import charge_stage
    from nevcalc.scenario.thermal import precondition_code

    ambients = C + np.array([-20.0, -5.0, 10.0, 40.0])
    modes = ["none", "on-arrival", 900.0]
    vi, amb, pre = np.meshgrid(np.arange(len(cars)), ambients,
                               [precondition_code(m) for m in modes], indexing="ij")  # fmt: skip
    got = charge_stage(cars, [dc], vi, 0, ambient=amb, precondition=pre)
    for i, v in enumerate(cars):
        for j, a in enumerate(ambients):
            for k, m in enumerate(modes):
                one = charge(v, dc, 0.1, 0.8, ambient=a, precondition=m, minutes=5)
                assert got["duration"][i, j, k] == one.duration, (v.name, a - C, m)
                assert got["soc_after"][i, j, k] == one.soc_after, (v.name, a - C, m)


def test_driving_colder_never_gives_more_range_and_a_heat_pump_never_less():
    from nevcalc.scenario.road import DrivingClimate, drive_range, load_road_vehicle

    for name in ("kia-ev6-77", "tesla-model-3-lr-2019", "byd-han-l"):
        v = load_road_vehicle(name)
        for cycle in ("wltc", "cadc-rural", "cadc-motorway-130"):
            r = [drive_range(v, cycle, climate=DrivingClimate(C + t)).range
                 for t in (-30, -20, -10, 0, 10, 20)]  # fmt: skip
            assert np.all(np.diff(r) > 0), (name, cycle, r)
            for t in (-20, 0, 15):
                resistive = drive_range(v, cycle, climate=DrivingClimate(C + t)).range
                pump = drive_range(v, cycle, climate=DrivingClimate(C + t, heat_pump=True)).range
                assert pump >= resistive, (name, cycle, t)


def test_the_5_cycle_label_is_not_driven_at_an_ambient():
    from nevcalc.scenario.road import DrivingClimate, drive_range, load_road_vehicle

    with pytest.raises(InputError, match="5-cycle"):
        drive_range(load_road_vehicle("kia-ev6-77"), "epa-5cycle", climate=DrivingClimate(C))


def test_the_cli_answers_at_an_ambient(run_cli):
    """charge, compare and range take --ambient; JSON carries the thermal figures."""
    import json

    code, out, _ = run_cli("charge", "kia-ev6-77", "--charger", "ionity-350", "--ambient",
                           "-10", "--precondition", "20min", "--json")  # fmt: skip
    doc = json.loads(out)
    assert code == 0 and doc["thermal"]["ambient"] == {"value": -10.0, "unit": "degC"}
    assert doc["thermal"]["precondition_time"]["value"] == pytest.approx(20.0)
    assert doc["thermal"]["pack_at_arrival"]["value"] > -10.0
    code, out, _ = run_cli("compare", "kia-ev6-77", "byd-han-l", "--charger", "ionity-350",
                           "--ambient", "-10", "--json")  # fmt: skip
    rows = json.loads(out)["vehicles"]
    assert code == 0 and all(r["thermal"]["ambient"]["value"] == -10.0 for r in rows)
    code, cold, _ = run_cli("range", "kia-ev6-77", "--cycle", "wltc", "--ambient", "-10",
                            "--json")  # fmt: skip
    code2, warm, _ = run_cli("range", "kia-ev6-77", "--cycle", "wltc", "--json")
    assert code == code2 == 0
    assert json.loads(cold)["range"]["value"] < json.loads(warm)["range"]["value"]


@pytest.mark.parametrize(
    "args",
    [
        ("charge", "kia-ev6-77", "--ambient", "-41"),
        ("charge", "kia-ev6-77", "--ambient", "60degC"),
        ("charge", "kia-ev6-77", "--ambient", "5 kWh"),
        ("charge", "kia-ev6-77", "--precondition", "on-arrival"),
        ("range", "kia-ev6-77", "--cabin", "21"),
        ("range", "kia-ev6-77", "--ambient", "-10", "--cabin", "40degC"),
        ("range", "kia-ev6-77", "--ambient", "-10", "--cycle", "epa-5cycle"),
    ],
)
def test_bad_temperatures_are_refused_in_one_line(run_cli, args):
    code, _, err = run_cli(*args)
    assert code in (1, 2) and "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_a_car_with_a_heat_pump_drives_with_it_unless_told_otherwise():
    """hyundai-ioniq-5-77's spec has heat_pump = yes, hyundai-ioniq-5-58's = no."""
    from nevcalc.scenario.road import DrivingClimate, drive_range, load_road_vehicle

    for name, own in (("hyundai-ioniq-5-77", True), ("hyundai-ioniq-5-58", False)):
        v = load_road_vehicle(name)
        assert v.heat_pump is own
        default = drive_range(v, "wltc", climate=DrivingClimate(C - 10.0)).range
        said = drive_range(v, "wltc", climate=DrivingClimate(C - 10.0, heat_pump=own)).range
        other = drive_range(v, "wltc", climate=DrivingClimate(C - 10.0, heat_pump=not own)).range
        assert default == said and (other < default if own else other > default)


#: LFP cell datasheets' charge rate against cell temperature, each step read at its middle
#: as a share of the full fast rate (Alpha APL48-50LFP manual, fast charge 0.2C at 5-10 degC
#: and 1.0C at 10-25 degC, 0.1C standard at 0-5 degC,
#: https://manualshive.com/en/manual/alpha/apl-48-50-lfp/2905205?page=12; Sunland IFR10440
#: 0.2C at 0-15 degC against 0.5C at 15-45 degC,
#: https://www.sunlandpower.com/products/ifr10440-32v-200mah; none below 0 degC in both).
LFP_DATASHEET_TABLE = (
    "charge_c_rate_temperature = { temperature = [-30, 0, 2.5, 7.5, 17.5, 25], "
    'value = [0.0, 0.0, 0.1, 0.3, 1.0, 1.0], unit = "", source = "LFP cell datasheets", '
    'kind = "claimed" }'
)


def test_a_chemistry_table_of_rate_against_temperature_replaces_the_arrhenius(tmp_path):
    """A chemistry's own table (read in degC, held in K) in place of the graphite Arrhenius:
    LFP cells by their datasheets take less of their rate below 10 degC than the default
    Arrhenius (35 kJ/mol, which ``lfp`` without the table keeps; nmc811 now gives its own,
    steeper one), the same full rate at 25 degC, and the hot limit still applies."""
    from nevcalc import catalog
    from nevcalc.scenario.thermal import pack_hardware

    path = tmp_path / "lfp-datasheet.toml"
    path.write_text('kind = "chemistry"\nextends = "lfp"\ntitle = "LFP, datasheet cold rates"\n'
                    + LFP_DATASHEET_TABLE + "\n", encoding="utf-8")  # fmt: skip
    lfp, base = catalog.load(str(path), "chemistry"), catalog.load("lfp", "chemistry")
    assert base.get("plating_activation_energy") is None  # (the default's)
    table = lfp["charge_c_rate_temperature"]
    assert table.soc[0] == pytest.approx(C - 30.0) and table.soc[-1] == pytest.approx(C + 25.0)
    f_lfp = pack_hardware(lfp, 60 * 3.6e6).c_rate_factor
    f_base = pack_hardware(base, 60 * 3.6e6).c_rate_factor
    at = {t: int(np.argmin(np.abs(TEMPERATURE_NODES - C - t))) for t in (-10, 0, 5, 10, 25, 50)}
    for t in (-10, 0, 5, 10):
        assert f_lfp[at[t]] < f_base[at[t]], t
    # by hand: 10 degC between 0.3 at 7.5 and 1.0 at 17.5 degC -> 0.3 + 0.25 x 0.7 = 0.475
    assert f_lfp[at[10]] == pytest.approx(0.475)
    assert f_lfp[at[25]] == f_base[at[25]] == 1.0
    assert f_lfp[at[50]] == pytest.approx(0.5)  # the hot limit still applies: 45 degC + 5 K


def test_a_temperature_table_outside_its_range_is_refused_naming_the_field():
    from pathlib import Path

    from nevcalc.errors import SpecError
    from nevcalc.specs.load import parse_spec

    raw = {"kind": "chemistry", "title": "t", "family": "LFP",
           "charge_c_rate_temperature": {"temperature": [-300, 25], "value": [0, 1],
                                         "source": "s", "kind": "assumed"}}  # fmt: skip
    with pytest.raises(SpecError, match=r"charge_c_rate_temperature.*-100 to 100"):
        parse_spec(raw, Path("t.toml"))


def test_a_vehicle_spec_sets_its_preconditioning_lead_time(tmp_path):
    """``precondition_lead_time`` in a vehicle spec replaces the 30 min default: with two
    hours of heating the pack soaked at -10 degC arrives at its target."""
    path = tmp_path / "ioniq-long-lead.toml"
    path.write_text('kind = "vehicle"\nextends = "hyundai-ioniq-5-77"\ntitle = "Long lead"\n'
                    'precondition_lead_time = { value = "2 h", source = "s", kind = "assumed" }\n',
                    encoding="utf-8")  # fmt: skip
    car = load_vehicle(str(path))
    assert car.thermal.precondition_lead_time == 7200.0
    target = DEFAULTS["precondition_target"][0]
    arrived = arrival_state(car.thermal, C - 10.0, "on-arrival")
    assert arrived.temperature == pytest.approx(target) and arrived.time < 7200.0
    default = load_vehicle("hyundai-ioniq-5-77").thermal
    assert arrival_state(default, C - 10.0, "on-arrival").temperature < target
