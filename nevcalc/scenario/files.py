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
import stat
import tomllib
from pathlib import Path
from typing import Any

from nevcalc.errors import SpecError, SpecNotFound

__all__ = ["MAX_FILE_BYTES", "check_reference", "find_named", "is_path", "read_toml_file"]

#: Largest sweep or scenario file read [bytes].
MAX_FILE_BYTES = 1 << 20


def is_path(name: str) -> bool:
    """True when ``name`` is a file path rather than a spec name."""
    return name.endswith(".toml") or "/" in name or os.sep in name


def _inside(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root.resolve())
    except (ValueError, OSError, RuntimeError):
        return False
    return True


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
    raise SpecNotFound([f"no {what} named {name!r} in {folders}{hint} (or give a .toml path)"])


def read_toml_file(path: Path) -> dict[str, Any]:
    """Read a sweep or scenario file: a regular UTF-8 TOML file of bounded size."""
    path = Path(path)
    try:
        st = os.stat(path)
    except OSError as exc:
        raise SpecError([f"{path}: cannot read ({exc.strerror})"]) from None
    if not stat.S_ISREG(st.st_mode):
        raise SpecError(
            [f"{path}: not a regular file (a folder, FIFO or device); give a .toml file"]
        )
    if st.st_size > MAX_FILE_BYTES:
        raise SpecError(
            [
                f"{path}: {st.st_size:,} bytes, more than the {MAX_FILE_BYTES:,} a spec file "
                "may have"
            ]
        )
    try:
        with open(path, "rb") as fh:
            raw = fh.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise SpecError([f"{path}: cannot read ({exc.strerror})"]) from None
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        enc = " (it looks like UTF-16)" if raw[:2] in (b"\xff\xfe", b"\xfe\xff") else ""
        raise SpecError(
            [f"{path}: not UTF-8 text at byte {exc.start}{enc}; save the file as UTF-8"]
        ) from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SpecError([f"{path}: not valid TOML: {exc}"]) from None
    except RecursionError:
        raise SpecError([f"{path}: tables or arrays nested too deeply; flatten them"]) from None


def check_reference(value, kind: str, where: str) -> str:
    """A spec name referred to from inside a sweep or scenario file, checked and loaded.

    Names only (no paths): a file refers to specs in the spec folders.
    """
    from nevcalc import catalog
    from nevcalc.specs.load import NAME_PATTERN

    if not isinstance(value, str):
        raise SpecError([f"{where}: {value!r} is not a {kind} name; give a name in quotes"])
    if is_path(value) or not NAME_PATTERN.match(value):
        raise SpecError(
            [
                f"{where}: {value!r} is not a {kind} name; files refer to specs by name in the "
                f"spec folders (copy a file into ./specs and use its name)"
            ]
        )
    try:
        catalog.load(value, kind)
    except SpecError as exc:
        raise SpecError([f"{where}: {exc.problems[0]}"]) from None
    return value
