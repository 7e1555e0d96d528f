"""nevcalc._show: objects below the report layer find their repr and HTML by class."""

from __future__ import annotations

import ast
import importlib

import pytest

from nevcalc import _show
from tests.test_imports import module_names


def _shown_classes() -> set[str]:
    """``module.Class`` of every class whose ``__repr__``/``_repr_html_`` calls _show."""
    found = set()
    for module, path in module_names().items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for cls in (n for n in ast.walk(tree) if isinstance(n, ast.ClassDef)):
            for fn in cls.body:
                if isinstance(fn, ast.FunctionDef) and fn.name in ("__repr__", "_repr_html_"):
                    text = ast.unparse(fn)
                    if "_show.line(self)" in text or "_show.html(self)" in text:
                        found.add(f"{module}.{cls.name}")
    return found


def test_every_class_that_shows_itself_has_a_rendering_and_every_rendering_a_class():
    shown = _shown_classes()
    assert {"nevcalc.specs.model.Spec", "nevcalc.scenario.charge.ChargeAnswer",
            "nevcalc.sweeps.engine.SweepResult"} <= shown  # fmt: skip
    assert _show.registered() == shown
    for name in shown:
        module, cls = name.rsplit(".", 1)
        assert hasattr(importlib.import_module(module), cls), name


def test_a_subclass_is_shown_as_its_base_and_an_unknown_class_is_refused():
    from nevcalc.specs.model import Spec

    class Mine(Spec):
        pass

    spec = Mine("charger", "c", "c.toml", {"current_type": "dc", "max_power": 150e3})
    assert repr(spec) == "<Spec charger c: dc, 150 kW>"
    assert "<caption>charger c: c</caption>" in spec._repr_html_()

    class Unknown:
        pass

    with pytest.raises(TypeError, match=r"no rendering is registered for .*Unknown"):
        _show.line(Unknown())
