"""What a function's syntax tells of the type of a receiver: in ``v.Name()`` or ``v.Name``, the
type of ``v``, when the enclosing function says it without type checking: a type assertion
(``v, ok := err.(net.Error)``, ``err.(net.Error).Timeout()``), a conversion (``pkg.T(x)``), a
``var`` or a parameter declared with the type (or a pointer to it), a type switch's case of one
type, a field of a struct (``f.elf`` with ``elf *elf.File`` in ``type elfFile struct``, or
``s.Name`` of a ``*syntax.ConstDecl``), followed through ``v.f.g``, the result of a function
of another package (``f, err := elf.NewFile(r)``: named :func:`result_of` the function, which
the package's declaration resolves, :func:`result_type`), or an element of any of those
(``xs[i]``, ``for _, x := range xs`` with ``xs []*syntax.File``: the type named ``[]`` and the
element's name). The innermost declaration before the use counts.

:mod:`idrename.outsideiface` asks it about the calls and selectors of names that types outside
the roots also have. Syntax only (tree-sitter): anything else (a method's result, a variable
declared elsewhere, a map's key) is not told.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from .gosyntax import parse

Node = Any  # tree_sitter.Node
_FUNCTIONS = frozenset({"function_declaration", "method_declaration", "func_literal"})


class StructFields:
    """The field types of a root's structs, for :func:`receiver_type`: syntax only, the struct
    found by name among the Go files of the folder of the file that uses it."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.trees: dict[str, Any] = {}  # path in the root -> parsed file (None: unreadable)
        self._found: dict[tuple[str, str, str, str, bool], tuple[str, str, str] | None] = {}

    def tree(self, path: str) -> Any:
        if path not in self.trees:
            self.trees[path] = _tree(self.root / path)
        return self.trees[path]

    def type_of(self, user: str, struct: str, field: str) -> tuple[str, str, str] | None:
        """(the declaring file, qualifier, type name) of field ``field`` of the struct
        ``struct`` of the package of file ``user`` (or of the file itself when ``user`` is
        ""), when one of its files declares it with a named type."""
        return self.type_in(_folder(user), struct, field)

    def type_in(self, folder: str, struct: str, field: str, clause: str = "",
                tests: bool = True) -> tuple[str, str, str] | None:
        """:meth:`type_of` for a struct of the package in ``folder`` (relative to the root):
        among its files of package ``clause`` ("": any), test files too when ``tests``."""
        key = (folder, struct, field, clause, tests)
        if key not in self._found:
            self._found[key] = self._search(*key)
        return self._found[key]

    def embedded_in(self, folder: str, struct: str, clause: str = "", tests: bool = True
                    ) -> tuple[str, list[tuple[str, str]]] | None:
        """(the declaring file, (qualifier, type name) of each embedded field) of the struct
        ``struct`` of the package in ``folder``, None when none of its files declares it (an
        embedded field of no named type, ``E[T]``, is named as :func:`_type_name` says; the
        files as :meth:`type_in` takes them)."""
        for rel, tree in self._declaring(folder, struct, clause, tests):
            body = _struct_body(tree, struct)
            if body is not None:
                return rel, _embedded(body)
        return None

    def _search(self, folder: str, struct: str, field: str, clause: str, tests: bool
                ) -> tuple[str, str, str] | None:
        for rel, tree in self._declaring(folder, struct, clause, tests):
            found = _struct_field_type(tree, struct, field)
            if found == ("", "struct_type"):  # an anonymous struct's: named by the field
                return rel, "", f"{struct}.{field}"
            if found is not None:
                return (rel, *found)
        return None

    def _declaring(self, folder: str, struct: str, clause: str, tests: bool
                   ) -> Iterator[tuple[str, Any]]:
        """(path, parsed file) of each Go file of the folder that may declare the struct (of
        package ``clause``, "": any; test files too when ``tests``)."""
        outer = struct.partition(".")[0]
        declaring = re.compile(rb"(?m)(?:\btype\s+|^\s*)" + re.escape(outer.encode())
                               + rb"(?:\[[^\]]*\])?\s+struct\b")
        try:
            names = sorted(n for n in os.listdir(self.root / folder) if n.endswith(".go")
                           and (tests or not n.endswith("_test.go")))
        except OSError:
            return
        for name in names:
            rel = f"{folder}/{name}" if folder else name
            try:
                data = (self.root / rel).read_bytes()
            except OSError:
                continue
            if declaring.search(data) is None or (clause and package_clause(data) != clause):
                continue
            tree = self.trees.get(rel)
            if tree is None:
                tree = self.trees[rel] = parse(data)  # (from the bytes read: not read again)
            yield rel, tree


_CLAUSE = re.compile(rb"(?m)^package\s+(\w+)")


def package_clause(data: bytes) -> str:
    """The package name a Go file declares ("" when none is found)."""
    found = _CLAUSE.search(data)
    return found.group(1).decode() if found is not None else ""


