"""Generated bad and edge inputs to ``nevcalc health`` and ``nevcalc cost``.

Each case either answers with physical figures (exit 0: capacity in [0, 100] %, never
rising; cost parts finite and adding up, no negative energy cost) or is refused in one
line that names the option (exit 2, 1 for an answer that cannot be computed); never a
traceback, a NumPy warning or a hang.
"""

from __future__ import annotations

import json
import math
import time

import pytest

VALUES = [
    "nan", "inf", "-inf", "-1", "0", "1e-300", "1e-9", "1e300", "1e309", "-0",
    "abc", "", "1 kg", "5 %", "1..2", "10**10", "0x10", "1e", "--", "½",
]  # fmt: skip

HEALTH_OPTIONS = {
    "--efc-per-day": ["0.001", "0.5", "0.25 efc"],
    "--charge-rate": ["6C", "0.1C", "2 1/h"],
    "--temperature": ["-30degC", "60degC", "300 K"],
    "--soc-window": ["0%..100%", "10%..20%", "0..1"],
    "--years": ["1", "40"],
}
COST_OPTIONS = {
    "--km-per-year": ["1000 km", "200000 km"],
    "--vehicle-price": ["45000 EUR", "1000000 CNY"],
    "--electricity": ["0 USD/kWh", "2 EUR/kWh"],
    "--fast-price": ["0 USD/kWh", "9 CNY/kWh"],
    "--fast-share": ["0 %", "100 %"],
    "--discount-rate": ["0 %", "20 %"],
    "--maintenance": ["0 USD/km", "0.5 EUR/km"],
    "--value-of-time": ["0 USD/h", "100 EUR/h"],
    "--residual": ["0 %", "100 %"],
    "--replace-below": ["10 %", "95 %"],
    "--years": ["1", "30"],
}
HEALTH_CASES = [(o, v) for o, good in HEALTH_OPTIONS.items() for v in [*VALUES, *good]]
COST_CASES = [(o, v) for o, good in COST_OPTIONS.items() for v in [*VALUES, *good]]


def _check_refusal(code, out, err, option):
    assert code in (1, 2), (code, out, err)
    assert "Traceback" not in out + err
    assert "Warning" not in err
    lines = [ln for ln in err.strip().splitlines() if ln.strip()]
    assert len(lines) == 1, err
    words = {option, option.lstrip("-"), option.lstrip("-").replace("-", " ")}
    assert any(w in err for w in words), (option, err)


def _timed(run_cli, *args):
    t0 = time.perf_counter()
    result = run_cli(*args)
    assert time.perf_counter() - t0 < 30, args
    return result


@pytest.mark.parametrize(("option", "value"), HEALTH_CASES)
def test_health_option(run_cli, option, value):
    code, out, err = _timed(run_cli, "health", "nmc622", option, value, "--json")
    if code != 0:
        _check_refusal(code, out, err, option)
        return
    assert "Warning" not in err
    doc = json.loads(out)
    caps = [c["value"] for c in doc["capacity"]]
    assert all(0 <= q <= 100 for q in caps) and caps == sorted(caps, reverse=True)
    t80 = doc["years_to_80"]
    assert t80["value"] is None or 0 < t80["value"] <= 40


@pytest.mark.parametrize(("option", "value"), COST_CASES)
def test_cost_option(run_cli, option, value):
    code, out, err = _timed(run_cli, "cost", "kia-ev6-77", option, value, "--json")
    if code != 0:
        _check_refusal(code, out, err, option)
        return
    assert "Warning" not in err
    doc = json.loads(out)
    parts = {k: v["value"] for k, v in doc["parts"].items()}
    assert all(math.isfinite(x) for x in parts.values())
    assert doc["total"]["value"] == pytest.approx(sum(parts.values()), abs=0.1)
    assert parts["energy"] >= 0 and parts["replacement"] >= 0 and parts["maintenance"] >= 0
    assert 0 <= doc["capacity_at_end"]["value"] <= 100


def test_the_suite_is_large_enough():
    assert len(HEALTH_CASES) + len(COST_CASES) >= 350


@pytest.mark.parametrize("option", ["--residual", "--discount-rate", "--replace-below",
                                    "--fast-share"])  # fmt: skip
@pytest.mark.parametrize("value", ["200 %", "1e300", "101%"])
def test_shares_above_100_percent_are_refused(run_cli, option, value):
    """A residual of 200 % once gave a negative total."""
    code, out, err = run_cli("cost", "kia-ev6-77", option, value)
    _check_refusal(code, out, err, option)
    # a replacement threshold of 100 % (replace at once) is refused too, as in sweeps
    assert ("0-99 %" if option == "--replace-below" else "0-100 %") in err
