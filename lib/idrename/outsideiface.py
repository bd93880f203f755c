"""Methods and fields of types declared outside the roots, seen on Go's own ``src`` and on
``golang.org/x/tools``: renaming ``Timeout`` in ``net/http`` renamed ``timeoutError.Timeout``,
which implements ``net.Error``, and the call ``ne.Timeout()`` on a ``net.Error``; renaming
``Obj`` in ``x/tools`` renamed ``n.Obj()`` on a ``*types.Named`` and the method of ``case
interface{ Obj() *types.TypeName }:``; renaming ``Prog`` in ``cmd`` renamed ``f.elf.Progs``.

The patch edits the roots only, so a type declared outside them keeps its members' old names.
The interface_coupling check (:mod:`idrename.checks`) sees the interfaces of the roots only,
and :mod:`idrename.outside` keeps a use only when the roots declare no member of its name; this
module finds what both miss, for each name the plan renames, among the types outside the roots
that have a method (or, a struct, a field) of the old name and none of the new one. A method
set with an unexported method is left out on both sides: only its own package's types have
that method.

- :func:`calls_on_outside_types` (for the decisions, which keep them as ``declared-outside``):
  a call ``v.Name()`` or selector ``v.Name`` of a name the roots declare too, whose receiver the
  enclosing function types as such a type (see :mod:`idrename.receivertypes`).
- ``outside_interface`` (error): a renamed method declaration whose receiver type (a named
  type of the roots) has every method of such an interface, by name and by numbers of
  parameters and results. The build still passes, but the type no longer implements the
  interface (an ``errors.As`` or a type assertion on it stops seeing the type). Only the
  interfaces (exported or not: ``os.IsTimeout`` asserts an unexported one) of the packages
  that the method's folder imports (its non-test files, for a non-test method) are looked at,
  and only when the type's method set is known whole (none of its embedded types lies outside
  the roots).
- ``outside_interface`` (error for an anonymous or unexported interface, warning for an
  exported one): a renamed method of an interface of the roots that such types implement;
  renamed, they no longer do, silently.
- ``outside_interface`` (error): a renamed method of a struct that embeds such a type having a
  method of that name: it overrides the promoted method, and renamed no longer does, silently.
- ``outside_interface`` or ``outside_method`` (error): a renamed call or selector typed as
  such a type that a rule or an override renames all the same; it no longer compiles.
- ``outside_method`` (warning): any other renamed call or selector of that name, in a file that
  imports a package with such an exported type, whose receiver the function does not type at
  all (a function's result, a variable declared elsewhere): without types, it may be of that
  type; ``idrename verify`` (``go build``) tells. A receiver the function types as anything
  else (a type of the roots, a type outside that keeps no such member) gets nothing.

The decisions keep the methods of the first three findings (and an exported interface of the
second only when its package names such a type), with what is coupled to them
(:mod:`idrename.implementedoutside`): the findings are then those of a rule or an override
that renames them all the same.

Packages are found as :mod:`idrename.outside` finds them (the file's imports, the ``go.mod``
above the root, vendor folders, local replacements, Go's own tree), and the standard library
also in the GOROOT of the toolchain, when there is one. Their non-test files that spell a name
in question (old or new) are parsed (:func:`idrename.gosymbols.index_file`, declarations
only), each once;
an embedded interface is followed (``error``, the same package, another one through the
imports), and an interface one of whose embedded types is not found is left out.

Like the findings of :mod:`idrename.skipped`, these are found anew on every plan: the digests
the stage memos are keyed by leave the packages outside the roots out.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import roles as R
from .checks import ERROR, WARNING, Conflict, renamed_go_rows
from .generatedmembers import Members, declared_members
from .gosymbols import Member, Place, Spelling, SymbolIndex, TypeInfo, index_file
from .gotool import toolchain_goroot
from .outside import Lookup, file_imports, imported_paths
from .policy import row_flag, row_value
from .receivertypes import (
    ELEMENT_OF,
    StructFields,
    Typed,
    declared_type,
    element_of_named,
    element_of_result,
    function_result,
    package_clause,
    receiver_type,
    result_of,
    result_type,
    told_by_declarations,
)

if TYPE_CHECKING:
    import pandas as pd

KIND = "outside_interface"
METHOD_KIND = "outside_method"
_LISTED = 3  # the types a finding names
_COLUMNS = ("id", "root", "path", "line", "start_byte", "role", "text", "target", "decision",
            "language", "owner", "symbol", "is_generated")
# An embedded `error` gives this method.
_ERROR_METHOD = Member("Error", "method", Place("", "", 0, 0), 0, 1)
_EMPTY_EMBEDS = frozenset({"any", "comparable"})


@dataclass(frozen=True)
class Outside:
    """A named type declared outside the roots that has one of the names as a method (or a
    field): an interface (with its whole method set) or another type (with the methods
    declared on it and, a struct, its fields)."""

    import_path: str
    name: str
    place: str  # file:line
    methods: Mapping[str, Member]
    interface: bool

    def __str__(self) -> str:
        return f"{self.import_path.rsplit('/', 1)[-1]}.{self.name}"

    def keeps(self, old: str, new: str) -> bool:
        """Whether this type has the method ``old`` and not ``new``."""
        return old in self.methods and new not in self.methods

    def where(self, method: str) -> str:
        """Where the method is declared (an interface: where the interface is)."""
        return self.place if self.interface else str(self.methods[method].place)


def outside_interface_conflicts(decided: pd.DataFrame, roots: Mapping[str, Path],
                                skip: Iterable[str],
                                goroot: Callable[[], Path | None] = toolchain_goroot,
                                cache: Any = False,
                                shared: OutsideTypes | None = None) -> list[Conflict]:
    """Every finding of the module doc for the methods and calls ``decided`` renames in
    ``roots``; ``skip``: the folder names the inventory skipped (``vendor``), which count as
    outside; ``goroot``: where the standard library is, for a module outside Go's own tree
    (asked only when the plan renames a method); ``cache``: where the imports of the roots'
    files are kept between plans (as :func:`idrename.cache.resolve` takes it; False: nowhere);
    ``shared``: what the decisions of this plan read outside the roots already."""
    rows = _renamed(decided, roots)
    if not rows:
        if shared is not None:
            shared.save()  # what the decisions read
        return []
    outside = (shared or OutsideTypes()).get(
        roots, skip, goroot(), cache, {row_value(r, "text") for r in rows},
        {row_value(r, "target") for r in rows})
    declarations = [r for r in rows if row_value(r, "role") == R.METHOD_DECL]
    calls = [r for r in rows if row_value(r, "role") in _USE_ROLES]
    interface_methods = [r for r in rows if row_value(r, "role") == R.INTERFACE_METHOD]
    index = _LazyIndex(roots)
    found = (_implementations(declarations, index, outside) + _calls(calls, roots, outside)
             + _implemented_outside(interface_methods, index, outside)
             + _overrides(declarations, index, outside))
    outside.lookup.save()
    return found


def _renamed(decided: pd.DataFrame, roots: Mapping[str, Path]) -> list[dict[str, Any]]:
    """The hand-written Go method declarations and calls the plan renames, in order."""
    if "start_byte" not in decided.columns:
        return []
    out = renamed_go_rows(decided, roots, (R.METHOD_DECL, R.INTERFACE_METHOD, *_USE_ROLES),
                          _COLUMNS)
    return sorted(out, key=lambda r: (row_value(r, "root"), row_value(r, "path"),
                                      int(r["start_byte"])))


# -- the packages outside the roots ---------------------------------------------------------
class OutsideTypes:
    """What one plan reads of the packages outside the roots, kept from the decisions
    (:func:`calls_on_outside_types`) to the checks (:func:`outside_interface_conflicts`), so
    that each file of those packages is read and parsed once per plan."""

    def __init__(self) -> None:
        self._outside: _Outside | None = None
        self._key: tuple[Any, ...] = ()

    def get(self, roots: Mapping[str, Path], skip: Iterable[str], goroot: Path | None,
            cache: Any, names: Iterable[str], targets: Iterable[str]) -> _Outside:
        """The types of the packages outside ``roots``, for these method names (and new
        names), widened from what an earlier call read when the roots are the same."""
        key = (sorted((label, str(path)) for label, path in roots.items()), sorted(skip),
               goroot, cache)
        if self._outside is None or key != self._key:
            self._key = key
            self._outside = _Outside(Lookup(dict(roots), frozenset(skip), goroot, cache=cache),
                                     sorted(set(names)), sorted(set(targets)))
        else:
            self._outside.widen(names, targets)
        return self._outside

    def save(self) -> None:
        """Write the imports read so far to the cache, once per plan (an index saved keeps only
        the entries read before, so a second save would drop what a later reader needs)."""
        if self._outside is not None:
            self._outside.lookup.save()


class _Outside:
    """The types of the packages outside the roots that have a method in question, each file
    of those packages parsed once."""

    def __init__(self, lookup: Lookup, names: list[str], targets: list[str]) -> None:
        self.lookup = lookup
        self.names = names  # the old method names in question
        self.words = sorted({*names, *targets})  # what a file to parse spells
        self._types: dict[Path, dict[str, TypeInfo]] = {}  # folder -> named types parsed
        # folder -> receiver type -> its methods declared in the files parsed
        self._methods: dict[Path, dict[str, dict[str, Member]]] = {}
        self._asked: dict[Path, set[str]] = {}  # folder -> words its files were searched for
        self._types_of: dict[Path, list[Outside]] = {}
        self._imported: dict[tuple[str, str, bool], list[tuple[str, Path]]] = {}
        self._file_types: dict[tuple[str, str], dict[str, list[Outside]]] = {}
        self._folder_types: dict[tuple[str, str, bool], dict[str, list[Outside]]] = {}
        self._file_methods: dict[tuple[str, str], set[str]] = {}
        self._embedding: dict[tuple[Path, str], Outside | None] = {}  # see type
        self._results: dict[tuple[Path, str], Outside | None] = {}
        self._file_imports: dict[Path, dict[str, str]] = {}  # outside file -> its imports
        self._parsed: set[Path] = set()  # the files parsed (or unreadable)
        self._data: dict[Path, bytes] = {}  # the files read and not parsed yet

    def widen(self, names: Iterable[str], targets: Iterable[str]) -> None:
        """Ask about more method names too (the types found so far are found again)."""
        more = set(names) - set(self.names)
        if more:
            self.names = sorted({*self.names, *more})
            self._types_of.clear()
            self._file_types.clear()
            self._folder_types.clear()
            self._file_methods.clear()
            self._embedding.clear()
            self._results.clear()
        self.words = sorted({*self.words, *more, *targets})

    def imported(self, label: str, folder: str, tests: bool = True) -> list[tuple[str, Path]]:
        """(import path, folder) of the packages outside the roots that the files of a folder
        of the roots import (``tests`` False: its non-test files only)."""
        key = (label, folder, tests)
        if key not in self._imported:
            root = self.lookup.roots[label]
            found: dict[str, Path] = {}
            try:
                names = sorted(n for n in os.listdir(root / folder) if n.endswith(".go")
                               and (tests or not n.endswith("_test.go")))
            except OSError:
                names = []
            prefix = f"{folder}/" if folder else ""
            for name in names:
                found.update(self.lookup.imported_outside(label, prefix + name))
            self._imported[key] = sorted(found.items())
        return self._imported[key]

    def types(self, import_path: str, folder: Path) -> list[Outside]:
        """The package-level types of a package that have one of the names as a method (or,
        a struct, as a field): its interfaces, each with its whole method set (those with an
        embedded type not found are left out), then its other types, with the methods declared
        on them and their fields."""
        if folder not in self._types_of:
            types = self._named(folder, self.words)
            found = []
            for typ in list(types.values()):
                if typ.kind != "interface" or typ.constraint:
                    continue
                methods = self._method_set(typ, folder, 0)
                if methods is not None and not methods.keys().isdisjoint(self.names):
                    found.append(Outside(import_path, typ.name, str(typ.place), methods, True))
            having = {name: methods for name, methods in self._methods.get(folder, {}).items()
                      if not methods.keys().isdisjoint(self.names)}
            types = self._named(folder, having)  # the files declaring those types too
            for name, methods in sorted(having.items()):
                typ = types.get(name)
                if typ is not None and typ.kind != "interface":
                    fields = {f.name: f for f in typ.fields}
                    found.append(Outside(import_path, name, str(typ.place),
                                         {**fields, **methods}, False))
            for typ in sorted(types.values(), key=lambda t: t.name):  # structs with such a field
                if (typ.kind == "struct" and typ.name not in having
                        and any(f.name in self.names for f in typ.fields)):
                    members = {f.name: f for f in typ.fields}
                    members.update(self._methods.get(folder, {}).get(typ.name, {}))
                    found.append(Outside(import_path, typ.name, str(typ.place), members, False))
            self._types_of[folder] = sorted(found, key=lambda t: (not t.interface, t.name))
        return self._types_of[folder]

    def file_types(self, label: str, path: str) -> dict[str, list[Outside]]:
        """The exported :meth:`types` of the packages outside the roots that a file of the
        roots imports, by the names in question each has as a member (once per file)."""
        key = (label, path)
        if key not in self._file_types:
            self._file_types[key] = self._by_member(self.lookup.imported_outside(label, path))
        return self._file_types[key]

    def folder_types(self, label: str, folder: str, tests: bool) -> dict[str, list[Outside]]:
        """:meth:`file_types` of the packages outside the roots that any file of a folder of
        the roots imports (``tests`` False: its non-test files; once per folder): a field that
        one file declares (``file *ast.File``) types a receiver in another
        (``p.file.Comments``)."""
        key = (label, folder, tests)
        if key not in self._folder_types:
            self._folder_types[key] = self._by_member(self.imported(label, folder, tests))
        return self._folder_types[key]

    def _by_member(self, packages: Iterable[tuple[str, Path]]) -> dict[str, list[Outside]]:
        """The exported :meth:`types` of ``packages`` (import path, folder), by the names in
        question each has as a member."""
        by_name: dict[str, list[Outside]] = {}
        names = set(self.names)
        for import_path, folder in packages:
            for typ in self.types(import_path, folder):
                if _exported(typ.name):
                    for name in typ.methods.keys() & names:
                        by_name.setdefault(name, []).append(typ)
        return by_name

    def file_methods(self, label: str, path: str) -> set[str]:
        """The names in question that a package outside the roots imported by a file of the
        roots declares as a method of any of its types, exported or not (``fnv``'s ``sum32a``
        has ``Write``: its ``New32a()`` gives one, as a ``hash.Hash32``), once per file."""
        key = (label, path)
        if key not in self._file_methods:
            found: set[str] = set()
            for import_path, folder in self.lookup.imported_outside(label, path):
                self.types(import_path, folder)  # (parses the files declaring such methods)
                for methods in self._methods.get(folder, {}).values():
                    found.update(methods.keys() & set(self.names))
            self._file_methods[key] = found
        return self._file_methods[key]

    def resolve(self, import_path: str, folder: Path, name: str) -> Outside | None:
        """The type (with one of the names as a member) that a receiver's type name says, in a
        package outside the roots; a name that is no type is tried as a function of one
        argument (``pkg.F(x)``, a conversion or a call: then its result)."""
        return self.type(import_path, folder, name) or self._result(import_path, folder, name)

    def _result(self, import_path: str, folder: Path, function: str) -> Outside | None:
        """The type of the first result of a package's function, when it has one of the names
        as a member (a result of another package's type: found through the declaring file's
        imports)."""
        key = (folder, function)
        if key not in self._results:
            self._results[key] = None
            for path in _package_files(folder):
                try:
                    data = path.read_bytes()
                except OSError:
                    continue
                found = result_type(data, function, 0)
                if found is None:
                    continue
                qualifier, name = found
                package = (import_path, folder) if not qualifier else \
                    self.package_named(path, qualifier)
                self._results[key] = self.type(*package, name) if package is not None else None
                break
        return self._results[key]

    def package_named(self, file: Path, qualifier: str) -> tuple[str, Path] | None:
        """(import path, folder) of the package that ``qualifier`` names in a Go file outside
        the roots, by that file's imports; None for a package of the roots, or one not found."""
        if file not in self._file_imports:
            try:
                self._file_imports[file] = file_imports(file.read_bytes())
            except OSError:
                self._file_imports[file] = {}
        imported = self._file_imports[file].get(qualifier)
        folder = (self.lookup.folder_from(file.parent, imported)
                  if imported is not None else None)
        if imported is None or folder is None or self.lookup.in_roots(folder):
            return None
        return imported, folder

    def interfaces(self, import_path: str, folder: Path) -> list[Outside]:
        """The interfaces among :meth:`types`."""
        return [t for t in self.types(import_path, folder) if t.interface]

    def type(self, import_path: str, folder: Path, name: str) -> Outside | None:
        """The type ``name`` of a package, when it has one of the names as a method: among
        :meth:`types`, or an interface that has it only through an interface it embeds
        (``hash.Hash32`` embeds ``Hash``, which embeds ``io.Writer``; its files declare no
        ``Write``, so :meth:`types` did not parse them)."""
        found = next((t for t in self.types(import_path, folder) if t.name == name), None)
        if found is not None:
            return found
        key = (folder, name)
        if key not in self._embedding:
            self._embedding[key] = None
            typ = self._named(folder, [name]).get(name)
            if typ is not None and typ.kind == "interface" and not typ.constraint:
                methods = self._method_set(typ, folder, 0)
                if methods is not None and not methods.keys().isdisjoint(self.names):
                    self._embedding[key] = Outside(import_path, name, str(typ.place), methods,
                                                   True)
        return self._embedding[key]

    def _named(self, folder: Path, words: Iterable[str]) -> dict[str, TypeInfo]:
        """The named package-level types of a package's non-test files, those that may declare
        one of ``words`` (a method, or a type) parsed now, each file once."""
        types = self._types.setdefault(folder, {})
        asked = self._asked.setdefault(folder, set())
        fresh = sorted(set(words) - asked)
        asked.update(fresh)
        if not fresh:
            return types
        declaring = _declaring(fresh)
        spelled = _spelling(tuple(fresh))
        for path in _package_files(folder):
            data = self._unparsed(path)
            # (a plain search first: most files spell none of the words)
            if data is None or spelled.search(data) is None or declaring.search(data) is None:
                continue
            self._parsed.add(path)
            del self._data[path]
            indexed = index_file(str(folder), path.name, data, False, Spelling())
            for typ in indexed.types:
                if typ.name and not typ.local:
                    types.setdefault(typ.name, typ)
            methods = self._methods.setdefault(folder, {})
            for receiver, member in indexed.methods:
                methods.setdefault(receiver, {}).setdefault(member.name, member)
        return types

    def _unparsed(self, path: Path) -> bytes | None:
        """A file's bytes, read once, until it is parsed (None then, or when unreadable)."""
        if path in self._parsed:
            return None
        if path not in self._data:
            try:
                self._data[path] = path.read_bytes()
            except OSError:
                self._parsed.add(path)
                return None
        return self._data[path]

    def _method_set(self, typ: TypeInfo, folder: Path, depth: int) -> dict[str, Member] | None:
        """The methods of an interface, its embedded ones included; None when an embedded
        type is not found (the set is then not known whole)."""
        methods = {m.name: m for m in typ.methods}
        for ref in typ.embeds:
            if depth > 8:
                return None
            if not ref.qualifier and ref.name == "error":
                methods.setdefault("Error", _ERROR_METHOD)
                continue
            if not ref.qualifier and ref.name in _EMPTY_EMBEDS:
                continue
            where = folder
            if ref.qualifier:
                imported = typ.file.imports.get(ref.qualifier)
                found = self.lookup.folder_from(folder, imported[0]) if imported else None
                if found is None:
                    return None
                where = found
            inner = self._named(where, [ref.name]).get(ref.name)
            if inner is None or inner.kind != "interface":
                return None
            more = self._method_set(inner, where, depth + 1)
            if more is None:
                return None
            for name, member in more.items():
                methods.setdefault(name, member)
        return methods


