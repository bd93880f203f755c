"""The inventory's per-file result cache: a warm re-run reads each file, hashes it and loads a
small blob instead of parsing it again.

One index file per (root, spec) under the user cache folder (``$IDRENAME_CACHE_DIR``, else
``$XDG_CACHE_HOME/idrename``, else ``~/.cache/idrename``), holding for every scanned file its key
and its result. The key is the SHA-256 of the tool version, the spec (old, new, explicit,
exclude), the file's path relative to the root (rows carry the path) and the file's content, so an
entry is used only for exactly the file, spec and code that produced it.

The index is never trusted: a file that is truncated, corrupt (its SHA-256 is checked), written
by another tool version or for another root or spec is ignored and rewritten. Writes are atomic
(a temporary file, then ``os.replace``), so a reader sees the old index or the new one. Every
failure to read or write (a read-only home, a full disk) only turns the cache off: the scan's
results never depend on it. At most ``max_indexes`` index files are kept, the least recently
used removed first.

A run that changes a few entries of a large index writes only those: the entries added, changed
or dropped since the index file was written go to a small journal beside it (``<index>.jnl``,
written atomically like the index, and naming the index it extends by its SHA-256), read back on
top of the index; when the journal grows past an eighth of the entries, the whole index is written
again and the journal removed. A journal that does not match its index is ignored.

A warm run need not even read a file: each entry also keeps the file's ``stat`` signature (size,
modification and change times in nanoseconds, inode, device), and a file whose signature is
unchanged is taken as unchanged, as git's index and make do. A signature is recorded only for a
file last changed more than ``RACY_NS`` before the run started (an edit within the same clock
tick as the scan could otherwise go unseen); such a file is hashed on every run until then. Files
that fail the prefilter keep only their signature (``plain``), so an unchanged one is not read.

Results are opaque here: the caller gives and gets back ``marshal``-able values (tuples of str,
int, bool), so loading an index never runs code.
"""

from __future__ import annotations

import hashlib
import json
import marshal
import os
import sys
from collections.abc import Callable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from .spec import Spec

FORMAT = 4
RACY_NS = 2 * 10**9
MAGIC = b"idrename-inventory-cache\n"
SUFFIX = ".idx"
JOURNAL = ".jnl"  # after an index file's name: the entries changed since it was written
# A journal with more changes than this share of the index's entries is folded into the index.
JOURNAL_SHARE = 0.125
MAX_INDEXES = 256
_PARSER_PACKAGES = ("tree_sitter", "tree_sitter_go", "tree_sitter_typescript")


def default_cache_dir() -> Path:
    """``$IDRENAME_CACHE_DIR``, else ``$XDG_CACHE_HOME/idrename``, else ``~/.cache/idrename``."""
    override = os.environ.get("IDRENAME_CACHE_DIR")
    if override:
        return Path(override)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "idrename"


@lru_cache(maxsize=1)
def tool_version() -> str:
    """What the results depend on besides the input: idrename's version and the digest of its
    source files, the parser packages installed (their files' sizes and times) and Python's
    version. Any change there makes every entry stale."""
    from . import __version__

    h = hashlib.sha256(f"{__version__}\0{sys.version_info[:2]}\0{FORMAT}".encode())
    here = Path(__file__).resolve().parent
    for path in sorted(here.glob("*.py")):
        h.update(path.name.encode() + b"\0")
        h.update(path.read_bytes())
    for name in _PARSER_PACKAGES:
        h.update(_package_stamp(name).encode())
    return h.hexdigest()


def _package_stamp(name: str) -> str:
    """Names, sizes and modification times of an installed package's files (without importing
    it): a reinstall or an upgrade changes them."""
    import importlib.util

    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return f"{name}:missing"
    if spec is None or not spec.submodule_search_locations:
        return f"{name}:{getattr(spec, 'origin', None)}"
    parts = [name]
    for location in spec.submodule_search_locations:
        try:
            entries = sorted(os.scandir(location), key=lambda e: e.name)
        except OSError:
            continue
        for entry in entries:
            try:
                st = entry.stat()
            except OSError:
                continue
            parts.append(f"{entry.name}:{st.st_size}:{st.st_mtime_ns}")
    return "|".join(parts)


