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
    "ChargeProfile",
    "ChargeSession",
    "binding_segments",
    "charge_profile",
    "charge_session",
    "current_from_power",
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
)
_CHARGER_VOLTAGE = LIMIT_NAMES.index("charger voltage")
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
    time: np.ndarray  #: cumulative time from soc_start [s]; inf once charging has stopped
    energy_battery: np.ndarray  #: cumulative energy into the pack terminals [J]
    energy_stored: np.ndarray  #: cumulative energy stored (OCV x charge) [J]
    efficiency: np.ndarray  #: (n,) grid-to-pack-terminal efficiency [-]
    booster: np.ndarray  #: (n,) the DC booster is in use [bool]
    stop_soc: np.ndarray  #: (n,) SoC at which charging stops (1.0 if it does not) [-]
    stop_limit: np.ndarray  #: (n,) limit binding where charging stopped, -1 if it does not


class ChargeSession(NamedTuple):
    """Answers for sessions; every array has the shape of the broadcast inputs."""

    duration: np.ndarray  #: [s]; inf when the target cannot be reached
    energy_to_battery: np.ndarray  #: at the pack terminals [J]
    energy_stored: np.ndarray  #: stored, net of the pack's I^2 R losses [J]
    energy_from_grid: np.ndarray  #: incl. charger (and on-board charger) losses [J]
    average_power: np.ndarray  #: at the pack terminals [W]
    peak_power: np.ndarray  #: at the pack terminals [W]
    feasible: np.ndarray  #: the target SoC is reached [bool]
    stop_soc: np.ndarray  #: SoC where charging stops when not feasible [-]
    stop_limit: np.ndarray  #: limit that stops it, -1 when feasible [int]


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


