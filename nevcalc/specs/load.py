"""Read spec TOML files, check every field against the schema, build :class:`Spec`.

A spec file looks like::

    kind = "vehicle"
    title = "BYD Han L EV"
    chemistry = "lfp-flash"

    [provenance]                    # default source for plain values below
    source = "https://..."
    kind = "claimed"

    battery_usable_energy = "83.2 kWh"                       # plain: default source
    max_charge_power = { value = "1000 kW", source = "https://...", kind = "claimed" }
    charge_power_limit = { soc = [0, 50, 90], value = [1000, 1000, 600], unit = "kW",
                           source = "https://...", kind = "measured" }

All problems of a file are collected and reported together, one line each,
naming the file and the key.
"""

from __future__ import annotations

import difflib
import itertools
import math
import re
from pathlib import Path
from typing import Any

from nevcalc.errors import SpecError
from nevcalc.specs.checks import check_spec
from nevcalc.specs.files import read_toml
from nevcalc.specs.model import Provenance, Spec, Table
from nevcalc.specs.schema import FIELDS, KINDS, PROVENANCE_KINDS, Field
from nevcalc.units import ZERO_CELSIUS, UnitInputError, bare_number, si_factor, to_si

__all__ = ["NAME_PATTERN", "build_spec", "parse_spec", "read_toml", "shown"]

NAME_PATTERN = re.compile(r"^[a-z0-9]+(?:[-_.][a-z0-9]+)*$")

_TOP_LEVEL = {"kind", "provenance", "published"}
_FIGURE_KEYS = {"value", "source", "kind", "note"}
_TABLE_KEYS = {"soc", "load", "c_rate", "temperature", "value", "unit", "source", "kind", "note"}
#: x axes of tables: key -> (factor to SI, lowest, highest); soc and load in percent
_X_AXES = {
    "soc": (0.01, 0.0, 1.0),
    "load": (0.01, 0.0, 1.0),
    "c_rate": (1 / 3600, -100 / 3600, 100 / 3600),
    "temperature": (1.0, ZERO_CELSIUS - 100.0, ZERO_CELSIUS + 100.0),
}
#: x axes read with an offset after the factor: temperature in degC -> K
_X_OFFSET = {"temperature": ZERO_CELSIUS}
_X_RANGE = {"soc": "0-100 %", "load": "0-100 %", "c_rate": "-100 to 100 (C-rate, per hour)",
            "temperature": "-100 to 100 (cell temperature, degC)"}  # fmt: skip
#: Longest quantity text ("350 Wh/kg") [characters].
MAX_QUANTITY_TEXT = 100
#: Most points in a table.
MAX_TABLE_POINTS = 1000
#: Longest text value (titles, notes, sources) [characters].
MAX_TEXT = 2000
_PUBLISHED_KEYS = {
    "what",
    "soc_from",
    "soc_to",
    "duration",
    "minutes",
    "distance",
    "charger",
    "source",
    "kind",
    "note",
}


def shown(raw: Any, width: int = 60) -> str:
    """``repr(raw)`` cut to ``width`` characters, for one-line messages."""
    text = repr(raw)
    return text if len(text) <= width else text[: width - 5] + " ...>"


def _choice(raw: Any, choices) -> str | None:
    """The allowed value ``raw`` names, compared without case and outer blanks."""
    if isinstance(raw, str):
        key = raw.strip().lower()
        for c in choices:
            if c.lower() == key:
                return c
    return None


