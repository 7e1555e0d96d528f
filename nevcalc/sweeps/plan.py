"""Sweep specs: a base scenario, axes over spec fields, draws, outputs.

A sweep spec is a TOML file (examples in ``specs/sweeps``)::

    kind = "sweep"
    title = "Charger power against running cost"

    [base]                      # the scenario every row starts from
    vehicle = "byd-han-l"
    charger = "byd-megawatt"
    usage = "private-china"
    years = 10

    [[axis]]                    # a range with units
    field = "charger.max_power"
    from = "50 kW"
    to = "1000 kW"
    num = 20

    [[axis]]                    # categorical: spec names (or "all")
    field = "vehicle"
    values = ["byd-han-l", "kia-ev6-77"]

    [[axis]]                    # Monte Carlo: a value drawn for every row
    field = "usage.electricity_price"
    distribution = "lognormal"
    median = "0.15 USD/kWh"
    sigma = 0.3

    [draws]
    n = 100000
    seed = 7

    outputs = ["charge_10_80", "running_cost_per_km"]

Axes are crossed; axes with the same ``zip`` name are zipped (equal lengths).
With ``[draws]`` every row of the grid is repeated ``n`` times, each with its
own draw of the random axes. Everything is checked before any work starts.
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from nevcalc.errors import SpecError, SpecNotFound
from nevcalc.units import UnitInputError, si_factor, to_si

__all__ = [
    "CATEGORIES",
    "DISTRIBUTIONS",
    "FIELDS",
    "METRICS",
    "Axis",
    "Dim",
    "SweepPlan",
    "load_plan",
    "plan_from_dict",
]

#: Spec fields that reach no sweep metric (prices of the car, volumes, the official range).
_NO_EFFECT = {
    "vehicle.price", "vehicle.official_range", "chemistry.cell_cost",
    "chemistry.cell_energy_density", "chemistry.pack_energy_density",
    "chemistry.cell_to_pack_volume_ratio",
}  # fmt: skip

#: Fields that only usage specs, economics or the sweep itself hold.
_OWN_FIELDS: dict[str, tuple[str, float, float, str, str]] = {
    "charger.max_power": ("kW", 1.0, 10000.0, "charge", "charger output power"),
    "charger.max_current": ("A", 1.0, 5000.0, "charge", "charger output current"),
    "usage.annual_distance": ("km", 1000.0, 200000.0, "health", "distance a year"),
    "usage.fast_charge_share": ("", 0.0, 1.0, "health", "share of energy fast-charged"),
    "usage.home_charge_power": ("kW", 1.0, 350.0, "health", "everyday charger power"),
    "usage.temperature": ("degC", -40.0, 60.0, "health", "battery temperature"),
    "usage.soc_low": ("", 0.0, 1.0, "window", "SoC the car is driven down to each day"),
    "usage.soc_high": ("", 0.0, 1.0, "window", "SoC the car is charged to and parked at"),
    "usage.electricity_price": ("USD/kWh", 0.0, 10.0, "cost", "everyday electricity price"),
    "usage.fast_charge_price": ("USD/kWh", 0.0, 10.0, "cost", "fast-charging price"),
    "usage.value_of_time": ("USD/h", 0.0, 1000.0, "cost", "value of time at chargers"),
    "economics.discount_rate": ("", 0.0, 0.5, "cost", "real discount rate"),
    "economics.pack_price": ("USD/kWh", 5.0, 5000.0, "cost", "pack price at purchase"),
    "economics.maintenance": ("USD/km", 0.0, 10.0, "cost", "maintenance per distance"),
}


def _schema_fields() -> dict[str, tuple[str, float, float, str, str]]:
    """Every quantity field of vehicle, chemistry and charger specs, as a sweep field."""
    from nevcalc.specs.schema import FIELDS as SCHEMA

    out = {}
    for kind, stage in (("vehicle", "vehicle"), ("chemistry", "vehicle"), ("charger", "charge")):
        for name, f in SCHEMA[kind].items():
            key = f"{kind}.{name}"
            if f.type == "quantity" and key not in _NO_EFFECT:
                lo = -np.inf if f.lo is None else f.lo
                hi = np.inf if f.hi is None else f.hi
                out[key] = (f.unit, lo, hi, stage, f.doc)
    return out


#: Sweepable numeric fields: name -> (unit, lowest, highest, stage, meaning). Stage
#: "vehicle" rebuilds the car (grid values only), "charge" the charger, "health" the duty,
#: "cost" the money.
FIELDS: dict[str, tuple[str, float, float, str, str]] = {**_schema_fields(), **_OWN_FIELDS}

#: Categorical axes: name -> spec kind.
CATEGORIES = {
    "vehicle": "vehicle",
    "charger": "charger",
    "chemistry": "chemistry",
    "usage": "usage",
}

#: Distributions and their parameters (location ones carry the field's unit).
DISTRIBUTIONS = {
    "normal": ("mean", "sd"),
    "uniform": ("low", "high"),
    "triangular": ("low", "mode", "high"),
    "lognormal": ("median", "sigma"),
}

#: Output metrics: name -> (unit, meaning).
METRICS: dict[str, tuple[str, str]] = {
    "charge_10_80": ("min", "time from 10 to 80 % on the charger"),
    "km_in_5_min": ("km", "range added in five minutes from 10 %"),
    "peak_power": ("kW", "highest power into the pack from 10 to 80 %"),
    "fast_c_rate": ("1/h", "average C-rate from 10 to 80 %"),
    "range": ("km", "range on the vehicle's official procedure"),
    "consumption": ("kWh/(100 km)", "at the battery, official procedure"),
    "capacity_year_8": ("", "relative capacity after 8 years of the usage"),
    "capacity_end": ("", "relative capacity at the end of ownership"),
    "years_to_80": ("year", "years of the usage to 80 % capacity (inf beyond 40)"),
    "cost_energy": ("USD", "present value of energy"),
    "cost_replacement": ("USD", "present value of a battery replacement"),
    "cost_maintenance": ("USD", "present value of maintenance"),
    "cost_time": ("USD", "present value of time at fast chargers"),
    "running_cost_per_km": ("USD/km", "energy, replacement, maintenance and time per km"),
}


def _base_defaults() -> dict[str, Any]:
    """The stated defaults of ``nevcalc cost`` for what a sweep's base may leave out."""
    from nevcalc.scenario.cost import COST_DEFAULTS

    return {
        "years": 10,
        "replace_below": COST_DEFAULTS["replace_below"][0],
        "economics.discount_rate": COST_DEFAULTS["discount_rate"][0],
        "economics.maintenance": COST_DEFAULTS["maintenance"][0],
    }


