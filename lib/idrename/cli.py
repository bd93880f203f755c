"""The command line: ``idrename inventory|plan|...``, each a thin shell over one library stage.

Exit status: 0 done, 2 unusable input (bad root, malformed policy), 3 the plan has conflicts,
4 files changed since planning.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TextIO

EXIT_OK, EXIT_INPUT, EXIT_CONFLICTS, EXIT_STALE = 0, 2, 3, 4


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
        return policy_from_terms(args.old, args.new)
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
        shown = frame[list(columns)] if columns else frame
        if shown.empty:
            out.write("(none)\n")
        else:
            out.write(shown.to_string(index=False) + "\n")


def _markdown(frame: Any) -> str:
    cols = list(frame.columns)
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for row in frame.itertuples(index=False):
        lines.append("| " + " | ".join(str(v).replace("|", "\\|") for v in row) + " |")
    return "\n".join(lines)


def _open_out(path: Path | None) -> TextIO:
    if path is None:
        return sys.stdout
    path.parent.mkdir(parents=True, exist_ok=True)
    return path.open("w", encoding="utf-8", newline="")


TABLE_COLUMNS = ["root", "path", "line", "column", "role", "text", "symbol", "section"]


def cmd_inventory(args: argparse.Namespace) -> int:
    from .inventory import scan

    policy = load_terms(args)
    inv = scan(
        args.roots,
        policy.spec,
        sections=policy.sections,
        skip=policy.skip,
        progress=_progress(sys.stderr) if args.format in ("table", "csv") else None,
    )
    out = _open_out(args.output)
    try:
        write_frame(inv.frame, args.format, out, TABLE_COLUMNS)
    finally:
        if out is not sys.stdout:
            out.close()
    for issue in inv.issues:
        print(f"idrename: {issue.root}/{issue.message}", file=sys.stderr)
    if args.format == "table":
        print(inv.summary(), file=sys.stderr)
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
    p.add_argument("-o", "--output", type=Path, help="write here instead of standard output")
    p.set_defaults(func=cmd_inventory)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except UsageError as exc:
        print(f"idrename: {exc}", file=sys.stderr)
        return EXIT_INPUT
    except (OSError, ValueError) as exc:
        from .inventory import InputError

        if isinstance(exc, InputError) or isinstance(exc, OSError):
            print(f"idrename: {exc}", file=sys.stderr)
            return EXIT_INPUT
        raise


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
