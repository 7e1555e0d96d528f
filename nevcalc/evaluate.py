"""One evaluator under every answer: cars, chargers and usages to metrics, in stages.

Every answer that joins the models — ``nevcalc compare``, ``scenario run``,
``cost``, ``range`` and every sweep row — is computed by the stages here, so a
new factor is added once and a sweep row equals the single answer for the same
inputs:

1. :func:`drive_stage` — consumption and range of each car on its procedures;
2. :func:`charge_stage` — the 10-80 % session and the charge in 5 minutes of each
   distinct car-charger pair (one vectorised march per pair);
3. :func:`health_stage` — the daily duty of a usage and the ageing it causes
   (:func:`ageing_stage`);
4. :func:`cost_stage` — lifecycle cost by part;
5. :func:`trip_stage` — the least-time charging stops of a route.

Stages take and return SI arrays that broadcast: a sweep hands them arrays shaped
over its axes and gets every answer over the axes it depends on. Where a sweep uses
a fast stand-in (the ageing table, charger-power nodes), :class:`Surrogate` carries it
and a single answer can ask for the same. :func:`evaluate` runs the four stages for
a set of cases.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from nevcalc.ageing import MONTH_DAYS, ageing_stage
from nevcalc.cars import Car, stack
from nevcalc.metrics import display_factor
from nevcalc.model import cost as cost_model
from nevcalc.model import degradation
from nevcalc.model.cost import CostParts
from nevcalc.model.trip import curve_time, optimal_stops
from nevcalc.reasons import MISSING_PACK, charge_reason
from nevcalc.scenario.charge import (
    Charger,
    Vehicle,
    charge_curves,
    charge_table,
    load_charger,
    with_heat_pump,
)
from nevcalc.scenario.road import (
    CABIN_SET_POINT,
    DrivingClimate,
    cold_march_cars,
    drive_range,
    equip_heat_pump,
    procedure_consumption,
)
from nevcalc.scenario.thermal import precondition_code
from nevcalc.surrogate import Surrogate, axis_weights
from nevcalc.units import si_factor

__all__ = [
    "CHARGE_STEPS",
    "MONTH_DAYS",
    "Economics",
    "Evaluation",
    "Surrogate",
    "Usage",
    "ageing_stage",
    "charge_stage",
    "charging_vehicle",
    "climate_consumption",
    "cost_stage",
    "distance_added",
    "drive_stage",
    "evaluate",
    "health_stage",
    "interpolate_power",
    "km_in_20_min",
    "trip_curves",
    "trip_stage",
    "year_mean",
]

#: SoC steps of a single answer's charging profile.
CHARGE_STEPS = 400
#: Seconds in a year.
YEAR = display_factor("year")
#: Start and end of the charging session every answer reports [-], and the time of the
#: "km in 5 minutes" figure [s].
SESSION = (0.1, 0.8, 300.0)


@dataclass(frozen=True)
class Usage:
    """How a car is used, in SI floats or arrays that broadcast over cases.

    Money is in one currency per call, the base currency of the caller (USD for
    every answer of nevcalc); ``[USD]`` below.

    Attributes
    ----------
    annual_distance : array_like
        Distance driven a year [m].
    fast_charge_share : array_like
        Share of the energy from fast chargers [-].
    home_charge_power : array_like
        Everyday charger power [W].
    temperature : array_like
        Battery temperature [K].
    soc_low, soc_high : array_like
        Daily SoC window [-].
    electricity_price, fast_charge_price : array_like
        Price of energy at home and at fast chargers [USD J^-1].
    value_of_time : array_like
        Value of time spent at fast chargers [USD s^-1].
    climate : array_like, optional
        Monthly mean cell temperatures [K], shape ``(..., 12)``: the health stage ages
        the year month by month instead of at ``temperature`` (None: ``temperature``).
    ageing_scale : (array_like, array_like), optional
        Factors on the calendar and cycling fade of the direct ageing model (the fleet
        correction of :func:`nevcalc.ageing.fleet_scale`); None: the lab-cell model.
    air : array_like, optional
        Monthly mean air temperatures [K], shape ``(12,)``, January first: the cost stage
        prices the energy month by month at each month's consumption in that air
        (:func:`climate_consumption`); None: at the official procedure's consumption.
    cabin : float, optional
        With ``air``: the cabin set point of those drives [K]; None: 21 degC.
    heat_pump : bool, optional
        With ``air``: a heat pump heats the cabin and the pack, or not; None: each
        car's own.

    Examples
    --------
    15 000 km a year, a fifth of the energy fast-charged, 11 kW at home, 25 degC,
    a 30-80 % window, 0.15 and 0.40 USD/kWh, time not counted; a kWh is 3.6 MJ.

    >>> from nevcalc.units import from_si, si_factor
    >>> kwh = si_factor("kWh")  # [J]
    >>> u = Usage(15e6, 0.2, 11e3, 298.15, 0.3, 0.8, 0.15 / kwh, 0.40 / kwh, 0.0)
    >>> round(float(from_si(u.electricity_price, "USD/kWh")), 2), from_si(u.annual_distance, "km")
    (0.15, 15000.0)
    """

    annual_distance: Any
    fast_charge_share: Any
    home_charge_power: Any
    temperature: Any
    soc_low: Any
    soc_high: Any
    electricity_price: Any
    fast_charge_price: Any
    value_of_time: Any
    climate: Any = None
    ageing_scale: Any = None
    air: Any = None
    cabin: Any = None
    heat_pump: Any = None


@dataclass(frozen=True)
class Economics:
    """Money terms of a lifecycle cost, SI (money in the caller's base currency).

    Attributes
    ----------
    years : int
        Ownership [years]: the number of yearly cash flows.
    discount_rate : array_like
        Real discount rate per year [-].
    maintenance : array_like
        Maintenance per distance driven [USD m^-1].
    residual : array_like
        Value at the end over the purchase price [-].
    replace_below : float
        Relative capacity that triggers a pack replacement [-].
    price_slope : float
        Slope of the fitted pack-price trend, change of the log price per year
        [year^-1]; the pack price ``k`` years on is ``exp(k * price_slope)`` times
        today's.

    Examples
    --------
    Ten years at 5 %, 0.03 USD/km maintenance, no residual value, packs replaced
    below 70 %, pack prices falling 5 % a year in log terms.

    >>> from nevcalc.units import from_si
    >>> e = Economics(10, 0.05, 0.03e-3, 0.0, 0.7, -0.05)
    >>> round(float(from_si(e.maintenance, "USD/km")), 2)
    0.03
    """

    years: int
    discount_rate: Any
    maintenance: Any
    residual: Any
    replace_below: float
    price_slope: float


@dataclass(frozen=True)
class Evaluation:
    """Metrics of cases (SI arrays, the registry's names) and the cost by part.

    Attributes
    ----------
    metrics : dict of numpy.ndarray
        One array per metric, all of the cases' broadcast shape, in the SI unit of
        :data:`nevcalc.metrics.METRICS` (e.g. ``charge_10_80`` [s], ``range`` [m],
        ``cost_per_km`` [USD m^-1]). Three entries are not in the registry:
        ``fast_power`` (mean power of the 10-80 % session [W]), ``installed_energy``
        [J] and ``years_to_replace`` [years] (a count of years, not seconds, as
        :func:`cost_stage` takes it; inf when never); ``reason`` is 0 or a code of
        :mod:`nevcalc.reasons`.
    parts : nevcalc.model.cost.CostParts
        Lifecycle cost by part [USD], present value.
    capacity : numpy.ndarray or None
        Relative capacity at the end of years 1..40 [-], shape ``(..., 40)``, when
        the direct ageing model ran with ``curve`` (no surrogate); else None.
    drive : dict
        :func:`drive_stage`'s answers per car.

    Examples
    --------
    See :func:`evaluate`.
    """

    metrics: dict[str, np.ndarray]
    parts: CostParts
    capacity: np.ndarray | None
    drive: dict[str, Any]
    health: dict[str, np.ndarray] | None = None  #: :func:`health_stage`'s answer

    @property
    def ranges(self) -> list:
        """The :class:`~nevcalc.scenario.road.RangeAnswer` of each car (None without road)."""
        return self.drive["answers"]


# --- drive -------------------------------------------------------------------------------


def drive_stage(cars: Sequence[Car | None]) -> dict[str, Any]:
    """Consumption and range of each car on its official procedure.

    The drive-cycle model of :mod:`nevcalc.model.driving` (road load on the
    procedure's speed trace, FASTSim's way) runs once per car; a car without road
    figures keeps its spec's consumption for km figures and has no range.

    Parameters
    ----------
    cars : sequence of Car or None
        None: a car that could not be built (nan answers).

    Returns
    -------
    dict
        Arrays over the cars: ``range`` [m], ``consumption`` and ``consumption_wall``
        [J m^-1] on the official procedure, ``km_consumption`` [J m^-1] (the one km
        figures of charging use: the market's label cycle); nan where a car has no
        road figures. ``answers``: the :class:`~nevcalc.scenario.road.RangeAnswer` of
        each car (None without road figures); ``km_cycle``: where ``km_consumption``
        comes from.

    References
    ----------
    .. [1] NREL, FASTSim (Future Automotive Systems Technology Simulator),
       https://github.com/NREL/fastsim; its results on the shipped cycles are
       ``tests/reference/fastsim_results.csv``.

    Examples
    --------
    The BYD Han L (83.2 kWh usable, claimed) on CLTC-P, and a car that could not be
    built. Range times consumption gives back the usable energy; the range is within
    10 % of the 430 mi (692 km) BYD claims on CLTC.

    >>> from nevcalc.cars import assemble
    >>> from nevcalc.units import from_si
    >>> d = drive_stage([assemble("byd-han-l"), None])
    >>> r, c = d["range"], d["consumption"]
    >>> round(float(from_si(r[0] * c[0], "kWh")), 1)
    83.2
    >>> bool(abs(r[0] / 692e3 - 1) < 0.1), bool(np.isnan(r[1]))
    (True, True)
    >>> d["km_cycle"][0]
    'CLTC-P, drive-cycle model'
    """
    n = len(cars)
    keys = ("range", "consumption", "consumption_wall", "km_consumption")
    out: dict[str, Any] = {k: np.full(n, np.nan) for k in keys}
    answers: list = [None] * n
    cycles = [""] * n
    for i, car in enumerate(cars):
        if car is None:
            continue
        if car.road is None:
            out["km_consumption"][i] = car.charging.consumption
            cycles[i] = car.charging.consumption_cycle
            continue
        rng = drive_range(car.road)
        answers[i] = rng
        out["range"][i] = rng.range
        out["consumption"][i] = rng.consumption
        out["consumption_wall"][i] = rng.consumption_wall
        if car.km_procedure == rng.procedure:
            km, title = rng.consumption, rng.title
        else:
            c = procedure_consumption(car.road, car.km_procedure)
            km, title = c["consumption"], c["title"]
        out["km_consumption"][i] = km / car.km_label
        cycles[i] = f"{title}, drive-cycle model"
    out["answers"] = answers
    out["km_cycle"] = cycles
    return out


def charging_vehicle(car: Car, drive: dict[str, Any], index: int = 0) -> Vehicle:
    """The car's charging hardware with the consumption of its km figures.

    A :class:`~nevcalc.cars.Car` with road figures leaves its consumption to the drive
    stage; a single answer that explains a session (``charge``) takes it from there.

    Parameters
    ----------
    car : Car
    drive : dict
        :func:`drive_stage`'s answer over cars that include ``car``.
    index : int
        The car's position in those cars.

    Returns
    -------
    nevcalc.scenario.charge.Vehicle
        ``consumption`` [J m^-1] and where it comes from.

    Examples
    --------
    The km figures' consumption is the drive stage's (a property, not a figure):

    >>> from nevcalc.cars import assemble
    >>> car = assemble("byd-han-l")
    >>> drive = drive_stage([car])
    >>> v = charging_vehicle(car, drive)
    >>> bool(v.consumption == drive["km_consumption"][0]), bool(car.charging.consumption > 0)
    (True, False)
    """
    return replace(car.charging, consumption=float(drive["km_consumption"][index]),
                   consumption_cycle=drive["km_cycle"][index])  # fmt: skip


# --- charge ------------------------------------------------------------------------------


def charge_stage(
    vehicles: Sequence[Vehicle | None],
    chargers: Sequence[Charger],
    vehicle_index,
    charger_index,
    *,
    power=None,
    steps: int = CHARGE_STEPS,
    threads: int = 1,
    ambient=None,
    precondition=None,
) -> dict[str, np.ndarray]:
    """The 10-80 % session and the charge in 5 minutes from 10 %, per case.

    One charging profile is marched per distinct (vehicle, charger, power) of the
    cases, in blocks.

    Parameters
    ----------
    vehicles : sequence of Vehicle or None
        None: a car that could not be built (its cases get reason
        :data:`~nevcalc.reasons.MISSING_PACK`).
    chargers : sequence of Charger
    vehicle_index, charger_index : array_like of int
        Which vehicle and charger each case uses; broadcast together.
    power : array_like, optional
        Charger output power [W] replacing the charger's, broadcast with the indices.
    steps : int
        SoC steps of each profile [-].
    threads : int
        Blocks of profiles marched side by side [-].
    ambient : array_like, optional
        Air temperature [K] of each case, broadcast with the indices: the pack
        temperature is marched from 10 % as :func:`nevcalc.scenario.charge.charge` does
        (:mod:`nevcalc.scenario.thermal`). None: a pack at the tables' 25 degC.
    precondition : array_like, optional
        :func:`~nevcalc.scenario.thermal.precondition_code` of each case, with
        ``ambient`` (none by default).

    Returns
    -------
    dict of numpy.ndarray
        Of the broadcast shape: ``duration`` (10-80 % [s], inf when it cannot be
        reached), ``soc_after`` (SoC after 5 minutes from 10 % [-]), ``peak`` and
        ``average`` power into the pack [W] (up to where charging ends; 0 when it
        cannot start), ``feasible`` and ``reason`` (0, or the code of
        :mod:`nevcalc.reasons`).

    Examples
    --------
    The BYD Han L on the BYD megawatt charger and on a 350 kW Ionity charger: the
    indices broadcast to two cases. The session is the one
    :func:`nevcalc.scenario.charge.charge` reports for the same pair (same march),
    the Ionity charger's peak is its 350 kW rating, and the megawatt charger is
    faster.

    >>> from nevcalc.cars import assemble
    >>> from nevcalc.scenario.charge import charge, load_charger
    >>> car = assemble("byd-han-l")
    >>> chargers = [load_charger("byd-megawatt"), load_charger("ionity-350")]
    >>> got = charge_stage([car.charging], chargers, 0, [0, 1])
    >>> got["duration"].shape
    (2,)
    >>> from dataclasses import replace
    >>> v = replace(car.charging, consumption=500.0)  # km figures only; not the duration
    >>> bool(got["duration"][1] == charge(v, chargers[1], 0.1, 0.8).duration)
    True
    >>> from nevcalc.units import from_si
    >>> float(from_si(got["peak"][1], "kW"))
    350.0
    >>> bool(got["duration"][0] < got["duration"][1]), got["reason"].tolist()
    (True, [0, 0])

    A car that could not be built gets the reason of a missing pack, in every case:

    >>> from nevcalc.reasons import MISSING_PACK
    >>> bool(charge_stage([None], chargers, 0, 1)["reason"] == MISSING_PACK)
    True
    """
    vi = np.asarray(vehicle_index, np.intp)
    ci = np.asarray(charger_index, np.intp)
    p = None if power is None else np.asarray(power, float)
    extra = [] if p is None else [p]
    if ambient is not None:
        extra += [np.asarray(ambient, float),
                  np.asarray(0.0 if precondition is None else precondition, float)]  # fmt: skip
    arrays = np.broadcast_arrays(vi, ci, *extra)
    shape = arrays[0].shape
    keys = np.stack([a.ravel().astype(float) for a in arrays], axis=1)
    uniq, inverse = np.unique(keys, axis=0, return_inverse=True)
    inverse = inverse.reshape(-1)
    m = len(uniq)
    out = {k: np.full(m, np.nan) for k in ("duration", "soc_after", "peak", "average")}
    out["feasible"] = np.zeros(m, bool)
    out["reason"] = np.full(m, MISSING_PACK, np.int8)
    built = np.array([vehicles[int(v)] is not None for v in uniq[:, 0]], bool)
    todo = np.flatnonzero(built)
    a, b, seconds = SESSION
    if todo.size:
        have = [i for i, v in enumerate(vehicles) if v is not None]
        position = np.full(len(vehicles), -1, np.intp)
        position[have] = np.arange(len(have))
        got = charge_table(
            [vehicles[i] for i in have], list(chargers),
            position[uniq[todo, 0].astype(np.intp)], uniq[todo, 1].astype(np.intp),
            None if p is None else uniq[todo, 2], soc_from=a, soc_to=b, duration=seconds,
            steps=steps, threads=threads,
            ambient=None if ambient is None else uniq[todo, -2],
            precondition=None if ambient is None else uniq[todo, -1],
        )  # fmt: skip
        out["duration"][todo] = got["duration"]
        out["soc_after"][todo] = got["soc_after"]
        out["peak"][todo] = got["peak_power"]
        out["average"][todo] = got["average_power"]
        out["feasible"][todo] = got["feasible"]
        out["reason"][todo] = np.where(
            got["feasible"], 0, charge_reason(got["stop_limit"], got["stop_soc"] > a)
        )
    return {k: v[inverse].reshape(shape) for k, v in out.items()}


def distance_added(soc_after, usable_energy, km_consumption):
    """Distance the charge from 10 % to ``soc_after`` adds [m] (none for a charge that
    cannot start).

    Parameters
    ----------
    soc_after : array_like
        SoC after the charging time [-].
    usable_energy : array_like
        [J].
    km_consumption : array_like
        The consumption of the car's km figures [J m^-1].

    Returns
    -------
    numpy.ndarray
        [m].

    Examples
    --------
    From 10 % to 50 % of 60 kWh at 15 kWh/100 km, by hand: 24 kWh / 0.15 kWh/km = 160 km.

    >>> from nevcalc.units import si_factor
    >>> km = distance_added(0.5, 60 * si_factor("kWh"), 15 * si_factor("kWh/(100 km)"))
    >>> round(float(km) / si_factor("km"), 6)
    160.0
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.maximum(np.asarray(soc_after) - SESSION[0], 0.0) * usable_energy / km_consumption


def interpolate_power(table: dict[str, np.ndarray], nodes, power, rows=None, keys=None,
                      log: bool = True, log_time: bool = False):  # fmt: skip
    """Charging answers at ``power`` from answers on charger-power ``nodes``.

    Parameters
    ----------
    table : dict of numpy.ndarray
        :func:`charge_stage`'s answers with the power nodes as the last axis
        (``duration`` [s], powers [W], SoC [-], ``feasible``, ``reason``).
    nodes : numpy.ndarray
        Charger powers [W], increasing.
    power : array_like
        Charger power of each case [W]; clipped to the nodes' range.
    rows : array_like of int, optional
        Row of each case in the table with its last axis taken off (flattened); by
        default the table's leading axes broadcast with ``power``.
    keys : collection of str, optional
        The answers wanted; every one of the table's by default.
    log : bool
        Interpolate in log power (True), or linearly in the nodes' own variable (an
        air temperature [K]).
    log_time : bool
        Interpolate the duration in log (for air-temperature nodes: the cold cell's
        plating-safe current, and with it the time, changes near-exponentially with
        temperature) rather than as its reciprocal; where a node's duration is zero or
        infinite, as its reciprocal.

    Returns
    -------
    dict of numpy.ndarray
        The table's keys in their units. Rates are interpolated linearly in log
        power, the duration [s] as its reciprocal (a rate); the reason and
        feasibility are the nearer node's.

    Examples
    --------
    Nodes at 100 and 400 kW whose 10-80 % sessions take 600 and 300 s. At 200 kW,
    halfway in log power, the rate is the mean of 1/600 and 1/300, so by hand the
    session takes 1 / (0.5 / 600 + 0.5 / 300) = 400 s and the peak is the mean,
    150 kW; powers beyond the nodes are clipped to them.

    >>> nodes = np.array([100e3, 400e3])  # [W]
    >>> table = {"duration": np.array([600.0, 300.0]), "peak": np.array([100e3, 200e3])}
    >>> got = interpolate_power(table, nodes, [100e3, 200e3, 400e3, 1000e3])
    >>> np.round(got["duration"], 6), np.round(got["peak"], 6)
    (array([600., 400., 300., 300.]), array([100000., 150000., 200000., 200000.]))

    The table's leading axes broadcast with ``power``: two cars (rows) at one power
    each.

    >>> table = {"duration": np.array([[600.0, 300.0], [900.0, 900.0]])}
    >>> np.round(interpolate_power(table, nodes, [200e3, 200e3])["duration"], 6)
    array([400., 900.])
    """
    i, f = axis_weights(nodes, power, log)
    k = len(nodes)
    g = 1 - f
    nearer_lo = f < 0.5
    at = None if rows is None else np.asarray(rows) * k + i
    at_hi = None if rows is None else at + 1
    out = {}
    for key, v in table.items():
        if keys is not None and key not in keys:
            continue
        if rows is None:
            v = np.broadcast_to(v, (*np.broadcast_shapes(v.shape[:-1], i.shape), k))
            lo = np.take_along_axis(v, i[..., None], -1)[..., 0]
            hi = np.take_along_axis(v, (i + 1)[..., None], -1)[..., 0]
        else:
            flat = v.reshape(-1)
            lo, hi = flat.take(at), flat.take(at_hi)
        if key in ("reason", "feasible"):
            out[key] = np.where(nearer_lo, lo, hi)
        elif key == "duration":
            with np.errstate(invalid="ignore", divide="ignore"):
                x = g / lo
                x += f / hi
                out[key] = 1.0 / x
                if log_time:
                    both = (lo > 0) & (hi > 0) & np.isfinite(lo) & np.isfinite(hi)
                    y = np.exp(g * np.log(lo) + f * np.log(hi))
                    out[key] = np.where(both, y, out[key])
        else:
            x = g * lo
            x += f * hi
            out[key] = x
    return out


# --- health ------------------------------------------------------------------------------


def health_stage(
    model,
    cycle_life,
    usable_energy,
    consumption,
    usage: Usage,
    fast_power,
    years: int,
    replace_below: float,
    *,
    tables: dict | None = None,
    curve: bool = False,
) -> dict[str, np.ndarray]:
    """Ageing of a car in use: the daily duty of the usage, then :func:`ageing_stage`.

    The year's energy is delivered by sweeps of the usage's SoC window (several a day
    for a taxi), charged on some days at the everyday and on others at the fast-charging
    C-rate in the share of the energy each delivers (see
    :func:`nevcalc.model.degradation.usage_duty` and :func:`ageing_stage`), at the
    usage's temperature or month by month through its climate.

    Parameters
    ----------
    model : array_like of int
        Index into :data:`nevcalc.ageing.AGEING_MODELS`; -1 the simple model of
        ``cycle_life``; -2 none (nan answers).
    cycle_life : array_like
        Claimed cycles to 80 % of the simple model [-].
    usable_energy : array_like
        [J].
    consumption : array_like
        At the battery [J m^-1].
    usage : Usage
        Its distance, fast-charging share, home power, temperature (or climate), window
        and ageing scale are used.
    fast_power : array_like
        Mean power of a fast charge [W]; 0 where it cannot charge.
    years : int
        Year of ``capacity_end`` [years], 1-40.
    replace_below : float
        Capacity of ``years_to_replace`` [-].
    tables : dict, optional
        :attr:`Surrogate.health`, as :func:`ageing_stage` takes it.
    curve : bool
        Also return ``capacity`` by year (direct model only).

    Returns
    -------
    dict of numpy.ndarray
        :func:`ageing_stage`'s (capacities [-], years [years], ``efc_per_day`` [-]),
        plus ``charge_rate`` (the mixed C-rate [s^-1]) and ``fast_c_rate`` (fast-charge
        power over usable energy [s^-1]).

    References
    ----------
    .. [1] NREL, BLAST-Lite 1.1.1, https://github.com/NREL/BLAST-Lite (the empirical
       ageing models of :mod:`nevcalc.model.degradation`).

    Examples
    --------
    A 60 kWh (2.16e8 J) pack at 0.16 kWh/km (576 J/m), aged by the simple model of a
    3000-cycle life, 15 000 and 30 000 km a year, a tenth of the energy at 100 kW.
    By hand: 15 000 km is 2400 kWh, 40 full cycles a year, 400 in 10 years, so the
    cycling fade is 0.2 * 400 / 3000 = 0.0267 and the calendar fade
    0.2 * sqrt(10 / 15) = 0.1633: 0.810 is left; twice the distance doubles the
    cycling fade: 0.783. The fast C-rate is 100 kW over 60 kWh, 1.667 per hour.

    >>> from nevcalc.units import from_si, si_factor
    >>> kwh = si_factor("kWh")  # [J]
    >>> usage = Usage(np.array([1.5e7, 3e7]), 0.1, 7e3, 298.15, 0.3, 0.8, 0.15 / kwh,
    ...               0.40 / kwh, 0.0)
    >>> h = health_stage(-1, 3000.0, 60 * kwh, 576.0, usage, 100e3, 10, 0.7)
    >>> np.round(h["capacity_end"], 3)
    array([0.81 , 0.783])
    >>> round(float(from_si(h["fast_c_rate"], "1/h")), 3)
    1.667
    """
    efc, _period, c_rate = degradation.usage_duty(
        distance_per_year=usage.annual_distance, consumption=consumption,
        usable_energy=usable_energy, soc_low=usage.soc_low, soc_high=usage.soc_high,
        fast_share=usage.fast_charge_share, fast_power=fast_power,
        home_power=usage.home_charge_power,
    )  # fmt: skip
    with np.errstate(divide="ignore", invalid="ignore"):
        c_home = np.asarray(usage.home_charge_power, float) / usable_energy
        c_fast = np.asarray(fast_power, float) / usable_energy
    out = ageing_stage(model, cycle_life, usage.soc_low, usage.soc_high, efc, c_home,
                       usage.temperature, years, replace_below, tables=tables,
                       curve=curve, fast_share=usage.fast_charge_share,
                       fast_rate=np.where(np.isfinite(c_fast), c_fast, 0.0),
                       climate=usage.climate, scale=usage.ageing_scale)  # fmt: skip
    out["charge_rate"] = np.asarray(c_rate)
    out["fast_c_rate"] = c_fast
    return out


# --- consumption through a year's climate ------------------------------------------------


def year_mean(monthly) -> np.ndarray:
    """Mean over the months of the year, each weighted by its days [-].

    Parameters
    ----------
    monthly : array_like
        Shape ``(..., 12)``, January first.

    Returns
    -------
    numpy.ndarray
        Shape ``(...)``.

    Examples
    --------
    >>> round(float(year_mean(np.arange(12.0))), 4)  # (31 x 0 + 28 x 1 + ...) / 365
    5.526
    """
    return np.sum(np.asarray(monthly, float) * (MONTH_DAYS / MONTH_DAYS.sum()), axis=-1)


def climate_consumption(cars: Sequence[Car | None], air, cabin=None,
                        heat_pump=None) -> dict[str, np.ndarray]:  # fmt: skip
    """Consumption of each car month by month in a climate's air.

    Each month is a drive on the car's official procedure at the month's mean air with
    the cabin climate on (:class:`~nevcalc.scenario.road.DrivingClimate`: air density,
    tyres, cabin heating or cooling), the pack soaked at that air at the start and
    heated below its window while driving (:func:`~nevcalc.scenario.road.cold_drive`);
    the heater's energy is spread over the distance of a full pack. The energy a cold
    pack cannot deliver stays in it (it is not bought), so only the heater adds.

    Parameters
    ----------
    cars : sequence of Car or None
    air : array_like
        Monthly mean air temperatures [K], shape ``(12,)``.
    cabin : float, optional
        Cabin set point [K]; None: 21 degC.
    heat_pump : bool, optional
        A heat pump heats the cabin and the pack, or not; None: each car's own.

    Returns
    -------
    dict of numpy.ndarray
        ``consumption`` (battery side) and ``consumption_wall`` [J m^-1], shape
        ``(n_cars, 12)``; nan for a car without road figures.

    Examples
    --------
    The Kia EV6 in Oslo's air uses more in January than in July, and more than on its
    label in January:

    >>> from nevcalc.cars import assemble
    >>> from nevcalc.scenario.health import climate_temperatures
    >>> car = assemble("kia-ev6-77")
    >>> c = climate_consumption([car], climate_temperatures("oslo")[0])["consumption"][0]
    >>> bool(c[0] > c[6]), bool(c[0] > drive_stage([car])["consumption"][0])
    (True, True)
    """
    months = np.asarray(air, float).reshape(12)
    out = {k: np.full((len(cars), 12), np.nan) for k in ("consumption", "consumption_wall")}
    set_point = CABIN_SET_POINT if cabin is None else float(cabin)
    road = {}  # car index: (vehicle, procedure)
    for i, car in enumerate(cars):
        if car is None or car.road is None:
            continue
        v = equip_heat_pump(car.road, heat_pump)
        procedure = v.official_procedure or "wltp"
        road[i] = (v, procedure)
        out["consumption"][i] = [procedure_consumption(v, procedure, climate=DrivingClimate(
            float(t), set_point, heat_pump=bool(v.heat_pump)))["consumption"]
            for t in months]  # fmt: skip
    # the packs of all cars marched together through the months
    packed = [i for i, (v, _) in road.items() if v.pack is not None]
    if packed:
        per_m = out["consumption"][packed]
        cold = cold_march_cars([road[i][0] for i in packed], [road[i][1] for i in packed],
                               per_m, months)  # fmt: skip
        heat, got = cold["heater_energy"], cold["energy"]
        with np.errstate(divide="ignore", invalid="ignore"):
            out["consumption"][packed] = np.where((heat > 0) & (got > 0),
                                                  per_m * (1.0 + heat / got), per_m)  # fmt: skip
    for i, (v, _) in road.items():
        out["consumption_wall"][i] = out["consumption"][i] / v.charging_efficiency
    return out


# --- cost --------------------------------------------------------------------------------


def cost_stage(
    economics: Economics,
    usage: Usage,
    *,
    installed_energy,
    pack_price,
    consumption,
    consumption_wall,
    charging_efficiency,
    fast_power,
    years_to_replace,
    vehicle_price=None,
) -> CostParts:
    """Lifecycle cost by part in present value.

    The pack is replaced at the end of the year its capacity falls below
    ``economics.replace_below``, at the pack price of then (the fitted trend).

    Parameters
    ----------
    economics : Economics
    usage : Usage
    installed_energy : array_like
        [J].
    pack_price : array_like
        At purchase [USD J^-1].
    consumption, consumption_wall : array_like
        At the battery and from the grid [J m^-1].
    charging_efficiency : array_like
        Grid to battery [-].
    fast_power : array_like
        Mean power of a fast charge [W]; 0: no time counted.
    years_to_replace : array_like
        Years until the capacity falls below ``economics.replace_below`` [years]; inf
        when never. The pack is replaced at the end of that year if it comes before
        ``economics.years``.
    vehicle_price : array_like, optional
        With battery [USD]; None: the running cost (purchase and residual left out).

    Returns
    -------
    nevcalc.model.cost.CostParts
        Present value of each part [USD] (``purchase`` 0 for a running cost);
        ``per_m`` [USD m^-1].

    Examples
    --------
    A 60 kWh pack at 100 USD/kWh, 15 000 km a year at 0.15 kWh/km (540 J/m) charged
    at 90 % efficiency, 0.15 USD/kWh at home and 0.40 at fast chargers, ten years at
    5 %. By hand the annuity is (1 - 1.05^-10) / 0.05 = 7.7217, the energy bought a
    year 15 000 * 0.15 / 0.9 = 2500 kWh, so the energy costs 7.7217 * 2500 * 0.15 =
    2896 with no fast charging and 7.7217 * 2500 * 0.275 = 5309 with half of it fast
    (mean price 0.275). A pack that reaches 70 % after 6.3 years is replaced at the
    end of year 7 at the price of then, exp(-0.05 * 7) = 0.7047 of today's: by hand
    1.05^-7 * 6000 * 0.7047 = 3005. Shares (a row) and replacement years (a column)
    broadcast.

    >>> from nevcalc.units import si_factor
    >>> kwh = si_factor("kWh")  # [J]
    >>> econ = Economics(10, 0.05, 0.0, 0.0, 0.7, -0.05)
    >>> usage = Usage(1.5e7, np.array([0.0, 0.5]), 7e3, 298.15, 0.3, 0.8, 0.15 / kwh,
    ...               0.40 / kwh, 0.0)
    >>> parts = cost_stage(econ, usage, installed_energy=60 * kwh, pack_price=100 / kwh,
    ...                    consumption=540.0, consumption_wall=600.0,
    ...                    charging_efficiency=0.9, fast_power=100e3,
    ...                    years_to_replace=[[np.inf], [6.3]])
    >>> np.round(parts.energy)
    array([2896., 5309.])
    >>> np.round(parts.replacement)
    array([[   0.],
           [3005.]])
    >>> parts.total.shape
    (2, 2)
    """
    years = int(economics.years)
    share = usage.fast_charge_share
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        tr = np.asarray(years_to_replace, float)
        ry = np.where(tr < years, np.ceil(np.maximum(tr, 1e-9)), 0).astype(np.int64)
        seconds = cost_model.fast_charge_time(usage.annual_distance, consumption_wall, share,
                                              fast_power)  # fmt: skip
        pack = np.asarray(pack_price, float)
        bare = -installed_energy * pack
        if vehicle_price is not None:
            bare = vehicle_price + bare
        at_replacement = pack * np.exp(economics.price_slope * ry)
        energy_price = (1 - share) * usage.electricity_price + share * usage.fast_charge_price
    return cost_model.lifecycle_cost(
        years, usage.annual_distance, economics.discount_rate, bare, installed_energy, pack,
        consumption, energy_price, charging_efficiency, replacement_year_=ry,
        pack_price_at_replacement=at_replacement, maintenance_per_distance=economics.maintenance,
        fast_charge_time_per_year=seconds, value_of_time=usage.value_of_time,
        residual_fraction=0.0 if vehicle_price is None else economics.residual,
    )  # fmt: skip


# --- all stages --------------------------------------------------------------------------


def evaluate(
    cars: Sequence[Car | None],
    chargers: Sequence[Charger],
    usage: Usage,
    economics: Economics,
    *,
    car_index,
    charger_index,
    pack_price=None,
    vehicle_price=None,
    surrogate: Surrogate | None = None,
    curve: bool = False,
) -> Evaluation:
    """Every metric of cases given by index into cars and chargers.

    Parameters
    ----------
    cars : sequence of Car or None
        None: a car that could not be built (reason
        :data:`~nevcalc.reasons.MISSING_PACK`).
    chargers : sequence of Charger
    usage : Usage
        Fields broadcast with the indices.
    economics : Economics
    car_index, charger_index : array_like of int
        Which car and charger each case uses; broadcast together.
    pack_price : array_like, optional
        [USD J^-1]; each chemistry's ``pack_cost`` by default.
    vehicle_price : array_like, optional
        [USD]; None: running cost only.
    surrogate : Surrogate, optional
        Ask for what a sweep computes: its charging resolution and ageing tables.
    curve : bool
        Keep the capacity by year (direct ageing model).

    Returns
    -------
    Evaluation
        Metrics of the cases' broadcast shape in SI units (money [USD]), the cost by
        part, and the drive stage's answers.

    Examples
    --------
    The BYD Han L on the megawatt and the Ionity charger (two cases), 15 000 km a
    year with a fifth of the energy fast-charged at 0.40 USD/kWh and the rest at
    0.15 (mean 0.20 USD/kWh), ten years at 5 %. The stages' answers are the metrics
    (same code path), and the energy cost checks by hand: the annuity 7.7217 times
    15 000 km times the wall consumption of 0.14835 kWh/km times 0.20 USD/kWh is
    3437 USD.

    >>> from nevcalc.cars import assemble
    >>> from nevcalc.scenario.charge import load_charger
    >>> from nevcalc.units import from_si, si_factor
    >>> kwh = si_factor("kWh")  # [J]
    >>> car = assemble("byd-han-l")
    >>> chargers = [load_charger("byd-megawatt"), load_charger("ionity-350")]
    >>> usage = Usage(15e6, 0.2, 11e3, 298.15, 0.3, 0.8, 0.15 / kwh, 0.40 / kwh, 0.0)
    >>> econ = Economics(10, 0.05, 0.03e-3, 0.0, 0.7, -0.05)
    >>> ev = evaluate([car], chargers, usage, econ, car_index=0, charger_index=[0, 1])
    >>> m = ev.metrics
    >>> m["charge_10_80"].shape
    (2,)
    >>> st = charge_stage([car.charging], chargers, 0, [0, 1])
    >>> bool(np.all(m["charge_10_80"] == st["duration"]))
    True
    >>> bool(np.all(m["range"] == drive_stage([car])["range"][0]))
    True
    >>> round(float(from_si(m["consumption_wall"][0], "kWh/km")), 5)
    0.14835
    >>> np.round(m["cost_energy"], -1)  # to the nearest 10 USD
    array([3440., 3440.])
    """
    ci, ki = np.broadcast_arrays(np.asarray(car_index, np.intp),
                                 np.asarray(charger_index, np.intp))  # fmt: skip
    table = stack(cars)
    drive = drive_stage(cars)
    steps = CHARGE_STEPS if surrogate is None else surrogate.charge_steps
    ch = charge_stage([None if c is None else c.charging for c in cars], chargers, ci, ki,
                      steps=steps)  # fmt: skip

    def per_car(x):
        return np.asarray(x)[ci]

    usable, installed = per_car(table["usable"]), per_car(table["installed"])
    consumption = per_car(drive["consumption"])
    h = health_stage(per_car(table["model"]), per_car(table["cycle_life"]), usable, consumption,
                     usage, ch["average"], economics.years, economics.replace_below,
                     tables=None if surrogate is None else surrogate.health,
                     curve=curve)  # fmt: skip
    pack = per_car(table["pack_cost"]) if pack_price is None else np.asarray(pack_price, float)
    priced, priced_wall = consumption, per_car(drive["consumption_wall"])
    if usage.air is not None:
        # the energy priced month by month in the climate's air, each month driving its
        # share of the year's days: at the year's day-weighted mean consumption
        monthly = climate_consumption(cars, usage.air, usage.cabin, usage.heat_pump)
        priced = year_mean(monthly["consumption"][ci])
        priced_wall = year_mean(monthly["consumption_wall"][ci])
        drive["months"] = monthly  # (for the answer's explanation)
    parts = cost_stage(economics, usage, installed_energy=installed, pack_price=pack,
                       consumption=priced, consumption_wall=priced_wall,
                       charging_efficiency=per_car(table["charge_eff"]),
                       fast_power=ch["average"], years_to_replace=h["years_to_replace"],
                       vehicle_price=vehicle_price)  # fmt: skip
    with np.errstate(divide="ignore", invalid="ignore"):
        km5 = distance_added(ch["soc_after"], usable, per_car(drive["km_consumption"]))
        pack_mass = per_car(table["pack_mass"])
        distance = np.asarray(usage.annual_distance, float)
        t80 = h["years_to_80"]
        running = parts.total - parts.purchase - parts.residual
        metrics = {
            "charge_10_80": ch["duration"],
            "km_in_5_min": km5,
            "peak_power": ch["peak"],
            "fast_power": ch["average"],
            "fast_c_rate": h["fast_c_rate"],
            "range": per_car(drive["range"]),
            "consumption": consumption,
            "consumption_wall": per_car(drive["consumption_wall"]),
            "usable_energy": usable,
            "installed_energy": installed,
            "pack_mass": pack_mass,
            "pack_specific_energy": installed / pack_mass,
            "capacity_year_8": h["capacity_year_8"],
            "capacity_end": h["capacity_end"],
            "years_to_80": t80 * YEAR,
            "years_to_replace": h["years_to_replace"],
            "km_to_80": t80 * distance,
            "efc_to_80": t80 * degradation.DAYS_PER_YEAR * h["efc_per_day"],
            "efc_per_day": h["efc_per_day"],
            "charge_rate": h["charge_rate"],
            "pack_price": pack,
            "cost_energy": parts.energy,
            "cost_replacement": parts.replacement,
            "cost_maintenance": parts.maintenance,
            "cost_time": parts.time,
            "running_cost_per_km": running / (economics.years * distance),
            "cost_per_km": parts.per_m,
        }
    ok = per_car(table["built"] & table["road"] & (table["model"] > -2)) & np.isfinite(pack)
    metrics["reason"] = np.where(ok, ch["reason"], MISSING_PACK).astype(np.int8)
    shape = np.broadcast_shapes(ci.shape, *(np.shape(x) for x in metrics.values()))
    metrics = {k: np.broadcast_to(x, shape) for k, x in metrics.items()}
    return Evaluation(metrics, parts, h.get("capacity"), drive, h)


# --- trip --------------------------------------------------------------------------------

#: Points of a trip's SoC grid (1 % steps) [-].
TRIP_POINTS = 101
#: Charging time of the charging index, km added in this time [s].
INDEX_TIME = 1200.0
#: Start SoC of the charging index [-].
INDEX_FROM = 0.10
#: Mean speed of the charging index's consumption when none is stated [m s^-1]: the
#: motorway speed of the shipped trips.
INDEX_SPEED = 120.0 * si_factor("km/h")


def _curve_at(curves, soc):
    """A cumulative curve (..., G) at ``soc`` (...), linear between grid points."""
    return curve_time(curves, soc)


def _soc_after(time_curve, soc_from, seconds):
    """SoC reached ``seconds`` after ``soc_from`` on cumulative time curves (..., G) [-]."""
    g = time_curve.shape[-1]
    grid = np.linspace(0.0, 1.0, g)
    target = _curve_at(time_curve, soc_from) + seconds
    # the last grid point reached in time, then linear within the next cell
    reached = time_curve <= target[..., None]
    k = np.clip(reached.sum(axis=-1) - 1, 0, g - 1)
    t0 = np.take_along_axis(time_curve, k[..., None], -1)[..., 0]
    k1 = np.minimum(k + 1, g - 1)
    t1 = np.take_along_axis(time_curve, k1[..., None], -1)[..., 0]
    with np.errstate(invalid="ignore", divide="ignore"):
        f = np.where(np.isfinite(t1) & (t1 > t0), (target - t0) / (t1 - t0), 0.0)
    s = grid[k] + np.clip(f, 0.0, 1.0) * (grid[k1] - grid[k])
    return np.maximum(s, soc_from)


def _km_added(time_curve, usable, consumption):
    """Distance [m] that :data:`INDEX_TIME` of charging from :data:`INDEX_FROM` adds on
    cumulative time curves (..., G) at ``consumption`` [J m^-1]."""
    soc = _soc_after(time_curve, np.full(time_curve.shape[:-1], INDEX_FROM), INDEX_TIME)
    with np.errstate(invalid="ignore", divide="ignore"):
        return (soc - INDEX_FROM) * usable / consumption


def km_in_20_min(
    vehicles: Sequence[Vehicle],
    chargers: Sequence[Charger],
    vehicle_index,
    charger_index,
    consumption,
    *,
    ambient=None,
    precondition=None,
    steps: int = CHARGE_STEPS,
):
    """The charging index: distance 20 minutes of charging from 10 % add [m].

    The charge is read on the pair's profile from 0 % (the one :func:`trip_stage` plans
    stops on); the distance is the added energy over ``consumption``, the car's
    consumption at a stated speed (:func:`nevcalc.scenario.trip.speed_consumption`), as
    the P3 Charging Index and ADAC's "range recharged in 20 minutes" state theirs.

    Parameters
    ----------
    vehicles, chargers : sequence
    vehicle_index, charger_index : array_like of int
        Pairs, broadcast together.
    consumption : array_like
        Battery-side consumption of each pair [J m^-1], broadcast with the indices.
    ambient, precondition : array_like, optional
        As :func:`charge_stage` takes them.
    steps : int
        SoC steps of each profile.

    Returns
    -------
    numpy.ndarray
        [m], of the broadcast shape.

    Examples
    --------
    The Kia EV6 on a 350 kW charger at 20 kWh/100 km (720 J/m): 20 minutes from 10 %
    take it past 70 %, over 200 km:

    >>> from nevcalc.scenario.charge import load_vehicle
    >>> km = km_in_20_min([load_vehicle("kia-ev6-77")], [load_charger("ionity-350")], 0, 0,
    ...                   720.0)
    >>> bool(200e3 < km < 300e3)
    True
    """
    vi, ci, cons = np.broadcast_arrays(np.asarray(vehicle_index, np.intp),
                                       np.asarray(charger_index, np.intp),
                                       np.asarray(consumption, float))  # fmt: skip
    thermal = {}
    if ambient is not None:
        thermal = dict(ambient=ambient, precondition=precondition)
    curves = charge_curves(list(vehicles), list(chargers), vi, ci, TRIP_POINTS, steps=steps,
                           **thermal)  # fmt: skip
    usable = np.array([v.usable_energy for v in vehicles], float)[vi]
    return _km_added(curves["time"], usable, cons)


def trip_curves(
    vehicles: Sequence[Vehicle],
    chargers: Sequence[Charger],
    ambient=None,
    precondition="on-arrival",
    points: int = TRIP_POINTS,
    steps: int = CHARGE_STEPS,
) -> dict[str, np.ndarray]:
    """Each car's charging curves from 0 % on each charger, as :func:`trip_stage` marches
    them (:func:`~nevcalc.scenario.charge.charge_curves`, shape ``(cars, chargers, ...)``).

    Parameters
    ----------
    vehicles : sequence of Vehicle
    chargers : sequence of Charger
    ambient : float, optional
        Air temperature [K]; None: the pack at the tables' 25 degC.
    precondition : str or float
        ``"none"``, ``"on-arrival"`` or seconds, with ``ambient``.
    points, steps : int
        SoC grid points and profile steps, as :func:`trip_stage` takes them.

    Returns
    -------
    dict of numpy.ndarray
        :func:`~nevcalc.scenario.charge.charge_curves`' answer: ``time`` [s], energies
        [J], ``soc_min`` [-], ``warmup_time`` [s], ``warmup_energy`` [J], ``limit``.

    Examples
    --------
    >>> from nevcalc.scenario.charge import load_charger, load_vehicle
    >>> cur = trip_curves([load_vehicle("kia-ev6-77")], [load_charger("ionity-350")])
    >>> cur["time"].shape
    (1, 1, 101)
    """
    vi, ci = np.meshgrid(np.arange(len(vehicles)), np.arange(len(chargers)), indexing="ij")
    thermal = {}
    if ambient is not None:
        thermal = dict(ambient=ambient, precondition=precondition_code(precondition))
    return charge_curves(list(vehicles), list(chargers), vi, ci, points, steps=steps, **thermal)


def trip_stage(
    vehicles: Sequence[Vehicle],
    consumption,
    route,
    *,
    precondition="on-arrival",
    points: int = TRIP_POINTS,
    steps: int = CHARGE_STEPS,
    threads: int = 1,
    curves: dict[str, np.ndarray] | None = None,
    speed=None,
) -> dict[str, Any]:
    """The least-time charging stops of each car on a route, and the trip's time.

    Each car gets one charging profile per charger of the route, marched from 0 %
    (:func:`~nevcalc.scenario.charge.charge_curves`: at the route's air after the
    preconditioning given, when the route has an ambient); its legs cost the car's
    consumption at the route's speed and air times their length; the stops are the
    exact optimum on a SoC grid (:func:`nevcalc.model.trip.optimal_stops`).

    Parameters
    ----------
    vehicles : sequence of Vehicle
        Charging hardware of each car (usable energy, thermal figures).
    consumption : array_like
        Battery-side consumption of each car on the route [J m^-1].
    route : nevcalc.routes.Route
    precondition : str or float
        ``"none"``, ``"on-arrival"`` or seconds, with the route's ambient.
    points : int
        SoC grid points from 0 to 100 % [-].
    steps : int
        SoC steps of each profile (a multiple of ``points - 1``).
    threads : int
        Blocks of cars planned side by side.
    curves : dict, optional
        :func:`trip_curves` of these cars on the route's chargers (in the order of
        ``route.chargers``) at its air and this preconditioning, marched beforehand
        (a sweep shares them between routes); None: marched here.
    speed : array_like, optional
        Mean speed of each car [m s^-1] for its driving time, with ``consumption`` at
        that speed (a sweep plans several speeds at once); ``route.speed`` by default.

    Returns
    -------
    dict
        Arrays over the cars: ``total_time``, ``drive_time``, ``stop_time`` (at stops,
        overhead included) and ``charging_time`` [s] (inf where infeasible),
        ``stops``, ``feasible``, ``infeasible_at`` (index of the leg that cannot be
        driven, -1), ``arrive_end`` [-], ``energy_used`` (battery side) and
        ``energy_from_grid`` [J], ``km_in_20min`` [m] (the distance at the route's
        consumption that 20 minutes from 10 % add on the route's first charger; nan
        without stations); and ``plan``, ``curves``, ``leg``, ``station_charger``,
        ``chargers`` for explanations.

    Examples
    --------
    The Kia EV6 on the shipped 1000 km motorway: stops every few stations, and the
    time at stops is a fraction of the driving time:

    >>> from nevcalc.routes import load_route
    >>> from nevcalc.scenario.charge import load_vehicle
    >>> route = load_route("motorway-1000")
    >>> got = trip_stage([load_vehicle("kia-ev6-77")], [720.0], route)  # 20 kWh/100 km
    >>> bool(got["feasible"][0]), 3 <= int(got["stops"][0]) <= 6
    (True, True)
    >>> bool(0.1 < got["stop_time"][0] / got["drive_time"][0] < 0.5)
    True
    """
    # the route's heat pump, when it gives one, heats the packs too (their heating energy)
    vehicles = [with_heat_pump(v, route.heat_pump) for v in vehicles]
    n = len(vehicles)
    cons = np.broadcast_to(np.asarray(consumption, float), (n,)).astype(float)
    names = route.chargers
    chargers = [load_charger(c) for c in names]
    station_charger = np.array([names.index(c) for _, c in route.stations], np.intp)
    usable = np.array([v.usable_energy for v in vehicles], float)
    if chargers and curves is None:
        curves = trip_curves(vehicles, chargers, route.ambient, precondition, points, steps)
    elif not chargers:
        g = np.linspace(0.0, 1.0, points)
        curves = {k: np.broadcast_to(g, (n, 1, points)) * 0.0 + np.inf
                  for k in ("time", "battery_energy", "grid_energy")}  # fmt: skip
        curves.update(soc_min=np.zeros((n, 1)), warmup_time=np.zeros((n, 1)),
                      warmup_energy=np.zeros((n, 1)),
                      limit=np.zeros((n, 1, steps + 1), np.int8))  # fmt: skip
    time = curves["time"]
    # a charger whose lowest voltage is above the pack's at the reserve cannot be used
    unusable = curves["soc_min"] > route.reserve + 1e-9
    time = np.where(unusable[..., None], np.inf, time)
    warm = np.where(np.isfinite(curves["warmup_time"]), curves["warmup_time"], 0.0)
    overhead = route.stop_overhead + warm.max(axis=1)
    at = np.array([0.0, *(x for x, _ in route.stations), route.distance])
    lengths = np.diff(at)
    with np.errstate(invalid="ignore", divide="ignore"):
        leg = lengths[None, :] * (cons / usable)[:, None]
    plan = optimal_stops(leg, time, station_charger, start=route.start_soc,
                         reserve=route.reserve, overhead=overhead, threads=threads)  # fmt: skip
    v = route.speed if speed is None else np.asarray(speed, float)
    drive_time = np.broadcast_to(route.distance / v, (n,)).astype(float)
    rows = np.arange(n)[:, None]
    grid_curve = curves["grid_energy"][rows, station_charger[None, :]] if route.stations else None
    energy_grid = np.zeros(n)
    if grid_curve is not None:
        stopped = plan.stopped
        e = _curve_at(grid_curve, plan.leave) - _curve_at(grid_curve, plan.arrive)
        warm_e = curves["warmup_energy"][rows, station_charger[None, :]]
        energy_grid = np.where(stopped, np.where(np.isfinite(e), e, 0.0) + warm_e, 0.0).sum(axis=1)
    feasible = np.asarray(plan.feasible, bool)
    stop_time = np.where(feasible, plan.charge_time, np.inf)
    charging_time = np.where(feasible, stop_time - plan.stops * overhead, np.inf)
    km20 = np.full(n, np.nan)
    if chargers:
        first = station_charger[0]
        km20 = _km_added(time[:, first], usable, cons)
    return {
        "total_time": drive_time + stop_time,
        "drive_time": drive_time,
        "stop_time": stop_time,
        "charging_time": charging_time,
        "stops": np.asarray(plan.stops),
        "feasible": feasible,
        "infeasible_at": np.asarray(plan.infeasible_at),
        "arrive_end": np.asarray(plan.arrive_end),
        "energy_used": cons * route.distance,
        "energy_from_grid": np.where(feasible, energy_grid, np.nan),
        "km_in_20min": km20,
        "overhead": overhead,
        "plan": plan,
        "curves": {**curves, "time": time},
        "leg": leg,
        "station_charger": station_charger,
        "chargers": chargers,
    }
