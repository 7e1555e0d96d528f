"""A brochure car's charging figures: what it leaves out, its BMS taper and its cells.

Three things a datasheet rarely gives decide a DC charge time:

* the **BMS taper**, the vehicle's power limit against SoC. A pack pushed
  hard (a high peak C-rate, peak power over usable energy) is built to hold
  its peak: cells, cooling and BMS are designed for it. A large pack whose
  peak is a low C-rate (big SUVs, pickups) tapers earlier and harder. The
  taper is held at its peak up to a *knee* SoC and then falls linearly at a
  *rate* down to a fitted floor, a C-rate (near full the cells' voltage limit sets
  the current whatever the peak; :func:`nevcalc.model.charging.bms_power_taper`), with

  ``knee = k0 + k1 ln(c) + k2 ln(E / 75 kWh) + k_800v [800 V class] + k_body
  + k_cells ln(cell rating)``
  and ``rate = exp(m0 + m1 ln(c) + m2 ln(E / 75 kWh))``,

  ``c`` the peak C-rate [1/h] over the cells' rating (a pack is pushed as hard as
  its cells are: 5C on cells rated 5C is what 3.3C is on first-generation cells) and
  ``E`` the usable energy (each held within the
  span of the cases it was fitted on: the relation is not extrapolated), fitted on the
  calibration cases of ``tests/validation/data/charge_times.csv`` by
  ``tests/reference/fit_brochure_charging.py`` (``specs/data/brochure_charging.toml``).
  Every window (10-80, 10-90, 5-80, 20-80 %) is read off this one curve. A
  higher peak never gives less power at any SoC: the curve is the envelope of the
  relation over lower peaks of the same pack (a BMS allowed more does not take
  less). The
  relation covers the layered-oxide families of the fit (NMC, NCA, semi- and
  solid-state); flat-OCV packs (LFP, LMFP, Na-ion), of which the published
  cases hold no low-C-rate one, keep their chemistry's measured curve.
* the **cell generation**: a pack cannot charge at a C-rate its cells do
  not take. Cells of one family come in generations (:data:`CELL_GENERATIONS`);
  a car gets the slowest generation of its family, available in its model
  year, whose peak C-rate takes the pack's peak C-rate. When none does, the
  fastest one's C-rate table is scaled up to the pack's peak.
* the **peak current**: a BMS limits the current, so for the packs of the fitted
  relation a datasheet's peak power is taken as the peak current at the pack's
  mid-window voltage (:data:`PEAK_CURRENT_SOC`); below it the power follows the pack
  voltage (a 400 V NMC pack at 10 % SoC takes about a tenth less than its peak).
* **missing figures**: peak DC power (higher for a stated 800 V class), voltage
  class and chemistry, each an
  :class:`~nevcalc.brochure.Estimate` from the relations of the same table.

Pure functions of SI floats and specs; the answers list what they estimated.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np

from nevcalc import catalog
from nevcalc.brochure import Estimate, market_year
from nevcalc.intervals import Interval, interval_of
from nevcalc.io import read_model_data
from nevcalc.model.charging import bms_power_taper
from nevcalc.model.tables import GRID_POINTS, resample, uniform_soc_grid
from nevcalc.specs.model import Spec

__all__ = [
    "CELL_GENERATIONS",
    "PEAK_CURRENT_SOC",
    "ChoiceEstimate",
    "bms_taper",
    "cell_generation",
    "cell_rating",
    "charge_interval",
    "estimate_chemistry",
    "estimate_peak_power",
    "estimate_voltage_class",
    "fitted_taper",
    "pack_cell_rating",
    "peak_power_terms",
    "relations",
    "spec_chemistry",
]

_KWH = 3.6e6  #: [J]
_KW = 1e3  #: [W]
_HOUR = 3600.0  #: [s]

#: Cell generations of a chemistry family, slowest first: (chemistry spec, first model year).
#: Sources are in each chemistry spec (peak C-rate = the top of its ``charge_c_rate``).
CELL_GENERATIONS: dict[str, tuple[tuple[str, int], ...]] = {
    "NMC": (("nmc811", 2017), ("nmc-46", 2025), ("nmc-5c", 2024)),
    "LFP": (("lfp", 2020), ("lfp-flash", 2025)),
}

#: Displayed SoC whose pack voltage turns a datasheet's peak power into the BMS's peak
#: current [-]: the mid-window (nominal) voltage. Below it a brochure car's power follows
#: the pack voltage at that current. Chosen on the calibration cases alone
#: (tests/reference/fit_brochure_charging.py says how).
PEAK_CURRENT_SOC = 0.5

#: Families whose generations also serve a chemistry of another family name.
_FAMILY_OF = {"NCA": "NMC"}


@functools.cache
def relations() -> dict:
    """The shipped relations (``specs/data/brochure_charging.toml``), read once."""
    return read_model_data("brochure_charging")


# --- BMS taper -------------------------------------------------------------------------------

#: Lower peaks in a factor of four that the taper's envelope is taken over (see
#: :func:`bms_taper`).
_ENVELOPE = 64


def cell_rating(chemistry: Spec) -> float:
    """Peak C-rate of a cell generation over that of its family's first generation [-].

    1 for a chemistry that is not a later generation of its family
    (:data:`CELL_GENERATIONS`); ``nmc-5c`` cells (5C) are rated 5.0 / 3.3 = 1.52
    times ``nmc811`` cells.
    """
    family = _FAMILY_OF.get(chemistry["family"], chemistry["family"])
    names = [name for name, _ in CELL_GENERATIONS.get(family, ())]
    if chemistry.name not in names[1:]:
        return 1.0
    return _cap(chemistry) / _cap(catalog.load(names[0], "chemistry"))


def pack_cell_rating(vehicle) -> float:
    """The cell rating of a built vehicle: its cells' peak C-rate (as scaled to the
    pack's peak where no generation takes it) over that of their family's first generation.

    Parameters
    ----------
    vehicle : nevcalc.scenario.charge.Vehicle
        A built vehicle (its ``chemistry`` name and cell ``c_rate`` table [s^-1]).

    Returns
    -------
    float
        The rating [-], as :func:`cell_rating` for cells not scaled.

    Examples
    --------
    A 100 kWh pack of 2024 taking 600 kW (6C) gets 5C-class cells scaled up to its peak:

    >>> from nevcalc.scenario import adhoc_vehicle
    >>> round(pack_cell_rating(adhoc_vehicle("100 kWh", "nmc811", "600 kW", "800 V",
    ...                                      year=2024)), 3)
    1.818
    """
    chem = catalog.load(vehicle.chemistry, "chemistry")
    return cell_rating(chem) * float(np.max(vehicle.c_rate)) / _cap(chem)


def taper_shape(peak_c_rate, energy, params: dict | None = None, body: str | None = None,
                voltage: float | None = None, rating: float = 1.0,
                family: str | None = None) -> tuple[float, float]:  # fmt: skip
    """Knee SoC [-] and slope [-] of the BMS taper of a pack.

    Parameters
    ----------
    peak_c_rate : float
        Peak DC power over usable energy [s^-1].
    energy : float
        Usable energy [J].
    params : dict, optional
        ``{"knee": [k0, k1, k2], "slope": [m0, m1, m2], "knee_body": {class: dk}}``; the
        shipped fit by default. ``m2``, the slope's term in ``ln(E / 75 kWh)``, may be
        left out (0). With ``"relative_c_rate": true`` the knee and slope take the peak
        C-rate over ``rating`` (and ``c_rate_span`` is a span of that ratio).
    body : str, optional
        Body class (``"pickup"``, ``"suv"``, ...): its knee offset ``dk`` where the
        fit has one (0 otherwise, and when not given).
    voltage : float, optional
        Voltage class [V]: an 800 V class (from 600 V) adds ``knee_800v``; the same
        power at half the current heats inlet, cables and busbars a quarter as much.
    rating : float
        The cells' peak C-rate over that of their family's first generation
        (:func:`cell_rating`): ``knee_cells`` ln(rating) is added to the knee. A
        pack built on cells rated for a higher C-rate (5C-class cells) holds its
        peak longer than one whose cells reach that peak only briefly.
    family : str, optional
        Chemistry family (``"LFP"``, ``"NMC"``, ...): its knee offset where the fit has
        one (``knee_family``; 0 otherwise, and when not given).
    """
    p = params or relations()["bms_taper"]
    k0, k1, k2 = p["knee"]
    m0, m1, *m2 = p["slope"]
    # not extrapolated: C-rate and size are taken within the span of the fitted cases
    c_lo, c_hi = p.get("c_rate_span", (0.05, 20.0))
    e_lo, e_hi = p.get("energy_span", (1.0, 1000.0))
    c = peak_c_rate * _HOUR / (rating if p.get("relative_c_rate") else 1.0)
    lc = math.log(min(max(c, c_lo), c_hi))
    le = math.log(min(max(energy / _KWH, e_lo), e_hi) / 75.0)
    dk = p.get("knee_body", {}).get(body, 0.0) if body else 0.0
    if voltage is not None and voltage >= 600.0:
        dk += p.get("knee_800v", 0.0)
    dk += p.get("knee_cells", 0.0) * math.log(rating)
    if family:
        dk += p.get("knee_family", {}).get(family, 0.0)
    knee = min(max(k0 + k1 * lc + k2 * le + dk, 0.02), 0.98)
    slope = min(max(math.exp(m0 + m1 * lc + (m2[0] * le if m2 else 0.0)), 0.05), 20.0)
    return knee, slope


def _taper_floor(peak_c_rate, params: dict, rating: float = 1.0) -> np.ndarray:
    """The taper's floor over the peak [-] for each peak C-rate [s^-1].

    With ``floor_c_rate`` [1/h] the floor is a C-rate: near full the cells' voltage
    limit sets the current whatever the peak (the constant-voltage end of a charge),
    so a pack with a higher peak has a lower floor relative to it. The C-rate is over
    the cells' rating where the relation takes relative C-rates. Otherwise ``floor``
    is a fixed share of the peak.
    """
    c = np.asarray(peak_c_rate, float)
    if "floor_c_rate" not in params:
        return np.full(c.shape, float(params.get("floor", 0.05)))
    c_h = c * _HOUR / (rating if params.get("relative_c_rate") else 1.0)
    return np.clip(float(params["floor_c_rate"]) / c_h, 0.01, 1.0)


def fitted_taper(chemistry: Spec, params: dict | None = None) -> bool:
    """Whether a pack of this chemistry gets the fitted BMS taper relation (its family is
    one the relation was fitted on, and it is not a bare cell), rather than its
    chemistry's measured curve.

    Examples
    --------
    >>> fitted_taper(catalog.load("nmc811", "chemistry")), fitted_taper(
    ...     catalog.load("lfp", "chemistry"))
    (True, False)
    """
    t = chemistry["typical_power_taper"]
    if np.ptp(np.asarray(t.value, float)) == 0.0:
        return False
    p = params or relations()["bms_taper"]
    return chemistry["family"] in p.get("families", ())


def bms_taper(peak_c_rate, energy, chemistry: Spec, params: dict | None = None,
              body: str | None = None, voltage: float | None = None,
              scale: float = 1.0):  # fmt: skip
    """The vehicle power limit over its peak on the displayed-SoC grid, and its text.

    Parameters
    ----------
    peak_c_rate : float
        Peak DC power over usable energy [s^-1].
    energy : float
        Usable energy [J].
    chemistry : Spec
        Its ``typical_power_taper`` gives the low-SoC ramp only.
    params : dict, optional
        Taper coefficients in place of the shipped ones (for the fit).
    body, voltage : optional
        Body class and voltage class [V] (:func:`taper_shape`).
    scale : float
        Factor on the chemistry's C-rate table where no cell generation takes the
        pack's peak (:func:`cell_generation`): the cells are rated ``scale`` times
        higher [-].

    Returns
    -------
    table : numpy.ndarray, shape (GRID_POINTS,)
        Power over peak [-].
    text : str
        One line for the assumptions.
    """
    t = chemistry["typical_power_taper"]
    ramp = resample(t.soc, t.value, GRID_POINTS)
    if np.ptp(ramp) == 0.0:  # a bare cell without BMS: no taper
        return ramp / ramp.max(), f"no BMS taper ({chemistry.name} is a bare cell)"
    p = params or relations()["bms_taper"]
    families = p.get("families", ())
    if chemistry["family"] not in families:
        return ramp, (
            f"BMS taper: the typical {chemistry['family']} curve of {chemistry.name}, scaled to "
            f"the peak (the fitted relation covers {', '.join(families)} packs only)"
        )
    rating = cell_rating(chemistry) * scale
    knee, slope = taper_shape(peak_c_rate, energy, p, body, voltage, rating, chemistry["family"])
    # never less power at any SoC than the relation gives a lower peak of the same pack:
    # the envelope over peaks down to a quarter of this one, or to the low end of the
    # fitted C-rate span where that is lower (below it the shape is held and a floor set
    # as a C-rate is a larger share of a lower peak, so the span's end gives the most
    # power of all lower peaks), with the ends of the span among them (the relation's
    # kinks, where the envelope's top often lies)
    ends = np.asarray(p.get("c_rate_span", ()), float) / _HOUR
    if p.get("relative_c_rate"):  # the span is of C-rates over the cells' rating
        ends = ends * rating
    bottom = 0.25
    if "floor_c_rate" in p and ends.size:
        bottom = min(bottom, float(ends.min()) / peak_c_rate)
    # lower peaks on one geometric lattice of C-rates for every peak (a higher peak's
    # set holds a lower one's), with the peak itself
    step = math.log(4.0) / (_ENVELOPE - 1)
    k = np.arange(math.ceil(math.log(bottom * peak_c_rate) / step - 1e-9),
                  math.floor(math.log(peak_c_rate) / step + 1e-9) + 1)  # fmt: skip
    lower = np.union1d(np.exp(k * step), [peak_c_rate])
    lower = np.union1d(lower, ends[(ends > lower[0]) & (ends < peak_c_rate)])
    shapes = np.array(
        [taper_shape(c, energy, p, body, voltage, rating, chemistry["family"]) for c in lower]
    )
    floor = _taper_floor(lower, p, rating)
    curves = bms_power_taper(uniform_soc_grid(GRID_POINTS), shapes[:, :1], shapes[:, 1:],
                             floor[:, None], ramp)  # fmt: skip
    table = np.max(curves * (lower / peak_c_rate)[:, None], axis=0)
    floor = float(floor[-1])  # the peak's own, the last of the sorted lower peaks
    floor_text = f", {p['floor_c_rate']:.2f}C" if "floor_c_rate" in p else ""
    text = (
        f"BMS taper from the {peak_c_rate * _HOUR:.2f}C peak and {energy / _KWH:.0f} kWh"
        f"{f' of a {body}' if body in p.get('knee_body', {}) else ''}: "
        f"peak held to {knee:.0%}, then -{slope * 0.1:.0%} of peak per 10 % SoC down to "
        f"{floor:.0%}{floor_text} "
        f"(relation fitted on {p.get('cases', '?')} published charge times)"
    )
    return table, text


# --- cell generation -------------------------------------------------------------------------


def _cap(chem: Spec) -> float:
    """Peak of a chemistry's cell C-rate table [s^-1]."""
    return float(max(chem["charge_c_rate"].value))


