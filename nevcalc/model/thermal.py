"""Pack thermal state: a lumped cell or pack temperature and its heat sources.

One temperature stands for the whole cell or pack (a lumped body: conduction
inside is fast against exchange at the surface, Biot number well below one).
Its balance is

    C dT/dt = Q(T, t) + UA (T_amb - T),

with heat capacity ``C`` [J/K], conductance to ambient ``UA`` [W/K] and the
heat sources ``Q`` [W]: Joule heat of the ohmic resistance, charge-transfer
heat (Butler-Volmer), reversible (entropic) heat and what a thermal-management
system (TMS) adds or removes to keep a target window.

Conventions, for every function here: temperatures in kelvin, heat flows in
watts *into* the cell or pack (negative: removed), current positive on
charge. Pure numpy on SI floats; every argument broadcasts, so one call
advances many packs at once (vehicles x chargers x ambient temperatures).
Every coefficient is an argument; the only constants are physical ones
(:data:`GAS_CONSTANT`, :data:`FARADAY`, :data:`ZERO_CELSIUS`).

References
----------
.. [1] D. Bernardi, E. Pawlikowski and J. Newman, "A general energy balance for
   battery systems", J. Electrochem. Soc. 132 (1985) 5-12.
.. [2] C.-H. Chen, F. Brosa Planella, K. O'Regan, D. Gastol, W. D. Widanage and
   E. Kendrick, "Development of experimental techniques for parameterization of
   multi-scale lithium-ion battery models", J. Electrochem. Soc. 167 (2020)
   080534 (the Chen2020 parameter set of PyBaMM: activation energies of the
   exchange-current densities, heat capacity, cooling surface).
.. [3] J. Newman and K. E. Thomas-Alyea, Electrochemical Systems, 3rd ed.,
   Wiley, 2004, ch. 8 (Butler-Volmer kinetics).
.. [4] NREL FASTSim, ``vehicle_thermal.rs``: a heat-pump COP taken as a fraction
   of the Carnot COP (``frac_of_ideal_cop``),
   https://github.com/NREL/fastsim
.. [5] M. Hochbruck and A. Ostermann, "Exponential integrators", Acta Numerica
   19 (2010) 209-286.
.. [6] UN ECE Regulation No. 117, Annex 6 (and ISO 28580): the temperature correction
   of a passenger-car tyre's rolling resistance, ``K_t = 0.008`` per K about 25 degC.
.. [7] M.-S. Wu, P.-C. J. Chiang and J.-C. Lin, "Electrochemical investigations on
   advanced lithium-ion batteries by three-dimensional thermal modeling", and the
   cell specifications of ``tests/validation/data/thermal_figures.csv`` (TF-077: a
   cell delivers at least 85 % of its rated capacity at 0.2C and -10 degC): a cold cell
   reaches its cut-off voltage early because its resistance's drop ``I R(T)`` is larger.
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "FARADAY",
    "GAS_CONSTANT",
    "REFERENCE_TEMPERATURE",
    "ZERO_CELSIUS",
    "air_density",
    "arrhenius_factor",
    "c_rate_factor",
    "cabin_climate_power",
    "charge_transfer_heat",
    "cold_capacity_share",
    "drive_until_empty",
    "equilibrium_temperature",
    "exchange_current",
    "heat_exchange",
    "heat_pump_cop",
    "heater_power",
    "joule_heat",
    "lumped_temperature",
    "lumped_temperature_step",
    "resistance_factor",
    "reversible_heat",
    "rolling_resistance_factor",
    "thermal_management",
]

#: Molar gas constant [J mol^-1 K^-1] (CODATA 2018, exact).
GAS_CONSTANT = 8.314462618
#: Faraday constant [C mol^-1] (CODATA 2018, exact).
FARADAY = 96485.33212
#: 0 degC [K].
ZERO_CELSIUS = 273.15
#: 25 degC [K]: the temperature at which chemistries give their resistances and rates.
REFERENCE_TEMPERATURE = ZERO_CELSIUS + 25.0


def _f(x):
    return np.asarray(x, dtype=float)


def arrhenius_factor(temperature, activation_energy, reference=REFERENCE_TEMPERATURE):
    """Arrhenius scaling of a resistance between a reference and a temperature.

    ``exp(Ea / R (1/T - 1/T_ref))``: above one below the reference (a cold cell
    is more resistive), one at the reference. A thermally activated *rate*
    (exchange current, diffusivity, conductivity) scales by the reciprocal.

    Parameters
    ----------
    temperature : array_like
        Temperature [K], > 0.
    activation_energy : array_like
        Activation energy [J/mol] (0: no temperature dependence).
    reference : array_like, default 298.15
        Temperature at which the resistance is given [K].

    Returns
    -------
    numpy.ndarray
        Factor on the reference resistance [-].

    Examples
    --------
    Chen2020's graphite exchange current (35 kJ/mol, [2]_) is 6.5 times
    slower at -10 degC than at 25 degC, so its charge-transfer resistance is
    6.5 times larger; at 40 degC it is about half:

    >>> arrhenius_factor([263.15, 298.15, 313.15], 35000.0).round(3)
    array([6.54 , 1.   , 0.508])
    """
    t = _f(temperature)
    return np.exp(_f(activation_energy) / GAS_CONSTANT * (1.0 / t - 1.0 / _f(reference)))


def joule_heat(current, resistance):
    """Joule (ohmic) heat of a current through a resistance, ``I^2 R``.

    Parameters
    ----------
    current : array_like
        Current [A] (either sign).
    resistance : array_like
        Resistance at the present temperature [ohm], >= 0.

    Returns
    -------
    numpy.ndarray
        Heat into the cell [W], >= 0.

    Examples
    --------
    5 A (1C on a 5 Ah cell) through 30.7 mohm: 0.77 W.

    >>> float(joule_heat(5.0, 0.03066))
    0.7665
    """
    i = _f(current)
    return i * i * _f(resistance)


def exchange_current(
    charge_transfer_resistance, temperature, activation_energy, reference=REFERENCE_TEMPERATURE
):
    """Exchange current of an electrode from its small-signal charge-transfer resistance.

    Linearised Butler-Volmer kinetics give ``R_ct = R T / (F I0)`` [3]_, so a
    resistance measured (or fitted) at the reference temperature fixes
    ``I0(T_ref) = R T_ref / (F R_ct)``; the exchange current then follows an
    Arrhenius law, ``I0(T) = I0(T_ref) / arrhenius_factor(T, Ea, T_ref)``.

    Parameters
    ----------
    charge_transfer_resistance : array_like
        Charge-transfer resistance at ``reference`` and low current [ohm], > 0.
    temperature : array_like
        Temperature [K].
    activation_energy : array_like
        Activation energy of the exchange current [J/mol].
    reference : array_like, default 298.15
        Temperature of the resistance [K].

    Returns
    -------
    numpy.ndarray
        Exchange current [A].

    Examples
    --------
    10 mohm of charge-transfer resistance at 25 degC is an exchange current of
    2.57 A; with 35 kJ/mol it falls to 0.39 A at -10 degC.

    >>> exchange_current(0.010, [298.15, 263.15], 35000.0).round(3)
    array([2.569, 0.393])
    """
    t_ref = _f(reference)
    i0_ref = GAS_CONSTANT * t_ref / (FARADAY * _f(charge_transfer_resistance))
    return i0_ref / arrhenius_factor(temperature, activation_energy, t_ref)


def charge_transfer_heat(current, temperature, exchange_current):
    """Irreversible heat of charge transfer with symmetric Butler-Volmer kinetics.

    The overpotential that drives a current ``I`` through an electrode of
    exchange current ``I0`` is ``eta = (2 R T / F) asinh(I / (2 I0))``
    (transfer coefficient 1/2, [3]_), and the heat is ``I eta`` [1]_. At
    small currents this is ``I^2 R_ct`` with ``R_ct = R T / (F I0)``; at large
    currents it grows only as ``I ln I``: a cold electrode's resistance falls
    with current.

    Parameters
    ----------
    current : array_like
        Current [A] (either sign; the heat is the same).
    temperature : array_like
        Temperature [K].
    exchange_current : array_like
        Exchange current at that temperature [A], > 0 (see
        :func:`exchange_current`).

    Returns
    -------
    numpy.ndarray
        Heat into the cell [W], >= 0.

    Examples
    --------
    At 0.1 A the heat is the linear ``I^2 R_ct`` (10 mohm: 0.1 mW); at 10 A
    through an exchange current of 0.393 A (the same electrode at -10 degC)
    it is 1.47 W, not the 5.8 W that ``I^2 R_ct`` at its cold small-signal
    resistance (57.7 mohm) would give:

    >>> charge_transfer_heat([0.1, 10.0], [298.15, 263.15], [2.569, 0.393]).round(3)
    array([0.   , 1.469])
    """
    i = _f(current)
    scale = 2.0 * GAS_CONSTANT * _f(temperature) / FARADAY
    return i * scale * np.arcsinh(i / (2.0 * _f(exchange_current)))


def reversible_heat(current, temperature, entropic_coefficient):
    """Reversible (entropic) heat, ``I T dU/dT``, current positive on charge.

    The cell reaction's entropy change per charge is ``F dU/dT``; on charge
    (current positive) the cell takes in ``I T dU/dT`` of heat where
    ``dU/dT > 0`` and gives out heat where it is negative, and the other way
    round on discharge [1]_. Over a full cycle it sums to zero.

    Parameters
    ----------
    current : array_like
        Current [A], positive on charge.
    temperature : array_like
        Temperature [K].
    entropic_coefficient : array_like
        dU/dT of the open-circuit voltage at the present state of charge [V/K].

    Returns
    -------
    numpy.ndarray
        Heat into the cell [W] (either sign).

    Examples
    --------
    5 A of charge at 298.15 K with dU/dT = +0.1 mV/K heats by 0.149 W; on
    discharge (-5 A) it cools by as much:

    >>> reversible_heat([5.0, -5.0], 298.15, 1e-4).round(4)
    array([ 0.1491, -0.1491])
    """
    return _f(current) * _f(temperature) * _f(entropic_coefficient)


def heat_exchange(temperature, ambient, ua):
    """Heat from the surroundings through a conductance, ``UA (T_amb - T)``.

    Parameters
    ----------
    temperature : array_like
        Cell or pack temperature [K].
    ambient : array_like
        Ambient (or coolant) temperature [K].
    ua : array_like
        Conductance to ambient, heat-transfer coefficient times area [W/K], >= 0.

    Returns
    -------
    numpy.ndarray
        Heat into the cell or pack [W]: negative when it is warmer than ambient.

    Examples
    --------
    A cell at 45 degC in 25 degC air with 50 W/(m^2 K) on 0.00531 m^2:

    >>> float(heat_exchange(318.15, 298.15, 50.0 * 0.00531).round(3))
    -5.31
    """
    return _f(ua) * (_f(ambient) - _f(temperature))


def equilibrium_temperature(ambient, heat, ua):
    """Steady temperature under a constant heat source, ``T_amb + Q / UA``.

    Parameters
    ----------
    ambient : array_like
        Ambient temperature [K].
    heat : array_like
        Heat source [W].
    ua : array_like
        Conductance to ambient [W/K], > 0 (with 0 there is no steady state:
        the result is infinite, or the ambient where the source is zero).

    Returns
    -------
    numpy.ndarray
        Temperature [K].

    Examples
    --------
    0.77 W in a cell with 0.0266 W/K to 25 degC air settles 29 K above it:

    >>> float(equilibrium_temperature(298.15, 0.77, 0.02655).round(2))
    327.15
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        rise = np.where(_f(heat) == 0.0, 0.0, _f(heat) / _f(ua))
    return _f(ambient) + rise


