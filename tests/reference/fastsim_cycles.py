"""Reference energy figures from NREL FASTSim 3.1 for nevcalc's tests.

FASTSim is never a dependency of nevcalc. It lives in its own virtual
environment next to this script (ignored by git via ``.venv-*/``)::

    cd tests/reference
    python3.11 -m venv .venv-fastsim
    .venv-fastsim/bin/pip install fastsim==3.1.0
    .venv-fastsim/bin/python fastsim_cycles.py            # writes the CSVs
    .venv-fastsim/bin/python fastsim_cycles.py --no-timing  # skip the speed test

Inputs: FASTSim's own shipped UDDS and HWFET traces; US06 and WLTC class 3b
from the project's cycle directory (default ``/work/shared/data/cycles``,
override with ``--cycles-dir`` or ``NEVCALC_CYCLES_DIR``), 1 Hz
``time_s,speed_mps`` files (``wltc_3b.csv`` starts with a UTF-8 BOM).

Outputs (next to this script):

- ``fastsim_results.csv``: vehicle, cycle, distance_km, battery_wh_per_km
  (net energy out of the battery, i.e. FASTSim's ``res.energy_out_chemical``
  over the cycle, divided by the driven distance), wall_wh_per_km (battery
  figure / 0.86, FASTSim's ``DEFAULT_CHG_EFF`` used for its labels), plus the
  simulated mass and whether the speed trace was met. The Tesla mass sweep is
  in the same file (rows with ``case=mass_sweep``). Runs use
  ``trace_miss_opts=Allow``; where the shipped vehicle misses the trace only
  through tyre grip, a ``case=no_traction_limit`` row (grip raised) follows.
- ``fastsim_vehicles.csv``: every parameter of the four shipped BEVs that the
  energy model uses, read from the loaded FASTSim objects.
- ``fastsim_timing.csv``: wall-clock cost of one run and of a 100-mass loop.

The script also re-computes every energy figure with an independent numpy
transcription of the model described in ``FASTSIM_NOTES.md`` and prints the
deviation; it exits non-zero if any trace-following run differs by > 0.1 %.
"""

from __future__ import annotations

import argparse
import csv
import math
import os
import sys
import time
import warnings
from importlib.metadata import version
from pathlib import Path

import numpy as np

import fastsim as fs

warnings.filterwarnings("ignore", category=DeprecationWarning)

HERE = Path(__file__).resolve().parent
DEFAULT_CYCLES_DIR = Path(os.environ.get("NEVCALC_CYCLES_DIR", "/work/shared/data/cycles"))

VEHICLES = {
    # id used in the CSVs: FASTSim resource file name
    "tesla_model_3_rwd_2022": "2022 Tesla Model 3 RWD thrml.yaml",
    "chevrolet_bolt_ev_2020": "2020 Chevrolet Bolt EV thrml.yaml",
    "nissan_leaf_30kwh_2016": "2016 Nissan Leaf 30 kWh thrml.yaml",
    "renault_zoe_ze50_r135_2022": "2022_Renault_Zoe_ZE50_R135.yaml",
}
CYCLES = ["udds", "hwfet", "us06", "wltc_3b"]
SHIPPED_CYCLES = {"udds": "udds.csv", "hwfet": "hwfet.csv"}
SWEEP_VEHICLE = "tesla_model_3_rwd_2022"
SWEEP_MASSES_KG = [1500.0, 2500.0]
N_TIMING_MASSES = 100

# FASTSim constants (see FASTSIM_NOTES.md for where each comes from)
CHARGER_EFF = 0.86  # simdrivelabel::DEFAULT_CHG_EFF
GRAVITY = 9.80  # uc::ACC_GRAV
R_AIR = 287.0
TE_STD_AIR_K = 295.15
H_STD_M = 180.0


def std_air_density() -> float:
    """gas_properties::Air::get_density(None, None), used for aerodynamic drag."""
    te_std_at_h = 15.04 - 0.00649 * H_STD_M + 273.15
    p = 101.29e3 * (te_std_at_h / 288.08) ** 5.256
    return p / R_AIR / TE_STD_AIR_K


