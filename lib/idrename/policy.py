"""The naming policy: decisions as data, read from a TOML file a reviewer can read and diff.

A policy names the term pair (``[rename]``), the decision per role (``[defaults]``), the report
sections (``[sections]``), what the inventory skips (``[inventory]``), homonyms (``[[exclude]]``),
scoped rules (``[[rule]]``, first match wins), one-occurrence overrides (``[[override]]``) and the
compatibility strategy per wire contract (``[[contract]]``). ``idrename.decisions`` joins it to
the inventory.

Every problem in a policy file is a :class:`PolicyError` whose text is one line,
``<file>:<line>: <key>: <what is wrong>; <what to do>``. Keys are written as in the file, with
arrays of tables counted from 1 in file order (``rule[2].decision``); ``decided_by`` uses the same
numbers (``rule:2``).

Match values (``path``, ``symbol``, ``text``, ... in rules; ``path``/``symbol`` in excludes and
contracts) are shell-style globs (``fnmatch``, case-sensitive, ``*`` also crosses ``/``), or
``re:<regex>`` for a regular expression that must match the whole value. An exclude's ``text`` is
an exact token or ``re:<regex>``.
"""

from __future__ import annotations

import fnmatch
import json
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from idrename import roles
from idrename.spec import Spec, split_words

if TYPE_CHECKING:
    from idrename.transforms import InferenceWiring

DECISIONS = (
    "rename", "keep", "dual", "accept-both", "hard-cut", "ignore", "review", "migrate",
    "drop-legacy",
)
# Decisions whose occurrence ends up spelled with the new term.
RENAMING_DECISIONS = frozenset({"rename", "dual", "accept-both", "hard-cut", "drop-legacy"})
# decided_by of a spelling of a name read from outside the program (a flag, an environment
# variable) that keeps with it: no wire contract of the code's
EXTERNAL_SPELLING = "external-spelling"
STRATEGIES = ("keep-legacy", "dual-emit", "accept-both", "hard-cut", "migrate", "drop-legacy")
# What a [[contract]] may name as its kind: a wire role, a struct tag key with `_tag`, `proto`, or
# `field_name`.
CONTRACT_KINDS = frozenset(
    set(roles.WIRE_ROLES) | {f"{key}_tag" for key in roles.WIRE_TAG_KEYS} | {"proto"}
    | {"field_name"}  # an untagged field on the wire by its Go name (idrename.wirefields)
)
RULE_MATCH_KEYS = ("path", "symbol", "text", "package", "owner", "root", "language", "detail")
DEFAULT_SKIP = (".git", "vendor", "node_modules")
GO_KEYWORDS = frozenset(
    "break case chan const continue default defer else fallthrough for func go goto if import "
    "interface map package range return select struct switch type var".split()
)


def _builtin_defaults() -> dict[str, str]:
    out = {role: "keep" for role in roles.ALL_ROLES}  # TS, proto, sql files, docs, config
    out.update({role: "rename" for role in roles.GO_IDENTIFIER_ROLES})
    out.update({roles.DOC_COMMENT: "rename", roles.COMMENT: "rename", roles.MESSAGE: "rename"})
    for role in (roles.STRING, roles.STRUCT_TAG, roles.MAP_KEY, roles.LOG_KEY, roles.QUERY_PARAM,
                 roles.HTTP_HEADER, roles.UNPARSED, roles.EXAMPLE_OUTPUT, roles.SQL_VARIABLE):
        out[role] = "review"
    out[roles.SQL] = "keep"
    # A template's reference follows the Go name it reads (decisions._follow_templates); its
    # variables and comments are its own; its text is written out as is.
    out[roles.MEMBER_NAME] = "review"  # follows the member it names, as templates do
    out[roles.PATH_PARAM] = "rename"  # with the route's other spellings (decisions)
    out[roles.EXTERNAL_NAME] = "keep"  # set by deployments and scripts
    out[roles.DB_FIELD] = "keep"  # stored: changes with the data, as SQL's columns do
    out[roles.METRIC_NAME] = "keep"  # stored by the metrics backend; dashboards select on it
    out[roles.COOKIE_NAME] = "keep"  # browsers hold the cookies set under it
    out[roles.IMPORT_PATH] = "keep"  # names a folder and a module, which the patch never moves
    out[roles.JSON_TEXT] = "review"  # follows the JSON contracts of its key (compat)
    out[roles.XML_TEXT] = "review"  # follows the xml tags of its name (xmltexts)
    out[roles.PATH_SEGMENT] = "keep"  # a URL's or a file's path: clients and files hold it
    out[roles.EXTERNAL_URL] = "keep"  # another host serves it under this name
    out.update({roles.TEMPLATE_FIELD: "review", roles.TEMPLATE_FUNC: "review",
                roles.TEMPLATE_STRING: "review", roles.TEMPLATE_VARIABLE: "rename",
                roles.TEMPLATE_FUNC_DECL: "rename",
                roles.TEMPLATE_COMMENT: "rename", roles.TEMPLATE_TEXT: "keep"})
    return dict(sorted(out.items()))


