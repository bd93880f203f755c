"""Uses of names declared outside the roots: ``objabi.R_ADDR``, ``net.Dialer{KeepAlive: d}``,
``sym.WriteAddr(...)`` on a type of another package.

The patch edits the roots only, so it cannot rename what another package declares: a use of
such a name, renamed alone, no longer compiles. The inventory marks the uses whose name the
roots do not declare as what the use can name (``declared_in_module`` False; see
:func:`idrename.inventory._declared_in_module`); :func:`declared_outside` says which of them
the decisions keep, and why.

Such a use is kept unless the package it comes from is found on disk and already declares the
new name and not the old one: then the rename follows a library that moved first (the seed's
geppetto, whose ``EventMetadata`` has ``SessionID`` and no ``RunID`` any more). A package is
found through the file's imports and the ``go.mod`` above the root: the module's own packages,
its ``vendor`` folder, a ``replace`` by a local folder, and, in Go's own tree (module ``std``
or ``cmd``), the standard library beside it (and, in a lookup given a toolchain's GOROOT, as
:mod:`idrename.outsideiface` makes one, the standard library there; :func:`declared_outside`
does not look there). A qualified use (``pkg.Name``, ``*pkg.T``, ``pkg.T{Name: v}``) is looked
up in its package; a member use on a value (``x.Name``), whose type the syntax does not tell,
in every package outside the roots the file imports. Declarations are found by text (syntax
only, as :mod:`idrename.skipped` does), in the package's non-test files. A key of an anonymous
struct's literal (``[]struct{ d time.Duration }{{d: 1}}``) names a field of the roots, whatever
the struct's field types are.

Where the go command looks (``GOPATH``, ``GOMODCACHE``, ``GO111MODULE``, ``-mod`` in
``GOFLAGS``) is read as it reads it (:func:`go_env`): the environment, else the file ``go env
-w`` writes, else Go's default.
"""

from __future__ import annotations

import os
import re
import stat
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from . import roles as R
from .gosyntax import default_import_name, literal_qualifier
from .policy import row_flag, row_value

DECIDED_BY = "declared-outside"
QUALIFIED_RATIONALE = ("declared outside the roots, in package {package}, which this plan does "
                       "not edit: renamed here alone it would not compile; rename it where it is "
                       "declared, or widen the roots")
MEMBER_RATIONALE = ("the roots declare no field or method {name}: it belongs to a type declared "
                    "outside them, which this plan does not edit; rename it where it is "
                    "declared, or widen the roots")
MEMBER_FOUND_RATIONALE = ("the roots declare no field or method {name}; package {package}, "
                          "imported here, does, and this plan does not edit it: renamed here "
                          "alone it would not compile; rename it where it is declared, or widen "
                          "the roots")
# The uses that name something another package can declare, and what each names there.
_MEMBER, _PACKAGE_LEVEL = "member", "package"
# The uses whose ``detail`` holds their package qualifier, when they have one.
_QUALIFIED_USES = frozenset({R.FUNC_CALL, R.PACKAGE_USE, R.TYPE_USE})
USE_ROLES = R.MEMBER_USE_ROLES | _QUALIFIED_USES
_NOT_A_QUALIFIER = frozenset({"", "import", "conversion", R.PACKAGE_CLAUSE})

# A Go file's header, token by token (see _import_specs): white space, comments and semicolons;
# the package clause; the keyword import; an import spec (its name, then its path, interpreted or
# raw).
_GAP = re.compile(rb"(?:\s|;|//[^\n]*|/\*.*?\*/)*", re.DOTALL)
_PACKAGE_CLAUSE = re.compile(rb"package(?![\w\x80-\xff])(?:\s|/\*.*?\*/)*[\w\x80-\xff]+", re.DOTALL)
_IMPORT_KEYWORD = re.compile(rb"import(?![\w\x80-\xff])")
_SPEC_NAME = re.compile(rb"(?:[\w\x80-\xff]+|\.)(?:\s|/\*.*?\*/)*", re.DOTALL)
_SPEC_PATH = re.compile(rb'"((?:[^"\\\n]|\\.)*)"|`([^`]*)`')
_MODULE = re.compile(r"(?m)^\s*module\s+\"?([^\s\"]+)\"?")
_OPERAND = re.compile(rb"(?<![\w.])([A-Za-z_]\w*)\s*\.\s*$")  # the `X.` before a member use
_CLAUSE_NAME = re.compile(rb"(?m)^package\s+(\w+)")
_REPLACE = re.compile(r"(?m)^\s*(?:replace\s+)?([^\s()]+)(?:\s+v[^\s=]+)?\s*=>\s*(\S+)")


