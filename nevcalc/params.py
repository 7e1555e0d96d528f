"""The parameters of the commands and of the Python calls that take text, in one table.

Every command option and every text argument of the Python API is read by
:func:`parse`, once: the text goes through :func:`nevcalc.units.to_si`
(syntax, length and dimension checked), and the value is bounded. A
parameter that stands for a spec field takes that field's unit and bounds
from :mod:`nevcalc.specs.schema` (one source of truth); the others are
declared in :data:`PARAMETERS` below. Each command's ``--help`` shows the
range of each of its options from this table.

Conventions
-----------
* Text without a unit is in the parameter's unit: ``--minutes 5`` is 5 min,
  ``--battery 77`` is 77 kWh, ``--temperature 35`` is 35 degC.
* Shares (states of charge, the fast-charging share, discount and growth
  rates, residual value, the replacement threshold) are percentages when
  written as text: ``--from 10``, ``"10"``, ``"10%"`` and ``"10 %"`` are all
  10 %. A bare text number strictly between -1 and 1 (other than 0) is
  ambiguous and refused: write ``10%`` (or ``0.1 %`` for a tenth of a
  percent). Python numbers are fractions: ``charge(v, c, 0.1, 0.8)`` is
  10 % -> 80 %.
* Temperatures: ``35 degC``, ``35 °C``, ``35°C``, ``308 K``, ``95 degF``;
  ``35C`` is refused (``C`` is the coulomb) with the fix ``35degC``.
"""

from __future__ import annotations

import math
import numbers
import re
from dataclasses import dataclass
from typing import Any

from nevcalc.errors import InputError
from nevcalc.specs.schema import FIELDS
from nevcalc.units import bare_number, from_si, kelvin_to_celsius, si_factor, to_si

__all__ = ["PARAMETERS", "Param", "bounds_text", "check", "parse", "parse_int", "parse_window"]


@dataclass(frozen=True)
class Param:
    """One parameter of a command or of a Python call.

    Attributes
    ----------
    name : str
        Key in :data:`PARAMETERS` (the Python argument name, or
        ``command.argument`` where commands differ).
    unit : str
        Canonical unit; fixes the dimension. The bounds are in it.
    lo, hi : float
        Bounds in ``unit``, inclusive unless ``lo_open`` / ``hi_open``.
    meaning : str
        One line for people.
    example : str
        A valid value as a user would type it; every message shows it.
    text_unit : str
        Unit of a bare number written as text (``"degC"`` for temperatures,
        ``"%"`` for shares); ``unit`` when empty.
    share : bool
        A fraction: text numbers are percentages, Python numbers fractions.
    integer : bool
        A whole number (years).
    lo_open, hi_open : bool
        The bound itself is excluded (a charging time must be above 0).
    c_rate : bool
        A C-rate: ``"1C"`` and bare numbers are per hour.
    field : str
        ``"kind.field"`` of the spec field whose unit and bounds these are.
    """

    name: str
    unit: str
    lo: float
    hi: float
    meaning: str
    example: str
    text_unit: str = ""
    share: bool = False
    integer: bool = False
    lo_open: bool = False
    hi_open: bool = False
    c_rate: bool = False
    field: str = ""


def _field(name: str, ref: str, example: str, **kw: Any) -> Param:
    """A parameter that takes a spec field's unit, bounds and meaning."""
    kind, key = ref.split(".")
    f = FIELDS[kind][key]
    return Param(name, f.unit, f.lo, f.hi, kw.pop("meaning", f.doc), example, field=ref,
                 c_rate=f.c_rate, **kw)  # fmt: skip


def _share(name: str, lo: float, hi: float, meaning: str, example: str, **kw: Any) -> Param:
    return Param(name, "", lo, hi, meaning, example, text_unit="%", share=True, **kw)


def _per_day(per_year: Param) -> Param:
    """``km_per_day``: the distance a year's bounds over 365 days, rounded inward (so that
    any distance a day is a distance a year within its bounds)."""
    lo = math.ceil(per_year.lo / 365.0 * 100.0) / 100.0
    hi = math.floor(per_year.hi / 365.0 * 10.0) / 10.0
    return Param("km_per_day", per_year.unit, lo, hi, "Distance driven a day", "60 km")


#: Relative slack of a closed bound, for a value given at the bound in another unit.
_ROUNDING = 1e-12


