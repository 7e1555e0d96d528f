"""Streaming, resumable, atomic sweep output (Parquet or CSV) and running summaries.

Each finished chunk is written to ``OUT.parts/part-NNNNNN.<ext>`` under a
temporary name and renamed when complete, next to a ``manifest.json`` holding
the sweep's fingerprint. ``--resume`` skips the parts that exist; when every
part is there they are joined, in chunk order, into a temporary file beside
``OUT`` that is renamed over it, and the parts are removed. A sweep stopped at
any moment therefore leaves either no ``OUT`` or a complete one, and a resumed
sweep writes the same bytes as an uninterrupted one.

One writer at a time: the writer holds an exclusive ``flock`` on ``.OUT.lock`` beside
the output for the whole run (a second sweep to the same ``OUT`` is refused), removes
temporary files left by a killed run when it starts, and its own on any failure; an OS
error (a full disk, no permission) becomes a message naming the path and the fix.
"""

from __future__ import annotations

import errno
import json
import math
import os
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

from nevcalc.errors import InputError, NevcalcError
from nevcalc.io import read_text
from nevcalc.sweeps.plan import BETTER, FIELDS, METRICS, _quantile_label

__all__ = ["OutputError", "PartWriter", "Summary", "column_units"]


class OutputError(NevcalcError):
    """The sweep output could not be written (exit 1); the message names path and fix."""


def _os_problem(path, exc: OSError, resumable: bool) -> OutputError:
    fixes = {
        errno.ENOSPC: "free space on that disk or give -o on another",
        errno.EDQUOT: "free space in your quota or give -o on another disk",
        errno.EACCES: "give -o in a folder you can write",
        errno.EPERM: "give -o in a folder you can write",
        errno.EROFS: "give -o on a writable disk",
    }
    fix = fixes.get(exc.errno, "check the path and give -o in a folder you can write")
    then = "; then run the same command with --resume" if resumable else ""
    return OutputError(f"cannot write {path}: {exc.strerror or exc}; {fix}{then}")


def _unlink(path: Path) -> None:
    try:
        path.unlink()
    except OSError:
        pass


def column_units(columns) -> dict[str, str]:
    """Unit of each output column (``""`` for fractions and codes)."""
    out = {}
    for c in columns:
        if c in METRICS:
            out[c] = METRICS[c].unit
        elif c in FIELDS:
            out[c] = FIELDS[c][0]
        else:
            out[c] = ""
    return out


