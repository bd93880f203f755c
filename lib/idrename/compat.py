"""Wire compatibility: every family name that leaves the process, who produces and who consumes it,
and the strategy that keeps both sides working while the Go names change.

One row per *contract* (:data:`MATRIX_COLUMNS`), built from the Go rows with ``wire == True``:

============  =====================================================================================
kind          grouping (``contract`` id)
============  =====================================================================================
``<key>_tag`` a struct tag, per tag key and struct (``json_tag:run_id@SummaryResponse``)
map_key       per enclosing function: one response or payload (``map_key:run_id@Router.handleChat``)
log_key       one contract per wire name across all sites (``log_key:run_id``)
query_param   per enclosing function (``query_param:run_id@Router.handleLookup``)
http_header   per enclosing function (``http_header:X-Run-ID@Router.handleChat``)
sql           per column (or index, constraint) and table, from Go strings and ``.sql`` files
              (``sql:run_id@conversations``); a table's own name under itself, a sequence's,
              view's or function's under none (:func:`sql_object`); a dump's ``COPY`` data and
              a function's parameters and variables (``sql_variable``) are none
proto_field   per message, from ``.proto`` files and generated Go (``protobuf:"...,name=run_id"``
              tags; the other tags on that generated field belong to it) (``proto_field:run_id@PlanUpdate``);
              per enum for an enum's values, the keys of its generated ``<Enum>_value`` map
              included (``proto_field:CreateShardGroupCommand@Command.Type``); a nested name is
              grouped with its generated Go type (``Command.Type`` with ``Command_Type``), and
              a message's name where a field uses it as its type is no contract
field_name    an exported field encoded or decoded under its Go name, its tag giving the codec no
              name (``field_name:RunID@Status``; see :mod:`idrename.wirefields`)
============  =====================================================================================

**Sites.** ``producers`` are the Go sites that spell the wire name (the tag, the key, the log call,
the SQL text, the generated proto field) and, for a struct, the non-test sites that encode it.
``consumers`` are the sites that read it: Go decode sites of a struct, Go query/header reads,
hand-written Go uses of a generated proto field (getter or field), and every site in a consumer
root attributed to the contract. Sites are ``root/path:line``, unique, sorted by path then line.
Test files take no part in the direction analysis.

**Direction.** Struct tags: ``encoding``-style calls (``json.Marshal``, ``.Encode``, gin's
``c.JSON``) and decoding calls (``json.Unmarshal``, ``json.NewDecoder(..).Decode(&x)``,
``Bind*``) whose target's type is the struct (a ``var``, ``:=`` literal, ``new`` or parameter of the
enclosing function), also through structs that embed or contain it; ``db``/``gorm``/``bson``-style
tags are stored, ``mapstructure``/``env``/``koanf`` tags are inbound from configuration (files and
the environment users wrote), ``form``/``query``/``header``-style tags inbound from requests. Map
keys and log keys are outbound; a query or header read (``Get``) is inbound, a ``Set``/``Add`` is
outbound; SQL is stored; a protobuf field is inbound when hand-written Go only reads it,
outbound when it only builds it.

**Strategies** (defaults, after the seed's naming policy): a stored name -> ``migrate`` (a proposed
``ALTER TABLE ... RENAME COLUMN``, or the ``ALTER`` that renames the table, index, sequence,
constraint, view or function it names; never applied); a protobuf field -> ``keep-legacy``;
inbound -> ``accept-both``, except JSON we only decode from another service's response and keys
read from configuration -> ``keep-legacy``; outbound -> ``dual-emit`` while consumers are unknown
or still read the legacy name, ``hard-cut`` when every known consumer already reads the new name.
Where ``accept-both`` or ``dual-emit`` would be the default for a struct tag other than JSON's,
for which the patch cannot write the code that keeps both names working, ``keep-legacy``, saying
so; a contract whose every producer already emits both names with the same value (one map
literal, one zerolog chain, one slog call) -> ``drop-legacy``. The policy's ``[[contract]]``
entries (wire, kind, path glob, owner; first match in file order) override the default with their
rationale.

**Attribution of consumers.** A row of a consumer root is a candidate consumer of a contract when
its text is the contract's wire name, or the camelCase accessor of a protobuf field (``runId`` for
``run_id``); comments, Markdown and rows the decisions ``ignore`` (homonyms) never are, and a row's
role must fit the kind (a string only as a whole key, or as ``?name=`` in a URL for a query
parameter). Among the candidates, each contract is scored by evidence, strongest first:

3. direct: a ``.proto`` field of the same message; a type the row is declared with (``x: T``,
   ``const v: T = {...}``, a function's return type) that is the contract's struct or message name
   or a TypeScript type whose properties were attributed to the contract; a URL string holding the
   route of the handler that reads the query parameter; for a local named after the wire name, the
   contract of another attributed row in the same function;
2. the row's file holds the route (``"POST /api/chat"`` -> ``/api/chat``) registered for a function
   that produces or decodes the contract, or names the protobuf message (``PlanUpdate``, also as
   the head of ``PlanUpdatePayload``);
1. a URL string with ``?name=`` for a query parameter;

then by shape: how many of the row's sibling keys (the other properties of its interface or object
literal, the other members read from the same variable) the contract also has (the struct's other
tags, the map literal's other keys, the message's other fields). The best score wins; ties go to
every tied contract (a consumer that may read either keeps both alive). A row with neither evidence
nor a shared sibling key is attributed to nothing (``matrix.attrs["unattributed"]``).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from concurrent.futures import Executor
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

import pandas as pd

from . import roles as R
from . import wirefields
from .cache import file_value, named_indexes
from .embeddeddata import follow_embedded_data
from .gofacts import WRITTEN_BY_IDRENAME, GoFacts, _ancestor, _text, _unquote
from .policy import (
    EXTERNAL_SPELLING,
    Contract,
    Policy,
    flag_value,
    match_value,
    row_flag,
    row_value,
    set_decision,
)
from .records import records
from .spec import Spec, split_words
from .standardnames import STANDARD_HEADER, STANDARD_NAME
from .wiresyntax import Answer, Question, is_paired, syntax_batch
from .xmltexts import follow_xml_texts

if TYPE_CHECKING:
    from .memo import Inputs

Node = Any  # tree_sitter.Node

MATRIX_COLUMNS = [
    "contract", "kind", "wire_name", "new_wire", "owner", "direction", "producers", "consumers",
    "consumer_set", "strategy", "strategy_source", "rationale", "proposed_change",
    "occurrence_ids", "edit_ids", "paired_ids", "fixed_ids", "flags",
]
# The columns EXPECTED_CONTRACTS.csv holds (lists joined with ";").
ORACLE_COLUMNS = [
    "contract", "kind", "wire_name", "direction", "producers", "consumers", "consumer_set",
    "strategy",
]
LIST_COLUMNS = ("producers", "consumers", "occurrence_ids", "edit_ids", "paired_ids", "fixed_ids",
                "flags")
STRATEGY_DECISION = {
    "keep-legacy": "keep",
    "dual-emit": "dual",
    "accept-both": "accept-both",
    "hard-cut": "rename",
    "migrate": "keep",
    "drop-legacy": "drop-legacy",
}
# A policy rule's decision read as the strategy of the contract it decides.
DECISION_STRATEGY = {
    "keep": "keep-legacy", "dual": "dual-emit", "accept-both": "accept-both", "rename": "hard-cut",
    "hard-cut": "hard-cut", "drop-legacy": "drop-legacy", "migrate": "migrate",
}
RENAMING = frozenset({"rename", "dual", "accept-both", "hard-cut", "drop-legacy"})

# The calls that read a query parameter or a header (the ``detail`` of their rows), and those
# that write one (gRPC's metadata: gosyntax.GRPC_METADATA_KV and GRPC_METADATA_KEY)
READ_METHODS = frozenset(
    "Get Values Has FormValue PostFormValue Query DefaultQuery GetQuery QueryParam QueryArray "
    "metadata.ValueFromIncomingContext".split())
WRITE_METHODS = frozenset({"Set", "Add", "metadata.Pairs", "metadata.AppendToOutgoingContext"})
STORED_TAGS = frozenset({"db", "gorm", "bson", "dynamodbav", "bigquery"})
# Tags read from configuration (files, the environment, the command line) that users wrote with
# the key: kelseyhightower/envconfig's `envconfig`, jessevdk/go-flags' `long` and the `flag` tag
# of ff and sflags name an environment variable or a command-line flag
CONFIG_TAGS = frozenset({"mapstructure", "env", "koanf", "envconfig", "long", "flag"})
# Tags read from requests that clients send (a path parameter's `uri` and `param` tags are role
# path_param: a client sends the value, never the name)
REQUEST_TAGS = frozenset({"form", "query", "header", "schema", "url"})
INBOUND_TAGS = CONFIG_TAGS | REQUEST_TAGS
# The tags whose legacy name the patch can keep working beside the new one (dual-emit,
# accept-both): JSON, with MarshalJSON/UnmarshalJSON methods
SHIMMED_TAGS = frozenset({"json"})
PAYLOAD_ROLES = frozenset({R.TS_PROPERTY, R.TS_MEMBER, R.TS_OBJECT_KEY, R.TS_IDENTIFIER, R.TS_STRING,
                           R.CONFIG_KEY})
CONSUMER_ROLES = PAYLOAD_ROLES | {R.PROTO_FIELD, R.SQL_FILE, R.CONFIG_VALUE}
_SEMANTIC_RE = re.compile(r"\b(?:one|per|each|every|single)\s+([A-Za-z]+)", re.IGNORECASE)
_COMMENT_RE = re.compile(r"(?://|#|--|/\*|^\s*\*)(.*)$")
_SQL_INDEX = re.compile(
    r"(?is)\bindex\s+(?:if\s+not\s+exists\s+)?([A-Za-z_][\w]*)\s+on\s+(?:only\s+)?"
    r"([A-Za-z_][\w.]*)")
# the table a statement is about: `ALTER TABLE ONLY t`, MySQL's `CREATE TABLE \`t\``
_SQL_TABLE = re.compile(
    r"(?is)\b(?:from|into|update|join|copy|tables?(?:\s+if\s+(?:not\s+)?exists)?(?:\s+only)?)\s+"
    r"([`\"]?[A-Za-z_][\w.`\"]*)")
# A name that a keyword says is no column: `CREATE SEQUENCE s`, `ADD CONSTRAINT c`, `DROP
# FUNCTION f(...)`, `CREATE TABLE t`, `REFERENCES t`, `t.id`; `{}` is the name.
_SQL_OBJECTS = (
    ("sequence", r"\bsequence\s+(?:if\s+(?:not\s+)?exists\s+)?{}"),
    ("constraint", r"\bconstraint\s+{}"),
    ("function", r"\b(?:function|procedure)\s+(?:if\s+exists\s+)?{}"),
    ("view", r"\bview\s+(?:if\s+(?:not\s+)?exists\s+)?{}"),
    ("table", r"\b(?:tables?(?:\s+if\s+(?:not\s+)?exists)?(?:\s+only)?|references|into|update|"
              r"copy|owned\s+by)\s+{}|\b(?:from|join)\s+{}(?!\s*\()|{}\s*\."),
)
_SQL_WORDS = frozenset({"select", "set", "where", "values", "only", "if", "lateral", "stdin",
                        "stdout"})
ENUM_VALUE_FLAG = ("a protobuf enum value: binary protobuf sends its number; the name is on "
                   "the wire in the JSON and text formats")
_SQL_SELECT = re.compile(r"(?i)\bselect\b")
_SQL_INSERT = re.compile(r"(?i)\binsert\b")
# MySQL's upsert: the UPDATE of `ON DUPLICATE KEY UPDATE a = ?` names no table
_SQL_UPSERT = re.compile(r"(?i)\bon\s+duplicate\s+key\s+update\b")
# SQL comments: a line's rest after --, and /* ... */
_SQL_COMMENT = re.compile(r"--[^\n]*|/\*.*?\*/", re.DOTALL)


# -- small helpers -------------------------------------------------------------------------------
def camel(wire: str) -> str:
    """The camelCase accessor protobuf code generators give a field: ``run_id`` -> ``runId``."""
    parts = [p for p in re.split(r"[_\-]", wire) if p]
    if not parts:
        return wire
    return parts[0][:1].lower() + parts[0][1:] + "".join(p[:1].upper() + p[1:] for p in parts[1:])


def site_key(site: str) -> tuple[str, int]:
    path, _, line = site.rpartition(":")
    return path, int(line) if line.isdigit() else 0


def sort_sites(sites: Iterable[str]) -> list[str]:
    return sorted(set(sites), key=site_key)


def _site(row: Mapping[str, Any]) -> str:
    return f"{row_value(row, 'root')}/{row_value(row, 'path')}:{int(row['line'])}"


def _words_lower(token: str) -> list[str]:
    return [w.text.lower() for w in split_words(token)]


def _concept(spec: Spec) -> str:
    """What the new term names, in words: ``SessionID`` -> ``session``."""
    old = set(spec.old_words)
    words = [w.lower() for w in spec.new_words if w.lower() not in old]
    return " ".join(words) or spec.new.lower()


# -- SQL ---------------------------------------------------------------------------------------
def _sql_code(statement: str) -> str:
    """A statement without its comments, and its ``ON DUPLICATE KEY UPDATE`` as a ``SET``."""
    return _SQL_UPSERT.sub(" SET", _SQL_COMMENT.sub(" ", statement))


def sql_target(statement: str, token: str) -> tuple[str, bool]:
    """(table, is_index) for a column or index name in one SQL statement (its comments, such
    as ``-- first try to update the key``, say no table)."""
    statement = _sql_code(statement)
    for m in _SQL_INDEX.finditer(statement):
        return m.group(2).rsplit(".", 1)[-1], m.group(1) == token
    for m in _SQL_TABLE.finditer(statement):
        name = m.group(1).replace('"', "").replace("`", "").rsplit(".", 1)[-1]
        if name.lower() not in _SQL_WORDS and not _selects_into(statement, m):
            return name, False
    return "", False


def sql_object(statement: str, token: str) -> str:
    """What a name in one SQL statement names besides a column: ``table``, ``sequence``,
    ``constraint``, ``function`` (or procedure) or ``view``, by the keyword before it (any of
    its places in the statement counts); ``column`` else. An index is :func:`sql_target`'s."""
    statement = _sql_code(statement)
    for kind, pattern in _object_patterns(token):
        if pattern.search(statement):
            return kind
    return "column"


@lru_cache(maxsize=4096)
def _object_patterns(token: str) -> tuple[tuple[str, re.Pattern[str]], ...]:
    name = r"(?:[\w`\"]+\.)?[`\"]?" + re.escape(token) + r"\b[`\"]?"
    return tuple((kind, re.compile("(?is)" + pattern.replace("{}", name)))
                 for kind, pattern in _SQL_OBJECTS)


def _selects_into(statement: str, m: re.Match[str]) -> bool:
    """Whether a table match is the INTO of a ``SELECT a INTO v FROM t`` (PL/pgSQL, MySQL),
    which names variables, not a table: a SELECT comes before it and no INSERT does."""
    if m.group(0)[:4].lower() != "into":
        return False
    before = statement[: m.start()]
    return _SQL_SELECT.search(before) is not None and _SQL_INSERT.search(before) is None


