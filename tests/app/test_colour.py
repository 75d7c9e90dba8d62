"""Colour models: code panels reproduce the page, exercises grade right and wrong answers, links reopen settings."""

import re

import cv2
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
    SVG,
    svg_chart,
    SWEEP_SAMPLES,
)

PAGE = "pages/02_colour.py"

SETTINGS = [
    {},
    {"colour_hue": ["100", "250"], "colour_smin": "0", "colour_vmin": "0"},
    {"img": "coffee", "colour_hue": ["12", "340"], "colour_wrap": "true", "colour_smin": "120", "colour_vmin": "80"},
    {"img": "chelsea", "colour_hue": ["0", "360"], "colour_smin": "200"},
    {"img": "ihc", "colour_hue": ["1", "359"], "colour_wrap": "true"},
]


def test_every_code_panel_reproduces_what_the_page_shows(tmp_path):
    panels = record_panels(PAGE, SETTINGS, per_run=2)
    assert_code_panels_reproduce(panels, tmp_path)


def test_the_hue_mask_is_the_opencv_range_check_in_degrees():
    # Independent of processing: coffee's red saucer across 0 degrees, written with plain OpenCV.
    image = load_sample("coffee")
    hsv = cv2.cvtColor(image, cv2.COLOR_RGB2HSV)
    expected = (hsv[..., 0] >= 170) | (hsv[..., 0] <= 6)
    expected &= (hsv[..., 1] >= 120) & (hsv[..., 2] >= 80)
    with CodeRecorder() as recorder:
        new_app(PAGE, SETTINGS[2]).run()
    code, _, splash = recorder.panels[0]
    assert "(170, 120, 80), (179, 255, 255)" in code and "(0, 120, 80), (6, 255, 255)" in code
    np.testing.assert_array_equal(np.all(splash == image, axis=2) | ~expected, True)


@pytest.mark.parametrize(("query", "selected"), [
    ({}, lambda h: (h >= 3) & (h <= 11)),  # 6°-22°: OpenCV hues 3 to 11
    (SETTINGS[2], lambda h: (h >= 170) | (h <= 6)),  # coffee, 340°-360° and 0°-12°: hues 170-179 and 0-6
])
def test_the_hue_histogram_draws_the_selected_hues_in_black_and_the_rest_in_grey(query, selected):
    # Independent of processing: the counts of the colourful, bright pixels at each OpenCV hue, by hand.
    image = load_sample(query.get("img", "astronaut"))
    s_min, v_min = int(query.get("colour_smin", 80)), int(query.get("colour_vmin", 50))
    hsv = cv2.cvtColor(image, cv2.COLOR_RGB2HSV)
    counts = np.bincount(hsv[..., 0][(hsv[..., 1] >= s_min) & (hsv[..., 2] >= v_min)], minlength=180)
    inside = selected(np.arange(180))
    app = new_app(PAGE, query).run()
    root = svg_chart(app, "Histogram of the hue")
    alt = next(p.alt for e in app.get("image") for p in e.proto.imgs if p.alt.startswith("Histogram of the hue"))
    assert f"S ≥ {s_min} and V ≥ {v_min}" in alt
    rect = root.find(f"{SVG}clipPath/{SVG}rect")
    top, height = float(rect.get("y")), float(rect.get("height"))
    # The count axis runs from 0 to the tallest bar plus 4 %; every hue is a bar two degrees wide (two steps).
    pixels_per_count = height / (1.04 * counts.max())
    for colour, shown in (("#1a1a1a", np.where(inside, counts, 0)), ("#8c8c8c", np.where(inside, 0, counts))):
        path = next(p.get("d") for p in root.iter(f"{SVG}path") if p.get("stroke") == colour)
        steps = [float(v) for v in re.findall(r"V(-?[\d.]+)H", path)]
        np.testing.assert_allclose(steps, np.repeat(top + height - shown * pixels_per_count, 2), atol=0.1)
    texts = {"".join(t.itertext()) for t in root.iter(f"{SVG}text")}
    low, high = sorted(int(v) for v in query.get("colour_hue", ["6", "22"]))
    start, end = (high, low) if "colour_wrap" in query else (low, high)  # a wrapped range runs from high to low
    # Each end in degrees with OpenCV's hue beside it: the start rounds up to a whole H, the end down.
    ends = {f"{start}° (H {-(-start // 2)})", f"{end}° (H {end // 2})"}
    assert ends | {"hue in degrees (OpenCV H = degrees / 2)", "pixel count", "— selected hues", "— other hues"} <= texts


def test_the_3d_scatter_has_tick_labels_readable_on_a_projector():
    import json

    app = new_app(PAGE, {"img": "coffee", "colour_space": "hsv"}).run()
    figure = json.loads(app.get("plotly_chart")[0].proto.spec)
    scene = figure["layout"]["scene"]
    for axis in ("xaxis", "yaxis", "zaxis"):
        assert scene[axis]["tickfont"]["size"] >= 14 and scene[axis]["title"]["font"]["size"] >= 16
    assert scene["xaxis"]["title"]["text"] == "H = degrees / 2 (0-179)"


