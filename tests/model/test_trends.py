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


# --- the shipped market history ------------------------------------------------------

from nevcalc.model.trends import (  # noqa: E402
    geometric_interpolation,
    learning_rate,
    projected_cumulative_volume,
)
from nevcalc.scenario.trend import load_market, trend  # noqa: E402


def test_learning_rate_holds_the_published_18_percent_in_its_interval():
    """BNEF's 2020 survey puts the pack learning rate at 18 % per doubling (2010-2020);
    Ziegler & Trancik (2021) find 20 % for cells (battery_prices.csv)."""
    ans = trend()
    lo, hi = ans.learning_rate_interval
    assert lo <= 0.18 <= hi
    assert lo <= 0.20 <= hi
    assert 0.10 < ans.learning_rate < 0.30
    assert hi - lo < 0.15  # an interval that says something


def test_dollar_basis_agrees_with_bnef_restatements():
    """BNEF restated 2020's 137 USD/kWh (2020 dollars) as 140 in 2021 dollars and 2022's 151
    as 161 in 2023 dollars (battery_prices.csv); the CPI deflation must agree within 3 %."""
    m = load_market()
    cpi = {2020: 258.811, 2021: 270.970, 2022: 292.655, 2023: 304.702}
    assert 137 * cpi[2021] / cpi[2020] == pytest.approx(140, rel=0.03)
    assert 151 * cpi[2023] / cpi[2022] == pytest.approx(161, rel=0.03)
    # and the loader applied it: 2024 dollars, so 2025's 108 (2025 USD) comes out lower
    p2025 = m.price[m.price_year == 2025][0] * 3.6e6
    assert 100 < p2025 < 108


def test_projection_falls_with_volume_and_faster_with_faster_growth():
    slow, fast = trend(2035, growth=0.10), trend(2035, growth=0.50)
    assert np.all(np.diff(slow.price_by_volume) < 0)
    assert fast.price_by_volume[-1] < slow.price_by_volume[-1]
    assert np.all(fast.price_by_volume_low <= fast.price_by_volume)
    assert np.all(fast.price_by_volume <= fast.price_by_volume_high)
    # the time trend does not depend on the growth scenario
    np.testing.assert_allclose(slow.price_by_year, fast.price_by_year)


def test_one_doubling_costs_exactly_the_learning_rate():
    ans = trend(2040, growth=0.3)
    v, p = ans.cumulative, ans.price_by_volume
    k = np.searchsorted(v, 2 * v[0])
    ratio = np.exp(np.log(p[k] / p[0]) * np.log(2) / np.log(v[k] / v[0]))
    assert 1 - ratio == pytest.approx(ans.learning_rate, rel=1e-9)
    assert learning_rate(-1.0) == pytest.approx(0.5)


def test_geometric_interpolation_and_projected_volume_by_hand():
    y = geometric_interpolation([2014, 2015, 2016], [2014, 2016], [30.0, 120.0])
    np.testing.assert_allclose(y, [30, 60, 120])
    cum = projected_cumulative_volume(100.0, 10.0, 0.5, 3)
    np.testing.assert_allclose(cum, [115, 137.5, 171.25])
    both = projected_cumulative_volume([100.0, 0.0], [10.0, 1.0], [0.5, 1.0], 2)
    np.testing.assert_allclose(both, [[115, 137.5], [2, 6]])


def test_cli_trend_json(run_cli):
    import json

    code, out, err = run_cli("trend", "--until", "2030", "--json")
    assert code == 0, err
    doc = json.loads(out)
    lr = doc["learning_rate"]
    assert lr["unit"] == "%" and 0 < lr["value"] < 100
    lo, hi = (q["value"] for q in doc["learning_rate_interval"])
    assert lo < lr["value"] < hi
    assert [p["year"] for p in doc["pack_price"]] == [2026, 2027, 2028, 2029, 2030]
    assert all(p["unit"] == "USD/kWh" for p in doc["pack_price"])


@pytest.mark.parametrize(
    ("args", "code", "needle"),
    [
        (("--growth", "5 kW"), 2, "percentage"),
        (("--until", "2020"), 2, "after 2025"),
        (("--data", "missing.toml"), 1, "file not found"),
    ],
)
def test_cli_trend_bad_input(run_cli, args, code, needle):
    got, _out, err = run_cli("trend", *args)
    assert got == code
    assert needle in err and "Traceback" not in err


def test_market_figure_without_source_is_refused(run_cli, tmp_path):
    from nevcalc.scenario.trend import MARKET_FILE

    text = MARKET_FILE.read_text().replace(
        'source = "https://data.bls.gov/timeseries/CUUR0000SA0", kind = "official" }',
        'kind = "official" }',
        1,
    )
    bad = tmp_path / "market.toml"
    bad.write_text(text)
    code, _out, err = run_cli("trend", "--data", str(bad))
    assert code == 1
    assert "cpi.2016" in err and "source" in err


def test_market_figure_of_the_wrong_dimension_is_refused(run_cli, tmp_path):
    from nevcalc.scenario.trend import MARKET_FILE

    bad = tmp_path / "market.toml"
    bad.write_text(MARKET_FILE.read_text().replace('value = "30 GWh"', 'value = "30 kW"', 1))
    code, _out, err = run_cli("trend", "--data", str(bad))
    assert code == 1
    assert "annual_demand[0]" in err and "power" in err and "Traceback" not in err
