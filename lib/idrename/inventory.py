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
declared_in_module     an identifier whose name is declared in the analysed roots as what the use
                       can name (a selector or method call by a field or method; ``pkg.Name`` by a
                       package-level name of a package of the roots, so names used only on
                       external types, such as ``RunID`` in geppetto's ``events.EventMetadata{RunID:
                       x}``, are False); always False for strings and comments. Syntax only: a
                       selector is judged by its name. The decisions keep such uses unless the
                       package they come from has the new name already (:mod:`idrename.outside`)
section                the policy's path-prefix grouping (the seed's sections for the fixture)
parse_error            the file did not parse cleanly (its rows have role ``unparsed``)
=====================  ==========================================================================

How a scan runs: this process walks the roots and reads every file; a file that the family's
prefilter (one regular expression) does not match is never parsed. The others are looked up in
the per-file result cache (:mod:`idrename.cache`, content-hashed) and the rest are parsed, by the
caller's executor, by a process pool of our own on trees of more than ``PARALLEL_MIN_FILES``
files, or here. The table is the same whichever way the work ran. pandas and tree-sitter are
imported only when needed (the table, a file to parse).
"""

from __future__ import annotations

import contextlib
import hashlib
import operator
import os
import re
import stat
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field, fields
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import roles as R
from .collector import with_fewer_collections
from .gosyntax import literal_qualifier
from .occurrence import Occurrence
from .spec import Spec

if TYPE_CHECKING:
    from concurrent.futures import Executor, Future

    import pandas as pd

    from .cache import ResultCache, RootIndex

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
_OCCURRENCE_FIELDS = tuple(f.name for f in fields(Occurrence))

# Without an executor, a tree of more than PARALLEL_MIN_FILES files is scanned by a process pool
# (one worker per core), started once POOL_MIN_PENDING files need parsing (a warm re-run with a
# few edited files never pays for it). Work goes out in batches of BATCH files.
PARALLEL_MIN_FILES = 200
POOL_MIN_PENDING = 48
BATCH = 24


class InputError(ValueError):
    """Unusable input (a root that does not exist, overlapping roots): one sentence."""


@dataclass(frozen=True)
class FileIssue:
    """A file the inventory could not read as asked, and what to do about it."""

    root: str
    path: str
    kind: str  # syntax_error, unsupported_syntax, not_utf8, binary, unreadable,
    #            not_regular, symlink_*
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
    """Relative paths of the files to scan under ``root`` (sorted), and the links and other
    non-regular files (FIFOs, sockets, devices) not read.

    Walks top-down like ``os.walk(root, followlinks=False)`` (folders that cannot be listed are
    passed over), with ``os.scandir`` so that a large tree costs one ``stat`` per link only."""
    from .textfiles import text_language

    skip = set(skip)
    extensions = supported_extensions()
    files: list[str] = []
    issues: list[FileIssue] = []
    stack: list[tuple[str, str]] = [(os.fspath(root), "")]
    while stack:
        folder, prefix = stack.pop()
        try:
            with os.scandir(folder) as it:
                entries = list(it)
        except OSError:
            continue
        subfolders: list[tuple[str, os.DirEntry[str]]] = []
        file_links: list[FileIssue] = []
        for entry in entries:
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            if is_dir:
                if entry.name not in skip:
                    subfolders.append((entry.name, entry))
                continue
            rel = prefix + entry.name
            if entry.name in skip or (not entry.name.endswith(extensions)
                                      and text_language(rel) is None):
                continue
            if entry.is_symlink():
                file_links.append(_link_issue(label, root, Path(entry.path), rel, folder=False))
                continue
            try:
                regular = entry.is_file(follow_symlinks=False)
            except OSError:
                regular = True  # let the read report what is wrong with it
            if not regular:
                file_links.append(_not_regular(label, rel))
                continue
            files.append(rel)
        subfolders.sort(key=lambda item: item[0])
        descend = []
        for name, entry in subfolders:
            if entry.is_symlink():
                issues.append(_link_issue(label, root, Path(entry.path), prefix + name, folder=True))
            else:
                descend.append((entry.path, f"{prefix}{name}/"))
        issues.extend(file_links)
        stack.extend(reversed(descend))
    return sorted(files), issues


def _not_regular(label: str, rel: str) -> FileIssue:
    return FileIssue(label, rel, "not_regular",
                     f"{rel}: not a regular file (a FIFO, socket or device); not read and never "
                     "written. Remove it or rename it if it is not meant to be source.")


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
    data, failed = _read(label, root, rel)
    if failed is not None:
        return failed
    return scan_bytes(label, rel, data, spec)


def _read(label: str, root: str, rel: str) -> tuple[bytes, FileResult | None]:
    """The file's bytes, or a result that reports why it cannot be read."""
    data, _st, failed = _read_stat(label, root, rel)
    return data, failed


_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)


