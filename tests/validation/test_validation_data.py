"""Sanity checks on the published cases in ``tests/validation/data``.

Each CSV there holds figures copied from public pages; these tests check that
every row names its source and kind and that its numbers are physical, so a
typo cannot silently enter a fit or a validation.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"

KINDS = {"claimed", "official", "measured"}


def _rows(name):
    """The rows of ``data/NAME`` as dicts."""
    with open(DATA / name, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _table(name, columns):
    """The rows of ``data/NAME``, whose header must be ``columns``."""
    with open(DATA / name, newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        assert reader.fieldnames == columns, name
        return list(reader)


def _sourced(row, kinds=KINDS):
    """A kind among ``kinds`` and at least one URL as the source."""
    assert row["kind"] in kinds, row
    urls = row["source"].split()
    assert urls and all(u.startswith(("https://", "http://")) for u in urls), row


def _number(row, column):
    """The column's number, or None when the cell is blank."""
    text = row.get(column, "").strip()
    if not text:
        return None
    value = float(text)
    assert math.isfinite(value), (row["case_id"], column, text)
    return value


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
    "charger_a",
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
    return _table(CHARGE_TIMES.name, CHARGE_TIME_COLUMNS)


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
    _sourced(row)
    assert row["make"].strip() and row["model"].strip()
    assert row["body"] in BODIES
    assert row["chemistry"] in CHEMISTRIES
    year = int(row["model_year"])
    assert 2010 <= year <= 2030

    battery = _number(row, "battery_kwh")
    if battery is not None:
        assert 5.0 < battery < 300.0
        assert row["battery_basis"] in BATTERY_BASES
    voltage = _number(row, "voltage_class_v")
    if voltage is not None:
        assert 300.0 <= voltage <= 1200.0
    for key in ("peak_dc_kw", "charger_kw"):
        power = _number(row, key)
        if power is not None:
            assert 20.0 <= power <= 1500.0
    amps = _number(row, "charger_a")
    if amps is not None:  # read off the charger text, which must state it
        assert 50.0 <= amps <= 3000.0
        assert f"{amps:g} A" in row["charger"]

    soc_from = float(row["soc_from_pct"])
    soc_to = float(row["soc_to_pct"])
    minutes = float(row["minutes"])
    assert 0.0 <= soc_from < soc_to <= 100.0
    assert 0.0 < minutes < 300.0


# --- official_ranges.csv, range_pairs.csv ----------------------------------
CYCLES = {"WLTP", "EPA", "CLTC", "NEDC"}
DRIVES = {"RWD", "FWD", "AWD"}
KM_PER_MI = 1.609344

#: (low, high) exclusive bounds of physical values, per column.
BOUNDS = {
    "range_km": (50.0, 1500.0),
    "wltp_km": (50.0, 1500.0),
    "epa_km": (50.0, 1500.0),
    "cltc_km": (50.0, 1500.0),
    "nedc_km": (50.0, 1500.0),
    "battery_kwh": (5.0, 300.0),
    "curb_mass_kg": (600.0, 5000.0),
    "drag_cd": (0.15, 0.6),
    "frontal_area_m2": (1.5, 5.0),
    "length_mm": (2400.0, 6500.0),
    "width_mm": (1400.0, 2600.0),
    "height_mm": (1100.0, 2500.0),
    "wheelbase_mm": (1600.0, 4200.0),
    "wheel_in": (12.0, 24.0),
    "motor_kw": (10.0, 1500.0),
    "consumption_kwh_per_100km": (7.0, 45.0),
    "consumption_kwh_per_100mi": (11.0, 75.0),
    "model_year": (2010.0, 2027.0),
}