def spec_key(spec: Spec) -> str:
    """The spec as the cache sees it: every field that changes what a scan finds."""
    return json.dumps(
        {"old": spec.old, "new": spec.new, "explicit": sorted(dict(spec.explicit).items()),
         "exclude": sorted(spec.exclude)},
        separators=(",", ":"),
    )


Signature = tuple[int, int, int, int, int]


def stat_signature(st: os.stat_result, started_ns: int) -> Signature | None:
    """(size, mtime_ns, ctime_ns, inode, device) of a regular file, or None when it changed too
    recently (within ``RACY_NS`` of ``started_ns``) to be trusted without hashing."""
    recent = started_ns - RACY_NS
    if st.st_mtime_ns >= recent or st.st_ctime_ns >= recent:
        return None
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev)


_PLAIN = object()  # RootIndex._on_record: a file on record as failing the prefilter


class ResultCache:
    """A folder of index files, one per (root, spec)."""

    def __init__(self, directory: str | os.PathLike[str] | None = None,
                 *, max_indexes: int = MAX_INDEXES) -> None:
        self.directory = Path(directory) if directory is not None else default_cache_dir()
        self.max_indexes = max_indexes

    def __repr__(self) -> str:
        return f"ResultCache({str(self.directory)!r})"

    def index(self, root: str | os.PathLike[str], spec: Spec) -> RootIndex:
        """The index for ``root`` (an absolute path) and ``spec``, loaded if it is there and
        valid, else empty."""
        root_text = str(Path(root))
        key = spec_key(spec)
        name = hashlib.sha256(f"{root_text}\0{key}".encode()).hexdigest()[:40] + SUFFIX
        index = RootIndex(self, self.directory / "inventory" / name, root_text, key)
        index.load()
        return index

    def named_index(self, root: str | os.PathLike[str], name: str) -> RootIndex:
        """An index for ``root`` holding another kind of per-file result, told apart by
        ``name`` (which stands where the spec stands in the keys)."""
        root_text = str(Path(root))
        key = f"{name}\0{FORMAT}"
        digest = hashlib.sha256(f"{root_text}\0{key}".encode()).hexdigest()[:40] + SUFFIX
        index = RootIndex(self, self.directory / "inventory" / digest, root_text, key)
        index.load()
        return index

    def prune(self, folder: Path, keep: int | None = None) -> None:
        """Keep the ``max_indexes`` (or ``keep``) most recently used index files; drop stray
        temporary files."""
        try:
            entries = list(os.scandir(folder))
        except OSError:
            return
        indexes = []
        for entry in entries:
            try:
                st = entry.stat()
            except OSError:
                continue
            if entry.name.endswith(SUFFIX):
                indexes.append((st.st_mtime_ns, entry.path))
            elif entry.name.endswith(".tmp") and st.st_mtime_ns < _now_ns() - 3600 * 10**9:
                _unlink(entry.path)
            elif entry.name.endswith(SUFFIX + JOURNAL) and not os.path.exists(
                    entry.path[: -len(JOURNAL)]):
                _unlink(entry.path)  # its index is gone
        indexes.sort(reverse=True)
        limit = self.max_indexes if keep is None else min(keep, self.max_indexes)
        for _, path in indexes[limit:]:
            _unlink(path)
            _unlink(path + JOURNAL)


