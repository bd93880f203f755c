"""Go classification: every family token in a `.go` file, with its role, from tree-sitter-go.

The scan finds candidate tokens with the family's one compiled pattern (``Spec.find``), then asks
the syntax tree for the smallest node around each and classifies it from the node and its
ancestors. Nothing is type-checked: roles come from syntax, and the few questions syntax cannot
answer (is ``x`` a package or a value?) are answered from the file's imports and the enclosing
function's declarations.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Collection
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from . import roles as R
from .httpvalues import HEADER, OTHER, VALUES, receiver_kind
from .newsyntax import overlaps
from .occurrence import LineIndex, Occurrence, make_occurrence
from .spec import Spec, TokenHit, escape_length

Node = Any  # tree_sitter.Node

GENERATED_RE = re.compile(rb"^// Code generated .* DO NOT EDIT\.$", re.MULTILINE)

_STRING_CONTENT = {"interpreted_string_literal_content", "raw_string_literal_content"}
_STRING_LITERAL = {"interpreted_string_literal", "raw_string_literal"}
_FUNCTION_NODES = {"function_declaration", "method_declaration", "func_literal"}
_STATEMENT_NODES = {"short_var_declaration", "assignment_statement", "expression_statement",
                    "return_statement", "if_statement", "for_statement", "var_spec", "const_spec",
                    "go_statement", "defer_statement", "send_statement",
                    "expression_switch_statement", "type_switch_statement"}
_DECLARATION_NODES = {
    "function_declaration", "method_declaration", "type_declaration", "type_spec", "type_alias",
    "var_declaration", "const_declaration", "var_spec", "const_spec", "field_declaration",
    "method_elem", "method_spec", "package_clause", "import_declaration",
}

# zerolog-style chained field methods: the first argument is a log key.
ZEROLOG_KEY_METHODS = frozenset(
    "Str Strs Stringer Int Int8 Int16 Int32 Int64 Uint Uint8 Uint16 Uint32 Uint64 Float32 Float64 "
    "Bool Bools Any Interface Dur Time TimeDiff Bytes Hex RawJSON AnErr Dict Array Object IPAddr "
    "MACAddr Ints Uints Floats64 Durs Times Errs Fields Type".split()
)
# log/slog attribute constructors: slog.String("run_id", v).
SLOG_ATTRS = frozenset("String Int Int64 Uint64 Float64 Bool Time Duration Any Group".split())
# OpenTelemetry's attribute constructors (go.opentelemetry.io/otel/attribute): a key that
# dashboards and alerts query, like a log key.
OTEL_ATTRS = frozenset("String Int Int64 Float64 Bool Stringer StringSlice IntSlice Int64Slice "
                       "Float64Slice BoolSlice Key".split())
# zap's field constructors (go.uber.org/zap): zap.String("run_id", v), a log key.
ZAP_FIELDS = frozenset(
    "String Strings Int Int8 Int16 Int32 Int64 Ints Int64s Uint Uint8 Uint16 Uint32 Uint64 Uints "
    "Uintptr Float32 Float64 Float64s Bool Bools Any Duration Durations Time Times Stringer "
    "ByteString Binary Reflect Object Array NamedError Namespace Complex64 Complex128".split())
# slog methods with key-value arguments: method -> (index of the message, index of the first key);
# zap's SugaredLogger has the same shape (`Infow("msg", "run_id", v)`).
SLOG_KV = {
    "Debug": (0, 1), "Info": (0, 1), "Warn": (0, 1), "Error": (0, 1),
    "DebugContext": (1, 2), "InfoContext": (1, 2), "WarnContext": (1, 2), "ErrorContext": (1, 2),
    "Log": (2, 3), "With": (-1, 0),
    **{f"{level}w": (0, 1) for level in ("Debug", "Info", "Warn", "Error", "DPanic", "Panic",
                                         "Fatal")},
}
# net/http's Error(w, text, code), which a logger's Error(msg, key, value) would take it for.
HTTP_ERROR = "http.Error"
# logrus's field: `logrus.WithField("run_id", v)`, `entry.WithField(...)`; a method of that name
# is taken for logrus's on a package of that name or a receiver named like a logger or an entry.
LOGRUS_FIELD = "WithField"
_LOGGER_NAME_RE = re.compile(r"(?i)log|entry")
QUERY_METHODS = frozenset(
    "FormValue PostFormValue Query DefaultQuery GetQuery QueryParam QueryArray FormFile".split()
)
# Reads of a path parameter, and the index of the name among their arguments: net/http's
# PathValue, gin's and echo's Param, fiber's Params, httprouter's ByName, chi's URLParam.
PATH_PARAM_METHODS = {"PathValue": 0, "SetPathValue": 0, "Param": 0, "Params": 0, "ByName": 0,
                      "URLParam": 1, "URLParamFromCtx": 1}
# The reads and writes of a cookie that take its name first: net/http's and echo's
# `r.Cookie("run_id")`, gin's `c.Cookie` and `c.SetCookie`; net/http's `http.Cookie{Name: ...}`
# is read by _cookie_name_element.
COOKIE_METHODS = frozenset({"Cookie", "SetCookie"})
# gRPC's metadata package (google.golang.org/grpc/metadata), whose keys travel as HTTP/2
# headers: the calls that take key-value pairs from this argument on, and those that take a key
# at this argument.
GRPC_METADATA_KV = {"Pairs": 0, "AppendToOutgoingContext": 1}
GRPC_METADATA_KEY = {"ValueFromIncomingContext": 1}
# Struct tags that bind a path parameter to a field: gin's `uri:"run_id"` (ShouldBindUri), echo's
# `param:"run_id"` (Bind): they spell the route's parameter, and go with it.
PATH_PARAM_TAGS = frozenset({"uri", "param"})
VALUES_METHODS = frozenset("Get Set Add Del Has Values".split())
MESSAGE_FUNCS = frozenset(
    "errors.New fmt.Errorf fmt.Sprintf fmt.Sprint fmt.Sprintln fmt.Printf fmt.Println fmt.Print "
    "fmt.Fprintf fmt.Fprintln fmt.Fprint log.Printf log.Println log.Print log.Fatalf log.Fatal "
    "log.Fatalln log.Panicf log.Panic panic".split()
)
# The detail of a map key that is a sentence (``"POST with run_id missing returns 400": {...}``
# in a test table): a message.
MAP_KEY_SENTENCE = "map key"
# The detail of a test table's key (``map[string]struct{...}{"RunID": {...}}`` in a test file):
# a case's name, which t.Run prints, a message too.
TEST_CASE_NAME = "test case name"
# The message functions that build a string rather than show it: what they build may be a query.
_BUILDERS = frozenset("fmt.Sprintf fmt.Sprint fmt.Sprintln".split())
_SPACE_RE = re.compile(rb"\s|\\[nt]")
# fmt's printers to an io.Writer: text written to a connection, a response or a file is output
# another program may read (an HTTP header line), not a message, unless it goes to the console.
WRITER_FUNCS = frozenset("fmt.Fprintf fmt.Fprintln fmt.Fprint io.WriteString".split())
CONSOLE_WRITERS = frozenset({"os.Stdout", "os.Stderr"})
MESSAGE_METHODS = frozenset(
    "Msg Msgf Errorf Fatalf Fatal Logf Log Skipf Skip Wrap Wrapf Panicf Error Errorw Infof "
    "Warnf Debugf".split()
)
SQL_RE = re.compile(
    rb"(?is)\b(select\b.+\bfrom|insert\s+into|update\s+\w+\s+set|delete\s+from|create\s+"
    rb"(unique\s+)?(table|index)|alter\s+table|drop\s+(table|index|column)|where\s+\w+\s*(=|in\b|is\b))"
)
HEADER_RE = re.compile(r"^(X|x)-[A-Za-z0-9]+(-[A-Za-z0-9]+)*$")
_TAG_PAIR_RE = re.compile(rb'([A-Za-z_][A-Za-z0-9_.-]*):"((?:[^"\\]|\\.)*)"')


@lru_cache(maxsize=1)
def go_language() -> Any:
    """tree-sitter's Go grammar (made once; every parser and query of the project uses it)."""
    import tree_sitter
    import tree_sitter_go

    return tree_sitter.Language(tree_sitter_go.language())


@lru_cache(maxsize=8)
def go_query(source: str) -> Any:
    """A tree-sitter query over :func:`go_language` (compiled once per source)."""
    import tree_sitter

    return tree_sitter.Query(go_language(), source)


@lru_cache(maxsize=1)
def _parser() -> Any:
    import tree_sitter

    return tree_sitter.Parser(go_language())


def parse(data: bytes) -> Any:
    """The tree-sitter tree of a Go source (see :func:`parse_masked`)."""
    return parse_masked(data)[0]


def parse_masked(data: bytes) -> tuple[Any, tuple[tuple[int, int], ...]]:
    """The tree-sitter tree of a Go source, and the spans of it that were masked to parse it.

    A file with syntax newer than the grammar (``new(expr)``, a method's type parameters) is
    parsed from a masked copy of the same length when that parses without errors (see
    :mod:`idrename.newsyntax`): nothing in the spans is seen. tree-sitter-go also finds an error
    at the end of a file whose last declaration has no newline after it (`type T struct{...}`,
    `var (...)`, `type T = map[K]V`), which Go accepts: such a file is parsed with a newline
    after it (the offsets are the same)."""
    tree = _parse_padded(data)
    if tree.root_node.has_error:
        from .newsyntax import masked

        found = masked(data)
        if found is not None:
            again = _parse_padded(found[0])
            if not again.root_node.has_error:
                return again, found[1]
    return tree, ()


def _parse_padded(data: bytes) -> Any:
    tree = _parser().parse(data)
    if tree.root_node.has_error and data and not data.endswith(b"\n"):
        padded = _parser().parse(data + b"\n")
        if not padded.root_node.has_error:
            return padded
    return tree


def is_generated(data: bytes) -> bool:
    """Go's rule, a line `// Code generated ... DO NOT EDIT.` before the package clause, or the
    older headers that said the same over several lines or in other words (protoc-gen-go and
    gogo before 2017: `// Code generated by protoc-gen-gogo.` then `// DO NOT EDIT!`; mockgen's
    `// Automatically generated by MockGen. DO NOT EDIT!`): a comment line before the package
    clause that says the file is generated, and one that ends DO NOT EDIT."""
    return _generated_line(_head(data)) is not None


# The older headers: a comment line saying the file is generated, and one ending DO NOT EDIT.
_SAYS_GENERATED_RE = re.compile(rb"^//.*\b(?:[Aa]uto-?)?[Gg]enerated\b.*$", re.MULTILINE)
_SAYS_DO_NOT_EDIT_RE = re.compile(rb"^//.*\bDO NOT EDIT[.!]?[ \t]*$", re.MULTILINE)


def _generated_line(head: bytes) -> bytes | None:
    """The header line that marks a Go file generated (Go's line, else the older header's line
    that says generated), or None."""
    line = GENERATED_RE.search(head)
    if line is not None:
        return line.group()
    said = _SAYS_GENERATED_RE.search(head)
    if said is not None and _SAYS_DO_NOT_EDIT_RE.search(head) is not None:
        return said.group()
    return None


def _head(data: bytes) -> bytes:
    """What comes before a Go file's package clause, with Unix line ends: where Go's rule looks
    for the generated-file line."""
    head = data.split(b"\npackage ", 1)[0] if not data.startswith(b"package ") else b""
    return head.replace(b"\r\n", b"\n")


# What a generator's header says its input is: "Code generated from X ...", "Code generated by
# tool from X ...", and a "// source: X" line (protoc-gen-go, sqlc; mockgen's "// Source: X").
_FROM_RE = re.compile(r"\bfrom\s+(\S+)")
_SOURCE_RE = re.compile(r"^//\s*source:\s*(\S+)", re.IGNORECASE | re.MULTILINE)
_QUOTES = "'\"`"


