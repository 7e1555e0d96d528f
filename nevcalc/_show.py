"""How an object shows itself in a shell or a notebook, without knowing how.

Specs, cars, chargers, routes, cycles, answers and sweep results sit below the report
layer and import nothing from it: their ``__repr__`` calls :func:`line` and their
``_repr_html_`` calls :func:`html`, which find the rendering registered for the
object's class (or a class it derives from). :mod:`nevcalc.report.notebook` registers
them all; ``nevcalc/__init__`` says how to load it (:func:`use_renderings`), as it gives
:mod:`nevcalc.units` its exchange rates, so that it is loaded on the first ``repr``.
"""

from __future__ import annotations

from collections.abc import Callable

__all__ = ["html", "line", "register", "registered", "use_renderings"]

_Render = Callable[[object], str]

#: "module.Class" -> (one-line repr, HTML table)
_RENDERINGS: dict[str, tuple[_Render, _Render]] = {}
_load: Callable[[], object] | None = None


def use_renderings(load: Callable[[], object]) -> None:
    """Set the function that registers the renderings (called once, on first use)."""
    global _load
    _load = load


def register(cls_path: str, line: _Render, html: _Render) -> None:
    """The one-line ``repr`` and the notebook HTML of the class ``"module.Class"``."""
    _RENDERINGS[cls_path] = (line, html)


def registered() -> frozenset[str]:
    """The classes with renderings, as ``"module.Class"`` (loading them first)."""
    _ensure()
    return frozenset(_RENDERINGS)


def _ensure() -> None:
    global _load
    if _load is not None:
        _load()
        _load = None


def _rendering(obj: object) -> tuple[_Render, _Render]:
    _ensure()
    for cls in type(obj).__mro__:
        found = _RENDERINGS.get(f"{cls.__module__}.{cls.__qualname__}")
        if found is not None:
            return found
    raise TypeError(f"no rendering is registered for {type(obj).__qualname__}")


def line(obj: object) -> str:
    """``obj``'s one-line ``repr``: ``<ChargeAnswer byd-han-l on ...: 10-80 % in ...>``."""
    return _rendering(obj)[0](obj)


def html(obj: object) -> str:
    """``obj`` as an HTML table for a notebook."""
    return _rendering(obj)[1](obj)
