"""What the CLI prints: tables that fit any terminal, strict JSON, CSV, stdout failures."""

from __future__ import annotations

import csv
import io
import json
import math
import os
import re
import subprocess
import sys

import pytest

from nevcalc import report
from nevcalc.tables import Column, fit_columns, print_table

WIDTHS = (60, 80, 100, 140, 200)
COMPARE = ("byd-han-l", "byd-han-ev-2020", "kia-ev6-77", "tesla-model-3-lr-2019")
CHARGERS = ("ionity-350", "tesla-v2")
NUMBER = re.compile(r"-?\d[\d,]*(?:\.\d+)?")


def _console(width: int):
    from rich.console import Console

    return Console(width=width, file=io.StringIO(), color_system=None, legacy_windows=False)


def _compare_answers():
    from nevcalc.cli import _official_range, _running_cost, _year8_health
    from nevcalc.scenario import charge, load_charger, load_vehicle

    rows, names, chargers = [], [], []
    for n in COMPARE:
        for c in CHARGERS:
            rows.append(charge(load_vehicle(n), load_charger(c), 0.1, 0.8, minutes="10 min"))
            names.append(n)
            chargers.append(c)
    ranges = [_official_range(n) for n in names]
    healths = _year8_health([r.vehicle.chemistry for r in rows])
    costs = [_running_cost(n, c, r) for n, c, r in zip(names, chargers, rows, strict=True)]
    return rows, ranges, healths, costs


@pytest.fixture(scope="module")
def compare_answers():
    return _compare_answers()


def _body_cells(text: str) -> list[list[str]]:
    """The cells of each body line of a boxed table (one list per printed line)."""
    lines = [ln for ln in text.splitlines() if ln.startswith("│")]
    return [[c.strip() for c in ln.strip("│").split("│")] for ln in lines]


@pytest.mark.parametrize("width", WIDTHS)
def test_compare_table_fits_and_keeps_every_number_whole(compare_answers, width):
    rows, ranges, healths, costs = compare_answers
    cols, cells, _notes = report.compare_table(rows, ranges, healths, costs)
    con = _console(width)
    report.render_compare(rows, ranges, healths, costs, console=con)
    out = con.file.getvalue()
    assert "…" not in out
    assert max(len(ln) for ln in out.splitlines()) <= width
    shown, _ = fit_columns(cols, cells, width)
    headers = [cols[i].header for i in shown]
    left_out = [c.header for i, c in enumerate(cols) if i not in shown]
    # every column is shown or named in the note, and the note says how to get it
    if left_out:
        note = " ".join(out.split())
        assert "left out for the terminal's width" in note and "--csv" in note
        for h in left_out:
            assert h in note
    else:
        assert "left out" not in out
    assert "vehicle" in headers and "time" in headers
    # every numeric cell shown appears whole on one line of the table body
    body = _body_cells(out)
    for r in cells:
        for i in shown:
            if cols[i].numeric and r[i] != "-":
                k = shown.index(i)
                assert any(line[k] == r[i] for line in body if len(line) == len(shown)), (
                    width,
                    cols[i].header,
                    r[i],
                )


def test_compare_table_at_200_columns_shows_every_column(compare_answers):
    rows, ranges, healths, costs = compare_answers
    cols, _cells, _ = report.compare_table(rows, ranges, healths, costs)
    con = _console(200)
    report.render_compare(rows, ranges, healths, costs, console=con)
    out = con.file.getvalue()
    assert "left out" not in out
    flat = " ".join(out.split())
    for c in cols:
        for word in c.header.split():
            assert word in flat


def test_compare_binding_limits_survive_140_columns(compare_answers):
    rows, ranges, healths, costs = compare_answers
    cols, cells, _ = report.compare_table(rows, ranges, healths, costs)
    shown, _ = fit_columns(cols, cells, 140)
    assert "binding limits (P power, I current)" in [cols[i].header for i in shown]
    con = _console(140)
    report.render_compare(rows, ranges, healths, costs, console=con)
    assert "binding" in con.file.getvalue() and "left out" not in con.file.getvalue()


