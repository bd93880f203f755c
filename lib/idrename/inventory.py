"""The inventory: every family occurrence under one or more roots, as a pandas DataFrame.

Columns (one row per occurrence, sorted by root, path and byte offset):

=====================  ==========================================================================
id                     stable id: a hash of root, path, enclosing symbol, role, text and the
                       ordinal among equal keys in the file, so unrelated edits elsewhere in the
                       file leave it unchanged
root                   the root's label (its folder name, made unique)
path                   path relative to the root, with ``/``
line, column           1-based start; column in bytes
end_line, end_column   1-based end; end_column exclusive
start_byte, end_byte   byte range of the token in the file
language               go, typescript, tsx, javascript, proto, sql, markdown, yaml, json
role                   see :mod:`idrename.roles`
text                   the whole token (``FindConversationByRunID``, ``run_id``)
symbol                 enclosing declaration (``ConvManager.FindConversationByRunID``)
owner                  struct/interface declaring a field or method; a literal's type
package                Go package name
detail                 role-specific: tag key and options, log method, SQL verb, package qualifier
is_test, is_generated  the file is a test / carries ``// Code generated ... DO NOT EDIT.``
wire                   the name leaves the process (tag, log key, map key, query, header, SQL, ...)
declared_in_module     an identifier whose name is declared in the analysed roots (names used only
                       on external types, such as ``md.RunID`` on geppetto's ``EventMetadata``
                       through a qualified literal, are False); always False for strings and
                       comments. Syntax only: a selector is judged by its name.
section                the policy's path-prefix grouping (the seed's sections for the fixture)
parse_error            the file did not parse cleanly (its rows have role ``unparsed``)
=====================  ==========================================================================
"""

from __future__ import annotations

import hashlib
import os
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import Executor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from . import roles as R
from .occurrence import Occurrence
from .spec import Spec

if TYPE_CHECKING:
    import pandas as pd

COLUMNS = [
    "id", "root", "path", "line", "column", "end_line", "end_column", "start_byte", "end_byte",
    "language", "role", "text", "symbol", "owner", "package", "detail", "is_test",
    "is_generated", "wire", "declared_in_module", "section", "parse_error",
]
RELATED_COLUMNS = ["text", "count", "files", "first"]
DEFAULT_SKIP = frozenset({".git", "vendor", "node_modules", ".hg", ".svn", "__pycache__"})
GO_EXTENSIONS = (".go",)
_QUALIFIED_ROLES = frozenset(
    {R.SELECTOR, R.METHOD_CALL, R.COMPOSITE_KEY, R.FUNC_CALL, R.PACKAGE_USE, R.TYPE_USE}
)


class InputError(ValueError):
    """Unusable input (a root that does not exist, overlapping roots): one sentence."""


@dataclass(frozen=True)
class FileIssue:
    """A file the inventory could not read as asked, and what to do about it."""

    root: str
    path: str
    kind: str  # syntax_error, not_utf8, binary, unreadable, symlink_outside, symlink_inside
    message: str


@dataclass
class FileResult:
    """What scanning one file yields (picklable, so it can come back from another process)."""

    root: str
    path: str
    occurrences: list[Occurrence] = field(default_factory=list)
    related: list[tuple[str, int, int, str]] = field(default_factory=list)
    issues: list[FileIssue] = field(default_factory=list)
    package: str = ""


@dataclass
class Inventory:
    """The inventory's tables and the files it had something to say about."""

    frame: pd.DataFrame
    related: pd.DataFrame
    issues: list[FileIssue]
    files_scanned: int
    files_matched: int
    roots: dict[str, Path]

    def summary(self) -> str:
        return (
            f"{len(self.frame)} occurrences in {self.files_matched} of {self.files_scanned} files "
            f"under {len(self.roots)} root(s); {len(self.issues)} file issue(s)"
        )


