"""Morphology: code panels reproduce the page and equal OpenCV, exercises grade, links reopen settings."""

import cv2
import numpy as np
import pytest

from processing.morphology import OPERATIONS, SHAPES, example_patch
from processing.samples import load_sample
from tests.app.helpers import (
    assert_rerun_encodes_no_picture,
    answer,
    assert_code_panels_reproduce,
    CodeRecorder,
    feedback,
    new_app,
    open_with_upload,
    problems,
    SWEEP_SAMPLES,
)

PAGE = "pages/09_morphology.py"
CV_SHAPES = {"rectangle": cv2.MORPH_RECT, "ellipse": cv2.MORPH_ELLIPSE, "cross": cv2.MORPH_CROSS}

# Every operation with every element shape, alternating binary and grey input and the sample.
GRID = [
    {"morphology_op": op, "morphology_shape": shape, "morphology_size": str(3 + 2 * (i % 3)),
     "morphology_input": "grey" if i % 2 else "binary", "img": ("coins", "astronaut", "text")[i % 3]}
    for i, (op, shape) in enumerate((op, shape) for op in OPERATIONS for shape in SHAPES)
]
EXTRA = [
    {},  # the defaults: coins (the lesson's default sample), binary, open, ellipse 5
    {"img": "astronaut"},  # a colour image: its grey version
    {"img": "page", "morphology_dark": "true", "morphology_op": "close", "morphology_iter": "3"},
    {"img": "camera", "morphology_input": "grey", "morphology_op": "erode", "morphology_size": "1"},
    {"img": "shapes", "morphology_op": "dilate", "morphology_shape": "rectangle", "morphology_size": "51",
     "morphology_iter": "2"},
]


def grey(sample_id: str) -> np.ndarray:
    image = load_sample(sample_id)
    return cv2.cvtColor(image, cv2.COLOR_RGB2GRAY) if image.ndim == 3 else image


def opencv_reference(query: dict[str, str]) -> np.ndarray:
    """The page's result for `query`, computed here with OpenCV alone."""
    gray = grey(query.get("img", "coins"))
    size = int(query.get("morphology_size", "5"))
    element = cv2.getStructuringElement(CV_SHAPES[query.get("morphology_shape", "ellipse")], (size, size))
    if query.get("morphology_input", "binary") == "binary":
        flag = cv2.THRESH_BINARY_INV if query.get("morphology_dark") == "true" else cv2.THRESH_BINARY
        _, gray = cv2.threshold(gray, 0, 255, flag + cv2.THRESH_OTSU)
    operation = getattr(cv2, f"MORPH_{query.get('morphology_op', 'open').upper()}")
    return cv2.morphologyEx(gray, operation, element, iterations=int(query.get("morphology_iter", "1")))


def test_every_code_panel_reproduces_the_page_and_equals_opencv(tmp_path):
    panels = []
    for query in GRID + EXTRA:
        with CodeRecorder() as recorder:
            app = new_app(PAGE, query).run()
        assert not problems(app), (query, problems(app))
        assert len(recorder.panels) == 1, query
        np.testing.assert_array_equal(recorder.panels[0][2], opencv_reference(query), err_msg=str(query))
        panels += recorder.panels
    assert_code_panels_reproduce(panels, tmp_path)


def test_from_scratch_numpy_agrees_with_opencv_on_the_page():
    app = new_app(PAGE, {"img": "coins", "morphology_shape": "cross", "morphology_size": "7",
                         "morphology_iter": "2"}).run()
    values = {m.label: m.value for m in app.metric}
    assert values["max |erode_numpy − cv2.erode|"] == "0"
    assert values["max |dilate_numpy − cv2.dilate|"] == "0"


def test_what_changed_counts_are_the_masks_difference():
    query = {"img": "coins", "morphology_op": "close", "morphology_size": "7"}
    before = grey("coins") > cv2.threshold(grey("coins"), 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)[0]
    after = opencv_reference(query) > 0
    app = new_app(PAGE, query).run()
    values = {m.label: m.value for m in app.metric}
    assert values["Pixels added"] == f"{np.count_nonzero(after & ~before):,}"
    assert values["Pixels removed"] == f"{np.count_nonzero(before & ~after):,}" == "0"  # closing only adds


def test_the_lesson_opens_on_the_coins_and_a_link_names_another_image():
    app = new_app(PAGE).run()
    assert app.selectbox(key="img").value == "coins"
    # Opening removes the specks of the coins' Otsu mask (96 regions): the coins stay, the specks go.
    objects = next(m for m in app.metric if m.label == "Separate objects")
    assert objects.value == "36" and "from 96" in objects.delta
    assert new_app(PAGE, {"img": "astronaut"}).run().selectbox(key="img").value == "astronaut"


def test_masks_get_their_foreground_share_not_a_histogram():
    app = new_app(PAGE).run()  # binary input: both pictures are masks
    captions = [c.value for c in app.caption]
    assert sum("White (foreground)" in c for c in captions) == 2
    assert not [img for element in app.get("image") for img in element.proto.imgs
                if img.alt.startswith("histogram") or ": histogram" in img.alt]


def test_which_exercise():
    app = new_app(PAGE).run()
    assert feedback(answer(app, "morphology_which", "A"))[1]
    assert feedback(answer(app, "morphology_which", "C"))[0]


