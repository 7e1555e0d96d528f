"""Sweep output: units in the files, resume, and faults (two writers, kill -9 during the
join, Ctrl-C, a full disk). Each fault leaves either the old state or the complete new
file, and no stray temporary file. PartWriter on its own: parts joined in chunk order and
atomically, one writer per output, temporary files cleaned, resume only of the same sweep."""

from __future__ import annotations

import errno
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

import nevcalc
from nevcalc.errors import InputError
from nevcalc.metrics import METRICS
from nevcalc.sweeps.output import OutputError, PartWriter
from tests.helpers import POWER, PRICES, VEHICLES
from tests.helpers import mc_doc as _mc_doc
from tests.helpers import sweep_doc as _doc
from tests.helpers import sweep_toml as _toml

SPEC = """kind = "sweep"
title = "faults"
outputs = ["charge_10_80", "running_cost_per_km"]
[base]
vehicle = "byd-han-l"
charger = "byd-megawatt"
usage = "private-china"
[[axis]]
field = "usage.electricity_price"
distribution = "uniform"
low = "0.05 USD/kWh"
high = "0.3 USD/kWh"
[draws]
n = {n}
seed = 3
"""


def _spec(folder: Path, n: int) -> Path:
    p = folder / "s.toml"
    p.write_text(SPEC.format(n=n))
    return p


def _cmd(spec, out, *extra):
    return [sys.executable, "-m", "nevcalc.cli", "sweep", str(spec), "-o", str(out),
            "--chunk-rows", "4096", *extra]  # fmt: skip


def _env():
    return {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}


def _stray(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob("*") if ".tmp-" in p.name
                  or p.name.endswith(".lock") or ".trash-" in p.name)  # fmt: skip


def _reference(tmp_path, n) -> bytes:
    ref = tmp_path / "ref"
    ref.mkdir()
    spec = _spec(ref, n)
    subprocess.run(_cmd(spec, ref / "r.csv"), check=True, env=_env(), capture_output=True)
    return (ref / "r.csv").read_bytes()


def _wait_for(pred, proc, timeout=120.0):
    end = time.time() + timeout
    while time.time() < end:
        if pred():
            return True
        if proc.poll() is not None:
            return pred()
        time.sleep(0.002)
    return False


def test_a_second_writer_is_refused_and_the_first_file_is_intact(tmp_path):
    n = 300_000
    want = _reference(tmp_path, n)
    work = tmp_path / "w"
    work.mkdir()
    spec = _spec(work, n)
    out = work / "o.csv"
    first = subprocess.Popen(_cmd(spec, out), env=_env(), stderr=subprocess.PIPE,
                             stdout=subprocess.DEVNULL)  # fmt: skip
    assert _wait_for(lambda: (work / ".o.csv.lock").exists(), first)
    spec.write_text(SPEC.format(n=n).replace("seed = 3", "seed = 4"))  # another sweep
    second = subprocess.run(_cmd(spec, out), env=_env(), capture_output=True, text=True,
                            timeout=120)  # fmt: skip
    assert second.returncode == 1
    assert "being written by another nevcalc sweep" in second.stderr
    assert f"pid {first.pid}" in second.stderr and second.stderr.count("\n") == 1
    assert first.wait(timeout=300) == 0
    assert out.read_bytes() == want
    assert _stray(work) == [] and not (work / "o.csv.parts").exists()


def test_kill_9_during_the_join_then_resume_gives_the_same_bytes(tmp_path):
    n = 400_000
    want = _reference(tmp_path, n)
    work = tmp_path / "w"
    work.mkdir()
    spec = _spec(work, n)
    out = work / "o.csv"
    proc = subprocess.Popen(_cmd(spec, out), env=_env(), stderr=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL)  # fmt: skip
    caught = _wait_for(lambda: any(work.glob(".o.csv.tmp-*")), proc)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    if not caught or out.exists():
        pytest.skip("the join finished before it could be interrupted")
    assert list(work.glob(".o.csv.tmp-*"))  # the killed join's temporary file
    subprocess.run(_cmd(spec, out, "--resume"), check=True, env=_env(), capture_output=True)
    assert out.read_bytes() == want
    assert _stray(work) == [] and not (work / "o.csv.parts").exists()