_SWEEP_KEYS = {"kind", "title", "description", "base", "axis", "draws", "outputs", "summary"}
_AXIS_KEYS = {
    "field", "values", "from", "to", "num", "scale", "zip", "distribution",
    "mean", "sd", "low", "high", "mode", "median", "sigma", "note",
}  # fmt: skip


@dataclass(frozen=True)
class Axis:
    """One axis: categorical names, numeric values [SI], or a distribution [SI params]."""

    field: str
    kind: str  #: "category", "values" or "random"
    names: tuple[str, ...] = ()
    values: np.ndarray | None = None
    distribution: str = ""
    params: tuple[float, ...] = ()
    zip: str = ""
    factor: float = 1.0  #: SI per display unit

    @property
    def size(self) -> int:
        """Length along the grid (1 for a random axis)."""
        if self.kind == "category":
            return len(self.names)
        if self.kind == "values":
            return len(self.values)
        return 1

    @property
    def unit(self) -> str:
        """Display unit of the axis."""
        return "" if self.kind == "category" else FIELDS[self.field][0]


@dataclass(frozen=True)
class Dim:
    """A grid dimension: one axis, or several zipped ones of one length."""

    name: str
    axes: tuple[Axis, ...]

    @property
    def size(self) -> int:
        return self.axes[0].size


