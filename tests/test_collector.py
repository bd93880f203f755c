"""idrename.collector: the stages of a plan run with the garbage collector's thresholds raised,
and every caller gets its own thresholds back, also after an error."""

from __future__ import annotations

import gc
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from idrename import checks, collector, compat
from idrename import patch as patch_module
from idrename.collector import THRESHOLDS, fewer_collections
from idrename.inventory import scan, scan_table
from idrename.policy import parse_policy
from idrename.workflow import analyse, make_patch

POLICY = '[rename]\nfrom = "RunID"\nto = "SessionID"\n'


@pytest.fixture
def default_thresholds() -> Iterator[tuple[int, int, int]]:
    before = gc.get_threshold()
    gc.set_threshold(700, 10, 10)
    yield (700, 10, 10)
    gc.set_threshold(*before)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    (tmp_path / "go.mod").write_text("module example.com/app\n\ngo 1.22\n")
    (tmp_path / "run.go").write_text(textwrap.dedent("""\
        package app

        type Run struct {
        	RunID string `json:"run_id"`
        }

        func (r Run) Key() string { return r.RunID }
        """))
    return tmp_path


def test_raised_inside_and_restored_after(default_thresholds: tuple[int, int, int]) -> None:
    with fewer_collections():
        assert gc.get_threshold() == THRESHOLDS
    assert gc.get_threshold() == default_thresholds


def test_restored_after_an_error(default_thresholds: tuple[int, int, int]) -> None:
    with pytest.raises(RuntimeError), fewer_collections():
        raise RuntimeError("stage failed")
    assert gc.get_threshold() == default_thresholds


def test_never_lowers_what_the_caller_raised() -> None:
    before = gc.get_threshold()
    try:
        gc.set_threshold(500_000, 5, 1_000)
        with fewer_collections():
            assert gc.get_threshold() == (500_000, THRESHOLDS[1], 1_000)
        assert gc.get_threshold() == (500_000, 5, 1_000)
    finally:
        gc.set_threshold(*before)


def test_nested_uses_restore_in_order(default_thresholds: tuple[int, int, int]) -> None:
    with fewer_collections():
        with fewer_collections():
            assert gc.get_threshold() == THRESHOLDS
        assert gc.get_threshold() == THRESHOLDS
    assert gc.get_threshold() == default_thresholds


def test_the_stages_of_a_plan_run_with_fewer_collections(
        root: Path, default_thresholds: tuple[int, int, int],
        monkeypatch: pytest.MonkeyPatch) -> None:
    policy = parse_policy(POLICY)
    seen: dict[str, tuple[int, int, int]] = {}

    def progress(done: int, total: int) -> None:
        seen.setdefault("inventory", gc.get_threshold())

    def watch(module: Any, name: str) -> None:
        real = getattr(module, name)

        def watched(*args: Any, **kwargs: Any) -> Any:
            seen[name] = gc.get_threshold()
            return real(*args, **kwargs)

        monkeypatch.setattr(module, name, watched)

    for module, name in ((compat, "contracts"), (checks, "run_checks"),
                         (patch_module, "build_patch")):
        watch(module, name)
    analysis = analyse([root], policy, progress=progress, cache=False)
    assert gc.get_threshold() == default_thresholds
    patch = make_patch(analysis)
    assert gc.get_threshold() == default_thresholds
    assert seen == dict.fromkeys(["inventory", "contracts", "run_checks", "build_patch"],
                                 THRESHOLDS)
    assert [fp.path for fp in patch.changed()] == ["run.go"]
    assert b"SessionID string `json:\"run_id\"`" in patch.changed()[0].after


@pytest.mark.parametrize("run", [scan, scan_table], ids=["scan", "scan_table"])
def test_an_inventory_alone_runs_with_fewer_collections(
        root: Path, default_thresholds: tuple[int, int, int], run: Any) -> None:
    seen: list[tuple[int, int, int]] = []
    run([root], parse_policy(POLICY).spec, cache=False,
        progress=lambda done, total: seen.append(gc.get_threshold()))
    assert seen and set(seen) == {THRESHOLDS}
    assert gc.get_threshold() == default_thresholds


def test_the_wrapper_keeps_the_name_and_the_result() -> None:
    @collector.with_fewer_collections
    def stage(x: int, *, y: int) -> tuple[int, int, int]:
        """A stage."""
        return gc.get_threshold() if x + y else (0, 0, 0)

    assert stage.__name__ == "stage" and stage.__doc__ == "A stage."
    assert stage(1, y=2) == tuple(max(a, b) for a, b in zip(gc.get_threshold(), THRESHOLDS,
                                                               strict=True))
