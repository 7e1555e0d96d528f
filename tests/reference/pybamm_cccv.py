"""PyBaMM reference data for nevcalc's CC-CV charging tests.

PyBaMM is NOT a dependency of nevcalc.  It lives in its own virtual
environment next to this script (ignored by git):

    python3 -m venv tests/reference/.venv-pybamm
    tests/reference/.venv-pybamm/bin/pip install pybamm==26.10
    tests/reference/.venv-pybamm/bin/python tests/reference/pybamm_cccv.py

(``pybamm==26.10`` resolves to PyBaMM 26.10.0.0; the version actually used is
written into every output file.)  A full run takes well under a minute on a
2-core machine.

What it does, for the parameter sets Chen2020 (NMC811/graphite, 5 Ah) and
Prada2013 (LFP/graphite, 2.3 Ah) with the DFN model at 25 degC (ambient and
initial temperature 298.15 K; Prada2013 ships 298 K, which gives the same
results to 0.01 min):

* Usable capacity: PyBaMM's electrode state-of-health solver
  (``pybamm.lithium_ion.ElectrodeSOHSolver``, cyclable-lithium mode) gives the
  stoichiometry limits x_0/x_100 (negative) and y_0/y_100 (positive) at which
  the open-circuit voltage equals the lower/upper voltage cut-off.  The usable
  capacity is Q = Q_n * (x_100 - x_0) (= Q_p * (y_0 - y_100)).  SoC is the
  fraction of that window, i.e. the definition ``Simulation.solve(initial_soc=...)``
  uses: x = x_0 + SoC (x_100 - x_0), y = y_0 - SoC (y_0 - y_100).
  Chen2020: Q = 5.1532 Ah (nominal 5.0 Ah); Prada2013: Q = 2.3035 Ah
  (nominal 2.3 Ah).

* CC-CV 10 % -> 80 %: fresh cell at rest, ``initial_soc=0.1``; experiment
  "Charge at {C}C until Vmax V", "Hold at Vmax V until C/20" (C-rates, also
  the C/20 cut-off, relative to the NOMINAL capacity), 1 s output period.
  ``minutes_10_80`` is the time at which the charge throughput (change of
  "Discharge capacity [A.h]") reaches 0.70 * usable capacity, linearly
  interpolated in the solution.  ``cv_start_soc`` is 0.1 + throughput/usable
  capacity at the end of the CC step, left empty if the CC step lasts past
  80 % SoC.  This definition (usable capacity from the stoichiometry limits,
  C-rate from the nominal capacity) reproduces the published table
  (Chen2020 86.57 / 46.02 / 31.79 / 29.78 / 29.44 min, Prada2013
  84.13 / 42.06 / 21.03 / 14.02 / 11.13 min at 0.5 / 1 / 2 / 3 / 4C) to
  0.01 min.

* Pulses (calibration data): from rest at SoC s, charge at C for N s, then
  rest 600 s: ``1C_300s_soc50``, ``3C_120s_soc50``, ``2C_300s_soc20``.
  Terminal voltage at 1 s resolution.  Row convention: t = 0 is the rested
  cell before the pulse (current 0, voltage = rest voltage); a row at t > 0
  holds the current applied over (t - 1 s, t] and the voltage at t, so the
  pulse is on for 0 < t <= N and off afterwards.  Current is positive for
  charge.  A fixed-duration step is not stopped at the upper cut-off: the
  Chen2020 3C pulse peaks at about 4.43 V, above its 4.2 V cut-off.

* OCV vs SoC at SoC = 0, 0.05, ..., 1 over the usable window, evaluated from
  the electrode open-circuit potentials at the stoichiometries above.

Outputs (next to this script): pybamm_cccv_times.csv, pybamm_pulses.csv,
pybamm_ocv.csv.  The script raises if any solve stops early (PyBaMM logs a
failed solve and returns a partial solution instead of raising).
"""

from __future__ import annotations

import csv
import os
import time

import numpy as np
import pybamm

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPT = "tests/reference/pybamm_cccv.py"
PARAMETER_SETS = ["Chen2020", "Prada2013"]
C_RATES = [0.5, 1, 2, 3, 4]
SOC_START = 0.10
SOC_END = 0.80
T_25C = 298.15
PULSES = [
    # test name, C-rate, pulse length [s], initial SoC, rest after [s]
    ("1C_300s_soc50", 1, 300, 0.5, 600),
    ("3C_120s_soc50", 3, 120, 0.5, 600),
    ("2C_300s_soc20", 2, 300, 0.2, 600),
]