def generator_inputs(data: bytes) -> list[str]:
    """The files a generated Go file's header names as its generator's input, as written
    (relative paths, in header order, without surrounding quotes or trailing punctuation):
    where the names a generated file spells come from, which ``go generate`` writes again.
    Empty when the file is not generated or its header names no input."""
    head = _head(data)
    line = _generated_line(head)
    if line is None:
        return []
    text = head.decode("utf-8", "replace")
    found = [m.group(1) for m in _FROM_RE.finditer(line.decode("utf-8", "replace"))]
    found += [m.group(1) for m in _SOURCE_RE.finditer(text)]
    names = [name.strip(_QUOTES).rstrip(".,;:").strip(_QUOTES) for name in found]
    return list(dict.fromkeys(name for name in names if name))


@dataclass
class GoFileScan:
    """What one Go file yields: its occurrences, related vocabulary and any parse problems."""

    occurrences: list[Occurrence] = field(default_factory=list)
    related: list[tuple[str, int, int, str]] = field(default_factory=list)  # (token, line, col, role)
    syntax_errors: list[tuple[int, int]] = field(default_factory=list)  # (line, column)
    package: str = ""


def syntax_error_positions(root: Node, limit: int = 10) -> list[tuple[int, int]]:
    """(line, column) of the first ERROR or MISSING nodes, 1-based."""
    found: list[tuple[int, int]] = []
    stack = [root]
    while stack and len(found) < limit:
        node = stack.pop()
        if not node.has_error:
            continue
        if node.is_error or node.is_missing:
            row, col = node.start_point
            found.append((row + 1, col + 1))
            continue
        stack.extend(reversed(node.children))
    if not found and root.has_error:  # an error the tree holds in no node it shows: its end
        row, col = root.end_point
        found.append((row + 1, col + 1))
    return sorted(found)


def package_name(root: Node) -> str:
    """The name in the file's package clause ('' when there is none)."""
    for child in root.named_children:
        if child.type == "package_clause":
            for c in child.named_children:
                if c.type == "package_identifier":
                    return _text(c)
    return ""


def default_import_name(path: str) -> str:
    """The name an import path binds without an alias (its last element, skipping a /vN suffix
    and gopkg.in's .vN, with go- prefixes and -go suffixes dropped)."""
    last = path.rsplit("/", 1)[-1]
    if re.fullmatch(r"v[0-9]+", last) and "/" in path:
        last = path.rsplit("/", 2)[-2]
    if path.startswith("gopkg.in/"):
        last = last.split(".")[0]
    return re.sub(r"[^A-Za-z0-9_]", "_", last.removeprefix("go-").removesuffix("-go"))


def import_specs(root: Node) -> list[tuple[str, str, Node]]:
    """(bound name, import path, the node naming it) for each import of a file; blank and dot
    imports bind no name and are left out."""
    out = []
    for decl in (n for n in root.named_children if n.type == "import_declaration"):
        stack = [decl]
        while stack:
            node = stack.pop()
            if node.type != "import_spec":
                stack.extend(reversed(node.named_children))
                continue
            alias = node.child_by_field_name("name")
            path_node = node.child_by_field_name("path")
            if path_node is None:
                continue
            path = _text(path_node).strip('"`')
            if alias is not None:
                if _text(alias) in ("_", "."):
                    continue
                out.append((_text(alias), path, alias))
            else:
                out.append((default_import_name(path), path, path_node))
    return out


class _FileContext:
    """Per-file facts the classifier needs: imports and the declarations of each function."""

    def __init__(self, root: Node, data: bytes) -> None:
        self.root = root
        self.data = data
        self.package = ""
        self.imports: set[str] = set()
        self.types: set[str] = set()
        self.package = package_name(root)
        for child in root.named_children:
            if child.type == "type_declaration":
                for spec in child.named_children:
                    name = spec.child_by_field_name("name")
                    if name is not None:
                        self.types.add(_text(name))
        specs = import_specs(root)
        # the names bound by an import without an alias: the imported package's own name. A
        # package is named in lower case, its folder not always (`package templatemaker` in
        # `internal/templateMaker`): such an import binds that name too
        self.unaliased = {name: path for name, path, node in specs
                          if node.type in _STRING_LITERAL}
        for name, path in list(self.unaliased.items()):
            self.unaliased.setdefault(name.lower(), path)
        self.imports = {name for name, _path, _node in specs} | set(self.unaliased)
        self._tops = root.named_children
        self._top_starts = [c.start_byte for c in self._tops]
        self._symbols: dict[int, str] = {}
        self._locals: dict[int, set[str]] = {}
        self._declarations: dict[int, dict[str, list[Node]]] = {}  # function -> name -> nodes

    def symbol(self, node: Node) -> str:
        """:func:`enclosing_symbol`, answered from the top-level function or method when there
        is one (the common case), else by walking up."""
        top = self.top_level(node)
        if top is not None and top.type in ("function_declaration", "method_declaration"):
            if top.id not in self._symbols:
                self._symbols[top.id] = _declared_symbol(top)
            return self._symbols[top.id]
        return enclosing_symbol(node)

    def declared_in_function(self, fn: Node) -> set[str]:
        """The names a function declares: its parameters (receiver and results included) and
        every ``var``, ``const``, ``:=`` (a range clause's too) and type-switch name in its
        body, func literals included. One query over the function (in C), not a walk in
        Python."""
        names = self._locals.get(fn.id)
        if names is None:
            import tree_sitter

            found = tree_sitter.QueryCursor(_locals_query()).captures(fn).get("name", [])
            names = self._locals[fn.id] = {_text(n) for n in found}
        return names

    def top_level(self, node: Node) -> Node | None:
        """The top-level declaration that holds ``node`` (a bisect, not a walk up)."""
        offset = node.start_byte
        i = bisect.bisect_right(self._top_starts, offset) - 1
        if i >= 0 and self._tops[i].end_byte > offset:
            return self._tops[i]
        return None

    def is_local(self, node: Node, name: str) -> bool:
        """Declared as a parameter or local in a function around ``node`` (judged per
        top-level function, func literals included, like Go's own per-function view)."""
        top = self.top_level(node)
        if top is not None and top.type in ("function_declaration", "method_declaration"):
            return name in self.declared_in_function(top)
        for anc in _ancestors(node):
            if anc.type in _FUNCTION_NODES and name in self.declared_in_function(anc):
                return True
        return False

    def is_package_name(self, node: Node) -> bool:
        """Whether the identifier ``node`` names an imported package: an import binds its name,
        and no local of that name is in scope there (``db := db.AllArtists`` reads the package
        ``db``: a local's scope begins after its declaration)."""
        if node.type != "identifier" or _text(node) not in self.imports:
            return False
        name = _text(node)
        return not self.is_local(node, name) or not self._shadowed(node, name)

    def _shadowed(self, node: Node, name: str) -> bool:
        """Whether a declaration of ``name`` in a function around ``node`` is in scope at
        ``node`` (see :func:`_in_scope`)."""
        for anc in _ancestors(node):
            if anc.type not in _FUNCTION_NODES:
                continue
            declared = self._declarations.get(anc.id)
            if declared is None:
                import tree_sitter

                declared = self._declarations[anc.id] = {}
                for n in tree_sitter.QueryCursor(_locals_query()).captures(anc).get("name", []):
                    declared.setdefault(_text(n), []).append(n)
            if any(_in_scope(d, node) for d in declared.get(name, ())):
                return True
        return False


# Where a local's scope ends: the innermost block, or the statement whose header declares it
# (`if x := ...`, `for k := range ...`, `switch v := x.(type)`), or a case clause's statements.
_SCOPES = frozenset({"block", "for_statement", "if_statement", "expression_switch_statement",
                     "type_switch_statement", "select_statement", "expression_case", "type_case",
                     "default_case", "communication_case"})
_DECLARING = frozenset({"short_var_declaration", "var_declaration", "const_declaration",
                        "range_clause", "type_switch_statement"})


def _in_scope(declared: Node, use: Node) -> bool:
    """Whether the local ``declared`` (an identifier the locals query captured) is in scope at
    ``use``: a parameter in its whole function; any other from the end of the statement that
    declares it (the range clause, the type switch's header) to the end of its scope (see
    :data:`_SCOPES`)."""
    holder = declared.parent
    if holder is not None and holder.type in ("parameter_declaration",
                                              "variadic_parameter_declaration"):
        fn = next((a for a in _ancestors(holder) if a.type in _FUNCTION_NODES), None)
        return fn is not None and fn.start_byte <= use.start_byte < fn.end_byte
    stmt = next((a for a in _ancestors(declared) if a.type in _DECLARING), None)
    if stmt is None:
        return True  # not a shape read here: in scope, as the function-wide view had it
    start = stmt.end_byte
    if stmt.type == "type_switch_statement":
        value = stmt.child_by_field_name("value")
        start, scope = (value.end_byte if value is not None else declared.end_byte), stmt
    else:
        scope = next((a for a in _ancestors(stmt) if a.type in _SCOPES), None)
    return scope is not None and start <= use.start_byte < scope.end_byte


def _locals_query() -> Any:
    """The names declared inside a function (see :meth:`_FileContext.declared_in_function`)."""
    return go_query("""
        (parameter_declaration name: (identifier) @name)
        (variadic_parameter_declaration name: (identifier) @name)
        (var_spec name: (identifier) @name)
        (const_spec name: (identifier) @name)
        (short_var_declaration left: (expression_list (identifier) @name))
        (range_clause left: (expression_list (identifier) @name) ":=")
        (type_switch_statement alias: (expression_list (identifier) @name))
    """)


def _declares(range_clause: Node) -> bool:
    """Whether a range clause declares its names (``for k, v := range``), not assigns them."""
    return any(c.type == ":=" for c in range_clause.children)


def _text(node: Node) -> str:
    return node.text.decode("utf-8", "replace")


def _ancestors(node: Node) -> Any:
    node = node.parent
    while node is not None:
        yield node
        node = node.parent


def _is_field(parent: Node, name: str, node: Node) -> bool:
    return any(c.start_byte == node.start_byte and c.end_byte == node.end_byte
               for c in parent.children_by_field_name(name))


def _in_function(node: Node) -> bool:
    return any(a.type in _FUNCTION_NODES for a in _ancestors(node))


def _receiver_type(method: Node) -> str:
    receiver = method.child_by_field_name("receiver")
    if receiver is None:
        return ""
    for param in receiver.named_children:
        typ = param.child_by_field_name("type")
        if typ is not None:
            text = _text(typ).lstrip("*")
            return text.split("[", 1)[0]
    return ""


def enclosing_symbol(node: Node) -> str:
    """The declaration around ``node``: ``Func``, ``Type.Method``, ``Type`` or a package var."""
    for anc in _ancestors(node):
        t = anc.type
        if t == "function_declaration":
            name = anc.child_by_field_name("name")
            return _text(name) if name is not None else ""
        if t == "method_declaration":
            name = anc.child_by_field_name("name")
            recv = _receiver_type(anc)
            return f"{recv}.{_text(name)}" if name is not None else recv
        if t in ("method_elem", "method_spec"):
            name = anc.child_by_field_name("name")
            owner = _type_name(anc)
            return f"{owner}.{_text(name)}" if name is not None else owner
        if t in ("type_spec", "type_alias"):
            name = anc.child_by_field_name("name")
            return _text(name) if name is not None else ""
        if t in ("var_spec", "const_spec") and anc.parent is not None and not _in_function(anc):
            names = anc.children_by_field_name("name")
            return _text(names[0]) if names else ""
    return ""


