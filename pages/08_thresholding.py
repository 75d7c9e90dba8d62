"""Lesson: Thresholding."""

from typing import NamedTuple

import numpy as np
import streamlit as st

from processing import threshold
from processing.color import to_gray
from processing.samples import load_sample
from processing.stats import CHANNEL_NAMES
from ui.cache import cached_step
from ui.charts import LEVEL_TICKS, histogram_options, histogram_svg, image_histograms, show_chart
from ui.code import show_code
from ui.display import Picture, picture_row, show_image
from ui.exercises import choice_exercise, numeric_exercise, target_exercise
from ui.lessons import LESSONS_BY_SLUG
from ui.page import finish_lesson, keep_in_range, start_lesson
from ui.svg import FULL_WIDTH, Band, Line, Marker, line_chart
from ui.url import url_choice



@cached_step(max_entries=16)
def grey_version(key: str, _img: np.ndarray) -> np.ndarray:
    """The grey image every threshold compares with (the image itself when it is grey), once per image."""
    return to_gray(_img) if _img.ndim == 3 else _img


lesson, source = start_lesson("thresholding")
img = source.image
is_colour = img.ndim == 3
gray = grey_version(source.key, img)  # every threshold compares one number per pixel
height, width = gray.shape
morphology_page = LESSONS_BY_SLUG["morphology"].page

SELECTED_COLOUR = (255, 0, 0)  # ImageJ's red for "selected"
SELECTED_CSS = "#ff0000"  # shaded at 15 % opacity on the histogram
AUTO_LABELS = {
    "otsu": "Otsu",
    "li": "Li (minimum cross-entropy)",
    "yen": "Yen (maximum entropy)",
    "isodata": "Isodata (iterated means)",
    "mean": "Mean grey level",
    "minimum": "Minimum (valley between two peaks)",
    "triangle": "Triangle",
}


class Basics(NamedTuple):
    """What every mode needs: Otsu's value (as OpenCV computes it), its curve and the number of grey levels."""

    otsu_t: int
    curve: np.ndarray
    levels: int


class Selection(NamedTuple):
    """One threshold's mask, the share it selects and the input with the selection tinted red."""

    mask: np.ndarray
    fraction: float
    count: int


class Classes(NamedTuple):
    """Multi-Otsu with three classes: thresholds (or why there are none), display picture, shares."""

    thresholds: tuple[int, ...]
    reason: str | None
    picture: np.ndarray
    shares: tuple[float, ...]


class Adaptive(NamedTuple):
    """An adaptive threshold: its mask, the tinted input, the local threshold surface and its range."""

    mask: np.ndarray
    overlay: np.ndarray
    surface: np.ndarray
    low: int
    high: int
    fraction: float


class PagePictures(NamedTuple):
    """The scanned page for "Where it breaks" and exercise 3: global Otsu, adaptive and t = 200, tinted."""

    page: np.ndarray
    otsu_t: int
    left_quarter_share: float
    global_overlay: np.ndarray
    local_overlay: np.ndarray
    fixed_overlay: np.ndarray


@cached_step(max_entries=16)
def otsu_basics(key: str, _gray: np.ndarray) -> Basics:
    """Otsu's threshold, the between-class variance curve and the count of grey levels, once per image."""
    return Basics(threshold.otsu_threshold(_gray), threshold.between_class_variance(_gray),
                  int(np.count_nonzero(image_histograms(_gray)[0])))


@cached_step(max_entries=32)
def selection(key: str, t: int, dark: bool, _gray: np.ndarray) -> Selection:
    """The mask of one threshold, once per (image, t, direction)."""
    result = threshold.manual_threshold(_gray, threshold=t, dark_objects=dark)
    return Selection(result.mask, result.fraction, int(np.count_nonzero(result.mask)))


@cached_step(max_entries=16)
def selection_overlay(key: str, t: int, dark: bool, _gray: np.ndarray) -> np.ndarray:
    """The grey input with the pixels one threshold selects tinted red."""
    return threshold.overlay_mask(_gray, selection(key, t, dark, _gray).mask, color=SELECTED_COLOUR, alpha=0.5)


