"""Evaluate a sweep: stage tables once, then chunks of rows in one vectorised pass.

The models run only over the axes they depend on. The **charging** stage
depends on the vehicle, chemistry, charger and charger-field axes: it is run
once per distinct combination (one march per vehicle-charger pair) and
gathered by index. The **health** stage adds the usage axes; on a crossed grid
it is evaluated over that sub-grid only. The **cost** stage is arithmetic on
every row. Random axes make a stage depend on the draw, so it is evaluated per
row: charging by interpolating, in log power, a table of the pair's answers at
24 charger powers; health always reads a table of the ageing model's answers
on nodes of charge C-rate, days per sweep and temperature (see
:func:`health_table`). Everything here is pure numpy once :func:`prepare`
has turned the specs into arrays.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from nevcalc._version import __version__
from nevcalc.metrics import display_factor
from nevcalc.model import cost as cost_model
from nevcalc.model import degradation
from nevcalc.reasons import MISSING_PACK, REASONS, charge_reason
from nevcalc.sweeps.plan import FIELDS, METRICS, SweepPlan
from nevcalc.units import celsius_to_kelvin

__all__ = [
    "REASONS",
    "Prepared",
    "cached_health_table",
    "evaluate_chunk",
    "health_lookup",
    "health_table",
    "prepare",
]

#: Seconds in a year, the unit the ageing tables answer in.
_YEAR = display_factor("year")


def _cost_defaults() -> dict[str, float]:
    """The stated defaults of ``nevcalc cost``, in SI (temperature in degC)."""
    from nevcalc.scenario.cost import COST_DEFAULTS, DEFAULT_DISTANCE, DEFAULT_DUTY
    from nevcalc.units import to_si

    def si(key, unit):
        return to_si(COST_DEFAULTS[key][0], unit, f"default {key}")

    return {
        "usage.annual_distance": to_si(DEFAULT_DISTANCE, "km", "default distance"),
        "usage.fast_charge_share": si("fast_share", ""),
        "usage.home_charge_power": si("home_power", "kW"),
        "usage.temperature": DEFAULT_DUTY["temperature"] - 273.15,
        "usage.soc_low": DEFAULT_DUTY["soc_low"],
        "usage.soc_high": DEFAULT_DUTY["soc_high"],
        "usage.electricity_price": si("electricity", "USD/kWh"),
        "usage.fast_charge_price": si("fast_price", "USD/kWh"),
        "usage.value_of_time": si("value_of_time", "USD/h"),
    }


#: Node grids of the health table: charge C-rate [1/h], days per sweep, temperature [degC].
C_NODES = np.geomspace(0.02, 10.0, 14)
PERIOD_NODES = np.geomspace(1.0, 64.0, 7)
T_NODES = np.arange(-20.0, 57.5, 2.5)
_T_CAP = 1e4  # years standing for "never" in the log-time tables
_HORIZON = 40
_POWER_NODES = 24
#: SoC steps of a sweep's charging profiles (within 0.013 % of the 400 of ``nevcalc charge``).
CHARGE_STEPS = 200
_HEALTH_FIELDS = (
    "usage", "usage.annual_distance", "usage.fast_charge_share", "usage.home_charge_power",
    "usage.temperature", "usage.soc_low", "usage.soc_high",
)  # fmt: skip


@dataclass
class Prepared:
    """Everything a worker needs to evaluate chunks: arrays and the plan."""

    plan: SweepPlan
    shape: tuple[int, ...]
    chunk_rows: int
    names: dict[str, tuple[str, ...]]  #: categorical axis -> names
    variants: dict[str, np.ndarray]  #: (n_vehicle, n_chemistry) arrays
    usage: dict[str, np.ndarray]  #: per usage index
    charge: dict[str, np.ndarray]  #: over the charging sub-grid (+ power nodes)
    charge_dims: tuple[int, ...]  #: plan dims the charging stage depends on
    power_nodes: np.ndarray | None
    health_tables: dict[tuple, dict[str, np.ndarray]]
    health: dict[str, np.ndarray] | None  #: over the health sub-grid, when precomputable
    health_dims: tuple[int, ...]
    price_slope: float  #: fitted pack-price trend [per year]
    variant_names: tuple[str, ...] = ("vehicle", "chemistry")  #: axes of the car tables
    charge_names: tuple[str, ...] = ()  #: axes of the charging tables
    stats: dict[str, Any] = field(default_factory=dict)

    @property
    def chunks(self) -> int:
        rows = int(np.prod(self.shape, dtype=np.int64)) if self.shape else 1
        return -(-rows // self.chunk_rows)


# --- health table ------------------------------------------------------------------------


def cached_health_table(model: str, soc_low: float, soc_high: float, years: int,
                        threshold: float):  # fmt: skip
    """:func:`health_table`, kept in the nevcalc cache folder (it takes about a second)."""
    import hashlib
    import os

    from nevcalc.specs.cache import cache_dir, source_stamp

    code = source_stamp("model/degradation.py", "sweeps/evaluate.py")  # a changed model: recompute
    key = repr((__version__, code, model, soc_low, soc_high, years, threshold, C_NODES.tolist(),
                PERIOD_NODES.tolist(), T_NODES.tolist()))  # fmt: skip
    path = cache_dir() / f"health-{hashlib.sha256(key.encode()).hexdigest()[:20]}.npz"
    try:
        with np.load(path) as f:
            return {k: f[k] for k in f.files}
    except (OSError, ValueError, KeyError):
        pass
    table = health_table(model, soc_low, soc_high, years, threshold)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp.npz")
        np.savez(tmp, **table)
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only cache only costs time
    return table


def health_table(model: str, soc_low: float, soc_high: float, years: int, threshold: float):
    """The ageing model's answers on nodes of C-rate, days per sweep and temperature.

    Returns a dict of arrays of shape ``(len(C_NODES), len(PERIOD_NODES), len(T_NODES))``
    holding quantities that are nearly linear between nodes: ``q8`` and ``q_end`` as the
    log of the fade ``ln(1 - q)`` after 8 and ``years`` years, ``t80`` and ``tr`` as the log
    of the years to 80 % and to ``threshold`` (``ln 1e4`` beyond the horizon).
    """
    out = {k: np.empty((C_NODES.size, PERIOD_NODES.size, T_NODES.size))
           for k in ("q8", "q_end", "t80", "tr")}  # fmt: skip
    grid = np.arange(1, _HORIZON + 1)
    for i, c in enumerate(C_NODES):
        for j, p in enumerate(PERIOD_NODES):
            duty = degradation.daily_duty(soc_high, soc_low, charge_rate=c / degradation.HOUR,
                                          temperature=celsius_to_kelvin(T_NODES),
                                          period=p * degradation.DAY)  # fmt: skip
            q = degradation.capacity_fade(model, duty, grid)
            fade = np.clip(1.0 - q, 1e-9, 1.0)
            out["q8"][i, j] = np.log(fade[:, 7])
            out["q_end"][i, j] = np.log(fade[:, years - 1])
            out["t80"][i, j] = np.log(np.minimum(degradation.years_to_capacity(q, 0.8), _T_CAP))
            out["tr"][i, j] = np.log(
                np.minimum(degradation.years_to_capacity(q, threshold), _T_CAP)
            )
    return out


def _axis_weights(nodes, x, log: bool):
    xs = np.log(nodes) if log else nodes
    v = np.log(np.clip(x, nodes[0], nodes[-1])) if log else np.clip(x, nodes[0], nodes[-1])
    i = np.clip(np.searchsorted(xs, v, side="right") - 1, 0, nodes.size - 2)
    f = (v - xs[i]) / (xs[i + 1] - xs[i])
    return i, f


def health_lookup(table: dict[str, np.ndarray], c_rate, period, temperature):
    """Trilinear interpolation of :func:`health_table` (log C-rate, log period, temperature).

    Returns ``q8`` and ``q_end`` (relative capacity [-]) and ``t80`` and ``tr`` (years,
    inf beyond the 40-year horizon).
    """
    i, fi = _axis_weights(C_NODES, c_rate, True)
    j, fj = _axis_weights(PERIOD_NODES, period, True)
    k, fk = _axis_weights(T_NODES, temperature, False)
    out = {}
    for key, arr in table.items():
        acc = 0.0
        for di, wi in ((0, 1 - fi), (1, fi)):
            for dj, wj in ((0, 1 - fj), (1, fj)):
                for dk, wk in ((0, 1 - fk), (1, fk)):
                    acc = acc + wi * wj * wk * arr[i + di, j + dj, k + dk]
        if key in ("q8", "q_end"):
            out[key] = 1.0 - np.exp(acc)
        else:
            t = np.exp(acc)
            out[key] = np.where(t > _HORIZON, np.inf, t)
    return out


# --- preparation -------------------------------------------------------------------------


def _names(plan: SweepPlan, key: str) -> tuple[str | None, ...]:
    a = plan.axis(key)
    if a is not None:
        return a.names
    return (plan.base.get(key),)


def _dim_of(plan: SweepPlan, name: str) -> int | None:
    for i, d in enumerate(plan.dims):
        if any(a.field == name for a in d.axes):
            return i
    return None


def _field_axes(plan: SweepPlan, prefixes) -> list:
    """Grid axes over spec fields of the given kinds, in the order of the plan's dims."""
    return [a for d in plan.dims for a in d.axes
            if a.kind == "values" and a.field.split(".")[0] in prefixes]  # fmt: skip