def _declared_symbol(decl: Node) -> str:
    """The symbol a declaration node declares (for doc comments above it)."""
    name = decl.child_by_field_name("name")
    if decl.type == "method_declaration" and name is not None:
        return f"{_receiver_type(decl)}.{_text(name)}"
    if decl.type in ("field_declaration", "method_elem", "method_spec") and name is not None:
        owner = _type_name(decl)
        return f"{owner}.{_text(name)}" if owner else _text(name)
    if name is not None:
        return _text(name)
    for child in decl.named_children:  # type/var/const declarations wrap one spec
        if child.type in ("type_spec", "type_alias", "var_spec", "const_spec"):
            return _declared_symbol(child)
    return ""


def _type_name(node: Node) -> str:
    for anc in _ancestors(node):
        if anc.type in ("type_spec", "type_alias"):
            name = anc.child_by_field_name("name")
            return _text(name) if name is not None else ""
    return ""


# Composite literal types whose keys are values: a map's keys, an array's or a slice's indexes
# (`[...]state{elementScript: stateJS}` indexes by a constant), never field names.
_VALUE_KEYED_TYPES = frozenset({"map_type", "array_type", "slice_type",
                                "implicit_length_array_type"})


def _composite_literal(keyed: Node) -> tuple[Node | None, bool]:
    """The composite literal a keyed element belongs to, and whether the element sits directly
    in a map, array or slice literal (so its key is a value, not a field name)."""
    literal_value = keyed.parent
    direct = True
    for anc in _ancestors(keyed):
        if anc.type == "composite_literal":
            typ = anc.child_by_field_name("type")
            is_map = typ is not None and typ.type in _VALUE_KEYED_TYPES
            return anc, direct and is_map and anc.child_by_field_name("body") == literal_value
        if anc.type == "literal_element":
            direct = False
    return None, False


def _root_of(node: Node) -> Node:
    while node.parent is not None:
        node = node.parent
    return node


_ENV_READS = ("Getenv", "LookupEnv")


def env_wrappers(root: Node) -> dict[str, int]:
    """The functions a file declares that read an environment variable named by one of their
    parameters (``func getenv(key, fallback string) string { v, ok := os.LookupEnv(key) ...``),
    by name, with that parameter's index: a call's string there names the variable."""
    found: dict[str, int] = {}
    for fn in root.named_children:
        if fn.type != "function_declaration":
            continue
        name, params = fn.child_by_field_name("name"), fn.child_by_field_name("parameters")
        body = fn.child_by_field_name("body")
        if name is None or params is None or body is None:
            continue
        names = [_text(n) for p in params.named_children
                 if p.type == "parameter_declaration"
                 for n in p.children_by_field_name("name")]
        stack = [body]
        while stack and _text(name) not in found:
            node = stack.pop()
            stack.extend(node.named_children)
            if node.type != "call_expression":
                continue
            callee, args = node.child_by_field_name("function"), node.child_by_field_name(
                "arguments")
            if callee is None or args is None or callee.type != "selector_expression" or \
                    not args.named_children:
                continue
            operand, field = callee.child_by_field_name("operand"), callee.child_by_field_name(
                "field")
            first = args.named_children[0]
            if operand is not None and field is not None and _text(operand) == "os" and \
                    _text(field) in _ENV_READS and first.type == "identifier" and \
                    _text(first) in names:
                found[_text(name)] = names.index(_text(first))
    return found


EXEC_ARGUMENT = "exec.Command"  # the detail of an external_name on another program's command line


def exec_wrappers(root: Node) -> dict[str, int]:
    """The functions and methods a file declares that run another program with the words of
    their variadic parameter (``func run(dir string, args ...string) { exec.Command("git",
    args...) ...``), by name, with that parameter's index: a call's strings from there on are
    words of that program's command line."""
    found: dict[str, int] = {}
    for fn in root.named_children:
        if fn.type not in ("function_declaration", "method_declaration"):
            continue
        name, params = fn.child_by_field_name("name"), fn.child_by_field_name("parameters")
        body = fn.child_by_field_name("body")
        if name is None or params is None or body is None:
            continue
        index, variadic = 0, ""
        for p in params.named_children:
            names = p.children_by_field_name("name")
            if p.type == "variadic_parameter_declaration" and names:
                variadic = _text(names[0])
                break
            index += max(len(names), 1)
        if not variadic or b"exec.Command" not in body.text:
            continue
        stack = [body]
        while stack:
            node = stack.pop()
            stack.extend(node.named_children)
            if node.type == "variadic_argument" and _text(node).rstrip(".").strip() == variadic:
                call = node.parent.parent if node.parent is not None else None
                callee = call.child_by_field_name("function") if call is not None else None
                if callee is not None and _text(callee) in ("exec.Command", "exec.CommandContext"):
                    found[_text(name)] = index
                    break
    return found


def _in_instantiation(qualified: Node) -> bool:
    """Whether a qualified type is a generic type's instantiation written as an expression, or
    an argument of one (``f[pkg.T](x)``, ``pkg.F[T](x)``), which the grammar also reads an
    index as: ``g.handlers[i](h)``, a call of an element of a field, reads as the conversion
    of ``h`` to the type ``handlers[i]`` of a package ``g``."""
    node = qualified.parent
    while node is not None and node.type in ("type_elem", "type_arguments", "generic_type"):
        node = node.parent
    return node is not None and node.type in ("type_instantiation_expression",
                                              "type_conversion_expression")


def _type_qualifier(parent: Node | None, name: Node) -> str:
    """The package that qualifies a type use (``dwarf`` in ``*dwarf.PtrType``), as a qualified
    call records it in ``detail``; "" for a type named bare."""
    if parent is None or parent.type != "qualified_type" or not _is_field(parent, "name", name):
        return ""
    package = parent.child_by_field_name("package")
    return _text(package) if package is not None else ""


def literal_qualifier(owner: str) -> str:
    """The package qualifying the struct type whose fields a composite literal's keys name,
    from the literal's type (a composite key's ``owner``): ``net`` for ``net.Dialer``,
    ``&net.Dialer``, ``[]*net.Dialer`` or ``map[string]net.Dialer`` (whose elements' keys name
    its fields); "" for a type named bare and for an anonymous struct (``[]struct{ d
    time.Duration }``), whose fields the file itself declares."""
    element = _literal_element(owner)
    found = _QUALIFIED_NAME.match(element)
    return found.group(1) if found is not None else ""


_QUALIFIED_NAME = re.compile(r"([A-Za-z_]\w*)\s*\.\s*[A-Za-z_]")


def _literal_element(owner: str) -> str:
    """A literal type without the pointers, slices, arrays and maps around its element type:
    the type whose fields the keys of the inner literals name."""
    text = owner.lstrip()
    while text:
        if text[0] in "&*":
            text = text[1:].lstrip()
        elif text.startswith(("[", "map[")):
            end = _closing_bracket(text, text.index("["))
            if end < 0:
                return text
            text = text[end + 1:].lstrip()
        else:
            break
    return text


def _closing_bracket(text: str, start: int) -> int:
    """The index of the ``]`` that closes the ``[`` at ``start`` (-1 when none does)."""
    depth = 0
    for i in range(start, len(text)):
        if text[i] == "[":
            depth += 1
        elif text[i] == "]":
            depth -= 1
            if depth == 0:
                return i
    return -1


def _composite_type(keyed: Node) -> tuple[str, bool]:
    literal, is_map = _composite_literal(keyed)
    if literal is None:
        return "", False
    typ = literal.child_by_field_name("type")
    return (_text(typ) if typ is not None else ""), is_map


def _table_of_cases(keyed: Node) -> bool:
    """Whether a keyed element is an entry of a map literal whose values are anonymous structs
    (``map[string]struct{ in, want string }{"RunID": {...}}``): in a test, a table of cases."""
    literal, is_map = _composite_literal(keyed)
    typ = literal.child_by_field_name("type") if literal is not None and is_map else None
    value = typ.child_by_field_name("value") if typ is not None and typ.type == "map_type" \
        else None
    return value is not None and value.type == "struct_type"


