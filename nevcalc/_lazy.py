"""The imports that sit inside functions, and why: every other import is at module level.

A function-level import (of a nevcalc module, a third-party or a standard module) must match
an entry ``(importer, imported)`` below: an imported package covers its modules, an
importer ``pkg.*`` stands for the package and its modules. ``tests/test_imports.py``
checks this, that every entry is still used, and that nevcalc's modules import each
other without a circle.
"""

__all__ = ["LAZY_IMPORTS"]

#: (importing module or package, imported module or package) -> why it is imported late
LAZY_IMPORTS: dict[tuple[str, str], str] = {
    ("nevcalc", "nevcalc.sweeps"): "`import nevcalc` loads no numpy; nevcalc.sweep() does",
    ("nevcalc.io", "numpy"): "`import nevcalc` loads no numpy; only data tables need it",
    ("nevcalc.units", "pint"): "pint costs ~0.15 s; the common units are converted without it",
    ("nevcalc.report", "nevcalc.report"): "one answer loads only its own module (the _WHERE map)",
    ("nevcalc.report.*", "rich"): "rich renders for people only; `--json` answers skip it",
    ("nevcalc", "nevcalc.report.notebook"): "objects show themselves through the report "
    "layer, loaded on the first repr; `nevcalc charge` loads neither it nor the tables (4 ms)",
    ("nevcalc.report.notebook", "html"): "only a notebook's table escapes HTML (1 ms)",
    ("nevcalc.report.notebook", "nevcalc.report"): "an answer's rendering loads its own "
    "document module only (all of them: 30 ms)",
    ("nevcalc.report.notebook", "nevcalc.scenario.scenarios"): "only a scenario answer's "
    "table needs its metrics (17 ms)",
    ("nevcalc.tables", "rich"): "rich renders for people only; CSV output skips it",
    ("nevcalc.sweeps.engine", "rich"): "the progress bar is drawn only on a terminal",
    ("nevcalc.scenario.charge", "concurrent"): "threads only for many sessions (6 ms)",
    ("nevcalc.sweeps.output", "fcntl"): "POSIX only; only the output-file lock needs it",
    ("nevcalc.model._kernel", "numba"): "optional extra [fast]; compiling (or reading the "
    "compiled loops from its cache) costs seconds, paid by the first thermal sessions only",
    ("nevcalc.plot", "matplotlib"): "optional extra [plot]",
    ("nevcalc.sweeps.output", "pyarrow"): "optional extra [parquet]",
    ("nevcalc.sweeps.engine", "distributed"): "optional extra [dask]",
    ("nevcalc.sweeps.engine", "pandas"): "optional extra [frames]",
    ("nevcalc.sweeps.engine", "xarray"): "optional extra [frames]",
    # `nevcalc charge` loads the modules of its own answer only; each command below loads
    # its own on first use (CPU milliseconds on top of `charge`, measured with -X importtime)
    ("nevcalc.cli", "nevcalc.scenario.compare"): "only `nevcalc compare` needs it (17 ms)",
    ("nevcalc.cli", "nevcalc.scenario.health"): "only `nevcalc health` needs it (7 ms)",
    ("nevcalc.cli", "nevcalc.scenario.cost"): "only `nevcalc cost` needs it (11 ms)",
    ("nevcalc.cli", "nevcalc.scenario.trend"): "only `nevcalc trend` needs it (3 ms)",
    ("nevcalc.cli", "nevcalc.scenario.scenarios"): "only `nevcalc scenario` needs it (17 ms)",
    ("nevcalc.cli", "nevcalc.sweeps"): "only `nevcalc sweep` needs it (70 ms)",
    ("nevcalc.cli", "nevcalc.routes"): "only `nevcalc trip` needs it (1 ms)",
    ("nevcalc.cli", "nevcalc.scenario.trip"): "only `nevcalc trip` needs it, with the evaluator",
    ("nevcalc.cli", "nevcalc.validate"): "only `nevcalc specs validate` needs it (50 ms)",
    ("nevcalc.cli", "nevcalc.plot"): "only --plot draws a figure (2 ms, then matplotlib)",
    ("nevcalc.cli", "nevcalc.tables"): "only --csv writes a table (2 ms)",
    ("nevcalc.cli", "nevcalc.web"): "only `nevcalc serve` needs it: optional extra [web]",
    ("nevcalc.web.app", "uvicorn"): "only a running server needs it; tests drive the app alone",
}
