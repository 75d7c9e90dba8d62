"""The learner's journey and the classroom, end to end in headless Chromium (issue 16).

* Progress stays in the browser: solved, reloaded, server restarted on the same port, browser closed and
  opened again on the same profile; a fresh browser context sees none; "Forget my progress" empties it;
  a damaged stored value gives a note, never a traceback.
* Presenter mode at 1280 × 720: the picture, the main controls and the QR code are on screen without
  scrolling (screenshots in test-output/presenter/); the QR code decodes (OpenCV) to exactly the link shown,
  which carries every setting, and that link opens the same page; moving a control redraws the code.
* A page in presenter mode (with its QR code) asks no host but the app's own (Home and every lesson are checked
  in test_browser.py).
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import cv2
import numpy as np
import pytest

from benchmarks.server import CHROMIUM_ARGS, free_port, wait_healthy
from tests.e2e.conftest import other_hosts, record_requests
from tests.e2e.test_browser import main_area, settle
from ui.lessons import LESSONS, LESSONS_BY_SLUG
from ui.progress import STORAGE_KEY

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
OUTPUT = ROOT / "test-output"
PROJECTOR = {"width": 1280, "height": 720}
TOTAL = sum(len(lesson.exercises) for lesson in LESSONS)


@contextlib.contextmanager
def app_on_port(port: int, log: Path):
    """``streamlit run app.py`` on a given loopback port (so it can be restarted at the same address)."""
    command = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true", "--server.port",
               str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
               "--server.fileWatcherType", "none"]
    with open(log, "a") as output:
        process = subprocess.Popen(command, cwd=ROOT, stdout=output, stderr=subprocess.STDOUT, env=dict(os.environ))
        try:
            url = f"http://127.0.0.1:{port}"
            wait_healthy(url, process, seconds=90)
            yield url
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


def stored(page) -> str | None:
    return page.evaluate(f"() => window.localStorage.getItem({STORAGE_KEY!r})")


def no_exception(page) -> None:
    assert page.locator("[data-testid='stException']").count() == 0


def home_count(page) -> str:
    """The Home page's "Exercises solved in this browser" figure, once the browser has reported its storage."""
    metric = page.locator("[data-testid='stMetric']").filter(has_text="Exercises solved in this browser")
    return metric.locator("[data-testid='stMetricValue']").inner_text()


def wait_for_home_count(page, expected: str, timeout: float = 30_000) -> None:
    page.wait_for_function(
        """(expected) => Array.from(document.querySelectorAll("[data-testid='stMetric']"))
               .some(m => m.innerText.includes("in this browser") && m.innerText.includes(expected))""",
        arg=expected, timeout=timeout,
    )


def solve_a_choice_exercise(page, lesson) -> str:
    """Solve the lesson's first choice exercise by trying its options in turn; returns its id."""
    for exercise in lesson.exercises:
        radio = page.locator(f".st-key-answer_{exercise}")
        if radio.locator("[role='radiogroup']").count() == 0:
            continue  # not a choice (or not on the page)
        options = radio.locator("[role='radiogroup'] label")
        labels = options.all_inner_texts()
        form = page.locator("[data-testid='stForm']").filter(has=radio)
        block = page.locator("[data-testid='stVerticalBlock']").filter(has=form).last
        for index in range(len(labels)):
            options.nth(index).click()
            form.get_by_role("button", name="Check").click()
            settle(page)
            if block.locator("[data-testid='stAlertContentSuccess']").count():
                # Right: the end of that run stored it in the browser.
                page.wait_for_function(
                    f"() => (localStorage.getItem({STORAGE_KEY!r}) || '').includes({exercise!r})", timeout=30_000)
                return exercise
        raise AssertionError(f"no option of {exercise} was accepted: {labels}")
    raise AssertionError(f"{lesson.slug} has no choice exercise on its default page")


def solved_mark(page, exercise: str) -> bool:
    """True if the exercise's heading says it is solved."""
    form = page.locator("[data-testid='stForm']").filter(has=page.locator(f".st-key-answer_{exercise}"))
    block = page.locator("[data-testid='stVerticalBlock']").filter(has=form).last
    return "✓ solved" in block.inner_text()


