"""The command line: JSON contract, tables, infeasible answers, unit invariance, stdout
failures and exit codes."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nevcalc.scenario import adhoc_vehicle, charge, load_charger
from tests.helpers import strict_json as _strict

CHARGE_KEYS = {
    "duration",
    "energy_to_battery",
    "energy_from_grid",
    "average_power",
    "peak_power",
    "segments",
    "assumptions",
}


def test_charge_json_has_stable_keys_and_unit_pairs(run_cli):
    code, out, err = run_cli(
        "charge", "byd-han-l", "--charger", "byd-megawatt", "--minutes", "5", "--add", "400 km",
        "--json",
    )  # fmt: skip
    assert code == 0, err
    doc = json.loads(out)
    assert CHARGE_KEYS <= set(doc)
    assert {"range_added", "minutes_to_add"} <= set(doc)
    for key in ("duration", "energy_to_battery", "energy_from_grid", "peak_power", "range_added"):
        assert set(doc[key]) == {"value", "unit"}
        assert isinstance(doc[key]["value"], float)
    assert doc["duration"]["unit"] == "min"
    for seg in doc["segments"]:
        assert set(seg) == {"soc_from", "soc_to", "limit"}
    # segments tile the window
    assert doc["segments"][0]["soc_from"]["value"] == pytest.approx(10)
    assert doc["segments"][-1]["soc_to"]["value"] == pytest.approx(80)


def test_charge_table_and_chart_for_people(run_cli):
    code, out, _ = run_cli("charge", "kia-ev6-77", "--charger", "ionity-350")
    assert code == 0
    assert "binding limits" in out
    assert "power into the pack against SoC" in out
    assert " min" in out and " kW" in out


def test_no_charger_is_an_assumption(run_cli):
    code, out, _ = run_cli("charge", "kia-ev6-77", "--json")
    assert code == 0
    doc = json.loads(out)
    assert any("charger sets no limit" in a for a in doc["assumptions"])


@pytest.mark.parametrize("command", ["charge", "compare", "cost"])
def test_charger_none_is_no_charger_limit_as_help_says(run_cli, command):
    code, out, err = run_cli(command, "kia-ev6-77", "--charger", "none", "--json")
    assert code == 0, err
    if command == "charge":
        _, plain, _ = run_cli("charge", "kia-ev6-77", "--json")
        doc, without = json.loads(out), json.loads(plain)
        assert doc["charger"] == "none"
        assert doc["duration"] == without["duration"]  # the same as no --charger at all
        assert any("charger sets no limit" in a for a in doc["assumptions"])


def test_charger_limits_set_by_hand_bind(run_cli):
    code, out, err = run_cli("charge", "kia-ev6-77", "--charger-power", "50kW", "--json")
    assert code == 0, err
    doc = json.loads(out)
    assert doc["peak_power"]["value"] <= 50.0 + 1e-6
    assert {s["limit"] for s in doc["segments"]} == {"charger power"}
    # Ionity's 350 kW at 200 A: the current binds, below 200 A x the 800 V class
    code, out, err = run_cli("charge", "kia-ev6-77", "--charger", "ionity-350",
                             "--charger-current", "200A", "--json")  # fmt: skip
    assert code == 0, err
    doc = json.loads(out)
    assert any(s["limit"] == "charger current" for s in doc["segments"])
    assert doc["peak_power"]["value"] <= 200 * 800 / 1000
    # an 800 V car without a booster on a charger that gives at most 500 V cannot charge
    code, out, _ = run_cli(
        "charge", "--battery", "80kWh", "--chemistry", "nmc811", "--peak-power", "250kW",
        "--voltage", "800V", "--charger-power", "350kW", "--charger-voltage", "500V", "--json",
    )  # fmt: skip
    assert code == 0
    doc = json.loads(out)
    assert doc["feasible"] is False and "booster" in doc["reason"]


def test_current_of_an_ac_charger_is_a_usage_error(run_cli):
    code, out, err = run_cli("charge", "kia-ev6-77", "--charger", "ac-11kw",
                             "--charger-current", "32A")  # fmt: skip
    assert code == 2 and out == ""
    assert "--charger-current" in err and "AC charger" in err and "Traceback" not in err


@pytest.mark.parametrize(
    "limits",
    [
        ("--charger-current", "1A", "--charger-voltage", "50V"),
        ("--charger-current", "500A", "--charger-voltage", "120V"),
        ("--charger-power", "350kW", "--charger-current", "1A", "--charger-voltage", "50V"),
        ("--charger", "ionity-350", "--charger-current", "200A", "--charger-voltage", "100V"),
    ],
    ids=" ".join,
)
def test_a_charger_voltage_too_low_is_blamed_on_the_voltage_not_the_current(run_cli, limits):
    code, out, err = run_cli("charge", "kia-ev6-77", *limits)
    assert code == 2 and out == "", err
    line = err.strip()
    assert len(line.splitlines()) == 1 and "Traceback" not in line
    assert "option --charger-voltage:" in line and "--charger-current" not in line
    assert "above its lowest" in line and "e.g." in line


def test_current_and_voltage_of_an_ac_charger_name_both_options(run_cli):
    code, out, err = run_cli("charge", "kia-ev6-77", "--charger", "ac-11kw",
                             "--charger-current", "32A", "--charger-voltage", "400V")  # fmt: skip
    assert code == 2 and out == ""
    assert "options --charger-current and --charger-voltage:" in err and "AC charger" in err
    code, out, err = run_cli("charge", "kia-ev6-77", "--charger", "ac-11kw",
                             "--charger-voltage", "400V")  # fmt: skip
    assert code == 2 and "option --charger-voltage:" in err and "--charger-current" not in err


def test_limits_set_on_no_charger_are_a_charger_of_those_limits(run_cli):
    docs = []
    for charger in ([], ["--charger", "none"]):
        code, out, err = run_cli("charge", "kia-ev6-77", *charger, "--charger-power", "50kW",
                                 "--json")  # fmt: skip
        assert code == 0, err
        docs.append(json.loads(out))
    assert docs[0] == docs[1]
    assert docs[0]["peak_power"]["value"] <= 50.0 + 1e-6


@pytest.mark.parametrize("charger", [[], ["--charger", "ionity-350"]])
def test_charger_voltage_at_or_below_its_lowest_is_a_usage_error(run_cli, charger):
    code, out, err = run_cli("charge", "kia-ev6-77", *charger, "--charger-voltage", "50V")
    assert code == 2 and out == ""
    assert "--charger-voltage" in err and "above its lowest" in err and "Traceback" not in err


def test_brochure_peak_current_is_the_peak_power_at_a_pack_voltage(run_cli):
    """The stated peak current times the stated voltage is the datasheet's peak power, at
    a voltage of the pack (800 V class: between 500 and 920 V), not of a cell."""
    import re

    code, out, err = run_cli("charge", "--battery", "77kWh", "--chemistry", "nmc811",
                             "--peak-power", "233kW", "--voltage", "800V", "--json")  # fmt: skip
    assert code == 0, err
    line = next(a for a in json.loads(out)["assumptions"] if a.startswith("peak current"))
    amps, volts = (float(x) for x in re.search(r"(\d+) A.*\((\d+) V\)", line).groups())
    assert 500.0 < volts < 920.0
    assert amps * volts == pytest.approx(233e3, rel=0.01)


def test_adhoc_vehicle_lists_its_assumptions(run_cli):
    code, out, err = run_cli(
        "charge", "--battery", "77.4kWh", "--chemistry", "nmc811", "--peak-power", "240kW",
        "--voltage", "800V", "--consumption", "16 kWh/100km", "--minutes", "10", "--json",
    )  # fmt: skip
    assert code == 0, err
    doc = json.loads(out)
    assert any("datasheet" in a for a in doc["assumptions"])
    assert any("cells in series" in a for a in doc["assumptions"])
    assert doc["range_added"]["value"] > 0


def test_800v_car_on_400v_charger_needs_a_booster(run_cli):
    # Porsche Taycan 2020 has no booster in its spec? Use an ad-hoc car: no booster given
    code, out, _ = run_cli(
        "charge", "--battery", "80kWh", "--chemistry", "nmc811", "--peak-power", "250kW",
        "--voltage", "800V", "--charger", "tesla-v2", "--json",
    )  # fmt: skip
    assert code == 0
    doc = json.loads(out)
    assert doc["feasible"] is False
    assert doc["duration"]["value"] is None
    assert "booster" in doc["reason"] and "V" in doc["reason"]


def test_booster_makes_the_same_charge_feasible(run_cli):
    code, out, _ = run_cli(
        "charge", "--battery", "80kWh", "--chemistry", "nmc811", "--peak-power", "250kW",
        "--voltage", "800V", "--booster", "50kW", "--charger", "tesla-v2", "--json",
    )  # fmt: skip
    assert code == 0
    doc = json.loads(out)
    assert doc["feasible"] is True and doc["booster"] is True
    assert doc["peak_power"]["value"] <= 50.0 + 1e-6
    assert any(s["limit"] == "booster power" for s in doc["segments"])


def test_compare_default_set(run_cli):
    code, out, err = run_cli("compare")
    assert code == 0, err
    assert "byd-han-l" in out and "km in 10 min" in out


def test_compare_json(run_cli):
    code, out, _ = run_cli(
        "compare", "byd-han-l", "kia-ev6-77", "--charger", "ionity-350", "--json"
    )
    assert code == 0
    doc = json.loads(out)
    assert [v["vehicle"] for v in doc["vehicles"]] == ["byd-han-l", "kia-ev6-77"]
    # on the same 350 kW charger the 1000 kW car is charger-limited
    han = doc["vehicles"][0]
    assert han["peak_power"]["value"] <= 350.0 + 1e-6
    assert han["capacity_year_8"]["unit"] == "%"
    assert 50 < han["capacity_year_8"]["value"] < 100 and han["ageing_model"] == "lfp-gr-250ah"
    assert any(s["limit"].startswith("charger") for s in han["segments"])


def test_specs_list_show_validate_the_library(run_cli):
    from nevcalc.io import BUNDLED_SPECS

    code, out, _ = run_cli("specs", "list", "vehicle", "--json")
    names = {d["name"] for d in json.loads(out)}
    assert {"byd-han-l", "zeekr-7x-lfp", "kia-ev6-77"} <= names and len(names) >= 12
    code, out, _ = run_cli("specs", "list", "charger", "--json")
    chargers = {d["name"] for d in json.loads(out)}
    assert {"ac-11kw", "ccs-50kw", "tesla-v3", "tesla-v4", "ionity-350", "huawei-600kw",
            "byd-megawatt", "mcs"} <= chargers  # fmt: skip
    code, out, _ = run_cli("specs", "list", "chemistry", "--json")
    chems = {d["name"] for d in json.loads(out)}
    assert {"lfp", "lmfp", "nmc811", "nca", "sodium-ion", "semi-solid", "solid-state"} <= chems
    code, out, _ = run_cli("specs", "show", "byd-han-l")
    assert code == 0 and "techradar" in out
    code, out, err = run_cli("specs", "validate", str(BUNDLED_SPECS))
    assert code == 0, err
    assert "valid" in out


def test_every_shipped_figure_has_a_source_and_kind():
    from nevcalc import catalog
    from nevcalc.specs.schema import FIELDS

    for kind, name, _ in catalog.list_specs():
        spec = catalog.load(name, kind)
        for key in spec.values:
            if FIELDS[kind][key].type in ("quantity", "table"):
                prov = spec.provenance[key]
                assert prov.source, (name, key)
                assert prov.kind in ("claimed", "measured", "official", "assumed"), (name, key)


def test_solid_state_seed_claim():
    """~30 % more energy density than liquid Li-ion (350 Wh/kg ceiling) and > 2000 cycles."""
    from nevcalc import catalog

    ss = catalog.load("solid-state", "chemistry")
    assert ss.in_unit("cell_specific_energy", "Wh/kg") == pytest.approx(1.3 * 350, rel=0.05)
    assert ss["cycle_life"] >= 2000


@settings(max_examples=25, deadline=None)
@given(kwh=st.floats(20, 150), kw=st.floats(50, 500), amps=st.floats(200, 1000))
def test_answers_do_not_depend_on_input_units(kwh, kw, amps):
    a = adhoc_vehicle(f"{kwh} kWh", "nmc811", f"{kw} kW", "800 V", max_current=f"{amps} A")
    b = adhoc_vehicle(f"{kwh * 3.6} MJ", "nmc811", f"{kw / 1000} MW", "0.8 kV",
                      max_current=f"{amps / 1000} kA")  # fmt: skip
    c = load_charger("ionity-350")
    ta = charge(a, c, "10 %", "80 %").duration
    tb = charge(b, c, 0.1, 0.8).duration
    assert ta == pytest.approx(tb, rel=1e-9)


def test_range_json_keys_and_before_after(run_cli):
    code, out, err = run_cli("range", "kia-ev6-77", "--chemistry", "solid-state", "--keep", "mass",
                             "--json")  # fmt: skip
    assert code == 0, err
    doc = json.loads(out)
    for key in ("range", "consumption", "consumption_wall", "cycle", "assumptions"):
        assert key in doc
    before, after = doc["before"], doc["after"]
    assert after["pack_mass"]["value"] == pytest.approx(before["pack_mass"]["value"])
    assert after["usable_energy"]["value"] > before["usable_energy"]["value"]
    assert after["range"]["value"] > before["range"]["value"]
    assert after["pack_cost"]["unit"] == "USD" and after["pack_volume"]["unit"] == "L"
    assert "WLTP" in doc["cycle"]


def test_adhoc_range_lists_defaults_as_assumptions(run_cli):
    code, out, err = run_cli("range", "--battery", "77.4kWh", "--mass", "1950kg", "--cd", "0.21",
                             "--cycle", "wltc", "--json")  # fmt: skip
    assert code == 0, err
    doc = json.loads(out)
    assert any(a.startswith("frontal_area estimated") for a in doc["assumptions"])
    assert [e["field"] for e in doc["estimates"]] == ["frontal_area", "motor_power"]
    assert 400 < doc["range"]["value"] < 900


WIDTHS = (60, 80, 100, 140, 200)


def _nevcalc(args, **kw):
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    code = "import sys; from nevcalc.cli import main; main(sys.argv[1:])"
    return subprocess.Popen([sys.executable, "-c", code, *args], env=env, **kw)


def test_python_dash_m_runs_the_console_script(run_cli):
    """``python -m nevcalc`` is the ``nevcalc`` command: same answer, errors and exit codes."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    args = ("charge", "byd-han-l", "--charger", "byd-megawatt", "--json")
    p = subprocess.run([sys.executable, "-m", "nevcalc", *args], env=env,
                       capture_output=True, text=True, timeout=120)  # fmt: skip
    assert p.returncode == 0, p.stderr
    code, out, err = run_cli(*args)
    assert code == 0, err
    assert json.loads(p.stdout) == json.loads(out)
    p = subprocess.run([sys.executable, "-m", "nevcalc", "charge", "--no-such-option"], env=env,
                       capture_output=True, text=True, timeout=120)  # fmt: skip
    assert p.returncode == 2 and p.stdout == ""
    assert "--no-such-option" in p.stderr and "Traceback" not in p.stderr
    p = subprocess.run([sys.executable, "-m", "nevcalc", "--help"], env=env,
                       capture_output=True, text=True, timeout=120)  # fmt: skip
    assert p.returncode == 0 and "Usage: nevcalc " in p.stdout


