"""The driving model: physics properties and the fast batch form."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nevcalc.cycles import load_cycle
from nevcalc.model import driving

WLTC = driving.cycle_terms(load_cycle("wltc").time, load_cycle("wltc").speed)


def _consumption(**over):
    p = dict(mass=1800.0, cda=0.6, crr=0.008, air_density=1.2, rotating_mass=30.0,
             motor_efficiency=0.9, aux_power=300.0, battery_efficiency=0.98)  # fmt: skip
    p.update(over)
    return float(driving.cycle_energy(WLTC, **p)) / WLTC.distance


@settings(max_examples=30, deadline=None)
@given(x=st.floats(1.01, 1.5), key=st.sampled_from(["mass", "cda", "crr"]))
def test_consumption_rises_with_mass_drag_and_rolling(x, key):
    base = {"mass": 1800.0, "cda": 0.6, "crr": 0.008}
    assert _consumption(**{key: base[key] * x}) > _consumption()


def test_flat_road_energy_matches_hand_calculation():
    """Constant 20 m/s for 100 s, no losses: E = (0.5 rho CdA v^3 + m g Crr v) t."""
    t = np.arange(0.0, 101.0)
    v = np.full_like(t, 20.0)
    terms = driving.cycle_terms(t, v)
    e = driving.cycle_energy(terms, mass=1500.0, cda=0.5, crr=0.01, air_density=1.2,
                             motor_efficiency=1.0)  # fmt: skip
    expected = (0.5 * 1.2 * 0.5 * 20**3 + 1500 * driving.G * 0.01 * 20) * 100
    assert float(e) == pytest.approx(expected, rel=1e-12)


def test_acceleration_energy_is_kinetic_energy():
    t = np.arange(0.0, 11.0)
    v = np.linspace(0.0, 20.0, 11)
    e = driving.cycle_energy(driving.cycle_terms(t, v), mass=1000.0, cda=0.0, crr=0.0,
                             rotating_mass=50.0, motor_efficiency=1.0)  # fmt: skip
    assert float(e) == pytest.approx(0.5 * 1050.0 * 20.0**2, rel=1e-12)


def test_fast_batch_form_equals_step_by_step():
    rng = np.random.default_rng(3)
    n = 20_000  # above the grouping threshold: exercises the grouped path
    m, cda = rng.uniform(1100, 2900, n), rng.uniform(0.35, 1.0, n)
    crr, eta = rng.uniform(0.005, 0.013, n), rng.uniform(0.75, 0.95, n)
    aux = rng.uniform(0, 2000, n)
    fast = driving.consumption_constant_efficiency(
        WLTC, m, cda, crr, eta, air_density=1.2, rotating_mass=0.02 * m, aux_power=aux,
        battery_efficiency=0.97,
    )  # fmt: skip
    k = slice(0, 2000)
    energy = driving.cycle_energy(
        WLTC, mass=m[k], cda=cda[k], crr=crr[k], air_density=1.2, rotating_mass=0.02 * m[k],
        motor_efficiency=eta[k], aux_power=aux[k], battery_efficiency=0.97,
    )  # fmt: skip
    slow = energy / WLTC.distance
    assert np.max(np.abs(fast[k] / slow - 1)) < 1e-3
    assert np.max(np.abs(fast[k] / slow - 1)) < 1e-9  # in fact exact
