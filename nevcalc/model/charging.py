"""DC and AC charging: the current a pack accepts at each SoC, and what it takes.

The current into the pack at each state of charge is the least of

* the charger's power and current limits,
* the vehicle's own (BMS) power limit against SoC and its inlet current,
* the cell's C-rate limit against SoC,
* the constant-voltage (CV) limit: the cell may not exceed its maximum
  voltage, with terminal voltage ``V = OCV(s) + eta + R0 I``,
* the charger's voltage range (an 800 V pack on a 500 V charger cannot be
  charged unless the vehicle has a DC booster, whose power then limits it).

``eta`` is the voltage over one RC branch (``R1``, ``tau``) standing for
solid-state diffusion and electrolyte polarisation: it builds up with time
at high current, makes CV start earlier than a single resistor would, and
relaxes during CV. With ``R1 = 0`` the model is the single resistor
``I = min(I_cc, (Vmax - OCV) / R0)``.

:func:`charge_profile` marches once over a uniform SoC grid for each
distinct vehicle-charger pair (Heun's method in SoC, the RC branch with an
exact exponential update) and keeps cumulative time and energies; a session
from ``a`` to ``b`` is then ``T(b) - T(a)`` by interpolation
(:func:`charge_session`), so a million sessions cost a few array lookups
each. A session is treated as a segment of one continuous charge: the
polarisation it starts with is that of the charge below it, which differs
from a start at rest only during the first ``tau`` seconds.

Pure numpy on SI floats: [A], [V], [W], [J], [s], [ohm], [A s], C-rates in
[s^-1]. No pint, no I/O.

References
----------
.. [1] V. R. Subramanian et al., J. Electrochem. Soc. 152 (2005) A2002: the polynomial
   approximation of diffusion in a sphere behind ``diffusion_time``.
.. [2] PyBaMM, https://pybamm.org: the CC-CV and pulse runs the model is checked
   against (``tests/reference/pybamm_cccv.py``).

Examples
--------
A 200 A h pack of 100 cells on a flat 3.7 V OCV (370 V) without resistance, on
chargers of 74 and 37 kW: the current is 200 A (1C) and 100 A, so by hand
10 -> 80 % takes 0.7 h = 2520 s and 5040 s, and puts 0.7 * 74 = 51.8 kWh in.

>>> from nevcalc.model.tables import GRID_POINTS
>>> flat = np.full(GRID_POINTS, 1.0)
>>> profile = charge_profile(3.7 * flat, 100, 200 * 3600.0, 0.0, [74e3, 37e3], np.inf,
...                          1000.0, cell_voltage_max=4.2, c_rate=3 / 3600 * flat,
...                          vehicle_power=np.inf * flat)
>>> session = charge_session(profile, [0, 1], 0.1, 0.8)
>>> np.round(session.duration), np.round(session.energy_to_battery / 3.6e6, 2)
(array([2520., 5040.]), array([51.8, 51.8]))
"""

from __future__ import annotations

import sys
import threading
from typing import NamedTuple

import numpy as np

from nevcalc.model import _kernel
from nevcalc.model.tables import distinct, lookup
from nevcalc.model.thermal import (
    charge_transfer_heat,
    exchange_current,
    lumped_temperature_step,
    thermal_management,
)

__all__ = [
    "LIMIT_NAMES",
    "TAPER_LIMITS",
    "ChargeProfile",
    "ChargeSession",
    "binding_segments",
    "bms_power_taper",
    "charge_profile",
    "charge_session",
    "current_from_power",
    "lowest_start_soc",
    "soc_after_time",
]

#: Names of the limits, indexed by the ``limit`` codes of a profile.
LIMIT_NAMES = (
    "charger power",
    "charger current",
    "vehicle power",
    "vehicle current",
    "cell C-rate",
    "CV",
    "charger voltage",
    "booster power",
    "charger min voltage",
    "cold cell",
)
_CHARGER_VOLTAGE = LIMIT_NAMES.index("charger voltage")
_CHARGER_MIN_VOLTAGE = LIMIT_NAMES.index("charger min voltage")
#: The cell's C-rate limit lowered by its temperature (lithium-plating-safe current).
_COLD_CELL = LIMIT_NAMES.index("cold cell")
#: Limits under which a current below the cut-off ends the charge (the taper at a
#: voltage ceiling); under a power or current limit a small current is only slow.
TAPER_LIMITS = (LIMIT_NAMES.index("CV"), _CHARGER_VOLTAGE)
#: First eigenvalue of diffusion in a sphere with a flux boundary, (4.4934)^2.
_SPHERE_MODE = 20.19


class ChargeProfile(NamedTuple):
    """A charge from ``soc_start`` to 100 % on a per-row uniform SoC grid.

    Arrays have shape ``(n, steps + 1)`` unless noted; ``n`` rows are
    distinct vehicle-charger pairs.
    """

    soc_start: np.ndarray  #: (n,) first SoC of the grid [-]
    soc: np.ndarray  #: SoC at the grid points [-]
    current: np.ndarray  #: current into the pack [A]
    power: np.ndarray  #: power at the pack terminals [W]
    limit: np.ndarray  #: index into LIMIT_NAMES of the binding limit (int8)
    time: np.ndarray  #: cumulative time from soc_start [s]; 0 below soc_min, inf once stopped
    energy_battery: np.ndarray  #: cumulative energy into the pack terminals [J]
    energy_stored: np.ndarray  #: cumulative energy stored (OCV x charge) [J]
    efficiency: np.ndarray  #: (n,) grid-to-pack-terminal efficiency [-]
    booster: np.ndarray  #: (n,) the DC booster is in use [bool]
    stop_soc: np.ndarray  #: (n,) SoC at which charging stops (1.0 if it does not) [-]
    stop_limit: np.ndarray  #: (n,) limit binding where charging stopped, -1 if it does not
    soc_min: np.ndarray  #: (n,) lowest SoC charging can start from (charger's lowest voltage) [-]
    #: pack temperature at the grid points [K] (None: a charge at the reference temperature)
    temperature: np.ndarray | None = None
    #: cumulative electricity of the thermal-management system from soc_start [J]
    thermal_energy: np.ndarray | None = None
    #: (n,) time the heater warms a pack too cold to take any current before it flows [s]
    warmup_time: np.ndarray | None = None
    #: (n,) electricity of that warm-up [J]
    warmup_energy: np.ndarray | None = None


class ChargeSession(NamedTuple):
    """Answers for sessions; every array has the shape of the broadcast inputs."""

    duration: np.ndarray  #: [s]; inf when the target cannot be reached
    energy_to_battery: np.ndarray  #: at the pack terminals [J]
    energy_stored: np.ndarray  #: stored, net of the pack's I^2 R losses [J]
    energy_from_grid: np.ndarray  #: incl. charger (and on-board charger) losses [J]
    average_power: np.ndarray  #: at the pack terminals [W]
    peak_power: np.ndarray  #: at the pack terminals [W]
    feasible: np.ndarray  #: the target SoC is reached [bool]
    stop_soc: np.ndarray  #: SoC where charging ends: the target, or where it stops [-]
    stop_limit: np.ndarray  #: limit that stops it, -1 when feasible [int]
    charging_time: np.ndarray  #: time until charging ends (duration, or until it stops) [s]
    #: electricity of the thermal-management system (heater, chiller), warm-up included [J]
    thermal_energy: np.ndarray | None = None


