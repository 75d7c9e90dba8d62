"""Lesson: Edge detection. Processing: processing/edges.py. Tests: tests/app/test_edges.py,
tests/processing/test_edges.py."""

from collections.abc import Sequence

import streamlit as st

from processing import edges
from processing.arrays import crop
from processing.stats import image_facts
from ui import charts
from ui.alt import binned_spread
from ui.cache import step
from ui.charts import histogram_options, show_chart
from ui.code import show_code
from ui.display import Picture, before_after, clickable_image, fit_width, follow_click, picture_row, show_image
from ui.exercises import choice_exercise, numeric_exercise
from ui.page import finish_lesson, keep_in_range, lesson_link, start_lesson
from ui.url import url_choice

lesson, source = start_lesson("edges")
img = source.image
height, width = img.shape[:2]
is_colour = img.ndim == 3

OPERATORS = {"sobel": "Sobel", "prewitt": "Prewitt", "scharr": "Scharr"}
CLICK_WIDTH = 480  # widest width of the clickable direction picture
OPTION_HIGHS = {"A": 150, "B": 300, "C": 60}  # high thresholds of the exercise pictures (low = high / 2)

grey = source.grey
levels = step(image_facts, grey)
flat = levels.minimum == levels.maximum
FLAT_NOTE = (f"This image has one grey level ({levels.minimum[0]}) everywhere: brightness never changes, so every "
             "derivative is 0 and there are no edges to show.")
# The code panel's gradient lines for each operator.
GRADIENT_CODE = {
    "sobel": "gx = cv2.Sobel(grey, cv2.CV_32F, 1, 0, ksize=3)  # signed float32\n"
             "gy = cv2.Sobel(grey, cv2.CV_32F, 0, 1, ksize=3)",
    "scharr": "gx = cv2.Scharr(grey, cv2.CV_32F, 1, 0)  # signed float32\ngy = cv2.Scharr(grey, cv2.CV_32F, 0, 1)",
    "prewitt": "kx = np.array({kx})  # Prewitt: OpenCV has no function for it\n"
               "gx = cv2.filter2D(grey, cv2.CV_32F, kx)  # signed float32\ngy = cv2.filter2D(grey, cv2.CV_32F, kx.T)",
}
GREY_LINE = "grey = cv2.cvtColor(img, cv2.COLOR_RGB2GRAY)  # luma" if is_colour else "grey = img"

# 1. The idea ------------------------------------------------------------------------------------
st.markdown(
    "An edge is where brightness changes quickly. Two small kernels measure the change at every pixel: "
    "$g_x$, how much brighter it gets to the right (along x, the column), and $g_y$, downwards (along y, the row). "
    "Together they form the **gradient**, an arrow pointing towards brighter; its length is the edge "
    "strength and its angle is across the edge:"
)
st.latex(r"|\nabla I| = \sqrt{g_x^2 + g_y^2},\qquad \theta = \operatorname{atan2}(g_y,\, g_x)")
if is_colour:
    st.info(
        "Edge detectors work on one channel, so this colour image is first converted to grey with the "
        "luma weights 0.299 R + 0.587 G + 0.114 B (`cv2.cvtColor(img, cv2.COLOR_RGB2GRAY)`).",
        icon=":material/filter_b_and_w:",
    )

# 2. Controls ------------------------------------------------------------------------------------
st.header("Gradients", anchor=False)
strong_row, strong_col = step(edges.strongest_edge, grey)  # the look-closer default and what to notice


def matrix(values: Sequence[Sequence[float]]) -> str:
    """A small array (a kernel, a neighbourhood) as a LaTeX matrix."""
    rows = [" & ".join(f"{v:g}" for v in row) for row in values]
    return r"\begin{bmatrix}" + r" \\ ".join(rows) + r"\end{bmatrix}"


