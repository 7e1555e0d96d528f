"""A vehicle's battery thermal hardware, and the pack's state when it reaches a charger.

What the charging march needs to carry the pack temperature
(:class:`nevcalc.model.charging.PackThermal`) comes from three places:

* the **chemistry spec**: the cells' specific heat capacity, the activation
  energy of their resistance, and their lithium-plating-safe charge rate against
  temperature: a chemistry's own ``charge_c_rate_temperature`` table (the factor on
  its C-rate table against cell temperature, from cell datasheets; interpolated
  linearly, held at its ends, and falling above ``charge_temperature_max`` as
  below) where it gives one; else the C-rate table holds from
  ``full_rate_temperature`` up to
  ``charge_temperature_max``; below, the safe current falls with the graphite
  anode's exchange current, ``exp(-Ea / R (1/T - 1/T_full))`` with Ea
  ``plating_activation_energy`` (plating starts when the anode's overpotential
  takes it below 0 V against lithium; at a given overpotential the current
  scales with the exchange current); above the maximum it falls linearly to
  zero over 10 K;
* the **vehicle spec**: heater and chiller power, conductance to ambient, the
  window the thermal-management system holds while charging, the
  preconditioning target and lead time, a heat pump;
* stated defaults where a spec gives none, each listed in the answer's
  assumptions with its source.

Preconditioning heats a pack colder than its target; it cools a pack only where the
heat lowers the cells' rate (above the warmest temperature of full rate), so it never
lengthens the time at the charger.

Preconditioning (:func:`arrival_state`) heats (or cools) the pack before it
reaches the charger: ``none`` (the pack arrives at ambient: parked long enough
to soak, the coldest case), ``on-arrival`` (the navigation heats the pack for the
``precondition_lead_time`` before arrival, 30 min by default: the heater's power into
the pack's heat capacity decides how far it gets; at -25 degC a 5 kW heater does not
bring a 75 kWh pack to 25 degC in that time) or a number of minutes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from nevcalc.errors import InputError
from nevcalc.io import read_model_data
from nevcalc.model.charging import PackThermal
from nevcalc.model.thermal import (
    ZERO_CELSIUS,
    c_rate_factor,
    heat_pump_cop,
    lumped_temperature,
    resistance_factor,
)
from nevcalc.params import parse
from nevcalc.specs.model import Spec
from nevcalc.units import from_si

__all__ = [
    "DEFAULTS",
    "TEMPERATURE_NODES",
    "Arrival",
    "PackHardware",
    "arrival_state",
    "pack_hardware",
    "pack_thermal",
    "parse_precondition",
    "precondition_code",
    "precondition_mode",
]

#: Cell temperatures the C-rate factor is tabulated at: -40 to 70 degC by 5 K [K].
TEMPERATURE_NODES = ZERO_CELSIUS + np.arange(-40.0, 70.1, 5.0)

#: Defaults for what a spec leaves out: (SI value, one line with its source).
DEFAULTS: dict[str, tuple[float, str]] = {
    "specific_heat_capacity": (
        1040.0,
        "cells' specific heat 1040 J/(kg K) (NMC cell, batterydesign.net summary; "
        "thermal_figures TF-033)",
    ),
    "resistance_activation_energy": (
        35000.0,
        "resistance activation energy 35 kJ/mol (graphite exchange current, Chen et al. 2020; "
        "TF-004)",
    ),
    "resistance_fixed_share": (
        0.0,
        "all of the cells' resistance rises in the cold by its activation energy",
    ),
    "plating_activation_energy": (
        35000.0,
        "plating-safe current falls with the graphite exchange current, 35 kJ/mol "
        "(Chen et al. 2020; TF-004)",
    ),
    "full_rate_temperature": (
        ZERO_CELSIUS + 20.0,
        "full charge rate from 20 degC cell temperature (median of the makers' figures: "
        "Ioniq 5 18, VW MEB 20 and 25, Taycan 15 and 35 degC; TF-089, TF-090, TF-099, "
        "TF-103, TF-104)",
    ),
    "charge_temperature_max": (
        ZERO_CELSIUS + 45.0,
        "full charge rate up to 45 degC (cell datasheets' charge range 0-45 degC; TF-065)",
    ),
    "battery_heater_power": (
        3000.0,
        "battery heater 3 kW into the pack (a PTC coolant heater of 3 kW, TF-050; the Kona "
        "Electric's heater warms its pack about 1 K per 2 min, TF-083; chosen over 2, 5 and "
        "7 kW on the calibration cold sessions, tests/reference/fit_cold_charging.py)",
    ),
    "battery_cooling_power": (
        6000.0,
        "battery chiller 6 kW (a 60 kWh pack's heat at 2C; TF-059)",
    ),
    "battery_thermal_conductance": (
        10.0,
        "pack-to-air conductance 10 W/K (an insulated pack cools to ambient over about a day)",
    ),
    "battery_window_low": (
        ZERO_CELSIUS + 25.0,
        "the pack is heated below 25 degC while fast charging (Hyundai conditioning target "
        "about 25 degC; TF-068)",
    ),
    "battery_window_high": (
        ZERO_CELSIUS + 35.0,
        "the pack is cooled above 35 degC",
    ),
    "precondition_target": (
        ZERO_CELSIUS + 25.0,
        "preconditioning heats the pack to 25 degC (TF-068)",
    ),
    "precondition_lead_time": (
        1800.0,
        "on-arrival preconditioning heats for the last 30 min before the charger (the "
        "navigation starts warming the battery about 30 min before the selected charger, "
        "Renault, TF-072; Hyundai's conditioning takes about 20 min, TF-068)",
    ),
}
#: Chiller COP (heat removed over electricity) [-]: an automotive refrigerant loop.
_CHILLER_COP = 2.5


@dataclass(frozen=True)
class PackHardware:
    """A pack's thermal figures in SI floats, and where each came from."""

    heat_capacity: float  #: [J K^-1]
    ua: float  #: [W K^-1]
    heating_power: float  #: [W]
    cooling_power: float  #: [W]
    window_low: float  #: [K]
    window_high: float  #: [K]
    precondition_target: float  #: [K]
    #: how long before arrival ``on-arrival`` preconditioning starts [s]
    precondition_lead_time: float
    heat_pump: bool
    c_rate_factor: np.ndarray  #: on TEMPERATURE_NODES [-]
    resistance_factor: np.ndarray  #: on TEMPERATURE_NODES [-], 1 at 25 degC
    #: Butler-Volmer charge transfer: shares of R0 + R1 at 25 degC [-] and activation
    #: energies [J mol^-1] of the negative and positive electrodes
    transfer_share: tuple[float, float] = (0.0, 0.0)
    transfer_activation_energy: tuple[float, float] = (0.0, 0.0)
    assumptions: tuple[str, ...] = ()