def _with_values(spec, changes: dict):
    """The spec with some SI values changed."""
    from dataclasses import replace

    return replace(spec, values={**spec.values, **changes})


def _variants(plan: SweepPlan, vehicles, chemistries, vaxes):
    """Cars per (vehicle, chemistry, vehicle/chemistry field values...): the charging
    vehicle and the road figures, once each."""
    from itertools import product

    from nevcalc import catalog
    from nevcalc.errors import InputError, SpecError
    from nevcalc.scenario.charge import vehicle_from_spec
    from nevcalc.scenario.road import drive_range, road_vehicle_from_spec, swap_cells

    base_v = {k.split(".", 1)[1]: v for k, v in plan.base.items() if k.startswith("vehicle.")}
    base_c = {k.split(".", 1)[1]: v for k, v in plan.base.items() if k.startswith("chemistry.")}
    shape = (len(vehicles), len(chemistries), *(a.size for a in vaxes))
    keys = ("usable", "installed", "consumption", "consumption_wall", "range", "charge_eff",
            "model", "cycle_life", "pack_cost", "ok")  # fmt: skip
    v = {k: np.zeros(shape) for k in keys}
    # a variant that cannot be built keeps consumption 0: an efficiency of NaN (not 0) keeps
    # its energy cost NaN without a 0/0 RuntimeWarning reaching the user
    v["charge_eff"] = np.full(shape, np.nan)
    v["model"] = np.full(shape, -1, np.int64)
    charge_vehicles = np.empty(shape, dtype=object)
    models = list(degradation.MODELS)
    for i, vname in enumerate(vehicles):
        spec0 = catalog.load(vname, "vehicle")
        chem_own = catalog.load(spec0["chemistry"], "chemistry")
        for j, cname in enumerate(chemistries):
            chem_j = chem_own if cname is None else catalog.load(cname, "chemistry")
            for rest in product(*(range(a.size) for a in vaxes)):
                idx = (i, j, *rest)
                vchg, cchg = dict(base_v), dict(base_c)
                for a, k in zip(vaxes, rest, strict=True):
                    kind, field_ = a.field.split(".", 1)
                    (vchg if kind == "vehicle" else cchg)[field_] = float(a.values[k])
                try:
                    spec = _with_values(spec0, vchg) if vchg else spec0
                    chem0 = _with_values(chem_own, cchg) if cchg else chem_own
                    chem = _with_values(chem_j, cchg) if cchg else chem_j
                    # new cells, the same pack energy
                    s = spec if chem.name == chem0.name else swap_cells(spec, chem0, chem)
                    road = road_vehicle_from_spec(s, chem)
                    rng = drive_range(road)
                    charge_vehicles[idx] = vehicle_from_spec(s, chem)
                except (InputError, SpecError, KeyError, ValueError, ZeroDivisionError):
                    continue
                v["usable"][idx] = road.usable_energy
                v["installed"][idx] = road.installed_energy
                v["consumption"][idx] = rng.consumption
                v["consumption_wall"][idx] = rng.consumption_wall
                v["range"][idx] = rng.range
                v["charge_eff"][idx] = road.charging_efficiency
                m = chem.get("ageing_model")
                v["model"][idx] = models.index(m) if m else -1
                v["cycle_life"][idx] = chem.get("cycle_life") or np.nan
                v["pack_cost"][idx] = chem.get("pack_cost") or np.nan
                ok = (m or chem.get("cycle_life")) and chem.get("pack_cost")
                v["ok"][idx] = 1.0 if ok else 0.0
    return v, charge_vehicles


