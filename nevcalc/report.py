"""Putting units back on: JSON documents, rich tables and terminal charts.

Quantities leave nevcalc as ``{"value": number, "unit": "pint unit"}``; a
value that does not exist (a charge that never reaches its target) is
``null`` with the reason alongside. rich is imported only when rendering for
people, so ``--json`` stays fast.
"""

from __future__ import annotations

import math
from typing import Any

__all__ = [
    "OUTPUT_UNITS",
    "charge_document",
    "compare_csv_table",
    "compare_document",
    "compare_table",
    "cost_document",
    "fields_document",
    "health_document",
    "money",
    "quantity",
    "range_csv_table",
    "range_document",
    "render_charge",
    "render_compare",
    "render_cost",
    "render_fields",
    "render_health",
    "render_range",
    "render_spec",
    "render_spec_list",
    "scenario_csv_table",
    "spec_document",
    "trend_csv_table",
]

#: Units results are reported in, and their factor from SI.
OUTPUT_UNITS = {
    "min": 60.0,
    "kWh": 3.6e6,
    "kW": 1e3,
    "km": 1e3,
    "%": 0.01,
    "V": 1.0,
    "A": 1.0,
    "kWh/(100 km)": 3.6e6 / 1e5,
    "kg": 1.0,
    "L": 1e-3,
    "USD": 1.0,
}

_LIMIT_STYLE = {
    "charger power": "magenta",
    "charger current": "blue",
    "vehicle power": "green",
    "vehicle current": "cyan",
    "cell C-rate": "yellow",
    "CV": "red",
    "charger voltage": "bright_red",
    "booster power": "bright_magenta",
    "charger min voltage": "red",
}


def _why_null(si) -> str:
    if si is None:
        return "not available for this case"
    if math.isnan(si):
        return "undefined for this case"
    return "unbounded: never reached" if si > 0 else "unbounded"


def quantity(
    si: float | None, unit: str, digits: int = 4, reason: str | None = None
) -> dict[str, Any]:
    """``{"value": ..., "unit": ...}`` from an SI float, in one of :data:`OUTPUT_UNITS`.

    A value that is missing or not finite (also after the change of unit)
    becomes ``{"value": null, "unit": ..., "reason": ...}``: ``reason`` if
    given, else a generic one. JSON documents never carry inf or NaN.
    """
    value = None if si is None else float(si) / OUTPUT_UNITS[unit]
    if value is None or not math.isfinite(value):
        return {"value": None, "unit": unit, "reason": reason or _why_null(si)}
    return {"value": float(f"{value:.{digits}g}"), "unit": unit}


def money(
    amount: float | None, unit: str, digits: int = 4, reason: str | None = None
) -> dict[str, Any]:
    """A quantity already in ``unit`` (a currency, or currency per km), to ``digits`` figures."""
    if amount is None or not math.isfinite(float(amount)):
        return {"value": None, "unit": unit, "reason": reason or _why_null(amount)}
    return {"value": float(f"{float(amount):.{digits}g}"), "unit": unit}


def charge_document(ans) -> dict[str, Any]:
    """The JSON document of a :class:`nevcalc.scenario.ChargeAnswer`."""
    doc: dict[str, Any] = {
        "vehicle": ans.vehicle.name,
        "charger": ans.charger.name,
        "soc_from": quantity(ans.soc_from, "%"),
        "soc_to": quantity(ans.soc_to, "%"),
        "feasible": ans.feasible,
        "reason": ans.reason,
        "duration": quantity(ans.duration, "min"),
        "soc_reached": quantity(ans.soc_reached, "%"),
        "charging_time": quantity(ans.charging_time, "min"),
        "stop_limit": ans.stop_limit or None,
        "energy_to_battery": quantity(ans.energy_to_battery, "kWh"),
        "energy_stored": quantity(ans.energy_stored, "kWh"),
        "energy_from_grid": quantity(ans.energy_from_grid, "kWh"),
        "losses": quantity(max(ans.energy_from_grid - ans.energy_stored, 0.0), "kWh"),
        "average_power": quantity(ans.average_power, "kW"),
        "peak_power": quantity(ans.peak_power, "kW"),
        "booster": ans.booster,
        "segments": [
            {"soc_from": quantity(a, "%"), "soc_to": quantity(b, "%"), "limit": name}
            for a, b, name in ans.segments
        ],
    }
    if ans.minutes is not None:
        doc["minutes"] = quantity(ans.minutes, "min")
        doc["soc_after"] = quantity(ans.soc_after, "%")
        doc["range_added"] = quantity(ans.range_added, "km")
    if ans.distance is not None:
        doc["distance"] = quantity(ans.distance, "km")
        doc["minutes_to_add"] = quantity(ans.minutes_to_add, "min")
        soc_add = ans.soc_add if ans.soc_add is not None and ans.soc_add <= 1 else None
        doc["soc_add"] = quantity(soc_add, "%")
        doc["add_reason"] = ans.add_reason
    doc["assumptions"] = list(ans.assumptions)
    return doc


