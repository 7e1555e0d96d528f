"""The least-time charging stops of nevcalc.model.trip against brute force, a plain
Python dynamic program, the continuous optimum and the properties a trip time has."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from nevcalc.model.trip import curve_time, optimal_stops

pytestmark = pytest.mark.filterwarnings("error::RuntimeWarning")

#: SoC tolerance of the references [-] (the model's is 1e-9 of a grid step).
TOL = 1e-9


# --- references -------------------------------------------------------------------------


def _time(curve, soc):
    """Time from 0 to ``soc`` on ``curve`` by np.interp on its finite part; inf above it."""
    grid = np.linspace(0.0, 1.0, curve.size)
    top = int(np.isfinite(curve).sum()) - 1
    soc = np.asarray(soc, dtype=float)
    if top < 0:
        return np.full(soc.shape, np.inf)
    t = np.interp(soc, grid[: top + 1], curve[: top + 1])
    return np.where(soc <= grid[top] + TOL, t, np.inf)


def brute_force(leg, curves, charger, start, reserve, overhead, arrive_min):
    """Least time at stops over every plan: at each station pass (-1) or leave at each
    grid SoC. Returns (time, decisions) with time inf if no plan arrives everywhere."""
    k, g = len(leg) - 1, curves.shape[-1]
    grid = np.linspace(0.0, 1.0, g)
    plans = list(itertools.product(range(-1, g), repeat=k))  # no station: one empty plan
    plans = np.array(plans, dtype=int).reshape(len(plans), k)
    soc = np.full(len(plans), float(start))
    total = np.zeros(len(plans))
    ok = np.ones(len(plans), dtype=bool)
    for j in range(k):
        a = soc - leg[j]
        ok &= a >= reserve - TOL
        stop = plans[:, j] >= 0
        if charger[j] < 0:
            ok &= ~stop
            soc = a
            continue
        c = curves[charger[j]]
        s = grid[np.maximum(plans[:, j], 0)]
        ts, ta = _time(c, s), _time(c, a)
        usable = np.isfinite(ts) & np.isfinite(ta) & (s >= a - TOL)
        ok &= ~stop | usable
        charge = np.where(stop & usable, np.where(usable, ts, 0.0) - np.where(usable, ta, 0.0), 0)
        total += np.where(stop, overhead + charge, 0.0)
        soc = np.where(stop, s, a)
    ok &= soc - leg[k] >= arrive_min - TOL
    if not ok.any():
        return math.inf, None
    best = np.flatnonzero(ok)[np.argmin(total[ok])]
    return float(total[best]), plans[best]


def python_dp(leg, curves, charger, start, reserve, overhead, arrive_min):
    """The last-stop dynamic program for one car in plain Python (lists and floats)."""
    k, g = len(leg) - 1, len(curves[0])
    pos = [0.0]
    for e in leg:
        pos.append(pos[-1] + e)
    inf = math.inf

    def at(c, a):  # time on curve c at SoC a (inf above its last finite point)
        x = a * (g - 1)
        m = max(math.ceil(x - 1e-9), 0)
        if m > g - 1 or c[m] == inf:
            return inf
        r = min(max(m - x, 0.0), 1.0)
        return c[m] - r * (c[m] - c[max(m - 1, 0)])

    F = [None] * k
    for j in range(k):
        if charger[j] < 0:
            continue
        c = [float(v) for v in curves[charger[j]]]
        if c[0] == inf:
            continue
        cell = [inf] * g

        def add(a, value, c=c, cell=cell):
            if a < reserve - 1e-9 / (g - 1):
                return
            m = max(math.ceil(a * (g - 1) - 1e-9), 0)
            t = at(c, a)
            if m <= g - 1 and t < inf and value - t < cell[m]:
                cell[m] = value - t

        add(start - pos[j + 1], 0.0)
        for i in range(j):
            if F[i] is not None:
                for s in range(g):
                    if F[i][s] < inf:
                        add(s / (g - 1) - (pos[j + 1] - pos[i + 1]), F[i][s])
        run, F[j] = inf, []
        for m in range(g):
            run = min(run, cell[m])
            F[j].append(c[m] + run + overhead if c[m] < inf and run < inf else inf)

    def ends(soc, i):  # from node i at soc the car arrives at the last station and the end
        last = soc - (pos[k] - pos[i]) >= reserve - 1e-9 / (g - 1) if k else True
        return last and soc - (pos[k + 1] - pos[i]) >= arrive_min - 1e-9 / (g - 1)

    best = 0.0 if ends(start, 0) else inf
    for i in range(k):
        if F[i] is not None:
            for s in range(g):
                if ends(s / (g - 1), i + 1):
                    best = min(best, F[i][s])
    return best


def check_plan(plan, row, leg, curves, charger, start, reserve, overhead, arrive_min):
    """The plan of one car is a plan (arrivals above the reserve, leave on the grid and not
    below the arrival) and its stop times are what the curves say; returns its time."""
    k, g = len(leg) - 1, curves.shape[-1]
    soc, total = start, 0.0
    for j in range(k):
        a = soc - leg[j]
        assert a >= reserve - TOL
        assert plan.arrive[row][j] == pytest.approx(max(a, 0.0), abs=1e-12)
        if plan.stopped[row][j]:
            s = plan.leave[row][j]
            assert charger[j] >= 0 and s >= a - TOL
            assert abs(s * (g - 1) - round(s * (g - 1))) < 1e-9
            t = overhead + float(_time(curves[charger[j]], s) - _time(curves[charger[j]], a))
            assert plan.stop_time[row][j] == pytest.approx(t, rel=1e-9, abs=1e-6)
            total += t
            soc = s
        else:
            assert plan.stop_time[row][j] == 0 and plan.leave[row][j] == plan.arrive[row][j]
            soc = a
    assert soc - leg[k] >= arrive_min - TOL
    assert plan.arrive_end[row] == pytest.approx(max(soc - leg[k], 0.0), abs=1e-12)
    assert plan.charge_time[row] == pytest.approx(total, rel=1e-12, abs=1e-9)
    assert plan.stops[row] == plan.stopped[row].sum()
    return total


# --- random routes ---------------------------------------------------------------------


def random_curve(rng, g):
    """A charging curve on ``g`` points: convex (tapering), or any non-decreasing shape
    with flat cells, sometimes inf above a top SoC (or everywhere)."""
    kind = rng.integers(0, 3)
    if kind == 0:  # power falls with SoC: rising time per cell
        cells = np.sort(rng.uniform(100.0, 1500.0, g - 1))
    elif kind == 1:
        cells = rng.uniform(0.0, 2000.0, g - 1) * (rng.uniform(size=g - 1) > 0.2)
    else:  # constant power
        cells = np.full(g - 1, rng.uniform(100.0, 1000.0))
    curve = np.concatenate([[0.0], np.cumsum(cells)])
    u = rng.uniform()
    if u < 0.35:
        curve[rng.integers(1, g) :] = np.inf
    elif u < 0.4:
        curve[:] = np.inf
    return curve


def random_case(rng, k, g, c):
    """Legs, curves (c types), chargers, start, reserve, overhead, arrive_min."""
    step = 1.0 / (g - 1)
    if rng.uniform() < 0.3:  # on the grid: arrivals land on grid points exactly
        leg = rng.integers(0, 5, k + 1) * step
    else:
        leg = rng.uniform(0.0, 0.55, k + 1) * (rng.uniform(size=k + 1) > 0.1)
    curves = np.stack([random_curve(rng, g) for _ in range(c)])
    charger = rng.integers(-1, c, k) if rng.uniform() < 0.5 else rng.integers(0, c, k)
    start = rng.choice([1.0, 0.8, rng.uniform(0.2, 1.0), rng.integers(0, g) * step])
    reserve = rng.choice([0.0, 0.1, rng.uniform(0.0, 0.3)])
    overhead = rng.choice([0.0, 300.0, rng.uniform(0.0, 900.0)])
    arrive_min = rng.choice([reserve, rng.uniform(0.0, 0.5)])
    return leg, curves, charger, start, reserve, overhead, arrive_min


def _batch(rng, rows, k, g, c):
    """``rows`` random cars on one station layout (the chargers are shared)."""
    cases = [random_case(rng, k, g, c) for _ in range(rows)]
    charger = cases[0][2]
    cases = [(x[0], x[1], charger, *x[3:]) for x in cases]
    return cases, [np.array([x[i] for x in cases]) for i in (0, 1, 3, 4, 5, 6)]


# --- exactness -------------------------------------------------------------------------


@pytest.mark.parametrize(("g", "kmax"), [(6, 6), (11, 4)])
def test_the_plan_is_the_brute_force_optimum_on_small_routes(g, kmax):
    """Every combination of pass / leave at each grid SoC at every station, on 240 random
    routes of 0 to ``kmax`` stations per grid (convex and other curves, unreachable SoCs,
    stations without a charger, infeasible trips, arrivals exactly on grid points)."""
    rng = np.random.default_rng(g)
    checked = {True: 0, False: 0}
    for _ in range(30):
        k = int(rng.integers(0, kmax + 1))
        cases, (leg, curves, start, reserve, overhead, arrive_min) = _batch(rng, 8, k, g, 3)
        plan = optimal_stops(leg, curves, cases[0][2], start, reserve, overhead, arrive_min)
        for row, case in enumerate(cases):
            best, _ = brute_force(*case)
            assert plan.feasible[row] == np.isfinite(best)
            checked[bool(plan.feasible[row])] += 1
            if np.isfinite(best):
                total = check_plan(plan, row, *case)
                assert total == pytest.approx(best, rel=1e-9, abs=1e-6)
            else:
                assert plan.charge_time[row] == np.inf and plan.stops[row] == 0
    assert min(checked.values()) >= 20, checked  # both kinds of answer were tested


def test_the_plain_python_program_agrees_with_brute_force_and_the_arrays():
    rng = np.random.default_rng(5)
    for _ in range(40):
        k = int(rng.integers(0, 6))
        cases, (leg, curves, start, reserve, overhead, arrive_min) = _batch(rng, 4, k, 6, 2)
        plan = optimal_stops(leg, curves, cases[0][2], start, reserve, overhead, arrive_min)
        for row, case in enumerate(cases):
            ref = python_dp(*case)
            assert ref == pytest.approx(brute_force(*case)[0], rel=1e-9, abs=1e-6)
            assert plan.charge_time[row] == pytest.approx(ref, rel=1e-9, abs=1e-6)


def test_blocks_threads_and_broadcasting_give_the_same_plans():
    """1,100 cars (three blocks) on two threads, one at a time, and a shared curve."""
    rng = np.random.default_rng(11)
    cases, (leg, curves, start, reserve, overhead, arrive_min) = _batch(rng, 1100, 5, 11, 2)
    charger = cases[0][2]
    many = optimal_stops(leg, curves, charger, start, reserve, overhead, arrive_min, threads=2)
    for row in range(0, 1100, 97):
        one = optimal_stops(leg[row], curves[row], charger, start[row], reserve[row],
                            overhead[row], arrive_min[row])  # fmt: skip
        for a, b in zip(one, many, strict=True):
            np.testing.assert_array_equal(a, b[row])
    shared = optimal_stops(leg, curves[0], charger, start, reserve, overhead, arrive_min)
    copied = optimal_stops(leg, np.broadcast_to(curves[0], curves.shape), charger, start,
                           reserve, overhead, arrive_min)  # fmt: skip
    for a, b in zip(shared, copied, strict=True):
        np.testing.assert_array_equal(a, b)
    grid = optimal_stops(leg.reshape(2, 550, -1), curves[0], charger, start.reshape(2, 550),
                         reserve.reshape(2, 550), 300.0)  # fmt: skip
    assert grid.charge_time.shape == (2, 550) and grid.arrive.shape == (2, 550, 5)


def test_no_nan_and_infeasible_cars_are_reported_as_such():
    rng = np.random.default_rng(3)
    cases, (leg, curves, start, reserve, overhead, arrive_min) = _batch(rng, 2000, 6, 21, 3)
    plan = optimal_stops(leg, curves, cases[0][2], start, reserve, overhead, arrive_min)
    assert 100 < plan.feasible.sum() < 1900
    for name in ("arrive", "leave", "stop_time", "arrive_end", "stops"):
        x = getattr(plan, name)
        assert np.all(np.isfinite(x)) and np.all(x >= 0), name
    ok = plan.feasible
    assert np.all(np.isfinite(plan.charge_time[ok])) and np.all(plan.charge_time[~ok] == np.inf)
    assert np.all((plan.infeasible_at == -1) == ok)
    assert np.all((plan.infeasible_at[~ok] >= 0) & (plan.infeasible_at[~ok] <= 6))
    assert not plan.stopped[~ok].any() and not plan.arrive[~ok].any()
    np.testing.assert_allclose(plan.charge_time[ok], plan.stop_time[ok].sum(axis=1))


# --- the grid --------------------------------------------------------------------------


def test_a_finer_grid_never_costs_more_when_it_holds_the_coarse_one():
    """Curves linear between the points of an 11-point grid are the same curves on 21,
    41, 81 and 161 points, which hold every plan of the coarser grid."""
    rng = np.random.default_rng(21)
    k = 5
    cases, (leg, coarse, start, reserve, overhead, arrive_min) = _batch(rng, 300, k, 11, 2)
    top = (np.isfinite(coarse).sum(axis=-1) - 1) / 10  # the highest SoC reached
    previous = None
    for g in (11, 21, 41, 81, 161):
        grid = np.linspace(0.0, 1.0, g)
        fine = np.stack([[np.interp(grid, np.linspace(0, 1, 11), np.where(np.isfinite(c), c, 0))
                          for c in car] for car in coarse])  # fmt: skip
        fine[grid > top[..., None] + 1e-9] = np.inf
        plan = optimal_stops(leg, fine, cases[0][2], start, reserve, overhead, arrive_min)
        if previous is not None:
            feasible = np.isfinite(previous)
            assert np.all(plan.charge_time[feasible] <= previous[feasible] * (1 + 1e-12) + 1e-9)
        previous = plan.charge_time
    assert np.isfinite(previous).sum() > 100


def _taper(soc, energy=75 * 3.6e6, peak=250e3, knee=0.5):
    """Time from 0 to ``soc`` [s] at peak power to ``knee``, then power falling linearly
    to 10 % of peak at SoC 1 (integrated in closed form)."""
    soc = np.asarray(soc, dtype=float)
    flat = np.minimum(soc, knee) * energy / peak
    # P(s) = peak (1 - 0.9 (s - knee) / (1 - knee)) above the knee
    slope = 0.9 / (1 - knee)
    x = np.maximum(soc - knee, 0.0)
    return flat - energy / (peak * slope) * np.log(1 - slope * x)


def test_refining_the_grid_converges_to_the_continuous_optimum():
    """One stop needed: arrive with 40 %, need 83 % to finish with 10 %. The continuous
    optimum charges 40 -> 83 %; the grid's leave SoC rounds up by less than a step."""
    exact = 300.0 + float(_taper(0.83) - _taper(0.40))
    errors = []
    for g in (11, 21, 41, 81, 161, 321, 641):
        curve = _taper(np.linspace(0.0, 1.0, g))
        plan = optimal_stops([0.6, 0.73], [curve], [0], 1.0, 0.1, 300.0)
        err = float(plan.charge_time) - exact
        # the interpolated arrival time of a convex curve is at most its chord's error
        assert -1.0 < err <= float(_taper(0.83 + 1 / (g - 1)) - _taper(0.83)) + 1e-6
        errors.append(abs(err))
    # nested grids: the time never grows and comes within seconds of the optimum
    assert errors[-1] < 5.0 and errors[-1] < errors[0] / 20
    assert all(b <= a + 1e-9 for a, b in itertools.pairwise(errors)), errors


