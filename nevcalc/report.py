"""Putting units back on: JSON documents, rich tables and terminal charts.

Quantities leave nevcalc as ``{"value": number, "unit": "pint unit"}``; a
value that does not exist (a charge that never reaches its target) is
``null`` with the reason alongside. rich is imported only when rendering for
people, so ``--json`` stays fast.
"""

from __future__ import annotations

import math
from typing import Any

__all__ = [
    "OUTPUT_UNITS",
    "charge_document",
    "compare_document",
    "cost_document",
    "health_document",
    "quantity",
    "range_document",
    "render_charge",
    "render_compare",
    "render_cost",
    "render_health",
    "render_range",
    "render_spec",
    "render_spec_list",
]

#: Units results are reported in, and their factor from SI.
OUTPUT_UNITS = {
    "min": 60.0,
    "kWh": 3.6e6,
    "kW": 1e3,
    "km": 1e3,
    "%": 0.01,
    "V": 1.0,
    "A": 1.0,
    "kWh/(100 km)": 3.6e6 / 1e5,
    "kg": 1.0,
    "L": 1e-3,
    "USD": 1.0,
}

_LIMIT_STYLE = {
    "charger power": "magenta",
    "charger current": "blue",
    "vehicle power": "green",
    "vehicle current": "cyan",
    "cell C-rate": "yellow",
    "CV": "red",
    "charger voltage": "bright_red",
    "booster power": "bright_magenta",
}


def quantity(si: float | None, unit: str, digits: int = 4) -> dict[str, Any]:
    """``{"value": ..., "unit": ...}`` from an SI float; ``None`` and inf become null."""
    if si is None or not math.isfinite(si):
        return {"value": None, "unit": unit}
    value = si / OUTPUT_UNITS[unit]
    return {"value": float(f"{value:.{digits}g}"), "unit": unit}


def charge_document(ans) -> dict[str, Any]:
    """The JSON document of a :class:`nevcalc.scenario.ChargeAnswer`."""
    doc: dict[str, Any] = {
        "vehicle": ans.vehicle.name,
        "charger": ans.charger.name,
        "soc_from": quantity(ans.soc_from, "%"),
        "soc_to": quantity(ans.soc_to, "%"),
        "feasible": ans.feasible,
        "reason": ans.reason,
        "duration": quantity(ans.duration, "min"),
        "energy_to_battery": quantity(ans.energy_to_battery, "kWh"),
        "energy_stored": quantity(ans.energy_stored, "kWh"),
        "energy_from_grid": quantity(ans.energy_from_grid, "kWh"),
        "losses": quantity(ans.energy_from_grid - ans.energy_stored, "kWh"),
        "average_power": quantity(ans.average_power, "kW"),
        "peak_power": quantity(ans.peak_power, "kW"),
        "booster": ans.booster,
        "segments": [
            {"soc_from": quantity(a, "%"), "soc_to": quantity(b, "%"), "limit": name}
            for a, b, name in ans.segments
        ],
    }
    if ans.minutes is not None:
        doc["minutes"] = quantity(ans.minutes, "min")
        doc["soc_after"] = quantity(ans.soc_after, "%")
        doc["range_added"] = quantity(ans.range_added, "km")
    if ans.distance is not None:
        doc["distance"] = quantity(ans.distance, "km")
        doc["minutes_to_add"] = quantity(ans.minutes_to_add, "min")
    doc["assumptions"] = list(ans.assumptions)
    return doc


def compare_document(rows, ranges=None, healths=None, costs=None) -> dict[str, Any]:
    """The JSON document of ``nevcalc compare``: one entry per vehicle."""
    out = []
    for i, a in enumerate(rows):
        doc = charge_document(a)
        r = ranges[i] if ranges else None
        doc["range"] = quantity(None if r is None else r.range, "km")
        doc["range_cycle"] = None if r is None else r.title
        doc["consumption"] = quantity(None if r is None else r.consumption, "kWh/(100 km)")
        if healths:
            h = healths[i]
            doc["capacity_year_8"] = None if h is None else round(h.capacity[7], 4)
            doc["ageing_model"] = None if h is None else h.model
        if costs:
            c = costs[i]
            doc["running_cost_per_km"] = (
                None if c is None else {"value": round(float(c.parts.per_km), 4), "unit": "USD/km"}
            )
        out.append(doc)
    return {"vehicles": out}


