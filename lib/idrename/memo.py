"""Whole-stage results remembered by the digest of everything the stage can read.

The compatibility matrix and the safety checks of a plan depend on the tool, the policy and the
files under the roots, nothing else. :func:`tree_digest` hashes the files the way git's index
sees them: every regular file's path and content, the content known by the file's ``stat``
signature (size, modification and change times in nanoseconds, inode, device) when a
:class:`ContentTable` recorded it, and read otherwise, always for a file changed within
:data:`idrename.cache.RACY_NS` of now (an edit in the same clock tick would otherwise go
unseen). A file added, removed, renamed or edited changes the digest; a file touched or
rewritten with the same bytes does not (it is read once). Without a table (no cache), the
signature stands for the content, and a touch changes the digest too.

:class:`StageMemo` keeps a stage's result under ``<cache>/stages``, one file per key, written
atomically, with the same guards as the per-file cache: a file that is truncated, corrupt (its
SHA-256 is checked), from another tool version or for another key is ignored, and values are
``marshal``-able data, so loading one never runs code. A result is stored only when the tree
digest taken after the stage equals the one taken before, so a file edited while the stage ran
cannot leave a result filed under contents it was not computed from.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import marshal
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import cache as _cache
from .cache import ResultCache, _now_ns, tool_version, unpack_blob, usable, write_blob

# Folders the Go facts and the symbol index always skip: left out of the digest when the
# policy's skip list (the inventory's) names them too.
_SKIPPED_BY_ALL = frozenset({".git", ".hg", ".svn", "vendor", "node_modules"})
_FORMAT = 1
_STAGES = "stages"
_FILES = "files"
# Stage results kept (the most recently used): a few plans' worth of each kind. One result of
# the benchmark tree weighs up to 2 MB.
MAX_STAGE_RESULTS = 64


class ContentTable:
    """What git's index keeps for a root: each file's ``stat`` signature and the digest of its
    content, so that a file touched or rewritten with the same bytes (a checkout, a stash and
    its pop, a formatter that changed nothing) leaves :func:`tree_digest` as it was: its content
    is read once, then its new signature is trusted as the old one was. Kept in
    ``<cache>/files``, with the guards of every cache file; a file changed within
    :data:`idrename.cache.RACY_NS` of now is read every time, never recorded."""

    def __init__(self, path: Path | None, root: str, store: ResultCache | None = None) -> None:
        self.path = path
        self.root = root
        self.store = store
        self.files: dict[str, tuple[tuple[int, ...], bytes]] = {}
        self.dirty = False
        if path is not None:
            try:
                with open(path, "rb") as fh:
                    data = unpack_blob(fh.read())
            except OSError:
                data = None
            if data is not None and (data.get("tool"), data.get("root")) == \
                    (tool_version(), root) and isinstance(data.get("files"), dict):
                self.files = data["files"]

    @classmethod
    def of(cls, store: ResultCache | None, root: str) -> ContentTable:
        if store is None:
            return cls(None, root)
        name = hashlib.sha256(root.encode("utf-8", "surrogateescape")).hexdigest()[:40]
        return cls(store.directory / _FILES / f"{name}.idx", root, store)

    def digest(self, rel: str, path: str, signature: tuple[int, ...], racy: bool) -> bytes:
        known = self.files.get(rel)
        if known is not None and not racy and tuple(known[0]) == signature:
            return known[1]
        found = _content_digest(path)
        if not racy:
            self.files[rel] = (signature, found)
            self.dirty = True
        return found

    def save(self) -> None:
        if self.path is None or not self.dirty:
            return
        body = marshal.dumps({"tool": tool_version(), "root": self.root, "files": self.files}, 4)
        if write_blob(self.path, body):
            self.dirty = False
            if self.store is not None:
                self.store.prune(self.path.parent, MAX_STAGE_RESULTS)


def tree_digest(root: str | os.PathLike[str], skip: Iterable[str] = (),
                table: ContentTable | None = None) -> str:
    """SHA-256 of the paths and ``stat`` signatures of every file under ``root`` that a stage of
    a plan may read (links are followed for files, as a reader would; folder links are not
    walked, as no stage walks them); with a ``table``, of the paths and the files' contents
    (a file whose signature the table knows is not read). ``skip`` is the policy's skip list: a
    folder is left out only when every stage leaves it out."""
    left_out = _SKIPPED_BY_ALL & set(skip)
    racy = _now_ns() - _cache.RACY_NS
    h = hashlib.sha256()
    stack = [(os.fspath(root), "")]
    while stack:
        folder, prefix = stack.pop()
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            h.update(f"!{prefix}:{exc.errno}\n".encode())
            continue
        below = []
        for entry in entries:
            rel = prefix + entry.name
            try:
                if entry.is_dir(follow_symlinks=False):
                    if entry.name not in left_out:
                        below.append((entry.path, rel + "/"))
                    continue
                st = entry.stat()  # follows a file link: what a reader sees
            except OSError as exc:
                h.update(f"?{rel}:{exc.errno}\n".encode("utf-8", "surrogateescape"))
                continue
            if entry.is_symlink() and not os.path.isfile(entry.path):
                h.update(f"@{rel}\n".encode("utf-8", "surrogateescape"))
                continue
            is_racy = st.st_mtime_ns >= racy or st.st_ctime_ns >= racy
            if table is not None:
                signature = (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev)
                h.update(f"{rel}\0".encode("utf-8", "surrogateescape"))
                h.update(table.digest(rel, entry.path, signature, is_racy))
                h.update(b"\n")
                continue
            line = f"{rel}\0{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}:{st.st_ino}:{st.st_dev}"
            h.update(line.encode("utf-8", "surrogateescape"))
            if is_racy:
                h.update(_content_digest(entry.path))
            h.update(b"\n")
        stack.extend(reversed(below))
    if table is not None:
        table.save()
    return h.hexdigest()


def _content_digest(path: str) -> bytes:
    try:
        with open(path, "rb") as fh:
            return hashlib.sha256(fh.read()).digest()
    except OSError as exc:
        return f"unreadable:{exc.errno}".encode()


def policy_digest(policy: Any) -> str:
    """SHA-256 of everything a policy holds except where it was read from."""
    fields = {f.name: getattr(policy, f.name) for f in dataclasses.fields(policy)
              if f.name != "path"}
    text = json.dumps(fields, sort_keys=True, default=_plain, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {"_": type(value).__name__,
                **{f.name: getattr(value, f.name) for f in dataclasses.fields(value)}}
    if isinstance(value, (set, frozenset)):
        return sorted(value, key=repr)
    if isinstance(value, Mapping):
        return {str(k): v for k, v in value.items()}
    if isinstance(value, Path):
        return str(value)
    raise TypeError(f"cannot digest a {type(value).__name__}")


def inputs_digest(*parts: Any) -> str:
    """SHA-256 of the tool version and ``parts`` (JSON-able)."""
    text = json.dumps([tool_version(), _FORMAT, *parts], sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass
class Inputs:
    """The files a plan reads, as digests of its roots (:func:`tree_digest`) taken before any
    of them is read; :meth:`unchanged` tells, after a stage, whether they still hold."""

    trees: list[tuple[str, str]]
    skip: tuple[str, ...] = ()
    tables: dict[str, ContentTable] = dataclasses.field(default_factory=dict)

    @classmethod
    def of(cls, roots: Iterable[str | os.PathLike[str]], skip: Iterable[str] = (),
           store: ResultCache | None = None) -> Inputs | None:
        """The inputs under ``roots`` (None when one is not a folder: nothing is remembered).
        With a ``store``, the digests are of the files' contents (:class:`ContentTable`)."""
        folders = [Path(r).resolve() for r in roots]
        if not all(f.is_dir() for f in folders):
            return None
        skip = tuple(skip)
        tables = {str(f): ContentTable.of(store, str(f)) for f in folders} if store else {}
        return cls([(str(f), tree_digest(f, skip, tables.get(str(f)))) for f in folders], skip,
                   tables)

    def key(self, *parts: Any) -> str:
        """The key of a result computed from these files and ``parts`` (JSON-able)."""
        return inputs_digest(self.trees, *parts)

    def unchanged(self) -> bool:
        return all(tree_digest(folder, self.skip, self.tables.get(folder)) == digest
                   for folder, digest in self.trees)