def test_stale_temporary_files_of_a_killed_run_are_removed_on_resume(tmp_path):
    doc_path = _spec(tmp_path, 20000)
    out = tmp_path / "o.csv"
    res = nevcalc.sweep(str(doc_path), str(out), chunk_rows=4096, stop_after=2)
    assert res.output is None
    (tmp_path / ".o.csv.tmp-999999").write_bytes(b"x" * 1000)  # a join killed by kill -9
    (tmp_path / "o.csv.parts" / ".part-000002.csv.tmp-999999").write_bytes(b"half")
    (tmp_path / ".o.csv.lock").write_text("999999")  # left by the killed run, not locked
    nevcalc.sweep(str(doc_path), str(out), chunk_rows=4096, resume=True)
    whole = tmp_path / "whole.csv"
    nevcalc.sweep(str(doc_path), str(whole), chunk_rows=4096)
    assert out.read_bytes() == whole.read_bytes()
    assert _stray(tmp_path) == []


def test_ctrl_c_says_how_to_resume_and_leaves_no_temporary_file(tmp_path):
    n = 400_000
    want = _reference(tmp_path, n)
    work = tmp_path / "w"
    work.mkdir()
    spec = _spec(work, n)
    out = work / "o.csv"
    proc = subprocess.Popen(_cmd(spec, out), env=_env(), stderr=subprocess.PIPE,
                            stdout=subprocess.DEVNULL, text=True)  # fmt: skip
    assert _wait_for(lambda: any((work / "o.csv.parts").glob("part-*")), proc)
    proc.send_signal(signal.SIGINT)
    err = proc.communicate(timeout=120)[1]
    if proc.returncode == 0:
        pytest.skip("the sweep finished before Ctrl-C arrived")
    assert proc.returncode == 130, err
    assert "Traceback" not in err and "--resume" in err and err.count("\n") == 1
    assert not out.exists() and _stray(work) == []
    subprocess.run(_cmd(spec, out, "--resume"), check=True, env=_env(), capture_output=True)
    assert out.read_bytes() == want and _stray(work) == []


def _small_disk(path: Path) -> bool:
    if os.geteuid() != 0 or shutil.which("mount") is None:
        return False
    path.mkdir()
    got = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=192k", "tmpfs", str(path)],
                         capture_output=True)  # fmt: skip
    return got.returncode == 0


def test_a_full_disk_keeps_the_old_file_and_names_path_and_fix(tmp_path):
    disk = tmp_path / "disk"
    if not _small_disk(disk):
        pytest.skip("cannot mount a tmpfs here; the monkeypatched test covers ENOSPC")
    try:
        out = disk / "o.csv"
        out.write_text("the old file\n")
        spec = _spec(tmp_path, 60_000)
        proc = subprocess.run(_cmd(spec, out), env=_env(), capture_output=True, text=True,
                              timeout=120)  # fmt: skip
        assert proc.returncode == 1, proc.stderr
        assert f"cannot write {disk}" in proc.stderr and "No space left on device" in proc.stderr
        assert "free space" in proc.stderr and "--resume" in proc.stderr
        assert "Traceback" not in proc.stderr and proc.stderr.count("\n") == 1
        assert out.read_text() == "the old file\n"
        assert _stray(disk) == []
    finally:
        subprocess.run(["umount", str(disk)], check=False)


@pytest.mark.parametrize("where", ["part", "join"])
def test_enospc_from_any_write_leaves_old_state_and_no_temporary_file(tmp_path, monkeypatch,
                                                                      where):  # fmt: skip
    import nevcalc.sweeps.output as output

    spec = _spec(tmp_path, 20000)
    out = tmp_path / "o.csv"
    out.write_text("old\n")

    def full(*_a, **_k):
        raise OSError(errno.ENOSPC, "No space left on device")

    if where == "part":
        monkeypatch.setattr(output, "_write_csv_rows", full)
    else:
        real = output.PartWriter._join

        def join(self, tmp, chunks, columns):
            real(self, tmp, chunks, columns)
            full()

        monkeypatch.setattr(output.PartWriter, "_join", join)
    with pytest.raises(OutputError, match="No space left on device; free space") as info:
        nevcalc.sweep(str(spec), str(out), chunk_rows=4096)
    assert "--resume" in str(info.value) and str(tmp_path) in str(info.value)
    assert out.read_text() == "old\n" and _stray(tmp_path) == []
    parts = tmp_path / "o.csv.parts"
    if where == "part":
        assert not parts.exists()  # nothing finished: nothing left behind
    else:
        monkeypatch.undo()
        nevcalc.sweep(str(spec), str(out), chunk_rows=4096, resume=True)
        whole = tmp_path / "whole.csv"
        nevcalc.sweep(str(spec), str(whole), chunk_rows=4096)
        assert out.read_bytes() == whole.read_bytes() and _stray(tmp_path) == []


