"""The sweep's charging stage: many vehicle-charger pairs in one vectorised call give,
pair by pair, the answers of the single ``charge`` question, and a profile row does
not depend on the other rows marched with it."""

from __future__ import annotations

import functools

import numpy as np
import pytest

from nevcalc import catalog
from nevcalc.model import charging
from nevcalc.scenario import charge, load_charger, load_vehicle
from nevcalc.scenario.charge import (
    Charger,
    _pair_arrays,
    adhoc_vehicle,
    charge_table,
    no_charger,
    with_charger_power,
)


@functools.cache
def _library():
    vehicles = [load_vehicle(n) for _, n, _ in catalog.list_specs("vehicle")]
    # every chemistry at least once, in 400 V and 800 V packs (with and without booster)
    for k, (_, chem, _) in enumerate(catalog.list_specs("chemistry")):
        vehicles.append(adhoc_vehicle(60 + 10 * k, chem, 150 + 40 * k, 400, name=f"{chem}-400"))
        vehicles.append(
            adhoc_vehicle(90, chem, 400, 800, booster_power=50 if k % 2 else None,
                          name=f"{chem}-800")
        )  # fmt: skip
    chargers = [load_charger(n) for _, n, _ in catalog.list_specs("charger")]
    chargers += [
        no_charger(),
        Charger("ac-x", "AC x", "ac", 7.4e3, np.inf, np.inf, 0.0, 0.93),
        # a charger whose lowest output is above a 400 V pack's empty voltage: it waits
        Charger("hv-only", "HV only", "dc", 400e3, 600.0, 1000.0, 340.0, 0.95),
    ]
    return vehicles, chargers


def _pairs(n, seed):
    vehicles, chargers = _library()
    rng = np.random.default_rng(seed)
    vi = rng.integers(0, len(vehicles), n)
    ci = rng.integers(0, len(chargers), n)
    own = np.array([chargers[c].max_power for c in ci])
    drawn = np.exp(rng.uniform(np.log(3e3), np.log(1.2e6), n))
    power = np.where(rng.random(n) < 0.5, own, drawn)
    return vehicles, chargers, vi, ci, power


def test_table_equals_the_charge_answer_pair_by_pair():
    """Duration, powers, stop SoC and limit, feasibility, SoC and km after 5 min of each
    pair equal those of ``charge`` on that pair alone (same SoC steps)."""
    vehicles, chargers, vi, ci, power = _pairs(240, seed=7)
    table = charge_table(vehicles, chargers, vi, ci, power, soc_from=0.1, soc_to=0.8,
                         duration=300.0, steps=200)  # fmt: skip
    assert table["duration"].shape == (240,)
    feasible = 0
    for k in range(vi.size):
        ans = charge(vehicles[vi[k]], with_charger_power(chargers[ci[k]], power[k]), 0.1, 0.8,
                     minutes="5 min", steps=200)  # fmt: skip
        got = {f: table[f][k] for f in table}
        assert got["feasible"] == ans.feasible, k
        feasible += ans.feasible
        for f, want in (
            ("duration", ans.duration),
            ("peak_power", ans.peak_power),
            ("average_power", ans.average_power),
            ("charging_time", ans.charging_time),
            ("energy_to_battery", ans.energy_to_battery),
            ("energy_from_grid", ans.energy_from_grid),
            ("stop_soc", ans.soc_reached),
            ("soc_after", ans.soc_after),
            ("range_added", ans.range_added),
        ):
            assert got[f] == want or (np.isinf(want) and got[f] == want), (k, f, got[f], want)
        code = int(got["stop_limit"])
        assert (charging.LIMIT_NAMES[code] if code >= 0 else "") == ans.stop_limit, k
    # the draw covers both kinds of answer
    assert 0 < feasible < vi.size


def test_table_shape_follows_the_indices():
    vehicles, chargers, vi, ci, power = _pairs(24, seed=3)
    flat = charge_table(vehicles, chargers, vi, ci, power)
    grid = charge_table(vehicles, chargers, vi.reshape(4, 6), ci.reshape(4, 6),
                        power.reshape(4, 6))  # fmt: skip
    for f in flat:
        assert grid[f].shape == (4, 6)
        np.testing.assert_array_equal(grid[f].ravel(), flat[f])
    # the charger's own power when none is given
    own = charge_table(vehicles, chargers, vi, ci)
    mine = charge_table(vehicles, chargers, vi, ci, [chargers[c].max_power for c in ci])
    for f in own:
        np.testing.assert_array_equal(own[f], mine[f])


