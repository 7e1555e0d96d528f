"""The one unit registry of nevcalc, and the parsing of text into SI floats.

Every quantity that enters nevcalc (a spec file, a CLI option, a Python call)
passes through :func:`to_si` once: the text is parsed, its dimension checked
against what the field expects, and the value converted to a plain float in
SI base units (J, W, kg, m, s, V, A, ohm; money in USD). ``nevcalc.model``
only ever sees those floats.

Text is read as ``<number> <unit>`` and nothing else, bounded before any
work: at most :data:`MAX_TEXT` characters, a number of at most
:data:`MAX_DIGITS` significant digits, and a unit made of names, ``*``,
``/``, parentheses, small integer powers and "per N units"
(``kWh/100km``). pint only ever sees such a short product of units, never
arithmetic (``77 kWh % 3``, ``10**10**10 kWh``), so no text can hang,
overflow or silently change its value. Bounds per option live in
:mod:`nevcalc.params`.

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
``CNY``, with dated exchange rates. This module reads no file: the rate table
(``specs/data/exchange_rates.toml``, read by :func:`nevcalc.io.read_exchange_rates`)
is given to it through :func:`use_exchange_rates`, which ``import nevcalc`` calls.
"""

from __future__ import annotations

import math
import numbers
import re
from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Any

from nevcalc.errors import DimensionError, UnitInputError

__all__ = [
    "MAX_DIGITS",
    "MAX_EXPONENT",
    "MAX_TEXT",
    "ZERO_CELSIUS",
    "DimensionError",
    "UnitInputError",
    "bare_number",
    "celsius_to_kelvin",
    "exchange_rate",
    "format_si",
    "format_unit",
    "format_value",
    "from_si",
    "get_registry",
    "kelvin_to_celsius",
    "si_factor",
    "to_si",
    "use_exchange_rates",
]

#: 0 degC in kelvin [K]: the one offset between the two temperature scales.
ZERO_CELSIUS = 273.15


def celsius_to_kelvin(temperature):
    """Temperature in kelvin from degrees Celsius.

    Parameters
    ----------
    temperature : float or array_like
        [degC].

    Returns
    -------
    float or numpy.ndarray
        [K].

    Examples
    --------
    >>> celsius_to_kelvin(25.0)
    298.15
    >>> round(celsius_to_kelvin(-40.0), 2)  # -40 degC = 233.15 K by definition of the scales
    233.15
    """
    return temperature + ZERO_CELSIUS


def kelvin_to_celsius(temperature):
    """Temperature in degrees Celsius from kelvin.

    Parameters
    ----------
    temperature : float or array_like
        [K].

    Returns
    -------
    float or numpy.ndarray
        [degC].

    Examples
    --------
    >>> kelvin_to_celsius(273.15)
    0.0
    >>> kelvin_to_celsius(373.15)  # water boils at 100 degC (1 atm)
    100.0
    """
    return temperature - ZERO_CELSIUS


#: Units whose SI factor and dimension are known without pint: ``unit -> (factor, dim)``.
#: Lets the common "<number> <unit>" text and cached specs skip importing pint.
_FAST_UNITS = {
    "": (1.0, "1"),
    "dimensionless": (1.0, "1"),
    "efc": (1.0, "1"),
    "percent": (0.01, "1"),
    "%": (0.01, "1"),
    "s": (1.0, "s"),
    "min": (60.0, "s"),
    "h": (3600.0, "s"),
    "m": (1.0, "m"),
    "km": (1e3, "m"),
    "mm": (1e-3, "m"),
    "m^2": (1.0, "m^2"),
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
    # the display units of nevcalc.metrics, so that reporting needs no pint
    "1/s": (1.0, "1/s"),
    "1/h": (1 / 3600, "1/s"),
    "efc/day": (1 / 86400, "1/s"),
    "year": (31557600.0, "s"),
    "m/year": (1 / 31557600.0, "m/s"),
    "km/year": (1e3 / 31557600.0, "m/s"),
    "kJ/mol": (1e3, "J/mol"),
    "J/m": (1.0, "J/m"),
    "kWh/(100 km)": (36.0, "J/m"),
    "J/kg": (1.0, "J/kg"),
    "Wh/kg": (3600.0, "J/kg"),
    "m^3": (1.0, "m^3"),
    "L": (1e-3, "m^3"),
    "USD/m": (1.0, "USD/m"),
    "USD/J": (1.0, "USD/J"),
    "K": (1.0, "K"),
}
#: Celsius spellings read without pint: an offset of :data:`ZERO_CELSIUS` to kelvin.
_FAST_CELSIUS = ("degC", "\u00b0C", "celsius", "degree_Celsius")
#: Longest text read as a quantity [characters]; longer text is refused before any parsing.
MAX_TEXT = 100
#: Most significant digits of the number of a quantity.
MAX_DIGITS = 20
#: Largest magnitude of the decimal exponent written (beyond any float's; the value must
#: also be finite and, when not zero, not underflow to zero).
MAX_EXPONENT = 400
#: Largest magnitude of a unit power (``m^2``, ``s**-1``).
MAX_POWER = 4
#: Most tokens (names, operators, parentheses) of a unit expression.
MAX_TOKENS = 16

