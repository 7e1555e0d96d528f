"""Answers stay physical across random valid inputs, through the command line as a user
runs it: charge time >= 0, km added >= 0, 0 <= capacity <= 1, cost parts finite, range > 0,
and no NaN or Infinity anywhere in a --json document."""

from __future__ import annotations

import itertools
import math

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nevcalc.io import BUNDLED_SPECS
from tests.badinput.harness import check_physical, run_inprocess
from tests.helpers import strict_json as _strict

SETTINGS = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _names(folder: str) -> list[str]:
    return sorted(p.stem for p in (BUNDLED_SPECS / folder).glob("*.toml"))


VEHICLES = _names("vehicles")
CHARGERS = _names("chargers")
CHEMISTRIES = _names("chemistries")
USAGES = _names("usage")
CYCLES = ["wltc", "cltc", "nedc", "udds", "hwfet", "us06", "ftp75", "cadc"]


def _run_json(*argv):
    res = run_inprocess(argv, bound=30)
    assert not res.timed_out, argv
    assert res.exception is None, f"{argv}: {res.exception!r}"
    assert "Traceback" not in res.out + res.err
    assert not res.warnings, f"{argv}: {res.warnings}"
    assert res.code == 0, f"nevcalc {' '.join(argv)}: exit {res.code}: {res.err[:500]}"
    doc = _strict(res.out)
    problems = check_physical(doc)
    assert not problems, f"nevcalc {' '.join(argv)}: {problems}"
    return doc


def _value(doc, key):
    q = doc.get(key)
    return None if q is None else (q["value"] if isinstance(q, dict) else q)


soc_pair = st.tuples(st.integers(0, 99), st.integers(1, 100)).filter(lambda p: p[0] < p[1])


@SETTINGS
@given(
    vehicle=st.sampled_from(VEHICLES),
    charger=st.none() | st.sampled_from(CHARGERS),
    socs=soc_pair,
    minutes=st.floats(0.5, 240),
    add=st.floats(1, 1500),
)
def test_charge_is_physical(vehicle, charger, socs, minutes, add):
    argv = ["charge", vehicle, "--from", f"{socs[0]}%", "--to", f"{socs[1]}%",
            "--minutes", f"{minutes:.3f} min", "--add", f"{add:.1f} km", "--json"]  # fmt: skip
    if charger:
        argv += ["--charger", charger]
    doc = _run_json(*argv)
    duration = _value(doc, "duration")
    if doc["feasible"]:
        assert duration is not None and duration >= 0
    added = _value(doc, "range_added")
    assert added is None or added >= 0
    after = _value(doc, "soc_after")
    if after is not None:
        # N minutes from --from: never below where the session started, never past 100 %
        assert socs[0] - 1e-6 <= after <= 100 + 1e-6, after
    for key in ("energy_to_battery", "energy_from_grid", "average_power", "peak_power"):
        v = _value(doc, key)
        assert v is None or v >= 0, key


@SETTINGS
@given(
    battery=st.floats(10, 200),
    chemistry=st.sampled_from(["lfp", "lfp-flash", "lmfp", "nca", "nmc622", "nmc811",
                               "sodium-ion", "semi-solid", "solid-state"]),
    peak=st.floats(20, 1000),
    voltage=st.sampled_from(["400V", "800V", "1000V"]),
    charger=st.none() | st.sampled_from(CHARGERS),
)  # fmt: skip
def test_adhoc_charge_is_physical(battery, chemistry, peak, voltage, charger):
    argv = ["charge", "--battery", f"{battery:.2f}kWh", "--chemistry", chemistry,
            "--peak-power", f"{peak:.1f}kW", "--voltage", voltage, "--minutes", "10",
            "--json"]  # fmt: skip
    if charger:
        argv += ["--charger", charger]
    doc = _run_json(*argv)
    if doc["feasible"]:
        assert _value(doc, "duration") >= 0
    added = _value(doc, "range_added")
    assert added is None or added >= 0


@SETTINGS
@given(
    chemistry=st.sampled_from(CHEMISTRIES),
    window=st.tuples(st.integers(0, 95), st.integers(5, 100)).filter(lambda p: p[0] < p[1]),
    temperature=st.floats(-20, 50),
    rate=st.floats(0.05, 3),
    years=st.integers(1, 40),
)
def test_health_is_physical(chemistry, window, temperature, rate, years):
    doc = _run_json("health", chemistry, "--soc-window", f"{window[0]}%..{window[1]}%",
                    "--temperature", f"{temperature:.1f}degC", "--charge-rate",
                    f"{rate:.3f}/h", "--years", str(years), "--json")  # fmt: skip
    caps = doc["capacity"]
    assert len(caps) == years
    values = [c["value"] / 100 if c.get("unit") == "%" else c["value"] for c in caps]
    assert all(0 <= v <= 1 for v in values), values
    # capacity only fades
    assert all(b <= a + 1e-12 for a, b in itertools.pairwise(values)), values


@SETTINGS
@given(
    vehicle=st.sampled_from(VEHICLES),
    usage=st.none() | st.sampled_from(USAGES),
    years=st.integers(1, 30),
    share=st.integers(0, 100),
    discount=st.floats(0, 15),
    electricity=st.floats(0, 1),
)
def test_cost_parts_are_finite(vehicle, usage, years, share, discount, electricity):
    argv = ["cost", vehicle, "--years", str(years), "--fast-share", f"{share}%",
            "--discount-rate", f"{discount:.2f}%", "--electricity",
            f"{electricity:.3f} USD/kWh", "--json"]  # fmt: skip
    if usage:
        argv += ["--usage", usage]
    doc = _run_json(*argv)
    parts = doc["parts"]
    assert parts
    for name, q in parts.items():
        v = q["value"]
        assert math.isfinite(v), name
        if name != "residual":
            assert v >= 0, (name, v)
    assert math.isfinite(doc["total"]["value"])
    assert doc["per_km"]["value"] >= 0


@SETTINGS
@given(vehicle=st.sampled_from(VEHICLES), cycle=st.sampled_from([*CYCLES, "official"]))
def test_range_is_positive(vehicle, cycle):
    doc = _run_json("range", vehicle, "--cycle", cycle, "--json")
    assert doc["range"]["value"] > 0
    assert doc["consumption"]["value"] > 0


@settings(
    max_examples=8,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(vehicles=st.lists(st.sampled_from(VEHICLES), min_size=1, max_size=3, unique=True),
       charger=st.none() | st.sampled_from(CHARGERS))  # fmt: skip
def test_compare_is_physical(vehicles, charger):
    argv = ["compare", *vehicles, "--json"]
    if charger:
        argv += ["--charger", charger]
    doc = _run_json(*argv)
    for row in doc["vehicles"]:
        added = _value(row, "range_added")
        assert added is None or added >= 0


@settings(
    max_examples=10,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(until=st.integers(2026, 2060), growth=st.none() | st.integers(-20, 80))
def test_trend_is_finite(until, growth):
    argv = ["trend", "--until", str(until), "--json"]
    if growth is not None:
        argv += ["--growth", f"{growth}%"]
    _run_json(*argv)
