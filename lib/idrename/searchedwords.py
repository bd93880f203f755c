"""A test's one-word string that it looks for in a text the code writes.

A test file that looks for parts of a text (``strings.Contains(err.Error(), tc.text)`` over a
table whose ``text`` is ``"response"``, ``strings.Contains(report, key)`` over ``[]string{"rho",
"served"}``) may hold the term as a plain word: what it looks for is then a word of a message
of the code (``fmt.Errorf("read DNS TCP response: %w", err)``, a report's ``served     = %d``).
Such a string alone is left to review by its role's default (a bare word may as well be a key
or an input), so the test kept ``"response"`` while the message became ``read DNS TCP outcome``,
and failed.

It follows the messages when nothing else of the code can be what the test looks for: in the
test's package and the packages of its module that its folder's files import (the code the
test runs; not the other programs of a repository of several), every text of the code (not of
the tests) that spells the word is a message (no string, key, tag or other wire name, and no
file around the Go code but docs), at least one of them in the test's own folder, and they are
all decided alike: renamed to one name (renamed with them), or kept (kept). Otherwise it stays
to review. Only a plain word (letters only) is taken: ``run_id`` alone is more often a key.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import roles
from .policy import row_flag, row_value

if TYPE_CHECKING:
    from .decisions import Decision, _Sources

SEARCHED_WORD = "searched-word"

# The texts that cannot be what a test looks for in the code's output
_NOT_WRITTEN = roles.GO_IDENTIFIER_ROLES | roles.COMMENT_ROLES | {roles.DOC_TEXT}


def follow_searched_words(rows: list[dict[str, Any]], results: list[Decision],
                          sources: _Sources, renaming: frozenset[str],
                          checks: Callable[[bytes], bool]) -> None:
    """Decide a test's one-word string left to its role's default by the messages of the code
    that spell it (see the module doc). ``renaming``: the decisions that rename; ``checks``:
    whether a test file's text looks for parts of texts. ``results`` is changed in place."""
    from .decisions import _literal_around

    wanted: dict[tuple[str, str], list[int]] = {}  # (root, word) -> the test's strings
    looks: dict[int, bool] = {}  # a test file's text (its id) -> whether it looks for parts
    for i, row in enumerate(rows):
        text = row_value(row, "text")
        if row.get("role") != roles.STRING or not row_flag(row, "is_test") or \
                not text.isalpha() or row_value(row, "language") != "go" or \
                results[i].decided_by != f"builtin:{roles.STRING}":
            continue
        span = sources.span(row)
        found = _literal_around(*span) if span is not None else None
        if found is None or found[1] != text.encode() or _compared_whole(span[0], found[0],
                                                                           len(found[1])):
            continue
        if id(span[0]) not in looks:
            looks[id(span[0])] = checks(span[0])
        if not looks[id(span[0])]:
            continue
        wanted.setdefault((row_value(row, "root"), text), []).append(i)
    if not wanted:
        return
    scopes: dict[tuple[str, str], set[str]] = {}  # (root, test folder) -> its code's folders
    for (label, _word), tests in wanted.items():
        root = (sources.roots or {}).get(label)
        for folder in {row_value(rows[i], "path").rpartition("/")[0] for i in tests}:
            if root is not None and (label, folder) not in scopes:
                scopes[(label, folder)] = code_folders(Path(root), folder)
    texts: dict[tuple[str, str], list[int]] = {}  # (root, word) -> the code's texts of it
    for i, row in enumerate(rows):
        key = (row_value(row, "root"), row_value(row, "text"))
        if key in wanted and not row_flag(row, "is_test") and \
                row_value(row, "role") not in _NOT_WRITTEN:
            texts.setdefault(key, []).append(i)
    for key, tests in wanted.items():
        for i in tests:
            folder = row_value(rows[i], "path").rpartition("/")[0]
            scope = scopes.get((key[0], folder))
            if scope is None:
                continue
            found = [j for j in texts.get(key, [])
                     if row_value(rows[j], "path").rpartition("/")[0] in scope]
            decision = _followed(rows, results, found, folder, renaming)
            if decision is not None:
                results[i] = decision


_EQUALITY_BEFORE = re.compile(rb"[=!]=\s*$")
_EQUALITY_AFTER = re.compile(rb"\s*[=!]=")


def _compared_whole(data: bytes, offset: int, length: int) -> bool:
    """Whether the literal at ``offset`` (its content ``length`` bytes) is an operand of ``==``
    or ``!=`` (``if name != "field"``): the test checks a whole value, no part of a text."""
    line_start = data.rfind(b"\n", 0, offset) + 1
    return _EQUALITY_BEFORE.search(data, line_start, offset) is not None or \
        _EQUALITY_AFTER.match(data, offset + length + 2) is not None


def _followed(rows: list[dict[str, Any]], results: list[Decision], found: list[int],
              folder: str, renaming: frozenset[str]) -> Decision | None:
    """The decision of a test's word whose code's texts in scope are ``found`` (see the module
    doc), or None to leave it as it is."""
    from .decisions import Decision

    if not found or any(row_value(rows[j], "role") != roles.MESSAGE or
                        row_value(rows[j], "language") != "go" for j in found) or \
            not any(row_value(rows[j], "path").rpartition("/")[0] == folder for j in found):
        return None
    outcomes = {("rename" if results[j].decision in renaming else results[j].decision,
                 results[j].target) for j in found}
    if len(outcomes) != 1 or next(iter(outcomes))[0] not in ("rename", "keep"):
        return None
    decided, target = next(iter(outcomes))
    where = ", ".join(f"{row_value(rows[j], 'path')}:{row_value(rows[j], 'line')}"
                      for j in found[:3]) + (", ..." if len(found) > 3 else "")
    if decided == "rename":
        return Decision("rename", f"the test looks for it in a text of the code, and every text "
                        f"of the code it runs that spells it is a message, renamed to {target} "
                        f"({where})", SEARCHED_WORD, target)
    return Decision("keep", f"the test looks for it in a text of the code, and every text of the "
                    f"code it runs that spells it is a message, kept ({where})", SEARCHED_WORD,
                    row_value(rows[found[0]], "text"))


def code_folders(root: Path, folder: str) -> set[str]:
    """A test folder (relative to ``root``) and the folders of the packages of its module that
    its Go files import (relative to ``root``)."""
    from .embeddeddata import module_folder
    from .gosymbols import module_path
    from .outside import import_paths

    found = {folder}
    module_dir = module_folder(root, folder)
    module = module_path(root / module_dir / "go.mod")
    if not module:
        return found
    try:
        names = sorted(p for p in (root / folder).iterdir() if p.suffix == ".go")
    except OSError:
        return found
    prefix = module + "/"
    for path in names:
        try:
            imports = import_paths(path.read_bytes())
        except OSError:
            continue
        for imported in imports:
            if imported.startswith(prefix):
                rest = imported[len(prefix):]
                found.add(f"{module_dir}/{rest}" if module_dir else rest)
    return found
