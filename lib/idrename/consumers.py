"""Family occurrences in the files around a Go backend: TypeScript/JavaScript, protobuf, SQL,
Markdown, YAML, JSON, TOML, INI, ``.env``, and Go templates (``.tmpl``, ``.gohtml``, ``.html``...; see
:mod:`idrename.gotemplate`); XML, CSV and plain text files are read by :mod:`idrename.textfiles`,
through the same ``scan_file``.

``scan_file`` returns the same ``Occurrence`` rows as the Go scanner. Candidates come from
``Spec.find`` (byte offsets into the file, kebab spellings allowed); each scanner then decides what
a candidate is. In code (TypeScript, proto, SQL) a kebab token that runs across several syntax
tokens (``a-runId``) is split back into its identifier parts; inside a string or comment it stays
whole (``"X-Run-ID"``).

``detail`` holds the role's note where it has one (a proto field number, ``json_name``, the SQL
verb, ``parameter``/``variable`` for a name a SQL function or procedure declares,
``code``/``heading`` in Markdown), else the file's note from its path: ``test``, ``mock`` or
``story``.

A UTF-8 byte order mark is blanked to three spaces before scanning, so offsets stay those of the
file and no token swallows it. Columns count bytes, so on line 1 they count the mark too.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from idrename import roles
from idrename.occurrence import LineIndex, Occurrence, make_occurrence
from idrename.spec import Spec, TokenHit

if TYPE_CHECKING:  # tree-sitter is imported only when a TypeScript file is parsed
    from tree_sitter import Node, Parser

# extension -> (language, tree-sitter grammar or scanner name)
_LANGUAGES: dict[str, tuple[str, str]] = {
    ".ts": ("typescript", "typescript"),
    ".mts": ("typescript", "typescript"),
    ".cts": ("typescript", "typescript"),
    ".tsx": ("tsx", "tsx"),
    ".js": ("javascript", "tsx"),
    ".jsx": ("javascript", "tsx"),
    ".mjs": ("javascript", "tsx"),
    ".cjs": ("javascript", "tsx"),
    ".proto": ("proto", "proto"),
    ".sql": ("sql", "sql"),
    ".md": ("markdown", "markdown"),
    ".yaml": ("yaml", "yaml"),
    ".yml": ("yaml", "yaml"),
    ".json": ("json", "json"),
    ".toml": ("toml", "keyvalue"),
    ".ini": ("ini", "keyvalue"),
    ".env": ("env", "keyvalue"),
    ".tmpl": ("gotemplate", "gotemplate"),
    ".tpl": ("gotemplate", "gotemplate"),
    ".gotmpl": ("gotemplate", "gotemplate"),
    ".gohtml": ("gotemplate", "gotemplate"),
    ".html": ("html", "gotemplate"),
    ".htm": ("html", "gotemplate"),
}
CONSUMER_EXTENSIONS: frozenset[str] = frozenset(_LANGUAGES)

_BOM = b"\xef\xbb\xbf"


# -- shared ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class FileKind:
    """What the path says about a file: test code, test support (mock, story), generated."""

    is_test: bool = False
    note: str = ""  # "test", "mock", "story" or ""
    is_generated: bool = False


_TEST_NAME = re.compile(r"[._](test|spec)\.[A-Za-z0-9]+$|_test\.[A-Za-z0-9]+$")
_STORY_NAME = re.compile(r"\.(stories|story)\.[A-Za-z0-9]+$")
# `mocks.ts`, `chat.mock.ts`, `mockChat.ts`, `chatMock.ts`, `fixtures.ts`; not `mockingbird.ts`.
_MOCK_NAME = re.compile(r"(?:^|[._-])(?:mocks?|fixtures?)(?![a-z])|(?<=[a-z0-9])Mocks?(?![a-z])")
_TEST_DIRS = frozenset({"__tests__", "test", "tests", "e2e"})
_MOCK_DIRS = frozenset({"mocks", "mock", "fixtures", "__fixtures__"})
_GENERATED_NAME = re.compile(
    r"(_pb\.(js|d\.ts|ts)|_grpc_web_pb\.js|\.pb\.ts|\.(generated|gen)\.[A-Za-z]+)$"
    r"|^(package-lock\.json|pnpm-lock\.yaml|yarn\.lock|npm-shrinkwrap\.json)$"
)
_GENERATED_HEADER = re.compile(
    rb"(?im)^[ \t]*(?://|\#|/\*+|\*|--|<!--)[^\n]*?"
    rb"(?:code generated|@generated|auto-?generated|do not edit)"
)


def file_kind(path_rel: str, data: bytes = b"") -> FileKind:
    """Classify a file from its path (and the first 1 KiB, for a generated-code marker)."""
    parts = PurePosixPath(path_rel.replace("\\", "/")).parts
    name = parts[-1] if parts else ""
    dirs = set(parts[:-1])
    generated = bool(_GENERATED_NAME.search(name) or _GENERATED_HEADER.search(data[:1024]))
    if _TEST_NAME.search(name) or dirs & _TEST_DIRS:
        return FileKind(True, "test", generated)
    if "__mocks__" in dirs:
        return FileKind(True, "mock", generated)
    if _STORY_NAME.search(name):
        return FileKind(False, "story", generated)
    if _MOCK_NAME.search(name) or dirs & _MOCK_DIRS:
        return FileKind(False, "mock", generated)
    return FileKind(False, "", generated)


class _Emitter:
    """Collects the rows of one file, filling the fields every row of that file shares."""

    def __init__(self, path: str, data: bytes, language: str, kind: FileKind) -> None:
        self.path = path
        self.index = LineIndex(data)
        self.language = language
        self.kind = kind
        self.package = ""
        self.parse_error = False
        self.rows: list[Occurrence] = []

    def add(
        self,
        hit: TokenHit,
        role: str,
        *,
        symbol: str = "",
        detail: str = "",
        owner: str = "",
        parse_error: bool | None = None,
    ) -> None:
        self.rows.append(
            make_occurrence(
                self.path,
                self.index,
                hit.start,
                hit.end,
                hit.token,
                language=self.language,
                role=role,
                symbol=symbol,
                package=self.package,
                detail=detail or self.kind.note,
                owner=owner,
                is_test=self.kind.is_test,
                is_generated=self.kind.is_generated,
                parse_error=self.parse_error if parse_error is None else parse_error,
            )
        )


def _code_hits(
    spec: Spec, data: bytes, keep_whole: Callable[[TokenHit], bool]
) -> Iterator[TokenHit]:
    """Family tokens; a kebab token is split into identifier tokens unless ``keep_whole`` says
    it lies inside one syntax token (a string, a comment, a quoted name)."""
    for hit in spec.find(data):
        if "-" not in hit.token or keep_whole(hit):
            yield hit
            continue
        last_end = -1
        for m in spec.pattern.finditer(data, hit.start, hit.end):
            if m.start() < last_end:
                continue
            part = spec.token_at(data, m.start(), m.end(), kebab=False)
            if part is not None:
                last_end = part.end
                yield part


def _decode(raw: bytes) -> str:
    return raw.decode("utf-8", "replace")


def _unquote(text: str) -> str:
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'`":
        return text[1:-1]
    return text


# -- entry point -------------------------------------------------------------------------------
def is_binary(data: bytes) -> bool:
    """The content holds NUL bytes: not a text file of any language scanned here."""
    return b"\x00" in data


def scan_file(path_rel: str, data: bytes, spec: Spec) -> list[Occurrence]:
    """Every family occurrence in one non-Go file, in file order; [] for a file neither this
    module nor :mod:`idrename.textfiles` reads, and for a file holding NUL bytes (not text:
    never scanned, so never edited; the inventory reports it as ``binary``)."""
    name = PurePosixPath(path_rel).name
    ext = "." + name.rpartition(".")[2].lower() if "." in name else ""  # `.env` too
    entry = _LANGUAGES.get(ext)
    if entry is None:
        from .textfiles import sniffed, text_language

        text = text_language(path_rel)
        entry = None if text is None else sniffed(text, data)
    if entry is None or is_binary(data):
        return []
    language, scanner = entry
    if data.startswith(_BOM):
        data = b"   " + data[len(_BOM) :]
    out = _Emitter(path_rel, data, language, file_kind(path_rel, data))
    if scanner == "text":
        from .textfiles import scan_text

        scan_text(out, data, spec)
    elif scanner in ("typescript", "tsx"):
        _scan_typescript(out, data, spec, scanner)
    else:
        _SCANNERS[scanner](out, data, spec)
    out.rows.sort(key=lambda o: (o.start_byte, o.end_byte))
    return out.rows


# -- TypeScript / JavaScript (tree-sitter) -----------------------------------------------------
@cache
def _ts_parser(grammar: str) -> Parser:
    import tree_sitter_typescript
    from tree_sitter import Language, Parser

    ptr = (
        tree_sitter_typescript.language_tsx()
        if grammar == "tsx"
        else tree_sitter_typescript.language_typescript()
    )
    return Parser(Language(ptr))


_TS_COMMENTS = frozenset({"comment", "html_comment"})
_TS_STRINGS = frozenset(
    {"string", "string_fragment", "template_string", "escape_sequence", "regex", "regex_pattern",
     "regex_flags", "jsx_text", "html_character_reference"}
)
_TS_IDENTIFIERS = frozenset(
    {"identifier", "type_identifier", "shorthand_property_identifier_pattern",
     "statement_identifier"}
)
_TS_PROPERTY_PARENTS = frozenset({"property_signature", "public_field_definition"})
_TS_KEY_PARENTS = frozenset({"pair", "pair_pattern", "jsx_attribute"})
_TS_NAMED_SCOPES = frozenset(
    {"function_declaration", "generator_function_declaration", "function_signature",
     "class_declaration", "abstract_class_declaration", "interface_declaration",
     "type_alias_declaration", "enum_declaration", "internal_module", "module",
     "method_definition", "method_signature", "abstract_method_signature"}
)
_TS_ANONYMOUS = frozenset(
    {"arrow_function", "function_expression", "function", "generator_function", "class"}
)
_TS_WRAPPERS = frozenset(
    {"parenthesized_expression", "as_expression", "satisfies_expression",
     "non_null_expression", "arguments", "call_expression", "await_expression"}
)
_TS_OWNERS = frozenset(
    {"interface_declaration", "type_alias_declaration", "class_declaration",
     "abstract_class_declaration", "class", "enum_declaration"}
)


def _scan_typescript(out: _Emitter, data: bytes, spec: Spec, grammar: str) -> None:
    root = _ts_parser(grammar).parse(data).root_node

    def node_at(hit: TokenHit) -> Node:
        node = root.descendant_for_byte_range(hit.start, hit.end)
        return node if node is not None else root.descendant_for_byte_range(hit.start, hit.end)

    def keep_whole(hit: TokenHit) -> bool:
        # One leaf (a string, a comment, a JSX name) or text tree-sitter could not parse.
        node = node_at(hit)
        return node.child_count == 0 or _ts_in_error(node)

    for hit in _code_hits(spec, data, keep_whole):
        node = node_at(hit)
        if _ts_in_error(node):
            out.add(hit, roles.UNPARSED, symbol=_ts_symbol(node), parse_error=True)
            continue
        role = _ts_role(node)
        owner = _ts_owner(node) if role == roles.TS_PROPERTY else ""
        out.add(hit, role, symbol=_ts_symbol(node), owner=owner)


def _ts_in_error(node: Node | None) -> bool:
    while node is not None:
        if node.is_error or node.is_missing:
            return True
        node = node.parent
    return False


def _is_field(node: Node, field: str) -> bool:
    parent = node.parent
    if parent is None:
        return False
    child = parent.child_by_field_name(field)
    return child is not None and child.id == node.id


def _ts_role(node: Node) -> str:
    kind = node.type
    if kind in _TS_COMMENTS:
        return roles.TS_COMMENT
    if kind in ("string_fragment", "escape_sequence") and node.parent is not None:
        if node.parent.type == "string":
            node, kind = node.parent, "string"
    parent_type = node.parent.type if node.parent is not None else ""
    if kind == "string":
        # A quoted name is still a name: `{"run_id": 1}`, `"run-id": string`, `resp["run_id"]`.
        if parent_type == "pair" and _is_field(node, "key"):
            return roles.TS_OBJECT_KEY
        if parent_type in _TS_PROPERTY_PARENTS and _is_field(node, "name"):
            return roles.TS_PROPERTY
        if parent_type == "subscript_expression" and _is_field(node, "index"):
            return roles.TS_MEMBER
        return roles.TS_STRING
    if kind in _TS_STRINGS:
        return roles.TS_STRING
    if kind in ("property_identifier", "private_property_identifier"):
        if parent_type in _TS_PROPERTY_PARENTS:
            return roles.TS_PROPERTY
        if parent_type == "member_expression":
            return roles.TS_MEMBER
        if parent_type in _TS_KEY_PARENTS:
            return roles.TS_OBJECT_KEY
        return roles.TS_IDENTIFIER
    if kind == "shorthand_property_identifier":
        return roles.TS_OBJECT_KEY
    if kind in _TS_IDENTIFIERS:
        return roles.TS_IDENTIFIER
    # Anything else: go by the nearest string or comment around it.
    up = node.parent
    while up is not None:
        if up.type in _TS_COMMENTS:
            return roles.TS_COMMENT
        if up.type in ("string", "template_string"):
            return roles.TS_STRING
        up = up.parent
    return roles.TS_IDENTIFIER


def _node_text(node: Node) -> str:
    return _unquote(_decode(node.text or b""))


def _ts_scope_name(node: Node) -> str:
    name = node.child_by_field_name("name")
    if node.type in _TS_NAMED_SCOPES:
        return _node_text(name) if name is not None else ""
    if node.type not in _TS_ANONYMOUS:
        return ""
    if name is not None:
        return _node_text(name)
    # An anonymous function or class takes the name it is bound to:
    # `const f = () => ...`, `const h = useCallback(() => ..., [])`, `{ onRun: () => ... }`.
    holder = node.parent
    while holder is not None and holder.type in _TS_WRAPPERS:
        holder = holder.parent
    if holder is None:
        return ""
    if holder.type in ("variable_declarator", "public_field_definition"):
        bound = holder.child_by_field_name("name")
        return _node_text(bound) if bound is not None and bound.child_count == 0 else ""
    if holder.type == "pair":
        key = holder.child_by_field_name("key")
        return _node_text(key) if key is not None else ""
    if holder.type == "assignment_expression":
        left = holder.child_by_field_name("left")
        if left is not None and left.type == "member_expression":
            left = left.child_by_field_name("property")
        return _node_text(left) if left is not None and left.child_count == 0 else ""
    return ""


def _ts_symbol(node: Node | None) -> str:
    names = []
    while node is not None:
        name = _ts_scope_name(node)
        if name:
            names.append(name)
        node = node.parent
    return ".".join(reversed(names))


def _ts_owner(start: Node) -> str:
    node = start.parent
    while node is not None:
        if node.type in _TS_OWNERS:
            return _ts_scope_name(node) or _node_text(node.child_by_field_name("name") or node)
        node = node.parent
    return ""


# -- lexed languages (proto, SQL): tokens with a kind, a hit is classified by its token ------
@dataclass
class _Token:
    kind: str
    start: int
    end: int
    text: str
    role: str = ""
    detail: str = ""
    symbol: str = ""
    owner: str = ""


def _lex(pattern: re.Pattern[bytes], data: bytes, pos: int = 0,
         endpos: int | None = None) -> list[_Token]:
    tokens = []
    for m in pattern.finditer(data, pos, len(data) if endpos is None else endpos):
        kind = m.lastgroup or "punct"
        if kind != "space":
            tokens.append(_Token(kind, m.start(), m.end(), _decode(m.group())))
    return tokens


def _token_locator(tokens: list[_Token]) -> Callable[[int, int], _Token | None]:
    starts = [t.start for t in tokens]

    def locate(start: int, end: int) -> _Token | None:
        i = bisect.bisect_right(starts, start) - 1
        if i >= 0 and tokens[i].end >= end:
            return tokens[i]
        return None

    return locate


def _emit_lexed(
    out: _Emitter,
    data: bytes,
    spec: Spec,
    tokens: list[_Token],
    whole_kinds: frozenset[str],
    default_role: str,
) -> None:
    locate = _token_locator(tokens)

    def keep_whole(hit: TokenHit) -> bool:
        tok = locate(hit.start, hit.end)
        return tok is not None and tok.kind in whole_kinds

    for hit in _code_hits(spec, data, keep_whole):
        tok = locate(hit.start, hit.end)
        if tok is None:
            out.add(hit, default_role)
        else:
            out.add(
                hit,
                tok.role or default_role,
                symbol=tok.symbol,
                detail=tok.detail,
                owner=tok.owner,
            )


# -- protobuf ----------------------------------------------------------------------------------
_PROTO_TOKEN = re.compile(
    rb"""
    (?P<space>\s+)
    |(?P<comment>//[^\n]*|/\*.*?(?:\*/|\Z))
    |(?P<string>"(?:[^"\\\n]|\\.)*"?|'(?:[^'\\\n]|\\.)*'?)
    |(?P<ident>\.?[A-Za-z_\x80-\xff][A-Za-z0-9_\x80-\xff]*(?:\.[A-Za-z_\x80-\xff][A-Za-z0-9_\x80-\xff]*)*)
    |(?P<number>-?(?:0[xX][0-9A-Fa-f]+|[0-9][0-9.]*(?:[eE][-+]?[0-9]+)?))
    |(?P<punct>.)
    """,
    re.S | re.X,
)
_PROTO_SCOPES = frozenset({"message", "enum", "service", "extend"})
_PROTO_LABELS = frozenset({"repeated", "optional", "required"})


def _scan_proto(out: _Emitter, data: bytes, spec: Spec) -> None:
    tokens = _lex(_PROTO_TOKEN, data)
    out.parse_error = _proto_structure(tokens)
    for tok in tokens:
        if tok.kind == "comment":
            tok.role = roles.PROTO_COMMENT
        elif tok.kind == "string" and not tok.role:
            tok.role = roles.STRING
        elif not tok.role:
            tok.role = roles.PROTO_FIELD
    package = next((t for t in tokens if t.detail == "package" and t.kind == "ident"), None)
    out.package = package.text if package is not None else ""
    _emit_lexed(out, data, spec, tokens, frozenset({"comment", "string"}), roles.PROTO_FIELD)


def _proto_structure(tokens: list[_Token]) -> bool:
    """Annotate tokens with role, detail, symbol and owner; True if the braces don't balance."""
    stack: list[tuple[str, str]] = []  # (keyword, name)
    stmt: list[_Token] = []
    literal_depth = 0  # braces of an aggregate option value: `option (x) = { a: 1 };`
    broken = False

    def path() -> list[str]:
        return [name for kw, name in stack if kw in _PROTO_SCOPES or kw == "group"]

    for tok in tokens:
        broken |= _unterminated(tok)
        if tok.kind == "comment":
            _mark(tok, roles.PROTO_COMMENT, "", ".".join(path()))
            continue
        text = tok.text
        in_option = bool(stmt) and (stmt[0].text == "option" or any(t.text == "[" for t in stmt))
        if text == "{" and in_option:
            literal_depth += 1
            stmt.append(tok)
        elif text == "}" and literal_depth:
            literal_depth -= 1
            stmt.append(tok)
        elif text == "{":
            stack.append(_proto_header(stmt, path()))
            stmt = []
        elif text == ";":
            _proto_statement(stmt, path(), stack[-1][0] if stack else "")
            stmt = []
        elif text == "}":
            if stmt:
                _proto_statement(stmt, path(), stack[-1][0] if stack else "")
                stmt = []
            if not stack:
                broken = True
            else:
                stack.pop()
        else:
            stmt.append(tok)
    if stmt:
        _proto_statement(stmt, path(), stack[-1][0] if stack else "")
    return broken or bool(stack) or bool(literal_depth)


