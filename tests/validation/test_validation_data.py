"""Sanity checks on the published cases in ``tests/validation/data``.

Each CSV there holds figures copied from public pages; these tests check that
every row names its source and kind and that its numbers are physical, so a
typo cannot silently enter a fit or a validation.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"

KINDS = {"claimed", "official", "measured"}

# --- charge_times.csv --------------------------------------------------------

CHARGE_TIMES = DATA / "charge_times.csv"
CHARGE_TIME_COLUMNS = [
    "case_id",
    "make",
    "model",
    "variant",
    "market",
    "model_year",
    "body",
    "battery_kwh",
    "battery_basis",
    "chemistry",
    "voltage_class_v",
    "peak_dc_kw",
    "charger",
    "charger_kw",
    "soc_from_pct",
    "soc_to_pct",
    "minutes",
    "kind",
    "source",
    "note",
]
BODIES = {"sedan", "hatchback", "suv", "pickup", "van", "wagon", "coupe", "mpv"}
BATTERY_BASES = {"usable", "gross", "unstated"}
CHEMISTRIES = {"LFP", "NMC", "NCA", "LMFP", "sodium-ion", "semi-solid", "unstated"}


def _charge_time_rows() -> list[dict[str, str]]:
    with CHARGE_TIMES.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        assert reader.fieldnames == CHARGE_TIME_COLUMNS
        return list(reader)


def _optional_float(row: dict[str, str], key: str) -> float | None:
    text = row[key].strip()
    return None if text == "" else float(text)


def test_charge_times_has_enough_cases():
    rows = _charge_time_rows()
    cars = {(r["make"], r["model"]) for r in rows}
    assert len(rows) >= 25
    assert len(cars) >= 20


def test_charge_times_case_ids_unique():
    ids = [r["case_id"] for r in _charge_time_rows()]
    assert len(ids) == len(set(ids))
    assert all(ids)


@pytest.mark.parametrize("row", _charge_time_rows(), ids=lambda r: r["case_id"])
def test_charge_time_row_is_sourced_and_physical(row):
    assert row["kind"] in KINDS
    urls = row["source"].split()
    assert urls and all(u.startswith(("https://", "http://")) for u in urls)
    assert row["make"].strip() and row["model"].strip()
    assert row["body"] in BODIES
    assert row["chemistry"] in CHEMISTRIES
    year = int(row["model_year"])
    assert 2010 <= year <= 2030

    battery = _optional_float(row, "battery_kwh")
    if battery is not None:
        assert 5.0 < battery < 300.0
        assert row["battery_basis"] in BATTERY_BASES
    voltage = _optional_float(row, "voltage_class_v")
    if voltage is not None:
        assert 300.0 <= voltage <= 1200.0
    for key in ("peak_dc_kw", "charger_kw"):
        power = _optional_float(row, key)
        if power is not None:
            assert 20.0 <= power <= 1500.0

    soc_from = float(row["soc_from_pct"])
    soc_to = float(row["soc_to_pct"])
    minutes = float(row["minutes"])
    assert 0.0 <= soc_from < soc_to <= 100.0
    assert 0.0 < minutes < 300.0
