"""Cell-level CC-CV against PyBaMM's DFN (tests/reference/pybamm_cccv.py).

The chemistry specs chen2020 and prada2013 carry the PyBaMM parameter sets' OCV.
prada2013: the R0 + RC values fitted to PyBaMM *current pulses* (fit_cell_rc.py, not
to these times) and the positive-particle diffusion time R^2/D of the set. chen2020:
the charge-transfer resistances computed from the set's exchange-current densities
(Butler-Volmer) and the ohmic rest, R1 and diffusion time fitted on PyBaMM's thermal
runs at h = 50 W/m2/K (fit_chen2020_cell.py; 1C and 2C, -10 to 40 degC, so its 1C and
2C rows here are close to its calibration, its 3C and 4C are not). The 10 -> 80 %
CC-CV times here, at 25 degC, are the check.
"""

from __future__ import annotations

import pytest

from nevcalc import catalog
from nevcalc.scenario import cell_cc_cv
from tests.conftest import read_reference_csv

ROWS = read_reference_csv("pybamm_cccv_times.csv")


@pytest.mark.parametrize("row", ROWS, ids=[f"{r['parameter_set']}-{r['c_rate']}C" for r in ROWS])
def test_cc_cv_time_within_5_percent_of_pybamm_dfn(row):
    chem = catalog.load(row["parameter_set"].lower(), "chemistry")
    nominal = float(row["nominal_capacity_ah"])
    current = float(row["c_rate"]) * nominal
    t = cell_cc_cv(chem, current, 0.10, 0.80, cutoff_current=nominal / 20)
    assert t / 60 == pytest.approx(float(row["minutes_10_80"]), rel=0.05)


def test_single_resistor_misses_what_the_dfn_shows():
    """Without the diffusion and RC terms the 4C Chen2020 time is ~9 % short (anchors README)."""
    chem = catalog.load("chen2020", "chemistry")
    from dataclasses import replace

    row = next(r for r in ROWS if r["parameter_set"] == "Chen2020" and float(r["c_rate"]) == 4)
    values = dict(chem.values)
    values.update(cell_resistance=0.050, cell_polarization_resistance=0.0, diffusion_time=0.0)
    bare = replace(chem, values=values)
    t = cell_cc_cv(bare, 20.0, 0.10, 0.80, cutoff_current=0.25) / 60
    assert t < 0.93 * float(row["minutes_10_80"])


def test_reference_cell_capacity_matches_the_pybamm_run():
    for r in ROWS:
        chem = catalog.load(r["parameter_set"].lower(), "chemistry")
        assert chem.in_unit("cell_capacity", "A*h") == pytest.approx(
            float(r["usable_capacity_ah"]), rel=1e-4
        )
