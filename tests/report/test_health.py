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
