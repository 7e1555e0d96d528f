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


def test_summary_numbers_are_never_cut_at_any_terminal_width():
    """A narrow terminal leaves statistics out (and says which), never cuts a number."""
    from rich.console import Console

    res = nevcalc.sweep(dict(DOC, summary={"quantiles": [0.05, 0.5, 0.95]}), summary=True,
                        stream=True)  # fmt: skip
    metric = res.summary["groups"][0]["metrics"]["running_cost_per_km"]
    numbers = {k: f"{metric[k]:.4g}" for k in ("mean", "min", "max")}
    for width in (40, 60, 80, 100, 140, 200):
        out = io.StringIO()
        render_sweep(res, Console(width=width, file=out, color_system=None))
        text = out.getvalue()
        assert "…" not in text, (width, text)
        flat = " ".join(text.split())
        note = flat.partition("left out for the terminal's width:")[2].partition("(")[0]
        for k, n in numbers.items():
            assert n in text or k in note.replace(",", " ").split(), (width, k, n, text)
        assert max(len(line) for line in text.splitlines()) <= width, (width, text)
    assert all(n in text for n in numbers.values()), text  # all shown at 200 columns