def _check_common(rows, name):
    assert rows, f"{name} is empty"
    ids = [r["case_id"] for r in rows]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    assert not duplicates, f"{name}: duplicate case_id {duplicates}"
    for r in rows:
        where = f"{name} {r['case_id']}"
        assert r["kind"] in KINDS, f"{where}: kind {r['kind']!r}"
        urls = r["source"].split()
        assert urls, f"{where}: no source"
        assert all(u.startswith(("http://", "https://")) for u in urls), f"{where}: {urls}"
        for column, (low, high) in BOUNDS.items():
            if column in r:
                value = _number(r, column)
                if value is not None:
                    assert low < value < high, f"{where}: {column}={value} outside ({low}, {high})"


def test_official_ranges_rows_are_cited_and_physical():
    rows = _rows("official_ranges.csv")
    _check_common(rows, "official_ranges.csv")
    for r in rows:
        where = f"official_ranges.csv {r['case_id']}"
        assert r["make"] and r["model"], where
        assert r["cycle"] in CYCLES, f"{where}: cycle {r['cycle']!r}"
        assert r["body"] in BODIES, f"{where}: body {r['body']!r}"
        assert _number(r, "range_km") is not None, f"{where}: no range"
        if r["battery_kwh"]:
            assert r["battery_basis"] in BATTERY_BASES, (
                f"{where}: battery_basis {r['battery_basis']!r}"
            )
        if r["drive"]:
            assert r["drive"] in DRIVES, f"{where}: drive {r['drive']!r}"
        if r["cycle"] == "EPA" and r["market"] == "US":
            # EPA ranges are published in miles; the note keeps the label figure.
            assert " mi" in r["note"], f"{where}: EPA miles not kept in note"


def test_official_ranges_epa_miles_match_km():
    for r in _rows("official_ranges.csv"):
        if r["cycle"] != "EPA" or "EPA label " not in r["note"]:
            continue
        miles = float(r["note"].split("EPA label ", 1)[1].split(" mi", 1)[0])
        assert float(r["range_km"]) == pytest.approx(miles * KM_PER_MI, abs=0.06), r["case_id"]


def test_official_ranges_cover_cycles_bodies_and_cars():
    rows = _rows("official_ranges.csv")
    cycles = {r["cycle"] for r in rows}
    assert cycles == CYCLES, cycles
    assert {"sedan", "hatchback", "suv", "pickup", "van", "mpv"} <= {r["body"] for r in rows}
    assert len(rows) >= 240
    assert len({(r["make"], r["model"]) for r in rows}) >= 90


def test_range_pairs_rows_are_cited_and_have_two_procedures():
    rows = _rows("range_pairs.csv")
    _check_common(rows, "range_pairs.csv")
    assert len(rows) >= 50
    ranges = {r["case_id"]: r for r in _rows("official_ranges.csv")}
    for r in rows:
        given = [c for c in ("wltp_km", "epa_km", "cltc_km", "nedc_km") if r[c]]
        assert len(given) >= 2, f"range_pairs.csv {r['case_id']}: {given}"
        # Every figure of a pair is a row of official_ranges.csv (same number).
        cited = [i.strip() for i in r["note"].split("rows ", 1)[1].split(";")[0].split(",")]
        for column in given:
            cycle = column.split("_")[0].upper()
            match = [ranges[i] for i in cited if ranges[i]["cycle"] == cycle]
            assert len(match) == 1, (r["case_id"], cycle)
            assert float(match[0]["range_km"]) == float(r[column]), (r["case_id"], cycle)


# --- range_added.csv ---------------------------------------------------------

RANGE_ADDED = DATA / "range_added.csv"
RANGE_ADDED_COLUMNS = [
    "case_id",
    "make",
    "model",
    "variant",
    "market",
    "model_year",
    "battery_kwh",
    "peak_dc_kw",
    "minutes",
    "km_added",
    "soc_from_pct",
    "basis",
    "kind",
    "source",
    "note",
]


def _range_added_rows() -> list[dict[str, str]]:
    return _table(RANGE_ADDED.name, RANGE_ADDED_COLUMNS)


def test_range_added_case_ids_unique():
    ids = [r["case_id"] for r in _range_added_rows()]
    assert len(ids) == len(set(ids))
    assert all(ids)


