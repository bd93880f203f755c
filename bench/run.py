"""The benchmark (``make bench``): inventory, plan + diff and ast-grep on a synthetic Go tree.

Generates (once, cached under ``build/bench``) a tree of ~3,000 files and ~1,000,000 lines with
:func:`idrename.corpus.generate`, then runs every measurement as a separate process, ``--runs``
times each, interleaved round by round (each series, the plans included, once per round) so
that load from elsewhere, or a drift of the machine's speed, weighs on all of them alike:

- cold inventory: ``idrename inventory --no-cache``, and with an empty cache folder;
- warm inventory: one file edited before each run, the cache primed by an earlier run (the
  series that edit a file work in a copy of the tree: the others read a tree no run touches,
  since a file rewritten even with the same bytes has a new ``stat`` signature, and is read
  again);
- plan + diff: ``idrename diff ROOT --from OLD --to NEW`` with an empty cache (cold), and again
  with the cache an earlier plan left (warm, nothing changed: a plan, then its diff, then its
  apply, each read the matrix, the conflicts and every file's patch back);
- plan + diff after a policy edit: ``idrename diff ROOT --policy FILE`` with a warm cache and a
  policy that differs from the one before in every run (one more rule keeping the struct tags of
  one module): the matrix and the checks are computed again, and the patches of the files whose
  edits changed;
- plan + diff after a source edit: the warm cache, and one Go file with the family edited before
  each run (the same file as the warm inventory's): every stage runs again over the per-file
  caches, and that file is patched again;
- ``ast-grep scan`` with a rule that matches the family's identifiers, strings and comments;
- ``rg`` (when on PATH) with the prefilter's regular expression, for scale.

Peak memory is each measurement's largest maximum RSS (``/usr/bin/time -f %M``: the process
and the children it waited for, the largest single one), plus one extra run sampled every 50 ms over
the whole process tree (the sum of PSS, worker processes and gofmt included) on Linux.

idrename's modules are compiled to bytecode first (``compileall``), as the first run after an
install leaves them: with ``PYTHONDONTWRITEBYTECODE`` set, every run would otherwise compile them
again.

Prints a table (median, min-max spread, ratio to ast-grep) and the targets, and writes
``build/bench/results-<files>files.json``. Needs ``ast-grep`` (PyPI ``ast-grep-cli``) for the comparison.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
BUILD = PROJECT / "build" / "bench"


@dataclass
class Series:
    """One measurement's runs: wall seconds and peak RSS (KiB) of each."""

    name: str
    command: list[str]
    seconds: list[float] = field(default_factory=list)
    maxrss_kib: list[int] = field(default_factory=list)
    tree_peak_kib: int | None = None
    note: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)


