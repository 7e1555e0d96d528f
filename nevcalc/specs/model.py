"""Frozen spec objects: values in SI floats, with their provenance."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np

from nevcalc import _show
from nevcalc.specs.schema import FIELDS
from nevcalc.units import format_si, format_value, get_registry, si_factor

__all__ = ["KEY_FIELDS", "Provenance", "Spec", "Table"]

#: The fields a spec's one-line ``repr`` shows, by kind, each with how it reads (``{}`` is
#: the value); those the spec gives, at most four.
KEY_FIELDS: dict[str, dict[str, str]] = {
    "vehicle": {"battery_usable_energy": "{} usable", "chemistry": "{}",
                "max_charge_power": "{} peak", "voltage_class": "{} class",
                "official_range": "{} official"},
    "chemistry": {"family": "{}", "cell_specific_energy": "cell {}",
                  "pack_specific_energy": "pack {}", "charge_c_rate": "C-rate {}",
                  "cycle_life": "{}"},
    "charger": {"current_type": "{}", "max_power": "{}", "max_current": "{}",
                "max_voltage": "up to {}"},
    "usage": {"annual_distance": "{} a year", "fast_charge_share": "fast share {}",
              "electricity_price": "home {}", "climate": "{}"},
    "climate": {"temperature_jan": "Jan {}", "temperature_jul": "Jul {}"},
    "route": {"distance": "{}", "speed": "at {}", "ambient": "air {}",
              "station_spacing": "stations every {}"},
}  # fmt: skip


@dataclass(frozen=True)
class Provenance:
    """Where a figure comes from.

    Attributes
    ----------
    source : str
        URL or citation.
    kind : str
        ``claimed``, ``measured``, ``official`` or ``assumed``.
    note : str
        Free text (conditions, how a value was chosen).
    """

    source: str
    kind: str
    note: str = ""


@dataclass(frozen=True)
class Table:
    """Values against state of charge.

    Attributes
    ----------
    soc : tuple of float
        State of charge, strictly increasing, in [0, 1].
    value : tuple of float
        Values in SI base units.
    """

    soc: tuple[float, ...]
    value: tuple[float, ...]


@dataclass(frozen=True)
class Spec:
    """A validated spec (chemistry, vehicle or charger).

    Values are held as SI floats (tables as :class:`Table`, texts as str);
    :meth:`quantity` puts the unit back on.
    """

    kind: str
    name: str
    path: str
    values: Mapping[str, Any]
    provenance: Mapping[str, Provenance] = field(default_factory=dict)
    published: tuple[Mapping[str, Any], ...] = ()

    def __post_init__(self):
        object.__setattr__(self, "values", MappingProxyType(dict(self.values)))
        object.__setattr__(self, "provenance", MappingProxyType(dict(self.provenance)))

    def __getitem__(self, key: str) -> Any:
        try:
            return self.values[key]
        except KeyError:
            raise KeyError(f"{self.kind} {self.name!r} has no value for {key!r}") from None

    def __contains__(self, key: str) -> bool:
        return key in self.values

    def get(self, key: str, default: Any = None) -> Any:
        """The SI value of ``key``, or ``default`` when the spec does not give it."""
        return self.values.get(key, default)

    @property
    def title(self) -> str:
        """Human-readable name."""
        return self.values.get("title", self.name)

    def unit(self, key: str) -> str:
        """Canonical unit of field ``key``."""
        return FIELDS[self.kind][key].unit

    def in_unit(self, key: str, unit: str | None = None) -> float:
        """Value of a quantity field in ``unit`` (its canonical unit by default)."""
        return self[key] / si_factor(unit or self.unit(key) or "dimensionless")

    def text(self, key: str, short: bool = False) -> str:
        """The value of ``key`` for people: ``"83.2 kWh"``, ``"-10 degC"``, ``"lfp-flash"``.

        Quantities in their canonical unit to four figures (temperatures in degC), as
        :func:`nevcalc.units.format_value` writes every figure; a table against SoC as its
        number of points and range (``short``: its highest value).
        """
        value = self[key]
        f = FIELDS[self.kind][key]
        if isinstance(value, Table):
            v = np.asarray(value.value) / si_factor(f.unit or "dimensionless")
            top = format_value(v.max(), f.unit, ".4g")
            return f"up to {top}" if short else f"{len(v)} points, {v.min():.4g}-{top}"
        if isinstance(value, bool) or not isinstance(value, int | float):
            return str(value)
        if f.unit == "K" and f.lo is not None and f.lo > 100:  # a temperature, not a rise
            return format_si(value, "degC")
        return format_value(self.in_unit(key), f.unit)

    def __repr__(self) -> str:
        return _show.line(self)

    def _repr_html_(self) -> str:
        return _show.html(self)

    def quantity(self, key: str):
        """Value of ``key`` as a pint Quantity in its canonical unit."""
        ureg = get_registry()
        unit = self.unit(key) or "dimensionless"
        value = self[key]
        if isinstance(value, Table):
            return ureg.Quantity(np.asarray(value.value) / si_factor(unit), unit)
        return ureg.Quantity(self.in_unit(key), unit)
