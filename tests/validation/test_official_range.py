"""Shipped vehicles against their official ranges, each on its own procedure.

Reference values: the homologation figures (WLTP, EPA, CLTC, NEDC) carried in
each vehicle spec with their source, from the shared reference data. The
road-load figures a spec does not give come from documented defaults
calibrated on FASTSim's vehicles, not on these ranges.
"""

from __future__ import annotations

import statistics

from nevcalc import catalog
from nevcalc.scenario.road import drive_range, road_vehicle_from_spec


def official_cases():
    out = []
    for _, name, _ in catalog.list_specs("vehicle"):
        spec = catalog.load(name, "vehicle")
        if spec.get("official_range") and spec.get("official_range_cycle"):
            out.append(spec)
    return out


def range_table():
    rows = []
    for spec in official_cases():
        v = road_vehicle_from_spec(spec, catalog.load(spec["chemistry"], "chemistry"))
        r = drive_range(v)
        rows.append((spec.name, r.procedure, spec["official_range"] / 1e3, r.range / 1e3,
                     r.range / spec["official_range"] - 1))  # fmt: skip
    return rows


def _format(rows):
    return "\n".join(
        f"{n:28} {p:5} official {o:6.0f} km  model {m:6.0f} km  {e * 100:+6.1f} %"
        for n, p, o, m, e in rows
    )


def test_official_ranges_median_error_within_8_percent():
    rows = range_table()
    assert len(rows) >= 12, _format(rows)
    errors = [abs(r[4]) for r in rows]
    assert statistics.median(errors) <= 0.08, _format(rows)
