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

import difflib
import hashlib
import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from nevcalc import catalog, io
from nevcalc._version import __version__
from nevcalc.errors import InputError, SpecError
from nevcalc.metrics import METRICS as ALL_METRICS
from nevcalc.metrics import Metric
from nevcalc.params import parse
from nevcalc.scenario.cost import COST_DEFAULTS
from nevcalc.scenario.files import check_reference
from nevcalc.specs.schema import FIELDS as SCHEMA
from nevcalc.sweeps.trip import TRIP_METRICS, check_trip_plan, route_fields
from nevcalc.units import UnitInputError, from_si, kelvin_to_celsius, si_factor, to_si

__all__ = [
    "CATEGORIES",
    "DISTRIBUTIONS",
    "FIELDS",
    "LIMITS",
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
    "conditions.ambient": ("degC", -40.0, 50.0, "charge", "air temperature at the charger"),
    "conditions.precondition": (
        "min",
        0.0,
        1440.0,
        "charge",
        "battery preconditioning before arrival (0: none)",
    ),
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
FIELDS: dict[str, tuple[str, float, float, str, str]] = {
    **_schema_fields(),
    **_OWN_FIELDS,
    **route_fields(),
}

#: Categorical axes: name -> spec kind. ``route.charger``: the charger of a route's evenly
#: spaced stations.
CATEGORIES = {
    "vehicle": "vehicle",
    "charger": "charger",
    "chemistry": "chemistry",
    "usage": "usage",
    "route": "route",
    "route.charger": "charger",
}

#: Distributions and their parameters (location ones carry the field's unit).
DISTRIBUTIONS = {
    "normal": ("mean", "sd"),
    "uniform": ("low", "high"),
    "triangular": ("low", "mode", "high"),
    "lognormal": ("median", "sigma"),
}

#: Output metrics: name -> :class:`nevcalc.metrics.Metric` (units, title, meaning, direction).
METRICS: dict[str, Metric] = {
    name: ALL_METRICS[name]
    for name in (
        "charge_10_80", "km_in_5_min", "peak_power", "fast_c_rate", "range", "consumption",
        "capacity_year_8", "capacity_end", "years_to_80", "cost_energy", "cost_replacement",
        "cost_maintenance", "cost_time", "running_cost_per_km", *TRIP_METRICS,
    )
}  # fmt: skip


def _base_defaults() -> dict[str, Any]:
    """The stated defaults of ``nevcalc cost`` for what a sweep's base may leave out."""
    return {
        "years": 10,
        "replace_below": COST_DEFAULTS["replace_below"][0],
        "economics.discount_rate": COST_DEFAULTS["discount_rate"][0],
        "economics.maintenance": COST_DEFAULTS["maintenance"][0],
    }


#: Bounds checked before any work: points on one axis, rows, cars built, charging profiles
#: marched (a car takes about 2 ms to build, a charging profile about 0.2 ms to march).
LIMITS = {
    "axis_points": 1_000_000,
    "rows": 10**15,
    "car_variants": 20_000,
    "charging_profiles": 2_000_000,
    "quantiles": 20,
    "route_variants": 10_000,
    "summary_groups": 10_000,
    "trip_plans": 2_000_000,
    "trip_station_pairs": 2_000_000,
}

#: Which way each metric is better, for ``best`` and the Pareto front ("min" or "max").
BETTER: dict[str, str] = {
    name: {"lower": "min", "higher": "max"}[m.better] for name, m in METRICS.items()
}

#: Share of draws a distribution may put outside its field's bounds (they are set to the
#: bound and the plan says so); above it the axis is refused.
MAX_CLIPPED_SHARE = 0.01

_SWEEP_KEYS = {"kind", "title", "description", "base", "axis", "draws", "outputs", "summary"}
_DRAW_KEYS = {"n", "seed"}
_SUMMARY_KEYS = {"group_by", "quantiles", "best", "pareto"}
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
    note: str = ""  #: what the plan did to this axis that a user should know

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
        """Number of scenarios (exact: Python integers, never a wrapped int64)."""
        return math.prod(self.shape)

    @property
    def notes(self) -> tuple[str, ...]:
        """What the plan did that a user should know (spec folders read, draws clipped)."""
        return tuple(a.note for d in self.dims for a in d.axes if a.note) + tuple(
            a.note for a in self.random if a.note
        )

    def levels(self, names) -> dict[str, np.ndarray]:
        """Display values of the grid axes with values among ``names`` (the summary groups
        rows by them as by the names of a categorical axis)."""
        out = {}
        for name in names:
            a = self.axis(name)
            if a is not None and a.kind == "values":
                out[name] = a.values / a.factor
        return out

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


def short(value) -> str:
    _short = io.short

    return _short(value)


def _problem(where: str, message: str) -> SpecError:
    return SpecError([f"{where}: {message}"])


def _nested_hint(name: str) -> str:
    """For a top-level key that belongs in [draws] or [summary]."""
    for table, keys in (("draws", _DRAW_KEYS), ("summary", _SUMMARY_KEYS)):
        close = difflib.get_close_matches(name, list(keys), n=1)
        if close:
            return f"; did you mean {close[0]!r} under [{table}]?"
    return ""


def _described(value: Any) -> str:
    """What a TOML value of the wrong type is, for a message: ``5 is a number``, ``a table``."""
    if isinstance(value, bool):
        return f"{str(value).lower()} is true/false"
    if isinstance(value, int | float):
        return f"{short(value)} is a number"
    if isinstance(value, str):
        return f"text {short(value)}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    return f"{short(value)} is a {type(value).__name__}"


#: One axis as a sweep file writes it, for messages.
_AXIS_EXAMPLE = '[[axis]] field = "charger.max_power" values = ["150 kW", "350 kW"]'


def _values_example(name: str, value: Any) -> str:
    """``values = [...]`` for field ``name``, built from ``value`` when it is one figure."""
    unit, lo, hi = FIELDS[name][:3]
    if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
        figures = [value]
    elif isinstance(value, str) and value.strip():
        figures = [value.strip()]
    else:
        figures = [lo, hi]

    def item(f) -> str:
        if isinstance(f, str):
            return json.dumps(f)
        return json.dumps(f"{f:g} {unit}") if unit else f"{f:g}"

    return f"values = [{', '.join(item(f) for f in figures)}]"


def _did_you_mean(name: str, options) -> str:
    close = difflib.get_close_matches(name, list(options), n=1)
    return f"; did you mean {close[0]!r}?" if close else ""


def _si(text, unit: str, where: str) -> float:
    try:
        if unit == "degC":
            return kelvin_to_celsius(to_si(text, "K", where))  # degC: the health table's axis
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


def _normal_tail(z: float) -> float:
    """P(Z > z) of a standard normal."""
    return 0.5 * math.erfc(z / math.sqrt(2.0))


def _fmt(x_si: float, name: str) -> str:
    """A field's SI value in its display unit (fractions as per cent)."""
    unit = FIELDS[name][0]
    if unit == "":
        return f"{from_si(x_si, '%'):g} %"
    return f"{x_si if unit == 'degC' else from_si(x_si, unit):g} {unit}"


def _clipped(name: str, dist: str, params, where: str) -> str:
    """Refuse a distribution that reaches outside its field's bounds by more than
    :data:`MAX_CLIPPED_SHARE` of draws; say how many draws are set to a bound otherwise."""
    unit, lo, hi = FIELDS[name][:3]
    f = 1.0 if unit in ("", "degC") else si_factor(unit)
    lo_si, hi_si = lo * f, hi * f
    span = f"{_fmt(lo_si, name)}..{_fmt(hi_si, name)}"
    if dist in ("uniform", "triangular"):
        low, high = params[0], params[-1]
        if low < lo_si or high > hi_si:
            raise _problem(
                where,
                f"{dist} from {_fmt(low, name)} to {_fmt(high, name)} reaches outside {span}, "
                f"the bounds of {name}; keep low and high within them",
            )
        return ""
    if dist == "normal":
        mu, sd = params
        if not lo_si <= mu <= hi_si:
            raise _problem(where, f"normal: mean {_fmt(mu, name)} is outside {span}")
        share = _normal_tail((mu - lo_si) / sd) + _normal_tail((hi_si - mu) / sd)
    else:
        med, sigma = params
        if not lo_si <= med <= hi_si:
            raise _problem(where, f"lognormal: median {_fmt(med, name)} is outside {span}")
        below = _normal_tail(math.log(med / lo_si) / sigma) if lo_si > 0 else 0.0
        above = _normal_tail(math.log(hi_si / med) / sigma) if math.isfinite(hi_si) else 0.0
        share = below + above
    if share > MAX_CLIPPED_SHARE:
        raise _problem(
            where,
            f"{dist} puts {share:.1%} of draws outside {span}, the bounds of {name}; narrow "
            f"the spread or move the centre (at most {MAX_CLIPPED_SHARE:.0%} may be set to a "
            "bound)",
        )
    note = ""
    if share >= 1e-9:
        note = (
            f"{name}: {share:.2g} of the {dist} draws fall outside {span} and are set to the bound"
        )
    if name == "charger.max_power":
        tail = 2 * _normal_tail(4.0)
        note = (note + "; " if note else f"{name}: ") + (
            f"draws beyond 4 spreads of the centre ({tail:.1g} of them) are set to that value"
        )
    return note


def _grouped(fields) -> list[str]:
    """Field names shortened by kind: ``usage.{soc_low,soc_high}``."""
    kinds: dict[str, list[str]] = {}
    for f in fields:
        kind, name = f.split(".", 1)
        kinds.setdefault(kind, []).append(name)
    return [f"{k}.{{{','.join(v)}}}" if len(v) > 1 else f"{k}.{v[0]}" for k, v in kinds.items()]


def _category_names(kind: str, values, where: str) -> tuple[tuple[str, ...], str]:
    """The names of a categorical axis, and for ``"all"`` a note of the folders read."""
    if values == "all":
        found = catalog.list_specs(kind)
        if kind == "chemistry":  # cells with pack figures; cell-level reference sets excluded
            found = [f for f in found if catalog.load(f[1], kind).get("pack_cost") is not None]
        folders: dict[str, int] = {}
        for _k, _n, path in found:
            folders[str(path.parent)] = folders.get(str(path.parent), 0) + 1
        note = f'{kind} = "all": {len(found)} from ' + ", ".join(
            f"{folder} ({n})" for folder, n in folders.items()
        )
        return tuple(n for _k, n, _p in found), note
    if not isinstance(values, list):
        found = catalog.list_specs(kind)
        example = found[0][1] if found else "NAME"
        raise _problem(
            f"{where}.values",
            f'{_described(values)} where a list of {kind} names, or "all", is expected; '
            f'e.g. values = ["{example}"] or values = "all"',
        )
    if not values:
        raise _problem(where, 'values: give a list of spec names, or "all"')
    if len(values) > LIMITS["axis_points"]:
        raise _problem(where, f"values: more than {LIMITS['axis_points']:,} names")
    for i, v in enumerate(values):
        check_reference(v, kind, f"{where}.values[{i}]")
    if len(set(values)) != len(values):
        raise _problem(where, "values: a name is repeated; list each name once")
    return tuple(values), ""


def _axis(raw: dict, where: str) -> Axis:
    extra = sorted(set(raw) - _AXIS_KEYS)
    if extra:
        raise _problem(
            where,
            f"unknown key(s) {', '.join(extra)}{_did_you_mean(extra[0], _AXIS_KEYS)} "
            f"(allowed: {', '.join(sorted(_AXIS_KEYS))})",
        )
    if "field" not in raw:
        raise _problem(
            where, 'field: missing; name the spec field this axis sweeps, e.g. field = "usage"'
        )
    name = raw["field"]
    if not isinstance(name, str):
        raise _problem(
            f"{where}.field",
            f"{_described(name)} where the name of the spec field to sweep, in quotes, is "
            'expected; e.g. field = "charger.max_power"',
        )
    zip_ = raw.get("zip", "")
    if not isinstance(zip_, str):
        raise _problem(where, "zip: a name shared by the axes to zip, in quotes")
    if name in CATEGORIES:
        if "distribution" in raw:
            raise _problem(where, f"{name}: a categorical axis takes values, not a distribution")
        names, note = _category_names(CATEGORIES[name], raw.get("values"), where)
        return Axis(name, "category", names=names, zip=zip_, note=note)
    if name not in FIELDS:
        known = [*CATEGORIES, *FIELDS]
        raise _problem(
            where,
            f"field {short(name)} cannot be swept{_did_you_mean(name, known)}; sweepable: "
            + ", ".join([*CATEGORIES, *_grouped([*_OWN_FIELDS, *route_fields()])])
            + ", and vehicle.*, chemistry.*, charger.* quantity fields of the spec schema "
            "(`nevcalc specs fields vehicle`)",
        )
    unit = FIELDS[name][0]
    factor = 1.0 if unit in ("", "degC") else si_factor(unit)
    if "distribution" in raw:
        if FIELDS[name][3] in ("vehicle", "charge", "window", "trip") and name not in (
            "charger.max_power",
            "conditions.ambient",
        ):
            raise _problem(
                where,
                f"{name} needs a model built for every value: give values or a range "
                "(charger.max_power, conditions.ambient and the usage and economics fields "
                "can be drawn)",
            )
        dist = raw["distribution"]
        if not isinstance(dist, str) or dist not in DISTRIBUTIONS:
            raise _problem(
                where, f"distribution {short(dist)} is not one of {', '.join(DISTRIBUTIONS)}"
            )
        others = sorted(
            {q for ps in DISTRIBUTIONS.values() for q in ps} - set(DISTRIBUTIONS[dist]) & set(raw)
        )
        if others:
            raise _problem(
                where,
                f"{', '.join(others)} is not a parameter of {dist} "
                f"(it takes {', '.join(DISTRIBUTIONS[dist])}); remove it",
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
        if dist == "triangular" and not (
            params[0] <= params[1] <= params[2] and params[0] < params[2]
        ):
            raise _problem(where, "triangular: need low <= mode <= high and low < high")
        if dist in ("normal", "lognormal") and not params[1] > 0:
            raise _problem(where, f"{dist}: the spread must be positive")
        if dist == "lognormal" and not params[0] > 0:
            raise _problem(where, "lognormal: the median must be positive")
        if not all(math.isfinite(p) for p in params):
            raise _problem(where, f"{dist}: parameters must be finite")
        note = _clipped(name, dist, params, where)
        return Axis(name, "random", distribution=dist, params=tuple(params), zip=zip_,
                    factor=factor, note=note)  # fmt: skip
    if "values" in raw:
        vals = raw["values"]
        if not isinstance(vals, list):
            raise _problem(
                f"{where}.values",
                f"{_described(vals)} where a list of values is expected; e.g. "
                f"{_values_example(name, vals)}, or a range: from, to and num",
            )
        if not vals:
            raise _problem(where, "values: give a non-empty list")
        if len(vals) > LIMITS["axis_points"]:
            raise _problem(where, f"values: more than {LIMITS['axis_points']:,} points")
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
        top = LIMITS["axis_points"]
        if not isinstance(num, int) or isinstance(num, bool) or not 1 <= num <= top:
            raise _problem(
                where, f"num: {short(num)}; give a whole number of points from 1 to {top:,}"
            )
        scale = raw.get("scale", "linear")
        if not (math.isfinite(a) and math.isfinite(b)):
            raise _problem(where, "from and to must be finite")
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


def _base(raw, where: str) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise _problem(where, '[base] must be a table of fields (vehicle = "byd-han-l", ...)')
    base: dict[str, Any] = {}
    for k, v in {**_base_defaults(), **raw}.items():
        if k in CATEGORIES:
            base[k] = check_reference(v, CATEGORIES[k], f"{where}.{k}")
        elif k in FIELDS:
            base[k] = _si(v, FIELDS[k][0], f"{where}.{k}")
            _bounds(k, np.array([base[k]]), f"{where}.{k}")
        elif k == "years":
            if not isinstance(v, int) or isinstance(v, bool) or not 1 <= v <= 30:
                raise _problem(f"{where}.years", f"{short(v)}; give a whole number of years, 1-30")
            base[k] = v
        elif k == "replace_below":  # the bounds of nevcalc cost --replace-below
            try:
                base[k] = parse("replace_below", v, f"{where}.replace_below")
            except InputError as exc:
                raise SpecError([str(exc)]) from None
        else:
            known = [*CATEGORIES, *FIELDS, "years", "replace_below"]
            raise _problem(
                where,
                f"unknown key {short(k)}{_did_you_mean(k, known)} (base takes vehicle, charger, "
                "chemistry, usage, route, years, replace_below and the sweepable fields)",
            )
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
            where,
            f"unknown key(s) {', '.join(extra)}{_did_you_mean(extra[0], _SWEEP_KEYS)}"
            f"{_nested_hint(extra[0])} "
            f"(allowed: {', '.join(sorted(_SWEEP_KEYS))})",
        )
    base = _base(doc.get("base", {}), f"{where}: base")
    raw_axes = doc.get("axis", [])
    if not isinstance(raw_axes, list):
        raise _problem(
            where,
            f"axis: {_described(raw_axes)} where a list of [[axis]] tables is expected; give "
            f"axes as [[axis]] tables, e.g. {_AXIS_EXAMPLE}",
        )
    for i, a in enumerate(raw_axes):
        if not isinstance(a, dict):
            raise _problem(
                where,
                f"axis[{i}]: {_described(a)} where an [[axis]] table is expected; give axes "
                f"as [[axis]] tables, e.g. {_AXIS_EXAMPLE}",
            )
    axes = [_axis(a, f"{where}: axis[{i}]") for i, a in enumerate(raw_axes)]
    seen: set[str] = set()
    for a in axes:
        if a.field in seen:
            raise _problem(
                where, f"two axes sweep {a.field}; give each field one axis (join their values)"
            )
        seen.add(a.field)
    random = tuple(a for a in axes if a.kind == "random")
    for a in random:
        if a.zip:
            raise _problem(where, f"axis {a.field}: random axes are drawn per row; remove its zip")
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
            raise _problem(
                where,
                f"zipped axes {d.name!r} have different lengths {sorted(sizes)}; "
                "give them the same number of values",
            )
    n, seed = _draws_table(doc.get("draws"), bool(random), where)
    routed = "route" in base or any(a.field == "route" for a in axes)
    outputs = doc.get("outputs", [m for m in METRICS if routed or m not in TRIP_METRICS])
    if not isinstance(outputs, list) or not outputs:
        raise _problem(where, "outputs: a list of metrics")
    for m in outputs:
        if not isinstance(m, str) or m not in METRICS:
            raise _problem(
                where, f"outputs: {short(m)} is not a metric{_did_you_mean(str(m), METRICS)}; "
                f"metrics: {', '.join(METRICS)}"
            )  # fmt: skip
    if len(set(outputs)) != len(outputs):
        raise _problem(where, "outputs: a metric is repeated; list each metric once")
    grid = {a.field: a.size for a in axes if a.kind != "random"}
    summary = _summary_table(doc.get("summary", {}), outputs, grid, where)
    for key in ("title", "description"):
        if not isinstance(doc.get(key, ""), str):
            raise _problem(where, f"{key}: text in quotes")
    plan = SweepPlan(
        str(doc.get("title", "")), base, tuple(dims), random, int(n) if random else 0,
        int(seed), tuple(outputs), summary, where,
    )  # fmt: skip
    _check_size(plan, where)
    layouts = check_trip_plan(plan, where, {a.field: i for i, a in enumerate(axes)},
                              LIMITS["route_variants"])  # fmt: skip
    _check_trips(plan, where, layouts)
    return plan


def _draws_table(draws, random: bool, where: str) -> tuple[int, int]:
    """``[draws]``: n per grid point and the seed, checked."""
    if draws is None:
        draws = {}
    if not isinstance(draws, dict):
        raise _problem(where, "draws: a table with n and seed ([draws] n = 1000, seed = 7)")
    extra = sorted(set(draws) - _DRAW_KEYS)
    if extra:
        raise _problem(
            where,
            f"draws: unknown key(s) {', '.join(extra)}{_did_you_mean(extra[0], _DRAW_KEYS)} "
            "(allowed: n, seed)",
        )
    if not random and draws:
        raise _problem(where, "[draws] without a random axis: add an axis with a distribution")
    n, seed = draws.get("n", 0), draws.get("seed", 0)
    top = LIMITS["rows"]
    if random and (not isinstance(n, int) or isinstance(n, bool) or not 1 <= n <= top):
        raise _problem(
            where, f"draws.n: {short(n)}; give how many draws per grid point, 1 to {top:.0e}"
        )
    if not isinstance(seed, int) or isinstance(seed, bool) or not 0 <= seed < 2**63:
        raise _problem(
            where, f"draws.seed: {short(seed)}; give a whole number from 0 to 2**63 - 1"
        )
    return n, seed


def _summary_table(summary, outputs, grid, where: str) -> dict[str, Any]:
    """``[summary]``: group_by, quantiles, best and pareto, checked. ``grid``: the grid
    axes (categorical or values, not drawn) and their sizes."""
    if not isinstance(summary, dict):
        raise _problem(where, "summary: a table ([summary] group_by = [...], quantiles = [...])")
    extra = sorted(set(summary) - _SUMMARY_KEYS)
    if extra:
        raise _problem(
            where,
            f"summary: unknown key(s) {', '.join(extra)}"
            f"{_did_you_mean(extra[0], _SUMMARY_KEYS)} "
            f"(allowed: {', '.join(sorted(_SUMMARY_KEYS))})",
        )
    out = dict(summary)
    qs = summary.get("quantiles", [0.05, 0.5, 0.95])
    good = (
        isinstance(qs, list)
        and 1 <= len(qs) <= LIMITS["quantiles"]
        and all(isinstance(q, int | float) and not isinstance(q, bool) for q in qs)
        and all(0.0 <= q <= 1.0 for q in qs)
    )
    if not good:
        raise _problem(
            where,
            f"summary.quantiles: {short(qs)}; give 1 to {LIMITS['quantiles']} fractions "
            "from 0 to 1, such as [0.05, 0.5, 0.95]",
        )
    labels = [_quantile_label(q) for q in qs]
    if len(set(labels)) != len(labels):
        raise _problem(
            where, "summary.quantiles: a quantile is repeated (to 0.1 %); list each once"
        )
    out["quantiles"] = [float(q) for q in qs]
    for key in ("best", "pareto", "group_by"):
        v = summary.get(key, [])
        v = [v] if isinstance(v, str) else v
        if not isinstance(v, list) or not all(isinstance(m, str) for m in v):
            raise _problem(where, f"summary.{key}: a list of names in quotes")
        if len(set(v)) != len(v):
            raise _problem(where, f"summary.{key}: a name is repeated; list each name once")
        out[key] = v
    for key in ("best", "pareto"):
        for m in out[key]:
            if m not in outputs:
                raise _problem(
                    where,
                    f"summary.{key}: {short(m)} is not among the outputs"
                    f"{_did_you_mean(m, outputs)}",
                )
    if "pareto" in summary and len(out["pareto"]) != 2:
        raise _problem(where, "summary.pareto: name two metrics")
    for g in out["group_by"]:
        if g not in grid:
            raise _problem(
                where,
                f"summary.group_by: {short(g)} is not a categorical axis of this sweep, nor one "
                "with values (drawn axes have no groups)",
            )
    groups = math.prod(grid[g] for g in out["group_by"])
    if groups > LIMITS["summary_groups"]:
        raise _problem(
            where,
            f"summary.group_by: {groups:,} groups, more than {LIMITS['summary_groups']:,}; "
            "group by fewer or shorter axes",
        )
    if "best" not in summary:
        out["best"] = [m for m in ("running_cost_per_km", "trip_time") if m in outputs]
    return out


def _quantile_label(q: float) -> str:
    """``q05`` for 0.05, ``q99.9`` for 0.999: the key of a quantile in summaries."""
    pct = round(q * 100, 1)
    return f"q{pct:02.0f}" if pct == int(pct) else f"q{pct:04.1f}"


def _check_size(plan: SweepPlan, where: str) -> None:
    """Rows, cars to build and charging profiles to march, bounded before any work."""
    rows = plan.rows
    if rows > LIMITS["rows"]:
        raise _problem(
            where,
            f"{rows:.3g} rows ({' x '.join(map(str, plan.shape))}) is more than the "
            f"{LIMITS['rows']:.0e} a sweep may have; use fewer points or draws",
        )

    def size(name):
        a = plan.axis(name)
        return 1 if a is None or a.kind == "random" else a.size

    cars = size("vehicle") * size("chemistry")
    for d in plan.dims:
        for a in d.axes:
            if a.kind == "values" and a.field.split(".")[0] in ("vehicle", "chemistry"):
                cars *= a.size
    if cars > LIMITS["car_variants"]:
        raise _problem(
            where,
            f"{cars:,} cars to build (vehicles x chemistries x vehicle and chemistry field "
            f"values), more than {LIMITS['car_variants']:,}; use fewer values on those axes",
        )
    profiles = cars * size("charger")
    for d in plan.dims:
        for a in d.axes:
            if a.kind == "values" and a.field.startswith("charger."):
                profiles *= a.size
    power = plan.axis("charger.max_power")
    if power is not None and power.kind == "random":
        profiles *= 24
    if profiles > LIMITS["charging_profiles"]:
        raise _problem(
            where,
            f"{profiles:,} charging profiles to march (cars x chargers x charger field values), "
            f"more than {LIMITS['charging_profiles']:,}; use fewer values on those axes",
        )


def _check_trips(plan: SweepPlan, where: str, layouts) -> None:
    """Trip plans (car variants x route variants x air) and the planner's work, bounded
    before any work. ``layouts``: (stations, route variants) of each distinct layout."""
    if not any(m in TRIP_METRICS for m in plan.outputs):
        return

    def size(name):
        a = plan.axis(name)
        return 1 if a is None else a.size

    cars = size("vehicle") * size("chemistry")
    for d in plan.dims:
        for a in d.axes:
            if a.kind == "values" and a.field.split(".")[0] in ("vehicle", "chemistry",
                                                                 "conditions"):  # fmt: skip
                cars *= a.size
    plans = cars * sum(n for _k, n in layouts)
    if plans > LIMITS["trip_plans"]:
        raise _problem(
            where,
            f"{plans:,} trips to plan (cars x route variants x air temperatures), more than "
            f"{LIMITS['trip_plans']:,}; use fewer values on those axes",
        )
    # the planner loops over pairs of stations once per block of 1024 plans
    work = sum(k * k * -(-cars * n // 1024) for k, n in layouts)
    if work > LIMITS["trip_station_pairs"]:
        widest = max(k for k, _n in layouts)
        raise _problem(
            where,
            f"routes of up to {widest:,} stations planned {plans:,} times: {work:,} pairs of "
            f"stations, more than {LIMITS['trip_station_pairs']:,}; space the stations wider "
            "or shorten the route",
        )


def find_sweep(name: str) -> Path:
    """A sweep spec by path, or by name in ``specs/sweeps`` of the search paths.

    The rule of :mod:`nevcalc.scenario.files`: a path is read as given; a name resolves
    only to a file inside a spec folder (a symlink out of it is refused).
    """
    return io.find_sweep(name)


def load_plan(spec) -> SweepPlan:
    """A plan from a path, a sweep name, or an already parsed dict."""
    if isinstance(spec, dict):
        return plan_from_dict(spec)
    path = find_sweep(str(spec))
    return plan_from_dict(io.read_sweep(path), str(path))