def _struct_body(tree: Any, struct: str) -> Node | None:
    """The ``struct_type`` of a package-level struct type of a file, or of the anonymous struct
    type of a field of one (``T.f``: ``f struct{ ... }`` in ``type T struct``, or deeper)."""
    outer, *path = struct.split(".")
    body = _named_struct_body(tree, outer)
    for field in path:
        body = _anonymous_field_body(body, field) if body is not None else None
    return body


def _anonymous_field_body(body: Node, field: str) -> Node | None:
    """The ``struct_type`` that a field of a struct type is declared with, if it is one."""
    for fields in body.named_children:
        for item in fields.named_children:
            if item.type == "field_declaration" and _names_field(item, field):
                typed = _unpointer(item.child_by_field_name("type"))
                return typed if typed is not None and typed.type == "struct_type" else None
    return None


def _unpointer(node: Node | None) -> Node | None:
    while node is not None and node.type in ("pointer_type", "parenthesized_type"):
        node = node.named_children[0] if node.named_children else None
    return node


def _named_struct_body(tree: Any, struct: str) -> Node | None:
    """The ``struct_type`` of a package-level struct type of a file."""
    for decl in tree.root_node.named_children:
        if decl.type != "type_declaration":
            continue
        for spec in decl.named_children:
            name, body = spec.child_by_field_name("name"), spec.child_by_field_name("type")
            if (spec.type == "type_spec" and name is not None and _text(name) == struct
                    and body is not None and body.type == "struct_type"):
                return body
    return None


def _struct_field_type(tree: Any, struct: str, field: str) -> tuple[str, str] | None:
    """(qualifier, type name) of a named field of a package-level struct type of a file, or of
    an embedded one, named by its type (``w.ResponseWriter`` of a struct embedding
    ``http.ResponseWriter``); of the key type of a map field for a field name ending in
    :data:`KEY_OF`."""
    name = field.removesuffix(KEY_OF)
    body = _struct_body(tree, struct)
    for fields in body.named_children if body is not None else ():
        for item in fields.named_children:
            if item.type != "field_declaration":
                continue
            typed = item.child_by_field_name("type")
            if _names_field(item, name):
                return _type_name(typed) if name == field else _key_type(typed)
            if name == field and not item.children_by_field_name("name"):
                embedded = _type_name(typed)
                if embedded is not None and embedded[1].partition("[")[0] == name:
                    return embedded
    return None


# A field name with this suffix asks a struct for the key type of the map the field holds (what
# a range over the field gives as its key).
KEY_OF = "[key]"


def _key_type(node: Node | None) -> tuple[str, str] | None:
    """(qualifier, type name) of the key of a map type (None for any other type)."""
    node = _unpointer(node)
    return _type_name(node.child_by_field_name("key")) if node is not None \
        and node.type == "map_type" else None


def _embedded(body: Node) -> list[tuple[str, str]]:
    """(qualifier, type name) of each embedded field of a struct type (``*E``, ``pkg.E``)."""
    found = []
    for fields in body.named_children:
        for item in fields.named_children:
            if item.type == "field_declaration" and not item.children_by_field_name("name"):
                typed = _type_name(item.child_by_field_name("type"))
                found.append(typed if typed is not None else ("", ""))
    return found


def _names_field(declaration: Node, field: str) -> bool:
    return any(_text(k) == field for k in declaration.children_by_field_name("name"))


def _tree(path: Path) -> Any:
    try:
        return parse(path.read_bytes())
    except OSError:
        return None




# (the file whose imports the qualifier is of, qualifier, struct type name, field name) -> (the
# file declaring the struct, qualifier, type name) of the field
FieldTypes = Callable[[str, str, str, str], "tuple[str, str, str] | None"]
# (the file whose imports the qualifier is of, qualifier, a name :func:`told_by_declarations`
# accepts) -> (the file declaring it, qualifier, type name) of the type its declaration says
DeclaredTypes = Callable[[str, str, str], "tuple[str, str, str] | None"]
Typed = tuple[str, str, str]
_DEPTH = 8  # how many selectors, indexes, results and assignments a receiver is followed through


class _Typing:
    """What the declarations outside the function tell a receiver's typing: the fields of
    structs and, when given, the named types that results and elements are of (to follow
    ``v.M().f`` and ``F().M()``, the result must be a named type first)."""

    def __init__(self, fields: FieldTypes, results: DeclaredTypes | None) -> None:
        self.fields = fields
        self.results = results

    def named(self, typed: Typed | None) -> Typed | None:
        """The type itself, or the named type its declaration says for a result's or an
        element's name (None when there is no ``results`` to ask, or it does not tell)."""
        if typed is None or not told_by_declarations(typed[2]):
            return typed
        return self.results(*typed) if self.results is not None else None

    def field(self, typed: Typed | None, name: str) -> Typed | None:
        """The type of field ``name`` of a (named) struct type."""
        inner = self.named(typed)
        return self.fields(*inner, name) if inner is not None else None


