"""Run a sweep's chunks locally or on a Dask cluster, in memory or streamed to a file."""

from __future__ import annotations

import os
import queue
import sys
import time
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from nevcalc import _show
from nevcalc.errors import InputError, NevcalcError
from nevcalc.sweeps.evaluate import REASONS, Prepared, chunk_draws, evaluate_chunk, prepare
from nevcalc.sweeps.output import PartWriter, Summary, column_units
from nevcalc.sweeps.plan import SweepPlan, load_plan, short

__all__ = [
    "IN_MEMORY_LIMIT",
    "LARGE_ROWS",
    "SCHEDULER_TIMEOUT",
    "SweepInterrupted",
    "SweepResult",
    "run",
]

#: Sweeps above this many rows say their size and expected time before they start.
LARGE_ROWS = 50_000_000


class SweepInterrupted(NevcalcError):
    """Ctrl-C stopped the sweep; the message says what was kept and how to resume."""


#: Rows a sweep may have when its results are kept in memory (no output file, no --stream).
IN_MEMORY_LIMIT = 10_000_000


@dataclass
class SweepResult:
    """What a sweep did, and its rows when they were kept in memory."""

    plan: SweepPlan
    scenarios: int
    seconds: float
    output: str | None
    engine: str
    chunks: int
    columns: dict[str, np.ndarray] | None = None
    names: dict[str, tuple[str, ...]] = field(default_factory=dict)
    summary: dict[str, Any] | None = None
    stats: dict[str, Any] = field(default_factory=dict)

    @property
    def scenarios_per_second(self) -> float:
        return self.scenarios / self.seconds if self.seconds > 0 else float("inf")

    def __repr__(self) -> str:
        return _show.line(self)

    def _repr_html_(self) -> str:
        return _show.html(self)

    @property
    def units(self) -> dict[str, str]:
        return column_units(self.columns or {})

    def _require_rows(self):
        if self.columns is None:
            raise InputError("the rows were streamed to a file, not kept; read the file instead")

    def to_pandas(self):
        """The rows as a pandas DataFrame (categorical axes as pandas categoricals)."""
        import pandas as pd

        self._require_rows()
        data = {}
        for k, v in self.columns.items():
            if k in self.names:
                data[k] = pd.Categorical.from_codes(v, categories=list(self.names[k]))
            else:
                data[k] = v
        df = pd.DataFrame(data)
        df.attrs["units"] = self.units
        return df

    def to_xarray(self):
        """The rows as an xarray Dataset with the crossed axes (and ``draw``) as dimensions."""
        import xarray as xr

        self._require_rows()
        plan = self.plan
        dims, coords = [], {}
        for d in plan.dims:
            if len(d.axes) == 1:
                a = d.axes[0]
                dims.append(a.field)
                coords[a.field] = list(a.names) if a.kind == "category" else a.values / a.factor
            else:
                dims.append(d.name)
                coords[d.name] = np.arange(d.size)
        if plan.random:
            dims.append("draw")
            coords["draw"] = np.arange(plan.draws)
        shape = plan.shape
        units = self.units
        data = {}
        for k, v in self.columns.items():
            if any(k == a.field for d in plan.dims for a in d.axes if len(d.axes) == 1):
                continue
            arr = v.reshape(shape) if shape else v.reshape(())
            if k in self.names:
                arr = np.asarray(self.names[k], dtype=object)[arr]
            data[k] = (dims, arr, {"units": units.get(k, "")})
        return xr.Dataset(data, coords=coords, attrs={"title": plan.title})


def _progress(total_chunks: int, rows: int, quiet: bool):
    if quiet or not sys.stderr.isatty():
        return None
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,  # fmt: skip
        TimeRemainingColumn,
    )

    p = Progress(
        TextColumn("sweep"), BarColumn(), MofNCompleteColumn(),
        TextColumn("{task.fields[rate]}"), TimeElapsedColumn(), TextColumn("ETA"),
        TimeRemainingColumn(), console=Console(stderr=True), transient=True,
    )  # fmt: skip
    p.start()
    p.add_task("sweep", total=rows, rate="")
    return p


