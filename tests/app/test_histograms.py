"""Histograms and point operations: code panels reproduce the page, exercises grade, links reopen settings."""

import xml.etree.ElementTree as ET

import cv2
import numpy as np
import pytest
from skimage import exposure

from processing.samples import load_sample
from ui.charts import CHANNEL_COLOURS
from tests.app.helpers import (
    SVG,
    svg_chart,
    answer,
    assert_code_panels_reproduce,
    assert_rerun_encodes_no_picture,
    CodeRecorder,
    feedback,
    new_app,
    open_with_upload,
    problems,
    record_panels,
    SWEEP_SAMPLES,
)

PAGE = "pages/04_histograms.py"

SETTINGS = [
    {},
    {"histograms_a": "0.55", "histograms_b": "90", "img": "camera"},
    {"histograms_op": "gamma", "histograms_gamma": "2.2"},
    {"histograms_op": "negative", "img": "coins"},
    {"histograms_op": "log", "img": "hubble"},
    {"histograms_op": "stretch", "histograms_pct": ["5.5", "90"], "img": "moon"},
    {"histograms_op": "stretch", "histograms_pct": ["0", "100"]},
    {"histograms_op": "equalise", "img": "moon"},
    {"histograms_op": "equalise"},
    {"histograms_op": "equalise", "histograms_colour": "rgb", "img": "coffee"},
    {"histograms_op": "equalise", "img": "checkerboard"},
    {"histograms_op": "clahe", "img": "page", "histograms_clip": "4", "histograms_tiles": "3"},
    {"histograms_op": "clahe", "img": "chelsea"},
    {"histograms_op": "match"},  # a colour image's lightness matched to a grey reference (the moon)
    {"histograms_op": "match", "histograms_colour": "rgb", "histograms_reference": "coffee"},
    {"histograms_op": "match", "histograms_colour": "rgb", "img": "coffee"},  # a grey reference in every channel
    {"histograms_op": "match", "img": "camera", "histograms_reference": "chelsea"},  # a colour reference's grey
    {"histograms_op": "match", "img": "moon", "histograms_reference": "shapes"},  # a reference made in code
]


def test_every_code_panel_reproduces_what_the_page_shows(tmp_path):
    panels = record_panels(PAGE, SETTINGS)
    assert_code_panels_reproduce(panels, tmp_path)


def test_equalisation_on_screen_is_opencvs_and_the_code_checks_it():
    with CodeRecorder() as recorder:
        new_app(PAGE, {"histograms_op": "equalise", "img": "moon"}).run()
    code, _, result = recorder.panels[0]
    np.testing.assert_array_equal(result, cv2.equalizeHist(load_sample("moon")))
    assert "np.cumsum" in code and "cv2.equalizeHist(img)" in code


def test_clipped_shares_are_shown_and_computed_independently():
    image = load_sample("astronaut").astype(float)
    app = new_app(PAGE).run()  # out = 1.5 in - 40
    low, high = np.mean(1.5 * image - 40 < 0), np.mean(1.5 * image - 40 > 255)
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["Clipped at 0"] == f"{low:.1%}" and metrics["Clipped at 255"] == f"{high:.1%}"


def texts(root: ET.Element) -> set[str]:
    return {"".join(t.itertext()) for t in root.iter(f"{SVG}text")}


def plotted(root: ET.Element, colour: str, y_range: tuple[float, float] = (-2, 257)) -> np.ndarray:
    """Data coordinates (x, y) of the polyline drawn in `colour` on a chart whose x axis runs from -2 to 257."""
    rect = root.find(f"{SVG}clipPath/{SVG}rect")
    left, top, width, height = (float(rect.get(k)) for k in ("x", "y", "width", "height"))
    line = next(p for p in root.iter(f"{SVG}polyline") if p.get("stroke") == colour)
    points = np.array([[float(v) for v in pair.split(",")] for pair in line.get("points").split()])
    low, high = y_range
    return np.column_stack([-2 + (points[:, 0] - left) * 259 / width,
                            low + (top + height - points[:, 1]) * (high - low) / height])


