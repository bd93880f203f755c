"""Go code in the folders the policy skips (``vendor/`` by default) is never inventoried nor
edited, and the build still reads it. Two things follow, both seen on Go's own ``src``:

- :func:`skipped_uses`: code there that imports a package whose exported names the plan renames,
  and spells one of them, will likely break after the patch (the vendored ``golang.org/x/net``
  calls ``net.PacketConn.ReadFrom``). Each such file gets one ``skipped_use`` warning.
- :func:`keep_skipped_members`: a field or method that only code there declares (the vendored
  ``cryptobyte.String.PeekASN1Tag``) keeps its name, so its uses in the roots are kept too.

Both read the skipped folders on every plan (the digests the stage memos are keyed by leave them
out), found once by :func:`skipped_folders`, and only the Go files that spell a name in question.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from . import roles as R
from .checks import RENAMING, WARNING, Conflict
from .outside import DECIDED_BY as OUTSIDE
from .outside import import_paths, members_declared
from .policy import flag_value, row_value
from .records import records

if TYPE_CHECKING:
    import pandas as pd

KIND = "skipped_use"


def skipped_folders(roots: Mapping[str, Path], skip: Iterable[str]) -> dict[str, list[Path]]:
    """Each root's folders that the skip list names (not those inside them), but for the ones
    that hold no Go code to build: hidden ones (``.git``) and ``node_modules``."""
    skipped = set(skip)
    out: dict[str, list[Path]] = {}
    for label, root in sorted(roots.items()):
        folders = out[label] = []
        for dirpath, dirnames, _files in os.walk(root):
            for name in sorted(dirnames):
                if name in skipped and not name.startswith(".") and name != "node_modules":
                    folders.append(Path(dirpath) / name)
            dirnames[:] = sorted(d for d in dirnames if d not in skipped)
    return out


def skipped_uses(decided: pd.DataFrame, roots: Mapping[str, Path],
                 folders: Mapping[str, list[Path]]) -> list[Conflict]:
    """One warning per Go file under the skipped ``folders`` of ``roots`` (see
    :func:`skipped_folders`) that imports a package in which the plan renames an exported name,
    and spells that name."""
    if not any(folders.values()):
        return []
    renamed = _renamed_exports(decided, roots)
    if not renamed:
        return []
    from .gosymbols import SymbolIndex

    found: list[Conflict] = []
    for label, root in sorted(roots.items()):
        in_root = {d: names for (lbl, d), names in renamed.items() if lbl == label}
        if not in_root or not folders.get(label):
            continue
        index = SymbolIndex({label: root})
        by_import = {path: names for d, names in in_root.items()
                     if (path := index.import_path(label, d))}
        if by_import:
            for folder in folders[label]:
                found += _uses_in(label, root, folder, by_import)
    return found


SKIPPED_RATIONALE = ("a field or method declared only in {where}, under a folder the policy skips "
                     "(never edited), where it keeps this name")


def keep_skipped_members(decided: pd.DataFrame, roots: Mapping[str, Path],
                         folders: Mapping[str, list[Path]]) -> pd.DataFrame:
    """``decided`` with the member uses it renames (``x.Name``, ``T{Name: v}``), or keeps as
    declared outside the roots (:mod:`idrename.outside`), whose name is declared nowhere in the
    roots but as a field or method in Go code under the skipped ``folders`` (see
    :func:`skipped_folders`), decided ``keep`` (``decided_by`` ``declared-in-skipped``, whose
    rationale names the file). Returns ``decided`` itself when nothing changes."""
    needed = ["root", "role", "text", "decision", "declared_in_module", "language"]
    if (decided.empty or not any(folders.values())
            or any(c not in decided.columns for c in needed)):
        return decided
    role, decision = decided["role"].tolist(), decided["decision"].tolist()
    decided_by = decided["decided_by"].tolist() if "decided_by" in decided.columns \
        else [""] * len(decided)
    text, declared = decided["text"].tolist(), decided["declared_in_module"].tolist()
    label, language = decided["root"].tolist(), decided["language"].tolist()
    candidates = [i for i in range(len(decided))
                  if role[i] in R.MEMBER_USE_ROLES
                  and (decision[i] in RENAMING or decided_by[i] == OUTSIDE)
                  and not flag_value(declared[i]) and language[i] in ("go", "")
                  and label[i] in roots]
    if not candidates:
        return decided
    where: dict[tuple[str, str], str] = {}  # (root, name) -> the skipped file declaring it
    for name in sorted(roots):
        names = sorted({text[i] for i in candidates if label[i] == name})
        for folder in folders.get(name, []) if names else []:
            for full, data in _go_files_spelling(folder, names):
                rel = f"{name}/{full.relative_to(roots[name]).as_posix()}"
                for member in members_declared(data, names):
                    where.setdefault((name, member), rel)
    kept = [i for i in candidates if (label[i], text[i]) in where]
    if not kept:
        return decided
    out = decided.copy()
    for i in kept:
        at = out.index[i]
        out.at[at, "decision"] = "keep"
        out.at[at, "target"] = text[i]
        out.at[at, "decided_by"] = "declared-in-skipped"
        out.at[at, "rationale"] = SKIPPED_RATIONALE.format(where=where[(label[i], text[i])])
    return out


def _go_files_spelling(folder: Path, names: Iterable[str]) -> Iterator[tuple[Path, bytes]]:
    """The regular Go files under ``folder`` (in order) that spell one of ``names``, with their
    bytes."""
    spelled = re.compile(rb"\b(?:" + b"|".join(re.escape(n.encode()) for n in names) + rb")\b")
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
            if spelled.search(data) is not None:
                yield full, data


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


def _uses_in(label: str, root: Path, folder: Path,
             by_import: Mapping[str, Mapping[str, str]]) -> list[Conflict]:
    words = sorted({name for names in by_import.values() for name in names})
    found = []
    for full, data in _go_files_spelling(folder, words):
        conflict = _file_use(label, root, full, data, by_import, folder.name)
        if conflict is not None:
            found.append(conflict)
    return found


def _file_use(label: str, root: Path, full: Path, data: bytes,
              by_import: Mapping[str, Mapping[str, str]], folder: str) -> Conflict | None:
    imports = import_paths(data)
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
        f"it spells {names}: if it uses those names, the build breaks after the patch; edit it "
        "by hand (or update what it vendors), or keep those names",
        f"{label}/{rel}", line,
    )
