"""Seed scenarios: industry claims put to the models.

A scenario file (``specs/scenarios/NAME.toml``) lists **cases** — a shipped
vehicle, optionally with its cells swapped for another chemistry (keeping the
pack's energy, mass or the car's range), a charger, a usage and a pack price —
and **claims**, each a published figure to hold one case's metric, or the
change between two cases, against. Every case is evaluated with the same
models as ``nevcalc charge``, ``range``, ``health`` and ``cost``:

====================  ======================================================
metric                meaning
====================  ======================================================
charge_10_80          time from 10 to 80 % on the case's charger [s]
km_in_5_min           range added in five minutes from 10 % [m]
peak_power            highest power into the pack in that session [W]
range                 range on the vehicle's official procedure [m]
consumption           at the battery on that procedure [J m^-1]
usable_energy         [J]
pack_mass             [kg]
pack_specific_energy  installed energy over pack mass [J kg^-1]
capacity_year_8       relative capacity after 8 years of the usage [-]
years_to_80           years of the usage to 80 % capacity [s]
km_to_80              distance driven by then [m]
efc_to_80             equivalent full cycles by then [-]
cost_per_km           cost per distance of ``nevcalc cost``: purchase, energy,
                      battery replacement, maintenance, time at fast chargers,
                      less the residual value [USD m^-1]
pack_price            pack price per installed energy [USD J^-1]
====================  ======================================================
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from nevcalc import _show, io
from nevcalc.cars import assemble
from nevcalc.errors import InputError, SpecError, SpecNotFound
from nevcalc.metrics import METRICS as ALL_METRICS
from nevcalc.metrics import Metric
from nevcalc.params import PARAMETERS, check
from nevcalc.scenario.cost import running_cost
from nevcalc.scenario.files import check_reference
from nevcalc.scenario.trend import load_market
from nevcalc.units import UnitInputError, bare_number, format_si, from_si, to_si

__all__ = [
    "ABOUT",
    "METRICS",
    "CaseResult",
    "ClaimCheck",
    "ScenarioAnswer",
    "list_scenarios",
    "run_scenario",
]

#: Metric name -> :class:`nevcalc.metrics.Metric` (units, title, meaning, direction).
METRICS: dict[str, Metric] = {
    name: ALL_METRICS[name]
    for name in (
        "charge_10_80", "km_in_5_min", "peak_power", "range", "consumption", "usable_energy",
        "pack_mass", "pack_specific_energy", "capacity_year_8", "years_to_80", "km_to_80",
        "efc_to_80", "cost_per_km", "pack_price",
    )
}  # fmt: skip

_CASE_KEYS = {"name", "vehicle", "chemistry", "keep", "charger", "usage", "pack_price", "note"}
_CLAIM_KEYS = {"metric", "case", "from", "to", "value", "relation", "source", "kind", "note"}
_RELATIONS = ("about", "at least", "at most")

#: "about" holds within this share of the claimed figure (or ratio).
ABOUT = 0.10


@dataclass(frozen=True)
class CaseResult:
    """One case's metrics (SI floats; ``None`` where a metric does not apply)."""

    name: str
    title: str
    metrics: dict[str, float | None]
    notes: tuple[str, ...]


@dataclass(frozen=True)
class ClaimCheck:
    """A claim against what the models give."""

    text: str
    metric: str
    claimed: float  #: SI, or a ratio for changes
    computed: float
    change: bool  #: a relative change between two cases
    relation: str
    holds: bool | None  #: None when the models cannot tell (a metric not reached)
    source: str
    kind: str

    @property
    def verdict(self) -> str:
        """``"holds"``, ``"does not hold"`` or ``"cannot tell"``."""
        return {True: "holds", False: "does not hold", None: "cannot tell"}[self.holds]


@dataclass(frozen=True)
class ScenarioAnswer:
    """A scenario's cases and its claims checked."""

    name: str
    title: str
    description: str
    cases: tuple[CaseResult, ...]
    checks: tuple[ClaimCheck, ...]
    path: str

    def __repr__(self) -> str:
        return _show.line(self)

    def _repr_html_(self) -> str:
        return _show.html(self)


def list_scenarios() -> list[tuple[str, str, Path]]:
    """(name, title, path) of every scenario visible from here, first match per name."""
    out = []
    for name, f in io.list_files("scenarios"):
        try:
            title = _read(f).get("title", name)
        except SpecError:
            title = "(invalid file)"
        out.append((name, str(title), f))
    return sorted(out)


def _read(path: Path) -> dict[str, Any]:
    """A scenario file: regular, UTF-8, bounded in size and depth."""
    return io.read_scenario(path)


def _find(name: str) -> Path:
    if io.is_path(name) or len(name) > io.MAX_NAME:
        return io.find_scenario(name)
    try:
        return io.find(name, "scenarios", "scenario",
                       known=[n for n, _ in io.list_files("scenarios")])  # fmt: skip
    except SpecNotFound as exc:
        names = ", ".join(n for n, _ in io.list_files("scenarios")) or "none"
        raise SpecNotFound([f"{exc.problems[0]}; known: {names}"]) from None


