"""Plan to patch: decisions become byte edits per file, then gofmt, then a unified diff.

``build_patch(decided, roots, spec)`` reads each touched file once, plans the simple edits (a
token replaced by its target), then the structural ones (:mod:`idrename.transforms`), applies
them, and runs gofmt on every changed Go file that was gofmt-clean before. Nothing is written.
"""

from __future__ import annotations

import difflib
import hashlib
import re
import subprocess
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import roles as R
from . import transforms as T
from .edits import Edit, EditConflict, FileEdits

if TYPE_CHECKING:
    import pandas as pd

    from .patchahead import PatchAhead

# Decisions that change a Go identifier (an identifier has one name: dual means rename it).
IDENTIFIER_RENAMES = frozenset({"rename", "dual", "accept-both", "hard-cut", "drop-legacy"})
TEXT_RENAMES = frozenset({"rename", "hard-cut"})
_TEXT_ROLES = R.COMMENT_ROLES | {R.MESSAGE, R.STRING, R.DOC_TEXT, R.TS_STRING, R.TS_IDENTIFIER,
                                 R.TS_MEMBER, R.TS_OBJECT_KEY, R.TS_PROPERTY, R.PROTO_FIELD,
                                 R.SQL_FILE, R.CONFIG_KEY, R.CONFIG_VALUE}


@dataclass
class FilePatch:
    """One file's planned change."""

    root: str
    path: str
    before: bytes
    after: bytes
    edits: list[Edit] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    gofmt: str = ""  # "formatted", "skipped: ...", or "" for non-Go files

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.before).hexdigest()

    @property
    def changed(self) -> bool:
        return self.before != self.after

    def diff(self, context: int = 3) -> str:
        """:func:`file_diff` of this file (computed once per ``after`` and context)."""
        key = (hashlib.sha256(self.after).digest(), context)
        cached = self.__dict__.get("_diff")
        if cached is None or cached[0] != key:
            cached = (key, file_diff(self.path, self.before, self.after, context=context))
            self.__dict__["_diff"] = cached
        return cached[1]


@dataclass
class Patch:
    files: list[FilePatch]
    warnings: list[str]

    def changed(self) -> list[FilePatch]:
        return [f for f in self.files if f.changed]


class PatchError(ValueError):
    """The plan cannot be turned into edits (overlapping edits, a file gone): one sentence."""


_EDIT_COLUMNS = ["id", "root", "path", "line", "start_byte", "end_byte", "role", "text", "detail",
                 "decision", "target", "is_generated", "parse_error"]


def _rows_by_file(decided: pd.DataFrame) -> dict[tuple[str, str], list[dict[str, Any]]]:
    """The rows that need an edit (only the columns the edits read), by file."""
    from .records import records

    columns = [c for c in _EDIT_COLUMNS if c in decided.columns]
    grouped: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for row in records(decided[columns]):
        if _needs_edit(row):
            grouped.setdefault((row["root"], row["path"]), []).append(row)
    return grouped


def rows_repr(rows: list[dict[str, Any]]) -> bytes:
    """A file's rows (as :func:`_rows_by_file` groups them: the same columns, in
    ``_EDIT_COLUMNS`` order) as bytes that differ when any of them does: what the memo of finished
    patches and the patches made ahead are keyed and checked by, computed once per file."""
    return repr(rows).encode()


def _needs_edit(row: Mapping[str, Any]) -> bool:
    if row["is_generated"] or row["parse_error"] or row["role"] == R.UNPARSED:
        return False
    decision = row["decision"]
    if row["role"] in R.GO_IDENTIFIER_ROLES:
        return decision in IDENTIFIER_RENAMES
    return decision not in ("keep", "ignore", "review", "migrate")