def _table() -> dict[str, Param]:
    # fmt: off
    rows = (
        # charging (nevcalc charge, compare; scenario.charge, cell_cc_cv)
        _share("soc_from", 0.0, 1.0, "State of charge at the start", "10%"),
        _share("soc_to", 0.0, 1.0, "State of charge to charge to", "80%"),
        Param("minutes", "min", 0.0, 1440.0, "Charging time for the km added", "5 min",
              lo_open=True),
        Param("add_distance", "km", 0.0, 10000.0, "Distance to add by charging", "400 km",
              lo_open=True),
        Param("cabin", "K", 283.15, 303.15, "Cabin set point", "21degC", text_unit="degC"),
        Param("precondition_time", "min", 0.0, 1440.0, "Battery preconditioning before arrival",
              "20 min"),
        Param("ambient", "K", 233.15, 323.15, "Air temperature at the charger or on the road",
              "-10degC", text_unit="degC"),
        Param("current", "A", 0.0, 5000.0, "Constant charging current of a cell", "100 A",
              lo_open=True),
        Param("cutoff_current", "A", 0.0, 5000.0, "Current that ends the CV phase", "2 A",
              lo_open=True),
        # a charger's limits set by hand (nevcalc charge; scenario.charger_with_limits)
        _field("charger_power", "charger.max_power", "350 kW"),
        _field("charger_current", "charger.max_current", "500 A"),
        _field("charger_voltage", "charger.max_voltage", "920 V"),
        # ad-hoc vehicles (nevcalc charge, range; scenario.adhoc_vehicle, adhoc_road_vehicle)
        _field("battery", "vehicle.battery_usable_energy", "77 kWh"),
        _field("peak_power", "vehicle.max_charge_power", "240 kW"),
        _field("voltage", "vehicle.voltage_class", "800 V"),
        _field("consumption", "vehicle.consumption", "16 kWh/100km"),
        _field("max_current", "vehicle.max_charge_current", "500 A"),
        _field("booster_power", "vehicle.booster_power", "50 kW"),
        _field("mass", "vehicle.curb_mass", "1950 kg"),
        _field("cd", "vehicle.drag_coefficient", "0.23"),
        _field("frontal_area", "vehicle.frontal_area", "2.3 m^2"),
        # brochure figures of an ad-hoc vehicle (nevcalc range; brochure.road)
        Param("length", "mm", 2000.0, 25000.0, "Overall length of the vehicle", "4700 mm"),
        Param("width", "mm", 1000.0, 3000.0, "Width of the vehicle without mirrors", "1890 mm"),
        Param("height", "mm", 1000.0, 4500.0, "Height of the vehicle", "1600 mm"),
        _field("motor_power", "vehicle.motor_power", "250 kW"),
        Param("model_year", "", 1990, 2100, "Model year of the brochure's figures", "2024",
              integer=True),
        _field("target_range", "vehicle.official_range", "600 km",
               meaning="Range the resized pack must give"),
        # trips (nevcalc trip; routes, scenario.trip)
        _field("trip_distance", "route.distance", "1000 km"),
        _field("speed", "route.speed", "120 km/h"),
        _field("station_spacing", "route.station_spacing", "60 km"),
        Param("station_at", "km", 0.0, 20000.0, "Where a station is, from the start", "55 km",
              lo_open=True),
        _field("stop_overhead", "route.stop_overhead", "4 min"),
        _field("start_soc", "route.start_soc", "100%", text_unit="%", share=True),
        _field("reserve", "route.reserve", "10%", text_unit="%", share=True),
        # health (nevcalc health; scenario.health)
        _field("soc_low", "usage.soc_low", "30%", text_unit="%", share=True),
        _field("soc_high", "usage.soc_high", "80%", text_unit="%", share=True),
        Param("efc_per_day", "efc", 0.0, 12.0,
              "Equivalent full cycles a day (at most twelve sweeps of the window)", "0.5",
              lo_open=True),
        Param("charge_rate", "1/h", 0.01, 20.0, "Charging C-rate of the daily duty", "0.25/h",
              c_rate=True),
        _field("temperature", "usage.temperature", "25 degC", text_unit="degC",
               meaning="Cell temperature"),
        Param("health.years", "", 1, 40, "Years of capacity to report", "10", integer=True),
        _per_day(_field("km_per_year", "usage.annual_distance", "15000 km")),
        _share("dc_share", 0.0, 1.0, "Share of the energy charged at DC fast chargers", "20%"),
        Param("dc_rate", "1/h", 0.05, 20.0, "C-rate of the DC fast charges", "1C",
              c_rate=True),
        _field("temperature_rise", "usage.temperature_rise", "5 K", text_unit="K"),
        Param("at_distance", "km", 0.0, 5.0e6, "Distance driven at which to report the capacity",
              "200000 km", lo_open=True),
        _field("pack_energy", "vehicle.battery_usable_energy", "70 kWh",
               meaning="Usable energy of the pack (turns km into cycles)"),
        # lifecycle cost (nevcalc cost; scenario.lifecycle)
        Param("cost.years", "", 1, 30, "Years of ownership", "10", integer=True),
        _field("km_per_year", "usage.annual_distance", "15000 km"),
        _field("vehicle_price", "vehicle.price", "45000 EUR"),
        _field("pack_price", "chemistry.pack_cost", "120 USD/kWh"),
        _field("electricity", "usage.electricity_price", "0.6 CNY/kWh"),
        _field("fast_price", "usage.fast_charge_price", "1.5 CNY/kWh"),
        _field("fast_share", "usage.fast_charge_share", "20%", text_unit="%", share=True),
        _field("value_of_time", "usage.value_of_time", "15 EUR/h"),
        _field("home_power", "usage.home_charge_power", "11 kW"),
        _share("discount_rate", 0.0, 1.0, "Real discount rate a year", "5%"),
        Param("maintenance", "USD/km", 0.0, 1.0, "Maintenance per distance", "0.03 USD/km"),
        _share("residual", 0.0, 1.0, "Value at the end over the price", "30%"),
        _share("replace_below", 0.0, 0.99,
               "Replace the battery below this capacity (0: never)", "70%"),
        # claimed figures of a scenario file (nevcalc scenario run; scenario.scenarios)
        Param("claim.charge_10_80", "min", 0.0, 1440.0, "Claimed 10-80 % charge time",
              "18 min", lo_open=True),
        Param("claim.km_in_5_min", "km", 0.0, 10000.0, "Claimed range added in five minutes",
              "400 km", lo_open=True),
        Param("claim.peak_power", "kW", 0.0, 10000.0, "Claimed peak charging power",
              "1000 kW", lo_open=True),
        Param("claim.range", "km", 0.0, 10000.0, "Claimed range", "500 km", lo_open=True),
        Param("claim.consumption", "kWh/(100 km)", 0.0, 100.0,
              "Claimed energy per distance at the battery", "15 kWh/100km", lo_open=True),
        Param("claim.usable_energy", "kWh", 0.0, 1000.0, "Claimed usable battery energy",
              "77 kWh", lo_open=True),
        Param("claim.pack_mass", "kg", 0.0, 10000.0, "Claimed battery pack mass", "500 kg",
              lo_open=True),
        Param("claim.pack_specific_energy", "Wh/kg", 0.0, 2000.0,
              "Claimed pack energy per pack mass", "190 Wh/kg", lo_open=True),
        _share("claim.capacity_year_8", 0.0, 1.0, "Claimed capacity after 8 years", "90%",
               lo_open=True),
        Param("claim.years_to_80", "year", 0.0, 100.0, "Claimed years to 80 % capacity",
              "15 year", lo_open=True),
        Param("claim.km_to_80", "km", 0.0, 1e7, "Claimed distance to 80 % capacity",
              "500000 km", lo_open=True),
        Param("claim.efc_to_80", "efc", 0.0, 1e5, "Claimed full cycles to 80 % capacity",
              "3000 efc", lo_open=True),
        Param("claim.cost_per_km", "USD/km", 0.0, 10.0, "Claimed lifecycle cost per distance",
              "0.3 USD/km", lo_open=True),
        Param("claim.pack_price", "USD/kWh", 0.0, 5000.0, "Claimed pack price per energy",
              "100 USD/kWh", lo_open=True),
        # trend (nevcalc trend; scenario.trend)
        _share("growth", -0.5, 5.0, "Growth of annual battery volume a year", "37%",
               lo_open=True, hi_open=True),
        Param("until", "", 2000, 2100, "Last projected year", "2035", integer=True),
        # sweep (nevcalc sweep)
        Param("chunk_rows", "", 1024, 1 << 24, "Rows per chunk of a sweep", "524288",
              integer=True),
        Param("workers", "", 1, 256, "Threads or Dask workers of a sweep", "4", integer=True),
    )
    # fmt: on
    return {p.name: p for p in rows}


