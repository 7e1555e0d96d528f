"""Mixed charging sessions at ambient temperatures (``charge_sessions(..., ambient=)``).

The exact answer of a session at an ambient is a profile marched from the session's own
start SoC with the pack at its arrival temperature (``charge``); the vectorised call
follows families of such profiles started at a few SoC and temperatures and mixes the
two whose paths pass either side of the session's start. These tests bound its error
against the exact answer and check that without an ambient nothing changes.
"""

from __future__ import annotations

import functools

import numpy as np
import pytest

from nevcalc.errors import InputError
from nevcalc.model import charging
from nevcalc.scenario import charge, charge_sessions
from nevcalc.scenario.charge import (
    _arrival_temperatures,
    _pair_arrays,
    _pair_tables,
    pair_thermal,
)
from nevcalc.scenario.thermal import arrival_state, precondition_mode
from nevcalc.units import celsius_to_kelvin
from tests.conftest import shipped_library


def _draw(n, seed):
    """Sessions as the benchmark draws them: any shipped vehicle on any shipped charger,
    start 0-60 %, 5-40 % charged (at most to 100 %), ambient -30 to 45 degC,
    preconditioning none, on arrival or 0-30 min."""
    vehicles, chargers = shipped_library()
    rng = np.random.default_rng(seed)
    vi = rng.integers(0, len(vehicles), n)
    ci = rng.integers(0, len(chargers), n)
    a = rng.uniform(0.0, 0.6, n)
    b = np.minimum(a + rng.uniform(0.05, 0.4, n), 1.0)
    ambient = celsius_to_kelvin(rng.uniform(-30.0, 45.0, n))
    kind = rng.integers(0, 3, n)
    code = np.where(kind == 0, 0.0, np.where(kind == 1, -1.0, rng.uniform(0.0, 1800.0, n)))
    return vi, ci, a, b, ambient, code


def _exact(vi, ci, a, b, ambient, code, steps=400):
    """One profile per session from its own start at its arrival temperature: the march
    of ``charge`` for each session, rows side by side."""
    vehicles, chargers = shipped_library()
    tables, rows, values = _pair_tables(vehicles, chargers, vi, ci)
    values["soc_start"] = np.asarray(a, float).copy()
    thermal = pair_thermal(vehicles, vi, ambient, code)
    prof = charging._profile(tables, rows, values, steps, thermal)
    return charging.charge_session(prof, np.arange(vi.size), a, b)


def test_exact_reference_is_the_single_answer():
    """The reference of these tests is ``charge`` itself, session by session."""
    vehicles, chargers = shipped_library()
    vi, ci, a, b, ambient, code = _draw(12, seed=5)
    ref = _exact(vi, ci, a, b, ambient, code)
    for k in range(vi.size):
        ans = charge(vehicles[vi[k]], chargers[ci[k]], a[k], b[k], ambient=ambient[k],
                     precondition=precondition_mode(code[k]))  # fmt: skip
        assert ans.feasible == ref.feasible[k]
        assert ans.duration == pytest.approx(ref.duration[k], rel=1e-12)
        assert ans.energy_from_grid == pytest.approx(ref.energy_from_grid[k], rel=1e-12)


def test_arrival_temperatures_are_those_of_arrival_state():
    vehicles, _ = shipped_library()
    vi, _, _, _, ambient, code = _draw(400, seed=11)
    ambient = np.concatenate([ambient, celsius_to_kelvin(np.array([-40.0, 50.0, 25.0, 45.0]))])
    code = np.concatenate([code, [-1.0, -1.0, 600.0, 86400.0]])
    vi = np.concatenate([vi, [0, 1, 2, 3]])
    got = _arrival_temperatures(vehicles, vi, ambient, code)
    want = [arrival_state(vehicles[v].thermal, t, precondition_mode(c)).temperature
            for v, t, c in zip(vi, ambient, code, strict=True)]  # fmt: skip
    np.testing.assert_allclose(got, want, rtol=0, atol=1e-9)


@functools.cache
def _compared(seed=3, n=400):
    vehicles, chargers = shipped_library()
    vi, ci, a, b, ambient, code = _draw(n, seed)
    got = charge_sessions(vehicles, chargers, vi, ci, a, b, ambient=ambient, precondition=code)
    return got, _exact(vi, ci, a, b, ambient, code)


def test_error_against_the_exact_answer_is_bounded():
    """400 random sessions of every shipped vehicle and charger: the duration within
    0.3 % at the median, 2 % at the 90th percentile, 8 % at the 99th and 15 % at worst of
    the exact single answer (measured on three draws with the plating limit of 55 kJ/mol:
    0.09-0.11 %, 1.5-1.8 %, 5.0-6.6 % and 11-12 %; the peak power 1.0-1.4 % at the 90th
    percentile); the same sessions feasible.

    The worst sessions are short ones near a voltage ceiling in the cold: a family's path
    reaches the session's start charging, its polarisation built up, where the exact
    answer starts at rest. Sessions without an ambient, one segment of a charge from 0 %,
    differ from a start at rest in the same way: by up to 18 % on these sessions.
    """
    got, ref = _compared()
    assert np.all(got.feasible == ref.feasible)
    both = got.feasible & ref.feasible
    assert both.sum() >= 300
    err = np.abs(got.duration[both] / ref.duration[both] - 1.0)
    assert np.median(err) <= 0.003
    assert np.quantile(err, 0.9) <= 0.02
    assert np.quantile(err, 0.99) <= 0.08
    assert err.max() <= 0.15
    # the energies follow the same paths: at the terminals within 1 % (90th percentile)
    # and 5 % (worst); from the grid, with the heater's electricity, 2 % and 8 %
    e = np.abs(got.energy_to_battery[both] / ref.energy_to_battery[both] - 1.0)
    assert np.quantile(e, 0.9) <= 0.01 and e.max() <= 0.05
    g = np.abs(got.energy_from_grid[both] / ref.energy_from_grid[both] - 1.0)
    assert np.quantile(g, 0.9) <= 0.02 and g.max() <= 0.08
    p = np.abs(got.peak_power[both] / ref.peak_power[both] - 1.0)
    assert np.quantile(p, 0.9) <= 0.03


