"""Geometric transforms: code panels reproduce the page, exercises grade right and wrong answers, links reopen settings."""

import math

import numpy as np

from processing.samples import load_sample
from tests.app.helpers import (
    answer,
    assert_code_panels_reproduce,
    CodeRecorder,
    feedback,
    new_app,
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