def _atomic_write_bytes(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    with open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


class PartWriter:
    """Writes chunks as parts, then joins them into the output file."""

    def __init__(self, output: str | Path, digest: str, names: dict[str, tuple[str, ...]],
                 metadata: dict[str, Any], resume: bool):  # fmt: skip
        self.output = Path(output)
        suffix = self.output.suffix.lower()
        if suffix not in (".parquet", ".csv"):
            raise InputError(f"output {self.output}: give a .parquet or .csv file name")
        self.format = suffix[1:]
        if self.format == "parquet":
            try:
                import pyarrow  # noqa: F401
            except ImportError:
                raise InputError(
                    "Parquet output needs pyarrow: pip install 'nevcalc[parquet]' (or write .csv)"
                ) from None
        if not self.output.parent.is_dir():
            raise InputError(f"output {self.output}: folder {self.output.parent} does not exist")
        self.parts = self.output.with_name(self.output.name + ".parts")
        self.names = names
        self.metadata = metadata
        self.created_parts = False
        self._lock_fd: int | None = None
        self._lock()
        try:
            self._check_parts(digest, resume)
        except BaseException:
            self.release()
            raise
        self._clean_stale()

    def _lock(self) -> None:
        """Hold an exclusive lock for this output, or refuse: one writer at a time."""
        import fcntl

        lock = self.output.with_name(f".{self.output.name}.lock")
        for _ in range(3):
            try:
                fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
            except OSError as exc:
                # the output's name: its lock is the first file written beside it
                raise _os_problem(self.output, exc, False) from None
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                try:
                    pid = os.read(fd, 32).decode(errors="replace").strip()
                finally:
                    os.close(fd)
                raise OutputError(
                    f"{self.output} is being written by another nevcalc sweep"
                    f"{f' (pid {pid})' if pid else ''}; wait for it to finish, or give "
                    "another -o"
                ) from None
            try:  # the file may have been removed by the writer that just finished
                same = os.stat(lock).st_ino == os.fstat(fd).st_ino
            except OSError:
                same = False
            if same:
                os.ftruncate(fd, 0)
                os.write(fd, str(os.getpid()).encode())
                self._lock_fd, self._lock_path = fd, lock
                return
            os.close(fd)
        raise OutputError(f"{self.output}: could not take the output's lock; try again")

    def release(self) -> None:
        """Give up the lock (and remove the lock file)."""
        if self._lock_fd is not None:
            _unlink(self._lock_path)
            os.close(self._lock_fd)
            self._lock_fd = None

    def _clean_stale(self) -> None:
        """Temporary files of a killed run (we hold the lock, so none is in use)."""
        folder = self.output.parent
        for p in folder.glob(f".{self.output.name}.tmp-*"):
            _unlink(p)
        for p in folder.glob(f".{self.output.name}.parts.trash-*"):
            shutil.rmtree(p, ignore_errors=True)
        if self.parts.is_dir():
            for p in self.parts.glob(".*.tmp-*"):
                _unlink(p)

    def abandon(self) -> None:
        """After a failure or Ctrl-C: remove a parts folder this run made that holds no
        finished part, and release the lock. Finished parts stay for --resume."""
        if self.created_parts and self.parts.is_dir():
            if not any(self.parts.glob("part-*")):
                shutil.rmtree(self.parts, ignore_errors=True)
        self.release()

    def has_parts(self) -> bool:
        return self.parts.is_dir() and any(self.parts.glob("part-*"))

    def _check_parts(self, digest: str, resume: bool) -> None:
        manifest = self.parts / "manifest.json"
        if self.parts.exists():
            if not resume:
                raise InputError(
                    f"{self.parts} holds an unfinished sweep; add --resume to continue it, "
                    "or delete the folder to start again"
                )
            try:
                # through the safe reader: a FIFO or device in its place must not hang
                old = json.loads(read_text(manifest, 1 << 20, "a sweep manifest .json file"))
            except (OSError, ValueError):
                old = {}
            if old.get("digest") != digest:
                raise InputError(
                    f"{self.parts} belongs to a different sweep (spec, version or chunk size "
                    "changed); delete it to start again"
                )
        self.digest = digest

    def _ensure_parts(self) -> None:
        """Create the parts folder and its manifest at the first write (not when checking)."""
        if not self.parts.exists():
            try:
                self.parts.mkdir()
                self.created_parts = True
                manifest = self.parts / "manifest.json"
                _atomic_write_bytes(manifest, json.dumps({"digest": self.digest}).encode())
            except OSError as exc:
                raise _os_problem(self.parts, exc, False) from None

    def part_path(self, chunk: int) -> Path:
        return self.parts / f"part-{chunk:06d}.{self.format}"

    def done(self, chunk: int) -> bool:
        return self.part_path(chunk).exists()

    def _table(self, cols: dict[str, np.ndarray]):
        import pyarrow as pa

        arrays, fields = [], []
        units = column_units(cols)
        for name, x in cols.items():
            if name in self.names:
                arr = pa.DictionaryArray.from_arrays(
                    pa.array(x, pa.int32()), pa.array(list(self.names[name]), pa.string())
                )
            else:
                arr = pa.array(x)
            arrays.append(arr)
            fields.append(pa.field(name, arr.type, metadata={"unit": units[name]}))
        meta = {k: json.dumps(v) for k, v in self.metadata.items()}
        return pa.Table.from_arrays(arrays, schema=pa.schema(fields, metadata=meta))

    def write(self, chunk: int, cols: dict[str, np.ndarray]) -> None:
        self._ensure_parts()
        path = self.part_path(chunk)
        tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
        try:
            if self.format == "parquet":
                import pyarrow.parquet as pq

                pq.write_table(self._table(cols), tmp, compression="zstd")
            else:
                with open(tmp, "w", newline="") as fh:
                    _write_csv_rows(fh, cols, self.names)
            with open(tmp, "rb") as fh:
                os.fsync(fh.fileno())
            os.replace(tmp, path)
        except BaseException as exc:
            _unlink(tmp)
            if isinstance(exc, OSError):
                raise _os_problem(path, exc, True) from None
            raise

    def header(self, columns) -> str:
        units = column_units(columns)
        return ",".join(f"{c} [{units[c]}]" if units[c] else c for c in columns) + "\n"

    def finish(self, chunks: int, columns) -> None:
        """Join the parts in order into the output, atomically, and remove them."""
        self._ensure_parts()
        tmp = self.output.with_name(f".{self.output.name}.tmp-{os.getpid()}")
        try:
            self._join(tmp, chunks, columns)
            with open(tmp, "rb") as fh:
                os.fsync(fh.fileno())
            os.replace(tmp, self.output)
        except BaseException as exc:
            _unlink(tmp)
            if isinstance(exc, OSError):
                raise _os_problem(self.output, exc, True) from None
            raise
        # the output is complete: move the parts out of the way at once, then delete them
        trash = self.output.with_name(f".{self.output.name}.parts.trash-{os.getpid()}")
        try:
            os.replace(self.parts, trash)
            shutil.rmtree(trash, ignore_errors=True)
        except OSError:
            shutil.rmtree(self.parts, ignore_errors=True)
        self.release()

    def _join(self, tmp: Path, chunks: int, columns) -> None:
        if self.format == "parquet":
            import pyarrow.parquet as pq

            writer = None
            try:
                for k in range(chunks):
                    table = pq.read_table(self.part_path(k))
                    if writer is None:
                        writer = pq.ParquetWriter(tmp, table.schema, compression="zstd")
                    writer.write_table(table)
            finally:
                if writer is not None:
                    writer.close()
        else:
            with open(tmp, "w", newline="") as out:
                out.write(self.header(columns))
                for k in range(chunks):
                    with open(self.part_path(k)) as fh:
                        shutil.copyfileobj(fh, out, 1 << 20)


def _write_csv_rows(fh, cols: dict[str, np.ndarray], names) -> None:
    columns = []
    for name, x in cols.items():
        if name in names:
            columns.append(np.asarray(names[name], dtype=object)[x])
        elif x.dtype.kind in "iu":
            columns.append(x.astype(str))
        else:
            columns.append(np.char.mod("%.8g", x))
    if not columns:
        return
    lines = columns[0].astype(str)
    for c in columns[1:]:
        lines = np.char.add(np.char.add(lines, ","), c.astype(str))
    fh.write("\n".join(lines.tolist()))
    fh.write("\n")


#: Histogram bins of the bounded summaries: the top 19 bits of a float64 (sign, exponent
#: and 7 mantissa bits), so a bin is at most 2**-7 of its values wide.
_SHIFT = np.uint64(45)
_HALF = 1 << 18
_INF_BIN = int(np.array(np.inf).view(np.uint64) >> _SHIFT)

#: How the summaries count, stated in every summary document.
QUANTILE_METHOD = (
    "inverted_cdf: the q quantile is the smallest row value with at least q of the rows "
    "at or below it (numpy.quantile(..., method='inverted_cdf'))"
)
INFINITIES = (
    "rows at +inf (years_to_80 beyond the 40-year horizon) or -inf are counted in 'inf' "
    "and 'neg_inf' and take part in every statistic: mean, max and high quantiles are then "
    "inf (null in JSON, 'inf' in tables); 'finite_mean' is the mean of the finite rows"
)
#: Relative bound of a histogram quantile: half a bin.
HIST_BOUND = 2.0**-8


def _ordered_bin(v: float) -> int:
    """Index of the bin of ``v`` among the bins in value order (negatives first)."""
    b = int(np.array(v, np.float64).view(np.uint64) >> _SHIFT)
    return _HALF + b if b < _HALF else 2 * _HALF - 1 - b


def _bin_range(b: int) -> tuple[float, float]:
    """Values ``[lo, hi]`` of the ordered histogram bin ``b`` (negatives first)."""
    j = _HALF - 1 - b if b < _HALF else b - _HALF
    lo = float(np.array(j << 45, np.uint64).view(np.float64))
    hi = (
        np.inf if j >= _INF_BIN - 1 else float(np.array((j + 1) << 45, np.uint64).view(np.float64))
    )
    return (-hi, -lo) if b < _HALF else (lo, hi)


#: Slices of a column interleaved before counting: ``np.bincount`` is about twice as slow
#: on runs of one bin (each count waits for the one before) as on mixed bins.
_LANES = 16
#: Rows sampled to decide whether a column comes in runs of one value.
_PROBE = 256


def _bins(x: np.ndarray) -> np.ndarray:
    """Histogram bin of every value of ``x``, in an order that takes row ``i`` of each of
    :data:`_LANES` equal slices in turn (the counts do not depend on the order)."""
    u = x.view(np.uint64)
    out = np.empty(x.size, np.uint64)
    head = x.size - x.size % _LANES
    if head:
        lanes = out[:head].reshape(-1, _LANES)
        np.right_shift(u[:head].reshape(_LANES, -1).T, _SHIFT, out=lanes)
    np.right_shift(u[head:], _SHIFT, out=out[head:])
    return out.view(np.int64)


def _magnitude_bin(v: float) -> int:
    return int(np.array(abs(v)).view(np.uint64) >> _SHIFT)


def _runs(x: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """``x`` as runs of one bit pattern: (first value, length [float]) of each, when it
    has under an eighth as many runs as values (the columns of a crossed sweep that do not
    depend on its fastest axes), else None. A sample of the first rows decides first."""
    n = x.size
    u = x.view(np.int64)
    if n < 8 * _PROBE or np.count_nonzero(u[1:_PROBE] != u[: _PROBE - 1]) > _PROBE // 8:
        return None
    starts = np.flatnonzero(u[1:] != u[:-1]) + 1
    if starts.size >= n // 8:
        return None
    edges = np.concatenate([[0], starts, [n]])
    return x[edges[:-1]], np.diff(edges).astype(np.float64)


def _aligned_runs(n: int, length: int, first: int, ok=None):
    """Runs of rows ``[j length, (j + 1) length)`` of the sweep among ``n`` rows whose first
    is row ``first``: (each run's first row, its length [float]); with ``ok``, of the rows
    ``ok`` only (runs without any left out). A column constant over those runs is
    ``(x[first rows], lengths)``."""
    head = -first % length
    edges = np.concatenate([[0], np.arange(head if head else length, n, length)])
    if ok is None:
        return edges, np.diff(edges, append=n).astype(np.float64)
    if head == 0 and n % length == 0:  # whole runs: a sum over each
        count = ok.view(np.uint8).reshape(-1, length).sum(axis=1, dtype=np.int64)
    else:
        count = np.add.reduceat(ok.view(np.uint8), edges, dtype=np.int64)
    some = count > 0
    return edges[some], count[some].astype(np.float64)


def _count(hist: np.ndarray, h: np.ndarray, bounds) -> tuple[int, int, int]:
    """Add the bin counts ``h`` of some values to ``hist``; return the counts of NaN, +inf
    and -inf among them.

    ``bounds`` is the ``(min, max)`` of the values when they hold no NaN: only the bins
    between them (negative and positive halves apart) are then added, not all ``2 * _HALF``.
    """
    m = h.size
    if bounds is None:
        hist[:m] += h.astype(np.int64, copy=False)
        nan = int(h[_INF_BIN + 1 : _HALF].sum() + h[_HALF + _INF_BIN + 1 :].sum())
        pinf = int(h[_INF_BIN]) if m > _INF_BIN else 0
        ninf = int(h[_HALF + _INF_BIN]) if m > _HALF + _INF_BIN else 0
        return nan, pinf, ninf
    lo, hi = bounds
    ranges = []
    if lo <= 0:  # values in [lo, min(hi, -0)]: magnitudes from |min(hi, 0)| to |lo|
        ranges.append((_HALF + (_magnitude_bin(hi) if hi <= 0 else 0), _HALF + _magnitude_bin(lo)))
    if hi >= 0:  # values in [max(lo, +0), hi]
        ranges.append((_magnitude_bin(lo) if lo >= 0 else 0, _magnitude_bin(hi)))
    for a, b in ranges:
        b = min(b + 1, m)  # a zero's other sign may be absent
        if a < b:
            hist[a:b] += h[a:b].astype(np.int64, copy=False)
    pinf = int(h[_INF_BIN]) if hi == np.inf else 0
    ninf = int(h[_HALF + _INF_BIN]) if lo == -np.inf else 0
    return 0, pinf, ninf


def _select(parts: list[np.ndarray], n: int, ks) -> dict[int, float]:
    """The ``k``-th smallest of the ``n`` values other than NaN in ``parts``, for each ``k``
    in ``ks``: one copy partitioned in place at each ``k`` in turn, from the lowest, each
    time only the values above the last (numpy's partition at several ``k`` at once is
    several times slower than at one)."""
    x = np.concatenate(parts)
    if x.size > n:
        x = x[~np.isnan(x)]
    out: dict[int, float] = {}
    lo = 0
    for k in sorted(set(ks)):
        x[lo:].partition(k - lo)
        out[k] = float(x[k])
        lo = k + 1
    return out


class _Stats:
    """Running statistics of one metric in one group: counts, exact min, max and sum, and
    either every value (exact quantiles) or a histogram (quantiles within half a bin)."""

    __slots__ = ("hi", "hist", "kept", "lo", "n", "nan", "neginf", "posinf", "sums")

    def __init__(self, exact: bool):
        self.n = self.nan = self.posinf = self.neginf = 0
        self.lo, self.hi = np.inf, -np.inf
        self.sums: list[float] = []  #: sums of the finite values, one per slice
        self.kept: list[np.ndarray] | None = [] if exact else None
        self.hist: np.ndarray | None = None if exact else np.zeros(2 * _HALF, np.int64)

    def add(self, x: np.ndarray, runs: tuple[np.ndarray, np.ndarray] | None = None) -> None:
        """Add the values ``x``; ``runs``: the values as (first value, length) of runs of
        one value when known (found here otherwise; ``x`` is then only read when every
        value is kept)."""
        if self.hist is None:
            runs = None
        elif runs is None:
            runs = _runs(x)
        size = x.size if runs is None else int(runs[1].sum())
        if size == 0:
            return
        y = x if runs is None else runs[0]  # (a run's values are all its first one)
        lo, hi = y.min(), y.max()  # NaN when any value is NaN
        has_nan = bool(np.isnan(lo))  # (min and max propagate NaN alike)
        if self.hist is None:
            self.kept.append(np.ascontiguousarray(x))  # chunk columns are never changed
            nan = int(np.isnan(x).sum()) if has_nan else 0
            pinf = int((x == np.inf).sum()) if has_nan or hi == np.inf else 0
            ninf = int((x == -np.inf).sum()) if has_nan or lo == -np.inf else 0
        else:
            if runs is None:
                h = np.bincount(_bins(x))
            else:  # the runs' bins in row order, to match their lengths
                h = np.bincount((y.view(np.uint64) >> _SHIFT).view(np.int64), runs[1])
            bounds = None if has_nan else (float(lo), float(hi))
            nan, pinf, ninf = _count(self.hist, h, bounds)
        if runs is None:
            if nan + pinf + ninf == 0:
                total = x.sum()
            else:
                if nan:
                    y = x[~np.isnan(x)]
                    lo, hi = (y.min(), y.max()) if y.size else (np.inf, -np.inf)
                total = x[np.isfinite(x)].sum()
        else:  # each run's value times its length
            value, length = runs
            if nan + pinf + ninf == 0:
                total = (value * length).sum()
            else:
                if nan:
                    y = value[~np.isnan(value)]
                    lo, hi = (y.min(), y.max()) if y.size else (np.inf, -np.inf)
                finite = np.isfinite(value)
                total = (value[finite] * length[finite]).sum()
        self.n += size - nan
        self.nan += nan
        self.posinf += pinf
        self.neginf += ninf
        self.lo, self.hi = min(self.lo, float(lo)), max(self.hi, float(hi))
        self.sums.append(float(total))

    def quantiles(self, qs) -> list[float | None]:
        """Quantiles (inverted CDF): exact from the kept values, else within half a bin,
        the bin clamped to the observed min and max."""
        n = self.n
        if n == 0:
            return [None] * len(qs)
        ks = [min(max(int(np.ceil(q * n)) - 1, 0), n - 1) for q in qs]
        if self.hist is None:
            if self.lo == self.hi:  # every value (but NaN) is the one value
                return [self.lo + 0.0] * len(ks)
            found = _select(self.kept, n, ks)
            return [found[k] + 0.0 for k in ks]  # a zero is +0 whichever zero was found
        # Bins in value order (negatives first), only from the min's to the max's: every
        # other bin is empty (NaN bins lie outside); a zero bound takes both zeros' bins.
        first = _HALF - 1 if self.lo == 0 else _ordered_bin(self.lo)
        last = _HALF if self.hi == 0 else _ordered_bin(self.hi)
        neg = self.hist[2 * _HALF - 1 - min(last, _HALF - 1) : 2 * _HALF - first][::-1]
        pos = self.hist[max(first, _HALF) - _HALF : max(last + 1, _HALF) - _HALF]
        cum = np.cumsum(np.concatenate([neg, pos]))
        out = []
        for k in ks:
            if k == 0:
                out.append(self.lo)
                continue
            if k == n - 1:
                out.append(self.hi)
                continue
            b = first + int(np.searchsorted(cum, k + 1))
            lo, hi = _bin_range(b)
            lo, hi = max(lo, self.lo), min(hi, self.hi)
            out.append(lo if lo == hi or not np.isfinite(lo - hi) else 0.5 * (lo + hi))
        return out

    def document(self, unit: str, qs, labels) -> dict[str, Any]:
        finite = self.n - self.posinf - self.neginf
        fsum = math.fsum(self.sums)
        if self.n == 0:
            mean = None
        elif self.posinf and self.neginf:
            mean = float("nan")
        elif self.posinf or self.neginf:
            mean = np.inf if self.posinf else -np.inf
        else:
            mean = min(max(fsum / finite, self.lo), self.hi)  # rounding stays inside the rows
        doc = {
            "unit": unit,
            "count": self.n,
            "inf": self.posinf,
            "neg_inf": self.neginf,
            "mean": mean,
            "finite_mean": fsum / finite if finite else None,
            "min": self.lo if self.n else None,
            "max": self.hi if self.n else None,
        }
        doc.update(zip(labels, self.quantiles(qs), strict=True))
        return doc


class Summary:
    """Running summaries that keep at most a bounded number of values: per group and
    metric the count, infinities, exact min, max and mean, quantiles, the best row for
    each ``best`` metric, and the Pareto front of the two ``pareto`` metrics.

    Quantiles are exact (every value kept) when the sweep's rows times its metrics are at
    most :attr:`EXACT_VALUES`; above that they come from histograms whose bins are at most
    2**-7 of their values wide, clamped to the observed min and max, so each is within
    :data:`HIST_BOUND` (0.4 %) of the exact figure, and exact for a constant column.
    """

    #: Values kept for exact quantiles (128 MiB of float64).
    EXACT_VALUES = 1 << 24

    def __init__(self, spec: dict[str, Any], metrics, names, rows: int | None = None,
                 draws: int = 0, exact: bool | None = None,
                 levels: dict[str, np.ndarray] | None = None):  # fmt: skip

        self.group_by = list(spec.get("group_by", []))
        self.quantiles = [float(q) for q in spec.get("quantiles", [0.05, 0.5, 0.95])]
        self.labels = [_quantile_label(q) for q in self.quantiles]
        self.best = [m for m in spec.get("best", ["running_cost_per_km"]) if m in metrics]
        self.pareto = list(spec.get("pareto", []))
        self.goals = {m: BETTER[m] for m in {*self.best, *self.pareto}}
        self.metrics = list(metrics)
        self.names = names
        #: numeric group axes: field -> its display values (a group per value)
        self.levels = {k: np.asarray(v, float) for k, v in (levels or {}).items()}
        self.draws = int(draws)
        if exact is None:
            exact = rows is not None and rows * max(len(self.metrics), 1) <= self.EXACT_VALUES
        self.exact = bool(exact)
        self.groups: dict[tuple, dict[str, Any]] = {}
        self.front: dict[str, np.ndarray] | None = None
        self.rows = 0
        self.infeasible = 0
        self.reasons: dict[int, int] = {}

    def add(self, cols: dict[str, np.ndarray], start: int = 0) -> None:
        """Add a chunk whose first row is row ``start`` of the sweep. A chunk's ``runs``
        (:class:`nevcalc.sweeps.evaluate.Chunk`), when it has them, say which columns are
        constant over aligned runs of rows; those are counted by run, not by row."""
        runs = getattr(cols, "runs", None) or {}
        reason = cols["reason"]
        n = len(reason)
        self.rows += n
        ok = reason == 0
        all_ok = bool(ok.all())
        if not all_ok:
            bad = reason[~ok]
            codes, counts = np.unique(bad, return_counts=True)
            for c, k in zip(codes.tolist(), counts.tolist(), strict=True):
                self.reasons[c] = self.reasons.get(c, 0) + k
            self.infeasible += bad.size
        for key, sel in self._groups(cols, n):
            g = self.groups.setdefault(key, {"count": 0, "answered": 0, "stats": {}, "best": {}})
            if sel is None:
                sub_ok = ok
                g["count"] += n
            else:
                sub_ok = ok[sel]
                g["count"] += sub_ok.size
            take = None if all_ok else sub_ok
            g["answered"] += int(sub_ok.sum()) if take is not None else sub_ok.size
            edges = {}  # run length -> runs of the group's rows (those answered)
            for m in self.metrics:
                x = cols[m] if sel is None else cols[m][sel]
                known = None
                if m in runs and not self.exact and not isinstance(sel, np.ndarray):
                    t = runs[m]
                    if t not in edges:
                        first = start + (0 if sel is None else sel.start)
                        edges[t] = _aligned_runs(x.size, t, first, take)
                    known = (x[edges[t][0]], edges[t][1])
                elif take is not None:
                    x = x[take]
                st = g["stats"].get(m)
                if st is None:
                    st = g["stats"][m] = _Stats(self.exact)
                st.add(x, known)
            for m in self.best:
                x = cols[m] if sel is None else cols[m][sel]
                self._best(g, m, x, start, take, cols, sel)
        if len(self.pareto) == 2:
            self._pareto(cols, None if all_ok else ok, start)

    def _groups(self, cols, n):
        """(group key, rows) of a chunk: rows in row order, as None for all rows, a slice
        when the group's rows follow one another (a group axis slower than the chunk), else
        their indices."""
        if not self.group_by:
            return [((), None)]
        sizes = [len(self.levels[g] if g in self.levels else self.names[g])
                 for g in self.group_by]  # fmt: skip
        code = np.ravel_multi_index(tuple(self._codes(cols, g) for g in self.group_by), sizes)
        counts = np.bincount(code)
        present = np.flatnonzero(counts)
        if present.size == 1:
            return [(self._key(int(present[0]), sizes), None)]
        bounds = [0, *np.cumsum(counts[present]).tolist()]
        keys = [self._key(c, sizes) for c in present.tolist()]
        if bool((code[1:] >= code[:-1]).all()):  # each group's rows in one block
            return [(k, slice(bounds[i], bounds[i + 1])) for i, k in enumerate(keys)]
        if present[-1] < 1 << 16:  # a radix sort for 16-bit codes
            code = code.astype(np.uint16)
        order = np.argsort(code, kind="stable")
        return [(k, order[bounds[i] : bounds[i + 1]]) for i, k in enumerate(keys)]

    def _codes(self, cols, g):
        """Group codes of column ``g``: a categorical one's, or the index of each row's value
        among a numeric axis's values."""
        if g not in self.levels:
            return cols[g]
        values = self.levels[g]
        order = np.argsort(values, kind="stable")
        at = np.searchsorted(values, cols[g], sorter=order)
        return order[np.minimum(at, values.size - 1)]

    def _key(self, code: int, sizes) -> tuple:
        idx = np.unravel_index(code, sizes)
        return tuple(float(self.levels[g][int(i)]) if g in self.levels else self.names[g][int(i)]
                     for g, i in zip(self.group_by, idx, strict=True))  # fmt: skip

    def _best(self, g, m, x, start, ok, cols, sel):
        """Keep the better of group ``g``'s best row for ``m`` and the best of ``x`` (rows
        ``ok``, all when None), the first of equal values; rows are ``start + (sel or i)``."""
        if x.size == 0:
            return
        sign = 1.0 if self.goals[m] == "min" else -1.0
        i = int(np.argmin(x) if sign > 0 else np.argmax(x))  # the first of equal values
        if ok is not None or np.isnan(x[i]):  # (arg-min and -max stop at the first NaN)
            key = np.where((True if ok is None else ok) & ~np.isnan(x), sign * x, np.inf)
            i = int(np.argmin(key))
            if (ok is not None and not ok[i]) or np.isnan(x[i]):
                return
        j = i if sel is None else sel.start + i if isinstance(sel, slice) else int(sel[i])
        cand = (float(sign * x[i]), start + j)
        old = g["best"].get(m)
        if old is None or cand < old[0]:
            g["best"][m] = (cand, self._row(cols, j, start + j))

    def _row(self, cols, i, row: int) -> dict[str, Any]:
        out: dict[str, Any] = {"row": row}
        if self.draws:
            out["grid_point"], out["draw"] = divmod(row, self.draws)
        for k, v in cols.items():
            if k == "_row":
                continue
            x = v[i]
            out[k] = self.names[k][x] if k in self.names else x.item()
        return out

    def _pareto(self, cols, ok, start):
        """Merge the chunk's rows ``ok`` (all when None) that can be on the front into it."""
        a, b = self.pareto
        sa = 1.0 if self.goals[a] == "min" else -1.0
        sb = 1.0 if self.goals[b] == "min" else -1.0
        x = cols[a] if sa > 0 else -cols[a]
        y = cols[b] if sb > 0 else -cols[b]
        ends = (x.min(), x.max(), y.min(), y.max())
        if ok is None and np.isfinite(ends).all():  # every row answered and finite
            keep, xk, yk = True, x, y
        else:
            keep = (True if ok is None else ok) & np.isfinite(x) & np.isfinite(y)
            if not keep.any():
                return
            xk, yk = np.where(keep, x, np.inf), np.where(keep, y, np.inf)
        # Only rows in the box below the best-x row's y and left of the best-y row's x can
        # be on the front (any other row is dominated by one of those two): sort only those.
        x_best = xk.min()
        y_at_xbest = yk[xk == x_best].min()
        y_best = yk.min()
        x_at_ybest = xk[yk == y_best].min()
        box = np.flatnonzero(keep & (x <= x_at_ybest) & (y <= y_at_xbest))
        cand = {k: v[box] for k, v in cols.items()}
        cand["_row"] = start + box
        if self.front is not None:
            cand = {k: np.concatenate([self.front[k], cand[k]]) for k in cand}
        order = np.lexsort((cand["_row"], sb * cand[b], sa * cand[a]))
        ys = sb * cand[b][order]
        best = np.minimum.accumulate(np.concatenate([[np.inf], ys[:-1]]))
        self.front = {k: v[order][ys < best] for k, v in cand.items()}

    #: Values kept above which the exact quantiles are found in several threads.
    THREADED_VALUES = 1 << 20

    def document(self, threads: int | None = None) -> dict[str, Any]:
        """The summary as a JSON-able document. ``threads`` find the quantiles of the
        metrics side by side (the cores, up to 4, by default, when more than
        :attr:`THREADED_VALUES` values are kept); each metric's figures are the same
        whatever the threads."""
        units = column_units(self.metrics)
        items = [(key, m, st) for key, g in sorted(self.groups.items())
                 for m, st in g["stats"].items()]  # fmt: skip
        if threads is None:
            kept = sum(p.size for _, _, st in items for p in st.kept or ())
            threads = min(os.cpu_count() or 1, 4) if kept > self.THREADED_VALUES else 1

        def one(item):
            _, m, st = item
            return st.document(units[m], self.quantiles, self.labels)

        if threads > 1 and len(items) > 1:
            with ThreadPoolExecutor(threads, thread_name_prefix="nevcalc-summary") as pool:
                docs = list(pool.map(one, items))
        else:
            docs = [one(item) for item in items]
        metrics: dict[tuple, dict[str, Any]] = {}
        for (key, m, _), doc in zip(items, docs, strict=True):
            metrics.setdefault(key, {})[m] = doc
        groups = []
        for key, g in sorted(self.groups.items()):
            doc = {
                "group": dict(zip(self.group_by, key, strict=True)),
                "rows": g["count"],
                "answered": g["answered"],
                "metrics": metrics.get(key, {}),
                "best": {m: row for m, (_, row) in g["best"].items()},
            }
            groups.append(doc)
        out = {
            "rows": self.rows,
            "answered": self.rows - self.infeasible,
            "infeasible": self.infeasible,
            "reasons": {str(k): v for k, v in sorted(self.reasons.items())},
            "quantiles": self.labels,
            "quantile_method": QUANTILE_METHOD,
            "quantiles_exact": self.exact,
            "quantile_bound": 0.0 if self.exact else HIST_BOUND,
            "infinities": INFINITIES,
            "goals": {m: ("lowest" if g == "min" else "highest") for m, g in self.goals.items()},
            "groups": groups,
        }
        if self.front is not None:
            n = len(self.front[self.pareto[0]])
            out["pareto"] = {
                "metrics": self.pareto,
                "rows": [self._row(self.front, i, int(self.front["_row"][i])) for i in range(n)],
            }
        return out
