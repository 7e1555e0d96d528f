"""Bad input gets a clear error naming the file, the key or option, and the fix; no traceback."""

from __future__ import annotations

import pytest

from nevcalc.io import BUNDLED_SPECS

CHARGER = """kind = "charger"
title = "t"
current_type = "dc"
max_power = { value = "150 kW", source = "s", kind = "assumed" }
max_current = { value = "400 A", source = "s", kind = "assumed" }
max_voltage = { value = "920 V", source = "s", kind = "assumed" }
"""


def _vehicle_text():
    return (BUNDLED_SPECS / "vehicles" / "kia-ev6-77.toml").read_text()


def _figure(key, value):
    return f'{key} = {{ value = "{value}", source = "s", kind = "assumed" }}\n'


# (file name, text, expected words in the error)
SPEC_CASES = [
    ("wrong-dimension", CHARGER + _figure("efficiency", "3 kg"), ["efficiency", "kg"]),
    (
        "energy-as-mass",
        _vehicle_text().replace('"77.4 kWh"', '"83 kg"', 1),
        ["battery_usable_energy", "energy", "mass"],
    ),
    (
        "unknown-key",
        CHARGER + _figure("max_powr", "1 kW"),
        ["max_powr", "did you mean 'max_power'"],
    ),
    ("broken-toml", CHARGER + "max_voltage = [\n", ["not valid TOML"]),
    ("nan-text", CHARGER.replace('"150 kW"', '"nan kW"'), ["max_power", "finite"]),
    (
        "nan-toml",
        CHARGER + "efficiency = { value = nan, source = 's', kind = 'assumed' }\n",
        ["efficiency", "finite"],
    ),
    ("negative-power", CHARGER.replace('"150 kW"', '"-150 kW"'), ["max_power", "below"]),
    ("efficiency-1.3", CHARGER + _figure("efficiency", "1.3"), ["efficiency", "above"]),
    ("absurd-power", CHARGER.replace('"150 kW"', '"1e9 kW"'), ["max_power", "above"]),
    ("absurd-voltage", CHARGER.replace('"920 V"', '"5 MV"'), ["max_voltage", "above"]),
    ("empty", "", ["empty"]),
    ("whitespace", "  \n\n ", ["empty"]),
    (
        "missing-required",
        CHARGER.replace('max_power = { value = "150 kW", source = "s", kind = "assumed" }\n', ""),
        ["max_power", "missing required"],
    ),
    ("missing-kind", CHARGER.replace('kind = "charger"\n', ""), ["kind", "missing"]),
    (
        "unknown-kind",
        CHARGER.replace('kind = "charger"', 'kind = "chargr"'),
        ["did you mean 'charger'"],
    ),
    (
        "bad-provenance-kind",
        CHARGER.replace('kind = "assumed" }', 'kind = "clamed" }', 1),
        ["clamed", "claimed"],
    ),
    ("no-source", CHARGER + 'efficiency = "0.9"\n', ["efficiency", "no source"]),
    (
        "provenance-first",
        'kind = "charger"\n[provenance]\nsource = "s"\nkind = "assumed"\n'
        'title = "t"\ncurrent_type = "dc"\nmax_power = "1 kW"\n',
        ["move [provenance] to the end"],
    ),
    (
        "choice",
        CHARGER.replace('current_type = "dc"', 'current_type = "DC-fast"'),
        ["current_type", "dc, ac"],
    ),
    ("c-rate-in-power", CHARGER.replace('"150 kW"', '"4C"'), ["max_power", "power"]),
    (
        "cycles-as-energy",
        _vehicle_text().replace('"77.4 kWh"', '"2000 cycles"', 1),
        ["battery_usable_energy", "energy"],
    ),
    (
        "missing-chemistry",
        _vehicle_text().replace('chemistry = "nmc811"', 'chemistry = "unobtainium"'),
        ["chemistry", "unobtainium"],
    ),
    ("table-soc-range", _vehicle_text().replace("soc = [0,", "soc = [-10,", 1), ["soc", "0-100"]),
    (
        "table-not-increasing",
        CHARGER.replace('kind = "charger"', 'kind = "vehicle"')[:0]
        + _vehicle_text().replace("soc = [0, 2,", "soc = [0, 0,", 1),
        ["strictly increasing"],
    ),
    ("table-length", _vehicle_text().replace("value = [196,", "value = [", 1), ["same length"]),
    (
        "bool-value",
        CHARGER + "efficiency = { value = true, source = 's', kind = 'assumed' }\n",
        ["efficiency", "boolean"],
    ),
]


def _write(tmp_path, name, text, raw=None):
    path = tmp_path / f"{name}.toml"
    if raw is not None:
        path.write_bytes(raw)
    else:
        path.write_text(text)
    return path


@pytest.mark.parametrize(("name", "text", "words"), SPEC_CASES, ids=[c[0] for c in SPEC_CASES])
def test_bad_spec_file_is_refused_clearly(tmp_path, run_cli, name, text, words):
    path = _write(tmp_path, name, text)
    code, out, err = run_cli("specs", "validate", str(path))
    assert code == 1, (out, err)
    assert "Traceback" not in out + err
    assert str(path) in err
    for w in words:
        assert w in err, err


