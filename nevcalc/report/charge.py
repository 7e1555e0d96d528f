"""Charging sessions: the JSON document and the rich table with a power-vs-SoC chart."""

from __future__ import annotations

from typing import Any

import numpy as np

from nevcalc.model.charging import LIMIT_NAMES
from nevcalc.reasons import OK, charge_reason
from nevcalc.report.format import (
    _console,
    _minutes,
    _pct,
    _segments_text,
    interval,
    quantity,
    shown,
)
from nevcalc.units import from_si

__all__ = ["charge_document", "render_charge"]

_LIMIT_STYLE = {
    "charger power": "magenta",
    "charger current": "blue",
    "vehicle power": "green",
    "vehicle current": "cyan",
    "cell C-rate": "yellow",
    "CV": "red",
    "charger voltage": "bright_red",
    "booster power": "bright_magenta",
    "charger min voltage": "red",
    "cold cell": "bright_blue",
}


def charge_document(ans) -> dict[str, Any]:
    """The JSON document of a :class:`nevcalc.scenario.ChargeAnswer`."""
    doc: dict[str, Any] = {
        "vehicle": ans.vehicle.name,
        "charger": ans.charger.name,
        "soc_from": quantity(ans.soc_from, "soc_from"),
        "soc_to": quantity(ans.soc_to, "soc_to"),
        "feasible": ans.feasible,
        "reason": ans.reason,
        "reason_code": _reason_code(ans),
        "duration": quantity(ans.duration, "duration"),
        "soc_reached": quantity(ans.soc_reached, "soc_reached"),
        "charging_time": quantity(ans.charging_time, "charging_time"),
        "stop_limit": ans.stop_limit or None,
        "energy_to_battery": quantity(ans.energy_to_battery, "energy_to_battery"),
        "energy_stored": quantity(ans.energy_stored, "energy_stored"),
        "energy_from_grid": quantity(ans.energy_from_grid, "energy_from_grid"),
        "losses": quantity(max(ans.energy_from_grid - ans.energy_stored, 0.0), "losses"),
        "average_power": quantity(ans.average_power, "average_power"),
        "peak_power": quantity(ans.peak_power, "peak_power"),
        "booster": ans.booster,
        "segments": [
            {"soc_from": quantity(a, "soc_from"), "soc_to": quantity(b, "soc_to"), "limit": name}
            for a, b, name in ans.segments
        ],
    }
    if ans.minutes is not None:
        doc["minutes"] = quantity(ans.minutes, "minutes")
        doc["soc_after"] = quantity(ans.soc_after, "soc_after")
        doc["range_added"] = quantity(ans.range_added, "range_added")
    if ans.distance is not None:
        doc["distance"] = quantity(ans.distance, "distance")
        doc["minutes_to_add"] = quantity(ans.minutes_to_add, "minutes_to_add")
        soc_add = ans.soc_add if ans.soc_add is not None and ans.soc_add <= 1 else None
        doc["soc_add"] = quantity(soc_add, "soc_add")
        doc["add_reason"] = ans.add_reason
    if ans.interval is not None:
        doc["interval"] = interval(ans.interval, "duration")
    if ans.ambient is not None:
        doc["thermal"] = _thermal_document(ans)
    doc["curve"] = _curve_document(ans)
    doc["estimates"] = [e.as_dict() for e in ans.vehicle.estimates]
    doc["assumptions"] = list(ans.assumptions)
    return doc


def _series(values, unit: str) -> dict[str, Any]:
    """``{"unit": ..., "values": [...]}`` of an SI array, 4 significant digits."""
    shown_values = from_si(np.asarray(values, dtype=float), unit)
    return {"unit": unit, "values": [float(f"{x:.4g}") for x in np.atleast_1d(shown_values)]}