class PackThermal(NamedTuple):
    """Thermal inputs of a charge: the pack's temperature is marched with its SoC.

    Every field but the two table fields broadcasts to the ``n`` profile rows.
    The pack is one lumped body (:mod:`nevcalc.model.thermal`): Joule heat of
    its resistances, exchange with ambient and a thermal-management system that
    heats below ``window_low`` and cools above ``window_high``. Its resistances
    and the cell C-rate limit scale by factors tabulated on ``temperature_nodes``
    (interpolated linearly, held at the ends): for the resistances their Arrhenius
    rise in the cold, for the C-rate the lithium-plating-safe current of the cold cell.
    Where ``transfer_resistance`` is given, that part of R0 is the charge transfer at
    the electrodes: Butler-Volmer with Arrhenius exchange currents, as a secant
    resistance ``eta(I) / I`` at the current of the previous grid point (its
    overpotential grows as ``asinh``, less than linearly, at high current in the cold).
    """

    ambient: np.ndarray  #: [K]
    temperature: np.ndarray  #: pack temperature at ``soc_start`` [K]
    heat_capacity: np.ndarray  #: [J K^-1]
    ua: np.ndarray  #: conductance to ambient [W K^-1]
    heating_power: np.ndarray  #: heat the heater adds [W]
    cooling_power: np.ndarray  #: heat the chiller removes [W]
    window_low: np.ndarray  #: [K]
    window_high: np.ndarray  #: [K]
    heating_cop: np.ndarray  #: heat over electricity of the heater [-]
    cooling_cop: np.ndarray  #: heat removed over electricity of the chiller [-]
    temperature_nodes: np.ndarray  #: (T,) increasing [K]
    c_rate_factor: np.ndarray  #: (n, T) or (T,) factor on the cell C-rate limit [-], in [0, 1]
    resistance_factor: np.ndarray  #: (n, T) or (T,) factor on R0 and R1 [-], 1 at 25 degC
    #: charge-transfer resistances of the two electrodes at 25 degC, part of R0 [ohm], and
    #: their activation energies [J mol^-1]: Butler-Volmer, not scaled by the factor above
    transfer_resistance: tuple = (0.0, 0.0)
    transfer_activation_energy: tuple = (0.0, 0.0)


class WorkArrays:
    """Large work arrays used again once nothing reads them: a march's tables taken from
    here reuse the memory of tables already let go (no fresh pages to fault in and clear,
    none given back to the system and taken again), for one caller marching chunk after
    chunk. Safe across threads; a buffer is free when no array made from it is alive."""

    def __init__(self):
        self._buffers: list[np.ndarray] = []
        self._lock = threading.Lock()

    def empty(self, shape, dtype=float) -> np.ndarray:
        """An uninitialised array of ``shape`` and ``dtype`` (like :func:`numpy.empty`)."""
        dtype = np.dtype(dtype)
        need = int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
        with self._lock:
            best = None
            for buf in self._buffers:
                # free: held here, by this loop and by the call only (every view of a
                # buffer refers to it as its base)
                if buf.size >= need and sys.getrefcount(buf) <= 3:
                    if best is None or buf.size < best.size:
                        best = buf
            if best is None:
                best = np.empty(max(need, 1), np.uint8)
                self._buffers.append(best)
            return best[:need].view(dtype).reshape(shape)

    def zeros(self, shape, dtype=float) -> np.ndarray:
        """An array of zeros of ``shape`` and ``dtype`` (like :func:`numpy.zeros`)."""
        out = self.empty(shape, dtype)
        out.fill(0)
        return out


def _rows(x, n):
    return np.broadcast_to(np.asarray(x, float), (n,)).copy()


def _node_weights(nodes, temperature):
    """Flat index of the lower node of each row in an (n, T) table and its weight."""
    k = nodes.size
    t = np.clip(temperature, nodes[0], nodes[-1])
    i = np.clip(np.searchsorted(nodes, t, side="right") - 1, 0, k - 2)
    w = (t - nodes[i]) / (nodes[i + 1] - nodes[i])
    return np.arange(t.size) * k + i, w


def _factor_at(nodes, table, temperature, at=None):
    """Per-row linear interpolation of ``table`` (n, T) at ``temperature`` (n,), held at the
    ends; ``at`` the :func:`_node_weights` of the temperatures when known."""
    base, w = _node_weights(nodes, temperature) if at is None else at
    flat = table.reshape(-1)
    return flat[base] * (1.0 - w) + flat[base + 1] * w


def warm_up(thermal: PackThermal, n: int):
    """Time and electricity a heater takes to bring a pack that takes no current to the
    lowest temperature at which it takes some.

    Returns
    -------
    temperature : numpy.ndarray
        (n,) the pack temperature charging starts at [K].
    time, energy : numpy.ndarray
        (n,) [s] and [J]; 0 where the pack takes current at once; ``inf`` time where
        the heater cannot bring it there (none, or too weak against the exchange).
    """
    nodes = np.asarray(thermal.temperature_nodes, float)
    table = np.broadcast_to(np.asarray(thermal.c_rate_factor, float), (n, nodes.size))
    t0 = _rows(thermal.temperature, n)
    f0 = _factor_at(nodes, np.ascontiguousarray(table), t0)
    time = np.zeros(n)
    energy = np.zeros(n)
    cold = f0 <= 0.0
    if not cold.any():
        return t0, time, energy
    # the lowest node with a positive factor above the start temperature
    ok = (table > 0.0) & (nodes[None, :] > t0[:, None])
    first = np.where(ok.any(axis=1), np.argmax(ok, axis=1), -1)
    go = np.where(first >= 0, nodes[np.maximum(first, 0)], np.inf)
    c = _rows(thermal.heat_capacity, n)
    ua = _rows(thermal.ua, n)
    q = _rows(thermal.heating_power, n)
    amb = _rows(thermal.ambient, n)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        t_eq = np.where(ua > 0, amb + q / ua, np.inf)
        reach = cold & np.isfinite(go) & (q > 0) & (t_eq > go)
        need = np.where(ua > 0, -(c / ua) * np.log((t_eq - go) / (t_eq - t0)), c * (go - t0) / q)
    time = np.where(cold, np.where(reach, np.maximum(need, 0.0), np.inf), 0.0)
    energy = q * np.where(reach, time, 0.0) / _rows(thermal.heating_cop, n)
    return np.where(reach, go, t0), time, energy


def current_from_power(power, voltage, resistance):
    """Current that delivers ``power`` at the terminals of ``voltage + R I``.

    Solves ``(voltage + resistance * I) * I = power`` for the positive root,
    in a form that stays accurate as ``resistance`` tends to zero.

    Parameters
    ----------
    power : array_like
        Terminal power [W]; ``inf`` for no limit.
    voltage : array_like
        Open-circuit plus polarisation voltage [V].
    resistance : array_like
        Ohmic resistance [ohm].

    Returns
    -------
    numpy.ndarray
        Current [A].

    Examples
    --------
    74 kW at 370 V is 200 A without resistance; with 0.1 ohm, by hand
    ``0.1 I^2 + 370 I - 74 000 = 0`` gives ``I = (-370 + sqrt(166 500)) / 0.2 = 190.22 A``;
    no power limit, no current limit.

    >>> np.round(current_from_power([74e3, 74e3, np.inf], 370.0, [0.0, 0.1, 0.1]), 2)
    array([200.  , 190.22,    inf])
    """
    p = np.asarray(power, float)
    v = np.asarray(voltage, float)
    r = np.asarray(resistance, float)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        i = 2.0 * p / (v + np.sqrt(v * v + 4.0 * r * p))
    return np.where(np.isinf(p), np.inf, i)


_POWER_LIMITS = (0, 2, 7)  # charger power, vehicle power, booster power
_CURRENT_LIMITS = (1, 3, 4)  # charger current, vehicle current, cell C-rate
_VOLTAGE_LIMITS = (5, 6)  # CV, charger voltage


def bms_power_taper(soc, knee, rate, floor=0.05, ramp=None):
    """Vehicle (BMS) charge power limit over its peak against displayed SoC [-].

    The BMS holds the peak up to the ``knee`` and then takes the power down
    linearly, ``f(s) = 1 - rate (s - knee)``, never below ``floor`` (near
    full the cell's CV limit takes over). Below the SoC where ``ramp`` first
    reaches its highest value the ramp (the low-SoC rise of a measured curve,
    normalised to its peak) caps it.

    Parameters
    ----------
    soc : array_like, shape (G,)
        Displayed SoC [-].
    knee : array_like
        SoC where the power starts to fall [-]; shape (n, 1) for n curves.
    rate : array_like
        Fall of the power fraction per unit SoC above the knee [-].
    floor : array_like
        Lowest power fraction [-].
    ramp : array_like, shape (G,), optional
        Low-SoC shape on the same grid [-], any scale; its part below its
        maximum caps the curve there.

    Returns
    -------
    numpy.ndarray
        Power over peak [-], of the broadcast shape.

    Examples
    --------
    Knee 40 %, rate 1.5, floor 0.2: by hand 1 to 40 %, 1 - 1.5 * 0.4 = 0.4 at
    80 %, and the floor from 40 + 0.8 / 1.5 = 93.3 % on.

    >>> np.round(bms_power_taper([0.1, 0.4, 0.8, 1.0], 0.4, 1.5, 0.2), 3)
    array([1. , 1. , 0.4, 0.2])
    """
    s = np.asarray(soc, float)
    x = np.maximum(s - np.asarray(knee, float), 0.0)
    f = np.maximum(1.0 - np.asarray(rate, float) * x, np.asarray(floor, float))
    if ramp is not None:
        r = np.asarray(ramp, float)
        top = int(np.argmax(r))
        low = np.ones_like(r)
        low[:top] = r[:top] / r[top]
        f = np.minimum(f, low)
    return f


