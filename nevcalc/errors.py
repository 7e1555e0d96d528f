"""Exceptions a user can cause, each with a message that names the fix."""

from __future__ import annotations

__all__ = ["InputError", "NevcalcError", "SpecError", "SpecNotFound"]


class NevcalcError(Exception):
    """Base class of the errors nevcalc reports to people (exit code 1)."""


class InputError(NevcalcError, ValueError):
    """A value given by a caller (Python argument or CLI option) is unusable."""


class SpecError(NevcalcError):
    """A spec file has one or more problems; ``problems`` holds one line each."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


class SpecNotFound(SpecError):
    """No spec of that name in any search path."""
