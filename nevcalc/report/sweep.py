"""``nevcalc sweep``: the run summary, its statistics, best rows and Pareto front."""

from __future__ import annotations

import math
from typing import Any

from nevcalc.report.format import _console
from nevcalc.sweeps.evaluate import REASONS
from nevcalc.sweeps.output import column_units
from nevcalc.tables import Column, print_table

__all__ = ["render_sweep", "sweep_document"]


def _clean(x):
    if isinstance(x, float) and not math.isfinite(x):
        return None
    if isinstance(x, dict):
        return {k: _clean(v) for k, v in x.items()}
    if isinstance(x, list):
        return [_clean(v) for v in x]
    return x


def sweep_document(res) -> dict[str, Any]:
    """JSON run summary of ``nevcalc sweep``."""
    doc = {
        "title": res.plan.title,
        "scenarios": res.scenarios,
        "seconds": round(res.seconds, 4),
        "scenarios_per_second": round(res.scenarios_per_second, 1),
        "output": res.output,
        "engine": res.engine,
        "chunks": res.chunks,
        "shape": list(res.plan.shape),
        "charging_profiles": res.stats.get("charge_pairs"),
        "health_points": res.stats.get("health_points"),
        "trip_plans": res.stats.get("trip_plans"),
        "notes": list(res.plan.notes),
    }
    if res.columns is not None:
        reason = res.columns["reason"]
        doc["infeasible"] = int((reason != 0).sum())
    if res.summary is not None:
        doc["summary"] = _clean(res.summary)
    return doc


def _sweep_num(x) -> str:
    if x is None:
        return "-"
    if isinstance(x, float) and math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return f"{x:.4g}"


def _stat_priority(head: str) -> int:
    """Which statistics a narrow terminal keeps longest: mean, min, max, then the median."""
    if head in ("mean", "min", "max"):
        return 4
    if head == "50 %":
        return 3
    return 2


def _sweep_row_text(res, row: dict, skip=()) -> str:
    """Which row: its number (draw and grid point for Monte Carlo) and its inputs."""
    plan = res.plan
    inputs = [a.field for d in plan.dims for a in d.axes] + [a.field for a in plan.random]
    units = column_units(inputs)
    where = f"row {row['row']:,}"
    if "draw" in row:
        where += f" (draw {row['draw']:,} of grid point {row['grid_point']:,})"
    parts = []
    for k in inputs:
        if k in skip or k not in row:
            continue
        v = row[k]
        parts.append(f"{k} {v}" if isinstance(v, str) else f"{k} {v:.4g} {units[k]}".rstrip())
    return where + (": " + ", ".join(parts) if parts else "")


def _render_one_row_groups(s, group_units, con) -> None:
    """Groups of one answered row each (``group_by`` names every axis that varies): one
    table, a line per group and a column per metric, instead of a table per group."""
    keys = list(s["groups"][0]["group"])
    metrics = list(s["groups"][0]["metrics"])
    units = {m: d["unit"] for m, d in s["groups"][0]["metrics"].items()}
    last = [k.rsplit(".", 1)[-1] for k in keys]  # "route.speed" -> "speed" when unambiguous
    cols = [Column(b if last.count(b) == 1 else k, unit=group_units[k], keep=True, csv=k)
            for k, b in zip(keys, last, strict=True)]  # fmt: skip
    cols += [Column(f"{m} ({units[m]})" if units[m] else m, unit=units[m], numeric=True,
                    csv=m) for m in metrics]  # fmt: skip
    rows = []
    for g in s["groups"]:
        row = [v if isinstance(v, str) else f"{v:g} {group_units[k]}".rstrip()
               for k, v in g["group"].items()]  # fmt: skip
        rows.append(row + [_sweep_num(g["metrics"][m]["mean"]) for m in metrics])
    print_table(cols, rows, con, title="one row per " + " x ".join(keys), get_all="--json")


