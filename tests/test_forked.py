"""idrename.forked: a value computed in a forked child, and None (the caller computes it
itself) wherever forking is unsafe or the child fails."""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

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
