"""The health answer: the health command, its JSON, and ageing of a car between sweeps."""

from __future__ import annotations

import itertools
import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nevcalc.model.degradation import DAY, HOUR, capacity_fade, daily_duty
from nevcalc.units import celsius_to_kelvin


def _duty(hi, lo, c, t, period=1.0):
    """:func:`daily_duty` from a C-rate [h^-1], a temperature [degC] and days between sweeps."""
    return daily_duty(hi, lo, charge_rate=c / HOUR, temperature=celsius_to_kelvin(np.asarray(t)),
                      period=period * DAY)  # fmt: skip


def test_health_json(run_cli):
    code, out, err = run_cli("health", "nmc622", "--charge-rate", "1C", "--lab-cells", "--json")
    assert code == 0, err
    doc = json.loads(out)
    assert doc["fleet_correction"] is False
    assert [c["year"] for c in doc["capacity"]] == list(range(1, 11))
    assert all(0 < c["value"] < 100 and c["unit"] == "%" for c in doc["capacity"])
    assert doc["years_to_80"]["unit"] == "year" and 0 < doc["years_to_80"]["value"] < 5
    assert doc["model"] == "nmc622-gr-denso"


def test_claim_only_chemistries_are_labelled_simple(run_cli):
    code, out, err = run_cli("health", "solid-state", "--json")
    assert code == 0, err
    doc = json.loads(out)
    assert doc["model"] == "simple"
    assert any("simple model" in a for a in doc["assumptions"])


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["health", "lfp", "--soc-window", "80%..30%"], ["soc window", "low..high"]),
        (["health", "lfp", "--soc-window", "30%"], ["--soc-window", "low..high"]),
        (["health", "lfp", "--temperature", "25 kg"], ["temperature", "mass"]),
        (["health", "lfp", "--charge-rate", "4 A"], ["charge-rate", "current"]),
        (["health", "unobtainium"], ["unobtainium"]),
        (
            ["health", "lfp", "--efc-per-day", "13"],
            ["--efc-per-day", "above the allowed range", "up to 12 efc"],
        ),
    ],
)
def test_health_bad_input(run_cli, args, words):
    code, out, err = run_cli(*args)
    assert code == 2, (out, err)
    assert "Traceback" not in out + err
    for w in words:
        assert w in err, err


@settings(max_examples=15, deadline=None)
@given(c1=st.floats(0.1, 1.0), factor=st.floats(1.05, 4.0), period=st.floats(1.0, 5.0))
def test_faster_charging_never_lengthens_life_when_parked_between_sweeps(c1, factor, period):
    """A sweep every ``period`` days: the parked days must not read as charging (round-off
    once halved the charge C-rate when charging started between hourly samples)."""
    duty = [_duty(0.8, 0.3, c, 25.0, period) for c in (c1, min(c1 * factor, 5))]
    slow, fast = (capacity_fade("nmc622-gr-denso", d, [8]) for d in duty)
    assert fast[0] <= slow[0] + 1e-12


def test_more_fast_charging_never_lengthens_life_in_a_car():
    """Kia EV6 (NMC811 cells, aged with the C-rate-sensitive NMC622 model) on a 350 kW
    charger: a larger share of fast charging never leaves more capacity."""
    from nevcalc.scenario.cost import running_cost

    caps = [
        running_cost("kia-ev6-77", "ionity-350", usage="commuter-europe",
                     fast_share=f"{share} %").capacity_at_end
        for share in (0, 10, 30, 60, 100)
    ]  # fmt: skip
    assert all(b <= a + 1e-12 for a, b in itertools.pairwise(caps))
    assert caps[-1] < caps[0]


def test_model_info_is_si_and_the_words_live_in_the_scenario_layer():
    from nevcalc.model import degradation
    from nevcalc.scenario.health import validity_notes

    for info in degradation.MODEL_INFO.values():
        assert 273.15 <= info.t_min < info.t_max <= 373.15  # [K]
        assert 0.1 / HOUR <= info.charge_max <= 10 / HOUR  # [s^-1]
    assert not hasattr(degradation, "validity_notes")
    notes = validity_notes("lfp-gr-250ah", 243.15, 0.5, 6 / HOUR)
    assert any("-30 degC" in n and "10-45 degC" in n for n in notes), notes
    assert any("6C" in n and "0.65C" in n for n in notes), notes
    assert any("50%" in n for n in notes), notes  # below the 80-100 % depth of the data
    assert validity_notes("lfp-gr-250ah", 298.15, 0.9, 0.5 / HOUR) == []


# --- ageing in users' terms: km, DC days, several sweeps a day, climates ------------------


def _health_doc(run_cli, *args):
    code, out, err = run_cli("health", *args, "--json")
    assert code == 0, err
    return json.loads(out)


def _caps(doc):
    return [c["value"] for c in doc["capacity"]]


