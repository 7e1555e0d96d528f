"""One evaluator: a sweep row equals the single answer for the same inputs, exactly.

The sweep and ``nevcalc cost`` run the same stages (:mod:`nevcalc.evaluate`); given the
sweep's surrogate (its ageing tables and charging resolution) the single answer must be
the row to the last bit. How far the surrogate is from the direct models is pinned
separately (tests/test_sweep.py: the health table's interpolation error).
"""

from __future__ import annotations

import numpy as np
import pytest

import nevcalc
from nevcalc import catalog
from nevcalc.cars import assemble
from nevcalc.evaluate import Economics, Usage, charge_stage, evaluate
from nevcalc.metrics import display_factor
from nevcalc.report.charge import _reason_code
from nevcalc.scenario.charge import charge, load_charger, vehicle_from_spec
from nevcalc.scenario.cost import running_cost
from nevcalc.sweeps.evaluate import prepare
from nevcalc.sweeps.plan import plan_from_dict


def _sweep(vehicle, chemistry, distances, usage="private-china", charger="byd-megawatt"):
    doc = {
        "kind": "sweep",
        "title": "agreement",
        "base": {"vehicle": vehicle, "charger": charger, "usage": usage},
        "axis": [
            {"field": "chemistry", "values": [chemistry]},
            {"field": "usage.annual_distance", "values": [f"{d} km" for d in distances]},
        ],
    }
    plan = plan_from_dict(doc)
    return nevcalc.sweep(plan), prepare(plan)


CASES = [
    # (vehicle, cells swapped in, usage, charger): own cells, empirical and simple models
    ("kia-ev6-77", "solid-state", "private-china", "byd-megawatt"),
    ("kia-ev6-77", "nmc811", "private-china", "ionity-350"),
    ("byd-han-l", "lfp", "ride-hailing-china", "byd-megawatt"),
    ("zeekr-7x-lfp", "sodium-ion", "commuter-europe", "ionity-350"),
]


@pytest.mark.parametrize(("vehicle", "chemistry", "usage", "charger"), CASES)
def test_a_sweep_row_is_the_single_answer_given_the_sweeps_surrogate(
    vehicle, chemistry, usage, charger
):
    distances = (4000, 15000, 30000)
    res, prep = _sweep(vehicle, chemistry, distances, usage, charger)
    car = assemble(vehicle, chemistry)
    for i, d in enumerate(distances):
        ans = running_cost(car.vehicle, charger, usage=usage, km_per_year=f"{d} km",
                           surrogate=prep.surrogate)  # fmt: skip
        per_m = np.asarray(ans.parts.per_m)
        row = res.columns["running_cost_per_km"][i]
        assert row == per_m / display_factor("USD/km"), (vehicle, chemistry, d)
        assert res.columns["capacity_end"][i] == ans.capacity_at_end / display_factor("%")
        assert res.columns["cost_energy"][i] == ans.parts.energy
        assert res.columns["cost_replacement"][i] == ans.parts.replacement


def test_the_simple_model_ages_a_swapped_car_the_same_in_a_sweep_and_in_cost():
    """The drift this evaluator removed: a solid-state Kia EV6 at 4,000 and 30,000 km a
    year aged by the simple model was 0.836 / 0.822 in a sweep and 0.829 / 0.780 in
    ``nevcalc cost`` (cycles a day were divided by the sweep period twice). Both now run
    the closed-form simple model on the same cycles a day, with no table between."""
    res, _prep = _sweep("kia-ev6-77", "solid-state", (4000, 30000))
    car = assemble("kia-ev6-77", "solid-state")
    assert car.ageing_model == "simple"
    for i, d in enumerate((4000, 30000)):
        direct = running_cost(car.vehicle, "byd-megawatt", usage="private-china",
                              km_per_year=f"{d} km")  # fmt: skip
        assert res.columns["capacity_end"][i] / 100 == pytest.approx(
            direct.capacity_at_end, rel=1e-12
        )
    assert res.columns["capacity_end"][1] < res.columns["capacity_end"][0]


