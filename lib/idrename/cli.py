"""The command line: ``idrename inventory|plan|...``, each a thin shell over one library stage.

Exit status: 0 done, 2 unusable input (bad root, malformed policy), 3 the plan has conflicts,
4 files changed since planning, 141 the reader of the output went away (``| head``: nothing is
said, as a tool stopped by SIGPIPE says nothing).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn, TextIO

from .collector import fewer_collections

EXIT_OK, EXIT_INPUT, EXIT_CONFLICTS, EXIT_STALE, EXIT_PIPE = 0, 2, 3, 4, 141


class UsageError(Exception):
    """Unusable input, reported as one sentence with exit status 2."""


def _add_terms(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("what to rename (a policy file, or a term pair)")
    group.add_argument("--policy", type=Path, help="policy file (TOML)")
    group.add_argument("--from", dest="old", help="the old term, as a Go name (RunID)")
    group.add_argument("--to", dest="new", help="the new term, as a Go name (SessionID)")


def load_terms(args: argparse.Namespace) -> Any:
    """The policy from ``--policy`` or ``--from/--to`` (a :class:`idrename.policy.Policy`)."""
    from .policy import PolicyError, load_policy, policy_from_terms

    try:
        if args.policy is not None:
            if args.old or args.new:
                raise UsageError("give either --policy or --from/--to, not both")
            return load_policy(args.policy)
        if not (args.old and args.new):
            raise UsageError("say what to rename: --policy FILE, or --from OLD --to NEW")
        try:
            return policy_from_terms(args.old, args.new)
        except PolicyError as exc:  # no file to name: the options are where the problem is
            raise UsageError(f"--from {args.old} --to {args.new}: {exc.problem}; "
                             f"{exc.fix}") from exc
    except PolicyError as exc:
        raise UsageError(str(exc)) from exc
    except ValueError as exc:
        raise UsageError(str(exc)) from exc


def _progress(stream: TextIO) -> Callable[[int, int], None] | None:
    if not stream.isatty():
        return None

    def show(done: int, total: int) -> None:
        if total < 50:
            return
        width = 30
        filled = width * done // total
        stream.write(f"\rscanning [{'#' * filled}{'.' * (width - filled)}] {done}/{total} files")
        if done == total:
            stream.write("\n")
        stream.flush()

    return show


def write_frame(frame: Any, fmt: str, out: TextIO, columns: Sequence[str] | None = None) -> None:
    """Write a DataFrame as table, csv, json (a list of row objects), jsonl or markdown."""
    if fmt == "csv":
        frame.to_csv(out, index=False, lineterminator="\n")
    elif fmt == "json":
        json.dump(frame.to_dict(orient="records"), out, indent=1, default=str)
        out.write("\n")
    elif fmt == "jsonl":
        for row in frame.to_dict(orient="records"):
            out.write(json.dumps(row, default=str) + "\n")
    elif fmt == "markdown":
        shown = frame[list(columns)] if columns else frame
        out.write(_markdown(shown) + "\n")
    else:
        from .texttable import write_table

        shown = frame[list(columns)] if columns else frame
        write_table([str(c) for c in shown.columns], shown.itertuples(index=False, name=None), out)


def _markdown(frame: Any) -> str:
    cols = list(frame.columns)
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for row in frame.itertuples(index=False):
        lines.append("| " + " | ".join(str(v).replace("|", "\\|") for v in row) + " |")
    return "\n".join(lines)


def _to_stdout(path: Path | None) -> bool:
    """Whether ``-o`` names standard output: no ``-o``, or ``-o -``."""
    return path is None or str(path) == "-"


def _open_out(path: Path | None) -> TextIO:
    if path is None or _to_stdout(path):
        return sys.stdout
    path.parent.mkdir(parents=True, exist_ok=True)
    return path.open("w", encoding="utf-8", newline="")


TABLE_COLUMNS = ["root", "path", "line", "column", "role", "text", "symbol", "section"]


def cmd_inventory(args: argparse.Namespace) -> int:
    from .inventory import COLUMNS, scan_table, write_rows

    policy = load_terms(args)
    # Every format is written from plain rows: pandas is never imported.
    inv = scan_table(args.roots, policy.spec, sections=policy.sections, skip=policy.skip,
                     progress=_progress(sys.stderr) if args.format in ("table", "csv") else None,
                     cache=not args.no_cache)
    out = _open_out(args.output)
    try:
        if args.format == "table":
            from .texttable import write_table

            shown = [COLUMNS.index(c) for c in TABLE_COLUMNS]
            write_table(TABLE_COLUMNS, ([r[i] for i in shown] for r in inv.rows), out)
        elif args.format == "csv":
            inv.write_csv(out)
        else:
            write_rows(inv.rows, args.format, out)
    finally:
        if out is not sys.stdout:
            out.close()
    for issue in inv.issues:
        print(f"idrename: {issue.root}/{issue.message}", file=sys.stderr)
    if args.format == "table":
        print(inv.summary(), file=sys.stderr)
    return EXIT_OK


def _analyse(args: argparse.Namespace) -> Any:
    from .workflow import analyse

    policy = load_terms(args)
    return analyse([args.root], policy, list(getattr(args, "consumers", None) or []),
                   progress=_progress(sys.stderr),
                   cache=False if getattr(args, "no_cache", False) else None)


def _analyse_and_patch(args: argparse.Namespace) -> tuple[Any, Any]:
    """The analysis, and its patch when it found no error (else None)."""
    from .workflow import analyse_and_patch

    policy = load_terms(args)
    return analyse_and_patch([args.root], policy, list(getattr(args, "consumers", None) or []),
                             progress=_progress(sys.stderr),
                             cache=False if getattr(args, "no_cache", False) else None)


def _print_conflicts(conflicts: Sequence[Any], out: TextIO) -> None:
    for c in conflicts:
        print(f"{c.severity}: {c.kind}: {c.message}", file=out)


def _print_outside(decided: Any, out: TextIO) -> None:
    """The uses kept because their names are declared outside the roots (a rename the patch
    cannot make alone), so that they are not missed."""
    from .outside import DECIDED_BY

    kept = decided[decided["decided_by"] == DECIDED_BY]
    if len(kept):
        print(f"{len(kept)} use(s) of names declared outside the roots, kept: rename them where "
              "they are declared, or widen the roots:", file=out)
        write_frame(kept, "table", out, ["root", "path", "line", "role", "text", "rationale"])


def _plan_verdict(changed: int, review: int, warnings: int) -> str:
    """The last line of a plan without errors: clean only when nothing is left to look at."""
    if not review and not warnings:
        return f"plan is clean: {changed} file(s) would change"
    left = [f"{n} {what}" for n, what in ((review, "occurrence(s) left for review"),
                                          (warnings, "warning(s)")) if n]
    return (f"plan has no conflicts: {changed} file(s) would change; {' and '.join(left)} "
            "above to read before applying")


def cmd_plan(args: argparse.Namespace) -> int:
    from .checks import WARNING
    from .workflow import plan_document

    analysis, patch = _analyse_and_patch(args)
    errors = analysis.errors
    # `-o -`: the plan is the standard output, and what is said of it goes to standard error
    piped = args.output is not None and _to_stdout(args.output)
    out = sys.stderr if piped else sys.stdout
    print(analysis.inventory.summary(), file=out)
    print("decisions:", file=out)
    write_frame(analysis.decision_counts(), "table", out)
    review = analysis.decided[analysis.decided["decision"] == "review"]
    if len(review):
        print(f"{len(review)} occurrence(s) left for review:", file=out)
        write_frame(review, "table", out, ["root", "path", "line", "role", "text", "suggestion"])
    _print_outside(analysis.decided, out)
    _print_conflicts(analysis.conflicts, out)
    if errors:
        print(f"idrename: {len(errors)} conflict(s); nothing written. Change the policy and plan "
              "again.", file=sys.stderr)
        return EXIT_CONFLICTS
    for warning in patch.warnings:
        print(f"warning: {warning}", file=out)
    print(_plan_verdict(len(patch.changed()), len(review),
                        len(patch.warnings) + sum(c.severity == WARNING
                                                  for c in analysis.conflicts)), file=out)
    if args.output is not None:
        doc = plan_document(analysis, patch)
        text = json.dumps(doc, indent=1, default=str) + "\n"
        if piped:
            sys.stdout.write(text)
            return EXIT_OK
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(text, encoding="utf-8")
        print(f"plan written to {args.output}", file=out)
    return EXIT_OK


def cmd_compat(args: argparse.Namespace) -> int:
    from .compat import matrix_markdown, matrix_records

    analysis = _analyse(args)
    matrix = analysis.matrix
    out = _open_out(args.output)
    try:
        if args.format == "markdown":
            out.write(matrix_markdown(matrix))
        elif args.format in ("json", "jsonl"):
            records = matrix_records(matrix)
            if args.format == "json":
                out.write(json.dumps(records, indent=1, default=str) + "\n")
            else:
                out.writelines(json.dumps(r, default=str) + "\n" for r in records)
        else:
            write_frame(matrix, args.format, out, ["contract", "kind", "wire_name", "direction",
                                                   "consumer_set", "strategy", "proposed_change"])
    finally:
        if out is not sys.stdout:
            out.close()
    return EXIT_OK


def _patch_or_conflicts(args: argparse.Namespace) -> tuple[Any, Any]:
    from .checks import ERROR
    from .decisions import POLICY
    from .wirefields import KIND as WIRE_NAME

    analysis, patch = _analyse_and_patch(args)
    if analysis.errors:
        # with the policy's entries that had no effect, which may be why the errors stay
        _print_conflicts([c for c in analysis.conflicts
                          if c.severity == ERROR or c.kind == POLICY], sys.stderr)
        raise _Conflicts(len(analysis.errors))
    # not errors, but about the build after the patch, what it changes on the wire (or about
    # the policy that made it): said where the patch is written too
    _print_conflicts([c for c in analysis.conflicts
                      if c.kind in ("skipped_use", "unparsed", "generated_use",
                                    "outside_method", WIRE_NAME, POLICY)], sys.stderr)
    return analysis, patch


class _Conflicts(Exception):
    pass


def cmd_diff(args: argparse.Namespace) -> int:
    from .patch import summary_frame, unified_diff

    analysis, patch = _patch_or_conflicts(args)
    label = analysis.go_roots[0]
    out = _open_out(args.output)
    try:
        out.write(unified_diff(patch, root=label))
    finally:
        if out is not sys.stdout:
            out.close()
    write_frame(summary_frame(patch), "table", sys.stderr)
    for warning in patch.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    return EXIT_OK


def cmd_apply(args: argparse.Namespace) -> int:
    from .apply import apply_changes, changes_from_patch
    from .patch import unified_diff
    from .verify import record_apply

    if args.plan is not None:
        from .workflow import patch_from_plan

        plan = json.loads(args.plan.read_text(encoding="utf-8"))
        patch = patch_from_plan(plan, cache=False if args.no_cache else None)
        roots = {label: Path(p) for label, p in plan["roots"].items()}
    else:
        analysis, patch = _patch_or_conflicts(args)
        roots = analysis.inventory.roots
    if args.dry_run:
        sys.stdout.write(unified_diff(patch))
        print("dry run: nothing written", file=sys.stderr)
        return EXIT_OK
    total = 0
    for label, root in roots.items():
        changes = changes_from_patch(patch, label)
        result = apply_changes(root, changes)
        if result.recovered:
            print(f"idrename: {label}: {result.recovered}", file=sys.stderr)
        for path in result.written:
            print(f"wrote {label}/{path}")
        written = set(result.written)
        # what `idrename verify` blames the patch for: these files, as they were before
        record_apply(root, [fp for fp in patch.changed() if fp.root == label and fp.path in written])
        total += len(result.written)
    for warning in patch.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    print("nothing to do" if total == 0 else f"applied: {total} file(s) changed")
    return EXIT_OK


def cmd_verify(args: argparse.Namespace) -> int:
    from .verify import recorded_changes_for, verify

    policy = load_terms(args)
    roots = [args.root, *(args.consumers or [])]
    # what the last `idrename apply` on these roots changed: without it every file is judged
    result = verify(roots, policy, changed=recorded_changes_for(roots),
                    review_allowed=args.allow_review)
    write_frame(result.checks_frame(), "table", sys.stdout)
    if not result.unexpected.empty:
        print("unexpected residual occurrences:")
        write_frame(result.unexpected, "table", sys.stdout)
    if args.allow_review and not result.left_for_review.empty:
        print("left for review (allowed by --allow-review):")
        write_frame(result.left_for_review, "table", sys.stdout)
    for r in result.go_results:
        for d in r.diagnostics:
            print(f"{r.tool}: {d.path}:{d.line}:{d.column}: {d.message}")
    if result.go_results:  # else the table said it
        for note in result.notes:
            print(f"note: go build / vet / test not run: {note}")
    print(result.summary())
    return EXIT_OK if result.ok else 1


def cmd_audit(args: argparse.Namespace) -> int:
    from .report import run_audit

    policy_path = args.policy
    if policy_path is None:
        load_terms(args)  # validates --from/--to
    summary = run_audit(args.root, consumers=args.consumers or [], policy=policy_path,
                        terms=(args.old, args.new) if policy_path is None else None,
                        out=args.out, expected=args.expected,
                        expected_contracts=args.expected_contracts,
                        expected_tree=args.expected_tree, progress=sys.stderr)
    print(summary)
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="idrename",
        description="Plan, review, apply and record an identifier-family rename across Go code.",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("inventory", help="list every occurrence of the family, classified")
    p.add_argument("roots", nargs="+", type=Path, metavar="ROOT")
    _add_terms(p)
    p.add_argument("--format", choices=["table", "csv", "json", "jsonl"], default="table")
    p.add_argument("-o", "--output", type=Path,
                   help="write here instead of standard output (- is standard output)")
    p.add_argument("--no-cache", action="store_true",
                   help="neither read nor write the per-file result cache ($IDRENAME_CACHE_DIR)")
    p.set_defaults(func=cmd_inventory)

    p = sub.add_parser("plan", help="decide every occurrence and run the safety checks (exit 3 on conflicts)")
    _root_args(p)
    p.add_argument("-o", "--output", type=Path,
                   help="write the plan as JSON here (-: to standard output, the rest to "
                        "standard error)")
    _cache_arg(p)
    p.set_defaults(func=cmd_plan)

    p = sub.add_parser("compat", help="the wire-compatibility matrix: contracts, producers, consumers")
    _root_args(p)
    p.add_argument("--format", choices=["table", "csv", "json", "jsonl", "markdown"], default="table")
    p.add_argument("-o", "--output", type=Path)
    _cache_arg(p)
    p.set_defaults(func=cmd_compat)

    p = sub.add_parser("diff", help="the gofmt'd unified diff, relative to ROOT (git apply accepts it)")
    _root_args(p)
    p.add_argument("-o", "--output", type=Path)
    _cache_arg(p)
    p.set_defaults(func=cmd_diff)

    p = sub.add_parser("apply", help="apply the patch atomically (exit 4 if files changed since planning)")
    _root_args(p)
    p.add_argument("--plan", type=Path, help="apply this plan.json (refused if a file changed since)")
    p.add_argument("--dry-run", action="store_true", help="print the diff, write nothing")
    _cache_arg(p)
    p.set_defaults(func=cmd_apply)

    p = sub.add_parser("verify", help="parse, gofmt, residuals, go build/vet/test")
    _root_args(p)
    p.add_argument("--allow-review", action="store_true",
                   help="list the occurrences left for review instead of failing on them (a "
                        "plan applied before its review is done)")
    p.set_defaults(func=cmd_verify)

    p = sub.add_parser("audit", help="run the four notebooks on a tree and write the audit record")
    _root_args(p)
    p.add_argument("--out", type=Path, required=True, help="folder for the record")
    p.add_argument("--expected", type=Path, help="a hand-written expected inventory (CSV) to compare with")
    p.add_argument("--expected-contracts", type=Path, help="a hand-written expected contract matrix (CSV)")
    p.add_argument("--expected-tree", type=Path, help="the hand-written result of the rename, to compare")
    p.set_defaults(func=cmd_audit)
    return parser


def _root_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("root", type=Path, metavar="ROOT", help="the Go tree")
    p.add_argument("--consumers", nargs="*", type=Path, default=[], metavar="DIR",
                   help="consumer trees (a frontend, docs) whose uses of the wire names count")
    _add_terms(p)


def _cache_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--no-cache", action="store_true",
                   help="neither read nor write the result cache ($IDRENAME_CACHE_DIR): every "
                        "file is parsed, every stage computed and every patch made again")


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        with fewer_collections():  # a command is one plan: see idrename.collector
            return int(args.func(args))
    except Exception as exc:  # mapped to an exit status, or raised again
        return _exit_status(exc)


def _raised(exc: BaseException, module: str, *names: str) -> bool:
    """Whether ``exc`` is one of ``idrename.<module>``'s exceptions ``names`` (never importing
    the module: a module that was not imported raised nothing)."""
    loaded = sys.modules.get(f"idrename.{module}")
    return loaded is not None and isinstance(exc, tuple(getattr(loaded, n) for n in names))


# Errors of the stages, by module: (module, exception, exit status), first match wins.
_STAGE_ERRORS = (("apply", "StaleError", EXIT_STALE), ("patch", "PatchError", EXIT_CONFLICTS),
                 ("apply", "ApplyError", EXIT_INPUT), ("inventory", "InputError", EXIT_INPUT))


def _exit_status(exc: Exception) -> int:
    """The exit status for an error a command raised (after saying it), or raise it again."""
    if isinstance(exc, _Conflicts):
        print(f"idrename: {exc} conflict(s); nothing written. Change the policy and plan again.",
              file=sys.stderr)
        return EXIT_CONFLICTS
    if isinstance(exc, BrokenPipeError) and _reader_gone():
        return EXIT_PIPE  # (a pipe of our own that broke, gofmt's say, is an error: below)
    status = EXIT_INPUT if isinstance(exc, (UsageError, OSError)) else None
    if not isinstance(exc, UsageError):
        status = next((code for module, name, code in _STAGE_ERRORS
                       if _raised(exc, module, name)), status)
    if status is None:
        raise exc
    print(f"idrename: {exc}", file=sys.stderr)
    return status


def _reader_gone() -> bool:
    """Whether standard output is a pipe whose reader closed it; if so, it is pointed at the
    null device, so that what is still buffered for it is dropped quietly at exit."""
    import select

    try:
        fd = sys.stdout.fileno()
        poller = select.poll()
        poller.register(fd, select.POLLOUT)
        gone = any(events & select.POLLERR for _fd, events in poller.poll(0))
        if gone:
            null = os.open(os.devnull, os.O_WRONLY)
            os.dup2(null, fd)
            os.close(null)
        return gone
    except (AttributeError, OSError, ValueError):  # (no poll here, or no file behind stdout)
        return False


def run() -> NoReturn:
    """The ``idrename`` command: :func:`main`, then leave at once when nothing is left to do.

    A plan leaves the interpreter a large heap (pandas, the parsers, their caches): tearing it
    down object by object at exit took 0.1-0.3 s after every command on the benchmark's tree,
    after the output was complete. When no exit handler has work left (see
    :func:`_nothing_left`), it exits with :func:`os._exit`; otherwise as usual."""
    _without_arrow(sys.argv[1:])
    status = _flushed(main())
    if _nothing_left():
        os._exit(status)
    sys.exit(status)


def _without_arrow(argv: Sequence[str]) -> None:
    """Keep pandas from loading Arrow in a command that writes no Parquet (all but ``audit``,
    whose notebooks run in kernels of their own anyway). pandas imports ``pyarrow`` whenever
    it is installed (the notebooks write Parquet with it), which took 0.09 s of every start,
    and then keeps text columns as Arrow arrays, which the stages turn back into Python strings
    cell by cell; without it they are Python strings from the start (less memory, too). The
    results are the same. Only the command line does this: it owns its process, whereas the
    library leaves a notebook's pandas as the user set it up."""
    if list(argv[:1]) != ["audit"] and "pandas" not in sys.modules:
        sys.modules.setdefault("pyarrow", None)  # type: ignore[arg-type]  # import gives ImportError


def _flushed(status: int) -> int:
    """``status`` once standard output is flushed; :data:`EXIT_PIPE` for a command that ended
    well but whose output's reader went away before it was all written (nothing said)."""
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        if _reader_gone() and status == EXIT_OK:
            return EXIT_PIPE
    except (AttributeError, OSError, ValueError):
        pass  # the usual exit says what it finds
    return status


def _nothing_left() -> bool:
    """Whether this process may exit without running exit handlers: a single thread, no child
    process of ``multiprocessing`` alive, no object waiting to be finalized (a temporary folder
    to remove, say), logging shut down and both streams flushed."""
    import threading
    import weakref

    if threading.active_count() != 1:
        return False
    if getattr(weakref.finalize, "_registry", None) != {}:
        return False  # (or a Python that keeps them elsewhere: exit as usual)
    children = sys.modules.get("multiprocessing")
    if children is not None and children.active_children():
        return False
    if "logging" in sys.modules:
        sys.modules["logging"].shutdown()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (AttributeError, OSError, ValueError):
            return False  # (a closed pipe, say): the usual exit reports it
    return True


if __name__ == "__main__":  # pragma: no cover
    run()
