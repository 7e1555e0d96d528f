"""A cache of validated specs in SI floats, so that reading a spec needs no pint.

Parsing a spec's text with units costs a few hundred milliseconds of pint
start-up; a command that only reads shipped specs should not pay it. After a
file has been validated once, its SI values are kept in a JSON file under
``$NEVCALC_CACHE`` (default: ``$XDG_CACHE_HOME/nevcalc`` or
``~/.cache/nevcalc``), keyed by the file's path, size, modification time,
the nevcalc version and a hash of the code and data that decide what a valid
spec is and what its SI values are (the schema, the loader and its checks,
the unit parser, the exchange rates): a changed schema never reads an old
cache. Writes are atomic; a cache that cannot be read or written is ignored.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any

from nevcalc._version import __version__
from nevcalc.io import read_bytes
from nevcalc.specs.model import Provenance, Table

__all__ = ["cache_dir", "code_stamp", "get", "get_arrays", "put", "put_arrays", "source_stamp"]

_FORMAT = 2
#: Largest cache entry read [bytes] (entries are a few kB).
_MAX_ENTRY_BYTES = 4 << 20

_PACKAGE = Path(__file__).resolve().parents[1]
#: Files whose content decides the cached parse (relative to the package).
_CODE = (
    "specs/schema.py",
    "specs/load.py",
    "specs/checks.py",
    "specs/files.py",
    "specs/model.py",
    "specs/cache.py",
    "units.py",
    "io.py",
    "errors.py",
    "_specs/data/exchange_rates.toml",
)


@lru_cache(maxsize=32)
def source_stamp(*files: str) -> str:
    """Hash of package files (paths relative to the package), for cache keys.

    Anything cached across runs from computed results (a spec's SI values, a
    health table) keys on the code that computed it, so that a changed model
    never reads an old result. A file that cannot be read enters by name.
    """
    h = hashlib.sha1()
    for rel in files:
        h.update(rel.encode())
        try:
            h.update((_PACKAGE / rel).read_bytes())
        except OSError:
            pass
    return h.hexdigest()[:16]


def code_stamp() -> str:
    """Hash of the schema, loader and unit code (computed once per process, ~0.1 ms).

    A file that cannot be read (an installation without sources) enters as
    its name only; the nevcalc version in the key still tells releases apart.
    """
    return source_stamp(*_CODE)


def cache_dir() -> Path:
    """Folder of the spec cache."""
    env = os.environ.get("NEVCALC_CACHE")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "nevcalc"


def _key(path: Path, kind: str = "", code: str = "") -> tuple[Path, list[Any]] | None:
    """Entry file and stamp of ``path``; ``kind`` names what is cached of it (a spec's
    parse when empty), ``code`` a :func:`source_stamp` of the code that computed it."""
    try:
        st = path.stat()
    except OSError:
        return None
    name = hashlib.sha1(f"{kind}{path}".encode()).hexdigest()[:20] + ".json"
    stamp = [str(path), st.st_size, st.st_mtime_ns, __version__, _FORMAT, code_stamp()]
    if kind:
        stamp += [kind, code]
    return cache_dir() / name, stamp


def _encode(parsed: dict[str, Any]) -> dict[str, Any]:
    def value(v):
        if isinstance(v, Table):
            return {"soc": list(v.soc), "value": list(v.value)}
        return v

    def published(item):
        out = dict(item)
        prov = out.pop("provenance", None)
        if prov is not None:
            out["provenance"] = [prov.source, prov.kind, prov.note]
        return out

    return {
        **parsed,
        "values": {k: value(v) for k, v in parsed["values"].items()},
        "provenance": {k: [p.source, p.kind, p.note] for k, p in parsed["provenance"].items()},
        "published": [published(i) for i in parsed["published"]],
    }


def _decode(doc: dict[str, Any]) -> dict[str, Any]:
    def value(v):
        if isinstance(v, dict):
            return Table(tuple(v["soc"]), tuple(v["value"]))
        return v

    def published(item):
        out = dict(item)
        if "provenance" in out:
            out["provenance"] = Provenance(*out["provenance"])
        return out

    return {
        **doc,
        "values": {k: value(v) for k, v in doc["values"].items()},
        "provenance": {k: Provenance(*p) for k, p in doc["provenance"].items()},
        "published": tuple(published(i) for i in doc["published"]),
    }


def _read(key) -> Any:
    """The stored document of ``key`` (from :func:`_key`), None when absent or stale."""
    if key is None:
        return None
    file, stamp = key
    try:  # a regular file of bounded size: a FIFO or device here must not hang a start
        doc = json.loads(read_bytes(file, _MAX_ENTRY_BYTES, "a cache entry"))
    except (OSError, ValueError, RecursionError):  # SpecFileError is an OSError
        return None
    if not isinstance(doc, dict) or doc.get("stamp") != stamp:
        return None
    return doc.get("parsed")


def get(path: Path) -> dict[str, Any] | None:
    """The cached parse of ``path``, or None when absent or stale."""
    parsed = _read(_key(path))
    if parsed is None:
        return None
    try:
        return _decode(parsed)
    except (KeyError, TypeError, ValueError, AttributeError):
        return None


def get_arrays(path: Path, kind: str, code: str) -> dict[str, list[float]] | None:
    """Float columns stored by :func:`put_arrays` for ``path``, or None when absent or
    stale (the file, the package or ``code`` changed). Floats round-trip exactly."""
    doc = _read(_key(path, kind, code))
    if not isinstance(doc, dict):
        return None
    for v in doc.values():
        if not isinstance(v, list) or not all(type(x) is float for x in v):
            return None
    return doc


def put(path: Path, parsed: dict[str, Any]) -> None:
    """Store the parse of a valid spec; silently does nothing when it cannot."""
    _write(_key(path), _encode(parsed))


def put_arrays(path: Path, kind: str, code: str, arrays: dict[str, Any]) -> None:
    """Store float columns (1-d arrays or sequences) computed from ``path`` by ``code``
    (a :func:`source_stamp`); silently does nothing when it cannot."""
    _write(_key(path, kind, code), {k: [float(x) for x in v] for k, v in arrays.items()})


def _write(key, parsed) -> None:
    if key is None:
        return
    file, stamp = key
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=file.parent, prefix=".tmp-", suffix=".json")
        with os.fdopen(fd, "w") as fh:
            json.dump({"stamp": stamp, "parsed": parsed}, fh)
        os.replace(tmp, file)
    except (OSError, TypeError, ValueError):
        try:
            os.unlink(tmp)  # type: ignore[possibly-undefined]
        except (OSError, NameError):
            pass
