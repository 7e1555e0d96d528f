"""Least time at charging stops on a route: where to stop and to what SoC to charge.

A route runs from an origin past stations ``k = 0 .. K-1`` to a destination; leg
``k`` takes the energy ``leg[k]`` (a fraction of the usable energy, SoC) from the
node before it to the node after it (``leg[0]`` origin to station 0, ``leg[K]``
station ``K-1`` to the destination). Each station has a charger type; for each
car and charger type a charging curve gives the cumulative time ``T(s)`` to charge
from SoC 0 to ``s`` on a uniform grid of ``G`` points from 0 to 1, linear in
between and ``+inf`` above the SoC the car can reach there.

At each station the car passes, or stops and charges from its arrival SoC ``a`` to
a leave SoC ``s'`` on the grid, ``s' >= a``, which costs ``overhead + T(s') - T(a)``
(pulling in and plugging, then charging). It starts at SoC ``start`` (any value),
must arrive at every station with at least ``reserve`` and at the destination with
at least ``arrive_min``. Driving time does not depend on the decisions, so the
least trip time is the least time at stops.

The problem is solved exactly on the grid by dynamic programming over the *last
stop*. With ``F_j(s')`` the least time up to leaving station ``j`` at ``s'`` and
``E_ij`` the energy from node ``i`` to ``j`` (legs are non-negative, so the
arrival at ``j`` is the lowest of those after ``i``):

.. math::

    F_j(s') = T_j(s') + \\text{overhead}
              + \\min_{i < j,\\ s:\\ \\text{reserve} \\le s - E_{ij} \\le s'}
                \\left[F_i(s) - T_j(s - E_{ij})\\right]

with the origin as a stop left at ``start`` at no cost. For one earlier stop ``i``
the arrival ``s - E_ij`` falls in the grid cell ``(s_{m-1}, s_m]`` with
``m = s - q`` and ``q = floor(E_ij (G - 1))`` the same for every ``s``, so the
candidates are a shifted copy of ``F_i``; the inner minimum is the elementwise
minimum over ``i`` followed by a running minimum over the cell index, and a plan
costs ``O(K^2 G)`` array operations, each over all the cars at once. SoCs that
agree within ``1e-9`` of a grid step count as equal.

Pure numpy on SI floats: SoC as fractions [-], times [s]. No pint, no I/O.

References
----------
.. [1] R. Bellman, "Dynamic Programming", Princeton University Press, 1957.
.. [2] M. Schneider, A. Stenger, D. Goeke, "The electric vehicle-routing problem with
   time windows and recharging stations", Transportation Science 48 (2014) 500-520:
   charging time as a function of the SoC on arrival and on leaving.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import NamedTuple

import numpy as np
from numpy.lib.stride_tricks import as_strided

__all__ = ["TripPlan", "curve_time", "optimal_stops"]

#: SoCs closer than this [grid steps] count as equal (arrival on a grid point).
_EPS = 1e-9
#: Cars planned together in one block of arrays (the arrays of a block stay in cache).
_CHUNK = 1024


class TripPlan(NamedTuple):
    """The least-time plan of each car (leading shape ``n``; ``K`` stations).

    Check ``feasible`` first: an infeasible trip has ``charge_time = inf``, no stops,
    zeros in the per-station arrays and the leg it fails on in ``infeasible_at``.

    Examples
    --------
    >>> plan = optimal_stops([0.5, 0.5, 0.3], [np.linspace(0, 3600, 11)], [0, 0])
    >>> plan.feasible, plan.stops, plan.charge_time, plan.stop_time
    (array(True), array(1), array(1740.), array([1740.,    0.]))
    """

    charge_time: np.ndarray  #: time at stops, overhead included [s]; inf if infeasible
    stops: np.ndarray  #: number of stops [-]
    feasible: np.ndarray  #: a plan exists that keeps every arrival above its minimum
    infeasible_at: np.ndarray  #: first leg not covered even at the most SoC; -1 if feasible
    arrive: np.ndarray  #: SoC on arriving at each station [-], shape (n, K)
    leave: np.ndarray  #: SoC on leaving each station [-] (= arrive where passed)
    stopped: np.ndarray  #: stops at the station, shape (n, K)
    stop_time: np.ndarray  #: overhead plus charging at the station [s]; 0 where passed
    arrive_end: np.ndarray  #: SoC on arriving at the destination [-]


def curve_time(curve, soc):
    """Time from SoC 0 to ``soc`` on a charging curve, linear between grid points.

    Parameters
    ----------
    curve : array_like
        Cumulative charging time on a uniform SoC grid from 0 to 1 [s], shape
        ``(..., G)``; non-decreasing, ``inf`` above the SoC the car reaches.
    soc : array_like
        State of charge [-], broadcasting against ``curve[..., 0]``.

    Returns
    -------
    numpy.ndarray
        Time [s]; ``inf`` where ``soc`` lies above the last finite grid point
        (never NaN).

    Examples
    --------
    >>> curve_time([0.0, 600.0, 1200.0, 2400.0, np.inf], [0.5, 0.625, 0.8])
    array([1200., 1800.,   inf])
    """
    curve = np.asarray(curve, dtype=float)
    soc = np.asarray(soc, dtype=float)
    shape = np.broadcast_shapes(soc.shape, curve.shape[:-1])
    curve = np.broadcast_to(curve, (*shape, curve.shape[-1]))
    scale = curve.shape[-1] - 1
    p = np.broadcast_to(np.clip(soc, 0.0, 1.0) * scale, shape)
    m = np.clip(np.ceil(p - _EPS), 0, scale).astype(np.intp)
    hi = np.take_along_axis(curve, m[..., None], -1)[..., 0]
    lo = np.take_along_axis(curve, np.maximum(m - 1, 0)[..., None], -1)[..., 0]
    return _between(lo, hi, np.clip(m - p, 0.0, 1.0))


def _between(lo, hi, r):
    """``hi - r (hi - lo)`` for ``0 <= r < 1``, ``inf`` where ``hi`` is (never NaN)."""
    ok = np.isfinite(hi)
    out = np.full(np.shape(hi), np.inf)
    np.subtract(hi, r * np.subtract(hi, lo, out=np.zeros(np.shape(hi)), where=ok), out=out,
                where=ok)  # fmt: skip
    return out[()] if out.ndim == 0 else out


def optimal_stops(
    leg,
    curve,
    station_charger,
    start=1.0,
    reserve=0.1,
    overhead=300.0,
    arrive_min=None,
    threads: int = 1,
) -> TripPlan:
    """The stops and leave SoCs that make the time at stops least, exactly on the grid.

    Parameters
    ----------
    leg : array_like
        Energy of each leg as a fraction of the usable energy [-], shape
        ``(..., K + 1)``: origin to station 0, ..., station ``K-1`` to the
        destination. Finite and non-negative.
    curve : array_like
        Cumulative time to charge from SoC 0 to each point of a uniform grid of ``G``
        points from 0 to 1 [s], per charger type: shape ``(..., C, G)``.
        Non-decreasing, ``inf`` above the SoC the car reaches on that charger (``inf``
        everywhere: the car cannot charge there). The leave SoCs are this grid's
        points.
    station_charger : array_like of int
        Charger type of each station [-], shape ``(K,)``: an index into the ``C``
        curves, or ``-1`` for a station without a charger for the car.
    start : array_like
        SoC at the origin [-], 0 to 1.
    reserve : array_like
        Least SoC on arriving at any station [-], 0 to 1.
    overhead : array_like
        Time of a stop beside the charging: pulling in, plugging, paying [s].
    arrive_min : array_like, optional
        Least SoC on arriving at the destination [-]; ``reserve`` if not given.
    threads : int
        Threads that plan blocks of cars at the same time (numpy releases the GIL).

    Returns
    -------
    TripPlan
        Per car (the broadcast shape of the arguments' leading dimensions, ``n``):
        ``charge_time`` [s], time at stops with their overhead, ``inf`` when
        infeasible (check ``feasible`` before showing it); ``stops``; ``feasible``;
        ``infeasible_at``, the index of the first leg that cannot be covered even
        with the most SoC the stations before it can give (-1 if feasible); per
        station (shape ``(n, K)``) ``arrive`` and ``leave`` [-] (equal where the car
        passes), ``stopped`` and ``stop_time`` [s]; ``arrive_end`` [-] at the
        destination. An infeasible car has no stops and zeros in those arrays.

    Raises
    ------
    ValueError
        On a negative or non-finite leg, a NaN, ``-inf`` or decreasing curve, a
        charger index out of range, a SoC or overhead out of bounds, or shapes that
        do not fit.

    References
    ----------
    .. [1] R. Bellman, "Dynamic Programming", Princeton University Press, 1957.

    Examples
    --------
    Legs of 50, 50 and 30 % with a station after each of the first two, a charger
    that adds 10 % every 6 minutes up to 100 %, a reserve of 10 % and 5 minutes a
    stop: from full, the car must charge at the first station (it would reach the
    second with 0 %); one stop to 90 % (24 minutes) beats two.

    >>> curve = np.linspace(0.0, 3600.0, 11)
    >>> plan = optimal_stops([0.5, 0.5, 0.3], [curve], [0, 0], start=1.0, reserve=0.1,
    ...                      overhead=300.0)
    >>> plan.charge_time, plan.stopped, plan.arrive, plan.leave
    (array(1740.), array([ True, False]), array([0.5, 0.4]), array([0.9, 0.4]))

    Many cars at once, one per row; a charger that stops at 50 % makes the trip
    infeasible on its second leg (index 1):

    >>> slow = np.where(np.linspace(0, 1, 11) < 0.55, curve, np.inf)
    >>> plan = optimal_stops([0.5, 0.5, 0.3], [[curve], [slow]], [0, 0])
    >>> plan.feasible, plan.infeasible_at, plan.charge_time
    (array([ True, False]), array([-1,  1]), array([1740.,   inf]))
    """
    shape, pos, curve, charger, *rest = _checked(
        leg, curve, station_charger, start, reserve, overhead, arrive_min
    )
    n = pos.shape[0]
    blocks = [slice(lo, min(lo + _CHUNK, n)) for lo in range(0, n, _CHUNK)] or [slice(0, 0)]
    shared = curve.shape[0] == 1

    def plan(rows):
        return _plan_block(pos[rows], curve if shared else curve[rows], charger,
                           *(x[rows] for x in rest))  # fmt: skip

    if threads > 1 and len(blocks) > 1:
        with ThreadPoolExecutor(min(threads, len(blocks))) as pool:
            parts = list(pool.map(plan, blocks))
    else:
        parts = [plan(rows) for rows in blocks]
    out = (np.concatenate(p, axis=0) for p in zip(*parts, strict=True))
    return TripPlan(*(o.reshape(shape + o.shape[1:]) for o in out))


def _checked(leg, curve, station_charger, start, reserve, overhead, arrive_min):
    """Arrays with the batch flattened to rows, or ValueError naming what is wrong."""
    leg = np.asarray(leg, dtype=float)
    curve = np.asarray(curve, dtype=float)
    charger = np.asarray(station_charger)
    if leg.ndim < 1 or leg.shape[-1] < 1:
        raise ValueError("leg: expected the energies of K + 1 legs along the last axis")
    k = leg.shape[-1] - 1
    if charger.shape != (k,) or (k and not np.issubdtype(charger.dtype, np.integer)):
        raise ValueError(f"station_charger: expected {k} integer charger indices (one per "
                         f"station between the {k + 1} legs), got {charger!r}")  # fmt: skip
    if curve.ndim < 2 or curve.shape[-1] < 2:
        raise ValueError("curve: expected shape (..., C, G), C charger types and G >= 2 SoC "
                         f"points, got {curve.shape}")  # fmt: skip
    if np.any((charger < -1) | (charger >= curve.shape[-2])):
        raise ValueError(f"station_charger: expected indices from -1 to {curve.shape[-2] - 1}")
    if not np.all(np.isfinite(leg)) or np.any(leg < 0):
        raise ValueError("leg: expected finite energies >= 0 (fractions of the usable energy)")
    if np.any(np.isnan(curve) | (curve == -np.inf)):
        raise ValueError("curve: expected times [s] or inf above the reachable SoC, got NaN/-inf")
    if np.any(curve[..., 1:] < curve[..., :-1]):
        raise ValueError("curve: expected a cumulative time, non-decreasing in SoC")
    reserve = np.asarray(reserve, dtype=float)
    arrive_min = reserve if arrive_min is None else np.asarray(arrive_min, dtype=float)
    start, overhead = np.asarray(start, dtype=float), np.asarray(overhead, dtype=float)
    for name, x in (("start", start), ("reserve", reserve), ("arrive_min", arrive_min)):
        if not np.all((x >= 0) & (x <= 1)):
            raise ValueError(f"{name}: expected a state of charge from 0 to 1")
    if not np.all(np.isfinite(overhead) & (overhead >= 0)):
        raise ValueError("overhead: expected a finite time >= 0 [s]")
    try:
        shape = np.broadcast_shapes(leg.shape[:-1], curve.shape[:-2], start.shape,
                                    reserve.shape, overhead.shape, arrive_min.shape)  # fmt: skip
    except ValueError:
        raise ValueError("leg, curve, start, reserve, overhead, arrive_min: the leading "
                         "(car) dimensions do not broadcast together") from None  # fmt: skip
    n = int(np.prod(shape))
    pos = np.zeros((n, k + 2))
    np.cumsum(np.broadcast_to(leg, (*shape, k + 1)).reshape(n, k + 1), axis=1, out=pos[:, 1:])
    if int(np.prod(curve.shape[:-2])) == 1:
        curve = curve.reshape(1, *curve.shape[-2:])
    else:
        curve = np.broadcast_to(curve, shape + curve.shape[-2:]).reshape(n, *curve.shape[-2:])
    rest = (np.broadcast_to(x, shape).reshape(n) for x in (start, reserve, overhead, arrive_min))
    return (shape, pos, curve, charger.astype(np.intp), *rest)


class _Station(NamedTuple):
    """A station's curve for a block: in cell ``m`` (``s_{m-1} < a <= s_m``, ``a`` at
    ``r`` steps below ``s_m``) the time is ``T(a) = finite[m] - r step[m]``."""

    curve: np.ndarray  #: (rows or 1, G) [s]
    finite: np.ndarray  #: the curve with 0 for inf [s]
    step: np.ndarray  #: rise over the cell ending at each point, finite [s]
    top: np.ndarray  #: index of the last finite point (rows or 1,)


def _stations(curve, charger):
    """The station records of a block (one per charger type used), None if unusable."""
    types = {}
    for c in {int(c) for c in charger if c >= 0}:
        cj = curve[:, c, :]
        if np.isfinite(cj[:, 0]).any():
            finite = np.isfinite(cj)
            cf = np.where(finite, cj, 0.0)
            step = np.diff(cf, axis=1, prepend=cf[:, :1])
            types[c] = _Station(cj, cf, step, finite.sum(axis=1) - 1)
    return [types.get(int(c)) for c in charger]


def _plan_block(pos, curve, charger, start, reserve, overhead, arrive_min):
    """Forward DP over the last stop, the best end, backtrack and the plan's numbers."""
    b, k = pos.shape[0], charger.size
    if b == 0:
        empty = (np.zeros((0, k)), np.zeros((0, k)), np.zeros((0, k), bool), np.zeros((0, k)))
        return (np.zeros(0), np.zeros(0, np.intp), np.zeros(0, bool), np.zeros(0, np.intp),
                *empty, np.zeros(0))  # fmt: skip
    st = _stations(curve, charger)
    scale = curve.shape[-1] - 1
    res = reserve * scale
    F, B = _forward(pos, st, start, res, overhead, scale)
    best, end_i, end_s = _best_end(pos, st, F, start, res, arrive_min * scale, scale)
    stopped, leave_at = _backtrack(pos, st, F, B, start, res, end_i, end_s, scale)
    feasible = np.isfinite(best)
    stopped &= feasible[:, None]
    arrive, leave, stop_time, arrive_end = _march(pos, st, stopped, leave_at, start, overhead,
                                                  scale)  # fmt: skip
    where = _infeasible_at(pos, st, start, reserve, arrive_min, scale)
    where = np.where(feasible, -1, np.where(where < 0, charger.size, where))
    for x in (arrive, leave, stop_time):
        x[~feasible] = 0.0
    arrive_end[~feasible] = 0.0
    charge_time = np.where(feasible, stop_time.sum(axis=1), np.inf)
    return (charge_time, stopped.sum(axis=1), feasible, where, arrive, leave, stopped,
            stop_time, arrive_end)  # fmt: skip