def test_refining_the_grid_converges_on_a_long_route():
    """A 1000 km trip with several stops: each halving of the grid step brings the time
    nearer to that on a grid of 2561 points, and 1 % steps come within a minute of it."""
    values = []
    for g in (11, 21, 41, 81, 161, 321, 641, 2561):
        curve = _taper(np.linspace(0.0, 1.0, g), peak=150e3)
        plan = optimal_stops(np.r_[np.full(16, 0.16), 0.107], [curve], [0] * 16, 0.9, 0.1,
                             300.0)  # fmt: skip
        values.append(float(plan.charge_time))
    off = np.abs(np.array(values[:-1]) - values[-1])
    assert np.all(np.diff(off) <= 1e-6) and off[0] > 60.0, values
    assert off[3] < 60.0 and off[-1] < 5.0, values


# --- properties ------------------------------------------------------------------------


def _plans(rng, rows=400, k=6, g=21):
    cases, arrays = _batch(rng, rows, k, g, 2)
    return cases[0][2], arrays


def test_faster_charging_never_lengthens_a_trip():
    """Every cell of the curve no slower and the top SoC no lower."""
    rng = np.random.default_rng(31)
    charger, (leg, curves, start, reserve, overhead, arrive_min) = _plans(rng)
    g = curves.shape[-1]
    point = np.arange(g)
    top = np.isfinite(curves).sum(axis=-1)[..., None]  # points reached before
    cells = np.diff(np.where(np.isfinite(curves), curves, 0.0), axis=-1)
    cells *= rng.uniform(0.2, 1.0, cells.shape)
    cells[point[1:] >= top] = 60.0  # cells above the old top: reached now
    faster = np.concatenate([np.zeros((*cells.shape[:-1], 1)), np.cumsum(cells, -1)], -1)
    faster[point >= top + rng.integers(0, 3, top.shape)] = np.inf
    slow = optimal_stops(leg, curves, charger, start, reserve, overhead, arrive_min)
    fast = optimal_stops(leg, faster, charger, start, reserve, overhead, arrive_min)
    assert np.all(fast.feasible >= slow.feasible)
    ok = slow.feasible
    assert np.all(fast.charge_time[ok] <= slow.charge_time[ok] + 1e-6)
    assert np.any(fast.charge_time[ok] < slow.charge_time[ok] - 1.0)


