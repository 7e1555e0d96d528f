"""Fit the trip settings the published sources do not give, on the calibration cases.

Reads the cases of ``tests/validation/trip_cases.py`` and keeps those that
``tests/validation/split.py`` puts in the *calibration* set; test cases are never read.
Writes ``tests/validation/data/trip_settings.toml``:

* ``[trip]``: the route's mean driving speed, station spacing, the time a stop takes
  besides charging and the reserve on arrival, the same for every car. They are the
  point of a grid (speed 95-120 km/h in 5 km/h steps, spacing 40-100 km in 20 km steps,
  overhead 2-8 min in 2 min steps, reserve 5, 10, 15 %) that minimises the median
  absolute log error ``|ln(model / published total time)|`` over the calibration 1000 km
  challenge runs, among the points where every calibration case is feasible (ties:
  the first of the grid's order).
* ``[km_in_20min]``: the speed of the motorway drive whose consumption turns the energy
  of a 20-minute charge into km, for the rows that give no consumption: the speed of a
  1 km/h grid (60-140 km/h) that minimises the median absolute log error of the km over
  the calibration rows without a stated consumption.

The car physics (charging, road load, thermal) is not tuned: only these settings.
Run from the repository root::

    python tests/reference/fit_trip_settings.py
"""

from __future__ import annotations

import datetime
import itertools
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.validation import trip_cases as tc  # noqa: E402

SPEEDS = (95.0, 100.0, 105.0, 110.0, 115.0, 120.0)  #: [km/h]
SPACINGS = (40.0, 60.0, 80.0, 100.0)  #: [km]
OVERHEADS = (2.0, 4.0, 6.0, 8.0)  #: [min]
RESERVES = (5.0, 10.0, 15.0)  #: [%]
KM20_SPEEDS = np.arange(60.0, 140.5, 1.0)  #: [km/h]


def fit_trips() -> tuple[dict, int, float]:
    cases = [c for c in tc.read_trips()[0] if c["split"] == "calibration"]
    cars = [tc.vehicles(c) for c in cases]
    published = np.array([float(c["total_minutes"]) for c in cases])
    best = (np.inf, None)
    for speed in SPEEDS:
        cons = [tc.trip_consumption(c, v, speed) for c, v in zip(cases, cars, strict=True)]
        for spacing, overhead, reserve in itertools.product(SPACINGS, OVERHEADS, RESERVES):
            model, _ = tc.trip_minutes(cases, cars, speed, spacing, overhead, reserve, cons)
            if not np.all(np.isfinite(model)):
                continue
            loss = float(np.median(np.abs(np.log(model / published))))
            if loss < best[0]:
                best = (loss, (speed, spacing, overhead, reserve))
    if best[1] is None:
        raise SystemExit("no point of the grid makes every calibration trip feasible")
    speed, spacing, overhead, reserve = best[1]
    return ({"speed_kmh": speed, "station_spacing_km": spacing, "stop_overhead_min": overhead,
             "reserve_pct": reserve}, len(cases), best[0])  # fmt: skip


def fit_km20() -> tuple[float, int, float]:
    cases = [c for c in tc.read_km20()[0]
             if c["split"] == "calibration" and not tc.given_consumption(c)]  # fmt: skip
    cars = [tc.vehicles(c) for c in cases]
    energy = np.array([tc.km20_soc_gained(c, v)[1] * v[0].usable_energy
                       for c, v in zip(cases, cars, strict=True)])  # fmt: skip
    published = np.array([float(c["km_in_20min"]) for c in cases]) * 1e3
    loss = []
    for speed in KM20_SPEEDS:
        cons = np.array([tc.km20_consumption(c, v, float(speed))
                         for c, v in zip(cases, cars, strict=True)])  # fmt: skip
        loss.append(float(np.median(np.abs(np.log(energy / cons / published)))))
    i = int(np.argmin(loss))
    return float(KM20_SPEEDS[i]), len(cases), loss[i]


def main() -> None:
    trip, n_trip, loss_trip = fit_trips()
    speed20, n20, loss20 = fit_km20()
    today = datetime.date.today().isoformat()
    text = f"""# Settings of the trip validation that the published sources do not give. Written by
# tests/reference/fit_trip_settings.py on {today} from the calibration cases
# (tests/validation/split.py) of tests/validation/trip_cases.py; do not edit by hand.
# Each is one value for every car, the grid point with the least median
# |ln(model / published)| over the calibration cases (the script says the grid).

[trip]
# mean driving speed [km/h], station spacing [km], time a stop takes besides
# charging [min], lowest SoC on arrival [%]
speed_kmh = {trip["speed_kmh"]:g}
station_spacing_km = {trip["station_spacing_km"]:g}
stop_overhead_min = {trip["stop_overhead_min"]:g}
reserve_pct = {trip["reserve_pct"]:g}
cases = {n_trip}
median_log_error = {loss_trip:.4f}
fitted = "{today}"

[km_in_20min]
# speed of the motorway drive whose consumption turns a 20-minute charge into km,
# for rows that state no consumption [km/h]
speed_kmh = {speed20:g}
cases = {n20}
median_log_error = {loss20:.4f}
fitted = "{today}"
"""
    tc.SETTINGS.write_text(text)
    print(f"trip: {trip} on {n_trip} calibration cases, median |log error| {loss_trip:.3f}")
    print(
        f"km in 20 min: {speed20:g} km/h on {n20} calibration cases, "
        f"median |log error| {loss20:.3f}"
    )


if __name__ == "__main__":
    main()
