"""The charge answer at the edges: sessions that cannot start, stop partway, chargers
below C/20, the charger's lowest voltage, degenerate SoC windows; every answer stays
physical and every reason states a condition the numbers bear out."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest

from nevcalc.errors import InputError, NevcalcError
from nevcalc.report import charge_document
from nevcalc.scenario import charge, load_charger, load_vehicle
from nevcalc.scenario.charge import Charger
from tests.helpers import json_numbers as _numbers


def _volts(text):
    return [float(x) for x in re.findall(r"(\d+(?:\.\d+)?) V\b", text)]


def test_issue_han_l_on_tesla_v2_says_it_cannot_start_and_adds_nothing(run_cli):
    code, out, err = run_cli("charge", "byd-han-l", "--charger", "tesla-v2", "--minutes", "5")
    assert code == 0, err
    assert "+-" not in out and "-64" not in out
    assert "+0 km (to 10 %)" in out
    assert "stops at 0" not in out and "cannot start at 10 %" in out
    assert "10-10" not in out
    assert "power into the pack against SoC" not in out  # no chart of nothing
    v = load_vehicle("byd-han-l")
    pack_v, charger_v = _volts(" ".join(out.split("cannot start at")[1].split()))[:2]
    assert pack_v == pytest.approx(float(v.pack_voltage(0.1)), abs=0.5)
    assert charger_v == load_charger("tesla-v2").max_voltage
    assert pack_v > charger_v and "above" in out


def test_issue_han_2020_on_tesla_v2_reason_is_true(run_cli):
    code, out, err = run_cli("charge", "byd-han-ev-2020", "--charger", "tesla-v2", "--json")
    assert code == 0, err
    doc = json.loads(out)
    assert doc["feasible"] is False and doc["duration"]["value"] is None
    assert "below" not in doc["reason"]  # 408 V is not below 200 V
    assert doc["stop_limit"] == "charger voltage"
    assert doc["soc_reached"]["value"] == 10.0 and doc["charging_time"]["value"] == 0.0
    pack_v, charger_v = _volts(doc["reason"])[:2]
    assert pack_v > charger_v == 410.0
    assert doc["segments"] == []
    assert all(x >= 0 for x in _numbers(doc))


def test_stop_partway_reports_where_and_after_how_long(run_cli):
    code, out, err = run_cli(
        "charge", "byd-han-ev-2020", "--charger", "tesla-v3", "--minutes", "10", "--add",
        "300 km", "--json",
    )  # fmt: skip
    assert code == 0, err
    doc = json.loads(out)
    reached = doc["soc_reached"]["value"]
    assert 10 < reached < 80
    said = float(re.search(r"stops at (\d+\.\d) %", doc["reason"]).group(1))
    assert said == pytest.approx(reached, abs=0.051)
    assert doc["charging_time"]["value"] > 0 and doc["energy_to_battery"]["value"] > 0
    assert doc["segments"][-1]["soc_to"]["value"] == pytest.approx(reached)
    assert 10 < doc["soc_after"]["value"] <= reached
    assert doc["minutes_to_add"]["value"] is None and doc["add_reason"]
    # the reason's figures: the charger's maximum, the OCV at the stop below it
    vmax, ocv_stop, ocv_full = _volts(doc["reason"])[:3]
    assert vmax == 500.0 and ocv_stop <= vmax < ocv_full


def test_json_of_infeasible_sessions_is_strict_and_physical(run_cli):
    for args in (
        ("byd-han-l", "--charger", "tesla-v2", "--minutes", "5", "--add", "100km"),
        ("byd-han-ev-2020", "--charger", "ccs-50kw", "--minutes", "60", "--add", "900km"),
        ("xpeng-g6-2025", "--charger", "chademo-50kw", "--from", "90%", "--to", "100%"),
    ):
        code, out, err = run_cli("charge", *args, "--json")
        assert code == 0, err
        doc = json.loads(out)
        json.dumps(doc, allow_nan=False)
        assert all(x >= 0 for x in _numbers(doc)), args
        assert doc["reason"] and doc["duration"]["value"] is None


def test_compare_rows_of_infeasible_cars_are_short_and_non_negative(run_cli):
    code, out, err = run_cli("compare", "byd-han-l", "kia-ev6-77", "--charger", "tesla-v2")
    assert code == 0, err
    assert "never" in out and "stops at" not in out
    assert "byd-han-l on tesla-v2: charging cannot start at 10 %" in out
    assert not re.search(r"(^|\s)-\d", out)
    code, out, err = run_cli("compare", "byd-han-ev-2020", "--charger", "tesla-v3")
    assert code == 0, err
    cells = " ".join(re.sub(r"[│┃]", " ", out).split())  # a wrapped cell, read across lines
    assert "stops at 28.3 %" in out and "charger max V 14-28%" in cells
    code, out, err = run_cli("compare", "byd-han-l", "--charger", "tesla-v2", "--json")
    doc = json.loads(out)["vehicles"][0]
    assert doc["range_added"]["value"] == 0.0 and doc["soc_reached"]["value"] == 10.0


@pytest.mark.parametrize(("a", "b", "needle"), [("80%", "80%", "nothing to charge"),
                                                ("80%", "50%", "swap")])  # fmt: skip
def test_start_at_or_above_target_is_refused_with_the_fix(run_cli, a, b, needle):
    code, _out, err = run_cli("charge", "byd-han-l", "--from", a, "--to", b)
    assert code == 2 and needle in err and "Traceback" not in err


def test_charger_minimum_voltage_reason_and_where_it_can_start():
    v = load_vehicle("byd-han-ev-2020")
    vmin = float(v.pack_voltage(0.3))
    c = Charger("dc-high", "DC high", "dc", 350e3, 500.0, 1000.0, vmin, 0.95)
    low = charge(v, c, 0.1, 0.9, minutes=10)
    assert not low.feasible and low.stop_limit == "charger min voltage"
    assert low.soc_reached == 0.1 and low.range_added == 0.0
    assert "below dc-high's lowest output" in low.reason
    assert "can start from 30 %" in low.reason
    pack_v, charger_v = _volts(low.reason)[:2]
    assert pack_v < charger_v
    high = charge(v, c, 0.35, 0.9)
    assert high.feasible and high.duration > 0


def test_degenerate_chemistry_window_is_a_clear_error(tmp_path):
    from nevcalc import catalog
    from nevcalc.scenario.charge import vehicle_from_spec

    src = next(p for _, name, p in catalog.list_specs("chemistry") if name == "nmc811")
    text = [ln for ln in src.read_text().splitlines() if not ln.startswith("usable_soc_")]
    i = next(k for k, ln in enumerate(text) if ln.startswith("kind"))
    text[i + 1 : i + 1] = ["usable_soc_min = 0.5", "usable_soc_max = 0.5"]
    path = tmp_path / "flat.toml"
    path.write_text("\n".join(text) + "\n")
    with pytest.raises(NevcalcError) as err:  # refused when loaded, or when the car is built
        chem = catalog.load(str(path), "chemistry")
        vehicle_from_spec(catalog.load("kia-ev6-77", "vehicle"), chem)
    assert "usable_soc_m" in str(err.value)


def test_answer_refuses_a_vehicle_with_no_consumption():
    from dataclasses import replace

    v = replace(load_vehicle("kia-ev6-77"), consumption=0.0)
    with pytest.raises(InputError, match="consumption"):
        charge(v, None, 0.1, 0.8, minutes=5)


def test_time_panel_ends_at_the_time_in_the_title():
    """The figure's time curve comes from the same profile as the duration."""
    for vehicle, charger in (("byd-han-l", "byd-megawatt"), ("kia-ev6-77", "tesla-v2"),
                             ("byd-han-ev-2020", "tesla-v3")):  # fmt: skip
        ans = charge(load_vehicle(vehicle), load_charger(charger), 0.1, 0.8)
        assert ans.soc[0] == 0.1 and ans.soc[-1] == ans.soc_reached
        assert ans.time[0] == 0.0
        assert ans.time[-1] == pytest.approx(ans.charging_time, rel=1e-9)
        if ans.feasible:
            assert ans.charging_time == ans.duration
        assert np.all(np.diff(ans.time) >= 0) and np.all(ans.power >= 0)
        doc = charge_document(ans)
        json.dumps(doc, allow_nan=False)


