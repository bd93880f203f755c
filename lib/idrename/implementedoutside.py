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
    _receiver_methods,
    _Receivers,
    interfaces_implemented_outside,
)
from .policy import row_flag, row_value
from .receivertypes import receiver_type

DECIDED_BY = "implemented-outside"
_DECLARATIONS = (R.METHOD_DECL, R.INTERFACE_METHOD)
_MEMBER_DECLARATIONS = (R.METHOD_DECL, R.INTERFACE_METHOD, R.FIELD_DECL)
_USES = (R.METHOD_CALL, R.SELECTOR)
_ADVICE = ": keep the name"  # where a finding's advice starts
_CASCADE_DEPTH = 8


@dataclass
class _Kept:
    """The rows kept so far (index -> rationale), and what they keep coupled."""

    reasons: dict[int, str] = field(default_factory=dict)
    # name -> the method sets (by name) of the interfaces of the roots whose method is kept
    interfaces: dict[str, list[dict[str, Member]]] = field(default_factory=dict)
    # name -> the method sets of the types of the roots whose method is kept
    types: dict[str, list[dict[str, Member]]] = field(default_factory=dict)
    # (root, folder, type name) of the types and interfaces whose method of a name is kept
    owners: dict[str, set[tuple[str, str, str]]] = field(default_factory=dict)


def kept_with_outside_types(rows: Sequence[Mapping[str, Any]],
                            roots: Mapping[str, Path] | None, skip: Iterable[str],
                            rename: Callable[[str], str],
                            goroot: Callable[[], Path | None] = toolchain_goroot,
                            cache: Any = False,
                            shared: OutsideTypes | None = None,
                            ruled: Callable[[Mapping[str, Any]], bool] = lambda row: False
                            ) -> dict[int, str]:
    """The rows (by index in ``rows``) to keep as the module doc says, each with the reason;
    ``rename`` gives a name's new spelling under the policy; ``shared``: what this plan reads
    outside the roots (see :class:`idrename.outsideiface.OutsideTypes`); ``ruled``: whether a
    rule or an override decides a row (such a declaration is neither kept here nor keeps
    anything)."""
    if not roots:
        return {}
    candidates = [i for i, row in enumerate(rows)
                  if _renamed_declaration(row, roots, rename) and not ruled(row)]
    if not candidates:
        return {}
    asked = [_with_target(rows[i], rename) for i in candidates]
    names = {row_value(r, "text") for r in asked}
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
             + [_implemented(*found) for found in met])
    if shared is None:
        outside.lookup.save()
    for conflict in found:
        i = by_id.get(conflict.ids[0]) if conflict.ids else None
        if i is not None and i not in kept.reasons:
            _keep(kept, lazy.get(), rows[i], i, _reason(conflict.message))
    if not kept.reasons:
        return {}
    _cascade(kept, lazy.get(), rows, candidates)
    _uses(kept, rows, roots, rename, outside)
    return kept.reasons


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
    """A hand-written Go method (or interface method) of the roots, with its place, that the
    rename changes; exported (another package's types cannot have an unexported method)."""
    if row.get("role") not in _DECLARATIONS:
        return False
    text = row_value(row, "text")
    return (_exported(text) and not row_flag(row, "is_generated")
            and row_value(row, "language") in ("go", "") and row_value(row, "root") in roots
            and row.get("start_byte") is not None and rename(text) != text)


def _with_target(row: Mapping[str, Any], rename: Callable[[str], str]) -> dict[str, Any]:
    return {**row, "target": rename(row_value(row, "text"))}


def _reason(message: str) -> str:
    """A finding of the checks as the reason to keep: what it says, without its advice."""
    said = message.split(_ADVICE, 1)[0].replace(" is renamed to ", " would be renamed to ", 1)
    return (f"kept, since renaming it alone would break what the roots cannot edit: {said}; a "
            "rule or an override that renames it is an outside_interface error")


def _keep(kept: _Kept, index: SymbolIndex, row: Mapping[str, Any], i: int, reason: str) -> None:
    """Keep one declaration, and note what it couples: its interface's method set, or its
    type's."""
    kept.reasons[i] = reason
    name = row_value(row, "text")
    folder = row_value(row, "path").rpartition("/")[0]
    if row_value(row, "role") == R.INTERFACE_METHOD:
        iface = _interface_of(index, row)
        if iface is None:
            return
        methods, complete = index.method_set(iface)
        if complete:
            kept.interfaces.setdefault(name, []).append(
                {n: p.member for n, p in methods.items()})
        if iface.name:
            kept.owners.setdefault(name, set()).add(
                (row_value(row, "root"), folder, iface.name))
        return
    found = _receiver_methods(index, row)
    if found is not None:
        kept.types.setdefault(name, []).append(found)
    owner = row_value(row, "owner").lstrip("*").split("[", 1)[0]
    if owner:
        kept.owners.setdefault(name, set()).add((row_value(row, "root"), folder, owner))


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
                methods = _receiver_methods(index, row) if name in kept.interfaces else None
                if methods is not None and any(_has_all(methods, wanted)
                                               for wanted in kept.interfaces[name]):
                    owner = row_value(row, "owner").lstrip("*")
                    _keep(kept, index, row, i, (
                        f"kept with the interface method {name} it implements, which is kept: "
                        f"renamed alone, {owner} would no longer implement that interface"))
                    more = True
            elif name in kept.types:
                iface = _interface_of(index, row)
                if iface is None:
                    continue
                methods, complete = index.method_set(iface)
                wanted = {n: p.member for n, p in methods.items()}
                if complete and any(_has_all(have, wanted) for have in kept.types[name]):
                    _keep(kept, index, row, i, (
                        f"kept with the method {name} of a type that implements this "
                        "interface, which is kept: renamed alone, the interface would no "
                        "longer be implemented by it"))
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
        owner = _receiver(row, roots, outside, receivers)
        if owner is not None and owner in kept.owners.get(name, set()):
            kept.reasons[i] = (f"the receiver is a {owner[2]}, whose {name} is kept (a type or "
                               "interface outside the roots meets it): the use keeps the name "
                               "too")


def _receiver(row: Mapping[str, Any], roots: Mapping[str, Path], outside: Any,
              receivers: dict[str, _Receivers]) -> tuple[str, str, str] | None:
    """(root, folder, type name) of a use's receiver, when its function types it as a type of
    its own package."""
    if row.get("start_byte") is None:
        return None
    label, path = row_value(row, "root"), row_value(row, "path")
    if label not in receivers:
        receivers[label] = _Receivers(label, roots[label], outside)
    found = receivers[label]
    tree = found.fields.tree(path)
    typed = (receiver_type(tree, int(row["start_byte"]),
                           lambda *asked: found.field(path, *asked))
             if tree is not None else None)
    if typed is None or typed[1] or os.path.isabs(typed[0]):
        return None  # not told, or another package's type
    return label, (typed[0] or path).rpartition("/")[0], typed[2]