# -- roots and files ---------------------------------------------------------------------------
def resolve_roots(roots: Sequence[str | os.PathLike[str]]) -> dict[str, Path]:
    """Label -> absolute path, checked: each exists, is a folder, and no two overlap."""
    if not roots:
        raise InputError("no root given: name at least one folder to analyse")
    resolved: list[Path] = []
    for root in roots:
        path = Path(root)
        if not path.exists():
            raise InputError(f"the root {root} does not exist: give the folder of a Go tree")
        if not path.is_dir():
            raise InputError(f"the root {root} is a file, not a folder: give the folder it is in")
        resolved.append(path.resolve())
    for i, a in enumerate(resolved):
        for b in resolved[i + 1 :]:
            if a == b or a in b.parents or b in a.parents:
                raise InputError(
                    f"the roots {a} and {b} overlap: give each tree once (files would be counted twice)"
                )
    labels: dict[str, Path] = {}
    for path in resolved:
        label = path.name or str(path)
        parent = path.parent
        while label in labels:
            label = f"{parent.name}/{label}"
            parent = parent.parent
        labels[label] = path
    return labels


def supported_extensions() -> tuple[str, ...]:
    from .consumers import CONSUMER_EXTENSIONS

    return GO_EXTENSIONS + tuple(CONSUMER_EXTENSIONS)


def walk_files(
    label: str, root: Path, skip: Iterable[str] = DEFAULT_SKIP
) -> tuple[list[str], list[FileIssue]]:
    """Relative paths of the files to scan under ``root`` (sorted), and the links not followed."""
    skip = set(skip)
    extensions = supported_extensions()
    files: list[str] = []
    issues: list[FileIssue] = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if d not in skip)
        base = Path(dirpath)
        for d in dirnames:
            if (base / d).is_symlink():
                rel = (base / d).relative_to(root).as_posix()
                issues.append(_link_issue(label, root, base / d, rel, folder=True))
        for name in filenames:
            if not name.endswith(extensions):
                continue
            full = base / name
            rel = full.relative_to(root).as_posix()
            if full.is_symlink():
                issues.append(_link_issue(label, root, full, rel, folder=False))
                continue
            files.append(rel)
    return sorted(files), issues


def _link_issue(label: str, root: Path, full: Path, rel: str, *, folder: bool) -> FileIssue:
    what = "folder" if folder else "file"
    try:
        target = full.resolve(strict=True)
    except (OSError, RuntimeError):
        return FileIssue(label, rel, "symlink_broken",
                         f"{rel}: a symbolic link that is broken or loops; not read. Fix or remove it.")
    if root != target and root not in target.parents:
        return FileIssue(
            label, rel, "symlink_outside",
            f"{rel}: a symbolic link to a {what} outside the root ({target}); not read and never "
            "written. Add that tree as a root of its own if it belongs to the rename.",
        )
    return FileIssue(
        label, rel, "symlink_inside",
        f"{rel}: a symbolic link to {target.relative_to(root).as_posix()} inside the root; the "
        "target is scanned once under its own path.",
    )


def scan_file(label: str, root: str, rel: str, spec: Spec) -> FileResult:
    """Scan one file (the unit of work that executors run)."""
    result = FileResult(label, rel)
    full = os.path.join(root, rel)
    try:
        with open(full, "rb") as fh:
            data = fh.read()
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        message = f"{rel}: cannot be read ({reason}); fix its permissions and run again."
        result.issues.append(FileIssue(label, rel, "unreadable", message))
        return result
    if not spec.pattern.search(data):
        return result
    if rel.endswith(GO_EXTENSIONS):
        _scan_go_file(result, rel, data, spec)
    else:
        from .consumers import scan_file as scan_consumer

        result.occurrences = scan_consumer(rel, data, spec)
    return result


