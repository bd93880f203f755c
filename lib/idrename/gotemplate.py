"""Go templates (``text/template``, ``html/template``): their actions, and what a family token
in one is.

A template names Go things by string, so ``go build`` never sees them: ``{{.RunID}}`` (also
``$.RunID``, ``$conv.RunID``, ``.Conv.RunID``, ``(index . 0).RunID``) reads a field or calls a
method of the data the template is executed with, or reads a map's key, and fails at run time
once the Go name changes and the template does not. ``$runID`` is a variable of the template,
``runID`` in a command a function of its ``FuncMap``, ``"run_id"`` a string argument
(``index .M "run_id"``). ``{{/* ... */}}`` is a comment. What lies outside the actions is the
text the template writes out as is: HTML, or the Go code a generator writes.

The lexing follows ``text/template/parse``: an action runs from ``{{`` to the first ``}}`` that is
not inside a quoted string, and a comment from ``{{/*`` (or ``{{- /*``) to ``*/}}`` (or ``*/ -}}``).
Custom delimiters (``Template.Delims``) are not read.
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass

from idrename import roles as R

# Inside an action: a quoted string, a raw string, a character, or the closing delimiter.
_IN_ACTION_BODY = rb'"(?:\\.|[^"\\\n])*"|`[^`]*`|\'(?:\\.|[^\'\\\n])*\'|'
Delims = tuple[bytes, bytes]
DEFAULT_DELIMS: Delims = (b"{{", b"}}")
# The delimiters a template set with Delims (`Delims("[[", "]]")`) is told apart by: the pairs
# projects use where `{{` is taken (by a frontend's templates, or by literal text).
ALTERNATE_DELIMS: tuple[Delims, ...] = (
    (b"[[", b"]]"), (b"<%", b"%>"), (b"{%", b"%}"), (b"<<", b">>"), (b"((", b"))"),
    (b"{[", b"]}"))


@functools.lru_cache(maxsize=16)
def _patterns(delims: Delims) -> tuple[re.Pattern[bytes], re.Pattern[bytes], re.Pattern[bytes]]:
    """(inside an action, a comment's start, a comment's end) for these delimiters."""
    left, right = (re.escape(d) for d in delims)
    return (re.compile(_IN_ACTION_BODY + right), re.compile(left + rb"(?:- )?/\*"),
            re.compile(rb"\*/(?: -)?" + right))
_NAME = rb"[A-Za-z_\x80-\xff][A-Za-z0-9_\x80-\xff]*"
_LEXEME = re.compile(
    rb'(?P<string>"(?:\\.|[^"\\\n])*"|`[^`]*`|\'(?:\\.|[^\'\\\n])*\')'
    rb"|(?P<field>\.(?:" + _NAME + rb"))|(?P<variable>\$(?:" + _NAME + rb")?)"
    rb"|(?P<number>[0-9][0-9A-Za-z_.]*)|(?P<name>" + _NAME + rb")"
)
KEYWORDS = frozenset(
    "block break continue define else end if nil range template with true false".split()
)
# Actions that open a block closed by {{end}}.
_OPENERS = frozenset({b"if", b"range", b"with", b"define", b"block"})


@dataclass(frozen=True)
class Action:
    """One ``{{ ... }}`` (offsets of the delimiters), and the template it belongs to."""

    start: int
    end: int
    comment: bool
    template: str  # the innermost {{define}}/{{block}} name, "" at the top level


def actions(data: bytes, delims: Delims = DEFAULT_DELIMS) -> tuple[list[Action], str]:
    """Every action of a template text, in order (an action left open runs to the end), and the
    template the text after the last one belongs to."""
    in_action, comment_open, comment_close = _patterns(delims)
    left, right = delims
    out: list[Action] = []
    names: list[str] = []  # the open blocks: a template's name, or "" for if/range/with
    pos = 0
    while (start := data.find(left, pos)) >= 0:
        opened = comment_open.match(data, start)
        if opened is not None:
            close = comment_close.search(data, opened.end())
            end = close.end() if close is not None else len(data)
            out.append(Action(start, end, True, _innermost(names)))
            pos = end
            continue
        end = len(data)
        for m in in_action.finditer(data, start + len(left)):
            if m.group() == right:
                end = m.end()
                break
        out.append(Action(start, end, False, _innermost(names)))
        _track_blocks(data[start + len(left) : end - len(right)], names)
        pos = end
    return out, _innermost(names)


def _innermost(names: list[str]) -> str:
    return next((n for n in reversed(names) if n), "")


def _track_blocks(body: bytes, names: list[str]) -> None:
    words = body.strip(b"- \t\r\n").split(None, 2)
    if not words:
        return
    first = words[0]
    if first in _OPENERS:
        name = ""
        if first in (b"define", b"block") and len(words) > 1:
            name = words[1].strip(b"\"`").decode("utf-8", "replace")
        names.append(name)
    elif first == b"end" and names:
        names.pop()


@dataclass(frozen=True)
class Reference:
    """What a token inside an action is: its role, the chain before a field (``owner``) or the
    function a string is an argument of, and the template's name."""

    role: str
    owner: str
    template: str