def _read_stat(label: str, root: str, rel: str
               ) -> tuple[bytes, os.stat_result | None, FileResult | None]:
    """The file's bytes and its ``stat`` when it was opened, or a result that says why it cannot
    be read. Opens without blocking and reads regular files only, so a FIFO that replaced a file
    since the walk never hangs the scan."""
    try:
        fd = os.open(os.path.join(root, rel), _OPEN_FLAGS)
    except OSError as exc:
        return b"", None, _unreadable(label, rel, exc)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            return b"", None, FileResult(label, rel, issues=[_not_regular(label, rel)])
        chunks = []
        want = st.st_size + 1
        while True:
            chunk = os.read(fd, max(want, 65536))
            if not chunk:
                break
            chunks.append(chunk)
            want = 65536
        return b"".join(chunks), st, None
    except OSError as exc:
        return b"", None, _unreadable(label, rel, exc)
    finally:
        os.close(fd)


def _unreadable(label: str, rel: str, exc: OSError) -> FileResult:
    reason = exc.strerror or type(exc).__name__
    message = f"{rel}: cannot be read ({reason}); fix its permissions and run again."
    return FileResult(label, rel, issues=[FileIssue(label, rel, "unreadable", message)])


def scan_bytes(label: str, rel: str, data: bytes, spec: Spec) -> FileResult:
    """Scan the content of one file. The prefilter (one regular expression) comes first: a file
    without a possible family member is never parsed."""
    spec = _memo_spec(spec)
    result = FileResult(label, rel)
    if not spec.may_hold(data):
        return result
    if b"\x00" in data:
        from .textfiles import only_in_testdata

        if not rel.endswith(supported_extensions()) and only_in_testdata(rel):
            return result  # a test's binary data, not a text file that went wrong
        what = "Go source" if rel.endswith(GO_EXTENSIONS) else "a text file"
        result.issues.append(FileIssue(label, rel, "binary",
                                       f"{rel}: holds NUL bytes, so it is not {what}; not scanned. "
                                       f"Rename it if it is not meant to be a {_suffix(rel)} file."))
        return result
    if rel.endswith(GO_EXTENSIONS):
        _scan_go_file(result, rel, data, spec)
    else:
        from .consumers import scan_file as scan_consumer

        result.occurrences = scan_consumer(rel, data, spec)
    if result.occurrences and b"/" in data:
        from .urls import mark_external  # a link's, a namespace's or an endpoint's names

        result.occurrences = mark_external(data, result.occurrences)
    return result


def _suffix(rel: str) -> str:
    name = rel.rsplit("/", 1)[-1]
    return name[name.rfind("."):] if "." in name else name


def _scan_go_file(result: FileResult, rel: str, data: bytes, spec: Spec) -> None:
    from .gosyntax import scan_go

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


_SYNTAX_AT = re.compile(r" \(at ([0-9:, ]+)\)")


def _grammar_gaps(roots: Mapping[str, Path], issues: list[FileIssue],
                  scanned: list[Scanned]) -> list[FileIssue]:
    """``issues`` with each syntax error that Go's own parser does not see (valid Go the
    tree-sitter grammar cannot read, such as labels that end a block) reported as
    ``unsupported_syntax``: telling the user to fix a file that is not broken would mislead.
    Without a Go toolchain the issues stay as they are."""
    broken = [i for i, issue in enumerate(issues) if issue.kind == "syntax_error"]
    if not broken:
        return issues
    from .gotool import GoTimeout, find_toolchain, go_parses

    toolchain = find_toolchain()
    if toolchain is None:
        return issues
    full = {i: roots[issues[i].root] / issues[i].path for i in broken}
    try:
        valid = go_parses(sorted(set(full.values())), toolchain)
    except (OSError, GoTimeout):
        return issues
    counts = {(label, rel): len(payload[1]) for label, rel, payload in scanned}
    grammar = grammar_version()
    out = list(issues)
    for i in broken:
        issue = issues[i]
        if full[i] not in valid:
            continue
        at = _SYNTAX_AT.search(issue.message)
        where = f" (at {at.group(1)})" if at else ""
        out[i] = FileIssue(
            issue.root, issue.path, "unsupported_syntax",
            f"{issue.path}: is valid Go ({toolchain.version} reads it) but uses syntax that "
            f"idrename's Go grammar ({grammar}) cannot parse{where}; its "
            f"{counts.get((issue.root, issue.path), 0)} occurrence(s) are listed as unparsed and "
            "will not be edited. Rename them in this file by hand (or with gopls rename).",
        )
    return out


