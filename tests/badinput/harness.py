"""Run one bad-input case through ``nevcalc`` and check what a user would see.

A case is a command line plus the files it needs. It runs in-process (the
``main`` entry point under :class:`click.testing.CliRunner` isolation) with a
wall-clock bound raised inside the case, or in a subprocess with ``timeout=``
for the inputs whose work cannot be interrupted from Python (a C-level regex,
an integer power, a blocking ``open``). The checks are the ones a user relies on:

* no traceback and no Python exception escapes ``main``;
* the run ends within its bound;
* exit code 2 for a usage error, 1 for a failure, 0 only where the input is
  valid, and then every number in the ``--json`` document is finite and physical;
* each error line starts with ``nevcalc: error:``, is one short line, names the
  option, file or key, and says what is expected or what to do;
* no NumPy ``RuntimeWarning`` reaches the user.
"""

from __future__ import annotations

import json
import math
import os
import re
import resource
import signal
import subprocess
import sys
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from click.testing import CliRunner

__all__ = [
    "BOUND_S",
    "Case",
    "Outcome",
    "check_outcome",
    "check_physical",
    "run_inprocess",
    "run_subprocess",
]

#: Wall-clock bound of one in-process case [s]; a hang fails the case.
BOUND_S = 8.0
#: Longest acceptable error line [characters]: one line a person reads, not an echo of input.
MAX_LINE = 700
#: What ``main`` prints for an exception it did not expect: a bug, not a refusal of input.
UNEXPECTED = re.compile(
    r"internal error|a bug in nevcalc|out of memory|an input is nested too deeply"
)
#: Words that tell the user what is expected or what to do.
FIX = re.compile(
    r"e\.g\.|expected|expects|write |give |use |add |did you mean|one of|known|between|"
    r"must|needs?\b|at most|at least|lists?|remove|instead|choose|allowed|only|up to|"
    r"no more than|not more than|make |rename|check|\bsee\b|`nevcalc|--help|"
    r"(?:below|above|outside|exceeds?|under|over) [-+]?\d|bounds?|limit|should|"
    r"fix|set |lower|raise|smaller|larger|greater|less than|whole number|plain|a number|"
    r"missing|spec name|>=|<=|goes with|not with|reaches|\d[\d,.]* to [\d,.]*\d|"
    r"\.toml|\.csv|\.png|\.svg|\.pdf|\.parquet|try|run |quote|in (?:the )?range",
    re.IGNORECASE,
)


class CaseTimeout(BaseException):
    """Raised by the timer inside a case that ran past its bound."""


@dataclass(frozen=True)
class Case:
    """One generated bad or edge input.

    Attributes
    ----------
    cls : str
        Class for the counts: ``options``, ``spec-files``, ``cycle-csv``,
        ``sweep-specs``, ``output-paths``.
    id : str
        Unique, readable id (the pytest id).
    argv : tuple of str
        Arguments after ``nevcalc``.
    names : tuple of str
        The error must contain one of these (the option, file or key); empty
        tuple: any error line is accepted as naming it.
    must : tuple of str
        The error must contain each of these (a file name).
    codes : frozenset of int
        Acceptable non-zero exit codes.
    ok : bool
        Exit 0 is acceptable (the input may be valid); the output is then
        checked to be physical.
    setup : callable, optional
        ``setup(folder)`` writes the files the case needs into ``folder``.
    bound : float
        Wall-clock bound [s].
    """

    cls: str
    id: str
    argv: tuple[str, ...]
    names: tuple[str, ...] = ()
    codes: frozenset = frozenset({2})
    ok: bool = False
    setup: Callable[[Path], None] | None = field(default=None, compare=False)
    bound: float = BOUND_S
    must: tuple[str, ...] = ()


@dataclass
class Outcome:
    """What one run gave."""

    code: int | None
    out: str
    err: str
    exception: BaseException | None = None
    timed_out: bool = False
    warnings: list[str] = field(default_factory=list)


def _on_alarm(signum, frame):
    raise CaseTimeout()


def run_inprocess(argv, bound: float = BOUND_S) -> Outcome:
    """Run ``nevcalc argv`` in this process, bounded by a wall-clock timer."""
    from nevcalc.cli import main

    runner = CliRunner()
    old = signal.signal(signal.SIGALRM, _on_alarm)
    code, exc, timed_out = None, None, False
    with runner.isolation() as streams, warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        signal.setitimer(signal.ITIMER_REAL, bound)
        try:
            main(list(argv))
            code = 0
        except SystemExit as e:
            code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
        except CaseTimeout:
            timed_out = True
        except BaseException as e:
            exc = e
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, old)
        out = streams[0].getvalue().decode("utf-8", "replace")
        err = streams[1].getvalue().decode("utf-8", "replace")
    shown = [
        f"{w.category.__name__}: {w.message}"
        for w in caught
        if issubclass(w.category, RuntimeWarning)
    ]
    return Outcome(code, out, err, exc, timed_out, shown)


