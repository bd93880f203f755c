"""Apply a patch atomically across files, with a journal so an interrupted apply is completed or
rolled back on the next run, never left half-done.

Protocol, per root:

1. refuse before writing anything: a file changed since planning (its SHA-256 differs), a path that
   leaves the root or passes through a symbolic link, a generated file, a read-only file;
2. write the journal (``.idrename-journal/journal.json``, state ``prepared``), then each new file
   beside its target (``<name>.idrename-new``, same mode) and a backup of each original, all synced;
3. set the journal to ``committing``, then ``os.replace`` each new file over its target;
4. remove the journal.

``recover(root)`` runs first on every apply: a ``prepared`` journal is rolled back (the originals
were never touched), a ``committing`` one is completed from the new files, or, if that cannot be
done, rolled back from the backups. Either way the tree ends fully old or fully new.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

JOURNAL_DIR = ".idrename-journal"
NEW_SUFFIX = ".idrename-new"


class ApplyError(RuntimeError):
    """The apply was refused or failed; ``written`` says whether anything changed (it never
    does: a failure rolls back)."""


class StaleError(ApplyError):
    """Files changed since planning: refused before anything was written (exit 4)."""

    def __init__(self, files: Sequence[str]) -> None:
        self.files = list(files)
        super().__init__(
            f"{len(files)} file(s) changed since the plan was made: {', '.join(files)}; nothing "
            "was written. Plan again (idrename plan / diff) and review the new plan."
        )


@dataclass(frozen=True)
class FileChange:
    """One file to rewrite: where, what it held when planned, and what it becomes."""

    path: str  # relative to the root, with /
    before_sha256: str
    after: bytes


@dataclass
class ApplyResult:
    root: Path
    written: list[str] = field(default_factory=list)
    recovered: str = ""  # what recover() found and did, if anything

    @property
    def nothing_to_do(self) -> bool:
        return not self.written


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _write_synced(path: Path, data: bytes, mode: int | None = None) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]
        if mode is not None:
            os.fchmod(fd, mode)
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_journal(journal: Path, state: str, entries: list[dict[str, object]]) -> None:
    tmp = journal.with_suffix(".tmp")
    _write_synced(tmp, json.dumps({"state": state, "entries": entries}, indent=1).encode())
    os.replace(tmp, journal)
    _fsync_dir(journal.parent)


def safe_target(root: Path, rel: str) -> Path:
    """The file ``rel`` under ``root``, refusing paths that leave the root or pass a symlink."""
    if os.path.isabs(rel) or ".." in Path(rel).parts:
        raise ApplyError(f"{rel}: the path leaves the root; nothing was written")
    current = root
    for part in Path(rel).parts:
        current = current / part
        if current.is_symlink():
            raise ApplyError(
                f"{rel}: {current.relative_to(root).as_posix()} is a symbolic link; idrename never "
                "writes through links. Nothing was written."
            )
    return current


def check(root: Path, changes: Sequence[FileChange]) -> None:
    """Everything that must hold before the first byte is written."""
    from .gosyntax import is_generated

    stale = []
    for change in changes:
        target = safe_target(root, change.path)
        try:
            current = target.read_bytes()
        except OSError as exc:
            raise ApplyError(f"{change.path}: cannot be read ({exc.strerror}); nothing was written") from exc
        if sha256(current) != change.before_sha256:
            stale.append(change.path)
            continue
        if change.path.endswith(".go") and is_generated(current):
            raise ApplyError(
                f"{change.path}: is a generated file (Code generated ... DO NOT EDIT); regenerate "
                "it from its source instead. Nothing was written."
            )
        if not os.access(target, os.W_OK):
            raise ApplyError(
                f"{change.path}: is read-only; make it writable (or decide keep for its "
                "occurrences) and apply again. Nothing was written."
            )
    if stale:
        raise StaleError(stale)


def apply_changes(root: Path, changes: Sequence[FileChange]) -> ApplyResult:
    """Write ``changes`` under ``root`` atomically (all or nothing)."""
    root = Path(root).resolve()
    result = ApplyResult(root, recovered=recover(root))
    changes = [c for c in changes if c.after is not None]
    check(root, changes)
    todo = [c for c in changes if sha256(c.after) != c.before_sha256]
    if not todo:
        return result
    journal_dir = root / JOURNAL_DIR
    journal_dir.mkdir(exist_ok=True)
    journal = journal_dir / "journal.json"
    entries: list[dict[str, object]] = []
    for i, change in enumerate(todo):
        target = root / change.path
        entries.append({
            "path": change.path,
            "before": change.before_sha256,
            "after": sha256(change.after),
            "new": change.path + NEW_SUFFIX,
            "backup": f"{JOURNAL_DIR}/backup-{i}",
            "mode": target.stat().st_mode & 0o7777,
        })
    try:
        _write_journal(journal, "prepared", entries)
        for change, entry in zip(todo, entries, strict=True):
            target = root / change.path
            _write_synced(root / str(entry["new"]), change.after, int(entry["mode"]))  # type: ignore[arg-type]
            shutil.copy2(target, root / str(entry["backup"]))
        for entry in entries:
            _fsync_dir((root / str(entry["path"])).parent)
    except BaseException as exc:
        _rollback_prepared(root, entries)
        if isinstance(exc, OSError):
            raise ApplyError(f"writing the new files failed ({exc}); nothing was changed") from exc
        raise
    _write_journal(journal, "committing", entries)
    done: list[dict[str, object]] = []
    try:
        for entry in entries:
            _replace(root / str(entry["new"]), root / str(entry["path"]))
            done.append(entry)
        for entry in entries:
            _fsync_dir((root / str(entry["path"])).parent)
    except BaseException as exc:
        _restore(root, done)
        _cleanup(root, entries)
        if isinstance(exc, OSError):
            raise ApplyError(
                f"replacing {len(done) + 1} of {len(entries)} files failed ({exc}); the "
                f"{len(done)} already replaced were restored, so the tree is as before"
            ) from exc
        raise
    _cleanup(root, entries)
    result.written = [str(e["path"]) for e in entries]
    return result


# The one call that swaps a file in: a seam for fault-injection tests.
_replace = os.replace


def _rollback_prepared(root: Path, entries: list[dict[str, object]]) -> None:
    _cleanup(root, entries)


def _restore(root: Path, entries: list[dict[str, object]]) -> None:
    for entry in entries:
        backup = root / str(entry["backup"])
        target = root / str(entry["path"])
        tmp = target.with_name(target.name + ".idrename-restore")
        shutil.copy2(backup, tmp)
        os.replace(tmp, target)


def _cleanup(root: Path, entries: list[dict[str, object]]) -> None:
    for entry in entries:
        (root / str(entry["new"])).unlink(missing_ok=True)
    shutil.rmtree(root / JOURNAL_DIR, ignore_errors=True)
    _fsync_dir(root)


def recover(root: Path) -> str:
    """Finish or undo an apply that was interrupted; '' when there was nothing to recover."""
    root = Path(root)
    journal = root / JOURNAL_DIR / "journal.json"
    if not journal.exists():
        if (root / JOURNAL_DIR).exists():
            shutil.rmtree(root / JOURNAL_DIR, ignore_errors=True)
        return ""
    try:
        state = json.loads(journal.read_text())
        entries = state["entries"]
    except (OSError, ValueError, KeyError) as exc:
        # The journal is written atomically, so a broken one means it never reached 'prepared':
        # no original was touched. Remove leftovers.
        _remove_new_files(root)
        shutil.rmtree(root / JOURNAL_DIR, ignore_errors=True)
        return f"an unreadable journal ({exc}) was removed; the tree was not changed"
    if state.get("state") != "committing":
        _cleanup(root, entries)
        return "an interrupted apply was rolled back (it had not started replacing files)"
    # Roll forward when every file is either already new or has its new copy ready.
    can_finish = True
    for entry in entries:
        target, new = root / entry["path"], root / entry["new"]
        current = sha256(target.read_bytes()) if target.exists() else ""
        if current == entry["after"]:
            continue
        if not (new.exists() and sha256(new.read_bytes()) == entry["after"]):
            can_finish = False
    if can_finish:
        for entry in entries:
            target, new = root / entry["path"], root / entry["new"]
            if new.exists() and (not target.exists() or sha256(target.read_bytes()) != entry["after"]):
                os.replace(new, target)
        _cleanup(root, entries)
        return "an interrupted apply was completed"
    replaced = [e for e in entries if (root / e["path"]).exists()
                and sha256((root / e["path"]).read_bytes()) == e["after"]]
    _restore(root, replaced)
    _cleanup(root, entries)
    return "an interrupted apply was rolled back from its backups"


def _remove_new_files(root: Path) -> None:
    for path in root.rglob("*" + NEW_SUFFIX):
        path.unlink(missing_ok=True)


def changes_from_patch(patch: object, root_label: str) -> list[FileChange]:
    """The file changes of one root of an :class:`idrename.patch.Patch`."""
    return [
        FileChange(fp.path, fp.sha256, fp.after)  # type: ignore[attr-defined]
        for fp in patch.changed()  # type: ignore[attr-defined]
        if fp.root == root_label
    ]


def expected_shas(plan: Mapping[str, object]) -> dict[str, str]:
    """path -> SHA-256 recorded in a plan.json."""
    return {f["path"]: f["sha256"] for f in plan.get("files", [])}  # type: ignore[union-attr]