@pytest.mark.parametrize("width", (20, 40, 60, 80, 120))
def test_generic_table_never_cuts_numbers(width):
    cols = [
        Column("name", keep=True),
        Column("a long numeric header", unit="kWh", numeric=True, priority=5),
        Column("b", unit="km", numeric=True, priority=4),
        Column("free text that wraps", priority=3),
        Column("source", fold=True, priority=1),
    ]
    rows = [
        ["car-one", "123456.7", "-12.5", "a b c d e f g h", "https://example.org/" + "x" * 60],
        ["car-two", "1,234,567", "0.001", "word " * 12, "short"],
    ]
    con = _console(width)
    left = print_table(cols, rows, con, title="t")
    out = con.file.getvalue()
    assert "…" not in out
    shown = [c for c in cols if c not in left]
    for r in rows:
        for i, c in enumerate(cols):
            if c.numeric and c in shown:
                assert r[i] in out, (width, r[i])
    if left:
        assert all(c.header in " ".join(out.split()) for c in left)


def test_compare_repeated_charger_compares_across_them(run_cli):
    code, out, err = run_cli(
        "compare", "byd-han-l", "kia-ev6-77", "--charger", "ionity-350", "--charger",
        "tesla-v3", "--json",
    )  # fmt: skip
    assert code == 0, err
    pairs = [(d["vehicle"], d["charger"]) for d in json.loads(out)["vehicles"]]
    assert pairs == [
        ("byd-han-l", "ionity-350"),
        ("byd-han-l", "tesla-v3"),
        ("kia-ev6-77", "ionity-350"),
        ("kia-ev6-77", "tesla-v3"),
    ]
    docs = {p: d for p, d in zip(pairs, json.loads(out)["vehicles"], strict=True)}
    # the 250 kW Tesla V3 caps the Han below what the 350 kW Ionity gives
    assert (
        docs[("byd-han-l", "tesla-v3")]["peak_power"]["value"]
        < docs[("byd-han-l", "ionity-350")]["peak_power"]["value"]
    )
    code, out, err = run_cli(
        "compare", "byd-han-l", "--charger", "ionity-350", "--charger", "tesla-v3"
    )
    assert code == 0, err
    assert "ionity-350" in out and "tesla-v3" in out


def test_compare_csv_has_every_column_with_units(run_cli):
    code, out, err = run_cli(
        "compare", "byd-han-l", "kia-ev6-77", "--charger", "ionity-350", "--charger", "tesla-v2",
        "--csv",
    )  # fmt: skip
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 4
    header = set(rows[0])
    for col in (
        "vehicle", "charger", "duration [min]", "km_in_10_min [km]", "peak_power [kW]",
        "range [km]", "consumption [kWh/(100 km)]", "capacity_year_8 [%]",
        "running_cost [USD/km]", "binding_limits", "reason", "usable_energy [kWh]",
    ):  # fmt: skip
        assert col in header, col
    code, jout, _ = run_cli(
        "compare", "byd-han-l", "kia-ev6-77", "--charger", "ionity-350", "--charger", "tesla-v2",
        "--json",
    )  # fmt: skip
    for row, doc in zip(rows, json.loads(jout)["vehicles"], strict=True):
        assert row["vehicle"] == doc["vehicle"] and row["charger"] == doc["charger"]
        if doc["duration"]["value"] is None:
            assert row["duration [min]"] == "" and row["reason"]
        else:
            assert float(row["duration [min]"]) == doc["duration"]["value"]
    code, _, err = run_cli("compare", "byd-han-l", "--json", "--csv")
    assert code == 2 and "choose one" in err


# ---------------------------------------------------------------- strict JSON