class GoClassifier:
    """Classifies family tokens in one parsed Go file (``is_test``: a ``_test.go`` file)."""

    def __init__(self, root: Node, data: bytes, is_test: bool = False) -> None:
        self.ctx = _FileContext(root, data)
        self.data = data
        self.is_test = is_test
        self._templates: dict[int, Any] = {}  # string literal's start -> its gotemplate.Template
        self._env_wrappers: dict[str, int] | None = None  # see env_wrappers
        self._exec_wrappers: dict[str, int] | None = None  # see exec_wrappers
        self._delims: bool | None = None  # whether the file calls Delims (looked up once)
        self._subtest_fields: dict[str, bool] = {}  # field -> whether `t.Run(tc.field` names it

    def _handed_to_program(self, element: Node) -> bool:
        """Whether an element of a ``[]string{...}`` held in a variable is a word of another
        program's command line: the variable is handed whole (``args...``) to
        ``exec.Command``, ``exec.CommandContext`` or a function of the file that runs one
        (:func:`exec_wrappers`), in the same function."""
        if b"exec.Command" not in self.data:
            return False  # (no program run in this file)
        value = element.parent
        composite = value.parent if value is not None else None
        if composite is None or composite.type != "composite_literal" or \
                _text(composite.child_by_field_name("type") or composite) != "[]string":
            return False
        values = composite.parent
        statement = values.parent if values is not None else None
        if values is None or values.type != "expression_list" or statement is None or \
                statement.type not in ("short_var_declaration", "assignment_statement"):
            return False
        left = statement.child_by_field_name("left")
        if left is None or len(left.named_children) != 1 or \
                left.named_children[0].type != "identifier":
            return False
        name = _text(left.named_children[0])
        body = next((a for a in _ancestors(statement) if a.type == "block" and a.parent is not
                     None and a.parent.type in ("function_declaration", "method_declaration",
                                                "func_literal")), None)
        if body is None:
            return False
        if self._exec_wrappers is None:
            self._exec_wrappers = exec_wrappers(_root_of(statement))
        stack = [body]
        while stack:
            node = stack.pop()
            stack.extend(node.named_children)
            if node.type != "variadic_argument" or _text(node).rstrip(".").strip() != name:
                continue
            call = node.parent.parent if node.parent is not None else None
            fn = call.child_by_field_name("function") if call is not None else None
            if fn is None:
                continue
            called = _text(fn.child_by_field_name("field") or fn) \
                if fn.type == "selector_expression" else _text(fn)
            if _text(fn) in ("exec.Command", "exec.CommandContext") or \
                    called in self._exec_wrappers:
                return True
        return False

    def _names_subtests(self, field: str) -> bool:
        """Whether this file runs subtests named by a field ``field`` of its cases
        (``t.Run(tc.name, ...)``, ``t.Run(tt.name+"/strict", ...)``)."""
        if field not in self._subtest_fields:
            self._subtest_fields[field] = field.isidentifier() and re.search(
                rb"\.Run\(\s*[A-Za-z_]\w*\." + field.encode() + rb"\b", self.data) is not None
        return self._subtest_fields[field]

    # -- identifiers ---------------------------------------------------------------------------
    def identifier(self, node: Node) -> tuple[str, str, str]:
        """(role, owner, detail) of an identifier-like leaf."""
        t = node.type
        p = node.parent
        pt = p.type if p is not None else ""
        name = _text(node)
        if t == "field_identifier":
            if pt == "field_declaration":
                return R.FIELD_DECL, _type_name(node), ""
            if pt == "method_declaration":
                return R.METHOD_DECL, _receiver_type(p), ""
            if pt in ("method_elem", "method_spec"):
                return R.INTERFACE_METHOD, _type_name(node), ""
            if pt == "selector_expression":
                return self._selector(p)
            if pt in ("literal_element", "keyed_element"):
                keyed = p if pt == "keyed_element" else p.parent
                owner, _ = _composite_type(keyed)
                return R.COMPOSITE_KEY, owner, ""
            return R.SELECTOR, "", ""
        if t == "type_identifier":
            if pt in ("type_spec", "type_alias") and _is_field(p, "name", node):
                return (R.TYPE_DECL, "", "")
            qualifier = _type_qualifier(p, node)
            if qualifier and qualifier not in self.ctx.imports and _in_instantiation(p):
                # `acked[p.Queue][p.ID] = true`, `g.handlers[i](h)`: the grammar reads an
                # index of an index, or a call of an indexed field, as a generic type's
                # instantiation, and `p.ID` as a type of package p; no import of the file
                # binds p, so it is a value's field
                return R.SELECTOR, "", ""
            return R.TYPE_USE, "", qualifier
        if t == "package_identifier":
            if pt == "package_clause":
                return R.PACKAGE_USE, "", R.PACKAGE_CLAUSE
            if pt == "import_spec":
                return R.PACKAGE_USE, "", "import"
            return R.PACKAGE_USE, self.ctx.unaliased.get(name, ""), ""
        if t in ("label_name",):
            return R.LABEL, "", ""
        # plain identifier
        if pt in ("parameter_declaration", "variadic_parameter_declaration"):
            plist = p.parent
            method = plist.parent if plist is not None else None
            detail = _without_body(method)
            if (method is not None and method.type == "method_declaration"
                    and _is_field(method, "receiver", plist)):
                return R.RECEIVER, _receiver_type(method), detail
            return R.PARAMETER, "", detail
        if pt == "function_declaration" and _is_field(p, "name", node):
            # no body: implemented in assembly or linked by a directive (roles.NO_BODY)
            return R.FUNC_DECL, "", R.NO_BODY if p.child_by_field_name("body") is None else ""
        if pt in ("var_spec", "const_spec") and _is_field(p, "name", node):
            if _in_function(p):
                return R.LOCAL_DECL, "", "const" if pt == "const_spec" else "var"
            return (R.VAR_DECL if pt == "var_spec" else R.CONST_DECL), "", ""
        if pt == "expression_list":
            gp = p.parent
            if gp is not None and gp.type in ("short_var_declaration", "range_clause") and _is_field(
                gp, "left", p
            ) and (gp.type == "short_var_declaration" or _declares(gp)):
                return R.LOCAL_DECL, "", ""
            if gp is not None and gp.type == "type_switch_statement" and _is_field(gp, "alias", p):
                return R.LOCAL_DECL, "", ""  # switch x := v.(type)
        if pt == "range_clause" and _is_field(p, "left", node) and _declares(p):
            return R.LOCAL_DECL, "", ""
        if pt == "type_switch_statement" and _is_field(p, "alias", node):
            return R.LOCAL_DECL, "", ""
        if pt == "literal_element":
            keyed = p.parent
            if keyed is not None and keyed.type == "keyed_element" and _is_field(keyed, "key", p):
                owner, is_map = _composite_type(keyed)
                if not is_map:
                    return R.COMPOSITE_KEY, owner, ""
            elif keyed is not None and keyed.type == "keyed_element" and keyed.named_children and \
                    keyed.named_children[0] == p:
                owner, is_map = _composite_type(keyed)
                if not is_map:
                    return R.COMPOSITE_KEY, owner, ""
        if pt == "call_expression" and _is_field(p, "function", node):
            if self.ctx.is_local(node, name):
                return R.LOCAL_USE, "", "call"
            if name in self.ctx.types:
                return R.TYPE_USE, "", "conversion"
            return R.FUNC_CALL, "", ""
        if pt == "labeled_statement":
            return R.LABEL, "", ""
        if self.ctx.is_local(node, name):
            return R.LOCAL_USE, "", ""
        if pt == "selector_expression" and _is_field(p, "operand", node):
            return R.PACKAGE_USE, self.ctx.unaliased.get(name, ""), ""
        return R.PACKAGE_USE, "", ""

    def _selector(self, sel: Node) -> tuple[str, str, str]:
        operand = sel.child_by_field_name("operand")
        called = (
            sel.parent is not None
            and sel.parent.type == "call_expression"
            and _is_field(sel.parent, "function", sel)
        )
        if operand is not None and self.ctx.is_package_name(operand):
            pkg = _text(operand)
            return (R.FUNC_CALL if called else R.PACKAGE_USE), "", pkg
        return (R.METHOD_CALL if called else R.SELECTOR), "", ""

    # -- strings -------------------------------------------------------------------------------
    def string(self, node: Node, start: int, end: int, token: str) -> tuple[str, str, str]:
        literal = node if node.type in _STRING_LITERAL else node.parent
        while literal is not None and literal.type not in _STRING_LITERAL:
            literal = literal.parent
        if literal is None:
            return R.STRING, "", ""
        if self.data.find(b"{{", literal.start_byte, literal.end_byte) >= 0 and \
                not _regexp_pattern(literal):
            from .gotemplate import Template  # a template held in a string: `{{.RunID}}`

            template = self._templates.get(literal.start_byte)
            if template is None:  # lexed once for all the literal's tokens
                template = self._templates[literal.start_byte] = Template(
                    self.data[literal.start_byte : literal.end_byte])
            ref = template.reference(start - literal.start_byte, end - literal.start_byte)
            if ref is not None:
                return ref.role, ref.owner, ref.template
        if self._delims is None:
            self._delims = b".Delims(" in self.data
        if self._delims:  # `template.New("x").Delims("[[", "]]").Parse("[[.RunID]]")`
            from .gotemplate import Template, delims_around

            pair = delims_around(self.data, start, end, literal.start_byte, literal.end_byte)
            if pair is not None:
                ref = Template(self.data[literal.start_byte : literal.end_byte], pair).reference(
                    start - literal.start_byte, end - literal.start_byte)
                if ref is not None:
                    return ref.role, ref.owner, ref.template
        parent = literal.parent
        if parent is not None and parent.type == "import_spec":
            return R.IMPORT_PATH, "", ""
        if _in_route(self.data, literal.start_byte, literal.end_byte, start, end):
            return R.PATH_PARAM, "", "route"
        if _in_url_query(self.data, literal.start_byte, start, end):
            return R.QUERY_PARAM, "", R.URL_QUERY
        if _path_segment(self.data, literal.start_byte, literal.end_byte, start, end):
            return R.PATH_SEGMENT, "", ""
        if _struct_dump_key(self.data, literal.start_byte, start, end):
            return R.MEMBER_NAME, "", R.STRUCT_DUMP
        if parent is not None and parent.type == "index_expression" and \
                _is_field(parent, "index", literal) and _is_vars_call(parent):
            return R.PATH_PARAM, "", "Vars"
        if parent is not None and parent.type == "field_declaration" and _is_field(
            parent, "tag", literal
        ):
            key = self._tag_key(literal, start)
            if _names_a_field(self.data, key, literal.start_byte, start):
                return R.MEMBER_NAME, _type_name(literal), f"{key} tag"
            if key in PATH_PARAM_TAGS:
                return R.PATH_PARAM, _type_name(literal), f"{key} tag"
            return R.STRUCT_TAG, _type_name(literal), key
        if parent is not None and parent.type == "literal_element" and \
                self._handed_to_program(parent):
            return R.EXTERNAL_NAME, "", EXEC_ARGUMENT  # args := []string{"worktree", "remove"}
        if parent is not None and parent.type == "literal_element":
            metric = _metric_element(parent)
            if metric is not None:
                return R.METRIC_NAME, metric[0], metric[1]
            if _cookie_name_element(parent):  # http.Cookie{Name: "run_id"}
                return R.COOKIE_NAME, "http.Cookie", "Name"
            keyed = parent.parent
            if keyed is not None and keyed.type == "keyed_element" and keyed.named_children and \
                    keyed.named_children[0] == parent:
                owner, _ = _composite_type(keyed)
                if owner.endswith("FuncMap"):  # template.FuncMap: a template's function names
                    return R.TEMPLATE_FUNC_DECL, owner, ""
                db_call = _database_call(keyed)
                if db_call:
                    return R.DB_FIELD, owner, db_call
                if owner.endswith("url.Values") or owner.endswith("Values"):
                    return R.QUERY_PARAM, owner, ""
                if owner.endswith("http.Header") or owner.endswith("Header"):
                    return R.HTTP_HEADER, owner, ""
                if _SPACE_RE.search(self.data[literal.start_byte + 1 : literal.end_byte - 1]):
                    # a sentence, no machine's key: a test case's name (t.Run prints it)
                    return R.MESSAGE, owner, MAP_KEY_SENTENCE
                if self.is_test and _table_of_cases(keyed):
                    return R.MESSAGE, owner, TEST_CASE_NAME
                return R.MAP_KEY, owner, ""
            if keyed is not None and keyed.type == "keyed_element" and self.is_test and \
                    len(keyed.named_children) == 2 and keyed.named_children[1] == parent and \
                    _SPACE_RE.search(self.data[literal.start_byte + 1 : literal.end_byte - 1]) \
                    and self._names_subtests(_text(keyed.named_children[0])):
                # a case of a test's table, `{name: "rejects a run_id", ...}`, run as
                # `t.Run(tc.name, ...)`: the subtest's name, which `go test` prints (a
                # sentence: one word may also be the case's input, `f(tc.name)`)
                return R.MESSAGE, "", TEST_CASE_NAME
        if _json_key(self.data, literal, start, end):
            return R.JSON_TEXT, "", _json_use(literal)
        if _json_key(self.data, literal, start, end, _JSON_FRAGMENT_RE):
            return R.JSON_TEXT, R.JSON_FRAGMENT, _json_use(literal)
        xml_name = _xml_name(self.data, literal, start, end)
        if xml_name:
            return R.XML_TEXT, xml_name, _json_use(literal)
        argument = None
        if parent is not None and parent.type == "argument_list":
            argument = self._call_argument(parent.parent, parent, literal, token)
            if argument is None and len(parent.named_children) == 1:
                argument = self._converted_key(parent, literal, token)
            if argument is not None and argument[0] == R.MESSAGE and argument[2] not in _BUILDERS:
                # printed, logged or an error's text: read by a person, never run as SQL
                # ("INSERT INTO <database>.<retention-policy> <point>" in a usage hint)
                return argument
        content = self.data[literal.start_byte : literal.end_byte]
        verb = SQL_RE.search(content)
        if verb is not None:
            return R.SQL, "", verb.group(1).split()[0].decode().upper()
        if argument is not None:
            if argument[2] in _BUILDERS and not _SPACE_RE.search(content):
                # Sprintf's string without a space is no sentence but a machine's string: a
                # URL ("%s/runs?run_id=%s"), a cache key ("conv:%s:run_id"), a path
                return R.STRING, "", argument[2]
            return argument
        if HEADER_RE.match(token):
            return R.HTTP_HEADER, "", ""
        held = self._constant_use(literal, token)
        if held is not None:
            return held
        if parent is not None and parent.type == "index_expression" and \
                _is_field(parent, "index", literal) and \
                self.data[literal.start_byte + 1 : literal.end_byte - 1] == token.encode():
            return R.STRING, "", R.MAP_INDEX  # `body["run_id"]`: a map's key, read
        return R.STRING, "", ""

    def _constant_use(self, literal: Node, token: str) -> tuple[str, str, str] | None:
        """The role of a name held in a constant or variable (``const cookieName = "run_id"``)
        that this file passes to calls, when those of its uses that say what it is agree
        (``r.Cookie(cookieName)``: a cookie's name); None otherwise. A package-level one that
        no call here says anything of is a string detailed :data:`roles.HELD`: the other files
        of the package may (:mod:`idrename.heldnames`)."""
        values = literal.parent
        spec = values.parent if values is not None else None
        if values is None or values.type != "expression_list" or spec is None or \
                spec.type not in ("const_spec", "var_spec") or not _is_field(spec, "value", values):
            return None
        if self.data[literal.start_byte : literal.end_byte].strip(b'"`') != token.encode():
            return None  # a key is the whole string
        names = spec.children_by_field_name("name")
        index = next(i for i, v in enumerate(values.named_children)
                     if v.start_byte == literal.start_byte)
        if index >= len(names):
            return None
        found = self.held_roles(_text(names[index]), token)
        if not found and index == 0 and not _in_function(spec):  # (the row's symbol: its name)
            return R.STRING, "", R.HELD
        return found.pop() if len(found) == 1 else None

    def _converted_key(self, args: Node, literal: Node, token: str) -> tuple[str, str, str] | None:
        """A string converted to a context key's type where it is one:
        ``context.WithValue(ctx, ctxKey("run_id"), v)``."""
        conversion = args.parent
        outer = conversion.parent if conversion is not None else None
        if conversion is None or outer is None or outer.type != "argument_list":
            return None
        whole = self.data[literal.start_byte : literal.end_byte].strip(b'"`').decode(
            "utf-8", "replace")
        found = self._call_argument(outer.parent, outer, conversion, token, whole=whole)
        return found if found is not None and found[2] == R.CONTEXT_KEY else None

    def held_roles(self, name: str, token: str, *,
                   qualified: bool = False) -> set[tuple[str, str, str]]:
        """The roles (role, owner, detail) the calls of this file that take the identifier
        ``name`` give it, as the string ``token`` it holds; messages and plain strings, which
        say nothing of what it is, left out. ``qualified``: the uses as another package's
        (``keys.ParamRun``), not the bare ones."""
        found = set()
        for use in self._arguments(name, qualified=qualified):
            args = use.parent
            role = self._call_argument(args.parent, args, use, token, whole=token)
            if role is not None and (role[0] not in (R.MESSAGE, R.STRING)
                                     or role[2] == R.CONTEXT_KEY):
                found.add(role)
        return found

    def _arguments(self, name: str, *, qualified: bool = False) -> list[Node]:
        """The identifiers ``name`` passed as call arguments in this file (found by text,
        then checked in the tree: cheaper than walking it); ``qualified``: the selectors
        ``pkg.name`` of an imported package passed so, instead."""
        out: list[Node] = []
        word = name.encode()
        at = self.data.find(word)
        while at >= 0:  # (mostly once: the declaration, when the file does not use it)
            node = self.ctx.root.descendant_for_byte_range(at, at + len(word))
            if node is not None and node.start_byte == at and node.end_byte == at + len(word) \
                    and node.parent is not None:
                if qualified and node.type == "field_identifier" and \
                        node.parent.type == "selector_expression" and \
                        node.parent.parent is not None and \
                        node.parent.parent.type == "argument_list":
                    operand = node.parent.child_by_field_name("operand")
                    if operand is not None and self.ctx.is_package_name(operand):
                        out.append(node.parent)
                elif not qualified and node.type == "identifier" and \
                        node.parent.type == "argument_list":
                    out.append(node)
            at = self.data.find(word, at + len(word))
        return out

    def _runs_program(self, call: Node, fn: Node, method: str, operand: str, is_pkg_call: bool,
                      index: int) -> bool:
        """Whether the argument at ``index`` of ``call`` is a word of the command line of
        another program: an argument of ``exec.Command`` (the program's name included), of
        ``exec.CommandContext`` after its context, or of a function or method of the file
        that hands its variadic parameter to one (``run(dir, "worktree", "add")``, see
        :func:`exec_wrappers`) from that parameter on."""
        if is_pkg_call:
            return operand == "exec" and (method == "Command" or (
                method == "CommandContext" and index >= 1))
        if fn.type not in ("identifier", "selector_expression"):
            return False
        if self._exec_wrappers is None:
            self._exec_wrappers = exec_wrappers(_root_of(call)) \
                if b"exec.Command" in self.data else {}
        first = self._exec_wrappers.get(method)
        return first is not None and index >= first

    def _call_argument(
        self, call: Node, args: Node, literal: Node, token: str, whole: str | None = None
    ) -> tuple[str, str, str] | None:
        """(role, owner, detail) of the argument ``literal`` of ``call`` (``whole``: the
        string it holds, when it is a name that holds one), or None."""
        if call is None or call.type != "call_expression":
            return None
        fn = call.child_by_field_name("function")
        if fn is None:
            return None
        index = next(
            (i for i, a in enumerate(args.named_children) if a.start_byte == literal.start_byte), -1
        )
        fn_text = _text(fn)
        if fn.type == "selector_expression":
            method_node = fn.child_by_field_name("field")
            operand = fn.child_by_field_name("operand")
            method = _text(method_node) if method_node is not None else ""
            operand_text = _text(operand) if operand is not None else ""
        else:
            method, operand_text = fn_text, ""
        is_pkg_call = operand is not None and self.ctx.is_package_name(operand) if (
            fn.type == "selector_expression") else False
        if whole is None:
            whole = self.data[literal.start_byte : literal.end_byte].strip(b'"`').decode(
                "utf-8", "replace")
        key_like = whole == token
        if self._runs_program(call, fn, method, operand_text, is_pkg_call, index):
            return R.EXTERNAL_NAME, "", EXEC_ARGUMENT  # exec.Command("git", "worktree", "add")
        if key_like and index == PATH_PARAM_METHODS.get(method, -1) and \
                fn.type == "selector_expression":
            return R.PATH_PARAM, "", method
        if key_like and ((index == 1 and is_pkg_call and operand_text == "context"
                          and method == "WithValue")
                         or (index == 0 and method == "Value" and not is_pkg_call
                             and fn.type == "selector_expression"
                             and len(args.named_children) == 1
                             and operand_text.lower().endswith(("ctx", "context()")))):
            return R.STRING, "", R.CONTEXT_KEY  # a context's key: written, or read back
        if key_like and index == MEMBER_NAME_METHODS.get(method, -1) and \
                fn.type == "selector_expression":
            return R.MEMBER_NAME, "", method
        n_args = len(args.named_children)
        if not is_pkg_call and fn.type == "selector_expression" and key_like and \
                index == FLAGSET_METHODS.get((method, n_args), -1):
            return R.EXTERNAL_NAME, "", f"FlagSet.{method}"  # fs.Int("workers", 0, "usage")
        if not is_pkg_call and fn.type == "selector_expression" and key_like and \
                method == "Setenv" and n_args == 2 and index == 0:
            return R.EXTERNAL_NAME, "", "Setenv"  # a test's t.Setenv("APP_RUN_ID", "r1")
        if fn.type == "identifier" and key_like:
            if self._env_wrappers is None:
                self._env_wrappers = env_wrappers(_root_of(call))
            if index == self._env_wrappers.get(method, -1):
                return R.EXTERNAL_NAME, "", f"{method}(os.Getenv)"  # getenv("DATA_DIR", ".")
        if index == 0 and method in ZEROLOG_KEY_METHODS and not is_pkg_call and \
                n_args == (3 if method == "TimeDiff" else 2):
            return R.LOG_KEY, "", method  # (a key and its value: Int("n", 3))
        if (method == "NewDesc" and index == 0) or method == "BuildFQName":
            return R.METRIC_NAME, "", "metric"  # Prometheus: a metric's name
        if is_pkg_call and index == EXTERNAL_NAME_CALLS.get(f"{operand_text}.{method}", -1):
            return R.EXTERNAL_NAME, "", f"{operand_text}.{method}"
        if index == 0 and is_pkg_call and operand_text == "slog" and method in SLOG_ATTRS:
            return R.LOG_KEY, "", f"slog.{method}"
        if is_pkg_call and operand_text == "slog" and method == "Group" and key_like \
                and index % 2 == 1 and len(args.named_children) > index + 1:
            return R.LOG_KEY, "", "slog.Group"  # slog.Group("req", "run_id", v): its pairs
        if index == 0 and is_pkg_call and operand_text == "attribute" and method in OTEL_ATTRS:
            return R.LOG_KEY, "", f"attribute.{method}"  # OpenTelemetry: a span's or metric's
        if index == 0 and is_pkg_call and operand_text == "zap" and method in ZAP_FIELDS:
            return R.LOG_KEY, "", f"zap.{method}"
        if index == 0 and key_like and method == LOGRUS_FIELD and fn.type == "selector_expression" \
                and _LOGGER_NAME_RE.search(operand_text.rsplit(".", 1)[-1]):
            return R.LOG_KEY, "", method
        if key_like and index == 0 and method in COOKIE_METHODS and not is_pkg_call and \
                fn.type == "selector_expression":
            return R.COOKIE_NAME, "", method
        if is_pkg_call and operand_text == "metadata" and key_like and (
                index == GRPC_METADATA_KEY.get(method, -1) or (
                    method in GRPC_METADATA_KV and index >= GRPC_METADATA_KV[method]
                    and (index - GRPC_METADATA_KV[method]) % 2 == 0)):
            return R.HTTP_HEADER, "", f"metadata.{method}"  # gRPC's: an HTTP/2 header
        if is_pkg_call and f"{operand_text}.{method}" == HTTP_ERROR:
            # net/http's Error(w, text, code): no logger, the text is the response's body: a
            # code when it is the name alone ("run_not_found"), else a message
            return None if index != 1 else (R.STRING, "", HTTP_ERROR) if key_like else (
                R.MESSAGE, "", HTTP_ERROR)
        if method in SLOG_KV and fn.type == "selector_expression":
            msg_index, first_key = SLOG_KV[method]
            n_args = len(args.named_children)
            if n_args > first_key and index >= first_key and (index - first_key) % 2 == 0 \
                    and key_like:
                return R.LOG_KEY, "", method
            if index == msg_index:
                return R.MESSAGE, "", method
        if index == 0 and method in QUERY_METHODS:
            return R.QUERY_PARAM, "", method
        if index == 0 and method in VALUES_METHODS:
            kind = receiver_kind(operand, call.start_byte) if (
                fn.type == "selector_expression") else None
            if kind == HEADER or (kind is None and operand_text.endswith(("Header",
                                                                          "Header()"))):
                return R.HTTP_HEADER, "", method
            if kind == VALUES or operand_text.endswith(("Query()", ".Form", ".PostForm")) \
                    or (key_like and kind != OTHER):
                return R.QUERY_PARAM, "", method
        if fn_text in WRITER_FUNCS and _text(args.named_children[0]) not in CONSOLE_WRITERS:
            return R.STRING, "", fn_text
        if fn_text in MESSAGE_FUNCS:
            return R.MESSAGE, "", fn_text
        if method in MESSAGE_METHODS and fn.type == "selector_expression":
            return R.MESSAGE, "", method
        return None

    def _tag_key(self, literal: Node, offset: int) -> str:
        tag = self.data[literal.start_byte : literal.end_byte]
        rel = offset - literal.start_byte
        for m in _TAG_PAIR_RE.finditer(tag):
            if m.start(2) <= rel <= m.end(2):
                value = m.group(2).decode("utf-8", "replace")
                options = value.split(",")[1:]
                key = m.group(1).decode()
                return key + (":" + ",".join(options) if options and key == "json" else "")
        return ""

    # -- comments ------------------------------------------------------------------------------
    def comment(self, node: Node) -> tuple[str, str]:
        """(role, symbol): a doc comment carries the symbol of the declaration it documents."""
        if self._is_trailing(node):
            return R.COMMENT, ""
        current = node
        while True:
            nxt = current.next_named_sibling
            if nxt is None or nxt.start_point[0] != current.end_point[0] + 1:
                return R.COMMENT, ""
            if nxt.type == "comment":
                current = nxt
                continue
            if nxt.type in _DECLARATION_NODES:
                return R.DOC_COMMENT, _declared_symbol(nxt)
            return R.COMMENT, ""

    def directive(self, node: Node) -> str:
        """The directive a comment is (see :data:`roles.DIRECTIVE`), or "" for prose: a line
        comment the toolchain reads (``go:linkname``, ``export``, ``+build``, ``line``, ...) or
        the cgo preamble (``cgo``), the comments directly above ``import "C"``."""
        if self._is_trailing(node):
            return ""
        m = _DIRECTIVE_RE.match(self.data, node.start_byte, node.end_byte)
        if m is not None:
            return (m.group(1) or m.group(2)).decode()
        return "cgo" if _above_import_c(node) else ""

    def _is_trailing(self, node: Node) -> bool:
        line_start = self.data.rfind(b"\n", 0, node.start_byte) + 1
        return bool(self.data[line_start : node.start_byte].strip())


