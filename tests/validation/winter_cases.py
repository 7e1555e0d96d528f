"""Published winter range tests as nevcalc cases (``data/winter_range.csv``).

A case is a row with ``driven_km``, ``official_km`` on a known official cycle and an
ambient. Its car: the shipped vehicle spec of the same make and model whose usable
battery is within 10 % of the row's (the closest), else the brochure car of the same
make and model in ``data/official_ranges.csv`` (the closest battery to the row's, or the
first), else the row is not a case. nevcalc predicts the driven km as the official km
times its own ratio of the range driven at the row's ambient with the cabin climate on
to its range on the official procedure: what the car itself does on the label is the
published figure, the temperature and the road are nevcalc's.

Settings the sources do not give, the same for every case:

* the road, by the row's ``road`` (read from its route and sources, see
  ``data/README.md``): the Artemis rural road (``cadc-rural``, from recorded European
  driving) for ``mixed`` public-road tests, its motorway part (``cadc-motorway-130``)
  for ``motorway`` (a motorway, a dynamometer motorway profile, or a loop whose longest
  stated part is at motorway speed: What Car?'s, 8 of its 14.6 miles at 70 mph) (the
  rural road was chosen over WLTC for the public roads by the calibration cases'
  error: 8.2 % against 11.7 % median);
* the cabin at the row's ``cabin_c``, else 21 degC; a heat pump only where the row says
  so;
* the pack at the row's ``pack_start_c`` at the start where the test's protocol states
  it (a garage, a soak), else soaked at the ambient: the tests park the cars outside
  overnight and most say no preheating (NAF 2020, 2022, 2023, What Car? 2023);
* the official procedure: WLTP, CLTC, and the EPA label for EPA and NRCan figures.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

from tests.validation import official_ranges as orng
from tests.validation.split import split_of

DATA = Path(__file__).parent / "data" / "winter_range.csv"
_OFFICIAL = {"WLTP": "wltp", "CLTC": "cltc", "EPA": "epa", "NRCAN": "epa"}


def _num(text):
    try:
        x = float(str(text).strip())
    except (TypeError, ValueError):
        return None
    return x if math.isfinite(x) else None


#: The cycle that stands for each ``road`` of the data.
ROAD_CYCLES = {"motorway": "cadc-motorway-130", "mixed": "cadc-rural"}


def road_of(row) -> str:
    """The cycle that stands for a test's road (the row's ``road``, the rule above)."""
    return ROAD_CYCLES[row["road"]]


def _shipped():
    from nevcalc import catalog

    out = []
    for _, name, _ in catalog.list_specs("vehicle"):
        spec = catalog.load(name, "vehicle")
        if spec.get("curb_mass") is None:
            continue
        out.append((spec["make"].strip().lower(), spec["model"].strip().lower(),
                    spec["battery_usable_energy"] / 3.6e6, name))  # fmt: skip
    return out


def read_cases() -> list[dict]:
    """Rows that are cases, each with ``vehicle`` (spec name or official_ranges Case)."""
    shipped = _shipped()
    brochures: dict[tuple[str, str], list] = {}
    for c in orng.cases():
        brochures.setdefault((c.make.lower(), c.model.lower()), []).append(c)
    out = []
    with open(DATA, newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            driven, official, amb = (_num(r.get(k)) for k in ("driven_km", "official_km",
                                                              "ambient_c"))  # fmt: skip
            cycle = (r.get("official_cycle") or "").strip().upper()
            if None in (driven, official, amb) or cycle not in _OFFICIAL:
                continue
            key = (r["make"].strip().lower(), r["model"].strip().lower())
            kwh = _num(r.get("battery_kwh"))
            near = [(abs(e / kwh - 1) if kwh else 0.0, n) for m, mo, e, n in shipped
                    if (m, mo) == key and (kwh is None or abs(e / kwh - 1) <= 0.10)]  # fmt: skip
            if near:
                vehicle = min(near)[1]
            elif key in brochures:
                cands = brochures[key]
                vehicle = min(cands, key=lambda c: abs(c.brochure.battery / 3.6e6 - kwh)
                              if kwh else 0.0)  # fmt: skip
            else:
                continue
            out.append({**r, "vehicle": vehicle, "split": split_of(r["make"], r["model"]),
                        "procedure": _OFFICIAL[cycle]})  # fmt: skip
    return out


def road_vehicle(case):
    from nevcalc.scenario.road import brochure_road_vehicle, load_road_vehicle

    v = case["vehicle"]
    if isinstance(v, str):
        return load_road_vehicle(v)
    return brochure_road_vehicle(v.brochure, v.chemistry, name=v.case_id)


def predicted_km(case, vehicle=None, conductance=None, heat_below=None, label=None) -> float:
    """nevcalc's driven km of a case (the ratio rule above) [km].

    ``conductance`` [W/K] and ``heat_below`` [K]: the calibration's two numbers (the
    shipped ones by default); ``label``: the vehicle's range on the official procedure
    [m], when known.
    """
    from nevcalc.scenario.road import DrivingClimate, drive_range

    v = vehicle if vehicle is not None else road_vehicle(case)
    cabin = _num(case.get("cabin_c"))
    start = _num(case.get("pack_start_c"))
    climate = DrivingClimate(
        ambient=273.15 + _num(case["ambient_c"]),
        cabin=273.15 + (21.0 if cabin is None else cabin),
        heat_pump=(case.get("heat_pump") or "").strip() == "yes",
        cabin_conductance=conductance,
        pack_start=None if start is None else 273.15 + start,
        pack_heat_below=heat_below,
    )
    winter = drive_range(v, road_of(case), climate=climate).range
    if label is None:
        label = drive_range(v, case["procedure"]).range
    return _num(case["official_km"]) * winter / label
