"""Lesson: Convolution playground. Processing: processing/convolution.py, processing/kernel_text.py.
Tests: tests/app/test_convolution.py, tests/processing/test_convolution.py, tests/processing/test_kernel_text.py."""

import numpy as np
import streamlit as st

from processing import convolution as conv
from processing.kernel_text import format_kernel_cell, python_number
from ui.cache import step
from ui.charts import neighbourhood_svg, show_chart
from ui.code import show_code
from ui.display import Picture, before_after, clickable_image, fit_width, follow_click, picture_row, show_image
from ui.exercises import choice_exercise, numeric_exercise
from ui.kernel_editor import MAPPING_LABELS, ChosenKernel, choose_kernel, kernel_table, number_table
from ui.page import finish_lesson, index_slider, lesson_link, start_lesson
from ui.url import url_choice

lesson, source = start_lesson("convolution")

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
MAPPING_CODE = {
    "clip": "result = np.clip(np.rint(filtered), 0, 255).astype(np.uint8)  # clip to 0-255",
    "abs": "result = np.clip(np.abs(np.rint(filtered)), 0, 255).astype(np.uint8)  # both signs bright",
    "offset": "result = np.clip(np.rint(filtered) + 128, 0, 255).astype(np.uint8)  # 0 becomes mid-grey",
}
NOISE_SIGMA = 16.0  # grey levels: visible on a photo, and plain in an edge map
SIDE_CROP = 320  # side of the centre crop used by the side panels, so they stay instant on 2 MP