def _fields_equal(batch, alone, row):
    for f in charging.ChargeProfile._fields:
        if getattr(batch, f) is None:  # the thermal fields of a charge without them
            assert getattr(alone, f) is None, f
            continue
        x, y = np.asarray(getattr(batch, f))[row], np.asarray(getattr(alone, f))[0]
        np.testing.assert_array_equal(x, y, err_msg=f)


@pytest.mark.parametrize("seed", [0, 1])
def test_a_profile_row_does_not_depend_on_the_rows_marched_with_it(seed):
    """Rows with particle diffusion, rows that wait for the charger's lowest voltage,
    booster and AC rows, in one batch: each row is what it is alone."""
    vehicles, chargers, vi, ci, power = _pairs(60, seed=seed)
    cs = [with_charger_power(chargers[c], p) for c, p in zip(ci, power, strict=True)]
    vs = [vehicles[v] for v in vi]
    batch = charging.charge_profile(**_pair_arrays(vs, cs, range(60), range(60)), steps=200)
    for r in range(60):
        alone = charging.charge_profile(**_pair_arrays([vs[r]], [cs[r]], [0], [0]), steps=200)
        _fields_equal(batch, alone, r)


def test_waiting_row_next_to_a_diffusion_row_still_charges():
    """A pack that starts below the charger's lowest voltage waits, then charges: also
    when it is marched together with a chemistry that models particle diffusion."""
    lfp = adhoc_vehicle(60, "lfp", 150, 400, name="lfp-400")
    dif = adhoc_vehicle(60, "chen2020", 150, 400, name="chen-400")
    assert dif.diffusion_time > 0 and lfp.diffusion_time == 0
    hv = Charger("hv-only", "HV only", "dc", 400e3, 600.0, 1000.0, 340.0, 0.95)
    alone = charging.charge_profile(**_pair_arrays([lfp], [hv], [0], [0]), steps=200)
    assert alone.soc_min[0] > 0.0 and alone.stop_limit[0] == -1  # it waits, then charges
    both = charging.charge_profile(**_pair_arrays([dif, lfp], [hv], [0, 1], [0, 0]), steps=200)
    _fields_equal(both, alone, 1)
    s = charging.charge_session(both, 1, 0.5, 0.8)
    assert bool(s.feasible) and np.isfinite(s.duration)


def test_session_answers_do_not_depend_on_how_many_sessions_are_asked():
    """``soc_after_time`` counts in each session's own row when there are few sessions
    and searches the whole table when there are many; ``charge_session``'s peak power is
    a slice maximum when sessions share their window and a sparse table when they do
    not. Each way gives the same answers."""
    vehicles, chargers, vi, ci, power = _pairs(40, seed=11)
    cs = [with_charger_power(chargers[c], p) for c, p in zip(ci, power, strict=True)]
    prof = charging.charge_profile(
        **_pair_arrays([vehicles[v] for v in vi], cs, range(40), range(40)), steps=200
    )
    rows = np.arange(40)
    rng = np.random.default_rng(5)
    a = rng.uniform(0.0, 0.9, 40)
    d = rng.choice([0.0, 60.0, 300.0, 3600.0, 1e6, np.inf], 40)
    few = charging.soc_after_time(prof, rows, a, d)
    many = charging.soc_after_time(prof, np.tile(rows, 3), np.tile(a, 3), np.tile(d, 3))
    for k in range(3):
        np.testing.assert_array_equal(many[40 * k : 40 * (k + 1)], few)
    assert np.all((few >= a) & (few <= 1.0))
    # one shared window, and the same sessions among many windows
    b = np.minimum(a + 0.3, 1.0)
    shared = charging.charge_session(prof, rows, 0.1, 0.8)
    mixed = charging.charge_session(prof, np.tile(rows, 2), np.r_[np.full(40, 0.1), a],
                                    np.r_[np.full(40, 0.8), b])  # fmt: skip
    np.testing.assert_array_equal(mixed.peak_power[:40], shared.peak_power)
    for r in range(40):  # and against a plain maximum over the session's grid points
        alone = charging.charge_session(prof, r, a[r], b[r])
        assert mixed.peak_power[40 + r] == alone.peak_power