@dataclass(frozen=True)
class Cells:
    """The cells a pack gets: chemistry spec, C-rate scale on its table, and why."""

    chemistry: Spec
    scale: float  #: factor on the chemistry's C-rate table [-]
    text: str  #: "" when the named chemistry takes the peak as it is


def cell_generation(chemistry: Spec, peak_c_rate: float, year: int | None = None) -> Cells:
    """Cells that take a pack's peak C-rate: the named chemistry or a later generation.

    Parameters
    ----------
    chemistry : Spec
        The chemistry named (or estimated) for the car.
    peak_c_rate : float
        Peak DC power over usable energy [s^-1].
    year : int, optional
        Model year: generations not yet in production are not picked.

    Returns
    -------
    Cells
    """
    cap = _cap(chemistry)
    if peak_c_rate <= cap * (1.0 + 1e-9):
        return Cells(chemistry, 1.0, "")
    family = _FAMILY_OF.get(chemistry["family"], chemistry["family"])
    gens = [catalog.load(name, "chemistry") for name, first in CELL_GENERATIONS.get(family, ())
            if year is None or first <= year]  # fmt: skip
    gens.sort(key=_cap)
    for g in gens:
        if _cap(g) >= peak_c_rate:
            text = (
                f"cells: {g.name} ({g['title']}): {chemistry.name} cells take at most "
                f"{cap * _HOUR:.1f}C, below the pack's {peak_c_rate * _HOUR:.1f}C peak"
            )
            return Cells(g, 1.0, text)
    top = gens[-1] if gens and _cap(gens[-1]) > cap else chemistry
    scale = peak_c_rate / _cap(top)
    return Cells(top, scale, (
        f"cells: {top.name} with its C-rate limits scaled x{scale:.2f} to the pack's "
        f"{peak_c_rate * _HOUR:.1f}C peak (no {family} generation"
        f"{'' if year is None else f' of {year}'} takes it)"))  # fmt: skip


