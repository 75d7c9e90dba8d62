"""Lesson: Masks."""

import math
import re
from functools import partial
from typing import NamedTuple

import numpy as np
import streamlit as st

from processing import masks
from processing.io import encode_image
from processing.samples import SAMPLES, load_sample
from processing.stats import CHANNEL_NAMES
from processing.threshold import overlay_mask
from ui.cache import cached_step
from ui.charts import histogram_alt, histogram_options, histogram_svg, show_chart
from ui.code import describe_array, show_code
from ui.display import Picture, before_after, picture_row, show_image
from ui.exercises import choice_exercise, numeric_exercise, target_exercise
from ui.lessons import LESSONS_BY_SLUG
from ui.page import finish_lesson, lesson_link, start_lesson
from ui.url import url_choice

lesson, source = start_lesson("masks")
img = source.image
height, width = img.shape[:2]
is_colour = img.ndim == 3
channels = CHANNEL_NAMES[img.ndim]
total = height * width

# 1. The idea -----------------------------------------------------------------------
st.markdown(
    "A **mask** is a yes/no picture the size of the image: `True` where a pixel is selected, `False` "
    "elsewhere. Multiplying by it keeps the selected pixels and blacks out the rest; counting only its "
    "pixels gives statistics of one object instead of the whole photo. Masks come from shapes you draw, "
    "from a colour range or from a threshold, and they combine like sets: AND, OR, XOR, NOT."
)
st.latex(r"\text{result}(x, y) = \text{img}(x, y) \cdot \text{mask}(x, y), \qquad \text{mask}(x, y) \in \{0, 1\}")

# 2. Controls ---------------------------------------------------------------------------
SHAPES = {"rectangle": "Rectangle", "circle": "Circle", "ellipse": "Ellipse", "polygon": "Polygon"}
PIXEL_RULES = {"hsv": "Colour range (HSV)", "rgb": "Colour range (RGB)", "grey": "Grey range", "threshold": "Threshold"}
OPERATIONS = {
    "a": "A only", "b": "B only", "and": "A AND B", "or": "A OR B", "xor": "A XOR B", "minus": "A AND NOT B (A minus B)",
}
OPERATORS = {"and": "&", "or": "|", "xor": "^"}  # NumPy's operators on bool arrays
BACKGROUNDS = {"black": "Black", "checkerboard": "Checkerboard (transparent)"}
DEFAULT_POLYGON = "8,45; 30,38; 60,40; 72,60; 70,100; 5,100"
A_COLOUR, B_COLOUR = (0, 190, 255), (255, 0, 220)


class Combined(NamedTuple):
    """The combined mask and everything counted from it and from A and B."""

    mask: np.ndarray
    counts: masks.MaskOverlap
    stats: masks.MaskedHistogram


class Flaws(NamedTuple):
    """Mask B's piece, speck and hole counts, and the picture that shows them (not the specks' own masks)."""

    n_pieces: int
    n_specks: int
    n_holes: int
    picture: np.ndarray


@cached_step(max_entries=32)
def shape_mask(height: int, width: int, spec: tuple) -> np.ndarray:
    """Mask A from its description (kind and pixel coordinates); it depends only on the image size."""
    kind, *args = spec
    if kind == "rectangle":
        return masks.rectangle_mask((height, width), corner1=args[0], corner2=args[1])
    if kind == "circle":
        return masks.circle_mask((height, width), center=args[0], radius=args[1])
    if kind == "ellipse":
        return masks.ellipse_mask((height, width), center=args[0], axes=args[1], angle=args[2])
    return masks.polygon_mask((height, width), points=args[0])


@cached_step(max_entries=32)
def pixel_mask(key: str, spec: tuple, _img: np.ndarray) -> np.ndarray:
    """Mask B from its rule and bounds, once per image and setting."""
    rule, *args = spec
    if rule in ("hsv", "rgb"):
        return masks.color_range_mask(_img, lower=args[0], upper=args[1], space=rule)
    if rule == "grey":
        return masks.gray_range_mask(_img, lower=args[0], upper=args[1])
    return masks.threshold_mask(_img, threshold=args[0], dark_objects=args[1])


