"""Lesson: Morphology. Processing: processing/morphology.py (Otsu's mask: processing/threshold.py).
Tests: tests/app/test_morphology.py, tests/processing/test_morphology.py."""

import streamlit as st

from processing import morphology, threshold
from processing.color import as_gray
from processing.samples import SAMPLES, load_sample
from ui.cache import step
from ui.code import show_code
from ui.display import Picture, as_displayable, before_after, picture_row, show_image, zoom_nearest
from ui.exercises import choice_exercise, numeric_exercise
from ui.page import finish_lesson, lesson_link, start_lesson
from ui.url import url_choice

lesson, source = start_lesson("morphology")
is_colour = source.image.ndim == 3
gray = source.grey

OPERATIONS = {"erode": "Erode", "dilate": "Dilate", "open": "Open", "close": "Close", "gradient": "Gradient",
              "tophat": "Top-hat", "blackhat": "Black-hat"}
WHAT_IT_DOES = {
    "erode": "keeps a pixel only where the element fits inside the foreground (grey: the minimum under it)",
    "dilate": "sets a pixel wherever the element hits the foreground (grey: the maximum under it)",
    "open": "erodes, then dilates back: removes what the element cannot fit into (specks, thin spurs)",
    "close": "dilates, then erodes back: fills holes and gaps the element cannot fit into",
    "gradient": "dilation minus erosion: the outlines",
    "tophat": "the input minus its opening: small bright details, with the background removed",
    "blackhat": "the closing minus the input: small dark details (the top-hat of the inverted image)",
}
CV_OPERATIONS = {name: f"cv2.MORPH_{name.upper()}" for name in OPERATIONS}
CV_SHAPES = {"rectangle": "cv2.MORPH_RECT", "ellipse": "cv2.MORPH_ELLIPSE", "cross": "cv2.MORPH_CROSS"}
# Colours of changes_overlay / paint_changes, named for the captions.
ADDED, REMOVED = "blue", "orange"


def applied(sample_id: str, mode: str, operation: str, shape: str, size: int) -> tuple:
    """An application on a sample: (input, result, what changed). The input is Otsu's mask of the sample's grey
    version (bright objects) in binary mode, else the grey version itself."""
    grey = step(as_gray, step(load_sample, sample_id))
    before = step(threshold.otsu_selection, grey).mask if mode == "binary" else grey
    after = step(morphology.apply_morphology, before, operation=operation,
                 footprint=step(morphology.structuring_element, shape, size=size))
    return before, after, step(morphology.describe_change, before, after, operation=operation)


# 1. The idea -----------------------------------------------------------------------------
st.markdown(
    "Morphology probes shapes with a small shape of its own, the **structuring element** *B*. Centre *B* on "
    "a pixel: **erosion** keeps the pixel only if *B* fits entirely inside the foreground, **dilation** sets it "
    "if *B* hits any foreground. On a grey image the same rules become the minimum and the maximum under *B*:"
)
st.latex(r"(f \ominus B)(x) = \min_{b \in B} f(x + b) \qquad (f \oplus B)(x) = \max_{b \in B} f(x + b)")
st.markdown(
    "Here *x* is a pixel and *b* an offset from the element's centre, both as (row, column). This is what OpenCV "
    "computes; textbooks write dilation with the element reflected, max f(x − b): the two agree for a symmetric "
    "element, as every rectangle, ellipse and cross here is, and differ only for a lopsided one. "
    "Everything else is built from these two: **open** = erode then dilate, **close** = dilate then erode, "
    "**gradient** = dilate − erode, **top-hat** = input − open, **black-hat** = close − input."
)
if is_colour:
    st.info("This is a colour image: the lesson works on its grey version, gray = 0.299 R + 0.587 G + 0.114 B "
            "(`cv2.cvtColor(img, cv2.COLOR_RGB2GRAY)`), and on Otsu's mask of it for the binary input.",
            icon=":material/palette:")

# 2. Controls -------------------------------------------------------------------------------
st.header("Probe the image", anchor=False)
INPUTS = {"binary": "Binary (Otsu's mask)", "grey": "Grey"}
SHAPE_LABELS = {"rectangle": "Rectangle", "ellipse": "Ellipse", "cross": "Cross"}


