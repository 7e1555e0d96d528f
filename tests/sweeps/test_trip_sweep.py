"""Sweeps over trips: a row is ``nevcalc trip`` for the same car, route and air."""

from __future__ import annotations

import numpy as np
import pytest

import nevcalc
from nevcalc.cars import assemble
from nevcalc.errors import SpecError
from nevcalc.metrics import METRICS
from nevcalc.reasons import TRIP_INFEASIBLE
from nevcalc.routes import MAX_STATIONS, adhoc_route, load_route
from nevcalc.scenario.trip import trip
from nevcalc.sweeps.plan import plan_from_dict

CARS = {"field": "vehicle", "values": ["zeekr-7x-lfp", "kia-ev6-77", "xiaomi-su7"]}
TRIP = ("trip_time", "stops", "stop_time", "km_in_20_min")


def _doc(*axes, base=None, outputs=TRIP, **extra):
    doc = {"kind": "sweep", "title": "trips",
           "base": {"vehicle": "zeekr-7x-lfp", "route": "motorway-1000", **(base or {})},
           "axis": list(axes), "outputs": list(outputs)}  # fmt: skip
    doc.update(extra)
    return doc


def _single(vehicle, **route):
    """``nevcalc trip VEHICLE --route motorway-1000 ...``: the options read as text."""
    car = assemble(vehicle)
    ans = trip(car.charging, car.road, adhoc_route(load_route("motorway-1000"), **route))
    return {
        "trip_time": ans.total_time,
        "stops": len(ans.stops) if ans.feasible else np.nan,
        "stop_time": ans.stop_time,
        "km_in_20_min": ans.km_in_20min,
    }, ans


def _display(name, si):
    return si / METRICS[name].factor


def test_rows_equal_single_trip_answers_exactly():
    doc = _doc(CARS, {"field": "route.charger", "values": ["ionity-350", "huawei-600kw"]},
               {"field": "conditions.ambient", "values": ["-10 degC", "20 degC"]},
               {"field": "route.speed", "values": ["110 km/h", "130 km/h"]})  # fmt: skip
    res = nevcalc.sweep(doc)
    c, names = res.columns, res.names
    assert res.scenarios == 3 * 2 * 2 * 2
    for i in range(res.scenarios):
        vehicle = names["vehicle"][c["vehicle"][i]]
        charger = names["route.charger"][c["route.charger"][i]]
        want, ans = _single(vehicle, speed=f"{c['route.speed'][i]:g} km/h",
                            chargers=f"{charger} every 60 km",
                            ambient=f"{c['conditions.ambient'][i]:g} degC")  # fmt: skip
        assert ans.feasible and c["reason"][i] == 0
        for m in TRIP:
            assert c[m][i] == _display(m, want[m]), (m, vehicle, charger, i)


def test_rows_equal_single_answers_over_spacing_distance_and_window():
    doc = _doc({"field": "vehicle", "values": ["kia-ev6-77", "tesla-model-3-rwd-2024"]},
               {"field": "route.station_spacing", "values": ["40 km", "150 km"]},
               {"field": "route.distance", "values": ["400 km", "1500 km"]},
               base={"route.reserve": "15 %", "route.start_soc": "80 %",
                     "route.stop_overhead": "6 min"})  # fmt: skip
    res = nevcalc.sweep(doc)
    c, names = res.columns, res.names
    for i in range(res.scenarios):
        vehicle = names["vehicle"][c["vehicle"][i]]
        want, _ = _single(vehicle, distance=f"{c['route.distance'][i]:g} km",
                          chargers=f"ionity-350 every {c['route.station_spacing'][i]:g} km",
                          reserve="15%", start_soc="80%", stop_overhead="6 min")  # fmt: skip
        for m in TRIP:
            np.testing.assert_array_equal(c[m][i], _display(m, want[m]), err_msg=f"{m} row {i}")


