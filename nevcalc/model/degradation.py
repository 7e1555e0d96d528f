"""Capacity fade of lithium-ion cells: calendar plus cycling, over years of a duty.

The models are the published empirical ones of NREL's BLAST-Lite (written out
as math in ``shared/data/anchors/blast_lite_equations.md``; each cites its
data paper), re-implemented here for arrays of cells:

* LFP-graphite 250 Ah prismatic (doi 10.1016/j.est.2023.109042),
* NMC622-graphite DENSO 50 Ah (Smith et al., J. Electrochem. Soc. 168 (2021)
  100530), whose cycling fade responds to the charging C-rate,
* NCA-graphite Panasonic 18650B (Keil et al. 2016; Preger et al. 2020),
* NMC811-graphite/Si LG MJ1 (EVERLASTING project report D2.3, 2020).

A duty is one day of state of charge sampled at times ``t`` [h], repeated;
the capacity-loss states follow power laws in time and in equivalent full
cycles (EFC), advanced with the "equivalent-x" rule: a state ``y`` on the
trajectory ``y = k x^p`` grows by ``dy = k p (y/k)^((p-1)/p) dx`` when the
rate ``k`` changes. As capacity ``q`` falls the same energy throughput needs
a deeper SoC swing (depth grows as ``1/q``), which feeds back into the rates.

With a steady duty the rates depend on a cell only through ``q``; they are
tabulated once on a grid of ``q`` and interpolated. Days are grouped into
steps of ``step_days``: each state moves along the path that day-by-day
steps at constant rate would take (a universal sequence, see
:func:`_euler_table`), at the rates of the step's midpoint. Yearly steps
stay within 0.25 percentage points of BLAST-Lite's day-by-day stepping on
the duties of ``tests/validation/test_blast.py`` (0.009 in the median).

Pure numpy; arrays broadcast over cells. Arguments are SI: temperature [K],
time [s], C-rate [s^-1] (1C is ``1 / HOUR``). The exceptions are counts on a
calendar, and their names say so: ``years`` (whole years of 365 days at which
capacity is reported, and the years returned by :func:`years_to_capacity`),
``step_days`` (repetitions of a duty per step), ``efc_per_day`` (equivalent
full cycles a day, of :func:`usage_duty` and the simple model) and
:data:`MAX_PERIOD_DAYS`. Inside, the fitted rates are per hour and per day, as
published; the conversion happens once, in :func:`daily_duty` and the rate
functions.

References
----------
.. [1] NREL, BLAST-Lite 1.1.1, https://github.com/NREL/BLAST-Lite; its equations
   written out in ``shared/data/anchors/blast_lite_equations.md``.
.. [2] M. Safari and C. Delacourt, "Modeling of a commercial graphite/LiFePO4 cell",
   J. Electrochem. Soc. 158 (2011) A562.
"""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

import numpy as np

from nevcalc.model.tables import distinct

__all__ = [
    "DAY",
    "DAYS_PER_YEAR",
    "FITTED_CAPACITY_MIN",
    "HOUR",
    "MAX_PERIOD_DAYS",
    "MAX_SWEEPS_PER_DAY",
    "MODELS",
    "MODEL_INFO",
    "SIMPLE_CALENDAR_YEARS",
    "DailyDuty",
    "DaysApart",
    "ModelInfo",
    "calendar_activation_energy",
    "calendar_temperature",
    "capacity_fade",
    "daily_duty",
    "effective_temperature",
    "graphite_potential",
    "mix_duty",
    "simple_capacity",
    "simple_years_to",
    "usage_duty",
    "years_to_capacity",
]

#: Calendar life to 80 % of the simple model for chemistries known only from claims [years].
SIMPLE_CALENDAR_YEARS = 15.0
#: One hour and one day [s].
HOUR = 3600.0
DAY = 86400.0
#: Longest time between sweeps of a duty [day]: rarer sweeps are aged as one a year, which
#: bounds the work of any duty and over-states (never under-states) the cycling fade.
MAX_PERIOD_DAYS = 365.0
#: Days of a year in the ageing models' calendar (and the duty's cycles a year).
DAYS_PER_YEAR = 365.0
#: Most sweeps of the SoC window in one day of a duty (a taxi on two shifts makes 2-4).
MAX_SWEEPS_PER_DAY = 12


def graphite_potential(soc):
    """Graphite open-circuit potential against lithium at a cell's state of charge.

    The fit of Safari & Delacourt [2]_ in the stoichiometry ``x = 0.0085 + 0.7715 soc``
    of the negative electrode, as BLAST-Lite uses it in its LFP calendar model.

    Parameters
    ----------
    soc : array_like
        Cell state of charge [-].

    Returns
    -------
    numpy.ndarray
        Potential of the graphite electrode vs Li/Li+ [V]; falls as the cell charges.

    References
    ----------
    .. [2] M. Safari and C. Delacourt, J. Electrochem. Soc. 158 (2011) A562.

    Examples
    --------
    >>> # the fit's six terms evaluated by hand at x = 0.0085, 0.3943, 0.78:
    >>> # 0.684 V, 0.123 V (the stage-2 plateau), 0.086 V
    >>> np.round(graphite_potential([0.0, 0.5, 1.0]), 3)
    array([0.684, 0.123, 0.086])
    """
    x = 0.0085 + np.asarray(soc, float) * (0.78 - 0.0085)
    return (
        0.6379
        + 0.5416 * np.exp(-305.5309 * x)
        + 0.044 * np.tanh(-(x - 0.1958) / 0.1088)
        - 0.1978 * np.tanh((x - 1.0571) / 0.0854)
        - 0.6875 * np.tanh((x + 0.0117) / 0.0529)
        - 0.0175 * np.tanh((x - 0.5692) / 0.0875)
    )


class DailyDuty(NamedTuple):
    """One day of use at full capacity, repeated.

    ``soc`` [-] has shape ``(..., m)`` for samples at ``time`` [s] (shape ``(m,)``,
    0 to 86400 for one day); the temperature [K] broadcasts against the leading shape.
    """

    time: np.ndarray
    soc: np.ndarray
    temperature: np.ndarray
    #: hourly samples each point stands for in a plain mean over samples (None: one each)
    count: np.ndarray | None = None
    #: weights [-] (summing to 1) of the last leading axis of ``soc`` and ``temperature``
    #: when it is a mix of duties over a year (AC and DC days, months of a climate); the
    #: rates are combined over it (:func:`mix_duty`). None: no mix axis.
    weights: np.ndarray | None = None