# -- the tree ----------------------------------------------------------------------------------
def corpus_tree(files: int, lines: int, seed: int, share: float, old: str, new: str) -> Path:
    """The generated tree for these parameters, generated only if missing or stale."""
    from idrename import corpus

    stamp = {
        "files": files, "lines_per_file": lines, "seed": seed, "family_share": share,
        "term": [old, new],
        "generator": hashlib.sha256(Path(corpus.__file__).read_bytes()).hexdigest()[:16],
    }
    root = BUILD / f"tree-{files}x{lines}-s{seed}-{old}"
    stamp_file = root.with_suffix(".json")
    if root.is_dir() and stamp_file.is_file():
        try:
            if json.loads(stamp_file.read_text())["stamp"] == stamp:
                return root
        except (ValueError, KeyError):
            pass
    if root.exists():
        shutil.rmtree(root)
    started = time.perf_counter()
    info = corpus.generate(root, files=files, lines_per_file=lines, family_share=share,
                           seed=seed, term=(old, new))
    took = time.perf_counter() - started
    stamp_file.write_text(json.dumps({
        "stamp": stamp, "files": len(info.files), "family_files": len(info.family_files),
        "lines": info.lines, "bytes": info.bytes, "modules": len(info.modules),
        "edit": info.family_files[len(info.family_files) // 2] if info.family_files else
        info.files[0],
    }, indent=1))
    print(f"generated {root.relative_to(PROJECT)}: {len(info.files)} files, {info.lines} lines "
          f"in {took:.1f} s", flush=True)
    return root


# -- running -----------------------------------------------------------------------------------
def run_once(argv: list[str], env: dict[str, str], stdout: Path) -> tuple[float, int, str]:
    """Wall seconds, peak RSS (KiB) and stderr's tail of one run; raises on failure.

    The RSS comes from ``/usr/bin/time -f %M`` where it exists (the command's own peak, its
    waited-for children included), else from ``os.wait4`` (which also counts the launcher's
    memory before ``exec``)."""
    time_bin = "/usr/bin/time" if os.access("/usr/bin/time", os.X_OK) else None
    with open(stdout, "wb") as out, tempfile.TemporaryFile() as err, \
            tempfile.NamedTemporaryFile(suffix=".rss") as rss_file:
        full = [time_bin, "-o", rss_file.name, "-f", "%M", *argv] if time_bin else argv
        started = time.perf_counter()
        proc = subprocess.Popen(full, stdout=out, stderr=err, env=env, cwd=PROJECT)
        _, status, usage = os.wait4(proc.pid, 0)
        took = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        tail = err.read().decode("utf-8", "replace")[-2000:]
        maxrss = int(usage.ru_maxrss)
        if time_bin:
            words = Path(rss_file.name).read_text().split()
            maxrss = int(words[-1]) if words and words[-1].isdigit() else maxrss
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} exited {proc.returncode}:\n{tail}")
    return took, maxrss, tail


def tree_peak(argv: list[str], env: dict[str, str], stdout: Path, every: float = 0.05) -> int | None:
    """Peak of the summed memory (PSS) of a process and all its descendants, sampled (Linux)."""
    if not Path("/proc/self/status").exists():
        return None
    peak = 0
    with open(stdout, "wb") as out:
        proc = subprocess.Popen(argv, stdout=out, stderr=subprocess.DEVNULL, env=env, cwd=PROJECT)
        done = threading.Event()

        def sample() -> None:
            nonlocal peak
            while not done.is_set():
                peak = max(peak, _tree_rss(proc.pid))
                done.wait(every)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        proc.wait()
        done.set()
        sampler.join()
    return peak


def _tree_rss(pid: int) -> int:
    """Summed proportional set size (PSS, KiB) of a process and its descendants: pages that a
    forked child still shares with its parent count once, not once per process. A child caught
    between ``vfork`` and ``exec`` (a subprocess starting) shares its parent's memory map: the
    same figures, give or take what the child touched between the two reads, so it is not
    counted. (A child forked a moment ago shows its parent's figures too, and is missed until
    it writes more than the tolerance: the pair then holds what the parent held alone.)"""
    total = 0
    stack: list[tuple[int, tuple[int, int] | None]] = [(pid, None)]
    while stack:
        p, parent = stack.pop()
        try:
            figures = _memory(p)
            if parent is None or not _same_map(figures, parent):
                total += figures[0]
            for task in os.listdir(f"/proc/{p}/task"):
                children = Path(f"/proc/{p}/task/{task}/children").read_text().split()
                stack.extend((int(c), figures) for c in children)
        except (OSError, ValueError):
            continue
    return total


