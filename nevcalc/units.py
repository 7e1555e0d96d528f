"""The one unit registry of nevcalc, and the parsing of text into SI floats.

Every quantity that enters nevcalc (a spec file, a CLI option, a Python call)
passes through :func:`to_si` once: the text is parsed, its dimension checked
against what the field expects, and the value converted to a plain float in
SI base units (J, W, kg, m, s, V, A, ohm; money in USD). ``nevcalc.model``
only ever sees those floats.

pint is imported lazily (on the first parse that needs it) so that commands
which only read cached specs start fast.

Two pint traps are handled here:

* ``C`` is the coulomb. C-rates are written ``"4 /h"`` (or ``"4 1/h"``), or
  live in fields whose name ends in ``_c_rate`` where a bare number or
  ``"4C"`` means "per hour".
* ``cycle`` is an angle (one turn, 2 pi radians, and radians are
  dimensionless). Counts of cycles are plain numbers; the words ``cycle`` and
  ``cycles`` are read as the count unit ``efc`` (equivalent full cycle).

Money is a unit of its own dimension ``[currency]``: ``USD``, ``EUR`` and
``CNY``, with dated exchange rates read from ``specs/data/exchange_rates.toml``.
"""

from __future__ import annotations

import math
import re
import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Any

from nevcalc.errors import DimensionError, UnitInputError

__all__ = [
    "BUNDLED_SPECS",
    "DimensionError",
    "UnitInputError",
    "exchange_rate",
    "format_unit",
    "from_si",
    "get_registry",
    "si_factor",
    "to_si",
]

BUNDLED_SPECS = Path(__file__).resolve().parent / "_specs"

#: Units whose SI factor and dimension are known without pint: ``unit -> (factor, dim)``.
#: Lets the common "<number> <unit>" text and cached specs skip importing pint.
_FAST_UNITS = {
    "": (1.0, "1"),
    "percent": (0.01, "1"),
    "%": (0.01, "1"),
    "s": (1.0, "s"),
    "min": (60.0, "s"),
    "h": (3600.0, "s"),
    "m": (1.0, "m"),
    "km": (1e3, "m"),
    "W": (1.0, "W"),
    "kW": (1e3, "W"),
    "J": (1.0, "J"),
    "Wh": (3600.0, "J"),
    "kWh": (3.6e6, "J"),
    "MWh": (3.6e9, "J"),
    "GWh": (3.6e12, "J"),
    "TWh": (3.6e15, "J"),
    "V": (1.0, "V"),
    "A": (1.0, "A"),
    "kg": (1.0, "kg"),
    "m/s": (1.0, "m/s"),
    "km/h": (1 / 3.6, "m/s"),
    # the US dollar is the base of [currency]: no exchange rate involved
    "USD": (1.0, "USD"),
    "USD/kWh": (1 / 3.6e6, "USD/J"),
    "USD/km": (1e-3, "USD/m"),
    "USD/h": (1 / 3600, "USD/s"),
}
_FAST_TEXT = re.compile(
    r"^\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*(%|[A-Za-z]+(?:/[A-Za-z]+)?)\s*$"
)
_NUMBER_UNIT = re.compile(r"^\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*([A-Za-z_]\w*)\s*$")
_PER_NUMBER = re.compile(r"/\s*(\d+(?:\.\d+)?)\s*([A-Za-z]+)")
_CYCLE_WORD = re.compile(r"\b(full[_ ]cycles?|cycles?)\b", re.IGNORECASE)
_C_RATE = re.compile(r"^\s*([-+0-9.eE]+)\s*C\s*$")
_NUMBER = re.compile(r"^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$")


def _exchange_table() -> dict[str, Any]:
    path = BUNDLED_SPECS / "data" / "exchange_rates.toml"
    with path.open("rb") as fh:
        return tomllib.load(fh)


@lru_cache(maxsize=1)
def get_registry():
    """Return the package's single pint ``UnitRegistry`` (built on first use).

    Returns
    -------
    pint.UnitRegistry
        With ``[currency]`` (USD, EUR, CNY at the reference-year rates of
        ``exchange_rates.toml``) and the count unit ``efc``.
    """
    import pint

    try:
        ureg = pint.UnitRegistry(cache_folder=":auto:")
    except Exception:  # an unwritable cache folder must not stop the tool
        ureg = pint.UnitRegistry()
    ureg.define("USD = [currency] = usd")
    table = _exchange_table()
    year = str(table["reference_year"])
    for code, rates in table["usd_per_unit"].items():
        ureg.define(f"{code} = {float(rates[year]['value'])!r} USD = {code.lower()}")
    ureg.define("efc = 1 = equivalent_full_cycle")
    ureg.formatter.default_format = "~P"
    return ureg


