"""Every shipped name works in every command it can be given to, and answers stay physical.

Health: every shipped chemistry answers (a published model, a labelled stand-in or the
simple model), capacity stays in [0, 1] and never rises, a run past a model's data says
so, and the work is bounded whatever the duty. Cost: every shipped vehicle has a sourced,
dated price and answers with finite parts that add up.
"""

from __future__ import annotations

import json
import math
import re
import tracemalloc
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nevcalc import catalog
from nevcalc.errors import InputError
from nevcalc.io import BUNDLED_SPECS
from nevcalc.model import degradation
from nevcalc.model.cost import lifecycle_cost
from nevcalc.model.degradation import DAY, HOUR
from nevcalc.units import celsius_to_kelvin

CHEMISTRIES = sorted(p.stem for p in (BUNDLED_SPECS / "chemistries").glob("*.toml"))
VEHICLES = sorted(p.stem for p in (BUNDLED_SPECS / "vehicles").glob("*.toml"))
KWH = 3.6e6


def test_the_library_is_what_these_tests_cover():
    assert len(CHEMISTRIES) >= 12 and len(VEHICLES) >= 25


# --- health ---------------------------------------------------------------------------


@pytest.mark.parametrize("chem", CHEMISTRIES)
def test_every_shipped_chemistry_answers_health_and_says_what_it_assumes(run_cli, chem):
    code, out, err = run_cli("health", chem, "--json")
    assert code == 0, err
    assert "edit" not in err and "cycle_life =" not in err
    doc = json.loads(out)
    caps = [c["value"] for c in doc["capacity"]]
    assert all(c["unit"] == "%" for c in doc["capacity"])
    assert all(0 <= q <= 100 for q in caps) and caps == sorted(caps, reverse=True)
    # the answer names the model and what it was fitted on, or labels the simple model
    text = " ".join(doc["assumptions"])
    assert ("fitted on" in text and doc["model"] in degradation.MODELS) or (
        doc["model"] == "simple" and "simple model" in text
    )


def test_chemistries_without_a_model_of_their_own_are_labelled_stand_ins(run_cli):
    for chem, model in (("semi-solid", "nmc622-gr-denso"), ("chen2020", "nmc811-grsi-lgmj1"),
                        ("prada2013", "lfp-gr-250ah")):  # fmt: skip
        code, out, err = run_cli("health", chem, "--json")
        assert code == 0, err
        doc = json.loads(out)
        assert doc["model"] == model
        title = catalog.load(chem, "chemistry")["title"]
        assert any("fitted on" in a and title in a for a in doc["assumptions"])


def test_a_chemistry_with_neither_model_nor_cycle_life_gets_its_family_model():
    from dataclasses import replace

    from nevcalc.scenario.health import health

    spec = catalog.load("semi-solid", "chemistry")
    bare = replace(spec, values={k: v for k, v in spec.values.items() if k != "ageing_model"})
    ans = health(bare)
    assert ans.model == "nmc622-gr-denso"  # the automotive NMC model, as for nmc811
    assert any("stands in" in a for a in ans.assumptions)
    odd = replace(bare, values={**bare.values, "family": "zinc-air"})
    with pytest.raises(InputError, match="family") as e:
        health(odd)
    assert "shipped" not in str(e.value)


def test_solid_state_past_its_claims_is_floored_and_says_so(run_cli):
    code, out, err = run_cli("health", "solid-state", "--years", "40", "--json")
    assert code == 0, err
    doc = json.loads(out)
    caps = [c["value"] for c in doc["capacity"]]
    assert min(caps) >= 0 and caps[-1] == 0
    assert doc["validity"] and any("extrapolated" in v for v in doc["validity"])


def _duty(hi, lo, c, t, period=1.0):
    """A daily duty from a C-rate [h^-1], a temperature [degC] and days between sweeps."""
    return degradation.daily_duty(hi, lo, charge_rate=c / HOUR, temperature=celsius_to_kelvin(t),
                                  period=period * DAY)  # fmt: skip