def daily_duty(soc_high, soc_low, *, charge_rate, temperature, period=DAY, sweeps=1):
    """The standard daily duty: parked at ``soc_high``, driven to ``soc_low``, charged back.

    With one sweep a day (``sweeps=1``): parked at ``soc_high`` from midnight; two
    equal one-hour drives at 07:00 and 17:00 take the SoC down to ``soc_low``; the
    car charges at ``charge_rate`` so that it is full again at midnight. Sampled
    every hour plus the start of charging, as BLAST-Lite's example duty is in
    ``tests/reference/blast_lite_runs.py`` (0.5 equivalent full cycles a day for
    80 -> 30 %).

    With ``n = sweeps`` of two or more (taxis, ride-hailing on shifts) the day is cut
    into ``n`` equal slots: in each the car is driven from ``soc_high`` to ``soc_low``
    and charged back by the slot's end, at ``charge_rate`` or, when that cannot refill
    the window in half a slot, at the rate that does.

    Parameters
    ----------
    soc_high, soc_low : float
        Highest and lowest state of charge of the day [-].
    charge_rate : float or array_like of shape (k,)
        Charge C-rate [s^-1] (1C is 1/3600 s^-1); with one sweep, charging must fit
        between 18:00 and midnight. Several rates give ``k`` profiles on one time grid
        (``soc`` of shape ``(k, m)``), e.g. an AC and a DC day for :func:`mix_duty`.
    temperature : array_like
        Cell temperature [K]; the leading shape of the duty.
    period : float
        Time between repetitions of the day's sweeps [s], at least one day
        (:data:`DAY`; ``2 * DAY`` for a sweep every other day): parked at ``soc_high``
        for the extra time. At most :data:`MAX_PERIOD_DAYS` days; the samples are
        bounded (about 30 plus three a sweep) whatever the period.
    sweeps : int
        Sweeps of the window in the first day, 1 to :data:`MAX_SWEEPS_PER_DAY`.

    Returns
    -------
    DailyDuty

    References
    ----------
    .. [1] NREL, BLAST-Lite 1.1.1 (Battery Lifetime Analysis and Simulation Toolsuite),
       https://github.com/NREL/BLAST-Lite

    Examples
    --------
    80 % -> 30 % at C/4 (1/14400 s^-1) and 25 degC: the day swings 50 % down and
    50 % up, 0.5 equivalent full cycles (the count of the BLAST-Lite example).

    >>> duty = daily_duty(0.8, 0.3, charge_rate=1 / 14400, temperature=298.15)
    >>> float(np.sum(np.abs(np.diff(duty.soc))) / 2)
    0.5
    >>> float(duty.time[-1])  # one day [s]
    86400.0

    Temperatures broadcast: one SoC profile shared by three cells at 0, 25 and 45 degC;
    25 samples, the hours 0 to 24 (charging starts at 24 - 0.5 / 0.25 = 22 h, on the hour).

    >>> duty = daily_duty(0.8, 0.3, charge_rate=1 / 14400, temperature=[273.15, 298.15, 318.15])
    >>> duty.temperature.shape, duty.soc.shape
    ((3,), (25,))

    A taxi on two shifts: two sweeps of 90 -> 15 % a day are 1.5 full cycles; an AC
    and a DC profile (C/4 and 2C) share one time grid.

    >>> duty = daily_duty(0.9, 0.15, charge_rate=[0.25 / HOUR, 2 / HOUR], temperature=298.15,
    ...                   sweeps=2)
    >>> np.round(np.sum(np.abs(np.diff(duty.soc, axis=-1)), axis=-1) / 2, 6)
    array([1.5, 1.5])
    """
    hi, lo = float(soc_high), float(soc_low)
    n = int(sweeps)
    if not 1 <= n <= MAX_SWEEPS_PER_DAY:
        raise ValueError(f"sweeps must be 1 to {MAX_SWEEPS_PER_DAY}, not {sweeps!r}")
    rates = np.atleast_1d(np.asarray(charge_rate, float)) * HOUR  # [h^-1]: built on the hour
    depth = hi - lo
    # [h], to a microhour: a period a rounding error above a day is a day (not a second,
    # coincident sample at its end that a sampled mean would count twice)
    end = round(24.0 * min(max(float(period) / DAY, 1.0), MAX_PERIOD_DAYS), 6)
    if n == 1:
        starts = np.maximum(24.0 - depth / rates, 18.0)
        marks = starts
    else:
        slot = 24.0 / n
        fill = np.minimum(depth / rates, slot / 2)  # hours of charging a slot
        rates = depth / fill
        s0 = np.arange(n) * slot
        marks = np.concatenate([s0, (s0[None, :] + slot - fill[:, None]).ravel()])
    # hourly through the first day and the hour after it; the rest of a longer period is
    # parked at soc_high, held by one sample that stands for its hourly samples
    hourly = np.arange(0.0, min(np.floor(end), 25.0) + 1.0)
    t = distinct(np.concatenate([hourly, marks, [end]]))
    # the last sample stands for the whole hours after 25 h and, as a share of a sample,
    # the part of an hour the period ends with (so a period a little longer ages a little
    # differently, not a whole hourly sample differently)
    count = np.ones_like(t)
    if (end > 24.0 and end != np.floor(end)) or end > 25.0:
        count[-1] = max(np.floor(end) - 25.0, 0.0) + (end - np.floor(end))
    if n == 1:
        soc = hi - depth / 2 * (np.clip(t - 7.0, 0, 1) + np.clip(t - 17.0, 0, 1))
        soc = np.minimum(soc + np.clip((t - starts[:, None]) * rates[:, None], 0.0, depth), hi)
    else:
        u = np.minimum(t, 24.0) - np.minimum(np.floor(np.minimum(t, 24.0) / slot), n - 1) * slot
        drive = slot - fill[:, None]  # hours driving down a slot
        soc = np.where(u <= drive, hi - depth * u / drive,
                       lo + depth * (u - drive) / fill[:, None])  # fmt: skip
        soc = np.where(t >= 24.0, hi, np.clip(soc, lo, hi))
    if np.ndim(charge_rate) == 0:
        soc = soc[0]
    return DailyDuty(t * HOUR, soc, np.asarray(temperature, float), count)


