"""Drive cycles: speed traces with units in the CSV header, checked on the way in.

A cycle file is CSV with a header that names each column's unit::

    time [s],speed [km/h],grade [%]
    0,0,0
    1,3.2,0

``time`` and ``speed`` are required, ``grade`` (rise over run) is optional.
Any pint unit of the right dimension is accepted (``speed [mph]``,
``time [min]``). A UTF-8 byte-order mark is accepted. Times must increase
strictly; speeds must be finite and not negative.

Shipped cycles live in ``specs/cycles`` with their provenance in
``specs/cycles/cycles.toml`` and the licence notices in
``specs/cycles/PROVENANCE.md``.
"""

from __future__ import annotations

import csv
import io
import math
import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from nevcalc.errors import SpecError, SpecNotFound

__all__ = ["ALIASES", "Cycle", "list_cycles", "load_cycle", "read_cycle_csv"]

#: Short names people type for the shipped cycles.
ALIASES = {
    "wltc": "wltc-3b",
    "wltp": "wltc-3b",
    "cltc": "cltc-p",
    "cadc": "cadc-rural",
    "ftp": "ftp75",
    "ftp-75": "ftp75",
}

_HEADER = re.compile(r"^\s*([A-Za-z_]+)\s*\[(.+)\]\s*$")
_COLUMNS = {"time": "s", "speed": "m/s", "grade": ""}


@dataclass(frozen=True)
class Cycle:
    """A speed trace in SI floats.

    Attributes
    ----------
    name, title : str
    time : numpy.ndarray
        [s], strictly increasing.
    speed : numpy.ndarray
        [m s^-1].
    grade : numpy.ndarray
        Rise over run [-].
    source, kind, note : str
        Provenance.
    path : str
    """

    name: str
    title: str
    time: np.ndarray
    speed: np.ndarray
    grade: np.ndarray
    source: str = ""
    kind: str = ""
    note: str = ""
    path: str = ""

    @property
    def distance(self) -> float:
        """Distance driven, sum of v dt with the speed at the end of each step [m]."""
        return float(np.sum(self.speed[1:] * np.diff(self.time)))

    @property
    def duration(self) -> float:
        """[s]"""
        return float(self.time[-1] - self.time[0])


def _unit_factor(unit: str, expected: str, where: str) -> float:
    from nevcalc.units import UnitInputError, to_si

    try:
        return to_si(f"1 {unit}", expected or "dimensionless", where)
    except UnitInputError as exc:
        raise SpecError([str(exc)]) from None


def read_cycle_csv(path: Path, name: str | None = None) -> Cycle:
    """Read and check a cycle CSV file.

    Parameters
    ----------
    path : pathlib.Path
    name : str, optional
        Name of the cycle; the file stem by default.

    Returns
    -------
    Cycle

    Raises
    ------
    SpecError
        Naming the file, the line or column, what was expected and the fix.
    """
    where = str(path)
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise SpecError([f"{where}: no such file"]) from None
    except OSError as exc:
        raise SpecError([f"{where}: cannot read ({exc.strerror})"]) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SpecError([f"{where}: not UTF-8 text (byte {exc.start})"]) from None
    rows = list(csv.reader(io.StringIO(text)))
    rows = [r for r in rows if any(c.strip() for c in r)]
    if not rows:
        raise SpecError([f"{where}: the file is empty; expected a header 'time [s],speed [km/h]'"])
    header = rows[0]
    cols: dict[str, tuple[int, float]] = {}
    for i, cell in enumerate(header):
        m = _HEADER.match(cell)
        if not m:
            raise SpecError(
                [
                    f"{where}: header column {i + 1} {cell.strip()!r} has no unit; "
                    "write it as 'time [s]', 'speed [km/h]' or 'grade [%]'"
                ]
            )
        key = m.group(1).lower()
        if key not in _COLUMNS:
            raise SpecError(
                [f"{where}: unknown column {key!r}; expected time, speed and optionally grade"]
            )
        cols[key] = (i, _unit_factor(m.group(2), _COLUMNS[key], f"{where}: column {key}"))
    for key in ("time", "speed"):
        if key not in cols:
            raise SpecError([f"{where}: no '{key} [unit]' column in the header"])
    data = rows[1:]
    if len(data) < 2:
        raise SpecError([f"{where}: a cycle needs at least two rows of data"])
    values = {k: np.empty(len(data)) for k in cols}
    for n, row in enumerate(data, start=2):
        for key, (i, factor) in cols.items():
            try:
                x = float(row[i])
            except (IndexError, ValueError):
                cell = row[i] if i < len(row) else ""
                raise SpecError(
                    [f"{where}: line {n}, column {key}: {cell!r} is not a number"]
                ) from None
            if not math.isfinite(x):
                raise SpecError([f"{where}: line {n}, column {key}: {row[i]!r} is not finite"])
            values[key][n - 2] = x * factor
    t, v = values["time"], values["speed"]
    bad = np.flatnonzero(np.diff(t) <= 0)
    if bad.size:
        n = int(bad[0]) + 3
        raise SpecError(
            [f"{where}: line {n}: time does not increase ({t[bad[0]]:g} s then "
             f"{t[bad[0] + 1]:g} s); times must be sorted and not repeated"]
        )  # fmt: skip
    neg = np.flatnonzero(v < 0)
    if neg.size:
        raise SpecError(
            [f"{where}: line {int(neg[0]) + 2}: negative speed {v[neg[0]]:g} m/s; "
             "speeds are magnitudes (reverse driving is not modelled)"]
        )  # fmt: skip
    grade = values.get("grade", np.zeros_like(t))
    for arr in (t, v, grade):
        arr.flags.writeable = False  # cycles are cached and shared
    return Cycle(name or Path(path).stem, name or Path(path).stem, t, v, grade, path=where)


def _index() -> dict:
    from nevcalc.units import BUNDLED_SPECS

    with (BUNDLED_SPECS / "cycles" / "cycles.toml").open("rb") as fh:
        return tomllib.load(fh)


def list_cycles() -> list[tuple[str, str]]:
    """Shipped cycles as ``(name, title)``."""
    return [(k, v["title"]) for k, v in _index().items()]


def load_cycle(name: str) -> Cycle:
    """A shipped cycle by name or alias (``"wltc"``, ``"cltc"``, ``"udds"``), or a CSV path."""
    if name.endswith(".csv") or "/" in name:
        return read_cycle_csv(Path(name))
    return _load_named(ALIASES.get(name.lower(), name.lower()))


@lru_cache(maxsize=64)
def _load_named(key: str) -> Cycle:
    from nevcalc.catalog import search_paths

    for root in search_paths():
        path = root / "cycles" / f"{key}.csv"
        if path.is_file():
            cycle = read_cycle_csv(path, key)
            meta = _index().get(key, {})
            return Cycle(
                key,
                meta.get("title", key),
                cycle.time,
                cycle.speed,
                cycle.grade,
                meta.get("source", ""),
                meta.get("kind", ""),
                meta.get("note", ""),
                str(path),
            )
    known = ", ".join([k for k, _ in list_cycles()] + sorted(ALIASES))
    raise SpecNotFound([f"no cycle named {key!r}; known: {known}, or a path to a .csv file"])