def wait_for_solved_mark(page, exercise: str, timeout: float = 30_000) -> None:
    page.wait_for_function(
        """(id) => {
            const radio = document.querySelector(`.st-key-answer_${id}`);
            const block = radio && radio.closest("[data-testid='stForm']")?.parentElement?.closest(
                "[data-testid='stVerticalBlock']");
            return block && block.innerText.includes("✓ solved");
        }""", arg=exercise, timeout=timeout,
    )


def test_progress_stays_in_the_browser_across_reloads_restarts_and_closing(playwright, executable, browser, tmp_path):
    lesson = LESSONS_BY_SLUG["histograms"]
    port = free_port()
    profile = tmp_path / "profile"
    log = OUTPUT / "streamlit-journey-restart.log"
    OUTPUT.mkdir(exist_ok=True)

    def open_profile():
        return playwright.chromium.launch_persistent_context(
            str(profile), executable_path=executable, args=CHROMIUM_ARGS, viewport={"width": 1440, "height": 900})

    with app_on_port(port, log) as url:
        context = open_profile()
        page = context.new_page()
        page.goto(f"{url}/{lesson.slug}")
        settle(page)
        exercise = solve_a_choice_exercise(page, lesson)
        assert f'"{exercise}"' in stored(page)  # only ids and a version: {"version":1,"solved":[...]}
        page.reload()
        settle(page)
        wait_for_solved_mark(page, exercise)
        no_exception(page)
    # A new server process at the same address: the session is gone, the browser still knows.
    with app_on_port(port, log) as url:
        page.goto(f"{url}/{lesson.slug}")
        settle(page)
        wait_for_solved_mark(page, exercise)
        context.close()  # the browser is closed ...
        context = open_profile()  # ... and opened again on the same profile
        page = context.new_page()
        page.goto(url)
        settle(page)
        wait_for_home_count(page, f"1 of {TOTAL}")
        no_exception(page)

        # A second, fresh browser context knows nothing.
        fresh = browser.new_context(viewport={"width": 1440, "height": 900}).new_page()
        fresh.goto(url)
        settle(fresh)
        fresh.wait_for_timeout(1500)  # the storage report and its rerun
        settle(fresh)
        assert home_count(fresh) == f"0 of {TOTAL}"
        assert stored(fresh) is None
        # A damaged value there gives a note and no traceback.
        fresh.evaluate(f"() => localStorage.setItem({STORAGE_KEY!r}, '{{\"version\": 1, \"solved\": [')")
        fresh.reload()
        settle(fresh)
        fresh.get_by_text("not readable (damaged or edited)").first.wait_for(timeout=30_000)
        no_exception(fresh)
        assert home_count(fresh) == f"0 of {TOTAL}"
        fresh.context.close()

        # "Forget my progress", after a confirmation, empties it.
        page.get_by_role("button", name="Forget my progress").click()
        page.get_by_role("button", name="Yes, forget my progress").click()
        wait_for_home_count(page, f"0 of {TOTAL}")
        page.wait_for_function(f"() => localStorage.getItem({STORAGE_KEY!r}) === null", timeout=30_000)
        page.reload()
        settle(page)
        page.wait_for_timeout(1500)
        assert home_count(page) == f"0 of {TOTAL}"
        page.goto(f"{url}/{lesson.slug}")
        settle(page)
        assert not solved_mark(page, exercise)
        context.close()


# ---- Presenter mode ------------------------------------------------------------------------------------------

