"""Turning SI floats into displayed figures with units: one place for every answer.

JSON quantities are ``{"value": number, "unit": "pint unit"}``; a value that does not
exist is ``null`` with the reason alongside. Units and factors come from the metrics
registry (:mod:`nevcalc.metrics`); nothing here imports pint or rich at import time.
"""

from __future__ import annotations

import json
import math
import shutil
from collections.abc import Iterable, Sequence
from typing import Any

from nevcalc.errors import NevcalcError
from nevcalc.metrics import METRICS
from nevcalc.units import from_si

__all__ = [
    "console",
    "display",
    "figure_text",
    "finite_text",
    "html_table",
    "interval",
    "interval_text",
    "json_text",
    "minutes",
    "money",
    "pct",
    "quantity",
    "repr_line",
    "segments_text",
    "shown",
    "span",
]


def _why_null(si) -> str:
    if si is None:
        return "not available for this case"
    if math.isnan(si):
        return "undefined for this case"
    return "unbounded: never reached" if si > 0 else "unbounded"


def display(si: float, what: str) -> tuple[float, str]:
    """``(value, unit)``: ``si`` in the display unit of metric ``what``, or in unit ``what``.

    ``what`` is a name of :data:`nevcalc.metrics.METRICS` (its unit, factor and offset)
    or a unit text (``"kWh"``, ``"%"``): one conversion for every figure nevcalc shows.
    """
    m = METRICS.get(what)
    if m is not None:
        x = si - m.offset if m.offset else si
        return x / m.factor, m.unit
    return from_si(si, what), what


def shown(si: float, what: str) -> float:
    """``si`` in the display unit of metric (or unit) ``what``."""
    return display(si, what)[0]


def quantity(
    si: float | None, what: str, digits: int = 4, reason: str | None = None
) -> dict[str, Any]:
    """``{"value": ..., "unit": ...}`` from an SI float.

    ``what`` is a metric name of :mod:`nevcalc.metrics` (the value is shown in its
    display unit) or a display unit. A value that is missing or not finite (also
    after the change of unit) becomes ``{"value": null, "unit": ..., "reason": ...}``:
    ``reason`` if given, else a generic one. JSON documents never carry inf or NaN.
    """
    unit = METRICS[what].unit if what in METRICS else what
    value = None if si is None else display(float(si), what)[0]
    if value is None or not math.isfinite(value):
        return {"value": None, "unit": unit, "reason": reason or _why_null(si)}
    return {"value": float(f"{value:.{digits}g}"), "unit": unit}


def interval(iv, what: str, digits: int = 4) -> dict[str, Any]:
    """``{low, high, unit, level}`` of an :class:`nevcalc.intervals.Interval` for JSON.

    ``what`` is the metric (or display unit) of the answer the interval is about; the
    ends are in its display unit and ``level`` is a fraction (0.8 for 80 %).
    """
    low, high = quantity(iv.low, what, digits), quantity(iv.high, what, digits)
    return {"low": low["value"], "high": high["value"], "unit": low["unit"],
            "level": float(iv.level)}  # fmt: skip


def money(
    amount: float | None, unit: str, digits: int = 4, reason: str | None = None
) -> dict[str, Any]:
    """A quantity already in ``unit`` (a currency, or currency per km), to ``digits`` figures."""
    if amount is None or not math.isfinite(float(amount)):
        return {"value": None, "unit": unit, "reason": reason or _why_null(amount)}
    return {"value": float(f"{float(amount):.{digits}g}"), "unit": unit}


def console(console=None):
    """``console``, or a rich console for standard output (150 columns in a pipe)."""
    if console is not None:
        return console

    from rich.console import Console

    # in a pipe rich assumes 80 columns; tables of many columns read better wider
    width = None if shutil.get_terminal_size((0, 0)).columns else 150
    return Console(width=width)


def minutes(si: float) -> str:
    """A time for people: seconds below a minute, minutes below 100, else hours [s in]."""
    if not math.isfinite(si):
        return "never"
    if si < 59.95:
        return f"{si:.0f} s" if si >= 9.5 or si == 0 else f"{si:.1f} s"
    m, unit = display(si, "min")
    return f"{m:.1f} {unit}" if m < 100 else f"{from_si(si, 'h'):.1f} h"


_SHORT = {
    "charger power": "charger P",
    "charger current": "charger I",
    "vehicle power": "car P",
    "vehicle current": "car I",
    "cell C-rate": "C-rate",
    "charger voltage": "charger max V",
    "booster power": "booster",
    "charger min voltage": "charger min V",
}


def pct(x: float) -> str:
    """A SoC as percent, to 0.1 % when whole percent would round."""
    v = from_si(x, "%")
    return f"{v:.0f} %" if abs(v - round(v)) < 0.05 else f"{v:.1f} %"


def span(a: float, b: float, sep: str = " ") -> str:
    """``10-80 %``; to 0.1 % where whole percent would hide the span."""
    a, b = from_si(a, "%"), from_si(b, "%")
    digits = 0 if round(a) != round(b) else 1
    return f"{a:.{digits}f}-{b:.{digits}f}{sep}%"


def segments_text(segments, short: bool = False) -> str:
    if short:
        return ", ".join(f"{_SHORT.get(name, name)} {span(a, b, '')}" for a, b, name in segments)
    return ", ".join(f"{name} {span(a, b)}" for a, b, name in segments)


def finite_text(si, what: str, fmt: str) -> str:
    """A figure for a table cell in the display unit of ``what`` (metric or unit), or "-"."""
    if si is None or not math.isfinite(si):
        return "-"
    return fmt.format(display(si, what)[0])


