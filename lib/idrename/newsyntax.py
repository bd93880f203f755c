"""Go syntax the grammar does not parse, and how a file that uses it is parsed all the same.

tree-sitter-go 0.25 predates two forms the Go toolchain now accepts, and reads one old form as
an error:

- ``new(expr)`` (Go 1.26): ``new`` takes an expression as well as a type (``new(42)``,
  ``new("key")``, ``new(f())``, ``new(T{A: 1})``). The grammar reads ``new``'s argument as a
  type, so an expression there is a syntax error, and error recovery can swallow what follows;
- type parameters on a method (Go 1.27): ``func (r *Rand) N[Int intType](n Int) Int``;
- a function that shadows ``make`` (``make := func(n int) *X``, called ``make(n - 1)``): the
  grammar reads ``make``'s first argument as a type too.

A file that does not parse and uses one of them is parsed again from a masked copy of the same
length (:func:`masked`): ``new`` (``make``) before an argument that is not spelled as a type
becomes ``n3w`` (``m4ke``), an ordinary call whose argument is an expression, and a method's
type parameter list becomes blanks (its line breaks kept). Every offset and line is the same,
so rows and edits address the original bytes. The masked spans come back with the copy: what
stands in them is neither classified nor edited, so the scanner keeps a file unparsed when a
family token stands in one (a type parameter named in the family, or a family named ``new``).
"""

from __future__ import annotations

import re

# `new(` or `make(` as a builtin is called (not a method `x.new(`, not part of a longer name)
_BUILTIN_CALL_RE = re.compile(rb"(?<![\w.])(new|make)[ \t]*\(")
# a first argument spelled as a type: a slice, array or map type, a channel, a struct, a
# function, an interface or a pointer type, or a name (`new(T)`, `make(S, n)`, `pkg.T`,
# `T[int]`) that the argument ends with (an expression that starts so, `new([]int{1})`, is rare)
_TYPE_ARGUMENT_RE = re.compile(
    rb"\s*(?:\[|map\s*\[|chan\b|<-|struct\s*\{|func\s*\(|interface\s*\{|\*"
    rb"|[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)?(?:\[[\w\s.,*\[\]]*\])?\s*[,)])")
# a method declaration: `func (` at the start of a line
_METHOD_RE = re.compile(rb"(?m)^func[ \t]*\(")
_NAME_RE = re.compile(rb"[ \t]*[A-Za-z_]\w*[ \t]*")
_MASKS = {b"new": b"n3w", b"make": b"m4ke"}

Span = tuple[int, int]


def masked(data: bytes) -> tuple[bytes, tuple[Span, ...]] | None:
    """A copy of ``data`` with the newer forms masked, and the masked (start, end) spans;
    None when it uses neither."""
    spans: list[Span] = []
    for m in _BUILTIN_CALL_RE.finditer(data):
        if _TYPE_ARGUMENT_RE.match(data, m.end()) is None:
            spans.append(m.span(1))
    for m in _METHOD_RE.finditer(data):
        receiver_end = _closing(data, m.end() - 1, ord("("), ord(")"))
        if receiver_end is None:
            continue
        name = _NAME_RE.match(data, receiver_end + 1)
        if name is None or data[name.end() : name.end() + 1] != b"[":
            continue
        params_end = _closing(data, name.end(), ord("["), ord("]"))
        if params_end is not None:
            spans.append((name.end(), params_end + 1))
    if not spans:
        return None
    out = bytearray(data)
    for start, end in spans:
        if data[start:end] in _MASKS:
            out[start:end] = _MASKS[data[start:end]]
        else:
            out[start:end] = bytes(b if b in b"\r\n" else 0x20 for b in data[start:end])
    return bytes(out), tuple(sorted(spans))


def _closing(data: bytes, at: int, opening: int, closing: int) -> int | None:
    """The offset of the bracket that closes the one at ``at`` (brackets of the same kind
    nested in between counted; strings and comments are not expected in a receiver or a type
    parameter list), or None when the line breaks off first."""
    depth = 0
    for i in range(at, min(len(data), at + 4096)):
        c = data[i]
        if c == opening:
            depth += 1
        elif c == closing:
            depth -= 1
            if depth == 0:
                return i
        elif c == 0x7B and opening == 0x28:  # `{` before a receiver closes: not a method
            return None
    return None


def overlaps(spans: tuple[Span, ...], start: int, end: int) -> bool:
    """Whether [start, end) meets one of the masked spans."""
    return any(s < end and start < e for s, e in spans)