def compare_document(rows, ranges=None, healths=None, costs=None) -> dict[str, Any]:
    """The JSON document of ``nevcalc compare``: one entry per vehicle and charger."""
    out = []
    for i, a in enumerate(rows):
        doc = charge_document(a)
        r = ranges[i] if ranges else None
        no_road = "no road-load figures in the vehicle's spec (curb mass, drag)"
        doc["range"] = quantity(None if r is None else r.range, "km", reason=no_road)
        doc["range_cycle"] = None if r is None else r.title
        doc["consumption"] = quantity(
            None if r is None else r.consumption, "kWh/(100 km)", reason=no_road
        )
        if healths:
            h = healths[i]
            doc["capacity_year_8"] = quantity(
                None if h is None else h.capacity[7],
                "%",
                reason="no ageing model or cycle life for the chemistry",
            )
            doc["ageing_model"] = None if h is None else h.model
        if costs:
            c = costs[i]
            doc["running_cost_per_km"] = money(
                None if c is None else float(c.parts.per_km),
                "USD/km",
                reason="no running cost: the car lacks consumption or road-load figures, or "
                "cannot charge on this charger (`nevcalc cost VEHICLE --charger NAME` says which)",
            )
        out.append(doc)
    return {"vehicles": out}


def _compare_limit_text(a) -> str:
    return _segments_text(a.segments, short=True)


def compare_table(rows, ranges=None, healths=None, costs=None):
    """Columns and cells of the ``nevcalc compare`` table, and footnotes.

    Returns
    -------
    columns : list of nevcalc.tables.Column
    cells : list of list of str
    notes : list of str
        One line per charge that cannot be done, with its reason.
    """
    from rich.markup import escape

    from nevcalc.tables import Column

    first = rows[0]
    minutes = first.minutes / 60 if first.minutes else 10
    several = len({a.charger.name for a in rows}) > 1
    cols = [
        Column("vehicle", keep=True),
        Column("chemistry", priority=1),
        Column("kWh", numeric=True, priority=6),
        *([Column("charger", keep=True)] if several else []),
        Column("time", numeric=True, priority=10),
        Column(f"km in {minutes:.0f} min", numeric=True, priority=9),
        Column("peak kW", numeric=True, priority=7),
        Column("range", numeric=True, priority=4),
        Column("kWh/100 km", numeric=True, priority=2),
        Column("cap. y8", numeric=True, priority=3),
        *([Column("USD/km", numeric=True, priority=3)] if costs else []),
        Column("binding limits (P power, I current)", priority=5),
    ]
    cells, notes = [], []
    for i, a in enumerate(rows):
        r = ranges[i] if ranges else None
        h = healths[i] if healths else None
        km = _finite_text(a.range_added, 1e3, "{:.0f}")
        if not a.feasible:
            notes.append(f"{a.vehicle.name} on {a.charger.name}: {a.reason}")
        cells.append(
            [
                escape(a.vehicle.name),
                escape(a.vehicle.chemistry),
                _finite_text(a.vehicle.usable_energy, 3.6e6, "{:.1f}"),
                *([escape(a.charger.name)] if several else []),
                _minutes(a.duration) if a.feasible else _short_reason(a),
                km,
                _finite_text(a.peak_power, 1e3, "{:.0f}"),
                "-" if r is None else f"{r.range / 1e3:.0f} km {r.procedure.upper()}",
                "-" if r is None else _finite_text(r.consumption, 36.0, "{:.1f}"),
                "-" if h is None else _finite_text(h.capacity[7], 0.01, "{:.0f}%"),
                *(
                    [("-" if costs[i] is None else f"{float(costs[i].parts.per_km):.3f}")]
                    if costs
                    else []
                ),
                escape(_compare_limit_text(a)) or "-",
            ]
        )
    return cols, cells, notes


def _finite_text(si, factor: float, fmt: str) -> str:
    """A figure for a table cell, or "-" where there is none."""
    if si is None or not math.isfinite(si):
        return "-"
    return fmt.format(si / factor)


def compare_csv_table(rows, ranges=None, healths=None, costs=None):
    """Every column of ``nevcalc compare`` for CSV: columns and raw cells (units in the header)."""
    from nevcalc.tables import Column

    doc = compare_document(rows, ranges, healths, costs)
    minutes = rows[0].minutes / 60 if rows[0].minutes else 10
    spec = [
        ("vehicle", "", lambda d, a: d["vehicle"]),
        ("chemistry", "", lambda d, a: a.vehicle.chemistry),
        ("usable_energy", "kWh", lambda d, a: quantity(a.vehicle.usable_energy, "kWh")["value"]),
        ("charger", "", lambda d, a: d["charger"]),
        ("soc_from", "%", lambda d, a: d["soc_from"]["value"]),
        ("soc_to", "%", lambda d, a: d["soc_to"]["value"]),
        ("feasible", "", lambda d, a: d["feasible"]),
        ("reason", "", lambda d, a: d["reason"]),
        ("duration", "min", lambda d, a: d["duration"]["value"]),
        ("soc_reached", "%", lambda d, a: d["soc_reached"]["value"]),
        ("charging_time", "min", lambda d, a: d["charging_time"]["value"]),
        (f"km_in_{minutes:g}_min", "km", lambda d, a: d.get("range_added", {}).get("value")),
        ("energy_from_grid", "kWh", lambda d, a: d["energy_from_grid"]["value"]),
        ("energy_stored", "kWh", lambda d, a: d["energy_stored"]["value"]),
        ("average_power", "kW", lambda d, a: d["average_power"]["value"]),
        ("peak_power", "kW", lambda d, a: d["peak_power"]["value"]),
        ("range", "km", lambda d, a: d["range"]["value"]),
        ("range_cycle", "", lambda d, a: d["range_cycle"]),
        ("consumption", "kWh/(100 km)", lambda d, a: d["consumption"]["value"]),
        ("capacity_year_8", "%", lambda d, a: d.get("capacity_year_8", {}).get("value")),
        ("running_cost", "USD/km", lambda d, a: d.get("running_cost_per_km", {}).get("value")),
        ("binding_limits", "", lambda d, a: _segments_text(a.segments)),
    ]
    cols = [Column(name, unit=unit) for name, unit, _ in spec]
    cells = []
    for d, a in zip(doc["vehicles"], rows, strict=True):
        cells.append([f(d, a) for _, _, f in spec])
    return cols, cells