def _charger_variants(plan: SweepPlan, chargers, caxes):
    """Chargers per (charger, charger field values...)."""
    from dataclasses import replace
    from itertools import product

    from nevcalc.scenario.charge import no_charger

    base = {k.split(".", 1)[1]: v for k, v in plan.base.items() if k.startswith("charger.")}
    shape = (len(chargers), *(a.size for a in caxes))
    out = np.empty(shape, dtype=object)
    for i, ch in enumerate(chargers):
        for rest in product(*(range(a.size) for a in caxes)):
            c = ch if ch is not None else no_charger()
            changes = dict(base)
            for a, k in zip(caxes, rest, strict=True):
                changes[a.field.split(".", 1)[1]] = float(a.values[k])
            out[(i, *rest)] = replace(c, **changes) if changes else c
    return out


def _usage_table(plan: SweepPlan, usages):
    from nevcalc import catalog

    fields = (
        "annual_distance", "fast_charge_share", "home_charge_power", "temperature",
        "electricity_price", "fast_charge_price", "value_of_time", "soc_low", "soc_high",
    )  # fmt: skip
    out = {f: np.zeros(len(usages)) for f in fields}
    defaults = _cost_defaults()
    chargers = []
    for k, name in enumerate(usages):
        spec = catalog.load(name, "usage") if name else None
        for f in fields:
            key = f"usage.{f}"
            if spec is not None and spec.get(f) is not None:
                val = spec[f]
                if f == "temperature":
                    val = val - 273.15
            else:
                val = defaults[key]
            out[f][k] = val
        chargers.append(None if spec is None else spec.get("fast_charger"))
    return out, chargers


