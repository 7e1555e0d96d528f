"""Fit the fleet correction of the lab-cell ageing models on calibration fleet cases.

The BLAST-Lite models of :mod:`nevcalc.model.degradation` were fitted on lab cells.
Cars in fleets age differently: a pack's thermal management, a BMS that holds
buffers and rests, chemistries newer than the lab cells. The correction is one pair
of factors on the fade states of the direct model, ``y_cal -> f_cal y_cal`` and
``y_cyc -> f_cyc y_cyc`` (so on the rates ``k`` of ``y = k x^p``), the same for every
model, fitted here on the CALIBRATION cases of
``tests/validation/data/fleet_retention.csv`` only (the split of
``tests/validation/split.py``, study as make), each aged with the duty stated in
``tests/validation/fleet.py``. The loss is the mean absolute error in percentage
points; the search a grid of step 0.1 from 0.3 to 2.0, refined to step 0.025 around
the best node.

Run from the repository root:

    python -m tests.reference.fit_fleet_ageing

It writes ``specs/data/fleet_ageing.toml`` (read by :func:`nevcalc.ageing.fleet_scale`).
"""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np

from tests.validation.fleet import DATA, age_cases, load_cases

OUT = Path(__file__).resolve().parents[2] / "specs" / "data" / "fleet_ageing.toml"


def _loss(cases, published, f_cal, f_cyc):
    got = age_cases(cases, lambda _model: (f_cal, f_cyc))
    return float(np.mean(np.abs(got - published)))


def fit():
    """The factors, the calibration cases and their errors before and after."""
    cases = [c for c in load_cases() if c.split == "calibration"]
    pub = np.array([c.retention_pct for c in cases])
    coarse = np.round(np.arange(0.3, 2.0001, 0.1), 3)
    best = min(itertools.product(coarse, coarse), key=lambda f: _loss(cases, pub, *f))
    fine = [np.round(np.arange(b - 0.1, b + 0.1001, 0.025), 4) for b in best]
    best = min(itertools.product(*fine), key=lambda f: _loss(cases, pub, *f))
    before = age_cases(cases) - pub
    after = age_cases(cases, lambda _model: best) - pub
    return best, cases, before, after


def main():
    (f_cal, f_cyc), cases, before, after = fit()
    text = f'''# The fleet correction of the lab-cell ageing models: factors on the calendar and the
# cycling fade of every empirical model, fitted on the calibration fleet cases.
# Written by tests/reference/fit_fleet_ageing.py; do not edit by hand.
title = "Fleet correction of the lab-cell ageing models"
form = "fade_calendar * calendar_factor + fade_cycling * cycling_factor (rates of y = k x^p scaled)"
calendar_factor = {f_cal:.4f}
cycling_factor = {f_cyc:.4f}
source = "tests/validation/data/{DATA.name} (calibration cases), fitted by tests/reference/fit_fleet_ageing.py"
kind = "fitted"
calibration_cases = {len(cases)}
calibration_mae_pp_before = {np.mean(np.abs(before)):.3f}
calibration_mae_pp_after = {np.mean(np.abs(after)):.3f}
calibration_median_pp_before = {np.median(np.abs(before)):.3f}
calibration_median_pp_after = {np.median(np.abs(after)):.3f}
'''
    OUT.write_text(text)
    print(text)


if __name__ == "__main__":
    main()
