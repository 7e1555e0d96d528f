"""Compiled loops of the thermal charging sessions (optional extra ``fast``: numba).

Two loops of :func:`nevcalc.scenario.charge.charge_sessions` at ambient temperatures
cost most of its time as numpy calls on short arrays: the thermal march of the families
of profiles (:func:`nevcalc.model.charging._profile` with ``lean``) and the look-up of
each session, and of its shifted windows, on them. Here they are written out row by row
and session by session, as plain float arithmetic that numba compiles (``nogil``: the
rows of a march split among threads, beside the look-ups). Each does the same
operations in the same order as the numpy code, so both give the same answers to
rounding (tests/model/test_kernel.py). So do two short loops around them: the arrival
temperatures of the sessions, and the fields of their answers, which the look-ups write
as one record a session (:data:`ANSWER`, 64 bytes each: the sessions are looked up in
another order than theirs) and :func:`_unpack` spreads into the arrays in their order.

The march repeats formulas of :mod:`nevcalc.model.thermal` (the exchange current and
charge-transfer heat of Butler-Volmer kinetics, the thermal-management heat, the
exponential step of the lumped temperature) and of :func:`nevcalc.model.tables.lookup`
on scalars; tests/model/test_kernel.py checks them against those functions, so an edit
of one without the other fails there.

numba is imported on the first call of :func:`compiled`, never on ``import nevcalc``;
the compiled functions are cached on disk (the first compile takes several seconds).
``NEVCALC_NO_NUMBA=1`` turns them off: the numpy code runs instead.

Pure numerics on SI floats, as the rest of :mod:`nevcalc.model`.
"""

from __future__ import annotations

import math
import os
import threading

import numpy as np

from nevcalc.model.thermal import FARADAY, GAS_CONSTANT, REFERENCE_TEMPERATURE

__all__ = ["ANSWER", "RECORD", "available", "compiled", "march"]


# --- scalar helpers (compiled with the kernels) ---------------------------------------------


def _fmin(x, y):
    """``np.minimum`` of two floats: NaN if either is."""
    return y if (y < x or y != y) else x


def _fmax(x, y):
    """``np.maximum`` of two floats: NaN if either is."""
    return y if (y > x or y != y) else x


def _mix(x0, x1, w):
    """:func:`nevcalc.scenario.charge._mix` of floats."""
    if w <= 0.0:
        return x0
    if w >= 1.0:
        return x1
    return x0 * (1.0 - w) + x1 * w


def _mix_log(x0, x1, w):
    """Two positive quantities mixed in log, else linearly (the durations and peak
    powers of :mod:`nevcalc.scenario.charge`)."""
    if x0 > 0.0 and x1 > 0.0:
        return math.exp(_mix(math.log(x0), math.log(x1), w))
    return _mix(x0, x1, w)


def _lookup(table, row, soc):
    """:func:`nevcalc.model.tables.lookup` of one ``soc`` in row ``row`` of ``table``."""
    g = table.shape[1] - 1
    x = min(max(soc, 0.0), 1.0) * g
    i0 = min(int(x), g - 1)  # (x >= 0: its floor)
    lo, hi = table[row, i0], table[row, i0 + 1]
    if lo == hi:
        return lo
    return lo + (hi - lo) * (x - i0)


def _transfer_secant(r25, ea, t, i):
    """Secant resistance ``eta(I) / I`` [ohm] of one electrode's Butler-Volmer charge
    transfer (:func:`~nevcalc.model.thermal.exchange_current`,
    :func:`~nevcalc.model.thermal.charge_transfer_heat`) at ``t`` [K] and ``i`` [A]."""
    i0_ref = GAS_CONSTANT * REFERENCE_TEMPERATURE / (FARADAY * r25)
    i0 = i0_ref / math.exp(ea / GAS_CONSTANT * (1.0 / t - 1.0 / REFERENCE_TEMPERATURE))
    scale = 2.0 * GAS_CONSTANT * t / FARADAY
    return i * scale * math.asinh(i / (2.0 * i0)) / (i * i)


