"""Lifecycle cost of a vehicle, broken into its parts, in present value.

All money is in one currency per call (the caller converts at the edge;
``[money]`` below); energy in [J], distance in [m], time in [s], power in
[W]. Every argument broadcasts, so one call prices one car or a sweep of
millions. Cash flows of year ``k`` (1-based) are discounted by
``(1 + r)^-k``; the purchase is at year 0. The year is the one unit that is
not SI: ownership ``years`` counts yearly cash flows, and a discount rate is
per year, as every TCO study states them.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

__all__ = [
    "CostParts",
    "discount_factors",
    "fast_charge_time",
    "lifecycle_cost",
    "replacement_year",
]


class CostParts(NamedTuple):
    """Present value of each part [money]; ``total`` is their sum, ``per_m`` per metre driven."""

    purchase: np.ndarray
    energy: np.ndarray
    replacement: np.ndarray
    maintenance: np.ndarray
    time: np.ndarray
    residual: np.ndarray  #: negative: what the car is worth at the end
    total: np.ndarray
    per_m: np.ndarray  #: [money m^-1], total over the distance driven

    @property
    def per_km(self) -> np.ndarray:
        """Total over the distance driven [money km^-1]; ``per_m`` times 1000, kept for
        callers written before the model was SI."""
        return self.per_m * 1e3


def discount_factors(years: int, rate):
    """Present value of one unit of money paid at the end of each year.

    Parameters
    ----------
    years : int
        Number of yearly cash flows [-].
    rate : array_like
        Real discount rate per year [-].

    Returns
    -------
    numpy.ndarray
        ``(1 + r)^-k`` for k = 1..years [-], shape ``rate.shape + (years,)``.

    Examples
    --------
    By hand at 5 %: 1/1.05 = 0.952, 1/1.05^2 = 0.907, 1/1.05^3 = 0.864; one row per rate.

    >>> np.round(discount_factors(3, [0.0, 0.05]), 3)
    array([[1.   , 1.   , 1.   ],
           [0.952, 0.907, 0.864]])
    """
    k = np.arange(1, int(years) + 1)
    return (1.0 + np.asarray(rate, float))[..., None] ** -k


def replacement_year(capacity_by_year, threshold):
    """First year whose end-of-year capacity is below ``threshold``; 0 when none.

    Parameters
    ----------
    capacity_by_year : array_like
        Relative capacity at the end of years 1..N, last axis [-].
    threshold : array_like
        Capacity that triggers a replacement [-]; broadcasts against the leading axes.

    Returns
    -------
    numpy.ndarray of int
        Year [-] (1-based), 0 where the capacity never falls below ``threshold``.

    Examples
    --------
    Capacity 0.95, 0.85, 0.75, 0.65 at the ends of years 1-4: below 0.8 first at the
    end of year 3; it never falls below 0.6.

    >>> replacement_year([0.95, 0.85, 0.75, 0.65], [0.8, 0.6])
    array([3, 0])
    """
    q = np.asarray(capacity_by_year, float)
    below = q < np.asarray(threshold, float)[..., None]
    first = np.argmax(below, axis=-1) + 1
    return np.where(below.any(axis=-1), first, 0)


def lifecycle_cost(
    years,
    distance_per_year,
    discount_rate,
    vehicle_price,
    pack_energy,
    pack_price,
    consumption,
    energy_price,
    charging_efficiency,
    *,
    replacement_year_=0,
    pack_price_at_replacement=None,
    maintenance_per_distance=0.0,
    fast_charge_time_per_year=0.0,
    value_of_time=0.0,
    residual_fraction=0.0,
):
    """Present value of owning and driving a vehicle, by part.

    Parameters
    ----------
    years : int
        Ownership [years].
    distance_per_year : array_like
        [m].
    discount_rate : array_like
        Real discount rate [-].
    vehicle_price : array_like
        Vehicle without its battery [money].
    pack_energy : array_like
        Installed battery energy [J].
    pack_price : array_like
        Pack price at purchase [money J^-1].
    consumption : array_like
        At the battery [J m^-1].
    energy_price : array_like
        Average price of the energy bought, over the charging mix [money J^-1].
    charging_efficiency : array_like
        Grid to battery, over the mix [-].
    replacement_year_ : array_like of int
        Year at whose end the pack is replaced, 0 for never.
    pack_price_at_replacement : array_like, optional
        [money J^-1]; ``pack_price`` if omitted.
    maintenance_per_distance : array_like
        [money m^-1].
    fast_charge_time_per_year : array_like
        Time spent at fast chargers a year [s].
    value_of_time : array_like
        [money s^-1].
    residual_fraction : array_like
        Value at the end over the purchase price [-].

    Returns
    -------
    CostParts
        Present values [money]; ``per_m`` [money m^-1] is the total over the distance
        driven. Parts that overflow are inf (no warning); callers refuse them.

    Examples
    --------
    Ten years of 15 000 km without discounting: a 25 000 car with a 77.4 kWh pack at
    100 per kWh, 0.15 kWh/km at the battery charged at 90 % efficiency for 0.20 per
    kWh. By hand: purchase 25 000 + 7 740 = 32 740; energy 10 * 15 000 * 0.15 / 0.9 *
    0.20 = 5 000; total 37 740 over 150 000 km, 0.2516 per km.

    >>> kwh = 3.6e6  # [J]
    >>> c = lifecycle_cost(10, 1.5e7, 0.0, 25_000.0, 77.4 * kwh, 100 / kwh, 0.15 * kwh / 1e3,
    ...                    0.20 / kwh, 0.9)
    >>> float(c.purchase), round(float(c.energy), 6), round(float(c.total), 6)
    (32740.0, 5000.0, 37740.0)
    >>> round(float(c.per_m) * 1e3, 4)  # per km
    0.2516

    Arrays broadcast: the same car at three discount rates; by hand the energy is 500 a
    year times the annuity factor, 10, 8.530 at 3 % and 7.722 at 5 %.

    >>> np.round(lifecycle_cost(10, 1.5e7, [0.0, 0.03, 0.05], 25_000.0, 77.4 * kwh,
    ...                         100 / kwh, 0.15 * kwh / 1e3, 0.20 / kwh, 0.9).energy)
    array([5000., 4265., 3861.])
    """
    with np.errstate(over="ignore", invalid="ignore"):  # the caller checks the parts
        return _lifecycle_cost(
            int(years), distance_per_year, discount_rate, vehicle_price, pack_energy,
            pack_price, consumption, energy_price, charging_efficiency, replacement_year_,
            pack_price_at_replacement, maintenance_per_distance, fast_charge_time_per_year,
            value_of_time, residual_fraction,
        )  # fmt: skip


def _lifecycle_cost(years, distance_per_year, discount_rate, vehicle_price, pack_energy,
                    pack_price, consumption, energy_price, charging_efficiency,
                    replacement_year_, pack_price_at_replacement, maintenance_per_distance,
                    fast_charge_time_per_year, value_of_time, residual_fraction):  # fmt: skip
    r = np.asarray(discount_rate, float)
    # sum of (1 + r)^-k over k = 1..years in closed form, (1 - (1 + r)^-years) / r, written
    # with log1p/expm1 so that it stays exact for tiny r (the limit ``years`` at r = 0)
    log_growth = np.log1p(r)
    x = -years * log_growth
    last = np.exp(x)  # the discount factor of the last year
    with np.errstate(divide="ignore", invalid="ignore"):
        annuity = np.where(r == 0.0, float(years), -np.expm1(x) / r)
    d = np.asarray(distance_per_year, float)
    purchase = np.asarray(vehicle_price, float) + np.asarray(pack_energy, float) * np.asarray(
        pack_price, float
    )
    energy = annuity * d * np.asarray(consumption, float) / np.asarray(
        charging_efficiency, float
    ) * np.asarray(energy_price, float)  # fmt: skip
    ry = np.asarray(replacement_year_, int)
    price_r = pack_price if pack_price_at_replacement is None else pack_price_at_replacement
    # paid at the end of the replacement year: (1 + r)^-ry, as exp(-ry ln(1 + r))
    factor = np.exp(-np.maximum(ry, 1) * log_growth)
    replacement = np.where(
        (ry > 0) & (ry < years),
        factor * np.asarray(pack_energy, float) * np.asarray(price_r, float),
        0.0,
    )
    maintenance = annuity * d * np.asarray(maintenance_per_distance, float)
    time = (
        annuity * np.asarray(fast_charge_time_per_year, float) * np.asarray(value_of_time, float)
    )
    residual = -last * np.asarray(residual_fraction, float) * purchase
    total = purchase + energy + replacement + maintenance + time + residual
    per_m = total / (years * d)
    return CostParts(purchase, energy, replacement, maintenance, time, residual, total, per_m)


def fast_charge_time(distance_per_year, consumption_wall, fast_share, fast_power):
    """Time spent at fast chargers a year [s].

    Parameters
    ----------
    distance_per_year : array_like
        [m].
    consumption_wall : array_like
        Energy per distance drawn from chargers [J m^-1].
    fast_share : array_like
        Share of that energy from fast chargers [-].
    fast_power : array_like
        Average power of a fast charge [W]; 0 where it cannot charge (no time counted).

    Returns
    -------
    numpy.ndarray
        [s] a year.

    Examples
    --------
    By hand: 15 000 km at 0.2 kWh/km from the wall, a fifth of it fast at 100 kW, is
    600 kWh / 100 kW = 6 h = 21 600 s a year; none where the car cannot fast-charge.

    >>> fast_charge_time(1.5e7, 720.0, 0.2, [1e5, 0.0])
    array([21600.,     0.])
    """
    p = np.asarray(fast_power, float)
    energy = np.asarray(fast_share) * distance_per_year * consumption_wall
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(p > 0, energy / p, 0.0)