@lru_cache(maxsize=64)
def _spelling(words: tuple[str, ...]) -> re.Pattern[bytes]:
    """One pattern for any of ``words``, anywhere."""
    return re.compile(b"|".join(re.escape(w.encode()) for w in words))


def _declaring(words: Iterable[str]) -> re.Pattern[bytes]:
    """What a file that may declare one of ``words`` spells: a method (``func (r T) Name(``),
    an interface method, a field or a type in a block (the name first on its line, or after
    ``{`` or ``;``: ``struct{ Name int }``), or ``type Name``.
    Syntax only, and loose: it only decides which files are parsed."""
    names = b"|".join(re.escape(w.encode()) for w in words)
    return re.compile(rb"(?m)(?:\bfunc\s*\([^)]*\)\s*|^\s*|[{;]\s*|\btype\s+)(?:" + names
                      + rb")\b")


def _package_files(folder: Path, tests: bool = False) -> list[Path]:
    """A package's non-test Go files (and its test files too, ``tests``), sorted."""
    try:
        return sorted(p for p in folder.glob("*.go")
                      if (tests or not p.name.endswith("_test.go")) and p.is_file())
    except OSError:
        return []


# -- declarations ----------------------------------------------------------------------------
class _LazyIndex:
    """The symbol index of the roots (declarations only), made when first asked for."""

    def __init__(self, roots: Mapping[str, Path]) -> None:
        self.roots = roots
        self._index: SymbolIndex | None = None

    def get(self) -> SymbolIndex:
        if self._index is None:
            self._index = SymbolIndex(self.roots, detail=lambda *_: False, relevant=Spelling())
        return self._index


