"""Which Go expressions are an ``http.Header`` or a ``url.Values``, by their syntax alone.

Both have ``Get``, ``Set``, ``Add``, ``Del``, ``Has`` and ``Values`` methods: the inventory
tells a header's name (``wantH.Set("Cookie", v)``) from a query parameter's by what the
receiver is, and the patch what a read returns when the name is absent (a string for both).
An expression is one when it is written so (``r.Header``, ``w.Header()``, ``r.URL.Query()``,
``r.Form``, ``http.Header{...}``, ``url.Values(m)``), or is a variable of its function declared
from one (``q := r.URL.Query()``, ``wantH := http.Header{}``) or with that type (a parameter
``h http.Header``, ``var q url.Values``).
"""

from __future__ import annotations

import re
from typing import Any

Node = Any  # tree_sitter.Node

HEADER, VALUES, OTHER = "header", "values", "other"
# The fields of these types: `r.Header`, `resp.Trailer`; `r.Form`, `r.PostForm`.
_FIELDS = {"Header": HEADER, "Trailer": HEADER, "Form": VALUES, "PostForm": VALUES}
# The methods that return one: `w.Header()`, `r.URL.Query()`.
_METHODS = {"Header": HEADER, "Query": VALUES}
_TYPES = {"http.Header": HEADER, "url.Values": VALUES, "textproto.MIMEHeader": HEADER}
_FUNCTIONS = ("function_declaration", "method_declaration", "func_literal")


def _text(node: Node | None) -> str:
    return node.text.decode("utf-8", "replace") if node is not None else ""


def kind_of(node: Node | None) -> str | None:
    """``HEADER`` or ``VALUES`` when ``node`` is written as one (see the module), else None."""
    if node is None:
        return None
    if node.type == "parenthesized_expression" and node.named_children:
        return kind_of(node.named_children[0])
    if node.type == "selector_expression":
        return _FIELDS.get(_text(node.child_by_field_name("field")))
    if node.type == "call_expression":
        fn = node.child_by_field_name("function")
        if fn is not None and fn.type == "selector_expression":
            found = _TYPES.get(_text(fn))  # a conversion: url.Values(m)
            return found or _METHODS.get(_text(fn.child_by_field_name("field")))
        if fn is not None and _text(fn) == "make":  # make(http.Header)
            args = node.child_by_field_name("arguments")
            first = args.named_children[0] if args is not None and args.named_children else None
            return _TYPES.get(_text(first))
        return None
    if node.type == "composite_literal":
        return _TYPES.get(_text(node.child_by_field_name("type")))
    return None


def receiver_kind(operand: Node | None, before: int) -> str | None:
    """What the receiver ``operand`` of a call at byte ``before`` is (see the module): an
    expression written as one, or a variable of its function declared before it so."""
    if operand is None or operand.type != "identifier":
        return kind_of(operand)
    name = _text(operand)
    scope = operand.parent
    while scope is not None and scope.type not in _FUNCTIONS:
        scope = scope.parent
    if scope is None:
        return None
    stack = [scope]
    while stack:
        node = stack.pop()
        if node.start_byte >= before:
            continue
        if node.type in ("short_var_declaration", "assignment_statement"):
            left = node.child_by_field_name("left")
            right = node.child_by_field_name("right")
            names = [_text(n) for n in left.named_children] if left is not None else []
            values = right.named_children if right is not None else []
            if name in names and len(names) == len(values):
                found = kind_of(values[names.index(name)]) or _other(values[names.index(name)])
                if found is not None:
                    return found
        elif node.type in ("parameter_declaration", "var_spec"):
            if name in (_text(n) for n in node.children_by_field_name("name")):
                typ = _TYPE_NAME.sub("", _text(node.child_by_field_name("type")))
                found = _TYPES.get(typ)
                value = node.child_by_field_name("value")
                if found is None and value is not None and value.named_children:
                    found = kind_of(value.named_children[0]) or _other(value.named_children[0])
                if found is None and typ and typ not in _ANY and typ not in _CARRIERS:
                    found = OTHER  # (a type an alias may give url.Values is not told apart)
                if found is not None:
                    return found
        stack.extend(node.named_children)
    return None


_TYPE_NAME = re.compile(r"^\*")  # (a pointer to one reads the same)
_ANY = frozenset({"any", "interface{}"})
# gRPC's metadata (HTTP/2 headers by name, whose Get returns a []string) and types shaped like
# it: not told, so a name read from one is a parameter (a wire name) all the same
_CARRIERS = frozenset({"metadata.MD", "MD"})
_CONSTRUCTOR = re.compile(r"(?:^|\.)New(?:[A-Z0-9_]\w*)?$")  # New, NewRegistry; not Newline


def _other(node: Node) -> str | None:
    """``OTHER`` for a value written as one of another type: a composite literal (or its
    address), or a call of a constructor (``metrics.NewRegistry()``, ``cache.New(8)``); None
    when the syntax does not tell (a helper's result may be a url.Values)."""
    if node.type == "unary_expression" and node.named_children:
        node = node.named_children[-1]
    if node.type == "composite_literal":
        return OTHER
    if node.type == "call_expression":
        fn = node.child_by_field_name("function")
        if fn is not None and fn.type in ("identifier", "selector_expression") and \
                _CONSTRUCTOR.search(_text(fn)):
            return OTHER
    return None
