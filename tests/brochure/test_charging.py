"""Brochure charging relations: properties of the peak-power estimate and of the BMS taper."""

from __future__ import annotations

import numpy as np
import pytest

from nevcalc import catalog
from nevcalc.brochure import charging as bc

_KWH = 3.6e6


def _peak_kw(kwh, market, year, volt=None):
    return bc.estimate_peak_power(kwh * _KWH, market, year, volt).value / 1e3


@pytest.mark.parametrize("market", ["CN", "EU", "US", None])
@pytest.mark.parametrize("volt", [None, 400.0, 800.0])
def test_peak_estimate_rises_with_energy_and_year_in_every_market(market, volt):
    """Within its span a bigger or newer pack never gets a lower estimated peak."""
    years = range(2017, 2027)
    for y in years:
        kw = [_peak_kw(e, market, y, volt) for e in (40, 60, 80, 100, 150, 200)]
        assert np.all(np.diff(kw) > 0), (y, kw)
    for e in (50, 100):
        kw = [_peak_kw(e, market, y, volt) for y in years]
        assert np.all(np.diff(kw) >= 0), (e, kw)


def test_an_800v_class_gives_a_higher_peak_than_400v():
    for market in ("CN", "EU", "US"):
        for y in (2018, 2022, 2026):
            assert _peak_kw(90, market, y, 800.0) > _peak_kw(90, market, y, 400.0)


def test_recent_800v_car_outside_china_is_held_near_public_charger_power():
    """A 110 kWh 800 V car sold in the US or EU in 2026 charges on CCS chargers of 350-400 kW
    (Ionity, Electrify America: 350 kW; 500 A); its estimated peak stays below 400 kW,
    and the 800 V class adds less outside China in 2026 than in 2020 (800 V cars there
    reached the chargers' power from 2020, Taycan 270 kW)."""
    for market in ("EU", "US"):
        assert _peak_kw(110, market, 2026, 800.0) < 400.0
        gain_2020 = _peak_kw(90, market, 2020, 800.0) / _peak_kw(90, market, 2020, 400.0)
        gain_2026 = _peak_kw(90, market, 2026, 800.0) / _peak_kw(90, market, 2026, 400.0)
        assert gain_2026 < gain_2020
    # the Chinese market keeps the full 800 V gain in every year
    cn = [_peak_kw(90, "CN", y, 800.0) / _peak_kw(90, "CN", y, 400.0) for y in (2020, 2026)]
    assert cn[0] == pytest.approx(cn[1])


def test_peak_terms_are_those_of_the_shipped_fit():
    r = bc.relations()["peak_power"]
    assert len(r["coef"]) == len(bc.peak_power_terms(80.0, 2024.0, 0.0, 1.0))


@pytest.mark.parametrize("chem", ["nmc811", "nca"])
@pytest.mark.parametrize("kwh", [50.0, 100.0, 200.0])
@pytest.mark.parametrize("body", [None, "suv", "pickup"])
@pytest.mark.parametrize("volt", [400.0, 800.0])
def test_a_higher_peak_never_gives_less_power_at_any_soc(chem, kwh, body, volt):
    """The taper's envelope: power = peak x taper never falls at any SoC as the peak rises.

    The envelope is taken over lower peaks of each pack on one geometric lattice of
    C-rates (64 in a factor of four, ``bc._ENVELOPE``), the peak itself and the ends of
    the fitted C-rate span, down to the span's low end; it holds to 0.01 % of the power
    (without the envelope a higher peak lost up to 6.5 % at some SoC).
    """
    spec = catalog.load(chem, "chemistry")
    c_rates = np.geomspace(0.5, 6.0, 24) / 3600.0
    power = np.array(
        [c * bc.bms_taper(c, kwh * _KWH, spec, body=body, voltage=volt)[0] for c in c_rates]
    )
    assert np.all(np.diff(power, axis=0) >= -1e-4 * power[:-1])


def test_cell_rating_of_the_generations():
    """Later generations are rated by their peak C-rate over the first generation's."""
    nmc = catalog.load("nmc811", "chemistry")
    assert bc.cell_rating(nmc) == 1.0
    assert bc.cell_rating(catalog.load("nca", "chemistry")) == 1.0
    five = catalog.load("nmc-5c", "chemistry")
    assert bc.cell_rating(five) == pytest.approx(5.0 / 3.3)
    assert bc.cell_rating(catalog.load("nmc-46", "chemistry")) == pytest.approx(3.7 / 3.3)


