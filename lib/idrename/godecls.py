"""Parsing only some of a Go file's top-level declarations.

A reader that wants a few kinds of declaration (structs, functions that call ``json.Marshal``),
or the declarations around a few places, need not parse a whole file: :func:`parse_wanted` finds
the top-level declarations by text (``func``, ``type``, ``var``, ``const`` or ``import`` at the
start of a line, as gofmt writes them), keeps those a pattern finds in or that hold a given
byte, and has tree-sitter parse only those and the file's header (its comments, package clause
and imports) through the parser's *included ranges*. The tree's nodes keep the file's own
bytes, rows and columns.

The split is checked: when a line that starts a declaration lies inside a raw string or a block
comment, or when the parsed part has a syntax error, the whole file is parsed instead, so that
a tree is never built from text cut in the wrong place.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from typing import Any

from .gosyntax import go_language, parse

_KEYWORDS = rb"(?:func|type|var|const|import)\b"  # what starts a top-level declaration
_KEYWORD_RE = re.compile(_KEYWORDS)
_DECL_RE = re.compile(rb"\n" + _KEYWORDS)  # a line start: faster than ^ and MULTILINE
# A raw string or block comment over several lines, in group 1. Everything else that can hold a
# quote or a comment marker is read whole and skipped within the match, so that a match stops
# only at such a token, at the end, or where the text is not Go; an unterminated raw string or
# block comment runs to the end of the file. Nothing after the repeat can fail, so the engine
# never backtracks into it and a file is read once. (No possessive quantifier: Python 3.11.2,
# Debian 12's, matches a possessive repeat of this group wrongly.)
_MULTILINE_RE = re.compile(
    rb"""(?:[^"'`/]+|/(?![/*])|//[^\n]*|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'"""
    rb"""|`[^`\n]*`|/\*(?:[^*\n]|\*(?!/))*\*/)*"""
    rb"""(`[^`]*(?:`|\Z)|/\*(?:.*?\*/|.*\Z))?""",
    re.DOTALL,
)


def declaration_starts(data: bytes) -> list[int] | None:
    """The byte offsets at which the top-level declarations start (each at the start of a
    line), or None when one of those lines is inside a raw string or a block comment."""
    starts = [m.start() + 1 for m in _DECL_RE.finditer(data)]
    if _KEYWORD_RE.match(data):
        starts.insert(0, 0)
    if not starts or (b"`" not in data and b"/*" not in data):
        return starts
    for m in _MULTILINE_RE.finditer(data):
        if m.start(1) < 0:
            continue
        begin, end = m.span(1)
        i = bisect_right(starts, begin)
        if i < len(starts) and starts[i] < end:  # a declaration line inside this token
            return None
    return starts


def wanted_ranges(data: bytes, wanted: Sequence[re.Pattern[bytes]] = (),
                  at: Iterable[int] = ()) -> list[tuple[int, int]] | None:
    """The byte ranges to parse: the header (everything before the first declaration that is
    not an import), then each run of declarations in which one of the ``wanted`` patterns finds
    something or that holds one of the byte offsets ``at``, adjacent ones merged; None when the
    file must be parsed whole."""
    starts = declaration_starts(data)
    if not starts:
        return None
    first = 0  # declarations before this index are the header's
    while first < len(starts) and data.startswith(b"import", starts[first]):
        first += 1
    if first == len(starts):
        return None
    hits = {bisect_right(starts, offset) for offset in at}
    for pattern in wanted:  # one search per declaration at most
        begin = starts[first]
        while (found := pattern.search(data, begin)) is not None:
            i = bisect_right(starts, found.start())
            hits.add(i)
            if i == len(starts):
                break
            begin = starts[i]
    bounds = [*starts, len(data)]
    ranges = [(0, starts[first])]
    for i in sorted(h for h in hits if h > first):
        begin, end = bounds[i - 1], bounds[i]
        if ranges[-1][1] == begin:
            ranges[-1] = (ranges[-1][0], end)
        else:
            ranges.append((begin, end))
    return ranges


def parse_wanted(data: bytes, wanted: Sequence[re.Pattern[bytes]] = (),
                 at: Iterable[int] = ()) -> Any:
    """The tree of the header and the declarations of ``data`` that :func:`wanted_ranges`
    keeps (see the module's docstring); the whole file's tree when the split is not safe."""
    ranges = wanted_ranges(data, wanted, at)
    if ranges is None or ranges == [(0, len(data))]:
        return parse(data)
    import tree_sitter

    row = last = 0
    included = []
    for begin, end in ranges:
        row += data.count(b"\n", last, begin)
        start_row = row  # ``begin`` starts a line
        row += data.count(b"\n", begin, end)
        last = end
        end_column = end - (data.rfind(b"\n", 0, end) + 1)
        included.append(tree_sitter.Range((start_row, 0), (row, end_column), begin, end))
    # a parser of its own (a fraction of a microsecond): a shared one's ranges could be set by
    # another thread between setting them here and parsing
    tree = tree_sitter.Parser(go_language(), included_ranges=included).parse(data)
    return parse(data) if tree.root_node.has_error else tree
