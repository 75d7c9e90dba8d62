"""Lesson: Histograms and point operations. Processing: processing/intensity.py.
Tests: tests/app/test_histograms.py, tests/processing/test_intensity.py."""

import numpy as np
import streamlit as st

from processing import arrays, intensity
from processing.display import framed
from processing.samples import SAMPLES, gradient_ramp, load_sample
from processing.stats import CHANNEL_NAMES
from ui.alt import curve_points, histogram_alt
from ui.cache import step
from ui.charts import histogram_options, level_histogram_svg, matching_svg, show_chart, transfer_curve_svg
from ui.code import show_code
from ui.display import Picture, before_after, picture_row, show_image
from ui.exercises import choice_exercise, numeric_exercise
from ui.page import finish_lesson, lesson_link, start_lesson
from ui.url import url_choice

lesson, source = start_lesson("histograms")
img = source.image
is_colour = img.ndim == 3

# Fixed data for the exercises: their answers never depend on the image.
EQUALISE_EXAMPLE = np.array([[50, 50, 50, 50], [100, 100, 150, 200]], np.uint8)
REFERENCES = {sample_id: sample.title for sample_id, sample in SAMPLES.items()}
COLOUR_METHODS = {"lightness": "Lightness only (LAB L)", "rgb": "R, G, B separately"}

# 1. The idea -------------------------------------------------------------------------------------------
st.markdown("The **histogram** counts how many pixels sit at each level 0-255. A **point operation** changes every "
            "pixel by its own value alone, with one curve for the whole image, so it is a table of 256 outputs "
            "(a lookup table, `cv2.LUT`). It moves whole histogram bars: it can spread them apart, squeeze or merge "
            "them, never split one. The simplest is a straight line, clipped to the range a uint8 can hold:")
st.latex(r"\text{out} = \min\bigl(255,\ \max(0,\ a \cdot \text{in} + b)\bigr)")

# 2. Controls ---------------------------------------------------------------------------------------------
OPERATIONS = {"linear": "Brightness & contrast", "gamma": "Gamma", "negative": "Negative", "log": "Log",
              "stretch": "Stretch", "equalise": "Equalise", "match": "Match", "clahe": "CLAHE"}


