"""Each file's patch made in the process pool ahead of the patch.

The safety checks read the decisions but do not change them, so a patch's files can be made
while the checks run in this process: :meth:`PatchAhead.start` sends every file with rows to the
pool, where each worker reads its files, plans their edits (:func:`idrename.patch.plan_file`),
runs gofmt on its batch as the patch would, and computes the diffs. The results wait in
temporary files, not in this process's memory beside the checks' own. Then
:func:`idrename.patch.build_patch` takes each file's result for the content and rows it was made
for (and learns what gofmt said of it, for the cache); a file that changed since, or whose
result was lost, is patched again there.
"""

from __future__ import annotations

import hashlib
import pickle
import shutil
import tempfile
from collections.abc import Mapping
from concurrent.futures import Future, wait
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

    from .patch import FilePatch
    from .transforms import InferenceWiring

PARALLEL_MIN_FILES = 200  # fewer files with edits than this are planned by the patch itself
_BATCH = 16

Key = tuple[str, str]  # root label, path


def _digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


@dataclass
class Finished:
    """One file as a worker left it."""

    digest: bytes  # of the content read
    note: str  # see FilePlan.note
    conflict: str  # why the edits conflict ("" when they do not)
    patch: FilePatch | None  # gofmt'd, its diff computed, ``before`` left out; None on a conflict


def _patch_batch(pickled: bytes, wiring: InferenceWiring | None, toolchain: Any,
                 folder: str) -> list[Finished | None] | str:
    """The unit of work sent to the pool: the jobs (pickled by the parent, which then holds
    only those bytes until the batch is done) and the ``columns`` of their rows; per job (label,
    file, path, rows as tuples), the file finished (None when it cannot be read: the patch
    reports it). They are pickled into a file in ``folder`` and its name returned, so that the
    parent reads them when it wants them, not while it runs the checks; the list itself when
    that fails. What is kept is kept small: the content the parent reads again is left out."""
    from .patch import FilePatch, format_files, plan_file

    jobs: list[tuple[str, str, str, list[tuple[Any, ...]]]]
    columns: list[str]
    jobs, columns = pickle.loads(pickled)
    out: list[Finished | None] = []
    pending: list[FilePatch] = []
    for label, full, path, values in jobs:
        try:
            data = Path(full).read_bytes()
        except OSError:
            out.append(None)
            continue
        rows = [dict(zip(columns, row, strict=True)) for row in values]
        plan = plan_file(label, path, data, rows, wiring)
        patch = None
        if plan.after is not None:
            patch = FilePatch(label, path, data, plan.after, plan.edits, plan.warnings)
            if path.endswith(".go") and patch.changed:
                pending.append(patch)
        out.append(Finished(_digest(data), plan.note, plan.conflict, patch))
    format_files(pending, toolchain)
    for done in out:
        if done is not None and done.patch is not None:
            if done.patch.changed:
                done.patch.diff(3)  # kept with the patch
            done.patch.before = b""
    try:
        with tempfile.NamedTemporaryFile("wb", dir=folder, suffix=".pickle", delete=False) as f:
            pickle.dump(out, f, protocol=pickle.HIGHEST_PROTOCOL)
        return f.name
    except OSError:
        return out


def _read_back(value: list[Finished | None] | str) -> list[Finished | None] | None:
    """What :func:`_patch_batch` returned, read from its file (None when that cannot be read)."""
    if not isinstance(value, str):
        return value
    try:
        with open(value, "rb") as f:
            return pickle.load(f)  # type: ignore[no-any-return]
    except Exception:  # unreadable or damaged: the patch makes those files itself
        return None


