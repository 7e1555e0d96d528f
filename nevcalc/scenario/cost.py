"""Lifecycle cost of a shipped vehicle: the road, charging and ageing models joined.

Money enters as text with a currency (``"0.6 CNY/kWh"``), is held in US
dollars of the exchange-rate table's reference year, and leaves in the
currency asked for. Every figure not given is a stated default in
:data:`COST_DEFAULTS` and is listed among the answer's assumptions.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from nevcalc import _show, catalog
from nevcalc.ageing import FLEET_CORRECTION_DEFAULT, climate_temperature, fleet_scale
from nevcalc.cars import assemble
from nevcalc.errors import InputError
from nevcalc.evaluate import Economics, Usage, charging_vehicle, evaluate, year_mean
from nevcalc.model import cost as cost_model
from nevcalc.model import degradation
from nevcalc.model.cost import CostParts
from nevcalc.params import parse, parse_int
from nevcalc.scenario.charge import charge, load_charger, no_charger
from nevcalc.scenario.health import climate_temperatures, constant_climate, health
from nevcalc.scenario.road import CABIN_SET_POINT
from nevcalc.scenario.trend import trend
from nevcalc.specs.model import Spec
from nevcalc.units import format_si, from_si, kelvin_to_celsius

__all__ = [
    "COST_DEFAULTS",
    "DEFAULT_DISTANCE",
    "DEFAULT_DUTY",
    "CostAnswer",
    "lifecycle",
    "running_cost",
]

#: Distance a year without a usage or an option.
DEFAULT_DISTANCE = "15000 km"
#: Daily duty without a usage: SoC window [-] and battery temperature [K].
DEFAULT_DUTY = {"soc_low": 0.3, "soc_high": 0.8, "temperature": 298.15}

#: Defaults: option name -> (text as a user would type it, why).
COST_DEFAULTS: dict[str, tuple[str, str]] = {
    "electricity": ("0.15 USD/kWh", "home electricity 0.15 USD/kWh"),
    "fast_price": ("0.40 USD/kWh", "fast-charging price 0.40 USD/kWh"),
    "fast_share": ("10 %", "10 % of the energy from fast chargers"),
    "discount_rate": ("5 %", "real discount rate 5 %"),
    "maintenance": ("0.03 USD/km", "maintenance 0.03 USD/km"),
    "residual": ("30 %", "worth 30 % of its price at the end"),
    "replace_below": ("70 %", "battery replaced when capacity falls below 70 %"),
    "value_of_time": ("0 USD/h", "time at fast chargers valued at 0"),
    "home_power": ("11 kW", "home charging at 11 kW"),
}


#: Cost options a usage spec can set: option name -> usage field.
_USAGE_FIELDS = {
    "electricity": "electricity_price",
    "fast_price": "fast_charge_price",
    "fast_share": "fast_charge_share",
    "value_of_time": "value_of_time",
    "home_power": "home_charge_power",
}


@dataclass(frozen=True)
class CostAnswer:
    """Lifecycle cost in USD (reference-year rates), by part."""

    vehicle: str
    years: int
    distance_per_year: float  #: [m]
    parts: CostParts
    replacement_year: int  #: 0 when the battery lasts
    capacity_at_end: float  #: [-]
    fast_charge_time_per_year: float  #: time at fast chargers a year [s]
    assumptions: tuple[str, ...]
    with_purchase: bool = True  #: False: running cost only (no vehicle price)
    health: Any = None  #: the HealthAnswer of the duty
    range: Any = None  #: the RangeAnswer on the official procedure
    fast_charge: Any = None  #: the 10-80 % ChargeAnswer, when given or when it stops short
    #: every metric of the one-row evaluation (SI; names of :mod:`nevcalc.metrics`)
    metrics: dict[str, float] = field(default_factory=dict)

    @property
    def fast_charge_hours_per_year(self) -> float:
        """Time at fast chargers a year [h] (:attr:`fast_charge_time_per_year` in hours)."""
        return from_si(self.fast_charge_time_per_year, "h")

    def __repr__(self) -> str:
        return _show.line(self)

    def _repr_html_(self) -> str:
        return _show.html(self)


def _option(key: str, value, where: str | None = None) -> float:
    """A cost option read and bounded by the table of :mod:`nevcalc.params`."""
    return parse(key, value, where or f"option --{key.replace('_', '-')}")


def _price_note(spec: Spec, price: float) -> str:
    """Where the spec's price comes from: market, date, kind and, when assumed, why."""
    prov = spec.provenance.get("price")
    where = [str(x) for x in (spec.get("price_market"), spec.get("price_date")) if x]
    kind = prov.kind if prov is not None else "unsourced"
    text = f"vehicle price {price:,.0f} USD ({', '.join([*where, kind])})"
    if prov is not None and prov.kind == "assumed" and prov.note:
        text += f": {prov.note}"
    return text


