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

from nevcalc import _show, catalog
from nevcalc.ageing import (
    AGEING_MODELS,
    FLEET_CORRECTION_DEFAULT,
    ageing_stage,
    climate_temperature,
    distance_text,
    duty_shape,
    fleet_correction_note,
    fleet_scale,
    how_often,
)
from nevcalc.errors import InputError
from nevcalc.model import degradation
from nevcalc.params import check, parse_int
from nevcalc.specs.model import Spec
from nevcalc.specs.schema import MONTHS
from nevcalc.units import format_si, from_si, kelvin_to_celsius, si_factor

__all__ = [
    "FAMILY_MODELS",
    "SIMPLE_CALENDAR_YEARS",
    "HealthAnswer",
    "ageing_model_for",
    "climate_temperatures",
    "constant_climate",
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


def climate_temperatures(climate: str | Spec) -> tuple[np.ndarray, Spec]:
    """The twelve monthly mean temperatures of a climate spec, January first.

    Parameters
    ----------
    climate : str or Spec
        A climate spec name or path (``specs/climates``), or the spec.

    Returns
    -------
    temperatures : numpy.ndarray
        Shape ``(12,)`` [K].
    spec : Spec

    Examples
    --------
    >>> t, spec = climate_temperatures("oslo")
    >>> t.shape, spec.get("title")
    ((12,), 'Oslo')
    >>> bool(t[6] > t[0])  # July is warmer than January
    True
    """
    spec = climate if isinstance(climate, Spec) else catalog.load(climate, "climate")
    return np.array([float(spec[f"temperature_{m}"]) for m in MONTHS]), spec


def constant_climate(temperature: float) -> Spec:
    """A climate whose twelve monthly means are all ``temperature`` [K]: one air all year.

    Examples
    --------
    >>> t, spec = climate_temperatures(constant_climate(263.15))
    >>> bool((t == 263.15).all()), spec.name
    (True, 'constant -10 degC')
    """
    t = float(check("ambient", temperature))
    name = f"constant {kelvin_to_celsius(t):.0f} degC"
    return Spec("climate", name, "", {"title": name, "region": "the same air all year",
                                      **{f"temperature_{m}": t for m in MONTHS}})  # fmt: skip


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
    charge_rate: float  #: [h^-1] (of the everyday AC charges)
    temperature: float  #: [K] (with a climate, the one the model ages its months as)
    assumptions: tuple[str, ...]
    #: ways the duty lies outside the data the model was fitted on (also in assumptions)
    validity: tuple[str, ...] = ()
    fast_share: float = 0.0  #: share of the energy charged at DC [-]
    fast_rate: float = 0.0  #: C-rate of the DC charges [h^-1]
    climate: str | None = None  #: climate spec name, when the year is aged month by month
    fleet_correction: bool = False  #: the fleet correction of the lab-cell model applied
    km_per_year: float | None = None  #: [m] distance a year, when known
    km_to_80: float | None = None  #: [m] distance when the capacity falls to 80 %
    at_distance: float | None = None  #: [m] the distance asked about (``--at``)
    capacity_at_distance: float | None = None  #: [-] capacity at ``at_distance``
    years_at_distance: float | None = None  #: [years] age at ``at_distance``

    def __repr__(self) -> str:
        return _show.line(self)

    def _repr_html_(self) -> str:
        return _show.html(self)


#: Pack and consumption that turn km into cycles when neither is given: a mid-size car.
DEFAULT_PACK_KWH = 70.0
DEFAULT_CONSUMPTION_KWH_PER_KM = 0.17


def _km_answers(q, km_per_year, t80, at_distance, horizon_years):
    """Distance to 80 % and the capacity (and age) at a distance [m, -, years]."""
    km80 = None if (t80 is None or km_per_year is None) else t80 * km_per_year
    if at_distance is None:
        return km80, None, None
    t = at_distance / km_per_year
    if t > horizon_years:
        raise InputError(
            f"--at: {format_si(at_distance, 'km', ',.0f')} is {t:.1f} years at "
            f"{format_si(km_per_year, 'km', ',.0f')} a year, beyond the {horizon_years}-year "
            "horizon; "
            "give a shorter distance or more km a year"
        )
    curve = np.concatenate([[1.0], np.asarray(q, float)])
    return km80, float(np.interp(t, np.arange(curve.size), curve)), float(t)


def health(
    chemistry: Spec,
    soc_window=(0.3, 0.8),
    *,
    efc_per_day=None,
    charge_rate=0.25,
    temperature=298.15,
    years: int = 10,
    aged: dict | None = None,
    fast_share: float = 0.0,
    fast_rate: float = 1.0,
    climate=None,
    temperature_rise: float = 0.0,
    km_per_year=None,
    pack_energy=None,
    consumption=None,
    at_distance=None,
    fleet_correction: bool | None = None,
) -> HealthAnswer:
    """Capacity over the years of a car's duty.

    Parameters
    ----------
    chemistry : Spec
    soc_window : (float, float)
        Lowest and highest SoC of each sweep [-].
    efc_per_day : float, optional
        Equivalent full cycles a day [-], 0.001 up to twelve sweeps of the window
        (``high - low``, the default: one sweep a day). Fewer than one sweep mean a
        sweep every few days; more, several sweeps a day (taxis). Not with
        ``km_per_year``.
    charge_rate : float
        C-rate of the everyday (AC) charges [h^-1].
    temperature : float
        Cell temperature all year [K] (without ``climate``).
    years : int
        Years to report.
    aged : dict, optional
        :func:`nevcalc.ageing.ageing_stage`'s answer for this duty with its capacity
        curve, when the caller has it (a cost evaluation): it is explained, not
        computed again.
    fast_share : float
        Share of the energy (and of the days) charged at DC [-].
    fast_rate : float
        C-rate of the DC charges [h^-1].
    climate : str or Spec, optional
        A climate spec: the year is aged month by month at its monthly mean
        temperatures plus ``temperature_rise``.
    temperature_rise : float
        Cells above the climate's air [K].
    km_per_year : float, optional
        Distance a year [m]; sets the cycles through ``pack_energy`` and ``consumption``.
    pack_energy : float, optional
        Usable energy [J] (70 kWh when km are given without it).
    consumption : float, optional
        At the battery [J m^-1] (0.17 kWh/km when km are given without it).
    at_distance : float, optional
        Distance [m] at which to report the capacity; needs ``km_per_year`` (or a pack
        and consumption to turn the cycles into km).
    fleet_correction : bool, optional
        Apply the fleet correction of the lab-cell models (:func:`nevcalc.ageing.fleet_scale`);
        None: :data:`nevcalc.ageing.FLEET_CORRECTION_DEFAULT` (on).

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
    a: list[str] = []
    if km_per_year is not None and efc_per_day is not None:
        raise InputError(
            "give either km a year (--km-per-year / --km-per-day) or --efc-per-day, not both"
        )
    kwh = si_factor("kWh")
    if km_per_year is not None or (pack_energy is not None and consumption is not None):
        if pack_energy is None:
            pack_energy = DEFAULT_PACK_KWH * kwh
            a.append(f"pack of {DEFAULT_PACK_KWH:g} kWh usable assumed (give --pack)")
        if consumption is None:
            consumption = DEFAULT_CONSUMPTION_KWH_PER_KM * si_factor("kWh/km")
            a.append(f"{DEFAULT_CONSUMPTION_KWH_PER_KM:g} kWh/km at the battery assumed "
                     "(give --consumption)")  # fmt: skip
    if km_per_year is not None:
        efc_per_day = km_per_year * consumption / degradation.DAYS_PER_YEAR / pack_energy
        per_km, pack_kwh = from_si(consumption, "kWh/km"), from_si(pack_energy, "kWh")
        a.append(f"{distance_text(km_per_year)} a year is {efc_per_day:.3g} full "
                 f"cycles a day of {pack_kwh:g} kWh at {per_km:.3g} kWh/km")  # fmt: skip
    efc = depth if efc_per_day is None else float(efc_per_day)
    most = degradation.MAX_SWEEPS_PER_DAY
    if km_per_year is not None and not efc <= depth * most:
        # cycles the user did not type: name what they come from and what to change
        raise InputError(
            f"the distance (--km-per-year / --km-per-day) is {efc:.3g} full cycles a day, "
            f"{efc / depth:.3g} sweeps of the {depth:.0%} SoC window, more than {most} a "
            "day; give fewer km, a larger --pack, a lower --consumption or a wider "
            "--soc-window"
        )
    efc = check("efc_per_day", efc, "efc per day (--efc-per-day)")
    if efc > depth * most:
        raise InputError(
            f"efc per day (--efc-per-day): {efc:g} is {efc / depth:.3g} sweeps of the "
            f"{depth:.0%} SoC window a day, more than {most}; give fewer cycles or widen "
            "--soc-window"
        )
    if km_per_year is None and pack_energy is not None and consumption is not None:
        km_per_year = efc * degradation.DAYS_PER_YEAR * pack_energy / consumption
    if at_distance is not None and km_per_year is None:
        raise InputError(
            "--at: a distance needs the km driven a year; give --km-per-year (or --pack and "
            "--consumption with --efc-per-day)"
        )
    check(
        "charge_rate",
        charge_rate * si_factor("1/h"),
        "charge rate (--charge-rate)",
        f"{charge_rate:g} /h",
    )
    share = check("dc_share", float(fast_share), "DC share (--dc-share)")
    if share > 0:
        check("dc_rate", fast_rate * si_factor("1/h"), "DC rate (--dc-rate)", f"{fast_rate:g} /h")
    check("temperature_rise", float(temperature_rise), "temperature rise (--temperature-rise)")
    months = None
    climate_name = None
    if climate is not None:
        months, cspec = climate_temperatures(climate)
        months = months + temperature_rise
        climate_name = cspec.name
        model_name = ageing_model_for(chemistry)[0]
        temperature = float(climate_temperature(months, model_name, lo, hi))
    check("temperature", temperature, "temperature (--temperature)",
          f"{kelvin_to_celsius(temperature):g} degC")  # fmt: skip
    years = parse_int("health.years", years, "years (--years)")
    sweeps, period = duty_shape(lo, hi, max(efc, depth / degradation.MAX_PERIOD_DAYS))
    sweeps = int(sweeps)
    if sweeps > 1:
        per_day = sweeps * degradation.DAY / float(period)
        shape = f"{per_day:.3g} sweeps of {hi:.0%} -> {lo:.0%} a day"
        if per_day < sweeps - 1e-9:  # days of n - 1 and of n sweeps
            shape += (f" ({per_day - sweeps + 1:.0%} of the days {sweeps}, the others "
                      f"{sweeps - 1})")  # fmt: skip
    else:
        shape = f"parked at {hi:.0%}, two drives to {lo:.0%}"
        if float(period) > 1.005 * degradation.DAY:  # a sweep every few days, parked between
            shape = (f"a sweep {how_often(lo, hi, efc)} (two drives from {hi:.0%} to "
                     f"{lo:.0%}), parked at {hi:.0%} between")  # fmt: skip
    charging = f"charged back at {charge_rate:g}C"
    if share > 0:
        charging += f" ({1 - share:.0%} of the energy; {share:.0%} at {fast_rate:g}C DC)"
    a.insert(0, f"duty: {shape}, {charging}; {efc:.3g} equivalent full cycles a day")
    if months is not None:
        a.append(
            f"climate {climate_name}: aged month by month at "
            f"{kelvin_to_celsius(months.min()):.0f} to {kelvin_to_celsius(months.max()):.0f} "
            f"degC (mean air{f' + {temperature_rise:g} K' if temperature_rise else ''}; "
            f"ages as {kelvin_to_celsius(temperature):.1f} degC all year"
            + (
                f" by the {model_name} model's calendar fade, about "
                + format_si(
                    degradation.calendar_activation_energy(model_name, lo, hi), "kJ/mol", ".0f"
                )
                + ")"
                if model_name in degradation.MODELS
                else ")"
            )
        )
    name, life, why = ageing_model_for(chemistry)
    if why:
        a.append(why)
    if efc < depth / degradation.MAX_PERIOD_DAYS:
        a.append(
            f"{efc:g} cycles a day is less than one sweep a year: aged as one sweep a year "
            "(over-states the cycling fade; calendar fade dominates)"
        )
    if fleet_correction is None:
        fleet_correction = FLEET_CORRECTION_DEFAULT
    fleet = bool(fleet_correction) and name != "simple"
    if aged is None:
        code = -1 if name == "simple" else AGEING_MODELS.index(name)
        aged = ageing_stage(code, np.nan if life is None else life, lo, hi, efc,
                            charge_rate / degradation.HOUR, temperature, years, 0.8,
                            curve=True, fast_share=share,
                            fast_rate=fast_rate / degradation.HOUR, climate=months,
                            scale=fleet_scale(name, fleet) if fleet else None)  # fmt: skip
    q = aged["capacity"]
    efc = float(aged["efc_per_day"])
    if name != "simple":
        info = degradation.MODEL_INFO[name]
        a.append(f"{name} model: fitted on {info.cell} ({info.source}), applied to "
                 f"{chemistry.get('title', chemistry.name)}")  # fmt: skip
        a.append(fleet_correction_note(fleet))
        top = max(charge_rate, fast_rate if share > 0 else 0.0)
        per_month = [] if months is None else [float(months.min()), float(months.max())]
        notes = []
        for t in per_month or [temperature]:
            notes += validity_notes(name, t, depth, top / degradation.HOUR, float(q[years - 1]))
        notes = list(dict.fromkeys(notes))
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
    km80, q_at, t_at = _km_answers(q, km_per_year, years_to_80, at_distance, _HORIZON)
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
        fast_share=share,
        fast_rate=float(fast_rate) if share > 0 else 0.0,
        climate=climate_name,
        fleet_correction=fleet,
        km_per_year=None if km_per_year is None else float(km_per_year),
        km_to_80=km80,
        at_distance=None if at_distance is None else float(at_distance),
        capacity_at_distance=q_at,
        years_at_distance=t_at,
    )
