"""Lifecycle cost: parts add up, and money behaves as it should."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nevcalc.model.cost import discount_factors, lifecycle_cost, replacement_year

KWH = 3.6e6


def _cost(**over):
    p = dict(years=10, distance_per_year=15e6, discount_rate=0.05, vehicle_price=25_000.0,
             pack_energy=77.4 * KWH, pack_price=100 / KWH, consumption=0.15 * KWH / 1e3,
             energy_price=0.2 / KWH, charging_efficiency=0.9, replacement_year_=8,
             maintenance_per_distance=0.03 / 1e3, fast_charge_time_per_year=20 * 3600.0,
             value_of_time=20 / 3600, residual_fraction=0.3)  # fmt: skip
    p.update(over)
    return lifecycle_cost(**p)


def test_parts_sum_to_the_total():
    c = _cost()
    parts = c.purchase + c.energy + c.replacement + c.maintenance + c.time + c.residual
    assert float(c.total) == pytest.approx(float(parts), rel=1e-12)
    assert float(c.per_km) == pytest.approx(float(c.total) / 150_000)


def test_cost_per_distance_is_per_metre():
    c = _cost()
    assert float(c.per_m) == pytest.approx(float(c.total) / (10 * 15e6), rel=1e-12)  # [m^-1]
    assert float(c.per_km) == pytest.approx(1e3 * float(c.per_m), rel=1e-12)
    assert "per_km" not in c._fields  # a derived view, not a second stored figure


def test_hand_calculation_without_discounting():
    c = _cost(discount_rate=0.0, replacement_year_=0, fast_charge_time_per_year=0.0,
              residual_fraction=0.0, maintenance_per_distance=0.0)  # fmt: skip
    energy = 10 * 15_000 * 0.15 / 0.9 * 0.2  # kWh at the wall x price
    assert float(c.energy) == pytest.approx(energy)
    assert float(c.purchase) == pytest.approx(25_000 + 7_740)


@settings(max_examples=25, deadline=None)
@given(price=st.floats(0.05, 1.0), factor=st.floats(1.01, 3.0))
def test_cost_rises_with_the_energy_price(price, factor):
    assert _cost(energy_price=price * factor / KWH).total > _cost(energy_price=price / KWH).total


@settings(max_examples=25, deadline=None)
@given(r=st.floats(0.0, 0.1), dr=st.floats(0.005, 0.05))
def test_higher_discount_rate_lowers_later_costs(r, dr):
    low, high = _cost(discount_rate=r), _cost(discount_rate=r + dr)
    for part in ("energy", "replacement", "maintenance", "time"):
        assert getattr(high, part) < getattr(low, part)
    assert float(high.purchase) == float(low.purchase)  # paid now


def test_replacement_year_and_factors():
    q = np.array([[0.95, 0.9, 0.85, 0.79, 0.7], [0.99, 0.98, 0.97, 0.96, 0.95]])
    assert replacement_year(q, 0.8).tolist() == [4, 0]
    assert discount_factors(3, 0.1)[-1] == pytest.approx(1.1**-3)
    assert float(_cost(replacement_year_=0).replacement) == 0.0


def test_broadcasts_over_scenarios():
    prices = np.array([0.1, 0.2, 0.4]) / KWH
    c = _cost(energy_price=prices)
    assert c.total.shape == (3,)
    assert np.all(np.diff(c.total) > 0)