def _figure(name, *specs):
    for spec in specs:
        if spec is not None and spec.get(name) is not None:
            return float(spec[name]), ""
    value, text = DEFAULTS[name]
    return value, text


def pack_hardware(chemistry: Spec, usable_energy: float, vehicle: Spec | None = None,
                  pack_mass: float | None = None) -> PackHardware:  # fmt: skip
    """The thermal figures of a pack from its chemistry and vehicle specs.

    Parameters
    ----------
    chemistry : Spec
    usable_energy : float
        [J].
    vehicle : Spec, optional
        Its thermal fields where it gives them.
    pack_mass : float, optional
        [kg]; else the vehicle's ``pack_mass``, else the energy over the chemistry's
        ``pack_specific_energy``.

    Returns
    -------
    PackHardware
    """
    notes: list[str] = []

    def take(name, *specs):
        value, text = _figure(name, *specs)
        if text:
            notes.append(text)
        return value

    if pack_mass is None and vehicle is not None:
        pack_mass = vehicle.get("pack_mass")
    if pack_mass is None:
        per_kg = chemistry.get("pack_specific_energy") or 0.8 * chemistry["cell_specific_energy"]
        pack_mass = usable_energy / per_kg
        notes.append(f"pack mass {pack_mass:.0f} kg from {chemistry.name}'s specific energy")
    cp = take("specific_heat_capacity", chemistry)
    lo = take("battery_window_low", vehicle)
    hi = max(take("battery_window_high", vehicle), lo)
    table = chemistry.get("charge_c_rate_temperature")
    if table is not None:  # the chemistry's own table, held at its ends; hot as below
        t_max = take("charge_temperature_max", chemistry)
        factor = np.interp(TEMPERATURE_NODES, table.soc, table.value) * c_rate_factor(
            TEMPERATURE_NODES, 0.0, ZERO_CELSIUS - 100.0, t_max)  # fmt: skip
    else:
        factor = c_rate_factor(
            TEMPERATURE_NODES,
            take("plating_activation_energy", chemistry),
            take("full_rate_temperature", chemistry),
            take("charge_temperature_max", chemistry),
        )
    heat_pump = vehicle is not None and str(vehicle.get("heat_pump", "no")) == "yes"
    # the electrodes' charge-transfer resistances of one cell as shares of its R0 + R1, so
    # that they scale with the pack's resistance as R0 does
    cell_r = chemistry["cell_resistance"] + chemistry.get("cell_polarization_resistance", 0.0)
    shares = tuple(float(chemistry.get(f"charge_transfer_resistance_{e}", 0.0)) / cell_r
                   for e in ("negative", "positive"))  # fmt: skip
    energies = tuple(float(chemistry.get(f"charge_transfer_activation_{e}", 0.0))
                     for e in ("negative", "positive"))  # fmt: skip
    return PackHardware(
        heat_capacity=float(pack_mass * cp),
        ua=take("battery_thermal_conductance", vehicle),
        heating_power=take("battery_heater_power", vehicle),
        cooling_power=take("battery_cooling_power", vehicle),
        window_low=lo,
        window_high=hi,
        precondition_target=take("precondition_target", vehicle),
        precondition_lead_time=take("precondition_lead_time", vehicle),
        heat_pump=heat_pump,
        c_rate_factor=factor,
        resistance_factor=resistance_factor(
            TEMPERATURE_NODES,
            take("resistance_activation_energy", chemistry),
            take("resistance_fixed_share", chemistry),
        ),
        transfer_share=shares,
        transfer_activation_energy=energies,
        assumptions=tuple(notes),
    )