#: Every parameter: name -> :class:`Param`.
PARAMETERS: dict[str, Param] = _table()


def _display(p: Param, v: float) -> tuple[float, str]:
    """A value of ``p`` (in ``p.unit``) in the unit people read it in."""
    if p.share:
        return from_si(v, "%"), " %"
    if p.unit == "K" and p.text_unit != "K":  # a temperature, not a difference of them
        return kelvin_to_celsius(v), " degC"
    return v, f" {p.unit}" if p.unit else ""


def bounds_text(p: Param) -> str:
    """The allowed range of ``p`` as people write it (``"5-100 kWh/(100 km)"``)."""
    (lo, unit), (hi, _) = _display(p, p.lo), _display(p, p.hi)
    if p.lo_open and p.hi_open:
        return f"above {lo:g} and below {hi:g}{unit}"
    if p.lo_open:
        return f"above {lo:g}, up to {hi:g}{unit}"
    return f"{lo:g}{' to ' if lo < 0 else '-'}{hi:g}{unit}"


def check(name: str, si: float, where: str | None = None, shown: str | None = None) -> float:
    """Bound an SI value of parameter ``name``; return it unchanged.

    Raises
    ------
    InputError
        Outside the parameter's bounds; the message names ``where``, the
        range and an example.
    """
    p = PARAMETERS[name]
    where = where or p.name
    v = si if p.unit in ("", "K") else si / si_factor(p.unit)
    if not math.isfinite(v):
        why = "not finite"
    elif p.lo_open and p.lo == 0 and v <= 0:
        why = "not positive"
    elif v < 0 <= p.lo:
        why = "negative"
    # a closed bound holds what rounds to it (-40 degC is 233.14999999999998 K)
    elif (p.lo_open and v <= p.lo) or v < p.lo - _ROUNDING * max(1.0, abs(p.lo)):
        why = "below the allowed range"
    elif (p.hi_open and v >= p.hi) or v > p.hi + _ROUNDING * max(1.0, abs(p.hi)):
        why = "above the allowed range"
    else:
        return si
    if shown is None:
        shown_v, unit = _display(p, v)
        shown = f"{shown_v:g}{unit}"
    hint = ""
    if p.share and shown.startswith("Python number"):
        hint = "; a Python number is a fraction (0.8 is 80 %)"
    raise InputError(
        f"{where}: {shown} is {why}; give {bounds_text(p)} ({p.meaning.lower()}), "
        f"e.g. {p.example}{hint}"
    )