def test_a_denser_network_never_lengthens_a_trip():
    """A station put into a random leg, at a random point of it."""
    rng = np.random.default_rng(32)
    charger, (leg, curves, start, reserve, overhead, arrive_min) = _plans(rng)
    for _ in range(3):
        at = int(rng.integers(0, leg.shape[1]))
        part = rng.uniform(0.0, 1.0, leg.shape[0]) * leg[:, at]
        denser = np.concatenate([leg[:, :at], part[:, None], (leg[:, at] - part)[:, None],
                                 leg[:, at + 1 :]], axis=1)  # fmt: skip
        new = np.insert(charger, at, rng.integers(0, curves.shape[1]))
        sparse = optimal_stops(leg, curves, charger, start, reserve, overhead, arrive_min)
        dense = optimal_stops(denser, curves, new, start, reserve, overhead, arrive_min)
        assert np.all(dense.feasible >= sparse.feasible)
        ok = sparse.feasible
        assert np.all(dense.charge_time[ok] <= sparse.charge_time[ok] + 1e-6)
        assert dense.feasible.sum() > sparse.feasible.sum() or np.any(
            dense.charge_time[ok] < sparse.charge_time[ok] - 1.0
        )
        leg, charger = denser, new


def test_starting_fuller_never_lengthens_a_trip():
    rng = np.random.default_rng(33)
    charger, (leg, curves, start, reserve, overhead, arrive_min) = _plans(rng)
    fuller = start + rng.uniform(0.0, 1.0, start.shape) * (1.0 - start)
    low = optimal_stops(leg, curves, charger, start, reserve, overhead, arrive_min)
    high = optimal_stops(leg, curves, charger, fuller, reserve, overhead, arrive_min)
    assert np.all(high.feasible >= low.feasible)
    ok = low.feasible
    assert np.all(high.charge_time[ok] <= low.charge_time[ok] + 1e-6)
    assert np.any(high.charge_time[ok] < low.charge_time[ok] - 1.0)


