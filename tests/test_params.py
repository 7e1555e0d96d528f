"""Command options and text arguments: one table of bounds, one percent convention.

Each case of issue 11 that used to give a wrong answer, a traceback or a
hang is here as a regression test: exit code 2, a message that names the
option and the fix, within a time bound.
"""

from __future__ import annotations

import json
import time

import click
import pytest

from nevcalc.errors import InputError
from nevcalc.params import PARAMETERS, bounds_text, parse
from nevcalc.specs.schema import FIELDS

ADHOC = ["--chemistry", "nmc811", "--peak-power", "200kW", "--voltage", "800V"]
BIG = "1" * 100_000


# --- the table ----------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(n for n, p in PARAMETERS.items() if p.field))
def test_parameters_of_spec_fields_use_the_fields_bounds(name):
    p = PARAMETERS[name]
    kind, key = p.field.split(".")
    f = FIELDS[kind][key]
    assert (p.unit, p.lo, p.hi) == (f.unit, f.lo, f.hi)


@pytest.mark.parametrize("name", sorted(n for n, p in PARAMETERS.items() if not p.integer))
def test_every_example_is_valid_and_just_outside_is_refused(name):
    p = PARAMETERS[name]
    si = parse(name, p.example, "example")
    assert p.lo <= _in_unit(p, si) <= p.hi
    for outside in (p.lo - max(abs(p.lo), 1.0) * 0.01, p.hi + max(abs(p.hi), 1.0) * 0.01):
        value = outside if p.share else _text(p, outside)
        with pytest.raises(InputError) as err:
            parse(name, value, "where")
        assert err.value.args[0].startswith("where: ")
        assert bounds_text(p) in str(err.value) and p.example in str(err.value)


def _in_unit(p, si):
    from nevcalc.units import si_factor

    return si if p.unit in ("", "K") else si / si_factor(p.unit)


def _text(p, value):
    return f"{value - 273.15!r} degC" if p.unit == "K" else f"{value!r} {p.unit}"


@pytest.mark.parametrize("name", ["soc_from", "fast_share", "residual", "growth"])
def test_open_or_closed_ends_are_what_the_range_says(name):
    p = PARAMETERS[name]
    for end, is_open in ((p.lo, p.lo_open), (p.hi, p.hi_open)):
        if is_open:
            with pytest.raises(InputError):
                parse(name, end)
        else:
            assert parse(name, end) == end


# --- one percent convention ---------------------------------------------------------


@pytest.mark.parametrize("text", ["10", "10%", "10 %", "10 percent", " 10 "])
def test_share_text_is_percent(text):
    assert parse("soc_from", text) == pytest.approx(0.10)


def test_share_python_numbers_are_fractions():
    assert parse("soc_from", 0.1) == 0.1
    assert parse("soc_to", 1) == 1.0
    with pytest.raises(InputError, match="a Python number is a fraction"):
        parse("soc_to", 80)


@pytest.mark.parametrize("text", ["0.1", ".5", "0.999", "-0.2", "1e-3"])
def test_bare_text_between_0_and_1_is_ambiguous(text):
    with pytest.raises(InputError) as err:
        parse("soc_from", text, "option --from")
    x = float(text)
    msg = str(err.value)
    assert msg.startswith("option --from: ") and "ambiguous" in msg
    assert f"write {x * 100:g}%" in msg and f"{x:g} %" in msg


@pytest.mark.parametrize(("text", "expected"), [("0", 0.0), ("1", 0.01), ("100", 1.0),
                                                 ("0.1 %", 0.001), ("0.1%", 0.001)])  # fmt: skip
def test_unambiguous_share_text(text, expected):
    assert parse("soc_from", text) == pytest.approx(expected)


def test_python_api_reads_text_and_numbers_by_the_same_convention():
    from nevcalc.scenario import charge, load_vehicle

    v = load_vehicle("byd-han-l")
    by_number = charge(v, None, 0.1, 0.8)
    by_text = charge(v, None, "10", "80")
    by_percent = charge(v, None, "10 %", "80%")
    assert (by_text.soc_from, by_text.soc_to) == pytest.approx((0.1, 0.8))
    assert by_text.duration == by_number.duration == by_percent.duration
    with pytest.raises(InputError, match="ambiguous"):
        charge(v, None, "0.1", "0.8")


