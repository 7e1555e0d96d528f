"""Compiled loops of the thermal charging sessions (optional extra ``fast``: numba).

Two loops of :func:`nevcalc.scenario.charge.charge_sessions` at ambient temperatures
cost most of its time as numpy calls on short arrays: the thermal march of the families
of profiles (:func:`nevcalc.model.charging._profile` with ``lean``) and the look-up of
each session on them. Here they are written out row by row and session by session, as
plain float arithmetic that numba compiles (``nogil``: a march and a look-up run side by
side on two threads). Each does the same operations in the same order as the numpy
code, so both give the same answers to rounding (tests/model/test_kernel.py).

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

from nevcalc.model.thermal import FARADAY, GAS_CONSTANT

__all__ = ["available", "compiled"]

#: The Arrhenius reference temperature of the charge-transfer resistances [K], as
#: :func:`nevcalc.model.thermal.exchange_current`'s default.
_REFERENCE = 298.15

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
    i0_ref = GAS_CONSTANT * _REFERENCE / (FARADAY * r25)
    i0 = i0_ref / math.exp(ea / GAS_CONSTANT * (1.0 / t - 1.0 / _REFERENCE))
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


_HELPERS = ("_fmin", "_fmax", "_mix", "_mix_log", "_lookup", "_transfer_secant", "_tms_heat",
            "_temperature_step", "_factors")  # fmt: skip

# --- the march ------------------------------------------------------------------------------


def _factors(t, r_table, c_table, nodes, uniform, first, step, row):
    """Resistance and C-rate factors of row ``row`` at ``t`` [K], linear between the
    temperature nodes and held at the ends (``both_factors`` of the march)."""
    last_cell = nodes.size - 2
    if uniform:
        x = min(max((t - first) / step, 0.0), last_cell + 1.0)
        i = min(int(x), last_cell)
        w = x - i
    else:
        tc = min(max(t, nodes[0]), nodes[-1])
        i = nodes.size - 1  # searchsorted(nodes, tc, side="right") - 1, clipped
        for m in range(nodes.size):
            if nodes[m] > tc:
                i = m - 1
                break
        i = min(max(i, 0), last_cell)
        w = (tc - nodes[i]) / (nodes[i + 1] - nodes[i])
    r_f = (r_table[row, i + 1] - r_table[row, i]) * w + r_table[row, i]
    c_f = (c_table[row, i + 1] - c_table[row, i]) * w + c_table[row, i]
    return r_f, c_f


def _march(
    g, ocv_u, ocv_i, pw_u, pc_u, p_i, crq_u, c_i, row_current, row_ccode, volts,
    vcode, r0, r0_rest, r1, tau, dq, q, floor, waiting, wait_step, s0, lin, s_min, is_taper,
    t_d, ntau_d, series, ocv_t, ocv_r, cell_low, cell_span, k_d, temp0, i_last0, nodes, r_table,
    c_table, uniform, t_first, t_step, th_amb, th_c, th_ua, th_heat, th_cool, th_lo, th_hi,
    cop_h, cop_c, rt_n, rt_p, ea_n, ea_p, has_transfer, cell_code, cold_code, min_voltage_code,
    power, time, e_batt, e_stored, e_thermal, temp, stop_code,
):  # fmt: skip
    """The thermal march of :func:`nevcalc.model.charging._profile` (``lean``, the
    power limits tabulated) over ``g`` grid points, row by row: fills ``power``,
    ``time``, ``e_batt``, ``e_stored``, ``e_thermal``, ``temp`` (grid point, row) from
    their first point on and ``stop_code`` (row)."""
    n = ocv_i.size
    for r in range(n):
        dif = t_d[r] > 0.0
        ntau = -tau[r]
        dq_r = dq[r]
        half_dq = 0.5 * dq_r
        t_now = temp0[r]
        i_last = i_last0[r]
        q_floor = 1e-9 * q[r] / 3600.0

        # --- the column of grid point k at the present temperature -----------------------
        # (inlined below as a closure is not compiled: the same lines at each point)
        k = 0
        pw = pw_u[k, p_i[r]]
        pcode = pc_u[k, p_i[r]]
        cr = crq_u[k, c_i[r]]
        scale, factor = _factors(t_now, r_table, c_table, nodes, uniform, t_first, t_step, r)
        r0_k = r0_rest[r] * scale
        r1_k = r1[r] * scale
        if has_transfer:
            ii = max(i_last, q_floor)
            extra = 0.0
            if rt_n[r] > 0.0:
                extra += _transfer_secant(rt_n[r], ea_n[r], t_now, ii)
            if rt_p[r] > 0.0:
                extra += _transfer_secant(rt_p[r], ea_p[r], t_now, ii)
            r0_k = r0_k + extra
        cr = cr * factor
        cr_code = cold_code if factor < 1.0 else cell_code
        cu, cc = row_current[r], row_ccode[r]
        if not (cr >= cu) and not (cu != cu):
            cu, cc = cr, cr_code
        r4p = 4.0 * r0_k * pw
        ocv = ocv_u[k, ocv_i[r]]

        # --- the current at point 0 ---------------------------------------------------------
        eta = 0.0
        delta = 0.0
        a = ocv + eta
        if dif:
            s = s0[r] + (1.0 - s0[r]) * lin[k]
            a = series[r] * _lookup(ocv_t, ocv_r[r], cell_low[r] + cell_span[r] * s + delta) + eta
        i0 = 2.0 * pw / (a + math.sqrt(a * a + r4p))
        if math.isinf(pw):
            i0 = math.inf
        iv = _fmax(volts[r] - a, 0.0) / r0_k
        if not r0[r] > 0.0:
            iv = math.inf
        i0 = _fmin(i0, cu)
        i0 = _fmin(i0, iv)
        code = pcode
        if i0 == cu:
            code = cc
        if i0 == iv:
            code = vcode[r]
        if waiting[k, r]:
            code = min_voltage_code
            i0 = 0.0
        if not math.isfinite(i0):
            i0 = 0.0
        v0 = a + r0_k * i0
        power[k, r] = v0 * i0
        ocv0 = ocv
        end = (i0 < floor[r]) and (is_taper[code] or i0 <= 0.0) and not waiting[k, r]
        running = not end
        stop_code[r] = -1 if running else code
        r1_col = r1_k

        for k in range(g - 1):
            k1 = k + 1
            pos0 = i0 > 0.0
            dt0 = dq_r / i0 if pos0 else math.inf
            # predictor: relaxed over dt0 at i0
            ex = math.exp(dt0 / ntau)
            eta_pred = eta * ex + (r1_col * i0) * (1.0 - ex)
            delta_pred = delta
            if dif:
                e_d = math.exp(dt0 / ntau_d[r])
                delta_pred = delta * e_d + (k_d[r] * i0) * (1.0 - e_d)
            # the column of point k1 (at the temperature of point k)
            pw = pw_u[k1, p_i[r]]
            pcode = pc_u[k1, p_i[r]]
            cr = crq_u[k1, c_i[r]]
            scale, factor = _factors(t_now, r_table, c_table, nodes, uniform, t_first,
                                     t_step, r)  # fmt: skip
            r0_k = r0_rest[r] * scale
            r1_k = r1[r] * scale
            if has_transfer:
                ii = max(i_last, q_floor)
                extra = 0.0
                if rt_n[r] > 0.0:
                    extra += _transfer_secant(rt_n[r], ea_n[r], t_now, ii)
                if rt_p[r] > 0.0:
                    extra += _transfer_secant(rt_p[r], ea_p[r], t_now, ii)
                r0_k = r0_k + extra
            cr = cr * factor
            cr_code = cold_code if factor < 1.0 else cell_code
            cu, cc = row_current[r], row_ccode[r]
            if not (cr >= cu) and not (cu != cu):
                cu, cc = cr, cr_code
            r4p = 4.0 * r0_k * pw
            ocv = ocv_u[k1, ocv_i[r]]
            p_inf = math.isinf(pw)
            s1 = s0[r] + (1.0 - s0[r]) * lin[k1]
            cell1 = cell_low[r] + cell_span[r] * s1
            # the predicted current
            a = ocv + eta_pred
            if dif:
                a = series[r] * _lookup(ocv_t, ocv_r[r], cell1 + delta_pred) + eta_pred
            ip = 2.0 * pw / (a + math.sqrt(a * a + r4p))
            if p_inf:
                ip = math.inf
            iv_pred = _fmax(volts[r] - a, 0.0) / r0_k
            if not r0[r] > 0.0:
                iv_pred = math.inf
            ip = _fmin(ip, cu)
            ip = _fmin(ip, iv_pred)
            ip_raw = ip
            w0, w1 = waiting[k, r], waiting[k1, r]
            if w1:
                ip = 0.0
            if not math.isfinite(ip):
                ip = 0.0
            # Heun: the step's time from the currents at both ends
            dt = math.inf
            if ip > 0.0 and pos0:
                dt = half_dq * (1.0 / i0 + 1.0 / ip)
            dq_k, half_k = dq_r, half_dq
            if wait_step[k] and w0:
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
            eta = eta * ex + (r1_k * i_avg) * (1.0 - ex)
            if dif:
                e_d = math.exp(dt / ntau_d[r])
                delta = delta * e_d + (k_d[r] * i_avg) * (1.0 - e_d)
            a = ocv + eta
            if dif:
                a = series[r] * _lookup(ocv_t, ocv_r[r], cell1 + delta) + eta
            i1 = 2.0 * pw / (a + math.sqrt(a * a + r4p))
            if p_inf:
                i1 = math.inf
            iv = _fmax(volts[r] - a, 0.0) / r0_k
            if not r0[r] > 0.0:
                iv = math.inf
            i1 = _fmin(i1, cu)
            i1 = _fmin(i1, iv)
            code1 = pcode
            if i1 == cu:
                code1 = cc
            if i1 == iv:
                code1 = vcode[r]
            if w1:
                code1 = min_voltage_code
                i1 = 0.0
            if not math.isfinite(i1):
                i1 = 0.0
            v1 = a + r0_k * i1
            power[k1, r] = v1 * i1
            if running and (i1 < floor[r] or not fin):
                ends = (i1 < floor[r]) and (is_taper[code1] or i1 <= 0.0) and not w1
                if ends or not fin:
                    if ip > 0.0:
                        stop_code[r] = code1
                    else:  # the limit of the predicted current
                        code_p = pcode
                        if ip_raw == cu:
                            code_p = cc
                        if ip_raw == iv_pred:
                            code_p = vcode[r]
                        if w1:
                            code_p = min_voltage_code
                        stop_code[r] = code_p
                    running = False
            time[k1, r] = time[k, r] + dt
            e_batt[k1, r] = e_batt[k, r] + (v0 + v1) * half_k
            e_stored[k1, r] = e_stored[k, r] + (ocv0 + ocv) * half_k
            if has_transfer and i1 > 0.0:
                i_last = i1
            # the pack's temperature over the step
            h = dt if fin else 0.0
            joule = i_avg * i_avg * (r0_k + r1_k)
            tms = _tms_heat(t_now, th_lo[r], th_hi[r], th_heat[r], th_cool[r], th_c[r],
                            h if h > 0.0 else 1.0)  # fmt: skip
            t_now = _temperature_step(t_now, joule + tms, th_amb[r], th_c[r], th_ua[r], h)
            th_power = tms / cop_h[r] if tms > 0.0 else -tms / cop_c[r]
            temp[k1, r] = t_now
            e_thermal[k1, r] = e_thermal[k, r] + th_power * h
            if not running:
                time[k1, r] = math.inf
                e_batt[k1, r] = e_batt[k, r]
                e_stored[k1, r] = e_stored[k, r]
            i0, v0, ocv0 = i1, v1, ocv
            r1_col = r1_k


_KERNELS = ("_march",)
_compiled: dict = {}


def available() -> bool:
    """numba is installed and ``NEVCALC_NO_NUMBA`` is not set (to anything but 0 or
    empty)."""
    if os.environ.get("NEVCALC_NO_NUMBA", "") not in ("", "0"):
        return False
    return compiled() is not None


def compiled():
    """The compiled kernels by name (without the leading underscore), compiled on first
    use (or read from numba's cache), or None without numba."""
    if "kernels" not in _compiled:
        try:
            import numba
        except ImportError:
            _compiled["kernels"] = None
            return None
        jit = numba.njit(cache=True, nogil=True, error_model="numpy")
        scope = globals()
        # the helpers first: the kernels call them by their global names
        for name in _HELPERS:
            scope[name] = jit(scope[name])
        _compiled["kernels"] = {name[1:]: jit(scope[name]) for name in _KERNELS}
    return _compiled["kernels"]