# --- missing figures -------------------------------------------------------------------------


def _market_flags(market: str | None) -> float:
    return 1.0 if (market or "").upper() == "CN" else 0.0


def _year(year: int | None, rel: dict) -> tuple[float, str]:
    if year is None:
        y = float(rel["year_default"])
        return y, f"model year taken as {y:.0f}"
    return float(year), ""


def peak_power_terms(kwh: float, year: float, cn: float, hv: float) -> list[float]:
    """Regressors of :func:`estimate_peak_power` (also those of its fit).

    Parameters
    ----------
    kwh : float
        Usable energy [kWh].
    year : float
        Model year.
    cn : float
        1 for the Chinese market, else 0.
    hv : float
        1 for a stated 800 V class (from 600 V), else 0.
    """
    t = year - 2022.0
    return [1.0, math.log(kwh), t, cn, hv, hv * (1.0 - cn) * t]


def estimate_peak_power(energy: float, market: str | None, year: int | None,
                        voltage: float | None = None) -> Estimate:  # fmt: skip
    """Peak DC power from usable energy, market, model year and a stated voltage class.

    ``ln(P / kW) = a + b ln(E / kWh) + c (year - 2022) + d [CN] + e [800 V]
    + g [800 V, not CN] (year - 2022)``,
    least squares on the calibration cars; the spread is the 10th-90th
    percentile of its residuals. ``[800 V]`` is 1 for a stated voltage class
    from 600 V: the same inlet and cable current at twice the voltage carries
    twice the power, and 800 V packs are built to take it. A voltage class not
    stated counts as 400 V. ``g``: outside China an 800 V car's peak is bounded
    by the public chargers it is sold for (CCS at 350-400 kW and 500 A), which
    800 V cars have reached since 2020 (Taycan 270 kW, E-GMP 233-239 kW), so
    it rises less with the model year than a 400 V car's or a Chinese car's
    (whose 4C-6C cells keep raising it).

    Energy and year are held within the span of the calibration cars (the
    relation is not extrapolated), and the basis says so. A pack smaller than
    the smallest calibration pack keeps that pack's peak C-rate, not its peak
    power (a 1 kWh pack does not take the power of a 27 kWh one).

    Examples
    --------
    A 2 kWh pack charges at the C-rate of the smallest fitted pack, not at its power:

    >>> lo = relations()["peak_power"]["energy_span"][0]  # the smallest pack fitted [kWh]
    >>> small, smallest = (estimate_peak_power(e * 3.6e6, "EU", 2024) for e in (2.0, lo))
    >>> round(small.value / 2.0, 6) == round(smallest.value / lo, 6)
    True
    """
    r = relations()["peak_power"]
    y, ytext = _year(year, r)
    held = []  # the relation is not extrapolated beyond the calibration cars
    kwh = energy / _KWH
    shrink = 1.0  # below the span: the smallest pack's C-rate
    if "energy_span" in r:
        lo, hi = r["energy_span"]
        if kwh < lo:
            shrink, kwh = kwh / lo, lo
            held.append(f"the peak C-rate of a {lo:.0f} kWh pack, the smallest fitted")
        elif kwh > hi:
            kwh = hi
            held.append(f"energy held at {kwh:.0f} kWh, the end of the fitted {lo:.0f}-{hi:.0f}")
    if "year_span" in r:
        lo, hi = r["year_span"]
        if not lo <= y <= hi:
            y = float(min(max(y, lo), hi))
            held.append(f"year held at {y:.0f}, the end of the fitted {lo}-{hi}")
    hv = 1.0 if voltage is not None and np.isfinite(voltage) and voltage >= 600.0 else 0.0
    x = peak_power_terms(kwh, y, _market_flags(market), hv)
    coef = r["coef"]
    value = math.exp(float(np.dot(coef, x[: len(coef)]))) * _KW * shrink
    notes = [t for t in (ytext, *held) if t]
    basis = (
        f"from {energy / _KWH:.0f} kWh, {market or 'market not given'}, {y:.0f}"
        f"{', 800 V class' if hv else ''} "
        f"(log-linear fit on {r['cases']} calibration cars)"
        + (f"; {'; '.join(notes)}" if notes else "")
    )
    return Estimate("max_charge_power", value, value * math.exp(r["p10"]),
                    value * math.exp(r["p90"]), "kW", basis)  # fmt: skip