# ---------------------------------------------------------------- cycles
def read_cycle_csv(path: Path) -> tuple[np.ndarray, np.ndarray]:
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    header = [h.strip() for h in rows[0]]
    it, iv = header.index("time_s"), header.index("speed_mps")
    t = np.array([float(r[it]) for r in rows[1:] if r])
    v = np.array([float(r[iv]) for r in rows[1:] if r])
    return t, v


def load_cycles(cycles_dir: Path) -> dict[str, tuple[fs.Cycle, np.ndarray, np.ndarray, str]]:
    out = {}
    for name in CYCLES:
        if name in SHIPPED_CYCLES:
            cyc = fs.Cycle.from_resource(SHIPPED_CYCLES[name])
            d = cyc.to_dict()
            t = np.asarray(d["time_seconds"], float)
            v = np.asarray(d["speed_meters_per_second"], float)
            src = f"fastsim resource {SHIPPED_CYCLES[name]}"
        else:
            t, v = read_cycle_csv(cycles_dir / f"{name}.csv")
            cyc = fs.Cycle.from_dict(
                {"name": name, "time_seconds": t.tolist(), "speed_meters_per_second": v.tolist()}
            )
            src = str(cycles_dir / f"{name}.csv")
        out[name] = (cyc, t, v, src)
    return out


# ---------------------------------------------------------------- FASTSim runs
def load_vehicle_dict(resource: str) -> dict:
    veh = fs.Vehicle.from_resource(resource)
    veh.set_save_interval(None)  # no per-step history: faster, final state only
    return veh.to_dict()


def sim_params(trace_miss: str) -> fs.SimParams:
    d = fs.SimParams.default().to_dict()
    d["trace_miss_opts"] = trace_miss
    return fs.SimParams.from_dict(d)


def run_fastsim(veh_dict: dict, cyc: fs.Cycle, trace_miss: str = "Error") -> dict:
    """One SimDrive.run(). With the default 'Error', a missed speed trace raises;
    'Allow' lets the vehicle fall behind the trace (shorter distance)."""
    veh = fs.Vehicle.from_dict(veh_dict)
    sd = fs.SimDrive(veh, cyc, None if trace_miss == "Error" else sim_params(trace_miss))
    sd.run()
    return sd.to_dict()


def no_traction_limit(veh_dict: dict) -> dict:
    """Same vehicle with tyre grip raised so the traction speed ceiling never binds."""
    vd = dict(veh_dict)
    vd["chassis"] = dict(vd["chassis"], wheel_fric_coef=10.0)
    return vd


def summarise(sd_dict: dict) -> dict:
    vs = sd_dict["veh"]["state"]
    res = sd_dict["veh"]["pt_type"]["BEV"]["res"]["state"]
    dist_m = vs["dist_meters"]
    e_chem = res["energy_out_chemical_joules"]
    return {
        "distance_km": dist_m / 1000.0,
        "battery_wh_per_km": e_chem / 3600.0 / (dist_m / 1000.0),
        "wall_wh_per_km": e_chem / 3600.0 / (dist_m / 1000.0) / CHARGER_EFF,
        "mass_kg": vs["mass_kilograms"],
        "trace_met": bool(vs["cyc_met_overall"]),
        "energy_aux_j": vs["energy_aux_joules"],
        "energy_brake_j": vs["energy_brake_joules"],
        "soc_end": res["soc"],
    }


# ---------------------------------------------------------------- parameters
def strategy_name(strategy) -> str:
    """ninterp strategy as serialised by FASTSim; yaml 'LeftNearest' reads back as {'Step': 'Lower'}."""
    if isinstance(strategy, dict) and strategy.get("Step") == "Lower":
        return "LeftNearest"
    return str(strategy)


def interp_arrays(interp: dict) -> tuple[list[list[float]], list[float], str, str]:
    data = interp["data"]
    grids = [list(map(float, g["data"])) for g in data["grid"]]
    values = list(map(float, data["values"]["data"]))
    return grids, values, strategy_name(interp.get("strategy", "")), str(interp.get("extrapolate", ""))


