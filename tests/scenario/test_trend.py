"""The trend answer: the shipped market history, projections and the trend command."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from nevcalc.model.trends import (
    learning_rate,
)
from nevcalc.scenario.trend import load_market, trend


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


def test_trend_answer_prints_one_line_and_a_table():
    from tests.helpers import check_html, check_repr

    ans = trend(until=2030)
    rate = f"{ans.learning_rate * 100:.4g} %"
    check_repr(ans, "TrendAnswer", rate, "USD/kWh in 2030")
    check_html(ans, rate, "constant 2024 US dollars", "2030", "USD/kWh")


@pytest.mark.parametrize(
    ("old", "new", "needle"),
    [
        ("basis_year = 2024", 'basis_year = "abc"', "basis_year: 'abc' is not a year"),
        ("basis_year = 2024", "basis_year = nan", "basis_year: nan is not a year"),
        ("basis_year = 2024", "basis_year = [1]", "basis_year: [1] is not a year"),
        ("year = 2016\n", 'year = "x"\n', "pack_price[0].year: 'x' is not a year"),
        ("year = 2016\n", "year = 3000\n", "pack_price[0].year: 3000 is not a year"),
        ("dollar_year = 2025", 'dollar_year = "x"', "dollar_year: 'x' is not a year"),
        ('value = "365 USD/kWh"', 'value = "1e-300 USD/kWh"', "pack_price[0]: outside 1 to"),
        ("basis_year = 2024", "basis_year = 2024\ncpi_x = 1", None),
        ("[cpi]", "[[cpi]]", "cpi: give a table"),
    ],
)
def test_a_malformed_market_history_is_one_line_naming_the_key(tmp_path, old, new, needle):
    """Wrong types, years and magnitudes in a --data file: a SpecError naming the key and
    the fix, never a ValueError/TypeError from int() or an overflow in the fit."""
    from nevcalc.errors import SpecError
    from nevcalc.io import MARKET_FILE
    from nevcalc.scenario.trend import load_market

    text = Path(MARKET_FILE).read_text()
    assert old in text
    path = tmp_path / "m.toml"
    path.write_text(text.replace(old, new, 1))
    if needle is None:  # an extra key is not this check's business: valid or a SpecError
        try:
            load_market(path)
        except SpecError:
            pass
        return
    with pytest.raises(SpecError) as exc:
        load_market(path)
    assert needle in str(exc.value)
    assert "give" in str(exc.value) or "check" in str(exc.value)