class RootIndex:
    """The cached results of one root for one spec: ``rel -> (key, payload, signature)``, and
    ``rel -> signature`` for the files that failed the prefilter."""

    def __init__(self, cache: ResultCache, path: Path, root: str, spec: str) -> None:
        self.cache = cache
        self.path = path
        self.root = root
        self.spec = spec
        self.tool = tool_version()
        self._base = hashlib.sha256(f"{self.tool}\0{spec}\0".encode())
        self.started_ns = _now_ns()
        self._old: dict[str, tuple[bytes, Any, Signature | None]] = {}
        self._new: dict[str, tuple[bytes, Any, Signature | None]] = {}
        self._old_plain: dict[str, Signature] = {}
        self._new_plain: dict[str, Signature] = {}
        # What the index file holds (without its journal), and its SHA-256 (None: no file).
        self._disk: dict[str, tuple[bytes, Any, Signature | None]] = {}
        self._disk_plain: dict[str, Signature] = {}
        self._disk_digest: bytes | None = None
        self._dirty = False
        self.hits = 0
        self.misses = 0

    # -- reading -------------------------------------------------------------------------------
    def load(self) -> None:
        try:
            with open(self.path, "rb") as fh:
                blob = fh.read()
        except OSError:
            return  # none yet, or unreadable: start empty
        decoded = self._decode(blob)
        if decoded is None:
            self._dirty = True  # corrupt or from another version: rewrite it
            return
        self._disk, self._disk_plain = decoded
        self._disk_digest = blob[len(MAGIC) : len(MAGIC) + 32]
        self._old, self._old_plain = self._disk, self._disk_plain
        journal = self._read_journal()
        if journal is not None:
            changed, changed_plain = journal
            self._old, self._old_plain = dict(self._disk), dict(self._disk_plain)
            for target, changes in ((self._old, changed), (self._old_plain, changed_plain)):
                for rel, value in changes.items():
                    if value is None:
                        target.pop(rel, None)
                    else:
                        target[rel] = value
        try:
            os.utime(self.path)  # most recently used, for pruning
        except OSError:
            pass

    def _read_journal(self) -> tuple[dict[str, Any], dict[str, Any]] | None:
        """The changes the journal beside the index holds (None for a dropped entry), or None
        when there is no journal, or one that is damaged or extends another index."""
        try:
            with open(self._journal_path, "rb") as fh:
                blob = fh.read()
        except OSError:
            return None
        data = unpack_blob(blob)
        if data is None or not self._ours(data) or data.get("base") != self._disk_digest:
            return None
        entries, plain = data.get("entries"), data.get("plain")
        if not isinstance(entries, dict) or not isinstance(plain, dict):
            return None
        return entries, plain

    @property
    def _journal_path(self) -> Path:
        return self.path.with_name(self.path.name + JOURNAL)

    def _ours(self, data: dict[str, Any]) -> bool:
        return data.get("format") == FORMAT and (
            data.get("tool"), data.get("root"), data.get("spec")) == (
            self.tool, self.root, self.spec)

    def _decode(self, blob: bytes) -> tuple[dict[str, Any], dict[str, Any]] | None:
        data = unpack_blob(blob)
        if data is None or not self._ours(data):
            return None
        entries, plain = data.get("entries"), data.get("plain")
        if not isinstance(entries, dict) or not isinstance(plain, dict):
            return None
        return entries, plain

    def signature(self, st: os.stat_result) -> Signature | None:
        """The signature to record for a file ``stat`` describes (None: too recent)."""
        return stat_signature(st, self.started_ns)

    def holds(self, rel: str, sig: Signature | None) -> bool:
        """Whether :meth:`unchanged` would find ``rel`` with this signature (marking nothing)."""
        return self._on_record(rel, sig) is not None

    def knows(self, rel: str) -> bool:
        """Whether ``rel`` has anything on record (a file that has not, in an empty cache or
        a new one, need not be ``stat``-ed before it is read)."""
        return rel in self._old or rel in self._old_plain

    def unchanged(self, rel: str, sig: Signature | None) -> tuple[bool, Any]:
        """(True, payload) when ``rel`` has this signature on record: its stored payload, or None
        for a file that failed the prefilter; (False, None) when it must be read."""
        entry = self._on_record(rel, sig)
        if entry is None:
            return False, None
        if entry is _PLAIN:
            self._new_plain[rel] = sig
            return True, None
        self._new[rel] = entry
        self.hits += 1
        return True, entry[1]

    def _on_record(self, rel: str, sig: Signature | None) -> Any:
        """The entry ``rel`` has on record with this signature, :data:`_PLAIN` for a file that
        failed the prefilter, or None."""
        if sig is None:
            return None
        if self._old_plain.get(rel) == sig:
            return _PLAIN
        entry = self._old.get(rel)
        return entry if isinstance(entry, tuple) and len(entry) == 3 and entry[2] == sig else None

    def plain(self, rel: str, sig: Signature | None) -> None:
        """Record that ``rel`` (with this signature) failed the prefilter."""
        if sig is None:
            return
        self._new_plain[rel] = sig
        if self._old_plain.get(rel) != sig:
            self._dirty = True

    def key(self, rel: str, data: bytes) -> bytes:
        """SHA-256 of tool version, spec, relative path and content."""
        h = self._base.copy()
        h.update(rel.encode("utf-8", "surrogateescape") + b"\0")
        h.update(data)
        return h.digest()

    def get(self, rel: str, key: bytes, sig: Signature | None = None) -> Any | None:
        """The payload stored for ``rel`` under ``key``, or None (and the entry is dropped).
        ``sig`` is the file's signature now, recorded with the entry."""
        entry = self._old.get(rel)
        if isinstance(entry, tuple) and len(entry) == 3 and entry[0] == key:
            if entry[2] != sig:
                entry = (key, entry[1], sig)
                self._dirty = True
            self._new[rel] = entry
            self.hits += 1
            return entry[1]
        self.misses += 1
        return None

    def has(self, rel: str, key: bytes) -> bool:
        """Whether :meth:`get` would find ``rel`` under ``key`` (marking nothing used)."""
        entry = self._old.get(rel)
        return isinstance(entry, tuple) and len(entry) == 3 and entry[0] == key

    def forget(self, rel: str) -> None:
        """Drop an entry whose payload could not be used."""
        self._new.pop(rel, None)
        self._dirty = True

    # -- writing -------------------------------------------------------------------------------
    def put(self, rel: str, key: bytes, payload: Any, sig: Signature | None = None) -> None:
        self._new[rel] = (key, payload, sig)
        self._dirty = True

    def save(self) -> bool:
        """Write the entries used or added in this run (atomically) if anything changed; the
        entries of files that are gone or changed are dropped. Never raises for I/O."""
        if (not self._dirty and self._new.keys() == self._old.keys()
                and self._new_plain.keys() == self._old_plain.keys()):
            return False
        head = {"format": FORMAT, "tool": self.tool, "root": self.root, "spec": self.spec}
        written = False
        if self._disk_digest is not None:  # a few changes go to the journal
            changed: dict[str, Any] = {rel: entry for rel, entry in self._new.items()
                                       if self._disk.get(rel) is not entry}
            changed.update(dict.fromkeys(self._disk.keys() - self._new.keys()))
            changed_plain: dict[str, Any] = {rel: sig for rel, sig in self._new_plain.items()
                                             if self._disk_plain.get(rel) != sig}
            changed_plain.update(dict.fromkeys(self._disk_plain.keys() - self._new_plain.keys()))
            if len(changed) + len(changed_plain) <= JOURNAL_SHARE * (
                    len(self._new) + len(self._new_plain)):
                if not write_blob(self._journal_path, marshal.dumps(
                        {**head, "base": self._disk_digest, "entries": changed,
                         "plain": changed_plain}, 4)):
                    return False
                written = True
        if not written:
            body = marshal.dumps({**head, "entries": self._new, "plain": self._new_plain}, 4)
            if not write_blob(self.path, body):
                return False
            _unlink(self._journal_path)
            self._disk, self._disk_plain = dict(self._new), dict(self._new_plain)
            self._disk_digest = hashlib.sha256(body).digest()
        self._old, self._old_plain, self._dirty = dict(self._new), dict(self._new_plain), False
        self.cache.prune(self.path.parent)
        return True

    def __len__(self) -> int:
        return len(self._new)

    def entries(self) -> Mapping[str, tuple[bytes, Any, Signature | None]]:
        return self._new