def _sql_statement(data: bytes, start: int, end: int) -> str:
    """The text of the statement of a ``.sql`` file around bytes ``start:end``: from the ``;``
    (or the ``\\.`` that ends a COPY's data) before it to the ``;`` after it."""
    copied = data.rfind(b"\n\\.", 0, start)
    begin = max(data.rfind(b";", 0, start) + 1, copied + 3 if copied >= 0 else 0)
    stop = data.find(b";", end)
    return data[begin : stop if stop >= 0 else len(data)].decode("utf-8", "replace")


# -- TypeScript context --------------------------------------------------------------------------
_TS_FUNCS = frozenset({"function_declaration", "function_expression", "arrow_function",
                       "method_definition", "generator_function_declaration", "function"})


class _TsFile:
    def __init__(self, path: str, data: bytes) -> None:
        import tree_sitter
        import tree_sitter_typescript as tst

        if data.startswith(b"\xef\xbb\xbf"):
            data = b"   " + data[3:]
        self.data = data
        self.text = data.decode("utf-8", "replace")
        self.usage: dict[str, str] = {}
        grammar = tst.language_typescript() if path.endswith((".ts", ".mts", ".cts")) \
            else tst.language_tsx()
        self.root = tree_sitter.Parser(tree_sitter.Language(grammar)).parse(data).root_node

    def node(self, start: int, end: int) -> Node:
        return self.root.descendant_for_byte_range(start, end)


def _type_names(annotation: Node | None) -> set[str]:
    if annotation is None:
        return set()
    out = set()
    stack = [annotation]
    while stack:
        n = stack.pop()
        if n.type == "type_identifier":
            out.add(_text(n))
        stack.extend(n.named_children)
    return out


def _declared_types(value: Node) -> set[str]:
    """The type names an object literal is declared with (variable type, return type, ``as T``)."""
    node = value
    while node.parent is not None:
        p = node.parent
        if p.type in ("parenthesized_expression", "await_expression"):
            node = p
            continue
        if p.type in ("as_expression", "satisfies_expression"):
            return _type_names(p.named_children[-1])
        if p.type == "variable_declarator":
            return _type_names(p.child_by_field_name("type"))
        if p.type == "return_statement":
            fn = _ancestor(p, _TS_FUNCS)
            return _type_names(fn.child_by_field_name("return_type")) if fn is not None else set()
        if p.type == "arrow_function":
            return _type_names(p.child_by_field_name("return_type"))
        return set()
    return set()


def _identifier_types(at: Node, name: str) -> set[str]:
    """The declared type of the variable or parameter ``name`` seen from ``at``."""
    scope = _ancestor(at.parent, _TS_FUNCS)
    while True:
        container = scope if scope is not None else _program(at)
        for n in _walk(container):
            if n.type == "variable_declarator":
                nm = n.child_by_field_name("name")
                if nm is not None and nm.type == "identifier" and _text(nm) == name:
                    return _type_names(n.child_by_field_name("type"))
            elif n.type in ("required_parameter", "optional_parameter"):
                pattern = n.child_by_field_name("pattern")
                if pattern is not None and pattern.type == "identifier" and _text(pattern) == name:
                    return _type_names(n.child_by_field_name("type"))
        if scope is None:
            return set()
        scope = _ancestor(scope.parent, _TS_FUNCS)


def _program(node: Node) -> Node:
    while node.parent is not None:
        node = node.parent
    return node


def _walk(node: Node) -> Iterable[Node]:
    stack = [node]
    while stack:
        n = stack.pop()
        yield n
        stack.extend(reversed(n.named_children))


def _property_name(node: Node) -> str:
    return _unquote(_text(node))


def _container_keys(container: Node) -> set[str]:
    keys = set()
    for child in container.named_children:
        if child.type in ("property_signature", "pair", "public_field_definition"):
            name = child.child_by_field_name("name") or child.child_by_field_name("key")
            if name is not None:
                keys.add(_property_name(name))
        elif child.type in ("shorthand_property_identifier",
                            "shorthand_property_identifier_pattern"):
            keys.add(_text(child))
        elif child.type == "pair_pattern":
            key = child.child_by_field_name("key")
            if key is not None:
                keys.add(_property_name(key))
    return keys


def _is_sent(value: Node) -> bool:
    """Whether an expression is sent: inside ``JSON.stringify(...)`` or a ``body:`` value."""
    node = value
    while node.parent is not None:
        p = node.parent
        if p.type == "arguments" and p.parent is not None and p.parent.type == "call_expression":
            fn = p.parent.child_by_field_name("function")
            if fn is not None and _text(fn) == "JSON.stringify":
                return True
        if p.type == "pair":
            key = p.child_by_field_name("key")
            if key is not None and _property_name(key) == "body" and node != key:
                return True
        if p.type in _TS_FUNCS or p.type == "program":
            return False
        node = p
    return False


def _type_usage(ts: _TsFile, type_name: str) -> str:
    """How a file uses a TypeScript type: ``reads`` (a function's return type, a variable filled
    by a call), ``sends`` (a parameter that goes into ``JSON.stringify`` or a ``body``), else ""."""
    cache = ts.usage
    if type_name in cache:
        return cache[type_name]
    reads = sends = False
    for n in _walk(ts.root):
        if n.type != "type_annotation" or type_name not in _type_names(n):
            continue
        p = n.parent
        if p is None:
            continue
        if p.type in _TS_FUNCS and p.child_by_field_name("return_type") == n:
            reads = True
        elif p.type == "variable_declarator":
            value = p.child_by_field_name("value")
            if value is not None and value.type in ("await_expression", "call_expression"):
                reads = True
        elif p.type in ("required_parameter", "optional_parameter"):
            pattern = p.child_by_field_name("pattern")
            fn = _ancestor(p, _TS_FUNCS)
            if pattern is None or pattern.type != "identifier" or fn is None:
                continue
            name = _text(pattern)
            for use in _walk(fn):
                if use.type == "identifier" and _text(use) == name and use != pattern \
                        and _is_sent(use):
                    sends = True
    cache[type_name] = "reads" if reads and not sends else "sends" if sends and not reads else ""
    return cache[type_name]


@dataclass
class _RowContext:
    keys: set[str] = field(default_factory=set)
    types: set[str] = field(default_factory=set)
    string: str = ""  # the whole literal, for strings
    mode: str = "key"  # key | query | none (a string that is neither a key nor a URL parameter)
    usage: str = ""  # reads (a response) | sends (a request) | "" (cannot tell)


def _ts_context(ts: _TsFile, row: Mapping[str, Any], wire_names: set[str]) -> _RowContext:
    ctx = _RowContext()
    node = ts.node(int(row["start_byte"]), int(row["end_byte"]))
    role = row_value(row, "role")
    text = row_value(row, "text")
    if role == R.TS_PROPERTY:
        container = _ancestor(node, ("interface_body", "object_type", "class_body"))
        if container is not None:
            ctx.keys = _container_keys(container)
        owner = row_value(row, "owner")
        if owner:
            ctx.types = {owner}
            ctx.usage = _type_usage(ts, owner)
    elif role == R.TS_OBJECT_KEY:
        obj = _ancestor(node, ("object", "object_pattern"))
        if obj is not None:
            ctx.keys = _container_keys(obj)
            ctx.types = _declared_types(obj)
            if _is_sent(obj):
                ctx.usage = "sends"
            else:
                usages = {_type_usage(ts, t) for t in ctx.types} - {""}
                ctx.usage = usages.pop() if len(usages) == 1 else ""
    elif role in (R.TS_MEMBER, R.TS_STRING):
        member = _ancestor(node, ("member_expression", "subscript_expression",
                                  "string", "template_string"))
        if role == R.TS_STRING:
            literal = _ancestor(node, ("string", "template_string"))
            ctx.string = _text(literal) if literal is not None else text
            inner = _unquote(ctx.string)
            if inner == text:
                ctx.mode = "key"
                member = literal.parent if literal is not None and \
                    literal.parent is not None and literal.parent.type == "subscript_expression" \
                    else None
            elif re.search(r"[?&]" + re.escape(text) + "=", inner):
                ctx.mode, ctx.usage = "query", "sends"
                member = None
            else:
                ctx.mode = "none"
                member = None
        if member is not None and member.type in ("member_expression", "subscript_expression"):
            ctx.usage = "reads"
            obj = member.child_by_field_name("object")
            if obj is not None and obj.type == "identifier":
                name = _text(obj)
                ctx.types = _identifier_types(member, name)
                scope = _ancestor(member.parent, _TS_FUNCS) or _program(member)
                for n in _walk(scope):
                    if n.type == "member_expression":
                        o = n.child_by_field_name("object")
                        p = n.child_by_field_name("property")
                        if o is not None and p is not None and _text(o) == name:
                            ctx.keys.add(_text(p))
    ctx.keys -= wire_names | {text}
    return ctx


# -- the contracts -------------------------------------------------------------------------------
@dataclass
class _Contract:
    kind: str
    wire: str
    owner: str
    rows: list[dict[str, Any]] = field(default_factory=list)  # Go-root rows that spell the name
    readers: list[dict[str, Any]] = field(default_factory=list)  # Go rows that read it
    writers: list[dict[str, Any]] = field(default_factory=list)  # Go rows that build it
    consumer_rows: list[dict[str, Any]] = field(default_factory=list)
    extra_producers: set[str] = field(default_factory=set)
    extra_consumers: set[str] = field(default_factory=set)
    keys: set[str] = field(default_factory=set)
    functions: set[str] = field(default_factory=set)
    sql_object: str = "column"  # what a sql contract's name names (see sql_object), or index
    direction: str = ""
    decode_source: str = ""
    decode_sites: list[str] = field(default_factory=list)  # root/path:line of each decode
    # the data files built into the program that it is decoded from (decode_source embedded)
    embedded_data: list[str] = field(default_factory=list)
    # where a decoder of its folder, or of a folder that decodes it, refuses unknown keys (JSON)
    strict: str = ""
    paired: set[str] = field(default_factory=set)
    # a log key's sites whose call may be to a function of the roots' with fixed parameters,
    # and where that function is declared (see GoFacts.fixed_log_methods)
    fixed: dict[str, str] = field(default_factory=dict)
    flags: list[str] = field(default_factory=list)
    id: str = ""
    new_wire: str = ""
    embedded_in: list[str] = field(default_factory=list)  # structs embedding the owner
    # the owner's methods encoding/json calls in place of its tags -> where declared, and the
    # file that declares the owner (root/path)
    json_methods: dict[str, str] = field(default_factory=dict)
    declared_in: str = ""
    # a struct coded in its own file that can have no methods (declared in a function, or an
    # anonymous struct): nothing keeps a legacy key working beside the new one
    methodless: bool = False

    @property
    def base_id(self) -> str:
        return f"{self.kind}:{self.wire}" + (f"@{self.owner}" if self.owner else "")

    @cached_property
    def paths(self) -> list[str]:
        return sorted({row_value(r, "path") for r in self.rows + self.readers + self.writers})


def _tag_kind(detail: str) -> str:
    return detail.split(":", 1)[0]


def contracts(
    frame: pd.DataFrame,
    *,
    consumer_roots: Iterable[str] = (),
    policy: Policy,
    roots: Mapping[str, str | os.PathLike[str]] | None = None,
    executor: Executor | None = None,
    cache: Any = None,
    inputs: Inputs | None = None,
    facts: GoFacts | None = None,
) -> pd.DataFrame:
    """The compatibility matrix: one row per contract (see the module docstring).

    ``frame`` is the inventory (with or without decisions; without them, :func:`decide` runs);
    ``consumer_roots`` the labels of the roots that are consumers (the web frontend); ``roots``
    maps every label to its folder (default: ``frame.attrs["roots"]``), so the Go source can be
    re-read for directions, routes and pairs. Without it the matrix is built from the frame
    alone, and each contract says so in ``flags``. ``executor`` reads the Go files (see
    :meth:`idrename.gofacts.GoFacts.scan`); ``cache`` keeps what was read of each file (as
    :func:`idrename.inventory.scan` takes it; False: none), and with ``inputs`` (the roots'
    digests) the facts of a tree read before are read back whole. ``facts`` is what
    :func:`facts_reader` gave for the same arguments (read here).
    """
    if "decision" not in frame.columns:
        from .decisions import decide

        frame = decide(frame, policy)
    spec = policy.spec
    consumer_roots = set(consumer_roots)
    if facts is None:
        facts = facts_reader(frame, consumer_roots=consumer_roots, policy=policy, roots=roots)
    if facts is not None:
        facts.scan(list(facts.roots), executor=executor, cache=cache, inputs=inputs)
    rows = records(frame)
    root_paths = roots if roots is not None else frame.attrs.get("roots")
    if facts is not None:
        _read_syntax(facts, rows, spec, consumer_roots, executor, cache)
    groups = _group(rows, consumer_roots, facts)
    _go_readers(groups, rows, consumer_roots)
    for c in groups:
        _analyse(c, facts, spec)
    if facts is not None and root_paths:
        _embedded_sources(groups, rows, facts, root_paths)
    _assign_ids(groups)
    unattributed = _attribute(groups, rows, consumer_roots, spec, root_paths, facts)
    comments = _CommentWords(facts, cache)
    finished = [_finish(c, policy, spec, facts, consumer_roots, root_paths, comments)
                for c in groups]
    comments.save()
    fields = wirefields.find(rows, facts, consumer_roots) if facts is not None else []
    finished += wirefields.contract_rows(fields, rows, policy)
    matrix = pd.DataFrame(finished, columns=MATRIX_COLUMNS)
    matrix = matrix.sort_values("contract", kind="stable").reset_index(drop=True)
    matrix.attrs["unattributed"] = sorted(unattributed, key=site_key)
    matrix.attrs[wirefields.ATTR] = wirefields.plain(fields)
    return matrix


def facts_reader(
    frame: pd.DataFrame,
    *,
    consumer_roots: Iterable[str] = (),
    policy: Policy,
    roots: Mapping[str, str | os.PathLike[str]] | None = None,
) -> GoFacts | None:
    """The :class:`GoFacts` of the Go roots that have rows in ``frame``, not read yet (its
    ``scan`` reads them: :func:`contracts` does, when given it as ``facts``); None without
    ``roots`` (nor ``frame.attrs["roots"]``)."""
    root_paths = roots if roots is not None else frame.attrs.get("roots")
    if not root_paths:
        return None
    consumer_roots = set(consumer_roots)
    labels = frame["root"].unique().tolist() if "root" in frame.columns else []
    go_labels = {row_value({"root": v}, "root") for v in labels} - consumer_roots
    resolved = {k: Path(v) for k, v in dict(root_paths).items()}
    return GoFacts({k: v for k, v in resolved.items() if k in go_labels}, policy.spec,
                   policy.skip)