class DaysApart(NamedTuple):
    """Kinds of day sampled apart (each its own :class:`DailyDuty`, on its own times, of
    one period), aged as a mix with the share of the days of each (the rule of
    :func:`mix_duty`): e.g. days of two and of three sweeps of a window."""

    parts: tuple
    weights: np.ndarray


def mix_duty(duty: DailyDuty, weights) -> DailyDuty:
    """A duty whose last leading axis is a mix over the year, with the share of each.

    The days of a year need not be alike: some are charged at a DC fast charger and
    some at home; the months differ in temperature. Each kind of day ``i`` ages the
    cell at its own rates ``k_i`` for a share ``w_i`` of the days; a power-law state
    ``y = k x^p`` advanced by the equivalent-x rule grows by ``p k^(1/p) y^(1-1/p) dx``,
    so the year ages it as the single rate ``(sum_i w_i k_i^(1/p))^p`` (what
    day-by-day stepping through the mix gives, to first order in a step).

    Parameters
    ----------
    duty : DailyDuty
        ``soc`` of shape ``(..., k, m)`` or ``(m,)``; ``temperature`` of shape
        ``(..., k)`` or ``(...,)`` (broadcast); ``k`` kinds of day.
    weights : array_like of shape (k,)
        Share of the days (and of the equivalent full cycles) of each kind [-]; summing
        to 1.

    Returns
    -------
    DailyDuty
        The same samples with :attr:`DailyDuty.weights` set.

    Examples
    --------
    An LFP cell parked in a climate of two seasons, 10 and 30 degC half a year each,
    ages faster than one kept at their mean 20 degC (Arrhenius is convex), and more
    slowly than one at 30 degC all year.

    >>> both = daily_duty(0.8, 0.3, charge_rate=0.25 / HOUR, temperature=[283.15, 303.15])
    >>> mixed = mix_duty(both, [0.5, 0.5])
    >>> mean = daily_duty(0.8, 0.3, charge_rate=0.25 / HOUR, temperature=[293.15, 303.15])
    >>> q_mix = capacity_fade("lfp-gr-250ah", mixed, [10])[0]
    >>> q20, q30 = capacity_fade("lfp-gr-250ah", mean, [10])[:, 0]
    >>> bool(q30 < q_mix < q20)
    True
    """
    w = np.asarray(weights, float)
    if w.ndim != 1 or np.any(w < 0) or not np.isclose(w.sum(), 1.0):
        raise ValueError("weights must be a 1-d array of shares summing to 1")
    return duty._replace(weights=w / w.sum())


def effective_temperature(temperature, weights=None, activation_energy=50e3):
    """The constant temperature that ages as a mix of temperatures does, by Arrhenius.

    ``exp(-Ea / (R T_eff)) = sum_i w_i exp(-Ea / (R T_i))`` over the last axis, for a
    rate with one activation energy ``Ea``. The empirical models each have their own
    (and their states grow as a power of time): :func:`calendar_temperature` collapses a
    mix with a model's own calendar rate.

    Parameters
    ----------
    temperature : array_like
        Temperatures [K], the mix on the last axis (e.g. 12 monthly means).
    weights : array_like, optional
        Shares [-] of the last axis (equal by default).
    activation_energy : float
        [J mol^-1]; 50 kJ/mol is typical of calendar fade of graphite cells.

    Returns
    -------
    numpy.ndarray
        [K], the leading shape.

    Examples
    --------
    Half a year at 10 and half at 30 degC ages as 22.94 degC, warmer than their mean of
    20 degC. By hand, with ``b = Ea / R = 6013.7 K``: the factors against 25 degC are
    ``exp(-b (1/283.15 - 1/298.15)) = 0.3435`` and ``exp(-b (1/303.15 - 1/298.15)) =
    1.3947``, their mean 0.8691, and ``1 / T = 1/298.15 - ln(0.8691) / b`` gives 296.09 K.

    >>> round(float(effective_temperature([283.15, 303.15])), 2)  # [K]
    296.09
    """
    t = np.asarray(temperature, float)
    w = np.full(t.shape[-1], 1.0 / t.shape[-1]) if weights is None else np.asarray(weights)
    mean = np.sum(w * _arrhenius(activation_energy, t), axis=-1)
    return 1.0 / (1.0 / 298.15 - np.log(mean) / (activation_energy / _R))


#: Temperatures [K] on which :func:`calendar_temperature` tabulates a model's calendar
#: rate: -60 to 80 degC every 0.25 K (the climates' bounds plus a rise of 30 K).
_T_GRID = np.linspace(213.15, 353.15, 561)


@lru_cache(maxsize=64)
def _calendar_curve(model: str, soc_high: float, soc_low: float) -> tuple[np.ndarray, float]:
    """``(ln k_cal(T) on _T_GRID, p)`` of a model's calendar rate on the standard duty."""
    duty = daily_duty(soc_high, soc_low, charge_rate=0.25 / HOUR, temperature=_T_GRID)
    kcal, _, _, (pt, _), _ = MODELS[model](duty, np.ones(1))
    log_k = np.log(np.maximum(np.broadcast_to(kcal, _T_GRID.shape), 1e-300))
    if not np.all(np.diff(log_k) > 0):
        raise ValueError(f"{model}: the calendar rate does not rise with temperature")
    return log_k, float(pt)


