"""Shared by every end-to-end test file: one Playwright, one Chromium and one app server for the whole session.

Playwright's sync API runs an asyncio loop in the main thread while it is open, so a second
``sync_playwright()`` in another test file fails; every file takes these fixtures instead.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

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
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")  # each pytest-xdist worker runs its own server
    with running_app("app.py", log=ROOT / "test-output" / f"streamlit-e2e{'-' + worker if worker else ''}.log") as app:
        yield app.url


def record_requests(page) -> list[str]:
    """Every address the tab asks for from now on: requests (pictures, scripts, components' frames, the tab's
    icon) and websockets."""
    addresses: list[str] = []
    page.context.on("request", lambda request: addresses.append(request.url))
    page.on("websocket", lambda socket: addresses.append(socket.url))
    return addresses


def other_hosts(addresses: list[str], server: str) -> list[str]:
    """The addresses that leave the app's own host (data: and blob: addresses stay in the browser)."""
    origin = urlsplit(server).netloc
    return sorted({address for address in addresses
                   if urlsplit(address).scheme not in ("data", "blob") and urlsplit(address).netloc != origin})


@pytest.fixture(scope="session")
def shared_tab(browser):
    """One tab for the tests that take `page`: opening a new tab (or context) costs Chromium 2-3 s of start-up
    per test, going to a new address in an open tab about 1-2 s (measured on Home and four lessons). Each
    `goto` still opens a new Streamlit session; tests that need their own cookies or storage make a context."""
    from benchmarks.latency import WIRE

    context = browser.new_context(viewport={"width": 1440, "height": 900})
    # The latency benchmark's websocket recorder: its `interact` then knows when a control's rerun has finished
    # even when no picture changes (Finding features' vote slider) and the script state flips too fast to see.
    context.add_init_script(WIRE)
    tab = context.new_page()
    tab.errors, tab.requests = [], record_requests(tab)
    tab.on("pageerror", lambda error: tab.errors.append(str(error)))
    yield tab
    context.close()


@pytest.fixture()
def page(shared_tab):
    """The shared tab at 1440 × 900, with empty lists of page errors (`page.errors`) and of the addresses it asked
    for (`page.requests`); afterwards its storage is emptied (saved progress) and it is left on a blank page, so
    the server closes that session."""
    shared_tab.set_viewport_size({"width": 1440, "height": 900})
    shared_tab.errors.clear()
    shared_tab.requests.clear()
    yield shared_tab
    if shared_tab.url.startswith("http"):
        shared_tab.evaluate("() => { localStorage.clear(); sessionStorage.clear(); }")
    shared_tab.goto("about:blank")
