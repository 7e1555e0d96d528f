"""The road answer: range from usable energy, label procedures, pack resizing, unit invariance."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nevcalc import catalog
from nevcalc.scenario.road import (
    adhoc_road_vehicle,
    drive_range,
    load_road_vehicle,
    procedure_consumption,
    resize_pack,
)


def test_range_scales_with_usable_energy():
    v = load_road_vehicle("vw-id4-77")
    from dataclasses import replace

    r1 = drive_range(v, "wltp").range
    r2 = drive_range(replace(v, usable_energy=2 * v.usable_energy), "wltp").range
    assert r2 == pytest.approx(2 * r1, rel=1e-12)
    assert drive_range(v, "wltp", state_of_health=0.8).range == pytest.approx(0.8 * r1)


def test_epa_label_is_the_weighted_two_cycle_value_times_0_7():
    v = load_road_vehicle("vw-id4-77")
    udds = procedure_consumption(v, "udds", mass=v.curb_mass + 136)["consumption"]
    hwfet = procedure_consumption(v, "hwfet", mass=v.curb_mass + 136)["consumption"]
    r = drive_range(v, "epa")
    assert r.range == pytest.approx(v.usable_energy / (0.55 * udds + 0.45 * hwfet) * 0.7)
    assert "EPA" in r.title


@settings(max_examples=15, deadline=None)
@given(kwh=st.floats(40, 120), kg=st.floats(1300, 2600), cd=st.floats(0.2, 0.35))
def test_range_does_not_depend_on_input_units(kwh, kg, cd):
    a = drive_range(adhoc_road_vehicle(f"{kwh} kWh", f"{kg} kg", cd), "wltc").range
    b = drive_range(adhoc_road_vehicle(f"{kwh * 3.6} MJ", f"{kg / 1000} t", cd), "wltc").range
    assert a == pytest.approx(b, rel=1e-9)


@pytest.mark.parametrize("chem", ["solid-state", "lfp", "sodium-ion"])
def test_keep_range_then_range_gives_the_target_back(chem):
    v = load_road_vehicle("vw-id4-77")
    resized = resize_pack(v, catalog.load(chem, "chemistry"), "range", "wltp", "600 km")
    assert drive_range(resized, "wltp").range == pytest.approx(600e3, rel=0.002)


def test_keep_energy_and_keep_mass():
    v = load_road_vehicle("vw-id4-77")
    ss = catalog.load("solid-state", "chemistry")
    e = resize_pack(v, ss, "energy")
    assert e.usable_energy == pytest.approx(v.usable_energy)
    assert e.pack_mass < v.pack_mass  # denser cells: lighter pack
    assert drive_range(e).range > drive_range(v).range  # lighter car goes further
    m = resize_pack(v, ss, "mass")
    assert m.pack_mass == pytest.approx(v.pack_mass)
    assert m.usable_energy > v.usable_energy


@pytest.mark.parametrize("consumption", [-50.0, 0.0, float("nan")])
def test_range_refuses_a_consumption_that_is_not_positive(monkeypatch, consumption):
    from nevcalc.errors import InputError
    from nevcalc.scenario import road

    v = load_road_vehicle("vw-id4-77")
    real = road.procedure_consumption(v, "wltp")
    monkeypatch.setattr(road, "procedure_consumption",
                        lambda *a, **k: {**real, "consumption": consumption})  # fmt: skip
    with pytest.raises(InputError, match="positive consumption"):
        drive_range(v, "wltp")


def test_range_answer_and_road_vehicle_print_one_line_and_a_table():
    from dataclasses import replace

    from tests.helpers import check_escaped, check_html, check_repr

    v = load_road_vehicle("vw-id4-77")
    ans = drive_range(v)
    km = f"{ans.range / 1e3:.4g} km"
    check_repr(ans, "RangeAnswer", "vw-id4-77", "WLTP", km, "kWh/(100 km)")
    check_html(ans, km, "kWh/(100 km)", "77 kWh", "interval")
    check_repr(v, "RoadVehicle", "vw-id4-77", "77 kWh", "kg curb", "m^2")
    check_html(v, "curb mass", " kg", "520 km WLTP")
    check_escaped(replace(v, name="<x&y>"), "<x&y>")


@pytest.mark.parametrize("name", ["kia-ev6-77", "vw-id4-77", "byd-han-l"])
@pytest.mark.parametrize("air", [-25.0, -10.0, 0.0, 30.0])
def test_warming_the_pack_before_departure_never_costs_range(name, air):
    """Preconditioning from the grid starts the drive warmer: never less range, and
    longer heating never less than shorter; in air warmer than the window it is a no-op."""
    from dataclasses import replace
    from itertools import pairwise

    from nevcalc.scenario.road import DrivingClimate, departure_temperature, drive_range

    v = load_road_vehicle(name)
    base = DrivingClimate(273.15 + air)
    got = [drive_range(v, climate=replace(base, precondition=p)).range
           for p in ("none", 600.0, 1800.0, "on-departure")]  # fmt: skip
    assert all(b >= a - 1e-9 for a, b in pairwise(got)), got
    temps = [departure_temperature(v.pack, 273.15 + air, p) for p in (600.0, 1800.0, 1e6)]
    assert temps[0] <= temps[1] <= temps[2] == pytest.approx(max(273.15 + air, v.pack.window_low))
    if 273.15 + air >= v.pack.window_low:
        assert got[0] == got[-1]


@pytest.mark.parametrize(
    "value, words",
    [("on-arrival", "is for a charge"), ("soon", "cannot read"), ("-5min", "negative")],
)
def test_a_drive_takes_none_on_departure_or_a_time(run_cli, value, words):
    code, _, err = run_cli("range", "kia-ev6-77", "--ambient", "-10", "--precondition", value)
    assert code == 2 and words in err and "on-departure" in err, err
    code, _, err = run_cli("range", "kia-ev6-77", "--precondition", "20min")
    assert code == 2 and "needs --ambient" in err


def test_cold_march_cars_is_cold_march_car_by_car():
    """Marching many cars together gives each car exactly its own march: heat pump or
    not, resistive heater, a cold and a hot month, and drives of different lengths."""
    import numpy as np

    from nevcalc.cars import assemble
    from nevcalc.scenario.road import cold_march, cold_march_cars, equip_heat_pump
    from nevcalc.units import celsius_to_kelvin

    names = ["kia-ev6-77", "byd-han-l", "nissan-leaf-e-plus", "tesla-model-3-lr-2019"]
    cars = [assemble(n).road for n in names]
    cars += [equip_heat_pump(cars[0], True), equip_heat_pump(cars[1], False)]
    procedures = [v.official_procedure or "wltp" for v in cars]
    air = celsius_to_kelvin(np.array([-25.0, -10.0, 0.0, 5.0, 25.0, 40.0]))
    rng = np.random.default_rng(5)
    consumption = rng.uniform(400.0, 900.0, (len(cars), air.size))  # [J/m]
    together = cold_march_cars(cars, procedures, consumption, air)
    assert together["heater_energy"].max() > 0  # the cold months heat
    for i, v in enumerate(cars):
        alone = cold_march(v, procedures[i], consumption[i], v.usable_energy, air)
        for k in ("energy", "temperature", "heater_energy", "share"):
            assert np.array_equal(together[k][i], alone[k]), (names[i % 4], k)