def declared_outside(rows: Sequence[Mapping[str, Any]], roots: Mapping[str, Path] | None,
                     skip: Iterable[str], rename: Callable[[str], str]) -> dict[int, str]:
    """The rows (by index) that use a name declared outside the roots and not already renamed
    there (see the module's docstring), each with the rationale of keeping it. ``roots`` maps
    the rows' root labels to their folders (None: unknown, so no package is looked up and every
    such use is kept); ``skip`` the folder names the inventory skipped (``vendor``), which count
    as outside; ``rename`` gives a name's new spelling."""
    lookup = _Lookup(dict(roots or {}), frozenset(skip))
    kept: dict[int, str] = {}
    for i, row in enumerate(rows):
        use = _use(row)
        if use is None:
            continue
        qualifier, kind = use
        text = row_value(row, "text")
        if qualifier:
            found = lookup.package(row_value(row, "root"), row_value(row, "path"), qualifier)
            if found is None:
                continue  # a package of the roots
            import_path, folder = found
            if folder is None or not lookup.renamed_in([folder], text, rename(text), kind):
                kept[i] = QUALIFIED_RATIONALE.format(package=import_path)
        else:
            imported = lookup.imported_outside(row_value(row, "root"), row_value(row, "path"))
            if not lookup.renamed_in([folder for _, folder in imported], text, rename(text), kind):
                if lookup.clause_bound(row):
                    continue  # a package of the roots, named by its clause: its own name
                kept[i] = _member_rationale(lookup, imported, text)
    return kept


def _member_rationale(lookup: _Lookup, imported: Sequence[tuple[str, Path]], name: str) -> str:
    """Why a member use is kept, naming the imported packages that declare the name, if any."""
    declaring = [path for path, folder in imported if lookup.declares(folder, name, _MEMBER)]
    if declaring:
        return MEMBER_FOUND_RATIONALE.format(name=name, package=" or ".join(declaring))
    return MEMBER_RATIONALE.format(name=name)


def _use(row: Mapping[str, Any]) -> tuple[str, str] | None:
    """(the package qualifier, or "" for a member use on a value; what it names) of a Go use
    whose name the roots do not declare, or None for any other row."""
    role = row_value(row, "role")
    if (role not in USE_ROLES or "declared_in_module" not in row
            or row_flag(row, "declared_in_module") or row_value(row, "language") not in ("go", "")):
        return None
    if role in _QUALIFIED_USES:
        detail = row_value(row, "detail")
        return None if detail in _NOT_A_QUALIFIER else (detail, _PACKAGE_LEVEL)
    if role == R.COMPOSITE_KEY:
        qualifier = literal_qualifier(row_value(row, "owner"))
        if qualifier:
            return qualifier, _MEMBER
    return "", _MEMBER


@dataclass
class _Module:
    """A ``go.mod``: its folder, module path, replacements by local folders, the modules it
    requires (path -> version) and replacements by other modules (path -> (path, version))."""

    folder: Path
    path: str
    replaced: dict[str, Path] = field(default_factory=dict)
    required: dict[str, str] = field(default_factory=dict)
    replaced_by_module: dict[str, tuple[str, str]] = field(default_factory=dict)

    def package_folder(self, import_path: str, goroot: Path | None = None,
                       modcache: Path | None = None, *, vendor: bool = True) -> Path | None:
        """The folder of an imported package, when this module's tree, its vendor folder
        (unless not ``vendor``: ``-mod=mod``), a local replacement or the standard library
        holds it: in Go's own tree the one beside it, else ``goroot``'s ``src`` (when given);
        else, for a package of a module this one requires, its folder in the module cache
        ``modcache`` (when given), where ``go build`` downloaded it."""
        found = self._own_folder(import_path, goroot, vendor)
        if found is not None or modcache is None:
            return found
        owners = [m for m in self.required
                  if import_path == m or import_path.startswith(m + "/")]
        if not owners:
            return None
        module = max(owners, key=len)
        target, version = self.replaced_by_module.get(module, (module, self.required[module]))
        sub = import_path[len(module):].lstrip("/")
        return modcache / f"{_escape_path(target)}@{_escape_path(version)}" / sub

    def _own_folder(self, import_path: str, goroot: Path | None, vendor: bool) -> Path | None:
        vendored = self.folder / "vendor" / import_path
        if vendor and vendored.is_dir():
            return vendored
        for prefix, base in [(self.path, self.folder), *self.replaced.items()]:
            if import_path == prefix or import_path.startswith(prefix + "/"):
                return base / import_path[len(prefix):].lstrip("/")
        if self.path in ("std", "cmd") and _is_std(import_path):
            std = self.folder if self.path == "std" else self.folder.parent
            return std / import_path
        if goroot is not None and _is_std(import_path):
            return goroot / "src" / import_path
        return None