def test_the_evaluator_charge_stage_is_nevcalc_charge():
    """Same vehicle, charger and resolution: the stage's session is ``charge``'s."""
    spec = catalog.load("byd-han-l", "vehicle")
    chem = catalog.load(spec["chemistry"], "chemistry")
    vehicle = vehicle_from_spec(spec, chem)
    chargers = [load_charger(n) for n in ("byd-megawatt", "ionity-350", "tesla-v2")]
    got = charge_stage([vehicle], chargers, 0, np.arange(3), steps=400)
    for k, c in enumerate(chargers):
        ans = charge(vehicle, c, 0.1, 0.8, minutes=5)
        if ans.feasible:
            assert got["duration"][k] == ans.duration
        else:
            assert not got["feasible"][k] and got["reason"][k] == _reason_code(ans)
        assert got["peak"][k] == ans.peak_power
        assert got["soc_after"][k] == ans.soc_after


def test_evaluate_broadcasts_cases_and_each_case_is_its_own_evaluation():
    cars = [assemble("byd-han-l"), assemble("kia-ev6-77"), assemble("kia-ev6-77", "lfp")]
    chargers = [load_charger("byd-megawatt"), load_charger("ionity-350")]
    usage = Usage(15e6, 0.2, 11e3, 298.15, 0.3, 0.8, 0.15 / 3.6e6, 0.4 / 3.6e6, 0.0)
    econ = Economics(10, 0.05, 0.03e-3, 0.0, 0.7, -0.05)
    ci, ki = np.meshgrid(np.arange(3), np.arange(2), indexing="ij")
    every = evaluate(cars, chargers, usage, econ, car_index=ci, charger_index=ki)
    for i in range(3):
        for k in range(2):
            one = evaluate([cars[i]], [chargers[k]], usage, econ, car_index=0, charger_index=0)
            for name, x in every.metrics.items():
                assert np.array_equal(x[i, k], one.metrics[name], equal_nan=True), name
    assert every.metrics["charge_10_80"].shape == (3, 2)
    assert np.all(every.metrics["range"] > 0)


def test_a_crossed_grid_evaluated_in_blocks_equals_row_by_row():
    """Blocks keep the trailing axes as array axes; chunks cut through blocks at both
    ends (4,100 rows a chunk is no multiple of the 5 x 16 block)."""
    from nevcalc.sweeps import evaluate as ev

    doc = {
        "kind": "sweep",
        "title": "blocks",
        "base": {"vehicle": "byd-han-l", "charger": "ionity-350", "usage": "private-china"},
        "axis": [
            {"field": "vehicle", "values": ["byd-han-l", "kia-ev6-77", "zeekr-7x-lfp"]},
            {"field": "chemistry", "values": ["lfp", "nmc811", "solid-state"]},
            {"field": "charger.max_power", "values": ["50 kW", "150 kW", "350 kW"]},
            {"field": "usage.fast_charge_share", "values": ["0 %", "10 %", "30 %", "60 %",
                                                            "90 %"]},
            {"field": "usage.electricity_price", "from": "0.05 USD/kWh", "to": "0.3 USD/kWh",
             "num": 16},
        ],
    }  # fmt: skip
    prep = prepare(plan_from_dict(doc), chunk_rows=1100)
    layout = ev._layout(prep)
    assert layout is not None and layout[0] < len(prep.shape)
    for chunk in range(prep.chunks):
        start = chunk * prep.chunk_rows
        stop = min(start + prep.chunk_rows, prep.plan.rows)
        got = ev.evaluate_chunk(prep, chunk)
        rows = ev._evaluate_rows(prep, start, stop, {}, None)
        assert set(got) == set(rows)
        for name in rows:
            assert np.array_equal(got[name], rows[name], equal_nan=True), (chunk, name)


