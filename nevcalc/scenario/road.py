"""Range and consumption on drive cycles and test procedures, and pack resizing.

A :class:`RoadVehicle` holds what the road-load model needs in SI floats;
figures a vehicle spec does not give come from :data:`DEFAULTS`, and each
such use is listed among the answer's assumptions.

Test procedures (a range always says which):

* ``wltp``: WLTC class 3b, test mass = curb mass + 100 kg.
* ``epa``: the two-cycle label, 0.55 UDDS + 0.45 HWFET consumption, range
  x 0.7; test mass = curb mass + 136 kg (300 lb).
* ``cltc``: CLTC-P, curb mass + 100 kg (GB/T 18386).
* ``nedc``: NEDC, curb mass + 100 kg (UNECE R83 reference mass).
* any single cycle (``udds``, ``hwfet``, ``us06``, ``ftp75``, ``cadc``, a
  CSV path): unadjusted, curb mass + 100 kg.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

import numpy as np

from nevcalc import _show, catalog
from nevcalc.brochure import Estimate, market_year
from nevcalc.brochure.charging import spec_chemistry
from nevcalc.brochure.road import Brochure, complete, consumption_factors, relations
from nevcalc.cycles import load_cycle
from nevcalc.errors import InputError
from nevcalc.intervals import Interval, interval_of
from nevcalc.io import read_model_data
from nevcalc.model import driving, label, thermal
from nevcalc.model import pack as pack_model
from nevcalc.params import parse
from nevcalc.scenario.thermal import DEFAULTS as TD
from nevcalc.scenario.thermal import parse_precondition
from nevcalc.specs.model import Spec
from nevcalc.units import format_si, from_si

__all__ = [
    "CABIN_SET_POINT",
    "DEFAULTS",
    "MARKET_PROCEDURES",
    "OFFICIAL_PROCEDURES",
    "PROCEDURES",
    "DrivePack",
    "DrivingClimate",
    "RangeAnswer",
    "RoadVehicle",
    "adhoc_road_vehicle",
    "brochure_road_vehicle",
    "cold_drive",
    "cold_march",
    "cold_march_cars",
    "departure_temperature",
    "drive_pack",
    "drive_range",
    "driving_climate",
    "equip_heat_pump",
    "five_cycle",
    "load_road_vehicle",
    "parse_departure",
    "procedure_consumption",
    "range_interval",
    "resize_pack",
    "road_vehicle_from_spec",
    "swap_cells",
    "trace_consumption",
]

#: Road-load figures used when a vehicle spec gives none: (SI value, why). Each is the
#: mean over NREL FASTSim 3.1's four shipped BEVs (tests/reference/fastsim_vehicles.csv:
#: 2022 Model 3 RWD, 2020 Bolt, 2016 Leaf 30 kWh, Zoe ZE50), FASTSim's own calibration.
DEFAULTS: dict[str, tuple[Any, str]] = {
    "rolling_resistance": (0.0079, "Crr 0.0079 (mean of FASTSim's BEVs, 0.007-0.009)"),
    "frontal_area": (2.47, "frontal area 2.47 m^2 (mean of FASTSim's BEVs)"),
    "drag_coefficient": (0.296, "Cd 0.296 (mean of FASTSim's BEVs)"),
    "rotating_mass_share": (
        0.0186,
        "rotating mass 1.86 % of curb mass (mean of FASTSim's BEVs' wheels)",
    ),
    "transmission_efficiency": (0.965, "transmission efficiency 0.965 (mean of FASTSim's BEVs)"),
    "motor_efficiency_map": (
        (
            (0.0, 0.02, 0.04, 0.06, 0.08, 0.1, 0.2, 0.4, 0.6, 0.8, 1.0),
            (0.84, 0.86, 0.88, 0.90, 0.91, 0.92, 0.94, 0.95, 0.95, 0.94, 0.93),
        ),
        "motor part-load efficiency table of FASTSim's 2022 Model 3 RWD",
    ),
    "regen_efficiency": (0.84, "regen efficiency 0.84 (FASTSim Model 3)"),
    "regen_fraction": (1.0, "all braking power offered to the motor"),
    "aux_power": (250.0, "auxiliary load 250 W (FASTSim BEVs)"),
    "battery_efficiency": (0.985, "battery one-way efficiency 0.985 (FASTSim 0.98489)"),
    "charging_efficiency": (0.86, "wall-to-battery efficiency 0.86 (EPA-style, FASTSim)"),
    "motor_power_per_mass": (100.0, "motor power 100 W/kg of curb mass"),
}

#: name -> (title, ((cycle, weight), ...), payload [kg], range factor)
PROCEDURES: dict[str, tuple[str, tuple[tuple[str, float], ...], float, float]] = {
    "wltp": ("WLTP (WLTC class 3b)", (("wltc-3b", 1.0),), 100.0, 1.0),
    "epa": (
        "EPA 2-cycle label (0.55 UDDS + 0.45 HWFET, x 0.7)",
        (("udds", 0.55), ("hwfet", 0.45)),
        136.0,
        0.7,
    ),
    "cltc": ("CLTC-P", (("cltc-p", 1.0),), 100.0, 1.0),
    "nedc": ("NEDC", (("nedc", 1.0),), 100.0, 1.0),
}
_ALIASES = {"wltc": "wltp", "cltc-p": "cltc", "official": "official", "epa5": "epa-5cycle"}
#: The label by the vehicle-specific 5-cycle method (:func:`five_cycle`).
FIVE_CYCLE_TITLE = "EPA 5-cycle label (40 CFR 600.114: FTP, HWFET, US06, SC03, cold FTP)"
#: Procedures with published official ranges (the range interval is calibrated on them).
LABEL_PROCEDURES = (*PROCEDURES, "epa-5cycle")
#: Official-range cycle names in vehicle specs -> procedures.
OFFICIAL_PROCEDURES = {"WLTP": "wltp", "EPA": "epa", "CLTC": "cltc", "NEDC": "nedc"}
#: A market's label cycle (``nevcalc range --market``): the official range there.
MARKET_PROCEDURES = {"cn": "CLTC", "eu": "WLTP", "uk": "WLTP", "jp": "WLTP", "us": "EPA"}


@dataclass(frozen=True)
class DrivePack:
    """A pack's thermal figures for driving in the cold, SI floats.

    From the chemistry spec (heat capacity, the resistance's activation energy and
    fixed share, the share delivered cold) and the vehicle spec (heater, conductance
    to the air), each default of :data:`nevcalc.scenario.thermal.DEFAULTS` or
    :data:`COLD_DEFAULTS` stated in ``notes``.
    """

    heat_capacity: float  #: [J K^-1]
    ua: float  #: pack to air [W K^-1]
    heater_power: float  #: [W]
    activation_energy: float  #: of the cell resistance [J mol^-1]
    fixed_share: float  #: of the resistance that does not change with temperature [-]
    cold_temperature: float  #: [K] at which the cells deliver ``cold_share``
    cold_share: float  #: [-]
    window_low: float = 298.15  #: the pack is heated below this [K]
    heat_pump: bool = False  #: a heat pump heats the pack
    notes: tuple[str, ...] = ()


#: Figures of :class:`DrivePack` a chemistry spec may leave out: (SI value, why).
COLD_DEFAULTS: dict[str, tuple[float, str]] = {
    "cold_capacity_temperature": (
        263.15,
        "cells deliver 85 % of their capacity at -10 degC (EV cell specification, 0.2C "
        "after 4 h at -10 degC; thermal_figures TF-077)",
    ),
    "cold_capacity_share": (0.85, ""),
}


def drive_pack(chemistry: Spec, pack_mass: float, get=lambda k: None,
               heat_pump: bool = False) -> DrivePack:  # fmt: skip
    """The :class:`DrivePack` of a pack of ``pack_mass`` [kg] of ``chemistry``; ``get``
    reads the vehicle spec's fields (None where it gives none)."""
    notes: list[str] = []

    def take(name, source):
        value = source(name)
        if value is not None:
            return float(value)
        value, why = TD[name] if name in TD else COLD_DEFAULTS[name]
        if why:
            notes.append(why)
        return float(value)

    return DrivePack(
        heat_capacity=float(pack_mass) * take("specific_heat_capacity", chemistry.get),
        ua=take("battery_thermal_conductance", get),
        heater_power=take("battery_heater_power", get),
        activation_energy=take("resistance_activation_energy", chemistry.get),
        fixed_share=take("resistance_fixed_share", chemistry.get),
        cold_temperature=take("cold_capacity_temperature", chemistry.get),
        cold_share=take("cold_capacity_share", chemistry.get),
        window_low=take("battery_window_low", get),
        heat_pump=bool(heat_pump),
        notes=tuple(notes),
    )