def calendar_activation_energy(model: str, soc_low=0.3, soc_high=0.8, temperature=298.15):
    """A model's apparent activation energy of calendar fade, ``-R d ln k_cal / d(1/T)``.

    The BLAST-Lite forms each carry their own Arrhenius terms, some depending on the
    state of charge: LFP ``exp(-5210 K / T) exp(-3560 K U_a(soc) / T)``, NMC622
    ``exp(-37 kJ/mol / (R T))`` times a polynomial in soc and T, NCA and NMC811
    ``exp(B / T) exp(C soc / T)``. This is their slope on :func:`daily_duty`'s day of the
    window, at ``temperature``.

    Parameters
    ----------
    model : str
        A key of :data:`MODELS`.
    soc_low, soc_high : float
        The window of the day [-].
    temperature : float
        Where the slope is taken [K].

    Returns
    -------
    float
        [J mol^-1].

    References
    ----------
    .. [1] NREL, BLAST-Lite 1.1.1, https://github.com/NREL/BLAST-Lite; the models'
       equations in ``shared/data/anchors/blast_lite_equations.md``.

    Examples
    --------
    LFP's calendar fade is about 47 kJ/mol (R times 5210 K plus 3560 K times the day's
    weighted graphite potential, about 0.13 V); NMC622's 37 kJ/mol less its polynomial's
    fall with temperature (``-4.06e-6 soc T``: 36 kJ/mol at the day's mean soc of 0.59);
    NCA ``R (3340 - 353 x 0.59) K`` = 26 kJ/mol; the LG MJ1 cell's
    ``R (1030 - 57.7 x 0.59) K`` = 8 kJ/mol.

    >>> [round(calendar_activation_energy(m) / 1e3) for m in MODELS]
    [47, 36, 26, 8]
    """
    log_k, _ = _calendar_curve(model, float(soc_high), float(soc_low))
    slope = np.interp(float(temperature), _T_GRID[1:], np.diff(log_k) / np.diff(1.0 / _T_GRID))
    return float(-_R * slope)


def calendar_temperature(model: str, temperature, weights=None, soc_low=0.3, soc_high=0.8):
    """The constant temperature at which a model's calendar fade advances as through a mix.

    The mix (the months of a climate) is aged month by month by :func:`mix_duty`: a
    calendar state ``y = k t^p`` advances as the rate ``(sum_i w_i k_i^(1/p))^p``. The
    temperature returned has that rate, ``k(T_eff)^(1/p) = sum_i w_i k(T_i)^(1/p)``, with
    ``k`` the model's own calendar rate (its own Arrhenius terms, on
    :func:`daily_duty`'s day of the window): a model whose fade rises faster with
    temperature (a higher activation energy, :func:`calendar_activation_energy`) or grows
    more slowly in time (a smaller ``p``) weighs a hot month more.

    Parameters
    ----------
    model : str
        A key of :data:`MODELS`.
    temperature : array_like
        Temperatures [K] of the mix on the last axis (e.g. 12 monthly means), -60 to
        80 degC.
    weights : array_like, optional
        Shares [-] of the last axis (equal by default).
    soc_low, soc_high : float
        The window of the day [-].

    Returns
    -------
    numpy.ndarray
        [K], the leading shape.

    References
    ----------
    .. [1] NREL, BLAST-Lite 1.1.1, https://github.com/NREL/BLAST-Lite; the models'
       equations in ``shared/data/anchors/blast_lite_equations.md``.
    .. [2] S. Arrhenius, Z. Phys. Chem. 4 (1889) 226.

    Examples
    --------
    Half a year at 10 and half at 30 degC: the LFP model (about 47 kJ/mol, ``p = 0.526``)
    ages as 297.96 K (24.8 degC), the LG MJ1 NMC811 model (about 8 kJ/mol, ``p = 0.743``)
    as 293.59 K (20.4 degC), near the mean (both found by bisection on the closed forms of
    their rates); one temperature all year is itself.

    >>> seasons = [283.15, 303.15]
    >>> round(float(calendar_temperature("lfp-gr-250ah", seasons)), 2)
    297.96
    >>> round(float(calendar_temperature("nmc811-grsi-lgmj1", seasons)), 2)
    293.59
    >>> round(float(calendar_temperature("nca-gr-panasonic3ah", [290.0] * 12)), 6)
    290.0
    """
    log_k, p = _calendar_curve(model, float(soc_high), float(soc_low))
    t = np.asarray(temperature, float)
    w = np.full(t.shape[-1], 1.0 / t.shape[-1]) if weights is None else np.asarray(weights)
    g = np.interp(t, _T_GRID, log_k) / p  # ln k^(1/p) of each part of the mix
    top = np.max(g, axis=-1, keepdims=True)
    target = p * (top[..., 0] + np.log(np.sum(w * np.exp(g - top), axis=-1)))
    return np.interp(target, log_k, _T_GRID)


def _scaled_soc(soc, q):
    """SoC trajectory for capacity ``q``: the same charge throughput, deltas / q, clipped."""
    d = np.diff(soc, axis=-1) / q[..., None]
    first = np.broadcast_to(soc[..., :1], (*d.shape[:-1], 1))
    return np.clip(np.concatenate([first, first + np.cumsum(d, axis=-1)], axis=-1), 0.0, 1.0)


def _trapz_mean(values, t):
    """Time average of sampled values over ``t`` (trapezoid)."""
    return np.trapezoid(values, t, axis=-1) / (t[-1] - t[0])


def _day_stats(duty: DailyDuty, q):
    """Per-day EFC, depth, mean C-rate and charge C-rate at capacity ``q``."""
    lead = np.broadcast_shapes(q.shape, duty.soc.shape[:-1])
    soc = _scaled_soc(np.broadcast_to(duty.soc, lead + duty.soc.shape[-1:]),
                      np.broadcast_to(q, lead))  # fmt: skip
    t = duty.time / HOUR  # the fitted rates are per hour and per day
    dt = np.diff(t)
    dsoc = np.diff(soc, axis=-1)
    efc = np.sum(np.abs(dsoc), axis=-1) / 2 * q
    dod = soc.max(axis=-1) - soc.min(axis=-1)
    rate = np.abs(dsoc / dt)
    rate = np.where(rate < 0.01, 0.0, rate)
    days = (t[-1] - t[0]) / 24.0
    crate = np.trapezoid(rate, t[1:] / 24.0, axis=-1) / days * q
    charging = dsoc > 1e-9  # round-off in the parked samples is not charging
    with np.errstate(invalid="ignore", divide="ignore"):
        cchg = np.sum(np.where(charging, rate * dt, 0.0), axis=-1) / np.sum(
            np.where(charging, dt, 0.0), axis=-1
        ) * q  # fmt: skip
    cchg = np.where(np.isfinite(cchg), cchg, crate)
    return soc, efc, dod, crate, cchg


def _trapz_weights(t):
    """Weights ``w`` with ``sum(w * f) == trapz(f, t) / (t[-1] - t[0])``."""
    dt = np.diff(t)
    w = np.zeros_like(t)
    w[:-1] += dt / 2
    w[1:] += dt / 2
    return w / (t[-1] - t[0])