def _shift(energy, res, scale):
    """From a stop left at grid point ``s`` the car arrives at ``s - q - r`` [steps]: in
    cell ``m = s - q`` at ``r`` below its top; with at least ``res`` from cell ``mlo``."""
    shift = energy * scale
    q = np.floor(shift + _EPS)
    r = np.clip(shift - q, 0.0, 1.0)
    return q, r, np.maximum(np.ceil(res + r - _EPS), 0.0)


def _origin(p, scale):
    """Cell and fraction of an arrival at ``p`` grid steps (from the origin)."""
    m = np.clip(np.ceil(p - _EPS), 0, scale).astype(np.intp)
    return m, np.clip(m - p, 0.0, 1.0)


def _forward(pos, st, start, res, overhead, scale):
    """``F_j(s)`` on a grid padded with inf, and the least candidate ``B_j`` of each
    arrival cell. Candidates are kept as ``F_i(s) - T_j(a) + finite_j[m]``, so that
    ``T_j``'s grid value is taken off once per cell, not once per candidate."""
    b, k, g = pos.shape[0], len(st), scale + 1
    rows = np.arange(b)
    F = np.empty((k, b, 2 * g))
    F[:, :, g:] = np.inf  # beyond the grid
    B = np.empty((k, b, g))
    for j, sj in enumerate(st):
        if sj is None:
            F[j] = np.inf
            continue
        Bj = B[j]
        Bj.fill(np.inf)
        m, r = _origin((start - pos[:, j + 1]) * scale, scale)
        ok = np.flatnonzero((start - pos[:, j + 1]) * scale >= res - _EPS)
        Bj[ok, m[ok]] = r[ok] * sj.step[ok if sj.step.shape[0] > 1 else 0, m[ok]]
        if j:
            # every earlier stop at once: the shifts, and which stops some car reaches j from
            q, r, mlo = _shift(pos[:, j + 1, None] - pos[:, 1 : j + 1], res[:, None], scale)
            lo = mlo.min(axis=0).astype(np.intp)
            hi = np.minimum(scale - q, sj.top[:, None]).max(axis=0).astype(np.intp)
            for i in np.flatnonzero(hi >= lo):
                if st[i] is not None:
                    _add_stop(Bj, F[i], sj, q[:, i], r[:, i], mlo[:, i], lo[i], hi[i], rows)
        Bj -= sj.finite
        P = np.minimum.accumulate(Bj, axis=1)
        np.add(sj.curve, P, out=F[j, :, :g])
        F[j, :, :g] += overhead[:, None]
    return F, B


