"""Several vehicles charged side by side, with their range, ageing and running cost.

Every figure comes from the stages of :mod:`nevcalc.evaluate`: the drive stage gives
each car's range and the consumption of its km figures, the running cost is a
one-row evaluation per vehicle and charger (:func:`nevcalc.scenario.cost.running_cost`),
and the charge rows explain the session asked for (window, minutes).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from nevcalc import _show
from nevcalc.cars import assemble
from nevcalc.errors import InputError
from nevcalc.evaluate import INDEX_SPEED, charging_vehicle, drive_stage, km_in_20_min
from nevcalc.routes import Route
from nevcalc.scenario.charge import ChargeAnswer, Charger, charge, no_charger, with_heat_pump
from nevcalc.scenario.cost import running_cost
from nevcalc.scenario.health import health
from nevcalc.scenario.thermal import precondition_code
from nevcalc.scenario.trip import TripAnswer, speed_consumption, trips

__all__ = ["DEFAULT_VEHICLES", "CompareAnswer", "compare", "compare_trips"]

#: Vehicles compared when none is named.
DEFAULT_VEHICLES = (
    "byd-han-l",
    "zeekr-7x-lfp",
    "xpeng-g6-2025",
    "porsche-taycan-2024",
    "hyundai-ioniq-5-77",
    "kia-ev6-77",
    "lucid-air-gt",
    "tesla-model-3-lr-2019",
    "vw-id4-77",
    "nissan-leaf-e-plus",
    "chevrolet-bolt-66",
)

#: The duty of the "capacity at year 8" column: ``nevcalc health``'s defaults.
HEALTH_YEARS = 8


@dataclass(frozen=True)
class CompareAnswer:
    """One row per vehicle and charger; None where a figure cannot be computed.

    Attributes
    ----------
    rows : tuple of ChargeAnswer
        The charging session of each vehicle and charger (SI: [s], [W], [-]).
    ranges, healths, costs : tuple
        Per row: the RangeAnswer on the official procedure, the HealthAnswer over
        :data:`HEALTH_YEARS` of the default duty, the CostAnswer of the running cost
        (or None).
    chargers_given : bool
        False when the vehicles were charged without a charger limit.
    km_in_20_min : tuple of float
        Per row, the charging index: distance 20 minutes from 10 % add at the car's
        consumption at :data:`~nevcalc.evaluate.INDEX_SPEED` (120 km/h) [m]; nan without
        road figures or consumption.

    Examples
    --------
    See :func:`compare`.
    """

    rows: tuple[ChargeAnswer, ...]
    ranges: tuple[Any, ...]  #: RangeAnswer on the official procedure, or None
    healths: tuple[Any, ...]  #: HealthAnswer over 8 years of the default duty, or None
    costs: tuple[Any, ...]  #: CostAnswer of the running cost, or None
    chargers_given: bool
    km_in_20_min: tuple[float, ...] = ()

    def __repr__(self) -> str:
        return _show.line(self)

    def _repr_html_(self) -> str:
        return _show.html(self)


def compare(
    vehicles: Sequence[str],
    chargers: dict[str | None, Charger | None],
    soc_from,
    soc_to,
    minutes,
    *,
    ambient: float | None = None,
    precondition="none",
    cabin: float | None = None,
    heat_pump: bool | None = None,
) -> CompareAnswer:
    """Charge each vehicle on each charger and join the other stages' figures.

    Parameters
    ----------
    vehicles : sequence of str
        Vehicle spec names or paths; empty: :data:`DEFAULT_VEHICLES`.
    chargers : dict
        Charger name -> :class:`~nevcalc.scenario.charge.Charger`; ``{None: None}`` for
        a charger that sets no limit.
    soc_from, soc_to : float
        The session of the charge rows [-], as :func:`~nevcalc.scenario.charge.charge`
        takes it.
    minutes : float or None
        Time of the "km added" figure [min], as :func:`~nevcalc.scenario.charge.charge`
        takes it.
    ambient : float, optional
        Air temperature of the charge rows [K] (the pack is marched from its arrival
        state); None: a pack at 25 degC.
    precondition : str or float
        As :func:`~nevcalc.scenario.charge.charge` takes it.
    cabin : float, optional
        With ``ambient``: the cabin set point of the km column's drive [K] (21 degC).
    heat_pump : bool, optional
        With ``ambient``: the cars have a heat pump, for the cabin and the pack, or
        not; None: as each spec says.

    Returns
    -------
    CompareAnswer
        One row per vehicle and charger (vehicles outer); ``ranges`` from
        :func:`nevcalc.evaluate.drive_stage`, ``healths`` over :data:`HEALTH_YEARS`
        of ``nevcalc health``'s default duty, ``costs`` the running cost.

    References
    ----------
    .. [1] NREL, BLAST-Lite 1.1.1, https://github.com/NREL/BLAST-Lite (the ageing
       models of the health column).

    Examples
    --------
    The BYD Han L on the BYD megawatt charger. The charge row is the evaluator's
    session (same march) and the range its drive stage's; the health column runs
    ``nevcalc health``'s duty (30-80 % a day, C/4, 25 degC) on the LFP 250 Ah model
    with nevcalc's fleet correction, as ``nevcalc health`` does; on lab cells its
    capacity after 5 years is BLAST-Lite 1.1.1's 0.947
    (``tests/reference/blast_lite_capacity.csv``).

    >>> from nevcalc.evaluate import charge_stage
    >>> from nevcalc.scenario.charge import load_charger
    >>> megawatt = load_charger("byd-megawatt")
    >>> a = compare(["byd-han-l"], {"byd-megawatt": megawatt}, 0.1, 0.8, 5)
    >>> len(a.rows), a.rows[0].charger.name
    (1, 'byd-megawatt')
    >>> car = assemble("byd-han-l")
    >>> bool(a.rows[0].duration == charge_stage([car.charging], [megawatt], 0, 0)["duration"])
    True
    >>> bool(a.ranges[0].range == drive_stage([car])["range"][0])
    True
    >>> from nevcalc.scenario.health import health
    >>> a.healths[0].capacity[:5] == health(car.chemistry, years=5).capacity
    True
    >>> round(health(car.chemistry, years=5, fleet_correction=False).capacity[4], 3)
    0.947
    """
    names = list(dict.fromkeys(vehicles or DEFAULT_VEHICLES))
    cars = [assemble(n) for n in names]
    drive = drive_stage(cars)
    pairs = [(i, c) for i in range(len(names)) for c in chargers]
    rows = tuple(
        charge(with_heat_pump(charging_vehicle(cars[i], drive, i), heat_pump), chargers[c],
               soc_from, soc_to, minutes=minutes, ambient=ambient, precondition=precondition)
        for i, c in pairs
    )  # fmt: skip
    ranges = tuple(drive["answers"][i] for i, _ in pairs)
    by_chem: dict[str, Any] = {}
    for car in cars:
        if car.chemistry.name not in by_chem:
            try:
                by_chem[car.chemistry.name] = health(car.chemistry, years=HEALTH_YEARS)
            except InputError:  # no ageing model and no cycle life: no figure
                by_chem[car.chemistry.name] = None
    healths = tuple(by_chem[cars[i].chemistry.name] for i, _ in pairs)
    standard = abs(rows[0].soc_from - 0.1) < 1e-12 and abs(rows[0].soc_to - 0.8) < 1e-12
    costs = []
    for (i, c), row in zip(pairs, rows, strict=True):
        try:
            costs.append(running_cost(cars[i].vehicle, c, fast_charge=row if standard else None))
        except InputError:
            costs.append(None)
    km20 = _km_in_20_min(cars, chargers, pairs, ambient, precondition, cabin, heat_pump)
    return CompareAnswer(rows, ranges, healths, tuple(costs), list(chargers) != [None],
                         km20)  # fmt: skip


def _km_in_20_min(cars, chargers, pairs, ambient, precondition, cabin=None,
                  heat_pump=None) -> tuple[float, ...]:  # fmt: skip
    """The charging index of each row (:func:`nevcalc.evaluate.km_in_20_min`)."""
    names = list(chargers)
    objects = [chargers[c] or no_charger() for c in names]
    cons = []
    for car in cars:
        try:
            cons.append(speed_consumption(car.road, car.charging, INDEX_SPEED, ambient, cabin,
                                          heat_pump)[0])  # fmt: skip
        except InputError:  # neither road figures nor a stated consumption
            cons.append(float("nan"))
    vi = np.array([i for i, _ in pairs], np.intp)
    ci = np.array([names.index(c) for _, c in pairs], np.intp)
    thermal = {}
    if ambient is not None:
        thermal = dict(ambient=ambient, precondition=precondition_code(precondition))
    km = km_in_20_min([with_heat_pump(c.charging, heat_pump) for c in cars], objects, vi, ci,
                      np.asarray(cons)[vi], **thermal)  # fmt: skip
    return tuple(float(x) for x in km)


def compare_trips(vehicles: Sequence[str], route: Route, *,
                  precondition="on-arrival") -> tuple[TripAnswer, ...]:  # fmt: skip
    """The same trip for several cars, fastest first (those that cannot drive it last).

    The cars are planned together (:func:`nevcalc.scenario.trip.trips`, one call of the
    evaluator's trip stage); each row is the car's :func:`~nevcalc.scenario.trip.trip`.

    Parameters
    ----------
    vehicles : sequence of str
        Vehicle spec names or paths; empty: :data:`DEFAULT_VEHICLES`.
    route : nevcalc.routes.Route
    precondition : str or float
        ``"on-arrival"``, ``"none"`` or a heating time [s], as
        :func:`~nevcalc.scenario.trip.trip` takes it.

    Returns
    -------
    tuple of TripAnswer
        Times in [s], energies in [J].

    Examples
    --------
    >>> from nevcalc.routes import load_route
    >>> rows = compare_trips(["nissan-leaf-40", "kia-ev6-77"], load_route("motorway-1000"))
    >>> [r.vehicle.name for r in rows]
    ['kia-ev6-77', 'nissan-leaf-40']
    """
    names = list(dict.fromkeys(vehicles or DEFAULT_VEHICLES))
    cars = [assemble(n) for n in names]
    rows = trips([c.charging for c in cars], [c.road for c in cars], route,
                 precondition=precondition)  # fmt: skip
    return tuple(sorted(rows, key=lambda a: (not a.feasible, a.total_time)))
