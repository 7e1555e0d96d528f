"""Cost and charge-speed trends from the shipped market history.

Reads ``specs/data/battery_market.toml`` (or a file of the same form), puts the
pack prices on one dollar basis (constant dollars of ``basis_year`` through the
CPI table), builds cumulative lithium-ion volume from the annual demand anchors,
and fits:

* Wright's law, pack price against cumulative volume: the learning rate with
  its 95 % interval, projected ahead by a growth scenario for annual volume;
* a time trend of the same prices, projected by year;
* a time trend of the published vehicles' peak DC charging power.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from nevcalc import _show, io
from nevcalc.errors import InputError, SpecError
from nevcalc.io import MARKET_FILE
from nevcalc.model import trends
from nevcalc.units import UnitInputError, to_si

__all__ = ["MARKET_FILE", "MarketHistory", "TrendAnswer", "load_market", "parse_market", "trend"]


@dataclass(frozen=True)
class MarketHistory:
    """Market history in SI floats (prices [USD J^-1] in ``basis_year`` dollars, energy [J])."""

    basis_year: int
    price_year: np.ndarray
    price: np.ndarray
    demand_year: np.ndarray
    demand: np.ndarray
    demand_before: float
    growth: float
    power_year: np.ndarray
    power: np.ndarray  #: [W]
    path: Path
    cpi: dict = field(default_factory=dict)  #: year -> price index

    def deflate(self, value, dollar_year: int):
        """``value`` in dollars of ``dollar_year`` to dollars of ``basis_year``."""
        if dollar_year not in self.cpi:
            raise InputError(
                f"no price index for {dollar_year} in {self.path.name}; "
                f"known years: {', '.join(map(str, sorted(self.cpi)))}"
            )
        return value * self.cpi[self.basis_year] / self.cpi[dollar_year]


@dataclass(frozen=True)
class TrendAnswer:
    """Fitted trends and their projections."""

    market: MarketHistory
    experience: trends.LogLinearFit
    time: trends.LogLinearFit
    charge_power: trends.LogLinearFit
    growth: float
    years: np.ndarray  #: projection years
    cumulative: np.ndarray  #: cumulative volume at the end of each year [J]
    price_by_volume: np.ndarray  #: [USD J^-1]
    price_by_volume_low: np.ndarray
    price_by_volume_high: np.ndarray
    price_by_year: np.ndarray  #: [USD J^-1]
    fitted: np.ndarray | None = None  #: which market prices the experience curve fits
    fitted_volume: np.ndarray | None = None  #: cumulative volume at those prices [J]

    @property
    def learning_rate(self) -> float:
        """Price drop per doubling of cumulative volume [-]."""
        return float(trends.learning_rate(self.experience.slope))

    @property
    def learning_rate_interval(self) -> tuple[float, float]:
        """95 % interval of the learning rate [-]."""
        a = trends.learning_rate(self.experience.slope_high)
        b = trends.learning_rate(self.experience.slope_low)
        return float(a), float(b)

    def __repr__(self) -> str:
        return _show.line(self)

    def _repr_html_(self) -> str:
        return _show.html(self)


def _problem(path: Path, message: str) -> SpecError:
    return SpecError([f"{path}: {message}"])


#: Years a market-history entry may carry.
_YEARS = (1990, 2100)
#: Bounds of the figures of a market-history file, in their units: beyond them a fit
#: overflows (a price of 1e-300 USD/kWh) or the file is not a market history.
_BOUNDS = {"USD/kWh": (1.0, 100_000.0), "GWh": (0.001, 1e7), "kW": (1.0, 10_000.0)}


def _series(doc, name: str, unit: str, path: Path) -> tuple[list[int], list[float]]:
    """The years and bounded figures [``unit``] of the rows of table array ``name``."""
    years, values = [], []
    for i, row in enumerate(_rows(doc, name, path)):
        where = f"{name}[{i}]"
        years.append(_year(_key(row, "year", path, where), path, f"{where}.year"))
        values.append(_bounded(_entry(row, unit, path, where), unit, path, where))
    return years, values


def _key(table, key: str, path: Path, where: str = ""):
    """``table[key]``, or a problem naming the key missing and the fix."""
    if not isinstance(table, dict):
        raise _problem(path, f"{where or key}: give a table, e.g. {{ year = 2024, ... }}")
    if key not in table:
        at = f"{where}: " if where else ""
        raise _problem(path, f"{at}missing key {key!r}; add it (the shipped "
                             "specs/data/battery_market.toml shows every key)")  # fmt: skip
    return table[key]


def _rows(doc: dict, key: str, path: Path) -> list:
    rows = _key(doc, key, path)
    if not isinstance(rows, list) or not rows or not all(isinstance(r, dict) for r in rows):
        raise _problem(path, f"{key}: give one or more [[{key}]] tables")
    return rows


def _year(raw, path: Path, where: str) -> int:
    """A year given as a whole number (or a table key such as "2024"), within _YEARS."""
    year = None
    if isinstance(raw, int) and not isinstance(raw, bool):
        year = raw
    elif isinstance(raw, str) and raw.strip().isdigit() and len(raw.strip()) <= 4:
        year = int(raw)
    if year is None or not _YEARS[0] <= year <= _YEARS[1]:
        raise _problem(
            path, f"{where}: {io.short(raw)} is not a year; give a whole number from "
            f"{_YEARS[0]} to {_YEARS[1]}"
        )  # fmt: skip
    return year


def _bounded(value: float, unit: str, path: Path, where: str) -> float:
    lo, hi = (to_si(f"{b!r} {unit}", unit, where) for b in _BOUNDS[unit])
    if not lo <= value <= hi:
        raise _problem(path, f"{where}: outside {_BOUNDS[unit][0]:g} to {_BOUNDS[unit][1]:g} "
                             f"{unit}; check the figure and its unit")  # fmt: skip
    return value


def _entry(raw, unit: str, path: Path, where: str) -> float:
    if not isinstance(raw, dict) or "value" not in raw:
        raise _problem(path, f"{where}: expected a table with value, source and kind")
    for k in ("source", "kind"):
        if not raw.get(k):
            raise _problem(path, f"{where}: missing {k}; every figure carries its source")
    value = raw["value"]
    if unit == "" and isinstance(value, int | float):
        return float(value)
    try:
        return to_si(value, unit, f"{path.name}: {where}")
    except (InputError, UnitInputError) as exc:
        raise SpecError([str(exc)]) from None


def load_market(path: str | Path | None = None) -> MarketHistory:
    """Read (:func:`nevcalc.io.read_market`) and check a market-history file (the shipped
    one by default); a thin wrapper of :func:`parse_market`."""
    path = Path(path) if path is not None else MARKET_FILE
    return parse_market(io.read_market(path), path)


def parse_market(doc: dict, path: Path) -> MarketHistory:
    """Check a market-history table (as read by :func:`nevcalc.io.read_market`).

    Parameters
    ----------
    doc : dict
        The parsed TOML.
    path : pathlib.Path
        Where it came from, for messages.
    """
    basis = _year(_key(doc, "basis_year", path), path, "basis_year")
    cpi_table = _key(doc, "cpi", path)
    if not isinstance(cpi_table, dict):
        raise _problem(path, "cpi: give a table of year = { value = ..., source, kind }")
    cpi = {_year(y, path, f"cpi.{y}"): _entry(v, "", path, f"cpi.{y}")
           for y, v in cpi_table.items()}  # fmt: skip
    for y, v in cpi.items():
        if not 1 <= v <= 100_000:
            raise _problem(path, f"cpi.{y}: {v:g} is outside 1 to 100000; give the index value")
    pyears, prices = [], []
    for i, row in enumerate(_rows(doc, "pack_price", path)):
        where = f"pack_price[{i}]"
        dollar_year = _year(_key(row, "dollar_year", path, where), path, f"{where}.dollar_year")
        if dollar_year not in cpi or basis not in cpi:
            raise _problem(path, f"{where}: no cpi entry for {dollar_year}; add it")
        pyears.append(_year(_key(row, "year", path, where), path, f"{where}.year"))
        price = _bounded(_entry(row, "USD/kWh", path, where), "USD/kWh", path, where)
        prices.append(price * cpi[basis] / cpi[dollar_year])
    dyears, demand = _series(doc, "annual_demand", "GWh", path)
    before = _bounded(
        _entry(_key(doc, "demand_before_2014", path), "GWh", path, "demand_before_2014"),
        "GWh", path, "demand_before_2014",
    )  # fmt: skip
    growth = _entry(_key(doc, "growth", path), "", path, "growth")
    if not -0.5 < growth < 5:
        raise _problem(path, f"growth: {growth:g} is outside -0.5 to 5 (-50 % to 500 % a year)")
    wyears, power = _series(doc, "peak_charge_power", "kW", path)
    if np.any(np.diff(dyears) <= 0):
        raise _problem(path, "annual_demand: years must increase")
    if min(prices + demand + power) <= 0:
        raise _problem(path, "prices, demand and power must be positive")
    return MarketHistory(
        basis, np.array(pyears, float), np.array(prices), np.array(dyears, float),
        np.array(demand), before, growth, np.array(wyears, float), np.array(power), path, cpi,
    )  # fmt: skip


def trend(until: int = 2035, growth=None, path=None) -> TrendAnswer:
    """Fit the trends and project pack prices to ``until``.

    Parameters
    ----------
    until : int
        Last projected year.
    growth : float, optional
        Growth of annual volume [-, per year]; the file's scenario by default.
    path : str or Path, optional
        Market-history file; the shipped one by default.
    """
    m = load_market(path)
    g = m.growth if growth is None else float(growth)
    if not -0.5 < g < 5:
        raise InputError(f"option --growth: {g:.0%} is outside -50 %..500 % a year")
    first, last = int(m.demand_year[0]), int(m.demand_year[-1])
    if until <= last or until > 2100:
        raise InputError(f"option --until: give a year after {last} and up to 2100")
    years = np.arange(first, last + 1)
    annual = trends.geometric_interpolation(years, m.demand_year, m.demand)
    cumulative = trends.cumulative_volume(annual, m.demand_before)
    inside = (m.price_year >= first) & (m.price_year <= last)
    volume_at_price = np.interp(m.price_year[inside], years, cumulative)
    exp_fit = trends.fit_experience_curve(volume_at_price, m.price[inside])
    time_fit = trends.fit_time_trend(m.price_year, m.price)
    power_fit = trends.fit_time_trend(m.power_year, m.power)
    ahead = np.arange(last + 1, until + 1)
    cum_ahead = trends.projected_cumulative_volume(cumulative[-1], annual[-1], g, ahead.size)
    lv = np.log(cum_ahead)
    return TrendAnswer(
        m, exp_fit, time_fit, power_fit, g, ahead, cum_ahead,
        exp_fit.predict(lv),
        exp_fit.predict(lv, exp_fit.slope_low),
        exp_fit.predict(lv, exp_fit.slope_high),
        time_fit.predict(ahead - 2020.0), inside, volume_at_price,
    )  # fmt: skip
