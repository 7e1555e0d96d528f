"""Ageing of a daily duty: the health stage's core, shared by every answer.

:func:`ageing_stage` runs the chemistry's empirical model
(:mod:`nevcalc.model.degradation`), the plainly labelled simple model of a
claimed cycle life, or the ageing tables of :mod:`nevcalc.surrogate`, over
arrays of duties. ``nevcalc health`` asks it for one duty; the health stage of
:mod:`nevcalc.evaluate` for the duty of a car in use.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from nevcalc.io import read_model_data
from nevcalc.model import degradation
from nevcalc.surrogate import HORIZON, health_lookup

__all__ = [
    "AGEING_MODELS",
    "FLEET_CORRECTION_DEFAULT",
    "HORIZON",
    "MONTH_DAYS",
    "ageing_stage",
    "climate_temperature",
    "distance_text",
    "duty_shape",
    "fleet_correction_note",
    "fleet_scale",
    "how_often",
]

#: Ageing model names in the order of the model codes (-1: the simple model, -2: none).
AGEING_MODELS = tuple(degradation.MODELS)

#: Whether answers correct the lab-cell models to cars in fleets unless told otherwise.
FLEET_CORRECTION_DEFAULT = True


@lru_cache(maxsize=1)
def _fleet_table() -> tuple[float, float, str]:
    doc = read_model_data("fleet_ageing")
    return float(doc["calendar_factor"]), float(doc["cycling_factor"]), str(doc["source"])


def fleet_scale(model: str | None = None, on: bool = FLEET_CORRECTION_DEFAULT):
    """Factors ``(f_cal, f_cyc)`` [-] on the calendar and cycling fade of the lab-cell models.

    The fleet correction: one pair for every empirical model, fitted on the
    calibration cases of published fleet studies
    (``tests/validation/data/fleet_retention.csv``) by
    ``tests/reference/fit_fleet_ageing.py`` into ``specs/data/fleet_ageing.toml``.

    Parameters
    ----------
    model : str, optional
        A key of :data:`nevcalc.model.degradation.MODELS` (the factors are shared).
    on : bool
        False: ``(1.0, 1.0)``, the models as fitted on lab cells.

    Returns
    -------
    (float, float)

    Examples
    --------
    >>> f_cal, f_cyc = fleet_scale("nmc622-gr-denso")
    >>> 0.2 < f_cal < 5 and 0.2 < f_cyc < 5
    True
    >>> fleet_scale("nmc622-gr-denso", on=False)
    (1.0, 1.0)
    """
    if not on:
        return 1.0, 1.0
    f_cal, f_cyc, _ = _fleet_table()
    return f_cal, f_cyc


def fleet_correction_note(on: bool) -> str:
    """The sentence an answer carries about the fleet correction.

    Parameters
    ----------
    on : bool
        Whether the factors [-] of :func:`fleet_scale` are applied.

    Returns
    -------
    str

    Examples
    --------
    >>> fleet_correction_note(False)
    'fleet correction off: the ageing model as fitted on lab cells'
    """
    if not on:
        return "fleet correction off: the ageing model as fitted on lab cells"
    f_cal, f_cyc, source = _fleet_table()
    return (f"fleet correction on: calendar fade x{f_cal:.3g}, cycling fade x{f_cyc:.3g} "
            f"({source})")  # fmt: skip


def duty_shape(soc_low, soc_high, efc_per_day):
    """Sweeps ``n`` and period of a duty of ``efc_per_day``: ``n / period`` sweeps a day.

    Fewer than one sweep a day: one sweep every ``depth / efc`` days (``n = 1``). More:
    ``n`` is the next whole number of sweeps a day, and :func:`ageing_stage` ages ``x =
    efc / depth`` sweeps a day as a mix of days of ``n - 1`` and of ``n`` sweeps (shares
    ``n - x`` and ``x - n + 1``), so that the ageing runs on continuously from one whole
    number of sweeps a day to the next.

    Parameters
    ----------
    soc_low, soc_high, efc_per_day : array_like
        Window [-] and equivalent full cycles a day [-] (at least one sweep a year).

    Returns
    -------
    sweeps : numpy.ndarray of int
        1 to :data:`~nevcalc.model.degradation.MAX_SWEEPS_PER_DAY`.
    period : numpy.ndarray
        ``n`` over the sweeps a day [s], at least a day.

    Examples
    --------
    A 30-80 % window swept 0.25, 0.5 and 0.75 full cycles a day: every other day, daily,
    and 1.5 times a day (2 sweeps in 1.33 days: half the days one sweep, half two).

    >>> sweeps, period = duty_shape(0.3, 0.8, np.array([0.25, 0.5, 0.75]))
    >>> sweeps, np.round(period / degradation.DAY, 2)
    (array([1, 1, 2]), array([2.  , 1.  , 1.33]))
    """
    depth = np.asarray(soc_high, float) - np.asarray(soc_low, float)
    per_day = np.asarray(efc_per_day, float) / depth  # sweeps a day
    n = np.clip(np.ceil(per_day - 1e-9), 1, degradation.MAX_SWEEPS_PER_DAY).astype(np.intp)
    return n, n / np.minimum(per_day, n) * degradation.DAY


def how_often(soc_low, soc_high, efc_per_day) -> str:
    """How often a duty sweeps its window, in words: ``"daily"``, ``"every 5 days"``,
    ``"2 times a day"``.

    The sweeps a day are ``efc_per_day / (soc_high - soc_low)``, held within one a year
    and :data:`~nevcalc.model.degradation.MAX_SWEEPS_PER_DAY`, as they are aged.

    Parameters
    ----------
    soc_low, soc_high : float
        Window [-].
    efc_per_day : float
        Equivalent full cycles a day [-].

    Returns
    -------
    str

    Examples
    --------
    A 30-80 % window swept 0.5, 0.1, 1.0, 0.61 and 0.01 full cycles a day:

    >>> [how_often(0.3, 0.8, e) for e in (0.5, 0.1, 1.0, 0.61, 0.01)]
    ['daily', 'every 5 days', '2 times a day', '1.22 times a day', 'every 7.1 weeks']
    """
    depth = float(soc_high) - float(soc_low)
    per_day = min(max(float(efc_per_day) / depth, 1.0 / degradation.MAX_PERIOD_DAYS),
                  float(degradation.MAX_SWEEPS_PER_DAY))  # fmt: skip
    if abs(per_day - 1.0) < 0.005:
        return "daily"
    if per_day > 1.0:
        return f"{per_day:.3g} times a day"
    days = 1.0 / per_day
    if days < 14.0:
        return f"every {days:.2g} days"
    if days > 360.0:
        return "once a year"
    return f"every {days / 7.0:.2g} weeks"


def distance_text(distance: float, digits: int = 3) -> str:
    """A distance in km to ``digits`` significant figures, thousands separated.

    Parameters
    ----------
    distance : float
        [m].
    digits : int
        Significant figures [-].

    Returns
    -------
    str

    Examples
    --------
    >>> distance_text(393_312_000.0 / 1000), distance_text(2.555e6), distance_text(15e6)
    ('393 km', '2,560 km', '15,000 km')
    >>> distance_text(393_312e3)
    '393,000 km'
    """
    km = float(distance) / 1e3
    if km == 0.0 or not np.isfinite(km):
        return f"{km:g} km"
    places = digits - 1 - int(np.floor(np.log10(abs(km))))
    return f"{round(km, places):,.{max(places, 0)}f} km"


#: Days of the months, January first (a year of 365 days): each month's share of the year.
MONTH_DAYS = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], float)


def _month_weights(climate):
    """Shares of the year of a climate's months (their days) [-]."""
    k = np.shape(climate)[-1]
    return MONTH_DAYS / MONTH_DAYS.sum() if k == 12 else np.full(k, 1.0 / k)


