"""One function run in a forked child process while this process goes on.

A re-plan after a small edit spends most of its time in two stages that read the same decided
rows and nothing of each other: the compatibility matrix and the symbol-level safety checks.
:func:`start` runs the second in a child forked from this process, so it inherits the rows
as they are (nothing is pickled on the way in) and only its result, plain data, comes back
through a pipe.

Forking is done only when it is safe and cheap: on a platform with ``fork``, when this process
runs a single thread (a forked copy of a process with other threads can deadlock on a lock one
of them held: a notebook kernel, a process pool's manager, a Dask client), and unless
``IDRENAME_NO_FORK`` is set. Otherwise :func:`start` returns None and the caller computes the
value itself. :meth:`Forked.result` returns None when the child failed in any way (raised,
was killed, sent something unreadable): the caller then computes the value itself too, so a
failure in the child costs time, never a result, and an error is raised where it happens again.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar

T = TypeVar("T")

DISABLE_VARIABLE = "IDRENAME_NO_FORK"


class Forked(Generic[T]):
    """A child process computing one value (see :func:`start`)."""

    def __init__(self, process: Any, connection: Any) -> None:
        self._process = process
        self._connection = connection
        self._done = False
        self._value: T | None = None

    def result(self) -> T | None:
        """The child's value, waiting for it; None when the child failed."""
        if not self._done:
            self._done = True
            try:
                status, value = self._connection.recv()
                self._value = value if status == "ok" else None
            except (EOFError, OSError, ValueError, TypeError):
                self._value = None  # died before answering, or answered garbage
            finally:
                self._connection.close()
                self._process.join()
        return self._value

    def cancel(self) -> None:
        """Stop the child: its value is not wanted."""
        if not self._done:
            self._done = True
            self._process.terminate()
            self._connection.close()
            self._process.join()


def can_fork() -> bool:
    """Whether :func:`start` would fork here and now."""
    import multiprocessing

    return (not os.environ.get(DISABLE_VARIABLE)
            and "fork" in multiprocessing.get_all_start_methods()
            and threading.active_count() == 1)


def start(function: Callable[[], T]) -> Forked[T] | None:
    """``function()`` started in a forked child; None when forking is not safe here (see the
    module docstring) or fails."""
    if not can_fork():
        return None
    import multiprocessing

    for stream in (sys.stdout, sys.stderr):  # else the child would write their buffers again
        try:
            stream.flush()
        except (AttributeError, OSError, ValueError):
            pass
    context = multiprocessing.get_context("fork")
    receiving, sending = context.Pipe(duplex=False)
    # not a daemon: a daemonic process may not start a process pool of its own
    process = context.Process(target=_child, args=(function, sending), daemon=False)
    try:
        process.start()
    except OSError:
        receiving.close()
        sending.close()
        return None
    sending.close()  # the child's end: the parent holds only its own
    return Forked(process, receiving)


def _child(function: Callable[[], Any], connection: Any) -> None:
    import signal

    # Stopped by Forked.cancel: unwind (SystemExit), so that a process pool the function
    # started is shut down with it instead of outliving it.
    signal.signal(signal.SIGTERM, _stop)
    try:
        message = ("ok", function())
    except BaseException as exc:  # reported to the parent, which computes the value again
        message = ("error", f"{type(exc).__name__}: {exc}")
    try:
        connection.send(message)
    except Exception:  # a value that cannot be pickled: nothing was written, the parent
        pass  # reads end-of-file and computes the value itself
    finally:
        connection.close()


def _stop(signum: int, frame: Any) -> None:
    raise SystemExit(128 + signum)
