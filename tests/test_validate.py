"""Which files a path names for validation, and which reader checks each."""

from __future__ import annotations

import shutil
from pathlib import Path

from nevcalc.io import BUNDLED_SPECS
from nevcalc.validate import NOT_SPECS, spec_files, validate


def test_the_bundled_library_is_valid_and_its_data_tables_are_not_read_as_specs():
    res = validate([BUNDLED_SPECS])
    assert res.ok, res.problems
    assert res.files
    assert all(f.parent.name not in NOT_SPECS for f in res.files)
    assert all(f.suffix == ".toml" for f in res.files)
    # the shipped data tables exist, so skipping them is a real choice
    assert any(f.parent.name == "data" for f in BUNDLED_SPECS.rglob("*.toml"))


def test_a_folder_without_toml_files_is_a_problem(tmp_path):
    (tmp_path / "empty").mkdir()
    res = validate([tmp_path / "empty"])
    assert not res.ok
    assert res.problems == (f"{tmp_path / 'empty'}: no .toml files in this folder",)
    assert res.files == ()


def test_files_are_routed_by_their_folder(tmp_path):
    """A broken file in scenarios/ is read as a scenario, in sweeps/ as a sweep plan,
    elsewhere as a spec: each reader names what it expected."""
    text = 'title = "broken"\n'
    for folder in ("scenarios", "sweeps", "chargers"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "broken.toml").write_text(text)
    res = validate([tmp_path])
    assert len(res.files) == 3
    by_folder = {
        folder: [p for p in res.problems if f"/{folder}/broken.toml" in p]
        for folder in ("scenarios", "sweeps", "chargers")
    }
    assert all(by_folder.values()), res.problems
    # three readers: three different complaints about the same text
    assert len({tuple(v) for v in by_folder.values()}) == 3


def test_a_file_given_by_path_is_checked_even_in_a_data_folder(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(BUNDLED_SPECS / "chargers" / "ionity-350.toml", data / "charger.toml")
    files, problems = spec_files([data])
    assert files == [] and problems == []
    res = validate([data / "charger.toml"])
    assert res.ok and len(res.files) == 1


def test_a_huge_folder_is_refused_after_a_bounded_walk(tmp_path, monkeypatch):
    """`nevcalc specs validate /` must not read the whole disk: the walk stops at a bound
    and says to give the spec folder; a folder that vanishes on the way is skipped."""
    import nevcalc.validate as v

    for i in range(6):
        (tmp_path / f"d{i}").mkdir()
        (tmp_path / f"d{i}" / "x.toml").write_text('kind = "charger"\n')
    monkeypatch.setattr(v, "MAX_FILES", 4)
    files, problems = spec_files([tmp_path])
    assert files == [] and len(problems) == 1
    assert "more than 4 .toml files" in problems[0] and "spec folder" in problems[0]
    monkeypatch.setattr(v, "MAX_FILES", 100)
    monkeypatch.setattr(v, "MAX_FOLDERS", 3)
    files, problems = spec_files([tmp_path])
    assert files == [] and "more than 3 folders" in problems[0]


def test_root_folder_gives_one_problem_line_quickly():
    import subprocess
    import sys
    import time

    t0 = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "nevcalc.cli", "specs", "validate", "/"],
                          capture_output=True, text=True, timeout=120, check=False)  # fmt: skip
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr and "No such file" not in proc.stdout + proc.stderr
    assert "give the spec folder" in proc.stdout + proc.stderr
    assert time.monotonic() - t0 < 60


def test_sweep_and_scenario_files_kept_anywhere_are_checked_by_their_kind(tmp_path):
    """`nevcalc sweep my.toml` runs a sweep file from any folder, so `specs validate my.toml`
    checks it as a sweep (not refused as an unknown spec kind); a bad one still fails."""
    shipped = Path(BUNDLED_SPECS)
    sweep = tmp_path / "my-sweep.toml"
    sweep.write_text((shipped / "sweeps" / "charger-power.toml").read_text())
    scenario = tmp_path / "my-scenario.toml"
    scenario.write_text((shipped / "scenarios" / "china-2021-2025.toml").read_text())
    res = validate([sweep, scenario])
    assert res.ok, res.problems
    sweep.write_text(sweep.read_text().replace("num = 20", "num = 0"))
    res = validate([sweep])
    assert len(res.problems) == 1 and "num: 0" in res.problems[0], res.problems
