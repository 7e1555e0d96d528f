"""The specs answers: tables that fit without cutting names, the fields document."""

from __future__ import annotations

import io
import json

import pytest

from nevcalc import report

WIDTHS = (60, 80, 100, 140, 200)


def _console(width: int):
    from rich.console import Console

    return Console(width=width, file=io.StringIO(), color_system=None, legacy_windows=False)


def _body_cells(text: str) -> list[list[str]]:
    """The cells of each body line of a boxed table (one list per printed line)."""
    lines = [ln for ln in text.splitlines() if ln.startswith("│")]
    return [[c.strip() for c in ln.strip("│").split("│")] for ln in lines]


def _strict(text: str):
    def refuse(name):
        raise AssertionError(f"{name} in JSON output")

    return json.loads(text, parse_constant=refuse)


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