BUILTIN_DEFAULTS: Mapping[str, str] = MappingProxyType(_builtin_defaults())


class PolicyError(ValueError):
    """A problem in a policy, located in its file: ``<file>:<line>: <key>: <problem>; <fix>``."""

    def __init__(self, file: str | os.PathLike[str], line: int, key: str, problem: str,
                 fix: str) -> None:
        self.file = str(file)
        self.line = line
        self.key = key
        self.problem = problem
        self.fix = fix
        super().__init__(str(self))

    def __str__(self) -> str:
        text = f"{self.file}:{self.line}: {self.key}: {self.problem}; {self.fix}"
        return " ".join(text.splitlines())

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.file, self.line, self.key, self.problem, self.fix))


# -- the policy ------------------------------------------------------------------------------


def match_value(pattern: str, value: str) -> bool:
    """A glob (``fnmatch``, case-sensitive) or ``re:<regex>`` (whole value) against ``value``."""
    if pattern.startswith("re:"):
        return re.fullmatch(pattern[3:], value) is not None
    return fnmatch.fnmatchcase(value, pattern)


def row_value(row: Mapping[str, Any], key: str) -> str:
    """A cell of an inventory row as text ("" when missing, None or NaN)."""
    value = row.get(key)
    if value.__class__ is str:  # the common case, first
        return value  # type: ignore[no-any-return]
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return str(value)


def package_key(row: Mapping[str, Any]) -> tuple[str, str, str, str]:
    """(root, folder, package, name) of a row: a package-level declaration and the bare uses
    that can name it share it."""
    return (row_value(row, "root"), row_value(row, "path").rpartition("/")[0],
            row_value(row, "package"), row_value(row, "text"))


def classified_role(row: Mapping[str, Any]) -> str:
    """The role of a row as the classifier saw it: for an ``unparsed`` Go row, the role its
    ``detail`` keeps (``var_decl``, ``var_decl (in error region)``), else its role."""
    role = row_value(row, "role")
    if role != roles.UNPARSED or row_value(row, "language") not in ("go", ""):
        return role
    return row_value(row, "detail").split(" ", 1)[0]


def case_only(old: str, new: str) -> bool:
    """Whether two different terms have the same words but for their case (``Len`` and
    ``len``, ``RunID`` and ``RunId``): renaming keeps each name's own case style, so such a
    pair renames nothing."""
    return old != new and _lower_words(old) == _lower_words(new)


def _lower_words(term: str) -> list[str]:
    return [w.text.lower() for w in split_words(term)]


def set_decision(values: dict[str, list[Any]], i: int, decision: str, rationale: str,
                 decided_by: str, target: str) -> None:
    """Set row ``i``'s decision columns in ``values`` (the decided frame's columns as lists,
    as the passes after the strategies change them), clearing its suggestion."""
    values["decision"][i] = decision
    values["rationale"][i] = rationale
    values["decided_by"][i] = decided_by
    values["target"][i] = target
    if "suggestion" in values:
        values["suggestion"][i] = ""


def row_flag(row: Mapping[str, Any], key: str) -> bool:
    """A boolean cell of an inventory row (False when missing, None or NaN)."""
    return flag_value(row.get(key))


def flag_value(value: Any) -> bool:
    """A boolean cell's value (False for None or NaN)."""
    if value is None or (isinstance(value, float) and value != value):
        return False
    return bool(value)


@dataclass(frozen=True)
class Exclude:
    """A homonym: tokens that are never family members for this rename (decision ``ignore``)."""

    index: int
    text: str
    rationale: str
    path: str | None = None
    symbol: str | None = None
    line: int = 0

    def matches(self, row: Mapping[str, Any]) -> bool:
        text = row_value(row, "text")
        if self.text.startswith("re:"):
            if re.fullmatch(self.text[3:], text) is None:
                return False
        elif text != self.text:
            return False
        if self.path is not None and not match_value(self.path, row_value(row, "path")):
            return False
        return self.symbol is None or match_value(self.symbol, row_value(row, "symbol"))


@dataclass(frozen=True)
class Rule:
    """A scoped decision: every given field must match; the first matching rule wins."""

    index: int
    decision: str
    rationale: str
    roles: tuple[str, ...] = ()
    match: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    is_test: bool | None = None
    target: str | None = None
    line: int = 0

    def matches(self, row: Mapping[str, Any]) -> bool:
        if self.roles and row_value(row, "role") not in self.roles:
            return False
        if self.is_test is not None and row_flag(row, "is_test") != self.is_test:
            return False
        for key, patterns in self.match.items():
            value = row_value(row, key)
            if not any(match_value(p, value) for p in patterns):
                return False
        return True


@dataclass(frozen=True)
class Override:
    """A decision for one occurrence, by the inventory's stable id (``path`` guards it)."""

    index: int
    id: str
    decision: str
    rationale: str
    path: str | None = None
    target: str | None = None
    line: int = 0

    def matches(self, row: Mapping[str, Any]) -> bool:
        if row_value(row, "id") != self.id:
            return False
        return self.path is None or match_value(self.path, row_value(row, "path"))


