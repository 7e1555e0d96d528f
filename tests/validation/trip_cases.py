"""Published long trips and 20-minute charges as nevcalc cases.

Two sets, both read from ``tests/validation/data`` (their README says how they were
gathered):

* **trip times** (``trip_times.csv``): the rows of the *Nyland 1000 km challenge*, one
  protocol (1000 km of Norwegian and Swedish roads from a full battery, charging as
  needed, the time after Nyland's deductions for detours and broken chargers). The other
  events of the file are left out: SECC, Car and Driver's EV1000 and ED 1000 let each
  team choose its route (and the EV1000's Leaf queued at single chargers), the 2019
  rally was scored on consumption too, and battery swaps (NIO) are not charging.
* **km in 20 minutes** (``range_in_20min.csv``): km of range recharged in a 20-minute
  DC charge (P3 Charging Index, ADAC), rows that give the km.

A case's car, one rule for every case of both sets: the shipped vehicle spec of the same
make and model whose usable battery is within 10 % of the case's (the closest; a gross
figure is made usable by the median usable share first), else a brochure car. The
case's battery is the row's own figure, else that of the datasheet in
``charge_times.csv`` of the same make and model closest in model year to the row's (the
first when the row gives no year); a row with neither is not a case. The brochure car's
charging (:func:`~nevcalc.scenario.charge.adhoc_vehicle`) takes peak DC power, voltage
class and chemistry from the datasheet of the same make and model whose battery is
within 10 % of the case's (the closest: the figures of one pack), body, market and model
year (the row's year first) from the closest datasheet of the make and model; its road
(:func:`~nevcalc.scenario.road.brochure_road_vehicle`) takes the battery, body, market
and year. What is missing is estimated, as for any brochure car.

Settings the sources do not give are set once for every car, by
``tests/reference/fit_trip_settings.py`` on the calibration cases
(``tests/validation/split.py``), and read from ``data/trip_settings.toml``:

* trips: the mean driving speed of the route, the spacing of its stations, the time a
  stop takes besides charging and the lowest SoC on arrival (the reserve);
* km in 20 minutes: the speed of the motorway drive whose consumption turns energy into
  km, for the rows that give no consumption.

Read off the rows, the same for every case: the route is ``distance_km`` of motorway at
the fitted speed with the row's ``ambient_c`` (mild air when blank) and
``start_soc_pct``; the stations are Tesla Superchargers (``tesla-v3``) where the row's
network starts with them or, blank, for a Tesla, else Ionity (``ionity-350``); the
pack is preconditioned on the way to each charger unless the row's note says the car
had no preheating. For 20-minute charges: from ``soc_from_pct`` (10 % when blank) on a
Tesla Supercharger for Teslas, a charger of the power (and current) the row names where
it names one other than the 350 kW high-power charger, else a 350 kW high-power charger
(``ea-350`` for US rows, ``ionity-350`` otherwise); at the row's ``ambient_c``
(preconditioned on arrival), else a pack at 25 degC.
"""

from __future__ import annotations

import csv
import math
import re
import tomllib
from functools import lru_cache
from pathlib import Path

import numpy as np

from tests.validation.split import split_of

HERE = Path(__file__).parent / "data"
TRIPS = HERE / "trip_times.csv"
KM20 = HERE / "range_in_20min.csv"
SHEETS = HERE / "charge_times.csv"
SETTINGS = HERE / "trip_settings.toml"

#: The one protocol of the trip-time cases.
PROTOCOL = "Nyland 1000 km challenge"
#: Rows of the protocol that are not charging results (battery swaps).
NOT_CHARGING = re.compile(r"battery swap", re.IGNORECASE)
#: A row's note saying the car could not warm its pack for the chargers.
NO_PREHEAT = re.compile(r"no battery preheating|without preheating", re.IGNORECASE)
#: Minutes of the 20-minute charge.
MINUTES = 20.0


def _num(text) -> float | None:
    try:
        x = float(str(text).strip())
    except (TypeError, ValueError):
        return None
    return x if math.isfinite(x) else None


def _key(row) -> tuple[str, str]:
    return row["make"].strip().lower(), row["model"].strip().lower()


