"""The syntax around a wire string in Go source, for the compatibility analysis and the patch.

Where a name's new spelling already stands next to it (its *counterpart*: :func:`map_counterpart`,
:func:`call_counterpart`, :func:`statement_counterpart`, :func:`read_counterpart`), whether the
two form a pair (:func:`is_paired`), and, per file, the answers :mod:`idrename.compat` asks about
the Go rows that are strings on the wire (:func:`answer`): the statement a SQL string is part
of, the other keys of its map literal, whether it is paired, what a log key's call is made
on. The patch asks for the counterparts
too: a dual or accept-both edit whose counterpart is there already (an earlier apply added it,
or someone did by hand) adds nothing, so a second apply is a no-op. Kept apart from the
analysis so that a pool worker answering them does not import pandas.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NamedTuple

from . import roles as R
from .gofacts import _ancestor, _text, _unquote

Node = Any  # tree_sitter.Node

# What holds a key and its counterpart: a call chain, its arguments, a slice's literal
# (`[]slog.Attr{slog.String("run_id", v), slog.String("session_id", v)}`).
_PAIR_SCOPES = ("call_expression", "selector_expression", "argument_list", "literal_element",
                "literal_value")
_FUNCTIONS = ("function_declaration", "method_declaration", "func_literal")
_STRING_LITERALS = ("interpreted_string_literal", "raw_string_literal")


def _literal_of(node: Node) -> Node | None:
    return _ancestor(node, _STRING_LITERALS)


def _value_after(literal: Node) -> str | None:
    """The value that goes with a key literal: the map element's value, the next argument."""
    parent = literal.parent
    if parent is not None and parent.type == "literal_element":
        keyed = parent.parent
        if keyed is not None and keyed.type == "keyed_element" and len(keyed.named_children) == 2:
            return _text(keyed.named_children[1])
    if parent is not None and parent.type == "argument_list":
        args = parent.named_children
        for i, a in enumerate(args):
            if a.start_byte == literal.start_byte and i + 1 < len(args):
                return _text(args[i + 1])
    return None


class Counterpart(NamedTuple):
    """The new spelling found next to a wire name: its string literal, and whether it carries
    the same value (the same text after the key)."""

    literal: Node
    same_value: bool


def map_counterpart(literal: Node, new: str) -> Counterpart | None:
    """The key ``new`` among the other keys of the literal whose key is ``literal`` (``"run_id":
    x, "session_id": x``): a map literal cannot hold a key twice."""
    keyed = _ancestor(literal, ("keyed_element",))
    body = keyed.parent if keyed is not None else None
    if body is None or body.type != "literal_value":
        return None
    value = _value_after(literal)
    if value is None:
        return None
    for element in body.named_children:
        if element.type != "keyed_element" or element.start_byte == keyed.start_byte:
            continue
        key = _key_literal(element)
        if key is not None and _unquote(_text(key)) == new:
            return Counterpart(key, _value_after(key) == value)
    return None


def _key_literal(element: Node) -> Node | None:
    """The string literal that is the key of a keyed element, or None."""
    key = element.named_children[0] if element.named_children else None
    inner = key.named_children[0] if key is not None and key.named_children else None
    if inner is None or inner.type not in _STRING_LITERALS:
        return None
    return inner


def call_counterpart(literal: Node, new: str) -> Counterpart | None:
    """``new`` as another key of the same call or call chain as the key ``literal``:
    ``.Str("run_id", x).Str("session_id", x)`` in one chain; ``"run_id", x, "session_id", x`` or
    two ``slog.String`` in one call."""
    scope = literal.parent
    if scope is None or _value_after(literal) is None:
        return None
    while scope.parent is not None and scope.parent.type in _PAIR_SCOPES:
        scope = scope.parent
    value = _value_after(literal)
    found = None
    for lit in _string_literals(scope):
        if lit.start_byte != literal.start_byte and _unquote(_text(lit)) == new:
            if _value_after(lit) == value:
                return Counterpart(lit, True)
            found = found or Counterpart(lit, False)
    return found


def _call_of(literal: Node) -> tuple[Node, int] | None:
    """The call whose argument ``literal`` is, and its index among the arguments."""
    args = literal.parent
    call = args.parent if args is not None else None
    if args is None or args.type != "argument_list" or call is None \
            or call.type != "call_expression":
        return None
    index = next(i for i, a in enumerate(args.named_children) if a.start_byte == literal.start_byte)
    return call, index


def _log_call(node: Node) -> tuple[str, int]:
    """What the call a key is an argument of is made on (``logger`` in ``logger.Info("m", "k",
    v)``, ``s.log`` in ``s.log.Info(...)``; "" for a call of a plain function), and how many
    arguments it has; ("", -1) when the key is no call's argument."""
    literal = _literal_of(node)
    found = _call_of(literal) if literal is not None else None
    if found is None:
        return "", -1
    call = found[0]
    function = call.child_by_field_name("function")
    operand = function.child_by_field_name("operand") \
        if function is not None and function.type == "selector_expression" else None
    return (_text(operand) if operand is not None else "",
            len(call.child_by_field_name("arguments").named_children))


def _callee(call: Node) -> str:
    function = call.child_by_field_name("function")
    return _text(function) if function is not None else ""