def climate_temperature(climate, model=None, soc_low=0.3, soc_high=0.8):
    """The one temperature [K] that ages as a climate's months do (by days).

    With an empirical ``model``, the temperature at which its own calendar fade advances
    as month by month (:func:`~nevcalc.model.degradation.calendar_temperature`: its own
    Arrhenius terms on the duty's window); a chemistry without one (the simple model has
    no temperature effect) gets the plain Arrhenius mean at a typical 50 kJ/mol
    (:func:`~nevcalc.model.degradation.effective_temperature`). What the ageing tables of
    a sweep are read at, and what answers quote.

    Parameters
    ----------
    climate : array_like
        Monthly cell temperatures [K], shape ``(..., 12)``.
    model : str or int, optional
        A key of :data:`~nevcalc.model.degradation.MODELS` or its index in
        :data:`AGEING_MODELS`; None, ``"simple"`` or a negative index: no empirical model.
    soc_low, soc_high : float
        The duty's window [-].

    Returns
    -------
    numpy.ndarray
        [K], the leading shape.

    References
    ----------
    .. [1] NREL, BLAST-Lite 1.1.1, https://github.com/NREL/BLAST-Lite (the models'
       Arrhenius terms).

    Examples
    --------
    >>> t = climate_temperature(np.full(12, 290.0))
    >>> round(float(t), 9)
    290.0

    Six months at 0 and six at 30 degC: the LFP model's fade (about 47 kJ/mol) weighs the
    hot months more than the LG MJ1 model's (about 8 kJ/mol).

    >>> months = np.repeat([273.15, 303.15], 6)
    >>> bool(climate_temperature(months, "lfp-gr-250ah")
    ...      > climate_temperature(months, "nmc811-grsi-lgmj1"))
    True
    """
    climate = np.asarray(climate, float)
    if isinstance(model, (int, np.integer)):
        model = AGEING_MODELS[int(model)] if model >= 0 else None
    if model in degradation.MODELS:
        return degradation.calendar_temperature(model, climate, _month_weights(climate),
                                                soc_low, soc_high)  # fmt: skip
    return degradation.effective_temperature(climate, _month_weights(climate))


