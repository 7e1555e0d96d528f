"""How close to published charge times can a charge time from brochure figures get?

Two bounds on the error of :mod:`nevcalc.brochure.charging` on the published DC charge
times of ``tests/validation/data/charge_times.csv``, printed, never written: the
shipped relations stay those fitted on the calibration cases alone
(``tests/reference/fit_brochure_charging.py``).

1. **The published figures' own scatter.** Rows that share car, battery figure, peak
   power, window and charger limits (a maker's claim and a magazine's measurement of
   the same charge, or two tests) should give one time. The pooled standard deviation
   of ``ln(minutes)`` within those groups is the spread that no model of the datasheet
   can explain; assuming normal log errors, a model that knew each car's mean time
   would still be off by the printed median and 90th percentile.
2. **The relation's in-sample optimum on the test cases.** The BMS taper relation of
   the shipped form fitted on the *test* cases themselves (same loss and search as the
   calibration fit; peak power, voltage class and chemistry estimates as shipped),
   then scored on those same cases: what a calibration of this form, with this loss,
   reaches at best on them; a held-out fit does worse. This is a diagnostic of the
   form and the data, not a calibration: its coefficients are printed and dropped.
3. **More cases of the same kind.** The same relation fitted on the calibration and
   test cases together, scored on the test cases: what twice the calibration data
   would buy if it were like the data at hand.

Run from the repository root (about five minutes)::

    python tests/reference/charge_time_bounds.py
"""

from __future__ import annotations

import math
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from nevcalc.brochure import charging as bc  # noqa: E402
from tests.reference import fit_brochure_charging as fit  # noqa: E402
from tests.validation import charge_cases as cc  # noqa: E402


def _normal_cdf(z: float) -> float:
    return 0.5 * (1.0 + math.erf(z / math.sqrt(2.0)))


def relative_error_quantile(sd: float, q: float) -> float:
    """Quantile ``q`` of ``|exp(e) - 1|`` for ``e ~ N(0, sd^2)`` [-] (bisection)."""
    lo, hi = 0.0, 10.0
    for _ in range(100):
        m = 0.5 * (lo + hi)
        p = _normal_cdf(math.log1p(m) / sd) - _normal_cdf(math.log1p(-min(m, 1 - 1e-12)) / sd)
        lo, hi = (m, hi) if p < q else (lo, m)
    return 0.5 * (lo + hi)


def scatter_of_published(rows) -> tuple[float, int, int]:
    """Pooled within-group standard deviation of ln(minutes), the number of groups of
    two or more rows, and the rows in them."""
    keys = ("make", "model", "battery_kwh", "peak_dc_kw", "soc_from_pct", "soc_to_pct",
            "charger_kw", "charger_a")  # fmt: skip
    groups = defaultdict(list)
    for r in rows:
        groups[tuple((r.get(k) or "").strip().lower() for k in keys)].append(
            math.log(cc._num(r["minutes"]))
        )
    multi = [np.array(v) for v in groups.values() if len(v) > 1]
    ss = sum(float(np.sum((v - v.mean()) ** 2)) for v in multi)
    dof = sum(len(v) - 1 for v in multi)
    return math.sqrt(ss / dof), len(multi), sum(len(v) for v in multi)


def summary(name: str, model, published) -> str:
    err = np.abs(model / published - 1)
    return (f"{name}: {len(err)} cases, median {np.median(err):.1%}, "
            f"90th percentile {np.percentile(err, 90):.1%}")  # fmt: skip


def in_sample_optimum(cases) -> dict:
    """The taper relation of the shipped form fitted on ``cases`` (with peak power)."""
    given = [r for r in cases if cc._num(r.get("peak_dc_kw"))]
    shipped = bc.relations()
    saved = bc.relations
    bc.relations = lambda: {**shipped, "bms_taper": {**fit.START, "cases": 0}}
    try:
        vs = [cc.case_vehicle(r) for r in given]
        cov = [v for v, r in zip(vs, given, strict=True) if cc.chemistry_family(r) in fit.FAMILIES]
        fit.START["c_rate_span"] = [round(min(fit._c_rate(v) for v in cov), 3),
                                    round(max(fit._c_rate(v) for v in cov), 3)]  # fmt: skip
        kwh = [v.usable_energy / 3.6e6 for v in cov]
        fit.START["energy_span"] = [round(min(kwh), 1), round(max(kwh), 1)]
        loss = fit.taper_loss(given, cc.published_minutes(given))
        x0 = ([fit.START["knee"][0], 0.0, 0.0, fit.START["slope"][0], 0.0, 0.0]
              + [0.0] * len(fit.BODIES) + [0.0] * (1 + fit.SLOPE_SIZE) + [-1.0])  # fmt: skip
        x, _ = fit.nelder_mead(loss, x0, step=0.15)
        x, best = fit.nelder_mead(loss, x, step=0.05)
    finally:
        bc.relations = saved
    print(f"fit on {len(given)} cases with a peak power: loss {best:.4f}")
    return {**fit._params(np.round(x, 4)), "cases": len(given),
            "c_rate_span": fit.START["c_rate_span"],
            "energy_span": fit.START["energy_span"]}  # fmt: skip


def main():
    rows = [r for r in cc.read_cases() if r["usable"] and not r["doubtful"]]
    sd, groups, n = scatter_of_published(rows)
    print(f"published scatter: {groups} groups of the same charge ({n} rows), pooled sd of "
          f"ln(minutes) {sd:.3f}: a model that knew each car's mean time would be off by a "
          f"median {relative_error_quantile(sd, 0.5):.1%} and a 90th percentile "
          f"{relative_error_quantile(sd, 0.9):.1%}")  # fmt: skip

    test = [r for r in rows if r["split"] == "test"]
    pub = cc.published_minutes(test)
    stated = np.array([cc._num(r.get("peak_dc_kw")) is not None for r in test])
    shipped = cc.model_minutes(test, [cc.case_vehicle(r) for r in test])
    print(summary("shipped relation, test", shipped, pub))
    print(summary("  peak power stated", shipped[stated], pub[stated]))

    taper = in_sample_optimum(test)
    optimum = cc.model_minutes(test, [cc.case_vehicle(r, taper_params=taper) for r in test])
    print(summary("relation fitted on the test cases themselves, test", optimum, pub))
    print(summary("  peak power stated", optimum[stated], pub[stated]))
    print(summary("  peak power estimated", optimum[~stated], pub[~stated]))

    taper = in_sample_optimum(rows)
    pooled = cc.model_minutes(test, [cc.case_vehicle(r, taper_params=taper) for r in test])
    print(summary("relation fitted on calibration and test cases together, test", pooled, pub))
    print(summary("  peak power stated", pooled[stated], pub[stated]))


if __name__ == "__main__":
    main()
