"""``nevcalc trend``: the pack-price experience curve and its projection."""

from __future__ import annotations

from typing import Any

import numpy as np

from nevcalc.io import source_name
from nevcalc.metrics import unit as unit_of
from nevcalc.report.format import _console, money, quantity, shown
from nevcalc.tables import Column, fit_columns, print_table

__all__ = ["render_trend", "trend_csv_table", "trend_document"]


def trend_document(ans) -> dict[str, Any]:
    """JSON of ``nevcalc trend``: learning rate, its interval, projected pack prices."""
    unit = "USD/kWh"

    def usd_kwh(x):
        return round(shown(float(x), "pack_price"), 2)

    def pct(x, digits=4):
        return quantity(float(x), "share", digits=digits)

    t, p = ans.time, ans.charge_power
    return {
        "dollar_basis": f"constant {ans.market.basis_year} US dollars (US CPI-U)",
        "learning_rate": pct(ans.learning_rate),
        "learning_rate_interval": [pct(x) for x in ans.learning_rate_interval],
        "points": ans.experience.n,
        "growth": pct(ans.growth),
        "annual_price_change": pct(np.expm1(t.slope)),
        "annual_price_change_interval": [pct(np.expm1(t.slope_low)), pct(np.expm1(t.slope_high))],
        "pack_price": [
            {
                "year": int(y),
                "value": usd_kwh(v),
                "low": usd_kwh(lo),
                "high": usd_kwh(hi),
                "by_year": usd_kwh(by),
                "unit": unit,
                "cumulative_volume": {
                    "value": round(shown(float(c), "cumulative_volume"), 1),
                    "unit": unit_of("cumulative_volume"),
                },
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
        "history": _history(ans, usd_kwh, unit),
        "peak_charge_power_annual_change": pct(np.expm1(p.slope)),
        "peak_charge_power_change_2021_2025": money(
            float(np.exp(4 * p.slope)), "dimensionless", digits=3
        ),
        "source": source_name(ans.market.path),
    }


def _history(ans, usd_kwh, unit: str) -> list[dict[str, Any]]:
    """The market prices the experience curve is fitted on, at their cumulative volume,
    and the curve's price there (``fitted``)."""
    if ans.fitted is None or ans.fitted_volume is None:
        return []
    m = ans.market
    years, prices = m.price_year[ans.fitted], m.price[ans.fitted]
    on_curve = ans.experience.predict(np.log(ans.fitted_volume))
    return [
        {
            "year": int(y),
            "value": usd_kwh(v),
            "fitted": usd_kwh(f),
            "unit": unit,
            "cumulative_volume": {
                "value": round(shown(float(c), "cumulative_volume"), 2),
                "unit": unit_of("cumulative_volume"),
            },
        }
        for y, v, f, c in zip(years, prices, on_curve, ans.fitted_volume, strict=True)
    ]


def trend_csv_table(ans):
    """The projected pack prices of ``nevcalc trend`` as CSV rows, units in the header."""
    unit = f"USD{ans.market.basis_year}/kWh"
    cols = [
        Column("year"),
        Column("cumulative_volume", unit=unit_of("cumulative_volume")),
        Column("price_by_volume", unit=unit),
        Column("price_by_volume_low", unit=unit),
        Column("price_by_volume_high", unit=unit),
        Column("price_by_year", unit=unit),
    ]
    cells = [
        [int(y), float(f"{shown(c, 'cumulative_volume'):.6g}"),
         *(float(f"{shown(x, 'pack_price'):.6g}") for x in (v, lo, hi, by))]
        for y, c, v, lo, hi, by in zip(
            ans.years, ans.cumulative, ans.price_by_volume, ans.price_by_volume_low,
            ans.price_by_volume_high, ans.price_by_year, strict=True,
        )
    ]  # fmt: skip
    return cols, cells


def render_trend(ans, console=None, width: int = 36) -> None:
    """Learning rate, trends and the projected pack price as bars."""
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

    cols = [
        Column("year", numeric=True, keep=True),
        Column("cumulative TWh", numeric=True, priority=3),
        Column("by volume", numeric=True, keep=True),
        Column("95 % band", numeric=True, priority=4),
        Column("by year", numeric=True, priority=5),
    ]
    cells, values = [], []
    for y, c, v, lo_, hi_, by in zip(
        ans.years, ans.cumulative, ans.price_by_volume, ans.price_by_volume_low,
        ans.price_by_volume_high, ans.price_by_year, strict=True,
    ):  # fmt: skip
        values.append(shown(float(v), "pack_price"))
        p = [shown(x, "pack_price") for x in (v, lo_, hi_, by)]
        cells.append([str(y), f"{shown(c, 'cumulative_volume'):,.1f}", f"{p[0]:.0f}",
                      f"{p[1]:.0f}-{p[2]:.0f}", f"{p[3]:.0f}"])  # fmt: skip
    kept, widths = fit_columns(cols, cells, con.width)
    room = con.width - sum(widths) - 3 * len(kept) - 1 - 3  # what a bar column may take
    bar = min(width, room)
    if bar >= 8:  # bars only where they fit whole
        top = max(shown(float(np.max(ans.price_by_volume_high)), "pack_price"), 1e-300)
        cols.append(Column("", priority=0))
        for row, v in zip(cells, values, strict=True):
            row.append("█" * round(bar * v / top))
    print_table(
        cols,
        cells,
        con,
        title=f"pack price, USD{b}/kWh, annual volume growing {ans.growth:.0%} a year",
        get_all="--json",
    )
    con.print(
        "[dim]  - prices: BloombergNEF survey pack averages, deflated with US CPI-U; volume: "
        "global Li-ion demand, interpolated at constant growth between sourced years[/dim]"
    )
