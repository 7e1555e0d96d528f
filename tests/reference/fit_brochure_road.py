"""Fit the brochure road relations and the range error band on calibration cases.

Run from the repository root::

    python -m tests.reference.fit_brochure_road

Reads the published official ranges (``tests/validation/official_ranges.py``:
``tests/validation/data/official_ranges.csv``, or the shipped vehicle specs
until it exists) and uses the *calibration* cases only
(``tests/validation/split.py``). Writes

* ``specs/data/brochure_road.toml``: the relations of
  :mod:`nevcalc.brochure.road` (frontal-area fill factor, area and Cd by body
  class, Cd per model year, curb mass from usable energy and footprint or body
  class, motor power per mass, usable share of a gross battery figure), each
  with the 10th/90th percentile of its published/estimated ratios and its
  case count;
* ``specs/data/intervals_range.toml``: split-conformal factors
  (:func:`nevcalc.intervals.conformal_factors`) of the range's log errors
  ``ln(published / model)`` on the calibration cases, each car's error taken
  with the relations refitted without that car (leave one car out), so that
  the band measures out-of-sample errors like those of a new car.
"""

from __future__ import annotations

import datetime
import math
from collections import defaultdict
from pathlib import Path

import numpy as np

from nevcalc import catalog
from nevcalc.model import driving
from nevcalc.cycles import load_cycle
from nevcalc.intervals import DEFAULT_LEVEL, conformal_factors, log_errors
from dataclasses import replace

from nevcalc.brochure.road import Brochure
from tests.validation.official_ranges import CASES_CSV, cases, model_range, spec_cases
from tests.validation.split import split_of

ROOT = Path(__file__).resolve().parents[2]
OUT_RELATIONS = ROOT / "specs" / "data" / "brochure_road.toml"
OUT_INTERVALS = ROOT / "specs" / "data" / "intervals_range.toml"

#: EPA's fill factor of the reference frontal area: 0.80 x overall height x width, 80 %
#: of manufacturers' reference areas within +-1.0 sq ft (about 5 %) of it (H. W. Goodall
#: and G. D. Thompson, "Prediction of Vehicle Reference Frontal Area", EPA technical
#: support report, November 1977); used while fewer than MIN_FILL calibration cases
#: publish a frontal area beside width and height.
EPA_FILL = {"value": 0.80, "spread": [0.95, 1.05], "n": 0,
            "source": "https://nepis.epa.gov/Exe/ZyPURL.cgi?Dockey=9100WXUC.txt"}  # fmt: skip
MIN_FILL = 5
#: Fewest cases for a body class of its own (fewer: the all-bodies figure).
MIN_BODY = 3
#: Fewest cases for the footprint mass relation and for a Cd year slope.
MIN_DIMS, MIN_YEAR = 8, 10


def _spread(ratios) -> list[float]:
    """10th/90th percentiles of published/estimated ratios (1, 1 with fewer than 2)."""
    r = np.asarray(ratios, float)
    if r.size < 2:
        return [1.0, 1.0]
    return [round(float(np.percentile(r, 10)), 4), round(float(np.percentile(r, 90)), 4)]


def _median_rel(values) -> dict:
    v = np.asarray(values, float)
    med = float(np.median(v))
    return {"value": round(med, 4), "spread": _spread(v / med), "n": int(v.size)}


def _usable_share() -> dict:
    """Usable over gross energy of the calibration specs that publish both."""
    shares = []
    for _, name, _ in catalog.list_specs("vehicle"):
        s = catalog.load(name, "vehicle")
        g, u = s.get("battery_gross_energy"), s.get("battery_usable_energy")
        if g and u and u < g and split_of(s["make"], s["model"]) == "calibration":
            shares.append(u / g)
    rel = _median_rel(shares)
    rel["apply_to_unknown"] = False
    return rel


def _usable(c, share) -> float:
    b = c.brochure
    return b.battery * share if b.battery_basis == "gross" else b.battery