def _charge_stage(charge_vehicles, charger_variants, power_nodes, threads=1):
    """Charging metrics over (vehicle variant..., charger variant...[, power node])."""
    from nevcalc.scenario.charge import charge_table

    nv, nc = charge_vehicles.ndim, charger_variants.ndim
    shape = (*charge_vehicles.shape, *charger_variants.shape)
    tail = ()
    if power_nodes is not None:
        shape, tail = (*shape, power_nodes.size), (1,)
    vi = np.arange(charge_vehicles.size).reshape(*charge_vehicles.shape, *(1,) * nc, *tail)
    ci = np.arange(charger_variants.size).reshape(*(1,) * nv, *charger_variants.shape, *tail)
    vi, ci = (np.broadcast_to(x, shape) for x in (vi, ci))
    flat = list(charge_vehicles.ravel())
    present = np.array([v is not None for v in flat], bool)
    compact = np.cumsum(present) - 1  # index among the vehicles that have a pack
    ok = present[vi]
    out = {k: np.full(shape, np.nan) for k in ("t1080", "km5", "peak", "avg")}
    out["reason"] = np.where(ok, 0, MISSING_PACK).astype(np.int8)
    if not ok.any():
        return out
    power = None if power_nodes is None else np.broadcast_to(power_nodes, shape)[ok]
    res = charge_table(
        [v for v in flat if v is not None], list(charger_variants.ravel()), compact[vi[ok]],
        ci[ok], power, soc_from=0.1, soc_to=0.8, duration=300.0, steps=CHARGE_STEPS,
        threads=threads,
    )  # fmt: skip
    feasible = res["feasible"]
    out["t1080"][ok] = res["duration"]
    out["km5"][ok] = res["range_added"]
    out["peak"][ok] = res["peak_power"]
    out["avg"][ok] = np.where(feasible, res["average_power"], 0.0)
    out["reason"][ok] = np.where(
        feasible, 0, charge_reason(res["stop_limit"], res["stop_soc"] > 0.1)
    )
    return out


def _windows(plan: SweepPlan, usage) -> set[tuple[float, float]]:
    """Every SoC window (low, high) a row of the sweep can have: from the usages, or from
    ``usage.soc_low`` / ``usage.soc_high`` axes and base values."""
    from itertools import product

    from nevcalc.errors import InputError

    def options(key):
        a = plan.axis(f"usage.{key}")
        if a is not None:
            return [float(x) for x in a.values]
        if f"usage.{key}" in plan.base:
            return [float(plan.base[f"usage.{key}"])]
        return None

    lows, highs = options("soc_low"), options("soc_high")
    pairs = set()
    for k in range(len(usage["soc_low"])):
        for lo, hi in product(lows or [float(usage["soc_low"][k])],
                              highs or [float(usage["soc_high"][k])]):  # fmt: skip
            if not 0.0 <= lo < hi <= 1.0:
                raise InputError(
                    f"SoC window {lo:.0%}..{hi:.0%} is upside down or outside 0-100 %; "
                    "usage.soc_low must be below usage.soc_high"
                )
            pairs.add((lo, hi))
    return pairs