def _group(rows: list[dict[str, Any]], consumer_roots: set[str],
           facts: GoFacts | None) -> list[_Contract]:
    proto_lines: dict[tuple[str, str, int], tuple[str, str]] = {}
    for r in rows:
        if r.get("role") == R.STRUCT_TAG and _tag_kind(row_value(r, "detail")) == "protobuf":
            key = (row_value(r, "root"), row_value(r, "path"), int(r["line"]))
            proto_lines.setdefault(key, (row_value(r, "text"), row_value(r, "owner")))
    groups: dict[tuple[str, ...], _Contract] = {}

    def add(key: tuple[str, ...], kind: str, wire: str, owner: str, row: dict[str, Any]) -> None:
        c = groups.get(key)
        if c is None:
            c = groups[key] = _Contract(kind, wire, owner)
        elif row.get("role") == R.PROTO_FIELD:
            c.owner = owner  # the .proto's name of a message, over the Go type's
        c.rows.append(row)

    for r in rows:
        root = row_value(r, "root")
        if root in consumer_roots or not row_flag(r, "wire") or r.get("role") == R.UNPARSED \
                or r.get("decided_by") in (STANDARD_HEADER, STANDARD_NAME, EXTERNAL_SPELLING):
            continue  # (a standard's name, a flag's: no contract of this code's)
        role, text, path = r["role"], row_value(r, "text"), row_value(r, "path")
        symbol = row_value(r, "symbol")
        where = f"{root}/{path}"
        if role == R.STRUCT_TAG:
            line_key = (root, path, int(r["line"]))
            if line_key in proto_lines:
                wire, message = proto_lines[line_key]
                add(("proto_field", wire, _go_type_name(message)), "proto_field", wire, message, r)
                continue
            tag = _tag_kind(row_value(r, "detail")) or "struct"
            owner = row_value(r, "owner") or symbol
            pkg_dir = str(PurePosixPath(where).parent)
            add((f"{tag}_tag", text, owner, pkg_dir), f"{tag}_tag", text, owner, r)
        elif role == R.MAP_KEY and proto_enum_map(r):
            enum = proto_enum_map(r)
            add(("proto_field", text, enum), "proto_field", text, enum, r)
        elif role == R.MAP_KEY:
            add(("map_key", text, symbol, where), "map_key", text, symbol, r)
        elif role == R.LOG_KEY:
            add(("log_key", text), "log_key", text, "", r)
        elif role in (R.QUERY_PARAM, R.HTTP_HEADER):
            if row_value(r, "detail") != R.URL_QUERY:  # (sent in a URL: follow_url_queries)
                add((role, text, symbol, where), role, text, symbol, r)
        elif role in (R.SQL, R.SQL_FILE):
            table, obj = _sql_table_of(r, facts)
            table = text if obj == "table" else "" if obj in _UNTABLED else table
            add(("sql", text, table), "sql", text, table, r)
            if obj != "column":
                groups[("sql", text, table)].sql_object = obj
        elif role == R.PROTO_FIELD:
            add(("proto_field", text, _go_type_name(symbol)), "proto_field", text, symbol, r)
    return [groups[k] for k in sorted(groups)]


def proto_enum_map(row: Mapping[str, Any]) -> str:
    """The Go name of the protobuf enum whose generated name-to-number map a map key row is a
    key of (``"CreateNodeCommand": 1`` in ``var Command_Type_value = map[string]int32{``,
    as protoc-gen-go and gogo write it for enum ``Command.Type``), else "". Its keys are the
    enum's value names, the contract the enum states, not a payload of their own."""
    symbol = row_value(row, "symbol")
    if (symbol.endswith("_value") and row_value(row, "owner") == "map[string]int32"
            and row_flag(row, "is_generated")):
        return symbol[: -len("_value")]
    return ""


def _is_enum_value(c: _Contract, facts: GoFacts | None) -> bool:
    """Whether a protobuf contract is an enum's value: a key of its generated name-to-number
    map, or a name its ``.proto`` declares in ``enum <owner> {``."""
    if any(proto_enum_map(r) for r in c.rows):
        return True
    enum = re.compile(rb"\benum\s+" + re.escape(c.owner.rsplit(".", 1)[-1].encode()) + rb"\s*\{")
    return facts is not None and any(
        enum.search(facts.data(row_value(r, "root"), row_value(r, "path")) or b"")
        for r in c.rows if r.get("role") == R.PROTO_FIELD)


def _go_type_name(proto_name: str) -> str:
    """The Go type protoc-gen-go generates for a message or enum (nested names joined by
    ``_``: ``Command.Type`` -> ``Command_Type``): how .proto rows and generated Go rows of one
    message or enum are grouped together."""
    return proto_name.replace(".", "_")


def _sql_table_of(row: Mapping[str, Any], facts: GoFacts | None) -> tuple[str, str]:
    """(table, what the name names: ``index``, or as :func:`sql_object` says) of a SQL row."""
    if facts is None:
        return "", "column"
    root, path = row_value(row, "root"), row_value(row, "path")
    start, end = int(row["start_byte"]), int(row["end_byte"])
    text = row_value(row, "text")
    if path.endswith(".go"):
        statement = facts.syntax.get((root, path, start, end), _RowSyntax()).statement
    else:
        data = facts.data(root, path)
        statement = _sql_statement(data, start, end) if data else ""
    table, is_index = sql_target(statement, text)
    return table, "index" if is_index else sql_object(statement, text)


def _go_readers(groups: list[_Contract], rows: list[dict[str, Any]],
                consumer_roots: set[str]) -> None:
    """Hand-written Go uses of the names a generated protobuf field declares (field, getter)."""
    from .decisions import declared_only_in_generated

    protos = [c for c in groups if c.kind == "proto_field"]
    if not protos:
        return
    generated_only = declared_only_in_generated(rows)
    fields: dict[tuple[str, str, int], set[str]] = {}
    for other in rows:
        if other.get("role") == R.FIELD_DECL and row_flag(other, "is_generated"):
            key = (row_value(other, "root"), row_value(other, "path"), int(other["line"]))
            fields.setdefault(key, set()).add(row_value(other, "text"))
    uses: dict[str, list[int]] = {}  # text -> hand-written uses (rows indices, in order)
    for i, other in enumerate(rows):
        if other.get("role") not in (R.COMPOSITE_KEY, R.SELECTOR, R.METHOD_CALL):
            continue
        if row_value(other, "root") in consumer_roots or row_flag(other, "is_generated"):
            continue
        text = row_value(other, "text")
        if text in generated_only:
            uses.setdefault(text, []).append(i)
    for c in protos:
        names: set[str] = set()
        for r in c.rows:
            key = (row_value(r, "root"), row_value(r, "path"), int(r["line"]))
            names |= fields.get(key, set())
        names |= {f"Get{n}" for n in names}
        found = sorted(i for n in names for i in uses.get(n, ()))
        for i in found:
            other = rows[i]
            if other.get("role") == R.COMPOSITE_KEY:
                c.writers.append(other)
            else:
                c.readers.append(other)


def _embedded_sources(groups: list[_Contract], rows: list[dict[str, Any]], facts: GoFacts,
                      roots: Mapping[str, Any]) -> None:
    """Mark the JSON contracts whose struct is decoded only from data built into the program:
    every decode site's line names a variable a ``//go:embed`` directive of its folder fills
    (``json.Unmarshal(snapshot, &s)``), and a file such a directive embeds holds the wire name
    (a ``config_key`` row of a JSON file: its keys move with the tag, see
    :mod:`idrename.embeddeddata`). Their ``decode_source`` becomes ``embedded``."""
    wanted = [c for c in groups if c.kind == "json_tag" and c.direction == "inbound"
              and c.decode_source == "external" and c.decode_sites]
    if not wanted:
        return
    keys: dict[tuple[str, str], list[str]] = {}  # (root, key) -> the JSON files holding it
    for r in rows:
        if r.get("role") == R.CONFIG_KEY and r.get("language") == "json":
            keys.setdefault((row_value(r, "root"), row_value(r, "text")), []).append(
                row_value(r, "path"))
    if not keys:
        return
    from .embeddeddata import Embedders

    embedders = Embedders(roots)
    for c in wanted:
        data_files: list[str] = []
        for site in c.decode_sites:
            where, _, line = site.rpartition(":")
            label = next((lb for lb in roots if where.startswith(f"{lb}/")), None)
            if label is None or not line.isdigit():
                break
            path = where[len(label) + 1 :]
            folder = path.rpartition("/")[0]
            names = embedders.variables(label, folder)
            text = facts.data(label, path).split(b"\n")
            at = int(line) - 1
            said = text[at].decode("utf-8", "replace") if 0 <= at < len(text) else ""
            if not names or not any(re.search(rf"\b{re.escape(n)}\b", said) for n in names):
                break
            held = [f for f in keys.get((label, c.wire), [])
                    if any(go.rpartition("/")[0] == folder for go in embedders.of(label, f))]
            if not held:
                break
            data_files.extend(f"{label}/{f}" for f in held)
        else:
            c.decode_source = "embedded"
            c.embedded_data = sorted(set(data_files))


def _strict_decoding(facts: GoFacts, folder: str, decodes: list[str]) -> str:
    """Where a file of ``folder`` (a struct's), or of the folder of one of the sites that
    decode it (``root/path:line``: a call of a wrapper and the wrapper's own decoder, as
    ``httpx.Decode(r, &in)`` and the ``json.NewDecoder`` in package httpx), calls
    ``DisallowUnknownFields()``, else ""."""
    from .gofacts import STRICT_DECODER

    folders = [folder, *sorted({site.rsplit(":", 1)[0].rpartition("/")[0] for site in decodes})]
    for where in folders:
        found = facts.json_methods.get((where, ""), {}).get(STRICT_DECODER)
        if found:
            return found
    return ""


def _analyse(c: _Contract, facts: GoFacts | None, spec: Spec) -> None:
    """Direction, sibling keys, functions, encode/decode sites and pairs of one contract."""
    c.new_wire = spec.rename(c.wire)
    for r in c.rows:
        c.functions.add(row_value(r, "symbol").rsplit(".", 1)[-1])
    if facts is None:
        c.flags.append("source not read (no roots given): direction and pairs not analysed")
    if c.kind.endswith("_tag"):
        tag = c.kind[: -len("_tag")]
        r0 = c.rows[0]
        if facts is not None:
            c.keys = facts.struct_keys(c.owner, row_value(r0, "root"), row_value(r0, "path"), tag)
        if tag in STORED_TAGS:
            c.direction = "stored"
        elif tag in INBOUND_TAGS:
            c.direction = "inbound"
            c.decode_source = "external" if tag in CONFIG_TAGS else "request"
        else:
            folder = str(PurePosixPath(row_value(r0, "root"), row_value(r0, "path")).parent)
            codecs = facts.codecs_of(c.owner, folder) if facts is not None else []
            root, path = row_value(r0, "root"), row_value(r0, "path")
            local = facts.local_struct_at(root, path, int(r0["start_byte"])) \
                if facts is not None else None
            if not codecs and facts is not None:  # a struct of a function, or of a test
                codecs = facts.local_codecs(local, root, path, c.owner, [tag])
            # a struct of no type (`var in struct{...}`, whose owner is the function), or one
            # coded in its file that is not a package-level type
            c.methodless = not row_value(r0, "owner") or (local is not None and not local[4])
            if facts is not None and tag == "json":
                c.embedded_in = facts.embedders_of(c.owner, folder)
                c.json_methods = facts.json_methods.get((folder, c.owner), {})
                c.strict = _strict_decoding(facts, folder, decodes=[
                    site for k in codecs if k.action == "decode" for site in (k.site, k.via)
                    if site])
                c.declared_in = f"{row_value(r0, 'root')}/{row_value(r0, 'path')}"
            encodes = [k for k in codecs if k.action == "encode"]
            decodes = [k for k in codecs if k.action == "decode"]
            c.extra_producers |= {k.site for k in encodes}
            c.extra_consumers |= {k.site for k in decodes}
            c.functions |= {k.function for k in codecs if k.function}
            if encodes and decodes:
                c.direction = "both"
            elif encodes:
                c.direction = "outbound"
            elif decodes:
                c.direction = "inbound"
                c.decode_sites = sorted({k.site for k in decodes})
                c.decode_source = "request" if any(k.source == "request" for k in decodes) \
                    else "external"
            else:
                c.direction = "both"
                if facts is not None:
                    c.flags.append(f"no encode or decode site of {c.owner} found: direction assumed both")
    elif c.kind == "map_key":
        c.direction = "outbound"
        if facts is not None:
            for r in c.rows:
                c.keys |= _syntax_of(facts, r).map_keys
    elif c.kind == "log_key":
        c.direction = "outbound"
    elif c.kind in (R.QUERY_PARAM, R.HTTP_HEADER):
        methods = {row_value(r, "detail") for r in c.rows}
        reads = bool(methods & READ_METHODS)
        writes = bool(methods & WRITE_METHODS) or any(row_value(r, "owner") for r in c.rows)
        c.direction = "both" if reads and writes else ("inbound" if reads else
                                                        "outbound" if writes else "both")
        if c.direction == "inbound":
            c.decode_source = "request"
    elif c.kind == "sql":
        c.direction = "stored"
    elif c.kind == "proto_field":
        c.direction = ("both" if c.readers and c.writers else "inbound" if c.readers
                       else "outbound" if c.writers else "both")
        if facts is not None:
            for r in c.rows:
                if r.get("role") == R.STRUCT_TAG:
                    c.keys |= facts.struct_keys(c.owner, row_value(r, "root"), row_value(r, "path"),
                                                "protobuf")
                elif r.get("role") == R.PROTO_FIELD:
                    c.keys |= _proto_message_keys(facts.data(row_value(r, "root"), row_value(r, "path")),
                                                  c.owner)
    c.keys.discard(c.wire)
    c.new_wire = key_in_style_of(c.wire, c.new_wire, c.keys, spec)
    if facts is not None and c.kind in ("map_key", "log_key", R.QUERY_PARAM, R.HTTP_HEADER):
        for r in c.rows:
            if _syntax_of(facts, r).paired:
                c.paired.add(row_value(r, "id"))
    if facts is not None and c.kind == "log_key" and facts.fixed_log_methods:
        for r in c.rows:
            syntax = _syntax_of(facts, r)
            where = facts.fixed_log_methods.get(row_value(r, "detail"), {}).get(syntax.arguments)
            if where and syntax.operand not in _LOG_PACKAGES:
                c.fixed[row_value(r, "id")] = where


_CAMEL_RE = re.compile(r"[a-z0-9][A-Z]")


def key_in_style_of(wire: str, new: str, keys: set[str], spec: Spec) -> str:
    """The new wire name of the one lower-case word ``wire`` (``uid``) in the style its sibling
    keys (``keys``: the struct's or the map's other keys) write names of several words in:
    ``account_id`` beside ``role_id``, ``account-id`` beside ``role-id``; else ``new`` (the
    spec's lowerCamel, ``accountID``), which the word alone cannot tell from them. A spelling
    of ``[rename.explicit]`` stays as it is written there."""
    if not re.fullmatch(r"[a-z0-9]+", wire) or len(spec.new_words) < 2 or \
            wire in spec.explicit:  # [rename.explicit] says how
        return new
    snake = sum("_" in k for k in keys)
    kebab = sum("-" in k for k in keys)
    camel = sum(_CAMEL_RE.search(k) is not None for k in keys)
    if snake > max(camel, kebab):
        return "_".join(w.lower() for w in spec.new_words)
    if kebab > max(camel, snake):
        return "-".join(w.lower() for w in spec.new_words)
    return new


@dataclass(frozen=True)
class _RowSyntax:
    """What the analysis asks of the syntax around one Go row (see :func:`_read_syntax`)."""

    statement: str = ""  # the text of the string literal that holds it
    map_keys: frozenset[str] = frozenset()  # the string keys of the literal it is a key of
    paired: bool = False  # already next to its new spelling (see is_paired)
    operand: str = ""  # what a log key's call is made on (``logger`` in ``logger.Info(...)``)
    arguments: int = -1  # how many arguments a log key's call has


_SYNTAX_ROLES = frozenset({R.SQL, R.MAP_KEY, R.LOG_KEY, R.QUERY_PARAM, R.HTTP_HEADER})


