"""Masks: code panels reproduce the page, exercises grade right and wrong answers, links reopen settings,
every sample runs, and the download is a PNG whose alpha is the mask."""

import cv2
import numpy as np
import pytest
import streamlit as st
import skimage.data

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
    record_panels,
    svg_text,
    SWEEP_SAMPLES,
)
from ui.charts import histogram_svg

PAGE = "pages/10_masks.py"

# Each run draws two panels: the blend (in its fragment) and the cut-out.
SETTINGS = [
    {},  # circle OR orange hue range, cut-out on black, blend with the cat
    {"masks_shape": "rectangle", "masks_xs": ["10", "60"], "masks_ys": ["20", "90"], "masks_b": "rgb",
     "masks_red": ["120", "255"], "masks_op": "and", "masks_bg": "checkerboard"},
    {"masks_shape": "ellipse", "masks_ax": "30", "masks_ay": "12", "masks_angle": "-35", "masks_b": "grey",
     "masks_grey": ["40", "160"], "masks_op": "xor", "masks_not": "true", "img": "coffee"},
    {"masks_shape": "polygon", "masks_points": "10,10; 90,20; 50,95", "masks_b": "threshold", "masks_t": "100",
     "masks_dark": "true", "masks_op": "minus", "img": "coins", "masks_bg": "checkerboard"},
    {"masks_b": "hsv", "masks_hue_deg": ["20", "340"], "masks_wrap": "true", "masks_op": "b", "img": "coffee",
     "masks_second": "ramp", "masks_inside": "true", "masks_alpha": "0.3"},
    {"masks_b": "hsv", "masks_op": "a", "img": "camera", "masks_second": "chelsea", "masks_alpha": "0.75"},
    {"img": "text", "masks_second": "hubble", "masks_inside": "true", "masks_alpha": "1.0", "masks_op": "or"},
]

SUIT_POLYGON = "3,100; 4,55; 12,44; 22,40; 30,52; 45,57; 58,50; 64,52; 70,62; 63,68; 55,80; 55,100"


def test_every_code_panel_reproduces_what_the_page_shows(tmp_path):
    panels = record_panels(PAGE, SETTINGS, per_run=2)
    assert_code_panels_reproduce(panels, tmp_path)


def test_code_panel_names_the_current_settings_in_pixels():
    with CodeRecorder() as recorder:
        new_app(PAGE).run()
    cut_out_code = recorder.panels[-1][0]
    # Circle at 44 %, 21 % of a 512 x 512 image, radius 14 % of 512.
    assert "cv2.circle(mask_a, (225, 107), 72, 1, thickness=-1)" in cut_out_code
    assert "cv2.inRange(hsv, (4, 120, 90), (14, 255, 255))" in cut_out_code
    assert "mask = mask_a | mask_b" in cut_out_code and "skimage.data.astronaut()" in cut_out_code


def test_hue_is_in_degrees_with_opencvs_value_beside_it():
    with CodeRecorder() as recorder:
        app = new_app(PAGE).run()
    assert app.slider(key="masks_hue_deg").value == (8, 28)
    assert any("OpenCV hue 4–14" in c.value for c in app.caption)
    captions = [caption for element in app.get("image") for caption in element.captions]
    assert any("B: hue 8–28° (OpenCV 4–14)" in caption for caption in captions)
    assert "cv2.inRange(hsv, (4, 120, 90), (14, 255, 255))" in recorder.panels[-1][0]


def test_the_blend_cuts_the_second_images_centre_instead_of_stretching_it():
    with CodeRecorder() as recorder:
        new_app(PAGE).run()  # the astronaut (512 x 512) with Chelsea (300 x 451)
    blend_code = recorder.panels[0][0]
    assert "second = second[0:300, 75:375]" in blend_code and "stretched" not in blend_code
    assert "second = cv2.resize(second, (512, 512), interpolation=cv2.INTER_LINEAR)" in blend_code