_NUMBER_HEAD = re.compile(r"([-+]?)([0-9]*)(?:\.([0-9]*))?(?:[eE]([-+]?[0-9]+))?")
_UNIT_TOKEN = re.compile(
    r"\s*(?:(?P<name>[A-Za-z_\u00b5\u03bc\u03a9][A-Za-z0-9_\u00b5\u03bc\u03a9]*)"
    r"|(?P<num>[0-9]+(?:\.[0-9]+)?)"
    r"|(?P<pow>\^|\*\*)\s*(?P<exp>[-+]?[0-9]+)"
    r"|(?P<sup>[\u00b2\u00b3])"
    r"|(?P<op>[*/\u00b7\u22c5])"
    r"|(?P<open>\()"
    r"|(?P<close>\)))"
)
_CYCLE_WORD = re.compile(r"\b(full[_ ]cycles?|cycles?)\b", re.IGNORECASE)
_DEGREES = (
    (re.compile(r"(?:\u00b0|\bdeg(?:rees?)?\s+)\s*([CF])\b"), r"deg\1"),
    (re.compile("\u2103"), "degC"),
    (re.compile("\u2109"), "degF"),
)
_NOT_FINITE = re.compile(r"^[-+]?(nan|inf)", re.IGNORECASE)


class _Unreadable(Exception):
    """Why a text is not ``<number> <unit>`` (becomes a UnitInputError with ``where``)."""


_rates_source: Callable[[], Mapping[str, Any]] | Mapping[str, Any] | None = None


def use_exchange_rates(table: Callable[[], Mapping[str, Any]] | Mapping[str, Any]) -> None:
    """Give the dated exchange-rate table (or a function returning it, called on first use).

    Parameters
    ----------
    table : mapping or callable
        ``{"reference_year": 2024, "usd_per_unit": {"EUR": {"2024": {"value": 1.08}}}}``
        [USD per unit of each currency], or a function of no arguments returning it.
    """
    global _rates_source
    _rates_source = table
    _exchange_table.cache_clear()
    get_registry.cache_clear()
    _unit_info.cache_clear()


@lru_cache(maxsize=1)
def _exchange_table() -> Mapping[str, Any]:
    source = _rates_source
    if source is None:
        raise UnitInputError("no exchange-rate table given; call units.use_exchange_rates")
    return source() if callable(source) else source


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
    """SI factor and dimensionality string of a unit text (read by the same grammar)."""
    text = unit.strip()
    if text in ("", "dimensionless"):
        return 1.0, "dimensionless"
    if len(text) > MAX_TEXT:
        raise UnitInputError(f"unit {text[:40]!r}...: longer than {MAX_TEXT} characters")
    try:
        expr = _unit_expression(text)
    except _Unreadable as exc:
        raise UnitInputError(f"unit {text!r}: {exc}") from None
    try:
        q = _evaluate(get_registry(), 1.0, expr)
        base = q.to_base_units()
    except Exception as exc:  # pint raises several types for unknown names
        raise UnitInputError(f"unknown unit {text!r} ({_short(exc)})") from None
    return float(base.magnitude), str(q.dimensionality)