def _proto_header(stmt: list[_Token], path: list[str]) -> tuple[str, str]:
    """`message X {`, `rpc Get(A) returns (B) {`, `oneof o {`...: mark the names, open a scope."""
    if not stmt:
        return ("", "")
    keyword = stmt[0].text
    if keyword in ("message", "enum", "service") and len(stmt) > 1:
        name = stmt[1]
        _mark(name, roles.PROTO_FIELD, keyword, ".".join([*path, name.text]))
        return (keyword, name.text)
    if keyword == "extend" and len(stmt) > 1:
        _mark(stmt[1], roles.PROTO_FIELD, "type", ".".join(path))
        return ("extend", stmt[1].text)
    if keyword == "oneof" and len(stmt) > 1:
        _mark(stmt[1], roles.PROTO_FIELD, "oneof", ".".join(path), path[-1] if path else "")
        return ("oneof", stmt[1].text)
    if keyword == "rpc":
        return ("rpc", _proto_rpc(stmt, path))
    _proto_statement(stmt, path, "message")
    return ("group" if "group" in (t.text for t in stmt) else "", "")


def _proto_rpc(stmt: list[_Token], path: list[str]) -> str:
    if len(stmt) < 2:
        return ""
    name = stmt[1]
    symbol = ".".join([*path, name.text])
    _mark(name, roles.PROTO_FIELD, "rpc", symbol, path[-1] if path else "")
    for tok in stmt[2:]:
        if tok.kind == "ident" and tok.text not in ("returns", "stream"):
            _mark(tok, roles.PROTO_FIELD, "type", symbol)
    return name.text