class PatchAhead:
    """Files started in the pool; :meth:`take` hands each over once."""

    def __init__(self, rows: dict[Key, bytes], pool: Any,
                 futures: list[tuple[list[Key], Future[Any]]], folder: str,
                 toolchain: Any, memo: Any = None) -> None:
        self._rows = rows  # each file's rows, digested
        self._pool = pool
        self._futures = futures
        self._folder: str | None = folder
        self._done: dict[Key, Finished | None] = {}
        self.toolchain = toolchain  # the Go toolchain whose gofmt the workers ran (or None)
        # the patch memo (idrename.patch._PatchMemo) read to leave out the files it knows, for
        # the patch to read them from (None: none was read)
        self.memo = memo

    @classmethod
    def start(cls, decided: pd.DataFrame, roots: Mapping[str, Path],
              wiring: InferenceWiring | None = None, cache: Any = False) -> PatchAhead | None:
        """The files of ``decided`` with edits, started in the (shared) process pool; None for
        fewer than ``PARALLEL_MIN_FILES`` such files, or without a pool. A Go file the patch
        memo of the result cache (``cache`` as :func:`idrename.inventory.scan` takes it)
        already holds, for its content and rows, is left out: the patch reads it from there
        (False, the default: no memo is read)."""
        from .gotool import find_toolchain
        from .inventory import _start_pool
        from .patch import _PatchMemo, _rows_by_file, rows_repr

        grouped = {key: found for key, found in _rows_by_file(decided, roots).items()
                   if key[0] in roots}
        if len(grouped) < PARALLEL_MIN_FILES:
            return None
        toolchain = find_toolchain()
        memo = _PatchMemo(toolchain, roots, wiring, cache) if cache is not False else None
        if memo is not None and not memo.indexes:
            memo = None
        if memo is not None:
            grouped = {key: found for key, found in grouped.items()
                       if not memo.holds(*key, roots[key[0]] / key[1], rows_repr(found))}
            if len(grouped) < PARALLEL_MIN_FILES:
                return None
        pool = _start_pool()
        if pool is None:
            return None
        columns = list(next(iter(grouped.values()))[0])
        keys = sorted(grouped)
        futures: list[tuple[list[Key], Future[Any]]] = []
        try:
            folder = tempfile.mkdtemp(prefix="idrename-ahead-")
        except OSError:  # no temporary folder: the patch makes them all itself
            pool.shutdown(wait=False)
            return None
        try:
            for i in range(0, len(keys), _BATCH):
                chunk = keys[i : i + _BATCH]
                jobs = [(label, str(Path(roots[label]) / path), path,
                         [tuple(row.values()) for row in grouped[(label, path)]])
                        for label, path in chunk]
                pickled = pickle.dumps((jobs, columns), protocol=pickle.HIGHEST_PROTOCOL)
                futures.append((chunk, pool.submit(_patch_batch, pickled, wiring, toolchain,
                                                   folder)))
        except Exception:  # a broken pool: the patch makes them all itself
            for _chunk, future in futures:
                future.cancel()
            pool.shutdown(wait=False, cancel_futures=True)
            shutil.rmtree(folder, ignore_errors=True)
            return None
        digests = {key: _digest(rows_repr(found)) for key, found in grouped.items()}
        return cls(digests, pool, futures, folder, toolchain, memo)

    def collect(self) -> PatchAhead:
        """Wait for the workers and read what they made (the pool may then be shut down); a
        batch that failed is left to the patch."""
        try:
            for chunk, future in self._futures:
                try:
                    found = _read_back(future.result())
                except Exception:
                    found = None
                if found is not None and len(found) == len(chunk):
                    self._done.update(zip(chunk, found, strict=True))
        finally:
            self._close()
        return self

    def cancel(self) -> None:
        """Give the work up (waiting for the batches already running, so that none writes into
        the temporary folder once it is removed)."""
        running = [future for _chunk, future in self._futures if not future.cancel()]
        wait(running)
        self._close()
        self._done = {}

    def _close(self) -> None:
        self._futures = []
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)  # a shared pool stays up
            self._pool = None
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)
            self._folder = None

    def take(self, label: str, path: str, data: bytes, edits: bytes) -> Finished | None:
        """This file as finished for ``data`` and its rows (once), else None. ``edits``: the
        rows, as :func:`idrename.patch.rows_repr` gives them."""
        self.collect()
        found = self._done.pop((label, path), None)
        if (found is None or found.digest != _digest(data)
                or self._rows.get((label, path)) != _digest(edits)):
            return None
        if found.patch is not None:
            found.patch.before = data
        return found
