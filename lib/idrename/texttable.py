"""The command line's ``table`` format: plain rows laid out in fixed-width columns, without pandas.

An inventory of a large tree has tens of thousands of rows; laying them out with pandas
(``DataFrame.to_string``) took five times as long as the scan it printed on a warm cache. Here
each column is as wide as its widest cell; text is aligned left and numbers right; columns are
two spaces apart; a tab, newline or carriage return inside a cell is written as its escape
(``\\t``), so that every row stays on one line.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

_ESCAPES = str.maketrans({"\t": "\\t", "\n": "\\n", "\r": "\\r"})
_ESCAPES_OF = "\t\n\r"
_GAP = "  "


def cell(value: Any) -> str:
    """A value as the table shows it: empty for None and NaN, escaped control characters."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value).translate(_ESCAPES)


def _is_number(value: Any) -> bool:
    return isinstance(value, numbers.Number) and not isinstance(value, bool)


def _column(values: Sequence[Any]) -> tuple[list[str], bool]:
    """A column's cells and whether it is numeric (every value a number or None)."""
    kinds = set(map(type, values))
    if kinds <= {str}:
        texts = list(values)
        if any(c in "".join(texts) for c in _ESCAPES_OF):
            texts = [t.translate(_ESCAPES) for t in texts]
        return texts, False
    numeric = all(_is_number(v) or v is None for v in values)
    return [cell(v) for v in values], numeric


def table_lines(columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    """The table's lines, each ending in a newline: the header, then one line per row.

    A column is aligned right when every value it holds is a number (``bool`` is not), else
    left. No line ends in spaces."""
    rows = list(rows)
    for row in rows:
        if len(row) != len(columns):
            raise ValueError(f"a row has {len(row)} values for {len(columns)} columns")
    padded: list[list[str]] = []
    for name, values in zip(columns, zip(*rows, strict=True) if rows else [()] * len(columns),
                            strict=True):
        texts, numeric = _column(values)
        head = cell(name)
        width = max(len(head), *map(len, texts)) if texts else len(head)
        pad = str.rjust if numeric else str.ljust
        padded.append([pad(head, width), *(pad(t, width) for t in texts)])
    for parts in zip(*padded, strict=True):
        yield _GAP.join(parts).rstrip() + "\n"


def write_table(columns: Sequence[str], rows: Iterable[Sequence[Any]], out: Any) -> None:
    """Write :func:`table_lines` to ``out``; ``(none)`` for a table without rows."""
    rows = list(rows)
    if not rows:
        out.write("(none)\n")
        return
    out.writelines(table_lines(columns, rows))