def _is_std(import_path: str) -> bool:
    """Whether an import path names a package of the standard library (no dot in its first
    element, as the go command decides)."""
    return "." not in import_path.split("/", 1)[0]


class _Lookup:
    """The files, modules and packages :func:`declared_outside` reads, each read once."""

    def __init__(self, roots: dict[str, Path], skip: frozenset[str],
                 goroot: Path | None = None, cache: Any = False) -> None:
        """``goroot``: a toolchain's GOROOT, where the standard library is found for a module
        outside Go's own tree (None: it is not looked for there); ``cache``: where each file's
        imports are kept between plans, by its ``stat`` signature (as
        :func:`idrename.cache.resolve` takes it; False: nowhere). Call :meth:`save` after."""
        self.roots = roots
        self.skip = skip
        self.goroot = goroot
        self.env = go_env()
        self.modcache, self.gopath = self.env.modcache, self.env.gopath
        self._cache = cache
        self._indexes: dict[str, Any] | None = None
        self._imports: dict[tuple[str, str], dict[str, str]] = {}
        self._modules: dict[Path, _Module | None] = {}
        self._sources: dict[Path, bytes] = {}
        self._outside: dict[tuple[str, str], list[tuple[str, Path]]] = {}
        # (root label, folder of a file of the roots, import path) -> the package's folder when
        # outside the roots, else None
        self._outside_folders: dict[tuple[str, str, str], Path | None] = {}
        # what folder_from and _in_roots found, by the folder asked about as given (resolving
        # a path costs system calls, and a plan asks about each package of each file)
        self._module_at: dict[Path, _Module | None] = {}
        self._package_folders: dict[tuple[int, str], Path | None] = {}
        self._within: dict[Path, bool] = {}
        self._vendor_chain: dict[Path, tuple[Path, ...]] = {}  # see _vendors_above
        self._vendored_folders: dict[tuple[tuple[Path, ...], str], Path | None] = {}
        # (root label, folder of a file of the roots, import path) -> the package's folder
        self._folders: dict[tuple[str, str, str], Path | None] = {}

    @cached_property
    def _resolved_roots(self) -> list[Path]:
        return [path.resolve() for path in self.roots.values()]

    def imports(self, label: str, rel: str) -> dict[str, str]:
        """The names a file of the roots binds to import paths ({} when it cannot be read)."""
        key = (label, rel)
        if key not in self._imports:
            self._imports[key] = self._read_imports(label, rel)
        return self._imports[key]

    def _read_imports(self, label: str, rel: str) -> dict[str, str]:
        root = self.roots.get(label)
        if root is None:
            return {}
        index = self._index(label)
        sig = None
        if index is not None:
            try:
                st = os.stat(root / rel, follow_symlinks=False)
            except OSError:
                return {}
            sig = index.signature(st) if stat.S_ISREG(st.st_mode) else None
            known, payload = index.unchanged(rel, sig)
            if known and _imports_payload(payload):
                return dict(payload)
        try:
            data = (root / rel).read_bytes()
        except OSError:
            return {}
        found = file_imports(data)
        if index is not None and sig is not None:
            index.put(rel, index.key(rel, data), tuple(sorted(found.items())), sig)
        return found

    def _index(self, label: str) -> Any:
        """The per-file imports cache of a root (None: no cache)."""
        if self._indexes is None:
            from .cache import named_indexes

            self._indexes = (named_indexes(self._cache, self.roots, "go-imports")
                             if self._cache is not False else {})
        return self._indexes.get(label)

    def save(self) -> None:
        """Write the imports read this time to the cache (when there is one)."""
        for index in (self._indexes or {}).values():
            index.save()

    def package(self, label: str, rel: str, qualifier: str) -> tuple[str, Path | None] | None:
        """(import path, folder or None when not found) of the package a file names
        ``qualifier``, or None when that package is in the roots. A qualifier the file does
        not import (the file could not be read) is reported by its name, folder unknown."""
        import_path = self.imports(label, rel).get(qualifier)
        if import_path is None:
            return qualifier, None
        folder = self._folder(label, rel, import_path)
        if folder is not None and self._in_roots(folder):
            return None
        return import_path, folder

    def imported_folder(self, label: str, rel: str, qualifier: str) -> tuple[str, Path] | None:
        """(import path, folder) of the package a file of the roots names ``qualifier``, in the
        roots or outside them; None when the file does not import it or it is not found."""
        import_path = self.imports(label, rel).get(qualifier)
        folder = self._folder(label, rel, import_path) if import_path is not None else None
        return (import_path, folder) if import_path is not None and folder is not None else None

    def imported_outside(self, label: str, rel: str) -> list[tuple[str, Path]]:
        """(import path, folder) of the packages outside the roots that a file imports and
        that are found."""
        key = (label, rel)
        if key not in self._outside:
            here = rel.rpartition("/")[0]
            found = []
            for path in sorted(set(self.imports(label, rel).values())):
                at = (label, here, path)
                if at not in self._outside_folders:  # (the files of a folder agree)
                    folder = self._folder(label, rel, path)
                    self._outside_folders[at] = (folder if folder is not None
                                                 and not self._in_roots(folder) else None)
                folder = self._outside_folders[at]
                if folder is not None:
                    found.append((path, folder))
            self._outside[key] = found
        return self._outside[key]

    def clause_bound(self, row: Mapping[str, Any]) -> bool:
        """Whether a member use ``X.Name`` (of a name the roots declare no member of) is a
        use of a package-level ``Name`` of a package of the roots that the file imports
        without an alias, its path ending otherwise than its package clause says (``import
        "github.com/tadasv/conditiond"`` binds ``condition``): ``X`` is that clause, and the
        file binds no import to it by its path."""
        label, rel = row_value(row, "root"), row_value(row, "path")
        root = self.roots.get(label)
        start = row.get("start_byte")
        if root is None or start is None:
            return False
        try:
            with open(root / rel, "rb") as f:  # (the operand is just before the name)
                f.seek(max(0, int(start) - 256))
                before = f.read(int(start) - f.tell())
        except OSError:
            return False
        m = _OPERAND.search(before)
        names = self.imports(label, rel)
        if m is None or m.group(1).decode("utf-8", "replace") in names:
            return False
        operand = m.group(1)
        for import_path in sorted(set(names.values())):
            folder = self._folder(label, rel, import_path)
            if folder is None or not self._in_roots(folder):
                continue
            source = self._source(folder)
            clause = _CLAUSE_NAME.search(source)
            if clause is not None and clause.group(1) == operand and \
                    _declares(source, row_value(row, "text"), _PACKAGE_LEVEL):
                return True
        return False

    def clause_import(self, label: str, rel: str, name: str) -> Path | None:
        """The folder of the package of the roots that a file of the roots imports without an
        alias and binds to ``name`` by its package clause, its import path ending otherwise
        (``import "github.com/msa-ali/todo-cli"`` binds ``todo``); None when no import of the
        file binds ``name`` so, or one binds it by its path's name or an alias."""
        names = self.imports(label, rel)
        if name in names:
            return None
        for key, import_path in sorted(names.items()):
            if key != default_import_name(import_path):
                continue  # (an alias binds its own name)
            folder = self._folder(label, rel, import_path)
            if folder is None or not self._in_roots(folder):
                continue
            clause = _CLAUSE_NAME.search(self._source(folder))
            if clause is not None and clause.group(1) == name.encode():
                return folder
        return None

    def declares(self, folder: Path, name: str, kind: str) -> bool:
        """Whether a package declares ``name`` (as ``kind``)."""
        return _declares(self._source(folder), name, kind)

    def renamed_in(self, folders: Sequence[Path], name: str, new: str, kind: str) -> bool:
        """Whether these packages declare ``new`` and none declares ``name`` (as ``kind``)."""
        if new == name:
            return False
        sources = [self._source(folder) for folder in folders]
        return (any(_declares(data, new, kind) for data in sources)
                and not any(_declares(data, name, kind) for data in sources))

    def _folder(self, label: str, rel: str, import_path: str) -> Path | None:
        """:meth:`folder_from` for a file of the roots, found once per folder of the roots
        (its files agree) and import path."""
        key = (label, rel.rpartition("/")[0], import_path)
        if key not in self._folders:
            root = self.roots.get(label)
            self._folders[key] = (self.folder_from((root / rel).parent, import_path)
                                  if root is not None else None)
        return self._folders[key]

    def folder_from(self, where: Path, import_path: str) -> Path | None:
        """The folder of the package a file in folder ``where`` (in the roots or not) imports
        as ``import_path``, through the ``go.mod`` above it; None when not found."""
        if where not in self._module_at:
            self._module_at[where] = self._module(where)
        module = self._module_at[where]
        key = (id(module), import_path)  # the modules live as long as this lookup
        if key not in self._package_folders:
            folder = (module.package_folder(import_path, self.goroot,
                                            None if self.env.mod == "vendor" else self.modcache,
                                            vendor=self.env.mod != "mod")
                      if module is not None else None)
            if folder is None and module is None and not _is_std(import_path):
                vendors = self._vendors_above(where)
                if vendors:  # GOPATH mode: the vendor folders above the file come first
                    return self._vendored(vendors, import_path)
            if folder is None and module is None:
                folder = self._gopath_folder(import_path)
            self._package_folders[key] = (folder if folder is not None and folder.is_dir()
                                          else None)
        return self._package_folders[key]

    def _vendors_above(self, where: Path) -> tuple[Path, ...]:
        """The ``vendor`` folders of ``where`` and of the folders above it, nearest first: where
        a package outside any module finds an import before GOPATH (GOPATH mode)."""
        if where not in self._vendor_chain:
            parent = where.parent
            above = self._vendors_above(parent) if parent != where else ()
            vendor = where / "vendor"
            self._vendor_chain[where] = (vendor, *above) if vendor.is_dir() else above
        return self._vendor_chain[where]

    def _vendored(self, vendors: tuple[Path, ...], import_path: str) -> Path | None:
        """The folder of an import in the nearest of ``vendors`` that holds it, else as
        :meth:`_gopath_folder` finds it."""
        key = (vendors, import_path)
        if key not in self._vendored_folders:
            found = next((v / import_path for v in vendors if (v / import_path).is_dir()), None)
            if found is None:
                found = self._gopath_folder(import_path)
            self._vendored_folders[key] = found if found is not None and found.is_dir() else None
        return self._vendored_folders[key]

    def _gopath_folder(self, import_path: str) -> Path | None:
        """Where a file outside any module finds an import: the standard library in GOROOT,
        else the first GOPATH entry whose ``src`` holds it."""
        if _is_std(import_path):
            return self.goroot / "src" / import_path if self.goroot is not None else None
        for entry in self.gopath:
            folder = entry / "src" / import_path
            if folder.is_dir():
                return folder
        return None

    def _module(self, folder: Path) -> _Module | None:
        """The module of the nearest ``go.mod`` at or above ``folder`` (the root's own may lie
        above the root); none with ``GO111MODULE=off``, which builds in GOPATH mode."""
        if self.env.modules == "off":
            return None
        folder = folder.resolve()
        if folder not in self._modules:
            go_mod = folder / "go.mod"
            if go_mod.is_file():
                self._modules[folder] = _read_module(go_mod)
            else:
                self._modules[folder] = (self._module(folder.parent)
                                         if folder.parent != folder else None)
        return self._modules[folder]

    def module_path(self, folder: Path) -> str:
        """The path of the module a folder is in ("" outside any, or in GOPATH mode)."""
        module = self._module(folder)
        return module.path if module is not None else ""

    def in_roots(self, folder: Path) -> bool:
        """Whether a package folder is one the plan edits (see :meth:`_in_roots`)."""
        return self._in_roots(folder)

    def imports_from_roots(self, label: str, rel: str, import_path: str) -> bool:
        """Whether the package a file of the roots would import as ``import_path`` is one the
        plan edits (``errors`` when the roots are Go's own tree)."""
        folder = self._folder(label, rel, import_path)
        return folder is not None and self._in_roots(folder)

    def imports_from_outside(self, label: str, rel: str, import_path: str) -> bool:
        """Whether the package a file of the roots imports as ``import_path`` is certainly not
        one the plan edits: found outside the roots (or in a folder the inventory skips), or
        not found and of the standard library, the file's module not being Go's own tree
        (``net/http`` for a package of the roots named ``http``). False when it is not found
        otherwise: where it is, is unknown."""
        folder = self._folder(label, rel, import_path)
        if folder is not None:
            return not self._in_roots(folder)
        root = self.roots.get(label)
        if root is None or not _is_std(import_path):
            return False
        module = self._module((root / rel).parent)
        return module is None or module.path not in ("std", "cmd")

    def _in_roots(self, folder: Path) -> bool:
        """Whether a package folder is one the plan edits: under a root, not under a folder the
        inventory skips."""
        if folder not in self._within:
            self._within[folder] = self._under_a_root(folder.resolve())
        return self._within[folder]

    def _under_a_root(self, folder: Path) -> bool:
        for root in self._resolved_roots:
            if folder == root or root in folder.parents:
                return not self.skip.intersection(folder.relative_to(root).parts)
        return False

    def _source(self, folder: Path) -> bytes:
        """A package's non-test Go files, joined."""
        folder = folder.resolve()
        if folder not in self._sources:
            parts = []
            for path in sorted(folder.glob("*.go")):
                if path.name.endswith("_test.go") or not path.is_file():
                    continue
                try:
                    parts.append(path.read_bytes())
                except OSError:
                    continue
            self._sources[folder] = b"\n".join(parts)
        return self._sources[folder]