def _proto_statement(stmt: list[_Token], path: list[str], scope: str) -> None:
    if not stmt:
        return
    symbol = ".".join(path)
    owner = path[-1] if path else ""
    keyword = stmt[0].text
    if keyword == "package":
        for tok in stmt[1:]:
            _mark(tok, roles.PROTO_FIELD, "package", "")
    elif keyword in ("syntax", "edition", "import"):
        for tok in stmt[1:]:
            _mark(tok, roles.STRING, keyword, "")
    elif keyword == "option":
        _proto_options(stmt[1:], symbol)
    elif keyword == "reserved":
        for tok in stmt[1:]:
            if tok.kind in ("string", "ident"):
                _mark(tok, roles.PROTO_FIELD, "reserved", symbol, owner)
    elif keyword == "rpc":
        _proto_rpc(stmt, path)
    elif scope in ("message", "enum", "extend", "oneof", "group"):
        _proto_field(stmt, symbol, owner)


def _proto_field(stmt: list[_Token], symbol: str, owner: str) -> None:
    """`[label] type name = N [options];`, `map<K, V> name = N;`, `NAME = N;` in an enum."""
    eq = next((i for i, t in enumerate(stmt) if t.text == "="), -1)
    bracket = next((i for i, t in enumerate(stmt) if t.text == "["), len(stmt))
    if eq < 1 or eq > bracket:
        for tok in stmt:
            _mark(tok, roles.PROTO_FIELD, "", symbol, owner)
        return
    number = "".join(t.text for t in stmt[eq + 1 : bracket])
    _mark(stmt[eq - 1], roles.PROTO_FIELD, number, symbol, owner)
    for tok in stmt[: eq - 1]:
        if tok.kind == "ident" and tok.text not in _PROTO_LABELS and tok.text != "map":
            _mark(tok, roles.PROTO_FIELD, "type", symbol)
    _proto_options(stmt[bracket:], symbol)