@pytest.mark.parametrize(("shape", "size", "iterations"), [("ellipse", 5, 1), ("cross", 9, 3)])
def test_width_exercise(shape, size, iterations):
    canvas = np.zeros((100, 100), np.uint8)
    canvas[40:60, 40:60] = 1
    element = cv2.getStructuringElement(CV_SHAPES[shape], (size, size))
    width = int(np.count_nonzero(cv2.dilate(canvas, element, iterations=iterations).any(axis=0)))
    query = {"morphology_shape": shape, "morphology_size": str(size), "morphology_iter": str(iterations)}
    app = new_app(PAGE, query).run()
    wrong = feedback(answer(app, "morphology_width", 20))[1]
    # The question names no setting (it would go stale while the element's controls rerun on their own);
    # the hint, made when the answer is checked, names the element it is about.
    assert wrong and f"{shape} {size} × {size}" in wrong[0]
    assert feedback(answer(app, "morphology_width", width))[0]


def test_fit_exercise():
    patch = example_patch().astype(np.uint8)
    element = cv2.getStructuringElement(cv2.MORPH_RECT, (3, 3))
    erodes, dilates = cv2.erode(patch, element)[4, 5], cv2.dilate(patch, element)[4, 5]
    assert (erodes, dilates) == (0, 1)  # the pixel beside the hole: it hits but does not fit
    app = new_app(PAGE).run()
    assert feedback(answer(app, "morphology_fit", "Fits: erosion keeps it"))[1]
    right = "Hits but does not fit: erosion clears it, dilation sets it"
    assert feedback(answer(app, "morphology_fit", right))[0]


def test_link_reopens_the_same_settings():
    query = {"img": "page", "morphology_input": "grey", "morphology_op": "blackhat", "morphology_shape": "cross",
             "morphology_size": "15", "morphology_iter": "2", "morphology_row": "3", "morphology_col": "7"}
    app = new_app(PAGE, query).run()
    assert app.selectbox(key="img").value == "page"
    assert app.segmented_control(key="morphology_input").value == "grey"
    assert app.segmented_control(key="morphology_op").value == "blackhat"
    assert app.segmented_control(key="morphology_shape").value == "cross"
    assert app.slider(key="morphology_size").value == 15
    assert app.slider(key="morphology_iter").value == 2
    assert app.slider(key="morphology_row").value == 3
    assert app.slider(key="morphology_col").value == 7
    app = new_app(PAGE, {"morphology_dark": "true"}).run()
    assert app.toggle(key="morphology_dark").value is True


@pytest.mark.parametrize("query", [{}, {"morphology_input": "grey", "morphology_op": "tophat"},
                                   {"morphology_input": "grey", "morphology_op": "dilate"}],
                         ids=["binary-open", "grey-tophat", "grey-dilate"])
def test_page_runs_clean_on_every_sample(query):
    app = new_app(PAGE, query).run()
    assert not problems(app), problems(app)
    for sample_id in SWEEP_SAMPLES:
        app.selectbox(key="img").set_value(sample_id).run()
        assert not problems(app), (query, sample_id, problems(app))


@pytest.mark.parametrize("pixels", [np.full((1, 1), 7, np.uint8), np.full((20, 30), 200, np.uint8)],
                         ids=["1x1", "constant"])
def test_tiny_and_constant_uploads(pixels):
    for mode, operation in (("binary", "open"), ("grey", "gradient"), ("grey", "close")):
        app = open_with_upload(PAGE, pixels, {"morphology_input": mode, "morphology_op": operation,
                                              "morphology_size": "51"})
        assert not problems(app), (mode, operation, problems(app))


# Lesson-specific extremes (issue 8) -----------------------------------------------------------


def test_element_larger_than_the_image_is_named():
    ramp = np.tile(np.linspace(0, 255, 30).astype(np.uint8), (20, 1))
    app = open_with_upload(PAGE, ramp, {"morphology_size": "51", "morphology_input": "grey",
                                        "morphology_op": "erode"})
    assert not problems(app), problems(app)
    assert any("larger than this image (30 × 20)" in i.value for i in app.info)
    app = new_app(PAGE).run()  # 5 × 5 on the coins, 384 × 303: no note
    assert not any("larger than this image" in i.value for i in app.info)


@pytest.mark.parametrize(("dark", "kind"), [("false", "foreground"), ("true", "background")])
@pytest.mark.parametrize("operation", ["erode", "dilate", "open", "close"])
def test_all_foreground_or_background_mask_changes_nothing_and_says_so(dark, kind, operation):
    # One grey level: Otsu's t is 0, so the mask gray > 0 is all foreground and gray <= 0 all background.
    app = open_with_upload(PAGE, np.full((20, 30), 200, np.uint8),
                           {"morphology_dark": dark, "morphology_op": operation, "morphology_size": "9"})
    assert not problems(app), problems(app)
    notes = [i.value for i in app.info if f"The mask is all {kind}" in i.value]
    assert notes and "erosion and dilation change nothing" in notes[0]
    values = {m.label: m.value for m in app.metric}
    assert values["Pixels added"] == values["Pixels removed"] == "0"


@pytest.mark.parametrize("query", [{}, {"morphology_input": "grey", "morphology_op": "tophat"}, {"morphology_input": "grey", "morphology_op": "erode"}])
def test_a_rerun_with_nothing_changed_encodes_no_picture_again(query, monkeypatch):
    assert_rerun_encodes_no_picture(monkeypatch, PAGE, query)
