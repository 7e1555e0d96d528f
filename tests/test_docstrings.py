"""The evaluator layer documents itself as the model does (tests/model/test_docstrings.py).

Every public function and class of ``evaluate``, ``cars``, ``ageing``, ``surrogate``
and ``scenario.compare`` is exported in ``__all__``; every exported function has
numpydoc Parameters and Returns with units in brackets and an example with output;
every exported class an Examples section; the modules are among those pytest
collects doctests from (the README's plain ``pytest``), and no example warns.
"""

from __future__ import annotations

import doctest
import importlib
import inspect
import re
import tomllib
import warnings
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
MODULES = ("evaluate", "cars", "ageing", "surrogate", "scenario.compare")
#: Functions that only pass their arguments on, so have no unit of their own.
NO_UNITS = {"cars.try_assemble": "takes assemble's arguments"}


def _own(mod, obj) -> bool:
    return (inspect.isfunction(obj) or inspect.isclass(obj)) and obj.__module__ == mod.__name__


def _exported():
    for name in MODULES:
        mod = importlib.import_module(f"nevcalc.{name}")
        for attr in mod.__all__:
            obj = getattr(mod, attr)
            if _own(mod, obj):
                yield f"{name}.{attr}", obj


EXPORTED = dict(_exported())
FUNCTIONS = {k: v for k, v in EXPORTED.items() if inspect.isfunction(v)}
CLASSES = {k: v for k, v in EXPORTED.items() if inspect.isclass(v)}


@pytest.mark.parametrize("name", MODULES)
def test_every_public_function_and_class_is_exported(name):
    mod = importlib.import_module(f"nevcalc.{name}")
    public = {n for n, obj in vars(mod).items() if not n.startswith("_") and _own(mod, obj)}
    missing = sorted(public - set(mod.__all__))
    assert not missing, f"nevcalc.{name}: not in __all__: {missing}"
    assert all(hasattr(mod, n) for n in mod.__all__), name


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_numpydoc_sections_with_units(name):
    doc = inspect.getdoc(FUNCTIONS[name]) or ""
    for section in ("Parameters", "Returns", "Examples"):
        assert re.search(rf"^{section}\n-+$", doc, re.M), f"{name}: no {section} section"
    if name not in NO_UNITS:
        sections = re.split(r"^(?:References|Examples)\n-+$", doc, flags=re.M)[0]
        assert re.search(r"\[[^\]]+\]", sections), f"{name}: no [unit] in its parameters"


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_the_example_has_output(name):
    examples = doctest.DocTestParser().get_examples(FUNCTIONS[name].__doc__ or "")
    assert any(e.want.strip() for e in examples), f"{name}: no example with output"


@pytest.mark.parametrize("name", sorted(CLASSES))
def test_every_class_has_examples(name):
    doc = inspect.getdoc(CLASSES[name]) or ""
    assert re.search(r"^Examples\n-+$", doc, re.M), f"{name}: no Examples section"


def test_pytest_collects_the_doctests_of_these_modules():
    with (ROOT / "pyproject.toml").open("rb") as fh:
        ini = tomllib.load(fh)["tool"]["pytest"]["ini_options"]
    assert "--doctest-modules" in ini["addopts"].split()
    paths = [(ROOT / p).resolve() for p in ini["testpaths"]]
    for name in MODULES:
        file = (ROOT / "nevcalc" / (name.replace(".", "/") + ".py")).resolve()
        assert any(file == p or p in file.parents for p in paths), f"{file} not collected"


class _OutputIgnored(doctest.OutputChecker):
    def check_output(self, want, got, optionflags):
        return True


@pytest.mark.parametrize("module", MODULES)
def test_the_examples_pass_without_numpy_warnings(module):
    """The doctests again with a RuntimeWarning an error (pytest checks their output)."""
    mod = importlib.import_module(f"nevcalc.{module}")
    runner = doctest.DocTestRunner(checker=_OutputIgnored())
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        for test in doctest.DocTestFinder().find(mod, globs={"np": np, **vars(mod)}):
            runner.run(test, out=lambda _text: None)
    assert runner.failures == 0, f"{module}: {runner.failures} example(s) raised or warned"