def _lfp_gr_250ah(duty: DailyDuty, q):
    """Daily rates (k_cal [day^-p], k_cyc [EFC^-p]) and exponents of LFP-Gr 250 Ah."""
    soc, efc, dod, crate, _ = _day_stats(duty, q)
    temp = duty.temperature[..., None]
    # samples of equal SoC stay equal as the swing deepens: evaluate each level once
    w, soc = _sample_levels(duty, soc)
    ua = graphite_potential(soc)
    kcal = np.sum(8.37e4 * np.exp(-5.21e3 / temp) * np.exp(-3.56e3 * ua / temp) * w, axis=-1)
    tk = duty.temperature
    kcyc = (4.38e-8 + 1.55e-8 * dod + 1.68e-7 * crate) * (
        np.exp(2.19e3 / tk) + np.exp(-1.55e5 / tk)
    )
    return kcal, kcyc, efc, (0.526, 0.828), None


def _sample_levels(duty: DailyDuty, soc):
    """Trapezoid weights per distinct SoC level of a shared profile, and the levels' SoC."""
    w = _trapz_weights(duty.time)
    if duty.soc.ndim != 1:
        return w, soc
    levels, inverse = np.unique(duty.soc, return_inverse=True)
    first = np.array([np.flatnonzero(inverse == j)[0] for j in range(levels.size)])
    return np.bincount(inverse, weights=w), soc[..., first]


def _soc_arrhenius(params, exponents):
    """Rates of the form shared by the NCA-Gr and NMC811-GrSi models.

    ``k_cal = A exp(B / T) exp(C soc / T)`` (time average over the day),
    ``k_cyc = (a + b C_rate + c DoD) (exp(d / T) + exp(-e / T))``.
    """
    (ka, kb, kc), (ca, cb, cc, cd, ce) = params

    def rates(duty: DailyDuty, q):
        soc, efc, dod, crate, _ = _day_stats(duty, q)
        temp = duty.temperature[..., None]
        w, levels = _sample_levels(duty, soc)
        kcal = np.sum(ka * np.exp(kb / temp) * np.exp(kc * levels / temp) * w, axis=-1)
        tk = duty.temperature
        kcyc = (ca + cb * crate + cc * dod) * (np.exp(cd / tk) + np.exp(-ce / tk))
        return kcal, kcyc, efc, exponents, None

    return rates


#: Panasonic 18650B NCA-graphite: calendar data Keil et al., J. Electrochem. Soc. 163
#: (2016) A1872; cycling data Preger et al., J. Electrochem. Soc. 167 (2020) 120532.
_nca_gr_panasonic = _soc_arrhenius(
    ((75.4, -3.34e3, 353.0), (1.86e-6, 4.74e-11, 1.77e-4, 3.34e-11, 2.81e-9)), (0.512, 0.699)
)
#: LG MJ1 NMC811-graphite/Si: EU EVERLASTING project report D2.3 (2020).
_nmc811_grsi_lgmj1 = _soc_arrhenius(
    ((0.0353, -1.03e3, 57.7), (1.77e-7, 8.08e-13, 2.21e-7, 2.25e3, 1.14e4)), (0.743, 0.695)
)


#: The gas constant as BLAST-Lite's equations write it [J mol^-1 K^-1].
_R = 8.3144


def _arrhenius(ea, temp):
    return np.exp(-(ea / _R) * (1.0 / temp - 1.0 / 298.15))


def _nmc622_gr_denso(duty: DailyDuty, q):
    """Daily rates of NMC622-Gr DENSO 50 Ah (cycling responds to the charge C-rate)."""
    soc, efc, dod, _crate, cchg = _day_stats(duty, q)
    temp = duty.temperature
    if duty.count is None:
        s = np.mean(soc, axis=-1)
    else:
        s = np.average(soc, -1, duty.count)
    b1t = _arrhenius(37000.0, temp) * (
        -1.97e-4 + 0.0101 * s - 0.0157 * s**2 + 0.00835 * s**3 - 4.06e-6 * s * temp
        + 3.32e-5 * np.maximum(0.0, temp - 328.15)
    )  # fmt: skip
    stress = np.sqrt(dod * cchg)
    b1n = np.maximum(0.0, 3.24 * _arrhenius(-58000.0, temp) * stress * (1 + 2.1 * s) - 0.099) + (
        1.44 * _arrhenius(-13000.0, temp) * dod**6
    )
    return b1t, b1t * b1n * 0.985, efc, (0.5, 0.5), 0.01


class ModelInfo(NamedTuple):
    """What an ageing model was fitted on, and the duty range of its data.

    Temperatures ``t_min``, ``t_max`` [K], depth of discharge ``dod_min``, ``dod_max``
    [-], highest charge C-rate ``charge_max`` [s^-1]; ``ranges_source`` says where the
    ranges come from. :func:`nevcalc.scenario.health.validity_notes` words them.
    """

    cell: str
    source: str
    t_min: float
    t_max: float
    dod_min: float
    dod_max: float
    charge_max: float
    ranges_source: str


_BLAST_RANGES = "BLAST-Lite experimental_range"
_GENERIC_RANGES = "not stated in nevcalc's sources; the usual range of cell ageing tests assumed"

# 10, 45 and 60 degC [K], and the C-rates of the data [s^-1]
_T10, _T45, _T60 = 283.15, 318.15, 333.15
_C1 = 1.0 / HOUR

#: Model name -> :class:`ModelInfo`.
MODEL_INFO = {
    "lfp-gr-250ah": ModelInfo(
        "LFP-graphite 250 Ah prismatic cells", "doi 10.1016/j.est.2023.109042",
        _T10, _T45, 0.8, 1.0, 0.65 * _C1, _BLAST_RANGES),
    "nmc622-gr-denso": ModelInfo(
        "NMC622-graphite DENSO 50 Ah cells",
        "Smith et al., J. Electrochem. Soc. 168 (2021) 100530",
        _T10, _T60, 0.1, 1.0, _C1, _BLAST_RANGES),
    "nca-gr-panasonic3ah": ModelInfo(
        "NCA-graphite Panasonic 18650B cells", "Keil et al. 2016; Preger et al. 2020",
        _T10, _T45, 0.2, 1.0, _C1, _GENERIC_RANGES),
    "nmc811-grsi-lgmj1": ModelInfo(
        "NMC811-graphite/Si LG MJ1 cells", "EVERLASTING project report D2.3 (2020)",
        _T10, _T45, 0.2, 1.0, _C1, _GENERIC_RANGES),
}  # fmt: skip