def _json_default(x):
    """numpy scalars and arrays, paths: what ``json`` cannot write by itself."""
    if hasattr(x, "tolist"):
        return x.tolist()
    if hasattr(x, "__fspath__"):
        return str(x)
    raise TypeError(f"{type(x).__name__} is not JSON")


def _not_finite(doc, path: str = "$"):
    """The path of the first number in ``doc`` that is inf or NaN, or None."""
    if isinstance(doc, float) and not math.isfinite(doc):
        return path
    if isinstance(doc, dict):
        items = doc.items()
    elif isinstance(doc, (list, tuple)):
        items = enumerate(doc)
    else:
        return None
    for k, v in items:
        found = _not_finite(v, f"{path}.{k}" if isinstance(k, str) else f"{path}[{k}]")
        if found:
            return found
    return None


def json_text(doc) -> str:
    """``doc`` as strict JSON text (indented), numpy scalars and arrays and paths included.

    Raises
    ------
    NevcalcError
        A number in ``doc`` is inf or NaN (JSON cannot carry them); the message
        gives its path (``$.rows[0].duration``).
    """
    doc = json.loads(json.dumps(doc, default=_json_default))  # numpy scalars to floats
    bad = _not_finite(doc)
    if bad is not None:
        raise NevcalcError(
            f"the answer has no finite value at {bad} and JSON cannot carry inf or NaN; nothing "
            "was printed (an input far out of range? please report it with the command line)"
        )
    return json.dumps(doc, indent=2, allow_nan=False)


def figure_text(q: dict[str, Any] | None) -> str:
    """The text of a JSON quantity: ``{"value": 6.013, "unit": "min"}`` -> ``"6.013 min"``.

    Four significant figures, whole numbers from 1000 up (``"31,402 USD"``); a value that
    does not exist reads as ``"-"`` (its reason is in the document).
    """
    if q is None or q.get("value") is None:
        return "-"
    v = float(q["value"])
    text = f"{v:,.0f}" if abs(v) >= 1000 else f"{v:.4g}"
    unit = q.get("unit") or ""
    if unit in ("", "dimensionless"):
        return text
    return f"{text} {unit}"


def interval_text(iv: dict[str, Any]) -> str:
    """``"489.6-618.6 km (80 %)"`` from the JSON of :func:`interval`."""
    return f"{iv['low']:.4g}-{iv['high']:.4g} {iv['unit']} ({pct(iv['level'])})"


#: Longest line :func:`repr_line` gives [characters].
REPR_WIDTH = 200


def repr_line(kind: str, name: str, figures: Iterable[str]) -> str:
    """A one-line ``repr``: ``<ChargeAnswer byd-han-l: 10-80 % in 6.013 min, ...>``.

    Figures that would take the line past :data:`REPR_WIDTH` characters are left out,
    and a name longer than 60 characters is cut, so that printing an answer in a
    notebook or a shell never fills the screen.
    """
    name = " ".join(str(name).split())
    if len(name) > 60:
        name = name[:59] + "\u2026"
    head = f"<{kind} {name}" if name else f"<{kind}"
    shown_figures: list[str] = []
    for f in figures:
        f = " ".join(str(f).split())
        line = f"{head}: {', '.join([*shown_figures, f])}>"
        if len(line) > REPR_WIDTH:
            break
        shown_figures.append(f)
    return f"{head}: {', '.join(shown_figures)}>" if shown_figures else f"{head}>"


def _cells(row: Sequence[Any], tag: str) -> str:
    import html

    align = ' style="text-align:left"' if tag == "th" else ""
    return "".join(f"<{tag}{align}>{html.escape(str(c))}</{tag}>" for c in row)


def html_table(
    title: str,
    rows: Sequence[Sequence[Any]],
    *,
    header: Sequence[str] | None = None,
    notes: Iterable[str] = (),
    details: tuple[str, Iterable[str]] | None = None,
) -> str:
    """A small HTML table for a notebook (``_repr_html_``); every text is escaped.

    Parameters
    ----------
    title : str
        The caption.
    rows : sequence of sequences
        Without ``header``: ``(label, value text)`` pairs, the label as a row heading;
        with it: one cell per column.
    header : sequence of str, optional
        Column headings.
    notes : iterable of str
        Lines under the table (a reason, what was assumed).
    details : (str, iterable of str), optional
        A summary and the lines it folds away (``<details>``), e.g. the assumptions.
    """
    import html

    parts = ['<div class="nevcalc">', "<table>", f"<caption>{html.escape(title)}</caption>"]
    if header is not None:
        parts.append(f"<thead><tr>{_cells(header, 'th')}</tr></thead>")
    parts.append("<tbody>")
    for row in rows:
        if header is None:
            label, *rest = row
            parts.append(f"<tr>{_cells([label], 'th')}{_cells(rest, 'td')}</tr>")
        else:
            parts.append(f"<tr>{_cells(row, 'td')}</tr>")
    parts += ["</tbody>", "</table>"]
    parts += [f"<p>{html.escape(n)}</p>" for n in notes if n]
    if details is not None:
        summary, lines = details[0], [x for x in details[1] if x]
        if lines:
            items = "".join(f"<li>{html.escape(x)}</li>" for x in lines)
            parts.append(
                f"<details><summary>{html.escape(summary)}</summary><ul>{items}</ul></details>"
            )
    parts.append("</div>")
    return "\n".join(parts)


# the names the answers' modules have used
_console, _minutes, _pct, _span = console, minutes, pct, span
_segments_text, _finite_text = segments_text, finite_text
