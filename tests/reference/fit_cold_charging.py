"""Choose the cold-charging settings the sources leave open, on calibration rows only.

Reads ``tests/validation/data/cold_charging.csv`` through
``tests/validation/cold_cases.py``, keeps the rows that ``tests/validation/split.py``
puts in the *calibration* set, and scores each combination of candidates by the mean
absolute log error ``|ln(model / published)|`` of the charge times:

* the plating activation energy of cells whose chemistry spec gives none (the default of
  ``nevcalc.scenario.thermal.DEFAULTS``): 35 kJ/mol, the graphite exchange current of the
  Chen2020 cell (thermal_figures TF-004), or 55 kJ/mol, the graphite reaction rate of the
  Faraday Institution BPX example cells (TF-093); both are published values, none is fitted
  freely;
* the share of the cells' resistance that does not change with temperature (the default
  ``resistance_fixed_share``): 0 (all of it Arrhenius) or 0.6175, what is left of R0 + R1
  of the Chen2020 cell fitted to PyBaMM when its charge-transfer shares (0.315 + 0.0675)
  are taken out;
* the preconditioning of a session whose row leaves it unstated
  (``cold_cases.UNSTATED_PRECONDITION``): none (the pack soaked at the ambient), 5, 10 or
  20 minutes of heating before arrival, or on arrival (the navigation's lead time, 30 min
  by default);
* the heat the battery heater puts into the pack where the vehicle spec gives none (the
  default ``battery_heater_power``): 2 kW (the Kona Electric's coolant heater, thermal
  figures TF-084), 3 kW (a PTC coolant heater's datasheet, TF-050), 5 kW (TF-053) or 7 kW
  (TF-051), all published heater ratings; the Kona's measured 1 K per 2 min (TF-083) on a
  pack of about 500 kJ/K is about 4 kW.

Not every combination is adoptable: the vectorised sessions (``charge_sessions`` with an
ambient, which interpolate between profiles marched at temperature nodes) must keep their
tested bounds (tests/scenario/test_charge_sessions_thermal.py, all nine tests). Measured
with the 30 min lead time on 2026-12-04, before the sessions' interpolation was reworked:
35 kJ/mol with no fixed share passed; with the 0.6175 share (and at 45 kJ/mol with either
share) some AC sessions at -20 degC came out faster unpreconditioned than preconditioned
(``test_colder_arrival_is_never_faster``: five, by 0.03-1.3 %; at 45 kJ/mol three, by
0.9-2.4 %); 55 kJ/mol with either share also left the error bounds (90th percentile of the
peak power 10 % against 3 %) and failed ``test_answers_are_physical`` (an average power
above the peak). Since the sessions take the peak power of a cold arrival's shifted
windows from those windows (it was the peak of the clamped, warmer member), mix the peak
across both ambient nodes and the shifted windows by the energy stored in the span, and
have a member start at -5 degC, 55 kJ/mol with the 0.6175 share keeps every bound (on
three draws: duration 90th percentile 1.5-1.8 %, peak 1.0-1.4 %, none faster
unpreconditioned); the other combinations were not measured again. With the 3 kW heater
the same nine tests pass (2026-12-05). The choice is made among :data:`ADOPTABLE`; each
energy and share candidate takes the place of the case chemistries' own fields
(``specs/chemistries/*.toml``) and of the defaults alike; a heater candidate takes the
place of the default only (a vehicle spec that gives its heater keeps it).

It also scores, on the same rows, whether a pack the row says was driven to the charger
(``before_charge = driven``) without preconditioning should arrive warm (preconditioned on
arrival) rather than at the ambient.

The test rows are never read. It prints the table; the chosen settings are written by hand
into the chemistry specs, ``UNSTATED_PRECONDITION`` and the ``battery_heater_power``
default of ``nevcalc/scenario/thermal.py``; the driving pack uses the same heater, so
``tests/reference/fit_winter_range.py`` is run again after it changes (with 3 kW the
cabin conductance refits from 99 to 100 W/K). Run from the repository root::

    python tests/reference/fit_cold_charging.py

Result (2026-12-05, 23 calibration rows, with each row's blank peak power, voltage class
or chemistry taken from the datasheet row of the same car in ``data/charge_times.csv``
and the Kia EV4's own peak power): the best adoptable combination is 55 kJ/mol with the
0.6175 share, a 3 kW heater and 20 minutes of heating for unstated rows (mean |ln| 0.203,
median |error| 15.8 %; on arrival also 0.203, 11.1 %; with the 5 kW heater the best is
10 minutes, 0.225 and 17.4 %), so the default ``battery_heater_power`` is 3 kW and
``UNSTATED_PRECONDITION`` 20 minutes; on all 26 rows median 14.5 %, the three test rows
7.4 % (measured again with the brochure relations refitted on the 177 calibration cases
of ``charge_times.csv``, its floor near full a C-rate; the choice is the same; before
that refit 0.199 and 15.0 %, all 26 rows 13.0 %, test rows 1.5 %). The heater's power matters most where the pack has far to warm: the Model 3 soaked
at -25.6 degC heats for about 45 minutes before it charges (CC-006, -33 % with 5 kW, -11 %
with 3 kW) and the sessions at -17.5 to -19.5 degC (CC-035, CC-039, CC-040) come within
8 %.

Earlier result (2026-12-04, 23 calibration rows, with the Xpeng G9 session whose battery the
charge-time data give, and the brochure taper on the C-rate over the cells' rating): the
best adoptable combination is 55 kJ/mol with the 0.6175 share and 5 minutes of heating
for unstated rows (mean |ln| 0.236, median |error| 18.9 %; with 10 minutes 0.239 and
17.5 %; on all 26 rows 15.4 %, the three test rows 8.4 %), written into the nmc811, nca,
nmc-5c, nmc-46 and lfp-flash chemistry specs (the chemistries of the cases) and
``UNSTATED_PRECONDITION``; the former one, 35 kJ/mol, no fixed share and no
preconditioning of unstated rows, scores mean |ln| 0.324, median 23.1 % (20.2 % on all 26
rows). On the 22 calibration rows before the Xpeng G9 and the taper, the same
combination scored median 15.4 % (12.0 % on all 25 rows). Taking the two driven,
unpreconditioned calibration sessions warm scores worse than at the ambient (an Audi
e-tron after two hours on the motorway charged faster than the model's cold pack, a
Mustang Mach-E after two hours of highway far slower), so a driven pack is not taken
warmer.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import nevcalc.scenario.thermal as th  # noqa: E402
from tests.validation import cold_cases as co  # noqa: E402
from tests.validation.split import split_of  # noqa: E402

ENERGIES = {35000.0: "Chen2020 graphite exchange current (TF-004)",
            55000.0: "BPX graphite reaction rate (TF-093)"}  # fmt: skip
SHARES = {0.0: "all Arrhenius", 0.6175: "Chen2020 fit: all but the charge transfer"}
UNSTATED = ("none", 300.0, 600.0, 1200.0, "on-arrival")
HEATERS = {2000.0: "Kona Electric coolant heater (TF-084)", 3000.0: "PTC coolant heater (TF-050)",
           5000.0: "HV PTC heater (TF-053)", 7000.0: "HV PTC air heater (TF-051)"}  # fmt: skip
#: (energy, share) pairs whose vectorised sessions keep their tested bounds (above).
ADOPTABLE = {(35000.0, 0.0), (55000.0, 0.6175)}


def main():
    rows = [r for r in co.read_cases() if split_of(r["make"], r["model"]) == "calibration"]
    pub = np.array([float(r["minutes"]) for r in rows])
    figure = th._figure
    best = None
    try:
        for energy in ENERGIES:
            for share in SHARES:
                ok = (energy, share) in ADOPTABLE
                for heater in HEATERS if ok else (th.DEFAULTS["battery_heater_power"][0],):
                    th._figure = _candidate(figure, energy, share, heater)
                    for mode in UNSTATED:
                        m = co.model_minutes(rows, unstated=mode)
                        log_err = float(np.mean(np.abs(np.log(m / pub))))
                        med = float(np.median(np.abs(m / pub - 1)))
                        shown = mode if isinstance(mode, str) else f"{mode / 60:.0f} min"
                        print(f"{energy / 1e3:.0f} kJ/mol, fixed share {share:.4f}, heater "
                              f"{heater / 1e3:.0f} kW, unstated {shown:>10}: mean |ln| "
                              f"{log_err:.3f}, median |error| {med:.1%}"
                              f"{'' if ok else ' (not adoptable)'}", flush=True)  # fmt: skip
                        if ok and (best is None or log_err < best[0]):
                            best = (log_err, energy, share, heater, shown)
    finally:
        th._figure = figure
    print(f"{len(rows)} calibration rows; best adoptable: {best[1] / 1e3:.0f} kJ/mol, fixed "
          f"share {best[2]:.4f}, heater {best[3] / 1e3:.0f} kW, unstated {best[4]} "
          f"(mean |ln| {best[0]:.3f})")  # fmt: skip
    driven = [r for r in rows if r["before_charge"] == "driven" and r["preconditioned"] == "no"]
    if driven:
        pub = np.array([float(r["minutes"]) for r in driven])
        for how in ("none", "on-arrival"):
            m = np.array([_minutes(r, how) for r in driven])
            print(f"{len(driven)} driven, not preconditioned, taken {how}: mean |ln| "
                  f"{np.mean(np.abs(np.log(m / pub))):.3f} "
                  f"({', '.join(r['case_id'] for r in driven)})")  # fmt: skip


def _candidate(figure, energy, share, heater):
    """:func:`nevcalc.scenario.thermal._figure` with the two cell figures of a candidate in
    place of the chemistries' own fields and the defaults alike, and its heater in place
    of the default heater (a vehicle spec's own heater kept)."""
    given = {"plating_activation_energy": energy, "resistance_fixed_share": share}

    def candidate(name, *specs):
        if name in given:
            return given[name], ""
        value, text = figure(name, *specs)
        if name == "battery_heater_power" and text:  # the default, not a spec's figure
            return heater, text
        return value, text

    return candidate


def _minutes(row, precondition) -> float:
    from nevcalc.scenario.charge import charge
    from tests.validation import charge_cases as cc

    ans = charge(co.case_vehicle(row), cc.case_charger(row), float(row["soc_from_pct"]) / 100,
                 float(row["soc_to_pct"]) / 100, ambient=273.15 + float(row["ambient_c"]),
                 precondition=precondition)  # fmt: skip
    return ans.duration / 60.0


if __name__ == "__main__":
    main()