def fmt_list(xs) -> str:
    return " ".join(repr(float(x)) for x in xs)


def vehicle_params(vid: str, resource: str, vd: dict, mass_simulated: float) -> dict:
    bev = vd["pt_type"]["BEV"]
    res, em, trans = bev["res"], bev["em"], bev["transmission"]
    ch = vd["chassis"]
    em_grid, em_vals, em_strategy, em_extrap = interp_arrays(em["eff_interp_achieved"])
    te = trans["eff_interp"]
    trans_eff = float(te if not isinstance(te, dict) else te.get("Interp0D", te))
    b_eff = res["eff_interp"]
    if "Constant" in b_eff:
        batt_model, batt_eff = "Constant", float(b_eff["Constant"])
        b_crate = b_temp = b_vals = []
        b_strategy = ""
    else:
        (batt_model,) = b_eff.keys()
        grids, b_vals, b_strategy, _ = interp_arrays(b_eff[batt_model])
        b_crate, b_temp = grids[0], (grids[1] if len(grids) > 1 else [])
        batt_eff = ""
    thr = res.get("thrml")
    thr = thr.get("RESLumpedThermal") if isinstance(thr, dict) else None
    r_w = float(ch["wheel_radius_meters"])
    n_w = int(ch["num_wheels"])
    i_w = float(ch["wheel_inertia_kilogram_square_meters"])
    mu, frac, cg, wb = (
        float(ch["wheel_fric_coef"]),
        float(ch["drive_axle_weight_frac"]),
        abs(float(ch["cg_height_meters"])),
        float(ch["wheel_base_meters"]),
    )
    sign = {"FWD": 1.0, "RWD": -1.0}.get(ch["drive_type"], 0.0)
    e_cap_j = float(res["energy_capacity_joules"])
    hvac = vd.get("hvac")
    hvac_name = next(iter(hvac)) if isinstance(hvac, dict) else str(hvac)
    return {
        "vehicle": vid,
        "fastsim_name": vd["name"],
        "fastsim_resource": resource,
        "mass_kg": mass_simulated,
        "mass_source": (
            "Vehicle.mass_kilograms, fixed; the derived mass (chassis glider+cargo plus battery,"
            " motor and transmission masses) is used only when the vehicle-level mass is unset"
            " and all component masses are set, which is not the case for these vehicles"
        ),
        "chassis_glider_mass_kg": ch.get("glider_mass_kilograms"),
        "chassis_cargo_mass_kg": ch.get("cargo_mass_kilograms"),
        "drag_coefficient": float(ch["drag_coef"]),
        "frontal_area_m2": float(ch["frontal_area_square_meters"]),
        "rolling_resistance": float(ch["wheel_rr_coef"]),
        "n_wheels": n_w,
        "wheel_inertia_kg_m2": i_w,
        "wheel_radius_m": r_w,
        "equivalent_rotating_mass_kg": n_w * i_w / r_w**2,
        "transmission_efficiency": trans_eff,
        "motor_power_kw": float(em["pwr_out_max_watts"]) / 1000.0,
        "motor_eff_breakpoints": fmt_list(em_grid[0]),
        "motor_eff_values": fmt_list(em_vals),
        "motor_eff_interpolation": em_strategy,
        "motor_eff_extrapolate": em_extrap,
        "motor_regen_efficiency": em_vals[0],
        "aux_power_w": float(vd["pwr_aux_base_watts"]),
        "battery_energy_kwh": e_cap_j / 3.6e6,
        "soc_min": float(res["min_soc"]),
        "soc_max": float(res["max_soc"]),
        "battery_usable_kwh": e_cap_j / 3.6e6 * (float(res["max_soc"]) - float(res["min_soc"])),
        "battery_power_kw": float(res["pwr_out_max_watts"]) / 1000.0,
        "battery_eff_model": batt_model,
        "battery_efficiency": batt_eff,
        "battery_eff_crate_breakpoints_per_h": fmt_list(b_crate) if b_crate else "",
        "battery_eff_temp_breakpoints_c": fmt_list(b_temp) if b_temp else "",
        "battery_eff_values_crate_major": fmt_list(b_vals) if b_vals else "",
        "battery_eff_interpolation": b_strategy,
        "battery_heat_capacitance_j_per_k": float(thr["heat_capacitance_joules_per_kelvin"])
        if thr
        else "",
        "battery_conductance_to_amb_w_per_k": float(thr["conductance_to_amb_watts_per_kelvin"])
        if thr
        else "",
        "battery_conductance_to_cab_w_per_k": float(thr["conductance_to_cab_watts_per_kelvin"])
        if thr
        else "",
        "battery_initial_temp_c": TE_STD_AIR_K - 273.15 if thr else "",
        "air_density_drag_kg_m3": std_air_density(),
        "gravity_m_s2": GRAVITY,
        "ambient_temp_c": TE_STD_AIR_K - 273.15,
        "hvac_model": hvac_name,
        "drive_type": ch["drive_type"],
        "wheel_friction_coef": mu,
        "drive_axle_weight_frac": frac,
        "cg_height_m": cg,
        "wheel_base_m": wb,
        "max_traction_accel_m_s2": mu * frac * GRAVITY / (1.0 + sign * cg * mu / wb),
        "charger_efficiency": CHARGER_EFF,
        "initial_soc": float(res["max_soc"]),
        "regen_notes": (
            "motor efficiency for P_out<=0 is the table value at |P|/Pmax=0 (lookup clamps the"
            " negative ratio to 0); transmission multiplies negative power by its efficiency;"
            " no speed-dependent regen cut and no max-regen fraction: all negative tractive"
            " power is regenerated (friction brake power is always 0) unless it exceeds"
            " min(Pmax, (battery charge headroom + aux)/eff_at_max_regen), in which case"
            " FASTSim 3.1.0 raises an error rather than clipping"
        ),
    }


