"""Cost trends: log-linear fits with confidence intervals, Wright's law and time trends.

Both laws are straight lines in logarithms, fitted by ordinary least squares:

* time trend: ``ln p = a + b (year - year0)``; annual change ``e^b - 1``;
* experience curve (Wright's law): ``ln p = a + b ln V`` with cumulative
  volume ``V``; learning rate (price drop per doubling) ``1 - 2^b``.

Pure numpy; the 95 % intervals use Student's t. Prices are in one currency
per call and any per-unit basis (e.g. [money J^-1]); years are calendar
years, the one non-SI axis here, as price series are published by year.

References
----------
.. [1] T. P. Wright, "Factors affecting the cost of airplanes", J. Aeronautical
   Sciences 3 (1936) 122-128.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

__all__ = [
    "LogLinearFit",
    "cumulative_volume",
    "fit_experience_curve",
    "fit_time_trend",
    "geometric_interpolation",
    "learning_rate",
    "projected_cumulative_volume",
    "t_quantile_975",
]

# two-sided 95 % Student t quantiles for 1..30 degrees of freedom
_T975 = (
    12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
    2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
    2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
)  # fmt: skip


def t_quantile_975(dof: int) -> float:
    """Student t quantile for a two-sided 95 % interval.

    Parameters
    ----------
    dof : int
        Degrees of freedom [-].

    Returns
    -------
    float
        The 0.975 quantile [-]; the normal 1.96 beyond 30 degrees of freedom.

    Examples
    --------
    As in any table of Student's t (two-sided 5 %): 12.706 at 1, 2.228 at 10.

    >>> t_quantile_975(1), t_quantile_975(10), t_quantile_975(100)
    (12.706, 2.228, 1.96)
    """
    return _T975[dof - 1] if 1 <= dof <= 30 else 1.96


class LogLinearFit(NamedTuple):
    """``ln y = intercept + slope x`` with the slope's 95 % interval."""

    intercept: float
    slope: float
    slope_low: float
    slope_high: float
    n: int
    x_mean: float = 0.0  #: mean of the fitted ``x``, where the slope band pivots

    def predict(self, x, slope=None):
        """Fitted ``y`` at ``x``; with ``slope``, the line of that slope through the centroid.

        Parameters
        ----------
        x : array_like
            Where to evaluate, in the fit's ``x`` [years after ``year0``, or ln V].
        slope : float, optional
            Slope to use instead of the fitted one (e.g. ``slope_low``), pivoting on
            the centroid of the data [per unit of ``x``].

        Returns
        -------
        numpy.ndarray
            ``y`` in the unit of the fitted prices.

        Examples
        --------
        A price falling 10 % a year from 100 in 2020 (``x`` is years after 2020):

        >>> fit = fit_time_trend([2018, 2019, 2020], [100 / 0.81, 100 / 0.9, 100.0])
        >>> np.round(fit.predict([0.0, 1.0]), 3)
        array([100.,  90.])
        """
        x = np.asarray(x, float)
        if slope is None:
            return np.exp(self.intercept + self.slope * x)
        centre = self.intercept + self.slope * self.x_mean
        return np.exp(centre + slope * (x - self.x_mean))


def _fit(x, y) -> LogLinearFit:
    x = np.asarray(x, float)
    ly = np.log(np.asarray(y, float))
    n = x.size
    if n < 3:
        raise ValueError("a trend needs at least three points")
    xm = x.mean()
    sxx = np.sum((x - xm) ** 2)
    slope = np.sum((x - xm) * (ly - ly.mean())) / sxx
    intercept = ly.mean() - slope * xm
    resid = ly - (intercept + slope * x)
    se = np.sqrt(np.sum(resid**2) / (n - 2) / sxx)
    half = t_quantile_975(n - 2) * se
    return LogLinearFit(
        float(intercept), float(slope), float(slope - half), float(slope + half), n, float(xm)
    )


def fit_time_trend(year, price, year0: float = 2020.0) -> LogLinearFit:
    """Exponential time trend of a price; ``x = year - year0``.

    Parameters
    ----------
    year : array_like
        Calendar years.
    price : array_like
        Prices on one basis [money per unit].
    year0 : float
        Year at which the intercept applies.

    Returns
    -------
    LogLinearFit
        ``ln price = intercept + slope (year - year0)``; slope [per year], annual change
        ``exp(slope) - 1``, with the slope's 95 % interval.

    Examples
    --------
    ln(price / 100) = 0, -0.1, -0.1, -0.3 over 2020-2023. By hand: mean x 1.5,
    Sxx = 5, Sxy = -0.45, slope -0.09, intercept ln 100 + 0.01; residuals -0.01, -0.02,
    0.07, -0.04 (sum of squares 0.007), standard error sqrt(0.007 / 2 / 5) = 0.0265,
    times t(2) = 4.303: the interval is -0.09 +- 0.114.

    >>> fit = fit_time_trend([2020, 2021, 2022, 2023], 100 * np.exp([0, -0.1, -0.1, -0.3]))
    >>> round(fit.slope, 4), round(fit.slope_low, 4), round(fit.slope_high, 4)
    (-0.09, -0.2038, 0.0238)
    >>> round(fit.intercept - float(np.log(100)), 4)
    0.01
    """
    return _fit(np.asarray(year, float) - year0, price)


