"""Convolution playground: code panels reproduce the page, look-closer equals the output image,
timings are reported, exercises grade, links reopen settings, the editor waits for Apply."""

import re
from fractions import Fraction

import numpy as np
import pytest
from scipy import ndimage

from processing import convolution as conv
from processing.kernel_text import parse_kernel_text
from processing.samples import load_sample
from tests.app.helpers import (
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

PAGE = "pages/05_convolution.py"
# Independent reference for the filter: scipy.ndimage with the matching border modes.
SCIPY_MODES = {"zero": "constant", "replicate": "nearest", "reflect": "mirror", "wrap": "grid-wrap"}


def reference_output(image, kernel, *, border="reflect", operation="correlation"):
    """Float filter output by scipy.ndimage, one channel at a time."""
    function = ndimage.convolve if operation == "convolution" else ndimage.correlate
    planes = [image] if image.ndim == 2 else [image[:, :, c] for c in range(3)]
    out = [function(p.astype(np.float64), kernel, mode=SCIPY_MODES[border], cval=0.0) for p in planes]
    return out[0] if image.ndim == 2 else np.stack(out, axis=2)


def reference_display(values, mapping):
    """The display mappings written out independently of processing.to_display."""
    rounded = np.rint(values)
    if mapping == "abs":
        rounded = np.abs(rounded)
    elif mapping == "offset":
        rounded = rounded + 128
    return np.clip(rounded, 0, 255).astype(np.uint8)


def metric(app, label):
    return next(m.value for m in app.metric if m.label == label)


SETTINGS = [
    {},  # Sobel x, reflect, automatic (offset), astronaut in colour
    {"convolution_preset": "box", "convolution_size": "5", "convolution_border": "zero"},
    {"convolution_preset": "gaussian", "convolution_size": "7", "convolution_sigma": "2.5", "img": "coins"},
    {"convolution_preset": "laplacian", "convolution_mapping": "abs", "convolution_border": "wrap",
     "convolution_op": "convolution"},
    {"convolution_preset": "emboss", "convolution_mapping": "clip", "convolution_grey": "true",
     "convolution_border": "replicate"},
    {"convolution_preset": "sobel_y", "convolution_size": "7", "convolution_op": "convolution", "img": "camera"},
    {"convolution_preset": "sharpen", "img": "chelsea", "convolution_border": "wrap"},
    {"convolution_preset": "custom", "convolution_kernel": "1,2,1;0,0,0;-1,-2,-1", "convolution_op": "convolution",
     "convolution_border": "wrap"},
    {"convolution_preset": "custom", "convolution_kernel": "0,1/16,0,0,0;0,2,0,0,-1;3,0.5,1/9,0,0;0,0,0,0,0;1,0,0,0,2",
     "convolution_normalise": "true", "img": "coffee"},
]


def test_every_code_panel_reproduces_what_the_page_shows(tmp_path):
    panels = record_panels(PAGE, SETTINGS)
    assert_code_panels_reproduce(panels, tmp_path)  # uint8 display: exact


def test_code_panel_result_equals_an_independent_filter():
    query = {"convolution_preset": "laplacian", "convolution_mapping": "abs", "convolution_border": "wrap"}
    with CodeRecorder() as recorder:
        new_app(PAGE, query).run()
    code, _, shown = recorder.panels[0]
    image = load_sample("astronaut")
    expected = reference_display(reference_output(image, conv.kernel_preset("laplacian"), border="wrap"), "abs")
    np.testing.assert_array_equal(shown, expected)
    assert "cv2.BORDER_WRAP" in code and "np.abs" in code


# Look closer: the page's own arithmetic against its own output and an independent filter.
LOOK_CASES = [(name, size) for name, preset in conv.PRESETS.items() for size in preset.sizes]
BORDERS = list(conv.BORDER_MODES)


def test_look_closer_value_equals_the_output_pixel_for_every_preset():
    image = load_sample("coins")  # grey: one channel, so each case is one run
    height, width = image.shape
    pixels = [(0, 0), (height - 1, width - 1), (0, width - 1), (height // 2, 1), (height - 2, 0)]
    app = new_app(PAGE, {"img": "coins"}).run()
    # Presets with several sizes first: the size control is enabled while they are on screen.
    cases = sorted(LOOK_CASES, key=lambda case: len(conv.PRESETS[case[0]].sizes) == 1)
    for index, (name, size) in enumerate(cases):
        border = BORDERS[index % 4]
        row, col = pixels[index % len(pixels)]
        app.selectbox(key="convolution_preset").set_value(name)
        app.radio(key="convolution_border").set_value(border)
        if len(conv.PRESETS[name].sizes) > 1:
            app.segmented_control(key="convolution_size").set_value(str(size))
        app.slider(key="convolution_row").set_value(row)
        app.slider(key="convolution_col").set_value(col)
        app.run()
        assert not problems(app), (name, size, problems(app))
        assert app.segmented_control(key="convolution_size").value == str(size)
        sigma = 1.0 if name == "gaussian" else None
        values = reference_output(image, conv.kernel_preset(name, size=size, sigma=sigma), border=border)
        mapping = "offset" if conv.PRESETS[name].kind == "edge" else "clip"  # what "automatic" picks
        where = (name, size, border, row, col)
        assert float(metric(app, "Filter output (sum)")) == pytest.approx(values[row, col], abs=0.006), where
        expected = str(reference_display(values, mapping)[row, col])
        assert metric(app, "After the mapping") == expected, where
        assert metric(app, "Output image") == expected, where
        assert any("exactly the value" in m.value for m in app.markdown), where


def test_look_closer_on_a_colour_channel_with_convolution():
    channel = "blue"
    query = {"convolution_preset": "emboss", "convolution_op": "convolution", "convolution_border": "zero",
             "convolution_mapping": "abs", "convolution_row": "511", "convolution_col": "0",
             "convolution_channel": channel}
    app = new_app(PAGE, query).run()
    assert not problems(app)
    image = load_sample("astronaut")
    values = reference_output(image, conv.kernel_preset("emboss"), border="zero", operation="convolution")
    index = ["red", "green", "blue"].index(channel)
    expected = str(reference_display(values, "abs")[511, 0, index])
    assert metric(app, "Output image") == metric(app, "After the mapping") == expected


# The kernel, look-closer and flip grids are Markdown tables (cheap to redraw on every kernel change):
# read them back and check every number against an independent computation.
TINT = re.compile(r"^:(red|blue)-background\[(.*)\]$")


def table(app, heading: str) -> tuple[list[str], list[str], list[list[float]], list[list[int]]]:
    """(row labels, column labels, values, signs from the tints) of the table under the Markdown heading."""
    text = next(m.value for m in app.markdown if m.value.startswith(heading) and "\n|" in m.value)
    lines = [line for line in text.splitlines() if line.startswith("|")]
    cells = [[cell.strip() for cell in line.strip("|").split("|")] for line in lines]
    columns = [c.strip("*") for c in cells[0][1:]]
    rows, values, signs = [], [], []
    for row in cells[2:]:
        rows.append(row[0].strip("*"))
        parsed = [TINT.match(cell) for cell in row[1:]]
        signs.append([0 if m is None else (1 if m[1] == "red" else -1) for m in parsed])
        values.append([float(Fraction(cell if m is None else m[2])) for cell, m in zip(row[1:], parsed)])
    return rows, columns, values, signs


def test_the_kernel_in_use_is_a_table_of_its_weights_tinted_by_sign():
    app = new_app(PAGE, {"convolution_preset": "box"}).run()
    rows, columns, values, signs = table(app, "**The kernel in use**: Box blur, 3 × 3")
    assert rows == columns == ["-1", "0", "1"]
    assert values == [[1 / 9] * 3] * 3 and signs == [[1] * 3] * 3
    app = new_app(PAGE).run()  # Sobel x: negative on the left (blue), positive on the right (red)
    _, _, values, signs = table(app, "**The kernel in use**: Sobel x")
    np.testing.assert_array_equal(values, [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]])
    np.testing.assert_array_equal(signs, np.sign(values))


def test_look_closer_tables_are_the_window_times_the_kernel():
    """The products are the input window (read from the image here) times the kernel actually used (flipped
    for convolution), and add up to the filter output shown."""
    row, col = 100, 200
    query = {"img": "camera", "convolution_preset": "emboss", "convolution_op": "convolution",
             "convolution_row": str(row), "convolution_col": str(col)}
    app = new_app(PAGE, query).run()
    assert not problems(app)
    used = conv.kernel_preset("emboss")[::-1, ::-1]
    window = load_sample("camera")[row - 1:row + 2, col - 1:col + 2].astype(float)
    rows, columns, weights, _ = table(app, "**× kernel** (flipped: convolution)")
    assert rows == ["99", "100", "101"] and columns == ["199", "200", "201"]
    np.testing.assert_array_equal(weights, used)
    _, _, products, signs = table(app, "**= products**")
    np.testing.assert_allclose(products, window * used, rtol=1e-3)
    np.testing.assert_array_equal(signs, np.sign(window * used))
    assert float(metric(app, "Filter output (sum)")) == pytest.approx((window * used).sum(), abs=0.006)


def test_the_flip_tables_show_the_kernel_and_its_flip():
    text = "1,2,0;0,0,0;0,0,-3"  # asymmetric: the flip demo uses it
    app = new_app(PAGE, {"convolution_preset": "custom", "convolution_kernel": text,
                         "convolution_deeper": "flip"}).run()
    assert not problems(app)
    written = parse_kernel_text(text)
    np.testing.assert_array_equal(table(app, "**Kernel as written (correlation)**")[2], written)
    np.testing.assert_array_equal(table(app, "**Kernel flipped (convolution)**")[2], written[::-1, ::-1])


def test_a_7x7_kernel_gets_a_table_of_readable_numbers():
    app = new_app(PAGE, {"convolution_preset": "gaussian", "convolution_size": "7", "img": "coins"}).run()
    assert not problems(app)
    rows, columns, values, _ = table(app, "**The kernel in use**: Gaussian blur, 7 × 7")
    assert rows == columns == [str(i) for i in range(-3, 4)]
    # Rounded to 3 significant digits (at most 5 decimals), so the 7 columns fit: the Gaussian's own weights.
    np.testing.assert_allclose(values, conv.kernel_preset("gaussian", size=7, sigma=1.0), atol=5e-6, rtol=5e-3)


def test_a_rerun_encodes_no_picture_again(monkeypatch):
    assert_rerun_encodes_no_picture(monkeypatch, PAGE, {})


def test_switching_kernels_re_encodes_only_the_pictures_the_weights_change(monkeypatch):
    """The input and the four padded corners depend on the kernel's size, not its weights: switching to another
    3 × 3 kernel re-sends the same pictures (the browser does not load them again)."""
    import streamlit as st

    from ui import display
    from ui.cache import STEPS

    encoded = []
    original = display.encode_for_display
    monkeypatch.setattr(display, "encode_for_display", lambda image, **k: encoded.append(image) or original(image, **k))
    st.cache_resource.clear()  # earlier tests may have left these very pictures cached
    STEPS.clear()
    app = new_app(PAGE).run()
    first, encoded[:] = list(encoded), []
    app.selectbox(key="convolution_preset").set_value("laplacian").run()
    assert not problems(app) and encoded, "the new kernel's pictures are encoded"
    image = load_sample("astronaut")
    unchanged = [picture for picture in first if any(np.array_equal(picture, again) for again in encoded)]
    assert not unchanged, [picture.shape for picture in unchanged]
    assert any(np.array_equal(picture, image) for picture in first)  # the input was among the first ones


def test_both_times_and_the_difference_are_reported():
    app = new_app(PAGE, {"img": "hubble", "convolution_preset": "gaussian", "convolution_size": "7",
                         "convolution_deeper": "scratch"}).run()
    assert not problems(app)
    labels = {m.label: m.value for m in app.metric}
    assert labels["cv2.filter2D, whole image (1000 × 872)"].endswith(" ms")
    assert labels["cv2.filter2D, 512 × 512"].endswith(" ms")
    scratch = labels["From scratch, 512 × 512"]
    assert scratch.endswith(" ms") and float(scratch.split()[0]) > 0
    assert float(labels["Max |difference|"]) < 1e-9
    assert any("central 512 × 512 crop" in m.value for m in app.markdown)


def test_exercises_grade_right_and_wrong_answers():
    image = load_sample("astronaut")
    row, col = 512 // 3, 512 // 2
    pixel = float(np.rint(reference_output(image, conv.kernel_preset("sobel_x"))[row, col, 0]))
    corner = int(image[:2, :2, 0].astype(int).sum())  # the four pixels inside the window; outside is 0
    app = new_app(PAGE).run()
    for exercise, wrong, right in [("convolution_pixel", pixel + 3, pixel), ("convolution_which", "A", "C"),
                                   ("convolution_which", "B", "C"), ("convolution_corner", corner + 1, corner)]:
        successes, errors = feedback(answer(app, exercise, wrong))
        assert errors and not successes, (exercise, wrong)
        successes, errors = feedback(answer(app, exercise, right))
        assert successes and not errors, (exercise, right)
    assert {"convolution_pixel", "convolution_which", "convolution_corner"} <= app.session_state["pl_progress"]


def test_exercise_answers_follow_the_kernel_border_and_image():
    image = load_sample("camera")
    kernel = conv.kernel_preset("box", size=7)
    pixel = float(np.rint(reference_output(image, kernel, border="zero")[512 // 3, 512 // 2]))
    corner = int(image[:2, :2].astype(int).sum())
    app = new_app(PAGE, {"img": "camera", "convolution_preset": "box", "convolution_size": "7",
                         "convolution_border": "zero"}).run()
    successes = feedback(answer(app, "convolution_pixel", pixel))[0]
    # The explanation names the kernel it was computed with: it stays on screen while other kernels are tried.
    assert successes and "With Box blur (correlation, zero border)" in successes[0]
    assert feedback(answer(app, "convolution_corner", corner))[0]


def test_which_kernel_pictures_show_sobel_y_as_c():
    """The right answer is right: option C responds to horizontal edges, A to vertical ones."""
    stripes = np.zeros((40, 40), np.uint8)
    stripes[20:] = 200  # one horizontal edge
    sobel_y = conv.to_display(conv.filter_image(stripes, conv.kernel_preset("sobel_y")), mapping="abs")
    sobel_x = conv.to_display(conv.filter_image(stripes, conv.kernel_preset("sobel_x")), mapping="abs")
    assert sobel_y.max() == 255 and sobel_x.max() == 0


def test_link_reopens_the_same_settings_with_a_custom_kernel():
    text = "1,0,0,0,-1;0,2,0,-2,0;0,0,1/4,0,0;0,2,0,-2,0;1,0,0,0,-1"
    query = {"img": "coffee", "convolution_preset": "custom", "convolution_kernel": text, "convolution_size": "5",
             "convolution_border": "wrap", "convolution_mapping": "abs", "convolution_op": "convolution",
             "convolution_normalise": "true", "convolution_row": "7", "convolution_col": "9",
             "convolution_channel": "blue"}
    with CodeRecorder() as recorder:
        app = new_app(PAGE, query).run()
    assert not problems(app)
    assert app.selectbox(key="img").value == "coffee"
    assert app.selectbox(key="convolution_preset").value == "custom"
    assert app.text_input(key="convolution_kernel").value == text
    assert app.segmented_control(key="convolution_size").value == "5"
    assert app.radio(key="convolution_border").value == "wrap"
    assert app.radio(key="convolution_mapping").value == "abs"
    assert app.radio(key="convolution_op").value == "convolution"
    assert app.toggle(key="convolution_normalise").value is True
    assert (app.slider(key="convolution_row").value, app.slider(key="convolution_col").value) == (7, 9)
    assert app.radio(key="convolution_channel").value == "blue"
    # The editor shows the typed cells; the kernel used is the typed one, normalised.
    assert app.text_input(key="convolution_cell_2_2").value == "1/4"
    kernel = parse_kernel_text(text) / parse_kernel_text(text).sum()
    values = reference_output(load_sample("coffee"), kernel, border="wrap", operation="convolution")
    np.testing.assert_array_equal(recorder.panels[0][2], reference_display(values, "abs"))


def test_link_with_other_settings_reopens_them():
    query = {"convolution_preset": "gaussian", "convolution_size": "7", "convolution_sigma": "2.3",
             "convolution_grey": "true", "convolution_mapping": "clip"}
    app = new_app(PAGE, query).run()
    assert app.selectbox(key="convolution_preset").value == "gaussian"
    assert app.segmented_control(key="convolution_size").value == "7"
    assert app.slider(key="convolution_sigma").value == pytest.approx(2.3)
    assert app.toggle(key="convolution_grey").value is True
    assert app.radio(key="convolution_mapping").value == "clip"


@pytest.mark.parametrize("text", ["1,2;3,4", "__import__('os').system('x'),0,0;0,1,0;0,0,0", "9" * 3000,
                                  "1,0,0;0,1e3,0;0,0,1"])
def test_a_bad_kernel_in_the_link_falls_back_with_a_note(text):
    with CodeRecorder() as recorder:
        app = new_app(PAGE, {"convolution_preset": "custom", "convolution_kernel": text}).run()
    assert not problems(app)
    assert any("could not be read" in w.value for w in app.warning)
    assert "[-2, 0, 2]" in recorder.panels[0][0]  # the Sobel x fallback is what runs
    assert all(text[:20] not in m.value for m in app.markdown if text)  # user text never becomes markdown


def test_a_preset_without_the_linked_size_uses_3x3():
    app = new_app(PAGE, {"convolution_preset": "sharpen", "convolution_size": "7"}).run()
    assert not problems(app)
    assert any("3 × 3 only" in c.value for c in app.caption)


def test_editing_the_kernel_waits_for_apply():
    with CodeRecorder() as recorder:
        app = new_app(PAGE).run()
        app.text_input(key="convolution_cell_1_1").set_value("1/2")
        app.radio(key="convolution_op").set_value("convolution").run()  # some other change reruns the page
    assert not problems(app)
    assert app.selectbox(key="convolution_preset").value == "sobel_x"
    assert "[-2, 0, 2]" in recorder.panels[-1][0]  # still the preset: the edit was not applied
    with CodeRecorder() as recorder:
        app.text_input(key="convolution_cell_1_1").set_value("1/2")
        app.button(key="FormSubmitter:convolution_editor-Apply").click().run()
    assert not problems(app)
    assert app.selectbox(key="convolution_preset").value == "custom"
    assert app.text_input(key="convolution_kernel").value == "-1,0,1;-2,1/2,2;-1,0,1"
    assert "[-2, 0.5, 2]" in recorder.panels[-1][0]


def test_a_bad_cell_is_refused_and_the_kernel_stays():
    app = new_app(PAGE).run()
    app.text_input(key="convolution_cell_0_0").set_value("2*3")
    app.button(key="FormSubmitter:convolution_editor-Apply").click().run()
    assert not problems(app)
    assert app.selectbox(key="convolution_preset").value == "sobel_x"
    assert any("Not applied" in w.value for w in app.warning)
    assert any("row 1, column 1" in t.value for t in app.text)


def test_resizing_a_typed_kernel_pads_it_with_zeros():
    app = new_app(PAGE, {"convolution_preset": "custom", "convolution_kernel": "1,2,1;0,0,0;-1,-2,-1"}).run()
    app.segmented_control(key="convolution_size").set_value("5").run()
    assert not problems(app)
    assert app.text_input(key="convolution_kernel").value == "0,0,0,0,0;0,1,2,1,0;0,0,0,0,0;0,-1,-2,-1,0;0,0,0,0,0"


def test_page_runs_clean_on_every_sample():
    app = new_app(PAGE, {"convolution_preset": "laplacian"}).run()
    assert not problems(app)
    for sample_id, topic in zip(SWEEP_SAMPLES, ["borders", "signed", "flip", "scratch"] * 2):
        app.selectbox(key="img").set_value(sample_id)
        app.segmented_control(key="convolution_deeper").set_value(topic).run()
        assert not problems(app), (sample_id, topic, problems(app))


@pytest.mark.parametrize("topic", ["borders", "signed", "flip", "scratch"])
@pytest.mark.parametrize("shape", [(1, 1), (2, 3, 3)])
def test_kernels_larger_than_the_image_do_not_crash(shape, topic):
    pixels = np.random.default_rng(0).integers(0, 256, size=shape, dtype=np.uint8)
    app = open_with_upload(PAGE, pixels, {"convolution_preset": "gaussian", "convolution_size": "7",
                                          "convolution_border": "wrap", "convolution_deeper": topic})
    assert not problems(app), problems(app)
    assert metric(app, "Output image") == metric(app, "After the mapping")


# Lesson-specific extremes (issue 8) ------------------------------------------------------------------
@pytest.mark.parametrize("border", BORDERS)
@pytest.mark.parametrize("shape", [(1, 1), (3, 5), (3, 5, 3)])
def test_a_7x7_kernel_on_a_smaller_image_says_what_the_border_supplies(shape, border):
    pixels = np.random.default_rng(3).integers(0, 256, size=shape, dtype=np.uint8)
    with CodeRecorder() as recorder:
        app = open_with_upload(PAGE, pixels, {"convolution_preset": "box", "convolution_size": "7",
                                              "convolution_border": border})
    assert not problems(app), problems(app)
    notes = [info.value for info in app.info if "larger than this" in info.value]
    assert len(notes) == 1, [info.value for info in app.info]
    assert f"7 × 7 kernel is larger than this {shape[1]} × {shape[0]} image" in notes[0]
    assert f"the {border} border supplies" in notes[0]
    # The output is still the definition, computed independently.
    expected = reference_display(reference_output(pixels, conv.kernel_preset("box", size=7), border=border), "clip")
    np.testing.assert_array_equal(recorder.panels[-1][2], expected)
    assert metric(app, "Output image") == metric(app, "After the mapping")


def test_a_3x3_kernel_on_a_large_enough_image_gives_no_size_note():
    pixels = np.random.default_rng(4).integers(0, 256, size=(3, 5), dtype=np.uint8)
    app = open_with_upload(PAGE, pixels, {"convolution_preset": "box"})
    assert not problems(app)
    assert not any("larger than this" in info.value for info in app.info)


@pytest.mark.parametrize("pixels", [np.array([[77]], np.uint8), np.array([[[200, 30, 30]]], np.uint8)],
                         ids=["grey", "colour"])
def test_look_closer_on_a_single_pixel(pixels):
    app = open_with_upload(PAGE, pixels, {"convolution_preset": "laplacian", "convolution_border": "zero",
                                          "convolution_channel": "green"})
    assert not problems(app), problems(app)
    assert not [s for s in app.slider if s.key in ("convolution_row", "convolution_col")]  # nothing to slide
    # Zero border: every neighbour is 0, so the Laplacian gives -4 × the pixel; offset to 128, clipped.
    value = int(pixels.reshape(-1)[1 if pixels.ndim == 3 else 0])
    assert float(metric(app, "Filter output (sum)")) == pytest.approx(-4 * value)
    assert metric(app, "After the mapping") == metric(app, "Output image") == str(max(0, 128 - 4 * value))
    assert any("8 of the 9 cells lie outside the image" in m.value for m in app.markdown)


UNTRUSTED_KERNELS = {
    "10001 x 10001": ";".join([",".join(["1"] * 10001)] * 3),  # the first rows of a 10001 × 10001 kernel
    "10001 rows": ";".join(["0"] * 10001),
    "5000 digits": "7" * 5000,
    "words": "one,two,three;four,five,six;seven,eight,nine",
    "markdown": "[click](http://example.com),**0**,0;0,1,0;0,0,0",
    "divide by zero": "1/0,0,0;0,1,0;0,0,0",
    "nan": "nan,0,0;0,1,0;0,0,0",
    "inf": "0,0,0;0,inf,0;0,0,-inf",
    "exponent": "0,0,0;0,1e999,0;0,0,0",
    "ragged": "1,2,3;4,5;6,7,8",
    "even": "1,2;3,4",
    "empty": ";;",
}


@pytest.mark.parametrize("name", UNTRUSTED_KERNELS)
def test_untrusted_kernel_text_in_the_link_falls_back_to_the_default(name):
    text = UNTRUSTED_KERNELS[name]
    with CodeRecorder() as recorder:
        app = new_app(PAGE, {"convolution_preset": "custom", "convolution_kernel": text}).run()
    assert not problems(app), problems(app)
    assert any("could not be read" in w.value and "Sobel x" in w.value for w in app.warning)
    assert "[-2, 0, 2]" in recorder.panels[-1][0]  # the Sobel x fallback is what runs
    shown = recorder.panels[-1][2]
    expected = reference_display(reference_output(load_sample("astronaut"), conv.kernel_preset("sobel_x")), "offset")
    np.testing.assert_array_equal(shown, expected)
    # The learner's text is only ever shown as plain text, bounded: never as markdown, in a note or a caption.
    rendered = [*app.markdown, *app.caption, *app.warning, *app.info, *app.error, *app.success]
    for piece in {text[:12], "[click]", "http://example.com"} - {""}:
        assert all(piece not in element.value for element in rendered), piece
    assert all(len(block.value) <= 400 for block in app.text)


# Corrections from a teacher's read (issue 20) ----------------------------------------------------------------
def test_the_noise_is_described_by_numbers_from_the_image():
    app = new_app(PAGE, {"img": "camera"}).run()
    text = next(m.value for m in app.markdown if "Sobel x response" in m.value)
    image = load_sample("camera")
    top, left = (512 - 320) // 2, (512 - 320) // 2
    assert f"standard deviation of {image[top:top + 320, left:left + 320].std():.0f}" in text
    assert "barely" not in text and "mild" not in text


def test_the_border_corners_line_up_cell_for_cell(monkeypatch):
    from ui import display
    from ui.cache import STEPS

    shown = []
    original = display.encode_for_display
    monkeypatch.setattr(display, "encode_for_display", lambda image, **k: shown.append(image) or original(image, **k))
    STEPS.clear()
    app = new_app(PAGE, {"convolution_preset": "box", "convolution_size": "5"}).run()
    assert not problems(app)
    # 8 pixels and 2 made-up ones per side, 32-pixel cells: every input corner and output corner is 321 x 321.
    inputs = [p for p in shown if p.shape == (321, 321, 3)]
    outputs = [p for p in shown if p.shape == (321, 321, 4)]
    assert len(inputs) == len(outputs) == 4
    for output in outputs:
        assert (output[:64, :, 3] == 0).all() and (output[64:, 64:, 3] == 255).all()


def test_the_formula_uses_x_for_the_column():
    app = new_app(PAGE).run()
    assert any("f(x + j,\\; y + i)" in block.value for block in app.latex)
    assert any("x is the column and y the row" in c.value for c in app.caption)


def test_the_clipped_spikes_of_the_result_histogram_are_named():
    app = new_app(PAGE).run()  # Sobel x on the astronaut, offset to 128
    values = np.rint(reference_output(load_sample("astronaut"), conv.kernel_preset("sobel_x")))
    low, high = np.mean(values < -128), np.mean(values > 127)
    assert any(f"{low:.1%} and {high:.1%} of the values lie outside" in c.value for c in app.caption)
    app = new_app(PAGE, {"convolution_preset": "box"}).run()  # a blur stays inside 0-255: nothing to say
    assert not any("spikes at 0 and 255" in c.value for c in app.caption)