def _tms_heat(t, low, high, heating, cooling, heat_capacity, step):
    """:func:`~nevcalc.model.thermal.thermal_management` with a heat capacity and a
    step [W]."""
    below = low - t
    above = t - high
    heat = heating if below > 0.0 else 0.0
    cool = cooling if above > 0.0 else 0.0
    rate = heat_capacity / step
    heat = _fmin(heat, _fmax(below, 0.0) * rate)
    cool = _fmin(cool, _fmax(above, 0.0) * rate)
    return heat - cool


def _temperature_step(t0, heat, ambient, heat_capacity, ua, step):
    """:func:`~nevcalc.model.thermal.lumped_temperature_step` [K]."""
    net = heat + ua * (ambient - t0)
    x = ua * step / heat_capacity
    phi = -math.expm1(-x) / x if x > 1e-12 else 1.0 - 0.5 * x
    return t0 + net * step / heat_capacity * phi


#: The scalar functions the kernels call, compiled first (in this order)
_HELPERS = ("_fmin", "_fmax", "_mix", "_mix_log", "_lookup", "_transfer_secant", "_tms_heat",
            "_temperature_step", "_node_cell", "_node_weight", "_limits", "_current",
            "_code")  # fmt: skip

# --- the march ------------------------------------------------------------------------------


def _node_cell(t, first, step, last_cell):
    """The temperature node below ``t`` [K] on nodes ``step`` apart from ``first`` and
    the weight on the next (held at the ends): ``both_factors`` of the march."""
    x = min(max((t - first) / step, 0.0), last_cell + 1.0)
    i = min(int(x), last_cell)
    return i, x - i


def _node_weight(t, nodes):
    """:func:`_node_cell` on nodes not evenly spaced (``_node_weights`` of the march)."""
    tc = min(max(t, nodes[0]), nodes[-1])
    i = nodes.size - 1  # searchsorted(nodes, tc, side="right") - 1, clipped
    for m in range(nodes.size):
        if nodes[m] > tc:
            i = m - 1
            break
    i = min(max(i, 0), nodes.size - 2)
    return i, (tc - nodes[i]) / (nodes[i + 1] - nodes[i])


def _limits(pw, crq, current, ccode, r_lo, r_hi, c_lo, c_hi, w, r0_rest, r1, t, i_last,
            q_floor, rt_n, rt_p, ea_n, ea_p, has_transfer, cell_code, cold_code):  # fmt: skip
    """The limits of a row at a grid point at the pack temperature ``t`` (``column`` of
    the march, from the values its tables give there): the least current limit and its
    code, R0, R1 and ``4 R0 P``. The resistance and C-rate factors are interpolated with
    weight ``w`` between the nodes either side (``r_lo``, ``r_hi``, ``c_lo``, ``c_hi``).

    (Scalars only: an array argument costs two atomic reference counts a call.)"""
    scale = (r_hi - r_lo) * w + r_lo
    factor = (c_hi - c_lo) * w + c_lo
    r0_k = r0_rest * scale
    r1_k = r1 * scale
    if has_transfer:
        ii = max(i_last, q_floor)
        extra = 0.0
        if rt_n > 0.0:
            extra += _transfer_secant(rt_n, ea_n, t, ii)
        if rt_p > 0.0:
            extra += _transfer_secant(rt_p, ea_p, t, ii)
        r0_k = r0_k + extra
    cr = crq * factor
    cr_code = cold_code if factor < 1.0 else cell_code
    cu, cc = current, ccode
    if not (cr >= cu) and not (cu != cu):  # (the first of equal limits, a NaN first)
        cu, cc = cr, cr_code
    return cu, cc, r0_k, r1_k, 4.0 * r0_k * pw


def _current(a, pw, r4p, cu, volt, r0_k, r0_pos):
    """The current at voltage ``a`` (OCV and polarisation) under the column's limits
    (``current`` of the march) and the voltage-ceiling current."""
    i = 2.0 * pw / (a + math.sqrt(a * a + r4p))
    if math.isinf(pw):
        i = math.inf
    iv = _fmax(volt - a, 0.0) / r0_k
    if not r0_pos:
        iv = math.inf
    i = _fmin(i, cu)
    return _fmin(i, iv), iv