def _chunks_local(prep: Prepared, todo, threads: int, spare=None, pool=None,
                  light: bool = False):  # fmt: skip
    """Chunks in order; ``threads`` evaluate ahead (numpy releases the GIL in its loops),
    at most two chunks per thread in flight, so memory stays bounded.

    ``spare``: a queue of column arrays the caller gives back once it has read a chunk;
    chunks are written into them when there are some. ``pool``: the threads' executor
    (shut down here), made here when None. ``light``: the caller only lets the chunks go
    (no file, no summary, nothing kept); then one chunk at a time is evaluated, its
    blocks side by side, so that each chunk is written into the arrays of the one before
    (no fresh pages) and the threads share every chunk's work alike."""

    def one(k):
        into = None
        if spare is not None:
            try:
                into = spare.get_nowait()
            except queue.Empty:
                into = {}
        return evaluate_chunk(prep, k, into)

    if threads <= 1:
        for k in todo:
            yield k, one(k)
        return

    todo = list(todo)
    pool = pool or _pool(threads)
    try:
        if light:
            prep.pool = pool
            for k in todo:
                yield k, one(k)
            return
        window: deque = deque()
        nxt = 0
        while nxt < len(todo) or window:
            while nxt < len(todo) and len(window) < 2 * threads:
                window.append((todo[nxt], pool.submit(one, todo[nxt])))
                nxt += 1
            k, fut = window.popleft()
            yield k, fut.result()
    finally:  # on Ctrl-C or an error: drop the chunks not started, wait for the others
        prep.pool = None
        pool.shutdown(wait=True, cancel_futures=True)


def _pool(threads: int) -> ThreadPoolExecutor:
    return ThreadPoolExecutor(threads, thread_name_prefix="nevcalc-sweep")


#: Seconds to wait for a Dask scheduler given with --scheduler to answer.
SCHEDULER_TIMEOUT = 10


