"""``nevcalc compare``: one row per vehicle and charger, as JSON, CSV and a fitted table."""

from __future__ import annotations

from typing import Any

from nevcalc.report.charge import _short_reason, charge_document
from nevcalc.report.format import (
    _console,
    _finite_text,
    _minutes,
    _pct,
    _segments_text,
    money,
    quantity,
    shown,
)
from nevcalc.report.range import label_consumption
from nevcalc.tables import Column, print_table
from nevcalc.units import from_si, kelvin_to_celsius

__all__ = [
    "compare_csv_table",
    "compare_document",
    "compare_notes",
    "compare_table",
    "render_compare",
    "render_compare_answer",
]


def compare_document(rows, ranges=None, healths=None, costs=None, km20=()) -> dict[str, Any]:
    """The JSON document of ``nevcalc compare``: one entry per vehicle and charger
    (``km20``: the charging index of each row [m], when computed)."""
    out = []
    for i, a in enumerate(rows):
        doc = charge_document(a)
        r = ranges[i] if ranges else None
        no_road = "no road-load figures in the vehicle's spec (curb mass, drag)"
        doc["range"] = quantity(None if r is None else r.range, "range", reason=no_road)
        doc["range_cycle"] = None if r is None else r.title
        doc["consumption"] = quantity(  # the one the range implies (EPA: label-adjusted)
            None if r is None else label_consumption(r)[0], "consumption", reason=no_road
        )
        if healths:
            h = healths[i]
            doc["capacity_year_8"] = quantity(
                None if h is None else h.capacity[7],
                "capacity_year_8",
                reason="no ageing model or cycle life for the chemistry",
            )
            doc["ageing_model"] = None if h is None else h.model
        if costs:
            c = costs[i]
            doc["running_cost_per_km"] = money(
                None if c is None else shown(float(c.parts.per_m), "running_cost_per_km"),
                "USD/km",
                reason="no running cost: the car lacks consumption or road-load figures, or "
                "cannot charge on this charger (`nevcalc cost VEHICLE --charger NAME` says which)",
            )
        if km20:
            doc["km_in_20_min"] = quantity(km20[i], "km_in_20_min",
                                           reason="no consumption for the car")  # fmt: skip
        out.append(doc)
    return {"vehicles": out}


def _compare_limit_text(a) -> str:
    return _segments_text(a.segments, short=True)