def _code(i, iv, pcode, cu, cc, vcode, wait, min_voltage_code):
    """The binding limit of current ``i`` (``code_of`` of the march)."""
    code = pcode
    if i == cu:
        code = cc
    if i == iv:
        code = vcode
    if wait:
        code = min_voltage_code
    return code


#: Rows of a block of the march (512: a few per cent faster than 256 or 1024)
_MARCH_BLOCK = 512


def _march(
    row_from, row_to, g, ocv_u, ocv_i, pw_u, pc_u, p_i, crq_u, c_i, row_current, row_ccode, volts,
    vcode, r0, r0_rest, r1, tau, dq, q, floor, waiting, wait_step, s0, lin, s_min, is_taper,
    t_d, ntau_d, series, ocv_t, ocv_r, cell_low, cell_span, k_d, temp0, i_last0, nodes, r_table,
    c_table, uniform, t_first, t_step, th_amb, th_c, th_ua, th_heat, th_cool, th_lo, th_hi,
    cop_h, cop_c, rt_n, rt_p, ea_n, ea_p, has_transfer, cell_code, cold_code, min_voltage_code,
    power, time, e_batt, e_stored, e_thermal, temp, stop_code,
):  # fmt: skip
    """The thermal march of :func:`nevcalc.model.charging._profile` (``lean``, the
    power limits tabulated) over ``g`` grid points, point by point and row by row (the
    tables are (grid point, row)): fills ``power``, ``time``, ``e_batt``, ``e_stored``,
    ``e_thermal``, ``temp`` from their second point on (``power`` from its first) and
    ``stop_code`` (row), of rows ``row_from`` to ``row_to`` (the others are left as they
    are: threads march rows apart)."""
    n = ocv_i.size
    last_cell = nodes.size - 2
    # the state of each row: polarisation, particle-surface offset, current, terminal
    # voltage and OCV at the last point, pack temperature, last positive current, R1
    eta = np.zeros(n)
    delta = np.zeros(n)
    i_0 = np.empty(n)
    v_0 = np.empty(n)
    ocv_0 = np.empty(n)
    t_0 = temp0.copy()
    i_l = i_last0.copy()
    r1_0 = np.empty(n)
    running = np.empty(n, np.bool_)
    for r in range(row_from, row_to):
        q_floor = 1e-9 * q[r] / 3600.0
        j, w = _node_cell(t_0[r], t_first, t_step, last_cell)
        if not uniform:
            j, w = _node_weight(t_0[r], nodes)
        ocv, pw, pcode = ocv_u[0, ocv_i[r]], pw_u[0, p_i[r]], pc_u[0, p_i[r]]
        cu, cc, r0_k, r1_k, r4p = _limits(
            pw, crq_u[0, c_i[r]], row_current[r], row_ccode[r], r_table[r, j],
            r_table[r, j + 1], c_table[r, j], c_table[r, j + 1], w, r0_rest[r], r1[r], t_0[r],
            i_l[r], q_floor, rt_n[r], rt_p[r], ea_n[r], ea_p[r], has_transfer, cell_code,
            cold_code,
        )  # fmt: skip
        a = ocv
        if t_d[r] > 0.0:
            s = s0[r] + (1.0 - s0[r]) * lin[0]
            a = series[r] * _lookup(ocv_t, ocv_r[r], cell_low[r] + cell_span[r] * s + 0.0)
            a = a + 0.0
        i, iv = _current(a, pw, r4p, cu, volts[r], r0_k, r0[r] > 0.0)
        code = _code(i, iv, pcode, cu, cc, vcode[r], waiting[0, r], min_voltage_code)
        if waiting[0, r] or not math.isfinite(i):
            i = 0.0
        v = a + r0_k * i
        power[0, r] = v * i
        i_0[r], v_0[r], ocv_0[r], r1_0[r] = i, v, ocv, r1_k
        end = (i < floor[r]) and (is_taper[code] or i <= 0.0) and not waiting[0, r]
        running[r] = not end
        stop_code[r] = -1 if running[r] else code

    # rows a block at a time (the state of a block's rows stays in cache from point to
    # point), each block point by point; at each point the pack temperatures of the
    # block's rows in a second loop, from the step's time and Joule heat of the first
    # (two shorter loops: the processor overlaps more rows' divisions and exponentials)
    st_h = np.empty(_MARCH_BLOCK)
    st_joule = np.empty(_MARCH_BLOCK)
    for first in range(row_from, row_to, _MARCH_BLOCK):
        last = min(first + _MARCH_BLOCK, row_to)
        for k in range(g - 1):
            k1 = k + 1
            lin1 = lin[k1]
            for r in range(first, last):
                i0 = i_0[r]
                dif = t_d[r] > 0.0
                ntau = -tau[r]
                half_dq = 0.5 * dq[r]
                t_now = t_0[r]
                pos0 = i0 > 0.0
                dt0 = dq[r] / i0 if pos0 else math.inf
                # predictor: the RC branch (and the particle surface) relaxed over dt0 at i0
                ex = math.exp(dt0 / ntau)
                eta_pred = eta[r] * ex + (r1_0[r] * i0) * (1.0 - ex)
                delta_pred = 0.0
                if dif:
                    e_d = math.exp(dt0 / ntau_d[r])
                    delta_pred = delta[r] * e_d + (k_d[r] * i0) * (1.0 - e_d)
                # the column of point k1, at the temperature of point k
                j, w = _node_cell(t_now, t_first, t_step, last_cell)
                if not uniform:
                    j, w = _node_weight(t_now, nodes)
                ocv, pw, pcode = ocv_u[k1, ocv_i[r]], pw_u[k1, p_i[r]], pc_u[k1, p_i[r]]
                cu, cc, r0_k, r1_k, r4p = _limits(
                    pw, crq_u[k1, c_i[r]], row_current[r], row_ccode[r], r_table[r, j],
                    r_table[r, j + 1], c_table[r, j], c_table[r, j + 1], w, r0_rest[r], r1[r],
                    t_now, i_l[r], 1e-9 * q[r] / 3600.0, rt_n[r], rt_p[r], ea_n[r], ea_p[r],
                    has_transfer, cell_code, cold_code,
                )  # fmt: skip
                s1 = s0[r] + (1.0 - s0[r]) * lin1
                cell1 = cell_low[r] + cell_span[r] * s1
                r0_pos = r0[r] > 0.0
                a = ocv + eta_pred
                if dif:
                    a = series[r] * _lookup(ocv_t, ocv_r[r], cell1 + delta_pred) + eta_pred
                ip, iv_pred = _current(a, pw, r4p, cu, volts[r], r0_k, r0_pos)
                ip_raw = ip
                w0, w1 = waiting[k, r], waiting[k1, r]
                if w1 or not math.isfinite(ip):
                    ip = 0.0
                # Heun: the step's time from the currents at both ends
                dt = math.inf
                if ip > 0.0 and pos0:
                    dt = half_dq * (1.0 / i0 + 1.0 / ip)
                dq_k, half_k = dq[r], half_dq
                if wait_step[k] and w0:
                    # waiting rows stay at t = 0; on the step where the pack reaches the
                    # charger's lowest voltage only the part above it is charged, at ip
                    if w1:
                        dt, dq_k = 0.0, 0.0
                    else:
                        part = q[r] * max(s1 - s_min[r], 0.0)
                        dt = part / ip if ip > 0.0 else math.inf
                        dq_k = part
                    half_k = 0.5 * dq_k
                fin = math.isfinite(dt)
                i_avg = dq_k / dt if (dt > 0.0 and fin) else 0.0
                # corrector
                ex = math.exp(dt / ntau)
                eta_r = eta[r] * ex + (r1_k * i_avg) * (1.0 - ex)
                eta[r] = eta_r
                a = ocv + eta_r
                if dif:
                    e_d = math.exp(dt / ntau_d[r])
                    delta[r] = delta[r] * e_d + (k_d[r] * i_avg) * (1.0 - e_d)
                    a = series[r] * _lookup(ocv_t, ocv_r[r], cell1 + delta[r]) + eta_r
                i1, iv = _current(a, pw, r4p, cu, volts[r], r0_k, r0_pos)
                code1 = _code(i1, iv, pcode, cu, cc, vcode[r], w1, min_voltage_code)
                if w1 or not math.isfinite(i1):
                    i1 = 0.0
                v1 = a + r0_k * i1
                power[k1, r] = v1 * i1
                if running[r] and (i1 < floor[r] or not fin):
                    ends = (i1 < floor[r]) and (is_taper[code1] or i1 <= 0.0) and not w1
                    if ends or not fin:
                        # no current at the predicted end of the step (a voltage ceiling
                        # reached): that limit stops it, whatever binds once relaxed
                        if ip > 0.0:
                            stop_code[r] = code1
                        else:
                            stop_code[r] = _code(ip_raw, iv_pred, pcode, cu, cc, vcode[r], w1,
                                                 min_voltage_code)  # fmt: skip
                        running[r] = False
                time[k1, r] = time[k, r] + dt
                e_batt[k1, r] = e_batt[k, r] + (v_0[r] + v1) * half_k
                e_stored[k1, r] = e_stored[k, r] + (ocv_0[r] + ocv) * half_k
                if has_transfer and i1 > 0.0:
                    i_l[r] = i1
                # the pack's temperature over the step (below, for the block's rows)
                st_h[r - first] = dt if fin else 0.0
                st_joule[r - first] = i_avg * i_avg * (r0_k + r1_k)
                if not running[r]:
                    time[k1, r] = math.inf
                    e_batt[k1, r] = e_batt[k, r]
                    e_stored[k1, r] = e_stored[k, r]
                i_0[r], v_0[r], ocv_0[r], r1_0[r] = i1, v1, ocv, r1_k
            for r in range(first, last):
                h = st_h[r - first]
                t_now = t_0[r]
                tms = _tms_heat(t_now, th_lo[r], th_hi[r], th_heat[r], th_cool[r], th_c[r],
                                h if h > 0.0 else 1.0)  # fmt: skip
                t_next = _temperature_step(t_now, st_joule[r - first] + tms, th_amb[r], th_c[r],
                                           th_ua[r], h)  # fmt: skip
                th_power = tms / cop_h[r] if tms > 0.0 else -tms / cop_c[r]
                t_0[r] = t_next
                temp[k1, r] = t_next
                e_thermal[k1, r] = e_thermal[k, r] + th_power * h


