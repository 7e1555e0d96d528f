"""The trend answer's document, CSV and rendering (nevcalc.report.trend)."""

from __future__ import annotations

import io
import json

import pytest

from nevcalc.report import render_trend, trend_csv_table, trend_document
from nevcalc.scenario.trend import trend


@pytest.fixture(scope="module")
def answer():
    return trend(2032, growth=0.25)


def test_document_is_strict_and_its_intervals_hold_their_values(answer):
    doc = json.loads(json.dumps(trend_document(answer), allow_nan=False))
    lo, hi = (q["value"] for q in doc["learning_rate_interval"])
    assert lo <= doc["learning_rate"]["value"] <= hi
    assert doc["learning_rate"]["unit"] == "%"
    # 25 % growth shown as a percent
    assert doc["growth"] == {"value": 25.0, "unit": "%"}
    lo, hi = (q["value"] for q in doc["annual_price_change_interval"])
    assert lo <= doc["annual_price_change"]["value"] <= hi


def test_pack_prices_by_year_with_bounds_and_growing_volume(answer):
    rows = trend_document(answer)["pack_price"]
    assert [r["year"] for r in rows] == [int(y) for y in answer.years]
    assert rows[-1]["year"] == 2032
    for r in rows:
        assert r["unit"] == "USD/kWh"
        assert r["low"] <= r["value"] <= r["high"]
    volumes = [r["cumulative_volume"]["value"] for r in rows]
    assert volumes == sorted(volumes)


def test_pack_price_is_the_answers_usd_per_joule_in_usd_per_kwh(answer):
    rows = trend_document(answer)["pack_price"]
    # [USD/J] x 3.6e6 J/kWh, to the cent
    for r, p in zip(rows, answer.price_by_volume, strict=True):
        assert r["value"] == pytest.approx(p * 3.6e6, abs=0.005)


def test_csv_rows_equal_the_document(answer):
    cols, cells = trend_csv_table(answer)
    rows = trend_document(answer)["pack_price"]
    assert [c.header for c in cols][:3] == ["year", "cumulative_volume", "price_by_volume"]
    assert len(cells) == len(rows)
    for cell, r in zip(cells, rows, strict=True):
        assert cell[0] == r["year"]
        # six significant figures in the CSV, cents in the document
        assert cell[2] == pytest.approx(r["value"], abs=0.005)
        assert cell[3] == pytest.approx(r["low"], abs=0.005)
        assert cell[4] == pytest.approx(r["high"], abs=0.005)


def test_rendering_shows_the_last_year(answer):
    from rich.console import Console

    out = io.StringIO()
    render_trend(answer, Console(width=100, file=out, color_system=None))
    text = out.getvalue()
    assert "2032" in text
    assert max(len(line) for line in text.splitlines()) <= 100


def test_history_is_the_market_prices_the_curve_is_fitted_on(answer):
    """BNEF's 2024 survey: 115 USD/kWh (finanznachrichten.de, 2024-12, in the shipped
    battery_market.toml), in 2024 dollars, the document's basis: shown as published."""
    history = trend_document(answer)["history"]
    assert len(history) == trend_document(answer)["points"]
    by_year = {h["year"]: h for h in history}
    assert by_year[2024]["value"] == pytest.approx(115.0)
    assert by_year[2024]["unit"] == "USD/kWh"
    volumes = [h["cumulative_volume"]["value"] for h in history]
    assert volumes == sorted(volumes) and history[0]["cumulative_volume"]["unit"] == "TWh"
    # the projection starts beyond the history's volume
    first = trend_document(answer)["pack_price"][0]["cumulative_volume"]["value"]
    assert first > volumes[-1]


def test_history_carries_the_curve_of_the_stated_learning_rate(answer):
    """The fitted prices fall by the document's learning rate per doubling of volume
    (Wright's law, price x (1 - rate) per doubling), to the rounding of the figures."""
    import math

    doc = trend_document(answer)
    h = doc["history"]
    lo, hi = h[0], h[-1]
    slope = math.log(hi["fitted"] / lo["fitted"]) / math.log(
        hi["cumulative_volume"]["value"] / lo["cumulative_volume"]["value"]
    )
    assert slope == pytest.approx(math.log2(1 - doc["learning_rate"]["value"] / 100), rel=0.01)
    assert all(x["fitted"] > 0 for x in h)


def test_source_of_shipped_data_names_no_folder_of_the_machine(answer):
    """The shipped market data is named from the package or project root (a page served
    to others shows no folder of the machine it runs on)."""
    import os

    src = trend_document(answer)["source"]
    assert src.endswith("battery_market.toml")
    assert not os.path.isabs(src), src