# `//toolname:directive` (Go's convention: no space, lower case), the older directives without a
# colon, and build constraints; the name of the directive is the group.
_DIRECTIVE_RE = re.compile(
    rb"(?://|/\*)((?:[a-z0-9]+:[a-z0-9]\w*)|line(?= )|export(?= )|extern(?= )|sys(?:nb)?(?= ))"
    rb"|//[ \t]*(\+build)\b"
)


_LINKNAME_ARGS = re.compile(rb"\S+")


def linkname_owner(data: bytes, comment: Node, start: int, end: int) -> str:
    """Whose declaration the bytes ``start:end`` of a ``//go:linkname local [importpath.name]``
    comment name (see :data:`roles.LINKNAME_LOCAL`): ``LINKNAME_LOCAL`` when they are the first
    argument, the import path when they are the name of the second, "" otherwise (part of a
    path, a method's name)."""
    args = list(_LINKNAME_ARGS.finditer(data, comment.start_byte, comment.end_byte))[1:3]
    if args and (args[0].start(), args[0].end()) == (start, end):
        return R.LINKNAME_LOCAL
    if len(args) < 2:
        return ""
    remote = args[1].group().decode(errors="replace")
    slash = remote.rfind("/") + 1
    dot = remote.find(".", slash)
    name_at = args[1].start() + len(remote[: dot + 1].encode())
    if dot < 0 or (name_at, args[1].end()) != (start, end):
        return ""
    return remote[:dot]


