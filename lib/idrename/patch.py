"""Plan to patch: decisions become byte edits per file, then gofmt, then a unified diff.

``build_patch(decided, roots, spec)`` reads each touched file once, plans the simple edits (a
token replaced by its target), then the structural ones (:mod:`idrename.transforms`), applies
them, and runs gofmt on every changed Go file that was gofmt-clean before. In a file that was
not, only the lines the rename changed are formatted, where that rewrites none of the file's own
lines (:func:`merge_formatted`): the diff shows the rename, realigned, and nothing else. gofmt
is given each file as it reads it, without a byte order mark and with LF line endings, which it
would not write back: the file gets them back after (:func:`_in_file_layout`), so a CRLF file
is formatted as an LF one and its diff changes no line ending. A file gofmt cannot read is
edited without formatting, and a warning says why. Nothing is written.
"""

from __future__ import annotations

import bisect
import difflib
import hashlib
import re
import subprocess
import tempfile
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import heldwire
from . import roles as R
from . import transforms as T
from .alignment import alignment_change
from .edits import Edit, EditConflict, FileEdits
from .jsondocs import DocKey, dual_json_documents
from .prose import article_change

if TYPE_CHECKING:
    import pandas as pd

    from .patchahead import PatchAhead

# Decisions that change a Go identifier (an identifier has one name: dual means rename it).
IDENTIFIER_RENAMES = frozenset({"rename", "dual", "accept-both", "hard-cut", "drop-legacy"})
TEXT_RENAMES = frozenset({"rename", "hard-cut"})
_TEXT_ROLES = R.COMMENT_ROLES | {R.MESSAGE, R.STRING, R.DOC_TEXT, R.TS_STRING, R.TS_IDENTIFIER,
                                 R.TS_MEMBER, R.TS_OBJECT_KEY, R.TS_PROPERTY, R.PROTO_FIELD,
                                 R.SQL_FILE, R.SQL_VARIABLE, R.CONFIG_KEY, R.CONFIG_VALUE,
                                 R.MEMBER_NAME, R.PATH_PARAM, R.EXTERNAL_NAME, R.DB_FIELD,
                                 R.METRIC_NAME, R.COOKIE_NAME, R.IMPORT_PATH, R.JSON_TEXT,
                                 R.PATH_SEGMENT, R.PLAIN_TEXT, R.XML_TEXT, R.EXTERNAL_URL
                                 } | R.TEMPLATE_ROLES
# The roles written in English, where a renamed word's article follows it ("an error" → "a
# failure"); not an Example's expected output (compared with what the code prints) or a
# directive
_PROSE_ROLES = (R.COMMENT_ROLES - {R.EXAMPLE_OUTPUT, R.DIRECTIVE}) | {R.DOC_TEXT}
# The Go texts whose lines may be laid out as a table (a report's format, its comment)
_ALIGNED_ROLES = frozenset({R.MESSAGE, R.STRING, R.COMMENT, R.DOC_COMMENT})


@dataclass
class FilePatch:
    """One file's planned change."""

    root: str
    path: str
    before: bytes
    after: bytes
    edits: list[Edit] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    gofmt: str = ""  # FORMATTED, RENAMED_LINES_FORMATTED, ..., "skipped: ...", "" (not Go)

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


