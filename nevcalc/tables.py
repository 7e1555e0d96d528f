"""Tables that fit the terminal: numbers whole, text wrapped, columns left out with a note.

A table is a list of :class:`Column` and rows of cells (rich markup allowed).
:func:`print_table` lays it out for the console's width: a number is never
cut or ellipsised, text wraps at spaces (and folds only a word longer than
its column), and when even the narrowest layout is too wide, the columns of
lowest priority are left out and one line below the table says which, and
how to get them (``--json``/``--csv``). :func:`write_csv` writes every
column, with its unit in the header. rich is imported only when printing.
"""

from __future__ import annotations

import csv
import re
import sys
from dataclasses import dataclass
from typing import Any

from nevcalc.report.format import _console

__all__ = ["Column", "fit_columns", "print_table", "write_csv"]

_MARKUP = re.compile(r"\[/?[a-z_ ]*\]")
#: Narrowest a text column is made before columns of lower priority are left out [characters].
_TEXT_COMFORT = 16


@dataclass(frozen=True)
class Column:
    """One column of a table.

    Parameters
    ----------
    header : str
        Shown above the column (may wrap at spaces).
    unit : str
        Unit of its numbers, written into the CSV header as ``name [unit]``.
    numeric : bool
        Right-aligned; its cells are never wrapped, cut or ellipsised.
    keep : bool
        Never left out (the column that names the row).
    priority : int
        Columns of lower priority are left out first when the terminal is narrow.
    fold : bool
        Long words (file paths, URLs) may be folded onto several lines.
    csv : str, optional
        Name in the CSV header; by default the header.
    """

    header: str
    unit: str = ""
    numeric: bool = False
    keep: bool = False
    priority: int = 0
    fold: bool = False
    csv: str | None = None

    @property
    def csv_header(self) -> str:
        name = self.csv or self.header
        return f"{name} [{self.unit}]" if self.unit else name


def _plain(cell: Any) -> str:
    return _MARKUP.sub("", "" if cell is None else str(cell))


def _cell_len(text: str) -> int:
    from rich.cells import cell_len

    return max((cell_len(line) for line in text.split("\n")), default=0)


def _longest_word(text: str) -> int:
    from rich.cells import cell_len

    return max((cell_len(w) for w in text.split()), default=0)


def _bounds(col: Column, cells: list[str]) -> tuple[int, int]:
    """Narrowest and widest content width of a column [characters]."""
    plain = [_plain(c) for c in cells]
    widest = max([_cell_len(col.header)] + [_cell_len(c) for c in plain])
    header_word = _longest_word(col.header)
    if col.numeric:
        narrow = max([header_word] + [_cell_len(c) for c in plain])
    else:
        word = max([0] + [_longest_word(c) for c in plain])
        # text narrower than a few words reads badly: keep room for ~16 characters a line
        comfort = min(widest, _TEXT_COMFORT)
        narrow = max(header_word, comfort, min(word, _TEXT_COMFORT) if col.fold else word)
    return max(narrow, 1), max(widest, 1)


def _overhead(n: int, edge: bool) -> int:
    """Characters a rich table with a box and padding (0, 1) adds to its columns."""
    return 3 * n + 1 if edge else 3 * n - 1


def fit_columns(
    columns: list[Column], rows: list[list[Any]], width: int, edge: bool = True
) -> tuple[list[int], list[int]]:
    """Which columns fit in ``width`` characters, and their content widths.

    Parameters
    ----------
    columns : list of Column
    rows : list of list
        Cells, one per column (rich markup is not counted).
    width : int
        Characters available [-].
    edge : bool
        Whether the table has a left and right border.

    Returns
    -------
    shown : list of int
        Indices of the columns shown, in their order.
    widths : list of int
        Content width of each shown column [characters].
    """
    bounds = [_bounds(c, [r[i] for r in rows]) for i, c in enumerate(columns)]
    shown = list(range(len(columns)))
    droppable = sorted(
        (i for i, c in enumerate(columns) if not c.keep),
        key=lambda i: (columns[i].priority, -i),
    )
    while sum(bounds[i][0] for i in shown) + _overhead(len(shown), edge) > width and droppable:
        shown.remove(droppable.pop(0))
    widths = [bounds[i][0] for i in shown]
    spare = width - sum(widths) - _overhead(len(shown), edge)
    # numeric columns first get their whole header on one line, then text columns share the rest
    for k in sorted(range(len(shown)), key=lambda k: -columns[shown[k]].priority):
        if columns[shown[k]].numeric and spare > 0:
            grow = min(spare, bounds[shown[k]][1] - widths[k])
            widths[k] += grow
            spare -= grow
    need = [bounds[i][1] - w for i, w in zip(shown, widths, strict=True)]
    total = sum(need)
    if spare > 0 and total > 0:
        if spare >= total:
            widths = [w + n for w, n in zip(widths, need, strict=True)]
        else:
            grow = [spare * n // total for n in need]
            left = spare - sum(grow)
            for k in sorted(range(len(need)), key=lambda k: -(need[k] - grow[k])):
                if left <= 0:
                    break
                if grow[k] < need[k]:
                    grow[k] += 1
                    left -= 1
            widths = [w + g for w, g in zip(widths, grow, strict=True)]
    return shown, widths


def print_table(
    columns: list[Column],
    rows: list[list[Any]],
    console=None,
    title: str | None = None,
    edge: bool = True,
    get_all: str = "--json",
) -> list[Column]:
    """Print a table that fits the console; return the columns left out.

    ``get_all`` names the options that show every column; it goes into the
    one-line note printed under the table when columns were left out.
    """
    from rich.table import Table

    con = _console(console)
    shown, widths = fit_columns(columns, rows, con.width, edge)
    only_keys = all(columns[i].keep for i in shown) and len(shown) < len(columns)
    if only_keys or sum(widths) + _overhead(len(shown), edge) > con.width:
        _print_records(columns, rows, con, title)
        return []
    t = Table(title=title, title_justify="left", show_edge=edge)
    for i, w in zip(shown, widths, strict=True):
        c = columns[i]
        t.add_column(
            c.header,
            justify="right" if c.numeric else "left",
            width=w,
            overflow="fold",
        )
    for row in rows:
        t.add_row(*("" if row[i] is None else str(row[i]) for i in shown))
    con.print(t)
    left_out = [c for i, c in enumerate(columns) if i not in shown]
    if left_out:
        names = ", ".join(c.header for c in left_out)
        con.print(
            f"left out for the terminal's width: {names} (a wider terminal, or {get_all}, "
            "shows every column)",
            highlight=False,
            markup=False,
        )
    return left_out


def _print_records(columns, rows, con, title) -> None:
    """Too narrow for any table: each row as ``header: value`` lines, every column kept."""
    if title:
        con.print(title, highlight=False)
    for row in rows:
        con.print("-" * min(con.width, 20), highlight=False, markup=False)
        for c, cell in zip(columns, row, strict=True):
            text = "" if cell is None else str(cell)
            if not text:
                continue
            line = f"{c.header}: {text}"
            if _cell_len(_plain(line)) > con.width:  # the value alone on its line
                con.print(f"{c.header}:", highlight=False)
                con.print(text, highlight=False)
            else:
                con.print(line, highlight=False)


def write_csv(columns: list[Column], rows: list[list[Any]], file=None) -> None:
    """Every column as CSV, units in the header; ``None`` is an empty cell."""
    out = file or sys.stdout
    w = csv.writer(out, lineterminator="\n")
    w.writerow([c.csv_header for c in columns])
    for row in rows:
        w.writerow(["" if v is None else v for v in row])
