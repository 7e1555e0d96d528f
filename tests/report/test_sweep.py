"""The sweep run summary's document and rendering (nevcalc.report.sweep)."""

from __future__ import annotations

import io
import json
import math

import nevcalc
from nevcalc.report import render_sweep, sweep_document
from nevcalc.report.sweep import _clean

DOC = {
    "kind": "sweep",
    "title": "three chargers",
    "base": {"vehicle": "kia-ev6-77", "charger": "ionity-350", "usage": "private-china"},
    "axis": [{"field": "charger.max_power", "values": ["50 kW", "150 kW", "350 kW"]}],
    "outputs": ["charge_10_80", "running_cost_per_km"],
}


def test_document_states_the_run():
    res = nevcalc.sweep(DOC)
    doc = json.loads(json.dumps(sweep_document(res), allow_nan=False))
    assert doc["title"] == "three chargers"
    assert doc["scenarios"] == 3 and doc["shape"] == [3]
    assert doc["infeasible"] == 0
    assert doc["seconds"] >= 0 and doc["scenarios_per_second"] >= 0
    assert isinstance(doc["notes"], list)


def test_infinities_and_nan_leave_as_null():
    x = {"a": [1.0, math.inf, {"b": -math.inf, "c": math.nan}], "d": "text", "e": 2}
    assert _clean(x) == {"a": [1.0, None, {"b": None, "c": None}], "d": "text", "e": 2}


def test_rendering_states_title_count_and_shape():
    from rich.console import Console

    out = io.StringIO()
    render_sweep(nevcalc.sweep(DOC), Console(width=200, file=out, color_system=None))
    first = out.getvalue().splitlines()[0]
    assert first.startswith("three chargers: 3 scenarios (3) in ")


def test_rendering_of_a_summary_has_a_row_per_metric_with_its_unit():
    from rich.console import Console

    from nevcalc.metrics import METRICS

    res = nevcalc.sweep(dict(DOC, summary={"quantiles": [0.5]}), summary=True, stream=True)
    out = io.StringIO()
    render_sweep(res, Console(width=200, file=out, color_system=None))
    text = out.getvalue()
    assert "0 of 3 rows unanswered" in text
    for m in DOC["outputs"]:
        line = next(ln for ln in text.splitlines() if f" {m} " in ln)
        assert METRICS[m].unit in line
