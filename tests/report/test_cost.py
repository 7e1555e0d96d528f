"""The cost answer's document and rendering (nevcalc.report.cost): money in the currency
asked for, parts that add up to the total, the table shows the document's figures."""

from __future__ import annotations

import io
import json

import pytest

from nevcalc.report import cost_document, render_cost
from nevcalc.scenario.cost import lifecycle

PARTS = ("purchase", "energy", "replacement", "maintenance", "time", "residual")


@pytest.fixture(scope="module")
def answer():
    return lifecycle("kia-ev6-77", years=8, usage="private-china")


def test_document_keys_and_units(answer):
    doc = json.loads(json.dumps(cost_document(answer, "EUR", 1.0), allow_nan=False))
    assert set(doc["parts"]) == set(PARTS)
    assert all(q["unit"] == "EUR" for q in doc["parts"].values())
    assert doc["total"]["unit"] == "EUR" and doc["per_km"]["unit"] == "EUR/km"
    assert doc["years"] == 8
    assert doc["distance_per_year"]["unit"] == "km/year"


def test_parts_add_up_to_the_total(answer):
    doc = cost_document(answer, "USD", 1.0)
    parts = sum(q["value"] for q in doc["parts"].values())
    # each figure is rounded to the cent: six parts and the total differ by at most 3.5 cents
    assert parts == pytest.approx(doc["total"]["value"], abs=0.035)


def test_per_km_is_the_total_over_the_distance(answer):
    doc = cost_document(answer, "USD", 1.0)
    km = doc["distance_per_year"]["value"] * doc["years"]
    # total / (years x km a year), both figures as the document states them (4 and 2 digits)
    assert doc["per_km"]["value"] == pytest.approx(doc["total"]["value"] / km, rel=1e-3, abs=0.006)


def test_a_currency_worth_two_dollars_halves_every_figure(answer):
    usd = cost_document(answer, "USD", 1.0)
    two = cost_document(answer, "XTD", 2.0)  # 1 XTD = 2 USD
    for k in PARTS:
        assert two["parts"][k]["value"] == pytest.approx(usd["parts"][k]["value"] / 2, abs=0.01)
    assert two["total"]["value"] == pytest.approx(usd["total"]["value"] / 2, abs=0.01)


def test_rendering_shows_every_part_and_the_total(answer):
    from rich.console import Console

    out = io.StringIO()
    render_cost(answer, "USD", 1.0, Console(width=100, file=out, color_system=None))
    text = out.getvalue()
    for k in PARTS:
        assert k in text
    assert f"{float(answer.parts.total):,.0f}" in text
    assert f"{answer.years} years" in text