def build_patch(
    decided: pd.DataFrame,
    roots: Mapping[str, Path],
    *,
    wiring: T.InferenceWiring | None = None,
    go_roots: set[str] | None = None,
    gofmt: Any = None,
    cache: Any = None,
    ahead: PatchAhead | None = None,
) -> Patch:
    """Turn decided occurrences into file patches.

    ``wiring`` enables the InferenceID wiring in every Go file of ``go_roots`` (default: all
    roots). ``gofmt`` is a callable bytes -> bytes (default: the Go toolchain's gofmt, when there
    is one). With the default gofmt, each file's finished patch and gofmt's answers are kept in
    the result cache (``cache`` as :func:`idrename.inventory.scan` takes it; False: none), so a
    file whose content and edits are unchanged since an earlier plan is not patched again.
    ``ahead``: the files made in the process pool (edits, gofmt and diff; see
    :mod:`idrename.patchahead`), taken for each file whose content and rows they were made for.
    """
    toolchain = None
    if gofmt is None:
        toolchain, gofmt = _default_gofmt(ahead.toolchain if ahead is not None else None)
    else:
        ahead = None  # the workers ran the toolchain's gofmt, not this one
    pending: list[FilePatch] = []  # Go files to gofmt in one batch (the default gofmt only)
    grouped = _rows_by_file(decided) if len(decided) else {}
    files: list[FilePatch] = []
    warnings: list[str] = []
    log: list[str | FilePatch] = []  # warnings, and the files whose warnings come there
    computed: list[tuple[FilePatch, list[str], bytes]] = []  # for the memo
    if wiring is not None:
        for label in sorted(go_roots if go_roots is not None else set(roots)):
            for path in _wiring_candidates(roots[label], label, wiring, warnings):
                grouped.setdefault((label, path), [])
    # Read the Go files first and start `gofmt -l` on them in the background: it runs on another
    # core while the edits are planned here.
    read: dict[tuple[str, str], bytes] = {}
    if toolchain is not None:
        for label, path in sorted(grouped):
            if path.endswith(".go"):
                try:
                    read[(label, path)] = (roots[label] / path).read_bytes()
                except OSError:
                    pass  # reported in the loop
    # a gofmt the caller gives (toolchain None) is not one whose answers can be remembered
    known = _PatchMemo(toolchain, roots, wiring, cache)
    learned = False  # whether gofmt's answers from the workers went into ``memo``
    memo = _GofmtMemo(toolchain, roots, cache)
    # the files the workers made for these contents and rows (checked once, here for the Go
    # files read, in the loop for the others), which need no gofmt here
    as_bytes: dict[tuple[str, str], bytes] = {}  # each file's rows, as the keys read them

    def edits_of(key: tuple[str, str]) -> bytes:
        if key not in as_bytes:
            as_bytes[key] = rows_repr(grouped[key])
        return as_bytes[key]

    taken = {key: found for key, data in read.items()
             if (found := ahead.take(*key, data, edits_of(key))) is not None} \
        if ahead is not None else {}
    unknown = {key: data for key, data in read.items()
               if key not in taken and memo.clean(key[0], key[1], _without_bom(data)) is None}
    precheck = (_CleanCheck(toolchain, unknown) if toolchain is not None and len(unknown) >= 2
                else None)
    read_keys = set(read)
    try:
        for (label, path), rows in sorted(grouped.items()):
            full = roots[label] / path
            try:
                data = read.pop((label, path)) if (label, path) in read else full.read_bytes()
            except OSError as exc:
                # an earlier file's gofmt error comes first
                _format_batch(pending, toolchain, gofmt, precheck, memo)
                raise PatchError(f"{label}/{path}: cannot be read ({exc.strerror}); "
                                 "run the plan again") from exc
            found = known.get(label, path, data, edits_of((label, path)))
            if found is not None:
                patch, notes = found
                files.append(patch)
                log.extend(notes)
                log.append(patch)
                continue
            notes_at = len(log)
            if (label, path) in read_keys or ahead is None:
                finished = taken.pop((label, path), None)
            else:
                finished = ahead.take(label, path, data, edits_of((label, path)))
            if finished is None:
                plan = plan_file(label, path, data, rows, wiring)
                note, conflict = plan.note, plan.conflict
                patch = (FilePatch(label, path, data, plan.after, plan.edits, plan.warnings)
                         if plan.after is not None else None)
            else:  # gofmt'd by a worker
                note, conflict, patch = finished.note, finished.conflict, finished.patch
            if note:
                log.append(note)
            if patch is None:
                # an earlier file's gofmt error comes first
                _format_batch(pending, toolchain, gofmt, precheck, memo)
                raise PatchError(f"{label}/{conflict}")
            if finished is not None:
                learned = _learn_clean(memo, patch) or learned
            elif path.endswith(".go") and patch.changed:
                if toolchain is not None:
                    pending.append(patch)
                else:
                    _format(patch, gofmt)
            files.append(patch)
            computed.append((patch, [n for n in log[notes_at:] if isinstance(n, str)],
                             edits_of((label, path))))
            log.append(patch)
        _format_batch(pending, toolchain, gofmt, precheck, memo)
    finally:
        if precheck is not None:
            precheck.close()
    for patch, notes, edited in computed:
        known.learn(patch, notes, edited)
    known.save()
    if learned:
        memo.save()  # what the workers' gofmt said (_format_batch saves only what it ran)
    for item in log:
        if isinstance(item, str):
            warnings.append(item)
        else:
            warnings.extend(f"{item.root}/{w}" for w in item.warnings)
    return Patch(files, warnings)