@dataclass(frozen=True)
class RoadVehicle:
    """Road-load and battery figures of a vehicle in SI floats."""

    name: str
    title: str
    chemistry: str
    curb_mass: float  #: [kg]
    test_mass: float | None  #: [kg]; overrides curb mass + procedure payload
    cda: float  #: [m^2]
    crr: float  #: [-]
    rotating_mass: float  #: [kg]
    motor_power: float  #: [W]
    transmission_efficiency: float
    motor_map: tuple[tuple[float, ...], tuple[float, ...]] | None  #: (``|P|/Pmax``, eff)
    motor_efficiency: float | None  #: constant, when no map
    motor_interpolation: str  #: "linear" or "step" between map breakpoints
    regen_efficiency: float
    regen_fraction: float
    regen_power: float  #: [W]
    aux_power: float  #: [W]
    battery_efficiency: float
    battery_efficiency_map: tuple[tuple[float, ...], tuple[float, ...]] | None  #: (C [s^-1], eff)
    charging_efficiency: float
    usable_energy: float  #: [J]
    installed_energy: float  #: [J], defines the C-rate
    pack_mass: float  #: [kg]
    pack_specific_energy: float  #: usable energy per pack mass [J kg^-1]
    usable_fraction: float  #: usable over installed energy [-]
    pack_volume: float  #: [m^3], nan when the chemistry gives no density
    pack_cost: float  #: [USD], nan when the chemistry gives no price
    official_range: float | None  #: [m]
    official_procedure: str | None  #: wltp, epa, cltc, nedc
    assumptions: tuple[str, ...] = field(default_factory=tuple)
    #: figures the spec or datasheet did not give, estimated (:mod:`nevcalc.brochure.road`)
    estimates: tuple[Estimate, ...] = field(default_factory=tuple)
    #: (procedure, factor on consumption) calibrated for a brochure car; ``other``: any
    #: other cycle (:func:`nevcalc.brochure.road.consumption_factors`)
    consumption_factors: tuple[tuple[str, float], ...] = ()
    body: str | None = None  #: body class, when a brochure gives it
    #: a heat pump heats the cabin ("yes"/"no" of the spec; None: not given)
    heat_pump: bool | None = None
    #: the pack's thermal figures for driving in the cold (None: not modelled)
    pack: DrivePack | None = None

    def __repr__(self) -> str:
        return _show.line(self)

    def _repr_html_(self) -> str:
        return _show.html(self)


def _default(key: str, assumptions: list[str]):
    value, why = DEFAULTS[key]
    assumptions.append(why)
    return value


def road_vehicle_from_spec(spec: Spec, chemistry: Spec) -> RoadVehicle:
    """Build a :class:`RoadVehicle` from a vehicle spec and its chemistry.

    A spec without curb mass, drag coefficient, frontal area or motor power is
    completed as a brochure car is (:func:`nevcalc.brochure.road.complete`, from its
    usable energy and the model year in ``market``); each estimate is listed in the
    assumptions and in ``estimates``.
    """
    a: list[str] = []
    g = spec.get
    given = {k: g(k) for k in ("curb_mass", "drag_coefficient", "frontal_area", "motor_power")}
    if g("drag_area") is not None:
        given.update(drag_coefficient=g("drag_area"), frontal_area=1.0)
    est: tuple[Estimate, ...] = ()
    if any(v is None for v in given.values()):
        b = Brochure(battery=g("battery_usable_energy"), year=market_year(g("market"))[1], **given)
        values, est, texts = _completed(b, _pack_specific_energy(chemistry))
        given = {k: values[k] for k in given}
        a.extend(texts)
    vals = {**spec.values, "motor_power": given["motor_power"]}
    v = _build(spec.name, spec.title, chemistry, given["curb_mass"],
               given["drag_coefficient"] * given["frontal_area"], vals.get, a,
               official_range=g("official_range"),
               official_cycle=g("official_range_cycle"))  # fmt: skip
    hp = g("heat_pump")
    hp = None if hp is None else str(hp) == "yes"
    return replace(v, estimates=est, heat_pump=hp,
                   pack=drive_pack(chemistry, v.pack_mass, g, bool(hp)))  # fmt: skip


@lru_cache(maxsize=4096)
def _completed(b: Brochure, pack_specific_energy: float):
    """:func:`~nevcalc.brochure.road.complete` of a spec's figures with the estimates' texts,
    once per distinct set of figures (a sweep assembles the same cars many times)."""
    values, est = complete(b, None, pack_specific_energy)
    return values, est, tuple(e.text() for e in est)


def _pack_specific_energy(chemistry: Spec) -> float:
    """Pack-level specific energy of a chemistry [J kg^-1] (cells x cell-to-pack ratio)."""
    se = chemistry.get("pack_specific_energy")
    if se is None:
        se = chemistry["cell_specific_energy"] * chemistry.get("cell_to_pack_mass_ratio", 0.7)
    return float(se)


def brochure_road_vehicle(b: Brochure, chemistry: str | Spec = "nmc811", *,
                          name: str = "brochure", title: str | None = None,
                          official_range=None, official_cycle=None,
                          table: dict | None = None) -> RoadVehicle:  # fmt: skip
    """A vehicle from what its brochure gives; what it leaves out is estimated.

    Parameters
    ----------
    b : Brochure
        Datasheet figures in SI (battery energy at least).
    chemistry : str or Spec
        Chemistry spec (for the pack mass and volume).
    name, title : str
    official_range : float, optional
        [m], shown beside the answer.
    official_cycle : str, optional
        WLTP, EPA, CLTC or NEDC: the procedure ``official`` means.
    table : dict, optional
        The relations (:func:`nevcalc.brochure.road.relations` by default).

    Returns
    -------
    RoadVehicle
        Its assumptions list every estimate (value and 80 % spread); ``estimates``
        holds them as records.
    """
    chem = chemistry if isinstance(chemistry, Spec) else catalog.load(chemistry, "chemistry")
    values, est = complete(b, table, _pack_specific_energy(chem))
    factors, why = consumption_factors(b, table)
    a = ["vehicle built from datasheet figures", *(e.text() for e in est), *([why] if why else [])]
    vals = {"battery_usable_energy": values["battery_usable_energy"],
            "motor_power": values["motor_power"]}  # fmt: skip
    if b.battery_basis == "gross" and b.battery >= values["battery_usable_energy"]:
        vals["battery_gross_energy"] = b.battery
    if title is None:
        title = (f"{format_si(values['battery_usable_energy'], 'kWh', '.1f')} usable"
                 + (f", {b.body}" if b.body else ""))  # fmt: skip
    cda = values["drag_coefficient"] * values["frontal_area"]
    v = _build(name, title, chem, values["curb_mass"], cda, vals.get, a,
               official_range=official_range, official_cycle=official_cycle)  # fmt: skip
    return replace(v, estimates=est, consumption_factors=tuple(factors.items()), body=b.body)


