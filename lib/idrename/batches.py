"""Per-file work in batches: in the caller's executor, in a process pool of our own when there
is a lot of it, or in this process.

``Batches(fn, jobs, *args, executor=..., min_jobs=..., size=...)`` submits ``fn(chunk, *args)``
for chunks of ``size`` jobs at once (``fn`` returns one result per job) and :meth:`Batches.result`
collects the results in job order. Without an executor, a pool is started (see
:func:`idrename.inventory._start_pool`: inside ``shared_pool()`` it is the shared one) only for
``min_jobs`` jobs or more; fewer are run here when the results are asked for. A failure of our
own pool (it cannot start, a worker dies) runs the chunk here; a failure in the caller's executor
is raised, for the caller to see.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from typing import Any


class Batches:
    """``fn`` over ``jobs`` in chunks, started (see the module doc)."""

    def __init__(self, fn: Callable[..., list[Any]], jobs: Sequence[Any], *args: Any,
                 executor: Executor | None, min_jobs: int, size: int) -> None:
        self.fn = fn
        self.jobs = list(jobs)
        self.args = args
        self.executor = executor
        self.chunks = [self.jobs[i : i + size] for i in range(0, len(self.jobs), size)]
        self.futures: list[Any] = []
        self.pool: Executor | None = None
        target = executor
        if target is None and len(self.jobs) >= min_jobs:
            from .inventory import _start_pool

            self.pool = target = _start_pool()
        if target is None or not self.jobs:
            return
        try:
            self.futures = [target.submit(fn, chunk, *args) for chunk in self.chunks]
        except Exception:
            if executor is not None:
                raise
            self.futures = []  # our pool is broken: run them here

    def result(self) -> list[Any]:
        """Each job's result, in job order (waiting for the pool)."""
        try:
            if not self.futures:
                return self.fn(self.jobs, *self.args) if self.jobs else []
            out: list[Any] = []
            for chunk, future in zip(self.chunks, self.futures, strict=True):
                try:
                    out.extend(future.result())
                except Exception:
                    if self.executor is not None:
                        raise  # the caller's executor: its failures are the caller's to see
                    out.extend(self.fn(chunk, *self.args))  # our pool broke: run them here
            return out
        finally:
            self._close()

    def cancel(self) -> None:
        """Give the work up (results are then not asked for)."""
        for future in self.futures:
            future.cancel()
        self._close()

    def _close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None
