"""SIGKILL at seeded random points during apply (and during the recovery after it): the next
recover or apply finds the journal and completes or rolls back. The tree is then fully old or
fully new, never mixed, and no journal or temporary file remains."""

from __future__ import annotations

import json
import random
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from idrename.apply import JOURNAL_DIR, FileChange, apply_changes, recover

from ._support import BASE_POLICY, assert_tree, expected_after, go, leftovers, plan, snapshot, write_tree

CHILD = Path(__file__).with_name("apply_child.py")
RUNS = 40
SEED = 20260122
N_FILES = 30


def tree_files() -> dict[str, str]:
    files = {}
    for i in range(N_FILES):
        files[f"pkg{i % 5}/f{i:02d}.go"] = go(f"""
            package pkg{i % 5}

            // Conv{i} is looked up by its RunID.
            type Conv{i} struct {{
            	ID    string
            	RunID string `json:"run_id"`
            }}

            func FindConv{i}ByRunID(runID string) *Conv{i} {{
            	return &Conv{i}{{RunID: runID}}
            }}
            """)
    files["pkg0/unrelated.go"] = "package pkg0\n\nfunc runLoop() {}\n"
    files["notes.md"] = "nothing to rename here\n"
    return files


def build(root: Path) -> None:
    if root.exists():
        shutil.rmtree(root)
    write_tree(root, tree_files())
    (root / "pkg1" / "f01.go").chmod(0o600)
    (root / "pkg2" / "f02.go").chmod(0o755)


def run_child(mode: str, root: Path, changes: Path, kill_at: int | None, rng: random.Random
              ) -> list[str]:
    """Run the child in lock step; at its ``kill_at``-th announcement kill it, either right there
    or after letting it go on for a random moment (so the kill may land inside an operation)."""
    proc = subprocess.Popen([sys.executable, str(CHILD), mode, str(root), str(changes)],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdin is not None and proc.stdout is not None
    seen: list[str] = []
    killed = False
    for line in proc.stdout:
        seen.append(line.decode().strip())
        if kill_at is not None and len(seen) >= kill_at:
            if rng.random() < 0.5:
                proc.stdin.write(b"c")
                proc.stdin.flush()
                time.sleep(rng.uniform(0, 0.0005))
            proc.send_signal(signal.SIGKILL)
            killed = True
            break
        proc.stdin.write(b"c")
        proc.stdin.flush()
    proc.stdin.close()
    proc.stdout.close()
    proc.wait(timeout=60)
    err = proc.stderr.read().decode() if proc.stderr else ""
    if proc.stderr:
        proc.stderr.close()
    if not killed:
        assert proc.returncode == 0, err
    return seen


def planned_changes(changes_file: Path) -> list[FileChange]:
    raw = json.loads(changes_file.read_text())
    return [FileChange(c["path"], c["before"], bytes.fromhex(c["after"])) for c in raw]


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str], dict[str, bytes]]:
    base = tmp_path_factory.mktemp("sigkill")
    template = base / "template"
    build(template)
    planned = plan(template, BASE_POLICY)
    changes = planned.changes()
    assert len(changes) == N_FILES
    changes_file = base / "changes.json"
    changes_file.write_text(json.dumps([
        {"path": c.path, "before": c.before_sha256, "after": c.after.hex()} for c in changes]))
    # A calibration run, never killed: how many steps an apply announces, and that it works.
    calibration = base / "calibration" / "template"
    build(calibration)
    steps = run_child("apply", calibration, changes_file, None, random.Random(0))
    assert steps[-1] == f"done {N_FILES}"
    return changes_file, steps, planned.afters()


def test_sigkill_during_apply_never_leaves_a_mixed_tree(tmp_path: Path, setup, ledger) -> None:
    changes_file, steps, afters = setup
    first_swap = next(i for i, s in enumerate(steps) if s.startswith("replace "))
    root = tmp_path / "template"  # same folder name as the planned root, so the label matches
    rng = random.Random(SEED)
    outcomes: Counter[str] = Counter()
    for run in range(RUNS):
        build(root)
        old = snapshot(root)
        new = expected_after(old, root, afters)
        # Half the kills anywhere, half during the swaps (the phase with the most at stake).
        low = 1 if run % 2 == 0 else first_swap
        kill_at = rng.randint(low, len(steps))
        run_child("apply", root, changes_file, kill_at, rng)
        ledger.fault()
        if run % 5 == 4 and (root / JOURNAL_DIR / "journal.json").exists():
            # Kill the recovery too, once, at a random step of its own.
            run_child("recover", root, changes_file, rng.randint(1, 6), rng)
            ledger.fault()
        had_journal = (root / JOURNAL_DIR / "journal.json").exists()
        if run % 2 == 0:
            said = recover(root)
            state = snapshot(root)
            if state != old:  # then it must be exactly new (a mismatch counts as corruption)
                assert_tree(state, new, what=f"run {run} (killed at step {kill_at}): mixed tree")
            outcome = "old" if state == old else "new"
        else:
            # The next apply of the same plan recovers first, then finishes the job whichever
            # way the recovery went (a file already holding its planned bytes is done).
            result = apply_changes(root, planned_changes(changes_file))
            said = result.recovered
            assert_tree(snapshot(root), new, what=f"run {run} (killed at step {kill_at})")
            outcome = "old" if len(result.written) == N_FILES else "new"
        if had_journal:
            assert said, f"run {run}: the journal was there but recovery said nothing"
        assert leftovers(root) == [], f"run {run}: leftovers"
        outcomes[outcome] += 1
    assert sum(outcomes.values()) == RUNS
    assert outcomes["old"] > 0 and outcomes["new"] > 0, outcomes