def grammar_version() -> str:
    """The bundled Go grammar and its version (``tree-sitter-go 0.25.0``), for messages."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"tree-sitter-go {version('tree-sitter-go')}"
    except PackageNotFoundError:
        return "tree-sitter-go"


def _as_unparsed(o: Occurrence, why: str) -> Occurrence:
    values = asdict(o)
    values.update(role=R.UNPARSED, detail=f"{o.role} ({why})", parse_error=True)
    return Occurrence(**values)


class _MemoSpec(Spec):
    """The same family, remembering the answer for each token: a tree repeats a few tokens
    thousands of times (``RunID``, ``runID``), and the word split behind each answer is the
    costly part of matching. Used only inside this module; results are the same as ``Spec``'s."""

    def __post_init__(self) -> None:
        super().__post_init__()
        object.__setattr__(self, "_spans", {})
        object.__setattr__(self, "_old_words", Spec.old_words.fget(self))  # type: ignore[attr-defined]

    @property
    def old_words(self) -> tuple[str, ...]:
        return self._old_words  # type: ignore[attr-defined,no-any-return]

    def spans(self, token: str) -> tuple[Any, ...]:
        memo: dict[str, tuple[Any, ...]] = self._spans  # type: ignore[attr-defined]
        found = memo.get(token)
        if found is None:
            found = memo[token] = Spec.spans(self, token)
        return found


_MEMO_SPECS: dict[str, Spec] = {}


def _memo_spec(spec: Spec) -> Spec:
    """A :class:`_MemoSpec` equal to ``spec`` in every field, one per spec and process."""
    if type(spec) is not Spec:
        return spec  # already one, or a subclass with its own behaviour
    from .cache import spec_key

    key = spec_key(spec)
    memo = _MEMO_SPECS.get(key)
    if memo is None:
        if len(_MEMO_SPECS) > 16:
            _MEMO_SPECS.clear()
        memo = _MEMO_SPECS[key] = _MemoSpec(spec.old, spec.new, spec.explicit, spec.exclude)
    return memo


# -- the table ---------------------------------------------------------------------------------
def section_of(path: str, root: str, sections: Mapping[str, str]) -> str:
    """The section of a path: the longest matching prefix (of ``path`` or ``root/path``)."""
    best, best_len = "other", -1
    for prefix, name in sections.items():
        for candidate in (path, f"{root}/{path}"):
            if candidate.startswith(prefix) and len(prefix) > best_len:
                best, best_len = name, len(prefix)
    return best


def _is_wire(role: str, detail: str) -> bool:
    if role == R.STRUCT_TAG:
        return detail.split(":", 1)[0] in R.WIRE_TAG_KEYS
    if role == R.PROTO_FIELD and detail == "type":
        return False  # `repeated ShardInfo shards = 4;`: the message it names is, not the use
    return role in R.WIRE_ROLES


# -- payloads: a file's result as plain values -------------------------------------------------
# (package, occurrence rows sorted by start byte, related, issues as (kind, message), the label
# the ids were computed for, the rows' stable ids, the rows' CSV heads). Plain tuples of
# str/int/bool: marshal-able for the cache, cheap to pickle back from worker processes; the table
# is built straight from them. The ids are per file (the key holds the path), so workers compute
# them in parallel; so are the CSV heads: each row's CSV fields from ``line`` to ``wire`` (not
# ``id``, ``root`` and ``path``, written per file, nor ``declared_in_module``, which depends on
# the whole tree, ``section``, which depends on the policy, and ``parse_error``), so writing a
# warm inventory as CSV is mostly joining strings.
Payload = tuple[Any, ...]
_F = {name: i for i, name in enumerate(_OCCURRENCE_FIELDS)}
_PATH, _LANG, _ROLE, _TEXT = _F["path"], _F["language"], _F["role"], _F["text"]
_SYMBOL, _DETAIL, _OWNER, _START = _F["symbol"], _F["detail"], _F["owner"], _F["start_byte"]


def _encode(result: FileResult) -> Payload:
    occurrences = sorted(result.occurrences, key=lambda o: o.start_byte)
    rows = tuple(map(_FIELDS_OF, occurrences))
    return (
        result.package,
        rows,
        tuple(tuple(r) for r in result.related),
        tuple((i.kind, i.message) for i in result.issues),
        result.root,
        _file_ids(result.root, rows),
        _csv_heads(rows),
    )


_FIELDS_OF = operator.attrgetter(*_OCCURRENCE_FIELDS)  # an occurrence's row, as a tuple


def _csv_heads(rows: Sequence[tuple[Any, ...]]) -> tuple[str, ...]:
    """Each row's CSV fields from ``line`` to ``wire``, with the comma after them (``id``,
    ``root`` and ``path`` come first, written per file)."""
    heads = []
    for r in rows:
        (_path, language, role, start, end, line, column, end_line, end_column, text, symbol,
         package, detail, owner, is_test, is_generated, _parse_error) = r
        heads.append(_csv_line((
            line, column, end_line, end_column, start, end, language, role, text, symbol, owner,
            package, detail, is_test, is_generated, _is_wire(role, detail),
        ))[:-1] + ",")
    return tuple(heads)