def _did_you_mean(key: str, options) -> str:
    if len(key) > 100:
        return ""
    close = difflib.get_close_matches(key, list(options), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


def _check_bounds(f: Field, si: float, where: str, problems: list[str], text: str) -> None:
    factor = si_factor(f.unit or "dimensionless")
    value = si / factor
    unit = f" {f.unit}" if f.unit else ""
    if f.lo is not None and value < f.lo:
        problems.append(f"{where}: {text} is below the lowest allowed value {f.lo:g}{unit}")
    elif f.hi is not None and value > f.hi:
        problems.append(f"{where}: {text} is above the highest allowed value {f.hi:g}{unit}")


def _parse_quantity(f: Field, raw: Any, where: str, problems: list[str]) -> float | None:
    if isinstance(raw, str) and len(raw) > MAX_QUANTITY_TEXT:
        problems.append(
            f"{where}: {len(raw)} characters is too long for a quantity (at most "
            f"{MAX_QUANTITY_TEXT}); write a number and a unit, e.g. '12 {f.unit}'"
        )
        return None
    try:
        si = to_si(raw, f.unit or "dimensionless", where, c_rate=f.c_rate)
    except UnitInputError as exc:
        problems.append(str(exc).splitlines()[0])
        return None
    except (ArithmeticError, ValueError, TypeError):  # e.g. a 400-digit integer
        problems.append(
            f"{where}: cannot read {shown(raw)} as a quantity; write a number and a unit, "
            f"e.g. '12 {f.unit}'"
        )
        return None
    _check_bounds(f, si, where, problems, shown(raw))
    return si


def _parse_table(f: Field, raw: dict, where: str, problems: list[str]) -> Table | None:
    allowed = (_TABLE_KEYS - set(_X_AXES)) | {f.x_key}
    x_factor, x_lo, x_hi = _X_AXES[f.x_key]
    unknown = set(raw) - allowed
    for key in sorted(unknown):
        problems.append(
            f"{where}: unknown table key {shown(key, 40)}{_did_you_mean(key, allowed)}"
        )
    soc, value = raw.get(f.x_key), raw.get("value")
    if not isinstance(soc, list) or not isinstance(value, list):
        problems.append(
            f"{where}: a table needs lists '{f.x_key}' (in %) and 'value', "
            f"e.g. {{ {f.x_key} = [0, 50, 100], value = [3, 2, 0.5], unit = ... }}"
        )
        return None
    if len(soc) > MAX_TABLE_POINTS:
        problems.append(
            f"{where}: {len(soc)} points; a table takes at most {MAX_TABLE_POINTS} (thin it out)"
        )
        return None
    if len(soc) != len(value) or len(soc) < 2:
        problems.append(
            f"{where}: '{f.x_key}' and 'value' must have the same length, at least 2 "
            f"(got {len(soc)} and {len(value)})"
        )
        return None
    unit = raw.get("unit", f.unit)
    if not isinstance(unit, str):
        problems.append(f"{where}: 'unit' must be a text such as {f.unit!r}, got {shown(unit)}")
        return None
    try:
        factor = si_factor(unit or "dimensionless")

        to_si(f"1 {unit}" if unit else 1.0, f.unit or "dimensionless", f"{where}: unit")
    except UnitInputError as exc:
        problems.append(str(exc))
        return None
    except Exception:
        problems.append(f"{where}: unknown unit {shown(unit)}; expected one like {f.unit!r}")
        return None
    xs, ys = [], []
    for i, (x, y) in enumerate(zip(soc, value, strict=True)):
        if not _is_number(x) or not _is_number(y):
            problems.append(
                f"{where}: entry {i} is not a pair of finite numbers ({shown(x)}, {shown(y)})"
            )
            return None
        xs.append(float(x) * x_factor + _X_OFFSET.get(f.x_key, 0.0))
        ys.append(float(y) * factor)
    if any(x < x_lo or x > x_hi for x in xs):
        problems.append(
            f"{where}: {f.x_key} values must lie in {_X_RANGE[f.x_key]} (got {shown(soc)})"
        )
        return None
    if any(b <= a for a, b in itertools.pairwise(xs)):
        problems.append(
            f"{where}: {f.x_key} values must be strictly increasing (got {shown(soc)})"
        )
        return None
    before = len(problems)
    for y, given in zip(ys, value, strict=True):
        _check_bounds(f, y, where, problems, f"table value {given!r}")
        if len(problems) > before:
            break
    return Table(tuple(xs), tuple(ys))


def _is_number(x: Any) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool) and math.isfinite(x)


def _provenance(raw: dict, default: Provenance | None, where: str, problems: list[str]):
    source = raw.get("source", default.source if default else None)
    kind = raw.get("kind", default.kind if default else None)
    note = raw.get("note", "")
    if source is None or kind is None:
        problems.append(
            f"{where}: no source; give {{ value = ..., source = '...', kind = '...' }} "
            "or a [provenance] table with a default source and kind"
        )
        return None
    if _choice(kind, PROVENANCE_KINDS) is None:
        problems.append(
            f"{where}: kind {shown(kind)} is not one of {', '.join(PROVENANCE_KINDS)}"
            f"{_did_you_mean(str(kind), PROVENANCE_KINDS)}"
        )
        return None
    kind = _choice(kind, PROVENANCE_KINDS)
    if not isinstance(source, str) or not source.strip() or len(source) > MAX_TEXT:
        problems.append(
            f"{where}: source must be a non-empty text of at most {MAX_TEXT} characters "
            "(a URL or a citation)"
        )
        return None
    if not isinstance(note, str) or len(note) > MAX_TEXT:
        problems.append(f"{where}: note must be a text of at most {MAX_TEXT} characters")
        return None
    return Provenance(source, kind, str(note))