DUTIES = [
    # (soc_high, soc_low, charge C-rate, temperature degC, days between sweeps)
    (1.0, 0.0, 0.25, 25.0, 1.0),
    (0.8, 0.3, 6.0, 25.0, 1.0),
    (0.8, 0.3, 0.25, -30.0, 1.0),
    (0.8, 0.3, 0.25, 60.0, 1.0),
    (1.0, 0.0, 6.0, 60.0, 1.0),
    (0.8, 0.3, 0.25, 25.0, 500.0),  # 0.001 cycles a day
    (0.9, 0.1, 1.0, 45.0, 1e12),
]


@pytest.mark.parametrize("model", sorted(degradation.MODELS))
@pytest.mark.parametrize("duty", DUTIES)
def test_every_model_at_the_extremes_stays_in_0_1_and_never_rises(model, duty):
    hi, lo, c, t, period = duty
    q = degradation.capacity_fade(model, _duty(hi, lo, c, t, period),
                                  np.arange(1, 41))  # fmt: skip
    assert np.all(np.isfinite(q))
    assert np.all((q >= 0) & (q <= 1))
    assert np.all(np.diff(q) <= 0)


@settings(max_examples=30, deadline=None)
@given(years=st.floats(0, 200), efc=st.floats(1e-12, 1.0), life=st.floats(10, 1e6),
       cal=st.floats(0.5, 100))  # fmt: skip
def test_the_simple_model_stays_in_0_1(years, efc, life, cal):
    q = degradation.simple_capacity(years, efc, life, cal)
    assert 0.0 <= q <= 1.0


@pytest.mark.parametrize("model", sorted(degradation.MODELS))
def test_a_run_outside_the_models_data_says_so(model):
    from nevcalc.scenario.health import health

    chem = {"lfp-gr-250ah": "lfp", "nmc622-gr-denso": "nmc622", "nca-gr-panasonic3ah": "nca",
            "nmc811-grsi-lgmj1": "nmc811-lgmj1"}[model]  # fmt: skip
    spec = catalog.load(chem, "chemistry")
    cold = health(spec, temperature=273.15 - 30, charge_rate=6.0)
    assert any("degC" in v for v in cold.validity)
    assert any("6C" in v for v in cold.validity)
    assert all(v in cold.assumptions for v in cold.validity)
    info = degradation.MODEL_INFO[model]
    inside = health(spec, (0.0, info.dod_max), charge_rate=min(0.25, info.charge_max * HOUR),
                    temperature=298.15, years=2)  # fmt: skip
    assert not inside.validity, inside.validity


def test_tiny_cycling_is_bounded_in_memory_and_time(run_cli):
    duty = _duty(0.8, 0.3, 0.25, 25.0, 1e300)
    assert duty.time.size < 40
    tracemalloc.start()
    try:
        degradation.capacity_fade("lfp-gr-250ah", duty, np.arange(1, 41))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 50e6
    code, out, err = run_cli("health", "lfp", "--efc-per-day", "1e-9", "--json")
    if code == 0:  # answered on a bounded duty, and says how
        assert any("one sweep a year" in a for a in json.loads(out)["assumptions"])
    else:  # or refused below the option's bound, naming it
        assert code == 2 and "--efc-per-day" in err and "Traceback" not in err
    code, out, err = run_cli("health", "lfp", "--efc-per-day", "0.001", "--json")
    assert code == 0, err
    assert any("one sweep a year" in a for a in json.loads(out)["assumptions"])


