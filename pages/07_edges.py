"""Lesson: Edge detection."""

import numpy as np
import plotly.graph_objects as go
import streamlit as st
from streamlit_image_coordinates import streamlit_image_coordinates

from processing import edges
from processing.color import to_gray
from processing.filters import add_gaussian_noise
from ui.charts import PLOT_CONFIG, histogram_options, pixel_grid_figure
from ui.code import show_code
from ui.display import before_after, fit_width, show_image
from ui.exercises import choice_exercise, numeric_exercise
from ui.page import finish_lesson, keep_in_range, lesson_link, start_lesson
from ui.url import url_choice

lesson, source = start_lesson("edges")
img = source.image
height, width = img.shape[:2]
is_colour = img.ndim == 3

OPERATORS = {"sobel": "Sobel", "prewitt": "Prewitt", "scharr": "Scharr"}
NOISE_SEED = 0


# Cached steps, keyed on the image's identity plus the parameters (never on the array) ------------
@st.cache_data(max_entries=16, show_spinner=False)
def grey_of(key: str, _image: np.ndarray) -> np.ndarray:
    return to_gray(_image) if _image.ndim == 3 else _image


@st.cache_data(max_entries=16, show_spinner=False)
def gradient_images(key: str, operator: str, _grey: np.ndarray):
    gx, gy = edges.gradients(_grey, operator=operator)
    magnitude = edges.gradient_magnitude(gx, gy)
    scale = edges.display_scale(magnitude)
    signed_scale = edges.display_scale(np.concatenate([gx.ravel(), gy.ravel()]))
    return {
        "gx": gx, "gy": gy, "magnitude": magnitude, "scale": scale, "signed_scale": signed_scale,
        "gx_shown": edges.signed_to_uint8(gx, max_abs=signed_scale),
        "gy_shown": edges.signed_to_uint8(gy, max_abs=signed_scale),
        "magnitude_shown": edges.magnitude_to_uint8(magnitude, max_value=scale),
        "direction_shown": edges.direction_to_rgb(gx, gy, max_magnitude=scale),
    }


@st.cache_data(max_entries=16, show_spinner=False)
def canny(key: str, sigma: float, low: float, high: float, _grey: np.ndarray) -> edges.CannyStages:
    return edges.canny_stages(_grey, sigma=sigma, low=low, high=high)


@st.cache_data(max_entries=16, show_spinner=False)
def noisy_grey(key: str, sigma: float, _grey: np.ndarray) -> np.ndarray:
    return add_gaussian_noise(_grey, sigma=sigma, seed=NOISE_SEED)


@st.cache_data(max_entries=16, show_spinner=False)
def strongest(key: str, _grey: np.ndarray) -> tuple[int, int]:
    return edges.strongest_edge(_grey)



grey = grey_of(source.key, img)

# 1. The idea ------------------------------------------------------------------------------------
st.markdown(
    "An edge is where brightness changes quickly. Two small kernels measure the change at every pixel: "
    "$g_x$, how much brighter it gets to the right, and $g_y$, how much brighter it gets downwards. "
    "Together they form the **gradient**, an arrow pointing towards brighter; its length is the edge "
    "strength and its angle is across the edge:"
)
st.latex(r"|\nabla I| = \sqrt{g_x^2 + g_y^2},\qquad \theta = \operatorname{atan2}(g_y,\, g_x)")
if is_colour:
    st.info(
        "Edge detectors work on one channel, so this colour image is first converted to grey with the "
        "luminance weights 0.299 R + 0.587 G + 0.114 B (`cv2.cvtColor(img, cv2.COLOR_RGB2GRAY)`).",
        icon=":material/filter_b_and_w:",
    )

# 2. Controls ------------------------------------------------------------------------------------
st.header("Gradients", anchor=False)
operator = url_choice(st.segmented_control, "Derivative kernels", OPERATORS, key="edges_operator", default="sobel",
                      help="Sobel weights the centre row twice, Prewitt weighs all three alike, Scharr is "
                           "more accurate for diagonal directions.")
grad = gradient_images(source.key, operator, grey)
kx, ky = edges.operator_kernels(operator)

