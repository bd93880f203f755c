"""Legacy keys merged into the JSON methods an earlier rename wrote.

A rename that keeps a JSON tag's legacy key working gives its struct an ``UnmarshalJSON`` (and,
under dual-emit, a ``MarshalJSON``) that reads (writes) the legacy key too (see
:func:`idrename.transforms.json_tag_methods`). The next rename of another tag of the same
struct (``ConvID`` after ``RunID``: the library moved several names at once) finds those
methods declared, and a second declaration would not build. When a method is exactly the one
idrename writes for the keys it names (its text, white space aside, as patched by this rename,
is what :func:`idrename.transforms._unmarshal_legacy` or ``_marshal_both`` makes of them, or
what an earlier version wrote: :func:`idrename.transforms.unmarshal_legacy_before`,
``marshal_both_before``), it is
written again, in the current form, with the new keys after its own; any other method of that
name is the user's own, and the key is left to merge by hand with a warning. A field renamed
again (``RunID``, then ``SessionID``) gets a second legacy field: the latest legacy key is
``Legacy<field>``, read first, and the older ones are numbered after it (``LegacyChatID2``).
"""

from __future__ import annotations

import re
from typing import Any

from .edits import Edit, FileEdits
from .transforms import METHOD_DOCS

Node = Any  # tree_sitter.Node
Key = tuple[str, str, str, str, str]  # (old key, new key, field, type, tag options)

# what the methods' doc comments say of their keys (see transforms._unmarshal_legacy and
# _marshal_both): one key, or several in a second line
_ONE = {
    "UnmarshalJSON": re.compile(r'^// UnmarshalJSON accepts the legacy "([^"]+)" key when '
                                r'"([^"]+)" is absent\.$'),
    "MarshalJSON": re.compile(r'^// MarshalJSON writes the value under both "([^"]+)" and the '
                              r'legacy "([^"]+)" key\.$'),
}
_SEVERAL = {
    "UnmarshalJSON": (METHOD_DOCS["UnmarshalJSON"][1], re.compile(r'"([^"]+)" for "([^"]+)"')),
    "MarshalJSON": (METHOD_DOCS["MarshalJSON"][1], re.compile(r'"([^"]+)" and "([^"]+)"')),
}
# a legacy field of the methods' `aux` struct: `LegacyRunID string `json:"run_id,string"``
_LEGACY_FIELD = re.compile(r'^\s*Legacy(\w+)\s+\*?(.+?)\s+`json:"([^",]*)((?:,[^"]*)?)"`\s*$')
_SPACE = re.compile(r"[ \t]+")
_POINTER_RECEIVER = re.compile(r"func\s*\(\s*\w*\s*\*")


def merge_into_own(fe: FileEdits, receiver_type: str, type_name: str, method: str,
                   keys: list[Key], ids: tuple[str, ...]) -> bool:
    """Write ``method`` of ``receiver_type`` (``type_name`` as patched) again with ``keys`` after
    its own, when it is the method idrename writes (see the module's docstring); False (nothing
    added) when it is not."""
    from .gosyntax import parse
    from .transforms import (
        _marshal_both,
        _unmarshal_legacy,
        ensure_import,
        marshal_both_before,
        unmarshal_legacy_before,
    )

    # the whole file's tree: the patch's may hold only the declarations the rename touches
    root = parse(fe.data).root_node
    found = _method(root, receiver_type, method)
    if found is None:
        return False
    start, end = found
    text = fe.render(start, end).decode("utf-8", "replace")
    lines = text.split("\n")
    own = _keys(method, lines)
    # (a MarshalJSON on a pointer receiver is the form for a struct that holds a lock)
    by_pointer = method == "MarshalJSON" and _POINTER_RECEIVER.match(
        next((line for line in lines if line.startswith("func")), "")) is not None

    def make(name: str, keys: list[Key]) -> list[str]:
        if method == "UnmarshalJSON":
            return _unmarshal_legacy(name, keys)
        return _marshal_both(name, keys, by_pointer=by_pointer)

    forms = (make, unmarshal_legacy_before if method == "UnmarshalJSON" else marshal_both_before)
    if not own or all(_normal(form(type_name, own)) != _normal(lines) for form in forms):
        return False  # (the form an earlier version wrote is written again in the current one)
    added = [k for k in keys if k[0] not in {o[0] for o in own}]
    if not added:
        return True  # it reads (writes) these keys already: an earlier apply merged them
    # A field renamed again: its older legacy keys now stand for its new key, and its latest
    # legacy key is read first (the key a client sent last wins over an older one).
    latest = {k[2]: k for k in added}
    merged: list[Key] = []
    for o in own:
        if o[2] in latest and latest[o[2]] not in merged:
            merged.append(latest[o[2]])
        merged.append((o[0], latest[o[2]][1], *o[2:]) if o[2] in latest else o)
    merged += [k for k in added if k not in merged]
    nl = "\r\n" if b"\r\n" in fe.data[start:end] else "\n"
    fe.add(Edit(start, end, "\n".join(make(type_name, merged)).replace("\n", nl).encode(),
                f"legacy keys merged into {method}", ids, covers=True))
    if method == "MarshalJSON":
        ensure_import(fe, root, "bytes")  # (the current form's, perhaps not the earlier one's)
    return True