def _area_rel(cal) -> dict:
    with_dims = [c.brochure for c in cal
                 if c.brochure.frontal_area and c.brochure.width and c.brochure.height]  # fmt: skip
    fills = [b.frontal_area / (b.width * b.height) for b in with_dims]
    fill = _median_rel(fills) if len(fills) >= MIN_FILL else dict(EPA_FILL)
    areas = defaultdict(list)
    for c in cal:
        b = c.brochure
        a = b.frontal_area or (fill["value"] * b.width * b.height if b.width and b.height else None)
        if a:
            areas["any"].append(a)
            if b.body:
                areas[b.body].append(a)
    body = {k: _median_rel(v) for k, v in areas.items() if k == "any" or len(v) >= MIN_BODY}
    return {"fill": fill, "body": body}


def _cd_rel(cal) -> dict:
    cds = defaultdict(list)
    for c in cal:
        if c.brochure.drag_coefficient:
            cds["any"].append(c.brochure.drag_coefficient)
            if c.brochure.body:
                cds[c.brochure.body].append(c.brochure.drag_coefficient)
    body = {k: _median_rel(v) for k, v in cds.items() if k == "any" or len(v) >= MIN_BODY}
    out: dict = {"body": body}
    pts = [(c.brochure.year, c.brochure.drag_coefficient
            - body.get(c.brochure.body, body["any"])["value"])
           for c in cal if c.brochure.drag_coefficient and c.brochure.year]  # fmt: skip
    if len(pts) >= MIN_YEAR and np.ptp([p[0] for p in pts]) >= 3:
        y, r = np.array(pts, float).T
        ref = int(np.median(y))
        slope = float(np.polyfit(y - ref, r, 1)[0])
        out.update(per_year=round(slope, 5), year=ref, year_min=int(y.min()), year_max=int(y.max()))
    return out


def _pack_mass(c, share) -> float:
    """The pack's mass [kg] of a case's gross energy at its chemistry's pack level."""
    from nevcalc.scenario.road import _pack_specific_energy

    b = c.brochure
    gross = b.battery if b.battery_basis != "usable" else b.battery / share
    return gross / _pack_specific_energy(catalog.load(c.chemistry, "chemistry"))


def _mass_rel(cal, share) -> dict:
    """The glider (curb mass less the pack at its chemistry's pack level) against usable
    energy, with body-class intercepts; or with footprint where published."""
    rows = [(_usable(c, share) / 3.6e6, c) for c in cal if c.brochure.curb_mass]
    e = np.array([r[0] for r in rows])
    pack = np.array([_pack_mass(c, share) for _, c in rows])
    m = np.array([r[1].brochure.curb_mass for r in rows])
    glider = m - pack
    b1, a = np.polyfit(e, glider, 1)
    inter = defaultdict(list)
    for (kwh, c), g in zip(rows, glider, strict=True):
        inter["any"].append(g - b1 * kwh)
        if c.brochure.body:
            inter[c.brochure.body].append(g - b1 * kwh)
    intercept = {k: round(float(np.median(v)), 1) for k, v in inter.items()
                 if k == "any" or len(v) >= MIN_BODY}  # fmt: skip
    pred = [intercept.get(c.brochure.body, intercept["any"]) + b1 * kwh + p
            for (kwh, c), p in zip(rows, pack, strict=True)]  # fmt: skip
    out: dict = {"body": {"per_kwh": round(float(b1), 3), "intercept": intercept,
                          "spread": _spread(m / np.array(pred)), "n": len(rows)}}  # fmt: skip
    dims = [(kwh, c.brochure.length * c.brochure.width, g) for (kwh, c), g
            in zip(rows, glider, strict=True) if c.brochure.length and c.brochure.width]  # fmt: skip
    if len(dims) >= MIN_DIMS:
        x = np.array(dims, float)
        design = np.column_stack([np.ones(len(x)), x[:, 0], x[:, 1]])
        coef = np.linalg.lstsq(design, x[:, 2], rcond=None)[0]
        out["dims"] = {"intercept": round(float(coef[0]), 1), "per_kwh": round(float(coef[1]), 3),
                       "per_m2": round(float(coef[2]), 1),
                       "spread": _spread(x[:, 2] / (design @ coef)), "n": len(dims)}  # fmt: skip
    return out


