"""Brochure cars on the charger: estimated figures, the BMS taper relation, cell generations."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from nevcalc import catalog
from nevcalc.brochure import Estimate
from nevcalc.brochure import charging as bc
from nevcalc.model.charging import bms_power_taper
from nevcalc.model.tables import GRID_POINTS, uniform_soc_grid
from nevcalc.scenario import adhoc_vehicle, charge, load_charger, load_vehicle
from tests.helpers import check_quantities


def test_battery_alone_answers_and_says_what_it_estimated(run_cli):
    code, out, err = run_cli("charge", "--battery", "77kWh", "--json")
    assert code == 0, err
    doc = json.loads(out)
    check_quantities(doc)
    fields = {e["field"] for e in doc["estimates"]}
    assert fields == {"chemistry", "max_charge_power", "voltage_class"}
    text = " ".join(doc["assumptions"])
    for f in fields:
        assert f"{f} estimated" in text
    iv = doc["interval"]
    assert iv["low"] < doc["duration"]["value"] < iv["high"]
    assert iv["unit"] == doc["duration"]["unit"] and iv["level"] == 0.8


def test_rich_table_shows_the_range(run_cli):
    code, out, err = run_cli("charge", "--battery", "77kWh", "--peak-power", "200kW", "--no-chart")
    assert code == 0, err
    assert "80%:" in out and "max_charge_power estimated" not in out
    assert "voltage_class estimated" in out


def test_sodium_ion_without_voltage_answers():
    v = adhoc_vehicle("60 kWh", "sodium-ion", "150 kW")
    ans = charge(v, load_charger("ionity-350"), 0.1, 0.8)
    assert ans.feasible and 0 < ans.duration < math.inf
    assert [e.field for e in v.estimates] == ["voltage_class"]


def test_market_and_year_change_the_estimates():
    cn = adhoc_vehicle("77 kWh", market="CN", year=2025)
    us = adhoc_vehicle("77 kWh", market="US", year=2021)
    est = {e.field: e for e in cn.estimates}
    assert est["chemistry"].choice == "lfp"
    assert {e.field: e for e in us.estimates}["chemistry"].choice == "nmc811"
    p_cn = est["max_charge_power"]
    p_us = {e.field: e for e in us.estimates}["max_charge_power"]
    assert p_cn.value != p_us.value
    for e in (p_cn, p_us):
        assert e.low < e.value < e.high


def test_a_given_figure_is_never_estimated():
    v = adhoc_vehicle("77 kWh", "nmc811", "240 kW", "800 V")
    assert v.estimates == ()
    assert v.max_power == pytest.approx(240e3) and v.voltage_class == 800.0


def test_peak_current_sets_the_voltage_class():
    e = bc.estimate_voltage_class(500e3, 700.0)
    assert e.value == 800.0 and "700 A" in e.basis
    assert bc.estimate_voltage_class(200e3, 500.0).value == 400.0


def test_estimates_are_estimate_records():
    v = adhoc_vehicle("77 kWh")
    assert all(isinstance(e, Estimate) for e in v.estimates)
    for e in v.estimates:
        json.dumps(e.as_dict(), allow_nan=False)


# --- the taper --------------------------------------------------------------------------------


def test_taper_is_held_to_the_knee_then_falls_to_the_floor():
    s = uniform_soc_grid(GRID_POINTS)
    f = bms_power_taper(s, 0.5, 2.0, 0.1)
    assert np.all(f[s <= 0.5] == 1.0)
    assert f[np.searchsorted(s, 0.75)] == pytest.approx(0.5)
    assert f[-1] == pytest.approx(0.1)
    assert np.all(np.diff(f) <= 1e-12)


def test_taper_relation_follows_the_shipped_coefficients():
    p = bc.relations()["bms_taper"]
    k0, k1, k2 = p["knee"]
    m0, m1, *m2 = p["slope"]
    knee, slope = bc.taper_shape(2.0 / 3600, 100 * 3.6e6)
    le = math.log(100 / 75)
    assert knee == pytest.approx(min(max(k0 + k1 * math.log(2.0) + k2 * le,
                                         0.02), 0.98))  # fmt: skip
    rate = m0 + m1 * math.log(2.0) + (m2[0] * le if m2 else 0.0)
    assert slope == pytest.approx(min(max(math.exp(rate), 0.05), 20.0))


def test_windows_fall_out_of_one_curve():
    """10-90 % is 10-80 % plus 80-90 % on the same profile (no per-window fit)."""
    v = adhoc_vehicle("100 kWh", "nmc811", "200 kW", "800 V")
    c = load_charger("ionity-350")
    t = {w: charge(v, c, *w).duration for w in ((0.1, 0.8), (0.8, 0.9), (0.1, 0.9))}
    assert t[(0.1, 0.9)] == pytest.approx(t[(0.1, 0.8)] + t[(0.8, 0.9)], rel=2e-3)


def test_lfp_keeps_its_measured_curve():
    v = adhoc_vehicle("77 kWh", "lfp", "120 kW", "400 V")
    taper = catalog.load("lfp", "chemistry")["typical_power_taper"]
    assert "typical LFP curve" in " ".join(v.assumptions)
    assert v.power_limit.max() == pytest.approx(120e3 * max(taper.value))


# --- cell generations -------------------------------------------------------------------------


def test_a_5c_pack_gets_5c_cells_and_faster_peaks_charge_faster():
    """Above the nmc811 cells' 3.3C two peak powers no longer give the same time."""
    c = load_charger("zeekr-840kw")
    times = []
    for kw in (400, 460):
        v = adhoc_vehicle("100 kWh", "nmc811", f"{kw} kW", "800 V", year=2025)
        assert v.chemistry == "nmc-5c"
        assert any("cells: nmc-5c" in a for a in v.assumptions)
        ans = charge(v, c, 0.1, 0.8)
        assert "cell C-rate" not in {name for _, _, name in ans.segments}
        times.append(ans.duration)
    assert times[1] < times[0]


