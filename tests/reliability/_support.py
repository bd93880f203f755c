"""Shared helpers: trees on disk, byte-exact snapshots, the pipeline, and the fault ledger."""

from __future__ import annotations

import functools
import os
import stat
import textwrap
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from idrename import roles
from idrename.apply import JOURNAL_DIR, NEW_SUFFIX, RESTORE_SUFFIX, FileChange, changes_from_patch
from idrename.decisions import decide
from idrename.inventory import Inventory, scan
from idrename.patch import Patch, build_patch
from idrename.policy import Policy, parse_policy

BASE_POLICY = '[rename]\nfrom = "RunID"\nto = "SessionID"\n'


def rename_all_policy(old: str = "RunID", new: str = "SessionID") -> str:
    """A policy that renames every occurrence, strings, tags and comments included."""
    lines = ["[rename]", f'from = "{old}"', f'to = "{new}"', "", "[defaults]"]
    lines += [f'{role} = "rename"' for role in sorted(roles.ALL_ROLES)]
    return "\n".join(lines) + "\n"


RENAME_ALL = rename_all_policy()


def go(src: str) -> str:
    """A Go snippet written indented in a test, dedented."""
    return textwrap.dedent(src).lstrip("\n")


# -- the fault ledger ------------------------------------------------------------------------
@dataclass
class Ledger:
    """What the reliability run did: faults injected, files found corrupted or lost."""

    faults: int = 0
    corrupted: list[str] = field(default_factory=list)
    trees_checked: int = 0

    def fault(self, count: int = 1) -> None:
        self.faults += count


LEDGER = Ledger()


# -- trees and snapshots ---------------------------------------------------------------------
# ("file", bytes, mode, owner) | ("link", target) | ("dir", mode) | ("other", kind, mode) | ...
Entry = tuple[Any, ...]
Snapshot = dict[str, Entry]


def write_tree(root: Path, files: Mapping[str, str | bytes]) -> Path:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode() if isinstance(content, str) else content)
    return root


def snapshot(*roots: Path) -> Snapshot:
    """Every entry under ``roots`` (links not followed): full bytes, mode and owner of each file."""
    out: Snapshot = {}
    for root in roots:
        for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
            base = Path(dirpath)
            for name in sorted(dirnames + filenames):
                full = base / name
                key = f"{root.name}/{full.relative_to(root).as_posix()}"
                info = os.lstat(full)
                mode = stat.S_IMODE(info.st_mode)
                if stat.S_ISLNK(info.st_mode):
                    out[key] = ("link", os.readlink(full))
                elif stat.S_ISDIR(info.st_mode):
                    out[key] = ("dir", mode)
                elif stat.S_ISREG(info.st_mode):
                    try:
                        out[key] = ("file", full.read_bytes(), mode, (info.st_uid, info.st_gid))
                    except PermissionError:
                        out[key] = ("unreadable", info.st_size, info.st_mtime_ns, mode)
                else:
                    out[key] = ("other", stat.S_IFMT(info.st_mode), mode)
    return out


def expected_after(before: Snapshot, root: Path, changes: Mapping[str, bytes]) -> Snapshot:
    """``before`` with the files of ``changes`` (paths relative to ``root``) holding new bytes."""
    out = dict(before)
    for rel, data in changes.items():
        key = f"{root.name}/{rel}"
        kind, _old, mode, owner = out[key]
        assert kind == "file", key
        out[key] = ("file", data, mode, owner)
    return out


def assert_tree(actual: Snapshot, expected: Snapshot, *, what: str = "") -> None:
    """The tree is exactly as expected; pre-existing files that differ count as corrupted."""
    LEDGER.trees_checked += 1
    if actual == expected:
        return
    damaged = sorted(k for k in expected if actual.get(k) != expected[k])
    extra = sorted(set(actual) - set(expected))
    LEDGER.corrupted.extend(damaged)
    raise AssertionError(
        f"{what or 'tree'} differs: changed or lost {damaged}, unexpected new entries {extra}"
    )


def leftovers(root: Path) -> list[str]:
    """Temporary files or a journal that an apply left behind."""
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            if name == JOURNAL_DIR or name.endswith((NEW_SUFFIX, RESTORE_SUFFIX)):
                found.append((Path(dirpath) / name).relative_to(root).as_posix())
    return sorted(found)


# -- the pipeline ----------------------------------------------------------------------------
@functools.lru_cache(maxsize=1)
def toolchain() -> Any:
    from idrename.gotool import find_toolchain

    return find_toolchain()


def gofmt() -> Callable[[bytes], bytes] | None:
    """gofmt as a callable (the toolchain looked up once), or None without a toolchain."""
    from idrename.gotool import gofmt_source

    tc = toolchain()
    return None if tc is None else functools.partial(gofmt_source, toolchain=tc)


@dataclass
class Planned:
    policy: Policy
    inventory: Inventory
    decided: Any
    patch: Patch

    @property
    def label(self) -> str:
        (label,) = self.inventory.roots
        return label

    def changes(self, label: str | None = None) -> list[FileChange]:
        return changes_from_patch(self.patch, label or self.label)

    def afters(self, label: str | None = None) -> dict[str, bytes]:
        return {c.path: c.after for c in self.changes(label)}

    def rows(self, path: str) -> Any:
        return self.decided[self.decided["path"] == path]

    def issues(self, kind: str | None = None) -> list[Any]:
        return [i for i in self.inventory.issues if kind is None or i.kind == kind]


def plan(roots: Iterable[Path] | Path, policy_text: str = BASE_POLICY) -> Planned:
    roots = [roots] if isinstance(roots, Path) else list(roots)
    policy = parse_policy(policy_text)
    inv = scan(roots, policy.spec, sections=policy.sections, skip=policy.skip)
    decided = decide(inv.frame, policy)
    patch = build_patch(decided, inv.roots, gofmt=gofmt())
    return Planned(policy, inv, decided, patch)


def run_as_nobody(fn: Callable[[], Any]) -> Any:
    """``fn()`` in a forked child that dropped root to uid/gid 65534, so permission bits apply
    (root reads and writes any file). Lazy imports must be warmed before: the child may not be
    able to read the standard library. Skips the test when privileges cannot be dropped."""
    import pickle

    import pytest

    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child
        os.close(read)
        try:
            os.setgroups([])
            os.setgid(65534)
            os.setuid(65534)
            out = pickle.dumps(("ok", fn()))
        except BaseException as exc:
            out = pickle.dumps(("error", f"{type(exc).__name__}: {exc}"))
        os.write(write, out)
        os._exit(0)
    os.close(write)
    chunks = []
    while chunk := os.read(read, 1 << 16):
        chunks.append(chunk)
    os.close(read)
    os.waitpid(pid, 0)
    status, value = pickle.loads(b"".join(chunks))
    if status == "error" and value.startswith("PermissionError: [Errno 1]"):
        pytest.skip(f"cannot drop root privileges to test an unreadable file: {value}")
    if status == "error":
        raise AssertionError(f"in the unprivileged child: {value}")
    return value


def one_line(message: str) -> str:
    assert "\n" not in message, f"message is not one line: {message!r}"
    return message