# Look closer --------------------------------------------------------------------------------
@st.fragment
def look_closer(work: np.ndarray, chosen: ChosenKernel, filtered: np.ndarray, shown: np.ndarray,
                click_preview: np.ndarray) -> None:
    """Choosing the pixel reruns only this panel: the image is not filtered again."""
    height, width = work.shape[:2]
    st.markdown("Click on the result, or set the row and column. Every number below is read from the input; "
                "the last one is read from the output image to check the arithmetic.")
    picture_column, control_column = st.columns([2, 3], gap="large")
    with picture_column:
        clicked = clickable_image(click_preview, key="convolution_click",
                                  alt=f"The filtered result, {width} × {height}, with the chosen pixel framed; "
                                      "the Row and Column sliders choose it too")
    follow_click(clicked, prefix="convolution", height=height, width=width)
    with control_column:
        # A slider needs two ends: an image one pixel high (or wide) has only row (or column) 0.
        row = index_slider(st, "Row", size=height, key="convolution_row", default=height // 2)
        col = index_slider(st, "Column", size=width, key="convolution_col", default=width // 3)
        channel = 0
        if work.ndim == 3:
            channel_name = st.radio("Channel (each is filtered on its own)", ["red", "green", "blue"],
                                    key="convolution_channel", bind="query-params", horizontal=True)
            channel = ["red", "green", "blue"].index(channel_name)
        info = step(conv.explain_pixel, work, chosen.kernel, row=row, col=col, channel=channel, border=chosen.border,
                    operation=chosen.operation, mapping=chosen.mapping)
        where = (row, col, channel) if work.ndim == 3 else (row, col)
        on_screen = int(shown[where])
        rounded = round(info.total)
        steps = {
            "clip": f"round({info.total:.2f}) = {rounded}, clipped to 0–255",
            "abs": f"|round({info.total:.2f})| = {abs(rounded)}, at most 255",
            "offset": f"round({info.total:.2f}) + 128 = {rounded + 128}, clipped to 0–255",
        }[chosen.mapping]
        agrees = on_screen == info.display_value and abs(float(filtered[where]) - info.total) < 1e-6
        st.markdown(
            f"Sum of the {info.products.size} products = **{info.total:.2f}** (the filter output, signed). "
            f"Display mapping *{MAPPING_LABELS[chosen.mapping]}*: {steps} → **{info.display_value}**."
            + (f" {info.outside} of the {info.inside.size} cells lie outside the image (blue): the {chosen.border} "
               "border supplied them." if info.outside else "")
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
        show_chart(step(neighbourhood_svg, info, row=row, col=col),
                   alt=f"The input pixels under the kernel around row {row}, column {col}, with their values")
    with grids[1]:
        st.markdown("**× kernel**" + (" (flipped: convolution)" if chosen.operation == "convolution" else "")
                    + "\n\n" + number_table(info.kernel, rows=info.rows, cols=info.cols, corner="row \\\\ col"))
    with grids[2]:
        st.markdown(f"**= products**, which add up to {info.total:.2f}\n\n"
                    + number_table(info.products, rows=info.rows, cols=info.cols, corner="row \\\\ col"))


def measure_again() -> None:
    st.session_state["convolution_attempt"] = st.session_state.get("convolution_attempt", 0) + 1


@st.fragment
def speed_panel(work: np.ndarray, chosen: ChosenKernel) -> None:
    """Timing reruns only this panel when asked."""
    st.button("Measure again", key="convolution_measure", icon=":material/timer:", on_click=measure_again)
    with st.spinner("Timing both implementations…"):
        result = step(conv.compare_implementations, work, chosen.kernel, border=chosen.border,
                      operation=chosen.operation, max_side=512, attempt=st.session_state.get("convolution_attempt", 0))
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
st.latex(r"g(x, y) = \sum_{i=-r}^{r} \sum_{j=-r}^{r} k(i, j)\; f(x + j,\; y + i)")
st.caption(
    "x is the column and y the row, as on the Edges and Geometry pages; i is the row offset and j the column "
    "offset, as in the kernel tables below. Written this way (kernel not flipped) it is *correlation*, what "
    "`cv2.filter2D` computes. *Convolution* flips the kernel first, f(x − j, y − i); for symmetric kernels the two "
    "agree."
)

# 2. Controls -------------------------------------------------------------------------
st.header("Choose a kernel", anchor=False)
# The grey switch changes the input of every section, "Where it breaks" and the exercises included, so it
# reruns the whole page; every other control is in the kernel panel below.
grey = is_colour and st.toggle("Filter the grey version", key="convolution_grey", bind="query-params",
                               help="Filter the grey version of the image: one number per pixel.")
work = source.grey if grey else img
height, width = work.shape[:2]
CLICK_WIDTH = min(width, 420)  # width of the picture to click on in "Look closer"


@st.fragment
def kernel_playground() -> ChosenKernel:
    """Everything the kernel decides: its controls and editor, before and after, look closer, what to notice,
    the code, and the border, sign, flip and speed panels.

    A fragment: switching kernels (or its border, operation, display) reruns only this part of the page. The
    noise demonstration and the exercises below it do not depend on the kernel.
    """
    chosen, beside = choose_kernel()  # beside: the free half of the row next to a 3 × 3 grid of cells
    kernel, size, border, operation, mapping = (chosen.kernel, chosen.size, chosen.border, chosen.operation,
                                                chosen.mapping)

    # The kernel panel ----------------------------------------------------------------------
    if beside is not None:
        table_column = facts_column = beside
    else:
        table_column, facts_column = st.columns([1, 1], gap="large") if size == 5 else [st.container()] * 2
    heading = (f"**The kernel in use**{' (normalised)' if chosen.normalised else ''}: {chosen.name}, {size} × {size}, "
               f"{'an' if chosen.kind[0] in 'aeiou' else 'a'} {chosen.kind} kernel")
    table_column.markdown(f"{heading} (row offset i, column offset j)\n\n" + kernel_table(kernel))
    with facts_column:
        total = conv.kernel_sum(kernel)
        separation = conv.separate_kernel(kernel)
        facts = st.columns(2)
        facts[0].metric("Sum of weights", format_kernel_cell(round(total, 10)))
        facts[1].metric("Separable", "yes" if separation.separable else f"no (rank {separation.rank})")
        if separation.separable and separation.rank == 1:
            column_factor, row_factor = conv.readable_factors(separation)
            st.markdown(
                f"Kernel = column `[{', '.join(map(format_kernel_cell, column_factor))}]` × row "
                f"`[{', '.join(map(format_kernel_cell, row_factor))}]`: filtering with the column, then the row, "
                f"costs {2 * size} multiplications per pixel instead of {size * size}."
            )
        elif not separation.separable:
            st.caption("Not an outer product of two 1-D kernels: it must be applied in 2-D.")
        if chosen.normalise and not chosen.normalised:
            st.caption("Normalise: this kernel sums to 0, so there is nothing to divide by; it is used as it is.")
        if chosen.kind == "smoothing" and abs(total - 1) > 1e-6:
            st.warning(f"This smoothing kernel sums to {total:.4g}, not 1: it scales the brightness by {total:.3g}. "
                       "Switch on Normalise to keep it.", icon=":material/warning:")
        elif chosen.kind == "edge" and abs(total) > 1e-6:
            st.warning(f"This edge kernel sums to {total:.4g}, not 0: flat regions come out as {total:.3g} × their "
                       "brightness instead of 0.", icon=":material/warning:")
        elif chosen.kind in ("sharpening", "emboss", "identity") and abs(total - 1) > 1e-6:
            st.warning(f"This kernel sums to {total:.4g}, not 1: it scales the brightness by {total:.3g}.",
                       icon=":material/warning:")

    # 3. Before and after ------------------------------------------------------------------------
    with st.spinner("Filtering…"):
        filtered = step(conv.filter_image, work, kernel, border=border, operation=operation)
        stats = step(conv.output_stats, work, filtered)
    shown = step(conv.to_display, filtered, mapping=mapping)
    click_preview = step(fit_width, shown, max_width=CLICK_WIDTH)
    settings_text = f"{chosen.name} {size} × {size}, {operation}, {border} border"
    st.header("Before and after", anchor=False)
    before_after(work, shown, before_caption=f"Input ({'grey' if grey else 'as loaded'}), "
                 f"{width} × {height}", after_caption=f"{settings_text}, shown {MAPPING_LABELS[mapping]}")
    if chosen.mapping_choice == "auto":
        st.caption(f"Automatic display: {MAPPING_LABELS[mapping]} ("
                   + ("the kernel sums to 0, so 0 is drawn as mid-grey)." if mapping == "offset"
                      else "the kernel keeps brightness, so the few values outside 0–255 are clipped).")
                   + " Change it under “Show signed results as”.")
    at_0, at_255 = step(conv.display_clipping, filtered, mapping=mapping)
    if at_0 + at_255 >= 0.005:  # say what the spikes at the ends of the result's histogram are
        st.caption(f"The spikes at 0 and 255 of the result's histogram: {at_0:.1%} and {at_255:.1%} of the values lie "
                   f"outside what the display ({MAPPING_LABELS[mapping]}) can show and are clipped to those ends.")
    if size > height or size > width:
        made_up = BORDER_PADDING[border].split(":", 1)[1].strip()
        st.info(f"The {size} × {size} kernel is larger than this {width} × {height} image, so every window reaches "
                f"past the image on at least one side and the {border} border supplies the values there: {made_up} "
                "The output says more about the border mode than about the image.", icon=":material/info:")

    # 4. Look closer -------------------------------------------------------------------------------
    st.header("Look closer: the arithmetic of one output pixel", anchor=False)
    look_closer(work, chosen, filtered, shown, click_preview)

    # 5. What to notice ---------------------------------------------------------------------------
    st.subheader("What to notice", anchor=False)
    brightness = (
        f"The kernel sums to {format_kernel_cell(round(total, 10))}, so the mean brightness goes from "
        f"{stats.mean_in:.1f} to {stats.mean_out:.1f}"
        + (": flat regions become 0 and only changes survive." if abs(total) < 1e-9 else ".")
    )
    spread = (
        f"The filter output runs from {stats.minimum:.0f} to {stats.maximum:.0f}: {stats.below_zero:.1%} of the "
        f"values are below 0 and {stats.above_255:.1%} above 255, so how they are shown "
        f"({MAPPING_LABELS[mapping]} here) is a choice you make, not a detail."
        if stats.below_zero or stats.above_255
        else f"The filter output stays within {stats.minimum:.0f}–{stats.maximum:.0f}, inside 0–255: "
        "no mapping is needed."
    )
    cost = (f" It is separable: two 1-D passes cost {2 * size} multiplications per pixel instead of {size * size}."
            if separation.separable and size > 1 else "")
    st.markdown(f"{brightness} {spread}{cost}")

    # The code, right under the result it reproduces ---------------------------------------------
    lines = []
    if grey:
        lines.append("img = cv2.cvtColor(img, cv2.COLOR_RGB2GRAY)  # the grey version")
    if chosen.preset == "box":
        lines.append(f"kernel = np.full(({size}, {size}), 1 / {size}**2)  # box blur: every weight 1/{size * size}")
    elif chosen.preset == "gaussian":
        lines += [
            f"sigma = {chosen.sigma!r}",
            f"offsets = np.arange({size}) - {size // 2}",
            "profile = np.exp(-(offsets**2) / (2.0 * sigma**2))",
            "profile /= profile.sum()",
            "kernel = np.outer(profile, profile)  # a 2-D Gaussian is separable",
        ]
    else:
        rows_code = ",\n    ".join("[" + ", ".join(python_number(float(v)) for v in r) + "]" for r in chosen.weights)
        lines.append(f"kernel = np.array([\n    {rows_code},\n], dtype=np.float64)  # {chosen.name}")
    if chosen.normalised:
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
        corner, pad = min(8, height, width), size // 2  # 8 pixels: the border's share of the corner stays visible
        st.markdown(
            f"At the top-left corner {pad} row(s) and column(s) of the window fall outside the image. Each border mode "
            "makes those values up differently (blue tint = made up); the output corner underneath, cell for cell "
            "under its input, changes with them. Outputs outlined in blue used made-up values; their colours are the "
            "filter's output, like every other cell."
        )
        cell = max(4, min(64, 320 // (corner + pad)))
        # Keyed without the weights: switching to another kernel of the same size re-sends the same four pictures.
        padded = step(conv.padded_corners, work, size=corner, pad=pad, cell=cell)
        outputs = step(conv.output_corners, work, kernel, size=corner, operation=operation, mapping=mapping, cell=cell)
        for mode, column in zip(conv.BORDER_MODES, st.columns(4)):
            with column:
                show_image(padded[mode], crisp=True, caption=f"{mode}: padded input corner",
                           alt=f"Top-left {corner} × {corner} corner with {pad} padded row(s) and column(s) made "
                               f"up by the {mode} border mode, each cell with its value")
                show_image(outputs[mode].picture, crisp=True,
                           caption=f"{mode}: output corner{' (in use)' if mode == border else ''}",
                           alt=f"Output {corner} × {corner} corner with the {mode} border mode, each cell with its "
                               f"value; largest change from reflect {outputs[mode].change:.0f} levels")
                st.caption(BORDER_PADDING[mode] + ("" if mode == "reflect" else
                           f" Largest change from reflect in this corner: {outputs[mode].change:.0f} levels."))

    elif topic == "signed":
        signed = step(conv.signed_views, work, kernel, border=border, operation=operation, max_side=SIDE_CROP)
        st.subheader("Signed results: three honest ways to show them, and one pitfall", anchor=False)
        st.markdown(
            f"In the centre {signed.shape[1]} × {signed.shape[0]} crop the output runs from "
            f"{signed.stats.minimum:.0f} to {signed.stats.maximum:.0f}. A picture holds only 0–255, so negative and "
            "large values must be mapped, visibly. Absolute value makes both edge directions bright; offset to 128 "
            "keeps the sign (dark = negative); clipping throws the negatives away."
        )
        for name, column in zip(("abs", "offset", "clip", "wrap"), st.columns(4)):
            with column:
                label = "Pitfall: .astype(np.uint8) wraps around" if name == "wrap" else MAPPING_LABELS[name]
                show_image(signed.pictures[name], crisp=True, caption=label + (" (in use)" if name == mapping else ""))
        st.caption(
            "The fourth picture is wrong on purpose: `filtered.astype(np.uint8)` keeps only the remainder modulo 256, "
            "so −1 becomes 255 and 256 becomes 0 — speckled noise where the edges were."
            + ("" if signed.stats.below_zero or signed.stats.above_255 else
               " This kernel's output stays within 0–255 here, so pick Sobel, Laplacian or outline to see them "
               "differ.")
        )

    elif topic == "flip":
        st.subheader("Convolution versus correlation: the kernel flip", anchor=False)
        asymmetric = not conv.is_flip_symmetric(kernel)
        demo_kernel = kernel if asymmetric else conv.kernel_preset("emboss")
        demo_name = chosen.name if asymmetric else "Emboss (your kernel is symmetric, so the flip changes nothing)"
        flip = step(conv.flip_comparison, work, demo_kernel, border=border, max_side=SIDE_CROP)
        st.markdown(
            "Correlation slides the kernel as written; convolution flips it left–right and top–bottom first. Shown "
            f"with {demo_name}: the largest difference between the two outputs is **{flip.difference:.1f}** levels"
            + (" — the flip turns this kernel into its negative, so every edge changes sign." if flip.negates
               else ".")
        )
        # Two 3 × 3 kernels and the two pictures fit one row; larger kernels take half the width each.
        flip_columns = st.columns(4) if demo_kernel.shape[0] == 3 else [*st.columns(2), *st.columns(2)]
        for column, values, title in ((flip_columns[0], demo_kernel, "as written (correlation)"),
                                      (flip_columns[1], demo_kernel[::-1, ::-1], "flipped (convolution)")):
            column.markdown(f"**Kernel {title}**\n\n" + kernel_table(values))
        for column, op in zip(flip_columns[2:], conv.OPERATIONS):
            with column:
                show_image(flip.pictures[op], crisp=True, caption=f"{op}, {MAPPING_LABELS[flip.mapping]}")

    else:
        st.subheader("From scratch versus OpenCV", anchor=False)
        st.markdown("The definition written in NumPy: pad the image, then add one shifted, weighted copy per "
                    "kernel cell.")
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
        speed_panel(work, chosen)
    return chosen


chosen = kernel_playground()

# 6. Where it breaks ----------------------------------------------------------------------------
st.header("Where it breaks: a derivative kernel cannot tell edges from noise", anchor=False)
noise = step(conv.noise_response, work, sigma=NOISE_SIGMA, max_side=SIDE_CROP)
st.markdown(
    f"Adding noise of σ = {NOISE_SIGMA:g} levels (the crop's own values spread with a standard deviation of "
    f"{noise.spread:.0f}) raises the mean Sobel x response from {noise.clean_strength:.1f} to "
    f"{noise.noisy_strength:.1f}: a difference of neighbours amplifies pixel-to-pixel noise as much as real edges. "
    "The fix is to smooth first, then differentiate."
)
picture_row([Picture(noise.noisy, f"Input with noise, σ = {NOISE_SIGMA:g}", crisp=False),
             Picture(noise.clean_edges, "Sobel x of the clean input (absolute value)", crisp=True),
             Picture(noise.noisy_edges, "Sobel x of the noisy input", crisp=True)])
lesson_link("smoothing", "Smoothing and sharpening: remove the noise first")
lesson_link("edges", "Edge detection: smoothing built into the detector")

# 8. Check yourself --------------------------------------------------------------------------------
st.header("Check yourself", anchor=False)
ask_row, ask_col = height // 3, width // 2
asked = step(conv.explain_pixel, work, chosen.kernel, row=ask_row, col=ask_col, border=chosen.border,
             operation=chosen.operation)
channel_words = "red channel's " if work.ndim == 3 else ""
numeric_exercise(
    "convolution_pixel", number=1,
    question=f"With the kernel in use, what is the {channel_words}filter output at row {ask_row}, column {ask_col}, "
    "before the display mapping? Give it to the nearest whole number.",
    answer=float(round(asked.total)), tolerance=0.5,
    hint="Set that row and column in “Look closer” (red channel) and read the sum of the products.",
    # Names the kernel: the feedback stays on screen while the learner tries other kernels above.
    explanation=f"With {chosen.name} ({chosen.operation}, {chosen.border} border) the products add up to "
    f"{asked.total:.2f}, so the answer is {round(asked.total)}.",
)
which = {"A": "sobel_x", "B": "laplacian", "C": "sobel_y"}
choice_exercise(
    "convolution_which", number=2,
    question="These are the same crop filtered with Sobel x, Sobel y and the Laplacian (absolute values). "
    "Which one is Sobel y?",
    options=list(which), correct="C",
    pictures=list(step(conv.preset_responses, work, presets=tuple(which.values()), max_side=160)),
    hint="Sobel y differentiates from top to bottom, so it lights up horizontal edges; the Laplacian has no "
    "preferred direction.",
    explanation="C is Sobel y (horizontal edges), A is Sobel x (vertical edges), B the Laplacian (all directions, "
    "thinner lines).",
)
corner_info = step(conv.explain_pixel, work, np.ones((3, 3)), row=0, col=0, border="zero")
inside_values = [f"{v:.0f}" for v in corner_info.inside_values]
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