def render_sweep(res, console=None) -> None:
    """One paragraph on the run, then the summary tables when there are any."""
    con = _console(console)
    shape = " x ".join(str(s) for s in res.plan.shape) or "1"
    con.print(
        f"[bold]{res.plan.title or 'sweep'}[/bold]: {res.scenarios:,} scenarios ({shape}) in "
        f"{res.seconds:.2f} s, {res.scenarios_per_second:,.0f} a second "
        f"({res.engine}, {res.chunks} chunk{'s' if res.chunks != 1 else ''}; "
        f"{res.stats.get('charge_pairs', 0):,} charging profiles"
        + (f", {res.stats['trip_plans']:,} trip plans" if "trip_plans" in res.stats else "")
        + ")",
        highlight=False,
    )
    for note in res.plan.notes:
        con.print(note, highlight=False)
    if res.output:
        con.print(f"written to {res.output}", highlight=False)
    s = res.summary
    if not s:
        if res.columns is not None and not res.output:
            con.print("(rows kept in memory; -o OUT.parquet writes them, --summary sums them)")
        return
    con.print(f"{s['infeasible']:,} of {s['rows']:,} rows unanswered", highlight=False)
    for code, n in s["reasons"].items():
        con.print(f"  reason {code} ({REASONS.get(int(code), '?')}): {n:,} rows", highlight=False)
    grouped = {a for g in s["groups"] for a in g["group"]}
    group_units = column_units(sorted(grouped))
    if s["groups"] and grouped and all(g["answered"] == 1 for g in s["groups"]):
        _render_one_row_groups(s, group_units, con)
        return
    how = (
        "exact"
        if s["quantiles_exact"]
        else f"from histograms, within {s['quantile_bound']:.2%} of the exact figures"
    )
    con.print(
        f"Statistics over the answered rows; quantiles {how} (the smallest row value with at "
        "least that share of rows at or below it). inf rows (years_to_80 beyond 40 years) "
        "count in every statistic; --json adds finite_mean.",
        highlight=False,
    )
    qs = s["quantiles"]
    any_inf = any(d["inf"] or d["neg_inf"] for g in s["groups"] for d in g["metrics"].values())
    for g in s["groups"]:
        label = ", ".join(f"{k} {v}" if isinstance(v, str) else f"{k} {v:g} {group_units[k]}"
                          for k, v in g["group"].items()) or "all rows"  # fmt: skip
        if g["answered"] == 0:
            con.print(f"{label}: {g['rows']:,} rows, none answered", highlight=False)
            continue
        title = f"{label}: {g['answered']:,} of {g['rows']:,} rows answered"
        heads = ["mean", "min", *(f"{float(q[1:]):g} %" for q in qs), "max"]
        cols = [Column("metric", keep=True), Column("unit", keep=True)]
        # the quantiles go first when the terminal is narrow, the outer ones before the median
        cols += [Column(h, numeric=True, priority=_stat_priority(h)) for h in heads]
        cols += [Column("inf rows", numeric=True, priority=1)] if any_inf else []
        rows = []
        for m, d in g["metrics"].items():
            row = [m, d["unit"], *(_sweep_num(d[k]) for k in ("mean", "min", *qs, "max"))]
            row += [f"{d['inf'] + d['neg_inf']:,}"] if any_inf else []
            rows.append(row)
        print_table(cols, rows, con, title=title, get_all="--json")
        for m, row in g["best"].items():
            unit = g["metrics"][m]["unit"]
            con.print(
                f"  {s['goals'][m]} {m}: {_sweep_num(row[m])} {unit}".rstrip()
                + f", {_sweep_row_text(res, row, grouped)}",
                highlight=False,
            )
    if "pareto" in s:
        a, b = s["pareto"]["metrics"]
        front = s["pareto"]["rows"]
        con.print(
            f"Pareto front of {a} ({s['goals'][a]}) and {b} ({s['goals'][b]}): "
            f"{len(front)} rows" + (" (the first 10)" if len(front) > 10 else ""),
            highlight=False,
        )
        units = {m: d["unit"] for g in s["groups"] for m, d in g["metrics"].items()}
        for row in front[:10]:
            con.print(
                f"  {a} {_sweep_num(row[a])} {units.get(a, '')}, "
                f"{b} {_sweep_num(row[b])} {units.get(b, '')}; {_sweep_row_text(res, row)}",
                highlight=False,
            )
