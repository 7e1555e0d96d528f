"""Drive cycles: speed traces with units in the CSV header, checked on the way in.

A cycle file is CSV with a header that names each column's unit::

    time [s],speed [km/h],grade [%]
    0,0,0
    1,3.2,0

``time`` and ``speed`` are required, ``grade`` (rise over run) is optional.
Any pint unit of the right dimension is accepted (``speed [mph]``,
``time [min]``). A UTF-8 byte-order mark is accepted. Times must increase
strictly; speeds must be finite and not negative.

Finding and reading the CSV (and its units) is :mod:`nevcalc.io`
(:func:`~nevcalc.io.read_cycle`, :func:`~nevcalc.io.find_cycle`); this module
checks the trace and builds :class:`Cycle`. ``read_cycle_csv`` and ``load_cycle``
are kept as thin wrappers.

Shipped cycles live in ``specs/cycles`` with their provenance in
``specs/cycles/cycles.toml`` and the licence notices in
``specs/cycles/PROVENANCE.md``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from nevcalc import _show, io
from nevcalc.errors import SpecError, SpecNotFound
from nevcalc.specs import cache

__all__ = [
    "ALIASES",
    "MAX_ACCELERATION",
    "MAX_GRADE",
    "MAX_NET_GRADE",
    "MAX_ROWS",
    "MAX_SPEED",
    "MIN_DISTANCE",
    "MIN_DURATION",
    "Cycle",
    "from_table",
    "list_cycles",
    "load_cycle",
    "read_cycle_csv",
]

#: Short names people type for the shipped cycles.
ALIASES = {
    "wltc": "wltc-3b",
    "wltp": "wltc-3b",
    "cltc": "cltc-p",
    "cadc": "cadc-rural",
    "ftp": "ftp75",
    "ftp-75": "ftp75",
}


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

    def __repr__(self) -> str:
        return _show.line(self)

    def _repr_html_(self) -> str:
        return _show.html(self)

    @property
    def distance(self) -> float:
        """Distance driven, sum of v dt with the speed at the end of each step [m]."""
        return float(np.sum(self.speed[1:] * np.diff(self.time)))

    @property
    def duration(self) -> float:
        """[s]"""
        return float(self.time[-1] - self.time[0])

    @property
    def mean_speed(self) -> float:
        """Distance over duration [m s^-1]; 0 for a cycle of no duration."""
        duration = self.duration if self.time.size else 0.0
        return self.distance / duration if duration > 0 else 0.0


#: Bounds every cycle is checked against; the driving model is valid within them.
MAX_SPEED = 400 / 3.6  # [m s^-1]
MAX_GRADE = 0.45  # rise over run [-], about 24 degrees
MAX_NET_GRADE = 0.005  # net rise over distance of a whole cycle [-] (50 m in 10 km)
MAX_ACCELERATION = 15.0  # [m s^-2], 1.5 g
MIN_DURATION = 2.0  # [s]
MIN_DISTANCE = 10.0  # [m]
MAX_DURATION = 7 * 86400.0  # [s]
MAX_ROWS = io.MAX_CYCLE_ROWS


def read_cycle_csv(path: Path, name: str | None = None) -> Cycle:
    """Read and check a cycle CSV file.

    Every value is checked against the bounds the driving model honours:
    speeds in 0-400 km/h, grades within +-45 % (and a whole cycle, which is
    repeated for range, within +-0.5 % net), accelerations within 1.5 g, time
    strictly increasing, at least 2 s and 10 m driven, at most 7 days and
    1,000,000 rows, the file at most 32 MiB.

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
        Naming the file, the line and column, what was expected and the fix.
    """
    return from_table(io.read_cycle(path, MAX_ROWS), name or Path(path).stem)


def from_table(table: io.CycleTable, name: str) -> Cycle:
    """A :class:`Cycle` from parsed CSV columns, its bounds checked."""
    where, lines, t, v, grade = table.where, table.lines, table.time, table.speed, table.grade
    _check(where, lines, t, v, grade)
    for arr in (t, v, grade):
        arr.flags.writeable = False  # cycles are cached and shared
    return Cycle(name, name, t, v, grade, path=where)


def _first(mask) -> int | None:
    idx = np.flatnonzero(mask)
    return int(idx[0]) if idx.size else None


def _check(where: str, lines: list[int], t, v, grade) -> None:
    """Bounds of the trace; raises SpecError naming the line, column and fix."""
    dt = np.diff(t)
    k = _first(dt <= 0)
    if k is not None:
        raise SpecError(
            [f"{where}: line {lines[k + 1]}, column time: time does not increase "
             f"({t[k]:g} s then {t[k + 1]:g} s); times must be sorted and not repeated"]
        )  # fmt: skip
    k = _first(v < 0)
    if k is not None:
        raise SpecError(
            [f"{where}: line {lines[k]}, column speed: negative speed {v[k]:g} m/s; "
             "speeds are magnitudes (reverse driving is not modelled)"]
        )  # fmt: skip
    k = _first(v > MAX_SPEED)
    if k is not None:
        raise SpecError(
            [f"{where}: line {lines[k]}, column speed: {v[k] * 3.6:.6g} km/h is above the "
             f"{MAX_SPEED * 3.6:.0f} km/h a road vehicle reaches; check the speed unit in the "
             "header ([km/h], [mph], [m/s])"]
        )  # fmt: skip
    k = _first(np.abs(grade) > MAX_GRADE)
    if k is not None:
        raise SpecError(
            [f"{where}: line {lines[k]}, column grade: {grade[k]:.4g} (rise over run, "
             f"{grade[k]:.0%}) is steeper than the +-{MAX_GRADE:.0%} a road has; check the "
             "grade unit in the header ([%] or [] for a fraction)"]
        )  # fmt: skip
    accel = np.diff(v) / dt
    k = _first(np.abs(accel) > MAX_ACCELERATION)
    if k is not None:
        raise SpecError(
            [f"{where}: line {lines[k + 1]}, column speed: {v[k] * 3.6:.4g} to "
             f"{v[k + 1] * 3.6:.4g} km/h in {dt[k]:g} s is {accel[k] / 9.81:+.2g} g; a car "
             f"reaches at most {MAX_ACCELERATION / 9.81:.1f} g: check the time and speed units"]
        )  # fmt: skip
    duration = float(t[-1] - t[0])
    distance = float(np.sum(v[1:] * dt))
    if duration < MIN_DURATION or duration > MAX_DURATION:
        raise SpecError(
            [f"{where}: column time: the cycle lasts {duration:g} s; it must last "
             f"{MIN_DURATION:g} s to {MAX_DURATION / 86400:g} days (check the time unit)"]
        )  # fmt: skip
    if distance < MIN_DISTANCE:
        raise SpecError(
            [f"{where}: column speed: the cycle covers {distance:.3g} m; a drive cycle must "
             f"move at least {MIN_DISTANCE:g} m (all speeds are zero or nearly so)"]
        )  # fmt: skip
    net = float(np.sum(grade[1:] * v[1:] * dt)) / distance
    if abs(net) > MAX_NET_GRADE:
        raise SpecError(
            [f"{where}: column grade: the cycle ends {abs(net) * distance:.4g} m "
             f"{'higher' if net > 0 else 'lower'} than it starts over {distance / 1e3:.3g} km "
             f"(net {net:+.1%}); a cycle is repeated to compute range, so its net grade must "
             f"lie within +-{MAX_NET_GRADE:.1%}: add the way back"]
        )  # fmt: skip


def _index() -> dict:
    return io.read_cycle_index()


def list_cycles() -> list[tuple[str, str]]:
    """Shipped cycles as ``(name, title)``."""
    return [(k, v["title"]) for k, v in _index().items()]


def load_cycle(name: str, allow_path: bool = True) -> Cycle:
    """A shipped cycle by name or alias (``"wltc"``, ``"cltc"``, ``"udds"``), or a CSV path.

    Parameters
    ----------
    name : str
        A name in ``specs/cycles`` of the search order, an alias, or (when
        ``allow_path``) the path of a ``.csv`` file.
    allow_path : bool, optional
        False for a name written inside a file: it resolves only within the
        spec folders, never as a path.
    """
    if io.is_path(name, ".csv"):
        if not allow_path:
            raise SpecNotFound(
                [f"{io.short(name)} is a path; a cycle named inside a file is a name in the "
                 "spec folders (copy the .csv into specs/cycles and use its name)"]
            )  # fmt: skip
        return read_cycle_csv(Path(name))
    if len(name) > io.MAX_NAME:
        io.check_name(name, "cycle")
    return _load_named(ALIASES.get(name.lower(), name.lower()))


#: Code that decides a cycle file's SI columns and their checks (keys the cache).
_CYCLE_CODE = ("cycles.py", "io.py", "units.py")


def _read_checked(path: Path, name: str) -> Cycle:
    """:func:`read_cycle_csv` of a cycle in the spec folders; its SI columns, once
    checked, are kept in the spec cache (:mod:`nevcalc.specs.cache`), so that a later
    process reads them without parsing the CSV again."""
    code = cache.source_stamp(*_CYCLE_CODE)
    got = cache.get_arrays(path, "cycle", code)
    if got is not None and set(got) == {"time", "speed", "grade"}:
        t, v, grade = (np.array(got[k], dtype=float) for k in ("time", "speed", "grade"))
        if t.size == v.size == grade.size >= 2:
            for arr in (t, v, grade):
                arr.flags.writeable = False
            return Cycle(name, name, t, v, grade, path=io.shown_path(path))
    cycle = from_table(io.read_cycle(path, MAX_ROWS), name)
    cache.put_arrays(path, "cycle", code,
                     {"time": cycle.time, "speed": cycle.speed, "grade": cycle.grade})  # fmt: skip
    return cycle


@lru_cache(maxsize=64)
def _load_named(key: str) -> Cycle:
    known = [k for k, _ in list_cycles()] + sorted(ALIASES)
    try:
        path = io.find(key, "cycles", "cycle", ".csv", known=known)
    except SpecNotFound as exc:
        raise SpecNotFound(
            [f"{exc.problems[0]}; known: {', '.join(known)}, or a path to a .csv file"]
        ) from None
    cycle = _read_checked(Path(path), key)
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
