"""Cars assembled from specs: SI records, no model run, no cycle file read.

A :class:`Car` is a vehicle spec joined with its chemistry (or with other
cells swapped in, keeping the pack's energy, mass or the car's range): the
road-load figures (:class:`nevcalc.scenario.road.RoadVehicle`), the charging
hardware (:class:`nevcalc.scenario.charge.Vehicle`), the ageing model the
chemistry takes, and the prices. Consumption and range are not part of a car:
they are what the drive stage of :mod:`nevcalc.evaluate` computes from it.
:func:`stack` turns a list of cars into the arrays the evaluator's stages
index.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from nevcalc import catalog
from nevcalc.ageing import AGEING_MODELS
from nevcalc.brochure.charging import spec_chemistry
from nevcalc.errors import InputError, SpecError
from nevcalc.scenario.charge import Vehicle, charging_vehicle
from nevcalc.scenario.health import ageing_model_for
from nevcalc.scenario.road import (
    OFFICIAL_PROCEDURES,
    RoadVehicle,
    road_vehicle_from_spec,
    swap_cells,
)
from nevcalc.specs.model import Spec

__all__ = ["AGEING_MODELS", "Car", "assemble", "stack", "try_assemble"]

#: The EPA label scales a cycle's range by 0.7; km figures follow the same label.
_KM_LABEL = {"epa": 0.7}


@dataclass(frozen=True)
class Car:
    """A vehicle with its cells, as SI records.

    Attributes
    ----------
    name, title : str
        ``vehicle+chemistry`` when cells were swapped in.
    vehicle, chemistry : Spec
        The specs the car was built from (the vehicle's figures after a swap).
    road : RoadVehicle or None
        Road-load and pack figures; a spec without curb mass, Cd, frontal area or
        motor power is completed from its battery and model year
        (:mod:`nevcalc.brochure.road`, listed in ``road.estimates``). None when the
        figures cannot make a road vehicle (then the car has no range, and km figures
        use the spec's ``consumption``).
    road_error : str
        Why ``road`` is None.
    charging : Vehicle
        Charging hardware and pack electrics; its ``consumption`` is the spec's
        (or the stated default) and stands only where ``road`` is None.
    km_procedure : str
        Procedure of the market's km figures (``wltp``, ``epa``, ``cltc``, ``nedc``).
    km_label : float
        The cycle's consumption over the one of km figures [-] (0.7 on EPA).
    ageing_model : str
        A key of :data:`nevcalc.model.degradation.MODELS`, ``"simple"`` or ``""`` (none).
    cycle_life : float
        Claimed cycles to 80 % for the simple model [-]; nan otherwise.
    ageing_note : str
        Why a family's model stands in, or why there is none.
    pack_cost : float
        Pack price per installed energy [USD J^-1]; nan when the chemistry gives none.
    price : float
        Vehicle price with battery [USD]; nan when the spec gives none.
    notes : tuple of str
        What was done to the specs (cells swapped ...).

    Examples
    --------
    See :func:`assemble`.
    """

    name: str
    title: str
    vehicle: Spec
    chemistry: Spec
    road: RoadVehicle | None
    road_error: str
    charging: Vehicle
    km_procedure: str
    km_label: float
    ageing_model: str
    cycle_life: float
    ageing_note: str
    pack_cost: float
    price: float
    notes: tuple[str, ...] = ()

    @property
    def usable_energy(self) -> float:
        """[J]"""
        return self.charging.usable_energy

    @property
    def installed_energy(self) -> float:
        """[J]; the usable energy when the car has no road figures."""
        return self.road.installed_energy if self.road is not None else self.usable_energy


def _with_values(spec: Spec, changes: dict[str, Any] | None) -> Spec:
    return replace(spec, values={**spec.values, **changes}) if changes else spec


def _spec(x: str | Spec, kind: str) -> Spec:
    return x if isinstance(x, Spec) else catalog.load(x, kind)


def assemble(
    vehicle: str | Spec,
    chemistry: str | Spec | None = None,
    *,
    keep: str = "energy",
    vehicle_values: dict[str, Any] | None = None,
    chemistry_values: dict[str, Any] | None = None,
    chemistries: dict[str, Spec] | None = None,
) -> Car:
    """A car from its specs, with other cells swapped in when ``chemistry`` is given.

    Parameters
    ----------
    vehicle : str or Spec
        Vehicle spec name, path or object.
    chemistry : str or Spec, optional
        Cells to swap in; the vehicle's own by default.
    keep : {"energy", "mass", "range"}
        What the swapped pack keeps of the original.
    vehicle_values, chemistry_values : dict, optional
        Spec fields to change, as SI floats [the field's SI unit, e.g. J, kg, W] (a
        sweep's axis values); chemistry changes apply to the car's own cells and to
        the swapped-in ones alike.
    chemistries : dict, optional
        Chemistry specs already loaded, by name (a sweep assembles hundreds of cars).

    Returns
    -------
    Car

    Raises
    ------
    InputError, SpecError
        When the specs cannot make a car that charges (missing pack figures).

    Examples
    --------
    The BYD Han L keeps the 83.2 kWh usable that BYD states; its pack at the 150 Wh/kg
    of its LFP flash-charge cells' pack level weighs, by hand, 83.2 / 0.150 = 554.7 kg.
    With NMC 811 cells at 250 Wh/kg swapped in, keeping the energy, it weighs
    83.2 / 0.250 = 332.8 kg. Its figures are on CLTC, China's label cycle.

    >>> from nevcalc.units import from_si
    >>> car = assemble("byd-han-l")
    >>> round(from_si(car.usable_energy, "kWh"), 1), round(car.road.pack_mass, 1)  # [kg]
    (83.2, 554.7)
    >>> car.km_procedure, car.ageing_model
    ('cltc', 'lfp-gr-250ah')
    >>> nmc = assemble("byd-han-l", "nmc811", keep="energy")
    >>> nmc.name, round(from_si(nmc.usable_energy, "kWh"), 1), round(nmc.road.pack_mass, 1)
    ('byd-han-l+nmc811', 83.2, 332.8)
    """
    spec = _with_values(_spec(vehicle, "vehicle"), vehicle_values)
    known = chemistries or {}
    name = spec_chemistry(spec)[0]
    own = known.get(name) or catalog.load(name, "chemistry")
    own = _with_values(own, chemistry_values)
    notes: list[str] = []
    chem = own
    if chemistry is not None:
        new = known.get(chemistry) if isinstance(chemistry, str) else None
        new = _with_values(new or _spec(chemistry, "chemistry"), chemistry_values)
        if new.name != own.name:
            spec = replace(swap_cells(spec, own, new, keep), name=f"{spec.name}+{new.name}")
            notes.append(f"cells swapped for {new.name}, keeping pack {keep}")
            chem = new
    road, road_error = None, ""
    try:
        road = road_vehicle_from_spec(spec, chem)
    except InputError as exc:
        road_error = str(exc)
    cycle = spec.get("official_range_cycle") or spec.get("consumption_cycle") or "WLTP"
    km_procedure = OFFICIAL_PROCEDURES.get(str(cycle).upper(), "wltp")
    try:
        model, life, why = ageing_model_for(chem)
    except InputError as exc:
        model, life, why = "", None, str(exc)
    return Car(
        name=spec.name,
        title=spec.title,
        vehicle=spec,
        chemistry=chem,
        road=road,
        road_error=road_error,
        charging=charging_vehicle(spec, chem, has_road=road is not None),
        km_procedure=km_procedure,
        km_label=_KM_LABEL.get(km_procedure, 1.0),
        ageing_model=model,
        cycle_life=float("nan") if life is None else float(life),
        ageing_note=why or "",
        pack_cost=float(chem.get("pack_cost") or np.nan),
        price=float(spec.get("price") or np.nan),
        notes=tuple(notes),
    )


def stack(cars: Sequence[Car | None]) -> dict[str, np.ndarray]:
    """The cars' figures as arrays, one entry per car (None: a car that could not be built).

    Parameters
    ----------
    cars : sequence of Car or None

    Returns
    -------
    dict of numpy.ndarray
        ``usable`` and ``installed`` energy [J], ``pack_mass`` [kg], ``charge_eff``
        (grid to battery [-], nan without road figures), ``model`` (index into
        :data:`AGEING_MODELS`, -1 for the simple model, -2 for none), ``cycle_life``
        [-], ``pack_cost`` [USD J^-1], ``price`` [USD], ``built`` and ``road``
        (booleans).

    Examples
    --------
    The BYD Han L (83.2 kWh, its cells priced at 95 USD/kWh in ``lfp-flash``) and a
    car that could not be built; one entry each.

    >>> from nevcalc.units import from_si
    >>> s = stack([assemble("byd-han-l"), None])
    >>> np.round(from_si(s["usable"], "kWh"), 1), np.round(from_si(s["pack_cost"], "USD/kWh"), 1)
    (array([83.2,  nan]), array([95., nan]))
    >>> s["built"], [AGEING_MODELS[m] if m >= 0 else int(m) for m in s["model"]]
    (array([ True, False]), ['lfp-gr-250ah', -2])
    """
    n = len(cars)
    out = {k: np.full(n, np.nan) for k in ("usable", "installed", "pack_mass", "charge_eff",
                                           "cycle_life", "pack_cost", "price")}  # fmt: skip
    out["model"] = np.full(n, -2, np.int64)
    out["built"] = np.zeros(n, bool)
    out["road"] = np.zeros(n, bool)
    for i, car in enumerate(cars):
        if car is None:
            continue
        out["built"][i] = True
        out["usable"][i] = car.usable_energy
        out["installed"][i] = car.installed_energy
        if car.road is not None:
            out["road"][i] = True
            out["pack_mass"][i] = car.road.pack_mass
            out["charge_eff"][i] = car.road.charging_efficiency
        if car.ageing_model == "simple":
            out["model"][i] = -1
        elif car.ageing_model:
            out["model"][i] = AGEING_MODELS.index(car.ageing_model)
        out["cycle_life"][i] = car.cycle_life
        out["pack_cost"][i] = car.pack_cost
        out["price"][i] = car.price
    return out


def try_assemble(*args: Any, **kwargs: Any) -> Car | None:
    """:func:`assemble`, or None when the specs cannot make a car (for sweeps).

    Parameters
    ----------
    *args, **kwargs
        As :func:`assemble`.

    Returns
    -------
    Car or None

    Examples
    --------
    >>> try_assemble("no-such-vehicle") is None
    True
    >>> try_assemble("byd-han-l").name
    'byd-han-l'
    """
    try:
        return assemble(*args, **kwargs)
    except (InputError, SpecError, KeyError, ValueError, ZeroDivisionError):
        return None