def _random_support(axis) -> tuple[float, float]:
    p = axis.params
    if axis.distribution == "uniform":
        lo, hi = p
    elif axis.distribution == "triangular":
        lo, hi = p[0], p[2]
    elif axis.distribution == "normal":
        lo, hi = p[0] - 4 * p[1], p[0] + 4 * p[1]
    else:
        lo, hi = p[0] * np.exp(-4 * p[1]), p[0] * np.exp(4 * p[1])
    _, flo, fhi = FIELDS[axis.field][:3]
    return max(lo, flo * 1e3), min(hi, fhi * 1e3)


def prepare(plan: SweepPlan, chunk_rows: int = 1 << 19, threads: int = 1) -> Prepared:
    """Build the categorical tables and every stage that does not depend on a draw.

    ``threads`` march blocks of charging profiles side by side.
    """
    import time

    from nevcalc.scenario.charge import load_charger
    from nevcalc.scenario.trend import trend

    t0 = time.perf_counter()
    vehicles = _names(plan, "vehicle")
    chemistries = _names(plan, "chemistry")
    usages = _names(plan, "usage")
    usage, usage_chargers = _usage_table(plan, usages)
    charger_names = _names(plan, "charger")
    if charger_names == (None,) and usage_chargers[0]:
        charger_names = (usage_chargers[0],)
    chargers = [None if c is None else load_charger(c) for c in charger_names]
    vaxes = _field_axes(plan, ("vehicle", "chemistry"))
    caxes = _field_axes(plan, ("charger",))
    variants, charge_vehicles = _variants(plan, vehicles, chemistries, vaxes)
    charger_variants = _charger_variants(plan, chargers, caxes)
    pa = plan.axis("charger.max_power")
    power_nodes = None
    if pa is not None and pa.kind == "random":
        power_nodes = np.geomspace(*_random_support(pa), _POWER_NODES)
    charge = _charge_stage(charge_vehicles, charger_variants, power_nodes, threads)
    variant_names = ("vehicle", "chemistry", *(a.field for a in vaxes))
    charge_names = (*variant_names, "charger", *(a.field for a in caxes))
    t_charge = time.perf_counter() - t0
    years, thr = int(plan.base["years"]), float(plan.base["replace_below"])
    tables = {}
    models = list(degradation.MODELS)
    windows = _windows(plan, usage)
    for m in np.unique(variants["model"][variants["model"] >= 0]):
        for lo, hi in windows:
            tables[(int(m), lo, hi)] = cached_health_table(models[m], lo, hi, years, thr)

    def dims_of(fields):
        return {d for f in fields if (d := _dim_of(plan, f)) is not None}

    charge_dims = tuple(sorted(dims_of(charge_names)))
    health_dims = tuple(sorted(dims_of(charge_names) | dims_of(_HEALTH_FIELDS)))
    prep = Prepared(
        plan, plan.shape, int(chunk_rows),
        {"vehicle": tuple(vehicles), "chemistry": tuple(c or "" for c in chemistries),
         "charger": tuple(c or "" for c in charger_names),
         "usage": tuple(u or "" for u in usages)},
        variants, usage, charge, charge_dims, power_nodes, tables, None, health_dims,
        float(trend().time.slope), variant_names=variant_names, charge_names=charge_names,
    )  # fmt: skip
    prep.stats["charge_pairs"] = int(np.prod(charge["reason"].shape))
    prep.stats["charge_seconds"] = t_charge
    health_random = any(a.field in _HEALTH_FIELDS or a.field == "charger.max_power"
                        for a in plan.random)  # fmt: skip
    if not health_random:
        sub = tuple(plan.dims[d].size for d in health_dims)
        n = int(np.prod(sub, dtype=np.int64)) if sub else 1
        if n <= max(plan.rows, 1):
            idx = np.indices(sub).reshape(len(sub), -1) if sub else np.zeros((0, 1), np.intp)
            full = np.zeros((len(plan.dims), n), np.intp)
            for k, d in enumerate(health_dims):
                full[d] = idx[k]
            prep.health = {k: np.ascontiguousarray(v)
                           for k, v in _point(prep, full, {}).items()}  # fmt: skip
            prep.stats["health_points"] = n
    prep.stats["prepare_seconds"] = time.perf_counter() - t0
    return prep