def _motor_rel(cal) -> dict:
    per = [c.brochure.motor_power / c.brochure.curb_mass for c in cal
           if c.brochure.motor_power and c.brochure.curb_mass]  # fmt: skip
    if not per:
        return {"per_kg": 100.0, "spread": [1.0, 1.0], "n": 0}
    rel = _median_rel(per)
    return {"per_kg": rel["value"], "spread": rel["spread"], "n": rel["n"]}


#: AAA's dynamometer tests of five BEVs (2018 BMW i3s, Chevrolet Bolt, Nissan Leaf; 2017
#: Tesla Model S 75D, VW e-Golf) on UDDS and HWFET per SAE J1634, cabin held at 72 degF:
#: combined range 41 % lower at 20 degF and 17 % lower at 95 degF with the HVAC on, than
#: at 75 degF (AAA, "Electric Vehicle Range Testing", February 2019).
AAA_SOURCE = ("https://www.autocareweek.com/aaa-icy-temperatures-cut-electric-vehicle-range-"
              "nearly-in-half-54313.htm http://www.energybattery.com/aaa-finds-41-driving-range-"
              "drop-on-ev-with-cold-temperatures/")  # fmt: skip
AAA_RANGE_LOSS_20F, AAA_RANGE_LOSS_95F = 0.41, 0.17


def _climate_rel(table: dict, cal) -> dict:
    """Heater (20 degF) and air-conditioner (95 degF) powers of the 5-cycle label.

    The constant load that, added to the auxiliary load on the two-cycle tests, gives
    AAA's range losses (at 20 degF after what the denser air explains); the median over
    the calibration cars, each completed from its brochure figures.
    """
    from nevcalc.model import label
    from nevcalc.scenario import road

    def two(v, extra=0.0, rho=road.AIR_DENSITY):
        m = v.curb_mass + 136.0
        u, h = (load_cycle(c, allow_path=False) for c in ("udds", "hwfet"))
        return float(label.two_cycle(road._consumption(v, [u], m, rho, driving.G, extra),
                                     road._consumption(v, [h], m, rho, driving.G, extra)))  # fmt: skip

    heat, cool = [], []
    rho_cold = road.AIR_DENSITY * road.MODEL_TEMPERATURE / road.COLD_FTP_TEMPERATURE
    for c in cal:
        v = road.brochure_road_vehicle(c.brochure, c.chemistry, table=table)
        base, cold = two(v), two(v, rho=rho_cold)
        per_w = (two(v, 1000.0) - base) / 1000.0  # [J m^-1 W^-1]
        heat.append((base / (1.0 - AAA_RANGE_LOSS_20F) - cold) / per_w)
        cool.append((base / (1.0 - AAA_RANGE_LOSS_95F) - base) / per_w)
    return {"heater_power": round(float(np.median(heat)), 0),
            "ac_power": round(float(np.median(cool)), 0), "n": len(heat),
            "basis": "loads that give AAA's 2019 range losses with HVAC on UDDS/HWFET "
                     "(41 % at 20 degF, 17 % at 95 degF), median over calibration cars",
            "source": AAA_SOURCE}  # fmt: skip