def _check_keys(raw: dict, allowed: set[str], where: str, path: Path) -> None:
    extra = sorted(set(raw) - allowed)
    if extra:
        raise SpecError(
            [f"{path}: {where}: unknown key(s) {', '.join(extra)}; "
             f"allowed: {', '.join(sorted(allowed))}"]
        )  # fmt: skip


def _pack_price(raw, path: Path, where: str, notes: list[str]) -> float | None:
    """A case's pack price [USD J^-1] in the market history's basis-year dollars."""
    if raw is None:
        return None
    if not isinstance(raw, dict) or not {"value", "source", "kind"} <= set(raw):
        raise SpecError([f"{path}: {where}: give {{ value, dollar_year, source, kind }}"])
    try:
        value = to_si(raw["value"], "USD/kWh", f"{path}: {where}")
    except (InputError, UnitInputError) as exc:
        raise SpecError([str(exc)]) from None
    if "dollar_year" in raw:
        market = load_market()
        year = raw["dollar_year"]
        if isinstance(year, bool) or not isinstance(year, int) or year not in market.cpi:
            raise SpecError(
                [f"{path}: {where}.dollar_year: {io.short(year)} is not a year of the price "
                 f"index; give one of {', '.join(map(str, sorted(market.cpi)))}"]
            )  # fmt: skip
        value = market.deflate(value, year)
    try:
        check("pack_price", value, f"{path}: {where}")
    except InputError as exc:  # a figure in a file: a spec problem (exit 1), not usage
        raise SpecError([str(exc)]) from None
        notes.append(
            f"pack price {raw['value']} in {raw['dollar_year']} dollars = "
            f"{format_si(value, 'USD/kWh', '.0f')} in {market.basis_year} dollars"
        )
    return value


def _evaluate_case(raw: dict, path: Path, where: str) -> CaseResult:
    """One case: a one-row evaluation (:func:`nevcalc.scenario.cost.running_cost`)."""
    for key in ("name", "vehicle"):
        if key not in raw:
            raise SpecError([f"{path}: {where}: missing {key}"])
    # references inside a file are spec names in the spec folders, never paths
    for key in ("vehicle", "chemistry", "charger", "usage"):
        if raw.get(key) is not None:
            check_reference(raw[key], key, f"{path}: {where}.{key}")
    notes: list[str] = []
    car = assemble(raw["vehicle"], raw.get("chemistry") or None, keep=raw.get("keep", "energy"))
    notes.extend(car.notes)
    price_si = _pack_price(raw.get("pack_price"), path, f"{where}.pack_price", notes)
    # running cost for every case, so cars with and without a published price compare
    price = None if price_si is None else from_si(price_si, "USD/kWh")
    cost = running_cost(car.vehicle, raw.get("charger"), usage=raw.get("usage"), pack_price=price)
    m = cost.metrics
    t80 = m["years_to_80"]
    finite = np.isfinite(t80)
    metrics = {
        "charge_10_80": m["charge_10_80"] if np.isfinite(m["charge_10_80"]) else None,
        "km_in_5_min": m["km_in_5_min"],
        "peak_power": m["peak_power"],
        "range": m["range"],
        "consumption": m["consumption"],
        "usable_energy": m["usable_energy"],
        "pack_mass": m["pack_mass"],
        "pack_specific_energy": m["pack_specific_energy"],
        "capacity_year_8": m["capacity_year_8"],
        "years_to_80": t80 if finite else None,
        "km_to_80": m["km_to_80"] if finite else None,
        "efc_to_80": m["efc_to_80"] if finite else None,
        "cost_per_km": m["running_cost_per_km"],
        "pack_price": price_si if price_si is not None else car.chemistry.get("pack_cost"),
    }
    if raw.get("note"):
        notes.append(str(raw["note"]))
    title = f"{car.title}" + (f" with {car.chemistry.name} cells" if raw.get("chemistry") else "")
    if raw.get("charger"):
        title += f" on {raw['charger']}"
    return CaseResult(str(raw["name"]), title, metrics, tuple(notes))


