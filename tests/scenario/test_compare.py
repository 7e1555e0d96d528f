"""The compare answer: which vehicles it compares."""

from __future__ import annotations

import pytest

from nevcalc import catalog
from nevcalc.scenario import compare as compare_module


def test_the_default_vehicles_are_shipped_specs():
    for name in compare_module.DEFAULT_VEHICLES:
        assert catalog.load(name, "vehicle").name == name
    assert len(set(compare_module.DEFAULT_VEHICLES)) == len(compare_module.DEFAULT_VEHICLES)


@pytest.mark.parametrize("none", [(), []])
def test_no_vehicle_named_compares_the_defaults(monkeypatch, none):
    monkeypatch.setattr(compare_module, "DEFAULT_VEHICLES", ("kia-ev6-77", "byd-han-l"))
    ans = compare_module.compare(none, {None: None}, "10%", "80%", "10")
    assert [a.vehicle.name for a in ans.rows] == ["kia-ev6-77", "byd-han-l"]
    named = compare_module.compare(["vw-id4-77"], {None: None}, "10%", "80%", "10")
    assert [a.vehicle.name for a in named.rows] == ["vw-id4-77"]


def test_compare_trips_ranks_by_the_single_trip_answers():
    from nevcalc.routes import load_route
    from nevcalc.scenario.charge import load_vehicle
    from nevcalc.scenario.compare import compare_trips
    from nevcalc.scenario.road import load_road_vehicle
    from nevcalc.scenario.trip import trip

    route = load_route("winter-motorway-1000")
    names = ["nissan-leaf-e-plus", "kia-ev6-77", "byd-han-l"]
    rows = compare_trips(names, route)
    assert sorted(r.vehicle.name for r in rows) == sorted(names)
    times = [r.total_time for r in rows]
    assert times == sorted(times)
    for r in rows:
        one = trip(load_vehicle(r.vehicle.name), load_road_vehicle(r.vehicle.name), route)
        assert one.total_time == r.total_time and len(one.stops) == len(r.stops)


def test_the_charging_index_of_a_row_is_the_trips_at_the_same_speed():
    """compare's km in 20 minutes at 120 km/h equals that of a 120 km/h trip on the same
    charger: one path (the profile from 0 %, the motorway consumption)."""
    from nevcalc.routes import load_route
    from nevcalc.scenario.charge import load_charger, load_vehicle
    from nevcalc.scenario.road import load_road_vehicle
    from nevcalc.scenario.trip import trip

    names = ["kia-ev6-77", "byd-han-l"]
    a = compare_module.compare(names, {"ionity-350": load_charger("ionity-350")}, 0.1, 0.8, 10)
    route = load_route("motorway-1000")  # 120 km/h on ionity-350
    for name, km in zip(names, a.km_in_20_min, strict=True):
        want = trip(load_vehicle(name), load_road_vehicle(name), route).km_in_20min
        assert km == want


def test_compare_answer_prints_one_line_and_a_table():
    from nevcalc.scenario.charge import load_charger
    from tests.helpers import check_html, check_repr

    chargers = {"ionity-350": load_charger("ionity-350")}
    a = compare_module.compare(["byd-han-l", "kia-ev6-77"], chargers, 0.1, 0.8, 10)
    fastest = min(a.rows, key=lambda r: r.duration)
    check_repr(a, "CompareAnswer", "2 cars x 1 charger", f"fastest {fastest.vehicle.name}")
    shown = check_html(a, "byd-han-l", "kia-ev6-77", "time 10-80 %", "km in 10 min", "km")
    for r in a.rows:
        assert f"{r.duration / 60:.4g} min" in shown
    stuck = compare_module.compare(["byd-han-l"], {"tesla-v3": load_charger("tesla-v3")},
                                   0.1, 0.8, 10)  # fmt: skip
    assert not stuck.rows[0].feasible
    check_html(stuck, "cannot start", "CLTC-P")