def parse_spec(data: dict[str, Any], path: Path, name: str | None = None) -> dict[str, Any]:
    """Check a spec's TOML data against the schema.

    Parameters
    ----------
    data : dict
        The parsed TOML.
    path : pathlib.Path
        The file (for messages).
    name : str, optional
        Spec name; the file stem by default.

    Returns
    -------
    dict
        ``kind``, ``name``, ``path``, ``values`` (SI), ``provenance``,
        ``published`` and ``extends`` (or None). ``extends`` is not applied
        here; the catalog does that.

    Raises
    ------
    SpecError
        With one line per problem.
    """
    where0 = str(path)
    problems: list[str] = []
    name = name or path.stem
    kind = data.get("kind")
    if kind is None:
        raise SpecError([f"{where0}: kind: missing; add kind = one of {', '.join(KINDS)}"])
    if _choice(kind, KINDS) is None:
        raise SpecError(
            [
                f"{where0}: kind: {shown(kind)} is not one of {', '.join(KINDS)}"
                f"{_did_you_mean(str(kind), KINDS)}"
            ]
        )
    kind = _choice(kind, KINDS)
    fields = FIELDS[kind]
    default = None
    if "provenance" in data:
        prov = data["provenance"]
        if not isinstance(prov, dict):
            problems.append(f"{where0}: provenance: must be a table with source and kind")
        else:
            misplaced = sorted(k for k in prov if k in FIELDS[kind])
            if misplaced:
                problems.append(
                    f"{where0}: provenance: holds {', '.join(misplaced[:3])}"
                    f"{' ...' if len(misplaced) > 3 else ''}: TOML puts every key after a "
                    "[provenance] header inside it; move [provenance] to the end of the file"
                )
            for key in sorted(set(prov) - {"source", "kind", "note", *misplaced}):
                problems.append(f"{where0}: provenance.{key}: unknown key")
            default = _provenance(prov, None, f"{where0}: provenance", problems)

    values: dict[str, Any] = {}
    provenance: dict[str, Provenance] = {}
    for key, raw in data.items():
        if key in _TOP_LEVEL:
            continue
        where = f"{where0}: {key}"
        f = fields.get(key)
        if f is None:
            problems.append(
                f"{where0}: {shown(key, 40)[1:-1]}: unknown key for a {kind}"
                f"{_did_you_mean(key, fields)}"
                f" (see `nevcalc specs fields {kind}`)"
            )
            continue
        figure = raw
        if f.type == "table":
            if not isinstance(raw, dict):
                problems.append(
                    f"{where}: expected a table {{ soc = [...], value = [...], unit = "
                    f"'{f.unit}', source = ..., kind = ... }}"
                )
                continue
            table = _parse_table(f, raw, where, problems)
            prov = _provenance(raw, default, where, problems)
            if table is not None:
                values[key] = table
            if prov is not None:
                provenance[key] = prov
            continue
        if isinstance(raw, dict):
            for extra in sorted(set(raw) - _FIGURE_KEYS):
                problems.append(
                    f"{where}: unknown key {shown(extra, 40)} in figure"
                    f"{_did_you_mean(extra, _FIGURE_KEYS)}"
                )
            if "value" not in raw:
                problems.append(f"{where}: a figure table needs 'value'")
                continue
            figure = raw["value"]
            prov = _provenance(raw, default, where, problems)
            if prov is not None:
                provenance[key] = prov
        elif f.type == "quantity":
            prov = _provenance({}, default, where, problems)
            if prov is not None:
                provenance[key] = prov
        value = _parse_value(f, figure, where, problems)
        if value is not None:
            values[key] = value

    published = _parse_published(data.get("published", []), default, where0, problems)
    if "extends" not in values and not any("move [provenance]" in p for p in problems):
        for f in fields.values():
            if (
                f.required
                and f.name not in values
                and not any(p.startswith(f"{where0}: {f.name}:") for p in problems)
            ):
                problems.append(f"{where0}: {f.name}: missing required key ({f.doc})")
    if problems:
        raise SpecError(_capped(problems))
    return {
        "kind": kind,
        "name": name,
        "path": where0,
        "values": values,
        "provenance": provenance,
        "published": published,
        "extends": values.pop("extends", None),
    }


#: Most problems reported for one file.
MAX_PROBLEMS = 30


def _capped(problems: list[str]) -> list[str]:
    if len(problems) <= MAX_PROBLEMS:
        return problems
    more = len(problems) - MAX_PROBLEMS
    return [*problems[:MAX_PROBLEMS], f"... and {more} more problem(s) in the same file"]


