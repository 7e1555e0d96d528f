"""The Chen2020 cell of ``specs/chemistries/chen2020.toml``: its charge-transfer resistances
from the published kinetics, and the rest of its resistance fitted on the h = 50 points.

1. **Charge transfer, computed, not fitted.** Chen et al. (2020) give each electrode's
   exchange-current density ``j0 = k c_e^0.5 c_s^0.5 (c_max - c_s)^0.5`` (graphite
   k = 6.48e-7, NMC811 k = 3.42e-6 (A/m^2)(m^3/mol)^1.5, activation energies 35 and
   17.8 kJ/mol; as coded in PyBaMM's parameter set Chen2020, URL below). With the
   electrode's reaction area ``a L A`` (``a = 3 eps_s / R_p``, A the 0.065 x 1.58 m
   electrode) the cell's exchange current is ``I0 = j0 a L A`` and its small-signal
   charge-transfer resistance ``R_ct = R T / (F I0)`` at 25 degC and c_e = 1000 mol/m^3.
   It is taken at 50 % SoC, the stoichiometries from the usable window between 2.5 and
   4.2 V with the set's cyclable lithium (as PyBaMM's electrode SoH solver finds them;
   the window's capacity is checked against ``pybamm_cccv_times.csv``). Over 10-80 % SoC
   the graphite's R_ct runs from 35 mohm (10 %) to its minimum near 50 %, the NMC's
   varies by less; nevcalc's cell has one R_ct per electrode.

2. **Fitted on h = 50 W/m^2/K only.** nevcalc's march with the cell temperature
   (:func:`nevcalc.scenario.charge.cell_cc_cv_thermal`, PyBaMM's heat capacity and UA)
   with the two charge-transfer resistances above (Butler-Volmer, Arrhenius) leaves four
   numbers: the temperature-independent ohmic resistance, one RC pair (R1, tau) and the
   solid diffusion time. Charges minutes long do not tell tau from an ohmic resistance
   (free, it runs to a fraction of a second), so it is held at the pulse fit's
   (``cell_rc_fit.csv``). The other three are fitted by least squares (Levenberg-Marquardt
   on their logarithms, a numerical Jacobian) to the 10 h = 50 points of
   ``pybamm_thermal.csv`` (1C and 2C, -10 to 40 degC): residuals are the time 10 -> 80 %
   relative error over 5 % and the temperature-rise error at 80 % over 2 K (each over its
   floor in ``tests/validation/test_charge_thermal_pybamm.py``), and the relative error of
   the heat generated over 10 -> 80 % (the rows' ``heat_total_j``) over 5 %. Without the
   heat the time and rise alone barely tell a larger fixed resistance with a shorter
   diffusion time from the reverse, and their best fit (18.9 mohm, 4880 s) makes 10-16 %
   too much heat. The 10 h = 5 points, where the cell warms by 17-36 K, are held back:
   they are the test of the fit.

Run from the project root with nevcalc's own environment (about two minutes)::

    python tests/reference/fit_chen2020_cell.py

It writes ``chen2020_cell_fit.csv`` beside itself: the values, what they were fitted on
and the residual of every point (calibration and held back).

Source of the Chen2020 parameters: Chen et al., J. Electrochem. Soc. 167 (2020) 080534,
as coded in https://github.com/pybamm-team/PyBaMM/blob/develop/src/pybamm/input/parameters/lithium_ion/Chen2020.py
"""

from __future__ import annotations

import csv
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))

from nevcalc import catalog  # noqa: E402
from nevcalc.model.thermal import FARADAY, GAS_CONSTANT, ZERO_CELSIUS  # noqa: E402
from nevcalc.scenario.charge import _cell_thermal_profile  # noqa: E402
from tests.conftest import read_reference_csv  # noqa: E402