def test_cells_rated_for_more_never_taper_earlier():
    """A peak that first-generation cells take (up to their 3.3C) is held at least as
    long on 5C-class cells and never gets less power at any SoC (the shipped knee term in
    the cell rating is bounded so: not below 0 on the absolute C-rate, not below the
    C-rate term on the C-rate over the rating). Peaks above 3.3C move a pack onto a
    later generation (the test below)."""
    from nevcalc.model.charging import bms_power_taper

    p = bc.relations()["bms_taper"]
    bound = min(p["knee"][1], 0.0) if p.get("relative_c_rate") else 0.0
    assert p.get("knee_cells", 0.0) >= bound
    s = np.linspace(0.0, 1.0, 101)
    for c in (1.2, 2.0, 2.8, 3.3):
        base = bc.taper_shape(c / 3600, 90 * _KWH, voltage=800.0)
        fast = bc.taper_shape(c / 3600, 90 * _KWH, voltage=800.0, rating=5.0 / 3.3)
        assert fast[0] >= base[0]
        # each with its shipped floor (a floor that is a C-rate over the rating is a
        # larger share of the peak on cells rated for more)
        f_base, f_fast = (float(bc._taper_floor(np.array([c / 3600]), p, r)[0])
                          for r in (1.0, 5.0 / 3.3))  # fmt: skip
        assert f_fast >= f_base
        assert np.all(bms_power_taper(s, *fast, f_fast)
                      >= bms_power_taper(s, *base, f_base) - 1e-12)  # fmt: skip


def test_a_pack_is_pushed_as_hard_as_its_cells():
    """With the relation on the C-rate over the cells' rating, a pack of cells rated r at
    r times the C-rate has the shape of a first-generation pack at that C-rate, its knee
    moved by the cell term alone."""
    p = bc.relations()["bms_taper"]
    if not p.get("relative_c_rate"):
        pytest.skip("the shipped relation takes the absolute C-rate")
    r = 5.0 / 3.3
    for c in (1.5, 2.5, 3.2):
        base = bc.taper_shape(c / 3600, 90 * _KWH)
        fast = bc.taper_shape(c * r / 3600, 90 * _KWH, rating=r)
        assert fast[1] == pytest.approx(base[1])
        assert fast[0] == pytest.approx(min(max(base[0] + p["knee_cells"] * np.log(r), 0.02),
                                            0.98))  # fmt: skip


@pytest.mark.parametrize("year", [2022, 2024, 2025, 2026])
def test_a_higher_peak_never_gives_less_vehicle_power_across_cell_generations(year):
    """Peaks that move a pack from one cell generation to the next (3.3C, 3.7C, 5C) never
    lower the vehicle's power limit at any SoC (to 0.01 %, the envelope's sampling)."""
    from nevcalc.scenario import adhoc_vehicle

    kw = np.linspace(200.0, 560.0, 37)  # 2-5.6C on 100 kWh
    power = np.array(
        [adhoc_vehicle("100 kWh", "nmc811", f"{k} kW", "800 V", year=year).power_limit for k in kw]
    )
    assert np.all(np.diff(power, axis=0) >= -1e-4 * power[:-1])


def test_a_family_knee_offset_moves_the_knee_of_that_family_only():
    """``knee_family`` shifts the knee of the families it names by their offset and
    leaves the slope and every other family's knee as they were."""
    p = {**bc.relations()["bms_taper"], "knee_family": {"LFP": -0.1}}
    for c in (1.0, 2.0, 3.0):
        base = bc.taper_shape(c / 3600, 60 * _KWH, p, family="NMC")
        lfp = bc.taper_shape(c / 3600, 60 * _KWH, p, family="LFP")
        assert lfp[1] == pytest.approx(base[1])
        if 0.12 < base[0] < 0.98:
            assert lfp[0] == pytest.approx(base[0] - 0.1)
        assert bc.taper_shape(c / 3600, 60 * _KWH, p) == base
