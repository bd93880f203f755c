"""Faults during apply: a stale file, a write or a swap that fails part way, a double fault.
The tree ends exactly as before (or, after a double fault, the next run finishes the job), and
no journal or temporary file is left."""

from __future__ import annotations

import errno
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import idrename.apply as A
from idrename.apply import ApplyError, FileChange, StaleError, apply_changes, recover

from ._support import (
    BASE_POLICY,
    Planned,
    assert_tree,
    expected_after,
    go,
    leftovers,
    one_line,
    plan,
    snapshot,
    write_tree,
)

N_FILES = 5


def source(i: int) -> str:
    return go(f"""
        package p{i}

        // Record{i} keeps a RunID.
        type Record{i} struct {{
        	ID    string
        	RunID string
        }}

        func (r *Record{i}) FindByRunID(runID string) bool {{ return r.RunID == runID }}
        """)


@pytest.fixture
def tree(tmp_path: Path) -> tuple[Path, Planned]:
    root = write_tree(tmp_path / "mod", {f"pkg{i}/f{i}.go": source(i) for i in range(N_FILES)})
    write_tree(root, {"README.md": "no family here\n", "pkg0/keep.go": "package p0\n"})
    (root / "pkg1" / "f1.go").chmod(0o600)
    (root / "pkg2" / "f2.go").chmod(0o755)
    planned = plan(root, BASE_POLICY)
    assert len(planned.changes()) == N_FILES
    return root, planned


def failing_on(nth: int, real: Callable[..., Any], when: Callable[..., bool] = lambda *a: True,
               error: BaseException | None = None) -> Callable[..., Any]:
    """``real``, except that the ``nth`` call for which ``when`` holds raises ``error``."""
    count = 0

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        nonlocal count
        if when(*args):
            count += 1
            if count == nth:
                raise error or OSError(errno.EIO, "Input/output error")
        return real(*args, **kwargs)

    return wrapper


def test_a_file_changed_since_the_plan_is_stale_and_nothing_is_written(tree, ledger) -> None:
    root, planned = tree
    with (root / "pkg3" / "f3.go").open("a") as fh:
        fh.write("// edited after planning\n")
    ledger.fault()
    before = snapshot(root)
    with pytest.raises(StaleError) as err:
        apply_changes(root, planned.changes())
    assert isinstance(err.value, ApplyError)  # the CLI maps StaleError to exit 4
    assert err.value.files == ["pkg3/f3.go"]
    assert one_line(str(err.value)) == (
        "1 file(s) changed since the plan was made: pkg3/f3.go; nothing was written. Plan again "
        "(idrename plan / diff) and review the new plan.")
    assert_tree(snapshot(root), before)
    assert leftovers(root) == []


def test_a_file_deleted_since_the_plan_is_refused(tree, ledger) -> None:
    root, planned = tree
    (root / "pkg4" / "f4.go").unlink()
    ledger.fault()
    before = snapshot(root)
    with pytest.raises(ApplyError) as err:
        apply_changes(root, planned.changes())
    assert one_line(str(err.value)).startswith("pkg4/f4.go: cannot be read (No such file")
    assert "plan again" in str(err.value)
    assert_tree(snapshot(root), before)


@pytest.mark.parametrize("nth", range(1, N_FILES + 1))
def test_a_swap_that_fails_part_way_restores_every_file(tree, ledger, monkeypatch, nth) -> None:
    root, planned = tree
    before = snapshot(root)
    monkeypatch.setattr(A, "_replace", failing_on(nth, A._replace))
    ledger.fault()
    with pytest.raises(ApplyError) as err:
        apply_changes(root, planned.changes())
    failed = sorted(planned.afters())[nth - 1]
    assert one_line(str(err.value)) == (
        f"{failed}: replacing it failed (Input/output error); the {nth - 1} file(s) already "
        "replaced were restored, so the tree is as before. Fix the cause (disk space, "
        "permissions) and apply again.")
    assert_tree(snapshot(root), before)
    assert leftovers(root) == []


@pytest.mark.parametrize("nth", [1, 3, N_FILES])
def test_a_failure_writing_the_new_files_changes_nothing(tree, ledger, monkeypatch, nth) -> None:
    root, planned = tree
    before = snapshot(root)
    is_new = lambda path, *rest: str(path).endswith(A.NEW_SUFFIX)  # noqa: E731
    monkeypatch.setattr(A, "_write_synced", failing_on(
        nth, A._write_synced, is_new, OSError(errno.ENOSPC, "No space left on device")))
    ledger.fault()
    with pytest.raises(ApplyError) as err:
        apply_changes(root, planned.changes())
    failed = sorted(planned.afters())[nth - 1]
    assert one_line(str(err.value)) == (
        f"{failed}: writing its new version failed (No space left on device); nothing was "
        "changed. Fix the cause (disk space, permissions) and apply again.")
    assert_tree(snapshot(root), before)
    assert leftovers(root) == []