@dataclass
class FilePlan:
    """One file's edits as planned (:func:`plan_file`), before gofmt."""

    after: bytes | None  # None: the edits conflict
    edits: list[Edit]
    warnings: list[str]
    note: str = ""  # a warning logged before the file's own (the wiring's refusal)
    conflict: str = ""  # why the edits conflict, starting with the file's path


def plan_file(label: str, path: str, data: bytes, rows: list[dict[str, Any]],
              wiring: T.InferenceWiring | None) -> FilePlan:
    """The edits of one file (``data``, under the root ``label``) that its decided ``rows``
    (and the ``wiring``) ask for."""
    from .godecls import parse_wanted
    from .gosyntax import parse

    fe = FileEdits(path, data)
    structural = [row for row in rows if row["role"] in R.GO_STRING_ROLES
                  and row["decision"] in _STRUCTURAL_DECISIONS]
    # the wiring walks the whole tree; the structural edits only their declarations
    tree = (None if not path.endswith(".go") else parse(data) if wiring is not None
            else parse_wanted(data, at=[int(r["start_byte"]) for r in structural])
            if structural else None)
    for row in rows:
        if row["role"] in R.GO_IDENTIFIER_ROLES or row["role"] in _TEXT_ROLES or \
                row["decision"] in TEXT_RENAMES:
            if row["target"] != row["text"]:
                fe.add(_replace(row))
        elif row["role"] == R.STRUCT_TAG and row["decision"] in ("dual", "accept-both"):
            fe.add(_replace(row))
    legacy_keys: list[T.LegacyKey] = []
    for row in structural:
        if tree is not None:
            _structural(fe, tree.root_node, row, legacy_keys)
    if legacy_keys:
        T.json_tag_methods(fe, legacy_keys)
    note = ""
    if wiring is not None and tree is not None:
        refusal = _not_editable(data, tree)
        if refusal:
            if not rows:  # a file with rows was already reported by the inventory
                note = f"{label}/{path}: {refusal}; the InferenceID wiring left it"
        else:
            T.wire_inference_id(fe, tree.root_node, wiring)
    try:
        after = fe.result()
    except EditConflict as exc:
        return FilePlan(None, [], [], note, str(exc))
    return FilePlan(after, fe.edits, list(fe.warnings), note)


def _replace(row: Mapping[str, Any]) -> Edit:
    return Edit(int(row["start_byte"]), int(row["end_byte"]), str(row["target"]).encode(),
                f"{row['decision']} {row['role']}", (row["id"],))


# The decisions of a Go string that need its syntax tree (the others are a plain replacement).
_STRUCTURAL_DECISIONS = frozenset({"drop-legacy", "dual", "accept-both"})


def _structural(fe: FileEdits, root: Any, row: Mapping[str, Any],
                legacy_keys: list[T.LegacyKey]) -> None:
    """The structural edits of one row; the JSON tags' legacy keys are gathered in
    ``legacy_keys``, for one pair of methods per struct (see :func:`T.json_tag_methods`)."""
    node = root.descendant_for_byte_range(int(row["start_byte"]), int(row["end_byte"]))
    role, decision = row["role"], row["decision"]
    old, new, ids = row["text"], row["target"], (row["id"],)
    if decision == "drop-legacy":
        T.drop_legacy(fe, node, old, new, ids)
    elif role == R.MAP_KEY and decision == "dual":
        T.dual_map_key(fe, node, old, new, ids)
    elif role == R.LOG_KEY and decision == "dual":
        T.dual_log_key(fe, node, old, new, ids)
    elif role in (R.QUERY_PARAM, R.HTTP_HEADER) and decision == "accept-both":
        T.accept_both_read(fe, node, old, new, ids)
    elif role in (R.QUERY_PARAM, R.HTTP_HEADER) and decision == "dual":
        T.dual_statement(fe, node, old, new, ids)
    elif role == R.STRUCT_TAG and decision in ("dual", "accept-both"):
        if str(row["detail"]).split(":", 1)[0] == "json":
            legacy_keys.append(T.LegacyKey(node, old, new, ids, decision == "dual"))
        else:
            fe.warn(f"{row['path']}:{row['line']}: {decision} for a {row['detail']} tag has no "
                    "automatic shim; the tag is renamed, keep the legacy name working by hand")
    elif decision in ("dual", "accept-both"):
        fe.warn(f"{row['path']}:{row['line']}: {decision} is not defined for a {role}; "
                f"{old!r} left as it is")