def test_curves_are_marched_once_per_car_charger_and_air():
    doc = _doc(CARS, {"field": "route.charger", "values": ["ionity-350", "huawei-600kw"]},
               {"field": "conditions.ambient", "values": ["-10 degC", "20 degC"]},
               {"field": "route.speed", "values": ["100 km/h", "120 km/h", "140 km/h"]},
               {"field": "route.station_spacing", "values": ["40 km", "80 km"]})  # fmt: skip
    res = nevcalc.sweep(doc)
    assert res.stats["trip_plans"] == res.scenarios == 3 * 2 * 2 * 3 * 2
    assert res.stats["trip_curves"] == 3 * 2 * 2  # cars x chargers x air


def test_properties_across_the_grid():
    """A denser network, more power, a shorter trip and a fuller start never take longer;
    faster driving means more km in 20 minutes never (the charger adds energy, not km)."""
    doc = _doc(CARS, {"field": "route.station_spacing", "values": ["30 km", "60 km", "120 km"]},
               {"field": "route.charger", "values": ["ionity-350", "huawei-600kw"]},
               {"field": "route.distance", "values": ["500 km", "1000 km"]},
               {"field": "route.speed", "values": ["100 km/h", "130 km/h"]})  # fmt: skip
    x = nevcalc.sweep(doc).to_xarray()
    t = x["trip_time"].values  # (vehicle, spacing, charger, distance, speed)
    assert np.isfinite(t).all()
    # stations every 30 km include those every 60 km, which include those every 120 km
    assert np.all(np.diff(t, axis=1) >= -1e-9)
    # 600 kW never slower than 350 kW (where the car's own limit binds on both, the two
    # marches agree to a few ms in 10 h: rounding, not physics)
    assert np.all(t[:, :, 1] <= t[:, :, 0] * (1 + 1e-6))
    assert np.any(t[:, :, 1] < t[:, :, 0] * (1 - 1e-3))  # and faster for some car
    assert np.all(t[..., 0, :] < t[..., 1, :])  # 500 km before 1000 km
    km = x["km_in_20_min"].values
    assert np.all(km[..., 1] < km[..., 0])  # more energy a km at 130 km/h


def test_a_fuller_start_never_takes_longer():
    doc = _doc(CARS, {"field": "route.start_soc", "values": ["50 %", "80 %", "100 %"]})
    t = nevcalc.sweep(doc).to_xarray()["trip_time"].values
    assert np.all(np.diff(t, axis=1) <= 1e-12)


def test_an_infeasible_trip_is_a_reason_not_a_number():
    doc = _doc({"field": "route.station_spacing", "values": ["60 km", "600 km"]})
    res = nevcalc.sweep(doc)
    c = res.columns
    assert c["reason"].tolist() == [0, TRIP_INFEASIBLE]
    assert np.isfinite(c["trip_time"][0]) and c["trip_time"][1] == np.inf
    assert np.isnan(c["stops"][1])
    _, ans = _single("zeekr-7x-lfp", chargers="ionity-350 every 600 km")
    assert not ans.feasible  # nevcalc trip agrees, and says where
    assert "600 km" in ans.reason


def test_charge_metrics_are_unchanged_by_a_route():
    axes = [CARS, {"field": "conditions.ambient", "values": ["-10 degC", "20 degC"]}]
    base = {"vehicle": "zeekr-7x-lfp", "charger": "ionity-350"}
    plain = nevcalc.sweep({"kind": "sweep", "title": "t", "base": base, "axis": axes,
                           "outputs": ["charge_10_80", "range"]})  # fmt: skip
    routed = nevcalc.sweep(_doc(*axes, base=base, outputs=("charge_10_80", "range", "trip_time")))
    for m in ("charge_10_80", "range"):
        np.testing.assert_array_equal(plain.columns[m], routed.columns[m])


def test_trip_metrics_are_outputs_only_with_a_route():
    plan = plan_from_dict({"kind": "sweep", "title": "t", "base": {"vehicle": "kia-ev6-77"}})
    assert not set(TRIP) & set(plan.outputs)
    base = {"vehicle": "kia-ev6-77", "route": "motorway-1000"}
    plan = plan_from_dict({"kind": "sweep", "title": "t", "base": base})
    assert set(TRIP) <= set(plan.outputs)


