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
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from nevcalc.model.tables import lookup

__all__ = [
    "LIMIT_NAMES",
    "TAPER_LIMITS",
    "ChargeProfile",
    "ChargeSession",
    "binding_segments",
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
)
_CHARGER_VOLTAGE = LIMIT_NAMES.index("charger voltage")
_CHARGER_MIN_VOLTAGE = LIMIT_NAMES.index("charger min voltage")
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


def _static_limits(disp_soc, cell_soc, p, waiting):
    """The limits that do not depend on polarisation, on the whole grid.

    ``waiting`` marks grid points below the SoC at which the pack reaches the
    charger's lowest voltage: nothing flows there.

    Returns a dict of grid arrays ``(n, G)``: the least power limit [W] and
    its code, the least current limit [A] and its code, the voltage ceiling
    [V] and its code, the pack OCV [V] and ``waiting``.
    """
    rows = p["rows"][:, None]
    ocv = p["series"][:, None] * lookup(p["ocv"], cell_soc, rows=rows)
    n, g = disp_soc.shape
    boost = p["booster"][:, None]
    inf = np.full((n, g), np.inf)

    def full(x):
        return np.broadcast_to(np.asarray(x, float)[:, None], (n, g))

    charger_p = np.minimum(
        full(p["charger_power"]),
        np.where(boost, full(p["charger_current"] * p["charger_vmax"]), np.inf),
    )
    vehicle_p = lookup(p["vehicle_power"], disp_soc, rows=rows)
    booster_p = np.where(boost, full(p["booster_power"]), inf)
    powers = np.stack([charger_p, vehicle_p, booster_p])
    charger_i = np.where(boost, inf, full(p["charger_current"]))
    c_rate_i = lookup(p["c_rate"], cell_soc, rows=rows) * p["cell_capacity_full"][:, None]
    currents = np.stack([charger_i, full(p["vehicle_current"]), c_rate_i])
    charger_v = np.where(boost, inf, full(p["charger_vmax"]))
    volts = np.stack([full(p["vmax"]), charger_v])
    pi, ci, vi = (np.argmin(x, axis=0) for x in (powers, currents, volts))
    pick = np.take_along_axis
    vcode = np.asarray(_VOLTAGE_LIMITS)[vi]
    return {
        "power": pick(powers, pi[None], 0)[0],
        "pcode": np.asarray(_POWER_LIMITS)[pi],
        "current": pick(currents, ci[None], 0)[0],
        "ccode": np.asarray(_CURRENT_LIMITS)[ci],
        "volts": pick(volts, vi[None], 0)[0],
        "vcode": np.where(waiting, _CHARGER_MIN_VOLTAGE, vcode),
        "ocv": ocv,
        "waiting": waiting,
        "any_waiting": bool(np.any(waiting)),
    }