def lowest_start_soc(ocv, series_cells, voltage_min, cell_soc_low, cell_soc_high):
    """Displayed SoC at which the pack's open-circuit voltage reaches ``voltage_min``.

    A DC charger cannot start below its lowest output voltage; this is the
    lowest start SoC it can serve (without a DC booster).

    Parameters
    ----------
    ocv : array_like, shape (n, G)
        Cell open-circuit voltage on the uniform cell-SoC grid [V].
    series_cells : array_like, shape (n,)
        Cells in series [-].
    voltage_min : array_like, shape (n,)
        Charger's lowest output voltage [V].
    cell_soc_low, cell_soc_high : array_like, shape (n,)
        Cell SoC at displayed 0 % and 100 % [-].

    Returns
    -------
    numpy.ndarray, shape (n,)
        Displayed SoC [-] where the pack OCV first reaches ``voltage_min``
        (exact for the piecewise-linear OCV table); ``-inf`` when it is
        reached at cell SoC 0, ``inf`` when never.

    Examples
    --------
    100 cells whose OCV rises linearly from 3.0 to 4.2 V, used between cell SoC 5 and
    95 %. A 330 V charger floor is 3.3 V a cell, cell SoC 0.25, so by hand displayed
    (0.25 - 0.05) / 0.9 = 0.222; a 250 V floor is below the empty pack, a 500 V floor
    above the full one.

    >>> from nevcalc.model.tables import resample
    >>> ocv = np.tile(resample([0.0, 1.0], [3.0, 4.2]), (3, 1))
    >>> np.round(lowest_start_soc(ocv, 100, [330.0, 250.0, 500.0], 0.05, 0.95), 3)
    array([0.222, -inf,   inf])
    """
    ocv = np.atleast_2d(np.asarray(ocv, float))
    n, g = ocv.shape
    target = np.asarray(voltage_min, float) / np.asarray(series_cells, float)
    above = ocv >= target[:, None]
    j = np.argmax(above, axis=1)
    r = np.arange(n)
    jm = np.maximum(j - 1, 0)
    v0, v1 = ocv[r, jm], ocv[r, j]
    with np.errstate(divide="ignore", invalid="ignore"):
        frac = np.clip(np.where(v1 > v0, (target - v0) / (v1 - v0), 1.0), 0.0, 1.0)
    cell = (jm + frac) / (g - 1)
    lo = np.asarray(cell_soc_low, float)
    span = np.asarray(cell_soc_high, float) - lo
    s = (cell - lo) / span
    return np.where(~above.any(axis=1), np.inf, np.where(j == 0, -np.inf, s))


def charge_profile(
    ocv,
    series_cells,
    capacity,
    resistance,
    charger_power,
    charger_current,
    charger_voltage_max,
    *,
    charger_voltage_min=0.0,
    polarization_resistance=0.0,
    time_constant=60.0,
    diffusion_time=0.0,
    cell_voltage_max,
    c_rate,
    vehicle_power,
    vehicle_current=np.inf,
    booster_power=0.0,
    efficiency=1.0,
    cell_soc_low=0.0,
    cell_soc_high=1.0,
    soc_start=0.0,
    cutoff_current=None,
    steps=400,
    thermal: PackThermal | None = None,
) -> ChargeProfile:
    """Current, power, binding limit and cumulative time over a charge.

    All scalar parameters broadcast to the ``n`` rows of the tables.

    Charging stops where no current flows, or where a voltage ceiling (the
    cell's CV limit or the charger's highest voltage) tapers the current below
    ``cutoff_current``; a small current under a power or current limit is only
    slow. Below the SoC at which the pack reaches the charger's lowest output
    voltage (no DC booster) charging cannot start: the profile waits there
    (time and energies stay 0) and ``soc_min`` says where it can.

    Parameters
    ----------
    ocv : array_like, shape (n, G) or (G,)
        Cell open-circuit voltage on the uniform cell-SoC grid [V].
    series_cells : array_like
        Cells in series [-].
    capacity : array_like
        Pack capacity between displayed SoC 0 and 100 % [A s].
    resistance : array_like
        Pack ohmic + charge-transfer resistance R0 [ohm].
    charger_power, charger_current : array_like
        Charger output limits [W], [A]; ``inf`` for none.
    charger_voltage_max : array_like
        Highest charger output voltage [V]; ``inf`` for AC (the on-board
        charger adapts).
    charger_voltage_min : array_like
        Lowest charger output voltage [V].
    polarization_resistance, time_constant : array_like
        Pack RC branch R1 [ohm] and its time constant [s].
    diffusion_time : array_like
        Solid-state diffusion time ``R_p^2 / D_s`` of the limiting electrode
        [s]; 0 to neglect. The OCV is read at the particle-surface SoC,
        ``s + delta``, where ``delta`` tends to ``I t_d / (15 Q)`` (the
        polynomial approximation of diffusion in a sphere, Subramanian et al.,
        J. Electrochem. Soc. 152 (2005) A2002) with the time constant of the
        first diffusion mode of a sphere, ``t_d / 20.19``.
    cell_voltage_max : array_like
        Cell charge voltage limit [V].
    c_rate : array_like, shape (n, G) or (G,)
        Cell C-rate limit on the cell-SoC grid [s^-1].
    vehicle_power : array_like, shape (n, G) or (G,)
        Vehicle (BMS) power limit on the displayed-SoC grid [W].
    vehicle_current : array_like
        Inlet/pack current limit [A].
    booster_power : array_like
        DC booster power [W]; used when the charger cannot reach the pack's
        full-charge voltage. 0 for none.
    efficiency : array_like
        Grid to pack-terminal efficiency [-].
    cell_soc_low, cell_soc_high : array_like
        Cell SoC at displayed 0 % and 100 % [-]; ``cell_soc_high`` must be
        above ``cell_soc_low``.
    soc_start : array_like
        Displayed SoC where the charge starts, at rest [-], below 1.
    cutoff_current : array_like, optional
        Charging stops when a voltage ceiling tapers the current below this
        [A]; C/20 of ``capacity`` by default.
    steps : int
        SoC steps from ``soc_start`` to 100 %.
    thermal : PackThermal, optional
        March the pack temperature too: resistances and the cell C-rate limit
        follow it, and a pack too cold to take any current is first warmed by
        its heater. None: every row at the reference temperature of the
        tables (the answers are then those of a charge without a thermal state).

    Returns
    -------
    ChargeProfile

    Raises
    ------
    ValueError
        When a row's cell SoC window is empty or inverted, or ``soc_start``
        is not below 1.

    References
    ----------
    .. [1] V. R. Subramanian et al., J. Electrochem. Soc. 152 (2005) A2002.

    Examples
    --------
    The pack of the module example (200 A h, 370 V, no resistance) on a 74 kW
    charger: 200 A all the way, limited by the charger's power; by hand
    0.8 * 200 A h / 200 A = 0.8 h = 2880 s to reach 80 % from empty.

    >>> from nevcalc.model.tables import GRID_POINTS
    >>> flat = np.full(GRID_POINTS, 1.0)
    >>> profile = charge_profile(3.7 * flat, 100, 200 * 3600.0, 0.0, 74e3, np.inf, 1000.0,
    ...                          cell_voltage_max=4.2, c_rate=3 / 3600 * flat,
    ...                          vehicle_power=np.inf * flat, steps=400)
    >>> float(profile.soc[0, 320]), round(float(profile.time[0, 320]), 6)
    (0.8, 2880.0)
    >>> round(float(profile.current[0, 200]), 6), LIMIT_NAMES[profile.limit[0, 200]]
    (200.0, 'charger power')
    """
    ocv = np.atleast_2d(np.asarray(ocv, float))
    c_rate = np.atleast_2d(np.asarray(c_rate, float))
    vehicle_power = np.atleast_2d(np.asarray(vehicle_power, float))
    per_row = dict(
        series_cells=series_cells, capacity=capacity, resistance=resistance,
        charger_power=charger_power, charger_current=charger_current,
        charger_voltage_max=charger_voltage_max, charger_voltage_min=charger_voltage_min,
        polarization_resistance=polarization_resistance, time_constant=time_constant,
        diffusion_time=diffusion_time, cell_voltage_max=cell_voltage_max,
        vehicle_current=vehicle_current, booster_power=booster_power, efficiency=efficiency,
        cell_soc_low=cell_soc_low, cell_soc_high=cell_soc_high, soc_start=soc_start,
    )  # fmt: skip
    tables = (ocv, c_rate, vehicle_power)
    n = max(*(t.shape[0] for t in tables), *map(np.size, per_row.values()))
    if cutoff_current is not None:
        per_row["cutoff_current"] = cutoff_current
    rows = []
    for t in tables:
        np.broadcast_to(t, (n, t.shape[-1]))  # one row, or one per profile row
        rows.append(np.zeros(n, np.intp) if t.shape[0] == 1 else np.arange(n))
    values = {k: np.broadcast_to(np.asarray(x, float), (n,)).copy() for k, x in per_row.items()}
    return _profile(tables, rows, values, steps, thermal)