def parse_precondition(text) -> float | str:
    """``none``, ``on-arrival`` or a time (``20min``, ``20``: minutes) -> mode or seconds.

    Raises
    ------
    ValueError
        With a one-line message naming what is accepted.
    """
    t = str(text).strip().lower()
    if t in ("none", "no", "off", "0"):
        return "none"
    if t in ("on-arrival", "arrival", "on arrival"):
        return "on-arrival"
    try:
        seconds = parse("precondition_time", t, "--precondition")
    except InputError as exc:
        raise ValueError(f"{exc} (or none, on-arrival)") from None
    return "none" if seconds == 0 else float(seconds)


def precondition_code(mode: float | str) -> float:
    """A preconditioning mode as a float for arrays: 0 none, -1 on arrival, else its time
    [s]."""
    if mode == "none":
        return 0.0
    if mode == "on-arrival":
        return -1.0
    return float(mode)


def precondition_mode(code: float) -> float | str:
    """The mode of :func:`precondition_code`."""
    return "none" if code == 0.0 else "on-arrival" if code < 0 else float(code)


@dataclass(frozen=True)
class Arrival:
    """The pack when it reaches the charger, and what preconditioning took."""

    temperature: float  #: [K]
    time: float  #: preconditioning time [s]
    energy: float  #: its electricity [J]
    text: str  #: one line for the answer


@lru_cache(maxsize=1)
def _heat_pump() -> dict:
    """The car's heat pump, the same machine that heats the cabin: its Carnot fraction,
    supply above the temperature it heats to [K] and cap [-], fitted on measured EV heat
    pumps (``specs/data/driving_climate.toml``, tests/reference/fit_heat_pump_cop.py)."""
    return read_model_data("driving_climate")["cabin"]