@st.fragment
def gradients_section() -> None:
    """The kernels, the gradient pictures, one pixel's gradient and the code: everything the operator changes.

    A fragment: choosing another operator reruns only this part of the page.
    """
    operator = url_choice(st.segmented_control, "Derivative kernels", OPERATORS, key="edges_operator",
                          default="sobel", help="Sobel weights the centre row twice, Prewitt weighs all three "
                                                "alike, Scharr is more accurate for diagonal directions.")
    grad = step(edges.gradient_pictures, grey, operator=operator)
    kx, ky = edges.operator_kernels(operator)

    # 3. Before and after, then the stages -----------------------------------------------------------
    grey_caption = "Grey input" + (" (luma of the colour image)" if is_colour else "")
    if flat:
        st.info(FLAT_NOTE + " The gradient pictures would be plain black (gx and gy plain mid-grey): open another "
                "image to see them.", icon=":material/info:")
        show_image(grey, caption=grey_caption)
    else:
        before_after(
            grey, grad.magnitude_shown, crisp_after=True, before_caption=grey_caption,
            after_caption=f"Gradient magnitude √(gx² + gy²), {OPERATORS[operator]}: shown as 255 × value / "
                          f"{grad.scale:.0f}, brighter values clipped",
        )
        st.caption(
            f"Display mapping: the magnitude runs from 0 to {grad.top:.0f}; {grad.scale:.0f} (the 99.5th "
            "percentile) is drawn white so that a few extreme pixels do not turn every other edge dark grey: the "
            "spike at 255 in its histogram is those 0.5 % of the pixels, the one at 0 the flat areas."
        )
        picture_row([
            Picture(grad.gx_shown, crisp=True,
                    caption=f"gx (brighter to the right): grey 128 = 0, white = +{grad.signed_scale:.0f}, "
                            f"black = −{grad.signed_scale:.0f}"),
            Picture(grad.gy_shown, crisp=True,
                    caption="gy (brighter downwards), same mapping: grey 128 = 0, white positive, black negative"),
            Picture(grad.direction_shown, crisp=True,
                    caption="Direction as hue, strength as brightness (legend on the right)"),
            Picture(step(edges.direction_legend, size=121), crisp=True,
                    caption="Legend: colour of a gradient pointing from the centre (red → right, down is "
                            "yellow-green, left cyan, up violet)"),
        ], [2, 2, 2, 1])

    # 4. Look closer: one pixel's gradient ------------------------------------------------------------
    st.header("Look closer: one pixel's gradient vector", anchor=False)
    st.markdown("Click on the direction picture or set the row and column. The arrow points towards brighter; "
                "it crosses the edge, it does not run along it.")

    @st.fragment
    def pixel_view() -> None:
        """The clicked (or chosen) pixel's neighbourhood and arithmetic: a click or a slider reruns only this."""
        picture_column, grid_column = st.columns([1, 1], gap="medium")
        with picture_column:
            clicked = clickable_image(step(fit_width, grad.direction_shown, max_width=CLICK_WIDTH), key="edges_click",
                                      crisp=True, alt=f"Gradient direction as colour, {width} × {height}: click a "
                                      "pixel, or use the Row and Column sliders")
        follow_click(clicked, prefix="edges", height=height, width=width)
        keep_in_range("edges_row", 0, height - 1)
        keep_in_range("edges_col", 0, width - 1)
        with picture_column:
            row = (st.slider("Row", 0, height - 1, strong_row, key="edges_row", bind="query-params")
                   if height > 1 else 0)
            col = (st.slider("Column", 0, width - 1, strong_col, key="edges_col", bind="query-params")
                   if width > 1 else 0)
        vector = step(edges.pixel_gradient, grey, row=row, col=col, operator=operator)
        with grid_column:
            show_chart(step(charts.gradient_grid, grey, row=row, col=col, vector=vector),
                       alt=f"The 5 × 5 grey values around row {row}, column {col}, the gradient drawn as an arrow")
        st.markdown(f"Pixel (row y = {row}, column x = {col}): multiply its 3 × 3 neighbourhood by each "
                    f"{OPERATORS[operator]} kernel, cell by cell (⊙), and add up the nine products.")
        # One formula per line: two side by side do not fit a projector's 1280 pixels.
        st.latex(r"g_x = \sum " + matrix(kx) + r"\odot" + matrix(vector.neighbourhood) + f"= {vector.gx:g}")
        st.latex(r"g_y = \sum " + matrix(ky) + r"\odot" + matrix(vector.neighbourhood) + f"= {vector.gy:g}")
        st.latex(rf"|\nabla I| = \sqrt{{({vector.gx:g})^2 + ({vector.gy:g})^2}} = {vector.magnitude:.1f},\qquad "
                 rf"\theta = \operatorname{{atan2}}({vector.gy:g},\ {vector.gx:g}) = {vector.angle:.1f}^\circ")
        st.caption("0° points right, 90° down (rows grow downwards), 180° left, 270° up. At the image border the "
                   "missing neighbours are mirrored (OpenCV's default border)."
                   + (" Where the gradient is 0 it has no direction: atan2(0, 0) is 0° by convention."
                      if vector.magnitude == 0 else ""))

    pixel_view()

    # The code, right under the pictures it reproduces ------------------------------------------------
    show_code(
        f"{GREY_LINE}\n{GRADIENT_CODE[operator].format(kx=kx.tolist())}\n"
        "result = np.hypot(gx, gy)  # magnitude\n"
        "direction = np.degrees(np.arctan2(gy, gx)) % 360  # 0 = right, 90 = down",
        source=source, result=grad.magnitude, title="The code: gradients",
    )


