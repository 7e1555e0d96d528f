"""The specs answers: tables that fit without cutting names, the fields document."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from nevcalc import report
from tests.helpers import strict_json as _strict

WIDTHS = (60, 80, 100, 140, 200)


def _console(width: int):
    from rich.console import Console

    return Console(width=width, file=io.StringIO(), color_system=None, legacy_windows=False)


def _body_cells(text: str) -> list[list[str]]:
    """The cells of each body line of a boxed table (one list per printed line)."""
    lines = [ln for ln in text.splitlines() if ln.startswith("│")]
    return [[c.strip() for c in ln.strip("│").split("│")] for ln in lines]


@pytest.mark.parametrize("width", WIDTHS)
def test_specs_tables_fit_without_cutting_names(width):
    from nevcalc import catalog
    from nevcalc.specs.schema import FIELDS

    con = _console(width)
    report.render_fields("vehicle", console=con)
    out = con.file.getvalue()
    assert "…" not in out and max(len(ln) for ln in out.splitlines()) <= width
    for name in FIELDS["vehicle"]:
        assert any(c == name for line in _body_cells(out) for c in line[:1]), name
    items = [(k, n, catalog.load(n, k).title, p) for k, n, p in catalog.list_specs("vehicle")]
    con = _console(width)
    report.render_spec_list(items, console=con)
    out = con.file.getvalue()
    assert "…" not in out and max(len(ln) for ln in out.splitlines()) <= width
    for _k, n, _t, _p in items:
        assert n in out
    con = _console(width)
    report.render_spec(catalog.load("kia-ev6-77", "vehicle"), console=con)
    out = con.file.getvalue()
    assert "…" not in out and "77.4 kWh" in out


def test_specs_fields_json_lists_allowed_values(run_cli):
    code, out, err = run_cli("specs", "fields", "charger", "--json")
    assert code == 0, err
    fields = {f["name"]: f for f in _strict(out)}
    assert fields["current_type"]["choices"] == ["dc", "ac"]
    assert fields["max_power"]["bounds"]["unit"] == "kW"
    code, out, err = run_cli("specs", "fields", "charger")
    assert code == 0 and "dc, ac" in out


# --- one spec's document: figures back in their canonical unit, with their source -----

CHARGER = """kind = "charger"
title = "Test charger"
current_type = "dc"
max_power = { value = "0.35 MW", source = "https://example.org/a", kind = "claimed" }
max_current = { value = "500000 mA", source = "https://example.org/b", kind = "measured" }
max_voltage = "1 kV"
min_voltage = "150 V"
efficiency = "95 %"

[provenance]
source = "https://example.org/default"
kind = "assumed"
"""


@pytest.fixture
def charger_spec(tmp_path):
    from nevcalc import catalog

    folder = tmp_path / "specs" / "chargers"  # ./specs of the test's own folder
    folder.mkdir(parents=True)
    (folder / "test-charger.toml").write_text(CHARGER)
    return catalog.load("test-charger", "charger")


def test_spec_document_gives_each_figure_in_the_schemas_unit(charger_spec):
    doc = json.loads(json.dumps(report.spec_document(charger_spec), allow_nan=False))
    assert (doc["kind"], doc["name"], doc["title"]) == ("charger", "test-charger", "Test charger")
    f = doc["fields"]
    # 0.35 MW = 350 kW; 500 000 mA = 500 A; 1 kV = 1000 V; 95 % = 0.95
    assert (f["max_power"]["value"], f["max_power"]["unit"]) == (350.0, "kW")
    assert (f["max_current"]["value"], f["max_current"]["unit"]) == (500.0, "A")
    assert (f["max_voltage"]["value"], f["max_voltage"]["unit"]) == (1000.0, "V")
    assert f["efficiency"]["value"] == pytest.approx(0.95)
    assert f["current_type"] == {"value": "dc"}
    # provenance travels with the figure; a bare figure takes the file's default
    assert (f["max_power"]["kind"], f["max_power"]["source"]) == (
        "claimed",
        "https://example.org/a",
    )
    assert f["max_current"]["kind"] == "measured"
    assert (f["max_voltage"]["kind"], f["max_voltage"]["source"]) == (
        "assumed",
        "https://example.org/default",
    )


def test_render_spec_lists_every_field_with_its_unit(charger_spec):
    con = _console(200)
    report.render_spec(charger_spec, con)
    rows = {cells[0]: cells for cells in _body_cells(con.file.getvalue()) if cells[0]}
    assert rows["max_power"][1] == "350 kW" and rows["max_power"][2] == "claimed"
    assert rows["max_voltage"][1] == "1000 V"
    assert rows["max_current"][3] == "https://example.org/b"


def test_spec_list_document_has_one_entry_per_item_with_text_paths(tmp_path, monkeypatch):
    """Paths below the current folder are named from it; others in full."""
    here = tmp_path / "work"
    here.mkdir()
    monkeypatch.chdir(here)
    outside = tmp_path / "elsewhere.toml"
    items = [("charger", "a", "A charger", here / "a.toml"), ("usage", "b", "B", here),
             ("vehicle", "c", "C", outside)]  # fmt: skip
    doc = report.spec_list_document(items)
    assert doc == [
        {"kind": "charger", "name": "a", "title": "A charger", "path": "a.toml"},
        {"kind": "usage", "name": "b", "title": "B", "path": "."},
        {"kind": "vehicle", "name": "c", "title": "C", "path": str(outside)},
    ]
    json.dumps(doc)  # plain JSON


def test_spec_list_document_names_shipped_specs_from_the_package():
    from nevcalc import catalog

    doc = report.spec_list_document(catalog.list_titles("vehicle")[0])
    assert doc and all(not Path(d["path"]).is_absolute() for d in doc)


def test_render_validation_counts_problems_on_stderr_or_says_ok():
    from pathlib import Path

    from nevcalc.validate import Validation

    out, err = io.StringIO(), io.StringIO()
    report.render_validation(Validation((Path("a.toml"),) * 3, ()), out=out, err=err)
    assert (out.getvalue(), err.getvalue()) == ("ok: 3 spec file(s) valid\n", "")
    out, err = io.StringIO(), io.StringIO()
    bad = Validation((Path("a.toml"), Path("b.toml")), ("a.toml: x: bad", "b.toml: y: bad"))
    report.render_validation(bad, out=out, err=err)
    assert out.getvalue() == ""
    assert err.getvalue().splitlines() == [
        "a.toml: x: bad",
        "b.toml: y: bad",
        "2 problem(s) in 2 file(s)",
    ]


def test_render_validation_lines_reach_a_buffered_stream_at_once():
    """Standard error in a pipe or a test runner is buffered; the lines are flushed, so
    they are there before the exit code is set (and nothing is lost on a hard exit)."""
    from pathlib import Path

    from nevcalc.validate import Validation

    raw = io.BytesIO()
    err = io.TextIOWrapper(raw, encoding="utf-8")
    report.render_validation(Validation((Path("a.toml"),), ("a.toml: x: bad",)), err=err)
    assert raw.getvalue().decode().splitlines() == ["a.toml: x: bad", "1 problem(s) in 1 file(s)"]