@dataclass(frozen=True)
class SweepPlan:
    """A checked sweep: base values, grid dimensions, random axes and outputs."""

    title: str
    base: dict[str, Any]  #: categorical names and numeric SI values
    dims: tuple[Dim, ...]
    random: tuple[Axis, ...]
    draws: int
    seed: int
    outputs: tuple[str, ...]
    summary: dict[str, Any] = field(default_factory=dict)
    source: str = ""

    @property
    def shape(self) -> tuple[int, ...]:
        """Grid shape, the draws last when there are random axes."""
        return tuple(d.size for d in self.dims) + ((self.draws,) if self.random else ())

    @property
    def rows(self) -> int:
        """Number of scenarios."""
        return int(np.prod(self.shape, dtype=np.int64)) if self.shape else 1

    def axis(self, name: str) -> Axis | None:
        for d in self.dims:
            for a in d.axes:
                if a.field == name:
                    return a
        for a in self.random:
            if a.field == name:
                return a
        return None

    def digest(self) -> str:
        """Fingerprint of everything that decides the output (for resuming)."""
        from nevcalc import __version__

        doc = {
            "v": __version__,
            "base": {k: str(v) for k, v in sorted(self.base.items())},
            "dims": [
                [
                    (
                        a.field,
                        a.kind,
                        a.names,
                        None if a.values is None else a.values.tolist(),
                        a.distribution,
                        a.params,
                    )
                    for a in d.axes
                ]
                for d in self.dims
            ],
            "random": [(a.field, a.distribution, a.params) for a in self.random],
            "draws": self.draws,
            "seed": self.seed,
            "outputs": self.outputs,
        }
        return hashlib.sha256(json.dumps(doc, default=str).encode()).hexdigest()[:16]


def _problem(where: str, message: str) -> SpecError:
    return SpecError([f"{where}: {message}"])


def _did_you_mean(name: str, options) -> str:
    import difflib

    close = difflib.get_close_matches(name, list(options), n=1)
    return f"; did you mean {close[0]!r}?" if close else ""


def _si(text, unit: str, where: str) -> float:
    try:
        if unit == "degC":
            return to_si(text, "K", where) - 273.15  # held in degC in the core's duty
        return to_si(text, unit, where)
    except UnitInputError as exc:
        raise SpecError([str(exc)]) from None


def _bounds(name: str, x: np.ndarray, where: str) -> None:
    unit, lo, hi = FIELDS[name][:3]
    f = 1.0 if unit in ("", "degC") else si_factor(unit)
    lo_si, hi_si = lo * f, hi * f
    bad = (x < lo_si) | (x > hi_si)
    if np.any(bad):
        raise _problem(where, f"values outside {lo:g}..{hi:g} {unit} for {name}")


def _category_names(kind: str, values, where: str) -> tuple[str, ...]:
    from nevcalc import catalog

    if values == "all":
        names = [n for k, n, _ in catalog.list_specs(kind)]
        if kind == "chemistry":  # cells with pack figures; cell-level reference sets excluded
            names = [n for n in names if catalog.load(n, kind).get("pack_cost") is not None]
        return tuple(names)
    if not isinstance(values, list) or not values or not all(isinstance(v, str) for v in values):
        raise _problem(where, 'values: give a list of spec names, or "all"')
    for v in values:
        try:
            catalog.load(v, kind)
        except SpecNotFound as exc:
            raise _problem(where, exc.problems[0]) from None
    if len(set(values)) != len(values):
        raise _problem(where, "values: a name is repeated")
    return tuple(values)


