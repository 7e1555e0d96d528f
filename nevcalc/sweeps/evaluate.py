"""Evaluate a sweep: stage tables once, then chunks of rows in one vectorised pass.

Every figure comes from the stages of :mod:`nevcalc.evaluate`, the ones under every
single answer; this module decides what each stage runs over. The models run only
over the axes they depend on. The **drive** stage runs once per car variant
(vehicle, chemistry and their field values), the **charge** stage once per distinct
car-charger combination (one march per pair) and is gathered by index. The
**health** stage adds the usage axes; on a crossed grid it is evaluated over that
sub-grid only. The **cost** stage is arithmetic on every row. Random axes make a
stage depend on the draw, so it is evaluated per row: charging by interpolating, in
log power, the answers at 24 charger powers; health always reads a table of the
ageing model's answers (:mod:`nevcalc.surrogate`). Everything here is pure numpy once
:func:`prepare` has assembled the cars.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from itertools import pairwise, product
from typing import Any

import numpy as np

from nevcalc import catalog
from nevcalc.ageing import FLEET_CORRECTION_DEFAULT, climate_temperature, fleet_scale
from nevcalc.brochure.charging import spec_chemistry
from nevcalc.cars import AGEING_MODELS, stack, try_assemble
from nevcalc.errors import InputError
from nevcalc.evaluate import (
    YEAR,
    Economics,
    Surrogate,
    Usage,
    charge_stage,
    climate_consumption,
    cost_stage,
    distance_added,
    drive_stage,
    health_stage,
    interpolate_power,
    year_mean,
)
from nevcalc.model.tables import distinct
from nevcalc.reasons import MISSING_PACK, REASONS, TRIP_INFEASIBLE
from nevcalc.scenario.charge import load_charger, no_charger
from nevcalc.scenario.cost import COST_DEFAULTS, DEFAULT_DISTANCE, DEFAULT_DUTY
from nevcalc.scenario.health import climate_temperatures
from nevcalc.scenario.trend import trend
from nevcalc.surrogate import cached_health_table, health_lookup, health_table
from nevcalc.sweeps.plan import FIELDS, METRICS, SweepPlan
from nevcalc.sweeps.trip import TRIP_METRICS, trip_names, trip_rows, trip_table
from nevcalc.units import celsius_to_kelvin, kelvin_to_celsius, si_factor, to_si

__all__ = [
    "CHARGE_STEPS",
    "REASONS",
    "Chunk",
    "Prepared",
    "cached_health_table",
    "chunk_draws",
    "evaluate_chunk",
    "health_lookup",
    "health_table",
    "prepare",
    "surrogate",
]


def _cost_defaults() -> dict[str, float]:
    """The stated defaults of ``nevcalc cost``, in SI."""

    def si(key, unit):
        return to_si(COST_DEFAULTS[key][0], unit, f"default {key}")

    return {
        "usage.annual_distance": to_si(DEFAULT_DISTANCE, "km", "default distance"),
        "usage.fast_charge_share": si("fast_share", ""),
        "usage.home_charge_power": si("home_power", "kW"),
        "usage.temperature": DEFAULT_DUTY["temperature"],
        "usage.soc_low": DEFAULT_DUTY["soc_low"],
        "usage.soc_high": DEFAULT_DUTY["soc_high"],
        "usage.electricity_price": si("electricity", "USD/kWh"),
        "usage.fast_charge_price": si("fast_price", "USD/kWh"),
        "usage.value_of_time": si("value_of_time", "USD/h"),
    }


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
    variants: dict[str, np.ndarray]  #: car tables over (vehicle, chemistry, fields...)
    usage: dict[str, np.ndarray]  #: per usage index
    charge: dict[str, np.ndarray]  #: over the charging sub-grid (+ power nodes)
    charge_dims: tuple[int, ...]  #: plan dims the charging stage depends on
    power_nodes: np.ndarray | None  #: nodes of the drawn charging input (node_field)
    health_tables: dict[tuple, dict[str, np.ndarray]]
    health: dict[str, np.ndarray] | None  #: over the health sub-grid, when precomputable
    health_dims: tuple[int, ...]
    economics: Economics  #: years, replacement threshold, pack-price trend
    variant_names: tuple[str, ...] = ("vehicle", "chemistry")  #: axes of the car tables
    charge_names: tuple[str, ...] = ()  #: axes of the charging tables
    stats: dict[str, Any] = field(default_factory=dict)
    #: chunk -> a future of its draws (:func:`chunk_draws`), made while this was prepared
    ahead: dict[int, Any] = field(default_factory=dict)
    #: an executor that evaluates the blocks of a chunk side by side (None: one by one)
    pool: Any = None
    #: (usage index, model, soc_low, soc_high) -> the temperature [K] the model ages the
    #: usage's climate as (:func:`nevcalc.ageing.climate_temperature`)
    climates: dict[tuple, float] = field(default_factory=dict)
    #: usage index -> the year's mean consumption at the battery and from the grid
    #: [J m^-1] per flat car variant, month by month in the usage climate's air
    #: (:func:`nevcalc.evaluate.climate_consumption`)
    priced: dict[int, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)
    #: the drawn charging input interpolated on ``power_nodes``: the charger power [W] or
    #: the air temperature [K]
    node_field: str = "charger.max_power"
    #: trip answers over (car variant..., route, route fields..., route charger,
    #: conditions...) (:func:`nevcalc.sweeps.trip.trip_table`); None without trip metrics
    trip: dict[str, np.ndarray] | None = None
    trip_names: tuple[str, ...] = ()  #: axes of the trip table

    @property
    def chunks(self) -> int:
        rows = int(np.prod(self.shape, dtype=np.int64)) if self.shape else 1
        return -(-rows // self.chunk_rows)

    @property
    def surrogate(self) -> Surrogate:
        """What the rows use instead of the direct models: a single answer given this
        computes exactly the sweep's row."""
        nodes = self.power_nodes if self.node_field == "charger.max_power" else None
        return Surrogate(self.health_tables, CHARGE_STEPS, nodes)