def test_transfer_curves_are_charts_of_the_clipped_line_and_show_where_a_level_lands():
    app = new_app(PAGE, {"histograms_level": "100"}).run()  # out = 1.5 in - 40
    expected = np.clip(np.rint(1.5 * np.arange(256) - 40), 0, 255)  # by hand, not from processing
    beside = svg_chart(app, "Transfer curve: output level against input level")
    closer = svg_chart(app, "Transfer curve: input level 100 becomes 110")  # 1.5 * 100 - 40
    for root in (beside, closer):
        assert {"input level", "output level"} <= texts(root)
        curve = plotted(root, "#6b6b6b")  # a colour photo under one curve: drawn once, in grey
        np.testing.assert_allclose(curve[:, 0], np.arange(256), atol=0.3)
        np.testing.assert_allclose(curve[:, 1], expected, atol=0.3)
    assert "Transfer curve: 100 → 110" in texts(closer)
    np.testing.assert_allclose(plotted(closer, "#e69500"), [[100, 0], [100, 110], [0, 110]], atol=0.3)
    # The histogram beside it marks the same level.
    assert "level 100" in texts(svg_chart(app, "Histogram of the input: histogram of"))


def test_equalising_r_g_b_draws_one_curve_per_channel_in_its_colour():
    app = new_app(PAGE, {"histograms_op": "equalise", "histograms_colour": "rgb", "img": "coffee"}).run()
    image = load_sample("coffee")
    root = svg_chart(app, "Transfer curve: output level against input level")
    for index, (name, colour) in enumerate({name: CHANNEL_COLOURS[name] for name in ("red", "green", "blue")}.items()):
        channel = np.ascontiguousarray(image[:, :, index])
        curve = plotted(root, colour)
        # Every level present in the channel lands where cv2.equalizeHist sends it.
        present = np.unique(channel)
        landed = {int(a): int(b) for a, b in zip(channel.ravel(), cv2.equalizeHist(channel).ravel())}
        np.testing.assert_allclose(curve[present, 1], [landed[int(v)] for v in present], atol=0.3)
        assert f"— {name}" in texts(root)


@pytest.mark.parametrize("query", [{}, {"histograms_op": "clahe", "img": "moon"}])
def test_a_rerun_encodes_no_picture_again(monkeypatch, query):
    assert_rerun_encodes_no_picture(monkeypatch, PAGE, query)


def test_clip_exercise():
    app = new_app(PAGE).run()
    assert feedback(answer(app, "histograms_clip", 260))[1]
    right = answer(app, "histograms_clip", 255)
    assert feedback(right)[0] and not feedback(right)[1]


def test_equalise_exercise():
    # By hand: CDF at 150 is 7 of 8 pixels, 4 at the darkest level: (7 - 4) / (8 - 4) * 255 = 191.25.
    app = new_app(PAGE).run()
    assert feedback(answer(app, "histograms_equalise", round(7 / 8 * 255)))[1]
    assert feedback(answer(app, "histograms_equalise", 191))[0]
    ref = cv2.equalizeHist(np.array([[50, 50, 50, 50], [100, 100, 150, 200]], np.uint8))
    assert ref[1, 2] == 191


def test_gamma_exercise():
    app = new_app(PAGE).run()
    assert feedback(answer(app, "histograms_gamma", "A"))[1]
    assert feedback(answer(app, "histograms_gamma", "C"))[0]


def test_link_reopens_the_same_settings():
    query = {"img": "moon", "histograms_op": "clahe", "histograms_clip": "3.5", "histograms_tiles": "4",
             "histograms_level": "120"}
    app = new_app(PAGE, query).run()
    assert app.selectbox(key="img").value == "moon"
    assert app.segmented_control(key="histograms_op").value == "clahe"
    assert app.slider(key="histograms_clip").value == 3.5
    assert app.slider(key="histograms_tiles").value == 4
    assert app.slider(key="histograms_level").value == 120
    app = new_app(PAGE, {"histograms_op": "linear", "histograms_a": "2.25", "histograms_b": "-17",
                         "histograms_colour": "rgb"}).run()
    assert app.slider(key="histograms_a").value == 2.25 and app.slider(key="histograms_b").value == -17
    app = new_app(PAGE, {"histograms_op": "equalise", "histograms_colour": "rgb"}).run()
    assert app.radio(key="histograms_colour").value == "rgb"