def file_value(index: RootIndex | None, base: Path, rel: str, read: Callable[[], bytes],
               compute: Callable[[bytes], Any], valid: Callable[[Any], bool]) -> Any:
    """``compute(data)`` for the file ``rel`` under ``base`` (a ``marshal``-able value), kept in
    ``index`` by the file's content; a file whose ``stat`` signature is on record is not even
    read (``read`` gives its bytes). A link or a special file is read as a reader would and not
    kept, and neither is an empty or unreadable one (``read`` gives b""); so with no ``index``."""
    import stat

    sig = None
    if index is not None:
        try:
            st = os.stat(base / rel, follow_symlinks=False)
        except OSError:
            st = None
        if st is not None and stat.S_ISREG(st.st_mode):
            sig = index.signature(st)
            known, payload = index.unchanged(rel, sig)
            if known and valid(payload):
                return payload
        else:
            index = None
    data = read()
    if index is None or not data:
        return compute(data)
    key = index.key(rel, data)
    payload = index.get(rel, key, sig)
    if valid(payload):
        return payload
    value = compute(data)
    index.put(rel, key, value, sig)
    return value


def unpack_blob(blob: bytes) -> dict[str, Any] | None:
    """The dict an index or journal file holds, or None when it is not one (its magic, its
    SHA-256, what ``marshal`` reads)."""
    head = len(MAGIC) + 32
    if len(blob) < head or not blob.startswith(MAGIC):
        return None
    body = blob[head:]
    if hashlib.sha256(body).digest() != blob[len(MAGIC) : head]:
        return None
    try:
        data = marshal.loads(body)
    except (EOFError, ValueError, TypeError):
        return None
    return data if isinstance(data, dict) else None


