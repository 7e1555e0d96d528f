"""The metrics registry: every quantity nevcalc reports, with its units and meaning.

One entry per name gives the SI unit the core computes it in, the unit it is
shown in (a pint-readable string), a title for tables and plots, a one-line
meaning and which way is better. JSON documents, the rich tables, sweep
columns and their Parquet/CSV metadata, sweep summaries (best rows, Pareto
fronts), scenario metrics and plots all read it; no other table of output
units or factors exists.

The display factor comes from :func:`nevcalc.units.si_factor` (pint-free for
the units listed there), so importing this module does not import pint:
``display = (si - offset) / factor``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from nevcalc.units import ZERO_CELSIUS, si_factor

__all__ = [
    "METRICS",
    "Metric",
    "better",
    "display_factor",
    "metric",
    "to_display",
    "unit",
]


@dataclass(frozen=True)
class Metric:
    """One reported quantity.

    Attributes
    ----------
    name : str
        Key in JSON documents, sweep columns and scenario files.
    si_unit : str
        Unit of the float the core computes (pint-readable; ``""`` for fractions
        and counts).
    unit : str
        Unit it is shown in (pint-readable).
    title : str
        Short title for table rows, columns and plot axes.
    meaning : str
        One line on what it is.
    better : str
        ``"lower"``, ``"higher"`` or ``""`` (neither: a setting or a state).
    offset : float
        Subtracted from the SI value before dividing by the factor (temperatures) [SI].
    """

    name: str
    si_unit: str
    unit: str
    title: str
    meaning: str
    better: str = ""
    offset: float = 0.0

    @property
    def factor(self) -> float:
        """SI value of one display unit: ``display = (si - offset) / factor``."""
        if self.offset:  # a temperature scale: degrees of the same size as kelvin
            return 1.0
        return display_factor(self.unit) / display_factor(self.si_unit)


def _m(name, si_unit, unit, title, meaning, better="", offset=0.0):
    return name, Metric(name, si_unit, unit, title, meaning, better, offset)


#: name -> :class:`Metric`.
METRICS: dict[str, Metric] = dict(
    [
        # charging
        _m("charge_10_80", "s", "min", "10-80 % charge", "time from 10 to 80 % on the charger",
           "lower"),
        _m("km_in_5_min", "m", "km", "km in 5 min", "range added in five minutes from 10 %",
           "higher"),
        _m("peak_power", "W", "kW", "peak power", "highest power into the pack in the session",
           "higher"),
        _m("average_power", "W", "kW", "average power",
           "energy into the pack over the session's time", "higher"),
        _m("fast_c_rate", "1/s", "1/h", "fast-charge C-rate",
           "average C-rate from 10 to 80 %", "higher"),
        _m("soc_from", "", "%", "from", "state of charge at the start"),
        _m("soc_to", "", "%", "to", "state of charge aimed at"),
        _m("soc_reached", "", "%", "reached", "state of charge the session ends at", "higher"),
        _m("soc_after", "", "%", "SoC after", "state of charge after the given minutes",
           "higher"),
        _m("soc_add", "", "%", "SoC to add", "state of charge the added distance needs"),
        _m("duration", "s", "min", "time", "time to reach the target (inf: never)", "lower"),
        _m("charging_time", "s", "min", "charging time", "time spent charging until it stops",
           "lower"),
        _m("minutes", "s", "min", "minutes", "charging time asked about"),
        _m("minutes_to_add", "s", "min", "time to add", "time to add the given distance",
           "lower"),
        _m("energy_to_battery", "J", "kWh", "energy into the pack",
           "energy the cells take in, before their losses"),
        _m("energy_stored", "J", "kWh", "energy stored", "energy added to the cells' charge"),
        _m("energy_from_grid", "J", "kWh", "energy from the grid",
           "energy drawn, charger and cable losses included", "lower"),
        _m("losses", "J", "kWh", "losses", "energy drawn but not stored", "lower"),
        _m("range_added", "m", "km", "range added", "distance the added charge drives",
           "higher"),
        _m("distance", "m", "km", "distance", "distance asked about"),
        # driving and the pack
        _m("range", "m", "km", "range", "range on the vehicle's official procedure", "higher"),
        _m("official_range", "m", "km", "official range", "published range of the vehicle"),
        _m("consumption", "J/m", "kWh/(100 km)", "consumption",
           "energy at the battery per distance, official procedure", "lower"),
        _m("consumption_wall", "J/m", "kWh/(100 km)", "consumption (wall)",
           "energy from the grid per distance, charging losses included", "lower"),
        _m("usable_energy", "J", "kWh", "usable energy", "energy of the usable SoC window",
           "higher"),
        _m("pack_mass", "kg", "kg", "pack mass", "mass of the battery pack", "lower"),
        _m("pack_volume", "m^3", "L", "pack volume", "volume of the battery pack", "lower"),
        _m("pack_cost", "USD", "USD", "pack cost", "price of the battery pack", "lower"),
        _m("pack_specific_energy", "J/kg", "Wh/kg", "pack Wh/kg",
           "usable energy per pack mass", "higher"),
        _m("test_mass", "kg", "kg", "test mass", "vehicle mass on the test procedure"),
        # health
        _m("capacity", "", "%", "capacity", "capacity relative to new", "higher"),
        _m("capacity_year_8", "", "%", "capacity y8",
           "relative capacity after 8 years of the usage", "higher"),
        _m("capacity_end", "", "%", "capacity at end",
           "relative capacity at the end of ownership", "higher"),
        _m("capacity_at_end", "", "%", "capacity at end",
           "relative capacity at the end of ownership", "higher"),
        _m("years_to_80", "s", "year", "years to 80 %",
           "years of the usage to 80 % capacity (inf beyond 40)", "higher"),
        _m("km_to_80", "m", "km", "km to 80 %", "distance driven until 80 % capacity", "higher"),
        _m("efc_to_80", "", "efc", "cycles to 80 %",
           "equivalent full cycles until 80 % capacity", "higher"),
        _m("efc_per_day", "1/s", "efc/day", "cycles a day", "equivalent full cycles a day"),
        _m("charge_rate", "1/s", "1/h", "charge C-rate", "C-rate of the daily charge"),
        _m("temperature", "K", "degC", "temperature", "cell temperature of the usage",
           offset=ZERO_CELSIUS),
        # cost
        _m("cost_energy", "USD", "USD", "energy cost", "present value of energy", "lower"),
        _m("cost_replacement", "USD", "USD", "replacement cost",
           "present value of a battery replacement", "lower"),
        _m("cost_maintenance", "USD", "USD", "maintenance cost", "present value of maintenance",
           "lower"),
        _m("cost_time", "USD", "USD", "time cost", "present value of time at fast chargers",
           "lower"),
        _m("running_cost_per_km", "USD/m", "USD/km", "running cost per km",
           "energy, replacement, maintenance and time per distance", "lower"),
        _m("cost_per_km", "USD/m", "USD/km", "cost per km",
           "lifecycle cost of nevcalc cost over the distance driven", "lower"),
        _m("distance_per_year", "m/year", "km/year", "distance a year",
           "distance driven in a year"),
        _m("fast_charge_time_per_year", "s", "h", "fast-charge time a year",
           "time spent at fast chargers in a year", "lower"),
        # trips
        _m("trip_time", "s", "h", "trip time", "driving and charging stops, end to end",
           "lower"),
        _m("drive_time", "s", "h", "driving time", "time on the road at the route's speed"),
        _m("stop_time", "s", "min", "time at stops",
           "charging plus the overhead of each stop", "lower"),
        _m("stops", "", "", "stops", "charging stops on the route", "lower"),
        _m("trip_speed", "m/s", "km/h", "trip speed", "distance over the trip time", "higher"),
        _m("km_in_20_min", "m", "km", "km in 20 min",
           "range at the trip's speed added in 20 minutes from 10 %", "higher"),
        # market
        _m("pack_price", "USD/J", "USD/kWh", "pack price", "price of a pack per energy", "lower"),
        _m("cumulative_volume", "J", "TWh", "cumulative volume",
           "cells made to date, as energy"),
        _m("learning_rate", "", "%", "learning rate",
           "price fall for each doubling of cumulative volume"),
        _m("share", "", "%", "share", "a share or a rate of change"),
    ]
)  # fmt: skip


def metric(name: str) -> Metric:
    """The registry entry of ``name`` (KeyError naming the known metrics if none)."""
    try:
        return METRICS[name]
    except KeyError:
        raise KeyError(f"{name!r} is not a metric; metrics: {', '.join(METRICS)}") from None


def unit(name: str) -> str:
    """Display unit of metric ``name``."""
    return metric(name).unit


def better(name: str) -> str:
    """``"lower"`` or ``"higher"``: which way metric ``name`` is better."""
    return metric(name).better


@cache
def display_factor(unit: str) -> float:
    """SI value of one ``unit`` (``""``: a plain number) [SI / unit]."""
    if unit in ("", "1"):
        return 1.0

    return si_factor(unit)


def to_display(name: str, si):
    """Value(s) of metric ``name`` in its display unit, from SI (array in, array out)."""
    m = metric(name)
    x = si - m.offset if m.offset else si
    f = m.factor
    return x / f if f != 1.0 else x
