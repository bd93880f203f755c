"""Structs whose coding one file shows whole: a struct declared inside a function, and a test
file's own structs, that a codec call of the same file encodes or decodes.

The package's structs and the codecs of its other files are :mod:`idrename.gofacts`'s; a struct
that only one function knows is not among them, nor is a test's, yet its untagged fields are on
the wire by their Go names as well::

    var got struct {
        RunID string
    }
    json.Unmarshal(rec.Body.Bytes(), &got)   // reads the key "RunID"

Renamed alone, ``got.SessionID`` would read nothing of a response that keeps ``"RunID"``.
:func:`local_structs` finds, for the codec calls of one file, the structs they code: the
argument's type when it is a struct type written in place (``struct{...}{...}``, ``var got
struct{...}``, ``[]struct{...}``), a type declared in the function, or (in a test file) one
declared at the file's top level; and, carried along, the structs its fields' types name that
way and the anonymous structs nested in it (``Database struct{...}``, ``Products []product``).
Each is kept by its byte span with its fields, tags and the codec sites, so
:mod:`idrename.wirefields` finds a field_decl row's struct by the row's position.

A package named after an encoding (``package toml``) calls its own ``Marshal(v)`` and
``Unmarshal(data, &v)`` bare, as its tests do: those calls are codecs of that family here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, NamedTuple

Node = Any  # tree_sitter.Node

# One struct coded in its file: its span (start, end byte), its fields (name, type's text, tags
# as (key, value) pairs: "" for an embedded one's name), the codec sites (family, action,
# line, and where a decoding reads from: "request", "external"; "" for an encoding), and
# whether it can have methods (a test file's package-level type; not one declared in a
# function, nor an anonymous struct).
LocalFacts = tuple[int, int, tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...],
                   tuple[tuple[str, str, int, str], ...], bool]
# A codec call of the file: the call, encode or decode, the argument it codes, its family, and
# where it decodes from
CodedCall = tuple[Node, str, Node, str, str]

_FUNCTIONS = ("function_declaration", "method_declaration")
_WRAPPERS = frozenset({"pointer_type", "slice_type", "array_type", "parenthesized_type"})
_DEPTH = 8  # types followed through fields (a type that names itself stops sooner)


def local_structs(calls: Iterable[CodedCall], file_types: Mapping[str, Node], first: str,
                  fields_of: Callable[[Node], tuple[Any, ...]]) -> tuple[LocalFacts, ...]:
    """The structs of one file that ``calls`` code and the package's structs do not hold:
    declared in a function, or at a test file's top level (``file_types``: name -> struct_type
    node, a test file's; empty for another). Only those whose text holds ``first`` (the term's
    first word, lower case) are kept: no other can hold a renamed field. ``fields_of`` gives a
    struct_type node's fields."""
    found: dict[tuple[int, int], tuple[Node, set[tuple[str, str, int, str]]]] = {}
    bindings: dict[int, _Bindings] = {}
    for call, action, arg, family, source in calls:
        fn = _enclosing(call, _FUNCTIONS)
        if fn is None:
            continue
        if fn.id not in bindings:
            bindings[fn.id] = _bindings(fn) if file_types or b"struct" in fn.text \
                else _Bindings({}, {})
        scope = bindings[fn.id]
        if not scope.types and not scope.values and not file_types and \
                arg.type not in ("composite_literal", "unary_expression"):
            continue
        types = {**file_types, **scope.types}
        for struct in _coded_structs(arg, scope, types):
            if first.encode() not in struct.text.lower():
                continue
            span = (struct.start_byte, struct.end_byte)
            found.setdefault(span, (struct, set()))[1].add(
                (family, action, call.start_point[0] + 1, source))
    return tuple((start, end, fields_of(struct), tuple(sorted(sites)), _takes_methods(struct))
                 for (start, end), (struct, sites) in sorted(found.items()))