def receiver_type(tree: Any, byte: int, fields: FieldTypes,
                  results: DeclaredTypes | None = None) -> Typed | None:
    """(the file whose imports the qualifier is of, "" for this one; qualifier; type name) of
    the receiver of the call or selector whose name starts at ``byte``, as its function types it
    ("" qualifier: a type of that file's package, or predeclared), following fields of structs
    (``fields``, which says where a struct is and what file a field's type is written in) and,
    with ``results``, the declared types of results (``v.M().f``, ``F().M()``); None when
    nothing says (see the module doc)."""
    name = tree.root_node.descendant_for_byte_range(byte, byte + 1)
    selector = name.parent if name is not None else None
    if selector is None or selector.type != "selector_expression":
        return None
    return _operand_type(selector.child_by_field_name("operand"), _Typing(fields, results), 0)


def literal_type(tree: Any, byte: int) -> tuple[str, str] | None:
    """(qualifier, type name) of the composite literal whose key starts at ``byte`` (``Key`` in
    ``T{Key: v}``, ``&pkg.T{Key: v}``), when the literal writes its type; None otherwise (a key
    of a literal whose type its enclosing one elides, ``[]T{{Key: v}}``, or no key)."""
    name = tree.root_node.descendant_for_byte_range(byte, byte + 1)
    node = name
    while node is not None and node.type not in ("keyed_element", "literal_value"):
        node = node.parent
    if node is None or node.type != "keyed_element" or node.named_child_count < 2 or \
            not (node.named_children[0].start_byte <= byte < node.named_children[0].end_byte):
        return None
    body = node.parent
    literal = body.parent if body is not None else None
    if literal is not None and literal.type == "literal_element":
        # an element whose type its enclosing literal elides: `[]T{{Key: v}}`, `map[K]T{k:
        # {Key: v}}`
        outer = literal.parent
        if outer is not None and outer.type == "keyed_element":
            outer = outer.parent
        outer = outer.parent if outer is not None and outer.type == "literal_value" else None
        if outer is None or outer.type != "composite_literal":
            return None
        typed = _type_name(outer.child_by_field_name("type"))
        if typed is None or not typed[1].startswith(ELEMENT_OF) or \
                typed[1][len(ELEMENT_OF):].startswith(ELEMENT_OF):
            return None
        return typed[0], typed[1][len(ELEMENT_OF):]
    if literal is None or literal.type != "composite_literal":
        return None
    return _type_name(literal.child_by_field_name("type"))


def _operand_type(node: Node | None, typing: _Typing, depth: int) -> Typed | None:
    """The type of a receiver expression: a variable's, an assertion's or a conversion's (in
    this file: path ""), a field's (``v.f``, ``v.f.g``, as ``fields`` finds it), an element's,
    a method's result (``v.M()``, ``v.f.M()``, ``F().M()``)."""
    node = _unwrap(node)
    if node is None or depth >= _DEPTH:
        return None
    if node.type == "selector_expression":
        field = node.child_by_field_name("field")
        inner = _operand_type(node.child_by_field_name("operand"), typing, depth + 1)
        return typing.field(inner, _text(field)) if field is not None else None
    if node.type == "index_expression":  # xs[i]
        return _element(_operand_type(node.child_by_field_name("operand"), typing, depth + 1))
    if node.type == "slice_expression" or _operator(node) in ("&", "*"):
        # xs[i:j] is of the type of xs; &x and *p are typed as x and p (pointers are stripped)
        return _operand_type(node.child_by_field_name("operand"), typing, depth + 1)
    typed = _variable_type(node) if node.type == "identifier" else _expression_type(node)
    if isinstance(typed, _RangeValue) and typed.key:  # for k := range x.f
        inner = _operand_type(typed.over.child_by_field_name("operand"), typing, depth + 1)
        field = typed.over.child_by_field_name("field")
        return typing.field(inner, _text(field) + KEY_OF) if field is not None else None
    if isinstance(typed, _RangeValue):  # for _, v := range xs
        return _element(_operand_type(typed.over, typing, depth + 1))
    if isinstance(typed, _Value):  # v := x.f, v := xs[i], v := w, v, err := x.f.M()
        return _value_type(typed, typing, depth + 1)
    if typed is None and node.type == "call_expression":
        return _method_result(node, 0, typing, depth + 1)
    return ("", *typed) if typed is not None else None


def _operator(node: Node) -> str:
    """The operator of a unary expression ("" for any other node)."""
    operator = node.child_by_field_name("operator") if node.type == "unary_expression" else None
    return _text(operator) if operator is not None else ""


