"""Counts of the bad-input suite by class: ``python -m tests.badinput.counts``."""

from __future__ import annotations

from collections import Counter

__all__ = ["all_cases", "counts"]


def all_cases():
    """Every case of the suite, in-process and subprocess."""
    from tests.badinput import cyclecsv, hangs, options, outputs, specfiles, sweepspecs

    return (
        options.CASES
        + specfiles.CASES
        + cyclecsv.CASES
        + sweepspecs.CASES
        + outputs.CASES
        + hangs.CASES
        + [hangs.DEV_FULL]
    )


def counts() -> Counter:
    """Number of distinct cases per class."""
    return Counter(c.cls for c in all_cases())


if __name__ == "__main__":
    c = counts()
    for cls, n in sorted(c.items()):
        print(f"{cls:14s} {n:5d}")
    print(f"{'total':14s} {sum(c.values()):5d}")
