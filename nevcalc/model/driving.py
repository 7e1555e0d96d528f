"""Road-load energy of a vehicle on a drive cycle, step by step or in closed form.

For each step ``i`` of a speed trace (``dt = t[i] - t[i-1]``, ``v_avg`` the
mean of the speeds at its ends) the power at the wheels is

.. math::

    P_w = \\frac{(m + m_r)(v_i^2 - v_{i-1}^2)}{2\\,dt}
          + \\tfrac12 \\rho\\, C_dA\\, \\bar v^3
          + m g C_{rr} \\cos\\theta\\, \\bar v + m g \\sin\\theta\\, \\bar v

with ``m_r`` the rotating-mass equivalent of wheels and drivetrain. It
passes the transmission (efficiency ``eta_t``) and the motor, whose
efficiency is a part-load table over ``|P| / P_max`` or a constant, with its
own efficiency when recovering; regenerative power is capped and only the
share ``regen_fraction`` of braking is recovered (friction brakes take the
rest). Auxiliary power is added, and the battery sees
``P_b = P/eta_b`` when discharging and ``P eta_b`` when charging. Energy is
``sum(P_b dt)``; consumption is energy over distance ``sum(v_i dt)``.

Shapes: cycle arrays are 1-D over time; every vehicle parameter broadcasts
and gets a trailing time axis, so ``mass`` of shape ``(n,)`` gives ``n``
answers. Pure numpy on SI floats.

References
----------
.. [1] NREL, FASTSim (Future Automotive Systems Technology Simulator),
   https://github.com/NREL/fastsim; nevcalc agrees with it on the same parameters
   (``tests/reference/fastsim_results.csv``).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

__all__ = [
    "CycleTerms",
    "G",
    "battery_power",
    "consumption_constant_efficiency",
    "cycle_energy",
    "cycle_terms",
    "wheel_power",
]

#: Standard gravity [m s^-2].
G = 9.80665


class CycleTerms(NamedTuple):
    """What a cycle contributes per step, independent of the vehicle.

    ``P_w = m * inertial + m_r * inertial + cda * aero + m * crr * rolling + m * climb``
    """

    dt: np.ndarray  #: [s]
    inertial: np.ndarray  #: (v_i^2 - v_{i-1}^2) / (2 dt) [m s^-2 * m s^-1]
    aero: np.ndarray  #: 0.5 * v_avg^3 (times air density * CdA) [m^3 s^-3]
    rolling: np.ndarray  #: g cos(theta) v_avg [m^2 s^-3]
    climb: np.ndarray  #: g sin(theta) v_avg [m^2 s^-3]
    distance: float  #: sum(v_i dt) [m]


def cycle_terms(time, speed, grade=None, gravity: float = G) -> CycleTerms:
    """Per-step terms of the road-load equation for one cycle.

    Parameters
    ----------
    time : array_like
        [s], strictly increasing.
    speed : array_like
        [m s^-1].
    grade : array_like, optional
        Rise over run [-] at each sample; the value at the end of a step applies.
    gravity : float
        [m s^-2].

    Returns
    -------
    CycleTerms
        Per-step arrays of shape ``(len(time) - 1,)`` and the distance ``sum(v_i dt)``
        [m] (the speed at the end of each step, as FASTSim counts it).

    Examples
    --------
    One 10 s step from rest to 20 m/s, by hand: (20^2 - 0) / (2 * 10) = 20 m^2 s^-3
    inertial, 0.5 * 10^3 = 500 m^3 s^-3 aero at the mean speed, 9.80665 * 10 rolling,
    and 20 m/s * 10 s = 200 m.

    >>> terms = cycle_terms([0.0, 10.0], [0.0, 20.0])
    >>> terms.inertial, terms.aero, np.round(terms.rolling, 4), terms.distance
    (array([20.]), array([500.]), array([98.0665]), 200.0)
    """
    t = np.asarray(time, float)
    v = np.asarray(speed, float)
    dt = np.diff(t)
    v_avg = 0.5 * (v[1:] + v[:-1])
    theta = np.arctan(np.asarray(grade, float)[1:]) if grade is not None else np.zeros_like(dt)
    return CycleTerms(
        dt=dt,
        inertial=(v[1:] ** 2 - v[:-1] ** 2) / (2.0 * dt),
        aero=0.5 * v_avg**3,
        rolling=gravity * np.cos(theta) * v_avg,
        climb=gravity * np.sin(theta) * v_avg,
        distance=float(np.sum(v[1:] * dt)),
    )


def wheel_power(terms: CycleTerms, mass, cda, crr, air_density=1.2, rotating_mass=0.0):
    """Power at the wheels at each step [W].

    Parameters
    ----------
    terms : CycleTerms
        From :func:`cycle_terms`.
    mass : array_like
        Test mass [kg].
    cda : array_like
        Drag area Cd x A [m^2].
    crr : array_like
        Rolling resistance coefficient [-].
    air_density : array_like
        [kg m^-3].
    rotating_mass : array_like
        Equivalent mass of rotating parts [kg].

    Returns
    -------
    numpy.ndarray
        [W], shape ``broadcast(params) + (steps,)``.

    Examples
    --------
    Cruising at 25 m/s: by hand 1/2 rho CdA v^3 = 0.5 * 1.2 * 0.6 * 25^3 = 5625 W plus
    m g Crr v = 1500 * 9.80665 * 0.01 * 25 = 3677.5 W (4903.3 W at 2000 kg); one row
    per mass.

    >>> terms = cycle_terms([0.0, 100.0], [25.0, 25.0])
    >>> np.round(wheel_power(terms, mass=[1500.0, 2000.0], cda=0.6, crr=0.01), 1)
    array([[ 9302.5],
           [10528.3]])
    """
    m = np.asarray(mass, float)[..., None]
    return (
        (m + np.asarray(rotating_mass, float)[..., None]) * terms.inertial
        + (np.asarray(air_density, float) * np.asarray(cda, float))[..., None] * terms.aero
        + m * np.asarray(crr, float)[..., None] * terms.rolling
        + m * terms.climb
    )


def battery_power(
    p_wheel,
    *,
    transmission_efficiency=1.0,
    motor_efficiency=0.9,
    motor_power=np.inf,
    motor_efficiency_breakpoints=None,
    motor_efficiency_interpolation="linear",
    regen_efficiency=None,
    regen_fraction=1.0,
    regen_power=np.inf,
    aux_power=0.0,
    battery_efficiency=1.0,
    battery_efficiency_breakpoints=None,
    battery_energy=None,
):
    """Battery power [W] (positive = discharge) from wheel power [W].

    Parameters
    ----------
    p_wheel : array_like
        Wheel power, last axis time [W].
    transmission_efficiency : array_like
        [-], applied both ways.
    motor_efficiency : array_like
        A constant [-], or with ``motor_efficiency_breakpoints`` a table of
        efficiencies over ``|P_motor| / motor_power`` (last axis).
    motor_power : array_like
        Rated motor power [W] (for the part-load table).
    motor_efficiency_breakpoints : array_like, optional
        ``|P| / P_max`` breakpoints of the table [-].
    motor_efficiency_interpolation : {"linear", "step"}
        Between breakpoints: linear, or the value of the breakpoint at or
        below (FASTSim's ``LeftNearest``).
    regen_efficiency : array_like, optional
        Motor efficiency when recovering [-]; the traction efficiency if None.
    regen_fraction : array_like
        Share of braking power sent to the motor [-].
    regen_power : array_like
        Highest recovered electrical power [W].
    aux_power : array_like
        Auxiliary electrical load [W].
    battery_efficiency : array_like
        One-way battery efficiency [-], or with
        ``battery_efficiency_breakpoints`` a table against C-rate.
    battery_efficiency_breakpoints : array_like, optional
        Signed C-rate breakpoints [s^-1] (positive = discharge), increasing.
    battery_energy : array_like, optional
        Battery energy that defines the C-rate, ``C = P / E`` [J].

    Returns
    -------
    numpy.ndarray
        [W], the shape of ``p_wheel`` broadcast against the parameters.

    Examples
    --------
    10 kW of traction through a 90 % motor with 500 W of auxiliaries, by hand
    10 000 / 0.9 + 500 = 11 611.1 W; 10 kW of braking recovered at 90 % less the same
    500 W is -9000 + 500 = -8500 W (charging).

    >>> np.round(battery_power([10e3, -10e3], motor_efficiency=0.9, aux_power=500.0), 1)
    array([11611.1, -8500. ])
    """

    def col(x):
        return np.asarray(x, float)[..., None]

    p = np.asarray(p_wheel, float)
    eta_t = col(transmission_efficiency)
    p_mech = np.where(p > 0, p / eta_t, p * eta_t * col(regen_fraction))
    if motor_efficiency_breakpoints is None:
        eta_m = col(motor_efficiency)
    else:
        x = np.abs(p_mech) / col(motor_power)
        if motor_efficiency_interpolation == "step":
            eta_m = _step_rows(x, motor_efficiency_breakpoints, motor_efficiency)
        else:
            eta_m = _interp_rows(x, motor_efficiency_breakpoints, motor_efficiency)
    eta_r = eta_m if regen_efficiency is None else col(regen_efficiency)
    p_elec = np.where(p_mech > 0, p_mech / eta_m, np.maximum(p_mech * eta_r, -col(regen_power)))
    p_dc = p_elec + col(aux_power)
    if battery_efficiency_breakpoints is None:
        eta_b = col(battery_efficiency)
    else:
        eta_b = _interp_rows(p_dc / col(battery_energy), battery_efficiency_breakpoints,
                             battery_efficiency)  # fmt: skip
    return np.where(p_dc > 0, p_dc / eta_b, p_dc * eta_b)


def _step_rows(x, xp, fp):
    """Value of the breakpoint at or below ``x`` (clamped to the table)."""
    xp = np.asarray(xp, float)
    fp = np.asarray(fp, float)
    if xp.ndim != 1 or fp.ndim != 1:
        raise ValueError("a step motor table must be shared by all vehicles of a call")
    idx = np.clip(np.searchsorted(xp, x, side="right") - 1, 0, xp.size - 1)
    return fp[idx]


def _interp_rows(x, xp, fp):
    """np.interp along the last axis with tables that may differ per row."""
    xp = np.asarray(xp, float)
    fp = np.asarray(fp, float)
    if xp.ndim == 1 and fp.ndim == 1:
        return np.interp(x, xp, fp)
    xp2 = np.broadcast_to(xp, (*x.shape[:-1], xp.shape[-1]))
    fp2 = np.broadcast_to(fp, (*x.shape[:-1], fp.shape[-1]))
    out = np.empty_like(x)
    for idx in np.ndindex(x.shape[:-1]):
        out[idx] = np.interp(x[idx], xp2[idx], fp2[idx])
    return out


def cycle_energy(terms: CycleTerms, **params):
    """Battery energy over a cycle [J].

    Parameters
    ----------
    terms : CycleTerms
        From :func:`cycle_terms`.
    **params
        Those of :func:`wheel_power` and :func:`battery_power`.

    Returns
    -------
    numpy.ndarray
        [J], the broadcast shape of the parameters.

    Examples
    --------
    100 s at 25 m/s needs 9302.5 W at the wheels (see :func:`wheel_power`); through a
    90 % drive that is 9302.5 / 0.9 * 100 = 1.0336 MJ by hand.

    >>> terms = cycle_terms([0.0, 100.0], [25.0, 25.0])
    >>> round(float(cycle_energy(terms, mass=1500.0, cda=0.6, crr=0.01,
    ...                          motor_efficiency=0.9)) / 1e6, 4)
    1.0336

    Parameters broadcast: two drag areas, by hand (0.36 * 15625 + 3677.5) / 0.9 * 100
    and (0.24 * 15625 + 3677.5) / 0.9 * 100 J.

    >>> np.round(cycle_energy(terms, mass=1500.0, cda=[0.6, 0.4], crr=0.01,
    ...                       motor_efficiency=0.9) / 1e6, 4)
    array([1.0336, 0.8253])
    """
    wheel_keys = ("mass", "cda", "crr", "air_density", "rotating_mass")
    wheel = {k: params.pop(k) for k in wheel_keys if k in params}
    p_b = battery_power(wheel_power(terms, **wheel), **params)
    return np.sum(p_b * terms.dt, axis=-1)


def consumption_constant_efficiency(
    terms: CycleTerms,
    mass,
    cda,
    crr,
    drive_efficiency,
    *,
    air_density=1.2,
    rotating_mass=0.0,
    aux_power=0.0,
    battery_efficiency=1.0,
    regen_fraction=1.0,
):
    """Battery-side consumption [J m^-1] of many vehicles with constant efficiencies, fast.

    Equal to :func:`cycle_energy` / distance with ``motor_efficiency =
    drive_efficiency``, ``transmission_efficiency = 1`` and no regen power
    cap, but costs O(n) instead of O(n x steps): the wheel power is linear
    in ``(m, CdA, m Crr)``, so over the steps whose sign (at the wheels and at
    the battery) is the same for every vehicle in the batch the sums are
    precomputed once; only the few steps whose sign depends on the vehicle
    (gentle decelerations, where drag and rolling balance inertia) are
    evaluated per vehicle.

    Parameters
    ----------
    terms : CycleTerms
        From :func:`cycle_terms`.
    mass, cda, crr, drive_efficiency : array_like
        [kg], [m^2], [-], [-]; broadcast to the batch.
    air_density : float
        [kg m^-3].
    rotating_mass, aux_power, battery_efficiency, regen_fraction : array_like
        [kg], [W], [-], [-].

    Returns
    -------
    numpy.ndarray
        Consumption at the battery [J m^-1].

    Examples
    --------
    The cruise of :func:`cycle_energy` for two masses: by hand 9302.5 W / 0.9 / 25 m/s
    = 413.4 J/m (0.115 kWh/km) and 10 528.3 / 0.9 / 25 = 467.9 J/m.

    >>> terms = cycle_terms([0.0, 100.0], [25.0, 25.0])
    >>> np.round(consumption_constant_efficiency(terms, [1500.0, 2000.0], 0.6, 0.01, 0.9), 1)
    array([413.4, 467.9])
    """
    arrays = np.broadcast_arrays(
        *(np.asarray(x, float) for x in
          (mass, cda, crr, drive_efficiency, rotating_mass, aux_power, battery_efficiency,
           regen_fraction))
    )  # fmt: skip
    shape = arrays[0].shape
    flat = [a.ravel() for a in arrays]
    n = flat[0].size
    if n <= _GROUP:
        return (_group_energy(terms, float(air_density), *flat) / terms.distance).reshape(shape)
    # Group vehicles of similar specific road load (CdA/m, Crr): within a group few steps
    # change the sign of their wheel or battery power, so few need per-vehicle work.
    bins = round((n / _GROUP) ** (1 / 3)) + 1
    inv_m = 1.0 / flat[0]
    key = (_uniform_bin(flat[1] * inv_m, bins) * bins + _uniform_bin(flat[2], bins)) * bins
    key += _uniform_bin(flat[5] * inv_m, bins)
    order = np.argsort(key, kind="stable")
    bounds = np.flatnonzero(np.diff(key[order])) + 1
    out = np.empty(n)
    for idx in np.split(order, bounds):
        out[idx] = _group_energy(terms, float(air_density), *(a[idx] for a in flat))
    return (out / terms.distance).reshape(shape)


_GROUP = 2048


def _uniform_bin(x, bins):
    lo, hi = x.min(), x.max()
    scale = bins / (hi - lo) if hi > lo else 0.0
    return np.minimum(((x - lo) * scale).astype(np.int16), bins - 1)


def _group_energy(terms, rho, m, cda_, crr_, eta, m_r, aux, eta_b, rf):
    """Battery energy [J] over the cycle for a group of vehicles (1-D arrays)."""
    # per-step wheel power P = m * q, with q = a1 + z*a0 + u*a2 + w*a3 and
    # z = m_r/m, u = CdA/m, w = Crr: the sign of P is the sign of q
    a0 = terms.inertial
    a1 = terms.inertial + terms.climb
    a2 = rho * terms.aero
    a3 = terms.rolling
    z, u, y, k = m_r / m, cda_ / m, aux / m, eta * rf
    # a2, a3 >= 0: their extremes are at the parameter extremes; a0 has either sign
    za, zb = z.min() * a0, z.max() * a0
    q_min = a1 + np.minimum(za, zb) + u.min() * a2 + crr_.min() * a3
    q_max = a1 + np.maximum(za, zb) + u.max() * a2 + crr_.max() * a3
    # braking (q <= 0): battery power m*(q*k + y); q*k lies in [q_min*k_max, q_max*k_min]
    traction = q_min > 0  # always driving: P_dc = P/eta + aux > 0
    braking = q_max <= 0
    braking_discharge = braking & (q_min * k.max() + y.min() > 0)
    braking_charge = braking & (q_max * k.min() + y.max() <= 0)
    unsure = ~(traction | braking_discharge | braking_charge)
    dt = terms.dt
    weighted = np.stack([a1, a0, a2, a3, np.ones_like(dt)], axis=1) * dt[:, None]
    masks = np.stack([traction, braking_discharge, braking_charge]).astype(float)
    s_t, s_bd, s_bc = masks @ weighted  # sums over the steps of each sign class

    def linear(s):
        return m * s[0] + m_r * s[1] + cda_ * s[2] + m * crr_ * s[3]

    energy = (linear(s_t) / eta + aux * s_t[4]) / eta_b
    energy = energy + (linear(s_bd) * k + aux * s_bd[4]) / eta_b
    energy = energy + (linear(s_bc) * k + aux * s_bc[4]) * eta_b
    if np.any(unsure):
        # f(x) = x/e (x > 0), x*r (x <= 0)  ==  x (1/e + r)/2 + |x| (1/e - r)/2
        idx = np.flatnonzero(unsure)
        x = np.column_stack([m, m * crr_, m_r, cda_])
        p = x @ np.stack([a1[idx], a3[idx], a0[idx], a2[idx]])  # wheel power (group, steps)
        inv = 1.0 / eta
        d = p * ((inv + k) / 2)[:, None]
        d += np.abs(p) * ((inv - k) / 2)[:, None]
        d += aux[:, None]
        inv_b = 1.0 / eta_b
        w = dt[idx]
        energy = energy + (inv_b + eta_b) / 2 * (d @ w) + (inv_b - eta_b) / 2 * (np.abs(d) @ w)
    return energy
