"""Fit the cabin conductance of driving in the cold on the calibration winter range tests.

Reads the cases of ``tests/validation/winter_cases.py`` (published winter range tests:
driven km at an ambient against the official range), keeps those that
``tests/validation/split.py`` puts in the *calibration* set, and writes
``specs/data/driving_climate.toml``: the one number the published sources do not give,
the cabin's conductance ``UA`` (shell and ventilation, W/K), which sets the climate's
power ``UA (T_cabin - T_air)``.

Method: the value that minimises the median absolute log error of the predicted driven
km over the calibration cases, on a coarse grid (20-400 W/K by 10 W/K) and then a fine
one (1 W/K apart within 10 W/K of the coarse optimum). The prediction carries the
pack's temperature through the drive: soaked at the ambient (or where the test's
protocol puts it), warmed by its own losses and by its heater below the low end of the
vehicle's window, and a cold pack delivers less of its energy
(:func:`nevcalc.model.thermal.cold_capacity_share`). Everything but UA is sourced: air
density (ideal gas), tyres (UN R117, K_t = 0.008/K), the heat pump's Carnot fraction
0.26 (thermal_figures TF-044), the pack's heat capacity, heater, conductance and window
(the chemistry and vehicle specs or :data:`nevcalc.scenario.thermal.DEFAULTS`), the cold
cells' share (TF-077). Test cases are never read. Run from the repository root::

    python tests/reference/fit_winter_range.py
"""

from __future__ import annotations

import datetime
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.validation import winter_cases as wc  # noqa: E402

OUT = ROOT / "specs" / "data" / "driving_climate.toml"
HEAT_PUMP_FRACTION = 0.26  #: thermal_figures TF-044


def main() -> None:
    from nevcalc.scenario.road import drive_range

    cases = [c for c in wc.read_cases() if c["split"] == "calibration"]
    vehicles = [wc.road_vehicle(c) for c in cases]
    labels = [drive_range(v, c["procedure"]).range for c, v in zip(cases, vehicles, strict=True)]
    driven = np.array([float(c["driven_km"]) for c in cases])

    def loss(ua):
        pred = np.array([wc.predicted_km(c, v, ua, None, lab)
                         for c, v, lab in zip(cases, vehicles, labels, strict=True)])  # fmt: skip
        return float(np.median(np.abs(np.log(pred / driven))))

    coarse = min((loss(u), u) for u in np.arange(20.0, 400.5, 10.0))[1]
    err, ua = min((loss(u), u) for u in np.arange(max(coarse - 10.0, 20.0), coarse + 10.5, 1.0))
    text = f"""# Cabin climate and pack heating of driving in the cold
# (nevcalc.scenario.road.DrivingClimate). Written by tests/reference/fit_winter_range.py on
# {datetime.date.today().isoformat()} from the calibration cases of
# tests/validation/data/winter_range.csv (tests/validation/split.py); do not edit by hand.
# cabin_conductance: UA of the cabin (shell and ventilation) [W/K], the value that
#   minimises the median |ln(predicted / driven km)| over the calibration cases, with the
#   pack's temperature carried through each drive.
# heat_pump_fraction: Carnot fraction of a heat pump (thermal_figures TF-044).

[cabin]
cabin_conductance = {ua:.1f}
heat_pump_fraction = {HEAT_PUMP_FRACTION}
cases = {len(cases)}
median_log_error = {err:.4f}
basis = "fitted on {len(cases)} published winter range tests"
"""
    OUT.write_text(text)
    print(f"cabin UA {ua:.1f} W/K on {len(cases)} calibration cases, "
          f"median |log error| {err:.4f}")  # fmt: skip


if __name__ == "__main__":
    main()
