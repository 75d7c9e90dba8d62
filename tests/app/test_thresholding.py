"""Thresholding: code panels reproduce the page, shown thresholds are the libraries', exercises grade, links reopen settings."""

import re

import cv2
import numpy as np
import pytest
from skimage import filters

from processing.color import to_gray
from processing.samples import load_sample
from tests.app.helpers import (
    assert_rerun_encodes_no_picture,
    answer,
    check_target,
    assert_code_panels_reproduce,
    CodeRecorder,
    feedback,
    new_app,
    open_with_upload,
    problems,
    SWEEP_SAMPLES,
)

PAGE = "pages/08_thresholding.py"

SETTINGS = [
    {},  # the defaults: coins (the lesson's default sample), manual, t = 128
    {"img": "astronaut"},  # a colour image: its grey version
    {"img": "coins", "thresholding_t": "90", "thresholding_dark": "true"},
    {"img": "coins", "thresholding_method": "otsu"},
    {"img": "text", "thresholding_method": "otsu", "thresholding_dark": "true"},
    {"img": "camera", "thresholding_method": "triangle"},
    {"img": "ramp", "thresholding_method": "triangle", "thresholding_dark": "true"},
    {"img": "astronaut", "thresholding_method": "auto"},  # Li
    {"img": "coins", "thresholding_method": "auto", "thresholding_auto": "yen", "thresholding_dark": "true"},
    {"img": "moon", "thresholding_method": "auto", "thresholding_auto": "isodata"},
    {"img": "page", "thresholding_method": "auto", "thresholding_auto": "minimum"},
    {"img": "grass", "thresholding_method": "auto", "thresholding_auto": "minimum"},  # no answer: Otsu instead
    {"img": "coins", "thresholding_method": "multiotsu"},
    {"img": "astronaut", "thresholding_method": "multiotsu"},
    {"img": "checkerboard", "thresholding_method": "multiotsu"},  # two levels: no three classes
    {"img": "page", "thresholding_method": "adaptive", "thresholding_dark": "true"},
    {"img": "text", "thresholding_method": "adaptive", "thresholding_local": "gaussian", "thresholding_block": "51",
     "thresholding_c": "-3"},
]


def grey(sample_id: str) -> np.ndarray:
    image = load_sample(sample_id)
    return cv2.cvtColor(image, cv2.COLOR_RGB2GRAY) if image.ndim == 3 else image


def image_captions(app) -> list[str]:
    """Captions of every st.image on the page (AppTest has no typed image element)."""
    return [caption for element in app.get("image") for caption in element.captions]


def metric(app, label: str) -> str:
    return next(m.value for m in app.metric if m.label == label)


def test_every_code_panel_reproduces_what_the_page_shows(tmp_path):
    panels = []
    for query in SETTINGS:
        with CodeRecorder() as recorder:
            app = new_app(PAGE, query).run()
        assert not problems(app), (query, problems(app))
        assert len(recorder.panels) == 1, query
        panels += recorder.panels
    assert_code_panels_reproduce(panels, tmp_path)


def test_grey_conversion_is_the_shared_one():
    image = load_sample("astronaut")
    np.testing.assert_array_equal(to_gray(image), grey("astronaut"))


@pytest.mark.parametrize("sample_id", ["astronaut", "coins", "camera", "page"])
def test_otsu_and_triangle_values_shown_are_opencvs(sample_id):
    gray = grey(sample_id)
    otsu, _ = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    triangle, _ = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_TRIANGLE)
    app = new_app(PAGE, {"img": sample_id, "thresholding_method": "otsu"}).run()
    assert metric(app, "Otsu's t (OpenCV)") == str(int(otsu))
    assert metric(app, "Threshold t") == str(int(otsu))
    # The curve's peak quoted in the text is the same value.
    assert any(f"It peaks at **t = {int(otsu)}**" in m.value for m in app.markdown)
    app = new_app(PAGE, {"img": sample_id, "thresholding_method": "triangle"}).run()
    assert metric(app, "Threshold t") == str(int(triangle))