@pytest.mark.parametrize("period", [1.0, 2.0, 2.5, 7.0, 64.0])
def test_the_compressed_parked_time_equals_hourly_samples(period):
    """One sample standing for the parked hours gives the same fade as hourly samples."""
    end = 24.0 * period
    duty = _duty(0.8, 0.3, 0.5, 25.0, period)
    t = np.unique(np.concatenate([np.arange(0.0, np.floor(end) + 1.0) * HOUR, duty.time]))
    soc = np.interp(t, duty.time, duty.soc)
    hourly = degradation.DailyDuty(t, soc, duty.temperature)
    for model in degradation.MODELS:
        a = degradation.capacity_fade(model, duty, [1, 5, 10])
        b = degradation.capacity_fade(model, hourly, [1, 5, 10])
        assert np.allclose(a, b, rtol=0, atol=1e-12), model


def test_health_json_carries_units_and_a_reason_for_no_year(run_cli):
    code, out, err = run_cli("health", "lfp", "--efc-per-day", "0.01", "--temperature", "15degC",
                             "--json")  # fmt: skip
    assert code == 0, err
    assert "Infinity" not in out and "NaN" not in out
    doc = json.loads(out)
    t80 = doc["years_to_80"]
    assert t80["unit"] == "year" and t80["value"] is None and t80["reason"]
    for key in ("efc_per_day", "charge_rate", "temperature"):
        assert set(doc[key]) == {"value", "unit"}, key


# --- cost -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", VEHICLES)
def test_every_shipped_vehicle_has_a_sourced_dated_price(name):
    spec = catalog.load(name, "vehicle")
    assert spec.get("price") is not None
    assert re.fullmatch(r"(19|20)\d\d(-(0[1-9]|1[0-2]))?", spec.get("price_date", ""))
    assert spec.get("price_market")
    prov = spec.provenance["price"]
    assert prov.source.startswith("http")
    assert prov.kind in ("official", "claimed", "assumed")
    if prov.kind == "assumed":
        assert len(prov.note) > 40  # the reasoning is written down


@pytest.mark.parametrize("name", VEHICLES)
def test_every_shipped_vehicle_answers_cost_with_finite_parts(name):
    from nevcalc.scenario.cost import lifecycle

    ans = lifecycle(name)
    p = ans.parts
    parts = [float(getattr(p, k)) for k in ("purchase", "energy", "replacement", "maintenance",
                                             "time", "residual")]  # fmt: skip
    assert all(math.isfinite(x) for x in parts)
    assert float(p.total) == pytest.approx(sum(parts), rel=1e-12)
    assert parts[0] > 0 and parts[1] >= 0 and parts[5] <= 0
    assert any(a.startswith("vehicle price") for a in ans.assumptions)


@pytest.mark.parametrize("name", VEHICLES)
def test_every_shipped_vehicle_answers_the_cost_command(run_cli, name):
    code, out, err = run_cli("cost", name, "--json")
    assert code == 0, err
    doc = json.loads(out)
    parts = [v["value"] for v in doc["parts"].values()]
    assert all(math.isfinite(x) for x in parts)
    assert doc["total"]["value"] == pytest.approx(sum(parts), abs=0.1)


@settings(max_examples=200, deadline=None)
@given(
    years=st.integers(1, 30),
    km=st.floats(1e3, 2e5),
    rate=st.floats(0.0, 0.5),
    price=st.floats(1e3, 1e7),
    kwh=st.floats(1.0, 1000.0),
    pack=st.floats(5.0, 5000.0),
    cons=st.floats(5.0, 100.0),
    energy_price=st.floats(0.0, 10.0),
    eff=st.floats(0.5, 1.0),
    ry=st.integers(0, 31),
    maint=st.floats(0.0, 1.0),
    hours=st.floats(0.0, 8760.0),
    vot=st.floats(0.0, 1000.0),
    residual=st.floats(0.0, 1.0),
)
def test_cost_parts_are_finite_and_add_up_for_any_valid_input(
    years, km, rate, price, kwh, pack, cons, energy_price, eff, ry, maint, hours, vot, residual
):
    p = lifecycle_cost(
        years, km * 1e3, rate, price - kwh * pack, kwh * KWH, pack / KWH, cons * KWH / 1e5,
        energy_price / KWH, eff, replacement_year_=ry, maintenance_per_distance=maint / 1e3,
        fast_charge_time_per_year=hours * 3600, value_of_time=vot / 3600,
        residual_fraction=residual,
    )  # fmt: skip
    parts = [float(x) for x in (p.purchase, p.energy, p.replacement, p.maintenance, p.time,
                                p.residual)]  # fmt: skip
    assert all(math.isfinite(x) for x in [*parts, float(p.total), float(p.per_km)])
    assert float(p.total) == pytest.approx(sum(parts), rel=1e-9, abs=1e-6)
    assert parts[1] >= 0 and parts[2] >= 0 and parts[3] >= 0 and parts[4] >= 0
    assert parts[5] <= 0 and -parts[5] <= parts[0] + 1e-6