class Template:
    """A template text's actions, for classifying the tokens of one file or one Go string."""

    def __init__(self, data: bytes, delims: Delims = DEFAULT_DELIMS) -> None:
        self.data = data
        self.delims = delims
        self.actions, self._last = actions(data, delims)
        self._starts = [a.start for a in self.actions]

    def template_at(self, pos: int) -> str:
        """The name of the template the text at ``pos`` belongs to ("" at the top level)."""
        i = bisect.bisect_right(self._starts, pos)
        return self.actions[i].template if i < len(self.actions) else self._last

    def action_at(self, start: int, end: int) -> Action | None:
        """The action holding [start, end), if any."""
        i = bisect.bisect_right(self._starts, start) - 1
        if i < 0:
            return None
        action = self.actions[i]
        return action if action.start < start and end <= action.end else None

    def reference(self, start: int, end: int) -> Reference | None:
        """What the token at [start, end) is, when it lies in an action; else None."""
        action = self.action_at(start, end)
        if action is None:
            return None
        if action.comment:
            return Reference(R.TEMPLATE_COMMENT, "", action.template)
        lexemes = list(_LEXEME.finditer(self.data, action.start + len(self.delims[0]),
                                        action.end - len(self.delims[1])))
        for i, m in enumerate(lexemes):
            if not (m.start() <= start and end <= m.end()):
                continue
            kind = m.lastgroup
            if kind == "string":
                return Reference(R.TEMPLATE_STRING, _callee(lexemes, i), action.template)
            if kind == "field":
                return Reference(R.TEMPLATE_FIELD, _chain_before(self.data, lexemes, i),
                                 action.template)
            if kind == "variable":
                return Reference(R.TEMPLATE_VARIABLE, "", action.template)
            if kind == "name" and m.group() not in KEYWORDS:
                return Reference(R.TEMPLATE_FUNC, "", action.template)
            break
        return Reference(R.TEMPLATE_STRING, "", action.template)


def _chain_before(data: bytes, lexemes: list[re.Match[bytes]], i: int) -> str:
    """``.Conv`` for ``.Conv.RunID``, ``$conv`` for ``$conv.RunID``, ``.`` for ``.RunID``."""
    parts: list[bytes] = []
    j = i
    while j > 0 and lexemes[j - 1].end() == lexemes[j].start() and \
            lexemes[j - 1].lastgroup in ("field", "variable"):
        j -= 1
        parts.insert(0, lexemes[j].group())
    if not parts and data[lexemes[i].start() - 1 : lexemes[i].start()] == b")":
        return "(...)"
    return b"".join(parts).decode("utf-8", "replace") or "."


def _callee(lexemes: list[re.Match[bytes]], i: int) -> str:
    """The nearest function name before a string (``index`` in ``index .M "run_id"``), or ""."""
    return next((m.group().decode("utf-8", "replace") for m in reversed(lexemes[:i])
                 if m.lastgroup == "name" and m.group() not in KEYWORDS), "")


# An action between other delimiters, as a template's text spells a field in it: `[[ .RunID ]]`.
_ALTERNATE_ACTION = {
    pair: re.compile(re.escape(pair[0]) + rb"-?[ \t]*[^\n]*?" + re.escape(pair[1]))
    for pair in ALTERNATE_DELIMS}


def delims_around(data: bytes, start: int, end: int, lo: int = 0, hi: int | None = None
                  ) -> Delims | None:
    """The other delimiters (a template's ``Delims``) of an action on the line of [start, end)
    that holds it and names a field, a variable or a function there (``[[ .RunID ]]``,
    ``<% $run.RunID %>``), within [lo, hi); None when it stands in no such action."""
    hi = len(data) if hi is None else hi
    line_start = max(lo, data.rfind(b"\n", lo, start) + 1)
    line_end = data.find(b"\n", end, hi)
    line_end = hi if line_end < 0 else line_end
    for pair in ALTERNATE_DELIMS:
        for m in _ALTERNATE_ACTION[pair].finditer(data, line_start, line_end):
            if m.start() + len(pair[0]) <= start and end <= m.end() - len(pair[1]) and \
                    _names_something(data, m.start() + len(pair[0]), start):
                return pair
    return None


def _names_something(data: bytes, body: int, start: int) -> bool:
    """Whether the token at ``start`` is named as an action names things: after a ``.`` or
    ``$`` (a field, a variable) or as the action's first word (a function)."""
    before = data[start - 1 : start]
    return before in (b".", b"$") or not data[body:start].strip(b" \t-")
