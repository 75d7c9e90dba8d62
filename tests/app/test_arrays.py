"""Images as arrays: code panels reproduce the page, exercises grade right and wrong answers, links reopen settings."""

import numpy as np
import pytest
import skimage.data

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
)

PAGE = "pages/01_arrays.py"

SETTINGS = [
    {"arrays_op": "paint", "arrays_rows": ["10", "60"], "arrays_cols": ["5", "90"]},
    {"arrays_op": "paint", "img": "coins", "arrays_grey": "0"},
    {"arrays_op": "crop", "arrays_rows": ["100", "300"], "arrays_cols": ["50", "60"]},
    {"arrays_op": "pixels", "arrays_factor": "7"},
    {"arrays_op": "levels", "arrays_levels": "8", "img": "moon"},
    {"arrays_op": "add", "arrays_amount": "80", "arrays_method": "numpy uint8"},
    {"arrays_op": "add", "arrays_amount": "-40", "arrays_method": "cv2.add"},
    {"arrays_op": "add", "arrays_amount": "90", "arrays_method": "float"},
    {"arrays_op": "save", "arrays_format": "jpeg", "arrays_quality": "35"},
    {"arrays_op": "save", "arrays_format": "png", "img": "camera"},
    {"arrays_op": "save", "arrays_format": "webp", "arrays_quality": "60"},
]


def test_every_code_panel_reproduces_what_the_page_shows(tmp_path):
    panels = record_panels(PAGE, SETTINGS)
    assert_code_panels_reproduce(panels, tmp_path)


def test_code_panel_names_the_current_settings():
    with CodeRecorder() as recorder:
        new_app(PAGE, {"arrays_op": "levels", "arrays_levels": "8"}).run()
    code = recorder.panels[0][0]
    assert "levels = 8" in code and "skimage.data.astronaut()" in code


def test_shape_exercise():
    image = skimage.data.astronaut()
    app = new_app(PAGE).run()
    wrong = answer(app, "arrays_shape", 512 * 512)
    assert feedback(wrong)[1] and not feedback(wrong)[0]
    right = answer(app, "arrays_shape", image.size)
    assert feedback(right)[0] and "786,432" in feedback(right)[0][0]
    assert "arrays_shape" in right.session_state["pl_progress"]


