"""Safe reading of input files: kept as a name; the readers live in :mod:`nevcalc.io`.

Re-exports :func:`nevcalc.io.read_bytes`, :func:`~nevcalc.io.read_text`,
:func:`~nevcalc.io.read_toml`, :func:`~nevcalc.io.nesting_depth`,
:func:`~nevcalc.io.inside` and the size and nesting bounds.
"""

from __future__ import annotations

from nevcalc.io import (
    MAX_CSV_BYTES,
    MAX_NESTING,
    MAX_SPEC_BYTES,
    inside,
    nesting_depth,
    read_bytes,
    read_text,
    read_toml,
)

__all__ = [
    "MAX_CSV_BYTES",
    "MAX_NESTING",
    "MAX_SPEC_BYTES",
    "inside",
    "nesting_depth",
    "read_bytes",
    "read_text",
    "read_toml",
]