def estimate_voltage_class(peak_power: float, max_current: float | None) -> Estimate:
    """Voltage class (400 or 800 V) from peak power and, if given, peak current.

    With a peak current, the pack voltage at peak is ``P / I``: from
    ``current_split`` (550 V) on it is an 800 V class. Without, a stated rule:
    a 400 V pack takes at most about 250 kW (Tesla's 250 kW at about 700 A is
    the top of 400 V cars), so above ``power_split`` it is an 800 V class; the
    spread spans both classes within ``band``.
    """
    rel = relations()["voltage_class"]
    if max_current is not None and np.isfinite(max_current) and max_current > 0:
        v_at_peak = peak_power / max_current
        value = 800.0 if v_at_peak >= rel["current_split"] else 400.0
        return Estimate("voltage_class", value, value, value, "V",
                        f"from {peak_power / _KW:.0f} kW at {max_current:.0f} A "
                        f"({v_at_peak:.0f} V at peak; 800 V class from "
                        f"{rel['current_split']:.0f} V)")  # fmt: skip
    kw = peak_power / _KW
    value = 800.0 if kw > rel["power_split"] else 400.0
    lo_kw, hi_kw = rel["band"]
    low, high = (400.0, 800.0) if lo_kw <= kw <= hi_kw else (value, value)
    return Estimate("voltage_class", value, low, high, "V",
                    f"from {kw:.0f} kW: 400 V packs take at most about "
                    f"{rel['power_split']:.0f} kW (right on {rel['cars_right']} of {rel['cars']} "
                    "calibration cars that state both)")  # fmt: skip


