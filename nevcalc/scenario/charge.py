"""From specs to SI arrays to answers: the charging questions people ask.

This layer resolves a vehicle (a shipped spec, a spec file or datasheet
figures) and a charger into plain SI floats and uniform-grid tables, calls
:mod:`nevcalc.model`, and returns answers that still carry what they assumed.
It never prints; units go back on in :mod:`nevcalc.report` and the CLI.

Python callers may give quantities as text (``"77.4 kWh"``), pint
quantities, or bare numbers in the unit the argument's docstring names.
States of charge (and other shares) follow :mod:`nevcalc.params`: Python
numbers are fractions (``0.1``), text is percent (``"10"``, ``"10%"``).
Every argument is bounded by the table of :mod:`nevcalc.params`.
"""

from __future__ import annotations

import itertools
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from nevcalc import _show, catalog
from nevcalc.brochure import charging as brochure_charging
from nevcalc.brochure import market_year
from nevcalc.brochure import road as brochure_road
from nevcalc.errors import InputError
from nevcalc.intervals import Interval
from nevcalc.model import _kernel, charging, pack
from nevcalc.model.charging import PackThermal
from nevcalc.model.tables import GRID_POINTS, lookup, resample, uniform_soc_grid, window_mean
from nevcalc.model.thermal import REFERENCE_TEMPERATURE, ZERO_CELSIUS, lumped_temperature
from nevcalc.params import parse
from nevcalc.scenario.road import (
    OFFICIAL_PROCEDURES,
    DrivingClimate,
    drive_range,
    road_vehicle_from_spec,
)
from nevcalc.scenario.thermal import (
    TEMPERATURE_NODES,
    Arrival,
    PackHardware,
    arrival_state,
    pack_hardware,
    pack_thermal,
    precondition_mode,
)
from nevcalc.specs.model import Spec, Table
from nevcalc.text import figure_text, quantity
from nevcalc.text import pct as _pct
from nevcalc.units import UnitInputError, format_si, from_si, si_factor, to_si

__all__ = [
    "DEFAULT_CELL_SOC_WINDOW",
    "ChargeAnswer",
    "Charger",
    "ChargerLimitError",
    "Vehicle",
    "adhoc_vehicle",
    "cabin_load",
    "cell_cc_cv",
    "charge",
    "charge_curves",
    "charge_sessions",
    "charge_table",
    "charger_from_spec",
    "charger_with_limits",
    "charging_vehicle",
    "given_consumption",
    "load_charger",
    "load_vehicle",
    "no_charger",
    "vehicle_from_spec",
    "with_cabin_load",
    "with_heat_pump",
]

#: Cell SoC at displayed 0 % and 100 % when the chemistry does not say (BMS reserves).
DEFAULT_CELL_SOC_WINDOW = (0.02, 0.97)
#: On-board AC charger power when the vehicle does not say [W].
DEFAULT_ONBOARD_CHARGER = 11.0 * si_factor("kW")
#: Consumption used for km figures when none is given [J/m] (17 kWh/100 km).
DEFAULT_CONSUMPTION = 17.0 * si_factor("kWh/(100 km)")
#: Time of the end-of-charge current: a CV phase ends below C/20, the capacity over 20 h [s].
CUTOFF_TIME = 20.0 * si_factor("h")
_DEFAULT_EFFICIENCY = {"dc": 0.95, "ac": 0.90}


def _q(value, unit: str, where: str, c_rate: bool = False) -> float:
    try:
        return to_si(value, unit, where, c_rate=c_rate)
    except UnitInputError as exc:
        raise InputError(str(exc)) from None


@dataclass(frozen=True)
class Vehicle:
    """A vehicle's battery and charging hardware in SI floats.

    Tables are on the shared uniform SoC grid (cell SoC for ``ocv`` and
    ``c_rate``, displayed SoC for ``power_limit``).
    """

    name: str
    title: str
    chemistry: str
    usable_energy: float  #: [J]
    series_cells: float  #: [-]
    capacity: float  #: displayed 0-100 % [A s]
    resistance: float  #: pack R0 [ohm]
    polarization_resistance: float  #: pack R1 [ohm]
    time_constant: float  #: [s]
    diffusion_time: float  #: [s]
    cell_voltage_max: float  #: [V]
    cell_soc_low: float  #: [-]
    cell_soc_high: float  #: [-]
    ocv: np.ndarray  #: cell OCV [V]
    c_rate: np.ndarray  #: cell C-rate limit [s^-1]
    power_limit: np.ndarray  #: vehicle (BMS) power limit [W]
    max_power: float  #: [W]
    max_current: float  #: [A], inf when not limited
    booster_power: float  #: [W]
    onboard_charger_power: float  #: [W]
    consumption: float  #: at the battery [J/m]
    consumption_cycle: str
    voltage_class: float  #: [V]
    assumptions: tuple[str, ...] = ()
    #: figures a datasheet left out, estimated (:mod:`nevcalc.brochure.charging`)
    estimates: tuple = ()
    #: the BMS taper is the fitted relation, not a measured curve: a brochure car
    brochure: bool = False
    #: battery thermal hardware, for a charge at an ambient temperature
    thermal: PackHardware | None = None

    def pack_voltage(self, soc):
        """Pack open-circuit voltage [V] at displayed SoC ``soc`` [-]."""
        cell = self.cell_soc_low + (self.cell_soc_high - self.cell_soc_low) * np.asarray(soc)
        return pack.pack_open_circuit_voltage(lookup(self.ocv, cell), self.series_cells)

    def __repr__(self) -> str:
        return _show.line(self)

    def _repr_html_(self) -> str:
        return _show.html(self)


@dataclass(frozen=True)
class Charger:
    """A charger's output limits in SI floats (inf where it sets none)."""

    name: str
    title: str
    current_type: str
    max_power: float  #: [W]
    max_current: float  #: [A]
    max_voltage: float  #: [V]
    min_voltage: float  #: [V]
    efficiency: float  #: grid to output [-]
    assumptions: tuple[str, ...] = ()

    def __repr__(self) -> str:
        return _show.line(self)

    def _repr_html_(self) -> str:
        return _show.html(self)


def _table(t: Table) -> np.ndarray:
    return resample(t.soc, t.value, GRID_POINTS)


#: How a consumption is written in assumptions (its unit is "kWh/(100 km)").
_PER_100_KM = "kWh/100 km"


def _cycle_consumption(spec: Spec, chemistry: Spec) -> tuple[float | None, str]:
    """Battery-side consumption [J/m] from the drive-cycle model on the market's cycle."""
    if spec.get("curb_mass") is None:
        return None, ""

    cycle = spec.get("official_range_cycle") or spec.get("consumption_cycle") or "WLTP"
    procedure = OFFICIAL_PROCEDURES.get(str(cycle).upper(), "wltp")
    r = drive_range(road_vehicle_from_spec(spec, chemistry), procedure)
    # the EPA label scales range by 0.7; km added follow the same label
    return r.consumption / (0.7 if procedure == "epa" else 1.0), f"{r.title}, drive-cycle model"


def vehicle_from_spec(spec: Spec, chemistry: Spec) -> Vehicle:
    """Build a :class:`Vehicle` from a vehicle spec and its chemistry spec.

    Consumption for km figures comes from the drive-cycle model on the
    vehicle's market cycle when the spec has the road-load figures, else
    from its ``consumption`` field.
    """
    consumption, cycle = _cycle_consumption(spec, chemistry)
    return charging_vehicle(spec, chemistry, consumption=consumption, cycle=cycle)


def charging_vehicle(
    spec: Spec, chemistry: Spec, *, consumption=None, cycle: str = "", has_road: bool = False
) -> Vehicle:
    """A :class:`Vehicle` from its specs, running no model.

    Parameters
    ----------
    spec, chemistry : Spec
    consumption : float, optional
        For km figures [J m^-1]; by default the spec's ``consumption`` (or the stated
        default), or nan when ``has_road`` (the drive stage of :mod:`nevcalc.evaluate`
        computes it).
    cycle : str
        Where ``consumption`` comes from.
    has_road : bool
        The car has road-load figures, so its consumption is a stage's answer.
    """
    assumptions: list[str] = []
    if consumption is None and has_road:
        consumption, cycle = float("nan"), "drive-cycle model"
    if consumption is None:
        consumption, cycle = spec.get("consumption"), spec.get("consumption_cycle", "")
        if consumption is not None:
            assumptions.append("no curb mass for the drive-cycle model: the spec's consumption")
    market, year = market_year(spec.get("market"))
    energy = spec["battery_usable_energy"]
    figures, estimates = _complete(
        energy, spec.get("max_charge_power"), spec.get("voltage_class"),
        spec.get("max_charge_current"), market, year,
    )  # fmt: skip
    _, chem_estimate = brochure_charging.spec_chemistry(spec)
    if chem_estimate is not None:
        estimates = (chem_estimate, *estimates)
    return _build_vehicle(
        name=spec.name,
        title=spec.title,
        chemistry=chemistry,
        usable_energy=energy,
        voltage_class=figures["voltage"],
        max_power=figures["peak_power"],
        series_cells=spec.get("series_cells"),
        power_table=spec.get("charge_power_limit"),
        max_current=spec.get("max_charge_current"),
        peak_c_rate=spec.get("peak_charge_c_rate"),
        booster_power=spec.get("booster_power"),
        onboard=spec.get("onboard_charger_power"),
        consumption=consumption,
        consumption_cycle=cycle,
        assumptions=assumptions,
        year=year,
        estimates=estimates,
        spec=spec,
    )


def _complete(energy, peak_power, voltage, max_current, market, year):
    """Peak power and voltage class, estimated where not given (chemistry is the caller's).

    Returns the figures ``{"peak_power", "voltage"}`` [W], [V] and the tuple of
    :class:`~nevcalc.brochure.Estimate` made.
    """
    estimates = []
    if peak_power is None:
        est = brochure_charging.estimate_peak_power(energy, market, year, voltage)
        estimates.append(est)
        peak_power = est.value
    if voltage is None:
        est = brochure_charging.estimate_voltage_class(peak_power, max_current)
        estimates.append(est)
        voltage = est.value
    return {"peak_power": float(peak_power), "voltage": float(voltage)}, tuple(estimates)


def _build_vehicle(
    *,
    name,
    title,
    chemistry: Spec,
    usable_energy,
    voltage_class,
    max_power,
    series_cells,
    power_table,
    max_current,
    peak_c_rate,
    booster_power,
    onboard,
    consumption,
    consumption_cycle,
    assumptions: list[str],
    year: int | None = None,
    estimates: tuple = (),
    taper_params: dict | None = None,
    body: str | None = None,
    spec: Spec | None = None,
) -> Vehicle:
    assumptions[:0] = [e.text() for e in estimates]
    peak_c = max_power / usable_energy  # [1/s]
    scale = 1.0
    if peak_c_rate is None:  # cells that take the pack's peak
        cells = brochure_charging.cell_generation(chemistry, peak_c, year)
        chemistry, scale = cells.chemistry, cells.scale
        if cells.text:
            assumptions.append(cells.text)
    c = chemistry
    vmax = c["cell_voltage_max"]
    if series_cells is None:
        series_cells = float(pack.series_cells_for_voltage(voltage_class, vmax))
        assumptions.append(
            f"{series_cells:.0f} cells in series: full-charge voltage at most the "
            f"{voltage_class:.0f} V class with {c.name} cells of {vmax:.3g} V"
        )
    lo = c.get("usable_soc_min")
    hi = c.get("usable_soc_max")
    if lo is None or hi is None:
        lo = DEFAULT_CELL_SOC_WINDOW[0] if lo is None else lo
        hi = DEFAULT_CELL_SOC_WINDOW[1] if hi is None else hi
        assumptions.append(
            f"displayed 0-100 % is cell SoC {lo:.0%}-{hi:.0%} (BMS reserves; {c.name} gives none)"
        )
    if not lo < hi:
        raise InputError(
            f"chemistry {c.name}: usable_soc_min {lo:.4g} must be below usable_soc_max "
            f"{hi:.4g} (the cell SoC window of displayed 0-100 % is empty); fix the chemistry spec"
        )
    ocv = _table(c["ocv"])
    grid = uniform_soc_grid(GRID_POINTS)
    window = np.interp(lo + (hi - lo) * grid, grid, ocv)
    mean_ocv = float(window_mean(window))
    capacity = float(pack.pack_capacity(usable_energy, series_cells, mean_ocv))
    full_capacity = capacity / (hi - lo)
    r_cell = c["cell_resistance"]
    q_cell = c["cell_capacity"]
    r0 = float(pack.pack_resistance(r_cell, q_cell, full_capacity, series_cells))
    r1 = float(
        pack.pack_resistance(c.get("cell_polarization_resistance", 0.0), q_cell, full_capacity,
                             series_cells)
    )  # fmt: skip
    tau = c.get("cell_polarization_time_constant", 60.0)
    c_rate = _table(c["charge_c_rate"])
    if peak_c_rate is not None:
        c_rate = c_rate * (peak_c_rate / c_rate.max())
    elif scale != 1.0:
        c_rate = c_rate * scale
    if power_table is not None:
        power = np.minimum(_table(power_table), max_power)
    else:
        taper, text = brochure_charging.bms_taper(
            peak_c, usable_energy, c, taper_params, body, voltage_class, scale
        )
        power = max_power * taper
        assumptions.append(text)
        if brochure_charging.fitted_taper(c, taper_params):
            # the BMS limits current: a datasheet's peak power is its peak current at the
            # mid-window voltage, and below mid-window the power follows the pack voltage
            v_mid = float(np.interp(brochure_charging.PEAK_CURRENT_SOC, grid, window))
            power = np.minimum(power, max_power * window / v_mid)
            pack_mid = series_cells * v_mid  # (the window is the cell's open-circuit voltage)
            assumptions.append(
                f"peak current {max_power / pack_mid:.0f} A: the peak power at the "
                f"{brochure_charging.PEAK_CURRENT_SOC:.0%} SoC voltage ({pack_mid:.0f} V); "
                "below it the power follows the pack voltage"
            )
    if max_current is None:
        max_current = np.inf
        assumptions.append("no inlet current limit given: the vehicle limits power only")
    if booster_power is None:
        booster_power = 0.0
    if onboard is None:
        onboard = DEFAULT_ONBOARD_CHARGER
        assumptions.append(
            f"on-board AC charger {format_si(DEFAULT_ONBOARD_CHARGER, 'kW', '.0f')}"
        )
    if consumption is None:
        consumption = DEFAULT_CONSUMPTION
        consumption_cycle = "assumed"
        assumptions.append(
            f"consumption {format_si(DEFAULT_CONSUMPTION, 'kWh/(100 km)', '.0f', _PER_100_KM)} "
            "at the battery "
            "(none given) for km figures"
        )
    return Vehicle(
        name=name,
        title=title,
        chemistry=c.name,
        usable_energy=float(usable_energy),
        series_cells=float(series_cells),
        capacity=capacity,
        resistance=r0,
        polarization_resistance=r1,
        time_constant=float(tau),
        diffusion_time=float(c.get("diffusion_time", 0.0)),
        cell_voltage_max=float(vmax),
        cell_soc_low=float(lo),
        cell_soc_high=float(hi),
        ocv=ocv,
        c_rate=c_rate,
        power_limit=power,
        max_power=float(max_power),
        max_current=float(max_current),
        booster_power=float(booster_power),
        onboard_charger_power=float(onboard),
        consumption=float(consumption),
        consumption_cycle=consumption_cycle or "",
        voltage_class=float(voltage_class),
        assumptions=tuple(assumptions),
        estimates=tuple(estimates),
        brochure=power_table is None,
        thermal=pack_hardware(c, float(usable_energy), spec),
    )


