"""The range answer's document, CSV and rendering (nevcalc.report.range)."""

from __future__ import annotations

import io
import json

import pytest

from nevcalc import catalog
from nevcalc.metrics import METRICS
from nevcalc.report import range_csv_table, range_document, render_range
from nevcalc.scenario.road import drive_range, load_road_vehicle, resize_pack


@pytest.fixture(scope="module")
def answers():
    v = load_road_vehicle("kia-ev6-77")
    before = drive_range(v, "wltp")
    after = drive_range(resize_pack(v, catalog.load("lfp", "chemistry"), "energy"), "wltp")
    return before, after


def test_document_states_range_and_consumption_in_their_units(answers):
    before, _ = answers
    doc = json.loads(json.dumps(range_document(before), allow_nan=False))
    # range [m] in km: / 1000; consumption [J/m] in kWh/100 km: / 36
    assert doc["range"]["unit"] == METRICS["range"].unit == "km"
    assert doc["range"]["value"] == pytest.approx(before.range / 1000, rel=5e-4)
    assert doc["consumption"]["value"] == pytest.approx(before.consumption / 36, rel=5e-4)
    assert "before" not in doc and "after" not in doc


def test_a_resize_gives_before_and_after_and_the_top_level_is_after(answers):
    before, after = answers
    doc = range_document(before, after)
    assert doc["before"]["range"] == range_document(before)["range"]
    assert doc["after"]["range"] == doc["range"]
    # the same usable energy was kept (keep="energy")
    assert doc["after"]["usable_energy"] == doc["before"]["usable_energy"]
    assert doc["assumptions"] == list(after.assumptions)


def test_csv_rows_equal_the_document(answers):
    before, after = answers
    cols, cells = range_csv_table(before, after)
    assert cols[0].header == "case" and [r[0] for r in cells] == ["before", "after"]
    doc = range_document(before, after)
    interval = {"range_low": "low", "range_high": "high", "interval_level": "level"}
    for col, b, a in zip(cols[1:], cells[0][1:], cells[1][1:], strict=True):
        for row, side in ((b, "before"), (a, "after")):
            if col.header in interval:
                assert row == doc[side]["interval"][interval[col.header]]
                continue
            v = doc[side][col.header]
            assert row == (v["value"] if isinstance(v, dict) else v)
            if isinstance(v, dict):
                assert col.unit == v["unit"]


def test_rendering_shows_the_range(answers):
    from rich.console import Console

    before, _ = answers
    out = io.StringIO()
    render_range(before, console=Console(width=100, file=out, color_system=None))
    assert f"{before.range / 1000:.0f}" in out.getvalue()


@pytest.fixture(scope="module")
def epa():
    return drive_range(load_road_vehicle("tesla-model-3-lr-2019"), "epa")


def test_epa_label_consumption_is_the_one_its_range_implies(epa):
    """The EPA 2-cycle range is the tested one x 0.7: the consumption beside it is the
    tested one / 0.7, so that consumption x range gives back the usable energy."""
    doc = json.loads(json.dumps(range_document(epa), allow_nan=False))
    kwh = epa.vehicle.usable_energy / 3.6e6
    assert doc["consumption"]["value"] * doc["range"]["value"] / 100 == pytest.approx(
        kwh, rel=1e-3
    )
    assert doc["consumption_unadjusted"]["value"] == pytest.approx(epa.consumption / 36, rel=5e-4)
    assert doc["label_factor"] == {"value": pytest.approx(0.7, abs=1e-9), "unit": ""}
    wall = doc["consumption_wall"]["value"] / doc["consumption_wall_unadjusted"]["value"]
    assert wall == pytest.approx(1 / 0.7, rel=1e-3)


def test_a_cycle_without_a_range_factor_has_no_unadjusted_consumption(answers):
    doc = range_document(answers[0])
    assert not any(k.endswith("_unadjusted") for k in doc) and "label_factor" not in doc


def test_rendering_names_the_unadjusted_test_consumption(epa):
    from rich.console import Console

    out = io.StringIO()
    render_range(epa, console=Console(width=120, file=out, color_system=None))
    text = out.getvalue()
    label = epa.vehicle.usable_energy / epa.range / 36
    line = next(s for s in text.splitlines() if "consumption (battery)" in s)
    assert f"{label:.1f} kWh/100 km" in line
    unadjusted = next(s for s in text.splitlines() if "unadjusted" in s)
    assert f"{epa.consumption / 36:.1f} kWh/100 km" in unadjusted
