"""Published official ranges as brochure cars: the reader shared by the fit and the tests.

Each row of ``tests/validation/data/official_ranges.csv`` is one car variant with
its official range on one cycle and whatever its datasheet publishes (battery
energy and its basis, body, dimensions, curb mass, Cd, frontal area, motor
power). :func:`brochure_of` turns a row into what nevcalc is given: every
published figure except the range itself and the official consumption (which is
the range over the battery, measured on the same test). Until that file exists,
the shipped vehicle specs with an official range stand in (:func:`spec_cases`).
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from pathlib import Path

from nevcalc import catalog
from nevcalc.brochure import market_year
from nevcalc.brochure.road import Brochure, normalise_body
from nevcalc.scenario.road import OFFICIAL_PROCEDURES, brochure_road_vehicle, drive_range
from tests.validation.split import split_of

__all__ = ["CASES_CSV", "Case", "brochure_of", "cases", "model_range", "procedure_of"]

CASES_CSV = Path(__file__).parent / "data" / "official_ranges.csv"

_BASIS = {"usable": "usable", "net": "usable", "gross": "gross", "nominal": "gross",
          "installed": "gross", "total": "gross"}  # fmt: skip


@dataclass(frozen=True)
class Case:
    """One published official range and the datasheet figures beside it."""

    case_id: str
    make: str
    model: str
    variant: str
    split: str  #: "calibration" or "test" (tests/validation/split.py)
    cycle: str  #: WLTP, EPA, CLTC, NEDC
    range: float  #: official range [m]
    chemistry: str  #: chemistry spec name
    brochure: Brochure

    @property
    def car(self) -> str:
        """make model, the unit of the split."""
        return f"{self.make} {self.model}"

    def label(self) -> str:
        """A line naming the case in failure messages."""
        return f"{self.case_id} {self.make} {self.model} {self.variant} ({self.cycle})".strip()


def _num(text) -> float | None:
    try:
        x = float(str(text).strip())
    except (TypeError, ValueError):
        return None
    return x if math.isfinite(x) and x > 0 else None


def _chemistry(text: str) -> str:
    t = (text or "").lower()
    if "lmfp" in t:
        return "lmfp"
    if "lfp" in t or "lifepo" in t:
        return "lfp"
    if "sodium" in t or "na-ion" in t:
        return "sodium-ion"
    if "nca" in t:
        return "nca"
    if "semi" in t:
        return "semi-solid"
    return "nmc811"


def brochure_of(row: dict) -> Brochure:
    """What a datasheet row gives, in SI (range and official consumption left out)."""
    mm = lambda k: None if _num(row.get(k)) is None else _num(row.get(k)) / 1e3  # noqa: E731
    kw = _num(row.get("motor_kw"))
    year = _num(row.get("model_year"))
    return Brochure(
        battery=_num(row["battery_kwh"]) * 3.6e6,
        battery_basis=_BASIS.get((row.get("battery_basis") or "").strip().lower(), "unknown"),
        body=normalise_body(row.get("body")),
        length=mm("length_mm"),
        width=mm("width_mm"),
        height=mm("height_mm"),
        year=int(year) if year else market_year(row.get("market"))[1],
        market=(row.get("market") or "").strip() or None,
        drive=(row.get("drive") or "").strip().lower() or None,
        curb_mass=_num(row.get("curb_mass_kg")),
        drag_coefficient=_num(row.get("drag_cd")),
        frontal_area=_num(row.get("frontal_area_m2")),
        motor_power=None if kw is None else kw * 1e3,
    )


def _csv_cases(path: Path) -> list[Case]:
    out = []
    with open(path, newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            cycle = (row.get("cycle") or "").strip().upper()
            rng = _num(row.get("range_km"))
            if (
                cycle not in OFFICIAL_PROCEDURES
                or rng is None
                or _num(row.get("battery_kwh")) is None
            ):
                continue
            make, model = row["make"].strip(), row["model"].strip()
            out.append(Case(row["case_id"], make, model, row.get("variant", "").strip(),
                            split_of(make, model), cycle, rng * 1e3,
                            _chemistry(row.get("chemistry", "")), brochure_of(row)))  # fmt: skip
    return out


def spec_cases(official_only: bool = True) -> list[Case]:
    """The shipped vehicle specs (with an official range, unless told otherwise) as
    brochure cars."""
    out = []
    for _, name, _ in catalog.list_specs("vehicle"):
        s = catalog.load(name, "vehicle")
        if official_only and not (s.get("official_range") and s.get("official_range_cycle")):
            continue
        g = s.get
        b = Brochure(battery=g("battery_usable_energy"), year=market_year(g("market"))[1],
                     curb_mass=g("curb_mass"), drag_coefficient=g("drag_coefficient"),
                     frontal_area=g("frontal_area"), motor_power=g("motor_power"))  # fmt: skip
        out.append(Case(name, s["make"], s["model"], s.get("variant", ""),
                        split_of(s["make"], s["model"]),
                        (s.get("official_range_cycle") or "").upper(),
                        s.get("official_range") or float("nan"), s["chemistry"], b))  # fmt: skip
    return out


def cases(split: str | None = None) -> list[Case]:
    """Published cases (the CSV, or the shipped specs until it exists), of one split or all."""
    found = _csv_cases(CASES_CSV) if CASES_CSV.exists() else spec_cases()
    return [c for c in found if split is None or c.split == split]


def procedure_of(cycle: str, epa: str = "epa") -> str:
    """nevcalc's procedure for an official cycle name."""
    p = OFFICIAL_PROCEDURES[cycle.upper()]
    return epa if p == "epa" else p


def model_range(case: Case, table: dict | None = None, epa: str = "epa") -> float:
    """nevcalc's range [m] of a case from its brochure figures on its official cycle."""
    v = brochure_road_vehicle(case.brochure, case.chemistry, name=case.case_id, table=table)
    return drive_range(v, procedure_of(case.cycle, epa)).range