@cached_step(max_entries=32)
def tinted(key: str, which: str, spec: tuple, colour: tuple[int, int, int], _img: np.ndarray,
           _mask: np.ndarray) -> np.ndarray:
    """The image with one mask (A or B, described by `spec`) tinted in `colour`."""
    return overlay_mask(_img, _mask, color=colour, alpha=0.55)


@cached_step(max_entries=32)
def combined(key: str, a_spec: tuple, b_spec: tuple, operation: str, invert: bool, _img: np.ndarray,
             _mask_a: np.ndarray, _mask_b: np.ndarray) -> Combined:
    """The combined mask, the truth-table counts and the masked histogram, once per setting."""
    mask = combine(_mask_a, _mask_b, operation=operation, invert=invert)
    return Combined(mask, masks.overlap_counts(_mask_a, _mask_b), masks.masked_histogram(_img, mask))


@cached_step(max_entries=16)
def cut_out(key: str, a_spec: tuple, b_spec: tuple, operation: str, invert: bool, background: str, square: int,
            _img: np.ndarray, _mask: np.ndarray) -> np.ndarray:
    """The image with the unselected pixels black or on a checkerboard."""
    return masks.cut_out(_img, _mask, background=background, square=square)


class HistogramCharts(NamedTuple):
    """The whole image's and the masked pixels' histograms as SVG, with their titles (for the alt text)."""

    whole: str
    whole_title: str
    masked: str
    masked_title: str


@cached_step(max_entries=32)
def histograms(key: str, a_spec: tuple, b_spec: tuple, operation: str, invert: bool, options: tuple[bool, bool],
               channels: tuple[str, ...], _stats: masks.MaskedHistogram) -> HistogramCharts:
    """The whole image's and the masked pixels' histograms, drawn once per setting."""
    log_scale, cumulative = options
    whole_title = f"Whole image: {_stats.n_total:,} pixels"
    masked_title = f"Inside the mask: {_stats.n_masked:,} pixels"
    whole, masked = (histogram_svg(counts, channels=channels, log_scale=log_scale, cumulative=cumulative, title=title)
                     for counts, title in ((_stats.whole, whole_title), (_stats.masked, masked_title)))
    return HistogramCharts(whole, whole_title, masked, masked_title)


@cached_step(max_entries=32)
def specks(key: str, b_spec: tuple, max_area: int, grow: int, _mask_b: np.ndarray) -> Flaws:
    """Mask B's specks and holes and their picture (connected components take ~40 ms on 2 MP)."""
    flaws = masks.find_specks_and_holes(_mask_b, max_area=max_area)
    return Flaws(flaws.n_pieces, flaws.n_specks, flaws.n_holes, masks.specks_picture(_mask_b, flaws, grow=grow))


@cached_step(max_entries=16)
def second_image(sample_id: str) -> np.ndarray:
    """The second image of the blend, keyed on its sample id (a short string), never on pixels."""
    return load_sample(sample_id)


@cached_step(max_entries=16)
def blended(key: str, second_id: str, alpha: float, mask_spec: tuple | None, _img: np.ndarray,
            _second: np.ndarray, _mask: np.ndarray) -> np.ndarray:
    """The blend of img and the second image (inside the mask when `mask_spec` is given)."""
    if mask_spec is None:
        return masks.blend(_img, _second, alpha=alpha)
    return masks.masked_blend(_img, _second, _mask, alpha=alpha)


@cached_step(max_entries=16)
def venn(operation: str, invert: bool) -> np.ndarray:
    """The combination drawn on two overlapping discs."""
    disc_a, disc_b = masks.venn_masks(size=160)
    return masks.venn_picture(combine(disc_a, disc_b, operation=operation, invert=invert))


@cached_step(max_entries=2)
def venn_exercise_pictures() -> list[np.ndarray]:
    """Exercise 2's four pictures: A XOR B, B minus A, A AND B, A minus B on the two discs."""
    disc_a, disc_b = masks.venn_masks(size=160)
    return [masks.venn_picture(selected) for selected in (
        masks.combine_masks(disc_a, disc_b, operation="xor"),
        masks.combine_masks(disc_b, disc_a, operation="minus"),
        masks.combine_masks(disc_a, disc_b, operation="and"),
        masks.combine_masks(disc_a, disc_b, operation="minus"),
    )]


