"""Compression lesson: code panels reproduce the page, quoted numbers are the processing module's, the URL reopens
the settings, a click or the sliders pick the block, and every exercise grades right and wrong answers."""

import re

import numpy as np
import pytest

from processing import compression as jpeg
from processing.samples import known_shapes, load_sample
from tests.app.helpers import (
    CodeRecorder,
    answer,
    assert_code_panels_reproduce,
    feedback,
    new_app,
    problems,
    record_panels,
    svg_chart,
    SVG,
)

PAGE = "pages/15_compression.py"

SETTINGS = [
    {},  # astronaut, quality 25, 4:2:0
    {"img": "camera", "compression_quality": "60"},  # grey: one plane
    {"img": "coffee", "compression_sub": "4:2:2", "compression_quality": "80"},
    {"compression_sub": "4:4:4", "compression_quality": "5"},
    {"img": "shapes", "compression_quality": "100"},
    {"img": "chelsea", "compression_quality": "1", "compression_row": "299", "compression_col": "450"},  # odd sizes
]


def metric(app, start: str) -> str:
    return next(m.value for m in app.metric if m.label.startswith(start))


def test_every_code_panel_reproduces_what_the_page_shows(tmp_path):
    panels = record_panels(PAGE, SETTINGS, per_run=2)
    assert_code_panels_reproduce(panels, tmp_path)


@pytest.mark.parametrize(("query", "sample", "quality", "scheme"), [
    ({}, "astronaut", 25, "4:2:0"),
    ({"img": "camera", "compression_quality": "60"}, "camera", 60, "4:2:0"),
    ({"img": "coffee", "compression_sub": "4:4:4", "compression_quality": "90"}, "coffee", 90, "4:4:4"),
])
def test_quoted_numbers_are_the_processing_modules(query, sample, quality, scheme):
    image = load_sample(sample)
    ours = jpeg.compress(image, quality=quality, subsampling=scheme)
    real = jpeg.real_jpeg(image, quality=quality, subsampling=scheme)
    app = new_app(PAGE, query).run()
    assert not problems(app)
    assert metric(app, "PSNR from scratch") == f"{ours.psnr:.2f} dB"
    assert metric(app, "PSNR of the real file") == f"{real.psnr:.2f} dB"
    assert metric(app, "Quantised coefficients that are 0") == f"{ours.entropy.zeros:.1%}"
    file_size = f"Real JPEG file (OpenCV, {real.size / 1024:,.1f} KB): bits per pixel"
    assert metric(app, file_size) == f"{real.bits_per_pixel:.2f}"
    notice = next(m.value for m in app.markdown if m.value.startswith("The lossy steps match"))
    assert f"{ours.psnr:.2f} dB" in notice and f"{real.size * 8:,} bits ({real.size:,} bytes)" in notice
    assert f"{ours.entropy.symbol_bits:,.0f} bits" in notice


def test_url_seeds_every_control():
    query = {"img": "coffee", "compression_quality": "70", "compression_sub": "4:2:2", "compression_row": "17",
             "compression_col": "300"}
    app = new_app(PAGE, query).run()
    assert not problems(app)
    assert app.slider(key="compression_quality").value == 70
    assert app.get("segmented_control")[0].value == "4:2:2"
    assert (app.slider(key="compression_row").value, app.slider(key="compression_col").value) == (17, 300)
    block = jpeg.analyse_block(jpeg.luma_plane(load_sample("coffee")), row=17, col=300, quality=70)
    assert any(f"block at row {block.top}, column {block.left}" in c.value for c in app.caption)


def test_the_block_opens_on_the_strongest_edge_and_follows_a_click():
    from processing.edges import strongest_edge

    app = new_app(PAGE).run()
    row, col = strongest_edge(jpeg.luma_plane(load_sample("astronaut")))
    assert (app.slider(key="compression_row").value, app.slider(key="compression_col").value) == (row, col)
    # A click in the middle of the 640-pixel-wide preview of the 512 × 512 image picks pixel (256, 256).
    app.session_state["compression_click"] = {"x": 320, "y": 320, "width": 640, "height": 640, "unix_time": 1}
    app.run()
    assert not problems(app)
    assert (app.slider(key="compression_row").value, app.slider(key="compression_col").value) == (256, 256)
    # The sliders alone (keyboard) move the block too, and a click already followed is not followed again.
    app.slider(key="compression_row").set_value(40).run()
    assert app.slider(key="compression_row").value == 40
    assert any("block at row 40, column 256" in c.value for c in app.caption)


def test_grey_images_have_no_colour_step():
    app = new_app(PAGE, {"img": "camera"}).run()
    assert not problems(app)
    assert any("This image is grey" in i.value for i in app.info)
    assert app.get("segmented_control")[0].proto.disabled


def test_quality_chart_marks_the_chosen_quality_and_png():
    app = new_app(PAGE, {"compression_quality": "42"}).run()
    root = svg_chart(app, "PSNR and SSIM against bits per pixel")
    labels = [t.text for t in root.iter(f"{SVG}text")]
    assert "your quality 42" in labels and "PNG (lossless)" in labels
    curve = jpeg.quality_curve(load_sample("astronaut"))
    caption = next(c.value for c in app.caption if c.value.startswith("Real JPEG files"))
    assert f"{curve.png_bits_per_pixel:.2f} bits per pixel" in caption and "measured on this image" in caption