def _spec_figures(exclude: set[str]) -> list:
    """Calibration vehicle specs as brochure records, their non-assumed figures only.

    Beside the published cases, the shipped specs carry cited curb masses, Cd and
    frontal areas (FASTSim's measured vehicles among them); a figure whose kind is
    ``assumed`` is left out, and so is a car in ``exclude`` (left out of a fit).
    """
    out, seen = [], set()
    for c in spec_cases(official_only=False):
        s = catalog.load(c.case_id, "vehicle")
        if c.split != "calibration" or c.car in exclude:
            continue
        keep = {k: s.get(k) for k in ("curb_mass", "drag_coefficient", "frontal_area",
                                      "motor_power")
                if s.get(k) is not None and s.provenance.get(k)
                and s.provenance[k].kind != "assumed"}  # fmt: skip
        key = (c.car, tuple(sorted(keep.items())))
        if not keep or key in seen:
            continue
        seen.add(key)
        out.append(replace(c, brochure=Brochure(battery=c.brochure.battery,
                                                year=c.brochure.year, **keep)))  # fmt: skip
    return out


def _figures(cal) -> list:
    """Cases whose figures the relations are fitted on: the published calibration cases,
    one per distinct set of figures of a car, and the calibration specs' cited figures."""
    out, seen = [], set()
    for c in cal:
        b = c.brochure
        key = (c.car, b.battery, b.curb_mass, b.drag_coefficient, b.frontal_area, b.length,
               b.width, b.height, b.motor_power, b.body)  # fmt: skip
        if key not in seen:
            seen.add(key)
            out.append(c)
    return out + _spec_figures({c.car for c in EXCLUDED})


#: Cars left out of the relations' fit (set by :func:`loco_errors` while it runs).
EXCLUDED: list = []


def fit(cal) -> dict:
    """The relations table from calibration cases."""
    share = _usable_share()
    figs = _figures(cal)
    table = {
        "usable_share": share,
        "frontal_area": _area_rel(figs),
        "drag_coefficient": _cd_rel(figs),
        "curb_mass": _mass_rel(figs, share["value"]),
        "motor_power": _motor_rel(figs),
    }
    table["epa_five_cycle"] = _climate_rel(table, cal)
    table["calibration"] = _calibration_rel(table, cal)
    return table


#: Fewest cases for a term of its own (a procedure, all-wheel drive, a body class).
MIN_TERM = 3
#: The bodies the procedure and all-wheel-drive terms are fitted on ("": not given).
COMMON_BODIES = ("sedan", "suv", "hatchback", "")


def _calibration_rel(table: dict, cal) -> dict:
    """Log range factors ln(published/model) by procedure, all-wheel drive and body class.

    Sequential medians (robust to the odd published figure): per procedure over the
    two-wheel-drive cases of the common bodies (sedan, SUV, hatchback, or none given);
    then all-wheel drive over those bodies on what is left; then each body class with
    at least MIN_TERM cases, on what is left after both.
    """
    from tests.validation.official_ranges import procedure_of

    e = np.array([float(log_errors(c.range, model_range(c, table))) for c in cal])
    proc = np.array([procedure_of(c.cycle) for c in cal])
    awd = np.array([c.brochure.drive == "awd" for c in cal])
    body = np.array([c.brochure.body or "" for c in cal])
    common = np.isin(body, COMMON_BODIES)
    plain = ~awd & common
    overall = float(np.median(e[plain]))
    beta = {}
    for p in ("wltp", "epa", "cltc", "nedc"):
        sel = plain & (proc == p)
        beta[p] = round(float(np.median(e[sel])) if sel.sum() >= MIN_TERM else overall, 4)
    base = np.array([beta[p] for p in proc])
    sel = awd & common
    b_awd = round(float(np.median((e - base)[sel])), 4) if sel.sum() >= MIN_TERM else 0.0
    bodies = {}
    for b in sorted(set(body) - {""}):
        sel = body == b
        if sel.sum() >= MIN_TERM:
            bodies[b] = round(float(np.median((e - base - b_awd * awd)[sel])), 4)
    return {"procedure": beta, "awd": b_awd, "body": bodies, "n": len(cal),
            "basis": "ln(published/model) of calibration official ranges, sequential "
                     "medians: procedure, then all-wheel drive, then body class"}  # fmt: skip