# The lookup under a public name, for the checks that find packages as this module does
# (:mod:`idrename.outsideiface`).
Lookup = _Lookup


def folder_in_root(folder: Path, root: Path) -> str | None:
    """A package folder (as :meth:`Lookup.imported_folder` finds it) relative to a root, "" for
    the root itself; None when it is outside the root."""
    try:
        rel = folder.resolve().relative_to(Path(root).resolve()).as_posix()
    except ValueError:
        return None
    return "" if rel == "." else rel


def _imports_payload(payload: Any) -> bool:
    """Whether a cached payload has the shape :meth:`_Lookup._read_imports` stores: pairs of
    strings."""
    if not isinstance(payload, tuple):
        return False
    try:
        return all(type(name) is str and type(path) is str for name, path in payload)
    except (TypeError, ValueError):
        return False


def _import_specs(data: bytes) -> list[tuple[bytes | None, bytes]]:
    """(alias or None, path) of each import of a Go file, by text. Only the file's header is
    read: Go allows imports after the package clause and before any other declaration, so
    reading stops at the first other token (a line ``import "x"`` in a raw string further down,
    Go source a test holds, is not one; nor is a ``)`` in a comment the end of a block)."""
    specs: list[tuple[bytes | None, bytes]] = []
    pos = _GAP.match(data, 3 if data.startswith(b"\xef\xbb\xbf") else 0).end()
    clause = _PACKAGE_CLAUSE.match(data, pos)
    if clause is None:
        return specs
    pos = _GAP.match(data, clause.end()).end()
    while (keyword := _IMPORT_KEYWORD.match(data, pos)) is not None:
        pos = _GAP.match(data, keyword.end()).end()
        block = data[pos:pos + 1] == b"("
        if block:
            pos = _GAP.match(data, pos + 1).end()
        while not block or data[pos:pos + 1] != b")":
            spec = _spec_at(data, pos)
            if spec is None:
                return specs
            specs.append(spec[0])
            pos = _GAP.match(data, spec[1]).end()
            if not block:
                break
        else:
            pos = _GAP.match(data, pos + 1).end()  # past the block's ")"
    return specs