@pytest.mark.parametrize("row", _range_added_rows(), ids=lambda r: r["case_id"])
def test_range_added_row_is_sourced_and_physical(row):
    _sourced(row)
    assert row["make"].strip() and row["model"].strip()
    assert row["basis"].strip()
    if row["model_year"].strip():
        assert 2010 <= int(row["model_year"]) <= 2030
    battery = _number(row, "battery_kwh")
    if battery is not None:
        assert 5.0 < battery < 300.0
    power = _number(row, "peak_dc_kw")
    if power is not None:
        assert 20.0 <= power <= 1500.0
    soc_from = _number(row, "soc_from_pct")
    if soc_from is not None:
        assert 0.0 <= soc_from < 100.0
    minutes = float(row["minutes"])
    km = float(row["km_added"])
    assert 0.0 < minutes <= 60.0
    # No car adds range faster than 150 km a minute (a 1000 kW charge at
    # about 11 kWh/100 km is about 150 km/min); a typo of a digit breaks this.
    assert 0.0 < km <= 150.0 * minutes


# --- epa_5cycle.csv -------------------------------------------------------------


def test_epa_5cycle_rows_are_cited_and_consistent():
    rows = _rows("epa_5cycle.csv")
    _check_common(rows, "epa_5cycle.csv")
    assert len(rows) >= 100
    for r in rows:
        where = f"epa_5cycle.csv {r['case_id']}"
        assert r["source"].split()[0].startswith("https://www.fueleconomy.gov/feg/"), where
        values = {k: float(r[k]) for k in r if k.endswith(("_mpge", "_kwh_per_100mi"))}
        for key, value in values.items():
            if key.endswith("_mpge"):
                assert 20.0 < value < 300.0, (where, key, value)
            else:
                assert 10.0 < value < 170.0, (where, key, value)
        # The label is the laboratory result reduced by the 5-cycle or 0.7 adjustment.
        for leg in ("city", "hwy"):
            ratio = values[f"label_{leg}_mpge"] / values[f"unadj_{leg}_mpge"]
            assert 0.55 <= ratio <= 0.85, (where, leg, ratio)
            # The kWh columns say the same as the MPGe columns (33.705 kWh per gallon).
            implied = 3370.5 / values[f"unadj_{leg}_mpge"]
            assert values[f"unadj_{leg}_kwh_per_100mi"] == pytest.approx(implied, abs=0.01)
        low = min(values["label_city_mpge"], values["label_hwy_mpge"]) - 1
        high = max(values["label_city_mpge"], values["label_hwy_mpge"]) + 1
        assert low <= values["label_combined_mpge"] <= high, where
        if r["range_mi"]:
            assert 50.0 < float(r["range_mi"]) * KM_PER_MI < 1500.0, where


# --- epa_roadload.csv -----------------------------------------------------------


def test_epa_roadload_rows_are_cited_and_physical():
    rows = _rows("epa_roadload.csv")
    _check_common(rows, "epa_roadload.csv")
    assert len(rows) >= 50
    for r in rows:
        where = f"epa_roadload.csv {r['case_id']}"
        assert r["make"] and r["model"] and not r["make"].isdigit(), where
        assert 2500 <= float(r["equivalent_test_weight_lb"]) <= 10000, where
        assert 5.0 < float(r["target_a_lbf"]) < 150.0, where
        assert -1.0 < float(r["target_b_lbf_per_mph"]) < 2.0, where
        # C = 0.5 rho CdA: 0.005-0.05 lbf/mph^2 spans CdA of about 0.2-2 m^2.
        assert 0.005 < float(r["target_c_lbf_per_mph2"]) < 0.05, where
        for key in ("unadj_udds_mpge", "unadj_hwfet_mpge"):
            assert 50.0 < float(r[key]) < 300.0, (where, key)


# --- temperature data: winter_range.csv, cold_charging.csv, thermal_figures.csv ---

