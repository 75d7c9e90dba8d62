"""Geometric transforms: code panels reproduce the page, exercises grade right and wrong answers, links reopen settings."""

import math

import numpy as np
import pytest

from processing.samples import load_sample
from tests.app.helpers import (
    answer,
    assert_code_panels_reproduce,
    CodeRecorder,
    feedback,
    new_app,
    open_with_upload,
    problems,
    record_panels,
    SWEEP_SAMPLES,
)

PAGE = "pages/03_geometry.py"

SETTINGS = [
    {},
    {"geometry_angle": "-45", "geometry_expand": "true", "geometry_interp": "cubic", "geometry_border": "reflect"},
    {"img": "camera", "geometry_angle": "90", "geometry_expand": "true", "geometry_interp": "nearest"},
    {"geometry_op": "scale", "geometry_factor": "0.35", "geometry_interp": "area"},
    {"geometry_op": "scale", "geometry_factor": "1.5", "geometry_interp": "lanczos", "img": "coins"},
    {"geometry_op": "translate", "geometry_tx": "-70", "geometry_ty": "33", "geometry_border": "wrap"},
    {"geometry_op": "flip", "geometry_flip": "both", "img": "text"},
    {"geometry_op": "affine", "geometry_down": "-15", "geometry_right": "30", "geometry_border": "replicate"},
    {"geometry_op": "perspective", "geometry_tilt": "30", "img": "page", "geometry_interp": "cubic"},
]


def test_every_code_panel_reproduces_what_the_page_shows(tmp_path):
    panels = record_panels(PAGE, SETTINGS)
    assert_code_panels_reproduce(panels, tmp_path)


def test_rotation_by_90_with_a_grown_canvas_is_numpy_rot90():
    with CodeRecorder() as recorder:
        new_app(PAGE, SETTINGS[2]).run()
    np.testing.assert_array_equal(recorder.panels[0][2], np.rot90(load_sample("camera")))


def test_landing_exercise():
    # By hand: a 90 degree counter-clockwise turn about (50, 50) sends (x, y) to (y, 100 - x).
    app = new_app(PAGE).run()
    assert feedback(answer(app, "geometry_landing", 10))[1]
    right = answer(app, "geometry_landing", 100 - 10)
    assert feedback(right)[0] and not feedback(right)[1]


def test_canvas_exercise_uses_the_image_on_screen():
    height, width = load_sample("coffee").shape[:2]
    expected = math.ceil(width * math.cos(math.radians(30)) + height * math.sin(math.radians(30)))
    app = new_app(PAGE, {"img": "coffee"}).run()
    assert feedback(answer(app, "geometry_canvas", width))[1]
    assert feedback(answer(app, "geometry_canvas", expected))[0]


def test_interpolation_exercise():
    app = new_app(PAGE).run()
    assert feedback(answer(app, "geometry_interp", "A"))[1]
    assert feedback(answer(app, "geometry_interp", "B"))[0]


def test_link_reopens_the_same_settings():
    query = {"img": "brick", "geometry_op": "affine", "geometry_down": "-12", "geometry_right": "7",
             "geometry_interp": "cubic", "geometry_border": "wrap", "geometry_x": "40", "geometry_y": "300",
             "geometry_shrink": "6"}
    app = new_app(PAGE, query).run()
    assert app.selectbox(key="img").value == "brick"
    assert app.segmented_control(key="geometry_op").value == "affine"
    assert app.slider(key="geometry_down").value == -12
    assert app.slider(key="geometry_right").value == 7
    assert app.selectbox(key="geometry_interp").value == "cubic"
    assert app.selectbox(key="geometry_border").value == "wrap"
    assert app.slider(key="geometry_x").value == 40
    assert app.slider(key="geometry_y").value == 300
    assert app.slider(key="geometry_shrink").value == 6


def test_switching_to_a_smaller_image_keeps_sliders_in_range():
    app = new_app(PAGE, {"geometry_op": "translate", "geometry_tx": "500", "geometry_x": "500", "geometry_y": "500"}).run()
    app.selectbox(key="img").set_value("text").run()  # 448 x 172
    assert not problems(app)
    assert app.slider(key="geometry_y").value == 171
    assert app.slider(key="geometry_tx").value == 448


def test_page_runs_clean_on_every_sample():
    app = new_app(PAGE, {"geometry_op": "perspective"}).run()
    for sample_id in SWEEP_SAMPLES:
        app.selectbox(key="img").set_value(sample_id).run()
        assert not problems(app), (sample_id, problems(app))


# --- lesson-specific extremes (issue 8) ----------------------------------------------------------

TINY = {
    "1x1": np.array([[[200, 30, 30]]], np.uint8),
    "1x40": np.linspace(0, 255, 40).astype(np.uint8)[np.newaxis, :],
}


