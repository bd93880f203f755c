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
        self._found: dict[tuple[str, str, str], tuple[str, str, str] | None] = {}

    def tree(self, path: str) -> Any:
        if path not in self.trees:
            self.trees[path] = _tree(self.root / path)
        return self.trees[path]

    def type_of(self, user: str, struct: str, field: str) -> tuple[str, str, str] | None:
        """(the declaring file, qualifier, type name) of field ``field`` of the struct
        ``struct`` of the package of file ``user`` (or of the file itself when ``user`` is
        ""), when one of its files declares it with a named type."""
        key = (_folder(user), struct, field)
        if key not in self._found:
            self._found[key] = self._search(*key)
        return self._found[key]

    def _search(self, folder: str, struct: str, field: str) -> tuple[str, str, str] | None:
        declaring = re.compile(rb"(?m)(?:\btype\s+|^\s*)" + re.escape(struct.encode())
                               + rb"(?:\[[^\]]*\])?\s+struct\b")
        try:
            names = sorted(n for n in os.listdir(self.root / folder) if n.endswith(".go"))
        except OSError:
            return None
        for name in names:
            rel = f"{folder}/{name}" if folder else name
            try:
                data = (self.root / rel).read_bytes()
            except OSError:
                continue
            if declaring.search(data) is None:
                continue
            tree = self.trees.get(rel)
            if tree is None:
                tree = self.trees[rel] = parse(data)  # (from the bytes read: not read again)
            found = _struct_field_type(tree, struct, field)
            if found is not None:
                return (rel, *found)
        return None


def _struct_field_type(tree: Any, struct: str, field: str) -> tuple[str, str] | None:
    """(qualifier, type name) of a named field of a package-level struct type of a file."""
    for decl in tree.root_node.named_children:
        if decl.type != "type_declaration":
            continue
        for spec in decl.named_children:
            name, body = spec.child_by_field_name("name"), spec.child_by_field_name("type")
            if (spec.type != "type_spec" or name is None or _text(name) != struct
                    or body is None or body.type != "struct_type"):
                continue
            for fields in body.named_children:
                for item in fields.named_children:
                    if (item.type == "field_declaration"
                            and _names_field(item, field)):
                        return _type_name(item.child_by_field_name("type"))
    return None


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


def receiver_type(tree: Any, byte: int, fields: FieldTypes) -> tuple[str, str, str] | None:
    """(the file whose imports the qualifier is of, "" for this one; qualifier; type name) of
    the receiver of the call or selector whose name starts at ``byte``, as its function types it
    ("" qualifier: a type of that file's package, or predeclared), following fields of structs
    (``fields``, which says where a struct is and what file a field's type is written in); None
    when nothing says (see the module doc)."""
    name = tree.root_node.descendant_for_byte_range(byte, byte + 1)
    selector = name.parent if name is not None else None
    if selector is None or selector.type != "selector_expression":
        return None
    return _operand_type(selector.child_by_field_name("operand"), fields, 0)


def _operand_type(node: Node | None, fields: FieldTypes, depth: int
                  ) -> tuple[str, str, str] | None:
    """The type of a receiver expression: a variable's, an assertion's or a conversion's (in
    this file: path ""), a field's (``v.f``, ``v.f.g``, as ``fields`` finds it), an element's."""
    node = _unwrap(node)
    if node is None:
        return None
    if node.type == "selector_expression" and depth < 4:
        inner = _operand_type(node.child_by_field_name("operand"), fields, depth + 1)
        field = node.child_by_field_name("field")
        if inner is None or field is None:
            return None
        return fields(*inner, _text(field))
    if node.type == "index_expression" and depth < 4:  # xs[i]
        return _element(_operand_type(node.child_by_field_name("operand"), fields, depth + 1))
    typed = _variable_type(node) if node.type == "identifier" else _expression_type(node)
    if isinstance(typed, _RangeValue):  # for _, v := range xs
        if depth >= 4:
            return None
        return _element(_operand_type(typed.over, fields, depth + 1))
    return ("", *typed) if typed is not None else None


class _RangeValue:
    """The type of a ``for _, v := range xs`` value: an element of the type of ``xs``."""

    def __init__(self, over: Node) -> None:
        self.over = over


def _unwrap(node: Node | None) -> Node | None:
    while node is not None and node.type == "parenthesized_expression" and node.named_children:
        node = node.named_children[0]
    return node


def _expression_type(node: Node | None) -> tuple[str, str] | None:
    """The type an expression names by itself: an assertion ``x.(T)``, a conversion
    ``pkg.T(x)`` (a qualified call: a package-level func of that name is no type, and is
    then not found as an interface), a composite literal ``T{...}`` or ``&T{...}``, or
    ``new(T)``."""
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
    if (function is not None and function.type == "identifier" and args is not None
            and not _declared_in_function(function)):
        # F(x): a function, a conversion or a builtin of this package's scope, never one
        # outside the roots (but through a dot import): its own package's type. (A variable
        # of a func type, a parameter say, is not told.)
        if index == 0 and args.named_child_count == 1:
            return "", _text(function)
        return "", result_of(_text(function), index)
    if function is None or function.type != "selector_expression" or args is None:
        return None
    operand, field = (function.child_by_field_name("operand"),
                      function.child_by_field_name("field"))
    if operand is None or operand.type != "identifier" or field is None:
        return None
    receiver = _variable_type(operand)
    if isinstance(receiver, tuple):  # v.M(...): a method's result, where v's type is declared
        qualifier, typ = receiver
        return (qualifier, result_of(f"{typ}.{_text(field)}", index)) if _is_named(typ) else None
    if index == 0 and args.named_child_count == 1:
        return _text(operand), _text(field)
    return _text(operand), result_of(_text(field), index)


