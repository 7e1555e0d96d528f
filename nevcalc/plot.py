"""Figures for people: the charge curve and its binding limits, capacity over the years,
the pack-price experience curve. matplotlib is an optional extra (``nevcalc[plot]``);
figures are written atomically (a temporary file renamed over the target).
"""

from __future__ import annotations

import os
import re
import sys
import textwrap
from pathlib import Path

import numpy as np

from nevcalc.errors import InputError
from nevcalc.model.degradation import FITTED_CAPACITY_MIN
from nevcalc.text import pct as _pct
from nevcalc.units import format_si, from_si, kelvin_to_celsius

__all__ = ["charge_figure", "health_figure", "save", "trend_figure", "trip_figure"]

_SUFFIXES = (".png", ".svg", ".pdf")


def _pyplot():
    try:
        import matplotlib
    except ImportError:
        raise InputError("figures need matplotlib: pip install 'nevcalc[plot]'") from None
    # figures go to files, never to a window; in a notebook's kernel its own backend
    # shows them inline, so it is left as it is
    if "ipykernel" not in sys.modules:
        matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def check_path(path) -> Path:
    """Refuse a figure path before any work: its suffix, its folder, a folder in its place."""
    p = Path(path)
    if p.suffix.lower() not in _SUFFIXES:
        raise InputError(f"--plot {p}: give a .png, .svg or .pdf file name")
    if not p.parent.is_dir():
        raise InputError(f"--plot {p}: folder {p.parent} does not exist")
    if p.is_dir():  # checked here: a failed save would name only its temporary file
        raise InputError(f"--plot {p}: is a folder; give a file name, e.g. {p / 'figure.png'}")
    _pyplot()
    return p


def save(fig, path) -> Path:
    """Write ``fig`` to ``path`` atomically and close it."""
    p = check_path(path)
    tmp = p.with_name(f".{p.stem}.tmp-{os.getpid()}{p.suffix}")
    try:
        fig.savefig(tmp, dpi=150, bbox_inches="tight")
        os.replace(tmp, p)
    except OSError as exc:  # name the file asked for, not the temporary one
        raise OSError(exc.errno, exc.strerror or str(exc), str(p)) from None
    finally:
        if tmp.exists():
            tmp.unlink()
        _pyplot().close(fig)
    return p


def _min(seconds: float) -> str:
    """A time in minutes, or in hours from 100 minutes on (the figure's own time axis)."""
    m = from_si(seconds, "min")
    return f"{m:.1f} min" if m < 100 else format_si(seconds, "h", ".1f")


def charge_figure(ans):
    """Power into the pack against SoC, coloured by the binding limit, and the time taken.

    Both panels and the title read the session's own profile (``ans.soc``,
    ``ans.power``, ``ans.time``), so the time panel ends at the time in the
    title; a charge at an ambient draws its cell temperature on a second axis.
    ``--minutes`` and ``--add`` are marked as vertical lines; a charge that cannot
    finish is drawn up to where it stops, with the reason.

    Parameters
    ----------
    ans : nevcalc.scenario.ChargeAnswer
    """
    plt = _pyplot()
    fig, (ax, at) = plt.subplots(2, 1, figsize=(7, 6.4), sharex=True,
                                 gridspec_kw={"height_ratios": [2, 1]})  # fmt: skip
    soc = from_si(np.asarray(ans.soc, float), "%")
    power = from_si(np.asarray(ans.power, float), "kW")
    # the time axis in the unit of the title: minutes, or hours from 100 min on
    unit = "h" if from_si(ans.charging_time, "min") >= 100 else "min"
    minutes = from_si(np.asarray(ans.time, float), unit)
    limits = list(ans.limit)
    charged = soc.size > 1
    colours = plt.get_cmap("tab10")
    if charged:
        names = list(dict.fromkeys(limits))
        for k, name in enumerate(names):
            sel = np.array([lim == name for lim in limits])
            ax.fill_between(soc, 0, power, where=sel, step="mid", alpha=0.35, color=colours(k),
                            label=name)  # fmt: skip
        ax.plot(soc, power, color="black", lw=1.2)
        at.plot(soc, minutes, color="tab:blue")
        ax.legend(title="limit that binds", fontsize=8, loc="best")
    lo, hi = from_si(ans.soc_from, "%"), from_si(ans.soc_to, "%")
    ax.set_xlim(lo - 0.02 * (hi - lo), hi + 0.02 * (hi - lo))
    if ans.feasible:
        done = f"in {_min(ans.duration)}"
    elif ans.soc_reached > ans.soc_from:
        done = f"stops at {_pct(ans.soc_reached)} after {_min(ans.charging_time)}"
    else:
        done = "cannot start"
    ax.set_title(
        f"{ans.vehicle.title} on {ans.charger.title}:\n"
        f"{_pct(ans.soc_from)} -> {_pct(ans.soc_to)} {done}"
        + ("" if ans.ambient is None else f" at {from_si(ans.ambient, 'degC'):.0f} degC"),
        fontsize=10,
    )
    if not ans.feasible:
        end = from_si(ans.soc_reached, "%")
        for axis in (ax, at):
            axis.axvspan(end, hi, color="grey", alpha=0.15, lw=0)
        ax.text(0.5 * (end + hi), 0.5, "not reached", transform=ax.get_xaxis_transform(),
                ha="center", va="center", color="dimgrey", fontsize=9)  # fmt: skip
        # the reason as a caption below the axes, where it cannot cover the curves
        words = re.sub(r"(\d) (V|%|kW|A|min)\b", "\\1\u00a0\\2", ans.reason)  # keep "410 V"
        fig.text(0.5, 0.0, "\n".join(textwrap.wrap(words, 90)), ha="center", va="top",
                 fontsize=8, color="darkred")  # fmt: skip
    _mark_minutes_and_distance(ans, ax, at, unit)
    ax.set_ylabel("power into the pack [kW]")
    if charged and ans.temperature is not None:  # the cell temperature beside the power
        tx = ax.twinx()
        tx.plot(soc, from_si(np.asarray(ans.temperature, float), "degC"), color="tab:red",
                lw=1.2, ls="--", label="cell temperature")  # fmt: skip
        tx.set_ylabel("cell temperature [degC]", color="tab:red")
        tx.tick_params(axis="y", colors="tab:red")
        tx.legend(fontsize=8, loc="lower right")
    ax.set_ylim(bottom=0, top=max(float(power.max(initial=0.0)), 1.0) * 1.15)
    at.set_ylim(bottom=0, top=max(float(minutes.max(initial=0.0)), 1.0) * 1.1)
    at.set_xlabel("state of charge [%]")
    at.set_ylabel(f"time charging [{unit}]")
    at.grid(alpha=0.3)
    ax.grid(alpha=0.3)
    return fig