def combine(a: np.ndarray, b: np.ndarray, *, operation: str, invert: bool) -> np.ndarray:
    """The chosen combination of two masks (the image's, the truth table's or the picture's)."""
    if operation == "a":
        result = a
    elif operation == "b":
        result = b
    else:
        result = masks.combine_masks(a, b, operation=operation)
    return masks.invert_mask(result) if invert else result


def cutout_png(image, mask) -> bytes:
    """The cut-out as a PNG file with the mask as its alpha channel."""
    return encode_image(masks.to_rgba(image, mask))


def means(values) -> str:
    """Per-channel means as "r / g / b" (or one grey value)."""
    return " / ".join(f"{v:.1f}" for v in values)


def to_x(percent: float) -> int:
    """Column of a position given as a percentage of the width (0 % is the first column, 100 % the last)."""
    return round(percent / 100 * (width - 1))


def to_y(percent: float) -> int:
    """Row of a position given as a percentage of the height."""
    return round(percent / 100 * (height - 1))


# Blend two images ---------------------------------------------------------------------------
SECOND_IMAGES = {sample_id: sample.title for sample_id, sample in SAMPLES.items()}


@st.fragment
def blend_panel(img: np.ndarray, mask: np.ndarray, mask_setting: tuple) -> None:
    """Blend controls change only this panel, so only it reruns (nested in the mask dialog, it also
    reruns with it: the blend inside the mask depends on the mask)."""
    st.header("Blend two images", anchor=False)
    st.markdown(
        "A blend is a mask with a weight between 0 and 1, the same for every pixel: "
        "`result = α · img + (1 − α) · second`. With **Only inside the mask** the weight is α inside "
        "the mask and 0 outside, so at α = 1 the cut-out is pasted onto the second image."
    )
    controls = st.columns(3)
    with controls[0]:
        second_id = url_choice(st.selectbox, "Second image", SECOND_IMAGES, key="masks_second", default="chelsea",
                               help="Any sample; 'Gradient ramp' is a synthetic gradient.")
    with controls[1]:
        alpha = st.slider("Weight α of img", 0.0, 1.0, 0.5, 0.05, key="masks_alpha", bind="query-params")
    with controls[2]:
        inside = st.toggle("Only inside the mask", key="masks_inside", bind="query-params")
    second = second_image(second_id)
    mixed = blended(source.key, second_id, alpha, mask_setting if inside else None, img, second, mask)
    left, middle, right = st.columns(3, gap="medium")
    with left:
        show_image(img, caption=f"img (weight {alpha:g})")
    with middle:
        show_image(second, caption=f"second: {SAMPLES[second_id].title} (weight {1 - alpha:g})")
    with right:
        show_image(mixed, caption=f"Blend{' inside the mask' if inside else ''}, α = {alpha:g}")
    lines = [re.sub(r"\bimg\b", "second", SAMPLES[second_id].code) + "  # the second image"]
    if second.shape[:2] != img.shape[:2]:
        shrinking = second.shape[0] >= img.shape[0] and second.shape[1] >= img.shape[1]
        lines.append(f"second = cv2.resize(second, ({img.shape[1]}, {img.shape[0]}), interpolation=cv2."
                     f"{'INTER_AREA' if shrinking else 'INTER_LINEAR'})  # stretched to img's size")
    if img.ndim == 2 and second.ndim == 3:
        lines.append("img = cv2.cvtColor(img, cv2.COLOR_GRAY2RGB)  # both RGB")
    elif img.ndim == 3 and second.ndim == 2:
        lines.append("second = cv2.cvtColor(second, cv2.COLOR_GRAY2RGB)  # both RGB")
    lines.append(f"alpha = {alpha!r}")
    if inside:
        where = "mask[:, :, None]" if mixed.ndim == 3 else "mask"
        lines += [
            "# mask: the bool mask made by the code of the cut-out, below",
            "mixed = cv2.addWeighted(img, alpha, second, 1 - alpha, 0)",
            f"result = np.where({where}, mixed, second)  # weight alpha inside the mask, 0 outside",
        ]
    else:
        lines.append("result = cv2.addWeighted(img, alpha, second, 1 - alpha, 0)  # rounded to uint8")
    show_code("\n".join(lines), source=source, result=mixed, inputs={"img": img, "mask": mask},
              title="The code of this blend")


