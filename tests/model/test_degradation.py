"""The ageing models: capacity fade behaviour and the fast path against day-by-day stepping."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nevcalc.model.degradation import DAY, HOUR, capacity_fade, daily_duty, graphite_potential
from nevcalc.scenario.health import climate_temperatures
from nevcalc.units import celsius_to_kelvin

YEARS = [1, 2, 5, 8, 10]


def _duty(hi, lo, c, t, period=1.0):
    """:func:`daily_duty` from a C-rate [h^-1], a temperature [degC] and days between sweeps."""
    return daily_duty(hi, lo, charge_rate=c / HOUR, temperature=celsius_to_kelvin(np.asarray(t)),
                      period=period * DAY)  # fmt: skip


def test_graphite_potential_is_decreasing_in_soc():
    u = graphite_potential(np.linspace(0, 1, 101))
    assert np.all(np.diff(u) < 0)
    assert 0.05 < u[-1] < u[0] < 1.5


@pytest.mark.parametrize("model", ["lfp-gr-250ah", "nmc622-gr-denso"])
def test_capacity_falls_year_on_year(model):
    q = capacity_fade(model, _duty(0.8, 0.3, 0.25, 25.0), YEARS, step_days=1)
    assert np.all(np.diff(q) < 0) and 0.5 < q[-1] < q[0] < 1.0


@settings(max_examples=15, deadline=None)
@given(c1=st.floats(0.1, 1.0), factor=st.floats(1.1, 4.0))
def test_faster_charging_never_lengthens_nmc622_life(c1, factor):
    """The NMC622 model's cycling fade grows with sqrt(DoD x charge C-rate)."""
    slow = capacity_fade("nmc622-gr-denso", _duty(0.8, 0.3, c1, 25.0), [10], step_days=30)
    fast = capacity_fade("nmc622-gr-denso", _duty(0.8, 0.3, min(c1 * factor, 5.0), 25.0),
                         [10], step_days=30)  # fmt: skip
    assert fast[0] <= slow[0] + 1e-12


@pytest.mark.parametrize("model", ["lfp-gr-250ah", "nmc622-gr-denso"])
@pytest.mark.parametrize(("hi", "lo", "c"), [(0.8, 0.3, 0.25), (0.9, 0.1, 1.0)])
@pytest.mark.parametrize(("step", "bound"), [(182, 0.002), (365, 0.003)])
def test_fast_path_against_day_by_day(model, hi, lo, c, step, bound):
    """The cost of speed: tabulated rates and half-year (yearly, the default) steps
    against the plain day-by-day evaluation; measured at most 0.11 (0.23) points."""
    duty = _duty(hi, lo, c, 25.0)
    daily = capacity_fade(model, duty, YEARS, step_days=1, tabulate=False)
    fast = capacity_fade(model, duty, YEARS, step_days=step)
    assert np.max(np.abs(fast - daily)) < bound


def test_vectorised_over_cells_equals_one_by_one():
    temps = np.array([15.0, 25.0, 35.0])
    many = capacity_fade("lfp-gr-250ah", _duty(0.9, 0.1, 0.4, temps), YEARS, step_days=10)
    for i, t in enumerate(temps):
        one = capacity_fade("lfp-gr-250ah", _duty(0.9, 0.1, 0.4, t), YEARS, step_days=10)
        assert np.allclose(many[i], one, rtol=0, atol=1e-12)


def test_the_daily_duty_is_built_from_si_quantities():
    """Temperature [K], C-rate [s^-1] and period [s] in; time [s] and temperature [K] out."""
    duty = daily_duty(0.8, 0.3, charge_rate=1 / HOUR, temperature=298.15, period=2 * DAY)
    assert float(duty.temperature) == 298.15  # kept in kelvin, not shifted by 273.15
    assert duty.time[-1] == 2 * DAY
    # at 1C a 50 % charge takes half an hour: it starts at 23:30
    start = np.flatnonzero(np.diff(duty.soc) > 0)[0]
    assert duty.time[start] == 23.5 * HOUR
    with pytest.raises(TypeError):  # the old (C-rate [h^-1], degC) positional call is refused
        daily_duty(0.8, 0.3, 0.25, 25.0)


def test_the_usage_duty_answers_in_si():
    from nevcalc.model.degradation import usage_duty

    efc, period, rate = usage_duty(distance_per_year=1e7, consumption=500.0,
                                   usable_energy=1e8, soc_low=0.2, soc_high=0.8,
                                   fast_share=0.25, fast_power=2e5, home_power=1e4)  # fmt: skip
    assert float(efc) == pytest.approx(5e9 / 365 / 1e8)  # energy a day over the pack
    assert float(period) == pytest.approx(0.6 / float(efc) * 86400.0)  # [s]
    assert float(rate) == pytest.approx(0.75 * 1e4 / 1e8 + 0.25 * 2e5 / 1e8)  # [s^-1]


def test_a_mix_of_one_kind_of_day_is_that_day():
    """mix_duty's combined rate (sum w k^(1/p))^p is k itself for one kind (or equal kinds)."""
    from nevcalc.model.degradation import MODELS, mix_duty

    temps = np.array([288.15, 308.15])
    plain = daily_duty(0.8, 0.3, charge_rate=0.5 / HOUR, temperature=temps)
    both = daily_duty(0.8, 0.3, charge_rate=[0.5 / HOUR, 0.5 / HOUR], temperature=temps[:, None])
    for model in MODELS:
        q = capacity_fade(model, plain, [1, 5, 10])
        one = capacity_fade(model, mix_duty(plain._replace(temperature=temps[:, None]), [1.0]),
                            [1, 5, 10])  # fmt: skip
        two = capacity_fade(model, mix_duty(both, [0.3, 0.7]), [1, 5, 10])
        np.testing.assert_allclose(one, q, rtol=0, atol=1e-12)
        np.testing.assert_allclose(two, q, rtol=0, atol=1e-9)


