"""Sweep and scenario files: where a name or a path may lead, and reading one safely.

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

import os
from pathlib import Path
from typing import Any

from nevcalc.errors import SpecError, SpecNotFound

__all__ = [
    "MAX_FILE_BYTES",
    "check_reference",
    "find_named",
    "is_path",
    "read_toml_file",
    "short",
]

#: Largest sweep or scenario file read [bytes].
MAX_FILE_BYTES = 1 << 20


def is_path(name: str) -> bool:
    """True when ``name`` is a file path rather than a spec name."""
    return name.endswith(".toml") or "/" in name or os.sep in name


def _inside(path: Path, root: Path) -> bool:
    from nevcalc.specs.files import inside

    return inside(path, root)


def find_named(name: str, subfolder: str, what: str) -> Path:
    """The file a command-line ``name`` (or path) of a sweep or scenario refers to.

    Parameters
    ----------
    name : str
        A name in ``specs/<subfolder>`` or a path to a ``.toml`` file.
    subfolder : str
        ``"sweeps"`` or ``"scenarios"``.
    what : str
        ``"sweep"`` or ``"scenario"``, for messages.

    Raises
    ------
    SpecNotFound
        No such file, or a name that is not one.
    SpecError
        A name whose file is a symlink out of its spec folder.
    """
    from nevcalc.catalog import search_paths

    if len(name) > 255:
        raise SpecNotFound([f"{short(name)}: a name or path of {len(name):,} characters; give "
                            "a sweep name or a .toml path of at most 255"])  # fmt: skip
    if is_path(name):
        p = Path(name)
        if not p.exists():
            raise SpecNotFound([f"{p}: file not found"])
        return p
    for root in search_paths():
        p = root / subfolder / f"{name}.toml"
        if p.is_symlink() or p.exists():
            if not _inside(p, root):
                raise SpecError(
                    [
                        f"{p}: a symlink to {os.path.realpath(p)}, outside the spec folder "
                        f"{root}; names resolve only inside spec folders: copy the file into "
                        f"{root / subfolder} or give its path"
                    ]
                )
            return p
    import difflib

    known = sorted({f.stem for r in search_paths() for f in (r / subfolder).glob("*.toml")})
    close = difflib.get_close_matches(name, known, n=1)
    hint = f"; did you mean {close[0]!r}?" if close else f"; known: {', '.join(known) or 'none'}"
    folders = ", ".join(str(r / subfolder) for r in search_paths())
    raise SpecNotFound(
        [f"no {what} named {short(name)} in {folders}{hint} (or give a .toml path)"]
    )


def read_toml_file(path: Path) -> dict[str, Any]:
    """Read a sweep or scenario file: a regular UTF-8 TOML file of bounded size and depth
    (:func:`nevcalc.specs.files.read_toml`)."""
    from nevcalc.specs.files import read_toml

    return read_toml(path, MAX_FILE_BYTES)


def short(value, limit: int = 60) -> str:
    """``repr(value)``, cut to ``limit`` characters for a one-line message."""
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + "..."


def check_reference(value, kind: str, where: str) -> str:
    """A spec name referred to from inside a sweep or scenario file, checked and loaded.

    Names only (no paths): a file refers to specs in the spec folders.
    """
    from nevcalc import catalog
    from nevcalc.specs.load import NAME_PATTERN

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