def _chunks_dask(prep: Prepared, todo, scheduler: str | None, workers: int):
    try:
        from distributed import Client, LocalCluster, as_completed
    except ImportError:
        raise InputError(
            "--engine dask needs dask.distributed: pip install 'nevcalc[dask]'"
        ) from None
    cluster = None
    if scheduler:
        fix = "e.g. tcp://host:8786, or leave out --scheduler for a local cluster"
        try:
            client = Client(scheduler, timeout=SCHEDULER_TIMEOUT)
        except (ValueError, TypeError):
            raise InputError(
                f"--scheduler {short(scheduler)}: not a Dask scheduler address; give one, {fix}"
            ) from None
        except (OSError, TimeoutError):
            raise InputError(
                f"--scheduler {short(scheduler)}: no Dask scheduler answered within "
                f"{SCHEDULER_TIMEOUT} s; check the address, {fix}"
            ) from None
    else:
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                               dashboard_address=":0")  # fmt: skip
        client = Client(cluster)
    try:
        [remote] = client.scatter([prep], broadcast=True)
        todo = list(todo)
        window = 4 * max(len(client.scheduler_info()["workers"]), 1)
        pending = [client.submit(evaluate_chunk, remote, k, key=f"nevcalc-chunk-{k}-{id(prep)}")
                   for k in todo[:window]]  # fmt: skip
        nxt = window
        queue = as_completed(pending, with_results=True)
        for fut, cols in queue:
            k = int(fut.key.split("-")[2])
            yield k, cols
            if nxt < len(todo):
                queue.add(client.submit(evaluate_chunk, remote, todo[nxt],
                                        key=f"nevcalc-chunk-{todo[nxt]}-{id(prep)}"))  # fmt: skip
                nxt += 1
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def run(
    spec,
    output: str | None = None,
    *,
    engine: str = "local",
    scheduler: str | None = None,
    workers: int | None = None,
    resume: bool = False,
    stream: bool = False,
    summary: bool = False,
    chunk_rows: int = 1 << 19,
    quiet: bool = False,
    stop_after: int | None = None,
    notice=None,
) -> SweepResult:
    """Run a sweep.

    Parameters
    ----------
    spec : str, Path or dict
        A sweep spec file, a sweep name in ``specs/sweeps``, or a parsed dict.
    output : str, optional
        ``.parquet`` or ``.csv`` file to stream the rows to.
    engine : {"local", "dask"}
    scheduler : str, optional
        Dask scheduler address; a LocalCluster of ``workers`` when None.
    workers : int, optional
        Threads of the local engine, or processes of the local Dask cluster; the
        machine's cores by default (2 for Dask).
    resume : bool
        Continue an interrupted sweep into the same output.
    stream : bool
        Allow a sweep larger than :data:`IN_MEMORY_LIMIT` (rows are not kept).
    summary : bool
        Keep running summaries (quantiles, best per group, Pareto front).
    chunk_rows : int
        Rows per chunk.
    stop_after : int, optional
        Stop after this many chunks (for tests of resuming).
    notice : callable, optional
        Called with a line of text for the user: the size and expected time of a sweep
        above :data:`LARGE_ROWS` rows.

    Raises
    ------
    SweepInterrupted
        On Ctrl-C: finished parts are kept for ``resume``, temporary files removed.
    """
    t0 = time.perf_counter()
    plan = spec if isinstance(spec, SweepPlan) else load_plan(spec)
    if engine not in ("local", "dask"):
        raise InputError(f"engine {engine!r}: local or dask")
    rows = plan.rows
    keep = output is None
    if keep and rows > IN_MEMORY_LIMIT and not stream:
        raise InputError(
            f"the sweep has {rows:,} rows, more than {IN_MEMORY_LIMIT:,} kept in memory; "
            "write them to a file (-o OUT.parquet --stream) or sum them (--stream --summary)"
        )
    if not keep and rows > IN_MEMORY_LIMIT and not stream:
        raise InputError(
            f"the sweep has {rows:,} rows (limit {IN_MEMORY_LIMIT:,} without --stream); "
            "add --stream to write it chunk by chunk"
        )
    keep = keep and not stream
    if not 1024 <= chunk_rows <= 1 << 24:
        raise InputError("chunk rows: 1,024 to 16,777,216")
    writer = None
    if output is not None:  # checked before any work: name, folder, pyarrow, a stale run
        meta = {"nevcalc_sweep": plan.title, "reasons": REASONS, "seed": plan.seed,
                "scenarios": rows}  # fmt: skip
        writer = PartWriter(output, f"{plan.digest()}-{chunk_rows}", {}, meta, resume)
    try:
        return _run(plan, output, writer, engine, scheduler, workers, rows, keep, summary,
                    chunk_rows, quiet, stop_after, notice, t0)  # fmt: skip
    except KeyboardInterrupt:
        if writer is not None:
            writer.abandon()
            if writer.has_parts():
                how = f"run the same command with --resume to continue into {output}"
            else:
                how = "no part was finished; run the command again"
        else:
            how = "nothing was written (give -o OUT to keep finished chunks for --resume)"
        raise SweepInterrupted(f"sweep interrupted; {how}") from None
    except BaseException:
        if writer is not None:
            writer.abandon()
        raise


def _duration(seconds: float) -> str:
    for unit, size in (("days", 86400.0), ("hours", 3600.0), ("minutes", 60.0)):
        if seconds >= 2 * size:
            return f"about {seconds / size:,.1f} {unit}"
    return f"about {seconds:.0f} s"


#: Bytes of the block :func:`_keep_freed_memory` allocates and frees: glibc's largest
#: dynamic mmap threshold (32 MiB on 64-bit), less a margin for malloc's and numpy's headers.
_MMAP_THRESHOLD_MAX = (32 << 20) - (64 << 10)


def _keep_freed_memory() -> None:
    """Let the chunks' arrays reuse memory the process freed instead of fresh pages.

    glibc maps each block above its mmap threshold (128 KiB at start) on its own and
    unmaps it when freed, so every temporary array of a block (1 MiB for 131,072 rows)
    would cost a page fault per 4 KiB, and the threads serialise on the address space's
    lock; freeing a mapped block raises that threshold to the block's size (at most
    32 MiB) and the heap's trim threshold to twice that. One untouched block of that
    size, allocated and freed, does so at once. Elsewhere it costs one allocation.
    """
    np.empty(_MMAP_THRESHOLD_MAX, np.uint8)