def test_parquet_and_csv_carry_units(tmp_path):
    import pyarrow.parquet as pq

    out = tmp_path / "s.parquet"
    nevcalc.sweep(_doc(VEHICLES, POWER), str(out))
    table = pq.read_table(out)
    assert table.num_rows == 9
    assert table.schema.field("charge_10_80").metadata[b"unit"] == b"min"
    assert table.schema.field("charger.max_power").metadata[b"unit"] == b"kW"
    assert table.column("vehicle").to_pylist()[0] == "byd-han-l"
    csv = tmp_path / "s.csv"
    nevcalc.sweep(_doc(VEHICLES, POWER), str(csv))
    header = csv.read_text().splitlines()[0]
    assert "charge_10_80 [min]" in header and "running_cost_per_km [USD/km]" in header
    assert not list(tmp_path.glob("*.parts")) and not list(tmp_path.glob(".*tmp*"))


def test_an_interrupted_sweep_resumes_to_the_same_bytes(tmp_path):
    whole = tmp_path / "whole.parquet"
    nevcalc.sweep(_mc_doc(), str(whole), chunk_rows=2048)
    part = tmp_path / "part.parquet"
    first = nevcalc.sweep(_mc_doc(), str(part), chunk_rows=2048, stop_after=3)
    assert first.output is None and not part.exists()  # never a half file under the name
    assert len(list((tmp_path / "part.parquet.parts").glob("part-*"))) == 3
    with pytest.raises(InputError, match="--resume"):
        nevcalc.sweep(_mc_doc(), str(part), chunk_rows=2048)
    with pytest.raises(InputError, match="different sweep"):
        nevcalc.sweep(_mc_doc(), str(part), chunk_rows=1024, resume=True)
    nevcalc.sweep(_mc_doc(), str(part), chunk_rows=2048, resume=True)
    assert part.read_bytes() == whole.read_bytes()