def surrogate(prep: Prepared) -> Surrogate:
    """:attr:`Prepared.surrogate`."""
    return prep.surrogate


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


def _variants(plan: SweepPlan, vehicles, chemistries, vaxes):
    """Cars per (vehicle, chemistry, vehicle/chemistry field values...), assembled once
    each, with their drive-stage figures; and the cars (None: no answer)."""
    base_v = {k.split(".", 1)[1]: v for k, v in plan.base.items() if k.startswith("vehicle.")}
    base_c = {k.split(".", 1)[1]: v for k, v in plan.base.items() if k.startswith("chemistry.")}
    shape = (len(vehicles), len(chemistries), *(a.size for a in vaxes))
    specs = {v: catalog.load(v, "vehicle") for v in vehicles}
    known = {c: catalog.load(c, "chemistry") for c in chemistries if c is not None}
    for spec in specs.values():
        name = spec_chemistry(spec)[0]
        if name not in known:
            known[name] = catalog.load(name, "chemistry")
    cars = []
    for i, j, *rest in product(*(range(n) for n in shape)):
        vchg, cchg = dict(base_v), dict(base_c)
        for a, k in zip(vaxes, rest, strict=True):
            kind, field_ = a.field.split(".", 1)
            (vchg if kind == "vehicle" else cchg)[field_] = float(a.values[k])
        car = try_assemble(specs[vehicles[i]], chemistries[j], vehicle_values=vchg or None,
                           chemistry_values=cchg or None, chemistries=known)  # fmt: skip
        # a sweep row needs the road figures, an ageing model and a pack price
        if car is not None and (car.road is None or not car.ageing_model
                                or not np.isfinite(car.pack_cost)):  # fmt: skip
            car = None
        cars.append(car)
    v = stack(cars)
    drive = drive_stage(cars)
    for k in ("range", "consumption", "consumption_wall", "km_consumption"):
        v[k] = drive[k]
    v = {k: x.reshape(shape) for k, x in v.items()}
    return v, cars


def _charger_variants(plan: SweepPlan, chargers, caxes):
    """Chargers per (charger, charger field values...), flat in C order."""
    base = {k.split(".", 1)[1]: v for k, v in plan.base.items() if k.startswith("charger.")}
    shape = (len(chargers), *(a.size for a in caxes))
    out = []
    for i, *rest in product(*(range(n) for n in shape)):
        c = chargers[i] if chargers[i] is not None else no_charger()
        changes = dict(base)
        for a, k in zip(caxes, rest, strict=True):
            changes[a.field.split(".", 1)[1]] = float(a.values[k])
        out.append(replace(c, **changes) if changes else c)
    return out, shape


def _usage_table(plan: SweepPlan, usages):
    fields = (
        "annual_distance", "fast_charge_share", "home_charge_power", "temperature",
        "electricity_price", "fast_charge_price", "value_of_time", "soc_low", "soc_high",
    )  # fmt: skip
    out = {f: np.zeros(len(usages)) for f in (*fields, "fleet_cal", "fleet_cyc")}
    defaults = _cost_defaults()
    chargers, climates, airs = [], {}, {}
    for k, name in enumerate(usages):
        spec = catalog.load(name, "usage") if name else None
        for f in fields:
            if spec is not None and spec.get(f) is not None:
                out[f][k] = spec[f]
            else:
                out[f][k] = defaults[f"usage.{f}"]
        if spec is not None and spec.get("climate") is not None:  # aged at its climate
            months = climate_temperatures(spec["climate"])[0] + spec.get("temperature_rise", 0.0)
            climates[k] = months  # each ageing model collapses it its own way (_climates)
            airs[k] = climate_temperatures(spec["climate"])[0]  # the energy is priced in it
            out["temperature"][k] = climate_temperature(months)  # (rows of no such model)
        # the fleet correction, as nevcalc cost takes it from the usage (default on)
        flag = None if spec is None else spec.get("fleet_correction")
        on = FLEET_CORRECTION_DEFAULT if flag is None else flag == "on"
        out["fleet_cal"][k], out["fleet_cyc"][k] = fleet_scale(None, on)
        chargers.append(None if spec is None else spec.get("fast_charger"))
    return out, chargers, climates, airs