def _strict(text: str):
    def refuse(name):
        raise AssertionError(f"{name} in JSON output")

    return json.loads(text, parse_constant=refuse)


def _check_quantities(doc, path="$", unit=False):
    """Every {"value": ...} has a unit, a null value a reason; every number is finite, and
    every fractional number sits in an object that states its unit."""
    if isinstance(doc, dict):
        if "value" in doc and not isinstance(doc["value"], str):
            assert "unit" in doc, f"{path}: a quantity without a unit: {doc}"
            if doc["value"] is None:
                assert doc.get("reason"), f"{path}: null without a reason"
        has_unit = "unit" in doc or "x_unit" in doc
        for k, v in doc.items():
            _check_quantities(v, f"{path}.{k}", has_unit)
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            _check_quantities(v, f"{path}[{i}]", unit)
    elif isinstance(doc, float):
        assert math.isfinite(doc), path
        assert unit, f"{path}: {doc} is a bare number; give it a unit"


def _json_commands():
    from nevcalc.scenario.scenarios import list_scenarios

    cmds = [
        ("charge", "byd-han-l", "--charger", "byd-megawatt", "--minutes", "5", "--add", "400 km"),
        ("charge", "byd-han-l", "--charger", "tesla-v2"),
        ("charge", "byd-han-ev-2020", "--charger", "tesla-v2", "--minutes", "5"),
        ("compare",),
        ("compare", "byd-han-l", "kia-ev6-77", "--charger", "ionity-350", "--charger", "tesla-v2"),
        ("range", "kia-ev6-77"),
        ("range", "kia-ev6-77", "--chemistry", "solid-state", "--keep", "mass"),
        ("health", "lfp"),
        ("health", "solid-state", "--years", "40"),
        ("specs", "fields", "vehicle"),
        ("specs", "list"),
        ("scenario", "list"),
        ("cost", "byd-han-l"),
        ("trend",),
        ("specs", "show", "kia-ev6-77"),
        ("specs", "show", "nmc811"),
        ("specs", "show", "ionity-350"),
    ]
    cmds += [("scenario", "run", n) for n, _t, _p in list_scenarios()]
    return cmds


def _shipped(kind):
    from nevcalc.io import BUNDLED_SPECS

    folder = {"chemistry": "chemistries", "usage": "usage"}.get(kind, kind + "s")
    return sorted(p.stem for p in (BUNDLED_SPECS / folder).glob("*.toml"))


def _every_shipped_name():
    cmds = [("health", c, "--years", "40") for c in _shipped("chemistry")]
    for v in _shipped("vehicle"):
        cmds += [
            ("cost", v),
            ("range", v),
            ("charge", v, "--charger", "tesla-v2", "--minutes", "5"),
        ]
    cmds += [("specs", "show", n) for n in _shipped("charger") + _shipped("usage")]
    return cmds


@pytest.mark.parametrize("args", _json_commands(), ids=" ".join)
def test_every_json_document_is_strict_with_units(run_cli, args):
    code, out, err = run_cli(*args, "--json")
    assert code == 0, err
    _check_quantities(_strict(out))


@pytest.mark.parametrize("args", _every_shipped_name(), ids=" ".join)
def test_every_shipped_name_gives_strict_json(run_cli, args):
    code, out, err = run_cli(*args, "--json")
    assert code == 0, err
    _check_quantities(_strict(out))


@pytest.mark.parametrize("price", ["1e308 USD", "1e299 USD", "1e30 USD", "9e15 CNY"])
def test_huge_money_is_refused_or_strict(run_cli, price):
    code, out, err = run_cli("cost", "byd-han-l", "--vehicle-price", price, "--json")
    if code == 0:
        _check_quantities(_strict(out))
    else:
        assert code == 2 and err.count("\n") == 1 and "--vehicle-price" in err