def _climate_rows(model, soc_low, soc_high, climate):
    """:func:`climate_temperature` of each case, by its model and window [K]."""
    model, lo, hi, _ = np.broadcast_arrays(np.asarray(model), soc_low, soc_high, climate[..., 0])
    months = np.broadcast_to(climate, (*model.shape, climate.shape[-1]))
    out = np.empty(model.shape)
    key = np.stack([model.ravel(), lo.ravel(), hi.ravel()], axis=1)
    for m, a, b in np.unique(key, axis=0):
        sel = (model == m) & (lo == a) & (hi == b)
        out[sel] = climate_temperature(months[sel], int(m), float(a), float(b))
    return out


def ageing_stage(
    model,
    cycle_life,
    soc_low,
    soc_high,
    efc_per_day,
    charge_rate,
    temperature,
    years: int,
    replace_below: float,
    *,
    tables: dict | None = None,
    curve: bool = False,
    fast_share=0.0,
    fast_rate=0.0,
    climate=None,
    scale=None,
) -> dict[str, np.ndarray]:
    """Ageing of a daily duty: capacity after 8 and ``years`` years, years to 80 %.

    Parameters
    ----------
    model : array_like of int
        Index into :data:`AGEING_MODELS`; -1 the simple model of
        ``cycle_life``; -2 none (nan answers).
    cycle_life : array_like
        Claimed cycles to 80 % of the simple model [-].
    soc_low, soc_high : array_like
        Daily window [-].
    efc_per_day : array_like
        Equivalent full cycles a day [-], up to
        :data:`~nevcalc.model.degradation.MAX_SWEEPS_PER_DAY` sweeps of the window
        (:func:`duty_shape`); fewer than one sweep a year are aged as one sweep a year.
    charge_rate : array_like
        Charging C-rate [s^-1] of the everyday (AC) charges.
    temperature : array_like
        Cell temperature [K] all year (unless ``climate`` is given).
    years : int
        Year of ``capacity_end`` [years], 1-40.
    replace_below : float
        Capacity of ``years_to_replace`` [-].
    tables : dict, optional
        :attr:`Surrogate.health`: interpolate the ageing tables instead of running the
        model (the simple model is closed-form either way); see ``scale`` for their keys.
        The tables know one charge rate and one temperature: they are read at the
        energy-weighted C-rate of the AC and DC charges and at the climate's
        :func:`climate_temperature` of each model.
    curve : bool
        Also return ``capacity`` by year (direct model only).
    fast_share : array_like
        Share of the energy (and of the days) charged at ``fast_rate`` [-].
    fast_rate : array_like
        C-rate of the DC fast charges [s^-1].
    climate : array_like, optional
        Monthly cell temperatures [K], shape ``(..., 12)`` broadcasting with the cases:
        the year is aged month by month (:func:`~nevcalc.model.degradation.mix_duty`)
        instead of at ``temperature``.
    scale : (array_like, array_like), optional
        Factors on the calendar and cycling fade (the fleet correction,
        :func:`fleet_scale`). With ``tables``, each case reads the table built with its
        factors: a key ``(model, soc_low, soc_high, (f_cal, f_cyc))``, or
        ``(model, soc_low, soc_high)`` for a table of the model as fitted (None here).

    Returns
    -------
    dict of numpy.ndarray
        ``capacity_year_8``, ``capacity_end`` [-]; ``years_to_80``,
        ``years_to_replace`` [years] (inf beyond 40); ``efc_per_day`` (as aged) [-];
        with ``curve``, ``capacity`` of shape ``(..., 40)``.

    References
    ----------
    .. [1] NREL, BLAST-Lite 1.1.1, https://github.com/NREL/BLAST-Lite; the models of
       :mod:`nevcalc.model.degradation`, its equations written out in
       ``shared/data/anchors/blast_lite_equations.md``.

    Examples
    --------
    LFP 250 Ah cells swept 80 -> 30 % once a day (0.5 full cycles), charged at C/4,
    at 25 and 35 degC (temperatures broadcast). BLAST-Lite 1.1.1 on the same duty
    (``tests/reference/blast_lite_capacity.csv``) gives 0.915 and 0.891 after 10
    years.

    >>> from nevcalc.model.degradation import HOUR
    >>> lfp = AGEING_MODELS.index("lfp-gr-250ah")
    >>> got = ageing_stage(lfp, np.nan, 0.3, 0.8, 0.5, 0.25 / HOUR, [298.15, 308.15], 10, 0.7)
    >>> np.round(got["capacity_end"], 3)
    array([0.915, 0.891])

    The simple model of a 3000-cycle life next to a chemistry with no model (models
    broadcast too). By hand, 10 years at 0.1096 cycles a day are 400 cycles: cycling
    fade 0.2 * 400 / 3000 = 0.0267, calendar fade 0.2 * sqrt(10 / 15) = 0.1633, so
    0.810 is left; no model gives nan.

    >>> got = ageing_stage([-1, -2], 3000.0, 0.3, 0.8, 40 / 365, 0.25 / HOUR, 298.15, 10, 0.7)
    >>> np.round(got["capacity_end"], 3)
    array([0.81,  nan])

    Fast charging ages NMC622 cells: a fifth of the days charged at 2C instead of C/4.

    >>> nmc = AGEING_MODELS.index("nmc622-gr-denso")
    >>> slow, mixed = (ageing_stage(nmc, np.nan, 0.2, 0.8, 0.3, 0.25 / HOUR, 298.15, 10, 0.7,
    ...                             fast_share=s, fast_rate=2 / HOUR)["capacity_end"]
    ...                for s in (0.0, 0.2))
    >>> bool(mixed < slow)
    True
    """
    if climate is not None:
        climate = np.asarray(climate, float)
    if tables is not None:
        # the tables' axes: one charge rate, one temperature
        share = np.asarray(fast_share, float)
        charge_rate = (1.0 - share) * np.asarray(charge_rate, float) + share * np.asarray(
            fast_rate, float
        )
        if climate is not None:  # each model's own collapse of the months
            temperature = _climate_rows(model, soc_low, soc_high, climate)
        fast_share, fast_rate, climate = 0.0, 0.0, None
    if (
        tables is not None
        and not curve
        and all(np.ndim(x) == 0 for x in (model, cycle_life, soc_low, soc_high))
        and (scale is None or all(np.ndim(f) == 0 for f in scale))
    ):
        return _one_model(int(model), float(cycle_life), float(soc_low), float(soc_high),
                          efc_per_day, charge_rate, temperature, years, replace_below,
                          tables, _scale_key(scale))  # fmt: skip
    model = np.asarray(model)
    args = np.broadcast_arrays(model, cycle_life, soc_low, soc_high, efc_per_day, charge_rate,
                               fast_share, fast_rate,
                               temperature if climate is None else climate[..., 0])  # fmt: skip
    shape = args[0].shape
    model, life, lo, hi, efc, c, share, cfast, temp = (np.asarray(x).ravel() for x in args)
    if climate is not None:
        months = np.broadcast_to(climate, (*shape, climate.shape[-1])).reshape(
            -1, climate.shape[-1]
        )
        month_w = _month_weights(climate)
    depth = hi - lo
    efc = np.clip(efc, depth / degradation.MAX_PERIOD_DAYS,
                  depth * degradation.MAX_SWEEPS_PER_DAY)  # fmt: skip
    n = model.size
    keys = ("capacity_year_8", "capacity_end", "years_to_80", "years_to_replace")
    out = {k: np.full(n, np.nan) for k in keys}
    cap = np.full((n, HORIZON), np.nan) if curve else None
    grid = np.arange(1, HORIZON + 1)
    simple = model == -1
    if np.any(simple):
        e, cl = efc[simple], life[simple]
        for key, level in (("years_to_80", 0.8), ("years_to_replace", replace_below)):
            t = degradation.simple_years_to(level, e, cl)
            out[key][simple] = np.where(t <= HORIZON, t, np.inf)
        out["capacity_year_8"][simple] = degradation.simple_capacity(8.0, e, cl)
        out["capacity_end"][simple] = degradation.simple_capacity(years, e, cl)
        if cap is not None:
            cap[simple] = degradation.simple_capacity(grid, e[:, None], cl[:, None])
    with np.errstate(divide="ignore", invalid="ignore"):
        sweeps, period = duty_shape(lo, hi, efc)  # [-], [s]
    if tables is not None:
        # each case reads the table of its model, window and fleet correction
        f_cal, f_cyc = (np.broadcast_to(np.asarray(f, float), shape).ravel()
                        for f in (scale or (1.0, 1.0)))  # fmt: skip
        for key, table in tables.items():
            m, a, b = key[:3]
            kc, kn = _scale_key(key[3] if len(key) > 3 else None)
            sel = (model == m) & (lo == a) & (hi == b) & (f_cal == kc) & (f_cyc == kn)
            if np.any(sel):
                got = health_lookup(table, c[sel], period[sel] / sweeps[sel], temp[sel])
                out["capacity_year_8"][sel] = got["q8"]
                out["capacity_end"][sel] = got["q_end"]
                out["years_to_80"][sel] = got["t80"]
                out["years_to_replace"][sel] = got["tr"]
    else:
        mixed = (share > 0) & (cfast > 0) & (cfast != c)
        share = np.where(mixed, share, 0.0)
        cfast = np.where(mixed, cfast, 0.0)
        # the duty's shape is set by window, C-rates, sweeps and period; temperature broadcasts
        key = np.stack([model, hi, lo, c, period, sweeps, share, cfast], axis=1)
        groups, which = np.unique(key[model >= 0], axis=0, return_inverse=True)
        rows = np.flatnonzero(model >= 0)
        for g, (m, a, b, rate, days, k, s, fast) in enumerate(groups):
            sel = rows[which.reshape(-1) == g]
            duty = _group_duty(a, b, rate, days, int(k), s, fast,
                               temp[sel] if climate is None else months[sel],
                               None if climate is None else month_w)  # fmt: skip
            fscale = None if scale is None else tuple(
                np.broadcast_to(f, shape).ravel()[sel] for f in scale
            )  # fmt: skip
            q = degradation.capacity_fade(AGEING_MODELS[int(m)], duty, grid, scale=fscale)
            out["capacity_year_8"][sel] = q[..., 7]
            out["capacity_end"][sel] = q[..., years - 1]
            out["years_to_80"][sel] = degradation.years_to_capacity(q, 0.8)
            out["years_to_replace"][sel] = degradation.years_to_capacity(q, replace_below)
            if cap is not None:
                cap[sel] = q
    out = {k: v.reshape(shape) for k, v in out.items()}
    out["efc_per_day"] = efc.reshape(shape)
    if cap is not None:
        out["capacity"] = cap.reshape((*shape, HORIZON))
    return out


