"""Shared by every end-to-end test file: one Playwright, one Chromium and one app server for the whole session.

Playwright's sync API runs an asyncio loop in the main thread while it is open, so a second
``sync_playwright()`` in another test file fails; every file takes these fixtures instead.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.server import CHROMIUM_ARGS, chromium_path, running_app

ROOT = Path(__file__).resolve().parents[2]
INSTALL_HINT = (
    "No Chromium found for the end-to-end tests. Install one, e.g. `sudo apt-get install chromium` "
    "(Debian/Ubuntu), or point PIXEL_LAB_CHROMIUM at a Chromium or Chrome executable."
)


@pytest.fixture(scope="session")
def playwright():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def executable(playwright) -> str:
    found = chromium_path(playwright)
    if found is None:
        pytest.fail(INSTALL_HINT)
    return found


@pytest.fixture(scope="session")
def browser(playwright, executable):
    browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture(scope="session")
def server():
    (ROOT / "test-output").mkdir(exist_ok=True)
    with running_app("app.py", log=ROOT / "test-output" / "streamlit-e2e.log") as app:
        yield app.url


@pytest.fixture()
def page(browser):
    """A fresh context (its own Streamlit session) and tab at 1440 × 900, collecting page errors."""
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    yield page
    context.close()