def _spec_at(data: bytes, pos: int) -> tuple[tuple[bytes | None, bytes], int] | None:
    """The import spec at ``pos`` ((alias or None, path), where it ends), or None when there is
    none there."""
    alias = None
    if (name := _SPEC_NAME.match(data, pos)) is not None:
        alias = name.group().rstrip()
        if alias.endswith(b"*/"):
            alias = alias[: alias.index(b"/*")].rstrip()
        pos = name.end()
    path = _SPEC_PATH.match(data, pos)
    if path is None:
        return None
    return (alias, path.group(1) if path.group(1) is not None else path.group(2)), path.end()


def import_specs_of(data: bytes) -> list[tuple[str, str]]:
    """(alias, or "" when there is none; path) of each import of a Go file, by text."""
    return [((alias or b"").decode("utf-8", "replace").strip(), raw.decode("utf-8", "replace"))
            for alias, raw in _import_specs(data)]


def import_paths(data: bytes) -> set[str]:
    """Every path a Go file imports, blank and dot imports included."""
    return {raw.decode("utf-8", "replace") for _alias, raw in _import_specs(data)}


def file_imports(data: bytes) -> dict[str, str]:
    """The names a Go file's imports bind, mapped to their import paths (an alias, else the
    path's last element, as :func:`idrename.gosyntax.default_import_name` gives it, and that in
    lower case, as a package is named in a folder such as `templateMaker`); blank and dot
    imports bind none."""
    out: dict[str, str] = {}
    lowered: list[tuple[str, str]] = []  # `package templatemaker` in `.../templateMaker`
    for alias, raw in _import_specs(data):
        path = raw.decode("utf-8", "replace")
        if alias:
            name = alias.decode("utf-8", "replace")
        else:
            name = _default_name(path)
            if not name.islower():
                lowered.append((name.lower(), path))
        if name not in ("_", "."):
            out.setdefault(name, path)
    for name, path in lowered:  # (after every name a spec binds)
        out.setdefault(name, path)
    return out


