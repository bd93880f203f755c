"""The stages chained: what the command line and the notebooks both call.

``analyse`` runs inventory -> decisions -> compatibility -> checks; ``make_patch`` turns the
result into a patch; ``plan_document`` records it as JSON (every decision, its rationale and
target, the SHA-256 of every file the patch would touch).
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .collector import with_fewer_collections

if TYPE_CHECKING:
    from pathlib import Path

    import pandas as pd

    from .inventory import Inventory
    from .patch import Patch
    from .patchahead import PatchAhead
    from .policy import Policy

PLAN_COLUMNS = [
    "id", "root", "path", "line", "column", "end_line", "end_column", "start_byte", "end_byte",
    "language", "role", "text", "symbol", "owner", "package", "detail", "is_test",
    "is_generated", "wire", "declared_in_module", "section", "parse_error", "decision", "target",
    "rationale", "decided_by", "suggestion",
]


@dataclass
class Analysis:
    """Everything known before anything is written."""

    policy: Policy
    inventory: Inventory
    decided: pd.DataFrame
    matrix: pd.DataFrame
    conflicts: list[Any] = field(default_factory=list)
    go_roots: list[str] = field(default_factory=list)
    consumer_roots: list[str] = field(default_factory=list)
    cache: Any = None  # the result cache it used (see analyse), for the patch

    @property
    def errors(self) -> list[Any]:
        return [c for c in self.conflicts if c.severity == "error"]

    def decision_counts(self) -> pd.DataFrame:
        counts = self.decided.groupby("decision").size().rename("occurrences").reset_index()
        return counts.sort_values(["occurrences", "decision"], ascending=[False, True],
                                  ignore_index=True)


@with_fewer_collections
def analyse(
    roots: Sequence[str | os.PathLike[str]],
    policy: Policy,
    consumers: Sequence[str | os.PathLike[str]] = (),
    *,
    executor: Executor | None = None,
    progress: Any = None,
    safety_checks: bool = True,
    cache: Any = None,
) -> Analysis:
    """Inventory, decisions, compatibility strategies and safety checks, in that order.
    ``safety_checks=False`` stops before the checks (verification only needs the decisions).

    ``cache`` (as :func:`idrename.inventory.scan` takes it; False: none) keeps the per-file
    results, and the matrix and the conflicts of a tree and policy analysed before: when no
    file under the roots and nothing in the policy changed since, they are read back instead of
    computed again (see :mod:`idrename.memo`)."""
    from .inventory import shared_pool

    with shared_pool():  # one process pool for every stage that wants one
        return _analyse(roots, policy, consumers, executor, progress, safety_checks, cache)


@with_fewer_collections
def analyse_and_patch(
    roots: Sequence[str | os.PathLike[str]],
    policy: Policy,
    consumers: Sequence[str | os.PathLike[str]] = (),
    *,
    executor: Executor | None = None,
    progress: Any = None,
    cache: Any = None,
) -> tuple[Analysis, Patch | None]:
    """:func:`analyse`, then :func:`make_patch` when the analysis found no error (else the
    patch is None). The patch reads only the decisions, which the safety checks do not change,
    so it is started while they run: built here when they run in a forked child (see
    :func:`idrename.checks.fork_checks`), else each file's patch made in the process pool
    (:mod:`idrename.patchahead`). A :class:`idrename.patch.PatchError` raised early is raised
    only when the checks found no error, as it would be after them."""
    from .inventory import shared_pool
    from .patch import PatchError
    from .patchahead import PatchAhead

    early: list[Patch | PatchError] = []
    ahead: list[PatchAhead] = []

    def build(provisional: Analysis, forked: bool) -> None:
        if not forked:
            if executor is None and (started := PatchAhead.start(
                    provisional.decided, provisional.inventory.roots,
                    provisional.policy.wiring, provisional.cache)) is not None:
                ahead.append(started)
            return
        try:
            early.append(make_patch(provisional))
        except PatchError as exc:
            early.append(exc)

    with shared_pool():
        try:
            analysis = _analyse(roots, policy, consumers, executor, progress, True, cache,
                                while_checking=build)
        except BaseException:
            for started in ahead:
                started.cancel()
            raise
        planned = None
        for started in ahead:
            if analysis.errors:
                started.cancel()
            else:
                planned = started.collect()
    if analysis.errors:
        return analysis, None
    if not early:
        return analysis, make_patch(analysis, ahead=planned)
    if isinstance(early[0], PatchError):
        raise early[0]
    return analysis, early[0]


def _analyse(roots: Sequence[str | os.PathLike[str]], policy: Policy,
             consumers: Sequence[str | os.PathLike[str]], executor: Executor | None,
             progress: Any, safety_checks: bool, cache: Any,
             while_checking: Callable[[Analysis, bool], None] | None = None) -> Analysis:
    """:func:`analyse`; ``while_checking`` is called with the analysis so far (every field but
    the conflicts final) before the safety checks are waited for, and whether they run in a
    forked child (True) or in this process next (False)."""
    from .gofacts import PARALLEL_MIN_FILES as FACTS_POOL_FILES
    from .inventory import scan
    from .memo import Inputs, StageMemo, policy_digest
    from .skipped import keep_skipped_members, skipped_folders

    memo = StageMemo(cache) if cache is not False else None
    inputs = Inputs.of([*roots, *consumers], policy.skip, memo.store) \
        if memo is not None and memo.store is not None else None  # before anything is read
    inv = scan([*roots, *consumers], policy.spec, sections=policy.sections, skip=policy.skip,
               executor=executor, progress=progress, cache=cache)
    # (imported after the scan: they import pandas, which the scan imports while its workers
    # parse)
    from . import checks, compat
    from .decisions import decide
    from .outsideiface import OutsideTypes

    outside_types = OutsideTypes()  # read outside the roots by the decisions, for the checks
    # Where this process can fork, the symbol-level checks fork now, before the decisions: the
    # child indexes the files the inventory found while this process decides, then is handed
    # the decided rows and checks them (its memo looked up first; see checks.fork_checks).
    early = (checks.fork_checks(inv.frame, inv.roots, policy.spec, cache=cache, inputs=inputs)
             if safety_checks and executor is None else None)
    prepared = symbols = facts = None
    try:
        labels = list(inv.roots)
        go_roots, consumer_roots = labels[: len(roots)], labels[len(roots) :]
        # (which roots compat reads depends on the inventory only)
        facts = compat.facts_reader(inv.frame, consumer_roots=consumer_roots, policy=policy,
                                    roots=inv.roots)
        if facts is not None and early is None and executor is None:
            # No child holds memory beside the pool (this process could not fork: the
            # inventory's pool is running, or forking is off): the pool reads the Go facts while
            # this process decides.
            facts.start(list(facts.roots), cache=cache, inputs=inputs)
        go_paths = {label: inv.roots[label] for label in go_roots}
        folders = skipped_folders(go_paths, policy.skip)
        decided = keep_skipped_members(
            decide(inv.frame, policy, inv.roots, cache=cache, outside_types=outside_types),
            go_paths, folders)
        # what the skipped folders and the packages outside the roots decided is in the key:
        # the roots' digests leave them out
        from_skipped = sorted(decided.loc[decided["decided_by"].isin(_DECIDED_ELSEWHERE), "id"]) \
            if "decided_by" in decided.columns else []
        key = inputs.key(policy_digest(policy), len(roots), safety_checks, from_skipped) \
            if inputs else None
        remembered = _recall(memo.get(_STAGE, key)) if memo is not None and key else None
        # read back only if no file changed since the digest (else the inventory read another
        # tree)
        if remembered is not None and inputs is not None and inputs.unchanged():
            for started in (early, facts):
                if started is not None:
                    started.cancel()
            matrix, conflicts = remembered
            decided = compat.apply_strategies(decided, matrix, inv.roots)
            found = _found_anew(decided, go_paths, folders, policy.skip, safety_checks, cache,
                                outside_types)
            return Analysis(policy, inv, decided, matrix,
                            _with_policy(_with_wire_names(_merged(conflicts, found),
                                                          decided, matrix), decided, policy,
                                         inv.roots),
                            go_roots, consumer_roots, cache)
        if early is not None:
            prepared, early = early.decided(decided), None
        # Unless compat is about to read many Go files in a pool: the child and the pool at
        # once would hold more memory than one after the other, so the child is then stopped
        # (the count is taken after the fork, not to delay the child when the facts are in the
        # cache).
        if (prepared is not None and prepared.forked is not None and facts is not None
                and facts.stale_files(facts.roots, cache, inputs) >= FACTS_POOL_FILES):
            prepared.cancel()
            prepared = None
        # Else the symbol index of the checks starts in the background while compat reads the
        # source, unless the findings that need it are remembered for these files and names.
        if safety_checks and prepared is None:
            symbols = (checks.symbols_key(decided, inv.roots, policy.spec, inputs)
                       if memo is not None and inputs is not None else None)
            if memo is None or symbols is None or memo.get(checks.SYMBOLS_STAGE, symbols) is None:
                prepared = checks.start_checks(decided, inv.roots, policy.spec,
                                               executor=executor, cache=cache)
        matrix = compat.contracts(decided, consumer_roots=set(consumer_roots), policy=policy,
                                  roots=inv.roots, executor=executor, cache=cache,
                                  inputs=inputs, facts=facts)
        before, decided = decided, compat.apply_strategies(decided, matrix, inv.roots)
        if symbols is not None and checks.identifiers_changed(before, decided):
            symbols = None  # the strategies renamed an identifier after all: run_checks keys anew
        if prepared is not None:
            prepared.prefetch()  # before the patch's work, which may fill the pool next
        if while_checking is not None and prepared is not None:
            while_checking(Analysis(policy, inv, decided, matrix, [], go_roots, consumer_roots,
                                    cache), prepared.forked is not None)
        # (while the checks finish in the child or the pool)
        found = _found_anew(decided, go_paths, folders, policy.skip, safety_checks, cache,
                            outside_types)
        conflicts = (checks.run_checks(decided, inv.roots, policy.spec, executor=executor,
                                       cache=cache, inputs=inputs, symbols=symbols,
                                       prepared=prepared)
                     if safety_checks else [])
    except BaseException:
        for started in (early, prepared, facts):
            if started is not None:
                started.cancel()  # a forked child is not waited for (no-op otherwise)
        raise
    if memo is not None and inputs is not None and key and inputs.unchanged():
        memo.put(_STAGE, key, _keep(matrix, conflicts))  # nothing changed while it ran
    return Analysis(policy, inv, decided, matrix,
                    _with_policy(_with_wire_names(_merged(conflicts, found), decided, matrix),
                                 decided, policy, inv.roots),
                    go_roots, consumer_roots, cache)


def _with_policy(conflicts: list[Any], decided: pd.DataFrame, policy: Policy,
                 roots: dict[str, Path]) -> list[Any]:
    """The policy's entries that had no effect (:func:`idrename.decisions.check_entries`),
    then the conflicts: found anew on every plan from the decisions (one pass over the rows at
    most), never remembered, since their messages name the policy file as it was given."""
    from .decisions import check_entries

    found = check_entries(decided, policy, roots)
    return [*found, *conflicts] if found else conflicts


def _with_wire_names(conflicts: list[Any], decided: pd.DataFrame,
                     matrix: pd.DataFrame) -> list[Any]:
    """The conflicts, the renamed fields that an encoding other than JSON names by their Go
    name (:func:`idrename.wirefields.wire_warnings`) and the keys of JSON documents that the
    policy's default for strings decides against their contracts
    (:func:`idrename.compat.inherited_json_text_warnings`), found anew from the decisions and
    the matrix, whether both were computed or read back."""
    from . import compat, wirefields

    return _merged(conflicts, wirefields.wire_warnings(decided, matrix)
                   + compat.inherited_json_text_warnings(decided, matrix))


def _found_anew(decided: pd.DataFrame, go_paths: dict[str, Path],
                folders: dict[str, list[Path]], skip: Sequence[str], safety_checks: bool,
                cache: Any = None, outside_types: Any = None) -> list[Any]:
    """The uses of renamed names in skipped folders (:mod:`idrename.skipped`), in assembly
    (:mod:`idrename.asmrefs`) and of interfaces outside the roots
    (:mod:`idrename.outsideiface`), found anew on every plan: the digests the memos are keyed
    by leave those folders, the .s files and the packages outside the roots out (``cache``
    keeps the imports of the roots' files, by their ``stat`` signatures). None without the
    safety checks."""
    if not safety_checks:
        if outside_types is not None:
            outside_types.save()  # what the decisions read
        return []
    from .asmrefs import assembly_conflicts
    from .outsideiface import outside_interface_conflicts
    from .skipped import skipped_uses

    return (skipped_uses(decided, go_paths, folders) + assembly_conflicts(decided, go_paths)
            + outside_interface_conflicts(decided, go_paths, skip, cache=cache,
                                          shared=outside_types))


def _merged(conflicts: list[Any], found: list[Any]) -> list[Any]:
    """The conflicts with those :func:`_found_anew`, in the conflicts' order."""
    if not found:
        return conflicts
    return sorted([*conflicts, *found], key=lambda c: (c.path, c.line, c.kind, c.message))


_STAGE = "analysis"
# Decisions that depend on Go code the roots' digests leave out.
_DECIDED_ELSEWHERE = ("declared-in-skipped", "declared-outside")


def _keep(matrix: pd.DataFrame, conflicts: list[Any]) -> dict[str, Any]:
    """The matrix and the conflicts as plain data (see :func:`_recall`)."""
    from . import wirefields
    from .checks import plain_conflicts

    return {
        "columns": [str(c) for c in matrix.columns],
        "rows": [list(row) for row in zip(*(matrix[c].tolist() for c in matrix.columns),
                                          strict=True)],
        "unattributed": list(matrix.attrs.get("unattributed", [])),
        "wire_fields": list(matrix.attrs.get(wirefields.ATTR, [])),
        "conflicts": plain_conflicts(conflicts),
    }


def _recall(value: Any) -> tuple[pd.DataFrame, list[Any]] | None:
    """The matrix and the conflicts :func:`_keep` stored, or None for a value of another
    shape."""
    import pandas as pd

    from . import wirefields
    from .checks import conflicts_from_plain

    try:
        matrix = pd.DataFrame(value["rows"], columns=value["columns"])
        matrix.attrs["unattributed"] = list(value["unattributed"])
        matrix.attrs[wirefields.ATTR] = wirefields.plain(wirefields.from_plain(value["wire_fields"]))
        conflicts = conflicts_from_plain(value["conflicts"])
    except (KeyError, TypeError, ValueError):
        return None
    return None if conflicts is None else (matrix, conflicts)


@with_fewer_collections
def make_patch(analysis: Analysis, ahead: PatchAhead | None = None) -> Patch:
    """The patch for the analysed roots (consumer roots change only under hard-cut decisions);
    ``ahead``: its files made in the pool (see :func:`analyse_and_patch`)."""
    from .patch import build_patch

    return build_patch(analysis.decided, analysis.inventory.roots,
                       wiring=analysis.policy.wiring, go_roots=set(analysis.go_roots),
                       cache=analysis.cache, ahead=ahead)


def plan_document(analysis: Analysis, patch: Patch) -> dict[str, Any]:
    """The plan as JSON-ready data: decisions, conflicts, warnings and the files to touch."""
    from .records import records

    policy = analysis.policy
    decided = analysis.decided
    return {
        "tool": "idrename",
        "format": 1,
        "policy": str(policy.path) if policy.path is not None else None,
        "rename": {"from": policy.spec.old, "to": policy.spec.new,
                   "explicit": dict(policy.spec.explicit)},
        "roots": {label: str(path) for label, path in analysis.inventory.roots.items()},
        "wiring": dataclasses.asdict(policy.wiring) if policy.wiring is not None else None,
        "go_roots": analysis.go_roots,
        "consumer_roots": analysis.consumer_roots,
        "decisions": records(decided, PLAN_COLUMNS),
        "conflicts": [c.__dict__ for c in analysis.conflicts],
        "warnings": patch.warnings,
        "files": [
            {"root": fp.root, "path": fp.path, "sha256": fp.sha256,
             "after_sha256": hashlib.sha256(fp.after).hexdigest(), "edits": len(fp.edits),
             "gofmt": fp.gofmt}
            for fp in patch.changed()
        ],
    }


@with_fewer_collections
def patch_from_plan(plan: dict[str, Any], cache: Any = None) -> Patch:
    """Rebuild the patch a plan.json describes (``cache``: see :func:`analyse`).

    Raises :class:`idrename.apply.StaleError` when a file the plan touches changed since, or when
    the rebuilt patch would change other files or other bytes than the plan recorded."""
    from pathlib import Path

    import pandas as pd

    from .apply import StaleError
    from .patch import build_patch
    from .transforms import InferenceWiring

    roots = {label: Path(path) for label, path in plan["roots"].items()}
    recorded = {(e["root"], e["path"]): e for e in plan["files"]}
    stale = []
    for (label, path), entry in sorted(recorded.items()):
        full = roots[label] / path
        if not full.is_file() or hashlib.sha256(full.read_bytes()).hexdigest() != entry["sha256"]:
            stale.append(f"{label}/{path}")
    if stale:
        raise StaleError(stale)
    decided = pd.DataFrame(plan["decisions"], columns=PLAN_COLUMNS)
    wiring = InferenceWiring(**plan["wiring"]) if plan.get("wiring") else None
    patch = build_patch(decided, roots, wiring=wiring, go_roots=set(plan["go_roots"]),
                        cache=cache)
    drift = sorted(
        f"{fp.root}/{fp.path}" for fp in patch.changed()
        if (fp.root, fp.path) not in recorded
        or hashlib.sha256(fp.after).hexdigest() != recorded[(fp.root, fp.path)]["after_sha256"]
    )
    if drift:
        raise StaleError(drift)
    return patch