@cached_step(max_entries=32)
def agreement(key: str, t_a: int, t_b: int, dark: bool, _gray: np.ndarray) -> float:
    """IoU of the masks of two thresholds (same direction)."""
    return threshold.mask_iou(selection(key, t_a, dark, _gray).mask, selection(key, t_b, dark, _gray).mask)


@cached_step(max_entries=16)
def automatic_thresholds(key: str, _gray: np.ndarray) -> dict[str, threshold.AutoThreshold]:
    """scikit-image's automatic methods (~40 ms on 2 MP), once per image."""
    return threshold.auto_thresholds(_gray)


@cached_step(max_entries=8)
def three_classes(key: str, _gray: np.ndarray) -> Classes:
    """Multi-Otsu with three classes, once per image."""
    multi = threshold.multi_otsu(_gray, classes=3)
    return Classes(multi.thresholds, multi.reason, threshold.labels_to_gray(multi.labels, classes=3),
                   threshold.class_shares(multi.labels, classes=3))


@cached_step(max_entries=16)
def adaptive(key: str, local_method: str, block: int, offset: int, dark: bool, _gray: np.ndarray) -> Adaptive:
    """The adaptive mask, its overlay and the local threshold surface, once per setting."""
    mask = threshold.adaptive_threshold(_gray, method=local_method, block_size=block, offset=offset,
                                        dark_objects=dark)
    surface = threshold.local_threshold(_gray, method=local_method, block_size=block, offset=offset)
    return Adaptive(mask, threshold.overlay_mask(_gray, mask, color=SELECTED_COLOUR, alpha=0.5), surface,
                    int(surface.min()), int(surface.max()), float(np.count_nonzero(mask)) / mask.size)


