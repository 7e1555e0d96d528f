"""The compiled loops of the thermal sessions (nevcalc.model._kernel) against the numpy code.

The scalar formulas the kernels repeat are checked against the functions of
:mod:`nevcalc.model.thermal`, :mod:`nevcalc.model.tables` and
:mod:`nevcalc.model.charging` they copy (without numba too: an edit of one side fails
here). With numba the thermal sessions are computed both ways, on the shipped vehicles
and chargers and on ones that take every branch of the march (particle diffusion,
Butler-Volmer charge transfer, a charger whose lowest voltage the pack starts below),
and must agree to rounding.
"""

from __future__ import annotations

import dataclasses
import sys

import numpy as np
import pytest

from nevcalc.model import _kernel, charging
from nevcalc.model.tables import lookup
from nevcalc.model.thermal import (
    charge_transfer_heat,
    exchange_current,
    lumped_temperature_step,
    thermal_management,
)
from nevcalc.scenario import charge_sessions
from nevcalc.scenario.thermal import TEMPERATURE_NODES
from nevcalc.units import celsius_to_kelvin
from tests.conftest import shipped_library

RNG = np.random.default_rng(11)


def test_charge_transfer_secant_is_that_of_the_thermal_model():
    r25 = RNG.uniform(1e-4, 0.05, 50)
    ea = RNG.uniform(2e4, 7e4, 50)
    t = RNG.uniform(230.0, 340.0, 50)
    i = RNG.uniform(1e-6, 800.0, 50)
    want = charge_transfer_heat(i, t, exchange_current(r25, t, ea)) / (i * i)
    got = [_kernel._transfer_secant(*x) for x in zip(r25, ea, t, i, strict=True)]
    np.testing.assert_allclose(got, want, rtol=1e-13)


def test_thermal_management_heat_is_that_of_the_thermal_model():
    t = RNG.uniform(250.0, 330.0, 200)
    low, high = 288.15, 308.15
    c, step = RNG.uniform(1e5, 6e5, 200), RNG.uniform(0.5, 2000.0, 200)
    want = thermal_management(t, low, high, 5000.0, 8000.0, c, step)
    got = [_kernel._tms_heat(x, low, high, 5000.0, 8000.0, y, z)
           for x, y, z in zip(t, c, step, strict=True)]  # fmt: skip
    np.testing.assert_allclose(got, want, rtol=1e-14, atol=1e-9)
    assert {np.sign(g) for g in got} == {-1.0, 0.0, 1.0}  # heats, holds and cools


@pytest.mark.parametrize("ua", [0.0, 1e-9, 10.0, 300.0])
def test_temperature_step_is_that_of_the_thermal_model(ua):
    t0 = RNG.uniform(240.0, 320.0, 100)
    heat = RNG.uniform(-8000.0, 8000.0, 100)
    c, step = RNG.uniform(1e5, 6e5, 100), RNG.uniform(0.0, 3000.0, 100)
    step[:3] = 0.0
    want = lumped_temperature_step(t0, heat, 263.15, c, ua, step)
    got = [_kernel._temperature_step(*x, 263.15, y, ua, z) for x, y, z in
           zip(zip(t0, heat, strict=True), c, step, strict=True)]  # fmt: skip
    np.testing.assert_allclose(got, want, rtol=1e-14)


def test_table_lookup_is_that_of_the_tables_module():
    table = np.cumsum(RNG.uniform(0.0, 1.0, (3, 201)), axis=1)
    table[1, 50:60] = table[1, 50]  # flat stretch: lo == hi
    soc = np.concatenate([RNG.uniform(-0.1, 1.1, 300), [0.0, 1.0, 0.25]])
    rows = RNG.integers(0, 3, soc.size)
    want = lookup(table, soc, rows=rows)
    got = [_kernel._lookup(table, int(r), float(s)) for r, s in zip(rows, soc, strict=True)]
    np.testing.assert_array_equal(got, want)


def test_temperature_nodes_are_found_as_the_march_finds_them():
    t = np.concatenate([RNG.uniform(200.0, 360.0, 300), TEMPERATURE_NODES])
    want_i, want_w = charging._node_weights(TEMPERATURE_NODES, t)
    even = [_kernel._node_cell(x, TEMPERATURE_NODES[0], 5.0, TEMPERATURE_NODES.size - 2)
            for x in t]  # fmt: skip
    uneven = [_kernel._node_weight(x, TEMPERATURE_NODES) for x in t]
    for got in (even, uneven):
        i, w = np.array(got).T
        np.testing.assert_array_equal(i + np.arange(t.size) * TEMPERATURE_NODES.size, want_i)
        np.testing.assert_allclose(w, want_w, rtol=0, atol=1e-12)


