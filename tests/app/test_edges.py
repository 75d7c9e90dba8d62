"""Edge detection: code panels reproduce the page, exercises grade right and wrong answers, links reopen
settings, every sample and tiny uploads run clean, quoted counts are the processing values."""


import numpy as np
import pytest

from processing import edges
from processing.color import to_gray
from processing.samples import load_sample
from tests.app.helpers import (
    answer,
    assert_code_panels_reproduce,
    CodeRecorder,
    feedback,
    new_app,
    open_with_upload,
    problems,
    SWEEP_SAMPLES,
)

PAGE = "pages/07_edges.py"

SETTINGS = [
    {},  # defaults: Sobel, LoG sigma 2, Canny sigma 1.4 with (40, 120)
    {"edges_operator": "prewitt", "edges_log_sigma": "3.5", "edges_canny_sigma": "0.0",
     "edges_thresholds": ["10", "300"]},
    {"img": "camera", "edges_operator": "scharr", "edges_log_sigma": "1.0", "edges_canny_sigma": "2.3",
     "edges_thresholds": ["80", "81"]},
    {"img": "coins", "edges_operator": "sobel", "edges_canny_sigma": "0.7"},
]


def run(query=None):
    app = new_app(PAGE, query).run()
    assert not problems(app), problems(app)
    return app


def grey_of(sample):
    image = load_sample(sample)
    return to_gray(image) if image.ndim == 3 else image


def test_every_code_panel_reproduces_what_the_page_shows(tmp_path):
    exact, floats = [], []
    for query in SETTINGS:
        with CodeRecorder() as recorder:
            run(query)
        assert len(recorder.panels) == 3, query  # gradients, LoG, Canny: each right under its own pictures
        gradient_panel, log_panel, canny_panel = recorder.panels
        assert "cv2.Laplacian" in log_panel[0] and "np.hypot" in gradient_panel[0] and "cv2.Canny" in canny_panel[0]
        floats += [log_panel, gradient_panel]
        exact.append(canny_panel)
    (tmp_path / "exact").mkdir()
    (tmp_path / "floats").mkdir()
    assert_code_panels_reproduce(exact, tmp_path / "exact")  # bool edges: equal pixel for pixel
    assert_code_panels_reproduce(floats, tmp_path / "floats", atol=1e-3)  # float32 LoG and magnitude


def test_canny_panel_equals_the_staged_canny_and_quoted_counts():
    with CodeRecorder() as recorder:
        app = run({"img": "camera", "edges_thresholds": ["30", "90"], "edges_canny_sigma": "1.0"})
    stages = edges.canny_stages(grey_of("camera"), sigma=1.0, low=30, high=90)
    np.testing.assert_array_equal(recorder.panels[2][2], stages.edges)
    counts = edges.hysteresis_counts(stages.labels)
    shown = {m.label: m.value for m in app.metric}
    assert shown["Strong (> high)"] == f"{counts[edges.STRONG]:,}"
    assert shown["Weak, kept"] == f"{counts[edges.WEAK_KEPT]:,}"
    assert shown["Weak, rejected"] == f"{counts[edges.WEAK_REJECTED]:,}"


def test_look_closer_shows_the_pixel_gradient():
    grey = grey_of("coins")
    app = run({"img": "coins", "edges_row": "40", "edges_col": "77", "edges_operator": "scharr"})
    vector = edges.pixel_gradient(grey, row=40, col=77, operator="scharr")
    gx, gy = edges.gradients(grey, operator="scharr")
    assert vector.gx == gx[40, 77] and vector.gy == gy[40, 77]
    formulas = " ".join(latex.value for latex in app.latex)
    assert f"= {vector.gx:g}" in formulas and f"= {vector.angle:.1f}^\\circ" in formulas


