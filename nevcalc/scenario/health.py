"""Battery health over the years of a daily duty, from a chemistry's ageing model.

Chemistries whose spec names an ``ageing_model`` use the empirical model of
:mod:`nevcalc.model.degradation`. The others (sodium-ion, solid-state ...,
known only from claims) get a plainly labelled simple model: linear cycle
fade reaching 20 % at the claimed ``cycle_life`` plus square-root calendar
fade reaching 20 % in :data:`SIMPLE_CALENDAR_YEARS`. A chemistry with neither
is aged with the published model of its family (:data:`FAMILY_MODELS`), and
the answer says so. Every answer names the cell the model was fitted on and
each way the duty lies outside that model's data.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nevcalc.ageing import AGEING_MODELS, ageing_stage
from nevcalc.errors import InputError
from nevcalc.model import degradation
from nevcalc.params import check, parse_int
from nevcalc.specs.model import Spec
from nevcalc.units import kelvin_to_celsius, si_factor

__all__ = [
    "FAMILY_MODELS",
    "SIMPLE_CALENDAR_YEARS",
    "HealthAnswer",
    "ageing_model_for",
    "health",
    "validity_notes",
]

SIMPLE_CALENDAR_YEARS = degradation.SIMPLE_CALENDAR_YEARS
_HORIZON = 40

#: Chemistry family (lower case) -> the published model of the nearest cathode/anode
#: family, used when a chemistry names neither an ageing model nor a cycle life. Automotive
#: NMC-type cells take the automotive NMC622 DENSO model, as the shipped nmc811 does; the
#: LG MJ1 18650 model ages far faster than automotive cells and is kept for those cells.
FAMILY_MODELS = {
    "lfp": "lfp-gr-250ah",
    "lmfp": "lfp-gr-250ah",
    "nmc": "nmc622-gr-denso",
    "nca": "nca-gr-panasonic3ah",
    "semi-solid": "nmc622-gr-denso",
}


def ageing_model_for(chemistry: Spec) -> tuple[str, float | None, str | None]:
    """The ageing model of a chemistry: ``(model, cycle_life, why)``.

    ``model`` is a key of :data:`degradation.MODELS` or ``"simple"`` (then
    ``cycle_life`` is set); ``why`` is the sentence an answer carries when the
    model stands in for a chemistry that names neither model nor cycle life.
    """
    name = chemistry.get("ageing_model")
    if name is not None:
        return name, None, None
    life = chemistry.get("cycle_life")
    if life is not None:
        return "simple", float(life), None
    family = str(chemistry.get("family", "")).strip().lower()
    name = FAMILY_MODELS.get(family)
    if name is None:
        raise InputError(
            f"chemistry {chemistry.name}: no ageing_model, no cycle_life and family "
            f"{chemistry.get('family')!r} has no published model; give one of them in a "
            f"spec of your own that extends it (families with a default: "
            f"{', '.join(sorted(FAMILY_MODELS))})"
        )
    why = (f"no ageing model or cycle life for {chemistry.name}: the {name} model of the "
           f"{family} family stands in (an assumption, not a fit to this cell)")  # fmt: skip
    return name, None, why


def validity_notes(model, temperature, depth, charge_rate, capacity_min=1.0):
    """Sentences naming each way a duty lies outside the data ``model`` was fitted on.

    The ranges are the model's own (:data:`nevcalc.model.degradation.MODEL_INFO`,
    in SI); this writes them in the units people read: degC, percent, C.

    Parameters
    ----------
    model : str
        A key of :data:`nevcalc.model.degradation.MODEL_INFO`.
    temperature : float
        Cell temperature [K].
    depth : float
        Daily SoC swing at full capacity [-].
    charge_rate : float
        Charge C-rate [s^-1].
    capacity_min : float
        Lowest relative capacity the answer reports [-].

    Returns
    -------
    list of str
        Empty when the duty lies within the model's data.
    """
    info = degradation.MODEL_INFO[model]
    t, t_min, t_max = (kelvin_to_celsius(float(x)) for x in (temperature, info.t_min, info.t_max))
    per_hour, charge_max = charge_rate * degradation.HOUR, info.charge_max * degradation.HOUR
    out = []
    if not info.t_min <= temperature <= info.t_max:
        out.append(
            f"{t:g} degC is outside the {t_min:g}-{t_max:g} degC of the "
            f"{model} model's data: the Arrhenius terms are extrapolated"
        )
    if not info.dod_min <= depth <= info.dod_max:
        out.append(
            f"a {depth:.0%} daily swing is outside the {info.dod_min:.0%}-"
            f"{info.dod_max:.0%} depth of the {model} model's data"
        )
    if charge_rate > info.charge_max:
        out.append(
            f"charging at {per_hour:g}C is above the {charge_max:g}C of the {model} model's data"
        )
    if capacity_min < degradation.FITTED_CAPACITY_MIN:
        out.append(
            f"below {degradation.FITTED_CAPACITY_MIN:.0%} capacity the fitted fade is "
            "extrapolated (no knee of fast end-of-life fade is modelled)"
        )
    if out:
        out[-1] += f" (data ranges: {info.ranges_source})"
    return out


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
    #: ways the duty lies outside the data the model was fitted on (also in assumptions)
    validity: tuple[str, ...] = ()


def health(
    chemistry: Spec,
    soc_window=(0.3, 0.8),
    *,
    efc_per_day=None,
    charge_rate=0.25,
    temperature=298.15,
    years: int = 10,
    aged: dict | None = None,
) -> HealthAnswer:
    """Capacity over the years of the standard daily duty.

    Parameters
    ----------
    chemistry : Spec
    soc_window : (float, float)
        Lowest and highest SoC of the daily sweep [-].
    efc_per_day : float, optional
        Equivalent full cycles a day [-], 0.001 up to one sweep of the window
        (``high - low``, the default). Fewer mean a sweep every few days.
    charge_rate : float
        Charging C-rate [h^-1].
    temperature : float
        Cell temperature [K].
    years : int
        Years to report.
    aged : dict, optional
        :func:`nevcalc.ageing.ageing_stage`'s answer for this duty with its capacity
        curve, when the caller has it (a cost evaluation): it is explained, not
        computed again.

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
    efc = check("efc_per_day", depth if efc_per_day is None else float(efc_per_day),
                "efc per day (--efc-per-day)")  # fmt: skip
    if efc > depth:
        raise InputError(
            f"efc per day (--efc-per-day): {efc:g} is more than one sweep of the window "
            f"({depth:g}) a day; give e.g. {depth / 2:g}, or widen --soc-window"
        )
    check(
        "charge_rate",
        charge_rate * si_factor("1/h"),
        "charge rate (--charge-rate)",
        f"{charge_rate:g} /h",
    )
    check("temperature", temperature, "temperature (--temperature)",
          f"{kelvin_to_celsius(temperature):g} degC")  # fmt: skip
    years = parse_int("health.years", years, "years (--years)")
    a: list[str] = [
        f"daily duty: parked at {hi:.0%}, two drives to {lo:.0%}, charged back at "
        f"{charge_rate:g}C; {efc:g} equivalent full cycles a day"
    ]
    name, life, why = ageing_model_for(chemistry)
    if why:
        a.append(why)
    if efc < depth / degradation.MAX_PERIOD_DAYS:
        a.append(
            f"{efc:g} cycles a day is less than one sweep a year: aged as one sweep a year "
            "(over-states the cycling fade; calendar fade dominates)"
        )
    if aged is None:
        code = -1 if name == "simple" else AGEING_MODELS.index(name)
        aged = ageing_stage(code, np.nan if life is None else life, lo, hi, efc,
                            charge_rate / degradation.HOUR, temperature, years, 0.8,
                            curve=True)  # fmt: skip
    q = aged["capacity"]
    efc = float(aged["efc_per_day"])
    if name != "simple":
        info = degradation.MODEL_INFO[name]
        a.append(f"{name} model: fitted on {info.cell} ({info.source}), applied to "
                 f"{chemistry.get('title', chemistry.name)}")  # fmt: skip
        notes = validity_notes(name, temperature, depth, charge_rate / degradation.HOUR,
                               float(q[years - 1]))  # fmt: skip
    else:
        a.append(
            f"simple model (no measured ageing model for {chemistry.name}): 20 % cycle fade at "
            f"{life:.0f} cycles, linear; 20 % calendar fade in {SIMPLE_CALENDAR_YEARS:g} years, "
            "square root; no temperature or C-rate effect"
        )
        notes = []
        if q[years - 1] < degradation.FITTED_CAPACITY_MIN:
            notes.append(
                f"below {degradation.FITTED_CAPACITY_MIN:.0%} capacity the simple model is "
                "extrapolated past its claims (linear fade; floored at 0 %)"
            )
    a.extend(notes)
    t80 = float(aged["years_to_80"])
    years_to_80 = t80 if np.isfinite(t80) else None
    grid = np.arange(1, _HORIZON + 1)
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
        validity=tuple(notes),
    )
