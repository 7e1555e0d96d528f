"""Fit a cell's R0 + one RC branch (R1, tau) to PyBaMM DFN current pulses.

The cell model is nevcalc's (``nevcalc.model.charging``): terminal voltage
``V = OCV(s + delta) + eta + R0 I``, with ``delta`` the particle-surface SoC
offset of solid diffusion and ``eta`` the voltage of one RC branch. The
diffusion time ``t_d = R_p^2 / D_p`` is not fitted: it is computed from the
positive-electrode particle radius and diffusivity of the parameter set
(Chen2020: 5.22 um, 4e-15 m^2/s; Prada2013: 50 nm, 5.9e-18 m^2/s).

Calibration data: ``pybamm_pulses.csv`` (charge pulses at 1C/300 s and 3C/120 s
from 50 % SoC, 2C/300 s from 20 % SoC, each followed by 600 s of rest, made by
``pybamm_cccv.py``). The CC-CV charge times in ``pybamm_cccv_times.csv`` are
not used here: they are what the fitted model is then checked against.

With ``t_d`` fixed and for a given ``tau`` the voltage is linear in ``R0``
and ``R1``, so each ``tau`` of a log-spaced grid gets a linear least-squares
fit, and the best ``tau`` is kept (then refined on a finer grid around it).

Run from the project root with nevcalc's own environment::

    python tests/reference/fit_cell_rc.py

It prints the fitted values and writes ``cell_rc_fit.csv`` beside itself;
the chemistry specs ``chen2020`` and ``prada2013`` carry those values.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent


def _rows(name):
    with (HERE / name).open() as fh:
        return list(csv.DictReader(line for line in fh if not line.startswith("#")))


def _ocv(parameter_set):
    pts = [
        (float(r["soc"]), float(r["ocv_v"]))
        for r in _rows("pybamm_ocv.csv")
        if r["parameter_set"] == parameter_set
    ]
    soc, v = np.array(sorted(pts)).T
    return soc, v


def _capacity(parameter_set):
    row = next(r for r in _rows("pybamm_cccv_times.csv") if r["parameter_set"] == parameter_set)
    return float(row["usable_capacity_ah"]) * 3600.0


START_SOC = {"soc50": 0.5, "soc20": 0.2}

#: Positive-electrode particle radius [m] and diffusivity [m^2 s^-1] of the
#: PyBaMM parameter sets (Chen et al. 2020; Prada et al. 2013).
PARTICLE = {"Chen2020": (5.22e-6, 4e-15), "Prada2013": (5e-8, 5.9e-18)}
SPHERE_MODE = 20.19  # first eigenvalue of diffusion in a sphere, as in nevcalc


def _surface_offset(t, i, q, t_d):
    """Particle-surface SoC offset: tends to I t_d / (15 Q) with time constant t_d / 20.19."""
    d = np.zeros_like(i)
    tr = t_d / SPHERE_MODE
    for k in range(1, len(t)):
        a = np.exp(-(t[k] - t[k - 1]) / tr)
        d[k] = d[k - 1] * a + i[k] * t_d / (15.0 * q) * (1 - a)
    return d


def _pulses(parameter_set):
    out = {}
    for r in _rows("pybamm_pulses.csv"):
        if r["parameter_set"] == parameter_set:
            out.setdefault(r["test"], []).append(
                (float(r["time_s"]), float(r["current_a"]), float(r["voltage_v"]))
            )
    return {k: np.array(v) for k, v in out.items()}


def _filtered(t, i, tau):
    """eta / R1 for unit R1: first-order response to the current history."""
    x = np.zeros_like(i)
    for k in range(1, len(t)):
        a = np.exp(-(t[k] - t[k - 1]) / tau)
        x[k] = x[k - 1] * a + i[k] * (1 - a)  # current over the previous step is i[k]
    return x


def fit(parameter_set):
    soc_tab, ocv_tab = _ocv(parameter_set)
    q = _capacity(parameter_set)
    pulses = _pulses(parameter_set)
    radius, diffusivity = PARTICLE[parameter_set]
    t_d = radius**2 / diffusivity

    def system(tau):
        a_rows, b_rows = [], []
        for name, data in pulses.items():
            t, i, v = data.T
            soc0 = START_SOC[name.rsplit("_", 1)[-1]]
            charge = np.concatenate([[0.0], np.cumsum(i[1:] * np.diff(t))])
            surface = soc0 + charge / q + _surface_offset(t, i, q, t_d)
            ocv = np.interp(surface, soc_tab, ocv_tab)
            a_rows.append(np.column_stack([i, _filtered(t, i, tau)]))
            b_rows.append(v - ocv)
        return np.vstack(a_rows), np.concatenate(b_rows)

    def solve(tau):
        a, b = system(tau)
        coef, *_ = np.linalg.lstsq(a, b, rcond=None)
        resid = a @ coef - b
        return float(np.sqrt(np.mean(resid**2))), coef

    taus = np.geomspace(2.0, 2000.0, 41)
    best = min(taus, key=lambda tau: solve(tau)[0])
    fine = np.geomspace(best / 1.2, best * 1.2, 21)
    tau = float(min(fine, key=lambda x: solve(x)[0]))
    rms, (r0, r1) = solve(tau)
    return {
        "parameter_set": parameter_set,
        "r0_ohm": float(r0),
        "r1_ohm": float(r1),
        "tau_s": tau,
        "diffusion_time_s": t_d,
        "rms_v": rms,
        "capacity_ah": q / 3600.0,
    }


def main():
    results = [fit(ps) for ps in ("Chen2020", "Prada2013")]
    with (HERE / "cell_rc_fit.csv").open("w", newline="") as fh:
        fh.write("# R0 + RC fit to PyBaMM DFN pulses (pybamm_pulses.csv) by fit_cell_rc.py\n")
        w = csv.DictWriter(fh, fieldnames=list(results[0]))
        w.writeheader()
        for r in results:
            w.writerow({k: (f"{v:.6g}" if isinstance(v, float) else v) for k, v in r.items()})
    for r in results:
        print(r)


if __name__ == "__main__":
    main()