def _unique_columns(rows, keys):
    """First index of each distinct (table row, keys...) and the inverse map.

    ``rows`` is an (n,) int array, ``keys`` a list of (n,) float arrays; most often
    the keys follow from the table row, and the rows alone decide.
    """
    _, first, inverse = np.unique(rows, return_index=True, return_inverse=True)
    inverse = inverse.reshape(-1)
    if all(np.array_equal(np.asarray(k)[first][inverse], k) for k in keys):
        return first, inverse
    key = np.stack([np.asarray(rows, float), *(np.asarray(k, float) for k in keys)], axis=1)
    _, first, inverse = np.unique(key, axis=0, return_index=True, return_inverse=True)
    return first, inverse.reshape(-1)


def _first_min(candidates, has_nan=None):
    """Least of ``(value, code)`` candidates with the tie and NaN rules of ``np.argmin``.

    The first of equal values wins; a NaN wins over any number, the first NaN over
    later ones. Values broadcast against each other; codes (int8) are numbers or
    arrays. ``has_nan`` False promises that no value is NaN.
    """
    values = [np.asarray(x, float) for x, _ in candidates]
    if has_nan is None:
        with np.errstate(invalid="ignore", over="ignore"):
            has_nan = any(np.isnan(np.sum(x)) for x in values)  # (or inf - inf: careful)
    val = values[0]
    shape = val.shape
    if any(x.shape != shape for x in values):
        shape = np.broadcast_shapes(*(x.shape for x in values))
    code = np.full(shape, candidates[0][1], np.int8)
    for x, (_, c) in zip(values[1:], candidates[1:], strict=True):
        if has_nan:
            with np.errstate(invalid="ignore"):
                take = ~(x >= val) & ~np.isnan(val)
        else:
            take = x < val
        val = np.where(take, x, val)
        np.copyto(code, c, where=take)
    return val, code