@pytest.mark.parametrize("name", TINY)
def test_rotation_and_zoomed_crops_of_a_tiny_image(name):
    pixels = TINY[name]
    app = open_with_upload(PAGE, pixels, {"geometry_angle": "45", "geometry_expand": "true"})
    assert not problems(app), problems(app)
    height, width = pixels.shape[:2]
    # The grown canvas holds the turned picture: |W cos| + |H sin|, rounded up (by hand).
    grown = math.ceil(width * math.cos(math.radians(45)) + height * math.sin(math.radians(45)) - 1e-9)
    captions = [caption for element in app.get("image") for caption in element.captions]
    assert any(f"canvas grown to {grown} × " in caption for caption in captions), captions
    # The 12 x 12 crop shrinks to the image: one picture per interpolation, still there.
    for interpolation in ("nearest", "linear", "cubic", "area", "lanczos"):
        assert interpolation in captions, interpolation
    app.toggle(key="geometry_expand").set_value(False).run()
    assert not problems(app), problems(app)


@pytest.mark.parametrize("name", TINY)
def test_perspective_link_on_a_tiny_image_says_why_it_is_not_offered(name):
    app = open_with_upload(PAGE, TINY[name], {"geometry_op": "perspective"})
    assert not problems(app), problems(app)
    assert app.segmented_control(key="geometry_op").value == "rotate"
    assert "perspective" not in app.segmented_control(key="geometry_op").options
    assert any("Moving corners needs an image at least 8 pixels on each side" in info.value for info in app.info)


def test_perspective_and_crops_on_an_eight_pixel_image():
    pixels = np.arange(8 * 8 * 3, dtype=np.uint8).reshape(8, 8, 3)
    app = open_with_upload(PAGE, pixels, {"geometry_op": "perspective", "geometry_tilt": "45"})
    assert not problems(app), problems(app)
    assert app.segmented_control(key="geometry_op").value == "perspective"
    assert any("Straighten it back" in header.value for header in app.subheader)


# --- issue 20: the default sample, the black fill's spike, labels that fit --------------------------------


def test_the_lesson_opens_on_brick_which_aliases_and_a_link_overrides_it():
    app = new_app(PAGE).run()
    assert app.selectbox(key="img").value == "brick"
    assert new_app(PAGE, {"img": "camera"}).run().selectbox(key="img").value == "camera"
    # Brick aliases at the default shrink (1/4): nearest neighbour drops the thin mortar lines that area keeps
    # as grey, so the two differ; the 8-pixel checkerboard shrunk by 4 is the same with all three.
    import cv2

    for sample_id, aliases in (("brick", True), ("checkerboard", False)):
        image = load_sample(sample_id)
        size = (round(image.shape[1] / 4), round(image.shape[0] / 4))
        nearest, area = (cv2.resize(image, size, interpolation=flag) for flag in (cv2.INTER_NEAREST, cv2.INTER_AREA))
        assert (np.abs(nearest.astype(int) - area).mean() > 5) == aliases, sample_id


def test_a_large_black_fill_is_named_under_the_histogram():
    # Independent of processing: warp an all-white picture the same way and count what stays black.
    import cv2

    image = load_sample("brick")
    h, w = image.shape[:2]
    matrix = cv2.getRotationMatrix2D(((w - 1) / 2, (h - 1) / 2), 30, 1.0)
    white = cv2.warpAffine(np.full((h, w), 255, np.uint8), matrix, (w, h), flags=cv2.INTER_NEAREST)
    share = np.mean(white == 0)
    app = new_app(PAGE).run()
    notes = [caption.value for caption in app.caption if caption.value.startswith("The spike at level 0")]
    assert len(notes) == 1 and f"{share:.1%} of the output pixels" in notes[0]
    app = new_app(PAGE, {"geometry_border": "replicate"}).run()  # no fill, no note
    assert not [caption for caption in app.caption if caption.value.startswith("The spike at level 0")]


def test_control_labels_are_short_enough_for_a_quarter_column_at_1280_px():
    # A quarter of the main column at 1280 x 720 is about 180 px: about 22 characters of label.
    for query in ({}, {"geometry_op": "affine"}, {"geometry_op": "perspective"}, {"geometry_op": "translate"},
                  {"geometry_op": "scale"}):
        app = new_app(PAGE, query).run()
        labels = [w.label for w in [*app.slider, *app.toggle, *app.selectbox, *app.radio]
                  if w.key and w.key.startswith("geometry_") and w.key not in ("geometry_x", "geometry_y",
                                                                               "geometry_shrink")]
        assert labels and all(len(label) <= 22 for label in labels), labels