# --- the look-ups ---------------------------------------------------------------------------


def _sessions(
    temp, corner, warmup, power, prefix, suffix, levels, s0, steps, block, stored, base, a, b,
    t_arr, w_amb, veh, n_amb, n_mem, given_rows, given_w, where, soc_min, answer, ok, near,
    outside,
):  # fmt: skip
    """The sessions of a family of thermal profiles (``_family_sessions`` of
    :mod:`nevcalc.scenario.charge`), session by session: on the two members either side of
    the arrival temperature ``t_arr`` at the start ``a`` (found by bisection on their
    temperatures there, ``temp`` (grid point, row)), at each of the ``n_amb`` ambient
    nodes, their durations and peak powers mixed in log, their energies linearly, then
    linearly between the nodes with weight ``w_amb``; the energy stored off ``stored``
    (vehicle, SoC grid point). The members of a session's pair and node start at row
    ``base + node * n_mem``. ``corner`` is the block of cumulative time, energy into the
    terminals and thermal electricity (field, grid point, row), ``warmup`` the warm-up's
    time and electricity (2, row); ``power``, ``prefix``, ``suffix`` and ``levels`` the
    range-maximum tables of the power (blocks of ``block`` points). ``s0`` is the
    family's start SoC and ``steps`` its steps to 100 %.

    Fills the rows of ``answer`` (:data:`ANSWER` in its first columns), ``near`` (the
    nearest member's row) and ``outside`` (the arrival lies outside every member at some
    node). With a non-empty ``where`` the answer of session ``s`` goes to row ``where[s]``
    (a record of every session of the call: the answers put in place, 64 bytes
    each), feasible only from its row's ``soc_min`` on, and ``ok`` is its feasibility;
    with an empty one to row ``s`` (``ok`` is not written).

    With ``given_rows`` (node, 2, session) the members are those rows, with weight
    ``given_w`` on the second, and ``b`` is not raised to ``a`` (the shifted windows of
    ``_shifted_sessions``); an empty one (node, 2, 0) searches them as above."""
    g = temp.shape[0]
    top = power.shape[0] - 1
    s_top = stored.shape[1] - 1
    n_bisect = 0
    while (1 << n_bisect) < n_mem + 1:  # ceil(log2(n_mem + 1))
        n_bisect += 1
    pk = np.empty(2)
    put = where.size > 0
    for s in range(base.size):
        given = given_rows.shape[2] > 0
        sa = a[s]
        sb = b[s] if given else _fmax(b[s], sa)
        t = t_arr[s]
        # the positions of both ends on the grid
        xa_raw = (sa - s0) / (1.0 - s0) * steps
        xb_raw = (sb - s0) / (1.0 - s0) * steps
        xa = min(max(xa_raw, 0.0), g - 1.0)
        ia = min(int(xa), g - 2)
        fa = xa - ia
        xb = min(max(xb_raw, 0.0), g - 1.0)
        ib = min(int(xb), g - 2)
        fb = xb - ib
        res_dur = 0.0
        res_eb = 0.0
        res_th = 0.0
        res_ok = True
        res_pk = 0.0
        any_out = False
        low0, w0, low1, w1 = 0, 0.0, 0, 0.0
        for u in range(n_amb):
            if given:
                lower, upper, w = given_rows[u, 0, s], given_rows[u, 1, s], given_w[s]
            else:
                node = base[s] + u * n_mem
                # the last member at or below t: -1 (below them all) to n_mem - 1
                below, above = -1, n_mem
                for _ in range(n_bisect):
                    mid = max((below + above) >> 1, 0)
                    lo = temp[ia, node + mid]
                    if lo + (temp[ia + 1, node + mid] - lo) * fa <= t:
                        below = mid
                    else:
                        above = mid
                j = min(max(below, 0), n_mem - 2)
                lo = temp[ia, node + j]
                t0 = lo + (temp[ia + 1, node + j] - lo) * fa
                lo = temp[ia, node + j + 1]
                t1 = lo + (temp[ia + 1, node + j + 1] - lo) * fa
                w = min(max((t - t0) / (t1 - t0), 0.0), 1.0) if t1 > t0 else 0.0
                if below < 0 or (below >= n_mem - 1 and t > t1):
                    any_out = True
                lower = node + j
                upper = lower + 1
            if u == 0:
                low0, w0 = lower, w
            else:
                low1, w1 = lower, w
            # the two members' answers
            d_m0 = eb_m0 = th_m0 = d_m1 = eb_m1 = th_m1 = 0.0
            for m in range(2):
                row = upper if m else lower
                sp0 = sp1 = sp2 = 0.0
                for fi in range(3):
                    lo = corner[fi, ia, row]
                    va = lo + (corner[fi, ia + 1, row] - lo) * fa if fa > 0.0 else lo
                    lo = corner[fi, ib, row]
                    vb = lo + (corner[fi, ib + 1, row] - lo) * fb if fb > 0.0 else lo
                    v = vb - va
                    if fi == 0:
                        sp0 = v
                    elif fi == 1:
                        sp1 = v
                    else:
                        sp2 = v
                d = sp0 + warmup[0, row]
                th = _fmax(sp2, 0.0) + warmup[1, row]
                if m == 0:
                    d_m0, eb_m0, th_m0 = d, sp1, th
                else:
                    d_m1, eb_m1, th_m1 = d, sp1, th
                # the peak power between the ends (the range maximum of the march's)
                x = min(max(xa_raw, 0.0), top)
                i0 = min(int(x), top - 1)
                f = x - i0
                lo, hi = power[i0, row], power[i0 + 1, row]
                end_a = lo if f == 0.0 else hi if f == 1.0 else lo + (hi - lo) * f
                x = min(max(xb_raw, 0.0), top)
                i0 = min(int(x), top - 1)
                f = x - i0
                lo, hi = power[i0, row], power[i0 + 1, row]
                end_b = lo if f == 0.0 else hi if f == 1.0 else lo + (hi - lo) * f
                ends = _fmax(end_a, end_b)
                pa = min(max(math.ceil(xa_raw), 0), top)
                pb = min(max(math.floor(xb_raw), 0), top)
                ba, bb = pa // block, pb // block
                inner = -math.inf
                if pb >= pa and bb > ba:
                    mm = _fmax(float(suffix[pa, row]), float(prefix[pb, row]))
                    lo_b, hi_b = ba + 1, bb - 1
                    if hi_b >= lo_b:
                        length = hi_b - lo_b + 1
                        lvl = 0
                        while (2 << lvl) <= length:  # floor(log2(length))
                            lvl += 1
                        first = float(levels[lvl, lo_b, row])
                        last = float(levels[lvl, max(hi_b - (1 << lvl) + 1, 0), row])
                        mm = _fmax(mm, _fmax(first, last))
                    inner = mm
                elif pb >= pa and bb == ba:
                    inner = -math.inf
                    for p in range(ba * block, ba * block + block):
                        val = power[min(p, top), row] if pa <= p <= pb else -math.inf
                        inner = val if p == ba * block else _fmax(inner, val)
                pk[m] = _fmax(ends, inner)
            mixed_eb = eb_m0 * (1.0 - w) + eb_m1 * w
            mixed_th = th_m0 * (1.0 - w) + th_m1 * w
            mixed_d = _mix_log(d_m0, d_m1, w)
            mixed_ok = (math.isfinite(d_m0) or w >= 1.0) and (math.isfinite(d_m1) or w <= 0.0)
            mixed_pk = _mix_log(pk[0], pk[1], w)
            if u == 0:
                res_dur, res_eb, res_th, res_ok, res_pk = (mixed_d, mixed_eb, mixed_th,
                                                           mixed_ok, mixed_pk)  # fmt: skip
            else:
                wa = w_amb[s]
                res_eb = res_eb * (1.0 - wa) + mixed_eb * wa
                res_th = res_th * (1.0 - wa) + mixed_th * wa
                res_dur = _mix(res_dur, mixed_d, wa)
                res_ok = (res_ok or wa >= 1.0) and (mixed_ok or wa <= 0.0)
                res_pk = _mix_log(res_pk, mixed_pk, wa)
        outside[s] = any_out
        dst = s
        if put:
            dst = where[s]
            res_ok = res_ok and sa >= soc_min[base[s]]
            ok[s] = res_ok
        answer[dst, 0] = res_dur
        answer[dst, 1] = res_eb
        answer[dst, 2] = res_th
        answer[dst, 3] = res_pk
        answer[dst, 5] = 1.0 if res_ok else 0.0
        # the energy stored, off the vehicle's table
        v_row = veh[s]
        x = min(max(sb, 0.0), 1.0) * s_top
        i0 = min(int(x), s_top - 1)
        lo = stored[v_row, i0]
        at_b = lo + (stored[v_row, i0 + 1] - lo) * (x - i0)
        x = min(max(sa, 0.0), 1.0) * s_top
        i0 = min(int(x), s_top - 1)
        lo = stored[v_row, i0]
        answer[dst, 4] = at_b - (lo + (stored[v_row, i0 + 1] - lo) * (x - i0))
        # the nearest member at the nearest node
        if n_amb > 1 and w_amb[s] >= 0.5:
            near[s] = low1 + (1 if w1 >= 0.5 else 0)
        else:
            near[s] = low0 + (1 if w0 >= 0.5 else 0)