def _scan_go_file(result: FileResult, rel: str, data: bytes, spec: Spec) -> None:
    from .gosyntax import scan_go

    if b"\x00" in data:
        result.issues.append(FileIssue(result.root, rel, "binary",
                                       f"{rel}: holds NUL bytes, so it is not Go source; not scanned. "
                                       "Rename it if it is not meant to be a .go file."))
        return
    try:
        data.decode("utf-8")
        utf8 = True
    except UnicodeDecodeError as exc:
        utf8 = False
        line = data.count(b"\n", 0, exc.start) + 1
        result.issues.append(FileIssue(
            result.root, rel, "not_utf8",
            f"{rel}: is not valid UTF-8 (line {line}); Go source must be UTF-8. Its occurrences "
            "are listed as unparsed and will not be edited; re-encode the file to UTF-8.",
        ))
    scan = scan_go(rel, data, spec)
    result.package = scan.package
    result.related = scan.related
    occurrences = scan.occurrences
    if not utf8:
        occurrences = [
            o if o.role == R.UNPARSED else _as_unparsed(o, "not UTF-8") for o in occurrences
        ]
    if scan.syntax_errors:
        where = ", ".join(f"{line}:{col}" for line, col in scan.syntax_errors[:3])
        result.issues.append(FileIssue(
            result.root, rel, "syntax_error",
            f"{rel}: has syntax errors (at {where}); its {len(occurrences)} occurrence(s) are "
            "listed as unparsed and will not be edited. Fix the file and run again.",
        ))
    result.occurrences = occurrences


def _as_unparsed(o: Occurrence, why: str) -> Occurrence:
    values = asdict(o)
    values.update(role=R.UNPARSED, detail=f"{o.role} ({why})", parse_error=True)
    return Occurrence(**values)


# -- the table ---------------------------------------------------------------------------------
def section_of(path: str, root: str, sections: Mapping[str, str]) -> str:
    """The section of a path: the longest matching prefix (of ``path`` or ``root/path``)."""
    best, best_len = "other", -1
    for prefix, name in sections.items():
        for candidate in (path, f"{root}/{path}"):
            if candidate.startswith(prefix) and len(prefix) > best_len:
                best, best_len = name, len(prefix)
    return best


def stable_ids(rows: list[dict[str, object]]) -> list[str]:
    """Ids that survive edits elsewhere in the file: (root, path, symbol, role, text, ordinal)."""
    counter: Counter[tuple[object, ...]] = Counter()
    ids = []
    for row in rows:
        key = (row["root"], row["path"], row["symbol"], row["role"], row["text"])
        ordinal = counter[key]
        counter[key] += 1
        raw = "\x1f".join(str(k) for k in (*key, ordinal)).encode()
        ids.append(hashlib.sha1(raw).hexdigest()[:12])
    return ids


def _is_wire(o: Occurrence) -> bool:
    if o.role == R.STRUCT_TAG:
        return o.detail.split(":", 1)[0] in R.WIRE_TAG_KEYS
    return o.role in R.WIRE_ROLES


def build_frame(results: Sequence[FileResult], sections: Mapping[str, str]) -> pd.DataFrame:
    import pandas as pd

    declared: set[str] = set()
    packages: set[str] = set()
    for res in results:
        if res.package:
            packages.add(res.package)
        for o in res.occurrences:
            if o.role in R.DECLARATION_ROLES and o.language == "go":
                declared.add(o.text)
    rows: list[dict[str, object]] = []
    for res in sorted(results, key=lambda r: (r.root, r.path)):
        for o in sorted(res.occurrences, key=lambda o: o.start_byte):
            row = asdict(o)
            row["root"] = res.root
            row["wire"] = _is_wire(o)
            row["declared_in_module"] = _declared_in_module(o, declared, packages)
            row["section"] = section_of(o.path, res.root, sections)
            rows.append(row)
    ids = stable_ids(rows)
    for row, ident in zip(rows, ids, strict=True):
        row["id"] = ident
    frame = pd.DataFrame(rows, columns=COLUMNS)
    for col in ("line", "column", "end_line", "end_column", "start_byte", "end_byte"):
        frame[col] = frame[col].astype("int64")
    for col in ("is_test", "is_generated", "wire", "declared_in_module", "parse_error"):
        frame[col] = frame[col].astype(bool)
    return frame


