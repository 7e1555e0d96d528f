"""Road-load figures of a car known from its brochure.

The road-load model (:mod:`nevcalc.model.driving`) needs a curb mass, a drag
coefficient, a frontal area and a motor power; a datasheet gives the battery
energy and often the body and its dimensions, rarely all four. What it leaves
out is estimated here:

* **frontal area** (physics): ``A = fill x width x height``, the share of the
  bounding rectangle a car's front fills (EPA's 0.80 until enough published
  cases give an area beside the dimensions); without dimensions, the median
  area of published cars of the body class.
* **drag coefficient** (fitted): the median published Cd of the body class,
  moved by a fitted slope per model year.
* **curb mass** (physics + fitted): the pack at its chemistry's pack-level
  specific energy, plus a glider linear in usable energy with a body-class
  intercept (``m = a[body] + b E + E_gross / e_pack``), or in energy and
  footprint ``L W`` where enough published cases give them.
* **motor power** (fitted): the median published power per curb mass.
* **usable energy** from a gross figure: the median usable share of published
  pairs.
* **consumption terms** (fitted, :func:`consumption_factors`): what the
  drive-cycle model with these estimates still misses, per procedure, for
  all-wheel drive and per body class.

The coefficients come from ``specs/data/brochure_road.toml``, written by
``tests/reference/fit_brochure_road.py`` from published cases of the
*calibration* set only (``tests/validation/split.py``); each estimate's spread
is the 10th-90th percentile of that relation's published/estimated ratios
there.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from nevcalc.brochure import Estimate
from nevcalc.io import read_model_data

__all__ = [
    "BODIES",
    "Brochure",
    "complete",
    "consumption_factors",
    "estimate_usable",
    "normalise_body",
    "relations",
]

#: Body classes the relations know; other names map onto these by :func:`normalise_body`.
BODIES = ("hatchback", "sedan", "wagon", "suv", "mpv", "pickup", "van", "coupe")

_BODY_ALIASES = {
    "hatch": "hatchback", "liftback": "sedan", "fastback": "sedan", "saloon": "sedan",
    "estate": "wagon", "touring": "wagon", "shooting brake": "wagon", "crossover": "suv",
    "cuv": "suv", "suv coupe": "suv", "coupe suv": "suv", "minivan": "mpv",
    "panel van": "van", "truck": "pickup", "pick-up": "pickup", "roadster": "coupe",
    "convertible": "coupe",
}  # fmt: skip


def normalise_body(text: str | None) -> str | None:
    """The body class of a brochure's body text, or None when it names none.

    Examples
    --------
    >>> normalise_body("SUV"), normalise_body("Crossover"), normalise_body("Estate")
    ('suv', 'suv', 'wagon')
    >>> normalise_body("") is None
    True
    """
    if not text:
        return None
    t = " ".join(str(text).strip().lower().replace("_", " ").split())
    if t in BODIES:
        return t
    return _BODY_ALIASES.get(t)


@dataclass(frozen=True)
class Brochure:
    """What a datasheet gives about a car's road load, in SI floats (None: not given)."""

    battery: float  #: battery energy [J], usable unless ``battery_basis`` says gross
    battery_basis: str = "usable"  #: ``usable``, ``gross`` or ``unknown``
    body: str | None = None  #: one of :data:`BODIES`
    length: float | None = None  #: [m]
    width: float | None = None  #: [m]
    height: float | None = None  #: [m]
    year: int | None = None  #: model year
    market: str | None = None  #: e.g. ``CN``, ``EU``, ``US``
    drive: str | None = None  #: ``fwd``, ``rwd`` or ``awd``
    curb_mass: float | None = None  #: [kg]
    drag_coefficient: float | None = None  #: [-]
    frontal_area: float | None = None  #: [m^2]
    motor_power: float | None = None  #: [W]


@lru_cache(maxsize=1)
def relations() -> dict[str, Any]:
    """The shipped relations (``specs/data/brochure_road.toml``), read once."""
    return read_model_data("brochure_road")


def _spread(rel: dict, value: float) -> tuple[float, float]:
    lo, hi = rel["spread"]
    return value * float(lo), value * float(hi)


