"""Lumped pack temperature and its heat sources (nevcalc.model.thermal): properties of the
balance C dT/dt = Q + UA (T_amb - T), the integrator against the closed form, broadcasting,
and the heat-pump COP relation."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nevcalc.model.thermal import (
    FARADAY,
    GAS_CONSTANT,
    arrhenius_factor,
    charge_transfer_heat,
    equilibrium_temperature,
    exchange_current,
    heat_exchange,
    heat_pump_cop,
    heater_power,
    joule_heat,
    lumped_temperature,
    lumped_temperature_step,
    reversible_heat,
    thermal_management,
)

C0 = 273.15
temps = st.floats(230.0, 340.0)
heats = st.floats(0.0, 2e4)
capacities = st.floats(10.0, 1e6)
uas = st.floats(0.0, 500.0)
steps = st.floats(0.0, 3600.0)


def march(t0, heat, ambient, c, ua, dt, n):
    t = np.asarray(t0, float)
    for _ in range(n):
        t = lumped_temperature_step(t, heat, ambient, c, ua, dt)
    return t


# --- the balance ----------------------------------------------------------------------


@given(temps, temps, capacities, uas, steps)
def test_no_heat_at_ambient_no_change(t, _unused, c, ua, dt):
    assert lumped_temperature_step(t, 0.0, t, c, ua, dt) == pytest.approx(t, abs=1e-9)
    assert lumped_temperature(t, 0.0, t, c, ua, dt) == pytest.approx(t, abs=1e-9)


@given(temps, heats, capacities, st.floats(0.01, 500.0), steps)
def test_equilibrium_at_ambient_plus_heat_over_ua_is_kept(amb, q, c, ua, dt):
    t_eq = amb + q / ua
    assert equilibrium_temperature(amb, q, ua) == pytest.approx(t_eq)
    assert lumped_temperature_step(t_eq, q, amb, c, ua, dt) == pytest.approx(t_eq, rel=1e-12)


def test_long_march_converges_to_equilibrium_from_either_side():
    amb, q, c, ua = 263.15, 800.0, 2e5, 40.0  # tau = 5000 s, T_eq = amb + 20 K
    t = march([250.0, 300.0], q, amb, c, ua, 60.0, 2000)  # 120 000 s = 24 tau
    np.testing.assert_allclose(t, amb + q / ua, atol=1e-6)


@given(temps, heats, heats, temps, capacities, uas, st.floats(1.0, 3600.0))
def test_more_heat_is_never_cooler(t0, q1, q2, amb, c, ua, dt):
    lo, hi = sorted((q1, q2))
    assert lumped_temperature_step(t0, hi, amb, c, ua, dt) >= lumped_temperature_step(
        t0, lo, amb, c, ua, dt
    )
    assert lumped_temperature(t0, hi, amb, c, ua, dt) >= lumped_temperature(t0, lo, amb, c, ua, dt)


@given(temps, temps, capacities, st.floats(0.01, 500.0), st.floats(1.0, 1e5))
def test_exchange_alone_never_overshoots_ambient(t0, amb, c, ua, dt):
    t1 = lumped_temperature_step(t0, 0.0, amb, c, ua, dt)
    assert min(t0, amb) - 1e-9 <= t1 <= max(t0, amb) + 1e-9


def test_closed_form_by_hand():
    # C = 42.775 J/K, UA = 0.02655 W/K: tau = 1611.1 s; 0.77 W: T_eq - T_amb = 29.002 K
    tau = 42.775 / 0.02655
    rise = 0.77 / 0.02655
    t = lumped_temperature(298.15, 0.77, 298.15, 42.775, 0.02655, [0.0, tau, 10 * tau])
    np.testing.assert_allclose(t - 298.15, rise * (1 - np.exp([0.0, -1.0, -10.0])), rtol=1e-12)
    # adiabatic: Q t / C
    assert lumped_temperature(300.0, 100.0, 250.0, 1e3, 0.0, 50.0) == pytest.approx(305.0)


@settings(max_examples=50)
@given(temps, heats, temps, capacities, uas, st.floats(1.0, 600.0), st.integers(1, 40))
def test_steps_with_constant_sources_are_exact(t0, q, amb, c, ua, dt, n):
    """The exponential integrator reproduces the closed form for any step size."""
    stepped = march(t0, q, amb, c, ua, dt, n)
    exact = lumped_temperature(t0, q, amb, c, ua, n * dt)
    assert stepped == pytest.approx(exact, rel=1e-9, abs=1e-7)


def test_temperature_dependent_source_converges_with_step():
    """An Arrhenius source treated explicitly: halving the step halves the error (first
    order), and every step within the stated bound b dt <= 1/2 stays monotone."""
    c, ua, amb, current, r_ref, ea = 42.775, 0.2655, 263.15, 10.0, 0.0307, 35000.0

    def run(dt, t_end=1800.0):
        t = amb
        path = [t]
        for _ in range(round(t_end / dt)):
            q = joule_heat(current, r_ref * arrhenius_factor(t, ea))
            t = lumped_temperature_step(t, q, amb, c, ua, dt)
            path.append(float(t))
        return np.array(path)

    fine = run(0.25)[-1]
    errors = [abs(run(dt)[-1] - fine) for dt in (8.0, 4.0, 2.0)]
    assert errors[0] > errors[1] > errors[2]
    assert errors[1] / errors[2] == pytest.approx(2.0, rel=0.25)
    # b = -dQ/dT / C at the start is the largest; b dt <= 1/2 keeps the path monotone
    q0 = joule_heat(current, r_ref * arrhenius_factor(amb, ea))
    b = q0 * ea / (GAS_CONSTANT * amb**2 * c)
    path = run(0.5 / b / 2, t_end=3600.0)
    assert np.all(np.diff(path) >= -1e-12)


def test_broadcasting_many_packs_at_once():
    t0 = np.full((3, 1, 1), 273.15)
    q = np.array([0.0, 500.0, 2000.0]).reshape(1, 3, 1)
    amb = np.array([253.15, 273.15, 298.15, 313.15]).reshape(1, 1, 4)
    out = lumped_temperature_step(t0, q, amb, 2e5, 30.0, 10.0)
    assert out.shape == (3, 3, 4)
    # each element equals the scalar call
    assert out[2, 1, 3] == pytest.approx(
        lumped_temperature_step(273.15, 500.0, 313.15, 2e5, 30.0, 10.0)
    )
    assert lumped_temperature(t0, q, amb, 2e5, 30.0, [[[60.0]]]).shape == (3, 3, 4)
    assert thermal_management(amb.ravel(), 288.15, 308.15, [[1.0], [2.0]], 3.0).shape == (2, 4)
    assert arrhenius_factor(amb, np.array([[0.0], [35000.0]])).shape == (1, 2, 4)


# --- heat sources ---------------------------------------------------------------------


def test_arrhenius_factor_is_one_at_reference_and_falls_with_temperature():
    t = np.linspace(240.0, 330.0, 50)
    f = arrhenius_factor(t, 35000.0)
    assert np.all(np.diff(f) < 0)
    assert arrhenius_factor(298.15, 35000.0) == pytest.approx(1.0)
    assert arrhenius_factor(250.0, 35000.0, reference=250.0) == pytest.approx(1.0)
    np.testing.assert_array_equal(arrhenius_factor(t, 0.0), 1.0)


def test_joule_heat_is_even_in_current():
    assert joule_heat(-5.0, 0.02) == joule_heat(5.0, 0.02) == pytest.approx(0.5)


def test_charge_transfer_heat_is_linear_at_small_current_and_sublinear_at_large():
    r_ct, temp = 0.010, 298.15
    i0 = exchange_current(r_ct, temp, 35000.0)
    assert i0 == pytest.approx(GAS_CONSTANT * temp / (FARADAY * r_ct))
    assert charge_transfer_heat(1e-3, temp, i0) == pytest.approx(1e-6 * r_ct, rel=1e-6)
    currents = np.array([1.0, 5.0, 20.0])
    ct = charge_transfer_heat(currents, temp, i0)
    assert np.all(ct < joule_heat(currents, r_ct))
    assert np.all(np.diff(ct) > 0)
    assert charge_transfer_heat(-5.0, temp, i0) == pytest.approx(float(ct[1]))
    # colder: smaller exchange current, more heat at the same current
    cold = exchange_current(r_ct, 263.15, 35000.0)
    assert cold < i0
    assert charge_transfer_heat(5.0, 263.15, cold) > ct[1]


def test_reversible_heat_sign_convention():
    # charge (I > 0) with dU/dT > 0 heats; discharge cools; zero coefficient, no heat
    assert reversible_heat(5.0, 300.0, 1e-4) == pytest.approx(0.15)
    assert reversible_heat(-5.0, 300.0, 1e-4) == pytest.approx(-0.15)
    assert reversible_heat(5.0, 300.0, 0.0) == 0.0


def test_heat_exchange_flows_from_warm_to_cold():
    assert heat_exchange(300.0, 280.0, 2.0) == pytest.approx(-40.0)
    assert heat_exchange(280.0, 300.0, 2.0) == pytest.approx(40.0)
    assert heat_exchange(300.0, 280.0, 0.0) == 0.0


# --- thermal management and heaters ---------------------------------------------------


def test_thermal_management_window():
    t = C0 + np.array([-20.0, 14.9, 15.0, 25.0, 35.0, 35.1, 50.0])
    q = thermal_management(t, C0 + 15, C0 + 35, 4000.0, 6000.0)
    np.testing.assert_array_equal(q, [4000.0, 4000.0, 0.0, 0.0, 0.0, -6000.0, -6000.0])
    # no heater: nothing added below the window
    assert thermal_management(C0 - 20, C0 + 15, C0 + 35, 0.0, 6000.0) == 0.0


@given(st.floats(200.0, 350.0), st.floats(1e3, 1e6), st.floats(1.0, 600.0))
def test_thermal_management_limited_to_the_window_edge_does_not_overshoot(t, c, dt):
    lo, hi = C0 + 15, C0 + 35
    q = thermal_management(t, lo, hi, 5000.0, 8000.0, c, dt)
    t1 = t + q * dt / c  # adiabatic step with the TMS alone
    if t < lo:
        assert t < t1 <= lo + 1e-9
    elif t > hi:
        assert hi - 1e-9 <= t1 < t
    else:
        assert q == 0.0


def test_heater_power():
    np.testing.assert_array_equal(
        heater_power([-100.0, 0.0, 2000.0, 9000.0], 6000.0), [0, 0, 2000, 6000]
    )
    assert heater_power(3000.0, 6000.0, 2.5) == pytest.approx(1200.0)


# --- heat pump ------------------------------------------------------------------------

#: Carnot fraction fitted to ONE bench point (TF-044 in
#: tests/validation/data/thermal_figures.csv: COP 1.9 at -1 degC ambient, 41.5 degC supply).
ETA_BENCH = 1.9 * (41.5 - (-1.0)) / (41.5 + C0)
SUPPLY = 41.5 + C0


def test_cop_exceeds_one_over_the_stated_range_and_falls_with_colder_ambient():
    """Stated range: COP > 1 for T_amb > (1 - eta) T_supply (-39.2 degC here; -35 to 40)."""
    assert (1 - ETA_BENCH) * SUPPLY < C0 - 35
    ambient = C0 + np.linspace(-35.0, 40.0, 151)
    cop = heat_pump_cop(ambient, SUPPLY, ETA_BENCH, 6.0)
    assert np.all(cop > 1.0)
    assert np.all(np.diff(cop) >= 0.0)
    assert np.all(np.diff(cop)[ambient[1:] < C0] > 0.0)
    assert heat_pump_cop(C0 - 1.0, SUPPLY, ETA_BENCH, 6.0) == pytest.approx(1.9)
    # at or above the supply temperature: the cap, not infinity
    assert heat_pump_cop([SUPPLY, SUPPLY + 5], SUPPLY, ETA_BENCH, 6.0).tolist() == [6.0, 6.0]


def test_cop_below_one_where_the_carnot_fraction_says_so():
    # FASTSim's 7.5 % of Carnot with a 41.5 degC supply: below one under 20 degC ambient
    cop = heat_pump_cop(C0 + np.array([-10.0, 30.0]), SUPPLY, 0.075, 6.0)
    assert cop[0] < 1.0 < cop[1]


def test_heat_pump_draws_less_than_a_ptc_where_cop_exceeds_one():
    cop = heat_pump_cop(C0 - 10.0, SUPPLY, ETA_BENCH, 6.0)
    assert heater_power(3000.0, 5000.0, cop) < heater_power(3000.0, 5000.0)


def test_cabin_heat_pump_by_hand_and_no_better_than_a_resistor_without_its_data():
    from nevcalc.model.thermal import cabin_climate_power

    # 100 W/K, 21 degC cabin, -10 degC air: 3100 W of heat; a pump at eta 0.3 with the
    # supply 25 K above the cabin: COP 0.3 x 319.15 / 56 = 1.7098, capped at 1.5 below
    heat = 100.0 * 31.0
    cop = 0.3 * (C0 + 46.0) / 56.0
    got = cabin_climate_power(C0 - 10.0, C0 + 21.0, 100.0, 0.3, 5.0, supply_offset=25.0)
    assert got[0] == pytest.approx(heat / cop)
    capped = cabin_climate_power(C0 - 10.0, C0 + 21.0, 100.0, 0.3, 1.5, supply_offset=25.0)
    assert capped[0] == pytest.approx(heat / 1.5)
    # the cap defaults to 1: a heat pump with no coefficients given is a resistor
    assert cabin_climate_power(C0 - 10.0, C0 + 21.0, 100.0, 0.3)[0] == pytest.approx(heat)
    # a higher supply (larger lift) never draws less
    hi = cabin_climate_power(C0 - 10.0, C0 + 21.0, 100.0, 0.3, 5.0, supply_offset=35.0)
    assert hi[0] > got[0]


def test_cold_capacity_share_is_one_when_warm_falls_with_cold_and_meets_its_anchor():
    from nevcalc.model.thermal import cold_capacity_share

    t = 273.15 + np.arange(-40.0, 45.0, 5.0)
    s = cold_capacity_share(t, 35000.0, 0.2, 263.15, 0.85)
    assert np.all(np.diff(s) >= 0) and np.all((s >= 0) & (s <= 1))
    assert np.all(s[t >= 298.15] == 1.0)
    assert float(cold_capacity_share(263.15, 35000.0, 0.2, 263.15, 0.85)[()]) == pytest.approx(
        0.85
    )


def test_drive_until_empty_by_hand_and_colder_never_lasts_longer():
    from nevcalc.model.thermal import cold_capacity_share, drive_until_empty

    def share(t):
        return cold_capacity_share(t, 35000.0)

    # warm, unheated: the usable energy over the power, 2.7e8 / 1.5e4 = 18 000 s
    warm = drive_until_empty(2.7e8, 1.5e4, 0.02, 4e5, 10.0, 300.0, 300.0, 283.15, 5e3, 1.0, share)
    assert warm["time"][0] == pytest.approx(18000.0) and warm["heater_energy"][0] == 0.0
    amb = 273.15 + np.array([-30.0, -20.0, -10.0, 0.0, 10.0, 20.0])
    for heat_below in (200.0, 273.15, 298.15):
        r = drive_until_empty(2.7e8, 1.5e4, 0.02, 4e5, 10.0, amb, amb, heat_below, 5e3, 1.0,
                              share)  # fmt: skip
        got = 2.7e8 * r["share"] - r["heater_energy"]
        assert np.all(np.diff(got) >= 0) and np.all(r["heater_energy"] >= 0)
        assert np.all(np.isfinite(r["time"]))


def test_drive_until_empty_ends_for_a_pack_that_lasts_days():
    """A 1 MWh pack at 3 kW lasts 93 h (more than any fixed horizon): it still empties,
    at its energy over its power when warm and unheated."""
    from nevcalc.model.thermal import cold_capacity_share, drive_until_empty

    def share(t):
        return cold_capacity_share(t, 35000.0)

    r = drive_until_empty(3.6e9, [3e3, 3e5], 0.02, 4e6, 10.0, 300.0, 300.0, 283.15, 5e3, 1.0,
                          share)  # fmt: skip
    np.testing.assert_allclose(r["time"], [1.2e6, 1.2e4], rtol=1e-9)
    assert np.all(np.isfinite(r["temperature"]))
