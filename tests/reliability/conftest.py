"""The reliability run's ledger: faults injected, files corrupted or lost, one summary line."""

from __future__ import annotations

import os
from typing import Any

import pytest

from ._support import LEDGER, Ledger


@pytest.fixture
def ledger() -> Ledger:
    return LEDGER


@pytest.fixture
def as_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: Any) -> None:
    if LEDGER.faults == 0 and LEDGER.trees_checked == 0:
        return
    terminalreporter.write_line(
        f"reliability: {LEDGER.faults} faults injected, {len(LEDGER.corrupted)} files corrupted "
        "or lost",
        red=bool(LEDGER.corrupted), green=not LEDGER.corrupted,
    )
    if LEDGER.corrupted:
        terminalreporter.write_line(f"reliability: corrupted or lost: {sorted(set(LEDGER.corrupted))}",
                                    red=True)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if LEDGER.corrupted:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
