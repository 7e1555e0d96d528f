"""Cold DC charging against published winter sessions (``data/cold_charging.csv``).

The cases and the settings the sources do not give are those of
:mod:`tests.validation.cold_cases`; its chosen settings (the preconditioning of a
session whose row leaves it unstated, with the default battery heater's power) were
chosen on the calibration rows alone (``tests/reference/fit_cold_charging.py``), so the
failure message gives the median of each split. Floor (issue 14):
median error of the cold charge time at most 15 %. The failure message prints every
case with the model's warm time beside it (what the same car takes at 25 degC), so
that the share of the error that is the car's (warm) and the temperature's can be read.
"""

from __future__ import annotations

import numpy as np
import pytest

from tests.validation import cold_cases as cc
from tests.validation.split import split_of


@pytest.fixture(scope="module")
def cases():
    rows = cc.read_cases()
    return rows, np.array([float(r["minutes"]) for r in rows]), cc.model_minutes(rows), (
        cc.model_minutes(rows, ambient=False))  # fmt: skip


def _text(rows, pub, cold, warm) -> str:
    err = cold / pub - 1
    out = [f"{len(rows)} cases: median |error| {np.median(np.abs(err)):.1%}, worst "
           f"{err[np.argmax(np.abs(err))]:+.1%}"]  # fmt: skip
    for split in ("calibration", "test"):
        e = np.abs([x for r, x in zip(rows, err, strict=True)
                    if split_of(r["make"], r["model"]) == split])  # fmt: skip
        if e.size:
            out.append(f"{split}: {e.size} cases, median |error| {np.median(e):.1%}")
    for r, p, c, w, e in sorted(zip(rows, pub, cold, warm, err, strict=True),
                                key=lambda x: -abs(x[4])):  # fmt: skip
        out.append(
            f"{r['case_id']} {r['make']} {r['model']} {r['ambient_c']} degC "
            f"pre={r['preconditioned']} {r['soc_from_pct']}-{r['soc_to_pct']} %: "
            f"published {p:.1f}, nevcalc {c:.1f} (at 25 degC {w:.1f}) min, {e:+.1%}"
        )
    return "\n".join(out)


def test_there_are_cases_and_each_is_answered(cases):
    rows, _, cold, _ = cases
    assert len(rows) >= 15
    assert np.all(np.isfinite(cold) & (cold > 0)), _text(*cases)


def test_cold_never_charges_faster_than_warm_without_preconditioning(cases):
    rows, _, cold, warm = cases
    for r, c, w in zip(rows, cold, warm, strict=True):
        if float(r["ambient_c"]) < 20 and r["preconditioned"] != "yes":
            assert c >= w - 1e-9, _text(*cases)


def test_median_error_at_most_15_percent(cases):
    """The issue's floor on every published session (23 of the 26 are calibration rows, on
    which the preconditioning of unstated sessions and the default heater were chosen;
    the failure message gives each split's median). Measured 2026-12-05: 14.5 %
    (calibration 15.8 %, test 7.4 %)."""
    _, pub, cold, _ = cases
    assert np.median(np.abs(cold / pub - 1)) <= 0.15, _text(*cases)
