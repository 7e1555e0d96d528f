"""Trips: the motorway trace, charging curves, the trip stage and the explained answer."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from nevcalc.cycles import load_cycle
from nevcalc.evaluate import TRIP_POINTS, trip_stage
from nevcalc.routes import adhoc_route, load_route
from nevcalc.scenario.charge import charge, charge_curves, load_charger, load_vehicle
from nevcalc.scenario.road import load_road_vehicle, procedure_consumption, trace_consumption
from nevcalc.scenario.trip import motorway_trace, route_consumption, trip

CARS = ["kia-ev6-77", "byd-han-l", "tesla-model-3-lr-2019", "nissan-leaf-40", "vw-id4-77"]


def _reference_plan(leg, curve, start, reserve, overhead):
    """Least time at stops by a plain dynamic programme over (last stop, leave SoC), every
    pair of states compared, one charger on every station: the definition, written out."""
    g = curve.size
    grid = np.linspace(0.0, 1.0, g)

    def at(s):  # linear between grid points, inf above the last finite one
        p = min(max(s, 0.0), 1.0) * (g - 1)
        m = min(max(math.ceil(p - 1e-9), 0), g - 1)
        hi, lo = curve[m], curve[max(m - 1, 0)]
        return math.inf if not math.isfinite(hi) else hi - (m - p) * (hi - lo)

    k = len(leg) - 1
    cum = np.concatenate([[0.0], np.cumsum(leg)])
    best = [dict() for _ in range(k + 1)]  # node 0: the origin; node j: station j - 1
    best[0][start] = 0.0
    for j in range(1, k + 1):
        for i in range(j):
            for s, cost in best[i].items():
                a = s - (cum[j] - cum[i])
                if a < reserve - 1e-12 or not math.isfinite(at(a)):
                    continue
                for x in grid[grid >= a - 1e-9]:
                    v = cost + overhead + at(x) - at(a)
                    if math.isfinite(v) and v < best[j].get(x, math.inf):
                        best[j][x] = v
    end = math.inf
    for i in range(k + 1):
        for s, cost in best[i].items():
            if s - (cum[k + 1] - cum[i]) >= reserve - 1e-12:
                end = min(end, cost)
    return end


def test_the_motorway_trace_is_measured_driving_at_the_asked_mean():
    t, v = motorway_trace(110 / 3.6)
    assert np.trapezoid(v, t) / t[-1] == pytest.approx(110 / 3.6, rel=1e-12)
    assert v.min() > 0.0 and np.std(v) > 1.0  # no standstill, real speed changes
    c = load_cycle("cadc-motorway-130")
    assert t[-1] < c.time[-1]  # the cruise only: no standing start


def test_trace_consumption_is_the_procedure_model_on_the_same_trace():
    v = load_road_vehicle("kia-ev6-77")
    c = load_cycle("hwfet")
    want = procedure_consumption(v, "hwfet")["consumption"]
    assert trace_consumption(v, c.time, c.speed, c.grade) == pytest.approx(want, rel=1e-12)


def test_consumption_rises_with_speed_and_in_the_cold():
    v = load_road_vehicle("vw-id4-77")
    base = adhoc_route(distance="500 km", speed="90 km/h")
    got = [route_consumption(v, None, adhoc_route(base, speed=s))[0] for s in (90, 110, 130)]
    assert got[0] < got[1] < got[2]
    cold = route_consumption(v, None, adhoc_route(base, speed=110, ambient="-10 degC"))[0]
    assert cold > got[1]


@pytest.mark.parametrize("name", ["kia-ev6-77", "byd-han-l"])
def test_curves_are_the_charge_from_zero_on_the_same_march(name):
    v, c = load_vehicle(name), load_charger("ionity-350")
    cur = charge_curves([v], [c], 0, 0, TRIP_POINTS)
    for b in (0.2, 0.5, 0.8):
        want = charge(v, c, 0.0, b).duration
        assert cur["time"][round(b * 100)] == pytest.approx(want, rel=1e-12)


def test_curves_at_an_ambient_take_the_arrival_state():
    v, c = load_vehicle("kia-ev6-77"), load_charger("ionity-350")
    mild = charge_curves([v], [c], 0, 0)["time"][80]
    cold = charge_curves([v], [c], 0, 0, ambient=253.15, precondition=0.0)["time"][80]
    # an hour of heating: the 5 kW heater takes the pack from -20 to its 25 degC target in
    # 51 min (on arrival, the navigation's 30 min, it reaches 7 degC only)
    warmed = charge_curves([v], [c], 0, 0, ambient=253.15, precondition=3600.0)["time"][80]
    # a pack warmed to 25 degC warms further on its own losses: near the table's 25 degC
    assert cold > 1.2 * warmed and warmed == pytest.approx(mild, rel=0.05)


@pytest.fixture(scope="module")
def motorway():
    return load_route("motorway-1000")


def test_the_plan_is_the_least_time_of_a_plain_programme():
    route = adhoc_route(distance="760 km", speed="120 km/h", chargers="ionity-350 every 75 km")
    v = load_vehicle("kia-ev6-77")
    got = trip_stage([v], [720.0], route)  # 20 kWh/100 km: 152 kWh over the route
    assert got["stops"][0] >= 2
    want = _reference_plan(got["leg"][0], got["curves"]["time"][0, 0], route.start_soc,
                           route.reserve, route.stop_overhead)  # fmt: skip
    assert got["stop_time"][0] == pytest.approx(want, rel=1e-9)


def test_rows_of_many_cars_are_the_single_answers(motorway):
    vehicles = [load_vehicle(n) for n in CARS]
    roads = [load_road_vehicle(n) for n in CARS]
    cons = [route_consumption(r, v, motorway)[0] for r, v in zip(roads, vehicles, strict=True)]
    many = trip_stage(vehicles, cons, motorway)
    for k, (v, r) in enumerate(zip(vehicles, roads, strict=True)):
        one = trip(v, r, motorway)
        assert one.total_time == many["total_time"][k]
        assert len(one.stops) == many["stops"][k]
        assert one.energy_from_grid == many["energy_from_grid"][k]


@pytest.mark.parametrize("name", CARS)
def test_an_answer_adds_up_and_keeps_the_reserve(name, motorway):
    ans = trip(load_vehicle(name), load_road_vehicle(name), motorway)
    assert ans.feasible
    assert ans.total_time == pytest.approx(ans.drive_time + ans.stop_time, rel=1e-12)
    assert sum(s.time for s in ans.stops) == pytest.approx(ans.stop_time, rel=1e-9)
    assert ans.drive_time == pytest.approx(motorway.distance / motorway.speed)
    soc = ans.profile["soc"]
    assert soc.min() >= motorway.reserve - 1e-9 and ans.arrive_end >= motorway.reserve - 1e-9
    for s in ans.stops:
        assert motorway.reserve - 1e-9 <= s.arrive < s.leave <= 1.0
        assert s.time >= motorway.stop_overhead and s.average_power > 0 and s.limit
    # the energy the plan puts in is what the drive used beyond the start's margin
    added = sum(s.leave - s.arrive for s in ans.stops)
    used = ans.energy_used / ans.vehicle.usable_energy
    assert motorway.start_soc + added - used == pytest.approx(ans.arrive_end, abs=1e-9)


def _total(name, route):
    return trip(load_vehicle(name), load_road_vehicle(name), route).total_time


@pytest.mark.parametrize("name", ["kia-ev6-77", "nissan-leaf-40"])
def test_a_denser_network_longer_trip_or_emptier_start_never_helps(name):
    base = adhoc_route(distance="800 km", speed="120 km/h", chargers="ionity-350 every 120 km")
    denser = adhoc_route(base, chargers="ionity-350 every 60 km")  # a superset of stations
    assert _total(name, denser) <= _total(name, base)
    assert _total(name, adhoc_route(base, distance="900 km")) >= _total(name, base)
    assert _total(name, adhoc_route(base, start_soc="80%")) >= _total(name, base)


def test_more_charger_power_never_lengthens_a_trip(tmp_path):
    strong = tmp_path / "ionity-500.toml"
    strong.write_text(
        'kind = "charger"\ntitle = "x"\nextends = "ionity-350"\n'
        'max_power = { value = "500 kW", source = "s", kind = "assumed" }\n'
        'max_current = { value = "600 A", source = "s", kind = "assumed" }\n'
    )
    weak = adhoc_route(distance="900 km", speed="120 km/h", chargers="ionity-350 every 75 km")
    more = adhoc_route(weak, chargers=f"{strong} every 75 km")
    for name in ("kia-ev6-77", "porsche-taycan-2024"):  # equal where the car takes no more
        assert _total(name, more) <= _total(name, weak) * (1 + 1e-9)


def test_a_gap_too_long_is_an_answer_that_says_where():
    route = adhoc_route(distance="900 km", speed="120 km/h",
                        stations="100 km ionity-350; 600 km ionity-350")  # fmt: skip
    ans = trip(load_vehicle("kia-ev6-77"), load_road_vehicle("kia-ev6-77"), route)
    assert not ans.feasible and ans.stops == ()
    assert "500 km from the station at 100 km to the station at 600 km" in ans.reason
    assert math.isinf(ans.total_time)
    from nevcalc.report import trip_document

    doc = json.loads(json.dumps(trip_document(ans), allow_nan=False))
    assert doc["total_time"]["value"] is None and doc["total_time"]["reason"]


def test_km_in_20_minutes_is_the_charge_from_ten_percent(motorway):
    v, r = load_vehicle("kia-ev6-77"), load_road_vehicle("kia-ev6-77")
    ans = trip(v, r, motorway)
    after = charge(v, load_charger("ionity-350"), 0.1, 0.9, minutes=20).soc_after
    # the curve from 0 % and a march from 10 % at rest differ by the RC branch's start
    assert ans.km_in_20min == pytest.approx((after - 0.1) * v.usable_energy / ans.consumption,
                                            rel=0.01)  # fmt: skip


def test_winter_is_slower_and_preconditioning_helps():
    name = "kia-ev6-77"
    v, r = load_vehicle(name), load_road_vehicle(name)
    mild = trip(v, r, load_route("motorway-1000"))
    winter = load_route("winter-motorway-1000")
    warmed = trip(v, r, winter, precondition="on-arrival")
    soaked = trip(v, r, winter, precondition="none")
    assert mild.total_time < warmed.total_time <= soaked.total_time
    assert warmed.consumption > mild.consumption


def test_a_heat_pump_and_a_cooler_cabin_lower_winter_consumption_and_trip_time():
    """At -10 degC the cabin's heat is the largest extra load: a heat pump delivers it for
    less electricity and a cooler set point needs less of it; neither changes the drive in
    mild air, where a route refuses nothing but has no cabin climate to change."""
    name = "vw-id4-77"
    v, r = load_vehicle(name), load_road_vehicle(name)
    winter = load_route("winter-motorway-1000")
    resistive = adhoc_route(winter, heat_pump=False)
    pump = adhoc_route(winter, heat_pump=True)
    cool = adhoc_route(winter, heat_pump=False, cabin="17 degC")
    c_res, c_pump, c_cool = (route_consumption(r, v, x)[0] for x in (resistive, pump, cool))
    assert c_pump < c_res and c_cool < c_res
    a_res, a_pump = trip(v, r, resistive), trip(v, r, pump)
    assert a_pump.total_time <= a_res.total_time
    assert a_pump.energy_used < a_res.energy_used
    mild = load_route("motorway-1000")
    assert (
        route_consumption(r, v, adhoc_route(mild, heat_pump=True, cabin="17 degC"))[0]
        == (route_consumption(r, v, mild)[0])
    )


def test_the_route_heat_pump_heats_the_packs_too():
    """Preconditioning for the stops draws the heat over the pump's COP: less grid energy,
    the same charging times."""
    name = "kia-ev6-77"
    v, r = load_vehicle(name), load_road_vehicle(name)
    winter = load_route("winter-motorway-1000")
    cons = route_consumption(r, v, winter)[0]
    got = {
        hp: trip_stage([v], [cons], adhoc_route(winter, heat_pump=hp), precondition="on-arrival")
        for hp in (False, True)
    }
    np.testing.assert_array_equal(got[True]["curves"]["time"], got[False]["curves"]["time"])
    assert np.all(got[True]["curves"]["warmup_energy"] <= got[False]["curves"]["warmup_energy"])


def test_trip_answer_prints_one_line_and_a_table():
    from dataclasses import replace

    from tests.helpers import check_escaped, check_html, check_repr

    ans = trip(load_vehicle("kia-ev6-77"), load_road_vehicle("kia-ev6-77"),
               load_route("motorway-1000"))  # fmt: skip
    hours = f"{ans.total_time / 3600:.4g} h"
    check_repr(ans, "TripAnswer", "kia-ev6-77", "motorway-1000", hours, f"{len(ans.stops)} stops")
    check_html(ans, hours, "1,000 km", "ionity-350", "km/h", "main limit")
    check_escaped(replace(ans, route=replace(ans.route, name="<r>")), "<r>")
