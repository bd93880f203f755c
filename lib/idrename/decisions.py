"""Decisions: the policy joined to the inventory, one decision (with its reason) per occurrence.

Precedence, first that applies wins:

1. ``override:<id>``: the ``[[override]]`` for this occurrence's id (and path guard, if any);
2. ``generated``: an occurrence in a generated file is kept (regenerate it from its source);
3. ``shim``: a tag, string or comment in a JSON compatibility shim is kept;
4. ``exclude:<n>``: a homonym named by the n-th ``[[exclude]]`` is ignored;
5. ``predeclared``: a use of one of Go's predeclared identifiers (``len(b)``, ``int``, ``nil``)
   is kept, unless the package of its file declares that name at package level (then the use
   names that declaration); no package declares the built-in, so it can never be renamed, and
   a rule does not change that (a local or parameter of that name is a ``local_use``, renamed
   with it);
6. ``rule:<n>``: the first ``[[rule]]`` that matches;
7. ``declared-in-generated``: a selector, method call or composite key whose name is declared
   (field or method) only in generated files is kept, since the generated file is not renamed;
   so is a package-level name declared in a generated file of its package: its uses, and its
   hand-written declarations in the package's other build variants; and a key of a struct
   literal, a selector or a call whose type (``internal.Data{MaxShardID: v}``, ``pb.Name`` with
   ``pb := &internal.Data{}``) is a struct of the roots declared in a generated file with that
   member, even where a struct written by hand declares the name too
   (:mod:`idrename.generatedmembers`);
   ``declared-unparsed``: the same for a name declared in a Go file the grammar cannot parse
   (its rows are ``unparsed`` and never edited, so its declarations keep their names);
8. ``no-body``: a package-level func declared without a body (implemented in a .s file, or
   linked by a directive) is kept, with its uses and its other build variants' declarations;
   so are the parameters, results and receiver of a func or method declared without a body,
   which its assembly names (``buf+0(FP)``, checked by ``go vet``);
9. ``linkname``: a package-level func or var that a ``//go:linkname`` directive names (its
   first argument, a name of the directive's package; or its second, ``importpath.name``, a
   name of a package of that name in the roots) is kept, with its uses and its other build
   variants' declarations: the linker, other packages and cmd/cgo refer to it by that string;
10. ``declared-outside``: a use whose name is declared outside the roots (``objabi.R_ADDR``,
    ``net.Dialer{KeepAlive: d}``, ``sym.WriteAddr()`` when the roots declare no ``WriteAddr``)
    is kept, since the patch cannot rename the declaration; unless the package it comes from is
    found and already declares the new name instead (see :mod:`idrename.outside`); so is a
    method call whose name the roots declare too but whose receiver its function types as a
    type outside the roots that keeps the name (``n.Obj()`` with ``var n *types.Named``; see
    :func:`idrename.outsideiface.calls_on_outside_types`);
    ``implemented-outside``: a method that a type or interface outside the roots meets (it
    implements an outside interface, or overrides a method an embedded outside type promotes,
    or outside types implement its interface), with what is coupled to it (see
    :mod:`idrename.implementedoutside`); ``coupled``: a method or interface method coupled to
    one that an override, an exclude or a rule keeps (an interface method its type implements,
    the other types' methods of that interface), with the uses whose receiver is typed as one
    of them (the same module);
11. ``testdata``: an occurrence in a ``testdata`` folder goes to ``review``;
12. ``default:<role>``: the policy's default for the role (``builtin:<role>``: the built-in
    default, ``review`` for a role it does not know).

Then an occurrence that would be renamed into a compound that repeats a word
(``sessionRunID`` -> ``sessionSessionID``) goes to ``review`` (``odd-compound``) with the collapsed
name as ``suggestion``, unless the name is in ``[rename.explicit]`` or the target was written
explicitly by a rule or an override.

A package's name is one name for all the files of its folder: when any of its package clauses
(``package cfg``, and the external test package's ``package cfg_test``) is not renamed (a
generated or unparsed file, a rule, an override...), every other one is kept too
(``package-name``); and a qualifier that an import without an alias binds (``cfg`` in
``cfg.BuildX``) follows the package clauses of the package it imports, kept or renamed alike,
unless an override decides it.

A declaration left to a default that would rename it is kept when a use that a rule or an
override keeps can name it (``kept-use``: a rule keeping a package keeps the names it uses from
the others); see :func:`_declarations_follow_kept_uses`. A use of a Go name left to a default
then follows the declarations it can name when they are all decided alike and otherwise
(``declaration``: a rule keeping ``method_decl`` keeps the calls), or, where they differ, those
its receiver's type or its qualifier's import names (:mod:`idrename.typeduses`); see
:func:`_uses_follow_declarations`. An example function's name takes the names its parts
became (``example-name``: :mod:`idrename.examplenames`).

A doc comment's word that is the name of the declaration it documents, left to a default,
follows that declaration (``doc-name``): kept with it, or renamed to its target.

After the decisions, :func:`check_entries` says which ``[[rule]]`` and ``[[exclude]]`` entries
had no effect (a ``policy`` warning each): one that matches no occurrence (with the root-relative
path meant, when its path starts with a root's label, the root's folder or ``./`` and the path
without it matches), and a rule or exclude whose every match a step before it decided.

``target`` is the occurrence's new text for renaming decisions (rename, dual, accept-both,
hard-cut, drop-legacy) and its current text for the others; ``suggestion`` is "" when there is
none.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from idrename import roles
from idrename.annotationkeys import follow_annotation_keys
from idrename.calledfields import calls_of_value_fields
from idrename.checks import WARNING, Conflict
from idrename.examplenames import follow_example_names
from idrename.generatedmembers import uses_of_generated_members
from idrename.gosyntax import default_import_name
from idrename.outside import DECIDED_BY as OUTSIDE
from idrename.outside import Lookup, declared_outside, folder_in_root
from idrename.policy import (
    EXTERNAL_SPELLING,
    RENAMING_DECISIONS,
    Exclude,
    Policy,
    PolicyError,
    Rule,
    classified_role,
    go_identifier_problem,
    package_key,
    row_flag,
    row_value,
)
from idrename.programnames import program_names
from idrename.records import records
from idrename.searchedwords import follow_searched_words
from idrename.spec import Spec, collapse_repeats
from idrename.standardnames import (
    STANDARD_HEADER,
    STANDARD_HEADER_RATIONALE,
    STANDARD_NAME,
    is_standard_header,
    standard_name_around,
    standard_name_rationale,
)
from idrename.typeduses import PACKAGE_LEVEL_USES, TypedUses

DECISION_COLUMNS = ("decision", "rationale", "decided_by", "target", "suggestion")
REQUIRED_COLUMNS = ("id", "role", "text")
IMPLEMENTED_OUTSIDE = "implemented-outside"  # see idrename.implementedoutside
GENERATED_RATIONALE = "generated file: regenerate it from its source instead"
# Uses that name a field or method declared elsewhere.
MEMBER_USE_ROLES = roles.MEMBER_USE_ROLES
MEMBER_DECL_ROLES = frozenset({roles.FIELD_DECL, roles.METHOD_DECL})


@dataclass(frozen=True)
class Decision:
    """What happens to one occurrence, and why."""

    decision: str
    rationale: str
    decided_by: str
    target: str
    suggestion: str = ""


def decide(inventory: pd.DataFrame, policy: Policy,
           roots: Mapping[str, str | os.PathLike[str]] | None = None, *,
           cache: Any = False, outside_types: Any = None) -> pd.DataFrame:
    """The inventory with the columns ``decision``, ``rationale``, ``decided_by``, ``target`` and
    ``suggestion`` added (a new frame; the input is not changed). ``roots`` maps the inventory's
    root labels to their folders (default: ``inventory.attrs["roots"]``), where the packages that
    uses declared outside the roots come from are looked up; without them every such use is
    kept. ``cache``: where the imports of the roots' files are kept between plans (as
    :func:`idrename.cache.resolve` takes it; False: nowhere); ``outside_types``: an
    :class:`idrename.outsideiface.OutsideTypes` to keep what is read outside the roots in, for
    the checks of the same plan."""
    missing = [c for c in REQUIRED_COLUMNS if c not in inventory.columns]
    if missing:
        raise ValueError(f"the inventory lacks the column(s) {', '.join(missing)}")
    out = inventory.copy()
    rows = records(out, [c for c in out.columns if c in _columns_read(policy)])
    generated_only = declared_only_in_generated(rows)
    root_paths = _root_paths(inventory, roots)
    generated_keys, generated_homonyms = uses_of_generated_members(rows, root_paths)
    generated_names = package_level_only_in_generated(rows)
    unparsed = declared_in_unparsed(rows)
    without_body = package_level_without_body(rows)
    linked = package_level_linked(rows)
    qualified = _qualified_uses(rows, root_paths, generated_names, unparsed.package_level,
                                without_body, linked)
    sources = _Sources(root_paths)  # (each file read once, for the passes that look at it)
    outside: dict[int, str | tuple[str, str]] = {}
    outside.update(declared_outside(rows, root_paths, policy.skip, policy.spec.rename))
    outside.update(_calls_on_outside_types(rows, root_paths, policy, cache, outside_types))
    outside.update(calls_of_value_fields(rows, sources.data))
    for i, kept in _kept_with_outside_types(rows, root_paths, policy, cache,
                                            outside_types).items():
        outside.setdefault(i, kept)
    builtins = uses_of_predeclared(rows)
    frozen = _Frozen(generated_only, generated_names, without_body, linked, unparsed,
                     generated_keys, qualified, generated_homonyms,
                     _own_encodings(rows, sources, policy.spec))
    results = [_decide(row, policy, frozen, outside.get(i), builtins.get(i))
               for i, row in enumerate(rows)]
    _follow_package_names(rows, results, root_paths, policy.skip)
    typed = TypedUses(root_paths, policy.skip, cache, outside_types)
    declared = _declarations_by_key(rows)
    _declarations_follow_kept_uses(rows, results, declared, typed, outside)
    _uses_follow_declarations(rows, results, declared, typed)
    follow_example_names(rows, results, policy.spec.rename, RENAMING_DECISIONS)
    _follow_printed_strings(rows, results, sources)
    _new_names_taken(rows, results, sources)
    _english_words(rows, results, sources)
    _new_name_spelled(rows, results, sources)
    # (a usage text's command name is kept first, and a message that spells a value follows it;
    # a test's string quoting a message then follows what the message became)
    program_names(rows, results, sources, policy.skip, RENAMING_DECISIONS)
    _follow_wire_spellings(rows, results, sources)
    _outside_name_spellings(rows, results, sources)
    _record_keys(rows, results, sources, policy.spec.rename)
    _follow_quoted_messages(rows, results, sources, policy.spec.rename)
    follow_searched_words(rows, results, sources, RENAMING_DECISIONS, _looks_for_parts)
    _standard_names(rows, results, sources)
    _file_paths(rows, results, sources)
    _follow_member_names(rows, results)
    _path_params_alike(rows, results)
    follow_annotation_keys(rows, results, sources, RENAMING_DECISIONS)
    _doc_names_follow_declarations(rows, results)
    for column in DECISION_COLUMNS:
        out[column] = pd.Series([getattr(r, column) for r in results], index=out.index,
                                dtype=object)
    return out


def _calls_on_outside_types(rows: list[dict[str, Any]], roots: Mapping[str, Path] | None,
                            policy: Policy, cache: Any, shared: Any) -> dict[int, str]:
    """The method calls to keep as calls of a type outside the roots (see
    :func:`idrename.outsideiface.calls_on_outside_types`; imported only when the roots are
    known)."""
    if not roots:
        return {}
    from idrename.outsideiface import calls_on_outside_types

    return calls_on_outside_types(rows, roots, policy.skip, policy.spec.rename, cache=cache,
                                  shared=shared)


def _kept_with_outside_types(rows: list[dict[str, Any]], roots: Mapping[str, Path] | None,
                             policy: Policy, cache: Any, shared: Any
                             ) -> dict[int, tuple[str, str]]:
    """The methods to keep because types outside the roots meet them, or because they are
    coupled to methods the policy's entries keep, with what is coupled to them, each with its
    reason and what decided it (see
    :func:`idrename.implementedoutside.kept_with_outside_types`; imported only when the roots
    are known)."""
    if not roots:
        return {}
    from idrename.implementedoutside import kept_with_outside_types

    held = [i for i, row in enumerate(rows) if row.get("role") in _METHOD_DECLARATIONS
            and _entry_decision(row, policy) in ("keep", "ignore")]
    return kept_with_outside_types(rows, roots, policy.skip, policy.spec.rename, cache=cache,
                                   shared=shared,
                                   ruled=lambda row: _entry_decision(row, policy) is not None,
                                   held=held)


_METHOD_DECLARATIONS = frozenset({roles.METHOD_DECL, roles.INTERFACE_METHOD})


def _entry_decision(row: Mapping[str, Any], policy: Policy) -> str | None:
    """The decision of the first override, exclude (``ignore``) or rule that matches a row, in
    the order the decisions ask them; None when none does."""
    override = next((o for o in policy.overrides if o.matches(row)), None)
    if override is not None:
        return override.decision
    if any(exclude.matches(row) for exclude in policy.excludes):
        return "ignore"
    return next((rule.decision for rule in policy.rules if rule.matches(row)), None)


def _columns_read(policy: Policy) -> set[str]:
    """The row fields the decisions read: those named here, and those the policy's rules
    match on (overrides and excludes match on fields named here)."""
    wanted = {"id", "role", "text", "path", "symbol", "language", "is_test", "is_generated",
              "root", "package", "detail", "line", "owner", "declared_in_module",
              "start_byte", "wire"}
    for rule in policy.rules:
        wanted.update(rule.match)
    return wanted


# What a member use (x.Name, T{Name: v}) can name when declared by hand: a field, a method, or
# an embedded type (a field of that name); a package-level func, var or const is pkg.Name.
_MEMBER_BY_HAND_ROLES = frozenset({roles.FIELD_DECL, roles.METHOD_DECL, roles.INTERFACE_METHOD,
                                   roles.TYPE_DECL})


def declared_only_in_generated(rows: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """Names declared as a field or method in a generated file and nowhere by hand as something
    a member use can name, mapped to the (first, sorted) generated file that declares them."""
    generated: dict[str, list[str]] = {}
    by_hand: set[str] = set()
    for row in rows:
        role = row_value(row, "role")
        text = row_value(row, "text")
        if _is_generated(row):
            if role in MEMBER_DECL_ROLES:
                generated.setdefault(text, []).append(row_value(row, "path"))
        elif role in _MEMBER_BY_HAND_ROLES:
            by_hand.add(text)
    return {text: sorted(paths)[0] for text, paths in generated.items() if text not in by_hand}


TESTDATA_RATIONALE = ("in a testdata folder, which Go does not build: tests read it as input or "
                      "as expected output, so decide it with the tests that read it")
SHIM_RATIONALE = ("part of a JSON compatibility shim ((Un)MarshalJSON) that keeps the legacy name "
                  "working; it goes when the legacy name is dropped")
LEGACY_CONSTANT_RATIONALE = ("the value of a legacy constant declared beside the renamed one "
                             "(Legacy<name>), sent or read too until clients move; it goes when "
                             "the legacy name is dropped")
_SHIM_METHODS = (".UnmarshalJSON", ".MarshalJSON")
_SHIM_ROLES = frozenset({roles.STRUCT_TAG, roles.DOC_COMMENT, roles.COMMENT, roles.STRING})


def is_shim(row: Mapping[str, Any], spec: Spec | None = None) -> bool:
    """A legacy wire name inside a JSON (un)marshalling method, or (given the spec) the value
    of a legacy constant named after the new term (``LegacyHeaderSessionID = "X-Run-ID"``):
    compatibility code by nature (the patch writes both for dual and accept-both:
    :mod:`idrename.heldwire`). Identifiers there are still renamed; only tags, strings and
    comments are kept."""
    symbol = row_value(row, "symbol")  # (first: it rules out nearly every row)
    if symbol.endswith(_SHIM_METHODS):
        return row_value(row, "role") in _SHIM_ROLES and row_value(row, "language") == "go"
    return spec is not None and symbol[:6] in ("Legacy", "legacy") and \
        row_value(row, "role") in _LEGACY_CONSTANT_ROLES and \
        row_value(row, "language") == "go" and _LEGACY_CONSTANT.match(symbol) is not None and \
        spec.new_pattern.search(symbol[len("legacy"):].encode()) is not None


def _own_encodings(rows: list[dict[str, Any]], sources: _Sources,
                   spec: Spec) -> frozenset[str]:
    """The ids of the rows :func:`is_shim` takes for a JSON (un)marshalling method's that are in
    a method whose text spells no name of the new term: the type's own encoding (a
    ``MarshalJSON`` that writes ``json:"violations"`` beside a computed field), whose key is a
    wire name like any tag's, not compatibility code, which writes or reads both names. A file
    not read leaves its rows shims."""
    methods: dict[tuple[str, str, str], list[int]] = {}
    for i, row in enumerate(rows):
        symbol = row_value(row, "symbol")
        if symbol.endswith(_SHIM_METHODS) and is_shim(row):
            methods.setdefault((row_value(row, "root"), row_value(row, "path"), symbol),
                               []).append(i)
    own: set[str] = set()
    for found in methods.values():
        span = sources.span(rows[found[0]])
        if span is None:
            continue
        data, start, _end = span
        begin = data.rfind(b"\nfunc ", 0, start) + 1
        end = data.find(b"\n}", start)  # (gofmt closes a top-level function at column 0)
        body = data[begin : end if end >= 0 else len(data)]
        if spec.new_pattern.search(body) is None:
            own.update(row_value(rows[i], "id") for i in found)
    return frozenset(own)


# What heldwire declares: a constant named Legacy<its new name>, holding a wire name.
_LEGACY_CONSTANT = re.compile(r"^[Ll]egacy[A-Z]\w*$")
_LEGACY_CONSTANT_ROLES = frozenset({roles.STRING, roles.HTTP_HEADER, roles.QUERY_PARAM,
                                    roles.LOG_KEY, roles.MAP_KEY, roles.COOKIE_NAME})


_PRINTED_ROLES = frozenset({roles.MESSAGE, roles.STRING})


def _follow_printed_strings(rows: list[dict[str, Any]], results: list[Decision],
                            sources: _Sources | None = None) -> None:
    """An example's expected output left at its built-in default follows the strings of the
    same Example function that spell the same name; where none does, the messages and strings
    of its folder's code whose words, between their format verbs, its line holds with the
    name (``// invalid JSON pointer`` printed from ``ErrSyntax = errors.New("invalid JSON
    pointer")``; ``sources`` reads them): renamed when they all are to one name, kept when
    none is, left to review when they differ or when nothing spells it (the output comes from
    elsewhere). ``results`` is changed in place."""
    def key(row: Mapping[str, Any]) -> tuple[str, ...]:
        return tuple(row_value(row, c) for c in ("root", "path", "symbol", "text"))

    printed: dict[tuple[str, ...], list[int]] = {}
    outputs = []
    for i, row in enumerate(rows):
        role = row_value(row, "role")
        if role in _PRINTED_ROLES:
            printed.setdefault(key(row), []).append(i)
        elif role == roles.EXAMPLE_OUTPUT and results[i].decided_by == f"builtin:{role}":
            outputs.append(i)
    code: dict[tuple[str, str, str], list[int]] | None = None  # (root, folder, text) -> texts
    for i in outputs:
        strings = printed.get(key(rows[i]), [])
        where = "the string(s) the example prints at line " + ", ".join(
            str(rows[j].get("line", "?")) for j in strings[:3])
        if not strings and sources is not None:
            if code is None:  # the code's texts by folder, once an output needs them
                code = {}
                for j in (j for found in printed.values() for j in found):
                    if not row_flag(rows[j], "is_test"):
                        code.setdefault(_folder_key(rows[j]), []).append(j)
            strings = _messages_printed(rows[i], rows, code.get(_folder_key(rows[i]), []),
                                        sources)
            where = "the message(s) of the code its line prints, at " + ", ".join(
                f"{row_value(rows[j], 'path')}:{rows[j].get('line', '?')}" for j in strings[:3])
        renamed = {(results[j].decision in RENAMING_DECISIONS, results[j].target
                    if results[j].decision in RENAMING_DECISIONS else "") for j in strings}
        if len(renamed) != 1:
            continue
        first = results[strings[0]]
        text = row_value(rows[i], "text")
        if next(iter(renamed))[0]:
            results[i] = Decision("rename", f"follows {where}, renamed to {first.target}",
                                  "example-output", first.target)
        else:
            results[i] = Decision("keep", f"follows {where}, kept", "example-output", text)


def _folder_key(row: Mapping[str, Any]) -> tuple[str, str, str]:
    return (row_value(row, "root"), row_value(row, "path").rpartition("/")[0],
            row_value(row, "text"))


_FORMAT_VERB = re.compile(rb"%[-+# 0-9.*\[\]]*[a-zA-Z%]")
_BETWEEN_VERBS = re.compile(rb"(?:(?!" + _FORMAT_VERB.pattern + rb").)+")  # a run of text


def _messages_printed(output: Mapping[str, Any], rows: list[dict[str, Any]],
                      candidates: list[int], sources: _Sources) -> list[int]:
    """The rows of ``candidates`` (the code's messages and strings of the output's folder that
    spell its name) whose one-line literal has, between its format verbs, a run of words
    holding the name that the output's line holds too."""
    span = sources.span(output)
    if span is None or not candidates:
        return []
    data, start, end = span
    line = data[data.rfind(b"\n", 0, start) + 1 : (data.find(b"\n", end) + 1 or len(data) + 1) - 1]
    token = row_value(output, "text").encode()
    found = []
    for j in candidates:
        at = sources.span(rows[j])
        literal = _literal_around(*at) if at is not None else None
        if literal is None:
            continue
        offset, content = literal
        rel = at[1] - offset - 1  # the name's place in the literal's content
        for m in _BETWEEN_VERBS.finditer(content):
            part = m.group().strip()
            if m.start() <= rel < m.end() and b" " in part and token in part and part in line:
                found.append(j)
                break
    return found


def _follow_member_names(rows: list[dict[str, Any]], results: list[Decision]) -> None:
    """A name read by string at run time, left at its built-in default, follows the Go names it
    can mean: a template's ``{{.RunID}}`` the fields and methods of that name (or, when the roots
    declare none, the map keys), ``{{runID .}}`` the ``FuncMap`` keys, a ``member_name``
    (``FieldByName("RunID")``, ``m.On("FindByRunID")``, ``required_without=RunID``) the fields
    and methods. Renamed when they all are to one name, kept when none is or the roots hold none
    (the name is declared elsewhere), left to review when they differ. ``results`` is changed in
    place."""
    members: dict[str, list[int]] = {}
    keys: dict[str, list[int]] = {}
    funcs: dict[str, list[int]] = {}
    followers = []
    for i, row in enumerate(rows):
        role = row_value(row, "role")
        if role in _READ_BY_NAME:
            if results[i].decided_by == f"builtin:{role}":
                followers.append(i)
        elif row_value(row, "language") == "go":
            if role in _MEMBER_BY_HAND_ROLES:
                members.setdefault(row_value(row, "text"), []).append(i)
            elif role == roles.MAP_KEY:
                keys.setdefault(row_value(row, "text"), []).append(i)
            elif role == roles.TEMPLATE_FUNC_DECL:
                funcs.setdefault(row_value(row, "text"), []).append(i)
    for i in followers:
        text, role = row_value(rows[i], "text"), row_value(rows[i], "role")
        reader = "the template" if role in roles.TEMPLATE_ROLES else "the string"
        if role == roles.TEMPLATE_FUNC:
            found, what, none = funcs.get(text, []), "FuncMap key", "FuncMap key"
        elif role == roles.MEMBER_NAME:
            found, what, none = members.get(text, []), "field or method", "field or method"
        else:
            found, what = members.get(text, []), "field or method"
            none = "field, method or map key"
            if not found:
                found, what = keys.get(text, []), "map key"
        by = "template" if role in roles.TEMPLATE_ROLES else "member-name"
        if not found:
            results[i] = Decision(
                "keep", f"the roots declare no Go {none} {text}: {reader} names one declared "
                "elsewhere (or a built-in), which this rename does not change", by, text)
            continue
        outcomes = {(results[j].decision in RENAMING_DECISIONS, results[j].target) for j in found}
        where = ", ".join(f"{row_value(rows[j], 'path')}:{rows[j].get('line', '?')}"
                          for j in found[:3]) + (", ..." if len(found) > 3 else "")
        if len(outcomes) > 1:
            results[i] = Decision(
                "review", f"the Go {what}s named {text} ({where}) are not all decided alike: "
                f"{reader} names one of them; decide it with that one (an override)", by, text)
        elif next(iter(outcomes))[0]:
            target = next(iter(outcomes))[1]
            results[i] = Decision("rename", f"follows the Go {what} {text} ({where}), renamed "
                                  f"to {target}: {reader} names it at run time", by, target)
        else:
            decided = results[found[0]]
            results[i] = Decision(
                decided.decision if decided.decision == "review" else "keep",
                f"follows the Go {what} {text} ({where}), which is "
                f"{'still to review' if decided.decision == 'review' else 'kept'}: {reader} "
                "names it at run time", by, text)


_MEMBER_DECLARATIONS = frozenset({roles.FIELD_DECL, roles.METHOD_DECL, roles.INTERFACE_METHOD})


def _uses_follow_declarations(rows: list[dict[str, Any]], results: list[Decision],
                              declared: Mapping[tuple[str, ...], list[int]],
                              typed: TypedUses) -> None:
    """A use of a Go name left to a default follows the declarations it can name when they are
    all decided alike and otherwise (a rule or an override that keeps ``method_decl``, or
    renames a ``func_decl`` to a target of its own): kept, to review, or renamed to their
    target (``declaration``); renamed apart from them, it would name nothing. A member's use
    can name the fields and methods of that name in the roots (a call, the methods; a literal's
    key and a selector not called, the fields); a package-level name's, those of its package: the
    folder's for a name written alone, a package of the qualifier's name for ``pkg.Name``.
    Where those are decided apart, ``typed`` tells which the use names: those of its receiver's
    type (``b.VoyageID`` with ``b *domain.Booking``), or of the package its qualifier imports.
    Declarations decided apart otherwise leave their uses to the defaults (the checks and ``go
    build`` say which break). ``declared``: the declarations by key
    (:func:`_declarations_by_key`). ``results`` is changed in place."""
    if not declared:
        return
    outcomes: dict[tuple[str, ...], set[tuple[str, str]]] = {}  # (by key, as asked)
    for i, row in enumerate(rows):
        if row.get("role") not in _FOLLOWING_USES or not results[i].decided_by.startswith(
                ("default:", "builtin:")) or row_value(row, "language") != "go":
            continue
        own = _outcome(results[i])
        key = next((key for key in _use_keys(row) if key in declared), None)
        found = declared[key] if key is not None else []
        if key is not None and key not in outcomes:
            outcomes[key] = {_outcome(results[j]) for j in found}
        states = outcomes[key] if key is not None else set()
        if key is None or states != {own}:
            # (before a use changes, or where the names do not tell: `q.Job` with `q` an
            # import's alias, `s.events` a method value beside fields of that name)
            found = typed.named(row, own, found, declared, rows,
                                lambda j: _outcome(results[j]))
            states = {_outcome(results[j]) for j in found}
        if len(states) != 1 or own in states:
            continue
        first, text = found[0], row_value(row, "text")
        where = f"{row_value(rows[first], 'path')}:{rows[first].get('line', '?')}"
        results[i] = _following(
            results[first], text, "declaration",
            f"follows the declarations of {text} ({where}), which are {{state}}",
            "renamed otherwise, the use would name nothing")


_FOLLOWING_USES = roles.MEMBER_USE_ROLES | PACKAGE_LEVEL_USES
KEPT_USE = "kept-use"


def _declarations_follow_kept_uses(rows: list[dict[str, Any]], results: list[Decision],
                                   declared: Mapping[tuple[str, ...], list[int]],
                                   typed: TypedUses, outside: Collection[int] = ()) -> None:
    """A declaration left to a default that would rename it is kept when a use that a rule or
    an override keeps can name it (``kept-use``): the entry says that use's file stays as it
    is (a rule keeping a package another team owns), and renamed, the declaration would leave
    it naming nothing. The use names those of its receiver's type, or of the package its
    qualifier imports, when ``typed`` tells; else those of its name (:func:`_use_keys`, in
    ``declared``) in the packages its package can reach (its own, what it imports, and so on);
    :func:`_uses_follow_declarations` then keeps their other uses with them. An exclude keeps
    nothing so (its tokens are another name's), nor does a use kept as one of a name declared
    outside the roots (``outside``: their indexes). ``results`` is changed in place."""
    kept = [i for i, row in enumerate(rows)
            if row.get("role") in _FOLLOWING_USES and i not in outside
            and results[i].decided_by.startswith(("rule:", "override:"))
            and results[i].decision not in RENAMING_DECISIONS and results[i].decision != "review"
            and row_value(row, "language") == "go"]
    if not kept or not declared:
        return

    def renamed(found: Iterable[int]) -> list[int]:
        return [j for j in found if results[j].decision in RENAMING_DECISIONS
                and results[j].decided_by.startswith(("default:", "builtin:"))]

    for i in kept:
        row, decided = rows[i], results[i]
        keys = [key for key in _use_keys(row) if key in declared]
        # (those in the packages its package can reach)
        targets = renamed(sorted({j for key in keys for j in typed.near(row, declared[key], rows)}))
        if keys and not targets:
            continue  # (nothing it can name is renamed, or what is is out of its reach)
        precise = typed.key(row)
        if precise in declared:
            targets = renamed(declared[precise])
        elif not keys:
            continue
        entry = decided.decided_by.replace(":", " ", 1)
        why = (f"kept: a use that {entry} keeps names it ({row_value(row, 'path')}:"
               f"{row.get('line', '?')}, {decided.rationale}): renamed, that use would name "
               f"nothing (widen the {entry.split(' ', 1)[0]}, or rename both with an override)")
        for j in targets:
            results[j] = Decision("keep", why, KEPT_USE, row_value(rows[j], "text"))


def _declarations_by_key(rows: list[dict[str, Any]]) -> dict[tuple[str, ...], list[int]]:
    """The hand-written Go declarations of members and package-level names, by the keys their
    uses find them by (see :func:`_declared_keys`)."""
    declared: dict[tuple[str, ...], list[int]] = {}
    for i, row in enumerate(rows):
        role = row.get("role")
        if (role in _MEMBER_DECLARATIONS or role in roles.PACKAGE_DECL_ROLES) and \
                row_value(row, "language") == "go" and not row_flag(row, "is_generated"):
            for key in _declared_keys(row):
                declared.setdefault(key, []).append(i)
    return declared


def _declared_keys(row: Mapping[str, Any]) -> list[tuple[str, ...]]:
    """The keys a declaration is found by (see :func:`_use_keys`, and
    :class:`idrename.typeduses.TypedUses` for a member of a type: ``member-of``)."""
    text = row_value(row, "text")
    if row.get("role") in _MEMBER_DECLARATIONS:
        kind = "field" if row.get("role") == roles.FIELD_DECL else "method"
        owner = row_value(row, "owner").lstrip("*").split("[", 1)[0]
        return [("member", text), (kind, text), ("member-of", row_value(row, "root"),
                                                 row_value(row, "path").rpartition("/")[0],
                                                 owner, text)]
    folder = row_value(row, "path").rpartition("/")[0]
    return [("folder", row_value(row, "root"), folder, text),
            ("package", row_value(row, "package"), text), ("package-level", text)]


def _use_keys(row: Mapping[str, Any]) -> list[tuple[str, ...]]:
    """The keys of the declarations a use can name, the first found counting: a call's, the
    methods of its name (else the fields: a field of a func type); a literal's key, the
    fields; a selector not called, the fields (else the methods: a method value)."""
    text, role = row_value(row, "text"), row.get("role")
    # (a member's use of a name no member declares is read so for want of the import: `pkg.F()`
    # with a package not named as its path ends, in a test of package pkg_test)
    if role == roles.METHOD_CALL:
        return [("method", text), ("member", text), ("package-level", text)]
    if role == roles.COMPOSITE_KEY:
        return [("field", text)]
    if role in roles.MEMBER_USE_ROLES:
        return [("field", text), ("member", text), ("package-level", text)]
    qualifier = row_value(row, "detail")
    if qualifier:
        return [("package", qualifier, text)]
    return [("folder", row_value(row, "root"), row_value(row, "path").rpartition("/")[0], text)]


def _outcome(decision: Decision) -> tuple[str, str]:
    """What a decision does to a Go name: renames it to a target, or keeps it (or leaves it to
    review)."""
    if decision.decision in RENAMING_DECISIONS:
        return "rename", decision.target
    return ("review", "") if decision.decision == "review" else ("keep", "")


def _following(decided: Decision, text: str, by: str, why: str, otherwise: str = "") -> Decision:
    """The decision of a name that follows another's (``decided``): renamed to its target,
    kept, or left to review; ``why`` says so with ``{state}`` (what became of the other),
    ``otherwise`` what a different decision would break."""
    kind, target = _outcome(decided)
    state = {"rename": f"renamed to {target}", "review": "still to review"}.get(
        kind, f"kept ({decided.decided_by})")
    reason = why.format(state=state) + (f": {otherwise}" if otherwise else "")
    return Decision(kind, reason, by, target if kind == "rename" else text)


def _doc_names_follow_declarations(rows: list[dict[str, Any]], results: list[Decision]) -> None:
    """A doc comment's word that is the name of the declaration it documents (``// RunID
    returns ...`` above ``func (T) RunID()``), left to a default, is that name: kept with a
    declaration kept (by a rule, or because something outside the roots needs it), to review
    with one to review, renamed to the declaration's target. ``results`` is changed in
    place."""
    declared: dict[tuple[str, str, str, str], int] = {}
    for i, row in enumerate(rows):
        if row.get("role") in roles.DECLARATION_ROLES:
            key = (row_value(row, "root"), row_value(row, "path"), row_value(row, "symbol"),
                   row_value(row, "text"))
            declared.setdefault(key, i)
    if not declared:
        return
    for i, row in enumerate(rows):
        if row.get("role") != roles.DOC_COMMENT or not results[i].decided_by.startswith(
                ("default:", "builtin:")):
            continue
        symbol, text = row_value(row, "symbol"), row_value(row, "text")
        if symbol.rpartition(".")[2] != text:
            continue
        j = declared.get((row_value(row, "root"), row_value(row, "path"), symbol, text))
        if j is None:
            continue
        if _outcome(results[i]) == _outcome(results[j]):
            continue
        results[i] = _following(
            results[j], text, "doc-name", "the doc comment names the declaration it documents "
            f"({symbol}, line {rows[j].get('line', '?')}), {{state}}")


def _new_names_taken(rows: list[dict[str, Any]], results: list[Decision],
                     sources: _Sources) -> None:
    """A ``FuncMap`` key or a route's parameter renamed to a name its literal already holds
    (``"shortSessionID":`` beside ``"shortRunID":``, ``{session_id}`` beside ``{run_id}``) would
    not build (a duplicate key) or would panic when the route is registered (a duplicate
    wildcard), and the template or the reads would reach the other one: it goes to review.
    What is looked at is the file for a key, the line for a route. ``results`` is changed in
    place."""
    for i, row in enumerate(rows):
        role = row_value(row, "role")
        if role not in (roles.TEMPLATE_FUNC_DECL, roles.PATH_PARAM) or \
                not _renames(row, results[i]) or results[i].decided_by.startswith("override:"):
            continue
        if role == roles.PATH_PARAM and row_value(row, "detail") != "route":
            continue
        data = sources.data(row)
        if data is None:
            continue
        target = re.escape(results[i].target.encode())
        if role == roles.TEMPLATE_FUNC_DECL:
            taken = re.search(rb'["`]' + target + rb'["`]\s*:', data)
            what = f"the FuncMap already has a function {results[i].target}"
        else:
            lines = data.split(b"\n")
            line = int(row.get("line", 0) or 0)
            text = lines[line - 1] if 0 < line <= len(lines) else b""
            taken = re.search(rb"[{]" + target + rb"[}:.]|/[:*]" + target + rb"\b", text)
            what = f"the route already has a parameter {results[i].target}"
        if taken is not None:
            results[i] = Decision("review", f"{what}: renamed, this one would clash with it; "
                                  "choose another name (an override)", "name-taken",
                                  row_value(row, "text"))


# The prose roles whose lower-case function words are the sentence's (see
# idrename.englishwords).
_PROSE_ROLES = frozenset({roles.MESSAGE, roles.COMMENT, roles.DOC_COMMENT, roles.STRING})
ENGLISH_WORD = "english-word"
ENGLISH_WORD_RATIONALE = ("{text!r} here is a word of the sentence, which English uses whatever "
                          "the code is about, not the name {name}: kept (the Go names are "
                          "renamed)")


def _english_words(rows: list[dict[str, Any]], results: list[Decision],
                   sources: _Sources) -> None:
    """Keep a prose row (a message, a comment, a string) left at its role's default whose text
    is a function word of English in lower case, standing as a word of a sentence (``"%s has
    been blocked"`` under ``--from Has``): see :mod:`idrename.englishwords`. ``results`` is
    changed in place."""
    from .englishwords import in_a_sentence, is_english_word

    for i, row in enumerate(rows):
        role = row_value(row, "role")
        text = row_value(row, "text")
        if role not in _PROSE_ROLES or not is_english_word(text) or \
                results[i].decided_by != f"builtin:{role}" or results[i].decision == "keep":
            continue
        span = sources.span(row)
        if span is None or not in_a_sentence(*span):
            continue
        results[i] = Decision("keep", ENGLISH_WORD_RATIONALE.format(
            text=text, name=text[:1].upper() + text[1:]), ENGLISH_WORD, text)


FILE_PATH = "file-path"
_PATH_ROLES = frozenset({roles.STRING, roles.PATH_SEGMENT, roles.MESSAGE, roles.COMMENT,
                         roles.DOC_COMMENT})
FILE_PATH_RATIONALE = ("a part of the path {literal!r}, which names {file} of the roots: the "
                       "patch moves no file, so renamed the path would name nothing; kept (rename "
                       "the file with `git mv`, then the path)")


def _file_paths(rows: list[dict[str, Any]], results: list[Decision], sources: _Sources) -> None:
    """Keep a Go string, message or comment renamed by its role's default that is a part of a
    path naming a file or a folder of the roots (``"threats.json"`` given to a fixture helper,
    ``"data/world.json"``, ``"../testdata/threats"``, a command line's ``-doc threats.json``, a
    file's header ``// File: cronexpr_next.go``), as :func:`idrename.embeddeddata.path_names`
    resolves it, or that is the path of its module or an import path in it
    (``"github.com/hedhyw/go-import-lint/internal/model"`` that a linter's test expects): the
    patch never moves a file, nor renames a module. ``results`` is changed in place."""
    from .embeddeddata import Embedders, looks_like_path, path_names

    embedders = Embedders(sources.roots or {})  # (each folder's directives read once)
    modules: Lookup | None = None  # (the go.mod files, read once, where a word may be a path)
    for i, row in enumerate(rows):
        role = row_value(row, "role")
        if role not in _PATH_ROLES or row_value(row, "language") != "go" or \
                results[i].decision not in RENAMING_DECISIONS or \
                not results[i].decided_by.startswith(("builtin:", "default:")):
            continue
        span = sources.span(row)
        root = sources.roots.get(row_value(row, "root")) if sources.roots else None
        if span is None or root is None:
            continue
        found = _literal_around(*span) if role not in (roles.COMMENT, roles.DOC_COMMENT) \
            else None
        if found is None:  # a comment's line, or a line of a string of several
            data, start, _end = span
            line_start = data.rfind(b"\n", 0, start) + 1
            line_end = data.find(b"\n", start)
            found = (line_start - 1, data[line_start : line_end if line_end >= 0 else len(data)])
        # the word of the literal or line that holds the name (a command line's "-doc
        # threats.json"), without the punctuation of a sentence around it
        offset, content = found
        at = span[1] - offset - 1
        first = max(content.rfind(b" ", 0, at), content.rfind(b"=", 0, at),
                    content.rfind(b"\t", 0, at)) + 1
        last = min((k for k in (content.find(b" ", at), content.find(b"\t", at)) if k >= 0),
                   default=len(content))
        word = content[first:last].decode("utf-8", "replace").strip("`'\"()[],;:")
        if role not in (roles.STRING, roles.PATH_SEGMENT):
            word = word.rstrip(".")  # (a sentence's end)
        elif word == content.decode("utf-8", "replace"):  # a whole literal: a Join's element?
            word = _joined_path(span[0], offset, content) or word
        if "/" not in word and not looks_like_path(word):
            continue  # (most words: neither a file's name nor an import path)
        named = path_names(Path(root), row_value(row, "path"), word, embedders,
                           row_value(row, "root"))
        if named is not None:
            results[i] = Decision("keep", FILE_PATH_RATIONALE.format(literal=word, file=named),
                                  FILE_PATH, row_value(row, "text"))
            continue
        if "/" not in word:
            continue
        if modules is None:
            modules = Lookup(dict(sources.roots or {}), frozenset())
        module = modules.module_path((Path(root) / row_value(row, "path")).parent)
        if module and (word == module or word.startswith(module + "/")):
            results[i] = Decision("keep", MODULE_PATH_RATIONALE.format(literal=word,
                                                                       module=module),
                                  FILE_PATH, row_value(row, "text"))


# A call of filepath.Join or path.Join whose arguments so far are string literals, ending just
# before the next one: `filepath.Join("..", "testdata", ` before "kits"
_JOIN_SO_FAR = re.compile(rb'(?:filepath|path)\.Join\(\s*((?:"[^"\\\n]*"\s*,\s*)*)$')


def _joined_path(data: bytes, offset: int, content: bytes) -> str | None:
    """The path that a string literal (at ``offset`` of ``data``, its text ``content``) ends,
    as an argument of ``filepath.Join`` or ``path.Join`` after literals only
    (``filepath.Join("..", "..", "testdata", "kits")`` -> ``../../testdata/kits``), or None."""
    line_start = data.rfind(b"\n", 0, offset) + 1
    m = _JOIN_SO_FAR.search(data[line_start:offset])
    if m is None:
        return None
    parts = [*re.findall(rb'"([^"\\\n]*)"', m.group(1)), content]
    return "/".join(p.decode("utf-8", "replace") for p in parts if p)


MODULE_PATH_RATIONALE = ("the import path {literal!r}, of the module {module} of the roots: the "
                         "patch moves no folder and renames no module, so renamed the path "
                         "would name nothing; kept")


NEW_NAME_SPELLED = "new-name-spelled"
NEW_NAME_SPELLED_RATIONALE = ("the words beside it already make the new name ({phrase!r}): kept, "
                              "since renamed the text would say a word twice ({twice!r})")


def _new_name_spelled(rows: list[dict[str, Any]], results: list[Decision],
                      sources: _Sources) -> None:
    """Keep a prose row (a message, a comment, a string) renamed by its role's default to a name
    that adds words to it, where the words beside it are those words (``"in preflight
    response"`` for Preflight -> PreflightResponse, ``"blocked by CORS policy"`` for cors ->
    corspolicy): the text already reads as the new name, and renamed it would repeat a word
    (``preflightResponse response``). ``results`` is changed in place."""
    longer: dict[tuple[str, str], tuple[bytes, bytes] | None] = {}  # (text, new) -> letters
    for i, row in enumerate(rows):
        found = results[i]
        if row.get("role") not in _PROSE_ROLES or found.decision not in RENAMING_DECISIONS or \
                not found.decided_by.startswith(("builtin:", "default:")):
            continue
        text, new = row_value(row, "text"), str(found.target or "")
        if (text, new) not in longer:  # (the new name's letters add to the old's, or None)
            old_letters, new_letters = _letters(text), _letters(new)
            longer[(text, new)] = (old_letters, new_letters) if old_letters and len(
                new_letters) > len(old_letters) and (new_letters.startswith(old_letters) or
                                                     new_letters.endswith(old_letters)) else None
        letters = longer[(text, new)]
        if letters is None:
            continue
        old_letters, new_letters = letters
        after = new_letters.startswith(old_letters)
        span = sources.span(row)
        if span is None:
            continue
        data, start, end = span
        if after:  # the words the new name adds, after it: "preflight response"
            rest = new_letters[len(old_letters):]
            match = re.match(rb"[ _-]?(" + re.escape(rest) + rb")(?![A-Za-z0-9_])",
                             data[end : end + len(rest) + 2], re.IGNORECASE)
            if match is None:
                continue
            phrase = data[start : end + match.end()]
            twice = f"{new} {match.group(1).decode('utf-8', 'replace')}"
        else:  # before it: "CORS check" for Check -> CORSCheck
            rest = new_letters[: -len(old_letters)]
            match = re.search(rb"(?<![A-Za-z0-9_])(" + re.escape(rest) + rb")[ _-]?\Z",
                              data[max(start - len(rest) - 2, 0) : start], re.IGNORECASE)
            if match is None:
                continue
            phrase = data[start - len(match.group(0)) : end]
            twice = f"{match.group(1).decode('utf-8', 'replace')} {new}"
        results[i] = Decision("keep", NEW_NAME_SPELLED_RATIONALE.format(
            phrase=phrase.decode("utf-8", "replace"), twice=twice), NEW_NAME_SPELLED, text)


def _letters(name: str) -> bytes:
    """The letters and digits of a name, in lower case (``PreflightResponse`` ->
    ``preflightresponse``)."""
    return re.sub(rb"[^a-z0-9]", b"", name.lower().encode())


def _standard_names(rows: list[dict[str, Any]], results: list[Decision],
                    sources: _Sources) -> None:
    """A header whose whole name is one HTTP defines (``r.Header.Get("Cookie")``,
    ``w.Header().Set("Set-Cookie", v)``), and a word of a media type or a disposition
    (``multipart/form-data``, in a string, a message or a comment): see
    :mod:`idrename.standardnames`. Kept, unless an override, an exclude or a rule decided it:
    no strategy of this code's moves them. ``results`` is changed in place."""
    for i, row in enumerate(rows):
        role = row_value(row, "role")
        if role in roles.GO_IDENTIFIER_ROLES or role in _NAMED_IN_CODE or (
                results[i].decision == "keep" and role not in roles.WIRE_ROLES) or \
                results[i].decided_by.startswith(("override:", "exclude:", "rule:")):
            continue  # (a wire name kept now may get its contract's strategy: marked too)
        span = sources.span(row)
        if span is None:
            continue
        data, start, end = span
        if role == roles.HTTP_HEADER:
            found = _literal_around(data, start, end)
            name = found[1].decode("utf-8", "replace") if found is not None else ""
            if is_standard_header(name):
                results[i] = Decision("keep", STANDARD_HEADER_RATIONALE.format(name=name),
                                      STANDARD_HEADER, row_value(row, "text"))
                continue
        standard = standard_name_around(data, start, end)
        if standard is not None:
            results[i] = Decision("keep", standard_name_rationale(*standard), STANDARD_NAME,
                                  row_value(row, "text"))


# The roles of names the code declares (a TypeScript or protobuf name, a SQL column): no part
# of a standard's name.
_NAMED_IN_CODE = frozenset({roles.TS_IDENTIFIER, roles.TS_MEMBER, roles.TS_PROPERTY,
                            roles.TS_OBJECT_KEY, roles.PROTO_FIELD, roles.SQL, roles.SQL_FILE,
                            roles.SQL_VARIABLE})


def _follow_wire_spellings(rows: list[dict[str, Any]], results: list[Decision],
                           sources: _Sources) -> None:
    """A message left at its built-in default that spells a value of the code (not of its
    tests) and no Go name of its package, nor an exported one's spelling (``t.Errorf("want
    batch_not_found")`` for the error code of ``writeError(w, 404, "batch_not_found")``),
    follows that value: renamed when its places all are, kept when none is, left to review
    otherwise. Renamed alone, it names a value the code no longer uses. A value is a string,
    or a name of those roles, that is its literal's whole text (a name inside a longer string,
    a URL's query or a cache key, is not one), and no wire name of a contract: compat keeps
    those working under both names, and the message is renamed as by default. ``results`` is
    changed in place."""
    messages: list[int] = []
    for i, row in enumerate(rows):
        text = row_value(row, "text")
        if (row_value(row, "role") == roles.MESSAGE and not text[:1].isupper()
                and results[i].decided_by == f"builtin:{roles.MESSAGE}"):
            messages.append(i)  # (a capital: an exported Go name's spelling)
    if not messages:
        return
    spelled = {(row_value(rows[i], "root"), row_value(rows[i], "text")) for i in messages}
    candidates: dict[tuple[str, str], list[int]] = {}
    go_names: set[tuple[str, str, str]] = set()  # (root, folder, name): a package's Go names
    for i, row in enumerate(rows):
        key = (row_value(row, "root"), row_value(row, "text"))
        if key not in spelled:
            continue
        role = row_value(row, "role")
        if role in roles.GO_IDENTIFIER_ROLES:
            go_names.add((key[0], _folder(row), key[1]))
        elif (role in _VALUE_ROLES or role == roles.STRING) and not row_flag(row, "is_test") \
                and not row_flag(row, "wire"):
            candidates.setdefault(key, []).append(i)  # (a wire name's: compat decides it)
    def value(j: int) -> bool:  # not a part of a longer string (a URL's query, a cache key)
        if row_value(rows[j], "role") == roles.STRUCT_TAG:
            return True
        span = sources.span(rows[j])  # the whole literal: "batch_not_found"
        if span is None:
            return False
        data, start, end = span
        return 0 < start and end < len(data) and data[start - 1] == data[end] and \
            data[end] in b'"`'

    values: dict[tuple[str, str], list[int]] = {}
    for key, found in candidates.items():
        # (the files are read only where a value is not renamed: else the message is, as by
        # its own default)
        if all(results[j].decision in RENAMING_DECISIONS for j in found):
            continue
        if any(results[j].decision not in RENAMING_DECISIONS and value(j) for j in found):
            values[key] = [j for j in found if value(j)]
    for i in messages:
        key = (row_value(rows[i], "root"), row_value(rows[i], "text"))
        found = values.get(key)
        if found and (key[0], _folder(rows[i]), key[1]) in go_names:
            # a Go name of its package: the message may name it, renamed with it; but spelled
            # as a flag (``"invalid --buckets %d"``) it names the command-line flag, and as a
            # line's key (``"tags: [%s]\n"``, written to a file) the key the code reads
            span = sources.span(rows[i])
            flags = [j for j in found if row_value(rows[j], "role") == roles.EXTERNAL_NAME]
            if flags and span is not None and flag_spelling(*span):
                found = flags
            elif span is None or not _key_spelling(*span):
                found = None
        if not found:
            continue
        decided = {results[j].decision for j in found}
        first = rows[found[0]]
        where = f"{row_value(first, 'path')}:{row_value(first, 'line')}"
        more = f" (and {len(found) - 1} more)" if len(found) > 1 else ""
        if not decided & (RENAMING_DECISIONS | {"review"}):
            results[i] = Decision("keep", f"spells the value at {where}{more}, which is kept: "
                                  "renamed, the message would name a value the code no longer "
                                  "uses", "wire-spelling", key[1])
        else:
            results[i] = Decision("review", f"spells the value at {where}{more}, decided "
                                  f"{' and '.join(sorted(decided))}: decide the message as it "
                                  "is (it names the value the code uses)", "wire-spelling",
                                  key[1], results[i].target)


def _outside_name_spellings(rows: list[dict[str, Any]], results: list[Decision],
                            sources: _Sources) -> None:
    """Keep with a name the code reads from outside the program and keeps (a command-line
    flag, an environment variable: role ``external_name``, not a test's) the comments,
    messages and strings, left to a default (renamed or to review), that write it as a flag
    (``// an explicit --data-dir first``, ``"[--data-dir PATH]"``), and the map keys of the
    code in the folder that reads it whose literal is the name and whose value the variable
    it is read into (the flags a command checks, ``map[string]string{"data-dir": *dataDir}``,
    :func:`_keys_its_variable`): renamed, they would name what the program does not read, and
    such a map key is no wire name (no contract's). A
    test's strings are :func:`idrename.compat.follow_external_spellings`'s. ``results`` is
    changed in place."""
    read: dict[tuple[str, str], int] = {}  # (root, name) -> a row that reads it, kept
    for j, row in enumerate(rows):
        if row_value(row, "role") == roles.EXTERNAL_NAME and not row_flag(row, "is_test") and \
                results[j].decision not in RENAMING_DECISIONS:
            read.setdefault((row_value(row, "root"), row_value(row, "text")), j)
    if not read:
        return
    for i, row in enumerate(rows):
        role = row_value(row, "role")
        j = read.get((row_value(row, "root"), row_value(row, "text")))
        if j is None or (role not in _OUTSIDE_SPELLING_ROLES and
                         role not in roles.COMMENT_ROLES) or \
                results[i].decision not in RENAMING_DECISIONS | {"review"} or \
                not results[i].decided_by.startswith(("builtin:", "default:")):
            continue
        span = sources.span(row)
        if span is None:
            continue
        if not flag_spelling(*span) and not (
                role == roles.MAP_KEY and not row_flag(row, "is_test") and
                _folder(row) == _folder(rows[j]) and _keys_its_variable(span, sources.span(rows[j]))):
            continue
        reader = rows[j]
        results[i] = Decision("keep", EXTERNAL_SPELLING_RATIONALE.format(
            name=row_value(row, "text"),
            where=f"{row_value(reader, 'path')}:{row_value(reader, 'line')}"),
            EXTERNAL_SPELLING, row_value(row, "text"))


def _keys_its_variable(key: tuple[bytes, int, int],
                       reader: tuple[bytes, int, int] | None) -> bool:
    """Whether a map key, the whole of its literal, holds the variable that the line reading
    the outside name declares: ``"data-dir": *dataDir`` beside ``dataDir :=
    fs.String("data-dir", ...)``. (A JSON document's ``"buckets": bs`` beside the flag
    ``buckets`` is a wire name of its own.)"""
    if reader is None:
        return False
    data, start, end = reader
    line = data[data.rfind(b"\n", 0, start) + 1 : start]
    declared = _DECLARED.match(line)
    data, start, end = key
    if declared is None or data[start - 1 : start] != b'"' or data[end : end + 1] != b'"':
        return False
    return re.match(rb'"\s*:\s*\*?' + re.escape(declared.group(1)) + rb"\b", data[end:]) is not None


# The variable a line declares or sets (`dataDir := fs.String(`, `cfg.Dir = *flag.String(`)
_DECLARED = re.compile(rb"\s*([A-Za-z_][\w.]*)\s*:?=")
_OUTSIDE_SPELLING_ROLES = frozenset({roles.MAP_KEY, roles.STRING, roles.MESSAGE})
EXTERNAL_SPELLING_RATIONALE = ("spells {name}, which the code reads from outside the program at "
                               "{where} and keeps: renamed, it would name what the program does "
                               "not read")


def flag_spelling(data: bytes, start: int, end: int) -> bool:
    """Whether the name at [start, end) of ``data`` is written as a command-line flag: one or
    two dashes before it (``--buckets``, ``-run-id``) that follow no word (``pre-buckets`` is a
    compound), and no word character after it."""
    dashes = 2 if data[max(start - 2, 0) : start] == b"--" else 1 \
        if data[max(start - 1, 0) : start] == b"-" else 0
    if not dashes or (end < len(data) and _is_word_byte(data[end])):
        return False
    before = start - dashes - 1
    return before < 0 or not _is_word_byte(data[before])


def _key_spelling(data: bytes, start: int, end: int) -> bool:
    """Whether the name at [start, end) of ``data`` is written as the key of a ``key: value``
    line: first in its literal or on its line (after a newline, or an escaped one), a colon
    right after it (``"tags: [%s]\n"``)."""
    if data[end : end + 1] != b":" or start < 1:
        return False
    return data[start - 1 : start] in (b'"', b"`", b"\n") or data[start - 2 : start] == b"\\n"


def _is_word_byte(byte: int) -> bool:
    return byte == 0x5F or 0x30 <= byte <= 0x39 or 0x41 <= byte <= 0x5A or 0x61 <= byte <= 0x7A \
        or byte >= 0x80


def _folder(row: Mapping[str, Any]) -> str:
    """The folder of a row's file (its package's, for a Go file)."""
    return row_value(row, "path").rpartition("/")[0]


# The roles of a name that is a value on its own: a key or a parameter's name.
_VALUE_ROLES = frozenset({roles.STRUCT_TAG, roles.LOG_KEY, roles.MAP_KEY, roles.QUERY_PARAM,
                          roles.HTTP_HEADER, roles.PATH_PARAM, roles.MEMBER_NAME,
                          roles.EXTERNAL_NAME, roles.DB_FIELD, roles.COOKIE_NAME})


RECORD_KEY = "record-key"
RECORD_KEY_RATIONALE = ("the key of a field the code writes as text ({field!r}), which what reads "
                        "that output knows by name: not prose; renamed, the format changes for "
                        "its readers; decide it with them")


def _record_keys(rows: list[dict[str, Any]], results: list[Decision], sources: _Sources,
                 rename: Callable[[str], str]) -> None:
    """A message left at its built-in default that writes the name, spelled as a wire name
    (words joined by ``_`` or ``-``), as the key of a field of a text format: Redis's INFO
    reply (``fmt.Sprintf("master_host:%s\\r\\n", h)``), logfmt (``"a=%d run_id=%s"``), a
    query (``"?run_id=%s"``). The name stands at the literal's start or after a line break or a
    field separator, right before ``:`` or ``=`` and a verb, and the field ends the line, the
    text or is followed by another field; in the middle of a line, with no space around its
    ``:`` or ``=``. An error's text is prose, even where it begins with the name (``"run_id:
    %w"``), as is a message that goes on after the field (``"run_id: %q is empty"``).
    A name of one word (``status``) is such a key only as one field of several written
    ``key=%v`` (``"%s: protocol=%s status=%s duration=%s"``): alone it may be prose.
    To review, with the new name as suggestion. ``results`` is changed in place."""
    for i, row in enumerate(rows):
        text = row_value(row, "text")
        if row_value(row, "role") != roles.MESSAGE or \
                results[i].decided_by != f"builtin:{roles.MESSAGE}":
            continue
        one_word = "_" not in text and "-" not in text
        span = sources.span(row)
        found = _literal_around(*span) if span is not None else None
        if span is None or found is None:
            continue
        at, content = found
        start, end = span[1] - at - 1, span[2] - at - 1
        field = _FIELD_AFTER.match(content, end)
        data = span[0]
        if field is None or _ERROR_TEXT.search(data, max(0, at - 40), at) is not None:
            continue
        before = content[:start]
        if not (before == b"" or before.endswith(_FIELD_STARTS) or
                (before.endswith(b" ") and not field.group("before") + field.group("after"))):
            continue
        if one_word and (field.group(0).lstrip()[:1] != b"=" or field.group("before")
                         or field.group("after") or not (
                             _FIELD_BEFORE.search(before) or
                             _FIELD_NEXT.match(content, field.end()))):
            continue  # (a word alone before `=` or `:` may be prose: `status: %s`)
        results[i] = Decision("review", RECORD_KEY_RATIONALE.format(
            field=content[start : field.end()].decode("utf-8", "replace")), RECORD_KEY,
            text, rename(text))


# After a field's key in a format: `:` or `=`, perhaps with a space before or after it, and a
# verb, then the end of the text or of its line, a separator, or another field (`a=%d b=%s`)
_FIELD_AFTER = re.compile(rb"(?P<before> ?)[:=](?P<after> ?)%[-+# 0-9.*\[\]]*[a-zA-Z]"
                          rb"(?=$|\\[rn]|[&;,\t]| [\w.-]+[:=])")
_FIELD_STARTS = (b"\\n", b"\\r", b"\\t", b"&", b"?", b";", b",")
# Another `key=%v` field just before a key (and the space after it), or just after its own
_FIELD_BEFORE = re.compile(rb"(?:^|[ \t])[\w.-]+=%[-+# 0-9.*\[\]]*[a-zA-Z] \Z")
_FIELD_NEXT = re.compile(rb" [\w.-]+=%")
# Before a literal: a call that makes an error's text (`fmt.Errorf("run_id: %w", err)`), prose
_ERROR_TEXT = re.compile(rb"\b(?:Errorf|New|Wrapf?|Panicf?|Fatalf?)\(\s*\Z")


def _follow_quoted_messages(rows: list[dict[str, Any]], results: list[Decision],
                            sources: _Sources,
                            rename: Callable[[str], str]) -> None:
    """A string of a test left at its built-in default that quotes a message of the code
    (``err.Error() != "no run_id given"``, ``require.ErrorContains(t, err, "no run_id")`` for
    ``errors.New("no run_id given")``) follows that message: renamed when every message it
    quotes is renamed, kept when none is. It quotes a message when its line compares it with an
    error's text (``.Error()``, ``EqualError``, ``ErrorContains``) and it is the message's text,
    what its format prints, or a part of it longer than its name alone (a bare ``"run_id"`` may
    be a key), or on a line that looks for it in a text (``strings.Contains(failures[0],
    "total:")``); elsewhere in a test file that compares errors (a table's ``wantErr``), when it
    is the whole message or what its format prints (or a phrase of its text or of what it
    prints, :func:`_is_phrase`, where the file looks for a part of an error's text); in a test
    file that looks for parts of a text (``strings.Contains(out, want)`` over
    ``[]string{"snapshot 2026-06-15", ...}``), when it is such a phrase; elsewhere in any test,
    when it is the whole message, of two words at least (``entry["msg"] == "server
    response"``): see :func:`_quoting_modes`. Away from an error's text, only the messages of
    the code count, not a test's own (``t.Fatalf("history = %+v")``), and a string of the
    code holding it decides too (it may be what the test reads). Left to review with a message
    left to review (one that spells a value of the code: :func:`_follow_wire_spellings`, which
    runs first). A string that a message merely holds too (an InfluxQL ``SHOW MEASUREMENTS`` of
    a test, a usage text's example) is not quoting it. ``results`` is changed in place."""
    quoting = [i for i, row in enumerate(rows) if row_value(row, "role") == roles.STRING and
               row_flag(row, "is_test") and results[i].decided_by == f"builtin:{roles.STRING}"]
    if not quoting or sources.roots is None:
        return

    def literal(row: Mapping[str, Any]) -> tuple[int, bytes] | None:
        span = sources.span(row)
        return _literal_around(*span) if span is not None else None

    compared, phrases, guarded = _quoting_modes(quoting, rows, sources, literal)
    if not compared:  # a string that a message also holds, but not compared with an error
        return
    names = {row_value(rows[i], "text") for i, _, _ in compared}
    messages: dict[tuple[str, str, int], tuple[bytes, list[str]]] = {}
    # the messages and strings of the code, not of its tests (`t.Fatalf("history = %+v")`), for
    # the strings not compared with an error's text
    code_messages: dict[tuple[str, str, int], tuple[bytes, list[str]]] = {}
    strings: dict[tuple[str, str, int], tuple[bytes, list[str]]] = {}
    # the renamed parts of the messages' literals: (start in the literal, end, new text)
    edits: dict[tuple[str, str, int], list[tuple[int, int, str]]] = {}
    for i, row in enumerate(rows):
        role = row_value(row, "role")
        if role not in (roles.MESSAGE, roles.STRING) or row_value(row, "language") != "go" or \
                row_value(row, "text") not in names or \
                (role == roles.STRING and (not guarded or row_flag(row, "is_test"))):
            continue
        span = sources.span(row)
        found = _literal_around(*span) if span is not None else None
        if span is None or found is None:
            continue
        key = (row_value(row, "root"), row_value(row, "path"), found[0])
        outcome = ("rename" if _renames(row, results[i]) else
                   "review" if results[i].decision == "review" else "keep")
        if outcome == "rename" and role == roles.MESSAGE:
            at = span[1] - found[0] - 1
            edits.setdefault(key, []).append(
                (at, at + span[2] - span[1], results[i].target))
        kinds = ((messages, code_messages) if role == roles.MESSAGE and guarded and
                 not row_flag(row, "is_test") else
                 (messages,) if role == roles.MESSAGE else (strings,))
        for kind in kinds:
            kind.setdefault(key, (found[1], []))[1].append(outcome)
    by_text = _outcomes(messages, edits)  # what each message's literal becomes
    by_code_text = _outcomes(code_messages, edits)
    held = _outcomes(strings)  # ... and each string's of the code
    by_name: dict[bytes, list[bytes]] = {}  # the messages each name stands in
    for text in by_text:
        for name in names:
            if name.encode() in text:
                by_name.setdefault(name.encode(), []).append(text)
    for i, quoted, mode in compared:
        name = row_value(rows[i], "text").encode()
        source = by_code_text if i in guarded else by_text
        outcomes = {_settled(outcome, quoted, name, mode, i in phrases, rename)
                    for text in by_name.get(name, ())
                    if text in source and _quotes(quoted, name, text, mode, i in phrases)
                    for outcome in source[text]}
        if outcomes and i in guarded:
            outcomes.update(*(found for text, found in held.items() if quoted in text))
        if len(outcomes) != 1:
            continue
        text = row_value(rows[i], "text")
        if outcomes == {"rename"}:
            results[i] = Decision("rename", "quotes a message of the code that is renamed",
                                  "quotes-message", rename(text))
        elif outcomes == {"review"}:
            results[i] = Decision("review", "quotes a message of the code that is left to "
                                  "review: decide it with that message", "quotes-message",
                                  text, rename(text))
        else:
            results[i] = Decision("keep", "quotes a message of the code that is kept",
                                  "quotes-message", text)


def _quoting_modes(quoting: Sequence[int], rows: list[dict[str, Any]], sources: _Sources,
                   literal: Callable[[Mapping[str, Any]], tuple[int, bytes] | None]
                   ) -> tuple[list[tuple[int, bytes, str]], set[int], set[int]]:
    """How each of the test's strings ``quoting`` may quote a message, as its line and its file
    check texts: (row, its literal, mode: ``part``, ``whole`` or ``exact``, see :func:`_quotes`)
    for those that may; the rows that may be a phrase of one; and the rows ``guarded``, not
    compared with an error's text."""
    # (row, its literal, how it may quote a message: a part of one on the line that looks for
    # it, a whole message or what its format prints elsewhere in a test file that checks
    # texts, a whole message alone anywhere else)
    compared: list[tuple[int, bytes, str]] = []
    phrases: set[int] = set()  # strings that may be a phrase of a message (see _is_phrase)
    # strings not compared with an error's text: only the code's messages count, and a string
    # of the code holding one may be what the test reads, and decides it too
    guarded: set[int] = set()
    files: dict[int, tuple[bool, bool, bool]] = {}  # a file's (bytes' id) checks, as below
    for i in quoting:
        found = literal(rows[i])
        name = row_value(rows[i], "text")
        if found is None or found[1] == name.encode():
            continue
        data = sources.data(rows[i]) or b""
        line = data[data.rfind(b"\n", 0, found[0]) + 1 : data.find(b"\n", found[0])]
        if id(data) not in files:  # (compares errors, looks for a part of one, of a text)
            files[id(data)] = (_ERROR_CHECK.search(data) is not None,
                               _CONTAINS_CHECK.search(data) is not None,
                               _TEXT_CHECK.search(data) is not None)
        errors, error_parts, text_parts = files[id(data)]
        phrase = _is_phrase(found[1], name)
        if _ERROR_CHECK.search(line) is not None:
            compared.append((i, found[1], "part"))
        elif _TEXT_CHECK.search(line) is not None:
            compared.append((i, found[1], "part"))
            guarded.add(i)
        elif errors or (text_parts and phrase):
            # a table's `wantErr: "..."`, a `want := "..."` above the check; a phrase where
            # the file looks for parts (`strings.Contains(out, want)` over a list of them)
            compared.append((i, found[1], "whole"))
            if phrase and error_parts:
                phrases.add(i)
            elif phrase and text_parts:
                phrases.add(i)
                guarded.add(i)
        elif len(found[1].split()) >= 2:  # (a key or a name alone is not a message)
            compared.append((i, found[1], "exact"))
            guarded.add(i)
    return compared, phrases, guarded


def _quotes(quoted: bytes, name: bytes, message: bytes, mode: str, phrase: bool) -> bool:
    """Whether a test's string ``quoted`` quotes the message literal ``message``: ``exact``, as
    its whole text; else as what its format prints, or (``part``) a part of it; or, where it
    may be a ``phrase``, as a phrase of its text or of what it prints."""
    if mode == "exact":
        return quoted == message or _holds_print(message, quoted)
    return (_prints(message, quoted) or _holds_print(message, quoted) or
            (mode == "part" and (quoted in message or _part_printed(message, quoted, name))) or
            (phrase and (_phrase_of(quoted, message) or _phrase_printed(quoted, name, message))))


# On the line of a test's string, what compares it with an error's text.
_ERROR_CHECK = re.compile(rb"\.Error\(\)|EqualError|ErrorContains")
# In a test file, a check that an error's text holds a part given elsewhere (a table's
# `wantErr`): `strings.Contains(err.Error(), c.wantErr)`, `ErrorContains(t, err, c.want)`. Such a
# part quotes a message when it is a phrase of it, of this many words at least (fewer may be
# a key or a name that a message holds too).
_CONTAINS_CHECK = re.compile(rb"Contains\(\s*[\w.\[\]]*\.Error\(\)|ErrorContains\(")
_PHRASE_WORDS = 3
# On the line of a test's string, what looks for it in a text the code made (a gate's
# failures, a report): `strings.Contains(failures[0], "total:")`, and a test's helper of the
# same name (`assertContains(t, body, "...")`, `mustContain(...)`), but not `container(...)`.
_TEXT_CHECK = re.compile(rb"(?:[Cc]ontains?|HasPrefix|HasSuffix)(?:[A-Z]\w*)?\(")


def _looks_for_parts(data: bytes) -> bool:
    """Whether a test file looks for a part of an error's text, or of another text the code
    made (see :data:`_CONTAINS_CHECK` and :data:`_TEXT_CHECK`)."""
    return _CONTAINS_CHECK.search(data) is not None or _TEXT_CHECK.search(data) is not None


def _is_phrase(quoted: bytes, name: str) -> bool:
    """Whether a test's string may be a phrase of a message: of :data:`_PHRASE_WORDS` words or
    more, or of two where the name is written as a plain word (``needs dialogue``, ``unknown
    NPC``; ``negative run_id`` may hold a key)."""
    words = len(quoted.split())
    return words >= _PHRASE_WORDS or (
        words == 2 and name.isalpha() and (name.islower() or name.isupper() or name.istitle()))


def _outcomes(literals: Mapping[Any, tuple[bytes, list[str]]],
              edits: Mapping[Any, list[tuple[int, int, str]]] | None = None
              ) -> dict[bytes, set[Any]]:
    """What each literal becomes, from the outcomes of its rows: review when one is to review,
    renamed when all are, else kept; or, renamed in part where ``edits`` (by the literals'
    keys) has its renamed parts, ``("partly", what it becomes)`` (see :func:`_settled`)."""
    by_text: dict[bytes, set[Any]] = {}
    for key, (text, outcomes) in literals.items():
        found = set(outcomes)
        by_text.setdefault(text, set()).add(
            "review" if "review" in found else "rename" if found == {"rename"}
            else ("partly", _edited(text, edits[key])) if edits and key in edits
            else "keep")
    return by_text


def _edited(text: bytes, edits: Sequence[tuple[int, int, str]]) -> bytes:
    """``text`` with the parts ``edits`` gives ((start, end, new text)) replaced."""
    out, at = [], 0
    for start, end, new in sorted(edits):
        out += [text[at:start], new.encode()]
        at = end
    return b"".join([*out, text[at:]])


def _settled(outcome: Any, quoted: bytes, name: bytes, mode: str, phrase: bool,
             rename: Callable[[str], str]) -> str:
    """What a test's string quoting a message's literal becomes with it: the literal's outcome
    (see :func:`_outcomes`); for one renamed in part (``run `kits config set repo <url>`, or
    pass --repo``, its flag kept), kept when it still quotes what the literal becomes, renamed
    when it does once renamed, else to review."""
    if not isinstance(outcome, tuple):
        return str(outcome)
    becomes = outcome[1]
    if _quotes(quoted, name, becomes, mode, phrase):
        return "keep"
    new = rename(name.decode()).encode()
    renamed = re.sub(rb"(?<!\w)" + re.escape(name) + rb"(?!\w)", lambda _: new, quoted)
    return "rename" if _quotes(renamed, new, becomes, mode, phrase) else "review"


def _phrase_printed(quoted: bytes, name: bytes, message: bytes) -> bool:
    """Whether ``quoted`` is a phrase of what the format ``message`` prints, the name standing
    where the message writes it (``snapshot 2026-06-15`` of ``"products — snapshot %s (schema
    %d)"``): its text before the name ends what the message prints before it, and its text
    after begins what it prints after, a verb printing a word (no space)."""
    at = quoted.find(name)
    if at < 0:
        return False
    before, after = quoted[:at], quoted[at + len(name) :]
    for m in re.finditer(rb"(?<!\w)" + re.escape(name) + rb"(?!\w)", message):
        if _begins_print(_format_tokens(message[m.end() :]), after) and _begins_print(
                [t[::-1] if t is not None else None
                 for t in reversed(_format_tokens(message[: m.start()]))], before[::-1]):
            return True
    return False


def _format_tokens(text: bytes) -> list[bytes | None]:
    """A format's literal parts and its verbs (None), in order (``%%`` is a literal ``%``)."""
    tokens: list[bytes | None] = []
    at = 0
    for m in _VERB.finditer(text):
        tokens.append(text[at : m.start()])
        tokens.append(b"%" if m.group() == b"%%" else None)
        at = m.end()
    tokens.append(text[at:])
    return [t for t in tokens if t != b""]


def _begins_print(tokens: Sequence[bytes | None], text: bytes, t: int = 0, k: int = 0) -> bool:
    """Whether ``text[t:]`` begins what ``tokens[k:]`` print (see :func:`_format_tokens`), a
    verb printing a word of one character or more."""
    if t == len(text):
        return True
    if k == len(tokens):
        return False
    token = tokens[k]
    if token is None:
        j = t
        while j < len(text) and not text[j : j + 1].isspace():
            j += 1
            if _begins_print(tokens, text, j, k + 1):
                return True
        return False
    n = min(len(token), len(text) - t)
    if text[t : t + n] != token[:n]:
        return False
    return n < len(token) or _begins_print(tokens, text, t + n, k + 1)


def _phrase_of(quoted: bytes, message: bytes) -> bool:
    """Whether ``quoted`` is in the message literal ``message`` between word boundaries."""
    return re.search(rb"(?<!\w)" + re.escape(quoted) + rb"(?!\w)", message) is not None


# A verb of fmt's formats (`%q`, `%-8s`, `%[1]d`, `%w`), and `%%`
_VERB = re.compile(rb"%%|%(?:\[\d+\])?[-+# 0]*(?:\d+|\*)?(?:\.(?:\d+|\*))?(?:\[\d+\])?[a-zA-Z]")


def _holds_print(message: bytes, quoted: bytes) -> bool:
    """Whether the literal ``quoted`` holds, between word boundaries, all that the message
    literal ``message`` prints, the message having two words of its own at least: the text of
    a message that another wraps (``"[14:00:00] Player [1] registered"`` of ``"Player [%d]
    registered"``, which ``"[%s] %s"`` wraps; ``kit "nope" not found in file://`` of ``"kit %q
    not found"``, wrapped by ``"%w in %s"``)."""
    if len(_WORD.findall(_VERB.sub(b" ", message))) < 2:
        return False
    pattern = rb"(?<!\w)" + _print_pattern(message) + rb"(?!\w)"
    return re.search(pattern, quoted, re.DOTALL) is not None


def _print_pattern(message: bytes) -> bytes:
    """A regular expression of what the format ``message`` prints, each verb standing for
    some text (``%%`` for a ``%``)."""
    parts, at = [], 0
    for m in _VERB.finditer(message):
        parts.append(re.escape(message[at : m.start()]))
        parts.append(b"%" if m.group() == b"%%" else b".+?")
        at = m.end()
    parts.append(re.escape(message[at:]))
    return b"".join(parts)


# A word of a message's own text (letters first: not a number, not punctuation)
_WORD = re.compile(rb"[^\W\d_]\w*")


def _part_printed(message: bytes, quoted: bytes, name: bytes) -> bool:
    """Whether the literal ``quoted`` is a part of what the format ``message`` prints, a verb
    of it at least standing for some of its text (``"step[0] failed"`` of ``"step[%d] failed:
    %w"``): a slice of the format that starts and ends where ``quoted`` does (never inside a
    verb), and writes ``name`` itself (not through a verb), prints it."""
    verbs = [(m.start(), m.end()) for m in _VERB.finditer(message) if m.group() != b"%%"]
    if not verbs or not quoted:
        return False
    inside = {i for start, end in verbs for i in range(start + 1, end)}
    verb_starts, verb_ends = {start for start, _ in verbs}, {end for _, end in verbs}
    starts = [i for i in range(len(message)) if i not in inside and (
        message[i] == quoted[0] or i in verb_starts)]
    ends = [i for i in range(1, len(message) + 1) if i not in inside and (
        message[i - 1] == quoted[-1] or i in verb_ends)]
    for s in starts:
        for e in ends:
            if e > s and any(s <= v and w <= e for v, w in verbs) and \
                    name in _VERB.sub(b"\0", message[s:e]) and \
                    re.fullmatch(_print_pattern(message[s:e]), quoted, re.DOTALL):
                return True
    return False


def _prints(message: bytes, quoted: bytes) -> bool:
    """Whether the literal ``quoted`` is the message literal ``message``, or what its format
    prints (each verb standing for some text), both as written in Go source."""
    if quoted == message:
        return True
    if _VERB.search(message) is None:
        return False
    return re.fullmatch(_print_pattern(message), quoted, re.DOTALL) is not None


def _literal_around(data: bytes, start: int, end: int) -> tuple[int, bytes] | None:
    """(offset, content) of the one-line string literal holding [start, end), if any."""
    line_end = data.find(b"\n", end)
    line_end = len(data) if line_end < 0 else line_end
    i = data.rfind(b"\n", 0, start) + 1
    while i < line_end:
        if data[i] in b'"`':
            quote, j = data[i], i + 1
            while j < line_end and data[j] != quote:
                j += 2 if quote == 0x22 and data[j] == 0x5C else 1
            if i < start and end <= j:
                return i, data[i + 1 : j]
            i = j + 1
        elif data.startswith(b"//", i) or data[i] == 0x27:  # a comment; a rune: not read
            return None
        else:
            i += 1
    return None


class _Sources:
    """The roots' files, each read once per :func:`decide`, for the passes that look at the
    text around a row (its literal, its line, its file)."""

    def __init__(self, roots: Mapping[str, Path] | None) -> None:
        self.roots = roots
        self._files: dict[tuple[str, str], bytes | None] = {}

    def data(self, row: Mapping[str, Any]) -> bytes | None:
        """The bytes of the row's file (None: unreadable, or no roots)."""
        where = (row_value(row, "root"), row_value(row, "path"))
        if where not in self._files:
            self._files[where] = self._read(*where)
        return self._files[where]

    def span(self, row: Mapping[str, Any]) -> tuple[bytes, int, int] | None:
        """(its file's bytes, start, end) of the row's text, or None."""
        data = self.data(row)
        start = int(row.get("start_byte", -1) or -1)
        if data is None or start < 0:
            return None
        return data, start, start + len(row_value(row, "text").encode())

    def _read(self, root: str, path: str) -> bytes | None:
        if self.roots is None or root not in self.roots:
            return None
        try:
            return (Path(self.roots[root]) / path).read_bytes()
        except OSError:
            return None


def _path_params_alike(rows: list[dict[str, Any]], results: list[Decision]) -> None:
    """A route's parameter and its reads spell one name (``{run_id}`` and
    ``PathValue("run_id")``): when the path parameters of one name in a root are not all renamed
    to one name (one is in a generated file, or a rule keeps it), those that would be renamed go
    to review, unless an override decided them. ``results`` is changed in place."""
    groups: dict[tuple[str, str], list[int]] = {}
    for i, row in enumerate(rows):
        if row_value(row, "role") == roles.PATH_PARAM:
            groups.setdefault((row_value(row, "root"), row_value(row, "text")), []).append(i)
    for (_root, text), found in groups.items():
        outcomes = {(_renames(rows[j], results[j]), results[j].target) for j in found}
        if len(outcomes) < 2:
            continue
        other = next(j for j in found if not _renames(rows[j], results[j]))
        why = (f"the path parameter {text} is spelled alike in a route and its reads, and "
               f"{row_value(rows[other], 'path')}:{rows[other].get('line', '?')} is "
               f"{results[other].decision} ({results[other].decided_by}); decide them together")
        for j in found:
            if _renames(rows[j], results[j]) and \
                    not results[j].decided_by.startswith("override:"):
                results[j] = Decision("review", why, "path-param", row_value(rows[j], "text"))


_READ_BY_NAME = frozenset({roles.TEMPLATE_FIELD, roles.TEMPLATE_FUNC, roles.MEMBER_NAME})


def _is_clause(row: Mapping[str, Any]) -> bool:
    """A package clause, or an occurrence of the package's name in a file that did not parse
    (whose clause it may be: such a file is never edited)."""
    role, text = row_value(row, "role"), row_value(row, "text")
    if role == roles.UNPARSED:
        return text in (row_value(row, "package"), row_value(row, "package") + "_test")
    return role == roles.PACKAGE_USE and row_value(row, "detail") == roles.PACKAGE_CLAUSE


# A package name as Go writes them: lower case, one word (and an external test package's suffix)
_IDIOMATIC_PACKAGE = re.compile(r"[a-z][a-z0-9]*(?:_test)?")


def package_spelling(old: str, new: str) -> str:
    """The new name of a package clause that the term's rename gives as ``new``, written as Go
    writes package names where ``old`` was (lower case, its words joined): ``session`` ->
    ``webSession`` gives ``websession``, ``session_test`` -> ``web_session_test`` gives
    ``websession_test``, so that an external test package stays ``<package>_test``. A name
    that was written otherwise keeps the rename's spelling."""
    if _IDIOMATIC_PACKAGE.fullmatch(old) is None:
        return new
    suffix = "_test" if old.endswith("_test") and new.endswith("_test") else ""
    return new[: len(new) - len(suffix)].replace("_", "").lower() + suffix


def _package_of_clause(row: Mapping[str, Any]) -> tuple[str, str, str]:
    """(root, folder, name) of a package clause; an external test package (``cfg_test``) is
    the package it tests."""
    text = row_value(row, "text")
    if text.endswith("_test") and row_flag(row, "is_test"):
        text = text.removesuffix("_test")
    return row_value(row, "root"), row_value(row, "path").rpartition("/")[0], text


def _follow_package_names(rows: list[dict[str, Any]], results: list[Decision],
                          roots: Mapping[str, Path] | None, skip: Iterable[str] = ()) -> None:
    """Package clauses and unaliased qualifiers follow their package's one name (see the
    module doc). ``skip``: the folder names the inventory skipped. ``results`` is changed in
    place."""
    clauses: dict[tuple[str, str, str], list[int]] = {}
    for i, row in enumerate(rows):
        clause = _is_clause(row)
        if clause:
            clauses.setdefault(_package_of_clause(row), []).append(i)
        if (clause or (row.get("role") == roles.PACKAGE_USE and row_value(row, "owner"))) and \
                _renames(row, results[i]) and not results[i].decided_by.startswith("override:"):
            # a clause, or a qualifier an import without an alias binds: the package's name
            spelled = package_spelling(row_value(row, "text"), results[i].target)
            if spelled != results[i].target:
                results[i] = dataclasses.replace(results[i], target=spelled)
    declared = {package[2] for package in clauses} | {
        row_value(rows[i], "text") for found in clauses.values() for i in found}
    _follow_qualifiers(rows, results,
                       _keep_package_clauses(rows, results, clauses) if clauses else {}, roots,
                       declared, skip)


def _keep_package_clauses(rows: list[dict[str, Any]], results: list[Decision],
                          clauses: Mapping[tuple[str, str, str], list[int]]
                          ) -> dict[tuple[str, str, str], Decision]:
    """Keeps every clause of a package when one is not renamed. Returns each package's decision
    for its name: the clause that keeps it, or the first that renames it to a name."""
    named: dict[tuple[str, str, str], Decision] = {}
    for package, found in clauses.items():
        keeping = [i for i in found if not _renames(rows[i], results[i])]
        if not keeping:
            own = [i for i in found if row_value(rows[i], "text") == package[2]]
            if own:
                named[package] = results[own[0]]
            continue
        first = keeping[0]
        why = _kept_package_rationale(rows[first], results[first])
        named[package] = Decision("keep", why, "package-name", package[2])
        for i in found:
            if _renames(rows[i], results[i]):
                results[i] = Decision("keep", why, "package-name", row_value(rows[i], "text"))
    return named


def _follow_qualifiers(rows: list[dict[str, Any]], results: list[Decision],
                       named: Mapping[tuple[str, str, str], Decision],
                       roots: Mapping[str, Path] | None, declared: Collection[str],
                       skip: Iterable[str] = ()) -> None:
    """A qualifier that an import without an alias binds takes the decision of the package's
    name (``named``), unless an override decides it; one that names a package no clause of the
    roots declares (``declared``: the names the clauses found spell) is kept, and so is one
    whose import is found outside the roots, or in the standard library, though a package of
    the roots has its name (``http.ResponseWriter`` of ``net/http`` in, or beside, a package
    ``http`` of the roots that is renamed)."""
    by_name: dict[str, list[tuple[str, str, str]]] = {}
    for package in named:
        by_name.setdefault(package[2], []).append(package)
    lookup: Any = None
    for i, row in enumerate(rows):
        if row.get("role") != roles.PACKAGE_USE:  # (most rows: asked first)
            continue
        package = _imported_package(row, by_name, roots)
        if package is None and roots and row_value(row, "text") in by_name and \
                not row_value(row, "owner") and not row_value(row, "detail") and \
                not row_flag(row, "is_generated"):
            # `todo.List` where `import "github.com/msa-ali/todo-cli"` binds its clause `todo`
            if lookup is None:
                lookup = Lookup(dict(roots), frozenset(skip))
            package = _clause_bound_package(row, by_name, roots, lookup)
        if roots and row_value(row, "text") in declared and _names_a_package(row):
            if lookup is None:
                lookup = Lookup(dict(roots), frozenset(skip))
            if lookup.imports_from_outside(row_value(row, "root"), row_value(row, "path"),
                                           row_value(row, "owner")):
                if _renames(row, results[i]) and \
                        not results[i].decided_by.startswith("override:"):
                    results[i] = _outside_package(row)
                continue
        if package is None and _renames(row, results[i]) and _names_a_package_elsewhere(
                row, declared) and not results[i].decided_by.startswith("override:"):
            results[i] = _outside_package(row)
        if package is None or results[i].decided_by.startswith("override:"):
            continue
        name, current = named[package], results[i]
        if (name.decision, name.target) == (current.decision, current.target):
            continue
        if name.decision in RENAMING_DECISIONS:
            why = f"the package's clauses are renamed to {name.target}"
        else:
            why = f"whose name is kept: {name.rationale}"
        results[i] = Decision(name.decision, f"qualifies package {row_value(row, 'owner')}, "
                              + why, "package-name", name.target)


def _clause_bound_package(row: Mapping[str, Any],
                          packages: Mapping[str, list[tuple[str, str, str]]],
                          roots: Mapping[str, Path], lookup: Lookup
                          ) -> tuple[str, str, str] | None:
    """The package ((root, folder, name), from ``packages`` by name) that a bare use of its
    name qualifies, where the file imports it by a path that ends otherwise than its clause
    (see :meth:`idrename.outside.Lookup.clause_import`), or None."""
    label, text = row_value(row, "root"), row_value(row, "text")
    folder = lookup.clause_import(label, row_value(row, "path"), text)
    root = roots.get(label)
    if folder is None or root is None:
        return None
    rel = folder_in_root(folder, root)
    if rel is None:
        return None
    return next((p for p in packages.get(text, []) if p[:2] == (label, rel)), None)


OUTSIDE_PACKAGE_RATIONALE = (
    "qualifies package {path}, whose package clause is outside the roots (the standard "
    "library, a module, a skipped folder): the plan cannot rename the package, and `{name}` "
    "names it wherever the import binds it")


def _outside_package(row: Mapping[str, Any]) -> Decision:
    text = row_value(row, "text")
    return Decision("keep", OUTSIDE_PACKAGE_RATIONALE.format(path=row_value(row, "owner"),
                                                             name=text), OUTSIDE, text)


def _names_a_package(row: Mapping[str, Any]) -> bool:
    """Whether a row is a qualifier bound by an import without an alias (``errors`` in
    ``errors.Is``, its import path the ``owner``)."""
    return (bool(row_value(row, "owner")) and not row_value(row, "detail")
            and not row_flag(row, "is_generated"))


def _names_a_package_elsewhere(row: Mapping[str, Any], declared: Collection[str]) -> bool:
    """Whether a qualifier bound by an import without an alias (``errors`` in ``errors.Is``)
    names a package no clause of the roots declares (none of the clauses the inventory found
    spells its name): one outside the roots. A clause of that name anywhere in the roots leaves
    the qualifier to :func:`_imported_package`, and to where its import is found."""
    return _names_a_package(row) and row_value(row, "text") not in declared


def _renames(row: Mapping[str, Any], decision: Decision) -> bool:
    return (decision.decision in RENAMING_DECISIONS and row_value(row, "role") != roles.UNPARSED
            and decision.target != row_value(row, "text"))


def _kept_package_rationale(row: Mapping[str, Any], decision: Decision) -> str:
    return (f"a package has one name in all the files of its folder, and the package clause "
            f"at {row_value(row, 'path')}:{row_value(row, 'line')} keeps it "
            f"({decision.decided_by}: {decision.rationale}); to rename the package, rename "
            "that clause too")


def _imported_package(row: Mapping[str, Any],
                      packages: Mapping[str, list[tuple[str, str, str]]],
                      roots: Mapping[str, Path] | None) -> tuple[str, str, str] | None:
    """The package ((root, folder, name), from ``packages`` by name) that a qualifier bound by
    an import without an alias names: the one whose folder the import path ends with (the
    longest such), or None."""
    path = row_value(row, "owner")
    if (row_value(row, "role") != roles.PACKAGE_USE or not path or row_value(row, "detail")
            or row_flag(row, "is_generated")):
        return None
    best: tuple[int, tuple[str, str, str]] | None = None
    for package in packages.get(row_value(row, "text"), []):
        label, folder, name = package
        where = folder or (roots[label].name if roots and label in roots else label)
        if (path == where or path.endswith("/" + where)) and (best is None
                                                               or len(where) > best[0]):
            best = (len(where), package)
        elif not folder and best is None and path.rpartition("/")[2] == name:
            best = (0, package)  # a module's own folder, its path ending in the clause's name
    return None if best is None else best[1]


def package_level_only_in_generated(rows: Iterable[Mapping[str, Any]]
                                    ) -> dict[tuple[str, ...], str]:
    """Package-level names (func, var, const, type) declared in a generated file of every
    package folder that declares them (by hand too, in another build variant, or not), mapped to
    the (first, sorted) generated file, under the keys of :func:`_package_level_keys`."""
    return _frozen_package_names(rows, _is_generated, lambda row: row_value(row, "path"))


@dataclass(frozen=True)
class Unparsed:
    """The names declared in Go files the grammar cannot parse (whose rows are ``unparsed``,
    never edited): ``members`` maps a field or method name declared only there (nowhere in a
    parsed file as something a member use can name) to that file; ``package_level`` is
    :func:`_frozen_package_names` of their package-level declarations (``path:line``)."""

    members: Mapping[str, str]
    package_level: Mapping[tuple[str, ...], str]


def _is_unparsed(row: Mapping[str, Any]) -> bool:
    return row_value(row, "role") == roles.UNPARSED


def declared_in_unparsed(rows: Iterable[Mapping[str, Any]]) -> Unparsed:
    """What :class:`Unparsed` says of ``rows``: the declarations the patch cannot rename
    because their file is never edited, so that their uses elsewhere keep the name too."""
    in_unparsed: dict[str, list[str]] = {}
    by_hand: set[str] = set()
    package_rows: list[Mapping[str, Any]] = []
    for row in rows:
        role = classified_role(row)
        if role in roles.PACKAGE_DECL_ROLES:  # as declared, with a mark when unparsed
            package_rows.append({**row, "role": role, _UNPARSED_MARK: _is_unparsed(row)})
        if not _is_unparsed(row):
            if role in _MEMBER_BY_HAND_ROLES:
                by_hand.add(row_value(row, "text"))
        elif role in MEMBER_DECL_ROLES | {roles.INTERFACE_METHOD}:
            in_unparsed.setdefault(row_value(row, "text"), []).append(
                f"{row_value(row, 'path')}:{row_value(row, 'line')}")
    members = {text: sorted(paths)[0] for text, paths in in_unparsed.items()
               if text not in by_hand}
    package_level = _frozen_package_names(
        package_rows, lambda row: bool(row[_UNPARSED_MARK]),
        lambda row: f"{row_value(row, 'path')}:{row_value(row, 'line')}")
    return Unparsed(members, package_level)


_UNPARSED_MARK = "\0unparsed"  # a key no inventory column has


def package_level_without_body(rows: Iterable[Mapping[str, Any]]) -> dict[tuple[str, ...], str]:
    """Package-level funcs declared without a body (:data:`roles.NO_BODY`: implemented in a .s
    file or linked by a directive) in every package folder that declares them, mapped to the
    (first, sorted) ``path:line`` of such a declaration, under the keys of
    :func:`_package_level_keys`."""
    return _frozen_package_names(
        rows, lambda row: row_value(row, "detail") == roles.NO_BODY,
        lambda row: f"{row_value(row, 'path')}:{row_value(row, 'line')}")


def package_level_linked(rows: Iterable[Mapping[str, Any]]) -> dict[tuple[str, ...], str]:
    """Package-level funcs and vars that a ``//go:linkname`` directive names (see
    :data:`roles.LINKNAME_LOCAL`), mapped to the (first, sorted) ``path:line`` of such a
    directive, under the keys of :func:`_package_level_keys`. A name of the second argument
    (``importpath.name``) is looked up in the packages whose name the import path ends with."""
    local: dict[tuple[str, ...], list[str]] = {}
    remote: dict[tuple[str, str], list[str]] = {}
    for row in rows:
        if (row_value(row, "role") != roles.DIRECTIVE
                or row_value(row, "detail") != roles.LINKNAME or not row_value(row, "owner")):
            continue
        owner = row_value(row, "owner")
        place = f"{row_value(row, 'path')}:{row_value(row, 'line')}"
        if owner == roles.LINKNAME_LOCAL:
            local.setdefault(("here", *package_key(row)), []).append(place)
        else:
            remote.setdefault((default_import_name(owner), row_value(row, "text")),
                              []).append(place)
    if not local and not remote:
        return {}

    def directives(row: Mapping[str, Any]) -> list[str]:
        if row_value(row, "role") not in _LINKED_ROLES:
            return []
        return (local.get(("here", *package_key(row)), [])
                + remote.get((row_value(row, "package"), row_value(row, "text")), []))

    return _frozen_package_names(rows, lambda row: bool(directives(row)),
                                 lambda row: sorted(directives(row))[0])


_LINKED_ROLES = frozenset({roles.FUNC_DECL, roles.VAR_DECL})


def _package_level_keys(row: Mapping[str, Any]) -> list[tuple[str, ...]]:
    """The keys under which the uses of a package-level declaration look it up: ``("here",
    root, folder, package, name)`` for a bare use in that package, ``("pkg", package, name)``
    for a qualified use ``package.Name`` (``package.T`` too), ``("folder", root, folder,
    name)`` for a qualified use whose qualifier the file's imports resolve to that folder, and
    ``("type", name)`` for a type named bare, which a dot import may bring in."""
    text, package = row_value(row, "text"), row_value(row, "package")
    here = package_key(row)
    keys: list[tuple[str, ...]] = [("here", *here), ("pkg", package, text),
                                   ("folder", here[0], here[1], text)]
    if row_value(row, "role") == roles.TYPE_DECL:
        keys.append(("type", text))
    return keys


def _frozen_package_names(rows: Iterable[Mapping[str, Any]],
                          frozen: Callable[[Mapping[str, Any]], bool],
                          place: Callable[[Mapping[str, Any]], str]) -> dict[tuple[str, ...], str]:
    """The keys (:func:`_package_level_keys`) of the package-level Go declarations that cannot
    be renamed where they are (``frozen``), mapped to the first (sorted) ``place`` of one.

    One package folder declaring a name twice does so in build variants (``_windows.go`` and
    ``_unix.go``): when one of them is frozen, the name stays in all of them, or one build uses
    a name another build no longer declares. A key of several folders (packages of the same name
    elsewhere) is frozen only when each of them has a frozen declaration: a use may mean any."""
    places: dict[tuple[str, ...], list[str]] = {}
    folders: dict[tuple[str, ...], dict[tuple[str, str], bool]] = {}
    for row in rows:
        if (row_value(row, "role") not in roles.PACKAGE_DECL_ROLES
                or row_value(row, "language") not in ("go", "")):
            continue
        folder = package_key(row)[:2]
        is_frozen = frozen(row)
        for key in _package_level_keys(row):
            seen = folders.setdefault(key, {})
            seen[folder] = seen.get(folder, False) or is_frozen
            if is_frozen:
                places.setdefault(key, []).append(place(row))
    return {key: sorted(found)[0] for key, found in places.items()
            if all(folders[key].values())}


def _qualified_uses(rows: Sequence[Mapping[str, Any]], roots: Mapping[str, Path] | None,
                    *frozen: Mapping[tuple[str, ...], str]) -> dict[str, str]:
    """The folder (by row id) that each qualified use of a frozen package-level name names,
    through its file's imports (see :func:`idrename.generatedmembers.qualified_folders`)."""
    keys = [key for names in frozen for key in names if key[0] == "folder"]
    if not keys:
        return {}
    from .generatedmembers import qualified_folders

    return qualified_folders(rows, roots, {key[3] for key in keys},
                             {(key[1], key[2]) for key in keys})


def _declaration_of(row: Mapping[str, Any], names: Mapping[tuple[str, ...], str],
                    qualified: Mapping[str, str] | None = None) -> str | None:
    """What ``names`` (see :func:`_frozen_package_names`) holds for the package-level name a
    row declares by hand or uses, when no other declaration can be meant. A qualified use
    whose qualifier ``qualified`` resolved (row id -> folder) looks in that folder only."""
    role = row_value(row, "role")
    if not names or role not in _FROZEN_ROLES:
        return None
    text, detail = row_value(row, "text"), row_value(row, "detail")
    here = ("here", *package_key(row))
    if role in roles.PACKAGE_DECL_ROLES:
        return names.get(here)
    if role == roles.TYPE_USE and detail in ("", "conversion"):
        return names.get(here) or names.get(("type", text))
    if detail in ("import", roles.PACKAGE_CLAUSE):
        return None  # the name of a package
    if detail in ("", "conversion"):
        return names.get(here)
    folder = qualified.get(row_value(row, "id")) if qualified else None
    if folder is not None:
        return names.get(("folder", row_value(row, "root"), folder, text))
    return names.get(("pkg", detail, text))


# The roles that follow a package-level declaration that cannot be renamed: its uses, and the
# declarations of the same name in the package's other build variants.
_FROZEN_ROLES = roles.PACKAGE_DECL_ROLES | {roles.PACKAGE_USE, roles.FUNC_CALL, roles.TYPE_USE}
NO_BODY_PARAMETER_RATIONALE = ("a parameter, result or receiver of a func declared without a "
                               "body: its assembly names its arguments (name+offset(FP)) and go "
                               "vet checks them against these names; to rename it, rename those "
                               "by hand and override this decision")
LINKNAME_RATIONALE = ("named by the //go:linkname directive at {where}: the linker, other "
                      "packages and cmd/cgo refer to it by that name, a string the patch does not "
                      "rename; to rename it, rename the directive and whatever pulls or pushes "
                      "the symbol by hand, and override this decision and its uses")
NO_BODY_RATIONALE = ("the func declared without a body at {where}: its code is in a .s file of "
                     "the package or linked by a directive, which spell this name; to rename it, "
                     "rename those by hand and override this decision and its uses")

UNPARSED_RATIONALE = ("declared in {where}, a file idrename cannot parse, whose occurrences are "
                      "never edited: renamed here, this use would name a declaration that no "
                      "longer exists; rename the name there by hand first, then plan again")


PREDECLARED = "predeclared"
PREDECLARED_RATIONALE = ("{name} is Go's built-in {kind}, predeclared in every package and "
                         "declared by none: renamed, the use would name nothing and not compile; "
                         "the package of this file declares no {name} of its own")
# What each predeclared identifier is, for the rationale.
_PREDECLARED_KINDS = {"true": "constant", "false": "constant", "iota": "constant",
                      "nil": "zero value"}
_BUILTIN_FUNCS = frozenset("append cap clear close complex copy delete imag len make max min new "
                           "panic print println real recover".split())
# The bare uses that can name a predeclared identifier (a local of that name is a local_use).
_PREDECLARED_USE_ROLES = frozenset({roles.FUNC_CALL, roles.TYPE_USE, roles.PACKAGE_USE})


def uses_of_predeclared(rows: Iterable[Mapping[str, Any]]) -> dict[int, str]:
    """The rows (by index) that use one of Go's predeclared identifiers (:data:`roles.PREDECLARED`)
    bare, in a package that declares no package-level name of that spelling, each with the
    rationale of keeping it. A method or field of that name (``x.Len()``) is a member use, and a
    local or parameter a ``local_use``: neither is one."""
    rows = list(rows)
    declared = {package_key(row) for row in rows
                if row_value(row, "role") in roles.PACKAGE_DECL_ROLES
                and row_value(row, "language") in ("go", "")}
    kept: dict[int, str] = {}
    for i, row in enumerate(rows):
        text = row_value(row, "text")
        if (text in roles.PREDECLARED and row_value(row, "role") in _PREDECLARED_USE_ROLES
                and row_value(row, "detail") in ("", "conversion")
                and row_value(row, "language") in ("go", "")
                and package_key(row) not in declared):
            kept[i] = PREDECLARED_RATIONALE.format(name=text, kind=_predeclared_kind(text))
    return kept


def _predeclared_kind(name: str) -> str:
    """``type``, ``function``, ``constant`` or ``zero value``: what a predeclared name is."""
    if name in _BUILTIN_FUNCS:
        return "function"
    return _PREDECLARED_KINDS.get(name, "type")


def _kept_where_declared(row: Mapping[str, Any], frozen: _Frozen) -> tuple[str, str] | None:
    """(rationale, decided_by) of keeping a row whose name cannot be renamed where it is
    declared (steps 7 to 9 of the module doc), or None."""
    role, text = row_value(row, "role"), row_value(row, "text")
    if role in MEMBER_USE_ROLES and text in frozen.generated_only:
        return f"declared in generated file {frozen.generated_only[text]}", "declared-in-generated"
    member_of = frozen.generated_keys.get(row_value(row, "id")) if frozen.generated_keys else None
    if member_of is not None:
        what = "a key of a struct literal" if role == roles.COMPOSITE_KEY else f"a {role}"
        return (f"{what} whose type is declared in generated file {member_of}",
                "declared-in-generated")
    declared = _declaration_of(row, frozen.generated_names, frozen.qualified)
    if declared is not None:
        return f"declared in generated file {declared}", "declared-in-generated"
    in_unparsed = (frozen.unparsed.members.get(text) if role in MEMBER_USE_ROLES else None
                   ) or _declaration_of(row, frozen.unparsed.package_level, frozen.qualified)
    if in_unparsed is not None:
        return UNPARSED_RATIONALE.format(where=in_unparsed), "declared-unparsed"
    bodyless = _declaration_of(row, frozen.without_body, frozen.qualified)
    if bodyless is not None:
        return NO_BODY_RATIONALE.format(where=bodyless), "no-body"
    if role in _ARGUMENT_ROLES and row_value(row, "detail") == roles.NO_BODY:
        return NO_BODY_PARAMETER_RATIONALE, "no-body"
    linked = _declaration_of(row, frozen.linked, frozen.qualified)
    if linked is not None:
        return LINKNAME_RATIONALE.format(where=linked), "linkname"
    return None


_ARGUMENT_ROLES = frozenset({roles.PARAMETER, roles.RECEIVER})


def _is_generated(row: Mapping[str, Any]) -> bool:
    return row_flag(row, "is_generated")


def _root_paths(inventory: pd.DataFrame, roots: Mapping[str, str | os.PathLike[str]] | None
                ) -> dict[str, Path] | None:
    """The roots' folders by label: ``roots``, else the inventory's ``attrs["roots"]``."""
    given = roots if roots is not None else inventory.attrs.get("roots")
    return None if given is None else {label: Path(path) for label, path in given.items()}


@dataclass(frozen=True)
class _Frozen:
    """The names the patch cannot rename where they are declared (see the module doc)."""

    generated_only: Mapping[str, str]  # members declared only in generated files
    generated_names: Mapping[tuple[str, ...], str]  # package-level, in a generated file
    without_body: Mapping[tuple[str, ...], str]  # funcs declared without a body
    linked: Mapping[tuple[str, ...], str]  # funcs and vars a //go:linkname names
    unparsed: Unparsed  # names declared in files the grammar cannot parse
    generated_keys: Mapping[str, str] = dataclasses.field(default_factory=dict)  # row id -> file
    # row id -> the folder its qualifier names (see _qualified_uses)
    qualified: Mapping[str, str] = dataclasses.field(default_factory=dict)
    # row id -> a generated file that declares its name, which hand-written code declares too,
    # for a use whose receiver the syntax does not type
    generated_homonyms: Mapping[str, str] = dataclasses.field(default_factory=dict)
    # ids of the rows of (Un)MarshalJSON methods that are the type's own encoding, no shim
    # (see _own_encodings)
    own_encodings: frozenset[str] = frozenset()


def _decide(row: Mapping[str, Any], policy: Policy, frozen: _Frozen,
            outside: str | tuple[str, str] | None,
            builtin: str | None) -> Decision:
    """``outside``: the rationale of keeping a use declared outside the roots, if it is one;
    ``builtin``: that of keeping a use of a predeclared identifier, if it is one."""
    text = row_value(row, "text")
    decision, rationale, decided_by, target = _first_decision(row, policy, frozen, outside,
                                                              builtin)
    explicit_target = target is not None
    if decision in RENAMING_DECISIONS:
        new = target if target is not None else policy.spec.rename(text)
        suggestion = collapse_repeats(new)
        if suggestion is not None and not explicit_target and text not in policy.spec.explicit:
            why = (f"renaming {text} gives {new}, which repeats a word; {suggestion} may be meant "
                   "(add it to [rename.explicit] or write an override)")
            return Decision("review", why, "odd-compound", text, suggestion)
        return Decision(decision, rationale, decided_by, new)
    return Decision(decision, rationale, decided_by, text)


_BUILTIN_REASONS = {
    roles.EXAMPLE_OUTPUT: ": go test compares this expected output with what the example prints, "
                          "so decide it with the strings that print it",
    roles.SQL_VARIABLE: ": a parameter or variable of a database function, not a column, so "
                        "no migration; but the database changes only when a migration "
                        "re-creates the function (PostgreSQL's CREATE OR REPLACE cannot rename "
                        "a parameter, and a call in named notation spells it), and a migration "
                        "already applied is history: rename it in the file that re-creates the "
                        "function, keep it elsewhere",
    roles.DB_FIELD: ": the name of a stored field (a document's, a column through an ORM): "
                    "the data holds it until a migration renames it there, and a filter that "
                    "named both the old and the new name would match nothing; rename it with "
                    "that migration (a rule of role db_field)",
    roles.EXTERNAL_NAME: ": deployments, scripts and configuration files set it from outside "
                         "the program, and would stop reaching it; to move it, read the new "
                         "name and fall back to this one (by hand), or rename it with a rule",
    roles.METRIC_NAME: ": the metrics backend stores the series under this name, and "
                       "dashboards, alerts and recording rules select on it: a new name starts "
                       "a new series, and two names for one label would not match the labels "
                       "the metric declares (Prometheus panics on With); rename it with its "
                       "queries (a rule of role metric_name)",
    roles.COOKIE_NAME: ": browsers hold the cookies set under this name: a new name would "
                       "lose every one set before (a session, a preference), and the frontend "
                       "code that reads it; to move it, read the new cookie and fall back to "
                       "this one, set the new one, then rename (a rule of role cookie_name)",
    roles.JSON_TEXT: ": a key of a JSON document written in Go (a test's input or expected "
                     "output, a body written by hand); it follows the JSON contracts of its "
                     "name when they agree (see the compatibility analysis), and is left to "
                     "review when no contract or several name it",
    roles.XML_TEXT: ": the name of an element or an attribute of an XML document written in "
                    "Go (a test's input or expected output); it follows the xml tags of its "
                    "name when they all move it to one name or all keep it, and is left to "
                    "review when none or tags decided apart name it",
    roles.PLAIN_TEXT: ": a name in a text file of no language idrename parses (a script, a "
                      "Makefile, a Dockerfile, notes): a change of its own, as the other files "
                      "around the code are",
    roles.PATH_SEGMENT: ": a segment of a URL's path (a route, a request a test or a client "
                        "makes) or a file's: clients, links, bookmarks and the file system "
                        "hold it, and the routes, the requests and the files must move "
                        "together; to move them, rename them all with a rule of role "
                        "path_segment (and serve the old path too while clients move)",
    roles.EXTERNAL_URL: ": a part of a URL or a module path of a host (a link, an XML "
                        "namespace, another service's endpoint, a module), which that host "
                        "serves under this name whatever the code is called (the patch renames "
                        "no module or repository): renamed, the link, the namespace, the call "
                        "or the import would break; where that host moved too, rename it with a "
                        "rule of role external_url",
    roles.IMPORT_PATH: ": it names a folder (and a module, for its first elements), which the "
                       "patch never moves; a renamed package clause builds with it as it is. "
                       "To move the folder, `git mv` it, then rename the paths that name it (a "
                       "rule of role import_path)",
    roles.CONFIG_COMMENT: ": a comment in a configuration file is often a key commented out "
                          "(`# retention-policy = \"\"`), which must name the key the program "
                          "reads; rename it with that key (a rule of role config_comment)",
    roles.DIRECTIVE: ": a directive the toolchain reads (a linker symbol, a file pattern, a build "
                     "constraint, C code), not prose; where it names a Go declaration the plan "
                     "renames (a directive warning says which), write an override to rename it "
                     "with that declaration",
}


def _entry_point(row: Mapping[str, Any], rename: Callable[[str], str]) -> str | None:
    """Why a name the toolchain looks for keeps it, or None: ``package main``, its ``func
    main``, a ``func init``, a test file's ``TestMain`` and a test, benchmark, fuzz test or
    example that the new name would no longer mark as one."""
    role, text = row.get("role"), row.get("text")
    if role == roles.PACKAGE_USE:
        if text == "main" and row_value(row, "detail") == roles.PACKAGE_CLAUSE:
            return MAIN_PACKAGE_RATIONALE
        return None
    if role != roles.FUNC_DECL or not isinstance(text, str):
        return None
    if text == "init":
        return INIT_RATIONALE
    if text == "main" and row_value(row, "package") == "main":
        return MAIN_FUNC_RATIONALE
    if not row_flag(row, "is_test"):
        return None
    if text == "TestMain":
        return TEST_MAIN_RATIONALE
    prefix = roles.go_test_prefix(text)
    if prefix is not None and roles.go_test_prefix(rename(text)) != prefix:
        return TEST_FUNCTION_RATIONALE.format(prefix=prefix)
    return None


MAIN_PACKAGE_RATIONALE = ("`package main` makes its folder a command: renamed, go build makes a "
                          "library of it and the program is gone, and the build does not say so")
MAIN_FUNC_RATIONALE = "a command starts at func main of package main: renamed, it has no start"
INIT_RATIONALE = ("Go runs every func init before main, and nothing calls it by name: renamed, "
                  "it is a function nothing calls, and the build does not say so")
TEST_MAIN_RATIONALE = ("go test runs TestMain(m *testing.M) in place of the package's tests: "
                       "renamed, it is a test of the wrong signature, which go vet and go test "
                       "refuse")
TEST_FUNCTION_RATIONALE = ("go test runs a function of a _test.go file by its prefix {prefix}: "
                           "the new name would not start with it, and it would no longer run")


# encoding/xml reads a struct's field of this name as the element's own name, not as a child.
XML_NAME = "XMLName"
_XML_NAME_ROLES = frozenset({roles.FIELD_DECL, roles.SELECTOR, roles.COMPOSITE_KEY})
XML_NAME_RATIONALE = ("encoding/xml takes a struct's field named XMLName for the element's own "
                      "name (its tag, `xml:\"rss\"`, names the element): renamed, the field "
                      "would be written as a child element and the element named after the "
                      "struct, and the build would not say so; an [[override]] renames it")
CONTEXT_KEY_RATIONALE = ("a context key's string (`context.WithValue(ctx, ctxKey(\"run_id\"), v)`): it "
                         "never leaves the process and no client sees it, so keeping it changes "
                         "nothing (a [[rule]] with detail \"context_key\" renames it)")
DOC_VERB_RATIONALE = ("the verb after the name a doc comment starts with (`// Put stores rec`), "
                      "which a plural of the term spells alike: kept (a [[rule]] with detail "
                      "\"verb\" renames it)")


def _first_decision(row: Mapping[str, Any], policy: Policy, frozen: _Frozen,
                    outside: str | tuple[str, str] | None,
                    builtin: str | None) -> tuple[str, str, str, str | None]:
    for override in policy.overrides:
        if override.matches(row):
            return (override.decision, override.rationale, f"override:{override.id}",
                    override.target)
    if _is_generated(row):
        return "keep", GENERATED_RATIONALE, "generated", None
    if is_shim(row, policy.spec) and row.get("id") not in frozen.own_encodings:
        return "keep", (SHIM_RATIONALE if row_value(row, "symbol").endswith(_SHIM_METHODS)
                        else LEGACY_CONSTANT_RATIONALE), "shim", None
    for exclude in policy.excludes:
        if exclude.matches(row):
            return "ignore", exclude.rationale, f"exclude:{exclude.index}", None
    if builtin is not None:
        return "keep", builtin, PREDECLARED, None
    if row.get("text") == XML_NAME and row.get("role") in _XML_NAME_ROLES:
        return "keep", XML_NAME_RATIONALE, "xml-name", None
    entry = _entry_point(row, policy.spec.rename)
    if entry is not None:
        return "keep", entry, "entry-point", None
    for rule in policy.rules:
        if rule.matches(row):
            return rule.decision, rule.rationale, f"rule:{rule.index}", rule.target
    role = row_value(row, "role")
    kept = _kept_where_declared(row, frozen)
    if kept is not None:
        return "keep", kept[0], kept[1], None
    if isinstance(outside, tuple):  # (the reason, what decided it)
        return "keep", outside[0], outside[1], None
    if outside is not None:
        return "keep", outside, OUTSIDE, None
    homonym = frozen.generated_homonyms.get(row_value(row, "id"))
    if homonym is not None:
        return "review", (f"{row_value(row, 'text')} is declared both in generated file "
                          f"{homonym}, which is never edited, and in hand-written code, which is "
                          "renamed; which one this use reaches the syntax does not tell: "
                          "rename it (an override) when its receiver is the hand-written type"
                          ), "generated-homonym", None
    if "testdata" in row_value(row, "path").split("/")[:-1]:
        return "review", TESTDATA_RATIONALE, "testdata", None
    if role == roles.DOC_COMMENT and row_value(row, "detail") == roles.DOC_VERB:
        return "keep", DOC_VERB_RATIONALE, "doc-verb", None
    if role == roles.STRING and row_value(row, "detail") == roles.CONTEXT_KEY:
        return "keep", CONTEXT_KEY_RATIONALE, "context-key", None
    if role in policy.file_defaults:
        return policy.defaults[role], f"the policy's default for role {role}", f"default:{role}", None
    refined = roles.REFINES.get(role)
    if refined in policy.file_defaults:
        return (policy.defaults[refined], f"the policy's default for role {refined}, which "
                f"{role} refines (give {role} a default of its own to decide it apart)",
                f"default:{refined}", None)
    if role in policy.defaults:
        why = f"built-in default for role {role}" + _BUILTIN_REASONS.get(role, "")
        return policy.defaults[role], why, f"builtin:{role}", None
    return "review", f"no default decision for role {role!r}", f"builtin:{role}", None


def check_overrides(inventory: pd.DataFrame, policy: Policy) -> list[PolicyError]:
    """Overrides that match no occurrence, and override targets that cannot stand where they
    apply (a Go identifier's target must be a Go identifier)."""
    rows_by_id: dict[str, list[dict[str, Any]]] = {}
    if "id" in inventory.columns:
        for row in records(inventory):
            rows_by_id.setdefault(row_value(row, "id"), []).append(row)
    errors: list[PolicyError] = []
    for override in policy.overrides:
        key = f"override[{override.index}]"
        candidates = rows_by_id.get(override.id, [])
        matched = [row for row in candidates if override.matches(row)]
        if not matched:
            where = (f" in {override.path}" if candidates and override.path is not None else "")
            errors.append(PolicyError(
                policy.file, override.line, f"{key}.id",
                f"id {override.id!r} matches no occurrence{where} in the inventory",
                "remove this [[override]], or take the current id from a fresh inventory",
            ))
            continue
        if override.target is None:
            continue
        for row in matched:
            role = row_value(row, "role")
            problem = go_identifier_problem(override.target)
            if role in roles.GO_IDENTIFIER_ROLES and problem is not None:
                errors.append(PolicyError(
                    policy.file, override.line, f"{key}.target", problem,
                    f"occurrence {override.id} is a Go {role}: give a Go name",
                ))
    return errors


POLICY = "policy"  # the kind of the findings of check_entries
# The steps that decide a row before any [[exclude]] (module doc: 1 to 3), and before any [[rule]]
# (1 to 5); an earlier entry of the same array comes before too.
_BEFORE_EXCLUDES = frozenset({"override", "generated", "shim"})
_BEFORE_RULES = _BEFORE_EXCLUDES | {"exclude", PREDECLARED}


@dataclass
class _Probe:
    """A ``[[rule]]`` or ``[[exclude]]`` that decided no row, and what one pass over the rows
    found of it: the ``decided_by`` of each row it matches, and the root of the first row that
    ``fixed`` (the entry with root-relative paths, if it has others) matches."""

    array: str  # "rule" or "exclude"
    entry: Rule | Exclude
    fixed: Rule | Exclude | None
    matched: Counter[str] = field(default_factory=Counter)
    fixed_root: str | None = None

    @property
    def key(self) -> str:
        return f"{self.array}[{self.entry.index}]"

    def earlier(self, decided_by: str) -> bool:
        """Whether ``decided_by`` names a step that comes before this entry."""
        step, _, number = decided_by.partition(":")
        if step == self.array:
            return number.isdigit() and int(number) < self.entry.index
        return step in (_BEFORE_RULES if self.array == "rule" else _BEFORE_EXCLUDES)


def check_entries(decided: pd.DataFrame, policy: Policy,
                  roots: Mapping[str, str | os.PathLike[str]] | None = None) -> list[Conflict]:
    """A ``policy`` warning for each ``[[rule]]`` and ``[[exclude]]`` of ``policy`` that had no
    effect on ``decided`` (as :func:`decide` gives it): it matches no occurrence, or every
    occurrence it matches was decided by a step before it. A policy is often written ahead of
    the code, so neither is an error; but an entry that names what is not there (a path written
    from the root's folder, as messages print it, rather than from the root) otherwise fails
    silently. ``roots`` maps root labels to folders (default: ``decided.attrs["roots"]``).

    Only the entries whose ``decided_by`` no row has are matched again, in one pass over the
    rows (none when every entry decided something); ``[[contract]]`` entries are matched
    against contracts, not occurrences, and are not checked here."""
    if "decided_by" not in decided.columns:
        return []
    used = set(decided["decided_by"].unique().tolist())
    unused = [(array, entry)
              for array, entries in (("exclude", policy.excludes), ("rule", policy.rules))
              for entry in entries if f"{array}:{entry.index}" not in used]
    if not unused:
        return []
    prefixes = _root_prefixes(decided, roots)
    probes = [_probe(array, entry, prefixes) for array, entry in unused]
    columns = {"decided_by", "root", "role", "is_test", "text", "path", "symbol"}
    for rule in policy.rules:
        columns.update(rule.match)
    for row in records(decided, [c for c in decided.columns if c in columns]):
        for probe in probes:
            if probe.entry.matches(row):
                probe.matched[row_value(row, "decided_by")] += 1
            elif (probe.fixed is not None and probe.fixed_root is None
                  and probe.fixed.matches(row)):
                probe.fixed_root = row_value(row, "root")
    found = [_finding(probe, policy) for probe in probes]
    return sorted((f for f in found if f is not None), key=lambda c: c.line)


def _probe(array: str, entry: Rule | Exclude, prefixes: Sequence[str]) -> _Probe:
    """The probe of an entry, with the entry as it reads with root-relative paths."""
    if isinstance(entry, Rule):
        paths = entry.match.get("path", ())
        stripped = tuple(_strip_prefix(p, prefixes) for p in paths)
        fixed = (dataclasses.replace(entry, match={**entry.match, "path": stripped})
                 if stripped != paths else None)
        return _Probe(array, entry, fixed)
    path = entry.path
    stripped_path = None if path is None else _strip_prefix(path, prefixes)
    return _Probe(array, entry, dataclasses.replace(entry, path=stripped_path)
                  if stripped_path != path else None)


def _root_prefixes(decided: pd.DataFrame,
                   roots: Mapping[str, str | os.PathLike[str]] | None) -> list[str]:
    """What a path copied from a message or from the shell may start with, longest first: a
    root's folder, a root's label (messages print ``label/path``), each with ``/``, and
    ``./``."""
    folders = _root_paths(decided, roots) or {}
    labels = set(folders)
    if "root" in decided.columns:
        labels.update(v for v in decided["root"].unique().tolist() if isinstance(v, str) and v)
    prefixes = {f"{p.as_posix().rstrip('/')}/" for p in folders.values()}
    prefixes |= {f"{label}/" for label in labels} | {"./"}
    return sorted(prefixes, key=lambda p: (-len(p), p))


def _strip_prefix(pattern: str, prefixes: Sequence[str]) -> str:
    """A path pattern (a glob or ``re:<regex>``) without the first of ``prefixes`` it starts
    with (and leaves something after), else as it is."""
    regex = "re:" if pattern.startswith("re:") else ""
    body = pattern[len(regex):]
    for prefix in prefixes:
        if body.startswith(prefix) and len(body) > len(prefix):
            return regex + body[len(prefix):]
    return pattern


def _finding(probe: _Probe, policy: Policy) -> Conflict | None:
    """The warning a probe calls for, or None when the entry matched an occurrence that no
    earlier step decided (it decided it, and a later step, a contract's strategy or the
    package's name, decided otherwise)."""
    entry = probe.entry
    head = f"{probe.key} at {policy.file}:{entry.line} ({_match_keys(entry)})"
    if not probe.matched:
        message = f"{head} matches no occurrence"
        if probe.fixed is not None and probe.fixed_root is not None:
            paths = (probe.fixed.match["path"] if isinstance(probe.fixed, Rule)
                     else (probe.fixed.path or "",))
            message += (f"; paths are relative to the root {probe.fixed_root}: did you mean "
                        f"{_toml_value(paths)}?")
    elif all(probe.earlier(by) for by in probe.matched):
        total = sum(probe.matched.values())
        message = (f"{head} matches {total} occurrence(s), all decided earlier by "
                   f"{_steps(probe.matched)}, so it decides none")
    else:
        return None
    return Conflict(POLICY, WARNING, message, policy.file, entry.line)


def _steps(matched: Counter[str]) -> str:
    """The steps that decided the rows, as the policy names them (``rule[1]``, ``override``),
    each with its count when there are several."""
    counts: Counter[str] = Counter()
    for by, n in matched.items():
        step, _, number = by.partition(":")
        counts[f"{step}[{number}]" if step in ("rule", "exclude") else step] += n
    if len(counts) == 1:
        return next(iter(counts))
    return ", ".join(f"{step} ({n})" for step, n in sorted(counts.items()))


def _match_keys(entry: Rule | Exclude) -> str:
    """What an entry matches on, as its keys read in the file: ``role = "sql", path = "a/*"``."""
    if isinstance(entry, Exclude):
        keys: list[tuple[str, Any]] = [("text", entry.text), ("path", entry.path),
                                       ("symbol", entry.symbol)]
    else:
        keys = [("role", entry.roles or None), ("is_test", entry.is_test),
                *entry.match.items()]
    return ", ".join(f"{name} = {_toml_value(value)}" for name, value in keys
                     if value is not None) or "no match key"


def _toml_value(value: str | bool | Sequence[str]) -> str:
    """A string, a boolean or an array of strings (one string when it holds one) as TOML."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if len(value) == 1:
        return _toml_value(value[0])
    return "[" + ", ".join(_toml_value(v) for v in value) + "]"
