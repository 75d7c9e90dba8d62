"""Lesson: Thresholding. Processing: processing/threshold.py (IoU: processing/masks.py).
Tests: tests/app/test_thresholding.py, tests/processing/test_threshold.py."""

import math

import streamlit as st

from processing import masks, threshold
from processing.samples import load_sample
from ui.cache import step
from ui.charts import SERIES_COLOURS, otsu_variance_svg, row_profile_svg, show_chart, show_threshold_histogram
from ui.code import show_code
from ui.display import Picture, picture_row, show_image
from ui.exercises import choice_exercise, numeric_exercise, target_exercise
from ui.lessons import LESSONS_BY_SLUG
from ui.page import finish_lesson, index_slider, start_lesson
from ui.url import url_choice

lesson, source = start_lesson("thresholding")
is_colour = source.image.ndim == 3
gray = source.grey  # every threshold compares one number per pixel
height, width = gray.shape
morphology_page = LESSONS_BY_SLUG["morphology"].page

SELECTED_COLOUR = (255, 0, 0)  # ImageJ's red for "selected"
AUTO_LABELS = {"otsu": "Otsu", "li": "Li (minimum cross-entropy)", "yen": "Yen (maximum entropy)",
               "isodata": "Isodata (iterated means)", "mean": "Mean grey level",
               "minimum": "Minimum (valley between two peaks)", "triangle": "Triangle"}


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
METHODS = {"manual": "Manual", "otsu": "Otsu", "triangle": "Triangle", "auto": "Try all",
           "multiotsu": "Three classes", "adaptive": "Adaptive (local)"}
st.header("The threshold dialog", anchor=False)
method = url_choice(st.segmented_control, "Method", METHODS, key="thresholding_method", default="manual")
# Otsu's value (as OpenCV computes it) and its curve: every mode and exercise 1 need them.
otsu = step(threshold.otsu_curve, gray)
otsu_t = otsu.threshold


