"""Generic tables (nevcalc.tables): any table fits any width and never cuts a number."""

from __future__ import annotations

import io

import pytest

from nevcalc.tables import Column, print_table


def _console(width: int):
    from rich.console import Console

    return Console(width=width, file=io.StringIO(), color_system=None, legacy_windows=False)


def _numbers():
    from hypothesis import strategies as st

    return st.one_of(
        st.floats(-1e9, 1e9, allow_nan=False).map(lambda x: f"{x:,.2f}"),
        st.integers(-(10**12), 10**12).map(str),
        st.floats(0, 1e4, allow_nan=False).map(lambda x: f"{x:.1f} min"),
        st.just("-"),
    )


def _texts():
    from hypothesis import strategies as st

    word = st.text("abcdefghijklmnopqrstuvwxyz-%0123456789", min_size=1, max_size=14)
    return st.lists(word, min_size=0, max_size=8).map(" ".join)


def _tables():
    from hypothesis import strategies as st

    @st.composite
    def build(draw):
        ncols = draw(st.integers(1, 9))
        kinds = [draw(st.sampled_from(["num", "text", "fold"])) for _ in range(ncols)]
        cols = [
            Column(
                draw(_texts().filter(bool)),
                numeric=k == "num",
                fold=k == "fold",
                keep=i == 0,
                priority=draw(st.integers(0, 9)),
            )
            for i, k in enumerate(kinds)
        ]
        nrows = draw(st.integers(1, 6))
        rows = [
            [draw(_numbers()) if k == "num" else draw(_texts()) for k in kinds]
            for _ in range(nrows)
        ]
        return cols, rows, draw(st.integers(30, 220))

    return build()


@pytest.mark.parametrize("width", (20, 40, 60, 80, 120))
def test_generic_table_never_cuts_numbers(width):
    cols = [
        Column("name", keep=True),
        Column("a long numeric header", unit="kWh", numeric=True, priority=5),
        Column("b", unit="km", numeric=True, priority=4),
        Column("free text that wraps", priority=3),
        Column("source", fold=True, priority=1),
    ]
    rows = [
        ["car-one", "123456.7", "-12.5", "a b c d e f g h", "https://example.org/" + "x" * 60],
        ["car-two", "1,234,567", "0.001", "word " * 12, "short"],
    ]
    con = _console(width)
    left = print_table(cols, rows, con, title="t")
    out = con.file.getvalue()
    assert "…" not in out
    shown = [c for c in cols if c not in left]
    for r in rows:
        for i, c in enumerate(cols):
            if c.numeric and c in shown:
                assert r[i] in out, (width, r[i])
    if left:
        assert all(c.header in " ".join(out.split()) for c in left)


def test_any_table_fits_with_numbers_whole():
    from hypothesis import given, settings

    @settings(max_examples=150, deadline=None)
    @given(_tables())
    def check(table):
        cols, rows, width = table
        con = _console(width)
        left = print_table(cols, rows, con, title="t")
        out = con.file.getvalue()
        assert "…" not in out
        lines = out.splitlines()
        assert all(len(ln) <= width for ln in lines), width
        flat = " ".join(out.split())
        for c in left:  # every column left out is named in the note
            assert " ".join(c.header.split()) in flat
        for r in rows:
            for c, cell in zip(cols, r, strict=True):
                if c.numeric and c not in left and len(cell) <= width:
                    assert any(cell in ln for ln in lines), (width, c.header, cell)

    check()
