"""The SI cache of loaded specs: refreshed on change, stamped by code, never trusted when
broken."""

from __future__ import annotations

import os
import time

import pytest

from nevcalc import catalog
from tests.helpers import write_charger as _write_charger


def test_cache_is_refreshed_when_the_file_changes(tmp_path, monkeypatch):
    monkeypatch.setenv("NEVCALC_CACHE", str(tmp_path / "cache"))
    path = _write_charger(tmp_path / "specs", "mine", "50 kW")
    assert catalog.load("mine", "charger").in_unit("max_power") == pytest.approx(50)
    assert os.listdir(tmp_path / "cache")  # the SI cache was written
    time.sleep(0.01)
    _write_charger(tmp_path / "specs", "mine", "60 kW")
    os.utime(path, ns=(time.time_ns(), time.time_ns() + 10**9))
    assert catalog.load("mine", "charger").in_unit("max_power") == pytest.approx(60)


def test_a_corrupt_cache_is_ignored(tmp_path, monkeypatch):
    monkeypatch.setenv("NEVCALC_CACHE", str(tmp_path / "cache"))
    _write_charger(tmp_path / "specs", "mine", "50 kW")
    catalog.load("mine", "charger")
    for f in (tmp_path / "cache").iterdir():
        f.write_text("{not json")
    catalog._load_cached.cache_clear()
    assert catalog.load("mine", "charger").in_unit("max_power") == pytest.approx(50)


def test_a_changed_schema_or_loader_never_reads_an_old_cache(tmp_path, monkeypatch):
    from nevcalc.specs import cache

    monkeypatch.setenv("NEVCALC_CACHE", str(tmp_path / "cache"))
    path = _write_charger(tmp_path / "specs", "mine", "50 kW")
    catalog.load("mine", "charger")
    assert cache.get(path) is not None  # warm for this code
    # poison the cached value: if it were read, the answer would be 999 kW
    (entry,) = (tmp_path / "cache").iterdir()
    doc = __import__("json").loads(entry.read_text())
    doc["parsed"]["values"]["max_power"] = 999e3
    entry.write_text(__import__("json").dumps(doc))
    assert cache.get(path)["values"]["max_power"] == 999e3
    # the same file, size and mtime, but other schema/loader code: the cache is stale
    monkeypatch.setattr(cache, "code_stamp", lambda: "another-schema")
    assert cache.get(path) is None
    catalog._load_cached.cache_clear()
    assert catalog.load("mine", "charger").in_unit("max_power") == pytest.approx(50)


def test_the_code_stamp_covers_the_schema_and_the_loader():
    from nevcalc.specs import cache

    covered = {(cache._PACKAGE / rel).resolve() for rel in cache._CODE}
    for module in ("schema", "load", "checks", "files"):
        assert (cache._PACKAGE / "specs" / f"{module}.py").resolve() in covered
    assert (cache._PACKAGE / "units.py").resolve() in covered
    assert all(p.is_file() for p in covered)


def test_a_warm_cache_start_does_not_import_pint(tmp_path):
    import subprocess
    import sys

    env = {**os.environ, "NEVCALC_CACHE": str(tmp_path / "cache")}
    code = (
        "import sys; from nevcalc.cli import main\n"
        "try:\n    main(['charge', 'byd-han-l', '--charger', 'byd-megawatt', '--json'])\n"
        "except SystemExit as e:\n    assert not e.code, e.code\n"
        "print('PINT' if 'pint' in sys.modules else 'NOPINT', file=sys.stderr)\n"
    )
    runs = [
        subprocess.run(
            [sys.executable, "-c", code],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            cwd=tmp_path,
        )
        for _ in range(2)
    ]
    assert all(r.returncode == 0 for r in runs), runs[-1].stderr
    assert runs[1].stderr.strip().endswith("NOPINT"), runs[1].stderr


def test_a_changed_ageing_model_never_reads_an_old_health_table(tmp_path, monkeypatch):
    from nevcalc.specs import cache
    from nevcalc.sweeps.evaluate import cached_health_table

    monkeypatch.setenv("NEVCALC_CACHE", str(tmp_path / "cache"))
    cached_health_table("lfp-gr-250ah", 0.3, 0.8, 3, 0.7)
    first = {p.name for p in (tmp_path / "cache").glob("health-*.npz")}
    assert len(first) == 1
    monkeypatch.setattr(cache, "source_stamp", lambda *files: "another-model")
    cached_health_table("lfp-gr-250ah", 0.3, 0.8, 3, 0.7)
    second = {p.name for p in (tmp_path / "cache").glob("health-*.npz")}
    assert len(second) == 2  # computed again under a new key, the old one not read


@pytest.mark.parametrize("kind", ["fifo", "deep", "list", "huge"])
def test_a_broken_cache_entry_is_ignored_without_hanging(tmp_path, monkeypatch, kind):
    from nevcalc.specs import cache

    monkeypatch.setenv("NEVCALC_CACHE", str(tmp_path / "cache"))
    path = _write_charger(tmp_path / "specs", "mine", "50 kW")
    catalog.load("mine", "charger")
    (entry,) = (tmp_path / "cache").iterdir()
    entry.unlink()
    if kind == "fifo":
        os.mkfifo(entry)
    elif kind == "deep":
        entry.write_text("[" * 100_000 + "]" * 100_000)
    elif kind == "list":
        entry.write_text("[1, 2]")
    else:
        with entry.open("wb") as fh:
            fh.truncate(64 << 20)
    start = time.monotonic()
    assert cache.get(path) is None
    assert time.monotonic() - start < 5
    catalog._load_cached.cache_clear()
    assert catalog.load("mine", "charger").in_unit("max_power") == pytest.approx(50)
