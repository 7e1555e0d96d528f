"""Published cold DC charging sessions as nevcalc cases (``data/cold_charging.csv``).

A case is a row with a SoC window and a time. Its car is the shipped vehicle spec of the
same make and model whose usable battery is within 10 % of the row's (the closest), else
a brochure car built as :mod:`tests.validation.charge_cases` builds one, from the row's
own datasheet figures
(battery kWh, peak DC power, voltage class, chemistry); where the row leaves its battery
out, from the first row of the same make and model in ``data/charge_times.csv`` that
gives one; where it gives its battery but leaves a peak power, voltage class or
chemistry out, that figure comes from the first row of the same make and model in
``data/charge_times.csv`` whose battery is within 10 % of the row's (the same published
datasheet figures, one rule for every case). The charger is a DC charger of
``charger_kw`` when the row gives it, else none (the car limits).

Settings the sources do not give, the same for every case: a pack the row says was
preconditioned arrives preconditioned (``on-arrival``); one the row says was not
(``no``: the car lacked the feature or the tester left it off) arrives at the ambient
(parked long enough to soak, the coldest case); where the row leaves the state unstated
(most winter tests drive the cars to the charger, and cars of 2023 on warm the pack when
the charger is the navigation's destination, but the pages do not say for how long), the
pack is preconditioned as :data:`UNSTATED_PRECONDITION` says (20 minutes of heating before
arrival, about Hyundai's conditioning time, thermal_figures TF-068; none, 5 or 10 minutes
or on arrival scored worse with the chemistries' plating limit and the 3 kW default
battery heater). That choice and the heater's power were chosen together on the
calibration rows of ``tests/validation/split.py`` alone, among stated candidates, by
``tests/reference/fit_cold_charging.py``; the test rows were not read for them.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

from tests.validation import charge_cases as cc

DATA = Path(__file__).parent / "data" / "cold_charging.csv"


_num = cc._num  #: the same reading of a figure as the charge cases


#: Preconditioning of a pack whose state the row leaves unstated (see above): 20 minutes
#: of heating before arrival [s].
UNSTATED_PRECONDITION = 1200.0


def precondition_of(row, unstated=UNSTATED_PRECONDITION):
    """The preconditioning of a row's session: ``on-arrival``, ``none`` or seconds."""
    state = (row.get("preconditioned") or "").strip()
    return "on-arrival" if state == "yes" else "none" if state == "no" else unstated


def _datasheets() -> dict[tuple[str, str], list[dict]]:
    """The rows of ``data/charge_times.csv`` that give a battery, by make and model, in
    file order."""
    out: dict[tuple[str, str], list[dict]] = {}
    with open(cc.DATA, newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if _num(r.get("battery_kwh")) is not None:
                key = (r["make"].strip().lower(), r["model"].strip().lower())
                out.setdefault(key, []).append(r)
    return out


#: Datasheet figures a row may leave out and take from its car's datasheet row.
_SHEET_FIELDS = ("peak_dc_kw", "voltage_class_v", "chemistry")


def _blank(value) -> bool:
    return (value or "").strip() in ("", "unstated")


def read_cases() -> list[dict]:
    """Rows with a window, a time and a battery size (their own or their datasheet's)."""
    sheets = _datasheets()
    rows = []
    with open(DATA, newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            a, b, t = (_num(r.get(k)) for k in ("soc_from_pct", "soc_to_pct", "minutes"))
            amb = _num(r.get("ambient_c"))
            if None in (a, b, t, amb) or not (0 <= a < b <= 100) or t <= 0:
                continue
            car = dict(r)
            same = sheets.get((r["make"].strip().lower(), r["model"].strip().lower()), [])
            kwh = _num(r.get("battery_kwh"))
            if kwh is not None:  # its own battery: blank figures from a datasheet of it
                near = [s for s in same if abs(_num(s["battery_kwh"]) / kwh - 1) <= 0.10]
                if near:
                    for k in _SHEET_FIELDS:
                        if _blank(car.get(k)) and not _blank(near[0].get(k)):
                            car[k] = near[0][k]
                            car["datasheet"] = near[0]["case_id"]
            else:
                if not same:
                    continue
                sheet = same[0]
                for k in ("battery_kwh", "battery_basis", "chemistry", "voltage_class_v",
                          "peak_dc_kw", "market", "body"):  # fmt: skip
                    if not (car.get(k) or "").strip() or k in ("battery_kwh", "battery_basis"):
                        car[k] = sheet.get(k, "")
                car["datasheet"] = sheet["case_id"]
            car.setdefault("battery_basis", "")
            car.setdefault("market", "")
            car.setdefault("body", "")
            car["case_id"] = r["case_id"]
            rows.append(car)
    return rows


def _shipped() -> list[tuple[str, str, float, str]]:
    from nevcalc import catalog

    out = []
    for _, name, _ in catalog.list_specs("vehicle"):
        spec = catalog.load(name, "vehicle")
        out.append((spec["make"].strip().lower(), spec["model"].strip().lower(),
                    spec["battery_usable_energy"] / 3.6e6, name))  # fmt: skip
    return out


def case_vehicle(row):
    """The shipped vehicle of the rule above, or the row's brochure car."""
    from nevcalc.scenario.charge import load_vehicle

    kwh = _num(row["battery_kwh"])
    key = (row["make"].strip().lower(), row["model"].strip().lower())
    near = [(abs(e / kwh - 1), n) for m, mo, e, n in _shipped()
            if (m, mo) == key and abs(e / kwh - 1) <= 0.10]  # fmt: skip
    if near:
        return load_vehicle(min(near)[1])
    return cc.case_vehicle(row)


def model_minutes(rows, *, ambient: bool = True, unstated=UNSTATED_PRECONDITION) -> np.ndarray:
    """Modelled minutes of each case at its ambient (or, ``ambient=False``, at 25 degC
    air, not preconditioned); ``unstated``: the preconditioning of rows that do not say."""
    from nevcalc.scenario.charge import charge

    out = []
    for r in rows:
        v = case_vehicle(r)
        c = cc.case_charger(r)
        pre = precondition_of(r, unstated)
        amb = 273.15 + (_num(r["ambient_c"]) if ambient else 25.0)
        a = _num(r["soc_from_pct"]) / 100
        b = _num(r["soc_to_pct"]) / 100
        ans = charge(v, c, a, b, ambient=amb, precondition=pre if ambient else "none")
        out.append(ans.duration / 60.0)
    return np.array(out)
