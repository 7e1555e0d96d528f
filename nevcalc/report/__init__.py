"""Putting units back on: one module per answer, each with its JSON document and rendering.

================  ==========================================================
module            answer
================  ==========================================================
``format``        SI floats to displayed figures (``quantity``, ``money``...)
``charge``        ``nevcalc charge``: document, table and power chart
``compare``       ``nevcalc compare``: document, CSV and fitted table
``range``         ``nevcalc range``
``health``        ``nevcalc health``
``cost``          ``nevcalc cost``
``trend``         ``nevcalc trend``
``scenario``      ``nevcalc scenario run``
``specs``         ``nevcalc specs list/show/fields``
``sweep``         ``nevcalc sweep``
================  ==========================================================

Quantities leave nevcalc as ``{"value": number, "unit": "pint unit"}`` with units from
:mod:`nevcalc.metrics`; rich is imported only when rendering for people, and pint not at
all for the common units, so ``--json`` stays fast.
"""

from __future__ import annotations

from nevcalc.report.charge import charge_document, render_charge
from nevcalc.report.compare import (
    compare_csv_table,
    compare_document,
    compare_table,
    render_compare,
)
from nevcalc.report.cost import cost_document, render_cost
from nevcalc.report.format import _console, console, minutes, money, quantity
from nevcalc.report.health import health_document, render_health
from nevcalc.report.range import range_csv_table, range_document, render_range
from nevcalc.report.scenario import render_scenario, scenario_csv_table, scenario_document
from nevcalc.report.specs import (
    fields_document,
    render_fields,
    render_spec,
    render_spec_list,
    spec_document,
)
from nevcalc.report.sweep import render_sweep, sweep_document
from nevcalc.report.trend import render_trend, trend_csv_table, trend_document

__all__ = [
    "charge_document",
    "compare_csv_table",
    "compare_document",
    "compare_table",
    "console",
    "cost_document",
    "fields_document",
    "health_document",
    "minutes",
    "money",
    "quantity",
    "range_csv_table",
    "range_document",
    "render_charge",
    "render_compare",
    "render_cost",
    "render_fields",
    "render_health",
    "render_range",
    "render_scenario",
    "render_spec",
    "render_spec_list",
    "render_sweep",
    "render_trend",
    "scenario_csv_table",
    "scenario_document",
    "spec_document",
    "sweep_document",
    "trend_csv_table",
    "trend_document",
]
_console = _console  # used by nevcalc.tables and the CLI