@dataclass(frozen=True)
class Contract:
    """The compatibility strategy for one wire name (optionally of one kind, path, owner)."""

    index: int
    wire: str
    strategy: str
    rationale: str
    kind: str | None = None
    path: str | None = None
    owner: str | None = None
    line: int = 0

    def applies_to(self, *, wire: str, kind: str | None = None, path: str | None = None,
                   owner: str | None = None) -> bool:
        if wire != self.wire:
            return False
        if self.kind is not None and kind is not None and kind != self.kind:
            return False
        if self.path is not None and not match_value(self.path, path or ""):
            return False
        return self.owner is None or match_value(self.owner, owner or "")


@dataclass
class Policy:
    """A loaded, validated policy."""

    path: Path | None
    spec: Spec
    defaults: dict[str, str] = field(default_factory=lambda: dict(BUILTIN_DEFAULTS))
    sections: dict[str, str] = field(default_factory=dict)
    skip: tuple[str, ...] = DEFAULT_SKIP  # the names of folders and files the inventory never reads
    excludes: list[Exclude] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)
    overrides: list[Override] = field(default_factory=list)
    contracts: list[Contract] = field(default_factory=list)
    wiring: InferenceWiring | None = None
    file_defaults: frozenset[str] = frozenset()  # roles whose default the file sets itself
    source_lines: list[str] = field(default_factory=list)

    @property
    def file(self) -> str:
        """How messages name this policy."""
        return str(self.path) if self.path is not None else "<terms>"

    def section_for(self, path: str, default: str = "other") -> str:
        """The section of a root-relative path: the longest matching prefix wins."""
        best = ""
        for prefix in self.sections:
            if path.startswith(prefix) and len(prefix) > len(best):
                best = prefix
        return self.sections[best] if best else default

    def override_for(self, occurrence_id: str) -> Override | None:
        for override in self.overrides:
            if override.id == occurrence_id:
                return override
        return None


def policy_from_terms(old: str, new: str) -> Policy:
    """A policy with only a term pair and the built-in defaults (``--from RunID --to SessionID``)."""
    text = f"[rename]\nfrom = {json.dumps(old)}\nto = {json.dumps(new)}\n"
    policy = _parse(text, "<terms>")
    policy.path = None
    policy.source_lines = []
    return policy


def load_policy(path: str | os.PathLike[str]) -> Policy:
    """Read and validate a policy file; the first problem (in file order) is raised."""
    p = Path(path)
    try:
        text = p.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PolicyError(p, 1, "file", f"not UTF-8 ({exc.reason})", "save it as UTF-8") from None
    policy = _parse(text, p)
    policy.path = p
    return policy


def parse_policy(text: str, path: str | os.PathLike[str] | None = None) -> Policy:
    """Validate policy text (``path`` only names it in messages)."""
    policy = _parse(text, path if path is not None else "<policy>")
    policy.path = Path(path) if path is not None else None
    return policy


def check_policy_text(text: str, path: str | os.PathLike[str] = "<policy>") -> list[PolicyError]:
    """Every problem in policy text, in file order (empty when it is valid)."""
    return _Reader(text, str(path)).read()[1]


def _parse(text: str, file: str | os.PathLike[str]) -> Policy:
    policy, errors = _Reader(text, str(file)).read()
    if errors:
        raise errors[0]
    assert policy is not None
    return policy


# -- locating keys in the source text --------------------------------------------------------

KeyPath = tuple[str | int, ...]
_KEY_PART = re.compile(r"""\s*(?:([A-Za-z0-9_-]+)|"((?:[^"\\]|\\.)*)"|'([^']*)')\s*""")
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def _parse_key(text: str, pos: int, end_chars: str) -> tuple[list[str], int] | None:
    """Dotted key parts at ``text[pos:]`` up to one of ``end_chars``; None if it is not a key."""
    parts: list[str] = []
    while True:
        m = _KEY_PART.match(text, pos)
        if m is None:
            return None
        if m.group(1) is not None:
            parts.append(m.group(1))
        elif m.group(2) is not None:
            try:
                parts.append(json.loads(f'"{m.group(2)}"'))
            except ValueError:
                parts.append(m.group(2))
        elif m.group(3) is not None:
            parts.append(m.group(3))
        else:
            return None
        pos = m.end()
        if pos < len(text) and text[pos] == ".":
            pos += 1
            continue
        if pos < len(text) and text[pos] in end_chars:
            return parts, pos
        return None


def _advance(text: str, state: str | None, depth: int) -> tuple[str | None, int]:
    """Carry the multi-line string state and bracket depth across one line of a value."""
    i, n = 0, len(text)
    while i < n:
        if state is not None:
            close = text.find(state, i)
            while close > 0 and state == '"""' and text[close - 1] == "\\":
                close = text.find(state, close + 1)
            if close < 0:
                return state, depth
            i, state = close + 3, None
            continue
        c = text[i]
        if c == "#":
            break
        if text.startswith('"""', i) or text.startswith("'''", i):
            state, i = text[i : i + 3], i + 3
        elif c in "\"'":
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if (c == '"' and text[j] == "\\") else 1
            i = j + 1
        else:
            depth += {"[": 1, "{": 1, "]": -1, "}": -1}.get(c, 0)
            i += 1
    return state, max(depth, 0)


