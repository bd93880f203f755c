"""The review panel as a design review sees it: notebooks/review_panel.ipynb served by Voilà,
driven in headless Chromium.

Voilà serves the notebook on a free loopback port with ``IDRENAME_POLICY`` pointing at a copy of
the committed policy (the committed file is never written). The test searches, picks a row, is
refused without a rationale, then applies a decision, and reads the override back from the copy.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from idrename.policy import load_policy
from idrename.widgets import ReviewPanel

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK = ROOT / "notebooks" / "review_panel.ipynb"
POLICY = ROOT / "data" / "policies" / "runid-to-sessionid.toml"
BACKEND = ROOT / "data" / "fixtures" / "moments" / "backend"
START_TIMEOUT = 90.0
PANEL_TIMEOUT_MS = 120_000
ACTION_TIMEOUT_MS = 60_000
# Voilà's lab template links Font Awesome from a CDN although its own bundle already carries the
# font; offline, those two stylesheets are answered here with empty CSS.
VOILA_CDN_STYLESHEETS = frozenset({
    "https://cdn.jsdelivr.net/npm/@fortawesome/fontawesome-free@%5E5/css/all.min.css",
    "https://cdn.jsdelivr.net/npm/@fortawesome/fontawesome-free@%5E5/css/v4-shims.min.css",
})
SEARCH = "conversation.go"
RATIONALE = "decided in the design review: keep this one for now"


@dataclass
class Voila:
    url: str
    policy: Path
    log: Path
    process: subprocess.Popen[bytes]

    def log_tail(self, lines: int = 40) -> str:
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return "\n".join(text.splitlines()[-lines:])


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_port(server: Voila, port: int) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            pytest.fail(f"voila exited with {server.process.returncode}:\n{server.log_tail()}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.25)
    pytest.fail(f"voila did not listen on port {port} within {START_TIMEOUT:.0f}s:\n"
                f"{server.log_tail()}")


def stop(process: subprocess.Popen[bytes]) -> None:
    """End the server we started (its own process group: the server and its kernels)."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=15)


@pytest.fixture
def voila(tmp_path: Path) -> Iterator[Voila]:
    if importlib.util.find_spec("voila") is None:
        pytest.skip("the voila package is missing: pip install voila")
    policy = tmp_path / "meeting-policy.toml"
    shutil.copyfile(POLICY, policy)
    port = free_port()
    env = dict(os.environ)
    env.update({
        "IDRENAME_POLICY": str(policy),
        "JUPYTER_RUNTIME_DIR": str(tmp_path / "jupyter-runtime"),
        "JUPYTER_DATA_DIR": str(tmp_path / "jupyter-data"),
        "JUPYTER_CONFIG_DIR": str(tmp_path / "jupyter-config"),
        "PYDEVD_DISABLE_FILE_VALIDATION": "1",
    })
    env.pop("IDRENAME_ROOTS", None)
    log = tmp_path / "voila.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "voila", str(NOTEBOOK.relative_to(ROOT)), "--no-browser",
             f"--port={port}", "--Voila.ip=127.0.0.1"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    server = Voila(f"http://127.0.0.1:{port}/", policy, log, process)
    try:
        wait_for_port(server, port)
        yield server
    finally:
        stop(process)


def expected_rows(policy: Path) -> list[tuple[str, str]]:
    """The rows the served panel should list for SEARCH, built here with the same library."""
    panel = ReviewPanel.from_roots([BACKEND], policy)
    panel.search.value = SEARCH
    return list(panel.rows.options)


def test_review_panel_in_voila_writes_an_override(voila: Voila, new_page: Any,
                                                  tmp_path: Path) -> None:
    from playwright.sync_api import expect

    original = voila.policy.read_bytes()
    rows = expected_rows(voila.policy)
    assert rows, f"the fixture has no row matching {SEARCH!r}"
    first_label, first_id = rows[0]

    page, seen = new_page(stub_external=VOILA_CDN_STYLESHEETS)
    page.goto(voila.url, wait_until="load")
    rows_select = page.locator(".idrename-rows select")
    try:
        rows_select.wait_for(timeout=PANEL_TIMEOUT_MS)
    except Exception:
        page.screenshot(path=str(tmp_path / "panel-missing.png"))
        pytest.fail(f"the panel did not render:\n{voila.log_tail()}")

    count = page.locator(".idrename-count")
    expect(count).to_contain_text(" occurrences", timeout=ACTION_TIMEOUT_MS)
    total = count.inner_text().split(" of ", 1)[1]

    search = page.locator(".idrename-search input")
    search.fill(SEARCH)
    search.press("Enter")
    expect(count).to_have_text(f"{len(rows)} of {total}", timeout=ACTION_TIMEOUT_MS)
    options = rows_select.locator("option")
    expect(options).to_have_count(len(rows), timeout=ACTION_TIMEOUT_MS)
    assert " ".join(options.first.inner_text().split()) == " ".join(first_label.split())

    rows_select.select_option(index=0)
    expect(page.locator(".idrename-details")).to_contain_text(first_id,
                                                              timeout=ACTION_TIMEOUT_MS)
    page.locator(".idrename-decision select").select_option("keep")

    status = page.locator(".idrename-status")
    apply = page.locator("button.idrename-apply")
    apply.click()
    expect(status).to_contain_text("refused: a rationale is required", timeout=ACTION_TIMEOUT_MS)
    assert voila.policy.read_bytes() == original

    page.locator(".idrename-rationale input").fill(RATIONALE)
    apply.click()
    expect(status).to_have_text(f"1 override written to {voila.policy.name}",
                                timeout=ACTION_TIMEOUT_MS)
    expect(options.first).to_contain_text("[keep]", timeout=ACTION_TIMEOUT_MS)
    page.screenshot(path=str(tmp_path / "panel.png"), full_page=True)

    text = voila.policy.read_bytes()
    assert text.startswith(original), "the policy copy's existing text changed"
    override = load_policy(voila.policy).override_for(first_id)
    assert override is not None, f"no [[override]] for {first_id} in the policy copy"
    assert (override.decision, override.rationale, override.target) == ("keep", RATIONALE, None)
    assert POLICY.read_bytes() != text  # only the copy was written

    assert seen.problems(VOILA_CDN_STYLESHEETS) == [], voila.log_tail()