@pytest.mark.parametrize("sample_id", ["astronaut", "coins"])
def test_try_all_values_shown_are_scikit_images(sample_id):
    gray = grey(sample_id)
    app = new_app(PAGE, {"img": sample_id, "thresholding_method": "auto"}).run()
    shown = {}
    for caption in image_captions(app):
        match = re.match(r"(.+?): t = ([\d.]+) →", caption)
        if match:
            shown[match.group(1)] = float(match.group(2))
    expected = {
        "Otsu": filters.threshold_otsu(gray),
        "Li (minimum cross-entropy)": filters.threshold_li(gray),
        "Yen (maximum entropy)": filters.threshold_yen(gray),
        "Isodata (iterated means)": filters.threshold_isodata(gray),
        "Mean grey level": filters.threshold_mean(gray),
        "Minimum (valley between two peaks)": filters.threshold_minimum(gray),
        "Triangle": filters.threshold_triangle(gray),
    }
    assert set(shown) == set(expected)
    for name, value in expected.items():
        assert shown[name] == pytest.approx(value, abs=0.05), name
    # The method shown large uses the floor of scikit-image's value (gray > t is gray > floor(t)).
    assert metric(app, "Threshold t") == str(int(np.floor(filters.threshold_li(gray))))


def test_try_all_names_a_method_without_an_answer():
    app = new_app(PAGE, {"img": "grass", "thresholding_method": "auto", "thresholding_auto": "minimum"}).run()
    assert not problems(app)
    assert any("no threshold for this image" in i.value for i in app.info)
    assert any("has no answer for this image" in w.value for w in app.warning)


def test_multi_otsu_values_shown_are_scikit_images():
    gray = grey("coins")
    t1, t2 = filters.threshold_multiotsu(gray, classes=3)
    app = new_app(PAGE, {"img": "coins", "thresholding_method": "multiotsu"}).run()
    assert (metric(app, "t1 (scikit-image)"), metric(app, "t2 (scikit-image)")) == (str(t1), str(t2))


def test_adaptive_shows_the_global_failure_first():
    app = new_app(PAGE, {"img": "page", "thresholding_method": "adaptive", "thresholding_dark": "true"}).run()
    headings = [s.value for s in app.subheader]
    assert headings.index("First: one threshold for the whole image") < headings.index(
        "Then: a threshold for every pixel"
    )


def test_the_lesson_opens_on_the_coins_and_a_link_names_another_image():
    app = new_app(PAGE).run()
    assert app.selectbox(key="img").value == "coins"
    assert metric(app, "Otsu's t (OpenCV)") == "107" and metric(app, "Pixels selected") == "29.2%"
    assert new_app(PAGE, {"img": "astronaut"}).run().selectbox(key="img").value == "astronaut"


def test_the_variance_peak_is_quoted_outside_the_maths():
    # Inline maths is only the symbol, so a line cannot break inside "(σ²_B = 4,415)" (issue 20).
    app = new_app(PAGE, {"thresholding_method": "otsu"}).run()
    text = next(m.value for m in app.markdown if "It peaks at" in m.value)
    assert "where $\\sigma_B^2$ reaches " in text and "$ =" not in text


