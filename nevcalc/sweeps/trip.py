"""Trips in sweeps: route axes, and the trip stage over every car variant at once.

A sweep that names a route (``[base] route = "motorway-1000"``, or a ``route`` axis)
can sweep the route's figures (``route.speed``, ``route.station_spacing``,
``route.distance``, ``route.charger``, ``route.stop_overhead``, ``route.reserve``,
``route.start_soc``) and the air (``conditions.ambient``), and report
:data:`TRIP_METRICS`. Every figure is :func:`nevcalc.evaluate.trip_stage`'s, the stage
under ``nevcalc trip``, so a row equals the single answer for the same inputs.

The trip stage depends only on the car variant, the route variant and the air, so it
runs once per distinct combination of those, before any row: the charging curves
are marched once per (car variant, charger, air, preconditioning) and shared by every
route variant with that charger; the stops are planned in one vectorised call for every
car variant of all the route variants that share their stations, length, stop overhead
and SoC window (they differ in speed, charger or air, which reach the plan only through
each car's consumption, driving time and curves). Rows gather the answers by index.
"""

from __future__ import annotations

import math
from dataclasses import replace
from itertools import product
from typing import Any

import numpy as np

from nevcalc import catalog
from nevcalc.errors import InputError, SpecError
from nevcalc.evaluate import trip_curves, trip_stage
from nevcalc.routes import DEFAULTS, MAX_STATIONS, Route, route_from_spec
from nevcalc.scenario.charge import load_charger, with_heat_pump
from nevcalc.scenario.thermal import precondition_code, precondition_mode
from nevcalc.scenario.trip import route_consumption
from nevcalc.specs.schema import FIELDS as SCHEMA

__all__ = [
    "ROUTE_FIELDS",
    "TRIP_METRICS",
    "check_trip_plan",
    "route_fields",
    "route_variant",
    "trip_names",
    "trip_rows",
    "trip_table",
]

#: Route spec fields a sweep can vary, as ``route.NAME`` (values or ranges only).
ROUTE_FIELDS = (
    "speed",
    "station_spacing",
    "distance",
    "stop_overhead",
    "reserve",
    "start_soc",
    "cabin",
)

#: Sweep metrics of the trip stage.
TRIP_METRICS = ("trip_time", "stops", "stop_time", "km_in_20_min")

#: Car variants planned in one call are at most this over the route's stations, so that
#: the planner's arrays (about 2.4 kB per car and station) stay near 100 MB.
_CARS_TIMES_STATIONS = 40_000


def route_fields() -> dict[str, tuple[str, float, float, str, str]]:
    """``route.NAME`` -> (unit, lowest, highest, "trip", meaning), from the route schema."""
    out = {}
    for name in ROUTE_FIELDS:
        f = SCHEMA.get("route", {}).get(name)
        if f is None:
            continue
        lo = -np.inf if f.lo is None else f.lo
        hi = np.inf if f.hi is None else f.hi
        out[f"route.{name}"] = (f.unit, lo, hi, "trip", f.doc)
    return out


def route_variant(name: str, values: dict[str, float], charger: str | None = None,
                  ambient: float | None = None) -> Route:  # fmt: skip
    """Route spec ``name`` with some figures changed, built as a route spec is.

    Parameters
    ----------
    name : str
        Route spec name.
    values : dict
        Route spec field -> SI value (``speed`` [m s^-1], ``station_spacing`` [m], ...).
    charger : str, optional
        Charger of the evenly spaced stations.
    ambient : float, optional
        Air temperature [K].

    Returns
    -------
    nevcalc.routes.Route
        As :func:`nevcalc.routes.load_route` gives it for a spec with those figures.

    Examples
    --------
    >>> r = route_variant("motorway-1000", {"station_spacing": 250e3}, "huawei-600kw")
    >>> [(round(x / 1e3), c) for x, c in r.stations]
    [(250, 'huawei-600kw'), (500, 'huawei-600kw'), (750, 'huawei-600kw')]
    """
    spec = catalog.load(name, "route")
    vals = {**spec.values, **values}
    if charger is not None:
        vals["charger"] = charger
    if ambient is not None:
        vals["ambient"] = float(ambient)
    return route_from_spec(replace(spec, values=vals))


