"""Suite-wide settings: the inventory cache lives in a temporary folder, never the user's, and
the tests that leave threads running run last."""

from __future__ import annotations

import os
import tempfile

import pytest


@pytest.fixture(autouse=True, scope="session")
def _private_cache_dir() -> object:
    with tempfile.TemporaryDirectory(prefix="idrename-cache-") as folder:
        previous = os.environ.get("IDRENAME_CACHE_DIR")
        os.environ["IDRENAME_CACHE_DIR"] = folder
        yield folder
        if previous is None:
            os.environ.pop("IDRENAME_CACHE_DIR", None)
        else:
            os.environ["IDRENAME_CACHE_DIR"] = previous


# Tests that leave threads running for the rest of the session: exporting a notebook starts
# Jupyter's event-loop threads, a Dask cluster its offload thread.
_LEAVE_THREADS = ("browser", "test_dask.py")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The tests that leave threads running go last: a process with more than one thread
    never forks (idrename.forked), so the tests of forking would not fork after them."""
    def leaves_threads(item: pytest.Item) -> bool:
        return any(part in _LEAVE_THREADS for part in item.path.parts)

    items[:] = ([item for item in items if not leaves_threads(item)]
                + [item for item in items if leaves_threads(item)])
