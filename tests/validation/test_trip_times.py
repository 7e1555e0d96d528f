"""Total times of long trips against the published 1000 km challenge runs.

The cases, their cars and the rule for what the sources do not give are those of
:mod:`tests.validation.trip_cases`; the four route settings (speed, station spacing,
stop overhead, reserve) were fitted once for every car on the calibration cases by
``tests/reference/fit_trip_settings.py``; here only the test cases are held to the
published times. Floor (issue 15): median error of the total time at most 10 %.
Run with ``-s`` to see the table of every case.

The table puts the model's stops and consumption beside the published ones where the
pages give them: the modelled motorway consumption at the fitted speed is well below
the trip computers' (wet roads, wind, winter tyres and large wheels are not in the road
model), so the plans stop less often than Nyland did; the fitted settings absorb part
of that, so the total time agrees better than its parts. The report prints the ratio
and the rows left out.
"""

from __future__ import annotations

import numpy as np
import pytest

from nevcalc.scenario.trip import trip
from tests.validation import trip_cases as tc

pytestmark = pytest.mark.skipif(not tc.SETTINGS.exists(), reason="no trip_settings.toml yet")


def _settings():
    s = tc.read_settings()["trip"]
    return s["speed_kmh"], s["station_spacing_km"], s["stop_overhead_min"], s["reserve_pct"]


@pytest.fixture(scope="module")
def all_cases():
    cases, _ = tc.read_trips()
    cars = [tc.vehicles(c) for c in cases]
    model, stops = tc.trip_minutes(cases, cars, *_settings())
    published = np.array([float(c["total_minutes"]) for c in cases])
    return cases, cars, published, model, stops


@pytest.fixture(scope="module")
def test_cases(all_cases):
    cases, cars, published, model, stops = all_cases
    keep = [i for i, c in enumerate(cases) if c["split"] == "test"]
    return ([cases[i] for i in keep], [cars[i] for i in keep], published[keep], model[keep],
            stops[keep])  # fmt: skip


def _extra(case, car, stops, speed) -> str:
    """Stops and consumption, the model's and (in brackets) the published ones."""
    cons = tc.trip_consumption(case, car, speed) / 36.0  # J/m -> kWh/100 km
    pub = tc._num(case.get("consumption_wh_per_km"))
    pub_text = "-" if pub is None else f"{pub / 10:.1f}"
    return f"{stops:2d} ({case.get('stops') or '-':>2})  {cons:5.1f} ({pub_text:>5})"


def _consumption_ratio(cases, cars) -> np.ndarray:
    """Modelled over published (trip computer) consumption, where the row gives it."""
    speed = _settings()[0]
    out = [tc.trip_consumption(c, v, speed) / 3.6 / tc._num(c["consumption_wh_per_km"])
           for c, v in zip(cases, cars, strict=True)
           if tc._num(c.get("consumption_wh_per_km")) is not None]  # fmt: skip
    return np.array(out)


def _table(cases, cars, published, model, stops) -> str:
    speed = _settings()[0]
    extra = [_extra(*x, speed) for x in zip(cases, cars, stops, strict=True)]
    return tc.table("Trip times, 1000 km challenge (test set)", cases, published, model,
                    "minutes; stops and kWh/100 km: the model's (published)",
                    extra=("stops    kWh/100 km", extra))  # fmt: skip


def test_there_are_cases_in_both_sets(all_cases):
    cases = all_cases[0]
    n_test = sum(c["split"] == "test" for c in cases)
    assert n_test >= 10 and len(cases) - n_test >= 15


def test_only_the_one_protocol_and_no_battery_swap(all_cases):
    for c in all_cases[0]:
        assert c["test"] == tc.PROTOCOL and "swap" not in c["charger_network"].lower()


def test_every_case_gets_a_feasible_plan(test_cases):
    model, stops = test_cases[3:]
    assert np.all(np.isfinite(model) & (model > 0)), _table(*test_cases)
    assert np.all(stops >= 1), _table(*test_cases)


def test_settings_were_fitted_on_the_calibration_cases_only(all_cases):
    s = tc.read_settings()["trip"]
    n_cal = sum(c["split"] == "calibration" for c in all_cases[0])
    assert s["cases"] == n_cal
    speed, spacing, overhead, reserve = _settings()
    assert 95 <= speed <= 120 and 40 <= spacing <= 100 and 2 <= overhead <= 8
    assert 5 <= reserve <= 15


def test_the_batched_plan_is_the_trip_answer(test_cases):
    """The cases are planned together; each equals ``nevcalc trip``'s answer alone."""
    cases, cars, _, model, _ = test_cases
    for i in (0, len(cases) // 2, len(cases) - 1):
        c = cases[i]
        route = tc.trip_route(c, *_settings())
        ans = trip(*cars[i], route, precondition=tc.trip_precondition(c))
        assert ans.total_time / 60 == pytest.approx(model[i], rel=1e-9)


def test_report(all_cases, test_cases):
    """The table of the test cases (``pytest -s``); the figures are asserted below."""
    s = tc.stats(test_cases[0], test_cases[2], test_cases[3])
    cal = [i for i, c in enumerate(all_cases[0]) if c["split"] == "calibration"]
    print("\n" + tc.summary("calibration set", [all_cases[0][i] for i in cal],
                            all_cases[2][cal], all_cases[3][cal]))  # fmt: skip
    print(_table(*test_cases))
    ratio = _consumption_ratio(*all_cases[:2])
    print(f"model / trip-computer consumption over {ratio.size} runs (both sets): median "
          f"{np.median(ratio):.2f}, {ratio.min():.2f}-{ratio.max():.2f}")  # fmt: skip
    print("left out: " + "; ".join(f"{c} ({why})" for c, why in tc.read_trips()[1]))
    assert s["n"] == len(test_cases[0]) and np.isfinite(s["median"])


def test_median_error_at_most_10_percent(test_cases):
    cases, _, published, model, _ = test_cases
    assert tc.stats(cases, published, model)["median"] <= 0.10, _table(*test_cases)