def test_large_images_state_the_curves_smaller_size():
    app = new_app(PAGE, {"img": "hubble"}).run()
    assert not problems(app)
    copy = jpeg.curve_copy(load_sample("hubble"))
    assert any(f"a copy shrunk to {copy.shape[1]} × {copy.shape[0]}" in c.value for c in app.caption)


def test_step_exercise():
    app = new_app(PAGE).run()
    assert feedback(answer(app, "compression_step", 16))[1]
    right = answer(app, "compression_step", 32)
    assert feedback(right)[0] and "compression_step" in right.session_state["pl_progress"]


@pytest.mark.parametrize("sample", ["astronaut", "camera"])
def test_zeros_exercise_uses_the_image_on_screen(sample):
    zeros = 100 * jpeg.compress(load_sample(sample), quality=50, subsampling="4:2:0").entropy.zeros
    app = new_app(PAGE, {"img": sample}).run()
    assert feedback(answer(app, "compression_zeros", round(zeros - 2, 1)))[1]
    right = answer(app, "compression_zeros", round(zeros, 1))
    assert feedback(right)[0]
    # The value the learner reads off the page at quality 50 is the answer.
    shown = new_app(PAGE, {"img": sample, "compression_quality": "50"}).run()
    assert metric(shown, "Quantised coefficients that are 0") == f"{zeros / 100:.1%}"


def test_png_exercise():
    shapes = known_shapes()
    assert jpeg.png_size(shapes) < 0.9 * jpeg.real_jpeg(shapes, quality=90).size  # the answer, computed
    app = new_app(PAGE).run()
    assert feedback(answer(app, "compression_png", "JPEG at quality 90"))[1]
    assert feedback(answer(app, "compression_png", "PNG (lossless)"))[0]


def test_where_it_breaks_quotes_measured_sizes():
    drawing = jpeg.line_drawing()
    app = new_app(PAGE).run()
    text = next(m.value for m in app.markdown if m.value.startswith("**Text and line drawings.**"))
    assert f"{jpeg.png_size(drawing):,} bytes" in text and f"{jpeg.real_jpeg(drawing, quality=75).size:,} bytes" in text
    loss = jpeg.generation_loss(load_sample("astronaut"), quality=75, generations=15)
    text = next(m.value for m in app.markdown if m.value.startswith("**Saving again and again.**"))
    assert re.search(f"{loss.shifted_grid[-1]:.1f} dB after 15 saves", text)
    assert loss.shifted_grid[-1] < loss.same_grid[-1]


def test_tiny_images_skip_generation_loss():
    from tests.app.helpers import open_with_upload

    app = open_with_upload(PAGE, np.array([[10, 200]], np.uint8))
    assert not problems(app)
    assert not any(m.value.startswith("**Saving again and again.**") for m in app.markdown)


def test_a_quality_move_keeps_the_curve():
    """The curve does not depend on the quality: moving the slider looks the curve up again under the same key
    (kept in the store), and computes one new point."""
    from ui import cache

    keys: dict[str, list] = {}

    def listen(function, arguments, key):
        keys.setdefault(function.__name__, []).append(key)

    cache.LISTENERS.append(listen)
    try:
        app = new_app(PAGE).run()
        first = dict(keys)
        keys.clear()
        app.slider(key="compression_quality").set_value(60).run()
    finally:
        cache.LISTENERS.remove(listen)
    assert not problems(app)
    assert keys["quality_curve"] == first["quality_curve"] and first["quality_curve"][0] in cache.STEPS._entries
    assert keys["quality_point"] != first["quality_point"]
    with CodeRecorder() as recorder:
        app.slider(key="compression_quality").set_value(61).run()
    assert "quality = 61" in recorder.panels[0][0]


def test_a_rerun_with_nothing_changed_encodes_no_picture(monkeypatch):
    from tests.app.helpers import assert_rerun_encodes_no_picture

    assert_rerun_encodes_no_picture(monkeypatch, PAGE, {})


def test_value_grid_prints_every_value_and_the_zigzag_path():
    import xml.etree.ElementTree as ET

    from ui.grids import value_grid_svg

    values = np.arange(64).reshape(8, 8) - 32
    root = ET.fromstring(value_grid_svg(values, title="t <&>", scheme="signed", faint_zeros=True,
                                        path=[tuple(p) for p in jpeg.zigzag_order()]))
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert texts[0] == "t <&>" and sorted(map(int, texts[1:])) == sorted(values.ravel().tolist())
    assert len(root.findall(f"{SVG}polyline")) == 1
    with pytest.raises(ValueError, match="scheme"):
        value_grid_svg(values, title="x", scheme="rainbow")
    with pytest.raises(ValueError, match="values"):
        value_grid_svg(np.zeros((20, 20)), title="x")


def test_quality_chart_survives_infinite_and_undefined_values():
    import xml.etree.ElementTree as ET

    from ui.charts import generation_loss_svg, quality_curve_svg

    svg = quality_curve_svg([0.5, 1.0], [float("inf"), 40.0], [float("nan"), 0.99], png_bits=3.0,
                            chosen=(50, 1.0, float("inf"), float("nan")))
    assert "nan" not in svg and "inf" not in svg
    ET.fromstring(svg)
    ET.fromstring(generation_loss_svg([1, 2], [float("inf")] * 2, [30.0, 29.0]))