def test_a_longer_last_leg_never_shortens_a_trip():
    rng = np.random.default_rng(34)
    charger, (leg, curves, start, reserve, overhead, arrive_min) = _plans(rng)
    longer = leg.copy()
    longer[:, -1] += rng.uniform(0.0, 0.3, leg.shape[0])
    short = optimal_stops(leg, curves, charger, start, reserve, overhead, arrive_min)
    long = optimal_stops(longer, curves, charger, start, reserve, overhead, arrive_min)
    assert np.all(long.feasible <= short.feasible)
    ok = long.feasible
    assert np.all(long.charge_time[ok] >= short.charge_time[ok] - 1e-6)
    assert np.any(long.charge_time[ok] > short.charge_time[ok] + 1.0)


# --- infeasible trips ------------------------------------------------------------------


def test_a_gap_longer_than_a_full_charge_is_reported_at_its_leg():
    """Legs of 30 % with a station after each; one leg of 95 % (more than the 90 % a full
    charge gives above a 10 % reserve) makes the trip infeasible there."""
    curve = np.linspace(0.0, 3600.0, 101)
    for bad in range(6):
        leg = np.full(6, 0.3)
        leg[bad] = 0.95
        plan = optimal_stops(leg, [curve], [0] * 5, 1.0, 0.1, 300.0)
        assert not plan.feasible and plan.infeasible_at == bad
        assert plan.charge_time == np.inf and plan.stops == 0
    leg[bad] = 0.9  # exactly a full charge above the reserve: feasible
    plan = optimal_stops(leg, [curve], [0] * 5, 1.0, 0.1, 300.0)
    assert plan.feasible and plan.infeasible_at == -1