#: Capacity below which the empirical models extrapolate: ageing data end around here and
#: cells often reach a knee of fast fade that none of the models has [-].
FITTED_CAPACITY_MIN = 0.7


#: Model name -> daily-rate function.
MODELS = {
    "lfp-gr-250ah": _lfp_gr_250ah,
    "nmc622-gr-denso": _nmc622_gr_denso,
    "nca-gr-panasonic3ah": _nca_gr_panasonic,
    "nmc811-grsi-lgmj1": _nmc811_grsi_lgmj1,
}


@lru_cache(maxsize=16)
def _euler_table(p: float, days: int = 40 * 366) -> np.ndarray:
    """``Z_n^p`` for n = 0..days: day-by-day steps of ``y = k x^p`` at unit rate and step.

    A state advanced one day at a time by the equivalent-x rule does not sit on
    the curve ``k x^p`` (the rule is an explicit step); but at constant rate
    ``k`` and daily increment ``dx`` it sits on ``k dx^p Z_n^p``, with ``Z``
    the same for every cell. Stepping along ``Z`` reproduces day-by-day
    stepping with a few coarse steps.
    """
    z = np.empty(days + 1)
    z[0] = 0.0
    x = 1.0
    z[1] = 1.0
    for n in range(2, days + 1):
        x = (x**p + p * x ** (p - 1)) ** (1.0 / p)
        z[n] = x**p
    return z


def _daily_steps(y, k, p, dx, n):
    """State after ``n`` more daily steps (``dx`` per day) at rate ``k`` (:func:`_euler_table`)."""
    table = _euler_table(float(p))
    scale = k * np.asarray(dx, float) ** p
    with np.errstate(divide="ignore", invalid="ignore"):
        u = np.where(scale > 0, y / scale, 0.0)
    grid = np.arange(table.size, dtype=float)
    days_done = np.interp(u, table, grid)
    return np.where(scale > 0, scale * np.interp(days_done + n, grid, table), y)


def _power_step(y, k, p, dx):
    """Advance a power-law state ``y = k x^p`` by ``dx`` at rate ``k`` (equivalent-x rule)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        grown = y + k * p * (y / k) ** ((p - 1) / p) * dx
    return np.where(y <= 0, k * dx**p, np.where(k > 0, grown, y))


#: Capacity nodes of the rate tables of :func:`capacity_fade` (1.0 down to 0.2).
_Q_NODES = np.linspace(1.0, 0.2, 17)


def _tabulated(rates, duty: DailyDuty, shape):
    """The duty's rates at :data:`_Q_NODES`, and a function giving them at any capacity.

    With a steady duty the rates depend on the cell only through its capacity
    ``q`` (the SoC swing deepens as ``1/q``), so they are computed once on a
    grid of ``q`` and interpolated while the states are advanced.
    """
    nodes = _Q_NODES.reshape((-1,) + (1,) * len(shape))
    # the SoC statistics depend on q only: evaluate them at (nodes, 1, ...), not per cell
    kcal, kcyc, efc, exponents, guard = rates(duty, nodes)
    full = (nodes.shape[0], *shape)
    table = [np.broadcast_to(x, full) for x in (kcal, kcyc, efc)]  # views, (nodes, *cells)
    spacing = _Q_NODES[0] - _Q_NODES[1]
    last = _Q_NODES.size - 2

    def at(q):
        x = np.clip((1.0 - q) / spacing, 0.0, last + 1.0)
        i = np.minimum(x.astype(np.intp), last)
        f = x - i
        k = []
        for arr in table:
            lo = np.take_along_axis(arr, i[None], axis=0)[0]
            hi = np.take_along_axis(arr, (i + 1)[None], axis=0)[0]
            k.append(lo + (hi - lo) * f)
        return k[0], k[1], k[2], exponents, guard

    return at


def _mixed(rates, weights):
    """Rates of a mixed duty: each kind of day's rates combined as :func:`mix_duty` says."""
    w = np.asarray(weights, float)

    def mixed(duty: DailyDuty, q):
        kcal, kcyc, efc, (pt, pn), guard = rates(duty, np.asarray(q, float)[..., None])
        kcal = np.sum(w * np.maximum(kcal, 0.0) ** (1.0 / pt), axis=-1) ** pt
        kcyc = np.sum(w * np.maximum(kcyc, 0.0) ** (1.0 / pn), axis=-1) ** pn
        return kcal, kcyc, np.sum(w * efc, axis=-1), (pt, pn), guard

    return mixed


def _duty_rates(rates, duty):
    """``(rates, cells' shape, days per repetition)`` of a duty, a mix or days apart."""
    if isinstance(duty, DaysApart):
        parts = [_duty_rates(rates, d) for d in duty.parts]
        shape = np.broadcast_shapes(*(p[1] for p in parts))
        w = np.asarray(duty.weights, float)

        def apart(_duty, q):  # each kind of day on its own samples, combined as a mix
            got = [fn(d, q) for (fn, _, _), d in zip(parts, duty.parts, strict=True)]
            (pt, pn), guard = got[0][3], got[0][4]
            kcal = (
                sum(wi * np.maximum(g[0], 0.0) ** (1.0 / pt) for wi, g in zip(w, got, strict=True))
                ** pt
            )
            kcyc = (
                sum(wi * np.maximum(g[1], 0.0) ** (1.0 / pn) for wi, g in zip(w, got, strict=True))
                ** pn
            )
            efc = sum(wi * g[2] for wi, g in zip(w, got, strict=True))
            return kcal, kcyc, efc, (pt, pn), guard

        return apart, shape, parts[0][2]
    period = (duty.time[-1] - duty.time[0]) / DAY  # days per repetition of the duty
    shape = np.broadcast_shapes(duty.soc.shape[:-1], duty.temperature.shape)
    if duty.weights is not None:  # the mix axis is aged as one cell
        return _mixed(rates, duty.weights), shape[:-1], period
    return rates, shape, period


