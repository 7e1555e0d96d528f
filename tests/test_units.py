"""Units at the edge: parsing, dimension checks and pint's traps."""

import math
import time

import pytest

from nevcalc.units import (
    MAX_TEXT,
    ZERO_CELSIUS,
    DimensionError,
    UnitInputError,
    bare_number,
    celsius_to_kelvin,
    exchange_rate,
    get_registry,
    kelvin_to_celsius,
    si_factor,
    to_si,
)


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


# --- the grammar: <number> <unit>, bounded before any work -----------------------------


def _refused_fast(text, unit="kWh", limit=0.1):
    """``text`` is refused (UnitInputError) within ``limit`` seconds; return the message."""
    get_registry()  # pint's import is not the parser's time
    start = time.perf_counter()
    with pytest.raises(UnitInputError) as err:
        to_si(text, unit, "option --battery")
    assert time.perf_counter() - start < limit, text[:40]
    return str(err.value)


@pytest.mark.parametrize(
    "text",
    [
        "1" * 100_000 + " kWh",  # the old number pattern was quadratic: 20,000 digits took 6.6 s
        "1" * 20_000,
        "9" * 99,  # short enough, but more significant digits than a float holds
        "10**10**10 kWh",  # pint evaluated it (hang)
        "2**2**2**2**2 kWh",  # pint overflowed
        "1e400 kWh",
        "1e-400 kWh",
        "1e0000000000000000000000000000400 kWh",
        "9e300 MWh",  # finite number, infinite in SI
        "3 kWh**100000",
        "3 (" * 30 + "kWh" + ")" * 30,
        "3 " + "kWh " * 24,
        "3 " + "kWh/" * 30 + "h",
        "3 " + "x" * 99_990,
    ],
    ids=lambda t: t[:24] + (f"...({len(t)})" if len(t) > 24 else ""),
)
def test_pathological_text_is_refused_in_milliseconds(text):
    msg = _refused_fast(text)
    assert msg.startswith("option --battery: ")
    assert len(msg) < 300  # the text is not echoed in full


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("77 kWh % 3", "percent sign"),  # pint's modulo read it as 2.31 kWh
        ("10%%", "percent sign"),  # read as 0.1 % before
        ("3 kWh * 2", "no arithmetic"),
        ("3 kWh + 1 kWh", "not part of a unit"),
        ("2 h 30 min", "no arithmetic"),
        ("3 kWh - 1", "not part of a unit"),
        ("1e3**2 kWh", "power applies to a unit"),
        ("3 kWh^10", "power"),
        ("3 kWh/0km", "per N units"),
        ("kWh", "start with a number"),
        ("3 kWh)", "parentheses"),
        ("3 (kWh", "parentheses"),
        ("3 kWh/", "ends early"),
    ],
)
def test_operators_are_refused_not_evaluated(text, why):
    msg = _refused_fast(text)
    assert why in msg
    assert "write a number and a unit, e.g. '12 kWh'" in msg


@pytest.mark.parametrize(
    ("text", "unit", "expected"),
    [
        ("2.3 m^2", "m^2", 2.3),
        ("2.3 m**2", "m^2", 2.3),
        ("2.3 m\u00b2", "m^2", 2.3),
        ("2.3 (m)^2", "m^2", 2.3),
        ("16 kWh / 100 km", "kWh/(100 km)", 16e3 * 3600 / 1e5),
        ("16 kWh/100 mi", "kWh/(100 km)", 16e3 * 3600 / (1e2 * 1609.344)),
        ("0.25/h", "1/h", 0.25 / 3600),
        ("4 1/h", "1/h", 4 / 3600),
        ("3 A h", "A*h", 3 * 3600.0),
        ("3 A*h", "A*h", 3 * 3600.0),
        ("3 A\u00b7h", "A*h", 3 * 3600.0),
        ("2000 full cycles", "efc", 2000.0),
        ("1e300 J", "J", 1e300),
        ("-2.5e-3 kWh", "kWh", -9000.0),
        ("+.5 kWh", "kWh", 1.8e6),
        ("1 kg m/s^2", "W*s/m", 1.0),
    ],
)
def test_unit_expressions_that_stay_readable(text, unit, expected):
    assert to_si(text, unit, "f") == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize(
    "text", ["35 degC", "35degC", "35 \u00b0C", "35\u00b0C", "35 \u2103", "35 deg C",
             "308.15 K", "95 degF", "95\u00b0F"],
)  # fmt: skip
def test_temperatures_in_every_usual_spelling(text):
    assert to_si(text, "K", "option --temperature") == pytest.approx(308.15, abs=1e-9)


