"""Byte edits on one file: replacements and insertions, checked for overlap, applied in one pass.

An edit replaces ``data[start:end]`` with ``text`` (an insertion has ``start == end``). A
structural edit may *cover* simple edits (a statement rewritten around a renamed local): it then
renders the covered range with those edits applied and takes their place. Edits that overlap
without one covering the other are an error, never a silent merge.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple


class Edit(NamedTuple):
    """An immutable edit (a named tuple: a patch of many files makes tens of thousands)."""

    start: int
    end: int
    text: bytes
    reason: str
    ids: tuple[str, ...] = ()
    covers: bool = False  # a structural edit that subsumes the simple edits inside its range

    @property
    def is_insertion(self) -> bool:
        return self.start == self.end


class EditConflict(ValueError):
    """Two edits overlap: the plan is inconsistent and nothing is written."""


@dataclass
class FileEdits:
    """The edits planned for one file, plus the warnings raised while planning them."""

    path: str
    data: bytes
    edits: list[Edit] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def add(self, edit: Edit) -> None:
        self.edits.append(edit)

    def warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)

    def render(self, start: int, end: int) -> bytes:
        """``data[start:end]`` with the simple (non-covering) edits inside it applied."""
        inner = [e for e in self.edits if not e.covers and start <= e.start and e.end <= end
                 and not (e.is_insertion and e.start in (start, end))]
        return _apply(self.data[start:end], [
            Edit(e.start - start, e.end - start, e.text, e.reason) for e in inner
        ])

    def result(self) -> bytes:
        return apply_edits(self.data, self.edits, path=self.path)


def resolve(edits: Sequence[Edit], *, path: str = "") -> list[Edit]:
    """Drop simple edits that a covering edit subsumes; refuse any other overlap."""
    covering = [e for e in edits if e.covers]
    kept: list[Edit] = []
    for e in edits:
        if not e.covers and any(c.start <= e.start and e.end <= c.end and not (
                e.is_insertion and e.start in (c.start, c.end)) for c in covering):
            continue
        kept.append(e)
    kept = sorted(set(kept), key=lambda e: (e.start, e.end, e.text))
    for a, b in itertools.pairwise(kept):
        if b.start < a.end or (a.start == b.start and a.end == b.end and not a.is_insertion):
            raise EditConflict(
                f"{path}: edits overlap at bytes {a.start}-{a.end} ({a.reason}) and "
                f"{b.start}-{b.end} ({b.reason}); the plan is inconsistent, nothing was written. "
                "Give one of these occurrences another decision in the policy."
            )
    return kept


def apply_edits(data: bytes, edits: Iterable[Edit], *, path: str = "") -> bytes:
    return _apply(data, resolve(list(edits), path=path))


def _apply(data: bytes, edits: Sequence[Edit]) -> bytes:
    out = []
    pos = 0
    for e in sorted(edits, key=lambda e: (e.start, e.end)):
        out.append(data[pos : e.start])
        out.append(e.text)
        pos = e.end
    out.append(data[pos:])
    return b"".join(out)


def line_start(data: bytes, offset: int) -> int:
    return data.rfind(b"\n", 0, offset) + 1


def indentation(data: bytes, offset: int) -> bytes:
    """The leading white space of the line that holds ``offset``."""
    start = line_start(data, offset)
    end = start
    while end < len(data) and data[end : end + 1] in (b" ", b"\t"):
        end += 1
    return data[start:end]


def newline_of(data: bytes) -> bytes:
    return b"\r\n" if b"\r\n" in data else b"\n"
