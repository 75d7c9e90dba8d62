"""Lesson: Masks. Processing: processing/masks.py (tint: processing/threshold.py).
Tests: tests/app/test_masks.py, tests/processing/test_masks.py."""

import math
import re
from functools import partial

import streamlit as st

from processing import masks
from processing.samples import SAMPLES, load_sample
from processing.stats import CHANNEL_NAMES
from processing.threshold import overlay_mask
from ui.cache import step
from ui.charts import show_masked_histograms
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
OPERATIONS = {"a": "A only", "b": "B only", "and": "A AND B", "or": "A OR B", "xor": "A XOR B",
              "minus": "A AND NOT B (A minus B)"}
COMBINE_CODE = {"a": "mask = mask_a", "b": "mask = mask_b", "and": "mask = mask_a & mask_b",  # NumPy's operators
                "or": "mask = mask_a | mask_b", "xor": "mask = mask_a ^ mask_b",
                "minus": "mask = mask_a & ~mask_b  # in A but not in B"}
BACKGROUNDS = {"black": "Black", "checkerboard": "Checkerboard"}
DEFAULT_POLYGON = "8,45; 30,38; 60,40; 72,60; 70,100; 5,100"
A_COLOUR, B_COLOUR = masks.A_COLOUR, masks.B_COLOUR
CUT_OUT_CODE = """\
# Mask A: a shape, drawn with value 1 on zeros
mask_a = np.zeros(img.shape[:2], np.uint8)
{code_a}
mask_a = mask_a.astype(bool)

# Mask B: a rule on the pixels
{code_b}

# Combine (NumPy's &, |, ^, ~ work pixel by pixel on bool arrays)
{combine}

# Apply
{apply}

# For a PNG with transparency the mask becomes the alpha channel (255 = opaque, 0 = transparent):
rgba = np.dstack([{alpha_source}, mask.astype(np.uint8) * 255])
# cv2.imwrite("cut_out.png", cv2.cvtColor(rgba, cv2.COLOR_RGBA2BGRA))  # OpenCV writes BGRA
"""


def pixel(x_percent: float, y_percent: float) -> tuple[int, int]:
    """The pixel (x, y) = (column, row) at a position given in percent of the width and height
    (0 % is the first column or row, 100 % the last)."""
    return round(x_percent / 100 * (width - 1)), round(y_percent / 100 * (height - 1))


# Blend two images ---------------------------------------------------------------------------
SECOND_IMAGES = {sample_id: sample.title for sample_id, sample in SAMPLES.items()}  # any sample


@st.fragment
def blend_panel(mask) -> None:
    """Blend controls change only this panel, so only it reruns (nested in the mask dialog, it also
    reruns with it: the blend inside the mask depends on the mask)."""
    st.header("Blend two images", anchor=False)
    st.markdown(
        "A blend is a mask with a weight between 0 and 1, the same for every pixel: "
        "`result = α · img + (1 − α) · second`. With **Only inside the mask** the weight is α inside "
        "the mask and 0 outside, so at α = 1 the cut-out is pasted onto the second image. A second image of "
        "other proportions is not stretched: its centre, cut to img's proportions, is resized to img's size."
    )
    controls = st.columns(3)
    second_id = url_choice(controls[0].selectbox, "Second image", SECOND_IMAGES, key="masks_second",
                           default="chelsea", help="Any sample; 'Gradient ramp' is a synthetic gradient.")
    alpha = controls[1].slider("Weight α of img", 0.0, 1.0, 0.5, 0.05, key="masks_alpha", bind="query-params")
    inside = controls[2].toggle("Only inside the mask", key="masks_inside", bind="query-params")
    second = step(load_sample, second_id)
    fitted = step(masks.fit_to_shape, second, shape=(height, width))  # its centre, img's proportions: not stretched
    mixed = (step(masks.masked_blend, img, fitted, mask, alpha=alpha) if inside
             else step(masks.blend, img, fitted, alpha=alpha))
    resized = second.shape[:2] != img.shape[:2]
    picture_row([
        Picture(img, caption=f"img (weight {alpha:g})"),
        Picture(fitted, caption=f"second: {SAMPLES[second_id].title}{', its centre, resized' if resized else ''} "
                                f"(weight {1 - alpha:g})"),
        Picture(mixed, caption=f"Blend{' inside the mask' if inside else ''}, α = {alpha:g}"),
    ], gap="medium")
    lines = [re.sub(r"\bimg\b", "second", SAMPLES[second_id].code) + "  # the second image"]
    if resized:  # the centre with img's aspect ratio, then resized: a blend never stretches a picture
        top, left, bottom, right = masks.centre_crop_box(second.shape[:2], aspect_of=(height, width))
        shrinking = bottom - top >= height and right - left >= width
        lines.append(f"second = second[{top}:{bottom}, {left}:{right}]  # its centre, with img's aspect ratio\n"
                     f"second = cv2.resize(second, ({width}, {height}), interpolation=cv2."
                     f"{'INTER_AREA' if shrinking else 'INTER_LINEAR'})")
    if img.ndim != second.ndim:  # one is grey: made RGB
        grey_one = "img" if img.ndim == 2 else "second"
        lines.append(f"{grey_one} = cv2.cvtColor({grey_one}, cv2.COLOR_GRAY2RGB)  # both RGB")
    lines.append(f"alpha = {alpha!r}\n" + (
        "# mask: the bool mask made by the code of the cut-out, below\n"
        "mixed = cv2.addWeighted(img, alpha, second, 1 - alpha, 0)\n"
        f"result = np.where({'mask[:, :, None]' if mixed.ndim == 3 else 'mask'}, mixed, second)"
        "  # weight alpha inside the mask, 0 outside" if inside
        else "result = cv2.addWeighted(img, alpha, second, 1 - alpha, 0)  # rounded to uint8"))
    show_code("\n".join(lines), source=source, result=mixed, inputs={"img": img, "mask": mask},
              title="The code of this blend")


