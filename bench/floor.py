"""What a cold plan cannot skip, each part measured alone (not a test; see issue #9's notes).

On the benchmark's tree (``make bench`` generates it), as separate processes, median of several
runs, wall seconds and CPU seconds (user + system, children included):

- the cold inventory (``idrename inventory --no-cache``), which every plan starts with;
- starting Python with the modules a plan imports (pandas, tree-sitter, the stages);
- the cold plan itself (``idrename diff --no-cache``), for scale;
- ``gofmt -l`` on the files the patch changes, two processes at once (a patch is gofmt'd);
- the unified diffs of those files (``difflib``, in this process: a diff is written).

The files the patch changes are found by applying the plan to a copy of the tree under
``build/floor``. Prints each figure and the budget the target sets: twice the cold inventory's
wall time on every core, as CPU seconds.

    python bench/floor.py [TREE]
"""

from __future__ import annotations

import argparse
import difflib
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
WORK = PROJECT / "build" / "floor"  # the applied copy, the list of changed files
TERMS = ["--from", "RunID", "--to", "SessionID"]
IMPORTS = ("import idrename.cli, idrename.workflow, idrename.checks, idrename.compat, "
           "idrename.decisions, idrename.patch, idrename.gofacts, idrename.gosymbols, pandas, "
           "tree_sitter_go")


def in_children(command: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """(wall, CPU) seconds of one run of ``command`` (its output thrown away)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   env=env, cwd=WORK)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def median_of(runs: int, measure: Callable[[], tuple[float, float]]) -> tuple[float, float]:
    found = [measure() for _ in range(runs)]
    return statistics.median(w for w, _ in found), statistics.median(c for _, c in found)


def changed_files(tree: Path, python: str, env: dict[str, str]) -> tuple[Path, list[str]]:
    """A copy of ``tree`` with the plan applied, and the Go files that differ."""
    copy = WORK / tree.name
    if copy.exists():
        shutil.rmtree(copy)
    shutil.copytree(tree, copy, symlinks=True)
    subprocess.run([python, "-m", "idrename.cli", "apply", str(copy), *TERMS, "--no-cache"],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    return copy, [p.relative_to(copy).as_posix() for p in sorted(copy.rglob("*.go"))
                  if p.read_bytes() != (tree / p.relative_to(copy)).read_bytes()]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("tree", nargs="?", type=Path,
                        default=PROJECT / "build" / "bench" / "tree-3000x330-s0-RunID")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    tree = args.tree.resolve()
    if not tree.is_dir():
        print(f"floor: no tree at {tree}: run `make bench` first (it generates it)",
              file=sys.stderr)
        return 2
    WORK.mkdir(parents=True, exist_ok=True)
    sys.path.insert(0, str(PROJECT / "lib"))
    from idrename.gotool import find_toolchain

    toolchain = find_toolchain()
    if toolchain is None:
        print("floor: no Go toolchain (gofmt) found", file=sys.stderr)
        return 2
    python = sys.executable
    env = {**os.environ, "PYTHONPATH": str(PROJECT / "lib")}
    idrename = [python, "-m", "idrename.cli"]
    inventory = median_of(args.runs, lambda: in_children(
        [*idrename, "inventory", str(tree), *TERMS, "--no-cache", "--format", "csv",
         "-o", os.devnull], env))
    imports = median_of(args.runs, lambda: in_children([python, "-c", IMPORTS], env))
    plan = median_of(3, lambda: in_children(
        [*idrename, "diff", str(tree), *TERMS, "--no-cache", "-o", os.devnull], env))
    copy, changed = changed_files(tree, python, env)
    listed = WORK / "changed.txt"
    listed.write_text("".join(f"{copy / rel}\n" for rel in changed))
    gofmt = median_of(args.runs, lambda: in_children(
        ["sh", "-c", f'xargs -n 400 -P 2 "{toolchain.gofmt}" -l < "{listed}" > /dev/null']))
    pairs = [((tree / rel).read_bytes().decode("utf-8", "surrogateescape").splitlines(True),
              (copy / rel).read_bytes().decode("utf-8", "surrogateescape").splitlines(True))
             for rel in changed]

    def diffs() -> tuple[float, float]:
        start = time.process_time()
        for a, b in pairs:
            list(difflib.unified_diff(a, b, "a", "b", n=3))
        return 0.0, time.process_time() - start

    written = median_of(3, diffs)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    budget = 2 * inventory[0] * (cores or 1)
    floor = inventory[1] + gofmt[1] + written[1]
    print(f"tree {tree.name}: {len(changed)} files changed by the plan; {cores} cores")
    print(f"cold inventory (--no-cache)        wall {inventory[0]:5.2f} s  CPU {inventory[1]:5.2f} s")
    print(f"python + the plan's imports        wall {imports[0]:5.2f} s  CPU {imports[1]:5.2f} s")
    print(f"cold plan + diff (--no-cache)      wall {plan[0]:5.2f} s  CPU {plan[1]:5.2f} s")
    print(f"gofmt -l, the changed files        wall {gofmt[0]:5.2f} s  CPU {gofmt[1]:5.2f} s")
    print(f"unified diffs, the changed files                CPU {written[1]:5.2f} s")
    print(f"budget (2x the cold inventory's wall on {cores} cores): {budget:.2f} CPU s; "
          f"inventory + gofmt + diffs: {floor:.2f} CPU s; left for the rest of a plan: "
          f"{budget - floor:.2f} CPU s (it takes {plan[1] - floor:.2f} CPU s now)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
