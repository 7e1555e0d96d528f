"""EPA label consumption of a battery-electric vehicle: the 0.7 short cut and the 5-cycle method.

The US label starts from the unadjusted two-cycle consumption, 55 % city
(UDDS/FTP) and 45 % highway (HWFET), measured at the battery over a full
depletion (SAE J1634 multi-cycle test). Two ways lead from there to the label:

* the **0.7 short cut**: the label consumption is the two-cycle one over 0.7
  (ranges times 0.7), open to any BEV that runs no more tests;
* the **vehicle-specific 5-cycle method** (40 CFR 600.114-12, applied to BEVs
  by 40 CFR 600.116-12 and SAE J1634): the city and highway label values weigh
  the 75 degF FTP bags, the aggressive US06, the SC03 air-conditioning test
  and the 20 degF cold FTP; the adjustment factor is the two-cycle consumption
  over the 5-cycle one and may come out above or below 0.7.

The equations are written here in consumption (energy per distance, the
reciprocal of the regulation's fuel economy), which leaves their weights
unchanged: with ``c`` a consumption on a test,

.. math::

    c_{city} = \\frac{1}{0.905}\\Big[0.82\\,(0.48\\,c_{b2,75} + 0.41\\,c_{b3,75}
              + 0.11\\,c_{US06,city}) + 0.18\\,(0.5\\,c_{b2,20} + 0.5\\,c_{b3,20})
              + 0.133 \\cdot 1.083\\,(c_{SC03} - 0.61\\,c_{b3,75} - 0.39\\,c_{b2,75})
              + S/4.1\\Big]

    c_{hwy} = \\frac{1}{0.905}\\Big[1.007\\,(0.79\\,c_{US06,hwy} + 0.21\\,c_{HFET})
             + 0.377 \\cdot 0.133\\,(c_{SC03} - 0.61\\,c_{b3,75} - 0.39\\,c_{b2,75})
             + S/60\\Big]

with the start term ``S = 0.33 (0.76 s_75 + 0.24 s_20)``, ``s_X = 3.6 (c_{b1,X} -
c_{b3,X})`` the extra energy per mile of a cold first bag (the 3.6 mi of bag 1).
The *derived* 5-cycle equations (40 CFR 600.210-12(a)(2), fitted by EPA on
vehicle-specific 5-cycle data of combustion cars) are also given; in
consumption they add a fixed gallon per mile (0.004091 city, 0.003191 highway
from model year 2017) to 1.1601 or 1.2945 times the two-cycle figure, which for
an efficient BEV gives factors far below 0.7; the adjustment of a BEV is capped
at 30 %, so the derived method reduces to the 0.7 short cut. Published labels
of 2022-2025 BEVs (``tests/validation/data/epa_5cycle.csv``) sit at 0.7 times
the unadjusted values for about half the cars; the rest, labelled from
5-cycle tests, run 0.61-0.77.

Pure numpy on SI floats: consumptions in [J m^-1], broadcasting.

References
----------
.. [1] 40 CFR 600.114-12, Vehicle-specific 5-cycle fuel economy and
   carbon-related exhaust emission calculations; 40 CFR 600.116-12, Special
   procedures related to electric vehicles; 40 CFR 600.210-12, Calculation of
   fuel economy and CO2 emission values for labeling.
.. [2] US EPA, "Fuel Economy Labeling of Motor Vehicles: Revisions to Improve
   Calculation of Fuel Economy Estimates", Final Rule, 71 FR 77872
   (27 December 2006), the 5-cycle and derived 5-cycle equations.
.. [3] SAE J1634, Battery Electric Vehicle Energy Consumption and Range Test
   Procedure (2017 and later), five-cycle testing of BEVs.
.. [4] NREL FASTSim, ``python/fastsim/resources/longparams.json`` (``LD_FE_Adj_Coef``)
   and ``rust/fastsim-core/src/simdrivelabel.rs`` (``max_epa_adj``), commit bd9111b,
   https://github.com/NREL/fastsim.
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "CITY_SHARE",
    "DERIVED_COEFFICIENTS",
    "GALLON_EQUIVALENT",
    "MAX_ADJUSTMENT",
    "SHORT_CUT_FACTOR",
    "adjustment_factor",
    "derived_five_cycle",
    "five_cycle_city",
    "five_cycle_highway",
    "short_cut",
    "two_cycle",
]

#: City share of the combined label (55 % city, 45 % highway) [-].
CITY_SHARE = 0.55
#: The default adjustment of a BEV's two-cycle ranges [-] (40 CFR 600.116-12).
SHORT_CUT_FACTOR = 0.7
#: Energy of a gallon of gasoline equivalent, 33.705 kWh [J].
GALLON_EQUIVALENT = 33.705 * 3.6e6
_MILE = 1609.344  # [m]
_GAL_PER_MILE = GALLON_EQUIVALENT / _MILE  # one gallon per mile in [J m^-1]


def two_cycle(city, highway):
    """Combined consumption [J m^-1]: 55 % city, 45 % highway.

    The label combines fuel economies harmonically, which is the arithmetic mean of
    consumptions.

    Parameters
    ----------
    city, highway : array_like
        Consumptions on the city (FTP/UDDS) and highway (HWFET) tests [J m^-1].

    Returns
    -------
    numpy.ndarray
        [J m^-1].

    Examples
    --------
    >>> float(two_cycle(400.0, 500.0))
    445.0
    """
    return CITY_SHARE * np.asarray(city, float) + (1.0 - CITY_SHARE) * np.asarray(highway, float)


def short_cut(consumption, factor=SHORT_CUT_FACTOR):
    """Label consumption [J m^-1] of the short cut: two-cycle consumption over ``factor``.

    Parameters
    ----------
    consumption : array_like
        Unadjusted two-cycle consumption [J m^-1].
    factor : float
        Adjustment factor [-], 0.7 by default.

    Returns
    -------
    numpy.ndarray
        [J m^-1].

    Examples
    --------
    >>> float(short_cut(420.0))
    600.0
    """
    return np.asarray(consumption, float) / factor


def _sc03_increment(sc03, bag2_75, bag3_75):
    return sc03 - (0.61 * bag3_75 + 0.39 * bag2_75)


def _start(start_75, start_20):
    return 0.33 * (0.76 * np.asarray(start_75, float) + 0.24 * np.asarray(start_20, float))


def five_cycle_city(bag2_75, bag3_75, us06_city, bag2_20, bag3_20, sc03, start_75=0.0,
                    start_20=0.0):  # fmt: skip
    """5-cycle city label consumption [J m^-1] (40 CFR 600.114-12(a), in consumption).

    Parameters
    ----------
    bag2_75, bag3_75 : array_like
        Consumption on FTP bags 2 (stabilised) and 3 (hot start) at 75 degF [J m^-1].
    us06_city : array_like
        On the city parts of US06 [J m^-1].
    bag2_20, bag3_20 : array_like
        On bags 2 and 3 of the cold FTP at 20 degF, heater on [J m^-1].
    sc03 : array_like
        On SC03 at 95 degF with air conditioning [J m^-1].
    start_75, start_20 : array_like
        Extra energy per mile of a cold bag 1 times 3.6 mi, ``3.6 (c_b1 - c_b3)``, at
        75 and 20 degF [J m^-1]; 0 when a cold start costs nothing.

    Returns
    -------
    numpy.ndarray
        [J m^-1].

    Examples
    --------
    With every test at 400 J/m the city label is 400 / 0.905 x (0.82 + 0.18) = 442 J/m;
    a cold FTP at 600 J/m adds 0.18 x 200 / 0.905 = 39.8 J/m, by hand.

    >>> round(float(five_cycle_city(400, 400, 400, 400, 400, 400)), 1)
    442.0
    >>> round(float(five_cycle_city(400, 400, 400, 600, 600, 400)), 1)
    481.8
    """
    running = (
        0.82 * (0.48 * np.asarray(bag2_75, float) + 0.41 * np.asarray(bag3_75, float)
                + 0.11 * np.asarray(us06_city, float))
        + 0.18 * (0.5 * np.asarray(bag2_20, float) + 0.5 * np.asarray(bag3_20, float))
        + 0.133 * 1.083 * _sc03_increment(sc03, bag2_75, bag3_75)
    )  # fmt: skip
    return (_start(start_75, start_20) / 4.1 + running) / 0.905


def five_cycle_highway(us06_highway, hfet, sc03, bag2_75, bag3_75, start_75=0.0,
                       start_20=0.0):  # fmt: skip
    """5-cycle highway label consumption [J m^-1] (40 CFR 600.114-12(b), in consumption).

    Parameters
    ----------
    us06_highway : array_like
        On the highway part of US06 [J m^-1].
    hfet : array_like
        On HWFET [J m^-1].
    sc03, bag2_75, bag3_75, start_75, start_20 : array_like
        As :func:`five_cycle_city`.

    Returns
    -------
    numpy.ndarray
        [J m^-1].

    Examples
    --------
    US06 highway at 600 J/m and HWFET at 450 J/m, by hand
    1.007 x (0.79 x 600 + 0.21 x 450) / 0.905 = 632.6 J/m.

    >>> round(float(five_cycle_highway(600, 450, 400, 400, 400)), 1)
    632.6
    """
    running = 1.007 * (
        0.79 * np.asarray(us06_highway, float) + 0.21 * np.asarray(hfet, float)
    ) + 0.377 * 0.133 * _sc03_increment(sc03, bag2_75, bag3_75)
    return (_start(start_75, start_20) / 60.0 + running) / 0.905


def adjustment_factor(two_cycle_consumption, label_consumption):
    """The label's adjustment factor [-]: two-cycle over label consumption (range ratio).

    Parameters
    ----------
    two_cycle_consumption : array_like
        Unadjusted two-cycle consumption [J m^-1].
    label_consumption : array_like
        Label (5-cycle) consumption [J m^-1].

    Returns
    -------
    numpy.ndarray
        Label range over two-cycle range [-].

    Examples
    --------
    >>> float(adjustment_factor(420.0, 600.0))
    0.7
    """
    return np.asarray(two_cycle_consumption, float) / np.asarray(label_consumption, float)


#: Derived 5-cycle coefficients (city intercept [gal/mi], city slope, highway intercept,
#: highway slope) by first model year (40 CFR 600.210-08(a)(2), 600.210-12(a)(2); as
#: carried by NREL FASTSim, ``LD_FE_Adj_Coef``).
DERIVED_COEFFICIENTS = {
    2008: (0.003259, 1.1805, 0.001376, 1.3466),
    2017: (0.004091, 1.1601, 0.003191, 1.2945),
}
#: The largest adjustment of a BEV's two-cycle figures by the derived method: the label is
#: at most 30 % below the unadjusted value (FASTSim ``max_epa_adj``) [-].
MAX_ADJUSTMENT = 0.3


def derived_five_cycle(city, highway, model_year: int = 2017, cap: bool = True):
    """City and highway label consumptions [J m^-1] by the derived 5-cycle equations.

    ``1/FE_label = intercept + slope / FE_unadjusted`` for city (FTP) and highway
    (HWFET), FE in miles per gallon equivalent (33.705 kWh) [2]_, with the
    coefficients of the model year (:data:`DERIVED_COEFFICIENTS`); for a BEV the
    adjustment is capped at 30 % (``cap``), i.e. the label consumption is at most the
    unadjusted one over 0.7 — at BEV efficiencies the cap always binds, so the
    derived method reduces to the 0.7 short cut.

    Parameters
    ----------
    city, highway : array_like
        Unadjusted FTP and HWFET consumptions [J m^-1].
    model_year : int
        Selects the coefficients [-].
    cap : bool
        Apply the 30 % cap.

    Returns
    -------
    city, highway : numpy.ndarray
        [J m^-1].

    Examples
    --------
    A BEV at 15 kWh/100 km (540 J/m) city with the 2008-2016 coefficients, uncapped:
    0.003259 gal/mi is 245.7 J/m, so its label is 245.7 + 1.1805 x 540 = 883.2 J/m, a
    factor of 0.61; capped, the label is 540 / 0.7 = 771.4 J/m.

    >>> c, h = derived_five_cycle(540.0, 600.0, 2016, cap=False)
    >>> round(float(c), 1), round(float(540.0 / c), 3)
    (883.2, 0.611)
    >>> c, h = derived_five_cycle(540.0, 600.0, 2024)
    >>> round(float(c), 1), round(float(600.0 / h), 2)
    (771.4, 0.7)
    """
    year = max(y for y in DERIVED_COEFFICIENTS if y <= max(model_year, 2008))
    ci, cs, hi, hs = DERIVED_COEFFICIENTS[year]
    city = np.asarray(city, float)
    highway = np.asarray(highway, float)
    c = ci * _GAL_PER_MILE + cs * city
    h = hi * _GAL_PER_MILE + hs * highway
    if cap:
        c = np.minimum(c, city / (1.0 - MAX_ADJUSTMENT))
        h = np.minimum(h, highway / (1.0 - MAX_ADJUSTMENT))
    return c, h
