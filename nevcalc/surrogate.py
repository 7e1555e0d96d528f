"""Fast stand-ins for the ageing and charging models, for millions of cases.

A sweep evaluates the ageing model on nodes once (:func:`health_table`, kept
in the nevcalc cache) and interpolates between them (:func:`health_lookup`);
with a random charger power it interpolates the charging answers between
charger-power nodes. :class:`Surrogate` carries them into
:func:`nevcalc.evaluate.evaluate`, so a single answer can ask for exactly what
a sweep row computes. How far the tables are from the direct model is tested
in ``tests/test_surrogate.py``.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field

import numpy as np

from nevcalc._version import __version__
from nevcalc.model import degradation
from nevcalc.specs import cache
from nevcalc.units import celsius_to_kelvin

__all__ = [
    "C_NODES",
    "HORIZON",
    "PERIOD_NODES",
    "T_NODES",
    "Surrogate",
    "axis_weights",
    "cached_health_table",
    "health_lookup",
    "health_table",
]

#: Node grids of the health table: charge C-rate [s^-1] (0.02C to 10C), time between
#: sweeps [s] (3 hours to 64 days: 8 sweeps a day, as a taxi on shifts, to one in two
#: months; more sweeps a day are read at 8), temperature [K] (-20 to 55 degC).
C_NODES = np.geomspace(0.02, 10.0, 14) / degradation.HOUR
PERIOD_NODES = np.geomspace(1.0 / 8.0, 64.0, 10) * degradation.DAY
T_NODES = celsius_to_kelvin(np.arange(-20.0, 57.5, 2.5))
#: Years of ageing every answer covers; a level not reached by then is "never" (inf).
HORIZON = 40
_T_CAP = 1e4  # years standing for "never" in the log-time tables


@dataclass(frozen=True)
class Surrogate:
    """What a sweep uses instead of the direct models.

    Attributes
    ----------
    health : dict
        ``(model index, soc_low, soc_high) -> health_table(...)``; ageing by the
        simple model is closed-form and needs none.
    charge_steps : int
        SoC steps of each charging profile.
    power_nodes : numpy.ndarray or None
        Charger powers [W] whose charging answers are interpolated (in log power)
        for a charger power that varies per case.

    Examples
    --------
    A single answer asks for what a sweep row computes: the BYD Han L's capacity
    after 10 years from the ageing table of its LFP model and 30-80 % window. It
    stays within the table's interpolation error (3e-3, pinned in the sweep tests)
    of the direct model.

    >>> from nevcalc.cars import assemble
    >>> from nevcalc.evaluate import Economics, Usage, evaluate
    >>> from nevcalc.ageing import AGEING_MODELS
    >>> from nevcalc.scenario.charge import load_charger
    >>> lfp = AGEING_MODELS.index("lfp-gr-250ah")
    >>> fast = Surrogate(health={(lfp, 0.3, 0.8): cached_health_table("lfp-gr-250ah", 0.3,
    ...                                                               0.8, 10, 0.7)})
    >>> args = ([assemble("byd-han-l")], [load_charger("ionity-350")],
    ...         Usage(15e6, 0.2, 11e3, 298.15, 0.3, 0.8, 4e-8, 1e-7, 0.0),
    ...         Economics(10, 0.05, 0.0, 0.0, 0.7, -0.05))
    >>> direct = evaluate(*args, car_index=0, charger_index=0).metrics["capacity_end"]
    >>> table = evaluate(*args, car_index=0, charger_index=0, surrogate=fast)
    >>> bool(abs(table.metrics["capacity_end"] - direct) < 3e-3)
    True
    """

    health: dict = field(default_factory=dict)
    charge_steps: int = 200
    power_nodes: np.ndarray | None = None


def cached_health_table(model: str, soc_low: float, soc_high: float, years: int,
                        threshold: float, scale=None):  # fmt: skip
    """:func:`health_table`, kept in the nevcalc cache folder (it takes about a second).

    The file is keyed by nevcalc's version, the source of the ageing model and of
    this module, the arguments and the node grids; a changed model is recomputed. A
    cache that cannot be written only costs time.

    Parameters
    ----------
    model, soc_low, soc_high, years, threshold, scale
        As :func:`health_table` (a model name; the SoC window [-]; the year of
        ``q_end`` [years]; the capacity of ``tr`` [-]; the fleet correction).

    Returns
    -------
    dict of numpy.ndarray
        As :func:`health_table`.

    Examples
    --------
    A second call reads the file the first wrote: the same tables.

    >>> a = cached_health_table("lfp-gr-250ah", 0.3, 0.8, 10, 0.7)
    >>> b = cached_health_table("lfp-gr-250ah", 0.3, 0.8, 10, 0.7)
    >>> all(np.array_equal(a[k], b[k]) for k in ("q8", "q_end", "t80", "tr"))
    True
    >>> a["q_end"].shape == (C_NODES.size, PERIOD_NODES.size, T_NODES.size)
    True
    """
    code = cache.source_stamp("model/degradation.py", "surrogate.py")  # a changed model: recompute
    scale = None if scale is None else tuple(float(f) for f in scale)
    extra = () if scale is None else (scale,)  # the uncorrected model keeps its old key
    key = repr((__version__, code, model, soc_low, soc_high, years, threshold, C_NODES.tolist(),
                PERIOD_NODES.tolist(), T_NODES.tolist(), *extra))  # fmt: skip
    path = cache.cache_dir() / f"health-{hashlib.sha256(key.encode()).hexdigest()[:20]}.npz"
    try:
        with np.load(path) as f:
            return {k: f[k] for k in f.files}
    except (OSError, ValueError, KeyError):
        pass
    table = health_table(model, soc_low, soc_high, years, threshold, scale)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp.npz")
        np.savez(tmp, **table)
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only cache only costs time
    return table


def health_table(model: str, soc_low: float, soc_high: float, years: int, threshold: float,
                 scale=None):  # fmt: skip
    """The ageing model's answers on nodes of C-rate, days per sweep and temperature.

    Parameters
    ----------
    model : str
        A key of :data:`nevcalc.model.degradation.MODELS`.
    soc_low, soc_high : float
        The daily SoC window [-].
    years : int
        Year whose capacity ``q_end`` holds [years].
    threshold : float
        Capacity whose year ``tr`` holds [-].
    scale : (float, float), optional
        Factors on the calendar and cycling fade (the fleet correction of
        :func:`nevcalc.ageing.fleet_scale`); None: the model as fitted.

    Returns
    -------
    dict of numpy.ndarray
        Shape ``(len(C_NODES), len(PERIOD_NODES), len(T_NODES))``, quantities that are
        nearly linear between nodes: ``q8`` and ``q_end`` as the log of the fade
        ``ln(1 - q)`` after 8 and ``years`` years, ``t80`` and ``tr`` as the log of the
        years to 80 % and to ``threshold`` (``ln 1e4`` beyond :data:`HORIZON`).

    References
    ----------
    .. [1] NREL, BLAST-Lite 1.1.1, https://github.com/NREL/BLAST-Lite (the models of
       :mod:`nevcalc.model.degradation` tabulated here).

    Examples
    --------
    The grid is 14 C-rates by 10 periods by 31 temperatures. Sweeping the window every
    day ages a cell more than every 64 days, and twice a day more than once (nodes 3,
    9 and 2 of the period, at C/4 and 25 degC): the ten-year capacity
    ``1 - exp(q_end)`` is lower.

    >>> t = health_table("lfp-gr-250ah", 0.3, 0.8, 10, 0.7)
    >>> t["q_end"].shape
    (14, 10, 31)
    >>> i = 5  # C_NODES[5] is 0.22 C
    >>> k = int(np.argmin(np.abs(T_NODES - 298.15)))
    >>> twice, daily, rarely = 1 - np.exp(t["q_end"][i, [2, 3, 9], k])
    >>> bool(twice < daily < rarely)
    True
    """
    out = {k: np.empty((C_NODES.size, PERIOD_NODES.size, T_NODES.size))
           for k in ("q8", "q_end", "t80", "tr")}  # fmt: skip
    grid = np.arange(1, HORIZON + 1)
    for i, c in enumerate(C_NODES):
        for j, p in enumerate(PERIOD_NODES):
            # a sweep every p: under a day, n sweeps in each day (the nodes are 1/n day)
            n = max(round(degradation.DAY / p), 1)
            duty = degradation.daily_duty(soc_high, soc_low, charge_rate=c,
                                          temperature=T_NODES, period=max(p, degradation.DAY),
                                          sweeps=n)  # fmt: skip
            q = degradation.capacity_fade(model, duty, grid, scale=scale)
            fade = np.clip(1.0 - q, 1e-9, 1.0)
            out["q8"][i, j] = np.log(fade[:, 7])
            out["q_end"][i, j] = np.log(fade[:, years - 1])
            out["t80"][i, j] = np.log(np.minimum(degradation.years_to_capacity(q, 0.8), _T_CAP))
            out["tr"][i, j] = np.log(
                np.minimum(degradation.years_to_capacity(q, threshold), _T_CAP)
            )
    return out


def axis_weights(nodes, x, log: bool):
    """Lower node index and weight of the upper node for linear interpolation.

    ``x`` is clipped to the nodes' range; ``log`` interpolates in ``log x``. Evenly
    spaced nodes (in ``log x`` with ``log``) are found by arithmetic, others by search.

    Parameters
    ----------
    nodes : array_like
        Increasing node positions, at least two [any unit, that of ``x``].
    x : array_like
        Where to interpolate [unit of ``nodes``]; positive with ``log``.
    log : bool
        Interpolate in ``log x``.

    Returns
    -------
    i : numpy.ndarray of int
        Index of the lower node, 0 to ``len(nodes) - 2``, the shape of ``x``.
    f : numpy.ndarray
        Weight of node ``i + 1`` [-], in [0, 1]; ``(1 - f)`` that of node ``i``.

    Examples
    --------
    Nodes 1, 2, 4, 8. Linearly, 3 is halfway between 2 and 4, 6 halfway between 4 and
    8, 100 clips to 8 and 0.5 to 1; in log, 2 * sqrt(2) is halfway between 2 and 4.

    >>> i, f = axis_weights([1.0, 2.0, 4.0, 8.0], np.array([3.0, 6.0, 100.0, 0.5]), False)
    >>> i, np.round(f, 6)
    (array([1, 2, 2, 0]), array([0.5, 0.5, 1. , 0. ]))
    >>> i, f = axis_weights([1.0, 2.0, 4.0, 8.0], np.array([2 * np.sqrt(2)]), True)
    >>> i, np.round(f, 6)
    (array([1]), array([0.5]))
    """
    x = np.asarray(x, float)
    i, f = _weights(_axis(nodes, log), x.reshape(-1))
    return i.reshape(x.shape), f.reshape(x.shape)


def _axis(nodes, log: bool):
    """What :func:`axis_weights` needs of ``nodes``: their bounds, whether to take logs,
    positions (the logs with ``log``), gaps, and the step when they are evenly spaced
    (else None)."""
    nodes = np.asarray(nodes, float)
    xs = np.log(nodes) if log else nodes
    d = np.diff(xs)
    step = (xs[-1] - xs[0]) / (xs.size - 1)
    even = bool(np.max(np.abs(d - step)) <= 1e-12 * abs(step))
    return nodes[0], nodes[-1], log, xs, d, step if even else None


def _weights(axis, x: np.ndarray):
    """:func:`axis_weights` of the nodes of an :func:`_axis` at the 1-d array ``x``."""
    lo, hi, log, xs, d, step = axis
    v = np.minimum(np.maximum(x, lo), hi)
    if log:
        np.log(v, out=v)
    if step is not None:
        t = v - xs[0]
        t *= 1.0 / step
        i = t.astype(np.intp)
        np.minimum(i, xs.size - 2, out=i)
    else:
        i = np.clip(np.searchsorted(xs, v, side="right") - 1, 0, xs.size - 2)
    f = v
    f -= xs.take(i)
    f /= d.take(i)
    return i, f


#: The health table's axes, as :func:`_weights` takes them.
_AXES = (_axis(C_NODES, True), _axis(PERIOD_NODES, True), _axis(T_NODES, False))


_KEYS = ("q8", "q_end", "t80", "tr")


def _stacked(table: dict[str, np.ndarray]) -> np.ndarray:
    """The four tables as one array, shape ``(4, nodes)``, a key's nodes in a row (kept
    with the table): a corner's values of many cases are then gathered into rows that
    the weights multiply whole."""
    got = table.get("_by_key")
    if got is None:
        got = np.stack([table[k].reshape(-1) for k in _KEYS])
        table["_by_key"] = got
    return got


def health_lookup(table: dict[str, np.ndarray], c_rate, period, temperature):
    """Trilinear interpolation of :func:`health_table` (log C-rate, log period, temperature).

    Parameters
    ----------
    table : dict
        From :func:`health_table`.
    c_rate : array_like
        Charge C-rate [s^-1].
    period : array_like
        Time between sweeps [s].
    temperature : array_like
        [K].

    Returns
    -------
    dict of numpy.ndarray
        ``q8`` and ``q_end`` (relative capacity [-]), ``t80`` and ``tr`` ([years],
        inf beyond :data:`HORIZON`), of the broadcast shape of the arguments.

    Examples
    --------
    On a node the table gives back the direct model: C/5 sweeps of 30-80 % once a day
    (0.5 full cycles, a period of one day) at 25 degC, where C-rate and temperature
    are nodes, through :func:`nevcalc.ageing.ageing_stage` with and without the
    table; arguments broadcast.

    >>> from nevcalc.ageing import AGEING_MODELS, ageing_stage
    >>> from nevcalc.model.degradation import DAY
    >>> table = cached_health_table("lfp-gr-250ah", 0.3, 0.8, 10, 0.7)
    >>> c, temp = C_NODES[5], T_NODES[18]  # 0.22 C, 25 degC
    >>> got = health_lookup(table, c, [DAY, 2 * DAY], temp)
    >>> got["q_end"].shape
    (2,)
    >>> lfp = AGEING_MODELS.index("lfp-gr-250ah")
    >>> direct = ageing_stage(lfp, np.nan, 0.3, 0.8, 0.5, c, temp, 10, 0.7)
    >>> bool(abs(got["q_end"][0] - direct["capacity_end"]) < 1e-9)
    True
    """
    shape = np.broadcast_shapes(np.shape(c_rate), np.shape(period), np.shape(temperature))
    n = int(np.prod(shape))
    if n <= _LOOKUP_ROWS:
        return _lookup(table, c_rate, period, temperature)
    # a block at a time: the corners' node rows then stay in cache
    c, p, t = (np.broadcast_to(x, shape).reshape(-1) for x in (c_rate, period, temperature))
    out = {k: np.empty(n) for k in _KEYS}
    for s in range(0, n, _LOOKUP_ROWS):
        block = slice(s, s + _LOOKUP_ROWS)
        _lookup(table, c[block], p[block], t[block], {k: v[block] for k, v in out.items()})
    return {k: v.reshape(shape) for k, v in out.items()}


#: Cases :func:`health_lookup` interpolates at a time: the corners' node rows stay in
#: cache, and each numpy call runs long enough without the GIL that the blocks of a sweep
#: evaluated side by side seldom wait for each other (at 8,192 the lookup alone is faster
#: on one thread, but the Monte Carlo sweep ran about 10 % slower on two).
_LOOKUP_ROWS = 32768


def _lookup(table, c_rate, period, temperature, into=None):
    """:func:`health_lookup` of one block; written into the arrays ``into`` when given."""
    shape = np.broadcast_shapes(np.shape(c_rate), np.shape(period), np.shape(temperature))
    c, p, t = (np.broadcast_to(np.asarray(x, float), shape).reshape(-1)
               for x in (c_rate, period, temperature))  # fmt: skip
    i, fi = _weights(_AXES[0], c)
    j, fj = _weights(_AXES[1], p)
    k, fk = _weights(_AXES[2], t)
    nj, nk = PERIOD_NODES.size, T_NODES.size
    rows = _stacked(table)
    base = i * nj
    base += j
    base *= nk
    base += k
    wis, wjs, wks = ((1 - fi, fi), (1 - fj, fj), (1 - fk, fk))
    acc = None
    for di, wi in enumerate(wis):
        for dj, wj in enumerate(wjs):
            wij = wi * wj
            for dk, wk in enumerate(wks):
                corner = rows.take(base + ((di * nj + dj) * nk + dk), axis=1)
                corner *= wij * wk
                if acc is None:
                    acc = corner
                else:
                    acc += corner
    e = np.exp(acc, out=acc)
    if into is not None:
        for n, key in enumerate(_KEYS):
            if key in ("q8", "q_end"):
                np.subtract(1.0, e[n], out=into[key])
            else:
                np.copyto(into[key], e[n])
                np.copyto(into[key], np.inf, where=e[n] > HORIZON)
        return into
    out = {}
    for n, key in enumerate(_KEYS):
        if key in ("q8", "q_end"):
            x = 1.0 - e[n]
        else:
            x = np.where(e[n] > HORIZON, np.inf, e[n])
        if shape == ():  # (as numpy answers one case: capacities scalar, years 0-d arrays)
            out[key] = x[0] if key in ("q8", "q_end") else x.reshape(())
        else:
            out[key] = x.reshape(shape)
    return out
