"""``nevcalc scenario run``: cases side by side and the claims put to them."""

from __future__ import annotations

import math
import sys
from typing import Any

from nevcalc.report.format import _console, display, quantity, shown
from nevcalc.scenario.scenarios import METRICS
from nevcalc.tables import Column, print_table

__all__ = [
    "render_scenario",
    "render_scenario_list",
    "scenario_csv_table",
    "scenario_document",
    "scenario_list_document",
]


def scenario_list_document(items) -> list[dict[str, str]]:
    """JSON of ``nevcalc scenario list``: a ``name, title, file`` entry per scenario.

    Parameters
    ----------
    items : list of (name, title, path)
        As :func:`nevcalc.scenario.scenarios.list_scenarios` gives them.
    """
    return [{"name": n, "title": t, "file": str(p)} for n, t, p in items]


def render_scenario_list(items, file=None) -> None:
    """A line per scenario: its name, padded to 24 characters, and its title."""
    out = sys.stdout if file is None else file
    for n, t, _p in items:
        print(f"{n:24s} {t}", file=out, flush=True)


def _metric_text(si, name: str) -> str:
    """A metric for a table cell: "-" where there is none, "never" where it is not reached."""
    if si is None or math.isnan(si):
        return "-"
    x, unit = display(si, name)
    if not math.isfinite(x):
        return "never" if x > 0 else "-"
    if unit == "%":
        return f"{x:.1f} %"
    return f"{x:,.0f}" if abs(x) >= 100 else f"{x:.3g}"


def scenario_document(ans) -> dict[str, Any]:
    """JSON of ``nevcalc scenario run``."""

    def q(si, name):
        if si is not None and si == math.inf:
            return quantity(None, name, reason="not reached within the model's horizon")
        if si is None or not math.isfinite(si):
            return quantity(None, name, reason="not computed for this case (see its notes)")
        return {"value": round(shown(si, name), 6), "unit": METRICS[name].unit}

    return {
        "scenario": ans.name,
        "title": ans.title,
        "description": ans.description,
        "cases": [
            {
                "name": c.name,
                "title": c.title,
                "metrics": {k: q(v, k) for k, v in c.metrics.items()},
                "notes": list(c.notes),
            }
            for c in ans.cases
        ],
        "claims": [
            {
                "claim": ch.text,
                "metric": ch.metric,
                "relation": ch.relation,
                "claimed": round(ch.claimed if ch.change else shown(ch.claimed, ch.metric), 6),
                "computed": None
                if math.isnan(ch.computed)
                else round(ch.computed if ch.change else shown(ch.computed, ch.metric), 6),
                "unit": "ratio" if ch.change else METRICS[ch.metric].unit,
                "holds": ch.holds,
                "verdict": ch.verdict,
                "source": ch.source,
                "kind": ch.kind,
            }
            for ch in ans.checks
        ],
        "file": ans.path,
    }


def scenario_csv_table(ans):
    """The cases of ``nevcalc scenario run`` as CSV: a row per case, a column per metric."""
    keys = [k for k in METRICS if any(c.metrics.get(k) is not None for c in ans.cases)]
    cols = [Column("case"), Column("title")]
    cols += [Column(k, unit=METRICS[k].unit) for k in keys]
    cells = []
    for c in ans.cases:
        row = [c.name, c.title]
        for k in keys:
            v = c.metrics.get(k)
            ok = v is not None and math.isfinite(v)
            row.append(float(f"{shown(v, k):.6g}") if ok else None)
        cells.append(row)
    return cols, cells


def render_scenario(ans, console=None) -> None:
    """Cases side by side, then each claim with what the models give."""
    from rich.markup import escape

    con = _console(console)
    con.print(f"[bold]{ans.title}[/bold]", highlight=False)
    if ans.description:
        con.print(ans.description, highlight=False)
    cols = [Column("metric", keep=True), Column("unit", priority=len(ans.cases) + 1)]
    cols += [
        Column(escape(c.name), numeric=True, keep=i == 0, priority=len(ans.cases) - i)
        for i, c in enumerate(ans.cases)
    ]
    rows = []
    for key, m in METRICS.items():
        unit, title = m.unit, m.title
        cells = [_metric_text(c.metrics.get(key), key) for c in ans.cases]
        if all(x == "-" for x in cells):
            continue
        rows.append([title, unit, *cells])
    print_table(cols, rows, con, get_all="--json")
    for c in ans.cases:
        con.print(f"[dim]{c.name}: {c.title}{'; ' if c.notes else ''}"
                  f"{'; '.join(c.notes)}[/dim]", highlight=False)  # fmt: skip
    for ch in ans.checks:
        unit = METRICS[ch.metric].unit
        if math.isnan(ch.computed):
            got = "not reached within 40 years"
        elif ch.change:
            got = f"x{ch.computed:.2f} ({ch.computed - 1:+.0%})"
        else:
            got = f"{_metric_text(ch.computed, ch.metric)} {unit}"
        colour = {True: "green", False: "red", None: "yellow"}[ch.holds]
        mark = f"[{colour}]{ch.verdict}[/{colour}]"
        con.print(f"claim: {ch.text} -> nevcalc {got}: {mark}", highlight=False)
        con.print(f"[dim]  {ch.kind}, {ch.source}[/dim]", highlight=False)