def _climates(plan: SweepPlan, climates, models, windows) -> dict[tuple, float]:
    """Each usage's climate collapsed by each ageing model on each window [K]; none when
    the sweep sets the temperature itself."""
    if plan.axis("usage.temperature") is not None or "usage.temperature" in plan.base:
        return {}
    return {(k, int(m), lo, hi): float(climate_temperature(months, int(m), lo, hi))
            for k, months in climates.items() for m in models
            for lo, hi in windows}  # fmt: skip


def _climate_rows(prep: Prepared, idx, model, usage: Usage):
    """The rows' temperatures [K]: a usage's climate as each row's ageing model ages it."""
    iu = _cat_index(prep, idx, "usage")
    iu, m, lo, hi, t = np.broadcast_arrays(iu, model, usage.soc_low, usage.soc_high,
                                           usage.temperature)  # fmt: skip
    out = np.array(t, float)
    for (k, mk, a, b), temp in prep.climates.items():
        out[(iu == k) & (m == mk) & (lo == a) & (hi == b)] = temp
    return out if out.ndim else float(out)


def _conditions(plan: SweepPlan, aaxes, ambient_nodes=None):
    """Air temperature [K] and preconditioning code over the grid of the ``conditions.*``
    axes (flat, C order), and the grid's shape; (None, None, ()) when the sweep sets no
    ambient. A drawn ambient is tabulated on ``ambient_nodes`` [K], the grid's last
    axis."""
    fields = ("conditions.ambient", "conditions.precondition")
    values = {}
    for f in fields:
        a = next((x for x in aaxes if x.field == f), None)
        if a is not None:
            values[f] = np.asarray(a.values, float)
        elif f in plan.base:
            values[f] = np.array([float(plan.base[f])])
    if ambient_nodes is not None:
        values["conditions.ambient"] = kelvin_to_celsius(ambient_nodes)
    if "conditions.ambient" not in values:
        if values:
            raise ValueError("conditions.precondition needs conditions.ambient")
        return None, None, ()
    columns = [(a.field, np.asarray(a.values, float)) for a in aaxes]
    if ambient_nodes is not None:
        columns.append(("conditions.ambient", values["conditions.ambient"]))
    shape = tuple(v.size for _, v in columns)
    grids = np.meshgrid(*(v for _, v in columns), indexing="ij") if columns else []
    by = {f: np.asarray(g, float).ravel() for (f, _), g in zip(columns, grids, strict=True)}
    n = int(np.prod(shape)) if shape else 1
    amb = by.get("conditions.ambient", np.full(n, values["conditions.ambient"][0]))
    pre = by.get("conditions.precondition",
                 np.full(n, values.get("conditions.precondition", np.zeros(1))[0]))  # fmt: skip
    return celsius_to_kelvin(amb), pre, shape


def _charge_table(vehicles, vshape, chargers, cshape, power_nodes, threads=1,
                  conditions=(None, None, ())):  # fmt: skip
    """Charging answers over (car variant..., charger variant..., conditions...[, power
    node])."""
    nv, nc = len(vehicles), len(chargers)
    ambient, pre, ashape = conditions
    na = 1 if ambient is None else ambient.size
    vi = np.arange(nv).reshape(nv, 1, 1)
    ci = np.arange(nc).reshape(1, nc, 1)
    amb = None if ambient is None else ambient.reshape(1, 1, na)
    code = None if ambient is None else pre.reshape(1, 1, na)
    power = None
    if power_nodes is not None:
        vi, ci = vi[..., None], ci[..., None]
        amb = None if amb is None else amb[..., None]
        code = None if code is None else code[..., None]
        power = power_nodes.reshape(1, 1, 1, -1)
    out = charge_stage(vehicles, chargers, vi, ci, power=power, steps=CHARGE_STEPS,
                       threads=threads, ambient=amb, precondition=code)  # fmt: skip
    shape = (*vshape, *cshape, *ashape, *(() if power_nodes is None else (power_nodes.size,)))
    return {k: x.reshape(shape) for k, x in out.items()}


def _windows(plan: SweepPlan, usage) -> set[tuple[float, float]]:
    """Every SoC window (low, high) a row of the sweep can have: from the usages, or from
    ``usage.soc_low`` / ``usage.soc_high`` axes and base values."""

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
    unit, flo, fhi = FIELDS[axis.field][:3]
    f = si_factor(unit)  # the field's bounds are in its unit, the draws in SI
    return max(lo, flo * f), min(hi, fhi * f)


#: Spacing of the air-temperature nodes of a drawn ambient [K].
AMBIENT_NODE_STEP = 5.0


