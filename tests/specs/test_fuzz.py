"""A generated bad-input suite for spec files and drive-cycle CSVs.

Shipped specs and cycles are mutated in ways people and tools break files
(wrong or absurd values, wrong types, missing or repeated keys, truncation,
stray bytes, deep nesting, reversed tables, odd case). Every case must end
either in a valid spec / cycle or in a :class:`SpecError` whose lines each
name the file - never another exception, never a hang.
"""

from __future__ import annotations

import math
import random
import re
import time

import pytest

from nevcalc import catalog
from nevcalc.cycles import read_cycle_csv
from nevcalc.errors import SpecError
from nevcalc.io import BUNDLED_SPECS
from nevcalc.specs.model import Table

SPECS = sorted(
    p
    for d in ("chemistries", "vehicles", "chargers", "usage")
    for p in (BUNDLED_SPECS / d).glob("*.toml")
)
CYCLES = sorted((BUNDLED_SPECS / "cycles").glob("*.csv"))

BAD_VALUES = [
    '""',
    '"nan kW"',
    '"-1"',
    '"1e400"',
    '"abc"',
    '"10**10**10 kWh"',
    '"1 kg"',
    '"1e-400 kW"',
    '"' + "9" * 3000 + '"',
    '"∞ V"',
    '"1,5 kW"',
    '"5 %%"',
    "true",
    "[]",
    "{}",
    "1" + "0" * 30,
    '"4C"',
    '"0"',
    '"-0"',
    "-1e308",
    '"2**2**2**2**2 kWh"',
    '"1 kWh/0km"',
    '"(((((1)))))"',
    '"35 °C"',
    '"1 V/0"',
    "nan",
    "inf",
    '"kWh"',
    '" "',
    '"1e999999999 W"',
]


def _mutate(text: str, rng: random.Random) -> str:
    op = rng.randrange(12)
    values = [m.span(1) for m in re.finditer(r'value = ("[^"]*"|[-0-9.e]+)', text)]
    lines = text.splitlines(keepends=True)
    if op <= 2 and values:  # a bad figure
        a, b = rng.choice(values)
        return text[:a] + rng.choice(BAD_VALUES) + text[b:]
    if op == 3:  # a key dropped
        keep = [ln for ln in lines if not (ln[:1].isalpha() and rng.random() < 0.3)]
        return "".join(keep)
    if op == 4:  # truncated
        return text[: rng.randrange(len(text))]
    if op == 5:  # stray bytes
        chars = list(text)
        for _ in range(rng.randrange(1, 6)):
            chars[rng.randrange(len(chars))] = rng.choice(
                ["\x00", "\\", '"', "[", "{", "\u00e9", "="]
            )
        return "".join(chars)
    if op == 6:  # a table reversed or shortened
        m = rng.choice(list(re.finditer(r"value = \[([^\]]*)\]", text)) or [None])
        if m is None:
            return text + "\nzzz = 1\n"
        items = m.group(1).split(",")
        items = items[::-1] if rng.random() < 0.5 else items[:-1]
        return text[: m.start(1)] + ",".join(items) + text[m.end(1) :]
    if op == 7:  # a repeated or unknown key
        line = rng.choice([ln for ln in lines if ln[:1].isalpha()])
        return text.replace(line, line + (line if rng.random() < 0.5 else "x" + line), 1)
    if op == 8:  # deep nesting
        depth = rng.choice([9, 50, 3000])
        return "deep = " + "[" * depth + "]" * depth + "\n" + text
    if op == 9:  # enumerations and kinds in another case, or wrong
        return re.sub(
            r'kind = "(\w+)"', lambda m: f'kind = "{rng.choice([m.group(1).upper(), "x"])}"', text
        )
    if op == 10:  # a numeric table entry made absurd
        return re.sub(
            r"(soc = \[)([0-9.]+)",
            lambda m: m.group(1) + rng.choice(["-5", "150", "1e9", "nan"]),
            text,
            count=1,
        )
    return text.replace("=", "= =", 1)  # a syntax slip


SPEC_CASES = [(p, seed) for p in SPECS for seed in range(8)]


@pytest.mark.parametrize(
    ("path", "seed"), SPEC_CASES, ids=[f"{p.stem}-{s}" for p, s in SPEC_CASES]
)
def test_a_mutated_spec_is_valid_or_refused_naming_the_file(tmp_path, path, seed):
    rng = random.Random(f"{path.stem}-{seed}")
    target = tmp_path / path.name
    target.write_text(_mutate(path.read_text(), rng))
    start = time.monotonic()
    try:
        spec = catalog.load_path(target)
    except SpecError as exc:
        assert exc.problems
        for line in exc.problems:
            assert "\n" not in line and len(line) < 600, line
        assert exc.problems[0].startswith(str(target)), exc.problems[0]
    else:
        for key, value in spec.values.items():
            if isinstance(value, Table):
                assert all(math.isfinite(x) for x in value.value), key
            elif isinstance(value, float):
                assert math.isfinite(value), key
    assert time.monotonic() - start < 10