def _routes(plan) -> tuple[str, ...]:
    a = plan.axis("route")
    if a is not None:
        return a.names
    return (plan.base["route"],) if "route" in plan.base else ()


def _route_axes(plan) -> list:
    return [a for d in plan.dims for a in d.axes
            if a.kind == "values" and a.field.startswith("route.")]  # fmt: skip


def _route_chargers(plan) -> tuple[str | None, ...]:
    a = plan.axis("route.charger")
    if a is not None:
        return a.names
    return (plan.base.get("route.charger"),)


def _base_values(plan) -> dict[str, float]:
    return {k[6:]: float(v) for k, v in plan.base.items()
            if k.startswith("route.") and k != "route.charger"}  # fmt: skip


def _values(base, raxes, at) -> dict[str, float]:
    """Route spec field -> SI value of a route variant: the base's, then the axes' at ``at``."""
    return {**base, **{a.field[6:]: float(a.values[k]) for a, k in zip(raxes, at, strict=True)}}


def trip_names(plan) -> tuple[str, ...]:
    """The axes of the trip table after the car variant's: route, route fields, charger."""
    return ("route", *(a.field for a in _route_axes(plan)), "route.charger")


def _problem(where: str, message: str) -> SpecError:
    return SpecError([f"{where}: {message}"])


def check_trip_plan(plan, where: str, axis_at: dict[str, int], limit: int) -> list:
    """Check what a sweep asks of routes before any work: a route for route axes and trip
    metrics, spacings and chargers the routes can take, reserves below starts, every route
    variant buildable.

    ``axis_at``: field -> index of its ``[[axis]]`` table, for messages. Returns
    ``(stations, route variants)`` of each distinct layout (planned together), times the
    air temperatures; empty without a route.
    """
    routes = _routes(plan)

    def at(name):
        return f"{where}: axis[{axis_at[name]}]" if name in axis_at else f"{where}: base.{name}"

    asked = [k for k in (*axis_at, *plan.base) if k.startswith("route.")]
    if not routes:
        if asked:
            raise _problem(at(asked[0]), f"{asked[0]} needs a route: set one in [base] "
                           '(route = "motorway-1000"; `nevcalc specs list route`)')  # fmt: skip
        trip = [m for m in plan.outputs if m in TRIP_METRICS]
        if trip:
            raise _problem(f"{where}: outputs", f"{trip[0]} needs a route: set one in [base] "
                           '(route = "motorway-1000"; `nevcalc specs list route`)')  # fmt: skip
        return []
    for name in ("conditions.ambient", "conditions.precondition"):
        a = plan.axis(name)
        if a is not None and a.kind == "random":
            raise _problem(at(name), f"{name} is drawn, but each trip is planned exactly: give "
                           "values or a range with a route")  # fmt: skip
    spacing = "route.station_spacing" in asked
    charger = "route.charger" in asked
    for name in routes:
        spec = catalog.load(name, "route")
        if spacing and not charger and spec.get("charger") is None:
            raise _problem(at("route.station_spacing"), f"route {name} lists its stations, so "
                           "there is no charger to space evenly; add route.charger")  # fmt: skip
        if charger and not spacing and spec.get("station_spacing") is None:
            raise _problem(at("route.charger"), f"route {name} lists its stations at given km; "
                           "give route.station_spacing with route.charger")  # fmt: skip
        _check_window(plan, spec, at)
    raxes = _route_axes(plan)
    chargers = _route_chargers(plan)
    variants = len(routes) * math.prod(a.size for a in raxes) * len(chargers)
    if variants > limit:
        raise _problem(
            where,
            f"{variants:,} route variants (routes x route field values x chargers), more "
            f"than {limit:,}; use fewer values on the route axes",
        )
    base = _base_values(plan)
    widest = 0
    layouts: dict[tuple, list] = {}
    for r, *rest, c in product(routes, *(range(a.size) for a in raxes), chargers):
        values = _values(base, raxes, rest)
        try:
            route = route_variant(r, values, c)
        except (InputError, SpecError) as exc:
            text = str(exc.problems[0]) if isinstance(exc, SpecError) else str(exc)
            shown = ", ".join(f"{k} {v:g}" for k, v in values.items())
            raise _problem(
                where, f"route {r}{' with ' + shown if shown else ''}: {text}"
            ) from None
        widest = max(widest, len(route.stations))
        layouts.setdefault(_layout(route), [len(route.stations), 0])[1] += 1
    if widest > MAX_STATIONS:  # (the route builder refuses these first)
        raise _problem(where, f"{widest} stations on a route; at most {MAX_STATIONS}")
    airs = 1
    for name in ("conditions.ambient", "conditions.precondition"):
        a = plan.axis(name)
        airs *= 1 if a is None else a.size
    return [(k, n * airs) for k, n in layouts.values()]