def _proto_options(tokens: list[_Token], symbol: str) -> None:
    previous: list[str] = []
    for tok in tokens:
        if tok.kind == "string":
            if previous[-2:] == ["json_name", "="]:
                _mark(tok, roles.PROTO_FIELD, "json_name", symbol)
            else:
                _mark(tok, roles.STRING, "option", symbol)
        elif tok.kind == "ident":
            _mark(tok, roles.PROTO_FIELD, "option", symbol)
        previous.append(tok.text)


def _unterminated(tok: _Token) -> bool:
    """A string, quoted name or block comment that runs to the end of the file unclosed."""
    text = tok.text
    if tok.kind == "comment":
        return text.startswith("/*") and (len(text) < 4 or not text.endswith("*/"))
    if tok.kind in ("string", "qident"):
        body = text.lstrip("EeBbXxNn")
        return len(body) < 2 or body[-1] != body[0]
    return False


def _mark(tok: _Token, role: str, detail: str, symbol: str, owner: str = "") -> None:
    tok.role, tok.detail, tok.symbol, tok.owner = role, detail, symbol, owner


# -- SQL ---------------------------------------------------------------------------------------
_SQL_TOKEN = re.compile(
    rb"""
    (?P<space>\s+)
    |(?P<comment>--[^\n]*|/\*.*?(?:\*/|\Z))
    |(?P<dollar>\$(?:[A-Za-z_][A-Za-z0-9_]*)?\$)
    |(?P<string>[EeBbXxNn]?'(?:[^']|'')*'?)
    |(?P<qident>"(?:[^"]|"")*"?|`[^`]*`?)
    |(?P<word>[A-Za-z_\x80-\xff][A-Za-z0-9_$\x80-\xff]*)
    |(?P<number>[0-9][0-9.]*)
    |(?P<punct>.)
    """,
    re.S | re.X,
)
_SQL_MODIFIERS = frozenset(
    {"OR", "REPLACE", "UNIQUE", "TEMP", "TEMPORARY", "UNLOGGED", "MATERIALIZED", "GLOBAL",
     "LOCAL", "RECURSIVE", "IF", "NOT", "EXISTS", "ONLY", "CONCURRENTLY"}
)


# The rows a dump's `COPY t (a, b) FROM stdin;` is followed by, up to the line `\.`: data, not
# SQL (tab-separated values: `Environments for postgres`), one token of kind `data` (with `\.`).
_SQL_COPY_DATA = re.compile(
    rb"^[ \t]*COPY\b[^;]*?\bFROM\s+stdin\b[^;]*;[^\n]*\n(.*?^\\\.)[ \t]*\r?$",
    re.I | re.M | re.S)