def _run(plan, output, writer, engine, scheduler, workers, rows, keep, summary, chunk_rows,
         quiet, stop_after, notice, t0):  # fmt: skip
    _keep_freed_memory()
    cores = os.cpu_count() or 1
    threads = min(workers or cores, 32) if engine == "local" else 1
    total = -(-rows // chunk_rows)
    todo = [k for k in range(total) if writer is None or not writer.done(k)]
    if stop_after is not None:
        todo = todo[:stop_after]
    pool = _pool(threads) if engine == "local" and threads > 1 else None
    try:
        # the draws of the first chunks need no table: they are drawn while the tables
        # are prepared
        ahead = {} if pool is None or not plan.random else {
            k: pool.submit(chunk_draws, plan, chunk_rows, k) for k in todo[: 2 * threads]
        }  # fmt: skip
        prep = prepare(plan, chunk_rows, threads)
    except BaseException:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
        raise
    prep.ahead = ahead
    if writer is not None:
        writer.names = prep.names
    summ = None
    if summary:
        summ = Summary(plan.summary, plan.outputs, prep.names, rows=rows,
                       draws=plan.draws if plan.random else 0,
                       levels=plan.levels(plan.summary.get("group_by", ())))  # fmt: skip
    kept: dict[int, dict[str, np.ndarray]] = {}
    bar = _progress(total, rows, quiet)
    # columns nobody keeps (not kept in memory, no summary keeping values for exact
    # quantiles) are written into again
    reuse = engine == "local" and not keep and (summ is None or not summ.exact)
    spare = queue.SimpleQueue() if reuse else None
    if engine == "local":
        light = writer is None and summ is None and not keep
        chunks = _chunks_local(prep, todo, threads, spare, pool, light)
    else:
        chunks = _chunks_dask(prep, todo, scheduler, workers or 2)
    done_rows = 0
    columns = None
    large = notice is not None and rows > LARGE_ROWS
    if large:
        keeps = "finished chunks are kept for --resume" if writer else "nothing is kept"
        notice(f"sweep of {rows:,} rows in {total:,} chunks of {chunk_rows:,}; Ctrl-C stops "
               f"it ({keeps})")  # fmt: skip
    t_first = time.perf_counter()
    try:
        for k, cols in chunks:
            if large and columns is None:
                rate = len(cols["reason"]) / max(time.perf_counter() - t_first, 1e-9)
                notice(f"expected time: {_duration(rows / rate)} at {rate:,.0f} rows a second "
                       "(the first chunk's rate)")  # fmt: skip
            columns = list(cols)
            if writer is not None:
                writer.write(k, cols)
            if summ is not None:
                summ.add(cols, k * chunk_rows)
            if keep:
                kept[k] = cols
            done_rows += len(cols["reason"])
            if spare is not None:
                spare.put({c: x.base if x.base is not None else x for c, x in cols.items()})
            if bar is not None:
                rate = done_rows / max(time.perf_counter() - t0, 1e-9)
                bar.update(bar.task_ids[0], advance=len(cols["reason"]),
                           rate=f"{rate / 1e6:.2f} M/s")  # fmt: skip
    finally:
        if bar is not None:
            bar.stop()
    finished = stop_after is None or all(writer is None or writer.done(k) for k in range(total))
    if writer is not None and finished:
        if columns is None:
            columns = list(evaluate_chunk(prep, 0))
        writer.finish(total, columns)
    elif writer is not None:
        writer.release()
    merged = None
    if keep and finished:
        merged = {c: np.concatenate([kept[k][c] for k in range(total)]) for c in kept[0]}
    seconds = time.perf_counter() - t0
    return SweepResult(
        plan, rows if finished else done_rows, seconds,
        str(output) if output is not None and finished else None, engine, total, merged,
        prep.names, None if summ is None else summ.document(), dict(prep.stats),
    )  # fmt: skip