@pytest.mark.parametrize(
    "args",
    [
        ("charge", "byd-han-l", "--charger", "byd-megawatt", "--json"),
        ("charge", "byd-han-l", "--charger", "byd-megawatt"),
        ("compare", "byd-han-l", "--csv"),
    ],
)
def test_full_disk_on_stdout_is_one_line_and_exit_1(args):
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full on this system")
    with open("/dev/full", "w") as full:
        p = _nevcalc(args, stdout=full, stderr=subprocess.PIPE, text=True)
        _, err = p.communicate(timeout=120)
    assert p.returncode == 1, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "stdout" in lines[0] and "No space left" in lines[0], err


def test_closed_pipe_exits_quietly_with_1():
    p = _nevcalc(
        ("specs", "show", "kia-ev6-77", "--json"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    p.stdout.close()  # the reader is gone before anything is written, as with `| head -0`
    err = p.stderr.read().decode()
    p.wait(timeout=120)
    assert p.returncode == 1
    assert err == "", err


def test_keyboard_interrupt_is_one_line_and_130(run_cli, monkeypatch):
    import nevcalc.scenario.trend as trend_mod

    def interrupted(*a, **k):
        raise KeyboardInterrupt

    monkeypatch.setattr(trend_mod, "trend", interrupted)
    code, _out, err = run_cli("trend")
    assert code == 130
    assert [ln for ln in err.splitlines() if ln.strip()] == ["nevcalc: interrupted"]


def test_unexpected_failure_is_one_line_without_traceback(run_cli, monkeypatch):
    import nevcalc.scenario.trend as trend_mod

    def broken(*a, **k):
        raise ZeroDivisionError("float division by zero")

    monkeypatch.setattr(trend_mod, "trend", broken)
    monkeypatch.delenv("NEVCALC_DEBUG", raising=False)
    code, _out, err = run_cli("trend")
    assert code == 1
    assert err.count("\n") == 1 and "internal error" in err and "Traceback" not in err


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (("charge", "no-such-car"), 2),
        (("charge", "byd-han-l", "--no-such-option"), 2),
        (("compare", "byd-han-l", "--charger", "no-such-charger"), 2),
        (("charge", "byd-han-l", "--from", "80", "--to", "10"), 2),
        (("specs", "show", "no-such-spec", "--json"), 2),
    ],
)
def test_usage_problems_exit_2_with_one_line(run_cli, args, code):
    got, _out, err = run_cli(*args)
    assert got == code, err
    assert err.count("\n") == 1 and err.startswith("nevcalc: error: ") and "Traceback" not in err