pybamm.set_logging_level("ERROR")


def parameter_values(name: str) -> pybamm.ParameterValues:
    pv = pybamm.ParameterValues(name)
    pv.update({"Ambient temperature [K]": T_25C, "Initial temperature [K]": T_25C})
    return pv


def electrode_window(pv: pybamm.ParameterValues) -> dict:
    """Stoichiometry limits at the voltage cut-offs and the usable capacity."""
    param = pybamm.LithiumIonParameters()
    esoh = pybamm.lithium_ion.ElectrodeSOHSolver(pv, param=param)
    inputs = {
        "Q_n": pv.evaluate(param.n.Q_init),
        "Q_p": pv.evaluate(param.p.Q_init),
        "Q_Li": pv.evaluate(param.Q_Li_particles_init),
    }
    sol = esoh.solve(inputs)
    out = {k: float(sol[k]) for k in ("x_0", "x_100", "y_0", "y_100", "Q")}
    out["Q_n"] = float(inputs["Q_n"])
    return out


def ocv_curve(pv: pybamm.ParameterValues, win: dict, socs) -> list[float]:
    param = pybamm.LithiumIonParameters()
    T = pv["Initial temperature [K]"]
    out = []
    for s in socs:
        x = win["x_0"] + s * (win["x_100"] - win["x_0"])
        y = win["y_0"] - s * (win["y_0"] - win["y_100"])
        U_p = pv.evaluate(param.p.prim.U(pybamm.Scalar(y), T))
        U_n = pv.evaluate(param.n.prim.U(pybamm.Scalar(x), T))
        out.append(float(U_p - U_n))
    return out


def run_experiment(pv, steps, initial_soc):
    exp = pybamm.Experiment([tuple(steps)], period="1 second")
    sim = pybamm.Simulation(pybamm.lithium_ion.DFN(), parameter_values=pv.copy(), experiment=exp)
    sol = sim.solve(initial_soc=initial_soc)
    n_steps = len(sol.cycles[0].steps) if sol.cycles else 0
    if n_steps != len(steps):
        raise RuntimeError(
            f"solve stopped after {n_steps} of {len(steps)} steps: {sol.termination}"
        )
    return sol


def cccv_row(name, pv, win, c_rate):
    v_max = pv["Upper voltage cut-off [V]"]
    steps = [
        f"Charge at {c_rate}C until {v_max} V",
        f"Hold at {v_max} V until C/20",
    ]
    sol = run_experiment(pv, steps, SOC_START)
    t = sol["Time [s]"].entries
    q = sol["Discharge capacity [A.h]"].entries
    throughput = -(q - q[0])
    target = (SOC_END - SOC_START) * win["Q"]
    if throughput[-1] < target:
        raise RuntimeError(f"{name} {c_rate}C: charge ended before 80 % SoC")
    i = int(np.argmax(throughput >= target))
    t_target = float(np.interp(target, throughput[: i + 1], t[: i + 1]))

    cc = sol.cycles[0].steps[0]
    t_cc_end = float(cc["Time [s]"].entries[-1])
    if "Voltage" not in str(cc.termination) and "voltage" not in str(cc.termination):
        raise RuntimeError(f"{name} {c_rate}C: CC step ended by {cc.termination}")
    soc_cv = SOC_START + float(np.interp(t_cc_end, t, throughput)) / win["Q"]
    return {
        "minutes_10_80": t_target / 60.0,
        "cv_start_soc": soc_cv if soc_cv < SOC_END else None,
    }


