"""Bad output paths: ``sweep -o`` and ``--plot`` of charge, health and trend."""

from __future__ import annotations

import os
from pathlib import Path

from tests.badinput.harness import Case
from tests.badinput.sweepspecs import BASE

__all__ = ["CASES"]


def _mkdir(name):
    return lambda d: (d / name).mkdir(parents=True)


def _readonly(d: Path) -> None:
    (d / "ro").mkdir()
    (d / "ro").chmod(0o500)


def _link_to_dir(name):
    def setup(d: Path) -> None:
        (d / "real").mkdir()
        os.symlink("real", d / name)

    return setup


def _file(name):
    return lambda d: (d / name).write_text("not a folder\n")


LONG = "a" * 300
#: Paths a writer may take as given: a link replaced by the new file, "out.csv/" read as out.csv.
REPLACED = {"link-to-dir", "trailing-slash"}

#: (id, path, setup, words one of which the error names)
SWEEP_OUT = [
    ("directory", "outdir", _mkdir("outdir"), ("outdir", "-o", "--output")),
    ("dir-named-parquet", "out.parquet", _mkdir("out.parquet"), ("out.parquet",)),
    ("dir-named-csv", "out.csv", _mkdir("out.csv"), ("out.csv",)),
    ("link-to-dir", "link.parquet", _link_to_dir("link.parquet"), ("link.parquet",)),
    ("dev-full", "/dev/full", None, ("/dev/full", "-o", "--output")),
    ("dev-null", "/dev/null", None, ("/dev/null", "-o", "--output")),
    ("missing-folder", "nowhere/x.parquet", None, ("nowhere",)),
    ("under-a-file", "afile/x.csv", _file("afile"), ("afile",)),
    ("bad-ext-txt", "out.txt", None, ("out.txt", ".parquet")),
    ("no-ext", "out", None, ("out", ".parquet")),
    ("ext-xlsx", "out.xlsx", None, ("out.xlsx", ".parquet")),
    ("name-too-long", LONG + ".csv", None, (LONG[:20], "long")),
    ("trailing-slash", "out.csv/", None, ("out.csv",)),
    ("empty", "", None, ("-o", "--output", "output")),
    ("nul", "out\x00.csv", None, ("-o", "--output", "out")),
    ("proc", "/proc/version.csv", None, ("/proc",)),
]
PLOT_OUT = [
    ("directory", "dir.png", _mkdir("dir.png"), ("dir.png",)),
    ("link-to-dir", "link.png", _link_to_dir("link.png"), ("link.png",)),
    ("bad-ext", "x.gif", None, ("x.gif", "--plot")),
    ("no-ext", "figure", None, ("figure", "--plot")),
    ("dev-full", "/dev/full", None, ("/dev/full", "--plot")),
    ("missing-folder", "nowhere/x.png", None, ("nowhere",)),
    ("under-a-file", "afile/x.svg", _file("afile"), ("afile",)),
    ("name-too-long", LONG + ".png", None, (LONG[:20], "long")),
    ("empty", "", None, ("--plot", "plot")),
    ("proc", "/proc/x.png", None, ("/proc",)),
]


def _cases() -> list[Case]:
    cases = []
    ro = ("read-only-folder", "ro/out.csv", _readonly, ("ro",))
    rows = SWEEP_OUT + ([ro] if os.geteuid() != 0 else [])
    for rid, path, setup, words in rows:

        def both(d: Path, s=setup) -> None:
            (d / "tiny.toml").write_text(BASE)
            if s:
                s(d)

        cases.append(Case("output-paths", f"sweep-o={rid}",
                          ("sweep", "tiny.toml", "-o", path, "--json"), words,
                          frozenset({1, 2}), rid in REPLACED, setup=both))  # fmt: skip
    ro = ("read-only-folder", "ro/x.png", _readonly, ("ro",))
    rows = PLOT_OUT + ([ro] if os.geteuid() != 0 else [])
    commands = [("charge", "kia-ev6-77"), ("charge", "byd-han-l", "--charger", "tesla-v2"),
                ("health", "lfp"), ("trend",)]  # fmt: skip
    for cmd in commands:
        for rid, path, setup, words in rows:
            cid = f"{'-'.join(cmd[:1] + cmd[2:3])}--plot={rid}"
            cases.append(Case("output-paths", cid, (*cmd, "--plot", path), words,
                              frozenset({1, 2}), rid in REPLACED, setup=setup))  # fmt: skip
    return cases


CASES = _cases()