def render_compare(rows, ranges=None, healths=None, costs=None, console=None) -> None:
    """One table, a row per vehicle and charger: time, km in N min, peak power, limits.

    The table fits the console: when it is too narrow, the columns of least
    weight are left out with a note that ``--json`` or ``--csv`` give them.
    """
    from nevcalc.tables import print_table

    con = _console(console)
    first = rows[0]
    chargers = ", ".join(dict.fromkeys(a.charger.name for a in rows))
    cols, cells, notes = compare_table(rows, ranges, healths, costs)
    print_table(
        cols,
        cells,
        con,
        title=f"{first.soc_from:.0%} -> {first.soc_to:.0%}, charger: {chargers}",
        get_all="--json or --csv",
    )
    for line in notes:
        con.print(f"never: {line}", highlight=False, markup=False)


def _console(console=None):
    if console is not None:
        return console
    import shutil

    from rich.console import Console

    # in a pipe rich assumes 80 columns; tables of many columns read better wider
    width = None if shutil.get_terminal_size((0, 0)).columns else 150
    return Console(width=width)


def _minutes(si: float) -> str:
    if not math.isfinite(si):
        return "never"
    m = si / 60.0
    return f"{m:.1f} min" if m < 100 else f"{m / 60:.1f} h"


_SHORT = {
    "charger power": "charger P",
    "charger current": "charger I",
    "vehicle power": "car P",
    "vehicle current": "car I",
    "cell C-rate": "C-rate",
    "charger voltage": "charger max V",
    "booster power": "booster",
    "charger min voltage": "charger min V",
}


def _pct(x: float) -> str:
    """A SoC as percent, to 0.1 % when whole percent would round."""
    v = 100.0 * x
    return f"{v:.0f} %" if abs(v - round(v)) < 0.05 else f"{v:.1f} %"


def _span(a: float, b: float, sep: str = " ") -> str:
    """``10-80 %``; to 0.1 % where whole percent would hide the span."""
    digits = 0 if round(100 * a) != round(100 * b) else 1
    return f"{a * 100:.{digits}f}-{b * 100:.{digits}f}{sep}%"


def _segments_text(segments, short: bool = False) -> str:
    if short:
        return ", ".join(f"{_SHORT.get(name, name)} {_span(a, b, '')}" for a, b, name in segments)
    return ", ".join(f"{name} {_span(a, b)}" for a, b, name in segments)


def render_charge(ans, console=None, chart: bool = True) -> None:
    """Print a charging session: a table of figures and a power-vs-SoC chart."""
    from rich.table import Table

    con = _console(console)
    con.print(
        f"[bold]{ans.vehicle.title}[/bold] on [bold]{ans.charger.title}[/bold]: "
        f"{_pct(ans.soc_from)} -> {_pct(ans.soc_to)}",
        highlight=False,
    )
    t = Table(show_header=False, box=None, pad_edge=False)
    t.add_column("what", style="bold")
    t.add_column("value", justify="right")
    if ans.feasible:
        t.add_row("time", _minutes(ans.duration))
    elif ans.soc_reached > ans.soc_from:
        t.add_row(
            "time",
            f"[red]never reaches {_pct(ans.soc_to)}[/red]: stops at {_pct(ans.soc_reached)} "
            f"after {_minutes(ans.charging_time)}",
        )
    else:
        t.add_row("time", f"[red]never reaches {_pct(ans.soc_to)}[/red]: cannot start")
    t.add_row("energy into the pack", f"{ans.energy_to_battery / 3.6e6:.1f} kWh")
    t.add_row("energy from the grid", f"{ans.energy_from_grid / 3.6e6:.1f} kWh")
    t.add_row(
        "average / peak power", f"{ans.average_power / 1e3:.0f} / {ans.peak_power / 1e3:.0f} kW"
    )
    if ans.minutes is not None:
        t.add_row(
            f"in {ans.minutes / 60:.3g} min",
            f"+{ans.range_added / 1e3:.0f} km (to {_pct(ans.soc_after)})",
        )
    if ans.distance is not None:
        added = _minutes(ans.minutes_to_add)
        if ans.add_reason and ans.soc_add is not None:
            added = f"never: needs {_pct(ans.soc_add)}" if ans.soc_add <= 1 else "never: too far"
        t.add_row(f"to add {ans.distance / 1e3:.0f} km", added)
    t.add_row("binding limits", _segments_text(ans.segments) or "none: nothing is charged")
    if ans.booster:
        t.add_row("", "the vehicle's DC booster is in use")
    con.print(t)
    if not ans.feasible:
        con.print(f"[red]{ans.reason}[/red]", highlight=False)
    if ans.distance is not None and ans.add_reason and ans.add_reason != ans.reason:
        con.print(f"[red]to add {ans.distance / 1e3:.0f} km: {ans.add_reason}[/red]",
                  highlight=False)  # fmt: skip
    if chart and len(ans.soc) > 1:  # nothing to draw when nothing is charged
        _power_chart(ans, con)
    if ans.assumptions:
        con.print("[dim]assumptions:[/dim]")
        for a in ans.assumptions:
            con.print(f"[dim]  - {a}[/dim]")