def _same_map(a: tuple[int, int], b: tuple[int, int]) -> bool:
    """Whether two (PSS, RSS) readings are of one memory map read twice: within 1 MiB or 1%."""
    return all(abs(x - y) <= max(1024, y // 100) for x, y in zip(a, b, strict=True))


def _memory(pid: int) -> tuple[int, int]:
    """(PSS, RSS) in KiB; PSS falls back to RSS where smaps_rollup is missing."""
    found: dict[str, int] = {}
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        text = Path(f"/proc/{pid}/status").read_text().replace("VmRSS:", "Rss:")
    for line in text.splitlines():
        key = line.split(":", 1)[0]
        if key in ("Pss", "Rss"):
            found[key] = int(line.split()[1])
    rss = found.get("Rss", 0)
    return found.get("Pss", rss), rss


def uncached_run(s: Series, env: dict[str, str], out: Path) -> bool:
    """Run ``s`` once more with ``--no-cache`` into ``out``: is its diff the one ``s`` wrote?"""
    command = list(s.command)
    written = Path(command[command.index("-o") + 1])
    command[command.index("-o") + 1] = str(out)
    run_once([*command, "--no-cache"], env, out.with_suffix(".out"))
    return out.read_bytes() == written.read_bytes()


def ast_grep_rule(folder: Path, pattern: str) -> Path:
    """A rule matching identifiers, strings and comments whose text matches the prefilter."""
    kinds = ["identifier", "field_identifier", "type_identifier", "package_identifier",
             "interpreted_string_literal", "raw_string_literal", "comment"]
    regex = pattern.replace("'", "''")
    lines = ["id: family", "language: go", "severity: info", "message: family member", "rule:",
             "  any:"]
    for kind in kinds:
        lines += [f"    - kind: {kind}", f"      regex: '{regex}'"]
    path = folder / "family-rule.yml"
    path.write_text("\n".join(lines) + "\n")
    return path


def find_tool(name: str) -> str | None:
    beside = Path(sys.executable).parent / name
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    return shutil.which(name)


def tool_version(path: str) -> str:
    try:
        done = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=30)
        return (done.stdout or done.stderr).strip().splitlines()[0]
    except (OSError, subprocess.SubprocessError, IndexError):
        return "?"


# -- the benchmark -----------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=3000)
    parser.add_argument("--lines", type=int, default=330, help="average lines per file")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--share", type=float, default=0.25, help="share of files with the family")
    parser.add_argument("--from", dest="old", default="RunID")
    parser.add_argument("--to", dest="new", default="SessionID")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--diff-runs", type=int, default=None, help="runs of plan + diff (--runs)")
    parser.add_argument("--no-diff", action="store_true", help="skip plan + diff")
    parser.add_argument("--quick", action="store_true", help="300 files, 3 runs: a smoke test")
    args = parser.parse_args(argv)
    # A SIGTERM (a timeout, a kill) unwinds like Ctrl-C, so the edited file is restored.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    if args.quick:
        args.files, args.runs = 300, 3
    diff_runs = args.runs if args.diff_runs is None else args.diff_runs

    sys.path.insert(0, str(PROJECT / "lib"))
    from idrename.spec import Spec

    BUILD.mkdir(parents=True, exist_ok=True)
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(PROJECT / "lib")], check=True)
    root = corpus_tree(args.files, args.lines, args.seed, args.share, args.old, args.new)
    tree = json.loads(root.with_suffix(".json").read_text())
    work = BUILD / "work"
    if work.exists():
        shutil.rmtree(work)
    work.mkdir()
    env = dict(os.environ)
    env.pop("IDRENAME_CACHE_DIR", None)
    terms = ["--from", args.old, "--to", args.new]
    idrename = [sys.executable, "-m", "idrename.cli"]
    inventory = [*idrename, "inventory", str(root), *terms, "--format", "csv", "-o"]
    # The series that edit a file work on a copy of the tree (of the same name, so that their
    # outputs compare), and the others on a tree no run touches: a file rewritten with the
    # same bytes has a new stat signature, so the caches read it again.
    edit_root = work / "edit" / root.name
    shutil.copytree(root, edit_root)
    time.sleep(2.1)  # files younger than the cache's racy window are hashed on every run
    pattern = Spec(args.old, args.new).pattern.pattern.decode()

    cold = Series("inventory, cold (--no-cache)",
                  [*inventory, str(work / "cold.csv"), "--no-cache"])
    empty = Series("inventory, cold (empty cache)", [*inventory, str(work / "empty.csv")])
    warm = Series("inventory, warm (1 file edited)",
                  [*idrename, "inventory", str(edit_root), *terms, "--format", "csv", "-o",
                   str(work / "warm.csv")])
    series = [cold, empty, warm]
    ast_grep = find_tool("ast-grep")
    sg: Series | None = None
    if ast_grep is not None:
        rule = ast_grep_rule(work, pattern)
        sg = Series(f"ast-grep scan ({tool_version(ast_grep)})",
                    [ast_grep, "scan", "--rule", str(rule), "--json=stream", str(root)])
        series.append(sg)
    rg_path = find_tool("rg")
    rg: Series | None = None
    if rg_path is not None:
        rg = Series(f"rg ({tool_version(rg_path)})", [rg_path, "-n", "-i", pattern, str(root)])
        series.append(rg)
    diff = Series("plan + diff (idrename diff, cold)",
                  [*idrename, "diff", str(root), *terms, "-o", str(work / "rename.diff")])
    diff_warm = Series("plan + diff (idrename diff, warm)",
                       [*idrename, "diff", str(root), *terms, "-o", str(work / "rename-warm.diff")])

    policy_file = work / "policy-edited.toml"
    diff_policy = Series("plan + diff (idrename diff, warm, policy edited)",
                         [*idrename, "diff", str(root), "--policy", str(policy_file), "-o",
                          str(work / "rename-policy.diff")])
    diff_file = Series("plan + diff (idrename diff, warm, 1 file edited)",
                       [*idrename, "diff", str(edit_root), *terms, "-o",
                        str(work / "rename-file.diff")])
    modules = sorted(p.name for p in root.iterdir() if p.is_dir())

    def edit_policy(module: str | None) -> None:
        text = f'[rename]\nfrom = "{args.old}"\nto = "{args.new}"\n'
        if module is not None:
            text += (f'\n[[rule]]\nrole = "struct_tag"\npath = "{module}/*"\ndecision = "keep"\n'
                     f'rationale = "{module} keeps its wire names for now"\n')
        policy_file.write_text(text)

    warm_cache = work / "cache-warm"
    edited = edit_root / tree["edit"]
    original = edited.read_bytes()
    outputs = {s.name: work / f"{i}.out"
               for i, s in enumerate([*series, diff, diff_warm, diff_policy, diff_file])}
    uncached_same = True  # plan + diff with --no-cache gives the same diffs as the cached runs
    try:
        # Prime the warm caches once (not timed), each on the tree as it is.
        run_once(warm.command, {**env, "IDRENAME_CACHE_DIR": str(warm_cache)}, outputs[warm.name])
        diff_cache = {**env, "IDRENAME_CACHE_DIR": str(work / "cache-diff-warm")}
        policy_cache = {**env, "IDRENAME_CACHE_DIR": str(work / "cache-diff-policy")}
        file_cache = {**env, "IDRENAME_CACHE_DIR": str(work / "cache-diff-file")}
        if not args.no_diff:
            run_once(diff_warm.command, diff_cache, outputs[diff_warm.name])
            edit_policy(None)
            run_once(diff_policy.command, policy_cache, outputs[diff_policy.name])
            run_once(diff_file.command, file_cache, outputs[diff_file.name])
        # Every series runs once per round, so that a machine whose speed drifts (a shared VM)
        # weighs on the inventory and the plans alike: the ratios compare runs minutes apart
        # at most. The edits are made in the copy only.
        for r in range(max(args.runs, 0 if args.no_diff else diff_runs)):
            print(f"round {r + 1}", flush=True)
            for s in series if r < args.runs else []:
                run_env = dict(env)
                if s is empty:
                    run_env["IDRENAME_CACHE_DIR"] = str(work / f"cache-empty-{r}")
                elif s is warm:
                    run_env["IDRENAME_CACHE_DIR"] = str(warm_cache)
                    edited.write_bytes(original + f"\n// edited in round {r + 1}\n".encode())
                took, rss, _ = run_once(s.command, run_env, outputs[s.name])
                s.seconds.append(took)
                s.maxrss_kib.append(rss)
            if args.no_diff or r >= diff_runs:
                continue
            edit_policy(modules[r % len(modules)])
            run_env = {**env, "IDRENAME_CACHE_DIR": str(work / f"cache-diff-{r}")}
            for s, s_env in ((diff, run_env), (diff_warm, diff_cache), (diff_policy, policy_cache),
                             (diff_file, file_cache)):
                if s is diff_file:
                    edited.write_bytes(original + f"\n// edited before plan {r + 1}\n".encode())
                took, rss, _ = run_once(s.command, s_env, outputs[s.name])
                s.seconds.append(took)
                s.maxrss_kib.append(rss)
        if not args.no_diff:
            series += [diff, diff_warm, diff_policy, diff_file]
        print("memory runs (sampled)", flush=True)
        for i, s in enumerate(series):
            if s in (sg, rg) or s is diff_file:
                continue
            run_env = {**env, "IDRENAME_CACHE_DIR": str(work / f"cache-mem-{i}")}
            if s is warm:
                run_env["IDRENAME_CACHE_DIR"] = str(warm_cache)
                edited.write_bytes(original + b"\n// edited for the memory run\n")
            elif s is diff_warm:
                run_env["IDRENAME_CACHE_DIR"] = str(work / "cache-diff-warm")
            elif s is diff_policy:
                run_env["IDRENAME_CACHE_DIR"] = str(work / "cache-diff-policy")
                edit_policy(modules[diff_runs % len(modules)])
            s.tree_peak_kib = tree_peak(s.command, run_env, outputs[s.name])
        if not args.no_diff:
            uncached_same = uncached_run(diff_policy, env, work / "rename-policy-uncached.diff")
            # Last, on the file edited once more (its uncached diff is compared with it).
            edited.write_bytes(original + b"\n// edited before the sampled plan\n")
            diff_file.tree_peak_kib = tree_peak(diff_file.command, file_cache,
                                                outputs[diff_file.name])
            uncached_same &= uncached_run(diff_file, env, work / "rename-file-uncached.diff")
    finally:
        edited.write_bytes(original)

    same = (work / "cold.csv").read_bytes() == (work / "warm.csv").read_bytes() == (
        work / "empty.csv").read_bytes()
    rows = (work / "cold.csv").read_bytes().count(b"\n") - 1
    matches = outputs[sg.name].read_bytes().count(b"\n") if sg else None
    same_diff = not diff.seconds or ((work / "rename.diff").read_bytes() == (
        work / "rename-warm.diff").read_bytes() and uncached_same)
    report(args, tree, series, cold, warm, diff if diff.seconds else None,
           diff_warm if diff_warm.seconds else None, sg, rows, matches, same and same_diff,
           diff_policy if diff_policy.seconds else None, diff_file if diff_file.seconds else None)
    return 0