@pytest.mark.parametrize(
    ("text", "fix"), [("35C", "35degC"), ("35 C", "35degC"), ("95F", "95degF")]
)
def test_bare_c_or_f_temperature_is_refused_with_the_fix(text, fix):
    with pytest.raises(DimensionError) as err:
        to_si(text, "K", "option --temperature")
    msg = str(err.value)
    assert msg.startswith("option --temperature: ")
    assert f"'{fix}'" in msg and ("coulomb" in msg or "farad" in msg)


def test_c_still_means_per_hour_in_c_rate_fields_only():
    assert to_si("35C", "1/h", "f", c_rate=True) == pytest.approx(35 / 3600)
    with pytest.raises(DimensionError, match="coulomb"):
        to_si("35C", "1/h", "f")


def test_wrong_dimension_message_gives_an_example_in_the_expected_unit():
    with pytest.raises(DimensionError) as err:
        to_si("25 kg", "K", "option --temperature")
    assert "temperature" in str(err.value) and "e.g. '25 degC'" in str(err.value)
    with pytest.raises(DimensionError) as err:
        to_si("16 kWh", "kWh/(100 km)", "option --consumption", example="16 kWh/100km")
    assert "e.g. '16 kWh/100km'" in str(err.value) and "energy per distance" in str(err.value)


@pytest.mark.parametrize("value", [10**400, -(10**400), 1e308])
def test_python_numbers_that_overflow_si_are_refused(value):
    with pytest.raises(UnitInputError, match="finite"):
        to_si(value, "MWh", "f")


def test_quantity_arrays_are_refused_not_a_traceback():
    q = get_registry().Quantity([1.0, 2.0], "kWh")
    with pytest.raises(UnitInputError, match="one finite quantity"):
        to_si(q, "kWh", "f")


@pytest.mark.parametrize("unit", ["kWh**10**10", "kWh % 3", "m" * 200, "2 kWh", "((((m))))"])
def test_unit_strings_of_spec_tables_are_read_by_the_same_grammar(unit):
    get_registry()
    start = time.perf_counter()
    with pytest.raises(UnitInputError):
        si_factor(unit)
    assert time.perf_counter() - start < 0.1


@pytest.mark.parametrize(
    ("text", "expected"),
    [("10", 10.0), (" -2.5e3 ", -2500.0), (".5", 0.5), ("10 %", None), ("1e999", None),
     ("nan", None), ("", None), ("1" * (MAX_TEXT + 1), None)],
)  # fmt: skip
def test_bare_number(text, expected):
    assert bare_number(text) == expected


def test_celsius_and_kelvin_agree_with_pint():
    assert ZERO_CELSIUS == to_si("0 degC", "K", "t")
    for c in (-40.0, 0.0, 25.0, 60.0):
        assert celsius_to_kelvin(c) == pytest.approx(to_si(f"{c} degC", "K", "t"), abs=1e-12)
        assert kelvin_to_celsius(celsius_to_kelvin(c)) == pytest.approx(c, abs=1e-12)


def test_the_celsius_offset_is_written_once():
    """Kelvin <-> degC goes through nevcalc.units, not a hand-written ``+ 273.15``."""
    import re
    from pathlib import Path

    import nevcalc

    offset = re.compile(r"[-+]\s*273\.15(?![0-9])|273\.15\s*[-+]")
    root = Path(nevcalc.__file__).parent
    found = sorted(
        str(p.relative_to(root).as_posix())
        for p in root.rglob("*.py")
        if offset.search(p.read_text(encoding="utf-8"))
    )
    assert found == [], found


