"""PyBaMM reference data for nevcalc's lumped cell temperature in CC-CV charging.

PyBaMM is NOT a dependency of nevcalc.  It lives in its own virtual
environment next to this script (ignored by git), the same one as
``pybamm_cccv.py``:

    python3 -m venv tests/reference/.venv-pybamm
    tests/reference/.venv-pybamm/bin/pip install pybamm==26.10
    nice -n 10 tests/reference/.venv-pybamm/bin/python tests/reference/pybamm_thermal.py

(``pybamm==26.10`` resolves to PyBaMM 26.10.0.0; the version actually used is
written into every output file and every row.)  Points run one at a time on
one core; the full Chen2020 run (20 lumped + 10 isothermal DFN solves) takes
about a minute.  ``--sets Chen2020 ORegan2022`` (how the shipped files were
made, about 6 min) adds the LG M50 set with full temperature dependence and
its own 4.4 V cut-off (see PYBAMM_THERMAL_NOTES.md); ``--quick`` runs one
point only, for checking the environment.

What it does, for each parameter set (default: Chen2020, LG M50 NMC811/graphite,
5 Ah nominal), each ambient temperature -10, 0, 10, 25, 40 degC (the initial
cell temperature equals the ambient: a cell soaked at ambient), each C-rate
1C and 2C (of the NOMINAL capacity, as in pybamm_cccv.py) and each total
heat-transfer coefficient h = 5 and 50 W/m^2/K:

* DFN model with ``{"thermal": "lumped"}``: one volume-averaged cell
  temperature T with  C dT/dt = Q_total - h A (T - T_amb),  where
  C = rho_c_p_eff * V_cell ("Volume-averaged effective heat capacity
  [J.K-1.m-3]" times "Cell volume [m3]"), A = "Cell cooling surface area [m2]"
  (the "arbitrary" cell geometry that PyBaMM's lumped model uses by default)
  and the surface temperature equals the ambient (PyBaMM's default
  ``"surface temperature": "ambient"``).  Q_total is PyBaMM's
  "Total heating [W]" = "Ohmic heating [W]" (solid + electrolyte + current
  collectors) + "Irreversible electrochemical heating [W]" (a j eta_r) +
  "Reversible heating [W]" (a j T dU/dT) + "Heat of mixing [W]" (zero: option
  off) + "Hysteresis electrochemical heating [W]" (zero: single OCP).

* SoC and capacity exactly as pybamm_cccv.py: usable capacity Q from the
  electrode state-of-health solver (stoichiometry window between the
  open-circuit cut-off voltages at 25 degC), ``initial_soc=0.1``; the experiment
  "Charge at {C}C until Vmax V", "Hold at Vmax V until C/20" (C/20 of the
  nominal capacity), 1 s output period, IDAKLU solver with rtol 1e-6 and
  atol 1e-8 (the defaults fail in some CV steps: see RTOL).  SoC(t) = 0.1 + throughput(t) / Q with
  throughput the change of "Discharge capacity [A.h]" (positive for charge).
  ``minutes_10_80`` is the time at which SoC reaches 0.80 (linear
  interpolation in the solution); ``cv_start_soc`` the SoC at the end of the CC
  step (empty if CC lasts past 80 %; 0.1 if the cell is at Vmax at once).

* Endpoints, all over the 10 -> 80 % part of the charge (from t = 0 to the
  time SoC reaches 0.80): ``t_max_c`` the maximum of
  "Volume-averaged cell temperature [K]"; ``t_at_80_c`` its value at 80 %;
  ``temperature_rise_k`` = t_max - ambient; ``heat_total_j`` and its parts
  (``heat_ohmic_j``, ``heat_irreversible_j``, ``heat_reversible_j``) the time
  integrals (trapezoid on the 1 s solution) of the variables above;
  ``heat_to_ambient_j`` the integral of h A (T - T_amb);
  ``mean_voltage_v`` the charge-weighted mean terminal voltage
  (integral of V I dt / integral of I dt).  Also over the whole CC-CV (to
  C/20): ``t_max_full_c`` and ``minutes_to_c20``.

* Traces (pybamm_thermal_traces.csv): for each point, at every 1 % of SoC
  from 10 to 80 %: time, current (positive for charge), terminal voltage,
  cell temperature and "Total heating [W]", linearly interpolated against the
  charge throughput.

* The same points with the isothermal DFN (cell held at the ambient for the
  whole charge) in pybamm_isothermal_times.csv, to separate the effect of
  self-heating from that of the ambient (h plays no part there).  Its heat
  columns (option "calculate heat source for isothermal models") are the heat
  the cell would release at that fixed temperature: with the time they give
  the effective resistance against temperature.

Per-set constants for a lumped model: ``heat_capacity_j_k`` (C at the
initial temperature; temperature-dependent in ORegan2022) and ``ua_w_k``
(h A) on every row; the activation energies written in the set's functions
are in PYBAMM_THERMAL_NOTES.md.

The script raises if any solve stops early (PyBaMM logs a failed solve and
returns a partial solution instead of raising); a point that fails is
reported on stderr and left out of the CSVs, and with ``--fallback-spme``
it is rerun with the SPMe model (model column says which).
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import time

import numpy as np
import pybamm

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPT = "tests/reference/pybamm_thermal.py"
AMBIENTS_C = [-10, 0, 10, 25, 40]
C_RATES = [1, 2]
H_W_M2K = [5, 50]
SOC_START = 0.10
SOC_END = 0.80
SOC_GRID = np.round(np.arange(10, 81) / 100.0, 2)
T_ZERO = 273.15
T_REF = 298.15
# PyBaMM's default IDAKLU tolerances (rtol 1e-4, atol 1e-6) fail in the CV step
# of the 2C, h = 5 W/m^2/K charges (IDA_CONV_FAIL); these pass everywhere and
# agree with CasadiSolver(mode="safe") to 0.001 min and 0.001 K.
RTOL = 1e-6
ATOL = 1e-8

pybamm.set_logging_level("ERROR")

POINT_COLUMNS = [
    "parameter_set",
    "model",
    "c_rate",
    "ambient_c",
    "h_w_m2k",
    "minutes_10_80",
    "t_max_c",
    "t_at_80_c",
    "temperature_rise_k",
    "cv_start_soc",
    "heat_total_j",
    "heat_ohmic_j",
    "heat_irreversible_j",
    "heat_reversible_j",
    "heat_to_ambient_j",
    "mean_voltage_v",
    "t_max_full_c",
    "minutes_to_c20",
    "heat_capacity_j_k",
    "ua_w_k",
    "usable_capacity_ah",
    "solve_s",
    "pybamm_version",
]
TRACE_COLUMNS = [
    "parameter_set",
    "model",
    "c_rate",
    "ambient_c",
    "h_w_m2k",
    "soc",
    "time_s",
    "current_a",
    "voltage_v",
    "cell_temperature_c",
    "total_heat_w",
    "pybamm_version",
]
ISO_COLUMNS = [
    "parameter_set",
    "model",
    "c_rate",
    "ambient_c",
    "minutes_10_80",
    "cv_start_soc",
    "mean_voltage_v",
    "heat_total_j",
    "heat_ohmic_j",
    "heat_irreversible_j",
    "heat_reversible_j",
    "minutes_to_c20",
    "usable_capacity_ah",
    "solve_s",
    "pybamm_version",
]


def parameter_values(name: str, ambient_k: float, h: float | None) -> pybamm.ParameterValues:
    pv = pybamm.ParameterValues(name)
    pv.update({"Ambient temperature [K]": ambient_k, "Initial temperature [K]": ambient_k})
    if h is not None:
        pv.update({"Total heat transfer coefficient [W.m-2.K-1]": h})
    return pv


def electrode_window(name: str) -> dict:
    """Stoichiometry window at the cut-off voltages (25 degC) and usable capacity."""
    pv = parameter_values(name, T_REF, None)
    param = pybamm.LithiumIonParameters()
    esoh = pybamm.lithium_ion.ElectrodeSOHSolver(pv, param=param)
    inputs = {
        "Q_n": pv.evaluate(param.n.Q_init),
        "Q_p": pv.evaluate(param.p.Q_init),
        "Q_Li": pv.evaluate(param.Q_Li_particles_init),
    }
    sol = esoh.solve(inputs)
    return {k: float(sol[k]) for k in ("x_0", "x_100", "y_0", "y_100", "Q")}


def make_model(model_name: str, thermal: bool):
    if thermal:
        options = {"thermal": "lumped"}
    else:
        options = {"calculate heat source for isothermal models": "true"}
    return getattr(pybamm.lithium_ion, model_name)(options=options)


def solve_cccv(pv, model_name: str, thermal: bool, c_rate: float):
    v_max = pv["Upper voltage cut-off [V]"]
    steps = (
        f"Charge at {c_rate}C until {v_max} V",
        f"Hold at {v_max} V until C/20",
    )
    exp = pybamm.Experiment([steps], period="1 second")
    sim = pybamm.Simulation(
        make_model(model_name, thermal),
        parameter_values=pv,
        experiment=exp,
        solver=pybamm.IDAKLUSolver(rtol=RTOL, atol=ATOL),
    )
    sol = sim.solve(initial_soc=SOC_START)
    n_steps = len(sol.cycles[0].steps) if sol.cycles else 0
    if n_steps == 0:
        raise RuntimeError(f"no step solved: {sol.termination}")
    last = sol.cycles[0].steps[-1]
    if n_steps < len(steps) and "Voltage" not in str(last.termination):
        raise RuntimeError(f"solve stopped after {n_steps} of 2 steps: {sol.termination}")
    return sol


def truncate(t, y, t_end):
    """Samples of y(t) on [t[0], t_end], the last one interpolated at t_end."""
    keep = t < t_end
    return np.append(t[keep], t_end), np.append(y[keep], np.interp(t_end, t, y))


def integral(t, y, t_end) -> float:
    tt, yy = truncate(t, y, t_end)
    return float(np.trapezoid(yy, tt))


def analyse(sol, win: dict, thermal: bool) -> dict:
    t = sol["Time [s]"].entries
    q = sol["Discharge capacity [A.h]"].entries
    current = -sol["Current [A]"].entries  # positive for charge
    volt = sol["Terminal voltage [V]"].entries
    throughput = -(q - q[0])
    target = (SOC_END - SOC_START) * win["Q"]
    if throughput[-1] < target:
        raise RuntimeError("charge ended before 80 % SoC")
    i = int(np.argmax(throughput >= target))
    t80 = float(np.interp(target, throughput[: i + 1], t[: i + 1]))

    steps = sol.cycles[0].steps
    if len(steps) == 2:
        t_cc_end = float(steps[0]["Time [s]"].entries[-1])
        soc_cv = SOC_START + float(np.interp(t_cc_end, t, throughput)) / win["Q"]
    else:  # the CC step was skipped: the cell was at Vmax at once
        soc_cv = SOC_START
    out = {
        "t": t,
        "throughput": throughput,
        "current": current,
        "voltage": volt,
        "t80": t80,
        "minutes_10_80": t80 / 60.0,
        "cv_start_soc": soc_cv if soc_cv < SOC_END else None,
        "mean_voltage_v": integral(t, volt * current, t80) / integral(t, current, t80),
        "minutes_to_c20": float(t[-1]) / 60.0,
        "heat_total_j": integral(t, sol["Total heating [W]"].entries, t80),
        "heat_ohmic_j": integral(t, sol["Ohmic heating [W]"].entries, t80),
        "heat_irreversible_j": integral(
            t, sol["Irreversible electrochemical heating [W]"].entries, t80
        ),
        "heat_reversible_j": integral(t, sol["Reversible heating [W]"].entries, t80),
    }
    if thermal:
        temp = sol["Volume-averaged cell temperature [K]"].entries
        amb = sol["Ambient temperature [K]"].entries
        heat = sol["Total heating [W]"].entries
        cool = -sol["Surface total cooling [W]"].entries
        _, temp80 = truncate(t, temp, t80)
        out.update(
            {
                "temperature": temp,
                "heat": heat,
                "t_max_k": float(np.max(temp80)),
                "t_at_80_k": float(temp80[-1]),
                "ambient_k": float(amb[0]),
                "heat_to_ambient_j": integral(t, cool, t80),
                "t_max_full_k": float(np.max(temp)),
                "heat_capacity_j_k": float(
                    sol["Volume-averaged effective heat capacity [J.K-1.m-3]"].entries[0]
                    * sol["Cell thermal volume [m3]"].entries[0]
                ),
            }
        )
    return out


def trace_rows(r: dict, key: list, q_usable: float) -> list:
    """Trace at every 1 % of SoC from 10 to 80 %, interpolated in throughput."""
    q = r["throughput"]
    i = int(np.argmax(q >= (SOC_END - SOC_START) * q_usable)) + 2
    qs = (SOC_GRID - SOC_START) * q_usable

    def at(y):
        return np.interp(qs, q[:i], y[:i])

    # throughput is flat over the first sample (and at the CC/CV boundary);
    # np.interp then takes the value of the first sample with that throughput
    cols = [at(r["t"]), at(r["current"]), at(r["voltage"]), at(r["temperature"]), at(r["heat"])]
    cols[0][0] = 0.0
    rows = []
    for j, s in enumerate(SOC_GRID):
        rows.append(
            [
                *key,
                f"{s:.2f}",
                f"{cols[0][j]:.2f}",
                f"{cols[1][j]:.5f}",
                f"{cols[2][j]:.5f}",
                f"{cols[3][j] - T_ZERO:.4f}",
                f"{cols[4][j]:.5f}",
                pybamm.__version__,
            ]
        )
    return rows


def fmt(x, digits=4):
    return "" if x is None else f"{x:.{digits}f}"


def run_thermal_point(model_name, name, c, amb_c, h, win):
    pv = parameter_values(name, amb_c + T_ZERO, h)
    t0 = time.time()
    sol = solve_cccv(pv, model_name, True, c)
    r = analyse(sol, win, True)
    solve_s = time.time() - t0
    area = pv["Cell cooling surface area [m2]"]
    key = [name, model_name, c, amb_c, h]
    row = [
        *key,
        fmt(r["minutes_10_80"]),
        fmt(r["t_max_k"] - T_ZERO),
        fmt(r["t_at_80_k"] - T_ZERO),
        fmt(r["t_max_k"] - r["ambient_k"]),
        fmt(r["cv_start_soc"]),
        fmt(r["heat_total_j"], 2),
        fmt(r["heat_ohmic_j"], 2),
        fmt(r["heat_irreversible_j"], 2),
        fmt(r["heat_reversible_j"], 2),
        fmt(r["heat_to_ambient_j"], 2),
        fmt(r["mean_voltage_v"]),
        fmt(r["t_max_full_k"] - T_ZERO),
        fmt(r["minutes_to_c20"]),
        fmt(r["heat_capacity_j_k"], 3),
        fmt(h * area, 5),
        fmt(win["Q"], 6),
        fmt(solve_s, 1),
        pybamm.__version__,
    ]
    return row, trace_rows(r, [str(k) for k in key], win["Q"]), r, solve_s


def run_iso_point(model_name, name, c, amb_c, win):
    pv = parameter_values(name, amb_c + T_ZERO, None)
    t0 = time.time()
    sol = solve_cccv(pv, model_name, False, c)
    r = analyse(sol, win, False)
    solve_s = time.time() - t0
    row = [
        name,
        model_name,
        c,
        amb_c,
        fmt(r["minutes_10_80"]),
        fmt(r["cv_start_soc"]),
        fmt(r["mean_voltage_v"]),
        fmt(r["heat_total_j"], 2),
        fmt(r["heat_ohmic_j"], 2),
        fmt(r["heat_irreversible_j"], 2),
        fmt(r["heat_reversible_j"], 2),
        fmt(r["minutes_to_c20"]),
        fmt(win["Q"], 6),
        fmt(solve_s, 1),
        pybamm.__version__,
    ]
    return row, r, solve_s


def header(f, what, sets):
    f.write(
        f"# {what}. PyBaMM {pybamm.__version__}, parameter sets {' '.join(sets)} "
        f"(pybamm.ParameterValues), CC-CV 10 % -> 80 % of usable capacity, "
        f"initial cell temperature = ambient; generated by {SCRIPT}\n"
    )


def write_csv(fname, what, sets, columns, rows):
    with open(os.path.join(HERE, fname), "w", newline="") as f:
        header(f, what, sets)
        w = csv.writer(f, lineterminator="\n")
        w.writerow(columns)
        w.writerows(rows)


def with_fallback(fn, args, fallback, label):
    """Run fn("DFN", *args); on failure report it and, if allowed, rerun with SPMe."""
    try:
        return fn("DFN", *args)
    except Exception as e:  # PyBaMM raises SolverError, RuntimeError, ...
        print(f"  FAILED {label} DFN: {type(e).__name__}: {e}", file=sys.stderr, flush=True)
        if not fallback:
            return None
    try:
        return fn("SPMe", *args)
    except Exception as e:
        print(f"  FAILED {label} SPMe: {type(e).__name__}: {e}", file=sys.stderr, flush=True)
        return None


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sets", nargs="+", default=["Chen2020"])
    ap.add_argument("--quick", action="store_true", help="one point only, no files written")
    ap.add_argument("--no-isothermal", action="store_true")
    ap.add_argument("--fallback-spme", action="store_true")
    args = ap.parse_args()

    t_start = time.time()
    points, traces, iso = [], [], []
    for name in args.sets:
        win = electrode_window(name)
        pv = parameter_values(name, T_REF, None)
        print(
            f"{name}: usable {win['Q']:.4f} Ah, nominal {pv['Nominal cell capacity [A.h]']} Ah, "
            f"cooling area {pv['Cell cooling surface area [m2]']} m2, "
            f"volume {pv['Cell volume [m3]']} m3",
            flush=True,
        )
        grid = [(c, a, h) for c in C_RATES for a in AMBIENTS_C for h in H_W_M2K]
        if args.quick:
            grid = [(1, 25, 5)]
        for c, amb_c, h in grid:
            label = f"{name} {c}C {amb_c} degC h={h}"
            res = with_fallback(
                run_thermal_point, (name, c, amb_c, h, win), args.fallback_spme, label
            )
            if res is None:
                continue
            row, tr, r, solve_s = res
            points.append(row)
            traces.extend(tr)
            print(
                f"  {label} {row[1]}: {r['minutes_10_80']:.2f} min, "
                f"T max {r['t_max_k'] - T_ZERO:.2f} degC "
                f"(+{r['t_max_k'] - r['ambient_k']:.2f} K), "
                f"C = {r['heat_capacity_j_k']:.2f} J/K, heat {r['heat_total_j']:.0f} J "
                f"({solve_s:.1f} s)",
                flush=True,
            )
        if args.no_isothermal or args.quick:
            continue
        for c in C_RATES:
            for amb_c in AMBIENTS_C:
                label = f"{name} {c}C {amb_c} degC isothermal"
                res = with_fallback(
                    run_iso_point, (name, c, amb_c, win), args.fallback_spme, label
                )
                if res is None:
                    continue
                row, r, solve_s = res
                iso.append(row)
                print(
                    f"  {label} {row[1]}: {r['minutes_10_80']:.2f} min ({solve_s:.1f} s)",
                    flush=True,
                )

    if not args.quick:
        write_csv(
            "pybamm_thermal.csv",
            "Lumped thermal model, one row per point; temperatures over 10->80 %",
            args.sets,
            POINT_COLUMNS,
            points,
        )
        write_csv(
            "pybamm_thermal_traces.csv",
            "Lumped thermal model, traces at every 1 % SoC, current positive for charge",
            args.sets,
            TRACE_COLUMNS,
            traces,
        )
        if not args.no_isothermal:
            write_csv(
                "pybamm_isothermal_times.csv",
                "Isothermal model (cell held at ambient), one row per point",
                args.sets,
                ISO_COLUMNS,
                iso,
            )
    print(f"done in {time.time() - t_start:.1f} s", flush=True)


if __name__ == "__main__":
    main()
