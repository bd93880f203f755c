"""Headless Chromium for the browser tests: Debian's /usr/bin/chromium driven by Python playwright.

Never a browser that playwright downloads: ``scripts/install-browser.sh`` installs Debian's
Chromium, and every test here skips with its reason when that or playwright is missing.

:class:`PageWatch` records what a page reports while a test drives it: console errors, uncaught
page errors, failed requests, and every request that leaves the machine (those are answered
here, never sent: the tests run offline).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
# Any http(s) URL whose host is not this machine's loopback.
EXTERNAL = re.compile(r"^https?://(?!(127\.0\.0\.1|localhost|\[::1\])(:\d+)?/)")


def require_browser() -> Any:
    """The playwright sync API module, or a skip saying what is missing."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: run scripts/install-browser.sh (Debian's chromium)")
    try:
        from playwright import sync_api
    except ImportError:
        pytest.skip("the playwright package is missing: pip install playwright "
                    "(only the Python package; the tests use /usr/bin/chromium)")
    return sync_api


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    sync_api = require_browser()
    with sync_api.sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@dataclass
class PageWatch:
    """What one page said while it was driven."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    external_requests: list[str] = field(default_factory=list)

    def problems(self, allowed_external: frozenset[str] = frozenset()) -> list[str]:
        """Everything that should not have happened, one line each."""
        out = [f"console error: {text}" for text in self.console_errors]
        out += [f"page error: {text}" for text in self.page_errors]
        out += [f"request failed: {url}" for url in self.failed_requests]
        out += [f"external request: {url}" for url in self.external_requests
                if url not in allowed_external]
        return out


def watch(page: Any, *, stub_external: frozenset[str] = frozenset()) -> PageWatch:
    """Record ``page``'s errors and answer its external requests here: the URLs in
    ``stub_external`` get an empty 200 (known, harmless template links), any other is aborted.
    Both kinds are recorded."""
    seen = PageWatch()

    def on_console(message: Any) -> None:
        if message.type == "error":
            seen.console_errors.append(message.text)

    def on_external(route: Any) -> None:
        url = route.request.url
        seen.external_requests.append(url)
        if url in stub_external:
            content_type = "text/css" if url.endswith(".css") else "text/plain"
            route.fulfill(status=200, content_type=content_type, body="")
        else:
            route.abort()

    def on_failed(request: Any) -> None:
        if not EXTERNAL.match(request.url):
            seen.failed_requests.append(request.url)

    page.on("console", on_console)
    page.on("pageerror", lambda error: seen.page_errors.append(str(error)))
    page.on("requestfailed", on_failed)
    page.route(EXTERNAL, on_external)
    return seen


@pytest.fixture
def new_page(browser: Any) -> Iterator[Any]:
    """A factory: ``new_page(stub_external=...)`` gives ``(page, PageWatch)``; pages close at
    teardown."""
    contexts: list[Any] = []

    def make(*, stub_external: frozenset[str] = frozenset()) -> tuple[Any, PageWatch]:
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        contexts.append(context)
        page = context.new_page()
        return page, watch(page, stub_external=stub_external)

    yield make
    for context in contexts:
        context.close()
