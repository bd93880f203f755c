"""Suite-wide settings: the inventory cache lives in a temporary folder, never the user's."""

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
