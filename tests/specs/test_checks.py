"""Checks across fields (cross-field rules), enumerations in any case, and `specs fields`."""

from __future__ import annotations

import pytest

from nevcalc import catalog
from nevcalc.errors import SpecError
from nevcalc.io import BUNDLED_SPECS

CHARGER = """kind = "charger"
title = "t"
current_type = "dc"
max_power = { value = "150 kW", source = "s", kind = "assumed" }
"""


def _fig(key, value):
    return f'{key} = {{ value = "{value}", source = "s", kind = "assumed" }}\n'


def _shipped(folder, name):
    return (BUNDLED_SPECS / folder / f"{name}.toml").read_text()


def _chem(**extra):
    """The shipped nmc811 chemistry with extra or replaced lines (before [provenance])."""
    text = _shipped("chemistries", "nmc811")
    lines = [ln for ln in text.splitlines() if not any(ln.startswith(k + " ") for k in extra)]
    head, sep, tail = "\n".join(lines).partition("[provenance]")
    return head.rstrip("\n") + "\n" + "".join(extra.values()) + sep + tail + "\n"


def _vehicle(replace=None, add="", drop=""):
    text = _shipped("vehicles", "kia-ev6-77")
    if drop:
        text = "\n".join(ln for ln in text.splitlines() if not ln.startswith(drop + " "))
    for old, new in (replace or {}).items():
        assert old in text
        text = text.replace(old, new, 1)
    head, sep, tail = text.partition("[[published]]")
    return head + add + sep + tail


OCV_DOWN = (
    'ocv = { soc = [0, 50, 60, 100], value = [3.0, 3.7, 3.6, 4.1], unit = "V", '
    'source = "s", kind = "assumed" }\n'
)

# (label, file text, words the one error line must hold)
CASES = [
    (
        "charge-transfer-above-r0",
        _chem(
            charge_transfer_resistance_negative=_fig(
                "charge_transfer_resistance_negative", "0.6 mohm"
            ),
            charge_transfer_resistance_positive=_fig(
                "charge_transfer_resistance_positive", "0.3 mohm"
            ),
        ),
        ["_positive 0.9 mohm is above cell_resistance 0.8 mohm", "part of R0"],
    ),
    (
        "vmax-below-vmin",
        _chem(cell_voltage_max=_fig("cell_voltage_max", "2.4 V")),
        ["cell_voltage_min 2.5 V is not below cell_voltage_max 2.4 V", "correct one"],
    ),
    (
        "vmax-equals-vmin",
        _chem(
            cell_voltage_min=_fig("cell_voltage_min", "4.0 V"),
            cell_voltage_max=_fig("cell_voltage_max", "4.0 V"),
        ),
        ["cell_voltage_min 4 V is not below cell_voltage_max 4 V"],
    ),
    (
        "decreasing-ocv",
        _chem(ocv=OCV_DOWN),
        ["ocv falls from 3.7 V at 50% to 3.6 V at 60% SoC", "rises with state of charge"],
    ),
    (
        "ocv-above-charge-limit",
        _chem(cell_voltage_max=_fig("cell_voltage_max", "4.0 V")),
        ["ocv reaches 4.2 V, above cell_voltage_max 4 V"],
    ),
    (
        "soc-window-equal",
        _chem(
            usable_soc_min=_fig("usable_soc_min", "0.5"),
            usable_soc_max=_fig("usable_soc_max", "0.5"),
        ),
        ["usable_soc_min 0.5 and usable_soc_max 0.5", "usable window of 0%"],
    ),
    (
        "soc-window-narrow",
        _chem(
            usable_soc_min=_fig("usable_soc_min", "45 %"),
            usable_soc_max=_fig("usable_soc_max", "52 %"),
        ),
        ["usable_soc_min 0.45 and usable_soc_max 0.52", "less than the 10%"],
    ),
    (
        "c-rate-all-zero",
        _chem(
            charge_c_rate='charge_c_rate = { soc = [0, 100], value = [0, 0], unit = "1/h", '
            'source = "s", kind = "assumed" }\n'
        ),
        ["charge_c_rate: every value is 0", "accept no charge"],
    ),
    (
        "c-rate-negative",
        _chem(
            charge_c_rate='charge_c_rate = { soc = [0, 100], value = [2, -1], unit = "1/h", '
            'source = "s", kind = "assumed" }\n'
        ),
        ["charge_c_rate", "-1", "below the lowest allowed value 0"],
    ),
    (
        "pack-denser-than-cells",
        _chem(pack_energy_density=_fig("pack_energy_density", "900 Wh/L")),
        ["pack_energy_density 900 Wh/L is above cell_energy_density 700 Wh/L"],
    ),
    (
        "cell-dearer-than-pack",
        _chem(cell_cost=_fig("cell_cost", "200 USD/kWh")),
        ["cell_cost 200 USD/kWh is above pack_cost"],
    ),
    (
        "charger-min-above-max",
        CHARGER + _fig("min_voltage", "900 V") + _fig("max_voltage", "500 V"),
        ["min_voltage 900 V is not below max_voltage 500 V", "window is empty"],
    ),
    (
        "usable-above-gross",
        _vehicle(add=_fig("battery_gross_energy", "70 kWh")),
        ["battery_usable_energy 77.4 kWh is above battery_gross_energy 70 kWh"],
    ),
    (
        "pack-heavier-than-car",
        _vehicle(add=_fig("pack_mass", "2500 kg")),
        ["pack_mass 2500 kg is not below curb_mass 1985 kg"],
    ),
    (
        "vehicle-power-table-zero",
        _vehicle(
            replace={
                "value = [196, 200, 233, 186, 116, 191, 50, 20, 16]": "value = ["
                + "0, " * 8
                + "0]"
            }
        ),
        ["charge_power_limit: every value is 0"],
    ),
    (
        "usage-low-above-high",
        _shipped("usage", "commuter-europe").replace('"30 %"', '"90 %"'),
        ["soc_low 90 % is not below soc_high 80 %"],
    ),
    (
        "published-soc-reversed",
        _vehicle(
            replace={'soc_from = "10 %"\nsoc_to = "80 %"': 'soc_from = "80 %"\nsoc_to = "10 %"'}
        ),
        ["published[0]", "soc_from 80% and soc_to 10%"],
    ),
    (
        "published-soc-bare-fraction",
        _vehicle(replace={'soc_from = "10 %"': 'soc_from = "0.1"'}),
        ["published[0].soc_from", "ambiguous", '"10 %"'],
    ),
    (
        "published-soc-toml-fraction",
        _vehicle(replace={'soc_to = "80 %"': "soc_to = 0.8"}),
        ["published[0].soc_to", "ambiguous", '"80 %"'],
    ),
    (
        "efficiency-map-c-rate-absurd",
        _vehicle(
            add="battery_efficiency_map = { c_rate = [-1e6, 0, 5], value = [0.9, 1, 0.9], "
            'source = "s", kind = "assumed" }\n'
        ),
        ["battery_efficiency_map", "c_rate values must lie in -100 to 100"],
    ),
    (
        "table-too-long",
        _vehicle(
            drop="charge_power_limit",
            add="charge_power_limit = { soc = ["
            + ", ".join(str(i / 20) for i in range(2001))
            + "], value = ["
            + ", ".join(["100"] * 2001)
            + '], unit = "kW" }\n',
        ),
        ["2001 points; a table takes at most 1000"],
    ),
    (
        "long-quantity-text",
        CHARGER + _fig("max_current", "1" * 500 + " A"),
        ["max_current", "502 characters is too long for a quantity"],
    ),
    (
        "huge-integer",
        CHARGER + "max_current = { value = " + "9" * 400 + ', source = "s", kind = "assumed" }\n',
        ["max_current"],
    ),
]


