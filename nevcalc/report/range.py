"""``nevcalc range``: range, consumption and pack figures, before and after a resize."""

from __future__ import annotations

import math
from typing import Any

from nevcalc.report.format import _console, interval, quantity, shown
from nevcalc.tables import Column, print_table

__all__ = ["range_csv_table", "range_document", "render_range"]


def _range_fields(r) -> dict[str, Any]:
    v = r.vehicle
    return {
        "vehicle": v.name,
        "chemistry": v.chemistry,
        "cycle": r.title,
        "range": quantity(r.range, "range"),
        "consumption": quantity(r.consumption, "consumption"),
        "consumption_wall": quantity(r.consumption_wall, "consumption_wall"),
        "usable_energy": quantity(v.usable_energy, "usable_energy"),
        "pack_mass": quantity(v.pack_mass, "pack_mass"),
        "pack_volume": quantity(v.pack_volume, "pack_volume"),
        "pack_cost": quantity(v.pack_cost, "pack_cost"),
        "test_mass": quantity(r.test_mass, "test_mass"),
        "official_range": quantity(v.official_range, "official_range"),
    }


def _maybe_fmt(x: float, fmt: str) -> str:
    return "n/a" if not math.isfinite(x) else fmt.format(x)


def _interval(r) -> dict[str, Any] | None:
    """``{low, high, level, unit}`` of a range in km, or None without an interval."""
    return None if r.interval is None else interval(r.interval, "range")


def range_document(before, after=None) -> dict[str, Any]:
    """JSON of ``nevcalc range``: the answer, and before/after when a pack was resized.

    A range on estimated figures carries ``interval: {low, high, level, unit}`` and
    the estimates themselves under ``estimates`` (value, 80 % spread, basis).
    """
    doc = _range_fields(after or before)
    if after is not None:
        doc["before"] = _range_fields(before)
        doc["after"] = _range_fields(after)
        for key, r in (("before", before), ("after", after)):
            if r.interval is not None:
                doc[key]["interval"] = _interval(r)
    final = after or before
    if final.interval is not None:
        doc["interval"] = _interval(final)
    if final.vehicle.estimates:
        doc["estimates"] = [e.as_dict() for e in final.vehicle.estimates]
    doc["assumptions"] = list(final.assumptions)
    return doc


def range_csv_table(before, after=None):
    """``nevcalc range`` as CSV: a row per car (before and after a resize), units in the header."""
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
    if any(r.interval is not None for _, r in rows):
        cols += [Column("range_low", unit="km"), Column("range_high", unit="km"),
                 Column("interval_level")]  # fmt: skip
        for cell, (_, r) in zip(cells, rows, strict=True):
            i = _interval(r)
            cell += [None, None, None] if i is None else [i["low"], i["high"], i["level"]]
    return cols, cells


def _range_cell(r) -> str:
    text = _maybe_fmt(shown(r.range, "range"), "{:.0f} km")
    i = r.interval
    if i is None:
        return text
    lo, hi = shown(i.low, "range"), shown(i.high, "range")
    return f"{text} ({i.level:.0%}: {lo:.0f}-{hi:.0f})"


def render_range(before, after=None, console=None) -> None:
    """Range, consumption, masses; before and after side by side when resized."""
    from rich.markup import escape

    con = _console(console)
    rows = [("before", before), ("after", after)] if after is not None else [("", before)]
    con.print(f"[bold]{escape(before.vehicle.title)}[/bold] on {escape(before.title)}",
              highlight=False)  # fmt: skip
    cols = [Column("", keep=True)]
    cols += [Column(escape(label or r.vehicle.chemistry), numeric=True, keep=True)
             for label, r in rows]  # fmt: skip
    lines = [
        ("chemistry", lambda r: escape(r.vehicle.chemistry)),
        ("range", _range_cell),
        (
            "consumption (battery)",
            lambda r: _maybe_fmt(shown(r.consumption, "consumption"), "{:.1f} kWh/100 km"),
        ),
        (
            "consumption (wall)",
            lambda r: _maybe_fmt(
                shown(r.consumption_wall, "consumption_wall"), "{:.1f} kWh/100 km"
            ),
        ),
        (
            "usable energy",
            lambda r: _maybe_fmt(shown(r.vehicle.usable_energy, "usable_energy"), "{:.1f} kWh"),
        ),
        ("pack mass", lambda r: _maybe_fmt(r.vehicle.pack_mass, "{:.0f} kg")),
        (
            "pack volume",
            lambda r: _maybe_fmt(shown(r.vehicle.pack_volume, "pack_volume"), "{:.0f} L"),
        ),
        ("pack cost", lambda r: _maybe_fmt(r.vehicle.pack_cost, "{:,.0f} USD")),
        ("test mass", lambda r: _maybe_fmt(r.test_mass, "{:.0f} kg")),
    ]
    cells = [[name, *(fn(r) for _, r in rows)] for name, fn in lines]
    print_table(cols, cells, con, edge=False, get_all="--json or --csv")
    official = before.vehicle.official_range
    if official and after is None:
        con.print(f"official range: {shown(official, 'official_range'):.0f} km", highlight=False)
    assumptions = (after or before).assumptions
    if assumptions:
        con.print("[dim]assumptions:[/dim]")
        for a in assumptions:
            con.print(f"[dim]  - {escape(a)}[/dim]")