@lru_cache(maxsize=1)
def _datasheets() -> dict[tuple[str, str], list[dict]]:
    out: dict[tuple[str, str], list[dict]] = {}
    with open(SHEETS, newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if _num(r.get("battery_kwh")) is not None:
                out.setdefault(_key(r), []).append(r)
    return out


@lru_cache(maxsize=1)
def _shipped() -> tuple[tuple[str, str, float, str], ...]:
    from nevcalc import catalog

    out = []
    for _, name, _ in catalog.list_specs("vehicle"):
        spec = catalog.load(name, "vehicle")
        out.append((spec["make"].strip().lower(), spec["model"].strip().lower(),
                    spec["battery_usable_energy"] / 3.6e6, name))  # fmt: skip
    return tuple(out)


def car_of(row) -> dict | None:
    """The car of a row by the rule above: ``spec`` (a shipped name) or the brochure
    figures; None when the row has no battery and no datasheet gives one."""
    from nevcalc.brochure.road import estimate_usable

    sheets = _datasheets().get(_key(row), [])
    kwh = _num(row.get("battery_kwh"))
    basis = (row.get("battery_basis") or "").strip()
    source = "row"
    if kwh is None:
        if not sheets:
            return None
        year = _num(row.get("model_year"))
        sheet = sheets[0] if year is None else min(
            sheets, key=lambda s: abs((_num(s.get("model_year")) or -1e4) - year))  # fmt: skip
        kwh, basis, source = _num(sheet["battery_kwh"]), sheet["battery_basis"], sheet["case_id"]
    usable = estimate_usable(kwh * 3.6e6).value / 3.6e6 if basis == "gross" else kwh
    near = [(abs(e / usable - 1), n) for m, mo, e, n in _shipped()
            if (m, mo) == _key(row) and abs(e / usable - 1) <= 0.10]  # fmt: skip
    car = {"battery_kwh": kwh, "battery_basis": basis, "battery_from": source,
           "spec": min(near)[1] if near else None}  # fmt: skip
    if near:
        return car

    def gap(s):
        return abs(_num(s["battery_kwh"]) / kwh - 1)

    closest = min(sheets, key=gap) if sheets else {}
    same = closest if sheets and gap(closest) <= 0.10 else {}
    year = _num(row.get("model_year")) or _num(closest.get("model_year"))
    car.update(
        peak_dc_kw=_num(same.get("peak_dc_kw")),
        voltage_class_v=_num(same.get("voltage_class_v")),
        chemistry=same.get("chemistry", ""),
        body=closest.get("body", ""),
        market=(closest.get("market") or "").strip().upper(),
        model_year=None if year is None else int(year),
        datasheet=" ".join(dict.fromkeys(s["case_id"] for s in (closest, same) if s)),
    )
    return car


def describe(car: dict) -> str:
    """Short text of a case's car for the tables."""
    if car["spec"]:
        return car["spec"]
    return f"brochure {car['battery_kwh']:g} kWh ({car.get('datasheet') or 'no datasheet'})"


def vehicles(case) -> tuple:
    """(charging Vehicle, RoadVehicle) of a case's car."""
    from nevcalc.brochure.road import Brochure, normalise_body
    from nevcalc.scenario.charge import adhoc_vehicle, load_vehicle
    from nevcalc.scenario.road import brochure_road_vehicle, load_road_vehicle
    from tests.validation.charge_cases import chemistry_of

    car = case["car"]
    if car["spec"]:
        return load_vehicle(car["spec"]), load_road_vehicle(car["spec"])
    market = car["market"] if car["market"] in ("CN", "EU", "US") else None
    body = normalise_body(car["body"])
    gross = car["battery_basis"] == "gross"
    v = adhoc_vehicle(car["battery_kwh"], chemistry_of(car), car["peak_dc_kw"],
                      car["voltage_class_v"], market=market, year=car["model_year"],
                      body=body, gross=gross, name=case["case_id"])  # fmt: skip
    basis = {"gross": "gross", "usable": "usable"}.get(car["battery_basis"], "unknown")
    b = Brochure(battery=car["battery_kwh"] * 3.6e6, battery_basis=basis, body=body,
                 year=car["model_year"], market=market)  # fmt: skip
    return v, brochure_road_vehicle(b, v.chemistry, name=case["case_id"])


# --- trip times -----------------------------------------------------------------------


def read_trips() -> tuple[list[dict], list[tuple[str, str]]]:
    """The trip-time cases, and the rows left out with the reason."""
    cases, out = [], []
    with open(TRIPS, newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            why = ""
            if r["test"].strip() != PROTOCOL:
                why = f"another protocol ({r['test'].split('(')[0].strip()})"
            elif NOT_CHARGING.search(f"{r['charger_network']} {r['note']}"):
                why = "battery swaps, not charging"
            elif _num(r["total_minutes"]) is None or _num(r["distance_km"]) is None:
                why = "no time or distance"
            car = None if why else car_of(r)
            if not why and car is None:
                why = "no battery size in the row or a datasheet of the car"
            if why:
                out.append((r["case_id"], why))
                continue
            cases.append({**r, "car": car, "split": split_of(r["make"], r["model"])})
    return cases, out


def trip_charger(case) -> str:
    """The charger of a trip's stations (the rule above)."""
    net = (case.get("charger_network") or "").strip().lower()
    if net.startswith("tesla supercharger") or (not net and case["make"].strip() == "Tesla"):
        return "tesla-v3"
    return "ionity-350"


def trip_precondition(case) -> str:
    return "none" if NO_PREHEAT.search(case.get("note") or "") else "on-arrival"


def read_settings() -> dict:
    """The fitted settings (``data/trip_settings.toml``)."""
    with open(SETTINGS, "rb") as f:
        return tomllib.load(f)


def trip_route(case, speed, spacing, overhead, reserve):
    """The route of a case: ``speed`` [km/h], ``spacing`` [km], ``overhead`` [min],
    ``reserve`` [%]."""
    from nevcalc.routes import adhoc_route

    amb, start = _num(case.get("ambient_c")), _num(case.get("start_soc_pct"))
    return adhoc_route(
        distance=f"{_num(case['distance_km'])} km",
        speed=f"{speed} km/h",
        chargers=f"{trip_charger(case)} every {spacing} km",
        ambient=None if amb is None else f"{amb} degC",
        stop_overhead=f"{overhead} min",
        start_soc=None if start is None else f"{start} %",
        reserve=f"{reserve} %",
    )


def trip_consumption(case, cars, speed) -> float:
    """Battery-side consumption of a case's car on its route at ``speed`` [J m^-1]."""
    from nevcalc.scenario.trip import route_consumption

    v, road = cars
    return route_consumption(road, v, trip_route(case, speed, 60, 5, 10))[0]


def trip_minutes(cases, cars, speed, spacing, overhead, reserve, consumption=None):
    """Modelled total minutes of each case (inf where infeasible), and the stops.

    Cases on the same kind of route (air, charger, start, preconditioning) are planned
    together in one call of the evaluator's trip stage, the stage :func:`nevcalc.scenario.
    trip.trip` answers from. ``consumption`` [J m^-1] of each case may be given (the fit
    reuses it over its grid).
    """
    from nevcalc.evaluate import trip_stage

    if consumption is None:
        consumption = [trip_consumption(c, v, speed) for c, v in zip(cases, cars, strict=True)]
    groups: dict[tuple, list[int]] = {}
    for i, c in enumerate(cases):
        key = (c.get("ambient_c", "").strip(), trip_charger(c), c.get("start_soc_pct", "").strip(),
               trip_precondition(c), c["distance_km"].strip())  # fmt: skip
        groups.setdefault(key, []).append(i)
    minutes = np.full(len(cases), np.inf)
    stops = np.zeros(len(cases), int)
    for idx in groups.values():
        c0 = cases[idx[0]]
        route = trip_route(c0, speed, spacing, overhead, reserve)
        pre = trip_precondition(c0) if route.ambient is not None else "none"
        got = trip_stage([cars[i][0] for i in idx], [consumption[i] for i in idx], route,
                         precondition=pre)  # fmt: skip
        minutes[idx] = got["total_time"] / 60.0
        stops[idx] = got["stops"]
    return minutes, stops


# --- km in 20 minutes -----------------------------------------------------------------


def read_km20() -> tuple[list[dict], list[tuple[str, str]]]:
    """The 20-minute cases, and the rows left out with the reason."""
    cases, out = [], []
    with open(KM20, newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            car = None
            if _num(r["km_in_20min"]) is None:
                why = "only the index, no km"
            else:
                car = car_of(r)
                why = "" if car is not None else "no battery size in the row or a datasheet"
            if why:
                out.append((r["case_id"], why))
                continue
            cases.append({**r, "car": car, "split": split_of(r["make"], r["model"])})
    return cases, out


_POWER = re.compile(r"(\d+(?:\.\d+)?)\s*kW", re.IGNORECASE)
_CURRENT = re.compile(r"(\d+(?:\.\d+)?)\s*A\b")


def km20_charger(case):
    """The charger of a 20-minute case (the rule above)."""
    from nevcalc.scenario.charge import Charger, load_charger

    text = (case.get("charger") or "").strip()
    kw = _POWER.search(text)
    if kw is not None and "hpc" not in text.lower() and float(kw[1]) != 350.0:
        amps = _CURRENT.search(text)
        current = np.inf if amps is None else float(amps[1])
        return Charger(f"dc-{kw[1]}kW", f"{kw[1]} kW DC", "dc", float(kw[1]) * 1e3, current,
                       1000.0, 150.0, 0.95)  # fmt: skip
    if case["make"].strip() == "Tesla":
        return load_charger("tesla-v3")
    return load_charger("ea-350" if case["market"].strip() == "US" else "ionity-350")


def km20_soc_gained(case, cars) -> tuple[float, float]:
    """(SoC from, SoC gained in 20 minutes) of a case."""
    from nevcalc.scenario.charge import charge

    v, _ = cars
    a = (_num(case.get("soc_from_pct")) or 10.0) / 100.0
    amb = _num(case.get("ambient_c"))
    ans = charge(v, km20_charger(case), a, 0.99, minutes=MINUTES,
                 ambient=None if amb is None else 273.15 + amb,
                 precondition="none" if amb is None else "on-arrival")  # fmt: skip
    return a, max(float(ans.soc_after) - a, 0.0)


def km20_consumption(case, cars, speed) -> float:
    """[J m^-1]: the row's consumption, else the car's motorway consumption at ``speed``
    [km/h] in the row's air."""
    from nevcalc.routes import adhoc_route
    from nevcalc.scenario.trip import route_consumption

    given = _num(case.get("consumption_kwh_per_100km"))
    if given is not None:
        return given * 3.6e6 / 1e5
    amb = _num(case.get("ambient_c"))
    route = adhoc_route(distance="100 km", speed=f"{speed} km/h",
                        ambient=None if amb is None else f"{amb} degC")  # fmt: skip
    v, road = cars
    return route_consumption(road, v, route)[0]


def given_consumption(case) -> bool:
    return _num(case.get("consumption_kwh_per_100km")) is not None


# --- tables ---------------------------------------------------------------------------


def stats(cases, published, model) -> dict:
    """Median, 90th percentile and worst of |model / published - 1|."""
    err = np.abs(np.asarray(model) / np.asarray(published) - 1)
    err = np.where(np.isfinite(err), err, np.inf)
    w = int(np.argmax(err))
    return {"n": len(cases), "median": float(np.median(err)),
            "p90": float(np.percentile(err, 90)) if np.all(np.isfinite(err)) else np.inf,
            "worst": float(err[w]), "worst_case": cases[w]["case_id"]}  # fmt: skip


def summary(title, cases, published, model) -> str:
    """One line: the set's size, median, 90th percentile and worst error."""
    s = stats(cases, published, model)
    return (f"{title}: {s['n']} cases, median |error| {s['median']:.1%}, 90th percentile "
            f"{s['p90']:.1%}, worst {s['worst']:.1%} ({s['worst_case']})")  # fmt: skip


def table(title, cases, published, model, unit, extra=None) -> str:
    """Summary line and one line a case (case, car, published, model, error), worst
    first; ``extra`` adds a column of text per case."""
    err = np.asarray(model) / np.asarray(published) - 1
    out = [summary(title, cases, published, model),
           f"{'case':9} {'car':24} {'model car':34} {'publ.':>7} {'model':>7} {'error':>7}"
           + ("  " + extra[0] if extra else "")]  # fmt: skip
    order = np.argsort(-np.nan_to_num(np.abs(err), nan=9.0, posinf=9.0))
    for i in order:
        c = cases[i]
        car = f"{c['make']} {c['model']}"[:24]
        more = "  " + extra[1][i] if extra else ""
        out.append(f"{c['case_id']:9} {car:24} {describe(c['car'])[:34]:34} "
                   f"{published[i]:7.1f} {model[i]:7.1f} {err[i] * 100:+6.1f}%{more}")  # fmt: skip
    out.append(f"({unit})")
    return "\n".join(out)
