"""Figures as text: SI floats to the numbers and units people read.

One place for the figures of every answer: its JSON quantities (``{"value": number,
"unit": "pint unit"}``, a value that does not exist is ``null`` with the reason
alongside), the text of a figure, a time, a share of the battery, and the lines the
answers write about their own inputs (assumptions, reasons). Units and factors come
from the metrics registry (:mod:`nevcalc.metrics`); nothing here imports pint or rich.
The answers' JSON emitter and console are in :mod:`nevcalc.report.format`, their
notebook renderings in :mod:`nevcalc.report.notebook`.
"""

from __future__ import annotations

import math
from typing import Any

from nevcalc.metrics import METRICS
from nevcalc.units import format_value, from_si

__all__ = [
    "display",
    "figure_text",
    "finite_text",
    "interval",
    "interval_text",
    "minutes",
    "money",
    "pct",
    "quantity",
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


def figure_text(q: dict[str, Any] | None) -> str:
    """The text of a JSON quantity: ``{"value": 6.013, "unit": "min"}`` -> ``"6.013 min"``.

    Four significant figures, whole numbers from 1000 up (``"31,402 USD"``); a value that
    does not exist reads as ``"-"`` (its reason is in the document). The figure is
    written by :func:`nevcalc.units.format_value`.
    """
    if q is None or q.get("value") is None:
        return "-"
    return format_value(float(q["value"]), q.get("unit") or "")


def interval_text(iv: dict[str, Any]) -> str:
    """``"489.6-618.6 km (80 %)"`` from the JSON of :func:`interval`."""
    return f"{iv['low']:.4g}-{iv['high']:.4g} {iv['unit']} ({pct(iv['level'])})"
