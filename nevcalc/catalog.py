"""Load specs by name: resolve ``extends`` and references, cache the parse.

Finding and reading are in :mod:`nevcalc.io` (``search_paths`` and ``in_folder``
here are re-exports of it); validation is in :mod:`nevcalc.specs.load`.

A name resolves in ``./specs``, then each folder of ``$NEVCALC_SPECS``
(separated by the platform's path separator), then the library bundled with
nevcalc. A value containing a path separator or ending in ``.toml`` is read
as a file path.

Names resolve only within the spec folders: a file found by name (on the
command line, or as ``extends``/``chemistry``/``fast_charger`` inside a spec)
must lie in the spec folder it was found in once symlinks are resolved. A
symlink in a spec folder that leads outside it is refused with a message
naming both ends. A path given explicitly (``nevcalc charge ./my/car.toml``)
is read wherever it points. ``extends`` chains are at most
:data:`MAX_EXTENDS` specs long.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from nevcalc.errors import InputError, SpecError, SpecNotFound
from nevcalc.io import find_spec, in_folder, is_path, list_files, read_spec, search_paths
from nevcalc.specs import cache as spec_cache
from nevcalc.specs.load import NAME_PATTERN, build_spec, parse_spec
from nevcalc.specs.model import Spec
from nevcalc.specs.schema import FIELDS, KIND_DIRS
from nevcalc.units import _shown

__all__ = [
    "KINDS",
    "MAX_EXTENDS",
    "in_folder",
    "list_specs",
    "list_titles",
    "load",
    "load_any",
    "load_path",
    "search_paths",
]

#: The kinds of spec, in the order ``nevcalc specs show`` looks a name up.
KINDS = ("vehicle", "charger", "chemistry", "usage", "climate", "route")
#: Title of a spec that does not load (its problems are reported alongside).
INVALID_TITLE = "(invalid: run `nevcalc specs validate`)"

#: Longest ``extends`` chain (a spec, its parent, its parent's parent ...).
MAX_EXTENDS = 16


def _find(kind: str, name: str) -> Path:
    folder = KIND_DIRS[kind]
    try:
        return find_spec(name, folder, kind)
    except SpecNotFound as exc:
        hint = f"(`nevcalc specs list {kind}` lists them)"
        raise SpecNotFound([f"{exc.problems[0]} {hint}"]) from None


def load(name: str, kind: str) -> Spec:
    """Load, validate and resolve the spec ``name`` of ``kind``.

    Parameters
    ----------
    name : str
        A spec name (``"byd-han-l"``) or a path to a ``.toml`` file.
    kind : str
        ``"chemistry"``, ``"vehicle"``, ``"charger"`` or ``"usage"``.

    Returns
    -------
    Spec

    Raises
    ------
    SpecError
        When the spec is missing or invalid, or a reference it makes is.
    """
    if kind not in KIND_DIRS:
        raise InputError(f"unknown spec kind {kind!r}; one of {', '.join(KIND_DIRS)}")
    if is_path(name):
        return load_path(Path(name), expect=kind)
    if not NAME_PATTERN.match(name):
        raise SpecNotFound(
            [f"{_shown(name)} is not a spec name (lowercase words joined by '-') nor a .toml path"]
        )
    path = _find(kind, name)
    return _load_cached(os.path.realpath(path), _mtime(path), kind, ())


def load_path(path: Path, expect: str | None = None) -> Spec:
    """Load the spec file at ``path`` (any kind, or ``expect``)."""
    path = Path(path)
    spec = _load_cached(os.path.realpath(path), _mtime(path), expect, ())
    return spec


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return -1.0


@lru_cache(maxsize=512)
def _load_cached(path: str, mtime: float, expect: str | None, chain: tuple[str, ...]) -> Spec:
    p = Path(path)
    parsed = spec_cache.get(p)
    if parsed is None:
        parsed = parse_spec(read_spec(p), p)
        spec_cache.put(p, parsed)
    if expect is not None and parsed["kind"] != expect:
        raise SpecError([f"{p}: kind: is {parsed['kind']!r}, but a {expect} is needed here"])
    kind = parsed["kind"]
    parent = None
    if parsed["extends"]:
        base = parsed["extends"]
        if base in chain or base == parsed["name"]:
            cycle = " -> ".join([*chain, parsed["name"], base])
            raise SpecError([f"{p}: extends: circular reference {cycle}"])
        if len(chain) + 1 >= MAX_EXTENDS:
            shown = " -> ".join([*chain[:3], "...", parsed["name"], base])
            raise SpecError(
                [f"{p}: extends: a chain of more than {MAX_EXTENDS} specs ({shown}); "
                 "let this spec extend one nearer the root, or copy the values it needs"]
            )  # fmt: skip
        try:
            base_path = _find(kind, base)
        except SpecNotFound as exc:
            raise SpecError([f"{p}: extends: {exc.problems[0]}"]) from None
        parent = _load_cached(
            os.path.realpath(base_path), _mtime(base_path), kind, (*chain, parsed["name"])
        )
    spec = build_spec(parsed, parent)
    # references to other kinds must resolve too
    for f in FIELDS[kind].values():
        if f.type == "ref" and f.ref_kind and f.name in spec.values:
            try:
                load(spec[f.name], f.ref_kind)
            except SpecNotFound as exc:
                raise SpecError([f"{p}: {f.name}: {exc.problems[0]}"]) from None
            except SpecError as exc:
                raise SpecError(
                    [f"{p}: {f.name}: {spec[f.name]!r} is invalid", *exc.problems]
                ) from None
    return spec


def list_specs(kind: str | None = None) -> list[tuple[str, str, Path]]:
    """All specs visible from here as ``(kind, name, path)``, first match per name wins.

    Parameters
    ----------
    kind : str, optional
        Only this kind.
    """
    kinds = [kind] if kind else list(KIND_DIRS)
    return [(k, name, path) for k in kinds for name, path in list_files(KIND_DIRS[k])]


def list_titles(kind: str | None = None) -> tuple[list[tuple[str, str, str, Path]], list[str]]:
    """Every visible spec with its title, and the problems of those that do not load.

    Parameters
    ----------
    kind : str, optional
        Only this kind.

    Returns
    -------
    items : list of (kind, name, title, path)
        One per spec of :func:`list_specs`; a spec that does not load (or whose file
        name is not a spec name) has the title :data:`INVALID_TITLE`.
    problems : list of str
        One line per problem, naming the file.
    """
    items, problems = [], []
    for k, name, path in list_specs(kind):
        try:
            if not NAME_PATTERN.match(name):
                raise SpecError(
                    [f"{path}: {name!r} is not a spec name (lowercase words joined by '-'); "
                     "rename the file"]
                )  # fmt: skip
            title = load(name, k).title  # by name: the spec-folder rules apply
        except SpecError as exc:
            problems += exc.problems
            title = INVALID_TITLE
        items.append((k, name, title, path))
    return items, problems


def load_any(name: str) -> list[Spec]:
    """The spec at path ``name``, or every spec of any kind named ``name`` (in :data:`KINDS`
    order); an empty list when there is none."""
    if name.endswith(".toml") or "/" in name:
        return [load_path(name)]
    found = []
    for k in KINDS:
        try:
            found.append(load(name, k))
        except SpecNotFound:
            continue
    return found