def _heating_cop(hw: PackHardware, ambient: float) -> float:
    if not hw.heat_pump:
        return 1.0
    d = _heat_pump()
    cop = heat_pump_cop(ambient, hw.precondition_target + d["heat_pump_supply_offset"],
                        d["heat_pump_fraction"], d["heat_pump_cop_max"])  # fmt: skip
    return float(max(cop, 1.0))


def arrival_state(hw: PackHardware, ambient: float, precondition: float | str) -> Arrival:
    """Pack temperature at the charger after ``precondition`` from ``ambient``.

    Parameters
    ----------
    hw : PackHardware
    ambient : float
        [K]; the pack has soaked at it.
    precondition : float or str
        ``"none"``, ``"on-arrival"`` or a time [s] the system heats (or cools) for.

    Returns
    -------
    Arrival
    """
    if ambient < hw.precondition_target:
        target = hw.precondition_target
    else:  # cooled only where the heat lowers the cells' rate: to the warmest full rate
        full = TEMPERATURE_NODES[hw.c_rate_factor >= 1.0]
        target = float(full.max()) if full.size and ambient > full.max() else ambient
    if precondition == "none" or target == ambient:
        return Arrival(ambient, 0.0, 0.0, "")
    heating = ambient < target
    power = hw.heating_power if heating else -hw.cooling_power
    if power == 0.0:
        return Arrival(
            ambient, 0.0, 0.0, "no battery heater: preconditioning cannot warm the pack"
        )
    c, ua = hw.heat_capacity, hw.ua
    t_eq = ambient + power / ua if ua > 0 else (math.inf if heating else -math.inf)
    reachable = (t_eq > target) if heating else (t_eq < target)
    if reachable:
        need = (-(c / ua) * math.log((t_eq - target) / (t_eq - ambient)) if ua > 0
                else c * (target - ambient) / power)  # fmt: skip
    else:
        need = math.inf
    lead = hw.precondition_lead_time
    limit = lead if precondition == "on-arrival" else float(precondition)
    time = min(need, limit)
    temp = float(lumped_temperature(ambient, power, ambient, c, ua, time))
    temp = min(temp, target) if heating else max(temp, target)
    cop = _heating_cop(hw, ambient) if heating else _CHILLER_COP
    energy = abs(power) * time / cop
    how = "heated" if heating else "cooled"
    text = (
        f"preconditioning: the pack {how} from {from_si(ambient, 'degC'):.0f} to "
        f"{from_si(temp, 'degC'):.0f} degC in {from_si(time, 'min'):.0f} min "
        f"({from_si(energy, 'kWh'):.2f} kWh)"
    )
    if precondition == "on-arrival" and need > limit:
        text += (
            f"; the {from_si(target, 'degC'):.0f} degC target is not reached within the "
            f"{from_si(lead, 'min'):.0f} min the navigation heats before arrival"
        )
    return Arrival(temp, time, energy, text)


def pack_thermal(hw: PackHardware, ambient: float, temperature: float,
                 total_resistance: float = 0.0) -> PackThermal:  # fmt: skip
    """The march's thermal inputs for one pack at one ambient and start temperature.

    ``total_resistance`` is the pack's R0 + R1 at 25 degC [ohm], the base of the
    charge-transfer shares (none without it).
    """
    return PackThermal(
        ambient=ambient,
        temperature=temperature,
        heat_capacity=hw.heat_capacity,
        ua=hw.ua,
        heating_power=hw.heating_power,
        cooling_power=hw.cooling_power,
        window_low=hw.window_low,
        window_high=hw.window_high,
        heating_cop=_heating_cop(hw, ambient),
        cooling_cop=_CHILLER_COP,
        temperature_nodes=TEMPERATURE_NODES,
        c_rate_factor=hw.c_rate_factor,
        resistance_factor=hw.resistance_factor,
        transfer_resistance=tuple(x * total_resistance for x in hw.transfer_share),
        transfer_activation_energy=hw.transfer_activation_energy,
    )
