"""Sweep and scenario files: the rule for names and paths (finding and reading are
in :mod:`nevcalc.io`; ``find_named``, ``read_toml_file``, ``is_path`` and ``short`` are
kept here as thin wrappers or re-exports).

The rule:

* A **path** given by the caller (it ends in ``.toml`` or holds a ``/``) is read as
  given, wherever it is: the caller chose it.
* A **name** resolves to ``<spec folder>/<subfolder>/<name>.toml`` in the search order
  of :func:`nevcalc.catalog.search_paths` (``./specs``, ``$NEVCALC_SPECS``, the bundled
  library), and only to a file inside that spec folder: a symlink there that points
  outside its spec folder is refused, so a name never reads a file elsewhere.
* **References inside** a sweep or scenario file (``vehicle = "..."``, ``usage = "..."``)
  are spec names, never paths: they resolve in the spec folders only.

Whatever is read must be a regular file (not a FIFO or a device) of at most
:data:`MAX_FILE_BYTES`, UTF-8 TOML.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from nevcalc import catalog
from nevcalc import io as _io
from nevcalc.errors import SpecError
from nevcalc.io import is_path, short
from nevcalc.specs.load import NAME_PATTERN

__all__ = [
    "MAX_FILE_BYTES",
    "check_reference",
    "find_named",
    "is_path",
    "read_toml_file",
    "short",
]

#: Largest sweep or scenario file read [bytes].
MAX_FILE_BYTES = _io.MAX_SPEC_BYTES


def find_named(name: str, subfolder: str, what: str) -> Path:
    """The file a command-line ``name`` (or path) of a sweep or scenario refers to
    (:func:`nevcalc.io.find_sweep`, :func:`nevcalc.io.find_scenario`)."""
    return _io._named_or_path(name, subfolder, what)


def read_toml_file(path: Path) -> dict[str, Any]:
    """Read a sweep or scenario file: a regular UTF-8 TOML file of bounded size and depth."""
    return _io.read_toml(path, MAX_FILE_BYTES)


def check_reference(value, kind: str, where: str) -> str:
    """A spec name referred to from inside a sweep or scenario file, checked and loaded.

    Names only (no paths): a file refers to specs in the spec folders.
    """
    if not isinstance(value, str):
        raise SpecError([f"{where}: {short(value)} is not a {kind} name; give a name in quotes"])
    if is_path(value) or not NAME_PATTERN.match(value):
        raise SpecError(
            [
                f"{where}: {short(value)} is not a {kind} name; files refer to specs by name "
                f"in the spec folders (copy a file into ./specs and use its name)"
            ]
        )
    try:
        catalog.load(value, kind)
    except SpecError as exc:
        raise SpecError([f"{where}: {exc.problems[0]}"]) from None
    return value