def test_kill_9_then_resume_gives_the_uninterrupted_file(tmp_path):
    spec = tmp_path / "mc.toml"
    doc = _mc_doc()
    doc["draws"]["n"] = 40000
    spec.write_text(_toml(doc))
    whole = tmp_path / "whole.csv"
    cmd = [sys.executable, "-m", "nevcalc.cli", "sweep", str(spec), "--chunk-rows", "1024"]
    subprocess.run([*cmd, "-o", str(whole)], check=True, capture_output=True)
    out = tmp_path / "killed.csv"
    proc = subprocess.Popen([*cmd, "-o", str(out)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)  # fmt: skip
    parts = tmp_path / "killed.csv.parts"
    deadline = time.time() + 60
    while time.time() < deadline and len(list(parts.glob("part-*"))) < 2:
        time.sleep(0.02)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert not out.exists()
    subprocess.run([*cmd, "-o", str(out), "--resume"], check=True, capture_output=True)
    assert out.read_bytes() == whole.read_bytes()


def test_summary_quantiles_best_and_pareto_without_keeping_rows():
    doc = _doc(VEHICLES, POWER, PRICES,
               summary={"group_by": ["vehicle"], "best": ["running_cost_per_km"],
                        "pareto": ["charge_10_80", "running_cost_per_km"]})  # fmt: skip
    full = nevcalc.sweep(doc)
    summ = nevcalc.sweep(doc, summary=True, stream=True)
    assert summ.columns is None
    df = full.to_pandas()
    for g in summ.summary["groups"]:
        rows = df[df.vehicle == g["group"]["vehicle"]]
        m = g["metrics"]["running_cost_per_km"]
        exact = np.quantile(rows.running_cost_per_km, 0.5, method="inverted_cdf")
        assert m["q50"] == exact  # exact: every value kept
        assert m["mean"] == pytest.approx(rows.running_cost_per_km.mean(), rel=1e-12)
        best = g["best"]["running_cost_per_km"]
        assert best["running_cost_per_km"] == pytest.approx(rows.running_cost_per_km.min())
    a, b = df.charge_10_80.to_numpy(), df.running_cost_per_km.to_numpy()
    dominated = np.array([np.any((a <= a[i]) & (b <= b[i]) & ((a < a[i]) | (b < b[i])))
                          for i in range(a.size)])  # fmt: skip
    front = summ.summary["pareto"]["rows"]
    assert len(front) == int((~dominated).sum())
    assert {(r["charge_10_80"], r["running_cost_per_km"]) for r in front} == set(
        zip(a[~dominated], b[~dominated], strict=True)
    )


def test_a_bad_output_is_refused_before_any_work(monkeypatch, tmp_path):
    import nevcalc.sweeps.engine as engine

    def no_work(*_a, **_k):
        raise AssertionError("the models ran before the output was checked")

    monkeypatch.setattr(engine, "prepare", no_work)
    for out, needle in ((tmp_path / "x.txt", ".parquet or .csv"),
                        (tmp_path / "no" / "x.csv", "does not exist")):  # fmt: skip
        with pytest.raises(InputError, match=needle):
            nevcalc.sweep(_doc(POWER), str(out))
    assert not list(tmp_path.glob("*.parts"))


def test_a_sweep_manifest_replaced_by_a_fifo_is_read_safely_not_waited_on(tmp_path):
    import nevcalc
    from nevcalc.errors import InputError

    part = tmp_path / "part.parquet"
    nevcalc.sweep(_mc_doc(), str(part), chunk_rows=2048, stop_after=2)
    manifest = tmp_path / "part.parquet.parts" / "manifest.json"
    assert manifest.is_file()
    manifest.unlink()
    os.mkfifo(manifest)
    with pytest.raises(InputError, match="different sweep"):
        nevcalc.sweep(_mc_doc(), str(part), chunk_rows=2048, resume=True)


# --- PartWriter on its own: parts, lock, temporary files, resume ----------------------

DIGEST = "plan-digest-2048"


def _writer(out, digest=DIGEST, resume=False, names=None):
    return PartWriter(out, digest, names or {}, {"title": "t"}, resume)


def _chunk(start, n):
    """Rows ``start .. start+n-1``: an integer column and a metric column equal to row / 4."""
    rows = np.arange(start, start + n)
    return {"row": rows, "charge_10_80": rows / 4.0}


def _leftovers(folder):
    """Temporary, lock and parts files a finished writer must not leave behind."""
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".") or "parts" in p.name)


def test_parts_are_joined_in_chunk_order_under_a_header_with_units(tmp_path):
    out = tmp_path / "out.csv"
    w = _writer(out)
    # written out of order: the join follows the chunk numbers, not the write order
    w.write(1, _chunk(3, 2))
    w.write(0, _chunk(0, 3))
    w.finish(2, ["row", "charge_10_80"])
    lines = out.read_text().splitlines()
    assert lines[0] == f"row,charge_10_80 [{METRICS['charge_10_80'].unit}]"
    # rows 0..4 and row / 4 by hand: 0, 0.25, 0.5, 0.75, 1
    assert lines[1:] == ["0,0", "1,0.25", "2,0.5", "3,0.75", "4,1"]
    assert _leftovers(tmp_path) == []


def test_category_columns_are_written_as_their_names(tmp_path):
    out = tmp_path / "out.csv"
    w = _writer(out, names={"vehicle": ("car-a", "car-b")})
    w.write(0, {"vehicle": np.array([1, 0, 1], dtype=np.int32)})
    w.finish(1, ["vehicle"])
    assert out.read_text().splitlines() == ["vehicle", "car-b", "car-a", "car-b"]


@pytest.mark.parametrize("name", ["out.txt", "out", "out.json"])
def test_only_parquet_or_csv_names_are_accepted(tmp_path, name):
    with pytest.raises(InputError, match=r"\.parquet or \.csv"):
        _writer(tmp_path / name)
    assert list(tmp_path.iterdir()) == []  # refused before any file is made