def _check_window(plan, spec, at) -> None:
    """Every reserve below every start SoC the sweep can give the route."""

    def options(key):
        a = plan.axis(f"route.{key}")
        if a is not None:
            return [float(x) for x in a.values], f"route.{key}"
        if f"route.{key}" in plan.base:
            return [float(plan.base[f"route.{key}"])], f"route.{key}"
        own = spec.get(key)
        return [DEFAULTS[key][0] if own is None else float(own)], f"route {spec.name}'s {key}"

    (res, res_from), (start, start_from) = options("reserve"), options("start_soc")
    if max(res) >= min(start):
        key = res_from if res_from.startswith("route.") else start_from
        if not key.startswith("route."):
            return  # the route spec itself: its own error when built
        raise _problem(
            at(key),
            f"a reserve of {max(res):.0%} ({res_from}) is not below a start of "
            f"{min(start):.0%} ({start_from}); give reserves below the start SoC",
        )


def _precondition(plan, code: float) -> str | float:
    """The trip's preconditioning: the sweep's when it sets one, else ``nevcalc trip``'s
    default (warmed on the way to each charger)."""
    given = plan.axis("conditions.precondition") is not None or (
        "conditions.precondition" in plan.base
    )
    return precondition_mode(code) if given else "on-arrival"


def trip_table(plan, cars, vshape, conditions, threads: int = 1) -> dict[str, Any]:
    """Trip answers over (car variant..., route, route fields..., charger, conditions...).

    Parameters
    ----------
    plan : SweepPlan
    cars : list of Car or None
        The car variants, flat in the order of ``vshape`` (None: no answer).
    vshape : tuple of int
    conditions : tuple
        ``(ambient [K] or None, precondition codes, shape)`` over the ``conditions.*``
        axes, as the charging table takes them.
    threads : int
        Blocks of cars planned side by side.

    Returns
    -------
    dict
        ``trip_time``, ``stop_time`` [s], ``stops``, ``km_in_20_min`` [m] and
        ``feasible`` over the table's axes; ``stats`` (plans, charging curves marched).
    """
    routes = _routes(plan)
    raxes = _route_axes(plan)
    chargers = _route_chargers(plan)
    ambient, pre, ashape = conditions
    na = 1 if ambient is None else ambient.size
    rshape = (len(routes), *(a.size for a in raxes), len(chargers))
    n = len(cars)
    out = {k: np.full((n, math.prod(rshape), na), np.nan)
           for k in ("trip_time", "stop_time", "stops", "km_in_20_min")}  # fmt: skip
    out["feasible"] = np.ones((n, math.prod(rshape), na), bool)
    good = [k for k, c in enumerate(cars) if c is not None]
    vehicles = [cars[k].charging for k in good]
    base = _base_values(plan)
    consumption: dict[tuple, np.ndarray] = {}
    marched: dict[tuple, dict[str, np.ndarray]] = {}
    layouts: dict[tuple, list] = {}  # route variants that differ only in charger and air
    for j in range(na):
        air = None if ambient is None else float(ambient[j])
        for flat, (r, *rest, c) in enumerate(product(*(range(s) for s in rshape))):
            route = route_variant(routes[r], _values(base, raxes, rest), chargers[c], air)
            code = 0.0 if pre is None else float(pre[j])  # the route's own air, no axis
            mode = "none" if route.ambient is None else _precondition(plan, code)
            layouts.setdefault(_layout(route), []).append((flat, j, route, mode))
    plans = 0
    for members in layouts.values():
        cons, curves = [], []
        for _flat, _j, route, mode in members:
            key = (route.speed, route.ambient, route.cabin, route.heat_pump)
            if key not in consumption:
                consumption[key] = np.array(
                    [route_consumption(cars[k].road, cars[k].charging, route)[0] for k in good]
                )
            cons.append(consumption[key])
            curves.append(_curves(marched, vehicles, route, mode))
        # one plan over the cars of every member: the route's layout and window are the
        # same, the charger and the air reach the plan only through each car's curves, the
        # speed through its consumption and driving time
        speed = np.repeat([route.speed for _f, _j, route, _m in members], len(good))
        got = _plan(vehicles * len(members), np.concatenate(cons), members[0][2],
                    members[0][3], _stacked(curves), threads, speed)  # fmt: skip
        plans += len(good) * len(members)
        for m, (flat, j, _route, _mode) in enumerate(members):
            rows = slice(m * len(good), (m + 1) * len(good))
            cols = (good, flat, j)
            out["trip_time"][cols] = got["total_time"][rows]
            out["stop_time"][cols] = got["stop_time"][rows]
            out["stops"][cols] = np.where(got["feasible"][rows], got["stops"][rows], np.nan)
            out["km_in_20_min"][cols] = got["km_in_20min"][rows]
            out["feasible"][cols] = got["feasible"][rows]
    shape = (*vshape, *rshape, *ashape)
    table = {k: x.reshape(shape) for k, x in out.items()}
    curves_marched = sum(x["time"].shape[0] for x in marched.values())
    table["stats"] = {"trip_plans": plans, "trip_curves": curves_marched}
    return table