def test_byte_order_mark_is_accepted(tmp_path, run_cli):
    path = _write(tmp_path, "bom", "", raw=b"\xef\xbb\xbf" + CHARGER.encode())
    code, out, err = run_cli("specs", "validate", str(path))
    assert code == 0, err
    assert "valid" in out


def test_not_utf8_is_refused(tmp_path, run_cli):
    path = _write(
        tmp_path, "latin1", "", raw=CHARGER.replace('"t"', '"caf\xe9"').encode("latin-1")
    )
    code, _, err = run_cli("specs", "validate", str(path))
    assert code == 1 and "UTF-8" in err


def test_circular_and_missing_extends(tmp_path, run_cli):
    folder = tmp_path / "specs" / "chargers"
    folder.mkdir(parents=True)
    (folder / "a.toml").write_text('kind = "charger"\nextends = "b"\n')
    (folder / "b.toml").write_text('kind = "charger"\nextends = "a"\n')
    (folder / "c.toml").write_text('kind = "charger"\nextends = "nowhere"\n')
    code, _, err = run_cli("specs", "validate", str(folder / "a.toml"))
    assert code == 1 and "circular" in err
    code, _, err = run_cli("specs", "validate", str(folder / "c.toml"))
    assert code == 1 and "nowhere" in err


def test_empty_folder_and_missing_path(tmp_path, run_cli):
    code, _, err = run_cli("specs", "validate", str(tmp_path))
    assert code == 1 and "no .toml" in err
    code, _, err = run_cli("specs", "validate", str(tmp_path / "nope.toml"))
    assert code == 1 and "no such file" in err


# CLI calls: (args, exit code, expected words on stderr)
CLI_CASES = [
    (["charge", "kia-ev7"], 2, ["kia-ev7", "did you mean", "kia-ev6-77"]),
    (
        [
            "charge",
            "--battery",
            "77kg",
            "--chemistry",
            "nmc811",
            "--peak-power",
            "240kW",
            "--voltage",
            "800V",
        ],
        2,
        ["battery", "energy", "mass"],
    ),
    (["charge", "kia-ev6-77", "--from", "120%"], 2, ["0-100 %"]),
    (["charge", "kia-ev6-77", "--from", "50%", "--to", "5%"], 2, ["above the start", "swap"]),
    (["charge", "kia-ev6-77", "--minutes", "-3"], 2, ["minutes", "positive"]),
    (["charge", "kia-ev6-77", "--add", "400 kg"], 2, ["add", "length"]),
    (["charge", "kia-ev6-77", "--charger", "nonexistent"], 2, ["nonexistent", "charger"]),
    (["charge", "--peak-power", "240kW", "--voltage", "800V"], 2, ["--battery", "VEHICLE"]),
    (["charge"], 2, ["VEHICLE"]),
    (["charge", "kia-ev6-77", "--frm", "10%"], 2, ["--frm"]),
    (["charge", "kia-ev6-77", "--battery", "50kWh"], 2, ["ad-hoc"]),
    (
        [
            "charge",
            "--battery",
            "77kWh",
            "--chemistry",
            "unobtainium",
            "--peak-power",
            "240",
            "--voltage",
            "800",
        ],
        2,
        ["--chemistry", "unobtainium"],
    ),
    (
        [
            "charge",
            "--battery",
            "77kWh",
            "--chemistry",
            "nmc811",
            "--peak-power",
            "240",
            "--voltage",
            "nan V",
        ],
        2,
        ["voltage", "finite"],
    ),
    (["compare", "nonexistent"], 2, ["nonexistent"]),
    (["specs", "show", "nonexistent"], 2, ["nonexistent"]),
    (["specs", "list", "badkind"], 2, ["badkind"]),
    (["range", "vw-id4-77", "--cycle", "nocycle"], 2, ["nocycle", "cycle"]),
    (["range", "vw-id4-77", "--chemistry", "solid-state"], 2, ["--keep"]),
    (["range", "--mass", "1950", "--cd", "0.3"], 2, ["--battery"]),
    (["range", "--battery", "77kWh", "--mass", "19 m", "--cd", "0.3"], 2, ["mass"]),
    (["range", "vw-id4-77", "--target-range", "600km"], 2, ["--keep range"]),
]


@pytest.mark.parametrize(
    ("args", "code", "words"), CLI_CASES, ids=[" ".join(c[0]) for c in CLI_CASES]
)
def test_bad_cli_call_is_refused_clearly(run_cli, args, code, words):
    got, out, err = run_cli(*args)
    assert got == code, (out, err)
    assert "Traceback" not in out + err
    assert err.startswith("nevcalc: error:") or "Usage" in err or "Error" in err
    for w in words:
        assert w in err, err


def test_a_bare_number_for_peak_power_is_kw(run_cli):
    code, out, err = run_cli("charge", "--battery", "77.4", "--chemistry", "nmc811",
                             "--peak-power", "240", "--voltage", "800", "--json")  # fmt: skip
    assert code == 0, err
    assert '"duration"' in out