def test_a_sweep_over_ambient_and_preconditioning_is_the_single_answer():
    """conditions.ambient and conditions.precondition axes: each row's charge time is
    ``charge`` at that air and preconditioning, at the sweep's resolution."""
    from dataclasses import replace

    from nevcalc.sweeps.evaluate import CHARGE_STEPS

    ambients, minutes = (-25.0, -5.0, 15.0, 35.0), (0.0, 20.0)
    doc = {
        "kind": "sweep",
        "title": "winter",
        "base": {"vehicle": "kia-ev6-77", "charger": "ionity-350"},
        "axis": [
            {"field": "vehicle", "values": ["kia-ev6-77", "byd-han-l"]},
            {"field": "conditions.ambient", "values": [f"{t} degC" for t in ambients]},
            {"field": "conditions.precondition", "values": [f"{m} min" for m in minutes]},
        ],
    }
    res = nevcalc.sweep(plan_from_dict(doc))
    charger = load_charger("ionity-350")
    k = 0
    for name in ("kia-ev6-77", "byd-han-l"):
        v = assemble(name).charging
        for t in ambients:
            for m in minutes:
                ans = charge(replace(v, consumption=1.0), charger, 0.1, 0.8,
                             ambient=273.15 + t, precondition=m * 60 if m else "none",
                             steps=CHARGE_STEPS)  # fmt: skip
                assert res.columns["charge_10_80"][k] == ans.duration / 60, (name, t, m)
                k += 1
    assert k == res.columns["charge_10_80"].size


def test_climate_consumption_rises_as_the_air_cools_below_the_cabin():
    from nevcalc.cars import assemble
    from nevcalc.evaluate import climate_consumption

    cars = [assemble("kia-ev6-77"), assemble("byd-han-l"), None]
    air = 273.15 + np.linspace(-30.0, 20.0, 12)
    got = climate_consumption(cars, air)
    for i in range(2):
        assert np.all(np.diff(got["consumption"][i]) < 0), cars[i].name
        assert np.all(got["consumption_wall"][i] > got["consumption"][i])
    assert np.all(np.isnan(got["consumption"][2]))


def test_cost_priced_by_month_is_the_cost_at_the_day_weighted_mean():
    """The evaluator prices a climate's year at the day-weighted mean of its months'
    consumption; the sum of the twelve months, each priced on its own for its share of
    the year's days, is the same (the energy cost is linear in the consumption)."""
    from nevcalc.evaluate import MONTH_DAYS, Economics, Usage, cost_stage, year_mean
    from nevcalc.units import si_factor

    kwh = si_factor("kWh")
    econ = Economics(10, 0.05, 0.0, 0.0, 0.7, -0.05)
    usage = Usage(1.5e7, 0.2, 7e3, 298.15, 0.3, 0.8, 0.15 / kwh, 0.40 / kwh, 0.0)
    months = 500.0 + 20.0 * np.arange(12.0)  # [J/m]
    common = dict(installed_energy=60 * kwh, pack_price=100 / kwh, charging_efficiency=0.9,
                  fast_power=100e3, years_to_replace=np.inf)  # fmt: skip
    each = cost_stage(econ, usage, consumption=months, consumption_wall=months / 0.9, **common)
    by_month = float(np.sum(each.energy * MONTH_DAYS / 365.0))
    mean = float(year_mean(months))
    flat = cost_stage(econ, usage, consumption=mean, consumption_wall=mean / 0.9, **common)
    assert by_month == pytest.approx(float(flat.energy), rel=1e-12)


def test_nevcalc_cost_prices_the_energy_in_the_climates_air(run_cli):
    import json

    def energy(*args):
        code, out, _ = run_cli("cost", "kia-ev6-77", "--json", *args)
        assert code == 0
        doc = json.loads(out)
        return doc["parts"]["energy"]["value"], doc["assumptions"]

    label, _ = energy()
    oslo, notes = energy("--climate", "oslo")
    assert oslo > label and any("month by month in oslo" in n for n in notes)