def _file_ids(label: str, rows: Sequence[tuple[Any, ...]]) -> tuple[str, ...]:
    """Each row's stable id: a digest of (root label, path, symbol, role, text) and how many rows
    of the file had the same five before it, so an id survives edits elsewhere in the file."""
    counter: Counter[tuple[str, str, str, str]] = Counter()
    ids = []
    for r in rows:
        path, symbol, role, text = r[_PATH], r[_SYMBOL], r[_ROLE], r[_TEXT]
        key = (path, symbol, role, text)
        ordinal = counter[key]
        counter[key] = ordinal + 1
        raw = f"{label}\x1f{path}\x1f{symbol}\x1f{role}\x1f{text}\x1f{ordinal}".encode()
        ids.append(hashlib.sha1(raw).hexdigest()[:12])
    return tuple(ids)


def _valid_payload(payload: Any) -> bool:
    """The shape :func:`_encode` gives (a cached payload is checked before it is used)."""
    if not (isinstance(payload, tuple) and len(payload) == 7
            and all(isinstance(part, tuple) for part in payload[1:4])
            and isinstance(payload[5], tuple) and len(payload[1]) == len(payload[5])
            and isinstance(payload[6], tuple) and len(payload[1]) == len(payload[6])
            and all(type(head) is str for head in payload[6])):
        return False
    width = len(_OCCURRENCE_FIELDS)
    return all(
        set(map(type, part)) <= {tuple} and set(map(len, part)) <= {size}
        for part, size in ((payload[1], width), (payload[2], 4), (payload[3], 2))
    )


Scanned = tuple[str, str, Payload]  # (label, rel, payload)


def _frame(files: Sequence[Scanned], sections: Mapping[str, str]) -> pd.DataFrame:
    import pandas as pd

    frame = pd.DataFrame(_rows(files, sections), columns=COLUMNS)
    for col in ("line", "column", "end_line", "end_column", "start_byte", "end_byte"):
        frame[col] = frame[col].astype("int64")
    for col in ("is_test", "is_generated", "wire", "declared_in_module", "parse_error"):
        frame[col] = frame[col].astype(bool)
    return frame


def _rows(files: Sequence[Scanned], sections: Mapping[str, str]) -> list[tuple[Any, ...]]:
    """The table's rows (values in ``COLUMNS`` order), sorted by root, path and byte offset."""
    wire_cache: dict[tuple[str, str], bool] = {}
    rows: list[tuple[object, ...]] = []
    for label, payload, ids, _heads, section, in_module in _table_files(files, sections):
        for r, ident, declared in zip(payload[1], ids, in_module, strict=True):
            (path, language, role, start, end, line, column, end_line, end_column, text, symbol,
             package, detail, owner, is_test, is_generated, parse_error) = r
            wire = wire_cache.get((role, detail))
            if wire is None:
                wire = wire_cache[(role, detail)] = _is_wire(role, detail)
            rows.append((
                ident, label, path, line, column, end_line, end_column, start, end, language,
                role, text, symbol, owner, package, detail, is_test, is_generated,
                wire, declared, section, parse_error,
            ))
    return rows


def _table_files(files: Sequence[Scanned], sections: Mapping[str, str]
                 ) -> Iterator[tuple[str, Payload, Sequence[str], Sequence[str], str, list[bool]]]:
    """Per file, sorted by root and path: (label, payload, ids, CSV heads, section, each row's
    ``declared_in_module``); ids and heads are computed again for a payload of another label."""
    declared: set[tuple[str, str]] = set()
    packages: set[str] = set()
    for _label, _rel, payload in files:
        if payload[0]:
            packages.add(payload[0])
        for r in payload[1]:
            if r[_ROLE] in R.DECLARATION_ROLES and r[_LANG] == "go":
                declared.add((_DECLARES[r[_ROLE]], r[_TEXT]))
    declared_cache: dict[tuple[str, str, str, str, str], bool] = {}
    for label, _rel, payload in sorted(files, key=lambda f: (f[0], f[1])):
        occurrences = payload[1]
        if not occurrences:
            continue
        ids, heads = payload[5], payload[6]
        if payload[4] != label:
            ids = _file_ids(label, occurrences)
        in_module = []
        for r in occurrences:
            key = (r[_LANG], r[_ROLE], r[_DETAIL], r[_OWNER], r[_TEXT])
            found = declared_cache.get(key)
            if found is None:
                found = declared_cache[key] = _declared_in_module(*key, declared, packages)
            in_module.append(found)
        yield label, payload, ids, heads, section_of(occurrences[0][_PATH], label, sections), \
            in_module


def _csv_text(files: Sequence[Scanned], sections: Mapping[str, str]) -> Iterator[str]:
    """The table as CSV (header first), in chunks: what ``write_rows(_rows(...), "csv")``
    writes, from the rows' CSV heads."""
    yield _csv_line(COLUMNS)
    for label, payload, ids, heads, section, in_module in _table_files(files, sections):
        where = f"{_csv_field(label)},{_csv_field(payload[1][0][_PATH])},"
        tail = _csv_field(section) + ","
        lines = []
        for r, ident, head, declared in zip(payload[1], ids, heads, in_module, strict=True):
            lines.append(f"{ident},{where}{head}{declared},{tail}{r[-1]}\n")
        yield "".join(lines)


