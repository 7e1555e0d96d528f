"""Cost trends: log-linear fits with confidence intervals, Wright's law and time trends.

Both laws are straight lines in logarithms, fitted by ordinary least squares:

* time trend: ``ln p = a + b (year - year0)``; annual change ``e^b - 1``;
* experience curve (Wright's law): ``ln p = a + b ln V`` with cumulative
  volume ``V``; learning rate (price drop per doubling) ``1 - 2^b``.

Pure numpy; the 95 % intervals use Student's t.
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
    """Student t quantile for a two-sided 95 % interval (1.96 beyond 30 dof)."""
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
        """Fitted ``y`` at ``x``; with ``slope``, the line of that slope through the centroid."""
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
    """
    return _fit(np.log(np.asarray(cumulative_volume, float)), price)


def learning_rate(slope):
    """Price drop per doubling of cumulative volume, ``1 - 2^slope`` [-]."""
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
    """
    return np.exp(np.interp(np.asarray(x, float), xp, np.log(np.asarray(fp, float))))


def cumulative_volume(annual, before=0.0):
    """Cumulative volume at the end of each period: ``before`` plus the running sum [unit of
    ``annual``]."""
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
    """
    k = np.arange(1, periods + 1)
    annual = (
        np.asarray(annual0, float)[..., None] * (1.0 + np.asarray(growth, float))[..., None] ** k
    )
    return np.asarray(cumulative0, float)[..., None] + np.cumsum(annual, axis=-1)
