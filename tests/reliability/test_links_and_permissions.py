"""Symbolic links, unreadable and read-only files: reported, never followed for writing, and an
apply that meets one refuses before the first byte is written."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from idrename.apply import ApplyError, FileChange, apply_changes, sha256
from idrename.inventory import scan
from idrename.policy import parse_policy

from ._support import (
    BASE_POLICY,
    assert_tree,
    expected_after,
    go,
    one_line,
    plan,
    run_as_nobody,
    snapshot,
    write_tree,
)

GOOD = go("""
    package a

    type Conversation struct {
    	RunID string
    }
    """)


def _outside_and_root(tmp_path: Path) -> tuple[Path, Path]:
    outside = write_tree(tmp_path / "outside", {"ext.go": GOOD, "lib/lib.go": GOOD})
    root = write_tree(tmp_path / "mod", {"good.go": GOOD})
    return outside, root


def test_symlinks_to_a_file_and_a_folder_outside_root_are_reported_and_not_written(
        tmp_path: Path, ledger) -> None:
    outside, root = _outside_and_root(tmp_path)
    (root / "ext.go").symlink_to(outside / "ext.go")
    (root / "lib").symlink_to(outside / "lib", target_is_directory=True)
    ledger.fault(2)
    before = snapshot(root, outside)
    planned = plan(root, BASE_POLICY)
    issues = {i.path: i for i in planned.issues("symlink_outside")}
    assert sorted(issues) == ["ext.go", "lib"]
    assert one_line(issues["ext.go"].message).startswith(
        "ext.go: a symbolic link to a file outside the root")
    assert "never written" in issues["ext.go"].message
    assert "Add that tree as a root of its own" in issues["lib"].message
    assert set(planned.inventory.frame["path"]) == {"good.go"}
    apply_changes(root, planned.changes())
    assert list(planned.afters()) == ["good.go"]
    assert_tree(snapshot(root, outside), expected_after(before, root, planned.afters()))


@pytest.mark.parametrize("rel", ["ext.go", "lib/lib.go"])
def test_apply_refuses_a_change_whose_path_goes_through_a_symlink(
        tmp_path: Path, ledger, rel: str) -> None:
    outside, root = _outside_and_root(tmp_path)
    (root / "ext.go").symlink_to(outside / "ext.go")
    (root / "lib").symlink_to(outside / "lib", target_is_directory=True)
    ledger.fault()
    before = snapshot(root, outside)
    data = (root / rel).read_bytes()
    changes = [
        FileChange("good.go", sha256(GOOD.encode()), GOOD.replace("RunID", "SessionID").encode()),
        FileChange(rel, sha256(data), data.replace(b"RunID", b"SessionID")),
    ]
    with pytest.raises(ApplyError) as err:
        apply_changes(root, changes)
    message = one_line(str(err.value))
    assert message.startswith(f"{rel}: {rel.split('/')[0]} is a symbolic link")
    assert "never writes through links. Nothing was written." in message
    assert_tree(snapshot(root, outside), before)


@pytest.mark.parametrize("rel", ["../outside/ext.go", "/etc/hostname"])
def test_apply_refuses_a_path_that_leaves_the_root(tmp_path: Path, ledger, rel: str) -> None:
    outside, root = _outside_and_root(tmp_path)
    ledger.fault()
    before = snapshot(root, outside)
    with pytest.raises(ApplyError, match=r": the path leaves the root; nothing was written"):
        apply_changes(root, [FileChange(rel, sha256(GOOD.encode()), b"package a\n")])
    assert_tree(snapshot(root, outside), before)


def test_symlink_loops_are_reported_and_the_walk_ends(tmp_path: Path, ledger) -> None:
    root = write_tree(tmp_path / "mod", {"good.go": GOOD, "sub/inner.go": GOOD})
    (root / "self.go").symlink_to("self.go")
    (root / "ping.go").symlink_to("pong.go")
    (root / "pong.go").symlink_to("ping.go")
    (root / "sub" / "up").symlink_to("..", target_is_directory=True)
    ledger.fault(3)
    before = snapshot(root)
    planned = plan(root, BASE_POLICY)
    broken = {i.path: i.message for i in planned.issues("symlink_broken")}
    assert sorted(broken) == ["ping.go", "pong.go", "self.go"]
    assert one_line(broken["self.go"]).startswith("self.go: a symbolic link that is broken or loops")
    assert broken["self.go"].endswith("Fix or remove it.")
    (inside,) = planned.issues("symlink_inside")
    assert inside.path == "sub/up"
    assert sorted(set(planned.inventory.frame["path"])) == ["good.go", "sub/inner.go"]
    apply_changes(root, planned.changes())
    assert_tree(snapshot(root), expected_after(before, root, planned.afters()))


def _scan_as_nobody(root: Path) -> tuple[list[dict[str, str]], list[str]]:
    spec = parse_policy(BASE_POLICY).spec
    scan([root], spec)  # warm every lazy import while the standard library is still readable

    def child() -> tuple[list[dict[str, str]], list[str]]:
        inv = scan([root], spec)
        return [i.__dict__ for i in inv.issues], sorted(set(inv.frame["path"]))

    return run_as_nobody(child)


def test_unreadable_file_is_reported_and_the_rest_is_scanned(tmp_path: Path, ledger,
                                                             as_root: bool) -> None:
    # Root reads a chmod 000 file anyway, so as root the scan runs in a forked child that drops
    # to uid 65534 (the tree lives in a world-readable temporary folder for it).
    base = Path(tempfile.mkdtemp(prefix="idrename-perm-"))
    try:
        os.chmod(base, 0o755)
        root = write_tree(base / "mod", {"good.go": GOOD, "secret.go": GOOD})
        os.chmod(root / "secret.go", 0)
        ledger.fault()
        before = snapshot(root)
        if as_root:
            issues, paths = _scan_as_nobody(root)
        else:
            inv = scan([root], parse_policy(BASE_POLICY).spec)
            issues, paths = [i.__dict__ for i in inv.issues], sorted(set(inv.frame["path"]))
        assert paths == ["good.go"]
        (issue,) = issues
        assert issue["kind"] == "unreadable"
        assert one_line(issue["message"]) == (
            "secret.go: cannot be read (Permission denied); fix its permissions and run again.")
        assert_tree(snapshot(root), before)
    finally:
        os.chmod(base / "mod" / "secret.go", 0o644)
        shutil.rmtree(base)


def test_read_only_file_at_apply_time_refuses_before_writing_anything(tmp_path: Path,
                                                                       ledger) -> None:
    # Root passes os.access(W_OK) for any file: apply must judge by the mode bits as well.
    root = write_tree(tmp_path / "mod", {"a.go": GOOD, "b.go": GOOD, "c.go": GOOD})
    planned = plan(root, BASE_POLICY)
    assert len(planned.changes()) == 3
    os.chmod(root / "b.go", 0o444)
    ledger.fault()
    before = snapshot(root)
    with pytest.raises(ApplyError) as err:
        apply_changes(root, planned.changes())
    assert one_line(str(err.value)) == (
        "b.go: is read-only; make it writable (or decide keep for its occurrences) and apply "
        "again. Nothing was written.")
    assert_tree(snapshot(root), before)
    # Made writable again, the same plan applies, and the modes are kept.
    os.chmod(root / "b.go", 0o640)
    before = snapshot(root)
    apply_changes(root, planned.changes())
    assert_tree(snapshot(root), expected_after(before, root, planned.afters()))


def test_a_fifo_or_folder_in_place_of_a_planned_file_is_refused(tmp_path: Path, ledger) -> None:
    root = write_tree(tmp_path / "mod", {"a.go": GOOD, "b.go": GOOD})
    planned = plan(root, BASE_POLICY)
    (root / "b.go").unlink()
    os.mkfifo(root / "b.go")  # reading it would block forever
    ledger.fault()
    before = snapshot(root)
    with pytest.raises(ApplyError) as err:
        apply_changes(root, planned.changes())
    assert one_line(str(err.value)).startswith("b.go: is not a regular file")
    assert "Plan again" in str(err.value)
    assert_tree(snapshot(root), before)


def test_owner_and_mode_of_rewritten_files_are_kept(tmp_path: Path, ledger, as_root: bool) -> None:
    if not as_root:
        pytest.skip("only root can give a file to another owner; as its owner nothing changes")
    root = write_tree(tmp_path / "mod", {"a.go": GOOD, "b.go": GOOD})
    os.chown(root / "a.go", 65534, 65534)
    os.chmod(root / "a.go", 0o640)
    os.chmod(root / "b.go", 0o700)
    planned = plan(root, BASE_POLICY)
    before = snapshot(root)
    apply_changes(root, planned.changes())
    assert_tree(snapshot(root), expected_after(before, root, planned.afters()))
    info = os.stat(root / "a.go")
    assert (info.st_uid, info.st_gid, info.st_mode & 0o7777) == (65534, 65534, 0o640)