def heat_pump_cop(ambient, target, carnot_fraction, cop_max):
    """Heating COP of a heat pump as a fraction of the Carnot COP.

    ``COP = eta T_target / (T_target - T_amb)``, capped at ``cop_max`` (and
    equal to it when the ambient is at or above the target) [4]_. It falls as
    the ambient gets colder and exceeds one for
    ``T_amb > (1 - eta) T_target``: with ``eta = 0.3`` and a 45 degC supply,
    down to -50 degC. Below that a resistive heater does better, and a caller
    with one takes ``max(COP, 1)``.

    ``eta`` is a property of the machine, fitted to bench data: FASTSim
    assumes 0.075 ("engineering judgment"); one secondary-loop EV heat pump
    measured 1.9 at -1 degC ambient with 41.5 degC supply air (eta = 0.26);
    least squares on ``ln COP`` over six measured EV heat pumps from -20 to
    -1 degC (tests/validation/data/thermal_figures.csv, TF-044, TF-046,
    TF-078, TF-080, TF-106, TF-107) gives eta = 0.35 with that supply, the
    figures scattering by a factor of 1.3 about it
    (tests/reference/fit_heat_pump_cop.py; shipped in
    specs/data/driving_climate.toml with the cap, 3.26, the largest COP
    measured).

    Parameters
    ----------
    ambient : array_like
        Ambient (heat-source) temperature [K].
    target : array_like
        Supply (heat-sink) temperature [K].
    carnot_fraction : array_like
        Fraction of the Carnot COP achieved, ``eta`` [-], in (0, 1].
    cop_max : array_like
        Upper bound of the COP [-], >= 1.

    Returns
    -------
    numpy.ndarray
        Coefficient of performance, heat delivered over electricity [-].

    Examples
    --------
    eta = 0.26, 41.5 degC supply: 1.9 at -1 degC ambient, 1.3 at -20 degC,
    the cap (4) from 25 degC:

    >>> heat_pump_cop([272.15, 253.15, 298.15], 314.65, 0.26, 4.0).round(2)
    array([1.92, 1.33, 4.  ])
    """
    t_hot = _f(target)
    lift = t_hot - _f(ambient)
    with np.errstate(divide="ignore", invalid="ignore"):
        cop = np.where(lift > 0.0, _f(carnot_fraction) * t_hot / lift, np.inf)
    return np.minimum(cop, _f(cop_max))


