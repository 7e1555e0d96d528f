"""Sweep rows equal the single-question answers; models run only over their axes."""

from __future__ import annotations

import numpy as np
import pytest

import nevcalc
from nevcalc.errors import InputError, SpecError
from nevcalc.sweeps.plan import plan_from_dict
from nevcalc.units import celsius_to_kelvin
from tests.helpers import MC_POWER, POWER, PRICES, VEHICLES
from tests.helpers import sweep_doc as _doc


def test_rows_equal_charge_and_range_answers():
    from dataclasses import replace

    from nevcalc.scenario.charge import charge, load_charger, load_vehicle
    from nevcalc.scenario.road import drive_range, load_road_vehicle

    res = nevcalc.sweep(_doc(VEHICLES, POWER))
    cols = res.columns
    for i in range(len(cols["reason"])):
        vname = res.names["vehicle"][cols["vehicle"][i]]
        power = cols["charger.max_power"][i] * 1e3
        ch = replace(load_charger("byd-megawatt"), max_power=power)
        ans = charge(load_vehicle(vname), ch, 0.1, 0.8, minutes=5)
        # the sweep marches 200 SoC steps, nevcalc charge 400
        assert cols["charge_10_80"][i] == pytest.approx(ans.duration / 60, rel=2e-4)
        assert cols["km_in_5_min"][i] == pytest.approx(ans.range_added / 1e3, rel=2e-3)
        assert cols["range"][i] == pytest.approx(
            drive_range(load_road_vehicle(vname)).range / 1e3, rel=1e-12
        )


def test_running_cost_agrees_with_nevcalc_cost():
    """The cost stage is the lifecycle cost of ``nevcalc cost`` without purchase; ageing goes
    through the health table, so agreement is to its interpolation error."""
    from nevcalc.scenario.cost import running_cost

    res = nevcalc.sweep(_doc(VEHICLES))
    for i, vname in enumerate(res.names["vehicle"]):
        direct = running_cost(vname, "byd-megawatt", usage="private-china")
        got = res.columns["running_cost_per_km"][i]
        assert got == pytest.approx(float(direct.parts.per_km), rel=5e-3), vname
        assert res.columns["capacity_end"][i] / 100 == pytest.approx(
            direct.capacity_at_end, abs=3e-3
        )


def test_health_table_error_against_the_ageing_model():
    """Interpolation error of the health table, all four models, 30-80 % window, 60 random
    duties in the models' range (0.05-1C, 10-45 degC, a sweep every 1-30 days)."""
    from nevcalc.model import degradation
    from nevcalc.sweeps.evaluate import cached_health_table, health_lookup

    rng = np.random.default_rng(7)
    errors = []
    for model in degradation.MODELS:
        table = cached_health_table(model, 0.3, 0.8, 10, 0.7)
        for _ in range(15):
            c, p = np.exp(rng.uniform(np.log(0.05), 0.0)), np.exp(rng.uniform(0, np.log(30)))
            temp = rng.uniform(10, 45)
            duty = degradation.daily_duty(0.8, 0.3, charge_rate=c / degradation.HOUR,
                                          temperature=celsius_to_kelvin(np.array([temp])),
                                          period=p * degradation.DAY)  # fmt: skip
            q = degradation.capacity_fade(model, duty, np.arange(1, 11))[0]
            got = health_lookup(table, np.array([c / degradation.HOUR]),
                                np.array([p * degradation.DAY]),
                                celsius_to_kelvin(np.array([temp])))  # fmt: skip
            errors += [abs(got["q8"][0] - q[7]), abs(got["q_end"][0] - q[9])]
    assert np.median(errors) < 0.002
    assert max(errors) < 0.01


def test_charging_runs_once_per_vehicle_charger_pair_not_per_row():
    usages = {"field": "usage", "values": ["private-china", "commuter-europe"]}
    doc = _doc(VEHICLES, POWER, PRICES, usages)
    res = nevcalc.sweep(doc)
    assert res.scenarios == 3 * 3 * 6 * 2
    assert res.stats["charge_pairs"] == 3 * 3  # vehicles x charger powers
    assert res.stats["health_points"] == 3 * 3 * 2  # ... x usages; prices only reach cost


def test_cost_properties_hold_across_the_grid():
    res = nevcalc.sweep(_doc(VEHICLES, PRICES))
    x = res.to_xarray()
    cost = x["running_cost_per_km"].values  # (vehicle, price)
    assert np.all(np.diff(cost, axis=1) > 0)  # dearer electricity never costs less
    energy = x["cost_energy"].values
    share = 0.2  # private-china: 20 % of the energy at 1.4 CNY/kWh
    price = x["usage.electricity_price"].values
    fast = 1.4 * 0.13897  # CNY -> USD at the reference-year rate
    mix = (1 - share) * price + share * fast
    expected = np.broadcast_to(mix / mix[0], energy.shape)
    np.testing.assert_allclose(energy / energy[:, :1], expected, rtol=1e-12)