def test_page_runs_clean_on_every_sample():
    for op in ("equalise", "match", "clahe"):
        app = new_app(PAGE, {"histograms_op": op}).run()
        for sample_id in SWEEP_SAMPLES:
            app.selectbox(key="img").set_value(sample_id).run()
            assert not problems(app), (op, sample_id, problems(app))


# Lesson-specific extremes (issue 8): nothing to spread, tiles smaller than a pixel, a single pixel.
CONSTANT_GREY = np.full((32, 48), 77, np.uint8)
CONSTANT_COLOUR = np.full((24, 40, 3), (20, 120, 200), np.uint8)


def infos(app) -> list[str]:
    return [info.value for info in app.info]


def nothing_to_do(app) -> bool:
    return any("nothing to" in text.lower() for text in infos(app))


@pytest.mark.parametrize("op, pixels", [("equalise", CONSTANT_GREY), ("equalise", CONSTANT_COLOUR),
                                        ("stretch", CONSTANT_GREY), ("clahe", CONSTANT_GREY),
                                        ("clahe", CONSTANT_COLOUR)])
def test_a_constant_image_says_there_is_nothing_to_spread(op, pixels):
    with CodeRecorder() as recorder:
        app = open_with_upload(PAGE, pixels, {"histograms_op": op})
    assert not problems(app), problems(app)
    assert nothing_to_do(app), infos(app)
    if op != "clahe" and pixels.ndim == 2:  # a one-level grey image comes back exactly as it was
        np.testing.assert_array_equal(recorder.panels[-1][2], pixels)
        assert any("stays as it is" in text for text in infos(app))
    # The level count under "what to notice" is computed: one level before.
    assert any("used 1 levels" in m.value for m in app.markdown)


def test_stretching_a_constant_colour_image_spreads_its_three_values():
    """Stretch takes its percentiles over all channel values: three levels are something to spread."""
    with CodeRecorder() as recorder:
        app = open_with_upload(PAGE, CONSTANT_COLOUR, {"histograms_op": "stretch"})
    assert not problems(app) and not nothing_to_do(app)
    # 2nd and 98th percentiles of {20, 120, 200} are 20 and 200: 120 -> (120 - 20) * 255 / 180 = 141.7 -> 142.
    np.testing.assert_array_equal(recorder.panels[-1][2][0, 0], [0, 142, 255])


def test_percentiles_on_one_level_say_there_is_nothing_to_stretch():
    pixels = np.full((40, 40), 90, np.uint8)
    pixels[0, :3] = (10, 20, 250)  # three outliers: the 2nd and 98th percentiles are both level 90
    app = open_with_upload(PAGE, pixels, {"histograms_op": "stretch"})
    assert not problems(app)
    assert any("both percentiles fall on level 90" in text for text in infos(app)), infos(app)


@pytest.mark.parametrize("shape", [(3, 5), (3, 5, 3), (1, 40)])
def test_clahe_tiles_larger_than_the_image_are_explained(shape):
    pixels = np.random.default_rng(1).integers(0, 256, size=shape, dtype=np.uint8)
    with CodeRecorder() as recorder:
        app = open_with_upload(PAGE, pixels, {"histograms_op": "clahe", "histograms_tiles": "8"})
    assert not problems(app), problems(app)
    assert any("smaller than one pixel" in text for text in infos(app)), infos(app)
    # What is shown is still exactly OpenCV's CLAHE (independent reference).
    clahe = cv2.createCLAHE(clipLimit=2.0, tileGridSize=(8, 8))
    if pixels.ndim == 2:
        expected = clahe.apply(pixels)
    else:
        lab = cv2.cvtColor(pixels, cv2.COLOR_RGB2LAB)
        lab[..., 0] = clahe.apply(np.ascontiguousarray(lab[..., 0]))
        expected = cv2.cvtColor(lab, cv2.COLOR_LAB2RGB)
    np.testing.assert_array_equal(recorder.panels[-1][2], expected)