def _rows_by_file(decided: pd.DataFrame, roots: Mapping[str, Path] | None = None
                  ) -> dict[tuple[str, str], list[dict[str, Any]]]:
    """The rows that need an edit (only the columns the edits read), by file. With ``roots``,
    each row's ``legacy`` says what it does for a wire name held in a constant of the family
    (see :func:`idrename.heldwire.legacy_constants`; "" for the others)."""
    from .records import records

    columns = [c for c in _EDIT_COLUMNS if c in decided.columns]
    legacy = heldwire.legacy_constants(decided, roots) if roots else {}
    grouped: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for row in records(decided, columns):
        if _needs_edit(row):
            row["legacy"] = legacy.get(row["id"], "")
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
    grouped = _rows_by_file(decided, roots) if len(decided) else {}
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
    known = (ahead.memo if ahead is not None and ahead.memo is not None and cache is not False
             and ahead.toolchain is toolchain else _PatchMemo(toolchain, roots, wiring, cache))
    learned = False  # whether gofmt's answers from the workers went into ``memo``
    memo = _GofmtMemo(toolchain, roots, cache)
    # the files the workers made for these contents and rows (checked once, here for the Go
    # files read, in the loop for the others), which need no gofmt here
    as_bytes: dict[tuple[str, str], bytes] = {}  # each file's rows, as the keys read them

    def edits_of(key: tuple[str, str]) -> bytes:
        if key not in as_bytes:
            as_bytes[key] = rows_repr(grouped[key])
        return as_bytes[key]

    # the Go files patched alike before (for the same content and rows): no worker's result
    # and no gofmt is needed for them
    remembered = {key: found for key, data in read.items()
                  if (found := known.get(*key, data, edits_of(key))) is not None}
    taken = {key: found for key, data in read.items() if key not in remembered
             and (found := ahead.take(*key, data, edits_of(key))) is not None} \
        if ahead is not None else {}
    # gofmt -l runs on the files neither a worker nor the memos know; the gofmt memo is asked
    # about the remembered files too, so that its answers for them are kept for a later plan
    # that edits them differently
    unknown = {key: data for key, data in read.items()
               if key not in taken and memo.clean(key[0], key[1], _gofmt_text(data)) is None
               and key not in remembered}
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
            found = (remembered.pop((label, path), None) if (label, path) in read_keys
                     else known.get(label, path, data, edits_of((label, path))))
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
                  and row["decision"] in _STRUCTURAL_DECISIONS and not _documented(row)]
    keys = [row for row in rows if row["role"] in (R.FIELD_DECL, R.TYPE_USE) and _keeps(row)]
    shims = [row for row in rows if str(row.get("legacy", "")).startswith("use\t")]
    # the wiring walks the whole tree; the structural edits only their declarations
    tree = (None if not path.endswith(".go") else parse(data) if wiring is not None
            else parse_wanted(data, at=[int(r["start_byte"]) for r in structural + keys + shims])
            if structural or keys or shims else None)
    kept_tags: set[str] = set()  # the JSON tags whose legacy key could not be kept working
    for row in rows:
        if row["role"] == R.JSON_TEXT and row["decision"] == "dual":
            continue  # renamed with its legacy pair added (jsondocs)
        if row["role"] in R.GO_IDENTIFIER_ROLES or row["role"] in _TEXT_ROLES or \
                row["decision"] in TEXT_RENAMES or (
                    _documented(row) and row["decision"] in IDENTIFIER_RENAMES):
            if row["target"] != row["text"]:
                fe.add(_replace(row))
                if row["role"] in _PROSE_ROLES:
                    _agree_article(fe, row)
                if row["role"] in _ALIGNED_ROLES:
                    _keep_alignment(fe, row)
        elif row["role"] == R.STRUCT_TAG and row["decision"] in ("dual", "accept-both"):
            refusal = _legacy_key_refusal(tree, row)
            if refusal is None:
                fe.add(_replace(row))
            else:  # the tag stays, and gets no legacy-key methods
                kept_tags.add(row["id"])
                fe.warn(f"{row['path']}:{row['line']}: the {row['text']!r} tag {refusal}: the "
                        f"methods that keep {row['text']!r} working cannot be added there, so "
                        "the tag is kept; name the struct at package level and rename it by hand "
                        "with those methods")
    legacy_keys: list[T.LegacyKey] = []
    doc_keys: list[DocKey] = []
    for row in structural:
        if tree is not None and row["id"] not in kept_tags:
            _structural(fe, tree.root_node, row, legacy_keys, doc_keys)
    for row in shims if tree is not None else ():
        _kind, legacy, role, decision, new_name = str(row["legacy"]).split("\t")
        heldwire.shim_use(fe, tree.root_node.descendant_for_byte_range(
            int(row["start_byte"]), int(row["end_byte"])), row, legacy, role, decision, new_name)
    if legacy_keys:
        T.json_tag_methods(fe, legacy_keys)
    if doc_keys and tree is not None:
        dual_json_documents(fe, tree.root_node, doc_keys)
    for row in keys if tree is not None else ():
        T.keep_field_names(fe, tree.root_node.descendant_for_byte_range(
            int(row["start_byte"]), int(row["end_byte"])), row["text"], _keeps(row),
            (row["id"],), embedded=row["role"] == R.TYPE_USE)
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


def _documented(row: Mapping[str, Any]) -> bool:
    """Whether the row is a parameter's name in a swag annotation (``// @Param run_id query``):
    the API's documentation, which names the new name whenever the code reads or sends it
    (dual-emit and accept-both included), and the old one only when it is kept."""
    return str(row["detail"]).startswith(R.SWAG_PARAM)


def _legacy_key_refusal(tree: Any, row: Mapping[str, Any]) -> str | None:
    """Why a JSON tag under dual or accept-both cannot get its legacy-key methods (see
    :func:`T.legacy_key_refusal`), or None (a tag of another key: no methods are asked)."""
    if tree is None or str(row["detail"]).split(":", 1)[0] != "json":
        return None
    return T.legacy_key_refusal(tree.root_node.descendant_for_byte_range(
        int(row["start_byte"]), int(row["end_byte"])))


def _keeps(row: Mapping[str, Any]) -> set[str]:
    """The names a renamed field's row asks the patch to keep (its JSON or TOML key, its gorm
    column: :mod:`idrename.wirefields`), from its ``detail``."""
    return set(str(row["detail"]).split("; ")) & {T.KEEP_JSON_KEY, T.KEEP_TOML_KEY,
                                                  T.KEEP_GORM_COLUMN}


def _agree_article(fe: FileEdits, row: Mapping[str, Any]) -> None:
    """The article before a word renamed in prose, made to agree with the new word ("an
    error" → "a failure"): :func:`idrename.prose.article_change`."""
    change = article_change(fe.data, int(row["start_byte"]), str(row["text"]),
                            str(row["target"]))
    if change is not None:
        fe.add(Edit(*change, f"article {row['role']}", (row["id"],)))


def _keep_alignment(fe: FileEdits, row: Mapping[str, Any]) -> None:
    """The padding after a word renamed in a text laid out as a table, made to keep the column
    after it (``served     = %d`` -> ``completed  = %d``): :mod:`idrename.alignment`."""
    change = alignment_change(fe.data, int(row["start_byte"]), int(row["end_byte"]),
                              str(row["target"]).encode())
    if change is not None:
        fe.add(Edit(*change, f"align {row['role']}", (row["id"],)))


def _replace(row: Mapping[str, Any]) -> Edit:
    return Edit(int(row["start_byte"]), int(row["end_byte"]), str(row["target"]).encode(),
                f"{row['decision']} {row['role']}", (row["id"],))


