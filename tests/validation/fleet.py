"""Published fleet retention cases and the duty nevcalc ages each one with.

``data/fleet_retention.csv`` holds what fleet studies report (each figure on its cited
page). A study rarely states the duty, so each case is aged with the stated
assumptions below, the same for the fit of the fleet correction
(``tests/reference/fit_fleet_ageing.py``, calibration cases) and the validation test
(``test_fleet.py``, test cases):

* a pack of 70 kWh usable at 0.17 kWh/km at the battery (a mid-size car);
* private cars swept 25-85 %, charged at home at 7 kW (0.1C) with 10 % of the energy
  from DC fast chargers at 1C; taxis and ride-hailing cars swept 15-90 % with half the
  energy from DC at 1C; a stated DC share replaces the assumed one;
* the age a study leaves out is the distance at 30,000 km a year (private; cars that
  reach high distances are the high-use ones, as Tesla's impact report says of its own
  figures) or 100,000 km a year (taxis); the distance left out is the age at
  15,000 km a year (private) or 100,000 km (taxis);
* the cells at the monthly mean air temperatures of the climate named per case.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from tests.validation.split import split_of

__all__ = ["CHEMISTRY_MODELS", "FleetCase", "age_cases", "age_cases_as_before", "load_cases"]

DATA = Path(__file__).parent / "data" / "fleet_retention.csv"

#: Chemistry of a case -> nevcalc ageing model (a Leaf's LMO-NMC and any NMC: NMC622).
CHEMISTRY_MODELS = {"nmc": "nmc622-gr-denso", "nca": "nca-gr-panasonic3ah",
                    "lfp": "lfp-gr-250ah"}  # fmt: skip

USABLE_KWH = 70.0
CONSUMPTION_KWH_PER_KM = 0.17
AC_RATE, DC_RATE = 0.1, 1.0  # [1/h]
WINDOWS = {"private": (0.25, 0.85), "taxi": (0.15, 0.9), "ride-hailing": (0.15, 0.9)}
DC_SHARE = {"private": 0.1, "taxi": 0.5, "ride-hailing": 0.5}
KM_PER_YEAR_IF_AGE_MISSING = {"private": 30000.0, "taxi": 100000.0, "ride-hailing": 100000.0}
KM_PER_YEAR_IF_KM_MISSING = {"private": 15000.0, "taxi": 100000.0, "ride-hailing": 100000.0}


@dataclass(frozen=True)
class FleetCase:
    case_id: str
    study: str
    model: str
    chemistry: str
    climate: str
    usage: str
    age_years: float
    km: float
    share_dc: float
    retention_pct: float
    split: str
    n_cars: str  #: "" when not stated, "1" for a single car

    @property
    def fleet_study(self) -> bool:
        """A figure of a group of cars (a fleet or a study), not of one car."""
        return self.n_cars != "1"


def load_cases() -> list[FleetCase]:
    """Every case of the table with its age, distance and DC share filled as stated."""
    out = []
    with DATA.open(newline="") as f:
        for r in csv.DictReader(f):
            use = r["usage"]
            age = float(r["age_years"]) if r["age_years"] else None
            km = float(r["km"]) if r["km"] else None
            if age is None:
                age = km / KM_PER_YEAR_IF_AGE_MISSING[use]
            if km is None:
                km = age * KM_PER_YEAR_IF_KM_MISSING[use]
            share = float(r["share_dc"]) if r["share_dc"] else DC_SHARE[use]
            out.append(FleetCase(r["case_id"], r["study"], r["model"], r["chemistry"],
                                 r["climate"], use, age, km, share,
                                 float(r["retention_pct"]),
                                 split_of(r["make"], r["model"]), r["n_cars"]))  # fmt: skip
    return out


def age_cases(cases, scale_for=None, rise: float = 0.0) -> np.ndarray:
    """nevcalc's retention [%] of each case at its age.

    ``scale_for(model_name) -> (f_cal, f_cyc)`` is a fleet correction (None: the lab-cell
    models); ``rise`` [K] warms the cells above the climate's air.
    """
    from nevcalc.ageing import AGEING_MODELS, ageing_stage
    from nevcalc.scenario.health import climate_temperatures

    out = []
    for c in cases:
        lo, hi = WINDOWS[c.usage]
        efc = c.km / c.age_years * CONSUMPTION_KWH_PER_KM / USABLE_KWH / 365.0
        name = CHEMISTRY_MODELS[c.chemistry]
        temps = climate_temperatures(c.climate)[0] + rise
        years = max(int(np.ceil(c.age_years)), 1)
        got = ageing_stage(AGEING_MODELS.index(name), np.nan, lo, hi, efc, AC_RATE / 3600.0,
                           298.15, years, 0.7, curve=True, fast_share=c.share_dc,
                           fast_rate=DC_RATE / 3600.0, climate=temps,
                           scale=None if scale_for is None else scale_for(name))  # fmt: skip
        q = np.concatenate([[1.0], got["capacity"][:years]])
        out.append(100.0 * float(np.interp(c.age_years, np.arange(years + 1), q)))
    return np.array(out)


def age_cases_as_before(cases) -> np.ndarray:
    """nevcalc's retention [%] as it aged a car before it took km, climates and AC/DC mixes.

    One temperature (25 degC) all year, one charge rate (the energy-weighted mean of AC
    and DC), at most one sweep of the window a day, the lab-cell models.
    """
    from nevcalc.ageing import AGEING_MODELS, ageing_stage

    out = []
    for c in cases:
        lo, hi = WINDOWS[c.usage]
        efc = min(c.km / c.age_years * CONSUMPTION_KWH_PER_KM / USABLE_KWH / 365.0, hi - lo)
        rate = ((1 - c.share_dc) * AC_RATE + c.share_dc * DC_RATE) / 3600.0
        years = max(int(np.ceil(c.age_years)), 1)
        got = ageing_stage(AGEING_MODELS.index(CHEMISTRY_MODELS[c.chemistry]), np.nan, lo, hi,
                           efc, rate, 298.15, years, 0.7, curve=True)  # fmt: skip
        q = np.concatenate([[1.0], got["capacity"][:years]])
        out.append(100.0 * float(np.interp(c.age_years, np.arange(years + 1), q)))
    return np.array(out)