def _curve_document(ans) -> dict[str, Any]:
    """The session point by point: SoC, time, power into the pack, binding limit, cell
    temperature (at an ambient; null otherwise): the data of the power-vs-SoC chart."""
    temp = ans.temperature if ans.temperature is not None and ans.temperature.size else None
    return {
        "soc": _series(ans.soc, "%"),
        "time": _series(ans.time, "min"),
        "power": _series(ans.power, "kW"),
        "limit": [str(x) for x in ans.limit],
        "temperature": None if temp is None else _series(temp, "degC"),
    }


_CABIN_OFF = "the cabin is off (no cabin set point given)"


def _thermal_document(ans) -> dict[str, Any]:
    temp = ans.temperature if ans.temperature is not None and ans.temperature.size else None
    return {
        "ambient": quantity(ans.ambient, "degC"),
        "pack_at_arrival": quantity(ans.arrival_temperature, "degC"),
        "pack_at_end": quantity(None if temp is None else float(temp[-1]), "degC"),
        "pack_max": quantity(None if temp is None else float(np.max(temp)), "degC"),
        "warmup_time": quantity(ans.warmup_time, "min"),
        "thermal_energy": quantity(ans.thermal_energy, "kWh"),
        "precondition_time": quantity(ans.precondition_time, "min"),
        "precondition_energy": quantity(ans.precondition_energy, "kWh"),
        "cabin": quantity(ans.cabin, "degC", reason=_CABIN_OFF),
        "cabin_power": quantity(
            None if ans.cabin is None else ans.cabin_power, "kW", reason=_CABIN_OFF
        ),
        "cabin_energy": quantity(
            None if ans.cabin is None else ans.cabin_energy, "kWh", reason=_CABIN_OFF
        ),
    }


def _thermal_rows(ans, t) -> None:
    """Rows of a charge at an ambient: the pack's temperature and what heating it took."""

    def c(x):
        return shown(float(x), "degC")

    temp = ans.temperature
    end = f" -> {c(temp[-1]):.0f}" if temp is not None and temp.size > 1 else ""
    t.add_row("air / pack", f"{c(ans.ambient):.0f} / {c(ans.arrival_temperature):.0f}{end} degC")
    if ans.precondition_time > 0:
        kwh = shown(ans.precondition_energy, "kWh")
        t.add_row("preconditioning", f"{_minutes(ans.precondition_time)}, {kwh:.1f} kWh before")
    if ans.warmup_time > 0:
        t.add_row("warm-up", f"{_minutes(ans.warmup_time)} before any current flows")
    if ans.thermal_energy > 0:
        t.add_row(
            "thermal management",
            f"{shown(ans.thermal_energy, 'kWh'):.1f} kWh (in the grid figure)",
        )
    if ans.cabin is not None:
        t.add_row(
            "cabin",
            f"{c(ans.cabin):.0f} degC: {shown(ans.cabin_power, 'kW'):.1f} kW, "
            f"{shown(ans.cabin_energy, 'kWh'):.1f} kWh (in the grid figure)",
        )


