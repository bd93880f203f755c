"""Go code in the folders the policy skips (``vendor/`` by default) is never inventoried nor
edited. When such code imports a package whose exported names the plan renames, and spells one
of them, the build will likely break after the patch. Go's own ``src`` is the common case: its
vendored ``golang.org/x/net`` calls ``net.PacketConn.ReadFrom``.

:func:`skipped_uses` reports each such file once, as a ``skipped_use`` warning. It reads the
skipped folders on every plan (the stage memos do not cover them), but only the Go files that
spell a renamed name, and only when something exported is renamed.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from . import roles as R
from .checks import RENAMING, WARNING, Conflict
from .policy import flag_value, row_value
from .records import records

if TYPE_CHECKING:
    import pandas as pd

KIND = "skipped_use"
_IMPORT_BLOCK = re.compile(rb"^import\s*\((.*?)\)", re.DOTALL | re.MULTILINE)
_IMPORT_LINE = re.compile(rb"^import\s+(?:[\w.]+\s+)?\"([^\"]+)\"", re.MULTILINE)
_QUOTED = re.compile(rb"\"([^\"]+)\"")


def skipped_uses(decided: pd.DataFrame, roots: Mapping[str, Path],
                 skip: Iterable[str]) -> list[Conflict]:
    """One warning per Go file under a skipped folder of ``roots`` that imports a package in
    which the plan renames an exported name, and spells that name."""
    renamed = _renamed_exports(decided, roots)
    if not renamed:
        return []
    from .gosymbols import SymbolIndex

    skipped = set(skip)
    found: list[Conflict] = []
    for label, root in sorted(roots.items()):
        in_root = {d: names for (lbl, d), names in renamed.items() if lbl == label}
        if not in_root:
            continue
        folders = _skipped_folders(root, skipped)
        if not folders:
            continue
        index = SymbolIndex({label: root})
        by_import = {path: names for d, names in in_root.items()
                     if (path := index.import_path(label, d))}
        if by_import:
            for folder in folders:
                found += _uses_in(label, root, folder, by_import)
    return found


def _renamed_exports(decided: pd.DataFrame, roots: Mapping[str, Path]
                     ) -> dict[tuple[str, str], dict[str, str]]:
    """(root, folder) -> {exported name: new name} of the declarations the plan renames."""
    needed = ["root", "path", "role", "text", "target", "decision", "language", "is_test"]
    if decided.empty or any(c not in decided.columns for c in needed):
        return {}
    out: dict[tuple[str, str], dict[str, str]] = {}
    for row in records(decided[needed]):
        text, target = row_value(row, "text"), row_value(row, "target")
        if (row_value(row, "role") in R.DECLARATION_ROLES and text[:1].isupper()
                and row_value(row, "decision") in RENAMING and target and target != text
                and row_value(row, "language") in ("go", "") and not flag_value(row["is_test"])
                and row_value(row, "root") in roots):
            folder = row_value(row, "path").rpartition("/")[0]
            out.setdefault((row_value(row, "root"), folder), {})[text] = target
    return out


def _skipped_folders(root: Path, skipped: set[str]) -> list[Path]:
    """The folders under ``root`` that the skip list names (not those inside them), but for the
    ones that hold no Go code to build: hidden ones (``.git``) and ``node_modules``."""
    folders = []
    for dirpath, dirnames, _files in os.walk(root):
        for name in sorted(dirnames):
            if name in skipped and not name.startswith(".") and name != "node_modules":
                folders.append(Path(dirpath) / name)
        dirnames[:] = sorted(d for d in dirnames if d not in skipped)
    return folders


def _uses_in(label: str, root: Path, folder: Path,
             by_import: Mapping[str, Mapping[str, str]]) -> list[Conflict]:
    words = sorted({name for names in by_import.values() for name in names})
    spelled = re.compile(rb"\b(?:" + b"|".join(re.escape(w.encode()) for w in words) + rb")\b")
    found = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames.sort()
        for name in sorted(filenames):
            full = Path(dirpath) / name
            if not name.endswith(".go") or full.is_symlink():
                continue
            try:
                data = full.read_bytes()
            except OSError:
                continue
            if spelled.search(data) is None:
                continue
            conflict = _file_use(label, root, full, data, by_import, folder.name)
            if conflict is not None:
                found.append(conflict)
    return found


def _file_use(label: str, root: Path, full: Path, data: bytes,
              by_import: Mapping[str, Mapping[str, str]], folder: str) -> Conflict | None:
    imports = {m.decode("utf-8", "replace") for block in _IMPORT_BLOCK.findall(data)
               for m in _QUOTED.findall(block)}
    imports |= {m.decode("utf-8", "replace") for m in _IMPORT_LINE.findall(data)}
    uses: dict[str, tuple[int, str, str]] = {}  # name -> (first line, import path, new name)
    for path in sorted(imports & set(by_import)):
        for old, new in sorted(by_import[path].items()):
            m = re.search(rb"\b" + re.escape(old.encode()) + rb"\b", data)
            if m is not None and old not in uses:
                uses[old] = (data.count(b"\n", 0, m.start()) + 1, path, new)
    if not uses:
        return None
    rel = full.relative_to(root).as_posix()
    line = min(line for line, _path, _new in uses.values())
    names = ", ".join(f"{old} ({path}, renamed to {new})"
                      for old, (_line, path, new) in sorted(uses.items()))
    return Conflict(
        KIND, WARNING,
        f"{label}/{rel}:{line} is under {folder}/, which the policy skips (never edited), and "
        f"it spells {names}: if it uses those names, the build breaks after the patch; edit it by hand "
        "(or update what it vendors), or keep those names",
        f"{label}/{rel}", line,
    )
