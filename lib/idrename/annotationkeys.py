"""A key of an annotation in a comment that the code looks for.

A comment may carry data the program itself reads: a template's ``{{/* layout:base.tmpl */}}``
that a site generator finds with ``regexp.MustCompile(`/\\* layout:(.*?) \\*/`)``, a file's
``# layout: base`` read with ``strings.CutPrefix(line, "# layout:")``. Renamed as prose by the
comment's default while the code's pattern kept its key (a string, left to review), the pages
lost their layout and the generator's test failed.

A comment's word directly followed by a colon (``layout:``) follows the Go strings of its root
that spell the same word directly followed by a colon: renamed with them when they are all
renamed to one name, kept when they are all kept, left to review otherwise (a string left to
review leaves the annotation to review with it). Only a comment still at its role's default
(built in or the policy's) is decided here.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from . import roles
from .policy import row_flag, row_value

if TYPE_CHECKING:
    from .decisions import Decision, _Sources

ANNOTATION_KEY = "annotation-key"
# The comments that may carry an annotation (not a directive, which the toolchain reads, nor an
# example's output, which follows what the code prints)
_ANNOTATED = frozenset({roles.COMMENT, roles.DOC_COMMENT, roles.TEMPLATE_COMMENT,
                        roles.CONFIG_COMMENT, roles.TS_COMMENT, roles.SQL_COMMENT,
                        roles.PROTO_COMMENT})


def follow_annotation_keys(rows: list[dict[str, Any]], results: list[Decision],
                           sources: _Sources, renaming: frozenset[str]) -> None:
    """Decide the comments' annotation keys by the code's strings that look for them (see the
    module doc). ``renaming``: the decisions that rename; ``results`` is changed in place."""
    from .decisions import Decision

    keys: dict[tuple[str, str], list[int]] = {}  # (root, word) -> the strings spelling `word:`
    for i, row in enumerate(rows):
        if row.get("role") == roles.STRING and row_value(row, "language") == "go" and \
                not row_flag(row, "is_test") and _looks_for_key(sources, row):
            keys.setdefault((row_value(row, "root"), row_value(row, "text")), []).append(i)
    if not keys:
        return  # (the usual case: no code looks for an annotation)
    for i, row in enumerate(rows):
        role = row_value(row, "role")
        if role not in _ANNOTATED or \
                results[i].decided_by not in (f"builtin:{role}", f"default:{role}"):
            continue
        found = keys.get((row_value(row, "root"), row_value(row, "text")))
        if not found or not _before_colon(sources, row):
            continue
        text = row_value(row, "text")
        where = ", ".join(f"{row_value(rows[j], 'path')}:{rows[j].get('line', '?')}"
                          for j in found[:3]) + (", ..." if len(found) > 3 else "")
        outcomes = {(results[j].decision in renaming, results[j].target) for j in found}
        why = (f"the key {text + ':'!r} of an annotation, which the code looks for with the "
               f"string{'s' if len(found) > 1 else ''} at {where}")
        if len(outcomes) == 1 and next(iter(outcomes))[0]:
            target = next(iter(outcomes))[1]
            results[i] = Decision("rename", f"{why}: renamed with {'them' if len(found) > 1 else 'it'}"
                                  f" to {target}", ANNOTATION_KEY, target)
        elif all(results[j].decision == "keep" for j in found):
            results[i] = Decision("keep", f"{why}: kept with {'them' if len(found) > 1 else 'it'}",
                                  ANNOTATION_KEY, text)
        else:
            results[i] = Decision("review", f"{why}, which {'are' if len(found) > 1 else 'is'} "
                                  "not decided as one renamed name or kept: decide the "
                                  "annotation with the code's pattern (an override)",
                                  ANNOTATION_KEY, text)


def _before_colon(sources: _Sources, row: dict[str, Any]) -> bool:
    span = sources.span(row)
    return span is not None and span[0][span[2] : span[2] + 1] == b":"


# A call that looks for a text in another, its string argument next: a pattern compiled, a
# prefix cut or tested, a part searched (`strings.CutPrefix(line, ` before "# layout:")
_LOOKS_FOR = re.compile(
    rb"(?:regexp\.(?:Must)?Compile(?:POSIX)?|(?:strings|bytes)\.(?:HasPrefix|HasSuffix|"
    rb"CutPrefix|CutSuffix|TrimPrefix|TrimSuffix|Cut|Contains|Index|LastIndex|Split|SplitN|"
    rb"SplitAfter|Count))\((?:[^()\n]*,\s*)?$")


def _looks_for_key(sources: _Sources, row: dict[str, Any]) -> bool:
    """Whether a Go string row spells its word directly followed by a colon in a literal that
    code of the program looks for in a text (see :data:`_LOOKS_FOR`)."""
    from .decisions import _literal_around

    span = sources.span(row)
    if span is None or span[0][span[2] : span[2] + 1] != b":":
        return False
    found = _literal_around(*span)
    if found is None:
        return False
    data, offset = span[0], found[0]
    return _LOOKS_FOR.search(data, data.rfind(b"\n", 0, offset) + 1, offset) is not None