def _value_type(value: _Value, typing: _Typing, depth: int) -> Typed | None:
    """The type of the ``index``-th value of an expression a variable is declared with."""
    node = _unwrap(value.node)
    if node is not None and node.type == "call_expression":
        return _method_result(node, value.index, typing, depth)
    return _operand_type(node, typing, depth) if value.index == 0 else None


def _method_result(call: Node, index: int, typing: _Typing, depth: int) -> Typed | None:
    """The ``index``-th result of a method call ``x.M(...)`` whose receiver ``x`` is typed as a
    named type (declared with the method's receiver: the declaration tells, see
    :func:`result_of`); None for a call of a package's function (``pkg.F``, which
    :func:`_call_type` tells) or a receiver not typed."""
    function = _unwrap(call.child_by_field_name("function"))
    if function is None or function.type != "selector_expression":
        return None
    operand, method = (function.child_by_field_name("operand"),
                       function.child_by_field_name("field"))
    if operand is None or method is None or (operand.type == "identifier"
                                             and not _declared_in_function(operand)):
        return None  # (a package's function, or a package-level variable: not told)
    receiver = typing.named(_operand_type(operand, typing, depth + 1))
    if receiver is None or not _is_named(receiver[2]):
        return None
    return receiver[0], receiver[1], result_of(f"{receiver[2]}.{_text(method)}", index)


class _RangeValue:
    """The type of a ``for _, v := range xs`` value: an element of the type of ``xs``; with
    ``key``, of a ``for k := range x.f`` key: the key type of the map field ``f``."""

    def __init__(self, over: Node, key: bool = False) -> None:
        self.over = over
        self.key = key


class _Value:
    """The type of a variable declared with an expression that does not name its type by
    itself (``v := x.f``, ``v := xs[i]``, ``v := w``, ``v, err := x.M()``): that of the
    ``index``-th value of the expression, typed where the variable is used."""

    def __init__(self, node: Node, index: int) -> None:
        self.node = node
        self.index = index


def _unwrap(node: Node | None) -> Node | None:
    while node is not None and node.type == "parenthesized_expression" and node.named_children:
        node = node.named_children[0]
    return node


def _expression_type(node: Node | None) -> tuple[str, str] | None:
    """The type an expression names by itself: an assertion ``x.(T)``, a conversion
    ``pkg.T(x)`` (a qualified call: a package-level func of that name is no type, and is
    then not found as an interface), a composite literal ``T{...}`` or ``&T{...}``,
    ``new(T)`` or ``make(T, n)``."""
    node = _unwrap(node)
    if node is None:
        return None
    if node.type == "unary_expression" and node.child_by_field_name("operator") is not None \
            and _text(node.child_by_field_name("operator")) == "&":
        node = _unwrap(node.child_by_field_name("operand"))
        if node is None or node.type != "composite_literal":
            return None
    if node.type == "composite_literal":
        return _type_name(node.child_by_field_name("type"))
    if node.type == "type_assertion_expression":
        return _type_name(node.child_by_field_name("type"))
    if node.type == "call_expression":
        function = node.child_by_field_name("function")
        args = node.child_by_field_name("arguments")
        if (function is not None and function.type == "identifier" and _text(function) == "new"
                and args is not None and args.named_child_count == 1):
            return _named(args.named_children[0])
        if (function is not None and function.type == "identifier" and _text(function) == "make"
                and args is not None and args.named_child_count
                and not _declared_in_function(function)):
            return _type_name(args.named_children[0])  # make(map[K]V): what indexing gives
        return _call_type(node, 0)
    return None


def _named(node: Node) -> tuple[str, str] | None:
    """The type ``new``'s argument names: parsed as a type, or as an expression (``new(T)``,
    ``new(pkg.T)`` read as a value)."""
    if node.type == "identifier":
        return "", _text(node)
    if node.type == "selector_expression":
        operand, field = node.child_by_field_name("operand"), node.child_by_field_name("field")
        if operand is not None and operand.type == "identifier" and field is not None:
            return _text(operand), _text(field)
        return None
    return _type_name(node)