def _profile(tables, rows, v, steps, thermal: PackThermal | None = None,
             until: int | None = None, lean: bool = False,
             threads: int = 1, work: WorkArrays | None = None) -> ChargeProfile:  # fmt: skip
    """:func:`charge_profile` on tables indexed by row: ``tables`` are the (m, G) OCV,
    C-rate and vehicle power tables, ``rows`` the (n,) table row of each profile row and
    ``v`` the (n,) arrays of the scalar parameters, named as in :func:`charge_profile`.
    ``until``: march only the first ``until`` of the ``steps`` steps (the profile's
    arrays then end there; a row that runs to their end has ``stop_soc`` 1). ``lean``:
    keep only the tables :func:`charge_session` reads (``current`` and ``limit`` are
    None); a thermal ``lean`` march then runs compiled where numba is installed
    (:mod:`nevcalc.model._kernel`), its rows split among ``threads`` threads. ``work``:
    where its large tables come from (:class:`WorkArrays`; fresh arrays by default).

    The march runs on ``(G, n)`` arrays (one contiguous row per SoC step); the
    limits that do not depend on the march are evaluated once per distinct table row
    and window, then gathered.
    """
    ocv_t, c_rate_t, vp_t = tables
    ocv_r, c_rate_r, vp_r = rows
    n = ocv_r.size
    series, q = v["series_cells"], v["capacity"]
    lo, hi = v["cell_soc_low"], v["cell_soc_high"]
    span = hi - lo
    if not np.all(span > 0):
        k = int(np.flatnonzero(~(span > 0))[0])
        raise ValueError(
            f"cell SoC window {lo[k]:.4g}-{hi[k]:.4g} is empty: cell_soc_high must be above "
            "cell_soc_low"
        )
    s0 = v["soc_start"]
    if not np.all(s0 < 1.0):
        raise ValueError("soc_start must be below 1: there is nothing left to charge")
    r0 = v["resistance"]
    ch_i, ch_vmax, ch_vmin = (
        v["charger_current"],
        v["charger_voltage_max"],
        v["charger_voltage_min"],
    )
    booster_power = v["booster_power"]
    vmax = series * v["cell_voltage_max"]
    q_cell = q / span
    boost = (ch_vmax < vmax) & (booster_power > 0)
    r1, tau, t_d = v["polarization_resistance"], v["time_constant"], v["diffusion_time"]
    cutoff = v["cutoff_current"] if "cutoff_current" in v else q / (20 * 3600.0)

    g = steps + 1 if until is None else min(until, steps) + 1
    lin = np.linspace(0.0, 1.0, steps + 1)[:g, None]
    if n and np.all(s0 == s0[0]):  # one grid for every row: (G, 1) seen as (G, n)
        grid = np.broadcast_to(s0[0] + (1.0 - s0[0]) * lin, (g, n))
    else:
        grid = s0 + (1.0 - s0) * lin  # (G, n)
    ds = (1.0 - s0) / steps
    # below the charger's lowest voltage nothing flows (a booster adapts any voltage)
    s_min = np.full(n, -np.inf)
    # only where the pack starts below it (the first crossing then lies above the start)
    ocv_start = series * lookup(ocv_t, lo + span * s0, rows=ocv_r)
    low_side = ~boost & (ocv_start < ch_vmin)
    if np.any(low_side):
        s_min[low_side] = lowest_start_soc(
            ocv_t[ocv_r[low_side]], series[low_side], ch_vmin[low_side], lo[low_side],
            hi[low_side],
        )  # fmt: skip
    waiting = grid < s_min
    wait_step = waiting.any(axis=1)  # (G,) some row waits at this grid point

    def on_grid(table, table_rows, keys, cell, scale):
        """``scale * lookup(table, soc)`` on the grid once per distinct key: (G, u), and
        the key of each row."""
        first, inverse = _unique_columns(table_rows, keys)
        soc = grid[:, first]
        if cell:
            soc = lo[first] + span[first] * soc
        out = lookup(table, soc, rows=table_rows[first])
        return (out if scale is None else scale[first] * out), inverse

    ocv_u, ocv_i = on_grid(ocv_t, ocv_r, (lo, hi, s0, series), True, series)
    vp_u, vp_i = on_grid(vp_t, vp_r, (s0,), False, None)
    cr_u, cr_i = on_grid(c_rate_t, c_rate_r, (lo, hi, s0), True, None)
    # the least of each kind of limit and its code; the first listed wins a tie (the
    # limits that do not change with SoC are reduced once)
    charger_p = np.minimum(v["charger_power"], np.where(boost, ch_i * ch_vmax, np.inf))
    booster_p = np.where(boost, booster_power, np.inf)
    currents = (np.where(boost, np.inf, ch_i), v["vehicle_current"])
    row_current, row_ccode = _first_min(list(zip(currents, _CURRENT_LIMITS[:2], strict=True)))
    ceilings = (vmax, np.where(boost, np.inf, ch_vmax))
    volts, vcode = _first_min(list(zip(ceilings, _VOLTAGE_LIMITS, strict=True)))
    with np.errstate(invalid="ignore", over="ignore"):
        has_nan = any(np.isnan(np.sum(x)) for x in (charger_p, booster_p, row_current, vp_u,
                                                    cr_u, q_cell))  # fmt: skip
    may_be_inf = bool(np.isinf(charger_p).any() and np.isinf(vp_u).any())
    r4 = 4.0 * r0
    # where few rows differ in them (the members of a pair), the least power limit and
    # its code on the grid once per distinct (vehicle power table, charger and booster
    # power), and the cell C-rate limit [A] once per distinct (C-rate table, cell
    # capacity): (G, u), gathered point by point; else both point by point
    p_first, p_i = _unique_columns(vp_i, (charger_p, booster_p))
    c_first, c_i = _unique_columns(cr_i, (q_cell,))
    tabulated = 4 * max(p_first.size, c_first.size) <= n
    if tabulated:
        pw_u, pc_u = _first_min(list(zip(
            (charger_p[p_first], vp_u[:, vp_i[p_first]], booster_p[p_first]), _POWER_LIMITS,
            strict=True)), has_nan)  # fmt: skip
        crq_u = cr_u[:, cr_i[c_first]] * q_cell[c_first]

    class Column(NamedTuple):
        """The limits at one grid point that do not depend on the march, per row."""

        ocv: np.ndarray  #: pack OCV [V]
        power: np.ndarray  #: least power limit [W]
        pcode: np.ndarray
        current: np.ndarray  #: least current limit [A]
        ccode: np.ndarray
        p2: np.ndarray  #: 2 power, and 4 R0 power: the terms of current_from_power
        r4p: np.ndarray
        p_inf: np.ndarray | None  #: the power limit is inf (None: nowhere)
        r0: np.ndarray  #: pack R0 at this point's temperature [ohm]
        r1: np.ndarray  #: pack R1 at this point's temperature [ohm]

    def column(k):
        if tabulated:
            pw, pc = pw_u[k].take(p_i), pc_u[k].take(p_i)
            cr = crq_u[k].take(c_i)
        else:
            vp = vp_u[k].take(vp_i)
            pw, pc = _first_min(
                list(zip((charger_p, vp, booster_p), _POWER_LIMITS, strict=True)), has_nan
            )
            cr = cr_u[k].take(cr_i) * q_cell
        r0_k, r1_k, cr_code = r0, r1, _CURRENT_LIMITS[2]
        if thermal is not None:  # at the pack temperature of this point
            scale, factor = both_factors(temp_now)
            r0_k, r1_k = r0_rest * scale, r1 * scale
            if has_transfer:
                r0_k = r0_k + transfer(temp_now, i_last)
            cr = cr * factor
            cr_code = np.where(factor < 1.0, _COLD_CELL, cr_code).astype(np.int8, copy=False)
        cu, cc = _first_min([(row_current, row_ccode), (cr, cr_code)], has_nan)
        p_inf = np.isinf(pw) if may_be_inf else None
        with np.errstate(invalid="ignore"):  # 0 x inf at R0 = 0: the rows p_inf sets to inf
            r4p = (r4 if thermal is None else 4.0 * r0_k) * pw
        return Column(ocv_u[k].take(ocv_i), pw, pc, cu, cc, 2.0 * pw, r4p, p_inf, r0_k, r1_k)

    r0_pos = r0 > 0
    all_r0_pos = bool(np.all(r0_pos))

    # rows with particle diffusion read the OCV at the particle surface
    dif = np.flatnonzero(t_d > 0)
    n_dif = dif.size
    if n_dif == n:  # every row: slices, not gathers
        dif = slice(None)
    if n_dif:
        cell_d = lo[dif] + span[dif] * grid[:, dif]
        series_d, ocv_rd = series[dif], ocv_r[dif]
        k_d = t_d[dif] / (15.0 * q_cell[dif])
        ntau_d = -(t_d[dif] / _SPHERE_MODE)

    iv = np.empty(n)
    tmp = np.empty(n)
    mask = np.empty(n, bool)

    def current(k, col, eta, delta, out):
        """Current at grid point k with polarisation ``eta`` into ``out``; returns the
        voltage ``a`` (OCV + eta). ``iv`` holds the voltage-ceiling current."""
        a = col.ocv + eta
        if n_dif:
            a[dif] = series_d * lookup(ocv_t, cell_d[k] + delta, rows=ocv_rd) + eta[dif]
        np.multiply(a, a, out=tmp)
        np.add(tmp, col.r4p, out=tmp)
        np.sqrt(tmp, out=tmp)
        np.add(a, tmp, out=tmp)
        np.divide(col.p2, tmp, out=out)
        if col.p_inf is not None:
            np.copyto(out, np.inf, where=col.p_inf)
        np.subtract(volts, a, out=iv)
        np.maximum(iv, 0.0, out=iv)
        np.divide(iv, col.r0, out=iv)
        if not all_r0_pos:
            np.copyto(iv, np.inf, where=~r0_pos)
        np.minimum(out, col.current, out=out)
        np.minimum(out, iv, out=out)
        return a

    def code_of(k, col, i, i_v, into):
        """Binding-limit code of the current ``i`` (before clamping) at grid point k."""
        np.copyto(into, col.pcode)
        np.copyto(into, col.ccode, where=i == col.current)
        np.copyto(into, vcode, where=i == i_v)
        if wait_step[k]:
            np.copyto(into, _CHARGER_MIN_VOLTAGE, where=waiting[k])

    def clamp(k, i):
        """No current while waiting; a current that is not a number is none."""
        if wait_step[k]:
            np.copyto(i, 0.0, where=waiting[k])
        np.isfinite(i, out=mask)
        if not mask.all():
            np.copyto(i, 0.0, where=~mask)

    # current and limit code: as tables, or only the last two points and the last point
    cur_rows, code_rows = (2, 1) if lean else (g, g)  # point k in row k % these
    new = np if work is None else work
    current_out = np.empty((cur_rows, n)) if lean else new.empty((cur_rows, n))
    power = new.empty((g, n))
    limit = np.empty((code_rows, n), np.int8)
    # the cumulative tables in one block (:func:`_accumulated`): time, energy into the
    # terminals, the thermal-management electricity (a thermal march) and energy stored
    block = new.zeros((3 if thermal is None else 4, g, n))
    time, e_batt, e_stored = block[0], block[1], block[-1]
    is_taper = np.zeros(len(LIMIT_NAMES), bool)
    is_taper[list(TAPER_LIMITS)] = True
    floor = np.maximum(cutoff, np.finfo(float).tiny)  # a zero current is below it

    def ends(i, code, k):
        """Charging ends here: nothing flows, or a voltage ceiling tapered it off."""
        out = (i < floor) & (is_taper[code] | (i <= 0))
        return out & ~waiting[k] if wait_step[k] else out

    r1 = v["polarization_resistance"]
    if thermal is not None:
        temp_now, warm_time, warm_energy = warm_up(thermal, n)
        t_nodes = np.asarray(thermal.temperature_nodes, float)
        t_table = np.ascontiguousarray(
            np.broadcast_to(np.asarray(thermal.c_rate_factor, float), (n, t_nodes.size))
        )
        r_table = np.broadcast_to(np.asarray(thermal.resistance_factor, float),
                                  (n, t_nodes.size))  # fmt: skip
        # both factor tables at each node and the next side by side, (n * T, 4): one
        # look-up gives both either side
        r_flat, t_flat = r_table.reshape(-1), t_table.reshape(-1)
        quad = np.stack([r_flat, t_flat, np.roll(r_flat, -1), np.roll(t_flat, -1)], axis=1)
        t_first, t_step = float(t_nodes[0]), float(t_nodes[1] - t_nodes[0])
        uniform = bool(np.allclose(np.diff(t_nodes), t_step, rtol=0.0, atol=1e-9))
        row_base = np.arange(n) * t_nodes.size
        last_cell = t_nodes.size - 2

        def both_factors(t):
            """Resistance and C-rate factors at temperatures ``t`` (linear between nodes,
            held at the ends); evenly spaced nodes by arithmetic."""
            if uniform:
                x = np.clip((t - t_first) / t_step, 0.0, last_cell + 1.0)
                i = np.minimum(x.astype(np.intp), last_cell)
                w = x - i
                base = row_base + i
            else:
                base, w = _node_weights(t_nodes, t)
            q = quad.take(base, axis=0)
            r_f = q[:, 2] - q[:, 0]
            r_f *= w
            r_f += q[:, 0]
            c_f = q[:, 3] - q[:, 1]
            c_f *= w
            c_f += q[:, 1]
            return r_f, c_f

        th_amb, th_c, th_ua = (_rows(x, n) for x in (thermal.ambient, thermal.heat_capacity,
                                                     thermal.ua))  # fmt: skip
        th_heat, th_cool = _rows(thermal.heating_power, n), _rows(thermal.cooling_power, n)
        th_lo, th_hi = _rows(thermal.window_low, n), _rows(thermal.window_high, n)
        cop_h, cop_c = _rows(thermal.heating_cop, n), _rows(thermal.cooling_cop, n)
        temp = new.empty((g, n))
        temp[0] = temp_now
        e_thermal = block[2]

        rt_n, rt_p = (_rows(x, n) for x in thermal.transfer_resistance)
        ea_n, ea_p = (_rows(x, n) for x in thermal.transfer_activation_energy)
        has_transfer = bool(np.any(rt_n > 0) or np.any(rt_p > 0))
        r0_rest = r0 - rt_n - rt_p
        i_last = np.where(np.isfinite(row_current), row_current, q / 3600.0)

        def transfer(t, i):
            """Secant resistance of the Butler-Volmer charge transfer at both electrodes."""
            out = np.zeros(n)
            i = np.maximum(i, 1e-9 * q / 3600.0)
            for r25, ea in ((rt_n, ea_n), (rt_p, ea_p)):
                with np.errstate(divide="ignore", invalid="ignore"):
                    i0 = exchange_current(r25, t, ea)  # eta I / I^2: the secant resistance
                    secant = charge_transfer_heat(i, t, i0) / (i * i)
                out += np.where(r25 > 0, secant, 0.0)
            return out

        def heat_step(t, i, col, step, finite):
            """Pack temperature after ``step`` [s] at mean current ``i`` [A] from ``t``,
            and the thermal-management electricity over the step [J]."""
            h = np.where(finite, step, 0.0)
            joule = i * i * (col.r0 + col.r1)
            tms = thermal_management(t, th_lo, th_hi, th_heat, th_cool, th_c,
                                     np.where(h > 0, h, 1.0))  # fmt: skip
            t_next = lumped_temperature_step(t, joule + tms, th_amb, th_c, th_ua, h)
            power = np.where(tms > 0, tms / cop_h, -tms / cop_c)
            return t_next, power * h

    if thermal is not None and lean and tabulated and _kernel.available():
        # the same march, compiled (nevcalc.model._kernel): row by row, step by step
        def f64(x):
            return np.ascontiguousarray(np.broadcast_to(np.asarray(x, float), (n,)))

        def c2(x, dtype=float):
            return np.ascontiguousarray(x, dtype)

        def ix(x):
            return np.ascontiguousarray(x, np.intp)

        stop_code = np.empty(n, np.int64)
        _kernel.march(
            threads, g, c2(ocv_u), ix(ocv_i), c2(pw_u), c2(pc_u, np.int8), ix(p_i), c2(crq_u),
            ix(c_i),
            f64(row_current), c2(row_ccode, np.int8), f64(volts), c2(vcode, np.int8), f64(r0),
            f64(r0_rest), f64(r1), f64(tau), f64(q * ds), f64(q), f64(floor), c2(waiting, bool),
            c2(wait_step, bool), f64(s0), c2(lin[:, 0]), f64(s_min), is_taper, f64(t_d),
            f64(-(t_d / _SPHERE_MODE)), f64(series), c2(ocv_t), ix(ocv_r), f64(lo), f64(span),
            f64(t_d / (15.0 * q_cell)), f64(temp_now), f64(i_last), c2(t_nodes), c2(r_table),
            t_table, uniform, t_first, t_step, th_amb, th_c, th_ua, th_heat, th_cool, th_lo,
            th_hi, cop_h, cop_c, rt_n, rt_p, ea_n, ea_p, has_transfer, _CURRENT_LIMITS[2],
            _COLD_CELL, _CHARGER_MIN_VOLTAGE, power, time, e_batt, e_stored, e_thermal, temp,
            stop_code,
        )  # fmt: skip
    else:
        eta = np.zeros(n)
        delta = np.zeros(n_dif)
        i0 = current_out[0]
        col = column(0)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            a = current(0, col, eta, delta, i0)
        code_of(0, col, i0, iv, limit[0])
        clamp(0, i0)
        v0 = a + col.r0 * i0
        np.multiply(v0, i0, out=power[0])
        ocv0 = col.ocv
        running = ~ends(i0, limit[0], 0)
        stop_code = np.where(running, -1, limit[0]).astype(np.int64)
        dq = q * ds
        half_dq = 0.5 * dq
        ntau = -tau
        ip = np.empty(n)
        ip_raw = np.empty(n)
        iv_pred = np.empty(n)
        dt0 = np.empty(n)
        dt = np.empty(n)
        ex = np.empty(n)
        i_avg = np.empty(n)
        pos0 = np.empty(n, bool)
        fin = np.empty(n, bool)

        def relax(step, current_, eta_, delta_, r1_):
            """The RC branch's voltage (and the particle-surface SoC offset) after ``step``
            [s] at ``current_`` [A], exactly (exponential decay towards R1 I)."""
            np.divide(step, ntau, out=ex)
            np.exp(ex, out=ex)
            eta_ = eta_ * ex + (r1_ * current_) * (1.0 - ex)
            if n_dif:
                e_d = np.exp(step[dif] / ntau_d)
                delta_ = delta_ * e_d + (k_d * current_[dif]) * (1.0 - e_d)
            return eta_, delta_

        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            for k in range(g - 1):
                k1 = k + 1
                np.greater(i0, 0, out=pos0)
                dt0.fill(np.inf)
                np.divide(dq, i0, out=dt0, where=pos0)
                # predictor: the RC branch (and the particle surface) relaxed over dt0 at i0
                eta_pred, delta_pred = relax(dt0, i0, eta, delta, col.r1)
                col = column(k1)
                current(k1, col, eta_pred, delta_pred, ip)
                np.copyto(ip_raw, ip)
                np.copyto(iv_pred, iv)
                clamp(k1, ip)
                # Heun: the step's time from the currents at both ends
                dt.fill(np.inf)
                np.greater(ip, 0, out=mask)
                mask &= pos0
                np.divide(1.0, i0, out=tmp)
                tmp += 1.0 / ip
                np.multiply(half_dq, tmp, out=dt, where=mask)
                dq_k, half_k = dq, half_dq
                if wait_step[k]:
                    # waiting rows stay at t = 0; on the step where the pack reaches the
                    # charger's lowest voltage only the part above it is charged, at ip
                    w0, w1 = waiting[k], waiting[k1]
                    part = q * np.maximum(grid[k1] - s_min, 0.0)
                    dt[:] = np.where(
                        w0, np.where(w1, 0.0, np.where(ip > 0, part / ip, np.inf)), dt
                    )
                    dq_k = np.where(w0, np.where(w1, 0.0, part), dq)
                    half_k = 0.5 * dq_k
                np.isfinite(dt, out=fin)
                np.greater(dt, 0.0, out=mask)
                mask &= fin
                i_avg.fill(0.0)
                np.divide(dq_k, dt, out=i_avg, where=mask)
                # corrector
                eta, delta = relax(dt, i_avg, eta, delta, col.r1)
                i1 = current_out[k1 % cur_rows]
                a = current(k1, col, eta, delta, i1)
                code1 = limit[k1 % code_rows]
                code_of(k1, col, i1, iv, code1)
                clamp(k1, i1)
                v1 = a + col.r0 * i1
                np.multiply(v1, i1, out=power[k1])
                ocv1 = col.ocv
                # a row stops where its current is low (or the step did not close); most steps
                # of most rows are neither, and the rows that stopped are out of the running
                cand = ((i1 < floor) | ~fin) & running
                if cand.any():
                    now = cand & (ends(i1, code1, k1) | ~fin)
                    if now.any():
                        # no current at the predicted end of the step (a voltage ceiling
                        # reached): that limit stops it, whatever binds once relaxed
                        code_pred = np.empty(n, np.int8)
                        code_of(k1, col, ip_raw, iv_pred, code_pred)
                        stop_code = np.where(now, np.where(ip > 0, code1, code_pred), stop_code)
                        running &= ~now
                np.add(time[k], dt, out=time[k1])
                np.add(v0, v1, out=tmp)
                tmp *= half_k
                np.add(e_batt[k], tmp, out=e_batt[k1])
                np.add(ocv0, ocv1, out=tmp)
                tmp *= half_k
                np.add(e_stored[k], tmp, out=e_stored[k1])
                if thermal is not None:
                    if has_transfer:
                        i_last = np.where(i1 > 0, i1, i_last)
                    temp_now, th_power = heat_step(temp_now, i_avg, col, dt, fin)
                    temp[k1] = temp_now
                    e_thermal[k1] = e_thermal[k] + th_power
                if not running.all():
                    stopped = ~running
                    np.copyto(time[k1], np.inf, where=stopped)
                    np.copyto(e_batt[k1], e_batt[k], where=stopped)
                    np.copyto(e_stored[k1], e_stored[k], where=stopped)
                i0, v0, ocv0 = i1, v1, ocv1
    never = waiting[-1]  # the pack never reaches the charger's lowest voltage
    time[1:, never] = np.inf
    stop_code = np.where(never, _CHARGER_MIN_VOLTAGE, stop_code)
    finite = np.isfinite(time)
    if not lean:
        current_out[~finite] = 0.0  # nothing flows once charging has stopped
    power[~finite] = 0.0
    last = finite.sum(axis=0) - 1  # last reachable grid index
    full = last == g - 1
    stop_soc = np.where(full, 1.0, grid[last, np.arange(n)])
    stop_limit = np.where(full, -1, stop_code)
    extra = ()
    if thermal is not None:
        extra = (temp.T, e_thermal.T, warm_time, warm_energy)
    return ChargeProfile(
        s0, grid.T, None if lean else current_out.T, power.T, None if lean else limit.T,
        time.T, e_batt.T, e_stored.T,
        v["efficiency"], boost, stop_soc, stop_limit.astype(np.int64), np.maximum(s_min, s0),
        *extra,
    )  # fmt: skip