# --- rows --------------------------------------------------------------------------------


def _cat_index(prep: Prepared, idx, name: str):
    d = _dim_of(prep.plan, name)
    return 0 if d is None else idx[d]


def _value(prep: Prepared, idx, draws: dict, name: str, usage_index):
    plan = prep.plan
    a = plan.axis(name)
    if a is not None and a.kind == "values":
        return a.values[idx[_dim_of(plan, name)]]
    if a is not None and a.kind == "random":
        return draws[name]
    if name in plan.base:
        return plan.base[name]
    if name.startswith("usage."):
        return prep.usage[name[6:]][usage_index]
    return None  # economics.pack_price not given: the chemistry's pack_cost


def _flat(prep: Prepared, idx, names, shape):
    """Flat index into an array of ``shape`` whose axes follow the categorical ``names``."""
    flat = 0
    for name, size in zip(names, shape, strict=False):
        flat = flat * size + _cat_index(prep, idx, name)
    return flat


def _take(arr, flat):
    return arr.ravel()[flat] if np.ndim(flat) else arr.ravel()[int(flat)]


def _charge_rows(prep: Prepared, idx, draws):
    """Charging metrics per row: gathered, or interpolated in log power for random power."""
    ch = prep.charge
    shape = ch["reason"].shape
    names = prep.charge_names
    flat = _flat(prep, idx, names, shape[: len(names)])
    if prep.power_nodes is None:
        return {k: _take(v, flat) for k, v in ch.items()}
    i, f = _axis_weights(prep.power_nodes, draws["charger.max_power"], True)
    k_nodes = shape[len(names)]
    base = flat * k_nodes + i
    out = {}
    for k, v in ch.items():
        lo, hi = _take(v, base), _take(v, base + 1)
        if k == "reason":
            out[k] = np.where(f < 0.5, lo, hi)
        elif k == "t1080":
            with np.errstate(invalid="ignore", divide="ignore"):
                out[k] = 1.0 / ((1 - f) / lo + f / hi)  # interpolate the rate, not the time
        else:
            out[k] = (1 - f) * lo + f * hi
    return out


def _variant(prep: Prepared, idx):
    """Flat index into the (vehicle, chemistry) tables."""
    return _flat(prep, idx, prep.variant_names, prep.variants["usable"].shape)


def _health_rows(prep: Prepared, idx, draws):
    """Ageing per row: duty from the usage and the charging answer, then the tables."""
    plan = prep.plan
    fv = _variant(prep, idx)
    iu = _cat_index(prep, idx, "usage")
    v = prep.variants
    usable, cons = _take(v["usable"], fv), _take(v["consumption"], fv)
    ch = _charge_rows(prep, idx, draws)
    distance = _value(prep, idx, draws, "usage.annual_distance", iu)
    share = _value(prep, idx, draws, "usage.fast_charge_share", iu)
    home = _value(prep, idx, draws, "usage.home_charge_power", iu)
    temp = _value(prep, idx, draws, "usage.temperature", iu)
    lo = _value(prep, idx, draws, "usage.soc_low", iu)
    hi = _value(prep, idx, draws, "usage.soc_high", iu)
    sweep, period, c_rate = degradation.usage_duty(
        distance_per_year=distance, consumption=cons, usable_energy=usable, soc_low=lo,
        soc_high=hi, fast_share=share, fast_power=ch["avg"], home_power=home)  # fmt: skip
    period, c_rate = period / degradation.DAY, c_rate * degradation.HOUR  # the table's axes
    c_fast = ch["avg"] / usable
    shape = np.broadcast_shapes(*(np.shape(x) for x in (usable, c_rate, period, temp, lo)))
    out = {k: np.full(shape, np.nan) for k in ("q8", "q_end", "t80", "tr")}
    model = np.broadcast_to(_take(v["model"], fv), shape)
    lo_b, hi_b = np.broadcast_to(lo, shape), np.broadcast_to(hi, shape)
    args = [np.broadcast_to(x, shape) for x in (c_rate, period, temp)]
    for (m, a, b), table in prep.health_tables.items():
        sel = (model == m) & (lo_b == a) & (hi_b == b)
        if np.any(sel):
            got = health_lookup(table, *(x[sel] for x in args))
            for k in out:
                out[k][sel] = got[k]
    simple = model < 0
    if np.any(simple):  # the labelled simple model, closed form
        life = np.broadcast_to(_take(v["cycle_life"], fv), shape)[simple]
        e = np.broadcast_to(sweep / period, shape)[simple]
        years = int(plan.base["years"])
        for key, level in (("t80", 0.8), ("tr", float(plan.base["replace_below"]))):
            t = degradation.simple_years_to(level, e, life)
            out[key][simple] = np.where(t <= _HORIZON, t, np.inf)
        out["q8"][simple] = degradation.simple_capacity(8.0, e, life)
        out["q_end"][simple] = degradation.simple_capacity(years, e, life)
    out["c_rate"] = np.broadcast_to(c_rate, shape)
    out["c_fast"] = np.broadcast_to(c_fast, shape)
    return out


