"""Battery health over the years of a daily duty, from a chemistry's ageing model.

Chemistries whose spec names an ``ageing_model`` use the empirical model of
:mod:`nevcalc.model.degradation`. The others (sodium-ion, solid-state ...,
known only from claims) get a plainly labelled simple model: linear cycle
fade reaching 20 % at the claimed ``cycle_life`` plus square-root calendar
fade reaching 20 % in :data:`SIMPLE_CALENDAR_YEARS`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nevcalc.errors import InputError
from nevcalc.model import degradation
from nevcalc.specs.model import Spec

__all__ = ["SIMPLE_CALENDAR_YEARS", "HealthAnswer", "health"]

SIMPLE_CALENDAR_YEARS = degradation.SIMPLE_CALENDAR_YEARS
_HORIZON = 40


@dataclass(frozen=True)
class HealthAnswer:
    """Relative capacity by year and when it falls to 80 %."""

    chemistry: str
    model: str
    years: tuple[int, ...]
    capacity: tuple[float, ...]  #: relative capacity at the end of each year [-]
    years_to_80: float | None  #: None when beyond the horizon
    soc_window: tuple[float, float]
    efc_per_day: float
    charge_rate: float  #: [h^-1]
    temperature: float  #: [K]
    assumptions: tuple[str, ...]


def health(
    chemistry: Spec,
    soc_window=(0.3, 0.8),
    *,
    efc_per_day=None,
    charge_rate=0.25,
    temperature=298.15,
    years: int = 10,
) -> HealthAnswer:
    """Capacity over the years of the standard daily duty.

    Parameters
    ----------
    chemistry : Spec
    soc_window : (float, float)
        Lowest and highest SoC of the daily sweep [-].
    efc_per_day : float, optional
        Equivalent full cycles a day [-]; one sweep of the window a day
        (``high - low``) by default. Fewer mean a sweep every few days.
    charge_rate : float
        Charging C-rate [h^-1].
    temperature : float
        Cell temperature [K].
    years : int
        Years to report.

    Returns
    -------
    HealthAnswer
    """
    lo, hi = (float(x) for x in soc_window)
    if not 0.0 <= lo < hi <= 1.0:
        raise InputError(
            f"soc window: {lo:.0%}..{hi:.0%} is not a window; give low..high within 0-100 %, "
            "e.g. 30%..80%"
        )
    depth = hi - lo
    efc = depth if efc_per_day is None else float(efc_per_day)
    if not 0 < efc <= depth:
        raise InputError(
            f"efc per day: {efc:g} must be above 0 and at most one sweep of the window "
            f"({depth:g}) a day"
        )
    if not 0 < charge_rate <= 20 / 3600 * 3600:
        raise InputError(f"charge rate: {charge_rate:g} /h is outside 0-20 /h")
    if not 200 < temperature < 350:
        raise InputError(f"temperature: {temperature - 273.15:g} degC is outside -73..77 degC")
    if not 1 <= years <= _HORIZON:
        raise InputError(f"years: {years} is outside 1-{_HORIZON}")
    a: list[str] = [
        f"daily duty: parked at {hi:.0%}, two drives to {lo:.0%}, charged back at "
        f"{charge_rate:g}C; {efc:g} equivalent full cycles a day"
    ]
    grid = np.arange(1, _HORIZON + 1)
    name = chemistry.get("ageing_model")
    if name is not None:
        duty = degradation.daily_duty(hi, lo, charge_rate, temperature - 273.15,
                                      period_days=depth / efc)  # fmt: skip
        q = degradation.capacity_fade(name, duty, grid)
    else:
        life = chemistry.get("cycle_life")
        if life is None:
            raise InputError(
                f"{chemistry.path}: neither ageing_model nor cycle_life; "
                "add cycle_life = { value = 3000, source = ..., kind = ... }"
            )
        name = "simple"
        a.append(
            f"simple model (no measured ageing model for {chemistry.name}): 20 % cycle fade at "
            f"{life:.0f} cycles, linear; 20 % calendar fade in {SIMPLE_CALENDAR_YEARS:g} years, "
            "square root; no temperature or C-rate effect"
        )
        q = degradation.simple_capacity(grid, efc, life)
    t80 = float(degradation.years_to_capacity(q, 0.8))
    years_to_80 = t80 if np.isfinite(t80) else None
    return HealthAnswer(
        chemistry=chemistry.name,
        model=name,
        years=tuple(int(y) for y in grid[:years]),
        capacity=tuple(float(x) for x in q[:years]),
        years_to_80=years_to_80,
        soc_window=(lo, hi),
        efc_per_day=efc,
        charge_rate=float(charge_rate),
        temperature=float(temperature),
        assumptions=tuple(a),
    )