def _console(console=None):
    if console is not None:
        return console
    import shutil

    from rich.console import Console

    # in a pipe rich assumes 80 columns; tables of many columns read better wider
    width = None if shutil.get_terminal_size((0, 0)).columns else 150
    return Console(width=width)


def _minutes(si: float) -> str:
    if not math.isfinite(si):
        return "never"
    m = si / 60.0
    return f"{m:.1f} min" if m < 100 else f"{m / 60:.1f} h"


_SHORT = {
    "charger power": "charger P",
    "charger current": "charger I",
    "vehicle power": "car P",
    "vehicle current": "car I",
    "cell C-rate": "C-rate",
    "charger voltage": "charger V",
    "booster power": "booster",
}


def _segments_text(segments, short: bool = False) -> str:
    if short:
        return ", ".join(
            f"{_SHORT.get(name, name)} {a * 100:.0f}-{b * 100:.0f}%" for a, b, name in segments
        )
    return ", ".join(f"{name} {a * 100:.0f}-{b * 100:.0f} %" for a, b, name in segments)


def render_charge(ans, console=None, chart: bool = True) -> None:
    """Print a charging session: a table of figures and a power-vs-SoC chart."""
    from rich.table import Table

    con = _console(console)
    con.print(
        f"[bold]{ans.vehicle.title}[/bold] on [bold]{ans.charger.title}[/bold]: "
        f"{ans.soc_from:.0%} -> {ans.soc_to:.0%}",
        highlight=False,
    )
    t = Table(show_header=False, box=None, pad_edge=False)
    t.add_column("what", style="bold")
    t.add_column("value", justify="right")
    t.add_row("time", _minutes(ans.duration))
    if not ans.feasible:
        t.add_row("", f"[red]{ans.reason}[/red]")
    t.add_row("energy into the pack", f"{ans.energy_to_battery / 3.6e6:.1f} kWh")
    t.add_row("energy from the grid", f"{ans.energy_from_grid / 3.6e6:.1f} kWh")
    t.add_row(
        "average / peak power", f"{ans.average_power / 1e3:.0f} / {ans.peak_power / 1e3:.0f} kW"
    )
    if ans.minutes is not None:
        t.add_row(
            f"in {ans.minutes / 60:.0f} min",
            f"+{ans.range_added / 1e3:.0f} km (to {ans.soc_after:.0%})",
        )
    if ans.distance is not None:
        t.add_row(f"to add {ans.distance / 1e3:.0f} km", _minutes(ans.minutes_to_add))
    t.add_row("binding limits", _segments_text(ans.segments))
    if ans.booster:
        t.add_row("", "the vehicle's DC booster is in use")
    con.print(t)
    if chart and len(ans.soc):
        _power_chart(ans, con)
    if ans.assumptions:
        con.print("[dim]assumptions:[/dim]")
        for a in ans.assumptions:
            con.print(f"[dim]  - {a}[/dim]")


def _power_chart(ans, con, rows: int = 14, width: int = 40) -> None:
    import numpy as np

    soc, power, limit = ans.soc, ans.power, ans.limit
    marks = np.linspace(soc[0], soc[-1], min(rows, len(soc)))
    peak = max(float(power.max()), 1.0)
    con.print("[bold]power into the pack against SoC[/bold] (bar: kW, colour: binding limit)")
    for s in marks:
        i = int(np.argmin(np.abs(soc - s)))
        n = round(width * power[i] / peak)
        style = _LIMIT_STYLE.get(limit[i], "white")
        con.print(
            f"{soc[i] * 100:5.1f} % [{style}]{'█' * n}{' ' * (width - n)}[/{style}] "
            f"{power[i] / 1e3:6.0f} kW  [{style}]{limit[i]}[/{style}]",
            highlight=False,
        )


