"""idrename.forked: a value computed in a forked child, and None (the caller computes it
itself) wherever forking is unsafe or the child fails."""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from idrename import forked


@pytest.fixture(autouse=True)
def _forking_allowed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(forked.DISABLE_VARIABLE, raising=False)
    assert threading.active_count() == 1, "a thread left running by another test"


def test_the_value_comes_from_a_child_process() -> None:
    child = forked.start(lambda: (os.getpid(), {"rows": [1, 2, 3]}))
    assert child is not None
    value = child.result()
    assert value is not None
    pid, data = value
    assert pid != os.getpid() and data == {"rows": [1, 2, 3]}
    assert child.result() == value  # asked again: the same, without waiting


def test_a_large_value_comes_back_whole() -> None:
    child = forked.start(lambda: ["x" * 100] * 20_000)  # far more than a pipe's buffer
    assert child is not None and child.result() == ["x" * 100] * 20_000


def test_a_child_that_raises_gives_none() -> None:
    def fails() -> int:
        raise RuntimeError("index broken")

    child = forked.start(fails)
    assert child is not None and child.result() is None


def test_a_child_that_dies_gives_none() -> None:
    def dies() -> int:
        os.kill(os.getpid(), signal.SIGKILL)
        return 1

    child = forked.start(dies)
    assert child is not None and child.result() is None


def test_a_value_that_cannot_be_sent_gives_none() -> None:
    child = forked.start(lambda: threading.Lock())  # not picklable
    assert child is not None and child.result() is None


def test_no_fork_while_another_thread_runs() -> None:
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert not forked.can_fork()
        assert forked.start(lambda: 1) is None
    finally:
        stop.set()
        other.join()
    assert forked.can_fork()


def test_no_fork_when_the_variable_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(forked.DISABLE_VARIABLE, "1")
    assert forked.start(lambda: 1) is None


def test_cancel_stops_the_child() -> None:
    child = forked.start(lambda: time.sleep(60))
    assert child is not None
    started = time.monotonic()
    child.cancel()
    assert time.monotonic() - started < 10
    assert child.result() is None
    assert not child._process.is_alive()


def _deaf_to_sigterm() -> None:
    signal.signal(signal.SIGTERM, signal.SIG_IGN)  # as a lost SystemExit would leave it
    time.sleep(60)


def test_cancel_kills_a_child_the_stop_signal_did_not_end(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(forked, "STOP_SECONDS", 0.5)
    child = forked.start(_deaf_to_sigterm)
    assert child is not None
    time.sleep(0.3)  # the child has set its handler
    started = time.monotonic()
    child.cancel()
    assert time.monotonic() - started < 10
    assert not child._process.is_alive()


def _pool_then_wait(pids: str) -> None:
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=2) as pool:
        workers = list(pool.map(_pid, range(8)))
        with open(pids, "w") as f:
            f.write(" ".join(str(p) for p in set(workers)))
        time.sleep(60)


def _pid(_: int) -> int:
    time.sleep(0.05)
    return os.getpid()


def test_cancel_takes_the_childs_own_pool_down_with_it(tmp_path: Path) -> None:
    pids = tmp_path / "pids"
    child = forked.start(lambda: _pool_then_wait(str(pids)))
    assert child is not None
    deadline = time.monotonic() + 30
    while not (pids.exists() and pids.read_text()) and time.monotonic() < deadline:
        time.sleep(0.05)
    workers = [int(p) for p in pids.read_text().split()]
    assert workers
    child.cancel()
    deadline = time.monotonic() + 30
    alive = workers
    while alive and time.monotonic() < deadline:
        alive = [p for p in workers if _running(p)]
        time.sleep(0.05)
    assert alive == []  # no worker of the child's pool outlives it


def _running(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split()[2] != "Z"
    except OSError:
        return False


@pytest.fixture
def deadline() -> Any:
    """Fails a test that would wait for ever (SIGALRM after 30 s)."""

    def expired(signum: int, frame: Any) -> None:
        raise TimeoutError("waited for ever")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(30)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def test_a_value_handed_over_after_the_fork_reaches_the_child(deadline: Any) -> None:
    """A handoff gives a child forked before the value existed that value, large as it may be,
    without waiting for the child: here the child takes it only once the give has returned."""
    handoff: forked.Handoff[list[str]] = forked.Handoff()
    go_ahead_read, go_ahead_write = os.pipe()

    def takes() -> tuple[int, list[str]]:
        os.read(go_ahead_read, 1)  # only after the parent's give returned
        return os.getpid(), handoff.take()

    child = forked.start(takes, handoff)
    assert child is not None
    value = ["y" * 100] * 50_000  # far more than a pipe's buffer
    assert handoff.give(value)
    os.write(go_ahead_write, b"!")
    result = child.result()
    assert result is not None and result[0] != os.getpid() and result[1] == value
    with pytest.raises(RuntimeError, match="one value"):
        handoff.give(value)
    handoff.close()


def test_a_child_waiting_for_a_value_stops_when_none_will_come(deadline: Any) -> None:
    """The parent closes the handoff without giving (or dies): the child's take sees the end
    of the pipe, not a wait for ever."""
    handoff: forked.Handoff[int] = forked.Handoff()
    child = forked.start(handoff.take, handoff)
    assert child is not None
    handoff.close()
    assert child.result() is None
    assert not child._process.is_alive()


def test_a_value_that_cannot_be_pickled_is_not_handed_over(deadline: Any) -> None:
    handoff: forked.Handoff[Any] = forked.Handoff()
    child = forked.start(handoff.take, handoff)
    assert child is not None
    assert handoff.give(threading.Lock()) is False
    assert child.result() is None
    handoff.close()
