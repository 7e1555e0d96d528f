"""``nevcalc trip``: the trip's time, its stops, and the JSON document."""

from __future__ import annotations

from typing import Any

from nevcalc.report.format import _console, _pct, money, quantity, shown
from nevcalc.scenario.road import CABIN_SET_POINT
from nevcalc.tables import Column
from nevcalc.units import from_si

__all__ = [
    "render_trip",
    "render_trip_table",
    "trip_csv_table",
    "trip_document",
    "trip_table_document",
]


def _hours(si: float) -> str:
    """``9 h 14 min`` [s in]."""
    if si != si or si == float("inf"):
        return "never"
    h, m = divmod(round(from_si(si, "min")), 60)
    return f"{h} h {m:02d} min" if h else f"{m} min"


def _cost(ans, currency: str, usd_per_unit: float):
    """The trip's energy cost in ``currency`` (None without a price or a plan)."""
    return None if ans.price is None or not ans.feasible else ans.cost / usd_per_unit


def trip_document(ans, currency: str = "USD", usd_per_unit: float = 1.0) -> dict[str, Any]:
    """The JSON document of a :class:`nevcalc.scenario.trip.TripAnswer`; its cost in
    ``currency`` (``usd_per_unit`` US dollars each)."""
    r = ans.route
    why = None if ans.feasible else ans.reason
    return {
        "vehicle": ans.vehicle.name,
        "route": {
            "name": r.name,
            "title": r.title,
            "distance": quantity(r.distance, "distance"),
            "speed": quantity(r.speed, "trip_speed"),
            "ambient": quantity(r.ambient, "degC", reason="not given: mild air, pack at 25 degC"),
            "cabin": quantity(
                None if r.ambient is None else CABIN_SET_POINT if r.cabin is None else r.cabin,
                "degC",
                reason="no ambient: no cabin climate",
            ),
            "heat_pump": r.heat_pump,
            "stations": [{"at": quantity(x, "distance"), "charger": c} for x, c in r.stations],
            "stop_overhead": quantity(r.stop_overhead, "min"),
            "start_soc": quantity(r.start_soc, "soc_from"),
            "reserve": quantity(r.reserve, "soc_from"),
        },
        "feasible": ans.feasible,
        "reason": ans.reason,
        "total_time": quantity(ans.total_time, "trip_time", reason=why),
        "drive_time": quantity(ans.drive_time, "drive_time"),
        "stop_time": quantity(ans.stop_time, "stop_time", reason=why),
        "charging_time": quantity(ans.charging_time, "charging_time", reason=why),
        "stops": len(ans.stops),
        "trip_speed": quantity(ans.mean_speed, "trip_speed", reason=why),
        "arrive_end": quantity(ans.arrive_end, "soc_reached", reason=why),
        "consumption": quantity(ans.consumption, "consumption"),
        "energy_used": quantity(ans.energy_used, "kWh"),
        "energy_from_grid": quantity(ans.energy_from_grid, "energy_from_grid", reason=why),
        "cost": money(
            _cost(ans, currency, usd_per_unit), currency, reason=why or "no --price given"
        ),
        "km_in_20_min": quantity(ans.km_in_20min, "km_in_20_min", reason="no charger"),
        "precondition": ans.precondition if r.ambient is not None else None,
        "plan": [
            {
                "at": quantity(s.at, "distance"),
                "charger": s.charger,
                "arrive": quantity(s.arrive, "soc_from"),
                "leave": quantity(s.leave, "soc_to"),
                "time": quantity(s.time, "min"),
                "charging_time": quantity(s.charging_time, "charging_time"),
                "average_power": quantity(s.average_power, "average_power"),
                "energy_from_grid": quantity(s.energy_from_grid, "energy_from_grid"),
                "limit": s.limit or None,
            }
            for s in ans.stops
        ],
        "estimates": [e.as_dict() for e in ans.vehicle.estimates],
        "assumptions": list(ans.assumptions),
    }