def _without_body(func: Node | None) -> str:
    """:data:`roles.NO_BODY` when ``func`` (the parent of a parameter list) is a func or method
    declared without a body, else "": assembly names its parameters and results
    (``buf+0(FP)``), and ``go vet`` checks those names against the declaration."""
    if (func is None or func.type not in ("function_declaration", "method_declaration")
            or func.child_by_field_name("body") is not None):
        return ""
    return R.NO_BODY


def _above_import_c(node: Node) -> bool:
    """Whether a comment belongs to the cgo preamble: the group of adjacent comments that ends
    on the line above ``import "C"``."""
    current = node
    while True:
        nxt = current.next_named_sibling
        if nxt is None or nxt.start_point[0] != current.end_point[0] + 1:
            return False
        if nxt.type != "comment":
            break
        current = nxt
    if nxt.type != "import_declaration":
        return False
    specs = [n for n in nxt.named_children if n.type == "import_spec"]
    path = specs[0].child_by_field_name("path") if len(specs) == 1 else None
    return path is not None and _text(path).strip('"`') == "C"


# The predeclared names the grammar gives nodes of their own (not identifiers)
_PREDECLARED_NODES = frozenset({"nil", "true", "false", "iota"})


def scan_go(path: str, data: bytes, spec: Spec, *, related: bool = True) -> GoFileScan:
    """Every family token in one Go file, classified. Never raises on bad syntax: a file that
    does not parse keeps its occurrences under role ``unparsed`` (with the role the classifier
    would have given in ``detail``)."""
    result = GoFileScan()
    hits = list(spec.find(data, prose=True))
    want_related = related and bool(hits)
    if not hits:
        return result
    tree, masks = parse_masked(data)
    if masks and any(overlaps(masks, h.start, h.end) for h in hits):
        tree = _parse_padded(data)  # a member in what was masked: the file stays unparsed
    root = tree.root_node
    is_test = path.endswith("_test.go")
    classifier = GoClassifier(root, data, is_test)
    result.package = classifier.ctx.package
    broken = root.has_error
    if broken:
        result.syntax_errors = syntax_error_positions(root)
    index = LineIndex(data)
    generated = is_generated(data)
    outputs: dict[int, frozenset[int]] = {}  # function node id -> its example output comments
    members: set[int] = set()  # the bytes of the identifiers that are family tokens
    for found in hits:
        node = root.descendant_for_byte_range(found.start, found.end)
        hit = _after_escape(found, node, data, spec) if node is not None else None
        if hit is None:
            continue
        if hit is not found:
            node = root.descendant_for_byte_range(hit.start, hit.end)
        if node.type == hit.token and (not node.is_named or node.type in _PREDECLARED_NODES):
            continue  # a keyword (`import` under Import -> Ingest, `range`), or `nil`, `true`,
            # `false`, `iota`: the language's, never renamed
        if node.type in _IDENT_NODES and node.start_byte == hit.start and node.end_byte == hit.end:
            members.update(range(hit.start, hit.end))
        kind = _node_kind(node)
        if "-" in hit.token and kind == "code":
            continue  # `run-id` in code is a subtraction of two names, not a member
        prose = " " in hit.token
        if prose and kind != "comment":
            continue  # `"run ID"` in a string is a message's words: only comments are prose
        owner = detail = doc_symbol = ""
        if kind == "comment":
            comment_node = node if node.type == "comment" else next(
                a for a in _ancestors(node) if a.type == "comment")
            detail = classifier.directive(comment_node)
            if detail and prose:
                continue  # a directive's arguments are read by the toolchain, not prose
            if detail:
                role = R.DIRECTIVE
                if detail == R.LINKNAME:
                    owner = linkname_owner(data, comment_node, hit.start, hit.end)
            else:
                role, doc_symbol = classifier.comment(comment_node)
                if is_test and role == R.COMMENT and _in_example_output(comment_node, outputs):
                    role = R.EXAMPLE_OUTPUT
                if prose:
                    if role == R.EXAMPLE_OUTPUT:
                        continue  # what the example prints: its strings are not renamed
                    detail = R.PROSE
                elif role == R.DOC_COMMENT:
                    documented = api_doc_name(data, hit.start, hit.end)
                    if documented is not None:
                        role, detail = documented
                    elif _doc_verb(data, comment_node, doc_symbol, hit):
                        detail = R.DOC_VERB
        elif kind == "string":
            role, owner, detail = classifier.string(node, hit.start, hit.end, hit.token)
        elif node.type in ("identifier", "field_identifier", "type_identifier",
                           "package_identifier", "label_name"):
            role, owner, detail = classifier.identifier(node)
        else:
            role, detail = R.STRING, node.type
        in_error = broken and (node.is_error or any(a.is_error for a in _ancestors(node)))
        symbol = classifier.ctx.symbol(node)
        if kind == "comment" and doc_symbol:
            symbol = doc_symbol
        if broken:
            detail = f"{role}{' (in error region)' if in_error else ''}"
            role = R.UNPARSED
        result.occurrences.append(
            make_occurrence(
                path, index, hit.start, hit.end, hit.token, language="go", role=role,
                symbol=symbol, package=result.package, detail=detail, owner=owner,
                is_test=is_test, is_generated=generated, parse_error=broken,
            )
        )
    if want_related:
        result.related = _related_vocabulary(root, data, spec, index, members)
    return result


# A route: a path (after an HTTP method, `GET /runs/{id}`, or a host) or a URL template.
_ROUTE_RE = re.compile(rb"[`\"](?:[A-Z]+[ \t]+)?(?:https?://)?[A-Za-z0-9.\-:]*/")


# A JSON document written in a Go string: a key of one of its objects (`{"run_id": 7}`, or
# `"{\"run_id\": 7}"` in an interpreted string).
_JSON_START_RE = re.compile(rb"[\"`]\s*[{\[]")
# A string that starts with an object's member, its braces left out (`"run_id":"r1","done":true`)
_JSON_FRAGMENT_RE = re.compile(rb'(?:`\s*"|"\s*\\")[^"\\\n]+\\?"\s*:')
_JSON_KEY_AFTER_RE = re.compile(rb'\\?"\s*:')
# What a JSON document is given to: a decoder (an input, which may keep a legacy key that is
# still read), a comparison (an expected output, which changes with what is written), a writer
# (an output written by hand).
_JSON_DECODERS = frozenset({"Unmarshal", "NewReader", "NewBufferString", "NewBuffer", "NewRequest",
                            "NewRequestWithContext", "NewDecoder", "Post", "Do"})
_JSON_WRITERS = frozenset({"Write", "WriteString", "Fprint", "Fprintf", "Fprintln", "Sprintf",
                           "Sprint"})
_EXPECTED_RE = re.compile(r"(?i)^(want|expect|golden)|Equal|JSONEq|^(Compare|Diff)$")


# A struct as fmt's %+v (`{Size:8 NumLineNumbers:0}`, `&{...}`) or %#v (`pe.Aux{Size:8,
# NumLineNumbers:0}`) prints it: a brace, then a field's name and a colon.
_STRUCT_DUMP_RE = re.compile(rb"[`\"]&?(?:[A-Za-z_][\w.]*)?\{[A-Za-z_]\w*:")


def _struct_dump_key(data: bytes, literal_start: int, start: int, end: int) -> bool:
    """Whether [start, end) is a field's name in a struct printed by fmt's %+v or %#v, which
    a string holds (a test's expected output): it names the field."""
    return data[end : end + 1] == b":" and data[start - 1 : start] in (b"{", b" ") and \
        data[end + 1 : end + 2] not in (b":", b"=") and \
        _STRUCT_DUMP_RE.match(data, literal_start) is not None


def _json_key(data: bytes, literal: Node, start: int, end: int,
              starts: re.Pattern[bytes] = _JSON_START_RE) -> bool:
    """Whether [start, end) is a key of a JSON object that the string ``literal`` holds (one
    that starts as ``starts`` says: a document, or with :data:`_JSON_FRAGMENT_RE` the members
    of an object without its braces)."""
    if starts.match(data, literal.start_byte, literal.end_byte) is None:
        return False
    # a key's quotes: `"` in a raw string, `\"` in an interpreted one
    quote = b'"' if literal.type == "raw_string_literal" else b'\\"'
    return data[start - len(quote) : start] == quote and \
        data.startswith(quote, end) and \
        _JSON_KEY_AFTER_RE.match(data, end, literal.end_byte) is not None


# A string that holds an XML document or a part of one: it starts with a tag
_XML_START_RE = re.compile(rb"[\"`]\s*<[?!]?[A-Za-z_]")
_XML_ELEMENT_BEFORE_RE = re.compile(rb"</?(?:[A-Za-z_][\w.-]*:)?$")
_XML_ELEMENT_AFTER_RE = re.compile(rb"[\s/>]|\\[nt]")
_XML_ATTRIBUTE_AFTER_RE = re.compile(rb'\s*=\s*(?:\\"|\'|")')


def _xml_name(data: bytes, literal: Node, start: int, end: int) -> str:
    """``element`` or ``attribute`` when [start, end) is the name of one in an XML document
    that the string ``literal`` holds (`"<run_id>r1</run_id>"`, `` `<point run_id="r1"/>` ``),
    else ""."""
    if _XML_START_RE.match(data, literal.start_byte, literal.end_byte) is None:
        return ""
    before = data[max(literal.start_byte, start - 64):start]
    if _XML_ELEMENT_BEFORE_RE.search(before) is not None and \
            _XML_ELEMENT_AFTER_RE.match(data, end, literal.end_byte) is not None:
        return "element"
    if before[-1:] in (b" ", b"\t", b"\n") and \
            _XML_ATTRIBUTE_AFTER_RE.match(data, end, literal.end_byte) is not None:
        opened, closed = data.rfind(b"<", literal.start_byte, start), \
            data.rfind(b">", literal.start_byte, start)
        if opened > closed:
            return "attribute"
    return ""