TEMPERATURE_KINDS = {"measured", "claimed"}
THERMAL_KINDS = {"measured", "claimed", "published-paper"}
YES_NO_UNSTATED = {"yes", "no", "unstated"}
WINTER_RANGE_COLUMNS = [
    "case_id",
    "make",
    "model",
    "variant",
    "model_year",
    "market",
    "battery_kwh",
    "battery_basis",
    "heat_pump",
    "test",
    "ambient_c",
    "ambient_min_c",
    "ambient_max_c",
    "speed_or_route",
    "road",
    "driven_km",
    "official_km",
    "official_cycle",
    "loss_pct",
    "preconditioned",
    "cabin_c",
    "pack_start_c",
    "kind",
    "source",
    "note",
]
COLD_CHARGING_COLUMNS = [
    "case_id",
    "make",
    "model",
    "variant",
    "model_year",
    "battery_kwh",
    "peak_dc_kw",
    "voltage_class_v",
    "chemistry",
    "ambient_c",
    "preconditioned",
    "before_charge",
    "cell_temp_start_c",
    "charger",
    "charger_kw",
    "soc_from_pct",
    "soc_to_pct",
    "minutes",
    "mean_kw",
    "energy_kwh",
    "peak_kw_observed",
    "warm_reference_minutes",
    "kind",
    "source",
    "note",
]
THERMAL_COLUMNS = [
    "figure_id",
    "subject",
    "quantity",
    "value",
    "unit",
    "condition",
    "kind",
    "source",
    "note",
]
THERMAL_QUANTITIES = {
    "specific_heat_capacity",
    "pack_heat_capacity",
    "cooling_power",
    "heater_power",
    "ptc_power",
    "heat_pump_cop_at_T",
    "c_rate_limit_at_T_and_soc",
    "entropy_coefficient_dUdT",
    "arrhenius_activation_energy_resistance",
    "ua_pack_to_ambient",
    "capacity_at_low_temperature",
    "preconditioning_time_or_energy",
    "cabin_heating_power_at_T",
}


def _within(row, column, low, high, required=False):
    """The column's number, or None if blank; it must lie in [low, high]."""
    value = _number(row, column)
    if value is None:
        assert not required, (row, column)
        return None
    assert math.isfinite(value) and low <= value <= high, (row, column, value)
    return value


def test_winter_range_rows_are_cited_and_physical():
    rows = _table("winter_range.csv", WINTER_RANGE_COLUMNS)
    ids = [r["case_id"] for r in rows]
    assert all(ids) and len(ids) == len(set(ids))
    for r in rows:
        _sourced(r, TEMPERATURE_KINDS)
        assert r["make"].strip() and r["model"].strip() and r["test"].strip(), r
        assert r["heat_pump"] in YES_NO_UNSTATED and r["preconditioned"] in YES_NO_UNSTATED, r
        assert r["road"] in ("motorway", "mixed"), r
        assert r["battery_basis"] in BATTERY_BASES and r["official_cycle"] in {
            "WLTP",
            "EPA",
            "CLTC",
            "NRCan",
        }, r
        ambient = _within(r, "ambient_c", -40.0, 50.0, required=True)
        low = _within(r, "ambient_min_c", -40.0, 50.0)
        high = _within(r, "ambient_max_c", -40.0, 50.0)
        if low is not None and high is not None:
            assert low <= ambient <= high, r
        driven = _within(r, "driven_km", 1.0, 1500.0, required=True)
        assert driven > 0
        official = _within(r, "official_km", 50.0, 1500.0)
        _within(r, "model_year", 2010.0, 2027.0)
        _within(r, "battery_kwh", 5.0, 300.0)
        _within(r, "cabin_c", 5.0, 35.0)
        _within(r, "pack_start_c", -40.0, 40.0)
        loss = _within(r, "loss_pct", -30.0, 80.0)
        if (
            loss is not None
            and official is not None
            and "adjusted" not in r["note"]
            and "does not match" not in r["note"]
        ):
            # A published loss agrees with the published km to within rounding.
            assert abs(100.0 * (1.0 - driven / official) - loss) < 3.0, r