def _group_duty(soc_high, soc_low, rate, period, sweeps, share, fast, temperature, month_w):
    """The duty of one group of cases: AC (and DC) days, at one temperature or by month."""
    if sweeps >= 2 and sweeps * degradation.DAY / period < sweeps - 1e-9:
        return _days_between(soc_high, soc_low, rate, period, sweeps, share, fast, temperature,
                             month_w)  # fmt: skip
    rates = rate if share == 0 else np.array([rate, fast])
    duty = degradation.daily_duty(soc_high, soc_low, charge_rate=rates, temperature=temperature,
                                  period=period, sweeps=sweeps)  # fmt: skip
    if share == 0 and month_w is None:
        return duty
    if month_w is None:  # AC and DC days
        return degradation.mix_duty(duty._replace(temperature=temperature[..., None]),
                                    [1.0 - share, share])  # fmt: skip
    if share == 0:  # months of a climate
        return degradation.mix_duty(duty, month_w)
    k = month_w.size  # AC and DC days in each month
    soc = np.repeat(duty.soc, k, axis=0)
    temps = np.concatenate([temperature, temperature], axis=-1)
    w = np.concatenate([(1.0 - share) * month_w, share * month_w])
    return degradation.mix_duty(duty._replace(soc=soc, temperature=temps), w)