# ---------------------------------------------------------------- numpy transcription
def _motor_eff(r: np.ndarray, grid: np.ndarray, vals: np.ndarray, strategy: str) -> np.ndarray:
    r = np.maximum(r, 0.0)  # regen: negative ratio clamped to 0
    if strategy == "LeftNearest":  # step: value of the breakpoint at or below r
        idx = np.clip(np.searchsorted(grid, r, side="right") - 1, 0, len(grid) - 1)
        return vals[idx]
    return np.interp(r, grid, vals)


def numpy_model(p: dict, t: np.ndarray, v: np.ndarray, mass: float | None = None) -> dict:
    """Independent transcription of FASTSim 3.1.0's BEV energy path (trace met)."""
    m = p["mass_kg"] if mass is None else mass
    dt = np.diff(t)
    v0, v1 = v[:-1], v[1:]
    vavg = 0.5 * (v0 + v1)
    p_acc = m / (2 * dt) * (v1**2 - v0**2)
    p_whl = (
        0.5
        * p["wheel_inertia_kg_m2"]
        * p["n_wheels"]
        * ((v1 / p["wheel_radius_m"]) ** 2 - (v0 / p["wheel_radius_m"]) ** 2)
        / dt
    )
    p_drag = (
        0.5 * p["air_density_drag_kg_m3"] * p["drag_coefficient"] * p["frontal_area_m2"] * vavg**3
    )
    p_rr = m * GRAVITY * p["rolling_resistance"] * vavg  # grade 0: cos(atan 0) = 1
    p_tr = p_acc + p_whl + p_drag + p_rr
    eta_t = p["transmission_efficiency"]
    p_em_out = np.where(p_tr > 0, p_tr / eta_t, p_tr * eta_t)
    grid = np.array(p["motor_eff_breakpoints"].split(), float)
    vals = np.array(p["motor_eff_values"].split(), float)
    eta_m = _motor_eff(
        p_em_out / (p["motor_power_kw"] * 1e3), grid, vals, p["motor_eff_interpolation"]
    )
    p_elec = np.where(p_em_out > 0, p_em_out / eta_m, p_em_out * eta_m) + p["aux_power_w"]
    if p["battery_eff_model"] == "Constant":
        eta_b = np.full_like(p_elec, p["battery_efficiency"])
    else:  # C-rate x temperature table with lumped battery temperature (sequential)
        cr = np.array(p["battery_eff_crate_breakpoints_per_h"].split(), float)
        tc = np.array(p["battery_eff_temp_breakpoints_c"].split(), float)
        tab = np.array(p["battery_eff_values_crate_major"].split(), float).reshape(
            len(cr), len(tc)
        )
        cap_wh = p["battery_energy_kwh"] * 1e3
        c_th = p["battery_heat_capacitance_j_per_k"]
        g_amb = p["battery_conductance_to_amb_w_per_k"]
        g_cab = p["battery_conductance_to_cab_w_per_k"]
        te = p["battery_initial_temp_c"]
        te_amb = te_cab = p["ambient_temp_c"]
        eta_b = np.empty_like(p_elec)
        p_prev, eff_prev = 0.0, 0.0
        for k in range(len(p_elec)):
            te = (
                te
                + (abs(p_prev) * (1 - eff_prev) + g_amb * (te_amb - te) + g_cab * (te_cab - te))
                / c_th
                * dt[k]
            )
            x = min(max(p_elec[k] / cap_wh, cr[0]), cr[-1])
            y = min(max(te, tc[0]), tc[-1])
            col = np.array([np.interp(x, cr, tab[:, j]) for j in range(len(tc))])
            eta_b[k] = np.interp(y, tc, col)
            p_prev, eff_prev = p_elec[k], eta_b[k]
    p_chem = np.where(p_elec > 0, p_elec / eta_b, p_elec * eta_b)
    dist_m = float(np.sum(v1 * dt))
    e = float(np.sum(p_chem * dt))
    return {"distance_km": dist_m / 1e3, "battery_wh_per_km": e / 3600 / (dist_m / 1e3)}