def heater_power(heat_demand, rating, cop=1.0):
    """Electrical power a heater draws to meet a heat demand, capped by its rating.

    The heat delivered is ``min(demand, rating)`` (no heat for a demand <= 0);
    the electricity is that over the COP: 1 for a resistive (PTC) heater, from
    :func:`heat_pump_cop` for a heat pump.

    Parameters
    ----------
    heat_demand : array_like
        Heat wanted [W].
    rating : array_like
        Largest heat the heater delivers [W], >= 0.
    cop : array_like, default 1.0
        Coefficient of performance [-], > 0.

    Returns
    -------
    numpy.ndarray
        Electrical power [W], >= 0.

    Examples
    --------
    3 kW wanted from a 6 kW PTC, 8 kW from it (capped), and 3 kW from a heat
    pump at COP 2:

    >>> heater_power([3000.0, 8000.0, 3000.0], 6000.0, [1.0, 1.0, 2.0])
    array([3000., 6000., 1500.])
    """
    heat = np.clip(_f(heat_demand), 0.0, _f(rating))
    return heat / _f(cop)


def thermal_management(
    temperature,
    window_low,
    window_high,
    heating_power,
    cooling_power,
    heat_capacity=None,
    time_step=None,
):
    """Heat a thermal-management system adds or removes to hold a window.

    Below the window the system heats at ``heating_power``, above it cools at
    ``cooling_power``, inside it does nothing. Given ``heat_capacity`` and
    ``time_step``, the power is limited to what brings the temperature back
    to the window's edge within the step, so an explicit march does not
    overshoot the edge and chatter about it.

    Parameters
    ----------
    temperature : array_like
        Pack temperature [K].
    window_low, window_high : array_like
        Target window [K], ``window_low <= window_high``.
    heating_power : array_like
        Heat the system can add [W], >= 0 (0: no heater).
    cooling_power : array_like
        Heat the system can remove [W], >= 0.
    heat_capacity : array_like, optional
        Pack heat capacity [J/K].
    time_step : array_like, optional
        Step of the march [s].

    Returns
    -------
    numpy.ndarray
        Heat into the pack [W]: positive when heating, negative when cooling.

    Examples
    --------
    A 15-35 degC window, a 5 kW heater and an 8 kW chiller. Then, with
    200 kJ/K and 10 s steps: 0.5 K below the window would take 10 kW (capped
    at 5 kW), 0.1 K below it takes 2 kW:

    >>> thermal_management([268.15, 298.15, 318.15], 288.15, 308.15, 5000.0, 8000.0)
    array([ 5000.,     0., -8000.])
    >>> thermal_management([287.65, 288.05], 288.15, 308.15, 5000.0, 8000.0, 2e5, 10.0).round(6)
    array([5000., 2000.])
    """
    t = _f(temperature)
    below = _f(window_low) - t
    above = t - _f(window_high)
    heat = np.where(below > 0.0, _f(heating_power), 0.0)
    cool = np.where(above > 0.0, _f(cooling_power), 0.0)
    if heat_capacity is not None and time_step is not None:
        rate = _f(heat_capacity) / _f(time_step)
        # (where the pack is inside the window, 0 even for an infinite heat capacity)
        heat = np.minimum(heat, np.where(below > 0.0, below * rate, 0.0))
        cool = np.minimum(cool, np.where(above > 0.0, above * rate, 0.0))
    return heat - cool


