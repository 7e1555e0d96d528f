"""The answers' JSON text and console: one place for every answer's output.

JSON quantities are ``{"value": number, "unit": "pint unit"}``; a value that does not
exist is ``null`` with the reason alongside. The figures themselves (quantities, their
text, times, shares of the battery) are made by :mod:`nevcalc.text`, below the report
layer, and are named here too for the answers' modules; nothing here imports pint or
rich at import time.
"""

from __future__ import annotations

import json
import math
import shutil

from nevcalc.errors import NevcalcError
from nevcalc.text import (
    display,
    figure_text,
    finite_text,
    interval,
    interval_text,
    minutes,
    money,
    pct,
    quantity,
    segments_text,
    shown,
    span,
)

__all__ = [
    "console",
    "display",
    "figure_text",
    "finite_text",
    "interval",
    "interval_text",
    "json_text",
    "minutes",
    "money",
    "pct",
    "quantity",
    "segments_text",
    "shown",
    "span",
]


def console(console=None):
    """``console``, or a rich console for standard output (150 columns in a pipe)."""
    if console is not None:
        return console

    from rich.console import Console

    # in a pipe rich assumes 80 columns; tables of many columns read better wider
    width = None if shutil.get_terminal_size((0, 0)).columns else 150
    return Console(width=width)


def _json_default(x):
    """numpy scalars and arrays, paths: what ``json`` cannot write by itself."""
    if hasattr(x, "tolist"):
        return x.tolist()
    if hasattr(x, "__fspath__"):
        return str(x)
    raise TypeError(f"{type(x).__name__} is not JSON")


def _not_finite(doc, path: str = "$"):
    """The path of the first number in ``doc`` that is inf or NaN, or None."""
    if isinstance(doc, float) and not math.isfinite(doc):
        return path
    if isinstance(doc, dict):
        items = doc.items()
    elif isinstance(doc, (list, tuple)):
        items = enumerate(doc)
    else:
        return None
    for k, v in items:
        found = _not_finite(v, f"{path}.{k}" if isinstance(k, str) else f"{path}[{k}]")
        if found:
            return found
    return None


def json_text(doc) -> str:
    """``doc`` as strict JSON text (indented), numpy scalars and arrays and paths included.

    Raises
    ------
    NevcalcError
        A number in ``doc`` is inf or NaN (JSON cannot carry them); the message
        gives its path (``$.rows[0].duration``).
    """
    doc = json.loads(json.dumps(doc, default=_json_default))  # numpy scalars to floats
    bad = _not_finite(doc)
    if bad is not None:
        raise NevcalcError(
            f"the answer has no finite value at {bad} and JSON cannot carry inf or NaN; nothing "
            "was printed (an input far out of range? please report it with the command line)"
        )
    return json.dumps(doc, indent=2, allow_nan=False)


# the names the answers' modules have used
_console, _minutes, _pct, _span = console, minutes, pct, span
_segments_text, _finite_text = segments_text, finite_text
