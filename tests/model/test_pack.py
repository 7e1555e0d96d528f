"""Pack build-up from cells (nevcalc.model.pack): hand-calculated values and the
closed-form pack sizing checked against the equation it solves."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from nevcalc.model.pack import (
    energy_for_range,
    pack_capacity,
    pack_mass_from_energy,
    pack_open_circuit_voltage,
    pack_resistance,
    series_cells_for_voltage,
)

KWH = 3.6e6  # J


def test_series_cells_by_hand():
    # 800 / 4.2 = 190.48 -> 190 cells (798 V full); 400 / 4.2 = 95.24 -> 95 (399 V)
    np.testing.assert_array_equal(series_cells_for_voltage([800.0, 400.0], 4.2), [190, 95])
    # 800 / 3.65 = 219.18 -> 219 LFP cells (799.35 V full)
    assert series_cells_for_voltage(800.0, 3.65) == 219
    # a class below one cell still has one cell
    assert series_cells_for_voltage(1.0, 4.2) == 1


@given(
    st.floats(10.0, 1500.0),  # voltage class [V]
    st.floats(2.0, 4.5),  # cell charge limit [V]
)
def test_series_cells_are_whole_and_within_half_a_cell_of_the_class(vclass, vcell):
    n = float(series_cells_for_voltage(vclass, vcell))
    assert n == int(n) and n >= 1
    if vclass >= vcell:
        assert abs(n * vcell - vclass) <= vcell / 2 + 1e-9


def test_pack_capacity_by_hand():
    # 80 kWh over 192 cells at a mean 3.7 V: 80e3 Wh / 710.4 V = 112.61 Ah = 405 405 A s
    q = pack_capacity(80 * KWH, 192, 3.7)
    assert q == pytest.approx(80e3 / (192 * 3.7) * 3600, rel=1e-12)
    assert q / 3600 == pytest.approx(112.6126, rel=1e-6)


def test_pack_open_circuit_voltage_by_hand():
    # 192 cells at 3.7 V = 710.4 V; at 4.2 V = 806.4 V
    np.testing.assert_allclose(pack_open_circuit_voltage([3.7, 4.2], 192), [710.4, 806.4])


def test_pack_resistance_by_hand_and_its_scaling():
    # 100 cells of 2 mohm at 5 Ah, pack of 200 Ah: 100 * 0.002 * 5 / 200 = 0.005 ohm
    r = pack_resistance(0.002, 5 * 3600, 200 * 3600, 100)
    assert r == pytest.approx(0.005, rel=1e-12)
    # twice the capacity (twice the cells in parallel) halves it; twice the series doubles it
    assert pack_resistance(0.002, 5 * 3600, 400 * 3600, 100) == pytest.approx(r / 2)
    assert pack_resistance(0.002, 5 * 3600, 200 * 3600, 200) == pytest.approx(2 * r)


def test_pack_mass_by_hand():
    # 80 kWh at 160 Wh/kg = 500 kg
    assert pack_mass_from_energy(80 * KWH, 160 * 3600) == pytest.approx(500.0, rel=1e-12)


def test_energy_for_range_by_hand():
    # R = 400 km, c0 = 300 J/m, c1 = 0.05 J/m/kg, m0 = 1600 kg, e_p = 160 Wh/kg, f = 0.9:
    # E = 4e5 * (300 + 0.05 * 1600) / (1 - 4e5 * 0.05 / (0.9 * 576 000))
    #   = 1.52e8 / (1 - 20 000 / 518 400) = 1.52e8 / 0.961420 = 1.58099e8 J (43.9 kWh)
    e = energy_for_range(400e3, 300.0, 0.05, 1600.0, 160 * 3600, 0.9)
    assert e == pytest.approx(1.58099e8, rel=1e-5)


@given(
    st.floats(50e3, 1000e3),  # target range [m]
    st.floats(100.0, 600.0),  # c0 [J/m]
    st.floats(0.0, 0.15),  # c1 [J/m/kg]
    st.floats(800.0, 3000.0),  # mass without the pack [kg]
    st.floats(80.0, 300.0),  # pack specific energy [Wh/kg]
    st.floats(0.8, 1.0),  # usable fraction
)
def test_energy_for_range_reaches_the_range_with_its_own_mass(r, c0, c1, m0, wh_per_kg, f):
    ep = wh_per_kg * 3600
    e = float(energy_for_range(r, c0, c1, m0, ep, f))
    if r * c1 >= f * ep:
        assert e == np.inf  # no pack is light enough
        return
    mass = m0 + e / (f * ep)  # the car with the pack that stores e
    assert e / (c0 + c1 * mass) == pytest.approx(r, rel=1e-9)


def test_energy_for_range_is_infinite_where_no_pack_is_light_enough():
    # R c1 = 2e7 m * 0.05 = 1e6 J/kg > f e_p = 518 400 J/kg: each kg of pack costs more
    # energy than it stores over the range
    assert energy_for_range(2e7, 300.0, 0.05, 1600.0, 160 * 3600, 0.9) == np.inf


def test_pack_functions_broadcast():
    n = series_cells_for_voltage(np.array([[400.0], [800.0]]), np.array([3.65, 4.2]))
    assert n.shape == (2, 2)
    q = pack_capacity(np.array([60, 80]) * KWH, 192, np.array([[3.6], [3.7]]))
    assert q.shape == (2, 2)
    assert q[1, 1] == pytest.approx(pack_capacity(80 * KWH, 192, 3.7))