def _build(
    name, title, chemistry: Spec, curb, cda, g, a, official_range=None, official_cycle=None
):
    crr = g("rolling_resistance")
    if crr is None:
        crr = _default("rolling_resistance", a)
    rot = g("rotating_mass")
    if rot is None:
        rot = curb * _default("rotating_mass_share", a)
    motor = g("motor_power")
    if motor is None:
        motor = curb * _default("motor_power_per_mass", a)
    eta_t = g("transmission_efficiency")
    if eta_t is None:
        eta_t = _default("transmission_efficiency", a)
    const = g("motor_efficiency")
    table = g("motor_efficiency_map")
    if table is not None:
        motor_map = (tuple(table.soc), tuple(table.value))
    elif const is not None:
        motor_map = None
    else:
        motor_map = _default("motor_efficiency_map", a)
    regen = g("regen_efficiency")
    if regen is None:
        regen = _default("regen_efficiency", a)
    extra = {}
    table_b = g("battery_efficiency_map")
    bmap = None if table_b is None else (tuple(table_b.soc), tuple(table_b.value))
    for key in ("regen_fraction", "aux_power", "battery_efficiency", "charging_efficiency"):
        if key == "battery_efficiency" and bmap is not None:
            extra[key] = float("nan")  # the map applies
            continue
        extra[key] = g(key) if g(key) is not None else _default(key, a)
    usable = g("battery_usable_energy")
    gross = g("battery_gross_energy") or usable
    pack_mass = g("pack_mass")
    if pack_mass is None:
        se = chemistry.get("pack_specific_energy")
        if se is None:
            ratio = chemistry.get("cell_to_pack_mass_ratio", 0.7)
            se = chemistry["cell_specific_energy"] * ratio
        pack_mass = gross / se
        a.append(f"pack mass {pack_mass:.0f} kg from {format_si(gross, 'kWh', '.1f')} at "
                 f"{format_si(se, 'Wh/kg', '.0f')} ({chemistry.name} pack level)")  # fmt: skip
    procedure = OFFICIAL_PROCEDURES.get(str(official_cycle).upper()) if official_cycle else None
    volume, cost = _pack_volume_cost(chemistry, gross, a)
    return RoadVehicle(
        name=name,
        title=title,
        chemistry=chemistry.name,
        curb_mass=float(curb),
        test_mass=g("test_mass"),
        cda=float(cda),
        crr=float(crr),
        rotating_mass=float(rot),
        motor_power=float(motor),
        transmission_efficiency=float(eta_t),
        motor_map=motor_map,
        motor_efficiency=const,
        motor_interpolation=g("motor_efficiency_interpolation") or "linear",
        regen_efficiency=float(regen),
        regen_fraction=float(extra["regen_fraction"]),
        regen_power=float(g("regen_power") or np.inf),
        aux_power=float(extra["aux_power"]),
        battery_efficiency=float(extra["battery_efficiency"]),
        battery_efficiency_map=bmap,
        charging_efficiency=float(extra["charging_efficiency"]),
        usable_energy=float(usable),
        installed_energy=float(gross),
        pack_mass=float(pack_mass),
        pack_specific_energy=float(usable / pack_mass),
        usable_fraction=float(usable / gross),
        pack_volume=volume,
        pack_cost=cost,
        official_range=official_range,
        official_procedure=procedure,
        assumptions=tuple(a),
        pack=drive_pack(chemistry, pack_mass, g),
    )


#: Cell volume / pack volume when a chemistry gives no pack density (CATL Qilin: 72 %).
CELL_TO_PACK_VOLUME = 0.72


def _pack_volume_cost(chemistry: Spec, installed_energy: float, a: list[str]):
    """Pack volume [m^3] and price [USD] of ``installed_energy`` [J] of ``chemistry``."""
    density = chemistry.get("pack_energy_density")
    if density is None and chemistry.get("cell_energy_density") is not None:
        ratio = chemistry.get("cell_to_pack_volume_ratio")
        if ratio is None:
            ratio = CELL_TO_PACK_VOLUME
            a.append(f"{chemistry.name} cells fill {ratio:.0%} of the pack volume (CATL Qilin)")
        density = chemistry["cell_energy_density"] * ratio
    volume = float("nan") if density is None else installed_energy / density
    price = chemistry.get("pack_cost")
    cost = float("nan") if price is None else installed_energy * price
    return float(volume), float(cost)


def load_road_vehicle(name: str) -> RoadVehicle:
    """A vehicle spec by name or path, ready for range questions."""
    spec = catalog.load(name, "vehicle")
    return road_vehicle_from_spec(spec, catalog.load(spec_chemistry(spec)[0], "chemistry"))


def adhoc_road_vehicle(battery, mass, cd, *, frontal_area=None, chemistry="nmc811") -> RoadVehicle:
    """A vehicle from datasheet figures: usable battery, curb mass, Cd (and frontal area).

    Parameters
    ----------
    battery : str, pint.Quantity or float
        Usable energy [kWh if a bare number].
    mass : str, pint.Quantity or float
        Curb mass [kg if a bare number].
    cd : str or float
        Drag coefficient [-].
    frontal_area : optional
        [m^2 if a bare number].
    chemistry : str
        Chemistry spec name (for the pack mass).
    """
    a = ["vehicle built from datasheet figures"]
    e, m, c = parse("battery", battery), parse("mass", mass), parse("cd", cd)
    if frontal_area is None:
        area = _default("frontal_area", a)
    else:
        area = parse("frontal_area", frontal_area)
    chem = catalog.load(chemistry, "chemistry")
    values = {"battery_usable_energy": e}
    title = f"{format_si(e, 'kWh', '.1f')}, {m:.0f} kg, Cd {c:g}"
    return _build("adhoc", title, chem, m, c * area, values.get, a)


def _resolve(procedure: str) -> tuple[str, tuple[tuple[Any, float], ...], float, float]:
    key = _ALIASES.get(procedure.lower(), procedure.lower())
    if key in PROCEDURES:
        title, parts, payload, factor = PROCEDURES[key]
        return (
            title,
            tuple((load_cycle(c, allow_path=False), w) for c, w in parts),
            payload,
            factor,
        )
    cycle = load_cycle(procedure)
    return cycle.title, ((cycle, 1.0),), 100.0, 1.0


@dataclass(frozen=True)
class _Trace:
    """A stretch of a drive cycle (the bags of the FTP, the parts of US06)."""

    time: np.ndarray
    speed: np.ndarray
    grade: np.ndarray