T_REF = ZERO_CELSIUS + 25.0
CALIBRATION_H = 50.0
#: Floors the residuals are scaled by: time [-] and temperature rise [K].
TIME_FLOOR, RISE_FLOOR = 0.05, 2.0
#: Scale of the residual of the heat generated over 10 -> 80 % [-].
HEAT_SCALE = 0.05
#: Time constant of the RC pair [s]: that of the fit to PyBaMM current pulses at 25 degC
#: (cell_rc_fit.csv); these charges, minutes long, do not tell it from an ohmic resistance.
TIME_CONSTANT = next(
    float(r["tau_s"]) for r in read_reference_csv("cell_rc_fit.csv") if r["parameter_set"] == "Chen2020"
)
#: SoC at which the charge-transfer resistances are taken [-].
SOC_RCT = 0.5

# Chen2020 as coded in PyBaMM (see the module text)
AREA = 0.065 * 1.58  # electrode height x width [m^2]
C_E = 1000.0  # electrolyte concentration [mol/m^3]
NEG = dict(k=6.48e-7, c_max=33133.0, eps=0.75, radius=5.86e-6, thickness=85.2e-6,
           c_init=29866.0, ea=35000.0)  # fmt: skip
POS = dict(k=3.42e-6, c_max=63104.0, eps=0.665, radius=5.22e-6, thickness=75.6e-6,
           c_init=17038.0, ea=17800.0)  # fmt: skip


def u_negative(x):
    """Graphite OCP [V] (Chen2020)."""
    return (
        1.9793 * np.exp(-39.3631 * x)
        + 0.2482
        - 0.0909 * np.tanh(29.8538 * (x - 0.1234))
        - 0.04478 * np.tanh(14.9159 * (x - 0.2769))
        - 0.0205 * np.tanh(30.4444 * (x - 0.6103))
    )


def u_positive(y):
    """NMC811 OCP [V] (Chen2020)."""
    return (
        -0.8090 * y
        + 4.4875
        - 0.0428 * np.tanh(18.5138 * (y - 0.5542))
        - 17.7326 * np.tanh(15.7890 * (y - 0.3117))
        + 17.5842 * np.tanh(15.9308 * (y - 0.3120))
    )


def _capacity(e):
    """Charge of the electrode's full stoichiometry range [C]."""
    return FARADAY * e["eps"] * e["thickness"] * AREA * e["c_max"]


def _bisect(f, a, b):
    fa = f(a)
    for _ in range(200):
        m = 0.5 * (a + b)
        fm = f(m)
        if (fm > 0) == (fa > 0):
            a, fa = m, fm
        else:
            b = m
    return 0.5 * (a + b)


def window():
    """Stoichiometry of both electrodes at SoC s, and the usable capacity [A h]."""
    qn, qp = _capacity(NEG), _capacity(POS)
    lithium = qn * NEG["c_init"] / NEG["c_max"] + qp * POS["c_init"] / POS["c_max"]  # [C]

    def y_of(x):
        return (lithium - x * qn) / qp

    def volts(v):
        return _bisect(lambda x: u_positive(y_of(x)) - u_negative(x) - v, 1e-4, 0.999)

    x0, x100 = volts(2.5), volts(4.2)

    def at(s):
        x = x0 + s * (x100 - x0)
        return x, y_of(x)

    return at, qn * (x100 - x0) / 3600.0


def charge_transfer_resistance(e, stoichiometry, temperature=T_REF):
    """R T / (F I0) of one electrode of the cell [ohm]."""
    c = stoichiometry * e["c_max"]
    j0 = e["k"] * np.sqrt(C_E * c * (e["c_max"] - c))  # [A/m^2]
    j0 = j0 * np.exp(e["ea"] / GAS_CONSTANT * (1.0 / T_REF - 1.0 / temperature))
    i0 = j0 * 3.0 * e["eps"] / e["radius"] * e["thickness"] * AREA  # [A]
    return GAS_CONSTANT * temperature / (FARADAY * i0)


def points():
    rows = [r for r in read_reference_csv("pybamm_thermal.csv") if r["parameter_set"] == "Chen2020"]
    nominal = next(
        float(r["nominal_capacity_ah"])
        for r in read_reference_csv("pybamm_cccv_times.csv")
        if r["parameter_set"] == "Chen2020"
    )
    return rows, nominal