def _phi(x):
    """(1 - exp(-x)) / x, 1 at x = 0, for x >= 0."""
    x = _f(x)
    safe = np.where(x > 1e-12, x, 1.0)
    return np.where(x > 1e-12, -np.expm1(-safe) / safe, 1.0 - 0.5 * x)


def lumped_temperature_step(temperature, heat, ambient, heat_capacity, ua, time_step):
    """Advance a lumped temperature by one step (exponential integrator).

    With the heat source ``Q`` held at its value for the step (evaluated at
    the step's start temperature by the caller) the balance
    ``C dT/dt = Q + UA (T_amb - T)`` is linear, and the step is its exact
    solution [5]_:

        T1 = T0 + (Q + UA (T_amb - T0)) dt / C * phi(UA dt / C),
        phi(x) = (1 - exp(-x)) / x,   phi(0) = 1,

    so ``UA = 0`` is the adiabatic ``T0 + Q dt / C``. For constant sources
    this equals :func:`lumped_temperature` for any step.

    Stability: the exchange with ambient is integrated exactly, so it is
    stable and never overshoots ambient for any ``dt``. Only a source that
    depends on temperature is explicit. Linearised, a source falling with
    temperature at ``b = -dQ/dT / C`` (Arrhenius resistance: ``b = Q Ea /
    (R T^2 C)``) gives a growth factor ``exp(-a dt) - b dt phi(a dt)`` per
    step with ``a = UA / C``, which lies in [0, 1] (stable, no oscillation)
    when ``b dt phi(a dt) <= exp(-a dt)``; ``b dt <= 1/2`` is enough for
    ``a dt <= 0.7``. A car pack (``C`` about 2e5 J/K, 5 kW of heat at
    -10 degC, 35 kJ/mol: ``dQ/dT`` about -300 W/K) has ``b`` about 0.0015/s,
    so steps up to about 5 minutes are stable. The 42.8 J/K Chen2020 cell at
    2C and -10 degC has ``b`` about 0.0007/s with the heat of
    ``tests/validation/pybamm_thermal.py`` (0.005/s were all its resistance
    Arrhenius at 35 kJ/mol): steps up to 100 s are stable either way.
    A TMS switching on at a window's edge is a step in ``Q``;
    :func:`thermal_management` with ``heat_capacity`` and ``time_step`` keeps
    it from overshooting.

    Parameters
    ----------
    temperature : array_like
        Temperature at the start of the step [K].
    heat : array_like
        Sum of heat sources over the step, into the body [W].
    ambient : array_like
        Ambient temperature [K].
    heat_capacity : array_like
        Heat capacity [J/K], > 0.
    ua : array_like
        Conductance to ambient [W/K], >= 0.
    time_step : array_like
        Step [s], >= 0.

    Returns
    -------
    numpy.ndarray
        Temperature at the end of the step [K]; the broadcast shape of the
        arguments.

    Examples
    --------
    Three packs at once, 60 s at 1 kW: adiabatic, 10 W/K and 100 W/K to
    -10 degC air, 200 kJ/K, from 0 degC; the last is at its equilibrium
    (-10 degC + 1 kW / 100 W/K) and stays there:

    >>> lumped_temperature_step(273.15, 1000.0, 263.15, 2e5, [0.0, 10.0, 100.0], 60.0).round(4)
    array([273.45  , 273.4196, 273.15  ])
    """
    c = _f(heat_capacity)
    ua = _f(ua)
    dt = _f(time_step)
    t0 = _f(temperature)
    net = _f(heat) + ua * (_f(ambient) - t0)
    return t0 + net * dt / c * _phi(ua * dt / c)