# What kind of name each declaration role declares, and what kind a use names: a member use
# (x.Name, T{Name: v}) names a field, a method or an embedded type; pkg.Name and a bare use name
# a package-level func, var, const or type; a type use names a type.
_MEMBER, _PACKAGE_LEVEL, _TYPE = "member", "package", "type"
_DECLARES = {R.FIELD_DECL: _MEMBER, R.METHOD_DECL: _MEMBER, R.INTERFACE_METHOD: _MEMBER,
             R.FUNC_DECL: _PACKAGE_LEVEL, R.VAR_DECL: _PACKAGE_LEVEL,
             R.CONST_DECL: _PACKAGE_LEVEL, R.TYPE_DECL: _TYPE}
# The uses whose ``detail`` holds the package that qualifies them (``pkg.Name``, ``pkg.T``).
_DETAIL_QUALIFIED = frozenset({R.FUNC_CALL, R.PACKAGE_USE, R.TYPE_USE})
_NAMES = {R.SELECTOR: (_MEMBER, _TYPE), R.METHOD_CALL: (_MEMBER,),
          R.COMPOSITE_KEY: (_MEMBER, _TYPE), R.FUNC_CALL: (_PACKAGE_LEVEL, _TYPE),
          R.PACKAGE_USE: (_PACKAGE_LEVEL, _TYPE), R.TYPE_USE: (_TYPE,)}


def _declared_in_module(language: str, role: str, detail: str, owner: str, text: str,
                        declared: set[tuple[str, str]], packages: set[str]) -> bool:
    """Whether a Go identifier's name is declared in the roots as what the use can name: a
    selector, a method call or a key by a field or method (a selector or key also by a type,
    the name of an embedded field), a package-level use by a func, var, const or type. A use
    qualified by a package the roots do not hold (``objabi.R_ADDR``, ``*dwarf.PtrType``,
    ``net.Dialer{KeepAlive: d}``) is not, whatever the roots declare; a key of an anonymous
    struct's literal names a field the file declares. Locals, parameters, labels and
    declarations are."""
    if language != "go" or role not in R.GO_IDENTIFIER_ROLES:
        return False
    if role not in _QUALIFIED_ROLES:
        return True
    if role == R.PACKAGE_USE and detail == "import":
        return True  # the name an import declares for its package, in this file
    qualifier = detail if role in _DETAIL_QUALIFIED and detail != "conversion" else ""
    if role == R.COMPOSITE_KEY:
        qualifier = literal_qualifier(owner)
    if qualifier and qualifier not in packages:
        return False
    return any((kind, text) in declared for kind in _NAMES[role])


def _related(files: Sequence[Scanned]) -> pd.DataFrame:
    import pandas as pd

    counts: Counter[str] = Counter()
    where: dict[str, set[str]] = {}
    first: dict[str, str] = {}
    for label, rel, payload in sorted(files, key=lambda f: (f[0], f[1])):
        for token, line, _col, _kind in payload[2]:
            counts[token] += 1
            where.setdefault(token, set()).add(f"{label}/{rel}")
            first.setdefault(token, f"{label}/{rel}:{line}")
    rows = [
        {"text": t, "count": counts[t], "files": len(where[t]), "first": first[t]}
        for t in sorted(counts, key=lambda t: (-counts[t], t))
    ]
    return pd.DataFrame(rows, columns=RELATED_COLUMNS)


def _write_csv(rows: Iterable[Sequence[Any]], out: Any) -> None:
    """CSV as pandas writes it (the ``csv`` module, minimal quoting, ``\\n``)."""
    out.write(_csv_line(COLUMNS))
    lines: list[str] = []
    for r in rows:
        lines.append(_csv_line(r))
        if len(lines) >= 4096:
            out.write("".join(lines))
            lines = []
    out.write("".join(lines))


_LINE_FORMATS: dict[int, str] = {}


def _csv_line(fields: Sequence[Any]) -> str:
    """One CSV line as the ``csv`` module writes it (minimal quoting, ``\\n``). Fields that
    hold no comma, quote or line break are formatted in one step; the others (a struct tag with
    options, a message with quotes) go through ``csv.writer``, as pandas does."""
    width = len(fields)
    line_format = _LINE_FORMATS.get(width)
    if line_format is None:
        line_format = _LINE_FORMATS[width] = ",".join(["%s"] * width) + "\n"
    line = line_format % tuple(fields)
    if line.count(",") != width - 1 or '"' in line or "\r" in line or line.count("\n") != 1:
        import csv
        import io

        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerow(fields)
        line = buffer.getvalue()
    return line


def _csv_field(value: str) -> str:
    """One field as the ``csv`` module writes it."""
    return _csv_line((value,))[:-1]