def _parse_value(f: Field, raw: Any, where: str, problems: list[str]) -> Any:
    if f.type == "quantity":
        return _parse_quantity(f, raw, where, problems)
    if f.type in ("text", "ref"):
        if not isinstance(raw, str) or not raw.strip():
            problems.append(f"{where}: expected a non-empty text, got {shown(raw)}")
            return None
        if len(raw) > MAX_TEXT:
            problems.append(f"{where}: {len(raw)} characters; at most {MAX_TEXT} are allowed")
            return None
        if f.type == "ref" and not NAME_PATTERN.match(raw):
            problems.append(
                f"{where}: {shown(raw)} is not a spec name (lowercase words joined by '-')"
            )
            return None
        return raw
    if f.type == "choice":
        choice = _choice(raw, f.choices)
        if choice is None:
            problems.append(
                f"{where}: {shown(raw)} is not one of {', '.join(f.choices)}"
                f"{_did_you_mean(str(raw), f.choices)}"
            )
        return choice
    if f.type == "int":
        if isinstance(raw, bool) or not isinstance(raw, int):
            problems.append(f"{where}: expected a whole number, got {shown(raw)}")
            return None
        if (f.lo is not None and raw < f.lo) or (f.hi is not None and raw > f.hi):
            problems.append(f"{where}: {raw} is outside {f.lo:g}-{f.hi:g}")
            return None
        return raw
    raise AssertionError(f.type)  # pragma: no cover - schema types are closed


def _percent(value: Any, where: str) -> float:
    """A state of charge given in percent: ``"10 %"``, ``"10"`` or ``10`` is 10 %.

    A bare number strictly between -1 and 1 (other than 0) is ambiguous (a
    fraction or a percentage?) and refused, as for the command line's options.
    """
    bare = bare_number(value) if isinstance(value, str) else None
    if isinstance(value, int | float) and not isinstance(value, bool):
        bare = float(value)
    if bare is not None and 0 < abs(bare) < 1:
        raise UnitInputError(
            f'{where}: {value!r} is ambiguous; write "{bare * 100:g} %" '
            f'(or "{bare:g} %" for {bare:g} percent)'
        )
    return to_si(value, "percent", where)


def _parse_published(raw: Any, default, where0: str, problems: list[str]) -> tuple:
    if not isinstance(raw, list):
        problems.append(f"{where0}: published: must be an array of tables ([[published]])")
        return ()
    out = []
    for i, entry in enumerate(raw):
        where = f"{where0}: published[{i}]"
        if not isinstance(entry, dict):
            problems.append(f"{where}: must be a table")
            continue
        for key in sorted(set(entry) - _PUBLISHED_KEYS):
            problems.append(f"{where}: unknown key {key!r}{_did_you_mean(key, _PUBLISHED_KEYS)}")
        what = _choice(entry.get("what"), ("charge_time", "range_added"))
        item: dict[str, Any] = {"what": what}
        try:
            if what == "charge_time":
                item["soc_from"] = _percent(entry["soc_from"], f"{where}.soc_from")
                item["soc_to"] = _percent(entry["soc_to"], f"{where}.soc_to")
                item["duration"] = to_si(entry["duration"], "min", f"{where}.duration")
            elif what == "range_added":
                item["minutes"] = to_si(entry["minutes"], "min", f"{where}.minutes")
                item["distance"] = to_si(entry["distance"], "km", f"{where}.distance")
            else:
                problems.append(f"{where}: what must be 'charge_time' or 'range_added'")
                continue
        except KeyError as exc:
            problems.append(f"{where}: missing {exc.args[0]!r}")
            continue
        except UnitInputError as exc:
            problems.append(str(exc))
            continue
        bad = _published_problems(item)
        if bad:
            problems.append(f"{where}: {bad}")
            continue
        item["charger"] = entry.get("charger")
        item["note"] = entry.get("note", "")
        prov = _provenance(entry, default, where, problems)
        if prov is not None:
            item["provenance"] = prov
        out.append(item)
    return tuple(out)


def _published_problems(item: dict[str, Any]) -> str:
    if item["what"] == "charge_time":
        lo, hi = item["soc_from"], item["soc_to"]
        if not 0 <= lo < hi <= 1:
            return (
                f"soc_from {lo:.0%} and soc_to {hi:.0%} must lie in 0-100 % with soc_from "
                "below soc_to"
            )
        if item["duration"] <= 0:
            return "duration must be above 0, e.g. '18 min'"
    elif item["minutes"] <= 0 or item["distance"] <= 0:
        return "minutes and distance must be above 0, e.g. minutes = '5 min', distance = '400 km'"
    return ""


def build_spec(parsed: dict[str, Any], parent: Spec | None = None) -> Spec:
    """Make a :class:`Spec` from :func:`parse_spec` output, applying ``extends``."""
    values = dict(parent.values) if parent else {}
    provenance = dict(parent.provenance) if parent else {}
    values.update(parsed["values"])
    provenance.update(parsed["provenance"])
    published = parsed["published"] or (parent.published if parent else ())
    if parent is not None:
        missing = [
            f"{parsed['path']}: {f.name}: missing required key ({f.doc})"
            for f in FIELDS[parsed["kind"]].values()
            if f.required and f.name not in values
        ]
        if missing:
            raise SpecError(missing)
    problems = check_spec(parsed["kind"], values, parsed["path"])
    if problems:
        raise SpecError(_capped(problems))
    return Spec(parsed["kind"], parsed["name"], parsed["path"], values, provenance, published)