def _is_named(typ: str) -> bool:
    """Whether a type name from :func:`_type_name` is a named type (a method's receiver)."""
    return bool(typ) and typ[0].isalpha() and "(" not in typ


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
    ``function`` (or the method ``T.M``) that a Go file declares (a pointer's element type; a
    slice's is :data:`ELEMENT_OF` and its element's name), None when the file does not declare
    it or the result is no named type."""
    receiver, _, function = function.rpartition(".")
    pattern = (rb"(?m)^func\s+" if not receiver
               else rb"(?m)^func\s*\([^)]*\b" + re.escape(receiver.encode()) + rb"\s*\)\s*")
    if re.search(pattern + re.escape(function.encode()) + rb"\b", data) is None:
        return None
    tree = parse(data)
    kind = "method_declaration" if receiver else "function_declaration"
    for decl in tree.root_node.named_children:
        name = decl.child_by_field_name("name")
        if decl.type != kind or name is None or _text(name) != function:
            continue
        if receiver and _receiver_name(decl) != receiver:
            continue
        result = decl.child_by_field_name("result")
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
    return None


def _type_name(node: Node | None) -> tuple[str, str] | None:
    while node is not None and node.type in ("pointer_type", "parenthesized_type"):
        node = node.named_children[0] if node.named_children else None
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


def _variable_type(ident: Node) -> tuple[str, str] | _RangeValue | None:
    """The type the innermost declaration of a variable before its use gives it, searched in
    the enclosing functions (innermost first)."""
    innermost = _innermost_declaration(ident)
    return innermost[1] if innermost is not None else None


def _declared_in_function(ident: Node) -> bool:
    """Whether a name is declared before its use in a function around it (a local, a
    parameter), typed or not: then it is no package-level name."""
    return _innermost_declaration(ident) is not None


def _innermost_declaration(ident: Node
                           ) -> tuple[int, tuple[str, str] | _RangeValue | None] | None:
    """(start byte, the type it gives or None) of the innermost declaration of a name before
    its use, in the functions around it (innermost first); None when none declares it."""
    name, at = _text(ident), ident.start_byte
    for function in _functions_around(ident):
        best: tuple[int, tuple[str, str] | _RangeValue | None] | None = None
        for start, typed in _declarations(function, name, ident):
            if start < at and (best is None or start > best[0]):
                best = (start, typed)
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
                  ) -> Iterator[tuple[int, tuple[str, str] | _RangeValue | None]]:
    """(start byte, the type it gives or None) of each declaration of ``name`` in a function
    (not in the func literals inside it) whose scope holds ``use``."""
    stack = [function]
    while stack:
        node = stack.pop()
        for child in node.named_children:
            if child.type == "func_literal":
                continue
            stack.append(child)
        typed = _declared(node, name, use)
        if typed is not None:
            yield node.start_byte, typed[0]


def _declared(node: Node, name: str, use: Node
              ) -> tuple[tuple[str, str] | _RangeValue | None] | None:
    """When ``node`` declares ``name`` for ``use``: a 1-tuple of the type it gives it (None:
    not told); else None."""
    kind = node.type
    if kind == "parameter_declaration" and _names(node, "name", name):
        return (_type_name(node.child_by_field_name("type")),)
    if kind == "var_spec" and _names(node, "name", name) and _holds(_statement_scope(node), use):
        declared = node.child_by_field_name("type")
        if declared is not None:
            return (_type_name(declared),)
        return (_assigned(node.children_by_field_name("name"), node.child_by_field_name("value"),
                          name),)
    if kind == "short_var_declaration" and _holds(node.parent, use):
        left = node.child_by_field_name("left")
        if left is not None and _names(left, None, name):
            return (_assigned(left.named_children, node.child_by_field_name("right"), name),)
    if kind == "range_clause" and _holds(node.parent, use):
        left = node.child_by_field_name("left")
        names = left.named_children if left is not None else []
        if any(k.type == "identifier" and _text(k) == name for k in names):
            value = len(names) == 2 and _text(names[1]) == name  # (a key: not followed)
            return (_RangeValue(node.child_by_field_name("right")) if value else None,)
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


def _statement_scope(spec: Node) -> Node | None:
    """The block or statement a ``var`` declaration's names are declared in."""
    node = spec.parent
    while node is not None and node.type in ("var_spec_list", "var_declaration"):
        node = node.parent
    return node


def _assigned(lefts: list[Node], right: Node | None, name: str) -> tuple[str, str] | None:
    """The type the values of ``lefts := right`` give ``name``: an assertion, a conversion or
    a qualified function's result (``v, ok := x.(T)`` types its first name, ``f, err :=
    elf.NewFile(r)`` its first by the function's first result); None for anything else."""
    values = right.named_children if right is not None else []
    position = next((i for i, k in enumerate(lefts) if _text(k) == name), -1)
    if position < 0:
        return None
    if len(values) == len(lefts):
        return _expression_type(values[position])
    single = _unwrap(values[0]) if len(values) == 1 else None
    if position == 0 and single is not None and single.type == "type_assertion_expression":
        return _expression_type(single)
    if single is not None and single.type == "call_expression":  # v, err := pkg.F(x)
        return _call_type(single, position)
    return None


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