def test_clahe_with_tiles_that_fit_gives_no_note():
    pixels = np.random.default_rng(2).integers(0, 256, size=(64, 64), dtype=np.uint8)
    app = open_with_upload(PAGE, pixels, {"histograms_op": "clahe", "histograms_tiles": "8"})
    assert not problems(app)
    assert not any("smaller than one pixel" in text for text in infos(app)) and not nothing_to_do(app)


@pytest.mark.parametrize("op", ["linear", "gamma", "negative", "log", "stretch", "equalise", "clahe"])
def test_every_operation_runs_clean_on_a_single_pixel(op):
    app = open_with_upload(PAGE, np.array([[[200, 30, 30]]], np.uint8), {"histograms_op": op})
    assert not problems(app), problems(app)
    if op in ("stretch", "equalise", "clahe"):  # the three values 200, 30, 30: stretch spreads them
        assert nothing_to_do(app) == (op != "stretch"), infos(app)



# Histogram matching (specification) --------------------------------------------------------------------------
def test_matching_on_screen_is_skimage_rounded_and_reopens_from_the_link():
    query = {"histograms_op": "match", "img": "camera", "histograms_reference": "coins", "histograms_level": "90"}
    with CodeRecorder() as recorder:
        app = new_app(PAGE, query).run()
    assert not problems(app)
    assert app.selectbox(key="histograms_reference").value == "coins"
    expected = np.rint(exposure.match_histograms(load_sample("camera"), load_sample("coins")))
    np.testing.assert_array_equal(recorder.panels[0][2], expected)
    assert "np.interp" in recorder.panels[0][0] and "ref = skimage.data.coins()" in recorder.panels[0][0]


def test_matching_shows_its_transfer_curve_and_where_a_level_lands_on_both_cumulative_curves():
    camera, coins = load_sample("camera"), load_sample("coins")
    app = new_app(PAGE, {"histograms_op": "match", "img": "camera", "histograms_reference": "coins",
                         "histograms_level": "90"}).run()
    matched = np.rint(exposure.match_histograms(camera, coins))
    landed = int(matched[camera == 90][0])  # every pixel of level 90 lands on the same level
    curve = plotted(svg_chart(app, "Transfer curve: output level against input level"), "#6b6b6b")
    assert curve[90, 1] == pytest.approx(landed, abs=0.3)
    root = svg_chart(app, "Share of pixels at or below each level in the image and the reference")
    assert f"Same share of pixels: 90 → {landed}" in texts(root)
    path = plotted(root, "#e69500", y_range=(0, 101))
    share = 100 * np.mean(camera <= 90)
    np.testing.assert_allclose(path, [[90, 0], [90, share], [landed, share], [landed, 0]], atol=0.3)
    assert np.mean(coins <= landed) * 100 == pytest.approx(share, abs=2)  # the reference's share there is the same
    assert any(f"the reference reaches that same share at level {landed}" in m.value for m in app.markdown)


def test_matching_a_colour_image_works_on_its_lightness():
    app = new_app(PAGE, {"histograms_op": "match"}).run()  # astronaut, lightness only, matched to the moon
    assert not problems(app)
    svg_chart(app, "Curve applied to L: output level against input level")
    assert app.radio(key="histograms_colour").value == "lightness"
    captions = [picture.caption for element in app.get("image") for picture in element.proto.imgs]
    assert "The reference: Moon surface" in captions


def test_the_gamma_exercise_ramps_are_framed(monkeypatch):
    from ui import display
    from ui.cache import STEPS

    shown = []
    original = display.encode_for_display
    monkeypatch.setattr(display, "encode_for_display", lambda image, **k: shown.append(image) or original(image, **k))
    STEPS.clear()  # new pictures, so none of them has an encoding remembered
    new_app(PAGE).run()
    ramps = [picture for picture in shown if picture.shape == (52, 260, 3)]  # 48 x 256 and a 2-pixel frame
    assert len(ramps) == 3
    for ramp in ramps:
        assert (ramp[:2] == (49, 51, 63)).all() and (ramp[:, -2:] == (49, 51, 63)).all()