def _add_stop(B, Fi, sj, q, r, mlo, lo, hi, rows):
    """Candidates from an earlier stop ``i`` (``Fi`` padded) into the cells ``lo..hi`` of
    ``B``; ``q``, ``r``, ``mlo`` are :func:`_shift` of the energy from ``i`` to ``j``."""
    w = hi - lo + 1
    # F_i[s] for s = m + q, m = lo..hi, row by row: windows of a strided view
    windows = as_strided(Fi, shape=(Fi.shape[0], Fi.shape[1] - w + 1, w),
                         strides=(Fi.strides[0], Fi.strides[1], Fi.strides[1]))  # fmt: skip
    V = windows[rows, lo + np.minimum(q, Fi.shape[1] // 2).astype(np.intp)]
    V += np.multiply(sj.step[:, lo : hi + 1], r[:, None], out=np.empty_like(V))
    band = min(int(mlo.max()), hi + 1) - lo  # cells below some car's reserve
    if band > 0:
        np.copyto(V[:, :band], np.inf, where=np.arange(lo, lo + band) < mlo[:, None])
    np.minimum(B[:, lo : hi + 1], V, out=B[:, lo : hi + 1])


def _best_end(pos, st, F, start, res, need, scale):
    """Least time over the last stop (or none) after which the car arrives at the last
    station with ``res`` and at the destination with ``need`` [grid steps]."""
    b, k, g = pos.shape[0], len(st), scale + 1
    cols = np.arange(g)
    rows = np.arange(b)
    ok = (start - pos[:, k + 1]) * scale >= need - _EPS
    if k:
        ok &= (start - pos[:, k]) * scale >= res - _EPS
    best = np.where(ok, 0.0, np.inf)
    end_i = np.where(ok, -1, -2)
    end_s = np.zeros(b, dtype=np.intp)
    for i in range(k):
        if st[i] is None or pos[:, k + 1].min() - pos[:, i + 1].max() > 1.0:
            continue  # no car of the block reaches the destination from i
        slo = np.maximum(np.ceil((pos[:, k + 1] - pos[:, i + 1]) * scale + need - _EPS),
                         np.ceil((pos[:, k] - pos[:, i + 1]) * scale + res - _EPS))  # fmt: skip
        V = np.where(cols >= slo[:, None], F[i, :, :g], np.inf)
        s = V.argmin(axis=1)
        v = V[rows, s]
        better = v < best
        best[better], end_i[better], end_s[better] = v[better], i, s[better]
    return best, end_i, end_s


def _backtrack(pos, st, F, B, start, res, end_i, end_s, scale):
    """Stops and leave grid indices from the destination back to the origin: at each stop
    the candidates of the best arrival cell are formed again (the same arithmetic as the
    forward pass, so the least of them is found exactly)."""
    b, k = pos.shape[0], len(st)
    stopped = np.zeros((b, k), dtype=bool)
    leave_at = np.zeros((b, k), dtype=np.intp)
    cur, s = end_i.copy(), end_s.copy()
    for c in range(k - 1, -1, -1):
        rows = np.flatnonzero(cur == c)
        if rows.size == 0:
            continue
        stopped[rows, c], leave_at[rows, c] = True, s[rows]
        # the arrival cell: the first least candidate at or below the leave point
        m = np.where(np.arange(B.shape[2]) <= s[rows, None], B[c, rows], np.inf).argmin(axis=1)
        step = st[c].step[rows if st[c].step.shape[0] > 1 else 0, m]
        p = (start[rows] - pos[rows, c + 1]) * scale
        m0, r0 = _origin(p, scale)
        best = np.where((p >= res[rows] - _EPS) & (m0 == m), r0 * step, np.inf)
        prev = np.full(rows.size, -1)
        for i in range(c):
            if st[i] is None:
                continue
            q, r, mlo = _shift(pos[rows, c + 1] - pos[rows, i + 1], res[rows], scale)
            at = np.minimum(m + q.astype(np.intp), F.shape[2] - 1)
            v = np.where(m >= mlo, F[i, rows, at] + r * step, np.inf)
            better = v < best
            best[better], prev[better] = v[better], i
        shift = (pos[rows, c + 1] - pos[rows, prev + 1]) * scale
        cur[rows], s[rows] = prev, m + np.floor(shift + _EPS).astype(np.intp)
    return stopped, leave_at


def _march(pos, st, stopped, leave_at, start, overhead, scale):
    """SoC at each station and the time of each stop along the chosen plan."""
    b, k = stopped.shape
    arrive, leave, stop_time = np.zeros((b, k)), np.zeros((b, k)), np.zeros((b, k))
    soc, last = start.copy(), np.zeros(b)
    for j in range(k):
        a = soc - (pos[:, j + 1] - last)
        rows = np.flatnonzero(stopped[:, j])
        if rows.size:
            cj = st[j].curve[rows if st[j].curve.shape[0] > 1 else [0] * rows.size]
            s = leave_at[rows, j] / scale
            charge = curve_time(cj, s) - curve_time(cj, a[rows])
            stop_time[rows, j] = overhead[rows] + np.maximum(charge, 0.0)
            soc[rows], last[rows] = s, pos[rows, j + 1]
        arrive[:, j] = np.maximum(a, 0.0)
        leave[:, j] = np.where(stopped[:, j], soc, arrive[:, j])
    return arrive, leave, stop_time, np.maximum(soc - (pos[:, k + 1] - last), 0.0)


def _infeasible_at(pos, st, start, reserve, arrive_min, scale):
    """First leg not covered when every station charges as high as it can (-1: none)."""
    b, k = pos.shape[0], len(st)
    fail = np.full(b, -1)
    soc, last = start.copy(), np.zeros(b)
    for j in range(k + 1):
        a = soc - (pos[:, j + 1] - last)
        need = reserve if j < k else arrive_min
        fail[(fail < 0) & (a * scale < need * scale - _EPS)] = j
        if j < k and st[j] is not None:
            top = st[j].top / scale
            up = top > a
            soc, last = np.where(up, top, a), np.where(up, pos[:, j + 1], last)
        else:
            soc = a
    return fail
