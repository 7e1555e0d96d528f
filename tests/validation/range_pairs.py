"""Published official ranges of the same variant on two procedures, against nevcalc's ratios.

``tests/validation/data/range_pairs.csv`` gives a variant's WLTP, EPA, CLTC and NEDC
ranges (each a row of ``official_ranges.csv``, named in the note). nevcalc's ratio of
two procedures for the same brochure car is compared with the published one, for the
EPA label by the 0.7 short cut and by the 5-cycle method, without the calibrated
consumption factors (so that the ratio is the label physics alone) and with them.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, replace
from pathlib import Path

from nevcalc.scenario.road import brochure_road_vehicle, drive_range
from tests.validation.official_ranges import CASES_CSV, _chemistry, _num, brochure_of
from tests.validation.split import split_of

__all__ = ["PAIRS_CSV", "Pair", "pairs", "ratio_rows"]

PAIRS_CSV = Path(__file__).parent / "data" / "range_pairs.csv"
CYCLES = ("wltp", "epa", "cltc", "nedc")


@dataclass(frozen=True)
class Pair:
    """One variant's published ranges on several procedures [m] and its brochure row."""

    case_id: str
    label: str
    split: str
    ranges: dict
    row: dict


def pairs() -> list[Pair]:
    """The pairs whose note names an official_ranges row with a battery energy."""
    rows = {r["case_id"]: r for r in csv.DictReader(open(CASES_CSV, encoding="utf-8"))}
    out = []
    for p in csv.DictReader(open(PAIRS_CSV, encoding="utf-8")):
        ids = [i for i in re.findall(r"OR-\d+", p.get("note", "")) if i in rows]
        row = next((rows[i] for i in ids if _num(rows[i].get("battery_kwh"))), None)
        if row is None and _num(p.get("battery_kwh")):
            row = {**rows[ids[0]], "battery_kwh": p["battery_kwh"]} if ids else None
        ranges = {c: _num(p.get(f"{c}_km")) * 1e3 for c in CYCLES if _num(p.get(f"{c}_km"))}
        if row is None or len(ranges) < 2:
            continue
        out.append(Pair(p["case_id"], f"{p['case_id']} {p['make']} {p['model']} {p['variant']}",
                        split_of(p["make"], p["model"]), ranges, row))  # fmt: skip
    return out


def ratio_rows(calibrated: bool = False) -> list[dict]:
    """Per pair and procedure: published and modelled range over the WLTP one.

    Keys: ``pair``, ``split``, ``cycle``, ``published``, ``short_cut`` (EPA by 0.7),
    ``five_cycle`` (EPA by the 5-cycle method; the other cycles as ``short_cut``).
    """
    out = []
    for p in pairs():
        if "wltp" not in p.ranges:
            continue
        b = brochure_of(p.row)
        v = brochure_road_vehicle(b, _chemistry(p.row.get("chemistry", "")), name=p.case_id)
        if not calibrated:
            v = replace(v, consumption_factors=())
        w = drive_range(v, "wltp").range
        for cyc, published in p.ranges.items():
            if cyc == "wltp":
                continue
            short = drive_range(v, cyc).range / w
            five = drive_range(v, "epa-5cycle").range / w if cyc == "epa" else short
            out.append({"pair": p.label, "split": p.split, "cycle": cyc,
                        "published": published / p.ranges["wltp"], "short_cut": short,
                        "five_cycle": five})  # fmt: skip
    return out
