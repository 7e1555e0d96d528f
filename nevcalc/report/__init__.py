"""Putting units back on: one module per answer, each with its JSON document and rendering.

================  ==========================================================
module            answer
================  ==========================================================
``format``        SI floats to displayed figures (``quantity``, ``money``...; made by
                  :mod:`nevcalc.text`), strict JSON text and the console
``notebook``      the one-line ``repr`` and HTML table of specs, cars and answers
``charge``        ``nevcalc charge``: document, table and power chart
``compare``       ``nevcalc compare``: document, CSV and fitted table
``range``         ``nevcalc range``
``health``        ``nevcalc health``
``cost``          ``nevcalc cost``
``trend``         ``nevcalc trend``
``scenario``      ``nevcalc scenario run/list``
``specs``         ``nevcalc specs list/show/fields``
``sweep``         ``nevcalc sweep``
``trip``          ``nevcalc trip``
================  ==========================================================

Quantities leave nevcalc as ``{"value": number, "unit": "pint unit"}`` with units from
:mod:`nevcalc.metrics`; rich is imported only when rendering for people, and pint not at
all for the common units, so ``--json`` stays fast.
"""

from __future__ import annotations

import importlib
from typing import Any

#: Where each name lives: the modules are imported on first use, so that one answer
#: (``nevcalc charge --json``) loads only its own module and the formatter.
_WHERE = {
    "_console": "format",
    "charge_document": "charge",
    "compare_csv_table": "compare",
    "compare_document": "compare",
    "compare_notes": "compare",
    "compare_table": "compare",
    "console": "format",
    "cost_document": "cost",
    "fields_document": "specs",
    "figure_text": "format",
    "health_document": "health",
    "html_table": "notebook",
    "label_consumption": "range",
    "minutes": "format",
    "money": "format",
    "quantity": "format",
    "range_csv_table": "range",
    "range_document": "range",
    "render_charge": "charge",
    "render_compare": "compare",
    "render_compare_answer": "compare",
    "render_cost": "cost",
    "render_fields": "specs",
    "render_health": "health",
    "render_range": "range",
    "render_scenario": "scenario",
    "render_scenario_list": "scenario",
    "render_spec": "specs",
    "render_spec_list": "specs",
    "render_sweep": "sweep",
    "render_trend": "trend",
    "render_validation": "specs",
    "repr_line": "notebook",
    "scenario_csv_table": "scenario",
    "scenario_document": "scenario",
    "scenario_list_document": "scenario",
    "spec_document": "specs",
    "spec_list_document": "specs",
    "sweep_document": "sweep",
    "trend_csv_table": "trend",
    "trend_document": "trend",
    "render_trip": "trip",
    "render_trip_table": "trip",
    "trip_csv_table": "trip",
    "trip_document": "trip",
    "trip_table_document": "trip",
}

__all__ = [
    "charge_document",
    "compare_csv_table",
    "compare_document",
    "compare_notes",
    "compare_table",
    "console",
    "cost_document",
    "fields_document",
    "figure_text",
    "health_document",
    "html_table",
    "label_consumption",
    "minutes",
    "money",
    "quantity",
    "range_csv_table",
    "range_document",
    "render_charge",
    "render_compare",
    "render_compare_answer",
    "render_cost",
    "render_fields",
    "render_health",
    "render_range",
    "render_scenario",
    "render_scenario_list",
    "render_spec",
    "render_spec_list",
    "render_sweep",
    "render_trend",
    "render_trip",
    "render_trip_table",
    "render_validation",
    "repr_line",
    "scenario_csv_table",
    "scenario_document",
    "scenario_list_document",
    "spec_document",
    "spec_list_document",
    "sweep_document",
    "trend_csv_table",
    "trend_document",
    "trip_csv_table",
    "trip_document",
    "trip_table_document",
]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'nevcalc.report' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"nevcalc.report.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_WHERE})