def fit_experience_curve(cumulative_volume, price) -> LogLinearFit:
    """Wright's law: ``ln p`` against ``ln V``; learning rate ``1 - 2^slope``.

    Parameters
    ----------
    cumulative_volume : array_like
        Cumulative production [any unit, e.g. J].
    price : array_like
        [money per unit].

    Returns
    -------
    LogLinearFit
        ``ln price = intercept + slope ln V``; :func:`learning_rate` of the slope is the
        drop per doubling.

    References
    ----------
    .. [1] T. P. Wright, J. Aeronautical Sciences 3 (1936) 122-128.

    Examples
    --------
    A price that falls 20 % with every doubling of volume (1000, 800, 640, 512):
    slope log2(0.8) = -0.3219 by hand, learning rate 0.2.

    >>> fit = fit_experience_curve([1.0, 2.0, 4.0, 8.0], [1000.0, 800.0, 640.0, 512.0])
    >>> round(fit.slope, 4), round(float(learning_rate(fit.slope)), 4)
    (-0.3219, 0.2)
    """
    return _fit(np.log(np.asarray(cumulative_volume, float)), price)


def learning_rate(slope):
    """Price drop per doubling of cumulative volume, ``1 - 2^slope``.

    Parameters
    ----------
    slope : array_like
        Slope of ``ln price`` against ``ln V`` [-].

    Returns
    -------
    numpy.ndarray
        [-]; positive when prices fall.

    Examples
    --------
    By hand: 1 - 2^-0.3219 = 0.2 and 1 - 2^-0.152 = 0.1.

    >>> np.round(learning_rate([-0.3219, -0.152]), 3)
    array([0.2, 0.1])
    """
    return 1.0 - np.power(2.0, slope)


def geometric_interpolation(x, xp, fp):
    """Interpolate ``fp`` between anchors at constant growth (linear in ``ln fp``).

    Parameters
    ----------
    x : array_like
        Where to evaluate, e.g. years.
    xp : array_like
        Increasing anchor positions.
    fp : array_like
        Positive anchor values [any unit]; held constant beyond the ends.

    Returns
    -------
    numpy.ndarray
        Values at ``x``, in the unit of ``fp``.

    Examples
    --------
    Half-way between 100 and 81 at constant growth is the geometric mean 90 (by hand
    sqrt(100 * 81)); beyond the last anchor the value is held.

    >>> np.round(geometric_interpolation([2021, 2030], [2020, 2022], [100.0, 81.0]), 6)
    array([90., 81.])
    """
    return np.exp(np.interp(np.asarray(x, float), xp, np.log(np.asarray(fp, float))))


def cumulative_volume(annual, before=0.0):
    """Cumulative volume at the end of each period: ``before`` plus the running sum.

    Parameters
    ----------
    annual : array_like
        Volume in each period, last axis [any unit, e.g. J].
    before : float or array_like
        Cumulative volume before the first period [same unit].

    Returns
    -------
    numpy.ndarray
        [unit of ``annual``], the shape of ``annual``.

    Examples
    --------
    >>> cumulative_volume([1.0, 2.0, 3.0], before=10.0)  # 10 + 1, + 2, + 3
    array([11., 13., 16.])
    """
    return before + np.cumsum(np.asarray(annual, float), axis=-1)


def projected_cumulative_volume(cumulative0, annual0, growth, periods: int):
    """Cumulative volume over ``periods`` more periods of annual volume growing at ``growth``.

    Parameters
    ----------
    cumulative0 : float or array_like
        Cumulative volume at the start [any unit].
    annual0 : float or array_like
        Volume in the last period before the start [same unit].
    growth : float or array_like
        Growth of the annual volume per period [-], e.g. 0.37.
    periods : int
        Number of periods ahead; the last axis of the result.

    Returns
    -------
    numpy.ndarray
        Cumulative volume at the end of each period ahead [unit of ``cumulative0``],
        shape ``broadcast(cumulative0, annual0, growth) + (periods,)``.

    Examples
    --------
    By hand at 50 % growth from 10 a year: 15, 22.5, 33.75 more, so 115, 137.5,
    171.25; with no growth 110, 120, 130.

    >>> projected_cumulative_volume(100.0, 10.0, [0.5, 0.0], 3)
    array([[115.  , 137.5 , 171.25],
           [110.  , 120.  , 130.  ]])
    """
    k = np.arange(1, periods + 1)
    annual = (
        np.asarray(annual0, float)[..., None] * (1.0 + np.asarray(growth, float))[..., None] ** k
    )
    return np.asarray(cumulative0, float)[..., None] + np.cumsum(annual, axis=-1)