# gRPC's metadata calls that take key-value pairs (gosyntax.GRPC_METADATA_KV), as the header
# rows' ``detail`` names them
METADATA_PAIRS = frozenset({"metadata.Pairs", "metadata.AppendToOutgoingContext"})
# The decisions of a Go string that need its syntax tree (the others are a plain replacement).
_STRUCTURAL_DECISIONS = frozenset({"drop-legacy", "dual", "accept-both"})


def _structural(fe: FileEdits, root: Any, row: Mapping[str, Any],
                legacy_keys: list[T.LegacyKey], doc_keys: list[DocKey]) -> None:
    """The structural edits of one row; the JSON tags' legacy keys are gathered in
    ``legacy_keys``, for one pair of methods per struct (see :func:`T.json_tag_methods`), and
    the keys of JSON documents that get their legacy pair in ``doc_keys``, for one edit per
    object (see :func:`idrename.jsondocs.dual_json_documents`)."""
    node = root.descendant_for_byte_range(int(row["start_byte"]), int(row["end_byte"]))
    role, decision = row["role"], row["decision"]
    old, new, ids = row["text"], row["target"], (row["id"],)
    held = str(row.get("legacy", "")).split("\t")
    if held[0] == "declare" and heldwire.declare(fe, node, row, held[1], held[2]):
        return  # a constant's value: renamed, its legacy name declared beside it
    if role == R.JSON_TEXT and decision == "dual":
        doc_keys.append(DocKey(int(row["start_byte"]), int(row["end_byte"]), old, new, ids))
    elif decision == "drop-legacy":
        T.drop_legacy(fe, node, old, new, ids)
    elif role == R.MAP_KEY and decision == "dual":
        T.dual_map_key(fe, node, old, new, ids)
    elif role == R.LOG_KEY and decision == "dual":
        T.dual_log_key(fe, node, old, new, ids)
    elif role in (R.QUERY_PARAM, R.HTTP_HEADER) and decision == "accept-both":
        T.accept_both_read(fe, node, old, new, ids)
    elif role == R.HTTP_HEADER and decision == "dual" and row["detail"] in METADATA_PAIRS:
        T.dual_metadata_pair(fe, node, old, new, ids)
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
    clean = _text_clean_before(patch.gofmt)
    if clean is None:
        return False
    memo.learn_clean(patch.root, patch.path, _gofmt_text(patch.before), clean)
    return True


# -- what gofmt reads of a file, and the file's layout put back ----------------------------------
_BOM = b"\xef\xbb\xbf"


def _without_bom(data: bytes) -> bytes:
    return data[len(_BOM):] if data.startswith(_BOM) else data


def _gofmt_text(data: bytes) -> bytes:
    """``data`` as gofmt is given it: without its byte order mark, CRLF line endings as LF.
    gofmt writes neither, so a file that has them is compared with gofmt's answer, line for
    line, in this form, and formatted in it (then :func:`_in_file_layout` puts them back)."""
    return _without_bom(data).replace(b"\r\n", b"\n")


def _gofmt_texts(patch: FilePatch) -> tuple[bytes, bytes]:
    """(before, after) of ``patch`` as gofmt is given them (:func:`_gofmt_text`)."""
    return _gofmt_text(patch.before), _gofmt_text(patch.after)


def _in_file_layout(before: bytes, text: bytes) -> bytes:
    """``text`` (a version of the file ``before``, as :func:`_gofmt_text` gives it) with the
    byte order mark and the line endings of ``before`` (:func:`_with_line_endings`)."""
    bom = _BOM if before.startswith(_BOM) else b""
    return bom + _with_line_endings(_without_bom(before), text)


def _with_line_endings(before: bytes, text: bytes) -> bytes:
    """``text`` (a version of ``before`` with LF line endings) with the line endings of
    ``before``: a line of ``before`` that ``text`` keeps (as :func:`_changes` pairs them) is
    as it was, a line changed or added ends as the line it stands in place of, or else the one
    above it. So a CRLF file stays CRLF, and in a file that mixes them the diff changes no line
    ending of a line the patch leaves. Only the ends of lines change, so the result is ``text``
    again as gofmt reads it; and no line ending is part of what a Go program means (Go drops
    carriage returns from raw strings and comments): whatever this chooses, nothing breaks."""
    if b"\r\n" not in before:
        return text
    old, new = _lines(before), _lines(text)
    plain = [line[:-2] + b"\n" if line.endswith(b"\r\n") else line for line in old]
    endings = _endings(old)
    out: list[bytes] = []
    at = 0
    for i1, i2, j1, j2 in [*_changes(plain, new), (len(old), len(old), len(new), len(new))]:
        out += old[at:i1]
        for j in range(j1, j2):
            k = min(i1 + j - j1, i2 - 1) if i2 > i1 else max(i1 - 1, 0)
            out.append(new[j][:-1] + endings[k] if new[j].endswith(b"\n") else new[j])
        at = i2
    return b"".join(out)


def _endings(lines: list[bytes]) -> list[bytes]:
    """The line ending of each of ``lines`` (CRLF or LF); the last line, when it has none, that
    of the line above it (LF for a file of one line)."""
    endings = [b"\r\n" if line.endswith(b"\r\n") else b"\n" for line in lines]
    if lines and not lines[-1].endswith(b"\n"):
        endings[-1] = endings[-2] if len(lines) > 1 else b"\n"
    return endings


