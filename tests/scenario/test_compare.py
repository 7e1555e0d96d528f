"""The compare answer: which vehicles it compares."""

from __future__ import annotations

import pytest

from nevcalc import catalog
from nevcalc.scenario import compare as compare_module


def test_the_default_vehicles_are_shipped_specs():
    for name in compare_module.DEFAULT_VEHICLES:
        assert catalog.load(name, "vehicle").name == name
    assert len(set(compare_module.DEFAULT_VEHICLES)) == len(compare_module.DEFAULT_VEHICLES)


@pytest.mark.parametrize("none", [(), []])
def test_no_vehicle_named_compares_the_defaults(monkeypatch, none):
    monkeypatch.setattr(compare_module, "DEFAULT_VEHICLES", ("kia-ev6-77", "byd-han-l"))
    ans = compare_module.compare(none, {None: None}, "10%", "80%", "10")
    assert [a.vehicle.name for a in ans.rows] == ["kia-ev6-77", "byd-han-l"]
    named = compare_module.compare(["vw-id4-77"], {None: None}, "10%", "80%", "10")
    assert [a.vehicle.name for a in named.rows] == ["vw-id4-77"]