BAD = [
    ("unknown route", {"base": {"vehicle": "kia-ev6-77", "route": "no-such-road"}},
     "base.route", "no-such-road"),
    ("route axis without a route",
     {"base": {"vehicle": "kia-ev6-77"},
      "axis": [{"field": "route.speed", "values": ["100 km/h"]}]}, "axis[0]", "needs a route"),
    ("trip metric without a route", {"base": {"vehicle": "kia-ev6-77"}, "outputs": ["trip_time"]},
     "outputs", "needs a route"),
    ("spacing of zero", {"axis": [{"field": "route.station_spacing", "values": ["0 km"]}]},
     "axis[0]", "route.station_spacing"),
    ("spacing not a length", {"axis": [{"field": "route.station_spacing", "values": ["60 kW"]}]},
     "axis[0]", "values"),
    ("spacing too dense for the stations",
     {"axis": [{"field": "route.station_spacing", "values": ["1 km"]},
               {"field": "route.distance", "values": ["19000 km"]}]}, "motorway-1000",
     "stations"),
    ("stations too many for a route",
     {"axis": [{"field": "route.station_spacing", "values": ["5 km"]},
               {"field": "route.distance", "values": ["20000 km"]}]}, "trips.toml",
     f"at most {MAX_STATIONS}"),
    ("stations too many to plan",
     {"axis": [{"field": "vehicle", "values": "all"},
               {"field": "route.station_spacing", "values": ["100 km"]},
               {"field": "route.distance", "values": ["20000 km"]},
               {"field": "route.start_soc", "from": "50 %", "to": "100 %", "num": 2100}]},
     "trips.toml", "pairs of stations"),
    ("reserve above the start",
     {"axis": [{"field": "route.reserve", "values": ["10 %", "85 %"]}],
      "base": {"vehicle": "kia-ev6-77", "route": "motorway-1000", "route.start_soc": "80 %"}},
     "axis[0]", "reserve"),
    ("drawn route field",
     {"axis": [{"field": "route.speed", "distribution": "uniform", "low": "100 km/h",
                "high": "130 km/h"}], "draws": {"n": 10, "seed": 1}}, "axis[0]", "route.speed"),
    ("drawn air with a route",
     {"axis": [{"field": "conditions.ambient", "distribution": "uniform", "low": "-10 degC",
                "high": "20 degC"}], "draws": {"n": 10, "seed": 1}}, "axis[0]", "drawn"),
    ("unknown route charger", {"axis": [{"field": "route.charger", "values": ["ionity-999"]}]},
     "axis[0]", "ionity-999"),
]  # fmt: skip


@pytest.mark.parametrize(("what", "change", "key", "word"), BAD, ids=[b[0] for b in BAD])
def test_bad_trip_sweeps_name_the_file_and_key(what, change, key, word):
    doc = _doc()
    doc.update(change)
    with pytest.raises(SpecError) as err:
        plan_from_dict(doc, "trips.toml")
    text = str(err.value)
    assert "\n" not in text.strip() and text.startswith("trips.toml"), text
    assert key in text and word in text, text


def test_bad_trip_sweep_file_is_one_line_and_exit_1(tmp_path):
    from tests.badinput.harness import run_inprocess

    path = tmp_path / "trips.toml"
    path.write_text('kind = "sweep"\ntitle = "t"\n[base]\nvehicle = "kia-ev6-77"\n'
                    '[[axis]]\nfield = "route.station_spacing"\nvalues = ["60 km"]\n')  # fmt: skip
    got = run_inprocess(["sweep", str(path)])
    err = got.err.strip()
    assert got.exception is None and got.code == 1, (got.exception, err)  # a bad file, not usage
    assert len(err.splitlines()) == 1, err
    assert "trips.toml" in err and "route.station_spacing" in err and "needs a route" in err, err