def _layout_kept(before: bytes) -> str:
    """What of the file ``before``'s layout gofmt would drop and the patch keeps (its byte order
    mark, its CRLF line endings), for its gofmt state; '' for nothing."""
    kept = []
    if before.startswith(_BOM):
        kept.append("its byte order mark")
    crlf = before.count(b"\r\n")
    if crlf:
        kept.append("its CRLF line endings" if crlf == before.count(b"\n")
                    else "its line endings, CRLF and LF mixed")
    return f"{' and '.join(kept)}, which gofmt does not write" if kept else ""


def _line_endings_note(before: bytes) -> str:
    """What a formatted file that mixes CRLF and LF line endings (the file ``before``) is told,
    after its path; '' for any other. (A file with CRLF endings throughout needs no word: the
    gofmt column says its endings were kept, and a repository edited on Windows would get one
    warning per file.)"""
    crlf, lines = before.count(b"\r\n"), before.count(b"\n")
    if not crlf or crlf == lines:
        return ""
    return (f"mixes CRLF and LF line endings ({crlf} CRLF, {lines - crlf} LF): it was formatted "
            "with LF line endings, then each line the patch leaves was given its own ending "
            "back, and each line it changes or adds the ending of the line it replaces (or "
            "else of the line above)")


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
                (base / f"f{i:06d}.go").write_bytes(_gofmt_text(data))
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
    """:func:`_format` for many files with a few gofmt runs in a temporary folder: ``-l`` on the
    files as they were, ``-w`` on the edited copies (and, for the files that were not clean, on
    copies as they were), and ``-w`` on the merges to prove (:func:`_format_renamed_lines`). The
    first may have been started already (``precheck``); ``memo`` answers for the contents gofmt
    has seen before, and learns the others. A file gofmt complains about, or every file when the
    batch fails, goes through :func:`_format` on its own, so the messages stay the same."""
    todo, patches[:] = list(patches), []
    checked = precheck.result() if precheck is not None else {}
    if precheck is not None:
        precheck.close()
    if len(todo) < 2:
        for patch in todo:
            _format(patch, gofmt)
        return
    memo = memo if memo is not None else _GofmtMemo(None)
    parts = [_gofmt_texts(p) for p in todo]
    state: dict[int, str] = {}  # clean, unclean or odd
    remembered: set[int] = set()  # the memo knew whether the file was clean
    for i, p in enumerate(todo):
        known = checked.get((p.root, p.path))
        if known is not None and known[0] == p.before:
            state[i] = known[1]
        elif (clean := memo.clean(p.root, p.path, parts[i][0])) is not None:
            state[i] = "clean" if clean else "unclean"
            remembered.add(i)
    try:
        with tempfile.TemporaryDirectory(prefix="idrename-gofmt-") as tmp:
            base = Path(tmp)
            unknown = [i for i in range(len(todo)) if i not in state]
            if unknown:
                (base / "before").mkdir()
                for i in unknown:
                    (base / "before" / f"f{i:06d}.go").write_bytes(parts[i][0])
                unclean, odd = _gofmt_files(toolchain, base, "-l", "before")
                for i in unknown:
                    state[i] = "odd" if i in odd else "unclean" if i in unclean else "clean"
            formatted = _formatted_after(todo, parts, state,
                                         _GofmtBatch(toolchain, base / "after", memo))
            merged = _merged(todo, parts, state, formatted,
                             _GofmtBatch(toolchain, base / "merged", memo))
    except (OSError, subprocess.SubprocessError):
        for patch in todo:
            _format(patch, gofmt)
        return
    for i, patch in enumerate(todo):
        if state[i] != "odd" and i not in remembered:
            memo.learn_clean(patch.root, patch.path, parts[i][0], state[i] == "clean")
        after_fmt = formatted.get((i, "after"))
        if state[i] == "unclean" and i in merged and after_fmt is not None:
            _renamed_lines_formatted(patch, merged[i], after_fmt)
        elif state[i] == "clean" and after_fmt is not None:
            _formatted(patch, FORMATTED, after_fmt)
        else:  # gofmt complains about it, or its edited copy: on its own, for its message
            _format(patch, gofmt)
    memo.save()


def _formatted_after(todo: list[FilePatch], parts: list[tuple[bytes, bytes]],
                     state: Mapping[int, str], batch: _GofmtBatch
                     ) -> dict[tuple[int, str], bytes | None]:
    """gofmt's version, in one run of ``batch``, of each edited file (``parts``: as
    :func:`_gofmt_texts` gives them) but the odd ones, and of each unclean one as it was: by
    (number, "after" or "before")."""
    for i, patch in enumerate(todo):
        if state[i] != "odd":
            batch.ask((i, "after"), patch, "after", parts[i][1])
        if state[i] == "unclean":
            batch.ask((i, "before"), patch, "before-formatted", parts[i][0])
    return batch.run()


def _merged(todo: list[FilePatch], parts: list[tuple[bytes, bytes]],
            state: Mapping[int, str], formatted: Mapping[tuple[int, str], bytes | None],
            batch: _GofmtBatch) -> dict[int, bytes]:
    """Per unclean file that gofmt read as it was and edited, :func:`merge_formatted` of it, as
    :func:`_format_renamed_lines` makes it, the merges proven in one run of ``batch``. (The
    others are left out: they go through :func:`_format` on their own, for gofmt's message.)"""
    merged: dict[int, bytes] = {}
    expected: dict[int, bytes] = {}  # gofmt's version of the edited file, for each merge
    for i, patch in enumerate(todo):
        before_fmt, after_fmt = formatted.get((i, "before")), formatted.get((i, "after"))
        if state[i] != "unclean" or before_fmt is None or after_fmt is None:
            continue
        before, after = parts[i]
        merged[i] = merge_formatted(before, after, before_fmt, after_fmt)
        if merged[i] != after:
            expected[i] = after_fmt
            batch.ask(i, patch, "merged", merged[i])
    for i, merged_fmt in batch.run().items():
        merged[i] = _proven(parts[i][1], merged[i], merged_fmt, expected[i])
    return merged