def _axis(raw: dict, where: str) -> Axis:
    extra = sorted(set(raw) - _AXIS_KEYS)
    if extra:
        raise _problem(
            where, f"unknown key(s) {', '.join(extra)}{_did_you_mean(extra[0], _AXIS_KEYS)}"
        )
    name = raw.get("field")
    if not isinstance(name, str):
        raise _problem(where, "field: missing; name the spec field this axis sweeps")
    zip_ = str(raw.get("zip", ""))
    if name in CATEGORIES:
        if "distribution" in raw:
            raise _problem(where, f"{name}: a categorical axis takes values, not a distribution")
        return Axis(name, "category", names=_category_names(CATEGORIES[name], raw.get("values"),
                                                            where), zip=zip_)  # fmt: skip
    if name not in FIELDS:
        known = [*CATEGORIES, *FIELDS]
        raise _problem(
            where,
            f"field {name!r} cannot be swept{_did_you_mean(name, known)}; sweepable: "
            + ", ".join([*CATEGORIES, *_OWN_FIELDS])
            + ", and vehicle.*, chemistry.*, charger.* quantity fields of the spec schema "
            "(`nevcalc specs fields vehicle`)",
        )
    unit = FIELDS[name][0]
    factor = 1.0 if unit in ("", "degC") else si_factor(unit)
    if "distribution" in raw:
        if FIELDS[name][3] in ("vehicle", "charge", "window") and name != "charger.max_power":
            raise _problem(
                where,
                f"{name} needs a model built for every value: give values or a range "
                "(charger.max_power and the other usage and economics fields can be drawn)",
            )
        dist = raw["distribution"]
        if dist not in DISTRIBUTIONS:
            raise _problem(
                where, f"distribution {dist!r} is not one of {', '.join(DISTRIBUTIONS)}"
            )
        params = []
        for p in DISTRIBUTIONS[dist]:
            if p not in raw:
                raise _problem(
                    where, f"{dist} needs {', '.join(DISTRIBUTIONS[dist])}; {p} missing"
                )
            is_scale = p == "sigma" or (p == "sd" and unit == "degC")
            if p == "sigma":
                params.append(_si(raw[p], "", f"{where}.{p}"))
            elif is_scale:
                params.append(_si(raw[p], "K", f"{where}.{p}"))
            else:
                params.append(_si(raw[p], unit, f"{where}.{p}"))
        if dist == "uniform" and not params[0] < params[1]:
            raise _problem(where, "uniform: low must be below high")
        if (
            dist == "triangular"
            and not params[0] <= params[1] <= params[2]
            and params[0] < params[2]
        ):
            raise _problem(where, "triangular: need low <= mode <= high, low < high")
        if dist in ("normal", "lognormal") and params[1] <= 0:
            raise _problem(where, f"{dist}: the spread must be positive")
        if dist == "lognormal" and params[0] <= 0:
            raise _problem(where, "lognormal: the median must be positive")
        return Axis(name, "random", distribution=dist, params=tuple(params), zip=zip_,
                    factor=factor)  # fmt: skip
    if "values" in raw:
        vals = raw["values"]
        if not isinstance(vals, list) or not vals:
            raise _problem(where, "values: give a non-empty list")
        x = np.array([_si(v, unit, f"{where}.values[{i}]") for i, v in enumerate(vals)])
    elif "from" in raw or "to" in raw:
        for k in ("from", "to", "num"):
            if k not in raw:
                raise _problem(where, "a range needs from, to and num")
        a_txt, b_txt = raw["from"], raw["to"]
        try:
            a = _si(a_txt, unit, f"{where}.from")
            b = _si(b_txt, unit, f"{where}.to")
        except SpecError as exc:
            raise _problem(
                where,
                f"from {a_txt!r} and to {b_txt!r} must both be {unit or 'plain numbers'} "
                f"({exc.problems[0].split(': ')[-1]})",
            ) from None
        num = raw["num"]
        if not isinstance(num, int) or num < 1:
            raise _problem(where, "num: a whole number of at least 1")
        scale = raw.get("scale", "linear")
        if scale == "log":
            if a <= 0 or b <= 0:
                raise _problem(where, "scale = log needs positive ends")
            x = np.geomspace(a, b, num)
        elif scale == "linear":
            x = np.linspace(a, b, num)
        else:
            raise _problem(where, "scale: linear or log")
    else:
        raise _problem(where, "give values, a range (from, to, num) or a distribution")
    _bounds(name, x, where)
    return Axis(name, "values", values=x, zip=zip_, factor=factor)


def _base(raw: dict, where: str) -> dict[str, Any]:
    from nevcalc import catalog

    base: dict[str, Any] = {}
    for k, v in {**_base_defaults(), **raw}.items():
        if k in CATEGORIES:
            try:
                catalog.load(v, CATEGORIES[k])
            except SpecNotFound as exc:
                raise _problem(f"{where}.{k}", exc.problems[0]) from None
            base[k] = v
        elif k in FIELDS:
            base[k] = _si(v, FIELDS[k][0], f"{where}.{k}")
            _bounds(k, np.array([base[k]]), f"{where}.{k}")
        elif k == "years":
            if not isinstance(v, int) or not 1 <= v <= 30:
                raise _problem(f"{where}.years", "a whole number of years, 1-30")
            base[k] = v
        elif k == "replace_below":
            base[k] = _si(v, "", f"{where}.replace_below")
            if not 0.3 <= base[k] < 1.0:
                raise _problem(f"{where}.replace_below", "give 30-99 %")
        else:
            known = [*CATEGORIES, *FIELDS, "years", "replace_below"]
            raise _problem(where, f"unknown key {k!r}{_did_you_mean(k, known)}")
    if "vehicle" not in base:
        raise _problem(where, "vehicle: missing; every sweep starts from a vehicle")
    return base