def _wiring_candidates(root: Path, label: str, wiring: T.InferenceWiring,
                       warnings: list[str]) -> list[str]:
    """Go files under ``root`` that mention the wiring's names, the call or the metadata type
    (regular files only)."""
    names = [wiring.run_call.encode(), wiring.metadata_type.rsplit(".", 1)[-1].encode()]
    out = []
    for full in sorted(root.rglob("*.go")):
        rel = full.relative_to(root)
        if any(part in ("vendor", "node_modules", ".git", "testdata") for part in rel.parts):
            continue
        if full.is_symlink() or not full.is_file():
            continue
        try:
            data = full.read_bytes()
        except OSError as exc:
            warnings.append(f"{label}/{rel.as_posix()}: cannot be read ({exc.strerror}); the "
                            "InferenceID wiring left it")
            continue
        if any(name in data for name in names):
            out.append(rel.as_posix())
    return out


def _not_editable(data: bytes, tree: Any) -> str:
    """Why a Go file must not be edited at all ('' when it may be)."""
    from .gosyntax import is_generated

    if b"\x00" in data:
        return "holds NUL bytes (not Go source)"
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return "is not valid UTF-8"
    if tree.root_node.has_error:
        return "has syntax errors"
    if is_generated(data):
        return "is a generated file"
    return ""


def _default_gofmt(toolchain: Any = None) -> tuple[Any, Any]:
    """(toolchain, bytes -> bytes gofmt), or (None, None) without a Go toolchain; ``toolchain``:
    one found already."""
    from .gotool import find_toolchain, gofmt_source

    toolchain = toolchain if toolchain is not None else find_toolchain()
    if toolchain is None:
        return None, None
    return toolchain, lambda src: gofmt_source(src, toolchain)


def format_files(patches: list[FilePatch], toolchain: Any) -> None:
    """gofmt the edited Go files ``patches`` as :func:`build_patch` does with ``toolchain``'s
    gofmt (None: none, the files are left as edited and say so), without a cache."""
    if toolchain is None:
        for patch in patches:
            _format(patch, None)
        return
    _format_batch(patches, *_default_gofmt(toolchain))


def _learn_clean(memo: _GofmtMemo, patch: FilePatch) -> bool:
    """Keep in ``memo`` whether a file :func:`format_files` formatted was gofmt-clean before, as
    :func:`_format_batch` does. (What gofmt made of the edited file is left out: the patch's
    own memo keeps the result for the same content and rows.) Whether it kept anything."""
    if not patch.changed or not patch.path.endswith(".go"):
        return False
    _bom, before, _after = _split_bom(patch)
    if patch.gofmt not in ("formatted", NOT_CLEAN):
        return False
    memo.learn_clean(patch.root, patch.path, before, patch.gofmt == "formatted")
    return True


_BOM = b"\xef\xbb\xbf"


def _without_bom(data: bytes) -> bytes:
    return data[len(_BOM):] if data.startswith(_BOM) else data


def _split_bom(patch: FilePatch) -> tuple[bytes, bytes, bytes]:
    """(BOM, before without it, after without it)."""
    bom = _BOM if patch.before.startswith(_BOM) else b""
    after = patch.after[len(bom):] if bom and patch.after.startswith(bom) else patch.after
    return bom, patch.before[len(bom):], after


_BATCH_NAME_RE = re.compile(r"f(\d{6})\.go")