def _takes_methods(struct: Node) -> bool:
    """Whether the struct_type ``struct`` is the type of a package-level type declaration
    (``type T struct{...}`` at a file's top level), which alone can have methods."""
    spec = struct.parent
    decl = spec.parent if spec is not None and spec.type == "type_spec" else None
    return decl is not None and decl.type == "type_declaration" and \
        decl.parent is not None and decl.parent.type == "source_file"


class _Bindings(NamedTuple):
    """A function's own names: its declared types (name -> type node) and its variables
    (name -> the type node or the value node they were declared with)."""

    types: dict[str, Node]
    values: dict[str, Node]


def _bindings(fn: Node) -> _Bindings:
    """The types and variables a function declares (in its closures too)."""
    types: dict[str, Node] = {}
    values: dict[str, Node] = {}
    stack = [fn]
    while stack:
        node = stack.pop()
        t = node.type
        if t == "type_spec":
            name, typ = node.child_by_field_name("name"), node.child_by_field_name("type")
            if name is not None and typ is not None:
                types[name.text.decode()] = typ
        elif t == "var_spec":
            typ = node.child_by_field_name("type")
            value = node.child_by_field_name("value")
            given = value.named_children if value is not None else []
            for i, n in enumerate(node.children_by_field_name("name")):
                bound = typ if typ is not None else given[i] if i < len(given) else None
                if bound is not None:
                    values[n.text.decode()] = bound
        elif t == "short_var_declaration":
            left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
            if left is not None and right is not None:
                for n, v in zip(left.named_children, right.named_children, strict=False):
                    if n.type == "identifier":
                        values[n.text.decode()] = v
        stack.extend(node.named_children)
    return _Bindings(types, values)


def _coded_structs(arg: Node, scope: _Bindings, types: Mapping[str, Node]) -> list[Node]:
    """The struct_type nodes the value ``arg`` is coded as, with those carried along."""
    node: Node | None = arg
    for _ in range(4):  # &x, x, its declaration's value, &T{...}
        if node is None:
            return []
        if node.type == "unary_expression":
            node = node.child_by_field_name("operand")
        elif node.type == "identifier":
            node = scope.values.get(node.text.decode())
        elif node.type == "composite_literal":
            return _structs(node.child_by_field_name("type"), types, _DEPTH, set())
        elif node.type == "call_expression":  # new(T)
            fn, args = node.child_by_field_name("function"), node.child_by_field_name("arguments")
            if fn is None or fn.text != b"new" or args is None or not args.named_children:
                return []
            return _structs(args.named_children[0], types, _DEPTH, set())
        else:
            return _structs(node, types, _DEPTH, set())
    return []


def _structs(typ: Node | None, types: Mapping[str, Node], depth: int, seen: set[int]
             ) -> list[Node]:
    """The struct_type nodes a type node stands for: itself, the element of a pointer, slice,
    array or map, a local type it names; and those its fields' types stand for."""
    while typ is not None and (typ.type in _WRAPPERS or typ.type == "map_type"):
        if typ.type in ("slice_type", "array_type", "map_type"):
            typ = typ.child_by_field_name("value" if typ.type == "map_type" else "element")
        else:  # a pointer's or a parenthesized type's one child has no field name
            typ = typ.named_children[-1] if typ.named_children else None
    if typ is not None and typ.type == "type_identifier":
        typ = types.get(typ.text.decode())
    if typ is None or typ.type != "struct_type" or typ.id in seen or depth <= 0:
        return []
    seen.add(typ.id)
    out = [typ]
    for field in _direct_fields(typ):
        out.extend(_structs(field.child_by_field_name("type"), types, depth - 1, seen))
    return out


def _direct_fields(struct: Node) -> Sequence[Node]:
    body = next((c for c in struct.named_children if c.type == "field_declaration_list"), None)
    return [c for c in body.named_children if c.type == "field_declaration"] \
        if body is not None else []


def _enclosing(node: Node, types: Sequence[str]) -> Node | None:
    node = node.parent
    while node is not None and node.type not in types:
        node = node.parent
    return node
