"""Exceptions a user can cause, each with a message that names the fix.

One hierarchy, rooted at :class:`NevcalcError`; each class also derives from
the builtin exception a Python caller would expect, so ``except ValueError``
or ``except LookupError`` written against nevcalc keeps working::

    NevcalcError
    ├── InputError (ValueError)            a value given by a caller
    │   └── UnitInputError                 text that is not a usable quantity
    │       └── DimensionError             a quantity of the wrong dimension
    └── SpecError (ValueError)             a spec, cycle, scenario or sweep file
        ├── SpecNotFound (LookupError)     no spec or cycle of that name
        └── SpecFileError (OSError)        the file cannot be read as text
"""

from __future__ import annotations

__all__ = [
    "DimensionError",
    "InputError",
    "NevcalcError",
    "SpecError",
    "SpecFileError",
    "SpecNotFound",
    "UnitInputError",
]


class NevcalcError(Exception):
    """Base class of the errors nevcalc reports to people (exit code 1)."""


class InputError(NevcalcError, ValueError):
    """A value given by a caller (Python argument or CLI option) is unusable."""


class UnitInputError(InputError):
    """A value that cannot be read as a quantity (bad syntax, unknown unit, NaN)."""


class DimensionError(UnitInputError):
    """A quantity of the wrong dimension for where it is used."""


class SpecError(NevcalcError, ValueError):
    """A spec file has one or more problems; ``problems`` holds one line each."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))

    def __reduce__(self):  # picklable (sweeps send errors between processes)
        return (type(self), (self.problems,))


class SpecNotFound(SpecError, LookupError):
    """No spec of that name in any search path."""


class SpecFileError(SpecError, OSError):
    """A file cannot be read as text: missing, not a regular file, too large, not UTF-8."""

    def __str__(self) -> str:  # OSError would format its own way
        return "\n".join(self.problems)
