"""Dual-emit and accept-both through a constant named in the family.

A service often keeps its wire names in constants (``keys.go``: ``HeaderRunID = "X-Run-ID"``)
and uses them elsewhere (``w.Header().Set(keys.HeaderRunID, id)``). When the string's decision
keeps the legacy name working (dual, accept-both), the patch renames the constant with its
value (``HeaderSessionID = "X-Session-ID"``), declares the legacy name beside it
(``LegacyHeaderSessionID = "X-Run-ID"``, with a comment that says why) and gives every use the
shim a string there would get, with the legacy constant: the statement that sets the header is
repeated for it, a log call gets a second pair, a read falls back on it.

Only a constant whose own name is in the family is followed: each of its uses has a row of its
own (``package_use``), renamed with it, so the patch of each file knows them; and only when
every use can take its shim (a read nested in another call cannot fall back, for one): renamed
with a use left as it was, the constant would stop carrying the legacy name there. A constant
named otherwise (``CookieName``), two constants of the same name, a legacy name already
declared in the package, or a use that cannot take its shim: left to the user, with the warning
that says what to add, and the value kept.

:func:`legacy_constants` runs once over all the decided rows, before the patch is planned per
file; :func:`declare` and :func:`shim_use` make each file's edits.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from . import roles as R
from .edits import Edit, FileEdits, indentation, newline_of

Node = Any  # tree_sitter.Node

# the roles and decisions a constant's string is followed in
_ROLES = frozenset({R.HTTP_HEADER, R.QUERY_PARAM, R.LOG_KEY})
_DECISIONS = frozenset({"dual", "accept-both"})
# an identifier's decisions that rename it (patch.IDENTIFIER_RENAMES)
_RENAMES = frozenset({"rename", "dual", "accept-both", "hard-cut", "drop-legacy"})
_VERB = {R.HTTP_HEADER: "sent", R.QUERY_PARAM: "read", R.LOG_KEY: "logged"}


def legacy_constants(decided: Any, roots: Mapping[str, Path]) -> dict[str, str]:
    """For the rows :func:`declare` and :func:`shim_use` act on, by id, what they need:
    ``declare\\t<legacy name>\\t<role>`` for a constant's string, ``use\\t<legacy name>\\t<role>
    \\t<decision>\\t<new name>`` for a use of the constant."""
    from .records import records

    columns = [c for c in ("id", "root", "path", "line", "role", "text", "symbol", "decision",
                           "target", "language", "is_generated", "parse_error", "start_byte",
                           "end_byte") if c in decided.columns]
    if len(columns) < 14 or not len(decided):
        return {}
    # (filtered first: a plan reads these once per run, over tens of thousands of rows)
    role = decided["role"]
    consts = decided[(role == R.CONST_DECL) & decided["decision"].isin(_RENAMES)]
    values = decided[role.isin(_ROLES) & decided["decision"].isin(_DECISIONS)]
    if consts.empty or values.empty:
        return {}
    declared = {(r["root"], r["path"], r["line"], r["text"]): r
                for r in records(consts, columns) if r["target"] != r["text"]}
    if not declared:
        return {}
    names = set(values["symbol"]) & {k[3] for k in declared}
    if not names:
        return {}
    rows = records(decided[decided["text"].isin(names) | decided["id"].isin(values["id"])],
                   columns)
    held: dict[str, list[tuple[dict[str, Any], dict[str, Any]]]] = {}
    for r in rows:
        const = declared.get((r["root"], r["path"], r["line"], r["symbol"]))
        if const is not None and r["role"] in _ROLES and r["decision"] in _DECISIONS \
                and r["language"] == "go" and not r["is_generated"] and not r["parse_error"]:
            held.setdefault(r["symbol"], []).append((r, const))
    out: dict[str, str] = {}
    trees: dict[str, tuple[bytes, Any] | None] = {}  # the use files, parsed once
    for name, found in held.items():
        if len(found) != 1 or sum(1 for k in declared if k[3] == name) != 1:
            continue  # two constants of that name: which one a use names is not known here
        value, const = found[0]
        legacy = legacy_name(const["target"])
        if _declared_in_folder(roots.get(value["root"]), value["path"], legacy):
            continue
        every = [r for r in rows if r["text"] == name and r["role"] == R.PACKAGE_USE]
        uses = {r["id"]: (f"use\t{legacy}\t{value['role']}\t{value['decision']}\t"
                          f"{const['target']}", r)
                for r in every
                if r["root"] == value["root"] and r["decision"] in _RENAMES
                and r["target"] == const["target"]}
        # All the uses or none: a constant renamed with a use left to the user would stop
        # reading (sending) the legacy name there, where keeping the value kept it working. The
        # declaration is tried too: a legacy name the uses name must be declared.
        root = roots[value["root"]]
        if len(uses) == len(every) and _declares(root, value, legacy, trees) and \
                all(_shims(root, r, what, trees) for what, r in uses.values()):
            out[value["id"]] = f"declare\t{legacy}\t{value['role']}"
            out.update((ident, what) for ident, (what, _r) in uses.items())
    return out


def _tree(root: Path, path: str, trees: dict[str, tuple[bytes, Any] | None]
          ) -> tuple[bytes, Any] | None:
    """A file's bytes and tree, read and parsed once (None: unreadable, or it does not
    parse)."""
    from .gosyntax import parse

    if path not in trees:
        try:
            data = (root / path).read_bytes()
            tree = parse(data)
            trees[path] = None if tree.root_node.has_error else (data, tree)
        except OSError:
            trees[path] = None
    return trees[path]


def _declares(root: Path, value: Mapping[str, Any], legacy: str,
              trees: dict[str, tuple[bytes, Any] | None]) -> bool:
    """Whether :func:`declare` declares ``legacy`` beside the constant whose string is
    ``value`` (one name, one string value)."""
    found = _tree(root, value["path"], trees)
    if found is None:
        return False
    data, tree = found
    start, end = int(value["start_byte"]), int(value["end_byte"])
    return declare(FileEdits(value["path"], data), tree.root_node.descendant_for_byte_range(
        start, end), value, legacy, value["role"])


def _shims(root: Path, row: Mapping[str, Any], what: str,
           trees: dict[str, tuple[bytes, Any] | None]) -> bool:
    """Whether :func:`shim_use` writes the shim of ``what`` at the use ``row`` without a
    warning (tried on the file as it is, with the use renamed)."""
    found = _tree(root, row["path"], trees)
    if found is None:
        return False
    data, tree = found
    start, end = int(row["start_byte"]), int(row["end_byte"])
    trial = FileEdits(row["path"], data)
    trial.add(Edit(start, end, str(row["target"]).encode(), "rename"))
    _kind, legacy, role, decision, new_name = what.split("\t")
    shim_use(trial, tree.root_node.descendant_for_byte_range(start, end), row, legacy, role,
             decision, new_name)
    return not trial.warnings


def legacy_name(name: str) -> str:
    """The legacy constant's name: ``LegacyHeaderSessionID``, ``legacyHeaderSessionID`` for an
    unexported one."""
    if name[:1].isupper():
        return f"Legacy{name}"
    return f"legacy{name[:1].upper()}{name[1:]}"


def _declared_in_folder(root: Path | None, path: str, name: str) -> bool:
    """Whether a Go file of the folder of ``path`` spells ``name`` already (or cannot be read:
    then it may)."""
    if root is None:
        return True
    folder = (root / path).parent
    word = re.compile(rb"\b" + re.escape(name.encode()) + rb"\b")
    try:
        return any(word.search(p.read_bytes()) for p in folder.glob("*.go"))
    except OSError:
        return True


# -- the declaration -----------------------------------------------------------------------------
def declare(fe: FileEdits, node: Node, row: Mapping[str, Any], legacy: str, role: str) -> bool:
    """Rename the constant's value and declare ``legacy`` with the old one beside it; False
    (nothing added) when the declaration is not one name with one string value."""
    literal = node
    while literal is not None and literal.type not in ("interpreted_string_literal",
                                                       "raw_string_literal"):
        literal = literal.parent
    spec = literal.parent.parent if literal is not None and literal.parent is not None else None
    if spec is None or spec.type != "const_spec" or literal.parent.type != "expression_list" \
            or len(spec.children_by_field_name("name")) != 1 \
            or len(literal.parent.named_children) != 1:
        return False
    name = spec.child_by_field_name("name")
    typ = spec.child_by_field_name("type")
    current = fe.render(name.start_byte, name.end_byte).decode()  # as renamed
    fe.add(Edit(int(row["start_byte"]), int(row["end_byte"]), str(row["target"]).encode(),
                f"{row['decision']} {row['role']} (constant)", (row["id"],)))
    typed = b" " + fe.render(typ.start_byte, typ.end_byte) if typ is not None else b""
    old = fe.data[literal.start_byte : literal.end_byte]
    nl = newline_of(fe.data)
    doc = f"// {legacy} is {current}'s name before the rename, {_VERB[role]} too.".encode()
    grouped = spec.parent is not None and spec.parent.type == "const_declaration" and \
        any(c.type == "(" for c in spec.parent.children)
    at = _line_end(fe.data, spec.end_byte)
    if grouped:
        indent = indentation(fe.data, spec.start_byte)
        text = nl + indent + doc + nl + indent + legacy.encode() + typed + b" = " + old
    else:
        decl = spec.parent
        at = _line_end(fe.data, decl.end_byte)
        text = nl + nl + doc + nl + b"const " + legacy.encode() + typed + b" = " + old
    fe.add(Edit(at, at, text, "legacy constant", (row["id"],)))
    return True


def _line_end(data: bytes, at: int) -> int:
    """The end of the line ``at`` is on (before its line break)."""
    end = data.find(b"\n", at)
    end = len(data) if end < 0 else end
    return end - 1 if data[end - 1 : end] == b"\r" else end


# -- the uses ------------------------------------------------------------------------------------
def shim_use(fe: FileEdits, node: Node, row: Mapping[str, Any], legacy: str, role: str,
             decision: str, new_name: str) -> None:
    """Give the use of the constant at ``node`` (renamed to ``new_name``) the shim of ``role``
    under ``decision``, with ``legacy`` (see the module's docstring)."""
    from . import transforms as T

    expr = node
    if node.parent is not None and node.parent.type == "selector_expression" and \
            node.parent.child_by_field_name("field") == node:
        expr = node.parent  # keys.HeaderRunID
    rendered = fe.render(expr.start_byte, expr.end_byte)  # as renamed: keys.HeaderSessionID
    if not rendered.endswith(new_name.encode()):
        fe.warn(f"{T._where(fe, expr)}: {row['text']} is not renamed to {new_name} here; add "
                f"{legacy} beside it by hand")
        return
    legacy_expr = rendered[: len(rendered) - len(new_name)] + legacy.encode()
    ids = (row["id"],)
    if role == R.LOG_KEY and decision == "dual":
        T.dual_log_key_at(fe, expr, legacy_expr, legacy, new_name, ids)
    elif decision == "accept-both" or _read_by(expr):
        # (under dual-emit too, a use that reads the name accepts both, as a string's does)
        T.fall_back_read(fe, expr, rendered, legacy_expr, new_name, legacy, ids)
    elif decision == "dual":
        T.repeat_statement(fe, expr, legacy_expr, legacy, new_name, ids)


def _read_by(expr: Node) -> bool:
    """Whether the key expression is the argument of a read (``r.Header.Get``,
    ``r.FormValue``: a method whose missing value the accept-both shim knows)."""
    from .transforms import _MISSING

    args = expr.parent
    call = args.parent if args is not None and args.type == "argument_list" else None
    fn = call.child_by_field_name("function") if call is not None else None
    field = fn.child_by_field_name("field") if fn is not None and \
        fn.type == "selector_expression" else None
    return field is not None and field.text.decode() in _MISSING
