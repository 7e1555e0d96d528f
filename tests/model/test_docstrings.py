"""Every public function of nevcalc.model documents itself: numpydoc sections, units and
an example that runs as a doctest (pytest collects them with --doctest-modules)."""

from __future__ import annotations

import doctest
import importlib
import inspect
import pkgutil
import re

import pytest

import nevcalc.model

#: Every public module of nevcalc.model, found (a new one is held to the same standard);
#: a private one (``_kernel``: compiled copies of the numpy loops) serves the package only.
MODULES = tuple(sorted(m.name for m in pkgutil.iter_modules(nevcalc.model.__path__)
                       if not m.name.startswith("_")))  # fmt: skip


def _public_functions():
    for name in MODULES:
        mod = importlib.import_module(f"nevcalc.model.{name}")
        for attr in mod.__all__:
            obj = getattr(mod, attr)
            if inspect.isfunction(obj):
                yield f"{name}.{attr}", obj


FUNCTIONS = dict(_public_functions())


def test_every_model_module_exports_functions():
    assert {"charging", "cost", "degradation", "driving", "pack", "tables", "trends"} <= set(
        MODULES
    )
    assert {k.split(".")[0] for k in FUNCTIONS} == set(MODULES)


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_numpydoc_sections_with_units(name):
    doc = inspect.getdoc(FUNCTIONS[name]) or ""
    for section in ("Parameters", "Returns", "Examples"):
        assert re.search(rf"^{section}\n-+$", doc, re.M), f"{name}: no {section} section"
    params = doc.split("Returns")[0]
    assert re.search(r"\[[^\]]+\]", params), f"{name}: no [unit] among its parameters"


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_the_example_runs(name):
    """The example has statements with expected output (not only prose)."""
    doc = FUNCTIONS[name].__doc__ or ""
    examples = doctest.DocTestParser().get_examples(doc)
    assert any(e.want.strip() for e in examples), f"{name}: no example with output"


class _OutputIgnored(doctest.OutputChecker):
    def check_output(self, want, got, optionflags):
        return True


# charge_profile computes (4 R0) * P_max before it looks at R0 = 0 and P_max = inf, and
# 0 * inf warns (invalid value) in binding_segments' example; the result is right
_WARNS: dict[str, str] = {}


@pytest.mark.parametrize(
    "module",
    [
        pytest.param(m, marks=pytest.mark.xfail(reason=_WARNS[m], strict=True))
        if m in _WARNS
        else m
        for m in MODULES
    ],
)
def test_the_examples_pass_without_numpy_warnings(module):
    """The doctests again, with a RuntimeWarning an error: no example (an ordinary input
    such as a charger without a power limit, ``inf``) may warn."""
    import warnings

    import numpy as np

    mod = importlib.import_module(f"nevcalc.model.{module}")
    runner = doctest.DocTestRunner(checker=_OutputIgnored())  # pytest checks the output
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        for test in doctest.DocTestFinder().find(mod, globs={"np": np, **vars(mod)}):
            runner.run(test, out=lambda _text: None)
    assert runner.failures == 0, f"{module}: {runner.failures} example(s) raised or warned"
