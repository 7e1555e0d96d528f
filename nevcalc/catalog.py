"""Find specs by name.

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
from nevcalc.specs import cache as spec_cache
from nevcalc.specs.files import inside
from nevcalc.specs.load import NAME_PATTERN, build_spec, parse_spec, read_toml
from nevcalc.specs.model import Spec
from nevcalc.specs.schema import FIELDS, KIND_DIRS
from nevcalc.units import BUNDLED_SPECS, _shown

__all__ = ["MAX_EXTENDS", "in_folder", "list_specs", "load", "load_path", "search_paths"]

#: Longest ``extends`` chain (a spec, its parent, its parent's parent ...).
MAX_EXTENDS = 16


def search_paths() -> list[Path]:
    """Folders searched for specs, first match wins."""
    paths = [Path.cwd() / "specs"]
    env = os.environ.get("NEVCALC_SPECS", "")
    paths += [Path(p).expanduser() for p in env.split(os.pathsep) if p.strip()]
    paths.append(BUNDLED_SPECS)
    seen, out = set(), []
    for p in paths:
        key = os.path.realpath(p) if p.exists() else str(p)
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out


def _is_path(name: str) -> bool:
    return name.endswith(".toml") or os.sep in name or "/" in name


def _find(kind: str, name: str) -> Path:
    folder = KIND_DIRS[kind]
    for root in search_paths():
        candidate = root / folder / f"{name}.toml"
        if os.path.lexists(candidate):
            return in_folder(candidate, root)
    known = sorted({n for _, n, _ in list_specs(kind)})
    import difflib

    close = difflib.get_close_matches(name, known, n=3, cutoff=0.5)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    raise SpecNotFound(
        [
            f"no {kind} named {_shown(name)} in "
            f"{', '.join(str(p / folder) for p in search_paths())}"
            f"{hint} (`nevcalc specs list {kind}` lists them)"
        ]
    )


def in_folder(path: Path, root: Path) -> Path:
    """``path``, found by name under spec folder ``root``, checked to lie within it.

    Raises
    ------
    SpecError
        When ``path`` is a symlink (or under a symlinked folder) that leads
        outside ``root``, or a broken symlink.
    """
    if not os.path.exists(path):
        raise SpecError([f"{path}: a broken symlink; remove it or point it at a file"])
    if not inside(path, root):
        raise SpecError(
            [f"{path}: a symlink to {os.path.realpath(path)}, outside the spec folder {root}; "
             "names resolve only within the spec folders: copy the file into "
             f"{root} or give its path on the command line"]
        )  # fmt: skip
    return path


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
    if _is_path(name):
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
        parsed = parse_spec(read_toml(p), p)
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
    out: list[tuple[str, str, Path]] = []
    for k in kinds:
        seen: set[str] = set()
        for root in search_paths():
            folder = root / KIND_DIRS[k]
            if not folder.is_dir():
                continue
            for path in sorted(folder.glob("*.toml")):
                if path.stem not in seen:
                    seen.add(path.stem)
                    out.append((k, path.stem, path))
    return out
