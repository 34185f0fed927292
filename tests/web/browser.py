"""Playwright against the live server, with axe-core run on every page visited.

Chromium is Debian's (CONFIDE_CHROMIUM, default /usr/bin/chromium); axe-core comes from the npm registry
(scripts/test.sh installs it and exports CONFIDE_AXE_JS). Nothing is downloaded by the tests themselves.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SHOTS = Path(os.environ.get("CONFIDE_SHOTS", "/tmp/confide-shots"))  # noqa: S108 - screenshots for a person to look at
DEFAULT_AXE = Path(__file__).resolve().parents[2] / "var/node/node_modules/axe-core/axe.min.js"


def axe_source() -> str:
    path = Path(os.environ.get("CONFIDE_AXE_JS", str(DEFAULT_AXE)))
    if not path.exists():
        raise RuntimeError(f"axe-core not found at {path}: run scripts/test.sh, or npm install axe-core into var/node")
    return path.read_text()


class Visit:
    """A page that checks itself: no serious or critical axe finding and no CSP violation on any page shown."""

    def __init__(self, page: Any, base_url: str) -> None:
        self.page = page
        self.base_url = base_url
        self.csp_errors: list[str] = []
        self._axe = axe_source()
        page.on("console", self._console)

    def _console(self, message: Any) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            self.csp_errors.append(message.text)

    def goto(self, path: str) -> Any:
        response = self.page.goto(self.base_url + path)
        self.check()
        return response

    def check(self) -> None:
        """Run axe on the current page; fail on serious or critical violations and on any CSP violation."""
        self.page.wait_for_load_state("load")
        # Runtime evaluation is outside the page's CSP, so the strict policy stays on for the app itself.
        self.page.evaluate(self._axe + "\n;0")
        violations = self.page.evaluate(
            """async () => {
                const result = await axe.run(document, {resultTypes: ["violations"]});
                return result.violations
                    .filter(v => v.impact === "serious" || v.impact === "critical")
                    .map(v => `${v.id} (${v.impact}): ${v.help} -> ${v.nodes.map(n => n.target.join(" ")).join(", ")}`);
            }"""
        )
        assert violations == [], f"axe on {self.page.url}:\n" + "\n".join(violations)
        assert self.csp_errors == [], self.csp_errors

    def choose_format(self, code: str) -> None:
        """Pick a note format once htmx has wired the (possibly just swapped-in) editor's picker."""
        self.page.locator("#note-editor[data-ready]").wait_for()
        self.page.get_by_label("Note format").select_option(code)

    def shot(self, name: str) -> None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=os.environ.get("CONFIDE_CHROMIUM", "/usr/bin/chromium"), args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def visit(chromium: Any, live_server: Any) -> Iterator[Visit]:
    context = chromium.new_context(viewport={"width": 1280, "height": 860})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield Visit(page, live_server.url)
    close(context, live_server)


def close(context: Any, live_server: Any) -> None:
    """Close a browser context and wait until the live server has answered everything it sent.

    Leaving a page may send the editor's last autosave (a beacon on pagehide). That request, and any other still
    running, must finish before the test database is flushed: a flush racing a request's transaction deadlocks on
    PostgreSQL.
    """
    for page in context.pages:
        page.goto("about:blank")
    context.close()
    _wait_for_requests_to_finish(live_server)


def _wait_for_requests_to_finish(live_server: Any, timeout: float = 10.0) -> None:
    """Join the live server's request threads (socketserver keeps them in ``_threads``) until none runs for 0.2 s."""
    threads = getattr(live_server.thread.httpd, "_threads", [])
    deadline = time.monotonic() + timeout
    quiet_since = time.monotonic()
    while time.monotonic() < deadline:
        running = [thread for thread in list(threads) if thread.is_alive()]
        if running:
            for thread in running:
                thread.join(max(0.0, deadline - time.monotonic()))
            quiet_since = time.monotonic()
        elif time.monotonic() - quiet_since >= 0.2:
            return
        else:
            time.sleep(0.02)


def sign_in(visit: Visit, username: str, password: str) -> None:
    visit.goto("/sign-in/")
    visit.page.get_by_label("Username").fill(username)
    visit.page.get_by_label("Password").fill(password)
    visit.page.get_by_role("button", name="Continue").click()
    visit.page.wait_for_load_state("load")
    visit.check()