@pytest.mark.parametrize("power", [1.0e3, 1.6e3, 3e3])
def test_a_charge_that_ends_in_its_cv_taper_names_cv(power):
    """Near 100 % a strongly polarised cell reaches its voltage limit within one step; the
    stop is the CV taper, not the power limit that binds once the polarisation relaxes."""
    from nevcalc.scenario.charge import adhoc_vehicle

    v = adhoc_vehicle(21, "chen2020", 100, 1000)  # chen2020's 100 % is its 4.2 V OCV
    c = Charger("ac-x", "AC x", "ac", power, np.inf, np.inf, 0.0, 0.93)
    for steps in (200, 400):
        ans = charge(v, c, 0.85, 1.0, steps=steps)
        assert not ans.feasible and 0.95 < ans.soc_reached < 1.0
        assert ans.stop_limit == "CV", (steps, ans.reason)
        assert "4.2 V limit" in ans.reason


def test_sweep_rows_of_chargers_that_cannot_charge_add_no_negative_km():
    """Sweeps use the same model: a 1000 V pack on 400-500 V chargers adds 0 km in 5 min."""
    import nevcalc

    doc = {
        "kind": "sweep",
        "title": "t",
        "base": {"vehicle": "byd-han-l", "usage": "private-china"},
        "axis": [{"field": "charger", "values": ["tesla-v2", "ccs-50kw", "byd-megawatt"]}],
    }
    res = nevcalc.sweep(doc)
    km = dict(zip(res.names["charger"], res.columns["km_in_5_min"], strict=True))
    assert km["tesla-v2"] == 0.0 and km["ccs-50kw"] == 0.0
    assert km["byd-megawatt"] > 100  # [km]
    assert np.all(np.isfinite(res.columns["km_in_5_min"]))