def _mark_minutes_and_distance(ans, ax, at, unit: str = "min") -> None:
    """Vertical lines at the SoC reached after ``--minutes`` and where ``--add`` is added,
    a dot where the time curve crosses them, and a legend in the time panel (its upper
    left stays free: the time curve rises from the lower left)."""
    marks = []
    if ans.minutes is not None and ans.soc_after is not None:
        added = format_si(ans.range_added, "km", ".0f")
        label = f"{format_si(ans.minutes, 'min', '.3g')}: +{added} (to {_pct(ans.soc_after)})"
        marks.append((ans.soc_after, ans.minutes, label, "tab:green"))
    if ans.distance is not None and ans.soc_add is not None and ans.soc_add <= 1:
        took = _min(ans.minutes_to_add) if np.isfinite(ans.minutes_to_add) else "not reached"
        label = f"+{format_si(ans.distance, 'km', '.0f')}: {took} (at {_pct(ans.soc_add)})"
        marks.append((ans.soc_add, ans.minutes_to_add, label, "tab:purple"))
    for x, t, label, colour in marks:
        if x > ans.soc_to:  # past the target: off the figure, said in the legend
            at.plot([], [], ls="--", lw=1, color=colour, label=f"{label}, past the target")
            continue
        x_pct = from_si(x, "%")
        ax.axvline(x_pct, color=colour, ls="--", lw=1)
        at.axvline(x_pct, color=colour, ls="--", lw=1, label=label)
        if x < ans.soc_reached and np.isfinite(t):  # on the time curve
            at.plot([x_pct], [from_si(t, unit)], "o", color=colour, ms=4)
    if marks:
        at.legend(fontsize=8, loc="upper left")


def health_figure(ans):
    """Relative capacity at the end of each year, with the 80 % line.

    Parameters
    ----------
    ans : nevcalc.scenario.health.HealthAnswer
    """
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(7, 4))
    years = np.concatenate([[0], ans.years])
    capacity = np.concatenate([[1.0], ans.capacity])
    q = from_si(capacity, "%")
    # the fitted fade holds down to FITTED_CAPACITY_MIN; below it the curve is extrapolated
    fitted = capacity >= FITTED_CAPACITY_MIN
    last = int(np.flatnonzero(fitted)[-1]) if fitted.any() else 0
    line = ax.plot(
        years[: last + 1],
        q[: last + 1],
        marker="o",
        ms=3,
        label=f"fitted fade (down to {from_si(FITTED_CAPACITY_MIN, '%'):.0f} %)",
    )
    if last + 1 < years.size:
        ax.plot(years[last:], q[last:], marker="o", ms=3, ls=":", mfc="none",
                color=line[0].get_color(),
                label=f"extrapolated below {from_si(FITTED_CAPACITY_MIN, '%'):.0f} %")  # fmt: skip
        ax.legend(loc="lower left", fontsize=8)
    ax.axhline(80, ls="--", color="grey", lw=1)
    if ans.validity:
        note = "outside the model's data: " + "; ".join(ans.validity)
        fig.text(0.01, 0.01, "\n".join(textwrap.wrap(note, 120)), fontsize=7, va="bottom")
        fig.subplots_adjust(bottom=0.12 + 0.03 * len(textwrap.wrap(note, 120)))
    ax.set_xlabel("years")
    ax.set_ylabel("capacity [%]")
    t80 = "beyond 40 years" if ans.years_to_80 is None else f"{ans.years_to_80:.1f} years"
    ax.set_title(
        f"{ans.chemistry} ({ans.model} model): {ans.soc_window[0]:.0%}-{ans.soc_window[1]:.0%}"
        f", {ans.charge_rate:g}C, {kelvin_to_celsius(ans.temperature):.0f} degC; 80 % after {t80}",
        fontsize=10,
    )
    ax.grid(alpha=0.3)
    return fig