def _estimate(field: str, value: float, rel: dict, unit: str, basis: str) -> Estimate:
    lo, hi = _spread(rel, value)
    n = rel.get("n")
    on = f", fitted on {n} published cars" if n else ""
    if not n and rel.get("source"):
        on = f" ({rel['source']})"
    return Estimate(field, float(value), lo, hi, unit, f"{basis}{on}")


def _by_body(table: dict, body: str | None) -> tuple[str, dict]:
    if body is not None and body in table:
        return body, table[body]
    return "any", table["any"]


def _area(b: Brochure, rel: dict) -> Estimate:
    if b.width is not None and b.height is not None:
        f = rel["fill"]
        return _estimate("frontal_area", f["value"] * b.width * b.height, f, "m^2",
                         f"from width x height x {f['value']:.3f} (the share of that "
                         "rectangle a car's front fills)")  # fmt: skip
    name, r = _by_body(rel["body"], b.body)
    what = "published cars" if name == "any" else f"published {name}s"
    return _estimate("frontal_area", r["value"], r, "m^2", f"from the median of {what}")


def _cd(b: Brochure, rel: dict) -> Estimate:
    name, r = _by_body(rel["body"], b.body)
    value, basis = r["value"], "from the median of " + ("published cars" if name == "any"
                                               else f"published {name}s")  # fmt: skip
    slope, ref = float(rel.get("per_year", 0.0)), int(rel.get("year", 2020))
    if b.year is not None and slope != 0.0:
        value += slope * (min(max(b.year, rel.get("year_min", ref)), rel.get("year_max", ref))
                          - ref)  # fmt: skip
        basis += f", {slope:+.4f} a model year from {ref}"
    return _estimate("drag_coefficient", value, r, "", basis)


def _mass(b: Brochure, usable: float, rel: dict, pack_mass: float) -> Estimate:
    kwh = usable / 3.6e6
    d = rel.get("dims")
    if d is not None and b.length is not None and b.width is not None:
        value = d["intercept"] + d["per_kwh"] * kwh + d["per_m2"] * b.length * b.width
        basis = (f"from {d['intercept']:.0f} kg + {d['per_kwh']:.2f} kg/kWh x usable energy "
                 f"+ {d['per_m2']:.0f} kg/m^2 x length x width + the {pack_mass:.0f} kg "
                 "pack")  # fmt: skip
        return _estimate("curb_mass", value + pack_mass, d, "kg", basis)
    r = rel["body"]
    name, a = _by_body(r["intercept"], b.body)
    value = a + r["per_kwh"] * kwh + pack_mass
    what = "" if name == "any" else f" ({name})"
    basis = (f"from a {a:.0f} kg{what} + {r['per_kwh']:.2f} kg/kWh glider and the "
             f"{pack_mass:.0f} kg pack of its chemistry")  # fmt: skip
    return _estimate("curb_mass", value, r, "kg", basis)


def estimate_usable(battery: float, basis: str = "gross") -> Estimate:
    """Usable energy [J] from a gross (or unstated) battery figure [J]: the median
    usable share of the published pairs."""
    share = relations()["usable_share"]
    return _estimate("battery_usable_energy", share["value"] * battery, share, "kWh",
                     f"as {share['value']:.3f} of the {battery / 3.6e6:.4g} kWh {basis} "
                     "battery energy (median usable share)")  # fmt: skip


def _usable(b: Brochure, rel: dict) -> tuple[float, Estimate | None]:
    if b.battery_basis == "usable":
        return b.battery, None
    share = rel["usable_share"]
    if b.battery_basis == "unknown" and not share.get("apply_to_unknown", False):
        return b.battery, None
    e = estimate_usable(b.battery, b.battery_basis)
    return e.value, e