def _scan_sql(out: _Emitter, data: bytes, spec: Spec) -> None:
    tokens = _sql_tokens(data)
    stmt: list[_Token] = []
    for tok in [*tokens, None]:
        if tok is None or (tok.kind == "punct" and tok.text == ";") or tok.kind == "data":
            _sql_statement(stmt)
            stmt = []
        else:
            stmt.append(tok)
        if tok is not None and tok.kind == "data":
            _mark(tok, roles.STRING, "COPY data", "")
    _sql_routines([t for t in tokens if t.kind not in ("comment", "data")])
    out.parse_error = any(_unterminated(t) for t in tokens)
    _emit_lexed(out, data, spec, tokens, frozenset({"comment", "string", "qident", "data"}),
                roles.SQL_FILE)


def _sql_tokens(data: bytes) -> list[_Token]:
    """A SQL file's tokens, each ``COPY ... FROM stdin`` data block one ``data`` token (lexed
    apart, a quote in the data would run into the SQL after it)."""
    tokens: list[_Token] = []
    pos = 0
    for m in _SQL_COPY_DATA.finditer(data):
        tokens += _lex(_SQL_TOKEN, data, pos, m.start(1))
        if m.end(1) > m.start(1):
            tokens.append(_Token("data", m.start(1), m.end(1), _decode(m.group(1))))
        pos = m.end(1)
    return tokens + _lex(_SQL_TOKEN, data, pos)


def _sql_statement(stmt: list[_Token]) -> None:
    verb, table = _sql_verb_and_table(stmt)
    for tok in stmt:
        if tok.kind == "comment":
            _mark(tok, roles.SQL_COMMENT, "", table)
        elif tok.kind == "string":
            _mark(tok, roles.STRING, verb, table)
        else:
            _mark(tok, roles.SQL_FILE, verb, table)


def _sql_verb_and_table(stmt: list[_Token]) -> tuple[str, str]:
    code = [t for t in stmt if t.kind not in ("comment", "dollar")]
    words = [t.text.upper() if t.kind == "word" else "" for t in code]
    if not words or not words[0]:
        return "", ""
    first = words[0]
    verb, i = first, 1
    if first in ("CREATE", "ALTER", "DROP"):
        while i < len(words) and words[i] in _SQL_MODIFIERS:
            i += 1
        if i < len(words):
            verb = f"{first} {words[i]}"
            i += 1
        if verb.endswith(" INDEX") and "ON" in words[i:]:
            i = words.index("ON", i) + 1
    elif first == "COMMENT" and len(words) > 2:
        i = 3
    elif first in ("INSERT", "DELETE", "SELECT", "WITH"):
        target = "INTO" if first == "INSERT" else "FROM"
        i = words.index(target, 1) + 1 if target in words else len(words)
    while i < len(words) and words[i] in _SQL_MODIFIERS:
        i += 1
    name = _sql_name(code, i)
    if first == "COMMENT" and len(words) > 2 and words[2] == "COLUMN":
        name = name.rpartition(".")[0]
    return verb, name


def _sql_name(code: list[_Token], i: int) -> str:
    """A possibly schema-qualified name starting at code[i]: `public.runs`, `"Runs"`."""
    parts = []
    while i < len(code) and code[i].kind in ("word", "qident"):
        parts.append(_unquote(code[i].text))
        if i + 1 < len(code) and code[i + 1].text == ".":
            i += 2
        else:
            break
    return ".".join(parts)


# A function or procedure's own names: its parameters (in its signature, as ``CREATE`` and
# ``DROP`` spell it) and the variables its body declares are code, not columns. They are marked
# ``sql_variable`` wherever the routine spells them, so that no column migration is proposed
# for them. The body is what a dollar quote holds (PL/pgSQL: ``AS $$ ... $$``), else a
# ``BEGIN ... END`` block (MySQL, and ``BEGIN ATOMIC`` in PostgreSQL).
_SQL_ROUTINES = frozenset({"FUNCTION", "PROCEDURE"})
_SQL_ROUTINE_VERBS = frozenset({"CREATE", "DROP", "ALTER", "COMMENT", "GRANT", "REVOKE"})
_SQL_PARAM_MODES = frozenset({"IN", "OUT", "INOUT", "VARIADIC"})
_SQL_BLOCK_ENDS = frozenset({"IF", "LOOP", "WHILE", "REPEAT"})  # END IF ... closes no BEGIN
_SQL_HANDLERS = frozenset({"CONTINUE", "EXIT", "UNDO"})  # DECLARE CONTINUE HANDLER FOR ...


def _upper(tok: _Token) -> str:
    return tok.text.upper() if tok.kind == "word" else ""


def _sql_routines(code: list[_Token]) -> None:
    """Mark the parameters and declared variables of each routine ``code`` (a ``.sql`` file's
    tokens without comments) defines or drops, and their uses in its body, ``sql_variable``
    (``detail`` ``parameter`` or ``variable``, ``symbol`` the routine's name)."""
    i = 0
    while i < len(code):
        if _upper(code[i]) in _SQL_ROUTINES and _starts_routine_statement(code, i):
            i = _sql_routine(code, i + 1)
        else:
            i += 1


def _starts_routine_statement(code: list[_Token], i: int) -> bool:
    """Whether the FUNCTION or PROCEDURE at ``code[i]`` names the routine a statement is about
    (``CREATE OR REPLACE FUNCTION``, MySQL's ``CREATE DEFINER=x PROCEDURE``, ``DROP``, ``GRANT
    EXECUTE ON FUNCTION``), not one a trigger calls (``EXECUTE PROCEDURE f()``)."""
    start = i
    while start > 0 and code[start - 1].text != ";" and code[start - 1].kind != "dollar":
        start -= 1
    if _upper(code[start]) == "DELIMITER" and start + 2 < i:  # `DELIMITER //` before it
        start += 2
        while start < i and code[start].start == code[start - 1].end:
            start += 1
    return _upper(code[start]) in _SQL_ROUTINE_VERBS and _upper(code[i - 1]) != "EXECUTE"