def _power_chart(ans, con, rows: int = 14, width: int = 40) -> None:
    import numpy as np

    soc, power, limit = ans.soc, ans.power, ans.limit
    marks = np.linspace(soc[0], soc[-1], min(rows, len(soc)))
    peak = max(float(power.max()), 1.0)
    con.print("[bold]power into the pack against SoC[/bold] (bar: kW, colour: binding limit)")
    for s in marks:
        i = int(np.argmin(np.abs(soc - s)))
        n = round(width * power[i] / peak)
        style = _LIMIT_STYLE.get(limit[i], "white")
        con.print(
            f"{soc[i] * 100:5.1f} % [{style}]{'█' * n}{' ' * (width - n)}[/{style}] "
            f"{power[i] / 1e3:6.0f} kW  [{style}]{limit[i]}[/{style}]",
            highlight=False,
        )


def _short_reason(ans) -> str:
    """A narrow table cell for a charge that does not reach its target: where it ends."""
    if ans.soc_reached > ans.soc_from:
        return f"stops at {_pct(ans.soc_reached)}"
    return "never"


def render_spec_list(items, console=None) -> None:
    """Table of ``(kind, name, title, path)``; titles wrap and paths fold to fit the terminal."""
    from rich.markup import escape

    from nevcalc.tables import Column, print_table

    cols = [
        Column("kind", priority=2),
        Column("name", keep=True),
        Column("title", priority=3),
        Column("file", fold=True, priority=1),
    ]
    rows = [[escape(str(x)) for x in item] for item in items]
    print_table(cols, rows, _console(console), edge=False, get_all="--json")


def spec_document(spec) -> dict[str, Any]:
    """JSON of ``nevcalc specs show``: every field in its canonical unit, with its source."""
    from nevcalc.specs.model import Table as SocTable
    from nevcalc.specs.schema import FIELDS
    from nevcalc.units import si_factor

    fields: dict[str, Any] = {}
    for key, value in spec.values.items():
        f = FIELDS[spec.kind][key]
        unit = f.unit or ""
        if isinstance(value, SocTable):
            factor = si_factor(unit or "dimensionless")
            x_unit = "%"
            entry: dict[str, Any] = {
                "x": [float(f"{s * 100:.6g}") for s in value.soc],
                "x_unit": x_unit,
                "x_key": getattr(f, "x_key", "soc") or "soc",
                "value": [float(f"{v / factor:.6g}") for v in value.value],
                "unit": unit,
            }
        elif isinstance(value, float):
            entry = money(spec.in_unit(key), unit, digits=6)
        else:
            entry = {"value": value}
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                entry["unit"] = unit or "dimensionless"
        prov = spec.provenance.get(key)
        if prov is not None:
            entry.update(kind=prov.kind, source=prov.source, note=prov.note)
        fields[key] = entry
    published = []
    for item in spec.published:
        out: dict[str, Any] = {}
        for k, v in item.items():
            if k in ("soc_from", "soc_to"):
                out[k] = quantity(v, "%")
            elif k in ("duration", "minutes"):
                out[k] = quantity(v, "min")
            elif k == "distance":
                out[k] = quantity(v, "km")
            elif k == "provenance":
                out.update(kind=v.kind, source=v.source)
            elif isinstance(v, (str, int, bool)) or v is None:
                out[k] = v
            else:
                out[k] = str(v)
        published.append(out)
    return {
        "kind": spec.kind,
        "name": spec.name,
        "title": spec.title,
        "file": str(spec.path),
        "fields": fields,
        "published": published,
    }


def render_spec(spec, console=None) -> None:
    """Every field of a spec with its unit, kind and source; published facts below."""
    from rich.markup import escape

    from nevcalc.specs.model import Table as SocTable
    from nevcalc.specs.schema import FIELDS
    from nevcalc.tables import Column, print_table
    from nevcalc.units import si_factor

    con = _console(console)
    cols = [
        Column("field", keep=True),
        Column("value", keep=True),
        Column("kind", priority=2),
        Column("source", fold=True, priority=1),
    ]
    rows = []
    for key, value in spec.values.items():
        f = FIELDS[spec.kind][key]
        prov = spec.provenance.get(key)
        if isinstance(value, SocTable):
            factor = si_factor(f.unit or "dimensionless")
            pts = ", ".join(
                f"{s * 100:g}%: {v / factor:.4g}"
                for s, v in zip(value.soc, value.value, strict=True)
            )
            shown = f"[{pts}] {f.unit}"
        elif isinstance(value, float):
            shown = f"{spec.in_unit(key):.4g} {f.unit}".strip()
        else:
            shown = str(value)
        rows.append(
            [
                escape(key),
                escape(shown),
                escape(prov.kind) if prov else "",
                escape(prov.source) if prov else "",
            ]
        )
    print_table(cols, rows, con, title=escape(f"{spec.kind} {spec.name}: {spec.title}"),
                get_all="--json")  # fmt: skip
    for item in spec.published:
        prov = item.get("provenance")
        if item["what"] == "charge_time":
            text = (
                f"{item['soc_from']:.0%} -> {item['soc_to']:.0%} in "
                f"{item['duration'] / 60:.2f} min"
            )
        else:
            text = f"+{item['distance'] / 1e3:.0f} km in {item['minutes'] / 60:.0f} min"
        on = f" on {item['charger']}" if item.get("charger") else ""
        con.print(
            f"published: {text}{on} ({prov.kind if prov else ''}; {item.get('note', '')})",
            highlight=False,
            markup=False,
        )