def test_generation_follows_the_model_year():
    nmc = catalog.load("nmc811", "chemistry")
    assert bc.cell_generation(nmc, 3.6 / 3600, 2025).chemistry.name == "nmc-46"
    assert bc.cell_generation(nmc, 3.6 / 3600, 2024).chemistry.name == "nmc-5c"
    cells = bc.cell_generation(nmc, 6.0 / 3600, 2022)
    assert cells.chemistry.name == "nmc811"
    assert cells.scale == pytest.approx(6.0 / 3.3)
    assert "scaled" in cells.text


def test_a_pack_within_its_cells_keeps_them():
    nmc = catalog.load("nmc811", "chemistry")
    cells = bc.cell_generation(nmc, 3.0 / 3600, 2021)
    assert cells.chemistry.name == "nmc811" and cells.scale == 1.0 and cells.text == ""


def test_generation_chemistries_name_their_sources():
    for names in bc.CELL_GENERATIONS.values():
        for name, _ in names:
            spec = catalog.load(name, "chemistry")
            assert spec.provenance["charge_c_rate"].source


def test_shipped_car_with_measured_curve_has_no_interval():
    ans = charge(load_vehicle("kia-ev6-77"), load_charger("ionity-350"))
    assert ans.interval is None
    assert not ans.vehicle.brochure


def test_interval_needs_a_dc_charge():
    v = adhoc_vehicle("77 kWh", "nmc811", "200 kW", "800 V")
    assert charge(v, load_charger("ac-11kw")).interval is None
    iv = charge(v, load_charger("ionity-350")).interval
    assert iv is not None and iv.level == 0.8 and iv.low < iv.high


def test_a_spec_without_charging_figures_is_completed_not_refused(tmp_path, run_cli):
    path = tmp_path / "brochure-suv.toml"
    path.write_text(
        'kind = "vehicle"\ntitle = "Brochure SUV"\nmake = "Example"\nmodel = "SUV"\n'
        'market = "CN 2025"\n'
        'battery_usable_energy = { value = "90 kWh", source = "brochure", kind = "claimed" }\n'
    )
    v = load_vehicle(str(path))
    assert {e.field for e in v.estimates} == {"chemistry", "max_charge_power", "voltage_class"}
    assert v.chemistry.startswith("lfp")
    code, out, err = run_cli("charge", str(path), "--charger", "ionity-350", "--json")
    assert code == 0, err
    doc = json.loads(out)
    assert doc["interval"]["low"] < doc["duration"]["value"]
    assert len(doc["estimates"]) == 3


def test_a_gross_figure_is_made_usable_and_said():
    v = adhoc_vehicle("105 kWh", "nmc811", "270 kW", "800 V", gross=True)
    (e,) = v.estimates
    assert e.field == "battery_usable_energy"
    assert e.value < 105 * 3.6e6 and v.usable_energy == pytest.approx(e.value)
    assert e.low < e.value < e.high


def test_peak_power_relation_is_not_extrapolated_beyond_its_calibration_cars():
    """Beyond the fitted span of energy and model year the estimate is held at the span's
    end (below it, at the smallest pack's C-rate) and says so (a 2035 car or a 1000 kWh
    pack would otherwise get an invented peak, a 1 kWh pack a 30C one)."""
    from nevcalc.brochure.charging import estimate_peak_power, relations

    r = relations()["peak_power"]
    (e_lo, e_hi), (y_lo, y_hi) = r["energy_span"], r["year_span"]
    kwh = 3.6e6
    inside = estimate_peak_power(100 * kwh, "CN", y_hi)
    late = estimate_peak_power(100 * kwh, "CN", y_hi + 9)
    assert late.value == inside.value and f"year held at {y_hi}" in late.basis
    assert "held" not in inside.basis
    big = estimate_peak_power(5 * e_hi * kwh, "EU", 2024)
    assert big.value == estimate_peak_power(e_hi * kwh, "EU", 2024).value
    assert "energy held at" in big.basis
    # below the span a pack keeps the smallest fitted pack's peak C-rate, not its power
    small = estimate_peak_power(0.2 * e_lo * kwh, "EU", y_lo - 5)
    assert small.value == pytest.approx(0.2 * estimate_peak_power(e_lo * kwh, "EU", y_lo).value,
                                        rel=1e-12)  # fmt: skip
    assert f"C-rate of a {e_lo:.0f} kWh pack" in small.basis
    # within the span the relation still rises with energy and year
    assert estimate_peak_power(80 * kwh, "EU", 2024).value > estimate_peak_power(
        60 * kwh, "EU", 2024).value  # fmt: skip
    assert estimate_peak_power(60 * kwh, "EU", 2025).value > estimate_peak_power(
        60 * kwh, "EU", 2023).value  # fmt: skip
