"""The driving model: physics properties, the fast batch form, pack resizing."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nevcalc import catalog
from nevcalc.cycles import load_cycle
from nevcalc.model import driving
from nevcalc.scenario.road import (
    adhoc_road_vehicle,
    drive_range,
    load_road_vehicle,
    procedure_consumption,
    resize_pack,
)

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


def test_range_scales_with_usable_energy():
    v = load_road_vehicle("vw-id4-77")
    from dataclasses import replace

    r1 = drive_range(v, "wltp").range
    r2 = drive_range(replace(v, usable_energy=2 * v.usable_energy), "wltp").range
    assert r2 == pytest.approx(2 * r1, rel=1e-12)
    assert drive_range(v, "wltp", state_of_health=0.8).range == pytest.approx(0.8 * r1)


def test_epa_label_is_the_weighted_two_cycle_value_times_0_7():
    v = load_road_vehicle("vw-id4-77")
    udds = procedure_consumption(v, "udds", mass=v.curb_mass + 136)["consumption"]
    hwfet = procedure_consumption(v, "hwfet", mass=v.curb_mass + 136)["consumption"]
    r = drive_range(v, "epa")
    assert r.range == pytest.approx(v.usable_energy / (0.55 * udds + 0.45 * hwfet) * 0.7)
    assert "EPA" in r.title


@settings(max_examples=15, deadline=None)
@given(kwh=st.floats(40, 120), kg=st.floats(1300, 2600), cd=st.floats(0.2, 0.35))
def test_range_does_not_depend_on_input_units(kwh, kg, cd):
    a = drive_range(adhoc_road_vehicle(f"{kwh} kWh", f"{kg} kg", cd), "wltc").range
    b = drive_range(adhoc_road_vehicle(f"{kwh * 3.6} MJ", f"{kg / 1000} t", cd), "wltc").range
    assert a == pytest.approx(b, rel=1e-9)


@pytest.mark.parametrize("chem", ["solid-state", "lfp", "sodium-ion"])
def test_keep_range_then_range_gives_the_target_back(chem):
    v = load_road_vehicle("vw-id4-77")
    resized = resize_pack(v, catalog.load(chem, "chemistry"), "range", "wltp", "600 km")
    assert drive_range(resized, "wltp").range == pytest.approx(600e3, rel=0.002)


def test_keep_energy_and_keep_mass():
    v = load_road_vehicle("vw-id4-77")
    ss = catalog.load("solid-state", "chemistry")
    e = resize_pack(v, ss, "energy")
    assert e.usable_energy == pytest.approx(v.usable_energy)
    assert e.pack_mass < v.pack_mass  # denser cells: lighter pack
    assert drive_range(e).range > drive_range(v).range  # lighter car goes further
    m = resize_pack(v, ss, "mass")
    assert m.pack_mass == pytest.approx(v.pack_mass)
    assert m.usable_energy > v.usable_energy


@pytest.mark.parametrize("consumption", [-50.0, 0.0, float("nan")])
def test_range_refuses_a_consumption_that_is_not_positive(monkeypatch, consumption):
    from nevcalc.errors import InputError
    from nevcalc.scenario import road

    v = load_road_vehicle("vw-id4-77")
    real = road.procedure_consumption(v, "wltp")
    monkeypatch.setattr(road, "procedure_consumption",
                        lambda *a, **k: {**real, "consumption": consumption})  # fmt: skip
    with pytest.raises(InputError, match="positive consumption"):
        drive_range(v, "wltp")
