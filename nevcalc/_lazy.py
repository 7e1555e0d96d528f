"""The imports that sit inside functions, and why: every other import is at module level.

A function-level import of a nevcalc module or of a third-party package must match
an entry ``(importer, imported)`` below (a name covers its sub-modules on both
sides); ``tests/test_imports.py`` checks this, that every entry is still used, and
that nevcalc's modules import each other without a circle.
"""

__all__ = ["LAZY_IMPORTS"]

#: (importing module or package, imported module or package) -> why it is imported late
LAZY_IMPORTS: dict[tuple[str, str], str] = {
    ("nevcalc", "nevcalc.sweeps"): "`import nevcalc` loads no numpy; nevcalc.sweep() does",
    ("nevcalc.io", "numpy"): "`import nevcalc` loads no numpy; only data tables need it",
    ("nevcalc.units", "pint"): "pint costs ~0.15 s; the common units are converted without it",
    ("nevcalc.report", "nevcalc.report"): "one answer loads only its own module (the _WHERE map)",
    ("nevcalc.report", "rich"): "rich renders for people only; `--json` answers skip it",
    ("nevcalc.tables", "rich"): "rich renders for people only; CSV output skips it",
    ("nevcalc.sweeps.engine", "rich"): "the progress bar is drawn only on a terminal",
    ("nevcalc.plot", "matplotlib"): "optional extra [plot]",
    ("nevcalc.sweeps.output", "pyarrow"): "optional extra [parquet]",
    ("nevcalc.sweeps.engine", "distributed"): "optional extra [dask]",
    ("nevcalc.sweeps.engine", "pandas"): "optional extra [frames]",
    ("nevcalc.sweeps.engine", "xarray"): "optional extra [frames]",
    ("nevcalc.cli", "nevcalc"): "TEMPORARY: cli.py's imports, being moved to module level",
}