gradients_section()

# 5. Laplacian and Laplacian of Gaussian -----------------------------------------------------------


@st.fragment
def laplacian_section() -> None:
    st.header("Second derivative: Laplacian and Laplacian of Gaussian", anchor=False)
    st.markdown(
        "The Laplacian $\\nabla^2 I = \\partial^2 I/\\partial x^2 + \\partial^2 I/\\partial y^2$ is zero where the "
        "slope is steepest, and changes sign there: edges are its **zero crossings**. It amplifies noise even "
        "more than the gradient, so it is usually taken after a Gaussian blur of σ pixels (LoG)."
    )
    controls = st.columns(2)
    sigma = controls[0].slider("LoG σ (px)", 0.5, 6.0, 2.0, 0.5, key="edges_log_sigma", bind="query-params")
    threshold = controls[1].slider("Zero crossing: minimum slope", 0.0, 20.0, 2.0, 0.5, key="edges_zc_threshold",
                                   bind="query-params", help="A crossing counts only if the response changes "
                                   "by at least this much across it: removes crossings of faint ripples.")
    plain = step(edges.response_picture, step(edges.laplacian, grey, ksize=1))
    log = step(edges.laplacian_of_gaussian, grey, sigma=float(sigma))
    log_shown = step(edges.response_picture, log)
    crossings = step(edges.zero_crossings, log, threshold=float(threshold))
    crossing_share = step(edges.count_edges, crossings).share
    if flat:
        st.info(FLAT_NOTE + " The Laplacian and the LoG are 0 at every pixel, so they have no zero crossings.",
                icon=":material/info:")
    else:
        picture_row([
            Picture(plain.image, crisp=True, caption=f"Laplacian (no blur): grey 128 = 0, white "
                                                     f"+{plain.scale:.0f}, black −{plain.scale:.0f}"),
            Picture(log_shown.image, crisp=True, caption=f"LoG, σ = {sigma:g}: grey 128 = 0, white "
                                                         f"+{log_shown.scale:.1f}, black −{log_shown.scale:.1f}"),
            Picture(crossings, crisp=True, caption=f"Zero crossings of the LoG with slope ≥ {threshold:g}: "
                                                   f"{crossing_share:.1%} of the pixels"),
        ])
        st.markdown(
            f"The LoG values are about {plain.scale / log_shown.scale:.0f} times smaller than the plain Laplacian's: "
            "blurring flattens the curvature. Without a threshold the zero crossings form closed curves, round "
            "every faint blob and ripple; the slope threshold keeps the clear ones, and a larger σ keeps only the "
            "coarse structure."
        )
    show_code(
        f"{GREY_LINE}\nblurred = cv2.GaussianBlur(grey.astype(np.float32), (0, 0), {float(sigma)!r})"
        "  # in float: keeps the small differences\n"
        "result = cv2.Laplacian(blurred, cv2.CV_32F, ksize=1)  # signed float32",
        source=source, result=log, title="The code: Laplacian of Gaussian",
    )