def _accumulated(profile: ChargeProfile) -> np.ndarray:
    """The block of a thermal profile fresh from its march holding its ``time``,
    ``energy_battery`` and ``thermal_energy`` (and ``energy_stored``) side by side, shape
    (4, grid point, row): one gather reads several of them."""
    time = profile.time.T  # (grid point, row): the block's first table
    parts = (profile.energy_battery, profile.thermal_energy, profile.energy_stored)
    if profile.thermal_energy is None or time.base is None or not time.flags.c_contiguous:
        raise ValueError("not a thermal profile as marched")
    size = time.nbytes

    def start(x):
        return x.__array_interface__["data"][0]

    for k, x in enumerate(parts, 1):
        if (x is None or x.base is not time.base or x.T.shape != time.shape
                or not x.T.flags.c_contiguous or start(x) != start(time) + k * size):  # fmt: skip
            raise ValueError("not a thermal profile as marched")
    return np.lib.stride_tricks.as_strided(time, (4, *time.shape), (size, *time.strides))


def _grid_position(profile: ChargeProfile, rows, soc):
    s0 = profile.soc_start[rows]
    steps = profile.soc.shape[1] - 1
    return (np.asarray(soc, float) - s0) / (1.0 - s0) * steps


def _at(table, rows, x):
    steps = table.shape[1] - 1
    x = np.clip(x, 0.0, steps)
    i0 = np.minimum(np.floor(x).astype(np.intp), steps - 1)
    f = x - i0
    lo, hi = table[rows, i0], table[rows, i0 + 1]
    with np.errstate(invalid="ignore"):
        out = lo + (hi - lo) * f
    # exactly on a grid point: do not mix in an infinite neighbour
    return np.where(f == 0.0, lo, np.where(f == 1.0, hi, out))