def test_celsius_and_kelvin_text_read_without_pint_equal_pints_conversion():
    """``"25 degC"`` and ``"6 K"`` take the pint-free path (a sweep file's temperatures
    load without importing pint); the kelvin they give is pint's to the last bit."""
    import numpy as np

    from nevcalc import units

    reg = units.get_registry()
    rng = np.random.default_rng(0)
    for v in [*rng.uniform(-60.0, 80.0, 500), 25.0, -40.0, 0.0, -273.15, 1e-9]:
        t = repr(float(v))
        for spelled in ("degC", "\u00b0C"):
            assert units._fast(float(t), spelled, "K") is not None
            assert units.to_si(f"{t} {spelled}", "K", "x") == (
                reg.Quantity(float(t), "degC").to("K").magnitude
            )
        assert units.to_si(f"{t} K", "K", "x") == reg.Quantity(float(t), "K").magnitude


@pytest.mark.parametrize(
    ("unit", "old"),
    [
        ("USD/kWh", lambda x: x * 3.6e6),
        ("kWh", lambda x: x / 3.6e6),
        ("kW", lambda x: x / 1e3),
        ("km", lambda x: x / 1e3),
        ("Wh/kg", lambda x: x / 3600),
        ("kWh/(100 km)", lambda x: x * 1e5 / 3.6e6),
        ("1/h", lambda x: x * 3600),
        ("h", lambda x: x / 3600),
        ("%", lambda x: x * 100),
    ],
)
def test_format_si_writes_what_hand_written_factors_wrote(unit, old):
    """Texts that multiplied by hand (``f"{p * 3.6e6:.0f} USD/kWh"``) read the same
    through :func:`format_si`, at the precisions nevcalc prints."""
    import numpy as np

    from nevcalc.units import format_si, from_si

    rng = np.random.default_rng(1)
    si = si_factor(unit) * rng.uniform(0.0, 2000.0, 2000)
    for x in si:
        assert math.isclose(from_si(x, unit), old(x), rel_tol=1e-15, abs_tol=1e-300)
        for spec in (".0f", ".1f", ".3g", ".4g"):
            assert format_si(x, unit, spec) == f"{old(x):{spec}} {unit}"
    assert format_si(612.0, "kWh/(100 km)", ".0f", label="kWh/100 km") == "17 kWh/100 km"


def test_display_units_convert_without_pint():
    """Every display unit of the metrics registry converts pint-free (reporting and
    ``nevcalc charge --json`` do not import pint)."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from nevcalc.metrics import METRICS\n"
        "from nevcalc.units import format_si\n"
        "for m in METRICS.values():\n"
        "    format_si(1.0, m.si_unit or 'dimensionless')\n"
        "    m.offset or format_si(1.0, m.unit)\n"
        "assert 'pint' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_no_hand_written_unit_factors_where_figures_are_shown():
    """Plots, reports, the CLI and the answers' texts convert through
    :func:`nevcalc.units.from_si` / :func:`format_si` or the metrics registry, not by
    hand (``* 3.6e6``, ``/ 1e3``, ``* 100``, ``/ 36`` for kWh/100 km): one formatter,
    so a display unit changes in one place."""
    import re
    from pathlib import Path

    import nevcalc

    factor = re.compile(
        r"3\.6e\d+|(?<![\w.])1e3\b|/ 1000\b|\b3600(\.0)?\b|\b86400\b|/ 60(\.0)?\b"
        r"|(?<![\w.])1e-3\b|\* 100(\.0)?\b|\b100(\.0)? \*|(?<![\w.])1e5\b|[*/] ?36(\.0)?\b"
    )
    root = Path(nevcalc.__file__).parent
    files = [root / "plot.py", root / "cli.py", root / "evaluate.py", root / "cars.py"]
    files += sorted((root / "report").glob("*.py")) + sorted((root / "scenario").glob("*.py"))
    found = [
        f"{p.relative_to(root).as_posix()}:{i}: {line.strip()}"
        for p in files
        for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if factor.search(line.split("#")[0])
    ]
    assert not found, "\n".join(found)