@pytest.mark.parametrize(("label", "text", "words"), CASES, ids=[c[0] for c in CASES])
def test_inconsistent_spec_is_refused_one_line_naming_file_and_keys(
    tmp_path, run_cli, label, text, words
):
    path = tmp_path / f"{label}.toml"
    path.write_text(text)
    code, out, err = run_cli("specs", "validate", str(path))
    assert code == 1, (out, err)
    assert "Traceback" not in out + err
    lines = [ln for ln in err.splitlines() if ln.strip()]
    hits = [ln for ln in lines if all(w in ln for w in words)]
    assert hits, err
    assert hits[0].startswith(f"{path}: "), hits[0]
    assert all(len(ln) < 400 for ln in lines), "one short line per problem"


def test_usable_soc_window_closed_no_longer_divides_by_zero(tmp_path, run_cli):
    folder = tmp_path / "specs" / "chemistries"
    folder.mkdir(parents=True)
    (folder / "flat.toml").write_text(
        _chem(
            usable_soc_min=_fig("usable_soc_min", "0.5"),
            usable_soc_max=_fig("usable_soc_max", "0.5"),
        )
    )
    code, out, err = run_cli(
        "charge",
        "--battery",
        "77kWh",
        "--chemistry",
        "flat",
        "--peak-power",
        "200kW",
        "--voltage",
        "800V",
    )
    assert code in (1, 2) and "Traceback" not in out + err
    assert "flat.toml: usable_soc_min 0.5 and usable_soc_max 0.5" in err