def lumped_temperature(initial, heat, ambient, heat_capacity, ua, time):
    """Lumped temperature after a time under constant heat and ambient (closed form).

    ``T(t) = T_eq + (T0 - T_eq) exp(-UA t / C)`` with
    ``T_eq = T_amb + Q / UA``; for ``UA = 0``, ``T0 + Q t / C``.

    Parameters
    ----------
    initial : array_like
        Temperature at time zero [K].
    heat : array_like
        Constant heat source into the body [W].
    ambient : array_like
        Ambient temperature [K].
    heat_capacity : array_like
        Heat capacity [J/K], > 0.
    ua : array_like
        Conductance to ambient [W/K], >= 0.
    time : array_like
        Time [s], >= 0.

    Returns
    -------
    numpy.ndarray
        Temperature [K].

    Examples
    --------
    The Chen2020 cell (42.8 J/K, 0.0266 W/K) at 0.77 W from 25 degC: after one
    time constant (C / UA = 1611 s) it has gone 63 % of the way to 29 K above
    ambient:

    >>> float(lumped_temperature(298.15, 0.77, 298.15, 42.775, 0.02655, 1611.1).round(2))
    316.48
    """
    c = _f(heat_capacity)
    ua = _f(ua)
    t = _f(time)
    t0 = _f(initial)
    net = _f(heat) + ua * (_f(ambient) - t0)
    return t0 + net * t / c * _phi(ua * t / c)


#: Specific gas constant of dry air [J kg^-1 K^-1].
AIR_GAS_CONSTANT = 287.05
#: Standard sea-level pressure [Pa].
STANDARD_PRESSURE = 101325.0


def air_density(temperature, pressure=STANDARD_PRESSURE):
    """Density of dry air, ideal gas [kg m^-3].

    Parameters
    ----------
    temperature : array_like
        [K].
    pressure : array_like
        [Pa].

    Returns
    -------
    numpy.ndarray

    Examples
    --------
    1.204 at 20 degC and 1.341 at -10 degC: 11 % more drag in the cold.

    >>> air_density([293.15, 263.15]).round(3)
    array([1.204, 1.341])
    """
    return _f(pressure) / (AIR_GAS_CONSTANT * _f(temperature))


