"""Spec files: ``specs list``, ``show``, ``fields`` and ``validate`` for people and JSON."""

from __future__ import annotations

import sys
from typing import Any

from nevcalc.io import source_name
from nevcalc.report.format import _console, money, quantity
from nevcalc.report.format import shown as in_display
from nevcalc.specs.model import Table as SocTable
from nevcalc.specs.schema import FIELDS
from nevcalc.tables import Column, print_table
from nevcalc.units import from_si

__all__ = [
    "fields_document",
    "render_fields",
    "render_spec",
    "render_spec_list",
    "render_validation",
    "spec_document",
    "spec_list_document",
]


def render_validation(res, out=None, err=None) -> None:
    """``nevcalc specs validate``: each problem and a count on ``err`` (standard error),
    or one ``ok`` line on ``out`` (standard output).

    Parameters
    ----------
    res : nevcalc.validate.Validation
    """
    if res.problems:
        err = sys.stderr if err is None else err
        for line in res.problems:
            print(line, file=err)
        print(f"{len(res.problems)} problem(s) in {len(res.files)} file(s)", file=err, flush=True)
    else:
        out = sys.stdout if out is None else out
        print(f"ok: {len(res.files)} spec file(s) valid", file=out, flush=True)


def spec_list_document(items) -> list[dict[str, str]]:
    """JSON of ``nevcalc specs list``: a ``kind, name, title, path`` entry per spec.

    Parameters
    ----------
    items : list of (kind, name, title, path)
        As :func:`nevcalc.catalog.list_titles` gives them.
    """
    return [{"kind": k, "name": n, "title": t, "path": source_name(p)} for k, n, t, p in items]


def render_spec_list(items, console=None) -> None:
    """Table of ``(kind, name, title, path)``; titles wrap and paths fold to fit the terminal."""
    from rich.markup import escape

    cols = [
        Column("kind", priority=2),
        Column("name", keep=True),
        Column("title", priority=3),
        Column("file", fold=True, priority=1),
    ]
    rows = [[escape(str(x)) for x in item] for item in items]
    print_table(cols, rows, _console(console), edge=False, get_all="--json")


def spec_document(spec) -> dict[str, Any]:
    """JSON of ``nevcalc specs show``: every field in its canonical unit, with its source."""
    fields: dict[str, Any] = {}
    for key, value in spec.values.items():
        f = FIELDS[spec.kind][key]
        unit = f.unit or ""
        if isinstance(value, SocTable):
            x_unit = "%"
            entry: dict[str, Any] = {
                "x": [float(f"{in_display(s, x_unit):.6g}") for s in value.soc],
                "x_unit": x_unit,
                "x_key": getattr(f, "x_key", "soc") or "soc",
                "value": [
                    float(f"{in_display(v, unit or 'dimensionless'):.6g}") for v in value.value
                ],
                "unit": unit,
            }
        elif isinstance(value, float):
            entry = money(spec.in_unit(key), unit, digits=6)
        else:
            entry = {"value": value}
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                entry["unit"] = unit or "dimensionless"
        prov = spec.provenance.get(key)
        if prov is not None:
            entry.update(kind=prov.kind, source=prov.source, note=prov.note)
        fields[key] = entry
    published = []
    for item in spec.published:
        out: dict[str, Any] = {}
        for k, v in item.items():
            if k in ("soc_from", "soc_to"):
                out[k] = quantity(v, k)
            elif k in ("duration", "minutes"):
                out[k] = quantity(v, k)
            elif k == "distance":
                out[k] = quantity(v, k)
            elif k == "provenance":
                out.update(kind=v.kind, source=v.source)
            elif isinstance(v, (str, int, bool)) or v is None:
                out[k] = v
            else:
                out[k] = str(v)
        published.append(out)
    return {
        "kind": spec.kind,
        "name": spec.name,
        "title": spec.title,
        "file": str(spec.path),
        "fields": fields,
        "published": published,
    }


def render_spec(spec, console=None) -> None:
    """Every field of a spec with its unit, kind and source; published facts below."""
    from rich.markup import escape

    con = _console(console)
    cols = [
        Column("field", keep=True),
        Column("value", keep=True),
        Column("kind", priority=2),
        Column("source", fold=True, priority=1),
    ]
    rows = []
    for key, value in spec.values.items():
        f = FIELDS[spec.kind][key]
        prov = spec.provenance.get(key)
        if isinstance(value, SocTable):
            unit = f.unit or "dimensionless"
            pts = ", ".join(
                f"{in_display(s, '%'):g}%: {in_display(v, unit):.4g}"
                for s, v in zip(value.soc, value.value, strict=True)
            )
            shown = f"[{pts}] {f.unit}"
        elif isinstance(value, float):
            shown = f"{spec.in_unit(key):.4g} {f.unit}".strip()
            if f.unit == "K" and f.lo is not None and f.lo > 100:  # a temperature, not a rise
                shown += f" ({from_si(value, 'degC'):.4g} degC)"
        else:
            shown = str(value)
        rows.append(
            [
                escape(key),
                escape(shown),
                escape(prov.kind) if prov else "",
                escape(prov.source) if prov else "",
            ]
        )
    print_table(cols, rows, con, title=escape(f"{spec.kind} {spec.name}: {spec.title}"),
                get_all="--json")  # fmt: skip
    for item in spec.published:
        prov = item.get("provenance")
        if item["what"] == "charge_time":
            text = (
                f"{item['soc_from']:.0%} -> {item['soc_to']:.0%} in "
                f"{in_display(item['duration'], 'duration'):.2f} min"
            )
        else:
            km = in_display(item["distance"], "distance")
            mins = in_display(item["minutes"], "minutes")
            text = f"+{km:.0f} km in {mins:.0f} min"
        on = f" on {item['charger']}" if item.get("charger") else ""
        con.print(
            f"published: {text}{on} ({prov.kind if prov else ''}; {item.get('note', '')})",
            highlight=False,
            markup=False,
        )


def fields_document(kind: str) -> list[dict[str, Any]]:
    """JSON of ``nevcalc specs fields``: every field with its unit, bounds or allowed values."""
    out = []
    for f in FIELDS[kind].values():
        d: dict[str, Any] = {"name": f.name, "type": f.type, "unit": f.unit, "doc": f.doc,
                             "required": bool(f.required)}  # fmt: skip
        if f.lo is not None or f.hi is not None:
            d["bounds"] = {"low": f.lo, "high": f.hi, "unit": f.unit or "dimensionless"}
        if f.choices:
            d["choices"] = list(f.choices)
        out.append(d)
    return out


def render_fields(kind: str, console=None) -> None:
    """The schema of a spec kind: every field with its type, unit, bounds or allowed values."""
    cols = [
        Column("field", keep=True),
        Column("type", priority=3),
        Column("unit", priority=4),
        Column("bounds or values", priority=5),
        Column("required", priority=2),
        Column("meaning", priority=1),
    ]
    rows = []
    for f in FIELDS[kind].values():
        if f.choices:
            allowed = ", ".join(f.choices)
        elif f.lo is not None:
            allowed = f"{f.lo:g}..{f.hi:g}"
        else:
            allowed = ""
        rows.append([f.name, f.type, f.unit, allowed, "yes" if f.required else "", f.doc])
    from rich.markup import escape

    rows = [[escape(c) for c in r] for r in rows]
    print_table(cols, rows, _console(console), title=f"{kind} fields", get_all="--json")
