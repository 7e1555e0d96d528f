"""Properties of every charge answer, across random valid vehicles (shipped and from
datasheet figures), chargers (shipped and made up, DC and AC) and SoC windows: the
answer is physical, its JSON is strict, and a charge that does not finish says where
and why in words its own numbers bear out."""

from __future__ import annotations

import functools
import json
import math
import re

import numpy as np
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from nevcalc import catalog
from nevcalc.report import charge_document
from nevcalc.scenario import charge, load_charger, load_vehicle
from nevcalc.scenario.charge import Charger, adhoc_vehicle, no_charger
from nevcalc.units import from_si
from tests.helpers import json_numbers as _numbers


@functools.cache
def _shipped(kind):
    load = load_vehicle if kind == "vehicle" else load_charger
    return tuple(load(name) for _, name, _ in catalog.list_specs(kind))


@functools.cache
def _chemistries():
    return tuple(name for _, name, _ in catalog.list_specs("chemistry"))


@st.composite
def vehicles(draw):
    if draw(st.booleans()):
        return draw(st.sampled_from(_shipped("vehicle")))
    return adhoc_vehicle(
        draw(st.floats(10, 250)),
        draw(st.sampled_from(_chemistries())),
        draw(st.floats(5, 1500)),
        draw(st.sampled_from([200, 400, 500, 800, 1000, 1200])),
        consumption=draw(st.none() | st.floats(8, 40)),
        max_current=draw(st.none() | st.floats(20, 2000)),
        booster_power=draw(st.none() | st.floats(1, 300)),
    )


@st.composite
def chargers(draw):
    kind = draw(st.sampled_from(["shipped", "dc", "ac", "none"]))
    if kind == "shipped":
        return draw(st.sampled_from(_shipped("charger")))
    if kind == "none":
        return no_charger()
    if kind == "ac":
        return Charger("ac-x", "AC x", "ac", draw(st.floats(1e3, 50e3)), np.inf, np.inf, 0.0,
                       draw(st.floats(0.8, 1.0)))  # fmt: skip
    vmax = draw(st.floats(200, 1500))
    return Charger(
        "dc-x", "DC x", "dc", draw(st.floats(5e3, 2e6)), draw(st.floats(20, 3000)), vmax,
        draw(st.floats(50, vmax)), draw(st.floats(0.8, 1.0)),
    )  # fmt: skip


@st.composite
def windows(draw):
    a = draw(st.floats(0.0, 0.99))
    b = draw(st.floats(a + 0.005, 1.0)) if a + 0.005 <= 1.0 else 1.0
    return a, b


def _pct(x):
    v = from_si(x, "%")  # as the answer converts (100 * 0.0225 is 2.2500000000000004)
    return f"{v:.0f} %" if abs(v - round(v)) < 0.05 else f"{v:.1f} %"


def check_reason(ans):
    """The reason states a condition the answer's own figures satisfy."""
    v, c, a, end = ans.vehicle, ans.charger, ans.soc_from, ans.soc_reached
    r = ans.reason
    if end > a:
        assert r.startswith(f"charging stops at {_pct(end)}:"), r
    else:
        assert r.startswith(f"charging cannot start at {_pct(a)}:"), r
    if ans.stop_limit == "charger voltage":
        assert not ans.booster and "no DC booster" in r
        if end > a:  # the charging voltage reached the charger's highest: the OCV is below it
            assert float(v.pack_voltage(end)) < c.max_voltage
        elif "above" in r:
            assert float(v.pack_voltage(a)) >= c.max_voltage
        else:
            assert "too close" in r and float(v.pack_voltage(a)) < c.max_voltage
    elif ans.stop_limit == "charger min voltage":
        assert end == a and float(v.pack_voltage(a)) < c.min_voltage
        m = re.search(r"can start from (\d+(?:\.\d)?) %", r)
        if m:
            assert float(m.group(1)) / 100 > a - 0.0005
        else:
            assert float(v.pack_voltage(1.0)) < c.min_voltage
    elif ans.stop_limit == "CV":
        assert f"{v.cell_voltage_max:.3g} V" in r
    else:
        # only a table limit can fall to zero; charger power and current, the inlet current
        # and the booster are positive constants here
        assert ans.stop_limit in ("vehicle power", "cell C-rate"), r
        assert "allows no current" in r