def test_shipped_trip_network_sweep_answers_the_question():
    """specs/sweeps/trip-network.toml: a row per car, air, speed and network, each the
    single answer; a 600 kW network never makes a trip longer, and shortens it for some car
    (the Zeekr 7X LFP, 75 kWh, at -10 degC among them, or the question has no answer)."""
    res = nevcalc.sweep("trip-network", summary=True)
    c, names = res.columns, res.names
    assert res.scenarios == 5 * 2 * 2 * 2 and (c["reason"] == 0).all()
    x = res.to_xarray()["trip_time"]  # (vehicle, ambient, speed, charger)
    ionity, huawei = (
        list(names["route.charger"]).index(n) for n in ("ionity-350", "huawei-600kw")
    )
    t350, t600 = x.values[..., ionity], x.values[..., huawei]
    assert np.all(t600 <= t350 * (1 + 1e-6))
    zeekr = list(names["vehicle"]).index("zeekr-7x-lfp")
    assert np.all(t600[zeekr] < t350[zeekr])
    groups = res.summary["groups"]
    assert len(groups) == res.scenarios and all(g["answered"] == 1 for g in groups)
    key = {"vehicle": "zeekr-7x-lfp", "conditions.ambient": -10.0, "route.speed": 110.0,
           "route.charger": "huawei-600kw"}  # fmt: skip
    g = next(g for g in groups if g["group"] == key)
    want, _ = _single("zeekr-7x-lfp", speed="110 km/h", ambient="-10 degC",
                      chargers="huawei-600kw every 60 km")  # fmt: skip
    assert g["metrics"]["trip_time"]["mean"] == _display("trip_time", want["trip_time"])


def test_shipped_trip_network_summary_reads_as_one_table():
    from tests.badinput.harness import run_inprocess

    got = run_inprocess(["sweep", "trip-network", "--summary"])
    assert got.code == 0 and got.exception is None, got.err
    out = got.out
    assert "one row per vehicle x conditions.ambient x route.speed x route.charger" in out
    assert "zeekr-7x-lfp" in out and "-10 degC" in out and "110 km/h" in out
    assert "trip_time (h)" in out and "40 trip plans" in out


def test_summary_groups_by_a_numeric_axis():
    doc = _doc(CARS, {"field": "conditions.ambient", "values": ["20 degC", "-10 degC"]},
               summary={"group_by": ["conditions.ambient"], "quantiles": [0.5]})  # fmt: skip
    res = nevcalc.sweep(doc, summary=True)
    groups = res.summary["groups"]
    assert [g["group"] for g in groups] == [{"conditions.ambient": -10.0},
                                            {"conditions.ambient": 20.0}]  # fmt: skip
    air = res.columns["conditions.ambient"]
    for g in groups:
        rows = res.columns["trip_time"][air == g["group"]["conditions.ambient"]]
        assert g["rows"] == 3 and g["metrics"]["trip_time"]["max"] == rows.max()
    # colder air: a longer trip for every car
    assert groups[0]["metrics"]["trip_time"]["min"] > 0
    x = res.to_xarray()["trip_time"].values  # (vehicle, air: 20, -10)
    assert np.all(x[:, 1] > x[:, 0])


def test_summary_cannot_group_by_a_drawn_axis():
    doc = _doc(axis=[{"field": "usage.electricity_price", "distribution": "uniform",
                      "low": "0.1 USD/kWh", "high": "0.3 USD/kWh"}],
               draws={"n": 5, "seed": 1},
               summary={"group_by": ["usage.electricity_price"]})  # fmt: skip
    with pytest.raises(SpecError, match=r"group_by.*drawn axes have no groups"):
        plan_from_dict(doc)


def test_a_cabin_axis_on_a_route_with_its_own_air_equals_single_trips():
    """A route that carries its ambient needs no conditions axis; the cabin set point is
    a route field a sweep varies as ``nevcalc trip --cabin`` does."""
    doc = _doc({"field": "vehicle", "values": ["vw-id4-77", "kia-ev6-77"]},
               {"field": "route.cabin", "values": ["17 degC", "22 degC"]},
               base={"route": "winter-motorway-1000"})  # fmt: skip
    res = nevcalc.sweep(doc)
    c, names = res.columns, res.names
    assert res.scenarios == 4
    for i in range(res.scenarios):
        car = assemble(names["vehicle"][c["vehicle"][i]])
        cabin = f"{c['route.cabin'][i] - 273.15:g} degC"
        ans = trip(car.charging, car.road,
                   adhoc_route(load_route("winter-motorway-1000"), cabin=cabin))  # fmt: skip
        assert ans.feasible and c["reason"][i] == 0
        assert c["trip_time"][i] == _display("trip_time", ans.total_time)
    warm = c["route.cabin"] > 293.0
    assert np.all(c["trip_time"][warm] >= c["trip_time"][~warm])
