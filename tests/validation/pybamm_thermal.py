"""nevcalc's lumped cell temperature driven by PyBaMM's own charging current (Chen2020).

Shared by ``tests/reference/fit_thermal_chen2020.py`` (which fits the two
charge-transfer shares on the calibration points) and
``tests/validation/test_thermal_pybamm.py`` (which checks every point).

The cell: heat capacity ``C`` and conductance ``UA = h A`` as PyBaMM uses them
(the rows' ``heat_capacity_j_k`` and ``ua_w_k``); the resistance nevcalc fitted
to PyBaMM current pulses at 25 degC, ``R = R0 + R1`` of ``fit_cell_rc.py``
(``cell_rc_fit.csv``; the chemistry spec ``chen2020`` carries instead the charge
transfer computed from the published kinetics, ``fit_chen2020_cell.py``); the current
of the PyBaMM trace (CC and CV, every 1 % SoC, linear in time between samples). The
heat, per step, at the step's starting temperature:

    Q = I^2 (1 - x_n - x_p) R                       ohmic, no temperature dependence
      + charge_transfer_heat(I, T, I0_n(T))         graphite, I0_n(25 degC) = RT/(F x_n R)
      + charge_transfer_heat(I, T, I0_p(T))         NMC,      I0_p(25 degC) = RT/(F x_p R)

with the exchange currents Arrhenius at the activation energies of the
Chen2020 set (35 and 17.8 kJ/mol, thermal_figures.csv TF-004 and TF-005) and
no reversible heat (the set's dU/dT is zero, TF-006). In Chen2020 only the
exchange currents depend on temperature (PYBAMM_THERMAL_NOTES.md), hence the
temperature-independent ohmic rest. The shares ``x_n``, ``x_p`` of the 25 degC
resistance are the only fitted numbers.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from nevcalc.model import thermal
from tests.conftest import read_reference_csv

DATA = Path(__file__).resolve().parent / "data"
PARAMETER_SET = "Chen2020"
#: Calibration subset of the fit: the well-cooled points; h = 5 is held back.
CALIBRATION_H = 50.0
#: Step of the march [s] (the traces are sampled every 1 % SoC, 18-40 s apart in CC).
TIME_STEP = 1.0
T_REF = 298.15


def figure(figure_id: str) -> dict[str, str]:
    with (DATA / "thermal_figures.csv").open() as fh:
        return next(r for r in csv.DictReader(fh) if r["figure_id"] == figure_id)


#: Activation energies of the Chen2020 exchange currents [J/mol]: graphite, NMC811.
EA_NEGATIVE = float(figure("TF-004")["value"])
EA_POSITIVE = float(figure("TF-005")["value"])


def cell_resistance() -> float:
    """R0 + R1 fitted to PyBaMM's current pulses at 25 degC (fit_cell_rc.py) [ohm]."""
    row = next(
        r for r in read_reference_csv("cell_rc_fit.csv") if r["parameter_set"] == PARAMETER_SET
    )
    return float(row["r0_ohm"]) + float(row["r1_ohm"])


@dataclass(frozen=True)
class Points:
    rows: list[dict[str, str]]
    ambient: np.ndarray  # [K]
    ua: np.ndarray  # [W/K]
    heat_capacity: np.ndarray  # [J/K]
    rise: np.ndarray  # PyBaMM's maximum temperature rise over 10->80 % [K]
    h: np.ndarray  # [W/m^2/K]
    times: np.ndarray  # march grid [s]
    current: np.ndarray  # (points, steps) current at the steps' midpoints [A]
    time_step: float  # [s]
    end: np.ndarray  # time of 80 % SoC [s]


def load_points(time_step: float = TIME_STEP) -> Points:
    rows = [
        r for r in read_reference_csv("pybamm_thermal.csv") if r["parameter_set"] == PARAMETER_SET
    ]
    traces: dict[tuple, list[tuple[float, float]]] = {}
    for r in read_reference_csv("pybamm_thermal_traces.csv"):
        if r["parameter_set"] == PARAMETER_SET:
            key = (r["c_rate"], r["ambient_c"], r["h_w_m2k"])
            traces.setdefault(key, []).append((float(r["time_s"]), float(r["current_a"])))
    keys = [(r["c_rate"], r["ambient_c"], r["h_w_m2k"]) for r in rows]
    end = np.array([traces[k][-1][0] for k in keys])
    times = np.arange(0.0, end.max(), time_step)
    current = np.array(
        [np.interp(times + time_step / 2, *np.array(traces[k]).T, right=0.0) for k in keys]
    )

    def col(name):
        return np.array([float(r[name]) for r in rows])

    return Points(
        rows=rows,
        ambient=col("ambient_c") + thermal.ZERO_CELSIUS,
        ua=col("ua_w_k"),
        heat_capacity=col("heat_capacity_j_k"),
        rise=col("temperature_rise_k"),
        h=col("h_w_m2k"),
        times=times,
        current=current,
        time_step=time_step,
        end=end,
    )


def heat(current, temperature, resistance, share_negative, share_positive):
    """Heat of the cell [W] at a current [A] and temperature [K] (see the module text)."""
    ohmic = thermal.joule_heat(current, (1.0 - share_negative - share_positive) * resistance)
    out = ohmic
    for share, ea in ((share_negative, EA_NEGATIVE), (share_positive, EA_POSITIVE)):
        share = np.asarray(share, float)
        safe = np.where(share > 0.0, share, 1.0)
        i0 = thermal.exchange_current(safe * resistance, temperature, ea, T_REF)
        out = out + np.where(
            share > 0.0, thermal.charge_transfer_heat(current, temperature, i0), 0.0
        )
    return out


def temperature_rise(points: Points, share_negative, share_positive, activation=True):
    """Maximum temperature rise over each charge [K]; shares broadcast against the points
    (a column of candidate shares gives one row per candidate). ``activation=False`` drops
    the temperature dependence (every term at its 25 degC value)."""
    return march(points, share_negative, share_positive, activation)[0]


def march(points: Points, share_negative, share_positive, activation=True):
    """(maximum temperature rise [K], heat generated [J]) over each charge."""
    r = cell_resistance()
    xn = np.asarray(share_negative, float)
    xp = np.asarray(share_positive, float)
    shape = np.broadcast_shapes(xn.shape, xp.shape, points.ambient.shape)
    t = np.broadcast_to(points.ambient, shape).copy()
    t_max = t.copy()
    total = np.zeros(shape)
    for k, t0 in enumerate(points.times):
        step = np.clip(points.end - t0, 0.0, points.time_step)
        at = t if activation else T_REF
        q = heat(points.current[:, k], at, r, xn, xp)
        total += q * step
        t = thermal.lumped_temperature_step(
            t, q, points.ambient, points.heat_capacity, points.ua, step
        )
        t_max = np.maximum(t_max, t)
    return t_max - points.ambient, total


def arrhenius_resistance_rise(points: Points, activation_energy):
    """The simplest alternative: all of R0 + R1 Arrhenius at one activation energy."""
    r = cell_resistance()
    t = points.ambient.copy()
    t_max = t.copy()
    for k, t0 in enumerate(points.times):
        step = np.clip(points.end - t0, 0.0, points.time_step)
        q = thermal.joule_heat(
            points.current[:, k], r * thermal.arrhenius_factor(t, activation_energy, T_REF)
        )
        t = thermal.lumped_temperature_step(
            t, q, points.ambient, points.heat_capacity, points.ua, step
        )
        t_max = np.maximum(t_max, t)
    return t_max - points.ambient
