"""The charging model: integration accuracy, limits, feasibility, properties and edges
(sessions that cannot start or stop partway, chargers below C/20, the lowest voltage)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nevcalc.model.charging import (
    LIMIT_NAMES,
    binding_segments,
    charge_profile,
    charge_session,
    current_from_power,
    lowest_start_soc,
    soc_after_time,
)
from nevcalc.model.tables import GRID_POINTS, lookup, resample

OCV_SOC = np.linspace(0, 1, 21)

# Chen2020 OCV (anchors README), used as a realistic NMC shape
OCV_V = np.array(
    [2.5, 3.1094, 3.2959, 3.4339, 3.4852, 3.5286, 3.5814, 3.6290, 3.6670, 3.7054, 3.7509,
     3.7983, 3.8406, 3.8896, 3.9479, 3.9943, 4.0421, 4.0809, 4.0967, 4.1236, 4.2]
)  # fmt: skip

OCV = resample(OCV_SOC, OCV_V)

TAPER_SOC = [0, 0.5, 0.8, 1.0]

TAPER = [1.0, 1.0, 0.5, 0.1]


def pack(**over):
    """An 800 V, 80 kWh NMC pack on a 350 kW / 500 A / 920 V charger."""
    series = 192
    q = 80e3 * 3600 / (series * 3.75)
    p = dict(
        ocv=OCV,
        series_cells=series,
        capacity=q,
        resistance=0.12,
        charger_power=350e3,
        charger_current=500.0,
        charger_voltage_max=920.0,
        charger_voltage_min=150.0,
        polarization_resistance=0.05,
        time_constant=30.0,
        diffusion_time=600.0,
        cell_voltage_max=4.2,
        c_rate=np.full(GRID_POINTS, 3 / 3600),
        vehicle_power=resample(TAPER_SOC, np.array(TAPER) * 260e3),
        vehicle_current=np.inf,
        booster_power=0.0,
        efficiency=0.95,
        cell_soc_low=0.02,
        cell_soc_high=0.97,
    )
    p.update(over)
    return p


def reference_time(p, a, b, steps=10_000):
    """Independent reference: explicit time stepping of the same physics, scalar Python.

    Steps in time (not SoC) with a step chosen so the window takes ~``steps``
    steps, the RC branch and the surface-SoC offset by forward Euler.
    """
    q = p["capacity"]
    lo, hi = p["cell_soc_low"], p["cell_soc_high"]
    q_full = q / (hi - lo)
    n = p["series_cells"]
    r0, r1, tau, td = p["resistance"], p["polarization_resistance"], p["time_constant"], p[
        "diffusion_time"]  # fmt: skip
    # a first guess of the duration sets dt
    guess = (b - a) * q / min(p["charger_current"], 3 / 3600 * q_full) * 2.5
    dt = guess / steps
    s, t, eta, delta = a, 0.0, 0.0, 0.0
    grid = np.linspace(0, 1, GRID_POINTS)
    while s < b:
        cell = lo + (hi - lo) * s
        ocv_bulk = n * np.interp(cell, grid, p["ocv"])
        ocv_surf = n * np.interp(cell + delta, grid, p["ocv"])
        v = ocv_surf + eta
        limits = [
            current_from_power(p["charger_power"], v, r0),
            p["charger_current"],
            current_from_power(np.interp(s, grid, p["vehicle_power"]), v, r0),
            p["vehicle_current"],
            np.interp(cell, grid, p["c_rate"]) * q_full,
            (n * p["cell_voltage_max"] - v) / r0,
            (p["charger_voltage_max"] - v) / r0,
        ]
        i = float(min(limits))
        if i < q / (20 * 3600):
            return math.inf
        step = min(dt, (b - s) * q / i)
        s += i * step / q
        eta += step * (r1 * i - eta) / tau
        if td > 0:
            delta += step * (i * td / (15 * q_full) - delta) / (td / 20.19)
        t += step
        del ocv_bulk
    return t


@pytest.mark.parametrize(("a", "b"), [(0.1, 0.8), (0.0, 0.5), (0.3, 0.9), (0.05, 0.97)])
def test_time_within_half_percent_of_10000_step_reference(a, b):
    p = pack()
    prof = charge_profile(**p, steps=400)
    got = float(charge_session(prof, 0, a, b).duration)
    ref = reference_time(p, a, b)
    assert got == pytest.approx(ref, rel=0.005)


def test_single_resistor_without_polarisation_is_exact_limit_case():
    p = pack(polarization_resistance=0.0, diffusion_time=0.0)
    prof = charge_profile(**p, steps=400)
    assert float(charge_session(prof, 0, 0.1, 0.8).duration) == pytest.approx(
        reference_time(p, 0.1, 0.8), rel=0.005
    )


def test_cc_only_time_is_charge_over_current():
    # a weak charger far below every other limit: t = dQ / I exactly
    p = pack(charger_power=np.inf, charger_current=50.0)
    prof = charge_profile(**p)
    t = float(charge_session(prof, 0, 0.2, 0.6).duration)
    assert t == pytest.approx(0.4 * p["capacity"] / 50.0, rel=1e-9)
    assert {LIMIT_NAMES[c] for *_, c in binding_segments(prof, 0, 0.2, 0.6)} == {"charger current"}


def test_power_limit_binds_as_power():
    p = pack(charger_power=50e3, charger_current=np.inf)
    prof = charge_profile(**p)
    s = charge_session(prof, 0, 0.2, 0.6)
    assert float(s.peak_power) == pytest.approx(50e3, rel=1e-9)
    assert float(s.average_power) == pytest.approx(50e3, rel=1e-6)


def test_energy_balance():
    p = pack()
    s = charge_session(charge_profile(**p), 0, 0.1, 0.8)
    x = np.linspace(0.1, 0.8, 20001)
    cell = p["cell_soc_low"] + (p["cell_soc_high"] - p["cell_soc_low"]) * x
    mean_ocv = np.trapezoid(np.interp(cell, OCV_SOC, OCV_V), x) / 0.7
    stored = p["series_cells"] * mean_ocv * 0.7 * p["capacity"]
    # stored energy is the OCV integral over the window (within grid resolution)
    assert float(s.energy_stored) == pytest.approx(stored, rel=0.01)
    assert s.energy_to_battery > s.energy_stored  # I^2 R and polarisation losses
    assert float(s.energy_from_grid) == pytest.approx(float(s.energy_to_battery) / 0.95)


def test_800v_pack_on_500v_charger_is_infeasible_with_a_reason():
    p = pack(charger_voltage_max=500.0)
    prof = charge_profile(**p)
    s = charge_session(prof, 0, 0.1, 0.8)
    assert not bool(s.feasible)
    assert math.isinf(float(s.duration))
    assert LIMIT_NAMES[int(s.stop_limit)] == "charger voltage"
    assert not np.isnan(s.duration)


def test_booster_makes_it_feasible_and_limits_power():
    p = pack(charger_voltage_max=500.0, booster_power=50e3)
    prof = charge_profile(**p)
    s = charge_session(prof, 0, 0.1, 0.8)
    assert bool(s.feasible)
    assert float(s.peak_power) <= 50e3 * (1 + 1e-9)
    assert "booster power" in {LIMIT_NAMES[c] for *_, c in binding_segments(prof, 0, 0.1, 0.8)}


def test_broadcasting_one_call_many_sessions_equals_single_calls():
    rows = np.array([0, 1, 0, 1])
    a = np.array([0.1, 0.2, 0.3, 0.05])
    b = np.array([0.8, 0.7, 0.9, 0.5])
    p = pack(charger_power=np.array([350e3, 50e3]))
    prof = charge_profile(**p)
    many = charge_session(prof, rows, a, b).duration
    for k in range(4):
        single = charge_profile(**pack(charger_power=[350e3, 50e3][rows[k]]))
        assert many[k] == pytest.approx(float(charge_session(single, 0, a[k], b[k]).duration))


def test_soc_after_time_inverts_duration():
    prof = charge_profile(**pack())
    t = float(charge_session(prof, 0, 0.1, 0.63).duration)
    assert float(soc_after_time(prof, 0, 0.1, t)) == pytest.approx(0.63, abs=1e-4)


def test_lookup_matches_numpy_interp():
    table = resample([0, 0.3, 1], [1.0, 5.0, 2.0])
    x = np.linspace(0, 1, 97)
    assert np.allclose(lookup(table, x), np.interp(x, [0, 0.3, 1], [1.0, 5.0, 2.0]), atol=1e-12)


@settings(max_examples=40, deadline=None)
@given(p1=st.floats(20e3, 600e3), factor=st.floats(1.0, 5.0), b=st.floats(0.05, 0.95))
def test_more_charger_power_never_lengthens_a_charge_from_rest(p1, factor, b):
    prof = charge_profile(**pack(charger_power=np.array([p1, p1 * factor])))
    d = charge_session(prof, np.array([0, 1]), 0.0, b).duration
    assert d[1] <= d[0] * (1 + 1e-12)


@settings(max_examples=40, deadline=None)
@given(
    p1=st.floats(20e3, 600e3),
    factor=st.floats(1.0, 5.0),
    a=st.floats(0.0, 0.6),
    width=st.floats(0.05, 0.35),
)
def test_more_charger_power_within_a_continuous_charge(p1, factor, a, width):
    """A window a -> b is a segment of one charge from 0 %: with more power the pack
    arrives at a more polarised, which can cost up to ~1e-4 of the window's time
    (the RC and diffusion states relax within a minute); never more than 0.1 %."""
    prof = charge_profile(**pack(charger_power=np.array([p1, p1 * factor])))
    d = charge_session(prof, np.array([0, 1]), a, a + width).duration
    assert d[1] <= d[0] * (1 + 1e-3)


@settings(max_examples=40, deadline=None)
@given(
    a=st.floats(0.0, 0.5),
    w1=st.floats(0.01, 0.25),
    w2=st.floats(0.01, 0.2),
    power=st.floats(30e3, 500e3),
)
def test_a_to_b_then_b_to_c_equals_a_to_c(a, w1, w2, power):
    prof = charge_profile(**pack(charger_power=power))
    b, c = a + w1, a + w1 + w2
    ab, bc, ac = (
        float(charge_session(prof, 0, x, y).duration) for x, y in ((a, b), (b, c), (a, c))
    )
    assert ab + bc == pytest.approx(ac, rel=1e-9)


def test_current_from_power_limits():
    assert float(current_from_power(1000.0, 100.0, 0.0)) == pytest.approx(10.0)
    i = float(current_from_power(1000.0, 100.0, 1.0))
    assert (100.0 + 1.0 * i) * i == pytest.approx(1000.0)
    assert math.isinf(float(current_from_power(np.inf, 100.0, 1.0)))


EDGE_OCV = resample(np.linspace(0, 1, 5), np.array([3.0, 3.5, 3.7, 3.95, 4.2]))


def edge_pack(**over):
    """A 192-cell NMC pack (about 580-800 V over its window) on a 350 kW charger."""
    series = 192
    p = dict(
        ocv=EDGE_OCV,
        series_cells=series,
        capacity=80e3 * 3600 / (series * 3.7),
        resistance=0.1,
        charger_power=350e3,
        charger_current=500.0,
        charger_voltage_max=1000.0,
        charger_voltage_min=150.0,
        cell_voltage_max=4.2,
        c_rate=np.full(GRID_POINTS, 3 / 3600),
        vehicle_power=np.full(GRID_POINTS, 250e3),
        cell_soc_low=0.02,
        cell_soc_high=0.97,
    )
    p.update(over)
    return p


def edge_pack_ocv(p, soc):
    """Pack OCV [V] at displayed SoC, by the same piecewise-linear table, with np.interp."""
    cell = p["cell_soc_low"] + (p["cell_soc_high"] - p["cell_soc_low"]) * np.asarray(soc)
    return p["series_cells"] * np.interp(cell, np.linspace(0, 1, GRID_POINTS), p["ocv"])


def test_charger_below_the_pack_voltage_at_the_start_charges_nothing():
    p = edge_pack(charger_voltage_max=500.0)  # the pack is above 560 V everywhere
    prof = charge_profile(**p)
    s = charge_session(prof, 0, 0.1, 0.8)
    assert not bool(s.feasible) and math.isinf(float(s.duration))
    assert float(s.stop_soc) == 0.1  # it ends where it starts, not below
    assert LIMIT_NAMES[int(s.stop_limit)] == "charger voltage"
    for x in (s.charging_time, s.energy_to_battery, s.energy_stored, s.energy_from_grid,
              s.peak_power, s.average_power):  # fmt: skip
        assert float(x) == 0.0
    assert float(soc_after_time(prof, 0, 0.1, 300.0)) == 0.1


def test_charger_that_runs_out_of_voltage_partway_stops_there():
    vmax = float(edge_pack_ocv(edge_pack(), 0.5))  # the pack's open-circuit voltage at 50 %
    prof = charge_profile(**edge_pack(charger_voltage_max=vmax))
    s = charge_session(prof, 0, 0.1, 0.8)
    stop = float(s.stop_soc)
    assert not bool(s.feasible)
    assert 0.1 < stop < 0.5  # the voltage ceiling tapers the current before the OCV gets there
    assert LIMIT_NAMES[int(s.stop_limit)] == "charger voltage"
    # the time and energy to the stop are those of a feasible session to the same SoC
    to_stop = charge_session(prof, 0, 0.1, stop)
    assert bool(to_stop.feasible)
    assert float(s.charging_time) == pytest.approx(float(to_stop.duration), rel=1e-9)
    assert float(s.energy_to_battery) == pytest.approx(float(to_stop.energy_to_battery), rel=1e-9)
    assert float(s.average_power) > 0
    # charging longer than it can gives the stop, never beyond and never below the start
    assert float(soc_after_time(prof, 0, 0.1, 1e6)) == pytest.approx(stop)
    # a session that starts above the stop cannot start and ends at its own start
    late = charge_session(prof, 0, 0.6, 0.9)
    assert float(late.stop_soc) == 0.6 and float(late.charging_time) == 0.0
    assert float(late.energy_to_battery) == 0.0 and float(late.peak_power) == 0.0
    assert float(soc_after_time(prof, 0, 0.6, 600.0)) == 0.6


def test_charger_weaker_than_the_c20_cut_off_is_slow_not_infeasible():
    # 2 kW into a ~600 V pack of ~130 Ah: ~3.3 A, below C/20 (~6.5 A) but it charges
    p = edge_pack(charger_power=2e3)
    prof = charge_profile(**p)
    s = charge_session(prof, 0, 0.1, 0.8)
    assert bool(s.feasible)
    hours = float(s.duration) / 3600
    energy = float(s.energy_to_battery)
    assert energy / 2e3 / 3600 == pytest.approx(hours, rel=1e-6)  # at 2 kW throughout
    assert {LIMIT_NAMES[c] for c in prof.limit[0][(prof.soc[0] > 0.1) & (prof.soc[0] < 0.8)]} == {
        "charger power"
    }


def test_lowest_start_soc_is_where_the_pack_reaches_the_charger_minimum():
    p = edge_pack()
    for vmin in (600.0, 700.0, 750.0):
        s = float(lowest_start_soc(p["ocv"][None], [192.0], [vmin], [0.02], [0.97])[0])
        assert 0 < s < 1
        assert float(edge_pack_ocv(p, s)) == pytest.approx(vmin, rel=1e-9)
    # never reached, reached at cell SoC 0
    assert lowest_start_soc(p["ocv"][None], [192.0], [900.0], [0.02], [0.97])[0] == np.inf
    assert lowest_start_soc(p["ocv"][None], [192.0], [100.0], [0.02], [0.97])[0] == -np.inf


def test_charger_minimum_voltage_blocks_only_the_start_below_it():
    vmin = 700.0
    prof = charge_profile(**edge_pack(charger_voltage_min=vmin))
    s_min = float(prof.soc_min[0])
    assert float(edge_pack_ocv(edge_pack(), s_min)) == pytest.approx(vmin, rel=1e-9)
    below = charge_session(prof, 0, s_min - 0.05, 0.9)
    assert not bool(below.feasible)
    assert LIMIT_NAMES[int(below.stop_limit)] == "charger min voltage"
    assert float(below.stop_soc) == pytest.approx(s_min - 0.05)
    assert float(below.energy_to_battery) == 0.0 and float(below.charging_time) == 0.0
    assert float(soc_after_time(prof, 0, s_min - 0.05, 600.0)) == pytest.approx(s_min - 0.05)
    # from above it, the same session as on a charger without that minimum (both start at
    # rest within one step of each other; the polarisation history differs by < 0.5 %)
    a = s_min + 0.02
    above = charge_session(prof, 0, a, 0.9)
    free = charge_session(charge_profile(**edge_pack(soc_start=a)), 0, a, 0.9)
    assert bool(above.feasible)
    assert float(above.duration) == pytest.approx(float(free.duration), rel=5e-3)
    assert float(above.energy_to_battery) == pytest.approx(float(free.energy_to_battery), rel=5e-3)


def test_target_at_or_below_the_start_takes_nothing():
    prof = charge_profile(**edge_pack())
    s = charge_session(prof, 0, np.array([0.5, 0.5]), np.array([0.5, 0.3]))
    assert np.all(s.duration == 0.0) and np.all(s.energy_to_battery == 0.0)
    assert np.all(s.stop_soc == 0.5)


def test_empty_cell_window_is_refused_by_the_model():
    with pytest.raises(ValueError, match="window"):
        charge_profile(**edge_pack(cell_soc_low=0.5, cell_soc_high=0.5))
