"""The column a renamed label lines up with, in a text laid out as a table.

A report written as a multi-line format, or as one ``Printf`` per line, often pads its labels so
that their ``=`` or ``:`` line up::

    rho        = %.4f
    served     = %d

gofmt aligns Go code, not the text inside a string or a comment, so renaming ``served`` to
``completed`` alone would push its ``=`` three columns right. The padding after a renamed word
is made as much shorter (or longer) as the word grows (or shrinks), where the text shows a
column to keep: the word is followed by two spaces or more, then ``=`` or ``:``, and the line
just above or below has that same sign, after a space, at that same column (in bytes: lines
whose prefixes differ in width do not count). At least one space is left; where the new word
is too long for that, the padding is left as it was.
"""

from __future__ import annotations

import re

# Two spaces or more after the word, then the sign of the column
_PADDING = re.compile(rb" {2,}(?=[=:])")


def alignment_change(data: bytes, start: int, end: int, new: bytes
                     ) -> tuple[int, int, bytes] | None:
    """The edit ``(start, end, text)`` of the padding after ``data[start:end]``, renamed to
    ``new``, that keeps the column of the sign after it (see the module doc), or None."""
    delta = len(new) - (end - start)
    padding = _PADDING.match(data, end)
    if delta == 0 or padding is None:
        return None
    spaces = padding.end() - end
    if spaces - delta < 1:
        return None
    line_start = data.rfind(b"\n", 0, start) + 1
    column = padding.end() - line_start
    sign = data[padding.end() : padding.end() + 1]
    if not (_same_column(data, _line_before(data, line_start), column, sign) or
            _same_column(data, _line_after(data, end), column, sign)):
        return None
    return end, padding.end(), b" " * (spaces - delta)


def _line_before(data: bytes, line_start: int) -> tuple[int, int] | None:
    """(start, end) of the line before the one starting at ``line_start``, or None."""
    if line_start == 0:
        return None
    return data.rfind(b"\n", 0, line_start - 1) + 1, line_start - 1


def _line_after(data: bytes, at: int) -> tuple[int, int] | None:
    """(start, end) of the line after the one holding ``at``, or None."""
    end = data.find(b"\n", at)
    if end < 0:
        return None
    after = data.find(b"\n", end + 1)
    return end + 1, len(data) if after < 0 else after


def _same_column(data: bytes, line: tuple[int, int] | None, column: int, sign: bytes) -> bool:
    """Whether ``line`` has ``sign``, after a space, at ``column``."""
    if line is None:
        return False
    start, end = line
    at = start + column
    return at < end and data[at : at + 1] == sign and data[at - 1 : at] == b" "