def _implementations(rows: list[dict[str, Any]], lazy: _LazyIndex,
                     outside: _Outside) -> list[Conflict]:
    """One error per renamed method whose type implements an interface outside the roots."""
    found = []
    for row in rows:
        label, path = row_value(row, "root"), row_value(row, "path")
        old, new = row_value(row, "text"), row_value(row, "target")
        candidates = [iface for import_path, folder in _imported_for(outside, label, path)
                      for iface in outside.interfaces(import_path, folder)
                      if iface.keeps(old, new) and _exported_methods(iface.methods)]
        protocols = [p for p in PROTOCOLS if p.method.name == old and not (
            p.home and outside.lookup.imports_from_roots(label, path, p.home))]
        if any(p.takes_from for p in protocols):
            imports = _paths_imported(lazy.roots, label, path)
            protocols = [p for p in protocols if not p.takes_from or p.takes_from in imports]
        if not candidates and not protocols:
            continue
        methods = _receiver_methods(lazy.get(), row)
        if methods is None:
            continue
        implemented = sorted((iface for iface in candidates if _implements(methods, iface)),
                             key=lambda i: (not i.name[:1].isupper(), i.import_path, i.name))
        if implemented:
            found.append(_implementation(row, implemented))
            continue
        called = next((p for p in protocols if p.met_by(methods)), None)
        if called is not None:
            found.append(_protocol_broken(row, called))
    return found


def _overrides(rows: list[dict[str, Any]], lazy: _LazyIndex,
               outside: _Outside) -> list[Conflict]:
    """One error per renamed method of a struct of the roots that embeds a type outside them
    having a method of that name (``statusWriter.WriteHeader`` beside the embedded
    ``http.ResponseWriter``'s): the method overrides the one the embedded type promotes, and
    renamed, the struct still has a method of the old name, the embedded one's, which every
    call through an interface then reaches instead; nothing fails to build."""
    found = []
    for row in rows:
        label, path = row_value(row, "root"), row_value(row, "path")
        old, new = row_value(row, "text"), row_value(row, "target")
        if not any(old in typ.methods and typ.keeps(old, new)
                   for import_path, folder in _imported_for(outside, label, path)
                   for typ in outside.types(import_path, folder)):
            continue  # (no package the folder imports has a type with that method)
        index = lazy.get()
        pkg = index.package_of(label, path)
        owner = row_value(row, "owner").lstrip("*").split("[", 1)[0]
        typ = index.named_type(pkg.key, owner) if pkg is not None and owner else None
        if typ is None or typ.kind != "struct":
            continue
        where = (lazy.roots[label] / path).parent
        for ref in typ.embeds:
            imported = typ.file.imports.get(ref.qualifier) if ref.qualifier else None
            folder = outside.lookup.folder_from(where, imported[0]) if imported else None
            if folder is None or outside.lookup.in_roots(folder):
                continue
            promoted = outside.type(imported[0], folder, ref.name)
            if promoted is not None and old in promoted.methods and promoted.keeps(old, new):
                found.append(Conflict(
                    KIND, ERROR,
                    f"{owner}.{old} at {_where(row)} overrides the method {old} that the "
                    f"{ref.qualifier}.{ref.name} it embeds ({promoted.import_path}, at "
                    f"{promoted.place}) promotes; renamed to {new}, {owner} still has a method "
                    f"{old}, the embedded one's, and a call through an interface (such as "
                    f"{promoted}) reaches that one instead, and the build does not say so: "
                    "keep the name (a [[rule]] or an [[override]])",
                    _path(row), int(row["line"]), promoted.place, [row_value(row, "id")]))
                break
    return found


