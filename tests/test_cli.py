"""The command line: JSON contract, tables, infeasible answers, unit invariance."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nevcalc.scenario import adhoc_vehicle, charge, load_charger

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
    assert any("frontal area" in a for a in doc["assumptions"])
    assert 400 < doc["range"]["value"] < 900