def _sql_routine(code: list[_Token], i: int) -> int:
    """Read one routine from its name at ``code[i]``: mark its names; the index after it."""
    while i < len(code) and _upper(code[i]) in _SQL_MODIFIERS:  # DROP FUNCTION IF EXISTS f
        i += 1
    routine = _sql_name(code, i)
    while i < len(code) and code[i].text != "(" and code[i].text != ";":
        i += 1
    if i >= len(code) or code[i].text != "(":
        return i
    close = _closing_paren(code, i)
    names = dict.fromkeys(_parameter_names(code[i + 1 : close]), "parameter")
    body = _routine_body(code, close + 1)
    if body is not None:
        section = code[body[0] - 1].kind == "dollar"
        for name in _declared_names(code[body[0] : body[1]], section):
            names.setdefault(name, "variable")
    end = body[1] if body is not None else close + 1
    for j in range(i, end):
        tok = code[j]
        kind = names.get(_sql_key(tok)) if tok.kind in ("word", "qident") else None
        if kind is not None and code[j - 1].text != ".":
            _mark(tok, roles.SQL_VARIABLE, kind, routine)
    return end


def _sql_key(tok: _Token) -> str:
    """The name a word or quoted name spells: SQL folds an unquoted one's case, not a quoted."""
    return _unquote(tok.text) if tok.kind == "qident" else tok.text.lower()


def _closing_paren(code: list[_Token], i: int) -> int:
    """The index of the ``)`` that closes the ``(`` at ``code[i]`` (the last token if none)."""
    depth = 0
    for j in range(i, len(code)):
        depth += (code[j].text == "(") - (code[j].text == ")")
        if depth == 0:
            return j
    return len(code) - 1


def _parameter_names(params: list[_Token]) -> list[str]:
    """The names of a signature's parameters (as :func:`_sql_key` spells them): of each
    ``[mode] name type [DEFAULT x]``, the word before the type; none for a bare type
    (``DROP FUNCTION f(uuid, text)``)."""
    out = []
    for param in _split_top_level(params):
        words = [t for t in param if t.kind in ("word", "qident")]
        if words and _upper(words[0]) in _SQL_PARAM_MODES and len(words) > 2:
            words = words[1:]
        if len(words) >= 2 and param.index(words[1]) == param.index(words[0]) + 1:
            out.append(_sql_key(words[0]))
    return out


def _split_top_level(tokens: list[_Token]) -> list[list[_Token]]:
    """``tokens`` split at the commas outside parentheses (``numeric(10, 2)`` stays whole)."""
    parts: list[list[_Token]] = [[]]
    depth = 0
    for tok in tokens:
        depth += (tok.text == "(") - (tok.text == ")")
        if tok.text == "," and depth == 0:
            parts.append([])
        else:
            parts[-1].append(tok)
    return [p for p in parts if p]


def _routine_body(code: list[_Token], i: int) -> tuple[int, int] | None:
    """(first, end) indices of the body of a routine whose signature ends before ``code[i]``:
    inside the first dollar quote, else the first ``BEGIN ... END`` block, before the
    statement ends; None for a routine without one (``DROP``, a body in a quoted string)."""
    for j in range(i, len(code)):
        tok = code[j]
        if tok.text == ";":
            return None
        if tok.kind == "dollar":
            end = next((k for k in range(j + 1, len(code)) if code[k].text == tok.text),
                       len(code))
            return j + 1, end
        if _upper(tok) == "BEGIN":
            return j, _block_end(code, j)
    return None


def _block_end(code: list[_Token], begin: int) -> int:
    """The index after the ``END`` that closes the ``BEGIN`` at ``code[begin]`` (``CASE`` opens
    a block its ``END`` or ``END CASE`` closes; ``END IF``, ``END LOOP``... close none)."""
    depth = 0
    j = begin
    while j < len(code):
        word = _upper(code[j])
        following = _upper(code[j + 1]) if j + 1 < len(code) else ""
        if word in ("BEGIN", "CASE"):
            depth += 1
        elif word == "END" and following not in _SQL_BLOCK_ENDS:
            depth -= 1
            j += following == "CASE"  # END CASE: the CASE is no new block
            if depth == 0:
                return j + 1
        j += 1
    return len(code)


def _declared_names(body: list[_Token], section: bool) -> list[str]:
    """The variables a routine's body declares (as :func:`_sql_key` spells them): with
    ``section`` (a PL/pgSQL body), each ``DECLARE`` opens a section of ``name type ...;``
    declarations that runs until ``BEGIN``; else (MySQL) each ``DECLARE a, b INT ...;`` is one
    statement, and a handler's (``DECLARE CONTINUE HANDLER FOR ...``) declares no name."""
    out: list[str] = []
    i = 0
    while i < len(body):
        if _upper(body[i]) != "DECLARE":
            i += 1
            continue
        i += 1
        while i < len(body) and _upper(body[i]) not in ("BEGIN", "DECLARE"):
            out += _declaration_names(body[i:])
            while i < len(body) and body[i].text != ";":
                i += 1
            i += 1
            if not section:
                break
    return out


def _declaration_names(decl: list[_Token]) -> list[str]:
    """The names one declaration starts with: ``a, b INT``, ``u_id bigint``, ``c CURSOR``."""
    if not decl or _upper(decl[0]) in _SQL_HANDLERS:
        return []
    out = []
    i = 0
    while i < len(decl) and decl[i].kind in ("word", "qident"):
        out.append(_sql_key(decl[i]))
        if i + 1 < len(decl) and decl[i + 1].text == ",":
            i += 2
        else:
            break
    return out


# -- Markdown ----------------------------------------------------------------------------------
_MD_FENCE = re.compile(rb"^ {0,3}(`{3,}|~{3,})")
_MD_HEADING = re.compile(rb"^ {0,3}#{1,6}(?:[ \t]+(.*?))?[ \t#]*$")
_MD_CODE_SPAN = re.compile(rb"(`+)(?!`)(.+?)(?<!`)\1(?!`)")


def _lines(data: bytes) -> Iterator[tuple[int, bytes]]:
    """(offset, line without its end of line) for every line."""
    pos = 0
    for raw in data.split(b"\n"):
        yield pos, raw.removesuffix(b"\r")
        pos += len(raw) + 1