@st.fragment
def look_closer(shape: str, size: int) -> None:
    """On a small binary patch, lay the element over one pixel and show both verdicts.

    Its own fragment: the Row and Column sliders rerun only this section.
    """
    patch = step(morphology.example_patch)
    small = min(size, 7)
    st.markdown(
        "A small mask with a hole, a notch, a thin line and a speck. Choose a pixel: the element is laid over it, "
        f"cells on foreground in **{ADDED}**, cells on background in **{REMOVED}**."
        + (f" (The patch uses a {small} × {small} {shape} so the element fits on it.)" if small != size else "")
    )
    pick = st.columns(2)
    row = pick[0].slider("Row", 0, patch.shape[0] - 1, 5, key="morphology_row", bind="query-params")
    col = pick[1].slider("Column", 0, patch.shape[1] - 1, 5, key="morphology_col", bind="query-params")
    element = step(morphology.structuring_element, shape, size=small)
    closer = step(morphology.closer_look, patch, row=row, col=col, footprint=element)
    fit = closer.fit
    picture_row([
        Picture(closer.on_element, crisp=True, caption=f"Element on pixel ({row}, {col})"),
        Picture(closer.eroded, crisp=True, caption="After erosion"),
        Picture(closer.dilated, crisp=True, caption="After dilation"),
    ], gap="medium")
    on_fg, on_bg = fit.n_on_foreground, fit.n_on_background
    st.markdown(
        f"Of the element's {step(morphology.element_cells, element)} cells, {on_fg} land on foreground and {on_bg} on "
        "background" + (" (cells off the edge are ignored)" if fit.reaches_outside else "") + ". "
        + ("**It fits**: erosion keeps the pixel. " if fit.fits else
           f"**It does not fit** ({on_bg} cell{'s' if on_bg != 1 else ''} on background): erosion clears the pixel. ")
        + ("**It hits**: dilation sets the pixel." if fit.hits
           else "**It misses** everything: dilation leaves the pixel background.")
    )