def quiz_pixel(grey):
    row, col = edges.strongest_edge(grey[: max(1, grey.shape[0] // 2)])
    return edges.pixel_gradient(grey, row=row, col=col, operator="sobel")


@pytest.mark.parametrize("sample", ["astronaut", "text"])
def test_gx_and_direction_exercises(sample):
    vector = quiz_pixel(grey_of(sample))
    app = run({"img": sample})
    assert feedback(answer(app, "edges_gx", vector.gx + 4))[1]
    assert feedback(answer(app, "edges_gx", vector.gx))[0]
    ways = ["right", "down", "left", "up"]
    right = ways[int(round(vector.angle / 90)) % 4]
    wrong = ways[(ways.index(right) + 2) % 4]
    assert feedback(answer(app, "edges_direction", wrong))[1]
    assert feedback(answer(app, "edges_direction", right))[0]


def test_threshold_exercise_pictures_get_sparser_with_higher_thresholds():
    grey = grey_of("astronaut")
    counts = {high: edges.canny_opencv(grey, sigma=1.4, low=high / 2, high=high).sum() for high in (60, 150, 300)}
    assert counts[300] < counts[150] < counts[60]  # B (300) is the sparsest
    app = run()
    assert feedback(answer(app, "edges_high", "C"))[1]
    assert feedback(answer(app, "edges_high", "B"))[0]


def test_link_reopens_the_same_settings():
    query = {"img": "coffee", "edges_operator": "prewitt", "edges_row": "12", "edges_col": "300",
             "edges_log_sigma": "4.5", "edges_zc_threshold": "6.5", "edges_canny_sigma": "2.1",
             "edges_thresholds": ["25", "260"], "edges_noise": "35"}
    app = run(query)
    assert app.selectbox(key="img").value == "coffee"
    assert app.segmented_control(key="edges_operator").value == "prewitt"
    assert app.slider(key="edges_row").value == 12
    assert app.slider(key="edges_col").value == 300
    assert app.slider(key="edges_log_sigma").value == pytest.approx(4.5)
    assert app.slider(key="edges_zc_threshold").value == pytest.approx(6.5)
    assert app.slider(key="edges_canny_sigma").value == pytest.approx(2.1)
    assert app.slider(key="edges_thresholds").value == (25, 260)
    assert app.slider(key="edges_noise").value == 35


def test_smoothing_first_finds_fewer_false_edges():
    app = run({"img": "camera", "edges_noise": "30"})
    grey = grey_of("camera")
    from processing.filters import add_gaussian_noise

    noisy = add_gaussian_noise(grey, sigma=30, seed=0)
    reference = edges.canny_opencv(grey, sigma=1.4, low=40, high=120)
    raw = edges.edge_match(reference, edges.canny_opencv(noisy, sigma=0, low=40, high=120))
    smooth = edges.edge_match(reference, edges.canny_opencv(noisy, sigma=1.4, low=40, high=120))
    assert smooth > raw
    notice = next(m.value for m in app.markdown if "skipping the smoothing" in m.value)
    assert f"{raw:.0%} lie near a real edge" in notice and f"{smooth:.0%}." in notice


def test_page_runs_clean_on_every_sample():
    app = run({"edges_operator": "scharr", "edges_row": "5000", "edges_col": "5000"})
    for sample_id in SWEEP_SAMPLES:
        app.selectbox(key="img").set_value(sample_id).run()
        assert not problems(app), (sample_id, problems(app))


@pytest.mark.parametrize("shape", [(1, 1), (2, 5, 3), (9, 1)])
def test_tiny_uploads_run_clean(shape):
    pixels = np.random.default_rng(1).integers(0, 256, shape, dtype=np.uint8)
    app = open_with_upload(PAGE, pixels)
    assert not problems(app), problems(app)


def shown_text(app) -> str:
    return " ".join([m.value for m in app.markdown] + [c.value for c in app.caption] + [i.value for i in app.info])


@pytest.mark.parametrize("pixels", [np.full((40, 60), 77, np.uint8), np.full((30, 20, 3), (20, 120, 200), np.uint8)],
                         ids=["grey", "colour"])
def test_a_constant_image_says_there_are_no_edges(pixels):
    app = open_with_upload(PAGE, pixels)
    assert not problems(app), problems(app)
    grey = to_gray(pixels) if pixels.ndim == 3 else pixels
    flat_notes = [i.value for i in app.info if "one grey level" in i.value]
    # Gradients, LoG and Canny each say so instead of showing black pictures.
    assert len(flat_notes) == 3 and all(f"({int(grey[0, 0])})" in note for note in flat_notes)
    assert any("no edge in this image, so there are no pieces" in i.value for i in app.info)
    assert any("Exercise 2" in i.value for i in app.info)  # no gradient, no direction to ask about
    assert any("Exercise 3" in i.value for i in app.info)  # all three pictures would be blank
    shown = {m.label: m.value for m in app.metric}
    assert shown["Strong (> high)"] == shown["Weak, kept"] == shown["Weak, rejected"] == "0"
    assert "0.0% of the pixels as edges" in shown_text(app)


def test_a_textured_image_has_no_flat_notes():
    app = run({"img": "camera"})
    assert not any("one grey level" in i.value for i in app.info)
    assert not any(i.value.startswith("Exercise") for i in app.info)


@pytest.mark.parametrize("shape", [(1, 40), (1, 2), (40, 1)])
def test_one_pixel_high_or_wide_images(shape):
    ramp = np.linspace(0, 255, max(shape)).astype(np.uint8).reshape(shape)
    app = open_with_upload(PAGE, ramp, {"edges_thresholds": ["10", "20"]})
    assert not problems(app), problems(app)
    stages = edges.canny_stages(ramp, sigma=1.4, low=10, high=20)
    counts = edges.hysteresis_counts(stages.labels)
    shown = {m.label: m.value for m in app.metric}
    assert shown["Strong (> high)"] == f"{counts[edges.STRONG]:,}"
    # A ramp changes brightness, so it is not called flat.
    assert not any("one grey level" in i.value for i in app.info)


@pytest.mark.parametrize("pixels", [np.array([[128]], np.uint8), np.array([[[200, 30, 30]]], np.uint8)],
                         ids=["grey", "colour"])
def test_canny_stage_view_on_one_pixel(pixels):
    app = open_with_upload(PAGE, pixels, {"edges_canny_sigma": "5.0", "edges_thresholds": ["0", "800"],
                                          "edges_log_sigma": "6.0", "edges_noise": "60"})
    assert not problems(app), problems(app)
    assert app.slider(key="edges_canny_sigma").value == pytest.approx(5.0)
    assert any("all four stage pictures would be black" in i.value for i in app.info)
    shown = {m.label: m.value for m in app.metric}
    assert shown["Strong (> high)"] == shown["Weak, kept"] == shown["Weak, rejected"] == "0"


def test_threshold_chart_uses_no_colour_of_the_hysteresis_picture():
    """Blue means "weak, kept" in the stage-4 picture, vermillion "weak, rejected": the histogram, which cannot
    tell them apart, uses neither."""
    from ui.charts import canny_threshold_chart

    svg = canny_threshold_chart(np.array([9, 5, 3, 2, 1]), np.linspace(0.0, 250.0, 6), low=40, high=120).lower()
    for label in (edges.WEAK_KEPT, edges.WEAK_REJECTED):
        assert "#%02x%02x%02x" % edges.EDGE_LABEL_COLORS[label] not in svg