@dataclass(frozen=True)
class Protocol:
    """A method the standard library finds by name, through the predeclared ``error`` or an
    interface written where it is asserted (``errors.Is`` asserts ``interface{ Is(error) bool
    }``), on a value of any type: no interface of an imported package names it, so
    :func:`_implementations` would not see it. ``of_errors``: asked of errors only (a type
    with ``Error() string``)."""

    method: Member  # its name and numbers of parameters and results
    what: str  # what the method is, for a message
    effect: str  # what a rename does, with {owner}
    of_errors: bool = False
    # the package that looks it up: in the roots (Go's own tree), its lookups are renamed too
    home: str = ""
    # the package of its parameters' types (fmt.State, http.ResponseWriter): a method of that
    # name in a file that does not import it has other parameters, and is no such method
    takes_from: str = ""

    def met_by(self, methods: Mapping[str, Member]) -> bool:
        """Whether a method set (by old name) has this method, and Error() when asked of
        errors."""
        return _has_all(methods, {self.method.name: self.method}) and (
            not self.of_errors or _has_all(methods, {"Error": _ERROR_METHOD}))


def _protocol(name: str, params: int, results: int, what: str, effect: str,
              of_errors: bool = False, home: str = "", takes_from: str = "") -> Protocol:
    return Protocol(Member(name, "method", Place("", "", 0, 0), params, results), what, effect,
                    of_errors, home, takes_from)


def _looked_up(by: str, verb: str = "looks") -> str:
    return f"the method {by} {verb} up by its name, on a value of any type"


_SILENT = "and the build does not say so"
PROTOCOLS = (
    _protocol("Error", 0, 1, "the one method of the predeclared interface error",
              "{owner} is no longer an error: a use of it as one no longer compiles, and one "
              "held as any (a type switch, errors.As) stops matching"),
    _protocol("Unwrap", 0, 1, _looked_up("errors.Is, errors.As and errors.Unwrap", "look"),
              "they stop at {owner} instead of walking on to the error it wraps (errors.Is on "
              f"an error it wraps turns false), {_SILENT}", of_errors=True, home="errors"),
    _protocol("Is", 1, 1, _looked_up("errors.Is"),
              f"errors.Is no longer asks {{owner}} whether it matches a target, {_SILENT}",
              of_errors=True, home="errors"),
    _protocol("As", 1, 1, _looked_up("errors.As"),
              f"errors.As no longer asks {{owner}} to convert itself to a target, {_SILENT}",
              of_errors=True, home="errors"),
    _protocol("Timeout", 0, 1, _looked_up("os.IsTimeout, net and net/http", "look"),
              f"a timeout that {{owner}} reports is no longer seen as one, {_SILENT}",
              of_errors=True, home="os"),
    _protocol("Temporary", 0, 1, _looked_up("net and net/http", "look"),
              f"a temporary {{owner}} is no longer seen as one, {_SILENT}", of_errors=True,
              home="net"),
    _protocol("String", 0, 1, _looked_up("fmt (fmt.Stringer: %v, %s, Println, every logger "
                                         "that formats with fmt)"),
              f"fmt prints the fields of a {{owner}} instead, {_SILENT}", home="fmt"),
    _protocol("GoString", 0, 1, _looked_up("fmt (fmt.GoStringer: %#v)"),
              f"fmt's %#v prints a {{owner}} as Go syntax of its own, {_SILENT}", home="fmt"),
    _protocol("Format", 2, 0, _looked_up("fmt (fmt.Formatter)"),
              f"fmt formats a {{owner}} by its verbs again, {_SILENT}", home="fmt",
              takes_from="fmt"),
    _protocol("MarshalJSON", 0, 2, _looked_up("encoding/json (json.Marshaler)"),
              f"encoding/json writes the fields of a {{owner}} instead, {_SILENT}",
              home="encoding/json"),
    _protocol("UnmarshalJSON", 1, 1, _looked_up("encoding/json (json.Unmarshaler)"),
              f"encoding/json reads a {{owner}} field by field instead, {_SILENT}",
              home="encoding/json"),
    _protocol("MarshalText", 0, 2, _looked_up("encoding/json, encoding/xml, flag and others "
                                              "(encoding.TextMarshaler)"),
              f"they write a {{owner}} otherwise (or refuse it, as a map key), {_SILENT}",
              home="encoding"),
    _protocol("UnmarshalText", 1, 1, _looked_up("encoding/json, encoding/xml, flag and others "
                                                "(encoding.TextUnmarshaler)"),
              f"they read a {{owner}} otherwise (or refuse it), {_SILENT}", home="encoding"),
    _protocol("ServeHTTP", 2, 0, "the one method of the interface http.Handler (net/http)",
              "{owner} is no longer an http.Handler: a use of it as one no longer compiles",
              home="net/http", takes_from="net/http"),
)


def _paths_imported(roots: Mapping[str, Path], label: str, path: str) -> set[str]:
    """The import paths of a file of the roots (none when it cannot be read)."""
    try:
        return imported_paths((Path(roots[label]) / path).read_bytes())
    except (OSError, KeyError):
        return set()


def _protocol_broken(row: Mapping[str, Any], protocol: Protocol) -> Conflict:
    old, new = row_value(row, "text"), row_value(row, "target")
    owner = row_value(row, "owner").lstrip("*").split("[", 1)[0]
    return Conflict(
        KIND, ERROR,
        f"{owner}.{old} at {_where(row)} is {protocol.what}; renamed to {new}, "
        + protocol.effect.format(owner=owner)
        + ": keep the name (a [[rule]] or an [[override]])",
        _path(row), int(row["line"]), "", [row_value(row, "id")],
    )


def _imported_for(outside: _Outside, label: str, path: str) -> list[tuple[str, Path]]:
    """The packages outside the roots whose types a declaration of the roots meets: those its
    folder imports, in its non-test files only unless the declaration is in a test file (an
    interface only a test imports reaches the package's types in that test, which says so)."""
    return outside.imported(label, _folder(path), tests=path.endswith("_test.go"))


def _methods(typ: Outside) -> dict[str, Member]:
    """The methods of an outside type (a struct's fields left out)."""
    return {name: m for name, m in typ.methods.items() if m.kind == "method"}


def _exported(name: str) -> bool:
    return name[:1].isupper()


def _exported_methods(methods: Mapping[str, Member]) -> bool:
    """Whether every method of a method set is exported: an unexported method name belongs to
    its package, so only the types of that package can have it (a type of the roots never has
    an outside interface's unexported method, nor an outside type a roots interface's)."""
    return all(_exported(name) for name in methods)


def _receiver_methods(index: SymbolIndex, row: Mapping[str, Any]) -> dict[str, Member] | None:
    """The methods of a renamed method's receiver type (by old name), or None when the type is
    not found or its method set is not known whole."""
    found = _receiver_method_set(index, row)
    return found[0] if found is not None and found[1] else None


def _receiver_method_set(index: SymbolIndex, row: Mapping[str, Any]
                         ) -> tuple[dict[str, Member], bool] | None:
    """The methods of a method's receiver type (by name), and whether they are all known (none
    is promoted from an embedded type not found); None when the type is not found."""
    pkg = index.package_of(row_value(row, "root"), row_value(row, "path"))
    owner = row_value(row, "owner").lstrip("*").split("[", 1)[0]
    typ = index.named_type(pkg.key, owner) if pkg is not None and owner else None
    if typ is None:
        return None
    methods, complete = index.method_set(typ)
    return {name: p.member for name, p in methods.items()}, complete