@st.fragment
def threshold_dialog() -> tuple[int, bool]:
    """Controls, before and after, look closer, what to notice and the code of the chosen method.

    A fragment: moving one of its controls reruns only this part of the page. Returns (your t, darker).
    """
    controls = st.columns([4, 3, 3, 3] if method == "adaptive" else [4, 3, 6])  # room for the longest name
    dark = controls[0].toggle(
        "Objects are darker", key="thresholding_dark", bind="query-params", disabled=method == "multiotsu",
        help="Darker than the background: select gray <= t (cv2.THRESH_BINARY_INV) instead of gray > t. The two "
             "masks are exact complements.",
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
        block = controls[3].slider(
            "Block size (pixels)", 3, 255, 35, step=2, key="thresholding_block", bind="query-params",
            help="Side of the square neighbourhood whose mean is the local threshold.")
        offset = controls[3].slider(
            "Offset C", -30, 30, 10, key="thresholding_c", bind="query-params",
            help="Subtracted from the local mean: a positive C keeps flat regions out of the mask.")

    otsu_selection = step(threshold.manual_threshold, gray, threshold=otsu_t, dark_objects=dark)
    constant = otsu.n_levels == 1
    if constant:
        st.warning(f"Otsu needs at least two grey levels; this image has one ({otsu.darkest}), so it has a single "
                   f"grey level and no threshold to find. OpenCV still returns t = {otsu_t}, which means nothing "
                   "here: the result is all or nothing. Pick another image to see Otsu at work." if method == "otsu"
                   else f"This image has a single grey level ({otsu.darkest}): there is nothing to separate, so "
                   "every method gives all or nothing. Pick another image to see thresholds at work.",
                   icon=":material/info:")
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
            body = (f"{gray_line}\nt, _ = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)"
                    f"  # t = {t}.0\nresult = gray {comparison} t")
        elif method == "triangle":
            t, t_name, t_source = step(threshold.triangle_threshold, gray), "triangle t", "OpenCV, cv2.THRESH_TRIANGLE"
            body = (f"{gray_line}\nt, _ = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_TRIANGLE)"
                    f"  # t = {t}.0\nresult = gray {comparison} t")
        else:
            autos = step(threshold.auto_thresholds, gray)
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
                        f"t = filters.threshold_{auto_id}(gray)  # t = {chosen.threshold:.4g}\n"
                        f"result = gray {comparison} t")
        thresholded = step(threshold.manual_threshold, gray, threshold=t, dark_objects=dark)
        result = thresholded.mask
        selected_count = thresholded.count
        left, right = st.columns(2, gap="medium")
        with left:
            show_image(step(threshold.overlay_mask, gray, result, color=SELECTED_COLOUR, alpha=0.5), crisp=True,
                       caption="Input" + (" (grey version)" if is_colour else "") + ", selected pixels in red")
            show_threshold_histogram(gray, lines=[(t, t_name, SERIES_COLOURS[1])], selected=(t, dark))
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
                st.caption("Triangle draws a line from the histogram's peak to the end of its longer tail and picks "
                           "the level furthest below it: made for one big peak with a long tail (a few bright objects "
                           "on a large background). scikit-image's version can differ by one grey level.")
    elif method == "multiotsu":
        multi = step(threshold.multi_otsu, gray, classes=3)
        result = step(threshold.labels_to_gray, multi.labels, classes=3)
        shares = step(threshold.class_shares, multi.labels, classes=3)
        t1, t2 = multi.thresholds or ("—", "—")
        lines = [(t1, "t1", SERIES_COLOURS[1]), (t2, "t2", SERIES_COLOURS[0])] if multi.thresholds else []
        if multi.reason:
            st.warning(f"{multi.reason} All pixels are put in class 0.", icon=":material/info:")
            body = f"{gray_line}\n# {multi.reason}\nresult = np.zeros(gray.shape, np.uint8)"
        else:
            body = (f"from skimage import filters\n\n{gray_line}\n"
                    f"t1, t2 = filters.threshold_multiotsu(gray, classes=3)  # {t1}, {t2}\n"
                    "labels = np.digitize(gray, [t1, t2], right=True)  # 0: <= t1, 1: (t1, t2], 2: > t2\n"
                    "result = np.array([0, 128, 255], np.uint8)[labels]")
        left, right = st.columns(2, gap="medium")
        with left:
            show_image(gray, caption="Input, grey" + (" (converted from colour)" if is_colour else ""))
            show_threshold_histogram(gray, lines=lines)
        with right:
            show_image(result, crisp=True, caption="Three classes: black, grey, white")
            # Two rows: five numbers in one row did not fit half the page in presenter mode at 1280 px.
            threshold_columns = st.columns(2)
            threshold_columns[0].metric("t1 (scikit-image)", str(t1))
            threshold_columns[1].metric("t2 (scikit-image)", str(t2))
            for column, name, share in zip(st.columns(3), ("dark", "middle", "bright"), shares):
                column.metric(name, f"{share:.1%}", help=f"Share of pixels in the {name} class")
    else:  # adaptive
        local = step(threshold.adaptive_selection, gray, method=local_method, block_size=block, offset=offset,
                     dark_objects=dark)
        result, surface = local.mask, local.surface
        if block > min(height, width):
            st.info(f"The block ({block} × {block}) is larger than this image ({width} × {height}): every "
                    "neighbourhood reaches past the edges, where OpenCV repeats the border pixels, so the local "
                    "mean is close to one mean for the whole image and adaptive behaves much like a single "
                    "threshold. Make the block smaller than the image to see local thresholds.", icon=":material/info:")
        cv_method = "cv2.ADAPTIVE_THRESH_MEAN_C" if local_method == "mean" else "cv2.ADAPTIVE_THRESH_GAUSSIAN_C"
        body = (f"{gray_line}\nbinary = cv2.adaptiveThreshold(gray, 255, {cv_method}, {cv_type}, {block}, "
                f"{offset})\nresult = binary > 0  # True where selected")
        st.subheader("First: one threshold for the whole image", anchor=False)
        left, right = st.columns(2, gap="medium")
        with left:
            show_image(gray, caption="Input, grey" + (" (converted from colour)" if is_colour else ""))
            show_threshold_histogram(gray, lines=[(otsu_t, "Otsu t", SERIES_COLOURS[1])], selected=(otsu_t, dark))
        with right:
            show_image(otsu_selection.mask, crisp=True, caption=f"Global: gray {comparison} {otsu_t} (Otsu) everywhere")
            st.markdown(
                f"Otsu's single threshold selects {otsu_selection.fraction:.1%} of the pixels. Where the lighting is "
                f"uneven, the background itself crosses *t*: the local threshold below ranges from {local.low} to "
                f"{local.high} across this image, and no single number can be right everywhere."
            )
        st.subheader("Then: a threshold for every pixel", anchor=False)
        left, right = st.columns(2, gap="medium")
        with left:
            show_image(step(threshold.overlay_mask, gray, result, color=SELECTED_COLOUR, alpha=0.5), crisp=True,
                       caption="Input" + (" (grey version)" if is_colour else "") + ", adaptive selection in red")
        with right:
            show_image(result, crisp=True,
                       caption=f"Adaptive: gray {comparison} local {local_method} of {block} × {block} − {offset}")
            metric_columns = st.columns(2)
            metric_columns[0].metric("Pixels selected", f"{local.fraction:.1%}")
            metric_columns[1].metric("Selected by global Otsu", f"{otsu_selection.fraction:.1%}")

    # "Try all": every automatic method side by side -----------------------------------------
    if method == "auto":
        st.subheader("Try all: every automatic method on this image", anchor=False)
        st.caption("Values as scikit-image returns them (floats); the mask is gray > t, which for whole-number "
                   "pixels is gray > floor(t).")
        for index, (name, answer) in enumerate(autos.items()):
            if index % 4 == 0:
                montage = st.columns(4)  # a new row of columns keeps the pictures of a row aligned
            with montage[index % 4]:
                if answer.level is None:
                    st.info(f"{AUTO_LABELS[name]}: no threshold for this image. {answer.reason}",
                            icon=":material/block:")
                    continue
                mask = step(threshold.manual_threshold, gray, threshold=answer.level, dark_objects=dark)
                show_image(mask.mask, crisp=True, max_width=420,
                           caption=f"{AUTO_LABELS[name]}: t = {answer.threshold:.1f} → {mask.fraction:.0%} selected")

    # 4. Look closer ------------------------------------------------------------------------------
    if method in ("manual", "otsu", "triangle", "auto"):
        st.header("Look closer: why Otsu picks its value", anchor=False)
        compare_t = manual_t if method in ("manual", "otsu") else t
        compare_name = "your t" if method in ("manual", "otsu") else t_name
        show_chart(step(otsu_variance_svg, otsu.variance, otsu_t=otsu_t, compare_t=compare_t,
                        compare_name=compare_name),
                   alt=f"Between-class variance for every threshold t, peaking at Otsu's t = {otsu_t}")
        if otsu.peak > 0:
            st.markdown(
                f"For every *t* the curve splits the pixels into ≤ *t* and > *t* and measures how far apart the "
                f"two means are, weighted by the class sizes. It peaks at **t = {otsu_t}**, where "
                f"$\\sigma_B^2$ reaches {otsu.peak:,.0f}. "  # the maths alone, so a line never breaks inside it
                f"{compare_name.capitalize()} = {compare_t} is **{abs(compare_t - otsu_t)} levels "
                f"{'above' if compare_t > otsu_t else 'below' if compare_t < otsu_t else 'away from'}** Otsu's optimum "
                f"and keeps {otsu.share_of_peak(compare_t):.0%} of the best separation."
            )
        else:
            st.markdown("The curve is flat at zero: with one grey level every split leaves a class empty.")
    elif method == "multiotsu":
        st.header("Look closer: three classes", anchor=False)
        if lines:
            st.markdown(
                f"Multi-Otsu tries every pair *t1 < t2* and keeps the one with the largest between-class variance "
                f"of three classes: dark ≤ {t1} < middle ≤ {t2} < bright. A pixel exactly at a threshold goes to "
                f"the lower class. The shares are {shares[0]:.1%}, {shares[1]:.1%} and {shares[2]:.1%}."
            )
        else:
            st.markdown("With fewer than three grey levels there is no pair of thresholds to choose.")
    else:
        st.header("Look closer: one row, two kinds of threshold", anchor=False)

        @st.fragment
        def row_profile() -> None:
            """Pixel values along one row against Otsu's flat line and the local threshold."""
            row = index_slider(st, "Row", size=height, key="thresholding_row", default=height // 2)
            show_chart(step(row_profile_svg, gray, surface, row=row, global_t=otsu_t,
                            surface_name=f"local threshold ({local_method}, C = {offset})"),
                       alt=f"Grey levels along row {row} against the local threshold and Otsu's t = {otsu_t}")
            st.caption(f"Row {row}: a pixel is selected where the grey line is "
                       f"{'at or below' if dark else 'above'} the blue one. The red line is the one global threshold.")

        row_profile()

    # 5. What to notice ----------------------------------------------------------------------------
    st.subheader("What to notice", anchor=False)
    if method in ("manual", "otsu", "triangle", "auto"):
        # In Otsu mode compare with the learner's own t; otherwise compare the method's mask with Otsu's.
        other_t = manual_t if method == "otsu" else otsu_t
        other = step(threshold.manual_threshold, gray, threshold=other_t, dark_objects=dark)
        iou = step(masks.mask_iou, result, other.mask)
        agreement = "is undefined: both are empty" if math.isnan(iou) else f"is {iou:.2f}"
        text = (
            f"With t = {t}, {thresholded.fraction:.1%} of the pixels ({selected_count:,}) are selected. "
            f"{'Your t' if method == 'otsu' else 'Otsu’s t'} = {other_t}; the two masks' IoU {agreement} "
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
scan = step(load_sample, "page")  # the scanned page, for "Where it breaks" and exercise 3
lighting = step(threshold.global_and_local, scan, method="mean", block_size=25, offset=10, fixed=200)
global_tinted, local_tinted, fixed_tinted = (
    step(threshold.overlay_mask, scan, mask, color=SELECTED_COLOUR)
    for mask in (lighting.global_mask, lighting.local_mask, lighting.fixed_mask))
if method != "adaptive":
    st.markdown(
        f"**Uneven lighting.** On the scanned page the paper is darker on the left than some of the text on the "
        f"right, so Otsu's single threshold (t = {lighting.otsu_threshold}, dark text) swallows the left of the page "
        f"({lighting.left_share:.0%} of its left quarter selected) and no other single t can fix it."
    )
    picture_row([
        Picture(scan, caption="Scanned page: light falls off to the left"),
        Picture(global_tinted, crisp=True, caption=f"Global Otsu, gray <= {lighting.otsu_threshold}: selected in red"),
        Picture(local_tinted, crisp=True, caption="Adaptive mean, block 25, C = 10: selected in red"),
    ])
    fix_columns = st.columns(2)
    fix_columns[0].page_link(lesson.page, label="Fix it here: adaptive threshold on the page", icon=":material/tune:",
                             query_params={"img": "page", "thresholding_method": "adaptive",
                                           "thresholding_dark": "true"})
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
    explanation=f"OpenCV's Otsu threshold is {otsu_t}: the peak of the curve, where the two classes are best "
                "separated.",
)
target_exercise(
    "thresholding_match", number=2,
    question="Move **Your threshold t** until your manual mask agrees with Otsu's mask (same *darker* switch).",
    score=step(masks.mask_iou, step(threshold.manual_threshold, gray, threshold=manual_t, dark_objects=dark).mask,
               step(threshold.manual_threshold, gray, threshold=otsu_t, dark_objects=dark).mask),
    target=0.95, score_name="IoU with Otsu's mask",
    hint=f"Watch the red dashed line on the variance curve and bring it towards the peak (now t = {manual_t}).",
    explanation="Near the peak small moves change few pixels: the curve is flat there, and so is the mask.",
)
choice_exercise(
    "thresholding_adaptive", number=3,
    question="Three thresholds of the scanned page, selected pixels in red. Which one is adaptive?",
    options=["A", "B", "C"], correct="B",
    pictures=[global_tinted, local_tinted, fixed_tinted],
    hint="A single threshold treats the dark left and the bright right of the page alike.",
    explanation="B compares each pixel with its own neighbourhood, so the text is found on both sides; "
                f"A (Otsu, t = {lighting.otsu_threshold}) and C (t = 200) use one value for the whole page.",
)

finish_lesson("thresholding")