@dataclass(frozen=True)
class ChoiceEstimate(Estimate):
    """An estimated category (a chemistry): ``value`` is the share of the chosen one
    where a published share backs the rule (nan where none does)."""

    choice: str = ""  #: the spec name chosen

    def text(self) -> str:
        return f"{self.field} estimated {self.choice} {self.basis}"

    def as_dict(self) -> dict:
        p = self.value if math.isfinite(self.value) else None
        return {"field": self.field, "value": self.choice, "probability": p,
                "unit": "", "basis": self.basis}  # fmt: skip


def estimate_chemistry(market: str | None, year: int | None, energy: float) -> ChoiceEstimate:
    """LFP or NMC cells from the market, by a stated rule.

    Pages state a chemistry mostly when it is LFP, so a fit on the cars that
    state one would learn that bias. The rule: a car of the Chinese market has
    LFP cells (``lfp``), at the LFP share of Chinese EV battery shipments
    (``cn_share``, with its source); elsewhere nickel-rich NMC (``nmc811``),
    the chemistry of most long-range cars sold outside China.
    """
    rel = relations()["chemistry"]
    if (market or "").upper() == "CN":
        p = float(rel["cn_share"])
        return ChoiceEstimate("chemistry", p, p, p, "", (
            f"for the Chinese market: LFP was {p:.0%} of Chinese EV battery shipments "
            f"({rel['cn_source']})"), choice="lfp")  # fmt: skip
    return ChoiceEstimate("chemistry", float("nan"), float("nan"), float("nan"), "", (
        f"for {'a market outside China' if market else 'a market not given'}: nickel-rich "
        "NMC, the cells of most long-range cars sold outside China"), choice="nmc811")  # fmt: skip


def spec_chemistry(spec: Spec) -> tuple[str, ChoiceEstimate | None]:
    """A vehicle spec's chemistry name, estimated (with its record) when it names none."""
    name = spec.get("chemistry")
    if name:
        return name, None
    market, year = market_year(spec.get("market"))
    est = estimate_chemistry(market, year, spec["battery_usable_energy"])
    return est.choice, est


# --- how sure ---------------------------------------------------------------------------------


@functools.cache
def _interval_table() -> dict:
    return read_model_data("intervals_charge")


def charge_interval(duration: float, estimated: bool) -> Interval | None:
    """The conformal interval of a DC charge time on a brochure car.

    Parameters
    ----------
    duration : float
        Modelled charge time [s].
    estimated : bool
        The peak DC power was estimated: the wider band calibrated with it left
        out (an estimated voltage class or chemistry moves a charge time little;
        the calibration cases keep those estimates as their pages leave them).
    """
    if not (np.isfinite(duration) and duration > 0):
        return None
    t = _interval_table()
    tier = t["estimated" if estimated else "datasheet"]
    return interval_of(duration, (tier["low"], tier["high"]), t["level"], tier["basis"])
