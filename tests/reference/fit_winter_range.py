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
density (ideal gas), tyres (UN R117, K_t = 0.008/K), the heat pump's COP against the
ambient (fitted on the measured EV heat pumps of thermal_figures.csv by
``tests/reference/fit_heat_pump_cop.py``, written here first), the pack's heat capacity, heater, conductance and window
(the chemistry and vehicle specs or :data:`nevcalc.scenario.thermal.DEFAULTS`), the cold
cells' share (TF-077). Test cases are never read. Run from the repository root::

    python tests/reference/fit_winter_range.py
"""

from __future__ import annotations

import datetime
import sys
import tomllib
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.reference import fit_heat_pump_cop as hp  # noqa: E402
from tests.validation import winter_cases as wc  # noqa: E402

OUT = ROOT / "specs" / "data" / "driving_climate.toml"


def _text(ua: float, cases: int, err: float, cop: dict) -> str:
    return f"""# Cabin climate and pack heating of driving in the cold
# (nevcalc.scenario.road.DrivingClimate). Written by tests/reference/fit_winter_range.py on
# {datetime.date.today().isoformat()} from the calibration cases of
# tests/validation/data/winter_range.csv (tests/validation/split.py); do not edit by hand.
# cabin_conductance: UA of the cabin (shell and ventilation) [W/K], the value that
#   minimises the median |ln(predicted / driven km)| over the calibration cases, with the
#   pack's temperature carried through each drive.
# heat_pump_fraction, heat_pump_supply_offset [K], heat_pump_cop_max: the heat pump's
#   heating COP = fraction x T_sink / (T_sink - T_amb), T_sink = set point + offset,
#   capped (nevcalc.model.thermal.heat_pump_cop). Fraction: least squares on ln COP over
#   the measured figures of tests/validation/data/thermal_figures.csv
#   ({", ".join(cop["ids"])}; rms |ln error| {cop["rms_log_error"]:.3f}); offset: the
#   supply air of TF-044; cap: the largest COP measured among them
#   (tests/reference/fit_heat_pump_cop.py).

[cabin]
cabin_conductance = {ua:.1f}
heat_pump_fraction = {cop["carnot_fraction"]}
heat_pump_supply_offset = {cop["supply_offset"]}
heat_pump_cop_max = {cop["cop_max"]}
heat_pump_kind = "fitted on {len(cop["ids"])} measured EV heat pumps ({", ".join(cop["ids"])})"
cases = {cases}
median_log_error = {err:.4f}
basis = "fitted on {cases} published winter range tests"
"""


def main() -> None:
    from nevcalc.scenario.road import drive_range

    cop = hp.fit()
    cases = [c for c in wc.read_cases() if c["split"] == "calibration"]
    old = tomllib.loads(OUT.read_text())["cabin"] if OUT.exists() else {}
    # the heat pump first, so that the conductance is fitted with it
    OUT.write_text(_text(old.get("cabin_conductance", 100.0), len(cases),
                         old.get("median_log_error", 0.0), cop))  # fmt: skip
    vehicles = [wc.road_vehicle(c) for c in cases]
    labels = [drive_range(v, c["procedure"]).range for c, v in zip(cases, vehicles, strict=True)]
    driven = np.array([float(c["driven_km"]) for c in cases])

    def loss(ua):
        pred = np.array([wc.predicted_km(c, v, ua, None, lab)
                         for c, v, lab in zip(cases, vehicles, labels, strict=True)])  # fmt: skip
        return float(np.median(np.abs(np.log(pred / driven))))

    coarse = min((loss(u), u) for u in np.arange(20.0, 400.5, 10.0))[1]
    err, ua = min((loss(u), u) for u in np.arange(max(coarse - 10.0, 20.0), coarse + 10.5, 1.0))
    OUT.write_text(_text(ua, len(cases), err, cop))
    print(f"heat pump: fraction {cop['carnot_fraction']}, supply +{cop['supply_offset']} K, "
          f"cap {cop['cop_max']}; cabin UA {ua:.1f} W/K on {len(cases)} calibration cases, "
          f"median |log error| {err:.4f}")  # fmt: skip

if __name__ == "__main__":
    main()