def test_numba_can_be_turned_off(monkeypatch):
    monkeypatch.setenv("NEVCALC_NO_NUMBA", "1")
    assert not _kernel.available()


def test_without_numba_the_numpy_code_runs(monkeypatch):
    """numba not installed (its import fails): no kernels, and sessions at an ambient are
    answered all the same."""
    monkeypatch.setitem(sys.modules, "numba", None)
    monkeypatch.setattr(_kernel, "_compiled", {})
    monkeypatch.delenv("NEVCALC_NO_NUMBA", raising=False)
    assert _kernel.compiled() is None and not _kernel.available()
    vehicles, chargers = (x[:2] for x in shipped_library())
    got = charge_sessions(vehicles, chargers, [0, 1], [1, 0], 0.2, 0.6,
                          ambient=celsius_to_kelvin(np.array([-20.0, 30.0])))  # fmt: skip
    assert got.feasible.all() and np.all(got.duration > 0)


# --- the sessions, compiled and not ---------------------------------------------------------

numba = pytest.importorskip("numba")


def _every_branch(vehicles, chargers):
    """Vehicles with particle diffusion and Butler-Volmer charge transfer, a charger whose
    highest voltage lies below the fullest packs (rows that stop short) and one whose
    lowest lies above the emptiest (rows that wait for it)."""
    odd = []
    for k, v in enumerate(vehicles[:6]):
        hw = dataclasses.replace(v.thermal, transfer_share=(0.3, 0.15),
                                 transfer_activation_energy=(6.0e4, 4.5e4))  # fmt: skip
        odd.append(dataclasses.replace(v, name=f"{v.name}-odd", thermal=hw,
                                       diffusion_time=1500.0 * (k % 2)))  # fmt: skip
    low = dataclasses.replace(chargers[2], name="low-ceiling", max_voltage=390.0)
    high = dataclasses.replace(chargers[0], name="high-floor", min_voltage=380.0)
    return odd, [*chargers[:4], low, high]


def _sessions(vehicles, chargers, n, seed):
    rng = np.random.default_rng(seed)
    a = rng.uniform(0.0, 0.6, n)
    b = np.minimum(a + rng.uniform(0.05, 0.4, n), 1.0)
    ambient = celsius_to_kelvin(rng.uniform(-30.0, 45.0, n))
    kind = rng.integers(0, 3, n)
    pre = np.where(kind == 0, 0.0, np.where(kind == 1, -1.0, rng.uniform(0, 1800, n)))
    return (rng.integers(0, len(vehicles), n), rng.integers(0, len(chargers), n), a, b,
            ambient, pre)  # fmt: skip


def _both_ways(monkeypatch, vehicles, chargers, vi, ci, a, b, **kw):
    out = []
    for off in ("1", ""):
        monkeypatch.setenv("NEVCALC_NO_NUMBA", off)
        out.append(charge_sessions(vehicles, chargers, vi, ci, a, b, **kw))
    return out


def _agree(numpy_answer, compiled_answer):
    for f in charging.ChargeSession._fields:
        x, y = np.asarray(getattr(numpy_answer, f)), np.asarray(getattr(compiled_answer, f))
        if x.dtype.kind in "bi":
            np.testing.assert_array_equal(x, y, err_msg=f)
        else:
            np.testing.assert_array_equal(np.isfinite(x), np.isfinite(y), err_msg=f)
            ok = np.isfinite(x)
            np.testing.assert_allclose(y[ok], x[ok], rtol=1e-12, atol=1e-9, err_msg=f)


@pytest.mark.parametrize("threads", [1, 2])
def test_compiled_sessions_are_the_numpy_ones(monkeypatch, threads):
    vehicles, chargers = shipped_library()
    vi, ci, a, b, ambient, pre = _sessions(vehicles, chargers, 20_000, seed=threads)
    slow, fast = _both_ways(monkeypatch, vehicles, chargers, vi, ci, a, b, ambient=ambient,
                            precondition=pre, threads=threads)  # fmt: skip
    _agree(slow, fast)
    assert slow.feasible.mean() > 0.5 and not slow.feasible.all()  # both kinds compared