def _implements(methods: Mapping[str, Member], iface: Outside) -> bool:
    return _has_all(methods, iface.methods)


def _has_all(methods: Mapping[str, Member], wanted: Mapping[str, Member]) -> bool:
    """Whether ``methods`` has every method of ``wanted``, by name and by numbers of parameters
    and results."""
    for name, want in wanted.items():
        got = methods.get(name)
        if got is None or got.shape != want.shape or got.variadic != want.variadic:
            return False
    return True


# -- interfaces of the roots that types outside them implement --------------------------------
def _implemented_outside(rows: list[dict[str, Any]], lazy: _LazyIndex,
                         outside: _Outside) -> list[Conflict]:
    """One finding per renamed interface method whose interface (its method set known whole)
    types outside the roots implement, with the old name: an error for an anonymous or unexported
    interface (``case interface{ Obj() *types.TypeName }:``, ``type poser interface{ Pos()
    syntax.Pos }`` are written for such types), a warning for an exported one (other packages
    may implement it with types of their own: whether values of those types reach it, the
    syntax does not tell). Only the types of the packages that the interface's folder imports
    are looked at (its non-test files', for an interface of a non-test file)."""
    return [_implemented(row, iface, implementing)
            for row, iface, implementing in interfaces_implemented_outside(rows, lazy, outside)]


def interfaces_implemented_outside(rows: list[dict[str, Any]], lazy: _LazyIndex,
                                   outside: _Outside
                                   ) -> Iterator[tuple[dict[str, Any], TypeInfo, list[Outside]]]:
    """(row, its interface, the types outside the roots that implement it) of each renamed
    interface method that :func:`_implemented_outside` reports."""
    for row in rows:
        label, path = row_value(row, "root"), row_value(row, "path")
        old, new = row_value(row, "text"), row_value(row, "target")
        if not _exported(old):
            continue  # (only a type of the interface's own package can have this method)
        candidates = [t for import_path, folder in _imported_for(outside, label, path)
                      for t in outside.types(import_path, folder) if t.keeps(old, new)]
        if not candidates:
            continue
        iface = _interface_of(lazy.get(), row)
        if iface is None:
            continue
        methods, complete = lazy.get().method_set(iface)
        wanted = {name: p.member for name, p in methods.items()}
        if not _exported_methods(wanted):
            continue
        implementing = [t for t in candidates if complete and _has_all(_methods(t), wanted)]
        if implementing:
            yield row, iface, implementing


def _interface_of(index: SymbolIndex, row: Mapping[str, Any]) -> TypeInfo | None:
    """The interface type (named or anonymous) that declares a renamed interface method."""
    pkg = index.package_of(row_value(row, "root"), row_value(row, "path"))
    if pkg is None:
        return None
    path, byte = row_value(row, "path"), int(row["start_byte"])
    for typ in pkg.all_types():
        if typ.kind == "interface" and any(m.place.path == path and m.place.byte == byte
                                           for m in typ.methods):
            return typ
    return None


def _implemented(row: Mapping[str, Any], iface: TypeInfo,
                 implementing: list[Outside]) -> Conflict:
    old, new = row_value(row, "text"), row_value(row, "target")
    named = bool(iface.name)
    desc = f"interface {iface.name}" if named else "an anonymous interface"
    names = ", ".join(f"{t} ({t.import_path}, at {t.where(old)})"
                      for t in implementing[:_LISTED])
    if len(implementing) > _LISTED:
        names += f" and {len(implementing) - _LISTED} more"
    many = len(implementing) > 1
    they, verb, keep = ("they", "implement", "keep") if many else ("it", "implements", "keeps")
    public = _exported(iface.name)  # other packages may implement it with types of their own
    when = "if values of those types reach it, " if public else ""
    return Conflict(
        KIND, WARNING if public else ERROR,
        f"the method {old} of {desc} at {_where(row)} is renamed to {new}, but {names}, "
        f"declared outside the roots in a package its folder imports, {verb} that interface "
        f"with the method {old}, which {they} {keep}: after the rename {they} no longer "
        f"{'implement' if many else 'implements'} it, and the build does not say so ({when}a "
        "type switch or assertion to the interface stops matching them): keep the name (a "
        "[[rule]] or an [[override]]), or rename the method where those types are declared too",
        _path(row), int(row["line"]), implementing[0].where(old), [row_value(row, "id")],
    )


def _implementation(row: Mapping[str, Any], implemented: list[Outside]) -> Conflict:
    old, new = row_value(row, "text"), row_value(row, "target")
    owner = row_value(row, "owner").lstrip("*")
    first = implemented[0]
    names = ", ".join(f"{i} ({i.import_path}, at {i.place})" for i in implemented[:_LISTED])
    if len(implemented) > _LISTED:
        names += f" and {len(implemented) - _LISTED} more"
    keep = "keep" if len(implemented) > 1 else "keeps"
    return Conflict(
        KIND, ERROR,
        f"{owner}.{old} at {_where(row)} implements {names}, declared outside the roots, which "
        f"{keep} the name {old}; renamed to {new}, {owner} no longer implements {first}, and the "
        f"build does not say so (a type assertion or errors.As on {first} stops seeing it): keep "
        "the name (a [[rule]] or an [[override]]), or rename the method where the interface is "
        "declared too",
        _path(row), int(row["line"]), first.place, [row_value(row, "id")],
    )


# -- calls -----------------------------------------------------------------------------------
def _calls(rows: list[dict[str, Any]], roots: Mapping[str, Path],
           outside: _Outside) -> list[Conflict]:
    """An error per renamed call or selector on a receiver typed as a type outside the roots
    that keeps the name; a warning per one on an untyped receiver in a file importing such a
    type (exported)."""
    found = []
    fields: dict[str, _Receivers] = {}
    for row in rows:
        receiver = _call_receiver(row, row_value(row, "target"), roots, outside, fields)
        if isinstance(receiver, Outside):
            found.append(_typed(row, receiver))
        elif receiver:
            found.append(_maybe(row, receiver))
    return found


def calls_on_outside_types(rows: Sequence[Mapping[str, Any]], roots: Mapping[str, Path] | None,
                           skip: Iterable[str], rename: Callable[[str], str],
                           goroot: Callable[[], Path | None] = toolchain_goroot,
                           cache: Any = False,
                           shared: OutsideTypes | None = None) -> dict[int, str]:
    """The method calls (by index in ``rows``) whose receiver their function types as a type
    outside the roots that keeps the name (``types.Named.Obj()`` on ``var n *types.Named``,
    when the roots declare a method ``Obj`` of their own and rename it), each with the
    rationale of keeping it: the decisions keep them (``declared-outside``), as they keep a use
    of a name the roots do not declare (:mod:`idrename.outside`). Renamed, such a call would
    not compile. Only the calls whose name the roots declare and ``rename`` changes are asked
    about; the others are :mod:`idrename.outside`'s. ``roots`` None: nothing is looked up;
    ``shared``: kept for the checks of the same plan (see :class:`OutsideTypes`)."""
    if not roots:
        return {}
    candidates = [i for i, row in enumerate(rows) if _call_of_roots_name(row, roots, rename)]
    if not candidates:
        return {}
    texts = {row_value(rows[i], "text") for i in candidates}
    outside = (shared or OutsideTypes()).get(roots, skip, goroot(), cache, texts,
                                             {rename(t) for t in texts})
    fields: dict[str, _Receivers] = {}
    # which types of the roots declare a member of one of those names themselves: a receiver
    # of such a type calls its own member
    declares = declared_members(rows, _MEMBER_DECL_ROLES,
                                lambda row: row_value(row, "text") in texts)
    kept = {}
    for i in candidates:
        text = row_value(rows[i], "text")
        receiver = _call_receiver(rows[i], rename(text), roots, outside, fields, declares)
        if isinstance(receiver, Outside):
            kept[i] = CALL_RATIONALE.format(
                what=_use_word(rows[i]), type=receiver, path=receiver.import_path,
                kind=receiver.methods[text].kind, name=text, where=receiver.where(text))
    if shared is None:
        outside.lookup.save()  # (else the checks save: a save keeps only what was read before)
    return kept