# 3. Before and after, then the stages -----------------------------------------------------------
before_after(
    grey, grad["magnitude_shown"], key="edges_grad", crisp_after=True,
    before_caption="Grey input" + (" (luminance of the colour image)" if is_colour else ""),
    after_caption=f"Gradient magnitude √(gx² + gy²), {OPERATORS[operator]}: shown as 255 × value / "
                  f"{grad['scale']:.0f}, brighter values clipped",
)
st.caption(
    f"Display mapping: the magnitude runs from 0 to {float(grad['magnitude'].max()):.0f}; "
    f"{grad['scale']:.0f} (the 99.5th percentile) is drawn white so that a few extreme pixels do not turn "
    "every other edge dark grey."
)
columns = st.columns([2, 2, 2, 1])
with columns[0]:
    show_image(grad["gx_shown"], crisp=True,
               caption=f"gx (brighter to the right): grey 128 = 0, white = +{grad['signed_scale']:.0f}, "
                       f"black = −{grad['signed_scale']:.0f}")
with columns[1]:
    show_image(grad["gy_shown"], crisp=True,
               caption="gy (brighter downwards), same mapping: grey 128 = 0, white positive, black negative")
with columns[2]:
    show_image(grad["direction_shown"], crisp=True,
               caption="Direction as hue, strength as brightness (legend on the right)")
with columns[3]:
    show_image(edges.direction_legend(size=121), crisp=True,
               caption="Legend: colour of a gradient pointing from the centre (red → right, down is "
                       "yellow-green, left cyan, up violet)")

# 4. Look closer: one pixel's gradient ------------------------------------------------------------
st.header("Look closer: one pixel's gradient vector", anchor=False)
st.markdown("Click on the direction picture or set the row and column. The arrow points towards brighter; "
            "it crosses the edge, it does not run along it.")
default_row, default_col = strongest(source.key, grey)
click_width = min(width, 480)
picture_column, grid_column = st.columns([1, 1], gap="medium")
with picture_column:
    clicked = streamlit_image_coordinates(
        fit_width(grad["direction_shown"], max_width=click_width), key="edges_click", width=click_width,
        image_format="PNG", cursor="crosshair",
    )
if clicked is not None and clicked.get("unix_time") != st.session_state.get("edges_last_click"):
    st.session_state["edges_last_click"] = clicked.get("unix_time")
    st.session_state["edges_row"] = min(height - 1, int(clicked["y"] * height / clicked["height"]))
    st.session_state["edges_col"] = min(width - 1, int(clicked["x"] * width / clicked["width"]))
keep_in_range("edges_row", 0, height - 1)
keep_in_range("edges_col", 0, width - 1)
with picture_column:
    row = st.slider("Row", 0, height - 1, default_row, key="edges_row", bind="query-params") if height > 1 else 0
    col = st.slider("Column", 0, width - 1, default_col, key="edges_col", bind="query-params") if width > 1 else 0
vector = edges.pixel_gradient(grey, row=row, col=col, operator=operator)
window_top, window_left = max(row - 2, 0), max(col - 2, 0)
window = grey[window_top : row + 3, window_left : col + 3]
with grid_column:
    figure = pixel_grid_figure(window, origin=(window_top, window_left), highlight=(row, col), height=360)
    if vector.magnitude > 0:
        # Arrow of fixed length 1.6 pixels in the gradient's direction (y grows downwards, as in the image).
        length = 1.6 / vector.magnitude
        figure.add_annotation(
            x=col + vector.gx * length, y=row + vector.gy * length, ax=col, ay=row, xref="x", yref="y",
            axref="x", ayref="y", showarrow=True, arrowhead=3, arrowsize=1.2, arrowwidth=4, arrowcolor="#d62728",
        )
    st.plotly_chart(figure, key="edges_grid", config=PLOT_CONFIG)


def matrix(values: np.ndarray) -> str:
    rows = [" & ".join(f"{v:g}" for v in row) for row in values]
    return r"\begin{bmatrix}" + r" \\ ".join(rows) + r"\end{bmatrix}"


st.markdown(f"Pixel (row {row}, column {col}): multiply its 3 × 3 neighbourhood by each {OPERATORS[operator]} "
            "kernel, cell by cell (⊙), and add up the nine products.")