def _syntax_of(facts: GoFacts, row: Mapping[str, Any]) -> _RowSyntax:
    key = (row_value(row, "root"), row_value(row, "path"), int(row["start_byte"]),
           int(row["end_byte"]))
    return facts.syntax.get(key, _RowSyntax())


def _read_syntax(facts: GoFacts, rows: Iterable[Mapping[str, Any]], spec: Spec,
                 consumer_roots: set[str], executor: Executor | None = None,
                 cache: Any = None) -> None:
    """Answer, once per row and file by file (one parse tree alive at a time), what the
    analysis asks of the syntax around the Go rows that are strings on the wire: the statement
    a SQL string is part of, the other keys of a map literal, whether a key already stands
    next to its new spelling. Stored in ``facts.syntax``. The answers of a file are kept in the
    result cache (keyed by its content and the questions); the files not found there are read
    in the process pool (or ``executor``) when there are many."""
    by_file: dict[tuple[str, str], list[Question]] = {}
    for r in rows:
        root, path = row_value(r, "root"), row_value(r, "path")
        if (r.get("role") in _SYNTAX_ROLES and path.endswith(".go") and root not in consumer_roots
                and row_flag(r, "wire") and root in facts.roots):
            text = row_value(r, "text")
            by_file.setdefault((root, path), []).append(
                (int(r["start_byte"]), int(r["end_byte"]), str(r["role"]), text,
                 spec.rename(text)))
    caches = named_indexes(cache, facts.roots, "go-syntax")
    todo: list[tuple[str, str, bytes, list[Question], bytes | None]] = []
    for (root, path), questions in sorted(by_file.items()):
        data = facts.data(root, path)
        facts.forget(root, path)
        if not data:
            continue
        questions = sorted(set(questions))
        cache = caches.get(root)
        key = (cache.key(path, data + b"\0" + repr(questions).encode())
               if cache is not None else None)
        answers = cache.get(path, key) if cache is not None and key is not None else None
        if isinstance(answers, tuple) and len(answers) == len(questions):
            _store_syntax(facts, root, path, questions, answers)
        else:
            todo.append((root, path, data, questions, key))
    jobs = [(data, questions) for _root, _path, data, questions, _key in todo]
    for (root, path, _data, questions, key), answers in zip(
            todo, _syntax_many(jobs, executor), strict=True):
        _store_syntax(facts, root, path, questions, answers)
        if key is not None:
            caches[root].put(path, key, answers)
    for cache in caches.values():
        cache.save()


SYNTAX_PARALLEL_MIN_FILES = 200


def _store_syntax(facts: GoFacts, root: str, path: str, questions: list[Question],
                  answers: tuple[Answer, ...]) -> None:
    for (start, end, *_rest), (statement, keys, paired, operand, arguments) in zip(
            questions, answers, strict=True):
        facts.syntax[(root, path, start, end)] = _RowSyntax(statement, frozenset(keys), paired,
                                                            operand, arguments)


def _syntax_many(jobs: list[tuple[bytes, list[Question]]],
                 executor: Executor | None) -> list[tuple[Answer, ...]]:
    """Each file's answers, in order: in ``executor``, in a process pool of our own for many
    files, or here."""
    from .batches import Batches

    return Batches(syntax_batch, jobs, executor=executor, min_jobs=SYNTAX_PARALLEL_MIN_FILES,
                   size=32).result()


def _proto_message_keys(data: bytes, message: str) -> set[str]:
    text = data.decode("utf-8", "replace")
    m = re.search(r"\bmessage\s+" + re.escape(message) + r"\s*\{", text)
    if m is None:
        return set()
    depth, i = 1, m.end()
    while i < len(text) and depth:
        depth += {"{": 1, "}": -1}.get(text[i], 0)
        i += 1
    body = text[m.end() : i]
    return set(re.findall(r"^\s*(?:repeated\s+|optional\s+|required\s+)?[\w.<>, ]+?\s+(\w+)\s*=\s*\d+",
                          body, re.MULTILINE))


def _assign_ids(groups: list[_Contract]) -> None:
    seen: dict[str, list[_Contract]] = {}
    for c in groups:
        seen.setdefault(c.base_id, []).append(c)
    for base, same in seen.items():
        if len(same) == 1:
            same[0].id = base
            continue
        for c in same:
            r0 = c.rows[0]
            where = str(PurePosixPath(f"{row_value(r0, 'root')}/{row_value(r0, 'path')}").parent)
            c.id = f"{base}#{where}"


# -- attribution of consumer rows -----------------------------------------------------------------
def _route_pattern(route: str) -> re.Pattern[str]:
    parts = re.split(r"(\{[^}]*\}|:[A-Za-z_]\w*)", route.rstrip("/") or route)
    body = "".join(r"[^/?#\s\"'`]+" if (p.startswith("{") or p.startswith(":")) and len(p) > 1
                   else re.escape(p) for p in parts)
    return re.compile(body + r"(?![\w/-])")


def _message_pattern(name: str) -> re.Pattern[str]:
    return re.compile(r"(?<![A-Za-z0-9_])" + re.escape(name) + r"(?![a-z0-9_])")


def _candidate(row: Mapping[str, Any], c: _Contract, ctx: _RowContext) -> bool:
    role, text = row_value(row, "role"), row_value(row, "text")
    if text == c.wire:
        pass
    elif c.kind == "proto_field" and text == camel(c.wire) and text != c.wire:
        pass
    else:
        return False
    if c.kind == "log_key":
        return False  # log keys are read by dashboards and queries, not by code in the roots
    if c.kind == "sql":
        return role == R.SQL_FILE
    if role == R.PROTO_FIELD:
        return c.kind == "proto_field"
    if role == R.SQL_FILE:
        return False
    if role == R.TS_STRING:
        if ctx.mode == "query":
            return c.kind == R.QUERY_PARAM
        return ctx.mode == "key"
    if c.kind == R.QUERY_PARAM:
        return role in (R.TS_OBJECT_KEY, R.TS_STRING)
    return role in CONSUMER_ROLES


def _attribute(
    groups: list[_Contract],
    rows: list[dict[str, Any]],
    consumer_roots: set[str],
    spec: Spec,
    root_paths: Mapping[str, Any] | None,
    facts: GoFacts | None,
) -> list[str]:
    wire_names = {c.wire for c in groups}
    accessor = {camel(c.wire) for c in groups if c.kind == "proto_field"}
    routes: dict[int, list[re.Pattern[str]]] = {}
    messages: dict[int, re.Pattern[str] | None] = {}
    for i, c in enumerate(groups):
        found = set()
        if facts is not None:
            for fn in c.functions:
                found |= facts.routes.get(fn, set())
        routes[i] = [_route_pattern(r) for r in sorted(found)]
        messages[i] = _message_pattern(c.owner) if c.kind == "proto_field" and c.owner else None
    candidates = [
        r for r in rows
        if row_value(r, "root") in consumer_roots
        and r.get("role") in CONSUMER_ROLES
        and r.get("decision") != "ignore"
        and (row_value(r, "text") in wire_names or row_value(r, "text") in accessor)
    ]
    files: dict[tuple[str, str], _TsFile | None] = {}
    texts: dict[tuple[str, str], str] = {}

    def file_of(r: Mapping[str, Any]) -> tuple[_TsFile | None, str]:
        key = (row_value(r, "root"), row_value(r, "path"))
        if key not in texts:
            data = b""
            base = (root_paths or {}).get(key[0])
            if base is not None:
                try:
                    data = (Path(base) / key[1]).read_bytes()
                except OSError:
                    data = b""
            texts[key] = data.decode("utf-8", "replace")
            lang = row_value(r, "language")
            files[key] = _TsFile(key[1], data) if data and lang in (
                "typescript", "tsx", "javascript") else None
        return files[key], texts[key]

    contexts: dict[str, _RowContext] = {}
    for r in candidates:
        ts, _ = file_of(r)
        contexts[r["id"]] = _ts_context(ts, r, wire_names) if ts is not None else _RowContext()
    chosen: dict[str, list[int]] = {}
    type_map: dict[str, set[int]] = {}

    def score(r: Mapping[str, Any], i: int, same_fn: Mapping[tuple[str, str, str], set[int]]) \
            -> tuple[int, int, int]:
        c = groups[i]
        ctx = contexts[r["id"]]
        _, text = file_of(r)
        level = 0
        if r.get("role") == R.PROTO_FIELD and row_value(r, "symbol") == c.owner:
            level = 3
        if ctx.types & ({c.owner} - {""}) or any(i in type_map.get(t, set()) for t in ctx.types):
            level = 3
        if i in same_fn.get((row_value(r, "root"), row_value(r, "path"), row_value(r, "symbol")),
                            set()):
            level = 3
        if ctx.mode == "query" and c.kind == R.QUERY_PARAM:
            if any(p.search(ctx.string) for p in routes[i]):
                level = 3
            level = max(level, 1)
        if level < 2 and any(p.search(text) for p in routes[i]):
            level = 2
        pattern = messages[i]
        if level < 2 and pattern is not None and pattern.search(text):
            level = 2
        fit = 0
        if ctx.usage and c.direction in ("outbound", "inbound"):
            fit = 1 if (ctx.usage == "reads") == (c.direction == "outbound") else -1
        return level, fit, len(ctx.keys & c.keys)

    def decide_rows(batch: list[dict[str, Any]],
                    same_fn: Mapping[tuple[str, str, str], set[int]]) -> None:
        for r in batch:
            ctx = contexts[r["id"]]
            cands = [i for i, c in enumerate(groups) if _candidate(r, c, ctx)]
            scored = [(score(r, i, same_fn), i) for i in cands]
            scored = [(s, i) for s, i in scored if s[0] >= 1 or s[2] >= 1]
            if not scored:
                chosen.pop(r["id"], None)
                continue
            best = max(s for s, _ in scored)
            chosen[r["id"]] = [i for s, i in scored if s == best]

    plain = [r for r in candidates if r.get("role") != R.TS_IDENTIFIER]
    idents = [r for r in candidates if r.get("role") == R.TS_IDENTIFIER]
    decide_rows(plain, {})
    for r in plain:  # TypeScript types whose properties went to a contract
        if r.get("role") == R.TS_PROPERTY and row_value(r, "owner") and r["id"] in chosen:
            type_map.setdefault(row_value(r, "owner"), set()).update(chosen[r["id"]])
    decide_rows(plain, {})
    same_fn: dict[tuple[str, str, str], set[int]] = {}
    for r in plain:
        if r["id"] in chosen:
            key = (row_value(r, "root"), row_value(r, "path"), row_value(r, "symbol"))
            same_fn.setdefault(key, set()).update(chosen[r["id"]])
    decide_rows(idents, same_fn)
    unattributed = []
    for r in candidates:
        if r["id"] not in chosen:
            unattributed.append(_site(r) + f" {row_value(r, 'text')} ({row_value(r, 'role')})")
            continue
        for i in chosen[r["id"]]:
            groups[i].consumer_rows.append(r)
    return unattributed


# -- strategies ------------------------------------------------------------------------------------
def _policy_contract(c: _Contract, policy: Policy) -> Contract | None:
    kinds = {c.kind}
    if c.kind.endswith("_tag"):
        kinds.add(R.STRUCT_TAG)
    if c.kind == "proto_field":
        kinds.add("proto")
    if c.kind == "sql":
        kinds.add(R.SQL_FILE)
    paths = c.paths or [""]
    for entry in policy.contracts:
        if entry.wire != c.wire:
            continue
        if entry.kind is not None and entry.kind not in kinds:
            continue
        if entry.path is not None and not any(match_value(entry.path, p) for p in paths):
            continue
        if entry.owner is not None and not match_value(entry.owner, c.owner):
            continue
        return entry
    return None


def _migrated(c: _Contract, new: str, texts: Mapping[tuple[str, str], str]) -> bool:
    if not c.consumer_rows:
        return False
    wanted = {new} | ({camel(new)} if c.kind == "proto_field" else set())
    for r in c.consumer_rows:
        text = texts.get((row_value(r, "root"), row_value(r, "path")), "")
        if not any(re.search(r"(?<![\w-])" + re.escape(w) + r"(?![\w-])", text) for w in wanted):
            return False
    return True


def default_strategy(c: _Contract, *, known: bool, migrated: bool) -> tuple[str, str]:
    """The seed's default strategy for a contract, and why."""
    new = c.new_wire
    ids = {row_value(r, "id") for r in c.rows}
    if c.direction == "stored":
        return "migrate", (f"{c.wire} is stored: renaming it is a schema migration, proposed here "
                           "and never applied; the code keeps the name until it runs")
    if c.kind == "proto_field":
        return "keep-legacy", (f"{c.wire} is a protobuf field name, part of the schema: keep it; only "
                               "hand-written Go names change")
    if ids and ids <= c.paired and c.direction == "outbound":
        # The seed's follow-up: the alias goes only once its consumers have moved. Unknown
        # consumers have not been seen to move, so both names stay until a policy says drop-legacy.
        if known and migrated:
            return "drop-legacy", (f"already emits {c.wire} and {new} with the same value and every "
                                   f"known consumer reads {new}: the legacy alias can go")
        who = "known consumers still read it" if known else "its consumers are unknown"
        return "keep-legacy", (f"already emits {c.wire} and {new} with the same value; {who}: "
                               f"drop {c.wire} (drop-legacy) once they have moved")
    tag = c.kind[: -len("_tag")] if c.kind.endswith("_tag") else ""
    if c.direction == "inbound":
        if c.decode_source == "embedded":
            return "hard-cut", (f"decoded only from data built into the program "
                                f"({', '.join(c.embedded_data[:2])}, by //go:embed), whose "
                                f"keys are renamed with the tag: nothing outside the program "
                                f"reads {c.wire}, so rename it on both sides")
        if c.decode_source == "external":
            what = ("JSON produced by another service that we only decode" if tag in ("json", "")
                    else f"{tag.upper()} we only read (a configuration file, the environment, "
                    "another program's output), written with this key")
            return "keep-legacy", (f"{what}: keep {c.wire} on the wire, rename only the Go "
                                   "names")
        why = f"inbound: clients still send {c.wire}"
        if tag and tag not in SHIMMED_TAGS:
            return "keep-legacy", _unshimmed(tag, why, f"read {new} first and fall back to {c.wire}")
        if c.methodless:
            return "keep-legacy", _methodless(c, why, "an UnmarshalJSON")
        return "accept-both", f"{why}: read {new} first and fall back to {c.wire}"
    if known and migrated:
        return "hard-cut", (f"every known consumer already reads {new}: rename {c.wire} on the wire")
    who = "known consumers still read it" if known else "its consumers are unknown"
    if tag and tag not in SHIMMED_TAGS:
        return "keep-legacy", _unshimmed(tag, f"{c.direction}, {who}",
                                         f"emit {c.wire} and {new} with the same value")
    if tag and c.methodless:
        return "keep-legacy", _methodless(c, f"{c.direction}, {who}",
                                          "a MarshalJSON and an UnmarshalJSON")
    return "dual-emit", (f"{c.direction}, {who}: emit {c.wire} (legacy alias) and {new} "
                         f"(canonical) with the same value; drop {c.wire} in a follow-up")


