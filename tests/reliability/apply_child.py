"""Child process for the SIGKILL tests (not a test module).

Usage: ``python apply_child.py apply|recover ROOT CHANGES.json``

Runs ``apply_changes`` (or ``recover``) on ROOT with every write and every swap announced on
stdout (one line each); after each announcement it waits for one byte on stdin, so the parent can
kill it at exactly that step, or let it go on and kill it a moment later, in the middle of the
next operation. Each write is done in two halves, announced in between, so a kill can leave a
half-written file. fsync is skipped: it matters for power loss, not for a killed process.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import idrename.apply as A


def main() -> None:
    mode, root, changes_file = sys.argv[1], Path(sys.argv[2]), sys.argv[3]
    real_write, real_replace = A._write_synced, A._replace

    def announce(what: str) -> None:
        sys.stdout.write(what + "\n")
        sys.stdout.flush()
        if not sys.stdin.buffer.read(1):
            sys.exit(3)  # the parent went away

    def write(path: Path, data: bytes, *args: object) -> None:
        announce(f"write-half {path.name}")
        real_write(path, data[: len(data) // 2], *args)
        announce(f"write {path.name}")
        real_write(path, data, *args)

    def replace(src: Path, dst: Path) -> None:
        announce(f"replace {Path(dst).name}")
        real_replace(src, dst)

    A._write_synced = write
    A._replace = replace
    # fsync guards against power loss, not against a killed process (the page cache survives
    # it); skipping it keeps forty runs fast without changing what a SIGKILL can leave behind.
    A.os.fsync = lambda fd: None  # type: ignore[assignment]
    announce("start")
    if mode == "apply":
        raw = json.loads(Path(changes_file).read_text())
        changes = [A.FileChange(c["path"], c["before"], bytes.fromhex(c["after"])) for c in raw]
        result = A.apply_changes(root, changes)
        announce(f"done {len(result.written)}")
    else:
        announce(f"done {A.recover(root)}")


if __name__ == "__main__":
    main()