def _json_use(literal: Node) -> str:
    """What the statement holding a JSON document does with it: "decoded", "compared",
    "written", or "" (not seen: a table's value, a variable)."""
    for anc in _ancestors(literal):
        if anc.type in _STATEMENT_NODES or anc.type in _FUNCTION_NODES:
            if anc.type in ("short_var_declaration", "assignment_statement", "var_spec",
                            "const_spec"):
                left = anc.child_by_field_name("left") or anc.child_by_field_name("name")
                name = _text(left).split(",")[0].strip() if left is not None else ""
                if _EXPECTED_RE.search(name):
                    return _held_use(anc, name)
            return ""
        if anc.type == "call_expression":
            fn = anc.child_by_field_name("function")
            name = _text(fn).rsplit(".", 1)[-1] if fn is not None else ""
            if name in _JSON_DECODERS:
                return "decoded"
            if name in _JSON_WRITERS:
                return "written"
            if _EXPECTED_RE.search(name):
                return "compared"
        elif anc.type == "binary_expression" and _text(anc.child_by_field_name("operator")) in (
                "==", "!="):
            return "compared"
        elif anc.type == "keyed_element" and anc.named_children and \
                _EXPECTED_RE.search(_text(anc.named_children[0])):
            return "compared"
    return ""


# Calls that take what they are given as the bytes of an input (a signature, a digest, a
# cipher): a document given to them is no expected output
_BYTES_INPUT_RE = re.compile(r"(?i)sign|hmac|hash|digest|checksum|crypt|seal|^(sum\d*|mac|verify)$")


def _held_use(decl: Node, name: str) -> str:
    """What is done with a JSON document held in a name that says it is expected (``want``,
    ``golden``), by the uses of that name in the function that declares it (in the file, for
    one declared at package level): "compared" when one compares it (or may: a helper of the
    tests), or when none is seen; else "decoded" when one decodes it; else "" (only signed or
    hashed: ``Sign([]byte(goldenBody), ...)``, an input whose every byte counts)."""
    scope = next((a for a in _ancestors(decl) if a.type in _FUNCTION_NODES), None)
    if scope is None:
        scope = decl
        while scope.parent is not None:
            scope = scope.parent
    uses = set()
    stack = [scope]
    while stack:
        node = stack.pop()
        if node.type == "identifier" and _text(node) == name and \
                not (decl.start_byte <= node.start_byte < decl.end_byte):
            uses.add(_use_of(node))
        stack.extend(node.named_children)
    if not uses or "compared" in uses:
        return "compared"
    return "decoded" if "decoded" in uses else ""


def _use_of(node: Node) -> str:
    """What the statement around a use of a name does with its value: "decoded", "other"
    (signed or hashed), else "compared" (a comparison, an assertion, a helper that may
    compare); conversions (``[]byte(x)``) are seen through."""
    for anc in _ancestors(node):
        if anc.type in _STATEMENT_NODES or anc.type in _FUNCTION_NODES:
            break
        if anc.type == "binary_expression" and _text(anc.child_by_field_name("operator")) in (
                "==", "!="):
            return "compared"
        if anc.type == "call_expression":
            fn = anc.child_by_field_name("function")
            if fn is None or fn.type in ("slice_type", "array_type", "parenthesized_type") or \
                    _text(fn) in ("string", "byte"):
                continue  # a conversion
            called = _text(fn).rsplit(".", 1)[-1]
            if called in _JSON_DECODERS:
                return "decoded"
            return "other" if _BYTES_INPUT_RE.search(called) else "compared"
    return "compared"  # assigned or returned: not seen to go elsewhere


_DOC_START_RE = re.compile(rb"//[ \t]*(\w+)[ \t]+")


def _doc_verb(data: bytes, comment: Node, symbol: str, hit: TokenHit) -> bool:
    """Whether ``hit`` is the verb of a doc comment's first sentence: Go's doc comments start
    with the declared name, then a verb, which a plural of a one-word term spells alike
    (``// Put stores rec under its run.`` when ``Store`` is renamed)."""
    if len(hit.spans) != 1 or not hit.spans[0].plural or not hit.token.islower() or \
            (hit.spans[0].start, hit.spans[0].end) != (0, len(hit.token)):
        return False
    previous = comment.prev_named_sibling
    if previous is not None and previous.type == "comment" and \
            previous.end_point[0] == comment.start_point[0] - 1:
        return False  # not the comment's first line
    m = _DOC_START_RE.match(data, comment.start_byte, comment.end_byte)
    return m is not None and m.end() == hit.start and \
        m.group(1).decode() == symbol.rsplit(".", 1)[-1]


# swag's (swaggo) annotations of a handler, from which `swag init` writes the API's OpenAPI
# document: `// @Param run_id query string true "..."` names a parameter and where it is read
# (path, query, header, formData; a body's name is a label only), and `// @Router
# /runs/{run_id} [get]` its route.
_SWAG_PARAM_RE = re.compile(rb"@Param[ \t]+(\S+)[ \t]+(path|query|header|formData)\b")
_SWAG_ROUTER_RE = re.compile(rb"@Router[ \t]+(\S+)")
_SWAG_PARAM_ROLES = {b"path": R.PATH_PARAM, b"query": R.QUERY_PARAM, b"header": R.HTTP_HEADER,
                     b"formData": R.QUERY_PARAM}


def api_doc_name(data: bytes, start: int, end: int) -> tuple[str, str] | None:
    """(role, detail) of the token at [start, end) of a comment when it is a wire name that a
    swag annotation documents: the whole name of an ``@Param`` (a header's, or a part of it),
    with the role of where it is read; or a parameter of an ``@Router``'s route (detail
    ``route``, as a route's string has). None otherwise."""
    line_start = data.rfind(b"\n", 0, start) + 1
    line_end = data.find(b"\n", end)
    line_end = len(data) if line_end < 0 else line_end
    if data.find(b"@", line_start, start) < 0:
        return None  # no annotation before it on its line
    for m in _SWAG_PARAM_RE.finditer(data, line_start, line_end):
        where = m.group(2)
        whole = (m.start(1), m.end(1)) == (start, end)
        if whole or (where == b"header" and m.start(1) <= start and end <= m.end(1)):
            return _SWAG_PARAM_ROLES[where], f"{R.SWAG_PARAM} {where.decode()}"
    for m in _SWAG_ROUTER_RE.finditer(data, line_start, line_end):
        if m.start(1) <= start and end <= m.end(1) and \
                data[start - 1 : start] == b"{" and data[end : end + 1] in (b"}", b":"):
            return R.PATH_PARAM, "route"
    return None


_REGEXP_FUNCS = frozenset({b"Compile", b"MustCompile", b"CompilePOSIX", b"MustCompilePOSIX",
                           b"MatchString", b"Match", b"MatchReader"})


def _regexp_pattern(literal: Node) -> bool:
    """Whether a string literal is the pattern of a ``regexp`` call
    (``regexp.MustCompile(`{{-? /\\* layout:(.*?) \\*/ -?}}`)``): a pattern that matches a
    template's text, not a template."""
    args = literal.parent
    if args is None or args.type != "argument_list" or args.named_children[:1] != [literal]:
        return False
    call = args.parent
    fn = call.child_by_field_name("function") if call is not None else None
    if fn is None or fn.type != "selector_expression":
        return False
    operand, field = fn.child_by_field_name("operand"), fn.child_by_field_name("field")
    return operand is not None and field is not None and operand.text == b"regexp" and \
        field.text in _REGEXP_FUNCS


def _path_segment(data: bytes, literal_start: int, literal_end: int, start: int, end: int) -> bool:
    """Whether the token at [start, end) is a whole segment of the path a string starts with
    (``tasks`` in ``"GET /tasks"``, ``"/api/tasks/"``, ``"/static/tasks.css"``, ``"/tasks?x=1"``),
    not a parameter (see :func:`_in_route`)."""
    if data[start - 1 : start] != b"/" or _ROUTE_RE.match(data, literal_start, literal_end) is None:
        return False
    if any(c in b" \t\n" for c in data[literal_start + 1 : start].split(b" ", 1)[-1]):
        return False  # past the path: a sentence that holds a slash
    query = data.find(b"?", literal_start, start)
    return query < 0 and data[end : end + 1] in (b"/", b'"', b"`", b"?", b"#", b".")


def _in_url_query(data: bytes, literal_start: int, start: int, end: int) -> bool:
    """Whether the token at [start, end) is the name of a query parameter in a URL the literal
    spells: ``?run_id=`` or ``&run_id=`` (``"/runs?run_id=" + id``, ``"%s?a=1&run_id=%s"``)."""
    return start > literal_start + 1 and data[start - 1 : start] in (b"?", b"&") and \
        data[end : end + 1] == b"="


def _in_route(data: bytes, literal_start: int, literal_end: int, start: int, end: int) -> bool:
    """Whether the token at [start, end) is a parameter of the route the literal spells:
    ``{run_id}`` (chi, gorilla, net/http; also ``{run_id:[0-9]+}`` and ``{run_id...}``), or
    ``:run_id`` and ``*run_id`` after a slash (gin, echo, httprouter); or the placeholder alone,
    ``"{run_id}"``, which code that fills a route in replaces."""
    before, after = data[start - 1 : start], data[end : end + 1]
    if before == b"{" and after == b"}" and start - 2 == literal_start and end + 2 == literal_end:
        return True  # `strings.ReplaceAll(route, "{run_id}", id)`: the route's placeholder
    if _ROUTE_RE.match(data, literal_start, literal_end) is None:
        return False
    if before == b"{":
        return after in (b"}", b":") or data.startswith(b"...}", end)
    return before in (b":", b"*") and data[start - 2 : start - 1] == b"/" and \
        after in (b"/", b'"', b"`")


# Prometheus (client_golang): the names its backend stores, which dashboards, alerts and
# recording rules select on. A metric's name is the Name, Namespace or Subsystem of its options
# (`prometheus.CounterOpts{Name: "run_id_lookups_total"}`); a label's name is a key of
# prometheus.Labels (`With`, `ConstLabels`, `CurryWith`) or an element of the []string that
# NewCounterVec, NewGaugeVec, ... and NewDesc take.
_METRIC_OPTS_RE = re.compile(r"^\w+\.(?:(?:Counter|Gauge|Histogram|Summary|Untyped)(?:Vec)?Opts|Opts)$")
_METRIC_NAME_KEYS = frozenset({"Name", "Namespace", "Subsystem"})
_METRIC_LABELS_CALL_RE = re.compile(r"^New(?:Counter|Gauge|Histogram|Summary|Untyped)Vec$|^NewDesc$")


def _metric_element(element: Node) -> tuple[str, str] | None:
    """(owner, detail) when the composite literal's element ``element`` (a string) is a
    Prometheus metric's name ("metric") or a label's ("label"), see above; else None."""
    keyed = element.parent
    if keyed is not None and keyed.type == "keyed_element" and len(keyed.named_children) == 2:
        owner, _ = _composite_type(keyed)
        key = keyed.named_children[0]
        if key == element:
            return (owner, "label") if owner.endswith("prometheus.Labels") else None
        if _METRIC_OPTS_RE.match(owner) and _text(key) in _METRIC_NAME_KEYS:
            return owner, "metric"
        return None
    body = element.parent
    literal = body.parent if body is not None and body.type == "literal_value" else None
    if literal is None or literal.type != "composite_literal":
        return None
    typ = _text(literal.child_by_field_name("type"))
    args = literal.parent
    if typ not in ("[]string", "prometheus.UnconstrainedLabels") or args is None or \
            args.type != "argument_list" or args.parent is None:
        return None
    fn = args.parent.child_by_field_name("function")
    name = _text(fn.child_by_field_name("field")) if fn is not None and \
        fn.type == "selector_expression" else _text(fn)
    return (typ, "label") if _METRIC_LABELS_CALL_RE.match(name) else None