@st.fragment
def point_operation() -> None:
    """The operation, its result and curve, look closer, what to notice and the code: a fragment, so moving one of
    its controls reruns only this part of the page (nothing below depends on them)."""
    op = url_choice(st.segmented_control, "Point operation", OPERATIONS, key="histograms_op", default="linear",
                    help="Match gives the image the histogram of another one (histogram specification).")
    controls = st.columns(3)
    lut = clip = None  # the curve (every operation but CLAHE); the shares clipped (brightness & contrast)
    method = "lightness"  # how equalising and matching treat a colour image
    if is_colour and op in ("equalise", "match"):
        method = url_choice(controls[0].radio, "Colour images", COLOUR_METHODS, key="histograms_colour",
                            default="lightness")
    if op == "linear":
        a = controls[0].slider("Contrast a", 0.0, 3.0, 1.5, step=0.05, key="histograms_a", bind="query-params")
        b = controls[1].slider("Brightness b", -128, 128, -40, key="histograms_b", bind="query-params")
        out = step(intensity.adjust_brightness_contrast, img, contrast=a, brightness=b)
        result, lut, clip = out.image, out.lut, (out.clipped_low, out.clipped_high)
        body, caption = intensity.point_code(op, contrast=a, brightness=b), f"{a:g} · in {b:+d}, clipped to 0-255"
    elif op == "gamma":
        gamma = controls[0].slider("Gamma", 0.2, 5.0, 0.5, step=0.05, key="histograms_gamma", bind="query-params",
                                   help="Below 1 brightens the shadows, above 1 darkens them.")
        result, lut = step(intensity.adjust_gamma, img, gamma=gamma)
        body, caption = intensity.point_code(op, gamma=gamma), f"255 · (in / 255)^{gamma:g}"
    elif op == "negative":
        result, lut = step(intensity.invert, img)
        body, caption = intensity.point_code(op), "255 − in"
    elif op == "log":
        result, lut = step(intensity.log_transform, img)
        body, caption = intensity.point_code(op), "c · ln(1 + in), c = 255 / ln 256"
    elif op == "stretch":
        low_p, high_p = controls[0].slider("Percentiles sent to 0 and 255", 0.0, 100.0, (2.0, 98.0), step=0.5,
                                           key="histograms_pct", bind="query-params")
        if low_p >= high_p:
            st.warning("The two percentiles must differ: using the next half percent up.", icon=":material/warning:")
            low_p, high_p = (low_p, high_p + 0.5) if high_p < 100 else (low_p - 0.5, high_p)
        out = step(intensity.stretch_contrast, img, low_percentile=low_p, high_percentile=high_p)
        result, lut = out.image, out.lut
        body = intensity.point_code(op, percentiles=(low_p, high_p), levels=(out.low_level, out.high_level))
        caption = f"Levels {out.low_level}-{out.high_level} stretched to 0-255"
    elif op == "equalise":
        result, lut = (step(intensity.equalize_color, img, method=method) if is_colour
                       else step(intensity.equalize_histogram, img))
        body = intensity.point_code(op, colour=is_colour, method=method,
                                    one_level=step(intensity.count_levels, img) == 1)
        caption = {"lightness": "Equalised lightness (LAB L)", "rgb": "R, G, B equalised separately"}[method] \
            if is_colour else "Equalised"
    elif op == "match":
        reference = url_choice(controls[1].selectbox, "Reference image", REFERENCES, key="histograms_reference",
                               default="moon", help="The image whose histogram the result should get.")
        reference_image = step(load_sample, reference)
        matched = step(intensity.match_histogram, img, reference_image, method=method)
        result, lut = matched.image, matched.lut
        body = intensity.point_code(op, colour=is_colour, method=method, reference_colour=reference_image.ndim == 3,
                                    reference_code=SAMPLES[reference].code.replace("img", "ref"))
        caption = f"Matched to the histogram of {REFERENCES[reference]}"
    else:  # clahe
        clip_limit = controls[0].slider("Clip limit", 0.5, 10.0, 2.0, step=0.5, key="histograms_clip",
                                        bind="query-params", help="Caps each tile's histogram bins at this multiple of "
                                        "the average bin.")
        tiles = controls[1].slider("Tiles per side", 1, 16, 8, key="histograms_tiles", bind="query-params")
        result = step(intensity.clahe, img, clip_limit=clip_limit, tile_grid=(tiles, tiles))
        body = intensity.point_code(op, colour=is_colour, clip_limit=clip_limit, tiles=tiles)
        caption = f"CLAHE, clip limit {clip_limit:g}, {tiles} × {tiles} tiles"

    levels_before, levels_after = step(intensity.count_levels, img), step(intensity.count_levels, result)
    if op == "stretch" and out.high_level <= out.low_level:
        reason = ("every value in the image is the same level" if levels_before == 1 and not is_colour
                  else f"both percentiles fall on level {out.low_level}")
        st.info(f"Nothing to stretch: {reason}, so there is no range of levels to spread over 0–255 and the image "
                "stays as it is." + ("" if levels_before == 1 else " Move the percentiles further apart."),
                icon=":material/info:")
    elif op in ("equalise", "clahe") and levels_before == 1:
        unchanged = step(arrays.changed_pixels, img, result) == 0
        st.info(f"Every pixel of this image has the same {'colour' if is_colour else 'level'}: there is only one "
                f"histogram bar, so {OPERATIONS[op].lower()} has nothing to spread apart. "
                + ("The image stays as it is." if unchanged else
                   "The result says nothing about contrast (any change comes from the round trip through LAB or "
                   "from CLAHE's tiles, not from spreading levels)."), icon=":material/info:")
    elif op == "clahe" and (tiles > img.shape[0] or tiles > img.shape[1]):
        st.info(f"The image is only {img.shape[1]} × {img.shape[0]} pixels, so {tiles} × {tiles} tiles would each be "
                "smaller than one pixel: OpenCV pads the image to fill them, and the result mostly shows the padding. "
                "Use fewer tiles, or a larger image.", icon=":material/info:")

    # 3. Before and after, then the transfer curve that took one to the other --------------------------------
    # The channel the curve is built from: grey, or the lightness L of a colour image (equalise, match, CLAHE).
    uses_lightness = is_colour and (op == "clahe" or (op in ("equalise", "match") and lut.ndim == 1))
    before_after(img, result, before_caption="img", after_caption=caption)
    curve_column, *beside = st.columns(3, gap="medium")  # a third each: the charts' text stays readable at 1280 px
    with curve_column:
        if lut is not None:
            title = "Curve applied to L" if uses_lightness else "Transfer curve"
            show_chart(step(transfer_curve_svg, lut, title=title, width=280, height=280),  # 13 px text in a third
                       alt=f"{title}: output level against input level, the unchanged line dashed; "
                           + curve_points(lut))
        else:
            st.markdown("**No single curve.** CLAHE gives every tile its own equalisation curve and blends the "
                        "curves of neighbouring tiles, so one input level can land on many outputs (see below).")
    if clip is not None:
        beside[0].metric("Clipped at 0", f"{clip[0]:.1%}", help="Share of values with a·in + b below 0: shadow detail "
                         "lost.")
        beside[1].metric("Clipped at 255", f"{clip[1]:.1%}", help="Share of values with a·in + b above 255: "
                         "highlights lost.")
    if op == "stretch":
        beside[0].markdown(f"Level {out.low_level} (the {low_p:g}th percentile) goes to 0 and level {out.high_level} "
                           f"(the {high_p:g}th) to 255; {low_p:g} % + {100 - high_p:g} % of the values are clipped.")
    if op == "match":
        with beside[0]:
            show_image(reference_image, caption=f"The reference: {REFERENCES[reference]}")

    if op == "equalise" and is_colour:
        st.subheader("Colour images: equalise R, G, B separately, or only the lightness?", anchor=False)
        picture_row([Picture(step(intensity.equalize_color, img, method="rgb").image,
                             "R, G, B each equalised: their balance changes, colours shift"),
                     Picture(step(intensity.equalize_color, img, method="lightness").image,
                             "Only L equalised (LAB): hues stay put")])
    if op == "clahe":
        st.subheader("Global equalisation against CLAHE", anchor=False)
        equalise = intensity.equalize_color if is_colour else intensity.equalize_histogram
        picture_row([Picture(step(equalise, img).image, "Global equalisation: one curve for the whole image"),
                     Picture(result, caption)])
        for column, sample in zip(st.columns(2), ("moon", "page")):
            column.page_link(lesson.page, label=f"Try it on {sample}", icon=":material/image:",
                             query_params={"img": sample, "histograms_op": "clahe"})

    # 4. Look closer: where one input level lands -----------------------------------------------------------
    st.header("Look closer: where one input level lands", anchor=False)
    channel = step(intensity.lightness_channel, img) if uses_lightness else img
    counts = step(intensity.histogram, channel)

    @st.fragment
    def where_one_level_lands() -> None:
        """Moving the input level reruns only this panel: the operation is not applied again."""
        level = st.slider("Input level", 0, 255, 100, key="histograms_level", bind="query-params")
        histogram_column, curve_column = st.columns(2, gap="medium")
        with histogram_column:
            if op == "match":
                show_chart(step(matching_svg, counts, matched.reference_counts, lut, level=level),
                           alt=f"Share of pixels at or below each level in the image and the reference, level {level}")
            else:
                title = ("Histogram of L (lightness)" if uses_lightness else "Histogram of the input") + (
                    " and its cumulative share (dotted)" if op == "equalise" else "")
                show_chart(step(level_histogram_svg, counts, level=level, log_scale=histogram_options()[0],
                                cumulative=op == "equalise", title=title),
                           alt=histogram_alt(counts, ("L",) if uses_lightness else CHANNEL_NAMES[2 + (len(counts) > 1)],
                                             title) + f"; level {level} marked")
        if lut is not None:
            landing = step(intensity.level_landing, counts, lut, level=level)
            with curve_column:
                show_chart(step(transfer_curve_svg, lut, level=level, height=300),
                           alt=f"Transfer curve: input level {level} becomes {landing.outputs[0]}")
            lands = (f"every one of them becomes **{landing.outputs[0]}**." if lut.ndim == 1 else  # a curve per channel
                     "every red one becomes **{}**, every green one **{}** and every blue one **{}** (the chart "
                     "follows red).".format(*landing.outputs))
            below = (f"{landing.at_or_below:.1%} of the {'pixels' if counts.shape[0] == 1 else 'red values'} are at "
                     f"or below {level}")
            if op == "equalise":
                lands += (f" For equalisation the curve *is* the cumulative histogram, rescaled: {below}, so level "
                          f"{level} moves to about that share of 255 (counted from the darkest level present). Crowded "
                          "levels are spread apart; rare ones are squeezed together.")
            elif op == "match":
                lands += (f" For matching, {below}; the reference reaches that same share at level "
                          f"{landing.outputs[0]}, so that is where level {level} goes. Equalisation is the same with a "
                          "flat reference.")
            st.markdown(f"**{landing.share:.2%}** of the {'lightness ' if uses_lightness else ''}values sit at level "
                        f"{level}; {lands}")
        else:
            spread = step(intensity.level_spread, channel, step(intensity.lightness_channel, result), level=level)
            with curve_column:
                if spread is None:
                    st.markdown(f"No pixel has {'lightness' if is_colour else 'level'} {level}: pick another level.")
                else:
                    count, lowest, highest = spread
                    st.metric(f"Pixels at level {level}", f"{count:,}")
                    st.metric("Their outputs under CLAHE", f"{lowest} to {highest}")
                    st.markdown(f"A point operation sends every one of them to the same level; CLAHE spreads them "
                                f"over {highest - lowest + 1} levels, because each tile has its own curve.")

    where_one_level_lands()

    # 5. What to notice -------------------------------------------------------------------------------------
    notes = []
    if clip is not None:
        notes.append(f"{clip[0]:.1%} of the values were pushed below 0 and {clip[1]:.1%} above 255: they now sit "
                     "in the spikes at the ends of the histogram, and whatever detail they held is gone for good.")
    if lut is not None:
        notes.append(f"The image used {levels_before} levels (in its busiest channel) and now uses {levels_after}: a "
                     "curve can merge levels but never split one, so a steep curve leaves gaps in the histogram (a "
                     "comb) and a flat one merges neighbours.")
    else:
        notes.append(f"The image used {levels_before} levels and now uses {levels_after}: unlike a point operation, "
                     "CLAHE can give equal inputs different outputs, so new levels appear.")
    if op in ("equalise", "match"):
        what, aim, curve = (("Equalisation", "a flat histogram", "a straight line") if op == "equalise" else
                            ("Matching", "the reference's histogram", "the reference's"))
        notes.append(f"{what} aims for {aim}, but it can only move whole bars, not split them: the bars keep their "
                     "height and are spread apart where they were crowded, so the result's cumulative curve only "
                     f"approaches {curve}.")
    st.subheader("What to notice", anchor=False)
    st.markdown(" ".join(notes))

    # The code, right under the result it reproduces ---------------------------------------------------------
    show_code(body, source=source, result=result)