def test_cli_from_10_is_10_percent_and_0_1_is_refused(run_cli):
    code, out, err = run_cli("charge", "byd-han-l", "--from", "10", "--to", "80", "--json")
    assert code == 0, err
    doc = json.loads(out)
    assert (doc["soc_from"]["value"], doc["soc_to"]["value"]) == (10.0, 80.0)
    code, out2, err = run_cli("charge", "byd-han-l", "--json")  # defaults 10% and 80%
    assert json.loads(out2)["duration"] == doc["duration"]
    code, out, err = run_cli("charge", "byd-han-l", "--from", "0.1", "--to", "0.8")
    assert code == 2 and out == ""
    assert "option --from" in err and "write 10%" in err


def test_help_states_the_convention(run_cli):
    code, out, _ = run_cli("--help")
    assert code == 0 and "--from 10 is 10 %" in " ".join(out.split())
    code, out, _ = run_cli("charge", "--help")
    text = " ".join(out.split())
    assert "10 is 10 %" in text and "[0-100 %]" in text


# --- every issue example: exit 2, the option and the fix, quickly --------------------

CASES = [
    # (args, words in the message)
    (["charge", "byd-han-l", "--from", "10%%"], ["--from", "10%"]),
    (["charge", "--battery", "77 kWh % 3", *ADHOC], ["--battery", "e.g. '77 kWh'"]),
    (["charge", "byd-han-l", "--consumption", "-5 kWh/100km", "--minutes", "5"],
     ["--consumption", "negative", "5-100 kWh/(100 km)"]),
    (["charge", "byd-han-l", "--consumption", "0 kWh/100km", "--minutes", "5"],
     ["--consumption", "5-100 kWh/(100 km)"]),
    (["charge", "--battery", "77kWh", *ADHOC, "--consumption", "-5 kWh/100km"],
     ["--consumption", "negative"]),
    (["charge", "--battery", "77kWh", *ADHOC, "--consumption", "0 kWh/100km"],
     ["--consumption", "below the allowed range"]),
    (["charge", "byd-han-l", "--minutes", "1e9"], ["--minutes", "1440 min"]),
    (["charge", "byd-han-l", "--add", "-400 km"], ["--add", "not positive"]),
    (["charge", "byd-han-l", "--minutes", BIG], ["--minutes", "at most 100 characters"]),
    (["charge", "--battery", "10**10**10 kWh", *ADHOC], ["--battery", "1e10"]),
    (["charge", "--battery", "2**2**2**2**2 kWh", *ADHOC], ["--battery", "1e10"]),
    (["charge", "--battery", "77 kWh", *ADHOC[:4], "--voltage", "1e308 V"],
     ["--voltage", "above the allowed range", "100-1500 V"]),
    (["charge", "--battery", "1e400 kWh", *ADHOC], ["--battery", "largest a float holds"]),
    (["charge", "--battery", "77 kWh", *ADHOC, "--max-current", "-1 A"], ["--max-current"]),
    (["charge", "--battery", "77 kWh", *ADHOC, "--booster", "2 MW"], ["--booster", "0-1000 kW"]),
    (["compare", "byd-han-l", "--minutes", "0"], ["--minutes", "not positive"]),
    (["compare", "byd-han-l", "--to", "0.8"], ["--to", "write 80%"]),
    (["range", "vw-id4-77", "--chemistry", "lfp", "--keep", "range", "--target-range",
      "-600 km"], ["--target-range", "10-3000 km"]),
    (["range", "--battery", "77", "--mass", "1950", "--cd", "0.23", "--frontal-area", "0 m^2"],
     ["--frontal-area", "0.5-15 m^2"]),
    (["range", "--battery", "77", "--mass", "-1950 kg", "--cd", "0.23"], ["--mass"]),
    (["range", "--battery", "77", "--mass", "1950", "--cd", "23"], ["--cd", "0.1-1"]),
    (["cost", "byd-han-l", "--residual", "200%"], ["--residual", "0-100 %"]),
    (["cost", "byd-han-l", "--vehicle-price", "1e308 USD"], ["--vehicle-price"]),
    (["cost", "byd-han-l", "--vehicle-price", "1e299 USD"], ["--vehicle-price", "1e+07 USD"]),
    (["cost", "byd-han-l", "--electricity", "1e299 USD/kWh"], ["--electricity", "0-10 USD/kWh"]),
    (["cost", "byd-han-l", "--discount-rate", "-90%"], ["--discount-rate", "0-100 %"]),
    (["cost", "byd-han-l", "--replace-below", "0.7"], ["--replace-below", "write 70%"]),
    (["cost", "byd-han-l", "--maintenance", "-0.03 USD/km"], ["--maintenance", "negative"]),
    (["cost", "byd-han-l", "--value-of-time", "1e6 EUR/h"], ["--value-of-time"]),
    (["cost", "byd-han-l", "--km-per-year", "10**10**10 km"], ["--km-per-year"]),
    (["cost", "byd-han-l", "--years", "99999999999999999999"], ["--years", "1<=x<=30"]),
    (["cost", "byd-han-l", "--currency", "X" * 100_000], ["--currency", "USD, EUR"]),
    (["health", "lfp", "--soc-window", "1.." * 30_000], ["--soc-window", "30%..80%"]),
    (["health", "lfp", "--efc-per-day", "0"], ["--efc-per-day", "not positive"]),
    (["health", "lfp", "--efc-per-day", "13"], ["--efc-per-day", "up to 12 efc"]),
    (["health", "lfp", "--temperature", "35C"], ["--temperature", "35degC"]),
    (["health", "lfp", "--temperature", "1000 K"], ["--temperature", "-40 to 60 degC"]),
    (["health", "lfp", "--charge-rate", "1e3/h"], ["--charge-rate", "0.01-20 1/h"]),
    (["health", "lfp", "--soc-window", "0.3..0.8"], ["--soc-window", "write 30%"]),
    (["health", "lfp", "--years", "0"], ["--years", "1<=x<=40"]),
    (["trend", "--growth", "0.37"], ["--growth", "write 37%"]),
    (["trend", "--growth", "-90%"], ["--growth", "above -50"]),
    (["trend", "--until", "99999"], ["--until", "2000<=x<=2100"]),
    (["sweep", "x", "--chunk-rows", "0"], ["--chunk-rows"]),
]  # fmt: skip


