"""Checking spec files: which files a path names and which reader checks each.

``nevcalc specs validate`` is a thin call of :func:`validate`. A folder stands for
the ``.toml`` files under it, except those in ``data/`` and ``cycles/`` folders
(tables that are not specs: exchange rates, the cycle index). A file in a
``scenarios/`` folder is checked as a scenario (every reference resolved, every
claim parsed), one in ``sweeps/`` as a sweep plan (every axis, base value and
output checked, nothing run); elsewhere a file declaring ``kind = "sweep"`` or
``kind = "scenario"`` is checked the same way, any other as a spec.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from nevcalc import catalog
from nevcalc.errors import SpecError
from nevcalc.io import read_toml
from nevcalc.scenario.scenarios import run_scenario
from nevcalc.sweeps.plan import load_plan

__all__ = [
    "MAX_FILES",
    "MAX_FOLDERS",
    "NOT_SPECS",
    "Validation",
    "spec_files",
    "validate",
    "validate_file",
]

#: Folders whose ``.toml`` files are data tables, not specs; skipped in a folder given.
NOT_SPECS = ("data", "cycles")


@dataclass(frozen=True)
class Validation:
    """What :func:`validate` checked and found."""

    files: tuple[Path, ...]  #: the files checked
    problems: tuple[str, ...]  #: one line per problem, naming the file

    @property
    def ok(self) -> bool:
        """No problem found."""
        return not self.problems


#: Most ``.toml`` files and folders one folder given to :func:`spec_files` may hold: the
#: walk stops there instead of reading a whole disk (``nevcalc specs validate /``).
MAX_FILES = 5000
MAX_FOLDERS = 20000


def _toml_under(folder: Path) -> tuple[list[Path], str | None]:
    """The ``.toml`` files under ``folder``, sorted; a problem line when the walk is cut
    short. Folders that vanish or cannot be read on the way (``/proc``) are skipped."""
    found: list[Path] = []
    seen = 0
    for root, dirs, names in os.walk(folder, onerror=lambda exc: None):
        dirs.sort()
        seen += 1
        found += [Path(root) / n for n in names if n.endswith(".toml")]
        if len(found) > MAX_FILES or seen > MAX_FOLDERS:
            what = (
                f"{MAX_FILES:,} .toml files"
                if len(found) > MAX_FILES
                else (f"{MAX_FOLDERS:,} folders")
            )
            return [], (
                f"{folder}: more than {what} under this folder; give the spec "
                "folder itself (e.g. specs/) or the files"
            )
    return sorted(found), None


def spec_files(paths) -> tuple[list[Path], list[str]]:
    """The files ``paths`` name (a folder: its ``.toml`` files, sorted, without data
    tables), and a problem line per folder that holds none or too many."""
    files: list[Path] = []
    problems: list[str] = []
    for p in map(Path, paths):
        if p.is_dir():
            found, too_many = _toml_under(p)
            if too_many:
                problems.append(too_many)
            elif not found:
                problems.append(f"{p}: no .toml files in this folder")
            files += [f for f in found if f.parent.name not in NOT_SPECS]
        else:
            files.append(p)
    return files, problems


def _declared_kind(path: Path) -> str | None:
    """The ``kind`` a TOML file declares (lower case), None when it cannot be read."""
    try:
        kind = read_toml(path).get("kind")
    except SpecError:
        return None  # the spec reader reports why
    return kind.strip().lower() if isinstance(kind, str) else None


def validate_file(path: Path) -> None:
    """Check one file by the reader of its folder or of the kind it declares (a sweep or
    scenario file kept anywhere); :class:`SpecError` lists its problems."""
    kind = None if path.parent.name in ("scenarios", "sweeps") else _declared_kind(path)
    if path.parent.name == "scenarios" or kind == "scenario":
        run_scenario(str(path))  # resolves every reference and parses every claim
    elif path.parent.name == "sweeps" or kind == "sweep":
        load_plan(str(path))  # every axis, base value and output checked, nothing run
    else:
        catalog.load_path(path)


def validate(paths) -> Validation:
    """Check spec, scenario and sweep files, or folders of them.

    Parameters
    ----------
    paths : iterable of str or Path
        Files or folders.

    Returns
    -------
    Validation
        The files checked and one line per problem (a folder without ``.toml``
        files is a problem too).
    """
    files, problems = spec_files(paths)
    for f in files:
        try:
            validate_file(f)
        except SpecError as exc:
            problems += exc.problems
    return Validation(tuple(files), tuple(problems))