def _check_finite(parts: CostParts, vehicle: str) -> None:
    """Refuse an answer with a part that is not a finite amount (overflowing inputs)."""
    bad = [k for k, v in parts._asdict().items() if not np.all(np.isfinite(v))]
    if bad:
        raise InputError(
            f"cost of {vehicle}: {', '.join(bad)} cannot be computed as finite amounts; "
            "give prices, distances and rates of realistic size"
        )


def lifecycle(
    vehicle: str | Spec,
    charger: str | None = None,
    *,
    years: int = 10,
    km_per_year=None,
    vehicle_price=None,
    usage: str | None = None,
    pack_price=None,
    running_only: bool = False,
    fast_charge=None,
    surrogate=None,
    climate=None,
    fleet_correction: bool | None = None,
    ambient=None,
    cabin=None,
    heat_pump: bool | None = None,
    **options: Any,
) -> CostAnswer:
    """Present value of owning ``vehicle`` for ``years``.

    Parameters
    ----------
    vehicle : str or Spec
        Vehicle spec name or path, or a vehicle spec object.
    charger : str, optional
        Fast charger (sets the fast-charging C-rate and time); none: the
        vehicle's own limits.
    years : int
        Ownership [years], 1-30.
    km_per_year : text or float
        [km if a bare number]; the usage's annual distance when a usage is
        given and this is None.
    vehicle_price : text, optional
        Price with battery; the spec's ``price`` by default. With neither
        (and ``running_only``), purchase and residual are left out and the
        answer is the running cost.
    usage : str, optional
        Usage spec name or path: distance, fast-charging share and charger,
        SoC window, temperature, prices. Options given here win over it.
    pack_price : text or float, optional
        Pack price per installed energy [USD/kWh if a bare number]; the
        chemistry's ``pack_cost`` by default.
    running_only : bool
        Without a vehicle price, answer the running cost instead of refusing.
    fast_charge : ChargeAnswer, optional
        The 10-80 % session on ``charger`` when the caller has it already.
    surrogate : nevcalc.evaluate.Surrogate, optional
        Compute what a sweep row computes (its charging resolution and ageing tables);
        the direct models by default.
    climate : str, optional
        Climate spec: the battery ages month by month at its temperatures, and the
        energy is priced month by month at the consumption in its air
        (:func:`nevcalc.evaluate.climate_consumption`) (the usage's ``climate`` by
        default; else the usage's one temperature and the label's consumption).
    fleet_correction : bool, optional
        Correct the lab-cell ageing model to cars in fleets; the usage's
        ``fleet_correction`` by default, else on.
    ambient : float, optional
        One air all year instead of a climate [K]
        (:func:`~nevcalc.scenario.health.constant_climate`); not with ``climate``.
    cabin : float, optional
        With a climate or an ambient: the cabin set point of the drives the energy is
        priced at [K]; 21 degC by default.
    heat_pump : bool, optional
        With a climate or an ambient: the car has a heat pump for its cabin and pack,
        or not; None: as its spec says.
    **options
        Keys of :data:`COST_DEFAULTS`, as text with units; read and bounded by
        :mod:`nevcalc.params` (shares as text are percent: ``"20"`` is 20 %;
        Python numbers are fractions).

    Returns
    -------
    CostAnswer
    """
    unknown = set(options) - set(COST_DEFAULTS)
    if unknown:
        raise InputError(f"unknown cost option(s): {', '.join(sorted(unknown))}")

    years = parse_int("cost.years", years, "years")
    a: list[str] = []
    use = catalog.load(usage, "usage") if usage is not None else None
    distance: float | None = None
    from_usage = {}
    if use is not None:
        for key, field in _USAGE_FIELDS.items():
            if use.get(field) is not None:
                from_usage[key] = use[field]
        a.append(f"usage {use.name}: {use.get('title')}")
        if charger is None:
            charger = use.get("fast_charger")
        if km_per_year is None and use.get("annual_distance") is not None:
            distance = float(use["annual_distance"])  # SI, read once
    if km_per_year is None and distance is None:
        km_per_year = DEFAULT_DISTANCE

    def opt(key):
        given = options.get(key)
        if given is None and key in from_usage:
            return from_usage[key]
        if given is None:
            given, why = COST_DEFAULTS[key]
            a.append(why)
        return _option(key, given)

    spec = vehicle if isinstance(vehicle, Spec) else catalog.load(vehicle, "vehicle")
    price: float | None
    if vehicle_price is not None:
        price = _option("vehicle_price", vehicle_price)
    elif spec.get("price") is not None:
        price = spec["price"]
        a.append(_price_note(spec, price))
    elif running_only:
        price = None
        a.append("no vehicle price: running cost only (purchase and residual left out)")
    else:
        raise InputError(
            f"no price for {spec.name}; give --vehicle-price, e.g. '45000 EUR', "
            "or add price to its spec"
        )
    if distance is None:
        distance = _option("km_per_year", km_per_year)
    car = assemble(spec)
    chem = car.chemistry
    if car.road is None:
        raise InputError(car.road_error)
    if not car.ageing_model:
        raise InputError(car.ageing_note)
    if pack_price is not None:
        pack_price = _option("pack_price", pack_price, "pack price")
    elif np.isfinite(car.pack_cost):
        pack_price = car.pack_cost
    else:
        raise InputError(f"{chem.path}: pack_cost: needed for a lifecycle cost")
    fast_share = opt("fast_share")
    home_price, fast_price = opt("electricity"), opt("fast_price")
    home_power = opt("home_power")
    lo, hi, temperature = (DEFAULT_DUTY[k] for k in ("soc_low", "soc_high", "temperature"))
    if use is not None:
        lo, hi = use.get("soc_low", lo), use.get("soc_high", hi)
        temperature = use.get("temperature", temperature)
        if not lo < hi:
            raise InputError(f"{use.path}: soc_low must be below soc_high")
    if ambient is not None:
        if climate is not None:
            raise InputError("give a climate or one ambient for the year, not both")
        climate = constant_climate(ambient)
    if climate is None and use is not None:
        climate = use.get("climate")
    if climate is None and (cabin is not None or heat_pump is not None):
        raise InputError("a cabin set point and a heat pump need a climate or an ambient "
                         "(the air the energy is priced in)")  # fmt: skip
    months, climate_name, air = None, None, None
    if climate is not None:
        months, cspec = climate_temperatures(climate)
        air = months
        rise = use.get("temperature_rise", 0.0) if use is not None else 0.0
        months = months + rise
        climate_name = cspec.name
        temperature = float(climate_temperature(months, car.ageing_model, lo, hi))
    if fleet_correction is None:
        flag = use.get("fleet_correction") if use is not None else None
        fleet_correction = FLEET_CORRECTION_DEFAULT if flag is None else flag == "on"
    fleet = bool(fleet_correction) and car.ageing_model != "simple"
    scale = fleet_scale(car.ageing_model, True) if fleet else None
    usage_si = Usage(distance, fast_share, home_power, temperature, lo, hi, home_price,
                     fast_price, opt("value_of_time"), climate=months,
                     ageing_scale=scale, air=air, cabin=cabin, heat_pump=heat_pump)  # fmt: skip
    economics = Economics(int(years), opt("discount_rate"), opt("maintenance"),
                          0.0 if price is None else opt("residual"), opt("replace_below"),
                          trend().time.slope)  # fmt: skip
    charger_obj = load_charger(charger) if charger else no_charger()
    ev = evaluate([car], [charger_obj], usage_si, economics, car_index=0, charger_index=0,
                  pack_price=pack_price, vehicle_price=price, surrogate=surrogate,
                  curve=surrogate is None)  # fmt: skip
    m = {k: float(v) for k, v in ev.metrics.items()}
    rng = ev.ranges[0]
    fast_power = m["fast_power"]
    fast = fast_charge
    # the session is explained (its limits, why it stops) only where a sentence needs it
    feasible = bool(np.isfinite(m["charge_10_80"]))
    if fast is None and fast_share > 0.0 and not feasible:
        fast = charge(charging_vehicle(car, ev.drive), charger_obj, 0.1, 0.8)
    if fast_share > 0.0 and not fast_power > 0.0:
        raise InputError(
            f"{spec.name} cannot fast-charge on {fast.charger.name}: {fast.reason}; a "
            f"fast-charging share of {fast_share:.0%} cannot be met: choose another --charger "
            "or give --fast-share 0%"
        )
    if not feasible and fast_share > 0.0:
        a.append(
            f"fast charges on {fast.charger.name} stop at {fast.soc_reached:.0%} "
            f"({fast.reason}); their mean power to there, "
            f"{format_si(fast_power, 'kW', '.0f')}, is used"
        )
    sweep = m["efc_per_day"]
    c_rate = m["charge_rate"] * degradation.HOUR  # [h^-1], as health() and the notes take it
    efc = distance * rng.consumption / degradation.DAYS_PER_YEAR / car.usable_energy
    c_fast = from_si(fast_power / car.usable_energy, "1/h")
    c_home = from_si(home_power / car.usable_energy, "1/h")
    window = f"{lo:.0%}-{hi:.0%}"
    if efc > hi - lo:
        a.append(
            f"{efc:.2f} full cycles a day exceed one {window} sweep; ageing at "
            f"{efc / (hi - lo):.2f} sweeps a day"
        )
    aged = ev.health if ev.capacity is not None else None  # the direct model's curve
    h = health(chem, (lo, hi), efc_per_day=sweep, charge_rate=c_home, years=int(years),
               temperature=temperature, aged=aged, fast_share=fast_share,
               fast_rate=c_fast if c_fast > 0 else 1.0, climate=climate,
               temperature_rise=(use.get("temperature_rise", 0.0)
                                 if use is not None and climate is not None else 0.0),
               fleet_correction=fleet)  # fmt: skip
    mix = (f"home {c_home:.2f}C, fast {c_fast:.2f}C mixed" if surrogate is not None else
           f"{1 - fast_share:.0%} of the energy at home {c_home:.2f}C, {fast_share:.0%} "
           f"fast at {c_fast:.2f}C")  # fmt: skip
    a.append(
        f"ageing: {h.model} model, {window} sweeps, {sweep:.2f} cycles a day, "
        + (f"climate {climate_name} (ages as " if climate_name else "")
        + f"{kelvin_to_celsius(temperature):.0f} degC{')' if climate_name else ''}, "
        f"charged at {c_rate:.2f}C ({mix})"
    )
    if surrogate is not None:
        a.append("ageing from the sweep's interpolated ageing tables")
    a.extend(f"ageing: {v}" for v in h.validity)
    t_r = m["years_to_replace"]
    ry = int(np.ceil(max(t_r, 1e-9))) if t_r < years else 0
    fast_time = float(cost_model.fast_charge_time(distance, rng.consumption_wall, fast_share,
                                                  fast_power))  # fmt: skip
    if ry:
        slope = economics.price_slope
        price_at_replacement = pack_price * float(np.exp(slope * ry))
        a.append(
            f"replacement pack at {format_si(price_at_replacement, 'USD/kWh', '.0f')} in year "
            f"{ry}: the "
            f"fitted pack-price trend ({np.expm1(slope):+.1%} a year) from "
            f"{format_si(pack_price, 'USD/kWh', '.0f')}"
        )
    if air is not None:
        by_month = ev.drive["months"]["consumption_wall"][0]

        def per_100km(x):
            return format_si(float(x), "kWh/(100 km)", ".1f", "kWh/100 km")

        a.append(
            f"energy priced month by month in {climate_name}'s air (cabin at "
            f"{kelvin_to_celsius(CABIN_SET_POINT if cabin is None else cabin):.0f} degC"
            + ("" if heat_pump is None else ", heat pump" if heat_pump else ", no heat pump")
            + ", the pack soaked at the air and heated below its window while driving): "
            f"{per_100km(year_mean(by_month))} from the grid over the "
            f"year, {per_100km(by_month.max())} in the dearest month, against "
            f"{per_100km(rng.consumption_wall)} on the label"
        )
    parts = ev.parts._make(np.asarray(x).reshape(()) for x in ev.parts)
    _check_finite(parts, spec.name)
    a.append(f"pack price {format_si(pack_price, 'USD/kWh', '.0f')} ({chem.name}) at purchase")
    wall = format_si(rng.consumption_wall, "kWh/(100 km)", ".1f", "kWh/100 km")
    a.append(f"consumption {wall} at the wall ({rng.title})")
    return CostAnswer(spec.name, int(years), distance, parts, ry, m["capacity_end"], fast_time,
                      tuple(dict.fromkeys([*rng.assumptions, *a])), price is not None, h,
                      rng, fast, m)  # fmt: skip


def running_cost(vehicle: str | Spec, charger: str | None = None, **kwargs: Any) -> CostAnswer:
    """Lifecycle cost without purchase and residual value: energy, battery replacement,
    maintenance and time at fast chargers, the same for cars with and without a price.

    Takes the arguments of :func:`lifecycle` except ``vehicle_price``.
    """

    spec = vehicle if isinstance(vehicle, Spec) else catalog.load(vehicle, "vehicle")
    spec = replace(spec, values={k: v for k, v in spec.values.items() if k != "price"})
    return lifecycle(spec, charger, running_only=True, **kwargs)