def _methodless(c: _Contract, why: str, methods: str) -> str:
    """The rationale of keeping the wire name of a struct that can have no methods."""
    return (f"{why}; the struct of {c.owner} is declared in a function or is anonymous, where "
            f"Go allows no methods, and the patch keeps {c.wire} working beside {c.new_wire} "
            f"with {methods}: keep it on the wire, rename only the Go names (to move it, declare "
            "the struct at package level and give this contract a strategy in a [[contract]] "
            "entry)")


def _unshimmed(tag: str, why: str, both: str) -> str:
    """The rationale of keeping a wire name whose struct tag's encoding the patch cannot keep
    working under both names (it writes such code for JSON tags only)."""
    return (f"{why}; a {tag} tag names one key only, and the patch writes code that would "
            f"{both} for JSON tags alone: keep it on the wire, rename only the Go names (to "
            "move it, write that code by hand, then give this contract the strategy hard-cut "
            "in a [[contract]] entry)")


# The start of the flag of a JSON contract whose legacy-key methods its struct's embedders would
# inherit (apply_strategies leaves its tag to review)
PROMOTED = "embedded in "


def promoted_flag(owner: str, embedders: list[str]) -> str:
    """Why the legacy-key methods cannot be added to a struct that other structs embed."""
    return (f"{PROMOTED}{'; '.join(embedders)}: the MarshalJSON and UnmarshalJSON that keep the "
            f"legacy key would be promoted there, and those structs would encode and decode as "
            f"{owner} alone, dropping their other fields; write the legacy key into their own "
            "methods by hand, or keep the tag")


# The starts of the flags of a JSON contract whose struct encodes as text, so encoding/json never
# reads its tags (apply_strategies renames the tag, no methods), and of one whose legacy-key
# methods its struct already has elsewhere, or would change how it encodes (left to review).
AS_TEXT = "encodes as text: "
OWN_METHODS = "has its own "


def json_methods_flags(c: _Contract, strategy: str) -> list[str]:
    """Why the methods that keep a JSON tag's legacy key working are not added to ``c.owner``
    (see :attr:`_Contract.json_methods`): none when they can be."""
    found = c.json_methods
    if "MarshalText" in found and "UnmarshalText" in found:
        return [f"{AS_TEXT}{c.owner} has MarshalText ({found['MarshalText']}) and UnmarshalText "
                f"({found['UnmarshalText']}), so encoding/json writes and reads it as a string "
                "and never reads its tags: the tag is renamed, with no methods"]
    needed = ["MarshalJSON", "UnmarshalJSON"] if strategy == "dual-emit" else ["UnmarshalJSON"]
    text = {"MarshalJSON": "MarshalText", "UnmarshalJSON": "UnmarshalText"}
    clashes = []
    for method in needed:
        where = found.get(method, "")
        if where and not where.startswith(c.declared_in + ":"):
            clashes.append(f"{method} ({where}), which the patch would declare again")
        elif where and not where.endswith(WRITTEN_BY_IDRENAME):
            # (one idrename wrote beside the struct takes the key: the patch merges it in)
            clashes.append(f"{method} ({where}), written by hand, which the patch cannot merge "
                           "a key into")
        elif text[method] in found:
            clashes.append(f"{text[method]} ({found[text[method]]}), which a {method} would "
                           "override")
    if not clashes:
        return []
    return [f"{OWN_METHODS}{'; '.join(clashes)}: write the legacy key {c.wire} into its own "
            "methods by hand, or keep the tag"]


# The start of the flag of a JSON contract whose struct a decoder that refuses unknown keys
# reads (left to review under dual-emit and accept-both)
STRICT = "decoded strictly: "


def strict_flag(c: _Contract) -> str:
    """Why the legacy-key methods are not added to a struct decoded with
    ``DisallowUnknownFields`` (``c.strict``: where that is called)."""
    return (f"{STRICT}{c.strict} makes a decoder refuse unknown keys, which the UnmarshalJSON "
            f"that keeps the legacy key would not do: it decodes {c.owner} (and any struct of "
            "it) with json.Unmarshal, which does not inherit that setting, so a misspelt key "
            "would be taken silently; keep the tag, or read the legacy key in that decoder's "
            "code by hand")


# The flag of a contract whose sites are all in test files.
TEST_ONLY = "test files only"
# The start of the flag of a log key some of whose calls may be to a function of the roots' that
# takes a fixed list of parameters (apply_strategies leaves them to review under dual-emit)
FIXED = "may call "
# What a key-value log call is made on when it is certainly slog's: the package itself.
_LOG_PACKAGES = frozenset({"slog"})


def _fixed_reason(rec: Mapping[str, Any]) -> str:
    """The flag of a contract's record that says why a second key cannot be added to its calls
    of a function of the roots' with fixed parameters (see :func:`fixed_flag`)."""
    return next((f for f in rec.get("flags") or [] if f.startswith(FIXED)), FIXED + "?")


def fixed_flag(c: _Contract) -> str:
    """Why a second key cannot be added at the sites of ``c.fixed``."""
    where = sorted(set(c.fixed.values()))
    return (f"{FIXED}{'; '.join(where)} at {len(c.fixed)} of {len(c.rows)} site(s): that takes no "
            "more arguments, so a second key would not build there; if the call is to it, the "
            "string is an argument of the roots' own, not a key: keep or rename it")


# What a schema names on its own, not within a table.
_UNTABLED = frozenset({"sequence", "view", "function"})
_MIGRATIONS = {
    "index": "ALTER INDEX {wire} RENAME TO {new};",
    "sequence": "ALTER SEQUENCE {wire} RENAME TO {new};",
    "view": "ALTER VIEW {wire} RENAME TO {new};",
    "function": "ALTER FUNCTION {wire}(<argument types>) RENAME TO {new};",
    "constraint": "ALTER TABLE {table} RENAME CONSTRAINT {wire} TO {new};",
    "table": "ALTER TABLE {wire} RENAME TO {new};",
    "column": "ALTER TABLE {table} RENAME COLUMN {wire} TO {new};",
}


def _migration(c: _Contract, new: str) -> str:
    """The migration a stored name's contract proposes, by what the name names."""
    statement = _MIGRATIONS[c.sql_object].format(wire=c.wire, new=new,
                                                 table=c.owner or "<table>")
    then = ("switch the queries to it" if c.sql_object in ("column", "table")
            else "rename the name in the code")
    return f"Write a migration `{statement}` (proposal, not applied) and {then} when it runs."


def proposed_change(c: _Contract, strategy: str) -> str:
    new = c.new_wire
    tag = c.kind[: -len("_tag")] if c.kind.endswith("_tag") else ""
    where = c.owner or "every site"
    n = len(c.rows)
    if strategy == "migrate":
        return _migration(c, new)
    if strategy == "keep-legacy":
        if c.kind == "proto_field":
            return (f"Keep field `{c.wire}` of message {c.owner}; rename only the hand-written Go "
                    "names around it.")
        if tag:
            return f"Keep `{tag}:\"{c.wire}\"` on {c.owner}; rename only the Go field."
        return f"Keep `{c.wire}` as it is at {where}."
    if strategy == "drop-legacy":
        return f"Remove the legacy `{c.wire}` where `{new}` already carries the same value ({where})."
    if strategy == "hard-cut":
        return f"Rename `{c.wire}` to `{new}` on the wire at {where}; every known consumer reads `{new}`."
    if strategy == "accept-both":
        if tag == "json":
            return (f"Change the tag on {c.owner} to `json:\"{new}\"` and add an UnmarshalJSON that "
                    f"still accepts `\"{c.wire}\"` when `\"{new}\"` is absent.")
        if tag:
            return (f"Change the tag on {c.owner} to `{tag}:\"{new}\"` and keep reading `{c.wire}` "
                    "when it is absent.")
        return f"Read `{new}` first and fall back to `{c.wire}` in {where}."
    # dual-emit
    if c.kind == "map_key":
        return f"Add `\"{new}\": <same value>` next to `\"{c.wire}\"` in the map literal of {c.owner}."
    if c.kind == "log_key":
        return (f"Log both keys: add `{new}` with the same value after `{c.wire}` at each of the "
                f"{n} site(s) (zerolog `.Str`, slog key-value, `slog.String` and "
                "OpenTelemetry's `attribute.String`).")
    if c.kind == R.HTTP_HEADER:
        return f"Set header `{new}` with the same value next to `{c.wire}` in {c.owner}."
    if c.kind == R.QUERY_PARAM:
        return f"Send `{new}` with the same value next to `{c.wire}` in {c.owner}."
    if tag == "json":
        return (f"Change the tag on {c.owner} to `json:\"{new}\"`, write `{c.wire}` too (a "
                f"MarshalJSON that emits both keys with the same value) and keep reading "
                f"`{c.wire}` when `{new}` is absent (an UnmarshalJSON), so what was written "
                "before still decodes.")
    if tag:
        return (f"Change the tag on {c.owner} to `{tag}:\"{new}\"` and write `{c.wire}` too "
                f"(both keys with the same value).")
    return f"Emit `{new}` next to `{c.wire}` with the same value at {where}."


def _semantic_flag(c: _Contract, facts: GoFacts | None, spec: Spec,
                   texts: Mapping[tuple[str, str], str], comments: _CommentWords,
                   producers: list[str], consumers: list[str]) -> str | None:
    """A flag when a comment on a site's line or the three above it names another meaning of
    the term's first word (``facts.vocabulary``). A site is read in the Go source, or in the
    contract's consumer files (``texts``); ``comments`` finds each file's words once."""
    if facts is None or not facts.vocabulary:
        return None
    concept = _concept(spec)
    for site in producers + consumers:
        path, line = site_key(site)
        root, _, rel = path.partition("/")
        if root in facts.roots:
            found = comments.of_go(root, rel)
        elif (root, rel) in texts:
            found = comments.of_text(path, texts[(root, rel)])
        else:
            continue  # not a file this contract reads
        for n in range(max(0, line - 4), line):
            word = found.get(n)
            if word is not None:
                return f"semantic: {c.wire} here is one {word}, not the {concept}"
    return None


class _CommentWords:
    """For :func:`_semantic_flag`: per file (``root/path``), the comment word of each line that
    names another meaning of the term (:func:`_vocabulary_comments`), found once per plan. A Go
    file's words are kept in the result cache, keyed by the vocabulary and the file's content,
    and a file whose ``stat`` signature is on record there is not read again."""

    def __init__(self, facts: GoFacts | None, cache: Any = None) -> None:
        self.facts = facts
        self.found: dict[str, dict[int, str]] = {}
        self.indexes: dict[str, Any] = {}
        if facts is not None and facts.vocabulary:
            words = "\0".join(sorted(facts.vocabulary))
            self.indexes = named_indexes(cache, facts.roots, f"go-comments\0{words}")

    def of_text(self, path: str, text: str) -> dict[int, str]:
        """The words of a consumer file, given its text."""
        found = self.found.get(path)
        if found is None:
            assert self.facts is not None
            found = self.found[path] = _vocabulary_comments(text, self.facts.vocabulary)
        return found

    def of_go(self, root: str, rel: str) -> dict[int, str]:
        """The words of a Go file of the facts' roots."""
        path = f"{root}/{rel}"
        found = self.found.get(path)
        if found is None:
            found = self.found[path] = self._go(root, rel)
        return found

    def _go(self, root: str, rel: str) -> dict[int, str]:
        facts = self.facts
        assert facts is not None
        return dict(file_value(
            self.indexes.get(root), facts.roots[root], rel, lambda: facts.data(root, rel),
            lambda data: tuple(sorted(_vocabulary_comments(
                data.decode("utf-8", "replace"), facts.vocabulary).items())),
            _valid_words))

    def save(self) -> None:
        for index in self.indexes.values():
            index.save()


def _valid_words(payload: Any) -> bool:
    return isinstance(payload, tuple) and all(
        isinstance(p, tuple) and len(p) == 2 and isinstance(p[0], int) and isinstance(p[1], str)
        for p in payload)


def _vocabulary_comments(text: str, vocabulary: set[str]) -> dict[int, str]:
    """Line index -> the first word of the line's comment that is in ``vocabulary`` (lower
    case), for the lines that have one."""
    out: dict[int, str] = {}
    for n, line in enumerate(text.splitlines()):
        m = _COMMENT_RE.search(line)
        if m is None:
            continue
        for word in _SEMANTIC_RE.findall(m.group(1)):
            if word.lower() in vocabulary:
                out[n] = word.lower()
                break
    return out


def _ruled_strategy(c: _Contract) -> tuple[str, str, str] | None:
    """The strategy the policy's explicit rules or overrides already give every site of the
    contract (a reviewer's scoped decision beats a computed default), or None."""
    if not c.rows:
        return None
    found = set()
    for r in c.rows:
        by = row_value(r, "decided_by")
        strategy = DECISION_STRATEGY.get(row_value(r, "decision"))
        if not by.startswith(("rule:", "override:")) or strategy is None:
            return None
        if strategy == "keep-legacy" and c.direction == "stored":
            strategy = "migrate"
        found.add((strategy, row_value(r, "rationale"), by))
    if len({f[0] for f in found}) != 1:
        return None
    strategy, rationale, by = sorted(found)[0]
    kind, _, n = by.partition(":")
    return strategy, rationale, f"policy:{kind}[{n}]"


def _finish(c: _Contract, policy: Policy, spec: Spec, facts: GoFacts | None,
            consumer_roots: set[str], root_paths: Mapping[str, Any] | None,
            comments: dict[str, dict[int, str]]) -> dict[str, Any]:
    """One contract's row of the matrix (``comments``: see :func:`_semantic_flag`)."""
    new = c.new_wire
    texts: dict[tuple[str, str], str] = {}
    for r in c.consumer_rows:
        key = (row_value(r, "root"), row_value(r, "path"))
        if key not in texts and root_paths and key[0] in root_paths:
            try:
                texts[key] = (Path(root_paths[key[0]]) / key[1]).read_text("utf-8", "replace")
            except OSError:
                texts[key] = ""
    reads_are_rows = c.kind in (R.QUERY_PARAM, R.HTTP_HEADER) and c.direction == "inbound"
    producers = set(c.extra_producers) | {_site(r) for r in c.writers}
    consumers = set(c.extra_consumers) | {_site(r) for r in c.readers}
    consumers |= {_site(r) for r in c.consumer_rows}
    (consumers if reads_are_rows else producers).update(_site(r) for r in c.rows)
    known = bool(c.consumer_rows)
    migrated = _migrated(c, new, texts)
    strategy, rationale = default_strategy(c, known=known, migrated=migrated)
    source = "default"
    flags = list(c.flags)
    entry = _policy_contract(c, policy)
    ruled = _ruled_strategy(c)
    if entry is not None:
        if entry.strategy != strategy:
            flags.append(f"policy overrides the default {strategy}")
        strategy, rationale, source = entry.strategy, entry.rationale, f"policy:contract[{entry.index}]"
    elif ruled is not None:
        if ruled[0] != strategy:
            flags.append(f"policy overrides the default {strategy}")
        strategy, rationale, source = ruled
    # the legacy-key methods are wanted under these strategies, or where a rule or the policy's
    # default decides a tag of the contract dual or accept-both (apply_strategies keeps those)
    methods = strategy if strategy in ("dual-emit", "accept-both") else next(
        ({"dual": "dual-emit", "accept-both": "accept-both"}[d] for r in c.rows
         if (d := r.get("decision")) in ("dual", "accept-both")), "")
    if c.embedded_in and methods:
        flags.append(promoted_flag(c.owner, c.embedded_in))
    if c.json_methods and methods:
        flags.extend(json_methods_flags(c, methods))
    if c.strict and methods:
        flags.append(strict_flag(c))
    if c.kind == "sql":
        flags.append("needs a migration (proposal only, never applied)")
    if c.kind == "proto_field" and _is_enum_value(c, facts):
        flags.append(ENUM_VALUE_FLAG)
    if any(row_flag(r, "is_generated") for r in c.rows):
        flags.append("declared in a generated file: regenerate it from its source")
    if c.rows and all(row_flag(r, "is_test") for r in c.rows):
        flags.append(TEST_ONLY)
    if c.fixed:
        flags.append(fixed_flag(c))
    if c.paired:
        what = "accepts" if c.direction == "inbound" else "emits"
        flags.append(f"already {what} both {c.wire} and {new} at {len(c.paired)} of {len(c.rows)} site(s)")
    producer_list, consumer_list = sort_sites(producers), sort_sites(consumers)
    semantic = _semantic_flag(c, facts, spec, texts, comments, producer_list, consumer_list)
    if semantic:
        flags.append(semantic)
    edit_ids = sorted(row_value(r, "id") for r in c.rows)
    occurrence_ids = sorted({row_value(r, "id") for r in c.rows + c.readers + c.writers
                             + c.consumer_rows})
    return {
        "contract": c.id,
        "kind": c.kind,
        "wire_name": c.wire,
        "new_wire": new,
        "owner": c.owner,
        "direction": c.direction,
        "producers": producer_list,
        "consumers": consumer_list,
        "consumer_set": "known" if known else "unknown",
        "strategy": strategy,
        "strategy_source": source,
        "rationale": rationale,
        "proposed_change": proposed_change(c, strategy),
        "occurrence_ids": occurrence_ids,
        "edit_ids": edit_ids,
        "paired_ids": sorted(c.paired),
        "fixed_ids": sorted(c.fixed),
        "flags": flags,
    }