def _mutate_csv(text: str, rng: random.Random) -> str:
    lines = text.splitlines()
    head, rows = lines[0], lines[1:]
    op = rng.randrange(10)
    k = rng.randrange(len(rows))
    cell = rng.choice(["", "nan", "inf", "-1", "1e6", "abc", "1" * 200, "-0", "1e-320", "0x10"])
    if op <= 2:  # one bad cell
        parts = rows[k].split(",")
        parts[rng.randrange(len(parts))] = cell
        rows[k] = ",".join(parts)
    elif op == 3:  # rows swapped or repeated
        j = rng.randrange(len(rows))
        rows[k], rows[j] = rows[j], rows[k]
        rows.insert(k, rows[k])
    elif op == 4:  # a grade column added
        head += ",grade [%]"
        g = rng.choice(["-100", "60", "-10", "5", "0"])
        rows = [r + "," + g for r in rows]
    elif op == 5:  # another unit
        head = head.replace(
            "[m/s]", "[" + rng.choice(["km/h", "mph", "kg", "", "m/s**2", "10**10 m/s"]) + "]"
        )
        head = head.replace("[km/h]", "[" + rng.choice(["m/s", "kn", "V"]) + "]")
    elif op == 6:  # all speeds zero
        rows = [r.split(",")[0] + ",0" + "".join("," + c for c in r.split(",")[2:]) for r in rows]
    elif op == 7:  # truncated
        rows = rows[: rng.randrange(3)]
    elif op == 8:  # time in minutes: very fast
        head = head.replace("time [s]", "time [" + rng.choice(["min", "h", "ms"]) + "]")
    else:  # a short row
        rows[k] = rows[k].split(",")[0]
    return "\n".join([head, *rows]) + "\n"


CYCLE_CASES = [(p, seed) for p in CYCLES for seed in range(12)]


@pytest.mark.parametrize(
    ("path", "seed"), CYCLE_CASES, ids=[f"{p.stem}-{s}" for p, s in CYCLE_CASES]
)
def test_a_mutated_cycle_is_valid_or_refused_naming_file_and_line(tmp_path, path, seed):
    rng = random.Random(f"{path.stem}-{seed}")
    target = tmp_path / path.name
    target.write_text(_mutate_csv(path.read_text(), rng))
    try:
        c = read_cycle_csv(target)
    except SpecError as exc:
        (line,) = exc.problems
        assert line.startswith(f"{target}: ") and "\n" not in line and len(line) < 400, line
    else:
        assert c.distance >= 10 and c.duration >= 2
        assert float(c.speed.max()) <= 400 / 3.6 and float(abs(c.grade).max()) <= 0.45


def _commands(kind: str, path: str) -> list[list[str]]:
    if kind == "vehicle":
        return [["charge", path, "--json"], ["range", path, "--json"]]
    if kind == "chemistry":
        return [
            [
                "charge",
                "--battery",
                "77kWh",
                "--chemistry",
                path,
                "--peak-power",
                "200kW",
                "--voltage",
                "800V",
                "--json",
            ],
            ["health", path, "--json"],
        ]
    if kind == "charger":
        return [["charge", "kia-ev6-77", "--charger", path, "--json"]]
    return []


CLI_CASES = [(p, seed) for p in SPECS for seed in (100, 101)]


@pytest.mark.parametrize(("path", "seed"), CLI_CASES, ids=[f"{p.stem}-{s}" for p, s in CLI_CASES])
def test_commands_on_a_mutated_spec_answer_or_refuse_cleanly(tmp_path, run_cli, path, seed):
    rng = random.Random(f"{path.stem}-{seed}")
    target = tmp_path / path.name
    target.write_text(_mutate(path.read_text(), rng))
    try:
        kind = catalog.load_path(target).kind
    except SpecError:
        kind = path.parent.name.rstrip("s").replace("chemistrie", "chemistry")
    for args in _commands(kind, str(target)):
        code, out, err = run_cli(*args)
        assert code in (0, 1, 2), (args, err)
        assert "Traceback" not in out + err and "internal error" not in err, (args, err)
        assert "Warning" not in err, (args, err)
        if code:
            assert err.startswith("nevcalc: error:"), err