_MEMBER_DECL_ROLES = (R.METHOD_DECL, R.FIELD_DECL, R.INTERFACE_METHOD)
CALL_RATIONALE = ("the {what}'s receiver is a {type} ({path}), declared outside the roots, whose "
                  "{kind} {name} (at {where}) this plan does not edit: renamed here alone it "
                  "would not compile; rename it where it is declared, or widen the roots")
# The uses of a member whose receiver a function may type: ``v.Name()`` and ``v.Name``.
_USE_ROLES = (R.METHOD_CALL, R.SELECTOR)


def _use_word(row: Mapping[str, Any]) -> str:
    return "call" if row_value(row, "role") == R.METHOD_CALL else "selector"


def _spelled(row: Mapping[str, Any]) -> str:
    """How a message spells a use: ``.Name()`` for a call, ``.Name`` for a selector."""
    text = row_value(row, "text")
    return f".{text}()" if row_value(row, "role") == R.METHOD_CALL else f".{text}"


def _call_of_roots_name(row: Mapping[str, Any], roots: Mapping[str, Path],
                        rename: Callable[[str], str]) -> bool:
    """A hand-written Go method call or selector, with its place, whose name the roots declare
    and the rename changes."""
    if row.get("role") not in _USE_ROLES:  # (most rows: asked first)
        return False
    text = row_value(row, "text")
    return (row_flag(row, "declared_in_module")
            and not row_flag(row, "is_generated") and row_value(row, "language") in ("go", "")
            and row_value(row, "root") in roots and row.get("start_byte") is not None
            and rename(text) != text)


def _call_receiver(row: Mapping[str, Any], new: str, roots: Mapping[str, Path],
                   outside: _Outside, fields_by_root: dict[str, _Receivers],
                   declares: Members | None = None
                   ) -> Outside | list[Outside] | None:
    """For a call ``v.Old()`` or a selector ``v.Old`` renamed to ``new``, in a file that imports
    a package outside the roots with an exported type keeping ``Old`` (a method, or a struct's
    field, and declaring no ``new``): that type when the
    enclosing function types the receiver as it (see the module doc), else those types when
    the function does not type the receiver at all; None otherwise. A receiver that is a field
    (``f.elf.Progs`` with ``f *elfFile``) has the type its struct of the roots declares for it
    (``fields``: the files parsed and fields found so far, by root). With ``declares`` (the
    members the types of the roots declare themselves, as
    :func:`idrename.generatedmembers.declared_members` gives them), a
    receiver of a struct of the roots that does not declare ``Old`` itself has the member of
    the type outside the roots it embeds (``j.Old()`` with ``Job`` embedding ``*dep.Client``:
    see :meth:`_Receivers.promoted_owner`)."""
    label, path, old = row_value(row, "root"), row_value(row, "path"), row_value(row, "text")
    if not _exported(old):
        return None  # (another package's unexported method cannot be called here)
    imported = [t for t in outside.file_types(label, path).get(old, ()) if t.keeps(old, new)]
    if not imported and old not in outside.file_methods(label, path) and not any(
            t.keeps(old, new) for t in outside.folder_types(
                label, path.rpartition("/")[0], path.endswith("_test.go")).get(old, ())):
        # (no type of an imported package has it, and no package imported declares it: a
        # result of one of their functions, ``h := fnv.New32a()``, cannot have it either;
        # nor has a type another file of its package imports, which a field it declares
        # may give a receiver here: ``p.file.Comments`` with ``file *ast.File``; a test file's
        # only for a test)
        return None
    if label not in fields_by_root:
        fields_by_root[label] = _Receivers(label, roots[label], outside)
    receivers = fields_by_root[label]
    tree = receivers.fields.tree(path)
    receiver = (receiver_type(tree, int(row["start_byte"]),
                              lambda *asked: receivers.field(path, *asked),
                              lambda *asked: receivers.declared(path, *asked))
                if tree is not None else None)
    if receiver is not None and told_by_declarations(receiver[2]):
        # open().Name, v.M().Name, xs[i].Name: a result of a function or method, or an element
        # of one or of a named container type, whose type the declaration says, perhaps one
        # outside the roots (no declaration found: not told)
        receiver = receivers.declared(path, *receiver)
    if receiver is None or not receivers.imports(path, *receiver[:2]):
        return imported
    where, qualifier, name = receiver
    if receivers.package(path, where, qualifier) is None:
        # a type of the roots (its member may be one an embedded outside type promotes), or of
        # a package not found
        if declares is None:
            return None
        promoted = receivers.promoted_owner(path, where, qualifier, name, old, declares, 0)
        if promoted is _UNKNOWN:
            return imported
        return promoted if isinstance(promoted, Outside) and promoted.keeps(old, new) else None
    typ = receivers.member_owner(path, where, qualifier, name, old, 0)
    if typ is _UNKNOWN:
        return imported
    return typ if isinstance(typ, Outside) and typ.keeps(old, new) else None


_UNKNOWN = object()  # a member whose owner an embedded type not found may be