# -- decisions from strategies ---------------------------------------------------------------------
def apply_strategies(decisions_frame: pd.DataFrame, matrix: pd.DataFrame,
                     roots: Mapping[str, Path] | None = None) -> pd.DataFrame:
    """The decisions with each contract's strategy applied to the Go occurrences that spell its
    wire name (``edit_ids``): keep-legacy -> keep, dual-emit -> dual, accept-both -> accept-both,
    hard-cut -> rename, migrate -> keep, drop-legacy -> drop-legacy; ``decided_by`` becomes
    ``contract:<id>`` and the rationale the contract's. A site that already emits (or reads) both
    names is kept under dual-emit and accept-both; under dual-emit a site that reads the name
    accepts both, unless it is a test's, which reads what the code writes under both names
    (kept, under accept-both too when a contract of the code dual-emits the name); a log key's call
    that may be to a function of the roots' with fixed parameters (``fixed_ids``) is left to
    review under dual-emit.
    Per-occurrence overrides, homonym excludes, generated files and compatibility shims keep
    their decisions, and so do the policy's
    ``[[rule]]`` decisions when the strategy is only the computed default. A renamed field whose
    Go name is its JSON key (``matrix.attrs["wire_fields"]``) keeps that key
    (:func:`idrename.wirefields.keep_json_keys`). ``roots`` (label -> folder) lets the passes
    after the strategies read the text around a row (:func:`follow_external_spellings`).
    Returns a new frame."""
    out = wirefields.keep_json_keys(decisions_frame, matrix).copy()
    if out.empty or (matrix.empty and "decided_by" not in out.columns):
        return out  # (with no contract, a URL's query names are still decided: review)
    for col in ("decision", "rationale", "decided_by", "target"):
        if col not in out.columns:
            out[col] = pd.Series([""] * len(out), index=out.index, dtype=object)
    position = {ident: i for i, ident in enumerate(out["id"].tolist())}
    texts = out["text"].tolist()
    # under dual-emit, a site that reads the name accepts both (reads the new, falls back)
    reads = [r in (R.QUERY_PARAM, R.HTTP_HEADER) and d in READ_METHODS
             for r, d in zip(out["role"].tolist(), out["detail"].tolist(), strict=True)] \
        if "detail" in out.columns else [False] * len(out)
    tests = [bool(t) for t in out["is_test"].tolist()] if "is_test" in out.columns \
        else [False] * len(out)
    columns = ["decision", "rationale", "decided_by", "target"]
    if "suggestion" in out.columns:
        columns.append("suggestion")
    values = {col: out[col].tolist() for col in columns}
    decided_by = values["decided_by"]
    changed = False
    # the names the code (not only its tests) writes under both names
    contracts = records(matrix) if not matrix.empty else []
    dual = {(rec["kind"], rec["wire_name"]) for rec in contracts
            if rec["strategy"] == "dual-emit" and TEST_ONLY not in (rec.get("flags") or [])}
    for rec in contracts:
        strategy = rec["strategy"]
        decision = STRATEGY_DECISION[strategy]
        paired = set(rec.get("paired_ids") or [])
        fixed = set(rec.get("fixed_ids") or [])
        for ident in rec.get("edit_ids") or []:
            i = position.get(ident)
            if i is None:
                continue
            by = str(decided_by[i] or "")
            if by.startswith(("override:", "exclude:")) or by in (
                    "generated", "shim", STANDARD_HEADER, STANDARD_NAME, EXTERNAL_SPELLING):
                continue
            if by.startswith(("rule:", "default:")) and rec.get("strategy_source") == "default":
                # a reviewer's rule or the policy's own default beats a computed default, but
                # for a second key that the call cannot take, and for legacy-key methods that
                # the struct cannot be given
                methods = _unsafe_methods(rec) if values["decision"][i] in (
                    "dual", "accept-both") else None
                unsafe = methods[0] if methods is not None else None
                if unsafe is None and values["decision"][i] in ("dual", "accept-both"):
                    unsafe = _no_legacy_methods(rec)
                if values["decision"][i] == "dual" and ident in fixed:
                    unsafe = "this call " + _fixed_reason(rec)
                if unsafe is not None:
                    values["decision"][i] = "review"
                    values["rationale"][i] = f"{values['rationale'][i]}; but {unsafe}"
                    values["target"][i] = str(texts[i])
                    changed = True
                elif by.startswith("default:") and values["decision"][i] in RENAMING and \
                        str(texts[i]) == rec["wire_name"] and \
                        values["target"][i] != rec["new_wire"]:
                    # the key's new spelling is the contract's, in its siblings' style
                    # (`blockquery` -> `drop_query` beside `target_path`), as the documents
                    # that follow the contract spell it (a rule's target is the rule's own)
                    values["target"][i] = rec["new_wire"]
                    changed = True
                continue
            if strategy == "drop-legacy" and ident not in paired:
                new_decision = "keep"
                why = (f"{rec['wire_name']} is not paired with {rec['new_wire']} carrying the same "
                       "value here, so dropping it would lose data: left as it is")
            elif ident in paired and strategy in ("dual-emit", "accept-both"):
                new_decision = "keep"
                why = f"already {'reads' if strategy == 'accept-both' else 'emits'} both " \
                      f"{rec['wire_name']} and {rec['new_wire']}"
            elif (unsafe := _unsafe_methods(rec)) is not None:
                # (a struct that encodes as text never has its tags read: renamed, no methods)
                new_decision = "rename" if unsafe[1] == AS_TEXT else "review"
                why = f"{strategy}, but {unsafe[0]}"
            elif strategy == "dual-emit" and ident in fixed:
                new_decision = "review"
                why = "dual-emit, but this call " + _fixed_reason(rec)
            elif reads[i] and tests[i] and (strategy == "dual-emit" or (
                    strategy == "accept-both" and (rec["kind"], rec["wire_name"]) in dual)):
                new_decision = "keep"
                why = (f"{rec['rationale']}; this test reads {rec['wire_name']} from what the "
                       f"code writes, which carries both names now (dual-emit): it passes as it "
                       f"is, and goes on testing the legacy name")
            elif strategy == "dual-emit" and reads[i]:
                new_decision = "accept-both"
                why = (f"{rec['rationale']}; this site reads {rec['wire_name']}: it reads "
                       f"{rec['new_wire']} first and falls back to {rec['wire_name']}, which "
                       "clients not yet moved still send")
            else:
                new_decision, why = decision, str(rec["rationale"])
            values["decision"][i] = new_decision
            values["rationale"][i] = why
            decided_by[i] = f"contract:{rec['contract']}"
            values["target"][i] = rec["new_wire"] if new_decision in RENAMING else str(texts[i])
            if "suggestion" in values:
                values["suggestion"][i] = ""
            changed = True
    changed = follow_json_texts(out, contracts, values, tests, roots) or changed
    changed = follow_url_queries(out, contracts, values) or changed
    changed = follow_embedded_data(out, values) or changed
    changed = follow_xml_texts(out, values) or changed
    changed = follow_wire_messages(out, values) or changed
    changed = follow_test_maps(out, contracts, values) or changed
    changed = follow_external_spellings(out, values, roots) or changed
    if changed:
        for col, column in values.items():
            out[col] = pd.Series(column, index=out.index, dtype=object)
    return out


def _no_legacy_methods(rec: Mapping[str, Any]) -> str | None:
    """Why a tag of another encoding than JSON (``xml:"system-out"``, ``db:"run_id"``) cannot
    be kept working under both names, or None: the patch writes legacy-key methods for JSON
    tags alone, and renamed, the tag would name one key only, the new one (a JUnit file's
    ``<system-out>`` would no longer be read)."""
    kind = str(rec["kind"])
    if not kind.endswith("_tag") or kind == "json_tag":
        return None
    return (f"this {kind[: -len('_tag')]} tag names one key only, and no methods keep "
            f"{rec['wire_name']} working beside {rec['new_wire']} for it (the patch writes "
            "them for JSON tags alone): keep the tag, or rename it (a hard cut)")


def _unsafe_methods(rec: Mapping[str, Any]) -> tuple[str, str] | None:
    """Why the methods that keep a JSON tag's legacy key working cannot be given to the struct
    of the contract ``rec`` (its embedders would inherit them, it has its own, or it encodes as
    text and a MarshalJSON would override that), and which of those flags says so (the first
    of :data:`_UNSETTLED` found); None when they can be."""
    flags = rec.get("flags") or []
    for start in _UNSETTLED:
        flag = next((f for f in flags if f.startswith(start)), None)
        if flag is not None:
            return f"{rec['owner']} {'is ' if start == PROMOTED else ''}{flag}", start
    return None


def follow_wire_messages(frame: pd.DataFrame, values: dict[str, list[Any]]) -> bool:
    """A message renamed by its built-in default that spells a wire name of the code (its
    whole text: ``"policy.run_id must be >= 0"`` for ``json:"run_id"``) follows what the
    strategies made of that name, once they are applied (the decisions could not tell, see
    :func:`idrename.decisions._follow_wire_spellings`): kept when every site of the name
    keeps it on the wire, left to review when one is to review; renamed as before when one
    moves it (dual-emit writes both names, accept-both reads both). A Go name of the message's
    package spelled alike leaves it as it is (the message may name that). ``values`` is changed
    in place; True when a row changed."""
    roles_, texts = frame["role"].tolist(), frame["text"].tolist()
    messages = [i for i, role in enumerate(roles_) if role == R.MESSAGE
                and values["decided_by"][i] == f"builtin:{R.MESSAGE}"
                and values["decision"][i] in RENAMING]
    if not messages:
        return False
    labels, paths = frame["root"].tolist(), frame["path"].tolist()
    wire = frame["wire"].tolist() if "wire" in frame.columns else [False] * len(frame)
    tests = frame["is_test"].tolist() if "is_test" in frame.columns else [False] * len(frame)
    spelled = {(labels[i], texts[i]) for i in messages}
    words = {text for _label, text in spelled}
    sites: dict[tuple[Any, Any], list[int]] = {}
    go_names: set[tuple[Any, str, Any]] = set()

    def folder(j: int) -> str:
        return str(paths[j]).rpartition("/")[0]

    for j, text in enumerate(texts):
        if text not in words or (key := (labels[j], text)) not in spelled:
            continue
        role = roles_[j]
        if role in R.GO_IDENTIFIER_ROLES:
            go_names.add((labels[j], folder(j), text))
        elif ((role in R.WIRE_ROLES and flag_value(wire[j])) or role == R.EXTERNAL_NAME) \
                and not flag_value(tests[j]):
            sites.setdefault(key, []).append(j)  # (an environment variable's, a flag's too)
    changed = False
    outcomes: dict[tuple[Any, Any], set[str]] = {}  # what the sites of each name became
    for i in messages:
        key = (labels[i], texts[i])
        found = sites.get(key)
        if not found or (labels[i], folder(i), texts[i]) in go_names:
            continue
        if key not in outcomes:  # (once per name: a wire name may have thousands of sites)
            outcomes[key] = {str(values["decision"][j]) for j in found}
        decided = outcomes[key]
        if decided & RENAMING:
            continue  # (moved, or written under both names: the message names the new one)
        first = found[0]
        where = f"{frame['path'].iat[first]}:{frame['line'].iat[first]}"
        more = f" (and {len(found) - 1} more)" if len(found) > 1 else ""
        if "review" in decided:
            set_decision(values, i, "review", (
                f"spells the name at {where}{more}, which is to review: decide the message "
                "with it (renamed alone, it would name a key the program does not read)"),
                "wire-spelling", texts[i])
        else:
            set_decision(values, i, "keep", (
                f"spells the name at {where}{more}, which is kept (on the wire, or set from "
                "outside the program): renamed, the message would name a key the program does "
                "not read"), "wire-spelling", texts[i])
        changed = True
    if changed:
        _follow_kept_messages(frame, values, {(labels[i], texts[i]) for i in messages
                                              if values["decision"][i] not in RENAMING})
    return changed


def _follow_kept_messages(frame: pd.DataFrame, values: dict[str, list[Any]],
                          names: set[tuple[Any, Any]]) -> None:
    """A test's string that the decisions renamed as quoting a renamed message
    (``quotes-message``: ``"root_file is required"`` for ``fmt.Errorf("%s: root_file is
    required")``) follows the messages of the code that spell its name (``names``: (root,
    name) of those :func:`follow_wire_messages` no longer renames): kept when all of them are
    kept, left to review when one is to review or some are still renamed. ``values`` is
    changed in place."""
    roles_, texts = frame["role"].tolist(), frame["text"].tolist()
    labels = frame["root"].tolist()
    tests = frame["is_test"].tolist() if "is_test" in frame.columns else [False] * len(frame)
    quoting = [i for i, by in enumerate(values["decided_by"]) if by == "quotes-message"
               and values["decision"][i] in RENAMING and (labels[i], texts[i]) in names]
    if not quoting:
        return
    outcomes: dict[tuple[Any, Any], set[str]] = {}  # what the messages of each name became
    for j, role in enumerate(roles_):
        if role == R.MESSAGE and not flag_value(tests[j]) and (labels[j], texts[j]) in names:
            decision = values["decision"][j]
            outcomes.setdefault((labels[j], texts[j]), set()).add(
                "rename" if decision in RENAMING else "review" if decision == "review"
                else "keep")
    for i in quoting:
        found = outcomes.get((labels[i], texts[i]), set())
        if found == {"keep"}:
            set_decision(values, i, "keep", "quotes a message of the code that spells a name "
                         "kept on the wire, and is kept with it", "quotes-message", texts[i])
        elif found - {"rename"}:
            set_decision(values, i, "review", "quotes a message of the code, and of the "
                         "messages that spell its name some are kept with a name on the wire, "
                         "or left to review, and some renamed: decide it with the one it "
                         "quotes", "quotes-message", texts[i])