def _arrivals(
    vi, ambient, code, full, target_pre, heating, cooling, heat_capacity, ua, lead_time, t_arr,
):  # fmt: skip
    """``_arrival_temperatures`` of :mod:`nevcalc.scenario.charge`: the pack temperature
    [K] of sessions of vehicles ``vi`` on arrival at ``ambient`` [K] after the
    preconditioning of ``code``, into ``t_arr``. The vehicles' figures, by vehicle:
    ``full`` the warmest temperature at the full C-rate [K], ``target_pre`` the
    preconditioning target [K], the heating and cooling powers [W], heat capacity [J/K],
    conductance [W/K] and preconditioning lead time [s]. Repeats
    :func:`~nevcalc.model.thermal.lumped_temperature` on scalars."""
    for s in range(vi.size):
        v = vi[s]
        amb = ambient[s]
        cd = code[s]
        pre = target_pre[v]
        # heated to the target below it; cooled only above the warmest full-rate temperature
        target = pre if amb < pre else _fmin(amb, full[v])
        heat = amb < target
        power = heating[v] if heat else -cooling[v]
        c, u = heat_capacity[v], ua[v]
        if not (cd != 0.0 and target != amb and power != 0.0):
            t_arr[s] = amb
            continue
        if u > 0.0:
            t_eq = amb + power / u
        else:
            t_eq = math.inf if heat else -math.inf
        reach = t_eq > target if heat else t_eq < target
        need = math.inf
        if reach:
            if u > 0.0:
                need = -(c / u) * math.log((t_eq - target) / (t_eq - amb))
            else:
                need = c * (target - amb) / power
        time = _fmin(need, lead_time[v] if cd < 0.0 else cd)
        time = time if time > 0.0 else 0.0
        net = power + u * (amb - amb)
        x = u * time / c
        phi = -math.expm1(-x) / x if x > 1e-12 else 1.0 - 0.5 * x
        temp = amb + net * time / c * phi
        t_arr[s] = _fmin(temp, target) if heat else _fmax(temp, target)


