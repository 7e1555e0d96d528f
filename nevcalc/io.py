"""Every file nevcalc reads, read in one place.

Naming follows pvlib's ``iotools``: ``read_*`` takes a path, ``parse_*`` takes
text (or a dict) already loaded, ``find_*`` turns a name into a path.

Search order
    A **name** resolves in ``./specs``, then each folder of ``$NEVCALC_SPECS``
    (separated by the platform's path separator), then the library bundled with
    nevcalc (:data:`BUNDLED_SPECS`); the first match wins (:func:`search_paths`).
    A name resolves only to a file inside the spec folder it was found in, once
    symlinks are resolved: a symlink that leads out of its spec folder is
    refused (:func:`in_folder`). A name is at most :data:`MAX_NAME` characters
    of letters, digits and ``-_.``; it is checked before any lookup, so that no
    long or odd text reaches the file system or a message in full.
    A **path** typed by the caller (it ends in ``.toml``/``.csv`` or holds a
    ``/``) is read wherever it points: the caller chose it. Names written
    *inside* a file are names only (:func:`check_name`).

Safety
    Whatever is read must be a regular file after symlinks are resolved (a
    folder, FIFO, device or socket is refused before it is opened), of bounded
    size (:data:`MAX_SPEC_BYTES`, :data:`MAX_CSV_BYTES`), UTF-8 (UTF-16 and
    files holding NUL bytes are refused with the fix); TOML nests at most
    :data:`MAX_NESTING` deep, checked on the text before the (recursive) TOML
    parser sees it. Long values are cut in messages (:func:`short`,
    :func:`shown_path`).

What reads what
    ==============  ========================================  ===========================
    file            here                                      parsed into objects by
    ==============  ========================================  ===========================
    spec TOML       :func:`find_spec`, :func:`read_spec`      ``nevcalc.specs.load``
                                                              (``nevcalc.catalog.load``)
    cycle CSV       :func:`find_cycle`, :func:`read_cycle`,    ``nevcalc.cycles``
                    :func:`parse_cycle`,
                    :func:`read_cycle_index`
    scenario TOML   :func:`find_scenario`,                    ``nevcalc.scenario.scenarios``
                    :func:`read_scenario`
    sweep TOML      :func:`find_sweep`, :func:`read_sweep`    ``nevcalc.sweeps.plan``
    market history  :func:`read_market`                       ``nevcalc.scenario.trend``
    exchange rates  :func:`read_exchange_rates`               ``nevcalc.units`` (given the
                                                              table, it reads no file)
    ==============  ========================================  ===========================

Kept names: ``nevcalc.specs.files`` and ``nevcalc.scenario.files`` re-export
the readers from here; ``nevcalc.catalog.search_paths``/``in_folder`` are
these functions; ``nevcalc.cycles.read_cycle_csv``/``load_cycle``,
``nevcalc.scenario.trend.load_market`` and ``nevcalc.sweeps.plan.load_plan``
are thin wrappers that read here and parse with their owner.
"""

from __future__ import annotations

import csv
import difflib
import math
import os
import re
import stat
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from io import StringIO
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nevcalc.errors import SpecError, SpecFileError, SpecNotFound, UnitInputError
from nevcalc.units import to_si

if TYPE_CHECKING:
    import numpy as np

__all__ = [
    "BUNDLED_SPECS",
    "EXCHANGE_RATES_FILE",
    "MARKET_FILE",
    "MAX_CSV_BYTES",
    "MAX_CYCLE_ROWS",
    "MAX_NAME",
    "MAX_NESTING",
    "MAX_SPEC_BYTES",
    "CycleTable",
    "check_name",
    "find",
    "find_cycle",
    "find_scenario",
    "find_spec",
    "find_sweep",
    "in_folder",
    "inside",
    "is_path",
    "list_files",
    "nesting_depth",
    "parse_cycle",
    "parse_toml",
    "read_bytes",
    "read_cycle",
    "read_cycle_index",
    "read_exchange_rates",
    "read_market",
    "read_model_data",
    "read_scenario",
    "read_spec",
    "read_sweep",
    "read_text",
    "read_toml",
    "search_paths",
    "search_shipped_only",
    "short",
    "shown_path",
    "source_name",
]

