"""Complete a car known only from its brochure.

A datasheet rarely gives every figure the models need. What it leaves out is
estimated from what it gives (battery energy, body class or dimensions,
market, model year) by relations fitted on published figures and shipped in
``specs/data/brochure.toml``; each estimate says its value, its spread and the
relation it came from, and the answer lists it under its assumptions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nevcalc.units import from_si

__all__ = ["Estimate", "market_year"]


def market_year(market: str | None) -> tuple[str | None, int | None]:
    """Market code and model year from a spec's ``market`` text.

    Examples
    --------
    >>> market_year("EU 2021"), market_year("US 2022-2024"), market_year("2025")
    (('EU', 2021), ('US', 2022), (None, 2025))
    >>> market_year("CN"), market_year(None)
    (('CN', None), (None, None))
    """
    if not market:
        return None, None
    m = re.search(r"(19|20)\d\d", market)
    code = re.match(r"\s*([A-Za-z]{2,3})\b", market)
    return (code.group(1).upper() if code else None), (int(m.group(0)) if m else None)


@dataclass(frozen=True)
class Estimate:
    """One figure a datasheet did not give, estimated from those it did."""

    field: str  #: the spec field it stands for, e.g. ``"curb_mass"``
    value: float  #: [SI unit of the field]
    low: float  #: 10th percentile of the relation's calibration residuals [SI]
    high: float  #: 90th percentile [SI]
    unit: str  #: display unit, e.g. ``"kg"``
    basis: str  #: the relation and what it was fitted on, one line

    def text(self) -> str:
        """One line for an answer's assumptions.

        Examples
        --------
        >>> Estimate("curb_mass", 2050.0, 1900.0, 2210.0, "kg", "from battery energy").text()
        'curb_mass estimated 2050 kg (80 %: 1900-2210 kg) from battery energy'
        >>> Estimate("drag_coefficient", 0.26, 0.24, 0.29, "", "median of SUVs").text()
        'drag_coefficient estimated 0.26 (80 %: 0.24-0.29) median of SUVs'
        >>> Estimate("voltage_class", 400.0, 400.0, 400.0, "V", "by rule: above 250 kW").text()
        'voltage_class estimated 400 V by rule: above 250 kW'
        """
        v, lo, hi = (f"{from_si(x, self.unit):.4g}" for x in (self.value, self.low, self.high))
        u = f" {self.unit}" if self.unit else ""
        if self.low == self.high:  # a stated rule, not a fitted relation: no spread to show
            return f"{self.field} estimated {v}{u} {self.basis}"
        return f"{self.field} estimated {v}{u} (80 %: {lo}-{hi}{u}) {self.basis}"

    def as_dict(self) -> dict:
        """For JSON: the field, value, spread and basis in the display unit (4 figures)."""
        f = lambda x: float(f"{from_si(x, self.unit):.4g}")  # noqa: E731
        return {"field": self.field, "value": f(self.value), "low": f(self.low),
                "high": f(self.high), "unit": self.unit, "basis": self.basis}  # fmt: skip