def _call_type(node: Node, index: int) -> tuple[str, str] | None:
    """The type a call ``pkg.F(...)`` gives as its ``index``-th value: with one argument,
    ``pkg.F`` may be a type (a conversion: the type's name) or a function (then its result: see
    :func:`result_of`); else it is a function, and the name is :func:`result_of` it. Which one
    it is, the package tells (:func:`function_result`). ``v.M(...)`` with ``v``'s type declared
    in the function is the result of the method ``T.M`` of that type; an unqualified ``F(...)``
    is of the file's own package."""
    function = _unwrap(node.child_by_field_name("function"))
    args = node.child_by_field_name("arguments")
    if function is not None and function.type == "identifier" and args is not None \
            and _declared_in_function(function):
        return _func_value_result(function, index)  # f(...) with f a local of a func type
    if (function is not None and function.type == "identifier" and args is not None
            and not _declared_in_function(function)):
        # F(x): a function, a conversion or a builtin of this package's scope, never one
        # outside the roots (but through a dot import): its own package's type.
        if index == 0 and args.named_child_count == 1:
            return "", _text(function)
        return "", result_of(_text(function), index)
    if function is None or function.type != "selector_expression" or args is None:
        return None
    operand, field = (function.child_by_field_name("operand"),
                      function.child_by_field_name("field"))
    if operand is None or operand.type != "identifier" or field is None:
        return None
    if _declared_in_function(operand):  # v.M(...): a method's result, where v's type is declared
        receiver = _variable_type(operand)  # (else not told here: see _method_result)
        if not isinstance(receiver, tuple) or not _is_named(receiver[1]):
            return None
        qualifier, typ = receiver
        return qualifier, result_of(f"{typ}.{_text(field)}", index)
    if index == 0 and args.named_child_count == 1:
        return _text(operand), _text(field)
    return _text(operand), result_of(_text(field), index)


def _func_value_result(variable: Node, index: int) -> tuple[str, str] | None:
    """The ``index``-th result type of a call of a variable of a func type, as its declaration
    in the function writes it (``get func() *pkg.T`` as a parameter or a ``var``, or ``get :=
    func() *pkg.T { ... }``)."""
    declaration = _innermost_declaration(variable)
    written = (_declaring_expression(declaration[2], _text(variable))
               if declaration is not None else None)
    written = _unwrap(written)
    if written is None or written.type not in ("function_type", "func_literal"):
        return None
    return _nth_result(written, index)


def _is_named(typ: str) -> bool:
    """Whether a type name from :func:`_type_name` is a named type (a method's receiver)."""
    return bool(typ) and typ[0].isalpha() and "(" not in typ and "." not in typ


def told_by_declarations(name: str) -> bool:
    """Whether a receiver's type name says a function's result, or an element of one or of a
    named container type: what the declarations in the package tell."""
    return (function_result(name) is not None or element_of_result(name) is not None
            or element_of_named(name) is not None)


def declared_type(data: bytes, name: str) -> tuple[str, str] | None:
    """(qualifier, type name) of the type a Go file's declaration says for a name
    :func:`told_by_declarations` accepts: a result's (``F()#0``, ``T.M()#1``: see
    :func:`result_type`), an element's of a result (``F()#0[]``) or of a named container type
    (``T[]``: see :func:`element_type`); a "" type name when the declaration says no such type
    (a result of no container asked as an element, a container asked as a receiver); None when
    the file declares no such thing."""
    container = element_of_named(name)
    if container is not None:
        return element_type(data, container)
    of = element_of_result(name)
    function, index = function_result(of if of is not None else name) or ("", 0)
    found = result_type(data, function, index) if function else None
    if found is None:
        return None
    qualifier, typ = found
    if (of is not None) != typ.startswith(ELEMENT_OF):
        return "", ""
    return qualifier, typ[len(ELEMENT_OF):] if of is not None else typ


def result_of(function: str, index: int) -> str:
    """How a receiver's type name says "the ``index``-th result of ``function``"."""
    return f"{function}()#{index}"


def function_result(name: str) -> tuple[str, int] | None:
    """(function, index) of a name made by :func:`result_of`, None for a type's name (and for
    an element of a result: see :func:`element_of_result`). A method's function is written
    ``T.M``."""
    function, marker, index = name.partition("()#")
    return (function, int(index)) if marker and index.isdigit() else None


def element_of_result(name: str) -> str | None:
    """The result (a :func:`result_of` name) whose element a name says (``F()#0[]``: what
    indexing or ranging over ``F``'s first result gives), None for any other name."""
    if name.endswith(ELEMENT_OF) and function_result(name[: -len(ELEMENT_OF)]) is not None:
        return name[: -len(ELEMENT_OF)]
    return None


def element_of_named(name: str) -> str | None:
    """The named type (``TagKeysSlice``) whose element a name says (``TagKeysSlice[]``: what
    indexing or ranging over a value of that type gives), None for any other name."""
    base = name[: -len(ELEMENT_OF)] if name.endswith(ELEMENT_OF) else ""
    return base if _is_named(base) else None


def element_type(data: bytes, type_name: str) -> tuple[str, str] | None:
    """(qualifier, type name) of the element of the named container type ``type_name`` that a
    Go file declares (``type Sources []*Source``: ``Source``; an array's, a map's value, a
    channel's), None when the file does not declare it or it is no container of a named
    type."""
    if re.search(rb"\b" + re.escape(type_name.encode()) + rb"\s+(?:\[|map\b|chan\b|<-)",
                 data) is None:
        return None
    tree = parse(data)
    stack = [tree.root_node]
    while stack:
        node = stack.pop()
        if node.type == "type_spec":
            name = node.child_by_field_name("name")
            if name is not None and _text(name) == type_name:
                typed = _type_name(node.child_by_field_name("type"))
                if typed is None or not typed[1].startswith(ELEMENT_OF):
                    return None
                return typed[0], typed[1][len(ELEMENT_OF):]
        elif node.type in ("source_file", "type_declaration"):
            stack.extend(node.named_children)
    return None