def _split_number(text: str) -> tuple[float, str]:
    """The leading number of a quantity text and the rest (its unit text).

    The number is bounded before it is converted: at most :data:`MAX_DIGITS`
    significant digits and an exponent within +-:data:`MAX_EXPONENT`.
    """
    m = _NUMBER_HEAD.match(text)
    _sign, whole, frac, exp = m.groups()
    digits = (whole or "") + (frac or "")
    if not digits:
        raise _Unreadable("it does not start with a number")
    if len(digits.strip("0")) > MAX_DIGITS:
        raise _Unreadable(f"the number has more than {MAX_DIGITS} significant digits")
    if exp is not None and (len(exp.lstrip("+-").lstrip("0")) > 3 or abs(int(exp)) > MAX_EXPONENT):
        raise _Unreadable(f"the exponent is beyond +-{MAX_EXPONENT}")
    number = float(m.group(0))
    if not math.isfinite(number):
        raise _Unreadable("the number is beyond the largest a float holds (1.8e308)")
    if number == 0 and digits.strip("0"):
        raise _Unreadable("the number is too small to hold (it would read as 0)")
    return number, text[m.end() :]


def _tokens(text: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    pos = 0
    while pos < len(text):
        m = _UNIT_TOKEN.match(text, pos)
        if m is None:
            if text[pos:].isspace():
                break
            bad = text[pos:].strip()
            raise _Unreadable(f"{bad[:12]!r} is not part of a unit")
        kind = next(k for k in ("name", "num", "pow", "sup", "op", "open", "close") if m[k])
        out.append((kind, m["exp"] if kind == "pow" else m[kind]))
        if len(out) > MAX_TOKENS:
            raise _Unreadable(f"a unit of more than {MAX_TOKENS} parts")
        pos = m.end()
    return out


def _unit_expression(text: str) -> str:
    """The pint expression of a unit text, or :class:`_Unreadable`.

    Read: unit names, ``*``, ``/``, implicit multiplication, parentheses (two
    deep), integer powers up to :data:`MAX_POWER` (``m^2``, ``m**2``, ``m²``),
    ``1/h`` and ``/h``, and "per N units" (``kWh/100km``, read as
    ``kWh/(100 km)``). Nothing else: no arithmetic on numbers, no ``%``
    except alone, no number powers (``10**10``) - so pint never evaluates
    anything but a short product of units.
    """
    text = text.strip()
    if text in ("%", "percent"):
        return "percent"
    if "%" in text:
        raise _Unreadable("a percent sign stands alone after the number (10%); no arithmetic")
    for pattern, repl in _DEGREES:
        text = pattern.sub(repl, text)
    tokens = _tokens(_CYCLE_WORD.sub("efc", text))
    if not tokens:
        raise _Unreadable("no unit")
    out: list[str] = []
    depth, prev, last_op, pending = 0, "start", "", 0
    after_open_slash = False  # "(" right after "/": "kWh/(100 km)"
    for i, (kind, val) in enumerate(tokens):
        nxt = tokens[i + 1] if i + 1 < len(tokens) else ("end", "")
        if pending == 2 and kind not in ("pow", "sup"):
            out.append(")")
            pending = 0
        if kind == "name":
            if prev == "num" and pending != 1:
                raise _Unreadable("a number inside a unit is read only as 'per N units'")
            if prev in ("name", "close", "pow", "sup"):
                out.append(" ")
            out.append(val)
            pending = 2 if pending == 1 else pending
        elif kind == "num":
            per = (prev == "op" and last_op == "/") or (prev == "open" and after_open_slash)
            if prev == "start" and val == "1" and nxt == ("op", "/"):
                out.append("1")
            elif per and 0 < float(val) <= 1e6 and nxt[0] == "name":
                out.append(f"({val} ")
                pending = 1
            else:
                raise _Unreadable(
                    "a number inside a unit is read only as 'per N units' (kWh/100km); "
                    "no arithmetic"
                )
        elif kind in ("pow", "sup"):
            if prev not in ("name", "close"):
                raise _Unreadable(
                    "a power applies to a unit (m^2); write large numbers as 1e10, not 10**10"
                )
            power = {"\u00b2": 2, "\u00b3": 3}[val] if kind == "sup" else int(val)
            if not 0 < abs(power) <= MAX_POWER:
                raise _Unreadable(f"a unit power is a whole number up to {MAX_POWER} (m^2)")
            out.append(f"**{power}")
        elif kind == "op":
            val = "*" if val != "/" else "/"
            if prev == "start" and val == "/":
                out.append("1")
            elif prev not in ("name", "close", "pow", "sup", "num"):
                raise _Unreadable(f"{val!r} needs a unit on each side")
            if prev == "num" and out[-1] != "1":
                raise _Unreadable("a number inside a unit is read only as 'per N units'")
            out.append(val)
            last_op = val
        elif kind == "open":
            if prev in ("name", "close", "pow", "sup"):
                out.append(" ")
            elif prev == "num":
                raise _Unreadable("a number inside a unit is read only as 'per N units'")
            depth += 1
            if depth > 2:
                raise _Unreadable("parentheses more than two deep")
            after_open_slash = prev == "op" and last_op == "/"
            out.append("(")
        else:  # close
            if prev not in ("name", "close", "pow", "sup") or depth == 0:
                raise _Unreadable("unbalanced parentheses")
            depth -= 1
            out.append(")")
        prev = kind if kind != "sup" else "pow"
    if pending == 2:
        out.append(")")
    if prev not in ("name", "close", "pow") or depth or pending == 1:
        raise _Unreadable("the unit ends early" if not depth else "unbalanced parentheses")
    return "".join(out)


_NAME = re.compile(r"[A-Za-z_\u00b5\u03bc\u03a9][A-Za-z0-9_\u00b5\u03bc\u03a9]*")


def _evaluate(ureg, number: float, expr: str):
    """``number`` times the unit expression (checked by :func:`_unit_expression`)."""
    if _NAME.fullmatch(expr):  # a single name: offset units (degC) work
        return ureg.Quantity(number, expr)
    return number * _expression(expr)


@lru_cache(maxsize=512)
def _expression(expr: str):
    """The pint quantity of a checked unit expression (``"kWh/(100 km)"``), parsed once."""
    return get_registry().parse_expression(expr)


def bare_number(text: str) -> float | None:
    """The value of a text that is only a number (``"10"``, ``"-2.5e3"``), else None.

    Bounded like every quantity text: at most :data:`MAX_TEXT` characters,
    :data:`MAX_DIGITS` significant digits and an exponent within
    +-:data:`MAX_EXPONENT`; anything else is None.
    """
    t = text.strip()
    if len(t) > MAX_TEXT or not t:
        return None
    try:
        number, rest = _split_number(t)
    except _Unreadable:
        return None
    return None if rest else number


def _fast(number: float, unit_text: str, unit: str) -> float | None:
    """SI value of ``number`` in ``unit_text`` when both units are in the pint-free table."""
    if unit_text in _FAST_CELSIUS and unit == "K":
        return number + ZERO_CELSIUS  # pint's conversion: the offset added to the number
    if unit_text not in _FAST_UNITS or unit not in _FAST_UNITS:
        return None
    factor, dim = _FAST_UNITS[unit_text]
    if dim != _FAST_UNITS[unit][1]:
        return None  # let pint produce the dimension error
    value = number * factor
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
    """SI float(s) in ``unit``: the one conversion of every figure nevcalc shows.

    Parameters
    ----------
    value : float or numpy.ndarray
        Value(s) in SI base units [SI].
    unit : str
        Unit to show them in, e.g. ``"kWh"`` or ``"USD/kWh"``; pint-free for the
        units of :data:`_FAST_UNITS` (all the display units of :mod:`nevcalc.metrics`).

    Returns
    -------
    float or numpy.ndarray
        ``value`` in ``unit`` [unit].

    Examples
    --------
    >>> from_si(900e3, "kWh")
    0.25
    >>> from_si(90e3, "kW")
    90.0

    Temperatures on a scale with an offset are shifted, not only scaled:

    >>> from_si(263.15, "degC"), round(from_si(263.15, "degF"), 2)
    (-10.0, 14.0)
    """
    if unit in _OFFSET_UNITS:
        factor, offset = _OFFSET_UNITS[unit]
        return (value - offset) / factor
    return value / si_factor(unit)


#: Temperature scales with an offset: (kelvin per degree, kelvin at their zero).
_OFFSET_UNITS = {
    "degC": (1.0, 273.15),
    "°C": (1.0, 273.15),
    "degF": (5.0 / 9.0, 459.67 * 5.0 / 9.0),
    "°F": (5.0 / 9.0, 459.67 * 5.0 / 9.0),
}


def format_value(value: float, unit: str = "", spec: str | None = None) -> str:
    """Text of ``value`` already in ``unit``: the one way nevcalc writes a figure.

    Parameters
    ----------
    value : float
        The number, in ``unit`` [unit].
    unit : str, default ""
        Written after the number; nothing for ``""`` and ``"dimensionless"``.
    spec : str, optional
        Format specification of the number. None: four significant figures, and
        whole numbers with thousands separators from 1000 up.

    Returns
    -------
    str

    Examples
    --------
    >>> format_value(83.2, "kWh"), format_value(31402.4, "USD"), format_value(0.26)
    ('83.2 kWh', '31,402 USD', '0.26')
    >>> format_value(17.0, "kWh/100 km", ".1f")
    '17.0 kWh/100 km'
    """
    if spec is None:
        text = f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.4g}"
    else:
        text = f"{value:{spec}}"
    return f"{text} {unit}" if unit and unit != "dimensionless" else text


