"""The compare answer's table and CSV: fits any terminal, numbers whole, every column
with units."""

from __future__ import annotations

import csv
import io
import json

import pytest

from nevcalc import report
from nevcalc.tables import fit_columns
from tests.helpers import check_quantities as _check_quantities
from tests.helpers import strict_json as _strict

WIDTHS = (60, 80, 100, 140, 200)

COMPARE = ("byd-han-l", "byd-han-ev-2020", "kia-ev6-77", "tesla-model-3-lr-2019")

CHARGERS = ("ionity-350", "tesla-v2")


def _console(width: int):
    from rich.console import Console

    return Console(width=width, file=io.StringIO(), color_system=None, legacy_windows=False)


def _compare_answers():
    from nevcalc.scenario import load_charger
    from nevcalc.scenario.compare import compare

    chargers = {c: load_charger(c) for c in CHARGERS}
    ans = compare(COMPARE, chargers, 0.1, 0.8, "10 min")
    return list(ans.rows), list(ans.ranges), list(ans.healths), list(ans.costs)


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
    # no curb mass or Cd: completed from its battery like a brochure car, so it has a range
    assert doc["range"]["value"] > 0 and doc["range"]["unit"] == "km"
    _check_quantities(doc)
    assert "mycar" in out and "Warning" not in err


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


def test_compare_notes_say_when_no_charger_sets_a_limit():
    from types import SimpleNamespace

    without = report.compare_notes(
        SimpleNamespace(chargers_given=False, healths=(), costs=(), km_in_20_min=())
    )
    given = report.compare_notes(
        SimpleNamespace(chargers_given=True, healths=(), costs=(), km_in_20_min=())
    )
    assert without[0].startswith("No --charger:")
    assert without[1:] == given
    assert not any("--charger" in line for line in given)


def test_compare_notes_state_the_duty_and_usage_the_answer_used():
    """The notes are written from the answer's own health duty and cost usage, so they
    cannot drift from what the columns were computed with."""
    from nevcalc.scenario.compare import compare

    ans = compare(COMPARE[:1], {None: None}, "10%", "80%", "10")
    notes = " ".join(report.compare_notes(ans))
    duty, run = ans.healths[0], ans.costs[0]
    lo, hi = (round(100 * x) for x in duty.soc_window)
    assert f"Capacity at year {len(duty.years)}:" in notes
    assert f"daily {lo}-{hi} % sweep charged at {duty.charge_rate:g}C" in notes
    assert ("fleet correction" in notes) == duty.fleet_correction
    assert f"over {run.years} years" in notes
    assert f"{run.distance_per_year / 1000:,.0f} km a year" in notes


def test_render_compare_answer_prints_the_table_then_its_notes():
    from rich.console import Console

    from nevcalc.scenario.compare import compare

    ans = compare(COMPARE[:2], {None: None}, "10%", "80%", "10")
    con = Console(width=120, record=True, file=io.StringIO())
    report.render_compare_answer(ans, console=con)
    text = con.export_text()
    assert "byd-han-l" in text or "BYD" in text
    for note in report.compare_notes(ans):
        assert note.split()[0] in text
    assert text.index("No --charger") > text.index("10-80")
