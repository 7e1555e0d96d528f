"""Streaming, resumable, atomic sweep output (Parquet or CSV) and running summaries.

Each finished chunk is written to ``OUT.parts/part-NNNNNN.<ext>`` under a
temporary name and renamed when complete, next to a ``manifest.json`` holding
the sweep's fingerprint. ``--resume`` skips the parts that exist; when every
part is there they are joined, in chunk order, into a temporary file beside
``OUT`` that is renamed over it, and the parts are removed. A sweep stopped at
any moment therefore leaves either no ``OUT`` or a complete one, and a resumed
sweep writes the same bytes as an uninterrupted one.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import numpy as np

from nevcalc.errors import InputError
from nevcalc.sweeps.plan import FIELDS, METRICS

__all__ = ["PartWriter", "Summary", "column_units"]


def column_units(columns) -> dict[str, str]:
    """Unit of each output column (``""`` for fractions and codes)."""
    out = {}
    for c in columns:
        if c in METRICS:
            out[c] = METRICS[c][0]
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
        manifest = self.parts / "manifest.json"
        if self.parts.exists():
            if not resume:
                raise InputError(
                    f"{self.parts} holds an unfinished sweep; add --resume to continue it, "
                    "or delete the folder to start again"
                )
            try:
                old = json.loads(manifest.read_text())
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
            self.parts.mkdir()
            manifest = self.parts / "manifest.json"
            _atomic_write_bytes(manifest, json.dumps({"digest": self.digest}).encode())

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
        if self.format == "parquet":
            import pyarrow.parquet as pq

            pq.write_table(self._table(cols), tmp, compression="zstd")
        else:
            with open(tmp, "w", newline="") as fh:
                _write_csv_rows(fh, cols, self.names)
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)

    def header(self, columns) -> str:
        units = column_units(columns)
        return ",".join(f"{c} [{units[c]}]" if units[c] else c for c in columns) + "\n"

    def finish(self, chunks: int, columns) -> None:
        """Join the parts in order into the output, atomically, and remove them."""
        self._ensure_parts()
        tmp = self.output.with_name(f".{self.output.name}.tmp-{os.getpid()}")
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
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, self.output)
        shutil.rmtree(self.parts)


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


class Summary:
    """Running summaries that keep no rows: counts, quantiles, best per group, a Pareto front.

    Quantiles come from log-spaced histograms with bins 1 % wide (half a per cent
    at most off); the best row of each group and the Pareto front keep whole rows.
    """

    #: log10 of the histogram range and bins per decade (1 % wide bins)
    LOG_LO, LOG_HI, PER_DECADE = -9.0, 12.0, 232

    @classmethod
    def _bins(cls) -> int:
        return int((cls.LOG_HI - cls.LOG_LO) * cls.PER_DECADE) + 2  # + zero/underflow, overflow

    @classmethod
    def _bin_index(cls, x):
        with np.errstate(divide="ignore"):
            f = (np.log10(np.abs(x)) - cls.LOG_LO) * cls.PER_DECADE
        k = np.floor(np.clip(f, -1.0, cls._bins())).astype(np.int64) + 1
        return np.clip(k, 0, cls._bins() - 1)

    @classmethod
    def _bin_edges(cls, k):
        if k <= 0:
            return 0.0, 10**cls.LOG_LO
        lo = 10 ** (cls.LOG_LO + (k - 1) / cls.PER_DECADE)
        return lo, lo * 10 ** (1 / cls.PER_DECADE)

    def __init__(self, spec: dict[str, Any], metrics, names):
        self.group_by = list(spec.get("group_by", []))
        self.quantiles = list(spec.get("quantiles", [0.05, 0.5, 0.95]))
        self.best = list(np.atleast_1d(spec.get("best", ["running_cost_per_km"])))
        self.pareto = list(spec.get("pareto", []))
        self.metrics = [m for m in metrics]
        self.names = names
        self.groups: dict[tuple, dict[str, Any]] = {}
        self.front: dict[str, np.ndarray] | None = None
        self.rows = 0
        self.infeasible = 0

    def _key(self, cols, i):
        return tuple(self.names[g][cols[g][i]] if g in self.names else "" for g in self.group_by)

    def add(self, cols: dict[str, np.ndarray]) -> None:
        n = len(cols["reason"])
        self.rows += n
        ok = cols["reason"] == 0
        self.infeasible += int(n - ok.sum())
        if self.group_by:
            codes = np.stack([cols[g] for g in self.group_by if g in cols], axis=1)
            uniq, inv = np.unique(codes, axis=0, return_inverse=True)
            inv = inv.ravel()
        else:
            uniq, inv = np.zeros((1, 0), np.int64), np.zeros(n, np.intp)
        for gi, code in enumerate(uniq):
            key = tuple(self.names[g][c] for g, c in zip(self.group_by, code, strict=True))
            sel = (inv == gi) & ok
            g = self.groups.setdefault(key, {"count": 0, "hist": {}, "best": {}})
            g["count"] += int((inv == gi).sum())
            for m in self.metrics:
                x = cols[m][sel]
                x = x[np.isfinite(x)]
                h = g["hist"].setdefault(m, [np.zeros(self._bins(), np.int64), 0.0, 0])
                h[0] += np.bincount(self._bin_index(x), minlength=h[0].size)
                h[1] += float(x.sum())
                h[2] += x.size
            for m in self.best:
                if m not in cols or not np.any(sel):
                    continue
                x = np.where(sel, cols[m], np.inf)
                i = int(np.argmin(x))
                if np.isfinite(x[i]) and x[i] < g["best"].get(m, ({}, np.inf))[1]:
                    g["best"][m] = (self._row(cols, i), float(x[i]))
        if len(self.pareto) == 2 and all(m in cols for m in self.pareto):
            self._pareto(cols, ok)

    def _row(self, cols, i):
        out = {}
        for k, v in cols.items():
            x = v[i]
            out[k] = (
                self.names[k][x] if k in self.names else (x.item() if hasattr(x, "item") else x)
            )
        return out

    def _pareto(self, cols, ok):
        a, b = self.pareto
        x, y = cols[a][ok], cols[b][ok]
        fin = np.isfinite(x) & np.isfinite(y)
        cand = {k: v[ok][fin] for k, v in cols.items()}
        if self.front is not None:
            cand = {k: np.concatenate([self.front[k], cand[k]]) for k in cand}
        order = np.lexsort((cand[b], cand[a]))
        ys = cand[b][order]
        keep = ys < np.minimum.accumulate(np.concatenate([[np.inf], ys[:-1]]))
        self.front = {k: v[order][keep] for k, v in cand.items()}

    def _quantile(self, hist, q):
        counts, _, n = hist
        if n == 0:
            return None
        cum = np.cumsum(counts)
        i = int(np.searchsorted(cum, q * n))
        lo, hi = self._bin_edges(i)
        return 0.0 if lo == 0.0 else float(np.sqrt(lo * hi))

    def document(self) -> dict[str, Any]:
        units = column_units(self.metrics)
        groups = []
        for key, g in sorted(self.groups.items()):
            doc = {"group": dict(zip(self.group_by, key, strict=True)), "rows": g["count"],
                   "metrics": {}}  # fmt: skip
            for m, h in g["hist"].items():
                doc["metrics"][m] = {
                    "unit": units[m],
                    "mean": None if h[2] == 0 else h[1] / h[2],
                    **{f"q{round(q * 100):02d}": self._quantile(h, q) for q in self.quantiles},
                }
            doc["best"] = {m: row for m, (row, _) in g["best"].items()}
            groups.append(doc)
        out = {"rows": self.rows, "infeasible": self.infeasible, "groups": groups}
        if self.front is not None:
            n = len(self.front[self.pareto[0]])
            out["pareto"] = {"metrics": self.pareto,
                             "rows": [self._row(self.front, i) for i in range(n)]}  # fmt: skip
        return out
