"""Routes of a trip: distance, speed, air and the charging stations along the way.

A route comes from a route spec (``specs/routes/*.toml``, ``nevcalc specs list route``)
or from a trip's options (``--distance 1000km --speed 120km/h --chargers "ionity-350
every 60km"``). Stations are evenly spaced (a charger and a spacing), listed at their
km (``"55 km ionity-350; 130 km tesla-v3"``), or both. Everything is parsed and bounded
here, once; a :class:`Route` holds SI floats.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace

from nevcalc import _show, catalog
from nevcalc.errors import InputError
from nevcalc.params import parse
from nevcalc.specs.model import Spec
from nevcalc.units import from_si

__all__ = [
    "DEFAULTS",
    "MAX_STATIONS",
    "Route",
    "adhoc_route",
    "load_route",
    "parse_spacing",
    "parse_stations",
    "route_from_spec",
]

#: Most stations a route may hold: a 20,000 km route with one every 100 km, or a 1000 km
#: motorway with one every 5 km, more than a trip's plan needs. The plan's work grows with
#: the stations times those within a car's range of each (about 0.3 s for one car at this
#: bound with every station in range); a web request is answered in well under a second.
MAX_STATIONS = 200

#: What a route leaves out: (SI value, one line saying so).
DEFAULTS = {
    "stop_overhead": (
        240.0,
        "4 min a stop besides charging: pulling in, plugging in, starting the session "
        "(assumed, the same for every car)",
    ),
    "start_soc": (1.0, "the trip starts at 100 %"),
    "reserve": (0.10, "arriving at every station and at the end with at least 10 %"),
}

_SPACING = re.compile(r"^\s*(?P<charger>\S+)\s+every\s+(?P<spacing>.+?)\s*$", re.IGNORECASE)
_STATION = re.compile(r"^\s*(?P<at>.+?\S)\s+(?P<charger>[a-z0-9][a-z0-9._/-]*)\s*$",
                      re.IGNORECASE)  # fmt: skip


@dataclass(frozen=True)
class Route:
    """A trip's road and stations, SI floats.

    Attributes
    ----------
    name, title : str
    distance : float
        [m].
    speed : float
        Mean speed [m s^-1].
    ambient : float or None
        Air temperature [K]; None: mild air, the pack at 25 degC.
    cabin : float or None
        Cabin set point with an ambient [K]; None: the driving climate's default, 21 degC.
    heat_pump : bool or None
        A heat pump heats the cabin; None: each vehicle's own (its spec's ``heat_pump``).
    stations : tuple of (float, str)
        Position [m] and charger spec name of each station, by position.
    stop_overhead : float
        Time a stop takes besides charging [s].
    start_soc, reserve : float
        SoC at the start; lowest SoC on arrival anywhere [-].
    assumptions : tuple of str
        The defaults taken.
    spacing : tuple or None
        ``(charger, spacing [m], first [m] or None)`` of the evenly spaced stations.
    listed : tuple of (float, str)
        The stations given at their positions.
    """

    name: str
    title: str
    distance: float
    speed: float
    ambient: float | None
    stations: tuple[tuple[float, str], ...]
    stop_overhead: float
    start_soc: float
    reserve: float
    assumptions: tuple[str, ...] = ()
    spacing: tuple | None = None
    listed: tuple[tuple[float, str], ...] = ()
    cabin: float | None = None
    heat_pump: bool | None = None

    def __repr__(self) -> str:
        return _show.line(self)

    def _repr_html_(self) -> str:
        return _show.html(self)

    @property
    def chargers(self) -> tuple[str, ...]:
        """The distinct chargers of the stations, in order of first appearance."""
        return tuple(dict.fromkeys(c for _, c in self.stations))

    def describe(self) -> str:
        """One line: distance, speed, air, stations."""
        air = "" if self.ambient is None else f", {from_si(self.ambient, 'degC'):.0f} degC"
        return (
            f"{from_si(self.distance, 'km'):.0f} km at {from_si(self.speed, 'km/h'):.0f} km/h"
            f"{air}, {len(self.stations)} stations ({', '.join(self.chargers) or 'none'})"
        )


def parse_spacing(text: str, where: str = "chargers") -> tuple[str, float]:
    """``"ionity-350 every 60km"`` -> (charger name, spacing [m]).

    Examples
    --------
    >>> parse_spacing("ionity-350 every 60 km")
    ('ionity-350', 60000.0)
    """
    m = _SPACING.match(str(text))
    if m is None:
        raise InputError(
            f"{where}: {str(text)[:60]!r} is not 'CHARGER every DISTANCE'; write e.g. "
            "'ionity-350 every 60km'"
        )
    spacing = parse("station_spacing", m["spacing"], where)
    return m["charger"].lower(), float(spacing)


def parse_stations(text: str, where: str = "stations") -> tuple[tuple[float, str], ...]:
    """``"55 km ionity-350; 130 km tesla-v3"`` -> ((55000.0, 'ionity-350'), ...).

    Examples
    --------
    >>> parse_stations("55 km ionity-350; 130km tesla-v3")
    ((55000.0, 'ionity-350'), (130000.0, 'tesla-v3'))
    """
    parts = [p for p in re.split(r"[;\n]", str(text)) if p.strip()]
    if len(parts) > MAX_STATIONS:
        raise InputError(
            f"{where}: {len(parts)} stations; at most {MAX_STATIONS}: list those a car could "
            "stop at"
        )
    out = []
    for part in parts:
        m = _STATION.match(part)
        if m is None:
            raise InputError(
                f"{where}: {part.strip()[:60]!r} is not 'DISTANCE CHARGER'; write e.g. "
                "'55 km ionity-350; 130 km tesla-v3'"
            )
        at = parse("station_at", m["at"], where)
        out.append((float(at), m["charger"].lower()))
    return tuple(out)


def _spaced(charger: str, spacing: float, first: float | None, distance: float, where: str):
    start = spacing if first is None else first
    count = 0 if start >= distance else math.ceil((distance - start) / spacing)  # before the end
    if count > MAX_STATIONS:
        raise InputError(
            f"{where}: a station every {from_si(spacing, 'km'):g} km makes {count} stations "
            f"over {from_si(distance, 'km'):g} km; at most {MAX_STATIONS}: space them wider"
        )
    at = [start + k * spacing for k in range(count)]
    return tuple((x, charger) for x in at if x < distance)


def _check_chargers(stations, where: str) -> None:
    for name in dict.fromkeys(c for _, c in stations):
        catalog.load(name, "charger")  # a clear error naming the missing charger


def _build(name, title, distance, speed, ambient, spaced, listed, first, overhead, start,
           reserve, where, where_reserve=None, cabin=None, heat_pump=None,
           where_spacing=None) -> Route:  # fmt: skip
    notes = []

    def default(key, value):
        if value is not None:
            return float(value)
        v, text = DEFAULTS[key]
        notes.append(text)
        return v

    stations: list[tuple[float, str]] = []
    if spaced is not None:
        stations += _spaced(*spaced, first, distance, where_spacing or where)
    if len(stations) + len(listed) > MAX_STATIONS:
        raise InputError(
            f"{where}: {len(stations) + len(listed)} stations over "
            f"{from_si(distance, 'km'):g} km; at most {MAX_STATIONS}: space them wider or "
            "shorten the route"
        )
    if listed:
        beyond = [x for x, _ in listed if x >= distance]
        if beyond:
            raise InputError(
                f"{where}: a station at {from_si(beyond[0], 'km'):g} km is not before the end "
                f"of the {from_si(distance, 'km'):g} km route; give stations inside it"
            )
        stations += list(listed)
    stations.sort(key=lambda s: s[0])
    _check_chargers(stations, where)
    start_soc, reserve_ = default("start_soc", start), default("reserve", reserve)
    if reserve_ >= start_soc:
        raise InputError(
            f"{where_reserve or where}: the reserve {reserve_:.0%} is not below the start "
            f"{start_soc:.0%}; "
            "lower the reserve or start fuller"
        )
    return Route(
        name=name,
        title=title,
        distance=float(distance),
        speed=float(speed),
        ambient=None if ambient is None else float(ambient),
        stations=tuple(stations),
        stop_overhead=default("stop_overhead", overhead),
        start_soc=start_soc,
        reserve=reserve_,
        assumptions=tuple(notes),
        spacing=None if spaced is None else (*spaced, first),
        listed=tuple(sorted(listed)),
        cabin=None if cabin is None else float(cabin),
        heat_pump=heat_pump,
    )


def route_from_spec(spec: Spec) -> Route:
    """A :class:`Route` from a route spec."""
    where = f"route {spec.name}"
    spaced = None
    if spec.get("charger") is not None or spec.get("station_spacing") is not None:
        if spec.get("charger") is None or spec.get("station_spacing") is None:
            raise InputError(f"{where}: charger and station_spacing go together")
        spaced = (str(spec["charger"]), float(spec["station_spacing"]))
    listed = parse_stations(spec["stations"], f"{where}: stations") if spec.get("stations") else ()
    pump = spec.get("heat_pump")
    return _build(spec.name, spec.title, spec["distance"], spec["speed"], spec.get("ambient"),
                  spaced, listed, spec.get("first_station"), spec.get("stop_overhead"),
                  spec.get("start_soc"), spec.get("reserve"), where, cabin=spec.get("cabin"),
                  heat_pump=None if pump is None else pump == "yes")  # fmt: skip


def load_route(name: str) -> Route:
    """The route spec ``name`` (or a ``.toml`` path)."""
    return route_from_spec(catalog.load(name, "route"))


def adhoc_route(
    route: Route | None = None,
    *,
    distance=None,
    speed=None,
    chargers=None,
    stations=None,
    ambient=None,
    stop_overhead=None,
    start_soc=None,
    reserve=None,
    cabin=None,
    heat_pump: bool | None = None,
    prefix: str = "",
) -> Route:
    """A route from a trip's options, each read once; given ``route``, its figures
    changed by those given.

    Parameters
    ----------
    route : Route, optional
        A route to start from.
    distance, speed, ambient, stop_overhead, start_soc, reserve, cabin : optional
        Text with units or SI floats (``"1000 km"``, ``"120 km/h"``, ``"-10 degC"``,
        ``"5 min"``, ``"80 %"``, ``"10 %"``, ``"19 degC"``).
    heat_pump : bool, optional
        A heat pump heats the cabin (None: the route's, else each vehicle's own).
    chargers : str, optional
        ``"CHARGER every DISTANCE"``: evenly spaced stations (replacing the route's).
    stations : str, optional
        ``"DISTANCE CHARGER; ..."``: listed stations (replacing the route's).
    prefix : str
        Put before each argument's name in messages (``"option --"`` on the command line).

    Examples
    --------
    >>> r = adhoc_route(distance="300 km", speed="120 km/h", chargers="ionity-350 every 100 km")
    >>> [round(x / 1000) for x, _ in r.stations], r.reserve
    ([100, 200], 0.1)
    """

    def read(param, value, arg):
        return None if value is None else parse(param, value, f"{prefix}{arg}")

    d = read("trip_distance", distance, "distance")
    v = read("speed", speed, "speed")
    if route is None and (d is None or v is None):
        raise InputError(f"{prefix}distance: give a route, or a distance and a speed")
    if route is not None:
        d = route.distance if d is None else d
        v = route.speed if v is None else v
    spaced = parse_spacing(chargers, f"{prefix}chargers") if chargers is not None else None
    listed = parse_stations(stations, f"{prefix}stations") if stations is not None else ()
    first = None
    if route is not None and spaced is None and not listed:  # the route's own, to the end
        spaced = None if route.spacing is None else route.spacing[:2]
        first = None if route.spacing is None else route.spacing[2]
        listed = tuple(s for s in route.listed if s[0] < d)
    amb = read("ambient", ambient, "ambient")
    if route is not None and amb is None:
        amb = route.ambient
    over = read("stop_overhead", stop_overhead, "overhead")
    start = read("start_soc", start_soc, "start")
    res = read("reserve", reserve, "reserve")
    cab = read("cabin", cabin, "cabin")
    if route is not None:
        cab = route.cabin if cab is None else cab
        heat_pump = route.heat_pump if heat_pump is None else heat_pump
        over = route.stop_overhead if over is None else over
        start = route.start_soc if start is None else start
        res = route.reserve if res is None else res
    changed = any(x is not None for x in (distance, speed, chargers, stations, ambient))
    name = route.name if route is not None and not changed else "adhoc"
    title = route.title if route is not None and not changed else ""
    which = (
        "stations" if stations is not None else "chargers" if chargers is not None else "distance"
    )
    built = _build(name, title, d, v, amb, spaced, listed, first, over, start, res,
                   f"{prefix}{which}", f"{prefix}reserve", cab, heat_pump,
                   f"{prefix}chargers" if chargers is not None else None)  # fmt: skip
    if route is not None:
        built = replace(built, assumptions=tuple(dict.fromkeys(
            (*route.assumptions, *built.assumptions))))  # fmt: skip
    if not built.title:
        built = replace(built, title=built.describe())
    return built