def _scan_markdown(out: _Emitter, data: bytes, spec: Spec) -> None:
    regions: list[tuple[int, int, str, str]] = []  # (start, end, detail, heading)
    heading = ""
    fence = b""
    for start, line in _lines(data):
        end = start + len(line)
        if fence:
            regions.append((start, end, "code", heading))
            stripped = line.strip()
            if stripped.startswith(fence) and not stripped.strip(fence[:1]):
                fence = b""
            continue
        m = _MD_FENCE.match(line)
        if m:
            fence = m.group(1)
            regions.append((start, end, "code", heading))
            continue
        m = _MD_HEADING.match(line)
        if m:
            heading = _decode((m.group(1) or b"").strip())
            regions.append((start, end, "heading", heading))
            continue
        pos = start
        for span in _MD_CODE_SPAN.finditer(line):
            regions.append((pos, start + span.start(), "", heading))
            regions.append((start + span.start(), start + span.end(), "code", heading))
            pos = start + span.end()
        regions.append((pos, end, "", heading))
    starts = [r[0] for r in regions]
    for hit in spec.find(data, prose=True):
        i = max(0, bisect.bisect_right(starts, hit.start) - 1)
        _, _, detail, section = regions[i] if regions else (0, 0, "", "")
        if " " in hit.token:  # the term's words apart (`the run ID`): prose, not code
            if detail == "code":
                continue
            detail = roles.PROSE
        out.add(hit, roles.DOC_TEXT, symbol=section, detail=detail)


# -- YAML (line based) -------------------------------------------------------------------------
_YAML_LINE = re.compile(
    rb"""^(?P<indent>[ \t]*)(?P<dash>(?:-(?:[ \t]+|$))*)
    (?:(?P<key>"(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|(?:[^\s\#'"{}\[\],&*!|>%@`-]|-(?=\S))[^\#\r\n]*?)
       [ \t]*:(?=[ \t]|$))?""",
    re.X,
)
_YAML_BLOCK_SCALAR = re.compile(rb"^[|>][0-9+-]*$")
_FLOW_KEY_AFTER = re.compile(rb"""["']?[ \t]*:(?:[ \t,}]|$)""")


def _yaml_comment_start(line: bytes) -> int:
    """Offset of a `#` comment in one line, or len(line): `#` opens a comment at the start or
    after whitespace, outside quotes (a quote only opens at the start of a scalar)."""
    quote = 0
    for i, ch in enumerate(line):
        if quote:
            if ch == quote:
                quote = 0
        elif ch in b"\"'" and (i == 0 or line[i - 1] in b" \t:[{,-"):
            quote = ch
        elif ch == ord("#") and (i == 0 or line[i - 1] in b" \t"):
            return i
    return len(line)


def _scan_yaml(out: _Emitter, data: bytes, spec: Spec) -> None:
    # (start, end, role, symbol) for each part of each line
    regions: list[tuple[int, int, str, str]] = []
    stack: list[tuple[int, str]] = []  # (column, key)
    block_parent = -1  # inside a block scalar whose parent sits at this column
    block_symbol = ""
    for start, line in _lines(data):
        end = start + len(line)
        indent = len(line) - len(line.lstrip(b" \t"))
        if block_parent >= 0:
            if not line.strip() or indent > block_parent:
                regions.append((start, end, roles.CONFIG_VALUE, block_symbol))
                continue
            block_parent = -1
        if line.rstrip() in (b"---", b"...") or line.startswith(b"--- "):
            stack = []
            regions.append((start, end, roles.CONFIG_VALUE, ""))
            continue
        cut = _yaml_comment_start(line)
        m = _YAML_LINE.match(line[:cut])
        assert m is not None  # every group is optional
        column = m.end("dash")
        if m.group("key") is not None:
            key = _unquote(_decode(m.group("key").strip()))
            while stack and stack[-1][0] >= column:
                stack.pop()
            stack.append((column, key))
            symbol = ".".join(k for _, k in stack)
            regions.append((start, start + m.end(), roles.CONFIG_KEY, symbol))
            value_start = m.end()
        else:
            while stack and stack[-1][0] >= column and line[:cut].strip():
                stack.pop()
            symbol = ".".join(k for _, k in stack)
            value_start = 0
        regions.append((start + value_start, start + cut, roles.CONFIG_VALUE, symbol))
        if cut < len(line):
            regions.append((start + cut, end, roles.CONFIG_COMMENT, symbol))
        if _YAML_BLOCK_SCALAR.match(line[value_start:cut].strip()):
            block_parent = column if m.group("key") is not None else len(m.group("indent"))
            block_symbol = symbol
    _emit_config_regions(out, data, spec, regions, _FLOW_KEY_AFTER)


def _emit_config_regions(out: _Emitter, data: bytes, spec: Spec,
                         regions: list[tuple[int, int, str, str]],
                         key_after: re.Pattern[bytes]) -> None:
    """Each family token with the role and symbol of the region (start, end, role, symbol) it
    stands in; in a value, a key of an inline mapping (``key_after``: what follows a key) is a
    key."""
    starts = [r[0] for r in regions]
    for hit in spec.find(data):
        i = max(0, bisect.bisect_right(starts, hit.start) - 1)
        _, _, role, symbol = regions[i] if regions else (0, 0, roles.CONFIG_VALUE, "")
        if role == roles.CONFIG_VALUE and _inline_key(data, hit, key_after):
            role = roles.CONFIG_KEY
        out.add(hit, role, symbol=symbol)


def _inline_key(data: bytes, hit: TokenHit, after: re.Pattern[bytes]) -> bool:
    """A key inside a flow mapping on a value: `labels: {run_id: x}` (``after``: what follows
    a key, YAML's `:`, TOML's `=`)."""
    line_start = data.rfind(b"\n", 0, hit.start) + 1
    before = data[line_start : hit.start].rstrip(b" \t\"'")
    return (
        b"{" in before
        and before[-1:] in (b"{", b",")
        and bool(after.match(data, hit.end))
    )


# -- JSON (and JSON with comments) ------------------------------------------------------------
_JSON_TOKEN = re.compile(
    rb"""
    (?P<space>\s+)
    |(?P<comment>//[^\n]*|/\*.*?(?:\*/|\Z))
    |(?P<string>"(?:[^"\\\n]|\\.)*"?)
    |(?P<punct>[{}\[\]:,])
    |(?P<bare>[^\s{}\[\]:,"/]+|/)
    """,
    re.S | re.X,
)


def _scan_json(out: _Emitter, data: bytes, spec: Spec) -> None:
    tokens = _lex(_JSON_TOKEN, data)
    stack: list[list[str]] = []  # per container: [kind "{"/"[", expecting "key"/"value", key]
    broken = False
    for tok in tokens:
        path = ".".join(c[2] for c in stack if c[0] == "{" and c[2])
        top = stack[-1] if stack else None
        if tok.kind == "comment":
            _mark(tok, roles.CONFIG_COMMENT, "", path)
            broken |= _unterminated(tok)
        elif tok.text in ("{", "["):
            stack.append([tok.text, "key" if tok.text == "{" else "value", ""])
        elif tok.text in ("}", "]"):
            if not stack or stack[-1][0] != ("{" if tok.text == "}" else "["):
                broken = True
            else:
                stack.pop()
        elif tok.text == ",":
            if top is not None and top[0] == "{":
                top[1] = "key"
        elif tok.text == ":":
            if top is not None and top[0] == "{":
                top[1] = "value"
        elif top is not None and top[0] == "{" and top[1] == "key":
            top[2] = _unquote(tok.text)
            path = ".".join(c[2] for c in stack if c[0] == "{" and c[2])
            _mark(tok, roles.CONFIG_KEY, "", path)
            broken |= tok.kind != "string"
        else:
            _mark(tok, roles.CONFIG_VALUE, "", path)
            broken |= _unterminated(tok)
    out.parse_error = broken or bool(stack)
    _emit_lexed(
        out, data, spec, tokens, frozenset({"comment", "string", "bare"}), roles.CONFIG_VALUE
    )