def test_several_rates_share_one_grid_and_keep_each_profile():
    rates = [0.25 / HOUR, 2.0 / HOUR]
    both = daily_duty(0.8, 0.3, charge_rate=rates, temperature=298.15)
    for i, c in enumerate(rates):
        one = daily_duty(0.8, 0.3, charge_rate=c, temperature=298.15)
        np.testing.assert_allclose(np.interp(both.time, one.time, one.soc), both.soc[i],
                                   atol=1e-12)  # fmt: skip


def test_scaling_the_fade_scales_it():
    """A correction (f, f) multiplies both fade states: the loss scales by f when the
    capacity feedback is small (year 1 of a gentle duty)."""
    duty = daily_duty(0.8, 0.3, charge_rate=0.25 / HOUR, temperature=298.15)
    loss = 1 - capacity_fade("lfp-gr-250ah", duty, [1])[0]
    scaled = 1 - capacity_fade("lfp-gr-250ah", duty, [1], scale=(0.5, 0.5))[0]
    assert scaled == pytest.approx(0.5 * loss, rel=0.02)


# --- a climate collapsed to one temperature ------------------------------------------------

#: Shanghai's monthly mean air [K] (specs/climates/shanghai.toml), as cell temperatures.
_MONTHS = climate_temperatures("shanghai")[0]
_DAYS = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]) / 365


def test_a_model_with_a_higher_activation_energy_weighs_a_hot_month_more():
    """Eleven months at 10 degC and one at 40 degC: the steeper a model's calendar fade
    rises with temperature, the warmer the one temperature that ages as the year does."""
    from nevcalc.ageing import climate_temperature
    from nevcalc.model.degradation import MODELS, calendar_activation_energy

    year = celsius_to_kelvin(np.array([10.0] * 11 + [40.0]))
    ea = {m: calendar_activation_energy(m) for m in MODELS}
    assert len(set(np.round(list(ea.values()), -3))) == len(ea)  # four distinct slopes
    by_ea = sorted(MODELS, key=ea.get)
    t = [float(climate_temperature(year, m)) for m in by_ea]
    assert np.all(np.diff(t) > 0.1), dict(zip(by_ea, t, strict=True))
    assert all(celsius_to_kelvin(10.0) < x < celsius_to_kelvin(40.0) for x in t)


def test_the_generic_collapse_rises_with_its_activation_energy():
    from nevcalc.model.degradation import effective_temperature

    year = celsius_to_kelvin(np.array([10.0] * 11 + [40.0]))
    t = [float(effective_temperature(year, activation_energy=ea)) for ea in (10e3, 50e3, 90e3)]
    assert t[0] < t[1] < t[2]


@pytest.mark.parametrize("model", ["lfp-gr-250ah", "nmc622-gr-denso", "nca-gr-panasonic3ah",
                                   "nmc811-grsi-lgmj1"])  # fmt: skip
def test_the_collapsed_temperature_ages_the_calendar_as_the_months_do(model):
    """With the cycling fade switched off (``scale=(1, 0)``), a year aged month by month and
    a year at the model's collapsed temperature fade alike; the plain 50 kJ/mol Arrhenius
    mean of every model does not for the models far from 50 kJ/mol."""
    from nevcalc.ageing import climate_temperature
    from nevcalc.model.degradation import effective_temperature, mix_duty

    def fade(temperature, weights=None):
        duty = daily_duty(0.8, 0.3, charge_rate=0.25 / HOUR, temperature=temperature)
        duty = duty if weights is None else mix_duty(duty, weights)
        return capacity_fade(model, duty, [1, 5, 10], scale=(1.0, 0.0))

    months = fade(_MONTHS, _DAYS)
    own = fade(np.atleast_1d(climate_temperature(_MONTHS, model)))[0]
    assert np.max(np.abs(own - months)) < 2e-4
    generic = fade(np.atleast_1d(effective_temperature(_MONTHS, _DAYS)))[0]
    if model == "nmc811-grsi-lgmj1":  # 8 kJ/mol: the 50 kJ/mol mean is far too warm
        assert np.max(np.abs(generic - months)) > 5 * np.max(np.abs(own - months))


# --- several sweeps a day ------------------------------------------------------------------


@pytest.mark.parametrize("model", ["lfp-gr-250ah", "nmc622-gr-denso", "nca-gr-panasonic3ah",
                                   "nmc811-grsi-lgmj1"])  # fmt: skip
def test_ageing_runs_on_continuously_across_whole_sweeps_a_day(model):
    """A taxi driving a little more than two sweeps of its window a day ages a little more
    than one driving two, not a step more: no jump at 1, 2 or 3 sweeps a day (packing the
    sweeps into a first day and parking after it jumped by up to 2.7 percentage points)."""
    from nevcalc.ageing import AGEING_MODELS, ageing_stage

    code = AGEING_MODELS.index(model)

    for lo, hi, rate, temperature in ((0.2, 0.8, 0.13, 298.15), (0.1, 0.9, 0.5, 308.15)):

        def capacity(sweeps_a_day, lo=lo, hi=hi, rate=rate, temperature=temperature):
            got = ageing_stage(code, np.nan, lo, hi, np.asarray(sweeps_a_day) * (hi - lo),
                               rate / HOUR, temperature, 10, 0.7)  # fmt: skip
            return got["capacity_end"]

        for n in (1, 2, 3):
            below, at, above = capacity([n - 1e-4, n, n + 1e-4])
            assert abs(below - at) < 1e-4 and abs(above - at) < 1e-4, (n, below, at, above)
