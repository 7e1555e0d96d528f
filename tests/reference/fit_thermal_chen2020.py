"""Fit the charge-transfer shares of the Chen2020 cell's resistance on the h = 50 points.

nevcalc's lumped thermal model of the PyBaMM Chen2020 cell
(``tests/validation/pybamm_thermal.py``) splits the 25 degC resistance
R0 + R1 fitted to PyBaMM's current pulses (``cell_rc_fit.csv``) into an ohmic part (no temperature dependence,
as in the parameter set) and the small-signal charge-transfer resistances of
the graphite and NMC electrodes, whose exchange currents follow the set's
activation energies (35 and 17.8 kJ/mol) and whose heat is Butler-Volmer's.
The two shares are fitted here by least squares on the maximum temperature
rise of the **calibration points only: h = 50 W/m^2/K** (10 points: 1C and
2C, -10 to 40 degC). The h = 5 points are held back for
``tests/validation/test_thermal_pybamm.py``.

Grid search (the rise is cheap to compute for many candidates at once): a
0.02 grid on [0, 0.6]^2 with x_n + x_p <= 0.9, then a 0.0025 grid around the
best.

Run from the project root with nevcalc's own environment::

    python tests/reference/fit_thermal_chen2020.py

It writes ``thermal_chen2020_fit.csv`` beside itself.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))

from tests.validation import pybamm_thermal as pt  # noqa: E402


def grid(xn_values, xp_values):
    pairs = [(a, b) for a in xn_values for b in xp_values if a >= 0 and b >= 0 and a + b <= 0.9]
    return np.array(pairs)


def rms_on(points, mask, pairs):
    rise = pt.temperature_rise(points, pairs[:, :1], pairs[:, 1:])
    err = rise[:, mask] - points.rise[mask]
    return np.sqrt(np.mean(err**2, axis=1))


def main():
    points = pt.load_points()
    calib = points.h == pt.CALIBRATION_H
    pairs = grid(np.arange(0.0, 0.61, 0.02), np.arange(0.0, 0.61, 0.02))
    best = pairs[np.argmin(rms_on(points, calib, pairs))]
    fine = np.arange(-0.02, 0.0201, 0.0025)
    pairs = grid(best[0] + fine, best[1] + fine)
    rms = rms_on(points, calib, pairs)
    xn, xp = pairs[np.argmin(rms)]
    rise = pt.temperature_rise(points, xn, xp)
    err = rise - points.rise
    print(f"x_n = {xn:.4f}, x_p = {xp:.4f}; rms on h=50 {rms.min():.3f} K")
    for r, e in zip(points.rows, err, strict=True):
        print(f"  {r['c_rate']}C {r['ambient_c']:>3} degC h={r['h_w_m2k']:>2}: {e:+.2f} K")
    with (HERE / "thermal_chen2020_fit.csv").open("w", newline="") as fh:
        fh.write(
            "# Charge-transfer shares of the Chen2020 cell's 25 degC resistance (R0 + R1 of "
            "the pulse fit, cell_rc_fit.csv), fitted on the h = 50 W/m2/K points of "
            "pybamm_thermal.csv by fit_thermal_chen2020.py\n"
        )
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(
            [
                "parameter_set",
                "share_negative",
                "share_positive",
                "activation_energy_negative_j_mol",
                "activation_energy_positive_j_mol",
                "calibration_h_w_m2k",
                "calibration_points",
                "rms_calibration_k",
            ]
        )
        w.writerow(
            [
                pt.PARAMETER_SET,
                f"{xn:.4f}",
                f"{xp:.4f}",
                f"{pt.EA_NEGATIVE:.0f}",
                f"{pt.EA_POSITIVE:.0f}",
                f"{pt.CALIBRATION_H:g}",
                int(calib.sum()),
                f"{rms.min():.4f}",
            ]
        )


if __name__ == "__main__":
    main()
