"""Bad drive-cycle CSV files given to ``nevcalc range --cycle FILE``."""

from __future__ import annotations

import os
from pathlib import Path

from tests.badinput.harness import Case

__all__ = ["CASES"]

HEAD = "time [s],speed [km/h]\n"
GOOD = "".join(f"{t},{min(t, 60 - t) * 3.0:.1f}\n" for t in range(61))
GRADE_HEAD = "time [s],speed [km/h],grade [%]\n"
GRADED = "".join(f"{t},50,{{g}}\n" for t in range(61))

#: (id, file content, words the error must contain one of, exit 0 allowed)
ROWS = [
    ("empty", "", ("header", "empty"), False),
    ("header-only", HEAD, ("row", "data"), False),
    ("one-row", HEAD + "0,0\n", ("row", "two"), False),
    ("no-units", "time,speed\n" + GOOD, ("unit", "time"), False),
    ("unknown-unit", "time [s],speed [furlong/fortnightz]\n" + GOOD, ("speed", "furlong"), False),
    ("speed-in-kg", "time [s],speed [kg]\n" + GOOD, ("speed", "kg"), False),
    ("time-in-m", "time [m],speed [km/h]\n" + GOOD, ("time",), False),
    ("grade-in-km", "time [s],speed [km/h],grade [km]\n" + GRADED.format(g=0), ("grade",), False),
    ("unknown-column", "time [s],speed [km/h],torque [N*m]\n" + GOOD, ("torque",), False),
    ("missing-speed", "time [s]\n" + "".join(f"{t}\n" for t in range(10)), ("speed",), False),
    ("missing-time", "speed [km/h]\n" + "".join(f"{t}\n" for t in range(10)), ("time",), False),
    (
        "duplicate-column",
        "time [s],speed [km/h],speed [mph]\n" + "".join(f"{t},1,1\n" for t in range(10)),
        ("speed", "twice", "duplicate"),
        False,
    ),
    (
        "empty-header-cell",
        "time [s],,speed [km/h]\n" + "".join(f"{t},,1\n" for t in range(10)),
        ("header", "column"),
        False,
    ),
    ("semicolons", "time [s];speed [km/h]\n" + GOOD.replace(",", ";"), ("header", "unit"), False),
    ("nan-speed", HEAD + GOOD + "61,nan\n", ("speed", "line"), False),
    ("inf-speed", HEAD + GOOD + "61,inf\n", ("speed", "line"), False),
    ("nan-time", HEAD + "0,0\nnan,5\n2,5\n", ("time", "line"), False),
    ("text-cell", HEAD + "0,0\n1,fast\n2,5\n", ("speed", "line"), False),
    ("ragged", HEAD + "0,0\n1\n2,5\n", ("speed", "line"), False),
    ("negative-speed", HEAD + "0,0\n1,-20\n2,5\n", ("speed", "negative"), False),
    ("speed-1e6", HEAD + "".join(f"{t},1000000\n" for t in range(10)), ("speed",), False),
    ("speed-1e300", HEAD + "0,0\n1,1e300\n2,0\n", ("speed",), False),
    ("speed-mach", "time [s],speed [m/s]\n0,0\n1,400\n2,0\n", ("speed",), False),
    ("time-decreasing", HEAD + "0,0\n2,5\n1,5\n", ("time", "line"), False),
    ("time-repeated", HEAD + "0,0\n1,5\n1,5\n2,0\n", ("time", "line"), False),
    ("time-negative-start", HEAD + "-5,0\n-4,10\n-3,0\n", ("time",), True),
    ("time-huge", HEAD + "0,0\n1e300,50\n2e300,0\n", ("time",), True),
    (
        "time-tiny-steps",
        HEAD + "".join(f"{t * 1e-9:.12f},50\n" for t in range(100)),
        ("time",),
        True,
    ),
    (
        "all-zeros",
        HEAD + "".join(f"{t},0\n" for t in range(100)),
        ("speed", "zero", "moves"),
        False,
    ),
    ("zero-but-one", HEAD + "0,0\n1,0.001\n2,0\n", ("speed", "distance", "short"), True),
    ("grade-1000pct", GRADE_HEAD + GRADED.format(g=1000), ("grade",), True),
    ("grade-minus-100pct", GRADE_HEAD + GRADED.format(g=-100), ("grade",), False),
    ("grade-nan", GRADE_HEAD + GRADED.format(g="nan"), ("grade",), False),
    ("grade-plain-5", "time [s],speed [km/h],grade [1]\n" + GRADED.format(g=5), ("grade",), False),
    ("utf16", None, ("UTF-8", "utf-8", "text"), False),
    ("binary", None, ("UTF-8", "utf-8", "text", "header", "binary"), False),
    ("nul-bytes", HEAD + "0,0\x00\n1,5\n", ("line", "NUL", "nul", "speed"), False),
    ("huge-number-cell", HEAD + "0,0\n1," + "9" * 5000 + "\n2,0\n", ("speed", "line"), False),
    ("quoted-cells", '"time [s]","speed [km/h]"\n' + '"0","0"\n"1","5"\n"2","0"\n', (), True),
    ("bom", "\ufeff" + HEAD + GOOD, (), True),
    ("crlf", (HEAD + GOOD).replace("\n", "\r\n"), (), True),
    ("too-many-rows", None, ("rows", "lines", "large", "long", "size"), False),
    ("long-header", "time [s]," + "x" * 100_000 + " [km/h]\n" + GOOD, ("header", "column"), False),
]


def _setup(name: str, content):
    def setup(folder: Path) -> None:
        p = folder / name
        if content == "utf16":
            p.write_bytes((HEAD + GOOD).encode("utf-16"))
        elif content == "binary":
            p.write_bytes(bytes(range(256)) * 50)
        elif content == "too-many-rows":
            p.write_text(HEAD + "".join(f"{t},50\n" for t in range(2_000_000)))
        else:
            p.write_text(content, encoding="utf-8", newline="")

    return setup


def _cases() -> list[Case]:
    cases = []
    for rid, content, words, ok in ROWS:
        name = f"cycle-{rid}.csv"
        fill = rid if content is None else content
        # the file is named, and the problem (column, line) is in the message
        cases.append(Case("cycle-csv", f"cycle={rid}",
                          ("range", "kia-ev6-77", "--cycle", f"./{name}", "--json"),
                          words, frozenset({1, 2}), ok, setup=_setup(name, fill),
                          must=(name,)))  # fmt: skip
        if words:
            # and the same file found by name in ./specs/cycles
            def named(folder: Path, n=name, c=fill) -> None:
                (folder / "specs" / "cycles").mkdir(parents=True)
                _setup(n, c)(folder / "specs" / "cycles")

            cases.append(Case("cycle-csv", f"cycle-named={rid}",
                              ("range", "kia-ev6-77", "--cycle", name[:-4], "--json"),
                              words, frozenset({1, 2}), ok, setup=named,
                              must=(name,)))  # fmt: skip

    def folder(d: Path) -> None:
        (d / "dir.csv").mkdir()

    def dangling(d: Path) -> None:
        os.symlink("nowhere.csv", d / "dangling.csv")

    for rid, path, setup in (("directory", "./dir.csv", folder),
                             ("dangling-link", "./dangling.csv", dangling),
                             ("missing", "./missing.csv", None),
                             ("dev-null", "/dev/null", None)):  # fmt: skip
        cases.append(Case("cycle-csv", f"cycle-file={rid}",
                          ("range", "kia-ev6-77", "--cycle", path, "--json"),
                          (Path(path).name,), frozenset({1, 2}), setup=setup))  # fmt: skip
    return cases


CASES = _cases()