# -- entry points ------------------------------------------------------------------------------
@with_fewer_collections
def scan(
    roots: Sequence[str | os.PathLike[str]],
    spec: Spec,
    *,
    sections: Mapping[str, str] | None = None,
    skip: Iterable[str] = DEFAULT_SKIP,
    executor: Executor | None = None,
    progress: Callable[[int, int], None] | None = None,
    cache: ResultCache | str | os.PathLike[str] | bool | None = None,
) -> Inventory:
    """Scan every supported file under ``roots`` for the family of ``spec``.

    ``executor`` runs the per-file work (any :class:`concurrent.futures.Executor`, a Dask
    ``distributed`` client's executor included); without one, a tree of more than
    ``PARALLEL_MIN_FILES`` files is scanned by a process pool and a smaller one here. The rows
    are the same either way.

    ``cache`` keeps per-file results between runs (see :mod:`idrename.cache`): None or True uses
    the user cache folder (``$IDRENAME_CACHE_DIR`` overrides it), a path another folder, False
    none. Only files that pass the prefilter are hashed and cached. The frame's
    ``attrs["roots"]`` maps each root's label to its folder.
    """
    run = _run(roots, spec, skip, executor, progress, cache, pandas=True)
    frame = _frame(run.scanned, sections or {})
    # (so that what reads the frame alone finds the files: decide, contracts)
    frame.attrs["roots"] = {label: str(path) for label, path in run.roots.items()}
    return Inventory(
        frame=frame,
        related=_related(run.scanned),
        issues=run.issues,
        files_scanned=run.files_scanned,
        files_matched=run.files_matched,
        roots=run.roots,
    )


@dataclass
class _Run:
    roots: dict[str, Path]
    scanned: list[Scanned]
    issues: list[FileIssue]
    files_scanned: int

    @property
    def files_matched(self) -> int:
        return sum(1 for _label, _rel, payload in self.scanned if payload[1])


def _run(roots: Sequence[str | os.PathLike[str]], spec: Spec, skip: Iterable[str],
         executor: Executor | None, progress: Callable[[int, int], None] | None,
         cache: ResultCache | str | os.PathLike[str] | bool | None, *, pandas: bool) -> _Run:
    labelled = resolve_roots(roots)
    issues: list[FileIssue] = []
    jobs: list[tuple[str, str, str]] = []
    for label, path in labelled.items():
        files, link_issues = walk_files(label, path, skip)
        issues.extend(link_issues)
        jobs.extend((label, str(path), rel) for rel in files)
    from .cache import named_indexes, spec_indexes

    indexes = spec_indexes(cache, labelled, spec)  # {}: no cache, or one that cannot be used
    scanned = _Runner(spec, executor, len(jobs), progress, indexes, pandas=pandas).run(jobs)
    for index in indexes.values():
        index.save()
    from .heldnames import resolve

    # the package's other files, for the names its constants hold (the cached files' too)
    scanned = resolve(labelled, scanned, _csv_heads,
                      lambda: named_indexes(cache, labelled, "held"),
                      lambda: _go_files_by_root(jobs))
    for label, rel, payload in scanned:
        issues.extend(FileIssue(label, rel, kind, message) for kind, message in payload[3])
    issues = _grammar_gaps(labelled, issues, scanned)
    issues.sort(key=lambda i: (i.root, i.path, i.kind))
    return _Run(labelled, scanned, issues, len(jobs))


def _go_files_by_root(jobs: Sequence[tuple[str, str, str]]) -> dict[str, list[str]]:
    """The Go files of each root label, from the scan's (label, root, rel) jobs."""
    out: dict[str, list[str]] = {}
    for label, _root, rel in jobs:
        if rel.endswith(".go"):
            out.setdefault(label, []).append(rel)
    return out


@dataclass
class Table:
    """The inventory's rows as plain tuples (``COLUMNS`` order), without pandas: what the
    command line writes as csv/json/jsonl. Same rows, order and values as ``scan().frame``."""

    scanned: list[Scanned] = field(repr=False)
    sections: Mapping[str, str]
    issues: list[FileIssue]
    files_scanned: int
    files_matched: int
    roots: dict[str, Path]

    @cached_property
    def rows(self) -> list[tuple[Any, ...]]:
        return _rows(self.scanned, self.sections)

    def write_csv(self, out: Any) -> None:
        """``write_rows(self.rows, "csv", out)``, from the rows' CSV heads (faster)."""
        for chunk in _csv_text(self.scanned, self.sections):
            out.write(chunk)

    def summary(self) -> str:
        return (
            f"{sum(len(p[1]) for _l, _r, p in self.scanned)} occurrences in "
            f"{self.files_matched} of {self.files_scanned} files "
            f"under {len(self.roots)} root(s); {len(self.issues)} file issue(s)"
        )