def _ambient_nodes(plan: SweepPlan) -> np.ndarray | None:
    """Air temperatures [K] whose charging answers are interpolated, for a drawn ambient
    (None otherwise): every 5 K over the draws' support within the field's bounds."""
    a = plan.axis("conditions.ambient")
    if a is None or a.kind != "random":
        return None
    p = a.params
    lo, hi = {"uniform": (p[0], p[-1]), "triangular": (p[0], p[-1]),
              "normal": (p[0] - 4 * p[-1], p[0] + 4 * p[-1])}.get(
        a.distribution, (p[0] * np.exp(-4 * p[-1]), p[0] * np.exp(4 * p[-1])))  # fmt: skip
    _, flo, fhi = FIELDS["conditions.ambient"][:3]
    lo, hi = max(lo, flo), min(hi, fhi)
    step = AMBIENT_NODE_STEP
    nodes = np.arange(np.floor(lo / step) * step, np.ceil(hi / step) * step + step / 2, step)
    nodes = np.clip(nodes, flo, fhi)
    if nodes.size < 2:
        nodes = np.array([nodes[0], nodes[0] + step])
    return celsius_to_kelvin(nodes)


def _charge_nodes(plan: SweepPlan):
    """The drawn charging input and its nodes: (field, nodes) or (field, None)."""
    power, ambient = _power_nodes(plan), _ambient_nodes(plan)
    if power is not None and ambient is not None:
        raise InputError(
            f"{plan.source}: charger.max_power and conditions.ambient are both drawn; draw "
            "one and give the other as values"
        )
    if ambient is not None:
        return "conditions.ambient", ambient
    return "charger.max_power", power


def _power_nodes(plan: SweepPlan) -> np.ndarray | None:
    """Charger powers [W] whose charging answers are interpolated, for a random charger
    power (None otherwise)."""
    pa = plan.axis("charger.max_power")
    if pa is None or pa.kind != "random":
        return None
    return np.geomspace(*_random_support(pa), _POWER_NODES)