formula_columns = st.columns(2)
with formula_columns[0]:
    st.latex(r"g_x = \sum " + matrix(kx) + r"\odot" + matrix(vector.neighbourhood) + f"= {vector.gx:g}")
    st.latex(rf"|\nabla I| = \sqrt{{({vector.gx:g})^2 + ({vector.gy:g})^2}} = {vector.magnitude:.1f}")
with formula_columns[1]:
    st.latex(r"g_y = \sum " + matrix(ky) + r"\odot" + matrix(vector.neighbourhood) + f"= {vector.gy:g}")
    st.latex(rf"\theta = \operatorname{{atan2}}({vector.gy:g},\ {vector.gx:g}) = {vector.angle:.1f}^\circ")
st.caption("0° points right, 90° down (rows grow downwards), 180° left, 270° up. At the image border the "
           "missing neighbours are mirrored (OpenCV's default border).")

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
    plain = edges.laplacian(grey, ksize=1)
    log = edges.laplacian_of_gaussian(grey, sigma=sigma)
    crossings = edges.zero_crossings(log, threshold=threshold)
    plain_scale, log_scale = edges.display_scale(plain), edges.display_scale(log)
    panels = st.columns(3)
    with panels[0]:
        show_image(edges.signed_to_uint8(plain, max_abs=plain_scale), crisp=True,
                   caption=f"Laplacian (no blur): grey 128 = 0, white +{plain_scale:.0f}, black −{plain_scale:.0f}")
    with panels[1]:
        show_image(edges.signed_to_uint8(log, max_abs=log_scale), crisp=True,
                   caption=f"LoG, σ = {sigma:g}: grey 128 = 0, white +{log_scale:.1f}, black −{log_scale:.1f}")
    with panels[2]:
        show_image(crossings, crisp=True, caption=f"Zero crossings of the LoG with slope ≥ {threshold:g}: "
                                                  f"{crossings.mean():.1%} of the pixels")
    st.markdown(
        f"The LoG values are about {plain_scale / log_scale:.0f} times smaller than the plain Laplacian's: "
        "blurring flattens the curvature. Without a threshold the zero crossings form closed curves, round every "
        "faint blob and ripple; the slope threshold keeps the clear ones, and a larger σ keeps only the coarse "
        "structure."
    )
    show_code(
        "grey = " + ("cv2.cvtColor(img, cv2.COLOR_RGB2GRAY)" if is_colour else "img") + "\n"
        f"blurred = cv2.GaussianBlur(grey.astype(np.float32), (0, 0), {float(sigma)!r})"
        "  # in float: keeps the small differences\n"
        "result = cv2.Laplacian(blurred, cv2.CV_32F, ksize=1)  # signed float32",
        source=source, result=log, title="The code: Laplacian of Gaussian",
    )


laplacian_section()

# 6. Canny, stage by stage --------------------------------------------------------------------------
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
stages = canny(source.key, float(canny_sigma), float(low), float(high), grey)
counts = edges.hysteresis_counts(stages.labels)
ridge = stages.suppressed[stages.suppressed > 0]
canny_scale = edges.display_scale(stages.magnitude)
stage_columns = st.columns(2) + st.columns(2)
with stage_columns[0]:
    show_image(stages.smoothed, caption=f"1 · Smoothed, σ = {canny_sigma:g}" if canny_sigma else "1 · No smoothing")
with stage_columns[1]:
    show_image(edges.magnitude_to_uint8(stages.magnitude, max_value=canny_scale), crisp=True,
               caption=f"2 · Gradient magnitude (white = {canny_scale:.0f} or more)")
with stage_columns[2]:
    show_image(edges.magnitude_to_uint8(stages.suppressed, max_value=canny_scale), crisp=True,
               caption=f"3 · Non-maximum suppression: {ridge.size:,} ridge pixels left")
with stage_columns[3]:
    show_image(edges.edge_labels_to_rgb(stages.labels), crisp=True,
               caption="4 · Hysteresis: white strong, blue weak kept, vermillion weak rejected")