def test_small_ac_charger_charges_slowly_instead_of_never(tmp_path, run_cli):
    (tmp_path / "socket.toml").write_text(
        'kind = "charger"\ntitle = "2.3 kW socket"\ncurrent_type = "ac"\n'
        'max_power = { value = "2.3 kW", source = "test", kind = "assumed" }\n'
    )
    code, out, err = run_cli("charge", "byd-han-l", "--charger", str(tmp_path / "socket.toml"),
                             "--json")  # fmt: skip
    assert code == 0, err
    doc = json.loads(out)
    assert doc["feasible"] is True and doc["reason"] == ""
    hours = doc["duration"]["value"] / 60
    # 2.3 kW at the socket, 90 % to the pack: the energy into the pack over that power
    assert hours == pytest.approx(doc["energy_from_grid"]["value"] / 2.3, rel=0.01)


def test_header_shows_a_window_narrower_than_one_percent(run_cli):
    code, out, err = run_cli("charge", "byd-han-l", "--from", "99.9%", "--to", "100%",
                             "--no-chart")  # fmt: skip
    assert code == 0, err
    assert "99.9 % -> 100 %" in out and "100% -> 100%" not in out


def test_given_consumption_replaces_the_km_figures_basis_only():
    from dataclasses import fields

    from nevcalc.scenario.charge import given_consumption

    v = load_vehicle("byd-han-l")
    g = given_consumption(v, 500.0)
    assert (g.consumption, g.consumption_cycle) == (500.0, "given")
    assert v.consumption != 500.0 and v.consumption_cycle != "given"  # the input is kept
    others = [f.name for f in fields(v) if f.name not in ("consumption", "consumption_cycle")]
    assert all(getattr(g, n) is getattr(v, n) for n in others)