def format_si(value: float, unit: str, spec: str = ".4g", label: str | None = None) -> str:
    """Text of SI ``value`` in ``unit``: ``"250 USD/kWh"``, for assumptions, notes and labels.

    :func:`format_value` of the value converted by :func:`from_si`.

    Parameters
    ----------
    value : float
        Value in SI base units [SI].
    unit : str
        Unit to show it in (see :func:`from_si`).
    spec : str, default ".4g"
        Format specification of the number.
    label : str, optional
        How the unit is written after the number, when not as ``unit``
        (``"kWh/100 km"`` for ``"kWh/(100 km)"``).

    Returns
    -------
    str

    Examples
    --------
    >>> format_si(250.0 / 3.6e6, "USD/kWh", ".0f")
    '250 USD/kWh'
    >>> format_si(17.0 * 36.0, "kWh/(100 km)", ".1f", label="kWh/100 km")
    '17.0 kWh/100 km'
    """
    return format_value(from_si(value, unit), unit if label is None else label, spec)


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


def _example(unit: str) -> str:
    return {"": "37 %", "dimensionless": "37 %", "percent": "37 %", "K": "25 degC",
            "1/h": "1 /h", "efc": "1000 cycles"}.get(unit, f"12 {unit}")  # fmt: skip


def _shown(text: str) -> str:
    return repr(text) if len(text) <= 60 else f"{text[:40]!r}... ({len(text)} characters)"