#: Three lessons with settings away from their defaults (and a sample other than the lesson's own).
PRESENTED = {
    "histograms": "img=coins&histograms_op=gamma&histograms_gamma=0.6&hist_log=true",
    "thresholding": "img=camera&thresholding_t=90&thresholding_dark=true",
    "edges": "img=coffee&edges_operator=scharr",
}
#: Texts of the main area (not the presenter panel) that are cut off: ended with "…" (labels, links, buttons), or
#: a metric's label or value wider than its box.
CUT_TEXT = """() => Array.from(document.querySelectorAll("[data-testid='stMain'] *")).filter(box => {
        const text = (box.innerText || '').trim();  // an SVG element has no innerText
        if (box.closest('.st-key-pl_presenter') || !text || box.scrollWidth <= box.clientWidth + 1) return false;
        return getComputedStyle(box).textOverflow === 'ellipsis'
            || box.closest("[data-testid='stMetricLabel'], [data-testid='stMetricValue']") !== null;
    }).map(box => box.innerText.trim())"""
#: The panel's QR picture and link text.
QR_PICTURE = ".st-key-pl_presenter [data-testid='stImage'] img"
LINK_TEXT = ".st-key-pl_presenter [data-testid='stCode'] code"
CONTROL = ("[data-testid='stMain'] :is([data-testid='stSlider'], [data-testid='stButtonGroup'], "
           "[data-testid='stSelectbox'], [data-testid='stRadio'])")


def decode_qr(page) -> str:
    """The text of the QR code in the presenter panel, read by OpenCV from a screenshot of it.

    The picture sits at a fraction of a pixel (the panel is measured in rem), so the screenshot's module edges
    are soft: if the plain screenshot does not read, it is thresholded (Otsu) and enlarged, as a phone's
    camera pipeline would do. A screenshot taken while the browser swaps in a new code can be unreadable (seen
    once in 29 runs on a loaded machine), so up to four are taken, half a second apart, as a phone keeps looking."""
    for _ in range(4):
        png = page.locator(QR_PICTURE).screenshot()
        pixels = cv2.imdecode(np.frombuffer(png, np.uint8), cv2.IMREAD_GRAYSCALE)
        _, binary = cv2.threshold(pixels, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
        for attempt in [pixels, binary, cv2.resize(binary, None, fx=4, fy=4, interpolation=cv2.INTER_NEAREST)]:
            text, _points, _ = cv2.QRCodeDetector().detectAndDecode(attempt)
            if text:
                return text
        page.wait_for_timeout(500)
    (OUTPUT / "presenter").mkdir(parents=True, exist_ok=True)
    (OUTPUT / "presenter" / "unreadable-qr.png").write_bytes(png)
    raise AssertionError("OpenCV found no readable QR code in the presenter panel (last screenshot: "
                         "unreadable-qr.png among the presenter screenshots)")


def on_screen(page, locator) -> bool:
    box = locator.bounding_box()
    return box is not None and box["x"] >= 0 and box["y"] >= 0 and box["x"] + box["width"] <= PROJECTOR["width"] + 1 \
        and box["y"] + box["height"] <= PROJECTOR["height"] + 1


def first_main_picture(page):
    """The first picture of the main area that is not in the presenter panel."""
    pictures = page.locator("[data-testid='stMain'] [data-testid='stImage'] img")
    for index in range(pictures.count()):
        picture = pictures.nth(index)
        if not picture.evaluate("p => !!p.closest('.st-key-pl_presenter')"):
            return picture
    raise AssertionError("no picture in the main area")


def without_present(url: str) -> str:
    parts = urlsplit(url)
    query = "&".join(item for item in parts.query.split("&") if item and not item.startswith("present="))
    return f"{parts.scheme}://{parts.netloc}{parts.path}" + (f"?{query}" if query else "")


@pytest.mark.parametrize("slug", list(PRESENTED))
def test_presenter_mode_fits_a_projector_and_its_qr_code_is_the_page_link(server, browser, slug):
    context = browser.new_context(viewport=PROJECTOR)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    requests = record_requests(page)
    page.goto(f"{server}/{slug}?present=1&{PRESENTED[slug]}")
    settle(page)
    page.wait_for_timeout(2_800)  # the panel's script places the experiment at the top after 0-2.5 s
    no_exception(page)
    assert not errors, errors
    assert page.locator("[data-testid='stSidebar']").is_hidden()
    # Text and controls are larger than normal (Streamlit sizes them in rem): 22 px against 16 px.
    assert page.evaluate("getComputedStyle(document.documentElement).fontSize") == "22px"
    (OUTPUT / "presenter").mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(OUTPUT / "presenter" / f"{slug}-1280x720.png"))
    # Without scrolling: the QR code, the first control and the first picture are all inside the screen.
    assert on_screen(page, page.locator(QR_PICTURE)), "QR code"
    assert on_screen(page, page.locator(CONTROL).first), "main control"
    assert on_screen(page, first_main_picture(page)), "picture"
    # Every label, link and number can be read whole (at this size Thresholding showed "Pixels sele…" and Edges
    # "Segmentation: regions that bel…").
    assert page.evaluate(CUT_TEXT) == []

    link = decode_qr(page)
    assert link == page.locator(LINK_TEXT).inner_text().strip()
    shown = without_present(page.url)
    assert link.startswith(shown.split("?")[0] + "?")
    settings, address = parse_qs(urlsplit(link).query), parse_qs(urlsplit(shown).query)
    assert "present" not in settings
    assert all(settings.get(key) == value for key, value in address.items()), (address, settings)
    assert settings["hist_log"] and settings["full_size"] == ["false"]  # defaults are written out too
    assert len(settings) > len(address)
    assert other_hosts(requests, server) == []

    # The link opens the same page: a phone shows the same pictures (media addresses name their content) and,
    # once the defaults fall away again, has the same address.
    pictures = [src for src in main_area(page)["images"] if src != page.locator(QR_PICTURE).get_attribute("src")]
    phone = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    try:
        phone.goto(link)
        settle(phone)
        assert main_area(phone)["images"] == pictures
        assert phone.url == shown
    finally:
        phone.context.close()
    context.close()