def _split_lines(text: str) -> list[str]:
    """Lines as TOML counts them (only ``\n`` ends a line), each with its line ending."""
    lines = text.split("\n")
    out = [line + "\n" for line in lines[:-1]]
    return [*out, lines[-1]] if lines[-1] else out


@dataclass(frozen=True)
class _Line:
    number: int
    kind: str  # "table", "aot", "keyval", "cont" (inside a multi-line value) or "other"
    key: KeyPath = ()


def _scan(text: str) -> list[_Line]:
    """Classify each line: table headers, array-of-table headers (numbered), key/value lines."""
    out: list[_Line] = []
    table: KeyPath = ()
    counts: dict[tuple[str, ...], int] = {}
    state: str | None = None
    depth = 0
    for number, line in enumerate(_split_lines(text), 1):
        line = line.rstrip("\r\n")
        if state is not None or depth > 0:
            state, depth = _advance(line, state, depth)
            out.append(_Line(number, "cont"))
            continue
        stripped = line.lstrip()
        pos = len(line) - len(stripped)
        if stripped.startswith("[["):
            parsed = _parse_key(line, pos + 2, "]")
            if parsed is not None:
                name = tuple(parsed[0])
                counts[name] = counts.get(name, 0) + 1
                table = (*name, counts[name])
                out.append(_Line(number, "aot", table))
                continue
        elif stripped.startswith("["):
            parsed = _parse_key(line, pos + 1, "]")
            if parsed is not None:
                table = tuple(parsed[0])
                out.append(_Line(number, "table", table))
                continue
        elif stripped and not stripped.startswith("#"):
            parsed = _parse_key(line, pos, "=")
            if parsed is not None:
                parts, eq = parsed
                out.append(_Line(number, "keyval", (*table, *parts)))
                state, depth = _advance(line[eq + 1 :], None, 0)
                continue
        out.append(_Line(number, "other"))
    return out


class _Locator:
    def __init__(self, text: str) -> None:
        self.lines: dict[KeyPath, int] = {}
        for line in _scan(text):
            if line.kind in ("table", "aot", "keyval"):
                self.lines.setdefault(line.key, line.number)

    def line(self, key: KeyPath) -> int:
        """The line of ``key``, else of its closest enclosing table, else 1."""
        for n in range(len(key), 0, -1):
            if key[:n] in self.lines:
                return self.lines[key[:n]]
        return 1


def format_key(key: KeyPath) -> str:
    """``("rule", 2, "role")`` -> ``rule[2].role``; odd names are quoted like TOML keys."""
    out = ""
    for part in key:
        if isinstance(part, int):
            out += f"[{part}]"
            continue
        text = part if _BARE_KEY.fullmatch(part) else json.dumps(part)
        out += f".{text}" if out else text
    return out


# -- reading and validating ------------------------------------------------------------------

_TOP_KEYS = ("rename", "defaults", "sections", "inventory", "wiring", "exclude", "rule",
             "override", "contract")
_WIRING_FIELDS = ("metadata_type", "turn_key", "inference_key", "meta_key", "run_call", "new_id")
_TABLE_KEYS: dict[str, tuple[str, ...]] = {
    "rename": ("from", "to", "explicit"),
    "inventory": ("skip",),
    "wiring": ("inference_id", *_WIRING_FIELDS),
    "exclude": ("text", "path", "symbol", "rationale"),
    "rule": ("role", *RULE_MATCH_KEYS, "is_test", "decision", "target", "rationale"),
    "override": ("id", "decision", "path", "target", "rationale"),
    "contract": ("wire", "kind", "path", "owner", "strategy", "rationale"),
}
_TOML_TYPES = {str: "a string", bool: "a boolean", int: "an integer", float: "a float",
               list: "an array", dict: "a table"}
_GO_IDENT = re.compile(r"[^\W\d]\w*")
_TERM = re.compile(r"[A-Za-z][A-Za-z0-9_]*")


def _type_name(value: Any) -> str:
    for kind, name in _TOML_TYPES.items():
        if type(value) is kind:
            return name
    return "a date or time"


def _choices(value: str, allowed: tuple[str, ...] | frozenset[str] | list[str]) -> str:
    ordered = sorted(allowed)
    import difflib

    close = difflib.get_close_matches(value, ordered, n=1)
    listing = ", ".join(ordered)
    return f"did you mean {close[0]!r}? allowed: {listing}" if close else f"use one of: {listing}"


def go_identifier_problem(value: str) -> str | None:
    """Why ``value`` cannot be a Go identifier, or None when it can."""
    if not _GO_IDENT.fullmatch(value):
        return f"{value!r} is not a Go identifier"
    if value in GO_KEYWORDS:
        return f"{value!r} is a Go keyword"
    return None


def path_escape_problem(value: str) -> str | None:
    """Why ``value`` is not a path inside the analysed root, or None when it is."""
    if value.startswith(("/", "\\")) or re.match(r"[A-Za-z]:", value):
        return f"{value!r} is absolute"
    if ".." in re.split(r"[/\\]", value):
        return f"{value!r} leaves the analysed root through '..'"
    return None