def _current(k, eta, st, r0, ocv_surface=None):
    """Current and binding-limit code at grid column ``k`` with polarisation ``eta``.

    ``ocv_surface`` replaces the bulk OCV when particle diffusion is modelled.
    """
    a = (st["ocv"][:, k] if ocv_surface is None else ocv_surface) + eta
    i_p = current_from_power(st["power"][:, k], a, r0)
    with np.errstate(divide="ignore", invalid="ignore"):
        i_v = np.where(r0 > 0, np.maximum(st["volts"][:, k] - a, 0.0) / r0, np.inf)
    cur = st["current"][:, k]
    i = np.minimum(np.minimum(i_p, cur), i_v)
    code = np.where(i == i_v, st["vcode"][:, k], np.where(i == cur, st["ccode"][:, k],
                                                          st["pcode"][:, k]))  # fmt: skip
    if st["any_waiting"]:
        waiting = st["waiting"][:, k]
        code = np.where(waiting, _CHARGER_MIN_VOLTAGE, code)
        i = np.where(waiting, 0.0, i)
    return np.where(np.isfinite(i), i, 0.0), code, a


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

    Returns
    -------
    ChargeProfile

    Raises
    ------
    ValueError
        When a row's cell SoC window is empty or inverted, or ``soc_start``
        is not below 1.
    """
    ocv = np.atleast_2d(np.asarray(ocv, float))
    c_rate = np.atleast_2d(np.asarray(c_rate, float))
    vehicle_power = np.atleast_2d(np.asarray(vehicle_power, float))
    per_row = (
        series_cells, capacity, resistance, charger_power, charger_current, charger_voltage_max,
        charger_voltage_min, polarization_resistance, time_constant, diffusion_time,
        cell_voltage_max, vehicle_current, booster_power, efficiency, cell_soc_low,
        cell_soc_high, soc_start,
    )  # fmt: skip
    n = max(ocv.shape[0], c_rate.shape[0], vehicle_power.shape[0], *map(np.size, per_row))

    def col(x):
        return np.broadcast_to(np.asarray(x, float), (n,)).copy()

    def tab(t):
        return np.broadcast_to(t, (n, t.shape[-1]))

    series = col(series_cells)
    q = col(capacity)
    lo, hi = col(cell_soc_low), col(cell_soc_high)
    span = hi - lo
    if not np.all(span > 0):
        k = int(np.flatnonzero(~(span > 0))[0])
        raise ValueError(
            f"cell SoC window {lo[k]:.4g}-{hi[k]:.4g} is empty: cell_soc_high must be above "
            "cell_soc_low"
        )
    s0 = col(soc_start)
    if not np.all(s0 < 1.0):
        raise ValueError("soc_start must be below 1: there is nothing left to charge")
    p = {
        "rows": np.arange(n),
        "ocv": tab(ocv),
        "c_rate": tab(c_rate),
        "vehicle_power": tab(vehicle_power),
        "series": series,
        "r0": col(resistance),
        "charger_power": col(charger_power),
        "charger_current": col(charger_current),
        "charger_vmax": col(charger_voltage_max),
        "charger_vmin": col(charger_voltage_min),
        "vehicle_current": col(vehicle_current),
        "booster_power": col(booster_power),
        "vmax": series * col(cell_voltage_max),
        "cell_capacity_full": q / span,
    }
    p["booster"] = (p["charger_vmax"] < p["vmax"]) & (p["booster_power"] > 0)
    r1, tau = col(polarization_resistance), col(time_constant)
    t_d = col(diffusion_time)
    diffusion = bool(np.any(t_d > 0))
    cutoff = q / (20 * 3600.0) if cutoff_current is None else col(cutoff_current)

    grid = s0[:, None] + (1.0 - s0)[:, None] * np.linspace(0.0, 1.0, steps + 1)[None, :]
    ds = (1.0 - s0) / steps
    # below the charger's lowest voltage nothing flows (a booster adapts any voltage)
    s_min = np.full(n, -np.inf)
    # only where the pack starts below it (the first crossing then lies above the start)
    ocv_start = series * lookup(p["ocv"], lo + span * s0, rows=p["rows"])
    low_side = ~p["booster"] & (ocv_start < p["charger_vmin"])
    if np.any(low_side):
        s_min[low_side] = lowest_start_soc(
            p["ocv"][low_side], series[low_side], p["charger_vmin"][low_side], lo[low_side],
            hi[low_side],
        )  # fmt: skip
    waiting = grid < s_min[:, None]
    any_waiting = bool(np.any(waiting))
    shape = (n, steps + 1)
    current = np.empty(shape)
    power = np.empty(shape)
    limit = np.empty(shape, np.int8)
    time = np.zeros(shape)
    e_batt = np.zeros(shape)
    e_stored = np.zeros(shape)

    cell_grid = lo[:, None] + span[:, None] * grid
    st = _static_limits(grid, cell_grid, p, waiting)
    r0 = p["r0"]
    q_cell = p["cell_capacity_full"]
    is_taper = np.zeros(len(LIMIT_NAMES), bool)
    is_taper[list(TAPER_LIMITS)] = True

    def at(k, eta, delta):
        """Current, limit code, bulk OCV and terminal voltage at column k."""
        surface = None
        if diffusion:
            surface = series * lookup(p["ocv"], cell_grid[:, k] + delta, rows=p["rows"])
        i, code, a = _current(k, eta, st, r0, surface)
        return i, code, st["ocv"][:, k], a + r0 * i

    floor = np.maximum(cutoff, np.finfo(float).tiny)  # a zero current is below it

    def ends(i, code, k):
        """Charging ends here: nothing flows, or a voltage ceiling tapered it off."""
        out = (i < floor) & (is_taper[code] | (i <= 0))
        return out & ~waiting[:, k] if any_waiting else out

    eta = np.zeros(n)
    delta = np.zeros(n)
    i0, idx0, ocv0, v0 = at(0, eta, delta)
    current[:, 0], limit[:, 0] = i0, idx0
    power[:, 0] = v0 * i0
    running = ~ends(i0, idx0, 0)
    stop_code = np.where(running, -1, idx0)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        for k in range(steps):
            dq = q * ds
            dt0 = np.where(i0 > 0, dq / i0, np.inf)
            eta_pred = _relax(eta, i0, dt0, r1, tau)
            delta_pred = _relax(delta, i0, dt0, t_d / (15.0 * q_cell), t_d / _SPHERE_MODE)
            ip, idx_pred, *_ = at(k + 1, eta_pred, delta_pred)
            dt = np.where((i0 > 0) & (ip > 0), 0.5 * dq * (1.0 / i0 + 1.0 / ip), np.inf)
            if any_waiting:
                # waiting rows stay at t = 0; on the step where the pack reaches the
                # charger's lowest voltage only the part above it is charged, at ip
                w0, w1 = waiting[:, k], waiting[:, k + 1]
                part = q * np.maximum(grid[:, k + 1] - s_min, 0.0)
                dt = np.where(w0, np.where(w1, 0.0, np.where(ip > 0, part / ip, np.inf)), dt)
                dq = np.where(w0, np.where(w1, 0.0, part), dq)
            fin = np.isfinite(dt)
            i_avg = np.where(fin & (dt > 0) if any_waiting else fin, dq / dt, 0.0)
            eta = _relax(eta, i_avg, dt, r1, tau)
            delta = _relax(delta, i_avg, dt, t_d / (15.0 * q_cell), t_d / _SPHERE_MODE)
            i1, idx1, ocv1, v1 = at(k + 1, eta, delta)
            # a row stops where its current is low (or the step did not close); most steps
            # of most rows are neither, and the rows that stopped are out of the running
            cand = ((i1 < floor) | ~fin) & running
            if cand.any():
                now = cand & (ends(i1, idx1, k + 1) | ~fin)
                # no current at the predicted end of the step (a voltage ceiling reached):
                # that limit stops it, whatever binds once the polarisation has relaxed
                stop_code = np.where(now, np.where(ip > 0, idx1, idx_pred), stop_code)
                running = running & ~now
            current[:, k + 1], limit[:, k + 1], power[:, k + 1] = i1, idx1, v1 * i1
            time[:, k + 1] = np.where(running, time[:, k] + dt, np.inf)
            # dq is the charge of the step: 0 while waiting, the part above on the start step
            e_batt[:, k + 1] = e_batt[:, k] + np.where(running, 0.5 * dq * (v0 + v1), 0.0)
            e_stored[:, k + 1] = e_stored[:, k] + np.where(running, 0.5 * dq * (ocv0 + ocv1), 0.0)
            i0, ocv0, v0 = i1, ocv1, v1
    never = waiting[:, -1]  # the pack never reaches the charger's lowest voltage
    time[never, 1:] = np.inf
    stop_code = np.where(never, _CHARGER_MIN_VOLTAGE, stop_code)
    finite = np.isfinite(time)
    current[~finite] = 0.0  # nothing flows once charging has stopped
    power[~finite] = 0.0
    last = finite.sum(axis=1) - 1  # last reachable grid index
    full = last == steps
    stop_soc = np.where(full, 1.0, grid[np.arange(n), last])
    stop_limit = np.where(full, -1, stop_code)
    return ChargeProfile(
        s0, grid, current, power, limit, time, e_batt, e_stored,
        col(efficiency), p["booster"], stop_soc, stop_limit.astype(np.int64),
        np.maximum(s_min, s0),
    )  # fmt: skip


def _relax(eta, current, dt, r1, tau):
    """Exact update of an RC branch over ``dt`` at constant ``current``."""
    with np.errstate(over="ignore", invalid="ignore"):
        a = np.exp(-np.where(np.isfinite(dt), dt, np.inf) / tau)
    return eta * a + r1 * current * (1.0 - a)


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
    out = (duration, e_batt, e_stored, e_grid, average, peak, feasible, end, stop_limit,
           charging_time)  # fmt: skip
    return ChargeSession(*(x.reshape(shape) for x in out))


def _range_max(table, rows, xa, xb):
    """Max of a profile quantity between grid positions ``xa`` and ``xb`` per session."""
    steps = table.shape[1] - 1
    ends = np.maximum(_at(table, rows, xa), _at(table, rows, xb))
    ia = np.clip(np.ceil(xa).astype(np.intp), 0, steps)
    ib = np.clip(np.floor(xb).astype(np.intp), 0, steps)
    has_inner = ib >= ia
    # sparse table of maxima over windows of 2**j grid points
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
    """
    rows, a, d = np.broadcast_arrays(np.asarray(rows, np.intp), soc_from, duration)
    a = a.astype(float)
    ta = _at(profile.time, rows, _grid_position(profile, rows, a))
    target = ta + d
    t = profile.time
    steps = t.shape[1] - 1
    big = np.where(np.isfinite(t), t, np.nan)
    span = np.nanmax(big) + 1.0 if np.any(np.isfinite(big)) else 1.0
    offset = (np.arange(t.shape[0]) * (span + 1.0))[:, None]
    flat = np.where(np.isfinite(t), t + offset, np.inf).ravel()
    # rows are increasing within and offset between rows; inf tails break order, so clip
    flat = np.minimum.accumulate(flat[::-1])[::-1]
    key = target + rows * (span + 1.0)
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
    row : int
        Profile row.
    soc_from, soc_to : float
        Session window [-].

    Returns
    -------
    list of tuple
        ``(soc_from, soc_to, limit_index)`` in order; adjacent grid points with
        the same binding limit are merged.
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