def test_pixel_exercise_uses_the_image_on_screen():
    image = load_sample("coins")
    expected = int(image[image.shape[0] // 2, image.shape[1] // 3])
    app = new_app(PAGE, {"img": "coins"}).run()
    assert feedback(answer(app, "arrays_pixel", expected + 1))[1]
    assert feedback(answer(app, "arrays_pixel", expected))[0]


@pytest.mark.parametrize(("given", "right"), [(44, True), (300, False), (255, False)])
def test_wrap_exercise(given, right):
    app = answer(new_app(PAGE).run(), "arrays_wrap", given)
    successes, errors = feedback(app)
    assert bool(successes) == right and bool(errors) == (not right)


def test_quantise_exercise():
    app = new_app(PAGE).run()
    assert feedback(answer(app, "arrays_quantise", "A"))[1]
    assert feedback(answer(app, "arrays_quantise", "C"))[0]


def test_progress_is_summed_on_home():
    app = new_app(PAGE).run()
    answer(app, "arrays_wrap", 44)
    app.switch_page("app.py").run()
    from ui.lessons import LESSONS

    total = sum(len(lesson.exercises) for lesson in LESSONS)
    assert any(m.value == f"1 of {total}" for m in app.metric)
    assert any(p.text == "Exercises solved: 1 of 4" for p in app.get("progress"))


def test_link_reopens_the_same_settings():
    query = {"img": "coffee", "arrays_op": "levels", "arrays_levels": "8", "arrays_row": "12", "arrays_size": "7"}
    app = new_app(PAGE, query).run()
    assert app.selectbox(key="img").value == "coffee"
    assert app.segmented_control(key="arrays_op").value == "levels"
    assert app.select_slider(key="arrays_levels").value == 8
    assert app.slider(key="arrays_row").value == 12
    assert app.select_slider(key="arrays_size").value == 7


def test_switching_to_a_smaller_image_keeps_sliders_in_range():
    app = new_app(PAGE, {"arrays_row": "500", "arrays_col": "500"}).run()
    app.selectbox(key="img").set_value("text").run()  # 172 x 448
    assert not problems(app)
    assert app.slider(key="arrays_row").value == 171


def test_float_result_is_clipped_visibly_not_wrapped():
    with CodeRecorder() as recorder:
        app = new_app(PAGE, {"arrays_op": "add", "arrays_amount": "90", "arrays_method": "float"}).run()
    result = recorder.panels[0][2]
    assert result.dtype == np.float32 and result.max() > 255
    assert any("clipped" in info.value for info in app.info)


@pytest.mark.parametrize("shape", [(1, 1), (1, 7), (6, 1), (2, 2, 3)])
def test_tiny_uploads_run_clean_in_every_experiment(shape):
    from tests import corpus

    pixels = np.arange(np.prod(shape), dtype=np.uint8).reshape(shape) * 20
    app = new_app("app.py", {"img": "upload"}).run()
    app.file_uploader(key="upload_file").upload("tiny.png", corpus.pil_bytes(corpus.Image.fromarray(pixels), "PNG"))
    app.run()
    app.switch_page(PAGE).run()
    for operation in ("paint", "crop", "pixels", "levels", "add", "save"):
        app.segmented_control(key="arrays_op").set_value(operation).run()
        assert not problems(app), (shape, operation, problems(app))


# --- lesson-specific extremes (issue 8) ----------------------------------------------------------

ONE_PIXEL = np.array([[[200, 30, 30]]], np.uint8)
ONE_ROW = np.linspace(0, 255, 40).astype(np.uint8)[np.newaxis, :]


@pytest.mark.parametrize(("name", "pixels"), [("1x1", ONE_PIXEL), ("1x40", ONE_ROW)])
def test_pixel_inspector_and_grid_on_a_one_pixel_high_image(name, pixels):
    app = open_with_upload(PAGE, pixels, {"arrays_size": "9"})
    assert not problems(app), problems(app)
    # One row: no row slider (Streamlit refuses a slider from 0 to 0), the row is 0.
    assert not [slider for slider in app.slider if slider.key == "arrays_row"]
    columns = [slider for slider in app.slider if slider.key == "arrays_col"]
    col = columns[0].value if columns else 0
    grid = svg_chart(app, "The 9 × 9 pixels around row 0")  # cut to the one row and the columns there are
    cells = [rect for rect in grid.iter(f"{SVG}rect") if rect.get("stroke") == "#ffffff"]
    assert len(cells) == min(col + 5, pixels.shape[1]) - max(col - 4, 0)
    value = pixels[0, col]
    expected = f"`img[0, {col}]` = `{list(map(int, value)) if pixels.ndim == 3 else int(value)}`"
    assert any(expected in block.value for block in app.markdown), expected
    assert any("neighbourhood is cut at the border" in info.value for info in app.info)
    if pixels.shape[1] > 1:
        app.slider(key="arrays_col").set_value(1).run()
        assert not problems(app), problems(app)
        assert any(f"`img[0, 1]` = `{int(pixels[0, 1])}`" in block.value for block in app.markdown)


def test_crop_paint_and_fewer_pixels_on_a_one_pixel_image_explain_themselves():
    app = open_with_upload(PAGE, ONE_PIXEL, {"arrays_op": "crop"})
    assert not problems(app), problems(app)
    assert any("The crop is empty" in warning.value for warning in app.warning)
    assert any("shape `(1, 1, 3)`" in block.value for block in app.markdown)
    app.segmented_control(key="arrays_op").set_value("paint").run()
    assert not problems(app), problems(app)
    assert any("The rectangle is empty" in info.value for info in app.info)
    app.slider(key="arrays_rows").set_value((0, 1)).run()
    app.slider(key="arrays_cols").set_value((0, 1)).run()
    assert not problems(app), problems(app)
    assert not any("The rectangle is empty" in info.value for info in app.info)
    assert any("set 1 pixels (100.0% of the image); 1 of them actually changed" in block.value
               for block in app.markdown)
    app.segmented_control(key="arrays_op").set_value("pixels").run()
    assert not problems(app), problems(app)
    assert any("only its top-left pixel is kept" in info.value for info in app.info)