def test_greyscale_says_luma_and_that_blues_get_darker():
    app = new_app(PAGE, {"img": "coffee"}).run()
    text = " ".join(block.value for block in app.markdown)
    assert "*luma* Y′" in text and "darker means it is darker (blues)" in text and "blues and reds" not in text


def test_gray_exercise():
    app = new_app(PAGE).run()
    assert feedback(answer(app, "colour_gray", 85))[1]  # the plain average: 255 / 3
    right = answer(app, "colour_gray", round(0.587 * 255))
    assert right.success and not right.error


def test_hue_exercise():
    app = new_app(PAGE).run()
    assert feedback(answer(app, "colour_hue", 60))[1]  # degrees, not OpenCV's halved units
    right = answer(app, "colour_hue", 30)
    assert feedback(right)[0] and not feedback(right)[1]


def test_bgr_exercise():
    app = new_app(PAGE).run()
    assert feedback(answer(app, "colour_bgr", "B"))[1]
    assert feedback(answer(app, "colour_bgr", "A"))[0]
    assert "colour_bgr" in app.session_state["pl_progress"]


def test_link_reopens_the_same_settings():
    query = {"img": "coffee", "colour_hue": ["12", "340"], "colour_wrap": "true", "colour_smin": "120",
             "colour_vmin": "80", "colour_model": "lab", "colour_space": "hsv", "colour_pick": "#123456"}
    app = new_app(PAGE, query).run()
    assert app.selectbox(key="img").value == "coffee"
    assert app.slider(key="colour_hue").value == (12, 340)
    assert app.toggle(key="colour_wrap").value is True
    assert app.slider(key="colour_smin").value == 120
    assert app.slider(key="colour_vmin").value == 80
    assert app.segmented_control(key="colour_model").value == "lab"
    assert app.radio(key="colour_space").value == "hsv"
    assert app.color_picker(key="colour_pick").value.lower() == "#123456"


def test_grey_images_say_what_does_not_apply_and_offer_colour_samples():
    app = new_app(PAGE, {"img": "moon"}).run()
    assert not problems(app)
    assert any("grey" in warning.value for warning in app.warning)
    assert app.color_picker(key="colour_pick").value  # the picker still works without a colour image


def test_page_runs_clean_on_every_sample():
    app = new_app(PAGE, {"colour_model": "hsv"}).run()
    for sample_id in SWEEP_SAMPLES:
        app.selectbox(key="img").set_value(sample_id).run()
        assert not problems(app), (sample_id, problems(app))


# --- lesson-specific extremes (issue 8) ----------------------------------------------------------


def test_a_hue_range_that_selects_nothing_says_so():
    # A constant grey colour image: every pixel has S = 0, so no hue range with S >= 80 can select one.
    app = open_with_upload(PAGE, np.full((16, 24, 3), 128, np.uint8))
    assert not problems(app), problems(app)
    notes = [info.value for info in app.info if info.value.startswith("No pixel has a hue")]
    assert len(notes) == 1 and "too grey or too dark" in notes[0]
    assert any("keeps **0.0%** of the pixels" in block.value for block in app.markdown)


def test_a_colourful_image_outside_the_range_says_why_nothing_is_selected():
    # Constant blue (hue 210 degrees): bright and saturated, but outside the default 6-22 degrees.
    blue = np.full((16, 24, 3), (20, 120, 200), np.uint8)
    assert cv2.cvtColor(blue, cv2.COLOR_RGB2HSV)[0, 0, 0] * 2 not in range(6, 23)
    app = open_with_upload(PAGE, blue)
    assert not problems(app), problems(app)
    notes = [info.value for info in app.info if info.value.startswith("No pixel has a hue")]
    assert len(notes) == 1 and "none of the colourful, bright pixels" in notes[0]
    # A range that contains its hue selects every pixel, and the note goes away.
    app.slider(key="colour_hue").set_value((200, 220)).run()
    assert not problems(app)
    assert not [info for info in app.info if info.value.startswith("No pixel has a hue")]
    assert any("keeps **100.0%** of the pixels" in block.value for block in app.markdown)


def test_the_3d_scatter_of_a_one_pixel_image_draws_that_pixel():
    app = open_with_upload(PAGE, np.array([[[200, 30, 30]]], np.uint8), {"colour_space": "hsv"})
    assert not problems(app), problems(app)
    assert any("All 1 pixel of this small image" in caption.value for caption in app.caption)
    app.radio(key="colour_space").set_value("rgb").run()
    assert not problems(app), problems(app)
    assert any("All 1 pixel of this small image" in caption.value for caption in app.caption)