@lru_cache(maxsize=256)
def _unit_info(unit: str) -> tuple[float, str]:
    """SI factor and dimensionality string of a canonical unit string."""
    ureg = get_registry()
    q = ureg.Quantity(f"1 {unit}") if unit.strip() else ureg.Quantity(1.0)
    base = q.to_base_units()
    return float(base.magnitude), str(q.dimensionality)


def _fast(text: str, unit: str) -> float | None:
    """SI value of ``"<number> <unit>"`` when both units are in the pint-free table."""
    m = _FAST_TEXT.match(text)
    if not m or unit not in _FAST_UNITS or m.group(2) not in _FAST_UNITS:
        return None
    factor, dim = _FAST_UNITS[m.group(2)]
    if dim != _FAST_UNITS[unit][1]:
        return None  # let pint produce the dimension error
    value = float(m.group(1)) * factor
    return value if math.isfinite(value) else None


def si_factor(unit: str) -> float:
    """Factor that converts a value in ``unit`` to SI base units.

    Parameters
    ----------
    unit : str
        A pint unit string, e.g. ``"kWh"`` or ``"Wh/kg"``.

    Returns
    -------
    float
        ``value_in_unit * factor == value_in_SI``.
    """
    if unit in _FAST_UNITS:
        return _FAST_UNITS[unit][0]
    return _unit_info(unit)[0]


def from_si(value, unit: str):
    """Convert SI float(s) to ``unit`` (array in, array out)."""
    return value / si_factor(unit)


def format_unit(unit: str) -> str:
    """A short, pint-parsable rendering of a unit string (``"kWh"``, ``"km/h"``)."""
    return unit


_DIMENSION_NAMES = {
    "dimensionless": "dimensionless",
    "[mass] * [length] ** 2 / [time] ** 2": "energy",
    "[mass] * [length] ** 2 / [time] ** 3": "power",
    "[mass]": "mass",
    "[length]": "length",
    "[time]": "time",
    "[current]": "current",
    "[current] * [time]": "charge",
    "[mass] * [length] ** 2 / [current] / [time] ** 3": "voltage",
    "[mass] * [length] ** 2 / [current] ** 2 / [time] ** 3": "resistance",
    "[length] ** 2 / [time] ** 2": "specific energy",
    "[mass] / [length] / [time] ** 2": "energy density",
    "[mass] * [length] / [time] ** 2": "energy per distance",
    "1 / [time]": "rate per time",
    "[length] ** 2": "area",
    "[length] ** 3": "volume",
    "[length] / [time]": "speed",
    "[mass] / [length] ** 3": "density",
    "[currency]": "money",
    "[currency] * [time] ** 2 / [mass] / [length] ** 2": "money per energy",
    "[currency] / [length]": "money per distance",
    "[currency] / [time]": "money per time",
    "[temperature]": "temperature",
}


def _name_dim(dim: str) -> str:
    return _DIMENSION_NAMES.get(dim, dim)


def _describe_dim(unit: str) -> str:
    return _name_dim(_unit_info(unit)[1])