laplacian_section()

# 6. Canny, stage by stage --------------------------------------------------------------------------


@st.fragment
def canny_section() -> None:
    """Canny's stages, the noise comparison, what to notice, the code and where it breaks: all of it follows
    the Canny controls and none of it the operator above, so it reruns on its own."""
    st.header("Canny, stage by stage", anchor=False)
    st.markdown(
        "Canny turns the gradient into thin, connected lines in four steps: **smooth** (Gaussian, σ), take the "
        "**gradient magnitude** (Sobel), keep only pixels that are a maximum across the edge (**non-maximum "
        "suppression**), then **hysteresis**: ridge pixels above the high threshold are edges, those between "
        "the thresholds are kept only if they connect to one."
    )
    canny_controls = st.columns([1, 2])
    canny_sigma = canny_controls[0].slider("Smoothing σ (px)", 0.0, 5.0, 1.4, 0.1, key="edges_canny_sigma",
                                           bind="query-params", help="0 means no smoothing.")
    low, high = canny_controls[1].slider("Thresholds (low, high) on the gradient magnitude", 0, 800, (40, 120),
                                         key="edges_thresholds", bind="query-params")
    shown = step(edges.canny_view, grey, sigma=float(canny_sigma), low=float(low), high=float(high))
    smoothed_caption = f"1 · Smoothed, σ = {canny_sigma:g}" if canny_sigma else "1 · No smoothing"
    if flat:
        st.info(FLAT_NOTE + " Smoothing leaves it unchanged, the gradient magnitude is 0 everywhere, no pixel is a "
                "ridge and hysteresis finds no edge: all four stage pictures would be black.", icon=":material/info:")
        show_image(shown.smoothed, caption=smoothed_caption)
    else:
        picture_row([Picture(shown.smoothed, caption=smoothed_caption),
                     Picture(shown.magnitude_shown, crisp=True,
                             caption=f"2 · Gradient magnitude (white = {shown.scale:.0f} or more)")])
        picture_row([Picture(shown.suppressed_shown, crisp=True,
                             caption=f"3 · Non-maximum suppression: {shown.ridge_pixels:,} ridge pixels left"),
                     Picture(shown.labels_shown, crisp=True,
                             caption="4 · Hysteresis: white strong, blue weak kept, vermillion weak rejected")])

    histogram_column, counts_column = st.columns([3, 1], gap="medium")
    with histogram_column:
        log_scale, _ = histogram_options()
        show_chart(
            step(charts.canny_threshold_chart, shown.histogram, shown.bin_edges, low=low, high=high,
                 log_scale=log_scale),
            alt="Histogram of the ridge pixels' gradient magnitudes ("
                f"{binned_spread(shown.histogram, shown.bin_edges)}) with low = {low} and high = {high} marked",
            caption="Grey: below low, dropped. Purple: between the thresholds (weak): picture 4 shows those "
                    "connected to a strong pixel in blue (kept) and the others in vermillion (rejected). Dark: above "
                    "high, always edges (white in picture 4)."
                    + (" This image has no ridge pixels, so the histogram is empty." if shown.ridge_pixels == 0
                       else ""),
        )
    with counts_column:
        st.metric("Strong (> high)", f"{shown.counts[edges.STRONG]:,}")
        st.metric("Weak, kept", f"{shown.counts[edges.WEAK_KEPT]:,}")
        st.metric("Weak, rejected", f"{shown.counts[edges.WEAK_REJECTED]:,}")

    # 7. Noise versus edges ---------------------------------------------------------------------------------
    smooth_sigma = float(canny_sigma) if canny_sigma > 0 else 1.4

    @st.fragment
    def noise_section() -> None:
        """Canny on a noisy copy, with and without smoothing: the noise slider reruns only this."""
        st.header("Noise versus edges: why Canny smooths first", anchor=False)
        noise_sigma = st.slider("Noise σ added to the grey image (grey levels, seed 0)", 0, 60, 20, key="edges_noise",
                                bind="query-params")
        noise = step(edges.canny_on_noise, grey, noise_sigma=float(noise_sigma), sigma=smooth_sigma, low=float(low),
                     high=float(high))
        picture_row([
            Picture(noise.noisy, caption=f"Grey image with Gaussian noise, σ = {noise_sigma}"),
            Picture(noise.raw_edges, crisp=True,
                    caption=f"Canny without smoothing: {noise.raw_count:,} edge pixels, "
                            f"{noise.raw_match:.0%} near a true edge"),
            Picture(noise.smooth_edges, crisp=True,
                    caption=f"Canny after a Gaussian of σ = {smooth_sigma:g}: {noise.smooth_count:,} edge "
                            f"pixels, {noise.smooth_match:.0%} near a true edge"),
        ])
        if flat:
            finding = (f"With noise σ = {noise_sigma}, every edge Canny finds is invented by the noise: "
                       f"{noise.raw_count:,} edge pixels without smoothing, {noise.smooth_count:,} with it.")
        else:
            finding = (f"With noise σ = {noise_sigma}, skipping the smoothing gives {noise.raw_count:,} edge pixels "
                       f"of which {noise.raw_match:.0%} lie near a real edge; smoothing first gives "
                       f"{noise.smooth_count:,}, {noise.smooth_match:.0%}.")
        st.markdown(
            f"{finding} Same thresholds ({low}, {high}) in both. “Near a true edge” means within 1 pixel of an "
            f"edge that Canny (σ = {smooth_sigma:g}) finds on the image without noise."
            + (" When Canny finds nothing, the share is 100 % (no pixel is a false edge)."
               if 0 in (noise.raw_count, noise.smooth_count) else "")
        )

    noise_section()

    # 8. What to notice --------------------------------------------------------------------------------------
    st.subheader("What to notice", anchor=False)
    if flat:
        st.markdown(
            "Nothing changes anywhere in this image, so the gradient magnitude is 0 everywhere and Canny marks "
            f"{shown.edge_share:.1%} of the pixels as edges; with noise added, every edge it finds is invented."
        )
    else:
        st.markdown(
            f"The strongest change in this image is at row {strong_row}, column {strong_col}, where the smoothed "
            f"image changes fastest. Canny with thresholds ({low}, {high}) marks {shown.edge_share:.1%} of the "
            f"pixels as edges: {shown.counts[edges.STRONG]:,} strong and {shown.counts[edges.WEAK_KEPT]:,} weak "
            f"ones kept because they touch a strong line, while {shown.counts[edges.WEAK_REJECTED]:,} weak ridge "
            "pixels were rejected as isolated."
        )

    # The code, right under the result it reproduces ---------------------------------------------------
    smooth_line = (f"smoothed = cv2.GaussianBlur(grey, (0, 0), {float(canny_sigma)!r})  # cv2.Canny does not "
                   "smooth\n" if canny_sigma > 0 else "smoothed = grey  # no smoothing\n")
    show_code(
        f"{GREY_LINE}\n{smooth_line}"
        f"edges = cv2.Canny(smoothed, {low}, {high}, L2gradient=True)  # 0 or 255; L2 = true magnitude\n"
        "result = edges > 0",
        source=source, result=shown.edges, title="The code: Canny",
    )

    # 9. Where it breaks ------------------------------------------------------------------------------------------
    st.header("Where it breaks: edges are not outlines", anchor=False)
    st.markdown(
        f"Canny found {shown.pieces:,} separate pieces of edge here (each in its own colour below). Edges stop where "
        "the contrast fades, split at junctions and include texture, so they rarely close into the outline of an "
        "object, and an open outline cannot be filled to give the object's pixels. To get objects, decide for "
        "every pixel whether it belongs (thresholding) or group similar pixels into regions (segmentation)."
    )
    fragment_columns = st.columns([2, 1])
    with fragment_columns[0]:
        if shown.pieces == 0:
            st.info("With these settings Canny finds no edge in this image, so there are no pieces to colour"
                    + (" (the image is one flat grey)." if flat else ": lower the thresholds."),
                    icon=":material/info:")
        else:
            show_image(shown.pieces_shown, crisp=True,
                       caption=f"{shown.pieces:,} separate edge pieces (8-connected), one colour each")
    with fragment_columns[1]:
        lesson_link("thresholding", "Thresholding: objects from brightness")
        lesson_link("segmentation", "Segmentation: regions that belong together")


