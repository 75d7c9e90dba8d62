"""Pipeline lab end to end in headless Chromium against `streamlit run`: a challenge solved by clicking the
editor, and a pipeline link opened on a freshly started server showing the same thumbnails."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from benchmarks.latency import container
from benchmarks.server import running_app
from tests.e2e.test_browser import broken_images, settle

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "test-output" / "screenshots"
#: Alt text of a strip thumbnail: "Input (Greek coins): ..." or "3. Threshold (Otsu): mask, ...".
THUMBNAIL = re.compile(r"^(Input \(|\d+\. )")

THUMBNAILS = """() => Array.from(document.querySelectorAll("[data-testid='stMain'] [data-testid='stImage'] img"))
    .map(i => [i.alt, new URL(i.getAttribute("src"), location.href).pathname])"""


def thumbnails(page) -> list[tuple[str, str]]:
    """(alt text, media path) of every thumbnail of the strip, left to right: the path names the picture's bytes."""
    return [(alt, path) for alt, path in page.evaluate(THUMBNAILS) if THUMBNAIL.match(alt)]


def click(page, locator) -> None:
    locator.click(timeout=30_000)
    settle(page)


def act(page, label: str) -> None:
    """Press "Move up", "Move down" or "Remove" in the selected step's action control."""
    click(page, container(page, "pipeline_action").locator("button").filter(has_text=label))


def show_step(page, number: int) -> None:
    """Select step `number` (0: the input) under "Step shown large"."""
    options = container(page, "pipeline_look").locator("button")
    click(page, options.filter(has_text=re.compile(rf"^{number}\. ") if number else "Input"))


def test_the_salt_and_pepper_challenge_is_solved_by_clicking(server, page):
    page.goto(f"{server}/pipeline")
    settle(page)
    click(page, container(page, "pipeline_on").locator("button[role='radio']").filter(has_text="Challenge 4"))
    assert page.get_by_text("challenge “Remove the salt and pepper”").count() >= 1
    show_step(page, 1)  # select the first step
    for _ in range(6):  # the six starting steps go, one click each (the next one is selected each time)
        act(page, "Remove")
    assert "pipeline=&" in page.url or page.url.endswith("pipeline=")
    chooser = container(page, "pipeline_add").locator("input[role='combobox']")
    chooser.click(timeout=30_000)
    chooser.fill("Adaptive median")  # typing narrows the list (it only draws the options in view)
    click(page, page.get_by_role("option", name="Smoothing · Adaptive median"))  # added at once
    assert "pipeline=adaptive_median" in page.url
    assert len(thumbnails(page)) == 2  # the noisy input and the filtered image
    checks = page.locator("[data-testid='stForm']").get_by_role("button", name="Check my settings")
    assert checks.count() == 4
    click(page, checks.nth(3))  # the fourth challenge's
    success = page.get_by_text(re.compile(r"Goal reached: PSNR against the clean image is 31\.9 dB"))
    success.wait_for(timeout=60_000)
    assert page.get_by_text("model solution").count() >= 1
    assert page.locator("[data-testid='stException']").count() == 0 and not page.errors
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "pipeline-challenge.png"), full_page=True)


def test_a_pipeline_link_opens_the_same_thumbnails_on_a_freshly_started_server(server, browser, page):
    page.goto(f"{server}/pipeline?img=camera")
    settle(page)
    show_step(page, 2)  # select step 2: its settings appear
    slider = container(page, "pipeline_2_gaussian_sigma").get_by_role("slider")
    slider.focus()
    for _ in range(5):
        page.keyboard.press("ArrowRight")
    settle(page)
    assert "sigma%3D2.5" in page.url  # five quick presses, none lost to an address that lagged behind
    show_step(page, 6)
    act(page, "Remove")  # the learner's own pipeline: five steps
    page.go_back()  # back and forward move through the pipelines, as through any settings
    settle(page)
    assert len(thumbnails(page)) == 7 and "label" in page.url
    page.go_forward()
    settle(page)
    assert len(thumbnails(page)) == 6
    show_step(page, 3)  # and step 3 shown large
    assert "sigma%3D2.5" in page.url and "pipeline_show=3" in page.url
    built = thumbnails(page)
    assert len(built) == 6 and not broken_images(page)
    with running_app("app.py", log=ROOT / "test-output" / "streamlit-e2e-fresh.log") as fresh:
        context = browser.new_context(viewport={"width": 1440, "height": 900})
        try:
            other = context.new_page()
            other.goto(page.url.replace(server, fresh.url))
            settle(other)
            assert thumbnails(other) == built
            assert other.get_by_text("Step 3: Threshold (Otsu)").count() >= 1
            panel = other.locator("[data-testid='stExpander']").filter(has_text="The code: the whole pipeline")
            assert panel.locator("[data-testid='stCode']").count() == 0  # closed: its code is not sent
            click(other, panel.locator("summary"))
            panel.locator("[data-testid='stCode']").filter(has_text="cv2.GaussianBlur(step1, (0, 0), 2.5)").wait_for(
                timeout=30_000)
            assert other.locator("[data-testid='stException']").count() == 0
        finally:
            context.close()
