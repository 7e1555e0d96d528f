"""Units at the edge: parsing, dimension checks and pint's traps."""

import math

import pytest

from nevcalc.units import DimensionError, UnitInputError, exchange_rate, si_factor, to_si


@pytest.mark.parametrize(
    ("text", "unit", "expected"),
    [
        ("350 Wh/kg", "Wh/kg", 350 * 3600.0),
        ("1 kWh", "kWh", 3.6e6),
        ("3.6 MJ", "kWh", 3.6e6),
        ("1000 A", "A", 1000.0),
        ("1 kA", "A", 1000.0),
        ("10 %", "", 0.1),
        ("10%", "percent", 0.1),
        ("16 kWh/(100 km)", "kWh/(100 km)", 16e3 * 3600 / 1e5),
        ("16 kWh/100km", "kWh/(100 km)", 16e3 * 3600 / 1e5),
        ("160 Wh/km", "kWh/(100 km)", 16e3 * 3600 / 1e5),
        ("4 /h", "1/h", 4 / 3600),
        ("249 mi", "km", 249 * 1609.344),
        (12, "kW", 12e3),
    ],
)
def test_parses_to_si(text, unit, expected):
    assert to_si(text, unit, "test") == pytest.approx(expected, rel=1e-12)


def test_wrong_dimension_names_where_expected_and_given():
    with pytest.raises(DimensionError) as err:
        to_si("77.4 kg", "kWh", "specs/x.toml: battery_usable_energy")
    msg = str(err.value)
    assert msg.startswith("specs/x.toml: battery_usable_energy")
    assert "energy" in msg and "mass" in msg and "77.4 kg" in msg


def test_c_rate_trap_coulomb_is_refused_with_a_hint():
    with pytest.raises(DimensionError, match="coulomb"):
        to_si("4C", "1/h", "option")


def test_c_rate_fields_accept_4c_and_bare_numbers():
    assert to_si("4C", "1/h", "f", c_rate=True) == pytest.approx(4 / 3600)
    assert to_si(4, "1/h", "f", c_rate=True) == pytest.approx(4 / 3600)


def test_cycle_trap_counts_not_angles():
    # pint's 'cycle' is one turn (2 pi rad, dimensionless): 2000 cycles would read as 12566
    assert to_si("2000 cycles", "efc", "f") == pytest.approx(2000.0)
    assert to_si("1 cycle", "efc", "f") == pytest.approx(1.0)


@pytest.mark.parametrize(
    "bad", ["nan kWh", "inf kWh", "NaN", float("nan"), float("inf"), "", "  "]
)
def test_non_finite_or_empty_is_refused(bad):
    with pytest.raises(UnitInputError):
        to_si(bad, "kWh", "f")


@pytest.mark.parametrize("bad", ["12 blorps", "kWh kWh 3", "3 kWh +", True, [1, 2], None])
def test_unreadable_is_refused(bad):
    with pytest.raises(UnitInputError):
        to_si(bad, "kWh", "f")


def test_money_is_its_own_dimension_with_dated_rates():
    assert to_si("1 EUR", "USD", "f") == pytest.approx(exchange_rate("EUR"))
    assert exchange_rate("CNY", 2021) != exchange_rate("CNY", 2024)
    with pytest.raises(DimensionError):
        to_si("1 EUR", "kWh", "f")
    with pytest.raises(UnitInputError):
        exchange_rate("GBP")


def test_si_factor_round_trip():
    assert si_factor("kWh") == pytest.approx(3.6e6)
    assert math.isclose(si_factor("min"), 60.0)