def charge_session(profile: ChargeProfile, rows, soc_from, soc_to) -> ChargeSession:
    """Time, energies and powers of charging sessions.

    A session that cannot reach ``soc_to`` ends where charging stops, or at
    ``soc_from`` when it cannot start (below the charger's lowest voltage, or
    above the SoC where the profile stops); its energies and
    ``charging_time`` are those up to that point, never negative.

    Parameters
    ----------
    profile : ChargeProfile
        From :func:`charge_profile`.
    rows : array_like of int
        Profile row of each session.
    soc_from, soc_to : array_like
        Displayed SoC at start and end [-], within the profile's
        ``soc_start``-100 %; a target at or below the start is a session of
        no time and no energy.

    Returns
    -------
    ChargeSession
        Arrays of the broadcast shape of ``rows``, ``soc_from``, ``soc_to``.

    Examples
    --------
    On the 1C (74 kW) pack of the module example, sessions from 10 % to three
    targets broadcast against one row: by hand 0.1, 0.4 and 0.7 h.

    >>> from nevcalc.model.tables import GRID_POINTS
    >>> flat = np.full(GRID_POINTS, 1.0)
    >>> profile = charge_profile(3.7 * flat, 100, 200 * 3600.0, 0.0, 74e3, np.inf, 1000.0,
    ...                          cell_voltage_max=4.2, c_rate=3 / 3600 * flat,
    ...                          vehicle_power=np.inf * flat)
    >>> session = charge_session(profile, 0, 0.1, [0.2, 0.5, 0.8])
    >>> np.round(session.duration), np.round(session.average_power / 1e3, 3)
    (array([ 360., 1440., 2520.]), array([74., 74., 74.]))
    """
    rows, a, b = np.broadcast_arrays(np.asarray(rows, np.intp), soc_from, soc_to)
    shape = rows.shape
    rows, a = rows.ravel(), a.astype(float).ravel()
    b = b.astype(float).ravel()  # a copy: raised to the start in place
    np.maximum(b, a, out=b)
    xa, xb = _grid_position(profile, rows, a), _grid_position(profile, rows, b)
    ta, tb = _at(profile.time, rows, xa), _at(profile.time, rows, xb)
    feasible = np.isfinite(tb)
    waits = np.any(profile.soc_min > profile.soc_start)  # a charger's lowest voltage binds
    if waits:
        can_start = a >= profile.soc_min[rows]
        feasible &= can_start
    with np.errstate(invalid="ignore"):
        duration = np.where(feasible, tb - ta, np.inf)
    # infeasible sessions end where charging stops, at least at their start, and not past
    # the last point the profile reached (its time table is inf beyond)
    bad = np.flatnonzero(~feasible)
    rb, ab = rows[bad], a[bad]
    end_bad = np.clip(profile.stop_soc[rb], ab, b[bad])
    if waits:
        end_bad = np.where(can_start[bad], end_bad, ab)
    last = np.isfinite(profile.time).sum(axis=1) - 1
    xe_bad = np.minimum(_grid_position(profile, rb, end_bad), last[rb])
    end, xe = b, xb  # b and xb are this call's own arrays: changed in place
    end[bad], xe[bad] = end_bad, xe_bad
    e_batt = _at(profile.energy_battery, rows, xe) - _at(profile.energy_battery, rows, xa)
    e_stored = _at(profile.energy_stored, rows, xe) - _at(profile.energy_stored, rows, xa)
    charging_time = duration.copy()
    moved = end_bad > ab
    te = _at(profile.time, rb, xe_bad)
    charging_time[bad] = np.where(moved, np.maximum(te - ta[bad], 0.0), 0.0)
    e_batt[bad] = np.where(moved, np.maximum(e_batt[bad], 0.0), 0.0)
    e_stored[bad] = np.where(moved, np.maximum(e_stored[bad], 0.0), 0.0)
    e_grid = e_batt / profile.efficiency[rows]
    with np.errstate(invalid="ignore", divide="ignore"):
        average = np.where(charging_time > 0, e_batt / charging_time, 0.0)
    peak = _range_max(profile.power, rows, xa, xe)
    peak[bad] = np.where(moved, peak[bad], 0.0)
    stop_limit = np.full(rows.shape, -1, np.int64)
    stop_bad = profile.stop_limit[rb]
    if waits:
        stop_bad = np.where(can_start[bad], stop_bad, _CHARGER_MIN_VOLTAGE)
    stop_limit[bad] = stop_bad
    e_thermal = np.zeros(rows.shape)
    if profile.temperature is not None:
        # a thermal profile starts at its session's start: the heater's warm-up before any
        # current flows is part of the session, and so is its electricity
        e_thermal = _at(profile.thermal_energy, rows, xe) - _at(profile.thermal_energy, rows, xa)
        e_thermal = np.maximum(e_thermal, 0.0) + profile.warmup_energy[rows]
        duration = duration + profile.warmup_time[rows]
        charging_time = charging_time + np.where(
            np.isfinite(profile.warmup_time[rows]), profile.warmup_time[rows], 0.0
        )
        e_grid = e_grid + e_thermal
    out = (duration, e_batt, e_stored, e_grid, average, peak, feasible, end, stop_limit,
           charging_time, e_thermal)  # fmt: skip
    return ChargeSession(*(x.reshape(shape) for x in out))