# The roles of a test's string that may spell a name set from outside the program: a table's
# key (`map[string]string{"DATA_DIR": "."}` fed to t.Setenv), an argument (`"-run-id"`).
_SPELLING_ROLES = frozenset({R.MAP_KEY, R.STRING, R.MESSAGE})


def follow_external_spellings(frame: pd.DataFrame, values: dict[str, list[Any]],
                              roots: Mapping[str, Path] | None = None) -> bool:
    """A test's string, renamed by a default (built-in or the policy's), that spells a name the
    code reads from outside the program and keeps (an environment variable, a command-line
    flag: role ``external_name``, of the same root, not a test's) is kept with it: a table of
    variables a test sets in a loop (``for k, v := range tt.env { t.Setenv(k, v) }``), the
    arguments it runs a command with. Renamed, the test would set a name the code no longer
    reads. So is a string of the code that sets such a variable (``"RUN_ID=" + v``: an
    environment file, a command's environment; see :func:`_sets_variable`). With ``roots`` to
    read the test from, a plain lower-case word of a sentence (``"9 runs in 2 buckets"`` beside
    the flag ``buckets``) is prose, not the name: it keeps its decision (:func:`_spells_name`).
    ``values`` is changed in place; True when a row changed."""
    roles_ = frame["role"].tolist()
    if R.EXTERNAL_NAME not in roles_ or "is_test" not in frame.columns:
        return False
    texts, labels = frame["text"].tolist(), frame["root"].tolist()
    tests = [flag_value(t) for t in frame["is_test"].tolist()]
    kept: dict[tuple[Any, Any], int] = {}
    for j, role in enumerate(roles_):
        if role == R.EXTERNAL_NAME and not tests[j] and values["decision"][j] not in RENAMING:
            kept.setdefault((labels[j], texts[j]), j)
    changed = False
    sources = None
    if roots is not None:
        from .decisions import _Sources

        sources = _Sources(roots)  # (each test file read once)
    for i, role in enumerate(roles_):
        if role not in _SPELLING_ROLES or values["decision"][i] not in RENAMING:
            continue
        by = str(values["decided_by"][i] or "")
        if not by.startswith(("builtin:", "default:", "contract:")):
            continue  # (an override's, a rule's, or a pass's that looked at it)
        j = kept.get((labels[i], texts[i]))
        if j is None:
            continue
        if tests[i]:
            if sources is not None and role != R.MAP_KEY and not _spells_name(frame, i, sources):
                continue
            who = "the test"
        elif role != R.STRING or sources is None or not _sets_variable(frame, i, sources):
            continue
        else:
            who = "the file it writes"  # `"RUN_ID=" + v`: an env file, a command's environment
        where = f"{frame['path'].iat[j]}:{frame['line'].iat[j]}"
        set_decision(values, i, "keep", (
            f"spells {texts[i]}, which the code reads from outside the program at {where} and "
            f"keeps: renamed, {who} would set a name the code no longer reads"),
            EXTERNAL_SPELLING, texts[i])
        changed = True
    return changed


def _sets_variable(frame: pd.DataFrame, i: int, sources: Any) -> bool:
    """Whether row ``i``, a string of the code that spells a variable read from outside the
    program, sets it: the name written in capitals, digits and ``_``, then ``=``
    (``"REGFISH_API_KEY=" + quote(key)`` in the environment file or the command's environment
    the code writes)."""
    text = str(frame["text"].iat[i])
    if not text or not all(c.isupper() or c.isdigit() or c == "_" for c in text):
        return False
    span = sources.span({c: frame[c].iat[i] for c in ("root", "path", "start_byte", "text")})
    return span is not None and span[0][span[2] : span[2] + 1] == b"="


def _spells_name(frame: pd.DataFrame, i: int, sources: Any) -> bool:
    """Whether row ``i``, a test's string that spells an outside name, is that name and not a
    word of a sentence: its literal's whole text, the name written as a flag (``--buckets``) or
    set (``DATA_DIR=x``, ``$DATA_DIR``), or a name no English word is spelled like (with a
    capital, a digit, ``_`` or ``-``). A file not read leaves it the name (``sources``: the
    decisions' reader of the roots' files, :class:`idrename.decisions._Sources`)."""
    from .decisions import _literal_around, flag_spelling

    text = str(frame["text"].iat[i])
    if not text.isalpha() or not text.islower():
        return True
    span = sources.span({c: frame[c].iat[i] for c in ("root", "path", "start_byte", "text")})
    found = _literal_around(*span) if span is not None else None
    if span is None or found is None:
        return True
    data, start, end = span
    offset, content = found
    at = start - offset - 1  # (the name's offset in the literal's content)
    if content == text.encode() or flag_spelling(data, start, end):
        return True
    return (content[at + len(text) : at + len(text) + 1] == b"=" and at == 0) or \
        content[max(at - 2, 0) : at].endswith((b"$", b"${"))


def follow_test_maps(frame: pd.DataFrame, contracts: list[dict[str, Any]],
                     values: dict[str, list[Any]]) -> bool:
    """The keys of a test's map literals (a request body it sends, a document it expects),
    whose contract is the test's own (test files only, the computed strategy), follow what the
    code's JSON tags of that name became, once the strategies are applied, when those agree:
    kept while every tag keeps the name; renamed when every one moves it or reads both while
    writing the new (accept-both); both names while every one writes both (dual-emit, as the
    contract's own default has it); to review when one is to review, or they disagree. Sent
    with both names, a body was refused by a handler that decodes strictly, the tag left to
    review: so a key the policy's ``[defaults]`` make dual follows the tags too where one of
    them is decoded strictly. ``values`` is changed in place; True when a row changed."""
    own = [rec for rec in contracts if rec["kind"] == R.MAP_KEY and rec.get("strategy_source")
           == "default" and TEST_ONLY in (rec.get("flags") or [])]
    if not own:
        return False
    position = {ident: i for i, ident in enumerate(frame["id"].tolist())}
    tags: dict[str, list[dict[str, Any]]] = {}
    for rec in contracts:
        if rec["kind"] == "json_tag" and TEST_ONLY not in (rec.get("flags") or []):
            tags.setdefault(str(rec["wire_name"]), []).append(rec)
    changed = False
    spelled: dict[tuple[str, str], list[int]] = {}  # see _code_strings, read on first need

    def strings_of(rec: dict[str, Any]) -> list[int]:
        """The positions of the code's strings spelling the key, in its root."""
        if not spelled:
            spelled.update(_code_strings(frame, {str(r["wire_name"]) for r in own}))
        at = next((position[i] for i in rec.get("edit_ids") or [] if i in position), None)
        return spelled.get((str(frame["root"].iat[at]), str(rec["wire_name"])), []) \
            if at is not None else []

    for rec in own:
        code = tags.get(str(rec["wire_name"]))
        if not code:
            # no tag of that name: the code's own strings of it (a value it parses, ``case
            # "prefer-pass":``), which a key beside it fails to match
            found = strings_of(rec)
            if found:
                changed = _follow_code_strings(frame, rec, found, values, position) or changed
            continue
        by_contract = {str(r["contract"]): {str(values["decision"][position[i]])
                                            for i in r.get("edit_ids") or [] if i in position}
                       for r in code}
        decided = set().union(*by_contract.values())
        pending = sorted(str(r["contract"]) for r in code
                         if "review" in by_contract[str(r["contract"])]
                         or _unsettled(r, by_contract[str(r["contract"])]))
        names = ", ".join(sorted(by_contract)[:3]) + (" and more" if len(by_contract) > 3
                                                      else "")
        if pending or not decided:
            decision, why = "review", (f"the code's tag {', '.join(pending[:3]) or names} of "
                                       "this name is to review: decide the key with it")
        elif decided <= {"keep", "ignore", "migrate"}:
            decision, why = "keep", f"the code's tags of this name ({names}) keep it"
        elif decided <= {"rename", "hard-cut", "drop-legacy", "accept-both"}:
            decision, why = "rename", (f"the code's tags of this name ({names}) move it (or "
                                       "read both and write the new)")
        elif decided == {"dual"}:
            decision, why = "dual", ""  # (both names written: the contract's own dual-emit)
        else:
            decision, why = "review", (f"the code's tags of this name ({names}) are decided "
                                       f"apart ({', '.join(sorted(decided))})")
        # The code may spell the name as a string too (`errors["artist"] = ...`, a map it
        # answers with): the test's map may mirror that rather than the tags, so the key
        # follows only when both agree (and is not left dual by the policy's default then).
        mirrored = ""
        if decision != "review":
            found = strings_of(rec)
            apart = sorted({_STRING_OUTCOME.get(str(values["decision"][j]), "review")
                            for j in found} - {decision})
            if apart:
                where = _places(frame, found)
                decision, why = "review", (
                    f"the code's tags of this name ({names}) are decided {decision}, but the "
                    f"code spells it as a string too ({where}), decided {', '.join(apart)}: "
                    "the map may mirror either; decide the key with them")
                mirrored = (f"the code spells it as a string too ({where}), which has one "
                            "name, so a map with both may not match what the code writes")
        if decision == "dual":
            continue
        # (a handler that decodes a tag of this name strictly refuses the second key of a
        # body the policy's default makes dual: such a key follows the tags too)
        strict = next((f for r in code for f in r.get("flags") or [] if f.startswith(STRICT)), "")
        where = strict.removeprefix(STRICT).split(" makes ", 1)[0]
        changed = _decide_test_keys(
            frame, rec, values, position, decision,
            f"a key of a test's map (sent to the code or compared with what it writes): {why}",
            f"{where} makes a decoder of the code refuse unknown keys, so a body with both "
            "names is refused" if strict else mirrored) or changed
    return changed


def _places(frame: pd.DataFrame, found: list[int]) -> str:
    """``path:line`` of the first three rows at ``found``, and whether there are more."""
    return ", ".join(f"{frame['path'].iat[j]}:{frame['line'].iat[j]}" for j in found[:3]) + (
        " and more" if len(found) > 3 else "")


# What a string of the code becomes, as a test's map key would follow it.
_STRING_OUTCOME = {"keep": "keep", "ignore": "keep", "rename": "rename"}


def _decide_test_keys(frame: pd.DataFrame, rec: dict[str, Any], values: dict[str, list[Any]],
                      position: dict[Any, int], decision: str, said: str, but: str) -> bool:
    """Decide the rows of a test's map-key contract ``rec`` that it decided itself, and, when
    ``but`` says why dual cannot hold, those the policy's default made dual (the default's
    rationale, then ``but``, then ``said``). True when a row changed."""
    changed = False
    for ident in rec.get("edit_ids") or []:
        i = position.get(ident)
        if i is None:
            continue
        by = str(values["decided_by"][i])
        why = said
        if but and by.startswith("default:") and values["decision"][i] == "dual":
            why = f"{values['rationale'][i]}; but {but}: {said}"
        elif by != f"contract:{rec['contract']}":
            continue
        set_decision(values, i, decision, why, "test-map",
                     rec["new_wire"] if decision == "rename" else str(frame["text"].iat[i]))
        changed = True
    return changed


def _code_strings(frame: pd.DataFrame, names: set[str]) -> dict[tuple[str, str], list[int]]:
    """(root, text) -> the positions of the code's (not its tests') string rows spelling one
    of ``names``."""
    out: dict[tuple[str, str], list[int]] = {}
    tests = frame["is_test"].tolist() if "is_test" in frame.columns else [False] * len(frame)
    for i, (root, text, role, test) in enumerate(zip(
            frame["root"].tolist(), frame["text"].tolist(), frame["role"].tolist(), tests,
            strict=True)):
        if role == R.STRING and text in names and not flag_value(test):
            out.setdefault((str(root), str(text)), []).append(i)
    return out


def _follow_code_strings(frame: pd.DataFrame, rec: dict[str, Any], found: list[int],
                         values: dict[str, list[Any]], position: dict[Any, int]) -> bool:
    """The keys of a test's map, left at the contract's computed strategy or made dual by the
    policy's default, decided as the code's strings of the same spelling (``found``) are,
    when those agree: a key written twice the code would not match (a token table of a
    parser's test) is no compatibility. True when a row changed."""
    decided = {str(values["decision"][j]) for j in found}
    where = _places(frame, found)
    if decided <= {"keep", "ignore"}:
        decision, why = "keep", f"the code's strings of this value ({where}) keep it"
    elif decided <= {"rename"}:
        decision, why = "rename", f"the code's strings of this value ({where}) are renamed"
    else:
        decision, why = "review", (f"the code's strings of this value ({where}) are "
                                   f"{'to review' if decided == {'review'} else 'decided apart'}"
                                   ": decide the key with them")
    # (the policy's default makes it dual: but a string has no second spelling the code
    # matches)
    return _decide_test_keys(
        frame, rec, values, position, decision,
        f"a key of a test's map, a value the code spells as a string too (a test of what it "
        f"parses or returns): {why}",
        "the code matches one spelling of it, and a key written twice is one it refuses")


def follow_url_queries(frame: pd.DataFrame, contracts: list[dict[str, Any]],
                       values: dict[str, list[Any]]) -> bool:
    """Decide the query parameters that URLs written in Go send (``"/runs?run_id=" + id``,
    role ``query_param`` detailed ``url``: a test's request, a client's) left at a default,
    after the query parameter contracts of the code that reads the same name, when those agree:
    a name still read (accept-both, dual-emit, keep-legacy) is kept, since the request still
    works and goes on testing the legacy name; a name moved (hard-cut, drop-legacy) is renamed.
    A name no code of the roots reads (a URL of another service) stays to review.
    ``contracts``: the matrix's rows as dicts. ``values``
    (the columns apply_strategies fills) is changed in place; True when a row changed."""
    if "detail" not in frame.columns:
        return False
    roles_, details = frame["role"].tolist(), frame["detail"].tolist()
    wanted = [i for i, (role, detail) in enumerate(zip(roles_, details, strict=True))
              if role == R.QUERY_PARAM and detail == R.URL_QUERY
              and str(values["decided_by"][i] or "").startswith(("builtin:", "default:"))]
    if not wanted:
        return False
    by_wire: dict[str, set[tuple[str, str, str]]] = {}
    position = {ident: i for i, ident in enumerate(frame["id"].tolist())}
    for rec in contracts:
        if rec["kind"] == R.QUERY_PARAM:
            # (as its reads are decided: a policy's default beats a computed strategy there)
            decided = _as_decided(rec, position, values["decision"], values["decided_by"])
            by_wire.setdefault(str(rec["wire_name"]), set()).add(
                (str(decided["strategy"]) if decided is not None else "",
                 str(rec["new_wire"]), str(rec["contract"])))
    texts = frame["text"].tolist()
    for i in wanted:
        text = str(texts[i])
        found = by_wire.get(text, set())
        outcomes = {(strategy, new) for strategy, new, _contract in found}
        contracts = ", ".join(sorted(c for _s, _n, c in found)[:3])
        if not found:
            decision, why, target = "review", (
                f"a URL sends the query parameter {text}, which no code of the roots reads (a "
                "request to another service?): keep it unless that service moves too"), text
        elif len(outcomes) > 1 or any(not strategy for strategy, _new in outcomes):
            decision, why, target = "review", (
                f"a URL sends the query parameter {text}, which the code reads under several "
                f"strategies ({contracts}): decide it with the handler it requests"), text
        else:
            strategy, new = outcomes.pop()
            if strategy in ("hard-cut", "drop-legacy"):
                decision, target = "rename", new
                why = f"a URL sends {text}, which {contracts} moves to {new}: sent as {new}"
            else:
                decision, target = "keep", text
                why = (f"a URL sends {text}, which {contracts} ({strategy}) still reads: the "
                       "request works as it is (and goes on testing the legacy name); move it "
                       "when the legacy name is dropped")
        set_decision(values, i, decision, why, "url-query", target)
    return True


