"""The syntax around a wire string in Go source, for the compatibility analysis.

Whether a name already stands next to its new spelling (:func:`is_paired`), and, per file, the
answers :mod:`idrename.compat` asks about the Go rows that are strings on the wire
(:func:`answer`): the statement a SQL string is part of, the other keys of its map literal,
whether it is paired. Kept apart from the analysis so that a pool worker answering them does
not import pandas.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from . import roles as R
from .gofacts import _ancestor, _text, _unquote

Node = Any  # tree_sitter.Node

_PAIR_SCOPES = ("call_expression", "selector_expression", "argument_list")


def _literal_of(node: Node) -> Node | None:
    return _ancestor(node, ("interpreted_string_literal", "raw_string_literal"))


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


def is_paired(node: Node, old: str, new: str, role: str) -> bool:
    """Whether the wire name at ``node`` already stands next to its new spelling with the same
    value: ``"run_id": x, "session_id": x`` in one map literal; ``.Str("run_id", x).Str(
    "session_id", x)`` in one chain; ``"run_id", x, "session_id", x`` or two ``slog.String`` in one
    call. For a read (query parameter, header), a read of the new name in the same function."""
    literal = _literal_of(node)
    if literal is None:
        return False
    if role in (R.QUERY_PARAM, R.HTTP_HEADER) and _value_after(literal) is None:
        scope = _ancestor(literal, ("function_declaration", "method_declaration", "func_literal"))
        return scope is not None and any(
            _unquote(_text(lit)) == new for lit in _string_literals(scope))
    value = _value_after(literal)
    if value is None:
        return False
    if role == R.MAP_KEY:
        scope = _ancestor(literal, ("literal_value",))
    else:
        scope = literal.parent
        while scope.parent is not None and scope.parent.type in _PAIR_SCOPES:
            scope = scope.parent
    if scope is None:
        return False
    for lit in _string_literals(scope):
        if lit.start_byte != literal.start_byte and _unquote(_text(lit)) == new:
            if _value_after(lit) == value:
                return True
    return False


def _string_literals(scope: Node) -> Iterable[Node]:
    stack = [scope]
    while stack:
        n = stack.pop()
        if n.type in ("interpreted_string_literal", "raw_string_literal"):
            yield n
            continue
        stack.extend(n.named_children)


# A question about the syntax around a row: (start, end, role, text, its new spelling); and its
# answer: (the statement it is part of, the other keys of its map literal, paired).
Question = tuple[int, int, str, str, str]
Answer = tuple[str, tuple[str, ...], bool]


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
            answers.append(("", (), False))
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
                    in ("interpreted_string_literal", "raw_string_literal")}))
        paired = role != R.SQL and is_paired(node, text, new, role)
        answers.append((_text(literal) if literal is not None else "", keys, paired))
    return tuple(answers)
