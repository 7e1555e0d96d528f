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