@pytest.mark.parametrize(("args", "words"), CASES, ids=[" ".join(a)[:60] for a, _ in CASES])
def test_bad_option_is_a_usage_error_naming_the_option_and_the_fix(run_cli, args, words):
    start = time.perf_counter()
    code, out, err = run_cli(*args)
    assert time.perf_counter() - start < 5  # no hang: refused before any work
    assert code == 2, (out, err)
    assert "Traceback" not in out + err
    assert len(err.strip().splitlines()) == 1 and len(err) < 400, err
    for w in words:
        assert w in err, err


@pytest.mark.parametrize(
    "text", ["35 degC", "35degC", "35 \u00b0C", "35\u00b0C", "308.15 K", "95 degF", "35"]
)
def test_cli_temperature_spellings_agree(run_cli, text):
    code, out, err = run_cli("health", "lfp", "--temperature", text, "--json")
    assert code == 0, err
    assert json.loads(out)["temperature"] == {"value": pytest.approx(35.0), "unit": "degC"}


def test_health_option_checks_run_before_any_allocation(run_cli):
    # efc-per-day 1e-9 meant a sweep every 1.4 million years: 89 GiB of hourly samples
    start = time.perf_counter()
    code, _, err = run_cli("health", "lfp", "--efc-per-day", "1e-9", "--soc-window", "0..100")
    assert code == 0, err
    assert time.perf_counter() - start < 10


def test_python_api_bounds_match_the_options():
    from nevcalc import catalog
    from nevcalc.scenario.cost import lifecycle
    from nevcalc.scenario.health import health
    from nevcalc.scenario.road import adhoc_road_vehicle

    with pytest.raises(InputError, match="residual"):
        lifecycle("byd-han-l", residual="200%")
    with pytest.raises(InputError, match="vehicle-price"):
        lifecycle("byd-han-l", vehicle_price=1e308)
    with pytest.raises(InputError, match="efc per day"):
        health(catalog.load("lfp", "chemistry"), efc_per_day=0.0)
    with pytest.raises(InputError, match="frontal_area"):
        adhoc_road_vehicle(77, 1950, 0.23, frontal_area="-2 m^2")


# --- every option of every command is bounded ----------------------------------------

