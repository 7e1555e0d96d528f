"""Sweeps over the air at the charger: drawn ambients go through temperature nodes."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

import nevcalc
from nevcalc.cars import assemble
from nevcalc.errors import InputError
from nevcalc.scenario.charge import charge, load_charger
from nevcalc.sweeps.evaluate import AMBIENT_NODE_STEP, CHARGE_STEPS, prepare
from nevcalc.sweeps.plan import plan_from_dict


def _doc(vehicle, charger, n=400, low=-30, high=45, power=None):
    axes = [{"field": "conditions.ambient", "distribution": "uniform",
             "low": f"{low} degC", "high": f"{high} degC"}]  # fmt: skip
    if power is not None:
        axes.append({"field": "charger.max_power", "distribution": "uniform",
                     "low": "100 kW", "high": "400 kW"})  # fmt: skip
    return {"kind": "sweep", "title": "drawn air",
            "base": {"vehicle": vehicle, "charger": charger},
            "axis": axes, "draws": {"n": n, "seed": 7}}  # fmt: skip


CARS = [("kia-ev6-77", "ionity-350"), ("byd-han-l", "byd-megawatt")]


@pytest.mark.parametrize(("vehicle", "charger"), CARS)
def test_a_drawn_ambient_row_is_the_single_answers_on_its_nodes(vehicle, charger):
    plan = plan_from_dict(_doc(vehicle, charger))
    res = nevcalc.sweep(plan)
    prep = prepare(plan)
    nodes = prep.power_nodes - 273.15
    assert prep.node_field == "conditions.ambient"
    np.testing.assert_allclose(np.diff(nodes), AMBIENT_NODE_STEP)
    assert nodes[0] <= -30 and nodes[-1] >= 45
    v = replace(assemble(vehicle).charging, consumption=1.0)
    c = load_charger(charger)
    at = {t: charge(v, c, 0.1, 0.8, ambient=273.15 + t, steps=CHARGE_STEPS).duration
          for t in nodes}  # fmt: skip
    air = res.columns["conditions.ambient"]
    rows = res.columns["charge_10_80"] * 60.0
    errors = []
    for x, row in zip(air[:60], rows[:60], strict=True):
        i = min(int(np.searchsorted(nodes, x, side="right")) - 1, nodes.size - 2)
        f = (x - nodes[i]) / (nodes[i + 1] - nodes[i])
        by_nodes = np.exp((1 - f) * np.log(at[nodes[i]]) + f * np.log(at[nodes[i + 1]]))
        assert row == pytest.approx(by_nodes, rel=1e-12)
        exact = charge(v, c, 0.1, 0.8, ambient=273.15 + x, steps=CHARGE_STEPS).duration
        errors.append(row / exact - 1)
    # the nodes' error against the direct march: 5 K apart, a few per mille in the median
    assert np.median(np.abs(errors)) < 0.005 and np.max(np.abs(errors)) < 0.03, errors


def test_colder_draws_never_charge_faster():
    res = nevcalc.sweep(plan_from_dict(_doc("kia-ev6-77", "ionity-350", n=2000, high=20)))
    order = np.argsort(res.columns["conditions.ambient"])
    assert np.all(np.diff(res.columns["charge_10_80"][order]) <= 1e-9)


def test_drawing_both_the_air_and_the_charger_power_is_refused():
    with pytest.raises(InputError, match="both drawn"):
        prepare(plan_from_dict(_doc("kia-ev6-77", "ionity-350", power=True)))