def fields_document(kind: str) -> list[dict[str, Any]]:
    """JSON of ``nevcalc specs fields``: every field with its unit, bounds or allowed values."""
    from nevcalc.specs.schema import FIELDS

    out = []
    for f in FIELDS[kind].values():
        d: dict[str, Any] = {"name": f.name, "type": f.type, "unit": f.unit, "doc": f.doc,
                             "required": bool(f.required)}  # fmt: skip
        if f.lo is not None or f.hi is not None:
            d["bounds"] = {"low": f.lo, "high": f.hi, "unit": f.unit or "dimensionless"}
        if f.choices:
            d["choices"] = list(f.choices)
        out.append(d)
    return out


def render_fields(kind: str, console=None) -> None:
    """The schema of a spec kind: every field with its type, unit, bounds or allowed values."""
    from nevcalc.specs.schema import FIELDS
    from nevcalc.tables import Column, print_table

    cols = [
        Column("field", keep=True),
        Column("type", priority=3),
        Column("unit", priority=4),
        Column("bounds or values", priority=5),
        Column("required", priority=2),
        Column("meaning", priority=1),
    ]
    rows = []
    for f in FIELDS[kind].values():
        if f.choices:
            allowed = ", ".join(f.choices)
        elif f.lo is not None:
            allowed = f"{f.lo:g}..{f.hi:g}"
        else:
            allowed = ""
        rows.append([f.name, f.type, f.unit, allowed, "yes" if f.required else "", f.doc])
    from rich.markup import escape

    rows = [[escape(c) for c in r] for r in rows]
    print_table(cols, rows, _console(console), title=f"{kind} fields", get_all="--json")


def _range_fields(r) -> dict[str, Any]:
    v = r.vehicle
    return {
        "vehicle": v.name,
        "chemistry": v.chemistry,
        "cycle": r.title,
        "range": quantity(r.range, "km"),
        "consumption": quantity(r.consumption, "kWh/(100 km)"),
        "consumption_wall": quantity(r.consumption_wall, "kWh/(100 km)"),
        "usable_energy": quantity(v.usable_energy, "kWh"),
        "pack_mass": quantity(v.pack_mass, "kg"),
        "pack_volume": quantity(v.pack_volume, "L"),
        "pack_cost": quantity(v.pack_cost, "USD"),
        "test_mass": quantity(r.test_mass, "kg"),
        "official_range": quantity(v.official_range, "km"),
    }


def _maybe_fmt(x: float, fmt: str) -> str:
    return "n/a" if not math.isfinite(x) else fmt.format(x)


def range_document(before, after=None) -> dict[str, Any]:
    """JSON of ``nevcalc range``: the answer, and before/after when a pack was resized."""
    doc = _range_fields(after or before)
    if after is not None:
        doc["before"] = _range_fields(before)
        doc["after"] = _range_fields(after)
    doc["assumptions"] = list((after or before).assumptions)
    return doc


def range_csv_table(before, after=None):
    """``nevcalc range`` as CSV: a row per car (before and after a resize), units in the header."""
    from nevcalc.tables import Column

    rows = [("before", before), ("after", after)] if after is not None else [("", before)]
    keys = list(_range_fields(before))
    docs = [(label, _range_fields(r)) for label, r in rows]
    cols = [Column("case")]
    for k in keys:
        v = docs[0][1][k]
        cols.append(Column(k, unit=v["unit"] if isinstance(v, dict) else ""))
    cells = [
        [label, *((d[k]["value"] if isinstance(d[k], dict) else d[k]) for k in keys)]
        for label, d in docs
    ]
    return cols, cells


def render_range(before, after=None, console=None) -> None:
    """Range, consumption, masses; before and after side by side when resized."""
    from rich.markup import escape

    from nevcalc.tables import Column, print_table

    con = _console(console)
    rows = [("before", before), ("after", after)] if after is not None else [("", before)]
    con.print(f"[bold]{escape(before.vehicle.title)}[/bold] on {escape(before.title)}",
              highlight=False)  # fmt: skip
    cols = [Column("", keep=True)]
    cols += [Column(escape(label or r.vehicle.chemistry), numeric=True, keep=True)
             for label, r in rows]  # fmt: skip
    lines = [
        ("chemistry", lambda r: escape(r.vehicle.chemistry)),
        ("range", lambda r: _maybe_fmt(r.range / 1e3, "{:.0f} km")),
        ("consumption (battery)", lambda r: _maybe_fmt(r.consumption / 36, "{:.1f} kWh/100 km")),
        ("consumption (wall)", lambda r: _maybe_fmt(r.consumption_wall / 36, "{:.1f} kWh/100 km")),
        ("usable energy", lambda r: _maybe_fmt(r.vehicle.usable_energy / 3.6e6, "{:.1f} kWh")),
        ("pack mass", lambda r: _maybe_fmt(r.vehicle.pack_mass, "{:.0f} kg")),
        ("pack volume", lambda r: _maybe_fmt(r.vehicle.pack_volume * 1e3, "{:.0f} L")),
        ("pack cost", lambda r: _maybe_fmt(r.vehicle.pack_cost, "{:,.0f} USD")),
        ("test mass", lambda r: _maybe_fmt(r.test_mass, "{:.0f} kg")),
    ]
    cells = [[name, *(fn(r) for _, r in rows)] for name, fn in lines]
    print_table(cols, cells, con, edge=False, get_all="--json or --csv")
    official = before.vehicle.official_range
    if official and after is None:
        con.print(f"official range: {official / 1e3:.0f} km", highlight=False)
    assumptions = (after or before).assumptions
    if assumptions:
        con.print("[dim]assumptions:[/dim]")
        for a in assumptions:
            con.print(f"[dim]  - {escape(a)}[/dim]")


