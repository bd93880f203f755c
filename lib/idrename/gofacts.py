"""What the compatibility analysis reads from the Go source, by syntax only: structs and their
tags, encode/decode sites, HTTP routes, and the other meanings of the term's first word.

Every Go file gives its own facts (:func:`file_facts`): its top-level structs with their fields
and tags; its *codecs*, the calls that encode or decode a value whose type the enclosing function
shows (``json.Unmarshal(b, &req)`` with ``var req ChatRequest``); its route registrations
(``mux.HandleFunc("POST /api/chat", rt.handleChat)``); and the tokens that spell the first word
of the term (``RunInference``). They come from one parse and three tree-sitter queries, so the
per-file work is small, independent, and done in parallel (an executor, or a process pool of our
own for a large tree) and cached per file like the inventory (:mod:`idrename.cache`, keyed by
the tool version, the first word, the path and the content). :class:`GoFacts` merges them, in
path order, and answers the analysis's questions.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .cache import named_indexes
from .localwire import CodedCall, LocalFacts
from .spec import Spec, split_words

if TYPE_CHECKING:
    from .batches import Batches
    from .memo import Inputs, StageMemo

Node = Any  # tree_sitter.Node

# The argument a decoding call fills: json.Unmarshal(data, &v), dec.Decode(&v); a package's
# Decode(data, &v) and DecodeFile(path, &v) (BurntSushi/toml) fill their last (see _codec).
_DECODE_METHODS = {"Unmarshal": 1, "Decode": 0, "DecodeFile": 1}
_BIND_METHODS = frozenset({"Bind", "BindJSON", "ShouldBind", "ShouldBindJSON", "BindQuery",
                           "ShouldBindQuery", "BindYAML", "ShouldBindYAML", "BodyParser"})
_ENCODE_METHODS = {"Marshal": 0, "MarshalIndent": 0, "Encode": 0}
_RESPONSE_METHODS = frozenset({"JSON", "IndentedJSON", "PureJSON", "YAML", "XML"})
# The encoding a method names whatever it is called on (gin's ``c.JSON``, ``c.ShouldBindJSON``).
_METHOD_FAMILY = {"JSON": "json", "IndentedJSON": "json", "PureJSON": "json", "BindJSON": "json",
                  "ShouldBindJSON": "json", "YAML": "yaml", "BindYAML": "yaml",
                  "ShouldBindYAML": "yaml", "XML": "xml"}
# Import paths whose codec reads another family's tags: these YAML packages convert through
# encoding/json, so a struct's JSON names are its YAML keys.
# (json-iterator is imported from a folder named go.)
_PATH_FAMILY = {"sigs.k8s.io/yaml": "json", "github.com/ghodss/yaml": "json",
                "github.com/invopop/yaml": "json", "github.com/json-iterator/go": "json"}
# A codec package's name (as the import path's last element gives it) -> its family.
_PACKAGE_FAMILY = {"json": "json", "jsoniter": "json", "xml": "xml", "yaml": "yaml",
                   "toml": "toml", "gob": "gob", "msgpack": "msgpack", "msgp": "msgpack",
                   "codec": "codec"}
_CODER_CONSTRUCTORS = frozenset({"NewEncoder", "NewDecoder"})
_ANY_RE = re.compile(r"any|interface\s*\{\s*\}")
_WRAPPER_DEPTH = 3  # wrappers of wrappers followed (encodeMessage -> send -> Encode)
# gorm's AutoMigrate(&Turn{}, &Step{}): each argument's type is a model, whose fields gorm stores
# in columns named after them (see idrename.wirefields)
_STORE_METHODS = frozenset({"AutoMigrate"})
_BOUND_BODY = "Body"  # fiber v3's `c.Bind().Body(&v)`: the body, in the encoding its type names
_CODEC_METHODS = sorted({*_DECODE_METHODS, *_BIND_METHODS, *_ENCODE_METHODS, *_RESPONSE_METHODS,
                         *_STORE_METHODS})
_SKIP_DIRS = frozenset({".git", "vendor", "node_modules", "testdata", ".hg", ".svn", "__pycache__"})
_ROUTE_RE = re.compile(r"^(?:[A-Z]+\s+)?(?:[A-Za-z0-9.:-]+)?(/[^\s]*)$")
_WORD_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_FUNCTIONS = ("function_declaration", "method_declaration")
_REQUEST_TYPE_RE = re.compile(
    r"\bhttp\.Request\b|\bgin\.Context\b|\becho\.Context\b|\bfiber\.Ctx\b")
# what a request sends: r.Body, gin's c.Request.Body, echo's c.Request().Body
_BODY_RE = re.compile(r"\w+(?:\.Request(?:\(\))?)?\.Body")
PARALLEL_MIN_FILES = 200  # fewer files than this are read here, without a pool
_MEMO_STAGE = "go-facts"
_BATCH = 32

# One file's facts, marshal-able (the cache stores them): structs, codecs, routes, tokens, and
# the logger-like functions with fixed parameters.
StructFacts = tuple[str, tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...]]
# type, action, source, line, function, family (the encoding: "json", "gob", ... or "" unknown),
# and the index of the function's parameter (typed interface{} or any) that is the value coded,
# -1 for another value: the function is then a wrapper of the codec (see GoFacts._follow_wrappers)
CodecFacts = tuple[str, str, str, int, str, str, int]
# A function or method declared with the name of a logger's key-value method and a fixed list of
# parameters: (name, its line, its declaration's text up to the parameters' end, the number of
# its parameters).
FixedFacts = tuple[str, int, str, int]
# A method of a type that encoding/json calls instead of reading its fields' tags: (the type,
# the method, its line, whether idrename wrote it).
MethodFacts = tuple[str, str, int, bool]
# A package-level type declared as another type that is not a struct (``type List []item``,
# ``type Index map[string]*Entry``, ``type Admin User``, ``type Rows = []Row``): its name and
# the type's text. A value of it is coded as that type is, so a codec carries along to it.
NamedFacts = tuple[str, str]
FileFacts = tuple[tuple[StructFacts, ...], tuple[CodecFacts, ...], tuple[tuple[str, str], ...],
                  tuple[str, ...], tuple[FixedFacts, ...], tuple[MethodFacts, ...],
                  tuple[NamedFacts, ...], tuple[LocalFacts, ...]]
# The methods that encoding/json calls in place of a struct's tags (a TextMarshaler encodes as a
# JSON string, and a TextUnmarshaler decodes only from one).
JSON_METHODS = ("MarshalJSON", "UnmarshalJSON", "MarshalText", "UnmarshalText")
_JSON_METHOD_RE = re.compile(
    rb"^func[ \t]*\([ \t]*(?:\w+[ \t]+)?\*?[ \t]*(\w+)(?:\[[^\]\n]*\])?[ \t]*\)[ \t]*("
    + b"|".join(m.encode() for m in JSON_METHODS) + rb")[ \t]*\(", re.MULTILINE)


# -- small helpers -------------------------------------------------------------------------------
def _text(node: Node) -> str:
    return node.text.decode("utf-8", "replace")


def _ancestor(node: Node | None, types: Iterable[str]) -> Node | None:
    wanted = set(types)
    while node is not None and node.type not in wanted:
        node = node.parent
    return node


def _unquote(literal: str) -> str:
    if len(literal) >= 2 and literal[0] in "\"`'" and literal[-1] == literal[0]:
        return literal[1:-1]
    return literal


def _base_type(type_text: str) -> str:
    """``*pkg.T``, ``[]T``, ``map[string]T`` -> ``T``."""
    text = type_text.strip()
    while True:
        if text.startswith("*"):
            text = text[1:]
        elif text.startswith("[]"):
            text = text[2:]
        elif text.startswith("map["):
            depth, i = 0, 3
            for i in range(3, len(text)):
                depth += {"[": 1, "]": -1}.get(text[i], 0)
                if depth == 0:
                    break
            text = text[i + 1 :]
        else:
            break
    text = text.split("[", 1)[0]
    return text.rsplit(".", 1)[-1].strip()


def _named_type(type_text: str) -> str:
    """``*pkg.T``, ``[]T``, ``map[string]pkg.T`` -> ``pkg.T`` or ``T``: the type's name with the
    package it was written with, if any (see :func:`_split_qualifier`)."""
    base = _base_type(type_text)
    text = type_text.strip()
    qualified = re.search(rf"(\w+)\s*\.\s*{re.escape(base)}\s*(?:\[.*)?$", text) if base else None
    return f"{qualified.group(1)}.{base}" if qualified else base


def _folder(root: str, path: str) -> str:
    """The folder (``root/dir``) of a file under a root: a Go package's identity here (as
    ``PurePosixPath(root, path).parent`` says it, for the clean relative paths of the roots,
    without its cost)."""
    return f"{root}/{path}".rpartition("/")[0]


def _split_qualifier(type_name: str) -> tuple[str, str]:
    """``pkg.T`` -> (``pkg``, ``T``); ``T`` -> ("", ``T``)."""
    qualifier, _, name = type_name.rpartition(".")
    return qualifier, name


def _words_lower(token: str) -> list[str]:
    return [w.text.lower() for w in split_words(token)]


def _descendants(node: Node, node_type: str) -> Iterable[Node]:
    stack = list(reversed(node.named_children))
    while stack:
        n = stack.pop()
        if n.type == node_type:
            yield n
        stack.extend(reversed(n.named_children))


def _start(node: Node) -> int:
    return node.start_byte


def _parse_tags(tag: str) -> dict[str, str]:
    return {m.group(1): m.group(2) for m in re.finditer(r'([A-Za-z_][\w.-]*):"((?:[^"\\]|\\.)*)"',
                                                         _unquote(tag))}


def _handler_name(arg: Node) -> str:
    if arg.type == "identifier":
        return _text(arg)
    if arg.type == "selector_expression":
        f = arg.child_by_field_name("field")
        return _text(f) if f is not None else ""
    if arg.type == "call_expression":  # http.HandlerFunc(rt.handle)
        args = arg.child_by_field_name("arguments")
        if args is not None and args.named_children:
            return _handler_name(args.named_children[0])
    return ""


def _value_type(value: Node) -> str:
    if value.type == "unary_expression":
        operand = value.child_by_field_name("operand")
        return _value_type(operand) if operand is not None else ""
    if value.type == "composite_literal":
        typ = value.child_by_field_name("type")
        return _named_type(_text(typ)) if typ is not None else ""
    if value.type == "call_expression":
        fn = value.child_by_field_name("function")
        args = value.child_by_field_name("arguments")
        if fn is not None and _text(fn) == "new" and args is not None and args.named_children:
            return _named_type(_text(args.named_children[0]))
    return ""


def _target_type(arg: Node, types: Mapping[str, str]) -> str:
    if arg.type == "unary_expression":
        operand = arg.child_by_field_name("operand")
        return _target_type(operand, types) if operand is not None else ""
    if arg.type == "identifier":
        return types.get(_text(arg), "")
    if arg.type == "selector_expression":  # x.Field: unknown type without type checking
        return ""
    return _value_type(arg)


# -- one file ------------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _query() -> Any:
    from .gosyntax import go_query

    # (and fiber v3's `c.Bind().Body(&v)`: a declaration holding it holds `Bind`, which
    # :func:`_wanted` finds)
    methods = " ".join(f'"{m}"' for m in (*_CODEC_METHODS, _BOUND_BODY))
    named = "[(slice_type) (array_type) (map_type) (pointer_type) (type_identifier) " \
        "(qualified_type)]"
    return go_query(f"""
        (type_spec name: (type_identifier) type: (struct_type)) @struct
        (type_spec name: (type_identifier) type: {named}) @named
        (type_alias name: (type_identifier) type: {named}) @named
        ((call_expression function: (selector_expression field: (field_identifier) @method))
            @codec (#any-of? @method {methods}))
        (call_expression arguments: (argument_list . (interpreted_string_literal))) @route
    """)


@lru_cache(maxsize=1)
def _wanted() -> tuple[re.Pattern[bytes], ...]:
    """What a top-level declaration must hold for :func:`file_facts` to parse it: a struct, a
    codec method's name, or a string literal that starts like a route (see ``_ROUTE_RE``). Each
    pattern starts with a literal or a set, which ``re`` finds fast; they find a little more
    than they must (any first letter of a method with any rest), never less."""
    firsts = "".join(sorted({m[0] for m in _CODEC_METHODS}))
    rests = "|".join(sorted({m[1:] for m in _CODEC_METHODS}, key=len, reverse=True))
    return (re.compile(rb"struct\b"), re.compile(f"[{firsts}](?:{rests})\\b".encode()),
            re.compile(rb'"(?:[A-Z]+\s+)?[A-Za-z0-9.:-]*/'), _NAMED_TYPE_RE)


# A type declared as a slice, array, map or pointer, or as another named type alone on its line
# (not ``struct {``, ``interface {`` nor ``func(``), or a group of type declarations.
# (A declaration's text is searched from its first byte: no newline before ``type``.)
_NAMED_TYPE_RE = re.compile(rb"type[ \t]*\(|type[ \t]+\w+[ \t]+(?:=[ \t]*)?"
                            rb"(?:\[|map\[|\*|[A-Za-z_][\w.]*[ \t]*(?://[^\n]*)?\n)")


def _lines_with(data: bytes, word: bytes) -> list[bytes]:
    """The lines of ``data`` that hold ``word`` (lower case) in any case: the word is found as a
    literal in the lower-cased text (ASCII only, so offsets stay), each line taken once."""
    lower = data.lower()
    out = []
    at = lower.find(word)
    while at >= 0:
        end = lower.find(b"\n", at)
        if end < 0:
            end = len(data)
        out.append(data[lower.rfind(b"\n", 0, at) + 1 : end])
        at = lower.find(word, end)
    return out


def file_facts(path: str, data: bytes, first: str) -> FileFacts:
    """The facts of one Go file (``path`` relative to its root; ``first``: the term's first
    word, lower case). A test file gives only its tokens and its own coded structs
    (:mod:`idrename.localwire`)."""
    tokens: tuple[str, ...] = ()
    lines = _lines_with(data, first.encode())  # a token never spans lines
    if lines:
        found = set(_WORD_RE.findall(b"\n".join(lines).decode("utf-8", "replace")))
        tokens = tuple(sorted(t for t in found if first in t.lower()))
    fixed = _fixed_log_methods(data)
    methods = _json_methods(data)
    is_test = path.endswith("_test.go")
    if is_test and not (lines and _wanted()[1].search(data)):
        return (), (), (), tokens, fixed, methods, (), ()
    import tree_sitter

    from .godecls import parse_wanted

    root = parse_wanted(data, _wanted()).root_node
    structs: list[StructFacts] = []
    codecs: list[CodecFacts] = []
    routes: list[tuple[str, str]] = []
    coded: list[CodedCall] = []  # for idrename.localwire, in a file that holds the term
    functions: dict[int, tuple[Node, dict[str, str], set[str], dict[str, str]]] = {}
    imports: dict[str, str] | None = None  # read on the first codec
    captures = tree_sitter.QueryCursor(_query()).captures(root)
    # in source order: the order of the captures can differ from one process to the next
    # a test file's own top-level structs, for idrename.localwire
    test_structs: dict[str, Node] = {}
    for node in sorted(captures.get("struct", []), key=_start):
        if _ancestor(node.parent, _FUNCTIONS) is not None:
            continue
        if is_test:
            test_structs[_text(node.child_by_field_name("name"))] = \
                node.child_by_field_name("type")
        else:
            structs.append(_struct(node))
    named = tuple((_text(n), _text(t)) for node in sorted(captures.get("named", []), key=_start)
                  if not is_test and _ancestor(node.parent, _FUNCTIONS) is None
                  and (n := node.child_by_field_name("name")) is not None
                  and (t := node.child_by_field_name("type")) is not None)
    for call in sorted(captures.get("route", []) if not is_test else (), key=_start):
        routes.extend(_routes(call))
    for call in sorted(captures.get("codec", []), key=_start):
        fn = _ancestor(call.parent, _FUNCTIONS)
        if fn is None:
            continue
        if fn.id not in functions:
            functions[fn.id] = (fn, *_function_types(fn))
        _fn, types, request_params, coders = functions[fn.id]
        if _called_method(call) in _STORE_METHODS:  # gorm: every argument is a model
            name_node = fn.child_by_field_name("name")
            fname = _text(name_node) if name_node is not None else ""
            args = call.child_by_field_name("arguments")
            for arg in args.named_children if args is not None and not is_test else ():
                target = _target_type(arg, types)
                if target:
                    codecs.append((target, "store", "", call.start_point[0] + 1, fname, "gorm",
                                   -1))
            continue
        args = call.child_by_field_name("arguments")
        found_arg = _coded_argument(_called_method(call), args.named_children, _bound(call)) \
            if args is not None else None
        if found_arg is None:
            continue
        if lines:
            if imports is None:
                imports = _import_families(root)
            coded.append((call, found_arg[0], found_arg[1],
                          _family(call, imports, coders, types),
                          _decode_source(call, found_arg[0], request_params)))
        codec = _codec(call, found_arg, types, request_params) if not is_test else None
        if codec is not None:
            if imports is None:
                imports = _import_families(root)
            name_node = fn.child_by_field_name("name")
            fname = _text(name_node) if name_node is not None else ""
            target, action, source, arg = codec
            codecs.append((target, action, source, call.start_point[0] + 1, fname,
                           _family(call, imports, coders, types), _param_index(fn, arg)))
    local: tuple[LocalFacts, ...] = ()
    if lines:
        from .localwire import local_structs

        coded.extend(_own_codec_calls(root))
        local = local_structs(coded, test_structs, first, _struct_fields)
    return tuple(structs), tuple(codecs), tuple(routes), tokens, fixed, methods, named, local


# A folder's fact kept among the JSON methods, by an empty type name: one of its files makes a
# decoder refuse unknown keys (see idrename.compat.strict_flag)
STRICT_DECODER = "DisallowUnknownFields"
_STRICT_RE = re.compile(rb"\.DisallowUnknownFields\(\s*\)")


def _json_methods(data: bytes) -> tuple[MethodFacts, ...]:
    """The methods of :data:`JSON_METHODS` this file declares, on which type, where, and whether
    idrename wrote them (:func:`_written_by_idrename`); and the first call of a decoder's
    ``DisallowUnknownFields()``, as a method of no type (:data:`STRICT_DECODER`)."""
    strict = _STRICT_RE.search(data) if b"DisallowUnknownFields" in data else None
    found: list[MethodFacts] = [("", STRICT_DECODER, data.count(b"\n", 0, strict.start()) + 1,
                                 False)] if strict else []
    if b"arshal" not in data:  # (Marshal, Unmarshal)
        return tuple(found)
    return (*found, *((m.group(1).decode(), m.group(2).decode(),
                       data.count(b"\n", 0, m.start()) + 1, _written_by_idrename(data, m.start()))
                      for m in _JSON_METHOD_RE.finditer(data)))


# Where a method idrename wrote to keep a JSON tag's legacy key working is (json_methods): the
# patch merges a later rename's keys into it.
WRITTEN_BY_IDRENAME = " (written by idrename)"


def _written_by_idrename(data: bytes, start: int) -> bool:
    """Whether the method declared at ``start`` has the doc comment idrename writes for the
    methods that keep a legacy key (one line, or two for several keys:
    :data:`idrename.transforms.DOC_STARTS`)."""
    from .transforms import DOC_STARTS

    above = data[max(start - 4096, 0) : start].split(b"\n")[-3:-1]
    return any(line.startswith(DOC_STARTS) for line in above)


@lru_cache(maxsize=1)
def _fixed_re() -> re.Pattern[bytes]:
    """A top-level ``func`` or method declaration named like a key-value method of slog's (or
    zap's sugared logger's), with its parameters in group 2 (a list with parentheses inside,
    a function-typed parameter, is not matched: such a declaration is missed, never misread)."""
    from .gosyntax import SLOG_KV

    names = "|".join(sorted(SLOG_KV, key=len, reverse=True))
    return re.compile(rb"^func[ \t]*(?:\([^()\n]*\)[ \t]*)?(" + names.encode()
                      + rb")[ \t]*(?:\[[^\]\n]*\][ \t]*)?\(([^()]*)\)", re.MULTILINE)


def _fixed_log_methods(data: bytes) -> tuple[FixedFacts, ...]:
    """The functions and methods of this file that have the name of a logger's key-value method
    (``Info``, ``Errorw``) but a fixed list of parameters, ``func (l Log) Info(op, msg string)``,
    and the methods of such a name its interfaces declare (``type Logger interface { Info(msg
    string) }``): a call to one takes no more arguments, so no second key can be added to it. A
    call reaches one only with as many arguments as it has parameters."""
    out = []
    for m in _fixed_re().finditer(data):
        if b"..." not in m.group(2):
            text = b" ".join(m.group(0).split()).decode("utf-8", "replace")
            out.append(_fixed_fact(data, m.start(), m.group(1), m.group(2), text))
    if b"interface" in data:
        for name, start, end in _interface_bodies(data):
            for m in _interface_method_re().finditer(data, start, end):
                if b"..." not in m.group(2):
                    method = b" ".join(m.group(0).split()).decode("utf-8", "replace")
                    out.append(_fixed_fact(data, m.start(1), m.group(1), m.group(2),
                                           f"{name} interface: {method}"))
    return tuple(sorted(out, key=lambda fact: fact[1]))


def _fixed_fact(data: bytes, at: int, name: bytes, params: bytes, text: str) -> FixedFacts:
    params = params.strip()
    count = params.count(b",") + 1 if params else 0  # `a, b string`: two
    return name.decode(), data.count(b"\n", 0, at) + 1, text, count


_INTERFACE_RE = re.compile(rb"interface[ \t]*\{")
_NAMED_RE = re.compile(rb"([A-Za-z_]\w*)(?:\[[^\]\n]*\])?[ \t]+$")
_CLOSING_RE = re.compile(rb"\n[ \t]*\}")


def _interface_bodies(data: bytes) -> Iterator[tuple[str, int, int]]:
    """The named interface types of ``data``: (name, start, end) of each one's body, on one
    line or up to the first line that starts with its closing brace (gofmt's layout). The
    keyword is found as a literal first, then the name before it on its line."""
    for m in _INTERFACE_RE.finditer(data):
        line_start = data.rfind(b"\n", 0, m.start()) + 1
        named = _NAMED_RE.search(data, line_start, m.start())
        if named is None:
            continue
        start = m.end()
        line_end = data.find(b"\n", start)
        closing = data.find(b"}", start, line_end if line_end >= 0 else len(data))
        if closing >= 0:
            yield named.group(1).decode(), start, closing
            continue
        block = _CLOSING_RE.search(data, start)
        if block is not None:
            yield named.group(1).decode(), start, block.start() + 1


@lru_cache(maxsize=1)
def _interface_method_re() -> re.Pattern[bytes]:
    """A method of an interface named like a key-value method of slog's, its parameters in
    group 2 (as :func:`_fixed_re`)."""
    from .gosyntax import SLOG_KV

    names = "|".join(sorted(SLOG_KV, key=len, reverse=True))
    return re.compile(rb"(?:^|(?<=[{;]))[ \t]*(" + names.encode() + rb")[ \t]*\(([^()]*)\)",
                      re.MULTILINE)


def _struct(spec_node: Node) -> StructFacts:
    return _text(spec_node.child_by_field_name("name")), \
        _struct_fields(spec_node.child_by_field_name("type"))


def _struct_fields(body: Node) -> tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...]:
    """A struct_type node's own fields: (name, type's text, tags); "" names an embedded one."""
    fields: list[tuple[str, str, tuple[tuple[str, str], ...]]] = []
    for fd in _descendants(body, "field_declaration"):
        if _ancestor(fd.parent, ("struct_type",)) != body:
            continue
        typ = fd.child_by_field_name("type")
        tag = fd.child_by_field_name("tag")
        tags = tuple(_parse_tags(_text(tag)).items()) if tag is not None else ()
        names = fd.children_by_field_name("name")
        type_text = _text(typ) if typ is not None else ""
        if names:
            fields.extend((_text(n), type_text, tags) for n in names)
        else:  # embedded
            fields.append(("", type_text, tags))
    return tuple(fields)


def _routes(call: Node) -> list[tuple[str, str]]:
    args = call.child_by_field_name("arguments")
    if args is None or not args.named_children:
        return []
    first = args.named_children[0]
    if first.type != "interpreted_string_literal":
        return []
    m = _ROUTE_RE.match(_unquote(_text(first)))
    if m is None or len(m.group(1)) < 2:
        return []
    return [(name, m.group(1)) for arg in args.named_children[1:] if (name := _handler_name(arg))]


def _function_types(fn: Node) -> tuple[dict[str, str], set[str], dict[str, str]]:
    """The types a function shows for its names (parameters, ``var x T``, ``x := T{...}``), its
    parameters that are the request (``*http.Request``, ``*gin.Context``, ...) with the names
    that hold what it sends (:func:`_request_readers`), and its encoders and decoders: a name
    assigned from ``pkg.NewEncoder(..)`` or ``pkg.NewDecoder(..)`` -> the package it was written
    with (``enc := json.NewEncoder(w)`` -> ``json``)."""
    types: dict[str, str] = {}
    request_params: set[str] = set()
    coders: dict[str, str] = {}
    assigned: list[tuple[Node, Node]] = []  # (the name, its value) of each assignment
    stack = [fn]
    while stack:
        node = stack.pop()
        t = node.type
        if t == "parameter_declaration":
            typ = node.child_by_field_name("type")
            for n in node.children_by_field_name("name"):
                if typ is not None:
                    types[_text(n)] = _named_type(_text(typ))
                    if _REQUEST_TYPE_RE.search(_text(typ)):
                        request_params.add(_text(n))
        elif t == "var_spec":
            typ = node.child_by_field_name("type")
            names = node.children_by_field_name("name")
            for n in names:
                if typ is not None:
                    types[_text(n)] = _named_type(_text(typ))
            value = node.child_by_field_name("value")
            if value is not None:
                _note_coders(coders, names, value.named_children)
                assigned.extend(zip(names, value.named_children, strict=False))
        elif t in ("short_var_declaration", "assignment_statement"):
            left = node.child_by_field_name("left")
            right = node.child_by_field_name("right")
            if left is not None and right is not None:
                _note_coders(coders, left.named_children, right.named_children)
                assigned.extend(zip(left.named_children, right.named_children, strict=False))
                if t == "short_var_declaration":
                    for n, v in zip(left.named_children, right.named_children, strict=False):
                        vt = _value_type(v)
                        if vt:
                            types[_text(n)] = vt
        stack.extend(node.named_children)
    if request_params and assigned:
        request_params |= _request_readers(request_params, assigned)
    return types, request_params, coders


def _request_readers(request_params: set[str], assigned: list[tuple[Node, Node]]) -> set[str]:
    """The names of a function that hold what its request parameters send: assigned a call
    that reads ``r.Body`` (or ``c.Request.Body``), or another such name, whole, as an argument
    (``dec := json.NewDecoder(r.Body)``, ``body, err := io.ReadAll(r.Body)``, ``lr :=
    io.LimitReader(body, n)``), or ``r.Body`` itself, or gin's ``c.GetRawData()``. The first
    name of an assignment only (not its ``err``); a name the function also assigns something
    else is left out."""
    raw_reads = {f"{p}.GetRawData" for p in request_params}

    def reads(value: Node, names: set[str]) -> bool:
        text = _text(value)
        if value.type == "selector_expression" or value.type == "identifier":
            return text in names or (_BODY_RE.fullmatch(text) is not None
                                     and text.split(".", 1)[0] in request_params)
        if value.type != "call_expression":
            return False
        fn = value.child_by_field_name("function")
        if fn is not None and _text(fn) in raw_reads:
            return True  # gin's c.GetRawData(): the body's bytes
        args = value.child_by_field_name("arguments")
        return args is not None and any(reads(a, names) for a in args.named_children)

    firsts: dict[str, list[Node]] = {}
    others: set[str] = set()
    for name, value in assigned:
        if name.type != "identifier":
            continue
        if value.prev_named_sibling is None and name.prev_named_sibling is None:
            firsts.setdefault(_text(name), []).append(value)
        else:
            others.add(_text(name))
    found: set[str] = set()
    while True:
        more = {n for n, values in firsts.items() if n not in found and n not in others
                and n not in request_params and all(reads(v, found) for v in values)}
        if not more:
            return found
        found |= more


def _note_coders(coders: dict[str, str], names: Sequence[Node], values: Sequence[Node]) -> None:
    """Record each of ``names`` whose value is ``pkg.NewEncoder(..)``/``pkg.NewDecoder(..)``
    as a coder of ``pkg``."""
    for n, v in zip(names, values, strict=False):
        qualifier = _constructor_qualifier(v)
        if qualifier and n.type == "identifier":
            coders[_text(n)] = qualifier


def _constructor_qualifier(value: Node) -> str:
    """``json`` for ``json.NewEncoder(w)`` (any encoder or decoder constructor), else ""."""
    if value.type != "call_expression":
        return ""
    fn = value.child_by_field_name("function")
    if fn is None or fn.type != "selector_expression":
        return ""
    field, operand = fn.child_by_field_name("field"), fn.child_by_field_name("operand")
    if field is None or operand is None or operand.type != "identifier" or \
            _text(field) not in _CODER_CONSTRUCTORS:
        return ""
    return _text(operand)


def _codec(call: Node, coded: tuple[str, Node], types: Mapping[str, str],
           request_params: set[str]) -> tuple[str, str, str, Node] | None:
    """(target type, encode or decode, source, the target argument) of a codec call whose
    coded argument :func:`_coded_argument` gave, or None when its target's type is not
    known."""
    action, arg = coded
    target = _target_type(arg, types)
    if not target:
        return None
    return target, action, _decode_source(call, action, request_params), arg


def _decode_source(call: Node, action: str, request_params: set[str]) -> str:
    """Where a codec call decodes from: "request" when what it reads names a parameter of its
    function that is the request (``json.NewDecoder(r.Body).Decode``, ``json.Unmarshal(body,
    ...)`` of ``c``'s), else "external"; "" for an encoding call."""
    if action == "encode":
        return ""
    args = call.child_by_field_name("arguments")
    operand = _call_operand(call)
    if _called_method(call) == "Unmarshal" and args is not None and args.named_children:
        source_text = _text(args.named_children[0])
    else:
        source_text = _text(operand) if operand is not None else ""
    first = re.match(r"[\w.]*?(\w+)", source_text)
    idents = set(re.findall(r"[A-Za-z_]\w*", source_text))
    is_request = bool(idents & request_params) or bool(first and first.group(1) in request_params)
    return "request" if is_request else "external"


def _own_codec_calls(root: Node) -> list[CodedCall]:
    """In a package named after an encoding (``package toml``, ``toml_test``), the bare calls of
    its own ``Marshal(v)``, ``Unmarshal(data, &v)``, ...: codecs of that family."""
    from .gosyntax import package_name

    family = _PACKAGE_FAMILY.get(package_name(root).removesuffix("_test"), "")
    out: list[CodedCall] = []
    for call in _descendants(root, "call_expression") if family else ():
        fn, args = call.child_by_field_name("function"), call.child_by_field_name("arguments")
        if fn is not None and fn.type == "identifier" and args is not None:
            found = _coded_argument(_text(fn), args.named_children)
            if found is not None:
                out.append((call, found[0], found[1], family,
                            "" if found[0] == "encode" else "external"))
    return out


def _coded_argument(method: str, arguments: Sequence[Node],
                    bound: bool = False) -> tuple[str, Node] | None:
    """(encode or decode, the argument coded) of a call of the codec method ``method`` with
    ``arguments``; None for another method, or too few arguments. A response's one argument
    is what fiber's ``c.JSON(v)`` writes, unless the call is ``bound`` (fiber v3's
    ``c.Bind().JSON(&v)`` reads the request into it, and ``c.Bind().Body(&v)`` too, in the
    encoding its content type names)."""
    if method in _RESPONSE_METHODS and len(arguments) == 1:
        return ("decode" if bound else "encode"), arguments[0]
    if bound and method == _BOUND_BODY and len(arguments) == 1:
        return "decode", arguments[0]
    if method in _DECODE_METHODS or method in _BIND_METHODS:
        index = 0 if method in _BIND_METHODS else _DECODE_METHODS[method]
        if method == "Decode" and len(arguments) == 2:
            index = 1  # toml.Decode(data, &v), not a decoder's Decode(&v)
        return ("decode", arguments[index]) if index < len(arguments) else None
    if method in _ENCODE_METHODS and len(arguments) > _ENCODE_METHODS[method]:
        return "encode", arguments[_ENCODE_METHODS[method]]
    if method in _RESPONSE_METHODS and len(arguments) == 2:
        return "encode", arguments[1]
    return None


def _bound(call: Node) -> bool:
    """Whether a call ``x.Bind().M(...)`` is made on what a ``Bind()`` gives (fiber v3's
    binder)."""
    operand = _call_operand(call)
    return operand is not None and operand.type == "call_expression" and \
        _called_method(operand) == "Bind"


def _call_operand(call: Node) -> Node | None:
    """``x`` of a call ``x.f(..)``; None for another call."""
    fn = call.child_by_field_name("function")
    return fn.child_by_field_name("operand") if fn is not None and \
        fn.type == "selector_expression" else None


def _called_method(call: Node) -> str:
    """The method name of a call ``x.Name(...)``; "" for another call."""
    fn = call.child_by_field_name("function")
    if fn is None or fn.type != "selector_expression":
        return ""
    return _text(fn.child_by_field_name("field"))


def _param_index(fn: Node, arg: Node) -> int:
    """The index of the parameter of ``fn`` (its receiver left out) that ``arg`` names, when
    ``arg`` is a bare name and that parameter's type is ``interface{}`` or ``any``; else -1."""
    params = fn.child_by_field_name("parameters")
    if arg.type != "identifier" or params is None:
        return -1
    name, index = _text(arg), 0
    for decl in params.named_children:
        names = decl.children_by_field_name("name") or [None]
        for n in names:
            if n is not None and _text(n) == name:
                typ = decl.child_by_field_name("type")
                return index if typ is not None and _ANY_RE.fullmatch(_text(typ)) else -1
            index += 1
    return -1


def _family(call: Node, imports: Mapping[str, str], coders: Mapping[str, str],
            types: Mapping[str, str]) -> str:
    """The encoding a codec call uses, when the syntax says it: the package its qualifier
    imports (``json.Marshal``, ``enc.Marshal`` with ``enc "encoding/json"``), the package of the
    constructor it is called on (``json.NewEncoder(w).Encode``), of a variable assigned from
    one in the function or of a parameter's type (``dec *json.Decoder``), else the method's
    own name (gin's ``c.JSON``, ``c.ShouldBindYAML``); "" when none tells (``c.Bind``, a decoder
    from elsewhere)."""
    fn = call.child_by_field_name("function")
    method = _text(fn.child_by_field_name("field"))
    operand = fn.child_by_field_name("operand")
    qualifier = ""
    if operand is not None and operand.type == "identifier":
        name = _text(operand)
        qualifier = name if name in imports else \
            coders.get(name) or _split_qualifier(types.get(name, ""))[0]
    elif operand is not None:
        qualifier = _constructor_qualifier(operand)
    return imports.get(qualifier, "") or _METHOD_FAMILY.get(method, "")


def _import_families(root: Node) -> dict[str, str]:
    """The names a file's imports bind -> the codec family of the package ("" for a package
    that is no codec)."""
    from .gosyntax import import_specs

    return {name: _package_family(path) for name, path, _node in import_specs(root)}


def _package_family(path: str) -> str:
    """The codec family of an import path: ``encoding/json``, ``github.com/goccy/go-json`` ->
    json; ``gopkg.in/yaml.v3`` -> yaml; ``github.com/hashicorp/go-msgpack/codec`` -> codec;
    "" for a package that is no codec we know."""
    from .gosyntax import default_import_name

    if path in _PATH_FAMILY:
        return _PATH_FAMILY[path]
    return _PACKAGE_FAMILY.get(default_import_name(path), "")


def _wrapper_calls(data: bytes, wrappers: Mapping[str, list[_Codec]], where: str,
                   folder: str, package: str = "") -> list[_Codec]:
    """The codecs the calls of ``wrappers`` (function or method name -> the codecs of its
    parameter) in one file make: one per call and codec, typed as the argument the call
    passes, or with ``param`` set when that argument is the caller's own ``interface{}``
    parameter (the caller is a wrapper too). ``folder`` is the file's; ``package``, when
    given, the name the file imports the wrappers' package by: only ``package.f(..)`` calls
    them then (a file of another folder)."""
    names = b"|".join(re.escape(n.encode()) for n in wrappers)
    pattern = re.compile((rb"\b" + re.escape(package.encode()) + rb"\.(?:" if package
                          else rb"\b(?:") + names + rb")\(")
    if not data or pattern.search(data) is None:
        return []
    from .godecls import parse_wanted

    root = parse_wanted(data, [pattern]).root_node
    out: list[_Codec] = []
    functions: dict[int, dict[str, str]] = {}
    for call in _descendants(root, "call_expression"):
        name = _called_name(call)
        fn = _ancestor(call.parent, _FUNCTIONS) if name in wrappers else None
        args = call.child_by_field_name("arguments")
        if fn is None or args is None or (package and _call_package(call) != package):
            continue
        if fn.id not in functions:
            functions[fn.id] = _function_types(fn)[0]
        name_node = fn.child_by_field_name("name")
        caller = _text(name_node) if name_node is not None else ""
        for codec in wrappers[name]:
            if codec.param >= len(args.named_children):
                continue
            arg = args.named_children[codec.param]
            target = _named_type(_target_type(arg, functions[fn.id]))
            param = _param_index(fn, arg) if _ANY_RE.fullmatch(target) else -1
            if _ANY_RE.fullmatch(target) and param < 0:
                continue
            qualifier, type_name = _split_qualifier(target) if param < 0 else ("", "")
            out.append(_Codec(type_name, codec.action, codec.source,
                              f"{where}:{call.start_point[0] + 1}", caller, qualifier, folder,
                              codec.family, param, codec.via or codec.site))
    return out


def _import_name(data: bytes, imported: str) -> str:
    """The name a Go file imports the package ``imported`` by, "" when it does not (or
    imports it blank or dot)."""
    from .outside import file_imports

    return next((name for name, path in file_imports(data).items() if path == imported), "")


def _call_package(call: Node) -> str:
    """``pkg`` of a call ``pkg.f(..)``, else ""."""
    operand = _call_operand(call)
    return _text(operand) if operand is not None and operand.type == "identifier" else ""


def _called_name(call: Node) -> str:
    """``f`` of ``f(..)`` and of ``x.f(..)``."""
    fn = call.child_by_field_name("function")
    if fn is None:
        return ""
    if fn.type == "identifier":
        return _text(fn)
    if fn.type == "selector_expression":
        field = fn.child_by_field_name("field")
        return _text(field) if field is not None else ""
    return ""


def _facts_batch(batch: list[tuple[str, bytes]], first: str) -> list[FileFacts]:
    """The unit of work sent to executors."""
    return [file_facts(path, data, first) for path, data in batch]


# -- the tree ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Codec:
    type_name: str
    action: str  # encode | decode
    source: str  # request | external | "" (encode)
    site: str  # root/path:line
    function: str  # the enclosing function's name (method name without receiver)
    # where the name resolves: the package it was written with (``pkg`` of ``pkg.T``, "" when
    # unqualified) and the folder (root/dir) of the file that wrote it
    qualifier: str = ""
    scope: str = ""
    family: str = ""  # the encoding: json, xml, yaml, toml, gob, msgpack, codec; "" unknown
    param: int = -1  # the enclosing function's parameter coded (interface{} or any), or -1
    # for a codec a wrapper makes at a call of it: the site of the codec inside the wrapper
    # (root/path:line), where its encoder or decoder is set up; "" for a direct one
    via: str = ""


@dataclass
class _StructInfo:
    name: str
    root: str
    path: str
    # name, type, tags as (key, value) pairs (a dict only where a struct's keys are asked for)
    fields: Sequence[tuple[str, str, tuple[tuple[str, str], ...]]] = ()


def _named_info(name: str, root: str, path: str, type_text: str) -> _StructInfo:
    """A named type that is not a struct, as :attr:`GoFacts.named_types` keeps it."""
    return _StructInfo(name, root, path, (("", type_text, ()),))


class GoFacts:
    """The facts of every Go file under the roots, merged; and the questions the compatibility
    analysis asks of them."""

    def __init__(self, roots: Mapping[str, Path], spec: Spec, skip: Iterable[str] = ()) -> None:
        self.roots = {label: Path(path) for label, path in roots.items()}
        self.spec = spec
        self.skip = set(_SKIP_DIRS) | set(skip)
        self.structs: dict[str, list[_StructInfo]] = {}
        # the other named types (NamedFacts), each as a struct of one embedded field of the
        # type it is declared as: what a codec carries along to (never asked as a struct)
        self.named_types: dict[str, list[_StructInfo]] = {}
        self._structs_version = 0  # counts the changes of structs (_restore, _merge)
        # (the version of structs it was made for, the index) of embedders_of
        self._embedded: tuple[int, dict[tuple[str, str], list[str]]] | None = None
        self.codecs: list[_Codec] = []
        self.routes: dict[str, set[str]] = {}  # handler function name -> route paths
        # (root, path) -> the structs coded in that file that the package's do not hold
        # (idrename.localwire), in span order
        self.local_structs: dict[tuple[str, str], list[LocalFacts]] = {}
        self.vocabulary: set[str] = set()
        # a logger method's name -> the number of parameters of a function or method of that
        # name the roots declare with a fixed list of them -> where, and its text (the first in
        # path order)
        self.fixed_log_methods: dict[str, dict[int, str]] = {}
        # (folder as root/dir, type) -> method of JSON_METHODS -> where it is declared
        self.json_methods: dict[tuple[str, str], dict[str, str]] = {}
        self._tokens_seen: set[str] = set()  # tokens _vocabulary has looked at already
        self._data: dict[tuple[str, str], bytes] = {}
        # (root, path, start, end) -> what compat read of the syntax around a row there
        self.syntax: dict[tuple[str, str, int, int], Any] = {}
        self._files: dict[str, list[str]] = {}  # label -> its Go files (go_files)
        self._indexes: dict[str, Any] = {}  # label -> its per-file cache, once opened
        self._read_key: str | None = None  # the memo key the merged facts were read back for
        self._started: tuple[list[str], Any, list[_Pending]] | None = None  # see start

    # -- files ---------------------------------------------------------------------------------
    def data(self, root: str, path: str) -> bytes:
        key = (root, path)
        if key not in self._data:
            self._data[key] = self._read(root, path)
        return self._data[key]

    def _read(self, root: str, path: str) -> bytes:
        base = self.roots.get(root)
        try:
            return (base / path).read_bytes() if base is not None else b""
        except OSError:
            return b""

    def forget(self, root: str, path: str) -> None:
        """Drop a file's bytes (read again if asked for)."""
        self._data.pop((root, path), None)

    def go_files(self, label: str) -> list[str]:
        """The Go files of the root ``label`` (listed once per instance)."""
        if label not in self._files:
            base = self.roots[label]
            out = []
            top = len(os.fspath(base))
            for dirpath, dirnames, filenames in os.walk(base):
                dirnames[:] = sorted(d for d in dirnames if d not in self.skip)
                # (the folder relative to the root, as text: a Path per file costs more than
                # the walk)
                folder = dirpath[top:].lstrip(os.sep).replace(os.sep, "/")
                prefix = f"{folder}/" if folder else ""
                out.extend(prefix + name for name in filenames if name.endswith(".go"))
            self._files[label] = sorted(out)
        return self._files[label]

    def _index(self, label: str, cache: Any) -> Any:
        """The per-file cache of the root ``label`` (None without one), opened once per
        instance."""
        if label not in self._indexes:
            self._indexes[label] = named_indexes(cache, {label: self.roots[label]},
                                                 f"go-facts\0{self.spec.first_word}").get(label)
        return self._indexes[label]

    def stale_files(self, labels: Iterable[str], cache: Any = None,
                    inputs: Inputs | None = None) -> int:
        """How many Go files of the roots ``labels`` a :meth:`scan` with ``cache`` and
        ``inputs`` may have to read and parse: none when the merged facts of the tree are read
        back (they are then kept for the scan), else those whose ``stat`` signature the
        per-file cache does not hold (all of them without a cache). Reads no Go file."""
        import stat

        labels = sorted(label for label in labels if label in self.roots)
        if self._read_back(labels, cache, inputs):
            return 0
        stale = 0
        for label in labels:
            index = self._index(label, cache)
            base = os.fspath(self.roots[label])
            for path in self.go_files(label):
                try:
                    st = os.stat(os.path.join(base, path), follow_symlinks=False)
                except OSError:
                    continue
                if stat.S_ISREG(st.st_mode) and (
                        index is None or not index.holds(path, index.signature(st))):
                    stale += 1
        return stale

    def scan(self, labels: Iterable[str], *, executor: Executor | None = None,
             cache: Any = None, inputs: Inputs | None = None) -> GoFacts:
        """Read every Go file of the roots ``labels``: from the cache when it holds the file,
        else in ``executor`` (or a process pool of our own for a large tree). ``cache`` as for
        :func:`idrename.inventory.scan` (None: the user cache folder; False: none). With
        ``inputs`` (the roots' digests, :class:`idrename.memo.Inputs`), the merged facts of a
        tree read before are read back whole."""
        labels = sorted(label for label in labels if label in self.roots)
        if self._read_back(labels, cache, inputs):
            return self
        started, self._started = self._started, None
        if started is None or started[0] != labels or started[1] is not cache:
            if started is not None:
                _cancel(started[2])
            started = (labels, cache, self._begin(labels, executor, cache))
        self._finish(started[2])
        memo, key = self._memo(labels, cache, inputs)
        if memo is not None and key and inputs is not None and inputs.unchanged():
            memo.put(_MEMO_STAGE, key, self._plain())
        return self

    def start(self, labels: Iterable[str], *, executor: Executor | None = None,
              cache: Any = None, inputs: Inputs | None = None) -> None:
        """Begin :meth:`scan` now: the files the cache lacks are sent to ``executor`` (or the
        process pool), and a :meth:`scan` with the same arguments later takes what they gave.
        :meth:`cancel` gives the work up."""
        labels = sorted(label for label in labels if label in self.roots)
        if self._started is not None:
            _cancel(self._started[2])
            self._started = None
        if not self._read_back(labels, cache, inputs):
            self._started = (labels, cache, self._begin(labels, executor, cache))

    def cancel(self) -> None:
        """Give up what :meth:`start` began."""
        started, self._started = self._started, None
        if started is not None:
            _cancel(started[2])

    def _memo(self, labels: list[str], cache: Any, inputs: Inputs | None
              ) -> tuple[StageMemo | None, str | None]:
        """The stage memo of the merged facts and their key there (None, None without)."""
        if inputs is None or cache is False:
            return None, None
        from .cache import spec_key
        from .memo import StageMemo

        return StageMemo(cache), inputs.key(_MEMO_STAGE, spec_key(self.spec), sorted(self.skip),
                                            [(label, str(self.roots[label])) for label in labels])

    def _read_back(self, labels: list[str], cache: Any, inputs: Inputs | None) -> bool:
        """Whether the merged facts of these roots are read back from the stage memo (once:
        a second call for the same key answers from the first)."""
        memo, key = self._memo(labels, cache, inputs)
        if memo is None or not key or inputs is None:
            return False
        if self._read_key == key:
            return True
        if self._restore(memo.get(_MEMO_STAGE, key)) and inputs.unchanged():
            self._read_key = key
            return True
        self._restore(None)
        return False

    def _plain(self) -> dict[str, Any]:
        """The merged facts as plain data (:meth:`_restore` reads them back)."""
        return {
            "structs": [(name, [(i.root, i.path, tuple(i.fields)) for i in infos])
                        for name, infos in self.structs.items()],
            "named_types": [(name, [(i.root, i.path, i.fields[0][1]) for i in infos])
                            for name, infos in self.named_types.items()],
            "codecs": [(c.type_name, c.action, c.source, c.site, c.function, c.qualifier, c.scope,
                        c.family, c.param, c.via) for c in self.codecs],
            "routes": [(handler, sorted(routes)) for handler, routes in self.routes.items()],
            "vocabulary": sorted(self.vocabulary),
            "tokens": sorted(self._tokens_seen),
            "fixed_log_methods": sorted((name, sorted(by_count.items()))
                                        for name, by_count in self.fixed_log_methods.items()),
            "json_methods": sorted((folder, type_name, sorted(found.items()))
                                   for (folder, type_name), found in self.json_methods.items()),
            "local_structs": [(root, path, found)
                              for (root, path), found in self.local_structs.items()],
        }

    def _restore(self, value: Any) -> bool:
        """Take the facts :meth:`_plain` gave (True), or start empty (False: ``value`` is None
        or of another shape)."""
        self.structs, self.codecs, self.routes, self.named_types = {}, [], {}, {}
        self.vocabulary, self._tokens_seen = set(), set()
        self.fixed_log_methods, self.json_methods, self.local_structs = {}, {}, {}
        self._structs_version += 1
        if value is None:
            return False
        try:
            for name, infos in value["structs"]:
                self.structs[name] = [_StructInfo(name, root, path, fields)
                                      for root, path, fields in infos]
            for name, infos in value["named_types"]:
                self.named_types[name] = [_named_info(name, root, path, str(type_text))
                                          for root, path, type_text in infos]
            self.codecs = [_Codec(*c) for c in value["codecs"]
                           if _valid_codec(c[:9], 9) and len(c) == 10 and isinstance(c[9], str)]
            if len(self.codecs) != len(value["codecs"]):
                return self._restore(None)  # written by another version of these facts
            self.routes = {handler: set(routes) for handler, routes in value["routes"]}
            self.vocabulary, self._tokens_seen = set(value["vocabulary"]), set(value["tokens"])
            self.fixed_log_methods = {
                str(name): {int(count): str(where) for count, where in by_count}
                for name, by_count in value["fixed_log_methods"]}
            self.json_methods = {(str(folder), str(type_name)): {str(m): str(w) for m, w in found}
                                 for folder, type_name, found in value["json_methods"]}
            self.local_structs = {(str(root), str(path)): [_local(f) for f in found]
                                  for root, path, found in value["local_structs"]}
        except (KeyError, TypeError, ValueError):
            return self._restore(None)
        return True

    def _begin(self, labels: list[str], executor: Executor | None, cache: Any) -> list[_Pending]:
        """Per root: its files, those read from the cache, and the others started."""
        first = self.spec.first_word
        out = []
        for label in labels:
            paths = self.go_files(label)
            index = self._index(label, cache)
            results: dict[str, FileFacts] = {}
            todo: list[tuple[str, bytes, bytes | None, Any]] = []
            for path in paths:
                facts, missing = _cached(index, self.roots[label], path)
                if facts is not None:
                    results[path] = facts
                elif missing is not None:
                    todo.append(missing)
            out.append(_Pending(label, paths, index, results, todo,
                                _compute(todo, first, executor)))
        return out

    def _finish(self, started: list[_Pending]) -> None:
        """Merge what :meth:`_begin` started (waiting for it), keeping it in the cache."""
        for p in started:
            for (path, _data, key, sig), facts in zip(p.todo, p.computing.result(), strict=True):
                p.results[path] = facts
                if p.index is not None and key is not None:
                    p.index.put(path, key, facts, sig)
            if p.index is not None:
                p.index.save()
            for path in p.paths:
                if path in p.results:
                    self._merge(p.label, path, p.results[path])
        self._follow_wrappers()
        self._propagate_codecs()

    def _merge(self, root: str, path: str, facts: FileFacts) -> None:
        structs, codecs, routes, tokens, fixed, methods, named, local = facts
        if local:
            self.local_structs[(root, path)] = list(local)
        for name, type_text in named:
            self.named_types.setdefault(name, []).append(_named_info(name, root, path, type_text))
        self._vocabulary(tokens)
        for type_name, method, line, written in methods:
            self.json_methods.setdefault((_folder(root, path), type_name), {}).setdefault(
                method, f"{root}/{path}:{line}" + (WRITTEN_BY_IDRENAME if written else ""))
        for name, line, text, count in fixed:
            self.fixed_log_methods.setdefault(name, {}).setdefault(
                count, f"{root}/{path}:{line}: {text}")
        for name, fields in structs:
            info = _StructInfo(name, root, path, fields)
            self.structs.setdefault(name, []).append(info)
        self._structs_version += 1
        scope = _folder(root, path)
        for written, action, source, line, function, family, param in codecs:
            qualifier, type_name = _split_qualifier(written)
            self.codecs.append(_Codec(type_name, action, source, f"{root}/{path}:{line}", function,
                                      qualifier, scope, family, param))
        for handler, route in routes:
            self.routes.setdefault(handler, set()).add(route)

    def _vocabulary(self, tokens: Iterable[str]) -> None:
        first = self.spec.first_word
        skip = set(self.spec.old_words) | {w.lower() for w in self.spec.new_words}
        fresh = set(tokens) - self._tokens_seen
        self._tokens_seen |= fresh
        for token in fresh:
            words = _words_lower(token)
            if first not in words and first + "s" not in words:
                continue
            if self.spec.is_member(token):
                continue
            self.vocabulary.update(
                w for w in words if len(w) >= 4 and w.isalpha() and w not in skip and w != first + "s")

    def _follow_wrappers(self) -> None:
        """A function that codes its ``interface{}`` (or ``any``) parameter is a wrapper of the
        codec (``encodeMessage(t, msg interface{})`` encoding ``msg``): each call of it codes
        the type of the argument it passes there (``encodeMessage(typ, &join)`` with ``var join
        messageJoin``), at the call's site: the calls in its own folder, and for an exported
        function the ``pkg.Decode(r, &in)`` calls in the other folders' files that import its
        package (``via`` is where the wrapper sets up its codec). A caller that passes its own
        ``interface{}`` parameter on is a wrapper in turn (followed a few levels deep). The
        callers' files are read here, and only those that spell a wrapper's name."""
        wrappers = {(c.scope, c.function): [c] for c in self.codecs if c.param >= 0 and c.function}
        others: list[tuple[str, str, bytes]] | None = None  # every non-test file, once read
        for _depth in range(_WRAPPER_DEPTH):
            if not wrappers:
                return
            found: dict[tuple[str, str], list[_Codec]] = {}
            calls: list[_Codec] = []
            for folder in sorted({folder for folder, _name in wrappers}):
                names = {name: codecs for (f, name), codecs in wrappers.items() if f == folder}
                for root, path in self._folder_files(folder):
                    calls += _wrapper_calls(self._read(root, path), names, f"{root}/{path}", folder)
                exported = {name: codecs for name, codecs in names.items() if name[:1].isupper()}
                imported = self._import_path(folder) if exported else ""
                if not imported:
                    continue
                if others is None:
                    others = [(label, path, self._read(label, path)) for label in self.roots
                              for path in self.go_files(label) if not path.endswith("_test.go")]
                quoted = f'"{imported}"'.encode()
                for root, path, data in others:
                    if quoted not in data or _folder(root, path) == folder:
                        continue
                    package = _import_name(data, imported)
                    if package:
                        calls += _wrapper_calls(data, exported, f"{root}/{path}",
                                                _folder(root, path), package)
            # (a call the file's own facts took for a codec by its name, ``httpx.Decode(r,
            # &in)``, is the wrapper's call: its codec is replaced, family and ``via`` known)
            made = {(c.site, c.action, c.type_name) for c in calls if c.param < 0 and c.type_name}
            if made:
                self.codecs = [c for c in self.codecs
                               if (c.site, c.action, c.type_name) not in made or c.via]
            for codec in calls:
                if codec.param >= 0:
                    found.setdefault((codec.scope, codec.function), []).append(codec)
                elif codec.type_name:
                    self.codecs.append(codec)
            wrappers = found

    def _import_path(self, folder: str) -> str:
        """The import path of a folder (root/dir) from the nearest ``go.mod`` at or above it,
        "" when none says."""
        from .gosymbols import enclosing_module, module_path

        label, _, rel = folder.partition("/")
        base = self.roots.get(label)
        if base is None:
            return ""
        parts = rel.split("/") if rel else []
        for n in range(len(parts), -1, -1):
            go_mod = base.joinpath(*parts[:n], "go.mod")
            if go_mod.is_file():
                module = module_path(go_mod)
                return "/".join([module, *parts[n:]]) if module else ""
        outer = enclosing_module(base)
        return "/".join([outer[1], *parts]) if outer is not None else ""

    def _folder_files(self, folder: str) -> list[tuple[str, str]]:
        """The (root, path) of the Go files of a folder (``root/dir``), test files left out."""
        root, _, rel = folder.partition("/")
        if root not in self.roots:
            return []
        prefix = f"{rel}/" if rel else ""
        return [(root, path) for path in self.go_files(root)
                if path.startswith(prefix) and "/" not in path[len(prefix):]
                and not path.endswith("_test.go")]

    def _propagate_codecs(self) -> None:
        """A struct encoded or decoded carries the struct types of its fields along: of those
        an encoder sees, the exported and the embedded ones (an unexported field is not
        written, whatever its type)."""
        seen = {(c.type_name, c.qualifier, c.scope, c.action, c.site) for c in self.codecs}
        queue = list(self.codecs)
        while queue:
            codec = queue.pop()
            # (a named slice, map or pointer type, or one declared as another type, carries it
            # to the type it is declared as: ``type List []item`` to ``item``)
            for info in [*self._resolve(codec), *self._resolve(codec, self.named_types)]:
                scope = _folder(info.root, info.path)
                for name, type_text, _tags in info.fields:
                    if name and not name[0].isupper():
                        continue
                    qualifier, inner = _split_qualifier(_named_type(type_text))
                    key = (inner, qualifier, scope, codec.action, codec.site)
                    if (inner in self.structs or inner in self.named_types) and key not in seen:
                        new = _Codec(inner, codec.action, codec.source, codec.site, codec.function,
                                     qualifier, scope, codec.family, via=codec.via)
                        seen.add(key)
                        self.codecs.append(new)
                        queue.append(new)

    def _resolve(self, codec: _Codec, types: Mapping[str, list[_StructInfo]] | None = None
                 ) -> list[_StructInfo]:
        """The structs a codec's type name can be: the one of that name in the folder that wrote
        it, or for ``pkg.T`` in a folder named ``pkg``; for ``pkg.T``, all of that name when no
        folder named ``pkg`` declares it (a package named unlike its folder), and for a bare
        ``T`` only when the folder that wrote it is not known. A bare name its folder declares
        no struct of is some other type of that package (``type Query string``), never another
        package's struct. ``types``: the named types to look in (default: the structs)."""
        infos = (self.structs if types is None else types).get(codec.type_name, [])
        if codec.qualifier:
            found = [i for i in infos
                     if _folder(i.root, i.path).rpartition("/")[2] == codec.qualifier]
            return found or infos
        if not codec.scope:
            return infos
        return [i for i in infos if _folder(i.root, i.path) == codec.scope]

    # -- questions -----------------------------------------------------------------------------
    def local_struct_at(self, root: str, path: str, byte: int) -> LocalFacts | None:
        """The innermost struct of ``root/path`` coded in that file (:mod:`idrename.localwire`)
        whose span holds ``byte``; None when there is none."""
        spans = [f for f in self.local_structs.get((root, path), ()) if f[0] <= byte < f[1]]
        return min(spans, key=lambda f: f[1] - f[0]) if spans else None

    @staticmethod
    def local_codecs(local: LocalFacts | None, root: str, path: str, type_name: str,
                     families: Iterable[str]) -> list[_Codec]:
        """The codecs of ``local``, a struct of ``root/path`` coded in that file (see
        :meth:`local_struct_at`), of the encodings ``families`` or one the syntax does not
        tell, as codecs of ``type_name``."""
        wanted = {*families, ""}
        return [_Codec(type_name, action, source, f"{root}/{path}:{line}", "",
                       scope=_folder(root, path), family=family)
                for family, action, line, source in (local[3] if local is not None else ())
                if family in wanted]

    def codecs_of(self, type_name: str, folder: str | None = None) -> list[_Codec]:
        """The codecs of a type name; with ``folder`` (root/dir of the struct), only those whose
        name resolves to the struct of that folder (see :meth:`_resolve`)."""
        named = [c for c in self.codecs if c.type_name == type_name]
        if folder is None:
            return named
        return [c for c in named
                if any(_folder(i.root, i.path) == folder for i in self._resolve(c))
                or not self.structs.get(type_name)]

    def embedders_of(self, owner: str, folder: str) -> list[str]:
        """The structs of the roots that embed the struct ``owner`` of ``folder`` (root/dir),
        as ``root/path: Name``: the methods ``owner`` gets are promoted to them. ``T`` and
        ``*T`` in ``owner``'s folder, ``pkg.T`` in a folder named ``pkg`` (see
        :meth:`_resolve`). The embedded fields of every struct are resolved once, on the first
        question, for all the questions that follow."""
        if self._embedded is None or self._embedded[0] != self._structs_version:
            self._embedded = (self._structs_version, self._embedded_index())
        return self._embedded[1].get((folder, owner), [])

    def _embedded_index(self) -> dict[tuple[str, str], list[str]]:
        """(folder, struct name) -> the structs that embed that struct, as ``root/path: Name``."""
        folders_named: dict[tuple[str, str], list[str]] = {}  # (type, folder's name) -> folders
        for name, infos in self.structs.items():
            for info in infos:
                folder = _folder(info.root, info.path)
                folders_named.setdefault((name, folder.rpartition("/")[2]), []).append(folder)
        found: dict[tuple[str, str], set[str]] = {}
        for name, infos in self.structs.items():
            for info in infos:
                scope = _folder(info.root, info.path)
                for field_name, type_text, _tags in info.fields:
                    if field_name:
                        continue
                    qualifier, embedded = _split_qualifier(_named_type(type_text))
                    targets = [scope] if not qualifier else \
                        folders_named.get((embedded, qualifier), [])[:1]
                    for target in targets:
                        found.setdefault((target, embedded), set()).add(
                            f"{info.root}/{info.path}: {name}")
        return {k: sorted(v) for k, v in found.items()}

    def struct_keys(self, owner: str, root: str, path: str, tag_key: str) -> set[str]:
        infos = self.structs.get(owner, [])
        same = [i for i in infos if i.root == root and i.path == path] or infos
        keys = set()
        for info in same[:1]:
            for _name, _type, pairs in info.fields:
                value = dict(pairs).get(tag_key, "")
                if tag_key == "protobuf":
                    m = re.search(r"(?:^|,)name=([^,]+)", value)
                    value = m.group(1) if m else ""
                else:
                    value = value.split(",", 1)[0]
                if value and value != "-":
                    keys.add(value)
        return keys


# -- reading many files: cache, pool -------------------------------------------------------------
def _cached(index: Any, base: Path, path: str
            ) -> tuple[FileFacts | None, tuple[str, bytes, bytes | None, Any] | None]:
    """(facts, None) from the cache; (None, (path, data, key, signature)) to compute; (None,
    None) for a file that cannot be read."""
    import stat

    full = os.path.join(base, path)  # (text: most files are read back from the cache)
    try:
        st = os.stat(full, follow_symlinks=False)
    except OSError:
        return None, None
    if not stat.S_ISREG(st.st_mode):
        return None, None
    sig = index.signature(st) if index is not None else None
    if index is not None:
        known, payload = index.unchanged(path, sig)
        if known and _valid(payload):
            return payload, None
    try:
        with open(full, "rb") as f:
            data = f.read()
    except OSError:
        return None, None
    key = None
    if index is not None:
        key = index.key(path, data)
        payload = index.get(path, key, sig)
        if payload is not None:
            if _valid(payload):
                return payload, None
            index.forget(path)
    return None, (path, data, key, sig)


def _valid(payload: Any) -> bool:
    """Whether a cached payload has the shape :func:`file_facts` gives now (an entry of an
    older shape, codecs without their family for one, is computed again)."""
    return isinstance(payload, tuple) and len(payload) == 8 and all(
        isinstance(part, tuple) for part in payload) and all(
        _valid_codec(c, 7) for c in payload[1])


def _local(value: Any) -> LocalFacts:
    """A local struct's facts as the stage memo gave them back (lists for tuples)."""
    start, end, fields, sites, methods = value
    return (int(start), int(end),
            tuple((str(n), str(t), tuple((str(k), str(v)) for k, v in tags))
                  for n, t, tags in fields),
            tuple((str(f), str(a), int(line), str(source)) for f, a, line, source in sites),
            bool(methods))


def _valid_codec(codec: Any, size: int) -> bool:
    """Whether a stored codec is a sequence of ``size`` values ending with its family (a str)
    and its parameter (an int)."""
    return isinstance(codec, (tuple, list)) and len(codec) == size and \
        isinstance(codec[-2], str) and isinstance(codec[-1], int)


def _compute(todo: Sequence[tuple[str, bytes, Any, Any]], first: str,
             executor: Executor | None) -> Batches:
    """Each file's facts, in order, started: in ``executor``, in a pool of our own for many
    files, or here (when the results are asked for)."""
    from .batches import Batches

    jobs = [(path, data) for path, data, _key, _sig in todo]
    return Batches(_facts_batch, jobs, first, executor=executor, min_jobs=PARALLEL_MIN_FILES,
                   size=_BATCH)


@dataclass
class _Pending:
    """One root's facts as :meth:`GoFacts.start` began them."""

    label: str
    paths: list[str]
    index: Any
    results: dict[str, FileFacts]
    todo: list[tuple[str, bytes, Any, Any]]
    computing: Batches


def _cancel(started: list[_Pending]) -> None:
    for p in started:
        p.computing.cancel()