#: Options that take a name, a path or an address, not a quantity.
NAMES = {"charger", "chemistry", "usage", "cycle", "data", "plot", "output", "scheduler",
         "currency", "climate", "route", "chargers", "stations", "trip", "host"}  # fmt: skip
#: Options read as parameters of another name.
ALIASES = {"precondition": "precondition_time", "from": "soc_from", "to": "soc_to",
           "add": "add_distance", "booster": "booster_power",
           "soc_window": "soc_low", "pack": "pack_energy", "at": "at_distance",
           "distance": "trip_distance", "start": "start_soc",
           "overhead": "stop_overhead", "price": "fast_price"}  # fmt: skip


def _options():
    from nevcalc.cli import cli

    def walk(cmd, path):
        if isinstance(cmd, click.Group):
            for name, sub in cmd.commands.items():
                yield from walk(sub, [*path, name])
        else:
            for p in cmd.params:
                if isinstance(p, click.Option) and not p.is_flag and p.name != "help":
                    yield " ".join(path), p

    return list(walk(cli, []))


@pytest.mark.parametrize(("command", "option"), _options(), ids=lambda x: getattr(x, "name", x))
def test_every_option_is_a_name_or_a_bounded_parameter(command, option):
    flag = option.opts[-1].lstrip("-").replace("-", "_")
    if isinstance(option.type, click.Choice) or flag in NAMES:
        return
    if isinstance(option.type, click.IntRange):
        assert option.type.min is not None and option.type.max is not None
        return
    name = ALIASES.get(flag, flag)
    assert name in PARAMETERS, f"nevcalc {command} --{flag}: not in nevcalc.params"
    assert bounds_text(PARAMETERS[name]) in (option.help or ""), "its range is in --help"


def test_spec_file_quantities_are_read_by_the_same_grammar(run_cli, tmp_path):
    """'10**10**10 kWh' in a spec file hung validation and then `specs list`."""
    folder = tmp_path / "specs" / "vehicles"
    folder.mkdir(parents=True)
    fields = {
        "battery_usable_energy": "10**10**10 kWh",
        "voltage_class": "800 V",
        "max_charge_power": "2**2**2**2**2 kW",
        "consumption": "16 kWh/100km % 3",
    }
    lines = ['kind = "vehicle"', 'title = "t"', 'make = "m"', 'model = "x"',
             'chemistry = "nmc811"'] + [
        f'{k} = {{ value = "{v}", source = "s", kind = "assumed" }}' for k, v in fields.items()
    ]  # fmt: skip
    (folder / "bad-car.toml").write_text("\n".join(lines) + "\n")
    start = time.perf_counter()
    code, out, err = run_cli("specs", "validate", str(folder / "bad-car.toml"))
    assert time.perf_counter() - start < 5
    assert code == 1 and "Traceback" not in out + err
    for key in ("battery_usable_energy", "max_charge_power", "consumption"):
        assert f"{key}: cannot read" in err, err
    assert "voltage_class" not in err


@pytest.mark.parametrize(
    ("text", "expected"),
    [("30%..80%", (0.3, 0.8)), ("30..80", (0.3, 0.8)), ("20 %...90 %", (0.2, 0.9))],
)
def test_parse_window_reads_low_and_high(text, expected):
    from nevcalc.params import parse_window

    assert parse_window(text) == pytest.approx(expected, rel=1e-15)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("30%", "option --soc-window: '30%'; write low..high, e.g. 30%..80%"),
        ("10..20..30", "option --soc-window: '10..20..30'; write low..high"),
        ("x" * 50, "option --soc-window: '" + "x" * 40 + "'...; write low..high"),
        ("30..0.8", "option --soc-window: '0.8' is ambiguous"),
    ],
)
def test_parse_window_refuses_with_the_option_named(text, message):
    from nevcalc.errors import InputError
    from nevcalc.params import parse_window

    with pytest.raises(InputError) as exc:
        parse_window(text, "option --soc-window")
    assert str(exc.value).startswith(message)


def test_a_closed_bound_given_in_another_unit_is_inside():
    """-40 degC is 233.14999999999998 K in floating point: still the bound 233.15 K."""
    assert parse("ambient", "-40degC") == pytest.approx(233.15)
    assert parse("ambient", "50degC") == pytest.approx(323.15)
    with pytest.raises(InputError, match="below the allowed range"):
        parse("ambient", "-40.001degC")
