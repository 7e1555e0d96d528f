"""A long trip with its charging stops: ``nevcalc trip``.

The car drives the route at its speed: a motorway trace (the cruise of the Artemis
CADC motorway cycle, scaled to the route's mean speed) through the road-load model
of :mod:`nevcalc.scenario.road`, in the route's air with the cabin climate on.
Its legs between stations cost that consumption; the stops and the SoC to charge
to at each are the least-time plan of :func:`nevcalc.evaluate.trip_stage`, exact
on a 1 % SoC grid. Every figure of the answer comes from that stage, so a row of
``compare --trip`` or of a sweep is the same number.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from nevcalc import _show
from nevcalc.cycles import load_cycle
from nevcalc.errors import InputError
from nevcalc.evaluate import trip_stage
from nevcalc.model import charging
from nevcalc.model.trip import curve_time
from nevcalc.params import parse
from nevcalc.routes import Route
from nevcalc.scenario.charge import Vehicle
from nevcalc.scenario.road import CABIN_SET_POINT, DrivingClimate, RoadVehicle, trace_consumption
from nevcalc.units import format_si, from_si

__all__ = [
    "MOTORWAY_CYCLE",
    "MOTORWAY_STRETCH",
    "TripAnswer",
    "TripStop",
    "motorway_trace",
    "route_consumption",
    "speed_consumption",
    "trip",
    "trips",
]

#: The measured motorway driving a route's speed trace is built from.
MOTORWAY_CYCLE = "cadc-motorway-130"
#: Its cruise, between the climb from and the fall to standstill [s].
MOTORWAY_STRETCH = (146.0, 970.0)


@lru_cache(maxsize=64)
def motorway_trace(speed: float) -> tuple[np.ndarray, np.ndarray]:
    """Time [s] and speed [m s^-1] of motorway driving at a mean ``speed`` [m s^-1].

    The cruise of the Artemis CADC motorway cycle (André 2004, measured European
    driving; 146-970 s of the 130 km/h variant), its speeds scaled so their mean over
    time is ``speed``: real speed changes, not a constant.

    Examples
    --------
    >>> t, v = motorway_trace(120 / 3.6)
    >>> round(float(np.trapezoid(v, t) / (t[-1] - t[0]) * 3.6), 6)
    120.0
    """
    c = load_cycle(MOTORWAY_CYCLE, allow_path=False)
    lo, hi = MOTORWAY_STRETCH
    keep = (c.time >= lo) & (c.time <= hi)
    t = c.time[keep] - lo
    v = c.speed[keep]
    mean = np.trapezoid(v, t) / (t[-1] - t[0])
    return t, v * (float(speed) / mean)


def speed_consumption(road: RoadVehicle | None, vehicle: Vehicle, speed: float,
                      ambient: float | None = None, cabin: float | None = None,
                      heat_pump: bool | None = None) -> tuple[float, str]:  # fmt: skip
    """Battery-side consumption at a mean ``speed`` [m s^-1] in ``ambient`` air [K]
    [J m^-1], and where it comes from.

    A car with road figures drives :func:`motorway_trace` at that speed (with an
    ambient, the cabin held at ``cabin`` [K], 21 degC by default, heated by a heat
    pump or not as ``heat_pump`` says, else as the vehicle's spec); one without keeps
    its stated consumption.

    Examples
    --------
    >>> from nevcalc.scenario.charge import load_vehicle
    >>> from nevcalc.scenario.road import load_road_vehicle
    >>> from nevcalc.units import si_factor
    >>> c, basis = speed_consumption(load_road_vehicle("kia-ev6-77"),
    ...                              load_vehicle("kia-ev6-77"), 120 * si_factor("km/h"))
    >>> bool(15.0 < c / si_factor("kWh/(100 km)") < 25.0), "120 km/h" in basis
    (True, True)
    """
    shown = format_si(speed, "km/h", ".0f")
    if road is None:
        if not np.isfinite(vehicle.consumption) or vehicle.consumption <= 0:
            raise InputError(
                f"vehicle {vehicle.name}: no road figures and no consumption for the trip; "
                "give --consumption"
            )
        return vehicle.consumption, (
            f"consumption {format_si(vehicle.consumption, 'kWh/(100 km)', '.1f')} as given "
            f"(not modelled at {shown})"
        )
    t, v = motorway_trace(speed)
    climate = None
    air = ""
    if ambient is not None:
        set_point = CABIN_SET_POINT if cabin is None else float(cabin)
        climate = DrivingClimate(ambient, set_point, heat_pump)
        heater = (
            "" if heat_pump is None else " (heat pump)" if heat_pump else " (resistive heater)"
        )
        air = (f" at {from_si(ambient, 'degC'):.0f} degC, cabin heated or cooled to "
               f"{from_si(climate.cabin, 'degC'):.0f} degC{heater}")  # fmt: skip
    c = trace_consumption(road, t, v, climate=climate)
    return c, (
        f"consumption {format_si(c, 'kWh/(100 km)', '.1f')} at {shown}{air} (motorway "
        "trace: the Artemis CADC motorway cruise scaled to the speed, road-load model)"
    )


def route_consumption(road: RoadVehicle | None, vehicle: Vehicle,
                      route: Route) -> tuple[float, str]:  # fmt: skip
    """Battery-side consumption on the route [J m^-1] and where it comes from:
    :func:`speed_consumption` at the route's speed, air and cabin."""
    return speed_consumption(road, vehicle, route.speed, route.ambient, route.cabin,
                             route.heat_pump)  # fmt: skip


@dataclass(frozen=True)
class TripStop:
    """One charging stop, SI floats."""

    at: float  #: distance from the start [m]
    charger: str
    arrive: float  #: SoC [-]
    leave: float  #: SoC [-]
    time: float  #: at the stop, overhead included [s]
    charging_time: float  #: [s]
    average_power: float  #: into the pack [W]
    energy_from_grid: float  #: [J]
    limit: str  #: the limit that binds over most of the charge


@dataclass(frozen=True)
class TripAnswer:
    """A trip, explained. Quantities are SI floats."""

    vehicle: Vehicle
    route: Route
    feasible: bool
    reason: str
    total_time: float  #: [s]; inf when infeasible
    drive_time: float  #: [s]
    stop_time: float  #: at stops, overhead included [s]
    charging_time: float  #: [s]
    stops: tuple[TripStop, ...]
    arrive_end: float  #: SoC at the destination [-]
    consumption: float  #: battery side [J m^-1]
    energy_used: float  #: battery side [J]
    energy_from_grid: float  #: at the stops [J]
    km_in_20min: float  #: distance added in 20 minutes from 10 % on the first charger [m]
    mean_speed: float  #: distance over total time [m s^-1]
    price: float | None  #: price of the energy at the chargers [USD J^-1]; None: not given
    cost: float  #: the energy at the stops at ``price`` [USD]; nan without a price
    profile: dict[str, np.ndarray]  #: ``distance`` [m], ``soc`` [-], ``time`` [s]
    precondition: str
    assumptions: tuple[str, ...]

    def __repr__(self) -> str:
        return _show.line(self)

    def _repr_html_(self) -> str:
        return _show.html(self)


def _main_limit(limits: np.ndarray, soc_steps: np.ndarray, a: float, b: float) -> str:
    """The limit binding over most of the SoC from ``a`` to ``b`` (profile points)."""
    inside = (soc_steps >= a - 1e-12) & (soc_steps <= b + 1e-12)
    codes = limits[inside]
    if codes.size == 0:
        return ""
    counts = np.bincount(codes.astype(np.intp), minlength=len(charging.LIMIT_NAMES))
    return charging.LIMIT_NAMES[int(np.argmax(counts))]


def _profile(route, leg, plan, feasible, i=0) -> dict[str, np.ndarray]:
    """SoC and elapsed time against distance, stop by stop (two points at a stop)."""
    at = np.array([0.0, *(x for x, _ in route.stations), route.distance])
    d, s, t = [0.0], [route.start_soc], [0.0]
    if not feasible:
        return {"distance": np.array(d), "soc": np.array(s), "time": np.array(t)}
    soc, clock = route.start_soc, 0.0
    for k in range(len(route.stations)):
        soc -= leg[k]
        clock += (at[k + 1] - at[k]) / route.speed
        d.append(at[k + 1]), s.append(soc), t.append(clock)
        if plan.stopped[i, k]:
            clock += float(plan.stop_time[i, k])
            soc = float(plan.leave[i, k])
            d.append(at[k + 1]), s.append(soc), t.append(clock)
    soc -= leg[-1]
    clock += (at[-1] - at[-2]) / route.speed
    d.append(at[-1]), s.append(soc), t.append(clock)
    return {"distance": np.array(d), "soc": np.maximum(np.array(s), 0.0), "time": np.array(t)}


def _infeasible(route: Route, got: dict, consumption: float, i: int = 0) -> str:
    """Where the trip breaks down and why, in one line."""
    k = int(got["infeasible_at"][i])
    at = [0.0, *(x for x, _ in route.stations), route.distance]
    names = ["the start", *(f"the station at {from_si(x, 'km'):.0f} km" for x, _ in
                            route.stations), "the end"]  # fmt: skip
    if k < 0 or k + 1 >= len(at):
        return "no plan keeps every arrival above the reserve"
    if k == 0:
        most, where = route.start_soc, "starting"
    else:
        curve = got["curves"]["time"][i, int(got["station_charger"][k - 1])]
        finite = np.flatnonzero(np.isfinite(curve))
        most = finite[-1] / (curve.size - 1) if finite.size else 0.0
        where = "charging there to"
    need = float(got["leg"][i, k])
    return (
        f"the {from_si(at[k + 1] - at[k], 'km'):.0f} km from {names[k]} to {names[k + 1]} "
        f"take {need:.0%} of the battery at {format_si(consumption, 'kWh/(100 km)', '.1f')}: "
        f"{where} {most:.0%} leaves less than the {route.reserve:.0%} reserve on arrival; "
        "add a station, drive slower or lower the reserve"
    )


def trip(vehicle: Vehicle, road: RoadVehicle | None, route: Route, *,
         precondition="on-arrival", price=None) -> TripAnswer:  # fmt: skip
    """Drive ``route`` in the least total time and explain the stops.

    Parameters
    ----------
    vehicle : Vehicle
        Charging hardware (:func:`nevcalc.scenario.charge.load_vehicle` or a brochure
        car).
    road : RoadVehicle or None
        Road-load figures of the same car; None: ``vehicle.consumption`` is used.
    route : Route
    precondition : str or float
        With an ambient: ``"on-arrival"`` (the navigation warms the pack for each
        charger, the default), ``"none"`` or seconds.
    price : optional
        Price of the energy drawn at the chargers: text (``"0.69 EUR/kWh"``) or a
        number [USD/kWh]; the answer's ``cost`` is the grid energy of the stops at it.

    Returns
    -------
    TripAnswer

    Examples
    --------
    >>> from nevcalc.routes import load_route
    >>> from nevcalc.scenario.charge import load_vehicle
    >>> from nevcalc.scenario.road import load_road_vehicle
    >>> ans = trip(load_vehicle("kia-ev6-77"), load_road_vehicle("kia-ev6-77"),
    ...            load_route("motorway-1000"))
    >>> ans.feasible, ans.total_time == ans.drive_time + ans.stop_time
    (True, True)
    >>> bool(ans.arrive_end >= ans.route.reserve - 1e-9)
    True
    """
    return trips([vehicle], [road], route, precondition=precondition, price=price)[0]


def trips(vehicles: Sequence[Vehicle], roads: Sequence[RoadVehicle | None], route: Route, *,
          precondition="on-arrival", price=None) -> tuple[TripAnswer, ...]:  # fmt: skip
    """:func:`trip` for several cars on one route, planned in one call of the trip stage.

    Parameters
    ----------
    vehicles, roads : sequence
        The cars' charging hardware and road-load figures (None: the stated consumption).
    route : Route
    precondition, price
        As :func:`trip` takes them.

    Returns
    -------
    tuple of TripAnswer
        In the order of ``vehicles``; times [s], energies [J].

    Examples
    --------
    >>> from nevcalc.routes import load_route
    >>> from nevcalc.scenario.charge import load_vehicle
    >>> from nevcalc.scenario.road import load_road_vehicle
    >>> names = ["kia-ev6-77", "nissan-leaf-40"]
    >>> both = trips([load_vehicle(n) for n in names], [load_road_vehicle(n) for n in names],
    ...              load_route("motorway-1000"))
    >>> [len(a.stops) > 0 for a in both]
    [True, True]
    """
    usd_per_j = None if price is None else float(parse("fast_price", price, "price"))
    pre = precondition if route.ambient is not None else "none"
    basis = [route_consumption(r, v, route) for v, r in zip(vehicles, roads, strict=True)]
    got = trip_stage(list(vehicles), [c for c, _ in basis], route, precondition=pre)
    return tuple(_answer(v, route, got, i, basis[i], pre, usd_per_j)
                 for i, v in enumerate(vehicles))  # fmt: skip


def _answer(vehicle, route, got, i, basis, pre, usd_per_j) -> TripAnswer:
    """Row ``i`` of a :func:`~nevcalc.evaluate.trip_stage` answer, explained."""
    consumption, basis = basis
    plan = got["plan"]
    feasible = bool(got["feasible"][i])
    curves = got["curves"]
    steps = curves["limit"].shape[-1] - 1
    soc_steps = np.linspace(0.0, 1.0, steps + 1)
    stops = []
    if feasible:
        for k, (x, name) in enumerate(route.stations):
            if not plan.stopped[i, k]:
                continue
            c = int(got["station_charger"][k])
            a, b = float(plan.arrive[i, k]), float(plan.leave[i, k])
            t_charge = float(
                curve_time(curves["time"][i, c], b) - curve_time(curves["time"][i, c], a)
            )
            e_batt = float(curve_time(curves["battery_energy"][i, c], b)
                           - curve_time(curves["battery_energy"][i, c], a))  # fmt: skip
            e_grid = float(curve_time(curves["grid_energy"][i, c], b)
                           - curve_time(curves["grid_energy"][i, c], a))  # fmt: skip
            e_grid += float(curves["warmup_energy"][i, c])
            stops.append(TripStop(
                at=x, charger=name, arrive=a, leave=b, time=float(plan.stop_time[i, k]),
                charging_time=t_charge,
                average_power=e_batt / t_charge if t_charge > 0 else 0.0,
                energy_from_grid=e_grid,
                limit=_main_limit(curves["limit"][i, c], soc_steps, a, b),
            ))  # fmt: skip
    notes = [basis, *route.assumptions, *vehicle.assumptions]
    notes.append(
        "charging curves marched from 0 % on each charger; stops and their SoC planned "
        "for the least total time, exactly on a 1 % SoC grid"
    )
    if route.ambient is not None:
        how = {"on-arrival": "preconditioned on the way to each charger",
               "none": "not preconditioned: the pack at the air's temperature"}  # fmt: skip
        text = (
            how.get(pre)
            if isinstance(pre, str)
            else f"preconditioned for {from_si(pre, 'min'):.0f} min"
        )
        notes.append(f"pack {text}")
        if vehicle.thermal is not None:
            notes += list(vehicle.thermal.assumptions)
    reason = "" if feasible else _infeasible(route, got, consumption, i)
    total = float(got["total_time"][i])
    return TripAnswer(
        vehicle=vehicle,
        route=route,
        feasible=feasible,
        reason=reason,
        total_time=total,
        drive_time=float(got["drive_time"][i]),
        stop_time=float(got["stop_time"][i]),
        charging_time=float(got["charging_time"][i]),
        stops=tuple(stops),
        arrive_end=float(got["arrive_end"][i]) if feasible else float("nan"),
        consumption=consumption,
        energy_used=float(got["energy_used"][i]),
        energy_from_grid=float(got["energy_from_grid"][i]) if feasible else float("nan"),
        km_in_20min=float(got["km_in_20min"][i]),
        mean_speed=route.distance / total if feasible and total > 0 else float("nan"),
        price=usd_per_j,
        cost=(
            float(got["energy_from_grid"][i]) * usd_per_j
            if feasible and usd_per_j is not None
            else float("nan")
        ),
        profile=_profile(route, got["leg"][i], plan, feasible, i),
        precondition=str(pre),
        assumptions=tuple(dict.fromkeys(n for n in notes if n)),
    )