def imported_paths(data: bytes) -> set[str]:
    """Every path a Go file imports, blank and dot imports included."""
    return {raw.decode("utf-8", "replace") for _alias, raw in _import_specs(data)}


@lru_cache(maxsize=4096)
def _default_name(path: str) -> str:
    """:func:`idrename.gosyntax.default_import_name`, once per import path."""
    return default_import_name(path)


def members_declared(data: bytes, names: Iterable[str]) -> set[str]:
    """The names among ``names`` that Go source ``data`` declares as a method (``func (r T)
    Name(``), an interface method (``Name(`` at the start of a line) or a struct field (``Name
    T`` there). Syntax only: a line that starts with a call of that name counts too, which can
    only keep a name that the roots do not declare."""
    found = set()
    for name in names:
        n = re.escape(name.encode())
        if (re.search(rb"\bfunc\s*\([^)]*\)\s*" + n + rb"\s*[\[(]", data)
                or re.search(rb"(?m)^\s*" + n + rb"\(", data)
                or re.search(rb"(?m)^\s*" + n + rb"(?:\s*,\s*\w+)*\s+[\w*\[(.]", data)):
            found.add(name)
    return found


def _read_module(go_mod: Path) -> _Module | None:
    try:
        text = go_mod.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    found = _MODULE.search(text)
    if found is None:
        return None
    module = _Module(go_mod.parent, found.group(1))
    for old, new in _REPLACE.findall(text):
        if new.startswith(("./", "../", "/")):
            module.replaced[old] = (go_mod.parent / new).resolve()
    for verb, words in _directives(text):
        if verb == "require" and len(words) >= 2:
            module.required[words[0].strip('"')] = words[1]
        elif verb == "replace" and "=>" in words:
            target = words[words.index("=>") + 1:]
            if len(target) == 2 and not target[0].startswith(("./", "../", "/")):
                module.replaced_by_module[words[0].strip('"')] = (target[0].strip('"'), target[1])
    return module