def test_infeasible_rows_carry_a_reason():
    doc = _doc({"field": "vehicle", "values": ["kia-ev6-77", "nio-et7-150"]},
               base={"vehicle": "kia-ev6-77", "charger": "tesla-v2"})  # fmt: skip
    res = nevcalc.sweep(doc)
    reason = dict(zip(res.names["vehicle"], res.columns["reason"], strict=True))
    # every shipped vehicle is answered: semi-solid cells age on their labelled stand-in
    assert reason["nio-et7-150"] == 0
    assert np.isfinite(res.columns["running_cost_per_km"][1])
    assert res.columns["years_to_80"][1] > 0  # a number of years (inf: beyond 40), not NaN
    from nevcalc.sweeps.evaluate import REASONS

    assert reason["kia-ev6-77"] in REASONS


def test_random_charger_power_interpolates_the_charging_answer():
    from dataclasses import replace

    from nevcalc.scenario.charge import charge, load_charger, load_vehicle

    res = nevcalc.sweep(_doc(MC_POWER, draws={"n": 20, "seed": 1}))
    veh, base = load_vehicle("byd-han-l"), load_charger("byd-megawatt")
    for p, t in zip(res.columns["charger.max_power"], res.columns["charge_10_80"], strict=True):
        ans = charge(veh, replace(base, max_power=p * 1e3), 0.1, 0.8)
        assert t == pytest.approx(ans.duration / 60, rel=0.01)


def test_vehicle_and_charger_field_axes_equal_the_changed_specs():
    from dataclasses import replace

    from nevcalc import catalog
    from nevcalc.scenario.charge import charge, load_charger, vehicle_from_spec

    energy = {"field": "vehicle.battery_usable_energy", "values": ["60 kWh", "100 kWh"]}
    volts = {"field": "charger.max_voltage", "values": ["500 V", "920 V"]}
    res = nevcalc.sweep(_doc(energy, volts, base={"vehicle": "kia-ev6-77",
                                                  "charger": "ionity-350"}))  # fmt: skip
    spec = catalog.load("kia-ev6-77", "vehicle")
    chem = catalog.load(spec["chemistry"], "chemistry")
    ionity = load_charger("ionity-350")
    c = res.columns
    for i in range(4):
        kwh, volt = c["vehicle.battery_usable_energy"][i], c["charger.max_voltage"][i]
        changed = replace(spec, values={**spec.values, "battery_usable_energy": kwh * 3.6e6})
        ans = charge(vehicle_from_spec(changed, chem), replace(ionity, max_voltage=volt * 1.0),
                     0.1, 0.8)  # fmt: skip
        assert c["charge_10_80"][i] == pytest.approx(ans.duration / 60, rel=2e-4)
    # an 800 V pack on a 500 V charger charges through its booster: slower
    t = dict(zip(zip(c["vehicle.battery_usable_energy"], c["charger.max_voltage"],
                     strict=True), c["charge_10_80"], strict=True))  # fmt: skip
    assert t[(60.0, 500.0)] > t[(60.0, 920.0)]
    assert c["range"][2] > c["range"][0]  # more energy, more range


def test_a_chemistry_field_axis_reaches_the_cost():
    cost = {"field": "chemistry.pack_cost", "values": ["100 USD/kWh", "200 USD/kWh"]}
    res = nevcalc.sweep(_doc(cost, base={"vehicle": "kia-ev6-77", "charger": "ionity-350",
                                         "usage": "ride-hailing-china"}))  # fmt: skip
    rep = res.columns["cost_replacement"]
    assert rep[0] > 0  # the NMC pack is replaced in ten years of ride-hailing
    assert rep[1] == pytest.approx(2 * rep[0], rel=1e-12)


def test_soc_window_axes_parking_fuller_never_leaves_more_capacity():
    top = {"field": "usage.soc_high", "values": ["70 %", "80 %", "90 %", "100 %"]}
    cars = {"field": "vehicle", "values": ["kia-ev6-77", "zeekr-7x-lfp"]}
    res = nevcalc.sweep(_doc(cars, top))
    ds = res.to_xarray()
    q = ds["capacity_end"].values  # (vehicle, soc_high)
    assert np.all(np.diff(q, axis=1) < 0)
    with pytest.raises(InputError, match="upside down"):
        nevcalc.sweep(_doc(top, base={"vehicle": "kia-ev6-77", "usage.soc_low": "85 %"}))
    with pytest.raises(SpecError, match="give values or a range"):
        plan_from_dict(_doc({"field": "usage.soc_high", "distribution": "uniform",
                             "low": "70 %", "high": "90 %"}, draws={"n": 5}))  # fmt: skip