def _declared_in_module(o: Occurrence, declared: set[str], packages: set[str]) -> bool:
    if o.language != "go" or o.role not in R.GO_IDENTIFIER_ROLES:
        return False
    if o.role not in _QUALIFIED_ROLES:
        return True
    qualifier = o.detail if o.role in (R.FUNC_CALL, R.PACKAGE_USE) else ""
    if o.role == R.COMPOSITE_KEY and "." in o.owner:
        qualifier = o.owner.lstrip("&*[]").split(".", 1)[0]
    if qualifier and qualifier not in packages:
        return False
    return o.text in declared


def build_related(results: Sequence[FileResult]) -> pd.DataFrame:
    import pandas as pd

    counts: Counter[str] = Counter()
    files: dict[str, set[str]] = {}
    first: dict[str, str] = {}
    for res in sorted(results, key=lambda r: (r.root, r.path)):
        for token, line, _col, _kind in res.related:
            counts[token] += 1
            files.setdefault(token, set()).add(f"{res.root}/{res.path}")
            first.setdefault(token, f"{res.root}/{res.path}:{line}")
    rows = [
        {"text": t, "count": counts[t], "files": len(files[t]), "first": first[t]}
        for t in sorted(counts, key=lambda t: (-counts[t], t))
    ]
    return pd.DataFrame(rows, columns=RELATED_COLUMNS)


# -- entry points ------------------------------------------------------------------------------
def scan(
    roots: Sequence[str | os.PathLike[str]],
    spec: Spec,
    *,
    sections: Mapping[str, str] | None = None,
    skip: Iterable[str] = DEFAULT_SKIP,
    executor: Executor | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Inventory:
    """Scan every supported file under ``roots`` for the family of ``spec``.

    ``executor`` runs the per-file work (any :class:`concurrent.futures.Executor`, a Dask
    ``distributed`` client's executor included); without one the files are scanned here.
    """
    labelled = resolve_roots(roots)
    issues: list[FileIssue] = []
    jobs: list[tuple[str, str, str]] = []
    for label, path in labelled.items():
        files, link_issues = walk_files(label, path, skip)
        issues.extend(link_issues)
        jobs.extend((label, str(path), rel) for rel in files)
    results: list[FileResult] = []
    total = len(jobs)
    if executor is None:
        for i, (label, root, rel) in enumerate(jobs, 1):
            results.append(scan_file(label, root, rel, spec))
            if progress:
                progress(i, total)
    else:
        chunk = max(1, min(64, total // 16 or 1))
        batches = [jobs[i : i + chunk] for i in range(0, total, chunk)]
        done = 0
        for batch_result in executor.map(_scan_batch, batches, [spec] * len(batches)):
            results.extend(batch_result)
            done += len(batch_result)
            if progress:
                progress(done, total)
    for res in results:
        issues.extend(res.issues)
    frame = build_frame(results, sections or {})
    return Inventory(
        frame=frame,
        related=build_related(results),
        issues=sorted(issues, key=lambda i: (i.root, i.path, i.kind)),
        files_scanned=total,
        files_matched=sum(1 for r in results if r.occurrences),
        roots=labelled,
    )


def _scan_batch(batch: list[tuple[str, str, str]], spec: Spec) -> list[FileResult]:
    return [scan_file(label, root, rel, spec) for label, root, rel in batch]


def inventory(
    roots: Sequence[str | os.PathLike[str]] | str | os.PathLike[str],
    spec: Spec,
    **kwargs: object,
) -> pd.DataFrame:
    """The inventory as a DataFrame (``frame.attrs["issues"]`` lists the file issues)."""
    if isinstance(roots, (str, os.PathLike)):
        roots = [roots]
    inv = scan(roots, spec, **kwargs)  # type: ignore[arg-type]
    inv.frame.attrs["issues"] = [asdict(i) for i in inv.issues]
    return inv.frame