class StageMemo:
    """Stage results by key, in ``<cache>/stages`` (``cache`` as :func:`idrename.cache.resolve`
    takes it); inert when the cache is off or cannot be used."""

    def __init__(self, cache: ResultCache | str | os.PathLike[str] | bool | None = None) -> None:
        self.store = usable(cache)

    def _path(self, stage: str, key: str) -> Path | None:
        if self.store is None:
            return None
        return self.store.directory / _STAGES / f"{stage}-{key[:40]}.idx"

    def get(self, stage: str, key: str) -> Any | None:
        """The value stored for ``stage`` under ``key``, or None."""
        path = self._path(stage, key)
        if path is None:
            return None
        try:
            with open(path, "rb") as fh:
                blob = fh.read()
        except OSError:
            return None
        data = unpack_blob(blob)
        if data is None or (data.get("tool"), data.get("stage"), data.get("key")) \
                != (tool_version(), stage, key):
            return None
        try:
            os.utime(path)  # most recently used, for pruning
        except OSError:
            pass
        return data.get("value")

    def put(self, stage: str, key: str, value: Any) -> bool:
        """Store ``value`` (atomically); False when it could not be written."""
        path = self._path(stage, key)
        if path is None or self.store is None:
            return False
        try:
            body = marshal.dumps({"tool": tool_version(), "stage": stage, "key": key,
                                  "value": value}, 4)
        except ValueError:
            return False
        if not write_blob(path, body):
            return False
        self.store.prune(path.parent, MAX_STAGE_RESULTS)
        return True
