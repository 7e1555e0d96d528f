"""EPA label equations (nevcalc.model.label) and the 5-cycle label of a vehicle."""

from __future__ import annotations

import numpy as np
import pytest

from nevcalc.model import label
from nevcalc.scenario import road


def test_weights_of_the_five_cycle_city_formula_sum_to_one():
    # every test at the same consumption and no start term: only the 0.905 remains
    for c in (300.0, 500.0):
        assert label.five_cycle_city(c, c, c, c, c, c) == pytest.approx(c / 0.905)
        assert label.five_cycle_highway(c, c, c, c, c) == pytest.approx(1.007 * c / 0.905)


def test_each_harsher_test_raises_the_label():
    base = dict(bag2_75=400.0, bag3_75=420.0, us06_city=600.0, bag2_20=700.0, bag3_20=750.0,
                sc03=500.0)  # fmt: skip
    ref = label.five_cycle_city(**base)
    for key in ("us06_city", "bag2_20", "bag3_20", "sc03"):
        assert label.five_cycle_city(**{**base, key: base[key] * 1.1}) > ref, key


def test_functions_broadcast():
    c = label.five_cycle_city(np.array([400.0, 500.0]), 420.0, 600.0, 700.0, 750.0, 500.0)
    assert c.shape == (2,) and c[1] > c[0]


def test_short_cut_and_factor_are_inverse():
    two = label.two_cycle(420.0, 380.0)
    assert label.adjustment_factor(two, label.short_cut(two)) == pytest.approx(0.7)


def test_derived_five_cycle_gives_an_efficient_bev_a_factor_below_the_short_cut():
    for year in (2012, 2024):
        c, h = label.derived_five_cycle(450.0, 500.0, year, cap=False)
        two = label.two_cycle(450.0, 500.0)
        assert label.adjustment_factor(two, label.two_cycle(c, h)) < 0.7
        # so the 30 % cap binds and the derived label is the short cut
        c, h = label.derived_five_cycle(450.0, 500.0, year)
        assert label.adjustment_factor(two, label.two_cycle(c, h)) == pytest.approx(0.7)


@pytest.mark.parametrize("name", ["tesla-model-3-rwd-2024", "chevrolet-bolt-66"])
def test_vehicle_five_cycle_factor_falls_with_the_climate_loads(name):
    v = road.load_road_vehicle(name)
    mild = road.five_cycle(v, climate={"heater_power": 0.0, "ac_power": 0.0})
    harsh = road.five_cycle(v, climate={"heater_power": 5000.0, "ac_power": 2000.0})
    assert 0.5 < harsh["factor"] < mild["factor"] < 1.0
    # the label consumption is the two-cycle one over the factor
    assert mild["combined"] * mild["factor"] == pytest.approx(mild["two_cycle"])
    # US06 is harsher than the FTP's bags on any car
    t = mild["tests"]
    assert t["us06_city"] > t["bag2_75"] and t["us06_highway"] > t["hfet"]


def test_five_cycle_procedure_gives_a_range():
    v = road.load_road_vehicle("kia-ev6-77")
    five = road.drive_range(v, "epa-5cycle")
    f = road.five_cycle(v)
    assert five.range == pytest.approx(v.usable_energy / f["two_cycle"] * f["factor"])
    assert "5-cycle" in five.title