def _method(root: Node, receiver_type: str, method: str) -> tuple[int, int] | None:
    """The bytes of the declaration of ``method`` on ``receiver_type`` (pointer or value
    receiver), its doc comment included."""
    for node in root.named_children:
        if node.type != "method_declaration":
            continue
        name = node.child_by_field_name("name")
        receiver = node.child_by_field_name("receiver")
        if name is None or receiver is None or name.text.decode() != method:
            continue
        params = [p for p in receiver.named_children if p.type == "parameter_declaration"]
        typ = params[0].child_by_field_name("type") if len(params) == 1 else None
        if typ is None or typ.text.decode().lstrip("*").strip() != receiver_type:
            continue
        start = node.start_byte
        doc = node.prev_named_sibling
        while doc is not None and doc.type == "comment" and \
                doc.end_point[0] + 1 == _row_of(root, start):
            start = doc.start_byte
            doc = doc.prev_named_sibling
        return start, node.end_byte
    return None


def _row_of(root: Node, offset: int) -> int:
    found = root.descendant_for_byte_range(offset, offset)
    return found.start_point[0] if found is not None else -1


def _keys(method: str, lines: list[str]) -> list[Key]:
    """The keys the method's doc comment and legacy fields name, in their order ([] when they
    do not agree)."""
    pairs: list[tuple[str, str]] = []
    if (m := _ONE[method].match(lines[0].rstrip("\r"))) is not None:
        # "legacy <old> when <new>" (Unmarshal), "both <new> and the legacy <old>" (Marshal)
        pairs = [m.groups()] if method == "UnmarshalJSON" else [m.groups()[::-1]]
    elif lines[0].rstrip("\r") == _SEVERAL[method][0] and len(lines) > 1:
        found = _SEVERAL[method][1].findall(lines[1])
        pairs = found if method == "UnmarshalJSON" else [p[::-1] for p in found]
    fields = [m.groups() for line in lines if (m := _LEGACY_FIELD.match(line)) is not None]
    if not pairs or len(fields) != len(pairs):
        return []
    keys: list[Key] = []
    for (old, new), (name, typ, tagged, opts) in zip(pairs, fields, strict=True):
        if tagged != old:
            return []
        # a field's second legacy key is numbered (`LegacySessionID2`)
        fld = next((k[2] for k in keys if name.startswith(k[2]) and name[len(k[2]):].isdigit()),
                   name)
        keys.append((old, new, fld, typ.strip(), opts))
    return keys


def _normal(lines: list[str]) -> list[str]:
    """The lines (an element may hold several) with their white space runs made one space
    (gofmt aligns the fields)."""
    return [_SPACE.sub(" ", line.rstrip("\r")).strip() for line in "\n".join(lines).split("\n")]