def _scaled(rates, scale):
    """Rates with the calendar and cycling rates multiplied by ``scale = (f_cal, f_cyc)``."""
    f_cal, f_cyc = (np.asarray(f, float) for f in scale)

    def scaled(duty: DailyDuty, q):
        kcal, kcyc, efc, exponents, guard = rates(duty, q)
        return kcal * f_cal, kcyc * f_cyc, efc, exponents, guard

    return scaled


def capacity_fade(
    model: str, duty: DailyDuty, years, step_days: int = 365, tabulate: bool = True,
    scale=None,
):  # fmt: skip
    """Relative capacity after each of ``years`` of a repeated duty.

    Parameters
    ----------
    model : str
        A key of :data:`MODELS`.
    duty : DailyDuty or DaysApart
        Broadcasts over cells through ``soc`` and ``temperature``.
    years : array_like
        Whole years (of 365 days) at which to report, increasing [-].
    step_days : int
        Repetitions of the duty per step (1 reproduces a day-by-day evaluation).
    tabulate : bool
        Interpolate the rates in capacity from a table computed once (fast)
        instead of evaluating the duty at every step.
    scale : (array_like, array_like), optional
        Factors ``(f_cal, f_cyc)`` [-] on the calendar and the cycling rate (so on
        each fade state, ``y = k x^p``), broadcasting over cells: a correction of the
        lab-cell model to cars in fleets (:mod:`nevcalc.ageing`). None: the model as
        fitted.

    Returns
    -------
    numpy.ndarray
        Shape ``cells + (len(years),)``, relative capacity [-], in [0, 1] and never rising
        from one year to the next. Below 20 % the rates are held at their 20 % values
        (the SoC swing would exceed the window) and the capacity ends at 0.

    References
    ----------
    .. [1] NREL, BLAST-Lite 1.1.1, https://github.com/NREL/BLAST-Lite

    Examples
    --------
    LFP 250 Ah cells cycled 80 -> 30 % a day, charged at C/4, at 25 and 35 degC.
    BLAST-Lite 1.1.1 on the same duty (``tests/reference/blast_lite_capacity.csv``)
    gives 0.981, 0.947, 0.915 at 25 degC and 0.973, 0.929, 0.891 at 35 degC.

    >>> duty = daily_duty(0.8, 0.3, charge_rate=0.25 / HOUR, temperature=[298.15, 308.15])
    >>> np.round(capacity_fade("lfp-gr-250ah", duty, [1, 5, 10]), 3)
    array([[0.981, 0.947, 0.915],
           [0.973, 0.929, 0.891]])
    """
    years = np.asarray(years, float)
    rates, shape, period = _duty_rates(MODELS[model], duty)
    end = round(years.max() * 365 / period)
    marks = np.rint(years * 365 / period).astype(int)
    if scale is not None:
        rates = _scaled(rates, scale)
    if tabulate:
        rates = _tabulated(rates, duty, shape)
    q = np.ones(shape)
    y_t = np.zeros(shape)
    y_n = np.zeros(shape)
    out = np.empty((*shape, years.size))
    day = 0
    while day < end:
        step = min(step_days, end - day, *(m - day for m in marks if m > day))
        q = np.maximum(q, _Q_NODES[-1])  # the rates of a cell at 20 % or less
        kcal, kcyc, efc, (pt, pn), guard = rates(q) if tabulate else rates(duty, q)
        if tabulate:
            # advance as `step` daily steps would, at the rates half-way through
            mid_t = _daily_steps(y_t, kcal, pt, period, 0.5 * step)
            mid_n = _daily_steps(y_n, kcyc, pn, efc, 0.5 * step)
            kcal, kcyc, efc, _, _ = rates(1.0 - mid_t - mid_n)
            new_t = _daily_steps(y_t, kcal, pt, period, step)
            new_n = _daily_steps(y_n, kcyc, pn, efc, step)
        else:
            new_t = _power_step(y_t, kcal, pt, float(step) * period)
            new_n = _power_step(y_n, kcyc, pn, efc * step)
        if guard is not None:
            dn = new_n - y_n
            new_n = np.where(dn > guard * step, y_n + 5e-4 * efc * step, new_n)
        y_t, y_n = new_t, new_n
        q = 1.0 - y_t - y_n
        day += step
        for i, m in enumerate(marks):
            if m == day:
                out[..., i] = q
    # a state can only grow; the floor and the running minimum keep round-off honest too
    return np.minimum.accumulate(np.clip(out, 0.0, 1.0), axis=-1)


def years_to_capacity(capacity_by_year, level):
    """Years until the capacity first falls below ``level``, linear between year ends.

    Parameters
    ----------
    capacity_by_year : array_like, shape (..., n)
        Relative capacity at the end of years 1..n [-]; 1 at year 0 is implied.
    level : float
        [-], e.g. 0.8.

    Returns
    -------
    numpy.ndarray
        Years [-] (a count, as ``years`` of :func:`capacity_fade`); inf where it stays
        above ``level`` for all n years.

    Examples
    --------
    By hand: 0.9 after one year and 0.7 after two cross 0.8 half-way, at 1.5 years;
    the second cell never reaches 0.8 in its two years.

    >>> years_to_capacity([[0.9, 0.7], [0.95, 0.9]], 0.8)
    array([1.5, inf])
    """
    q = np.asarray(capacity_by_year, float)
    q = np.concatenate([np.ones((*q.shape[:-1], 1)), q], axis=-1)
    below = q < level
    found = below.any(axis=-1)
    i = np.maximum(np.argmax(below, axis=-1), 1)
    q1 = np.take_along_axis(q, i[..., None], -1)[..., 0]
    q0 = np.take_along_axis(q, (i - 1)[..., None], -1)[..., 0]
    with np.errstate(divide="ignore", invalid="ignore"):
        t = (i - 1) + np.where(q0 > q1, (q0 - level) / (q0 - q1), 0.0)
    return np.where(found, t, np.inf)