def loco_errors(cal) -> tuple[np.ndarray, list]:
    """Log errors ln(published/model) of each calibration case, its car left out of the fit."""
    cars = sorted({c.car for c in cal})
    errs, rows = [], []
    for car in cars:
        EXCLUDED[:] = [c for c in cal if c.car == car]
        table = fit([c for c in cal if c.car != car])
        for c in (c for c in cal if c.car == car):
            model = model_range(c, table)
            errs.append(float(log_errors(c.range, model)))
            rows.append((c, model))
    EXCLUDED.clear()
    return np.array(errs), rows


# --- writing ------------------------------------------------------------------------------


def _value(x) -> str:
    if isinstance(x, bool):
        return "true" if x else "false"
    if isinstance(x, str):
        return '"' + x.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(x, list):
        return "[" + ", ".join(_value(v) for v in x) + "]"
    if isinstance(x, dict):
        return "{ " + ", ".join(f"{k} = {_value(v)}" for k, v in x.items()) + " }"
    if isinstance(x, float) and not math.isfinite(x):
        raise ValueError("a non-finite number in a shipped table")
    return repr(x)


def _toml(table: dict, prefix: str = "") -> str:
    lines, subs = [], []
    for k, v in table.items():
        if isinstance(v, dict) and any(isinstance(x, dict) for x in v.values()):
            subs.append((k, v))
        else:
            lines.append(f"{k} = {_value(v)}")
    text = "\n".join(lines) + ("\n" if lines else "")
    for k, v in subs:
        name = f"{prefix}.{k}" if prefix else k
        text += f"\n[{name}]\n" + _toml(v, name)
    return text


def _header(what: str, n_cal: int, n_cars: int) -> str:
    src = CASES_CSV.relative_to(ROOT) if CASES_CSV.exists() else "the shipped vehicle specs"
    return (f"# {what}\n# Written by tests/reference/fit_brochure_road.py on "
            f"{datetime.date.today()} from {n_cal} calibration cases ({n_cars} cars) of {src};\n"
            "# do not edit by hand: re-run the script.\n")  # fmt: skip


def main() -> None:
    cal = cases("calibration")
    n_cars = len({c.car for c in cal})
    table = fit(cal)
    OUT_RELATIONS.write_text(
        _header("Relations that estimate the road figures a brochure leaves out "
                "(nevcalc.brochure.road).", len(cal), n_cars) + "\n" + _toml(table),
        encoding="utf-8")  # fmt: skip
    errs, rows = loco_errors(cal)
    lo, hi = conformal_factors(errs, DEFAULT_LEVEL)
    common = np.array([(c.brochure.body or "") in COMMON_BODIES for c, _ in rows])
    bands = {"common_bodies": [b for b in COMMON_BODIES if b]}
    for group, sel in (("common", common), ("other", ~common)):
        g_lo, g_hi = conformal_factors(errs[sel], DEFAULT_LEVEL)
        bands[group] = {"level": DEFAULT_LEVEL, "low": round(g_lo, 4), "high": round(g_hi, 4),
                        "n": int(sel.sum()),
                        "median_log_error": round(float(np.median(errs[sel])), 4)}  # fmt: skip
    OUT_INTERVALS.write_text(
        _header("Split-conformal factors of range answers on brochure figures "
                "(nevcalc.intervals), by body group (Mondrian: the common bodies, on which "
                "most published cases are, and the others); log errors "
                "ln(published/model), each car left out of the relations' fit.", len(cal),
                n_cars) + "\n" + _toml({"range": bands}),
        encoding="utf-8")  # fmt: skip
    for c, model in rows:
        print(f"{c.label():60.60} {c.range / 1e3:7.0f} {model / 1e3:7.0f} "
              f"{(model / c.range - 1) * 100:+6.1f} %")
    ae = np.abs(np.exp(-errs) - 1)
    print(f"calibration: {errs.size} cases, {n_cars} cars; |error| median {np.median(ae):.3f} "
          f"p90 {np.percentile(ae, 90):.3f}; 80 % factors {lo:.3f}-{hi:.3f}")


if __name__ == "__main__":
    main()