@pytest.mark.parametrize(
    "field", ["charger.max_power", "economics.pack_price", "usage.value_of_time"]
)
def test_random_support_clips_draws_to_the_fields_bounds_in_si(field):
    """A distribution reaching past a field's bounds is cut at the bounds converted to SI
    by the field's own unit (kW, USD/kWh, USD/h), not by a fixed factor."""
    from nevcalc.sweeps.evaluate import _random_support
    from nevcalc.sweeps.plan import FIELDS, Axis
    from nevcalc.units import si_factor

    unit, lo, hi = FIELDS[field][:3]
    f = si_factor(unit)
    wide = Axis(field, "random", distribution="uniform", params=(lo * f / 10 - 1, hi * f * 10))
    assert _random_support(wide) == pytest.approx((lo * f, hi * f), rel=1e-15)
    inside = (lo * f + 0.25 * (hi - lo) * f, lo * f + 0.5 * (hi - lo) * f)
    narrow = Axis(field, "random", distribution="uniform", params=inside)
    assert _random_support(narrow) == pytest.approx(inside, rel=1e-15)


# chen2020 has no pack figures: its rows are unanswered (NaN)
CROSSED = _doc(VEHICLES, {"field": "chemistry", "values": ["chen2020", "lfp", "nmc811",
                                                           "sodium-ion"]}, POWER,
               {"field": "usage", "values": ["private-china", "commuter-europe",
                                             "ride-hailing-china"]}, PRICES,
               {"field": "usage.fast_charge_price", "from": "0.2 USD/kWh",
                "to": "0.8 USD/kWh", "num": 8})  # fmt: skip


def _bits(x):
    return x.view(np.int64) if x.dtype == np.float64 else x


def test_chunk_runs_are_constant_over_their_rows():
    """A crossed chunk's ``runs`` say truly where a column stays one value: over rows
    ``[j T, (j + 1) T)`` of the sweep, whatever the chunk's first row (chunks of 1,024 rows
    start off the runs' edges), unanswered rows (NaN) included."""
    from nevcalc.sweeps.evaluate import evaluate_chunk, prepare

    prep = prepare(plan_from_dict(CROSSED), 1024)
    seen = {}
    bad = 0
    for k in range(prep.chunks):
        chunk = evaluate_chunk(prep, k)
        n = len(chunk["reason"])
        bad += int(np.count_nonzero(chunk["reason"] != 0))
        rows = k * 1024 + np.arange(n)
        for name, t in chunk.runs.items():
            x = _bits(chunk[name])
            run = rows // t
            first = np.flatnonzero(np.r_[True, run[1:] != run[:-1]])
            assert np.array_equal(x, np.repeat(x[first], np.diff(np.r_[first, n]))), name
            seen[name] = t
    assert bad > 0  # rows without pack figures (NaN outputs) are among them
    # what is evaluated per car, charger and usage does not depend on the price
    assert prep.chunks == 6  # 5,184 rows
    assert seen["range"] == seen["capacity_end"] == seen["charge_10_80"] == 6 * 8
    assert seen["vehicle"] == 4 * 3 * 3 * 6 * 8 and seen["usage"] == 6 * 8
    assert seen["usage.electricity_price"] == 8
    assert "running_cost_per_km" not in seen and "cost_energy" not in seen


def test_draws_made_ahead_are_the_chunks_own():
    """``chunk_draws`` (drawn while the tables are prepared) gives a chunk's draws: its
    draw columns are them in display units, and a chunk handed them is the same chunk."""
    from nevcalc.sweeps.evaluate import chunk_draws, evaluate_chunk, prepare
    from tests.helpers import mc_doc

    plan = plan_from_dict(mc_doc())
    prep = prepare(plan, 1024)
    last = prep.chunks - 1  # a shorter chunk
    for k in (0, last):
        ahead = chunk_draws(plan, 1024, k)
        own = evaluate_chunk(prep, k)
        for a in plan.random:
            assert np.array_equal(ahead[a.field] / a.factor, own[a.field]), a.field
        future = type("Done", (), {"result": lambda self, d=ahead: d})()
        prep.ahead[k] = future
        again = evaluate_chunk(prep, k)
        assert k not in prep.ahead  # (used once)
        for name, x in own.items():
            assert np.array_equal(x, again[name], equal_nan=True), name
    assert len(evaluate_chunk(prep, last)["reason"]) == plan.rows - last * 1024 < 1024


