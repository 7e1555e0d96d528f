"""Ratios of official ranges of the same variant on two procedures (EPA, CLTC, NEDC over WLTP).

Published: ``tests/validation/data/range_pairs.csv``. nevcalc's ratio comes from one
brochure car on both procedures (``tests/validation/range_pairs.py``). The label
physics alone (0.7 short cut, or the 5-cycle method with AAA's heater and
air-conditioning loads) gives an EPA/WLTP ratio near 0.8 for every car, while published
ratios run 0.73-1.0: the spread comes from what the makers' tests measure (5-cycle
testing or not, drive modes), which no brochure says. The calibrated consumption
factors (fitted on calibration official ranges) move the ratio to the published middle;
held-back pairs check that.
"""

from __future__ import annotations

import numpy as np
import pytest

from tests.validation.range_pairs import ratio_rows

#: Bound on the gap between nevcalc's and the published median ratio [-].
RATIO_BOUND = 0.05


def _table(rows) -> str:
    return "\n".join(f"{r['pair'][:55]:55} {r['split']:11} {r['cycle']:4} published "
                     f"{r['published']:.3f}  0.7 {r['short_cut']:.3f}  5-cycle "
                     f"{r['five_cycle']:.3f}" for r in rows)  # fmt: skip


@pytest.fixture(scope="module")
def raw():
    return ratio_rows(calibrated=False)


def test_the_label_physics_gives_epa_below_wltp_for_every_car(raw):
    epa = [r for r in raw if r["cycle"] == "epa"]
    assert len(epa) >= 10, _table(raw)
    for r in epa:
        # both labels below the WLTP range, the 5-cycle within 5 % of the short cut
        assert 0.7 < r["short_cut"] < 0.9 and 0.7 < r["five_cycle"] < 0.9, _table([r])
        assert abs(r["five_cycle"] / r["short_cut"] - 1) < 0.05, _table([r])


def test_cltc_and_nedc_ranges_exceed_wltp_ones(raw):
    """The gentler Chinese and European cycles give more km than WLTP, in the model for
    every car and in the published pairs by about 5 % or more at the median (one pair,
    a WLTP best case against an unstated Chinese wheel, is only 4 % apart)."""
    rows = [r for r in raw if r["cycle"] in ("cltc", "nedc")]
    assert len(rows) >= 5, _table(raw)
    for r in rows:
        assert r["short_cut"] > 1.0 and r["published"] > 1.0, _table([r])
    assert np.median([r["short_cut"] for r in rows]) > 1.05, _table(rows)
    assert np.median([r["published"] for r in rows]) > 1.05, _table(rows)


def test_calibrated_epa_to_wltp_ratio_of_held_back_pairs_is_the_published_one():
    rows = [r for r in ratio_rows(calibrated=True) if r["split"] == "test" and r["cycle"] == "epa"]
    assert len(rows) >= 2, "no held-back EPA/WLTP pairs"
    pub = np.median([r["published"] for r in rows])
    model = np.median([r["short_cut"] for r in rows])
    assert abs(model / pub - 1) <= RATIO_BOUND, _table(rows)