def test_the_cut_out_gets_a_note_about_its_fill_instead_of_a_histogram():
    app = new_app(PAGE).run()
    notes = [c.value for c in app.caption if "masked-out pixels: black, a spike at 0" in c.value]
    assert len(notes) == 1
    charts = [img.alt for element in app.get("image") for img in element.proto.imgs if "histogram" in img.alt.lower()]
    # The image's own histogram and the two of the masked-pixels section; none for the cut-out.
    assert len(charts) == 3, charts
    checker = new_app(PAGE, {"masks_bg": "checkerboard"}).run()
    assert any("spikes at 204 and 255" in c.value for c in checker.caption)


def independent_default_masks():
    image = skimage.data.astronaut()
    disc = np.zeros(image.shape[:2], np.uint8)
    cv2.circle(disc, (225, 107), 72, 1, thickness=-1)
    hsv = cv2.cvtColor(image, cv2.COLOR_RGB2HSV)
    suit = cv2.inRange(hsv, np.array([4, 120, 90]), np.array([14, 255, 255])) > 0
    return disc.astype(bool), suit


def test_masked_histogram_counts_only_the_masked_pixels():
    disc, suit = independent_default_masks()
    selected = disc | suit  # the default combination, A OR B
    image = skimage.data.astronaut()
    inside = np.stack([np.bincount(image[:, :, c][selected], minlength=256) for c in range(3)])
    whole = np.stack([np.bincount(image[:, :, c].ravel(), minlength=256) for c in range(3)])
    app = new_app(PAGE).run()
    rgb = ("red", "green", "blue")
    inside_title, whole_title = f"Inside the mask: {selected.sum():,} pixels", "Whole image: 262,144 pixels"
    # Each chart is exactly the histogram of these hand-counted pixels, titled with their number.
    assert svg_text(app, inside_title) == histogram_svg(inside, channels=rgb, title=inside_title)
    assert svg_text(app, whole_title) == histogram_svg(whole, channels=rgb, title=whole_title)


def test_union_share_exercise():
    disc, suit = independent_default_masks()
    share = 100 * np.count_nonzero(disc | suit) / disc.size
    app = new_app(PAGE).run()
    wrong = answer(app, "masks_union", round(100 * suit.mean(), 2))  # B alone
    assert feedback(wrong)[1] and not feedback(wrong)[0]
    right = answer(app, "masks_union", round(share, 2))
    assert feedback(right)[0] and f"{share:.2f} %" in feedback(right)[0][0]
    assert "masks_union" in right.session_state["pl_progress"]


def test_which_picture_exercise():
    app = new_app(PAGE).run()
    assert feedback(answer(app, "masks_code", "4"))[1]  # A minus B, the usual confusion
    assert feedback(answer(app, "masks_code", "2"))[0]


def fit_feedback(app):
    return [s for s in feedback(check_target(app, "masks_fit"))[0] if "Goal reached" in s]


def test_fit_exercise_is_graded_by_iou():
    app = new_app(PAGE).run()  # a circle on the face against the suit: far from the goal
    assert not fit_feedback(app)
    assert any("Hint: Pixels of A outside B" in e for e in feedback(app)[1])
    suit = new_app(PAGE, {"masks_shape": "polygon", "masks_points": SUIT_POLYGON}).run()
    assert fit_feedback(suit), "a polygon around the suit reaches IoU 0.6"
    assert "masks_fit" in suit.session_state["pl_progress"]
    ramp = new_app(PAGE, {"img": "ramp", "masks_b": "grey", "masks_grey": ["128", "255"],
                          "masks_shape": "rectangle", "masks_xs": ["50", "100"], "masks_ys": ["0", "100"]}).run()
    assert fit_feedback(ramp) and not ramp.exception