def statement_counterpart(literal: Node, new: str) -> Counterpart | None:
    """For a key set in a statement of its own (``h.Set("X-Run-ID", v)``), another statement of
    the same block that makes the same call with ``new`` in its place (``h.Set("X-Session-ID",
    v)``)."""
    found = _call_of(literal)
    if found is None:
        return None
    call, index = found
    stmt = call.parent
    if stmt is None or stmt.type != "expression_statement" or stmt.parent is None \
            or stmt.parent.type != "statement_list":
        return None
    callee, value = _callee(call), _value_after(literal)
    for sibling in stmt.parent.named_children:
        other = sibling.named_children[0] if sibling.type == "expression_statement" \
            and sibling.named_children else None
        if other is None or other.type != "call_expression" \
                or sibling.start_byte == stmt.start_byte or _callee(other) != callee:
            continue
        args = other.child_by_field_name("arguments").named_children
        key = args[index] if index < len(args) else None
        if key is not None and key.type in _STRING_LITERALS and _unquote(_text(key)) == new:
            return Counterpart(key, _value_after(key) == value)
    return None


def read_counterpart(literal: Node, new: str) -> Counterpart | None:
    """For a read into a variable (``x = q.Get("run_id")``), a read of ``new`` by the same call
    into the same variable (``x := q.Get("session_id")``) in a statement before it, in its block
    or a block around it within the function: the accept-both fallback is there already."""
    found = _call_of(literal)
    stmt = _assignment_of(found[0]) if found is not None else None
    if found is None or stmt is None:
        return None
    call, index = found
    target = _text(stmt.child_by_field_name("left"))
    node = stmt
    while node.parent is not None and node.type not in _FUNCTIONS:
        if node.parent.type == "statement_list":
            for before in node.parent.named_children:
                if before.start_byte >= node.start_byte:
                    break
                other = _assignment_call(before)
                if other is None or _text(before.child_by_field_name("left")) != target \
                        or _callee(other) != _callee(call):
                    continue
                args = other.child_by_field_name("arguments").named_children
                key = args[index] if index < len(args) else None
                if key is not None and key.type in _STRING_LITERALS \
                        and _unquote(_text(key)) == new:
                    return Counterpart(key, True)
        node = node.parent
    return None


def _assignment_of(call: Node) -> Node | None:
    """The statement ``x := call`` or ``x = call`` whose only value is ``call``, or None."""
    values = call.parent
    stmt = values.parent if values is not None else None
    if stmt is None or values.type != "expression_list" or len(values.named_children) != 1 \
            or stmt.type not in ("short_var_declaration", "assignment_statement"):
        return None
    return stmt


def _assignment_call(stmt: Node) -> Node | None:
    """The call a statement ``x := call`` or ``x = call`` assigns, or None."""
    if stmt.type not in ("short_var_declaration", "assignment_statement"):
        return None
    values = stmt.child_by_field_name("right")
    value = values.named_children[0] if values is not None and len(values.named_children) == 1 \
        else None
    return value if value is not None and value.type == "call_expression" else None


def is_paired(node: Node, old: str, new: str, role: str) -> bool:
    """Whether the wire name at ``node`` already stands next to its new spelling with the same
    value: ``"run_id": x, "session_id": x`` in one map literal; ``.Str("run_id", x).Str(
    "session_id", x)`` in one chain; ``"run_id", x, "session_id", x`` or two ``slog.String`` in one
    call; ``h.Set("X-Run-ID", x)`` and ``h.Set("X-Session-ID", x)`` in one block. For a read
    (query parameter, header), a read of the new name in the same function."""
    literal = _literal_of(node)
    if literal is None:
        return False
    if role in (R.QUERY_PARAM, R.HTTP_HEADER) and _value_after(literal) is None:
        scope = _ancestor(literal, _FUNCTIONS)
        return scope is not None and any(
            _unquote(_text(lit)) == new for lit in _string_literals(scope))
    if role == R.MAP_KEY:
        found = map_counterpart(literal, new)
    else:
        found = call_counterpart(literal, new)
        if found is None and role in (R.QUERY_PARAM, R.HTTP_HEADER):
            found = statement_counterpart(literal, new)
    return found is not None and found.same_value


def _string_literals(scope: Node) -> Iterable[Node]:
    stack = [scope]
    while stack:
        n = stack.pop()
        if n.type in _STRING_LITERALS:
            yield n
            continue
        stack.extend(n.named_children)


# A question about the syntax around a row: (start, end, role, text, its new spelling); and its
# answer: (the statement it is part of, the other keys of its map literal, paired).
Question = tuple[int, int, str, str, str]
Answer = tuple[str, tuple[str, ...], bool, str, int]


def syntax_batch(jobs: list[tuple[bytes, list[Question]]]) -> list[tuple[Answer, ...]]:
    """The unit of work sent to executors: each file's answers."""
    return [answer(data, questions) for data, questions in jobs]


def answer(data: bytes, questions: list[Question]) -> tuple[Answer, ...]:
    """One file's answers, in the order of ``questions``."""
    from .godecls import parse_wanted

    # every answer lies within the declaration that holds its row: only those are parsed
    tree = parse_wanted(data, at=[start for start, *_rest in questions]).root_node
    answers: list[Answer] = []
    for start, end, role, text, new in questions:
        node = tree.descendant_for_byte_range(start, end)
        if node is None:
            answers.append(("", (), False, "", -1))
            continue
        literal = _literal_of(node) if role == R.SQL else None
        keys: tuple[str, ...] = ()
        if role == R.MAP_KEY:
            lit = _ancestor(node, ("literal_value",))
            if lit is not None:
                keys = tuple(sorted({
                    _unquote(_text(k.named_children[0].named_children[0]))
                    for k in lit.named_children
                    if k.type == "keyed_element" and k.named_children
                    and k.named_children[0].named_children
                    and k.named_children[0].named_children[0].type
                    in _STRING_LITERALS}))
        paired = role != R.SQL and is_paired(node, text, new, role)
        operand, arguments = _log_call(node) if role == R.LOG_KEY else ("", -1)
        answers.append((_text(literal) if literal is not None else "", keys, paired, operand,
                        arguments))
    return tuple(answers)
