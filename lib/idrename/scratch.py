"""Scratch copies: the patch is applied to a copy, never to the analysed tree.

A Go module often points at sibling modules with ``replace ... => ../other`` in its go.mod. The
copy keeps those relative paths working: the root is copied under the scratch folder at its place
relative to the common ancestor of the root and its local replace targets, and each target is
linked (read-only use: the build reads it, nothing writes it) at its own relative place.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

_REPLACE_RE = re.compile(r"^\s*(?:replace\s+)?\S+(?:\s+\S+)?\s*=>\s*(\.{1,2}/\S*|/\S+)\s*$")


def local_replace_targets(module_dir: Path) -> list[Path]:
    """Absolute folders that go.mod files under ``module_dir`` replace modules with."""
    targets: set[Path] = set()
    for gomod in sorted(module_dir.rglob("go.mod")):
        if any(p in ("vendor", "node_modules", ".git") for p in gomod.relative_to(module_dir).parts):
            continue
        for line in gomod.read_text("utf-8", "replace").splitlines():
            if "=>" not in line:
                continue
            m = _REPLACE_RE.match(line.split("//", 1)[0])
            if m:
                target = (gomod.parent / m.group(1)).resolve()
                if target.is_dir():
                    targets.add(target)
    root = module_dir.resolve()
    return sorted(t for t in targets if t != root and root not in t.parents)


def scratch_copy(root: str | os.PathLike[str], scratch: str | os.PathLike[str]) -> Path:
    """Copy ``root`` into ``scratch`` (emptied first) and return the copy's path."""
    root = Path(root).resolve()
    scratch = Path(scratch)
    targets = local_replace_targets(root)
    base = Path(os.path.commonpath([root, *targets])) if targets else root.parent
    if scratch.exists():
        shutil.rmtree(scratch)
    scratch.mkdir(parents=True)
    copy = scratch / root.relative_to(base)
    shutil.copytree(root, copy, symlinks=True,
                    ignore=shutil.ignore_patterns(".git", "node_modules"))
    for target in targets:
        link = scratch / target.relative_to(base)
        if link.exists() or link.is_symlink():
            continue
        link.parent.mkdir(parents=True, exist_ok=True)
        link.symlink_to(target, target_is_directory=True)
    return copy