def render_compare(rows, ranges=None, healths=None, costs=None, console=None) -> None:
    """One table, a row per vehicle: time, km in 10 min, peak power, limits."""
    from rich.table import Table

    con = _console(console)
    first = rows[0]
    t = Table(
        title=f"{first.soc_from:.0%} -> {first.soc_to:.0%}, charger: "
        + (", ".join(sorted({a.charger.name for a in rows}))),
        title_justify="left",
    )
    minutes = first.minutes / 60 if first.minutes else 10
    t.add_column("vehicle", no_wrap=True)
    t.add_column("chemistry", no_wrap=True)
    t.add_column("kWh", justify="right", no_wrap=True)
    t.add_column("charger", no_wrap=True)
    t.add_column("time", justify="right", no_wrap=True)
    t.add_column(f"km in {minutes:.0f} min", justify="right", no_wrap=True)
    t.add_column("peak kW", justify="right", no_wrap=True)
    t.add_column("range", justify="right", no_wrap=True)
    t.add_column("kWh/100 km", justify="right", no_wrap=True)
    t.add_column("cap. y8", justify="right", no_wrap=True)
    if costs:
        t.add_column("USD/km", justify="right", no_wrap=True)
    t.add_column("binding limits (P power, I current)", ratio=1)
    for i, a in enumerate(rows):
        r = ranges[i] if ranges else None
        rng = "" if r is None else f"{r.range / 1e3:.0f} km {r.procedure.upper()}"
        cons = "" if r is None else f"{r.consumption / 36:.1f}"
        km = "" if a.range_added is None else f"{a.range_added / 1e3:.0f}"
        time = _minutes(a.duration) if a.feasible else f"[red]{a.reason}[/red]"
        t.add_row(
            a.vehicle.name,
            a.vehicle.chemistry,
            f"{a.vehicle.usable_energy / 3.6e6:.1f}",
            a.charger.name,
            time,
            km,
            f"{a.peak_power / 1e3:.0f}",
            rng,
            cons,
            "" if not healths or healths[i] is None else f"{healths[i].capacity[7]:.0%}",
            *(
                [("" if costs[i] is None else f"{float(costs[i].parts.per_km):.3f}")]
                if costs
                else []
            ),
            _segments_text(a.segments, short=True),
        )
    con.print(t)


def render_spec_list(items, console=None) -> None:
    """Table of ``(kind, name, title, path)``."""
    from rich.table import Table

    con = _console(console)
    t = Table(show_edge=False)
    for col in ("kind", "name", "title", "file"):
        t.add_column(col)
    for kind, name, title, path in items:
        t.add_row(kind, name, title, str(path))
    con.print(t)


def render_spec(spec, console=None) -> None:
    """Every field of a spec with its unit, kind and source; published facts below."""
    from rich.table import Table

    from nevcalc.specs.model import Table as SocTable
    from nevcalc.specs.schema import FIELDS
    from nevcalc.units import si_factor

    con = _console(console)
    t = Table(title=f"{spec.kind} {spec.name}: {spec.title}", title_justify="left")
    t.add_column("field")
    t.add_column("value", justify="right")
    t.add_column("kind")
    t.add_column("source", overflow="fold")
    for key, value in spec.values.items():
        f = FIELDS[spec.kind][key]
        prov = spec.provenance.get(key)
        if isinstance(value, SocTable):
            factor = si_factor(f.unit or "dimensionless")
            pts = ", ".join(
                f"{s * 100:g}%: {v / factor:.4g}"
                for s, v in zip(value.soc, value.value, strict=True)
            )
            shown = f"[{pts}] {f.unit}"
        elif isinstance(value, float):
            shown = f"{spec.in_unit(key):.4g} {f.unit}".strip()
        else:
            shown = str(value)
        t.add_row(key, shown, prov.kind if prov else "", prov.source if prov else "")
    con.print(t)
    for item in spec.published:
        prov = item.get("provenance")
        if item["what"] == "charge_time":
            text = (
                f"{item['soc_from']:.0%} -> {item['soc_to']:.0%} in "
                f"{item['duration'] / 60:.2f} min"
            )
        else:
            text = f"+{item['distance'] / 1e3:.0f} km in {item['minutes'] / 60:.0f} min"
        on = f" on {item['charger']}" if item.get("charger") else ""
        con.print(f"published: {text}{on} ({prov.kind if prov else ''}; {item.get('note', '')})")