def _usage_spec(name: str, distance: float, fleet: str | None, lo: float, hi: float) -> None:
    """A usage spec in ./specs/usage (the tests run in an empty folder): ``distance`` [m]
    a year charged at 11 kW only, a ``lo``-``hi`` window at 25 degC."""
    from pathlib import Path

    folder = Path("specs") / "usage"
    folder.mkdir(parents=True, exist_ok=True)
    lines = [
        'kind = "usage"', f'title = "{name}"', 'description = "test duty"',
        f'annual_distance = {{ value = "{distance!r} m" }}',
        'fast_charge_share = { value = "0 %" }', 'home_charge_power = { value = "11 kW" }',
        f'soc_low = {{ value = "{lo * 100:g} %" }}', f'soc_high = {{ value = "{hi * 100:g} %" }}',
        'temperature = { value = "25 degC" }',
        'electricity_price = { value = "0.15 USD/kWh" }',
        'fast_charge_price = { value = "0.4 USD/kWh" }', 'value_of_time = { value = "0 USD/h" }',
        *([f'fleet_correction = "{fleet}"'] if fleet else []),
        "[provenance]", 'source = "test"', 'kind = "assumed"',
    ]  # fmt: skip
    (folder / f"{name}.toml").write_text("\n".join(lines) + "\n")


@pytest.mark.parametrize("vehicle", ["byd-han-l", "kia-ev6-77"])
@pytest.mark.parametrize(("case", "sweeps_a_day", "fleet", "window"),
                         [("lab-cells", 0.15, "off", (0.2, 0.8)),
                          ("two-a-day", 2.0, None, (0.45, 0.8)),
                          ("one-and-a-half-a-day", 1.5, None, (0.45, 0.8))])  # fmt: skip
def test_a_sweep_row_is_the_single_answer(vehicle, case, sweeps_a_day, fleet, window):
    """A car whose usage switches the fleet correction off, and a taxi's two sweeps of its
    window a day: the sweep row is the single answer given the sweep's tables (the same
    evaluation, to the last bit), and ``nevcalc health`` on the same duty to the tables'
    interpolation error (3e-3, as in test_running_cost_agrees_with_nevcalc_cost)."""
    from nevcalc.cars import assemble
    from nevcalc.evaluate import drive_stage
    from nevcalc.scenario.cost import running_cost
    from nevcalc.scenario.health import health
    from nevcalc.sweeps.evaluate import prepare

    car = assemble(vehicle)
    consumption = float(drive_stage([car])["consumption"][0])  # [J/m]
    lo, hi = window
    efc = sweeps_a_day * (hi - lo)
    _usage_spec(case, efc * 365 * car.usable_energy / consumption, fleet, lo, hi)
    doc = _doc(base={"vehicle": vehicle, "charger": "byd-megawatt", "usage": case})
    got = nevcalc.sweep(doc).columns["capacity_end"][0] / 100
    tables = prepare(plan_from_dict(doc)).surrogate
    same = running_cost(vehicle, "byd-megawatt", usage=case, surrogate=tables)
    assert got == pytest.approx(same.capacity_at_end, rel=1e-12, abs=0)
    direct = health(car.chemistry, (lo, hi), efc_per_day=efc, years=10,
                    charge_rate=11e3 / car.usable_energy * 3600,
                    fleet_correction=fleet != "off")  # fmt: skip
    assert got == pytest.approx(direct.capacity[9], abs=3e-3)
    assert same.capacity_at_end == pytest.approx(
        running_cost(vehicle, "byd-megawatt", usage=case).capacity_at_end, abs=3e-3
    )


def test_a_climate_is_collapsed_by_each_rows_own_model():
    """A usage with a climate: each ageing model reads its tables at the temperature its own
    calendar fade ages the months as, the sweep row as the single answer given the tables."""
    from nevcalc.scenario.cost import running_cost
    from nevcalc.sweeps.evaluate import prepare

    doc = _doc(VEHICLES, base={"vehicle": "byd-han-l", "charger": "byd-megawatt",
                               "usage": "ride-hailing-china"})  # fmt: skip
    res = nevcalc.sweep(doc)
    prep = prepare(plan_from_dict(doc))
    models = {k[1] for k in prep.climates}
    assert len(models) >= 2 and len({prep.climates[k] for k in prep.climates}) == len(models)
    for i, vname in enumerate(res.names["vehicle"]):
        same = running_cost(vname, "byd-megawatt", usage="ride-hailing-china",
                            surrogate=prep.surrogate)  # fmt: skip
        assert res.columns["capacity_end"][i] / 100 == pytest.approx(
            same.capacity_at_end, rel=1e-12, abs=0
        ), vname
