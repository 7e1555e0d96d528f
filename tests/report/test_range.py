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