def _stretch(cycle, *windows: tuple[float, float]) -> list[_Trace]:
    out = []
    for t0, t1 in windows:
        keep = (cycle.time >= t0) & (cycle.time <= t1)
        out.append(_Trace(cycle.time[keep], cycle.speed[keep], cycle.grade[keep]))
    return out


def _energy_per_distance(v: RoadVehicle, cycle, mass, air_density, gravity,
                         aux_extra=0.0) -> np.ndarray:  # fmt: skip
    energy, distance = _energy_and_distance(v, cycle, mass, air_density, gravity, aux_extra)
    return energy / distance


def _energy_and_distance(v: RoadVehicle, cycle, mass, air_density, gravity, aux_extra=0.0):
    terms = driving.cycle_terms(cycle.time, cycle.speed, cycle.grade, gravity=gravity)
    kwargs: dict[str, Any] = dict(
        mass=mass,
        cda=v.cda,
        crr=v.crr,
        air_density=air_density,
        rotating_mass=v.rotating_mass,
        transmission_efficiency=v.transmission_efficiency,
        regen_efficiency=v.regen_efficiency,
        regen_fraction=v.regen_fraction,
        regen_power=v.regen_power,
        aux_power=v.aux_power + aux_extra,
        battery_efficiency=v.battery_efficiency,
    )
    if v.motor_map is not None:
        kwargs.update(motor_efficiency_breakpoints=v.motor_map[0],
                      motor_efficiency=v.motor_map[1], motor_power=v.motor_power,
                      motor_efficiency_interpolation=v.motor_interpolation)  # fmt: skip
    else:
        kwargs.update(motor_efficiency=v.motor_efficiency)
    if v.battery_efficiency_map is not None:
        kwargs.update(battery_efficiency_breakpoints=v.battery_efficiency_map[0],
                      battery_efficiency=v.battery_efficiency_map[1],
                      battery_energy=v.installed_energy)  # fmt: skip
    return driving.cycle_energy(terms, **kwargs), terms.distance


#: Air density of the road-load model [kg m^-3] (dry air near 20 degC at sea level).
AIR_DENSITY = 1.2


#: Cabin set point of a drive in cold or hot air unless one is given: 21 degC [K].
CABIN_SET_POINT = 294.15


@dataclass(frozen=True)
class DrivingClimate:
    """The air a car drives in and the cabin it keeps, in SI floats.

    Attributes
    ----------
    ambient : float
        Air temperature [K].
    cabin : float
        Cabin set point [K].
    heat_pump : bool, optional
        A heat pump heats the cabin and the pack (else resistive heaters); None: the
        vehicle's own (its spec's ``heat_pump``, none when not given).
    cabin_conductance : float, optional
        Cabin ``UA``, shell and ventilation [W K^-1]; the shipped calibration
        (``specs/data/driving_climate.toml``) by default.
    pack_start : float, optional
        Pack temperature at the start [K]; None: soaked at ``ambient`` (parked outside
        overnight, the published winter tests' usual start).
    pack_heat_below : float, optional
        The pack is heated while driving when colder than this [K]; by default the
        low end of the vehicle's window (``battery_window_low``: the thermal-management
        system holds the window while driving as while charging).
    pack_thermal : bool
        Model the pack's temperature (its warming, heater and the share a cold pack
        delivers); False: the pack delivers its usable energy at any ambient.
    precondition : str or float
        With ``pack_start`` None: the pack warmed from the grid before departure,
        ``"none"``, ``"on-departure"`` (to the low end of its window) or for a time
        [s] at its heater's power (:func:`departure_temperature`).
    """

    ambient: float
    cabin: float = CABIN_SET_POINT
    heat_pump: bool | None = None
    cabin_conductance: float | None = None
    pack_start: float | None = None
    pack_heat_below: float | None = None
    pack_thermal: bool = True
    precondition: str | float = "none"

    def loads(self) -> dict[str, Any]:
        """Air density [kg m^-3], rolling-resistance factor [-], climate power [W], and
        the lines that say so."""
        d = driving_climate()
        ua = d["cabin_conductance"] if self.cabin_conductance is None else self.cabin_conductance
        frac = d["heat_pump_fraction"] if self.heat_pump else 0.0
        power = thermal.cabin_climate_power(
            self.ambient, self.cabin, ua, frac, d["heat_pump_cop_max"],
            supply_offset=d["heat_pump_supply_offset"],
        )[0]  # fmt: skip
        power = float(power)
        rho = float(thermal.air_density(self.ambient))
        crr = float(thermal.rolling_resistance_factor(self.ambient))
        c = from_si(self.ambient, "degC")
        notes = (
            f"driving at {c:.0f} degC: air {rho:.3f} kg/m3, tyres x{crr:.2f} rolling "
            "resistance (UN R117 K_t 0.008/K), cabin at "
            f"{from_si(self.cabin, 'degC'):.0f} degC: {from_si(power, 'kW'):.2f} kW "
            f"({'heat pump' if self.heat_pump else 'resistive heater'}; cabin {ua:.0f} W/K, "
            f"{d['basis']})",
        )
        return {"air_density": rho, "crr_factor": crr, "power": power, "notes": notes}


@lru_cache(maxsize=1)
def driving_climate() -> dict[str, Any]:
    """The shipped cabin calibration (``specs/data/driving_climate.toml``)."""
    return read_model_data("driving_climate")["cabin"]


def procedure_consumption(
    v: RoadVehicle,
    procedure: str,
    mass=None,
    *,
    air_density=AIR_DENSITY,
    gravity=driving.G,
    climate: DrivingClimate | None = None,
) -> dict[str, Any]:
    """Battery-side consumption [J m^-1] of a vehicle on a procedure or cycle.

    Parameters
    ----------
    v : RoadVehicle
    procedure : str
        ``wltp``/``wltc``, ``epa``, ``cltc``, ``nedc``, a cycle name or a CSV path.
    mass : array_like, optional
        Test mass [kg]; by default curb mass + the procedure's payload.
    air_density : float
        [kg m^-3].
    gravity : float
        [m s^-2].
    climate : DrivingClimate, optional
        Drive in this air with the cabin climate on: air density, tyres and the
        climate's power follow the ambient (``air_density`` is then the ambient's),
        and a label's range factor is not applied (a drive, not a label).

    Returns
    -------
    dict
        ``consumption`` (battery side), ``consumption_wall``, ``title``,
        ``test_mass``, ``range_factor``.
    """
    key = _ALIASES.get(procedure.lower(), procedure.lower())
    aux_extra = 0.0
    if climate is not None:
        if key == "epa-5cycle":
            raise InputError(
                "the EPA 5-cycle label has its own test temperatures; give a drive cycle "
                "(wltc, cadc, hwfet ...) with --ambient"
            )
        v, air_density, aux_extra = _in_climate(v, climate)
    calibrated = dict(v.consumption_factors)
    k = calibrated.get(key, calibrated.get("other", 1.0))
    if key == "epa-5cycle":
        f = five_cycle(v, mass, air_density=air_density, gravity=gravity)
        c = f["two_cycle"] * k
        return {"consumption": c, "consumption_wall": c / v.charging_efficiency,
                "title": FIVE_CYCLE_TITLE, "test_mass": f["test_mass"],
                "range_factor": f["factor"]}  # fmt: skip
    title, parts, payload, factor = _resolve(procedure)
    if mass is None:
        mass = v.test_mass if v.test_mass is not None else v.curb_mass + payload
    c = sum(w * _energy_per_distance(v, cycle, mass, air_density, gravity, aux_extra)
            for cycle, w in parts)  # fmt: skip
    if k != 1.0:
        c = c * k
    if climate is not None:  # a drive in that air, not a label
        if factor != 1.0:
            title = title.replace(", x 0.7)", ", driven: no label factor)")
        factor = 1.0
    return {
        "consumption": c,
        "consumption_wall": c / v.charging_efficiency,
        "title": title,
        "test_mass": mass,
        "range_factor": factor,
    }