def test_a_charger_that_stops_early_or_a_missing_charger_is_reported_at_the_right_leg():
    curve = np.linspace(0.0, 3600.0, 101)
    to80 = np.where(np.linspace(0, 1, 101) <= 0.8 + 1e-9, curve, np.inf)
    leg = [0.3, 0.3, 0.75, 0.2]
    # from 80 % a 75 % leg leaves 5 %: below the reserve
    plan = optimal_stops(leg, [curve, to80], [0, 1, 1], 1.0, 0.1, 300.0)
    assert plan.infeasible_at == 2
    assert optimal_stops(leg, [curve, to80], [0, 0, 1], 1.0, 0.1, 300.0).feasible
    plan = optimal_stops(leg, [curve, to80], [0, -1, 1], 1.0, 0.1, 300.0)
    assert plan.infeasible_at == 2
    # a start too low for the first leg
    plan = optimal_stops(leg, [curve], [0, 0, 0], 0.35, 0.1, 300.0)
    assert not plan.feasible and plan.infeasible_at == 0
    # a destination minimum no station's charge can give
    plan = optimal_stops(leg, [curve], [0, 0, 0], 1.0, 0.1, 300.0, arrive_min=0.85)
    assert plan.infeasible_at == 3


def test_a_route_without_stations_and_a_plan_by_hand():
    assert optimal_stops([0.7], np.zeros((1, 11)), np.zeros(0, int)).charge_time == 0.0
    plan = optimal_stops([0.95], np.zeros((1, 11)), np.zeros(0, int), 1.0, 0.1)
    assert not plan.feasible and plan.infeasible_at == 0
    # 300 s per 10 % below 50 %, 600 s above; legs of 55, 55 and 40 %, two stations.
    # Passing the first arrives at -10 %; one stop there to 100 % arrives with 5 %. Two
    # stops: the charge adds to 60 % (y + 0.1 with y >= 50 % left at the second); to
    # reach the second with 10 % the first leaves at 70 % (65 % is off the grid):
    # 45 -> 70 % takes 150 + 1200 s, then 15 -> 50 % 1050 s (80 % at the first: 2700 s)
    curve = np.cumsum([0.0] + [300.0] * 5 + [600.0] * 5)
    plan = optimal_stops([0.55, 0.55, 0.4], [curve], [0, 0], 1.0, 0.1, 600.0)
    assert plan.stops == 2 and plan.charge_time == pytest.approx(2 * 600 + 1350 + 1050)
    np.testing.assert_allclose(plan.leave, [0.7, 0.5])
    np.testing.assert_allclose(plan.arrive, [0.45, 0.15])