def _point(prep: Prepared, idx, draws) -> dict[str, Any]:
    """Every metric that does not depend on a cost-only axis, with the cost ingredients.

    Evaluated once per point of the health sub-grid on a crossed sweep (and gathered by
    index), or per row when a random axis reaches the charging or health stage.
    """
    plan = prep.plan
    fv = _variant(prep, idx)
    iu = _cat_index(prep, idx, "usage")
    v = prep.variants
    ch = _charge_rows(prep, idx, draws)
    h = _health_rows(prep, idx, draws)
    years = int(plan.base["years"])
    distance = _value(prep, idx, draws, "usage.annual_distance", iu)
    share = _value(prep, idx, draws, "usage.fast_charge_share", iu)
    cons, cons_wall = _take(v["consumption"], fv), _take(v["consumption_wall"], fv)
    with np.errstate(divide="ignore", invalid="ignore"):
        t_r = h["tr"]
        ry = np.where(t_r < years, np.ceil(np.maximum(t_r, 1e-9)), 0).astype(np.int64)
        seconds = cost_model.fast_charge_time(distance, cons_wall, share, ch["avg"])
    reason = np.where(_take(v["ok"], fv) > 0, ch["reason"], MISSING_PACK).astype(np.int8)
    out = {
        "charge_10_80": ch["t1080"],
        "km_in_5_min": ch["km5"],
        "peak_power": ch["peak"],
        "fast_c_rate": h["c_fast"],
        "range": _take(v["range"], fv),
        "consumption": cons,
        "capacity_year_8": h["q8"],
        "capacity_end": h["q_end"],
        "years_to_80": h["t80"] * _YEAR,
        "reason": reason,
        # cost ingredients
        "distance": distance,
        "share": share,
        "charge_eff": _take(v["charge_eff"], fv),
        "fast_seconds": seconds,
        "replacement_year": ry,
        "installed": _take(v["installed"], fv),
        "pack_cost": _take(v["pack_cost"], fv),
    }
    shape = np.broadcast_shapes(*(np.shape(x) for x in out.values()))
    return {k: np.broadcast_to(x, shape) for k, x in out.items()}


_INGREDIENTS = ("distance", "share", "consumption", "charge_eff", "fast_seconds",
                "replacement_year", "installed", "pack_cost", "reason")  # fmt: skip


def _point_gather(prep: Prepared, idx, draws):
    if prep.health is None:
        return _point(prep, idx, draws)
    keys = [*_INGREDIENTS, *(m for m in prep.plan.outputs if m in prep.health)]
    dims = prep.health_dims
    if not dims:
        n = idx.shape[1] if idx.ndim == 2 else 1
        return {k: np.broadcast_to(prep.health[k][0], (n,)) for k in keys}
    sub = tuple(prep.plan.dims[d].size for d in dims)
    flat = np.ravel_multi_index(tuple(idx[d] for d in dims), sub)
    return {k: prep.health[k].take(flat) for k in keys}


