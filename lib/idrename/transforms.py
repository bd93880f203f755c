"""Structural edits on Go files: the compatibility proposals and the InferenceID wiring.

Each function takes the parsed file (``FileEdits`` with its bytes and the simple rename edits
already planned), one occurrence row, and adds edits. None of them guesses: when the code is not
in the shape a transformation knows, it adds a warning that names the place and leaves the code as
it is.

Shapes handled:

* dual map key: ``"run_id": v,`` -> ``"run_id": v,`` + ``"session_id": v,``
* dual log key: ``.Str("run_id", v)`` -> ``.Str("run_id", v).Str("session_id", v)``; slog key-value
  ``"run_id", v`` -> ``"run_id", v, "session_id", v``; ``slog.String("run_id", v)`` -> both attrs
* dual header: ``h.Set("X-Run-ID", v)`` statement -> the same statement for the new header after it
* accept-both read: ``x := A.Get("run_id")`` -> read ``session_id``, fall back to ``run_id``
* JSON struct tags: accept-both adds an ``UnmarshalJSON`` that takes the legacy key; dual adds a
  ``MarshalJSON`` that writes both keys and that ``UnmarshalJSON`` too
* drop-legacy: remove the legacy map element or zerolog field where both are emitted, or the
  statement that sets the legacy header beside the one that sets the new header
* InferenceID: fill ``InferenceID`` in hand-built event metadata from the turn; set a fresh one
  before a direct ``RunInference`` call that does not set it

What a dual or accept-both edit would add is added only when it is not there yet (its
counterpart, :mod:`idrename.wiresyntax`): the legacy name stays after a first apply, and a plan
made again on the result must not add the new name a second time. A counterpart with another
value than the legacy name's is left as it is, with a warning.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from .edits import Edit, FileEdits, indentation, line_start, newline_of
from .httpvalues import HEADER, VALUES, receiver_kind
from .spec import INITIALISMS, split_words
from .wiresyntax import (
    Counterpart,
    call_counterpart,
    map_counterpart,
    read_counterpart,
    statement_counterpart,
)

Node = Any


@dataclass(frozen=True)
class InferenceWiring:
    """Where the InferenceID wiring applies (the seed's geppetto names by default)."""

    metadata_type: str = "EventMetadata"  # a composite literal type, qualified or not
    turn_key: str = "TurnID"
    inference_key: str = "InferenceID"
    meta_key: str = "turns.KeyTurnMetaInferenceID"
    run_call: str = "RunInference"
    new_id: str = "uuid.NewString()"


def _text(node: Node) -> str:
    return node.text.decode("utf-8", "replace")


def _ancestor(node: Node, *types: str) -> Node | None:
    node = node.parent
    while node is not None and node.type not in types:
        node = node.parent
    return node


def _in_a_block(stmt: Node) -> bool:
    """Whether a statement stands in a block (a statement list) rather than in the header of
    an ``if``, ``switch`` or ``for`` (``if x := A.Get("k"); x != "" {``) or under a label: only
    there can statements be added next to it."""
    return stmt.parent is not None and stmt.parent.type == "statement_list"


def _header_of(stmt: Node) -> str:
    """``the header of an if statement`` (or switch, for) for a statement that is not in a
    block."""
    parent = stmt.parent.parent if stmt.parent is not None and stmt.parent.type == "for_clause" \
        else stmt.parent
    kind = {"if_statement": "an if statement", "for_statement": "a for statement",
            "expression_switch_statement": "a switch statement",
            "type_switch_statement": "a switch statement"}.get(parent.type if parent else "")
    return f"the header of {kind}" if kind else "a place that takes one statement"


def _where(fe: FileEdits, node: Node) -> str:
    return f"{fe.path}:{node.start_point[0] + 1}"


def _quoted_key(fe: FileEdits, literal: Node, old: str, new: str) -> bytes:
    raw = fe.data[literal.start_byte : literal.end_byte]
    return raw.replace(old.encode(), new.encode(), 1)


def _string_literal(node: Node) -> Node:
    while node.type not in ("interpreted_string_literal", "raw_string_literal"):
        node = node.parent
    return node


def _has_counterpart(fe: FileEdits, literal: Node, old: str, new: str,
                     found: Counterpart | None) -> bool:
    """Whether ``new`` already stands beside ``old`` where an edit would add it (an earlier
    apply added it, or someone did by hand): then nothing is added. With another value than
    the legacy name's, adding it would give the name two values: a warning says so."""
    if found is None:
        return False
    if not found.same_value:
        fe.warn(f"{_where(fe, literal)}: {new!r} already stands beside {old!r}, with another "
                "value; both are left as they are")
    return True


def _computed(node: Node) -> Node | None:
    """The first call in ``node`` that a second copy would run again (``newID()``,
    ``uuid.New().String()``, ``<-ids``), or None when the expression reads the same value twice:
    names, selectors, literals (a function's literal included: its body runs when called),
    conversions to a predeclared type (``string(id)``), ``len``,
    ``cap``, ``min`` and ``max`` and the other predeclared functions of values, the standard
    library's pure functions (``strconv.Itoa(n)``, ``fmt.Sprint(id)``) and getters
    (a method called without arguments, ``req.GetRunId()``, ``id.String()``, on such a value;
    a package's function, ``uuid.New()``, is not one, nor a method whose name says it makes a
    value, ``gen.Next()``, ``ids.NewID()``)."""
    packages = _imported_names(node)
    stack = [node]
    while stack:
        n = stack.pop()
        if n.type == "func_literal":
            continue  # its body runs when it is called, not where it is written
        if n.type == "unary_expression" and n.child_by_field_name("operator") is not None and \
                _text(n.child_by_field_name("operator")) == "<-":
            return n
        if n.type == "call_expression":
            fn = n.child_by_field_name("function")
            args = n.child_by_field_name("arguments")
            argc = len(args.named_children) if args is not None else 0
            conversion = fn is not None and fn.type == "identifier" and \
                _text(fn) in _PREDECLARED_PURE
            pure = fn is not None and fn.type == "selector_expression" and \
                _text(fn.child_by_field_name("operand")) in packages and \
                _is_pure(_text(fn.child_by_field_name("operand")),
                         _text(fn.child_by_field_name("field")))
            getter = fn is not None and fn.type == "selector_expression" and argc == 0 and \
                _text(fn.child_by_field_name("operand")) not in packages and \
                not _PRODUCER.match(_text(fn.child_by_field_name("field")))
            if not (conversion or pure or getter):
                return n
        stack.extend(n.named_children)
    return None


# The standard library's functions that give the same result for the same arguments, by
# package (all of its functions) or by name: `strconv.Itoa(n)` may be written twice.
_PURE_PACKAGES = frozenset({"strconv", "strings", "bytes", "unicode", "utf8", "math", "path",
                            "hex", "html"})
_PURE_FUNCS = frozenset({"fmt.Sprint", "fmt.Sprintf", "fmt.Sprintln", "url.QueryEscape",
                         "url.PathEscape", "filepath.Join", "filepath.Base", "filepath.Dir",
                         "filepath.Ext", "filepath.Clean", "filepath.ToSlash",
                         "filepath.FromSlash", "net.JoinHostPort"})


def _is_pure(package: str, name: str) -> bool:
    return (package in _PURE_PACKAGES and not name.startswith("New")) or \
        f"{package}.{name}" in _PURE_FUNCS


# Methods that make a new value each time they are called, by their names: `ids.Next()`.
_PRODUCER = re.compile(r"(?:New|Next|Gen|Generate|Create|Make|Inc|Increment|Pop|Read|Recv|Rand|"
                       r"Alloc|Acquire|Take|Draw|Issue|Mint)(?![a-z])")
_PREDECLARED_TYPES = frozenset(
    "bool byte complex64 complex128 float32 float64 int int8 int16 int32 int64 rune string "
    "uint uint8 uint16 uint32 uint64 uintptr any".split())
# The conversions to those types and the predeclared functions that compute a value from their
# arguments alone (`float64(total) / float64(len(xs))`; a channel's `len` may change between
# two reads, which a value in a literal written twice does not meet in practice).
_PREDECLARED_PURE = _PREDECLARED_TYPES | frozenset("len cap min max real imag complex".split())


def _imported_names(node: Node) -> frozenset[str]:
    from .gosyntax import import_specs

    root = node
    while root.parent is not None:
        root = root.parent
    return frozenset(name for name, _path, _node in import_specs(root))


def _value_once(fe: FileEdits, literal: Node, value: Node, old: str, new: str,
                ids: tuple[str, ...]) -> bytes | None:
    """What to write as the value of ``new`` beside ``old``'s: the value itself when reading
    it twice gives the same (see :func:`_computed`), else a variable the value is put in first
    (``sessionID := newID()`` on the line before the statement, and ``sessionID`` under both
    names) where that runs it at the same point (:func:`_hoisted`); None, with the warning of
    :func:`_computed_twice`, when neither can be."""
    call = _computed(value)
    if call is None:
        return fe.render(value.start_byte, value.end_byte)
    name = _hoisted(fe, value, new, ids)
    if name is None:
        _warn_computed(fe, literal, call, old, new)
    return name


# Statements a value can be taken out of onto the line before: each runs once, where it stands.
_HOISTABLE_STATEMENTS = frozenset({
    "expression_statement", "return_statement", "short_var_declaration", "var_declaration",
    "assignment_statement", "go_statement", "defer_statement", "send_statement"})


# Statements whose header a value can be taken out of onto the lines before: their initializer
# runs once, first; so does their condition (or switch value) when they have none.
_HEADED_STATEMENTS = frozenset({"if_statement", "expression_switch_statement"})


def _anchor(node: Node) -> Node | None:
    """The statement of a block that what ``node`` computes can be computed before instead, at
    the same point: a simple statement, or an ``if``/``switch`` whose initializer holds it (or
    its condition, when it has none). None where that would change what runs when or whether:
    in another place of a header (a ``for`` header, an ``else if``, a ``case``), on the right of
    ``&&`` or ``||``, or in a short declaration that redeclares a name it reads."""
    stmt, child = node.parent, node
    while stmt is not None and not (stmt.parent is not None and
                                    stmt.parent.type == "statement_list"):
        if stmt.type == "binary_expression" and child.start_byte > stmt.start_byte and \
                _text(stmt.child_by_field_name("operator")) in ("&&", "||"):
            return None  # (a func literal's body is a block: the walk stops inside it)
        stmt, child = stmt.parent, stmt
    if stmt is None:
        return None
    if stmt.type in _HEADED_STATEMENTS:
        header = stmt.child_by_field_name("initializer") or \
            stmt.child_by_field_name("condition") or stmt.child_by_field_name("value")
        if header is None or not header.start_byte <= node.start_byte < header.end_byte:
            return None
        if header.type == "short_var_declaration" and _declares_name_used_in(header, node):
            return None
        return stmt
    if stmt.type not in _HOISTABLE_STATEMENTS:
        return None
    if stmt.type == "short_var_declaration" and _declares_name_used_in(stmt, node):
        return None
    return stmt


def _hoisted(fe: FileEdits, value: Node, new: str, ids: tuple[str, ...]) -> bytes | None:
    """Put ``value`` in a new variable on the line before its statement and write the variable
    in its place; the variable's name (after ``new``'s words, ``sessionID``, numbered when the
    function uses that name already), or None when that would change what runs when or
    whether (see :func:`_anchor`), or a call or a receive comes before it in the statement
    (moved before them, the value would be computed first)."""
    if _type_left_out(value):
        return None  # `name := {X: f()}` does not parse; its type may be a page long
    stmt = _anchor(value)
    if stmt is None or _runs_before(stmt, value):
        return None
    name = _fresh_name(fe, stmt, new)
    nl = newline_of(fe.data)
    text = (name.encode() + b" := " + fe.render(value.start_byte, value.end_byte) + nl
            + indentation(fe.data, stmt.start_byte))
    fe.add(Edit(stmt.start_byte, stmt.start_byte, text, "hoisted value", ids))
    fe.add(Edit(value.start_byte, value.end_byte, name.encode(), "hoisted value", ids,
                covers=True))
    return name.encode()


def _type_left_out(value: Node) -> bool:
    """Whether ``value`` is a composite literal that leaves its type to the literal around it
    (``{X: 1}`` as an element of ``map[string]Point{...}``)."""
    while value.type == "literal_element" and value.named_child_count == 1:
        value = value.named_children[0]
    return value.type == "literal_value"


def _runs_before(stmt: Node, value: Node) -> bool:
    """Whether a call (but a harmless one: :func:`_harmless_before`) or a receive comes before
    ``value`` in ``stmt``: moved before it, the value would be computed first."""
    packages = _imported_names(stmt)
    stack = [stmt]
    while stack:
        n = stack.pop()
        if n.end_byte <= value.start_byte and ((
                n.type == "call_expression" and not _harmless_before(n, packages)) or (
                n.type == "unary_expression" and _text(n).startswith("<-"))):
            return True
        stack.extend(c for c in n.named_children if c.start_byte < value.start_byte)
    return False


def _fresh_name(fe: FileEdits, stmt: Node, new: str) -> str:
    """A new local for the statement's function, after ``new``'s words (``sessionID``),
    numbered when the function uses that name already or an earlier hoist there took it."""
    function = _ancestor(stmt, "function_declaration", "method_declaration", "func_literal")
    start, end = (function.start_byte, function.end_byte) if function is not None else (
        0, len(fe.data))
    scope = fe.render(start, end)  # (renamed: a local renamed to the new name counts)
    added = {e.text.split(b" := ", 1)[0] for e in fe.edits  # by an earlier hoist there
             if e.reason == "hoisted value" and e.is_insertion and start <= e.start < end}
    base = _variable_name(new)
    name, n = base, 1
    while name.encode() in added or re.search(rb"\b" + re.escape(name.encode()) + rb"\b",
                                              scope):
        n += 1
        name = f"{base}{n}"
    return name


# Reads of a request's parameters or headers by names no other common API uses (a `Query`,
# `Values` or `Has` may be a database's or a set's; `Get` counts where it is url.Values's or
# http.Header's: _string_get).
_HARMLESS_READS = frozenset({"FormValue", "PostFormValue", "GetHeader", "QueryParam"})


def _harmless_before(call: Node, packages: frozenset[str]) -> bool:
    """Whether a call before a value may run after it instead: one of the standard library's
    pure functions, an encoder made for a writer (``json.NewEncoder(w)`` in
    ``json.NewEncoder(w).Encode(map[string]any{"run_id": newID()})``), or a read of a
    request's parameter or header (``r.FormValue("page")``, ``r.URL.Query().Get("page")``),
    each on arguments that call nothing themselves."""
    fn = call.child_by_field_name("function")
    if fn is None or fn.type != "selector_expression":
        return False
    operand = _text(fn.child_by_field_name("operand"))
    name = _text(fn.child_by_field_name("field"))
    args = call.child_by_field_name("arguments")
    if args is not None and _computed(args) is not None:
        return False
    if name in _HARMLESS_READS or (name == "Get" and _string_get(call)):
        return True  # a read of a request's parameter or header (its receiver judged apart)
    if name == "Query" and operand.endswith(".URL") and args is not None and \
            not args.named_children:
        return True  # r.URL.Query(): the query parsed anew, in r.URL.Query().Get("page")
    return operand in packages and (_is_pure(operand, name) or name == "NewEncoder")


def _declares_name_used_in(stmt: Node, value: Node) -> bool:
    """Whether ``a, b := ...`` redeclares a name the value reads (moved before it, the value
    would read the outer one: the same; kept simple, such a statement is left alone)."""
    left = stmt.child_by_field_name("left")
    names = {_text(c) for c in left.named_children} if left is not None else set()
    return any(_text(c) in names for c in _identifiers(value))


def _identifiers(node: Node) -> list[Node]:
    out, stack = [], [node]
    while stack:
        n = stack.pop()
        if n.type == "identifier":
            out.append(n)
        stack.extend(n.named_children)
    return out


def _variable_name(wire: str) -> str:
    """A Go local named after a wire name's words: ``session_id`` -> ``sessionID``,
    ``X-Session-ID`` -> ``xSessionID``; ``value`` when it has no letters."""
    words = [w.text for w in split_words(wire)]
    if not words or not words[0][:1].isalpha():
        return "value"
    out = [words[0].lower()]
    for w in words[1:]:
        out.append(w.upper() if w.lower() in INITIALISMS else w[:1].upper() + w[1:].lower())
    name = "".join(out)
    from .policy import GO_KEYWORDS

    return name + "Value" if name in GO_KEYWORDS or name in _PREDECLARED_PURE else name


def _computed_twice(fe: FileEdits, literal: Node, value: Node, old: str, new: str) -> bool:
    """Warn, and say so, when the value written under ``old`` would be computed again for
    ``new``: a second call of ``newID()`` could give the new name another value."""
    call = _computed(value)
    if call is None:
        return False
    _warn_computed(fe, literal, call, old, new)
    return True


def _warn_computed(fe: FileEdits, literal: Node, call: Node, old: str, new: str) -> None:
    fe.warn(f"{_where(fe, literal)}: the value of {old!r} comes from a call "
            f"({fe.render(call.start_byte, call.end_byte).decode('utf-8', 'replace')}), which "
            f"would run again for {new!r} and could give it another value; put the value in a "
            "variable first, or add the new name by hand")


# -- dual ------------------------------------------------------------------------------------
def dual_map_key(fe: FileEdits, node: Node, old: str, new: str, ids: tuple[str, ...]) -> None:
    literal = _string_literal(node)
    keyed = _ancestor(literal, "keyed_element")
    if keyed is None:
        fe.warn(f"{_where(fe, literal)}: {old!r} is not a map key; add {new!r} by hand")
        return
    if _has_counterpart(fe, literal, old, new, map_counterpart(literal, new)):
        return
    value = keyed.named_children[-1]
    value_text = _value_once(fe, literal, value, old, new, ids)
    if value_text is None:
        return
    key = _quoted_key(fe, literal, old, new)
    after = keyed.end_byte
    data = fe.data
    nl = newline_of(data)
    rest_of_line = data[after : data.find(b"\n", after) if b"\n" in data[after:] else len(data)]
    if rest_of_line.strip() in (b",", b",\r") and not data[line_start(data, keyed.start_byte):
                                                           keyed.start_byte].strip():
        comma = after + rest_of_line.index(b",") + 1
        text = nl + indentation(data, keyed.start_byte) + key + b": " + value_text + b","
        fe.add(Edit(comma, comma, text, "dual map key", ids))
    else:
        fe.add(Edit(after, after, b", " + key + b": " + value_text, "dual map key", ids))


# Where a second attribute can stand beside a first: an argument list, a slice's literal.
_LIST_ELEMENT_PARENTS = frozenset({"argument_list", "literal_element"})


def dual_log_key(fe: FileEdits, node: Node, old: str, new: str, ids: tuple[str, ...]) -> None:
    literal = _string_literal(node)
    args = literal.parent
    call = args.parent if args is not None else None
    if call is None or call.type != "call_expression":
        if not _held_in_a_name(fe, literal, old, new, "logged"):
            fe.warn(f"{_where(fe, literal)}: log key {old!r} is not a call argument; add {new!r} "
                    "by hand")
        return
    if _has_counterpart(fe, literal, old, new, call_counterpart(literal, new)):
        return
    _add_log_key(fe, literal, call, _quoted_key(fe, literal, old, new), old, new, ids)


def dual_log_key_at(fe: FileEdits, key_node: Node, key: bytes, added: str, name: str,
                    ids: tuple[str, ...]) -> None:
    """Log the value of the key expression ``key_node`` (the constant ``name``) under ``key``
    (the constant ``added``) too."""
    args = key_node.parent
    call = args.parent if args is not None and args.type == "argument_list" else None
    if call is None or call.type != "call_expression":
        fe.warn(f"{_where(fe, key_node)}: log key {name} is not a call argument; add {added} by "
                "hand")
        return
    _add_log_key(fe, key_node, call, key, name, added, ids)


def _add_log_key(fe: FileEdits, literal: Node, call: Node, key: bytes, old: str, new: str,
                 ids: tuple[str, ...]) -> None:
    """Log the value of the key ``literal`` (an argument of ``call``) under ``key`` too."""
    args = literal.parent
    fn = call.child_by_field_name("function")
    arguments = args.named_children
    index = next(i for i, a in enumerate(arguments) if a.start_byte == literal.start_byte)
    if index == 0 and fn is not None and fn.type == "selector_expression" and len(arguments) >= 2:
        if any(_computed_twice(fe, literal, a, old, new) for a in arguments[1:2]):
            return
        operand = fn.child_by_field_name("operand")
        method = _text(fn.child_by_field_name("field"))
        rest = fe.render(arguments[1].start_byte, args.end_byte - 1)
        if operand is not None and _text(operand) in ("slog", "attribute", "zap"):
            # slog.String("run_id", v), OpenTelemetry's attribute.String("run_id", v), zap's
            if call.parent is None or call.parent.type not in _LIST_ELEMENT_PARENTS:
                # `attr := slog.String(...)`: a second value there would not build
                fe.warn(f"{_where(fe, literal)}: the attribute {old!r} is not an element of a "
                        f"list (an argument, a slice); add {new!r} beside it by hand")
                return
            attr = f"{_text(operand)}.{method}(".encode() + key + b", " + rest + b")"
            fe.add(Edit(call.end_byte, call.end_byte, b", " + attr, "dual log key", ids))
        else:  # zerolog .Str("run_id", v)
            text = f".{method}(".encode() + key + b", " + rest + b")"
            fe.add(Edit(call.end_byte, call.end_byte, text, "dual log key", ids))
        return
    if not _dual_pair(fe, literal, arguments, index, key, old, new, ids, "dual log key"):
        fe.warn(f"{_where(fe, literal)}: log key {old!r} has no value after it; add {new!r} by "
                "hand")


def _dual_pair(fe: FileEdits, literal: Node, arguments: list[Node], index: int, key: bytes,
               old: str, new: str, ids: tuple[str, ...], why: str) -> bool:
    """Add the pair ``key, value`` after the key-value pair at ``arguments[index]`` (slog's
    ``"run_id", v``); False when no value follows the key. Nothing is added when the value is
    computed (a warning says so)."""
    if index + 1 >= len(arguments):
        return False
    value = arguments[index + 1]
    value_text = _value_once(fe, literal, value, old, new, ids)
    if value_text is None:
        return True
    fe.add(Edit(value.end_byte, value.end_byte, b", " + key + b", " + value_text, why, ids))
    return True


def dual_metadata_pair(fe: FileEdits, node: Node, old: str, new: str,
                       ids: tuple[str, ...]) -> None:
    """gRPC's ``metadata.Pairs("run-id", v)`` and ``AppendToOutgoingContext(ctx, "run-id", v)``:
    send the pair under the new key too."""
    literal = _string_literal(node)
    args = literal.parent
    call = args.parent if args is not None else None
    if call is None or call.type != "call_expression":
        if not _held_in_a_name(fe, literal, old, new, "sent"):
            fe.warn(f"{_where(fe, literal)}: {old!r} is not a call argument; add {new!r} by hand")
        return
    if _has_counterpart(fe, literal, old, new, call_counterpart(literal, new)):
        return
    arguments = args.named_children
    index = next(i for i, a in enumerate(arguments) if a.start_byte == literal.start_byte)
    if not _dual_pair(fe, literal, arguments, index, _quoted_key(fe, literal, old, new), old, new,
                      ids, "dual metadata key"):
        fe.warn(f"{_where(fe, literal)}: {old!r} has no value after it; add {new!r} by hand")


def _held_in_a_name(fe: FileEdits, literal: Node, old: str, new: str, where: str) -> bool:
    """Warn (True) when ``literal`` is the value of a constant or variable (``const
    cookieName = "run_id"``): the second name goes beside it and where it is used, by hand."""
    spec = _ancestor(literal, "const_spec", "var_spec", "func_literal", "block")
    if spec is None or spec.type not in ("const_spec", "var_spec"):
        return False
    name = ", ".join(fe.render(n.start_byte, n.end_byte).decode()  # as patched
                     for n in spec.children_by_field_name("name") if n.is_named)
    fe.warn(f"{_where(fe, literal)}: {old!r} is the value of {name}: declare one for {new!r} "
            f"beside it and use both where {name} is {where}, by hand")
    return True


def dual_statement(fe: FileEdits, node: Node, old: str, new: str, ids: tuple[str, ...]) -> None:
    """A statement that sets a header or parameter: repeat it for the new name."""
    literal = _string_literal(node)
    # the statement the key is in, not one around a function literal that holds it
    stmt = _ancestor(literal, "expression_statement", "func_literal", "block")
    if stmt is None or stmt.type != "expression_statement":
        if _held_in_a_name(fe, literal, old, new, "sent"):
            return
    elif _in_a_block(stmt) and \
            _has_counterpart(fe, literal, old, new, statement_counterpart(literal, new)):
        return
    _repeat_statement(fe, literal, _quoted_key(fe, literal, old, new), old, new, ids,
                      quoted=True)


def repeat_statement(fe: FileEdits, key_node: Node, key: bytes, added: str, name: str,
                     ids: tuple[str, ...]) -> None:
    """Repeat the statement that sets a header or parameter named by the key expression
    ``key_node`` (the constant ``name``) with ``key`` (the constant ``added``) in its place."""
    _repeat_statement(fe, key_node, key, name, added, ids, quoted=False)


def _repeat_statement(fe: FileEdits, key_node: Node, key: bytes, name: str, added: str,
                      ids: tuple[str, ...], *, quoted: bool) -> None:
    """Repeat the statement that holds the key ``key_node`` (``name``), with ``key``
    (``added``) in its place, after it; a warning when it is not a statement of its own in a
    block, or when a value after the key is computed by a call. ``quoted``: the names are
    strings' (quoted in the warnings), not constants'."""
    said, says = (repr(name), repr(added)) if quoted else (name, added)
    stmt = _ancestor(key_node, "expression_statement", "func_literal", "block")
    if stmt is None or stmt.type != "expression_statement":
        fe.warn(f"{_where(fe, key_node)}: {said} is not set in a statement of its own; add "
                f"{says} by hand")
        return
    if not _in_a_block(stmt):
        fe.warn(f"{_where(fe, key_node)}: {said} is set in {_header_of(stmt)}; add {says} by "
                "hand")
        return
    args = key_node.parent
    if args is not None and args.type == "argument_list" and any(
            _computed_twice(fe, key_node, a, name, added) for a in args.named_children
            if a.start_byte > key_node.start_byte):
        return
    copy = (fe.render(stmt.start_byte, key_node.start_byte) + key
            + fe.render(key_node.end_byte, stmt.end_byte))
    if any(fe.render(s.start_byte, s.end_byte) == copy for s in stmt.parent.named_children):
        return  # the same statement for that name is in the block already
    text = newline_of(fe.data) + indentation(fe.data, stmt.start_byte) + copy
    at = _after_trailing_comment(fe.data, stmt.end_byte)
    fe.add(Edit(at, at, text, "dual statement", ids))


def _after_trailing_comment(data: bytes, at: int) -> int:
    """``at``, or the end of its line when only a ``//`` comment follows it there: the comment
    stays with the statement it was written beside."""
    end = data.find(b"\n", at)
    end = len(data) if end < 0 else end
    if data[at:end].lstrip(b" \t").startswith(b"//"):
        return end - 1 if data[end - 1 : end] == b"\r" else end
    return at


# -- accept-both -------------------------------------------------------------------------------
# What a read returns when the name is absent, as the condition to fall back on: "" for the
# string getters, an empty slice for Values, false for Has. Other reads (DefaultQuery returns
# its default) are left with a warning. A ``Get`` whose receiver is not seen to be url.Values or
# http.Header (see :func:`_string_get`) gets ``len(x) == 0``, true of an empty string and of an
# empty slice alike: gRPC's ``metadata.MD.Get`` returns a []string, and ``x == ""`` would not
# build.
_MISSING = {
    **{m: b'{x} == ""' for m in ("Get", "FormValue", "PostFormValue", "Query", "QueryParam",
                                  "GetHeader")},
    **{m: b"len({x}) == 0" for m in ("Values", "QueryArray", "PostFormArray",
                                      "ValueFromIncomingContext")},
    "Has": b"!{x}",
}


def _string_get(call: Node) -> bool:
    """Whether ``call``, a ``X.Get(...)``, is url.Values's or http.Header's, which return a
    string (:func:`idrename.httpvalues.receiver_kind`)."""
    fn = call.child_by_field_name("function")
    operand = fn.child_by_field_name("operand") if fn is not None else None
    return receiver_kind(operand, call.start_byte) in (HEADER, VALUES)


def accept_both_read(fe: FileEdits, node: Node, old: str, new: str, ids: tuple[str, ...]) -> None:
    """``x := A.Get("run_id")`` -> read the new name first, fall back to the legacy one. Nothing
    when ``x`` was read from the new name by the same call before (the fallback is there)."""
    literal = _string_literal(node)
    if read_counterpart(literal, new) is not None:
        return
    _fall_back(fe, literal, _quoted_key(fe, literal, old, new),
               fe.render(literal.start_byte, literal.end_byte), old, new, ids, held=True)


def fall_back_read(fe: FileEdits, key_node: Node, key: bytes, legacy: bytes, name: str,
                   added: str, ids: tuple[str, ...]) -> None:
    """``x := A.Get(keys.ParamSessionID)`` (the key expression ``key_node``, ``key``: the
    constant ``name``) -> fall back on the read of ``legacy`` (the constant ``added``) when it
    is absent."""
    _fall_back(fe, key_node, key, legacy, name, added, ids, held=False)


def _fall_back(fe: FileEdits, literal: Node, key: bytes, fallback: bytes, old: str, new: str,
               ids: tuple[str, ...], *, held: bool) -> None:
    """Read the key ``literal`` stands for as ``key``, then as ``fallback`` when that is
    absent; ``held``: a literal that is a constant's value is left with the warning that says
    so."""
    call = literal.parent.parent if literal.parent is not None else None
    stmt = call.parent.parent if call is not None and call.parent is not None else None
    if (call is None or call.type != "call_expression") and held and \
            _held_in_a_name(fe, literal, old, new, "read"):
        return
    a_call = call is not None and call.type == "call_expression"
    statement = (
        a_call and stmt is not None
        and stmt.type in ("short_var_declaration", "assignment_statement")
        and len(stmt.child_by_field_name("left").named_children) == 1
        and len(stmt.child_by_field_name("right").named_children) == 1)
    missing = _missing(call) if a_call else None
    if a_call and (not statement or not _in_a_block(stmt)) and missing is not None and \
            _fall_back_before(fe, call, literal, key, fallback, missing,
                              new if held else old, ids):  # (held: old names the constant)
        return  # read on the lines before the statement it stands in
    if not statement:
        fe.warn(f"{_where(fe, literal)}: accept-both for {old!r} needs a statement `x := A.Get(\"{old}\")`; "
                "edit it by hand")
        return
    if not _in_a_block(stmt):
        fe.warn(f"{_where(fe, literal)}: accept-both for {old!r} is read in {_header_of(stmt)}; "
                "move the read to a statement of its own, or edit it by hand")
        return
    if missing is None:
        fn = call.child_by_field_name("function")
        method = _text(fn.child_by_field_name("field")) if fn is not None and \
            fn.type == "selector_expression" else ""
        fe.warn(f"{_where(fe, literal)}: accept-both for {old!r} does not know what "
                f"{method or 'this call'}() returns when the name is absent; edit it by hand")
        return
    left = stmt.child_by_field_name("left")
    lhs = fe.render(left.start_byte, left.end_byte)
    if lhs.strip() == b"_":
        fe.warn(f"{_where(fe, literal)}: accept-both for {old!r} reads into _; edit it by hand")
        return
    operator = b":=" if stmt.type == "short_var_declaration" else b"="
    before = fe.render(call.start_byte, literal.start_byte)
    after = fe.render(literal.end_byte, call.end_byte)
    new_call, call_text = before + key + after, before + fallback + after
    nl = newline_of(fe.data)
    indent = indentation(fe.data, stmt.start_byte)
    text = (
        lhs + b" " + operator + b" " + new_call + nl
        + indent + b"if " + missing.replace(b"{x}", lhs) + b" {" + nl
        + indent + b"\t" + lhs + b" = " + call_text + nl
        + indent + b"}"
    )
    fe.add(Edit(stmt.start_byte, stmt.end_byte, text, "accept-both read", ids, covers=True))


def _missing(call: Node) -> bytes | None:
    """The test that the read ``call`` found its name absent (``{x} == ""``), or None when
    what it returns then is not known."""
    fn = call.child_by_field_name("function")
    method = _text(fn.child_by_field_name("field")) if fn is not None and \
        fn.type == "selector_expression" else ""
    if method == "Get" and not _string_get(call):
        return b"len({x}) == 0"
    return _MISSING.get(method)


def _fall_back_before(fe: FileEdits, call: Node, literal: Node, key: bytes, fallback: bytes,
                      missing: bytes, named: str, ids: tuple[str, ...]) -> bool:
    """A read inside an expression (``strconv.Atoi(r.URL.Query().Get("run_id"))``, ``if q :=
    strings.TrimSpace(q.Get("run_id")); q != ""``): read into a new variable on the lines
    before the statement, the new name first, then the legacy one when it is absent, and the
    variable in the read's place. False, with nothing done, where that would change what runs
    when or whether (see :func:`_anchor`), or the read comes after a call (or a receive) that
    may change what it reads. The variable is named after ``named`` (the new wire name, or the
    constant that holds it)."""
    stmt = _anchor(call)
    if stmt is None or _runs_before(stmt, call):
        return False
    name = _fresh_name(fe, stmt, named)
    before = fe.render(call.start_byte, literal.start_byte)
    after = fe.render(literal.end_byte, call.end_byte)
    nl, indent = newline_of(fe.data), indentation(fe.data, stmt.start_byte)
    x = name.encode()
    text = (x + b" := " + before + key + after + nl
            + indent + b"if " + missing.replace(b"{x}", x) + b" {" + nl
            + indent + b"\t" + x + b" = " + before + fallback + after + nl
            + indent + b"}" + nl + indent)
    fe.add(Edit(stmt.start_byte, stmt.start_byte, text, "hoisted value", ids))
    fe.add(Edit(call.start_byte, call.end_byte, x, "accept-both read", ids, covers=True))
    return True


@dataclass(frozen=True)
class LegacyKey:
    """A JSON struct tag renamed under dual or accept-both: the string node of its tag and what
    the legacy-key methods need to keep the old key working."""

    node: Node
    old: str
    new: str
    ids: tuple[str, ...]
    dual: bool


# The ``detail`` of a renamed field's row whose Go name was its JSON key (see
# :mod:`idrename.wirefields`): the patch gives it the old name as its JSON name.
KEEP_JSON_KEY = "keep json key"
# The same for its TOML key: BurntSushi's toml and go-toml name an untagged field by its Go
# name, as encoding/json does, matching keys without regard to case when decoding; a tag
# ``toml:"old"`` keeps that.
KEEP_TOML_KEY = "keep toml key"


# The same for a gorm model's field whose column gorm named after its Go name: the patch gives
# it that column in its ``gorm`` tag. A row may carry both, joined by "; ".
KEEP_GORM_COLUMN = "keep gorm column"
# Go's initialisms, longest first, as gorm's default naming reads them (`ID` -> `Id`): not the
# capital that starts the next word (`HTTPServer` is HTTP, Server), but a plural's s (`IDs`)
_INITIALISM_RE = re.compile("(?:" + "|".join(sorted((w.upper() for w in INITIALISMS), key=len,
                                                    reverse=True)) + ")(?=s?(?![a-z]))")
_SNAKE_RE = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


def gorm_column(name: str) -> str:
    """The column gorm's default naming gives a field: its initialisms read as words
    (``RunID`` -> ``RunId``), then snake case (``run_id``; ``HTTPServerURL`` ->
    ``http_server_url``, ``RunIDs`` -> ``run_ids``)."""
    words = _INITIALISM_RE.sub(lambda m: m.group().capitalize(), name)
    return _SNAKE_RE.sub("_", words).lower()


def keep_field_names(fe: FileEdits, node: Node, old: str, markers: set[str],
                     ids: tuple[str, ...], embedded: bool = False) -> None:
    """Give the field whose name is at ``node`` (renamed from ``old``) the names its Go name
    gave it: the JSON name ``old`` (:data:`KEEP_JSON_KEY`: a tag ``json:"old"`` after its type
    when it has none, the name written into its ``json`` key when that has options only,
    ``json:",omitempty"`` -> ``json:"old,omitempty"``, else the key added after the others),
    the TOML key alike (:data:`KEEP_TOML_KEY`, ``toml:"old"``), and gorm's column
    (:data:`KEEP_GORM_COLUMN`: ``column:run_id;`` first in its ``gorm`` key, else
    ``gorm:"column:run_id"`` added). A declaration of several names is left with a
    warning (one tag would give them all the same name). ``embedded``: ``node`` is the name of
    the type a field is embedded as (``Label``, ``*Label``, ``pkg.Label``), which names that
    field; a type named in a field's declaration otherwise is left alone."""
    field = node.parent if node is not None else None
    while embedded and field is not None and field.type in ("pointer_type", "qualified_type"):
        field = field.parent
    if field is None or field.type != "field_declaration":
        return
    if embedded != (not field.children_by_field_name("name")):
        return
    wanted = [(KEEP_JSON_KEY, f'json:"{old}"'), (KEEP_TOML_KEY, f'toml:"{old}"'),
              (KEEP_GORM_COLUMN, f'gorm:"column:{gorm_column(old)}"')]
    wanted = [(m, tag) for m, tag in wanted if m in markers]
    said = " ".join(f"`{tag}`" for _m, tag in wanted)
    names = field.children_by_field_name("name")
    typ = field.child_by_field_name("type")
    if (len(names) != 1 and not embedded) or typ is None:
        fe.warn(f"{_where(fe, field)}: {old} is declared with other fields in one line; give it "
                f"the tag {said} by hand to keep its names")
        return
    tag = field.child_by_field_name("tag")
    if tag is None:
        text = " ".join(t for _m, t in wanted)
        fe.add(Edit(typ.end_byte, typ.end_byte, f" `{text}`".encode(), "keep field names", ids))
        return
    edits: dict[int, bytes] = {}
    for marker, _tag in wanted:
        edit = _gorm_column_edit(_text(tag), tag.start_byte, gorm_column(old)) \
            if marker == KEEP_GORM_COLUMN else \
            _tag_name_edit(_text(tag), tag.start_byte, _NAME_KEYS[marker], old)
        if edit is None:
            fe.warn(f"{_where(fe, tag)}: the tag of {old} is not in the shape expected; give it "
                    f"{said} by hand to keep its names")
            return
        before = edits.get(edit[0], b"")
        gap = b" " if before and not before.endswith(b" ") and not edit[1].startswith(b" ") \
            else b""
        edits[edit[0]] = before + gap + edit[1]
    for at, text in sorted(edits.items()):
        fe.add(Edit(at, at, text, "keep field names", ids))


def _gorm_column_edit(literal: str, start: int, column: str) -> tuple[int, bytes] | None:
    """Where in a struct tag's literal to insert what gives it gorm's column ``column``, and
    the bytes: ``column:x;`` first in its ``gorm`` key, else the key after the others."""
    found = _tag_key_at(literal, "gorm")
    if found is None:
        return None
    quote, at = found
    if at is None:
        return _tag_key_added(literal, start, "gorm", quote, f"column:{column}")
    sep = "" if literal[at:].startswith(quote) else ";"
    return start + len(literal[:at].encode()), f"column:{column}{sep}".encode()


# The tag key of each marker that keeps a field's name on the wire by a name of its own
_NAME_KEYS = {KEEP_JSON_KEY: "json", KEEP_TOML_KEY: "toml"}


def _tag_name_edit(literal: str, start: int, key: str, name: str) -> tuple[int, bytes] | None:
    """Where in a struct tag's literal (starting at byte ``start``) to insert what gives it the
    name ``name`` under ``key`` (``json``, ``toml``), and the bytes; None for a literal of
    another shape."""
    found = _tag_key_at(literal, key)
    if found is None:
        return None
    quote, at = found
    if at is None:
        return _tag_key_added(literal, start, key, quote, name)
    if not literal[at:].startswith((",", quote)):
        return None  # it has a name under that key already
    return start + len(literal[:at].encode()), name.encode()


def _tag_key_at(literal: str, key: str) -> tuple[str, int | None] | None:
    """The quote a struct tag's literal writes around its values (``"``, or ``\\"`` in an
    interpreted string), and the offset in the literal just after ``key:`` and its opening
    quote (None when the tag has no such key); None for a literal of another shape."""
    raw = literal.startswith("`")
    quote = '"' if raw else '\\"'
    body = literal[1:-1]
    if len(literal) < 2 or literal[-1] != literal[0] or (not raw and '"' in body.replace('\\"', "")):
        return None
    found = re.search(r'(?:^|\s)' + re.escape(key) + ':' + re.escape(quote), body)
    return quote, (1 + found.end() if found is not None else None)


def _tag_key_added(literal: str, start: int, key: str, quote: str,
                   value: str) -> tuple[int, bytes]:
    """The insertion that adds ``key:"value"`` after a struct tag's other keys."""
    body = literal[1:-1]
    sep = "" if not body or body.endswith(" ") else " "
    at = len(literal) - 1
    return start + len(literal[:at].encode()), f"{sep}{key}:{quote}{value}{quote}".encode()


# A legacy key's struct field: the key, the field's name (renamed) and type, the tag's options
_Field = tuple[LegacyKey, str, str, str]
# What the methods write for one key: old and new key, field name and type, tag options
_Key = tuple[str, str, str, str, str]


def legacy_key_refusal(node: Node) -> str | None:
    """Why the methods that keep a renamed JSON tag's legacy key working (see
    :func:`json_tag_methods`) cannot be written for the tag at ``node``, or None: they need a
    single named field of a struct that is a package-level type (a type declared in a function
    has no methods; in ``type T []struct{...}`` or a field's anonymous struct, T's methods would
    not be the struct's)."""
    literal = _string_literal(node)
    field = literal.parent
    type_spec = _ancestor(field, "type_spec")
    decl = _ancestor(field, "type_declaration")
    if type_spec is None or decl is None or len(field.children_by_field_name("name")) != 1:
        return "is not on a single named field of a named struct"
    if decl.parent is None or decl.parent.type != "source_file":
        return "is on a struct declared inside a function, where Go allows no methods"
    if field.parent is None or field.parent.parent != type_spec.child_by_field_name("type"):
        return f"is on an anonymous struct inside {_text(type_spec.child_by_field_name('name'))}"
    return None


def json_tag_methods(fe: FileEdits, keys: list[LegacyKey]) -> None:
    """Add the methods that keep the legacy keys of renamed JSON tags working, one of each per
    struct whatever the number of its renamed tags: an ``UnmarshalJSON`` that reads each legacy
    key when its new key is absent, and, for the tags under ``dual``, a ``MarshalJSON`` that
    writes both keys. Dual writes both names because someone may still read the legacy one, and
    what was written with the legacy name alone (a file, a queue, a client's request) must still
    decode: a struct that is encoded is decoded somewhere, often by the same program (InfluxDB
    1.6 wrote its backup manifests with the struct it read them back with)."""
    by_decl: dict[int, tuple[Node, dict[int, tuple[str, str, list[_Field]]]]] = {}
    for key in keys:
        literal = _string_literal(key.node)
        field = literal.parent
        type_spec = _ancestor(field, "type_spec")
        decl = _ancestor(field, "type_declaration")
        names = field.children_by_field_name("name")
        if type_spec is None or decl is None:
            continue  # never asked: the patch keeps such a tag (see legacy_key_refusal)
        # the struct's, the field's and the field's type's names as patched: the rename may
        # change them too (`RunIDResponse{RunID RunIDKind}`)
        fld = fe.render(names[0].start_byte, names[0].end_byte).decode()
        type_node = field.child_by_field_name("type")
        typ = fe.render(type_node.start_byte, type_node.end_byte).decode()
        opts = _json_options(_text(literal), key.old)
        specs = by_decl.setdefault(decl.start_byte, (decl, {}))[1]
        name = type_spec.child_by_field_name("name")
        specs.setdefault(type_spec.start_byte, (
            fe.render(name.start_byte, name.end_byte).decode(), _text(name), [],
            holds_lock(type_spec, fe.data)))[2].append((key, fld, typ, opts))
    nl = newline_of(fe.data)
    for decl, specs in by_decl.values():
        bodies: list[list[str]] = []
        ids: list[str] = []
        for type_name, old_name, fields, locked in specs.values():
            dual = [(k.old, k.new, fld, typ, opts) for k, fld, typ, opts in fields if k.dual]
            every = [(k.old, k.new, fld, typ, opts) for k, fld, typ, opts in fields]
            methods = {"UnmarshalJSON": _unmarshal_legacy(type_name, every)}
            if dual:
                methods = {"MarshalJSON": _marshal_both(type_name, dual, by_pointer=locked),
                           **methods}
            field_ids = tuple(i for k, *_rest in fields for i in k.ids)
            for method, body in methods.items():
                if _has_method(fe.data, old_name, method):
                    from .ownshims import merge_into_own

                    if merge_into_own(fe, old_name, type_name, method,
                                      dual if method == "MarshalJSON" else every, field_ids):
                        continue  # the methods an earlier rename wrote: the key is merged in
                    for k, *_rest in fields:
                        fe.warn(f"{_where(fe, _string_literal(k.node))}: {type_name} already has "
                                f"{method}; merge the legacy {k.old!r} key into it by hand")
                    continue
                bodies.append(body)
            ids.extend(i for k, *_rest in fields for i in k.ids)
        if not bodies:
            continue
        ensure_imports(fe, _root(decl), ["encoding/json", *(
            ["bytes"] if "MarshalJSON" in methods and methods["MarshalJSON"] in bodies else [])])
        text = b"".join(nl + nl + nl.join(line.encode() for line in body) for body in bodies)
        fe.add(Edit(decl.end_byte, decl.end_byte, text, "methods for legacy keys", tuple(ids)))


def _json_options(tag: str, key: str) -> str:
    """The options after ``key`` in a struct tag's ``json:"key,opt,..."`` (``,omitempty``), which
    the legacy key keeps, or ""."""
    m = re.search(rf'(?:^|[`\s])json:"{re.escape(key)}(,[^"]*)"', tag)
    return m.group(1) if m else ""


def _decode_options(opts: str) -> str:
    """The tag options that matter to decoding (``,string``), without those that only say when
    to write the key (``omitempty``, ``omitzero``)."""
    kept = [o for o in opts.split(",")[1:] if o not in ("omitempty", "omitzero")]
    return "".join(f",{o}" for o in kept)


def _has_method(data: bytes, type_name: str, method: str) -> bool:
    """Whether ``data`` declares ``method`` on ``type_name`` (value or pointer receiver)."""
    pattern = rf"func\s*\(\s*(?:\w+\s+)?\*?\s*{re.escape(type_name)}\s*\)\s*{method}\s*\("
    return re.search(pattern.encode(), data) is not None


def legacy_field_names(keys: list[_Key]) -> list[str]:
    """The name of each key's legacy field in the methods' anonymous structs: ``Legacy`` and
    the field's name, numbered from 2 when a field has several legacy keys (renames in
    succession: ``run_id``, then ``session_id``)."""
    seen: dict[str, int] = {}
    names = []
    for _old, _new, fld, *_rest in keys:
        seen[fld] = seen.get(fld, 0) + 1
        names.append(f"Legacy{fld}{seen[fld] if seen[fld] > 1 else ''}")
    return names


def _local_names(type_name: str) -> tuple[str, str]:
    """The names a shim declares inside its method: the type without its methods (``plain``)
    and the JSON an ``UnmarshalJSON`` decodes (``data``), each another where the type has that
    name (``type plain data`` would name the parameter: "data is not a type")."""
    return ("base" if type_name == "plain" else "plain", "raw" if type_name == "data" else "data")


def _marshal_both(type_name: str, keys: list[_Key], by_pointer: bool = False) -> list[str]:
    """A ``MarshalJSON`` that writes each (old, new, field, type) key under both names. It
    encodes without escaping HTML (``&``, ``<``, ``>``): encoding/json escapes what a
    ``MarshalJSON`` returns as the encoder that calls it is set (``json.Marshal`` does,
    an encoder with ``SetEscapeHTML(false)`` does not), so the value is written as it was
    before the method (``json.Marshal`` here would write ``a=1\\u0026b=2`` where such an
    encoder wrote ``a=1&b=2``). ``by_pointer``: for a struct that holds a lock (see
    :func:`holds_lock`), a pointer receiver, the value embedded through a pointer: a value
    receiver would copy the lock (``go vet``: "passes lock by value"), and such a struct is
    encoded through a pointer already (a copy of it would be vet's error too)."""
    recv = type_name[0].lower()
    plain = _local_names(type_name)[0]
    legacy = legacy_field_names(keys)
    return [
        _method_doc("MarshalJSON", keys),
        f"func ({recv} {'*' if by_pointer else ''}{type_name}) MarshalJSON() ([]byte, error) {{",
        f"\ttype {plain} {type_name}",
        "\tvar out bytes.Buffer",
        "\tenc := json.NewEncoder(&out)",
        "\tenc.SetEscapeHTML(false) // (the encoder calling this one escapes as it is set)",
        "\terr := enc.Encode(struct {",
        f"\t\t*{plain}" if by_pointer else f"\t\t{plain}",
        *_legacy_fields(legacy, keys),
        _marshal_values(recv, keys, plain, by_pointer),
        "\treturn bytes.TrimSuffix(out.Bytes(), []byte(\"\\n\")), err",
        "}",
    ]


def marshal_both_before(type_name: str, keys: list[_Key]) -> list[str]:
    """The ``MarshalJSON`` that idrename wrote before the one :func:`_marshal_both` writes (it
    encoded with ``json.Marshal``, which escapes HTML whatever the calling encoder says):
    recognized in code an earlier rename patched (:mod:`idrename.ownshims`), and written again
    in the current form."""
    recv = type_name[0].lower()
    plain = _local_names(type_name)[0]
    legacy = legacy_field_names(keys)
    return [
        _method_doc("MarshalJSON", keys),
        f"func ({recv} {type_name}) MarshalJSON() ([]byte, error) {{",
        f"\ttype {plain} {type_name}",
        "\treturn json.Marshal(struct {",
        f"\t\t{plain}",
        *_legacy_fields(legacy, keys),
        _marshal_values(recv, keys, plain),
        "}",
    ]


def _marshal_values(recv: str, keys: list[_Key], plain: str, by_pointer: bool = False) -> str:
    """The closing line of a ``MarshalJSON``'s anonymous struct literal: the value (a pointer
    to it ``by_pointer``), then each renamed field again for its legacy key."""
    value = f"(*{plain})({recv})" if by_pointer else f"{plain}({recv})"
    values = ", ".join([value, *(f"{recv}.{fld}" for _o, _n, fld, *_r in keys)])
    return f"\t}}{{{values}}})"


# The types ``go vet``'s copylocks check will not see copied: sync's locks and the types that
# hold one or a noCopy, and sync/atomic's typed values.
_LOCK_TYPES = re.compile(r"(?:sync\.(?:Mutex|RWMutex|WaitGroup|Once|Cond|Map|Pool)|"
                         r"atomic\.(?:Bool|Int32|Int64|Uint32|Uint64|Uintptr|Pointer)\b.*)")


def holds_lock(type_spec: Node, data: bytes) -> bool:
    """Whether the struct a package-level ``type_spec`` of the Go file ``data`` declares holds a
    lock by value (see :data:`_LOCK_TYPES`): in a field or an embedded field, an array of them,
    an anonymous struct, or a struct type of the same file that holds one (not behind a
    pointer, a slice or a map). The file is parsed whole only to look such a struct up (the
    patch's tree may hold only the declarations the rename touches)."""
    body = type_spec.child_by_field_name("type")

    @cache
    def structs() -> dict[str, Node]:
        from .gosyntax import parse

        root = parse(data).root_node
        return {_text(n): t for decl in root.named_children if decl.type == "type_declaration"
                for spec in decl.named_children if spec.type == "type_spec"
                if (n := spec.child_by_field_name("name")) is not None
                and (t := spec.child_by_field_name("type")) is not None
                and t.type == "struct_type"}

    return body is not None and _type_holds_lock(body, lambda name: structs().get(name), set())


def _type_holds_lock(typ: Node, struct_named: Callable[[str], Node | None],
                     seen: set[str]) -> bool:
    if typ.type == "struct_type":
        return any(_type_holds_lock(t, struct_named, seen)
                   for fields in typ.named_children if fields.type == "field_declaration_list"
                   for fd in fields.named_children if fd.type == "field_declaration"
                   and (t := fd.child_by_field_name("type")) is not None)
    if typ.type == "array_type":
        element = typ.child_by_field_name("element")
        return element is not None and _type_holds_lock(element, struct_named, seen)
    if typ.type in ("qualified_type", "generic_type"):
        return _LOCK_TYPES.fullmatch(_text(typ)) is not None
    if typ.type == "type_identifier" and _text(typ) not in seen:
        seen.add(_text(typ))
        found = struct_named(_text(typ))
        return found is not None and _type_holds_lock(found, struct_named, seen)
    return False


def _legacy_fields(legacy: list[str], keys: list[_Key]) -> list[str]:
    """The legacy fields of a ``MarshalJSON``'s anonymous struct."""
    return [f"\t\t{name} {typ} `json:\"{old}{opts}\"`"
            for name, (old, _new, _fld, typ, opts) in zip(legacy, keys, strict=True)]


# The doc comments of the legacy-key methods, which idrename.ownshims reads their keys back
# from and idrename.gofacts tells the methods idrename wrote by: for one key, and the first line
# for several (each pair on a second line).
METHOD_DOCS = {
    "MarshalJSON": ('// MarshalJSON writes the value under both "{new}" and the legacy "{old}" key.',
                    "// MarshalJSON writes each value under both its key and its legacy key:",
                    '"{new}" and "{old}"'),
    "UnmarshalJSON": ('// UnmarshalJSON accepts the legacy "{old}" key when "{new}" is absent.',
                      "// UnmarshalJSON accepts each legacy key when its new key is absent:",
                      '"{old}" for "{new}"'),
}
# Their first words.
DOC_STARTS = tuple(start.encode() for one, several, _pair in METHOD_DOCS.values()
                   for start in (one[: one.index("{")], several))


def _method_doc(method: str, keys: list[_Key]) -> str:
    """The doc comment of a legacy-key ``MarshalJSON`` or ``UnmarshalJSON``."""
    one, several, pair = METHOD_DOCS[method]
    if len(keys) == 1:
        return one.format(old=keys[0][0], new=keys[0][1])
    pairs = ", ".join(pair.format(old=old, new=new) for old, new, *_rest in keys)
    return f"{several}\n// {pairs}."


def _unmarshal_legacy(type_name: str, keys: list[_Key]) -> list[str]:
    """An ``UnmarshalJSON`` that takes each (old, new, field, type) legacy key when the new one
    is absent from the input. The other keys are decoded into the receiver itself (through a
    pointer to it), so a field the input does not name keeps the value it had, as
    ``encoding/json`` leaves it (``f := New(); dec.Decode(&f)`` keeps ``New``'s defaults); each
    renamed field is read raw under its new key, else under its legacy keys in order (the
    latest first), and decoded into the receiver's field, where encoding/json would have put
    it (a map gets the keys added, a struct keeps the fields the input does not name). A
    ``,string`` option is honoured (the value unquoted first)."""
    recv = type_name[0].lower()
    plain, data = _local_names(type_name)
    legacy = legacy_field_names(keys)
    doc = _method_doc("UnmarshalJSON", keys)
    order: dict[str, tuple[str, str, list[tuple[str, str, str]]]] = {}  # field -> its keys
    for name, (old, new, fld, _typ, tag_opts) in zip(legacy, keys, strict=True):
        opts = _decode_options(tag_opts)
        order.setdefault(fld, (new, opts, []))[2].append((name, old, opts))
    fields: list[str] = []
    takes: list[str] = []
    for fld, (new, opts, olds) in order.items():
        fields.append(f"\t\t{fld} json.RawMessage `json:\"{new}{opts}\"`")
        fields += [f"\t\t{name} json.RawMessage `json:\"{old}{o}\"`" for name, old, o in olds]
        for name, _old, _o in olds:
            takes += [f"\tif aux.{fld} == nil {{", f"\t\taux.{fld} = aux.{name}", "\t}"]
        if ",string" in f"{opts},":
            takes += [f"\tif aux.{fld} != nil {{",
                      "\t\tvar text string",
                      f"\t\tif err := json.Unmarshal(aux.{fld}, &text); err != nil {{",
                      "\t\t\treturn err", "\t\t}",
                      f"\t\tif err := json.Unmarshal([]byte(text), &{recv}.{fld}); err != nil {{",
                      "\t\t\treturn err", "\t\t}", "\t}"]
        else:
            takes += [f"\tif aux.{fld} != nil {{",
                      f"\t\tif err := json.Unmarshal(aux.{fld}, &{recv}.{fld}); err != nil {{",
                      "\t\t\treturn err", "\t\t}", "\t}"]
    return [
        doc,
        f"func ({recv} *{type_name}) UnmarshalJSON({data} []byte) error {{",
        f"\ttype {plain} {type_name}",
        "\taux := struct {",
        f"\t\t*{plain}",
        *fields,
        f"\t}}{{{plain}: (*{plain})({recv})}}",
        f"\tif err := json.Unmarshal({data}, &aux); err != nil {{",
        "\t\treturn err",
        "\t}",
        *takes,
        "\treturn nil",
        "}",
    ]


def unmarshal_legacy_before(type_name: str, keys: list[_Key]) -> list[str]:
    """The ``UnmarshalJSON`` that idrename wrote before the one :func:`_unmarshal_legacy` writes
    (it decoded into a zero value, which lost the fields the input did not name, and tested the
    new key's absence by the field's zero value): recognized in code an earlier rename patched
    (:mod:`idrename.ownshims`), and written again in the current form."""
    recv = type_name[0].lower()
    plain, data = _local_names(type_name)
    legacy = legacy_field_names(keys)
    doc = _method_doc("UnmarshalJSON", keys)
    fields: list[str] = []
    takes: list[str] = []
    for name, (old, new, fld, typ, tag_opts) in zip(legacy, keys, strict=True):
        opts = _decode_options(tag_opts)
        zero = _zero_test(f"{recv}.{fld}", typ)
        if zero is not None:
            fields.append(f"\t\t{name} {typ} `json:\"{old}{opts}\"`")
            takes += [f"\tif {zero} {{", f"\t\t{recv}.{fld} = aux.{name}", "\t}"]
        else:  # (a field with one legacy key: see ownshims.merge_into_own)
            fields += [f"\t\t{fld} *{typ} `json:\"{new}{opts}\"`",
                       f"\t\tLegacy{fld} *{typ} `json:\"{old}{opts}\"`"]
            takes += [f"\tif aux.{fld} != nil {{", f"\t\t{recv}.{fld} = *aux.{fld}",
                      f"\t}} else if aux.Legacy{fld} != nil {{",
                      f"\t\t{recv}.{fld} = *aux.Legacy{fld}", "\t}"]
    return [
        doc,
        f"func ({recv} *{type_name}) UnmarshalJSON({data} []byte) error {{",
        f"\ttype {plain} {type_name}",
        "\tvar aux struct {",
        f"\t\t{plain}",
        *fields,
        "\t}",
        f"\tif err := json.Unmarshal({data}, &aux); err != nil {{",
        "\t\treturn err",
        "\t}",
        f"\t*{recv} = {type_name}(aux.{plain})",
        *takes,
        "\treturn nil",
        "}",
    ]


_NUMBERS = frozenset(
    "int int8 int16 int32 int64 uint uint8 uint16 uint32 uint64 uintptr byte rune float32 "
    "float64 complex64 complex128".split())


def _zero_test(expr: str, typ: str) -> str | None:
    """Go that says ``expr`` (of type ``typ`` as written) holds its zero value, for the types
    whose zero value the text shows; None for the others."""
    t = typ.strip()
    if t == "string":
        return f'{expr} == ""'
    if t in _NUMBERS:
        return f"{expr} == 0"
    if t == "bool":
        return f"!{expr}"
    if t.startswith(("*", "[]", "map[", "func", "chan", "<-chan")) or t in ("any", "interface{}"):
        return f"{expr} == nil"
    return None


def _root(node: Node) -> Node:
    while node.parent is not None:
        node = node.parent
    return node


def ensure_import(fe: FileEdits, root: Node, path: str) -> None:
    """Import ``path`` unless the file already does (gofmt sorts it into its block)."""
    ensure_imports(fe, root, [path])


def ensure_imports(fe: FileEdits, root: Node, paths: list[str]) -> None:
    """Import each of ``paths`` the file does not import yet: into its first import block, or
    after its last import line, or, in a file that imports nothing, as one declaration (a block
    for several: gofmt sorts it)."""
    imports = [n for n in root.named_children if n.type == "import_declaration"]
    missing = []
    for path in paths:
        quoted = f'"{path}"'.encode()
        if not any(quoted in fe.data[n.start_byte : n.end_byte] for n in imports) and not any(
                e.reason.startswith("import ") and path in e.reason[len("import "):].split()
                for e in fe.edits) and path not in missing:
            missing.append(path)
    if not missing:
        return
    nl = newline_of(fe.data)
    if not imports:
        package = next((n for n in root.named_children if n.type == "package_clause"), None)
        at = package.end_byte if package is not None else 0
        text = (b'import "' + missing[0].encode() + b'"' if len(missing) == 1 else
                b"import (" + nl + b"".join(b'\t"' + p.encode() + b'"' + nl
                                           for p in sorted(missing)) + b")")
        fe.add(Edit(at, at, nl + nl + text, "import " + " ".join(missing)))
        return
    for path in missing:
        quoted, reason = f'"{path}"'.encode(), f"import {path}"
        specs = [c for c in imports[0].named_children if c.type == "import_spec_list"]
        group = _first_group(fe.data, specs[0]) if specs else []
        if group:
            # where gofmt sorts it: before the first import of the block's first group whose
            # path sorts after it, else after that group's last line (a file gofmt does not
            # format whole keeps the line there: see idrename.patch.merge_formatted)
            later = next((spec for spec, spec_path in group if spec_path > path), None)
            if later is not None:
                at = line_start(fe.data, later.start_byte)
            else:
                end = fe.data.find(b"\n", group[-1][0].end_byte)
                at = len(fe.data) if end < 0 else end + 1
            fe.add(Edit(at, at, b"\t" + quoted + nl, reason))
        else:
            at = imports[-1].end_byte
            fe.add(Edit(at, at, nl + b"import " + quoted, reason))


def _first_group(data: bytes, spec_list: Node) -> list[tuple[Node, str]]:
    """The import specs of a block's first group (gofmt sorts each run of lines without a
    blank line or a comment between them apart), each with its path; [] when the block
    holds none, or its first one shares a line with the block's parenthesis."""
    specs = [c for c in spec_list.named_children if c.type == "import_spec"]
    if not specs or data[line_start(data, specs[0].start_byte):specs[0].start_byte].strip():
        return []
    group: list[tuple[Node, str]] = []
    for spec in specs:
        if group and data[group[-1][0].end_byte:spec.start_byte].count(b"\n") != 1:
            break  # (a blank line, or a comment's line, between them)
        path = spec.child_by_field_name("path")
        text = data[path.start_byte:path.end_byte] if path is not None else b""
        group.append((spec, text.strip(b'"`').decode("utf-8", "replace")))
    return group


# -- drop-legacy -------------------------------------------------------------------------------
def drop_legacy(fe: FileEdits, node: Node, old: str, new: str, ids: tuple[str, ...]) -> None:
    literal = _string_literal(node)
    keyed = _ancestor(literal, "keyed_element")
    if keyed is not None and keyed.named_children and keyed.named_children[0].start_byte <= \
            literal.start_byte < keyed.named_children[0].end_byte:
        start, end = keyed.start_byte, keyed.end_byte
        data = fe.data
        while end < len(data) and data[end : end + 1] in (b" ", b","):
            end += 1
        ls = line_start(data, start)
        if not data[ls:start].strip() and data[end : end + 1] in (b"\n", b"\r"):
            start = ls
            end = data.index(b"\n", end) + 1
        fe.add(Edit(start, end, b"", "drop legacy map key", ids, covers=True))
        return
    call = literal.parent.parent if literal.parent is not None else None
    stmt = call.parent if call is not None else None
    if stmt is not None and stmt.type == "expression_statement" and _in_a_block(stmt) and \
            call_counterpart(literal, new) is None:  # the pair is two statements, not one call
        _drop_statement(fe, literal, stmt, old, new, ids)
        return
    fn = call.child_by_field_name("function") if call is not None else None
    if call is not None and call.type == "call_expression" and fn is not None and \
            fn.type == "selector_expression":
        operand = fn.child_by_field_name("operand")
        fe.add(Edit(operand.end_byte, call.end_byte, b"", "drop legacy log key", ids, covers=True))
        return
    fe.warn(f"{_where(fe, literal)}: cannot drop the legacy {old!r} here; remove it by hand")


def _drop_statement(fe: FileEdits, literal: Node, stmt: Node, old: str, new: str,
                    ids: tuple[str, ...]) -> None:
    """Remove a statement that sets the legacy name (``h.Set("X-Run-ID", v)``, with the comment
    on its line) when the block sets ``new`` to the same value; otherwise dropping it would lose
    the value, and a warning says so."""
    found = statement_counterpart(literal, new)
    if found is None or not found.same_value:
        fe.warn(f"{_where(fe, literal)}: {old!r} is not set beside {new!r} with the same value, "
                "so dropping it would lose data; left as it is")
        return
    data = fe.data
    start, end = stmt.start_byte, _after_trailing_comment(data, stmt.end_byte)
    ls = line_start(data, start)
    if not data[ls:start].strip() and data[end : end + 1] in (b"\n", b"\r"):
        start, end = ls, data.index(b"\n", end) + 1
    fe.add(Edit(start, end, b"", "drop legacy statement", ids, covers=True))


# -- InferenceID -------------------------------------------------------------------------------
def _qualifiers(expr: str) -> set[str]:
    """Package qualifiers an expression uses (`turns` in `turns.KeyX.Get(...)`)."""
    import re

    return {m.group(1) for m in re.finditer(r"(?<![\w.])([A-Za-z_]\w*)\.", expr)}


def wire_inference_id(fe: FileEdits, root: Node, wiring: InferenceWiring) -> None:
    """Fill InferenceID in hand-built metadata literals; set one before direct inference calls.
    A site whose file does not import the packages the inserted code names is reported, not
    edited."""
    from .gosyntax import import_specs

    imported = {name for name, _path, _node in import_specs(root)}
    stack = [root]
    nl = newline_of(fe.data)
    while stack:
        node = stack.pop()
        stack.extend(reversed(node.named_children))
        if node.type == "composite_literal":
            _wire_literal(fe, node, wiring, nl, imported)
        elif node.type == "call_expression":
            _wire_call(fe, node, wiring, nl, imported)


def _missing_imports(fe: FileEdits, node: Node, exprs: tuple[str, ...], imported: set[str]) -> bool:
    """Warn (and say so) when the code to insert names a package the file does not import."""
    missing = sorted(set().union(*(_qualifiers(e) for e in exprs)) - imported)
    if missing:
        fe.warn(f"{_where(fe, node)}: the file does not import {', '.join(missing)}, which the "
                f"InferenceID wiring ({'; '.join(exprs)}) needs; wire it by hand")
    return bool(missing)


def _wire_literal(fe: FileEdits, lit: Node, w: InferenceWiring, nl: bytes,
                  imported: set[str]) -> None:
    typ = lit.child_by_field_name("type")
    if typ is None or _text(typ).rsplit(".", 1)[-1] != w.metadata_type:
        return
    body = lit.child_by_field_name("body")
    turn_elem = None
    for elem in body.named_children:
        if elem.type != "keyed_element":
            continue
        key = _text(elem.named_children[0])
        if key == w.inference_key:
            return
        if key == w.turn_key:
            turn_elem = elem
    if turn_elem is None:
        return
    value = turn_elem.named_children[-1]
    inner = value.named_children[0] if value.type == "literal_element" else value
    if inner.type != "selector_expression" or _text(inner.child_by_field_name("field")) != "ID":
        fe.warn(f"{_where(fe, turn_elem)}: {w.turn_key} is not taken from a turn's ID; wire "
                f"{w.inference_key} by hand")
        return
    if _missing_imports(fe, turn_elem, (w.meta_key,), imported):
        return
    turn = _text(inner.child_by_field_name("operand"))
    entry = f"{w.inference_key}: {w.meta_key}.Value({turn}.Metadata)".encode()
    data = fe.data
    after = turn_elem.end_byte
    if data[after : after + 1] == b"," and data[line_start(data, turn_elem.start_byte):
                                                turn_elem.start_byte].strip() == b"":
        text = nl + indentation(data, turn_elem.start_byte) + entry + b","
        fe.add(Edit(after + 1, after + 1, text, "InferenceID from turn metadata"))
    else:
        fe.add(Edit(after, after, b", " + entry, "InferenceID from turn metadata"))


def _wire_call(fe: FileEdits, call: Node, w: InferenceWiring, nl: bytes,
               imported: set[str]) -> None:
    fn = call.child_by_field_name("function")
    if fn is None or fn.type != "selector_expression" or _text(fn.child_by_field_name("field")) != w.run_call:
        return
    args = call.child_by_field_name("arguments").named_children
    if len(args) < 2 or args[-1].type != "identifier":
        return
    turn = _text(args[-1])
    func = _ancestor(call, "function_declaration", "method_declaration", "func_literal")
    setter = f"{w.meta_key.rsplit('.', 1)[-1]}.Set".encode()
    if func is None or setter in fe.data[func.start_byte : func.end_byte]:
        return
    if _missing_imports(fe, call, (w.meta_key, w.new_id), imported):
        return
    stmt = call
    while stmt.parent is not None and stmt.parent.type not in ("statement_list", "block"):
        stmt = stmt.parent
    indent = indentation(fe.data, stmt.start_byte)
    guard = (
        f"if _, ok := {w.meta_key}.Get({turn}.Metadata); !ok {{".encode() + nl
        + indent + f"\t{w.meta_key}.Set(&{turn}.Metadata, {w.new_id})".encode() + nl
        + indent + b"}" + nl + indent
    )
    fe.add(Edit(stmt.start_byte, stmt.start_byte, guard, "InferenceID before RunInference"))
