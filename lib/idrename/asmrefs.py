"""Go names that assembly spells. A package's ``.s`` files are not Go, so the inventory neither
reads nor edits them, and the build still links them by name. Two findings, both seen on Go's own
``src``:

- :func:`asm_references` (``asm_reference``, error): a ``.s`` file of the package of a renamed
  declaration spells its old name: a func or var as a symbol (``TEXT ·name(SB)``, ``CALL
  ·name(SB)``), a method as ``.name(SB)``, or, through the ``go_asm.h`` the toolchain generates
  for the package, a const as ``const_name``, a type as ``type__size`` or ``type_field``, a
  struct field as ``type_field`` (``runtime/asm_amd64.s`` reads ``p_wbBuf+wbBuf_next``).
- :func:`renamed_without_body` (``no_body``, warning): a func declared without a body is
  renamed anyway (an override): its code is elsewhere, in a ``.s`` file or behind a
  ``//go:linkname``, under the old name. (By default it is kept: see
  :mod:`idrename.decisions`.)

The ``.s`` files are read on every plan, like the skipped folders of :mod:`idrename.skipped`:
the digests the stage memos are keyed by leave them out. Only the folders where the plan renames
a Go declaration are listed, and only their own ``.s`` files (``go_asm.h`` is per package).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import roles as R
from .checks import ERROR, WARNING, Conflict, renamed_go_rows
from .policy import row_value

if TYPE_CHECKING:
    import pandas as pd

KIND = "asm_reference"
NO_BODY_KIND = "no_body"
_LISTED = 3  # the .s places a finding names
_COLUMNS = ("id", "root", "path", "line", "role", "text", "target", "decision", "language",
            "owner", "detail", "is_generated")
_NOT_BEFORE = r"(?<![\w·])"  # not inside a longer name, nor after the package separator
_NOT_AFTER = r"(?!\w)"


def assembly_conflicts(decided: pd.DataFrame, roots: Mapping[str, Path]) -> list[Conflict]:
    """:func:`asm_references`, and :func:`renamed_without_body` for the declarations that no
    ``.s`` file names (the error says more)."""
    found = asm_references(decided, roots)
    named = {i for c in found for i in c.ids}
    return found + [c for c in renamed_without_body(decided, roots) if not named & set(c.ids)]


def asm_references(decided: pd.DataFrame, roots: Mapping[str, Path]) -> list[Conflict]:
    """One error per renamed Go declaration whose old name a ``.s`` file of its folder spells
    (see the module doc), naming the first places."""
    by_folder: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for row in _renamed_declarations(decided, roots):
        folder = row_value(row, "path").rpartition("/")[0]
        by_folder.setdefault((row_value(row, "root"), folder), []).append(row)
    found = []
    for (label, folder), rows in sorted(by_folder.items()):
        sources = _asm_files(roots[label] / folder)
        for row in rows if sources else []:
            places = _spelled(_pattern(row), sources, f"{label}/{folder}".rstrip("/"))
            if places:
                found.append(_reference(row, places))
    return found


def renamed_without_body(decided: pd.DataFrame, roots: Mapping[str, Path]) -> list[Conflict]:
    """One warning per func declared without a body (:data:`roles.NO_BODY`) that the plan
    renames."""
    out = []
    for row in _renamed_declarations(decided, roots):
        if row_value(row, "role") == R.FUNC_DECL and row_value(row, "detail") == R.NO_BODY:
            where = _where(row)
            out.append(Conflict(
                NO_BODY_KIND, WARNING,
                f"{row_value(row, 'text')} at {where} is declared without a body and renamed to "
                f"{row_value(row, 'target')}: its code is in a .s file of the package or linked "
                "by a directive (//go:linkname), under the old name; rename it there too, or "
                "keep the name",
                _path(row), int(row["line"]), "", [row_value(row, "id")],
            ))
    return out


def _renamed_declarations(decided: pd.DataFrame, roots: Mapping[str, Path]
                          ) -> list[dict[str, Any]]:
    """The Go declarations (hand-written, in ``roots``) the plan renames, in order."""
    return renamed_go_rows(decided, roots, R.DECLARATION_ROLES, _COLUMNS)


def _pattern(row: Mapping[str, Any]) -> re.Pattern[str] | None:
    """How assembly spells the old name of a declaration (None when it cannot)."""
    role, name = row_value(row, "role"), re.escape(row_value(row, "text"))
    if role in (R.FUNC_DECL, R.VAR_DECL):
        return re.compile(rf"·{name}{_NOT_AFTER}")
    if role == R.METHOD_DECL:
        return re.compile(rf"[·.]{name}\(SB\)")
    if role == R.CONST_DECL:
        return re.compile(rf"{_NOT_BEFORE}const_{name}{_NOT_AFTER}")
    if role == R.TYPE_DECL:
        return re.compile(rf"{_NOT_BEFORE}{name}_\w")
    owner = row_value(row, "owner").lstrip("*")
    if role == R.FIELD_DECL and owner.isidentifier():
        return re.compile(rf"{_NOT_BEFORE}{re.escape(owner)}_{name}{_NOT_AFTER}")
    return None


def _asm_files(folder: Path) -> list[tuple[str, list[str]]]:
    """The ``.s`` files of one folder (not of its subfolders), sorted, with their lines."""
    try:
        names = sorted(p.name for p in folder.iterdir()
                       if p.suffix == ".s" and p.is_file() and not p.is_symlink())
    except OSError:
        return []
    out = []
    for name in names:
        try:
            text = (folder / name).read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        out.append((name, text.splitlines()))
    return out


def _spelled(pattern: re.Pattern[str] | None, sources: Iterable[tuple[str, list[str]]],
             folder: str) -> list[str]:
    """``folder/file.s:line`` of each line of ``sources`` that ``pattern`` finds, in order."""
    if pattern is None:
        return []
    return [f"{folder}/{name}:{n}" for name, lines in sources
            for n, line in enumerate(lines, 1) if pattern.search(_code(line))]


def _code(line: str) -> str:
    """An assembly line without its ``//`` comment (a comment may spell anything)."""
    return line.split("//", 1)[0]


def _reference(row: Mapping[str, Any], places: list[str]) -> Conflict:
    more = f" (and {len(places) - _LISTED} more)" if len(places) > _LISTED else ""
    return Conflict(
        KIND, ERROR,
        f"{row_value(row, 'text')} at {_where(row)} would be renamed to "
        f"{row_value(row, 'target')}, and assembly of its package spells the old name at "
        f"{', '.join(places[:_LISTED])}{more}: the build breaks; keep the name (a [[rule]] or "
        "an [[override]]), or rename it in those .s files by hand",
        _path(row), int(row["line"]), places[0], [row_value(row, "id")],
    )


def _where(row: Mapping[str, Any]) -> str:
    return f"{_path(row)}:{int(row['line'])}"


def _path(row: Mapping[str, Any]) -> str:
    return f"{row_value(row, 'root')}/{row_value(row, 'path')}"
