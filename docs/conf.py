"""Sphinx configuration of the nevcalc documentation.

Build it with ``pip install -e '.[docs]' && sphinx-build docs docs/_build/html``
(``-W --keep-going`` as the tests do, so that a warning fails the build).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # the checkout's nevcalc, not an installed one
sys.path.insert(0, str(HERE / "_ext"))

from nevcalc._version import __version__  # noqa: E402

project = "nevcalc"
author = "nevcalc developers"
copyright = "2026, nevcalc developers"
version = release = __version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    # MathJax's files copied into the site (_static/mathjax), so that the equations
    # render offline and no page loads a script from a CDN (the `docs` extra has it)
    "sphinx-mathjax-offline",
    "numpydoc",
    "clidoc",
]

exclude_patterns = ["_build"]
root_doc = "index"
default_role = "literal"
nitpicky = False

# API pages: numpydoc renders the docstrings; autosummary tables are written in the
# pages themselves (no generated stub files in the source tree).
autosummary_generate = False
autodoc_default_options = {"members": True, "member-order": "bysource"}
autodoc_typehints = "none"
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_xref_param_type = False
# The models' docstrings list their references without citing each in the text.
suppress_warnings = ["ref.citation"]

_CITE = re.compile(r"\[(\d+)\]_")


_INITIAL = re.compile(r"^(\s*\.\. \[\w+\] )([A-Z])\. ")


def _module_citations(app, what, name, obj, options, lines):
    """Citations that render as written.

    A reference that starts with an initial (``.. [1] R. Bellman``) would be read as an
    enumerated list ("R." the 18th item): its full stop is escaped. A function that
    cites its module's numbered references (``[3]_``, the module docstring's
    ``.. [3]``) has no such target of its own: the number is shown as text.
    """
    for i, line in enumerate(lines):
        lines[i] = _INITIAL.sub(r"\1\2\\. ", line)
    if what == "module":
        return
    text = "\n".join(lines)
    own = set(re.findall(r"^\s*\.\. \[(\d+)\]", text, flags=re.M))
    for i, line in enumerate(lines):
        lines[i] = _CITE.sub(
            lambda m: m.group(0) if m.group(1) in own else f"[{m.group(1)}]", line
        )


def setup(app):
    # before numpydoc (priority 500) renames the docstring's own references
    app.connect("autodoc-process-docstring", _module_citations, priority=400)


html_theme = "alabaster"
html_title = f"nevcalc {release}"
html_theme_options = {
    "description": "What batteries and chargers mean for an electric car, with units checked.",
    "fixed_sidebar": True,
    "page_width": "1200px",
    "sidebar_width": "240px",
}
html_static_path: list[str] = []