def rolling_resistance_factor(temperature, coefficient=0.008, reference=REFERENCE_TEMPERATURE):
    """Rolling resistance of a tyre at an ambient over that at the reference [-].

    ``1 + K_t (T_ref - T)`` [6]_: UN R117's correction of a measured rolling
    resistance to 25 degC, read the other way. Never below 0.5 (the correction is
    linear over the test range, 20-30 degC, and used here beyond it).

    Parameters
    ----------
    temperature : array_like
        Ambient [K].
    coefficient : float
        ``K_t`` [K^-1]; 0.008 for passenger-car tyres.
    reference : float
        [K].

    Returns
    -------
    numpy.ndarray

    Examples
    --------
    At -10 degC a tyre rolls 28 % harder than at 25 degC:

    >>> round(float(rolling_resistance_factor(263.15)), 3)
    1.28
    """
    return np.maximum(1.0 + coefficient * (reference - _f(temperature)), 0.5)


def cabin_climate_power(ambient, setpoint, conductance, heat_pump_fraction=0.0, cop_max=1.0,
                        cooling_cop=2.5, supply_offset=0.0):  # fmt: skip
    """Electricity to hold a cabin at its set point against the air [W].

    The heat to replace (or remove) is ``UA (T_set - T_amb)`` for a cabin of
    conductance ``UA`` (shell and ventilation air together). Heating draws it over
    the heat pump's COP (:func:`heat_pump_cop` with the supply ``supply_offset`` above
    the set point, never below the resistive heater's 1; ``heat_pump_fraction`` 0: a
    resistive heater alone), cooling over ``cooling_cop``. The heat pump's coefficients
    are data (the shipped ones: ``specs/data/driving_climate.toml``, fitted on published
    EV heat pumps by ``tests/reference/fit_heat_pump_cop.py``); with the default cap of
    1 a heat pump is no better than a resistive heater.

    Parameters
    ----------
    ambient, setpoint : array_like
        [K].
    conductance : array_like
        Cabin ``UA`` [W K^-1].
    heat_pump_fraction : array_like
        Carnot fraction of the heat pump [-]; 0 for none.
    cop_max : float
        Cap of the heat pump's COP [-], >= 1.
    cooling_cop : float
        Heat removed over electricity of the air conditioner [-].
    supply_offset : float
        Supply air above the set point [K], the heat pump's sink.

    Returns
    -------
    numpy.ndarray
        [W], >= 0.

    Examples
    --------
    100 W/K, 21 degC inside, -10 degC outside: by hand 3.1 kW resistive; with a heat
    pump at a Carnot fraction of 0.35 supplying air 20.5 K above the cabin (41.5 degC),
    COP 0.35 x 314.65 / 51.5 = 2.14, 3100 / 2.14 = 1450 W:

    >>> cabin_climate_power(263.15, 294.15, 100.0).round(0)
    array([3100.])
    >>> cabin_climate_power(263.15, 294.15, 100.0, 0.35, 3.26, supply_offset=20.5).round(0)
    array([1450.])
    """
    t_amb, t_set = _f(ambient), _f(setpoint)
    load = _f(conductance) * (t_set - t_amb)
    hp = _f(heat_pump_fraction)
    with np.errstate(divide="ignore", invalid="ignore"):
        cop = np.where(hp > 0, heat_pump_cop(t_amb, t_set + _f(supply_offset),
                                             np.where(hp > 0, hp, 1.0), cop_max),
                       1.0)  # fmt: skip
    cop = np.maximum(cop, 1.0)
    return np.atleast_1d(np.where(load > 0, load / cop, -load / cooling_cop))


def c_rate_factor(temperature, plating_activation_energy, full_rate_temperature,
                  charge_temperature_max):  # fmt: skip
    """Factor on a cell's C-rate limit at a cell temperature [-].

    ``exp(-Ea / R (1/T - 1/T_full))`` below ``T_full``, 1 up to ``T_max``, then
    linearly to 0 at ``T_max + 10 K``.

    Parameters
    ----------
    temperature : array_like
        Cell temperature [K].
    plating_activation_energy : float
        [J mol^-1].
    full_rate_temperature, charge_temperature_max : float
        [K].

    Returns
    -------
    numpy.ndarray
        In [0, 1].

    References
    ----------
    .. [1] D. Bernardi and J. Go, "Analysis of pulse and relaxation behavior in
       lithium-ion batteries", J. Power Sources 196 (2011) 412: the anode-potential
       criterion for plating.

    Examples
    --------
    35 kJ/mol, full rate from 25 degC: at -10, 0 and 25 degC by hand
    exp(-35000/8.3145 (1/263.15 - 1/298.15)) = 0.153, 0.275 and 1:

    >>> c_rate_factor([263.15, 273.15, 298.15], 35000.0, 298.15, 318.15).round(3)
    array([0.153, 0.275, 1.   ])
    """
    t = _f(temperature)
    # a rate: the reciprocal of the Arrhenius factor of a resistance
    cold = 1.0 / arrhenius_factor(t, plating_activation_energy, full_rate_temperature)
    hot = np.clip(1.0 - (t - charge_temperature_max) / 10.0, 0.0, 1.0)
    return np.where(t < full_rate_temperature, np.minimum(cold, 1.0), hot)