point_operation()

# 6. Where it breaks: one curve for uneven light ----------------------------------------------------------------
st.header("Where it breaks: one curve cannot fix uneven light", anchor=False)
page = step(load_sample, "page")
picture_row([Picture(page, "Scanned page, darker towards one side"),
             Picture(step(intensity.equalize_histogram, page).image, "Global equalisation: one curve"),
             Picture(step(intensity.clahe, page, clip_limit=2.0, tile_grid=(8, 8)),
                     "CLAHE, clip 2, 8 × 8 tiles: a curve per tile")])
st.markdown("A point operation gives every pixel of one level the same output. On this page the paper in the shadow "
            "is as dark as the ink in the light, so no single curve can make both paper areas white and both inks "
            "black: equalisation brightens the whole page and the shadowed text stays murky. Local methods look at "
            "each pixel's neighbourhood instead: CLAHE here, and adaptive thresholds to turn such a page into clean "
            "black and white.")
lesson_link("thresholding", "Thresholding: adaptive thresholds for uneven light")

# 8. Check yourself ------------------------------------------------------------------------------------------
st.header("Check yourself", anchor=False)
ramp = step(gradient_ramp, height=48, width=256)
line = step(intensity.adjust_brightness_contrast, ramp, contrast=1.5, brightness=-40).lut
numeric_exercise(
    "histograms_clip", number=1,
    question="With out = 1.5 · in − 40, saturated to 0-255 as `cv2.LUT` with a clipped table does, what does an "
    "input level of 200 become?",
    answer=int(line[200]),
    hint="Compute 1.5 × 200 − 40, then remember what a uint8 can hold.",
    explanation=f"1.5 × 200 − 40 = 260, clipped to {int(line[200])}. Every input from "
    f"{step(intensity.levels_sent_to, line, output=255)[0]} up lands on 255: the highlights merge.",
)
equalised_example = step(intensity.equalize_histogram, EQUALISE_EXAMPLE)
numeric_exercise(
    "histograms_equalise", number=2,
    question="An 8-pixel image holds the levels 50, 50, 50, 50, 100, 100, 150, 200. After histogram equalisation "
    "(`cv2.equalizeHist`), what does level 150 become?",
    answer=int(equalised_example.lut[150]), tolerance=1,
    hint="Count pixels at or below 150 (the CDF), subtract the 4 at the darkest level, divide by 8 − 4, times 255.",
    explanation=f"(7 − 4) / (8 − 4) × 255 = 191.25, so {int(equalised_example.lut[150])}. Level 50 goes to 0, "
    f"100 to {int(equalised_example.lut[100])} and 200 to 255.",
)
ramp_options = {"A": step(intensity.adjust_gamma, ramp, gamma=2.0).image, "B": step(intensity.invert, ramp).image,
                "C": step(intensity.adjust_gamma, ramp, gamma=0.5).image}
choice_exercise(
    "histograms_gamma", number=3,
    question="A grey ramp (black on the left, white on the right) went through three curves. Which one is "
    "gamma 0.5, the curve that brightens the shadows?",
    options=list(ramp_options), correct="C", pictures=[step(framed, option) for option in ramp_options.values()],
    hint="Gamma keeps black at the left and white at the right; 0.5 lifts the dark half.",
    explanation="C: the ramp turns light quickly. A is gamma 2 (stays dark longer), B is the negative.",
)

finish_lesson("histograms")