def _in_climate(v: RoadVehicle, climate: DrivingClimate) -> tuple[RoadVehicle, float, float]:
    """The vehicle with its tyres in ``climate``, the air density [kg m^-3] and the cabin
    climate's power [W]."""
    if climate.heat_pump is None:  # the car's own
        climate = replace(climate, heat_pump=bool(v.heat_pump))
    loads = climate.loads()
    return replace(v, crr=v.crr * loads["crr_factor"]), loads["air_density"], loads["power"]


#: Payload of a drive that is not a test procedure: a driver and luggage [kg].
DRIVE_PAYLOAD = 100.0


def trace_consumption(v: RoadVehicle, time, speed, grade=None, *, mass=None,
                      climate: DrivingClimate | None = None) -> float:  # fmt: skip
    """Battery-side consumption [J m^-1] of a vehicle driving a speed trace.

    The road-load model of :func:`procedure_consumption` on any trace (a motorway
    stretch, a route's profile), with the vehicle's calibration for cycles that are not a
    label procedure and, given ``climate``, the air, tyres and cabin climate of that
    ambient.

    Parameters
    ----------
    v : RoadVehicle
    time, speed : array_like
        [s] and [m s^-1], one point a second or so.
    grade : array_like, optional
        Road grade [-] (rise over run); level by default.
    mass : float, optional
        [kg]; curb mass + :data:`DRIVE_PAYLOAD` by default.
    climate : DrivingClimate, optional
        The air the car drives in (default: the model's 20 degC air, no cabin load).

    Returns
    -------
    float
        [J m^-1].

    Examples
    --------
    A steady 120 km/h costs more than 90 km/h (air drag rises with the square of the
    speed), and more again at -10 degC with the cabin heated:

    >>> import numpy as np
    >>> v = load_road_vehicle("kia-ev6-77")
    >>> t = np.arange(0.0, 601.0)
    >>> c90 = trace_consumption(v, t, np.full(t.size, 90 / 3.6))
    >>> c120 = trace_consumption(v, t, np.full(t.size, 120 / 3.6))
    >>> cold = trace_consumption(v, t, np.full(t.size, 120 / 3.6),
    ...                          climate=DrivingClimate(263.15))
    >>> bool(c90 < c120 < cold)
    True
    """
    t = np.asarray(time, float)
    trace = _Trace(t, np.asarray(speed, float),
                   np.zeros_like(t) if grade is None else np.asarray(grade, float))  # fmt: skip
    air_density, aux_extra = AIR_DENSITY, 0.0
    if climate is not None:
        v, air_density, aux_extra = _in_climate(v, climate)
    if mass is None:
        mass = v.test_mass if v.test_mass is not None else v.curb_mass + DRIVE_PAYLOAD
    c = float(_energy_per_distance(v, trace, mass, air_density, driving.G, aux_extra))
    calibrated = dict(v.consumption_factors)
    return c * calibrated.get("other", 1.0)


#: The 5-cycle tests' stretches of the shipped cycles [s] (40 CFR 600.114-12): FTP bag 1
#: (cold start, repeated hot as bag 3) and bag 2 of UDDS; the city and highway parts of US06.
FTP_BAGS = {"bag1": (0.0, 505.0), "bag2": (505.0, 1369.0)}
US06_PARTS = {"city": ((0.0, 130.0), (495.0, 600.0)), "highway": ((130.0, 495.0),)}
#: Test temperatures of the cold FTP (20 degF) and of SC03 (95 degF), and the
#: model's own [K].
COLD_FTP_TEMPERATURE, SC03_TEMPERATURE, MODEL_TEMPERATURE = 266.48, 308.15, 293.15
#: SC03's mean speed, 3.58 mi in 596 s [m s^-1]; the SC03 trace is not shipped, so its
#: driving is taken as the FTP bags' (the label formula subtracts that mix) and the
#: test adds its air-conditioning load at this speed.
SC03_SPEED = 3.58 * 1609.344 / 596.0


def _consumption(v, trace_list, mass, air_density, gravity, aux_extra=0.0) -> float:
    e = d = 0.0
    for tr in trace_list:
        ei, di = _energy_and_distance(v, tr, mass, air_density, gravity, aux_extra)
        e, d = e + float(ei), d + di
    return e / d


def five_cycle(v: RoadVehicle, mass=None, *, air_density=None, gravity=driving.G,
               climate: dict[str, float] | None = None) -> dict[str, Any]:  # fmt: skip
    """EPA label of a BEV by the vehicle-specific 5-cycle method (:mod:`nevcalc.model.label`).

    The 75 degF tests (FTP bags 2 and 3, US06 city and highway, HWFET) are run on the
    drive-cycle model; the cold FTP at 20 degF runs the same bags in air denser by
    the temperature ratio, with the cabin heater's power added to the auxiliary load;
    SC03 adds the air conditioner's power at SC03's mean speed to the FTP bags' mix.
    The heater and air-conditioner powers are stated in ``climate`` (by default those
    fitted in ``specs/data/brochure_road.toml``).

    Parameters
    ----------
    v : RoadVehicle
    mass : float, optional
        Test mass [kg]; curb mass + 136 kg by default.
    air_density : float, optional
        At the model's 20 degC [kg m^-3]; :data:`AIR_DENSITY` by default.
    gravity : float
        [m s^-2].
    climate : dict, optional
        ``heater_power`` at 20 degF and ``ac_power`` at 95 degF [W].

    Returns
    -------
    dict
        ``two_cycle`` (unadjusted, battery side), ``city``, ``highway``,
        ``combined`` label consumptions [J m^-1], ``factor`` (the adjustment factor
        [-]) and ``tests`` (each test's consumption [J m^-1]).
    """
    rho = AIR_DENSITY if air_density is None else air_density
    climate = climate or _five_cycle_climate()
    m = v.curb_mass + 136.0 if mass is None else mass
    if v.test_mass is not None and mass is None:
        m = v.test_mass
    udds, hwfet, us06 = (load_cycle(c, allow_path=False) for c in ("udds", "hwfet", "us06"))
    bag1, bag2 = _stretch(udds, FTP_BAGS["bag1"], FTP_BAGS["bag2"])
    rho_cold = rho * MODEL_TEMPERATURE / COLD_FTP_TEMPERATURE
    t = {
        "bag2_75": _consumption(v, [bag2], m, rho, gravity),
        "bag3_75": _consumption(v, [bag1], m, rho, gravity),
        "us06_city": _consumption(v, _stretch(us06, *US06_PARTS["city"]), m, rho, gravity),
        "us06_highway": _consumption(v, _stretch(us06, *US06_PARTS["highway"]), m, rho, gravity),
        "hfet": _consumption(v, [hwfet], m, rho, gravity),
        "bag2_20": _consumption(v, [bag2], m, rho_cold, gravity, climate["heater_power"]),
        "bag3_20": _consumption(v, [bag1], m, rho_cold, gravity, climate["heater_power"]),
    }
    t["sc03"] = (
        0.61 * t["bag3_75"]
        + 0.39 * t["bag2_75"]
        + climate["ac_power"]
        / (SC03_SPEED * v.battery_efficiency if np.isfinite(v.battery_efficiency) else SC03_SPEED)
    )
    city = label.five_cycle_city(t["bag2_75"], t["bag3_75"], t["us06_city"], t["bag2_20"],
                                 t["bag3_20"], t["sc03"])  # fmt: skip
    highway = label.five_cycle_highway(t["us06_highway"], t["hfet"], t["sc03"], t["bag2_75"],
                                       t["bag3_75"])  # fmt: skip
    two = label.two_cycle(_energy_per_distance(v, udds, m, rho, gravity), t["hfet"])
    combined = label.two_cycle(city, highway)
    return {"two_cycle": float(two), "city": float(city), "highway": float(highway),
            "combined": float(combined), "test_mass": float(m),
            "factor": float(label.adjustment_factor(two, combined)), "tests": t}  # fmt: skip