@with_fewer_collections
def scan_table(
    roots: Sequence[str | os.PathLike[str]],
    spec: Spec,
    *,
    sections: Mapping[str, str] | None = None,
    skip: Iterable[str] = DEFAULT_SKIP,
    executor: Executor | None = None,
    progress: Callable[[int, int], None] | None = None,
    cache: ResultCache | str | os.PathLike[str] | bool | None = None,
) -> Table:
    """:func:`scan`'s table as plain rows; never imports pandas (nor tree-sitter when every
    file is a cache hit or fails the prefilter)."""
    run = _run(roots, spec, skip, executor, progress, cache, pandas=False)
    return Table(run.scanned, dict(sections or {}), run.issues, run.files_scanned,
                 run.files_matched, run.roots)


def write_rows(rows: Iterable[Sequence[Any]], fmt: str, out: Any) -> None:
    """Write rows as ``DataFrame.to_csv(index=False, lineterminator="\\n")`` and the command
    line's json (a list of row objects, ``indent=1``) and jsonl would write the frame."""
    import json

    if fmt == "csv":
        _write_csv(rows, out)
    elif fmt == "json":
        json.dump([dict(zip(COLUMNS, r, strict=True)) for r in rows], out, indent=1, default=str)
        out.write("\n")
    elif fmt == "jsonl":
        for r in rows:
            out.write(json.dumps(dict(zip(COLUMNS, r, strict=True)), default=str) + "\n")
    else:
        raise ValueError(f"unknown format {fmt!r}: csv, json or jsonl")


# -- running the per-file work -----------------------------------------------------------------
def _scan_blobs(batch: list[tuple[str, str, bytes]], spec: Spec) -> list[Payload]:
    """The unit of work sent to executors: files already read (and prefiltered) by the caller."""
    spec = _memo_spec(spec)
    return [_encode(scan_bytes(label, rel, data, spec)) for label, rel, data in batch]


def _cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


class _SharedPool:
    """The pool of a :func:`shared_pool` scope: started when a stage first asks for one."""

    def __init__(self) -> None:
        self.pool: Executor | None = None
        self.started = False

    def borrow(self) -> Executor | None:
        if not self.started:
            self.started = True
            self.pool = _new_pool()
        return _Borrowed(self.pool) if self.pool is not None else None

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None


class _Borrowed:
    """A shared pool as a stage sees it: its ``shutdown`` leaves the pool to its owner."""

    def __init__(self, pool: Executor) -> None:
        self._pool = pool

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        return self._pool.submit(fn, *args, **kwargs)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        pass


_SHARED: list[_SharedPool] = []


@contextlib.contextmanager
def shared_pool() -> Iterator[None]:
    """Within this, the stages that start a process pool of their own (the inventory, the Go
    facts, the symbol index) share one, started when first needed and shut down at the end: at
    most one worker per core alive, each forked once."""
    holder = _SharedPool()
    _SHARED.append(holder)
    try:
        yield
    finally:
        _SHARED.remove(holder)
        holder.close()


def in_shared_pool() -> bool:
    """Whether a :func:`shared_pool` scope is open (a pool there costs no new workers)."""
    return bool(_SHARED)


def _start_pool() -> Executor | None:
    """A process pool with one worker per core, or None (one core, or processes unavailable);
    inside :func:`shared_pool`, that scope's pool."""
    if _SHARED:
        return _SHARED[-1].borrow()  # type: ignore[return-value]
    return _new_pool()


def _new_pool() -> Executor | None:
    """A new process pool (see :func:`_start_pool`). Forks when this process has a single
    thread (fast: the workers inherit what is imported)."""
    workers = _cpu_count()
    if workers < 2:
        return None
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    method = None
    if threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods():
        method = "fork"
    try:
        context = multiprocessing.get_context(method)
        return ProcessPoolExecutor(max_workers=workers, mp_context=context)
    except (OSError, ImportError, NotImplementedError, ValueError):
        return None


Item = tuple[int, str, str, bytes, "bytes | None", Any]  # (slot, label, rel, data, key, stat sig)
_EMPTY: Payload = ("", (), (), (), "", (), ())