class _GofmtBatch:
    """Contents to gofmt in one ``gofmt -w`` run on ``folder``, which the run fills with their
    copies (named by number), each asked for under a key. ``memo`` answers for a content gofmt
    has seen for that file and purpose (``kind``), and learns what the run makes of the others."""

    def __init__(self, toolchain: Any, folder: Path, memo: _GofmtMemo) -> None:
        self.toolchain, self.folder, self.memo = toolchain, folder, memo
        self.answers: dict[Any, bytes | None] = {}
        self._asked: list[tuple[Any, FilePatch, str, bytes]] = []

    def ask(self, key: Any, patch: FilePatch, kind: str, body: bytes) -> None:
        known = self.memo.formatted(patch.root, patch.path, body, kind)
        if known is not None:
            self.answers[key] = known
        else:
            self._asked.append((key, patch, kind, body))

    def run(self) -> dict[Any, bytes | None]:
        """gofmt's version of each content asked for, by key (None: gofmt cannot read it)."""
        if self._asked:
            self.folder.mkdir()
            copies = [self.folder / f"f{n:06d}.go" for n in range(len(self._asked))]
            for copy, (_key, _patch, _kind, body) in zip(copies, self._asked, strict=True):
                copy.write_bytes(body)
            _, failed = _gofmt_files(self.toolchain, self.folder.parent, "-w", self.folder.name)
            for n, (key, patch, kind, body) in enumerate(self._asked):
                found = None if n in failed else copies[n].read_bytes()
                self.answers[key] = found
                if found is not None:
                    self.memo.learn_formatted(patch.root, patch.path, body, found, kind)
            self._asked = []
        return self.answers


class _GofmtMemo:
    """What gofmt said of contents it has seen before, in the result cache: whether a file was
    gofmt-clean, and what it makes of an edited one (and, for a file that was not clean, of the
    file as it was and of the merge of the two). Keyed by the gofmt binary, its version, the file
    and its exact content; inert without a toolchain or a usable cache."""

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

    def formatted(self, root: str, path: str, body: bytes, kind: str = "after") -> bytes | None:
        """What gofmt made of ``body`` for this file and purpose (``kind``: "after", the edited
        file; "before-formatted", the file as it was; "merged", a merge to prove)."""
        found = self._get(f"{root}/{path}:{kind}", body)
        return found if isinstance(found, bytes) else None

    def learn_clean(self, root: str, path: str, body: bytes, clean: bool) -> None:
        if self.index is not None:
            rel = f"{root}/{path}:before"
            self.index.put(rel, self.index.key(rel, body), clean)

    def learn_formatted(self, root: str, path: str, body: bytes, formatted: bytes,
                        kind: str = "after") -> None:
        if self.index is not None:
            rel = f"{root}/{path}:{kind}"
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

    def holds(self, root: str, path: str, full: Path, edits: bytes) -> bool:
        """Whether :meth:`get` would find the file at ``full`` (read here) with these rows,
        marking nothing used."""
        index = self.indexes.get(root)
        if index is None:
            return False
        try:
            data = full.read_bytes()
        except OSError:
            return False
        return index.has(path, self._key(index, path, data, edits))

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


# -- FilePatch.gofmt: what gofmt did to a changed Go file ------------------------------------------
# The file was gofmt-clean before: all of it is gofmt's.
FORMATTED = "formatted"
# The file was not gofmt-clean before the patch: gofmt's version of the lines the rename changed
# is merged into the file, whose other lines stay as they were (:func:`merge_formatted`).
RENAMED_LINES_FORMATTED = "formatted the rename's lines only (the file was not gofmt-clean before)"
# The same merge, which came out as gofmt's version of the whole edited file: what gofmt would
# have changed before was all on lines the rename rewrote.
CLEAN_AFTER_RENAME = "formatted (gofmt-clean after the rename, though not before)"
# Left as edited: gofmt failed on the file as it was, or only on the edited file.
NOT_READ = "skipped: gofmt cannot read the file, so it is edited without formatting"
EDITED_NOT_READ = "skipped: gofmt cannot read the edited file, so it is left as edited"
NO_TOOLCHAIN = "skipped: no Go toolchain, so the result is not gofmt'd"
_FORMATTED_STATES = (FORMATTED, RENAMED_LINES_FORMATTED, CLEAN_AFTER_RENAME)
# A formatted state is followed by this and what of the file's layout gofmt would have dropped
# was kept (its byte order mark, its CRLF line endings; :func:`_layout_kept`).
_KEPT = "; kept "


def gofmt_clean_before(state: str) -> bool | None:
    """Whether a changed file in ``state`` (its :attr:`FilePatch.gofmt`) was gofmt-clean before
    the patch, as ``gofmt -l`` judges the file (None: not known, the patch did not run gofmt on
    it). A file with a byte order mark or CRLF line endings never is: gofmt writes neither, so
    ``gofmt -l`` lists it, before the patch as after."""
    if state.partition(_KEPT)[0] not in _FORMATTED_STATES:
        return None
    return state == FORMATTED


