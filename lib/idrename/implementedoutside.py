"""Methods kept because types outside the roots meet them, with everything coupled to them.

The patch edits the roots only. A method of the roots that implements an interface declared
outside them (``textScalar.MarshalText`` and ``encoding.TextMarshaler``), one the standard
library looks up by its name (``Error``, ``String``, ``Unwrap``...), one that overrides a method
an embedded outside type promotes, and a method of an interface of the roots that outside types
implement (``JSONDecoder.Token``, written for ``*json.Decoder``) cannot be renamed alone: the
outside side keeps the old name. :mod:`idrename.outsideiface` finds each case; renamed, each is
an ``outside_interface`` finding of the checks. Seen on a JSON Pointer library (``token ->
segment``): its ``JSONDecoder`` interface lost ``Token``, and passing a ``*json.Decoder`` no
longer compiled; on a TOML library (``Marshal -> Encode``), the plan was refused.

:func:`kept_with_outside_types` gives the decisions those methods to keep
(``implemented-outside``) instead, before the policy's defaults and after its rules and
overrides (a rule that renames one still gets the check's finding), with what is coupled to
them in the roots, each with its reason:

- a method of the roots whose type has every method of an interface kept so (the interface
  still names the old method), and a method of an interface of the roots that the type of a
  method kept so implements, by name and by numbers of parameters and results, until nothing
  more is kept;
- a call or selector of a kept name whose function types its receiver as a type (or interface)
  of its own package that declares a kept method of that name. When every declaration of the
  name in the roots is kept, its uses follow them anyway (``declaration``, in
  :mod:`idrename.decisions`), and are not typed here.

The same coupling holds for the methods and interface methods that the policy's own entries
keep (a ``[[rule]]`` keeping ``method_decl``, an override, an exclude): what is coupled to them
and left to the defaults is kept with them (``coupled``), where it was renamed, and the plan
refused with an ``interface_coupling`` error (seen on a JSON Pointer library and a CSV codec,
every method kept by a rule: their unexported interfaces' methods were renamed). An entry that
renames the other side still decides it, and gets the error.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import roles as R
from .gosymbols import Member, SymbolIndex
from .gotool import toolchain_goroot
from .outside import folder_in_root
from .outsideiface import (
    Outside,
    OutsideTypes,
    _exported,
    _has_all,
    _implementations,
    _implemented,
    _interface_of,
    _LazyIndex,
    _overrides,
    _receiver_method_set,
    _Receivers,
    interfaces_implemented_outside,
)
from .policy import row_flag, row_value
from .receivertypes import literal_type, receiver_type, told_by_declarations

DECIDED_BY = "implemented-outside"
COUPLED = "coupled"  # kept with a declaration the policy's entries keep
_DECLARATIONS = (R.METHOD_DECL, R.INTERFACE_METHOD)
_MEMBER_DECLARATIONS = (R.METHOD_DECL, R.INTERFACE_METHOD, R.FIELD_DECL)
_USES = (R.METHOD_CALL, R.SELECTOR)
_ADVICE = ": keep the name"  # where a finding's advice starts
_CASCADE_DEPTH = 8


@dataclass
class _Kept:
    """The rows kept so far (index -> rationale), and what they keep coupled."""

    reasons: dict[int, str] = field(default_factory=dict)
    # name -> the method sets (by name) of the interfaces of the roots whose method is kept,
    # each with whether it is whole
    interfaces: dict[str, list[tuple[dict[str, Member], bool]]] = field(default_factory=dict)
    # name -> the method sets of the types of the roots whose method is kept, each with whether
    # it is whole
    types: dict[str, list[tuple[dict[str, Member], bool]]] = field(default_factory=dict)
    # (root, folder, type name) of the types and interfaces whose method of a name is kept
    owners: dict[str, set[tuple[str, str, str]]] = field(default_factory=dict)
    # what decided each kept row (DECIDED_BY or COUPLED), and each name's first
    by: dict[int, str] = field(default_factory=dict)
    origin: dict[str, str] = field(default_factory=dict)

    def partial(self, name: str) -> bool:
        """Whether method sets known in part couple a name: those of the policy's entries
        (as the checks' ``interface_coupling`` couples them: an interface embedding ``error``,
        a type embedding one outside the roots), not those kept for types outside the roots
        (a method set known whole says it meets them)."""
        return self.origin.get(name) == COUPLED


def kept_with_outside_types(rows: Sequence[Mapping[str, Any]],
                            roots: Mapping[str, Path] | None, skip: Iterable[str],
                            rename: Callable[[str], str],
                            goroot: Callable[[], Path | None] = toolchain_goroot,
                            cache: Any = False,
                            shared: OutsideTypes | None = None,
                            ruled: Callable[[Mapping[str, Any]], bool] = lambda row: False,
                            held: Iterable[int] = ()) -> dict[int, tuple[str, str]]:
    """The rows (by index in ``rows``) to keep as the module doc says, each with the reason and
    what decided it (``implemented-outside``, or ``coupled``); ``rename`` gives a name's new
    spelling under the policy; ``shared``: what this plan reads outside the roots (see
    :class:`idrename.outsideiface.OutsideTypes`); ``ruled``: whether a rule or an override
    decides a row (such a declaration is neither kept here nor keeps anything, unless it is
    ``held``); ``held``: the method and interface method declarations that the policy's entries
    keep, which keep what is coupled to them."""
    if not roots:
        return {}
    renamed = [i for i, row in enumerate(rows)
               if _renamed_declaration(row, roots, rename) and not ruled(row)]
    # (another package's types cannot have an unexported method: only exported ones meet them)
    candidates = [i for i in renamed if _exported(row_value(rows[i], "text"))]
    held = [i for i in held if _declaration(rows[i], roots)]
    if not candidates and not held:
        return {}
    asked = [_with_target(rows[i], rename) for i in candidates]
    names = {row_value(rows[i], "text") for i in [*candidates, *held]}
    outside = (shared or OutsideTypes()).get(roots, skip, goroot(), cache, names,
                                             {rename(n) for n in names})
    lazy = _LazyIndex(roots)
    by_id = {row_value(r, "id"): i for i, r in zip(candidates, asked, strict=True)}
    kept = _Kept()
    methods = [r for r in asked if row_value(r, "role") == R.METHOD_DECL]
    met = [(row, iface, implementing) for row, iface, implementing
           in interfaces_implemented_outside(
               [r for r in asked if row_value(r, "role") == R.INTERFACE_METHOD], lazy, outside)
           if not _exported(iface.name) or _named_beside(row, roots, implementing)]
    found = (_implementations(methods, lazy, outside) + _overrides(methods, lazy, outside)
             + [_implemented(*found) for found in met]) if candidates else []
    if shared is None:
        outside.lookup.save()
    for conflict in found:
        i = by_id.get(conflict.ids[0]) if conflict.ids else None
        if i is not None and i not in kept.reasons:
            _keep(kept, lazy.get(), rows[i], i, _reason(conflict.message), DECIDED_BY)
    for i in held:
        _keep(kept, lazy.get(), rows[i], i, "", COUPLED)
    if not kept.reasons:
        return {}
    _cascade(kept, lazy.get(), rows, renamed if held else candidates)
    _uses(kept, rows, roots, rename, outside)
    return {i: (why, kept.by[i]) for i, why in kept.reasons.items() if i not in held}


def _named_beside(row: Mapping[str, Any], roots: Mapping[str, Path],
                  implementing: Iterable[Outside]) -> bool:
    """Whether the files of an exported interface's folder name one of the exported types
    outside the roots that implement it (``json.Decoder``, ``json.NewDecoder(``, in code or in
    a comment): it is written for them. Other packages may implement an exported interface with
    their own types, and an ``io.Writer``-shaped one has implementations in every package that
    writes: without such a sign, renaming it is the checks' warning, not a keep."""
    folder = (Path(roots[row_value(row, "root")]) / row_value(row, "path")).parent
    spelled = [f"{t.import_path.rsplit('/', 1)[-1]}.{prefix}{t.name}".encode()
               for t in implementing if _exported(t.name) for prefix in ("", "New")]
    if not spelled:
        return False
    pattern = re.compile(rb"(?<![\w.])(?:" + b"|".join(map(re.escape, spelled)) + rb")\b")
    try:
        files = sorted(folder.glob("*.go"))
    except OSError:
        return False
    for path in files:
        try:
            if pattern.search(path.read_bytes()):
                return True
        except OSError:
            continue
    return False


def _renamed_declaration(row: Mapping[str, Any], roots: Mapping[str, Path],
                         rename: Callable[[str], str]) -> bool:
    """A :func:`_declaration` that the rename changes."""
    text = row_value(row, "text")
    return _declaration(row, roots) and rename(text) != text


def _declaration(row: Mapping[str, Any], roots: Mapping[str, Path]) -> bool:
    """A hand-written Go method (or interface method) of the roots, with its place."""
    return (row.get("role") in _DECLARATIONS and not row_flag(row, "is_generated")
            and row_value(row, "language") in ("go", "") and row_value(row, "root") in roots
            and row.get("start_byte") is not None)


def _with_target(row: Mapping[str, Any], rename: Callable[[str], str]) -> dict[str, Any]:
    return {**row, "target": rename(row_value(row, "text"))}


def _reason(message: str) -> str:
    """A finding of the checks as the reason to keep: what it says, without its advice."""
    said = message.split(_ADVICE, 1)[0].replace(" is renamed to ", " would be renamed to ", 1)
    return (f"kept, since renaming it alone would break what the roots cannot edit: {said}; a "
            "rule or an override that renames it is an outside_interface error")


def _keep(kept: _Kept, index: SymbolIndex, row: Mapping[str, Any], i: int, reason: str,
          by: str) -> None:
    """Keep one declaration, and note what it couples: its interface's method set, or its
    type's; ``by``: what decides it (the first of its name decides what it couples)."""
    kept.reasons[i] = reason
    kept.by[i] = by
    name = row_value(row, "text")
    kept.origin.setdefault(name, by)
    folder = row_value(row, "path").rpartition("/")[0]
    if row_value(row, "role") == R.INTERFACE_METHOD:
        iface = _interface_of(index, row)
        if iface is None:
            return
        methods, complete = index.method_set(iface)
        if complete or kept.partial(name):
            kept.interfaces.setdefault(name, []).append(
                ({n: p.member for n, p in methods.items()}, complete))
        if iface.name:
            kept.owners.setdefault(name, set()).add(
                (row_value(row, "root"), folder, iface.name))
        return
    found = _receiver_method_set(index, row)
    if found is not None and (found[1] or kept.partial(name)):
        kept.types.setdefault(name, []).append(found)
    owner = row_value(row, "owner").lstrip("*").split("[", 1)[0]
    if owner:
        kept.owners.setdefault(name, set()).add((row_value(row, "root"), folder, owner))


def _meets(have: tuple[dict[str, Member], bool], wanted: Mapping[str, Member]) -> bool:
    """Whether a method set has every method of ``wanted`` (by name and by numbers of
    parameters and results); one not known whole may have a missing one from what it
    embeds."""
    methods, complete = have
    return _has_all({n: m for n, m in methods.items() if n in wanted},
                    wanted if complete else {n: m for n, m in wanted.items() if n in methods})


def _cascade(kept: _Kept, index: SymbolIndex, rows: Sequence[Mapping[str, Any]],
             candidates: list[int]) -> None:
    """Keep the declarations coupled to the kept ones (see the module doc)."""
    for _ in range(_CASCADE_DEPTH):
        more = False
        for i in candidates:
            if i in kept.reasons:
                continue
            row = rows[i]
            name = row_value(row, "text")
            if row_value(row, "role") == R.METHOD_DECL:
                found = _receiver_method_set(index, row) if name in kept.interfaces else None
                if found is not None and (found[1] or kept.partial(name)) and any(
                        _meets(found, wanted) and (complete or kept.partial(name))
                        for wanted, complete in kept.interfaces[name]):
                    owner = row_value(row, "owner").lstrip("*")
                    _keep(kept, index, row, i, (
                        f"kept with the interface method {name} it implements, which is kept: "
                        f"renamed alone, {owner} would no longer implement that interface"),
                        kept.origin[name])
                    more = True
            elif name in kept.types:
                iface = _interface_of(index, row)
                if iface is None:
                    continue
                methods, complete = index.method_set(iface)
                wanted = {n: p.member for n, p in methods.items()}
                if (complete or kept.partial(name)) and any(
                        _meets(have, wanted) for have in kept.types[name]):
                    _keep(kept, index, row, i, (
                        f"kept with the method {name} of a type that implements this "
                        "interface, which is kept: renamed alone, the interface would no "
                        "longer be implemented by it"), kept.origin[name])
                    more = True
        if not more:
            return


def _uses(kept: _Kept, rows: Sequence[Mapping[str, Any]], roots: Mapping[str, Path],
          rename: Callable[[str], str], outside: Any) -> None:
    """Keep the calls and selectors of the kept names whose receiver says so (see the module
    doc)."""
    names = {row_value(rows[i], "text") for i in kept.reasons}
    declared: dict[str, list[int]] = {}
    for i, row in enumerate(rows):
        if (row.get("role") in _MEMBER_DECLARATIONS and row_value(row, "text") in names
                and row_value(row, "language") in ("go", "")):
            declared.setdefault(row_value(row, "text"), []).append(i)
    whole = {name for name, found in declared.items()
             if all(i in kept.reasons or row_flag(rows[i], "is_generated") for i in found)}
    receivers: dict[str, _Receivers] = {}
    for i, row in enumerate(rows):
        if row.get("role") not in _USES:
            continue
        name = row_value(row, "text")
        if (name not in names or row_flag(row, "is_generated")
                or row_value(row, "root") not in roots or rename(name) == name):
            continue
        if name in whole:
            continue  # (the decisions' uses follow their declarations, all kept: ``declaration``)
        owner = typed_receiver(row, roots, outside, receivers)
        if owner is not None and owner in kept.owners.get(name, set()):
            why = ("a type or interface outside the roots meets it"
                   if kept.origin[name] == DECIDED_BY else "the policy keeps it, or what it is "
                   "coupled to")
            kept.reasons[i] = (f"the receiver is a {owner[2]}, whose {name} is kept ({why}): "
                               "the use keeps the name too")
            kept.by[i] = kept.origin[name]


def typed_receiver(row: Mapping[str, Any], roots: Mapping[str, Path], outside: Any,
                   receivers: dict[str, _Receivers]) -> tuple[str, str, str] | None:
    """(root, folder, type name) of a use's receiver, when its function types it (a variable,
    a field, or a result the declarations say) as a type of a package of the roots: its own, or
    one its file imports (``b *domain.Booking``); ``outside``: what the plan reads outside the
    roots (an :class:`idrename.outsideiface.OutsideTypes`' reader), ``receivers``: the typing
    done so far, by root."""
    if row.get("start_byte") is None:
        return None
    label, path = row_value(row, "root"), row_value(row, "path")
    found = _receivers_of(label, roots, outside, receivers)
    tree = found.fields.tree(path)
    typed = (receiver_type(tree, int(row["start_byte"]),
                           lambda *asked: found.field(path, *asked),
                           lambda *asked: found.declared(path, *asked))
             if tree is not None else None)
    if typed is not None and told_by_declarations(typed[2]):
        # (a result of a function or method, or an element: ``s.withID(x).ID()``)
        typed = found.declared(path, *typed)
    if typed is None or os.path.isabs(typed[0]):
        return None  # not told, or written outside the roots
    return _of_roots(label, typed[0] or path, typed[1], typed[2], roots, outside)


def typed_literal(row: Mapping[str, Any], roots: Mapping[str, Path], outside: Any,
                  receivers: dict[str, _Receivers]) -> tuple[str, str, str] | None:
    """(root, folder, type name) of the composite literal a key is of (``Key`` in
    ``domain.Booking{Key: v}``), when it writes a type of a package of the roots (see
    :func:`typed_receiver`)."""
    if row.get("start_byte") is None:
        return None
    label, path = row_value(row, "root"), row_value(row, "path")
    tree = _receivers_of(label, roots, outside, receivers).fields.tree(path)
    typed = literal_type(tree, int(row["start_byte"])) if tree is not None else None
    return _of_roots(label, path, *typed, roots, outside) if typed is not None else None


def _receivers_of(label: str, roots: Mapping[str, Path], outside: Any,
                  receivers: dict[str, _Receivers]) -> _Receivers:
    """The typing of one root's receivers, made when first asked for."""
    if label not in receivers:
        receivers[label] = _Receivers(label, roots[label], outside)
    return receivers[label]


def _of_roots(label: str, where: str, qualifier: str, name: str, roots: Mapping[str, Path],
              outside: Any) -> tuple[str, str, str] | None:
    """(root, folder, type name) of a type name written in a file of a root (``where``) with
    ``qualifier``, when it is a type of a package of the roots."""
    if not qualifier:
        return label, where.rpartition("/")[0], name
    imported = outside.lookup.imported_folder(label, where, qualifier)
    folder = folder_in_root(imported[1], roots[label]) if imported is not None else None
    return (label, folder, name) if folder is not None else None