def parse(name: str, value: Any, where: str | None = None) -> float:
    """Read parameter ``name`` once: parse, check its dimension, bound it.

    Parameters
    ----------
    name : str
        Key of :data:`PARAMETERS`.
    value : str, number or pint.Quantity
        Text as a user types it (``"16 kWh/100km"``, ``"10"`` for a share is
        10 %), a pint quantity, or a Python number in the parameter's unit
        (a fraction for shares, kelvin for temperatures).
    where : str, optional
        Where the value came from (``"option --consumption"``); the
        parameter's name by default. It starts every message.

    Returns
    -------
    float
        The value in SI base units (a fraction for shares).

    Raises
    ------
    InputError
        Unreadable (:class:`~nevcalc.errors.UnitInputError`), of the wrong
        dimension (:class:`~nevcalc.errors.DimensionError`), ambiguous, or
        out of bounds.
    """
    p = PARAMETERS[name]
    where = where or p.name
    if p.integer:
        return float(parse_int(name, value, where))
    shown = None
    if isinstance(value, str):
        bare = bare_number(value)
        if bare is not None and p.share and 0 < abs(bare) < 1:
            raise InputError(
                f"{where}: {value.strip()!r} is ambiguous; write {bare * 100:g}% "
                f"(or {bare:g} % for {bare:g} percent)"
            )
        if bare is not None and p.text_unit and p.text_unit != p.unit:
            value = f"{value.strip()} {p.text_unit}"
        shown = repr(value.strip())
    elif isinstance(value, numbers.Real) and not isinstance(value, bool):
        shown = f"Python number {value!r}" if p.share else None
    si = to_si(value, p.unit or "dimensionless", where, c_rate=p.c_rate, example=p.example)
    return check(name, si, where, shown)


def parse_int(name: str, value: Any, where: str | None = None) -> int:
    """Read a whole-number parameter (years) and bound it."""
    p = PARAMETERS[name]
    where = where or p.name
    number: int | None = None
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        number = int(value)
    elif isinstance(value, str) and re.fullmatch(r"\s*[-+]?[0-9]{1,10}\s*", value):
        number = int(value)
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    if number is None:
        raise InputError(f"{where}: expected a whole number, got {value!r}; e.g. {p.example}")
    if not p.lo <= number <= p.hi:
        raise InputError(
            f"{where}: {number} is {'below' if number < p.lo else 'above'} the allowed range; "
            f"give {bounds_text(p)} ({p.meaning.lower()}), e.g. {p.example}"
        )
    return number


def parse_window(text: str, where: str = "soc_window") -> tuple[float, float]:
    """Read a SoC window written ``low..high`` (``"30%..80%"``; ``...`` also reads).

    Parameters
    ----------
    text : str
        The window as typed.
    where : str, default "soc_window"
        Where it came from (``"option --soc-window"``); it starts every message.

    Returns
    -------
    (float, float)
        Low and high SoC [-], each read as :data:`PARAMETERS` ``soc_low`` and ``soc_high``.

    Raises
    ------
    InputError
        Not two parts, or a part unreadable or out of bounds.
    """
    parts = text.replace("...", "..").split("..")
    if len(parts) != 2:
        shown = repr(text) if len(text) <= 40 else f"{text[:40]!r}..."
        raise InputError(f"{where}: {shown}; write low..high, e.g. 30%..80%")
    return parse("soc_low", parts[0], where), parse("soc_high", parts[1], where)
