"""The command line's table format: plain rows in fixed-width columns, without pandas."""

from __future__ import annotations

import io
import math

import pandas as pd
import pytest

from idrename import cli
from idrename.texttable import table_lines, write_table


def text(columns: list[str], rows: list[tuple[object, ...]]) -> str:
    out = io.StringIO()
    write_table(columns, rows, out)
    return out.getvalue()


def test_text_is_aligned_left_numbers_right_and_columns_two_spaces_apart() -> None:
    rows = [("svc/a.go", 7, "field_decl", "RunID"), ("svc/internal/b.go", 120, "log_key", "")]
    assert text(["path", "line", "role", "text"], rows) == (
        "path               line  role        text\n"
        "svc/a.go              7  field_decl  RunID\n"
        "svc/internal/b.go   120  log_key\n"
    )


def test_missing_values_are_empty_booleans_are_text_and_control_characters_escaped() -> None:
    rows = [(None, True, "a\tb"), (math.nan, False, "line\nbreak\r")]
    assert text(["n", "flag", "text"], rows) == (
        "n  flag   text\n"
        "   True   a\\tb\n"
        "   False  line\\nbreak\\r\n"
    )


def test_a_column_of_numbers_and_nothing_else_is_aligned_right() -> None:
    assert text(["count", "mixed"], [(3, 1), (None, "x")]) == (
        "count  mixed\n"
        "    3  1\n"
        "       x\n"
    )


def test_no_rows_is_none_and_a_short_row_is_an_error() -> None:
    assert text(["a", "b"], []) == "(none)\n"
    with pytest.raises(ValueError, match="a row has 1 values for 2 columns"):
        list(table_lines(["a", "b"], [("x",)]))


def test_frames_are_written_in_the_same_layout() -> None:
    frame = pd.DataFrame({"decision": ["rename", "keep"], "rows": [12, 3]},
                         index=["ignored", "too"])
    out = io.StringIO()
    cli.write_frame(frame, "table", out)
    assert out.getvalue() == (
        "decision  rows\n"
        "rename      12\n"
        "keep         3\n"
    )
    empty = io.StringIO()
    cli.write_frame(frame.iloc[0:0], "table", empty)
    assert empty.getvalue() == "(none)\n"