def test_answers_are_physical():
    """No NaN; a feasible session takes time and energy, an infeasible one says which limit
    stops it and where, and takes no more than what it charged."""
    got, _ = _compared()
    for f in got._fields:
        assert not np.isnan(np.asarray(getattr(got, f), float)).any(), f
    ok = got.feasible
    assert np.all(got.duration[ok] > 0) and np.all(np.isfinite(got.duration[ok]))
    assert np.all(got.energy_to_battery[ok] > 0) and np.all(got.thermal_energy >= 0)
    assert np.all(got.stop_limit[ok] == -1)
    assert np.all(np.isinf(got.duration[~ok]))
    assert np.all(got.stop_limit[~ok] >= 0)
    assert np.all(np.isfinite(got.charging_time) & (got.charging_time >= 0))
    assert np.all(got.peak_power >= 0) and np.all(got.average_power <= got.peak_power * 1.001)


def test_colder_arrival_is_never_faster():
    """At -20 degC without preconditioning the sessions take at least as long as with the
    pack preconditioned on arrival (the exact answers agree on the direction)."""
    vehicles, chargers = shipped_library()
    vi, ci, a, b, _, _ = _draw(300, seed=9)
    cold = celsius_to_kelvin(-20.0)
    none = charge_sessions(vehicles, chargers, vi, ci, a, b, ambient=cold, precondition=0.0)
    warm = charge_sessions(vehicles, chargers, vi, ci, a, b, ambient=cold, precondition=-1.0)
    both = none.feasible & warm.feasible
    assert both.sum() > 200
    assert np.all(none.duration[both] >= warm.duration[both] * (1 - 1e-9))


def test_without_ambient_the_answers_are_unchanged():
    """No ambient: the one profile per pair and T(b) - T(a), bit for bit."""
    vehicles, chargers = shipped_library()
    vi, ci, a, b, _, _ = _draw(5000, seed=13)
    got = charge_sessions(vehicles, chargers, vi, ci, a, b)
    key = vi * len(chargers) + ci
    pairs, rows = np.unique(key, return_inverse=True)
    prof = charging.charge_profile(
        **_pair_arrays(vehicles, chargers, pairs // len(chargers), pairs % len(chargers)),
        steps=400,
    )
    want = charging.charge_session(prof, rows.reshape(key.shape), a, b)
    for f in want._fields:
        np.testing.assert_array_equal(getattr(got, f), getattr(want, f), err_msg=f)


def test_broadcast_and_bad_input():
    vehicles, chargers = shipped_library()
    a = np.array([[0.1], [0.3]])
    cold = celsius_to_kelvin(-10.0)
    s = charge_sessions(vehicles, chargers, 0, [1, 2, 3], a, 0.8, ambient=cold,
                        precondition=[0.0, -1.0, 900.0])  # fmt: skip
    assert s.duration.shape == (2, 3)
    with pytest.raises(InputError, match="ambient"):
        charge_sessions(vehicles, chargers, 0, 0, 0.1, 0.8, ambient=np.nan)


def test_families_marched_only_as_far_as_needed_give_the_same_answers():
    """Families are marched only up to the SoC their sessions reach: adding sessions that
    charge to 100 % (every family then marched to the end) changes no other answer."""
    vehicles, chargers = shipped_library()
    vi, ci, a, b, ambient, code = _draw(300, seed=17)
    b = np.minimum(b, a + 0.1)  # short sessions: the families stop well below 100 %
    got = charge_sessions(vehicles, chargers, vi, ci, a, b, ambient=ambient, precondition=code)
    n = vi.size
    extra = np.array([0.0, 0.3, 0.5, 0.7])  # a session to 100 % from every family
    full = charge_sessions(
        vehicles, chargers, np.concatenate([vi, vi[:4]]), np.concatenate([ci, ci[:4]]),
        np.concatenate([a, extra]), np.concatenate([b, np.ones(4)]),
        ambient=np.concatenate([ambient, ambient[:4]]),
        precondition=np.concatenate([code, code[:4]]),
    )  # fmt: skip
    assert not got.feasible.all()  # some sessions stop short: their answers are marched
    for f in got._fields:
        np.testing.assert_array_equal(getattr(full, f)[:n], getattr(got, f), err_msg=f)


def test_two_threads_give_the_same_answers():
    """On two threads (families marched while others are looked up, the shifted windows
    split) every answer is that of one thread, bit for bit."""
    vehicles, chargers = shipped_library()
    vi, ci, a, b, ambient, code = _draw(3000, seed=19)
    one = charge_sessions(vehicles, chargers, vi, ci, a, b, ambient=ambient, precondition=code)
    two = charge_sessions(vehicles, chargers, vi, ci, a, b, ambient=ambient, precondition=code,
                          threads=2)  # fmt: skip
    for f in one._fields:
        np.testing.assert_array_equal(getattr(two, f), getattr(one, f), err_msg=f)
