"""How sure an answer is: intervals from nevcalc's own errors on published cases.

An answer built on estimated figures carries an interval whose width comes from
how far nevcalc's answers fell from published figures on a *calibration* set of
cases, kept apart from the cases the validation tests hold the interval to
(split-conformal prediction). Errors are taken as log ratios
``r = ln(published / model)``, so a band is a pair of factors on the answer.

References
----------
.. [1] V. Vovk, A. Gammerman and G. Shafer, *Algorithmic Learning in a Random
   World*, Springer, 2005, ch. 2.
.. [2] J. Lei, M. G'Sell, A. Rinaldo, R. J. Tibshirani and L. Wasserman,
   "Distribution-free predictive inference for regression", *Journal of the
   American Statistical Association* 113 (2018) 1094-1111, section 2.2.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

__all__ = ["Interval", "conformal_factors", "interval_of", "log_errors"]

#: The level intervals are stated at when nothing else is asked for [-].
DEFAULT_LEVEL = 0.8


@dataclass(frozen=True)
class Interval:
    """A two-sided interval around an answer, in the answer's SI unit."""

    low: float  #: lower end [SI unit of the answer]
    high: float  #: upper end [SI unit of the answer]
    level: float  #: stated coverage [-], e.g. 0.8
    basis: str = ""  #: one line: what the band was calibrated on

    def as_dict(self) -> dict:
        """``{low, high, level}`` for JSON (the caller adds units)."""
        return {"low": self.low, "high": self.high, "level": self.level}


def log_errors(published, model):
    """Log-ratio errors ``ln(published / model)`` [-] of positive answers.

    Examples
    --------
    >>> log_errors([110.0, 90.0], [100.0, 100.0]).round(4)
    array([ 0.0953, -0.1054])
    """
    published = np.asarray(published, dtype=float)
    model = np.asarray(model, dtype=float)
    return np.log(published / model)


def conformal_factors(errors, level: float = DEFAULT_LEVEL) -> tuple[float, float]:
    """Split-conformal lower and upper factors from calibration log errors.

    Each tail gets ``(1 - level) / 2``; the finite-sample quantile takes the
    ``ceil((n + 1) q) / n`` order statistic [2]_, so with ``n`` exchangeable
    calibration cases the interval covers a new case with probability at least
    ``level``.

    Parameters
    ----------
    errors : array_like
        ``ln(published / model)`` on the calibration cases [-].
    level : float
        Stated coverage, in (0, 1) [-].

    Returns
    -------
    low, high : float
        Factors [-] to multiply an answer by; ``inf``/``0`` when there are too
        few cases for the level.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> lo, hi = conformal_factors(rng.normal(0.0, 0.1, 400), 0.8)
    >>> round(lo, 2), round(hi, 2)
    (0.88, 1.14)
    """
    e = np.sort(np.asarray(errors, dtype=float))
    e = e[np.isfinite(e)]
    if not 0.0 < level < 1.0:
        raise ValueError(f"level must be between 0 and 1, not {level}")
    n = e.size
    tail = (1.0 - level) / 2.0
    k_hi = math.ceil((n + 1) * (1.0 - tail))
    k_lo = math.floor((n + 1) * tail)
    if n == 0 or k_hi > n or k_lo < 1:
        return 0.0, math.inf
    return float(math.exp(e[k_lo - 1])), float(math.exp(e[k_hi - 1]))


def interval_of(value, factors: tuple[float, float], level: float, basis: str = "") -> Interval:
    """The interval ``[value * low, value * high]`` of an answer.

    Examples
    --------
    >>> interval_of(1200.0, (0.9, 1.2), 0.8).as_dict()
    {'low': 1080.0, 'high': 1440.0, 'level': 0.8}
    """
    low, high = factors
    return Interval(float(value) * low, float(value) * high, level, basis)