@lru_cache(maxsize=1)
def _five_cycle_climate() -> dict[str, float]:
    c = relations()["epa_five_cycle"]
    return {"heater_power": float(c["heater_power"]), "ac_power": float(c["ac_power"])}


@dataclass(frozen=True)
class RangeAnswer:
    """Range of a vehicle on a procedure, SI floats."""

    vehicle: RoadVehicle
    procedure: str
    title: str
    range: float  #: [m]
    consumption: float  #: battery side [J m^-1]
    consumption_wall: float  #: [J m^-1]
    test_mass: float  #: [kg]
    state_of_health: float
    assumptions: tuple[str, ...]
    #: how sure the range is, when it rests on estimated figures (None otherwise)
    interval: Interval | None = None

    def __repr__(self) -> str:
        return _show.line(self)

    def _repr_html_(self) -> str:
        return _show.html(self)


def range_interval(value: float, procedure: str, body: str | None = None) -> Interval | None:
    """The calibrated interval of a range on estimated figures, on an official procedure.

    The factors are split-conformal quantiles of ``ln(published / model)`` over
    published official ranges of calibration cars, each computed from its brochure
    figures with the relations refitted without it
    (``specs/data/intervals_range.toml``, ``tests/reference/fit_brochure_road.py``),
    taken apart for the common bodies (sedan, SUV, hatchback, or none given) and the
    others (pickups, vans ...: few published cases, wider errors). Other cycles have
    no published ranges to calibrate on: None.
    """
    if procedure not in LABEL_PROCEDURES:
        return None
    bands = _range_band()
    group = "common" if (body or "") in ("", *bands.get("common_bodies", ())) else "other"
    band = bands.get(group, bands)
    what = "" if group == "common" else f" of {body}s and other less common bodies"
    return interval_of(value, (band["low"], band["high"]), band["level"],
                       f"{band['level']:.0%} split-conformal band of nevcalc's errors on "
                       f"{band['n']} published official ranges{what}")  # fmt: skip


@lru_cache(maxsize=1)
def _range_band() -> dict[str, Any]:
    return read_model_data("intervals_range")["range"]


def drive_range(v: RoadVehicle, procedure: str | None = None, state_of_health=1.0,
                climate: DrivingClimate | None = None) -> RangeAnswer:  # fmt: skip
    """Range = usable energy x state of health / consumption, on a procedure.

    Parameters
    ----------
    v : RoadVehicle
    procedure : str, optional
        As :func:`procedure_consumption`; the vehicle's official procedure
        (or WLTP) by default.
    state_of_health : float
        Remaining capacity share [-].
    climate : DrivingClimate, optional
        Drive at its ambient with the cabin climate on (:func:`procedure_consumption`).
    """
    a = list(v.assumptions)
    if procedure is None or procedure == "official":
        procedure = v.official_procedure or "wltp"
        if v.official_procedure is None:
            a.append("no official cycle given: WLTP")
    if climate is not None and climate.heat_pump is None:  # the car's own
        climate = replace(climate, heat_pump=bool(v.heat_pump))
    c = procedure_consumption(v, procedure, climate=climate)
    if climate is not None:
        a.extend(climate.loads()["notes"])
    if not np.isfinite(c["consumption"]) or c["consumption"] <= 0.0:
        raise InputError(
            f"{v.name} on {c['title']}: consumption "
            f"{format_si(c['consumption'], 'kWh/(100 km)', '.3g', 'kWh/100 km')}; "
            "a range needs a positive consumption (a cycle that gives back more than it takes, "
            "e.g. net downhill); use a cycle that ends at the height it starts"
        )
    energy = v.usable_energy * state_of_health
    if climate is not None and climate.pack_thermal and v.pack is not None:
        cold = cold_drive(v, procedure, c["consumption"], energy, climate)
        energy = cold["energy"]
        a.extend(cold["notes"])
    rng = float(energy / c["consumption"] * c["range_factor"])
    interval = range_interval(rng, _ALIASES.get(procedure.lower(), procedure.lower()),
                              v.body) if v.estimates and climate is None else None  # fmt: skip
    if interval is not None:
        a.append(f"range interval: {interval.basis}")
    return RangeAnswer(v, procedure, c["title"], rng, float(c["consumption"]),
                       float(c["consumption_wall"]), float(c["test_mass"]), state_of_health,
                       tuple(dict.fromkeys(a)), interval)  # fmt: skip


#: Time step of the pack's march through a drive [s]: its time constants are hours
#: (heat capacity over conductance, and over the losses' heating rate).
COLD_TIME_STEP = 300.0


@lru_cache(maxsize=64)
def _mean_speed(procedure: str) -> float:
    """Distance over time of a procedure or cycle, its parts weighted [m s^-1]."""
    _, parts, _, _ = _resolve(procedure)
    d = t = 0.0
    for cycle, w in parts:
        d, t = d + w * cycle.distance, t + w * cycle.duration
    return d / t


def cold_march(v: RoadVehicle, procedure: str, consumption, energy, ambient, start=None,
               heat_below=None) -> dict[str, np.ndarray]:  # fmt: skip
    """The pack of ``v`` marched through drives until empty, broadcasting over the drives.

    Each drive runs on ``procedure`` at ``consumption`` [J m^-1] (at its mean speed) from
    ``energy`` [J] of the warm pack, in air at ``ambient`` [K], the pack from ``start``
    [K] (None: soaked at the ambient), heated below ``heat_below`` [K] (None: the low end
    of its window) over a heat pump's COP where the car has one, else resistively
    (:func:`nevcalc.model.thermal.drive_until_empty`).

    The heat pump's COP is :func:`nevcalc.model.thermal.heat_pump_cop` at a supply
    ``heat_pump_supply_offset`` above ``heat_below``, with the Carnot fraction
    ``heat_pump_fraction`` and the cap ``heat_pump_cop_max`` of
    ``specs/data/driving_climate.toml``: fitted by least squares on ``ln COP`` over the
    six measured EV heat pumps of tests/validation/data/thermal_figures.csv (TF-044,
    TF-046, TF-078, TF-080, TF-106, TF-107: -20 to -1 degC) by
    ``tests/reference/fit_heat_pump_cop.py``, the supply 20.5 K above the cabin from the
    one test that states it (TF-044), the cap the largest COP measured (3.26, TF-106).
    It gives 1.8 at -20 degC (measured 1.25-1.8), 2.1 at -10 degC (3.26) and 2.4 at
    -5 degC (3.2): the figures scatter by a factor of 1.3 about it (rms of
    ``ln COP`` 0.29), one machine's bench against another's.

    Returns
    -------
    dict of numpy.ndarray
        ``energy`` the drive gets [J] (``energy`` itself when the pack stays warm and
        unheated), ``temperature`` of the pack when empty [K], ``heater_energy`` [J],
        ``share`` delivered [-], and the ``start`` and ``heat_below`` used [K].
    """
    amb = np.asarray(ambient, float)
    heat_below = np.asarray(v.pack.window_low if heat_below is None else heat_below, float)
    start = amb if start is None else np.asarray(start, float)
    shape = np.broadcast_shapes(np.shape(consumption), np.shape(energy), amb.shape, start.shape,
                                heat_below.shape)  # fmt: skip

    def one_row(x):
        return np.broadcast_to(np.asarray(x, float), shape).reshape(1, -1)

    r = _march_packs([v], [procedure], *(one_row(x) for x in (consumption, energy, amb, start,
                                                               heat_below)))  # fmt: skip
    r = {k: x.reshape(shape or (1,)) for k, x in r.items()}
    r["start"], r["heat_below"] = start, heat_below
    return r