def adhoc_vehicle(
    battery,
    chemistry: str | Spec | None = None,
    peak_power=None,
    voltage=None,
    *,
    consumption=None,
    max_current=None,
    booster_power=None,
    market: str | None = None,
    year: int | None = None,
    body: str | None = None,
    gross: bool = False,
    name: str = "adhoc",
    taper_params: dict | None = None,
) -> Vehicle:
    """A vehicle from datasheet figures; what the datasheet leaves out is estimated.

    Parameters
    ----------
    battery : str, pint.Quantity or float
        Usable battery energy [kWh if a bare number].
    chemistry : str or Spec, optional
        Chemistry spec name (``"nmc811"``) or spec; estimated from market, year
        and pack size when not given.
    peak_power : str, pint.Quantity or float, optional
        Peak DC charge power [kW if a bare number]; estimated when not given.
    voltage : str, pint.Quantity or float, optional
        System voltage class [V]; estimated when not given.
    consumption : optional
        Energy per distance at the battery [kWh/(100 km) if a bare number].
    max_current, booster_power : optional
        Inlet current [A] and DC booster power [kW].
    market : str, optional
        Market code (``"CN"``, ``"EU"``, ``"US"``), for the estimates.
    year : int, optional
        Model year, for the estimates and the cell generation.
    body : str, optional
        Body class (``"pickup"``, ``"suv"``, ``"sedan"``, ...), for the BMS taper.
    gross : bool
        ``battery`` is the gross (installed) energy: the usable energy is estimated.
    name : str
        Name of the vehicle.
    taper_params : dict, optional
        BMS taper coefficients in place of the shipped fit (for the fit itself).

    Returns
    -------
    Vehicle
        Its ``assumptions`` list what did not come from the datasheet and its
        ``estimates`` the figures estimated.
    """
    energy = parse("battery", battery)
    estimates = []
    if gross:
        est = brochure_road.estimate_usable(energy)
        estimates.append(est)
        energy = est.value
    if chemistry is None:
        est = brochure_charging.estimate_chemistry(market, year, energy)
        estimates.append(est)
        chemistry = est.choice
    chem = chemistry if isinstance(chemistry, Spec) else catalog.load(chemistry, "chemistry")
    assumptions = ["vehicle built from datasheet figures"]
    current = None if max_current is None else parse("max_current", max_current)
    figures, more = _complete(
        energy,
        None if peak_power is None else parse("peak_power", peak_power),
        None if voltage is None else parse("voltage", voltage),
        current, market, year,
    )  # fmt: skip
    return _build_vehicle(
        name=name,
        title=f"{format_si(energy, 'kWh')} {chem.name} vehicle",
        chemistry=chem,
        usable_energy=energy,
        voltage_class=figures["voltage"],
        max_power=figures["peak_power"],
        series_cells=None,
        power_table=None,
        max_current=current,
        peak_c_rate=None,
        booster_power=None if booster_power is None else parse("booster_power", booster_power),
        onboard=None,
        consumption=None if consumption is None else parse("consumption", consumption),
        consumption_cycle="given" if consumption is not None else "",
        assumptions=assumptions,
        year=year,
        estimates=(*estimates, *more),
        taper_params=taper_params,
        body=body,
    )


def load_vehicle(name: str) -> Vehicle:
    """Load a vehicle spec by name or path and resolve its chemistry."""
    spec = catalog.load(name, "vehicle")
    name, _ = brochure_charging.spec_chemistry(spec)
    return vehicle_from_spec(spec, catalog.load(name, "chemistry"))


def charger_from_spec(spec: Spec) -> Charger:
    """Build a :class:`Charger` from a charger spec."""
    assumptions = []
    kind = spec["current_type"]
    eff = spec.get("efficiency")
    if eff is None:
        eff = _DEFAULT_EFFICIENCY[kind]
        assumptions.append(f"charger efficiency {eff:.0%} ({spec.name} gives none)")
    if kind == "ac":
        return Charger(spec.name, spec.title, "ac", spec["max_power"], np.inf, np.inf, 0.0, eff,
                       tuple(assumptions))  # fmt: skip
    imax = spec.get("max_current")
    vmax = spec.get("max_voltage")
    vmin = spec.get("min_voltage")
    if imax is None:
        imax = np.inf
        assumptions.append(f"{spec.name}: no current limit given")
    if vmax is None:
        vmax = 1000.0
        assumptions.append(f"{spec.name}: highest output voltage assumed 1000 V")
    if vmin is None:
        vmin = 150.0
        assumptions.append(f"{spec.name}: lowest output voltage assumed 150 V")
    return Charger(spec.name, spec.title, "dc", spec["max_power"], imax, vmax, vmin, eff,
                   tuple(assumptions))  # fmt: skip


def load_charger(name: str) -> Charger:
    """Load a charger spec by name or path; ``"none"`` is :func:`no_charger` (no limit)."""
    if isinstance(name, str) and name.strip().lower() == "none":
        return no_charger()
    return charger_from_spec(catalog.load(name, "charger"))


class ChargerLimitError(InputError):
    """A charger limit set by hand is unusable; ``parameters`` names the limits at fault.

    Parameters
    ----------
    message : str
        What is wrong and the fix.
    parameters : tuple of str
        The arguments of :func:`charger_with_limits` at fault, of ``"power"``,
        ``"current"`` and ``"voltage"`` (a command line names the options they came from).
    """

    def __init__(self, message: str, parameters: tuple[str, ...]):
        super().__init__(message)
        self.parameters = tuple(parameters)

    def __reduce__(self):  # picklable, with its parameters
        return (type(self), (str(self), self.parameters))


def charger_with_limits(
    base: Charger | None = None,
    power: float | None = None,
    current: float | None = None,
    voltage: float | None = None,
) -> Charger:
    """A DC charger of the given output limits, or ``base`` with them in place of its own.

    Parameters
    ----------
    base : Charger, optional
        The charger whose limits are replaced; None for a charger of these limits only
        (its highest voltage 1000 V, lowest 150 V and efficiency 95 % when not given,
        as for a charger spec that leaves them out; a limit left out is no limit).
    power : float, optional
        Highest output power [W].
    current : float, optional
        Highest output current [A] (DC chargers only).
    voltage : float, optional
        Highest output voltage [V] (DC chargers only).

    Returns
    -------
    Charger
        Named ``adhoc`` (or ``base``'s name); the limits set are in its assumptions.

    Raises
    ------
    ChargerLimitError
        A highest voltage at or below the charger's lowest (150 V when not known), or
        a current or voltage limit on an AC charger; its ``parameters`` name the limits
        at fault.

    Examples
    --------
    >>> c = charger_with_limits(power=200e3, current=500.0)
    >>> c.max_power, c.max_current, c.max_voltage
    (200000.0, 500.0, 1000.0)
    >>> charger_with_limits(load_charger("ionity-350"), current=250.0).max_power
    350000.0
    """
    asked = [
        (figure_text(quantity(value, unit)), value)
        for value, unit in (
            (power, "kW"),
            (current, "A"),
            (voltage, "V"),
        )
        if value is not None
    ]
    said = ", ".join(text for text, _ in asked)
    if base is not None and base.name == no_charger().name and asked:
        base = None  # limits set on no charger: a charger of those limits
    lowest = 150.0 if base is None else base.min_voltage
    if voltage is not None and voltage <= lowest:
        raise ChargerLimitError(
            f"charger voltage {figure_text(quantity(voltage, 'V'))}: a charger's highest "
            f"output voltage must be above its lowest ({figure_text(quantity(lowest, 'V'))}); "
            f"give more, e.g. {figure_text(quantity(max(920.0, 2 * lowest), 'V'))}",
            ("voltage",),
        )
    if base is None:
        notes = []
        if voltage is None:
            notes.append("charger: highest output voltage assumed 1000 V")
        notes.append("charger: lowest output voltage assumed 150 V")
        eff = _DEFAULT_EFFICIENCY["dc"]
        notes.append(f"charger efficiency {eff:.0%} (assumed)")
        return Charger(
            "adhoc",
            f"charger of {said}" if said else "charger without limits",
            "dc",
            np.inf if power is None else float(power),
            np.inf if current is None else float(current),
            1000.0 if voltage is None else float(voltage),
            150.0,
            eff,
            (f"charger set by hand: {said}", *notes),
        )
    if base.current_type == "ac" and (current is not None or voltage is not None):
        raise ChargerLimitError(
            f"{base.name} is an AC charger: a current or voltage limit applies to DC chargers; "
            "set only the power, or choose a DC charger",
            tuple(k for k, v in (("current", current), ("voltage", voltage)) if v is not None),
        )
    if not asked:
        return base
    return replace(
        base,
        title=f"{base.title}, set to {said}",
        max_power=base.max_power if power is None else float(power),
        max_current=base.max_current if current is None else float(current),
        max_voltage=base.max_voltage if voltage is None else float(voltage),
        assumptions=(*base.assumptions, f"{base.name} limits set by hand: {said}"),
    )


def no_charger() -> Charger:
    """A DC charger that sets no limit at all (only the vehicle and cells limit)."""
    return Charger(
        "none",
        "no charger limit",
        "dc",
        np.inf,
        np.inf,
        np.inf,
        0.0,
        1.0,
        ("no charger given: the charger sets no limit and has no losses",),
    )


def _pair_arrays(vehicles: list[Vehicle], chargers: list[Charger], vi, ci) -> dict[str, Any]:
    """Per-pair SI arrays for :func:`nevcalc.model.charging.charge_profile`: the rows of
    :func:`_pair_tables` spread out per pair."""
    (ocv, c_rate, limit), (r_ocv, r_c, r_limit), values = _pair_tables(vehicles, chargers, vi, ci)
    return {**values, "ocv": ocv[r_ocv], "c_rate": c_rate[r_c], "vehicle_power": limit[r_limit]}


def _pair_tables(vehicles: list[Vehicle], chargers: list[Charger], vi, ci, power=None):
    """Inputs of the charging march for pairs ``(vehicles[vi], chargers[ci])``.

    The SoC tables are stacked once per vehicle (and once per vehicle and AC efficiency
    for the power limit) and referred to by row.

    Returns
    -------
    tables : tuple of numpy.ndarray
        OCV, C-rate and vehicle power tables, shape ``(m, G)``.
    rows : tuple of numpy.ndarray
        The table row of each pair, shape ``(n,)``.
    values : dict
        The scalar parameters of each pair, shape ``(n,)``, SI.
    """
    vi = np.asarray(vi, np.intp)
    ci = np.asarray(ci, np.intp)

    def va(name):
        return np.array([getattr(v, name) for v in vehicles], float)[vi]

    def ca(name):
        return np.array([getattr(c, name) for c in chargers], float)[ci]

    ac = np.array([c.current_type == "ac" for c in chargers], bool)[ci]
    eff = ca("efficiency")
    rating = (
        ca("max_power") if power is None else np.broadcast_to(np.asarray(power, float), vi.shape)
    )
    onboard = va("onboard_charger_power")
    # AC ratings (the charge point, the on-board charger) are drawn from the grid: the pack
    # gets them less the on-board conversion losses; a DC charger's rating is its output
    charger_power = np.where(ac, np.minimum(rating, onboard) * eff, rating)
    limit_table = np.stack([v.power_limit for v in vehicles])
    limit_rows = vi.copy()
    on_ac = np.flatnonzero(ac)
    if on_ac.size:  # the on-board charger caps the power table: one row per (vehicle, eff)
        key = np.stack([vi[on_ac].astype(float), eff[on_ac]], axis=1)
        _, first, inverse = np.unique(key, axis=0, return_index=True, return_inverse=True)
        pick = on_ac[first]
        capped = np.minimum(limit_table[vi[pick]], (onboard[pick] * eff[pick])[:, None])
        limit_rows[on_ac] = len(vehicles) + inverse.reshape(-1)
        limit_table = np.concatenate([limit_table, capped])
    tables = (
        np.stack([v.ocv for v in vehicles]),
        np.stack([v.c_rate for v in vehicles]),
        limit_table,
    )
    values = dict(
        series_cells=va("series_cells"),
        capacity=va("capacity"),
        resistance=va("resistance"),
        charger_power=charger_power,
        charger_current=ca("max_current"),
        charger_voltage_max=ca("max_voltage"),
        charger_voltage_min=ca("min_voltage"),
        polarization_resistance=va("polarization_resistance"),
        time_constant=va("time_constant"),
        diffusion_time=va("diffusion_time"),
        cell_voltage_max=va("cell_voltage_max"),
        vehicle_current=va("max_current"),
        booster_power=np.where(ac, 0.0, va("booster_power")),
        efficiency=eff,
        cell_soc_low=va("cell_soc_low"),
        cell_soc_high=va("cell_soc_high"),
        soc_start=np.zeros(vi.shape),
    )
    return tables, (vi, vi, limit_rows), values


#: Pairs marched together: long enough that numpy's per-call cost is small, short
#: enough that a step's working arrays stay in cache.
_BLOCK = 8192