st.header("Make two masks and combine them", anchor=False)
st.caption("Positions and sizes are percentages of the image, so a shared link fits any image; the code below "
           "shows them in pixels, as OpenCV's drawing functions take them: (x, y) = (column, row).")


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
        shape = url_choice(st.radio, "Shape", SHAPES, key="masks_shape", default="circle", horizontal=True)
        if shape == "rectangle":
            xs = st.slider("Left and right edge (% of width)", 0, 100, (30, 70), key="masks_xs", bind="query-params")
            ys = st.slider("Top and bottom edge (% of height)", 0, 100, (10, 45), key="masks_ys", bind="query-params")
            corner1, corner2 = pixel(xs[0], ys[0]), pixel(xs[1], ys[1])
            mask_a = step(masks.rectangle_mask, (height, width), corner1=corner1, corner2=corner2)
            code_a = (f"cv2.rectangle(mask_a, {corner1}, {corner2}, 1, thickness=-1)"
                      "  # two opposite corners (x, y), both inside")
            shape_words = f"rectangle from {corner1} to {corner2}"
        elif shape in ("circle", "ellipse"):
            center = pixel(st.slider("Centre x (% of width)", 0, 100, 44, key="masks_cx", bind="query-params"),
                           st.slider("Centre y (% of height)", 0, 100, 21, key="masks_cy", bind="query-params"))
            if shape == "circle":
                radius = round(st.slider("Radius (% of the shorter side)", 0, 100, 14, key="masks_radius",
                                         bind="query-params") / 100 * min(height, width))
                mask_a = step(masks.circle_mask, (height, width), center=center, radius=radius)
                code_a = f"cv2.circle(mask_a, {center}, {radius}, 1, thickness=-1)  # centre (x, y), radius"
                shape_words = f"circle of radius {radius} px around {center}"
            else:
                ax = st.slider("Half-width (% of width)", 0, 100, 11, key="masks_ax", bind="query-params")
                ay = st.slider("Half-height (% of height)", 0, 100, 15, key="masks_ay", bind="query-params")
                angle = st.slider("Rotation (degrees, clockwise)", -90, 90, 0, key="masks_angle", bind="query-params")
                axes = (round(ax / 100 * width), round(ay / 100 * height))
                mask_a = step(masks.ellipse_mask, (height, width), center=center, axes=axes, angle=angle)
                code_a = (f"cv2.ellipse(mask_a, {center}, {axes}, {angle}, 0, 360, 1, thickness=-1)"
                          "  # centre, half-axes, angle")
                shape_words = f"ellipse with half-axes {axes} around {center}"
        else:
            text = st.text_input("Corners: x,y; x,y; ... (% of width, % of height)", DEFAULT_POLYGON,
                                 key="masks_points", bind="query-params", max_chars=300,
                                 help="3 to 20 corners, in drawing order; the last joins the first.")
            points, reason = masks.parse_points(text)
            if points is None:
                st.warning(f"Those corners could not be read: {reason} Write 3 to 20 pairs of numbers from 0 to "
                           "100, like 10,20; 80,20; 50,90. The default polygon is drawn instead.",
                           icon=":material/warning:")
                points, _ = masks.parse_points(DEFAULT_POLYGON)
            vertices = tuple(pixel(x, y) for x, y in points)
            mask_a = step(masks.polygon_mask, (height, width), points=vertices)
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
        grey_line = ("grey = cv2.cvtColor(img, cv2.COLOR_RGB2GRAY)  # 0.299 R + 0.587 G + 0.114 B" if is_colour
                     else "grey = img")
        if rule == "hsv":
            degrees = st.slider("Hue (degrees)", 0, 358, (8, 28), step=2, key="masks_hue_deg", bind="query-params",
                                help="Red 0°, orange about 20°, yellow 60°, green 120°, blue 240°.")
            hue = (degrees[0] // 2, degrees[1] // 2)  # OpenCV's 8-bit hue is degrees / 2, 0-179
            st.caption(f"OpenCV hue {hue[0]}–{hue[1]} (degrees ÷ 2, so 0–179 fits in 8 bits)")
            wrap = st.toggle("Outside this hue range", key="masks_wrap", bind="query-params",
                             help="Wraps round red: hues at or above the right end and at or below the left end.")
            sat = st.slider("Saturation", 0, 255, (120, 255), key="masks_sat", bind="query-params")
            val = st.slider("Value (brightness)", 0, 255, (90, 255), key="masks_val", bind="query-params")
            # Outside the range: from the right end up to 179, and from 0 up to the left end (lower > upper).
            lower, upper = (hue[1] if wrap else hue[0], sat[0], val[0]), (hue[0] if wrap else hue[1], sat[1], val[1])
            mask_b = step(masks.color_range_mask, img, lower=lower, upper=upper, space="hsv")
            code_b = "hsv = cv2.cvtColor(img, cv2.COLOR_RGB2HSV)  # img is RGB, not BGR\n" + (
                f"high_hues = cv2.inRange(hsv, {lower}, {(179, sat[1], val[1])}) > 0\n"
                f"low_hues = cv2.inRange(hsv, {(0, sat[0], val[0])}, {upper}) > 0\n"
                "mask_b = high_hues | low_hues  # hue wraps round red" if wrap
                else f"mask_b = cv2.inRange(hsv, {lower}, {upper}) > 0  # bounds included")
            rule_words = (f"hue ≥ {degrees[1]}° or ≤ {degrees[0]}° (OpenCV ≥ {hue[1]} or ≤ {hue[0]})" if wrap
                          else f"hue {degrees[0]}–{degrees[1]}° (OpenCV {hue[0]}–{hue[1]})")
        elif rule == "rgb":
            red = st.slider("Red", 0, 255, (150, 255), key="masks_red", bind="query-params")
            green = st.slider("Green", 0, 255, (40, 140), key="masks_green", bind="query-params")
            blue = st.slider("Blue", 0, 255, (0, 90), key="masks_blue", bind="query-params")
            lower, upper = (red[0], green[0], blue[0]), (red[1], green[1], blue[1])
            mask_b = step(masks.color_range_mask, img, lower=lower, upper=upper, space="rgb")
            code_b = f"mask_b = cv2.inRange(img, {lower}, {upper}) > 0  # (R, G, B) bounds, included"
            rule_words = f"RGB between {lower} and {upper}"
        elif rule == "grey":
            grey_range = st.slider("Grey level", 0, 255, (0, 80), key="masks_grey", bind="query-params")
            mask_b = step(masks.gray_range_mask, img, lower=grey_range[0], upper=grey_range[1])
            code_b = f"{grey_line}\nmask_b = cv2.inRange(grey, {grey_range[0]}, {grey_range[1]}) > 0  # bounds included"
            rule_words = f"grey {grey_range[0]}–{grey_range[1]}"
        else:
            threshold = st.slider("Threshold t", 0, 255, 128, key="masks_t", bind="query-params")
            dark = st.toggle("Objects are darker than the background", key="masks_dark", bind="query-params")
            mask_b = step(masks.threshold_mask, img, threshold=threshold, dark_objects=dark)
            comparison = "<=" if dark else ">"
            code_b = f"{grey_line}\nmask_b = grey {comparison} {threshold}"
            rule_words = f"grey {comparison} {threshold}"

    with col_c:
        st.subheader("Combine and apply", anchor=False)
        operation = url_choice(st.radio, "Result mask", OPERATIONS, key="masks_op", default="or")
        invert = st.toggle("NOT: invert the result", key="masks_not", bind="query-params",
                           help="Swap selected and not selected (~mask).")
        background = url_choice(st.segmented_control, "Background of the cut-out", BACKGROUNDS, key="masks_bg",
                                default="black", help="Checkerboard: the squares editors show behind transparency.")

    op_words = ("NOT (" + OPERATIONS[operation] + ")") if invert else OPERATIONS[operation]
    mask = step(masks.combine_masks, mask_a, mask_b, operation=operation, invert=invert)
    counts = step(masks.overlap_counts, mask_a, mask_b)
    stats = step(masks.masked_histogram, img, mask)
    square = max(4, round(max(height, width) / 32))  # about 32 squares across at any size
    cutout = step(masks.cut_out, img, mask, background=background, square=square)

    # 3. Before and after ---------------------------------------------------------------------
    picture_row([
        Picture(step(overlay_mask, img, mask_a, color=A_COLOUR, alpha=0.55),
                caption=f"A: {shape_words} ({counts.in_a:,} px, {counts.in_a / total:.1%})"),
        Picture(step(overlay_mask, img, mask_b, color=B_COLOUR, alpha=0.55),
                caption=f"B: {rule_words} ({counts.in_b:,} px, {counts.in_b / total:.1%})"),
        Picture(mask, crisp=True, caption=f"mask = {op_words}: {stats.n_masked:,} px, {stats.n_masked / total:.1%} "
                                          "(white = selected)"),
    ], gap="medium")

    fill = "black, a spike at 0" if background == "black" else "the checkerboard's two greys, spikes at 204 and 255"
    before_after(img, cutout, before_caption=f"img, {describe_array(img)}", crisp_after=background == "checkerboard",
                 after_caption="Cut-out on "
                 + ("black: img · mask" if background == "black" else "a checkerboard (transparent)"),
                 after_note=f"Its histogram would show the {total - stats.n_masked:,} masked-out pixels: {fill}. "
                 "Measuring the cut-out would count them; the histogram of the masked pixels below does not."
                 if stats.n_masked < total else None)
    download_column, note_column = st.columns([1, 2])
    # The PNG is made only when the button is pressed: encoding 2 MP with alpha takes ~150 ms,
    # too much for every slider move. Re-encoded pixels, never the uploaded file's bytes.
    with download_column:
        st.download_button(
            "Download PNG with alpha", partial(step, masks.cut_out_png, img, mask), file_name="pixel-lab-cut-out.png",
            mime="image/png", icon=":material/download:", key="masks_download", on_click="ignore")
    note_column.caption("The PNG holds four channels: the image's own colours and the mask as alpha (255 = opaque, "
                        "0 = transparent), so other programs see through the unselected pixels.")

    # The histogram of only the masked pixels -------------------------------------------------
    st.subheader("Histogram of the masked pixels only", anchor=False)
    show_masked_histograms(stats, channels=CHANNEL_NAMES[img.ndim])
    if stats.empty:
        st.warning("The mask is empty: it selects no pixel, so the masked histogram is empty and a masked mean or "
                   "share is meaningless (0 of 0). Widen the ranges or change the combination.",
                   icon=":material/warning:")

    blend_panel(mask)

    # 4. Look closer: the truth table -----------------------------------------------------------
    st.header("Look closer: the truth table of the combination", anchor=False)
    st.markdown(
        f"Each pixel is in A or not and in B or not: four cases. **{op_words}** keeps the cases marked "
        "below. The picture shows the same rule on two overlapping discs; the table counts this image's pixels."
    )
    venn_column, table_column = st.columns([1, 2], gap="medium")
    with venn_column:
        disc_a, disc_b = step(masks.venn_masks, size=160)
        show_image(step(masks.venn_picture, step(masks.combine_masks, disc_a, disc_b, operation=operation,
                                                 invert=invert)), crisp=True,
                   caption=f"{op_words}: the blue area is selected",
                   alt=f"Two overlapping discs A and B in a 160 × 160 picture; where {op_words} holds is shaded blue")
    with table_column:
        selected = masks.truth_table(operation, invert=invert)  # the same rule as the image's masks
        # A Markdown table, not st.dataframe: four rows need no grid, and the grid is slow to redraw.
        table = [f"| in A | in B | in {op_words} | pixels of this image |", "|:-:|:-:|:-:|--:|"]
        table += [f"| {'yes' if a else 'no'} | {'yes' if b else 'no'} | {'✔ selected' if chosen else '–'} | {n:,} |"
                  for (a, b, n), chosen in zip(counts.cases, selected)]
        st.markdown("\n".join(table))
        st.caption(f"The four counts add up to all {total:,} pixels of the image.")

    # 5. What to notice --------------------------------------------------------------------------
    st.subheader("What to notice", anchor=False)
    st.markdown(
        f"The mask selects {stats.n_masked:,} of {total:,} pixels ({stats.n_masked / total:.1%}). "
        f"A OR B counts {counts.union:,} pixels: not |A| + |B| = {counts.in_a:,} + {counts.in_b:,} = "
        f"{counts.in_a + counts.in_b:,}, because the {counts.both:,} pixels in both would be counted twice. "
        + ("With an empty mask there is no masked mean to compare: the statistics need at least one pixel."
           if stats.empty else
           f"Inside the mask the mean ({'red / green / blue' if is_colour else 'grey'}) is "
           f"{' / '.join(f'{v:.1f}' for v in stats.masked_mean)}, against "
           f"{' / '.join(f'{v:.1f}' for v in stats.whole_mean)} for the whole image: the masked histogram "
           "describes the selected object, not the photo.")
    )

    # The code, right under the result it reproduces --------------------------------------------
    apply_lines = (
        "result = cv2.bitwise_and(img, img, mask=mask.astype(np.uint8))  # img · mask" if background == "black"
        else f"tiles = (np.indices(mask.shape) // {square}).sum(axis=0) % 2\n"
        "board = np.where(tiles == 1, 204, 255).astype(np.uint8)  # the usual 'transparent' checkerboard\n"
        + ("board = cv2.cvtColor(board, cv2.COLOR_GRAY2RGB)\nresult = np.where(mask[:, :, None], img, board)"
           if is_colour else "result = np.where(mask, img, board)"))
    show_code(CUT_OUT_CODE.format(code_a=code_a, code_b=code_b, apply=apply_lines,
                                  combine=COMBINE_CODE[operation] + ("\nmask = ~mask  # NOT" if invert else ""),
                                  alpha_source="img" if is_colour else "img, img, img"),
              source=source, result=cutout)

    # 6. Where it breaks: mask B's own flaws (B's controls are in this fragment, so it is too) ------------
    st.header("Where it breaks: pixel rules know nothing about shape", anchor=False)
    max_area = max(4, total // 5000)
    flaws = step(masks.find_specks_and_holes, mask_b, max_area=max_area)  # ~40 ms on 2 MP
    picture_column, text_column = st.columns([1, 1], gap="medium")
    with picture_column:  # grown marks keep one-pixel flaws visible once the picture is shrunk to the column
        show_image(step(masks.specks_picture, mask_b, flaws, grow=width // 450), crisp=True,
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
disc_a, disc_b = step(masks.venn_masks, size=160)
choice_exercise(
    "masks_code", number=2,
    question="Which picture is `mask_b & ~mask_a`?",
    options=["1", "2", "3", "4"], correct="2",
    pictures=[step(masks.venn_picture, step(masks.combine_masks, first, second, operation=operation))
              for first, second, operation in ((disc_a, disc_b, "xor"), (disc_b, disc_a, "minus"),
                                               (disc_a, disc_b, "and"), (disc_a, disc_b, "minus"))],
    hint="`~mask_a` is everything outside A; `&` keeps what is also in B.",
    explanation="In B and not in A: B minus A, the right disc without the overlap. Picture 4 is A minus B.",
)
iou = counts.iou
# Said in the hint (made on the full run "Check my settings" starts), not in a note here that the
# controls above, rerunning on their own, would leave stale.
fit_hint = ("A and B are both empty, so their IoU is 0 / 0: undefined, neither agreement nor disagreement. "
            "Give both masks some pixels to score the fit." if math.isnan(iou)
            else "Pixels of A outside B and of B outside A both lower the IoU: fit the outline, not a bigger box.")
target_exercise(
    "masks_fit", number=3,
    question="Make shape A cover the same pixels as mask B: reach an IoU (intersection over union, "
    "|A AND B| / |A OR B|) of at least 0.6. On the astronaut, try a polygon around the orange suit.",
    score=iou, target=0.6, score_name="IoU of A and B",
    hint=fit_hint,
    explanation=f"A and B share {counts.both:,} pixels out of {counts.union:,} in either: IoU "
                + ("undefined (0 / 0)." if math.isnan(iou) else f"{iou:.2f}."),
)

finish_lesson("masks")