#: The spec library shipped inside the package (last in the search order).
BUNDLED_SPECS = Path(__file__).resolve().parent / "_specs"
#: The shipped market history (pack prices, demand, charging power).
MARKET_FILE = BUNDLED_SPECS / "data" / "battery_market.toml"
#: The shipped dated exchange rates (USD per unit of each currency).
EXCHANGE_RATES_FILE = BUNDLED_SPECS / "data" / "exchange_rates.toml"

#: Largest spec, scenario or sweep TOML file read [bytes] (shipped specs are < 10 kB).
MAX_SPEC_BYTES = 1 << 20
#: Largest drive-cycle or route CSV read [bytes] (a day at 10 Hz is about 20 MB).
MAX_CSV_BYTES = 32 << 20
#: Deepest nesting of arrays and tables in a TOML file (specs need 3).
MAX_NESTING = 8
#: Longest name looked up in the spec folders [characters].
MAX_NAME = 100
#: Most data rows of a cycle CSV.
MAX_CYCLE_ROWS = 1_000_000
#: Longest path or name echoed in full in a message [characters].
_MAX_SHOWN = 120

_NAME = re.compile(r"^[A-Za-z0-9]+(?:[-_.][A-Za-z0-9]+)*$")


# --- messages -------------------------------------------------------------------------------


def short(value: Any, limit: int = 60) -> str:
    """``repr(value)``, cut to ``limit`` characters for a one-line message."""
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + "..."


def source_name(path: Path | str) -> str:
    """A spec or data file's path as an answer names it: from the folder that holds the
    nevcalc package when the file ships with it, else from the current folder when it lies
    below it, else as given (an answer shown to others names no more of the machine's
    folders than that).

    Examples
    --------
    >>> name = source_name(MARKET_FILE)
    >>> name.endswith("data/battery_market.toml"), Path(name).is_absolute()
    (True, False)
    """
    p = Path(path)
    for root in (BUNDLED_SPECS.parent.parent, Path.cwd()):
        try:
            return p.resolve().relative_to(root.resolve()).as_posix()
        except (ValueError, OSError):
            continue
    return str(p)


def shown_path(path: Path | str) -> str:
    """A path for a message: in full up to 120 characters, else its two ends."""
    text = str(path)
    if len(text) <= _MAX_SHOWN:
        return text
    return f"{text[:50]}...{text[-50:]} ({len(text):,} characters)"


# --- safe reading ---------------------------------------------------------------------------

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


def _cannot(where: str, exc: OSError) -> SpecFileError:
    return SpecFileError(
        [
            f"{where}: cannot read ({exc.strerror or type(exc).__name__}); check the path and "
            "its permissions"
        ]
    )


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
    where = shown_path(path)
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise SpecFileError([f"{where}: no such file; check the path (give {expected})"]) from None
    except (OSError, ValueError) as exc:  # ValueError: a NUL byte in the path
        if isinstance(exc, ValueError):
            raise SpecFileError([f"{where}: not a file path (it holds a NUL byte)"]) from None
        raise _cannot(where, exc) from None
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
        raise _cannot(where, exc) from None
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
        raise _cannot(where, exc) from None
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
    where = shown_path(path)
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


