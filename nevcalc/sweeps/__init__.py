"""Batch parameter sweeps: axes -> chunks -> model -> writers, on one machine or Dask.

``nevcalc.sweep(spec)`` is :func:`nevcalc.sweeps.engine.run`.
"""

from nevcalc.sweeps.engine import IN_MEMORY_LIMIT, SweepResult, run
from nevcalc.sweeps.plan import FIELDS, METRICS, SweepPlan, load_plan

__all__ = ["FIELDS", "IN_MEMORY_LIMIT", "METRICS", "SweepPlan", "SweepResult", "load_plan", "run"]