def _days_between(soc_high, soc_low, rate, period, sweeps, share, fast, temperature, month_w):
    """:func:`_group_duty` of ``x`` sweeps a day between ``n - 1`` and ``n``: days of
    ``n - 1`` and of ``n`` sweeps (shares ``n - x`` and ``x - n + 1``), each on its own
    samples (:class:`~nevcalc.model.degradation.DaysApart`), so that the ageing runs on
    continuously from one whole number of sweeps a day to the next."""
    n = int(sweeps)
    x = n * degradation.DAY / period  # sweeps a day
    parts = tuple(_group_duty(soc_high, soc_low, rate, degradation.DAY, k, share, fast,
                              temperature, month_w) for k in (n - 1, n))  # fmt: skip
    return degradation.DaysApart(parts, np.array([n - x, x - (n - 1)]))


def _scale_key(scale) -> tuple[float, float]:
    """The fleet correction of a table key or of cases: ``(1.0, 1.0)`` for none."""
    return (1.0, 1.0) if scale is None else (float(scale[0]), float(scale[1]))


def _find_table(tables, model, lo, hi, scale):
    """The table of ``(model, lo, hi)`` built with the fleet correction ``scale``, or None."""
    for key, table in tables.items():
        if key[:3] == (model, lo, hi) and _scale_key(key[3] if len(key) > 3 else None) == scale:
            return table
    return None


