"""SoC tables on the shared uniform grid (nevcalc.model.tables): the grid, resampling,
lookups against numpy.interp, and the window mean by hand."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from nevcalc.model.tables import GRID_POINTS, lookup, resample, uniform_soc_grid, window_mean

GRID = uniform_soc_grid()


def test_the_grid_is_uniform_from_0_to_1():
    assert GRID.shape == (GRID_POINTS,)
    assert GRID[0] == 0.0 and GRID[-1] == 1.0
    np.testing.assert_allclose(np.diff(GRID), 1 / (GRID_POINTS - 1), rtol=1e-12)


def test_resample_by_hand_and_constant_beyond_the_breakpoints():
    # the line 1 -> 3 between SoC 0.2 and 0.8; flat outside
    t = resample([0.2, 0.8], [1.0, 3.0], points=11)
    np.testing.assert_allclose(
        t, [1, 1, 1, 1 + 2 / 6, 1 + 4 / 6, 2, 2 + 1 / 3, 2 + 2 / 3, 3, 3, 3], rtol=1e-12
    )


@given(st.lists(st.floats(0.0, 1.0), min_size=1, max_size=50))
def test_lookup_equals_numpy_interp_on_the_grid(socs):
    table = np.sin(3 * GRID) + GRID**2
    np.testing.assert_allclose(lookup(table, socs), np.interp(socs, GRID, table), rtol=1e-12)


def test_lookup_at_the_ends_and_beyond_clips():
    table = 5.0 + GRID
    np.testing.assert_allclose(lookup(table, [-0.5, 0.0, 1.0, 1.5]), [5.0, 5.0, 6.0, 6.0])


def test_lookup_of_stacked_tables_by_row_and_by_broadcast():
    tables = np.stack([GRID, 2 * GRID, 10 + GRID])  # three tables, shape (3, G)
    # by row: each SoC in the table its row names
    np.testing.assert_allclose(lookup(tables, [0.5, 0.25, 0.1], rows=[2, 0, 1]), [10.5, 0.25, 0.2])
    # by broadcast: row i against soc[i, :]
    socs = np.array([[0.1, 0.2], [0.3, 0.4], [0.5, 0.6]])
    np.testing.assert_allclose(lookup(tables, socs), [[0.1, 0.2], [0.6, 0.8], [10.5, 10.6]])


def test_lookup_keeps_a_flat_infinite_stretch_infinite_not_nan():
    table = np.full(GRID_POINTS, np.inf)
    out = lookup(table, [0.0, 0.37, 1.0])
    assert np.all(out == np.inf)


def test_window_mean_by_hand():
    # a line a + b s averages a + b / 2 exactly under the trapezoid rule
    assert window_mean(3.0 + 2.0 * GRID) == pytest.approx(4.0, rel=1e-12)
    # s^2: the trapezoid rule overestimates by h^2 / 6, h = 1 / 200:
    # 1/3 + 2.5e-5 / 6 = 0.333337500
    assert window_mean(GRID**2) == pytest.approx(1 / 3 + (1 / 200) ** 2 / 6, rel=1e-12)
    # one mean per row of a stack
    np.testing.assert_allclose(window_mean(np.stack([GRID, 1 - GRID, np.ones_like(GRID)])),
                               [0.5, 0.5, 1.0])  # fmt: skip
