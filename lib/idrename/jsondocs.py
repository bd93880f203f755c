"""Expected JSON documents written in Go raw strings, under dual-emit.

A test that compares what a struct encodes with a document written in the test (``if
string(out) != `{"run_id":"r1"}```) fails once the struct writes its legacy keys too: its
``MarshalJSON`` (see :func:`idrename.transforms.json_tag_methods`) writes the struct's own
fields, under their new keys, then each legacy key in the struct's order. The document is
edited the same way: each key renamed in place, and its legacy pair, ``"run_id":"r1"`` with
the document's own separators, added at the end of the object that holds the key, in the
order the keys stand there. An object that has the new key already is left as it is.

A document in an interpreted string (``"{\\"run_id\\":\\"r1\\"}"``) is decoded first, and what is
added is written back with the same escapes; one with other escapes than ``\\"``, ``\\\\``,
``\\n``, ``\\t`` and ``\\r`` is left with a warning, as is a key whose value or object cannot be
read.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from typing import Any, NamedTuple

from .edits import Edit, FileEdits

Node = Any  # tree_sitter.Node

_SPACE = b" \t\r\n"


class DocKey(NamedTuple):
    """A key of a JSON document to write under both names: where its name stands (the bytes
    between its quotes), the names, and the occurrence ids."""

    start: int
    end: int
    old: str
    new: str
    ids: tuple[str, ...]


def _skip_space(data: bytes, at: int, end: int) -> int:
    while at < end and data[at] in _SPACE:
        at += 1
    return at


def _string_end(data: bytes, at: int, end: int) -> int | None:
    """The offset after the JSON string that starts at ``at`` (its opening quote)."""
    at += 1
    while at < end:
        if data[at] == 0x5C:  # a backslash escapes the next byte
            at += 2
            continue
        if data[at] == 0x22:
            return at + 1
        at += 1
    return None


def _value_end(data: bytes, at: int, end: int) -> int | None:
    """The offset after the JSON value that starts at ``at``, or None."""
    if at >= end:
        return None
    if data[at] == 0x22:
        return _string_end(data, at, end)
    if data[at] in b"{[":
        depth = 0
        while at < end:
            c = data[at]
            if c == 0x22:
                found = _string_end(data, at, end)
                if found is None:
                    return None
                at = found
                continue
            if c in b"{[":
                depth += 1
            elif c in b"}]":
                depth -= 1
                if depth == 0:
                    return at + 1
            at += 1
        return None
    start = at
    while at < end and data[at] not in b",}] \t\r\n":
        at += 1
    return at if at > start else None


def _object_end(data: bytes, at: int, end: int) -> int | None:
    """The offset of the ``}`` that closes the object whose member list goes on at ``at``
    (just after a member's value)."""
    while True:
        at = _skip_space(data, at, end)
        if at >= end:
            return None
        if data[at] == 0x7D:
            return at
        if data[at] != 0x2C:
            return None
        at = _skip_space(data, at + 1, end)
        key_end = _string_end(data, at, end) if at < end and data[at] == 0x22 else None
        if key_end is None:
            return None
        at = _skip_space(data, key_end, end)
        if at >= end or data[at] != 0x3A:
            return None
        value_end = _value_end(data, _skip_space(data, at + 1, end), end)
        if value_end is None:
            return None
        at = value_end


def _separator(data: bytes, start: int, object_end: int, any_depth: bool = False) -> bytes:
    """How the object's members are separated: a comma and the white space after its first
    comma at its own depth (at any depth: ``any_depth``), or "," alone."""
    depth, at = 0, start
    while at < object_end:
        c = data[at]
        if c == 0x22:
            found = _string_end(data, at, object_end)
            at = found if found is not None else object_end
            continue
        if c in b"{[":
            depth += 1
        elif c in b"}]":
            depth -= 1
        elif c == 0x2C and (depth == 0 or any_depth):
            return b"," + data[at + 1 : _skip_space(data, at + 1, object_end)]
        at += 1
    return b","


class _Document(NamedTuple):
    """The JSON text of one Go string literal, read where it stands in the file (a raw
    string: ``offsets`` is None) or decoded (an interpreted one: ``offsets[i]`` is where the
    i-th byte of ``text`` is written in the file). ``text`` holds it between ``first`` and
    ``last``; ``encode`` writes text as the literal spells it."""

    text: bytes
    first: int
    last: int
    offsets: list[int] | None
    encode: Any

    def source(self, at: int) -> int:
        """The file's offset of the offset ``at`` in ``text``."""
        return at if self.offsets is None else self.offsets[at]

    def text_offset(self, at: int) -> int | None:
        """The offset in ``text`` of the file's offset ``at``, or None (inside an escape)."""
        if self.offsets is None:
            return at
        found = bisect_left(self.offsets, at)
        return found if found < len(self.offsets) and self.offsets[found] == at else None


def _document(data: bytes, literal: Node) -> _Document | None:
    """The literal's JSON text, or None for an interpreted string with an escape that is not
    one of ``\\"``, ``\\\\``, ``\\n``, ``\\t``, ``\\r`` (its bytes are not written back)."""
    start, end = literal.start_byte + 1, literal.end_byte - 1
    if literal.type == "raw_string_literal":
        return _Document(data, start, end, None, lambda text: text)
    text = bytearray()
    offsets: list[int] = []  # offsets[i]: where the i-th decoded byte starts in the file
    at = start
    while at < end:
        c = data[at]
        if c == 0x5C:
            decoded = _ESCAPES.get(data[at + 1 : at + 2])
            if decoded is None:
                return None
            text.append(decoded)
            offsets.append(at)
            at += 2
            continue
        text.append(c)
        offsets.append(at)
        at += 1
    offsets.append(end)
    return _Document(bytes(text), 0, len(text), offsets, _go_escaped)


_ESCAPES = {b'"': 0x22, b"\\": 0x5C, b"n": 0x0A, b"t": 0x09, b"r": 0x0D}


def _go_escaped(text: bytes) -> bytes:
    """``text`` as an interpreted Go string spells it (without the quotes)."""
    return (text.replace(b"\\", b"\\\\").replace(b'"', b'\\"').replace(b"\n", b"\\n")
            .replace(b"\t", b"\\t").replace(b"\r", b"\\r"))


def dual_json_documents(fe: FileEdits, root: Node, keys: Sequence[DocKey]) -> None:
    """Add each key's legacy pair at the end of its object (see the module's docstring)."""
    by_object: dict[int, list[tuple[int, bytes, tuple[str, ...]]]] = {}
    documents: dict[int, _Document | None] = {}
    for key in sorted(keys):
        literal = root.descendant_for_byte_range(key.start, key.end)
        while literal is not None and literal.type not in ("raw_string_literal",
                                                           "interpreted_string_literal"):
            literal = literal.parent
        line = f"{fe.path}:{root.descendant_for_byte_range(key.start, key.end).start_point[0] + 1}"
        if literal is not None and literal.start_byte not in documents:
            documents[literal.start_byte] = _document(fe.data, literal)
        doc = documents.get(literal.start_byte) if literal is not None else None
        if doc is None:
            fe.warn(f"{line}: the JSON document is in a string with escapes idrename does not "
                    f"write back: add \"{key.old}\" beside \"{key.new}\" by hand (both are "
                    "written now)")
            continue
        pair = _legacy_pair(doc, key)
        if pair is None:
            fe.warn(f"{line}: the JSON document around \"{key.old}\" could not be read: add "
                    f"\"{key.old}\" beside \"{key.new}\" by hand (both are written now)")
            continue
        if not pair:
            continue  # the object has both already (an earlier apply wrote them)
        object_end, text = pair
        fe.add(Edit(key.start, key.end, key.new.encode(), "dual JSON document", key.ids))
        by_object.setdefault(doc.source(object_end), []).append((key.start, text, key.ids))
    for object_end, pairs in by_object.items():
        text = b"".join(p for _start, p, _ids in sorted(pairs))
        ids = tuple(i for _start, _p, key_ids in sorted(pairs) for i in key_ids)
        fe.add(Edit(object_end, object_end, text, "dual JSON document", ids))


def _legacy_pair(doc: _Document, key: DocKey) -> tuple[int, bytes] | tuple[()] | None:
    """Where the key's legacy pair goes in ``doc.text`` (the ``}`` of its object) and the pair,
    a separator first, as the literal spells it; () when the object has the new key already;
    None when the document cannot be read."""
    text, end = doc.text, doc.last
    k_start, k_end = doc.text_offset(key.start), doc.text_offset(key.end)
    if k_start is None or k_end is None:
        return None
    colon = _skip_space(text, k_end + 1, end)
    value_start = _skip_space(text, colon + 1, end)
    value_end = _value_end(text, value_start, end) if colon < end and \
        text[colon] == 0x3A else None
    object_end = _object_end(text, value_end, end) if value_end is not None else None
    if value_end is None or object_end is None:
        return None
    opening = _object_start(text, k_start - 1, doc.first - 1)
    if opening is not None and f'"{key.new}"'.encode() in _object_keys(text, opening,
                                                                      object_end):
        return ()
    pair = (b'"' + key.old.encode() + b'"' + text[k_end + 1 : value_start]
            + text[value_start:value_end])
    # the object's separator, else the document's
    sep = _separator(text, opening + 1, object_end) if opening is not None else b","
    if sep == b",":
        sep = _separator(text, doc.first + 1, end, any_depth=True)
    return object_end, doc.encode(sep + pair)


def _object_keys(data: bytes, opening: int, object_end: int) -> set[bytes]:
    """The keys (quoted, as written) of the object between ``opening`` and ``object_end``."""
    keys: set[bytes] = set()
    at = _skip_space(data, opening + 1, object_end)
    while at < object_end and data[at] == 0x22:
        key_end = _string_end(data, at, object_end)
        if key_end is None:
            break
        keys.add(data[at:key_end])
        colon = _skip_space(data, key_end, object_end)
        if colon >= object_end or data[colon] != 0x3A:
            break
        value_end = _value_end(data, _skip_space(data, colon + 1, object_end), object_end)
        if value_end is None:
            break
        at = _skip_space(data, value_end, object_end)
        if at >= object_end or data[at] != 0x2C:
            break
        at = _skip_space(data, at + 1, object_end)
    return keys


def _object_start(data: bytes, at: int, start: int) -> int | None:
    """The ``{`` that opens the object whose key's opening quote is at ``at``: the nearest one
    before it at the same depth (``start``: the literal's first byte)."""
    depth = 0
    at -= 1
    while at > start:
        c = data[at]
        if c in b"}]":
            depth += 1
        elif c in b"{[":
            if depth == 0:
                return at if c == 0x7B else None
            depth -= 1
        at -= 1
    return None
