"""The EPA label's adjustment of BEVs against published labels of 2022-2025 BEVs.

``tests/validation/data/epa_5cycle.csv`` gives, for 823 BEVs on fueleconomy.gov, the
unadjusted two-cycle (UDDS, HWFET) consumptions and the label values. Their ratio is
the label's adjustment factor: 0.7 for cars labelled by the derived method (capped at a
30 % adjustment), 0.60-0.77 for cars labelled from vehicle-specific 5-cycle tests.
nevcalc's 5-cycle label (:func:`nevcalc.scenario.road.five_cycle`, heater and air
conditioner loads from AAA's published tests) is held to that spread on the EPA cars of
``official_ranges.csv`` completed from their brochure figures.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

from nevcalc.model import label
from nevcalc.scenario.road import brochure_road_vehicle, five_cycle
from tests.validation.official_ranges import cases

DATA = Path(__file__).parent / "data" / "epa_5cycle.csv"
MI = 1609.344  # [m]


@pytest.fixture(scope="module")
def published():
    rows = list(csv.DictReader(open(DATA, encoding="utf-8")))
    per_m = 3.6e6 / 100 / MI  # kWh/100 mi -> J/m
    city = np.array([float(r["unadj_city_kwh_per_100mi"]) for r in rows]) * per_m
    hwy = np.array([float(r["unadj_hwy_kwh_per_100mi"]) for r in rows]) * per_m
    lab = np.array([float(r["label_combined_kwh_per_100mi"]) for r in rows]) * per_m
    years = np.array([int(r["model_year"]) for r in rows])
    return city, hwy, lab, years


def test_the_derived_method_capped_gives_the_short_cut_for_every_published_bev(published):
    city, hwy, _, years = published
    assert city.size >= 500
    for y in np.unique(years):
        sel = years == y
        c, h = label.derived_five_cycle(city[sel], hwy[sel], int(y))
        factor = label.adjustment_factor(label.two_cycle(city[sel], hwy[sel]),
                                         label.two_cycle(c, h))  # fmt: skip
        np.testing.assert_allclose(factor, 0.7, rtol=1e-12)


def test_published_labels_are_the_short_cut_or_a_5_cycle_factor_near_it(published):
    city, hwy, lab, _ = published
    factor = label.adjustment_factor(label.two_cycle(city, hwy), lab)
    assert np.mean(np.abs(factor - 0.7) < 0.01) > 0.4
    assert 0.6 < factor.min() and factor.max() < 0.8


def test_nevcalc_5_cycle_factor_falls_in_the_published_spread(published):
    city, hwy, lab, _ = published
    pub = label.adjustment_factor(label.two_cycle(city, hwy), lab)
    ours = np.array([five_cycle(brochure_road_vehicle(c.brochure, c.chemistry))["factor"]
                     for c in cases() if c.cycle == "EPA"])  # fmt: skip
    assert ours.size >= 20
    msg = (f"nevcalc median {np.median(ours):.3f} ({ours.min():.3f}-{ours.max():.3f}); "
           f"published median {np.median(pub):.3f} ({pub.min():.3f}-{pub.max():.3f})")  # fmt: skip
    assert abs(np.median(ours) - np.median(pub)) <= 0.03, msg
    assert pub.min() <= ours.min() and ours.max() <= pub.max(), msg