canny_section()

# 10. Check yourself ------------------------------------------------------------------------------------------------
st.header("Check yourself", anchor=False)
# The strongest edge of the top half, so the exercise asks about another pixel than the look-closer default.
quiz_row, quiz_col = step(edges.strongest_edge, step(crop, grey, top=0, left=0, bottom=max(1, height // 2),
                                                     right=width))
quiz = step(edges.pixel_gradient, grey, row=quiz_row, col=quiz_col, operator="sobel")
numeric_exercise(
    "edges_gx", number=1,
    question=f"With **Sobel** kernels, what is $g_x$ at row {quiz_row}, column {quiz_col}? Use the look-closer "
             "view above.",
    answer=quiz.gx, tolerance=0.5,
    hint="Set Row and Column in the look-closer view with Sobel chosen, or multiply the 3 × 3 neighbourhood "
         "by [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]] and add up.",
    explanation=f"gx = {quiz.gx:g} (and gy = {quiz.gy:g}, magnitude {quiz.magnitude:.1f}).",
)
ways = ["right", "down", "left", "up"]
if quiz.magnitude == 0:
    st.info("Exercise 2 asks which way the gradient points at that pixel, but the gradient there is 0 (the top half "
            "of this image is flat), so it points nowhere. Open an image with an edge in its top half to try it.",
            icon=":material/info:")
else:
    pointing = ways[int(round(quiz.angle / 90.0)) % 4]
    choice_exercise(
        "edges_direction", number=2,
        question=f"At that same pixel (row {quiz_row}, column {quiz_col}), which way does the gradient point, "
                 "to the nearest of four directions?",
        options=ways, correct=pointing,
        hint="The gradient points towards brighter. Compare gx and gy: the larger one in size wins, its sign "
             "gives the side (rows grow downwards).",
        explanation=f"The angle is {quiz.angle:.0f}°, closest to {pointing}: the image gets brighter that way.",
    )
option_edges = {name: step(edges.canny_opencv, grey, sigma=1.4, low=high / 2, high=float(high))
                for name, high in OPTION_HIGHS.items()}
option_counts = {name: step(edges.count_edges, found).pixels for name, found in option_edges.items()}
if len(set(option_counts.values())) == 1:
    st.info(f"Exercise 3 compares Canny edges at three thresholds, but on this image all three find the same "
            f"number of edge pixels ({option_counts['A']:,}), so the pictures cannot tell them apart. Open an "
            "image with more contrast to try it.", icon=":material/info:")
else:
    choice_exercise(
        "edges_high", number=3,
        question="These are Canny edges of the grey image (σ = 1.4, low = high / 2) with three different high "
                 "thresholds. Which one used the **highest** high threshold?",
        options=list(OPTION_HIGHS), correct="B",
        hint="A higher threshold means fewer pixels start an edge: look for the sparsest lines.",
        pictures=list(option_edges.values()),
        explanation="B used 300, A 150 and C 60; here they hold "
                    + ", ".join(f"{name} {count:,}" for name, count in option_counts.items()) + " edge pixels.",
    )

finish_lesson("edges")
