"""Fewer runs of Python's cyclic garbage collector while a plan builds its tables.

A plan holds a few million small objects at once (the decided rows, the symbol indexes, the
parsed facts), and almost all of them live until it ends. With the default thresholds the
collector walks that whole heap again each time it grows by a quarter: a dozen full
collections, about a second of a re-plan after a source edit on the benchmark's tree, spent
mostly on objects that are alive. Inside :func:`fewer_collections` the youngest generation is collected
after 100,000 allocations instead of 700 and the oldest practically never; on leaving, the
thresholds in force before are restored and the next ordinary collection finds whatever cycles
were left. Reference counting frees everything else as usual, so the peak memory does not
change (the benchmark measures it).
"""

from __future__ import annotations

import functools
import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import ParamSpec, TypeVar

THRESHOLDS = (100_000, 50, 100)

P = ParamSpec("P")
R = TypeVar("R")


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Raise the collector's thresholds to :data:`THRESHOLDS` (never lower them) for the
    duration; the thresholds before are restored on leaving, also after an exception."""
    before = gc.get_threshold()
    gc.set_threshold(*(max(now, raised) for now, raised in zip(before, THRESHOLDS, strict=True)))
    try:
        yield
    finally:
        gc.set_threshold(*before)


def with_fewer_collections(function: Callable[P, R]) -> Callable[P, R]:
    """``function`` run inside :func:`fewer_collections`."""

    @functools.wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with fewer_collections():
            return function(*args, **kwargs)

    return wrapper
