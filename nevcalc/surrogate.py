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
#: sweeps [s] (1 to 64 days), temperature [K] (-20 to 55 degC).
C_NODES = np.geomspace(0.02, 10.0, 14) / degradation.HOUR
PERIOD_NODES = np.geomspace(1.0, 64.0, 7) * degradation.DAY
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
    """

    health: dict = field(default_factory=dict)
    charge_steps: int = 200
    power_nodes: np.ndarray | None = None


def cached_health_table(model: str, soc_low: float, soc_high: float, years: int,
                        threshold: float):  # fmt: skip
    """:func:`health_table`, kept in the nevcalc cache folder (it takes about a second)."""
    from nevcalc.specs.cache import cache_dir, source_stamp

    code = source_stamp("model/degradation.py", "surrogate.py")  # a changed model: recompute
    key = repr((__version__, code, model, soc_low, soc_high, years, threshold, C_NODES.tolist(),
                PERIOD_NODES.tolist(), T_NODES.tolist()))  # fmt: skip
    path = cache_dir() / f"health-{hashlib.sha256(key.encode()).hexdigest()[:20]}.npz"
    try:
        with np.load(path) as f:
            return {k: f[k] for k in f.files}
    except (OSError, ValueError, KeyError):
        pass
    table = health_table(model, soc_low, soc_high, years, threshold)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp.npz")
        np.savez(tmp, **table)
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only cache only costs time
    return table


def health_table(model: str, soc_low: float, soc_high: float, years: int, threshold: float):
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

    Returns
    -------
    dict of numpy.ndarray
        Shape ``(len(C_NODES), len(PERIOD_NODES), len(T_NODES))``, quantities that are
        nearly linear between nodes: ``q8`` and ``q_end`` as the log of the fade
        ``ln(1 - q)`` after 8 and ``years`` years, ``t80`` and ``tr`` as the log of the
        years to 80 % and to ``threshold`` (``ln 1e4`` beyond :data:`HORIZON`).
    """
    out = {k: np.empty((C_NODES.size, PERIOD_NODES.size, T_NODES.size))
           for k in ("q8", "q_end", "t80", "tr")}  # fmt: skip
    grid = np.arange(1, HORIZON + 1)
    for i, c in enumerate(C_NODES):
        for j, p in enumerate(PERIOD_NODES):
            duty = degradation.daily_duty(soc_high, soc_low, charge_rate=c,
                                          temperature=T_NODES, period=p)  # fmt: skip
            q = degradation.capacity_fade(model, duty, grid)
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
    """
    nodes = np.asarray(nodes, float)
    v = np.minimum(np.maximum(x, nodes[0]), nodes[-1])
    if log:
        xs = np.log(nodes)
        v = np.log(v, out=v) if isinstance(v, np.ndarray) else np.log(v)
    else:
        xs = nodes
    d = np.diff(xs)
    step = (xs[-1] - xs[0]) / (xs.size - 1)
    if np.max(np.abs(d - step)) <= 1e-12 * abs(step):
        i = np.minimum(((v - xs[0]) * (1.0 / step)).astype(np.intp), nodes.size - 2)
    else:
        i = np.clip(np.searchsorted(xs, v, side="right") - 1, 0, nodes.size - 2)
    f = (v - xs[i]) / d[i]
    return i, f


_KEYS = ("q8", "q_end", "t80", "tr")


def _stacked(table: dict[str, np.ndarray]) -> np.ndarray:
    """The four tables as one array of node rows, shape ``(nodes, 4)`` (kept with it)."""
    got = table.get("_stacked")
    if got is None:
        got = np.stack([table[k] for k in _KEYS], axis=-1).reshape(-1, len(_KEYS))
        table["_stacked"] = got
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
        ``q8`` and ``q_end`` (relative capacity [-]), ``t80`` and ``tr`` (years,
        inf beyond :data:`HORIZON`).
    """
    i, fi = axis_weights(C_NODES, c_rate, True)
    j, fj = axis_weights(PERIOD_NODES, period, True)
    k, fk = axis_weights(T_NODES, temperature, False)
    nj, nk = PERIOD_NODES.size, T_NODES.size
    rows = _stacked(table)
    base = (i * nj + j) * nk + k
    acc = None
    for di, wi in ((0, 1 - fi), (1, fi)):
        for dj, wj in ((0, 1 - fj), (1, fj)):
            wij = wi * wj
            for dk, wk in ((0, 1 - fk), (1, fk)):
                corner = rows.take(base + ((di * nj + dj) * nk + dk), axis=0)
                corner *= (wij * wk)[..., None]
                if acc is None:
                    acc = corner
                else:
                    acc += corner
    e = np.exp(acc)
    out = {}
    for n, key in enumerate(_KEYS):
        if key in ("q8", "q_end"):
            out[key] = 1.0 - e[..., n]
        else:
            out[key] = np.where(e[..., n] > HORIZON, np.inf, e[..., n])
    return out