def _range_fields(r) -> dict[str, Any]:
    v = r.vehicle
    return {
        "vehicle": v.name,
        "chemistry": v.chemistry,
        "cycle": r.title,
        "range": quantity(r.range, "km"),
        "consumption": quantity(r.consumption, "kWh/(100 km)"),
        "consumption_wall": quantity(r.consumption_wall, "kWh/(100 km)"),
        "usable_energy": quantity(v.usable_energy, "kWh"),
        "pack_mass": quantity(v.pack_mass, "kg"),
        "pack_volume": quantity(v.pack_volume, "L"),
        "pack_cost": quantity(v.pack_cost, "USD"),
        "test_mass": quantity(r.test_mass, "kg"),
        "official_range": quantity(v.official_range, "km"),
    }


def _maybe_fmt(x: float, fmt: str) -> str:
    return "n/a" if not math.isfinite(x) else fmt.format(x)


def range_document(before, after=None) -> dict[str, Any]:
    """JSON of ``nevcalc range``: the answer, and before/after when a pack was resized."""
    doc = _range_fields(after or before)
    if after is not None:
        doc["before"] = _range_fields(before)
        doc["after"] = _range_fields(after)
    doc["assumptions"] = list((after or before).assumptions)
    return doc


def render_range(before, after=None, console=None) -> None:
    """Range, consumption, masses; before and after side by side when resized."""
    from rich.table import Table

    con = _console(console)
    rows = [("before", before), ("after", after)] if after is not None else [("", before)]
    con.print(f"[bold]{before.vehicle.title}[/bold] on {before.title}", highlight=False)
    t = Table(show_edge=False)
    t.add_column("")
    for label, r in rows:
        t.add_column(label or r.vehicle.chemistry, justify="right")
    lines = [
        ("chemistry", lambda r: r.vehicle.chemistry),
        ("range", lambda r: f"{r.range / 1e3:.0f} km"),
        ("consumption (battery)", lambda r: f"{r.consumption / 36:.1f} kWh/100 km"),
        ("consumption (wall)", lambda r: f"{r.consumption_wall / 36:.1f} kWh/100 km"),
        ("usable energy", lambda r: f"{r.vehicle.usable_energy / 3.6e6:.1f} kWh"),
        ("pack mass", lambda r: f"{r.vehicle.pack_mass:.0f} kg"),
        ("pack volume", lambda r: _maybe_fmt(r.vehicle.pack_volume * 1e3, "{:.0f} L")),
        ("pack cost", lambda r: _maybe_fmt(r.vehicle.pack_cost, "{:,.0f} USD")),
        ("test mass", lambda r: f"{r.test_mass:.0f} kg"),
    ]
    for name, fn in lines:
        t.add_row(name, *(fn(r) for _, r in rows))
    con.print(t)
    official = before.vehicle.official_range
    if official and after is None:
        con.print(f"official range: {official / 1e3:.0f} km", highlight=False)
    assumptions = (after or before).assumptions
    if assumptions:
        con.print("[dim]assumptions:[/dim]")
        for a in assumptions:
            con.print(f"[dim]  - {a}[/dim]")


def health_document(ans) -> dict[str, Any]:
    """JSON of ``nevcalc health``."""
    return {
        "chemistry": ans.chemistry,
        "model": ans.model,
        "capacity": [
            {"year": y, "value": round(q, 5)} for y, q in zip(ans.years, ans.capacity, strict=True)
        ],
        "years_to_80": None if ans.years_to_80 is None else round(ans.years_to_80, 2),
        "soc_window": [quantity(ans.soc_window[0], "%"), quantity(ans.soc_window[1], "%")],
        "efc_per_day": ans.efc_per_day,
        "charge_rate": {"value": ans.charge_rate, "unit": "1/h"},
        "temperature": {"value": round(ans.temperature - 273.15, 2), "unit": "degC"},
        "assumptions": list(ans.assumptions),
    }


def render_health(ans, console=None, width: int = 40) -> None:
    """Capacity by year as a bar chart, and the year it falls to 80 %."""
    con = _console(console)
    con.print(
        f"[bold]{ans.chemistry}[/bold] ({ans.model} model), {ans.soc_window[0]:.0%}-"
        f"{ans.soc_window[1]:.0%} daily, {ans.charge_rate:g}C charge, "
        f"{ans.temperature - 273.15:.0f} degC",
        highlight=False,
    )
    for y, q in zip(ans.years, ans.capacity, strict=True):
        n = round(width * max(q - 0.5, 0) / 0.5)
        style = "green" if q >= 0.8 else "red"
        con.print(f"year {y:2d} [{style}]{'█' * n}{' ' * (width - n)}[/{style}] {q:6.1%}",
                  highlight=False)  # fmt: skip
    t80 = ans.years_to_80
    con.print(
        "80 % capacity after " + ("more than 40 years" if t80 is None else f"{t80:.1f} years")
    )
    for a in ans.assumptions:
        con.print(f"[dim]  - {a}[/dim]")