def test_an_empty_batch_gives_empty_answers():
    plan = optimal_stops(np.zeros((0, 3)), np.zeros((1, 11)), [0, 0])
    assert plan.charge_time.shape == (0,) and plan.arrive.shape == (0, 2)
    assert plan.stops.dtype == plan.infeasible_at.dtype == np.intp


def test_curve_time_interpolates_and_is_inf_above_the_top_never_nan():
    curve = np.array([0.0, 100.0, 300.0, np.inf, np.inf])
    np.testing.assert_array_equal(curve_time(curve, [0.0, 0.25, 0.375, 0.5, 0.5 + 1e-12]),
                                  [0.0, 100.0, 200.0, 300.0, 300.0])  # fmt: skip
    assert curve_time(curve, 0.6) == np.inf and curve_time(curve, 1.0) == np.inf
    assert curve_time(np.full(5, np.inf), 0.0) == np.inf


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"leg": [0.2, -0.1]}, "leg"),
        ({"leg": [0.2, np.nan]}, "leg"),
        ({"curve": [[0.0, 2.0, 1.0]]}, "non-decreasing"),
        ({"curve": [[0.0, np.nan, 1.0]]}, "NaN"),
        ({"curve": [[0.0, 1.0]]}, None),
        ({"station_charger": [1]}, "station_charger"),
        ({"station_charger": [0, 0]}, "station_charger"),
        ({"station_charger": [0.5]}, "station_charger"),
        ({"start": 1.2}, "start"),
        ({"reserve": -0.1}, "reserve"),
        ({"arrive_min": np.nan}, "arrive_min"),
        ({"overhead": np.inf}, "overhead"),
        ({"leg": [[0.2, 0.1]] * 3, "start": [1.0, 0.9]}, "broadcast"),
    ],
)
def test_bad_input_is_a_value_error_that_names_it(kwargs, match):
    args = {"leg": [0.2, 0.1], "curve": [[0.0, 1.0, 2.0]], "station_charger": [0]} | kwargs
    if match is None:
        assert optimal_stops(**args).feasible
        return
    with pytest.raises(ValueError, match=match):
        optimal_stops(**args)