def result_type(data: bytes, function: str, index: int) -> tuple[str, str] | None:
    """(qualifier, type name) of the ``index``-th result of the package-level function
    ``function`` (or the method ``T.M``: of a type ``T`` or of an interface ``T``) that a Go
    file declares (a pointer's element type; a slice's is :data:`ELEMENT_OF` and its element's
    name), None when the file does not declare it or the result is no named type."""
    receiver, _, function = function.rpartition(".")
    declared = _function_declaration(data, function, receiver)
    if declared is None and receiver:
        declared = _interface_method(data, receiver, function)
    return _nth_result(declared, index) if declared is not None else None


def _function_declaration(data: bytes, function: str, receiver: str) -> Node | None:
    """The declaration of a package-level function (``receiver`` "") or of a method of the
    type ``receiver`` in a Go file."""
    pattern = (rb"(?m)^func\s+" if not receiver
               else rb"(?m)^func\s*\([^)]*\b" + re.escape(receiver.encode()) + rb"\s*\)\s*")
    if re.search(pattern + re.escape(function.encode()) + rb"\b", data) is None:
        return None
    kind = "method_declaration" if receiver else "function_declaration"
    for decl in parse(data).root_node.named_children:
        name = decl.child_by_field_name("name")
        if decl.type != kind or name is None or _text(name) != function:
            continue
        if not receiver or _receiver_name(decl) == receiver:
            return decl
    return None


def _interface_method(data: bytes, interface: str, method: str) -> Node | None:
    """The method ``method`` an interface type ``interface`` of a Go file declares itself (one
    of an embedded interface is not looked for)."""
    if re.search(rb"\b" + re.escape(interface.encode()) + rb"\s+interface\b", data) is None:
        return None
    for spec in _type_specs(parse(data).root_node):
        name, body = spec.child_by_field_name("name"), spec.child_by_field_name("type")
        if name is None or _text(name) != interface or body is None \
                or body.type != "interface_type":
            continue
        for elem in body.named_children:
            elem_name = elem.child_by_field_name("name")
            if elem.type in ("method_elem", "method_spec") and elem_name is not None \
                    and _text(elem_name) == method:
                return elem
    return None


def _type_specs(root: Node) -> Iterator[Node]:
    """The package-level type specs of a file."""
    for decl in root.named_children:
        if decl.type == "type_declaration":
            yield from (c for c in decl.named_children if c.type == "type_spec")


def _nth_result(declared: Node, index: int) -> tuple[str, str] | None:
    """(qualifier, type name) of the ``index``-th result of a function, method or interface
    method declaration."""
    result = declared.child_by_field_name("result")
    if result is None:
        return None
    if result.type != "parameter_list":
        return _type_name(result) if index == 0 else None
    types = []
    for item in result.named_children:
        if item.type == "parameter_declaration":
            names = len(item.children_by_field_name("name")) or 1
            types += [item.child_by_field_name("type")] * names
    return _type_name(types[index]) if index < len(types) else None


def _type_name(node: Node | None) -> tuple[str, str] | None:
    node = _unpointer(node)
    if node is None:
        return None
    if node.type == "qualified_type":
        package, name = node.child_by_field_name("package"), node.child_by_field_name("name")
        if package is not None and name is not None:
            return _text(package), _text(name)
        return None
    if node.type == "type_identifier":
        return "", _text(node)
    element = _ELEMENTS.get(node.type)
    if element is not None:  # what indexing it, or ranging over it, gives: "[]" + its name
        inner = _type_name(node.child_by_field_name(element))
        return (inner[0], ELEMENT_OF + inner[1]) if inner is not None else None
    return "", node.type  # another type (a literal, a generic one): not an outside interface


# The types whose index (or range value) is of another type, by the field that names it; their
# type name is ELEMENT_OF and that type's (a map's key type is not followed).
_ELEMENTS = {"slice_type": "element", "array_type": "element", "map_type": "value",
             "channel_type": "value"}
ELEMENT_OF = "[]"


def _element(typed: tuple[str, str, str] | None) -> tuple[str, str, str] | None:
    """The type of an element of a container type (of a function's result, or of a named
    type: marked, for the package to tell, see :func:`element_of_result` and
    :func:`element_of_named`), None for any other type."""
    if typed is None:
        return None
    if typed[2].startswith(ELEMENT_OF):
        return typed[0], typed[1], typed[2][len(ELEMENT_OF):]
    if function_result(typed[2]) is not None or _is_named(typed[2]):
        return typed[0], typed[1], typed[2] + ELEMENT_OF  # (the package tells)
    return None


