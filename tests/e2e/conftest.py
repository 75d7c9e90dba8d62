"""One `streamlit run` and one Chromium for the browser tests that need no server of their own (test_browser.py,
test_accessibility.py): the second module finds the first one's pages already computed. test_journey.py starts
its own, because it restarts its server."""

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
def server():
    (ROOT / "test-output").mkdir(exist_ok=True)
    with running_app("app.py", log=ROOT / "test-output" / "streamlit-e2e.log") as app:
        yield app.url


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        executable = chromium_path(playwright)
        if executable is None:
            pytest.fail(INSTALL_HINT)
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
