"""Promises checked outside apply.py: the InferenceID wiring never edits (or crashes on) a file
the inventory refused, a FIFO named .go does not hang the inventory, and a consumer file holding
NUL bytes is reported as binary and never edited."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from idrename.inventory import scan
from idrename.patch import build_patch
from idrename.policy import parse_policy
from idrename.transforms import InferenceWiring

from ._support import BASE_POLICY, RENAME_ALL, go, plan, run_as_nobody, snapshot, write_tree

IMPORTS = 'import (\n\t"example.com/geppetto/pkg/events"\n\t"example.com/geppetto/pkg/turns"\n)\n\n'
METADATA = "func emit(t *Turn) { _ = events.EventMetadata{TurnID: t.ID} }\n"
GOOD = "package a\n\nvar RunID = 1\n"


@pytest.mark.parametrize("name,data", [
    ("broken.go", ("package a\n\n" + IMPORTS + go("""
        func emit(t *Turn, runID string {
        	_ = events.EventMetadata{TurnID: t.ID}
        }
        """)).encode()),
    ("blob.go", b"\x00\x01package a\n" + (IMPORTS + METADATA).encode() + b"var RunID = 1\x00"),
    ("latin1.go", b"package a\n\n// caf\xe9 RunID\n" + (IMPORTS + METADATA).encode()),
])
def test_wiring_never_edits_a_file_the_inventory_refused(tmp_path: Path, ledger, name: str,
                                                          data: bytes) -> None:
    root = write_tree(tmp_path / "mod", {"good.go": GOOD, name: data})
    ledger.fault()
    planned = plan(root, BASE_POLICY)
    assert [i.path for i in planned.inventory.issues] == [name]
    patch = build_patch(planned.decided, planned.inventory.roots, wiring=InferenceWiring(),
                        gofmt=lambda src: src)
    assert [f.path for f in patch.changed()] == ["good.go"]


@pytest.mark.parametrize("name", ["data.json", "notes.md", "schema.sql", "api.ts", "conf.yaml"])
def test_a_binary_consumer_file_is_reported_and_never_edited(tmp_path: Path, ledger,
                                                             name: str) -> None:
    blob = b"\x00\x01\x02 run_id runId RunID \xff\xfe\x00" * 4
    root = write_tree(tmp_path / "mod", {"good.go": GOOD, name: blob})
    ledger.fault()
    planned = plan(root, RENAME_ALL)
    assert name not in planned.afters()
    assert [(i.path, i.kind) for i in planned.inventory.issues] == [(name, "binary")]


def test_a_fifo_named_go_does_not_hang_the_inventory(tmp_path: Path, ledger) -> None:
    root = write_tree(tmp_path / "mod", {"good.go": GOOD})
    os.mkfifo(root / "pipe.go")
    ledger.fault()
    before = snapshot(root)
    spec = parse_policy(BASE_POLICY).spec
    done: dict[str, object] = {}
    worker = threading.Thread(target=lambda: done.setdefault("inv", scan([root], spec)), daemon=True)
    worker.start()
    worker.join(1.0)
    hung = worker.is_alive()
    if hung:  # let the blocked open() return: a writer appears and goes away
        os.close(os.open(root / "pipe.go", os.O_WRONLY | os.O_NONBLOCK))
        worker.join(10)
    assert snapshot(root) == before
    assert not hung, "the inventory blocked on a FIFO named pipe.go"
    inv = done["inv"]
    assert [(i.path, i.kind) for i in inv.issues] == [("pipe.go", "not_regular")]  # type: ignore[attr-defined]
    assert inv.files_scanned == 1  # type: ignore[attr-defined]


def test_wiring_with_an_unreadable_file_does_not_crash(ledger, as_root: bool) -> None:
    import shutil
    import tempfile

    base = Path(tempfile.mkdtemp(prefix="idrename-perm-"))
    try:
        os.chmod(base, 0o755)
        root = write_tree(base / "mod", {"good.go": GOOD,
                                         "secret.go": "package a\n\n" + IMPORTS + METADATA})
        planned = plan(root, BASE_POLICY)
        os.chmod(root / "secret.go", 0)
        ledger.fault()

        def build() -> list[str]:
            patch = build_patch(planned.decided, planned.inventory.roots,
                                wiring=InferenceWiring(), gofmt=lambda src: src)
            return [f.path for f in patch.changed()]

        changed = run_as_nobody(build) if as_root else build()
        assert changed == ["good.go"]
    finally:
        os.chmod(base / "mod" / "secret.go", 0o644)
        shutil.rmtree(base)
