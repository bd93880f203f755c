"""One place a family member appears, and the helpers every scanner shares to build one."""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from itertools import accumulate


@dataclass(frozen=True)
class Occurrence:
    """A family token in one file.

    ``line``/``column`` are 1-based, the column counted in bytes (a tab counts one);
    ``end_column`` is exclusive. ``text`` is the whole token (``FindConversationByRunID``,
    ``run_id``, ``X-Run-ID``). ``symbol`` is the enclosing declaration (``ConvManager.Find...``),
    ``owner`` the struct or interface that declares a field or method, ``detail`` a role-specific
    note (the struct-tag key, the log method, the SQL verb).
    """

    path: str
    language: str
    role: str
    start_byte: int
    end_byte: int
    line: int
    column: int
    end_line: int
    end_column: int
    text: str
    symbol: str = ""
    package: str = ""
    detail: str = ""
    owner: str = ""
    is_test: bool = False
    is_generated: bool = False
    parse_error: bool = False


class LineIndex:
    """Byte offset -> (line, column), both 1-based, for one file."""

    def __init__(self, data: bytes) -> None:
        # each line's start: the running sum of the lengths of the lines before it, newlines
        # included (map and accumulate run in C)
        lines = data.split(b"\n")[:-1]
        self._starts = list(accumulate(map((1).__add__, map(len, lines)), initial=0))

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self._starts, offset) - 1
        return line + 1, offset - self._starts[line] + 1

    def span(self, start: int, end: int) -> tuple[int, int, int, int]:
        line, column = self.position(start)
        end_line, end_column = self.position(end)
        return line, column, end_line, end_column


_DEFAULTS = {"symbol": "", "package": "", "detail": "", "owner": "", "is_test": False,
             "is_generated": False, "parse_error": False}
_FIELD_NAMES = frozenset(Occurrence.__dataclass_fields__)
_new = object.__new__


def make_occurrence(
    path: str,
    index: LineIndex,
    start: int,
    end: int,
    text: str,
    *,
    language: str,
    role: str,
    **extra: object,
) -> Occurrence:
    """Build an occurrence from byte offsets, filling in the line and column fields.

    The scanners build one per token (tens of thousands in a large tree), so this fills the
    instance's ``__dict__`` in one step, fields in their declared order, rather than through the
    frozen dataclass's ``__init__`` (one ``object.__setattr__`` per field, twice as slow). The
    result is the same object ``Occurrence(...)`` makes; an unknown field is a TypeError as
    there."""
    if not _FIELD_NAMES.issuperset(extra):
        unknown = ", ".join(sorted(set(extra) - _FIELD_NAMES))
        raise TypeError(f"make_occurrence() got unexpected field(s): {unknown}")
    line, column, end_line, end_column = index.span(start, end)
    occurrence = _new(Occurrence)
    fields = occurrence.__dict__
    fields.update(path=path, language=language, role=role, start_byte=start, end_byte=end,
                  line=line, column=column, end_line=end_line, end_column=end_column, text=text)
    fields.update(_DEFAULTS)
    fields.update(extra)
    return occurrence