class _Reader:
    def __init__(self, text: str, file: str) -> None:
        self.text = text
        self.file = file
        self.errors: list[PolicyError] = []
        self.locator: _Locator | None = None
        self.misspelt: set[KeyPath] = set()
        self.file_defaults: frozenset[str] = frozenset()

    def error(self, key: KeyPath, problem: str, fix: str) -> None:
        line = self.locator.line(key) if self.locator else 1
        self.errors.append(PolicyError(self.file, line, format_key(key), problem, fix))

    def line(self, key: KeyPath) -> int:
        return self.locator.line(key) if self.locator else 1

    # -- typed getters -----------------------------------------------------------------------
    def table(self, value: Any, key: KeyPath, allowed: tuple[str, ...] | None) -> dict[str, Any]:
        name = format_key(tuple(k for k in key if isinstance(k, str)))
        header = f"[[{name}]]" if key and isinstance(key[-1], int) else f"[{name}]"
        if not isinstance(value, dict):
            self.error(key, f"expected a table, got {_type_name(value)}",
                       f"write it as a {header} table")
            return {}
        if allowed is not None:
            where = f"in {header}" if key else "at the top level"
            for extra in value:
                if extra not in allowed:
                    self.error((*key, extra), f"unknown key {extra!r} {where}",
                               _choices(extra, allowed))
                    # a misspelt required key is reported once, as unknown, not also as missing
                    import difflib

                    self.misspelt.update((*key, m) for m in
                                         difflib.get_close_matches(extra, sorted(allowed), n=1))
        return value

    def string(self, tbl: Mapping[str, Any], key: KeyPath, *, required: bool = False,
               what: str = "a value") -> str | None:
        name = key[-1]
        if name not in tbl:
            if required and key not in self.misspelt:
                self.error(key, f"missing {name!r}", f"add {name} = {what}")
            return None
        value = tbl[name]
        if not isinstance(value, str):
            self.error(key, f"expected a string, got {_type_name(value)}", f"write {what}")
            return None
        if required and not value.strip():
            self.error(key, f"{name!r} is empty", f"write {what}")
            return None
        return value

    def strings(self, tbl: Mapping[str, Any], key: KeyPath) -> tuple[str, ...] | None:
        value = tbl.get(key[-1])
        if value is None:
            return None
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list) or not all(isinstance(v, str) for v in items):
            self.error(key, f"expected a string or an array of strings, got {_type_name(value)}",
                       'write "value" or ["a", "b"]')
            return None
        return tuple(items)

    def choice(self, tbl: Mapping[str, Any], key: KeyPath, allowed: tuple[str, ...],
               noun: str, *, required: bool = True) -> str | None:
        value = self.string(tbl, key, required=required, what=f"one of: {', '.join(allowed)}")
        if value is not None and value not in allowed:
            self.error(key, f"unknown {noun} {value!r}", _choices(value, allowed))
            return None
        return value

    def rationale(self, tbl: Mapping[str, Any], key: KeyPath) -> str:
        value = self.string(tbl, (*key, "rationale"), required=True,
                            what='"<why>" (every exclude, rule, override and contract says why)')
        return value or ""

    def pattern(self, value: str, key: KeyPath) -> bool:
        if value.startswith("re:"):
            try:
                re.compile(value[3:])
            except re.error as exc:
                self.error(key, f"invalid regular expression {value[3:]!r} ({exc})",
                           "fix the pattern after 're:'")
                return False
        return True

    def identifier(self, value: str, key: KeyPath, fix: str) -> bool:
        problem = go_identifier_problem(value)
        if problem is not None:
            self.error(key, problem, fix)
            return False
        return True

    # -- sections of the file ----------------------------------------------------------------
    def read(self) -> tuple[Policy | None, list[PolicyError]]:
        try:
            data = tomllib.loads(self.text)
        except tomllib.TOMLDecodeError as exc:
            message = str(exc)
            m = re.search(r"\(at line (\d+), column \d+\)", message)
            line = int(m.group(1)) if m else max(1, len(_split_lines(self.text)))
            problem = re.sub(r"\s*\(at (line \d+, column \d+|end of document)\)", "", message)
            self.errors.append(PolicyError(self.file, line, "toml", f"syntax error: {problem}",
                                           "fix the TOML syntax on this line"))
            return None, self.errors
        self.locator = _Locator(self.text)
        self.table(data, (), _TOP_KEYS)
        spec = self.read_rename(data)
        defaults = self.read_defaults(data)
        sections = self.read_sections(data)
        skip = self.read_skip(data)
        wiring = self.read_wiring(data)
        excludes = [e for i, t in self.aot(data, "exclude") if (e := self.read_exclude(i, t))]
        rules = [r for i, t in self.aot(data, "rule") if (r := self.read_rule(i, t))]
        overrides = [o for i, t in self.aot(data, "override") if (o := self.read_override(i, t))]
        contracts = [c for i, t in self.aot(data, "contract") if (c := self.read_contract(i, t))]
        self.check_duplicate_ids(overrides)
        self.errors.sort(key=lambda e: e.line)
        if self.errors or spec is None:
            return None, self.errors
        policy = Policy(
            path=None, spec=spec, defaults=defaults, sections=sections, skip=skip,
            excludes=excludes, rules=rules, overrides=overrides, contracts=contracts,
            wiring=wiring, file_defaults=self.file_defaults,
            source_lines=[line.rstrip("\r\n") for line in _split_lines(self.text)],
        )
        return policy, self.errors

    def aot(self, data: Mapping[str, Any], name: str) -> list[tuple[int, dict[str, Any]]]:
        value = data.get(name)
        if value is None:
            return []
        if not isinstance(value, list):
            self.error((name,), f"expected an array of tables, got {_type_name(value)}",
                       f"write each entry under its own [[{name}]] header")
            return []
        out = []
        for i, item in enumerate(value, 1):
            tbl = self.table(item, (name, i), _TABLE_KEYS[name])
            if isinstance(item, dict):
                out.append((i, tbl))
        return out

    def read_rename(self, data: Mapping[str, Any]) -> Spec | None:
        if "rename" not in data:
            self.error(("rename",), "missing [rename] table",
                       'add [rename] with from = "OldName" and to = "NewName"')
            return None
        tbl = self.table(data["rename"], ("rename",), _TABLE_KEYS["rename"])
        if not isinstance(data["rename"], dict):
            return None
        terms = {}
        for name, example in (("from", '"RunID"'), ("to", '"SessionID"')):
            key = ("rename", name)
            value = self.string(tbl, key, required=True, what=f"a Go name such as {example}")
            if value is None:
                continue
            problem = go_identifier_problem(value)
            if problem is None and not _TERM.fullmatch(value):
                problem = f"{value!r} is not an ASCII Go identifier"
            if problem is not None:
                self.error(key, problem,
                           f"give the term as a Go name such as {example} (ASCII letters, digits "
                           "and underscores, starting with a letter)")
                continue
            terms[name] = value
        if terms.get("from") is not None and terms.get("from") == terms.get("to"):
            self.error(("rename", "to"), f"'to' is the same as 'from' ({terms['to']!r})",
                       "give the new name of the term")
            return None
        if len(terms) == 2 and case_only(terms["from"], terms["to"]):
            self.error(("rename", "to"),
                       f"{terms['from']!r} -> {terms['to']!r} differ only in case, and idrename "
                       "spells each renamed name in the case style it already has, so every "
                       "spelling of the family would stay as it is",
                       "give a new term with other words (to change only the case of some "
                       "names, rename them with gopls rename)")
            return None
        explicit = self.read_explicit(tbl)
        if len(terms) < 2 or explicit is None:
            return None
        return Spec(terms["from"], terms["to"], explicit=explicit)

    def read_explicit(self, tbl: Mapping[str, Any]) -> dict[str, str] | None:
        if "explicit" not in tbl:
            return {}
        key = ("rename", "explicit")
        raw = self.table(tbl["explicit"], key, None)
        ok = isinstance(tbl["explicit"], dict)
        explicit: dict[str, str] = {}
        for name, value in raw.items():
            if not self.identifier(name, (*key, name),
                                   "explicit names are whole Go identifiers found in the code"):
                ok = False
                continue
            if not isinstance(value, str):
                self.error((*key, name), f"expected a string, got {_type_name(value)}",
                           f'write {name} = "<new Go name>"')
                ok = False
                continue
            if not self.identifier(value, (*key, name),
                                   "give a Go name (letters, digits and underscores, starting "
                                   "with a letter) that is not a keyword"):
                ok = False
                continue
            explicit[name] = value
        return explicit if ok else None

    def read_defaults(self, data: Mapping[str, Any]) -> dict[str, str]:
        defaults = dict(BUILTIN_DEFAULTS)
        if "defaults" not in data:
            return defaults
        tbl = self.table(data["defaults"], ("defaults",), None)
        self.file_defaults = frozenset(r for r in tbl if r in roles.ALL_ROLES)
        for role in tbl:
            key = ("defaults", role)
            if role not in roles.ALL_ROLES:
                self.error(key, f"unknown role {role!r}", _choices(role, roles.ALL_ROLES))
                continue
            decision = self.choice(tbl, key, DECISIONS, "decision")
            if decision is not None:
                defaults[role] = decision
        return defaults

    def read_sections(self, data: Mapping[str, Any]) -> dict[str, str]:
        if "sections" not in data:
            return {}
        tbl = self.table(data["sections"], ("sections",), None)
        sections: dict[str, str] = {}
        for prefix in tbl:
            key = ("sections", prefix)
            name = self.string(tbl, key, required=True, what='"<section name>"')
            problem = path_escape_problem(prefix)
            if problem is not None:
                self.error(key, problem, "give a path prefix relative to the analysed root")
            elif name is not None:
                sections[prefix] = name
        return sections

    def read_skip(self, data: Mapping[str, Any]) -> tuple[str, ...]:
        if "inventory" not in data:
            return DEFAULT_SKIP
        tbl = self.table(data["inventory"], ("inventory",), _TABLE_KEYS["inventory"])
        value = tbl.get("skip")
        if value is None:
            return DEFAULT_SKIP
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.error(("inventory", "skip"), f"expected an array of strings, got "
                       f"{_type_name(value)}", 'write skip = [".git", "vendor"]')
            return DEFAULT_SKIP
        return tuple(value)

    def read_wiring(self, data: Mapping[str, Any]) -> InferenceWiring | None:
        """``[wiring]``: the seed's InferenceID propagation, off unless ``inference_id = true``."""
        if "wiring" not in data:
            return None
        tbl = self.table(data["wiring"], ("wiring",), _TABLE_KEYS["wiring"])
        enabled = tbl.get("inference_id", False)
        if not isinstance(enabled, bool):
            self.error(("wiring", "inference_id"), f"expected a boolean, got {_type_name(enabled)}",
                       "write inference_id = true or false")
            return None
        names = {}
        for name in _WIRING_FIELDS:
            value = self.string(tbl, ("wiring", name), what='a Go expression or name in quotes')
            if value is not None:
                names[name] = value
        from idrename.transforms import InferenceWiring

        return InferenceWiring(**names) if enabled else None

    def read_exclude(self, i: int, tbl: Mapping[str, Any]) -> Exclude | None:
        key: KeyPath = ("exclude", i)
        text = self.string(tbl, (*key, "text"), required=True,
                           what='"<exact token>" or "re:<regex>"')
        path = self.string(tbl, (*key, "path"), what='"<glob>"')
        symbol = self.string(tbl, (*key, "symbol"), what='"<glob>"')
        rationale = self.rationale(tbl, key)
        ok = all(self.pattern(v, (*key, name)) for name, v in
                 (("text", text), ("path", path), ("symbol", symbol)) if v is not None)
        if text is None or not rationale or not ok:
            return None
        return Exclude(i, text, rationale, path, symbol, self.line(key))

    def read_rule(self, i: int, tbl: Mapping[str, Any]) -> Rule | None:
        key: KeyPath = ("rule", i)
        ok = True
        role_list = self.strings(tbl, (*key, "role"))
        for role in role_list or ():
            if role not in roles.ALL_ROLES:
                self.error((*key, "role"), f"unknown role {role!r}",
                           _choices(role, roles.ALL_ROLES))
                ok = False
        match: dict[str, tuple[str, ...]] = {}
        for name in RULE_MATCH_KEYS:
            values = self.strings(tbl, (*key, name))
            if values is not None:
                ok = all([self.pattern(v, (*key, name)) for v in values]) and ok
                match[name] = values
        is_test = tbl.get("is_test")
        if is_test is not None and not isinstance(is_test, bool):
            self.error((*key, "is_test"), f"expected a boolean, got {_type_name(is_test)}",
                       "write is_test = true or is_test = false")
            ok = False
        decision = self.choice(tbl, (*key, "decision"), DECISIONS, "decision")
        target = self.string(tbl, (*key, "target"), what='"<new text>"')
        if target is not None:
            go_roles = not role_list or any(r in roles.GO_IDENTIFIER_ROLES for r in role_list)
            ok = self.target(target, (*key, "target"), go_roles) and ok
        rationale = self.rationale(tbl, key)
        if not ok or decision is None or not rationale:
            return None
        return Rule(i, decision, rationale, tuple(role_list or ()), match,
                    is_test if isinstance(is_test, bool) else None, target, self.line(key))

    def target(self, value: str, key: KeyPath, go_roles: bool) -> bool:
        if go_roles:
            return self.identifier(value, key, "this rule can match Go identifiers: give a Go "
                                   "name, or limit role to wire, string and comment roles")
        if not value.strip():
            self.error(key, "the target is empty", "give the new text or remove target")
            return False
        return True

    def read_override(self, i: int, tbl: Mapping[str, Any]) -> Override | None:
        key: KeyPath = ("override", i)
        occurrence = self.string(tbl, (*key, "id"), required=True,
                                 what='"<id from the inventory>"')
        decision = self.choice(tbl, (*key, "decision"), DECISIONS, "decision")
        path = self.string(tbl, (*key, "path"), what='"<path relative to the root>"')
        ok = True
        if path is not None and (problem := path_escape_problem(path)) is not None:
            self.error((*key, "path"), problem, "give the path relative to the analysed root")
            ok = False
        target = self.string(tbl, (*key, "target"), what='"<new text>"')
        if target is not None:
            ok = self.target(target, (*key, "target"), False) and ok
        rationale = self.rationale(tbl, key)
        if not ok or occurrence is None or decision is None or not rationale:
            return None
        return Override(i, occurrence, decision, rationale, path, target, self.line(key))

    def read_contract(self, i: int, tbl: Mapping[str, Any]) -> Contract | None:
        key: KeyPath = ("contract", i)
        wire = self.string(tbl, (*key, "wire"), required=True, what='"<wire name>"')
        kind = self.string(tbl, (*key, "kind"), what='"json_tag"')
        ok = True
        if kind is not None and kind not in CONTRACT_KINDS:
            self.error((*key, "kind"), f"unknown contract kind {kind!r}",
                       _choices(kind, CONTRACT_KINDS))
            ok = False
        path = self.string(tbl, (*key, "path"), what='"<glob>"')
        owner = self.string(tbl, (*key, "owner"), what='"<glob>"')
        strategy = self.choice(tbl, (*key, "strategy"), STRATEGIES, "strategy")
        rationale = self.rationale(tbl, key)
        if not ok or wire is None or strategy is None or not rationale:
            return None
        return Contract(i, wire, strategy, rationale, kind, path, owner, self.line(key))

    def check_duplicate_ids(self, overrides: list[Override]) -> None:
        seen: dict[str, Override] = {}
        for override in overrides:
            first = seen.setdefault(override.id, override)
            if first is not override:
                self.error(("override", override.index, "id"),
                           f"id {override.id!r} is already overridden at line {first.line}",
                           "keep one [[override]] per occurrence")


