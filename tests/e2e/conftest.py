"""Fixtures shared by the browser tests: one `streamlit run` server and one Chromium for the session, a fresh
context (its own Streamlit session) per test. Shared here because Playwright's sync API allows one instance at a
time: two modules each starting their own would fail when run together."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.server import CHROMIUM_ARGS, chromium_path, running_app

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def server():
    (ROOT / "test-output").mkdir(exist_ok=True)
    with running_app("app.py", log=ROOT / "test-output" / "streamlit-e2e.log") as app:
        yield app.url


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    from tests.e2e.test_browser import INSTALL_HINT

    with sync_playwright() as playwright:
        executable = chromium_path(playwright)
        if executable is None:
            pytest.fail(INSTALL_HINT)
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    yield page
    context.close()