def test_link_reopens_the_same_settings():
    query = {"img": "coffee", "masks_shape": "ellipse", "masks_cx": "30", "masks_angle": "20", "masks_b": "rgb",
             "masks_green": ["10", "99"], "masks_op": "xor", "masks_not": "true", "masks_bg": "checkerboard",
             "masks_second": "moon", "masks_alpha": "0.35", "masks_inside": "true"}
    app = new_app(PAGE, query).run()
    assert not problems(app)
    assert app.selectbox(key="img").value == "coffee"
    assert app.radio(key="masks_shape").value == "ellipse"
    assert app.slider(key="masks_cx").value == 30
    assert app.slider(key="masks_angle").value == 20
    assert app.selectbox(key="masks_b").value == "rgb"
    assert app.slider(key="masks_green").value == (10, 99)
    assert app.radio(key="masks_op").value == "xor"
    assert app.toggle(key="masks_not").value is True
    assert app.segmented_control(key="masks_bg").value == "checkerboard"
    assert app.selectbox(key="masks_second").value == "moon"
    assert app.slider(key="masks_alpha").value == pytest.approx(0.35)
    assert app.toggle(key="masks_inside").value is True


def test_polygon_text_link_reopens_and_bad_text_falls_back():
    app = new_app(PAGE, {"masks_shape": "polygon", "masks_points": SUIT_POLYGON}).run()
    assert app.text_input(key="masks_points").value == SUIT_POLYGON and not app.warning
    bad = new_app(PAGE, {"masks_shape": "polygon", "masks_points": "[x](https://example.invalid); 1,2"}).run()
    assert not problems(bad)
    assert any("could not be read" in w.value for w in bad.warning)
    assert "example.invalid" not in " ".join(m.value for m in bad.markdown)


def test_page_runs_clean_on_every_sample_in_every_rule():
    app = new_app(PAGE, {"masks_shape": "polygon"}).run()
    for sample_id in SWEEP_SAMPLES:
        app.selectbox(key="img").set_value(sample_id).run()
        assert not problems(app), (sample_id, problems(app))
    grey_note = [i.value for i in app.info if "This image is grey" in i.value]
    assert grey_note, "the last sample (shapes) is grey: the colour range is replaced and the page says so"
    for rule in ("rgb", "grey", "threshold"):
        app.selectbox(key="masks_b").set_value(rule).run()
        assert not problems(app), (rule, problems(app))


def test_empty_mask_says_the_statistics_are_meaningless():
    app = new_app(PAGE, {"masks_b": "threshold", "masks_t": "255", "masks_op": "b"}).run()
    assert not problems(app)
    assert any("meaningless" in w.value for w in app.warning)


def test_download_is_a_png_whose_alpha_is_the_mask(monkeypatch):
    calls = []
    original = st.download_button

    def recording(label, data, *args, **kwargs):
        calls.append((data, kwargs))
        return original(label, data, *args, **kwargs)

    monkeypatch.setattr(st, "download_button", recording)
    query = {"img": "camera", "masks_shape": "rectangle", "masks_xs": ["0", "50"], "masks_ys": ["0", "100"],
             "masks_op": "a"}
    app = new_app(PAGE, query).run()
    assert not problems(app) and len(calls) == 1
    data, kwargs = calls[0]
    assert kwargs["mime"] == "image/png" and kwargs["file_name"].endswith(".png")
    png = data() if callable(data) else data  # made on click, from the pixels on screen
    assert png.startswith(b"\x89PNG")
    decoded = cv2.imdecode(np.frombuffer(png, np.uint8), cv2.IMREAD_UNCHANGED)
    image = skimage.data.camera()
    assert decoded.shape == (*image.shape, 4)
    expected_alpha = np.zeros(image.shape, np.uint8)
    expected_alpha[:, : round(0.5 * (image.shape[1] - 1)) + 1] = 255  # columns 0..255 of 512, both edges included
    np.testing.assert_array_equal(decoded[:, :, 3], expected_alpha)
    np.testing.assert_array_equal(decoded[:, :, 0], image)  # colours kept everywhere, grey as grey RGB


def test_blend_weight_reaches_the_blend_code():
    # (AppTest reruns the whole script; the fragment's partial rerun is the browser's business.)
    with CodeRecorder() as recorder:
        app = new_app(PAGE).run()
        recorder.panels.clear()
        app.slider(key="masks_alpha").set_value(0.8).run()
    assert not problems(app)
    assert "alpha = 0.8" in recorder.panels[0][0]


