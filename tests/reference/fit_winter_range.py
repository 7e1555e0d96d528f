"""Fit the cabin conductance of driving in the cold on the calibration winter range tests.

Reads the cases of ``tests/validation/winter_cases.py`` (published winter range tests:
driven km at an ambient against the official range), keeps those that
``tests/validation/split.py`` puts in the *calibration* set, and writes
``specs/data/driving_climate.toml``: the one number the published sources do not give,
the cabin's conductance ``UA`` (shell and ventilation, W/K), which sets the climate's
power ``UA (T_cabin - T_air)``. It is the value that minimises the median absolute log
error of the predicted driven km over the calibration cases (a fine grid, 1 W/K apart,
20-400 W/K). Everything else is sourced: air density (ideal gas), tyres (UN R117,
K_t = 0.008/K), the heat pump's Carnot fraction 0.26 (thermal_figures TF-044). Test
cases are never read. Run from the repository root::

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
    cases = [c for c in wc.read_cases() if c["split"] == "calibration"]
    vehicles = [wc.road_vehicle(c) for c in cases]
    driven = np.array([float(c["driven_km"]) for c in cases])
    grid = np.arange(20.0, 400.5, 1.0)
    loss = []
    for ua in grid:
        pred = np.array([wc.predicted_km(c, v, ua) for c, v in zip(cases, vehicles, strict=True)])
        loss.append(np.median(np.abs(np.log(pred / driven))))
    best = float(grid[int(np.argmin(loss))])
    text = f"""# Cabin climate of driving in the cold (nevcalc.scenario.road.DrivingClimate). Written by
# tests/reference/fit_winter_range.py on {datetime.date.today().isoformat()} from the calibration cases of
# tests/validation/data/winter_range.csv (tests/validation/split.py); do not edit by hand.
# cabin_conductance: UA of the cabin (shell and ventilation) [W/K], the value that
#   minimises the median |ln(predicted / driven km)| over the calibration cases.
# heat_pump_fraction: Carnot fraction of a heat pump (thermal_figures TF-044).

[cabin]
cabin_conductance = {best:.1f}
heat_pump_fraction = {HEAT_PUMP_FRACTION}
cases = {len(cases)}
median_log_error = {float(np.min(loss)):.4f}
basis = "fitted on {len(cases)} published winter range tests"
"""
    OUT.write_text(text)
    print(f"cabin UA {best:.1f} W/K on {len(cases)} calibration cases, "
          f"median |log error| {np.min(loss):.3f}")


if __name__ == "__main__":
    main()