def write_blob(path: Path, body: bytes) -> bool:
    """``MAGIC``, the SHA-256 of ``body`` and ``body`` written to ``path`` atomically (False when
    it cannot be written)."""
    folder = path.parent
    tmp = folder / f".{path.name}.{os.getpid()}.{os.urandom(4).hex()}.tmp"
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        with open(tmp, "wb") as fh:
            fh.write(MAGIC + hashlib.sha256(body).digest() + body)
        os.replace(tmp, path)
    except OSError:
        _unlink(tmp)
        return False
    return True


def _unlink(path: str | os.PathLike[str]) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def _now_ns() -> int:
    import time

    return time.time_ns()


def named_indexes(cache: ResultCache | str | os.PathLike[str] | bool | None,
                  roots: Mapping[str, Path], name: str) -> dict[str, RootIndex]:
    """:meth:`ResultCache.named_index` ``name`` for each root (label -> folder) of the cache
    ``cache`` (as :func:`resolve` takes it); {} when the cache is off or cannot be used (no home
    folder, an unreadable folder): the caller then works without it."""
    return root_indexes(cache, roots, lambda store, path: store.named_index(path, name))


def spec_indexes(cache: ResultCache | str | os.PathLike[str] | bool | None,
                 roots: Mapping[str, Path], spec: Spec) -> dict[str, RootIndex]:
    """:meth:`ResultCache.index` for ``spec`` for each root, as :func:`named_indexes`."""
    return root_indexes(cache, roots, lambda store, path: store.index(path, spec))


def root_indexes(cache: ResultCache | str | os.PathLike[str] | bool | None,
                 roots: Mapping[str, Path],
                 open_one: Callable[[ResultCache, Path], RootIndex]) -> dict[str, RootIndex]:
    """``open_one(store, folder)`` for each root of the usable cache ``cache``; {} when the
    cache is off or cannot be used."""
    store = usable(cache)
    if store is None:
        return {}
    try:
        return {label: open_one(store, path) for label, path in roots.items()}
    except (OSError, RuntimeError, ValueError):
        return {}


def usable(cache: ResultCache | str | os.PathLike[str] | bool | None) -> ResultCache | None:
    """:func:`resolve`, or None when the cache cannot be used (no home folder)."""
    try:
        return resolve(cache)
    except (OSError, RuntimeError, ValueError):
        return None


def resolve(cache: ResultCache | str | os.PathLike[str] | bool | None) -> ResultCache | None:
    """``scan(cache=...)``: None or True -> the default folder, False -> off, a path -> that
    folder, a :class:`ResultCache` -> itself."""
    if cache is None or cache is True:
        return ResultCache()
    if cache is False:
        return None
    if isinstance(cache, ResultCache):
        return cache
    return ResultCache(cache)