def _layout(route: Route) -> tuple:
    """What a plan takes from a route besides the cars' curves, consumption and speed:
    stations (where, and which of the route's chargers), length, stop overhead and SoC
    window."""
    names = route.chargers
    where = tuple(x for x, _ in route.stations)
    which = tuple(names.index(c) for _, c in route.stations)
    return (where, which, route.distance, route.stop_overhead, route.start_soc, route.reserve)


def _stacked(curves):
    """Curves of several groups of cars, one after the other (None: no chargers)."""
    if curves[0] is None:
        return None
    return {k: np.concatenate([c[k] for c in curves]) for k in curves[0]}


def _curves(marched, vehicles, route, mode):
    """Each car's charging curves on the route's chargers (None: the route has none),
    marched once per charger, air and preconditioning."""
    if not route.chargers or not vehicles:
        return None
    parts = []
    for name in route.chargers:
        key = (name, route.ambient, precondition_code(mode), route.heat_pump)
        if key not in marched:
            cars = [with_heat_pump(v, route.heat_pump) for v in vehicles]
            marched[key] = trip_curves(cars, [load_charger(name)], route.ambient, mode)
        parts.append(marched[key])
    keys = parts[0].keys()
    return {k: np.concatenate([p[k] for p in parts], axis=1) for k in keys}


def _plan(vehicles, consumption, route, mode, curves, threads, speed) -> dict[str, np.ndarray]:
    """:func:`trip_stage` over the cars, in blocks that keep the planner's arrays bounded."""
    keys = ("total_time", "stop_time", "stops", "km_in_20min", "feasible")
    n = len(vehicles)
    if n == 0:
        return {k: np.zeros(0) for k in keys}
    block = max(1, _CARS_TIMES_STATIONS // max(len(route.stations), 1))
    parts = []
    for lo in range(0, n, block):
        rows = slice(lo, min(lo + block, n))
        sub = None if curves is None else {k: v[rows] for k, v in curves.items()}
        got = trip_stage(vehicles[rows], consumption[rows], route, precondition=mode,
                         curves=sub, threads=threads, speed=speed[rows])  # fmt: skip
        parts.append({k: np.asarray(got[k]) for k in keys})
    return {k: np.concatenate([p[k] for p in parts]) for k in keys}


def trip_rows(table, flat) -> dict[str, np.ndarray]:
    """The trip answers of rows at ``flat`` indices into the table (SI)."""
    return {k: _take(v, flat) for k, v in table.items() if k != "stats"}


def _take(arr, flat):
    return arr.ravel()[flat] if np.ndim(flat) else arr.ravel()[int(flat)]
