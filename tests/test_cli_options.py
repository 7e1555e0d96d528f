"""Options that several commands share take the same values and the same bounds."""

from __future__ import annotations

import click
import pytest

from nevcalc.cli import cli
from nevcalc.params import PARAMETERS


def _market_choices():
    out = {}
    for name, command in cli.commands.items():
        for p in command.params:
            if p.name == "market":
                assert isinstance(p.type, click.Choice), name
                out[name] = {c.lower() for c in p.type.choices}
    return out


def test_every_command_with_market_takes_one_set():
    choices = _market_choices()
    assert {"charge", "range"} <= set(choices)
    sets = list(choices.values())
    assert all(s == sets[0] for s in sets), choices
    assert {"cn", "eu", "jp", "uk", "us", "other"} <= sets[0]


@pytest.mark.parametrize("market", ["cn", "eu", "jp", "uk", "us", "other", "JP"])
def test_each_market_answers_in_charge_and_range(run_cli, market):
    code, out, err = run_cli("charge", "--battery", "77kWh", "--market", market, "--no-chart")
    assert code == 0, err
    code, out, err = run_cli("range", "--battery", "77kWh", "--body", "suv", "--market", market)
    assert code == 0, err
    if market == "other":  # no label cycle of its own: the fall-back is said
        assert "no official cycle given: WLTP" in out


def test_a_day_and_a_year_of_driving_have_the_same_cap():
    day, year = PARAMETERS["km_per_day"], PARAMETERS["km_per_year"]
    assert day.unit == year.unit == "km"
    # every distance a day is a distance a year within its bounds, and no more than a
    # day's rounding is lost at either end
    assert year.lo <= day.lo * 365 < year.lo + 365 * 0.01
    assert year.hi - 365 * 0.1 < day.hi * 365 <= year.hi


def test_km_per_day_beyond_the_yearly_cap_is_refused(run_cli):
    code, _, err = run_cli("health", "lfp", "--km-per-day", "600")  # 219,000 km a year
    assert code == 2 and "--km-per-day" in err
    code, _, err = run_cli("health", "lfp", "--km-per-year", "200000 km")
    assert code == 0, err


def test_a_temperature_difference_is_bounded_in_kelvin(run_cli):
    """--temperature-rise is a difference (0-30 K), not a temperature near absolute zero."""
    code, out, _ = run_cli("health", "--help")
    assert code == 0
    assert "[0-30 K]" in " ".join(out.split()) and "-273.15" not in out
    code, _, err = run_cli("health", "lfp", "--climate", "oslo", "--temperature-rise", "40 K")
    assert code == 2 and "0-30 K" in err


@pytest.mark.parametrize(
    "argv",
    [
        ("trip", "kia-ev6-77", "--ambient", "-10"),
        ("compare", "kia-ev6-77", "--trip", "motorway-1000", "--ambient", "-10"),
        ("charge", "kia-ev6-77", "--ambient", "-10"),
    ],
)
def test_a_bad_precondition_is_named_once(argv):
    """The option is named once at the start of the line, as for every other option."""
    from tests.badinput.harness import run_inprocess

    res = run_inprocess((*argv, "--precondition", "1441min"))
    assert res.code == 2
    assert res.err.startswith("nevcalc: error: option --precondition: '1441min'"), res.err
    assert res.err.count("--precondition") == 1, res.err