def cell(chem, ohmic, r_n, r_p, r1, tau, t_d):
    values = dict(chem.values)
    values.update(
        cell_resistance=ohmic + r_n + r_p,
        charge_transfer_resistance_negative=r_n,
        charge_transfer_resistance_positive=r_p,
        cell_polarization_resistance=r1,
        cell_polarization_time_constant=tau,
        diffusion_time=t_d,
    )
    return replace(chem, values=values)


def errors(chem, rows, nominal):
    """Time 10 -> 80 % relative error [-], rise-at-80 % error [K] and relative error of the
    heat generated over 10 -> 80 % [-] at each row."""
    e_t, e_r, e_q = [], [], []
    for r in rows:
        amb = ZERO_CELSIUS + float(r["ambient_c"])
        c, ua = float(r["heat_capacity_j_k"]), float(r["ua_w_k"])
        prof = _cell_thermal_profile(chem, float(r["c_rate"]) * nominal, 0.1, amb, c, ua,
                                     nominal / 20.0, 400)  # fmt: skip
        ok = np.isfinite(prof.time[0])  # up to where the charge stops
        soc, time, temp = prof.soc[0][ok], prof.time[0][ok], prof.temperature[0][ok]
        t80, temp80 = np.interp(0.8, soc, time), np.interp(0.8, soc, temp)
        # heat generated = heat stored + heat given to ambient (trapezoid in time)
        lost = np.concatenate([[0.0], np.cumsum(0.5 * ua * np.diff(time) *
                                               (temp[1:] + temp[:-1] - 2 * amb))])  # fmt: skip
        heat = c * (temp80 - amb) + np.interp(0.8, soc, lost)
        e_t.append(t80 / 60.0 / float(r["minutes_10_80"]) - 1.0)
        e_r.append((temp80 - amb) - (float(r["t_at_80_c"]) - float(r["ambient_c"])))
        e_q.append(heat / float(r["heat_total_j"]) - 1.0)
    return np.array(e_t), np.array(e_r), np.array(e_q)


def fit(residual, p0, iterations=40):
    """Levenberg-Marquardt on ``log p`` with a forward-difference Jacobian."""
    z = np.log(np.asarray(p0, float))
    res = residual(np.exp(z))
    cost = res @ res
    lam = 1e-2
    for _ in range(iterations):
        jac = np.empty((res.size, z.size))
        for k in range(z.size):
            dz = np.zeros_like(z)
            dz[k] = 1e-4
            jac[:, k] = (residual(np.exp(z + dz)) - res) / 1e-4
        jtj, jtr = jac.T @ jac, jac.T @ res
        while True:
            damped = jtj + lam * (np.diag(np.diag(jtj)) + 1e-9 * np.eye(z.size))
            step = np.linalg.solve(damped, -jtr)
            trial = residual(np.exp(z + step))
            if np.all(np.isfinite(trial)) and trial @ trial < cost:
                z, res, cost, lam = z + step, trial, trial @ trial, lam / 3.0
                break
            lam *= 4.0
            if lam > 1e8:
                return np.exp(z), cost
        if np.max(np.abs(step)) < 1e-4:
            break
    return np.exp(z), cost