def cold_march_cars(vehicles: Sequence[RoadVehicle], procedures: Sequence[str], consumption,
                    ambient) -> dict[str, np.ndarray]:  # fmt: skip
    """:func:`cold_march` of many cars in one call, each car soaked at each ambient.

    Row ``i`` is car ``vehicles[i]`` (which must have a pack) on ``procedures[i]`` at
    ``consumption[i, j]`` [J m^-1] in air ``ambient[j]`` [K], from its usable energy, the
    pack soaked at the air and heated below the low end of its window. Every element is
    what :func:`cold_march` gives that car; the cars are marched together, so the
    Python work does not grow with their number.

    Returns
    -------
    dict of numpy.ndarray
        ``energy`` [J], ``temperature`` [K], ``heater_energy`` [J] and ``share`` [-],
        shape ``(len(vehicles), len(ambient))``.

    Examples
    --------
    >>> from nevcalc.cars import assemble
    >>> from nevcalc.units import celsius_to_kelvin
    >>> v = assemble("kia-ev6-77").road
    >>> air = celsius_to_kelvin(np.array([-10.0, 25.0]))
    >>> both = cold_march_cars([v, v], ["wltp", "wltp"], np.full((2, 2), 600.0), air)
    >>> one = cold_march(v, "wltp", np.full(2, 600.0), v.usable_energy, air)
    >>> bool(np.array_equal(both["energy"][1], one["energy"]))
    True
    """
    amb = np.asarray(ambient, float).reshape(1, -1)
    energy = np.array([v.usable_energy for v in vehicles], float).reshape(-1, 1)
    heat_below = np.array([v.pack.window_low for v in vehicles], float).reshape(-1, 1)
    return _march_packs(vehicles, procedures, np.asarray(consumption, float), energy, amb, amb,
                        heat_below)  # fmt: skip


def _march_packs(vehicles, procedures, consumption, energy, ambient, start, heat_below):
    """The march of :func:`cold_march` and :func:`cold_march_cars`: row ``i`` of the
    (row, drive) arrays ``consumption`` [J m^-1], ``energy`` [J], ``ambient``, ``start``
    and ``heat_below`` [K] (each broadcasting to that shape) is car ``vehicles[i]`` on
    ``procedures[i]``."""
    packs = [v.pack for v in vehicles]

    def column(values):
        return np.array(values, float).reshape(-1, 1)

    def loss_of(v):
        if np.isfinite(v.battery_efficiency):
            return v.battery_efficiency
        return float(np.mean(v.battery_efficiency_map[1]))  # a map: its mean

    cop = np.ones((len(packs), 1))
    pump = column([bool(p.heat_pump) for p in packs]) > 0
    if pump.any():
        d = driving_climate()
        hp = np.maximum(thermal.heat_pump_cop(ambient, heat_below + d["heat_pump_supply_offset"],
                                              d["heat_pump_fraction"], d["heat_pump_cop_max"]),
                        1.0)  # fmt: skip
        cop = np.where(pump, hp, cop)
    power = consumption * column([_mean_speed(c) for c in procedures])
    ea, fixed = (
        column([p.activation_energy for p in packs]),
        column([p.fixed_share for p in packs]),
    )
    cold_t, cold_s = (
        column([p.cold_temperature for p in packs]),
        column([p.cold_share for p in packs]),
    )

    def share(t):
        return thermal.cold_capacity_share(t, ea, fixed, cold_t, cold_s)

    r = thermal.drive_until_empty(energy, power, 1.0 - column([loss_of(v) for v in vehicles]),
                                  column([p.heat_capacity for p in packs]),
                                  column([p.ua for p in packs]), ambient, start, heat_below,
                                  column([p.heater_power for p in packs]), cop, share,
                                  COLD_TIME_STEP)  # fmt: skip
    r["energy"] = energy * r["share"] - r["heater_energy"]
    return r


def equip_heat_pump(v: RoadVehicle, heat_pump: bool | None) -> RoadVehicle:
    """``v`` with a heat pump for its cabin and its pack, or without (None: as it is).

    Examples
    --------
    >>> v = equip_heat_pump(load_road_vehicle("kia-ev6-77"), True)
    >>> v.heat_pump, v.pack.heat_pump
    (True, True)
    """
    if heat_pump is None:
        return v
    pack = None if v.pack is None else replace(v.pack, heat_pump=bool(heat_pump))
    return replace(v, heat_pump=bool(heat_pump), pack=pack)


def parse_departure(text) -> str | float:
    """``none``, ``on-departure`` or a time (``20min``; ``20``: minutes) -> mode or seconds:
    the preconditioning of a drive's pack before it leaves.

    Raises
    ------
    ValueError
        With a one-line message naming what is accepted.

    Examples
    --------
    >>> parse_departure("on-departure"), parse_departure("20 min"), parse_departure("none")
    ('on-departure', 1200.0, 'none')
    """
    t = str(text).strip().lower()
    if t in ("on-departure", "departure", "on departure"):
        return "on-departure"
    if t in ("on-arrival", "arrival", "on arrival"):
        raise ValueError(
            f"{text!r} is for a charge (the pack warmed on the way to the charger); a drive "
            "takes none, on-departure (warmed from the grid before it leaves) or a time, e.g. "
            "20min"
        )
    try:
        mode = parse_precondition(t)
    except ValueError as exc:
        raise ValueError(str(exc).replace("on-arrival", "on-departure")) from None
    return mode


