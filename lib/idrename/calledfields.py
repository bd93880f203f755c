"""Method calls of a name that the roots declare only as fields that cannot be called.

A package keeps a file's ``Size`` and ``ModTime`` in a struct of its own, and fills them from
``os.Stat``::

    type Entry struct {
        Size    int64
        ModTime time.Time
    }

    info, err := os.Stat(path)
    return Entry{Size: info.Size(), ModTime: info.ModTime()}, err

``info.Size()`` is ``fs.FileInfo``'s method, not the field: renamed with it, it no longer
compiles. The syntax does not type ``info``; but a call ``x.Name(...)`` names a method, or a
field of a func type. When the roots declare ``Name`` as no method and no interface method,
only as fields whose types cannot be called, every such call is of a type declared outside
the roots, and :func:`calls_of_value_fields` keeps it.

A field's type cannot be called when it is a basic type (``int64``, ``string``, ``error``), a
slice, array, map, pointer, channel, struct or interface type, or a type of the standard
library whose name does not end in ``Func`` (``time.Time``; the standard library's func types
are named so, ``http.HandlerFunc``, ``context.CancelFunc``, but for ``iter.Seq`` and
``iter.Seq2``). Any other named type may be a func
type (``type Hook func()``, another module's), so a field of it counts as callable.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from . import roles as R
from .outside import file_imports
from .policy import row_flag, row_value

RATIONALE = ("{name}() calls a method, and the roots declare {name} as no method, only as a "
             "field that cannot be called ({where}: {type}): it is a method of a type declared "
             "outside them (the syntax does not type the value), which this plan does not edit")
_BASIC = frozenset({"bool", "string", "int", "int8", "int16", "int32", "int64", "uint", "uint8",
                    "uint16", "uint32", "uint64", "uintptr", "float32", "float64", "complex64",
                    "complex128", "byte", "rune", "error", "any"})
_UNCALLABLE_STARTS = ("[", "map[", "*", "chan", "<-", "struct", "interface")
# After a field's name: the other names of its declaration, then its type, up to its tag, a
# comment, the line's end or the struct's
_TYPE_AFTER_NAME = re.compile(rb"[ \t]*(?:,[ \t]*\w+[ \t]*)*([^`\"/\n;}]+)")
_METHOD_ROLES = frozenset({R.METHOD_DECL, R.INTERFACE_METHOD})


def calls_of_value_fields(rows: Sequence[Mapping[str, Any]],
                          data: Callable[[Mapping[str, Any]], bytes | None]) -> dict[int, str]:
    """The method-call rows (by index) whose name the roots declare only as fields that cannot
    be called, each with the rationale of keeping it. ``data`` gives a row's file's bytes."""
    calls: dict[str, list[int]] = {}
    fields: dict[str, list[Mapping[str, Any]]] = {}
    methods: set[str] = set()
    for i, row in enumerate(rows):
        role, text = row_value(row, "role"), row_value(row, "text")
        if role == R.METHOD_CALL and row_flag(row, "declared_in_module") and \
                row_value(row, "language") in ("go", ""):
            calls.setdefault(text, []).append(i)
        elif role == R.FIELD_DECL:
            fields.setdefault(text, []).append(row)
        elif role in _METHOD_ROLES:
            methods.add(text)
    kept: dict[int, str] = {}
    for name, indexes in calls.items():
        if name in methods or not fields.get(name):
            continue
        types = [_field_type(row, name, data) for row in fields[name]]
        if any(t is None or t[1] for t in types):
            continue  # a field that may be called, or whose type is not read
        first = fields[name][0]
        why = RATIONALE.format(
            name=name, type=types[0][0] if types[0] else "",
            where=f"{row_value(first, 'root')}/{row_value(first, 'path')}:"
                  f"{int(first.get('line', 0) or 0)}")
        for i in indexes:
            kept[i] = why
    return kept


def _field_type(row: Mapping[str, Any], name: str,
                data: Callable[[Mapping[str, Any]], bytes | None]) -> tuple[str, bool] | None:
    """(the type's text, whether a value of it may be called) of a field's declaration row;
    None when its file or its type cannot be read."""
    source = data(row)
    start = int(row.get("start_byte", -1) or -1)
    if source is None or start < 0 or source[start : start + len(name)] != name.encode():
        return None
    m = _TYPE_AFTER_NAME.match(source, start + len(name))
    text = m.group(1).decode("utf-8", "replace").strip() if m else ""
    if not text:
        return None
    return text, _callable(text, lambda: file_imports(source))


def _callable(type_text: str, imports: Callable[[], Mapping[str, str]]) -> bool:
    """Whether a value of the type ``type_text`` may be called (see the module's doc)."""
    if type_text.startswith("func"):
        return True
    if type_text.startswith(_UNCALLABLE_STARTS):
        return False
    base = type_text.split("[", 1)[0].strip()
    if base in _BASIC:
        return False
    qualifier, _, name = base.rpartition(".")
    if not qualifier:
        return True  # a type of the roots: perhaps a func type
    path = imports().get(qualifier)
    return path is None or "." in path.split("/", 1)[0] or name.endswith("Func") or \
        path == "iter"  # (iter.Seq and iter.Seq2 are func types)