# -- writing overrides -----------------------------------------------------------------------


def write_override(path: str | os.PathLike[str], id: str, decision: str, rationale: str, *,
                   target: str | None = None) -> None:
    """Set the ``[[override]]`` for occurrence ``id`` (update it, or append one).

    The entry ends up with exactly this decision, rationale and target (an old target is removed
    when ``target`` is None; a ``path`` guard stays). Everything else in the file is kept byte for
    byte. The result is validated before it replaces the file atomically.
    """
    p = Path(path)
    text = p.read_bytes().decode("utf-8")
    syntax = [e for e in check_policy_text(text, p) if e.key == "toml"]
    if syntax:
        raise syntax[0]
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = _split_lines(text)
    blocks = _override_blocks(text)
    existing = None
    for start, end in blocks:
        parsed = tomllib.loads("".join(lines[start:end])).get("override", [{}])
        if isinstance(parsed, list) and parsed and parsed[0].get("id") == id:
            existing = (start, end)
            break
    if existing is not None:
        start, end = existing
        block = _update_block("".join(lines[start:end]), decision, rationale, target)
        lines[start:end] = [block]
    else:
        block = _new_block(id, decision, rationale, target).replace("\n", newline)
        if blocks:
            at = blocks[-1][1]
            lines[at:at] = [newline, block]
        else:
            if lines and not lines[-1].endswith(("\n", "\r")):
                lines[-1] += newline
            if lines and lines[-1].strip():
                lines.append(newline)
            lines.append(block)
    new_text = "".join(lines)
    errors = check_policy_text(new_text, p)
    if errors:
        raise errors[0]
    _atomic_write(p, new_text.encode("utf-8"))