@settings(max_examples=12, deadline=None)
@given(
    name=st.sampled_from(["byd-han-l", "kia-ev6-77", "nio-et7-150", "tesla-model-3-rwd-2024"]),
    km=st.integers(1_000, 200_000),
    years=st.integers(1, 30),
    electricity=st.floats(0.0, 2.0),
    share=st.integers(0, 100),
)
def test_lifecycle_cost_stays_physical_for_random_usage(name, km, years, electricity, share):
    from nevcalc.scenario.cost import lifecycle

    ans = lifecycle(name, years=years, km_per_year=f"{km} km",
                    electricity=f"{electricity:.4f} USD/kWh", fast_share=f"{share} %")  # fmt: skip
    p = ans.parts
    parts = [float(getattr(p, k)) for k in ("purchase", "energy", "replacement", "maintenance",
                                             "time", "residual")]  # fmt: skip
    assert all(math.isfinite(x) for x in parts)
    assert float(p.total) == pytest.approx(sum(parts), rel=1e-12)
    assert parts[1] >= 0
    assert 0 <= ans.capacity_at_end <= 1


def test_a_cost_that_overflows_is_a_clear_error():
    from nevcalc.scenario.cost import lifecycle

    with warnings.catch_warnings(), pytest.raises(InputError) as e:
        warnings.simplefilter("error")  # no numpy warning may reach a user either
        lifecycle("kia-ev6-77", vehicle_price="1.7e308 USD", maintenance="1e305 USD/km")
    assert "--vehicle-price" in str(e.value) or "finite" in str(e.value)
    # and parts that overflow past the option checks are refused, not printed as inf
    from nevcalc.scenario.cost import _check_finite

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        parts = lifecycle_cost(10, 1.5e7, 0.05, 1e308, 1e308 * KWH, 1e308 / KWH, 1e3, 1.0, 1.0)
    with pytest.raises(InputError, match="finite"):
        _check_finite(parts, "a car")


def _bare_floats(node, path=""):
    """Paths of numbers that stand alone, not as the value of a {value, unit} pair."""
    if isinstance(node, dict):
        if "value" in node and "unit" in node:
            return []
        return [p for k, v in node.items() for p in _bare_floats(v, f"{path}.{k}")]
    if isinstance(node, list):
        return [p for i, v in enumerate(node) for p in _bare_floats(v, f"{path}[{i}]")]
    return [path] if isinstance(node, float) else []


@pytest.mark.parametrize(
    "args",
    [
        ("health", "nmc622", "--json"),
        ("health", "solid-state", "--years", "40", "--json"),
        ("cost", "kia-ev6-77", "--json"),
        ("cost", "byd-han-l", "--currency", "CNY", "--json"),
    ],
)
def test_health_and_cost_json_quantities_carry_units(run_cli, args):
    code, out, err = run_cli(*args)
    assert code == 0, err
    doc = json.loads(out)
    assert _bare_floats(doc) == []


@pytest.mark.parametrize("years", [2.5, "ten", True, 0, 41])
def test_health_years_must_be_a_whole_number_in_range(years):
    from nevcalc.scenario.health import health

    with pytest.raises(InputError, match="years"):
        health(catalog.load("lfp", "chemistry"), years=years)