def test_quantity_never_carries_inf_or_nan():
    for x in (math.inf, -math.inf, math.nan, None, 1e308):
        q = report.quantity(x, "%")  # 1e308 / 0.01 overflows to inf
        assert q["value"] is None and q["reason"] and q["unit"] == "%"
    assert report.quantity(3.6e6, "kWh") == {"value": 1.0, "unit": "kWh"}
    assert report.money(math.inf, "USD")["value"] is None
    assert report.money(1.23456, "USD") == {"value": 1.235, "unit": "USD"}


def test_emitter_refuses_non_finite_numbers_with_one_line(run_cli, monkeypatch):
    import numpy as np

    from nevcalc import cli

    def bad_document(ans):
        return {"total": {"value": np.float64(np.inf), "unit": "USD"}, "n": np.int64(3)}

    monkeypatch.setattr(report, "trend_document", bad_document)
    code, out, err = run_cli("trend", "--json")
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and "$.total.value" in err and "Traceback" not in err
    # numpy scalars are written as plain numbers
    cli._emit_json({"x": np.float64(1.5), "n": np.int64(3), "a": np.arange(2)})


# ------------------------------------------------------ stdout failures, exit codes


def _nevcalc(args, **kw):
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    code = "import sys; from nevcalc.cli import main; main(sys.argv[1:])"
    return subprocess.Popen([sys.executable, "-c", code, *args], env=env, **kw)


@pytest.mark.parametrize(
    "args",
    [
        ("charge", "byd-han-l", "--charger", "byd-megawatt", "--json"),
        ("charge", "byd-han-l", "--charger", "byd-megawatt"),
        ("compare", "byd-han-l", "--csv"),
    ],
)
def test_full_disk_on_stdout_is_one_line_and_exit_1(args):
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full on this system")
    with open("/dev/full", "w") as full:
        p = _nevcalc(args, stdout=full, stderr=subprocess.PIPE, text=True)
        _, err = p.communicate(timeout=120)
    assert p.returncode == 1, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "stdout" in lines[0] and "No space left" in lines[0], err


def test_closed_pipe_exits_quietly_with_1():
    p = _nevcalc(
        ("specs", "show", "kia-ev6-77", "--json"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    p.stdout.close()  # the reader is gone before anything is written, as with `| head -0`
    err = p.stderr.read().decode()
    p.wait(timeout=120)
    assert p.returncode == 1
    assert err == "", err


def test_keyboard_interrupt_is_one_line_and_130(run_cli, monkeypatch):
    import nevcalc.scenario.trend as trend_mod

    def interrupted(*a, **k):
        raise KeyboardInterrupt

    monkeypatch.setattr(trend_mod, "trend", interrupted)
    code, _out, err = run_cli("trend")
    assert code == 130
    assert [ln for ln in err.splitlines() if ln.strip()] == ["nevcalc: interrupted"]


def test_unexpected_failure_is_one_line_without_traceback(run_cli, monkeypatch):
    import nevcalc.scenario.trend as trend_mod

    def broken(*a, **k):
        raise ZeroDivisionError("float division by zero")

    monkeypatch.setattr(trend_mod, "trend", broken)
    monkeypatch.delenv("NEVCALC_DEBUG", raising=False)
    code, _out, err = run_cli("trend")
    assert code == 1
    assert err.count("\n") == 1 and "internal error" in err and "Traceback" not in err


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (("charge", "no-such-car"), 2),
        (("charge", "byd-han-l", "--no-such-option"), 2),
        (("compare", "byd-han-l", "--charger", "no-such-charger"), 2),
        (("charge", "byd-han-l", "--from", "80", "--to", "10"), 2),
        (("specs", "show", "no-such-spec", "--json"), 2),
    ],
)
def test_usage_problems_exit_2_with_one_line(run_cli, args, code):
    got, _out, err = run_cli(*args)
    assert got == code, err
    assert err.count("\n") == 1 and err.startswith("nevcalc: error: ") and "Traceback" not in err