def render_trip(ans, console=None, currency: str = "USD", usd_per_unit: float = 1.0) -> None:
    """Print a trip: its times, the table of stops and the assumptions."""
    from rich.table import Table

    con = _console(console)
    r = ans.route
    con.print(f"[bold]{ans.vehicle.title}[/bold]: {r.title or r.describe()}", highlight=False)
    t = Table(show_header=False, box=None, pad_edge=False)
    t.add_column("what", style="bold")
    t.add_column("value", justify="right")
    if ans.feasible:
        overall = f"{shown(ans.mean_speed, 'trip_speed'):.0f} km/h overall"
        t.add_row("trip time", f"{_hours(ans.total_time)} ({overall})")
        t.add_row("driving", _hours(ans.drive_time))
        t.add_row(
            "at stops",
            f"{_hours(ans.stop_time)} in {len(ans.stops)} stops "
            f"({_hours(ans.charging_time)} charging)",
        )
        t.add_row("arrives with", _pct(ans.arrive_end))
        energy = f"{shown(ans.energy_from_grid, 'energy_from_grid'):.0f} kWh"
        cost = _cost(ans, currency, usd_per_unit)
        if cost is not None:
            energy += f" ({cost:.2f} {currency})"
        t.add_row("energy from the grid", energy)
    else:
        t.add_row("trip time", "[red]cannot be driven[/red]")
        t.add_row("driving", _hours(ans.drive_time))
    t.add_row("consumption", f"{shown(ans.consumption, 'consumption'):.1f} kWh/100 km "
                             f"at {shown(r.speed, 'trip_speed'):.0f} km/h")  # fmt: skip
    if ans.km_in_20min == ans.km_in_20min:
        t.add_row("km in 20 min", f"{shown(ans.km_in_20min, 'km_in_20_min'):.0f} km from 10 % "
                                  f"on {r.chargers[0]}")  # fmt: skip
    con.print(t)
    if not ans.feasible:
        con.print(f"[red]{ans.reason}[/red]", highlight=False)
    if ans.stops:
        s_t = Table(title="stops", title_justify="left", box=None, pad_edge=False)
        for name, just in (("km", "right"), ("charger", "left"), ("arrive", "right"),
                           ("leave", "right"), ("min", "right"), ("mean kW", "right"),
                           ("binding limit", "left")):  # fmt: skip
            s_t.add_column(name, justify=just)
        for s in ans.stops:
            s_t.add_row(
                f"{shown(s.at, 'distance'):.0f}", s.charger, _pct(s.arrive), _pct(s.leave),
                f"{shown(s.time, 'min'):.1f}", f"{shown(s.average_power, 'average_power'):.0f}",
                s.limit,
            )  # fmt: skip
        con.print(s_t)
    if ans.assumptions:
        con.print("[dim]assumptions:[/dim]")
        for a in ans.assumptions:
            con.print(f"[dim]  - {a}[/dim]", highlight=False)


def trip_table_document(rows) -> dict[str, Any]:
    """``compare --trip --json``: the route and one summary per car, fastest first."""
    if not rows:
        return {"route": None, "rows": []}
    keys = ("feasible", "reason", "total_time", "drive_time", "stop_time", "charging_time",
            "stops", "trip_speed", "arrive_end", "consumption", "energy_from_grid",
            "km_in_20_min")  # fmt: skip
    out = []
    for rank, ans in enumerate(rows, 1):
        doc = trip_document(ans)
        out.append({"rank": rank, "vehicle": ans.vehicle.name, **{k: doc[k] for k in keys}})
    return {"route": trip_document(rows[0])["route"], "rows": out}


def render_trip_table(rows, console=None) -> None:
    """Print ``compare --trip``: the cars ranked by trip time."""
    from rich.table import Table

    con = _console(console)
    if not rows:
        return
    r = rows[0].route
    t = Table(title=f"{r.title or r.describe()}: fastest first", title_justify="left")
    for name, just in (("#", "right"), ("vehicle", "left"), ("trip time", "right"),
                       ("stops", "right"), ("at stops", "right"), ("kWh/100 km", "right"),
                       ("km in 20 min", "right"), ("arrives", "right")):  # fmt: skip
        t.add_column(name, justify=just)
    for rank, a in enumerate(rows, 1):
        km20 = shown(a.km_in_20min, "km_in_20_min")
        t.add_row(
            str(rank), a.vehicle.title,
            _hours(a.total_time) if a.feasible else "[red]cannot[/red]",
            str(len(a.stops)) if a.feasible else "",
            _hours(a.stop_time) if a.feasible else "",
            f"{shown(a.consumption, 'consumption'):.1f}",
            f"{km20:.0f}" if km20 == km20 else "",
            _pct(a.arrive_end) if a.feasible else "",
        )  # fmt: skip
    con.print(t)
    for a in rows:
        if not a.feasible:
            con.print(f"[red]{a.vehicle.title}: {a.reason}[/red]", highlight=False)
    con.print(
        f"[dim]km in 20 min: from 10 % on {r.chargers[0] if r.chargers else 'no charger'}, at the "
        "trip's consumption; stops planned for the least total time on a 1 % SoC grid "
        f"with {from_si(r.stop_overhead, 'min'):.0f} min a stop and a {r.reserve:.0%} "
        "reserve[/dim]",
        highlight=False,
    )


def trip_csv_table(rows):
    """``compare --trip --csv``: every figure of the ranking, units in the header."""
    doc = trip_table_document(rows)
    spec = [("rank", ""), ("vehicle", ""), ("feasible", ""), ("total_time", "h"),
            ("drive_time", "h"), ("stop_time", "min"), ("charging_time", "min"),
            ("stops", ""), ("trip_speed", "km/h"), ("arrive_end", "%"),
            ("consumption", "kWh/(100 km)"), ("energy_from_grid", "kWh"),
            ("km_in_20_min", "km"), ("reason", "")]  # fmt: skip

    def cell(row, key):
        v = row[key]
        return v["value"] if isinstance(v, dict) else v

    cols = [Column(name, unit=unit) for name, unit in spec]
    return cols, [[cell(r, name) for name, _ in spec] for r in doc["rows"]]