class _Receivers:
    """Where the types of the receivers of one root's files are: the fields of its structs
    (:class:`idrename.receivertypes.StructFields`), and of the structs outside the roots they
    lead to (``s.Name`` of a ``*syntax.ConstDecl``), each type name in the context of the file
    that writes it: a file of the root (relative to it) or outside (an absolute path)."""

    def __init__(self, label: str, root: Path, outside: _Outside) -> None:
        self.label = label
        self.root = root
        self.outside = outside
        self.fields = StructFields(root)
        self._outside_fields: dict[Path, StructFields] = {}
        self._package_of_file: dict[str, tuple[str, Path]] = {}  # outside file -> its package
        self._declared: dict[tuple[str, Path, str, bool, str, bool], Typed | None] = {}

    def package(self, user: str, where: str, qualifier: str) -> tuple[str, Path] | None:
        """(import path, folder) of the package outside the roots that a type name written in
        ``where`` ("": in ``user``) with ``qualifier`` belongs to; None for a package of the
        roots, or one not found."""
        if not os.path.isabs(where):
            found = (self.outside.lookup.package(self.label, where or user, qualifier)
                     if qualifier else None)
            return (found[0], found[1]) if found is not None and found[1] is not None else None
        if not qualifier:
            return self._package_of_file.get(where)
        return self.outside.package_named(Path(where), qualifier)

    def imports(self, user: str, where: str, qualifier: str) -> bool:
        """Whether a qualifier written in a file of the root (``where``, "": ``user``) is a
        package it imports: ``v.M(x)`` with ``v`` a package-level variable reads as a
        qualified call (a conversion ``pkg.T(x)``), whose qualifier is then no import."""
        return (not qualifier or os.path.isabs(where)
                or qualifier in self.outside.lookup.imports(self.label, where or user))

    def field(self, user: str, where: str, qualifier: str, struct: str, field: str
              ) -> Typed | None:
        """(the file declaring it, qualifier, type name) of a field of a struct: one of the
        root's (the folder of ``where``, or of ``user``, or the package of the root that
        ``qualifier`` names there), or of a package outside the roots; or one promoted from
        a struct it embeds (see :meth:`_promoted`: ``check.errpos``, with ``errpos`` a field
        of the ``environment`` that ``Checker`` embeds)."""
        found = self._own_field(user, where, qualifier, struct, field)
        if found is None:
            found = self._promoted(user, where, qualifier, struct, lambda w, q, e: (
                self._own_field(user, w, q, e, field)))
        return found

    def member_owner(self, user: str, where: str, qualifier: str, name: str, member: str,
                     depth: int) -> Outside | object | None:
        """The type outside the roots that declares ``member`` for a receiver of the type
        ``name`` of a package outside the roots (written in ``where`` with ``qualifier``): the
        type itself, else the one type it embeds (a struct's embedded fields, followed down)
        that has it (``n.Pos()`` on a ``*syntax.Name``, which embeds ``expr``, which embeds
        ``node``, which declares ``Pos``); None when neither has it; :data:`_UNKNOWN` when an
        embedded type is not found, or more than one has it (the shallower would win)."""
        package = self.package(user, where, qualifier)
        if package is None:
            return _UNKNOWN if depth else None
        typ = self.outside.resolve(*package, name)
        if typ is not None and member in typ.methods:
            return typ
        located = self._structs(user, where, qualifier)
        embedded = (located[0].embedded_in(located[1], name, *located[3:])
                    if located is not None else None)
        if located is None or embedded is None or not embedded[1]:
            return None  # no struct, or one embedding nothing: no such member
        if depth >= _EMBEDDING_DEPTH:
            return _UNKNOWN
        declaring = self._in_context(embedded[0], located[2])
        found = []
        for inner_qualifier, inner in embedded[1]:
            owner = (self.member_owner(user, declaring, inner_qualifier, inner, member, depth + 1)
                     if _is_type_name(inner) else _UNKNOWN)
            if owner is _UNKNOWN:
                return _UNKNOWN
            if owner is not None:
                found.append(owner)
        return found[0] if len(found) == 1 else (_UNKNOWN if found else None)

    def promoted_owner(self, user: str, where: str, qualifier: str, name: str, member: str,
                       declares: Members, depth: int) -> Outside | object | None:
        """For a receiver of the struct ``name`` of the roots (written in ``where`` with
        ``qualifier``) that does not declare ``member`` itself: the type outside the roots,
        among those it embeds (followed down, through embedded structs of the roots too), that
        has it (:meth:`member_owner`); None when the struct declares it, is no struct of the
        roots, or embeds nothing that has it; :data:`_UNKNOWN` when an embedded type is not
        found, or more than one has it."""
        located = self._structs(user, where, qualifier)
        if located is None or located[2] is not None:
            return None  # not a type of the roots
        structs, folder, _package, clause, tests = located
        if (self.label, folder, name, member) in declares:
            return None
        embedded = structs.embedded_in(folder, name, clause, tests)
        if embedded is None or not embedded[1]:
            return None
        if depth >= _EMBEDDING_DEPTH:
            return _UNKNOWN
        found = []
        for inner_qualifier, inner in embedded[1]:
            if not _is_type_name(inner):
                return _UNKNOWN
            if self.package(user, embedded[0], inner_qualifier) is not None:
                owner = self.member_owner(user, embedded[0], inner_qualifier, inner, member,
                                          depth + 1)
            else:
                owner = self.promoted_owner(user, embedded[0], inner_qualifier, inner, member,
                                            declares, depth + 1)
            if owner is _UNKNOWN:
                return _UNKNOWN
            if owner is not None:
                found.append(owner)
        return found[0] if len(found) == 1 else (_UNKNOWN if found else None)

    def _own_field(self, user: str, where: str, qualifier: str, struct: str, field: str
                   ) -> Typed | None:
        """:meth:`field` among the fields the struct declares itself (a struct a file of the
        root names unqualified and its package does not declare: of a package it dot-imports,
        ``. "cmd/compile/internal/types2"`` in ``package types2_test``)."""
        located = self._structs(user, where, qualifier)
        if located is None:
            return None
        structs, folder, package, clause, tests = located
        found = structs.type_in(folder, struct, field, clause, tests)
        if found is None and not qualifier and not os.path.isabs(where):
            return next((typed for typed in (self._own_field(user, w, "", struct, field)
                                             for w in self._dot_imported(where or user))
                         if typed is not None), None)
        return (self._in_context(found[0], package), *found[1:]) if found is not None else None

    def _dot_imported(self, file: str) -> list[str]:
        """A file of each package a file of the root dot-imports (``import . "path"``), as a
        type name's context (see :meth:`_in_context`): its names are the file's own."""
        tree = self.fields.tree(file)
        found = []
        for spec in _dot_import_specs(tree.root_node) if tree is not None else ():
            path = spec.child_by_field_name("path")
            folder = self.outside.lookup.folder_from((self.root / file).parent,
                                                     path.text.decode().strip('"`'))
            files = _package_files(folder) if folder is not None else []
            if not files:
                continue
            if self.outside.lookup.in_roots(folder):
                relative = _relative(files[0], self.root)
                if relative is not None:
                    found.append(relative.as_posix())
                continue
            found.append(self._in_context(files[0].name, (path.text.decode().strip('"`'),
                                                          folder)))
        return found

    def _promoted(self, user: str, where: str, qualifier: str, struct: str,
                  member_of: Callable[[str, str, str], Typed | None]) -> Typed | None:
        """What ``member_of`` (where, qualifier, type name) finds for exactly one of the
        types a struct embeds: a member the struct does not declare is that of the embedded
        type that declares it itself (two at that depth would not compile; a deeper one would
        lose to a shallower one, which an embedded type not found may hide: not looked for)."""
        located = self._structs(user, where, qualifier)
        embedded = (located[0].embedded_in(located[1], struct, *located[3:])
                    if located is not None else None)
        if located is None or embedded is None:
            return None
        declaring = self._in_context(embedded[0], located[2])
        found = [typed for q, name in embedded[1]
                 if _is_type_name(name) and (typed := member_of(declaring, q, name)) is not None]
        return found[0] if len(found) == 1 else None

    def _structs(self, user: str, where: str, qualifier: str
                 ) -> tuple[StructFields, str, tuple[str, Path] | None, str, bool] | None:
        """(the struct reader, folder in it, package outside the roots or None for the root's,
        package clause ("": any), whether test files count) of the structs that a type name
        written in ``where`` ("": ``user``) with ``qualifier`` names: those of the file's own
        package (``package x_test`` apart from ``package x``), or of an imported package's
        non-test files."""
        if not os.path.isabs(where):
            file = where or user
            if not qualifier:
                return self.fields, _folder(file), None, self._clause(file), True
            folder = self._root_folder(file, qualifier)
            if folder is not None:
                return self.fields, folder, None, "", False
        package = self.package(user, where, qualifier)
        if package is None:
            return None
        if package[1] not in self._outside_fields:
            self._outside_fields[package[1]] = StructFields(package[1])
        return self._outside_fields[package[1]], "", package, "", False

    def _in_context(self, path: str, package: tuple[str, Path] | None) -> str:
        """A file a struct reader found, as a type name's context: relative to the root for the
        root's, absolute (its package noted) for a file outside the roots."""
        if package is None:
            return path
        declaring = str(package[1] / path)
        self._package_of_file[declaring] = package
        return declaring

    def _root_folder(self, user: str, qualifier: str) -> str | None:
        """The folder (relative to the root) of the package of this root that a file of the
        root names ``qualifier``; None for one outside the roots, or not found."""
        found = self.outside.lookup.imported_folder(self.label, user, qualifier)
        if found is None or not self.outside.lookup.in_roots(found[1]):
            return None
        relative = _relative(found[1], self.root)
        return relative.as_posix() if relative is not None and relative.parts else (
            "" if relative is not None else None)

    def declared(self, user: str, where: str, qualifier: str, name: str) -> Typed | None:
        """(the file declaring it, qualifier, type name) of the type that the declaration of a
        result or an element (a name :func:`told_by_declarations` accepts: ``F()#0``,
        ``T.M()#1``, ``T[]``) written in ``where`` ("": in ``user``) with ``qualifier`` says,
        found among the files of that package, of this root or outside the roots; a method's
        result also when the method is promoted from a struct ``T`` embeds (:meth:`_promoted`),
        and a name ``T`` that a call ``T(x)`` gives is a function's result when the package
        declares a function ``T`` (a conversion and a call are written alike). None when no
        declaration says it (a package not found, a result of no named type): not told."""
        return self._declared_as(user, where, qualifier, name, True)

    def _declared_as(self, user: str, where: str, qualifier: str, name: str,
                     promoted: bool) -> Typed | None:
        """:meth:`declared`, methods promoted from embedded structs looked for or not."""
        package = self._declaring_package(user, where, qualifier)
        if package is None:
            return None
        key = (*package, name, promoted)
        if key not in self._declared:
            self._declared[key] = None  # (a struct embedding itself through pointers)
            found, typed = self._search(*package, name)
            if not found:
                typed = self._undeclared(user, where, qualifier, name, promoted)
            self._declared[key] = typed
        return self._declared[key]

    def _undeclared(self, user: str, where: str, qualifier: str, name: str,
                    promoted: bool) -> Typed | None:
        """:meth:`declared` of a name no declaration of its package says: ``T.M()#i`` with
        ``M`` promoted from an embedded struct, ``T[]`` or ``T.M()#i`` with ``T`` a function
        (``v := T(x)``: its result's type)."""
        base, rest = _named_base(name)
        if not base:
            return None
        if self._declares_function(user, where, qualifier, base):
            if rest == ELEMENT_OF:  # (an element of the result: F()#0[])
                return self.declared(user, where, qualifier, result_of(base, 0) + rest)
            result = self.declared(user, where, qualifier, result_of(base, 0))
            return (self.declared(user, result[0], result[1], result[2] + rest)
                    if result is not None else None)
        method = rest[1:].partition("()#")[0] if rest.startswith(".") else ""
        if not promoted or not method or self.field(user, where, qualifier, base, method):
            return None  # (a field of a func type is called as a method is)
        return self._promoted(user, where, qualifier, base, lambda w, q, e: self._declared_as(
            user, w, q, f"{e}{rest}", False))

    def _declares_function(self, user: str, where: str, qualifier: str, name: str) -> bool:
        """Whether the package a name written in ``where`` names declares a package-level
        function ``name``."""
        package = self._declaring_package(user, where, qualifier)
        if package is None:
            return False
        function = re.compile(rb"(?m)^func\s+" + re.escape(name.encode()) + rb"\s*[(\[]")
        return any(function.search(data) is not None for data in self._files(*package))

    def _declaring_package(self, user: str, where: str, qualifier: str
                           ) -> tuple[str, Path, str, bool] | None:
        """(import path, "" for the root's; folder; package clause, "" for any; whether its
        test files count) of the package that a name written in ``where`` ("": ``user``) with
        ``qualifier`` is declared in. A file of the root's own package sees the functions of
        its package's test files when it is one (``package x_test`` apart from ``package
        x``)."""
        if os.path.isabs(where):
            found = (self.outside.package_named(Path(where), qualifier) if qualifier
                     else self._package_of_file.get(where))
            return (*found, "", False) if found is not None else None
        file = where or user
        if not qualifier:
            return "", (self.root / file).parent, self._clause(file), file.endswith("_test.go")
        folder = self._root_folder(file, qualifier)
        if folder is not None:
            return "", self.root / folder, "", False
        found = self.package(user, where, qualifier)
        return (*found, "", False) if found is not None else None

    def _clause(self, file: str) -> str:
        """The package name a file of the root declares ("" when it is not read)."""
        tree = self.fields.tree(file)
        clause = next((c for c in tree.root_node.named_children if c.type == "package_clause"),
                      None) if tree is not None else None
        name = clause.named_children[0] if clause is not None and clause.named_children else None
        return name.text.decode() if name is not None else ""

    def _search(self, import_path: str, folder: Path, clause: str, tests: bool,
                 name: str) -> tuple[bool, Typed | None]:
        """(whether a file of the package declares ``name``, what the first one says of its
        type: see :meth:`declared`)."""
        for path in _package_files(folder, tests):
            data = self._file(path, clause)
            found = declared_type(data, name) if data is not None else None
            if found is not None:
                return True, (self._written_in(path, import_path, folder, *found) if found[1]
                              else None)
        return False, None

    def _files(self, import_path: str, folder: Path, clause: str, tests: bool
               ) -> Iterator[bytes]:
        """The bytes of the files of a package (see :meth:`_declaring_package`)."""
        for path in _package_files(folder, tests):
            data = self._file(path, clause)
            if data is not None:
                yield data

    def _file(self, path: Path, clause: str) -> bytes | None:
        """A file's bytes, None when unreadable or of another package than ``clause`` ("":
        any)."""
        try:
            data = path.read_bytes()
        except OSError:
            return None
        return data if not clause or package_clause(data) == clause else None

    def _written_in(self, path: Path, import_path: str, folder: Path, qualifier: str,
                    name: str) -> Typed | None:
        """A type name as written in a file: relative to the root for a file of this root,
        absolute (its package noted) for one outside the roots; None for another root's."""
        if not import_path:
            relative = _relative(path, self.root)
            return (relative.as_posix(), qualifier, name) if relative is not None else None
        if self.outside.lookup.in_roots(folder):
            return None
        self._package_of_file[str(path)] = (import_path, folder)
        return str(path), qualifier, name