def consumption_factors(b: Brochure, table: dict | None = None) -> tuple[dict[str, float], str]:
    """Calibrated consumption factors of a brochure car, by procedure.

    The drive-cycle model with estimated figures misses what a brochure does not
    describe; how far its ranges fell from published ones on calibration cases, in
    ``ln(published / model)``, is fitted as a term per procedure, one for all-wheel
    drive (a second motor's losses) and one per body class whose figures the relations
    do not reach (e.g. pickups: no published Cd or frontal area). The consumption is
    multiplied by ``exp(-sum of the terms)``.

    Parameters
    ----------
    b : Brochure
    table : dict, optional
        The relations; the shipped table by default.

    Returns
    -------
    factors : dict
        Procedure (``wltp``, ``epa``, ``cltc``, ``nedc``, ``other`` for any other
        cycle) -> factor on consumption [-].
    text : str
        One line for the assumptions ("" without calibration).

    Examples
    --------
    >>> f, text = consumption_factors(Brochure(battery=3e8, drive="awd"))
    >>> sorted(f) == ["cltc", "epa", "nedc", "other", "wltp"]
    True
    """
    rel = (relations() if table is None else table).get("calibration")
    if not rel:
        return {}, ""
    car = 0.0
    parts = []
    if b.drive == "awd" and rel.get("awd"):
        car += rel["awd"]
        parts.append(f"all-wheel drive {math.exp(-rel['awd']) - 1:+.1%}")
    body = rel.get("body", {})
    if b.body in body:
        car += body[b.body]
        parts.append(f"{b.body} {math.exp(-body[b.body]) - 1:+.1%}")
    factors = {"other": math.exp(-car)}
    for proc, beta in rel["procedure"].items():
        factors[proc] = math.exp(-(beta + car))
    per = ", ".join(f"{k.upper()} {math.exp(-v) - 1:+.1%}" for k, v in rel["procedure"].items())
    text = (f"consumption calibrated on {rel['n']} published official ranges: {per}"
            + (f"; {', '.join(parts)}" if parts else ""))  # fmt: skip
    return factors, text


def complete(
    b: Brochure, table: dict | None = None, pack_specific_energy: float = 250.0 * 3600.0
) -> tuple[dict[str, float], tuple[Estimate, ...]]:
    """Every road-load figure of a brochure car: the given ones, and estimates of the rest.

    Parameters
    ----------
    b : Brochure
        What the datasheet gives.
    table : dict, optional
        The relations; :func:`relations` (the shipped table) by default.
    pack_specific_energy : float
        Of the car's cells at pack level [J kg^-1], for the pack's share of the curb
        mass (the rest, the glider, is the fitted relation).

    Returns
    -------
    values : dict
        ``battery_usable_energy`` [J], ``curb_mass`` [kg], ``drag_coefficient`` [-],
        ``frontal_area`` [m^2], ``motor_power`` [W].
    estimates : tuple of Estimate
        The figures that were estimated, in that order.

    Examples
    --------
    >>> from nevcalc.brochure.road import Brochure, complete
    >>> values, est = complete(Brochure(battery=77e3 * 3600, body="suv"))
    >>> [e.field for e in est]
    ['curb_mass', 'drag_coefficient', 'frontal_area', 'motor_power']
    >>> 1500 < values["curb_mass"] < 2600 and 0.2 < values["drag_coefficient"] < 0.4
    True
    """
    rel = relations() if table is None else table
    est: list[Estimate] = []
    usable, e = _usable(b, rel)
    if e is not None:
        est.append(e)
    mass = b.curb_mass
    if mass is None:
        gross = b.battery if b.battery_basis == "gross" else usable
        e = _mass(b, usable, rel["curb_mass"], gross / pack_specific_energy)
        est.append(e)
        mass = e.value
    cd = b.drag_coefficient
    if cd is None:
        e = _cd(b, rel["drag_coefficient"])
        est.append(e)
        cd = e.value
    area = b.frontal_area
    if area is None:
        e = _area(b, rel["frontal_area"])
        est.append(e)
        area = e.value
    motor = b.motor_power
    if motor is None:
        r = rel["motor_power"]
        why = "median of published cars" if r.get("n") else "no published motor powers"
        e = _estimate("motor_power", r["per_kg"] * mass, r, "kW",
                      f"as {r['per_kg']:.0f} W/kg x curb mass ({why})")  # fmt: skip
        est.append(e)
        motor = e.value
    values = {"battery_usable_energy": usable, "curb_mass": mass, "drag_coefficient": cd,
              "frontal_area": area, "motor_power": motor}  # fmt: skip
    return values, tuple(est)