def pulse_rows(name, pv, test, c_rate, duration, soc0, rest):
    steps = [
        "Rest for 60 seconds",
        f"Charge at {c_rate}C for {duration} seconds",
        f"Rest for {rest} seconds",
    ]
    sol = run_experiment(pv, steps, soc0)
    pre, pulse, post = sol.cycles[0].steps
    t_on = float(pulse["Time [s]"].entries[0])
    rows = [(0, 0.0, float(pre["Terminal voltage [V]"].entries[-1]))]
    for step in (pulse, post):
        ts = step["Time [s]"].entries - t_on
        currents = -step["Current [A]"].entries  # positive for charge
        volts = step["Terminal voltage [V]"].entries
        for tt, ii, vv in zip(ts[1:], currents[1:], volts[1:], strict=False):
            rows.append((tt, ii, vv))
    times = np.array([r[0] for r in rows])
    expected = np.arange(duration + rest + 1)
    if len(times) != len(expected) or np.max(np.abs(times - expected)) > 1e-6:
        raise RuntimeError(f"{name} {test}: output times are not a 1 s grid")
    return [(name, test, round(tt), 0.0 if abs(ii) < 1e-12 else ii, vv) for tt, ii, vv in rows]


def header(f, what):
    f.write(
        f"# {what}. PyBaMM {pybamm.__version__}, DFN model, parameter sets "
        f"Chen2020 and Prada2013 (pybamm.ParameterValues), 25 degC; "
        f"generated by {SCRIPT}\n"
    )


def main():
    t_start = time.time()
    times_rows, pulse_out, ocv_rows = [], [], []
    socs = np.round(np.linspace(0.0, 1.0, 21), 2)
    for name in PARAMETER_SETS:
        pv = parameter_values(name)
        win = electrode_window(pv)
        q_nom = pv["Nominal cell capacity [A.h]"]
        v_max = pv["Upper voltage cut-off [V]"]
        v_min = pv["Lower voltage cut-off [V]"]
        print(
            f"{name}: usable {win['Q']:.4f} Ah, nominal {q_nom} Ah, "
            f"x {win['x_0']:.4f}-{win['x_100']:.4f}, "
            f"y {win['y_100']:.4f}-{win['y_0']:.4f}",
            flush=True,
        )
        for s, v in zip(socs, ocv_curve(pv, win, socs), strict=False):
            ocv_rows.append((name, s, v))
        for c in C_RATES:
            t0 = time.time()
            r = cccv_row(name, pv, win, c)
            cv = "" if r["cv_start_soc"] is None else f"{r['cv_start_soc']:.4f}"
            times_rows.append(
                (
                    name,
                    "DFN",
                    c,
                    f"{r['minutes_10_80']:.4f}",
                    cv,
                    f"{q_nom:.4f}",
                    f"{win['Q']:.6f}",
                    f"{v_max:.2f}",
                    f"{v_min:.2f}",
                )
            )
            print(
                f"  {c}C: {r['minutes_10_80']:.2f} min, CV from SoC {cv or '-'}"
                f" ({time.time() - t0:.1f} s)",
                flush=True,
            )
        for test, c, dur, soc0, rest in PULSES:
            t0 = time.time()
            pulse_out.extend(pulse_rows(name, pv, test, c, dur, soc0, rest))
            print(f"  pulse {test} ({time.time() - t0:.1f} s)", flush=True)

    with open(os.path.join(HERE, "pybamm_cccv_times.csv"), "w", newline="") as f:
        header(f, "CC-CV charge 10 % -> 80 % of usable capacity, minutes")
        w = csv.writer(f, lineterminator="\n")
        w.writerow(
            [
                "parameter_set",
                "model",
                "c_rate",
                "minutes_10_80",
                "cv_start_soc",
                "nominal_capacity_ah",
                "usable_capacity_ah",
                "v_max",
                "v_min",
            ]
        )
        w.writerows(times_rows)

    with open(os.path.join(HERE, "pybamm_pulses.csv"), "w", newline="") as f:
        header(
            f,
            "Charge pulses then rest, 1 s resolution, current positive "
            "for charge, row t holds current over (t-1 s, t]",
        )
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["parameter_set", "test", "time_s", "current_a", "voltage_v"])
        for name, test, tt, ii, vv in pulse_out:
            w.writerow([name, test, tt, f"{ii:.6f}", f"{vv:.6f}"])

    with open(os.path.join(HERE, "pybamm_ocv.csv"), "w", newline="") as f:
        header(f, "Open-circuit voltage vs SoC over the usable window")
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["parameter_set", "soc", "ocv_v"])
        for name, s, v in ocv_rows:
            w.writerow([name, f"{s:.2f}", f"{v:.6f}"])

    print(f"done in {time.time() - t_start:.1f} s")


if __name__ == "__main__":
    main()