# --- repr and _repr_html_ (notebooks) -------------------------------------------------


def test_a_charge_answer_prints_one_line_and_a_small_table():
    from tests.helpers import check_html, check_repr

    ans = charge(load_vehicle("byd-han-l"), load_charger("byd-megawatt"), 0.1, 0.8, minutes=5)
    minutes = f"{ans.duration / 60:.4g} min"
    peak = f"{ans.peak_power / 1e3:.4g} kW"
    km = f"{ans.range_added / 1e3:.0f} km in 5 min"
    check_repr(ans, "ChargeAnswer", "byd-han-l", "byd-megawatt", "10-80 %", minutes, peak, km)
    shown = check_html(ans, "byd-han-l", minutes, peak, "vehicle power", "kWh", "assumptions")
    assert f"{ans.energy_from_grid / 3.6e6:.4g} kWh" in shown
    assert len(repr(ans)) < 200 < len(ans._repr_html_())


def test_a_charge_that_stops_short_says_where_in_its_repr_and_table():
    from tests.helpers import check_html, check_repr

    ans = charge(load_vehicle("byd-han-l"), load_charger("tesla-v2"), 0.1, 0.8)
    assert not ans.feasible
    check_repr(ans, "not reached", "cannot start")
    check_html(ans, "not reached", ans.reason)


def test_vehicle_and_charger_print_their_key_figures_with_units():
    from tests.helpers import check_html, check_repr

    v, c = load_vehicle("kia-ev6-77"), load_charger("ionity-350")
    check_repr(v, "Vehicle", "kia-ev6-77", "77.4 kWh", "nmc811", "kW peak", "800 V class")
    check_html(v, "77.4 kWh", "pack voltage 0-100 %", " V")
    check_repr(c, "Charger", "ionity-350", "DC 350 kW", " A", " V")
    check_html(c, "350 kW", "Ionity")
    from nevcalc.scenario import no_charger

    check_repr(no_charger(), "Charger none", "no limit")
    check_html(no_charger(), "no limit")


def test_names_are_escaped_in_the_html():
    from dataclasses import replace

    from tests.helpers import check_escaped

    name = "<b>my & car</b>"
    v = replace(load_vehicle("kia-ev6-77"), name=name)
    c = replace(load_charger("ionity-350"), name="<i>c</i>")
    check_escaped(v, name)
    check_escaped(c, "<i>c</i>")
    check_escaped(charge(v, c, 0.1, 0.8), name)


def _cabin_ua():
    """The cabin conductance the driving climate is fitted with [W/K], read from its file."""
    import tomllib
    from pathlib import Path

    path = Path(__file__).parents[2] / "specs" / "data" / "driving_climate.toml"
    return tomllib.loads(path.read_text())["cabin"]["cabin_conductance"]


def test_a_cabin_held_at_the_charger_draws_ua_times_the_lift_from_the_grid():
    """A resistive cabin at 21 degC in -10 degC air draws UA x 31 K; on a fast charger whose
    limits the pack does not reach, the time is the same and the grid pays the cabin over
    the charging time through the charger's losses."""
    from nevcalc.scenario.charge import cabin_load
    from nevcalc.units import celsius_to_kelvin

    v, c = load_vehicle("kia-ev6-77"), load_charger("ionity-350")
    air, inside = celsius_to_kelvin(-10.0), celsius_to_kelvin(21.0)
    assert not v.thermal.heat_pump
    assert cabin_load(v, air, inside) == pytest.approx(_cabin_ua() * 31.0, rel=1e-12)
    off = charge(v, c, 0.1, 0.8, ambient=air)
    on = charge(v, c, 0.1, 0.8, ambient=air, cabin=inside)
    assert on.duration == off.duration  # the EV6 takes at most 233 kW of 350
    assert on.cabin_power == pytest.approx(_cabin_ua() * 31.0, rel=1e-12)
    held = on.charging_time + on.warmup_time
    assert on.cabin_energy == pytest.approx(on.cabin_power * held / c.efficiency, rel=1e-12)
    assert on.energy_from_grid == pytest.approx(off.energy_from_grid + on.cabin_energy)
    assert on.vehicle is v and on.charger is c  # the answer names the real hardware
    # held at the air's own temperature the cabin needs nothing: today's answer
    same = charge(v, c, 0.1, 0.8, ambient=inside, cabin=inside)
    assert same.cabin_power == 0.0
    assert same.duration == charge(v, c, 0.1, 0.8, ambient=inside).duration


