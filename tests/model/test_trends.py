"""Log-linear trend fits: exact recovery and honest intervals."""

from __future__ import annotations

import numpy as np
import pytest

from nevcalc.model.trends import fit_experience_curve, fit_time_trend, t_quantile_975


def test_time_trend_recovers_an_exact_decline():
    years = np.arange(2010, 2026)
    price = 1100 * 0.85 ** (years - 2010)  # -15 % a year
    fit = fit_time_trend(years, price, year0=2010)
    assert np.exp(fit.slope) - 1 == pytest.approx(-0.15, abs=1e-12)
    assert fit.predict(0) == pytest.approx(1100)
    assert fit.slope_low == pytest.approx(fit.slope) == pytest.approx(fit.slope_high)


def test_wright_learning_rate_from_an_exact_curve():
    volume = np.geomspace(1.0, 1000.0, 12)
    price = 500 * volume ** np.log2(1 - 0.18)  # 18 % per doubling
    fit = fit_experience_curve(volume, price)
    assert 1 - 2**fit.slope == pytest.approx(0.18, abs=1e-12)


def test_interval_covers_the_truth_about_95_percent_of_the_time():
    rng = np.random.default_rng(11)
    years = np.arange(2010, 2022)
    hits = 0
    for _ in range(400):
        price = 1000 * np.exp(-0.12 * (years - 2010) + rng.normal(0, 0.1, years.size))
        fit = fit_time_trend(years, price, year0=2010)
        hits += fit.slope_low <= -0.12 <= fit.slope_high
    assert 0.91 <= hits / 400 <= 0.99


def test_t_quantiles():
    assert t_quantile_975(1) == pytest.approx(12.706)
    assert t_quantile_975(10) == pytest.approx(2.228)
    assert t_quantile_975(100) == pytest.approx(1.96)
    with pytest.raises(ValueError):
        fit_time_trend([2020, 2021], [1.0, 2.0])


from nevcalc.model.trends import (  # noqa: E402
    geometric_interpolation,
    projected_cumulative_volume,
)


def test_geometric_interpolation_and_projected_volume_by_hand():
    y = geometric_interpolation([2014, 2015, 2016], [2014, 2016], [30.0, 120.0])
    np.testing.assert_allclose(y, [30, 60, 120])
    cum = projected_cumulative_volume(100.0, 10.0, 0.5, 3)
    np.testing.assert_allclose(cum, [115, 137.5, 171.25])
    both = projected_cumulative_volume([100.0, 0.0], [10.0, 1.0], [0.5, 1.0], 2)
    np.testing.assert_allclose(both, [[115, 137.5], [2, 6]])