def _receiver_name(method: Node) -> str:
    """The type name of a method declaration's receiver (``T`` of ``func (r *T) M()``)."""
    receiver = method.child_by_field_name("receiver")
    params = [c for c in receiver.named_children if c.type == "parameter_declaration"] \
        if receiver is not None else []
    typed = _type_name(params[0].child_by_field_name("type")) if len(params) == 1 else None
    return typed[1] if typed is not None else ""


# What a declaration says of a variable's type: (qualifier, type name), or what to type it by.
_Declared = tuple[str, str] | _RangeValue | _Value | None


def _variable_type(ident: Node) -> _Declared:
    """The type the innermost declaration of a variable before its use gives it, searched in
    the enclosing functions (innermost first), then among the file's package-level vars
    (``var cached []books.Book``)."""
    innermost = _innermost_declaration(ident)
    if innermost is not None:
        return innermost[1]
    return _package_level_var(ident)


def _package_level_var(ident: Node) -> _Declared:
    """The type a package-level ``var`` of the use's file gives a name, or None."""
    name, top = _text(ident), ident
    while top.parent is not None:
        top = top.parent
    for declaration in top.named_children:
        if declaration.type != "var_declaration":
            continue
        specs = [c for c in declaration.named_children if c.type == "var_spec"]
        for group in (c for c in declaration.named_children if c.type == "var_spec_list"):
            specs += [c for c in group.named_children if c.type == "var_spec"]
        for spec in specs:
            if _names(spec, "name", name):
                declared = spec.child_by_field_name("type")
                if declared is not None:
                    return _type_name(declared)
                return _assigned(spec.children_by_field_name("name"),
                                 spec.child_by_field_name("value"), name)
    return None


def _declared_in_function(ident: Node) -> bool:
    """Whether a name is declared before its use in a function around it (a local, a
    parameter), typed or not: then it is no package-level name."""
    return _innermost_declaration(ident) is not None


def _innermost_declaration(ident: Node) -> tuple[int, _Declared, Node] | None:
    """(start byte, the type it gives or None, the declaring node) of the innermost
    declaration of a name before its use, in the functions around it (innermost first); None
    when none declares it."""
    name, at = _text(ident), ident.start_byte
    for function in _functions_around(ident):
        best: tuple[int, _Declared, Node] | None = None
        for start, typed, node in _declarations(function, name, ident):
            if start < at and (best is None or start > best[0]):
                best = (start, typed, node)
        if best is not None:
            return best
    return None


def _functions_around(node: Node) -> Iterator[Node]:
    current = node.parent
    while current is not None:
        if current.type in _FUNCTIONS:
            yield current
        current = current.parent


def _declarations(function: Node, name: str, use: Node
                  ) -> Iterator[tuple[int, _Declared, Node]]:
    """(start byte, the type it gives or None, the declaring node) of each declaration of
    ``name`` in a function (not in the func literals inside it) whose scope holds ``use``."""
    stack = [function]
    while stack:
        node = stack.pop()
        for child in node.named_children:
            if child.type == "func_literal":
                continue
            stack.append(child)
        typed = _declared(node, name, use)
        if typed is not None:
            yield node.start_byte, typed[0], node


def _declared(node: Node, name: str, use: Node
              ) -> tuple[_Declared] | None:
    """When ``node`` declares ``name`` for ``use``: a 1-tuple of the type it gives it (None:
    not told); else None."""
    kind = node.type
    if kind == "parameter_declaration" and _names(node, "name", name):
        return (_type_name(node.child_by_field_name("type")),)
    if (kind == "var_spec" and _names(node, "name", name) and _after(node, use)
            and _holds(_statement_scope(node), use)):
        declared = node.child_by_field_name("type")
        if declared is not None:
            return (_type_name(declared),)
        return (_assigned(node.children_by_field_name("name"), node.child_by_field_name("value"),
                          name),)
    if kind == "short_var_declaration" and _after(node, use) and _holds(node.parent, use):
        left = node.child_by_field_name("left")
        if left is not None and _names(left, None, name):
            return (_assigned(left.named_children, node.child_by_field_name("right"), name),)
    if kind == "range_clause" and _after(node, use) and _holds(node.parent, use):
        left = node.child_by_field_name("left")
        names = left.named_children if left is not None else []
        if any(k.type == "identifier" and _text(k) == name for k in names):
            over = node.child_by_field_name("right")
            if len(names) == 2 and _text(names[1]) == name:
                return (_RangeValue(over),)
            key = _map_key(over, 0)  # (the key of a map, else not followed)
            field = _unwrap(over)
            if key is None and field is not None and field.type == "selector_expression":
                return (_RangeValue(field, key=True),)  # range x.f: the key type of field f
            return (key,)
    if kind == "type_switch_statement":
        alias = node.child_by_field_name("alias")
        if alias is not None and _names(alias, None, name):
            return (_case_type(node, use),) if _holds(node, use) else None
    return None