def test_winter_range_covers_tests_cars_and_ambients():
    rows = _table("winter_range.csv", WINTER_RANGE_COLUMNS)
    cars = {(r["make"], r["model"]) for r in rows}
    publishers = {r["test"].split()[0] for r in rows}
    ambients = [float(r["ambient_c"]) for r in rows]
    assert len(rows) >= 60 and len(cars) >= 40 and len(publishers) >= 3
    assert min(ambients) <= -15.0 and max(ambients) >= 10.0


def test_cold_charging_rows_are_cited_and_physical():
    rows = _table("cold_charging.csv", COLD_CHARGING_COLUMNS)
    ids = [r["case_id"] for r in rows]
    assert all(ids) and len(ids) == len(set(ids))
    assert len(rows) >= 30 and len({(r["make"], r["model"]) for r in rows}) >= 20
    for r in rows:
        _sourced(r, TEMPERATURE_KINDS)
        assert r["make"].strip() and r["model"].strip(), r
        assert r["preconditioned"] in YES_NO_UNSTATED, r
        assert r["before_charge"] in ("driven", "parked", ""), r
        _within(r, "ambient_c", -40.0, 50.0, required=True)
        _within(r, "cell_temp_start_c", -40.0, 60.0)
        minutes = _within(r, "minutes", 0.5, 300.0)
        mean = _within(r, "mean_kw", 1.0, 1000.0)
        assert minutes is not None or mean is not None, r
        low = _within(r, "soc_from_pct", 0.0, 100.0)
        high = _within(r, "soc_to_pct", 0.0, 100.0)
        if low is not None and high is not None:
            assert low < high, r
        energy = _within(r, "energy_kwh", 0.1, 300.0)
        charger = _within(r, "charger_kw", 3.0, 1500.0)
        peak = _within(r, "peak_kw_observed", 1.0, 1500.0)
        _within(r, "peak_dc_kw", 10.0, 1500.0)
        _within(r, "battery_kwh", 5.0, 300.0)
        _within(r, "warm_reference_minutes", 1.0, 300.0)
        if mean is not None and peak is not None:
            assert mean <= peak, r
        if charger is not None and peak is not None:
            assert peak <= 1.1 * charger, r
        if energy is not None and minutes is not None and mean is not None:
            # stated energy, time and mean power agree to within 10 %
            assert abs(energy / (minutes / 60.0) - mean) <= 0.1 * mean, r


THERMAL_BOUNDS = {
    # unit -> (low, high) of a physical value in that unit
    "J/(kg K)": (100.0, 3000.0),
    "J/mol": (0.0, 150000.0),
    "V/K": (-0.002, 0.002),
    "kJ/K": (1.0, 5000.0),
    "W": (50.0, 20000.0),
    "kW": (0.05, 500.0),
    "-": (0.5, 8.0),
    "C": (0.0, 10.0),
    "min": (1.0, 240.0),
}


def test_thermal_figures_are_cited_and_physical():
    rows = _table("thermal_figures.csv", THERMAL_COLUMNS)
    ids = [r["figure_id"] for r in rows]
    assert all(ids) and len(ids) == len(set(ids)) and len(rows) >= 60
    assert {r["quantity"] for r in rows} == THERMAL_QUANTITIES
    for r in rows:
        _sourced(r, THERMAL_KINDS)
        assert r["quantity"] in THERMAL_QUANTITIES, r
        assert r["subject"].strip() and r["unit"].strip() and r["condition"].strip(), r
        value = float(r["value"])
        assert math.isfinite(value), r
        if r["unit"] in THERMAL_BOUNDS:
            low, high = THERMAL_BOUNDS[r["unit"]]
            assert low <= value <= high, r
        if r["quantity"] == "heat_pump_cop_at_T" and r["unit"] == "-":
            assert value > 1.0, r  # a heat pump worth the name beats a resistor