def check_answer(ans):
    a, b = ans.soc_from, ans.soc_to
    event(
        "finishes" if ans.feasible else f"stops: {ans.stop_limit}, started {ans.soc_reached > a}"
    )
    assert a <= ans.soc_reached <= b
    assert ans.feasible == (ans.soc_reached == b and math.isfinite(ans.duration))
    assert ans.duration >= 0
    assert math.isfinite(ans.charging_time) and ans.charging_time >= 0
    if ans.feasible:
        assert ans.charging_time == ans.duration and not ans.reason
    else:
        assert math.isinf(ans.duration) and ans.reason and ans.stop_limit
        check_reason(ans)
    for x in (ans.energy_to_battery, ans.energy_stored, ans.energy_from_grid,
              ans.average_power, ans.peak_power):  # fmt: skip
        assert math.isfinite(x) and x >= 0
    assert ans.energy_from_grid >= ans.energy_stored * (1 - 1e-12)
    assert ans.average_power <= ans.peak_power * (1 + 1e-9) + 1e-9
    # a charger's rating: AC drawn from the grid, DC delivered (the pack takes it)
    c = ans.charger
    if ans.charging_time > 0:
        if c.current_type == "ac":
            grid = ans.energy_from_grid / ans.charging_time
            assert grid <= min(c.max_power, ans.vehicle.onboard_charger_power) * (1 + 1e-9)
        else:
            assert ans.peak_power <= c.max_power * (1 + 1e-9)
    if ans.soc_reached > a:
        assert ans.charging_time > 0 and ans.energy_stored > 0
        assert ans.segments[0][0] == a and ans.segments[-1][1] == pytest.approx(ans.soc_reached)
        for s0, s1 in zip(ans.segments, ans.segments[1:], strict=False):
            assert s0[1] == s1[0]
    else:
        assert ans.charging_time == 0 and ans.energy_to_battery == 0 and ans.segments == []
    # the curve of the figure: from a to where it ends, ending at the session's time
    assert ans.soc[0] == a and ans.soc[-1] == ans.soc_reached
    assert np.all(np.diff(ans.time) >= 0) and np.all(ans.power >= 0)
    assert ans.time[-1] == pytest.approx(ans.charging_time, rel=1e-9, abs=1e-9)
    if ans.minutes is not None:
        assert a <= ans.soc_after <= 1.0 and ans.range_added >= 0
        if not ans.feasible:
            assert ans.soc_after <= ans.soc_reached + 1e-12
    if ans.distance is not None:
        assert ans.minutes_to_add >= 0
        assert math.isfinite(ans.minutes_to_add) or ans.add_reason
    doc = charge_document(ans)
    text = json.dumps(doc, allow_nan=False)
    assert "NaN" not in text and "Infinity" not in text
    assert all(x >= 0 for x in _numbers(doc)), doc
    if not ans.feasible:
        assert doc["duration"]["value"] is None and doc["reason"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(v=vehicles(), c=chargers(), w=windows(), minutes=st.none() | st.floats(0.1, 600),
       add=st.none() | st.floats(1, 2000))  # fmt: skip
def test_every_charge_answer_is_physical_and_explains_itself(v, c, w, minutes, add):
    a, b = w
    ans = charge(v, c, a, b, minutes=minutes, add_distance=add, steps=200)
    check_answer(ans)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(v=st.sampled_from(["byd-han-l", "byd-han-ev-2020", "kia-ev6-77", "lucid-air-gt"]),
       c=st.sampled_from(["tesla-v2", "tesla-v3", "ccs-50kw", "chademo-200a", "ac-11kw"]),
       w=windows())  # fmt: skip
def test_shipped_pairs_that_do_not_finish_say_where_and_why(v, c, w):
    """The pairs of the issue: 1000 V and 800 V packs on 400-500 V chargers, a booster
    car, AC; any window."""
    a, b = w
    ans = charge(load_vehicle(v), load_charger(c), a, b, minutes=5, add_distance=100)
    check_answer(ans)


@settings(max_examples=40, deadline=None)
@given(c=chargers(), w=windows(), t=st.floats(0.0, 1e6))
def test_sessions_of_one_profile_never_end_below_their_start(c, w, t):
    """The vectorised model: every session of a profile, also those starting above the
    SoC where the profile stops or below the charger's lowest voltage."""
    from nevcalc.model import charging
    from nevcalc.scenario.charge import _pair_arrays

    vs = list(_shipped("vehicle"))
    prof = charging.charge_profile(**_pair_arrays(vs, [c], range(len(vs)), [0] * len(vs)))
    rows = np.arange(len(vs))
    a, b = w
    s = charging.charge_session(prof, rows, a, b)
    assert np.all((s.stop_soc >= a) & (s.stop_soc <= b))
    assert np.all(s.feasible == (s.stop_soc == b) & np.isfinite(s.duration))
    for x in (s.charging_time, s.energy_to_battery, s.energy_stored, s.energy_from_grid,
              s.average_power, s.peak_power):  # fmt: skip
        assert np.all(np.isfinite(x) & (x >= 0))
    assert np.all(s.duration >= 0)
    after = charging.soc_after_time(prof, rows, a, t)
    assert np.all((after >= a) & (after <= 1.0))
    assert np.all(after[~s.feasible] <= s.stop_soc[~s.feasible] + 1e-12)


@settings(max_examples=6, deadline=None)
@given(v=vehicles(), c=chargers(), w=windows())
def test_any_charge_can_be_drawn(v, c, w):
    pytest.importorskip("matplotlib")
    import matplotlib.pyplot as plt

    from nevcalc.plot import charge_figure

    ans = charge(v, c, *w, minutes=10, add_distance=200, steps=200)
    fig = charge_figure(ans)
    plt.close(fig)