# ---------------------------------------------------------------- main
def write_csv(path: Path, rows: list[dict], comment: str) -> None:
    with open(path, "w", newline="", encoding="utf-8") as f:
        f.write(f"# {comment}\n")
        w = csv.DictWriter(f, fieldnames=list(rows[0].keys()), lineterminator="\n")
        w.writeheader()
        for r in rows:
            w.writerow({k: (f"{v:.10g}" if isinstance(v, float) else v) for k, v in r.items()})


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cycles-dir", type=Path, default=DEFAULT_CYCLES_DIR)
    ap.add_argument("--out-dir", type=Path, default=HERE)
    ap.add_argument("--no-timing", action="store_true")
    args = ap.parse_args()

    fs_version = version("fastsim")
    header = (
        f"FASTSim {fs_version} (NREL, Apache-2.0); generated by tests/reference/fastsim_cycles.py"
    )
    cycles = load_cycles(args.cycles_dir)
    vdicts = {vid: load_vehicle_dict(res) for vid, res in VEHICLES.items()}

    results, vrows, worst = [], [], 0.0
    for vid, vd in vdicts.items():
        params = None
        for cname, (cyc, t, v, _src) in cycles.items():
            variants = [("shipped", run_fastsim(vd, cyc, "Allow"))]
            if not variants[0][1]["veh"]["state"]["cyc_met_overall"]:
                # traction (tyre grip) limited? then also report the trace-following energy
                sd_nt = run_fastsim(no_traction_limit(vd), cyc, "Allow")
                if sd_nt["veh"]["state"]["cyc_met_overall"]:
                    variants.append(("no_traction_limit", sd_nt))
            for case, sd_dict in variants:
                s = summarise(sd_dict)
                if params is None:
                    params = vehicle_params(vid, VEHICLES[vid], vd, s["mass_kg"])
                    vrows.append(params)
                chk = numpy_model(params, t, v)
                dev = chk["battery_wh_per_km"] / s["battery_wh_per_km"] - 1
                if s["trace_met"]:
                    worst = max(worst, abs(dev))
                results.append(
                    {
                        "vehicle": vid,
                        "cycle": cname,
                        "distance_km": s["distance_km"],
                        "battery_wh_per_km": s["battery_wh_per_km"],
                        "wall_wh_per_km": s["wall_wh_per_km"],
                        "mass_kg": s["mass_kg"],
                        "trace_met": s["trace_met"],
                        "case": case,
                    }
                )
                print(
                    f"{vid:28s} {cname:8s} {case:18s} {s['distance_km']:8.3f} km"
                    f" {s['battery_wh_per_km']:8.2f} Wh/km wall {s['wall_wh_per_km']:7.2f}"
                    f"  trace_met={s['trace_met']!s:5s} numpy {dev * 100:+.4f} %"
                )

    udds_cyc, t_u, v_u, _ = cycles["udds"]
    sweep_base = dict(vdicts[SWEEP_VEHICLE])
    for m in SWEEP_MASSES_KG:
        vd = dict(sweep_base, mass_kilograms=m)
        s = summarise(run_fastsim(vd, udds_cyc))
        chk = numpy_model(vrows[0], t_u, v_u, mass=m)
        dev = chk["battery_wh_per_km"] / s["battery_wh_per_km"] - 1
        worst = max(worst, abs(dev))
        results.append(
            {
                "vehicle": SWEEP_VEHICLE,
                "cycle": "udds",
                "distance_km": s["distance_km"],
                "battery_wh_per_km": s["battery_wh_per_km"],
                "wall_wh_per_km": s["wall_wh_per_km"],
                "mass_kg": s["mass_kg"],
                "trace_met": s["trace_met"],
                "case": "mass_sweep",
            }
        )
        print(
            f"mass sweep {m:6.0f} kg  UDDS {s['battery_wh_per_km']:8.2f} Wh/km  numpy {dev * 100:+.4f} %"
        )

    out = args.out_dir
    write_csv(out / "fastsim_results.csv", results, header)
    write_csv(out / "fastsim_vehicles.csv", vrows, header)

    if not args.no_timing:
        t0 = time.perf_counter()
        summarise(run_fastsim(sweep_base, udds_cyc))
        t_one = time.perf_counter() - t0
        masses = np.linspace(1500.0, 2500.0, N_TIMING_MASSES)
        t0 = time.perf_counter()
        for m in masses:
            summarise(run_fastsim(dict(sweep_base, mass_kilograms=float(m)), udds_cyc))
        t_loop = time.perf_counter() - t0
        t0 = time.perf_counter()
        for m in masses:
            numpy_model(vrows[0], t_u, v_u, mass=float(m))
        t_np = time.perf_counter() - t0
        timing = [
            {
                "what": "one fastsim run (udds, tesla)",
                "n_runs": 1,
                "seconds": t_one,
                "runs_per_second": 1 / t_one,
            },
            {
                "what": "fastsim python loop over masses",
                "n_runs": N_TIMING_MASSES,
                "seconds": t_loop,
                "runs_per_second": N_TIMING_MASSES / t_loop,
            },
            {
                "what": "numpy transcription loop over masses",
                "n_runs": N_TIMING_MASSES,
                "seconds": t_np,
                "runs_per_second": N_TIMING_MASSES / t_np,
            },
        ]
        write_csv(out / "fastsim_timing.csv", timing, header + f"; cpu_count={os.cpu_count()}")
        print(
            f"timing: one run {t_one * 1e3:.1f} ms; {N_TIMING_MASSES} masses {t_loop:.2f} s "
            f"({N_TIMING_MASSES / t_loop:.1f} vehicle-cycles/s); numpy {N_TIMING_MASSES / t_np:.0f}/s"
        )

    print(f"worst numpy deviation on trace-met runs: {worst * 100:.4f} %")
    return 0 if worst < 1e-3 else 1


if __name__ == "__main__":
    sys.exit(main())