def test_compiled_sessions_take_every_branch_of_the_march(monkeypatch):
    vehicles, chargers = _every_branch(*shipped_library())
    vi, ci, a, b, ambient, pre = _sessions(vehicles, chargers, 5_000, seed=3)
    slow, fast = _both_ways(monkeypatch, vehicles, chargers, vi, ci, a, b, ambient=ambient,
                            precondition=pre)  # fmt: skip
    _agree(slow, fast)


def test_the_march_itself_is_the_same(monkeypatch):
    """The profiles of one family, marched both ways: every table the look-ups read."""
    from nevcalc.scenario.charge import _families

    vehicles, chargers = _every_branch(*shipped_library())
    pv = np.repeat(np.arange(len(vehicles)), 3)
    pc = np.tile([0, len(chargers) - 2, len(chargers) - 1], len(vehicles))
    ambients = celsius_to_kelvin(np.array([-25.0, 40.0]))
    tables = []
    for off in ("1", ""):
        monkeypatch.setenv("NEVCALC_NO_NUMBA", off)
        march = _families(
            vehicles, chargers, pv, pc, ambients, 200, {0: 1.0, 2: 0.9}, threads=3
        )  # (compiled: its rows in three parts)
        tables.append([march(k) for k in (0, 2)])
    for (p0, t0), (p1, t1) in zip(*tables, strict=True):
        for f in ("corner", "temperature", "warmup"):
            x, y = t0[f], t1[f]
            np.testing.assert_array_equal(np.isfinite(x), np.isfinite(y), err_msg=f)
            np.testing.assert_allclose(y[np.isfinite(y)], x[np.isfinite(x)], rtol=1e-12,
                                       atol=1e-6, err_msg=f)  # fmt: skip
        np.testing.assert_allclose(p1.power, p0.power, rtol=1e-12, atol=1e-6)
        np.testing.assert_array_equal(p1.stop_limit, p0.stop_limit)
        np.testing.assert_array_equal(p1.stop_soc, p0.stop_soc)
        np.testing.assert_array_equal(p1.soc_min, p0.soc_min)
        assert (p0.stop_limit >= 0).any()  # some rows stop
    # rows that wait for the charger's lowest voltage
    assert (tables[0][0][0].soc_min > 0.0).any()


def test_compiled_arrival_temperatures_are_the_numpy_ones(monkeypatch):
    """Every branch: no preconditioning, on arrival, for a time; heated, cooled, held; a
    target reached and not (a pack without conductance too)."""
    from nevcalc.scenario.charge import _arrival_temperatures

    vehicles, _ = shipped_library()
    hw = dataclasses.replace(vehicles[0].thermal, ua=0.0)
    still = dataclasses.replace(vehicles[0], name="no-ua", thermal=hw)
    vehicles = [*vehicles, still]
    vi, _, _, _, ambient, code = _sessions(vehicles, vehicles, 50_000, seed=5)
    ambient = np.concatenate([ambient, celsius_to_kelvin(np.linspace(-40.0, 50.0, 91))])
    code = np.concatenate([code, np.full(91, -1.0)])
    vi = np.concatenate([vi, np.full(91, len(vehicles) - 1)])
    got = []
    for off in ("1", ""):
        monkeypatch.setenv("NEVCALC_NO_NUMBA", off)
        got.append(_arrival_temperatures(vehicles, vi, ambient, code))
    np.testing.assert_allclose(got[1], got[0], rtol=1e-14)
    moved = got[0] != ambient
    assert (got[0] > ambient).any() and (got[0] < ambient).any()  # heated and cooled
    assert 0.3 < moved.mean() < 0.9  # (none, or already at the target: the ambient)


def test_sessions_without_an_ambient_do_not_use_it(monkeypatch):
    vehicles, chargers = shipped_library()
    vi, ci, a, b, _, _ = _sessions(vehicles, chargers, 5_000, seed=4)
    slow, fast = _both_ways(monkeypatch, vehicles, chargers, vi, ci, a, b)
    for f in charging.ChargeSession._fields:
        np.testing.assert_array_equal(getattr(fast, f), getattr(slow, f), err_msg=f)