def _names(node: Node, field: str | None, name: str) -> bool:
    kids = node.children_by_field_name(field) if field else node.named_children
    return any(k.type == "identifier" and _text(k) == name for k in kids)


def _holds(scope: Node | None, use: Node) -> bool:
    """Whether ``use`` lies within ``scope`` (a declaration's enclosing block or statement)."""
    return scope is not None and scope.start_byte <= use.start_byte < scope.end_byte


def _after(declaration: Node, use: Node) -> bool:
    """Whether ``use`` follows a variable declaration: a variable's scope begins at the end of
    its declaration, so in ``x := x.next`` (or ``for _, x := range x.items``) the ``x`` on the
    right is another variable, declared before."""
    return use.start_byte >= declaration.end_byte


def _statement_scope(spec: Node) -> Node | None:
    """The block or statement a ``var`` declaration's names are declared in."""
    node = spec.parent
    while node is not None and node.type in ("var_spec_list", "var_declaration"):
        node = node.parent
    return node


def _assigned(lefts: list[Node], right: Node | None, name: str) -> _Declared:
    """The type the values of ``lefts := right`` give ``name``: an assertion, a conversion or
    a qualified function's result (``v, ok := x.(T)`` types its first name, ``f, err :=
    elf.NewFile(r)`` its first by the function's first result), else the value it is given, to
    be typed at the use (:class:`_Value`: another variable, a field, an element, a method's
    result; ``v, ok := m[k]`` types ``v`` by the map's value); None for anything else."""
    values = right.named_children if right is not None else []
    position = next((i for i, k in enumerate(lefts) if _text(k) == name), -1)
    if position < 0:
        return None
    if len(values) == len(lefts):
        typed = _expression_type(values[position])
        return typed if typed is not None else _Value(values[position], 0)
    single = _unwrap(values[0]) if len(values) == 1 else None
    if position == 0 and single is not None and single.type == "type_assertion_expression":
        return _expression_type(single)
    if single is not None and single.type == "call_expression":  # v, err := pkg.F(x)
        typed = _call_type(single, position)
        return typed if typed is not None else _Value(single, position)
    if position == 0 and single is not None and single.type == "index_expression":
        return _Value(single, 0)  # v, ok := m[k]
    return None


def _map_key(over: Node | None, depth: int) -> tuple[str, str] | None:
    """The key type of a map that a ``range`` ranges over, when the function writes the map's
    type: a local variable or parameter declared with it (``m := make(map[*syntax.Name]T)``,
    ``var m map[K]V``, ``m := map[K]V{...}``), or the map expression itself."""
    node = _unwrap(over)
    if node is not None and node.type == "identifier" and depth < _DEPTH:
        declaration = _innermost_declaration(node)
        return (_map_key(_declaring_expression(declaration[2], _text(node)), depth + 1)
                if declaration is not None else None)
    if node is not None and node.type == "call_expression":  # make(map[K]V, n)
        function, args = node.child_by_field_name("function"), node.child_by_field_name("arguments")
        node = (args.named_children[0] if function is not None and _text(function) == "make"
                and args is not None and args.named_child_count else None)
    elif node is not None and node.type == "composite_literal":
        node = node.child_by_field_name("type")
    if node is None or node.type != "map_type":
        return None
    return _type_name(node.child_by_field_name("key"))


def _declaring_expression(declaration: Node, name: str) -> Node | None:
    """The type (or, without one, the value) a declaration gives ``name``: a parameter's or a
    ``var``'s type, the value a ``var`` or ``:=`` assigns it one to one."""
    if declaration.type == "parameter_declaration":
        return declaration.child_by_field_name("type")
    if declaration.type == "var_spec":
        if declaration.child_by_field_name("type") is not None:
            return declaration.child_by_field_name("type")
        lefts, right = (declaration.children_by_field_name("name"),
                        declaration.child_by_field_name("value"))
    elif declaration.type == "short_var_declaration":
        left, right = (declaration.child_by_field_name("left"),
                       declaration.child_by_field_name("right"))
        lefts = left.named_children if left is not None else []
    else:
        return None
    values = right.named_children if right is not None else []
    position = next((i for i, k in enumerate(lefts) if _text(k) == name), -1)
    return values[position] if 0 <= position and len(values) == len(lefts) else None


def _case_type(switch: Node, use: Node) -> tuple[str, str] | None:
    """The type a type switch's variable has at ``use``: that of its case, when the case names
    one type (else the switched value's: not told)."""
    for case in switch.named_children:
        if case.type == "type_case" and _holds(case, use):
            types = case.children_by_field_name("type")
            return _type_name(types[0]) if len(types) == 1 else None
    return None


def _text(node: Node) -> str:
    return node.text.decode("utf-8", "replace")


def _folder(path: str) -> str:
    return path.rpartition("/")[0]