def _draws(prep: Prepared, chunk: int, n: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng([prep.plan.seed, chunk])
    out = {}
    for a in prep.plan.random:
        p = a.params
        if a.distribution == "normal":
            x = rng.normal(p[0], p[1], n)
        elif a.distribution == "uniform":
            x = rng.uniform(p[0], p[1], n)
        elif a.distribution == "triangular":
            x = rng.triangular(p[0], p[1], p[2], n)
        else:
            x = p[0] * np.exp(rng.normal(0.0, p[1], n))
        _unit, lo, hi = FIELDS[a.field][:3]
        x = np.clip(x, lo * a.factor, hi * a.factor)
        if a.field == "charger.max_power" and prep.power_nodes is not None:
            x = np.clip(x, prep.power_nodes[0], prep.power_nodes[-1])
        out[a.field] = x
    return out


#: Rows evaluated at a time inside a chunk (small enough to stay in cache).
BLOCK_ROWS = 1 << 16


def evaluate_chunk(prep: Prepared, chunk: int) -> dict[str, np.ndarray]:
    """Every output of rows ``[chunk * chunk_rows, ...)`` as display-unit columns."""
    rows = int(np.prod(prep.shape, dtype=np.int64)) if prep.shape else 1
    start = chunk * prep.chunk_rows
    stop = min(rows, start + prep.chunk_rows)
    draws = _draws(prep, chunk, stop - start) if prep.plan.random else {}
    out: dict[str, np.ndarray] = {}
    for s in range(start, stop, BLOCK_ROWS):
        e = min(stop, s + BLOCK_ROWS)
        part = {k: v[s - start : e - start] for k, v in draws.items()}
        block = _evaluate_rows(prep, s, e, part)
        if e - s == stop - start:
            return block
        if not out:
            out = {k: np.empty(stop - start, v.dtype) for k, v in block.items()}
        for k, v in block.items():
            out[k][s - start : e - start] = v
    return out


def _evaluate_rows(prep: Prepared, start: int, stop: int, draws) -> dict[str, np.ndarray]:
    plan = prep.plan
    n = stop - start
    if prep.shape:
        idx = np.array(np.unravel_index(np.arange(start, stop, dtype=np.int64), prep.shape))
    else:
        idx = np.zeros((0, n), np.intp)
    pt = _point_gather(prep, idx, draws)
    iu = _cat_index(prep, idx, "usage")
    years = int(plan.base["years"])
    elec = _value(prep, idx, draws, "usage.electricity_price", iu)
    fast_price = _value(prep, idx, draws, "usage.fast_charge_price", iu)
    vot = _value(prep, idx, draws, "usage.value_of_time", iu)
    rate = _value(prep, idx, draws, "economics.discount_rate", iu)
    maint = _value(prep, idx, draws, "economics.maintenance", iu)
    pack = _value(prep, idx, draws, "economics.pack_price", iu)
    if pack is None:
        pack = pt["pack_cost"]
    share = pt["share"]
    ry = pt["replacement_year"]
    installed = pt["installed"]
    # the lifecycle cost of nevcalc cost with the purchase and the residual value left out
    parts = cost_model.lifecycle_cost(
        years, pt["distance"], rate, -installed * pack, installed, pack, pt["consumption"],
        (1 - share) * elec + share * fast_price, pt["charge_eff"], replacement_year_=ry,
        pack_price_at_replacement=pack * np.exp(prep.price_slope * ry),
        maintenance_per_distance=maint, fast_charge_time_per_year=pt["fast_seconds"],
        value_of_time=vot, residual_fraction=0.0,
    )  # fmt: skip
    metrics = {
        "cost_energy": parts.energy,
        "cost_replacement": parts.replacement,
        "cost_maintenance": parts.maintenance,
        "cost_time": parts.time,
        "running_cost_per_km": parts.per_m,  # [USD m^-1]
    }
    reason = pt["reason"]
    bad = reason == MISSING_PACK
    any_bad = bool(np.any(bad))
    cols: dict[str, np.ndarray] = {}
    for d, dim in enumerate(plan.dims):
        for a in dim.axes:
            if a.kind == "category":
                cols[a.field] = idx[d].astype(np.int32)  # dictionary codes into prep.names
            else:
                cols[a.field] = a.values[idx[d]] / a.factor
    for a in plan.random:
        cols[a.field] = draws[a.field] / a.factor
    for m in plan.outputs:
        x = np.asarray(metrics[m] if m in metrics else pt[m], float)
        factor = METRICS[m].factor
        x = x / factor if factor != 1.0 else x
        x = np.broadcast_to(x, (n,))
        cols[m] = np.where(bad, np.nan, x) if any_bad else np.ascontiguousarray(x)
    cols["reason"] = np.ascontiguousarray(np.broadcast_to(reason, (n,)), dtype=np.int8)
    return cols
