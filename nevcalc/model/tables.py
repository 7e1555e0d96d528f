"""Tables against state of charge on one shared uniform grid.

Every SoC table (OCV, C-rate taper, BMS power) is resampled once onto a
uniform grid so that many tables stack into one array of shape ``(n, G)``
and a lookup is a multiply-add instead of a search. Pure numpy, SI floats.
"""

from __future__ import annotations

import numpy as np

__all__ = ["GRID_POINTS", "distinct", "lookup", "resample", "uniform_soc_grid", "window_mean"]

#: Points of the shared SoC grid (0 %, 0.5 %, ... 100 %).
GRID_POINTS = 201


def distinct(values) -> np.ndarray:
    """The distinct values of an array, sorted (``numpy.unique`` of a flat array).

    ``numpy.unique`` without index outputs imports ``numpy.ma`` on its first call
    (about 20 ms in a fresh process); this sorts and keeps each first occurrence.

    Parameters
    ----------
    values : array_like
        Any shape, any unit [same unit as the output]; it is flattened.

    Returns
    -------
    numpy.ndarray
        Sorted distinct values, 1-d [unit of ``values``].

    Examples
    --------
    >>> distinct([[3.0, 1.0], [3.0, 2.0]])
    array([1., 2., 3.])
    """
    v = np.sort(np.asarray(values).ravel())
    if v.size < 2:
        return v
    keep = np.empty(v.size, dtype=bool)
    keep[0] = True
    np.not_equal(v[1:], v[:-1], out=keep[1:])
    return v[keep]


def uniform_soc_grid(points: int = GRID_POINTS) -> np.ndarray:
    """The uniform SoC grid from 0 to 1.

    Parameters
    ----------
    points : int
        Number of grid points [-], at least 2.

    Returns
    -------
    numpy.ndarray
        State of charge [-], shape ``(points,)``.

    Examples
    --------
    >>> uniform_soc_grid(5)
    array([0.  , 0.25, 0.5 , 0.75, 1.  ])
    """
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

    Examples
    --------
    A straight OCV line from 3.0 V empty to 4.2 V full (by hand 0.3 V per quarter),
    and a C-rate taper held at 2 below 50 % then falling to 0.5 at 100 %:

    >>> resample([0.0, 1.0], [3.0, 4.2], points=5)
    array([3. , 3.3, 3.6, 3.9, 4.2])
    >>> resample([0.5, 1.0], [2.0, 0.5], points=5)
    array([2.  , 2.  , 2.  , 1.25, 0.5 ])
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
        Interpolated values in the table's unit, shape of the broadcast ``soc`` (and
        ``rows``).

    Examples
    --------
    Two OCV tables [V] on a 5-point grid. By hand, 5 % is a fifth of the first 25 %
    step: 3.0 + 0.2 * 0.3 = 3.06 V; the second table at 75 % is 3.2 + 0.75 * 0.2 = 3.35 V.

    >>> table = np.array([resample([0, 1], [3.0, 4.2], 5), resample([0, 1], [3.2, 3.4], 5)])
    >>> np.round(lookup(table[0], [0.05, 0.5, 1.2]), 3)  # beyond 100 % clipped
    array([3.06, 3.6 , 4.2 ])
    >>> np.round(lookup(table, [0.5, 0.5, 0.75], rows=[0, 1, 1]), 3)
    array([3.6 , 3.3 , 3.35])
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
    """Mean of a uniform-grid table over SoC 0 to 1 (trapezoid rule), per row.

    Parameters
    ----------
    table : array_like
        Shape ``(G,)`` or ``(n, G)``: values on the uniform SoC grid [any unit].

    Returns
    -------
    numpy.ndarray
        Shape ``()`` or ``(n,)``, in the table's unit.

    Examples
    --------
    The mean of a straight line is its mid value, exactly under the trapezoid rule:
    3.6 V for 3.0-4.2 V and 3.3 V for 3.2-3.4 V.

    >>> np.round(window_mean([resample([0, 1], [3.0, 4.2]), resample([0, 1], [3.2, 3.4])]), 6)
    array([3.6, 3.3])
    """
    table = np.asarray(table, float)
    return np.trapezoid(table, dx=1.0 / (table.shape[-1] - 1), axis=-1)
