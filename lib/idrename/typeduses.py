"""Which declarations of the roots a use of a Go name names, where the syntax and the imports
tell (:class:`TypedUses`): the decisions ask it where the declarations of a name are decided
apart (a rule keeps one package's, the defaults rename the others'), so that a use follows the
one it names (``b.VoyageID`` with ``b *domain.Booking``; ``q.Job`` with ``q`` an import's
alias), and a use a rule keeps keeps the one it names only."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from . import roles
from .outside import folder_in_root
from .policy import row_value

# The uses of package-level names (besides the members' uses, roles.MEMBER_USE_ROLES).
PACKAGE_LEVEL_USES = frozenset({roles.FUNC_CALL, roles.TYPE_USE, roles.PACKAGE_USE})


class TypedUses:
    """Which declarations a use of a Go name names, where the syntax and the imports tell:
    those of its receiver's type for a member's use (``member-of``: root, folder, type, name;
    see :func:`idrename.implementedoutside.typed_receiver`), those of the package its
    qualifier imports for ``pkg.Name`` (``folder``), and which packages a use's package can
    reach.
    Asked by :mod:`idrename.decisions` only where the declarations of a name are decided apart,
    or otherwise than a use (a file is parsed to type a receiver)."""

    def __init__(self, roots: Mapping[str, Path] | None, skip: Iterable[str], cache: Any,
                 shared: Any) -> None:
        self.roots = roots
        self.skip = skip
        self.cache = cache
        self.shared = shared
        self._outside: Any = None
        self._receivers: dict[str, Any] = {}
        self._folders: dict[tuple[str, str, str], str | None] = {}
        self._reach: dict[tuple[str, str], set[tuple[str, str]]] = {}
        self._imports: dict[tuple[str, str], set[tuple[str, str]]] = {}
        # id of a list of declarations -> (the list, kept alive; its items by folder)
        self._by_folder: dict[int, tuple[list[int], dict[tuple[str, str], list[int]]]] = {}
        self._relatives: dict[tuple[str, Path], str | None] = {}

    def key(self, row: Mapping[str, Any]) -> tuple[str, ...] | None:
        if not self.roots or row_value(row, "root") not in self.roots:
            return None
        text, role = row_value(row, "text"), row.get("role")
        if role in roles.MEMBER_USE_ROLES:
            from idrename.implementedoutside import typed_literal, typed_receiver

            typing = typed_literal if role == roles.COMPOSITE_KEY else typed_receiver
            typed = typing(row, self.roots, self._reader(), self._receivers)
            return ("member-of", *typed, text) if typed is not None else None
        qualifier = row_value(row, "detail")
        if role not in PACKAGE_LEVEL_USES or not qualifier:
            return None  # (a qualifier itself has none)
        label, path = row_value(row, "root"), row_value(row, "path")
        at = (label, path, qualifier)
        if at not in self._folders:
            found = self._reader().lookup.imported_folder(label, path, qualifier)
            self._folders[at] = (self._relative(label, found[1])
                                 if found is not None else None)
        folder = self._folders[at]
        return ("folder", label, folder, text) if folder is not None else None

    def reachable(self, row: Mapping[str, Any]) -> set[tuple[str, str]]:
        """(root, folder) of the packages of the roots whose types a use's package can reach:
        its own, and those it imports, and theirs, and so on (a value's type is declared in
        the package or in what it depends on: through an alias, a field, a function's result,
        ``type Stats = types.Stats``)."""
        start = folder_of(row)
        if start not in self._reach:
            found, todo = set(), [start]
            while todo:
                folder = todo.pop()
                if folder in found:
                    continue
                found.add(folder)
                todo.extend(self._imported(*folder) - found)
            self._reach[start] = found
        return self._reach[start]

    def _imported(self, label: str, folder: str) -> set[tuple[str, str]]:
        """(root, folder) of the packages of the roots that the Go files of a folder import."""
        if (label, folder) not in self._imports:
            found: set[tuple[str, str]] = set()
            root = self.roots.get(label) if self.roots else None
            try:
                names = sorted(n for n in os.listdir(Path(root) / folder) if n.endswith(".go")) \
                    if root is not None else []
            except OSError:
                names = []
            lookup = self._reader().lookup if names else None
            for name in names:
                rel = f"{folder}/{name}" if folder else name
                for bound in lookup.imports(label, rel):
                    imported = lookup.imported_folder(label, rel, bound)
                    inside = self._relative(label, imported[1]) if imported is not None else None
                    if inside is not None:
                        found.add((label, inside))
            self._imports[(label, folder)] = found
        return self._imports[(label, folder)]

    def named(self, row: Mapping[str, Any], own: tuple[str, str], found: list[int],
              declared: Mapping[tuple[str, ...], list[int]], rows: Sequence[Mapping[str, Any]],
              outcome: Callable[[int], tuple[str, str]]) -> list[int]:
        """The declarations a use (``own``: what its decision does, as ``outcome`` says for a
        declaration, by index in ``rows``) names among ``found`` (those of its name),
        where they are decided apart or otherwise than it: those its package can reach
        (:meth:`reachable`) when they are all decided as it is (nothing changes: not typed),
        else those of its receiver's type or its qualifier's package (:meth:`key`), else those
        it can reach, else ``found``."""
        near = self.near(row, found, rows)
        if near and {outcome(j) for j in near} == {own}:
            return near
        precise = self.key(row)
        if precise in declared:
            return list(declared[precise])
        return near or found

    def near(self, row: Mapping[str, Any], found: list[int],
             rows: Sequence[Mapping[str, Any]]) -> list[int]:
        """Those of ``found`` (declarations: one list per key, kept as it is) in the folders a
        use's package can reach (:meth:`reachable`)."""
        key = id(found)
        if key not in self._by_folder:
            by_folder: dict[tuple[str, str], list[int]] = {}
            for j in found:
                by_folder.setdefault(folder_of(rows[j]), []).append(j)
            self._by_folder[key] = (found, by_folder)
        by_folder = self._by_folder[key][1]
        return sorted(j for folder in self.reachable(row) for j in by_folder.get(folder, ()))

    def _relative(self, label: str, folder: Path) -> str | None:
        if (label, folder) not in self._relatives:
            self._relatives[(label, folder)] = (folder_in_root(folder, self.roots[label])
                                                if self.roots else None)
        return self._relatives[(label, folder)]

    def _reader(self) -> Any:
        """What the plan reads outside the roots (the fields of their structs type receivers
        too)."""
        from idrename.gotool import toolchain_goroot
        from idrename.outsideiface import OutsideTypes

        if self._outside is None:
            self._outside = (self.shared or OutsideTypes()).get(
                self.roots, self.skip, toolchain_goroot(), self.cache, [], [])
        return self._outside


def folder_of(row: Mapping[str, Any]) -> tuple[str, str]:
    """(root, folder) of a row's file."""
    return row_value(row, "root"), row_value(row, "path").rpartition("/")[0]