def health_document(ans) -> dict[str, Any]:
    """JSON of ``nevcalc health``: every quantity with its unit; ``years_to_80`` is null
    with a ``reason`` when the capacity stays above 80 % over the horizon."""
    t80 = ans.years_to_80
    doc = {
        "chemistry": ans.chemistry,
        "model": ans.model,
        "capacity": [
            {"year": y, "value": round(100 * q, 3), "unit": "%"}
            for y, q in zip(ans.years, ans.capacity, strict=True)
        ],
        "years_to_80": {"value": None if t80 is None else round(t80, 2), "unit": "year"},
        "soc_window": [quantity(ans.soc_window[0], "%"), quantity(ans.soc_window[1], "%")],
        "efc_per_day": {"value": ans.efc_per_day, "unit": "efc/day"},
        "charge_rate": {"value": ans.charge_rate, "unit": "1/h"},
        "temperature": {"value": round(ans.temperature - 273.15, 2), "unit": "degC"},
        "validity": list(getattr(ans, "validity", ())),
        "assumptions": list(ans.assumptions),
    }
    if t80 is None:
        doc["years_to_80"]["reason"] = "capacity stays above 80 % for the 40-year horizon"
    return doc


def render_health(ans, console=None, width: int = 40) -> None:
    """Capacity by year as a bar chart, and the year it falls to 80 %."""
    con = _console(console)
    con.print(
        f"[bold]{ans.chemistry}[/bold] ({ans.model} model), {ans.soc_window[0]:.0%}-"
        f"{ans.soc_window[1]:.0%} daily, {ans.charge_rate:g}C charge, "
        f"{ans.temperature - 273.15:.0f} degC",
        highlight=False,
    )
    for y, q in zip(ans.years, ans.capacity, strict=True):
        n = round(width * max(q - 0.5, 0) / 0.5)
        style = "green" if q >= 0.8 else "red"
        con.print(f"year {y:2d} [{style}]{'█' * n}{' ' * (width - n)}[/{style}] {q:6.1%}",
                  highlight=False)  # fmt: skip
    t80 = ans.years_to_80
    con.print(
        "80 % capacity after " + ("more than 40 years" if t80 is None else f"{t80:.1f} years")
    )
    for a in ans.assumptions:
        con.print(f"[dim]  - {a}[/dim]")


_COST_PARTS = ("purchase", "energy", "replacement", "maintenance", "time", "residual")


def cost_document(ans, currency: str, usd_per_unit: float) -> dict[str, Any]:
    """JSON of ``nevcalc cost``: total, per_km and parts as money quantities; every other
    quantity with its unit too."""

    def money(x, unit=currency):
        return {"value": round(float(x) / usd_per_unit, 2), "unit": unit}

    p = ans.parts
    return {
        "vehicle": ans.vehicle,
        "years": ans.years,
        "distance_per_year": quantity(ans.distance_per_year, "km"),
        "total": money(p.total),
        "per_km": money(p.per_km, f"{currency}/km"),
        "parts": {k: money(getattr(p, k)) for k in _COST_PARTS},
        "replacement_year": ans.replacement_year or None,
        "capacity_at_end": {"value": round(100 * ans.capacity_at_end, 2), "unit": "%"},
        "fast_charge_time_per_year": {
            "value": round(ans.fast_charge_hours_per_year, 1),
            "unit": "h",
        },
        "assumptions": list(ans.assumptions),
    }


def render_cost(ans, currency: str, usd_per_unit: float, console=None) -> None:
    """The cost parts, total and per km."""
    from rich.table import Table

    con = _console(console)
    p = ans.parts
    con.print(
        f"[bold]{ans.vehicle}[/bold]: {ans.years} years, {ans.distance_per_year / 1e3:,.0f} km "
        f"a year (present value, {currency})",
        highlight=False,
    )
    t = Table()
    t.add_column("part")
    t.add_column(currency, justify="right")
    for k in _COST_PARTS:
        t.add_row(k, f"{float(getattr(p, k)) / usd_per_unit:,.0f}")
    t.add_row("[bold]total[/bold]", f"[bold]{float(p.total) / usd_per_unit:,.0f}[/bold]")
    t.add_row("per km", f"{float(p.per_km) / usd_per_unit:.3f}")
    con.print(t)
    if ans.replacement_year:
        con.print(f"battery replaced at the end of year {ans.replacement_year}")
    con.print(f"capacity after {ans.years} years: {ans.capacity_at_end:.0%}", highlight=False)
    for a in ans.assumptions:
        con.print(f"[dim]  - {a}[/dim]")


