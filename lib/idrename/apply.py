"""Apply a patch atomically across files, with a journal so an interrupted apply is completed or
rolled back on the next run, never left half-done.

Protocol, per root:

1. refuse before writing anything: a file changed since planning (its SHA-256 differs), a path that
   leaves the root or passes through a symbolic link, a file that is not a regular file, a generated
   file, a read-only file (by its mode bits too, since root passes every access check), a name
   beside it that a temporary file would take; a file that already holds its planned content is
   done, not stale (so applying twice equals applying once);
2. write the journal (``.idrename-journal/journal.json``, state ``prepared``), then a backup of each
   original (from the bytes just checked) and each new file beside its target
   (``<name>.idrename-new``, same mode, and same owner where the process may set it), all synced;
3. set the journal to ``committing``, then swap each new file over its target (``_replace``);
4. remove the temporary files, then the journal.

A failure in 2 removes what was written; a failure in 3 puts back the files already swapped (from
the backups) and then cleans up; if putting back fails too, the journal stays for the next run.
Every refusal or failure is an :class:`ApplyError` whose message names the file and says what to do.

``recover(root)`` runs first on every apply: a ``prepared`` journal is rolled back (the originals
were never touched), a ``committing`` one is completed from the new files, or, if that cannot be
done, rolled back from the backups. Either way the tree ends fully old or fully new.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

JOURNAL_DIR = ".idrename-journal"
NEW_SUFFIX = ".idrename-new"
RESTORE_SUFFIX = ".idrename-restore"


class ApplyError(RuntimeError):
    """The apply was refused or failed; nothing was changed (a failure rolls back, or leaves the
    journal for the next run to finish or undo, as the message says)."""


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


def _write_synced(path: Path, data: bytes, mode: int | None = None,
                  owner: tuple[int, int] | None = None) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]
        if owner is not None:
            try:  # keep the original owner (possible for root; a no-op for the owner itself)
                os.fchown(fd, *owner)
            except OSError:
                pass
        if mode is not None:
            os.fchmod(fd, mode)  # after fchown, which may clear set-id bits
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


def check(root: Path, changes: Sequence[FileChange]) -> list[FileChange]:
    """Everything that must hold before the first byte is written; returns the changes still to
    make (a file that already holds its planned content is done, not stale)."""
    from .gosyntax import is_generated

    journal_dir = root / JOURNAL_DIR
    if journal_dir.is_symlink():
        raise ApplyError(
            f"{JOURNAL_DIR}: is a symbolic link; idrename keeps its journal inside the root only. "
            "Remove the link and apply again. Nothing was written."
        )
    stale = []
    todo = []
    seen: set[str] = set()
    for change in changes:
        target = safe_target(root, change.path)
        key = Path(change.path).as_posix()
        if key in seen:
            raise ApplyError(f"{change.path}: is planned twice; plan again. Nothing was written.")
        seen.add(key)
        try:
            info = os.lstat(target)
        except OSError as exc:
            raise ApplyError(
                f"{change.path}: cannot be read ({exc.strerror}); plan again. Nothing was written."
            ) from exc
        if not stat.S_ISREG(info.st_mode):
            raise ApplyError(
                f"{change.path}: is not a regular file; idrename only rewrites regular files. "
                "Plan again. Nothing was written."
            )
        try:
            current = target.read_bytes()
        except OSError as exc:
            raise ApplyError(
                f"{change.path}: cannot be read ({exc.strerror}); fix its permissions and apply "
                "again. Nothing was written."
            ) from exc
        digest = sha256(current)
        if digest != change.before_sha256:
            if digest != sha256(change.after):
                stale.append(change.path)
            continue  # else: already holds the planned content (an earlier apply finished it)
        if sha256(change.after) == change.before_sha256:
            continue  # nothing to write
        if change.path.endswith(".go") and is_generated(current):
            raise ApplyError(
                f"{change.path}: is a generated file (Code generated ... DO NOT EDIT); regenerate "
                "it from its source instead. Nothing was written."
            )
        # Root passes os.access for any file, so the mode bits are checked as well.
        if not info.st_mode & 0o222 or not os.access(target, os.W_OK):
            raise ApplyError(
                f"{change.path}: is read-only; make it writable (or decide keep for its "
                "occurrences) and apply again. Nothing was written."
            )
        if not os.access(target.parent, os.W_OK | os.X_OK):
            raise ApplyError(
                f"{change.path}: its folder is not writable, so the file cannot be replaced; "
                "make the folder writable and apply again. Nothing was written."
            )
        for suffix in (NEW_SUFFIX, RESTORE_SUFFIX):
            side = target.with_name(target.name + suffix)
            if os.path.lexists(side):
                raise ApplyError(
                    f"{change.path}: {side.name} already exists beside it and idrename needs that "
                    "name for its own temporary file; move it away and apply again. Nothing was "
                    "written."
                )
        todo.append(change)
    if stale:
        raise StaleError(stale)
    return todo


def apply_changes(root: Path, changes: Sequence[FileChange]) -> ApplyResult:
    """Write ``changes`` under ``root`` atomically (all or nothing)."""
    root = Path(root).resolve()
    result = ApplyResult(root, recovered=recover(root))
    changes = [c for c in changes if c.after is not None]
    todo = check(root, changes)
    if not todo:
        return result
    journal_dir = root / JOURNAL_DIR
    journal = journal_dir / "journal.json"
    entries: list[dict[str, object]] = []
    for i, change in enumerate(todo):
        info = (root / change.path).stat()
        entries.append({
            "path": change.path,
            "before": change.before_sha256,
            "after": sha256(change.after),
            "new": change.path + NEW_SUFFIX,
            "backup": f"{JOURNAL_DIR}/backup-{i}",
            "mode": info.st_mode & 0o7777,
            "uid": info.st_uid,
            "gid": info.st_gid,
        })
    # Phase 1: nothing of the user's is touched; any failure removes what was written.
    current, step = "", "writing the journal"
    try:
        journal_dir.mkdir(exist_ok=True)
        _write_journal(journal, "prepared", entries)
        for change, entry in zip(todo, entries, strict=True):
            current = change.path
            target = root / change.path
            original = target.read_bytes()
            if sha256(original) != change.before_sha256:
                raise StaleError([change.path])
            step = f"{current}: writing its backup"
            _write_synced(root / str(entry["backup"]), original, 0o600)
            step = f"{current}: writing its new version"
            _write_synced(root / str(entry["new"]), change.after, _mode(entry), _owner(entry))
        step = "writing the journal"
        for entry in entries:
            _fsync_dir((root / str(entry["path"])).parent)
        _fsync_dir(journal_dir)
        _write_journal(journal, "committing", entries)
    except BaseException as exc:
        _cleanup(root, entries)
        if isinstance(exc, ApplyError) or not isinstance(exc, Exception):
            raise
        raise ApplyError(
            f"{step} failed ({_reason(exc)}); nothing was changed. Fix the cause (disk space, "
            "permissions) and apply again."
        ) from exc
    # Phase 2: swap the new files in; a failure puts back the ones already swapped.
    done: list[dict[str, object]] = []
    try:
        for entry in entries:
            current = str(entry["path"])
            _replace(root / str(entry["new"]), root / current)
            done.append(entry)
        for entry in entries:
            _fsync_dir((root / str(entry["path"])).parent)
    except BaseException as exc:
        try:
            _restore(root, done)
        except BaseException as again:
            # The journal stays: the next apply (or recover) finishes the rollback.
            raise ApplyError(
                f"{current}: replacing it failed ({_reason(exc)}) and putting back the "
                f"{len(done)} file(s) already replaced failed too ({_reason(again)}); the "
                f"journal in {JOURNAL_DIR} is kept: run idrename apply again (or recover) to "
                "finish or undo it."
            ) from exc
        _cleanup(root, entries)
        if not isinstance(exc, Exception):
            raise
        raise ApplyError(
            f"{current}: replacing it failed ({_reason(exc)}); the {len(done)} file(s) already "
            "replaced were restored, so the tree is as before. Fix the cause (disk space, "
            "permissions) and apply again."
        ) from exc
    _cleanup(root, entries)
    result.written = [str(e["path"]) for e in entries]
    return result


def _mode(entry: Mapping[str, object]) -> int:
    return int(entry.get("mode", 0o644))  # type: ignore[call-overload]


def _owner(entry: Mapping[str, object]) -> tuple[int, int] | None:
    uid, gid = entry.get("uid"), entry.get("gid")
    return (uid, gid) if isinstance(uid, int) and isinstance(gid, int) else None


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc) or type(exc).__name__


# The one call that swaps a file in (applying, restoring, recovering): a seam for fault-injection
# tests.
_replace = os.replace


def _restore(root: Path, entries: Sequence[Mapping[str, object]]) -> None:
    """Put back the originals of ``entries`` from their backups (each swap atomic)."""
    for entry in entries:
        backup = root / str(entry["backup"])
        target = root / str(entry["path"])
        tmp = target.with_name(target.name + RESTORE_SUFFIX)
        _write_synced(tmp, backup.read_bytes(), _mode(entry), _owner(entry))
        _replace(tmp, target)
    for entry in entries:
        _fsync_dir((root / str(entry["path"])).parent)


def _cleanup(root: Path, entries: Sequence[Mapping[str, object]]) -> None:
    """Remove the temporary files and then the journal (the journal goes last)."""
    for entry in entries:
        (root / str(entry["new"])).unlink(missing_ok=True)
        target = root / str(entry["path"])
        target.with_name(target.name + RESTORE_SUFFIX).unlink(missing_ok=True)
    journal_dir = root / JOURNAL_DIR
    if journal_dir.is_dir() and not journal_dir.is_symlink():
        for child in journal_dir.iterdir():
            if child.name != "journal.json" and child.is_file():
                child.unlink(missing_ok=True)
        (journal_dir / "journal.json").unlink(missing_ok=True)
        shutil.rmtree(journal_dir, ignore_errors=True)
    _fsync_dir(root)


def _sha_of(path: Path) -> str:
    try:
        return sha256(path.read_bytes())
    except FileNotFoundError:
        return ""


def recover(root: Path) -> str:
    """Finish or undo an apply that was interrupted; '' when there was nothing to recover."""
    root = Path(root)
    journal_dir = root / JOURNAL_DIR
    journal = journal_dir / "journal.json"
    if journal_dir.is_symlink():
        return ""  # not ours: check() refuses to apply until it is removed
    if not journal.exists():
        if journal_dir.exists():
            shutil.rmtree(journal_dir, ignore_errors=True)
        return ""
    try:
        state = json.loads(journal.read_text())
        entries = state["entries"]
    except (OSError, ValueError, KeyError) as exc:
        # The journal is written atomically, so a broken one means it never reached 'prepared':
        # no original was touched. Remove leftovers.
        _remove_new_files(root)
        shutil.rmtree(journal_dir, ignore_errors=True)
        return f"an unreadable journal ({exc}) was removed; the tree was not changed"
    if state.get("state") != "committing":
        _cleanup(root, entries)
        return "an interrupted apply was rolled back (it had not started replacing files)"
    # Roll forward when every file is either already new or has its new copy ready.
    can_finish = True
    for entry in entries:
        target, new = root / entry["path"], root / entry["new"]
        if _sha_of(target) == entry["after"]:
            continue
        if _sha_of(new) != entry["after"]:
            can_finish = False
    if can_finish:
        for entry in entries:
            target, new = root / entry["path"], root / entry["new"]
            if new.exists() and _sha_of(target) != entry["after"]:
                _replace(new, target)
        for entry in entries:
            _fsync_dir((root / entry["path"]).parent)
        _cleanup(root, entries)
        return "an interrupted apply was completed"
    replaced = [e for e in entries if _sha_of(root / e["path"]) == e["after"]]
    _restore(root, replaced)
    _cleanup(root, entries)
    return "an interrupted apply was rolled back from its backups"


def _remove_new_files(root: Path) -> None:
    for suffix in (NEW_SUFFIX, RESTORE_SUFFIX):
        for path in root.rglob("*" + suffix):
            path.unlink(missing_ok=True)


def changes_from_patch(patch: object, root_label: str) -> list[FileChange]:
    """The file changes of one root of an :class:`idrename.patch.Patch`."""
    return [
        FileChange(fp.path, fp.sha256, fp.after)  # type: ignore[attr-defined]
        for fp in patch.changed()  # type: ignore[attr-defined]
        if fp.root == root_label
    ]
