"""The charge answer's document and rendering (nevcalc.report.charge): every figure of
the answer in the unit it states, the energy balance and segments consistent, the
table and chart fit the console."""

from __future__ import annotations

import io
import itertools
import json

import pytest

from nevcalc.metrics import METRICS
from nevcalc.report import charge_document, render_charge
from nevcalc.report.format import minutes
from nevcalc.scenario import charge, load_charger, load_vehicle

CASES = [
    ("kia-ev6-77", "ionity-350", {}),
    ("byd-han-l", "byd-megawatt", {"minutes": "5 min"}),
    ("tesla-model-3-lr-2019", "tesla-v2", {"add_distance": "100 km"}),
]


@pytest.fixture(scope="module", params=CASES, ids=[c[0] for c in CASES])
def answer(request):
    vehicle, charger, extra = request.param
    return charge(load_vehicle(vehicle), load_charger(charger), 0.1, 0.8, **extra)


def _si(q, metric):
    """A document quantity back in SI, by the metric's stated factor and offset."""
    m = METRICS[metric]
    assert q["unit"] == m.unit
    return q["value"] * m.factor + m.offset


def test_document_is_strict_json_with_the_answers_figures(answer):
    doc = json.loads(json.dumps(charge_document(answer), allow_nan=False))
    assert doc["vehicle"] == answer.vehicle.name and doc["charger"] == answer.charger.name
    for key in ("duration", "energy_stored", "energy_from_grid", "peak_power", "soc_reached"):
        # four significant figures
        assert _si(doc[key], key) == pytest.approx(getattr(answer, key), rel=5e-4), key
    assert (answer.minutes is not None) == ("minutes" in doc)
    assert (answer.distance is not None) == ("distance" in doc)
    assert doc["assumptions"] == list(answer.assumptions)


def test_losses_are_grid_energy_less_stored_energy(answer):
    doc = charge_document(answer)
    grid, stored = (
        _si(doc["energy_from_grid"], "energy_from_grid"),
        _si(doc["energy_stored"], "energy_stored"),
    )
    assert _si(doc["losses"], "losses") == pytest.approx(grid - stored, rel=1e-2, abs=2e4)
    assert doc["losses"]["value"] >= 0


def test_segments_run_from_the_start_to_where_the_charge_stopped(answer):
    segs = charge_document(answer)["segments"]
    assert segs[0]["soc_from"]["value"] == pytest.approx(10.0)
    for a, b in itertools.pairwise(segs):
        assert a["soc_to"]["value"] == pytest.approx(b["soc_from"]["value"])
        assert a["soc_from"]["value"] < a["soc_to"]["value"]
    assert segs[-1]["soc_to"]["value"] == pytest.approx(100 * answer.soc_reached, abs=0.01)
    assert all(s["limit"] for s in segs)


@pytest.mark.parametrize("width", [60, 100])
def test_rendering_states_the_duration_and_fits(answer, width):
    from rich.console import Console

    out = io.StringIO()
    render_charge(answer, Console(width=width, file=out, color_system=None))
    text = out.getvalue()
    assert answer.vehicle.title in " ".join(text.split())
    assert minutes(answer.duration) in text
    assert max(len(line) for line in text.splitlines()) <= width
