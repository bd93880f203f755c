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
import re
from dataclasses import dataclass

from idrename import roles as R

# Inside an action: a quoted string, a raw string, a character, or the closing delimiter.
_IN_ACTION = re.compile(rb'"(?:\\.|[^"\\\n])*"|`[^`]*`|\'(?:\\.|[^\'\\\n])*\'|}}')
_COMMENT_OPEN = re.compile(rb"{{(?:- )?/\*")
_COMMENT_CLOSE = re.compile(rb"\*/(?: -)?}}")
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


def actions(data: bytes) -> tuple[list[Action], str]:
    """Every action of a template text, in order (an action left open runs to the end), and the
    template the text after the last one belongs to."""
    out: list[Action] = []
    names: list[str] = []  # the open blocks: a template's name, or "" for if/range/with
    pos = 0
    while (start := data.find(b"{{", pos)) >= 0:
        opened = _COMMENT_OPEN.match(data, start)
        if opened is not None:
            close = _COMMENT_CLOSE.search(data, opened.end())
            end = close.end() if close is not None else len(data)
            out.append(Action(start, end, True, _innermost(names)))
            pos = end
            continue
        end = len(data)
        for m in _IN_ACTION.finditer(data, start + 2):
            if m.group() == b"}}":
                end = m.end()
                break
        out.append(Action(start, end, False, _innermost(names)))
        _track_blocks(data[start + 2 : end - 2], names)
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

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.actions, self._last = actions(data)
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
        lexemes = list(_LEXEME.finditer(self.data, action.start + 2, action.end - 2))
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