def _limit_memory():  # pragma: no cover - runs in the child
    limit = 2 << 30  # 2 GiB of address space: a runaway read fails instead of eating the host
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def run_subprocess(argv, cwd: Path, bound: float, stdout=None) -> Outcome:
    """Run ``python -m nevcalc.cli argv`` in ``cwd`` with a timeout and a memory limit."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        [str(Path(__file__).resolve().parents[2]), env.get("PYTHONPATH", "")]
    )
    env.pop("NEVCALC_SPECS", None)
    env["COLUMNS"] = "120"
    cmd = [sys.executable, "-W", "default", "-m", "nevcalc.cli", *argv]
    try:
        proc = subprocess.run(
            cmd,
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE if stdout is None else stdout,
            stderr=subprocess.PIPE,
            timeout=bound,
            preexec_fn=_limit_memory,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        err = (exc.stderr or b"").decode("utf-8", "replace")
        return Outcome(None, "", err, timed_out=True)
    out = (proc.stdout or b"").decode("utf-8", "replace") if stdout is None else ""
    err = proc.stderr.decode("utf-8", "replace")
    shown = [line for line in err.splitlines() if "RuntimeWarning" in line]
    return Outcome(proc.returncode, out, err, warnings=shown)


def _reject_constant(name):
    raise ValueError(f"{name} in JSON output")


#: Keys whose values are physical amounts that are never negative.
NONNEGATIVE = {
    "duration", "energy_to_battery", "energy_stored", "energy_from_grid", "losses",
    "average_power", "peak_power", "range_added", "minutes_to_add", "minutes", "distance",
    "range", "consumption", "consumption_wall", "usable_energy", "pack_mass", "pack_volume",
    "test_mass", "official_range", "years_to_80", "time", "efc_per_day",
}  # fmt: skip
#: Keys whose values are a relative capacity, 0..1 (or 0..100 with unit "%").
CAPACITY = {"capacity", "capacity_end", "capacity_at_end", "capacity_year_8", "health"}
#: Keys whose values are states of charge, 0..100 %.
SOC = {"soc_from", "soc_to", "soc_after", "soc_window", "stops_at"}


def _number(v):
    """(value, unit) of a JSON quantity or bare number, else None."""
    if isinstance(v, bool):
        return None
    if isinstance(v, int | float):
        return float(v), None
    if isinstance(v, dict) and "value" in v and isinstance(v["value"], int | float):
        if isinstance(v["value"], bool):
            return None
        return float(v["value"]), v.get("unit")
    return None


def check_physical(doc, where: str = "") -> list[str]:
    """Problems with a JSON answer: negative amounts, capacities outside 0..1, bad SoCs."""
    problems = []

    def walk(node, key, path):
        if isinstance(node, list):
            for i, item in enumerate(node):
                walk(item, key, f"{path}[{i}]")
            return
        num = _number(node)
        if num is not None and key is not None:
            value, unit = num
            if not math.isfinite(value):
                problems.append(f"{path}: {value} is not finite")
            elif key in NONNEGATIVE and value < 0:
                problems.append(f"{path}: {value} is negative")
            elif key in CAPACITY:
                x = value / 100 if unit == "%" else value
                if not 0 <= x <= 1 + 1e-9:
                    problems.append(f"{path}: capacity {value} {unit or ''} outside 0..1")
            elif key in SOC:
                x = value if unit == "%" else value * 100
                if not -1e-9 <= x <= 100 + 1e-9:
                    problems.append(f"{path}: state of charge {value} {unit or ''}")
        if isinstance(node, dict):
            for k, v in node.items():
                if num is not None and k in ("value", "unit"):
                    continue  # this quantity was checked above, with its unit
                walk(v, k, f"{path}.{k}")

    walk(doc, None, where or "$")
    return problems


def _error_lines(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.strip()]


def check_outcome(case: Case, res: Outcome) -> list[str]:
    """Everything wrong with what ``case`` gave; empty when the user was served well."""
    problems = []
    text = res.out + res.err
    if res.timed_out:
        return [f"no answer within {case.bound:g} s (a hang)"]
    if res.exception is not None:
        return [f"{type(res.exception).__name__} escaped main: {str(res.exception)[:200]}"]
    if "Traceback" in text:
        problems.append("a traceback was printed")
    m = UNEXPECTED.search(res.err)
    if m:
        line = next(x for x in res.err.splitlines() if m.group(0) in x)
        problems.append(f"an unexpected exception, caught only at the top: {line[:300]}")
    if res.warnings:
        problems.append(f"a warning reached the user: {res.warnings[0][:200]}")
    if res.code == 0:
        if not case.ok:
            problems.append("exit 0 for an input that must be refused")
        elif "--json" in case.argv:
            try:
                doc = json.loads(res.out, parse_constant=_reject_constant)
            except ValueError as exc:
                problems.append(f"--json output is not strict JSON: {str(exc)[:200]}")
            else:
                problems += check_physical(doc)
        elif re.search(r"\b(nan|NaN|inf|Infinity)\b", res.out):
            problems.append("NaN or infinity printed")
        return problems
    if res.code not in case.codes:
        problems.append(f"exit {res.code}, expected {sorted(case.codes)}")
    lines = _error_lines(res.err)
    if not lines:
        return [*problems, "no error message on stderr"]
    first = lines[0]
    linter = tuple(case.argv[:2]) == ("specs", "validate")  # "FILE: key: problem" lines
    if not linter and not first.startswith("nevcalc: error:"):
        problems.append(f"error does not start with 'nevcalc: error:': {first[:200]!r}")
    for line in lines:
        if len(line) > MAX_LINE:
            problems.append(f"error line of {len(line)} characters: {line[:120]!r}...")
            break
    joined = "\n".join(lines)
    if case.names and not any(n.lower() in joined.lower() for n in case.names):
        problems.append(f"error names none of {list(case.names)}: {first[:300]!r}")
    for word in case.must:
        if word.lower() not in joined.lower():
            problems.append(f"error does not name {word!r}: {first[:300]!r}")
    if not FIX.search(joined):
        problems.append(f"error says nothing of what to do: {first[:300]!r}")
    return problems
