"""The inventory's per-file work on other executors gives exactly the rows of a run in this
process: the default process pool for large trees, a thread pool, and a Dask cluster through
``client.get_executor()``."""

from __future__ import annotations

import importlib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pandas as pd
import pytest

from idrename import corpus
from idrename.spec import Spec

inventory = importlib.import_module("idrename.inventory")  # the package exports a function too

SPEC = Spec("RunID", "SessionID", explicit={"runLoop": "sessionLoop"})


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """More files than PARALLEL_MIN_FILES, enough of them with the family to start a pool."""
    info = corpus.generate(tmp_path_factory.mktemp("dask") / "tree", files=240, lines_per_file=30,
                           family_share=0.4, seed=3)
    return info.root


@pytest.fixture(scope="module")
def serial(tree: Path) -> object:
    mp = pytest.MonkeyPatch()
    mp.setattr(inventory, "PARALLEL_MIN_FILES", 10**9)
    try:
        return inventory.scan([tree], SPEC, cache=False)
    finally:
        mp.undo()


def assert_same(got: object, want: object) -> None:
    pd.testing.assert_frame_equal(got.frame, want.frame)  # type: ignore[attr-defined]
    pd.testing.assert_frame_equal(got.related, want.related)  # type: ignore[attr-defined]
    assert got.issues == want.issues  # type: ignore[attr-defined]
    assert (got.files_scanned, got.files_matched) == (  # type: ignore[attr-defined]
        want.files_scanned, want.files_matched)  # type: ignore[attr-defined]


def test_the_tree_is_large_enough_for_the_pool(tree: Path, serial: object) -> None:
    assert serial.files_scanned > inventory.PARALLEL_MIN_FILES  # type: ignore[attr-defined]
    assert serial.files_matched >= inventory.POOL_MIN_PENDING  # type: ignore[attr-defined]
    assert len(serial.frame) > 1000  # type: ignore[attr-defined]


def test_the_default_process_pool_gives_the_serial_rows(tree: Path, serial: object,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[object] = []
    real = inventory._start_pool

    def start() -> object:
        pool = real()
        started.append(pool)
        return pool

    monkeypatch.setattr(inventory, "_start_pool", start)
    progress: list[tuple[int, int]] = []
    got = inventory.scan([tree], SPEC, cache=False, progress=lambda d, t: progress.append((d, t)))
    assert len(started) == 1
    assert_same(got, serial)
    assert progress[-1] == (got.files_scanned, got.files_scanned)
    assert [d for d, _ in progress] == sorted(d for d, _ in progress)


def test_a_pool_that_cannot_start_falls_back_to_this_process(tree: Path, serial: object,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(inventory, "_start_pool", lambda: None)
    assert_same(inventory.scan([tree], SPEC, cache=False), serial)


def test_a_thread_pool(tree: Path, serial: object) -> None:
    with ThreadPoolExecutor(max_workers=2) as pool:
        assert_same(inventory.scan([tree], SPEC, cache=False, executor=pool), serial)


def test_a_dask_cluster(tree: Path, serial: object) -> None:
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        got = inventory.scan([tree], SPEC, cache=False, executor=client.get_executor())
    assert_same(got, serial)


def test_the_cache_fills_the_same_from_the_pool_and_from_here(tree: Path, serial: object,
                                                              tmp_path: Path) -> None:
    inventory.scan([tree], SPEC, cache=tmp_path / "c")  # pool, cold
    assert_same(inventory.scan([tree], SPEC, cache=tmp_path / "c"), serial)  # warm


def _plan(tree: Path, **kwargs: object) -> tuple[object, ...]:
    from idrename.policy import policy_from_terms
    from idrename.workflow import analyse, make_patch

    policy = policy_from_terms("RunID", "SessionID")
    analysis = analyse([tree], policy, **kwargs)  # type: ignore[arg-type]
    patch = make_patch(analysis)
    return (analysis.decided.to_dict("list"), analysis.matrix.to_dict("list"),
            [c.__dict__ for c in analysis.conflicts],
            [(f.path, f.after) for f in patch.changed()])


def test_a_whole_plan_gives_the_same_from_a_pool_a_dask_cluster_and_here(
        tree: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """analyse() sends the inventory, the Go facts and the checks' symbol index to one shared
    process pool (by default) or to the caller's executor; the plan is the same as in this
    process."""
    from idrename import gofacts, gosymbols

    monkeypatch.setenv("IDRENAME_CACHE_DIR", str(tmp_path / "cache-pool"))
    pooled = _plan(tree)
    with monkeypatch.context() as m:
        for module in (inventory, gofacts, gosymbols):
            m.setattr(module, "PARALLEL_MIN_FILES", 10**9)
        m.setenv("IDRENAME_CACHE_DIR", str(tmp_path / "cache-here"))
        here = _plan(tree)
    assert pooled == here
    distributed = pytest.importorskip("distributed")
    monkeypatch.setenv("IDRENAME_CACHE_DIR", str(tmp_path / "cache-dask"))
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        assert _plan(tree, executor=client.get_executor()) == here