@pytest.mark.parametrize("size", [(1, 1), (3, 2)])
def test_tiny_uploads_run_clean(size):
    image = np.random.default_rng(0).integers(0, 256, (*size, 3), dtype=np.uint8)
    app = open_with_upload(PAGE, image)
    assert not problems(app), problems(app)
    for shape in ("rectangle", "ellipse", "polygon"):
        app.radio(key="masks_shape").set_value(shape).run()
        assert not problems(app), (shape, problems(app))


# Lesson-specific extremes (issue 8) -----------------------------------------------------------


def test_disjoint_selection_is_an_empty_mask_and_says_so():
    # A: a small rectangle in the top-left corner; B: the whole image at or above 0 ... inverted: nothing.
    query = {"masks_shape": "rectangle", "masks_xs": ["0", "10"], "masks_ys": ["0", "10"], "masks_b": "threshold",
             "masks_t": "255", "masks_op": "and"}
    app = new_app(PAGE, query).run()
    assert not problems(app), problems(app)
    assert any("The mask is empty" in w.value for w in app.warning)
    assert any("With an empty mask there is no masked mean" in m.value for m in app.markdown)
    empty = np.zeros((3, 256), np.int64)  # the masked histogram is drawn, flat, and says it counts nothing
    assert svg_text(app, "Inside the mask: 0 pixels") == histogram_svg(empty, channels=("red", "green", "blue"),
                                                                    title="Inside the mask: 0 pixels")
    # B is empty and A is not: the IoU is defined, and 0.
    checked = check_target(app, "masks_fit")
    assert any("IoU of A and B is 0 (goal" in e for e in feedback(checked)[1])


@pytest.mark.parametrize(("text", "reason"), [
    ("abc; def; ghi", "corner 1 is not two numbers"),
    ("1e5,3; 10,10; 20,20", "corner 1 is not two numbers"),
    (";".join(["1,1"] * 40_000), "3 to 20 are needed"),  # Streamlit cuts it to max_chars (300) first
    ("10,10; 90,10; 5000,90000", "corner 3 lies outside the image"),
    ("10,10; 90,10", "it has 2 corners"),
], ids=["words", "exponent", "40000-points", "far-outside", "two-points"])
def test_absurd_polygon_text_in_the_link_falls_back_with_a_note(text, reason):
    with CodeRecorder() as recorder:
        app = new_app(PAGE, {"masks_shape": "polygon", "masks_points": text}).run()
    assert not problems(app), problems(app)
    notes = [w.value for w in app.warning if "could not be read" in w.value or "The link asked for" in w.value]
    assert notes, [w.value for w in app.warning]
    assert any(reason in note for note in notes) or any("The link asked for" in note for note in notes)
    # The default polygon is drawn: (8 %, 45 %) of a 512 × 512 image is pixel (41, 230).
    assert "[41, 230]" in recorder.panels[-1][0]
    # Nothing of the link's text is repeated at length.
    assert not any("10,10; 10,10; 10,10; 10,10; 10,10" in block.value for block in app.code)


def test_a_link_with_100000_polygon_points_opens_the_lesson_clean():
    # 100,000 points URL-encode to over 0.5 MB: Streamlit ignores such a query string as a whole,
    # so the lesson opens on its defaults (a circle), with nothing of the link shown.
    text = ";".join(["1,1"] * 100_000)
    app = new_app(PAGE, {"masks_shape": "polygon", "masks_points": text}).run()
    assert not problems(app), problems(app)
    assert app.radio(key="masks_shape").value == "circle"
    assert not any("1,1;1,1;1,1" in block.value for block in app.code)



@pytest.mark.parametrize("query", [{}, {"masks_shape": "polygon", "masks_b": "threshold", "masks_bg": "checkerboard", "masks_inside": "true"}])
def test_a_rerun_with_nothing_changed_encodes_no_picture_again(query, monkeypatch):
    assert_rerun_encodes_no_picture(monkeypatch, PAGE, query)