def test_a_cabin_on_a_small_charger_slows_the_pack_by_its_own_power():
    """Where the AC supply binds from start to end, the pack gets the supply less the
    cabin: its mean power falls by the cabin's power, and a heat pump costs it less."""
    from nevcalc.scenario.charge import with_heat_pump
    from nevcalc.units import celsius_to_kelvin

    c = load_charger("ac-11kw")
    air, inside = celsius_to_kelvin(0.0), celsius_to_kelvin(21.0)
    for pump in (False, True):
        v = with_heat_pump(load_vehicle("vw-id4-77"), pump)
        off = charge(v, c, 0.3, 0.7, ambient=air)
        on = charge(v, c, 0.3, 0.7, ambient=air, cabin=inside)
        assert {s[2] for s in off.segments} == {s[2] for s in on.segments} == {"charger power"}
        assert off.average_power - on.average_power == pytest.approx(on.cabin_power, rel=1e-3)
        assert on.duration > off.duration
    resistive = charge(with_heat_pump(load_vehicle("vw-id4-77"), False), c, 0.3, 0.7,
                       ambient=air, cabin=inside)  # fmt: skip
    assert on.cabin_power < resistive.cabin_power


def test_a_cabin_the_charger_cannot_supply_is_refused_with_the_fix(run_cli):
    code, _, err = run_cli("charge", "kia-ev6-77", "--charger", "ac-11kw", "--ambient",
                             "-40", "--cabin", "30degC", "--no-heat-pump")  # fmt: skip
    assert code == 0, err  # 100 W/K x 70 K = 7.0 kW of the 9.9 kW the pack side gets
    from nevcalc.scenario.charge import charger_with_limits

    tiny = charger_with_limits(load_charger("ac-11kw"), power=2e3)
    with pytest.raises(InputError, match="nothing is left to charge the pack"):
        charge(load_vehicle("kia-ev6-77"), tiny, 0.1, 0.8, ambient=250.0, cabin=294.15)
    with pytest.raises(InputError, match="needs an ambient"):
        charge(load_vehicle("kia-ev6-77"), tiny, 0.1, 0.8, cabin=294.15)
    code, _, err = run_cli("charge", "kia-ev6-77", "--charger", "ac-11kw", "--charger-power",
                             "2kW", "--ambient", "-20", "--cabin", "21")  # fmt: skip
    assert code == 2 and "nothing is left to charge the pack" in err and "Traceback" not in err
    code, _, err = run_cli("charge", "kia-ev6-77", "--cabin", "21")
    assert code == 2 and "need an ambient" in err


@pytest.mark.parametrize(
    ("base", "limits", "at_fault"),
    [
        (None, {"current": 1.0, "voltage": 50.0}, ("voltage",)),
        ("ionity-350", {"power": 50e3, "current": 200.0, "voltage": 120.0}, ("voltage",)),
        ("ac-11kw", {"current": 32.0}, ("current",)),
        ("ac-11kw", {"power": 7e3, "current": 32.0, "voltage": 400.0}, ("current", "voltage")),
    ],
)
def test_an_unusable_charger_limit_names_the_limits_at_fault(base, limits, at_fault):
    from nevcalc.scenario.charge import ChargerLimitError, charger_with_limits

    with pytest.raises(ChargerLimitError) as info:
        charger_with_limits(None if base is None else load_charger(base), **limits)
    assert info.value.parameters == at_fault
    assert isinstance(info.value, InputError)