def _gofmt_files(toolchain: Any, cwd: Path, flag: str, folder: str) -> tuple[set[int], set[int]]:
    """``gofmt <flag> <folder>`` in ``cwd``: (files listed on stdout, files named on stderr), by
    number; raises OSError when gofmt fails without naming a file."""
    from .gotool import go_env

    proc = subprocess.run([str(toolchain.gofmt), flag, folder], cwd=cwd, env=go_env(toolchain),
                          stdin=subprocess.DEVNULL, capture_output=True, timeout=600, check=False)
    listed = {int(m.group(1)) for m in _BATCH_NAME_RE.finditer(proc.stdout.decode("utf-8", "replace"))}
    named = {int(m.group(1)) for m in _BATCH_NAME_RE.finditer(proc.stderr.decode("utf-8", "replace"))}
    if proc.returncode != 0 and not named:
        raise OSError(f"gofmt exited with status {proc.returncode}")
    return listed, named


class _CleanCheck:
    """``gofmt -l`` on files as they are, started in the background (a temporary folder of
    copies, named by number); :meth:`result` waits for it."""

    def __init__(self, toolchain: Any, files: Mapping[tuple[str, str], bytes]) -> None:
        from .gotool import go_env

        self.number = {key: i for i, key in enumerate(sorted(files))}
        self.before = {key: files[key] for key in self.number}
        self._tmp = tempfile.TemporaryDirectory(prefix="idrename-gofmt-check-")
        self.proc: subprocess.Popen[bytes] | None = None
        try:
            base = Path(self._tmp.name) / "before"
            base.mkdir()
            for key, i in self.number.items():
                data = files[key]
                (base / f"f{i:06d}.go").write_bytes(_without_bom(data))
            self.proc = subprocess.Popen(
                [str(toolchain.gofmt), "-l", "before"], cwd=self._tmp.name, env=go_env(toolchain),
                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        except OSError:
            self.close()

    def result(self) -> dict[tuple[str, str], tuple[bytes, str]]:
        """Per file checked: (its bytes as checked, "clean", "unclean" or "odd": gofmt named it
        on stderr); {} when the check failed."""
        if self.proc is None:
            return {}
        try:
            out, err = self.proc.communicate(timeout=600)
        except (OSError, subprocess.SubprocessError):
            self.close()
            return {}
        listed = {int(m.group(1)) for m in _BATCH_NAME_RE.finditer(out.decode("utf-8", "replace"))}
        named = {int(m.group(1)) for m in _BATCH_NAME_RE.finditer(err.decode("utf-8", "replace"))}
        if self.proc.returncode != 0 and not named:
            return {}
        return {key: (self.before[key], "odd" if i in named else "unclean" if i in listed
                      else "clean") for key, i in self.number.items()}

    def close(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self._tmp.cleanup()


def _format_batch(patches: list[FilePatch], toolchain: Any, gofmt: Any,
                  precheck: _CleanCheck | None = None, memo: _GofmtMemo | None = None) -> None:
    """:func:`_format` for many files with two gofmt runs (``-l`` on the files as they were,
    ``-w`` on the edited copies of the clean ones) in a temporary folder. The first may have
    been started already (``precheck``); ``memo`` answers both for the contents gofmt has seen
    before, and learns the others. A file gofmt complains about, or every file when the batch
    fails, goes through :func:`_format` on its own, so the messages stay the same."""
    todo, patches[:] = list(patches), []
    checked = precheck.result() if precheck is not None else {}
    if precheck is not None:
        precheck.close()
    if len(todo) < 2:
        for patch in todo:
            _format(patch, gofmt)
        return
    memo = memo if memo is not None else _GofmtMemo(None)
    parts = [_split_bom(p) for p in todo]
    state: dict[int, str] = {}  # clean, unclean or odd
    remembered: set[int] = set()  # the memo knew whether the file was clean
    for i, p in enumerate(todo):
        known = checked.get((p.root, p.path))
        if known is not None and known[0] == p.before:
            state[i] = known[1]
        elif (clean := memo.clean(p.root, p.path, parts[i][1])) is not None:
            state[i] = "clean" if clean else "unclean"
            remembered.add(i)
    formatted: dict[int, bytes] = {}
    to_format: list[int] = []
    try:
        with tempfile.TemporaryDirectory(prefix="idrename-gofmt-") as tmp:
            base = Path(tmp)
            (base / "before").mkdir()
            (base / "after").mkdir()
            unknown = [i for i in range(len(todo)) if i not in state]
            if unknown:
                for i in unknown:
                    (base / "before" / f"f{i:06d}.go").write_bytes(parts[i][1])
                unclean, odd = _gofmt_files(toolchain, base, "-l", "before")
                for i in unknown:
                    state[i] = "odd" if i in odd else "unclean" if i in unclean else "clean"
            clean = [i for i in range(len(todo)) if state[i] == "clean"]
            for i in clean:
                known_after = memo.formatted(todo[i].root, todo[i].path, parts[i][2])
                if known_after is not None:
                    formatted[i] = known_after
                else:
                    to_format.append(i)
                    (base / "after" / f"f{i:06d}.go").write_bytes(parts[i][2])
            if to_format:
                _, failed = _gofmt_files(toolchain, base, "-w", "after")
                for i in to_format:
                    if i in failed:
                        state[i] = "odd"
                    else:
                        formatted[i] = (base / "after" / f"f{i:06d}.go").read_bytes()
    except (OSError, subprocess.SubprocessError):
        for patch in todo:
            _format(patch, gofmt)
        return
    for i, patch in enumerate(todo):
        if state[i] != "odd" and i not in remembered:
            memo.learn_clean(patch.root, patch.path, parts[i][1], state[i] == "clean")
        if i in formatted and i in to_format:
            memo.learn_formatted(patch.root, patch.path, parts[i][2], formatted[i])
        if state[i] == "odd":
            _format(patch, gofmt)
        elif state[i] == "unclean":
            patch.gofmt = NOT_CLEAN
            patch.warnings.append(f"{patch.path}: {patch.gofmt}")
        else:
            patch.after = parts[i][0] + formatted[i]
            patch.gofmt = "formatted"
    memo.save()


class _GofmtMemo:
    """What gofmt said of contents it has seen before, in the result cache: whether a file was
    gofmt-clean, and what it makes of an edited one. Keyed by the gofmt binary, its version, the
    file and its exact content; inert without a toolchain or a usable cache."""

    def __init__(self, toolchain: Any, roots: Mapping[str, Path] | None = None,
                 cache: Any = None) -> None:
        self.index: Any = None
        if toolchain is None or cache is False:
            return
        from .cache import named_indexes

        where = sorted(str(path) for path in (roots or {}).values())
        self.index = named_indexes(
            cache, {"": Path(where[0] if where else ".")},
            f"gofmt\0{toolchain.gofmt}\0{toolchain.version}\0{where}").get("")

    def _get(self, rel: str, data: bytes) -> Any:
        if self.index is None:
            return None
        return self.index.get(rel, self.index.key(rel, data))

    def clean(self, root: str, path: str, body: bytes) -> bool | None:
        found = self._get(f"{root}/{path}:before", body)
        return found if isinstance(found, bool) else None

    def formatted(self, root: str, path: str, body: bytes) -> bytes | None:
        found = self._get(f"{root}/{path}:after", body)
        return found if isinstance(found, bytes) else None

    def learn_clean(self, root: str, path: str, body: bytes, clean: bool) -> None:
        if self.index is not None:
            rel = f"{root}/{path}:before"
            self.index.put(rel, self.index.key(rel, body), clean)

    def learn_formatted(self, root: str, path: str, body: bytes, formatted: bytes) -> None:
        if self.index is not None:
            rel = f"{root}/{path}:after"
            self.index.put(rel, self.index.key(rel, body), formatted)

    def save(self) -> None:
        if self.index is not None:
            self.index.save()


class _PatchMemo:
    """Each file's finished patch (edits, gofmt'd result, warnings) in the result cache, keyed by
    the file's content, the rows that edit it, the wiring and the gofmt binary: a plan after a
    policy change redoes only the files whose edits changed. Inert without a toolchain (or with
    a gofmt the caller gave) or a usable cache."""

    def __init__(self, toolchain: Any, roots: Mapping[str, Path],
                 wiring: T.InferenceWiring | None, cache: Any = None) -> None:
        self.indexes: dict[str, Any] = {}
        self.wiring = repr(wiring).encode()
        if toolchain is not None and cache is not False:
            from .cache import named_indexes

            self.indexes = named_indexes(
                cache, roots, f"patch\0{toolchain.gofmt}\0{toolchain.version}")
        # the key of each file get() did not find, for learn() (the same content and rows)
        self._missed: dict[tuple[str, str], tuple[bytes, bytes, bytes]] = {}

    def _key(self, index: Any, path: str, data: bytes, edits: bytes) -> bytes:
        return index.key(path, b"%d\0%s\0%s\0%s" % (len(data), data, self.wiring, edits))

    def get(self, root: str, path: str, data: bytes,
            edits: bytes) -> tuple[FilePatch, list[str]] | None:
        """(the file's patch, the warnings logged before it) as a plan computed them, or None.
        ``edits``: the file's rows, as :func:`rows_repr` gives them."""
        index = self.indexes.get(root)
        if index is None:
            return None
        key = self._key(index, path, data, edits)
        found = index.get(path, key)
        try:
            after, kept, warnings, gofmt, notes, diff = found  # type: ignore[misc]
            patch = FilePatch(root, path, data, after, list(map(Edit._make, kept)), list(warnings),
                              gofmt)
            if not isinstance(diff, str) or not isinstance(notes, list):
                raise TypeError(diff)
        except (TypeError, ValueError):
            if found is not None:
                index.forget(path)
            self._missed[(root, path)] = (data, edits, key)
            return None
        if diff:
            patch.__dict__["_diff"] = ((hashlib.sha256(after).digest(), 3), diff)
        return patch, list(notes)

    def learn(self, patch: FilePatch, notes: list[str], edits: bytes) -> None:
        """Keep ``patch`` (with its diff, context 3, when the file changes)."""
        index = self.indexes.get(patch.root)
        if index is not None:
            missed = self._missed.pop((patch.root, patch.path), None)
            key = (missed[2] if missed is not None and missed[0] is patch.before
                   and missed[1] is edits else self._key(index, patch.path, patch.before, edits))
            kept = [tuple(e) for e in patch.edits]
            diff = patch.diff(3) if patch.changed else ""
            index.put(patch.path, key,
                      (patch.after, kept, list(patch.warnings), patch.gofmt, notes, diff))

    def save(self) -> None:
        for index in self.indexes.values():
            index.save()


# FilePatch.gofmt of a file left unformatted because it was so before (idrename.verify reads it)
NOT_CLEAN = "skipped: the file was not gofmt-clean before, so it is not reformatted"


def _format(patch: FilePatch, gofmt: Any) -> None:
    if gofmt is None:
        patch.gofmt = "skipped: no Go toolchain, so the result is not gofmt'd"
        patch.warnings.append(f"{patch.path}: {patch.gofmt}")
        return
    bom, body, after = _split_bom(patch)
    try:
        clean_before = gofmt(body) == body
    except Exception:
        clean_before = False
    if not clean_before:
        patch.gofmt = NOT_CLEAN
        patch.warnings.append(f"{patch.path}: {patch.gofmt}")
        return
    try:
        patch.after = bom + gofmt(after)
        patch.gofmt = "formatted"
    except Exception as exc:
        raise PatchError(
            f"{patch.root}/{patch.path}: the edited file does not parse ({exc}); nothing was "
            "written. This is a bug in a transformation: report it with this file."
        ) from exc


# -- diff ----------------------------------------------------------------------------------------
def unified_diff(patch: Patch, *, root: str | None = None, context: int = 3) -> str:
    """A unified diff (``a/`` and ``b/`` prefixes, paths relative to the root) that
    ``git apply`` accepts. With ``root``, only that root's files."""
    chunks = []
    for fp in patch.changed():
        if root is not None and fp.root != root:
            continue
        chunks.append(fp.diff(context))
    return "".join(chunks)


def file_diff(path: str, before: bytes, after: bytes, *, context: int = 3) -> str:
    a = before.decode("utf-8", "surrogateescape").splitlines(keepends=True)
    b = after.decode("utf-8", "surrogateescape").splitlines(keepends=True)
    out = [f"diff --git a/{path} b/{path}\n"]
    lines = list(difflib.unified_diff(a, b, f"a/{path}", f"b/{path}", n=context))
    for line in lines:
        if line.endswith("\n"):
            out.append(line)
        else:
            out.append(line + "\n\\ No newline at end of file\n")
    return "".join(out)


def summary_frame(patch: Patch) -> pd.DataFrame:
    """Per changed file: lines added and removed, edits, gofmt state."""
    import pandas as pd

    rows = []
    for fp in patch.changed():
        diff = fp.diff(3).splitlines()  # the lines added and removed do not depend on context
        added = sum(1 for line in diff if line.startswith("+") and not line.startswith("+++"))
        removed = sum(1 for line in diff if line.startswith("-") and not line.startswith("---"))
        rows.append({"root": fp.root, "path": fp.path, "edits": len(fp.edits), "added": added,
                     "removed": removed, "gofmt": fp.gofmt or "n/a"})
    return pd.DataFrame(rows, columns=["root", "path", "edits", "added", "removed", "gofmt"])
