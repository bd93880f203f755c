"""A syntax-only symbol index of the Go packages under the roots, for the safety checks.

A *package* is the ``.go`` files of one directory that share a package clause (so ``x_test``
files form a package of their own). Per package the index holds:

- package-level names (func, var, const, type) and, per file, the import names;
- every struct type (named or anonymous) with its fields, embedded ones included;
- every interface type with its methods and embedded interfaces;
- the methods declared on each named type (name, parameter and result counts);
- every function, method and func literal as a :class:`Scope`: the names declared in it (with
  where each one's scope begins, when after the name) and every identifier used in it;
- every selector call ``x.M(...)`` with its argument count.

Nothing is type-checked. Embedded types are followed by name within the roots: ``E`` in the
same package, ``pkg.E`` through the file's imports (import paths come from the ``go.mod`` of the
module, with the package name as a fallback). Each file is parsed once, when first needed.

**Loading on demand.** With ``relevant`` (a :class:`Spelling`: the files of the inventory's
occurrences, and the new names), a folder's files are indexed only when they are relevant, and
the others only when a question names something they spell: the type ``E`` an
embedding refers to, the methods of ``T`` (every method declaration names its receiver type), the
types that embed ``T`` (:meth:`SymbolIndex.embedders`). A name a question asks about is always
spelled in the file that declares it, so the answers are those of the whole tree, at the cost of
parsing only the files that can matter. In ``detail`` files nothing is walked: every function is
a scope (found by a query), and only the identifiers at the relevant places (the occurrences, the
new names) are recorded in them, declared or used as their parents say; the checks ask scopes
about nothing else.

**Many files at once.** :meth:`SymbolIndex.preload` indexes a list of files in a process pool
(or the caller's executor), optionally in the background; each file's index can be kept in the
result cache (:mod:`idrename.indexcodec` writes it as plain tuples), keyed by its content, its
relevant places and the tool's version, so a second plan indexes nothing again.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from .batches import Batches
from .gosyntax import go_query, import_specs, is_generated, package_name, parse

Node = Any  # tree_sitter.Node

# Directories the go tool never builds, plus the usual vendored trees.
SKIP_DIRS = frozenset({"vendor", "testdata", "node_modules"})
_FUNC_NODES = frozenset({"function_declaration", "method_declaration", "func_literal"})
_PARAM_NODES = frozenset({"parameter_declaration", "variadic_parameter_declaration"})
_MODULE_RE = re.compile(r"^\s*module\s+\"?([^\s\"]+)\"?", re.MULTILINE)


class Place(NamedTuple):
    """Where a name is written: root label, path relative to the root, 1-based line, byte."""

    root: str
    path: str
    line: int
    byte: int

    def __str__(self) -> str:
        return f"{self.root}/{self.path}:{self.line}"

    @property
    def key(self) -> tuple[str, str, int]:
        """(root, path, start byte): how an inventory row is found."""
        return self.root, self.path, self.byte


@dataclass(frozen=True)
class TypeRef:
    """A type named in an embedding: ``E``, ``*E``, ``pkg.E`` or ``E[T]``."""

    qualifier: str
    name: str
    place: Place  # where the (unqualified) name is written

    def __str__(self) -> str:
        return f"{self.qualifier}.{self.name}" if self.qualifier else self.name


@dataclass(frozen=True)
class Member:
    """A field or a method (of a named type or an interface)."""

    name: str
    kind: str  # "field" or "method"
    place: Place
    params: int = 0
    results: int = 0
    variadic: bool = False
    embedded: TypeRef | None = None  # an embedded field: the type it embeds

    @property
    def shape(self) -> tuple[int, int]:
        return self.params, self.results


@dataclass
class TypeInfo:
    """A struct or interface type (named or anonymous), or another named type."""

    name: str  # "" for an anonymous struct or interface
    kind: str  # "struct", "interface", "alias" or "other"
    place: Place
    package: PackageKey
    file: FileInfo
    fields: list[Member] = field(default_factory=list)  # struct fields, embedded ones included
    methods: list[Member] = field(default_factory=list)  # interface methods
    embeds: list[TypeRef] = field(default_factory=list)  # embedded types
    alias_of: TypeRef | None = None
    constraint: bool = False  # an interface with type terms (`~int | string`): not a method set
    local: bool = False  # declared inside a function

    def describe(self) -> str:
        what = {"struct": "struct", "interface": "interface"}.get(self.kind, "type")
        if self.name:
            return f"{what} {self.name}"
        return f"the {what} type at {self.place}"


@dataclass(frozen=True)
class Decl:
    """A package-level declaration."""

    name: str
    kind: str  # func, var, const, type
    place: Place


@dataclass
class Scope:
    """A function, method or func literal: what it declares and what it uses.

    ``declared``/``used`` hold the names written directly in this scope; nested func literals
    are scopes of their own (``children``). ``all_declared``/``all_used`` include them.
    """

    kind: str  # func, method, literal
    name: str  # Func, Type.Method, or the enclosing one's name for a literal
    place: Place
    start_byte: int
    end_byte: int
    parent: Scope | None = None
    children: list[Scope] = field(default_factory=list)
    declared: dict[str, list[Place]] = field(default_factory=dict)
    used: dict[str, list[Place]] = field(default_factory=dict)
    # The byte where a declaration's scope begins (by the declaration's byte), when it begins
    # after the name: a parameter's at the function body, a local's at the end of its statement.
    starts: dict[int, int] = field(default_factory=dict)

    def walk(self) -> Iterator[Scope]:
        yield self
        for child in self.children:
            yield from child.walk()

    def chain(self) -> Iterator[Scope]:
        """This scope and its enclosing ones, innermost first."""
        scope: Scope | None = self
        while scope is not None:
            yield scope
            scope = scope.parent

    def all_declared(self, name: str) -> list[Place]:
        return sorted(p for s in self.walk() for p in s.declared.get(name, ()))

    def all_used(self, name: str) -> list[Place]:
        return sorted(p for s in self.walk() for p in s.used.get(name, ()))

    def visible_from(self, declared: Place) -> int:
        """The first byte of the scope of a name this scope declares at ``declared``: a use
        before it (a parameter's own type, ``x`` in ``x := f(x)``) means another ``x``."""
        return self.starts.get(declared.byte, declared.byte)

    def used_in_scope_of(self, declared: Place, name: str) -> list[Place]:
        """The uses of ``name`` (nested literals included) inside the scope of the declaration
        at ``declared`` that this scope holds: those from :meth:`visible_from` on."""
        start = self.visible_from(declared)
        return [p for p in self.all_used(name) if p.byte >= start]

    def describe(self) -> str:
        if self.kind == "literal":
            return f"the func literal at {self.place}" + (f" in {self.name}" if self.name else "")
        return self.name


@dataclass(frozen=True)
class CallInfo:
    """A selector call ``x.M(args)``: its argument count (``spread``: ``f(xs...)`` or a single
    call argument, whose count is unknown)."""

    name: str
    args: int
    spread: bool


@dataclass
class FileInfo:
    root: str
    path: str
    package: str
    generated: bool
    parse_error: bool
    imports: dict[str, tuple[str, Place]] = field(default_factory=dict)  # name -> (path, place)
    scopes: list[Scope] = field(default_factory=list)  # top-level functions and methods
    calls: dict[int, CallInfo] = field(default_factory=dict)  # byte of M -> call
    types: list[TypeInfo] = field(default_factory=list, repr=False, compare=False)
    receivers: set[str] = field(default_factory=set)  # types this file declares methods on

    def scope_at(self, byte: int) -> Scope | None:
        """The innermost function, method or func literal around ``byte``."""
        found: Scope | None = None
        candidates = self.scopes
        while True:
            inner = next((s for s in candidates if s.start_byte <= byte < s.end_byte), None)
            if inner is None:
                return found
            found = inner
            candidates = inner.children


@dataclass(frozen=True, order=True)
class PackageKey:
    root: str
    dir: str  # relative to the root, "" for the root itself
    name: str


@dataclass
class Package:
    key: PackageKey
    import_path: str
    files: list[FileInfo] = field(default_factory=list)
    names: dict[str, list[Decl]] = field(default_factory=dict)
    types: dict[str, TypeInfo] = field(default_factory=dict)  # named types
    anonymous: list[TypeInfo] = field(default_factory=list)  # anonymous structs and interfaces
    methods: dict[str, list[Member]] = field(default_factory=dict)  # receiver type -> methods

    def all_types(self) -> list[TypeInfo]:
        return sorted([*self.types.values(), *self.anonymous], key=lambda t: t.place)


@dataclass(frozen=True)
class Promoted:
    """A member in a type's member set, at its embedding depth, with the embedded types it is
    promoted through (outermost first)."""

    member: Member
    depth: int
    via: tuple[str, ...]


@dataclass
class MemberSet:
    members: list[Promoted]
    complete: bool  # False when an embedded type lies outside the roots

    def by_name(self) -> dict[str, list[Promoted]]:
        out: dict[str, list[Promoted]] = {}
        for p in self.members:
            out.setdefault(p.member.name, []).append(p)
        return out


# -- the index ---------------------------------------------------------------------------------
class Spelling:
    """Which files the index must look closely at, and where in them: the places given (the
    byte ranges of the inventory's occurrences, per ``(root, path)``), plus every match of
    ``patterns`` and every one of ``words`` (keep both short: each is one search of a file, and
    one pattern with many words in it is far slower than a search per word).

    :meth:`covering` spells the names a rename gives: the new term's pattern covers most of
    them, the others are looked for one by one."""

    def __init__(self, places: Mapping[tuple[str, str], Iterable[tuple[int, int]]] | None = None,
                 patterns: Iterable[re.Pattern[bytes]] = (), words: Iterable[str] = (),
                 names: re.Pattern[bytes] | None = None) -> None:
        self.places = {key: sorted(set(starts)) for key, starts in (places or {}).items()}
        self.patterns = list(patterns)
        self.words = sorted({w.encode() for w in words if w})
        self._names = names
        self._kept: dict[str, bool] = {}

    @classmethod
    def covering(cls, places: Mapping[tuple[str, str], Iterable[tuple[int, int]]],
                 names: Iterable[str],
                 new: re.Pattern[bytes], family: re.Pattern[bytes] | None = None) -> Spelling:
        """``places``, plus every name in ``names``: those ``new`` matches by one search with
        it, the others one by one. With ``family`` (the pattern of the places' names), scopes
        keep only the names :meth:`keeps`."""
        others = [n for n in names if new.search(n.encode()) is None]
        names_pattern = None
        if family is not None:
            names_pattern = re.compile(family.pattern + b"|" + new.pattern)
        return cls(places, [new], others, names_pattern)

    def for_file(self, root: str, path: str) -> Spelling:
        """The same, with only this file's places (what a worker indexing it needs)."""
        out = Spelling({(root, path): self.places.get((root, path), [])}, self.patterns, (),
                       self._names)
        out.words = self.words
        return out

    def signature(self) -> tuple[object, ...]:
        """What the index built with this spelling depends on (equal: the same index)."""
        return (sorted(self.places.items()), [p.pattern for p in self.patterns], self.words,
                self._names.pattern if self._names is not None else None)

    def keeps(self, name: str) -> bool:
        """Whether scopes record ``name`` (all names without a ``family`` pattern): the checks
        ask scopes only about family members and the names they are renamed to."""
        if self._names is None:
            return True
        kept = self._kept.get(name)
        if kept is None:
            kept = self._kept[name] = (name.encode() in self.words
                                       or self._names.search(name.encode()) is not None)
        return kept

    def search(self, root: str, path: str, data: bytes) -> bool:
        if self.places.get((root, path)):
            return True
        if any(p.search(data) is not None for p in self.patterns):
            return True
        return any(w in data for w in self.words)

    def ranges(self, root: str, path: str, data: bytes) -> list[tuple[int, int]]:
        """The places and the matches in ``data``, as (start, end) byte ranges, sorted."""
        found = list(self.places.get((root, path), ()))
        found += [m.span() for p in self.patterns for m in p.finditer(data)]
        for w in self.words:
            at = data.find(w)
            while at != -1:
                found.append((at, at + len(w)))
                at = data.find(w, at + 1)
        return sorted(set(found))


class SymbolIndex:
    """The Go packages under ``roots`` (label -> folder), parsed lazily, each file once."""

    def __init__(self, roots: Mapping[str, Path],
                 detail: Callable[[str, str, bytes], bool] | None = None,
                 relevant: Spelling | None = None, cache: Any = False) -> None:
        """``detail(root, path, data)`` says which files need their functions indexed (scopes,
        names declared and used, calls); the others get only their declarations, types and
        methods. None: every file. ``relevant``: load on demand (see the module doc); None:
        a folder is indexed whole when first asked about. ``cache``: keep each file's index
        (with ``relevant`` only) in the result cache, as :func:`idrename.inventory.scan` keeps
        its rows (None: the user cache folder; False: no cache)."""
        self.roots = {label: Path(path) for label, path in roots.items()}
        self._detail = detail
        self._relevant = relevant
        self.relevance = relevant.signature() if relevant is not None else None
        self._dirs: dict[tuple[str, str], list[str]] | None = None
        self._files: dict[tuple[str, str], FileInfo] = {}
        self._packages: dict[PackageKey, Package] = {}
        self._touched_dirs: set[tuple[str, str]] = set()
        self._data: dict[tuple[str, str], bytes] = {}
        self._modules: dict[str, list[tuple[str, str]]] = {}  # root -> [(dir, module path)]
        self._by_import: dict[str, list[tuple[str, str]]] | None = None  # import path -> dirs
        self._asked: dict[tuple[str, str], set[str]] = {}  # folder -> words already looked for
        self._embedders_of: set[str] = set()  # names embedders() has searched the tree for
        self._embedded: dict[tuple[str, str], frozenset[str]] = {}  # file -> embedded_names()
        self._pending: list[tuple[list[tuple[str, bytes | None]], Batches]] = []  # preloads
        self._caches: dict[str, Any] = _open_caches(cache, self.roots, relevant)
        self._embedded_caches: dict[str, Any] = _open_embedded_caches(cache, self.roots)
        self._spells_caches: dict[str, Any] = _open_caches(cache, self.roots, relevant, "spells")

    # -- discovery -----------------------------------------------------------------------------
    def _discover(self) -> dict[tuple[str, str], list[str]]:
        if self._dirs is None:
            dirs: dict[tuple[str, str], list[str]] = {}
            for label, root in sorted(self.roots.items()):
                modules: list[tuple[str, str]] = []
                outer = enclosing_module(root)
                if outer is not None:
                    modules.append(outer)
                for dirpath, dirnames, filenames in os.walk(root):
                    dirnames[:] = sorted(
                        d for d in dirnames if d not in SKIP_DIRS and not d.startswith((".", "_"))
                    )
                    rel_dir = Path(dirpath).relative_to(root).as_posix()
                    rel_dir = "" if rel_dir == "." else rel_dir
                    if "go.mod" in filenames:
                        module = module_path(Path(dirpath) / "go.mod")
                        if module:
                            modules.append((rel_dir, module))
                    names = sorted(  # (os.path, not pathlib: thousands of files)
                        n for n in filenames
                        if n.endswith(".go") and not n.startswith((".", "_"))
                        and not os.path.islink(os.path.join(dirpath, n))
                    )
                    if names:
                        dirs[(label, rel_dir)] = [f"{rel_dir}/{n}" if rel_dir else n for n in names]
                self._modules[label] = sorted(modules, key=lambda m: -len(m[0]))
            self._dirs = dirs
        return self._dirs

    def import_path(self, root: str, rel_dir: str) -> str:
        """The import path of the folder ``rel_dir`` under ``root`` ("" when no go.mod says)."""
        self._discover()
        return import_path_in(self._modules.get(root, []), rel_dir)

    def _bytes(self, root: str, path: str) -> bytes | None:
        key = (root, path)
        if key not in self._data:
            try:
                with open(os.path.join(self.roots[root], path), "rb") as f:
                    self._data[key] = f.read()
            except OSError:
                return None
        return self._data[key]

    # -- loading -------------------------------------------------------------------------------
    def file(self, root: str, path: str) -> FileInfo | None:
        """The parsed file ``path`` under ``root`` (indexing the relevant files of its folder)."""
        self._wait()
        rel_dir = path.rsplit("/", 1)[0] if "/" in path else ""
        self._touch(root, rel_dir)
        if (root, path) not in self._files and path in self._discover().get((root, rel_dir), ()):
            self._load(root, rel_dir, path)
        return self._files.get((root, path))

    def package_of(self, root: str, path: str) -> Package | None:
        info = self.file(root, path)
        if info is None:
            return None
        rel_dir = path.rsplit("/", 1)[0] if "/" in path else ""
        return self._packages.get(PackageKey(root, rel_dir, info.package))

    def package(self, key: PackageKey) -> Package | None:
        self._wait()
        return self._packages.get(key)

    def packages(self) -> list[Package]:
        """Every package under the roots, every file of it indexed."""
        self._wait()
        for root, rel_dir in sorted(self._discover()):
            for path in self._discover()[(root, rel_dir)]:
                if (root, path) not in self._files:
                    self._load(root, rel_dir, path)
        return [self._packages[k] for k in sorted(self._packages)]

    def require(self, key: PackageKey, words: Iterable[str]) -> None:
        """Index the files of ``key``'s folder that spell any of ``words``."""
        self._require(key.root, key.dir, words)

    def _require(self, root: str, rel_dir: str, words: Iterable[str]) -> None:
        self._wait()
        self._touch(root, rel_dir)
        if self._relevant is None:
            return  # the folder is whole already
        for path in self._spelling_files(root, rel_dir, words):
            self._load(root, rel_dir, path)

    def _spelling_files(self, root: str, rel_dir: str, words: Iterable[str]) -> list[str]:
        """The files of a folder not indexed yet that spell one of ``words`` not asked about
        there before (they count as asked from now on)."""
        asked = self._asked.setdefault((root, rel_dir), set())
        fresh = [w.encode() for w in words if w and w not in asked]
        if not fresh:
            return []
        asked.update(w.decode() for w in fresh)
        out = []
        for path in self._discover().get((root, rel_dir), []):
            if (root, path) in self._files:
                continue
            data = self._bytes(root, path)
            if data is not None and any(w in data for w in fresh):
                out.append(path)
        return out

    def require_many(self, requests: Iterable[tuple[PackageKey, Iterable[str]]],
                     executor: Executor | None = None) -> None:
        """:meth:`require` for many packages at once, the files to index started in the
        background (in ``executor``, or in the process pool: the shared one of a plan for a
        few files already, one of our own for ``PARALLEL_MIN_FILES``): the questions that need
        them wait for them."""
        from .inventory import in_shared_pool

        self._wait()
        if self._relevant is None:
            return
        wanted: list[tuple[str, str, str]] = []
        for key, words in requests:
            for path in [*self._touch_list(key.root, key.dir),
                         *self._spelling_files(key.root, key.dir, words)]:
                wanted.append((key.root, key.dir, path))
        jobs, folders = self._jobs(sorted(wanted))
        if jobs:
            min_jobs = _SHARED_MIN_FILES if in_shared_pool() else PARALLEL_MIN_FILES
            self._pending.append((folders, Batches(_index_batch, jobs, executor=executor,
                                                   min_jobs=min_jobs, size=_BATCH)))

    def _touch(self, root: str, rel_dir: str) -> None:
        """Index a folder's relevant files (all of them without ``relevant``) once."""
        for path in self._touch_list(root, rel_dir):
            if (root, path) not in self._files:
                self._load(root, rel_dir, path)

    def _touch_list(self, root: str, rel_dir: str) -> list[str]:
        """The relevant files of a folder not indexed yet, the first time it is asked about
        (it counts as touched from then on); [] later."""
        key = (root, rel_dir)
        if key in self._touched_dirs:
            return []
        self._touched_dirs.add(key)
        out = []
        for path in self._discover().get(key, []):
            if (root, path) in self._files:
                continue
            if self._relevant is not None and not self._spells(root, path):
                continue
            out.append(path)
        return out

    def _spells(self, root: str, path: str) -> bool:
        """Whether a file is relevant (:meth:`Spelling.search`): a file with places is; for the
        others the answer is kept in the result cache, so an unchanged file is not even read."""
        from .cache import file_value

        relevant = self._relevant
        assert relevant is not None
        if relevant.places.get((root, path)):
            return True
        return bool(file_value(
            self._spells_caches.get(root), self.roots[root], path,
            lambda: self._bytes(root, path) or b"",
            lambda data: relevant.search(root, path, data), _bool_payload))

    def _load(self, root: str, rel_dir: str, path: str) -> None:
        job = self._job(root, rel_dir, path)
        if job is None:
            return
        (_root, _path, data, detail, relevant), key = job
        indexed = index_file(root, path, data, detail, relevant)
        self._merge(rel_dir, indexed)
        if key is not None:
            from .indexcodec import encode

            self._caches[root].put(path, key, encode(indexed))

    def _job(self, root: str, rel_dir: str, path: str
             ) -> tuple[tuple[str, str, bytes, bool, Spelling | None], bytes | None] | None:
        """What indexing a file takes ((root, path, data, detail, relevant), cache key); None
        when it is unreadable or was merged from the cache."""
        data = self._bytes(root, path)
        self._data.pop((root, path), None)  # indexed: its bytes are not searched again
        if data is None:
            return None
        detail = self._detail is None or self._detail(root, path, data)
        relevant = self._for_file(root, path)
        key = self._cache_key(root, path, data, detail, relevant)
        if key is not None and self._from_cache(root, rel_dir, path, key):
            return None
        return (root, path, data, detail, relevant), key

    # -- the cache -----------------------------------------------------------------------------
    def _cache_key(self, root: str, path: str, data: bytes, detail: bool,
                   relevant: Spelling | None) -> bytes | None:
        """The key of a file's index in the cache: its content, path, detail and relevant places
        (the spelling's patterns and words name the cache index); None without a cache."""
        index = self._caches.get(root)
        if index is None or relevant is None:
            return None
        places = repr((detail, relevant.places.get((root, path), []))).encode()
        return index.key(path, data + b"\0" + places)

    def _from_cache(self, root: str, rel_dir: str, path: str, key: bytes) -> bool:
        """Merge a file's index from the cache; False when the cache does not hold it."""
        from .indexcodec import decode

        index = self._caches[root]
        encoded = index.get(path, key)
        if encoded is None:
            return False
        try:
            indexed = decode(root, path, encoded)
        except (ValueError, TypeError, IndexError, KeyError):
            index.forget(path)  # never trusted: read it again
            return False
        self._merge(rel_dir, indexed)
        return True

    def save_cache(self) -> None:
        """Write the files indexed in this run to the cache (never raises for I/O)."""
        for index in [*self._caches.values(), *self._embedded_caches.values(),
                      *self._spells_caches.values()]:
            index.save()

    def _for_file(self, root: str, path: str) -> Spelling | None:
        if self._relevant is None:
            return None
        return self._relevant.for_file(root, path)

    def _merge(self, rel_dir: str, indexed: IndexedFile) -> None:
        info = indexed.info
        pkg_key = PackageKey(info.root, rel_dir, info.package)
        pkg = self._packages.get(pkg_key)
        if pkg is None:
            pkg = Package(pkg_key, self.import_path(info.root, rel_dir))
            self._packages[pkg_key] = pkg
        indexed.merge_into(pkg)
        self._files[(info.root, info.path)] = info

    def preload(self, files: Iterable[tuple[str, str]], executor: Executor | None = None, *,
                wait: bool = True, at_most: int | None = None) -> bool:
        """Index these files (and the relevant ones of their folders) now, many at a time: in
        ``executor``, or in a process pool of our own when there are ``PARALLEL_MIN_FILES`` or
        more. The index is the same as when they are loaded one by one on demand. Without
        ``wait`` the work is only started: the first question waits for it.

        With ``at_most``, when more files than that are not in the cache, none of them is
        indexed and False is returned: this index then holds only what the cache held, and must
        not be asked anything (drop it). True otherwise."""
        wanted: list[tuple[str, str, str]] = []
        for root, path in sorted(set(files)):
            rel_dir = path.rsplit("/", 1)[0] if "/" in path else ""
            if path not in self._discover().get((root, rel_dir), ()):
                continue
            for other in self._touch_list(root, rel_dir):
                wanted.append((root, rel_dir, other))
            if (root, path) not in self._files:
                wanted.append((root, rel_dir, path))
        jobs, folders = self._jobs(wanted)
        if at_most is not None and len(jobs) > at_most:
            return False
        self._pending.append((folders, Batches(_index_batch, jobs, executor=executor,
                                               min_jobs=PARALLEL_MIN_FILES, size=_BATCH)))
        if wait:
            self._wait()
        return True

    def _jobs(self, wanted: Iterable[tuple[str, str, str]]
              ) -> tuple[list[tuple[str, str, bytes, bool, Spelling | None]],
                         list[tuple[str, bytes | None]]]:
        """What indexing these files (root, folder, path) takes, those indexed or merged from
        the cache left out: the jobs and, for each, (folder, cache key)."""
        jobs: list[tuple[str, str, bytes, bool, Spelling | None]] = []
        folders: list[tuple[str, bytes | None]] = []
        seen: set[tuple[str, str]] = set()
        for root, rel_dir, path in wanted:
            if (root, path) in seen or (root, path) in self._files:
                continue
            seen.add((root, path))
            job = self._job(root, rel_dir, path)
            if job is not None:
                jobs.append(job[0])
                folders.append((rel_dir, job[1]))
        return jobs, folders

    def close(self) -> None:
        """Stop a :meth:`preload` still running (its files are then not indexed)."""
        while self._pending:
            self._pending.pop()[1].cancel()

    def _wait(self) -> None:
        """Merge the files a :meth:`preload` is indexing (waiting for them)."""
        from .indexcodec import decode

        while self._pending:
            folders, started = self._pending.pop(0)
            for (rel_dir, key), (job, encoded) in zip(folders, zip(started.jobs, started.result(),
                                                                   strict=True), strict=True):
                root, path = job[0], job[1]
                self._merge(rel_dir, decode(root, path, encoded))
                if key is not None:
                    self._caches[root].put(path, key, encoded)

    def embedders(self, seeds: Iterable[TypeInfo]) -> list[TypeInfo]:
        """``seeds`` and every type in the roots that embeds one of them or is an alias of one,
        transitively: the types whose member sets can hold a member of a seed. The files that
        spell a seed's name are indexed to find them."""
        self._wait()
        found: dict[int, TypeInfo] = {id(t): t for t in seeds}
        names = {t.name for t in found.values() if t.name and not t.local}
        while names:
            self._index_spelling(names)
            added: list[TypeInfo] = []
            for pkg in list(self._packages.values()):
                for typ in [*pkg.types.values(), *pkg.anonymous]:
                    if id(typ) in found:
                        continue
                    refs = [*typ.embeds, *([typ.alias_of] if typ.alias_of is not None else [])]
                    for ref in refs:
                        if ref.name not in names and ref.name not in self._embedders_of:
                            continue
                        target = self.resolve(ref, typ, typ.package)
                        if target is not None and id(target) in found:
                            added.append(typ)
                            break
            for typ in added:
                found[id(typ)] = typ
            names = {t.name for t in added if t.name and not t.local} - self._embedders_of
        return sorted(found.values(), key=lambda t: t.place)

    def _index_spelling(self, names: set[str]) -> None:
        """Index every file of the roots that may embed or alias one of ``names``: that spells
        one where an embedded field or an alias stands (see :func:`embedded_names`)."""
        fresh = names - self._embedders_of
        self._embedders_of |= names
        if not fresh:
            return
        for (root, rel_dir), paths in sorted(self._discover().items()):
            for path in paths:
                if (root, path) in self._files:
                    continue
                key = (root, path)
                spelled = self._embedded.get(key)
                if spelled is None:
                    spelled = self._embedded[key] = self._embedded_names(root, path)
                if spelled.isdisjoint(fresh):
                    continue
                self._touch(root, rel_dir)
                if key not in self._files:
                    self._load(root, rel_dir, path)

    def _embedded_names(self, root: str, path: str) -> frozenset[str]:
        """:func:`embedded_names` of a file, from the result cache when the file is unchanged
        (an unchanged file is not even read)."""
        from .cache import file_value

        return frozenset(file_value(
            self._embedded_caches.get(root), self.roots[root], path,
            lambda: self._bytes(root, path),
            lambda data: tuple(sorted(embedded_names(data))), _names_payload))

    # -- resolution ----------------------------------------------------------------------------
    def resolve(self, ref: TypeRef, where: TypeInfo | FileInfo, pkg: PackageKey) -> TypeInfo | None:
        """The type ``ref`` names, seen from a file of package ``pkg``; None outside the roots."""
        file = where.file if isinstance(where, TypeInfo) else where
        if not ref.qualifier:
            self.require(pkg, [ref.name])
            package = self._packages.get(pkg)
            found = package.types.get(ref.name) if package else None
        else:
            imported = file.imports.get(ref.qualifier)
            found = None
            if imported is not None:
                for key in self._packages_for_import(imported[0], ref.qualifier, ref.name):
                    found = self._packages[key].types.get(ref.name)
                    if found is not None:
                        break
        seen = 0
        while found is not None and found.kind == "alias" and found.alias_of is not None and seen < 8:
            found = self.resolve(found.alias_of, found, found.package)
            seen += 1
        return found

    def named_type(self, key: PackageKey, name: str) -> TypeInfo | None:
        """The package-level type ``name`` of package ``key`` (None when it declares none)."""
        self.require(key, [name])
        pkg = self._packages.get(key)
        return pkg.types.get(name) if pkg is not None else None

    def methods_of(self, key: PackageKey, type_name: str) -> list[Member]:
        """The methods declared on ``type_name`` in package ``key``, every file of it included."""
        self.require(key, [type_name])
        pkg = self._packages.get(key)
        return pkg.methods.get(type_name, []) if pkg is not None else []

    def _packages_for_import(self, path: str, name: str, word: str) -> list[PackageKey]:
        """The non-test packages an import path names, with the files spelling ``word`` indexed."""
        if self._by_import is None:
            by_import: dict[str, list[tuple[str, str]]] = {}
            for root, rel_dir in self._discover():
                ipath = self.import_path(root, rel_dir)
                if ipath:
                    by_import.setdefault(ipath, []).append((root, rel_dir))
            self._by_import = by_import
        dirs = self._by_import.get(path)
        if dirs:
            keys = []
            for root, rel_dir in sorted(dirs):
                self._require(root, rel_dir, [word])
                keys += [k for k in self._packages
                         if (k.root, k.dir) == (root, rel_dir) and not k.name.endswith("_test")]
            return sorted(keys)
        # no go.mod: fall back to a unique package of that name whose folder ends the path
        last = path.rsplit("/", 1)[-1]
        for root, rel_dir in sorted(self._discover()):
            if not self.import_path(root, rel_dir) and rel_dir.rsplit("/", 1)[-1] == last:
                self._require(root, rel_dir, [word])
        candidates = [
            k for k, p in self._packages.items()
            if not p.import_path and k.name == name and (k.dir.rsplit("/", 1)[-1] == last)
        ]
        return sorted(candidates) if len(candidates) == 1 else []

    def member_set(self, typ: TypeInfo) -> MemberSet:
        """Fields and methods of ``typ``, promoted ones included (depth > 0 for a struct's
        embedded types; an interface's embedded interfaces count as its own methods)."""
        members: list[Promoted] = []
        complete = True
        seen: set[int] = set()
        queue: list[tuple[TypeInfo, int, tuple[str, ...]]] = [(typ, 0, ())]
        while queue:
            current, depth, via = queue.pop(0)
            if id(current) in seen:
                continue
            seen.add(id(current))
            if current.kind == "struct":
                members.extend(Promoted(f, depth, via) for f in current.fields)
            if current.kind == "interface":
                members.extend(Promoted(m, depth, via) for m in current.methods)
            elif current.name and not current.local:
                declared = self.methods_of(current.package, current.name)
                members.extend(Promoted(m, depth, via) for m in declared)
            for ref in current.embeds:
                target = self.resolve(ref, current, current.package)
                if target is None:
                    complete = False
                    continue
                inner_depth = depth if current.kind == "interface" else depth + 1
                inner_via = via if current.kind == "interface" else (*via, str(ref))
                queue.append((target, inner_depth, inner_via))
        return MemberSet(members, complete)

    def method_set(self, typ: TypeInfo) -> tuple[dict[str, Promoted], bool]:
        """Methods by name (the shallowest one of each name), and whether the set is complete."""
        mset = self.member_set(typ)
        out: dict[str, Promoted] = {}
        for p in sorted(mset.members, key=lambda p: (p.depth, p.member.place)):
            if p.member.name not in out:
                out[p.member.name] = p
        return {n: p for n, p in out.items() if p.member.kind == "method"}, mset.complete


@dataclass
class IndexedFile:
    """What indexing one file gives (picklable: it comes back from worker processes)."""

    info: FileInfo
    names: list[Decl]
    types: list[TypeInfo]
    methods: list[tuple[str, Member]]

    def merge_into(self, pkg: Package) -> None:
        import bisect

        bisect.insort(pkg.files, self.info, key=lambda f: f.path)
        for decl in self.names:
            bisect.insort(pkg.names.setdefault(decl.name, []), decl, key=lambda d: d.place)
        for typ in self.types:
            typ.package = pkg.key
            if typ.name and not typ.local:
                known = pkg.types.get(typ.name)
                if known is None or typ.place < known.place:
                    pkg.types[typ.name] = typ
            else:
                pkg.anonymous.append(typ)
        for receiver, member in self.methods:
            bisect.insort(pkg.methods.setdefault(receiver, []), member, key=lambda m: m.place)


def _open_caches(cache: Any, roots: Mapping[str, Path], relevant: Spelling | None,
                 what: str = "index") -> dict[str, Any]:
    """One cache index per root, named after what the files' indexes (or, with ``what``
    "spells", whether they are relevant) depend on besides them."""
    if relevant is None:
        return {}
    import hashlib

    from .cache import named_indexes

    name = hashlib.sha256(repr(([p.pattern for p in relevant.patterns], relevant.words,
                                relevant._names.pattern if relevant._names is not None
                                else None)).encode()).hexdigest()
    return named_indexes(cache, roots, f"go-{what}\0{name}")


def _bool_payload(payload: Any) -> bool:
    return isinstance(payload, bool)


def _open_embedded_caches(cache: Any, roots: Mapping[str, Path]) -> dict[str, Any]:
    """One cache index per root for :func:`embedded_names` (which depends on the content only)."""
    from .cache import named_indexes

    return named_indexes(cache, roots, "go-embedded")


def _names_payload(payload: Any) -> bool:
    return isinstance(payload, tuple) and all(isinstance(n, str) for n in payload)


def index_file(root: str, path: str, data: bytes, detail: bool,
               relevant: Spelling | None) -> IndexedFile:
    """Index one file (see :class:`SymbolIndex`)."""
    return _FileIndexer(root, path, data, relevant).run(detail)[1].result()


def _index_batch(jobs: list[tuple[str, str, bytes, bool, Spelling | None]]) -> list[Any]:
    """The unit of work sent to executors: each file's index, encoded (plain tuples travel and
    keep better than objects; see :mod:`idrename.indexcodec`)."""
    from .indexcodec import encode

    return [encode(index_file(*job)) for job in jobs]


PARALLEL_MIN_FILES = 200  # fewer files than this are indexed here, without a pool
_SHARED_MIN_FILES = 16  # the same, when a plan's pool is running already (require_many)
_BATCH = 24


# -- per-file indexing -------------------------------------------------------------------------
class _FileIndexer:
    """One pass over one file's tree."""

    def __init__(self, root: str, path: str, data: bytes,
                 relevant: Spelling | None = None) -> None:
        self.root = root
        self.path = path
        self.data = data
        self.relevant = relevant
        self.tree = parse(data)
        self.line_starts = _line_starts(data)
        self.package = ""
        self.info = FileInfo(root, path, "", is_generated(data), self.tree.root_node.has_error)
        self.names: list[Decl] = []
        self.types: list[TypeInfo] = []
        self.methods: list[tuple[str, Member]] = []
        self._decl_ids: set[int] = set()  # identifier nodes that declare a local name
        self._skip_ids: set[int] = set()  # identifier nodes that are neither uses nor locals

    def place(self, node: Node) -> Place:
        return Place(self.root, self.path, _line_of(self.line_starts, node.start_byte),
                     node.start_byte)

    def run(self, detail: bool = True) -> tuple[str, _FileIndexer]:
        """Index the file; without ``detail`` only its declarations, types and methods (no
        scopes, no calls)."""
        root = self.tree.root_node
        self._imports()
        self.package = package_name(root)
        for child in root.named_children:
            if child.type == "function_declaration":
                name = child.child_by_field_name("name")
                if name is not None and _text(name) not in ("_", "init"):
                    self.names.append(Decl(_text(name), "func", self.place(name)))
            elif child.type == "method_declaration":
                self._method(child)
            elif child.type in ("var_declaration", "const_declaration"):
                kind = "var" if child.type == "var_declaration" else "const"
                for spec in _specs(child, ("var_spec", "const_spec")):
                    for name in spec.children_by_field_name("name"):
                        if _text(name) != "_":
                            self.names.append(Decl(_text(name), kind, self.place(name)))
            elif child.type == "type_declaration":
                for spec in child.named_children:
                    name = spec.child_by_field_name("name")
                    if name is not None:
                        self.names.append(Decl(_text(name), "type", self.place(name)))
        self.info.package = self.package
        if not detail:
            self._types_only(root)
        elif self.relevant is None:
            self._walk(root)
        else:
            self._types_only(root)
            self._scopes_at_places(root)
        self.tree = None  # keep no parse tree alive
        self.info.types = list(self.types)
        self.info.receivers = {receiver for receiver, _ in self.methods}
        return self.package, self

    def result(self) -> IndexedFile:
        return IndexedFile(self.info, self.names, self.types, self.methods)


    # -- declarations --------------------------------------------------------------------------
    def _imports(self) -> None:
        for name, path, node in import_specs(self.tree.root_node):
            self.info.imports[name] = (path, self.place(node))

    def _method(self, node: Node) -> None:
        name = node.child_by_field_name("name")
        receiver = _receiver_name(node)
        if name is None or not receiver:
            return
        params, variadic = _count_params(node.child_by_field_name("parameters"))
        results = _count_results(node.child_by_field_name("result"))
        self.methods.append(
            (receiver, Member(_text(name), "method", self.place(name), params, results, variadic))
        )

    def _struct(self, node: Node, name: str, anchor: Node, local: bool) -> None:
        typ = TypeInfo(name, "struct", self.place(anchor), _NO_PACKAGE, self.info, local=local)
        body = next((c for c in node.named_children if c.type == "field_declaration_list"), None)
        for decl in body.named_children if body is not None else ():
            if decl.type != "field_declaration":
                continue
            names = decl.children_by_field_name("name")
            if names:
                typ.fields.extend(Member(_text(n), "field", self.place(n)) for n in names)
                continue
            ref = self._type_ref(decl.child_by_field_name("type"))
            if ref is not None:
                typ.fields.append(Member(ref.name, "field", ref.place, embedded=ref))
                typ.embeds.append(ref)
        self.types.append(typ)

    def _interface(self, node: Node, name: str, anchor: Node, local: bool) -> None:
        typ = TypeInfo(name, "interface", self.place(anchor), _NO_PACKAGE, self.info,
                       local=local)
        for elem in node.named_children:
            if elem.type in ("method_elem", "method_spec"):
                mname = elem.child_by_field_name("name")
                if mname is None:
                    continue
                params, variadic = _count_params(elem.child_by_field_name("parameters"))
                results = _count_results(elem.child_by_field_name("result"))
                typ.methods.append(
                    Member(_text(mname), "method", self.place(mname), params, results, variadic)
                )
            elif elem.type in ("type_elem", "constraint_elem"):
                kids = elem.named_children
                ref = self._type_ref(kids[0]) if len(kids) == 1 else None
                if ref is None:
                    typ.constraint = True
                else:
                    typ.embeds.append(ref)
        self.types.append(typ)

    def _type_ref(self, node: Node | None) -> TypeRef | None:
        while node is not None and node.type in ("pointer_type", "generic_type", "parenthesized_type"):
            inner = node.child_by_field_name("type")
            node = inner if inner is not None else (node.named_children[0] if node.named_children
                                                    else None)
        if node is None:
            return None
        if node.type == "type_identifier":
            return TypeRef("", _text(node), self.place(node))
        if node.type == "qualified_type":
            pkg = node.child_by_field_name("package")
            name = node.child_by_field_name("name")
            if pkg is not None and name is not None:
                return TypeRef(_text(pkg), _text(name), self.place(name))
        return None

    # -- scopes from the places -------------------------------------------------------------
    def _scopes_at_places(self, root: Node) -> None:
        """What :meth:`_walk` records in scopes and calls, for the names at the relevant places
        only: every function, method and func literal (found by a query) is a scope; the
        identifier at each place is declared, used or neither as its parents say."""
        assert self.relevant is not None
        stack: list[Scope] = []
        for node in _function_nodes(root):
            while stack and node.start_byte >= stack[-1].end_byte:
                stack.pop()
            stack.append(self._open_scope(node, stack[-1] if stack else None))
        seen: set[int] = set()
        for start, end in self.relevant.ranges(self.root, self.path, self.data):
            node = root.named_descendant_for_byte_range(start, end)
            if node is None or node.id in seen:
                continue
            seen.add(node.id)
            if node.type == "field_identifier":
                selector = node.parent
                call = selector.parent if selector is not None else None
                if (selector is not None and selector.type == "selector_expression"
                        and call is not None and call.type == "call_expression"
                        and call.child_by_field_name("function") == selector):
                    self._call(call)
                continue
            if node.type not in ("identifier", "type_identifier", "package_identifier"):
                continue
            scope = self.info.scope_at(node.start_byte)
            name = _text(node)
            if scope is None or name == "_" or not self.relevant.keeps(name):
                continue
            role = _name_role(node)
            if role == "declared":
                self._declare(scope, name, node)
            elif role == "used":
                self._add(scope.used, name, self.place(node))

    # -- the walk ------------------------------------------------------------------------------
    def _walk(self, root: Node) -> None:
        stack: list[tuple[Node, Scope | None]] = [(root, None)]
        while stack:
            node, scope = stack.pop()
            t = node.type
            if t in _FUNC_NODES:
                scope = self._open_scope(node, scope)
            elif t in ("type_spec", "type_alias"):
                self._type_spec(node, scope)
            elif t in ("struct_type", "interface_type"):
                anchor, name = self._type_anchor(node)
                build = self._struct if t == "struct_type" else self._interface
                build(node, name, anchor, scope is not None)
            elif t == "call_expression":
                self._call(node)
            elif scope is not None:
                self._mark_declarations(node)
                if t in ("identifier", "type_identifier", "package_identifier"):
                    self._record_name(node, scope)
            stack.extend((c, scope) for c in reversed(node.named_children))

    def _types_only(self, root: Node) -> None:
        """What :meth:`_walk` records outside scopes and calls: every type (named or anonymous,
        package-level or local), in the same order, found by a query instead of a walk."""
        for node in _type_nodes(root):
            local = _inside_function(node)
            if node.type in ("type_spec", "type_alias"):
                self._type_spec(node, None, local)
            else:
                anchor, name = self._type_anchor(node)
                build = self._struct if node.type == "struct_type" else self._interface
                build(node, name, anchor, local)

    def _type_spec(self, node: Node, scope: Scope | None, local: bool | None = None) -> None:
        name = node.child_by_field_name("name")
        typ = node.child_by_field_name("type")
        if name is None:
            return
        if local is None:
            local = scope is not None
        if scope is not None:
            self._add(scope.declared, _text(name), self.place(name))
            self._skip_ids.add(name.id)
        if node.type == "type_alias" or (
            typ is not None and typ.type not in ("struct_type", "interface_type")
        ):
            info = TypeInfo(_text(name), "alias" if node.type == "type_alias" else "other",
                            self.place(name), _NO_PACKAGE, self.info, local=local)
            if node.type == "type_alias":
                info.alias_of = self._type_ref(typ)
            self.types.append(info)

    def _type_anchor(self, node: Node) -> tuple[Node, str]:
        """The node that names a struct or interface type (its type_spec name when it has one)."""
        parent = node.parent
        if parent is not None and parent.type == "type_spec":
            name = parent.child_by_field_name("name")
            if name is not None:
                return name, _text(name)
        return node, ""

    def _open_scope(self, node: Node, parent: Scope | None) -> Scope:
        t = node.type
        name_node = node.child_by_field_name("name")
        if t == "function_declaration":
            kind, name = "func", _text(name_node) if name_node is not None else ""
        elif t == "method_declaration":
            recv = _receiver_name(node)
            kind = "method"
            name = f"{recv}.{_text(name_node)}" if name_node is not None else recv
        else:
            kind = "literal"
            name = parent.name if parent is not None else ""
        scope = Scope(kind, name, self.place(node), node.start_byte, node.end_byte, parent)
        if parent is None:
            self.info.scopes.append(scope)
        else:
            parent.children.append(scope)
        if name_node is not None:
            self._skip_ids.add(name_node.id)
        for field_name in ("receiver", "parameters", "result", "type_parameters"):
            plist = node.child_by_field_name(field_name)
            if plist is None or plist.type not in ("parameter_list", "type_parameter_list"):
                continue
            for param in plist.named_children:
                if param.type in _PARAM_NODES or param.type == "type_parameter_declaration":
                    for n in param.children_by_field_name("name"):
                        self._decl_ids.add(n.id)
        return scope

    def _mark_declarations(self, node: Node) -> None:
        t = node.type
        if t == "short_var_declaration":
            self._mark_left(node.child_by_field_name("left"))
        elif t == "range_clause":
            if any(c.type == ":=" for c in node.children):
                self._mark_left(node.child_by_field_name("left"))
        elif t in ("var_spec", "const_spec"):
            for n in node.children_by_field_name("name"):
                self._decl_ids.add(n.id)
        elif t == "type_switch_statement":
            alias = node.child_by_field_name("alias")
            self._mark_left(alias)
        elif t in _PARAM_NODES:
            # parameters of function types and interface methods declare nothing
            plist = node.parent
            owner = plist.parent if plist is not None else None
            if owner is None or owner.type not in _FUNC_NODES:
                for n in node.children_by_field_name("name"):
                    self._skip_ids.add(n.id)
        elif t == "keyed_element":
            key = node.named_children[0] if node.named_children else None
            if key is not None and key.type == "literal_element" and not _in_map_literal(node):
                for n in key.named_children:
                    if n.type == "identifier":
                        self._skip_ids.add(n.id)  # a field name, not a use
        elif t in ("qualified_type",):
            name = node.child_by_field_name("name")
            if name is not None:
                self._skip_ids.add(name.id)  # pkg.T: T lives in another package

    def _mark_left(self, left: Node | None) -> None:
        if left is None:
            return
        if left.type == "identifier":
            self._decl_ids.add(left.id)
            return
        for n in left.named_children:
            if n.type == "identifier":
                self._decl_ids.add(n.id)

    def _record_name(self, node: Node, scope: Scope) -> None:
        if node.id in self._skip_ids:
            return
        name = _text(node)
        if name == "_" or (self.relevant is not None and not self.relevant.keeps(name)):
            return
        parent = node.parent
        if node.type == "package_identifier" and (parent is None or parent.type != "qualified_type"):
            return
        if node.id in self._decl_ids:
            self._declare(scope, name, node)
        else:
            self._add(scope.used, name, self.place(node))

    def _declare(self, scope: Scope, name: str, node: Node) -> None:
        """``name`` declared in ``scope`` at ``node``, with where its scope begins."""
        if self.relevant is not None and not self.relevant.keeps(name):
            return
        self._add(scope.declared, name, self.place(node))
        start = _scope_start(node)
        if start != node.start_byte:
            scope.starts[node.start_byte] = start

    def _add(self, table: dict[str, list[Place]], name: str, place: Place) -> None:
        if self.relevant is None or self.relevant.keeps(name):
            table.setdefault(name, []).append(place)

    def _call(self, node: Node) -> None:
        fn = node.child_by_field_name("function")
        args = node.child_by_field_name("arguments")
        if fn is None or fn.type != "selector_expression" or args is None:
            return
        name = fn.child_by_field_name("field")
        if name is None:
            return
        text = _text(name)
        if self.relevant is not None and not self.relevant.keeps(text):
            return
        kids = args.named_children
        spread = any(k.type == "variadic_argument" for k in kids) or (
            len(kids) == 1 and kids[0].type == "call_expression"
        )
        self.info.calls[name.start_byte] = CallInfo(text, len(kids), spread)


_NO_PACKAGE = PackageKey("", "", "")


# -- helpers -----------------------------------------------------------------------------------
def _nodes(source: str, root: Node) -> list[Node]:
    """The ``@node`` captures of a query under ``root``, in preorder (outer ones first)."""
    import tree_sitter

    found = tree_sitter.QueryCursor(go_query(source)).captures(root).get("node", [])
    return sorted(found, key=lambda n: (n.start_byte, -n.end_byte))


def _type_nodes(root: Node) -> list[Node]:
    """Struct, interface and type-spec nodes under ``root``, in the walk's (pre)order."""
    return _nodes("[(struct_type) (interface_type) (type_spec) (type_alias)] @node", root)


_QUALIFIED = rb"\*?(?:[A-Za-z_]\w*\.)?([A-Za-z_]\w*)(?:\[[^\n]*\])?"
_BLOCK_RES = (re.compile(rb"struct[ \t]*\{"), re.compile(rb"interface[ \t]*\{"))
_IS_WORD = bytes(1 if chr(c).isascii() and (chr(c).isalnum() or c == 0x5F) else 0
                 for c in range(256))
_EMBEDDED_LINE_RE = re.compile(
    _QUALIFIED + rb"[ \t]*(?:`[^`\n]*`|\"[^\"\n]*\")?[ \t]*;?[ \t]*(?://.*)?")
_BLANK = rb"[ \t\r\x0b\x0c]*"  # what bytes.strip() takes from a line's ends
_BLOCK_END_RE = re.compile(rb"(?m)^" + _BLANK + rb"\}")
_EMBEDDED_LINES_RE = re.compile(rb"(?m)^" + _BLANK + _EMBEDDED_LINE_RE.pattern + _BLANK + rb"$")
_ALIAS_RE = re.compile(rb"(?m)=[ \t]*" + _QUALIFIED + rb"[ \t]*(?://[^\n]*)?\r?$")
_WORD_RE = re.compile(rb"[A-Za-z_]\w*")


def embedded_names(data: bytes) -> frozenset[str]:
    """The names a file may embed or alias: in a ``struct {`` or ``interface {`` block, those on
    a line of their own (``[*][pkg.]Name``, with a tag or a comment), as gofmt writes an embedded
    field or interface, and every word of a one-line block; the right side of an alias
    ``A = [pkg.]Name``. A superset (a prefilter): a file that embeds ``T`` as gofmt writes it
    spells ``T`` so. A block's lines run to the first that starts with ``}``."""
    out: set[bytes] = set(_ALIAS_RE.findall(data))
    size = len(data)
    for at in _block_starts(data):
        nl = data.find(b"\n", at)
        nl = size if nl == -1 else nl
        first = data[at:nl]
        if b"}" in first:  # struct { A; b int }
            out.update(_WORD_RE.findall(first[: first.index(b"}")]))
            continue
        end = _BLOCK_END_RE.search(data, nl + 1)
        out.update(_EMBEDDED_LINES_RE.findall(data, nl + 1, end.start() if end else size))
    return frozenset(w.decode("ascii", "replace") for w in out)


def _block_starts(data: bytes) -> list[int]:
    """Where the body of each ``struct {`` and ``interface {`` begins (one search per keyword:
    a pattern that starts with a literal is searched for far faster than an alternation)."""
    found = []
    for pattern in _BLOCK_RES:
        for m in pattern.finditer(data):
            at = m.start()
            if at == 0 or not _IS_WORD[data[at - 1]]:
                found.append(m.end())
    return found


def _function_nodes(root: Node) -> list[Node]:
    """Functions, methods and func literals under ``root``, outer ones first."""
    return _nodes("[(function_declaration) (method_declaration) (func_literal)] @node", root)


def _name_role(node: Node) -> str:
    """How :meth:`_FileIndexer._walk` counts an identifier inside a function: "declared" (a
    parameter, receiver, ``:=``, ``var``/``const``, type switch alias or local type), "used",
    or "" (a function's name, a field name in a struct literal, ``T`` of ``pkg.T``, a parameter
    of a function type or an interface method, a package name outside a qualified type)."""
    parent = node.parent
    if parent is None:
        return "used"
    pt = parent.type
    if pt in _FUNC_NODES:
        return "" if parent.child_by_field_name("name") == node else "used"
    if pt in ("type_spec", "type_alias") and parent.child_by_field_name("name") == node:
        return "declared"
    if node.type == "package_identifier" and pt != "qualified_type":
        return ""
    if pt == "qualified_type" and parent.child_by_field_name("name") == node:
        return ""
    if pt in _PARAM_NODES or pt == "type_parameter_declaration":
        if node not in parent.children_by_field_name("name"):
            return "used"
        plist = parent.parent
        owner = plist.parent if plist is not None else None
        if owner is not None and owner.type in _FUNC_NODES and any(
                owner.child_by_field_name(f) == plist
                for f in ("receiver", "parameters", "result", "type_parameters")):
            return "declared"
        return "" if pt in _PARAM_NODES else "used"
    if pt in ("var_spec", "const_spec"):
        return "declared" if node in parent.children_by_field_name("name") else "used"
    holder, child = (parent.parent, parent) if pt == "expression_list" else (parent, node)
    if holder is not None:
        if holder.type == "short_var_declaration" and holder.child_by_field_name("left") == child:
            return "declared"
        if (holder.type == "range_clause" and holder.child_by_field_name("left") == child
                and any(c.type == ":=" for c in holder.children)):
            return "declared"
        if (holder.type == "type_switch_statement"
                and holder.child_by_field_name("alias") == child):
            return "declared"
    if pt == "literal_element":
        keyed = parent.parent
        if (keyed is not None and keyed.type == "keyed_element" and keyed.named_children
                and keyed.named_children[0] == parent and not _in_map_literal(keyed)):
            return ""
    return "used"


# Where the scope of a variable or constant declared by these begins: at their end.
_DECLARING_STATEMENTS = frozenset({"short_var_declaration", "var_spec", "const_spec",
                                   "range_clause"})


def _scope_start(node: Node) -> int:
    """The first byte of the scope of the name a function declares at ``node``, as the Go
    spec has it: a parameter's, receiver's or result's at the function body (so the types of
    the parameters are outside it); a local variable's or constant's at the end of its spec or
    short variable declaration (a range clause's: its end); a type switch alias's after the
    switch's guard; a local type's or a type parameter's at the name itself."""
    parent = node.parent
    while parent is not None and parent.type not in _FUNC_NODES and parent.type != "block":
        t = parent.type
        if t in _DECLARING_STATEMENTS:
            return parent.end_byte
        if t in _PARAM_NODES:
            owner = parent.parent.parent if parent.parent is not None else None
            body = owner.child_by_field_name("body") if owner is not None else None
            return body.start_byte if body is not None else node.start_byte
        if t == "type_switch_statement":
            guard = parent.child_by_field_name("value")
            return guard.end_byte if guard is not None else node.end_byte
        parent = parent.parent
    return node.start_byte


def _inside_function(node: Node) -> bool:
    parent = node.parent
    while parent is not None:
        if parent.type in _FUNC_NODES:
            return True
        parent = parent.parent
    return False


def _text(node: Node) -> str:
    return node.text.decode("utf-8", "replace")


def _line_starts(data: bytes) -> list[int]:
    starts = [0]
    pos = data.find(b"\n")
    while pos != -1:
        starts.append(pos + 1)
        pos = data.find(b"\n", pos + 1)
    return starts


def _line_of(starts: list[int], offset: int) -> int:
    import bisect

    return bisect.bisect_right(starts, offset)


def _descendants(node: Node, node_type: str) -> Iterator[Node]:
    stack = [node]
    while stack:
        current = stack.pop()
        if current.type == node_type:
            yield current
        else:
            stack.extend(reversed(current.named_children))


def _specs(decl: Node, types: tuple[str, ...]) -> Iterator[Node]:
    for child in decl.named_children:
        if child.type in types:
            yield child
        elif child.type.endswith("_spec_list"):
            yield from (c for c in child.named_children if c.type in types)


def _receiver_name(method: Node) -> str:
    receiver = method.child_by_field_name("receiver")
    if receiver is None:
        return ""
    for param in receiver.named_children:
        typ = param.child_by_field_name("type")
        while typ is not None and typ.type in ("pointer_type", "generic_type", "parenthesized_type"):
            inner = typ.child_by_field_name("type")
            typ = inner if inner is not None else (typ.named_children[0] if typ.named_children
                                                   else None)
        if typ is not None and typ.type == "type_identifier":
            return _text(typ)
    return ""


def _count_params(plist: Node | None) -> tuple[int, bool]:
    if plist is None:
        return 0, False
    count, variadic = 0, False
    for param in plist.named_children:
        if param.type == "parameter_declaration":
            count += max(1, len(param.children_by_field_name("name")))
        elif param.type == "variadic_parameter_declaration":
            count += 1
            variadic = True
    return count, variadic


def _count_results(result: Node | None) -> int:
    if result is None:
        return 0
    if result.type == "parameter_list":
        return _count_params(result)[0]
    return 1


def _in_map_literal(keyed: Node) -> bool:
    literal_value = keyed.parent
    literal = literal_value.parent if literal_value is not None else None
    if literal is None or literal.type != "composite_literal":
        return False  # a nested element: the outer literal's element type is unknown
    typ = literal.child_by_field_name("type")
    return typ is not None and typ.type == "map_type"


def module_path(go_mod: Path) -> str:
    """The module path a ``go.mod`` file declares, "" when it cannot be read or says none."""
    try:
        text = go_mod.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    m = _MODULE_RE.search(text)
    return m.group(1) if m else ""


def import_path_in(modules: Sequence[tuple[str, str]], rel_dir: str) -> str:
    """The import path of the folder ``rel_dir`` of a root whose modules are ``modules``
    ((folder of a go.mod, its module path), the deepest first); "" when no go.mod says."""
    for mod_dir, module in modules:
        if mod_dir == "":
            rest = rel_dir
        elif rel_dir == mod_dir or rel_dir.startswith(mod_dir + "/"):
            rest = rel_dir[len(mod_dir) + 1 :]
        else:
            continue
        if module == "std":  # Go's own src: its packages are imported as "net/http"
            return rest
        if module.startswith("std/"):  # a root inside it (see enclosing_module)
            module = module[len("std/") :]
        return f"{module}/{rest}" if rest else module
    return ""


def enclosing_module(root: Path) -> tuple[str, str] | None:
    """For a root inside a module (no go.mod at its top): ("", import path of the root) from the
    nearest go.mod above it."""
    if (root / "go.mod").is_file():
        return None
    for parent in root.parents:
        go_mod = parent / "go.mod"
        if go_mod.is_file():
            module = module_path(go_mod)
            if not module:
                return None
            return "", f"{module}/{root.relative_to(parent).as_posix()}"
    return None
