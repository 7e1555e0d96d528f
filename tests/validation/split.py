"""The fixed rule that splits published cases into calibration and test sets.

A case's set depends only on its make and model (so variants of one car never
straddle the two sets) and was fixed before any result was seen: relations and
error bands are fitted on ``calibration`` cases, and the validation tests hold
nevcalc to the ``test`` cases alone.
"""

from __future__ import annotations

import hashlib

__all__ = ["TEST_SHARE_FIFTHS", "split_of"]

#: Two cars in five go to the test set.
TEST_SHARE_FIFTHS = 2


def split_of(make: str, model: str) -> str:
    """``"test"`` or ``"calibration"`` for a car.

    Examples
    --------
    >>> split_of("Hyundai", "Ioniq 5") in ("test", "calibration")
    True
    """
    key = f"{make.strip().lower()} {model.strip().lower()}".encode()
    bucket = int(hashlib.sha256(key).hexdigest(), 16) % 5
    return "test" if bucket < TEST_SHARE_FIFTHS else "calibration"