def simple_capacity(years, efc_per_day, cycle_life, calendar_years=SIMPLE_CALENDAR_YEARS):
    """The plainly labelled model of a chemistry known only from claims.

    Linear cycle fade reaching 20 % at ``cycle_life`` equivalent full cycles plus
    square-root calendar fade reaching 20 % in ``calendar_years``; no temperature or
    C-rate effect. Broadcasts.

    Parameters
    ----------
    years : array_like
        [years].
    efc_per_day : array_like
        Equivalent full cycles a day [-].
    cycle_life : array_like
        Cycles to 80 % in the claim [-].
    calendar_years : array_like
        Years to 80 % parked [years].

    Returns
    -------
    numpy.ndarray
        Relative capacity [-], floored at 0.

    Examples
    --------
    By hand, 10 years at half a cycle a day with a 3000-cycle life: cycling takes
    0.2 * 1825 / 3000 = 0.122 and calendar ageing 0.2 * sqrt(10 / 15) = 0.163, so
    0.715 is left; parked (no cycles) for 15 years exactly the calendar 20 %.

    >>> np.round(simple_capacity([10.0, 15.0], [0.5, 0.0], 3000.0), 3)
    array([0.715, 0.8  ])
    """
    t = np.asarray(years, float)
    q = 1.0 - 0.2 * t * 365.0 * efc_per_day / cycle_life - 0.2 * np.sqrt(t / calendar_years)
    return np.clip(q, 0.0, 1.0)


def simple_years_to(level, efc_per_day, cycle_life, calendar_years=SIMPLE_CALENDAR_YEARS):
    """Years until :func:`simple_capacity` reaches ``level``, in closed form.

    ``1 - a t - b sqrt(t) = level`` is a quadratic in ``sqrt(t)``. Broadcasts.

    Parameters
    ----------
    level : float
        Relative capacity [-], e.g. 0.8.
    efc_per_day : array_like
        Equivalent full cycles a day [-].
    cycle_life : array_like
        Cycles to 80 % in the claim [-].
    calendar_years : array_like
        Years to 80 % parked [-].

    Returns
    -------
    numpy.ndarray
        Years [-] (a count, as ``years`` of :func:`simple_capacity`).

    Examples
    --------
    Parked, the calendar life itself (15 years); at half a cycle a day with a
    3000-cycle life, by hand ``a = 0.2 * 365 * 0.5 / 3000 = 0.01217``,
    ``b = 0.2 / sqrt(15) = 0.05164``, ``sqrt(t) = (-b + sqrt(b^2 + 0.8 a)) / (2 a)
    = 2.454``, so t = 6.02 years.

    >>> np.round(simple_years_to(0.8, [0.0, 0.5], 3000.0), 2)
    array([15.  ,  6.02])
    """
    a = 0.2 * 365.0 * np.asarray(efc_per_day, float) / np.asarray(cycle_life, float)
    b = 0.2 / np.sqrt(calendar_years)
    with np.errstate(divide="ignore", invalid="ignore"):
        u = np.where(a > 0, (-b + np.sqrt(b**2 + 4 * a * (1 - level))) / (2 * a),
                     (1 - level) / b)  # fmt: skip
    return u**2


def usage_duty(*, distance_per_year, consumption, usable_energy, soc_low, soc_high, fast_share,
               fast_power, home_power):  # fmt: skip
    """The daily duty of a car's use: sweeps of its SoC window and the charge C-rate.

    The year's energy is delivered by sweeps of the window; when it is less than one
    sweep a day the car is parked between sweeps, when more (taxis, ride-hailing) it is
    swept several times a day. Charging is a mix of the
    everyday charger and fast charging, weighted by the share of energy each delivers.
    A year is 365 days. Every argument broadcasts.

    Parameters
    ----------
    distance_per_year : array_like
        [m].
    consumption : array_like
        At the battery [J m^-1].
    usable_energy : array_like
        [J].
    soc_low, soc_high : array_like
        Daily window [-].
    fast_share : array_like
        Share of the energy from fast chargers [-].
    fast_power : array_like
        Average power of a fast charge [W]; 0 where it cannot charge.
    home_power : array_like
        Everyday charger power [W].

    Returns
    -------
    efc_per_day : numpy.ndarray
        Equivalent full cycles a day, at most :data:`MAX_SWEEPS_PER_DAY` sweeps of the
        window [-].
    period : numpy.ndarray
        Time between sweeps [s]; under a day when the car needs more than one sweep a
        day.
    charge_rate : numpy.ndarray
        Mixed charge C-rate [s^-1].

    Examples
    --------
    15 000 km a year at 576 J/m (0.16 kWh/km) from a 60 kWh (216 MJ) pack, window
    30-80 %, a tenth of the energy at 100 kW and the rest at 7 kW. By hand: 2400 kWh a
    year / 365 / 60 kWh = 0.1096 cycles a day; a 0.5 sweep every 0.5 / 0.1096 = 4.56
    days; C-rate 0.9 * 7/60 + 0.1 * 100/60 = 0.272 per hour.

    >>> efc, period, rate = usage_duty(distance_per_year=1.5e7, consumption=576.0,
    ...     usable_energy=2.16e8, soc_low=0.3, soc_high=0.8, fast_share=0.1,
    ...     fast_power=1e5, home_power=7e3)
    >>> round(float(efc), 4), round(float(period) / DAY, 1), round(float(rate) * HOUR, 3)
    (0.1096, 4.6, 0.272)

    Broadcasting: two annual distances; 100 000 km needs 0.73 cycles a day, more than
    one 0.5 sweep: 1.46 sweeps a day, one every 0.68 days (a taxi's second shift).

    >>> efc, period, rate = usage_duty(distance_per_year=[1.5e7, 1e8], consumption=576.0,
    ...     usable_energy=2.16e8, soc_low=0.3, soc_high=0.8, fast_share=0.1,
    ...     fast_power=1e5, home_power=7e3)
    >>> np.round(efc, 4), np.round(period / DAY, 2)
    (array([0.1096, 0.7306]), array([4.56, 0.68]))
    """
    usable = np.asarray(usable_energy, float)
    depth = np.asarray(soc_high, float) - np.asarray(soc_low, float)
    with np.errstate(divide="ignore", invalid="ignore"):
        efc = np.minimum(np.asarray(distance_per_year) * consumption / 365.0 / usable,
                         MAX_SWEEPS_PER_DAY * depth)  # fmt: skip
        period = depth / efc * DAY
        c_fast = np.asarray(fast_power, float) / usable
        c_home = np.asarray(home_power, float) / usable
    share = np.asarray(fast_share, float)
    return efc, period, (1 - share) * c_home + share * c_fast