def charge_table(
    vehicles: list[Vehicle],
    chargers: list[Charger],
    vehicle_index,
    charger_index,
    power=None,
    *,
    soc_from=0.1,
    soc_to=0.8,
    duration=300.0,
    steps: int = 200,
    threads: int = 1,
    ambient=None,
    precondition=None,
) -> dict[str, np.ndarray]:
    """One charge per vehicle-charger pair, in SI arrays: the sweep's charging stage.

    Each pair gets its own profile (one SoC march), a session from ``soc_from``
    to ``soc_to`` and the SoC and distance added in ``duration``. The answers
    are those of :func:`charge` with the same ``steps``, pair by pair.

    Parameters
    ----------
    vehicles, chargers : list
        The categorical tables; pairs refer to them by index.
    vehicle_index, charger_index : array_like of int
        Which vehicle and charger each pair uses.
    power : array_like, optional
        Charger power limit of each pair, in place of the charger's own [W].
    soc_from, soc_to : float
        Displayed SoC at start and end of the session [-].
    duration : float
        Charging time for ``soc_after`` and ``range_added`` [s].
    steps : int
        SoC steps of each profile.
    threads : int
        Blocks of pairs marched side by side.
    ambient : array_like, optional
        Air temperature of each pair [K], broadcast with the indices: the pack
        temperature is marched from ``soc_from`` as :func:`charge` does. None: at the
        tables' 25 degC.
    precondition : array_like, optional
        :func:`~nevcalc.scenario.thermal.precondition_code` of each pair (none by
        default), with ``ambient``.

    Returns
    -------
    dict of numpy.ndarray
        The fields of :class:`nevcalc.model.charging.ChargeSession` plus
        ``soc_after`` [-] and ``range_added`` [m], each of the broadcast shape
        of the indices (and ``power``).
    """
    vi, ci = np.broadcast_arrays(np.asarray(vehicle_index, np.intp),
                                 np.asarray(charger_index, np.intp))  # fmt: skip
    pre = None
    if ambient is not None:
        pre = np.asarray(0.0 if precondition is None else precondition, float)
        vi, ci, ambient, pre = np.broadcast_arrays(vi, ci, np.asarray(ambient, float), pre)
    if power is not None:
        vi, ci, power = np.broadcast_arrays(vi, ci, np.asarray(power, float))
        power = power.ravel()
    if ambient is not None:
        ambient, pre = (np.broadcast_to(x, vi.shape).ravel() for x in (ambient, pre))
    shape = vi.shape
    vi, ci = vi.ravel(), ci.ravel()
    n = vi.size
    usable = np.array([v.usable_energy for v in vehicles], float)
    consumption = np.array([v.consumption for v in vehicles], float)

    # pairs with and without particle diffusion are marched apart (the surface OCV
    # lookups of the former then run on whole arrays), in blocks of about _BLOCK pairs
    diffuses = np.array([v.diffusion_time > 0 for v in vehicles], bool)[vi]
    order = np.argsort(diffuses, kind="stable")
    split = n - int(diffuses.sum())
    bounds = []
    for lo, hi in ((0, split), (split, n)):
        edges = np.linspace(lo, hi, -(-(hi - lo) // _BLOCK) + 1).round().astype(int)
        bounds += list(itertools.pairwise(edges))

    def block(bound):
        part = order[bound[0] : bound[1]]
        tables, rows, values = _pair_tables(
            vehicles, chargers, vi[part], ci[part], None if power is None else power[part]
        )
        thermal = None
        if ambient is not None:
            thermal = pair_thermal(vehicles, vi[part], ambient[part], pre[part])
            values["soc_start"] = np.full(part.size, float(soc_from))
        prof = charging._profile(tables, rows, values, steps, thermal)
        r = np.arange(part.size)
        sess = charging.charge_session(prof, r, soc_from, soc_to)
        after = charging.soc_after_time(prof, r, soc_from, duration)
        return sess, after

    if threads > 1 and len(bounds) > 1:
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(threads) as pool:
            parts = list(pool.map(block, bounds))
    else:
        parts = [block(b) for b in bounds]
    back = np.empty(n, np.intp)
    back[order] = np.arange(n)  # from the marching order back to the pairs'
    out = {
        f: np.concatenate([getattr(p[0], f) for p in parts])[back] if parts else np.zeros(0)
        for f in charging.ChargeSession._fields
    }
    out["soc_after"] = np.concatenate([p[1] for p in parts])[back] if parts else np.zeros(0)
    out["range_added"] = (out["soc_after"] - soc_from) * usable[vi] / consumption[vi]
    return {k: x.reshape(shape) for k, x in out.items()}


def charge_curves(
    vehicles: list[Vehicle],
    chargers: list[Charger],
    vehicle_index,
    charger_index,
    points: int = 101,
    *,
    steps: int = 400,
    ambient=None,
    precondition=None,
) -> dict[str, np.ndarray]:
    """Cumulative charging time and grid energy from 0 % on a uniform SoC grid, per pair.

    The profile of each vehicle-charger pair marched from 0 % (:func:`charge` marches
    from a session's start); a charge from ``a`` to ``b`` costs ``T(b) - T(a)``. With
    ``ambient`` the march starts from the pack's arrival temperature at 0 %, so a
    charge started higher up is taken as if the pack had warmed on the way there.

    Parameters
    ----------
    vehicles, chargers : list
    vehicle_index, charger_index : array_like of int
        Pairs, broadcast together (shape ``S``).
    points : int
        Grid points from 0 to 100 % [-]; ``steps`` must be a multiple of ``points - 1``.
    steps : int
        SoC steps of each profile.
    ambient, precondition : array_like, optional
        As in :func:`charge_table`.

    Returns
    -------
    dict of numpy.ndarray
        ``time`` [s], ``battery_energy`` (into the pack terminals) [J] and
        ``grid_energy`` (electricity incl. charger losses and the thermal-management
        system's) [J], shape ``S + (points,)``: ``time`` is inf from where charging
        stops; ``limit``, the index into
        :data:`~nevcalc.model.charging.LIMIT_NAMES` of the limit binding at each of the
        profile's ``steps + 1`` points (shape ``S + (steps + 1,)``); ``soc_min`` (shape
        ``S``), the lowest SoC charging can start from [-]; ``warmup_time`` [s] and
        ``warmup_energy`` [J] (shape ``S``), the heater's warm-up of a pack too cold to
        take current (0 without ``ambient``).

    Examples
    --------
    The Kia EV6 on a 350 kW charger: the 10-80 % time on the curve is the session's
    from the same march (a charge from 0 %):

    >>> v, c = load_vehicle("kia-ev6-77"), load_charger("ionity-350")
    >>> cur = charge_curves([v], [c], 0, 0)
    >>> t = cur["time"]
    >>> t.shape, bool(t[0] == 0.0), bool(np.all(np.diff(t) >= 0.0))
    ((101,), True, True)
    >>> from nevcalc.units import from_si
    >>> minutes = from_si(t[80] - t[10], "min")
    >>> bool(14.0 < minutes < 25.0)
    True
    """
    if points < 2 or steps % (points - 1):
        raise ValueError(f"steps {steps} must be a multiple of points - 1 = {points - 1}")
    vi, ci = np.broadcast_arrays(np.asarray(vehicle_index, np.intp),
                                 np.asarray(charger_index, np.intp))  # fmt: skip
    shape = vi.shape
    vi, ci = vi.ravel(), ci.ravel()
    tables, rows, values = _pair_tables(vehicles, chargers, vi, ci)
    thermal = None
    if ambient is not None:
        amb = np.broadcast_to(np.asarray(ambient, float), shape).ravel()
        pre = np.broadcast_to(np.asarray(0.0 if precondition is None else precondition, float),
                              shape).ravel()  # fmt: skip
        thermal = pair_thermal(vehicles, vi, amb, pre)
    prof = charging._profile(tables, rows, values, steps, thermal)
    every = steps // (points - 1)
    time = prof.time[:, ::every]
    battery = prof.energy_battery[:, ::every]
    grid = battery / prof.efficiency[:, None]
    warm_t = np.zeros(vi.size)
    warm_e = np.zeros(vi.size)
    if thermal is not None:
        grid = grid + prof.thermal_energy[:, ::every]
        warm_t, warm_e = prof.warmup_time, np.where(np.isfinite(prof.warmup_time),
                                                    prof.warmup_energy, 0.0)  # fmt: skip
    return {
        "time": time.reshape(*shape, points),
        "battery_energy": battery.reshape(*shape, points),
        "grid_energy": grid.reshape(*shape, points),
        "limit": prof.limit.reshape(*shape, steps + 1),
        "soc_min": prof.soc_min.reshape(shape),
        "warmup_time": warm_t.reshape(shape),
        "warmup_energy": warm_e.reshape(shape),
    }


def pair_thermal(vehicles: list[Vehicle], vi, ambient, precondition) -> PackThermal:
    """The march's thermal inputs of pairs: vehicle ``vi`` at ``ambient`` [K] after the
    preconditioning of code ``precondition`` (one arrival per distinct combination)."""
    vi = np.asarray(vi, np.intp)
    key = np.stack([vi.astype(float), ambient, precondition], axis=1)
    uniq, inverse = np.unique(key, axis=0, return_inverse=True)
    inverse = inverse.reshape(-1)
    parts = [
        thermal_inputs(vehicles[int(v)], float(amb), precondition_mode(float(code)))[0]
        for v, amb, code in uniq
    ]
    return _stacked(parts, inverse)


def _stacked(parts: list[PackThermal], inverse, **given) -> PackThermal:
    """One :class:`PackThermal` of rows from distinct ``parts``: row ``k`` is
    ``parts[inverse[k]]``; fields in ``given`` are taken as they are."""
    fields: dict[str, Any] = dict(given)
    for f in PackThermal._fields:
        if f in given:
            continue
        if f == "temperature_nodes":
            fields[f] = parts[0].temperature_nodes
        elif f in ("c_rate_factor", "resistance_factor"):
            fields[f] = np.stack([getattr(p, f) for p in parts])[inverse]
        elif f in ("transfer_resistance", "transfer_activation_energy"):
            fields[f] = tuple(np.array([getattr(p, f)[e] for p in parts])[inverse] for e in (0, 1))
        else:
            fields[f] = np.array([float(getattr(p, f)) for p in parts])[inverse]
    return PackThermal(**fields)


#: Start SoC of the families of thermal profiles [-]: a session starting at ``a`` follows
#: the family started at the last of them at or below ``a``.
_FAMILY_STARTS = (0.0, 0.2, 0.4, 0.6, 0.8)
#: Start temperatures of a family's members [degC]: the arrival temperatures (-40 to
#: 50 degC) and colder ones, whose warming paths pass below a cold session that starts
#: after its family's start; 5 K apart from -10 degC up, where the plating-safe current
#: falls steeply and the cold members' paths, warmed on the way to a session's start,
#: lie close together (fifteen: the bisection of :func:`_members_around` takes four
#: steps, as for fourteen).
_MEMBER_CELSIUS = (-90.0, -50.0, -30.0, -20.0, -10.0, -5.0, 0.0, 5.0, 10.0, 15.0, 20.0, 30.0, 40.0,
                   45.0, 50.0)  # fmt: skip


def _member_temperatures() -> np.ndarray:
    """:data:`_MEMBER_CELSIUS` [K]."""
    return ZERO_CELSIUS + np.asarray(_MEMBER_CELSIUS)


def _arrival_temperatures(vehicles: list[Vehicle], vi, ambient, code) -> np.ndarray:
    """:func:`~nevcalc.scenario.thermal.arrival_state` on arrays: the pack temperature [K]
    of vehicles ``vi`` on arrival at ``ambient`` [K] after the preconditioning of ``code``
    (:func:`~nevcalc.scenario.thermal.precondition_code`); compiled where numba is
    installed (:mod:`nevcalc.model._kernel`: the same to rounding)."""
    hw = [v.thermal for v in vehicles]
    for k in np.flatnonzero(np.bincount(vi, minlength=len(vehicles))):
        if hw[k] is None:
            raise InputError(f"vehicle {vehicles[k].name}: no thermal figures for a charge "
                             "at an ambient")  # fmt: skip

    def by_vehicle(f):
        return np.array([float(getattr(h, f)) if h else np.nan for h in hw])

    def warmest_full_rate(h):
        full = TEMPERATURE_NODES[h.c_rate_factor >= 1.0]
        return float(full.max()) if full.size else np.inf

    full = np.array([warmest_full_rate(h) if h else np.nan for h in hw])
    fields = ("precondition_target", "heating_power", "cooling_power", "heat_capacity", "ua",
              "precondition_lead_time")  # fmt: skip
    if _kernel.available():
        t_arr = np.empty(vi.size)
        _kernel.compiled()["arrivals"](
            np.ascontiguousarray(vi, np.intp), np.ascontiguousarray(ambient, float),
            np.ascontiguousarray(code, float), full, *(by_vehicle(f) for f in fields), t_arr,
        )  # fmt: skip
        return t_arr
    pre_target, heating_power, cooling_power, c, ua, lead = (by_vehicle(f)[vi] for f in fields)
    full = full[vi]
    # heated to the target below it; cooled only above the warmest full-rate temperature
    target = np.where(ambient < pre_target, pre_target, np.minimum(ambient, full))
    heating = ambient < target
    power = np.where(heating, heating_power, -cooling_power)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        t_eq = np.where(ua > 0, ambient + power / ua, np.where(heating, np.inf, -np.inf))
        reach = np.where(heating, t_eq > target, t_eq < target)
        need = np.where(ua > 0, -(c / ua) * np.log((t_eq - target) / (t_eq - ambient)),
                        c * (target - ambient) / power)  # fmt: skip
        time = np.minimum(np.where(reach, need, np.inf), np.where(code < 0, lead, code))
        temp = lumped_temperature(ambient, power, ambient, c, ua, np.where(time > 0, time, 0.0))
    temp = np.where(heating, np.minimum(temp, target), np.maximum(temp, target))
    return np.where((code != 0) & (target != ambient) & (power != 0), temp, ambient)


def _member_thermal(vehicles: list[Vehicle], vi, ambient, temperature) -> PackThermal:
    """The march's thermal inputs of rows: vehicle ``vi`` at ``ambient`` [K] starting at
    ``temperature`` [K] (one :func:`pack_thermal` per distinct vehicle and ambient)."""
    key = np.stack([np.asarray(vi, float), ambient], axis=1)
    uniq, inverse = np.unique(key, axis=0, return_inverse=True)
    inverse = inverse.reshape(-1)
    parts = []
    for v, amb in uniq:
        veh = vehicles[int(v)]
        total = veh.resistance + veh.polarization_resistance
        parts.append(pack_thermal(veh.thermal, float(amb), float(amb), total))
    return _stacked(parts, inverse, temperature=np.asarray(temperature, float))


def _families(vehicles, chargers, pv, pc, ambients, steps: int, ends, threads: int = 1, work=None):
    """The march of the thermal profiles of every pair ``(vehicles[pv], chargers[pc])`` at
    every ambient node at every member temperature.

    Returns a function of a family index ``k`` (into :data:`_FAMILY_STARTS`) and,
    optionally, the rows to march (all by default; a slice, or an index array), that
    marches them from the family's start up to the SoC ``ends[k]`` its sessions reach and
    returns (:class:`~nevcalc.model.charging.ChargeProfile`, its rows ordered (pair,
    ambient, member); its tables: ``"corner"`` (the cumulative time, energy into the
    terminals and thermal-management electricity, (3, grid point, row)),
    ``"temperature"`` (grid point, row), ``"warmup"`` (time and electricity, (2, row)),
    and either ``"offset"``, the family row of its first row (all rows or a slice), or
    ``"rows"``, the profile row of each family row or -1 (an index array); the caller
    adds its :func:`_peak_tables` under ``"peak"``). :func:`_local` takes family rows to
    its rows. A compiled march (:mod:`nevcalc.model._kernel`) splits its rows among
    ``threads`` threads. ``work``: where the tables come from
    (:class:`~nevcalc.model.charging.WorkArrays`; fresh arrays by default).
    """
    temps = _member_temperatures()
    n_amb, n_mem = ambients.size, temps.size
    per_pair = n_amb * n_mem
    r_p = np.repeat(np.arange(pv.size), per_pair)
    r_u = np.tile(np.repeat(np.arange(n_amb), n_mem), pv.size)
    thermal = _member_thermal(vehicles, pv[r_p], ambients[r_u], np.tile(temps, pv.size * n_amb))
    tables, rows, values = _pair_tables(vehicles, chargers, pv[r_p], pc[r_p])

    def laid_out(k, sel=None):
        """The profile and its tables as marched, grid point by grid point (the members of
        a pair and ambient side by side)."""
        s0 = _FAMILY_STARTS[k]
        n_steps = max(int(np.ceil(steps * (1.0 - s0))), 1)
        until = int(np.ceil((ends[k] - s0) / (1.0 - s0) * n_steps - 1e-9))
        until = min(max(until, 1), n_steps)
        march_rows, vals, th = rows, values, thermal
        if sel is not None:
            march_rows = tuple(r[sel] for r in rows)
            vals = {f: x[sel] for f, x in values.items()}
            th = PackThermal(*(
                x if f == "temperature_nodes" else tuple(y[sel] for y in x)
                if isinstance(x, tuple) else x[sel]
                for f, x in zip(PackThermal._fields, thermal, strict=True)
            ))  # fmt: skip
        vals = {**vals, "soc_start": np.full(march_rows[0].size, s0)}
        prof = charging._profile(tables, march_rows, vals, n_steps, th, until=until, lean=True,
                                 threads=threads, work=work)  # fmt: skip
        out = {
            "corner": charging._accumulated(prof)[:3],
            "temperature": prof.temperature.T,
            "warmup": np.stack([prof.warmup_time, prof.warmup_energy]),
            "steps": n_steps,
            "offset": 0,
        }
        if isinstance(sel, slice):
            out["offset"] = sel.start or 0
        elif sel is not None:
            del out["offset"]
            out["rows"] = np.full(r_p.size, -1, np.intp)
            out["rows"][sel] = np.arange(sel.size)
        return prof, out

    return laid_out


def _local(tables, rows):
    """Rows of a family (pair, ambient, member) as rows of a :func:`_families` profile
    marched for some of them (``tables``, its tables)."""
    if "rows" in tables:
        return tables["rows"][rows]
    return rows - tables["offset"] if tables["offset"] else rows


def _mix(x0, x1, w):
    """``x0`` and ``x1`` mixed linearly with weight ``w`` on ``x1`` (an end with weight 0
    does not enter, even when infinite)."""
    with np.errstate(invalid="ignore"):
        inner = x0 * (1.0 - w) + x1 * w
    return np.where(w <= 0.0, x0, np.where(w >= 1.0, x1, inner))


#: Grid points per block of :func:`_peak_tables`.
_PEAK_BLOCK = 16


def _peak_tables(power, work=None):
    """Range-maximum tables of a (grid point, row) ``power`` table, built once per family:
    the maxima from each grid point to the end of its block of :data:`_PEAK_BLOCK` points
    and from the block's start to it (both (grid point, row), padded with -inf to whole
    blocks), and a sparse table of the blocks' maxima (level, block, row). ``work``: where
    the tables come from (:class:`~nevcalc.model.charging.WorkArrays`; fresh arrays by
    default)."""
    new = np if work is None else work
    g, n = power.shape
    nb = -(-g // _PEAK_BLOCK)
    # in single precision (the peak is a power to a few watts): half the memory to write
    prefix = new.empty((nb * _PEAK_BLOCK, n), np.float32)
    prefix[:g] = power
    prefix[g:] = -np.inf
    suffix = new.empty(prefix.shape, np.float32)
    suffix[...] = prefix
    prefix, suffix = (x.reshape(nb, _PEAK_BLOCK, n) for x in (prefix, suffix))
    for i in range(1, _PEAK_BLOCK):  # point by point: (block, row) slices, rows contiguous
        np.maximum(prefix[:, i], prefix[:, i - 1], out=prefix[:, i])
        j = _PEAK_BLOCK - 1 - i
        np.maximum(suffix[:, j], suffix[:, j + 1], out=suffix[:, j])
    levels = [prefix[:, -1]]
    while (2 << (len(levels) - 1)) <= nb:
        prev, half = levels[-1], 1 << (len(levels) - 1)
        nxt = np.full((nb, n), -np.inf, np.float32)
        nxt[: nb - half] = np.maximum(prev[: nb - half], prev[half:])
        levels.append(nxt)
    return power, prefix.reshape(-1, n), suffix.reshape(-1, n), np.stack(levels)


def _peak(peak, rows, xa, xb):
    """:func:`~nevcalc.model.charging._range_max` of the power between grid positions
    ``xa`` and ``xb`` (per session, n) on profile rows ``rows`` (m, n), from
    :func:`_peak_tables`: (m, n)."""
    power, prefix, suffix, levels = peak
    g, n = power.shape
    steps = g - 1
    flat = power.reshape(-1)
    # both ends at once
    x = np.clip(np.stack([xa, xb]), 0.0, steps)
    i0 = np.minimum(np.floor(x).astype(np.intp), steps - 1)
    f = (x - i0)[:, None, :]
    at = (i0 * n)[:, None, :] + rows
    lo, hi = flat.take(at), flat.take(at + n)
    with np.errstate(invalid="ignore"):
        out = lo + (hi - lo) * f
    out = np.where(f == 0.0, lo, np.where(f == 1.0, hi, out))
    ends = np.maximum(out[0], out[1])
    ia = np.clip(np.ceil(xa).astype(np.intp), 0, steps)
    ib = np.clip(np.floor(xb).astype(np.intp), 0, steps)
    ba, bb = ia // _PEAK_BLOCK, ib // _PEAK_BLOCK
    inner = np.full(ends.shape, -np.inf)
    apart = (ib >= ia) & (bb > ba)
    # (most often every session spans more than a block: slices, not gathers)
    apart = slice(None) if apart.all() else np.flatnonzero(apart)
    if isinstance(apart, slice) or apart.size:
        r = rows[:, apart]
        m = np.maximum(suffix.reshape(-1).take(ia[apart] * n + r),
                       prefix.reshape(-1).take(ib[apart] * n + r))  # fmt: skip
        lo_b, hi_b = ba[apart] + 1, bb[apart] - 1
        between = hi_b >= lo_b
        length = np.maximum(hi_b - lo_b + 1, 1)
        lvl = np.floor(np.log2(length)).astype(np.intp)
        nb = levels.shape[1]
        lv = levels.reshape(-1)
        first = lv.take((lvl * nb + lo_b) * n + r)
        last = lv.take((lvl * nb + np.maximum(hi_b - (1 << lvl) + 1, 0)) * n + r)
        m = np.maximum(m, np.where(between, np.maximum(first, last), -np.inf))
        inner[:, apart] = m
    same = np.flatnonzero((ib >= ia) & (bb == ba))
    if same.size:  # within one block: its points one by one
        pts = ba[same] * _PEAK_BLOCK + np.arange(_PEAK_BLOCK)[:, None]
        vals = flat.take(np.minimum(pts, steps)[:, None, :] * n + rows[:, same])
        inside = (pts >= ia[same]) & (pts <= ib[same])
        inner[:, same] = np.where(inside[:, None, :], vals, -np.inf).max(axis=0)
    return np.maximum(ends, inner)


def _stored_energy(vehicles, steps: int) -> np.ndarray:
    """Energy stored (OCV x charge) from 0 % on a grid of ``steps`` SoC steps, per vehicle
    (V, steps + 1) [J], summed as the march sums it: it depends only on the SoC."""
    grid = np.linspace(0.0, 1.0, steps + 1)
    out = np.zeros((len(vehicles), steps + 1))
    for k, v in enumerate(vehicles):
        span = v.cell_soc_high - v.cell_soc_low
        ocv = v.series_cells * lookup(v.ocv, v.cell_soc_low + span * grid)
        half_dq = 0.5 * (v.capacity * (1.0 / steps))
        np.cumsum((ocv[:-1] + ocv[1:]) * half_dq, out=out[k, 1:])
    return out


def _stored_span(stored, veh, a, b):
    """Energy stored from SoC ``a`` to ``b`` of vehicles ``veh`` off :func:`_stored_energy`."""
    steps = stored.shape[1] - 1
    flat = stored.reshape(-1)

    def at(s):
        x = np.clip(s, 0.0, 1.0) * steps
        i0 = np.minimum(x.astype(np.intp), steps - 1)
        at_ = veh * (steps + 1) + i0
        lo = flat.take(at_)
        return lo + (flat.take(at_ + 1) - lo) * (x - i0)

    return at(b) - at(a)


def _grid_x(profile, soc):
    """Position of ``soc`` on the grid of a :func:`_families` profile (one grid for all
    rows of a family, of ``steps`` steps to 100 % however far it was marched)."""
    prof, tables = profile
    s0 = prof.soc_start[:1]
    return (np.asarray(soc, float) - s0) / (1.0 - s0) * tables["steps"]


def _position(profile, soc):
    """Flat offset of the grid point below ``soc`` in a family's (grid point, row) tables
    and the weight on the next point."""
    n, g = profile[0].soc.shape
    x = np.clip(_grid_x(profile, soc), 0.0, g - 1)
    i0 = np.minimum(x.astype(np.intp), g - 2)
    return i0 * n, x - i0


def _at_rows(table, rows, at):
    """A (grid point, row) ``table`` on ``rows`` (..., n) at a :func:`_position` of n
    sessions; an infinite next point enters only with a positive weight."""
    off, f = at
    flat = table.reshape(-1)
    i = off + rows
    lo, hi = flat.take(i), flat.take(i + table.shape[1])
    with np.errstate(invalid="ignore"):
        return np.where(f > 0.0, lo + (hi - lo) * f, lo)


def _corner(profile, rows, pa, pb) -> dict:
    """Duration, energies and feasibility between positions ``pa`` and ``pb`` of the
    rows ``rows`` (..., n) of a :func:`_families` profile (its own rows), as
    :func:`~nevcalc.model.charging.charge_session` gives a feasible session.

    The three cumulative tables lie side by side in one block (field, grid point, row):
    the grid points either side of both ends of every row and field are read in one
    gather, the sessions last (numpy's loops then run along them)."""
    tables = profile[1]
    block = tables["corner"]
    n_f, g, n = block.shape
    shape = rows.shape
    r = rows.reshape(-1, shape[-1])
    # flat index (field, end, point, row, session)
    at = np.stack([pa[0], pb[0]])[:, None, :] + r
    const = (np.arange(n_f) * (g * n))[:, None, None, None, None] + np.array([0, n])[:, None, None]
    vals = block.reshape(-1).take(at[None, :, None] + const)
    lo, hi = vals[:, :, 0], vals[:, :, 1]
    f = np.stack([pa[1], pb[1]])[:, None, :]
    with np.errstate(invalid="ignore"):
        v = np.where(f > 0.0, lo + (hi - lo) * f, lo)
        span = (v[:, 1] - v[:, 0]).reshape((n_f, *shape))
    warm = tables["warmup"].take(rows, axis=1)
    duration = span[0] + warm[0]
    return dict(
        duration=duration,
        feasible=np.isfinite(duration),
        energy_to_battery=span[1],
        thermal_energy=np.maximum(span[2], 0.0) + warm[1],
    )


def _mixed_corners(c, w, w_amb) -> dict:
    """:func:`_corner` answers ``c`` (U, 2, n) of the members either side (axis 1) at each
    ambient node (axis 0) mixed: the durations in log between members with weight ``w``
    (U, n), linearly between ambients; feasible where every member that enters is."""
    # (the energies are finite: mixed without the guards of :func:`_mix`)
    mixed = {f: c[f][:, 0] * (1.0 - w) + c[f][:, 1] * w
             for f in ("energy_to_battery", "thermal_energy")}  # fmt: skip
    mixed["duration"] = _mix(c["duration"][:, 0], c["duration"][:, 1], w)
    d0, d1 = c["duration"][:, 0], c["duration"][:, 1]
    with np.errstate(divide="ignore", invalid="ignore"):
        logged = np.exp(_mix(np.log(d0), np.log(d1), w))
    mixed["duration"] = np.where((d0 > 0) & (d1 > 0), logged, mixed["duration"])
    f0, f1 = c["feasible"][:, 0], c["feasible"][:, 1]
    mixed["feasible"] = (f0 | (w >= 1.0)) & (f1 | (w <= 0.0))
    if w.shape[0] == 1:
        return {f: x[0] for f, x in mixed.items()}
    res = {f: mixed[f][0] * (1.0 - w_amb) + mixed[f][1] * w_amb
           for f in ("energy_to_battery", "thermal_energy")}  # fmt: skip
    res["duration"] = _mix(mixed["duration"][0], mixed["duration"][1], w_amb)
    ok = mixed["feasible"]
    res["feasible"] = (ok[0] | (w_amb >= 1.0)) & (ok[1] | (w_amb <= 0.0))
    return res


def _members_around(temp, nodes, n_mem, at, t):
    """The members either side of temperatures ``t`` (n,) at a :func:`_position` ``at`` in
    a family's (grid point, row) ``temp`` table, at each of the nodes (U, n) whose
    ``n_mem`` members, from the coldest, start at ``nodes``: the lower member (clamped to
    the ends), the weight on the next, and whether ``t`` lies outside them all (U, n).

    The members' paths do not cross: they are searched by bisection on their
    temperatures at ``at``."""

    flat, g_step = temp.reshape(-1), temp.shape[1]
    off, f = at
    first = off + nodes

    def at_member(m):
        i = first + m
        lo = flat.take(i)
        # (temperatures are finite: no weight guards an infinite next point)
        return lo + (flat.take(i + g_step) - lo) * f

    # the last member at or below t: -1 (below them all) to n_mem - 1
    below, above = np.full(nodes.shape, -1), np.full(nodes.shape, n_mem)
    for _ in range(int(np.ceil(np.log2(n_mem + 1)))):
        mid = np.maximum((below + above) >> 1, 0)
        le = at_member(mid) <= t
        below = np.where(le, mid, below)
        above = np.where(le, above, mid)
    j = np.clip(below, 0, n_mem - 2)
    t0, t1 = at_member(j), at_member(j + 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        w = np.where(t1 > t0, np.clip((t - t0) / (t1 - t0), 0.0, 1.0), 0.0)
    return j, w, (below < 0) | ((below >= n_mem - 1) & (t > t1))


def _finish(res, eff, b):
    """The fields of a feasible session that follow from the mixed ones (``eff`` the
    charger's efficiency)."""
    res["stop_soc"] = b
    res["stop_limit"] = np.full(b.size, -1, np.int64)
    res["charging_time"] = res["duration"].copy()
    res["energy_from_grid"] = res["energy_to_battery"] / eff + res["thermal_energy"]
    with np.errstate(invalid="ignore", divide="ignore"):
        res["average_power"] = np.where(
            res["duration"] > 0, res["energy_to_battery"] / res["duration"], 0.0
        )
    return res


def _full_grid(prof, steps: int):
    """A profile marched part of the way (:func:`_families`) on its whole grid of
    ``steps`` steps, for :func:`~nevcalc.model.charging.charge_session`: no time reaches
    the points beyond (where none of its sessions ends)."""
    n, g = prof.soc.shape
    if g == steps + 1:
        return prof

    def pad(x, value=None):
        if x is None:  # (a table the lean march does not keep)
            return None
        tail = (np.repeat(x[:, -1:], steps + 1 - g, axis=1) if value is None
                else np.full((n, steps + 1 - g), value, x.dtype))  # fmt: skip
        return np.concatenate([x, tail], axis=1)

    s0 = prof.soc_start[:, None]
    return prof._replace(
        soc=s0 + (1.0 - s0) * np.linspace(0.0, 1.0, steps + 1), current=pad(prof.current, 0),
        power=pad(prof.power, 0), limit=pad(prof.limit), time=pad(prof.time, np.inf),
        energy_battery=pad(prof.energy_battery), energy_stored=pad(prof.energy_stored),
        temperature=pad(prof.temperature), thermal_energy=pad(prof.thermal_energy),
    )  # fmt: skip


def _mix_peaks(pk, w):
    """The peak powers ``pk`` (2, n) of the members (or ambient nodes) either side mixed
    with weight ``w`` on the second, in log (the cold limit falls near-exponentially with
    temperature); one peak alone where there is one."""
    if len(pk) == 1:
        return pk[0]
    with np.errstate(divide="ignore", invalid="ignore"):
        logged = np.exp(_mix(np.log(pk[0]), np.log(pk[1]), w))
    return np.where((pk[0] > 0) & (pk[1] > 0), logged, _mix(pk[0], pk[1], w))


def _family_sessions(profile, base, a, b, t_arr, w_amb, n_amb, stored, veh, eff, out, where):
    """Sessions whose start ``a`` lies in the family of ``profile`` (marched for their
    pairs, whose first family rows are ``base``), as fields of
    :class:`~nevcalc.model.charging.ChargeSession`: on the paths of the two members that
    pass either side of the arrival temperature ``t_arr`` at ``a`` (durations mixed in
    log), at each ambient node (mixed linearly with weight ``w_amb`` on the second); the
    energy stored off :func:`_stored_energy` (``stored``) of vehicles ``veh``, the
    electricity through chargers of efficiency ``eff``. The answers go into ``out`` (the
    :class:`_Answers` of every session, changed in place) at ``where``. Returns the
    sessions for :func:`_shift` (whose arrival lies outside every member), by index."""
    prof, tables = profile
    base = _local(tables, base)
    if out.record is not None:  # (the same answers, compiled: session by session, in place)
        ok, near, outside = _compiled_sessions(
            profile,
            base,
            a,
            b,
            t_arr,
            w_amb,
            n_amb,
            stored,
            veh,
            into=(out.record, where, prof.soc_min),
        )[1:]
        slow = np.flatnonzero(~ok)
        if slow.size:
            late = {f: np.empty(slow.size, x.dtype) for f, x in out.fields.items()}
            _nearest_sessions(profile, near[slow], a[slow], np.maximum(b[slow], a[slow]),
                              eff[slow], late, slice(None))  # fmt: skip
            out.late.append((where[slow], late))
        return np.flatnonzero(outside & ok)
    res, near, outside = _vector_sessions(profile, base, a, b, t_arr, w_amb, n_amb, stored, veh)
    b = np.maximum(b, a)
    res = _finish(res, eff, b)
    res["feasible"] &= a >= prof.soc_min.take(base)
    slow = np.flatnonzero(~res["feasible"])
    if slow.size:
        _nearest_sessions(profile, near[slow], a[slow], b[slow], eff[slow], res, slow)
    for f in out.fields:
        out.fields[f][where] = res[f]
    # arrivals colder (or warmer) than every member at a: shifted windows (:func:`_shift`)
    return np.flatnonzero(outside & res["feasible"])


def _nearest_sessions(profile, near, a, b, eff, out, where):
    """Sessions from ``a`` to ``b`` that a path stops short of, or cannot start: the
    session of the nearest member (profile rows ``near``) into ``out`` (fields) at
    ``where``."""
    prof, tables = profile
    used, inverse = np.unique(near, return_inverse=True)
    sub = _full_grid(charging.ChargeProfile(*(None if x is None else x[used] for x in prof)),
                     tables["steps"])  # fmt: skip
    part = charging.charge_session(sub, inverse.reshape(-1), a, b)
    for f in out:
        out[f][where] = getattr(part, f)
    # (a profile row stands for every charger that charges alike, whatever its losses)
    out["energy_from_grid"][where] = part.energy_to_battery / eff + part.thermal_energy


class _Answers:
    """The answers of the sessions of a call as they are put in place: ``fields``, the
    arrays of :class:`~nevcalc.model.charging.ChargeSession`; with the compiled look-ups
    first a ``record`` of :data:`~nevcalc.model._kernel.ANSWER` for each session (64
    bytes: the sessions are looked up in another order than theirs), which
    :meth:`unpack` turns into the fields, and the answers of the sessions a path stops
    short of (``late``: their places and fields), put in place after it."""

    def __init__(self, n: int, compiled: bool):
        self.fields = {f: np.empty(n, np.int64 if f == "stop_limit" else bool
                                   if f == "feasible" else float)
                       for f in charging.ChargeSession._fields}  # fmt: skip
        self.record = np.empty((n, _kernel.RECORD)) if compiled and n else None
        self.late: list = []

    def unpack(self, a, b, eff, part=slice(None)):
        """The fields of sessions ``part`` (a slice) from their records."""
        f = self.fields
        lo, hi, _ = part.indices(a.size)
        _kernel.compiled()["unpack"](
            self.record, a, b, eff, lo, hi, f["duration"], f["energy_to_battery"],
            f["thermal_energy"], f["peak_power"], f["energy_stored"], f["feasible"],
            f["stop_soc"], f["stop_limit"], f["charging_time"], f["energy_from_grid"],
            f["average_power"],
        )  # fmt: skip

    def finish_late(self):
        """The sessions a path stops short of, after :meth:`unpack`."""
        for where, late in self.late:
            for f, x in late.items():
                self.fields[f][where] = x


def _compiled_sessions(profile, base, a, b, t_arr, w_amb, n_amb, stored, veh, given=None,
                       into=None):  # fmt: skip
    """:func:`_vector_sessions` by the compiled loop of :mod:`nevcalc.model._kernel`
    (the fields of :data:`~nevcalc.model._kernel.ANSWER`); ``given``: the members' rows
    (node, 2, n) and the weight on the second (n,) instead (the windows of
    :func:`_shifted_sessions`, ``b`` not raised to ``a``). ``into``: ``(record, where,
    soc_min)``, the answers put into the records (:class:`_Answers`) at ``where``,
    feasible only from the rows' ``soc_min`` on; the first returned is then None, the
    next whether each is feasible."""
    prof, tables = profile
    n = a.size
    if given is None:
        given = np.zeros((n_amb, 2, 0), np.intp), np.zeros(0)
    given = (np.ascontiguousarray(given[0], np.intp), np.ascontiguousarray(given[1], float))
    power, prefix, suffix, levels = tables["peak"]
    if into is None:
        record, where, soc_min = (
            np.empty((n, len(_kernel.ANSWER))),
            np.zeros(0, np.intp),
            np.zeros(0),
        )
    else:
        record, where, soc_min = into
        where = np.ascontiguousarray(where, np.intp)
        soc_min = np.ascontiguousarray(soc_min, float)
    ok = np.empty(n if into is not None else 0, bool)
    near = np.empty(n, np.intp)
    outside = np.empty(n, bool)
    _kernel.compiled()["sessions"](
        tables["temperature"], tables["corner"], np.ascontiguousarray(tables["warmup"]), power,
        prefix, suffix, levels, float(prof.soc_start[0]), float(tables["steps"]), _PEAK_BLOCK,
        stored, np.ascontiguousarray(base, np.intp), np.ascontiguousarray(a, float),
        np.ascontiguousarray(b, float), np.ascontiguousarray(t_arr, float),
        np.ascontiguousarray(np.broadcast_to(w_amb, (n,)), float),
        np.ascontiguousarray(veh, np.intp), n_amb, len(_MEMBER_CELSIUS), *given, where,
        soc_min, record, ok, near, outside,
    )  # fmt: skip
    if into is not None:
        return None, ok, near, outside
    res = {f: record[:, k] for k, f in enumerate(_kernel.ANSWER)}
    res["feasible"] = res["feasible"] != 0.0
    return res, near, outside


def _vector_sessions(profile, base, a, b, t_arr, w_amb, n_amb, stored, veh):
    """The answers of :func:`_family_sessions` on the members' paths (their duration,
    energies, peak power, feasibility, energy stored), the row of the nearest member at the
    nearest node and whether the arrival lies outside every member at some node, for
    sessions whose pairs' first family rows (local to the profile) are ``base``."""
    tables = profile[1]
    n_mem = len(_MEMBER_CELSIUS)
    b = np.maximum(b, a)
    pa, pb = _position(profile, a), _position(profile, b)
    # the members either side of the arrival temperature at a, at every ambient node
    nodes = base + (np.arange(n_amb) * n_mem)[:, None]  # (U, n)
    j, w, out = _members_around(tables["temperature"], nodes, n_mem, pa, t_arr)
    outside = out.any(axis=0)
    lower = nodes + j  # (U, n)
    rows = lower[:, None, :] + np.arange(2)[:, None]  # (U, 2, n): the members either side
    res = _mixed_corners(_corner(profile, rows, pa, pb), w, w_amb)
    res["energy_stored"] = _stored_span(stored, veh, a, b)
    # the peak power of the two members mixed at each ambient node, then between the
    # nodes as the durations are; the whole answer of the nearest member at the nearest
    # node where a path stops short
    if n_amb > 1:
        near_u = w_amb >= 0.5
        low, w_near = np.where(near_u, lower[1], lower[0]), np.where(near_u, w[1], w[0])
    else:
        low, w_near = lower[0], w[0]
    near = low + (w_near >= 0.5)
    xa, xb = _grid_x(profile, a), _grid_x(profile, b)
    pk = _peak(tables["peak"], rows.reshape(-1, rows.shape[-1]), xa, xb).reshape(rows.shape)
    res["peak_power"] = _mix_peaks([_mix_peaks(pk[u], w[u]) for u in range(n_amb)], w_amb)
    return res, near, outside


def _shift(here, after, k, out, o, at, base, a, b, t_arr, w_amb, n_amb, eff, stored,
           veh) -> None:  # fmt: skip
    """Sessions ``o`` of family ``k`` (profiles ``here`` and of the next family ``after``)
    that arrive outside every member: their :func:`_shifted_sessions`, where those are
    feasible, into ``out`` (the :class:`_Answers` of every session, changed in place) at
    ``at[o]``."""
    shifted = _shifted_sessions(here, after, k, base[o], a[o], b[o], t_arr[o], w_amb[o], n_amb,
                                stored, veh[o])  # fmt: skip
    keep = shifted["feasible"]
    ok = at[o[keep]]
    duration, e_batt = shifted["duration"][keep], shifted["energy_to_battery"][keep]
    thermal = shifted["thermal_energy"][keep]
    if out.record is not None:  # (the rest follows from these in :meth:`_Answers.unpack`)
        for f in ("duration", "energy_to_battery", "thermal_energy", "peak_power"):
            out.record[ok, _kernel.ANSWER.index(f)] = shifted[f][keep]
        return
    out = out.fields
    out["peak_power"][ok] = shifted["peak_power"][keep]
    out["duration"][ok] = duration
    out["energy_to_battery"][ok] = e_batt
    out["thermal_energy"][ok] = thermal
    out["charging_time"][ok] = duration
    out["energy_from_grid"][ok] = e_batt / eff[o[keep]] + thermal
    with np.errstate(invalid="ignore", divide="ignore"):
        out["average_power"][ok] = np.where(duration > 0, e_batt / duration, 0.0)


def _shift_members(base, t_arr, n_amb):
    """The rows (ambient node, 2, n) of the members either side of the arrival
    temperatures ``t_arr`` at their family's start, and the weight on the second (n,)."""
    temps = _member_temperatures()
    n_mem = temps.size
    j = np.clip(np.searchsorted(temps, t_arr, side="right") - 1, 0, n_mem - 2)
    t0, t1 = temps[j], temps[j + 1]
    w = np.clip((t_arr - t0) / (t1 - t0), 0.0, 1.0)
    nodes = base + j + (np.arange(n_amb) * n_mem)[:, None]
    return nodes[:, None, :] + np.arange(2)[:, None], w


def _outside_members(profile, sel, a, base, t_arr, n_amb):
    """The rows of the next family that the shifted windows of sessions ``sel`` of a
    family (``profile``) may read: of those arriving colder than its coldest member at
    their start or warmer than its warmest, at some ambient node (a few more than
    :func:`_family_sessions` shifts)."""
    n_mem = len(_MEMBER_CELSIUS)
    t = t_arr[sel]
    nodes = _local(profile[1], base[sel]) + (np.arange(n_amb) * n_mem)[:, None]
    pa = _position(profile, a[sel])
    temp = profile[1]["temperature"]
    out = (t < _at_rows(temp, nodes, pa)) | (t > _at_rows(temp, nodes + n_mem - 1, pa))
    o = sel[out.any(axis=0)]
    return np.unique(_shift_members(base[o], t_arr[o], n_amb)[0])


def _shifted_sessions(here, after, k, base, a, b, t_arr, w_amb, n_amb, stored, veh) -> dict:
    """Sessions from ``a`` to ``b`` as the same SoC span from the starts of families ``k``
    (profile ``here``) and ``k + 1`` (``after``, None past the last; while it fits below
    100 %) at the arrival temperature, mixed by where ``a`` lies between them."""
    span = b - a
    rows, w = _shift_members(base, t_arr, n_amb)
    w_u = np.broadcast_to(w, (n_amb, w.size))
    ends = []
    for kk, profile in ((k, here), (k + 1, after)):
        if kk >= len(_FAMILY_STARTS):
            break
        s0 = np.full(a.size, _FAMILY_STARTS[kk])
        local = _local(profile[1], rows)
        if _kernel.available():  # (the same, compiled)
            end = _compiled_sessions(profile, base, s0, s0 + span, t_arr, w_amb, n_amb, stored,
                                     veh, given=(local, w))[0]  # fmt: skip
            ends.append({f: end[f] for f in ("duration", "energy_to_battery", "thermal_energy",
                                             "feasible", "peak_power")})  # fmt: skip
            continue
        pa, pb = _position(profile, s0), _position(profile, s0 + span)
        c = _corner(profile, local, pa, pb)
        end = _mixed_corners(c, w_u, w_amb)
        # the peak of the same window, mixed as in :func:`_family_sessions`
        xa, xb = _grid_x(profile, s0), _grid_x(profile, s0 + span)
        pk = _peak(profile[1]["peak"], local.reshape(-1, a.size), xa, xb).reshape(local.shape)
        end["peak_power"] = _mix_peaks([_mix_peaks(pk[u], w) for u in range(n_amb)], w_amb)
        ends.append(end)
    if len(ends) == 1:
        return ends[0]
    s_k, s_next = _FAMILY_STARTS[k], _FAMILY_STARTS[k + 1]
    # mixed by the energy stored in the window (off :func:`_stored_energy`, ``stored``, of
    # vehicles ``veh``), which grows with its start as the OCV does: a window charged at
    # a constant power takes a time in proportion to it, one charged at a constant
    # current the same time wherever it starts (and then either weight does)
    e_k, e_next = (_stored_span(stored, veh, s, s + span) for s in (s_k, s_next))
    e = _stored_span(stored, veh, a, b)
    with np.errstate(divide="ignore", invalid="ignore"):
        lam = np.where(e_next > e_k, np.clip((e - e_k) / (e_next - e_k), 0.0, 1.0),
                       (a - s_k) / (s_next - s_k))  # fmt: skip
    lam = np.where(s_next + span <= 1.0, lam, 0.0)
    res = {f: _mix(ends[0][f], ends[1][f], lam) for f in ends[0]}
    res["feasible"] = (ends[0]["feasible"] | (lam >= 1.0)) & (ends[1]["feasible"] | (lam <= 0.0))
    return res


def _alike(vehicles, chargers, pv, pc):
    """Pairs ``(vehicles[pv], chargers[pc])`` whose charges are marched alike: a charger's
    power above the most the vehicle takes, a current above the vehicle's, a highest voltage
    above the pack's full voltage and a lowest one below its emptiest never bind (but on
    a DC booster), so such chargers differ only in their losses, which the march does not
    see.

    Returns
    -------
    group : numpy.ndarray
        (P,) the march of each pair, an index into ``first``.
    first : numpy.ndarray
        The first pair of each march.
    efficiency : numpy.ndarray
        (P,) the charger's efficiency of each pair [-].
    """
    (ocv, _, limit), rows, v = _pair_tables(vehicles, chargers, pv, pc)
    series = v["series_cells"]
    full = series * v["cell_voltage_max"]
    boost = (v["charger_voltage_max"] < full) & (v["booster_power"] > 0)

    def unbound(x, bound, value):
        return np.where(~boost & (x > bound), value, x)

    key = np.stack([
        rows[0].astype(float), rows[1].astype(float), rows[2].astype(float),
        unbound(v["charger_power"], limit.max(axis=1)[rows[2]], np.inf),
        unbound(v["charger_current"], v["vehicle_current"], np.inf),
        unbound(v["charger_voltage_max"], full, np.inf),
        -unbound(-v["charger_voltage_min"], -series * ocv.min(axis=1)[rows[0]], 0.0),
        np.where(boost, v["booster_power"], 0.0), boost.astype(float),
    ], axis=1)  # fmt: skip
    _, first, group = np.unique(key, axis=0, return_index=True, return_inverse=True)
    return group.reshape(-1), first, v["efficiency"]


def _thermal_sessions(vehicles, chargers, vi, ci, a, b, ambient, code, steps, threads):
    """:func:`charge_sessions` at ambient temperatures, on flat arrays.

    The families are marched chunk after chunk (the pairs of a family about
    :data:`_MARCH_ROWS` rows at a time); the sessions of a chunk are looked up as soon as
    it is marched, in the order of their pair and start SoC (the few rows of its tables
    they read stay in cache), and their answers put in place. With ``threads`` > 1 one
    thread marches while the others look up (two marches side by side only wait on each
    other for the interpreter: their numpy calls are short)."""
    n_fam, n_mem = len(_FAMILY_STARTS), len(_MEMBER_CELSIUS)
    out = _Answers(a.size, _kernel.available())
    if not a.size:
        return out.fields
    # the pairs by counting (few of them, many sessions)
    key = vi * len(chargers) + ci
    present = np.bincount(key, minlength=len(vehicles) * len(chargers)) > 0
    pairs = np.flatnonzero(present)
    pair = (np.cumsum(present) - 1)[key]
    for k in np.unique(pairs // len(chargers)):
        if vehicles[k].thermal is None:
            raise InputError(f"vehicle {vehicles[k].name}: no thermal figures for a charge "
                             "at an ambient")  # fmt: skip
    group, first, eff = _alike(vehicles, chargers, pairs // len(chargers), pairs % len(chargers))
    pair, eff = group[pair], eff[pair]
    pairs = pairs[first]
    n_pairs = pairs.size
    lo, hi = float(ambient.min()), float(ambient.max())
    ambients = np.array([lo] if lo == hi else [lo, hi])
    n_amb = ambients.size
    per_pair = n_amb * n_mem
    # the family of each session: the last started at or below its start
    family = np.zeros(a.size, np.intp)
    for s0 in _FAMILY_STARTS[1:]:
        family += a >= s0
    used = [int(k) for k in np.flatnonzero(np.bincount(family, minlength=n_fam))]

    def families():
        """The march of the families (:func:`_families`) the sessions need."""
        # a family and the next (the shifted windows of arrivals outside its members)
        needed = np.unique(np.minimum(np.concatenate([used, np.add(used, 1)]), n_fam - 1))
        # a family is marched as far as its sessions reach, and as its shifted windows do
        # (the spans of the family below it from its start)
        reach = np.zeros(n_fam)
        np.maximum.at(reach, family, b)
        longest = np.zeros(n_fam)
        np.maximum.at(longest, family, b - a)
        ends = {int(k): min(max(reach[k], _FAMILY_STARTS[k] + (longest[k - 1] if k else 0.0)),
                            1.0) for k in needed}  # fmt: skip
        return _families(vehicles, chargers, pairs // len(chargers), pairs % len(chargers),
                         ambients, steps, ends, threads, work)  # fmt: skip

    # the chunks: pairs edges[c] to edges[c + 1]
    n_chunks = -(-n_pairs // max(1, _MARCH_ROWS // per_pair))
    edges = np.linspace(0, n_pairs, n_chunks + 1).round().astype(int)
    chunks = [slice(int(p) * per_pair, int(q) * per_pair) for p, q in itertools.pairwise(edges)]
    # profiles[k, c]: chunk c of family k; profiles[k, None]: family k marched for the
    # shifted windows of the family below only (the members they read)
    profiles: dict = {}
    deferred: dict = {}
    at: dict = {}
    peak_lock = threading.Lock()
    # the chunks' tables: in memory let go by the chunks already looked up (on two
    # threads: a chunk's profile is dropped once nothing more reads it)
    work = charging.WorkArrays()

    def with_peaks(profile):
        """``profile`` with its :func:`_peak_tables`, built by the first thread that needs
        them (a pool thread as a rule, while this one marches)."""
        if profile is not None and "peak" not in profile[1]:
            with peak_lock:
                if "peak" not in profile[1]:
                    profile[1]["peak"] = _peak_tables(profile[0].power.T, work)
        return profile

    def sort():
        """The sessions by family, march and start SoC."""
        by_start = np.argsort((np.clip(a, 0.0, 1.0) * _START_BUCKETS).astype(np.int16),
                              kind="stable")  # fmt: skip
        key = family * n_pairs + pair
        key = key.astype(np.int16 if key.max() < 2**15 else np.int32)[by_start]
        order = np.argsort(key, kind="stable")
        starts = (np.arange(n_fam)[:, None] * n_pairs + edges).ravel()
        at["bounds"] = np.searchsorted(key[order], starts).reshape(n_fam, -1)
        at["order"] = by_start[order]

    def prepare():
        """What the look-ups read beside the profiles, in the order of :func:`sort`."""
        order = at["order"]
        for name, x in (("vi", vi), ("a", a), ("b", b), ("eff", eff)):
            at[name] = x[order]
        at["base"] = pair[order] * per_pair
        amb = ambient[order]
        at["t_arr"] = _arrival_temperatures(vehicles, at["vi"], amb, code[order])
        at["w_amb"] = np.zeros(a.size) if n_amb == 1 else (amb - lo) / (hi - lo)
        at["stored"] = _stored_energy(vehicles, steps)

    def sessions(k, c):
        """The sessions of chunk ``c`` of family ``k`` (in the order of :func:`prepare`)."""
        return slice(int(at["bounds"][k, c]), int(at["bounds"][k, c + 1]))

    def pieces(k, c):
        """Those sessions in pieces of at most :data:`_LOOK_UP`."""
        sel = sessions(k, c)
        cuts = np.linspace(sel.start, sel.stop, -(-(sel.stop - sel.start) // _LOOK_UP) + 1)
        return [slice(p, q) for p, q in itertools.pairwise(np.unique(cuts.round().astype(int)))]

    def look_up(k, c, sel):
        profile = with_peaks(profiles[k, c])
        if "prepared" in at:  # (on a pool thread: once prepared)
            at["prepared"].result()
        o = _family_sessions(profile, at["base"][sel], at["a"][sel], at["b"][sel],
                             at["t_arr"][sel], at["w_amb"][sel], n_amb, at["stored"],
                             at["vi"][sel], at["eff"][sel], out, at["order"][sel])  # fmt: skip
        if o.size:
            deferred.setdefault((k, c), []).append(sel.start + o)

    def next_rows(k, marched):
        """The rows of family ``k + 1`` that the shifted windows of family ``k`` may read,
        from its chunks ``marched``."""
        rows = [_outside_members(marched[k, c], np.arange(sessions(k, c).start,
                                                          sessions(k, c).stop),
                                 at["a"], at["base"], at["t_arr"], n_amb)
                for c in range(n_chunks)]  # fmt: skip
        return np.unique(np.concatenate(rows))

    def marches():
        """(family, chunk) and its profile, chunk after chunk, family after family; each
        family followed by the next where only its shifted windows read that."""
        marched = {}
        for k in used:
            for c, rows in enumerate(chunks):
                marched[k, c] = march(k, rows)
                yield (k, c), marched[k, c]
            if k + 1 < n_fam and k + 1 not in used:
                yield "prepared", None
                rows = next_rows(k, marched)
                if rows.size:
                    yield (k + 1, None), march(k + 1, rows)
            marched.clear()  # (family k is read from ``profiles`` only)

    def after(k, c):
        """The profile of the next family that the shifted windows of chunk ``c`` of
        family ``k`` read (None past the last family)."""
        if k + 1 >= n_fam:
            return None
        return profiles[k + 1, c] if k + 1 in used else profiles.get((k + 1, None))

    def shift(k, c, o):
        _shift(with_peaks(profiles[k, c]), with_peaks(after(k, c)), k, out, o, at["order"],
               at["base"], at["a"], at["b"], at["t_arr"], at["w_amb"], n_amb, at["eff"],
               at["stored"], at["vi"])  # fmt: skip

    def shifts_ready(k, c):
        """The next family that the shifted windows of chunk ``c`` of family ``k`` read is
        marched (or none is needed)."""
        return (k + 1 >= n_fam or ((k + 1, c) in profiles if k + 1 in used
                                   else (k + 1, None) in profiles or marching_done))  # fmt: skip

    marching_done = False
    if threads > 1:
        # this thread marches (its tables come from one memory arena, used again from
        # call to call), the others look the sessions up as the chunks come; once the
        # march is over this thread takes the look-ups not yet started, from the last
        with ThreadPoolExecutor(threads - 1) as pool:
            tasks: list = []  # (future, function, arguments) as submitted

            def submit(fn, *args):
                task = pool.submit(fn, *args)
                tasks.append((task, fn, args))
                return task

            def take_over():
                for task, fn, args in reversed(tasks):
                    if task.cancel():
                        fn(*args)
                for task, _, _ in tasks:
                    if not task.cancelled():  # (else run here)
                        task.result()
                tasks.clear()

            at["sorted"] = submit(sort)  # (while this thread marches the first chunk)
            at["prepared"] = submit(prepare)
            march = families()
            looking, waiting, shifting = {}, [], {}

            def submit_shifts(kc):
                parts = [part for o in deferred.get(kc, [])
                         for part in np.array_split(o, threads) if part.size]  # fmt: skip
                shifting[kc] = [submit(shift, *kc, part) for part in parts]

            def peaks(kc):
                with_peaks(profiles.get(kc))

            def done(kc):
                return kc in shifting and all(f.done() for f in looking[kc] + shifting[kc])

            def let_go():
                """Drop the chunks nothing reads any more: looked up, their shifted windows
                done, and those of the chunk below (which read them) too."""
                for kc in [kc for kc in profiles if kc[1] is not None and done(kc)
                           and (kc[0] - 1 not in used or done((kc[0] - 1, kc[1])))]:  # fmt: skip
                    del profiles[kc]

            for item in marches():
                if item[0] == "prepared":
                    at["prepared"].result()
                    continue
                kc, profile = item
                profiles[kc] = profile
                submit(peaks, kc)
                if kc[1] is not None:
                    at["sorted"].result()
                    looking[kc] = [submit(look_up, *kc, p) for p in pieces(*kc)]
                    waiting.append(kc)
                for kc in [w for w in waiting if shifts_ready(*w)
                           and all(f.done() for f in looking[w])]:  # fmt: skip
                    waiting.remove(kc)
                    submit_shifts(kc)
                del item, profile
                let_go()
            marching_done = True
            take_over()  # the look-ups
            for kc in waiting:
                submit_shifts(kc)
            take_over()  # the shifted windows
            if out.record is not None:  # the fields from the records, in parts
                cuts = np.linspace(0, a.size, threads + 1).round().astype(int)
                for p, q in itertools.pairwise(cuts[1:]):
                    submit(out.unpack, a, b, eff, slice(int(p), int(q)))
                out.unpack(a, b, eff, slice(0, int(cuts[1])))
                take_over()
    else:
        march = families()
        sort()
        prepare()
        for item in marches():
            if item[0] == "prepared":
                continue
            kc, profile = item
            profiles[kc] = with_peaks(profile)
            if kc[1] is not None:
                for p in pieces(*kc):
                    look_up(*kc, p)
        marching_done = True
        for kc, parts in deferred.items():
            for o in parts:
                shift(*kc, o)
        if out.record is not None:
            out.unpack(a, b, eff)
    out.finish_late()
    return out.fields


#: Rows of a family marched together (a chunk of its pairs): long enough that numpy's
#: per-call cost is small, short enough that a step's working arrays stay in cache.
_MARCH_ROWS = 5000

#: Most sessions looked up in one piece.
_LOOK_UP = 16384

#: Buckets of the start SoC by which the sessions of a march are looked up in order.
_START_BUCKETS = 4096


def charge_sessions(
    vehicles: list[Vehicle],
    chargers: list[Charger],
    vehicle_index,
    charger_index,
    soc_from,
    soc_to,
    *,
    steps: int = 400,
    ambient=None,
    precondition=None,
    threads: int = 1,
) -> charging.ChargeSession:
    """Many charging sessions in one vectorised call.

    Without ``ambient`` each vehicle-charger pair gets one profile from 0 % and a session
    is ``T(b) - T(a)`` on it, at the tables' 25 degC.

    At ambient temperatures a session's time depends on its start SoC and on the pack's
    temperature there, so one profile from 0 % does not serve it (the pack would have
    warmed on the way to ``a``). Each pair is marched instead from a few start SoC
    (:data:`_FAMILY_STARTS`) at several start temperatures (:data:`_MEMBER_CELSIUS`,
    down to well below the coldest arrival), at the lowest and highest ambient of the
    call, as far as the call's sessions reach (chargers whose limits never bind on a
    vehicle share its march). Paths of the pack temperature against SoC do not cross, so
    a session arriving at ``a`` at ``T`` lies between the two members of the last family
    started below ``a`` whose temperatures at ``a`` bracket ``T``: its time is theirs
    from ``a`` to ``b`` mixed in log by where ``T`` lies between them (energies linearly,
    the energy stored, which depends only on the SoC, from one table per vehicle), then
    linearly in ambient; the peak power of the same stretch of the members mixed the same
    way, in log (the plating-safe current falls near-exponentially with temperature). A
    cold (or hot) arrival outside every member of its family at ``a`` takes the same SoC
    span from the starts of that family and the next, at its arrival temperature, its
    time, energies and peak power mixed by where the energy stored in ``a`` to ``b`` lies
    between that of the two spans (a span charged at a constant power takes a time in
    proportion to that energy). A session a member stops short of takes that member's
    answer. Against the single answer (:func:`charge`,
    marched from ``a`` at rest) the duration of random sessions of the shipped vehicles
    and chargers at -30 to 45 degC is within 0.1 % at the median and 1-2 % for nine in
    ten (tests/scenario/test_charge_sessions_thermal.py); the worst, about 12 %, are
    short sessions whose path reaches a voltage ceiling with its polarisation built up,
    as sessions without an ambient differ from a start at rest.

    Parameters
    ----------
    vehicles, chargers : list
        The categorical tables; sessions refer to them by index.
    vehicle_index, charger_index : array_like of int
        Which vehicle and charger each session uses.
    soc_from, soc_to : array_like
        Displayed SoC at start and end [-].
    steps : int
        SoC steps of each vehicle-charger profile (of a profile from 0 %; a family from a
        later start has as many per unit SoC).
    ambient : array_like, optional
        Air temperature of each session [K], broadcast with the indices; the pack
        arrives at it, or warmer after ``precondition``. None: at 25 degC.
    precondition : array_like, optional
        :func:`~nevcalc.scenario.thermal.precondition_code` of each session (none by
        default), with ``ambient``.
    threads : int
        With ``ambient``: one thread marches the families one after the other while the
        others look up the sessions of those already marched.

    Returns
    -------
    nevcalc.model.charging.ChargeSession
        SI arrays of the broadcast shape of the inputs; with ``ambient`` its
        ``thermal_energy`` is the heater's and chiller's electricity (in
        ``energy_from_grid``).
    """
    if ambient is not None:
        vi, ci, a, b, amb, code = np.broadcast_arrays(
            np.asarray(vehicle_index, np.intp), np.asarray(charger_index, np.intp),
            np.asarray(soc_from, float), np.asarray(soc_to, float), np.asarray(ambient, float),
            np.asarray(0.0 if precondition is None else precondition, float),
        )  # fmt: skip
        if not np.all(np.isfinite(amb) & (amb > 0)):
            raise InputError("ambient: temperatures must be finite and above 0 K")
        if not np.all(np.isfinite(code)):
            raise InputError("precondition: codes must be finite (precondition_code)")
        flat = (x.ravel() for x in (vi, ci, a, b, amb, code))
        out = _thermal_sessions(vehicles, chargers, *flat, steps, threads)
        return charging.ChargeSession(*(out[f].reshape(vi.shape)
                                        for f in charging.ChargeSession._fields))  # fmt: skip
    vi, ci, a, b = np.broadcast_arrays(
        np.asarray(vehicle_index, np.intp), np.asarray(charger_index, np.intp), soc_from, soc_to
    )
    key = vi * len(chargers) + ci
    pairs, rows = np.unique(key.ravel(), return_inverse=True)
    profile = charging.charge_profile(
        **_pair_arrays(vehicles, chargers, pairs // len(chargers), pairs % len(chargers)),
        steps=steps,
    )
    return charging.charge_session(profile, rows.reshape(key.shape), a, b)


@dataclass(frozen=True)
class ChargeAnswer:
    """One charging session, explained. Quantities are SI floats.

    When the target is not reached (``feasible`` is False) ``duration`` is
    inf, ``soc_reached`` is where charging really ends (at least
    ``soc_from``), ``charging_time`` and the energies are those up to there,
    and ``reason`` says why in terms of the figures that stop it.
    """

    vehicle: Vehicle
    charger: Charger
    soc_from: float
    soc_to: float
    duration: float  #: [s]; inf when the target is not reached
    energy_to_battery: float  #: [J]
    energy_stored: float  #: [J]
    energy_from_grid: float  #: [J]
    average_power: float  #: [W]
    peak_power: float  #: [W]
    feasible: bool
    reason: str  #: why the target is not reached ("" when it is)
    segments: list[tuple[float, float, str]]  #: (soc_from, soc_to, limit)
    soc: np.ndarray  #: SoC over the session, from soc_from to soc_reached [-]
    power: np.ndarray  #: power into the pack at those SoC [W]
    limit: list[str]  #: binding limit at those SoC
    booster: bool
    soc_reached: float = float("nan")  #: [-] where charging ends (soc_to when feasible)
    charging_time: float = 0.0  #: [s] time charging, to soc_reached
    stop_limit: str = ""  #: the limit that stops it ("" when feasible)
    time: np.ndarray = field(default_factory=lambda: np.zeros(0))  #: [s] at ``soc``
    minutes: float | None = None  #: [s] when asked for km in N minutes
    soc_after: float | None = None  #: [-] after ``minutes``
    range_added: float | None = None  #: [m] in ``minutes``
    distance: float | None = None  #: [m] when asked for the time to add it
    minutes_to_add: float | None = None  #: [s] to add ``distance``
    soc_add: float | None = None  #: [-] SoC at which ``distance`` has been added (may exceed 1)
    add_reason: str = ""  #: why ``distance`` cannot be added ("" when it can)
    assumptions: tuple[str, ...] = field(default_factory=tuple)
    #: how sure ``duration`` is, on a brochure car's DC charge (:mod:`nevcalc.intervals`)
    interval: Interval | None = None
    #: at an ambient temperature: the air [K], the pack over ``soc`` [K], the heater's
    #: warm-up before current flows [s], the thermal-management electricity [J], and the
    #: preconditioning before arrival (time [s], electricity [J], pack temperature [K])
    ambient: float | None = None
    temperature: np.ndarray | None = None
    warmup_time: float = 0.0
    thermal_energy: float = 0.0
    precondition_time: float = 0.0
    precondition_energy: float = 0.0
    arrival_temperature: float | None = None
    #: someone waiting in the car: its cabin set point [K], the climate's electricity
    #: [W] and its energy from the grid over the session [J] (in ``energy_from_grid``)
    cabin: float | None = None
    cabin_power: float = 0.0
    cabin_energy: float = 0.0

    def __repr__(self) -> str:
        return _show.line(self)

    def _repr_html_(self) -> str:
        return _show.html(self)


def given_consumption(vehicle: Vehicle, consumption: float) -> Vehicle:
    """``vehicle`` with a consumption given by the user for its km figures.

    Parameters
    ----------
    vehicle : Vehicle
    consumption : float
        Energy at the battery per distance [J/m].

    Returns
    -------
    Vehicle
        A copy whose ``consumption_cycle`` is ``"given"``.
    """
    return replace(vehicle, consumption=consumption, consumption_cycle="given")


def with_heat_pump(vehicle: Vehicle, heat_pump: bool | None) -> Vehicle:
    """``vehicle`` whose pack is heated by a heat pump, or not (None: as its spec says).

    The heat pump changes the heater's electricity, not its heat: the pack warms as
    fast, and its heating energy is the heat over the pump's COP at the ambient
    instead of the heat itself.

    Parameters
    ----------
    vehicle : Vehicle
    heat_pump : bool or None

    Returns
    -------
    Vehicle

    Examples
    --------
    >>> v = with_heat_pump(load_vehicle("kia-ev6-77"), True)
    >>> v.thermal.heat_pump, v.assumptions[-1]
    (True, 'a heat pump heats the pack (as given)')
    """
    if heat_pump is None or vehicle.thermal is None or vehicle.thermal.heat_pump == heat_pump:
        return vehicle
    said = "a heat pump heats the pack (as given)" if heat_pump else (
        "no heat pump: the pack's heater is resistive (as given)")  # fmt: skip
    return replace(vehicle, thermal=replace(vehicle.thermal, heat_pump=bool(heat_pump)),
                   assumptions=(*vehicle.assumptions, said))  # fmt: skip


def cabin_load(vehicle: Vehicle, ambient: float, cabin: float) -> float:
    """Electricity to hold the cabin at ``cabin`` against the air ``ambient`` while the
    car stands at a charger [W]: the driving climate's cabin
    (:class:`~nevcalc.scenario.road.DrivingClimate`, its fitted conductance and heat pump
    COP), with the vehicle's heat pump where it has one.

    Parameters
    ----------
    vehicle : Vehicle
    ambient, cabin : float
        Air and cabin set point [K].

    Returns
    -------
    float
        [W], >= 0 (0 with the cabin at the air's temperature).

    Examples
    --------
    The Kia EV6 with a heat pump at -10 degC holds 21 degC on less than a resistive
    heater's 100 W/K x 31 K = 3.1 kW; at 21 degC it needs nothing:

    >>> from nevcalc.units import celsius_to_kelvin
    >>> ev6 = with_heat_pump(load_vehicle("kia-ev6-77"), True)
    >>> p = cabin_load(ev6, celsius_to_kelvin(-10.0), celsius_to_kelvin(21.0))
    >>> 1000 < p < 3000
    True
    >>> cabin_load(ev6, celsius_to_kelvin(21.0), celsius_to_kelvin(21.0))
    0.0
    """
    pump = vehicle.thermal is not None and vehicle.thermal.heat_pump
    climate = DrivingClimate(ambient=float(ambient), cabin=float(cabin), heat_pump=pump)
    return max(float(climate.loads()["power"]), 0.0)


def with_cabin_load(vehicle: Vehicle, charger: Charger, power: float):
    """The vehicle and charger as the pack sees them while the charger also supplies a
    steady load of ``power`` [W] (the cabin's climate).

    The load comes off the supply's limits, not the pack's: a DC charger's output power
    and current (the current at the pack's voltage at 50 % SoC), an AC charge point's
    and the on-board charger's power (drawn through its losses); the BMS and cell limits
    stay the pack's own.

    Parameters
    ----------
    vehicle : Vehicle
    charger : Charger
    power : float
        [W], >= 0.

    Returns
    -------
    tuple of (Vehicle, Charger)

    Raises
    ------
    InputError
        When the load takes all the supply can give: nothing would be left for the pack.

    Examples
    --------
    >>> v, c = with_cabin_load(load_vehicle("kia-ev6-77"), load_charger("ionity-350"), 2e3)
    >>> c.max_power
    348000.0
    """
    if power <= 0:
        return vehicle, charger
    if charger.current_type == "ac":
        eff = charger.efficiency
        supply = min(charger.max_power, vehicle.onboard_charger_power) * eff
        if power >= supply:
            raise InputError(
                f"cabin: holding the cabin takes {figure_text(quantity(power, 'kW'))}, all "
                f"that {charger.title} gives the car ({figure_text(quantity(supply, 'kW'))}); "
                "nothing is left to charge the pack: choose a larger charger or no --cabin"
            )
        return (replace(vehicle, onboard_charger_power=vehicle.onboard_charger_power
                        - power / eff),
                replace(charger, max_power=charger.max_power - power / eff))  # fmt: skip
    volts = float(vehicle.pack_voltage(0.5))
    current = charger.max_current - power / volts
    if power >= charger.max_power or current <= 0:
        raise InputError(
            f"cabin: holding the cabin takes {figure_text(quantity(power, 'kW'))}, all that "
            f"{charger.title} gives; nothing is left to charge the pack: choose a larger "
            "charger or no --cabin"
        )
    return vehicle, replace(charger, max_power=charger.max_power - power, max_current=current)


def _cabin_text(cabin, ambient, power, vehicle) -> str:
    """The assumption line of a cabin held while charging."""
    pump = vehicle.thermal is not None and vehicle.thermal.heat_pump
    return (
        f"cabin held at {from_si(cabin, 'degC'):.0f} degC in {from_si(ambient, 'degC'):.0f}"
        f" degC air while charging: {from_si(power, 'kW'):.2f} kW "
        f"({'heat pump' if pump else 'resistive heater'}; the driving climate's cabin), "
        "taken from the charger's limits and added to the grid energy"
    )


def _volts(x: float, ref: float) -> str:
    """Voltage text precise enough to differ from ``ref`` when the two differ."""
    for digits in (0, 1, 2):
        if f"{x:.{digits}f}" != f"{ref:.{digits}f}" or x == ref:
            return f"{x:.{digits}f} V"
    return f"{x:.3f} V"


def _stop_reason(v: Vehicle, c: Charger, code: int, soc_from: float, end: float,
                 soc_min: float) -> str:  # fmt: skip
    """Why a session ends at ``end`` short of its target, in terms of the figures that stop it.

    Each message states the condition the model tested for ``code`` (see
    :data:`nevcalc.model.charging.LIMIT_NAMES`), with the numbers behind it.
    """
    name = charging.LIMIT_NAMES[code] if 0 <= code < len(charging.LIMIT_NAMES) else "unknown"
    started = end > soc_from
    where = (
        f"charging stops at {_pct(end)}"
        if started
        else f"charging cannot start at {_pct(soc_from)}"
    )
    no_booster = "and the vehicle has no DC booster"
    if name == "charger min voltage":
        v_a = float(v.pack_voltage(soc_from))
        text = (
            f"{where}: the pack is at {_volts(v_a, c.min_voltage)}, below {c.name}'s lowest "
            f"output {c.min_voltage:.0f} V"
        )
        if soc_min <= 1.0:
            return f"{text}; it can start from {_pct(soc_min)}"
        return f"{text}, and stays below it up to 100 % ({float(v.pack_voltage(1.0)):.0f} V)"
    if name == "charger voltage":
        v_full = float(v.pack_voltage(1.0))
        if not started:
            v_a = float(v.pack_voltage(soc_from))
            if v_a >= c.max_voltage:
                return (
                    f"{where}: the pack is at {_volts(v_a, c.max_voltage)}, above {c.name}'s "
                    f"highest output {c.max_voltage:.0f} V, {no_booster}"
                )
            return (
                f"{where}: the pack at {_volts(v_a, c.max_voltage)} is too close to {c.name}'s "
                f"highest output {c.max_voltage:.0f} V to take the C/20 end-of-charge current, "
                f"{no_booster}"
            )
        v_end = float(v.pack_voltage(end))
        return (
            f"{where}: the pack's charging voltage reaches {c.name}'s highest output "
            f"{c.max_voltage:.0f} V (open-circuit {v_end:.0f} V there, {v_full:.0f} V at 100 %) "
            f"{no_booster}"
        )
    if name == "cold cell":
        return (
            f"{where}: the cells are too cold to take any current (the plating-safe limit) and "
            "the battery heater cannot warm them against the cold air"
        )
    if name == "CV":
        cutoff = v.capacity / CUTOFF_TIME
        return (
            f"{where}: at the cell's {v.cell_voltage_max:.3g} V limit the current falls below "
            f"the C/20 end-of-charge current ({cutoff:.3g} A)"
        )
    return f"{where}: the {name} limit allows no current there"


def _check_vehicle(v: Vehicle) -> None:
    """Refuse a vehicle whose figures cannot give physical km and SoC figures."""
    for what, x in (("usable energy", v.usable_energy), ("consumption", v.consumption),
                    ("capacity", v.capacity)):  # fmt: skip
        if not (np.isfinite(x) and x > 0):
            raise InputError(f"vehicle {v.name}: {what} must be a positive number, got {x!r}")
    if not v.cell_soc_low < v.cell_soc_high:
        raise InputError(
            f"vehicle {v.name}: cell SoC window {v.cell_soc_low:.4g}-{v.cell_soc_high:.4g} is "
            "empty; usable_soc_min must be below usable_soc_max in its chemistry"
        )


def _session_curve(profile, a: float, end: float):
    """SoC, power, binding limit and time since ``a`` from ``a`` to ``end`` on the profile.

    The ends are exact (interpolated), so the time at ``end`` is the session's time.
    """
    grid = profile.soc[0]
    t_row = profile.time[0]
    inner = (grid > a) & (grid < end)
    soc = np.concatenate([[a], grid[inner], [end]]) if end > a else np.array([a])
    ok = np.isfinite(t_row)
    t = np.interp(soc, grid[ok], t_row[ok])
    power = np.interp(soc, grid, profile.power[0])
    if end > a:  # the stop point itself: the power just before it stops
        power[-1] = np.interp(end, grid[ok], profile.power[0][ok])
    steps = grid.size - 1
    x = (soc - profile.soc_start[0]) / (1.0 - profile.soc_start[0]) * steps
    idx = np.clip(np.rint(x).astype(int), 0, steps)
    limit = [charging.LIMIT_NAMES[c] for c in profile.limit[0][idx]]
    return soc, power, limit, t - t[0]


def thermal_inputs(vehicle: Vehicle, ambient: float, precondition) -> tuple[PackThermal, Arrival]:
    """The charging march's thermal inputs for a vehicle reaching a charger.

    Parameters
    ----------
    vehicle : Vehicle
    ambient : float
        Air temperature [K].
    precondition : str or float
        ``"none"``, ``"on-arrival"`` or a heating time [s].
    """
    hw = vehicle.thermal
    if hw is None:
        raise InputError(f"vehicle {vehicle.name}: no thermal figures for a charge at an ambient")
    arrival = arrival_state(hw, ambient, precondition)
    total = vehicle.resistance + vehicle.polarization_resistance
    return pack_thermal(hw, ambient, arrival.temperature, total), arrival


def charge(
    vehicle: Vehicle,
    charger: Charger | None = None,
    soc_from=0.10,
    soc_to=0.80,
    *,
    minutes=None,
    add_distance=None,
    steps: int = 400,
    ambient: float | None = None,
    precondition="none",
    cabin: float | None = None,
) -> ChargeAnswer:
    """Charge one vehicle on one charger and explain the session.

    Parameters
    ----------
    vehicle : Vehicle
    charger : Charger, optional
        None for a charger that sets no limit.
    soc_from, soc_to : str, pint.Quantity or float
        Displayed SoC at start and end [-, or text such as ``"10 %"``].
    minutes : optional
        Also report the km added in this charging time [min if a bare number].
    add_distance : optional
        Also report the time to add this distance [km if a bare number].
    steps : int
        SoC steps of the profile.
    ambient : float, optional
        Air temperature [K]: the pack temperature is marched from its state on arrival
        (:mod:`nevcalc.scenario.thermal`). None: a pack at the 25 degC of the tables.
    precondition : str or float
        ``"none"``, ``"on-arrival"`` or a heating time [s] before arrival.
    cabin : float, optional
        With ``ambient``: someone waits in the car with its cabin held at this set point
        [K]; the charger supplies the cabin's climate (:func:`cabin_load`) beside the pack
        (:func:`with_cabin_load`). None: the cabin is off.

    Returns
    -------
    ChargeAnswer
    """
    charger = charger or no_charger()
    _check_vehicle(vehicle)
    shown_vehicle, shown_charger, cabin_power = vehicle, charger, 0.0
    if cabin is not None:
        if ambient is None:
            raise InputError("cabin: a cabin set point needs an ambient temperature (the air "
                             "the cabin is held against); give --ambient")  # fmt: skip
        cabin_power = cabin_load(vehicle, ambient, cabin)
        vehicle, charger = with_cabin_load(vehicle, charger, cabin_power)
    a = parse("soc_from", soc_from, "from")
    b = parse("soc_to", soc_to, "to")
    if b == a:
        raise InputError(
            f"to: the target SoC {_pct(b)} equals the start: nothing to charge; give --to above "
            "--from"
        )
    if b < a:
        raise InputError(
            f"to: the target SoC {_pct(b)} must be above the start {_pct(a)}; swap --from and --to"
        )
    arrays = _pair_arrays([vehicle], [charger], [0], [0])
    thermal, arrival = None, None
    if ambient is not None:  # the march starts at the session's start, at the arrival state
        thermal, arrival = thermal_inputs(vehicle, ambient, precondition)
        arrays["soc_start"] = np.array([a])
    profile = charging.charge_profile(**arrays, steps=steps, thermal=thermal)
    s = charging.charge_session(profile, 0, a, b)
    feasible = bool(s.feasible)
    code = int(s.stop_limit)
    end = float(s.stop_soc)
    soc_min = float(profile.soc_min[0])
    reason = "" if feasible else _stop_reason(vehicle, charger, code, a, end, soc_min)
    segs = [
        (lo, hi, charging.LIMIT_NAMES[c])
        for lo, hi, c in (charging.binding_segments(profile, 0, a, end) if end > a else [])
    ]
    soc, power, limits, times = _session_curve(profile, a, end)
    assumptions = [*vehicle.assumptions, *charger.assumptions]
    if thermal is not None:
        extra_thermal = _thermal_answer(vehicle, profile, soc, times, arrival, ambient, s)
        times = extra_thermal.pop("time")
        assumptions += [t for t in (arrival.text, *vehicle.thermal.assumptions) if t]
    else:
        extra_thermal = {}
    extra: dict[str, Any] = {}
    if minutes is not None:
        t = parse("minutes", minutes)
        s_after = float(charging.soc_after_time(profile, 0, a, t))
        extra.update(
            minutes=t,
            soc_after=s_after,
            range_added=max(s_after - a, 0.0) * vehicle.usable_energy / vehicle.consumption,
        )
    if add_distance is not None:
        extra.update(_time_to_add(vehicle, charger, profile, a, add_distance, soc_min))
    if minutes is not None or add_distance is not None:
        assumptions.append(
            "km from the vehicle's consumption "
            f"{format_si(vehicle.consumption, 'kWh/(100 km)', '.1f', _PER_100_KM)} "
            f"({vehicle.consumption_cycle or 'cycle not stated'})"
        )
    interval = None
    if vehicle.brochure and charger.current_type == "dc" and feasible:
        estimated = any(e.field == "max_charge_power" for e in vehicle.estimates)
        interval = brochure_charging.charge_interval(float(s.duration), estimated)
        if interval is not None:
            low, high = (format_si(x, "min", ".0f") for x in (interval.low, interval.high))
            assumptions.append(
                f"charge time {interval.level:.0%} interval {low}-{high}: {interval.basis}"
            )
    cabin_energy = 0.0
    if cabin is not None:
        # the cabin is held from arrival to the end of charging, through the charger
        held = float(s.charging_time) + float(extra_thermal.get("warmup_time", 0.0))
        cabin_energy = cabin_power * held / charger.efficiency
        assumptions.append(_cabin_text(cabin, ambient, cabin_power, vehicle))
    return ChargeAnswer(
        vehicle=shown_vehicle,
        charger=shown_charger,
        soc_from=a,
        soc_to=b,
        duration=float(s.duration),
        energy_to_battery=float(s.energy_to_battery),
        energy_stored=float(s.energy_stored),
        energy_from_grid=float(s.energy_from_grid) + cabin_energy,
        average_power=float(s.average_power),
        peak_power=float(s.peak_power),
        feasible=feasible,
        reason=reason,
        segments=segs,
        soc=soc,
        power=power,
        limit=limits,
        booster=bool(profile.booster[0]),
        soc_reached=end,
        charging_time=float(s.charging_time),
        stop_limit="" if feasible else charging.LIMIT_NAMES[code],
        time=times,
        assumptions=tuple(dict.fromkeys(assumptions)),
        interval=interval,
        cabin=cabin,
        cabin_power=cabin_power,
        cabin_energy=cabin_energy,
        **extra,
        **extra_thermal,
    )


def _thermal_answer(vehicle, profile, soc, times, arrival, ambient, s) -> dict[str, Any]:
    """The thermal figures of a session at an ambient, for :class:`ChargeAnswer`."""
    temp = np.interp(soc, profile.soc[0], profile.temperature[0])
    warm = float(profile.warmup_time[0])
    return dict(
        ambient=float(ambient),
        temperature=temp,
        time=times + (warm if np.isfinite(warm) else 0.0),
        warmup_time=warm,
        thermal_energy=float(s.thermal_energy),
        precondition_time=arrival.time,
        precondition_energy=arrival.energy,
        arrival_temperature=arrival.temperature,
    )


def _time_to_add(vehicle, charger, profile, a, add_distance, soc_min) -> dict[str, Any]:
    """Time to add a distance from ``a``; inf with the reason when it cannot be added."""
    d = parse("add_distance", add_distance, "add")
    target = a + d * vehicle.consumption / vehicle.usable_energy
    if target > 1.0:
        need = format_si(d * vehicle.consumption, "kWh", ".1f")
        room = format_si((1.0 - a) * vehicle.usable_energy, "kWh", ".1f")
        return dict(
            distance=d,
            minutes_to_add=float("inf"),
            soc_add=target,
            add_reason=f"{format_si(d, 'km', '.0f')} need {need} but only {room} fit "
            f"above {_pct(a)}",
        )
    s = charging.charge_session(profile, 0, a, target)
    if bool(s.feasible):
        return dict(distance=d, minutes_to_add=float(s.duration), soc_add=target)
    reason = _stop_reason(vehicle, charger, int(s.stop_limit), a, float(s.stop_soc), soc_min)
    return dict(distance=d, minutes_to_add=float("inf"), soc_add=target, add_reason=reason)


def with_charger_power(charger: Charger, power: float) -> Charger:
    """A copy of ``charger`` with another power limit [W]."""
    return replace(charger, max_power=float(power))


def cell_cc_cv(chemistry: Spec, current, soc_from, soc_to, *, ambient=None, cutoff_current=None,
               steps=800):  # fmt: skip
    """Charge one cell of ``chemistry`` at constant current, then constant voltage.

    The cell starts at rest at ``soc_from`` (of the chemistry's SoC window
    between its voltage cut-offs), charges at ``current`` until it reaches
    ``cell_voltage_max``, then holds that voltage; the answer is the time at
    which ``soc_to`` is reached. The cell is held at one temperature: its
    resistances are those at ``ambient``, and where the chemistry gives its
    electrodes' charge-transfer resistances that part of R0 is Butler-Volmer
    (its overpotential grows as ``asinh`` of the current, less than linearly).

    Parameters
    ----------
    chemistry : Spec
        Chemistry spec; its reference cell is the one charged.
    current : str, pint.Quantity or float
        CC current [A if a bare number].
    soc_from, soc_to : float or str
        SoC window [-].
    ambient : str, pint.Quantity or float, optional
        Cell temperature [K if a bare number]; 25 degC by default.
    cutoff_current : optional
        CV ends below this current [A]; C/20 of the cell capacity by default.
    steps : int
        SoC steps.

    Returns
    -------
    float
        Time [s]; inf when the cut-off comes first.
    """
    a, b = parse("soc_from", soc_from), parse("soc_to", soc_to)
    i = parse("current", current)
    q = chemistry["cell_capacity"]
    cutoff = q / CUTOFF_TIME if cutoff_current is None else parse("cutoff_current", cutoff_current)
    electrodes = ("negative", "positive")
    transfer = any(chemistry.get(f"charge_transfer_resistance_{e}") for e in electrodes)
    if ambient is not None or transfer:  # at that temperature: no heat capacity is warmed
        temp = REFERENCE_TEMPERATURE if ambient is None else parse("ambient", ambient)
        t, _ = cell_cc_cv_thermal(chemistry, i, a, b, ambient=temp, heat_capacity=np.inf,
                                  ua=0.0, cutoff_current=cutoff, steps=steps)  # fmt: skip
        return t
    flat = np.full(GRID_POINTS, np.inf)
    profile = charging.charge_profile(
        _table(chemistry["ocv"]), 1.0, q, chemistry["cell_resistance"], np.inf, i, np.inf,
        polarization_resistance=chemistry.get("cell_polarization_resistance", 0.0),
        time_constant=chemistry.get("cell_polarization_time_constant", 60.0),
        diffusion_time=chemistry.get("diffusion_time", 0.0),
        cell_voltage_max=chemistry["cell_voltage_max"], c_rate=flat, vehicle_power=flat,
        soc_start=a, cutoff_current=cutoff, steps=steps,
    )  # fmt: skip
    return float(charging.charge_session(profile, 0, a, b).duration)


def cell_cc_cv_thermal(chemistry: Spec, current, soc_from, soc_to, *, ambient, heat_capacity,
                       ua, cutoff_current=None, steps=400):  # fmt: skip
    """A CC-CV charge of a chemistry's reference cell whose temperature is marched.

    The cell starts at ``ambient`` and exchanges heat with it through ``ua``; its
    resistances follow the chemistry's temperature fields (Arrhenius share, and the
    Butler-Volmer charge transfer where given). No thermal management.

    Parameters
    ----------
    chemistry : Spec
    current : float
        CC current [A].
    soc_from, soc_to : float
        [-].
    ambient : float
        [K].
    heat_capacity : float
        Cell heat capacity [J K^-1].
    ua : float
        Cell conductance to ambient [W K^-1].
    cutoff_current : float, optional
        [A]; C/20 of the cell capacity by default.
    steps : int
        SoC steps from ``soc_from`` to 100 %.

    Returns
    -------
    duration : float
        [s]; inf when the cut-off comes first.
    temperature : float
        Cell temperature at ``soc_to`` [K].
    """
    profile = _cell_thermal_profile(chemistry, current, soc_from, ambient, heat_capacity, ua,
                                    cutoff_current, steps)  # fmt: skip
    s = charging.charge_session(profile, 0, soc_from, soc_to)
    temp = float(np.interp(soc_to, profile.soc[0], profile.temperature[0]))
    return float(s.duration), temp


def _cell_thermal_profile(chemistry, current, soc_from, ambient, heat_capacity, ua,
                          cutoff_current, steps) -> charging.ChargeProfile:  # fmt: skip
    """The march of :func:`cell_cc_cv_thermal` (its temperature and time on the SoC grid)."""
    q = chemistry["cell_capacity"]
    cutoff = q / CUTOFF_TIME if cutoff_current is None else cutoff_current
    flat = np.full(GRID_POINTS, np.inf)
    hw = replace(pack_hardware(chemistry, 1.0, pack_mass=1.0), heat_capacity=float(heat_capacity),
                 ua=float(ua), heating_power=0.0, cooling_power=0.0, window_low=0.0,
                 window_high=np.inf)  # fmt: skip
    r0, r1 = chemistry["cell_resistance"], chemistry.get("cell_polarization_resistance", 0.0)
    thermal = pack_thermal(hw, ambient, ambient, r0 + r1)
    profile = charging.charge_profile(
        _table(chemistry["ocv"]), 1.0, q, r0, np.inf, float(current), np.inf,
        polarization_resistance=r1,
        time_constant=chemistry.get("cell_polarization_time_constant", 60.0),
        diffusion_time=chemistry.get("diffusion_time", 0.0),
        cell_voltage_max=chemistry["cell_voltage_max"], c_rate=flat, vehicle_power=flat,
        soc_start=soc_from, cutoff_current=cutoff, steps=steps, thermal=thermal,
    )  # fmt: skip
    return profile
