# ruff: noqa: E501 - tables of cases read best one case a line
"""Inputs whose work cannot be interrupted from Python (a C-level regex or integer
power, a blocking open, a runaway allocation): run in a subprocess with ``timeout=``
and a memory limit."""

from __future__ import annotations

import os
from pathlib import Path

from tests.badinput.harness import Case
from tests.badinput.specfiles import CHARGER, set_key
from tests.badinput.sweepspecs import BASE as SWEEP

__all__ = ["CASES"]

#: Bound of one subprocess case [s] (the interpreter starts in about a second).
BOUND = 25.0
TOWER = "10**10**10"
ADHOC = ("--chemistry", "nmc811", "--peak-power", "233kW", "--voltage", "800V")


def _fifo(name):
    return lambda d: os.mkfifo(d / name)


def _spec(rel, text):
    def setup(d: Path) -> None:
        p = d / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)

    return setup


TOWER_CHARGER = set_key(
    CHARGER, "max_power", f'{{ value = "{TOWER} kW", source = "s", kind = "assumed" }}'
)

ROWS = [
    ("digits-100000", ("charge", "kia-ev6-77", "--minutes", "9" * 100_000), ("--minutes", "minutes"),
     frozenset({2}), None, ()),
    ("digits-100000-unit", ("charge", "--battery", "1" * 100_000 + " kWh", *ADHOC),
     ("--battery", "battery"), frozenset({2}), None, ()),
    ("tower-option", ("charge", "--battery", f"{TOWER} kWh", *ADHOC), ("--battery", "battery"),
     frozenset({2}), None, ()),
    ("tower-2-option", ("health", "lfp", "--efc-per-day", "2**2**2**2**2**2"), ("--efc-per-day", "efc"),
     frozenset({2}), None, ()),
    ("tower-spec", ("specs", "validate", "tower.toml"), ("max_power",), frozenset({1}),
     _spec("tower.toml", TOWER_CHARGER), ("tower.toml",)),
    ("tower-spec-list", ("specs", "list", "charger"), (), frozenset({1}),
     _spec("specs/chargers/tower.toml", TOWER_CHARGER), ()),
    ("fifo-spec", ("charge", "kia-ev6-77", "--charger", "./pipe.toml"), ("pipe.toml",),
     frozenset({1, 2}), _fifo("pipe.toml"), ()),
    ("fifo-cycle", ("range", "kia-ev6-77", "--cycle", "./pipe.csv"), ("pipe.csv",),
     frozenset({1, 2}), _fifo("pipe.csv"), ()),
    ("fifo-sweep", ("sweep", "./pipe.toml"), ("pipe.toml",), frozenset({1, 2}), _fifo("pipe.toml"), ()),
    ("dev-zero-spec", ("charge", "/dev/zero"), ("/dev/zero",), frozenset({1, 2}), None, ()),
    ("dev-zero-cycle", ("range", "kia-ev6-77", "--cycle", "/dev/zero"), ("/dev/zero",),
     frozenset({1, 2}), None, ()),
    ("dask-unreachable", ("sweep", "tiny.toml", "--engine", "dask", "--scheduler", "tcp://127.0.0.1:1"),
     ("--scheduler",), frozenset({2}), _spec("tiny.toml", SWEEP), ()),
    ("dask-bad-address", ("sweep", "tiny.toml", "--engine", "dask", "--scheduler", "not an address"),
     ("--scheduler",), frozenset({2}), _spec("tiny.toml", SWEEP), ()),
    ("efc-1e-9", ("health", "lfp", "--efc-per-day", "1e-9", "--json"), ("--efc-per-day", "efc"),
     frozenset({2}), None, ()),
]  # fmt: skip

#: Cases whose input is valid: bounded work and a physical answer, or a refusal.
VALID = {"efc-1e-9"}
CASES = [
    Case("hangs", f"hang={rid}", argv, names, codes, rid in VALID, setup, BOUND, must)
    for rid, argv, names, codes, setup, must in ROWS
]
#: ``--json`` into a full disk: one message, exit 1, not 120.
DEV_FULL = Case(
    "output-paths",
    "stdout=/dev/full",
    ("charge", "kia-ev6-77", "--json"),
    ("/dev/full", "output", "stdout", "space", "write"),
    frozenset({1}),
    bound=BOUND,
)