def _directives(text: str) -> list[tuple[str, list[str]]]:
    """The directives of a ``go.mod`` as (verb, words), one per line, blocks (``require (``)
    unfolded and comments dropped."""
    out: list[tuple[str, list[str]]] = []
    block = ""
    for line in text.splitlines():
        words = line.split("//", 1)[0].split()
        if not words:
            continue
        if block:
            if words == [")"]:
                block = ""
            else:
                out.append((block, words))
        elif len(words) == 2 and words[1] == "(":
            block = words[0]
        else:
            out.append((words[0], words[1:]))
    return out


def _escape_path(path: str) -> str:
    """A module path or version as the module cache spells it: each capital letter as ``!``
    and the letter in lower case (``github.com/BurntSushi`` -> ``github.com/!burnt!sushi``)."""
    return "".join(f"!{c.lower()}" if "A" <= c <= "Z" else c for c in path)


@dataclass(frozen=True)
class GoEnv:
    """What the go command reads to find a package outside the roots, as ``go env`` says it:
    the module cache, the ``GOPATH`` entries (whose ``src`` a tree without a ``go.mod``
    imports from), ``GO111MODULE`` (``off``: ``go.mod`` files are ignored) and the ``-mod``
    flag of ``GOFLAGS`` (``vendor``: a module's packages come from its ``vendor`` folder only;
    ``mod``: that folder is ignored)."""

    modcache: Path | None
    gopath: list[Path]
    modules: str = ""
    mod: str = ""


