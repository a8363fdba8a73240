"""Browser fixtures: a live portal over the seed index, driven by headless Chromium.

Playwright drives Debian's Chromium (``make browser`` installs it); nothing is
downloaded at run time. Playwright is in the test extra, so without it the tests
fail. Without Chromium they fail too, saying what to install, wherever Chromium
must be there: under CI (``CI`` set to anything but ``false``/``0``) or when
``OVERSIGHT_BROWSER=required``. Only on a developer's machine without Chromium and
with neither set are they skipped, with a reason saying so; ``-rs`` shows it.
Every browser test is also marked ``slow``, so ``pytest -m "not slow"`` leaves
them out.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.conftest import make_app

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.slow)


def chromium_required() -> bool:
    """Whether a missing Chromium is a failure here rather than a skip."""
    ci = os.environ.get("CI", "").strip().lower() not in ("", "0", "false")
    return ci or os.environ.get("OVERSIGHT_BROWSER", "") == "required"


@pytest.fixture(scope="session")
def live_server(index_dir, corpus_dir) -> Iterator[str]:
    """Serve the portal over the seed index on a free loopback port."""
    app = make_app(index_dir, corpus_dir)
    server = make_server("127.0.0.1", 0, app, threaded=False)
    # Permalinks start with BASE_URL, never the Host header: here, where it serves.
    app.config["BASE_URL"] = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser():
    """Launch headless Chromium once; fail, or skip on a developer's machine."""
    if not CHROMIUM.exists() and not shutil.which("chromium"):
        message = "Chromium is not installed (run `make browser` as root to add it)"
        if chromium_required():
            pytest.fail(f"{message}; CI or OVERSIGHT_BROWSER=required needs it")
        pytest.skip(message)
    from playwright import sync_api  # in the test extra: missing is a failure

    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(
                CHROMIUM if CHROMIUM.exists() else shutil.which("chromium")
            ),
            args=CHROMIUM_ARGS,
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    """A fresh page in its own context, so tests share no cookies or storage."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def screenshot(page, name: str) -> Path:
    """Save a full-page screenshot under var/screenshots for a person to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