_COST_PARTS = ("purchase", "energy", "replacement", "maintenance", "time", "residual")


def cost_document(ans, currency: str, usd_per_unit: float) -> dict[str, Any]:
    """JSON of ``nevcalc cost``: total, per_km and parts as money quantities."""

    def money(x, unit=currency):
        return {"value": round(float(x) / usd_per_unit, 2), "unit": unit}

    p = ans.parts
    return {
        "vehicle": ans.vehicle,
        "years": ans.years,
        "total": money(p.total),
        "per_km": money(p.per_km, f"{currency}/km"),
        "parts": {k: money(getattr(p, k)) for k in _COST_PARTS},
        "replacement_year": ans.replacement_year or None,
        "capacity_at_end": round(ans.capacity_at_end, 4),
        "fast_charge_hours_per_year": round(ans.fast_charge_hours_per_year, 1),
        "assumptions": list(ans.assumptions),
    }


def render_cost(ans, currency: str, usd_per_unit: float, console=None) -> None:
    """The cost parts, total and per km."""
    from rich.table import Table

    con = _console(console)
    p = ans.parts
    con.print(
        f"[bold]{ans.vehicle}[/bold]: {ans.years} years, {ans.distance_per_year / 1e3:,.0f} km "
        f"a year (present value, {currency})",
        highlight=False,
    )
    t = Table()
    t.add_column("part")
    t.add_column(currency, justify="right")
    for k in _COST_PARTS:
        t.add_row(k, f"{float(getattr(p, k)) / usd_per_unit:,.0f}")
    t.add_row("[bold]total[/bold]", f"[bold]{float(p.total) / usd_per_unit:,.0f}[/bold]")
    t.add_row("per km", f"{float(p.per_km) / usd_per_unit:.3f}")
    con.print(t)
    if ans.replacement_year:
        con.print(f"battery replaced at the end of year {ans.replacement_year}")
    con.print(f"capacity after {ans.years} years: {ans.capacity_at_end:.0%}", highlight=False)
    for a in ans.assumptions:
        con.print(f"[dim]  - {a}[/dim]")


def trend_document(ans) -> dict[str, Any]:
    """JSON of ``nevcalc trend``: learning rate, its interval, projected pack prices."""
    import numpy as np

    unit = "USD/kWh"

    def usd_kwh(x):
        return round(float(x) * 3.6e6, 2)

    t, p = ans.time, ans.charge_power
    return {
        "dollar_basis": f"constant {ans.market.basis_year} US dollars (US CPI-U)",
        "learning_rate": round(ans.learning_rate, 4),
        "learning_rate_interval": [round(x, 4) for x in ans.learning_rate_interval],
        "points": ans.experience.n,
        "growth": round(ans.growth, 4),
        "annual_price_change": round(float(np.expm1(t.slope)), 4),
        "annual_price_change_interval": [
            round(float(np.expm1(t.slope_low)), 4),
            round(float(np.expm1(t.slope_high)), 4),
        ],
        "pack_price": [
            {
                "year": int(y),
                "value": usd_kwh(v),
                "low": usd_kwh(lo),
                "high": usd_kwh(hi),
                "by_year": usd_kwh(by),
                "unit": unit,
                "cumulative_volume": {"value": round(float(c) / 3.6e15, 1), "unit": "TWh"},
            }
            for y, v, lo, hi, by, c in zip(
                ans.years,
                ans.price_by_volume,
                ans.price_by_volume_low,
                ans.price_by_volume_high,
                ans.price_by_year,
                ans.cumulative,
                strict=True,
            )
        ],
        "peak_charge_power_annual_change": round(float(np.expm1(p.slope)), 4),
        "peak_charge_power_change_2021_2025": round(float(np.exp(4 * p.slope)), 3),
        "source": str(ans.market.path),
    }


