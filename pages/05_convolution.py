"""Lesson: Convolution playground."""

from typing import NamedTuple

import numpy as np
import streamlit as st

from processing import convolution as conv
from processing.color import to_gray
from processing.filters import add_gaussian_noise
from ui.cache import cached_step
from ui.charts import show_chart
from ui.code import show_code
from ui.display import before_after, clickable_image, fit_width, follow_click, show_image, zoom_nearest
from ui.exercises import choice_exercise, numeric_exercise
from ui.page import finish_lesson, keep_in_range, lesson_link, start_lesson
from ui.svg import pixel_grid
from ui.url import url_choice

lesson, source = start_lesson("convolution")

DEFAULT_PRESET = "sobel_x"
CUSTOM = "custom"
PRESET_LABELS = {
    "identity": "Identity", "box": "Box blur", "gaussian": "Gaussian blur", "sharpen": "Sharpen",
    "emboss": "Emboss", "outline": "Outline", "sobel_x": "Sobel x", "sobel_y": "Sobel y",
    "prewitt_x": "Prewitt x", "prewitt_y": "Prewitt y", "laplacian": "Laplacian",
    CUSTOM: "Custom (typed below)",
}
SIZE_LABELS = {str(n): f"{n} × {n}" for n in conv.EDITOR_SIZES}
BORDER_LABELS = {"zero": "zero", "replicate": "replicate", "reflect": "reflect (OpenCV default)", "wrap": "wrap"}
BORDER_CODE = {"zero": "cv2.BORDER_CONSTANT", "replicate": "cv2.BORDER_REPLICATE", "reflect": "cv2.BORDER_REFLECT_101"}
BORDER_PADDING = {
    "zero": "`00|abcd|00`: outside counts as black, so the frame darkens (or lights up as a false edge).",
    "replicate": "`aa|abcd|dd`: the edge pixel repeated outwards.",
    "reflect": "`cb|abcd|cb`: mirrored without repeating the edge pixel; OpenCV's default.",
    "wrap": "`cd|abcd|ab`: the opposite side of the image, a false edge where the sides differ.",
}
DEEPER = {
    "borders": "Borders",
    "signed": "Signed results",
    "flip": "Convolution vs correlation",
    "scratch": "From scratch vs OpenCV",
}
MAPPING_LABELS = {"auto": "automatic", "abs": "absolute value", "offset": "offset to 128", "clip": "clipped to 0–255"}
MAPPING_CODE = {
    "clip": "result = np.clip(np.rint(filtered), 0, 255).astype(np.uint8)  # clip to 0-255",
    "abs": "result = np.clip(np.abs(np.rint(filtered)), 0, 255).astype(np.uint8)  # both signs bright",
    "offset": "result = np.clip(np.rint(filtered) + 128, 0, 255).astype(np.uint8)  # 0 becomes mid-grey",
}
NOISE_SIGMA = 16.0  # grey levels: mild on a photo, plain in an edge map
SIDE_CROP = 320  # side of the centre crop used by the side panels, so they stay instant on 2 MP


def cell_key(row: int, col: int) -> str:
    return f"convolution_cell_{row}_{col}"


# Callbacks run before the script, so they may set widget values. --------------------
def _remember_custom_start() -> None:
    """Choosing "Custom" starts from the kernel that was on screen."""
    if st.session_state.get("convolution_preset") == CUSTOM:
        text = st.session_state.get("convolution_kernel", "")
        try:
            conv.parse_kernel_text(text)
        except ValueError:
            st.session_state["convolution_kernel"] = st.session_state.get("convolution_last_text", "0,0,0;0,1,0;0,0,0")


def _text_edited() -> None:
    """A kernel typed as one line is a custom kernel."""
    st.session_state["convolution_preset"] = CUSTOM


def _resize_custom() -> None:
    """Changing the size of a typed kernel pads it with zeros or keeps its centre."""
    if st.session_state.get("convolution_preset") != CUSTOM:
        return
    text = st.session_state.get("convolution_kernel", "")
    try:
        conv.parse_kernel_text(text)
    except ValueError:
        return
    size = int(st.session_state["convolution_size"])
    st.session_state["convolution_kernel"] = conv.kernel_to_text(conv.resize_cells(conv.split_kernel_text(text), size))


def _apply_cells(size: int) -> None:
    """Apply: read the edited cells with the safe parser; keep the old kernel if one is bad."""
    cells = [[st.session_state.get(cell_key(r, c), "") for c in range(size)] for r in range(size)]
    try:
        conv.parse_kernel(cells)
    except ValueError as error:
        st.session_state["convolution_edit_error"] = str(error)
        return
    st.session_state.pop("convolution_edit_error", None)
    st.session_state["convolution_kernel"] = conv.kernel_to_text(cells)
    st.session_state["convolution_preset"] = CUSTOM


# Cached steps: keyed on the image's identity string and the settings, never on the array. A rerun gets the
# same read-only objects back, so their pictures are not encoded again. The kernel travels as a tuple of rows.
@cached_step(max_entries=4)
def working_image(work_key: str, grey: bool, _image: np.ndarray) -> np.ndarray:
    return to_gray(_image) if grey else _image


@cached_step(max_entries=6)  # 48 MB of float64 each for a 2-megapixel colour image
def filtered_image(work_key: str, kernel: tuple, border: str, operation: str,
                   _image: np.ndarray) -> tuple[np.ndarray, conv.OutputStats]:
    """The signed filter output and the facts about it (a mapping change reuses both)."""
    filtered = conv.filter_image(_image, np.array(kernel), border=border, operation=operation)
    return filtered, conv.output_stats(_image, filtered)