def _unpack(
    answer, a, b, eff, row_from, row_to, duration, e_batt, thermal, peak, e_stored, feasible,
    stop_soc, stop_limit, charging_time, e_grid, average_power,
):  # fmt: skip
    """The fields of sessions ``row_from`` to ``row_to`` from their records ``answer``
    (:data:`ANSWER`), those that follow from them as ``_finish`` of
    :mod:`nevcalc.scenario.charge` has them: the session ends at ``max(a, b)`` and no limit
    stops it, the charger's efficiency ``eff`` in the electricity from the grid."""
    for i in range(row_from, row_to):
        d = answer[i, 0]
        eb = answer[i, 1]
        th = answer[i, 2]
        duration[i] = d
        e_batt[i] = eb
        thermal[i] = th
        peak[i] = answer[i, 3]
        e_stored[i] = answer[i, 4]
        feasible[i] = answer[i, 5] != 0.0
        stop_soc[i] = _fmax(b[i], a[i])
        stop_limit[i] = -1
        charging_time[i] = d
        e_grid[i] = eb / eff[i] + th
        average_power[i] = eb / d if d > 0.0 else 0.0


#: The columns of a record of :func:`_sessions` (a session's answer), as fields of
#: :class:`~nevcalc.model.charging.ChargeSession` (``feasible`` 1 or 0); its records are
#: :data:`RECORD` floats long.
ANSWER = ("duration", "energy_to_battery", "thermal_energy", "peak_power", "energy_stored",
          "feasible")  # fmt: skip