def trend_figure(ans):
    """Pack price against cumulative volume (the experience curve) and against the year.

    Parameters
    ----------
    ans : nevcalc.scenario.trend.TrendAnswer
    """
    plt = _pyplot()
    m = ans.market
    fig, (ax, ay) = plt.subplots(1, 2, figsize=(11, 4.5))
    v = ans.fitted_volume

    def usd(price):  # [USD/J] -> [USD/kWh]
        return from_si(price, "USD/kWh")

    def twh(volume):  # [J] -> [TWh]
        return from_si(volume, "TWh")

    ax.loglog(twh(v), usd(m.price[ans.fitted]), "o", label="BNEF survey")
    vv = np.concatenate([v, ans.cumulative])
    lv = np.log(np.sort(vv))
    ax.loglog(twh(np.exp(lv)), usd(ans.experience.predict(lv)), "-",
              label=f"Wright's law, learning rate {ans.learning_rate:.0%}")  # fmt: skip
    ax.fill_between(twh(ans.cumulative), usd(ans.price_by_volume_low),
                    usd(ans.price_by_volume_high), alpha=0.25, label="95 % interval")  # fmt: skip
    ax.set_xlabel("cumulative lithium-ion volume [TWh]")
    ax.set_ylabel(f"pack price [USD{m.basis_year}/kWh]")
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3, which="both")
    ay.plot(m.price_year, usd(m.price), "o", label="BNEF survey")
    ay.plot(ans.years, usd(ans.price_by_volume), "-",
            label=f"by volume, +{ans.growth:.0%} a year")  # fmt: skip
    ay.plot(ans.years, usd(ans.price_by_year), "--",
            label=f"by year, {np.expm1(ans.time.slope):+.1%} a year")  # fmt: skip
    from matplotlib.ticker import MaxNLocator, NullFormatter, ScalarFormatter

    ay.xaxis.set_major_locator(MaxNLocator(integer=True))
    for axis in (ax.xaxis, ax.yaxis):
        axis.set_major_formatter(ScalarFormatter())
        axis.set_minor_formatter(NullFormatter())
    ay.set_xlabel("year")
    ay.set_ylabel(f"pack price [USD{m.basis_year}/kWh]")
    ay.set_ylim(bottom=0)
    ay.legend(fontsize=8)
    ay.grid(alpha=0.3)
    return fig


def trip_figure(ans):
    """SoC against distance with the charging stops, and elapsed time against distance.

    Parameters
    ----------
    ans : nevcalc.scenario.trip.TripAnswer
    """
    plt = _pyplot()
    fig, (ax, at) = plt.subplots(2, 1, figsize=(7.5, 6.4), sharex=True,
                                 gridspec_kw={"height_ratios": [3, 2]})  # fmt: skip
    r = ans.route
    km = from_si(np.asarray(ans.profile["distance"], float), "km")
    soc = from_si(np.asarray(ans.profile["soc"], float), "%")
    hours = from_si(np.asarray(ans.profile["time"], float), "h")
    ax.plot(km, soc, color="tab:blue", lw=1.5, label="state of charge")
    ax.axhline(from_si(r.reserve, "%"), color="tab:red", lw=0.8, ls="--", label="reserve")
    stations = from_si(np.array([x for x, _ in r.stations], float), "km")
    if stations.size:
        ax.plot(stations, np.zeros_like(stations), "|", color="grey", ms=10, label="stations")
    for s in ans.stops:
        x = from_si(s.at, "km")
        label = f"{from_si(s.time, 'min'):.0f} min"
        ax.annotate(label, (x, from_si(s.leave, "%")), textcoords="offset points",
                    xytext=(0, 4), ha="center", fontsize=7)  # fmt: skip
    ax.set_ylim(0, 105)
    ax.set_ylabel("state of charge [%]")
    ax.legend(fontsize=8, loc="upper right")
    at.plot(km, hours, color="black", lw=1.2)
    at.set_ylabel("time from the start [h]")
    at.set_xlabel("distance [km]")
    at.set_xlim(0, from_si(r.distance, "km"))
    if ans.feasible:
        done = (f"{_min(ans.total_time)} with {len(ans.stops)} stops "
                f"({_min(ans.stop_time)} at stops)")  # fmt: skip
    else:
        done = "cannot be driven"
        fig.text(0.5, 0.0, "\n".join(textwrap.wrap(ans.reason, 90)), ha="center", va="top",
                 fontsize=8, color="darkred")  # fmt: skip
    ax.set_title(f"{ans.vehicle.title}: {r.title or r.describe()}\n{done}", fontsize=10)
    fig.tight_layout()
    return fig
