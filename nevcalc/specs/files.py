"""Read input files safely: regular files only, sizes and depths bounded first.

Every file nevcalc reads on a user's behalf (spec TOML, drive-cycle CSV,
scenario and sweep TOML) goes through :func:`read_text`: the path must name a
regular file (after symlinks are resolved), no larger than a stated bound, in
UTF-8. A device (``/dev/zero``), a FIFO, a socket or a folder is refused
before it is opened, so nothing can hang or fill memory. :func:`read_toml`
adds a bound on how deeply arrays and tables nest, checked on the text before
the TOML parser (which recurses) sees it.

Where specs are looked up by name (``./specs``, ``$NEVCALC_SPECS``, the
bundled library), :func:`inside` tells whether a file found in a spec folder
really lies in it; a symlink that leads out of its spec folder is refused.
Paths typed on the command line are the user's own choice and are read
wherever they point.
"""

from __future__ import annotations

import os
import re
import stat
import tomllib
from pathlib import Path
from typing import Any

from nevcalc.errors import SpecError, SpecFileError

__all__ = [
    "MAX_CSV_BYTES",
    "MAX_NESTING",
    "MAX_SPEC_BYTES",
    "inside",
    "nesting_depth",
    "read_text",
    "read_toml",
]

#: Largest spec, scenario or sweep TOML file read [bytes] (shipped specs are < 10 kB).
MAX_SPEC_BYTES = 1 << 20
#: Largest drive-cycle or route CSV read [bytes] (a day at 10 Hz is about 20 MB).
MAX_CSV_BYTES = 32 << 20
#: Deepest nesting of arrays and tables in a TOML file (specs need 3).
MAX_NESTING = 8

_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def _what_is(mode: int) -> str:
    for test, name in _KINDS:
        if test(mode):
            return name
    return "not a regular file"


def _size(n: int) -> str:
    return f"{n / (1 << 20):.0f} MiB" if n >= 1 << 20 else f"{n / 1024:.0f} KiB"


def read_bytes(path: Path | str, limit: int, expected: str = "a .toml file") -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes.

    Parameters
    ----------
    path : pathlib.Path or str
        The file; symlinks are followed.
    limit : int
        Largest size accepted [bytes].
    expected : str
        What the file should be, for messages (``"a .toml file"``).

    Returns
    -------
    bytes

    Raises
    ------
    SpecFileError
        Naming the path, what it is instead, and the fix.
    """
    where = str(path)
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise SpecFileError([f"{where}: no such file"]) from None
    except OSError as exc:
        raise SpecFileError([f"{where}: cannot read ({exc.strerror or exc})"]) from None
    if not stat.S_ISREG(st.st_mode):
        raise SpecFileError(
            [f"{where}: is {_what_is(st.st_mode)}, not a regular file; give {expected}"]
        )
    if st.st_size > limit:
        raise SpecFileError(
            [f"{where}: {st.st_size:,} bytes, larger than the {_size(limit)} allowed for "
             f"{expected}; check that this is the right file"]
        )  # fmt: skip
    try:
        # O_NONBLOCK: should the path have become a FIFO since the stat, do not wait on it
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise SpecFileError([f"{where}: cannot read ({exc.strerror or exc})"]) from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise SpecFileError([f"{where}: not a regular file; give {expected}"])
        chunks, total = [], 0
        while total <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    except OSError as exc:
        raise SpecFileError([f"{where}: cannot read ({exc.strerror or exc})"]) from None
    finally:
        os.close(fd)
    if total > limit:
        raise SpecFileError(
            [f"{where}: larger than the {_size(limit)} allowed for {expected} (it grew)"]
        )
    return b"".join(chunks)


def read_text(path: Path | str, limit: int, expected: str = "a .toml file") -> str:
    """The UTF-8 text of a regular file of at most ``limit`` bytes.

    A UTF-8 byte-order mark is dropped. UTF-16/32 text and binary files are
    refused with the fix ("save it as UTF-8").

    Raises
    ------
    SpecFileError
        Naming the path and the fix.
    """
    where = str(path)
    raw = read_bytes(path, limit, expected)
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    elif raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise SpecFileError(
            [f"{where}: the file is UTF-16 text; save it as UTF-8 (the encoding TOML and CSV "
             "readers expect)"]
        )  # fmt: skip
    if b"\x00" in raw:
        raise SpecFileError(
            [f"{where}: a binary file (it holds NUL bytes), not {expected}; check the path"]
        )
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SpecFileError(
            [f"{where}: not UTF-8 text (byte {exc.start}); save the file as UTF-8"]
        ) from None


# strings and comments (where brackets do not count), and the brackets themselves
_TOML_TOKENS = re.compile(
    r'"""(?:[^\\]|\\.)*?"""|\'\'\'.*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'[^\'\n]*\'|#[^\n]*|[\[\]{}]',
    re.DOTALL,
)


def nesting_depth(text: str) -> int:
    """Deepest nesting of ``[`` / ``{`` in TOML text, strings and comments skipped.

    Runs in linear time without recursion, so it can be called on any text
    before the (recursive) TOML parser.
    """
    depth = deepest = 0
    for m in _TOML_TOKENS.finditer(text):
        c = m.group()
        if c in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif c in "]}":
            depth = max(depth - 1, 0)
    return deepest


def _data_depth(data: Any) -> int:
    deepest, stack = 0, [(data, 0)]
    while stack:
        item, d = stack.pop()
        deepest = max(deepest, d)
        if d > MAX_NESTING:
            break
        if isinstance(item, dict):
            stack += [(v, d + 1) for v in item.values()]
        elif isinstance(item, list):
            stack += [(v, d + 1) for v in item]
    return deepest


def read_toml(
    path: Path | str, limit: int = MAX_SPEC_BYTES, expected: str = "a .toml file"
) -> dict[str, Any]:
    """Read a TOML file, turning every way it can fail into a :class:`SpecError`.

    Parameters
    ----------
    path : pathlib.Path or str
    limit : int, optional
        Largest size accepted [bytes]; 1 MiB by default.
    expected : str, optional
        What the file should be, for messages.

    Returns
    -------
    dict
        The parsed TOML; arrays and tables nest at most :data:`MAX_NESTING` deep.

    Raises
    ------
    SpecError
        One line naming the file, the problem and the fix.
    """
    where = str(path)
    text = read_text(path, limit, expected)
    if not text.strip():
        raise SpecError([f"{where}: the file is empty; a spec needs at least kind and title"])
    too_deep = [
        f"{where}: arrays or tables nest more than {MAX_NESTING} deep; "
        "a spec file needs at most 3 levels (key = { soc = [...] })"
    ]
    if nesting_depth(text) > MAX_NESTING:
        raise SpecError(too_deep)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SpecError([f"{where}: not valid TOML: {exc}"]) from None
    except ValueError as exc:  # e.g. an integer of more than 4300 digits
        raise SpecError([f"{where}: not valid TOML: {str(exc)[:120]}"]) from None
    except RecursionError:  # pragma: no cover - nesting_depth bounds it first
        raise SpecError(too_deep) from None
    if _data_depth(data) > MAX_NESTING:
        raise SpecError(too_deep)
    return data


def inside(path: Path, root: Path) -> bool:
    """Whether ``path``, symlinks resolved, lies within ``root`` (also resolved)."""
    try:
        real = path.resolve(strict=True)
        base = root.resolve(strict=True)
    except (OSError, RuntimeError):
        return False
    return real == base or base in real.parents