def _range_max(table, rows, xa, xb):
    """Max of a profile quantity between grid positions ``xa`` and ``xb`` per session."""
    steps = table.shape[1] - 1
    ends = np.maximum(_at(table, rows, xa), _at(table, rows, xb))
    ia = np.clip(np.ceil(xa).astype(np.intp), 0, steps)
    ib = np.clip(np.floor(xb).astype(np.intp), 0, steps)
    has_inner = ib >= ia
    # sessions often share their grid window (one start and end SoC): one slice each
    windows = distinct(ia[has_inner] * (steps + 1) + ib[has_inner])
    if windows.size <= 4:
        inner = np.full(ends.shape, -np.inf)
        for w in windows:
            lo, hi = divmod(int(w), steps + 1)
            sel = has_inner & (ia == lo) & (ib == hi)
            inner[sel] = np.max(table[rows[sel], lo : hi + 1], axis=1)
        return np.maximum(ends, inner)
    # else a sparse table of maxima over windows of 2**j grid points
    levels = [table]
    j = 1
    while (1 << j) <= steps + 1:
        prev = levels[-1]
        half = 1 << (j - 1)
        levels.append(np.maximum(prev[:, :-half], prev[:, half:]))
        j += 1
    length = np.maximum(ib - ia + 1, 1)
    lvl = np.floor(np.log2(length)).astype(np.intp)
    inner = np.full(ends.shape, -np.inf)
    for j, t in enumerate(levels):
        sel = has_inner & (lvl == j)
        if np.any(sel):
            r, a_, b_ = rows[sel], ia[sel], ib[sel] - (1 << j) + 1
            inner[sel] = np.maximum(t[r, a_], t[r, b_])
    return np.maximum(ends, inner)


def soc_after_time(profile: ChargeProfile, rows, soc_from, duration):
    """Displayed SoC reached after charging for ``duration`` from ``soc_from``.

    Parameters
    ----------
    profile : ChargeProfile
        From :func:`charge_profile`.
    rows : array_like of int
        Profile row of each session.
    soc_from : array_like
        Start SoC [-].
    duration : array_like
        Charging time [s].

    Returns
    -------
    numpy.ndarray
        SoC [-], never below ``soc_from``; where charging stops earlier, the
        SoC where it stops; ``soc_from`` where it cannot start.

    Examples
    --------
    21 minutes from 10 % on the packs of the module example, at 1C and at C/2: by
    hand 0.1 + 1260 / 3600 = 0.45 and 0.1 + 1260 / 7200 = 0.275.

    >>> from nevcalc.model.tables import GRID_POINTS
    >>> flat = np.full(GRID_POINTS, 1.0)
    >>> profile = charge_profile(3.7 * flat, 100, 200 * 3600.0, 0.0, [74e3, 37e3], np.inf,
    ...                          1000.0, cell_voltage_max=4.2, c_rate=3 / 3600 * flat,
    ...                          vehicle_power=np.inf * flat)
    >>> np.round(soc_after_time(profile, [0, 1], 0.1, 1260.0), 4)
    array([0.45 , 0.275])
    """
    rows, a, d = np.broadcast_arrays(np.asarray(rows, np.intp), soc_from, duration)
    a = a.astype(float)
    ta = _at(profile.time, rows, _grid_position(profile, rows, a))
    target = ta + d
    if profile.temperature is not None:  # the warm-up passes before any current flows
        target = target - np.where(np.isfinite(profile.warmup_time[rows]),
                                   profile.warmup_time[rows], np.inf)  # fmt: skip
    t = profile.time
    steps = t.shape[1] - 1
    # the last grid point each session reaches by ``target``: the rows of the time table
    # increase up to where charging stops (inf beyond); laid end to end with an offset of
    # span + 1 per row, a target past a row's last time lands in the next row
    last = np.isfinite(t).sum(axis=1) - 1
    span = np.max(t[np.arange(t.shape[0]), last]) + 1.0
    key = target + rows * (span + 1.0)
    if rows.size <= t.shape[0]:  # few sessions: count in their own rows
        offset = rows * (span + 1.0)
        within = (t[rows] + offset[..., None] <= key[..., None]).sum(axis=-1)
        beyond = np.where(rows + 1 < t.shape[0], (rows + 1) * (span + 1.0), np.inf)
        pos = np.where(key < beyond, within - 1, steps)
    else:  # many: search the table laid end to end
        offset = (np.arange(t.shape[0]) * (span + 1.0))[:, None]
        flat = np.where(np.isfinite(t), t + offset, np.inf).ravel()
        # rows are increasing within and offset between rows; inf tails break order, so clip
        flat = np.minimum.accumulate(flat[::-1])[::-1]
        pos = np.searchsorted(flat, key, side="right") - 1 - rows * (steps + 1)
    pos = np.clip(pos, 0, steps)
    t0 = t[rows, pos]
    t1 = t[rows, np.minimum(pos + 1, steps)]
    with np.errstate(invalid="ignore", divide="ignore"):
        f = np.where(np.isfinite(t1) & (t1 > t0), (target - t0) / (t1 - t0), 0.0)
    f = np.clip(f, 0.0, 1.0)
    s = profile.soc[rows, pos] + f * (
        profile.soc[rows, np.minimum(pos + 1, steps)] - profile.soc[rows, pos]
    )
    # never below the start (a start above the profile's stop stays where it is)
    s = np.maximum(np.minimum(s, profile.stop_soc[rows]), a)
    if np.any(profile.soc_min > profile.soc_start):
        s = np.where(a >= profile.soc_min[rows], s, a)
    return s


def binding_segments(profile: ChargeProfile, row: int, soc_from: float, soc_to: float):
    """Which limit binds over which SoC range, for one session.

    Parameters
    ----------
    profile : ChargeProfile
        From :func:`charge_profile`.
    row : int
        Profile row.
    soc_from, soc_to : float
        Session window [-].

    Returns
    -------
    list of tuple
        ``(soc_from, soc_to, limit_index)`` in order, SoC [-] and an index into
        :data:`LIMIT_NAMES`; adjacent grid points with the same binding limit are merged.

    Examples
    --------
    A 250 A charger on the 200 A h pack of the module example, with the cell limited
    to 1C (200 A) below 50 % and 1.5C (300 A) above: by hand the cell binds to
    50 % and the charger's 250 A after.

    >>> from nevcalc.model.tables import GRID_POINTS, resample
    >>> flat = np.full(GRID_POINTS, 1.0)
    >>> c_rate = resample([0.0, 0.5, 0.5001, 1.0], [1.0, 1.0, 1.5, 1.5]) / 3600
    >>> profile = charge_profile(3.7 * flat, 100, 200 * 3600.0, 0.0, np.inf, 250.0, 1000.0,
    ...                          cell_voltage_max=4.2, c_rate=c_rate,
    ...                          vehicle_power=np.inf * flat)
    >>> [(round(a, 3), round(b, 3), LIMIT_NAMES[k])
    ...  for a, b, k in binding_segments(profile, 0, 0.1, 0.8)]
    [(0.1, 0.5, 'cell C-rate'), (0.5, 0.8, 'charger current')]
    """
    s = profile.soc[row]
    lim = profile.limit[row]
    inside = (s > soc_from) & (s < soc_to)
    points = np.concatenate([[soc_from], s[inside], [soc_to]])
    mid = 0.5 * (points[:-1] + points[1:])
    steps = s.size - 1
    x = (mid - profile.soc_start[row]) / (1.0 - profile.soc_start[row]) * steps
    codes = lim[np.clip(np.rint(x).astype(int), 0, steps)]
    out: list[tuple[float, float, int]] = []
    for lo, hi, c in zip(points[:-1], points[1:], codes, strict=True):
        if out and out[-1][2] == c:
            out[-1] = (out[-1][0], float(hi), c)
        else:
            out.append((float(lo), float(hi), int(c)))
    return [seg for seg in out if seg[1] > seg[0]]