def _cookie_name_element(element: Node) -> bool:
    """Whether the composite literal's element ``element`` is the Name of an http.Cookie."""
    keyed = element.parent
    if keyed is None or keyed.type != "keyed_element" or len(keyed.named_children) != 2 or \
            keyed.named_children[1] != element or _text(keyed.named_children[0]) != "Name":
        return False
    owner, _ = _composite_type(keyed)
    return owner.endswith("http.Cookie")


# Database calls whose map arguments name stored fields: MongoDB's collection methods (a filter,
# an update, a document) and gorm's query builder.
DATABASE_METHODS = frozenset(
    "Find FindOne FindOneAndUpdate FindOneAndDelete FindOneAndReplace UpdateOne UpdateMany "
    "UpdateByID ReplaceOne DeleteOne DeleteMany CountDocuments Distinct InsertOne InsertMany "
    "Where Or Not First Last Take Updates Having".split())
_LITERAL_PARTS = frozenset({"literal_value", "keyed_element", "literal_element",
                            "composite_literal"})


def _database_call(keyed: Node) -> str:
    """The database method (see :data:`DATABASE_METHODS`) a map literal holding ``keyed`` is an
    argument of, nested maps included (``bson.M{"$set": bson.M{"run_id": v}}``); else ""."""
    node = keyed.parent
    while node is not None and node.type in _LITERAL_PARTS:
        node = node.parent
    if node is None or node.type != "argument_list" or node.parent is None or \
            node.parent.type != "call_expression":
        return ""
    fn = node.parent.child_by_field_name("function")
    if fn is None or fn.type != "selector_expression":
        return ""
    method = _text(fn.child_by_field_name("field"))
    return method if method in DATABASE_METHODS else ""


def _is_vars_call(index: Node) -> bool:
    """``mux.Vars(r)["run_id"]``: gorilla/mux's path parameters."""
    operand = index.child_by_field_name("operand")
    if operand is None or operand.type != "call_expression":
        return False
    fn = operand.child_by_field_name("function")
    return fn is not None and _text(fn).rsplit(".", 1)[-1] == "Vars"


# Package functions whose string argument (at this index) is a name set from outside the
# program: environment variables, flags of the standard library's flag package (and pflag's),
# viper's keys.
EXTERNAL_NAME_CALLS = {
    **{f"os.{f}": 0 for f in ("Getenv", "LookupEnv", "Setenv", "Unsetenv")},
    **{f"{pkg}.{kind}": 0 for pkg in ("flag", "pflag") for kind in (
        "String", "Int", "Int64", "Uint", "Uint64", "Bool", "Float64", "Duration", "Func",
        "StringP", "IntP", "BoolP", "DurationP", "StringSlice", "StringSliceP", "Lookup")},
    **{f"{pkg}.{kind}Var": 1 for pkg in ("flag", "pflag") for kind in (
        "String", "Int", "Int64", "Uint", "Uint64", "Bool", "Float64", "Duration", "Text",
        "StringP", "IntP", "BoolP", "DurationP", "StringSlice")},
    **{f"viper.{f}": 0 for f in (
        "Get", "GetString", "GetInt", "GetInt64", "GetBool", "GetDuration", "GetFloat64",
        "GetStringSlice", "GetStringMap", "GetStringMapString", "IsSet", "Set", "SetDefault",
        "BindEnv", "BindPFlag", "Sub", "UnmarshalKey")},
}
# The methods of a flag.FlagSet (and pflag's) that define a flag, by their number of arguments:
# the index of the flag's name (`fs.Int("workers", 0, "usage")`, `fs.IntVar(&n, "workers", 0,
# "usage")`), a name the command line sets from outside the program.
FLAGSET_METHODS = {
    **{(kind, 3): 0 for kind in ("String", "Int", "Int64", "Uint", "Uint64", "Bool", "Float64",
                                 "Duration", "Func", "BoolFunc", "StringSlice")},
    **{(f"{kind}Var", 4): 1 for kind in ("String", "Int", "Int64", "Uint", "Uint64", "Bool",
                                         "Float64", "Duration", "Text", "StringSlice")},
    **{(f"{kind}P", 4): 0 for kind in ("String", "Int", "Bool", "Duration", "StringSlice")},
}
# Methods whose string argument (at this index) names a Go field or method: reflect's, and
# testify mock's expectations (`m.On("FindByRunID", id)`, `m.AssertCalled(t, "FindByRunID")`).
MEMBER_NAME_METHODS = {"FieldByName": 0, "MethodByName": 0, "On": 0, "MethodCalled": 0,
                       "AssertCalled": 1, "AssertNotCalled": 1, "AssertNumberOfCalls": 1}
# In a go-playground/validator tag (`validate`, gin's `binding`), the validators whose
# parameters are field names (`required_without=RunID`, `eqfield=RunID`); gorm's tag options
# that name a field (`foreignKey:RunID;references:ID`).
_FIELD_VALIDATORS = re.compile(
    rb"(?:^|[,|])(?:required|excluded)_(?:with|without|if|unless)(?:_all)?="
    rb"|(?:^|[,|])(?:eq|ne|gt|gte|lt|lte)(?:cs)?field=|(?:^|[,|])field(?:contains|excludes)=")
_GORM_FIELD_OPTION = re.compile(rb"(?i)(?:^|;)\s*(?:foreignkey|references):\s*$")


def _names_a_field(data: bytes, key: str, literal_start: int, start: int) -> bool:
    """Whether the tag token at ``start`` names a Go field (see :data:`_FIELD_VALIDATORS`)."""
    if key not in ("validate", "binding", "gorm"):
        return False
    value_start = data.rfind(b'"', literal_start, start) + 1
    before = data[value_start:start]
    if key == "gorm":
        return _GORM_FIELD_OPTION.search(before) is not None
    last = max(before.rfind(b","), before.rfind(b"|"))
    return _FIELD_VALIDATORS.search(before, max(last, 0)) is not None


def _after_escape(hit: TokenHit, node: Node, data: bytes, spec: Spec) -> TokenHit | None:
    """``hit`` without the letters of a backslash escape it begins with (``node``: the smallest
    node around it), or None when what is left is not a family member.

    The family scan widens a token over every identifier byte, so ``"...\\r\\nUser-Agent: Go"``
    reads ``nUser-Agent``: the ``n`` of ``\\n`` (likewise ``\\t``, ``\\x41``, ``\\u00e9``,
    ``\\101``) glued to the term.

    - In an interpreted string literal those letters are an escape sequence (tree-sitter marks
      each one), never text: the token always begins where the escape ends.
    - A raw (backquoted) string and a comment have no escapes, yet they often hold quoted text
      that another reader unescapes (an HTTP request written as ``GET / HTTP/1.1\\r\\nHost...``,
      an example's ``// Output:`` of a ``%q``), so a backslash there followed by one of Go's
      escape forms is read as an escape too, but only when the term's words begin after it: in
      ``C:\\tenantID`` (a Windows path, term ``tenantID``) the ``t`` is the term's, and the token
      stays whole rather than lose the occurrence.
    """
    if node.type == "interpreted_string_literal":  # a token glued to an escape spans two parts
        start = hit.start
        for child in node.children:
            if child.type == "escape_sequence" and child.start_byte < start < child.end_byte:
                start = child.end_byte
    elif node.type in _ESCAPED_TEXT_NODES and hit.spans:
        letters = escape_length(data, hit.start)
        first_word = min(span.start for span in hit.spans)
        start = hit.start + (letters if letters and first_word >= letters else 0)
    else:
        return hit
    if start == hit.start:
        return hit
    while start < hit.end and data[start] == ord("-"):  # `\n-Run-ID`: a kebab token's hyphen
        start += 1
    return spec.token_in(data, start, hit.end) if start < hit.end else None


# Nodes whose text has no escapes but often holds escaped text (raw strings, comments).
_ESCAPED_TEXT_NODES = frozenset({"raw_string_literal", "raw_string_literal_content", "comment"})
_STRING_KINDS = _STRING_CONTENT | _STRING_LITERAL | {"rune_literal"}
_OUTPUT_RE = re.compile(rb"^(?://|/\*)\s*(?:unordered\s+)?output:", re.IGNORECASE)


def _in_example_output(comment: Node, outputs: dict[int, frozenset[int]]) -> bool:
    """Whether a comment belongs to the expected output of an example test: the last group of
    adjacent comments in the body of an ``Example`` function, when that group begins with
    ``Output:`` or ``Unordered output:`` (as ``go test`` reads it). ``outputs`` keeps each
    function's answer (the start bytes of its output comments) for the file's other hits."""
    fn = next((a for a in _ancestors(comment) if a.type in ("function_declaration",
                                                            "method_declaration", "func_literal")),
              None)
    if fn is None:
        return False
    if fn.id not in outputs:
        outputs[fn.id] = _example_output(fn)
    return comment.start_byte in outputs[fn.id]


def _example_output(fn: Node) -> frozenset[int]:
    """The start bytes of the output comments of a function (none unless it is an Example)."""
    name = fn.child_by_field_name("name")
    if fn.type != "function_declaration" or name is None or not name.text.startswith(b"Example"):
        return frozenset()
    comments: list[Node] = []
    stack = [fn.child_by_field_name("body")]
    while stack:
        node = stack.pop()
        if node is None:
            continue
        if node.type == "comment":
            comments.append(node)
        stack.extend(node.children)
    if not comments:
        return frozenset()
    comments.sort(key=lambda n: n.start_byte)
    first = len(comments) - 1
    while first > 0 and comments[first - 1].end_point[0] + 1 >= comments[first].start_point[0]:
        first -= 1  # the last group: comments on adjacent lines
    if _OUTPUT_RE.match(comments[first].text or b"") is None:
        return frozenset()
    return frozenset(c.start_byte for c in comments[first:])


def _node_kind(node: Node) -> str:
    """code, string or comment. Comments are leaves and a string's parts sit directly in its
    literal, so the node and its parent tell."""
    for n in (node, node.parent):
        if n is None:
            break
        t = n.type
        if t == "comment":
            return "comment"
        if t in _STRING_KINDS:
            return "string"
    return "code"


_IDENT_NODES = {"identifier", "field_identifier", "type_identifier", "package_identifier"}


def _related_vocabulary(
    root: Node, data: bytes, spec: Spec, index: LineIndex, members: Collection[int] = ()
) -> list[tuple[str, int, int, str]]:
    """Identifiers that contain the term's first word but are not family members. ``members``:
    the bytes of identifiers already known to be members (the scan's hits), not looked at."""
    from .spec import split_words

    first = spec.first_word
    # (a case-sensitive search of the lower-cased bytes: several times faster in re)
    pattern = re.compile(re.escape(first.lower().encode()))
    seen: set[int] = set()
    out = []
    for m in pattern.finditer(data.lower()):
        if m.start() in members:
            continue
        node = root.descendant_for_byte_range(m.start(), m.end())
        if node is None or node.type not in _IDENT_NODES or node.start_byte in seen:
            continue
        seen.add(node.start_byte)
        token = _text(node)
        if spec.is_member(token):
            continue
        if not any(w.text.lower() in (first, first + "s") for w in split_words(token)):
            continue
        line, column = index.position(node.start_byte)
        out.append((token, line, column, node.type))
    return out
