"""Sanity checks on the published trip-time and 20-minute-charge cases.

``data/trip_times.csv`` holds long-distance results (distance, total time with
charging) and ``data/range_in_20min.csv`` the km of range recharged in 20
minutes (ADAC tests, P3 Charging Index).  Every row must name its source and
kind, and its numbers must be physical and agree with each other where a page
gives the same result twice (mean speed and total time, P3 index and km), so
that a typo cannot silently enter a fit or a validation.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"

KINDS = {"claimed", "official", "measured"}
BATTERY_BASES = {"usable", "gross", "unstated"}
SEASONS = {"spring", "summer", "autumn", "winter"}
KM_PER_MI = 1.609344

TRIP_COLUMNS = [
    "case_id",
    "make",
    "model",
    "variant",
    "model_year",
    "battery_kwh",
    "battery_basis",
    "test",
    "distance_km",
    "total_minutes",
    "driving_minutes",
    "charging_minutes",
    "stops",
    "mean_speed_kmh",
    "speed_limit_or_target",
    "ambient_c",
    "ambient_min_c",
    "ambient_max_c",
    "season",
    "consumption_wh_per_km",
    "charger_network",
    "start_soc_pct",
    "end_soc_pct",
    "kind",
    "source",
    "note",
]
KM20_COLUMNS = [
    "case_id",
    "make",
    "model",
    "variant",
    "model_year",
    "market",
    "battery_kwh",
    "test",
    "km_in_20min",
    "miles_in_20min",
    "charging_index",
    "index_target_km",
    "km_in_first_10min",
    "consumption_basis",
    "consumption_kwh_per_100km",
    "soc_from_pct",
    "ambient_c",
    "charger",
    "kind",
    "source",
    "note",
]


def _table(name, columns):
    """The rows of ``data/NAME``, whose header must be ``columns``."""
    with open(DATA / name, newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        assert reader.fieldnames == columns, name
        return list(reader)


def _sourced(row):
    """A known kind and at least one http(s) URL as the source."""
    assert row["kind"] in KINDS, row
    urls = row["source"].split()
    assert urls and all(u.startswith(("https://", "http://")) for u in urls), row


def _within(row, column, low, high, required=False):
    """The column's number, or None if blank; it must lie in [low, high]."""
    text = row[column].strip()
    if not text:
        assert not required, (row["case_id"], column)
        return None
    value = float(text)
    assert math.isfinite(value) and low <= value <= high, (row["case_id"], column, value)
    return value


def _trip_rows():
    return _table("trip_times.csv", TRIP_COLUMNS)


def _km20_rows():
    return _table("range_in_20min.csv", KM20_COLUMNS)


@pytest.mark.parametrize("name,rows", [("trip", _trip_rows), ("km20", _km20_rows)])
def test_case_ids_are_unique_and_numbered(name, rows):
    ids = [r["case_id"] for r in rows()]
    prefix = {"trip": "TT-", "km20": "KM20-"}[name]
    assert all(i.startswith(prefix) and i[len(prefix) :].isdigit() for i in ids), ids
    assert len(ids) == len(set(ids))


def test_trip_times_cover_many_cars_and_both_seasons():
    rows = _trip_rows()
    assert len(rows) >= 40
    assert len({(r["make"], r["model"]) for r in rows}) >= 25
    ambients = [float(r["ambient_c"]) for r in rows if r["ambient_c"]]
    assert min(ambients) <= 2.0 and max(ambients) >= 18.0


@pytest.mark.parametrize("row", _trip_rows(), ids=lambda r: r["case_id"])
def test_trip_row_is_sourced_and_physical(row):
    _sourced(row)
    assert row["make"].strip() and row["model"].strip() and row["test"].strip(), row
    assert row["battery_basis"] in BATTERY_BASES | {""}, row
    assert (row["battery_basis"] == "") == (row["battery_kwh"] == ""), row
    if row["season"]:
        assert row["season"] in SEASONS, row
    _within(row, "model_year", 2010, 2027)
    _within(row, "battery_kwh", 5.0, 300.0)
    distance = _within(row, "distance_km", 100.0, 6000.0, required=True)
    total = _within(row, "total_minutes", 30.0, 6000.0, required=True)
    driving = _within(row, "driving_minutes", 10.0, 6000.0)
    charging = _within(row, "charging_minutes", 0.0, 6000.0)
    stops = _within(row, "stops", 0, 60)
    if stops is not None:
        assert stops == int(stops), row
    speed = _within(row, "mean_speed_kmh", 10.0, 200.0)
    low = _within(row, "ambient_min_c", -45.0, 45.0)
    ambient = _within(row, "ambient_c", -45.0, 45.0)
    high = _within(row, "ambient_max_c", -45.0, 45.0)
    _within(row, "consumption_wh_per_km", 80.0, 600.0)
    start = _within(row, "start_soc_pct", 0.0, 100.0)
    end = _within(row, "end_soc_pct", 0.0, 100.0)
    # No car covers a route faster than 200 km/h on average, stops included.
    assert distance / (total / 60.0) < 200.0, row
    if driving is not None:
        assert driving <= total, row
    if driving is not None and charging is not None:
        assert driving + charging <= total + 1.0, row
    if speed is not None:
        # The published mean speed includes the stops: it is distance / total time.
        assert speed == pytest.approx(distance / (total / 60.0), rel=0.02), row
    if low is not None and high is not None:
        assert low <= high, row
        if ambient is not None:
            assert low <= ambient <= high, row
    if start is not None and end is not None and stops == 0:
        assert end < start, row


def test_range_in_20min_covers_tests_and_cars():
    rows = _km20_rows()
    assert len(rows) >= 30
    assert len({(r["make"], r["model"]) for r in rows}) >= 25
    assert {r["test"].split()[0] for r in rows} >= {"P3", "ADAC"}


@pytest.mark.parametrize("row", _km20_rows(), ids=lambda r: r["case_id"])
def test_range_in_20min_row_is_sourced_and_physical(row):
    _sourced(row)
    assert row["make"].strip() and row["model"].strip() and row["test"].strip(), row
    assert row["consumption_basis"].strip(), row
    _within(row, "model_year", 2010, 2027)
    _within(row, "battery_kwh", 5.0, 300.0)
    _within(row, "soc_from_pct", 0.0, 100.0)
    _within(row, "ambient_c", -45.0, 45.0)
    _within(row, "consumption_kwh_per_100km", 7.0, 60.0)
    # No car adds range faster than about 150 km a minute (1 MW at 11 kWh/100 km).
    km = _within(row, "km_in_20min", 1.0, 3000.0)
    index = _within(row, "charging_index", 0.05, 10.0)
    target = _within(row, "index_target_km", 100.0, 1000.0)
    first = _within(row, "km_in_first_10min", 1.0, 1500.0)
    miles = _within(row, "miles_in_20min", 1.0, 2000.0)
    assert km is not None or index is not None, row
    assert (index is None) == (target is None), row
    if km is not None and first is not None:
        # The second 10 minutes always add something.
        assert first < km, row
    if miles is not None:
        assert km == pytest.approx(miles * KM_PER_MI, abs=0.06), row
    if km is not None and index is not None:
        # Index = km in 20 min / target, as published (rounded to 0.01).
        assert km == pytest.approx(index * target, abs=0.01 * target), row