@cached_step(max_entries=8)
def displayed(work_key: str, kernel: tuple, border: str, operation: str, mapping: str, click_width: int,
              _filtered: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The output mapped for display, and its small copy to click on."""
    shown = conv.to_display(_filtered, mapping=mapping)
    return shown, fit_width(shown, max_width=click_width)


@cached_step(max_entries=16)
def timed_comparison(work_key: str, kernel: tuple, border: str, operation: str, _image: np.ndarray):
    return conv.compare_implementations(_image, np.array(kernel), border=border, operation=operation, max_side=512)


def as_key(kernel: np.ndarray) -> tuple:
    return tuple(map(tuple, kernel.tolist()))


@cached_step(max_entries=16)
def padded_corners(work_key: str, corner: int, pad: int, cell: int, _work: np.ndarray) -> dict[str, np.ndarray]:
    """Per border mode: the top-left corner with `pad` made-up rows and columns, zoomed. Keyed without the
    weights: switching to another kernel of the same size re-sends the same four pictures."""
    return {mode: zoom_nearest(conv.border_corner(_work, size=corner, pad=pad, border=mode), cell=cell)
            for mode in conv.BORDER_MODES}


@cached_step(max_entries=16)
def border_corners(work_key: str, kernel: tuple, operation: str, mapping: str, corner: int, cell: int,
                   _work: np.ndarray) -> dict[str, tuple[np.ndarray, float]]:
    """Per border mode: the output corner, zoomed, and its largest change from reflect."""
    weights = np.array(kernel)
    outputs = {mode: conv.border_output_corner(_work, weights, size=corner, border=mode, operation=operation,
                                               mapping=mapping) for mode in conv.BORDER_MODES}
    return {mode: (zoom_nearest(outputs[mode], cell=cell), conv.max_abs_difference(outputs[mode], outputs["reflect"]))
            for mode in conv.BORDER_MODES}


@cached_step(max_entries=16)
def signed_crop(work_key: str, kernel: tuple, border: str, operation: str, box: tuple[int, int, int, int],
                _work: np.ndarray) -> tuple[conv.OutputStats, dict[str, np.ndarray]]:
    """Facts about the filter output on the centre crop, and the crop under every display mapping."""
    top, left, crop_h, crop_w = box
    signed = conv.filter_region(_work, np.array(kernel), top=top, left=left, height=crop_h, width=crop_w,
                                border=border, operation=operation)
    stats = conv.output_stats(np.ascontiguousarray(_work[top:top + crop_h, left:left + crop_w]), signed)
    return stats, {name: conv.to_display(signed, mapping=name) for name in conv.DISPLAY_MAPPINGS}


@cached_step(max_entries=16)
def flip_demo(work_key: str, kernel: tuple, border: str, box: tuple[int, int, int, int],
              _work: np.ndarray) -> tuple[float, dict[str, np.ndarray]]:
    """Correlation and convolution of the centre crop: their largest difference, and both shown."""
    top, left, crop_h, crop_w = box
    weights = np.array(kernel)
    mapping = conv.suggested_mapping(weights)
    outputs = {op: conv.filter_region(_work, weights, top=top, left=left, height=crop_h, width=crop_w,
                                      border=border, operation=op) for op in conv.OPERATIONS}
    difference = conv.max_abs_difference(outputs["convolution"], outputs["correlation"])
    return difference, {op: conv.to_display(values, mapping=mapping) for op, values in outputs.items()}


@cached_step(max_entries=4)
def noise_demo(work_key: str, box: tuple[int, int, int, int], _work: np.ndarray):
    """The centre crop with mild noise; Sobel x of the clean and the noisy crop (absolute value) and their mean
    absolute responses."""
    top, left, crop_h, crop_w = box
    crop = np.ascontiguousarray(_work[top:top + crop_h, left:left + crop_w])
    noisy = add_gaussian_noise(crop, sigma=NOISE_SIGMA, seed=0)
    sobel = conv.kernel_preset("sobel_x")
    clean_edges, noisy_edges = conv.filter_image(crop, sobel), conv.filter_image(noisy, sobel)
    return (noisy, conv.to_display(clean_edges, mapping="abs"), conv.to_display(noisy_edges, mapping="abs"),
            conv.output_stats(crop, clean_edges).mean_abs_out, conv.output_stats(noisy, noisy_edges).mean_abs_out)


@cached_step(max_entries=4)
def which_kernel_pictures(work_key: str, presets: tuple[str, ...], _work: np.ndarray) -> list[np.ndarray]:
    """A small grey centre crop filtered with each preset, absolute values."""
    small = conv.centre_crop(_work, max_side=160)  # crop first: converting only the crop to grey is cheaper
    small = to_gray(np.ascontiguousarray(small)) if small.ndim == 3 else small
    return [conv.to_display(conv.filter_image(small, conv.kernel_preset(name)), mapping="abs") for name in presets]


def cell_texts(values: np.ndarray) -> list[list[str]]:
    return [[conv.format_kernel_cell(float(v)) for v in row] for row in values]


def table_number(value: float) -> str:
    """A weight or product as the tables print it: as typed when that is short (``2``, ``1/9``, ``-0.5``),
    otherwise to 3 significant digits and at most 5 decimals (``0.159``, ``0.00002``), so 7 × 7 tables fit."""
    typed = conv.format_kernel_cell(float(value))
    if len(typed) <= 6:
        return typed
    if float(value).is_integer():
        return str(int(value))
    rounded = round(float(value), 5)
    if rounded == 0:
        return "≈0"
    return np.format_float_positional(rounded, precision=3, unique=False, fractional=False, trim="-")


def number_table(values: np.ndarray, *, rows, cols, corner: str) -> str:
    """A grid of numbers as a Markdown table, each cell tinted by its sign: red above 0, blue below.

    Text, not a Plotly heatmap: the kernel panel, look closer and the flip redraw these on every kernel
    change, and a table costs the browser about a millisecond where a heatmap cost tens."""
    tint = {1: ":red-background[{}]", -1: ":blue-background[{}]", 0: "{}"}
    lines = [f"| {corner} | " + " | ".join(f"**{c}**" for c in cols) + " |", "|---:" * (len(cols) + 1) + "|"]
    for label, row in zip(rows, values):
        cells = (tint[int(np.sign(v))].format(table_number(v)) for v in row)
        lines.append(f"| **{label}** | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def kernel_table(kernel: np.ndarray) -> str:
    """A kernel's weights as a table indexed by offsets from the centre (row offset i, column offset j)."""
    offsets = range(-(kernel.shape[0] // 2), kernel.shape[0] // 2 + 1)
    return number_table(kernel, rows=offsets, cols=offsets, corner="i \\\\ j")


def python_number(value: float) -> str:
    """A Python literal that gives exactly `value` (so the code panel reproduces the page)."""
    text = conv.format_kernel_cell(value)
    return text if conv.parse_kernel_cell(text) == value else repr(value)


# Look closer --------------------------------------------------------------------------------
@cached_step(max_entries=64)
def pixel_arithmetic(work_key: str, kernel: tuple, border: str, operation: str, mapping: str, row: int, col: int,
                     channel: int, _work: np.ndarray) -> conv.PixelExplanation:
    """One output pixel's arithmetic: its neighbourhood, the kernel multiplied in, the products and their sum."""
    return conv.explain_pixel(_work, np.array(kernel), row=row, col=col, channel=channel, border=border,
                              operation=operation, mapping=mapping)


@cached_step(max_entries=64)
def neighbourhood_grid(work_key: str, size: int, border: str, row: int, col: int, channel: int,
                       _info: conv.PixelExplanation) -> str:
    """The input pixels under the window, made-up ones tinted blue (SVG). Keyed without the weights: switching
    to a kernel of the same size reuses the same grid."""
    return pixel_grid(_info.neighbourhood.astype(np.uint8), origin=(int(_info.rows[0]), int(_info.cols[0])),
                      highlight=(row, col), made_up=~_info.inside)


@st.fragment
def look_closer(work: np.ndarray, work_key: str, kernel_key: tuple, filtered: np.ndarray, shown: np.ndarray,
                click_preview: np.ndarray, border: str, operation: str, mapping: str) -> None:
    """Choosing the pixel reruns only this panel: the image is not filtered again."""
    height, width = work.shape[:2]
    st.markdown("Click on the result, or set the row and column. Every number below is read from the input; "
                "the last one is read from the output image to check the arithmetic.")
    picture_column, control_column = st.columns([2, 3], gap="large")
    with picture_column:
        clicked = clickable_image(click_preview, key="convolution_click")
    follow_click(clicked, prefix="convolution", height=height, width=width)
    keep_in_range("convolution_row", 0, height - 1)
    keep_in_range("convolution_col", 0, width - 1)
    with control_column:
        # A 1-pixel image has nothing to slide: the pixel is (0, 0).
        # A slider needs two ends: an image one pixel high (or wide) has only row (or column) 0.
        row = st.slider("Row", 0, height - 1, height // 2, key="convolution_row", bind="query-params") \
            if height > 1 else 0
        col = st.slider("Column", 0, width - 1, width // 3, key="convolution_col", bind="query-params") \
            if width > 1 else 0
        channel = 0
        if work.ndim == 3:
            channel_name = st.radio("Channel (each is filtered on its own)", ["red", "green", "blue"],
                                    key="convolution_channel", bind="query-params", horizontal=True)
            channel = ["red", "green", "blue"].index(channel_name)
        info = pixel_arithmetic(work_key, kernel_key, border, operation, mapping, row, col, channel, work)
        where = (row, col, channel) if work.ndim == 3 else (row, col)
        on_screen = int(shown[where])
        rounded = int(np.rint(info.total))
        steps = {
            "clip": f"round({info.total:.2f}) = {rounded}, clipped to 0–255",
            "abs": f"|round({info.total:.2f})| = {abs(rounded)}, at most 255",
            "offset": f"round({info.total:.2f}) + 128 = {rounded + 128}, clipped to 0–255",
        }[mapping]
        outside = int((~info.inside).sum())
        agrees = on_screen == info.display_value and abs(float(filtered[where]) - info.total) < 1e-6
        st.markdown(
            f"Sum of the {info.products.size} products = **{info.total:.2f}** (the filter output, signed). "
            f"Display mapping *{MAPPING_LABELS[mapping]}*: {steps} → **{info.display_value}**."
            + (f" {outside} of the {info.inside.size} cells lie outside the image (blue): the {border} border "
               "supplied them." if outside else "")
            # Green text, not st.success: success boxes are the exercises' "right answer" feedback.
            + ("\n\n:green[:material/check_circle: The arithmetic gives exactly the value stored in the output "
               "image.]" if agrees else "")
        )
        metrics = st.columns(3)
        metrics[0].metric("Filter output (sum)", f"{info.total:.2f}")
        metrics[1].metric("After the mapping", str(info.display_value))
        metrics[2].metric("Output image", str(on_screen), help=f"shown[{', '.join(map(str, where))}]")
        if not agrees:  # would be a bug in processing: say so instead of hiding it
            st.error("The arithmetic and the output image disagree.", icon=":material/error:")

    # Three grids side by side fit a 3 × 3 window; larger ones get a row each, so every number stays legible.
    grids = st.columns(3, gap="small") if info.kernel.shape[0] == 3 else [st.container() for _ in range(3)]
    with grids[0]:
        st.markdown("**Input neighbourhood** (blue: outside the image)")
        show_chart(neighbourhood_grid(work_key, info.kernel.shape[0], border, row, col, channel, info),
                   alt=f"The input pixels under the kernel around row {row}, column {col}, with their values")
    with grids[1]:
        st.markdown("**× kernel**" + (" (flipped: convolution)" if operation == "convolution" else "") + "\n\n"
                    + number_table(info.kernel, rows=info.rows, cols=info.cols, corner="row \\\\ col"))
    with grids[2]:
        st.markdown(f"**= products**, which add up to {info.total:.2f}\n\n"
                    + number_table(info.products, rows=info.rows, cols=info.cols, corner="row \\\\ col"))


@st.fragment
def speed_panel(work: np.ndarray, work_key: str, kernel_key: tuple, border: str, operation: str) -> None:
    """Timing reruns only this panel when asked."""
    if st.button("Measure again", key="convolution_measure", icon=":material/timer:"):
        timed_comparison.clear()
    with st.spinner("Timing both implementations…"):
        result = timed_comparison(work_key, kernel_key, border, operation, work)
    h, w = result.compared_shape[:2]
    times = st.columns(4)
    times[0].metric(f"cv2.filter2D, whole image ({width} × {height})", f"{result.opencv_full_seconds * 1e3:.1f} ms")
    times[1].metric(f"cv2.filter2D, {w} × {h}", f"{result.opencv_seconds * 1e3:.1f} ms")
    times[2].metric(f"From scratch, {w} × {h}", f"{result.numpy_seconds * 1e3:.1f} ms")
    times[3].metric("Max |difference|", f"{result.max_abs_difference:.1e}")
    ratio = result.numpy_seconds / max(result.opencv_seconds, 1e-9)
    st.markdown(
        (f"The from-scratch version ran on the central {w} × {h} crop, not the whole image, so the page stays "
         "responsive; OpenCV ran on both. " if result.cropped else "Both ran on the whole image. ")
        + f"On the same pixels the NumPy loop took {ratio:.1f} × as long as OpenCV, and the two agree to within "
        f"{result.max_abs_difference:.1e} (floating-point rounding): same definition, different engineering."
    )


img = source.image
is_colour = img.ndim == 3

# 1. The idea -----------------------------------------------------------------------
st.markdown(
    "Convolution slides a small grid of weights, the **kernel**, over the image. At every pixel it multiplies "
    "the neighbours under the kernel by the weights and adds up the products: that sum is the new pixel. "
    "The same machinery blurs, sharpens or finds edges; only the weights change. For a kernel of radius "
    "*r* (a 3 × 3 kernel has r = 1):"
)
st.latex(r"g(x, y) = \sum_{i=-r}^{r} \sum_{j=-r}^{r} k(i, j)\; f(x + i,\; y + j)")
st.caption(
    "Written this way (kernel not flipped) it is *correlation*, what `cv2.filter2D` computes. *Convolution* "
    "flips the kernel first, f(x − i, y − j); for symmetric kernels the two agree."
)

# 2. Controls -------------------------------------------------------------------------
st.header("Choose a kernel", anchor=False)
# The grey switch changes the input of every section, "Where it breaks" and the exercises included, so it
# reruns the whole page; every other control is in the kernel panel below.
grey = is_colour and st.toggle("Filter the grey version", key="convolution_grey", bind="query-params",
                               help="Filter the grey version of the image: one number per pixel.")
work_key = f"{source.key}:{'grey' if grey else 'as-is'}"
work = working_image(work_key, grey, img)
height, width = work.shape[:2]
box = conv.centre_box(work.shape, max_side=SIDE_CROP)  # the centre crop of the side panels
CLICK_WIDTH = min(width, 420)  # width of the picture to click on in "Look closer"


class Chosen(NamedTuple):
    """The kernel in use and how it is applied: what the exercises need on a full run."""

    kernel: np.ndarray
    name: str
    border: str
    operation: str


@st.fragment
def kernel_playground() -> Chosen:
    """Everything the kernel decides: its controls and editor, before and after, look closer, what to notice,
    the code, and the border, sign, flip and speed panels.

    A fragment: switching kernels (or its border, operation, display) reruns only this part of the page. The
    noise demonstration and the exercises below it do not depend on the kernel.
    """
    row_one = st.columns([1.3, 1, 1, 0.8])
    row_two = st.columns([1, 1.5, 1.5])
    editor_column, panel_column = st.columns([1, 1], gap="large")
    with editor_column:
        grid_box = st.container()
        text_box = st.container()
    wide_box = st.container()  # under both: a 7 × 7 table of weights is wider than half the page

    preset = url_choice(row_one[0].selectbox, "Kernel preset", PRESET_LABELS, key="convolution_preset",
                        default=DEFAULT_PRESET, on_change=_remember_custom_start)
    # Drawn before the size control (shown lower down) because a typed kernel decides the size.
    text = text_box.text_input(
        "The kernel as one line (this is what a link carries)", key="convolution_kernel", bind="query-params",
        on_change=_text_edited, placeholder="for example 1,2,1;0,0,0;-1,-2,-1",
        help="Rows separated by ; and cells by , — numbers such as 2, -0.5 or 1/9. Press Enter to use it.",
    )

    link_problem = None
    custom_cells = None
    if preset == CUSTOM:
        try:
            raw_kernel = conv.parse_kernel_text(text)
            custom_cells = [[cell.strip() for cell in row] for row in conv.split_kernel_text(text)]
            st.session_state["convolution_size"] = str(raw_kernel.shape[0])
        except ValueError as error:
            link_problem = str(error)
            raw_kernel = conv.kernel_preset(DEFAULT_PRESET)
            st.session_state["convolution_size"] = "3"
        sizes = conv.EDITOR_SIZES
    else:
        sizes = conv.PRESETS[preset].sizes
        if int(st.session_state.get("convolution_size", "3")) not in sizes:
            st.session_state["convolution_size"] = "3"
    with row_one[1]:
        size = int(url_choice(st.segmented_control, "Size", SIZE_LABELS, key="convolution_size", default="3",
                              disabled=len(sizes) == 1, on_change=_resize_custom))
        # A link may name a size the preset lacks, or disagree with a typed kernel: the kernel decides.
        size = raw_kernel.shape[0] if preset == CUSTOM else (size if size in sizes else 3)
        if len(sizes) == 1:
            st.caption(f"{PRESET_LABELS[preset]} is defined as 3 × 3 only.")
    sigma = row_one[2].slider("Gaussian σ (pixels)", 0.3, 5.0, 1.0, 0.1, key="convolution_sigma", bind="query-params",
                              disabled=preset != "gaussian", help="Width of the bell curve; Gaussian preset only.")
    normalise = row_one[3].toggle("Normalise", key="convolution_normalise", bind="query-params",
                                  help="Divide every weight by the sum, so the weights add up to 1.")
    operation = row_two[0].radio("Operation", conv.OPERATIONS, key="convolution_op", bind="query-params", horizontal=True,
                                 help="cv2.filter2D computes correlation; convolution flips the kernel first.")
    border = url_choice(row_two[1].radio, "Border: values outside the image", BORDER_LABELS,
                        key="convolution_border", default="reflect", horizontal=True)
    mapping_choice = url_choice(row_two[2].radio, "Show signed results as", MAPPING_LABELS,
                                key="convolution_mapping", default="auto", horizontal=True)

    if preset != CUSTOM:
        raw_kernel = conv.kernel_preset(preset, size=size, sigma=sigma if preset == "gaussian" else None)
    kernel = raw_kernel
    normalised = False
    if normalise:
        try:
            kernel = conv.normalize_kernel(raw_kernel)
            normalised = True
        except ValueError:
            pass
    mapping = conv.suggested_mapping(kernel) if mapping_choice == "auto" else mapping_choice
    kind = conv.classify_kernel(kernel) if preset == CUSTOM else conv.PRESETS[preset].kind
    if preset != CUSTOM:
        kernel_name = PRESET_LABELS[preset]
    else:
        kernel_name = "your kernel" if link_problem is None else PRESET_LABELS[DEFAULT_PRESET]
    st.session_state["convolution_last_text"] = conv.kernel_to_text(cell_texts(raw_kernel))
    kernel_key = as_key(kernel)

    # The editor: a form, so typing in a cell reruns nothing until Apply. ------------------
    with grid_box:
        st.markdown(f"**Edit the weights** ({size} × {size}); press **Apply** to use them.")
        if link_problem is not None:
            st.warning(f"The kernel in the link could not be read, so the {PRESET_LABELS[DEFAULT_PRESET]} preset is "
                       "shown instead. The reason:", icon=":material/link_off:")
            st.text(link_problem)  # contains the learner's text: plain text only
        shown_cells = custom_cells if custom_cells is not None else cell_texts(raw_kernel)
        signature = (preset, size, sigma if preset == "gaussian" else None, text if preset == CUSTOM else None)
        if st.session_state.get("convolution_cells_for") != signature:
            for r, cells_row in enumerate(shown_cells):
                for c, cell in enumerate(cells_row):
                    st.session_state[cell_key(r, c)] = cell
            st.session_state["convolution_cells_for"] = signature
        with st.form("convolution_editor", border=True):
            for r in range(size):
                for c, column in enumerate(st.columns(size, gap="small")):
                    column.text_input(f"Weight row {r + 1}, column {c + 1}", key=cell_key(r, c),
                                      label_visibility="collapsed", max_chars=24)
            st.form_submit_button("Apply", icon=":material/check:", on_click=_apply_cells, args=(size,), type="primary")
        if "convolution_edit_error" in st.session_state:
            st.warning("Not applied: every cell must be a number such as 2, -0.5 or 1/9 (the kernel in use did not "
                       "change).", icon=":material/edit_off:")
            st.text(st.session_state["convolution_edit_error"])  # quotes the learner's text: plain text only

    # The kernel panel ----------------------------------------------------------------------
    with panel_column:
        heading = (f"**The kernel in use**{' (normalised)' if normalised else ''}: {kernel_name}, {size} × {size}, "
                   f"{'an' if kind[0] in 'aeiou' else 'a'} {kind} kernel")
        if size <= 5:
            st.markdown(f"{heading} (row offset i, column offset j)\n\n" + kernel_table(kernel))
        else:
            st.markdown(f"{heading}; its weights are in the table under the editor.")
            wide_box.markdown("**The kernel in use**, row offset i, column offset j\n\n" + kernel_table(kernel))
        total = conv.kernel_sum(kernel)
        separation = conv.separate_kernel(kernel)
        facts = st.columns(2)
        facts[0].metric("Sum of weights", conv.format_kernel_cell(round(total, 10)))
        facts[1].metric("Separable", "yes" if separation.separable else f"no (rank {separation.rank})")
        if separation.separable and separation.rank == 1:
            column_factor, row_factor = conv.readable_factors(separation)
            st.markdown(
                f"Kernel = column `[{', '.join(map(conv.format_kernel_cell, column_factor))}]` × row "
                f"`[{', '.join(map(conv.format_kernel_cell, row_factor))}]`: filtering with the column, then the row, "
                f"costs {2 * size} multiplications per pixel instead of {size * size}."
            )
        elif not separation.separable:
            st.caption("Not an outer product of two 1-D kernels: it must be applied in 2-D.")
        if normalise and not normalised:
            st.caption("Normalise: this kernel sums to 0, so there is nothing to divide by; it is used as it is.")
        if kind == "smoothing" and abs(total - 1) > 1e-6:
            st.warning(f"This smoothing kernel sums to {total:.4g}, not 1: it scales the brightness by {total:.3g}. "
                       "Switch on Normalise to keep it.", icon=":material/warning:")
        elif kind == "edge" and abs(total) > 1e-6:
            st.warning(f"This edge kernel sums to {total:.4g}, not 0: flat regions come out as {total:.3g} × their "
                       "brightness instead of 0.", icon=":material/warning:")
        elif kind in ("sharpening", "emboss", "identity") and abs(total - 1) > 1e-6:
            st.warning(f"This kernel sums to {total:.4g}, not 1: it scales the brightness by {total:.3g}.",
                       icon=":material/warning:")

    # 3. Before and after ------------------------------------------------------------------------
    with st.spinner("Filtering…"):
        filtered, stats = filtered_image(work_key, kernel_key, border, operation, work)
    shown, click_preview = displayed(work_key, kernel_key, border, operation, mapping, CLICK_WIDTH, filtered)
    settings_text = f"{kernel_name} {size} × {size}, {operation}, {border} border"
    st.header("Before and after", anchor=False)
    before_after(work, shown, before_caption=f"Input ({'grey' if grey else 'as loaded'}), "
                 f"{width} × {height}", after_caption=f"{settings_text}, shown {MAPPING_LABELS[mapping]}")
    if mapping_choice == "auto":
        st.caption(f"Automatic display: {MAPPING_LABELS[mapping]} ("
                   + ("the kernel sums to 0, so 0 is drawn as mid-grey)." if mapping == "offset"
                      else "the kernel keeps brightness, so the few values outside 0–255 are clipped).")
                   + " Change it under “Show signed results as”.")
    if size > height or size > width:
        made_up = BORDER_PADDING[border].split(":", 1)[1].strip()
        st.info(f"The {size} × {size} kernel is larger than this {width} × {height} image, so every window reaches "
                f"past the image on at least one side and the {border} border supplies the values there: {made_up} "
                "The output says more about the border mode than about the image.", icon=":material/info:")

    # 4. Look closer -------------------------------------------------------------------------------
    st.header("Look closer: the arithmetic of one output pixel", anchor=False)
    look_closer(work, work_key, kernel_key, filtered, shown, click_preview, border, operation, mapping)

    # 5. What to notice ---------------------------------------------------------------------------
    st.subheader("What to notice", anchor=False)
    brightness = (
        f"The kernel sums to {conv.format_kernel_cell(round(total, 10))}, so the mean brightness goes from "
        f"{stats.mean_in:.1f} to {stats.mean_out:.1f}"
        + (": flat regions become 0 and only changes survive." if abs(total) < 1e-9 else ".")
    )
    spread = (
        f"The filter output runs from {stats.minimum:.0f} to {stats.maximum:.0f}: {stats.below_zero:.1%} of the "
        f"values are below 0 and {stats.above_255:.1%} above 255, so how they are shown "
        f"({MAPPING_LABELS[mapping]} here) is a choice you make, not a detail."
        if stats.below_zero or stats.above_255
        else f"The filter output stays within {stats.minimum:.0f}–{stats.maximum:.0f}, inside 0–255: no mapping is needed."
    )
    cost = (f" It is separable: two 1-D passes cost {2 * size} multiplications per pixel instead of {size * size}."
            if separation.separable and size > 1 else "")
    st.markdown(f"{brightness} {spread}{cost}")

    # The code, right under the result it reproduces ---------------------------------------------
    lines = []
    if grey:
        lines.append("img = cv2.cvtColor(img, cv2.COLOR_RGB2GRAY)  # the grey version")
    if preset == "box":
        lines.append(f"kernel = np.full(({size}, {size}), 1 / {size}**2)  # box blur: every weight 1/{size * size}")
    elif preset == "gaussian":
        lines += [
            f"sigma = {sigma!r}",
            f"offsets = np.arange({size}) - {size // 2}",
            "profile = np.exp(-(offsets**2) / (2.0 * sigma**2))",
            "profile /= profile.sum()",
            "kernel = np.outer(profile, profile)  # a 2-D Gaussian is separable",
        ]
    else:
        rows_code = ",\n    ".join("[" + ", ".join(python_number(float(v)) for v in r) + "]" for r in raw_kernel)
        lines.append(f"kernel = np.array([\n    {rows_code},\n], dtype=np.float64)  # {kernel_name}")
    if normalised:
        lines.append("kernel = kernel / kernel.sum()  # normalise: the weights add up to 1")
    if operation == "convolution":
        lines.append("kernel = cv2.flip(kernel, -1)  # convolution = correlation with the kernel flipped both ways")
    if border == "wrap":
        lines += [
            f"r = {size // 2}  # cv2.filter2D refuses BORDER_WRAP: pad first, filter, cut the padding off",
            "padded = cv2.copyMakeBorder(img.astype(np.float64), r, r, r, r, cv2.BORDER_WRAP)",
            "filtered = cv2.filter2D(padded, -1, kernel)[r:-r, r:-r]  # float64, signed",
        ]
    else:
        lines.append(f"filtered = cv2.filter2D(img.astype(np.float64), -1, kernel, borderType={BORDER_CODE[border]})"
                     "  # float64, signed")
    lines.append(MAPPING_CODE[mapping])
    st.caption("The code computes the filter in float64 (no clipping, no wrap-around) and then applies the display "
               "mapping: its `result` is the picture on the right of “Before and after”.")
    show_code("\n".join(lines), source=source, result=shown)

    # Look deeper: one topic at a time -------------------------------------------------------------
    # Each topic redraws with the kernel: drawing all four made every kernel switch re-render about 40 more
    # elements and time the NumPy loop again.
    st.header("Look deeper", anchor=False)
    topic = url_choice(st.segmented_control, "Topic", DEEPER, key="convolution_deeper", default="borders")
    if topic == "borders":
        st.subheader("Borders: what the kernel sees at the corner", anchor=False)
        corner = min(20, height, width)
        pad = size // 2
        st.markdown(
            f"At the top-left corner {pad} row(s) and column(s) of the window fall outside the image. Each border mode "
            "makes those values up differently (blue tint = made up); the output corner underneath changes with them."
        )
        cell = max(4, 320 // (corner + pad))
        padded = padded_corners(work_key, corner, pad, cell, work)
        corners = border_corners(work_key, kernel_key, operation, mapping, corner, cell, work)
        for mode, column in zip(conv.BORDER_MODES, st.columns(4)):
            padded_corner, (output_corner, change) = padded[mode], corners[mode]
            with column:
                show_image(padded_corner, crisp=True, caption=f"{mode}: padded input corner",
                           alt=f"Top-left corner padded with the {mode} border mode")
                show_image(output_corner, crisp=True, caption=f"{mode}: output corner{' (in use)' if mode == border else ''}")
                st.caption(BORDER_PADDING[mode] + ("" if mode == "reflect" else
                           f" Largest change from reflect in this corner: {change:.0f} levels."))

    elif topic == "signed":
        top, left, crop_h, crop_w = box
        signed_stats, signed_pictures = signed_crop(work_key, kernel_key, border, operation, box, work)
        st.subheader("Signed results: three honest ways to show them, and one pitfall", anchor=False)
        st.markdown(
            f"In the centre {crop_w} × {crop_h} crop the output runs from {signed_stats.minimum:.0f} to "
            f"{signed_stats.maximum:.0f}. A picture holds only 0–255, so negative and large values must be mapped, "
            "visibly. Absolute value makes both edge directions bright; offset to 128 keeps the sign (dark = negative); "
            "clipping throws the negatives away."
        )
        for name, column in zip(("abs", "offset", "clip", "wrap"), st.columns(4)):
            with column:
                label = "Pitfall: .astype(np.uint8) wraps around" if name == "wrap" else MAPPING_LABELS[name]
                show_image(signed_pictures[name], crisp=True,
                           caption=label + (" (in use)" if name == mapping else ""))
        st.caption(
            "The fourth picture is wrong on purpose: `filtered.astype(np.uint8)` keeps only the remainder modulo 256, "
            "so −1 becomes 255 and 256 becomes 0 — speckled noise where the edges were."
            + ("" if signed_stats.below_zero or signed_stats.above_255 else
               " This kernel's output stays within 0–255 here, so pick Sobel, Laplacian or outline to see them differ.")
        )

    elif topic == "flip":
        st.subheader("Convolution versus correlation: the kernel flip", anchor=False)
        asymmetric = not conv.is_flip_symmetric(kernel)
        demo_kernel = kernel if asymmetric else conv.kernel_preset("emboss")
        demo_name = kernel_name if asymmetric else "Emboss (your kernel is symmetric, so the flip changes nothing)"
        demo_mapping = conv.suggested_mapping(demo_kernel)
        flip_difference, demo_pictures = flip_demo(work_key, as_key(demo_kernel), border, box, work)
        st.markdown(
            f"Correlation slides the kernel as written; convolution flips it left–right and top–bottom first. Shown with "
            f"{demo_name}: the largest difference between the two outputs is **{flip_difference:.1f}** levels"
            + (" — the flip turns this kernel into its negative, so every edge changes sign."
               if np.array_equal(demo_kernel[::-1, ::-1], -demo_kernel) else ".")
        )
        # Two 3 × 3 kernels and the two pictures fit one row; larger kernels take half the width each.
        flip_columns = st.columns(4) if demo_kernel.shape[0] == 3 else [*st.columns(2), *st.columns(2)]
        for column, values, title in ((flip_columns[0], demo_kernel, "as written (correlation)"),
                                      (flip_columns[1], demo_kernel[::-1, ::-1], "flipped (convolution)")):
            with column:
                st.markdown(f"**Kernel {title}**\n\n" + kernel_table(values))
        for column, op in zip(flip_columns[2:], conv.OPERATIONS):
            with column:
                show_image(demo_pictures[op], crisp=True,
                           caption=f"{op}, {MAPPING_LABELS[demo_mapping]}")

    else:
        st.subheader("From scratch versus OpenCV", anchor=False)
        st.markdown("The definition written in NumPy: pad the image, then add one shifted, weighted copy per kernel cell.")
        st.code(
            "pad = kernel.shape[0] // 2\n"
            f"padded = np.pad(img.astype(np.float64), pad_width, mode=\"{conv.NUMPY_PAD_MODES[border]}\")"
            f"  # the {border} border\n"
            "result = np.zeros(img.shape)\n"
            "for i in range(kh):\n"
            "    for j in range(kw):\n"
            "        result += kernel[i, j] * padded[i:i + H, j:j + W]",
            language="python",
        )

        speed_panel(work, work_key, kernel_key, border, operation)
    return Chosen(kernel, kernel_name, border, operation)


chosen = kernel_playground()

# 6. Where it breaks ----------------------------------------------------------------------------
st.header("Where it breaks: a derivative kernel cannot tell edges from noise", anchor=False)
noisy, clean_display, noisy_display, clean_strength, noisy_strength = noise_demo(work_key, box, work)
st.markdown(
    f"Adding mild noise (σ = {NOISE_SIGMA:g} levels, barely visible) raises the mean Sobel x response from {clean_strength:.1f} "
    f"to {noisy_strength:.1f}: a difference of neighbours amplifies pixel-to-pixel noise as much as real edges. "
    "The fix is to smooth first, then differentiate."
)
for column, picture, caption in zip(
    st.columns(3),
    (noisy, clean_display, noisy_display),
    (f"Input with noise, σ = {NOISE_SIGMA:g}", "Sobel x of the clean input (absolute value)", "Sobel x of the noisy input"),
):
    with column:
        show_image(picture, caption=caption, crisp=picture is not noisy)
lesson_link("smoothing", "Smoothing and sharpening: remove the noise first")
lesson_link("edges", "Edge detection: smoothing built into the detector")

# 8. Check yourself --------------------------------------------------------------------------------
st.header("Check yourself", anchor=False)
ask_row, ask_col = height // 3, width // 2
asked = conv.explain_pixel(work, chosen.kernel, row=ask_row, col=ask_col, border=chosen.border,
                           operation=chosen.operation)
channel_words = "red channel's " if work.ndim == 3 else ""
numeric_exercise(
    "convolution_pixel", number=1,
    question=f"With the kernel in use, what is the {channel_words}filter output at row {ask_row}, column {ask_col}, "
    "before the display mapping? Give it to the nearest whole number.",
    answer=float(np.rint(asked.total)), tolerance=0.5,
    hint="Set that row and column in “Look closer” (red channel) and read the sum of the products.",
    # Names the kernel: the feedback stays on screen while the learner tries other kernels above.
    explanation=f"With {chosen.name} ({chosen.operation}, {chosen.border} border) the products add up to "
    f"{asked.total:.2f}, so the answer is {np.rint(asked.total):.0f}.",
)
which = {"A": "sobel_x", "B": "laplacian", "C": "sobel_y"}
choice_exercise(
    "convolution_which", number=2,
    question="These are the same crop filtered with Sobel x, Sobel y and the Laplacian (absolute values). "
    "Which one is Sobel y?",
    options=list(which), correct="C",
    pictures=which_kernel_pictures(work_key, tuple(which.values()), work),
    hint="Sobel y differentiates from top to bottom, so it lights up horizontal edges; the Laplacian has no "
    "preferred direction.",
    explanation="C is Sobel y (horizontal edges), A is Sobel x (vertical edges), B the Laplacian (all directions, "
    "thinner lines).",
)
corner_info = conv.explain_pixel(work, np.ones((3, 3)), row=0, col=0, border="zero")
inside_values = [f"{v:.0f}" for v in corner_info.neighbourhood[corner_info.inside]]
numeric_exercise(
    "convolution_corner", number=3,
    question=f"A 3 × 3 kernel of ones (a sum, not a mean) with the **zero** border: what is the output at row 0, "
    f"column 0{' of the red channel' if work.ndim == 3 else ''}?",
    answer=corner_info.total,
    hint="Only the cells of the window that lie inside the image count; the border supplies 0 for the rest. "
    "The border view above shows which those are.",
    explanation=f"{len(inside_values)} of the 9 cells lie inside: {' + '.join(inside_values)} = "
    f"{corner_info.total:.0f}; the other {9 - len(inside_values)} count as 0.",
)

finish_lesson("convolution")
