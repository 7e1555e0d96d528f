"""The health answer's document and rendering (nevcalc.report.health)."""

from __future__ import annotations

import io
import json

import pytest

from nevcalc import catalog
from nevcalc.report import health_document, render_health
from nevcalc.scenario.health import health


@pytest.fixture(scope="module", params=["nmc622", "lfp"])
def answer(request):
    return health(catalog.load(request.param, "chemistry"), (0.2, 0.9), years=10)


def test_document_carries_one_capacity_per_year_in_percent(answer):
    doc = json.loads(json.dumps(health_document(answer), allow_nan=False))
    assert [c["year"] for c in doc["capacity"]] == list(answer.years)
    for c, q in zip(doc["capacity"], answer.capacity, strict=True):
        assert c["unit"] == "%"
        assert c["value"] == pytest.approx(100 * q, rel=1e-4)  # five significant figures
    # the window and temperature in the units they state: 20-90 %, 298.15 K = 25 degC
    assert [q["value"] for q in doc["soc_window"]] == [20.0, 90.0]
    assert doc["temperature"] == {"value": 25.0, "unit": "degC"}


def test_years_to_80_is_null_with_a_reason_or_a_number_of_years(answer):
    y80 = health_document(answer)["years_to_80"]
    assert y80["unit"] == "year"
    if answer.years_to_80 is None:
        assert y80["value"] is None and y80["reason"]
    else:
        assert y80["value"] == pytest.approx(answer.years_to_80, abs=0.005)


def test_a_capacity_above_80_percent_after_40_years_is_null_with_the_horizon():
    # over the full 40-year horizon: the document's null agrees with the capacities
    ans = health(catalog.load("lfp", "chemistry"), (0.4, 0.6), years=40)
    y80 = health_document(ans)["years_to_80"]
    if min(ans.capacity) > 0.8:
        assert y80["value"] is None and "40-year" in y80["reason"]
    else:
        assert y80["value"] is not None and y80["value"] <= 40


def test_rendering_has_a_bar_per_year_that_never_grows(answer):
    from rich.console import Console

    out = io.StringIO()
    render_health(answer, Console(width=100, file=out, color_system=None), width=40)
    lines = [ln for ln in out.getvalue().splitlines() if ln.startswith("year")]
    assert len(lines) == len(answer.years)
    bars = [ln.count("█") for ln in lines]
    assert all(0 <= b <= 40 for b in bars)
    assert bars == sorted(bars, reverse=True)  # capacity falls, so do the bars
    for ln, q in zip(lines, answer.capacity, strict=True):
        assert ln.endswith(f"{q:6.1%}")


def _rendered(ans) -> str:
    from rich.console import Console

    out = io.StringIO()
    render_health(ans, console=Console(width=200, file=out, color_system=None))
    return out.getvalue()


@pytest.fixture(scope="module")
def by_km():
    """15,000 km a year of a 70 kWh pack at 0.17 kWh/km: 0.0998 full cycles a day, a
    30-80 % sweep every 5.01 days."""
    return health(catalog.load("nmc811", "chemistry"), (0.3, 0.8), km_per_year=15e6,
                  at_distance=2e8)  # fmt: skip


def test_distances_are_shown_to_three_significant_figures(by_km):
    text = _rendered(by_km)
    line = next(s for s in text.splitlines() if s.startswith("80 % capacity after"))
    km = line.rsplit(", ", 1)[1]
    digits = km.removesuffix(" km").replace(",", "")
    assert digits.rstrip("0") and len(digits.rstrip("0")) <= 3, line
    assert float(digits) == pytest.approx(by_km.km_to_80 / 1e3, rel=5e-3)


def test_a_sparse_duty_is_not_called_daily(by_km):
    text = _rendered(by_km)
    head = text.splitlines()[0]
    assert "daily" not in head and "every 5 days" in head
    duty = next(a for a in by_km.assumptions if a.startswith("duty:"))
    assert "every 5 days" in duty


def test_several_sweeps_a_day_are_named(answer):
    two = health(catalog.load("lfp", "chemistry"), (0.15, 0.9), efc_per_day=1.5)
    assert "2 times a day" in _rendered(two).splitlines()[0]
    assert "daily" in _rendered(answer).splitlines()[0]  # 20-90 %, 0.7 cycles: one a day


def test_distance_a_year_is_a_rate_in_json(by_km):
    doc = json.loads(json.dumps(health_document(by_km), allow_nan=False))
    assert doc["distance_per_year"] == {"value": 15000.0, "unit": "km/year"}
    assert doc["efc_per_day"]["unit"] == "efc/day"  # the other rates: per unit of time