def test_sweep_over_all_vehicles_with_a_car_without_figures_warns_nothing(
    run_cli, tmp_path, recwarn
):
    """A car without road-load figures joins "all": its rows are unanswered, quietly."""
    import warnings

    (tmp_path / "specs" / "vehicles").mkdir(parents=True)
    (tmp_path / "specs" / "vehicles" / "mycar.toml").write_text(
        'kind = "vehicle"\ntitle = "My car"\nmake = "Me"\nmodel = "Car"\nchemistry = "nmc811"\n'
        'battery_usable_energy = "60 kWh"\nvoltage_class = "400 V"\n'
        'max_charge_power = "100 kW"\n[provenance]\nsource = "my datasheet"\nkind = "claimed"\n'
    )
    (tmp_path / "all.toml").write_text(
        'kind = "sweep"\ntitle = "all cars"\n[base]\ncharger = "ionity-350"\n'
        'vehicle = "byd-han-l"\nyears = 10\n[[axis]]\nfield = "vehicle"\nvalues = "all"\n'
        '[summary]\ngroup_by = ["vehicle"]\n'
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        code, out, err = run_cli("sweep", str(tmp_path / "all.toml"), "--summary")
    assert code == 0, err
    assert "mycar" in out and "Warning" not in err


def test_range_and_trend_csv_match_their_json(run_cli):
    args = ("range", "kia-ev6-77", "--chemistry", "solid-state", "--keep", "mass")
    code, out, err = run_cli(*args, "--csv")
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    _, jout, _ = run_cli(*args, "--json")
    doc = _strict(jout)
    assert [r["case"] for r in rows] == ["before", "after"]
    for r, key in zip(rows, ("before", "after"), strict=True):
        assert float(r["range [km]"]) == doc[key]["range"]["value"]
        assert float(r["pack_mass [kg]"]) == doc[key]["pack_mass"]["value"]
    code, out, err = run_cli("trend", "--until", "2030", "--csv")
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    _, jout, _ = run_cli("trend", "--until", "2030", "--json")
    prices = _strict(jout)["pack_price"]
    assert [int(r["year"]) for r in rows] == [p["year"] for p in prices]
    col = next(c for c in rows[0] if c.startswith("price_by_volume ["))
    for r, p in zip(rows, prices, strict=True):
        assert float(r[col]) == pytest.approx(p["value"], abs=0.006)
    for cmd in (("trend",), ("range", "kia-ev6-77")):
        code, _, err = run_cli(*cmd, "--json", "--csv")
        assert code == 2 and "choose one" in err


def test_a_stray_warning_is_one_line(run_cli, monkeypatch):
    import warnings

    import nevcalc.scenario.trend as trend_mod

    real = trend_mod.trend

    def noisy(*a, **k):
        warnings.warn("invalid value encountered in divide", RuntimeWarning, stacklevel=1)
        return real(*a, **k)

    monkeypatch.setattr(trend_mod, "trend", noisy)
    with warnings.catch_warnings():
        warnings.simplefilter("always")
        code, _out, err = run_cli("trend", "--json")
    assert code == 0
    assert err.count("\n") == 1 and err.startswith("nevcalc: warning: RuntimeWarning: invalid")
    assert warnings.showwarning is not __import__("nevcalc.cli").cli._show_warning


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize(
    "args",
    [
        ("compare", "byd-han-l", "byd-han-ev-2020", "--charger", "ionity-350", "--charger",
         "tesla-v2"),
        ("specs", "fields", "vehicle"),
        ("specs", "list"),
        ("specs", "show", "kia-ev6-77"),
        ("range", "kia-ev6-77", "--chemistry", "solid-state", "--keep", "mass"),
        ("scenario", "run", "byd-super-e-platform"),
        ("trend",),
    ],
    ids=" ".join,
)  # fmt: skip
def test_cli_output_honours_columns(run_cli, monkeypatch, args, width):
    monkeypatch.setenv("COLUMNS", str(width))
    code, out, err = run_cli(*args)
    assert code == 0, err
    assert "…" not in out
    too_wide = [ln for ln in out.splitlines() if len(ln) > width]
    assert not too_wide, too_wide[:3]


def test_an_ascii_stdout_gets_one_line_naming_the_encoding():
    env = dict(os.environ, PYTHONIOENCODING="ascii", PYTHONPATH=os.pathsep.join(sys.path))
    code = "import sys; from nevcalc.cli import main; main(sys.argv[1:])"
    p = subprocess.run(
        [sys.executable, "-c", code, "charge", "byd-han-l"],
        env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert p.returncode == 1
    lines = p.stderr.strip().splitlines()
    assert len(lines) == 1 and "PYTHONIOENCODING=utf-8" in lines[0] and "ascii" in lines[0]
    assert "internal error" not in lines[0]


def test_trip_json_is_the_answer_with_units(run_cli):
    from nevcalc.routes import load_route
    from nevcalc.scenario.charge import load_vehicle
    from nevcalc.scenario.road import load_road_vehicle
    from nevcalc.scenario.trip import trip

    code, out, err = run_cli("trip", "kia-ev6-77", "--route", "winter-motorway-1000", "--json")
    assert code == 0, err
    doc = _strict(out)
    ans = trip(load_vehicle("kia-ev6-77"), load_road_vehicle("kia-ev6-77"),
               load_route("winter-motorway-1000"))  # fmt: skip
    assert doc["total_time"]["unit"] == "h"
    assert doc["total_time"]["value"] == pytest.approx(ans.total_time / 3600, rel=1e-3)
    assert doc["stops"] == len(doc["plan"]) == len(ans.stops)
    assert doc["route"]["ambient"] == {"value": -10.0, "unit": "degC"}
    assert doc["precondition"] == "on-arrival"
    assert sum(s["time"]["value"] for s in doc["plan"]) == pytest.approx(
        doc["stop_time"]["value"], rel=1e-3)  # fmt: skip


def test_cabin_and_heat_pump_on_every_command_that_drives_or_heats(run_cli):
    """``--cabin`` and ``--heat-pump`` reach trip, compare and (the pack's heater) charge,
    as they reach range; without an ambient they are refused, not ignored."""
    from nevcalc.routes import adhoc_route, load_route
    from nevcalc.scenario.charge import load_vehicle, with_heat_pump
    from nevcalc.scenario.road import load_road_vehicle
    from nevcalc.scenario.trip import trip

    code, out, err = run_cli("trip", "vw-id4-77", "--route", "winter-motorway-1000", "--cabin",
                             "18degC", "--no-heat-pump", "--json")  # fmt: skip
    assert code == 0, err
    doc = _strict(out)
    assert doc["route"]["cabin"] == {"value": 18.0, "unit": "degC"}
    assert doc["route"]["heat_pump"] is False
    route = adhoc_route(load_route("winter-motorway-1000"), cabin="18 degC", heat_pump=False)
    ans = trip(load_vehicle("vw-id4-77"), load_road_vehicle("vw-id4-77"), route)
    assert doc["total_time"]["value"] == pytest.approx(ans.total_time / 3600, rel=1e-3)
    km = {}
    for flag in ("--heat-pump", "--no-heat-pump"):
        code, out, err = run_cli("compare", "vw-id4-77", "--ambient", "-15", flag, "--json")
        assert code == 0, err
        km[flag] = _strict(out)["vehicles"][0]["km_in_20_min"]["value"]
    assert km["--heat-pump"] > km["--no-heat-pump"]  # the same charge, less used a km
    energy = {}
    for flag in ("--heat-pump", "--no-heat-pump"):
        code, out, err = run_cli("charge", "vw-id4-77", "--ambient", "-15", "--precondition",
                                 "on-arrival", flag, "--json")  # fmt: skip
        assert code == 0, err
        energy[flag] = _strict(out)["thermal"]["precondition_energy"]["value"]
    assert 0 < energy["--heat-pump"] < energy["--no-heat-pump"]
    same = load_vehicle("vw-id4-77")
    assert with_heat_pump(same, None) is same
    for argv in (("trip", "vw-id4-77", "--cabin", "18"), ("compare", "vw-id4-77", "--heat-pump"),
                 ("charge", "vw-id4-77", "--no-heat-pump")):  # fmt: skip
        code, _, err = run_cli(*argv)
        assert code == 2 and "need an ambient" in err, (argv, err)


def test_trip_for_people_and_a_brochure_car(run_cli, tmp_path):
    code, out, err = run_cli("trip", "--battery", "75kWh", "--chemistry", "lfp", "--market", "cn",
                             "--route", "cn-expressway-1000")  # fmt: skip
    assert code == 0, err
    assert "trip time" in out and "stops" in out and "estimated" in out
    png = tmp_path / "trip.png"
    code, out, err = run_cli("trip", "kia-ev6-77", "--distance", "600km", "--speed", "130",
                             "--chargers", "tesla-v3 every 100km", "--plot", str(png))  # fmt: skip
    assert code == 0, err
    assert png.stat().st_size > 10_000 and "600 km at 130 km/h" in out


def test_trip_that_cannot_be_driven_says_where(run_cli):
    code, out, err = run_cli("trip", "nissan-leaf-40", "--distance", "500km", "--stations",
                             "400km ionity-350", "--json")  # fmt: skip
    assert code == 0, err
    doc = _strict(out)
    assert doc["feasible"] is False and doc["total_time"]["value"] is None
    assert "from the start to the station at 400 km" in doc["reason"]


def test_compare_trip_ranks_cars_as_nevcalc_trip_answers(run_cli):
    code, out, err = run_cli("compare", "nissan-leaf-e-plus", "kia-ev6-77", "--trip",
                             "winter-motorway-1000", "--json")  # fmt: skip
    assert code == 0, err
    doc = _strict(out)
    assert [r["vehicle"] for r in doc["rows"]] == ["kia-ev6-77", "nissan-leaf-e-plus"]
    code, one, err = run_cli("trip", "kia-ev6-77", "--route", "winter-motorway-1000", "--json")
    assert _strict(one)["total_time"] == doc["rows"][0]["total_time"]
    code, out, err = run_cli("compare", "--trip", "motorway-1000", "--charger", "ionity-350")
    assert code == 2 and "--charger" in err


def test_trip_cost_is_the_grid_energy_at_the_price_in_its_currency(run_cli):
    from nevcalc.units import exchange_rate

    code, out, err = run_cli("trip", "kia-ev6-77", "--price", "0.69 EUR/kWh", "--json")
    assert code == 0, err
    doc = _strict(out)
    kwh = doc["energy_from_grid"]["value"]
    assert doc["cost"]["unit"] == "EUR"
    assert doc["cost"]["value"] == pytest.approx(kwh * 0.69, rel=1e-3)
    code, out, err = run_cli("trip", "kia-ev6-77", "--price", "0.5 USD/kWh", "--json")
    assert _strict(out)["cost"]["value"] == pytest.approx(kwh * 0.5, rel=1e-3)
    assert exchange_rate("EUR") != 1.0  # the two answers differ by the rate, not by chance
    code, out, err = run_cli("trip", "kia-ev6-77", "--price", "5 kWh")
    assert code == 2 and "--price" in err


@pytest.mark.parametrize("kind", ["route", "climate"])
def test_specs_list_and_show_every_kind(run_cli, kind):
    code, out, err = run_cli("specs", "list", kind, "--json")
    assert code == 0, err
    names = [d["name"] for d in json.loads(out)]
    assert names
    code, out, err = run_cli("specs", "show", names[0], "--json")
    assert code == 0, err
    assert json.loads(out)[0]["kind"] == kind
    code, out, err = run_cli("specs", "fields", kind)
    assert code == 0 and "title" in out


def test_compare_trip_csv_holds_the_json_figures(run_cli):
    code, out, err = run_cli("compare", "kia-ev6-77", "nissan-leaf-40", "--trip",
                             "motorway-1000", "--csv")  # fmt: skip
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    code, js, err = run_cli("compare", "kia-ev6-77", "nissan-leaf-40", "--trip",
                            "motorway-1000", "--json")  # fmt: skip
    doc = _strict(js)
    assert [r["vehicle"] for r in rows] == [r["vehicle"] for r in doc["rows"]]
    for r, d in zip(rows, doc["rows"], strict=True):
        assert float(r["total_time [h]"]) == d["total_time"]["value"]
        assert int(r["stops"]) == d["stops"]


def test_a_brochure_trip_drives_the_pack_it_charges(run_cli):
    """The road figures' pack mass comes from the same cells as the charging model's."""
    got = {}
    for chem in ("lfp", "nmc811"):
        args = ("--battery", "75kWh", "--chemistry", chem, "--peak-power", "200kW")
        code, out, err = run_cli("trip", *args, "--voltage", "400V", "--json")
        assert code == 0, err
        doc = _strict(out)
        got[chem] = doc["consumption"]["value"]
        assert any(chem in a for a in doc["assumptions"])
    assert got["lfp"] > got["nmc811"]  # LFP's heavier pack


def test_specs_show_gives_temperatures_in_degc_too(run_cli, tmp_path):
    code, out, err = run_cli("specs", "show", "winter-motorway-1000")
    assert code == 0, err
    assert "263.1 K (-10 degC)" in out
    usage = tmp_path / "u.toml"
    usage.write_text('kind = "usage"\ntitle = "u"\nannual_distance = { value = "15000 km" }\n'
                     'temperature_rise = { value = "5 K" }\n'
                     '[provenance]\nsource = "s"\nkind = "assumed"\n')  # fmt: skip
    code, out, err = run_cli("specs", "show", str(usage))
    assert code == 0, err
    rise = [line for line in out.splitlines() if "temperature_rise" in line]
    assert rise and all("degC" not in line for line in rise)  # a rise is not a temperature


@pytest.mark.parametrize(
    ("argv", "commands"),
    [((), ("charge", "trip")), (("specs",), ("validate",)), (("scenario",), ("run",))],
)
def test_a_group_without_its_command_gets_one_short_line(argv, commands):
    """`nevcalc` or `nevcalc specs` alone: a usage error of one line naming the commands,
    not the whole help squeezed into one error line."""
    from tests.badinput.harness import run_inprocess

    res = run_inprocess(argv)
    lines = res.err.splitlines()
    assert res.code == 2
    assert len(lines) == 1 and len(lines[0]) < 300, res.err[:300]
    assert lines[0].startswith("nevcalc: error: give a command")
    assert all(c in lines[0] for c in commands)