class _Runner:
    """Reads every file here (prefilter, cache lookup) and sends what needs parsing to the
    executor, a pool of our own, or scans it in this process."""

    def __init__(self, spec: Spec, executor: Executor | None, total: int,
                 progress: Callable[[int, int], None] | None, indexes: Mapping[str, RootIndex],
                 *, pandas: bool = True):
        self.spec = spec
        self.pandas = pandas
        self.search = spec.may_hold  # the prefilter
        self.executor = executor
        self.total = total
        self.progress = progress
        self.indexes = indexes
        self.may_fork = executor is None and total > PARALLEL_MIN_FILES
        self.pool: Executor | None = None
        self.pending: list[Item] = []
        self.submitted: list[tuple[Future[list[Payload]], list[Item]]] = []
        self.results: list[Scanned | None] = [None] * total
        self.done = 0

    def run(self, jobs: Sequence[tuple[str, str, str]]) -> list[Scanned]:
        try:
            for slot, (label, root, rel) in enumerate(jobs):
                self._one(slot, label, root, rel)
            if self.pending and (self.pool is not None or self.executor is not None):
                self._submit()
            for item in self.pending:  # too few for a pool
                self._finish(item, self._here(item))
            self.pending = []
            if self.pool is not None and self.pandas:
                _import_pandas()  # while the workers parse
            self._collect()
        finally:
            if self.pool is not None:
                self.pool.shutdown(wait=True, cancel_futures=True)
        return [r for r in self.results if r is not None]

    def _one(self, slot: int, label: str, root: str, rel: str) -> None:
        index = self.indexes.get(label)
        if index is not None and index.knows(rel) and \
                self._unchanged(slot, label, root, rel, index):
            return
        data, st, failed = _read_stat(label, root, rel)
        sig = index.signature(st) if index is not None and st is not None else None
        if failed is not None:
            payload: Payload | None = _encode(failed)
        elif not self.search(data):
            payload = _EMPTY
            if index is not None:
                index.plain(rel, sig)
        else:
            key = None
            payload = None
            if index is not None:
                key = index.key(rel, data)
                payload = index.get(rel, key, sig)
                if payload is not None and not _valid_payload(payload):
                    index.forget(rel)
                    payload = None
            if payload is None:
                self._queue((slot, label, rel, data, key, sig))
                return
        self.results[slot] = (label, rel, payload)
        self._tick(1)

    def _unchanged(self, slot: int, label: str, root: str, rel: str, index: RootIndex) -> bool:
        """Take the file's result from the cache without reading it when its ``stat``
        signature is the one on record."""
        try:
            st = os.stat(os.path.join(root, rel), follow_symlinks=False)
        except OSError:
            return False
        if not stat.S_ISREG(st.st_mode):
            return False
        known, payload = index.unchanged(rel, index.signature(st))
        if not known:
            return False
        if payload is None:
            payload = _EMPTY  # failed the prefilter
        elif not _valid_payload(payload):
            index.forget(rel)
            return False
        self.results[slot] = (label, rel, payload)
        self._tick(1)
        return True

    def _queue(self, item: Item) -> None:
        if self.executor is None and not self.may_fork:
            self._finish(item, self._here(item))
            return
        self.pending.append(item)
        if self.executor is None and self.pool is None and len(self.pending) >= POOL_MIN_PENDING:
            self.pool = _start_pool()
            if self.pool is None:
                self.may_fork = False
                for queued in self.pending:
                    self._finish(queued, self._here(queued))
                self.pending = []
                return
        if len(self.pending) >= BATCH and (self.pool is not None or self.executor is not None):
            self._submit()

    def _submit(self) -> None:
        target = self.executor if self.executor is not None else self.pool
        assert target is not None
        while self.pending:
            items, self.pending = self.pending[:BATCH], self.pending[BATCH:]
            batch = [(label, rel, data) for _slot, label, rel, data, _key, _sig in items]
            try:
                future = target.submit(_scan_blobs, batch, self.spec)
            except Exception:
                if self.executor is not None:
                    raise
                for item in items:  # our pool is broken: scan here
                    self._finish(item, self._here(item))
                continue
            self.submitted.append((future, items))

    def _collect(self) -> None:
        for future, items in self.submitted:
            try:
                payloads = future.result()
            except Exception:
                if self.executor is not None:
                    raise  # the caller's executor: its failures are the caller's to see
                # Our own pool failed (a worker died, the spec would not pickle): scan these
                # files here, where a genuine error in the scanner is raised as usual.
                payloads = [self._here(item) for item in items]
            for item, payload in zip(items, payloads, strict=True):
                self._finish(item, payload)
        self.submitted = []

    def _here(self, item: Item) -> Payload:
        """Scan one queued file in this process."""
        _slot, label, rel, data, _key, _sig = item
        return _encode(scan_bytes(label, rel, data, self.spec))

    def _finish(self, item: Item, payload: Payload) -> None:
        slot, label, rel, _data, key, sig = item
        self.results[slot] = (label, rel, payload)
        index = self.indexes.get(label)
        if index is not None and key is not None:
            index.put(rel, key, payload, sig)
        self._tick(1)

    def _tick(self, n: int) -> None:
        self.done += n
        if self.progress:
            self.progress(self.done, self.total)


def _import_pandas() -> None:
    try:
        import pandas  # noqa: F401
    except ImportError:  # pragma: no cover - a dependency
        pass


def inventory(
    roots: Sequence[str | os.PathLike[str]] | str | os.PathLike[str],
    spec: Spec,
    **kwargs: object,
) -> pd.DataFrame:
    """The inventory as a DataFrame (``frame.attrs["issues"]`` lists the file issues,
    ``frame.attrs["roots"]`` maps each root's label to its folder)."""
    if isinstance(roots, (str, os.PathLike)):
        roots = [roots]
    inv = scan(roots, spec, **kwargs)  # type: ignore[arg-type]
    inv.frame.attrs["issues"] = [asdict(i) for i in inv.issues]
    inv.frame.attrs["roots"] = {label: str(path) for label, path in inv.roots.items()}
    return inv.frame