def render_trend(ans, console=None, width: int = 36) -> None:
    """Learning rate, trends and the projected pack price as bars."""
    import numpy as np
    from rich.table import Table

    con = _console(console)
    lo, hi = ans.learning_rate_interval
    b = ans.market.basis_year
    con.print(
        f"[bold]Pack price experience curve[/bold]: learning rate {ans.learning_rate:.1%} per "
        f"doubling of cumulative volume (95 % interval {lo:.1%}-{hi:.1%}, "
        f"{ans.experience.n} BNEF years, {b} USD)",
        highlight=False,
    )
    t = ans.time
    con.print(
        f"time trend: {np.expm1(t.slope):+.1%} a year ({np.expm1(t.slope_low):+.1%} to "
        f"{np.expm1(t.slope_high):+.1%}); peak DC charging power of published cars "
        f"{np.expm1(ans.charge_power.slope):+.0%} a year, "
        f"x{np.exp(4 * ans.charge_power.slope):.1f} from 2021 to 2025",
        highlight=False,
    )
    tab = Table(title=f"pack price, USD{b}/kWh, annual volume growing {ans.growth:.0%} a year")
    for col in ("year", "cumulative", "by volume", "95 % band", "by year", ""):
        tab.add_column(col, justify="right" if col else "left")
    top = float(np.max(ans.price_by_volume_high)) * 3.6e6
    for y, c, v, lo_, hi_, by in zip(
        ans.years, ans.cumulative, ans.price_by_volume, ans.price_by_volume_low,
        ans.price_by_volume_high, ans.price_by_year, strict=True,
    ):  # fmt: skip
        n = round(width * float(v) * 3.6e6 / top)
        tab.add_row(
            str(y), f"{c / 3.6e15:,.1f} TWh", f"{v * 3.6e6:.0f}",
            f"{lo_ * 3.6e6:.0f}-{hi_ * 3.6e6:.0f}", f"{by * 3.6e6:.0f}", "█" * n,
        )  # fmt: skip
    con.print(tab)
    con.print(
        "[dim]  - prices: BloombergNEF survey pack averages, deflated with US CPI-U; volume: "
        "global Li-ion demand, interpolated at constant growth between sourced years[/dim]"
    )


def _metric_text(si, unit: str, factor: float) -> str:
    if si is None:
        return "-"
    x = si / factor
    if unit == "%":
        return f"{x:.1f} %"
    return f"{x:,.0f}" if abs(x) >= 100 else f"{x:.3g}"


def scenario_document(ans) -> dict[str, Any]:
    """JSON of ``nevcalc scenario run``."""
    from nevcalc.scenario.scenarios import METRICS

    def q(si, unit, factor):
        if si is None:
            return None
        return {"value": round(si / factor, 6), "unit": unit}

    return {
        "scenario": ans.name,
        "title": ans.title,
        "description": ans.description,
        "cases": [
            {
                "name": c.name,
                "title": c.title,
                "metrics": {k: q(v, *METRICS[k][:2]) for k, v in c.metrics.items()},
                "notes": list(c.notes),
            }
            for c in ans.cases
        ],
        "claims": [
            {
                "claim": ch.text,
                "metric": ch.metric,
                "relation": ch.relation,
                "claimed": round(
                    ch.claimed if ch.change else ch.claimed / METRICS[ch.metric][1], 6
                ),
                "computed": None
                if math.isnan(ch.computed)
                else round(ch.computed if ch.change else ch.computed / METRICS[ch.metric][1], 6),
                "unit": "ratio" if ch.change else METRICS[ch.metric][0],
                "holds": ch.holds,
                "source": ch.source,
                "kind": ch.kind,
            }
            for ch in ans.checks
        ],
        "file": ans.path,
    }