@pytest.mark.parametrize("which", ["backup", "journal-prepared", "journal-committing"])
def test_a_failure_writing_a_backup_or_the_journal_changes_nothing(tree, ledger, monkeypatch,
                                                                   which) -> None:
    root, planned = tree
    before = snapshot(root)
    state = which.split("-")[-1]

    def when(path: Path, data: bytes, *rest: Any) -> bool:
        if which == "backup":
            return path.name.startswith("backup-")
        return path.name == "journal.tmp" and json.loads(data)["state"] == state

    monkeypatch.setattr(A, "_write_synced", failing_on(1, A._write_synced, when))
    ledger.fault()
    with pytest.raises(ApplyError) as err:
        apply_changes(root, planned.changes())
    what = "pkg0/f0.go: writing its backup" if which == "backup" else "writing the journal"
    assert one_line(str(err.value)) == (
        f"{what} failed (Input/output error); nothing was changed. Fix the cause (disk space, "
        "permissions) and apply again.")
    assert_tree(snapshot(root), before)
    assert leftovers(root) == []


def test_an_interrupt_during_the_swaps_restores_every_file(tree, ledger, monkeypatch) -> None:
    root, planned = tree
    before = snapshot(root)
    monkeypatch.setattr(A, "_replace", failing_on(3, A._replace, error=KeyboardInterrupt()))
    ledger.fault()
    with pytest.raises(KeyboardInterrupt):
        apply_changes(root, planned.changes())
    assert_tree(snapshot(root), before)
    assert leftovers(root) == []


def test_when_restoring_fails_too_the_journal_is_kept_and_the_next_run_finishes(
        tree, ledger, monkeypatch) -> None:
    root, planned = tree
    before = snapshot(root)
    real = A._replace
    calls = {"n": 0}

    # The 3rd swap fails, and so does the first swap that would put a file back.

    def replace(src: Any, dst: Any) -> None:
        calls["n"] += 1
        if calls["n"] in (3, 4):
            raise OSError(errno.EIO, "Input/output error")
        real(src, dst)

    monkeypatch.setattr(A, "_replace", replace)
    ledger.fault(2)
    with pytest.raises(ApplyError) as err:
        apply_changes(root, planned.changes())
    message = one_line(str(err.value))
    assert message.startswith(f"{sorted(planned.afters())[2]}: replacing it failed")
    assert "run idrename apply again (or recover) to finish or undo it." in message
    assert (root / A.JOURNAL_DIR / "journal.json").exists()
    monkeypatch.setattr(A, "_replace", real)
    said = recover(root)
    assert said == "an interrupted apply was completed"
    assert_tree(snapshot(root), expected_after(before, root, planned.afters()))
    assert leftovers(root) == []


def test_applying_the_same_plan_twice_writes_once(tree, ledger) -> None:
    root, planned = tree
    before = snapshot(root)
    first = apply_changes(root, planned.changes())
    assert len(first.written) == N_FILES
    second = apply_changes(root, planned.changes())
    assert second.written == [] and second.nothing_to_do
    assert_tree(snapshot(root), expected_after(before, root, planned.afters()))


def test_a_name_that_a_temporary_file_needs_is_never_overwritten(tree, ledger) -> None:
    root, planned = tree
    write_tree(root, {"pkg2/f2.go.idrename-new": "user data\n"})
    ledger.fault()
    before = snapshot(root)
    with pytest.raises(ApplyError) as err:
        apply_changes(root, planned.changes())
    assert one_line(str(err.value)).startswith(
        "pkg2/f2.go: f2.go.idrename-new already exists beside it")
    assert "move it away and apply again" in str(err.value)
    assert_tree(snapshot(root), before)


def test_the_same_file_planned_twice_is_refused(tree, ledger) -> None:
    root, planned = tree
    changes = planned.changes()
    twice = [*changes, FileChange(changes[0].path, changes[0].before_sha256, b"package other\n")]
    ledger.fault()
    before = snapshot(root)
    with pytest.raises(ApplyError, match=r"^pkg0/f0.go: is planned twice; plan again"):
        apply_changes(root, twice)
    assert_tree(snapshot(root), before)


@pytest.mark.parametrize("content", [b"{not json", b'{"state": "committing"}', b""])
def test_a_broken_journal_is_removed_without_touching_the_tree(tree, ledger, content) -> None:
    root, _ = tree
    before = snapshot(root)
    journal = root / A.JOURNAL_DIR
    journal.mkdir()
    (journal / "journal.json").write_bytes(content)
    ledger.fault()
    said = one_line(recover(root))
    assert said.startswith("an unreadable journal") and "the tree was not changed" in said
    assert_tree(snapshot(root), before)
    assert leftovers(root) == []


def test_apply_recovers_an_earlier_interrupted_apply_first(tree, ledger, monkeypatch) -> None:
    root, planned = tree
    before = snapshot(root)
    # Stop the process (as far as the tree can tell) right after the journal says committing.
    real_journal = A._write_journal

    class Killed(BaseException):
        pass

    def write_journal(journal: Path, state: str, entries: list[dict[str, object]]) -> None:
        real_journal(journal, state, entries)
        if state == "committing":
            raise Killed

    monkeypatch.setattr(A, "_write_journal", write_journal)
    monkeypatch.setattr(A, "_cleanup", lambda root, entries: None)  # a kill cleans nothing up
    ledger.fault()
    with pytest.raises(Killed):
        apply_changes(root, planned.changes())
    monkeypatch.undo()
    assert (root / A.JOURNAL_DIR / "journal.json").exists()
    result = apply_changes(root, planned.changes())
    assert result.recovered == "an interrupted apply was completed"
    assert result.written == []
    assert_tree(snapshot(root), expected_after(before, root, planned.afters()))
    assert leftovers(root) == []
