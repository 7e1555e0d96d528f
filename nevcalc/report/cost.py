"""``nevcalc cost``: lifecycle cost parts, total and per km."""

from __future__ import annotations

from typing import Any

from nevcalc.report.format import _console, quantity, shown
from nevcalc.units import from_si

__all__ = ["cost_document", "render_cost"]

_COST_PARTS = ("purchase", "energy", "replacement", "maintenance", "time", "residual")


def cost_document(ans, currency: str, usd_per_unit: float) -> dict[str, Any]:
    """JSON of ``nevcalc cost``: total, per_km and parts as money quantities; every other
    quantity with its unit too."""

    def money(x, unit=currency):
        return {"value": round(float(x) / usd_per_unit, 2), "unit": unit}

    p = ans.parts
    return {
        "vehicle": ans.vehicle,
        "years": ans.years,
        "distance_per_year": quantity(ans.distance_per_year, "distance_per_year"),
        "total": money(p.total),
        "per_km": money(from_si(p.per_m, "USD/km"), f"{currency}/km"),
        "parts": {k: money(getattr(p, k)) for k in _COST_PARTS},
        "replacement_year": ans.replacement_year or None,
        "capacity_at_end": quantity(ans.capacity_at_end, "capacity_at_end"),
        "fast_charge_time_per_year": quantity(
            ans.fast_charge_time_per_year, "fast_charge_time_per_year"
        ),
        "assumptions": list(ans.assumptions),
    }


def render_cost(ans, currency: str, usd_per_unit: float, console=None) -> None:
    """The cost parts, total and per km."""
    from rich.table import Table

    con = _console(console)
    p = ans.parts
    con.print(
        f"[bold]{ans.vehicle}[/bold]: {ans.years} years, "
        f"{shown(ans.distance_per_year, 'distance_per_year'):,.0f} km "
        f"a year (present value, {currency})",
        highlight=False,
    )
    t = Table()
    t.add_column("part")
    t.add_column(currency, justify="right")
    for k in _COST_PARTS:
        t.add_row(k, f"{float(getattr(p, k)) / usd_per_unit:,.0f}")
    t.add_row("[bold]total[/bold]", f"[bold]{float(p.total) / usd_per_unit:,.0f}[/bold]")
    t.add_row("per km", f"{from_si(float(p.per_m), 'USD/km') / usd_per_unit:.3f}")
    con.print(t)
    if ans.replacement_year:
        con.print(f"battery replaced at the end of year {ans.replacement_year}")
    con.print(f"capacity after {ans.years} years: {ans.capacity_at_end:.0%}", highlight=False)
    for a in ans.assumptions:
        con.print(f"[dim]  - {a}[/dim]")