# --- the benchmark's fleet -------------------------------------------------------------


def fleet(n, seed=0, g=101):
    """``n`` cars on a 1000 km route with a 350 kW station every 60 km (16 stations).

    Usable energy 50-100 kWh, 17-26 kWh/100 km at motorway speed (60 km = 10-31 % SoC),
    peak 100-350 kW held to a knee at 40-70 % and falling linearly to 10 % of peak at
    100 %, capped at the charger's 350 kW. Returns (leg, curve, station_charger).
    """
    rng = np.random.default_rng(seed)
    energy = rng.uniform(50.0, 100.0, n) * 3.6e6
    use = rng.uniform(0.17, 0.26, n) * 3.6e6 / 1e3  # [J/m]
    km = np.r_[np.full(16, 60.0), 40.0]
    leg = km * 1e3 * (use / energy)[:, None]
    soc = np.linspace(0.0, 1.0, g)
    peak, knee = rng.uniform(100e3, 350e3, n)[:, None], rng.uniform(0.4, 0.7, n)[:, None]
    power = np.minimum(peak * np.clip(1 - 0.9 * (soc - knee) / (1 - knee), 0.1, 1.0), 350e3)
    mid = 0.5 * (1 / power[:, 1:] + 1 / power[:, :-1])
    cells = energy[:, None] * np.diff(soc) * mid
    curve = np.concatenate([np.zeros((n, 1)), np.cumsum(cells, axis=1)], axis=1)
    return leg, curve[:, None, :], np.zeros(16, dtype=int)


def test_the_fleet_route_plans_agree_with_the_plain_python_program():
    leg, curve, charger = fleet(12, seed=4)
    plan = optimal_stops(leg, curve, charger, 0.9, 0.1, 300.0)
    assert plan.feasible.all() and np.all(plan.stops >= 1)
    for row in range(12):
        ref = python_dp(leg[row], curve[row], charger, 0.9, 0.1, 300.0, 0.1)
        assert plan.charge_time[row] == pytest.approx(ref, rel=1e-9)