def _is_temperature(unit: str) -> bool:
    return unit in ("K", "degC", "degF", "kelvin") or _unit_info(unit)[1] == "[temperature]"


def to_si(
    value: Any, unit: str, where: str, *, c_rate: bool = False, example: str | None = None
) -> float:
    """Parse ``value`` and return it as a float in SI base units.

    Text is read as ``<number> <unit>`` and nothing else: at most
    :data:`MAX_TEXT` characters, a number of at most :data:`MAX_DIGITS`
    significant digits and an exponent within +-:data:`MAX_EXPONENT`, and a
    unit made of names, ``*``, ``/``, parentheses, small integer powers
    (``m^2``) and "per N units" (``kWh/100km``). Arithmetic (``77 kWh % 3``,
    ``10**10 kWh``) is refused, not evaluated, so every text is answered in
    well under a millisecond or two.

    Parameters
    ----------
    value : str, int, float or pint.Quantity
        ``"350 Wh/kg"``, ``"1000 A"``, ``"10 %"``, ``"35 degC"``, ``4`` ... A
        bare number (or text without a unit) is taken to be in ``unit``.
    unit : str
        The canonical unit of the field; its dimension is the one required.
    where : str
        Where the value came from (``"specs/vehicles/x.toml: battery_energy"``,
        ``"option --battery"``); it starts every error message.
    c_rate : bool, optional
        The field is a C-rate: ``"4C"`` and bare numbers mean per hour.
    example : str, optional
        A valid value for the messages (``"77 kWh"``); one in ``unit`` by default.

    Returns
    -------
    float
        The value in SI base units.

    Raises
    ------
    DimensionError
        The value has another dimension than ``unit``.
    UnitInputError
        The text is not a quantity, is too long, or is not finite.
    """
    example = example or _example(unit)
    if isinstance(value, bool):
        raise UnitInputError(f"{where}: expected a quantity in {unit}, got a boolean {value!r}")
    if isinstance(value, numbers.Real):
        try:
            number = float(value) * si_factor(unit)
        except OverflowError:
            number = math.inf
        if not math.isfinite(number):
            raise UnitInputError(
                f"{where}: expected a finite number, got {_shown(str(value))}; e.g. '{example}'"
            )
        return number
    if hasattr(value, "dimensionality") and hasattr(value, "to"):
        return _quantity_to_si(value, unit, where, repr_=_shown(f"{value:~P}"), example=example)
    if not isinstance(value, str):
        raise UnitInputError(
            f"{where}: expected a text like '{example}', got {type(value).__name__} "
            f"{_shown(repr(value))}"
        )
    if len(value) > MAX_TEXT:
        raise UnitInputError(
            f"{where}: {_shown(value)} is not a quantity (at most {MAX_TEXT} characters); "
            f"write a number and a unit, e.g. '{example}'"
        )
    text = value.strip()
    if not text:
        raise UnitInputError(f"{where}: empty value; expected a quantity, e.g. '{example}'")
    if _NOT_FINITE.match(text):
        raise UnitInputError(f"{where}: {value!r} is not a finite quantity; e.g. '{example}'")
    try:
        number, rest = _split_number(text)
        rest = rest.strip()
        if not rest or (c_rate and rest == "C"):
            return to_si(number, unit, where, example=example)
        if rest in ("C", "F") and _is_temperature(unit):
            name = "coulomb" if rest == "C" else "farad"
            raise DimensionError(
                f"{where}: {value!r} reads as {number:g} {name} ({rest} is the {name}); "
                f"write a temperature as '{number:g}deg{rest}' (or '{number:g} \u00b0{rest}')"
            )
        fast = _fast(number, rest, unit)
        if fast is not None:
            return fast
        expr = _unit_expression(rest)
    except _Unreadable as exc:
        raise UnitInputError(
            f"{where}: cannot read {_shown(value)}: {exc}; write a number and a unit, "
            f"e.g. '{example}'"
        ) from None
    try:
        q = _evaluate(get_registry(), number, expr)
    except Exception as exc:  # pint raises several types for unknown names
        raise UnitInputError(
            f"{where}: cannot read {value!r} as a quantity ({_short(exc)}); "
            f"write a number and a unit, e.g. '{example}'"
        ) from None
    return _quantity_to_si(q, unit, where, repr_=repr(value), example=example)


