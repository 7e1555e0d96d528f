"""Shared fixtures: the shipped library and a helper to run the CLI in-process."""

from __future__ import annotations

import csv
import functools
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "tests" / "reference"


@functools.cache
def shipped_library():
    """Every shipped vehicle and every shipped charger, loaded once per test run."""
    from nevcalc import catalog
    from nevcalc.scenario import load_charger, load_vehicle

    vehicles = [load_vehicle(n) for _, n, _ in catalog.list_specs("vehicle")]
    chargers = [load_charger(n) for _, n, _ in catalog.list_specs("charger")]
    return vehicles, chargers


def read_reference_csv(name: str) -> list[dict[str, str]]:
    """Rows of a CSV in tests/reference (lines starting with '#' are comments)."""
    with (REFERENCE / name).open() as fh:
        return list(csv.DictReader(line for line in fh if not line.startswith("#")))


@pytest.fixture(autouse=True)
def _isolated_cwd(tmp_path, monkeypatch):
    """Run every test in an empty folder so ./specs of the checkout is not searched first."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NEVCALC_SPECS", raising=False)


@pytest.fixture
def run_cli(capsys):
    """Run ``nevcalc ARGS`` in-process; return (exit code, stdout, stderr)."""
    from nevcalc.cli import main

    def run(*args: str):
        code = 0
        try:
            main(list(args))
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        out = capsys.readouterr()
        return code, out.out, out.err

    return run