def trend_document(ans) -> dict[str, Any]:
    """JSON of ``nevcalc trend``: learning rate, its interval, projected pack prices."""
    import numpy as np

    unit = "USD/kWh"

    def usd_kwh(x):
        return round(float(x) * 3.6e6, 2)

    def pct(x, digits=4):
        return quantity(float(x), "%", digits=digits)

    t, p = ans.time, ans.charge_power
    return {
        "dollar_basis": f"constant {ans.market.basis_year} US dollars (US CPI-U)",
        "learning_rate": pct(ans.learning_rate),
        "learning_rate_interval": [pct(x) for x in ans.learning_rate_interval],
        "points": ans.experience.n,
        "growth": pct(ans.growth),
        "annual_price_change": pct(np.expm1(t.slope)),
        "annual_price_change_interval": [pct(np.expm1(t.slope_low)), pct(np.expm1(t.slope_high))],
        "pack_price": [
            {
                "year": int(y),
                "value": usd_kwh(v),
                "low": usd_kwh(lo),
                "high": usd_kwh(hi),
                "by_year": usd_kwh(by),
                "unit": unit,
                "cumulative_volume": {"value": round(float(c) / 3.6e15, 1), "unit": "TWh"},
            }
            for y, v, lo, hi, by, c in zip(
                ans.years,
                ans.price_by_volume,
                ans.price_by_volume_low,
                ans.price_by_volume_high,
                ans.price_by_year,
                ans.cumulative,
                strict=True,
            )
        ],
        "peak_charge_power_annual_change": pct(np.expm1(p.slope)),
        "peak_charge_power_change_2021_2025": money(
            float(np.exp(4 * p.slope)), "dimensionless", digits=3
        ),
        "source": str(ans.market.path),
    }


def trend_csv_table(ans):
    """The projected pack prices of ``nevcalc trend`` as CSV rows, units in the header."""
    from nevcalc.tables import Column

    unit = f"USD{ans.market.basis_year}/kWh"
    cols = [
        Column("year"),
        Column("cumulative_volume", unit="TWh"),
        Column("price_by_volume", unit=unit),
        Column("price_by_volume_low", unit=unit),
        Column("price_by_volume_high", unit=unit),
        Column("price_by_year", unit=unit),
    ]
    cells = [
        [int(y), float(f"{c / 3.6e15:.6g}"),
         *(float(f"{x * 3.6e6:.6g}") for x in (v, lo, hi, by))]
        for y, c, v, lo, hi, by in zip(
            ans.years, ans.cumulative, ans.price_by_volume, ans.price_by_volume_low,
            ans.price_by_volume_high, ans.price_by_year, strict=True,
        )
    ]  # fmt: skip
    return cols, cells


def render_trend(ans, console=None, width: int = 36) -> None:
    """Learning rate, trends and the projected pack price as bars."""
    import numpy as np

    con = _console(console)
    lo, hi = ans.learning_rate_interval
    b = ans.market.basis_year
    con.print(
        f"[bold]Pack price experience curve[/bold]: learning rate {ans.learning_rate:.1%} per "
        f"doubling of cumulative volume (95 % interval {lo:.1%}-{hi:.1%}, "
        f"{ans.experience.n} BNEF years, {b} USD)",
        highlight=False,
    )
    t = ans.time
    con.print(
        f"time trend: {np.expm1(t.slope):+.1%} a year ({np.expm1(t.slope_low):+.1%} to "
        f"{np.expm1(t.slope_high):+.1%}); peak DC charging power of published cars "
        f"{np.expm1(ans.charge_power.slope):+.0%} a year, "
        f"x{np.exp(4 * ans.charge_power.slope):.1f} from 2021 to 2025",
        highlight=False,
    )
    from nevcalc.tables import Column, fit_columns, print_table

    cols = [
        Column("year", numeric=True, keep=True),
        Column("cumulative TWh", numeric=True, priority=3),
        Column("by volume", numeric=True, keep=True),
        Column("95 % band", numeric=True, priority=4),
        Column("by year", numeric=True, priority=5),
    ]
    cells, values = [], []
    for y, c, v, lo_, hi_, by in zip(
        ans.years, ans.cumulative, ans.price_by_volume, ans.price_by_volume_low,
        ans.price_by_volume_high, ans.price_by_year, strict=True,
    ):  # fmt: skip
        values.append(float(v) * 3.6e6)
        cells.append([str(y), f"{c / 3.6e15:,.1f}", f"{v * 3.6e6:.0f}",
                      f"{lo_ * 3.6e6:.0f}-{hi_ * 3.6e6:.0f}", f"{by * 3.6e6:.0f}"])  # fmt: skip
    shown, widths = fit_columns(cols, cells, con.width)
    room = con.width - sum(widths) - 3 * len(shown) - 1 - 3  # what a bar column may take
    bar = min(width, room)
    if bar >= 8:  # bars only where they fit whole
        top = max(float(np.max(ans.price_by_volume_high)) * 3.6e6, 1e-300)
        cols.append(Column("", priority=0))
        for row, v in zip(cells, values, strict=True):
            row.append("█" * round(bar * v / top))
    print_table(
        cols,
        cells,
        con,
        title=f"pack price, USD{b}/kWh, annual volume growing {ans.growth:.0%} a year",
        get_all="--json",
    )
    con.print(
        "[dim]  - prices: BloombergNEF survey pack averages, deflated with US CPI-U; volume: "
        "global Li-ion demand, interpolated at constant growth between sourced years[/dim]"
    )


def _metric_text(si, unit: str, factor: float) -> str:
    """A metric for a table cell: "-" where there is none, "never" where it is not reached."""
    if si is None or math.isnan(si):
        return "-"
    x = si / factor
    if not math.isfinite(x):
        return "never" if x > 0 else "-"
    if unit == "%":
        return f"{x:.1f} %"
    return f"{x:,.0f}" if abs(x) >= 100 else f"{x:.3g}"