def test_the_qr_code_follows_a_control_moved_inside_a_fragment(server, browser):
    """Twice: the second move is seen by the panel as redrawn after the first (Streamlit mounts its script again
    when its data changes)."""
    page = browser.new_context(viewport=PROJECTOR).new_page()
    page.goto(f"{server}/thresholding?present=1&img=camera")
    settle(page)
    assert "thresholding_t=128" in decode_qr(page)
    slider = page.locator("[data-testid='stMain'] .st-key-thresholding_t input[type='range']")
    for value in (129, 130):
        slider.focus()
        page.keyboard.press("ArrowRight")
        page.wait_for_url(f"**thresholding_t={value}**", timeout=30_000)  # the fragment has rerun
        page.wait_for_function(  # and the panel has followed it
            f"() => document.querySelector({LINK_TEXT!r})?.innerText.includes('thresholding_t={value}')",
            timeout=30_000)
        settle(page)
        assert decode_qr(page) == page.locator(LINK_TEXT).inner_text().strip()
        assert f"thresholding_t={value}" in decode_qr(page)
    page.context.close()


# ---- Take the lesson home ---------------------------------------------------------------------------------------

def test_the_downloaded_notebook_has_the_settings_of_a_control_moved_inside_a_fragment(server, browser, tmp_path):
    """The notebook is made when the button is pressed, from the code panels as they are then: a control that
    reran only its fragment (the button outside it was not redrawn) is in the notebook with its new value."""
    import nbformat

    page = browser.new_context(viewport={"width": 1440, "height": 900}, accept_downloads=True).new_page()
    page.goto(f"{server}/thresholding?img=camera")
    settle(page)
    slider = page.locator("[data-testid='stMain'] .st-key-thresholding_t input[type='range']")
    slider.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_url("**thresholding_t=129**", timeout=30_000)
    settle(page)
    with page.expect_download() as download:
        page.get_by_role("button", name="Download as notebook").click()
    assert download.value.suggested_filename == "pixel-lab-thresholding.ipynb"
    path = tmp_path / "lesson.ipynb"
    download.value.save_as(path)
    book = nbformat.read(path, as_version=4)
    nbformat.validate(book)
    code = "\n".join(cell.source for cell in book.cells if cell.cell_type == "code")
    assert "skimage.data.camera()" in code and "129" in code and "> 128" not in code
    page.context.close()
