"""Published DC charge times as nevcalc cases: datasheet figures in, charge time out.

``tests/validation/data/charge_times.csv`` holds one published figure a row
(its README says how it was gathered). A case is charged as a new user would:
a brochure car from the row's datasheet figures only (usable or gross kWh,
chemistry, voltage class, peak DC power, market, model year), what is blank
estimated by :mod:`nevcalc.brochure.charging`; the charger is a DC charger of
the row's ``charger_kw`` and ``charger_a`` when the page gives them, else none (the
car limits).

Used by ``tests/reference/fit_brochure_charging.py`` (calibration cases) and
``tests/validation/test_brochure_charge.py`` (test cases).
"""

from __future__ import annotations

import csv
import math
import re
from pathlib import Path

import numpy as np

from nevcalc.brochure.road import estimate_usable, normalise_body
from nevcalc.scenario.charge import Charger, adhoc_vehicle, charge_sessions
from tests.validation.split import split_of

DATA = Path(__file__).parent / "data" / "charge_times.csv"

#: Rows whose own note doubts the figure are not cases, in either split (a rule
#: read off the notes, not off nevcalc's errors): the figure is contradicted by its
#: own page or another row of the same test ("contradict"), flagged as suspicious or
#: doubtful ("suspicious", "doubtful": a page that names no source), or taken at a
#: freezing ambient or in a winter test ("-N degC ambient", "winter"; the model
#: charges a pack at its working temperature).
DOUBT = re.compile(r"contradict|suspicious|doubtful|winter|-\d+ ?degC ambient", re.IGNORECASE)

#: Chemistry column text (lower case, first word) -> chemistry spec.
CHEMISTRY = {
    "lfp": "lfp",
    "nmc": "nmc811",
    "ncm": "nmc811",
    "nca": "nca",
    "lmfp": "lmfp",
    "sodium-ion": "sodium-ion",
    "na-ion": "sodium-ion",
    "semi-solid": "semi-solid",
}


def _num(text) -> float | None:
    try:
        x = float(str(text).strip())
    except ValueError:
        return None
    return x if math.isfinite(x) else None


def read_cases(path: Path | str = DATA) -> list[dict]:
    """Rows with their split; ``usable``: a battery size, a window and a time;
    ``doubtful``: the note doubts the figure (:data:`DOUBT`), not a case."""
    rows = []
    with open(path, newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            kwh, a, b, t = (_num(r.get(k)) for k in ("battery_kwh", "soc_from_pct",
                                                     "soc_to_pct", "minutes"))  # fmt: skip
            if None in (kwh, a, b, t) or not (0 <= a < b <= 100) or t <= 0:
                r["usable"] = False
            else:
                r["usable"] = True
            r["doubtful"] = bool(DOUBT.search(r.get("note") or ""))
            r["split"] = split_of(r["make"], r["model"])
            rows.append(r)
    return rows


def chemistry_of(row) -> str | None:
    """The chemistry spec a row names, None when unstated."""
    text = (row.get("chemistry") or "").strip().lower()
    for key, name in CHEMISTRY.items():
        if text.startswith(key):
            return name
    return None


def chemistry_family(row) -> str:
    """The chemistry family a row's car is charged with (named or estimated)."""
    from nevcalc import catalog

    return catalog.load(case_vehicle(row).chemistry, "chemistry")["family"]


def usable_kwh(row) -> float:
    """Usable energy [kWh]: gross figures times the usable share, others as given."""
    kwh = _num(row["battery_kwh"])
    if (row.get("battery_basis") or "").strip() == "gross":
        return estimate_usable(kwh * 3.6e6).value / 3.6e6
    return kwh


def case_vehicle(row, *, drop: bool = False, taper_params=None):
    """The brochure car of a row; ``drop`` leaves out its peak power."""
    year = _num(row.get("model_year"))
    market = (row.get("market") or "").strip().upper() or None
    peak, volt = _num(row.get("peak_dc_kw")), _num(row.get("voltage_class_v"))
    return adhoc_vehicle(
        _num(row["battery_kwh"]),
        chemistry_of(row),
        None if drop or peak is None else peak,
        volt,
        market=market if market in ("CN", "EU", "US") else None,
        year=None if year is None else int(year),
        body=normalise_body(row.get("body")),
        gross=(row.get("battery_basis") or "").strip() == "gross",
        name=row["case_id"],
        taper_params=taper_params,
    )


def case_charger(row) -> Charger:
    """A DC charger of the row's ``charger_kw`` and ``charger_a`` (the limits its page
    states for the charger), or one that sets no limit."""
    kw, amps = _num(row.get("charger_kw")), _num(row.get("charger_a"))
    if kw is None and amps is None:
        return Charger("none", "no charger limit", "dc", np.inf, np.inf, np.inf, 0.0, 1.0)
    power = np.inf if kw is None else kw * 1e3
    current = np.inf if amps is None else amps
    name = " ".join(t for t in (f"{kw:g} kW" if kw else "", f"{amps:g} A" if amps else "") if t)
    return Charger(f"dc-{name.replace(' ', '')}", f"{name} DC", "dc", power, current, 1000.0,
                   150.0, 0.95)  # fmt: skip


def model_minutes(rows, vehicles) -> np.ndarray:
    """Modelled minutes of each row's window, all cases in one vectorised call."""
    chargers = [case_charger(r) for r in rows]
    idx = np.arange(len(rows))
    a = np.array([_num(r["soc_from_pct"]) / 100 for r in rows])
    b = np.array([_num(r["soc_to_pct"]) / 100 for r in rows])
    s = charge_sessions(vehicles, chargers, idx, idx, a, b)
    return s.duration / 60.0


def published_minutes(rows) -> np.ndarray:
    return np.array([_num(r["minutes"]) for r in rows])


def error_lines(rows, model, published) -> str:
    """A table of the cases for a failure message, worst first."""
    err = model / published - 1
    order = np.argsort(-np.abs(np.nan_to_num(err, nan=9.9)))
    out = [f"{'case':7} {'car':38} {'window':>8} {'publ.':>6} {'model':>6} {'error':>7}"]
    for i in order:
        r = rows[i]
        car = f"{r['make']} {r['model']} {r['variant']}"[:38]
        out.append(f"{r['case_id']:7} {car:38} {r['soc_from_pct']:>3}-{r['soc_to_pct']:>3} % "
                   f"{published[i]:6.1f} {model[i]:6.1f} {err[i] * 100:+6.1f}%")  # fmt: skip
    return "\n".join(out)