def resistance_factor(temperature, activation_energy, fixed_share=0.0,
                      reference=REFERENCE_TEMPERATURE):  # fmt: skip
    """Factor on a cell's resistance at a temperature [-], 1 at the reference.

    ``s + (1 - s) exp(Ea / R (1/T - 1/T_ref))``: a share ``s`` that does not change
    with temperature (current collectors, tabs; in the Chen2020 set everything but
    the electrodes' charge transfer) and the rest thermally activated.

    Parameters
    ----------
    temperature : array_like
        [K].
    activation_energy : float
        [J mol^-1].
    fixed_share : float
        ``s`` [-].
    reference : float
        [K].

    Returns
    -------
    numpy.ndarray

    Examples
    --------
    35 kJ/mol, no fixed share: 6.5 times the 25 degC resistance at -10 degC, and half
    of that rise with half the resistance fixed:

    >>> resistance_factor([263.15, 298.15], 35000.0).round(2)
    array([6.53, 1.  ])
    >>> resistance_factor(263.15, 35000.0, 0.5).round(2)
    np.float64(3.77)
    """
    rise = arrhenius_factor(temperature, activation_energy, reference)
    return fixed_share + (1.0 - fixed_share) * rise


def cold_capacity_share(temperature, activation_energy, fixed_share=0.0,
                        anchor_temperature=263.15, anchor_share=0.85,
                        reference=REFERENCE_TEMPERATURE):  # fmt: skip
    """Share of the usable energy a pack at a temperature delivers [-], 1 when warm.

    A discharge ends when the cell's terminal voltage ``OCV - I R(T)`` reaches the
    cut-off; near the end the OCV falls about linearly with the charge taken out, so
    the charge left behind grows with the extra drop ``I (R(T) - R_ref)``, that is with
    :func:`resistance_factor` minus one [7]_. One published point fixes the slope: the
    share ``anchor_share`` at ``anchor_temperature``. Clipped to [0, 1]; 1 at and above
    the reference.

    Parameters
    ----------
    temperature : array_like
        Pack (cell) temperature [K].
    activation_energy : array_like
        Of the cell resistance [J mol^-1].
    fixed_share : array_like
        Share of the resistance that does not change with temperature [-].
    anchor_temperature : array_like
        [K], below the reference.
    anchor_share : array_like
        Share delivered at ``anchor_temperature`` [-].
    reference : float
        [K].

    Returns
    -------
    numpy.ndarray

    Examples
    --------
    35 kJ/mol and 85 % at -10 degC: the resistance is 6.53 times that at 25 degC at
    -10 and 3.65 times at 0 degC, so 1 - 0.15 x 2.65 / 5.53 = 0.928 is delivered at 0:

    >>> cold_capacity_share([273.15, 263.15, 298.15, 310.0], 35000.0).round(3)
    array([0.928, 0.85 , 1.   , 1.   ])
    """
    rise = resistance_factor(temperature, activation_energy, fixed_share, reference) - 1.0
    at = resistance_factor(anchor_temperature, activation_energy, fixed_share, reference) - 1.0
    with np.errstate(divide="ignore", invalid="ignore"):
        slope = np.where(at > 0, (1.0 - _f(anchor_share)) / np.where(at > 0, at, 1.0), 0.0)
    return np.clip(1.0 - slope * np.maximum(rise, 0.0), 0.0, 1.0)


