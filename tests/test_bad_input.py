"""The generated bad-input suite (tests/badinput): no traceback, no hang, the right exit
code, and an error that names the option, file or key and says what to do."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.badinput import cyclecsv, hangs, options, outputs, specfiles, sweepspecs
from tests.badinput.counts import all_cases, counts
from tests.badinput.harness import check_outcome, run_inprocess, run_subprocess

IN_PROCESS = options.CASES + specfiles.CASES + cyclecsv.CASES + sweepspecs.CASES + outputs.CASES
SUBPROCESS = [*hangs.CASES, hangs.DEV_FULL]


def _report(case, res, problems) -> str:
    return (
        f"nevcalc {' '.join(repr(a)[:80] for a in case.argv)}\n"
        + "\n".join(f"  - {p}" for p in problems)
        + f"\n  exit {res.code}; stderr: {res.err[:600]!r}"
    )


@pytest.mark.parametrize("case", IN_PROCESS, ids=[c.id for c in IN_PROCESS])
def test_bad_input(case, tmp_path):
    if case.setup is not None:
        case.setup(tmp_path)
    res = run_inprocess(case.argv, case.bound)
    problems = check_outcome(case, res)
    assert not problems, _report(case, res, problems)


@pytest.fixture(scope="module")
def subprocess_outcomes(tmp_path_factory):
    """Run every subprocess case at once (each in its own folder), bounded."""

    def one(case):
        folder = Path(tmp_path_factory.mktemp("sub"))
        if case.setup is not None:
            case.setup(folder)
        if case is hangs.DEV_FULL:
            with open("/dev/full", "wb") as full:
                return run_subprocess(case.argv, folder, case.bound, stdout=full)
        return run_subprocess(case.argv, folder, case.bound)

    with ThreadPoolExecutor(max_workers=4) as pool:
        return dict(zip([c.id for c in SUBPROCESS], pool.map(one, SUBPROCESS), strict=True))


@pytest.mark.parametrize("case", SUBPROCESS, ids=[c.id for c in SUBPROCESS])
def test_bad_input_subprocess(case, subprocess_outcomes):
    res = subprocess_outcomes[case.id]
    problems = check_outcome(case, res)
    assert not problems, _report(case, res, problems)


def test_suite_size_and_ids():
    """At least 600 distinct cases over every class; ids unique, so none hides another."""
    cases = all_cases()
    ids = [c.id for c in cases]
    assert len(ids) == len(set(ids))
    assert len({(c.argv, c.setup is None) for c in cases}) > 0.9 * len(cases)
    n = counts()
    assert sum(n.values()) >= 600
    for cls in ("options", "spec-files", "cycle-csv", "sweep-specs", "output-paths", "hangs"):
        assert n[cls] >= 10, cls


def test_checks_catch_what_they_claim():
    """The checks fail on the defects they look for (so a green suite means something)."""
    from tests.badinput.harness import Case, Outcome

    case = Case("options", "x", ("charge", "--battery", "x"), ("--battery",))
    good = Outcome(2, "", "nevcalc: error: option --battery: expected a quantity in kWh\n")
    assert check_outcome(case, good) == []
    bad = [
        Outcome(None, "", "", timed_out=True),
        Outcome(None, "", "", exception=ZeroDivisionError("float division by zero")),
        Outcome(1, "", "nevcalc: error: option --battery: expected kWh\n"),
        Outcome(0, "{}", ""),
        Outcome(2, "", "Traceback (most recent call last):\nnevcalc: error: --battery expected\n"),
        Outcome(2, "", "nevcalc: error: expected a quantity in kWh\n"),
        Outcome(2, "", "nevcalc: error: option --battery: no\n"),
        Outcome(2, "", "nevcalc: error: option --battery: expected " + "9" * 2000 + "\n"),
        Outcome(2, "", ""),
        Outcome(1, "", "nevcalc: error: internal error KeyError: 0 (a bug in nevcalc)\n"),
        Outcome(2, "", "nevcalc: error: --battery expected\n", warnings=["RuntimeWarning: x"]),
    ]
    for res in bad:
        assert check_outcome(case, res), res
    valid = Case("options", "y", ("charge", "k", "--json"), ok=True)
    assert not check_outcome(valid, Outcome(0, '{"range_added": {"value": 5, "unit": "km"}}', ""))
    for doc in (
        '{"range_added": {"value": -64, "unit": "km"}}',
        '{"duration": NaN}',
        '{"total": Infinity}',
        '{"capacity": [{"year": 40, "value": -5.7, "unit": "%"}]}',
        '{"capacity_year_8": {"value": 120.0, "unit": "%"}}',
        '{"soc_after": {"value": 101.0, "unit": "%"}}',
    ):
        assert check_outcome(valid, Outcome(0, doc, "")), doc


def test_replace_below_has_one_bound_for_cost_and_sweeps(tmp_path):
    """The replacement threshold is read by one rule in `nevcalc cost` and in a sweep's base:
    0 % (never) to 99 % accepted by both, anything else refused by both."""
    from tests.badinput.sweepspecs import BASE

    folder = tmp_path / "specs" / "sweeps"
    folder.mkdir(parents=True)
    for value, valid in (("0 %", True), ("10 %", True), ("99 %", True), ("100 %", False),
                         ("-1 %", False), ("150 %", False)):  # fmt: skip
        cost = run_inprocess(("cost", "byd-han-l", "--replace-below", value, "--json"))
        path = folder / "rb.toml"
        path.write_text(BASE.replace("years = 10", f'years = 10\nreplace_below = "{value}"'))
        sweep = run_inprocess(("specs", "validate", str(path)))
        assert (cost.code == 0) is valid, (value, cost.err)
        assert (sweep.code == 0) is valid, (value, sweep.err)