@cached_step(max_entries=2)
def page_pictures() -> PagePictures:
    """The scanned page with its global Otsu, adaptive (dark text) and t = 200 selections tinted red."""
    page = load_sample("page")
    otsu = threshold.otsu_threshold(page)
    global_mask = threshold.manual_threshold(page, threshold=otsu, dark_objects=True).mask
    local_mask = threshold.adaptive_threshold(page, method="mean", block_size=25, offset=10, dark_objects=True)
    fixed_mask = threshold.manual_threshold(page, threshold=200, dark_objects=True).mask
    left = global_mask[:, : page.shape[1] // 4]
    return PagePictures(
        page, otsu, float(np.count_nonzero(left)) / max(left.size, 1),
        *(threshold.overlay_mask(page, mask, color=SELECTED_COLOUR) for mask in (global_mask, local_mask, fixed_mask)),
    )


@cached_step(max_entries=32)
def marked_histogram_svg(key: str, lines: tuple[tuple[int, str, str], ...], selected: tuple[float, float] | None,
                         options: tuple[bool, bool], _gray: np.ndarray) -> str:
    """The grey image's histogram with thresholds drawn between the bars they separate.

    Foreground is ``gray > t``, so the line for ``t`` sits at ``t + 0.5``, between
    the last background level and the first foreground one.
    """
    log_scale, cumulative = options
    return histogram_svg(
        image_histograms(_gray), channels=CHANNEL_NAMES[2], log_scale=log_scale, cumulative=cumulative,
        markers=[Marker(value + 0.5, f"{name} = {value}", colour) for value, name, colour in lines],
        bands=[] if selected is None else [Band(*selected, colour=SELECTED_CSS)], height=220,
    )


def marked_histogram(*, lines: list[tuple[int, str, str]], selected: tuple[float, float] | None = None) -> None:
    """Draw the grey image's histogram with threshold lines (the chart is made once per setting)."""
    show_chart(marked_histogram_svg(source.key, tuple(lines), selected, histogram_options(), gray),
               alt="Histogram of the grey image with " + ", ".join(f"{name} = {value}" for value, name, _ in lines)
               + " marked")


@cached_step(max_entries=32)
def variance_svg(key: str, otsu_t: int, compare_t: int, compare_name: str, _curve: np.ndarray) -> str:
    """Otsu's between-class variance for every t, with Otsu's peak and the compared threshold marked."""
    return line_chart(
        [Line(np.arange(256), _curve, "#444444", width=2)],
        x_title="threshold t", y_title="between-class variance σ²B", x_range=(-0.5, 255.5), x_ticks=LEVEL_TICKS,
        markers=[Marker(otsu_t, f"Otsu {otsu_t}", "#2ca02c"),
                 Marker(compare_t, f"{compare_name} {compare_t}", "#d62728", dash=True)],
        width=FULL_WIDTH, height=280,
    )


def selected_range(t: int, dark: bool) -> tuple[float, float]:
    """The histogram span a threshold selects, for shading."""
    return (-0.5, t + 0.5) if dark else (t + 0.5, 255.5)


# 1. The idea -----------------------------------------------------------------------
st.markdown(
    "Thresholding turns a grey image into a binary **mask**: every pixel is compared with one number, the "
    "threshold *t*, and becomes foreground (`gray > t`) or background. When the objects are darker than the "
    "background the comparison flips (`gray <= t`). You can pick *t* by eye on the histogram, or let a method "
    "read it off the histogram: **Otsu's method** tries every *t* and keeps the one that separates the two "
    "classes best, the largest *between-class variance*"
)
st.latex(r"\sigma_B^2(t) = w_0(t)\,w_1(t)\,\bigl(\mu_0(t) - \mu_1(t)\bigr)^2")
st.markdown(
    "where $w_0, w_1$ are the shares of pixels at or below and above *t* and $\\mu_0, \\mu_1$ their mean grey levels."
)
if is_colour:
    st.info(
        "This is a colour image. A threshold compares one number per pixel, so the page first converts it to "
        "grey with gray = 0.299 R + 0.587 G + 0.114 B (`cv2.cvtColor(img, cv2.COLOR_RGB2GRAY)`). "
        "The red overlay of the selected pixels is drawn on that grey version, as in ImageJ.",
        icon=":material/palette:",
    )
st.markdown("**Good images for this lesson** (one click each):")
link_columns = st.columns(3)
link_columns[0].page_link(lesson.page, label="Greek coins: bright objects, Otsu", icon=":material/toll:",
                          query_params={"img": "coins", "thresholding_method": "otsu"})
link_columns[1].page_link(lesson.page, label="Scanned page: uneven light, adaptive", icon=":material/article:",
                          query_params={"img": "page", "thresholding_method": "adaptive", "thresholding_dark": "true"})
link_columns[2].page_link(lesson.page, label="Text on a photo: dark objects, try all", icon=":material/edit_note:",
                          query_params={"img": "text", "thresholding_method": "auto", "thresholding_dark": "true"})

# 2. Controls -------------------------------------------------------------------------
METHODS = {
    "manual": "Manual",
    "otsu": "Otsu",
    "triangle": "Triangle",
    "auto": "Try all",
    "multiotsu": "Three classes",
    "adaptive": "Adaptive (local)",
}
st.header("The threshold dialog", anchor=False)
method = url_choice(st.segmented_control, "Method", METHODS, key="thresholding_method", default="manual")
# Otsu's value (as OpenCV computes it) and its curve: every mode and exercise 1 need them.
basics = otsu_basics(source.key, gray)
otsu_t, curve = basics.otsu_t, basics.curve


@st.fragment
def threshold_dialog() -> tuple[int, bool]:
    """Controls, before and after, look closer, what to notice and the code of the chosen method.

    A fragment: moving one of its controls reruns only this part of the page. Returns (your t, darker).
    """
    controls = st.columns([4, 3, 3, 3])
    dark = controls[0].toggle(
        "Objects are darker than background", key="thresholding_dark", bind="query-params",
        disabled=method == "multiotsu",
        help="Select gray <= t (cv2.THRESH_BINARY_INV) instead of gray > t: the two masks are exact complements.",
    )
    manual_t = controls[1].slider(
        "Your threshold t", 0, 255, 128, key="thresholding_t", bind="query-params",
        disabled=method in ("multiotsu", "adaptive"),
        help="Used by Manual. Otsu, Triangle and Try all mark it on the curve below, to compare.",
    )
    if method == "auto":
        auto_id = url_choice(controls[2].selectbox, "Method shown large", AUTO_LABELS, key="thresholding_auto",
                             default="li")
    if method == "adaptive":
        local_method = controls[2].radio("Local mean", threshold.ADAPTIVE_METHODS, key="thresholding_local",
                                         bind="query-params", horizontal=True,
                                         help="mean: every neighbour counts the same; gaussian: near ones count more.")
        block = controls[3].slider("Block size (pixels)", 3, 255, 35, step=2, key="thresholding_block",
                                   bind="query-params", help="Side of the square neighbourhood whose mean is the local threshold.")
        offset = controls[3].slider("Offset C", -30, 30, 10, key="thresholding_c", bind="query-params",
                                    help="Subtracted from the local mean: a positive C keeps flat regions out of the mask.")

    otsu_selection = selection(source.key, otsu_t, dark, gray)
    otsu_mask = otsu_selection.mask
    constant = basics.levels == 1
    if constant:
        level = int(gray.flat[0])
        if method == "otsu":
            st.warning(f"Otsu needs at least two grey levels; this image has one ({level}), so it has a single grey "
                       f"level and no threshold to find. OpenCV still returns t = {otsu_t}, which means nothing here: "
                       "the result is all or nothing. Pick another image to see Otsu at work.", icon=":material/info:")
        else:
            st.warning(f"This image has a single grey level ({level}): there is nothing to separate, so every "
                       "method gives all or nothing. Pick another image to see thresholds at work.", icon=":material/info:")
    comparison = "<=" if dark else ">"
    gray_line = "gray = cv2.cvtColor(img, cv2.COLOR_RGB2GRAY)" if is_colour else "gray = img  # already grey"
    cv_type = "cv2.THRESH_BINARY_INV" if dark else "cv2.THRESH_BINARY"

    # 3. Before and after --------------------------------------------------------------------
    if method in ("manual", "otsu", "triangle", "auto"):
        fallback_note = ""
        if method == "manual":
            t, t_name, t_source = manual_t, "t", "your choice"
            body = f"{gray_line}\nresult = gray {comparison} {t}"
        elif method == "otsu":
            t, t_name, t_source = otsu_t, "Otsu t", "OpenCV, cv2.THRESH_OTSU"
            body = (f"{gray_line}\nt, _ = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)  # t = {t}.0\n"
                    f"result = gray {comparison} t")
        elif method == "triangle":
            t, t_name, t_source = threshold.triangle_threshold(gray), "triangle t", "OpenCV, cv2.THRESH_TRIANGLE"
            body = (f"{gray_line}\nt, _ = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_TRIANGLE)"
                    f"  # t = {t}.0\nresult = gray {comparison} t")
        else:
            autos = automatic_thresholds(source.key, gray)
            chosen = autos[auto_id]
            if chosen.level is None:
                st.warning(f"{AUTO_LABELS[auto_id]} has no answer for this image: {chosen.reason} "
                           f"The result below uses Otsu's t = {otsu_t} instead.", icon=":material/warning:")
                t, t_name, t_source = otsu_t, "Otsu t", "OpenCV, used instead"
                fallback_note = " (Otsu's, used instead)"
                body = (f"{gray_line}\n# threshold_{auto_id} has no answer for this image; Otsu's is used instead.\n"
                        f"t, _ = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)  # t = {t}.0\n"
                        f"result = gray {comparison} t")
            else:
                t, t_name, t_source = chosen.level, f"{auto_id} t", f"scikit-image: {chosen.threshold:.2f}"
                body = (f"from skimage import filters\n\n{gray_line}\n"
                        f"t = filters.threshold_{auto_id}(gray)  # t = {chosen.threshold:.4g}\nresult = gray {comparison} t")
        thresholded = selection(source.key, t, dark, gray)
        result = thresholded.mask
        selected_count = thresholded.count
        left, right = st.columns(2, gap="medium")
        with left:
            show_image(selection_overlay(source.key, t, dark, gray), crisp=True,
                       caption="Input" + (" (grey version)" if is_colour else "") + ", selected pixels in red")
            marked_histogram(lines=[(t, t_name, "#d62728")], selected=selected_range(t, dark))
        with right:
            show_image(result, crisp=True, caption=f"Result: gray {comparison} {t}, white = selected",
                       alt=f"Binary mask: {thresholded.fraction:.1%} of pixels selected")
            metric_columns = st.columns(3)
            no_otsu = constant and t_name == "Otsu t"  # OpenCV's number for one grey level means nothing
            metric_columns[0].metric(f"Threshold t{fallback_note}", "none" if no_otsu else str(t),
                                     help=f"From {t_source}.")
            metric_columns[1].metric("Pixels selected", f"{thresholded.fraction:.1%}",
                                     help=f"{selected_count:,} of {gray.size:,} pixels")
            metric_columns[2].metric("Otsu's t (OpenCV)", "none" if constant else str(otsu_t),
                                     help="Otsu needs at least two grey levels." if constant else None)
            st.caption("A mask has only two values, so instead of its histogram: the share it selects. "
                       "The red band on the histogram is the selected range of grey levels.")
            if method == "triangle":
                st.caption("Triangle draws a line from the histogram's peak to the end of its longer tail and picks the "
                           "level furthest below it: made for one big peak with a long tail (a few bright objects on a "
                           "large background). scikit-image's version can differ by one grey level.")
    elif method == "multiotsu":
        multi = three_classes(source.key, gray)
        result = multi.picture
        shares = multi.shares
        if multi.reason:
            st.warning(f"{multi.reason} All pixels are put in class 0.", icon=":material/info:")
            body = f"{gray_line}\n# {multi.reason}\nresult = np.zeros(gray.shape, np.uint8)"
            lines = []
        else:
            t1, t2 = multi.thresholds
            lines = [(t1, "t1", "#d62728"), (t2, "t2", "#1f77b4")]
            body = (f"from skimage import filters\n\n{gray_line}\n"
                    f"t1, t2 = filters.threshold_multiotsu(gray, classes=3)  # {t1}, {t2}\n"
                    "labels = np.digitize(gray, [t1, t2], right=True)  # 0: <= t1, 1: (t1, t2], 2: > t2\n"
                    "result = np.array([0, 128, 255], np.uint8)[labels]")
        left, right = st.columns(2, gap="medium")
        with left:
            show_image(gray, caption="Input, grey" + (" (converted from colour)" if is_colour else ""))
            marked_histogram(lines=lines)
        with right:
            show_image(result, crisp=True, caption="Three classes: black, grey, white")
            metric_columns = st.columns(5)
            metric_columns[0].metric("t1 (scikit-image)", str(multi.thresholds[0]) if lines else "—")
            metric_columns[1].metric("t2 (scikit-image)", str(multi.thresholds[1]) if lines else "—")
            for column, name, share in zip(metric_columns[2:], ("dark", "middle", "bright"), shares):
                column.metric(name, f"{share:.1%}", help=f"Share of pixels in the {name} class")
    else:  # adaptive
        local = adaptive(source.key, local_method, block, offset, dark, gray)
        result, surface = local.mask, local.surface
        if block > min(height, width):
            st.info(f"The block ({block} × {block}) is larger than this image ({width} × {height}): every "
                    "neighbourhood reaches past the edges, where OpenCV repeats the border pixels, so the local mean is "
                    "close to one mean for the whole image and adaptive behaves much like a single threshold. "
                    "Make the block smaller than the image to see local thresholds.", icon=":material/info:")
        cv_method = "cv2.ADAPTIVE_THRESH_MEAN_C" if local_method == "mean" else "cv2.ADAPTIVE_THRESH_GAUSSIAN_C"
        body = (f"{gray_line}\nbinary = cv2.adaptiveThreshold(gray, 255, {cv_method}, {cv_type}, {block}, {offset})\n"
                "result = binary > 0  # True where selected")
        global_fraction = otsu_selection.fraction
        st.subheader("First: one threshold for the whole image", anchor=False)
        left, right = st.columns(2, gap="medium")
        with left:
            show_image(gray, caption="Input, grey" + (" (converted from colour)" if is_colour else ""))
            marked_histogram(lines=[(otsu_t, "Otsu t", "#d62728")], selected=selected_range(otsu_t, dark))
        with right:
            show_image(otsu_mask, crisp=True, caption=f"Global: gray {comparison} {otsu_t} (Otsu) everywhere")
            st.markdown(
                f"Otsu's single threshold selects {global_fraction:.1%} of the pixels. Where the lighting is uneven, "
                f"the background itself crosses *t*: the local threshold below ranges from {local.low} to "
                f"{local.high} across this image, and no single number can be right everywhere."
            )
        st.subheader("Then: a threshold for every pixel", anchor=False)
        left, right = st.columns(2, gap="medium")
        with left:
            show_image(local.overlay, crisp=True,
                       caption="Input" + (" (grey version)" if is_colour else "") + ", adaptive selection in red")
        with right:
            show_image(result, crisp=True,
                       caption=f"Adaptive: gray {comparison} local {local_method} of {block} × {block} − {offset}")
            metric_columns = st.columns(2)
            metric_columns[0].metric("Pixels selected", f"{local.fraction:.1%}")
            metric_columns[1].metric("Selected by global Otsu", f"{global_fraction:.1%}")

    # "Try all": every automatic method side by side -----------------------------------------
    if method == "auto":
        st.subheader("Try all: every automatic method on this image", anchor=False)
        st.caption("Values as scikit-image returns them (floats); the mask is gray > t, which for whole-number "
                   "pixels is gray > floor(t).")
        names = list(autos)
        for index, name in enumerate(names):
            if index % 4 == 0:
                montage = st.columns(4)  # a new row of columns keeps the pictures of a row aligned
            answer = autos[name]
            with montage[index % 4]:
                if answer.level is None:
                    st.info(f"{AUTO_LABELS[name]}: no threshold for this image. {answer.reason}", icon=":material/block:")
                    continue
                mask = selection(source.key, answer.level, dark, gray)
                show_image(mask.mask, crisp=True, max_width=420,
                           caption=f"{AUTO_LABELS[name]}: t = {answer.threshold:.1f} → {mask.fraction:.0%} selected")

    # 4. Look closer ------------------------------------------------------------------------------
    if method in ("manual", "otsu", "triangle", "auto"):
        st.header("Look closer: why Otsu picks its value", anchor=False)
        best = float(curve.max())
        compare_t = manual_t if method in ("manual", "otsu") else t
        compare_name = "your t" if method in ("manual", "otsu") else t_name
        show_chart(variance_svg(source.key, otsu_t, compare_t, compare_name, curve),
                   alt=f"Between-class variance for every threshold t, peaking at Otsu's t = {otsu_t}")
        compare_variance = float(curve[compare_t]) if 0 <= compare_t <= 255 else 0.0
        if best > 0:
            st.markdown(
                f"For every *t* the curve splits the pixels into ≤ *t* and > *t* and measures how far apart the two "
                f"means are, weighted by the class sizes. It peaks at **t = {otsu_t}** ($\\sigma_B^2$ = {best:,.0f}). "
                f"{compare_name.capitalize()} = {compare_t} is **{abs(compare_t - otsu_t)} levels "
                f"{'above' if compare_t > otsu_t else 'below' if compare_t < otsu_t else 'away from'}** Otsu's optimum "
                f"and keeps {compare_variance / best:.0%} of the best separation."
            )
        else:
            st.markdown("The curve is flat at zero: with one grey level every split leaves a class empty.")
    elif method == "multiotsu":
        st.header("Look closer: three classes", anchor=False)
        if lines:
            st.markdown(
                f"Multi-Otsu tries every pair *t1 < t2* and keeps the one with the largest between-class variance of "
                f"three classes: dark ≤ {t1} < middle ≤ {t2} < bright. A pixel exactly at a threshold goes to the lower "
                f"class. The shares are {shares[0]:.1%}, {shares[1]:.1%} and {shares[2]:.1%}."
            )
        else:
            st.markdown("With fewer than three grey levels there is no pair of thresholds to choose.")
    else:
        st.header("Look closer: one row, two kinds of threshold", anchor=False)

        @st.fragment
        def row_profile() -> None:
            """Pixel values along one row against Otsu's flat line and the local threshold."""
            if height > 1:
                keep_in_range("thresholding_row", 0, height - 1)
                row = st.slider("Row", 0, height - 1, height // 2, key="thresholding_row", bind="query-params")
            else:
                row = 0
            columns = np.arange(width)
            show_chart(line_chart(
                [Line(columns, gray[row], "#6b6b6b", name="pixel value", width=1),
                 Line(columns, surface[row], "#1f77b4", name=f"local threshold ({local_method}, C = {offset})", width=2),
                 Line([0, width - 1], [otsu_t + 0.5] * 2, "#d62728", name=f"Otsu t = {otsu_t}", dash=True, width=2)],
                x_title="column", y_title="grey level", y_range=(0, 260), width=FULL_WIDTH, height=300,
            ), alt=f"Grey levels along row {row} against the local threshold and Otsu's t = {otsu_t}")
            st.caption(f"Row {row}: a pixel is selected where the grey line is "
                       f"{'at or below' if dark else 'above'} the blue one. The red line is the one global threshold.")

        row_profile()

    # 5. What to notice ----------------------------------------------------------------------------
    st.subheader("What to notice", anchor=False)
    if method in ("manual", "otsu", "triangle", "auto"):
        # In Otsu mode compare with the learner's own t; otherwise compare the method's mask with Otsu's.
        other_t = manual_t if method == "otsu" else otsu_t
        iou = agreement(source.key, t, other_t, dark, gray)
        text = (
            f"With t = {t}, {thresholded.fraction:.1%} of the pixels ({selected_count:,}) are selected. "
            f"{'Your t' if method == 'otsu' else 'Otsu’s t'} = {other_t}; the two masks agree with IoU {iou:.2f} "
            "(intersection over union, 1 = identical). "
            f"Flipping **Objects are darker** would select the other {1 - thresholded.fraction:.1%}: a pixel equal to "
            "t is background for bright objects and foreground for dark ones, so the two masks never overlap."
        )
        if method == "auto":
            found = {name: a for name, a in autos.items() if a.level is not None}
            if found:
                low = min(found, key=lambda n: found[n].threshold)
                high = max(found, key=lambda n: found[n].threshold)
                text += (f" The automatic methods disagree: from {AUTO_LABELS[low]} at {found[low].threshold:.1f} to "
                         f"{AUTO_LABELS[high]} at {found[high].threshold:.1f}; each answers a different question "
                         "about the histogram.")
        st.markdown(text)
    elif method == "multiotsu":
        st.markdown(
            "Two thresholds make three classes, here "
            + (f"split at {t1} and {t2} with {shares[0]:.1%} / {shares[1]:.1%} / {shares[2]:.1%} of the pixels. "
               if lines else "impossible (too few grey levels). ")
            + "Each class is a grey band of the histogram, not an object: the same class can be many separate regions."
        )
    else:
        st.markdown(
            f"The local threshold follows the lighting: from {local.low} to {local.high} on this image. "
            f"Adaptive selects {local.fraction:.1%} of the pixels against "
            f"{otsu_selection.fraction:.1%} for Otsu. The offset C = {offset} decides what happens in flat "
            "regions, where a pixel is compared with a mean of its own level: raise C to keep them out of the mask."
        )


    # The code, right under the result it reproduces --------------------------------------------------
    show_code(body, source=source, result=result)
    return manual_t, dark


manual_t, dark = threshold_dialog()

# 6. Where it breaks ---------------------------------------------------------------------------
st.header("Where it breaks", anchor=False)
if method != "adaptive":
    pictures = page_pictures()
    st.markdown(
        f"**Uneven lighting.** On the scanned page the paper is darker on the left than some of the text on the "
        f"right, so Otsu's single threshold (t = {pictures.otsu_t}, dark text) swallows the left of the page "
        f"({pictures.left_quarter_share:.0%} of its left quarter selected) and no other single t can fix it."
    )
    picture_row([
        Picture(pictures.page, caption="Scanned page: light falls off to the left"),
        Picture(pictures.global_overlay, crisp=True,
                caption=f"Global Otsu, gray <= {pictures.otsu_t}: selected in red"),
        Picture(pictures.local_overlay, crisp=True,
                caption="Adaptive mean, block 25, C = 10: selected in red"),
    ])
    fix_columns = st.columns(2)
    fix_columns[0].page_link(lesson.page, label="Fix it here: adaptive threshold on the page", icon=":material/tune:",
                             query_params={"img": "page", "thresholding_method": "adaptive", "thresholding_dark": "true"})
    fix_columns[1].page_link(morphology_page, label="Or flatten the background first: black-hat in Morphology",
                             icon=":material/join_inner:",
                             query_params={"img": "page", "morphology_input": "grey", "morphology_op": "blackhat",
                                           "morphology_size": "15"})
else:
    st.markdown(
        "**Objects bigger than the block.** Inside a large uniform object the neighbourhood is all object, so "
        "the pixel is compared with its own level: objects wider than the block size come out hollow, only their "
        "rims selected. Make the block larger than the objects, or fill the holes afterwards with a closing."
    )
    st.page_link(morphology_page, label="Fill holes with a closing in Morphology", icon=":material/join_inner:",
                 query_params={"img": "coins", "morphology_op": "close", "morphology_size": "9"})

# 8. Check yourself --------------------------------------------------------------------------------
st.header("Check yourself", anchor=False)
numeric_exercise(
    "thresholding_otsu", number=1,
    question="What threshold does Otsu's method pick for the current image?",
    answer=otsu_t, tolerance=1,
    hint="Choose the Otsu method, or find the peak of the between-class variance curve.",
    explanation=f"OpenCV's Otsu threshold is {otsu_t}: the peak of the curve, where the two classes are best separated.",
)
target_exercise(
    "thresholding_match", number=2,
    question="Move **Your threshold t** until your manual mask agrees with Otsu's mask (same *darker* switch).",
    score=agreement(source.key, manual_t, otsu_t, dark, gray), target=0.95, score_name="IoU with Otsu's mask",
    hint=f"Watch the red dashed line on the variance curve and bring it towards the peak (now t = {manual_t}).",
    explanation="Near the peak small moves change few pixels: the curve is flat there, and so is the mask.",
)
pictures = page_pictures()
choice_exercise(
    "thresholding_adaptive", number=3,
    question="Three thresholds of the scanned page, selected pixels in red. Which one is adaptive?",
    options=["A", "B", "C"], correct="B",
    pictures=[pictures.global_overlay, pictures.local_overlay, pictures.fixed_overlay],
    hint="A single threshold treats the dark left and the bright right of the page alike.",
    explanation="B compares each pixel with its own neighbourhood, so the text is found on both sides; "
                f"A (Otsu, t = {pictures.otsu_t}) and C (t = 200) use one value for the whole page.",
)

finish_lesson("thresholding")