def compare_table(rows, ranges=None, healths=None, costs=None, km20=()):
    """Columns and cells of the ``nevcalc compare`` table, and footnotes.

    Returns
    -------
    columns : list of nevcalc.tables.Column
    cells : list of list of str
    notes : list of str
        One line per charge that cannot be done, with its reason.
    """
    from rich.markup import escape

    first = rows[0]
    minutes = shown(first.minutes, "minutes") if first.minutes else 10
    several = len({a.charger.name for a in rows}) > 1
    cols = [
        Column("vehicle", keep=True),
        Column("chemistry", priority=1),
        Column("kWh", numeric=True, priority=6),
        *([Column("charger", keep=True)] if several else []),
        Column("time", numeric=True, priority=10),
        Column(f"km in {minutes:.0f} min", numeric=True, priority=9),
        *([Column("km/20 min @120", numeric=True, priority=8)] if km20 else []),
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
        km = _finite_text(a.range_added, "range_added", "{:.0f}")
        if not a.feasible:
            notes.append(f"{a.vehicle.name} on {a.charger.name}: {a.reason}")
        cells.append(
            [
                escape(a.vehicle.name),
                escape(a.vehicle.chemistry),
                _finite_text(a.vehicle.usable_energy, "usable_energy", "{:.1f}"),
                *([escape(a.charger.name)] if several else []),
                _minutes(a.duration) if a.feasible else _short_reason(a),
                km,
                *([_finite_text(km20[i], "km_in_20_min", "{:.0f}")] if km20 else []),
                _finite_text(a.peak_power, "peak_power", "{:.0f}"),
                "-" if r is None else f"{shown(r.range, 'range'):.0f} km {r.procedure.upper()}",
                "-"
                if r is None
                else _finite_text(label_consumption(r)[0], "consumption", "{:.1f}"),
                "-" if h is None else _finite_text(h.capacity[7], "capacity_year_8", "{:.0f}%"),
                *(
                    [
                        "-"
                        if costs[i] is None
                        else f"{shown(float(costs[i].parts.per_m), 'running_cost_per_km'):.3f}"
                    ]
                    if costs
                    else []
                ),
                escape(_compare_limit_text(a)) or "-",
            ]
        )
    return cols, cells, notes


def compare_csv_table(rows, ranges=None, healths=None, costs=None, km20=()):
    """Every column of ``nevcalc compare`` for CSV: columns and raw cells (units in the header)."""
    doc = compare_document(rows, ranges, healths, costs, km20)
    minutes = shown(rows[0].minutes, "minutes") if rows[0].minutes else 10
    spec = [
        ("vehicle", "", lambda d, a: d["vehicle"]),
        ("chemistry", "", lambda d, a: a.vehicle.chemistry),
        (
            "usable_energy",
            "kWh",
            lambda d, a: quantity(a.vehicle.usable_energy, "usable_energy")["value"],
        ),
        ("charger", "", lambda d, a: d["charger"]),
        ("soc_from", "%", lambda d, a: d["soc_from"]["value"]),
        ("soc_to", "%", lambda d, a: d["soc_to"]["value"]),
        ("feasible", "", lambda d, a: d["feasible"]),
        ("reason", "", lambda d, a: d["reason"]),
        ("duration", "min", lambda d, a: d["duration"]["value"]),
        ("soc_reached", "%", lambda d, a: d["soc_reached"]["value"]),
        ("charging_time", "min", lambda d, a: d["charging_time"]["value"]),
        (f"km_in_{minutes:g}_min", "km", lambda d, a: d.get("range_added", {}).get("value")),
        ("km_in_20_min_at_120", "km", lambda d, a: d.get("km_in_20_min", {}).get("value")),
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


def render_compare(rows, ranges=None, healths=None, costs=None, console=None, km20=()) -> None:
    """One table, a row per vehicle and charger: time, km in N min, peak power, limits.

    The table fits the console: when it is too narrow, the columns of least
    weight are left out with a note that ``--json`` or ``--csv`` give them.
    """
    con = _console(console)
    first = rows[0]
    chargers = ", ".join(dict.fromkeys(a.charger.name for a in rows))
    cols, cells, notes = compare_table(rows, ranges, healths, costs, km20)
    print_table(
        cols,
        cells,
        con,
        title=f"{_pct(first.soc_from)} -> {_pct(first.soc_to)}, charger: {chargers}"
        + ("" if first.ambient is None else f", air {shown(first.ambient, 'degC'):.0f} degC"),
        get_all="--json or --csv",
    )
    for line in notes:
        con.print(f"never: {line}", highlight=False, markup=False)


def compare_notes(ans) -> list[str]:
    """The notes under the ``nevcalc compare`` table: what was assumed where nothing was given.

    Parameters
    ----------
    ans : nevcalc.scenario.compare.CompareAnswer
    """
    notes = []
    if not ans.chargers_given:
        notes.append("No --charger: each car charges at its own limits (the charger sets none).")
    duty = next((h for h in ans.healths if h is not None), None)
    if duty is not None:
        lo, hi = (from_si(x, "%") for x in duty.soc_window)
        basis = "with nevcalc's fleet correction" if duty.fleet_correction else "on lab cells"
        notes.append(
            f"Capacity at year {len(duty.years)}: the chemistry's ageing model {basis}, on a "
            f"daily {lo:.0f}-{hi:.0f} % sweep charged at {duty.charge_rate:g}C, "
            f"{kelvin_to_celsius(duty.temperature):.0f} degC (`nevcalc health` for others)."
        )
    if ans.km_in_20_min:
        notes.append(
            "km/20 min @120: the charging index, distance 20 minutes of charging from 10 % add "
            "at the car's consumption at 120 km/h on the motorway (as P3 and ADAC state it)."
        )
    run = next((c for c in ans.costs if c is not None), None)
    if run is not None:
        km = from_si(run.distance_per_year, "km")
        notes.append(
            f"Running cost: energy, battery replacement and maintenance over {run.years} years, "
            f"{km:,.0f} km a year, stated defaults (`nevcalc cost` for the parts and the "
            "purchase)."
        )
    return notes


def render_compare_answer(ans, console=None) -> None:
    """The ``nevcalc compare`` table of ``ans`` and its notes, wrapped to the table's width.

    Parameters
    ----------
    ans : nevcalc.scenario.compare.CompareAnswer
    console : rich.console.Console, optional
    """
    con = _console(console)
    render_compare(ans.rows, ans.ranges, ans.healths, ans.costs, console=con,
                   km20=ans.km_in_20_min)  # fmt: skip
    for line in compare_notes(ans):
        con.print(line, highlight=False, markup=False)
