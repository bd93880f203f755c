"""Safety checks on a decided inventory, as strict as gorename's: every conflict, never the first.

``run_checks(frame, roots, spec)`` takes the inventory with its decisions (the ``decision`` and
``target`` columns of :func:`idrename.decisions.decide`) and returns every :class:`Conflict`,
sorted by path, line and kind. Each message is one sentence that names the places involved as
``root/path:line``.

An occurrence is *renamed* here when its decision changes a Go name: a Go identifier decided
``rename`` (or ``dual``/``accept-both``/``hard-cut``/``drop-legacy``, since an identifier can only
be renamed) whose target differs from its text.

Kinds (severity):

- ``field_collision``, ``method_collision`` (error): a struct, type or interface would get two
  members of the same name (declared, or promoted from a type embedded within the roots).
- ``local_collision`` (error): a renamed parameter, receiver or local takes a name already
  declared in its function, or used there (the use would be captured).
- ``shadowing`` (error): a renamed local would hide a package-level name, an import or a
  predeclared name used in its function; or a renamed package-level name, or a renamed
  package's name (``package lexer`` -> ``package scanner``), would be hidden by a local where
  it is used.
- ``package_collision`` (error): a renamed package-level name is already declared in the
  package (or is an import name of one of its files); or a renamed package's new name is
  another import's, or a package-level name's, in a file that imports it.
- ``interface_coupling`` (error when broken, info when whole): an interface method, the methods
  of the types that implement it and the calls of it must all be renamed alike.
- ``generated_file`` (error): a rename decided inside a generated file.
- ``generated_use`` (warning): a generated file (never edited) uses a name the plan renames
  where it is declared by hand: it must be generated again after the patch; first by hand in
  the generator's input (the file its header names) when that still spells the old name.
- ``keyword`` (error): a Go name whose new spelling is a Go keyword (``span`` -> ``range``), or
  ``init`` for a package-level name (``Setup`` -> ``Init`` made ``setup()`` a call of ``init``),
  or ``main`` for one of package main.
- ``test_name`` (error): a func of a ``_test.go`` file renamed into a test, benchmark, fuzz
  test or example (``CheckAll`` -> ``TestAll``), which go test would run, or out of one
  (``TestX`` -> ``CheckX``), which it would skip.
- ``api_change`` (info): an exported declaration whose name changes.
- ``unparsed`` (warning): occurrences in a file that did not parse: never edited.
- ``unparsed_use`` (error): a file that did not parse (never edited) uses a name the plan
  renames where it is declared: those uses would no longer compile. One finding per name.
- ``review`` (warning): occurrences still decided ``review``.
- ``skipped_use`` (warning, from :mod:`idrename.skipped`): Go code in a folder the policy skips
  (``vendor/``) imports a package and spells an exported name the plan renames there.
- ``directive`` (warning): a directive the toolchain reads (``//go:linkname``, ``//export``,
  ``//go:generate``) spells a package-level name the plan renames in its package, and is not
  renamed alike.
- ``asm_reference`` (error, from :mod:`idrename.asmrefs`): a .s file of the package spells a
  name the plan renames (``·Name(SB)``, or ``const_Name``, ``Type_field``, ``Type__size`` of
  ``go_asm.h``).
- ``no_body`` (warning, from :mod:`idrename.asmrefs`): a func declared without a body
  (implemented in assembly or linked by a directive) is renamed.
- ``outside_interface`` (error, from :mod:`idrename.outsideiface`): a renamed method
  implements an interface declared outside the roots, or overrides a method an embedded
  outside type promotes, or a renamed call is of one, which keeps the name.
- ``outside_method`` (error, or warning when the syntax does not tell the receiver's type; from
  :mod:`idrename.outsideiface`): a renamed call is of a method of another type declared outside
  the roots, which keeps the name.
- ``policy`` (warning, from :func:`idrename.decisions.check_entries`): a ``[[rule]]`` or
  ``[[exclude]]`` of the policy that matches no occurrence, or whose every match a step before
  it decided; ``path`` is the policy file and ``line`` the entry's.
- ``wire_name`` (warning, from :mod:`idrename.wirefields`): a renamed exported field that an
  encoding other than JSON (xml, yaml, toml, gob, msgpack, codec, or one the syntax does not
  tell) writes or reads under its Go name, its tag giving it no name of its own.

Everything is syntax: names are resolved within a function (not per block), from where a
declaration's scope begins (a parameter's at the function body, so its own type is outside it;
a local's at the end of its statement, so ``x := f(x)`` uses the outer ``x``), and an interface is
coupled with every type in the roots whose method set provides the method with the same numbers
of parameters and results (and, as far as the roots show, the interface's other methods).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Mapping
from concurrent.futures import Executor
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from . import roles as R
from .gosymbols import (
    Member,
    Package,
    PackageKey,
    Place,
    Promoted,
    Scope,
    Spelling,
    SymbolIndex,
    TypeInfo,
)
from .outside import DECIDED_BY as DECLARED_OUTSIDE
from .policy import GO_KEYWORDS, classified_role, flag_value, package_key, row_flag, row_value
from .records import records
from .spec import Spec

if TYPE_CHECKING:
    import pandas as pd

    from .forked import Forked, Handoff
    from .memo import Inputs, StageMemo

ERROR, WARNING, INFO = "error", "warning", "info"
SEVERITY = {
    "field_collision": ERROR,
    "method_collision": ERROR,
    "local_collision": ERROR,
    "shadowing": ERROR,
    "package_collision": ERROR,
    "interface_coupling": ERROR,
    "generated_file": ERROR,
    "generated_use": WARNING,
    "keyword": ERROR,
    "api_change": INFO,
    "unparsed": WARNING,
    "unparsed_use": ERROR,
    "review": WARNING,
    "skipped_use": WARNING,
    "directive": WARNING,
    "asm_reference": ERROR,
    "no_body": WARNING,
    "outside_interface": ERROR,
    "outside_method": ERROR,
    "policy": WARNING,
    "wire_name": WARNING,
}
CONFLICT_COLUMNS = ["severity", "kind", "path", "line", "other", "message", "ids"]
# Decisions that edit the occurrence (for an identifier: rename it).
RENAMING = frozenset({"rename", "dual", "accept-both", "hard-cut", "drop-legacy"})


def renamed_go_rows(decided: pd.DataFrame, roots: Mapping[str, Path], roles: Iterable[str],
                    columns: Iterable[str]) -> list[dict[str, Any]]:
    """The rows of ``decided`` with one of ``roles`` that the plan renames to another text, in
    hand-written Go files of ``roots`` (with those of ``columns`` it has), in frame order: what
    the checks that read code the inventory does not (assembly, packages outside the roots)
    ask about."""
    if decided.empty or any(c not in decided.columns for c in ("role", "decision", "target")):
        return []
    mask = decided["role"].isin(frozenset(roles)) & decided["decision"].isin(RENAMING)
    out = []
    for row in records(decided.loc[mask, [c for c in columns if c in decided.columns]]):
        text, target = row_value(row, "text"), row_value(row, "target")
        if (target and target != text and row_value(row, "language") in ("go", "")
                and not row_flag(row, "is_generated") and row_value(row, "root") in roots):
            out.append(row)
    return out
PREDECLARED = R.PREDECLARED
_LOCAL_ROLES = frozenset({R.PARAMETER, R.RECEIVER, R.LOCAL_DECL, R.TYPE_DECL})
_PACKAGE_ROLES = R.PACKAGE_DECL_ROLES
_MEMBER_ROLES = frozenset({R.FIELD_DECL, R.METHOD_DECL, R.INTERFACE_METHOD, R.TYPE_USE})
_API_ROLES = {
    R.FIELD_DECL: "field", R.METHOD_DECL: "method", R.INTERFACE_METHOD: "interface method",
    R.FUNC_DECL: "func", R.TYPE_DECL: "type", R.VAR_DECL: "var", R.CONST_DECL: "const",
}
_LOCAL_WORDS = {R.PARAMETER: "parameter", R.RECEIVER: "receiver", R.LOCAL_DECL: "local",
                R.TYPE_DECL: "local type"}
_LISTED = 12  # declarations an interface_coupling info names
_DECL_WORDS = {"func": "func", "var": "var", "const": "const", "type": "type"}


@dataclass
class Conflict:
    """One finding of the checks.

    ``path`` is ``root/path`` of the place the finding is about, ``other`` the second place
    (``root/path:line``) or ""; ``ids`` the inventory ids of the occurrences involved.
    """

    kind: str
    severity: str
    message: str
    path: str
    line: int
    other: str = ""
    ids: list[str] = field(default_factory=list)

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}"


def run_checks(frame: pd.DataFrame, roots: Mapping[str, Path], spec: Spec, *,
               executor: Executor | None = None, index: SymbolIndex | None = None,
               cache: Any = None, inputs: Inputs | None = None,
               symbols: str | None = None, prepared: Prepared | None = None) -> list[Conflict]:
    """Every conflict in a decided inventory (see the module doc for the kinds). ``executor``
    indexes the Go files (else a process pool of our own for many files); ``index`` is one
    :func:`start_index` began earlier, used when it was built for the same occurrences and new
    names; ``cache`` as for :func:`start_index`. ``prepared`` is what :func:`start_checks` (or
    :func:`fork_checks`) began earlier: when its frame decides the Go identifiers as ``frame``
    does (the compatibility strategies changed only strings and tags since), its rows (or its
    child's findings) serve the symbol-level checks too.

    With ``inputs`` (the digests of the roots' files, taken before they were read), the
    findings that need the symbol index (collisions, shadowing, coupling, API changes) are
    remembered in the cache under :func:`symbols_key`: a later plan of the same files whose Go
    identifiers are decided alike (a policy edit that changes only strings and tags) reads them
    back instead of indexing the source again. ``symbols`` is that key, when the caller has it
    already for this frame's identifiers."""
    missing = [c for c in ("id", "root", "path", "line", "role", "text", "decision")
               if c not in frame.columns]
    if missing:
        raise ValueError(
            f"run_checks needs a decided inventory: the frame lacks {', '.join(missing)}; "
            "call idrename.decisions.decide(frame, policy) first"
        )
    sources = _GeneratorSources(frame, roots, spec)
    if prepared is not None and prepared.forked is not None:
        if prepared.serves(frame, roots, spec):
            found_there = prepared.symbol_findings()
            if found_there is not None:
                return _unique_sorted(_row_findings(_flagged_rows(frame, spec), sources) + found_there)
        else:
            prepared.cancel()
        prepared = None  # the child checked other rows, or failed: computed here after all
    memo, key, remembered = _symbols_memo(frame, roots, spec, cache, inputs, symbols)
    if remembered is not None:
        for started in (index, prepared.context._index if prepared is not None else None):
            if started is not None:
                started.close()  # started for nothing
        return _unique_sorted(_row_findings(_flagged_rows(frame, spec), sources) + remembered)
    if prepared is not None and prepared.serves(frame, roots, spec):
        ctx = prepared.context
        found = _row_findings(_flagged_rows(frame, spec), sources)
    else:
        if index is None and prepared is not None:
            index = prepared.context.index  # used if built for the same places and names
        ctx = _Context(frame, roots, spec, executor, index, cache=cache)
        found = _row_findings(ctx.rows, sources)
    return _unique_sorted(found + _remembered_symbol_conflicts(ctx, memo, key, inputs))


def _symbols_memo(frame: pd.DataFrame, roots: Mapping[str, Path], spec: Spec, cache: Any,
                  inputs: Inputs | None, key: str | None = None
                  ) -> tuple[StageMemo | None, str | None, list[Conflict] | None]:
    """The stage memo of the symbol-level findings, their key there (``key`` when the caller
    has it already, else :func:`symbols_key`) and the findings it holds for it: None unless
    no file changed since the rows were read (else they may not match the files)."""
    if inputs is None or cache is False:
        return None, None, None
    from .memo import StageMemo

    memo = StageMemo(cache)
    key = key or symbols_key(frame, roots, spec, inputs)
    remembered = conflicts_from_plain(memo.get(SYMBOLS_STAGE, key)) if key else None
    return memo, key, remembered if remembered is not None and inputs.unchanged() else None


def _remembered_symbol_conflicts(ctx: _Context, memo: StageMemo | None, key: str | None,
                                 inputs: Inputs | None) -> list[Conflict]:
    """:func:`_symbol_conflicts`, stored under ``key`` when no file changed meanwhile; the
    files indexed on the way are kept in the cache."""
    try:
        found = _symbol_conflicts(ctx)
        if memo is not None and key and inputs is not None and inputs.unchanged():
            memo.put(SYMBOLS_STAGE, key, plain_conflicts(found))
        return found
    finally:
        if ctx._index is not None:
            ctx._index.save_cache()


SYMBOLS_STAGE = "symbols"  # the stage memo of the symbol-level findings (idrename.memo)
# The columns of a Go identifier's row the symbol-level checks read.
_SYMBOL_COLUMNS = ("id", "root", "path", "line", "column", "start_byte", "end_byte", "language",
                   "role", "text", "target", "decision", "is_test", "is_generated", "package",
                   "owner", "symbol", "parse_error", "decided_by")
_PLACE_COLUMNS = ("id", "root", "path", "start_byte", "end_byte", "language", "role")


def symbols_key(frame: pd.DataFrame, roots: Mapping[str, Path], spec: Spec,
                inputs: Inputs) -> str:
    """What the symbol-level findings depend on: the files (``inputs``), the roots, the spec,
    every column those checks read of the Go identifiers' rows, and where every other
    occurrence is (not how it is decided)."""
    import hashlib

    from .cache import spec_key

    h = hashlib.sha256()
    roles = frame["role"].tolist() if "role" in frame.columns else [None] * len(frame)
    identifier = [role in R.GO_IDENTIFIER_ROLES for role in roles]
    for names, wanted in ((_SYMBOL_COLUMNS, True), (_PLACE_COLUMNS, False)):
        for name in names:  # column by column: the role column tells the two groups apart
            column = frame[name].tolist() if name in frame.columns else []
            h.update(f"{name}:{wanted}:".encode())
            h.update(repr([v for v, ident in zip(column, identifier, strict=False)
                           if ident is wanted]).encode())
    labelled = sorted(f"{label}={Path(folder)}" for label, folder in roots.items())
    return inputs.key(SYMBOLS_STAGE, spec_key(spec), labelled, h.hexdigest())


def _row_findings(rows: list[dict[str, Any]],
                  sources: _GeneratorSources | None = None) -> list[Conflict]:
    """The findings each row gives on its own: generated files, unparsed files, open reviews,
    keywords, generated files and directives that use a renamed name. ``sources`` tells what
    the generated files were generated from (for the advice of ``generated_use``)."""
    return (_generated(rows) + _unparsed(rows) + _unparsed_uses(rows) + _review(rows)
            + _keywords(rows) + _test_names(rows)
            + _generated_uses(rows, sources) + _directives(rows))


def _flagged_rows(frame: pd.DataFrame, spec: Spec) -> list[dict[str, Any]]:
    """The rows :func:`_row_findings` can report on (generated, unparsed, directives, decided
    review, renamed declarations), in order, with their targets filled as :class:`_Context`
    fills them."""
    n = len(frame)

    def column(name: str) -> list[Any]:
        return frame[name].tolist() if name in frame.columns else [None] * n

    generated, parse_error = column("is_generated"), column("parse_error")
    role, decision, target = column("role"), column("decision"), column("target")
    text, package = column("text"), column("package")

    def keyword(i: int) -> bool:  # a renamed Go name spelled as a keyword (see _keywords)
        if role[i] not in R.GO_IDENTIFIER_ROLES or decision[i] not in RENAMING:
            return False
        return _reserved(str(role[i]), target[i] or spec.rename(str(text[i])),
                         str(package[i] or "")) is not None

    def declaration(i: int) -> bool:  # renamed by hand (see _generated_uses)
        return (role[i] in R.DECLARATION_ROLES and decision[i] in RENAMING
                and target[i] != text[i] and not flag_value(generated[i]))

    keep = [i for i in range(n) if role[i] in (R.UNPARSED, R.DIRECTIVE) or decision[i] == "review"
            or flag_value(generated[i]) or flag_value(parse_error[i]) or keyword(i)
            or declaration(i)]
    rows = records(frame.iloc[keep])
    _fill_targets(rows, spec)
    return rows


def _fill_targets(rows: list[dict[str, Any]], spec: Spec) -> None:
    """A row without a target gets the one its decision implies."""
    for row in rows:
        if not row_value(row, "target"):
            row["target"] = (spec.rename(row_value(row, "text"))
                             if row_value(row, "decision") in RENAMING else row_value(row, "text"))


def _symbol_conflicts(ctx: _Context) -> list[Conflict]:
    """The findings that need the symbol index (none when nothing is renamed)."""
    if not ctx.renamed:
        return []
    return (_api_changes(ctx) + _member_collisions(ctx) + _local_conflicts(ctx)
            + _package_conflicts(ctx) + _qualifier_conflicts(ctx) + _interface_coupling(ctx))


def plain_conflicts(conflicts: Iterable[Conflict]) -> list[tuple[Any, ...]]:
    """Conflicts as plain (``marshal``-able) tuples, for a cache."""
    return [(c.kind, c.severity, c.message, c.path, c.line, c.other, list(c.ids))
            for c in conflicts]


def conflicts_from_plain(value: Any) -> list[Conflict] | None:
    """The conflicts :func:`plain_conflicts` gave, or None for a value of another shape."""
    if not isinstance(value, list):
        return None
    try:
        return [Conflict(kind, severity, message, path, line, other, list(ids))
                for kind, severity, message, path, line, other, ids in value]
    except (TypeError, ValueError):
        return None


def _unique_sorted(found: list[Conflict]) -> list[Conflict]:
    unique: dict[tuple[str, str, int, str], Conflict] = {}
    for c in found:
        unique.setdefault((c.kind, c.path, c.line, c.message), c)
    return sorted(unique.values(), key=lambda c: (c.path, c.line, c.kind, c.message))


def start_index(frame: pd.DataFrame, roots: Mapping[str, Path], spec: Spec, *,
                executor: Executor | None = None, cache: Any = None) -> SymbolIndex:
    """Start indexing the Go files :func:`run_checks` will ask about, in the background (a pool
    of our own, or ``executor``), while the caller goes on: for a decided inventory whose
    identifiers will not change their targets (the compatibility strategies change strings and
    tags only). :func:`run_checks` takes it as ``index``. ``cache`` keeps each file's index
    (as :func:`idrename.inventory.scan` takes it; False: none)."""
    return start_checks(frame, roots, spec, executor=executor, cache=cache).context.index


def start_checks(frame: pd.DataFrame, roots: Mapping[str, Path], spec: Spec, *,
                 executor: Executor | None = None, cache: Any = None) -> Prepared:
    """:func:`start_index`, keeping the rows read for it: :func:`run_checks` takes the result
    as ``prepared``. (:func:`fork_checks` runs the checks whole in a forked child instead.)"""
    ctx = _Context(frame, roots, spec, executor, wait=False, cache=cache)
    ctx.index  # noqa: B018 (starts indexing)
    return Prepared(frame, context=ctx)


def _checked_here(frame: pd.DataFrame, roots: Mapping[str, Path], spec: Spec, cache: Any,
                  inputs: Inputs | None, index: SymbolIndex | None) -> list[Conflict]:
    """The symbol-level findings of ``frame`` (the columns :func:`_checked_columns` names), read
    back or remembered as :func:`run_checks` does, on ``index`` when it was built for the same
    places and names: what the child :func:`fork_checks` starts computes once handed the
    decided rows. A process pool it starts to index many files is its own, shut down before it
    returns (not one inherited, which the parent would close)."""
    from .inventory import shared_pool

    memo, key, remembered = _symbols_memo(frame, roots, spec, cache, inputs)
    if remembered is not None:
        return remembered
    with shared_pool():
        return _remembered_symbol_conflicts(_Context(frame, roots, spec, index=index,
                                                     cache=cache), memo, key, inputs)


def _checked_columns(frame: pd.DataFrame) -> list[str]:
    """The columns of ``frame`` the symbol-level checks read (:func:`symbols_key` rests on the
    same)."""
    return [c for c in frame.columns if c in _SYMBOL_COLUMNS or c in _PLACE_COLUMNS]


def fork_checks(frame: pd.DataFrame, roots: Mapping[str, Path], spec: Spec, *, cache: Any = None,
                inputs: Inputs | None = None) -> EarlyChecks | None:
    """The symbol-level checks started in a forked child before the decisions are made (None
    where this process cannot fork, see :mod:`idrename.forked`): ``frame`` is the inventory.
    The child indexes the Go files the inventory found, as far as the cache holds their index
    (the names the rows will be renamed to are not known yet: the new term's pattern stands in
    for them), while this process decides; :meth:`EarlyChecks.decided` then hands it the
    decided rows, whose findings it reads back from the cache, or computes and stores there, as
    :func:`run_checks` would: on that index when the decided rows are renamed to names the
    pattern spells (else it indexes anew)."""
    from . import forked

    if not forked.can_fork():
        return None
    try:
        handoff: forked.Handoff[pd.DataFrame] = forked.Handoff()
    except OSError:
        return None  # no temporary file: the checks fork later, once decided
    read = [c for c in frame.columns if c in _PLACE_COLUMNS]
    inventory = frame[read]
    child = forked.start(lambda: plain_conflicts(_checked_early(inventory, roots, spec, cache,
                                                                inputs, handoff)), handoff)
    if child is None:
        handoff.close()
        return None
    return EarlyChecks(child, handoff, roots, spec)


def _checked_early(inventory: pd.DataFrame, roots: Mapping[str, Path], spec: Spec, cache: Any,
                   inputs: Inputs | None, handoff: Handoff[pd.DataFrame]) -> list[Conflict]:
    """What the child :func:`fork_checks` starts computes: the index of the inventory's files
    (given up when more than a process pool's worth are not in the cache: a pool started now
    would run beside the parent's work, memory on top of memory), then :func:`_checked_here`
    of the decided rows the parent hands over."""
    from .gosymbols import PARALLEL_MIN_FILES

    ctx = _Context(inventory, roots, spec, cache=cache)
    relevant, detail = ctx.spelling(), ctx.detail
    del ctx  # its rows: the checks read the decided ones
    index = SymbolIndex(roots, detail=detail, relevant=relevant, cache=cache)
    early = index if index.preload(relevant.places, at_most=PARALLEL_MIN_FILES - 1) else None
    # the checks take it only if built for the same places and names (which also fixes the
    # files indexed in detail: those with a row)
    return _checked_here(handoff.take(), roots, spec, cache, inputs, index=early)


class EarlyChecks:
    """A child :func:`fork_checks` started, waiting for the decided rows."""

    def __init__(self, child: Forked[list[tuple[Any, ...]]], handoff: Handoff[pd.DataFrame],
                 roots: Mapping[str, Path], spec: Spec) -> None:
        self._child = child
        self._handoff = handoff
        self._roots = roots
        self._spec = spec

    def decided(self, frame: pd.DataFrame) -> Prepared | None:
        """Hand the child the decided rows: what :func:`run_checks` takes as ``prepared``
        (None when they could not be handed over; the child is then stopped)."""
        if not self._handoff.give(frame[_checked_columns(frame)]):
            self.cancel()
            return None
        return Prepared(frame, roots=self._roots, spec=self._spec, forked=self._child)

    def cancel(self) -> None:
        """Stop the child: the checks are not wanted (or are run another way). The handoff
        is closed first: a child waiting for the rows then reads end-of-file, whatever became
        of the signal that stops it."""
        self._handoff.close()
        self._child.cancel()


class Prepared:
    """The rows of a decided inventory and what was started for them: the symbol index
    (:func:`start_checks`), or the whole symbol-level checks in a forked child
    (:func:`fork_checks`)."""

    def __init__(self, frame: pd.DataFrame, context: _Context | None = None, *,
                 roots: Mapping[str, Path] | None = None, spec: Spec | None = None,
                 forked: Forked[list[tuple[Any, ...]]] | None = None) -> None:
        self.frame = frame
        self.forked = forked
        self.context = context  # None for the forked child's
        if context is not None:
            roots, spec = context.roots, context.spec
        assert roots is not None and spec is not None
        self.roots = {label: Path(p) for label, p in roots.items()}
        self.spec = spec

    def serves(self, frame: pd.DataFrame, roots: Mapping[str, Path], spec: Spec) -> bool:
        """Whether the symbol-level checks of ``frame`` may read these rows: the same roots and
        spec, and the same Go identifiers decided alike (the other rows are read only for where
        they are, which a decision does not change; :func:`symbols_key` rests on the same)."""
        from .cache import spec_key

        return ({label: Path(p) for label, p in roots.items()} == self.roots
                and spec_key(spec) == spec_key(self.spec)
                and not identifiers_changed(self.frame, frame)
                and all(_same_column(self.frame, frame, c) for c in _PLACE_COLUMNS))

    def prefetch(self) -> None:
        """Start indexing what the checks will ask about beyond the files with rows (see
        :meth:`_Context.prefetch`), where they run in this process."""
        if self.context is not None:
            self.context.prefetch()

    def symbol_findings(self) -> list[Conflict] | None:
        """The forked child's findings, waiting for them; None when it failed."""
        plain = self.forked.result() if self.forked is not None else None
        return conflicts_from_plain(plain) if plain is not None else None

    def cancel(self) -> None:
        """Stop the forked child: its findings are not wanted."""
        if self.forked is not None:
            self.forked.cancel()


def _same_column(a: pd.DataFrame, b: pd.DataFrame, name: str) -> bool:
    """Whether both frames lack the column, or both have it with the same values."""
    if (name in a.columns) != (name in b.columns):
        return False
    return name not in a.columns or a[name].equals(b[name])


def identifiers_changed(before: pd.DataFrame, after: pd.DataFrame) -> bool:
    """Whether a Go identifier's decision or target (or id, when both frames have ids) differs
    between the two frames (the same rows, before and after the compatibility strategies)."""
    if len(before) != len(after) or "role" not in before.columns:
        return True
    identifiers = before["role"].isin(R.GO_IDENTIFIER_ROLES).to_numpy()
    ids = ("id",) if "id" in before.columns and "id" in after.columns else ()
    for column in (*ids, "decision", "target"):
        if column not in before.columns or column not in after.columns:
            return True
        a = before[column].to_numpy(dtype=object)[identifiers]
        b = after[column].to_numpy(dtype=object)[identifiers]
        if any(x != y and not (x != x and y != y) for x, y in zip(a, b, strict=True)):
            return True  # (x != x: both NaN)
    return False


def conflicts_frame(conflicts: Iterable[Conflict]) -> pd.DataFrame:
    """The conflicts as a table (one row each, columns ``CONFLICT_COLUMNS``)."""
    import pandas as pd

    rows = [
        {"severity": c.severity, "kind": c.kind, "path": c.path, "line": c.line,
         "other": c.other, "message": c.message, "ids": list(c.ids)}
        for c in conflicts
    ]
    out = pd.DataFrame(rows, columns=CONFLICT_COLUMNS)
    out["line"] = out["line"].astype("int64")
    return out


# -- the decided inventory ---------------------------------------------------------------------
class _Detail:
    """Whether the index must record a file's scopes and calls: the checks ask about them only
    where an occurrence is (a file with rows, or any with a family token); elsewhere the
    declarations, types and methods are enough."""

    def __init__(self, files: set[tuple[str, str]], family: re.Pattern[bytes]) -> None:
        self.files = files
        self.family = family

    def __call__(self, root: str, path: str, data: bytes) -> bool:
        return (root, path) in self.files or self.family.search(data) is not None


class _Context:
    """The decided rows, looked up by place, and the symbol index (built on first use)."""

    def __init__(self, frame: pd.DataFrame, roots: Mapping[str, Path], spec: Spec,
                 executor: Executor | None = None, index: SymbolIndex | None = None,
                 wait: bool = True, cache: Any = None) -> None:
        self.spec = spec
        self.cache = cache
        self.executor = executor
        self._prepared = index
        self._wait = wait
        self.roots = {label: Path(p) for label, p in roots.items()}
        self.rows: list[dict[str, Any]] = records(frame)
        _fill_targets(self.rows, spec)
        self._index: SymbolIndex | None = None
        self._candidates: list[tuple[Package, TypeInfo]] | None = None

    @cached_property
    def by_pos(self) -> dict[tuple[str, str, int], dict[str, Any]]:
        """The Go rows by (root, path, start byte)."""
        out = {}
        for row in self.rows:
            if "start_byte" in row and row_value(row, "language") in ("go", ""):
                out[(row_value(row, "root"), row_value(row, "path"), int(row["start_byte"]))] = row
        return out

    @cached_property
    def renamed(self) -> dict[tuple[str, str, int], dict[str, Any]]:
        """The Go rows whose name changes, by place (those of the roots checked)."""
        return {pos: row for pos, row in self.by_pos.items()
                if self.is_renamed(row) and pos[0] in self.roots}

    @property
    def index(self) -> SymbolIndex:
        """The symbol index, loading on demand: a file is indexed when it spells a family
        member or a new name, or when a question names something it spells."""
        if self._index is None:
            relevant = self.spelling()
            places = relevant.places
            prepared = self._prepared
            if (prepared is not None and prepared.roots == self.roots
                    and prepared.relevance == relevant.signature()):
                self._index = prepared
            else:
                if prepared is not None:
                    prepared.close()  # built for other occurrences or names: not used
                self._index = SymbolIndex(self.roots, detail=self.detail, relevant=relevant,
                                          cache=self.cache)
                self._index.preload(places, self.executor, wait=self._wait)
        return self._index

    def spelling(self) -> Spelling:
        """Which files the index looks at closely: those with an occurrence, at its place, and
        those that spell a name the rows are renamed to, or a new name of the spec's explicit
        mapping (whether a row is renamed to it or not: so that the index :func:`fork_checks`
        builds before the decisions, from the spec alone, spells the same names as the one
        built after them whenever the rows are renamed as the spec says)."""
        targets = sorted({row_value(r, "target") for r in self.renamed.values()}
                         | set(self.spec.explicit.values()))
        places: dict[tuple[str, str], list[tuple[int, int]]] = {}
        for row in self.rows:
            if row_value(row, "language") in ("go", "") and "start_byte" in row:
                places.setdefault((row_value(row, "root"), row_value(row, "path")), []).append(
                    (int(row["start_byte"]), int(row["end_byte"])))
        return Spelling.covering(places, targets, self.spec.new_pattern, self.spec.pattern)

    def _go_files(self) -> list[tuple[str, str]]:
        """The Go files with rows, in the roots."""
        return sorted({(row_value(r, "root"), row_value(r, "path")) for r in self.rows
                       if row_value(r, "language") in ("go", "") and row_value(r, "root") in self.roots})

    def prefetch(self) -> None:
        """Start indexing, in the background, the files :meth:`candidate_types` will ask
        about: those of each package that spell a type the package's files with rows declare
        methods on (else read one by one as it asks)."""
        index = self.index
        requests = []
        for root, rel in self._go_files():
            info = index.file(root, rel)
            pkg = index.package_of(root, rel)
            if info is not None and pkg is not None and info.receivers:
                requests.append((pkg.key, sorted(info.receivers)))
        index.require_many(requests, self.executor)

    def candidate_types(self) -> list[tuple[Package, TypeInfo]]:
        """The types whose member sets can hold a family member: those that declare one (a
        field, an interface method, a method declared on them) and every type that embeds one
        of them, transitively."""
        if self._candidates is None:
            index = self.index
            family = self.spec.pattern

            def spells(members: Iterable[Member]) -> bool:
                return any(family.search(m.name.encode()) for m in members)

            seeds: dict[int, TypeInfo] = {}
            for root, rel in self._go_files():
                info = index.file(root, rel)
                pkg = index.package_of(root, rel)
                if info is None or pkg is None:
                    continue
                for typ in info.types:
                    if spells(typ.fields) or spells(typ.methods):
                        seeds.setdefault(id(typ), typ)
                for receiver in sorted(info.receivers):
                    if not spells(index.methods_of(pkg.key, receiver)):
                        continue
                    typ = index.named_type(pkg.key, receiver)
                    if typ is not None:
                        seeds.setdefault(id(typ), typ)
            found = index.embedders(seeds.values())
            self._candidates = [(pkg, t) for t in found
                                if (pkg := index.package(t.package)) is not None]
        return self._candidates

    @cached_property
    def detail(self) -> _Detail:
        """Which files the index records in detail (see :class:`_Detail`)."""
        return _Detail({(row_value(r, "root"), row_value(r, "path")) for r in self.rows},
                       self.spec.pattern)

    @staticmethod
    def is_renamed(row: Mapping[str, Any]) -> bool:
        return (
            row_value(row, "role") in R.GO_IDENTIFIER_ROLES
            and row_value(row, "decision") in RENAMING
            and bool(row_value(row, "target"))
            and row_value(row, "target") != row_value(row, "text")
        )

    def new_name(self, place: Place, name: str) -> str:
        row = self.renamed.get(place.key)
        return row_value(row, "target") if row is not None and row_value(row, "text") == name else name

    def row_at(self, place: Place) -> dict[str, Any] | None:
        return self.by_pos.get(place.key)

    def ids_at(self, *places: Place | str) -> list[str]:
        ids: dict[str, None] = {}
        for place in places:
            row = self.row_at(place) if isinstance(place, Place) else None
            if row is not None:
                ids.setdefault(row_value(row, "id"), None)
        return list(ids)

    def renamed_rows(self, roles: Iterable[str]) -> list[dict[str, Any]]:
        wanted = set(roles)
        return sorted(
            (r for r in self.renamed.values() if row_value(r, "role") in wanted),
            key=lambda r: (row_value(r, "root"), row_value(r, "path"), int(r["start_byte"])),
        )


def _where(row: Mapping[str, Any]) -> str:
    return f"{row_value(row, 'root')}/{row_value(row, 'path')}:{int(row['line'])}"


def _path(row: Mapping[str, Any]) -> str:
    return f"{row_value(row, 'root')}/{row_value(row, 'path')}"


def _place_of(row: Mapping[str, Any]) -> Place:
    return Place(row_value(row, "root"), row_value(row, "path"), int(row["line"]), int(row["start_byte"]))


def _conflict(kind: str, message: str, at: Place, other: Place | str = "",
              ids: list[str] | None = None) -> Conflict:
    return Conflict(kind, SEVERITY[kind], message, f"{at.root}/{at.path}", at.line,
                    str(other) if other else "", list(ids or []))


# -- generated files, unparsed files, open reviews ---------------------------------------------
def _generated(rows: list[dict[str, Any]]) -> list[Conflict]:
    out = []
    for row in rows:
        if row_flag(row, "is_generated") and row_value(row, "decision") in RENAMING:
            target = row_value(row, "target")
            change = f" to {target}" if target and target != row_value(row, "text") else ""
            out.append(Conflict(
                "generated_file", ERROR,
                f"{row_value(row, 'text')} at {_where(row)} is decided {row_value(row, 'decision')}{change} "
                "inside a generated file; regenerate it from its source instead of editing it",
                _path(row), int(row["line"]), "", [row_value(row, "id")],
            ))
    return out


def _keywords(rows: list[dict[str, Any]]) -> list[Conflict]:
    """A Go name renamed to a keyword: one finding per file and spelling, at its first place."""
    found: dict[tuple[str, str, str, str, str], list[dict[str, Any]]] = {}
    for row in rows:
        target, role = row_value(row, "target"), row_value(row, "role")
        if role not in R.GO_IDENTIFIER_ROLES or row_value(row, "decision") not in RENAMING:
            continue
        what = _reserved(role, target, row_value(row, "package"))
        if what is not None:
            key = (row_value(row, "root"), row_value(row, "path"), row_value(row, "text"), target,
                   what)
            found.setdefault(key, []).append(row)
    out = []
    for (_root, _rel, text, target, what), in_file in sorted(found.items()):
        in_file.sort(key=lambda r: (int(r["line"]), int(r.get("column", 0) or 0)))
        first = in_file[0]
        more = f" (and {len(in_file) - 1} more place(s) in that file)" if len(in_file) > 1 else ""
        out.append(Conflict(
            "keyword", ERROR,
            f"{text} at {_where(first)}{more} would be renamed to {target}, {what}: the "
            f"file would not compile; spell it otherwise in the policy ([rename.explicit] "
            f'{text} = "...") or keep it',
            _path(first), int(first["line"]), "", [row_value(r, "id") for r in in_file],
        ))
    return out


def _test_names(rows: list[dict[str, Any]]) -> list[Conflict]:
    """A func of a ``_test.go`` file whose new name makes it something else to ``go test``: a
    helper that becomes a test (``CheckAll`` -> ``TestAll`` with ``Check`` -> ``Test``), which
    go test runs, or whose signature it refuses; a test that stops being one (``TestX`` ->
    ``CheckX``), which nothing runs any more. One finding per declaration."""
    out = []
    for row in rows:
        text, target = row_value(row, "text"), row_value(row, "target")
        if (row_value(row, "role") != R.FUNC_DECL or not row_flag(row, "is_test")
                or row_value(row, "decision") not in RENAMING or target in ("", text)):
            continue
        before, after = (_GO_TEST_KINDS.get(R.go_test_prefix(name) or "")
                         for name in (text, target))
        if before == after:
            continue
        became = (f"a {after} go test runs" if after and not before
                  else f"no longer a {before}, and go test would skip it" if before and not after
                  else f"a {after} where it was a {before}")
        out.append(Conflict(
            "test_name", ERROR,
            f"{text} at {_where(row)} would be renamed to {target}, which makes it {became}; "
            f'spell it otherwise in the policy ([rename.explicit] {text} = "...") or keep it '
            f'and its calls (a [[rule]] with text = "{text}" and decision = "keep")',
            _path(row), int(row["line"]), "", [row_value(row, "id")],
        ))
    return out


# What each prefix go test reads makes of a func (R.go_test_prefix).
_GO_TEST_KINDS = {"Test": "test", "Benchmark": "benchmark", "Fuzz": "fuzz test",
                  "Example": "example"}


# The package-level declarations and their bare uses, which may not take a name Go reserves.
_PACKAGE_LEVEL = R.PACKAGE_DECL_ROLES | {R.FUNC_CALL, R.PACKAGE_USE, R.TYPE_USE}


def _reserved(role: str, target: str, package: str) -> str | None:
    """What a Go name's new spelling is when Go reserves it for that name, or None: a keyword
    (``span`` -> ``range``); ``init`` for a package-level name (Go runs the functions of that
    name before main and allows no other, nor a call of one); ``main`` for a package-level
    name of package main."""
    if target in GO_KEYWORDS:
        return "a Go keyword"
    if role not in _PACKAGE_LEVEL:
        return None
    if target == "init":
        return ("a name Go reserves: its package-level funcs init run before main, and no "
                "other package-level name, nor a call, may be init")
    if target == "main" and package == "main":
        return "the one func main of package main, where the command starts"
    return None


_USE_ROLES = frozenset({R.PACKAGE_USE, R.FUNC_CALL, R.TYPE_USE})


def _generated_uses(rows: list[dict[str, Any]],
                    sources: _GeneratorSources | None = None) -> list[Conflict]:
    """A generated file (kept, as generated files are) that uses a name the plan renames where
    it is declared by hand: a package-level name of its own folder and package (a bare use) or
    of a package of the roots that its qualifier names (``obj.Prog``: a package ``obj``), or a
    field or method (by name, the declaration nearest the file: see :func:`_nearest`) that no
    generated file of its own folder declares (``m.MaxShardID`` in a ``.pb.go`` that declares
    the field itself names that one, which keeps the name). One warning per generated file,
    whose advice says where the name must change (see :func:`_regenerate_advice`)."""
    package_level: dict[tuple[str, str, str, str], dict[str, Any]] = {}
    # (root, folder, name) of the fields and methods generated files declare (and keep)
    generated_members = {
        (row_value(row, "root"), row_value(row, "path").rpartition("/")[0], row_value(row, "text"))
        for row in rows
        if row_flag(row, "is_generated") and row_value(row, "role") in _MEMBER_DECLARATIONS}
    # (root, package name, name) -> the package-level declarations, for a qualified use
    by_package: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    members: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        role, text = row_value(row, "role"), row_value(row, "text")
        if (role not in R.DECLARATION_ROLES or row_flag(row, "is_generated")
                or row_value(row, "decision") not in RENAMING
                or row_value(row, "target") in ("", text)):
            continue
        if role in _PACKAGE_ROLES:
            package_level.setdefault(package_key(row), row)
            by_package.setdefault((row_value(row, "root"), row_value(row, "package"), text),
                                  []).append(row)
        else:
            members.setdefault(text, []).append(row)
    found: dict[tuple[str, str], dict[str, dict[str, Any]]] = {}
    for row in rows:
        role = row_value(row, "role")
        if not row_flag(row, "is_generated") or row_value(row, "decision") in RENAMING:
            continue
        declared = None
        detail = row_value(row, "detail")
        if role in _USE_ROLES and detail in ("", "conversion"):
            declared = package_level.get(package_key(row))
        elif role in _USE_ROLES and detail != "import" and (qualified := by_package.get(
                (row_value(row, "root"), detail, row_value(row, "text")))):
            declared = _nearest(qualified, row)  # obj.Prog: a package of the roots named obj
        elif role in R.MEMBER_USE_ROLES and row_value(row, "text") in members and (
                row_value(row, "root"), row_value(row, "path").rpartition("/")[0],
                row_value(row, "text")) not in generated_members:
            declared = _nearest(members[row_value(row, "text")], row)
        if declared is not None:
            uses = found.setdefault((row_value(row, "root"), row_value(row, "path")), {})
            uses.setdefault(row_value(row, "text"), declared)
    out = []
    for (root, path), uses in sorted(found.items()):
        names = "; ".join(f"{text} (renamed to {d['target']} at {_where(d)})"
                          for text, d in sorted(uses.items()))
        first = next(r for r in rows if row_value(r, "root") == root
                     and row_value(r, "path") == path and row_value(r, "text") in uses)
        advice = _regenerate_advice(sources, root, path, sorted(uses))
        out.append(Conflict(
            "generated_use", WARNING,
            f"{_path(first)} is generated (never edited) and uses {names}: {advice}",
            _path(first), int(first["line"]), "", [],
        ))
    return out


_MEMBER_DECLARATIONS = frozenset({R.FIELD_DECL, R.METHOD_DECL, R.INTERFACE_METHOD})


def _nearest(declared: list[dict[str, Any]], use: Mapping[str, Any]) -> dict[str, Any]:
    """The declaration of a member name a use most likely names, syntax being all we have: one
    in the use's own package (same root and folder), else in its root, else any; the first in
    path and line order among equals, so the warning names the same one every time."""
    root, folder = row_value(use, "root"), row_value(use, "path").rpartition("/")[0]

    def rank(row: dict[str, Any]) -> tuple[int, str, str, int]:
        same_root = row_value(row, "root") == root
        same_folder = same_root and row_value(row, "path").rpartition("/")[0] == folder
        distance = 0 if same_folder else 1 if same_root else 2
        return distance, row_value(row, "root"), row_value(row, "path"), int(row["line"])

    return min(declared, key=rank)


_REGENERATE = "generate it again after the patch (go generate), or the build breaks"


def _regenerate_advice(sources: _GeneratorSources | None, root: str, path: str,
                       names: list[str]) -> str:
    """What to do about a generated file that uses ``names`` (old names the plan renames): look
    up the input its header names. Generated from a file that still spells one of them, where
    the plan does not rename it, the name must change there first (``go generate`` would write
    it again); from a file the plan renames it in, generating again is enough; otherwise (no
    input named, or none found) generating again is all we can say."""
    if sources is None or (source := sources.input_of(root, path)) is None:
        return _REGENERATE
    where = f"{root}/{source}"
    renamed = sources.renamed_in(root, source, names)
    spelled = {name: n for name, n in sources.spelled(root, source, names).items()
               if name not in renamed}
    if spelled:
        counts = ", ".join(f"{name} ({n} time{'s' if n != 1 else ''})"
                           for name, n in spelled.items())
        them = "it" if len(spelled) == 1 else "them"
        return (f"it is generated from {where}, which still spells {counts} and the plan does "
                f"not rename {them} there: rename {them} there by hand, then {_REGENERATE}")
    if renamed:
        return (f"it is generated from {where}, which the plan changes: generate it again after "
                "the patch (go generate) to bring it in line, or the build breaks")
    return _REGENERATE


_HEADER_BYTES = 64 * 1024  # read of a generated file for its header (its package clause is near)


class _GeneratorSources:
    """The inputs generated files were generated from, for the few files a ``generated_use``
    warning is about: the file their header names (see
    :func:`idrename.gosyntax.generator_inputs`), what the plan renames there and what it spells.
    Nothing is read until asked."""

    def __init__(self, frame: pd.DataFrame, roots: Mapping[str, Path], spec: Spec) -> None:
        self.frame = frame
        self.roots = {label: Path(p) for label, p in roots.items()}
        self.spec = spec

    def input_of(self, root: str, path: str) -> str | None:
        """The path (in ``root``) of the first existing file the header of ``root/path`` names
        as its input, looked up from the file's folder, then from the root; None if none."""
        from .gosyntax import generator_inputs

        top = self.roots.get(root)
        if top is None:
            return None
        try:
            with open(top / path, "rb") as f:
                head = f.read(_HEADER_BYTES)
        except OSError:
            return None
        folder = PurePosixPath(path).parent
        for name in generator_inputs(head):
            for base in (folder, PurePosixPath()):
                found = _inside(top, base / name)
                if found is not None and found != path:
                    return found
        return None

    def renamed_in(self, root: str, path: str, names: Iterable[str]) -> set[str]:
        """Those of ``names`` the plan renames in ``root/path`` (a file the inventory read)."""
        if any(c not in self.frame.columns for c in ("root", "path", "text", "decision")):
            return set()
        frame = self.frame
        mask = ((frame["root"] == root) & (frame["path"] == path)
                & frame["text"].isin(frozenset(names)) & frame["decision"].isin(RENAMING))
        rows = records(frame.loc[mask])
        _fill_targets(rows, self.spec)
        return {row_value(r, "text") for r in rows if row_value(r, "target") != row_value(r, "text")}

    def spelled(self, root: str, path: str, names: Iterable[str]) -> dict[str, int]:
        """How many times ``root/path`` spells each of ``names`` as a whole word (those it
        spells, in ``names`` order)."""
        try:
            text = (self.roots[root] / path).read_text("utf-8", errors="replace")
        except (KeyError, OSError):
            return {}
        counts = {name: len(re.findall(rf"(?<!\w){re.escape(name)}(?!\w)", text))
                  for name in names}
        return {name: n for name, n in counts.items() if n}


def _inside(top: Path, rel: PurePosixPath) -> str | None:
    """``rel`` (normalized) as a path in the root folder ``top`` when it names a file there,
    else None (absolute, outside the root, or missing)."""
    if rel.is_absolute():
        return None
    normal = posixpath.normpath(str(rel))
    if normal.startswith("../") or normal in ("..", "."):
        return None
    return normal if (top / normal).is_file() else None


def _directives(rows: list[dict[str, Any]]) -> list[Conflict]:
    """A directive (``//go:linkname local path.name``, ``//export Name``, ``//go:generate
    stringer -type=Name``) that spells a package-level name the plan renames in its package, but
    is not renamed alike: the toolchain reads the old name there. One warning per directive
    line."""
    renamed: dict[tuple[str, str, str, str], dict[str, Any]] = {}
    for row in rows:
        text = row_value(row, "text")
        if (row_value(row, "role") in _PACKAGE_ROLES and row_value(row, "decision") in RENAMING
                and row_value(row, "target") not in ("", text)):
            renamed.setdefault(package_key(row), row)
    found: dict[tuple[str, str, int], list[tuple[dict[str, Any], dict[str, Any]]]] = {}
    for row in rows:
        declared = renamed.get(package_key(row)) if row_value(row, "role") == R.DIRECTIVE else None
        if declared is None or (row_value(row, "decision") in RENAMING
                                and row_value(row, "target") == row_value(declared, "target")):
            continue
        key = (row_value(row, "root"), row_value(row, "path"), int(row["line"]))
        found.setdefault(key, []).append((row, declared))
    out = []
    for _key, pairs in sorted(found.items()):
        first = pairs[0][0]
        named = {row_value(d, "text"): d for _r, d in pairs}
        names = "; ".join(f"{text} (renamed to {row_value(d, 'target')} at {_where(d)})"
                          for text, d in named.items())
        out.append(Conflict(
            "directive", WARNING,
            f"the //{row_value(first, 'detail')} directive at {_where(first)} names {names}, and "
            "the toolchain reads it as written: the build may break; rename it with the "
            "declaration (an [[override]] per occurrence, decision rename) or keep the name",
            _path(first), int(first["line"]), "", [row_value(r, "id") for r, _d in pairs],
        ))
    return out


def _unparsed(rows: list[dict[str, Any]]) -> list[Conflict]:
    files: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for row in rows:
        if row_value(row, "role") == R.UNPARSED or row_flag(row, "parse_error"):
            files.setdefault((row_value(row, "root"), row_value(row, "path")), []).append(row)
    out = []
    for (_root, _rel), in_file in sorted(files.items()):
        in_file.sort(key=lambda r: (int(r["line"]), int(r.get("column", 0) or 0)))
        first = in_file[0]
        out.append(Conflict(
            "unparsed", WARNING,
            f"{len(in_file)} occurrence(s) in {_path(first)} (the first at {_where(first)}) are never "
            "edited, whatever their decision, because the file could not be parsed (the "
            "inventory's file issue says why); fix it, or edit them by hand, and run the "
            "inventory again",
            _path(first), int(first["line"]), "", [row_value(r, "id") for r in in_file],
        ))
    return out


# What an unparsed row (by the role the classifier gave it) may use of another file's declaration.
_UNPARSED_USE_ROLES = R.MEMBER_USE_ROLES | _USE_ROLES
_SHOWN = 3  # places an unparsed_use finding spells out


def _unparsed_uses(rows: list[dict[str, Any]]) -> list[Conflict]:
    """A Go file that did not parse (never edited) uses a name the plan renames where it is
    declared, in the same root: an exported name (a field or method by its name), or one of its
    own package folder; not a name the file declares itself. One error per name, listing the
    uses and declarations."""
    renamed: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for row in rows:
        text = row_value(row, "text")
        if (row_value(row, "role") in R.DECLARATION_ROLES
                and row_value(row, "decision") in RENAMING
                and row_value(row, "target") not in ("", text) and not row_flag(row, "is_generated")):
            renamed.setdefault((row_value(row, "root"), text), []).append(row)
    own = {(row_value(row, "root"), row_value(row, "path"), row_value(row, "text"))
           for row in rows if row_value(row, "role") == R.UNPARSED
           and classified_role(row) in R.DECLARATION_ROLES}
    found: dict[tuple[str, str], tuple[list[dict[str, Any]], list[dict[str, Any]]]] = {}
    for row in rows:
        if (not renamed or not _unparsed_use_row(row) or (
                row_value(row, "root"), row_value(row, "path"), row_value(row, "text")) in own):
            continue  # a name the file declares itself is taken to mean that declaration
        key = (row_value(row, "root"), row_value(row, "text"))
        declared = [d for d in renamed.get(key, ()) if _may_name(row, d)]
        if declared:
            uses, declarations = found.setdefault(key, ([], []))
            uses.append(row)
            declarations.extend(d for d in declared if d not in declarations)
    return [_unparsed_use(text, uses, declarations)
            for (_root, text), (uses, declarations) in sorted(found.items())]


def _unparsed_use_row(row: dict[str, Any]) -> bool:
    """Whether an unparsed row may use another file's declaration: by the role the classifier
    gave it; any Go name inside the region the parser could not read, whose roles are guesses
    (``T{Name: v}`` there reads as a label)."""
    if row_value(row, "role") != R.UNPARSED:
        return False
    role = classified_role(row)
    if row_value(row, "detail").endswith(_ERROR_REGION):
        return role in R.GO_IDENTIFIER_ROLES
    return role in _UNPARSED_USE_ROLES


_ERROR_REGION = "(in error region)"  # the end of an unparsed row's detail there (gosyntax)


def _may_name(use: dict[str, Any], declared: dict[str, Any]) -> bool:
    """Whether a use in another file may name ``declared``: an exported name (a member by its
    name, a package-level name of any package), an unexported one in its own package folder
    (Go lets no other package spell it)."""
    if row_value(declared, "text")[:1].isupper():
        return True
    return package_key(use)[:3] == package_key(declared)[:3]


def _unparsed_use(text: str, uses: list[dict[str, Any]],
                  declarations: list[dict[str, Any]]) -> Conflict:
    """The ``unparsed_use`` error of one name."""
    def places(found: list[dict[str, Any]]) -> str:
        found = sorted(found, key=lambda r: (_path(r), int(r["line"])))
        more = f" (and {len(found) - _SHOWN} more)" if len(found) > _SHOWN else ""
        return ", ".join(_where(r) for r in found[:_SHOWN]) + more

    uses.sort(key=lambda r: (_path(r), int(r["line"]), int(r.get("column", 0) or 0)))
    targets = sorted({row_value(d, "target") for d in declarations})
    first = min(declarations, key=lambda r: (_path(r), int(r["line"])))
    return Conflict(
        "unparsed_use", ERROR,
        f"{text} is used at {places(uses)}, in a file idrename cannot parse (never edited), and "
        f"is renamed to {' or '.join(targets)} where it is declared at {places(declarations)}: "
        f"those uses would no longer compile; rename {text} in that file by hand before "
        f'applying, or keep the name ([[rule]] text = "{text}", decision = "keep", with a rationale)',
        _path(uses[0]), int(uses[0]["line"]), _where(first),
        [row_value(r, "id") for r in uses + declarations],
    )


def _review(rows: list[dict[str, Any]]) -> list[Conflict]:
    out = []
    for row in rows:
        if row_value(row, "decision") != "review" or row_value(row, "role") == R.UNPARSED:
            continue  # an unparsed file is reported once, as such
        why = row_value(row, "rationale")
        suggestion = row_value(row, "suggestion")
        message = (f"{row_value(row, 'text')} ({row_value(row, 'role')}) at {_where(row)} "
                   "is still decided review")
        if why:
            message += f": {why}"
        if suggestion:
            message += f"; suggestion: {suggestion}"
        out.append(Conflict("review", WARNING, message, _path(row), int(row["line"]), "",
                            [row_value(row, "id")]))
    return out


# -- exported names ----------------------------------------------------------------------------
def _api_changes(ctx: _Context) -> list[Conflict]:
    out = []
    for row in ctx.renamed_rows(_API_ROLES):
        text, target = row_value(row, "text"), row_value(row, "target")
        rel = row_value(row, "path")
        if (not text[:1].isupper() or row_flag(row, "is_test") or row_flag(row, "is_generated")
                or row_value(row, "package") == "main" or "internal" in rel.split("/")[:-1]):
            continue
        role = row_value(row, "role")
        info = ctx.index.file(row_value(row, "root"), rel)
        if (role not in (R.FUNC_DECL, R.METHOD_DECL) and info is not None
                and info.scope_at(int(row["start_byte"])) is not None):
            continue  # declared inside a function
        owner = row_value(row, "owner") if role in (R.FIELD_DECL, R.METHOD_DECL,
                                                R.INTERFACE_METHOD) else ""
        prefix = ".".join(p for p in (row_value(row, "package"), owner) if p)
        old = f"{prefix}.{text}" if prefix else text
        new = f"{prefix}.{target}" if prefix else target
        out.append(Conflict(
            "api_change", INFO,
            f"exported {_API_ROLES[role]} {old} at {_where(row)} becomes {new}; code outside the "
            "roots that uses it must change with it",
            _path(row), int(row["line"]), "", [row_value(row, "id")],
        ))
    return out


# -- fields and methods ------------------------------------------------------------------------
def _member_collisions(ctx: _Context) -> list[Conflict]:
    if not ctx.renamed_rows(_MEMBER_ROLES):
        return []
    index = ctx.index
    best: dict[tuple[Place, Place], tuple[tuple[int, Place], Conflict]] = {}
    for pkg, typ in ctx.candidate_types():
        if typ.kind not in ("struct", "interface") and not (
            typ.name and not typ.local and index.methods_of(pkg.key, typ.name)
        ):
            continue
        groups: dict[str, dict[Place, Promoted]] = {}
        for p in sorted(index.member_set(typ).members, key=lambda p: p.depth):
            new = ctx.new_name(p.member.place, p.member.name)
            groups.setdefault(new, {}).setdefault(p.member.place, p)
        for new, members in groups.items():
            if len({p.member.name for p in members.values()}) < 2:
                continue
            for a in members.values():
                if a.member.place.key not in ctx.renamed:
                    continue
                for b in members.values():
                    if b.member.name == a.member.name:
                        continue
                    if b.member.place.key in ctx.renamed and b.member.place < a.member.place:
                        continue  # reported from b's side
                    score = (a.depth + b.depth, typ.place)
                    key = (a.member.place, b.member.place)
                    if key not in best or score < best[key][0]:
                        best[key] = (score, _member_conflict(ctx, typ, new, a, b))
    return [c for _, c in best.values()]


def _member_conflict(ctx: _Context, typ: TypeInfo, new: str, a: Promoted, b: Promoted) -> Conflict:
    kinds = {a.member.kind, b.member.kind}
    noun = ("two fields" if kinds == {"field"} else "two methods" if kinds == {"method"}
            else "a field and a method")
    b_renamed = b.member.place.key in ctx.renamed
    b_state = f"is renamed to {new} too" if b_renamed else "already has that name"
    message = (
        f"{typ.describe()} would get {noun} named {new}: {_promoted(a)} is renamed to {new}, "
        f"and {_promoted(b)} {b_state}"
    )
    kind = "field_collision" if a.member.kind == "field" else "method_collision"
    return _conflict(kind, message, a.member.place, b.member.place,
                     ctx.ids_at(a.member.place, b.member.place))


def _promoted(p: Promoted) -> str:
    text = f"{p.member.kind} {p.member.name} at {p.member.place}"
    if p.via:
        text += f" (promoted from embedded {'.'.join(p.via)})"
    return text


# -- locals ------------------------------------------------------------------------------------
def _local_conflicts(ctx: _Context) -> list[Conflict]:
    out: list[Conflict] = []
    done: set[tuple[int, str, str]] = set()
    for row in ctx.renamed_rows(_LOCAL_ROLES):
        root, rel, byte = row_value(row, "root"), row_value(row, "path"), int(row["start_byte"])
        info = ctx.index.file(root, rel)
        scope = info.scope_at(byte) if info is not None else None
        old, target = row_value(row, "text"), row_value(row, "target")
        if scope is None or not any(p.byte == byte for p in scope.declared.get(old, ())):
            continue  # a package-level type, or a parameter of an interface method or func type
        key = (id(scope), old, target)
        if key in done:
            continue
        done.add(key)
        here = _place_of(row)
        word = _LOCAL_WORDS.get(row_value(row, "role"), "local")
        subject = f"the {word} {old} at {here} is renamed to {target}"
        clashes = _declared_as(ctx, scope, target, exclude=old)
        for place, name in clashes:
            if name == target:
                tail = f"which is already declared in {scope.describe()} at {place}"
            else:
                tail = f"and {name} at {place} in {scope.describe()} is renamed to {target} too"
            out.append(_conflict("local_collision", f"{subject}, {tail}", here, place,
                                 ctx.ids_at(here, place)))
        if clashes:
            continue
        # from the first place a declaration of old is in scope (before it, target means
        # another name: a parameter's own type, the package-level x in `x := f(x)`)
        first = min(scope.declared[old], key=scope.visible_from)
        uses = scope.used_in_scope_of(first, target)
        if not uses:
            continue
        use = uses[0]
        pkg = ctx.index.package_of(root, rel)
        shadowed = _outer_meaning(ctx, pkg, info, scope, target)
        if shadowed is None:
            out.append(_conflict(
                "shadowing",
                f"{subject}, which would shadow the predeclared {target} used at {use} in "
                f"{scope.describe()}", here, use, ctx.ids_at(here),
            ))
            continue
        what, place, kind = shadowed
        if kind == "local_collision":
            message = (f"{subject}, which would capture the use of {target} at {use} in "
                       f"{scope.describe()} ({what} declared at {place})")
        else:
            message = (f"{subject}, which would shadow {what} {target} declared at {place} and "
                       f"used at {use} in {scope.describe()}")
        out.append(_conflict(kind, message, here, place, ctx.ids_at(here, place)))
    return out


def _declared_as(ctx: _Context, scope: Scope, target: str, exclude: str) -> list[tuple[Place, str]]:
    """Declarations in ``scope`` (nested literals included) that will be spelled ``target``,
    other than those of ``exclude`` (the name being renamed)."""
    found = []
    for s in scope.walk():
        for name, places in s.declared.items():
            if name == exclude:
                continue
            found.extend((p, name) for p in places if ctx.new_name(p, name) == target)
    return sorted(found)


def _outer_meaning(
    ctx: _Context, pkg: Package | None, info: Any, scope: Scope, name: str
) -> tuple[str, Place | str, str] | None:
    """What ``name`` means in ``scope`` when ``scope`` does not declare it: (description, place,
    kind of the conflict); None for a predeclared name or one the index cannot place."""
    for outer in list(scope.chain())[1:]:
        if name in outer.declared:
            return "the local of the enclosing function", outer.declared[name][0], "local_collision"
    if pkg is not None and name in pkg.names:
        decl = sorted(pkg.names[name], key=lambda d: d.place)[0]
        return f"the package-level {_DECL_WORDS[decl.kind]}", decl.place, "shadowing"
    if info is not None and name in info.imports:
        return "the import", info.imports[name][1], "shadowing"
    if name in PREDECLARED:
        return None
    return "a name", "outside the roots", "local_collision"


# -- package-level names -----------------------------------------------------------------------
def _package_conflicts(ctx: _Context) -> list[Conflict]:
    out: list[Conflict] = []
    indexes: dict[PackageKey, tuple[int, dict[str, list[tuple[str, Any]]]]] = {}

    def by_new_name(pkg: Package) -> dict[str, list[tuple[str, Any]]]:
        """The package-level declarations by the name they will have, in name order (built
        once per package, again if the index has grown since)."""
        known = indexes.get(pkg.key)
        if known is None or known[0] != len(pkg.files):
            table: dict[str, list[tuple[str, Any]]] = {}
            for name, decls in sorted(pkg.names.items()):
                for d in decls:
                    table.setdefault(ctx.new_name(d.place, name), []).append((name, d))
            known = indexes[pkg.key] = (len(pkg.files), table)
        return known[1]

    for row in ctx.renamed_rows(_PACKAGE_ROLES):
        root, rel, byte = row_value(row, "root"), row_value(row, "path"), int(row["start_byte"])
        info = ctx.index.file(root, rel)
        pkg = ctx.index.package_of(root, rel)
        if info is None or pkg is None:
            continue
        if row_value(row, "role") != R.FUNC_DECL and info.scope_at(byte) is not None:
            continue  # a local type: checked with the locals
        old, target = row_value(row, "text"), row_value(row, "target")
        here = _place_of(row)
        decl = next((d for d in pkg.names.get(old, []) if d.place.byte == byte
                     and d.place.path == rel), None)
        what = f"package-level {_DECL_WORDS[decl.kind] if decl else 'name'}"
        subject = f"the {what} {old} at {here} is renamed to {target}"
        for name, d in by_new_name(pkg).get(target, []):
            if name != old:
                if name == target:
                    tail = f"which is already declared in package {pkg.key.name} at {d.place}"
                else:
                    tail = f"and the {_DECL_WORDS[d.kind]} {name} at {d.place} is renamed to {target} too"
                out.append(_conflict("package_collision", f"{subject}, {tail}", here, d.place,
                                     ctx.ids_at(here, d.place)))
        for f in pkg.files:
            if target in f.imports:
                place = f.imports[target][1]
                out.append(_conflict(
                    "package_collision",
                    f"{subject}, which is already the name of an import at {place}",
                    here, place, ctx.ids_at(here),
                ))
        out += _hidden_by_locals(ctx, pkg, here, subject, old, target)
    return out


def _qualifier_conflicts(ctx: _Context) -> list[Conflict]:
    """A renamed package (its clause renamed: ``package lexer`` -> ``package scanner``) that a
    file imports by its name, where the new name is taken: by a local of the function of a use
    (``scanner := bufio.NewScanner(in)``, which then captures ``scanner.New(line)``), by another
    import of the file, or by a package-level name of the file's package. One finding per file
    and the name that takes it."""
    out: list[Conflict] = []
    seen: set[tuple[str, str, object]] = set()
    for row in ctx.renamed_rows({R.PACKAGE_USE}):
        if row_value(row, "detail") == R.PACKAGE_CLAUSE:
            continue
        root, rel, byte = row_value(row, "root"), row_value(row, "path"), int(row["start_byte"])
        info = ctx.index.file(root, rel)
        old, target, use = row_value(row, "text"), row_value(row, "target"), _place_of(row)
        path = row_value(row, "owner")  # a qualifier's: the import path
        if info is None or not path or info.imports.get(old, ("",))[0] != path:
            continue  # a package-level name's bare use (see _package_conflicts)
        subject = f"the package {old} is renamed to {target} and used by that name at {use}"
        found: list[tuple[str, str, Place | str]] = []
        imported = info.imports.get(target)
        if imported is not None and imported[0] != path:
            found.append(("package_collision", f"but the file imports {imported[0]} as "
                          f"{target} at {imported[1]}: give one of the imports another name "
                          "there first", imported[1]))
        pkg = ctx.index.package_of(root, rel)
        declared = next((d for d in (pkg.names.get(target, []) if pkg is not None else [])
                         if ctx.new_name(d.place, target) == target), None)
        if declared is not None:
            found.append(("package_collision", f"but package {pkg.key.name} declares "
                          f"{target} at {declared.place}: import the package under another "
                          "name there first", declared.place))
        scope = info.scope_at(byte)
        for outer in scope.chain() if scope is not None else ():
            local = next((p for p in outer.declared.get(target, ())
                          if ctx.new_name(p, target) == target
                          and byte >= outer.visible_from(p)), None)
            if local is not None:
                found.append(("shadowing", f"but the local {target} declared at {local} in "
                              f"{outer.describe()} would capture that use: rename the local "
                              "first", local))
                break
        for kind, tail, other in found:
            key = (f"{root}/{rel}", kind, other)
            if key not in seen:
                seen.add(key)
                out.append(_conflict(kind, f"{subject}, {tail}", use, other,
                                     ctx.ids_at(use)))
    return out


def _hidden_by_locals(ctx: _Context, pkg: Package, here: Place, subject: str, old: str,
                      target: str) -> list[Conflict]:
    """A renamed package-level name used where a local already has the new name."""
    out = []
    seen: set[Place] = set()
    for f in pkg.files:
        for top in f.scopes:
            for scope in top.walk():
                for use in scope.used.get(old, ()):
                    for outer in scope.chain():  # a local whose scope holds the use
                        local = next((p for p in outer.declared.get(target, ())
                                      if ctx.new_name(p, target) == target
                                      and use.byte >= outer.visible_from(p)), None)
                        if local is None or local in seen:
                            continue
                        seen.add(local)
                        out.append(_conflict(
                            "shadowing",
                            f"{subject}, but the local {target} declared at {local} in "
                            f"{outer.describe()} would shadow it at its use at {use}",
                            here, local, ctx.ids_at(here, use),
                        ))
    return out


# -- interfaces --------------------------------------------------------------------------------
@dataclass
class _Node:
    place: Place
    name: str
    desc: str
    params: int
    variadic: bool
    interface: bool


class _Groups:
    """Union-find over method declarations."""

    def __init__(self) -> None:
        self.parent: dict[Place, Place] = {}
        self.nodes: dict[Place, _Node] = {}

    def add(self, node: _Node) -> None:
        self.nodes.setdefault(node.place, node)
        self.parent.setdefault(node.place, node.place)

    def find(self, p: Place) -> Place:
        while self.parent[p] != p:
            self.parent[p] = self.parent[self.parent[p]]
            p = self.parent[p]
        return p

    def union(self, a: Place, b: Place) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)

    def components(self) -> dict[Place, list[_Node]]:
        out: dict[Place, list[_Node]] = {}
        for p in sorted(self.nodes):
            out.setdefault(self.find(p), []).append(self.nodes[p])
        return out


def _interface_coupling(ctx: _Context) -> list[Conflict]:
    names = {row_value(r, "text") for r in ctx.renamed_rows(
        (R.METHOD_DECL, R.INTERFACE_METHOD, R.METHOD_CALL))}
    if not names:
        return []
    groups = _coupling_groups(ctx, names)
    comps = groups.components()
    comp_of = {n.place: root for root, nodes in comps.items() for n in nodes}
    comp_states = {root: {_state_at(ctx, n.place) for n in nodes} for root, nodes in comps.items()}
    by_name: dict[str, list[_Node]] = {}
    for node in groups.nodes.values():
        by_name.setdefault(node.name, []).append(node)
    memo: dict[tuple[str, int, bool], list[Place]] = {}
    calls: dict[Place, list[tuple[Place, dict[str, Any]]]] = {}
    broken_calls: set[Place] = set()
    out: list[Conflict] = []
    for row in sorted(ctx.rows, key=lambda r: (row_value(r, "root"), row_value(r, "path"),
                                               int(r.get("start_byte", 0) or 0))):
        if (row_value(row, "role") != R.METHOD_CALL or row_value(row, "text") not in names
                or row_value(row, "decided_by") == DECLARED_OUTSIDE):
            continue  # (a call kept as one of a type outside the roots calls none of theirs)
        candidates = _call_candidates(ctx, by_name, comp_of, row, memo)
        if not candidates:
            continue
        state = _state(ctx, row)
        matching = [c for c in candidates if state in comp_states[c]]
        for c in matching:
            calls.setdefault(c, []).append((_place_of(row), row))
        if not matching and any(any(n.interface for n in comps[c]) for c in candidates):
            broken_calls.update(candidates)
            rep = _representative(ctx, comps[candidates[0]])
            out.append(_coupling_error(ctx, _call_desc(row), _place_of(row), state,
                                       rep.desc, rep.place, _state_at(ctx, rep.place)))
    for root, nodes in comps.items():
        if not any(n.interface for n in nodes):
            continue
        states = {n.place: _state_at(ctx, n.place) for n in nodes}
        renamed = [n for n in nodes if states[n.place] is not None]
        if not renamed:
            continue
        rep = _representative(ctx, nodes)
        rep_state = states[rep.place]
        broken = [n for n in nodes if states[n.place] != rep_state]
        for n in broken:
            out.append(_coupling_error(ctx, n.desc, n.place, states[n.place], rep.desc,
                                       rep.place, rep_state))
        if broken or root in broken_calls:
            continue
        others = [n for n in nodes if n.place != rep.place]
        call_places = calls.get(root, [])
        if not others and not call_places:
            continue  # an interface method nothing implements or calls: no coupling to show
        listed = "; ".join(f"{n.desc} at {n.place}" for n in others[:_LISTED])
        if len(others) > _LISTED:
            listed += f"; and {len(others) - _LISTED} more"
        if not others:
            listed = f"the call at {call_places[0][0]}" + (
                f" and {len(call_places) - 1} more" if len(call_places) > 1 else "")
        second = others[0].place if others else call_places[0][0]
        message = (
            f"{rep.desc} at {rep.place} is coupled to {len(others)} other method declaration(s) "
            f"and {len(call_places)} call(s), all renamed to {rep_state}: {listed}"
        )
        ids = ctx.ids_at(*(n.place for n in nodes), *(p for p, _ in call_places))
        out.append(Conflict("interface_coupling", INFO, message,
                            f"{rep.place.root}/{rep.place.path}", rep.place.line,
                            str(second), ids))
    return out


def _coupling_groups(ctx: _Context, names: set[str]) -> _Groups:
    index = ctx.index
    groups = _Groups()
    types = ctx.candidate_types()
    method_sets: dict[int, tuple[dict[str, Promoted], bool]] = {}

    def mset(t: TypeInfo) -> tuple[dict[str, Promoted], bool]:
        if id(t) not in method_sets:
            method_sets[id(t)] = index.method_set(t)
        return method_sets[id(t)]

    for pkg, t in types:  # every declaration of a method of interest is a node
        if t.kind == "interface":
            for m in t.methods:
                if m.name in names:
                    groups.add(_node(m, f"interface method {_qualified(pkg, t, m)}", True))
        elif t.name and not t.local:
            for m in index.methods_of(pkg.key, t.name):
                if m.name in names:
                    groups.add(_node(m, f"method {_qualified(pkg, t, m)}", False))
    interfaces = [(pkg, t) for pkg, t in types if t.kind == "interface" and not t.constraint]
    providers: dict[str, list[TypeInfo]] = {}  # method name -> types whose method set has it
    for _pkg, t in types:
        if t.kind != "alias" and (t.kind == "interface" or (t.name and not t.local)):
            for name in names & mset(t)[0].keys():
                providers.setdefault(name, []).append(t)
    for _pkg, iface in interfaces:
        imethods, _ = mset(iface)
        for name in sorted(names & imethods.keys()):
            wanted = imethods[name].member
            for other in providers.get(name, []):
                if other is iface:
                    continue
                methods, complete = mset(other)
                got = methods.get(name)
                if got is None or got.member.shape != wanted.shape:
                    continue
                if not _implements(methods, complete, imethods):
                    continue
                if got.member.place in groups.nodes and wanted.place in groups.nodes:
                    groups.union(wanted.place, got.member.place)
    return groups


def _node(m: Member, desc: str, interface: bool) -> _Node:
    return _Node(m.place, m.name, desc, m.params, m.variadic, interface)


def _qualified(pkg: Package, t: TypeInfo, m: Member) -> str:
    owner = t.name or f"(the {t.kind} type at {t.place})"
    return f"{pkg.key.name}.{owner}.{m.name}"


def _implements(methods: Mapping[str, Promoted], complete: bool,
                wanted: Mapping[str, Promoted]) -> bool:
    for name, p in wanted.items():
        got = methods.get(name)
        if got is None:
            if complete:
                return False
        elif got.member.shape != p.member.shape:
            return False
    return True


def _call_candidates(ctx: _Context, by_name: Mapping[str, list[_Node]],
                     comp_of: Mapping[Place, Place], row: Mapping[str, Any],
                     memo: dict[tuple[str, int, bool], list[Place]]) -> list[Place]:
    """The groups a call ``x.M(...)`` may belong to: those declaring M with a parameter count
    that fits the call's arguments (all those declaring M when none fits)."""
    name = row_value(row, "text")
    info = ctx.index.file(row_value(row, "root"), row_value(row, "path"))
    call = info.calls.get(int(row["start_byte"])) if info is not None else None
    key = (name, -1, True) if call is None else (name, call.args, call.spread)
    if key not in memo:
        declaring = by_name.get(name, [])
        fitting = [
            n for n in declaring
            if call is None or call.spread or n.params == call.args
            or (n.variadic and call.args >= n.params - 1)
        ]
        chosen = fitting or declaring
        memo[key] = sorted({comp_of[n.place] for n in chosen if n.place in comp_of})
    return memo[key]


def _state(ctx: _Context, row: Mapping[str, Any]) -> str | None:
    """The new name of an occurrence, or None when it keeps its name."""
    if row_flag(row, "is_generated") or not ctx.is_renamed(row):
        return None
    return row_value(row, "target")


def _state_at(ctx: _Context, place: Place) -> str | None:
    row = ctx.row_at(place)
    return None if row is None else _state(ctx, row)


def _why_kept(ctx: _Context, place: Place) -> str:
    row = ctx.row_at(place)
    if row is None:
        return "is not in the inventory"
    if row_flag(row, "is_generated"):
        return "is in a generated file"
    if row_value(row, "role") == R.UNPARSED:
        return "is in a file that could not be parsed"
    return f"is decided {row_value(row, 'decision') or 'nothing'}"


def _representative(ctx: _Context, nodes: list[_Node]) -> _Node:
    renamed = [n for n in nodes if _state_at(ctx, n.place) is not None]
    pool = renamed or nodes
    return sorted(pool, key=lambda n: (not n.interface, n.place))[0]


def _coupling_error(ctx: _Context, desc: str, place: Place, state: str | None, rep_desc: str,
                    rep_place: Place, rep_state: str | None) -> Conflict:
    mine = f"is renamed to {state}" if state is not None else _why_kept(ctx, place)
    theirs = f"is renamed to {rep_state}" if rep_state is not None else _why_kept(ctx, rep_place)
    fix = ("give both the same new name" if state is not None and rep_state is not None
           else "rename both or neither")
    message = (f"{desc} at {place} {mine} but it is coupled to {rep_desc} at {rep_place}, "
               f"which {theirs}: {fix}")
    return _conflict("interface_coupling", message, place, rep_place, ctx.ids_at(place, rep_place))


def _call_desc(row: Mapping[str, Any]) -> str:
    symbol = row_value(row, "symbol")
    return f"the call .{row_value(row, 'text')}()" + (f" in {symbol}" if symbol else "")