def main():
    at, capacity = window()
    pub = next(
        float(r["usable_capacity_ah"])
        for r in read_reference_csv("pybamm_cccv_times.csv")
        if r["parameter_set"] == "Chen2020"
    )
    assert abs(capacity / pub - 1.0) < 1e-4, (capacity, pub)
    x, y = at(SOC_RCT)
    r_n = charge_transfer_resistance(NEG, x)
    r_p = charge_transfer_resistance(POS, y)
    print(f"usable capacity {capacity:.4f} A h (PyBaMM {pub:.4f}); at {SOC_RCT:.0%} SoC "
          f"x = {x:.4f}, y = {y:.4f}")  # fmt: skip
    print(f"R_ct at 25 degC: graphite {r_n * 1e3:.3f} mohm, NMC {r_p * 1e3:.3f} mohm")
    s = np.linspace(0.1, 0.8, 8)
    xs, ys = at(s)
    for si, a, b in zip(s, charge_transfer_resistance(NEG, xs), charge_transfer_resistance(POS, ys),
                        strict=True):  # fmt: skip
        print(f"  SoC {si:.0%}: {a * 1e3:.2f} / {b * 1e3:.2f} mohm")

    chem = catalog.load("chen2020", "chemistry")
    rows, nominal = points()
    calib = np.array([float(r["h_w_m2k"]) == CALIBRATION_H for r in rows])
    fit_rows = [r for r, c in zip(rows, calib, strict=True) if c]

    tau = TIME_CONSTANT

    def residual(p):
        ohmic, r1, t_d = p
        e_t, e_r, e_q = errors(cell(chem, ohmic, r_n, r_p, r1, tau, t_d), fit_rows, nominal)
        return np.concatenate([e_t / TIME_FLOOR, e_r / RISE_FLOOR, e_q / HEAT_SCALE])

    p0 = (0.006, 0.010, 6000.0)
    (ohmic, r1, t_d), cost = fit(residual, p0)
    e_t, e_r, e_q = errors(cell(chem, ohmic, r_n, r_p, r1, tau, t_d), rows, nominal)
    print(f"ohmic {ohmic * 1e3:.3f} mohm, R1 {r1 * 1e3:.3f} mohm, tau {tau:.2f} s, "
          f"t_d {t_d:.0f} s; cost {cost:.4f}")  # fmt: skip
    for r, a, b, d, c in zip(rows, e_t, e_r, e_q, calib, strict=True):
        use = "calibration" if c else "held back"
        print(f"  {r['c_rate']}C {r['ambient_c']:>3} degC h={r['h_w_m2k']:>2}: "
              f"time {a:+.2%} rise {b:+.2f} K heat {d:+.1%}  {use}")  # fmt: skip
    for name, sel in (("calibration", calib), ("held back", ~calib)):
        print(f"{name}: time |err| median {np.median(np.abs(e_t[sel])):.2%} max "
              f"{np.max(np.abs(e_t[sel])):.2%}; rise |err| median "
              f"{np.median(np.abs(e_r[sel])):.2f} K max {np.max(np.abs(e_r[sel])):.2f} K")  # fmt: skip

    with (HERE / "chen2020_cell_fit.csv").open("w", newline="") as fh:
        fh.write(
            "# The Chen2020 cell of specs/chemistries/chen2020.toml, by fit_chen2020_cell.py: "
            "charge-transfer resistances computed from the published exchange-current "
            f"densities at 25 degC and {SOC_RCT:.0%} SoC; ohmic resistance, R1 and diffusion "
            "time fitted (to the time 10->80 %, the temperature rise at 80 % and the heat "
            "generated) on the h = 50 W/m2/K points of pybamm_thermal.csv only (use = "
            "calibration), the RC time constant that of the pulse fit; the h = 5 points are "
            "held back. Errors: nevcalc minus PyBaMM, time and heat relative, rise in K\n"
        )
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["parameter_set", "item", "use", "value", "unit", "time_error",
                    "rise_error_k", "heat_error"])  # fmt: skip
        for name, value, unit, how in (
            ("charge_transfer_resistance_negative", r_n, "ohm", "computed"),
            ("charge_transfer_resistance_positive", r_p, "ohm", "computed"),
            ("ohmic_resistance", ohmic, "ohm", "fitted"),
            ("cell_resistance", ohmic + r_n + r_p, "ohm", "ohmic + charge transfer"),
            ("cell_polarization_resistance", r1, "ohm", "fitted"),
            ("cell_polarization_time_constant", tau, "s", "pulse fit (cell_rc_fit.csv)"),
            ("diffusion_time", t_d, "s", "fitted"),
            ("calibration_h", CALIBRATION_H, "W/m2/K", "fitted on"),
            ("calibration_points", int(calib.sum()), "", "fitted on"),
        ):
            w.writerow(["Chen2020", name, how, f"{value:.6g}", unit, "", "", ""])
        for r, a, b, d, c in zip(rows, e_t, e_r, e_q, calib, strict=True):
            point = f"{r['c_rate']}C {r['ambient_c']}degC h{r['h_w_m2k']}"
            w.writerow(["Chen2020", point, "calibration" if c else "held back", "", "",
                        f"{a:+.4f}", f"{b:+.3f}", f"{d:+.4f}"])  # fmt: skip


if __name__ == "__main__":
    main()