# -- TOML, INI and .env files --------------------------------------------------------------------
_KV_SECTION = re.compile(rb"[ \t]*\[\[?(?P<name>[^\]\n]*)\]\]?")
_KV_KEY = re.compile(
    rb"""[ \t]*(?:export[ \t]+)?(?P<key>(?:"[^"\n]*"|'[^'\n]*'|[A-Za-z0-9_\-]+)"""
    rb"""(?:[ \t]*\.[ \t]*(?:"[^"\n]*"|'[^'\n]*'|[A-Za-z0-9_\-]+))*)[ \t]*(?:=|:(?!:))""")
_KV_INLINE_KEY_AFTER = re.compile(rb"""["']?[ \t]*=""")


def _kv_value_end(line: bytes, start: int, state: list[bytes]) -> int:
    """Where the value that begins at ``start`` ends (a ``#`` comment, or the line's end),
    keeping ``state`` (the open multi-line string's delimiter, then one ``[``/``{`` per open
    bracket) across lines."""
    i = start
    while i < len(line):
        if state and state[0] in (b'"""', b"'''"):
            close = line.find(state[0], i)
            if close < 0:
                return len(line)
            state.pop(0)
            i = close + 3
            continue
        ch = line[i : i + 1]
        if line.startswith((b'"""', b"'''"), i):
            state.insert(0, line[i : i + 3])
            i += 3
        elif ch in (b'"', b"'"):
            close = i + 1
            while close < len(line) and line[close : close + 1] != ch:
                close += 2 if ch == b'"' and line[close : close + 1] == b"\\" else 1
            i = close + 1
        elif ch == b"#":
            return i
        else:
            if ch in (b"[", b"{"):
                state.append(ch)
            elif ch in (b"]", b"}") and state and state[-1] in (b"[", b"{"):
                state.pop()
            i += 1
    return len(line)


def _scan_keyvalue(out: _Emitter, data: bytes, spec: Spec) -> None:
    """TOML, INI and .env: a ``[section]`` header and a key are ``config_key`` (symbol: the
    dotted path), what follows ``=`` (or an INI ``:``) is ``config_value`` (multi-line strings
    and arrays included), ``#`` (and an INI line's ``;``) starts a comment. A key of an inline
    table (``labels = { run_id = 1 }``) is a key."""
    regions: list[tuple[int, int, str, str]] = []  # (start, end, role, symbol)
    section = symbol = ""
    state: list[bytes] = []  # open multi-line string and brackets, across lines
    for start, line in _lines(data):
        end = start + len(line)
        if state:  # the value of the key above goes on
            cut = _kv_value_end(line, 0, state)
            regions.append((start, start + cut, roles.CONFIG_VALUE, symbol))
            if cut < len(line):
                regions.append((start + cut, end, roles.CONFIG_COMMENT, symbol))
            continue
        stripped = line.lstrip(b" \t")
        if stripped.startswith((b"#", b";")):
            regions.append((start, end, roles.CONFIG_COMMENT, section))
            continue
        header = _KV_SECTION.match(line)
        key = None if header is not None else _KV_KEY.match(line)
        if header is not None:
            section = _kv_path(header.group("name"))
            regions.append((start, start + header.end(), roles.CONFIG_KEY, section))
            value_start = header.end()
            symbol = section
        elif key is not None:
            symbol = ".".join(p for p in (section, _kv_path(key.group("key"))) if p)
            regions.append((start, start + key.end(), roles.CONFIG_KEY, symbol))
            value_start = key.end()
        else:
            symbol, value_start = section, 0
        cut = _kv_value_end(line, value_start, state) if header is None else value_start
        regions.append((start + value_start, start + cut, roles.CONFIG_VALUE, symbol))
        if cut < len(line):
            regions.append((start + cut, end, roles.CONFIG_COMMENT, symbol))
    _emit_config_regions(out, data, spec, regions, _KV_INLINE_KEY_AFTER)


def _kv_path(key: bytes) -> str:
    """``a."run id".b`` -> ``a.run id.b``."""
    parts = re.findall(rb""""[^"\n]*"|'[^'\n]*'|[^.\s]+""", key)
    return ".".join(_unquote(_decode(p)) for p in parts)


# -- Go templates (and HTML, which a Go server's templates usually are) -------------------------
def _scan_template(out: _Emitter, data: bytes, spec: Spec) -> None:
    from idrename.gotemplate import Reference, Template, delims_around

    template = Template(data)
    others: dict[tuple[bytes, bytes], Template] = {}  # by Delims, lexed when first met

    def reference(hit: TokenHit) -> Reference | None:
        ref = template.reference(hit.start, hit.end)
        if ref is None and (pair := delims_around(data, hit.start, hit.end)) is not None:
            # `[[ .RunID ]]`: an action of a template whose Delims are other than {{ }}
            other = others.get(pair)
            if other is None:
                other = others[pair] = Template(data, pair)
            ref = other.reference(hit.start, hit.end)
        return ref

    def whole(hit: TokenHit) -> bool:  # in the text, or a comment or a string of an action
        ref = reference(hit)
        return ref is None or ref.role in (roles.TEMPLATE_COMMENT, roles.TEMPLATE_STRING)

    for hit in _code_hits(spec, data, whole):
        ref = reference(hit)
        if ref is None:
            out.add(hit, roles.TEMPLATE_TEXT, symbol=template.template_at(hit.start))
        else:
            out.add(hit, ref.role, symbol=ref.template, owner=ref.owner)


_SCANNERS: dict[str, Callable[[_Emitter, bytes, Spec], None]] = {
    "proto": _scan_proto,
    "sql": _scan_sql,
    "markdown": _scan_markdown,
    "yaml": _scan_yaml,
    "json": _scan_json,
    "gotemplate": _scan_template,
    "keyvalue": _scan_keyvalue,
}