RECORD = 8

_KERNELS = ("_march", "_sessions", "_arrivals", "_unpack")
_compiled: dict = {}
_lock = threading.Lock()


def march(threads, *args):
    """:func:`_march` of all rows (``args`` from ``g`` on), split among ``threads``
    threads (the calling one among them) in contiguous parts; the rows of a march are
    independent."""
    kernel = compiled()["march"]
    n = args[2].size  # (ocv_i)
    cuts = [n * k // threads for k in range(threads + 1)]
    helpers = [threading.Thread(target=kernel, args=(cuts[k], cuts[k + 1], *args))
               for k in range(1, threads) if cuts[k + 1] > cuts[k]]  # fmt: skip
    for t in helpers:
        t.start()
    kernel(cuts[0], cuts[1], *args)
    for t in helpers:
        t.join()


def available() -> bool:
    """numba is installed and ``NEVCALC_NO_NUMBA`` is not set (to anything but 0 or
    empty)."""
    if os.environ.get("NEVCALC_NO_NUMBA", "") not in ("", "0"):
        return False
    return compiled() is not None


def compiled():
    """The compiled kernels by name (without the leading underscore), compiled on first
    use (or read from numba's cache), or None without numba; once for all threads."""
    with _lock:
        if "kernels" not in _compiled:
            _compiled["kernels"] = _compile()
        return _compiled["kernels"]


def _compile():
    try:
        import numba
    except ImportError:
        return None
    jit = numba.njit(cache=True, nogil=True, error_model="numpy")
    scope = globals()
    # the helpers first: the kernels call them by their global names
    for name in _HELPERS:
        scope[name] = jit(getattr(scope[name], "py_func", scope[name]))
    return {name[1:]: jit(scope[name]) for name in _KERNELS}