def test_otsu_exercise():
    otsu, _ = cv2.threshold(grey("coins"), 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    app = new_app(PAGE, {"img": "coins"}).run()
    assert feedback(answer(app, "thresholding_otsu", int(otsu) + 5))[1]
    right = answer(app, "thresholding_otsu", int(otsu))
    assert feedback(right)[0] and "thresholding_otsu" in right.session_state["pl_progress"]


def test_match_exercise_is_reached_only_near_otsu():
    otsu, _ = cv2.threshold(grey("coins"), 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    far = check_target(new_app(PAGE, {"img": "coins", "thresholding_t": "60"}).run(), "thresholding_match")
    assert not feedback(far)[0] and any("Not yet" in e and "Hint:" in e for e in feedback(far)[1])
    assert "thresholding_match" not in (far.session_state["pl_progress"] if "pl_progress" in far.session_state else ())
    near = check_target(new_app(PAGE, {"img": "coins", "thresholding_t": str(int(otsu))}).run(), "thresholding_match")
    assert any("Goal reached" in s for s in feedback(near)[0])
    assert "thresholding_match" in near.session_state["pl_progress"]


def test_adaptive_exercise():
    app = new_app(PAGE).run()
    assert feedback(answer(app, "thresholding_adaptive", "A"))[1]
    assert feedback(answer(app, "thresholding_adaptive", "B"))[0]


def test_link_reopens_the_same_settings():
    query = {"img": "text", "thresholding_method": "adaptive", "thresholding_dark": "true",
             "thresholding_local": "gaussian", "thresholding_block": "51", "thresholding_c": "5",
             "thresholding_row": "20", "thresholding_t": "77"}
    app = new_app(PAGE, query).run()
    assert app.selectbox(key="img").value == "text"
    assert app.segmented_control(key="thresholding_method").value == "adaptive"
    assert app.toggle(key="thresholding_dark").value is True
    assert app.radio(key="thresholding_local").value == "gaussian"
    assert app.slider(key="thresholding_block").value == 51
    assert app.slider(key="thresholding_c").value == 5
    assert app.slider(key="thresholding_row").value == 20
    assert app.slider(key="thresholding_t").value == 77
    app = new_app(PAGE, {"thresholding_method": "auto", "thresholding_auto": "yen"}).run()
    assert app.selectbox(key="thresholding_auto").value == "yen"


@pytest.mark.parametrize("method", ["auto", "multiotsu", "adaptive"])
def test_page_runs_clean_on_every_sample(method):
    app = new_app(PAGE, {"thresholding_method": method, "thresholding_row": "400"}).run()
    assert not problems(app), problems(app)
    for sample_id in SWEEP_SAMPLES:
        app.selectbox(key="img").set_value(sample_id).run()
        assert not problems(app), (method, sample_id, problems(app))


@pytest.mark.parametrize("pixels", [np.full((1, 1), 7, np.uint8), np.full((20, 30), 200, np.uint8)],
                         ids=["1x1", "constant"])
def test_tiny_and_constant_uploads(pixels):
    for method in ("manual", "otsu", "triangle", "auto", "multiotsu", "adaptive"):
        app = open_with_upload(PAGE, pixels, {"thresholding_method": method})
        assert not problems(app), (method, problems(app))
        assert any("single grey level" in w.value for w in app.warning), method


# Lesson-specific extremes (issue 8) -----------------------------------------------------------


def test_otsu_on_one_grey_level_says_there_is_no_threshold():
    app = open_with_upload(PAGE, np.full((24, 32), 77, np.uint8), {"thresholding_method": "otsu"})
    assert not problems(app), problems(app)
    assert any("Otsu needs at least two grey levels; this image has one" in w.value for w in app.warning)
    # OpenCV's number for a constant image (0) is not presented as a threshold.
    assert metric(app, "Otsu's t (OpenCV)") == "none"
    assert metric(app, "Threshold t") == "none"
    # Two grey levels are enough: then the value is OpenCV's, and the note is gone.
    two = np.full((24, 32), 77, np.uint8)
    two[:, :10] = 200
    app = open_with_upload(PAGE, two, {"thresholding_method": "otsu"})
    otsu, _ = cv2.threshold(two, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    assert not problems(app) and not any("Otsu needs" in w.value for w in app.warning)
    assert metric(app, "Otsu's t (OpenCV)") == str(int(otsu))


def test_adaptive_block_larger_than_the_image_is_named():
    ramp = np.tile(np.linspace(0, 255, 30).astype(np.uint8), (20, 1))
    app = open_with_upload(PAGE, ramp, {"thresholding_method": "adaptive", "thresholding_block": "255"})
    assert not problems(app), problems(app)
    assert any("larger than this image (30 × 20)" in i.value for i in app.info)
    # The shown share is OpenCV's, with the same block (borders replicated).
    expected = cv2.adaptiveThreshold(ramp, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY, 255, 10) > 0
    assert metric(app, "Pixels selected") == f"{expected.mean():.1%}"
    # A block smaller than the image gets no such note.
    app = new_app(PAGE, {"thresholding_method": "adaptive"}).run()
    assert not any("larger than this image" in i.value for i in app.info)


def test_multi_otsu_with_fewer_levels_than_classes():
    two = np.zeros((16, 16), np.uint8)
    two[8:] = 180
    app = open_with_upload(PAGE, two, {"thresholding_method": "multiotsu"})
    assert not problems(app), problems(app)
    assert any("2 distinct grey levels; 3 classes need at least 3" in w.value for w in app.warning)
    assert metric(app, "t1 (scikit-image)") == metric(app, "t2 (scikit-image)") == "—"
    assert [metric(app, name) for name in ("dark", "middle", "bright")] == ["100.0%", "0.0%", "0.0%"]


@pytest.mark.parametrize("query", [{}, {"thresholding_method": "auto"}, {"thresholding_method": "multiotsu"}, {"thresholding_method": "adaptive"}])
def test_a_rerun_with_nothing_changed_encodes_no_picture_again(query, monkeypatch):
    assert_rerun_encodes_no_picture(monkeypatch, PAGE, query)
