"""Real-browser fixtures: the dashboard served in a thread, driven by Playwright with Debian's
Chromium (/usr/bin/chromium, or $CHROME_BIN). No browser is ever downloaded: without Chromium
these tests are skipped with a note saying how to install it.

Screenshots go to $SCREENSHOT_DIR (default artifacts/screenshots/, which git ignores).
"""

from __future__ import annotations

import importlib.util
import os
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROME_BIN", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",  # CI runs as root
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SKIP_REASON = (f"Chromium not found at {CHROMIUM}: install Debian's chromium (make system-deps, or "
               "apt-get install --no-install-recommends chromium fonts-liberation) or set CHROME_BIN. "
               "Never run `playwright install`.")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skip every browser test, with the reason, when Chromium or Playwright is missing."""
    reason = None
    if not Path(CHROMIUM).exists():
        reason = SKIP_REASON
    elif importlib.util.find_spec("playwright") is None:
        reason = "playwright (the Python package) is not installed: pip install -e '.[test]'"
    if reason:
        here = Path(__file__).parent
        for item in items:
            if Path(str(item.fspath)).is_relative_to(here):
                item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session")
def screenshots() -> Path:
    folder = Path(os.environ.get("SCREENSHOT_DIR", ROOT / "artifacts" / "screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="session")
def store():
    from dashboard.store import ScenarioStore

    return ScenarioStore(ROOT)


@pytest.fixture(scope="session")
def dash_url(store):
    """The dashboard's Flask server in a thread on 127.0.0.1, on a port the OS picks."""
    from werkzeug.serving import make_server

    from dashboard.app import create_app

    server = make_server("127.0.0.1", 0, create_app(store=store).server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    thread.join(timeout=5)


EXPECT_MS = 20_000
"""How long an ``expect`` waits for the page (playwright's default is 5 s). A whole-page update
takes well under a second on a quiet machine, but CI machines have run the dashboard 2.5 to 4 times
slower than that, with the server, Chromium and the test sharing two cores, and took over 5 s."""


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=EXPECT_MS)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    """A fresh page; console errors and failed requests outside 127.0.0.1 are collected."""
    context = browser.new_context(viewport={"width": 1440, "height": 1000}, accept_downloads=True)
    pg = context.new_page()
    errors: list[str] = []
    outside: list[str] = []
    pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.on("request", lambda r: outside.append(r.url) if not r.url.startswith(("http://127.0.0.1", "data:", "blob:"))
          else None)
    pg.console_errors = errors
    pg.outside_requests = outside
    yield pg
    context.close()