def prepare(plan: SweepPlan, chunk_rows: int = 1 << 19, threads: int = 1) -> Prepared:
    """Build the categorical tables and every stage that does not depend on a draw.

    ``threads`` march blocks of charging profiles side by side.
    """

    t0 = time.perf_counter()
    vehicles = _names(plan, "vehicle")
    chemistries = _names(plan, "chemistry")
    usages = _names(plan, "usage")
    usage, usage_chargers, climates, airs = _usage_table(plan, usages)
    charger_names = _names(plan, "charger")
    if charger_names == (None,) and usage_chargers[0]:
        charger_names = (usage_chargers[0],)
    chargers = [None if c is None else load_charger(c) for c in charger_names]
    vaxes = _field_axes(plan, ("vehicle", "chemistry"))
    caxes = _field_axes(plan, ("charger",))
    aaxes = _field_axes(plan, ("conditions",))
    variants, cars = _variants(plan, vehicles, chemistries, vaxes)
    # a usage with a climate prices the energy month by month in its air, as nevcalc cost
    priced = {}
    for k, air in airs.items():
        m = climate_consumption(cars, air)
        priced[k] = (year_mean(m["consumption"]), year_mean(m["consumption_wall"]))
    charge_vehicles = [None if c is None else c.charging for c in cars]
    charger_variants, cshape = _charger_variants(plan, chargers, caxes)
    node_field, power_nodes = _charge_nodes(plan)
    by_power = node_field == "charger.max_power"
    conditions = _conditions(plan, aaxes, None if by_power else power_nodes)
    charge = _charge_table(
        charge_vehicles, variants["usable"].shape, charger_variants, cshape,
        power_nodes if by_power else None, threads, conditions,
    )  # fmt: skip
    variant_names = ("vehicle", "chemistry", *(a.field for a in vaxes))
    charge_names = (*variant_names, "charger", *(a.field for a in caxes),
                    *(a.field for a in aaxes))  # fmt: skip
    t_charge = time.perf_counter() - t0
    trip = None
    if any(m in TRIP_METRICS for m in plan.outputs):
        trip = trip_table(plan, cars, variants["usable"].shape, conditions, threads)
    t_trip = time.perf_counter() - t0 - t_charge
    years, thr = int(plan.base["years"]), float(plan.base["replace_below"])
    tables = {}
    windows = _windows(plan, usage)
    models = distinct(variants["model"][variants["model"] >= 0])
    scales = {(float(a), float(b)) for a, b in zip(usage["fleet_cal"], usage["fleet_cyc"],
                                                    strict=True)}  # fmt: skip
    for m in models:
        for lo, hi in windows:
            for f in scales:  # the keys of nevcalc.ageing.ageing_stage's tables
                key = (int(m), lo, hi) if f == (1.0, 1.0) else (int(m), lo, hi, f)
                tables[key] = cached_health_table(AGEING_MODELS[m], lo, hi, years, thr,
                                                  None if len(key) == 3 else f)  # fmt: skip
    economics = Economics(years, None, None, 0.0, thr, float(trend().time.slope))

    def dims_of(fields):
        return {d for f in fields if (d := _dim_of(plan, f)) is not None}

    charge_dims = tuple(sorted(dims_of(charge_names)))
    health_dims = tuple(sorted(dims_of(charge_names) | dims_of(_HEALTH_FIELDS)))
    prep = Prepared(
        plan, plan.shape, int(chunk_rows),
        {"vehicle": tuple(vehicles), "chemistry": tuple(c or "" for c in chemistries),
         "charger": tuple(c or "" for c in charger_names),
         "usage": tuple(u or "" for u in usages),
         **({} if trip is None else {k: tuple(x or "" for x in _names(plan, k))
                                     for k in ("route", "route.charger")})},
        variants, usage, charge, charge_dims, power_nodes, tables, None, health_dims,
        economics, variant_names=variant_names, charge_names=charge_names,
        climates=_climates(plan, climates, models, windows), priced=priced,
        node_field=node_field,
        trip=trip, trip_names=(*variant_names, *trip_names(plan), *(a.field for a in aaxes)),
    )  # fmt: skip
    if trip is not None:
        prep.stats.update(trip.pop("stats"), trip_seconds=t_trip)
    prep.stats["charge_pairs"] = int(np.prod(charge["reason"].shape))
    prep.stats["charge_seconds"] = t_charge
    health_random = any(a.field in _HEALTH_FIELDS or a.field == node_field
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
    """A row's value of a numeric field [SI; temperatures in K]."""
    plan = prep.plan
    a = plan.axis(name)
    if a is not None and a.kind == "values":
        x = a.values[idx[_dim_of(plan, name)]]
    elif a is not None and a.kind == "random":
        x = draws[name]
    elif name in plan.base:
        x = plan.base[name]
    elif name.startswith("usage."):
        return prep.usage[name[6:]][usage_index]  # usage specs hold kelvin
    else:
        return None  # economics.pack_price not given: the chemistry's pack_cost
    if name == "usage.temperature":  # sweep axes and base values are in degC
        x = celsius_to_kelvin(x)
    return x


def _flat(prep: Prepared, idx, names, shape):
    """Flat index into an array of ``shape`` whose axes follow the categorical ``names``."""
    flat = 0
    for name, size in zip(names, shape, strict=False):
        flat = flat * size + _cat_index(prep, idx, name)
    return flat


def _take(arr, flat):
    return arr.ravel()[flat] if np.ndim(flat) else arr.ravel()[int(flat)]


def _charge_rows(prep: Prepared, idx, draws):
    """Charging answers per row: gathered, or interpolated in log power for random power."""
    ch = prep.charge
    shape = ch["reason"].shape
    names = prep.charge_names
    flat = _flat(prep, idx, names, shape[: len(names)])
    if prep.power_nodes is None:
        return {k: _take(v, flat) for k, v in ch.items()}
    if prep.node_field == "conditions.ambient":  # drawn in degC, tabulated in K
        return interpolate_power(ch, prep.power_nodes,
                                 celsius_to_kelvin(draws["conditions.ambient"]), rows=flat,
                                 keys=_CHARGE_KEYS, log=False, log_time=True)  # fmt: skip
    return interpolate_power(ch, prep.power_nodes, draws["charger.max_power"], rows=flat,
                             keys=_CHARGE_KEYS)  # fmt: skip


#: The charging answers a sweep row reads.
_CHARGE_KEYS = ("duration", "soc_after", "peak", "average", "reason")


def _variant(prep: Prepared, idx):
    """Flat index into the car tables."""
    return _flat(prep, idx, prep.variant_names, prep.variants["usable"].shape)


def _duty(prep: Prepared, idx, draws) -> Usage:
    """The usage fields the health stage reads (the prices are the cost stage's)."""
    iu = _cat_index(prep, idx, "usage")
    keys = [f for f in Usage.__dataclass_fields__ if f"usage.{f}" in _HEALTH_FIELDS]
    given = {f: _value(prep, idx, draws, f"usage.{f}", iu) for f in keys}
    # the fleet correction of the usage: the table built with its factors is read
    given["ageing_scale"] = (prep.usage["fleet_cal"][iu], prep.usage["fleet_cyc"][iu])
    return Usage(**{**dict.fromkeys(Usage.__dataclass_fields__), **given})


def _point(prep: Prepared, idx, draws) -> dict[str, Any]:
    """Every metric that does not depend on a cost-only axis, with the cost ingredients.

    Evaluated once per point of the health sub-grid on a crossed sweep (and gathered by
    index), or per row when a random axis reaches the charging or health stage.
    """
    fv = _variant(prep, idx)
    v = prep.variants

    def car(key):
        return _take(v[key], fv)

    ch = _charge_rows(prep, idx, draws)
    usage = _duty(prep, idx, draws)
    if prep.climates:
        usage = replace(usage, temperature=_climate_rows(prep, idx, car("model"), usage))
    usable = car("usable")
    h = health_stage(car("model"), car("cycle_life"), usable, car("consumption"), usage,
                     ch["average"], prep.economics.years, prep.economics.replace_below,
                     tables=prep.health_tables)  # fmt: skip
    with np.errstate(divide="ignore", invalid="ignore"):
        km5 = distance_added(ch["soc_after"], usable, car("km_consumption"))
    built = car("built")
    reason = np.where(built, ch["reason"], MISSING_PACK).astype(np.int8)
    out = {
        "charge_10_80": ch["duration"],
        "km_in_5_min": km5,
        "peak_power": ch["peak"],
        "fast_c_rate": h["fast_c_rate"],
        "range": car("range"),
        "consumption": car("consumption"),
        "capacity_year_8": h["capacity_year_8"],
        "capacity_end": h["capacity_end"],
        "years_to_80": h["years_to_80"] * YEAR,
        "reason": reason,
        # cost ingredients
        "distance": usage.annual_distance,
        "share": usage.fast_charge_share,
        "consumption_wall": car("consumption_wall"),
        "charge_eff": car("charge_eff"),
        "fast_power": ch["average"],
        "years_to_replace": h["years_to_replace"],
        "installed": car("installed"),
        "pack_cost": car("pack_cost"),
    }
    shape = np.broadcast_shapes(*(np.shape(x) for x in out.values()))
    return {k: np.broadcast_to(x, shape) for k, x in out.items()}


_INGREDIENTS = ("distance", "share", "consumption", "consumption_wall", "charge_eff",
                "fast_power", "years_to_replace", "installed", "pack_cost", "reason")  # fmt: skip


def _point_gather(prep: Prepared, idx, draws):
    if prep.health is None:
        return _point(prep, idx, draws)
    keys = [*_INGREDIENTS, *(m for m in prep.plan.outputs if m in prep.health)]
    dims = prep.health_dims
    if not dims:
        return {k: prep.health[k][0] for k in keys}
    sub = tuple(prep.plan.dims[d].size for d in dims)
    flat = np.ravel_multi_index(tuple(idx[d] for d in dims), sub)
    return {k: prep.health[k].take(flat) for k in keys}


def _rows(shape) -> int:
    return int(np.prod(shape, dtype=np.int64)) if shape else 1


def chunk_draws(plan: SweepPlan, chunk_rows: int, chunk: int) -> dict[str, np.ndarray]:
    """The draws of chunk ``chunk`` [SI], field -> array: what :func:`evaluate_chunk`
    draws, for drawing them before (or while) the stage tables are prepared."""
    start = chunk * chunk_rows
    n = min(_rows(plan.shape), start + chunk_rows) - start
    return _draws(plan, _power_nodes(plan), chunk, n)  # (ambient draws keep their bounds)


def _draws(plan: SweepPlan, power_nodes, chunk: int, n: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng([plan.seed, chunk])
    out = {}
    for a in plan.random:
        p = a.params
        if a.distribution == "normal":
            x = rng.normal(p[0], p[1], n)
        elif a.distribution == "uniform":
            x = rng.uniform(p[0], p[1], n)
        elif a.distribution == "triangular":
            x = rng.triangular(p[0], p[1], p[2], n)
        else:  # lognormal: the median times exp of a normal draw, in place
            x = rng.normal(0.0, p[1], n)
            np.exp(x, out=x)
            x *= p[0]
        _unit, lo, hi = FIELDS[a.field][:3]
        np.clip(x, lo * a.factor, hi * a.factor, out=x)
        if a.field == "charger.max_power" and power_nodes is not None:
            np.clip(x, power_nodes[0], power_nodes[-1], out=x)
        out[a.field] = x
    return out


#: Rows evaluated at a time inside a chunk, row by row (random axes) and in blocks of a
#: crossed grid: long enough that each numpy call runs long without the GIL, so that
#: threads evaluate side by side (at 16,384 rows two threads were slower than one; at
#: 65,536 a row costs 10 % less CPU, but two threads gain less than that over 131,072).
BLOCK_ROWS = 1 << 17
BLOCK_ROWS_CROSSED = 1 << 18


def _layout(prep: Prepared) -> tuple[int, int] | None:
    """How a crossed grid's rows are evaluated in blocks: ``(k, B)``.

    The plan's trailing dims ``k:`` (``B`` rows, at most a sixteenth of
    :data:`BLOCK_ROWS_CROSSED`) are kept as array axes; the leading ones are gathered per
    block. Every stage then runs at the broadcast shape of what it depends on and
    each column is written once. None: rows one by one (random axes).
    """
    if prep.plan.random or not prep.shape:
        return None
    shape = prep.shape
    k, rows = len(shape), 1
    while k > 0 and rows * shape[k - 1] <= BLOCK_ROWS_CROSSED // 16:
        k -= 1
        rows *= shape[k]
    return k, rows


def _cuts(start: int, stop: int, step: int) -> list[int]:
    """``start``, the multiples of ``step`` between, ``stop``."""
    first = -(-(start + 1) // step) * step
    return [start, *range(first, stop, step), stop]


def evaluate_chunk(prep: Prepared, chunk: int, into: dict | None = None) -> dict[str, np.ndarray]:
    """Every output of rows ``[chunk * chunk_rows, ...)`` as display-unit columns.

    ``into``: column arrays of ``chunk_rows`` rows to write into (a chunk's columns
    given back once read, so memory the process has is used again rather than fresh
    pages); the columns returned are then views of them.
    """
    start = chunk * prep.chunk_rows
    stop = min(_rows(prep.shape), start + prep.chunk_rows)
    draws = {}
    if prep.plan.random:
        early = prep.ahead.pop(chunk, None)
        if early is not None:
            draws = early.result()
        else:
            draws = _draws(prep.plan, prep.power_nodes, chunk, stop - start)
    layout = _layout(prep)
    step = BLOCK_ROWS if layout is None else BLOCK_ROWS_CROSSED // layout[1] * layout[1]
    cuts = _cuts(start, stop, step)
    runs: dict[str, int] = {}
    if len(cuts) == 2 and into is None:
        return Chunk(_evaluate_rows(prep, start, stop, draws, layout, runs=runs), runs)
    out: dict[str, np.ndarray] = {} if into is None else into
    size = stop - start if into is None else prep.chunk_rows
    blocks = list(pairwise(cuts))
    found = [{} for _ in blocks]  # each block's runs

    def block(j):
        s, e = blocks[j]
        part = {k: v[s - start : e - start] for k, v in draws.items()}
        _evaluate_rows(prep, s, e, part, layout, out, s - start, size, draw_columns=False,
                       runs=found[j])  # fmt: skip

    if prep.pool is not None and len(blocks) > 1:
        _allocate(prep.plan, out, size)  # (blocks side by side must not each make them)
        half = len(blocks) // 2
        todo = [prep.pool.submit(block, j) for j in range(half)]
        nxt = chunk + 1
        if prep.plan.random and nxt < prep.chunks and nxt not in prep.ahead:
            # the next chunk's draws (one stream, so one task): queued amid this chunk's
            # blocks, they are drawn by one thread while the others evaluate blocks, in
            # memory the blocks before freed
            prep.ahead[nxt] = prep.pool.submit(_draws, prep.plan, prep.power_nodes, nxt,
                                               min(stop + prep.chunk_rows, _rows(prep.shape))
                                               - stop)  # fmt: skip
        todo += [prep.pool.submit(block, j) for j in range(half, len(blocks))]
        for f in todo:
            f.result()
    else:
        for j in range(len(blocks)):
            block(j)
    for part in found:
        for name, t in part.items():
            runs[name] = min(runs.get(name, t), t)
    # the draws are this chunk's own arrays: in display units they are its columns
    for a in prep.plan.random:
        x = draws[a.field]
        if a.factor != 1.0:
            x /= a.factor
        out[a.field] = x
    return Chunk({k: out[k][: stop - start] for k in _column_names(prep.plan)}, runs)


def _allocate(plan: SweepPlan, out: dict, size: int) -> None:
    """The columns of ``size`` rows that the blocks of a chunk write, those not in ``out``
    already (the random axes' columns are the draws themselves)."""
    dtypes = {a.field: np.int32 if a.kind == "category" else np.float64
              for d in plan.dims for a in d.axes}  # fmt: skip
    dtypes.update(dict.fromkeys(plan.outputs, np.float64), reason=np.int8)
    for name, dtype in dtypes.items():
        if name not in out:
            out[name] = np.empty(size, dtype)


class Chunk(dict):
    """A chunk's columns (name -> array), and ``runs``: for some columns, a length ``T``
    such that the column is constant over each run of rows ``[j T, (j + 1) T)`` of the
    sweep (a crossed grid's metric that does not depend on its fastest axes), which
    summaries use instead of every row."""

    def __init__(self, columns, runs: dict[str, int] | None = None):
        super().__init__(columns)
        self.runs = {k: t for k, t in (runs or {}).items() if t > 1 and k in self}


def _column_names(plan: SweepPlan) -> list[str]:
    """The columns of a chunk, in their order: axes, draws, outputs, the reason code."""
    axes = [a.field for dim in plan.dims for a in dim.axes]
    return [*axes, *(a.field for a in plan.random), *plan.outputs, "reason"]


def _indices(prep: Prepared, start: int, stop: int, layout):
    """Per-dim index arrays of rows ``[start, stop)`` that broadcast, the shape they
    broadcast to, and where the rows start in it when flattened."""
    n = stop - start
    if not prep.shape:
        return [], (n,), 0
    if layout is None:
        return list(np.unravel_index(np.arange(start, stop, dtype=np.int64), prep.shape)), (n,), 0
    k, size = layout
    o0, o1 = start // size, -(-stop // size)
    inner = prep.shape[k:]
    m = o1 - o0
    outer = np.unravel_index(np.arange(o0, o1, dtype=np.int64), prep.shape[:k]) if k else ()
    idx = [o.reshape((m,) + (1,) * len(inner)) for o in outer]
    for j, n_j in enumerate(inner):
        s = [1] * (1 + len(inner))
        s[1 + j] = n_j
        idx.append(np.arange(n_j).reshape(s))
    return idx, (m, *inner), start - o0 * size


def _run_length(shape, *parts) -> int:
    """Rows over which an array of the broadcast ``shape`` (a block of a crossed grid, whose
    first row is a multiple of its trailing axes' size) made from ``parts`` is constant:
    the size of the trailing axes along which every part has length 1."""
    n = len(shape)
    dims = [(1,) * (n - np.ndim(p)) + np.shape(p) for p in parts if p is not None]
    t = 1
    for j in range(n - 1, 0, -1):
        if any(d[j] != 1 for d in dims):
            break
        t *= shape[j]
    return t


def _evaluate_rows(prep: Prepared, start: int, stop: int, draws, layout=None, out=None,
                   at: int = 0, size: int = 0, draw_columns: bool = True,
                   runs: dict | None = None):  # fmt: skip
    """Columns of rows ``[start, stop)``; written into ``out[name][at:at + n]`` when
    ``out`` is given (arrays of ``size`` rows made on first use), else returned.
    ``draw_columns``: also the columns of the random axes (the caller's otherwise).
    ``runs``: filled with :attr:`Chunk.runs` (the least over the calls of a chunk)."""
    plan = prep.plan
    n = stop - start
    idx, shape, lo = _indices(prep, start, stop, layout)
    whole = lo == 0 and int(np.prod(shape)) == n
    cols: dict[str, np.ndarray] = {} if out is None else out

    def column(name, x, dtype=float, factor=1.0, bad=None):
        """Column ``name``: ``x`` divided by ``factor``, NaN where ``bad``."""
        x = np.asarray(x, dtype)
        if runs is not None and layout is not None:
            t = _run_length(shape, x, bad)
            runs[name] = min(runs.get(name, t), t)
        if out is not None and whole:  # written in place: one pass over the column
            if name not in out:
                out[name] = np.empty(size, dtype)
            dest = out[name][at : at + n].reshape(shape)
            if factor != 1.0:
                np.divide(x, factor, out=dest)
            else:
                np.copyto(dest, x)
            if bad is not None:
                np.copyto(dest, np.nan, where=bad)
            return
        if factor != 1.0:
            x = x / factor
        if bad is not None:
            x = np.where(bad, np.nan, x)
        if out is None:
            if x.shape == (n,) and shape == (n,):
                cols[name] = np.ascontiguousarray(x)
            else:
                cols[name] = np.broadcast_to(x, shape).reshape(-1)[lo : lo + n]
            return
        if name not in out:
            out[name] = np.empty(size, dtype)
        out[name][at : at + n] = np.broadcast_to(x, shape).reshape(-1)[lo : lo + n]

    pt = _point_gather(prep, idx, draws)
    iu = _cat_index(prep, idx, "usage")
    if prep.priced:
        fv = _variant(prep, idx)
        pt = dict(pt)
        for k, (c, cw) in prep.priced.items():
            pt["consumption"] = np.where(iu == k, _take(c, fv), pt["consumption"])
            pt["consumption_wall"] = np.where(iu == k, _take(cw, fv), pt["consumption_wall"])

    def value(name):
        return _value(prep, idx, draws, name, iu)

    pack = value("economics.pack_price")
    usage = Usage(pt["distance"], pt["share"], None, None, None, None,
                  value("usage.electricity_price"), value("usage.fast_charge_price"),
                  value("usage.value_of_time"))  # fmt: skip
    economics = replace(prep.economics, discount_rate=value("economics.discount_rate"),
                        maintenance=value("economics.maintenance"))  # fmt: skip
    # the lifecycle cost of nevcalc cost with the purchase and the residual value left out
    parts = cost_stage(
        economics, usage, installed_energy=pt["installed"],
        pack_price=pt["pack_cost"] if pack is None else pack, consumption=pt["consumption"],
        consumption_wall=pt["consumption_wall"], charging_efficiency=pt["charge_eff"],
        fast_power=pt["fast_power"], years_to_replace=pt["years_to_replace"],
    )  # fmt: skip
    metrics = {
        "cost_energy": parts.energy,
        "cost_replacement": parts.replacement,
        "cost_maintenance": parts.maintenance,
        "cost_time": parts.time,
        "running_cost_per_km": parts.per_m,  # [USD m^-1]
    }
    reason = pt["reason"]
    if prep.trip is not None:
        trip = trip_rows(prep.trip, _flat(prep, idx, prep.trip_names,
                                          prep.trip["feasible"].shape))  # fmt: skip
        metrics.update((m, trip[m]) for m in TRIP_METRICS)
        reason = np.where((reason == 0) & ~trip["feasible"], TRIP_INFEASIBLE, reason)
    bad = reason == MISSING_PACK
    any_bad = bool(np.any(bad))
    for d, dim in enumerate(plan.dims):
        for a in dim.axes:
            if a.kind == "category":
                column(a.field, idx[d], np.int32)  # dictionary codes into prep.names
            else:
                column(a.field, a.values[idx[d]] / a.factor)
    for a in plan.random if draw_columns else ():
        column(a.field, draws[a.field] / a.factor)
    for m in plan.outputs:
        x = metrics[m] if m in metrics else pt[m]
        column(m, x, factor=METRICS[m].factor, bad=bad if any_bad else None)
    column("reason", reason, np.int8)
    return cols