def _static_limits(disp_soc, cell_soc, p):
    """The limits that do not depend on polarisation, on the whole grid.

    Returns the least power limit [W] and its code, the least current limit
    [A] and its code, the voltage ceiling [V] and its code, and the pack OCV
    [V]; every array has the shape of the grid ``(n, G)``.
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
    # below the charger's lowest voltage nothing flows
    too_low = ~p["booster"][:, None] & (ocv < full(p["charger_vmin"]))
    volts = np.where(too_low[None], np.stack([full(p["vmax"]), ocv]), volts)
    pi, ci, vi = (np.argmin(x, axis=0) for x in (powers, currents, volts))
    pick = np.take_along_axis
    return (
        pick(powers, pi[None], 0)[0],
        np.asarray(_POWER_LIMITS)[pi],
        pick(currents, ci[None], 0)[0],
        np.asarray(_CURRENT_LIMITS)[ci],
        pick(volts, vi[None], 0)[0],
        np.asarray(_VOLTAGE_LIMITS)[vi],
        ocv,
    )


def _current(k, eta, st, r0, ocv_surface=None):
    """Current and binding-limit code at grid column ``k`` with polarisation ``eta``.

    ``ocv_surface`` replaces the bulk OCV when particle diffusion is modelled.
    """
    power, pcode, cur, ccode, vlim, vcode, ocv = st
    a = (ocv[:, k] if ocv_surface is None else ocv_surface) + eta
    i_p = current_from_power(power[:, k], a, r0)
    with np.errstate(divide="ignore", invalid="ignore"):
        i_v = np.where(r0 > 0, np.maximum(vlim[:, k] - a, 0.0) / r0, np.inf)
    i = np.minimum(np.minimum(i_p, cur[:, k]), i_v)
    code = np.where(i == i_v, vcode[:, k], np.where(i == cur[:, k], ccode[:, k], pcode[:, k]))
    return np.where(np.isfinite(i), i, 0.0), code, a


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
        Cell SoC at displayed 0 % and 100 % [-].
    soc_start : array_like
        Displayed SoC where the charge starts, at rest [-].
    cutoff_current : array_like, optional
        Charging stops when the current falls below this [A]; C/20 of
        ``capacity`` by default.
    steps : int
        SoC steps from ``soc_start`` to 100 %.

    Returns
    -------
    ChargeProfile
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
    s0 = col(soc_start)
    cutoff = q / (20 * 3600.0) if cutoff_current is None else col(cutoff_current)

    grid = s0[:, None] + (1.0 - s0)[:, None] * np.linspace(0.0, 1.0, steps + 1)[None, :]
    ds = (1.0 - s0) / steps
    shape = (n, steps + 1)
    current = np.empty(shape)
    power = np.empty(shape)
    limit = np.empty(shape, np.int8)
    time = np.zeros(shape)
    e_batt = np.zeros(shape)
    e_stored = np.zeros(shape)

    st = _static_limits(grid, lo[:, None] + span[:, None] * grid, p)
    r0 = p["r0"]

    cell_grid = lo[:, None] + span[:, None] * grid
    q_cell = p["cell_capacity_full"]

    def at(k, eta, delta):
        """Current, limit code, bulk OCV and terminal voltage at column k."""
        surface = None
        if diffusion:
            surface = series * lookup(p["ocv"], cell_grid[:, k] + delta, rows=p["rows"])
        i, code, a = _current(k, eta, st, r0, surface)
        return i, code, st[-1][:, k], a + r0 * i

    eta = np.zeros(n)
    delta = np.zeros(n)
    i0, idx0, ocv0, v0 = at(0, eta, delta)
    current[:, 0], limit[:, 0] = i0, idx0
    power[:, 0] = v0 * i0
    stopped = i0 < cutoff
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        for k in range(steps):
            dq = q * ds
            dt0 = np.where(i0 > 0, dq / i0, np.inf)
            eta_pred = _relax(eta, i0, dt0, r1, tau)
            delta_pred = _relax(delta, i0, dt0, t_d / (15.0 * q_cell), t_d / _SPHERE_MODE)
            i1, *_ = at(k + 1, eta_pred, delta_pred)
            dt = np.where((i0 > 0) & (i1 > 0), 0.5 * dq * (1.0 / i0 + 1.0 / i1), np.inf)
            i_avg = np.where(np.isfinite(dt), dq / dt, 0.0)
            eta = _relax(eta, i_avg, dt, r1, tau)
            delta = _relax(delta, i_avg, dt, t_d / (15.0 * q_cell), t_d / _SPHERE_MODE)
            i1, idx1, ocv1, v1 = at(k + 1, eta, delta)
            stopped = stopped | (i1 < cutoff) | ~np.isfinite(dt)
            current[:, k + 1], limit[:, k + 1], power[:, k + 1] = i1, idx1, v1 * i1
            time[:, k + 1] = np.where(stopped, np.inf, time[:, k] + dt)
            e_batt[:, k + 1] = e_batt[:, k] + np.where(stopped, 0.0, 0.5 * dq * (v0 + v1))
            e_stored[:, k + 1] = e_stored[:, k] + np.where(stopped, 0.0, 0.5 * dq * (ocv0 + ocv1))
            i0, ocv0, v0 = i1, ocv1, v1
    finite = np.isfinite(time)
    last = finite.sum(axis=1) - 1  # last reachable grid index
    full = last == steps
    stop_soc = np.where(full, 1.0, grid[np.arange(n), last])
    stop_limit = np.where(full, -1, limit[np.arange(n), np.minimum(last + 1, steps)])
    return ChargeProfile(
        s0, grid, current, power, limit, time, e_batt, e_stored,
        col(efficiency), p["booster"], stop_soc, stop_limit.astype(np.int64),
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

    Parameters
    ----------
    profile : ChargeProfile
        From :func:`charge_profile`.
    rows : array_like of int
        Profile row of each session.
    soc_from, soc_to : array_like
        Displayed SoC at start and end [-]; ``soc_from`` must not lie below
        the profile's ``soc_start``.

    Returns
    -------
    ChargeSession
        Arrays of the broadcast shape of ``rows``, ``soc_from``, ``soc_to``.
    """
    rows, a, b = np.broadcast_arrays(np.asarray(rows, np.intp), soc_from, soc_to)
    a, b = a.astype(float), b.astype(float)
    xa, xb = _grid_position(profile, rows, a), _grid_position(profile, rows, b)
    ta, tb = _at(profile.time, rows, xa), _at(profile.time, rows, xb)
    with np.errstate(invalid="ignore"):
        duration = np.where(np.isinf(tb), np.inf, tb - ta)
    feasible = np.isfinite(duration)
    e_batt = _at(profile.energy_battery, rows, xb) - _at(profile.energy_battery, rows, xa)
    e_stored = _at(profile.energy_stored, rows, xb) - _at(profile.energy_stored, rows, xa)
    e_grid = e_batt / profile.efficiency[rows]
    with np.errstate(invalid="ignore", divide="ignore"):
        average = np.where(feasible & (duration > 0), e_batt / duration, 0.0)
    peak = _range_max(profile.power, rows, xa, xb)
    stop_soc = np.where(feasible, b, profile.stop_soc[rows])
    stop_limit = np.where(feasible, -1, profile.stop_limit[rows])
    return ChargeSession(
        duration, e_batt, e_stored, e_grid, average, peak, feasible, stop_soc, stop_limit
    )


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
        SoC [-]; where charging stops earlier, the SoC where it stops.
    """
    rows, a, d = np.broadcast_arrays(np.asarray(rows, np.intp), soc_from, duration)
    ta = _at(profile.time, rows, _grid_position(profile, rows, a.astype(float)))
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
    return np.minimum(s, profile.stop_soc[rows])


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