def test_compare_table_of_a_car_without_figures_is_quiet(run_cli, tmp_path, recwarn):
    import warnings

    (tmp_path / "specs" / "vehicles").mkdir(parents=True)
    (tmp_path / "specs" / "vehicles" / "mycar.toml").write_text(
        'kind = "vehicle"\ntitle = "My car"\nmake = "Me"\nmodel = "Car"\nchemistry = "nmc811"\n'
        'battery_usable_energy = "60 kWh"\nvoltage_class = "400 V"\n'
        'max_charge_power = "100 kW"\n[provenance]\nsource = "my datasheet"\nkind = "claimed"\n'
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        code, out, err = run_cli("compare", "mycar")
        assert code == 0, err
        code, jout, err = run_cli("compare", "mycar", "--json")
        assert code == 0, err
    doc = _strict(jout)["vehicles"][0]
    assert doc["range"]["value"] is None and "road-load" in doc["range"]["reason"]
    _check_quantities(doc)
    assert "mycar" in out and "Warning" not in err


@pytest.mark.parametrize("width", WIDTHS)
def test_specs_tables_fit_without_cutting_names(width):
    from nevcalc import catalog
    from nevcalc.specs.schema import FIELDS

    con = _console(width)
    report.render_fields("vehicle", console=con)
    out = con.file.getvalue()
    assert "…" not in out and max(len(ln) for ln in out.splitlines()) <= width
    for name in FIELDS["vehicle"]:
        assert any(c == name for line in _body_cells(out) for c in line[:1]), name
    items = [(k, n, catalog.load(n, k).title, p) for k, n, p in catalog.list_specs("vehicle")]
    con = _console(width)
    report.render_spec_list(items, console=con)
    out = con.file.getvalue()
    assert "…" not in out and max(len(ln) for ln in out.splitlines()) <= width
    for _k, n, _t, _p in items:
        assert n in out
    con = _console(width)
    report.render_spec(catalog.load("kia-ev6-77", "vehicle"), console=con)
    out = con.file.getvalue()
    assert "…" not in out and "77.4 kWh" in out


def test_specs_fields_json_lists_allowed_values(run_cli):
    code, out, err = run_cli("specs", "fields", "charger", "--json")
    assert code == 0, err
    fields = {f["name"]: f for f in _strict(out)}
    assert fields["current_type"]["choices"] == ["dc", "ac"]
    assert fields["max_power"]["bounds"]["unit"] == "kW"
    code, out, err = run_cli("specs", "fields", "charger")
    assert code == 0 and "dc, ac" in out


def test_sweep_over_all_vehicles_with_a_car_without_figures_warns_nothing(
    run_cli, tmp_path, recwarn
):
    """A car without road-load figures joins "all": its rows are unanswered, quietly."""
    import warnings

    (tmp_path / "specs" / "vehicles").mkdir(parents=True)
    (tmp_path / "specs" / "vehicles" / "mycar.toml").write_text(
        'kind = "vehicle"\ntitle = "My car"\nmake = "Me"\nmodel = "Car"\nchemistry = "nmc811"\n'
        'battery_usable_energy = "60 kWh"\nvoltage_class = "400 V"\n'
        'max_charge_power = "100 kW"\n[provenance]\nsource = "my datasheet"\nkind = "claimed"\n'
    )
    (tmp_path / "all.toml").write_text(
        'kind = "sweep"\ntitle = "all cars"\n[base]\ncharger = "ionity-350"\n'
        'vehicle = "byd-han-l"\nyears = 10\n[[axis]]\nfield = "vehicle"\nvalues = "all"\n'
        '[summary]\ngroup_by = ["vehicle"]\n'
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        code, out, err = run_cli("sweep", str(tmp_path / "all.toml"), "--summary")
    assert code == 0, err
    assert "mycar" in out and "Warning" not in err


def test_range_and_trend_csv_match_their_json(run_cli):
    args = ("range", "kia-ev6-77", "--chemistry", "solid-state", "--keep", "mass")
    code, out, err = run_cli(*args, "--csv")
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    _, jout, _ = run_cli(*args, "--json")
    doc = _strict(jout)
    assert [r["case"] for r in rows] == ["before", "after"]
    for r, key in zip(rows, ("before", "after"), strict=True):
        assert float(r["range [km]"]) == doc[key]["range"]["value"]
        assert float(r["pack_mass [kg]"]) == doc[key]["pack_mass"]["value"]
    code, out, err = run_cli("trend", "--until", "2030", "--csv")
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    _, jout, _ = run_cli("trend", "--until", "2030", "--json")
    prices = _strict(jout)["pack_price"]
    assert [int(r["year"]) for r in rows] == [p["year"] for p in prices]
    col = next(c for c in rows[0] if c.startswith("price_by_volume ["))
    for r, p in zip(rows, prices, strict=True):
        assert float(r[col]) == pytest.approx(p["value"], abs=0.006)
    for cmd in (("trend",), ("range", "kia-ev6-77")):
        code, _, err = run_cli(*cmd, "--json", "--csv")
        assert code == 2 and "choose one" in err


@pytest.mark.parametrize("width", (10, 24))
def test_too_narrow_for_a_table_prints_records_with_every_number(compare_answers, width):
    rows, ranges, healths, costs = compare_answers
    cols, cells, _ = report.compare_table(rows, ranges, healths, costs)
    con = _console(width)
    report.render_compare(rows, ranges, healths, costs, console=con)
    out = con.file.getvalue()
    assert "…" not in out
    lines = out.splitlines()
    for r in cells:
        for c, cell in zip(cols, r, strict=True):
            if c.numeric and cell != "-" and len(cell) <= width:
                assert any(cell in ln for ln in lines), (c.header, cell)


def test_a_stray_warning_is_one_line(run_cli, monkeypatch):
    import warnings

    import nevcalc.scenario.trend as trend_mod

    real = trend_mod.trend

    def noisy(*a, **k):
        warnings.warn("invalid value encountered in divide", RuntimeWarning, stacklevel=1)
        return real(*a, **k)

    monkeypatch.setattr(trend_mod, "trend", noisy)
    with warnings.catch_warnings():
        warnings.simplefilter("always")
        code, _out, err = run_cli("trend", "--json")
    assert code == 0
    assert err.count("\n") == 1 and err.startswith("nevcalc: warning: RuntimeWarning: invalid")
    assert warnings.showwarning is not __import__("nevcalc.cli").cli._show_warning


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize(
    "args",
    [
        ("compare", "byd-han-l", "byd-han-ev-2020", "--charger", "ionity-350", "--charger",
         "tesla-v2"),
        ("specs", "fields", "vehicle"),
        ("specs", "list"),
        ("specs", "show", "kia-ev6-77"),
        ("range", "kia-ev6-77", "--chemistry", "solid-state", "--keep", "mass"),
        ("scenario", "run", "byd-super-e-platform"),
        ("trend",),
    ],
    ids=" ".join,
)  # fmt: skip
def test_cli_output_honours_columns(run_cli, monkeypatch, args, width):
    monkeypatch.setenv("COLUMNS", str(width))
    code, out, err = run_cli(*args)
    assert code == 0, err
    assert "…" not in out
    too_wide = [ln for ln in out.splitlines() if len(ln) > width]
    assert not too_wide, too_wide[:3]


def test_an_ascii_stdout_gets_one_line_naming_the_encoding():
    env = dict(os.environ, PYTHONIOENCODING="ascii", PYTHONPATH=os.pathsep.join(sys.path))
    code = "import sys; from nevcalc.cli import main; main(sys.argv[1:])"
    p = subprocess.run(
        [sys.executable, "-c", code, "charge", "byd-han-l"],
        env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert p.returncode == 1
    lines = p.stderr.strip().splitlines()
    assert len(lines) == 1 and "PYTHONIOENCODING=utf-8" in lines[0] and "ascii" in lines[0]
    assert "internal error" not in lines[0]


def _numbers():
    from hypothesis import strategies as st

    return st.one_of(
        st.floats(-1e9, 1e9, allow_nan=False).map(lambda x: f"{x:,.2f}"),
        st.integers(-(10**12), 10**12).map(str),
        st.floats(0, 1e4, allow_nan=False).map(lambda x: f"{x:.1f} min"),
        st.just("-"),
    )


def _texts():
    from hypothesis import strategies as st

    word = st.text("abcdefghijklmnopqrstuvwxyz-%0123456789", min_size=1, max_size=14)
    return st.lists(word, min_size=0, max_size=8).map(" ".join)


def _tables():
    from hypothesis import strategies as st

    @st.composite
    def build(draw):
        ncols = draw(st.integers(1, 9))
        kinds = [draw(st.sampled_from(["num", "text", "fold"])) for _ in range(ncols)]
        cols = [
            Column(
                draw(_texts().filter(bool)),
                numeric=k == "num",
                fold=k == "fold",
                keep=i == 0,
                priority=draw(st.integers(0, 9)),
            )
            for i, k in enumerate(kinds)
        ]
        nrows = draw(st.integers(1, 6))
        rows = [
            [draw(_numbers()) if k == "num" else draw(_texts()) for k in kinds]
            for _ in range(nrows)
        ]
        return cols, rows, draw(st.integers(30, 220))

    return build()


def test_any_table_fits_with_numbers_whole():
    from hypothesis import given, settings

    @settings(max_examples=150, deadline=None)
    @given(_tables())
    def check(table):
        cols, rows, width = table
        con = _console(width)
        left = print_table(cols, rows, con, title="t")
        out = con.file.getvalue()
        assert "…" not in out
        lines = out.splitlines()
        assert all(len(ln) <= width for ln in lines), width
        flat = " ".join(out.split())
        for c in left:  # every column left out is named in the note
            assert " ".join(c.header.split()) in flat
        for r in rows:
            for c, cell in zip(cols, r, strict=True):
                if c.numeric and c not in left and len(cell) <= width:
                    assert any(cell in ln for ln in lines), (width, c.header, cell)

    check()


def test_scenario_csv_matches_its_json(run_cli):
    code, out, err = run_cli("scenario", "run", "byd-super-e-platform", "--csv")
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    _, jout, _ = run_cli("scenario", "run", "byd-super-e-platform", "--json")
    cases = _strict(jout)["cases"]
    assert [r["case"] for r in rows] == [c["name"] for c in cases]
    for r, c in zip(rows, cases, strict=True):
        m = c["metrics"]["km_in_5_min"]
        assert float(r[f"km_in_5_min [{m['unit']}]"]) == pytest.approx(m["value"], rel=1e-5)


def test_scenario_metrics_that_are_never_reached_read_never_and_carry_a_reason():
    from types import SimpleNamespace

    case = SimpleNamespace(
        name="a", title="A", notes=(),
        metrics={"years_to_80": math.inf, "range": math.nan, "charge_10_80": 600.0},
    )  # fmt: skip
    ans = SimpleNamespace(name="s", title="S", description="", cases=[case], checks=[], path="x")
    doc = report.scenario_document(ans)
    m = doc["cases"][0]["metrics"]
    assert m["years_to_80"]["value"] is None and "not reached" in m["years_to_80"]["reason"]
    assert m["range"]["value"] is None and m["range"]["reason"]
    assert m["charge_10_80"] == {"value": 10.0, "unit": "min"}
    _check_quantities(doc)
    con = _console(100)
    report.render_scenario(ans, console=con)
    out = con.file.getvalue()
    assert "never" in out and "inf" not in out and "nan" not in out