st.header("Make two masks and combine them", anchor=False)
st.caption("Positions and sizes are percentages of the image, so a shared link fits any image; "
           "the code below shows them in pixels.")


@st.fragment
def mask_dialog() -> masks.MaskOverlap:
    """Both masks' controls and everything made from them: pictures, histograms, the blend, the truth
    table, what to notice, the code and where mask B breaks.

    A fragment: moving one of its controls reruns only this part of the page (the three columns of
    controls must be drawn inside it). Returns the truth-table counts for the exercises.
    """
    col_a, col_b, col_c = st.columns(3, gap="medium")

    with col_a:
        st.subheader("Mask A: a shape", anchor=False)
        shape = url_choice(st.segmented_control, "Shape", SHAPES, key="masks_shape", default="circle")
        if shape == "rectangle":
            xs = st.slider("Left and right edge (% of width)", 0, 100, (30, 70), key="masks_xs", bind="query-params")
            ys = st.slider("Top and bottom edge (% of height)", 0, 100, (10, 45), key="masks_ys", bind="query-params")
            corner1, corner2 = (to_x(xs[0]), to_y(ys[0])), (to_x(xs[1]), to_y(ys[1]))
            a_spec = ("rectangle", corner1, corner2)
            code_a = f"cv2.rectangle(mask_a, {corner1}, {corner2}, 1, thickness=-1)  # two opposite corners (x, y), both inside"
            shape_words = f"rectangle from {corner1} to {corner2}"
        elif shape in ("circle", "ellipse"):
            cx = st.slider("Centre x (% of width)", 0, 100, 44, key="masks_cx", bind="query-params")
            cy = st.slider("Centre y (% of height)", 0, 100, 21, key="masks_cy", bind="query-params")
            center = (to_x(cx), to_y(cy))
            if shape == "circle":
                radius_pct = st.slider("Radius (% of the shorter side)", 0, 100, 14, key="masks_radius",
                                       bind="query-params")
                radius = round(radius_pct / 100 * min(height, width))
                a_spec = ("circle", center, radius)
                code_a = f"cv2.circle(mask_a, {center}, {radius}, 1, thickness=-1)  # centre (x, y), radius"
                shape_words = f"circle of radius {radius} px around {center}"
            else:
                ax = st.slider("Half-width (% of width)", 0, 100, 11, key="masks_ax", bind="query-params")
                ay = st.slider("Half-height (% of height)", 0, 100, 15, key="masks_ay", bind="query-params")
                angle = st.slider("Rotation (degrees, clockwise)", -90, 90, 0, key="masks_angle", bind="query-params")
                axes = (round(ax / 100 * width), round(ay / 100 * height))
                a_spec = ("ellipse", center, axes, angle)
                code_a = f"cv2.ellipse(mask_a, {center}, {axes}, {angle}, 0, 360, 1, thickness=-1)  # centre, half-axes, angle"
                shape_words = f"ellipse with half-axes {axes} around {center}"
        else:
            text = st.text_input(
                "Corners: x,y; x,y; ... (% of width, % of height)", DEFAULT_POLYGON, key="masks_points",
                bind="query-params", max_chars=300, help="3 to 20 corners, in drawing order; the last joins the first.",
            )
            points, reason = masks.parse_points(text)
            if points is None:
                st.warning(f"Those corners could not be read: {reason} Write 3 to 20 pairs of numbers from 0 to 100, "
                           "like 10,20; 80,20; 50,90. The default polygon is drawn instead.", icon=":material/warning:")
                points, _ = masks.parse_points(DEFAULT_POLYGON)
            vertices = tuple((to_x(x), to_y(y)) for x, y in points)
            a_spec = ("polygon", vertices)
            code_a = (f"corners = np.array({[list(v) for v in vertices]}, np.int32)  # (x, y) in drawing order\n"
                      "cv2.fillPoly(mask_a, [corners], 1)")
            shape_words = f"polygon with {len(vertices)} corners"

    with col_b:
        st.subheader("Mask B: from the pixels", anchor=False)
        rule = url_choice(st.selectbox, "Rule", PIXEL_RULES, key="masks_b", default="hsv")
        if rule in ("hsv", "rgb") and not is_colour:
            st.info("This image is grey: it has no colours for a colour range to pick. A grey range is used "
                    "instead; choose a colour sample to try colours.", icon=":material/info:")
            rule = "grey"
        grey_line = "grey = cv2.cvtColor(img, cv2.COLOR_RGB2GRAY)  # 0.299 R + 0.587 G + 0.114 B" if is_colour else "grey = img"
        if rule == "hsv":
            hue = st.slider("Hue (0-179, degrees / 2)", 0, 179, (4, 14), key="masks_hue", bind="query-params",
                            help="Red 0, orange about 10, yellow 30, green 60, blue 120 (OpenCV's 8-bit hue).")
            wrap = st.toggle("Outside this hue range (wraps round red)", key="masks_wrap", bind="query-params",
                             help="Select hues at or above the right end and at or below the left end, for reds.")
            sat = st.slider("Saturation", 0, 255, (120, 255), key="masks_sat", bind="query-params")
            val = st.slider("Value (brightness)", 0, 255, (90, 255), key="masks_val", bind="query-params")
            if wrap:
                lower, upper = (hue[1], sat[0], val[0]), (hue[0], sat[1], val[1])
                code_b = (
                    "hsv = cv2.cvtColor(img, cv2.COLOR_RGB2HSV)  # img is RGB, not BGR\n"
                    f"high_hues = cv2.inRange(hsv, {lower}, {(179, sat[1], val[1])}) > 0\n"
                    f"low_hues = cv2.inRange(hsv, {(0, sat[0], val[0])}, {upper}) > 0\n"
                    "mask_b = high_hues | low_hues  # hue wraps round red"
                )
                rule_words = f"hue ≥ {hue[1]} or ≤ {hue[0]}"
            else:
                lower, upper = (hue[0], sat[0], val[0]), (hue[1], sat[1], val[1])
                code_b = ("hsv = cv2.cvtColor(img, cv2.COLOR_RGB2HSV)  # img is RGB, not BGR\n"
                          f"mask_b = cv2.inRange(hsv, {lower}, {upper}) > 0  # bounds included")
                rule_words = f"hue {hue[0]}–{hue[1]}"
            b_spec = ("hsv", lower, upper)
        elif rule == "rgb":
            red = st.slider("Red", 0, 255, (150, 255), key="masks_red", bind="query-params")
            green = st.slider("Green", 0, 255, (40, 140), key="masks_green", bind="query-params")
            blue = st.slider("Blue", 0, 255, (0, 90), key="masks_blue", bind="query-params")
            lower, upper = (red[0], green[0], blue[0]), (red[1], green[1], blue[1])
            b_spec = ("rgb", lower, upper)
            code_b = f"mask_b = cv2.inRange(img, {lower}, {upper}) > 0  # (R, G, B) bounds, included"
            rule_words = f"RGB between {lower} and {upper}"
        elif rule == "grey":
            grey_range = st.slider("Grey level", 0, 255, (0, 80), key="masks_grey", bind="query-params")
            b_spec = ("grey", grey_range[0], grey_range[1])
            code_b = f"{grey_line}\nmask_b = cv2.inRange(grey, {grey_range[0]}, {grey_range[1]}) > 0  # bounds included"
            rule_words = f"grey {grey_range[0]}–{grey_range[1]}"
        else:
            threshold = st.slider("Threshold t", 0, 255, 128, key="masks_t", bind="query-params")
            dark = st.toggle("Objects are darker than the background", key="masks_dark", bind="query-params")
            b_spec = ("threshold", threshold, dark)
            comparison = "<=" if dark else ">"
            code_b = f"{grey_line}\nmask_b = grey {comparison} {threshold}"
            rule_words = f"grey {comparison} {threshold}"

    with col_c:
        st.subheader("Combine and apply", anchor=False)
        operation = url_choice(st.radio, "Result mask", OPERATIONS, key="masks_op", default="or")
        invert = st.toggle("NOT: invert the result", key="masks_not", bind="query-params",
                           help="Swap selected and not selected (~mask).")
        background = url_choice(st.segmented_control, "Background of the cut-out", BACKGROUNDS, key="masks_bg",
                                default="black")

    op_words = ("NOT (" + OPERATIONS[operation] + ")") if invert else OPERATIONS[operation]
    mask_a = shape_mask(height, width, a_spec)
    mask_b = pixel_mask(source.key, b_spec, img)
    setting = (source.key, a_spec, b_spec, operation, invert)
    result = combined(*setting, img, mask_a, mask_b)
    mask, counts, stats = result.mask, result.counts, result.stats
    square = max(4, round(max(height, width) / 32))  # about 32 squares across at any size
    cutout = cut_out(*setting, background, square, img, mask)

    # 3. Before and after ---------------------------------------------------------------------
    picture_row([
        Picture(tinted(source.key, "a", a_spec, A_COLOUR, img, mask_a),
                caption=f"A: {shape_words} ({counts.both + counts.only_a:,} px, "
                        f"{(counts.both + counts.only_a) / total:.1%})"),
        Picture(tinted(source.key, "b", b_spec, B_COLOUR, img, mask_b),
                caption=f"B: {rule_words} ({counts.both + counts.only_b:,} px, {(counts.both + counts.only_b) / total:.1%})"),
        Picture(mask, crisp=True, caption=f"mask = {op_words}: {stats.n_masked:,} px, {stats.n_masked / total:.1%} "
                                          "(white = selected)"),
    ], gap="medium")

    before_after(
        img, cutout, before_caption=f"img, {describe_array(img)}",
        after_caption=f"Cut-out on {'black: img · mask' if background == 'black' else 'a checkerboard (transparent)'}",
        crisp_after=background == "checkerboard",
    )
    download_column, note_column = st.columns([1, 2])
    with download_column:
        # The PNG is made only when the button is pressed: encoding 2 MP with alpha takes ~150 ms,
        # too much for every slider move. Re-encoded pixels, never the uploaded file's bytes.
        st.download_button(
            "Download PNG with alpha", partial(cutout_png, img, mask),
            file_name="pixel-lab-cut-out.png", mime="image/png", icon=":material/download:", key="masks_download",
            on_click="ignore",
        )
    with note_column:
        st.caption("The PNG holds four channels: the image's own colours and the mask as alpha (255 = opaque, "
                   "0 = transparent), so other programs see through the unselected pixels.")

    # The histogram of only the masked pixels -------------------------------------------------
    st.subheader("Histogram of the masked pixels only", anchor=False)
    charts = histograms(*setting, histogram_options(), channels, stats)
    whole_column, masked_column = st.columns(2, gap="medium")
    with whole_column:
        show_chart(charts.whole, alt=histogram_alt(channels, charts.whole_title))
    with masked_column:
        show_chart(charts.masked, alt=histogram_alt(channels, charts.masked_title))
    if stats.empty:
        st.warning("The mask is empty: it selects no pixel, so the masked histogram is empty and a masked mean or "
                   "share is meaningless (0 of 0). Widen the ranges or change the combination.",
                   icon=":material/warning:")

    blend_panel(img, mask, setting[1:])

    # 4. Look closer: the truth table -----------------------------------------------------------
    st.header("Look closer: the truth table of the combination", anchor=False)
    st.markdown(
        f"Each pixel is in A or not and in B or not: four cases. **{op_words}** keeps the cases marked "
        "below. The picture shows the same rule on two overlapping discs; the table counts this image's pixels."
    )
    venn_column, table_column = st.columns([1, 2], gap="medium")
    with venn_column:
        show_image(venn(operation, invert), crisp=True,
                   caption=f"{op_words}: the blue area is selected", alt=f"Two discs A and B; {op_words} shaded")
    with table_column:
        rows = [(True, True, counts.both), (True, False, counts.only_a), (False, True, counts.only_b),
                (False, False, counts.neither)]
        # The four cases as two 1 × 4 masks, combined by the same rule as the image's masks.
        case_a = np.array([[a for a, _, _ in rows]])
        case_b = np.array([[b for _, b, _ in rows]])
        selected = combine(case_a, case_b, operation=operation, invert=invert)[0]
        # A Markdown table, not st.dataframe: four rows need no grid, and the grid is slow to redraw.
        table = [f"| in A | in B | in {op_words} | pixels of this image |", "|:-:|:-:|:-:|--:|"]
        table += [f"| {'yes' if a else 'no'} | {'yes' if b else 'no'} | {'✔ selected' if chosen else '–'} | {n:,} |"
                  for (a, b, n), chosen in zip(rows, selected)]
        st.markdown("\n".join(table))
        st.caption(f"The four counts add up to all {total:,} pixels of the image.")

    # 5. What to notice --------------------------------------------------------------------------
    st.subheader("What to notice", anchor=False)
    n_a, n_b = counts.both + counts.only_a, counts.both + counts.only_b
    notice = [
        f"The mask selects {stats.n_masked:,} of {total:,} pixels ({stats.n_masked / total:.1%}). "
        f"A OR B counts {counts.union:,} pixels: not |A| + |B| = {n_a:,} + {n_b:,} = {n_a + n_b:,}, because the "
        f"{counts.both:,} pixels in both would be counted twice."
    ]
    if stats.empty:
        notice.append("With an empty mask there is no masked mean to compare: the statistics need at least one pixel.")
    else:
        channel_words = "red / green / blue" if is_colour else "grey"
        notice.append(
            f"Inside the mask the mean ({channel_words}) is {means(stats.masked_mean)}, against "
            f"{means(stats.whole_mean)} for the whole image: the masked histogram describes the selected object, "
            "not the photo."
        )
    if background == "black" and stats.n_masked < total:
        notice.append(
            f"The cut-out's histogram has a spike at 0: the {total - stats.n_masked:,} masked-out pixels were set to "
            "black. Measuring the cut-out would count them; counting only the masked pixels does not."
        )
    elif background == "checkerboard" and stats.n_masked < total:
        notice.append(
            "The cut-out's histogram has spikes at 204 and 255: the checkerboard's two greys fill the "
            f"{total - stats.n_masked:,} masked-out pixels, which is why the masked histogram counts only selected pixels."
        )
    st.markdown(" ".join(notice))

    # The code, right under the result it reproduces --------------------------------------------
    combine_line = {
        "a": "mask = mask_a",
        "b": "mask = mask_b",
        "minus": "mask = mask_a & ~mask_b  # in A but not in B",
    }.get(operation, f"mask = mask_a {OPERATORS.get(operation)} mask_b")
    if background == "black":
        apply_lines = "result = cv2.bitwise_and(img, img, mask=mask.astype(np.uint8))  # img · mask"
    else:
        apply_lines = (
            f"tiles = (np.indices(mask.shape) // {square}).sum(axis=0) % 2\n"
            "board = np.where(tiles == 1, 204, 255).astype(np.uint8)  # the usual 'transparent' checkerboard\n"
            + ("board = cv2.cvtColor(board, cv2.COLOR_GRAY2RGB)\nresult = np.where(mask[:, :, None], img, board)"
               if is_colour else "result = np.where(mask, img, board)")
        )
    alpha_source = "img" if is_colour else "img, img, img"
    body = "\n".join([
        "# Mask A: a shape, drawn with value 1 on zeros",
        "mask_a = np.zeros(img.shape[:2], np.uint8)",
        code_a,
        "mask_a = mask_a.astype(bool)",
        "",
        "# Mask B: a rule on the pixels",
        code_b,
        "",
        "# Combine (NumPy's &, |, ^, ~ work pixel by pixel on bool arrays)",
        combine_line,
        "mask = ~mask  # NOT" if invert else "",
        "",
        "# Apply",
        apply_lines,
        "",
        "# For a PNG with transparency the mask becomes the alpha channel (255 = opaque, 0 = transparent):",
        f"rgba = np.dstack([{alpha_source}, mask.astype(np.uint8) * 255])",
        '# cv2.imwrite("cut_out.png", cv2.cvtColor(rgba, cv2.COLOR_RGBA2BGRA))  # OpenCV writes BGRA',
        "",
    ])
    show_code(re.sub(r"\n{3,}", "\n\n", body), source=source, result=cutout)

    # 6. Where it breaks: mask B's own flaws (B's controls are in this fragment, so it is too) ------------
    st.header("Where it breaks: pixel rules know nothing about shape", anchor=False)
    max_area = max(4, total // 5000)
    grow = max(0, width // 450)  # keep one-pixel flaws visible once the picture is shrunk to the column
    flaws = specks(source.key, b_spec, max_area, grow, mask_b)
    picture_column, text_column = st.columns([1, 1], gap="medium")
    with picture_column:
        show_image(flaws.picture, crisp=True,
                   caption=f"Mask B: specks red, holes blue (pieces of at most {max_area} px)")
    with text_column:
        rule_kind = "colour range" if rule in ("hsv", "rgb") else "grey-level rule"
        st.markdown(
            f"Mask B ({rule_words}) is a {rule_kind}: it takes every pixel of those values, wherever it is. "
            f"Here it falls into {flaws.n_pieces:,} separate pieces; {flaws.n_specks:,} are specks of at most "
            f"{max_area} pixels (red), and {flaws.n_holes:,} small holes (blue) appear where shadows or "
            "highlights push the object's own pixels out of range. Similar colours elsewhere leak in "
            "(on the astronaut: the flag's red stripes and the skin).\n\n"
            "Clean a mask by its shape: an **opening** removes specks and a **closing** fills holes. "
            "A threshold chosen from the histogram, not by eye, is more robust too."
        )
        for slug in ("morphology", "thresholding"):
            lesson_link(slug, f"Lesson: {LESSONS_BY_SLUG[slug].title}")
    return counts


counts = mask_dialog()

# 8. Check yourself -------------------------------------------------------------------------
st.header("Check yourself", anchor=False)
union_share = 100 * counts.union / total
numeric_exercise(
    "masks_union", number=1,
    question="What percentage of this image's pixels does **A OR B** select (for the current A and B)? "
    "Use the truth table above.",
    answer=round(union_share, 2), tolerance=0.1, step=0.01,
    hint=f"A OR B is every row where A or B says yes: three rows of the table. Divide their sum by {total:,}.",
    explanation=f"({counts.both:,} + {counts.only_a:,} + {counts.only_b:,}) / {total:,} = {union_share:.2f} %.",
)
choice_exercise(
    "masks_code", number=2,
    question="Which picture is `mask_b & ~mask_a`?",
    options=["1", "2", "3", "4"], correct="2",
    pictures=venn_exercise_pictures(),
    hint="`~mask_a` is everything outside A; `&` keeps what is also in B.",
    explanation="In B and not in A: B minus A, the right disc without the overlap. Picture 4 is A minus B.",
)
iou = counts.iou
# Said in the hint (made on the full run "Check my settings" starts), not in a note here that the
# controls above, rerunning on their own, would leave stale.
fit_hint = "Pixels of A outside B and of B outside A both lower the IoU: fit the outline, not a bigger box."
if iou is None:
    fit_hint = ("A and B are both empty, so their IoU is 0 / 0: undefined, neither agreement nor disagreement. "
                "Give both masks some pixels to score the fit.")
target_exercise(
    "masks_fit", number=3,
    question="Make shape A cover the same pixels as mask B: reach an IoU (intersection over union, "
    "|A AND B| / |A OR B|) of at least 0.6. On the astronaut, try a polygon around the orange suit.",
    score=math.nan if iou is None else iou, target=0.6, score_name="IoU of A and B",
    hint=fit_hint,
    explanation=f"A and B share {counts.both:,} pixels out of {counts.union:,} in either: IoU {iou or 0:.2f}.",
)

finish_lesson("masks")