def departure_temperature(pack: DrivePack, ambient: float, precondition) -> float:
    """Pack temperature at departure [K] after preconditioning from the grid.

    The pack, soaked at ``ambient``, is heated at its heater's power against its
    conductance to the air (:func:`nevcalc.model.thermal.lumped_temperature`) until
    the low end of its window, the temperature it is held at while driving.

    Parameters
    ----------
    pack : DrivePack
    ambient : float
        [K].
    precondition : str or float
        ``"none"`` (soaked), ``"on-departure"`` (warmed to the low end of its window),
        or a heating time [s].

    Returns
    -------
    float
        [K]; never below ``ambient``, never above the window's low end unless the air
        is warmer.

    Examples
    --------
    A Kia EV6 pack (322 kJ/K, 10 W/K to the air, the default 3 kW heater, window from
    23.9 degC) at -10 degC: after 20 minutes, by hand
    -10 + 3000 / 10 (1 - exp(-10 x 1200 / 321984)) = 1.0 degC; plugged in long enough, the
    window's low end:

    >>> from nevcalc.units import kelvin_to_celsius
    >>> p = load_road_vehicle("kia-ev6-77").pack
    >>> p.heat_capacity, p.ua, p.heater_power, round(float(kelvin_to_celsius(p.window_low)), 1)
    (321984.0, 10.0, 3000.0, 23.9)
    >>> t = [departure_temperature(p, 263.15, x) for x in ("none", 1200.0, "on-departure")]
    >>> [round(float(kelvin_to_celsius(x)), 1) for x in t]
    [-10.0, 1.0, 23.9]
    """
    amb = float(ambient)
    top = max(amb, float(pack.window_low))
    if precondition == "none":
        return amb
    if precondition == "on-departure":
        return top
    t = float(thermal.lumped_temperature(amb, pack.heater_power, amb, pack.heat_capacity,
                                         pack.ua, float(precondition)))  # fmt: skip
    return min(max(t, amb), top)


def cold_drive(v: RoadVehicle, procedure: str, consumption: float, energy: float,
               climate: DrivingClimate) -> dict[str, Any]:  # fmt: skip
    """The energy a drive at ``consumption`` [J m^-1] gets from ``energy`` [J] of the
    pack in ``climate``: :func:`cold_march` of one drive, with the lines that say so.

    Returns
    -------
    dict
        ``energy`` [J] (``energy`` itself when the pack stays warm and unheated),
        ``temperature`` of the pack when empty [K], ``heater_energy`` [J], ``share``
        delivered [-], ``notes``.
    """
    v = equip_heat_pump(v, climate.heat_pump)  # a heat pump given heats the pack too
    given, how = climate.pack_start, "stated"
    if given is None and climate.precondition != "none":
        given = departure_temperature(v.pack, climate.ambient, climate.precondition)
        how = "warmed from the grid before departure" + (
            "" if climate.precondition == "on-departure" else
            f" for {from_si(float(climate.precondition), 'min'):.0f} min at its heater's "
            f"{format_si(v.pack.heater_power, 'kW', '.1f')}")  # fmt: skip
    r = cold_march(v, procedure, consumption, energy, climate.ambient, given,
                   climate.pack_heat_below)  # fmt: skip
    got, share = float(r["energy"][0]), float(r["share"][0])
    t_end, heat = float(r["temperature"][0]), float(r["heater_energy"][0])
    start, heat_below = float(r["start"]), float(r["heat_below"])
    notes = (
        f"pack from {from_si(start, 'degC'):.0f} degC ("
        + ("soaked at the ambient" if given is None else how)
        + f"), heated below {from_si(heat_below, 'degC'):.0f} degC while driving: "
        f"{from_si(t_end, 'degC'):.0f} degC when empty, {share:.1%} of the usable "
        f"energy delivered, heater {format_si(heat, 'kWh', '.1f')}",
        *v.pack.notes,
    )
    return {"energy": got, "temperature": t_end, "heater_energy": heat, "share": share,
            "notes": notes}  # fmt: skip


def resize_pack(v: RoadVehicle, chemistry: Spec, keep: str, procedure: str | None = None,
                target_range=None) -> RoadVehicle:  # fmt: skip
    """The same car with a pack of another chemistry.

    Parameters
    ----------
    v : RoadVehicle
    chemistry : Spec
        The new cells.
    keep : str
        ``"energy"`` (same usable kWh, the mass changes), ``"mass"`` (same
        pack mass, the energy changes) or ``"range"`` (the pack that gives
        ``target_range``, or the present range, on ``procedure``; closed form
        with consumption linear in mass).
    procedure : str, optional
        For ``keep="range"``.
    target_range : optional
        [km if a bare number]; the present range by default.

    Returns
    -------
    RoadVehicle
        With the new usable energy, pack mass and curb mass.
    """
    se = chemistry.get("pack_specific_energy")
    a = [f"pack resized to {chemistry.name} cells, keeping {keep}"]
    if se is None:
        se = chemistry["cell_specific_energy"] * chemistry.get("cell_to_pack_mass_ratio", 0.7)
        a.append(f"{chemistry.name} pack level {format_si(se, 'Wh/kg', '.0f')} from its cells")
    se_usable = se * v.usable_fraction
    glider = v.curb_mass - v.pack_mass
    if keep == "energy":
        energy = v.usable_energy
    elif keep == "mass":
        energy = v.pack_mass * se_usable
    elif keep == "range":
        proc = procedure or v.official_procedure or "wltp"
        if _ALIASES.get(proc.lower(), proc.lower()) == "epa-5cycle":
            payload, factor = 136.0, five_cycle(v)["factor"]
        else:
            _, _, payload, factor = _resolve(proc)
        target = (
            drive_range(v, proc).range if target_range is None
            else parse("target_range", target_range, "target range")
        )  # fmt: skip
        # consumption is linear in mass: take c0, c1 from two evaluations
        m0 = v.curb_mass + payload
        c_a = procedure_consumption(v, proc, mass=m0)["consumption"]
        c_b = procedure_consumption(v, proc, mass=m0 + 100.0)["consumption"]
        c1 = (c_b - c_a) / 100.0
        c0 = c_a - c1 * m0
        energy = float(
            pack_model.energy_for_range(target / factor, c0, c1, glider + payload, se_usable)
        )
        if not np.isfinite(energy):
            raise InputError(
                f"target range: no {chemistry.name} pack reaches "
                f"{format_si(target, 'km', '.0f')}; its added mass costs more range than its "
                "energy gives"
            )
    else:
        raise InputError(f"keep: {keep!r} is not one of energy, mass, range")
    new_pack = energy / se_usable
    volume, cost = _pack_volume_cost(chemistry, energy / v.usable_fraction, a)
    return replace(
        v,
        pack_volume=volume,
        pack_cost=cost,
        chemistry=chemistry.name,
        usable_energy=float(energy),
        pack_mass=float(new_pack),
        pack_specific_energy=float(se_usable),
        curb_mass=float(glider + new_pack),
        test_mass=None if v.test_mass is None else v.test_mass - v.pack_mass + new_pack,
        assumptions=(*v.assumptions, *a),
    )


def swap_cells(spec: Spec, own: Spec, new: Spec, keep: str = "energy") -> Spec:
    """The vehicle spec with its cells swapped for ``new`` (see :func:`resize_pack`).

    Parameters
    ----------
    spec : Spec
        Vehicle spec.
    own : Spec
        The chemistry its figures belong to.
    new : Spec
        The new cells.
    keep : str
        ``"energy"``, ``"mass"`` or ``"range"``.

    Returns
    -------
    Spec
        With the new chemistry, usable energy, pack and curb mass; consumption and gross
        energy dropped (the drive-cycle model and the new pack set them).
    """
    resized = resize_pack(road_vehicle_from_spec(spec, own), new, keep)
    values = {k: v for k, v in spec.values.items()
              if k not in ("battery_gross_energy", "consumption")}  # fmt: skip
    values.update(chemistry=new.name, battery_usable_energy=resized.usable_energy,
                  pack_mass=resized.pack_mass, curb_mass=resized.curb_mass)  # fmt: skip
    if resized.test_mass is not None:
        values["test_mass"] = resized.test_mass
    return replace(spec, values=values)