def test_capacity_at_a_distance_is_the_curve_at_that_age(run_cli):
    doc = _health_doc(run_cli, "nmc622", "--km-per-year", "20000 km", "--at", "100000 km")
    at = doc["at_distance"]
    assert at["years"]["value"] == pytest.approx(5.0)
    assert at["capacity"]["value"] == pytest.approx(_caps(doc)[4], abs=1e-3)
    t80, km80 = doc["years_to_80"]["value"], doc["km_to_80"]["value"]
    assert km80 == pytest.approx(t80 * 20000, rel=0.01)
    # km a day is km a year over 365
    per_day = _health_doc(run_cli, "nmc622", "--km-per-day", "54.79452 km")
    assert _caps(per_day) == pytest.approx(_caps(doc), abs=2e-3)


def test_dc_days_age_nmc_faster_than_ac_days(run_cli):
    ac = _health_doc(run_cli, "nmc622", "--km-per-year", "30000 km")
    dc = _health_doc(run_cli, "nmc622", "--km-per-year", "30000 km", "--dc-share", "50%",
                     "--dc-rate", "2C")  # fmt: skip
    assert dc["dc_share"]["value"] == 50.0
    assert all(b < a for a, b in zip(_caps(ac), _caps(dc), strict=True))


def test_two_sweeps_a_day_age_more_than_one(run_cli):
    one = _health_doc(run_cli, "lfp", "--efc-per-day", "0.5")
    two = _health_doc(run_cli, "lfp", "--efc-per-day", "1.0")
    assert any("2 sweeps" in a for a in two["assumptions"])
    assert all(b < a for a, b in zip(_caps(one), _caps(two), strict=True))


def test_a_hot_climate_ages_faster_than_a_cold_one(run_cli):
    oslo = _health_doc(run_cli, "lfp", "--climate", "oslo")
    phoenix = _health_doc(run_cli, "lfp", "--climate", "phoenix")
    warmer = _health_doc(run_cli, "lfp", "--climate", "oslo", "--temperature-rise", "10 K")
    assert oslo["climate"] == "oslo"
    assert _caps(phoenix)[-1] < _caps(warmer)[-1] < _caps(oslo)[-1]
    # a climate ages as its Arrhenius-effective temperature, between its coldest and
    # warmest month
    assert 0.0 < oslo["temperature"]["value"] < 16.4


def test_the_fleet_correction_is_switchable_and_said(run_cli):
    fleet = _health_doc(run_cli, "nmc622", "--km-per-year", "15000 km")
    lab = _health_doc(run_cli, "nmc622", "--km-per-year", "15000 km", "--lab-cells")
    assert fleet["fleet_correction"] is True and lab["fleet_correction"] is False
    assert any("fleet correction on" in a for a in fleet["assumptions"])
    assert _caps(fleet) != _caps(lab)


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--temperature", "30degC", "--climate", "oslo"], ["--temperature", "--climate"]),
        (["--temperature-rise", "5 K"], ["--temperature-rise", "--climate"]),
        (["--km-per-year", "1e4 km", "--efc-per-day", "0.2"], ["--efc-per-day"]),
        (["--at", "100000 km"], ["--at", "km"]),
        (["--climate", "atlantis"], ["atlantis"]),
        (["--dc-share", "150%"], ["--dc-share"]),
        (["--km-per-year", "20000 km", "--at", "5000000 km"], ["--at", "horizon"]),
    ],
)
def test_health_km_and_climate_bad_input(run_cli, args, words):
    code, out, err = run_cli("health", "lfp", *args)
    assert code in (1, 2), (out, err)
    assert "Traceback" not in out + err
    for w in words:
        assert w in err, err


def test_health_answer_prints_one_line_and_a_table():
    from dataclasses import replace

    from nevcalc import catalog
    from nevcalc.scenario.health import health
    from tests.helpers import check_escaped, check_html, check_repr

    ans = health(catalog.load("nmc811", "chemistry"))
    end = f"{ans.capacity[-1] * 100:.4g} % after 10 years"
    check_repr(ans, "HealthAnswer", "nmc811", end, f"80 % in {ans.years_to_80:.4g} year")
    check_html(ans, end, "30 % to 80 %", "25 degC", "efc/day", "1/h")
    check_escaped(replace(ans, chemistry="<c&d>"), "<c&d>")
    never = health(catalog.load("lfp", "chemistry"), years=2)
    assert never.years_to_80 is None
    check_repr(never, "above 80 % throughout")


@pytest.mark.parametrize(
    ("argv", "names", "absent"),
    [
        (("--km-per-year", "200000km", "--pack", "1kWh", "--consumption", "5 kWh/100km"),
         ("--km-per-year", "--pack"), "--efc-per-day"),
        (("--km-per-day", "547.9km", "--pack", "1kWh"), ("--km-per-day", "--pack"),
         "--efc-per-day"),
        (("--efc-per-day", "12",), ("--efc-per-day", "24 sweeps", "50% SoC window"),
         "12 is more than 12"),
    ],
)  # fmt: skip
def test_too_many_cycles_name_the_options_given(argv, names, absent):
    """Cycles derived from a distance are refused naming the distance and pack options,
    not --efc-per-day the user did not type; the sweep count in the message is right."""
    from tests.badinput.harness import run_inprocess

    res = run_inprocess(("health", "nmc811", *argv))
    assert res.code == 2, res.err
    assert all(n in res.err for n in names), res.err
    assert absent not in res.err, res.err
