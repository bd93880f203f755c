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

A child can also be given one value after it started (:class:`Handoff`): the checks fork before
the decisions are made, index the files while this process decides, then wait for the decided
rows. Giving never waits for the child: the value goes to an unnamed temporary file both share,
and only its size through a pipe.
"""

from __future__ import annotations

import os
import pickle
import sys
import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar

T = TypeVar("T")

DISABLE_VARIABLE = "IDRENAME_NO_FORK"
STOP_SECONDS = 5.0  # how long Forked.cancel waits for a child to unwind before killing it


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
        """Stop the child: its value is not wanted. SIGTERM first, so that it unwinds (a pool
        it started goes down with it); SIGKILL if it is still there after
        :data:`STOP_SECONDS` (a SystemExit can be lost, raised in a finalizer), so that a
        cancel never waits for ever."""
        if not self._done:
            self._done = True
            self._process.terminate()
            self._connection.close()
            self._process.join(STOP_SECONDS)
            if self._process.is_alive():
                self._process.kill()
                self._process.join()


class Handoff(Generic[T]):
    """One value given by this process to a child forked after the handoff was made (pass it to
    :func:`start`): :meth:`give` here, :meth:`take` there. Make one per child."""

    def __init__(self) -> None:
        import multiprocessing
        import tempfile

        self._file = tempfile.TemporaryFile()  # unnamed: gone when both sides close it
        self._receiving, self._sending = multiprocessing.get_context("fork").Pipe(duplex=False)
        self._given = False

    def give(self, value: T) -> bool:
        """Hand ``value`` over (pickled); False when it could not be (the child then reads
        end-of-file). Returns without waiting for the child to take it."""
        if self._given:
            raise RuntimeError("a handoff gives one value")
        self._given = True
        try:
            data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
            fd, done = self._file.fileno(), 0
            while done < len(data):
                done += os.pwrite(fd, memoryview(data)[done:], done)
            self._sending.send(len(data))  # a few bytes: the pipe's buffer holds them
            return True
        except (OSError, ValueError, pickle.PicklingError, TypeError, AttributeError):
            return False
        finally:
            self._sending.close()

    def take(self) -> T:
        """The value given (in the child), waiting for it; EOFError when the parent closed its
        side without giving one."""
        size = self._receiving.recv()
        fd, parts, done = self._file.fileno(), [], 0
        while done < size:
            part = os.pread(fd, size - done, done)
            if not part:
                raise EOFError("the handed-over value was cut short")
            parts.append(part)
            done += len(part)
        value: T = pickle.loads(b"".join(parts))
        return value

    def close(self) -> None:
        """Give nothing (the child's :meth:`take` raises EOFError) and let the file go."""
        self._sending.close()
        self._receiving.close()
        self._file.close()

    def _in_parent(self) -> None:
        self._receiving.close()

    def _in_child(self) -> None:
        self._sending.close()


def can_fork() -> bool:
    """Whether :func:`start` would fork here and now."""
    import multiprocessing

    return (not os.environ.get(DISABLE_VARIABLE)
            and "fork" in multiprocessing.get_all_start_methods()
            and threading.active_count() == 1)


def start(function: Callable[[], T], handoff: Handoff[Any] | None = None) -> Forked[T] | None:
    """``function()`` started in a forked child; None when forking is not safe here (see the
    module docstring) or fails. With ``handoff``, ``function`` may take its value in the child
    (the caller gives it, or closes the handoff)."""
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
    process = context.Process(target=_child, args=(function, sending, handoff), daemon=False)
    try:
        process.start()
    except OSError:
        receiving.close()
        sending.close()
        return None
    sending.close()  # the child's end: the parent holds only its own
    if handoff is not None:
        handoff._in_parent()
    return Forked(process, receiving)


def _child(function: Callable[[], Any], connection: Any, handoff: Handoff[Any] | None) -> None:
    import signal

    if handoff is not None:
        handoff._in_child()  # else its take() would never see the parent close its side
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