histogram_column, counts_column = st.columns([3, 1], gap="medium")
with histogram_column:
    top = max(float(ridge.max()) if ridge.size else 1.0, high + 1.0)  # keep the high threshold on the axis
    hist_counts, bin_edges = edges.magnitude_histogram(stages.suppressed, bins=80, max_value=top)
    centres = (bin_edges[:-1] + bin_edges[1:]) / 2
    colours = np.where(centres > high, "#444444", np.where(centres > low, "#56b4e9", "#d0d0d0"))
    figure = go.Figure(go.Bar(x=centres, y=hist_counts, width=bin_edges[1] - bin_edges[0], marker_color=colours,
                              hovertemplate="magnitude %{x:.0f}: %{y:,} ridge pixels<extra></extra>"))
    figure.add_vline(x=low, line_color="#d55e00", line_width=2, annotation_text=f"low {low}",
                     annotation_position="top left")
    figure.add_vline(x=high, line_color="#000000", line_width=2, annotation_text=f"high {high}",
                     annotation_position="top right")
    log_scale, _ = histogram_options()
    figure.update_layout(
        height=260, margin={"l": 10, "r": 10, "t": 30, "b": 10}, showlegend=False, bargap=0,
        xaxis={"title": {"text": "gradient magnitude of the ridge pixels (after non-maximum suppression)"}},
        yaxis={"title": {"text": "ridge pixels"}, "type": "log" if log_scale else "linear"},
    )
    st.plotly_chart(figure, key="edges_canny_hist", config=PLOT_CONFIG)
    st.caption("Grey bars: below low, dropped. Blue: between the thresholds, kept only when connected to a strong "
               "pixel. Dark: above high, always edges.")
with counts_column:
    st.metric("Strong (> high)", f"{counts[edges.STRONG]:,}")
    st.metric("Weak, kept", f"{counts[edges.WEAK_KEPT]:,}")
    st.metric("Weak, rejected", f"{counts[edges.WEAK_REJECTED]:,}")

# 7. Noise versus edges ---------------------------------------------------------------------------------
st.header("Noise versus edges: why Canny smooths first", anchor=False)
noise_sigma = st.slider("Noise σ added to the grey image (grey levels, seed 0)", 0, 60, 20, key="edges_noise",
                        bind="query-params")
noisy = noisy_grey(source.key, float(noise_sigma), grey)
smooth_sigma = float(canny_sigma) if canny_sigma > 0 else 1.4
raw_stages = canny(f"{source.key}:noise{noise_sigma}", 0.0, float(low), float(high), noisy)
smooth_stages = canny(f"{source.key}:noise{noise_sigma}", smooth_sigma, float(low), float(high), noisy)
reference = canny(source.key, smooth_sigma, float(low), float(high), grey).edges
raw_match = edges.edge_match(reference, raw_stages.edges)
smooth_match = edges.edge_match(reference, smooth_stages.edges)
noise_columns = st.columns(3)
with noise_columns[0]:
    show_image(noisy, caption=f"Grey image with Gaussian noise, σ = {noise_sigma}")
with noise_columns[1]:
    show_image(raw_stages.edges, crisp=True,
               caption=f"Canny without smoothing: {raw_stages.edges.sum():,} edge pixels, "
                       f"{raw_match:.0%} near a true edge")
with noise_columns[2]:
    show_image(smooth_stages.edges, crisp=True,
               caption=f"Canny after a Gaussian of σ = {smooth_sigma:g}: {smooth_stages.edges.sum():,} edge "
                       f"pixels, {smooth_match:.0%} near a true edge")
st.caption(f"Same thresholds ({low}, {high}) in both. “Near a true edge” means within 1 pixel of an edge that "
           f"Canny (σ = {smooth_sigma:g}) finds on the image without noise.")

# 8. What to notice --------------------------------------------------------------------------------------
st.subheader("What to notice", anchor=False)
edge_share = stages.edges.mean()
strong_row, strong_col = default_row, default_col
st.markdown(
    f"The strongest change in this image is at row {strong_row}, column {strong_col}, where the smoothed image "
    f"changes fastest; the brightest magnitude anywhere is {float(grad['magnitude'].max()):.0f}. "
    f"Canny with thresholds ({low}, {high}) marks {edge_share:.1%} of the pixels as edges: "
    f"{counts[edges.STRONG]:,} strong and {counts[edges.WEAK_KEPT]:,} weak ones kept because they touch a strong "
    f"line, while {counts[edges.WEAK_REJECTED]:,} weak ridge pixels were rejected as isolated. "
    f"With noise σ = {noise_sigma}, skipping the smoothing gives {raw_stages.edges.sum():,} edge pixels of which "
    f"{raw_match:.0%} lie near a real edge; smoothing first gives {smooth_stages.edges.sum():,}, {smooth_match:.0%}."
)

