"""Reason codes: why a case has no answer, shared by single answers and sweep rows.

A sweep row carries the code in its int8 ``reason`` column (the texts go into
the Parquet metadata); a single charge answer carries the same code as
``reason_code`` next to its longer ``reason``, which gives the figures behind it.
"""

from __future__ import annotations

import numpy as np

from nevcalc.model.charging import LIMIT_NAMES

__all__ = [
    "CANNOT_START", "MISSING_PACK", "OK", "REASONS", "STOPS", "TRIP_INFEASIBLE", "charge_reason",
]  # fmt: skip

#: The case has an answer.
OK = 0
#: First code of "charging stops before the target" (plus the limit's index).
STOPS = 1
#: First code of "charging cannot start" (plus the limit's index).
CANNOT_START = 21
#: The vehicle cannot take the chemistry's cells (missing pack figures).
MISSING_PACK = 50
#: The trip cannot be driven: a gap between stations the car cannot cover with its reserve.
TRIP_INFEASIBLE = 60

#: code -> text.
REASONS: dict[int, str] = {OK: "ok"}
REASONS.update({STOPS + i: f"charging stops before the target: {n}"
                for i, n in enumerate(LIMIT_NAMES)})  # fmt: skip
REASONS.update({CANNOT_START + i: f"charging cannot start: {n}"
                for i, n in enumerate(LIMIT_NAMES)})  # fmt: skip
REASONS[MISSING_PACK] = "the vehicle cannot take these cells (missing pack figures)"
REASONS[TRIP_INFEASIBLE] = (
    "the trip cannot be driven: a gap between stations longer than the car covers above its "
    "reserve (nevcalc trip says where)"
)


def charge_reason(limit, started):
    """Reason code of a charge that ends short of its target.

    Parameters
    ----------
    limit : int or array of int
        Index into :data:`nevcalc.model.charging.LIMIT_NAMES` of the limit that stops it.
    started : bool or array of bool
        Whether any charge went in before it stopped.

    Returns
    -------
    int or array of int
    """
    code = np.where(started, STOPS, CANNOT_START) + np.asarray(limit)
    return int(code) if np.ndim(code) == 0 else code.astype(np.int8)