def drive_until_empty(energy, power, loss_share, heat_capacity, ua, ambient, start,
                      heat_below, heater_rating, heater_cop, share_of_temperature,
                      time_step=60.0, most_steps=4320):  # fmt: skip
    """Drive a pack at a steady power until it is empty, its temperature marched along.

    The pack (a lumped body, :func:`lumped_temperature_step`) starts at ``start``,
    warms by its own losses ``loss_share x power`` and by a heater that holds it at
    ``heat_below`` when it is colder (at most ``heater_rating`` of heat, drawn from the
    pack over ``heater_cop``), and exchanges heat with the air through ``ua``. It is
    empty when the energy drawn (driving plus heater) reaches ``energy`` times the
    share a pack at that temperature delivers (``share_of_temperature``, e.g.
    :func:`cold_capacity_share`): the cut-off is met at the end of the discharge, at
    the pack's temperature then.

    Parameters
    ----------
    energy : array_like
        Usable energy of the warm pack [J].
    power : array_like
        Driving power at the battery [W], > 0.
    loss_share : array_like
        Heat the cells make over the power they deliver [-].
    heat_capacity : array_like
        [J K^-1].
    ua : array_like
        Pack to air [W K^-1].
    ambient, start, heat_below : array_like
        [K].
    heater_rating : array_like
        Heat the heater can add [W]; 0: none.
    heater_cop : array_like
        Heat over electricity of the heater [-], >= 1.
    share_of_temperature : callable
        Pack temperature [K] -> delivered share [-], broadcasting.
    time_step : float
        [s]; longer where a row's drive (at most ``energy / power``: the heater only
        draws more, and the share is at most 1) would take more than ``most_steps``.
    most_steps : int
        Steps at most: every row is empty within them.

    Returns
    -------
    dict of numpy.ndarray
        ``time`` to empty [s], ``temperature`` of the pack then [K], ``heater_energy``
        drawn until then [J], ``share`` delivered [-].

    Examples
    --------
    A 75 kWh pack of 470 kJ/K at 15 kW, 1.5 % losses, at 25 degC: no heater and the
    whole energy, 5 h. Soaked at -10 degC with a 5 kW heater holding 0 degC, it is
    empty sooner: the heater's energy and the cold pack's smaller share.

    >>> share = lambda t: cold_capacity_share(t, 35000.0)
    >>> warm = drive_until_empty(2.7e8, 15e3, 0.015, 4.7e5, 10.0, 298.15, 298.15,
    ...                          273.15, 5e3, 1.0, share)
    >>> round(float(warm["time"][0]) / 3600, 3), float(warm["heater_energy"][0])
    (5.0, 0.0)
    >>> cold = drive_until_empty(2.7e8, 15e3, 0.015, 4.7e5, 10.0, 263.15, 263.15,
    ...                          273.15, 5e3, 1.0, share)
    >>> bool(cold["time"][0] < 4.7 * 3600), bool(cold["heater_energy"][0] > 0)
    (True, True)
    """
    args = (energy, power, loss_share, heat_capacity, ua, ambient, heat_below, heater_rating,
            heater_cop)  # fmt: skip
    e, p, loss, c, ua_, amb, heat_to, rating, cop = np.broadcast_arrays(
        *(np.atleast_1d(_f(x)) for x in args))  # fmt: skip
    t_pack = np.broadcast_to(_f(start), e.shape).astype(float)
    own = p * loss
    drawn_heat = np.zeros(e.shape)
    time = np.zeros(e.shape)
    done = np.zeros(e.shape, bool)
    out_t = np.full(e.shape, np.nan)
    out_temp = np.full(e.shape, np.nan)
    out_heat = np.full(e.shape, np.nan)
    out_share = np.full(e.shape, np.nan)
    gap = p * 0.0 - e * share_of_temperature(t_pack)
    with np.errstate(divide="ignore", invalid="ignore"):
        longest = float(np.max(np.where(p > 0, e / p, 0.0), initial=0.0))
    if not np.isfinite(longest):
        raise ValueError("power: every row must drive at a positive, finite power")
    time_step = max(float(time_step), longest / most_steps)
    for _ in range(int(np.ceil(longest / time_step)) + 1):
        free = lumped_temperature_step(t_pack, own, amb, c, ua_, time_step)
        with np.errstate(divide="ignore", invalid="ignore"):
            need = np.where(free < heat_to, c * (heat_to - free) / time_step, 0.0)
        q = np.minimum(need, rating)
        new_t = lumped_temperature_step(t_pack, own + q, amb, c, ua_, time_step)
        new_heat = drawn_heat + q / cop * time_step
        new_time = time + time_step
        share = share_of_temperature(new_t)
        new_gap = p * new_time + new_heat - e * share
        hit = ~done & (new_gap >= 0)
        if hit.any():
            f = np.where(hit, gap / np.where(hit, gap - new_gap, 1.0), 0.0)
            out_t = np.where(hit, time + f * time_step, out_t)
            out_temp = np.where(hit, t_pack + f * (new_t - t_pack), out_temp)
            out_heat = np.where(hit, drawn_heat + f * (new_heat - drawn_heat), out_heat)
            out_share = np.where(hit, share_of_temperature(out_temp), out_share)
            done = done | hit
            if done.all():
                break
        t_pack, drawn_heat, time, gap = new_t, new_heat, new_time, new_gap
    return {"time": out_t, "temperature": out_temp, "heater_energy": out_heat,
            "share": out_share}  # fmt: skip