def report(args: argparse.Namespace, tree: dict, series: list[Series], cold: Series, warm: Series,
           diff: Series | None, diff_warm: Series | None, sg: Series | None, rows: int,
           matches: int | None, same: bool, diff_policy: Series | None = None,
           diff_file: Series | None = None) -> None:
    print()
    print(f"tree: {tree['files']} Go files, {tree['lines']} lines, {tree['bytes'] / 2**20:.1f} MiB, "
          f"{tree['family_files']} with the family, {tree['modules']} modules; "
          f"{os.cpu_count()} CPUs, Python {platform.python_version()}, {args.runs} runs each")
    print(f"inventory rows: {rows}; ast-grep matches: {matches}; cold, empty-cache and warm "
          f"outputs identical (inventories; diffs, with --no-cache too): {same}")
    print()
    header = f"{'measurement':50} {'median s':>9} {'min-max s':>13} {'vs ast-grep':>12} " \
             f"{'maxrss MiB':>11} {'tree PSS MiB':>13}"
    print(header)
    print("-" * len(header))
    for s in series:
        ratio = f"{sg.median / s.median:.2f}x" if sg and s is not sg else ""
        spread = f"{min(s.seconds):.2f}-{max(s.seconds):.2f}"
        tree_mib = f"{s.tree_peak_kib / 1024:.0f}" if s.tree_peak_kib else ""
        print(f"{s.name:50} {s.median:9.2f} {spread:>13} {ratio:>12} "
              f"{max(s.maxrss_kib) / 1024:11.0f} {tree_mib:>13}")
    print()
    targets: list[tuple[str, bool, str]] = []  # (target, met, measured)
    if sg:
        cold_ratio, warm_ratio = sg.median / cold.median, sg.median / warm.median
        targets.append(("cold inventory >= 2x faster than ast-grep", cold_ratio >= 2.0,
                        f"{cold_ratio:.2f}x"))
        targets.append(("warm re-run (1 file edited) >= 10x faster than ast-grep",
                        warm_ratio >= 10.0, f"{warm_ratio:.2f}x"))
    if diff:
        diff_ratio = diff.median / cold.median
        targets.append(("plan + diff <= 2x cold inventory (cold cache)", diff_ratio <= 2.0,
                        f"{diff_ratio:.2f}x ({diff.median:.1f} s)"))
    if diff_warm:
        diff_warm_ratio = diff_warm.median / cold.median
        targets.append(("plan + diff <= 2x cold inventory (warm cache)", diff_warm_ratio <= 2.0,
                        f"{diff_warm_ratio:.2f}x ({diff_warm.median:.1f} s)"))
    for extra, what in ((diff_policy, "policy edited"), (diff_file, "1 file edited")):
        if extra:
            ratio = extra.median / cold.median
            targets.append((f"plan + diff <= 2x cold inventory (warm cache, {what})",
                            ratio <= 2.0, f"{ratio:.2f}x ({extra.median:.1f} s)"))

    def peak(group: list[Series]) -> float:
        return max(max(s.tree_peak_kib or 0, *s.maxrss_kib) for s in group) / 1024

    inventory_peak = peak([s for s in series if s.name.startswith("inventory")])
    targets.append(("peak memory < 500 MiB, inventory (maxrss, sampled tree PSS)",
                    inventory_peak < 500, f"{inventory_peak:.0f} MiB"))
    if diff:
        diff_peak = peak([s for s in (diff, diff_warm, diff_policy, diff_file) if s is not None])
        targets.append(("peak memory < 500 MiB, plan + diff (maxrss, sampled tree PSS)",
                        diff_peak < 500, f"{diff_peak:.0f} MiB"))
    for text, met, shown in targets:
        print(f"{'met ' if met else 'MISS'}  {text}: {shown}")
    results = {
        "tree": tree, "runs": args.runs, "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "series": [{"name": s.name, "command": s.command, "seconds": s.seconds,
                    "median": s.median, "maxrss_kib": s.maxrss_kib,
                    "tree_peak_kib": s.tree_peak_kib} for s in series],
        "inventory_rows": rows, "ast_grep_matches": matches, "outputs_identical": same,
        "targets": [{"target": t, "measured": shown, "met": met} for t, met, shown in targets],
    }
    out = BUILD / f"results-{tree['files']}files.json"
    out.write_text(json.dumps(results, indent=1) + "\n")
    print(f"\nwritten to {out.relative_to(PROJECT)}")


if __name__ == "__main__":
    sys.exit(main())