def go_env(environ: Mapping[str, str] | None = None) -> GoEnv:
    """The settings of :class:`GoEnv` with the go command's precedence: a non-empty environment
    variable, else the ``go env -w`` file (``$GOENV``, by default ``go/env`` in the user's
    configuration folder; ``GOENV=off`` reads none), else Go's default (``GOPATH`` ``~/go``,
    the module cache in the first entry's ``pkg/mod``). Read without running ``go``, which
    would cost a process per plan."""
    environ = os.environ if environ is None else environ
    written = _go_env_file(environ)

    def get(key: str) -> str:
        return environ.get(key) or written.get(key, "")

    entries = [Path(p) for p in get("GOPATH").split(os.pathsep) if p]
    if not entries:
        home = _home(environ)
        entries = [home / "go"] if home is not None else []
    modcache = get("GOMODCACHE") or (str(entries[0] / "pkg" / "mod") if entries else "")
    return GoEnv(Path(modcache) if modcache else None, entries, get("GO111MODULE").lower(),
                 _mod_flag(get("GOFLAGS")))


def _go_env_file(environ: Mapping[str, str]) -> dict[str, str]:
    """The ``KEY=VALUE`` lines of the file ``go env -w`` writes (lines without ``=``, or not
    starting with a capital letter, are skipped, as the go command skips them)."""
    path = _go_env_path(environ)
    if path is None:
        return {}
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return {}
    out = {}
    for line in text.split("\n"):
        key, eq, value = line.rstrip("\r").partition("=")
        if eq and "A" <= key[:1] <= "Z":
            out[key] = value
    return out


def _go_env_path(environ: Mapping[str, str]) -> Path | None:
    """``$GOENV``, else ``go/env`` in the user's configuration folder as Go's
    ``os.UserConfigDir`` finds it; None for ``GOENV=off`` or no such folder."""
    file = environ.get("GOENV", "")
    if file:
        return None if file == "off" else Path(file)
    if sys.platform == "win32":
        base = environ.get("AppData", "")
        return Path(base) / "go" / "env" if base else None
    home = _home(environ)
    if sys.platform == "darwin":
        return home / "Library" / "Application Support" / "go" / "env" if home else None
    xdg = environ.get("XDG_CONFIG_HOME", "")
    if xdg:
        return Path(xdg) / "go" / "env" if os.path.isabs(xdg) else None
    return home / ".config" / "go" / "env" if home is not None else None


def _home(environ: Mapping[str, str]) -> Path | None:
    """The user's home folder (``$HOME``, else the password database's), None if none."""
    home = environ.get("HOME") or environ.get("USERPROFILE")
    if home:
        return Path(home)
    try:
        return Path.home()
    except RuntimeError:  # no home folder to find
        return None


def _mod_flag(goflags: str) -> str:
    """The value of the last ``-mod=`` (or ``--mod=``) flag in ``GOFLAGS``, else ""."""
    found = ""
    for flag in goflags.split():
        name, eq, value = flag.lstrip("-").partition("=")
        if name == "mod" and eq and flag.startswith("-"):
            found = value
    return found


def _declares(data: bytes, name: str, kind: str) -> bool:
    """Whether Go source declares ``name`` as a field or method (``kind`` member) or at package
    level (a func, or a var, const or type, alone or in a block). Syntax only: a line that
    starts with the name counts for both, which can only keep a use."""
    if kind == _MEMBER:
        return bool(members_declared(data, [name]))
    n = re.escape(name.encode())
    return bool(re.search(rb"(?m)^func\s+" + n + rb"\s*[\[(]", data)
                or re.search(rb"(?m)^(?:var|const|type)\s+" + n + rb"\b", data)
                or re.search(rb"(?m)^\s+" + n + rb"\b\s*(?:$|//|=|,|[\w*\[(.])", data))