def _bare(value: Any) -> float | None:
    """The number of a figure written without a unit (``500``, ``"500"``), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, numbers.Real):
        return float(value)
    return bare_number(value) if isinstance(value, str) else None


def _claimed_figure(value: Any, metric: str, where: str) -> float:
    """A claim's figure of ``metric`` [SI], refused unless usable.

    Parameters
    ----------
    value : str, int or float
        As written in the file: ``"500 km"``; a share as ``"90 %"`` or 0.9; a count of
        cycles as ``"2000"``.
    metric : str
        A key of :data:`METRICS`.
    where : str
        ``"FILE: claim[i].value"``, starting every message.

    Returns
    -------
    float
        The figure in the metric's SI unit, within the bounds of ``claim.METRIC`` of
        :mod:`nevcalc.params` (every claimed quantity is positive).

    Raises
    ------
    SpecError
        A figure of a metric with a dimension written without its unit (the message
        gives it with the unit expected), of another dimension, or out of bounds.
    """
    m = METRICS[metric]
    param = PARAMETERS[f"claim.{metric}"]
    number = _bare(value)
    if m.si_unit and number is not None:
        example = f"{number:g} {m.unit}" if 0 < number < 1e6 else param.example
        raise SpecError(
            [f"{where}: {io.short(value)} has no unit; give the {m.title} with its unit "
             f"({m.unit}), in quotes, e.g. '{example}'"]
        )  # fmt: skip
    try:
        si = to_si(value, {"%": ""}.get(m.unit, m.unit), where)
        return check(param.name, si, where, shown=io.short(value))
    except (InputError, UnitInputError) as exc:  # a figure in a file: exit 1, not usage
        raise SpecError([str(exc)]) from None


def _check_claim(raw: dict, cases: dict[str, CaseResult], path: Path, where: str) -> ClaimCheck:
    metric = raw.get("metric")
    if metric not in METRICS:
        raise SpecError([f"{path}: {where}: metric {metric!r} is not one of {', '.join(METRICS)}"])
    for key in ("value", "source", "kind"):
        if key not in raw:
            raise SpecError([f"{path}: {where}: missing {key}; a claim needs value, source, kind"])
    relation = raw.get("relation", "about")
    if relation not in _RELATIONS:
        raise SpecError([f"{path}: {where}: relation {relation!r} is not one of {_RELATIONS}"])
    if "case" in raw:
        case = cases.get(raw["case"])
        if case is None:
            raise SpecError([f"{path}: {where}: no case named {raw['case']!r}"])
        computed = case.metrics[metric]
        claimed = _claimed_figure(raw["value"], metric, f"{path}: {where}.value")
        change = False
        label = f"{METRICS[metric].title} of {case.name}"
    elif "from" in raw and "to" in raw:
        a, b = cases.get(raw["from"]), cases.get(raw["to"])
        if a is None or b is None:
            raise SpecError([f"{path}: {where}: from/to must name cases"])
        x, y = a.metrics[metric], b.metrics[metric]
        computed = None if x is None or y is None else y / x
        text = str(raw["value"]).strip()
        if text.endswith(("x", "×")):
            try:
                claimed = float(text.rstrip("x×").strip())
            except ValueError:
                claimed = float("nan")
            if not 0 < claimed < 1e6:  # also NaN and infinity
                raise SpecError(
                    [f"{path}: {where}.value: {io.short(raw['value'])} is not a ratio; give a "
                     "positive factor such as '3x', or a change such as '+40 %'"]
                )  # fmt: skip
        else:
            if _bare(raw["value"]) is not None:
                raise SpecError(
                    [f"{path}: {where}.value: {io.short(raw['value'])} has no unit; give a "
                     "change in percent, e.g. '+30 %', or a factor, e.g. '3x'"]
                )  # fmt: skip
            try:
                claimed = 1.0 + to_si(text, "", f"{path}: {where}.value")
            except (InputError, UnitInputError) as exc:
                raise SpecError([str(exc)]) from None
            if not 0 < claimed < 1e6:
                raise SpecError(
                    [f"{path}: {where}.value: {io.short(raw['value'])} leaves no positive "
                     "ratio; give a change above -100 % (e.g. '-30 %') or a factor ('3x')"]
                )  # fmt: skip
        change = True
        label = f"{METRICS[metric].title} from {a.name} to {b.name}"
    else:
        raise SpecError([f"{path}: {where}: give case, or from and to"])
    if computed is None:
        holds = None  # the metric is not reached in a case: the models cannot tell
        computed = float("nan")
    elif relation == "at least":
        holds = computed >= claimed
    elif relation == "at most":
        holds = computed <= claimed
    else:
        holds = abs(computed - claimed) <= ABOUT * abs(claimed)
    return ClaimCheck(
        f"{label}: {relation} {raw['value']}", metric, claimed, computed, change, relation,
        holds, str(raw["source"]), str(raw["kind"]),
    )  # fmt: skip


def run_scenario(name: str) -> ScenarioAnswer:
    """Evaluate every case of scenario ``name`` and check its claims."""
    path = _find(name)
    doc = _read(path)
    if doc.get("kind") != "scenario":
        raise SpecError([f'{path}: kind: expected "scenario"'])
    raw_cases = doc.get("case")
    if not isinstance(raw_cases, list) or not raw_cases:
        raise SpecError([f"{path}: needs at least one [[case]]"])
    cases: dict[str, CaseResult] = {}
    for i, raw in enumerate(raw_cases):
        where = f"case[{i}]"
        _check_keys(raw, _CASE_KEYS, where, path)
        try:
            result = _evaluate_case(raw, path, where)
        except SpecNotFound as exc:
            raise SpecError([f"{path}: {where}: {exc.problems[0]}"]) from None
        cases[result.name] = result
    checks = []
    for i, raw in enumerate(doc.get("claim", [])):
        _check_keys(raw, _CLAIM_KEYS, f"claim[{i}]", path)
        checks.append(_check_claim(raw, cases, path, f"claim[{i}]"))
    return ScenarioAnswer(path.stem, str(doc.get("title", path.stem)),
                          str(doc.get("description", "")), tuple(cases.values()),
                          tuple(checks), str(path))  # fmt: skip
