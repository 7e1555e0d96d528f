"""nevcalc's charging march with its cell temperature against PyBaMM's DFN + lumped thermal
model: CC-CV 10 -> 80 % of the Chen2020 cell at -10, 0, 10, 25 and 40 degC ambient, 1C
and 2C, h = 5 and 50 W/m2/K (tests/reference/pybamm_thermal.py, pybamm_thermal.csv).

Unlike tests/validation/test_thermal_pybamm.py, which drives nevcalc's heat model with
PyBaMM's own current, here nevcalc finds the current too
(:func:`nevcalc.scenario.charge.cell_cc_cv_thermal`): the march carries the cell
temperature, the Butler-Volmer charge transfer of both electrodes sets part of the
resistance, and the CV phase starts where it takes the cell to 4.2 V. The cell of
specs/chemistries/chen2020.toml (tests/reference/fit_chen2020_cell.py ->
chen2020_cell_fit.csv): the two charge-transfer resistances are computed from Chen et
al.'s published exchange-current densities (22.57 mohm graphite, 2.56 mohm NMC at
25 degC, 50 % SoC), Arrhenius at their activation energies (35 and 17.8 kJ/mol); the
ohmic rest (3.14 mohm), R1 (11.59 mohm) and the diffusion time (5751 s) are fitted on
the h = 50 points only (their time, rise and heat generated), tau is that of the pulse
fit (15.04 s). The h = 5 points, where the cell warms by 17-45 K, are held back. Heat
capacity and h x cooling area are PyBaMM's, and so are the current and the end of the CV
phase: the script's C-rates and its C/20 cut-off are of the cell's *nominal* 5 Ah
(``pybamm_cccv_times.csv``), not of the 5.153 Ah usable between the cut-offs.

Floors (issue 14): time 10 -> 80 % within 5 % and temperature rise at 80 % within 2 K at
every point; met (time median 0.83 %, worst -1.55 %; rise median 0.23 K, worst
-1.01 K; held-back h = 5 worst -1.55 % and -1.01 K). Where they are not met the failure
message prints the table. The same cell held at the ambient (``cell_cc_cv(ambient=...)``)
is checked against PyBaMM's isothermal runs (pybamm_isothermal_times.csv).
"""

from __future__ import annotations

import numpy as np
import pytest

from nevcalc import catalog
from nevcalc.scenario.charge import cell_cc_cv, cell_cc_cv_thermal
from tests.conftest import read_reference_csv

ROWS = [r for r in read_reference_csv("pybamm_thermal.csv") if r["parameter_set"] == "Chen2020"]
#: The cell's nominal capacity in the PyBaMM runs [A h]: their 1C and C/20.
NOMINAL_AH = next(
    float(r["nominal_capacity_ah"])
    for r in read_reference_csv("pybamm_cccv_times.csv")
    if r["parameter_set"] == "Chen2020"
)


@pytest.fixture(scope="module")
def table():
    chem = catalog.load("chen2020", "chemistry")
    one_c = NOMINAL_AH  # [A]
    out = []
    for r in ROWS:
        amb = 273.15 + float(r["ambient_c"])
        t, temp = cell_cc_cv_thermal(
            chem, float(r["c_rate"]) * one_c, 0.1, 0.8, ambient=amb,
            heat_capacity=float(r["heat_capacity_j_k"]), ua=float(r["ua_w_k"]),
            cutoff_current=one_c / 20.0,
        )  # fmt: skip
        pub_min = float(r["minutes_10_80"])
        pub_rise = float(r["t_at_80_c"]) - float(r["ambient_c"])
        out.append((r, t / 60.0 / pub_min - 1.0, (temp - amb) - pub_rise))
    return out


def _text(table) -> str:
    lines = [f"{'point':18} {'time err':>9} {'rise err':>9}"]
    for r, e_t, e_r in table:
        p = f"{r['c_rate']}C {r['ambient_c']}degC h{r['h_w_m2k']}"
        lines.append(f"{p:18} {e_t:+9.1%} {e_r:+8.2f}K")
    return "\n".join(lines)


def test_every_point_is_computed(table):
    assert len(table) == 20
    assert all(np.isfinite(e) for _, a, b in table for e in (a, b))


def test_time_10_80_median_within_5_percent(table):
    err = np.abs([e for _, e, _ in table])
    assert np.median(err) <= 0.05, _text(table)


def test_rise_median_within_2_kelvin(table):
    err = np.abs([e for *_, e in table])
    assert np.median(err) <= 2.0, _text(table)


def test_time_10_80_within_5_percent_at_every_point(table):
    err = np.abs([e for _, e, _ in table])
    assert np.max(err) <= 0.05, _text(table)


def test_rise_within_2_kelvin_at_every_point(table):
    err = np.abs([e for *_, e in table])
    assert np.max(err) <= 2.0, _text(table)


def test_the_cell_is_the_fit_on_the_h50_points_with_the_published_charge_transfer():
    """The spec holds what fit_chen2020_cell.py found, fitted on the 10 h = 50 points."""
    fit = {r["item"]: r for r in read_reference_csv("chen2020_cell_fit.csv")}
    assert float(fit["calibration_h"]["value"]) == 50.0
    assert int(fit["calibration_points"]["value"]) == 10
    used = {r["use"] for k, r in fit.items() if k.endswith("h50")}
    assert used == {"calibration"}
    assert {r["use"] for k, r in fit.items() if k.endswith("h5")} == {"held back"}
    assert fit["charge_transfer_resistance_negative"]["use"] == "computed"
    chem = catalog.load("chen2020", "chemistry")
    for key in ("charge_transfer_resistance_negative", "charge_transfer_resistance_positive",
                "cell_resistance", "cell_polarization_resistance",
                "cell_polarization_time_constant", "diffusion_time"):  # fmt: skip
        assert chem[key] == pytest.approx(float(fit[key]["value"]), rel=1e-3), key


ISOTHERMAL = [
    r
    for r in read_reference_csv("pybamm_isothermal_times.csv")
    if r["parameter_set"] == "Chen2020"
]


@pytest.mark.parametrize(
    "row", ISOTHERMAL, ids=[f"{r['c_rate']}C-{r['ambient_c']}degC" for r in ISOTHERMAL]
)
def test_cell_held_at_ambient_within_5_percent_of_pybamm_isothermal(row):
    """``cell_cc_cv(ambient=...)`` holds the cell at the ambient, as PyBaMM's isothermal runs
    do (pybamm_isothermal_times.csv; not fitted, though close to the h = 50 points, whose
    cell warms by 0.8-1.9 K)."""
    chem = catalog.load("chen2020", "chemistry")
    t = cell_cc_cv(
        chem, float(row["c_rate"]) * NOMINAL_AH, 0.1, 0.8, ambient=f"{row['ambient_c']} degC",
        cutoff_current=NOMINAL_AH / 20.0,
    )  # fmt: skip
    assert t / 60.0 == pytest.approx(float(row["minutes_10_80"]), rel=0.05)


def test_cell_cc_cv_is_at_25_degc_unless_told():
    chem = catalog.load("chen2020", "chemistry")
    at_25 = cell_cc_cv(chem, 10.0, 0.1, 0.8, ambient="25 degC")
    assert cell_cc_cv(chem, 10.0, 0.1, 0.8) == pytest.approx(at_25, rel=1e-12)
    assert cell_cc_cv(chem, 10.0, 0.1, 0.8, ambient="-10 degC") > 1.05 * at_25
