"""``nevcalc range``: range, consumption and pack figures, before and after a resize."""

from __future__ import annotations

import math
from typing import Any

from nevcalc.report.format import _console, interval, quantity, shown
from nevcalc.tables import Column, print_table

__all__ = ["label_consumption", "range_csv_table", "range_document", "render_range"]


def label_consumption(r) -> tuple[float, float, float]:
    """The consumption a range implies: ``(battery, wall, factor)`` [J m^-1, J m^-1, -].

    A label range is not the test consumption's range: the EPA 2-cycle label divides
    the tested consumption by 0.7 (range x 0.7), the 5-cycle label by its adjustment
    factor. The consumption shown beside a range is the one that range implies,
    ``usable energy x state of health / range``; ``factor`` is the label's range factor
    (1 for WLTP, CLTC, NEDC and plain cycles), ``test / factor == label``.

    Parameters
    ----------
    r : nevcalc.scenario.road.RangeAnswer

    Returns
    -------
    (float, float, float)
        Battery-side and wall-side consumption of the label [J m^-1], and the factor [-].

    Examples
    --------
    >>> from nevcalc.scenario.road import drive_range, load_road_vehicle
    >>> r = drive_range(load_road_vehicle("tesla-model-3-lr-2019"), "epa")
    >>> battery, wall, factor = label_consumption(r)
    >>> round(factor, 6), bool(abs(battery * factor - r.consumption) < 1e-9 * r.consumption)
    (0.7, True)
    """
    energy = r.vehicle.usable_energy * r.state_of_health
    if not (math.isfinite(r.range) and r.range > 0.0 and math.isfinite(r.consumption)):
        return r.consumption, r.consumption_wall, 1.0
    factor = r.range * r.consumption / energy
    if abs(factor - 1.0) <= 1e-9:  # no label adjustment: the test consumption itself
        return r.consumption, r.consumption_wall, 1.0
    return energy / r.range, r.consumption_wall / factor, factor


def _range_fields(r) -> dict[str, Any]:
    v = r.vehicle
    battery, wall, factor = label_consumption(r)
    unadjusted = {}
    if factor != 1.0:  # the test consumption, named as such, and the label's factor
        unadjusted = {
            "consumption_unadjusted": quantity(r.consumption, "consumption"),
            "consumption_wall_unadjusted": quantity(r.consumption_wall, "consumption_wall"),
            "label_factor": {"value": round(factor, 4), "unit": ""},
        }
    return {
        "vehicle": v.name,
        "chemistry": v.chemistry,
        "cycle": r.title,
        "range": quantity(r.range, "range"),
        "consumption": quantity(battery, "consumption"),
        "consumption_wall": quantity(wall, "consumption_wall"),
        **unadjusted,
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

    ``consumption`` and ``consumption_wall`` are those the range implies
    (:func:`label_consumption`); on a label with a range factor (EPA) the tested ones
    follow as ``consumption_unadjusted`` and ``consumption_wall_unadjusted``, with the
    ``label_factor``.

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

    def per_100km(si, what):
        return _maybe_fmt(shown(si, what), "{:.1f} kWh/100 km")

    adjusted = label_consumption(before)[2] != 1.0
    lines = [
        ("chemistry", lambda r: escape(r.vehicle.chemistry)),
        ("range", _range_cell),
        ("consumption (battery)", lambda r: per_100km(label_consumption(r)[0], "consumption")),
        ("consumption (wall)", lambda r: per_100km(label_consumption(r)[1], "consumption_wall")),
    ]
    if adjusted:  # the tested consumption, before the label's range factor
        lines.append(
            (
                "test consumption, unadjusted (battery)",
                lambda r: per_100km(r.consumption, "consumption"),
            )
        )
    lines += [
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
