"""Ageing against NREL BLAST-Lite 1.1.1 (tests/reference/blast_lite_runs.py).

Daily duty 80 -> 30 % and 90 -> 10 %, 25 and 35 degC, charged at 0.25C,
0.4C and 1C; relative capacity at years 1, 2, 5, 8 and 10 within 0.5
percentage points, at the yearly steps ``nevcalc health`` uses.
"""

from __future__ import annotations

import numpy as np
import pytest

from nevcalc.model.degradation import HOUR, MODELS, capacity_fade, daily_duty
from nevcalc.units import celsius_to_kelvin
from tests.conftest import read_reference_csv

YEARS = (1, 2, 5, 8, 10)
ROWS = read_reference_csv("blast_lite_capacity.csv")
CASES = sorted(
    {
        (r["model"], float(r["soc_high"]), float(r["soc_low"]), float(r["temperature_c"]),
         float(r["charge_c_rate"]))
        for r in ROWS
        if r["model"] in MODELS
    }
)  # fmt: skip


def _reference(model, hi, lo, temp, c):
    pick = {
        int(r["year"]): float(r["capacity"])
        for r in ROWS
        if r["model"] == model
        and float(r["soc_high"]) == hi
        and float(r["soc_low"]) == lo
        and float(r["temperature_c"]) == temp
        and float(r["charge_c_rate"]) == c
    }
    return np.array([pick[y] for y in YEARS])


@pytest.mark.parametrize("case", CASES, ids=["-".join(map(str, c)) for c in CASES])
def test_capacity_within_half_a_point_of_blast_lite(case):
    model, hi, lo, temp, c = case
    # the reference rows give the C-rate in 1/h and the temperature in degC
    duty = daily_duty(hi, lo, charge_rate=c / HOUR, temperature=celsius_to_kelvin(temp))
    q = capacity_fade(model, duty, YEARS)
    assert np.max(np.abs(q - _reference(*case))) <= 0.005


def test_every_implemented_model_is_checked():
    assert {c[0] for c in CASES} == set(MODELS)
    assert len(CASES) == 48
