"""Tables against state of charge on one shared uniform grid.

Every SoC table (OCV, C-rate taper, BMS power) is resampled once onto a
uniform grid so that many tables stack into one array of shape ``(n, G)``
and a lookup is a multiply-add instead of a search. Pure numpy, SI floats.
"""

from __future__ import annotations

import numpy as np

__all__ = ["GRID_POINTS", "lookup", "resample", "uniform_soc_grid", "window_mean"]

#: Points of the shared SoC grid (0 %, 0.5 %, ... 100 %).
GRID_POINTS = 201


def uniform_soc_grid(points: int = GRID_POINTS) -> np.ndarray:
    """The uniform SoC grid ``[0, 1]`` with ``points`` points [-]."""
    return np.linspace(0.0, 1.0, points)


def resample(soc, values, points: int = GRID_POINTS) -> np.ndarray:
    """Resample a piecewise-linear table onto the uniform grid.

    Parameters
    ----------
    soc : array_like
        Breakpoints, increasing, within [0, 1] [-].
    values : array_like
        Values at the breakpoints (any unit).
    points : int
        Grid size.

    Returns
    -------
    numpy.ndarray
        Shape ``(points,)``; constant beyond the first and last breakpoint.
    """
    return np.interp(uniform_soc_grid(points), np.asarray(soc, float), np.asarray(values, float))


def lookup(table, soc, rows=None) -> np.ndarray:
    """Linear interpolation in uniform-grid tables.

    Parameters
    ----------
    table : numpy.ndarray
        Shape ``(G,)`` or ``(n, G)``: values on the uniform SoC grid.
    soc : array_like
        State of charge [-], clipped to [0, 1]. Broadcasts against ``rows``.
    rows : array_like of int, optional
        Row of ``table`` for each ``soc``; when omitted, ``table`` rows
        broadcast against ``soc`` (a ``(n, G)`` table with ``soc`` of shape
        ``(n,)`` or ``(n, k)`` after adding an axis).

    Returns
    -------
    numpy.ndarray
    """
    table = np.asarray(table, float)
    g = table.shape[-1] - 1
    x = np.clip(np.asarray(soc, float), 0.0, 1.0) * g
    i0 = np.minimum(np.floor(x).astype(np.intp), g - 1)
    frac = x - i0
    if table.ndim == 1:
        lo, hi = table[i0], table[i0 + 1]
    elif rows is not None:
        rows = np.asarray(rows, np.intp)
        lo, hi = table[rows, i0], table[rows, i0 + 1]
    else:
        lo = np.take_along_axis(table, i0.reshape(table.shape[0], -1), axis=-1).reshape(i0.shape)
        hi = np.take_along_axis(table, (i0 + 1).reshape(table.shape[0], -1), axis=-1).reshape(
            i0.shape
        )
    with np.errstate(invalid="ignore"):
        out = lo + (hi - lo) * frac
    return np.where(lo == hi, lo, out)


def window_mean(table) -> np.ndarray:
    """Mean of a uniform-grid table over SoC 0-1 (trapezoid rule), per row."""
    table = np.asarray(table, float)
    return np.trapezoid(table, dx=1.0 / (table.shape[-1] - 1), axis=-1)