# The contracts whose wire name a key of a JSON document written in Go spells.
_JSON_KINDS = frozenset({"json_tag", "map_key", wirefields.CONTRACT_KIND})
# The flags of a JSON contract whose tag does not go the way of its strategy (apply_strategies)
_UNSETTLED = (PROMOTED, OWN_METHODS, AS_TEXT, STRICT)
# The decisions of a tag that need the methods keeping its legacy key (which those flags but
# AS_TEXT are about: a tag renamed or kept needs none)
_WITH_METHODS = frozenset({"dual", "accept-both"})


def _unsettled(rec: Mapping[str, Any], decisions: Iterable[str]) -> bool:
    """Whether a JSON contract's tag may not go the way its sites are decided (``decisions``):
    its struct encodes as text (the tags are never read), or it cannot be given the methods
    that keep a legacy key (embedded, its own, decoded strictly) while a site needs them."""
    flags = [f for f in rec.get("flags") or [] if f.startswith(_UNSETTLED)]
    return any(f.startswith(AS_TEXT) for f in flags) or (
        bool(flags) and not _WITH_METHODS.isdisjoint(decisions))


def follow_json_texts(frame: pd.DataFrame, contracts: list[dict[str, Any]],
                      values: dict[str, list[Any]], tests: list[bool],
                      roots: Mapping[str, str | os.PathLike[str]] | None = None) -> bool:
    """Decide the keys of JSON documents written in Go strings (role ``json_text``) left at
    their built-in default, after the JSON contracts of the same wire name when those agree
    on a strategy (those of its package, when the others do not; without any there, those of
    the packages of its module that its folder's files import, found under ``roots``: a
    test's server body that the client it tests decodes): an input that is decoded
    keeps a legacy key the decoding still reads (dual-emit, accept-both, keep-legacy); an
    expected output or a body written by hand holds what is written, the new name under
    hard-cut and accept-both, both names under dual-emit (an expected encoding of a struct:
    see :mod:`idrename.jsondocs`; a map's or a body written by hand: to review; a part of an
    object without its braces, :data:`idrename.roles.JSON_FRAGMENT`: the new name, which the
    struct's ``MarshalJSON`` writes in place). An expected output leaves out the contracts of
    structs that are only decoded (``direction`` inbound): they write nothing. A test's read
    of a map's key (``body["run_id"]`` of a decoded response, left at the string's built-in
    default) follows them too: it finds the legacy key under dual-emit (kept), and the new one
    under the others that move the name (renamed). ``contracts``: the matrix's rows as
    dicts; ``values`` (the columns
    apply_strategies fills) is changed in place; True when a row changed."""
    if "detail" not in frame.columns:
        return False
    roles_, details = frame["role"].tolist(), frame["detail"].tolist()
    wanted = [i for i, (role, detail) in enumerate(zip(roles_, details, strict=True))
              if role == R.JSON_TEXT or (detail == R.MAP_INDEX and role == R.STRING)]
    found = _JsonContracts(frame, contracts, values["decision"], values["decided_by"],
                           roots) if wanted else None
    if found is None or not found.by_wire:
        return False
    texts = frame["text"].tolist()
    owners = frame["owner"].tolist() if "owner" in frame.columns else [""] * len(frame)
    changed = False
    for i in wanted:
        role, text, detail = roles_[i], texts[i], details[i]
        if role == R.STRING and detail == R.MAP_INDEX and tests[i] and \
                values["decided_by"][i] == f"builtin:{R.STRING}":
            detail = "read"  # a test reads a key of what the code wrote (a decoded response)
        elif role != R.JSON_TEXT or values["decided_by"][i] != f"builtin:{R.JSON_TEXT}":
            continue
        rec = found.settled(i, str(text), str(detail))
        if rec is None:
            continue
        decision, why = _json_text_decision(rec, str(detail), owners[i])
        if decision is None:
            continue
        values["decision"][i] = decision
        values["rationale"][i] = why
        values["decided_by"][i] = f"contract:{rec['contract']}"
        values["target"][i] = rec["new_wire"] if decision in ("rename", "dual") else str(text)
        changed = True
    return changed


class _JsonContracts:
    """The JSON contracts of a matrix by wire name, and the folder of each row of a decided
    frame, to tell which contract decides a key of a JSON document written in Go."""

    def __init__(self, frame: pd.DataFrame, contracts: Iterable[Mapping[str, Any]],
                 decisions: list[Any], decided_by: list[Any],
                 roots: Mapping[str, str | os.PathLike[str]] | None = None) -> None:
        self.roots = roots or {}
        self._imported: dict[str, set[str]] = {}  # a folder -> the folders it imports
        self.by_wire: dict[str, list[Mapping[str, Any]]] = {}
        self.split: set[str] = set()  # contracts whose sites are decided apart
        position = {ident: i for i, ident in enumerate(frame["id"].tolist())}
        for rec in contracts:
            if rec["kind"] in _JSON_KINDS:
                decided = _as_decided(rec, position, decisions, decided_by)
                if decided is None:
                    self.split.add(str(rec["contract"]))
                self.by_wire.setdefault(str(rec["wire_name"]), []).append(decided or rec)
        # each row's folder (its root's label, then its path's), for the rows of one package
        self.folders = [f"{root}/{path}".rpartition("/")[0] for root, path in
                        zip(frame["root"].tolist(), frame["path"].tolist(), strict=True)]
        self.folder_of = dict(zip(frame["id"].tolist(), self.folders, strict=True))

    def settled(self, i: int, text: str, use: str) -> Mapping[str, Any] | None:
        """The contract that decides row ``i``'s key ``text`` (``use``: what its statement
        does with the document), when the contracts of that wire name agree on a strategy
        (those of its package, when the others do not) and follow it; else None."""
        recs = self.by_wire.get(text, [])
        code = [r for r in recs if TEST_ONLY not in (r.get("flags") or [])]
        if code:  # (a test's own map of the name follows the code's tags: follow_test_maps)
            recs = code
        if use == "compared":  # what the code writes: not a struct it only decodes
            recs = [r for r in recs if r["direction"] != "inbound"]
        if len({(r["strategy"], r["new_wire"]) for r in recs}) > 1:
            # those of its own package, when the others disagree; else those of the packages
            # it imports
            own = [r for r in recs if any(self.folder_of.get(ident) == self.folders[i]
                                          for ident in r.get("edit_ids") or [])]
            if not own:
                near = self.imported(self.folders[i])
                own = [r for r in recs if any(self.folder_of.get(ident) in near
                                              for ident in r.get("edit_ids") or [])]
            recs = own
        if len({(r["strategy"], r["new_wire"]) for r in recs}) != 1 or any(
                _unsettled(r, {STRATEGY_DECISION.get(str(r["strategy"]), "")}) for r in recs
        ) or any(r["contract"] in self.split for r in recs):
            return None  # (a struct whose tag does not follow its strategy: what it writes, too)
        return recs[0]

    def imported(self, folder: str) -> set[str]:
        """The folders (``root/path``) of the packages of its module that the Go files of
        ``folder`` (``root/path``) import, without itself."""
        found = self._imported.get(folder)
        if found is None:
            from .searchedwords import code_folders

            label, _, rel = folder.partition("/")
            root = self.roots.get(label)
            found = set() if root is None else {
                f"{label}/{f}".rstrip("/") for f in code_folders(Path(root), rel)} - {folder}
            self._imported[folder] = found
        return found


def _as_decided(rec: Mapping[str, Any], position: Mapping[str, int], decisions: list[Any],
                decided_by: list[Any]) -> Mapping[str, Any] | None:
    """A contract as its sites are decided: a computed strategy that the policy's own default
    or a rule beats at its sites (see :func:`apply_strategies`: `struct_tag = "rename"`
    renames a tag whose contract computed dual-emit) is the strategy those decisions amount
    to; None when its sites amount to several strategies, or one is to review."""
    if rec.get("strategy_source") != "default":
        return rec
    found: set[str | None] = set()
    for ident in rec.get("edit_ids") or []:
        i = position.get(ident)
        if i is None:
            continue
        by = str(decided_by[i] or "")
        if by.startswith(("rule:", "default:")):
            found.add(DECISION_STRATEGY.get(str(decisions[i])))
        elif by.startswith("contract:"):
            found.add(str(rec["strategy"]))
    if not found or found == {rec["strategy"]}:
        return rec
    if len(found) != 1 or None in found:
        return None
    return {**rec, "strategy": found.pop()}


JSON_DOCUMENT_KIND = "json_document"  # the kind of inherited_json_text_warnings' warnings


def inherited_json_text_warnings(decided: pd.DataFrame, matrix: pd.DataFrame) -> list[Any]:
    """A ``json_document`` warning for each key of a JSON document written in Go (role
    ``json_text``) that the policy's default for role ``string`` decides (json_text takes it
    when the policy gives json_text no default of its own), where the JSON contracts of its
    name, which decide it otherwise (:func:`follow_json_texts`), would decide it another way:
    the document and the code that reads or writes it would then disagree (a test's input
    under a key the struct no longer reads). The policy's decision stands; the warning says
    how to let the contracts decide."""
    from .checks import WARNING, Conflict

    if decided.empty or matrix.empty or not {"detail", "decided_by"} <= set(decided.columns):
        return []
    inherited = f"default:{R.STRING}"
    decided_by = decided["decided_by"].tolist()
    wanted = [i for i, (role, by) in enumerate(zip(decided["role"].tolist(), decided_by,
                                                    strict=True))
              if role == R.JSON_TEXT and by == inherited]
    if not wanted:
        return []
    found = _JsonContracts(decided, records(matrix), decided["decision"].tolist(), decided_by)
    rows = records(decided.iloc[wanted], ["id", "root", "path", "line", "text", "detail",
                                          "owner", "decision"])
    out = []
    for i, row in zip(wanted, rows, strict=True):
        text, use, decision = row_value(row, "text"), row_value(row, "detail"), \
            row_value(row, "decision")
        rec = found.settled(i, text, use)
        if rec is None:
            continue
        followed, why = _json_text_decision(rec, use, row.get("owner"))
        if followed in (None, "review", decision):
            continue
        where = f"{row_value(row, 'root')}/{row_value(row, 'path')}"
        out.append(Conflict(JSON_DOCUMENT_KIND, WARNING, (
            f"the key {text} of a JSON document written in Go at {where}:{int(row['line'])} "
            f"is decided {decision} by the policy's default for role string, which json_text "
            f"takes when it has no default of its own; its contract would decide it {followed} "
            f"({why}), so the document "
            "and the code would disagree: give json_text a default of its own (json_text = "
            "\"review\" lets the contracts decide it) or a [[rule]] for this key"),
            where, int(row["line"]), "", [row_value(row, "id")]))
    return out


def _json_text_decision(rec: Mapping[str, Any], use: str, owner: Any) -> tuple[str | None, str]:
    """(decision, why) of a JSON document's key under the contract ``rec``: ``use`` is what
    its statement does with the document (see idrename.gosyntax._json_use), ``owner`` its
    row's (:data:`idrename.roles.JSON_FRAGMENT` for a part of an object)."""
    decision, why = _json_document_decision(rec, use)
    if decision == "dual" and owner == R.JSON_FRAGMENT:
        return "rename", (
            f"{why}; this text is a part of an object, its braces left out, looked for in "
            f"what is written: {rec['new_wire']} stands where {rec['wire_name']} stood, so "
            "the part holds the new name")
    return decision, why


def _json_document_decision(rec: Mapping[str, Any], use: str) -> tuple[str | None, str]:
    strategy, old, new = rec["strategy"], rec["wire_name"], rec["new_wire"]
    contracts = f"{rec['contract']} ({strategy})"
    if strategy in ("keep-legacy", "migrate"):
        return "keep", f"{contracts} keeps {old} on the wire"
    if strategy in ("hard-cut", "drop-legacy"):
        return "rename", f"{contracts} moves {old} to {new}, read and written"
    if use == "read":
        if strategy == "dual-emit":
            return "keep", (f"a test's read of what the code writes: under {contracts} both "
                            f"{new} and {old} are written, so it passes as it is")
        return "rename", f"a test's read of what the code writes: under {contracts} {new} is written"
    if use == "decoded" and strategy in ("dual-emit", "accept-both"):
        return "keep", (f"decoded: under {contracts} {old} is still read, so an input that "
                        "holds it stays as it was (and goes on testing the legacy key)")
    if use in ("compared", "written") and strategy == "accept-both":
        return "rename", f"{use}: under {contracts} only {new} is written"
    if use == "compared" and strategy == "dual-emit" and rec["kind"] == "json_tag":
        return "dual", (f"compared: under {contracts} both {new} and {old} are written, the "
                        "legacy keys after the struct's own: the expected document gets both")
    if use in ("compared", "written") and strategy == "dual-emit":
        return "review", (f"{use}: under {contracts} both {new} and {old} are written: write "
                          "both in this document by hand, or compare the decoded values")
    return None, ""


# -- output ----------------------------------------------------------------------------------------
def matrix_records(matrix: pd.DataFrame) -> list[dict[str, Any]]:
    """The matrix as JSON-ready records (lists stay lists)."""
    out = []
    for rec in records(matrix):
        out.append({k: (list(v) if isinstance(v, (list, tuple)) else v) for k, v in rec.items()})
    return out


def _cell(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        value = "; ".join(str(v) for v in value)
    return str(value).replace("|", "\\|").replace("\n", " ")


def matrix_markdown(matrix: pd.DataFrame) -> str:
    """The matrix as a Markdown table for review: one line per contract."""
    header = ["contract", "direction", "producers", "consumers", "strategy", "proposed change",
              "flags"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for rec in records(matrix):
        consumers = rec["consumers"]
        lines.append("| " + " | ".join([
            _cell(f"`{rec['contract']}`"),
            _cell(rec["direction"]),
            _cell(len(rec["producers"])),
            _cell(f"{len(consumers)} ({rec['consumer_set']})"),
            _cell(rec["strategy"]),
            _cell(rec["proposed_change"]),
            _cell(rec["flags"]),
        ]) + " |")
    return "\n".join(lines) + "\n"


def oracle_frame(matrix: pd.DataFrame) -> pd.DataFrame:
    """The matrix on :data:`ORACLE_COLUMNS`, lists joined with ``;`` (EXPECTED_CONTRACTS.csv)."""
    out = matrix[ORACLE_COLUMNS].copy()
    for col in ("producers", "consumers"):
        out[col] = out[col].map(lambda v: ";".join(v))
    return out.reset_index(drop=True)


__all__ = [
    "MATRIX_COLUMNS",
    "ORACLE_COLUMNS",
    "STRATEGY_DECISION",
    "GoFacts",
    "apply_strategies",
    "camel",
    "contracts",
    "default_strategy",
    "is_paired",
    "matrix_markdown",
    "matrix_records",
    "oracle_frame",
    "proposed_change",
    "sql_target",
]
