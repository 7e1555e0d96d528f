"""The scenario answer's document: CSV equal to the JSON, never-reached metrics."""

from __future__ import annotations

import csv
import io
import math

import pytest

from nevcalc import report
from tests.helpers import check_quantities as _check_quantities
from tests.helpers import strict_json as _strict


def _console(width: int):
    from rich.console import Console

    return Console(width=width, file=io.StringIO(), color_system=None, legacy_windows=False)


def test_scenario_csv_matches_its_json(run_cli):
    code, out, err = run_cli("scenario", "run", "byd-super-e-platform", "--csv")
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    _, jout, _ = run_cli("scenario", "run", "byd-super-e-platform", "--json")
    cases = _strict(jout)["cases"]
    assert [r["case"] for r in rows] == [c["name"] for c in cases]
    for r, c in zip(rows, cases, strict=True):
        m = c["metrics"]["km_in_5_min"]
        assert float(r[f"km_in_5_min [{m['unit']}]"]) == pytest.approx(m["value"], rel=1e-5)


def test_scenario_metrics_that_are_never_reached_read_never_and_carry_a_reason():
    from types import SimpleNamespace

    case = SimpleNamespace(
        name="a", title="A", notes=(),
        metrics={"years_to_80": math.inf, "range": math.nan, "charge_10_80": 600.0},
    )  # fmt: skip
    ans = SimpleNamespace(name="s", title="S", description="", cases=[case], checks=[], path="x")
    doc = report.scenario_document(ans)
    m = doc["cases"][0]["metrics"]
    assert m["years_to_80"]["value"] is None and "not reached" in m["years_to_80"]["reason"]
    assert m["range"]["value"] is None and m["range"]["reason"]
    assert m["charge_10_80"] == {"value": 10.0, "unit": "min"}
    _check_quantities(doc)
    con = _console(100)
    report.render_scenario(ans, console=con)
    out = con.file.getvalue()
    assert "never" in out and "inf" not in out and "nan" not in out


def test_scenario_list_document_and_lines(tmp_path):
    items = [("fast-claims", "Fast-charging claims", tmp_path / "f.toml"), ("x", "Y", tmp_path)]
    assert report.scenario_list_document(items) == [
        {"name": "fast-claims", "title": "Fast-charging claims", "file": str(tmp_path / "f.toml")},
        {"name": "x", "title": "Y", "file": str(tmp_path)},
    ]
    out = io.StringIO()
    report.render_scenario_list(items, file=out)
    lines = out.getvalue().splitlines()
    assert lines == [f"{'fast-claims':24s} Fast-charging claims", f"{'x':24s} Y"]
    assert lines[1].index("Y") == 25  # titles start in one column