# 9. Where it breaks ------------------------------------------------------------------------------------------
st.header("Where it breaks: edges are not outlines", anchor=False)
pieces, coloured = edges.edge_fragments(stages.edges)
st.markdown(
    f"Canny found {pieces:,} separate pieces of edge here (each in its own colour below). Edges stop where the "
    "contrast fades, split at junctions and include texture, so they rarely close into the outline of an "
    "object, and an open outline cannot be filled to give the object's pixels. To get objects, decide for "
    "every pixel whether it belongs (thresholding) or group similar pixels into regions (segmentation)."
)
fragment_columns = st.columns([2, 1])
with fragment_columns[0]:
    show_image(coloured, crisp=True, caption=f"{pieces:,} separate edge pieces (8-connected), one colour each")
with fragment_columns[1]:
    lesson_link("thresholding", "Thresholding: objects from brightness")
    lesson_link("segmentation", "Segmentation: regions that belong together")

# 10. The code --------------------------------------------------------------------------------------------------
grey_line = "grey = cv2.cvtColor(img, cv2.COLOR_RGB2GRAY)  # luminance" if is_colour else "grey = img"
if operator == "sobel":
    gradient_code = ("gx = cv2.Sobel(grey, cv2.CV_32F, 1, 0, ksize=3)  # signed float32\n"
                     "gy = cv2.Sobel(grey, cv2.CV_32F, 0, 1, ksize=3)")
elif operator == "scharr":
    gradient_code = "gx = cv2.Scharr(grey, cv2.CV_32F, 1, 0)  # signed float32\ngy = cv2.Scharr(grey, cv2.CV_32F, 0, 1)"
else:
    gradient_code = (f"kx = np.array({kx.tolist()})  # Prewitt: OpenCV has no function for it\n"
                     "gx = cv2.filter2D(grey, cv2.CV_32F, kx)  # signed float32\n"
                     "gy = cv2.filter2D(grey, cv2.CV_32F, kx.T)")
show_code(
    f"{grey_line}\n{gradient_code}\n"
    "result = np.hypot(gx, gy)  # magnitude\n"
    "direction = np.degrees(np.arctan2(gy, gx)) % 360  # 0 = right, 90 = down",
    source=source, result=grad["magnitude"], title="The code: gradients",
)
smooth_line = (f"smoothed = cv2.GaussianBlur(grey, (0, 0), {float(canny_sigma)!r})  # cv2.Canny does not smooth\n"
               if canny_sigma > 0 else "smoothed = grey  # no smoothing\n")
show_code(
    f"{grey_line}\n{smooth_line}"
    f"edges = cv2.Canny(smoothed, {low}, {high}, L2gradient=True)  # 0 or 255; L2 = true magnitude\n"
    "result = edges > 0",
    source=source, result=stages.edges, title="The code: Canny",
)

# 11. Check yourself ------------------------------------------------------------------------------------------------
st.header("Check yourself", anchor=False)
top_half = grey[: max(1, height // 2)]
quiz_row, quiz_col = edges.strongest_edge(top_half)
quiz = edges.pixel_gradient(grey, row=quiz_row, col=quiz_col, operator="sobel")
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
option_highs = {"A": 150, "B": 300, "C": 60}
option_edges = {name: canny(source.key, 1.4, value / 2, float(value), grey).edges
                for name, value in option_highs.items()}
choice_exercise(
    "edges_high", number=3,
    question="These are Canny edges of the grey image (σ = 1.4, low = high / 2) with three different high "
             "thresholds. Which one used the **highest** high threshold?",
    options=list(option_highs), correct="B", pictures=list(option_edges.values()),
    hint="A higher threshold means fewer pixels start an edge: look for the sparsest lines.",
    explanation="B used 300, A 150 and C 60; here they hold "
                + ", ".join(f"{name} {int(edges_.sum()):,}" for name, edges_ in option_edges.items())
                + " edge pixels.",
)

finish_lesson("edges")