@st.fragment
def probe() -> tuple[str, int, int]:
    """Controls, before and after, what changed, look closer, what to notice and the code.

    A fragment: moving one of its controls reruns only this part of the page (the applications,
    "Where it breaks" and the exercises below use fixed settings). Returns (shape, size, iterations)
    for exercise 2.
    """
    top = st.columns([3, 1], gap="medium")
    with top[0]:
        input_mode = url_choice(st.segmented_control, "Work on", INPUTS, key="morphology_input", default="binary")
        operation = url_choice(st.segmented_control, "Operation", OPERATIONS, key="morphology_op", default="open")
        shape = url_choice(st.segmented_control, "Element shape", SHAPE_LABELS, key="morphology_shape",
                           default="ellipse")
        sliders = st.columns(2)
        size = sliders[0].slider("Element size (pixels)", 1, 51, 5, step=2, key="morphology_size",
                                 bind="query-params",
                                 help="Side of the square the element fills; odd, so it has a centre.")
        iterations = sliders[1].slider("Iterations", 1, 10, 1, key="morphology_iter", bind="query-params",
                                       help="As in OpenCV: open with 2 iterations erodes twice, then dilates twice.")
        dark = st.toggle("Objects are darker than background", key="morphology_dark", bind="query-params",
                         disabled=input_mode == "grey",
                         help="For the binary input: select gray <= t, so dark objects become the white foreground.")
    footprint = step(morphology.structuring_element, shape, size=size)
    cells = step(morphology.element_cells, footprint)
    with top[1]:
        show_image(step(morphology.element_picture, footprint, cell=max(4, min(24, 240 // size))), crisp=True,
                   caption=f"The element: {SHAPE_LABELS[shape].lower()} {size} × {size}, {cells} cells, centre "
                           f"framed. {OPERATIONS[operation]}: {WHAT_IT_DOES[operation]}.",
                   alt=f"Structuring element grid, {SHAPE_LABELS[shape]} {size} by {size}")

    otsu = step(threshold.otsu_selection, gray, dark_objects=dark)  # the binary input: Otsu's mask
    if input_mode == "binary":
        before, uniform = otsu.mask, otsu.count in (0, gray.size)
        before_caption = f"Input: Otsu's mask, gray {'<=' if dark else '>'} {otsu.threshold}"
    else:
        levels = step(threshold.otsu_curve, gray)
        before, uniform = gray, levels.n_levels == 1
        before_caption = "Input: grey" + (" (converted from colour)" if is_colour else "")
    with st.spinner("Applying the structuring element…"):  # a 51 × 51 element, 10 iterations: about a second
        after = step(morphology.apply_morphology, before, operation=operation, footprint=footprint,
                     iterations=iterations)
    changed = step(morphology.describe_change, before, after, operation=operation)
    if size > min(gray.shape):
        st.info(f"The element ({size} × {size}) is larger than this image ({gray.shape[1]} × {gray.shape[0]}): "
                "wherever it is laid, most of its cells fall off the edge. OpenCV ignores those cells (outside "
                "pixels never win the minimum or maximum), so every pixel sees most of the image and the result is "
                "close to one value throughout. Choose a smaller element to see shapes being probed.",
                icon=":material/info:")
    if uniform:
        what = (f"The mask is all {'foreground (white)' if otsu.count else 'background (black)'}: there is no edge "
                "for the element to fit or hit" if input_mode == "binary" else
                f"The image has a single grey level ({levels.darkest}): the minimum and the maximum under the "
                "element are that level everywhere")
        what += f", so erosion and dilation change nothing, and neither does {OPERATIONS[operation].lower()}"
        if operation in ("gradient", "tophat", "blackhat"):
            what += " (a difference of two unchanged images is zero everywhere)"
        st.info(what + ". Pick another image, or flip **Objects are darker**, to see morphology at work.",
                icon=":material/info:")
    repeat = f", {iterations} iterations" if iterations > 1 else ""

    # 3. Before and after, and what changed ------------------------------------------------------
    before_after(before, after, before_caption=before_caption, crisp_after=input_mode == "binary",
                 after_caption=f"{OPERATIONS[operation]}, {SHAPE_LABELS[shape].lower()} {size} × {size}{repeat}")

    st.subheader("What changed", anchor=False)
    objects_before, objects_after = changed.objects_before, changed.objects_after
    if changed.picture is not None:  # a mask, or a grey image after erode, dilate, open or close
        picture_column, numbers_column = st.columns(2, gap="medium")
        with picture_column:
            show_image(changed.picture, crisp=True, caption=(
                f"White = foreground in both, {ADDED} = added, {REMOVED} = removed" if input_mode == "binary"
                else f"Grey input with pixels made brighter in {ADDED} and darker in {REMOVED}"))
        with numbers_column:
            if input_mode == "binary":
                st.metric("Pixels added", f"{changed.n_added:,}")
                st.metric("Pixels removed", f"{changed.n_removed:,}")
                st.metric("Separate objects", f"{objects_after:,}",
                          delta=f"{objects_after - objects_before:+,} from {objects_before:,}", delta_color="off")
            else:
                st.metric("Pixels brighter", f"{changed.n_added / before.size:.1%}")
                st.metric("Pixels darker", f"{changed.n_removed / before.size:.1%}")
    else:  # black-hat is for dark details, so the input is thresholded for dark objects
        st.markdown(f"{OPERATIONS[operation]} makes a new image (a difference), not an edited copy of the input. "
                    "What it is for shows when you threshold both with Otsu's method:")
        picture_row([
            Picture(changed.input_mask, crisp=True, caption=f"Otsu on the input: gray "
                    f"{'<=' if operation == 'blackhat' else '>'} {changed.input_threshold}"),
            Picture(changed.result_mask, crisp=True,
                    caption=f"Otsu on the {OPERATIONS[operation].lower()}: result > {changed.result_threshold}"),
        ])

    # 4. Look closer: where the element fits and hits (nested: its sliders rerun only it) --------------
    st.header("Look closer: where the element fits and where it hits", anchor=False)
    look_closer(shape, size)

    with st.expander("From scratch: erosion and dilation in NumPy agree with OpenCV", icon=":material/calculate:"):
        check = step(morphology.compare_with_opencv, before, footprint=footprint, iterations=iterations,
                     max_work=8_000_000)  # a bounded job (~5 ms): the NumPy version makes one pass per cell
        st.code(
            "def erode_numpy(image, element):\n"
            "    \"\"\"Minimum over one shifted copy of the image per element cell.\"\"\"\n"
            "    r, c = element.shape[0] // 2, element.shape[1] // 2\n"
            "    padded = np.pad(image, ((r, r), (c, c)), constant_values=image.max(initial=255))"
            "  # outside never wins\n"
            "    result = np.full_like(image, 255)\n"
            "    for i, j in zip(*np.nonzero(element)):\n"
            "        result = np.minimum(result, padded[i:i + image.shape[0], j:j + image.shape[1]])\n"
            "    return result  # dilation: np.maximum, pad and start with 0",
            language="python",
        )
        region = ("the whole input" if check.whole_image
                  else f"a centred {check.shape[1]} × {check.shape[0]} crop (bounded work)")
        metric_columns = st.columns(2)
        metric_columns[0].metric("max |erode_numpy − cv2.erode|", str(check.erode_difference))
        metric_columns[1].metric("max |dilate_numpy − cv2.dilate|", str(check.dilate_difference))
        st.caption(f"Compared on {region}, with the current element{repeat}. OpenCV is faster (SIMD, and a "
                   "rectangle is split into a row and a column pass) but computes the same minimum and maximum.")

    # 5. What to notice ---------------------------------------------------------------------------------
    st.subheader("What to notice", anchor=False)
    if input_mode == "binary":
        st.markdown(
            f"{OPERATIONS[operation]} with a {cells}-cell element added {changed.n_added:,} pixels and removed "
            f"{changed.n_removed:,}; the mask went from {objects_before:,} to {objects_after:,} separate objects. "
            "Erosion and opening can only remove pixels, dilation and closing can only add them: compare the two "
            "colours as you switch operations. Opening and closing keep what the element fits (or fits around), so "
            "large shapes keep their size while specks and holes smaller than the element go."
        )
    elif operation in ("erode", "dilate", "open", "close"):
        st.markdown(
            f"On a grey image {OPERATIONS[operation].lower()} made {changed.n_added / before.size:.1%} of the pixels "
            f"brighter and {changed.n_removed / before.size:.1%} darker. Erosion only ever darkens (a minimum never "
            "exceeds the centre value) and dilation only brightens; opening flattens bright details narrower than the "
            "element, closing fills dark ones."
        )
    else:
        st.markdown(
            f"The result runs from {changed.low} to {changed.high}, with mean {changed.mean:.1f}: mostly dark, "
            "because the background (everything the element fits) has been subtracted. That is why Otsu's threshold "
            "on it picks out the details even when the lighting is uneven."
        )

    # The code, right under the result it reproduces -------------------------------------------------
    gray_line = "gray = cv2.cvtColor(img, cv2.COLOR_RGB2GRAY)" if is_colour else "gray = img  # already grey"
    element_line = f"element = cv2.getStructuringElement({CV_SHAPES[shape]}, ({size}, {size}))"
    if input_mode == "binary":
        cv_type = "cv2.THRESH_BINARY_INV" if dark else "cv2.THRESH_BINARY"
        body = (f"{gray_line}\nt, mask = cv2.threshold(gray, 0, 255, {cv_type} + cv2.THRESH_OTSU)"
                f"  # t = {otsu.threshold}.0; mask is 0 or 255\n"
                f"{element_line}\nresult = cv2.morphologyEx(mask, {CV_OPERATIONS[operation]}, element, "
                f"iterations={iterations})")
        shown = step(as_displayable, after)  # the mask exactly as drawn: 0 or 255
    else:
        body = (f"{gray_line}\n{element_line}\n"
                f"result = cv2.morphologyEx(gray, {CV_OPERATIONS[operation]}, element, iterations={iterations})")
        shown = after
    show_code(body, source=source, result=shown)
    return shape, size, iterations


shape, size, iterations = probe()

# Applications on real samples ------------------------------------------------------------------------
st.header("Applications", anchor=False)
APPLICATIONS = [
    ("Remove specks: open", "coins", "binary", "open", "ellipse", 5),
    ("Fill holes: close", "coins", "binary", "close", "ellipse", 7),
    ("Outlines: gradient", "shapes", "binary", "gradient", "rectangle", 3),
    ("Flatten the background: black-hat", "page", "grey", "blackhat", "ellipse", 15),
]
for column, (title, sample_id, mode, app_op, app_shape, app_size) in zip(st.columns(4), APPLICATIONS):
    card_before, card_after, card = applied(sample_id, mode, app_op, app_shape, app_size)
    with column.container(border=True, height="stretch"):  # every card as tall as the tallest
        st.markdown(f"**{title}**")
        if mode == "binary":
            show_image(card_before, crisp=True, caption=f"{SAMPLES[sample_id].title}: Otsu mask", max_width=400)
            show_image(card_after, crisp=True, caption=f"{OPERATIONS[app_op]}, {app_shape} {app_size}", max_width=400)
            if app_op == "open":
                st.caption(f"Objects: {card.objects_before} → {card.objects_after}.")
            elif app_op == "close":
                st.caption(f"{card.n_added:,} pixels of holes and gaps filled.")
            else:
                st.caption(f"{card.pixels_after:,} outline pixels, "
                           f"{card.pixels_after / max(card.pixels_before, 1):.0%} of the foreground pixels.")
        else:
            show_image(card.input_mask, crisp=True, caption="Otsu on the page: fails on the left", max_width=400)
            show_image(card.result_mask, crisp=True, caption=f"Otsu after black-hat {app_size}: every line",
                       max_width=400)
            st.caption("Text is dark, so black-hat (the top-hat of the inverted page) is the top-hat to use; "
                       "top-hat itself is for bright details on a dark, uneven background.")
        st.page_link(lesson.page, label="Try it", icon=":material/play_arrow:",
                     query_params={"img": sample_id, "morphology_input": mode, "morphology_op": app_op,
                                   "morphology_shape": app_shape, "morphology_size": str(app_size)})

# 6. Where it breaks ---------------------------------------------------------------------------------------
st.header("Where it breaks: touching objects merge", anchor=False)
coins_mask, coins_closed, coins = applied("coins", "binary", "close", "ellipse", 15)
objects_before, objects_after = coins.objects_before, coins.objects_after
st.markdown(
    f"Closing fills holes, but it fills the gaps *between* objects too. On the coins, a 15 × 15 ellipse closes the "
    f"narrow gaps between neighbouring coins: {objects_before} separate regions become {objects_after}, and no "
    "later erosion can tell the merged coins apart again without also shrinking them. Separating touching "
    "objects needs a different tool: the distance transform and watershed."
)
picture_row([
    Picture(coins_mask, crisp=True, caption=f"Coins, Otsu mask: {objects_before} regions"),
    Picture(coins_closed, crisp=True, caption=f"Closed with a 15 × 15 ellipse: {objects_after} regions"),
])
lesson_link("segmentation", "Split touching objects with watershed: Segmentation", query_params={"img": "coins"})

# 8. Check yourself ------------------------------------------------------------------------------------------
st.header("Check yourself", anchor=False)
option_operations = {"A": "close", "B": "erode", "C": "open", "D": "dilate"}
speckled = step(morphology.speckled_shapes)
ellipse = step(morphology.structuring_element, "ellipse", size=5)
# Enlarged 3× without smoothing, so single-pixel specks stay visible.
option_pictures = [step(zoom_nearest, step(morphology.apply_morphology, speckled, operation=op, footprint=ellipse),
                        cell=3) for op in option_operations.values()]
before_column, _ = st.columns([1, 3])
with before_column:
    show_image(step(zoom_nearest, speckled, cell=3), crisp=True, caption="The mask before (for exercise 1)")
choice_exercise(
    "morphology_which", number=1,
    question="The mask above, with specks and small holes, went through four operations with the same 5 × 5 "
             "ellipse. Which one removed the specks but kept the shapes' size?",
    options=list(option_operations), correct="C",
    pictures=option_pictures,
    hint="Erosion shrinks everything and dilation grows everything; one of the other two removes small white bits.",
    explanation="C is the opening: erosion deletes the specks, and the dilation after it restores the shapes "
                "(A, the closing, filled the holes but kept the specks).",
)
# The question names no setting: the controls above rerun on their own, so a quoted value would go stale.
# The answer, hint and explanation are made on the full run that "Check" starts, from the current settings.
repeat_words = f"{iterations} iteration{'s' if iterations > 1 else ''}"
width_after = step(morphology.dilated_square_width, 20,
                   footprint=step(morphology.structuring_element, shape, size=size), iterations=iterations)
numeric_exercise(
    "morphology_width", number=2,
    question="A white 20 × 20 square is dilated with the element set above (its shape, size and iterations). "
             "How many pixels wide is it afterwards?",
    answer=width_after,
    hint=f"Your element is a {shape} {size} × {size} with {repeat_words}. Each dilation adds the element's "
         "half-width on both sides: (size − 1) / 2 on the left and on the right.",
    explanation=f"With a {shape} {size} × {size} and {repeat_words}: 20 + ({size} − 1) × {iterations} = "
                f"{width_after}.",
)
fit_answer = step(morphology.element_fit, step(morphology.example_patch), row=4, col=5,
                  footprint=step(morphology.structuring_element, "rectangle", size=3))
FIT_OPTIONS = ("Fits: erosion keeps it", "Hits but does not fit: erosion clears it, dilation sets it",
               "Misses: background after both")
correct_fit = FIT_OPTIONS[0] if fit_answer.fits else FIT_OPTIONS[1] if fit_answer.hits else FIT_OPTIONS[2]
choice_exercise(
    "morphology_fit", number=3,
    question="In the *Look closer* patch, lay a 3 × 3 rectangle over the pixel at row 4, column 5. "
             "What happens to it?",
    options=FIT_OPTIONS, correct=correct_fit,
    hint="Set Row 4 and Column 5 above with a Rectangle of size 3 and count the orange cells.",
    explanation=f"{fit_answer.n_on_background} cells land on background (the one-pixel hole and the notch), so it "
                f"does not fit; {fit_answer.n_on_foreground} land on foreground, so it hits.",
)

finish_lesson("morphology")
