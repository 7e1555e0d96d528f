"""Ageing of a daily duty: the health stage's core, shared by every answer.

:func:`ageing_stage` runs the chemistry's empirical model
(:mod:`nevcalc.model.degradation`), the plainly labelled simple model of a
claimed cycle life, or the ageing tables of :mod:`nevcalc.surrogate`, over
arrays of duties. ``nevcalc health`` asks it for one duty; the health stage of
:mod:`nevcalc.evaluate` for the duty of a car in use.
"""

from __future__ import annotations

import numpy as np

from nevcalc.model import degradation
from nevcalc.surrogate import HORIZON, health_lookup

__all__ = ["AGEING_MODELS", "HORIZON", "ageing_stage"]

#: Ageing model names in the order of the model codes (-1: the simple model, -2: none).
AGEING_MODELS = tuple(degradation.MODELS)


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
        Equivalent full cycles a day [-], at most one sweep of the window; fewer
        than one sweep a year are aged as one sweep a year.
    charge_rate : array_like
        Charging C-rate [s^-1].
    temperature : array_like
        Cell temperature [K].
    years : int
        Year of ``capacity_end`` [years], 1-40.
    replace_below : float
        Capacity of ``years_to_replace`` [-].
    tables : dict, optional
        :attr:`Surrogate.health`: interpolate the ageing tables instead of running the
        model (the simple model is closed-form either way).
    curve : bool
        Also return ``capacity`` by year (direct model only).

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
    """
    if (
        tables is not None
        and not curve
        and all(np.ndim(x) == 0 for x in (model, cycle_life, soc_low, soc_high))
    ):
        return _one_model(int(model), float(cycle_life), float(soc_low), float(soc_high),
                          efc_per_day, charge_rate, temperature, years, replace_below,
                          tables)  # fmt: skip
    model = np.asarray(model)
    args = np.broadcast_arrays(model, cycle_life, soc_low, soc_high, efc_per_day, charge_rate,
                               temperature)  # fmt: skip
    shape = args[0].shape
    model, life, lo, hi, efc, c, temp = (np.asarray(x).ravel() for x in args)
    depth = hi - lo
    efc = np.maximum(efc, depth / degradation.MAX_PERIOD_DAYS)
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
        period = depth / efc * degradation.DAY  # [s]
    if tables is not None:
        for (m, a, b), table in tables.items():
            sel = (model == m) & (lo == a) & (hi == b)
            if np.any(sel):
                got = health_lookup(table, c[sel], period[sel], temp[sel])
                out["capacity_year_8"][sel] = got["q8"]
                out["capacity_end"][sel] = got["q_end"]
                out["years_to_80"][sel] = got["t80"]
                out["years_to_replace"][sel] = got["tr"]
    else:
        # the duty's shape is set by window, C-rate and period; temperature broadcasts
        key = np.stack([model, hi, lo, c, period], axis=1)
        groups, which = np.unique(key[model >= 0], axis=0, return_inverse=True)
        rows = np.flatnonzero(model >= 0)
        for g, (m, a, b, rate, days) in enumerate(groups):
            sel = rows[which.reshape(-1) == g]
            duty = degradation.daily_duty(a, b, charge_rate=rate, temperature=temp[sel],
                                          period=days)  # fmt: skip
            q = degradation.capacity_fade(AGEING_MODELS[int(m)], duty, grid)
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


def _one_model(model, life, lo, hi, efc, rate, temperature, years, replace_below, tables):
    """:func:`ageing_stage` from the tables when every case has one model and window:
    no masks, no copies of what does not vary (a Monte Carlo sweep's rows)."""
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
    elif model >= 0 and (model, lo, hi) in tables:
        with np.errstate(divide="ignore", invalid="ignore"):
            period = depth / efc * degradation.DAY  # [s]
        got = health_lookup(tables[(model, lo, hi)], rate, period, temperature)
        out = {"capacity_year_8": got["q8"], "capacity_end": got["q_end"],
               "years_to_80": got["t80"], "years_to_replace": got["tr"]}  # fmt: skip
    else:
        out = dict.fromkeys(("capacity_year_8", "capacity_end", "years_to_80",
                             "years_to_replace"), np.nan)  # fmt: skip
    out = {k: np.broadcast_to(v, shape) for k, v in out.items()}
    out["efc_per_day"] = np.broadcast_to(efc, shape)
    return out