def test_a_missing_folder_is_refused_naming_it(tmp_path):
    with pytest.raises(InputError, match="does not exist"):
        _writer(tmp_path / "nowhere" / "out.csv")


def test_a_second_writer_of_the_same_output_is_refused_until_the_first_releases(tmp_path):
    out = tmp_path / "out.csv"
    first = _writer(out)
    with pytest.raises(OutputError) as exc:
        _writer(out)
    message = str(exc.value)
    assert str(out) in message and f"pid {os.getpid()}" in message
    assert "another -o" in message
    first.release()
    assert not (tmp_path / ".out.csv.lock").exists()
    second = _writer(out)  # the lock is free again
    second.release()


def test_another_output_in_the_same_folder_is_not_locked(tmp_path):
    a = _writer(tmp_path / "a.csv")
    b = _writer(tmp_path / "b.csv")
    a.release()
    b.release()


def test_a_failed_join_keeps_the_old_output_and_leaves_no_temporary_file(tmp_path):
    out = tmp_path / "out.csv"
    out.write_text("old\n")
    w = _writer(out)
    w.write(0, _chunk(0, 2))
    with pytest.raises(OutputError, match="--resume"):
        w.finish(2, ["row", "charge_10_80"])  # part 1 was never written
    assert out.read_text() == "old\n"
    assert not list(tmp_path.glob(".out.csv.tmp-*"))
    w.abandon()
    # the finished part stays for --resume, the lock goes
    assert (tmp_path / "out.csv.parts" / "part-000000.csv").exists()
    assert not (tmp_path / ".out.csv.lock").exists()


def test_unfinished_parts_need_resume_and_the_same_sweep(tmp_path):
    out = tmp_path / "out.csv"
    w = _writer(out)
    w.write(0, _chunk(0, 3))
    w.abandon()
    with pytest.raises(InputError, match="add --resume"):
        _writer(out)
    with pytest.raises(InputError, match="different sweep"):
        _writer(out, digest="another-digest", resume=True)
    again = _writer(out, resume=True)
    assert again.done(0) and not again.done(1)
    again.write(1, _chunk(3, 1))
    again.finish(2, ["row", "charge_10_80"])
    assert out.read_text().splitlines()[1:] == ["0,0", "1,0.25", "2,0.5", "3,0.75"]
    assert _leftovers(tmp_path) == []


def test_abandoning_before_any_part_leaves_nothing(tmp_path):
    out = tmp_path / "out.csv"
    w = _writer(out)
    w.abandon()
    assert list(tmp_path.iterdir()) == []


def test_temporary_files_of_a_killed_run_are_removed_when_the_lock_is_taken(tmp_path):
    out = tmp_path / "out.csv"
    w = _writer(out)
    w.write(0, _chunk(0, 1))
    w.abandon()
    stale = [
        tmp_path / ".out.csv.tmp-99999",
        tmp_path / "out.csv.parts" / ".part-000001.csv.tmp-99999",
    ]
    for p in stale:
        p.write_text("half")
    trash = tmp_path / ".out.csv.parts.trash-99999"
    trash.mkdir()
    (trash / "part-000000.csv").write_text("0,0\n")
    other = tmp_path / ".other.csv.tmp-99999"  # another output's file is not touched
    other.write_text("x")
    w = _writer(out, resume=True)
    assert not any(p.exists() for p in stale) and not trash.exists()
    assert other.exists()
    assert w.done(0)  # the finished part is kept
    w.release()


def test_an_unwritable_output_names_the_output_and_the_fix(tmp_path, monkeypatch):
    """When even the lock beside the output cannot be made (an odd errno, e.g. -o under
    /proc), the error names the -o file the user gave and what to do about it."""
    real_open = os.open

    def refuse_lock(path, *args, **kw):
        if str(path).endswith(".lock"):
            raise OSError(errno.ENOENT, "No such file or directory", str(path))
        return real_open(path, *args, **kw)

    monkeypatch.setattr(os, "open", refuse_lock)
    out = tmp_path / "out.csv"
    with pytest.raises(OutputError) as exc:
        PartWriter(out, "d", {}, {"title": "t"}, False)
    message = str(exc.value)
    assert f"cannot write {out}:" in message
    assert ".lock" not in message and "fix the cause" not in message
    assert "give -o in a folder you can write" in message