def _quantity_to_si(q, unit: str, where: str, repr_: str, example: str) -> float:
    _factor, dim = _unit_info(unit)
    if str(q.dimensionality) != dim:
        hint = ""
        if str(q.dimensionality) == "[current] * [time]" and dim == "1 / [time]":
            hint = " (pint reads 'C' as the coulomb: write a C-rate as '4 /h')"
        elif str(q.dimensionality) == "[current] * [time]" and dim == "[temperature]":
            hint = " ('C' is the coulomb: write a temperature as '35degC')"
        got = _name_dim(str(q.dimensionality))
        wanted = (
            "a plain number or a percentage, e.g. 0.37 or 37 %"
            if unit in ("", "dimensionless")
            else f"a quantity in {unit} ({_describe_dim(unit)}), e.g. '{example}'"
        )
        raise DimensionError(f"{where}: expected {wanted}; got {repr_} ({got}){hint}")
    try:
        magnitude = float(q.to_base_units().magnitude)
    except (TypeError, ValueError, OverflowError):
        raise UnitInputError(
            f"{where}: {repr_} is not one finite quantity; e.g. '{example}'"
        ) from None
    if not math.isfinite(magnitude):
        raise UnitInputError(f"{where}: {repr_} is not finite; e.g. '{example}'")
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
        raise UnitInputError(f"unknown currency {_shown(currency)}; known: {known}")
    rates = table["usd_per_unit"][code]
    key = str(table["reference_year"] if year is None else year)
    if key not in rates:
        raise UnitInputError(
            f"no {code} exchange rate for {key}; the table has {', '.join(sorted(rates))}"
        )
    return float(rates[key]["value"])
