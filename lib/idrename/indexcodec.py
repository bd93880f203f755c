"""One file's symbol index (:class:`idrename.gosymbols.IndexedFile`) as plain tuples and back.

The tuples hold only str, int, bool and None, so the result cache can keep them (``marshal``:
loading never runs code) and worker processes can send them back cheaply. Every place in a file
is that file's, so a place is written as ``(line, byte)``; the root label and the path are given
when the tuples are read back. ``decode(encode(x))`` equals ``x`` field for field (a test checks
it on the bundled fixture and a generated tree).
"""

from __future__ import annotations

from typing import Any

from .gosymbols import (
    _NO_PACKAGE,
    CallInfo,
    Decl,
    FileInfo,
    IndexedFile,
    Member,
    Place,
    Scope,
    TypeInfo,
    TypeRef,
)

FORMAT = 1
Encoded = tuple[Any, ...]


def encode(indexed: IndexedFile) -> Encoded:
    info = indexed.info
    types = {id(t): i for i, t in enumerate(indexed.types)}
    return (
        FORMAT,
        info.package, info.generated, info.parse_error,
        tuple((name, path, _place(p)) for name, (path, p) in info.imports.items()),
        tuple(_scope(s) for s in info.scopes),
        tuple((byte, c.name, c.args, c.spread) for byte, c in info.calls.items()),
        tuple(sorted(info.receivers)),
        tuple(types[id(t)] for t in info.types),
        tuple((d.name, d.kind, _place(d.place)) for d in indexed.names),
        tuple(_type(t) for t in indexed.types),
        tuple((receiver, _member(m)) for receiver, m in indexed.methods),
    )


def decode(root: str, path: str, data: Encoded) -> IndexedFile:
    """The :class:`IndexedFile` of ``path`` under ``root`` that :func:`encode` wrote; raises
    ValueError (or TypeError) for tuples of another shape."""
    if not isinstance(data, tuple) or len(data) != 12 or data[0] != FORMAT:
        raise ValueError("not an encoded symbol index of this format")
    (_fmt, package, generated, parse_error, imports, scopes, calls, receivers, info_types,
     names, types, methods) = data

    def place(p: tuple[int, int]) -> Place:
        return Place(root, path, p[0], p[1])

    info = FileInfo(root, path, package, generated, parse_error)
    info.imports = {name: (ipath, place(p)) for name, ipath, p in imports}
    info.scopes = [_read_scope(s, None, place) for s in scopes]
    info.calls = {byte: CallInfo(name, args, spread) for byte, name, args, spread in calls}
    info.receivers = set(receivers)
    typed = [_read_type(t, info, place) for t in types]
    info.types = [typed[i] for i in info_types]
    return IndexedFile(
        info,
        [Decl(name, kind, place(p)) for name, kind, p in names],
        typed,
        [(receiver, _read_member(m, place)) for receiver, m in methods],
    )


# -- writing -------------------------------------------------------------------------------------
def _place(p: Place) -> tuple[int, int]:
    return (p.line, p.byte)


def _ref(r: TypeRef | None) -> tuple[str, str, tuple[int, int]] | None:
    return None if r is None else (r.qualifier, r.name, _place(r.place))


def _member(m: Member) -> tuple[Any, ...]:
    return (m.name, m.kind, _place(m.place), m.params, m.results, m.variadic, _ref(m.embedded))


def _type(t: TypeInfo) -> tuple[Any, ...]:
    return (t.name, t.kind, _place(t.place), tuple(_member(m) for m in t.fields),
            tuple(_member(m) for m in t.methods), tuple(_ref(r) for r in t.embeds),
            _ref(t.alias_of), t.constraint, t.local)


def _scope(s: Scope) -> tuple[Any, ...]:
    return (s.kind, s.name, _place(s.place), s.start_byte, s.end_byte,
            tuple(_scope(c) for c in s.children),
            tuple((n, tuple(_place(p) for p in ps)) for n, ps in s.declared.items()),
            tuple((n, tuple(_place(p) for p in ps)) for n, ps in s.used.items()),
            tuple(s.starts.items()))


# -- reading -------------------------------------------------------------------------------------
def _read_ref(r: Any, place: Any) -> TypeRef | None:
    return None if r is None else TypeRef(r[0], r[1], place(r[2]))


def _read_member(m: Any, place: Any) -> Member:
    name, kind, p, params, results, variadic, embedded = m
    return Member(name, kind, place(p), params, results, variadic, _read_ref(embedded, place))


def _read_type(t: Any, info: FileInfo, place: Any) -> TypeInfo:
    name, kind, p, fields, methods, embeds, alias_of, constraint, local = t
    return TypeInfo(name, kind, place(p), _NO_PACKAGE, info,
                    [_read_member(m, place) for m in fields],
                    [_read_member(m, place) for m in methods],
                    [ref for r in embeds if (ref := _read_ref(r, place)) is not None],
                    _read_ref(alias_of, place), constraint, local)


def _read_scope(s: Any, parent: Scope | None, place: Any) -> Scope:
    kind, name, p, start, end, children, declared, used, starts = s
    scope = Scope(kind, name, place(p), start, end, parent)
    scope.declared = {n: [place(x) for x in ps] for n, ps in declared}
    scope.used = {n: [place(x) for x in ps] for n, ps in used}
    scope.starts = dict(starts)
    scope.children = [_read_scope(c, scope, place) for c in children]
    return scope