def plan_from_dict(doc: dict, where: str = "sweep") -> SweepPlan:
    """Check a parsed sweep document and build its plan (no model is run)."""
    if doc.get("kind") != "sweep":
        raise _problem(where, 'kind: expected "sweep"')
    extra = sorted(set(doc) - _SWEEP_KEYS)
    if extra:
        raise _problem(
            where, f"unknown key(s) {', '.join(extra)}{_did_you_mean(extra[0], _SWEEP_KEYS)}"
        )
    base = _base(doc.get("base", {}), f"{where}: base")
    axes = [_axis(a, f"{where}: axis[{i}]") for i, a in enumerate(doc.get("axis", []))]
    seen: set[str] = set()
    for a in axes:
        if a.field in seen:
            raise _problem(where, f"two axes sweep {a.field}")
        seen.add(a.field)
    random = tuple(a for a in axes if a.kind == "random")
    for a in random:
        if a.zip:
            raise _problem(where, f"axis {a.field}: random axes are drawn per row; no zip")
        if a.field == "charger.max_current":
            raise _problem(where, "charger.max_current: give values; only max_power can be drawn")
    dims: list[Dim] = []
    groups: dict[str, list[Axis]] = {}
    for a in axes:
        if a.kind == "random":
            continue
        if a.zip:
            if a.zip not in groups:
                groups[a.zip] = []
                dims.append(Dim(a.zip, ()))
            groups[a.zip].append(a)
        else:
            dims.append(Dim(a.field, (a,)))
    dims = [Dim(d.name, tuple(groups[d.name])) if d.name in groups else d for d in dims]
    for d in dims:
        sizes = {a.size for a in d.axes}
        if len(sizes) > 1:
            raise _problem(where, f"zipped axes {d.name!r} have different lengths {sorted(sizes)}")
    draws = doc.get("draws", {})
    n = draws.get("n", 0) if isinstance(draws, dict) else 0
    seed = draws.get("seed", 0) if isinstance(draws, dict) else 0
    if random and (not isinstance(n, int) or n < 1):
        raise _problem(where, "random axes need [draws] n = how many per grid point")
    if not random and draws:
        raise _problem(where, "[draws] without a random axis: add an axis with a distribution")
    if not isinstance(seed, int):
        raise _problem(where, "draws.seed: a whole number")
    outputs = doc.get("outputs", list(METRICS))
    if not isinstance(outputs, list) or not outputs:
        raise _problem(where, "outputs: a list of metrics")
    for m in outputs:
        if m not in METRICS:
            raise _problem(
                where, f"outputs: {m!r} is not a metric{_did_you_mean(m, METRICS)}; "
                f"metrics: {', '.join(METRICS)}"
            )  # fmt: skip
    summary = doc.get("summary", {})
    if not isinstance(summary, dict):
        raise _problem(where, "summary: a table")
    for key in ("best", "pareto"):
        for m in np.atleast_1d(summary.get(key, [])):
            if m not in outputs:
                raise _problem(where, f"summary.{key}: {m!r} is not among the outputs")
    if "pareto" in summary and len(summary["pareto"]) != 2:
        raise _problem(where, "summary.pareto: name two metrics")
    grid_categories = {a.field for a in axes if a.kind == "category"}
    for g in summary.get("group_by", []):
        if g not in grid_categories:
            raise _problem(
                where, f"summary.group_by: {g!r} is not a categorical axis of this sweep"
            )
    return SweepPlan(
        str(doc.get("title", "")), base, tuple(dims), random, int(n) if random else 0,
        int(seed), tuple(outputs), summary, where,
    )  # fmt: skip


def find_sweep(name: str) -> Path:
    """A sweep spec by path, or by name in ``specs/sweeps`` of the search paths."""
    from nevcalc.catalog import search_paths

    if name.endswith(".toml") or "/" in name:
        p = Path(name)
        if not p.is_file():
            raise SpecNotFound([f"{p}: file not found"])
        return p
    for root in search_paths():
        p = root / "sweeps" / f"{name}.toml"
        if p.is_file():
            return p
    raise SpecNotFound([f"no sweep named {name!r} in specs/sweeps"])


def load_plan(spec) -> SweepPlan:
    """A plan from a path, a sweep name, or an already parsed dict."""
    if isinstance(spec, dict):
        return plan_from_dict(spec)
    path = find_sweep(str(spec))
    try:
        with open(path, "rb") as fh:
            doc = tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise SpecError([f"{path}: not valid TOML: {exc}"]) from None
    return plan_from_dict(doc, str(path))
