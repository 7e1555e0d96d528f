"""Frozen spec objects: values in SI floats, with their provenance."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np

from nevcalc.specs.schema import FIELDS
from nevcalc.units import get_registry, si_factor

__all__ = ["Provenance", "Spec", "Table"]


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

    def quantity(self, key: str):
        """Value of ``key`` as a pint Quantity in its canonical unit."""
        ureg = get_registry()
        unit = self.unit(key) or "dimensionless"
        value = self[key]
        if isinstance(value, Table):
            return ureg.Quantity(np.asarray(value.value) / si_factor(unit), unit)
        return ureg.Quantity(self.in_unit(key), unit)