def _text_clean_before(state: str) -> bool | None:
    """Whether the file in ``state`` was gofmt-clean before as gofmt reads it
    (:func:`_gofmt_text`: its BOM and CRLF line endings aside), as :class:`_GofmtMemo` keeps it;
    None: not known."""
    base = state.partition(_KEPT)[0]
    return base == FORMATTED if base in _FORMATTED_STATES else None


def _format(patch: FilePatch, gofmt: Any) -> None:
    """gofmt ``patch.after`` with ``gofmt`` (bytes -> bytes), as gofmt reads it
    (:func:`_gofmt_texts`): the whole file when it was gofmt-clean before, else only the lines
    the rename changed (:func:`_format_renamed_lines`); the file's BOM and line endings are put
    back. A file gofmt cannot read is left as edited, and says so (:func:`_not_formatted`)."""
    if gofmt is None:
        patch.gofmt = NO_TOOLCHAIN
        patch.warnings.append(f"{patch.path}: {patch.gofmt}")
        return
    before, after = _gofmt_texts(patch)
    try:
        before_fmt: bytes = gofmt(before)
    except Exception as exc:
        _not_formatted(patch, exc)
        return
    if before_fmt != before:
        _format_renamed_lines(patch, gofmt, before_fmt)
        return
    try:
        after_fmt: bytes = gofmt(after)
    except Exception as exc:
        raise PatchError(
            f"{patch.root}/{patch.path}: the edited file does not parse ({exc}); nothing was "
            "written. This is a bug in a transformation: report it with this file."
        ) from exc
    _formatted(patch, FORMATTED, after_fmt)


def _formatted(patch: FilePatch, state: str, text: bytes) -> None:
    """Make ``text`` (gofmt's version of the edited file, or a merge, as gofmt reads it)
    ``patch.after``, with the file's BOM and line endings (:func:`_in_file_layout`), in
    ``state`` (one of ``_FORMATTED_STATES``), and add the warnings that say so: the one place
    where a formatted state is set."""
    patch.after = _in_file_layout(patch.before, text)
    kept = _layout_kept(patch.before)
    patch.gofmt = f"{state}{_KEPT}{kept}" if kept else state
    if state == RENAMED_LINES_FORMATTED:
        patch.warnings.append(
            f"{patch.path}: was not gofmt-clean before the patch, so gofmt formatted only the "
            "lines the rename changed (where that rewrites none of the file's own lines) and "
            "left the rest as it was; run gofmt on the file separately to format all of it")
    endings = _line_endings_note(patch.before)
    if endings:
        patch.warnings.append(f"{patch.path}: {endings}")


def _not_formatted(patch: FilePatch, exc: Exception, *, edited: bool = False) -> None:
    """Leave ``patch.after`` as edited, since gofmt failed (``exc``) on the file as it was, or
    (``edited``) only on the edited file, and say so with what gofmt said."""
    from .gotool import GoFormatError

    said = _gofmt_complaint(patch.path, exc)
    if edited:
        patch.gofmt = EDITED_NOT_READ
        patch.warnings.append(
            f"{patch.path}: left as edited, without formatting: gofmt read the file as it was "
            f"but cannot read it edited ({said}); check this file's diff, and report it with "
            "this file (a bug in a transformation)")
        return
    patch.gofmt = NOT_READ
    why, todo = (("cannot read", "fix the syntax error gofmt reports, then run the plan again")
                 if isinstance(exc, GoFormatError) else ("failed on", "run the plan again"))
    patch.warnings.append(
        f"{patch.path}: edited without formatting, since gofmt {why} the file ({said}); "
        f"{todo}, or align the rename's lines by hand")