def _one_model(model, life, lo, hi, efc, rate, temperature, years, replace_below, tables,
               scale=(1.0, 1.0)):  # fmt: skip
    """:func:`ageing_stage` from the tables when every case has one model, window and
    fleet correction: no masks, no copies of what does not vary (a Monte Carlo sweep's
    rows)."""
    depth = hi - lo
    efc = np.maximum(efc, depth / degradation.MAX_PERIOD_DAYS)
    shape = np.broadcast_shapes(np.shape(efc), np.shape(rate), np.shape(temperature))
    out = {}
    if model == -1:
        for key, level in (("years_to_80", 0.8), ("years_to_replace", replace_below)):
            t = degradation.simple_years_to(level, efc, life)
            out[key] = np.where(t <= HORIZON, t, np.inf)
        out["capacity_year_8"] = degradation.simple_capacity(8.0, efc, life)
        out["capacity_end"] = degradation.simple_capacity(years, efc, life)
    elif model >= 0 and (table := _find_table(tables, model, lo, hi, scale)) is not None:
        with np.errstate(divide="ignore", invalid="ignore"):
            period = depth / efc * degradation.DAY  # [s]
        got = health_lookup(table, rate, period, temperature)
        out = {"capacity_year_8": got["q8"], "capacity_end": got["q_end"],
               "years_to_80": got["t80"], "years_to_replace": got["tr"]}  # fmt: skip
    else:
        out = dict.fromkeys(("capacity_year_8", "capacity_end", "years_to_80",
                             "years_to_replace"), np.nan)  # fmt: skip
    out = {k: np.broadcast_to(v, shape) for k, v in out.items()}
    out["efc_per_day"] = np.broadcast_to(efc, shape)
    return out
