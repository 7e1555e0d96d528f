"""``nevcalc health``: capacity by year and the year it falls to 80 %."""

from __future__ import annotations

from typing import Any

from nevcalc.ageing import distance_text, how_often
from nevcalc.report.format import _console, quantity, shown

__all__ = ["health_document", "render_health"]


def health_document(ans) -> dict[str, Any]:
    """JSON of ``nevcalc health``: every quantity with its unit; ``years_to_80`` is null
    with a ``reason`` when the capacity stays above 80 % over the horizon."""
    t80 = ans.years_to_80
    doc = {
        "chemistry": ans.chemistry,
        "model": ans.model,
        "capacity": [
            {"year": y, **quantity(q, "capacity", digits=5)}
            for y, q in zip(ans.years, ans.capacity, strict=True)
        ],
        "years_to_80": {"value": None if t80 is None else round(t80, 2), "unit": "year"},
        "soc_window": [
            quantity(ans.soc_window[0], "soc_from"),
            quantity(ans.soc_window[1], "soc_to"),
        ],
        "efc_per_day": {"value": ans.efc_per_day, "unit": "efc/day"},
        "charge_rate": {"value": ans.charge_rate, "unit": "1/h"},
        "temperature": quantity(ans.temperature, "temperature"),
        "validity": list(getattr(ans, "validity", ())),
        "assumptions": list(ans.assumptions),
        "dc_share": quantity(getattr(ans, "fast_share", 0.0), "%"),
        "dc_rate": {"value": getattr(ans, "fast_rate", 0.0), "unit": "1/h"},
        "climate": getattr(ans, "climate", None),
        "fleet_correction": bool(getattr(ans, "fleet_correction", False)),
    }
    if t80 is None:
        doc["years_to_80"]["reason"] = "capacity stays above 80 % for the 40-year horizon"
    km_year = getattr(ans, "km_per_year", None)
    if km_year is not None:
        doc["distance_per_year"] = quantity(km_year, "distance_per_year")
        never = "capacity stays above 80 % for the 40-year horizon"
        doc["km_to_80"] = quantity(getattr(ans, "km_to_80", None), "km_to_80", reason=never)
    at = getattr(ans, "at_distance", None)
    if at is not None:
        doc["at_distance"] = {
            "distance": quantity(at, "distance"),
            "years": {"value": round(ans.years_at_distance, 3), "unit": "year"},
            "capacity": quantity(ans.capacity_at_distance, "capacity", digits=5),
        }
    return doc


def render_health(ans, console=None, width: int = 40) -> None:
    """Capacity by year as a bar chart, and the year it falls to 80 %."""
    con = _console(console)
    con.print(
        f"[bold]{ans.chemistry}[/bold] ({ans.model} model), {ans.soc_window[0]:.0%}-"
        f"{ans.soc_window[1]:.0%} {how_often(*ans.soc_window, ans.efc_per_day)}, "
        f"{ans.charge_rate:g}C charge"
        + (
            f" ({ans.fast_share:.0%} at {ans.fast_rate:g}C DC)"
            if getattr(ans, "fast_share", 0.0)
            else ""
        )
        + (f", climate {ans.climate}" if getattr(ans, "climate", None) else "")
        + f", {shown(ans.temperature, 'temperature'):.0f} degC"
        + (", fleet-corrected" if getattr(ans, "fleet_correction", False) else ""),
        highlight=False,
    )
    for y, q in zip(ans.years, ans.capacity, strict=True):
        n = round(width * max(q - 0.5, 0) / 0.5)
        style = "green" if q >= 0.8 else "red"
        con.print(f"year {y:2d} [{style}]{'█' * n}{' ' * (width - n)}[/{style}] {q:6.1%}",
                  highlight=False)  # fmt: skip
    t80 = ans.years_to_80
    km80 = getattr(ans, "km_to_80", None)
    con.print(
        "80 % capacity after "
        + ("more than 40 years" if t80 is None else f"{t80:.1f} years")
        + ("" if km80 is None else f", {distance_text(km80)}")
    )
    at = getattr(ans, "at_distance", None)
    if at is not None:
        where = f"{distance_text(at)} ({ans.years_at_distance:.1f} years)"
        con.print(f"capacity at {where}: {ans.capacity_at_distance:.1%}", highlight=False)
    for a in ans.assumptions:
        con.print(f"[dim]  - {a}[/dim]")