def scenario_document(ans) -> dict[str, Any]:
    """JSON of ``nevcalc scenario run``."""
    from nevcalc.scenario.scenarios import METRICS

    def q(si, unit, factor):
        if si is not None and si == math.inf:
            return money(None, unit, reason="not reached within the model's horizon")
        if si is None or not math.isfinite(si):
            return money(None, unit, reason="not computed for this case (see its notes)")
        return {"value": round(si / factor, 6), "unit": unit}

    return {
        "scenario": ans.name,
        "title": ans.title,
        "description": ans.description,
        "cases": [
            {
                "name": c.name,
                "title": c.title,
                "metrics": {k: q(v, *METRICS[k][:2]) for k, v in c.metrics.items()},
                "notes": list(c.notes),
            }
            for c in ans.cases
        ],
        "claims": [
            {
                "claim": ch.text,
                "metric": ch.metric,
                "relation": ch.relation,
                "claimed": round(
                    ch.claimed if ch.change else ch.claimed / METRICS[ch.metric][1], 6
                ),
                "computed": None
                if math.isnan(ch.computed)
                else round(ch.computed if ch.change else ch.computed / METRICS[ch.metric][1], 6),
                "unit": "ratio" if ch.change else METRICS[ch.metric][0],
                "holds": ch.holds,
                "source": ch.source,
                "kind": ch.kind,
            }
            for ch in ans.checks
        ],
        "file": ans.path,
    }


def scenario_csv_table(ans):
    """The cases of ``nevcalc scenario run`` as CSV: a row per case, a column per metric."""
    from nevcalc.scenario.scenarios import METRICS
    from nevcalc.tables import Column

    keys = [k for k in METRICS if any(c.metrics.get(k) is not None for c in ans.cases)]
    cols = [Column("case"), Column("title")]
    cols += [Column(k, unit=METRICS[k][0]) for k in keys]
    cells = []
    for c in ans.cases:
        row = [c.name, c.title]
        for k in keys:
            v = c.metrics.get(k)
            ok = v is not None and math.isfinite(v)
            row.append(float(f"{v / METRICS[k][1]:.6g}") if ok else None)
        cells.append(row)
    return cols, cells


def render_scenario(ans, console=None) -> None:
    """Cases side by side, then each claim with what the models give."""
    from rich.markup import escape

    from nevcalc.scenario.scenarios import METRICS
    from nevcalc.tables import Column, print_table

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
    for key, (unit, factor, title) in METRICS.items():
        cells = [_metric_text(c.metrics.get(key), unit, factor) for c in ans.cases]
        if all(x == "-" for x in cells):
            continue
        rows.append([title, unit, *cells])
    print_table(cols, rows, con, get_all="--json")
    for c in ans.cases:
        con.print(f"[dim]{c.name}: {c.title}{'; ' if c.notes else ''}"
                  f"{'; '.join(c.notes)}[/dim]", highlight=False)  # fmt: skip
    for ch in ans.checks:
        unit, factor, _ = METRICS[ch.metric]
        if math.isnan(ch.computed):
            got = "not reached within 40 years"
        elif ch.change:
            got = f"x{ch.computed:.2f} ({ch.computed - 1:+.0%})"
        else:
            got = f"{_metric_text(ch.computed, unit, factor)} {unit}"
        mark = "[green]holds[/green]" if ch.holds else "[red]does not hold[/red]"
        con.print(f"claim: {ch.text} -> nevcalc {got}: {mark}", highlight=False)
        con.print(f"[dim]  {ch.kind}, {ch.source}[/dim]", highlight=False)


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


def _sweep_row_text(res, row: dict, skip=()) -> str:
    """Which row: its number (draw and grid point for Monte Carlo) and its inputs."""
    from nevcalc.sweeps.output import column_units

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


def render_sweep(res, console=None) -> None:
    """One paragraph on the run, then the summary tables when there are any."""
    from rich.table import Table

    from nevcalc.sweeps.evaluate import REASONS

    con = _console(console)
    shape = " x ".join(str(s) for s in res.plan.shape) or "1"
    con.print(
        f"[bold]{res.plan.title or 'sweep'}[/bold]: {res.scenarios:,} scenarios ({shape}) in "
        f"{res.seconds:.2f} s, {res.scenarios_per_second:,.0f} a second "
        f"({res.engine}, {res.chunks} chunk{'s' if res.chunks != 1 else ''}; "
        f"{res.stats.get('charge_pairs', 0):,} charging profiles)",
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
    grouped = {a for g in s["groups"] for a in g["group"]}
    for g in s["groups"]:
        label = ", ".join(f"{k} {v}" for k, v in g["group"].items()) or "all rows"
        if g["answered"] == 0:
            con.print(f"{label}: {g['rows']:,} rows, none answered", highlight=False)
            continue
        t = Table(title=f"{label}: {g['answered']:,} of {g['rows']:,} rows answered",
                  title_justify="left")  # fmt: skip
        cols = ["metric", "unit", "mean", "min", *(f"{float(q[1:]):g} %" for q in qs), "max"]
        cols += ["inf rows"] if any_inf else []
        for col in cols:
            t.add_column(col, justify="left" if col in ("metric", "unit") else "right")
        for m, d in g["metrics"].items():
            row = [m, d["unit"], *(_sweep_num(d[k]) for k in ("mean", "min", *qs, "max"))]
            row += [f"{d['inf'] + d['neg_inf']:,}"] if any_inf else []
            t.add_row(*row)
        con.print(t)
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