def render_scenario(ans, console=None) -> None:
    """Cases side by side, then each claim with what the models give."""
    from rich.table import Table

    from nevcalc.scenario.scenarios import METRICS

    con = _console(console)
    con.print(f"[bold]{ans.title}[/bold]", highlight=False)
    if ans.description:
        con.print(ans.description, highlight=False)
    t = Table()
    t.add_column("metric")
    t.add_column("unit")
    for c in ans.cases:
        t.add_column(c.name, justify="right")
    for key, (unit, factor, title) in METRICS.items():
        cells = [_metric_text(c.metrics.get(key), unit, factor) for c in ans.cases]
        if all(x == "-" for x in cells):
            continue
        t.add_row(title, unit, *cells)
    con.print(t)
    for c in ans.cases:
        con.print(f"[dim]{c.name}: {c.title}{'; ' if c.notes else ''}"
                  f"{'; '.join(c.notes)}[/dim]", highlight=False)  # fmt: skip
    for ch in ans.checks:
        unit, factor, _ = METRICS[ch.metric]
        if math.isnan(ch.computed):
            got = "not reached within 40 years"
        elif ch.change:
            got = f"x{ch.computed:.2f} ({ch.computed - 1:+.0%})"
        else:
            got = f"{_metric_text(ch.computed, unit, factor)} {unit}"
        mark = "[green]holds[/green]" if ch.holds else "[red]does not hold[/red]"
        con.print(f"claim: {ch.text} -> nevcalc {got}: {mark}", highlight=False)
        con.print(f"[dim]  {ch.kind}, {ch.source}[/dim]", highlight=False)


def _clean(x):
    if isinstance(x, float) and not math.isfinite(x):
        return None
    if isinstance(x, dict):
        return {k: _clean(v) for k, v in x.items()}
    if isinstance(x, list):
        return [_clean(v) for v in x]
    return x


def sweep_document(res) -> dict[str, Any]:
    """JSON run summary of ``nevcalc sweep``."""
    doc = {
        "title": res.plan.title,
        "scenarios": res.scenarios,
        "seconds": round(res.seconds, 4),
        "scenarios_per_second": round(res.scenarios_per_second, 1),
        "output": res.output,
        "engine": res.engine,
        "chunks": res.chunks,
        "shape": list(res.plan.shape),
        "charging_profiles": res.stats.get("charge_pairs"),
        "health_points": res.stats.get("health_points"),
    }
    if res.columns is not None:
        reason = res.columns["reason"]
        doc["infeasible"] = int((reason != 0).sum())
    if res.summary is not None:
        doc["summary"] = _clean(res.summary)
    return doc


def render_sweep(res, console=None) -> None:
    """One paragraph on the run, then the summary tables when there are any."""
    from rich.table import Table

    con = _console(console)
    shape = " x ".join(str(s) for s in res.plan.shape) or "1"
    con.print(
        f"[bold]{res.plan.title or 'sweep'}[/bold]: {res.scenarios:,} scenarios ({shape}) in "
        f"{res.seconds:.2f} s, {res.scenarios_per_second:,.0f} a second "
        f"({res.engine}, {res.chunks} chunk{'s' if res.chunks != 1 else ''}; "
        f"{res.stats.get('charge_pairs', 0):,} charging profiles)",
        highlight=False,
    )
    if res.output:
        con.print(f"written to {res.output}", highlight=False)
    s = res.summary
    if not s:
        if res.columns is not None and not res.output:
            con.print("(rows kept in memory; -o OUT.parquet writes them, --summary sums them)")
        return
    con.print(f"{s['infeasible']:,} of {s['rows']:,} rows infeasible (see the reason column)")
    for g in s["groups"]:
        label = ", ".join(f"{k} {v}" for k, v in g["group"].items()) or "all rows"
        t = Table(title=f"{label}: {g['rows']:,} rows", title_justify="left")
        for col in ("metric", "unit", "mean", "5 %", "50 %", "95 %"):
            t.add_column(col, justify="left" if col in ("metric", "unit") else "right")
        for m, d in g["metrics"].items():

            def f(x):
                return "-" if x is None else f"{x:.4g}"

            t.add_row(m, d["unit"], f(d["mean"]), f(d.get("q05")), f(d.get("q50")),
                      f(d.get("q95")))  # fmt: skip
        con.print(t)
    if "pareto" in s:
        a, b = s["pareto"]["metrics"]
        con.print(f"Pareto front of {a} and {b}: {len(s['pareto']['rows'])} rows")
        for row in s["pareto"]["rows"][:10]:
            cats = ", ".join(str(v) for k, v in row.items() if isinstance(v, str))
            con.print(f"  {a} {row[a]:.4g}, {b} {row[b]:.4g}: {cats}", highlight=False)