def _dot_import_specs(root: Any) -> Iterator[Any]:
    """The ``import . "path"`` specs of a parsed Go file."""
    for decl in root.named_children:
        if decl.type != "import_declaration":
            continue
        for spec in decl.named_children:
            specs = spec.named_children if spec.type == "import_spec_list" else [spec]
            yield from (s for s in specs if s.type == "import_spec"
                        and s.child_by_field_name("name") is not None
                        and s.child_by_field_name("name").type == "dot")


_EMBEDDING_DEPTH = 4  # how deep a member is looked for through embedded types outside the roots


def _named_base(name: str) -> tuple[str, str]:
    """(``T``, the rest) of a name said of a named type ``T``: an element of it (``T[]``), a
    method's result (``T.M()#0``) or an element of one (``T.M()#0[]``); ("", name) for any
    other."""
    container = element_of_named(name)
    if container is not None:
        return container, name[len(container):]
    of = element_of_result(name)  # (T.M()#0[])
    function = function_result(of if of is not None else name)
    base, dot, _ = function[0].partition(".") if function is not None else ("", "", "")
    return (base, name[len(base):]) if dot and _is_type_name(base) else ("", name)


def _is_type_name(name: str) -> bool:
    """Whether a type name as :func:`idrename.receivertypes.receiver_type` gives it names a
    declared type (not a type literal's kind: ``struct_type``, ``generic_type``)."""
    return bool(name) and name.isidentifier() and not name.endswith("_type")


def _relative(path: Path, root: Path) -> Path | None:
    """``path`` relative to ``root`` (as given, or both resolved), None when outside it."""
    for inner, outer in ((path, root), (path.resolve(), root.resolve())):
        try:
            return inner.relative_to(outer)
        except ValueError:
            continue
    return None


def _typed(row: Mapping[str, Any], typ: Outside) -> Conflict:
    old, new = row_value(row, "text"), row_value(row, "target")
    return Conflict(
        KIND if typ.interface else METHOD_KIND, ERROR,
        f"the {_use_word(row)} {_spelled(row)} at {_where(row)}{_in(row)} is of {typ}.{old} "
        f"({typ.import_path}, at {typ.where(old)}), declared outside the roots, which keeps the "
        f"name: renamed to {new}, it does not compile; keep this {_use_word(row)} (an "
        "[[override]] of its id, or a [[rule]])",
        _path(row), int(row["line"]), typ.where(old), [row_value(row, "id")],
    )


def _maybe(row: Mapping[str, Any], imported: list[Outside]) -> Conflict:
    old, new = row_value(row, "text"), row_value(row, "target")
    names = ", ".join(f"{i}.{old}" for i in imported[:_LISTED])
    if len(imported) > _LISTED:
        names += f" and {len(imported) - _LISTED} more"
    return Conflict(
        METHOD_KIND, WARNING,
        f"the {_use_word(row)} {_spelled(row)} at {_where(row)}{_in(row)} may be of {names}, "
        "declared outside the roots in a package this file imports, which keeps the name (the "
        f"syntax does not tell the receiver's type): if it is, renamed to {new} it does not "
        f"compile; `idrename verify` builds it: keep this {_use_word(row)} if so (an "
        "[[override]] of its id)",
        _path(row), int(row["line"]), imported[0].where(old), [row_value(row, "id")],
    )


def _in(row: Mapping[str, Any]) -> str:
    symbol = row_value(row, "symbol")
    return f" in {symbol}" if symbol else ""


def _folder(path: str) -> str:
    return path.rpartition("/")[0]


def _where(row: Mapping[str, Any]) -> str:
    return f"{_path(row)}:{int(row['line'])}"


def _path(row: Mapping[str, Any]) -> str:
    return f"{row_value(row, 'root')}/{row_value(row, 'path')}"