def render_charge(ans, console=None, chart: bool = True) -> None:
    """Print a charging session: a table of figures and a power-vs-SoC chart."""
    from rich.table import Table

    con = _console(console)
    con.print(
        f"[bold]{ans.vehicle.title}[/bold] on [bold]{ans.charger.title}[/bold]: "
        f"{_pct(ans.soc_from)} -> {_pct(ans.soc_to)}",
        highlight=False,
    )
    t = Table(show_header=False, box=None, pad_edge=False)
    t.add_column("what", style="bold")
    t.add_column("value", justify="right")
    if ans.feasible and ans.interval is not None:
        iv = ans.interval
        t.add_row("time", f"{_minutes(ans.duration)} ({iv.level:.0%}: {_minutes(iv.low)} to "
                          f"{_minutes(iv.high)})")  # fmt: skip
    elif ans.feasible:
        t.add_row("time", _minutes(ans.duration))
    elif ans.soc_reached > ans.soc_from:
        t.add_row(
            "time",
            f"[red]never reaches {_pct(ans.soc_to)}[/red]: stops at {_pct(ans.soc_reached)} "
            f"after {_minutes(ans.charging_time)}",
        )
    else:
        t.add_row("time", f"[red]never reaches {_pct(ans.soc_to)}[/red]: cannot start")
    t.add_row(
        "energy into the pack", f"{shown(ans.energy_to_battery, 'energy_to_battery'):.1f} kWh"
    )
    t.add_row("energy from the grid", f"{shown(ans.energy_from_grid, 'energy_from_grid'):.1f} kWh")
    t.add_row(
        "average / peak power",
        f"{shown(ans.average_power, 'average_power'):.0f} / "
        f"{shown(ans.peak_power, 'peak_power'):.0f} kW",
    )
    if ans.minutes is not None:
        t.add_row(
            f"in {shown(ans.minutes, 'minutes'):.3g} min",
            f"+{shown(ans.range_added, 'range_added'):.0f} km (to {_pct(ans.soc_after)})",
        )
    if ans.distance is not None:
        added = _minutes(ans.minutes_to_add)
        if ans.add_reason and ans.soc_add is not None:
            added = f"never: needs {_pct(ans.soc_add)}" if ans.soc_add <= 1 else "never: too far"
        t.add_row(f"to add {shown(ans.distance, 'distance'):.0f} km", added)
    t.add_row("binding limits", _segments_text(ans.segments) or "none: nothing is charged")
    if ans.ambient is not None:
        _thermal_rows(ans, t)
    if ans.booster:
        t.add_row("", "the vehicle's DC booster is in use")
    con.print(t)
    if not ans.feasible:
        con.print(f"[red]{ans.reason}[/red]", highlight=False)
    if ans.distance is not None and ans.add_reason and ans.add_reason != ans.reason:
        con.print(f"[red]to add {shown(ans.distance, 'distance'):.0f} km: {ans.add_reason}[/red]",
                  highlight=False)  # fmt: skip
    if chart and len(ans.soc) > 1:  # nothing to draw when nothing is charged
        _power_chart(ans, con)
    if ans.assumptions:
        con.print("[dim]assumptions:[/dim]")
        for a in ans.assumptions:
            con.print(f"[dim]  - {a}[/dim]")


def _power_chart(ans, con, rows: int = 14, width: int = 40) -> None:
    soc, power, limit = ans.soc, ans.power, ans.limit
    marks = np.linspace(soc[0], soc[-1], min(rows, len(soc)))
    peak = max(float(power.max()), 1.0)
    # "  5.1 % " bar " " "  350 kW" "  " limit: the bar takes what the console leaves
    names = max(len(str(x)) for x in limit)
    width = max(1, min(width, con.width - 20 - names))
    con.print("[bold]power into the pack against SoC[/bold] (bar: kW, colour: binding limit)")
    for s in marks:
        i = int(np.argmin(np.abs(soc - s)))
        n = round(width * power[i] / peak)
        style = _LIMIT_STYLE.get(limit[i], "white")
        con.print(
            f"{shown(soc[i], '%'):5.1f} % [{style}]{'█' * n}{' ' * (width - n)}[/{style}] "
            f"{shown(power[i], 'peak_power'):6.0f} kW  [{style}]{limit[i]}[/{style}]",
            highlight=False,
        )


def _short_reason(ans) -> str:
    """A narrow table cell for a charge that does not reach its target: where it ends."""
    if ans.soc_reached > ans.soc_from:
        return f"stops at {_pct(ans.soc_reached)}"
    return "never"


def _reason_code(ans) -> int:
    """The code of :mod:`nevcalc.reasons` a sweep row gets for the same charge."""
    if ans.feasible or ans.stop_limit not in LIMIT_NAMES:
        return OK
    return charge_reason(LIMIT_NAMES.index(ans.stop_limit), ans.soc_reached > ans.soc_from)
