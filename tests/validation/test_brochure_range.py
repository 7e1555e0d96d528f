"""Official ranges from brochure figures, on held-back published cases.

Each case is a published official range (WLTP, EPA, CLTC, NEDC) with the
figures its datasheet gives (``tests/validation/official_ranges.py``); nevcalc
is given those figures only (not the range, not the official consumption) and
estimates what is missing (:mod:`nevcalc.brochure.road`). Only the *test*
cases of ``tests/validation/split.py`` are used here: the relations and the
interval were fitted on the calibration cases
(``tests/reference/fit_brochure_road.py``).
"""

from __future__ import annotations

import csv

import numpy as np
import pytest

from nevcalc.scenario.road import brochure_road_vehicle, drive_range
from tests.validation.official_ranges import CASES_CSV, cases, procedure_of
from tests.validation.split import split_of

#: The issue's bound on the median absolute error of an official range [-].
MEDIAN_BOUND = 0.07
#: Coverage of the stated level must hold within this many points [-].
COVERAGE_SLACK = 0.10


@pytest.fixture(scope="module")
def answers():
    out = []
    for c in cases("test"):
        v = brochure_road_vehicle(c.brochure, c.chemistry, name=c.case_id)
        out.append((c, drive_range(v, procedure_of(c.cycle))))
    return out


def _table(rows) -> str:
    lines = []
    for c, r in sorted(rows, key=lambda x: -abs(x[1].range / x[0].range - 1)):
        i = r.interval
        band = "" if i is None else f"  80 %: {i.low / 1e3:5.0f}-{i.high / 1e3:5.0f}"
        err = (r.range / c.range - 1) * 100
        lines.append(f"{c.label():70.70} official {c.range / 1e3:5.0f} km  model "
                     f"{r.range / 1e3:5.0f} km  {err:+6.1f} %{band}")  # fmt: skip
    return "\n".join(lines)


def test_every_test_case_is_answered(answers):
    # every test row that publishes a battery energy and a range is a case: none dropped
    with open(CASES_CSV, newline="", encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if split_of(r["make"], r["model"]) == "test"
                and r["battery_kwh"].strip() and r["range_km"].strip()]  # fmt: skip
    assert len(answers) == len(rows) >= 5
    for c, r in answers:
        assert np.isfinite(r.range) and r.range > 0, c.label()


def test_median_error_of_official_ranges_within_7_percent(answers):
    err = np.array([abs(r.range / c.range - 1) for c, r in answers])
    worst = max(answers, key=lambda x: abs(x[1].range / x[0].range - 1))
    w = worst[1].range / worst[0].range - 1
    msg = (f"median {np.median(err):.3f}, p90 {np.percentile(err, 90):.3f}, worst "
           f"{worst[0].label()} {w:+.3f}\n{_table(answers)}")  # fmt: skip
    assert np.median(err) <= MEDIAN_BOUND, msg


def test_interval_coverage_within_10_points_of_its_level(answers):
    rows = [(c, r) for c, r in answers if r.interval is not None]
    assert len(rows) >= 5, _table(answers)
    level = rows[0][1].interval.level
    inside = [r.interval.low <= c.range <= r.interval.high for c, r in rows]
    coverage = float(np.mean(inside))
    assert abs(coverage - level) <= COVERAGE_SLACK, (
        f"coverage {coverage:.2f} of {len(rows)} test cases at level {level}\n{_table(rows)}"
    )


def test_estimates_are_listed_with_their_spread(answers):
    for c, r in answers:
        b = c.brochure
        given = {"curb_mass": b.curb_mass, "drag_coefficient": b.drag_coefficient,
                 "frontal_area": b.frontal_area}  # fmt: skip
        fields = [e.field for e in r.vehicle.estimates]
        for key, value in given.items():
            assert (key in fields) == (value is None), (c.label(), fields)
        for e in r.vehicle.estimates:
            assert e.low <= e.value <= e.high, (c.label(), e)
            assert any(a.startswith(f"{e.field} estimated") for a in r.assumptions), c.label()