def _gofmt_complaint(path: str, exc: Exception) -> str:
    """gofmt's first complaint in ``exc`` (``path:line:col: message``, the file named by
    ``path``), shortened, and how many more there are: what a warning quotes of it."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    if not lines:
        return type(exc).__name__
    first = lines[0]
    if first.startswith(_STDIN_NAME):
        first = path + first[len(_STDIN_NAME):]
    if len(first) > _COMPLAINT_WIDTH:
        first = first[: _COMPLAINT_WIDTH - 3] + "..."
    return first + (f" (and {len(lines) - 1} more)" if len(lines) > 1 else "")


_STDIN_NAME = "<standard input>"  # how gofmt names the source it reads on stdin
_COMPLAINT_WIDTH = 160


def _format_renamed_lines(patch: FilePatch, gofmt: Any, before_fmt: bytes) -> None:
    """:func:`_renamed_lines_formatted` for a file that was not gofmt-clean before, with
    ``gofmt`` (bytes -> bytes) run on the edited file and on the merge. ``before_fmt``: gofmt's
    version of the file as it was."""
    before, after = _gofmt_texts(patch)
    try:
        after_fmt: bytes = gofmt(after)
    except Exception as exc:
        _not_formatted(patch, exc, edited=True)
        return
    merged = merge_formatted(before, after, before_fmt, after_fmt)
    if merged != after:
        try:
            merged = _proven(after, merged, gofmt(merged), after_fmt)
        except Exception:
            merged = after  # gofmt cannot read the merge: not proven
    _renamed_lines_formatted(patch, merged, after_fmt)


def _renamed_lines_formatted(patch: FilePatch, merged: bytes, after_fmt: bytes) -> None:
    """Make ``merged`` (:func:`merge_formatted`'s, proven, or the edited file) ``patch.after``
    in the state :data:`RENAMED_LINES_FORMATTED`; or :data:`CLEAN_AFTER_RENAME` when it is
    gofmt's version of the edited file (``after_fmt``): then nothing is left for gofmt to
    format, and no warning says there is."""
    _formatted(patch, CLEAN_AFTER_RENAME if merged == after_fmt else RENAMED_LINES_FORMATTED,
               merged)


def _proven(after: bytes, merged: bytes, merged_fmt: bytes | None, after_fmt: bytes) -> bytes:
    """``merged`` when gofmt makes of it (``merged_fmt``) exactly what it makes of the edited
    file ``after`` (``after_fmt``), and it holds the same words (what whitespace separates),
    so the merge kept every edit and changed nothing but layout; else ``after``, as edited: a
    merge that cannot be proven so is never used. (gofmt alone would prove too much: it drops an
    import written twice, which the compiler refuses.)"""
    if merged_fmt != after_fmt:
        return after
    return merged if Counter(merged.split()) == Counter(after.split()) else after


def merge_formatted(before: bytes, after: bytes, before_fmt: bytes, after_fmt: bytes) -> bytes:
    """``after`` (``before`` with the rename's edits) with the rename's lines as gofmt lays them
    out, and every other line as it was in ``before``, which was not gofmt-clean.

    A three-way merge on lines: its base is ``before_fmt`` (gofmt of ``before``), one side
    ``before`` (the file's own layout), the other ``after_fmt`` (gofmt of ``after``: the rename,
    realigned with its neighbours). A change from ``before_fmt`` to ``after_fmt`` is taken, with
    gofmt's lines, where all its lines are lines of ``before`` that gofmt left as they were;
    one that touches a line gofmt would change anyway, or whose edits the alignment does not
    place inside it, is not, and the edited lines of ``after`` stay there as they are. So the
    file's own layout is never rewritten. The caller proves the result (:func:`_proven`)."""
    b, a, fb, fa = (_lines(text) for text in (before, after, before_fmt, after_fmt))
    where = _kept_by_gofmt(fb, b)
    hunks = [(_base_span(i1, i2, where, len(b)), fa[j1:j2]) for i1, i2, j1, j2 in _changes(fb, fa)]
    edits = [((k1, k2), a[a1:a2]) for k1, k2, a1, a2 in _changes(b, a)]
    taken, covered = _hunks_taken([span for span, _ in hunks], [span for span, _ in edits])
    pieces = [(hunks[n][0][:2], hunks[n][1]) for n in taken]
    pieces += [edit for n, edit in enumerate(edits) if n not in covered]
    out: list[bytes] = []
    at = 0
    for (start, end), lines in sorted(pieces, key=lambda piece: piece[0]):
        out += b[at:start]
        out += lines
        at = end
    out += b[at:]
    return b"".join(out)


def _lines(text: bytes) -> list[bytes]:
    """``text`` cut after each newline (the last line may have none): joined, ``text`` again."""
    lines = [line + b"\n" for line in text.split(b"\n")]
    lines[-1] = lines[-1][:-1]
    return lines if lines[-1] else lines[:-1]


def _changes(old: list[bytes], new: list[bytes]) -> list[tuple[int, int, int, int]]:
    """The hunks that turn the lines ``old`` into ``new``: (old start, old end, new start, new
    end), in order, each between two runs of equal lines."""
    hunks = []
    i = j = 0
    for start, other, size in [*_matching_blocks(old, new), (len(old), len(new), 0)]:
        if (i, j) != (start, other):
            hunks.append((i, start, j, other))
        i, j = start + size, other + size
    return hunks


def _kept_by_gofmt(formatted: list[bytes], lines: list[bytes]) -> list[int | None]:
    """For each line of gofmt's version of a file, the file's own line it kept as it was (an
    index into ``lines``), or None for a line gofmt wrote differently."""
    where: list[int | None] = [None] * len(formatted)
    for i, k, size in _matching_blocks(formatted, lines):
        where[i : i + size] = range(k, k + size)
    return where


def _matching_blocks(old: list[bytes], new: list[bytes]) -> list[tuple[int, int, int]]:
    """Runs of equal lines of ``old`` and ``new`` (start in each, length), in order. Lines that
    occur once in each, in the same order, are matched first (as patience diff does), and
    difflib matches the lines between them: difflib alone costs about the length times the
    number of changes, which a long file with many edits makes minutes."""
    blocks: list[tuple[int, int, int]] = []
    i = j = 0
    for start, other in [*_anchors(old, new), (len(old), len(new))]:
        if i < start and j < other:
            matcher = difflib.SequenceMatcher(None, old[i:start], new[j:other])
            blocks += [(i + a, j + b, size) for a, b, size in matcher.get_matching_blocks()
                       if size]
        if start < len(old):
            blocks.append((start, other, 1))
        i, j = start + 1, other + 1
    return blocks


def _anchors(old: list[bytes], new: list[bytes]) -> list[tuple[int, int]]:
    """The longest series of lines that occur once in ``old`` and once in ``new``, in the same
    order in both: (index in old, index in new)."""
    once_old, once_new = Counter(old), Counter(new)
    where_new = {line: j for j, line in enumerate(new) if once_new[line] == 1}
    pairs = [(i, where_new[line]) for i, line in enumerate(old)
             if once_old[line] == 1 and line in where_new]
    ends: list[int] = []  # ends[k]: the least index in new that ends an ordered series of k + 1
    tails: list[int] = []  # the pair that ends it
    back: list[int] = []  # each pair's predecessor in its series (-1: none)
    for n, (_i, j) in enumerate(pairs):
        k = bisect.bisect_left(ends, j)
        back.append(tails[k - 1] if k else -1)
        if k == len(ends):
            ends.append(j)
            tails.append(n)
        else:
            ends[k], tails[k] = j, n
    series: list[tuple[int, int]] = []
    n = tails[-1] if tails else -1
    while n >= 0:
        series.append(pairs[n])
        n = back[n]
    return series[::-1]


def _base_span(i1: int, i2: int, where: list[int | None], size: int) -> tuple[int, int, bool]:
    """The lines of the file (as it was, ``size`` lines) under the base lines ``[i1, i2)`` of a
    hunk of gofmt's version (``where``: :func:`_kept_by_gofmt`): (start, end, exact). Exact when
    they are lines gofmt kept, one after the other (for an insertion: between two such lines,
    adjacent); else the span between the nearest kept lines around them, not exact."""
    # the nearest kept lines around them
    above = next((where[k] for k in range(i1 - 1, -1, -1) if where[k] is not None), None)
    below = next((where[k] for k in range(i2, len(where)) if where[k] is not None), None)
    before = above + 1 if above is not None else 0
    after = below if below is not None else size
    if i1 == i2:
        anchored = ((i1 == 0 or where[i1 - 1] is not None)
                    and (i1 == len(where) or where[i1] is not None))
        return before, after, anchored and before == after
    first, last = where[i1], where[i2 - 1]
    if first is not None and last is not None and last - first == i2 - 1 - i1 \
            and None not in where[i1:i2]:
        return first, last + 1, True
    return before, after, False


def _hunks_taken(hunks: list[tuple[int, int, bool]],
                 edits: list[tuple[int, int]]) -> tuple[set[int], set[int]]:
    """Which of gofmt's hunks (spans of the file as it was, :func:`_base_span`) the merge takes,
    and which of the rename's edits (spans of the same lines) they cover. A hunk is taken when
    its span is exact and touches no span left to the edited lines: a hunk not exact, an edit
    that no taken hunk holds, or a hunk dropped so (until nothing changes). The exact spans are
    in order and apart, so each edit and span is looked up by bisection."""
    taken = [n for n, (_start, _end, exact) in enumerate(hunks) if exact]
    left = [(start, end) for start, end, exact in hunks if not exact]
    while True:
        spans = [(hunks[n][0], hunks[n][1]) for n in taken]
        starts = [start for start, _end in spans]
        covered = {k for k, edit in enumerate(edits) if _holder(edit, spans, starts)}
        loose = left + [edit for k, edit in enumerate(edits) if k not in covered]
        dropped = {m for span in loose for m in _touching(span, spans, starts)}
        if not dropped:
            return set(taken), covered
        left += [spans[m] for m in dropped]
        taken = [n for m, n in enumerate(taken) if m not in dropped]


def _holder(edit: tuple[int, int], spans: list[tuple[int, int]], starts: list[int]) -> bool:
    """Whether one of ``spans`` (in order, apart; ``starts``: theirs) holds ``edit``: the last
    one that starts at or before it, if any."""
    m = bisect.bisect_right(starts, edit[0]) - 1
    return m >= 0 and _inside(edit, spans[m])


def _touching(span: tuple[int, int], spans: list[tuple[int, int]],
              starts: list[int]) -> list[int]:
    """The indexes of the ``spans`` (in order, apart; ``starts``: theirs) that ``span`` touches:
    from the last that starts at or before its end, back while they end at or after its start."""
    found = []
    m = bisect.bisect_right(starts, span[1]) - 1
    while m >= 0 and spans[m][1] >= span[0]:
        if _touch(span, spans[m]):
            found.append(m)
        m -= 1
    return found


def _inside(edit: tuple[int, int], span: tuple[int, int]) -> bool:
    """Whether ``edit`` lies in ``span``; an insertion (an empty span: the place before a line)
    at either end of a span of lines does not (it may belong before it or after it)."""
    (k1, k2), (start, end) = edit, span
    if k1 == k2 and start < end:
        return start < k1 < end
    return start <= k1 and k2 <= end


def _touch(one: tuple[int, int], other: tuple[int, int]) -> bool:
    """Whether two spans share a line, or one is empty and lies at or inside the other."""
    (s1, e1), (s2, e2) = one, other
    if s1 == e1 or s2 == e2:
        return s1 <= e2 and s2 <= e1
    return s1 < e2 and s2 < e1


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
    """The unified diff of one file, from ``before`` to ``after``, in git's form. Lines are cut
    after each LF only, as git cuts them: a CRLF line keeps its CR, and a lone CR, a form feed
    or a U+2028 inside a line (each a line break to ``str.splitlines``) stays in its line."""
    a, b = _text_lines(before), _text_lines(after)
    out = [f"diff --git a/{path} b/{path}\n"]
    lines = list(difflib.unified_diff(a, b, f"a/{path}", f"b/{path}", n=context))
    for line in lines:
        if line.endswith("\n"):
            out.append(line)
        else:
            out.append(line + "\n\\ No newline at end of file\n")
    return "".join(out)


def _text_lines(data: bytes) -> list[str]:
    """``data``'s lines as git counts them, as text for difflib: cut after each LF (the last
    line may have none)."""
    lines = data.decode("utf-8", "surrogateescape").split("\n")
    last = lines.pop()
    return [line + "\n" for line in lines] + ([last] if last else [])


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
