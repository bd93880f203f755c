"""A command's own name, in the texts that show how to run it.

``go build`` names a command after the folder of its ``package main`` (``cmd/habit`` builds
``habit``; the module's own folder, after the module path's last element). When the term is
that name (``--from habit --to routine`` on a habit tracker), the usage texts that show the
command (``"usage: habit export <file>"``, ``"  habit mark \\"Exercise\\""``, ``// Usage:
habit list``) name the program, not the concept: the patch moves no folder, so renamed they
would show a command that does not exist. They are kept; the texts that only say the word
(``"please provide a habit name"``) are renamed as by default.

A word is taken as the command where it stands as a word (not ``habit-tracker`` or
``habit's``) and one of these holds:

- after ``usage:`` (any case), a shell prompt ``$``, or at the start of a comment's line after
  ``Command`` (Go's way of documenting a command);
- at the start of the text or of one of its lines (after indentation), after ``run:``,
  ``try:`` or ``e.g.``, or after a backquote, and followed by a space and an argument: ``<...>``,
  ``[...]``, a flag (``-v``, ``--merge``), or a word that the command
  dispatches on (a ``case "list":``, a comparison ``== "list"``, a map key ``"list":``, or a
  ``flag.NewFlagSet("list", ...)`` in its package's files, or in the file of the text).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import roles
from .policy import row_value

if TYPE_CHECKING:
    from .decisions import Decision, _Sources

PROGRAM_NAME = "program-name"
PROGRAM_NAME_RATIONALE = (
    "{name!r} here names the command built from {folder} ({shown!r}): go build names it after "
    "its folder, which the patch does not move, so renamed the text would show a command that "
    "does not exist; kept (move the folder with `git mv`, then rename the text)")

_PROSE_ROLES = frozenset({roles.STRING, roles.MESSAGE, roles.COMMENT, roles.DOC_COMMENT})
_PACKAGE_MAIN = re.compile(rb"^package[ \t]+main\b", re.MULTILINE)
_MAJOR = re.compile(r"^v[0-9]+$")
# Where the word names the command whatever follows it
_SHOWN_ALONE = re.compile(rb"(?:(?i:\busage)[ \t]*:?[ \t]+|(?:^|[ \t(])\$[ \t]+"
                          rb"|(?:\A|\n)[ \t]*//+[ \t]*Command[ \t]+)\Z")
# Where it does when an argument follows it
_SHOWN_WITH_ARGUMENTS = re.compile(rb"(?:(?:\A|\n|\\n)[ \t]*(?://+[ \t]*)?"
                                   rb"|(?i:\b(?:run|try)[ \t]*:[ \t]*|\be\.g\.,?[ \t]+)|`)\Z")
_ARGUMENT = re.compile(rb" +(?:[<\[]|--?[A-Za-z]|(?P<word>[a-z][\w-]*))")
_AS_A_WORD = re.compile(rb"(?:\Z|\\[nt]|[ \t`])")
# The words a command dispatches on
_DISPATCH = (re.compile(rb"\bcase[ \t]+((?:\"[\w-]+\"[ \t]*,[ \t]*)*\"[\w-]+\")[ \t]*:"),
             re.compile(rb"==[ \t]*(\"[\w-]+\")"),
             re.compile(rb"(\"[\w-]+\")[ \t]*:[ \t]*(?:\{|func\b|&|[A-Za-z_])"),
             re.compile(rb"\bNewFlagSet\([ \t]*(\"[\w-]+\")"))
_QUOTED = re.compile(rb'"([\w-]+)"')


def program_names(rows: list[dict[str, Any]], results: list[Decision], sources: _Sources,
                  skip: Iterable[str], renaming: frozenset[str]) -> None:
    """Keep a Go string, message or comment renamed by its role's default whose text is the
    name of a command of the roots, shown as one (see the module doc). ``renaming``: the
    decisions that rename. ``results`` is changed in place."""
    from .decisions import Decision

    wanted: dict[str, list[int]] = {}
    for i, row in enumerate(rows):
        if row.get("role") in _PROSE_ROLES and results[i].decision in renaming and \
                row_value(row, "language") == "go" and \
                results[i].decided_by.startswith(("builtin:", "default:")):
            wanted.setdefault(row_value(row, "root"), []).append(i)
    for label, found in wanted.items():
        root = sources.roots.get(label) if sources.roots else None
        if root is None:
            continue
        commands = _commands(Path(root), {row_value(rows[i], "text") for i in found},
                             frozenset(skip))
        for i in found:
            row = rows[i]
            command = commands.get(row_value(row, "text"))
            span = sources.span(row)
            if command is None or span is None:
                continue
            folder, dispatch = command
            data = span[0]
            shown = _shown(row, span, dispatch | _dispatch_words(data))
            if shown is not None:
                results[i] = Decision("keep", PROGRAM_NAME_RATIONALE.format(
                    name=row_value(row, "text"), folder=folder or "the root's folder",
                    shown=shown), PROGRAM_NAME, row_value(row, "text"))


def _shown(row: Mapping[str, Any], span: tuple[bytes, int, int],
           dispatch: frozenset[bytes]) -> str | None:
    """The text (of the literal, or of the comment's line) that shows the row's word as the
    command, or None."""
    from .decisions import _literal_around

    data, start, end = span
    found = None if row.get("role") in (roles.COMMENT, roles.DOC_COMMENT) else \
        _literal_around(data, start, end)
    if found is None:  # a comment's line, or a line of a string of several
        line_start = data.rfind(b"\n", 0, start) + 1
        line_end = data.find(b"\n", start)
        found = (line_start - 1, data[line_start : line_end if line_end >= 0 else len(data)])
    offset, content = found
    at, to = start - offset - 1, end - offset - 1
    before, after = content[:at], content[to:]
    if _AS_A_WORD.match(after) is None:
        return None
    if _SHOWN_ALONE.search(before) is None:
        if _SHOWN_WITH_ARGUMENTS.search(before) is None:
            return None
        argument = _ARGUMENT.match(after)
        if argument is None or (argument.group("word") is not None and
                                argument.group("word") not in dispatch):
            return None
    return content.decode("utf-8", "replace").strip()


def _commands(root: Path, names: set[str], skip: frozenset[str]
              ) -> dict[str, tuple[str, frozenset[bytes]]]:
    """The commands of a root named one of ``names``: name -> (its folder relative to the
    root, the words its package's files dispatch on)."""
    found: dict[str, tuple[str, frozenset[bytes]]] = {}
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith((".", "_")) and
                         d not in ("testdata", "vendor") and d not in skip)
        go_files = [f for f in files if f.endswith(".go") and not f.endswith("_test.go")]
        if not go_files:
            continue
        name = _module_name(Path(folder) / "go.mod") if "go.mod" in files else None
        if name is None:  # (a root in a module above it: a package folder like another)
            name = os.path.basename(folder) if folder != str(root) else root.resolve().name
        if name not in names or name in found:
            continue
        sources = []
        for file in sorted(go_files):
            try:
                sources.append((Path(folder) / file).read_bytes())
            except OSError:
                continue
        if any(_PACKAGE_MAIN.search(s) for s in sources):
            rel = os.path.relpath(folder, root)
            found[name] = ("" if rel == "." else rel.replace(os.sep, "/"),
                           frozenset().union(*(_dispatch_words(s) for s in sources)))
    return found


def _module_name(go_mod: Path) -> str | None:
    """The last element of a go.mod's module path, but for a major version's (``/v2``)."""
    from .gosymbols import module_path

    parts = module_path(go_mod).split("/")
    if len(parts) > 1 and _MAJOR.match(parts[-1]):
        parts.pop()
    return parts[-1] or None


def _dispatch_words(data: bytes) -> frozenset[bytes]:
    """The words a file's code dispatches on (see the module doc)."""
    words: set[bytes] = set()
    for pattern in _DISPATCH:
        for m in pattern.finditer(data):
            words.update(_QUOTED.findall(m.group(1)))
    return frozenset(words)