def to_si(value: Any, unit: str, where: str, *, c_rate: bool = False) -> float:
    """Parse ``value`` and return it as a float in SI base units.

    Parameters
    ----------
    value : str, int, float or pint.Quantity
        ``"350 Wh/kg"``, ``"1000 A"``, ``"10 %"``, ``4`` ... A bare number is
        taken to be in ``unit``.
    unit : str
        The canonical unit of the field; its dimension is the one required.
    where : str
        Where the value came from (``"specs/vehicles/x.toml: battery_energy"``,
        ``"option --battery"``); it starts every error message.
    c_rate : bool, optional
        The field is a C-rate: ``"4C"`` and bare numbers mean per hour.

    Returns
    -------
    float
        The value in SI base units.

    Raises
    ------
    DimensionError
        The value has another dimension than ``unit``.
    UnitInputError
        The text is not a quantity, or is not finite.
    """
    if isinstance(value, bool):
        raise UnitInputError(f"{where}: expected a quantity in {unit}, got a boolean {value!r}")
    if isinstance(value, int | float):
        number = float(value)
        if not math.isfinite(number):
            raise UnitInputError(f"{where}: expected a finite number, got {value!r}")
        return number * si_factor(unit)
    if hasattr(value, "dimensionality") and hasattr(value, "to"):
        return _quantity_to_si(value, unit, where, repr_=f"{value:~P}")
    if not isinstance(value, str):
        raise UnitInputError(
            f"{where}: expected a text like '12 {unit}', got {type(value).__name__} {value!r}"
        )
    text = value.strip()
    if not text:
        raise UnitInputError(f"{where}: empty value; expected a quantity in {unit}")
    if _NUMBER.match(text):
        return to_si(float(text), unit, where)
    fast = _fast(text, unit)
    if fast is not None:
        return fast
    if c_rate:
        m = _C_RATE.match(text)
        if m:
            return to_si(float(m.group(1)), unit, where)
    if text.lower() in {"nan", "inf", "-inf", "+inf", "infinity"} or re.match(
        r"^\s*[-+]?(nan|inf)", text, re.IGNORECASE
    ):
        raise UnitInputError(
            f"{where}: {value!r} is not a finite quantity; expected one in {unit}"
        )
    text = _CYCLE_WORD.sub("efc", text)
    # "16 kWh/100km" means per (100 km), not (kWh / 100) * km as pint would read it
    text = _PER_NUMBER.sub(r"/(\1 \2)", text)
    ureg = get_registry()
    try:
        m = _NUMBER_UNIT.match(text)
        # "25 degC": a number and a unit, so offset units (temperatures) work
        q = ureg.Quantity(float(m.group(1)), m.group(2)) if m else ureg.Quantity(text)
    except Exception as exc:  # pint raises several types for bad text
        raise UnitInputError(
            f"{where}: cannot read {value!r} as a quantity ({_short(exc)}); "
            f"write a number and a unit, e.g. '12 {unit}'"
        ) from None
    if not hasattr(q, "dimensionality"):
        return to_si(float(q), unit, where)
    return _quantity_to_si(q, unit, where, repr_=repr(value), c_rate=c_rate)


def _quantity_to_si(q, unit: str, where: str, repr_: str, c_rate: bool = False) -> float:
    _factor, dim = _unit_info(unit)
    if str(q.dimensionality) != dim:
        hint = ""
        if str(q.dimensionality) == "[current] * [time]" and dim == "1 / [time]":
            hint = " (pint reads 'C' as the coulomb: write a C-rate as '4 /h')"
        got = _name_dim(str(q.dimensionality))
        wanted = (
            "a plain number or a percentage, e.g. 0.37 or 37 %"
            if unit == ""
            else f"a quantity in {unit} ({_describe_dim(unit)})"
        )
        raise DimensionError(f"{where}: expected {wanted}, got {repr_} ({got}){hint}")
    magnitude = float(q.to_base_units().magnitude)
    if not math.isfinite(magnitude):
        raise UnitInputError(f"{where}: {repr_} is not finite; expected a quantity in {unit}")
    return magnitude


def _short(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:120]


def exchange_rate(currency: str, year: int | None = None) -> float:
    """US dollars per one unit of ``currency`` in ``year``.

    Parameters
    ----------
    currency : str
        ``"USD"``, ``"EUR"`` or ``"CNY"``.
    year : int, optional
        Calendar year of the rate; the table's reference year if omitted.

    Returns
    -------
    float
        [USD per unit of currency].
    """
    table = _exchange_table()
    code = currency.upper()
    if code == "USD":
        return 1.0
    if code not in table["usd_per_unit"]:
        known = ", ".join(["USD", *table["usd_per_unit"]])
        raise UnitInputError(f"unknown currency {currency!r}; known: {known}")
    rates = table["usd_per_unit"][code]
    key = str(table["reference_year"] if year is None else year)
    if key not in rates:
        raise UnitInputError(
            f"no {code} exchange rate for {key}; the table has {', '.join(sorted(rates))}"
        )
    return float(rates[key]["value"])