def test_an_inherited_value_is_checked_against_the_child(tmp_path):
    folder = tmp_path / "specs" / "chemistries"
    folder.mkdir(parents=True)
    (folder / "low.toml").write_text(
        'kind = "chemistry"\ntitle = "low"\nextends = "nmc811"\n'
        + _fig("cell_voltage_max", "2.4 V")
    )
    with pytest.raises(SpecError) as err:
        catalog.load("low", "chemistry")
    assert any(
        "low.toml: cell_voltage_min 2.5 V is not below cell_voltage_max 2.4 V" in p
        for p in err.value.problems
    )


def test_every_shipped_spec_passes_the_cross_checks(run_cli):
    code, _, err = run_cli("specs", "validate", str(BUNDLED_SPECS))
    assert code == 0, err


def test_many_problems_are_capped(tmp_path, run_cli):
    path = tmp_path / "many.toml"
    path.write_text(CHARGER + "".join(f"k{i} = 1\n" for i in range(500)))
    code, _, err = run_cli("specs", "validate", str(path))
    assert code == 1
    assert "... and 470 more problem(s) in the same file" in err
    assert len(err.splitlines()) < 40


def test_long_values_are_shortened_in_messages(tmp_path, run_cli):
    path = tmp_path / "long.toml"
    path.write_text(CHARGER.replace('current_type = "dc"', 'current_type = "' + "x" * 5000 + '"'))
    code, _, err = run_cli("specs", "validate", str(path))
    assert code == 1 and "current_type" in err and " ...>" in err
    assert max(len(ln) for ln in err.splitlines()) < 300


# ---------------------------------------------------------------- enumerations


@pytest.mark.parametrize("value", ["DC", "Dc", " dc "])
def test_enumerations_are_read_in_any_case(tmp_path, value):
    path = tmp_path / "c.toml"
    path.write_text(CHARGER.replace('"dc"', f'"{value}"'))
    assert catalog.load_path(path)["current_type"] == "dc"


def test_every_enumeration_in_a_spec_accepts_any_case(tmp_path):
    path = tmp_path / "e.toml"
    text = _vehicle(add='motor_efficiency_interpolation = "Step"\n')
    text = text.replace('kind = "vehicle"', 'kind = "Vehicle"', 1).replace(
        'kind = "official"', 'kind = "OFFICIAL"'
    )
    text = text.replace('what = "charge_time"', 'what = "Charge_Time"')
    path.write_text(text)
    spec = catalog.load_path(path)
    assert spec.kind == "vehicle"
    assert spec["motor_efficiency_interpolation"] == "step"
    assert spec.provenance["consumption"].kind == "official"
    assert spec.published[0]["what"] == "charge_time"
    chem = tmp_path / "chem.toml"
    chem.write_text(_chem(ageing_model='ageing_model = "NMC811-GRSI-LGMJ1"\n'))
    assert catalog.load_path(chem)["ageing_model"] == "nmc811-grsi-lgmj1"


def test_an_unknown_enumeration_value_lists_the_allowed_ones(tmp_path, run_cli):
    path = tmp_path / "c.toml"
    path.write_text(CHARGER.replace('"dc"', '"DC-fast"'))
    code, _, err = run_cli("specs", "validate", str(path))
    assert code == 1 and f"{path}: current_type: 'DC-fast' is not one of dc, ac" in err


# ---------------------------------------------------------------- specs fields


def test_specs_fields_lists_allowed_values(run_cli, monkeypatch):
    import json

    monkeypatch.setenv("COLUMNS", "200")
    code, out, _ = run_cli("specs", "fields", "charger")
    assert code == 0
    assert "dc, ac" in out
    code, out, _ = run_cli("specs", "fields", "charger", "--json")
    assert code == 0
    (field,) = [f for f in json.loads(out) if f["name"] == "current_type"]
    assert field["choices"] == ["dc", "ac"]


@pytest.mark.parametrize("width", [40, 60, 80, 100])
@pytest.mark.parametrize("kind", ["chemistry", "vehicle", "charger", "usage"])
def test_specs_fields_keeps_names_whole_on_narrow_terminals(run_cli, monkeypatch, kind, width):
    from nevcalc.specs.schema import FIELDS

    monkeypatch.setenv("COLUMNS", str(width))
    code, out, _ = run_cli("specs", "fields", kind)
    assert code == 0
    assert "…" not in out
    assert all(len(ln.rstrip()) <= width for ln in out.splitlines())
    words = set(out.replace("│", " ").split())
    for f in FIELDS[kind].values():
        assert f.name in words, f.name  # every name whole, on one line


def test_command_line_choices_are_read_in_any_case(run_cli):
    import json

    code, out, err = run_cli("specs", "list", "CHARGER", "--json")
    assert code == 0, err
    assert {item["kind"] for item in json.loads(out)} == {"charger"}
    code, out, err = run_cli("specs", "fields", "Vehicle", "--json")
    assert code == 0, err
    code, _, err = run_cli("specs", "fields", "vehicles")
    assert code == 2 and "chemistry" in err and "vehicle" in err