def _override_blocks(text: str) -> list[tuple[int, int]]:
    """[start, end) line indexes of each ``[[override]]`` entry: its header to its last value."""
    scanned = _scan(text)
    blocks: list[tuple[int, int]] = []
    current: int | None = None
    last = 0
    for i, line in enumerate(scanned):
        if line.kind in ("table", "aot"):
            if current is not None:
                blocks.append((current, last + 1))
                current = None
            if line.kind == "aot" and line.key[:-1] == ("override",):
                current, last = i, i
        elif current is not None and line.kind in ("keyval", "cont"):
            last = i
    if current is not None:
        blocks.append((current, last + 1))
    return blocks


def _new_block(id: str, decision: str, rationale: str, target: str | None) -> str:
    import tomlkit  # only when the review writes an override

    doc = tomlkit.document()
    aot = tomlkit.aot()
    tbl = tomlkit.table()
    tbl["id"] = id
    tbl["decision"] = decision
    if target is not None:
        tbl["target"] = target
    tbl["rationale"] = rationale
    aot.append(tbl)
    doc.append("override", aot)
    return tomlkit.dumps(doc)


def _set_keeping_trivia(tbl: Any, key: str, value: str) -> None:
    if key in tbl:
        old = tbl.item(key)
        tbl[key] = value
        new = tbl.item(key)
        new.trivia.comment_ws = old.trivia.comment_ws
        new.trivia.comment = old.trivia.comment
    else:
        tbl[key] = value


def _update_block(block: str, decision: str, rationale: str, target: str | None) -> str:
    import tomlkit  # only when the review writes an override

    doc = tomlkit.parse(block)
    tbl = doc["override"][0]
    _set_keeping_trivia(tbl, "decision", decision)
    if target is None:
        if "target" in tbl:
            tbl.remove("target")
        _set_keeping_trivia(tbl, "rationale", rationale)
    elif "target" in tbl or "rationale" not in tbl:
        _set_keeping_trivia(tbl, "target", target)
        _set_keeping_trivia(tbl, "rationale", rationale)
    else:  # put the new target before the rationale, as the file's template orders them
        old = tbl.item("rationale")
        tbl.remove("rationale")
        tbl["target"] = target
        tbl["rationale"] = rationale
        new = tbl.item("rationale")
        new.trivia.comment_ws = old.trivia.comment_ws
        new.trivia.comment = old.trivia.comment
    return tomlkit.dumps(doc)


def _atomic_write(path: Path, data: bytes) -> None:
    mode = path.stat().st_mode & 0o7777 if path.exists() else None
    import tempfile

    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
