"""Presenter mode, its QR code and link, the previous/next links and the tab icon (ui/presenter.py,
ui/page.py, ui/exercises.py). What the projector shows (sizes, no scrolling) and the QR code read back from
the screen are tested in a browser: tests/e2e/test_journey.py."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import cv2
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st_

from tests.app.helpers import ROOT, new_app, open_with_upload, problems
from ui import page as page_module
from ui import presenter
from ui.lessons import LESSONS, LESSONS_BY_SLUG

PANEL = "pl_presenter"


def panel_link(app) -> str:
    """The link written under the QR code (the last code block on the page: the panel is drawn last)."""
    return app.code[-1].value


def decode(png: bytes) -> str:
    pixels = cv2.imdecode(np.frombuffer(png, np.uint8), cv2.IMREAD_GRAYSCALE)
    text, points, _ = cv2.QRCodeDetector().detectAndDecode(pixels)
    assert points is not None
    return text


def links(app) -> list:
    return [element.proto for element in app.get("page_link")]


def test_present_1_in_the_address_switches_it_on_and_links_keep_it():
    app = new_app(LESSONS_BY_SLUG["histograms"].page, {"present": "1", "img": "coins"}).run()
    assert not problems(app)
    assert app.toggle(key="pl_present").value is True
    assert app.query_params["present"] == ["1"] or app.query_params["present"] == "1"
    assert app.button(key="pl_leave_presenter")
    # Every link to another page (menu, previous/next, the panel's) carries presenter mode and the image.
    targets = [proto for proto in links(app) if proto.query_string]
    assert len(targets) >= len(LESSONS) + 2
    assert all(parse_qs(proto.query_string) == {"present": ["1"], "img": ["coins"]} for proto in targets)


def test_the_panel_shows_a_qr_code_of_the_link_with_every_setting():
    query = {"present": "1", "img": "coins", "histograms_op": "gamma", "histograms_gamma": "0.6"}
    app = new_app(LESSONS_BY_SLUG["histograms"].page, query).run()
    assert not problems(app)
    link = panel_link(app)
    settings_ = parse_qs(urlsplit(link).query)
    # The address's own settings, and the defaults that bound widgets leave out of it.
    assert settings_["img"] == ["coins"] and settings_["histograms_op"] == ["gamma"]
    assert settings_["histograms_gamma"] == ["0.6"]
    assert settings_["hist_log"] == ["false"] and settings_["hist_cdf"] == ["false"]
    assert settings_["full_size"] == ["false"] and "histograms_level" in settings_
    assert "present" not in settings_  # phones open the normal page
    # The address's parameters come first, in their order.
    assert urlsplit(link).query.startswith("img=coins&histograms_op=gamma&histograms_gamma=0.6")
    assert decode(presenter.qr_png(link)) == link
    pictures = [picture for image in app.get("image") for picture in image.proto.imgs]
    assert any(picture.alt.startswith("QR code (") and "of this page's link" in picture.alt for picture in pictures)


def test_the_link_leaves_out_settings_of_widgets_not_drawn():
    """A widget shown only in another mode is not in the link (it would be ignored, or flagged as unusable)."""
    app = new_app(LESSONS_BY_SLUG["histograms"].page, {"present": "1", "histograms_op": "negative"}).run()
    settings_ = parse_qs(urlsplit(panel_link(app)).query)
    assert "histograms_gamma" not in settings_ and "histograms_a" not in settings_


def test_an_upload_does_not_travel_in_the_link():
    pixels = np.random.default_rng(1).integers(0, 256, (40, 50), dtype=np.uint8)
    app = open_with_upload(LESSONS_BY_SLUG["thresholding"].page, pixels, {"present": "1", "thresholding_t": "77"})
    assert not problems(app)
    settings_ = parse_qs(urlsplit(panel_link(app)).query)
    assert "img" not in settings_ and settings_["thresholding_t"] == ["77"]


@settings(max_examples=15, deadline=None)
@given(st_.text(alphabet=st_.characters(min_codepoint=32, max_codepoint=126), min_size=1, max_size=400))
def test_qr_codes_read_back_exactly(text):
    assert decode(presenter.qr_png(text)) == text


def test_qr_modules_are_whole_pixels_and_fit_the_panel():
    for length in (20, 150, 400):
        modules = presenter.qr_modules("h" * length)
        size = presenter.module_size(modules)
        assert size >= 3 and (modules.shape[0] * size <= presenter.QR_WIDTH or size == 3)
        png = cv2.imdecode(np.frombuffer(presenter.qr_png("h" * length), np.uint8), cv2.IMREAD_GRAYSCALE)
        assert png.shape == (modules.shape[0] * size,) * 2 and set(np.unique(png)) == {0, 255}
        assert not modules[:4].any() and not modules[:, :4].any()  # the quiet zone


def test_leaving_presenter_mode_removes_it_from_the_address():
    app = new_app(LESSONS_BY_SLUG["edges"].page, {"present": "1"}).run()
    app.button(key="pl_leave_presenter").click()
    app.run()
    assert not problems(app)
    assert app.toggle(key="pl_present").value is False
    assert "present" not in app.query_params
    assert not app.warning  # not taken for a link setting the page could not use
    assert all("present" not in proto.query_string for proto in links(app))
    assert not [c for c in app.code if c.value.startswith(("http", "?"))]  # no panel
    app.toggle(key="pl_present").set_value(True)
    app.run()
    assert app.query_params["present"] in ("1", ["1"])


# ---- Exercises on the projector ----------------------------------------------------------------------------

def wrong_try(app, exercise: str):
    numbers = [w for w in app.number_input if w.key == f"answer_{exercise}"]
    if numbers:
        numbers[0].set_value(-123456)
        app.button(key=f"FormSubmitter:exercise_{exercise}-Check").click()
    else:
        radio = app.radio(key=f"answer_{exercise}")
        for option in radio.options:  # find a wrong option
            radio.set_value(option)
            app.button(key=f"FormSubmitter:exercise_{exercise}-Check").click()
            app.run()
            if app.error:
                return app
            radio = app.radio(key=f"answer_{exercise}")
    return app.run()


@pytest.mark.parametrize("present", [False, True], ids=["normal", "presenter"])
def test_presenter_mode_hides_hints_explanations_and_answers_until_revealed(present):
    lesson = LESSONS_BY_SLUG["arrays"]
    query = {"present": "1"} if present else {}
    app = new_app(lesson.page, query).run()
    reveals = [e for e in app.expander if e.label == "Reveal the answer"]
    assert len(reveals) == (len(lesson.exercises) if present else 0)
    exercise = lesson.exercises[0]
    wrong_try(app, exercise)
    assert not app.exception
    errors = [e.value for e in app.error]
    assert errors
    if present:
        assert errors[-1] == "Not yet."  # nothing else on the projector
        assert any(e.label == "Show a hint" for e in app.expander)
        revealed = [e for e in app.expander if e.label == "Reveal the answer"][0]
        assert revealed.markdown[0].value.startswith("**Answer:**")  # there, behind a closed expander
    else:
        assert errors[-1].startswith("Not yet. Hint: ")


# ---- The tab icon and the previous/next links -------------------------------------------------------------

def test_every_page_gets_the_emoji_favicon_from_ui_page(monkeypatch):
    """A Material icon as page_icon is fetched from a font host; the emoji is drawn by the browser."""
    import streamlit

    icons = []
    original = streamlit.set_page_config
    monkeypatch.setattr(streamlit, "set_page_config", lambda **kw: icons.append(kw.get("page_icon")) or original(**kw))
    for page in ("app.py", LESSONS[0].page):
        new_app(page).run()
    assert icons and set(icons) == {page_module.FAVICON}
    assert not page_module.FAVICON.startswith(":")
    # Pages never set their own: they all go through ui.page.start_page.
    for path in [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py"))]:
        assert not re.search(r"set_page_config|page_icon", path.read_text()), path.name


def test_previous_and_next_follow_the_registry_and_carry_the_image():
    for index in (0, 5, len(LESSONS) - 1):
        lesson = LESSONS[index]
        app = new_app(lesson.page, {"img": "coffee"}).run()
        found = {proto.label: proto for proto in links(app)}
        previous = f"Previous lesson: {LESSONS[index - 1].title}"
        following = f"Next lesson: {LESSONS[index + 1].title}" if index + 1 < len(LESSONS) else None
        assert (previous in found) == (index > 0)
        if following:
            assert parse_qs(found[following].query_string) == {"img": ["coffee"]}
            assert found[following].page == LESSONS[index + 1].slug
        else:
            assert not any(label.startswith("Next lesson") for label in found)
        assert [d.proto.label for d in app.get("download_button")][-1] == "Download as notebook"


def test_presenter_css_is_no_raw_html():
    """The styling goes through a components-v2 component, not unsafe HTML (tests/test_security.py forbids it)."""
    source = (ROOT / "ui" / "presenter.py").read_text()
    assert "components.v2.component" in source and "isolate_styles=False" in source
    assert "unsafe_allow_html" not in source