def parse_toml(text: str, where: str = "TOML") -> dict[str, Any]:
    """Parse TOML text, nesting bounded first, every failure a :class:`SpecError`.

    Parameters
    ----------
    text : str
    where : str
        The file or source, starting every message.

    Returns
    -------
    dict
        Arrays and tables nest at most :data:`MAX_NESTING` deep.

    Raises
    ------
    SpecError
        One line naming ``where``, the problem and the fix.
    """
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
        The parsed TOML (:func:`parse_toml`).
    """
    return parse_toml(read_text(path, limit, expected), shown_path(path))


# --- the search order -----------------------------------------------------------------------


#: Whether names are looked up in the user's folders too (off: :func:`search_shipped_only`).
_USER_FOLDERS = {"on": True}


def search_shipped_only() -> None:
    """From now on in this process, look names up in :data:`BUNDLED_SPECS` only.

    ``nevcalc serve`` answers requests of others: it reads no ``./specs`` of the
    folder it was started in and no ``$NEVCALC_SPECS``, and its messages list the
    one folder it searches.
    """
    _USER_FOLDERS["on"] = False


def search_paths() -> list[Path]:
    """Spec folders searched for names, first match wins.

    ``./specs``, each folder of ``$NEVCALC_SPECS`` (``os.pathsep``-separated),
    then :data:`BUNDLED_SPECS`; a folder listed twice is searched once. Only
    :data:`BUNDLED_SPECS` after :func:`search_shipped_only`.
    """
    paths = []
    if _USER_FOLDERS["on"]:
        paths.append(Path.cwd() / "specs")
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


def inside(path: Path, root: Path) -> bool:
    """Whether ``path``, symlinks resolved, lies within ``root`` (also resolved)."""
    try:
        real = path.resolve(strict=True)
        base = root.resolve(strict=True)
    except (OSError, RuntimeError):
        return False
    return real == base or base in real.parents


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
            [f"{path}: a symlink to {shown_path(os.path.realpath(path))}, outside the spec "
             f"folder {root}; names resolve only within the spec folders: copy the file into "
             f"{root} or give its path on the command line"]
        )  # fmt: skip
    return path


def is_path(name: str, suffix: str = ".toml") -> bool:
    """True when ``name`` is a file path (ends in ``suffix``, in any case, or holds a
    separator)."""
    return name.lower().endswith(suffix.lower()) or "/" in name or os.sep in name


def check_name(name: Any, what: str, where: str = "") -> str:
    """``name`` checked to be a name (not a path) before any lookup.

    Parameters
    ----------
    name : str
        At most :data:`MAX_NAME` characters of letters, digits and ``-_.``,
        starting and ending with a letter or digit.
    what : str
        What is named (``"vehicle"``, ``"cycle"``), for messages.
    where : str, optional
        Prefix of the message (a file and key).

    Raises
    ------
    SpecNotFound
        Naming the (cut) value and what a name looks like.
    """
    head = f"{where}: " if where else ""
    if not isinstance(name, str):
        raise SpecNotFound([f"{head}{short(name)} is not a {what} name; give a name in quotes"])
    if len(name) > MAX_NAME:
        raise SpecNotFound(
            [f"{head}{short(name)} is {len(name):,} characters long, not a {what} name "
             f"(at most {MAX_NAME}: lowercase words joined by '-')"]
        )  # fmt: skip
    if not _NAME.match(name):
        raise SpecNotFound(
            [f"{head}{short(name)} is not a {what} name (lowercase words joined by '-')"]
        )
    return name


def list_files(subfolder: str, suffix: str = ".toml") -> list[tuple[str, Path]]:
    """``(name, path)`` of every file in ``<spec folder>/subfolder``, first match per name."""
    seen: dict[str, Path] = {}
    for root in search_paths():
        folder = root / subfolder
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob(f"*{suffix}")):
            seen.setdefault(path.stem, path)
    return list(seen.items())


def find(name: str, subfolder: str, what: str, suffix: str = ".toml", known=None) -> Path:
    """The file a name refers to in the search order, inside its spec folder.

    Parameters
    ----------
    name : str
        Checked by :func:`check_name` first.
    subfolder : str
        ``"vehicles"``, ``"cycles"``, ``"scenarios"``, ``"sweeps"`` ...
    what : str
        What is named, for messages.
    suffix : str, optional
        ``".toml"`` or ``".csv"``.
    known : iterable of str, optional
        Names offered in the message when nothing is found (those listed in
        the folders by default).

    Raises
    ------
    SpecNotFound
        Nothing of that name; the message names the folders and close names.
    SpecError
        A symlink out of its spec folder, or a broken one.
    """
    check_name(name, what)
    for root in search_paths():
        candidate = root / subfolder / f"{name}{suffix}"
        if os.path.lexists(candidate):
            return in_folder(candidate, root)
    names = sorted(known if known is not None else (n for n, _ in list_files(subfolder, suffix)))
    close = difflib.get_close_matches(name, names, n=3, cutoff=0.5)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    folders = ", ".join(shown_path(r / subfolder) for r in search_paths())
    raise SpecNotFound([f"no {what} named {short(name)} in {folders}{hint}"])


def _named_or_path(name: str, subfolder: str, what: str, suffix: str = ".toml") -> Path:
    if len(name) > 4096:
        raise SpecNotFound(
            [f"{short(name)}: a name or path of {len(name):,} characters; give a {what} "
             f"name or a {suffix} path"]
        )  # fmt: skip
    if is_path(name, suffix):
        p = Path(name)
        if not os.path.lexists(p):  # a FIFO or folder is refused by the reader, naming it
            raise SpecNotFound(
                [f"{shown_path(p)}: file not found; give the path of a {what} {suffix} file, "
                 f"or a name in the spec folders"]
            )  # fmt: skip
        return p
    try:
        return find(name, subfolder, what, suffix)
    except SpecNotFound as exc:
        raise SpecNotFound([f"{exc.problems[0]} (or give a {suffix} path)"]) from None


# --- specs ----------------------------------------------------------------------------------


def find_spec(name: str, folder: str, kind: str) -> Path:
    """The spec file of ``kind`` named ``name`` in ``<spec folder>/folder``."""
    return find(name, folder, kind)


def read_spec(path: Path | str) -> dict[str, Any]:
    """The raw TOML of a spec file (validated by :func:`nevcalc.specs.load.parse_spec`)."""
    return read_toml(path, MAX_SPEC_BYTES, "a spec .toml file")


# --- scenarios and sweeps -------------------------------------------------------------------


def find_scenario(name: str) -> Path:
    """A scenario file by name in ``specs/scenarios`` or by path."""
    return _named_or_path(name, "scenarios", "scenario")


def read_scenario(path: Path | str) -> dict[str, Any]:
    """The raw TOML of a scenario file."""
    return read_toml(path, MAX_SPEC_BYTES, "a scenario .toml file")


def find_sweep(name: str) -> Path:
    """A sweep file by name in ``specs/sweeps`` or by path."""
    return _named_or_path(name, "sweeps", "sweep")


def read_sweep(path: Path | str) -> dict[str, Any]:
    """The raw TOML of a sweep file."""
    return read_toml(path, MAX_SPEC_BYTES, "a sweep .toml file")


# --- data tables ----------------------------------------------------------------------------


def read_market(path: Path | str | None = None) -> dict[str, Any]:
    """The raw TOML of a market-history file (:data:`MARKET_FILE` by default)."""
    p = Path(MARKET_FILE if path is None else path)
    if not os.path.lexists(p):
        raise SpecError(
            [f"{shown_path(p)}: file not found; give the path of a market-history .toml file, "
             "or leave out --data for the shipped one"]
        )  # fmt: skip
    return read_toml(p, MAX_SPEC_BYTES, "a market-history .toml file")


def read_exchange_rates(path: Path | str | None = None) -> dict[str, Any]:
    """The dated exchange-rate table (:data:`EXCHANGE_RATES_FILE` by default).

    Returns
    -------
    dict
        ``reference_year`` and ``usd_per_unit = {CODE: {year: {value, ...}}}``.
    """
    doc = read_toml(EXCHANGE_RATES_FILE if path is None else path, MAX_SPEC_BYTES,
                    "an exchange-rate .toml file")  # fmt: skip
    if "reference_year" not in doc or not isinstance(doc.get("usd_per_unit"), dict):
        raise SpecError([f"{shown_path(path or EXCHANGE_RATES_FILE)}: needs reference_year and "
                         "[usd_per_unit.CODE] tables"])  # fmt: skip
    return doc


#: Shipped model-data tables (fitted relations, calibrated error bands), by name.
MODEL_DATA = (
    "brochure",
    "intervals",
    "brochure_road",
    "intervals_range",
    "brochure_charging",
    "intervals_charge",
    "fleet_ageing",
    "driving_climate",
)


def read_model_data(name: str) -> dict[str, Any]:
    """The raw TOML of a shipped model-data table (``specs/data/NAME.toml``).

    Parameters
    ----------
    name : str
        One of :data:`MODEL_DATA`: ``"brochure"`` (relations that estimate what a
        datasheet leaves out) or ``"intervals"`` (nevcalc's calibrated error bands);
        ``"brochure_charging"`` and ``"intervals_charge"`` are those of charge times.
        ``"fleet_ageing"`` is the fleet correction of the lab-cell ageing models;
        ``"driving_climate"`` the cabin conductance of driving in the cold.
    """
    if name not in MODEL_DATA:
        raise LookupError(f"no model-data table {name!r}; expected one of {', '.join(MODEL_DATA)}")
    return read_toml(BUNDLED_SPECS / "data" / f"{name}.toml", MAX_SPEC_BYTES,
                     f"the shipped {name} table")  # fmt: skip


# --- drive cycles ---------------------------------------------------------------------------

_HEADER = re.compile(r"^\s*([A-Za-z_]+)\s*\[(.+)\]\s*$")
_COLUMNS = {"time": "s", "speed": "m/s", "grade": ""}
_MAX_UNIT_TEXT = 40


@dataclass(frozen=True)
class CycleTable:
    """The columns of a cycle CSV in SI floats, with the line of each row.

    Attributes
    ----------
    time : numpy.ndarray
        [s]
    speed : numpy.ndarray
        [m s^-1]
    grade : numpy.ndarray
        Rise over run [-]; zeros when the file has no grade column.
    lines : list of int
        Line of each row in the file, for messages.
    where : str
        The file, for messages.
    """

    time: np.ndarray
    speed: np.ndarray
    grade: np.ndarray
    lines: list[int]
    where: str


def _unit_factor(unit: str, expected: str, where: str) -> float:
    if len(unit) > _MAX_UNIT_TEXT:
        raise SpecError([f"{where}: the unit is {len(unit)} characters long; write e.g. [km/h]"])
    try:
        return to_si(f"1 {unit}", expected or "dimensionless", where)
    except UnitInputError as exc:
        raise SpecError([str(exc).splitlines()[0]]) from None
    except (ArithmeticError, ValueError, TypeError):
        raise SpecError(
            [f"{where}: cannot read the unit {unit[:40]!r}; write e.g. [km/h]"]
        ) from None


def _header(header: list[str], where: str) -> dict[str, tuple[int, float]]:
    cols: dict[str, tuple[int, float]] = {}
    for i, cell in enumerate(header):
        m = _HEADER.match(cell)
        if not m:
            raise SpecError(
                [f"{where}: header column {i + 1} {cell.strip()[:40]!r} has no unit; "
                 "write it as 'time [s]', 'speed [km/h]' or 'grade [%]'"]
            )  # fmt: skip
        key = m.group(1).lower()
        if key not in _COLUMNS:
            raise SpecError(
                [f"{where}: unknown column {key[:40]!r}; expected time, speed and "
                 "optionally grade"]
            )  # fmt: skip
        if key in cols:
            raise SpecError([f"{where}: column {key!r} appears twice in the header; keep one"])
        cols[key] = (i, _unit_factor(m.group(2), _COLUMNS[key], f"{where}: column {key}"))
    for key in ("time", "speed"):
        if key not in cols:
            raise SpecError([f"{where}: no '{key} [unit]' column in the header"])
    return cols


def _rows(text: str, where: str, max_rows: int) -> Iterator[tuple[int, list[str]]]:
    """Non-blank CSV rows with their line numbers, at most ``max_rows`` + 1."""
    n = 0
    for line, row in enumerate(csv.reader(StringIO(text)), start=1):
        if not any(c.strip() for c in row):
            continue
        n += 1
        if n > max_rows + 1:
            raise SpecError(
                [f"{where}: more than {max_rows:,} rows; resample the trace "
                 "(1 Hz is plenty)"]
            )  # fmt: skip
        yield line, row


def _number(cell: str) -> float | None:
    if len(cell) > 40:  # no measured value needs more digits
        return None
    try:
        return float(cell)
    except ValueError:
        return None


def parse_cycle(text: str, where: str = "cycle", max_rows: int = MAX_CYCLE_ROWS) -> CycleTable:
    """Parse cycle CSV text whose header names each column's unit.

    ``time [unit]`` and ``speed [unit]`` are required, ``grade [unit]``
    optional; any pint unit of the right dimension is accepted. Every cell
    must be a finite number. The bounds of the trace itself (increasing
    time, speeds, grades, accelerations) are checked by
    :class:`nevcalc.cycles.Cycle`'s readers.

    Parameters
    ----------
    text : str
    where : str
        The file, starting every message.
    max_rows : int, optional
        Most data rows accepted.

    Returns
    -------
    CycleTable

    Raises
    ------
    SpecError
        Naming the line and column, what was expected and the fix.
    """
    import numpy as np  # lazy: `import nevcalc` (which wires this module) stays light

    rows = _rows(text, where, max_rows)
    first = next(rows, None)
    if first is None:
        raise SpecError([f"{where}: the file is empty; expected a header 'time [s],speed [km/h]'"])
    cols = _header(first[1], where)
    lines: list[int] = []
    values: dict[str, list[float]] = {k: [] for k in cols}
    for n, row in rows:
        lines.append(n)
        for key, (i, factor) in cols.items():
            cell = row[i].strip() if i < len(row) else ""
            x = _number(cell)
            if x is None:
                raise SpecError(
                    [f"{where}: line {n}, column {key}: {cell[:40]!r} is not a number"]
                )
            if not math.isfinite(x):
                raise SpecError([f"{where}: line {n}, column {key}: {cell!r} is not finite"])
            values[key].append(x * factor)
    if len(lines) < 2:
        raise SpecError([f"{where}: a cycle needs at least two rows of data"])
    t, v = np.array(values["time"]), np.array(values["speed"])
    grade = np.array(values["grade"]) if "grade" in values else np.zeros_like(t)
    return CycleTable(t, v, grade, lines, where)


def read_cycle(path: Path | str, max_rows: int = MAX_CYCLE_ROWS) -> CycleTable:
    """Read a cycle CSV file (regular, UTF-8, at most :data:`MAX_CSV_BYTES`); see
    :func:`parse_cycle`."""
    text = read_text(path, MAX_CSV_BYTES, "a drive-cycle .csv file")
    return parse_cycle(text, shown_path(path), max_rows)


def find_cycle(name: str) -> Path:
    """A cycle CSV by name in ``specs/cycles`` (inside its spec folder)."""
    return find(name.lower(), "cycles", "cycle", ".csv")


def read_cycle_index(path: Path | str | None = None) -> dict[str, Any]:
    """The provenance of the shipped cycles (``specs/cycles/cycles.toml``): name -> table."""
    return read_toml(BUNDLED_SPECS / "cycles" / "cycles.toml" if path is None else path)
