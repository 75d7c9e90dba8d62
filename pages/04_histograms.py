"""Lesson: Histograms and point operations."""

import numpy as np
import streamlit as st

from processing import color, intensity
from processing.samples import gradient_ramp, load_sample
from processing.stats import CHANNEL_NAMES
from ui.cache import cached_step
from ui.charts import CHANNEL_COLOURS, histogram_options, histogram_svg, show_chart
from ui.code import show_code
from ui.display import before_after, show_image
from ui.exercises import choice_exercise, numeric_exercise
from ui.page import finish_lesson, lesson_link, start_lesson
from ui.svg import HALF_WIDTH, Line, Marker, line_chart
from ui.url import url_choice

lesson, source = start_lesson("histograms")
img = source.image
is_colour = img.ndim == 3

# Fixed data for the exercises: their answers never depend on the image.
EQUALISE_EXAMPLE = np.array([[50, 50, 50, 50], [100, 100, 150, 200]], np.uint8)
LEVEL_COLOUR = "#e69500"  # the chosen input level in "Look closer" (amber, dark enough for its label)
CURVE_WIDTH = 240  # chart pixels of the transfer curve in its quarter column: text stays about 12 px


# Cached steps: keyed on the image's identity string and the settings, never on the array. A rerun gets the
# same read-only objects back, so their pictures and histograms are not encoded or counted again.
@cached_step(max_entries=64)
def _computed(image_key: str, function: str, settings: tuple, _image: np.ndarray):
    return getattr(intensity, function)(_image, **dict(settings))


def computed(function: str, image: np.ndarray, image_key: str, **settings):
    """``intensity.<function>(image, **settings)``, computed once per image and settings (read-only result)."""
    return _computed(image_key, function, tuple(settings.items()), image)


@cached_step(max_entries=16)
def lightness(image_key: str, _image: np.ndarray) -> np.ndarray:
    """The L channel (LAB) of an RGB image: what equalising the lightness and CLAHE work on."""
    return np.ascontiguousarray(color.convert_color(_image, space="lab")[..., 0])


@cached_step(max_entries=64)
def clahe_spread(result_key: str, level: int, _before: np.ndarray, _after: np.ndarray):
    return intensity.level_spread(_before, _after, level=level)


@cached_step(max_entries=64)
def transfer_svg(result_key: str, level: int | None, title: str, width: int, height: int, _lut: np.ndarray) -> str:
    """Input level -> output level (one line per channel), the identity dashed for reference and, optionally,
    one level's path: up from the input level to the curve, across to the output level."""
    curves = _lut.reshape(-1, 256)
    names = ("grey",) if len(curves) == 1 else CHANNEL_NAMES[3]
    levels = np.arange(256)
    lines = [Line([0, 255], [0, 255], "#bbbbbb", dash=True)]
    lines += [Line(levels, curve, CHANNEL_COLOURS[name], name=name if len(curves) > 1 else "", width=2.5)
              for name, curve in zip(names, curves)]
    if level is not None:
        out = int(curves[0][level])
        lines.append(Line([level, level, 0], [0, out, out], LEVEL_COLOUR, width=3))
        title = f"{title}: {level} → {out}" + (" (red)" if len(curves) > 1 else "")
    return line_chart(lines, x_title="input level", y_title="output level", x_range=(-2, 257), y_range=(-2, 257),
                      x_ticks=(0, 64, 128, 192, 255), title=title, width=width, height=height)


@cached_step(max_entries=64)
def closer_histogram_svg(channel_key: str, level: int, log_scale: bool, cumulative: bool, title: str,
                         _counts: np.ndarray) -> str:
    """The histogram the curve is built from, with the chosen level marked."""
    return histogram_svg(_counts, channels=CHANNEL_NAMES[2 if len(_counts) == 1 else 3], log_scale=log_scale,
                         cumulative=cumulative, title=title, markers=[Marker(level, f"level {level}", LEVEL_COLOUR)],
                         height=300)


@cached_step(max_entries=1)
def uneven_light_pictures() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The scanned page, equalised globally, and with CLAHE (clip 2, 8 × 8 tiles)."""
    page = load_sample("page")
    return page, intensity.equalize_histogram(page).image, intensity.clahe(page, clip_limit=2.0, tile_grid=(8, 8))


@cached_step(max_entries=1)
def exercise_material():
    """Fixed data for the exercises: the ramp's clipped line, the equalised example, the three ramp curves."""
    ramp = gradient_ramp(height=48, width=256)
    line = intensity.adjust_brightness_contrast(ramp, contrast=1.5, brightness=-40).lut
    equalised = intensity.equalize_histogram(EQUALISE_EXAMPLE)
    options = {"A": intensity.adjust_gamma(ramp, gamma=2.0).image, "B": intensity.invert(ramp).image,
               "C": intensity.adjust_gamma(ramp, gamma=0.5).image}
    return line, equalised, options


def lut_code(expression: str) -> str:
    return f"lut = np.clip(np.rint({expression}), 0, 255).astype(np.uint8)  # the transfer curve\nresult = cv2.LUT(img, lut)"


# 1. The idea -------------------------------------------------------------------------------------------
st.markdown(
    "The **histogram** counts how many pixels sit at each level 0-255. A **point operation** changes every "
    "pixel by its own value alone, with one curve for the whole image, so it is a table of 256 outputs "
    "(a lookup table, `cv2.LUT`). It moves whole histogram bars: it can spread them apart, squeeze or merge "
    "them, never split one. The simplest is a straight line, clipped to the range a uint8 can hold:"
)
st.latex(r"\text{out} = \min\bigl(255,\ \max(0,\ a \cdot \text{in} + b)\bigr)")

# 2. Controls ---------------------------------------------------------------------------------------------
OPERATIONS = {"linear": "Brightness & contrast", "gamma": "Gamma", "negative": "Negative", "log": "Log",
              "stretch": "Stretch", "equalise": "Equalise", "clahe": "CLAHE"}


@st.fragment
def point_operation() -> None:
    """The operation and its controls, before and after with the curve, look closer, what to notice and the code.

    A fragment: moving one of its controls reruns only this part of the page; nothing below it depends on them.
    """
    op = url_choice(st.segmented_control, "Point operation", OPERATIONS, key="histograms_op", default="linear")
    controls = st.columns(3)
    lut = None  # the curve, for every operation except CLAHE
    clip = None
    if op == "linear":
        a = controls[0].slider("Contrast a", 0.0, 3.0, 1.5, step=0.05, key="histograms_a", bind="query-params")
        b = controls[1].slider("Brightness b", -128, 128, -40, key="histograms_b", bind="query-params")
        settings = {"contrast": a, "brightness": b}
        out = computed("adjust_brightness_contrast", img, source.key, **settings)
        result, lut, clip = out.image, out.lut, (out.clipped_low, out.clipped_high)
        body = f"a, b = {a:g}, {b}\n" + lut_code("a * np.arange(256) + b")
        caption = f"{a:g} · in {b:+d}, clipped to 0-255"
    elif op == "gamma":
        gamma = controls[0].slider("Gamma", 0.2, 5.0, 0.5, step=0.05, key="histograms_gamma", bind="query-params",
                                   help="Below 1 brightens the shadows, above 1 darkens them.")
        settings = {"gamma": gamma}
        result, lut = computed("adjust_gamma", img, source.key, **settings)
        body = f"gamma = {gamma:g}\n" + lut_code("255.0 * (np.arange(256) / 255.0) ** gamma")
        caption = f"255 · (in / 255)^{gamma:g}"
    elif op == "negative":
        settings = {}
        result, lut = computed("invert", img, source.key)
        body = "result = 255 - img  # uint8 minus uint8 never goes below 0 here"
        caption = "255 − in"
    elif op == "log":
        settings = {}
        result, lut = computed("log_transform", img, source.key)
        body = lut_code("255.0 / np.log(256.0) * np.log1p(np.arange(256))")
        caption = "c · ln(1 + in), c = 255 / ln 256"
    elif op == "stretch":
        low_p, high_p = controls[0].slider("Percentiles sent to 0 and 255", 0.0, 100.0, (2.0, 98.0), step=0.5,
                                           key="histograms_pct", bind="query-params")
        if low_p >= high_p:
            st.warning("The two percentiles must differ: using the next half percent up.", icon=":material/warning:")
            low_p, high_p = (low_p, high_p + 0.5) if high_p < 100 else (low_p - 0.5, high_p)
        settings = {"low_percentile": low_p, "high_percentile": high_p}
        out = computed("stretch_contrast", img, source.key, **settings)
        result, lut = out.image, out.lut
        if out.high_level > out.low_level:
            body = (
                f'low, high = np.percentile(img, [{low_p:g}, {high_p:g}], method="inverted_cdf")  # {out.low_level}, {out.high_level}\n'
                + lut_code("(np.arange(256) - low) * 255.0 / (high - low)")
            )
        else:
            body = "result = img.copy()  # both percentiles fall on one level: nothing to stretch"
        caption = f"Levels {out.low_level}-{out.high_level} stretched to 0-255"
    elif op == "equalise":
        method = "grey"
        if is_colour:
            method = url_choice(controls[0].radio, "Colour images", {"lightness": "Lightness only (LAB L)",
                                                                     "rgb": "R, G, B separately"},
                                key="histograms_colour", default="lightness")
            settings = {"method": method}
            result, lut = computed("equalize_color", img, source.key, **settings)
        else:
            settings = {}
            result, lut = computed("equalize_histogram", img, source.key)
        if method == "lightness":
            body = (
                "lab = cv2.cvtColor(img, cv2.COLOR_RGB2LAB)\n"
                "lab[:, :, 0] = cv2.equalizeHist(np.ascontiguousarray(lab[:, :, 0]))  # L only: a and b (the colour) stay\n"
                "result = cv2.cvtColor(lab, cv2.COLOR_LAB2RGB)"
            )
        elif method == "rgb":
            body = "result = cv2.merge([cv2.equalizeHist(np.ascontiguousarray(img[:, :, c])) for c in range(3)])"
        elif computed("count_levels", img, source.key) == 1:
            body = "result = img.copy()  # one level only: cv2.equalizeHist leaves it unchanged"
        else:
            body = (
                "counts = np.bincount(img.ravel(), minlength=256)  # the histogram\n"
                "cdf = np.cumsum(counts)  # pixels at or below each level\n"
                "cdf_min = cdf[counts > 0][0]  # pixels at the darkest level present\n"
                "lut = np.rint((cdf - cdf_min).astype(np.float32) * np.float32(255 / (img.size - cdf_min)))\n"
                "lut = np.clip(lut, 0, 255).astype(np.uint8)  # darkest level -> 0, brightest -> 255\n"
                "result = cv2.LUT(img, lut)\n"
                "assert np.array_equal(result, cv2.equalizeHist(img))  # from scratch = OpenCV"
            )
        caption = {"grey": "Equalised", "lightness": "Equalised lightness (LAB L)", "rgb": "R, G, B equalised separately"}[method]
    else:  # clahe
        clip_limit = controls[0].slider("Clip limit", 0.5, 10.0, 2.0, step=0.5, key="histograms_clip", bind="query-params",
                                        help="Caps each tile's histogram bins at this multiple of the average bin.")
        tiles = controls[1].slider("Tiles per side", 1, 16, 8, key="histograms_tiles", bind="query-params")
        settings = {"clip_limit": clip_limit, "tile_grid": (tiles, tiles)}
        result = computed("clahe", img, source.key, **settings)
        call = f"clahe = cv2.createCLAHE(clipLimit={clip_limit:g}, tileGridSize=({tiles}, {tiles}))\n"
        if is_colour:
            body = (call + "lab = cv2.cvtColor(img, cv2.COLOR_RGB2LAB)\n"
                    "lab[:, :, 0] = clahe.apply(np.ascontiguousarray(lab[:, :, 0]))  # lightness only\n"
                    "result = cv2.cvtColor(lab, cv2.COLOR_LAB2RGB)")
        else:
            body = call + "result = clahe.apply(img)"
        caption = f"CLAHE, clip limit {clip_limit:g}, {tiles} × {tiles} tiles"

    # The result's identity, for keying what is derived from it.
    result_key = f"{source.key}|{op}|{sorted(settings.items())}"
    levels_before, levels_after = computed("count_levels", img, source.key), computed("count_levels", result, result_key)
    if op == "stretch" and out.high_level <= out.low_level:
        reason = ("every value in the image is the same level" if levels_before == 1 and not is_colour
                  else f"both percentiles fall on level {out.low_level}")
        st.info(f"Nothing to stretch: {reason}, so there is no range of levels to spread over 0–255 and the image "
                "stays as it is." + ("" if levels_before == 1 else " Move the percentiles further apart."),
                icon=":material/info:")
    elif op in ("equalise", "clahe") and levels_before == 1:
        unchanged = np.array_equal(result, img)
        st.info(f"Every pixel of this image has the same {'colour' if is_colour else 'level'}: there is only one "
                f"histogram bar, so {OPERATIONS[op].lower()} has nothing to spread apart. "
                + ("The image stays as it is." if unchanged else
                   "The result says nothing about contrast (any change comes from the round trip through LAB or "
                   "from CLAHE's tiles, not from spreading levels)."), icon=":material/info:")
    elif op == "clahe" and (tiles > img.shape[0] or tiles > img.shape[1]):
        st.info(f"The image is only {img.shape[1]} × {img.shape[0]} pixels, so {tiles} × {tiles} tiles would each be "
                "smaller than one pixel: OpenCV pads the image to fill them, and the result mostly shows the padding. "
                "Use fewer tiles, or a larger image.", icon=":material/info:")

    # 3. Before and after, with the transfer curve beside the histograms ---------------------------------------
    pictures_column, curve_column = st.columns([3, 1], gap="medium")
    with pictures_column:
        before_after(img, result, before_caption="img", after_caption=caption)
    with curve_column:
        if lut is not None:
            title = "Curve applied to L" if op == "equalise" and is_colour and lut.ndim == 1 else "Transfer curve"
            show_chart(transfer_svg(result_key, None, title, CURVE_WIDTH, 280, lut),
                       alt=f"{title}: output level against input level, the unchanged line dashed")
        else:
            st.markdown("**No single curve.** CLAHE gives every tile its own equalisation curve and blends the "
                        "curves of neighbouring tiles, so one input level can land on many outputs (see below).")
        if clip is not None:
            st.metric("Clipped at 0", f"{clip[0]:.1%}",
                      help="Share of values with a·in + b below 0: shadow detail lost.")
            st.metric("Clipped at 255", f"{clip[1]:.1%}",
                      help="Share of values with a·in + b above 255: highlights lost.")
        if op == "stretch":
            st.markdown(f"Level {out.low_level} (the {low_p:g}th percentile) goes to 0 and level {out.high_level} "
                        f"(the {high_p:g}th) to 255; {low_p:g} % + {100 - high_p:g} % of the values are clipped.")

    if op == "equalise" and is_colour:
        st.subheader("Colour images: equalise R, G, B separately, or only the lightness?", anchor=False)
        other = "rgb" if method == "lightness" else "lightness"
        other_result, _ = computed("equalize_color", img, source.key, method=other)
        pair = {method: result, other: other_result}
        left, right = st.columns(2)
        with left:
            show_image(pair["rgb"], caption="R, G, B each equalised: their balance changes, colours shift")
        with right:
            show_image(pair["lightness"], caption="Only L equalised (LAB): hues stay put")
    if op == "clahe":
        st.subheader("Global equalisation against CLAHE", anchor=False)
        global_result = computed("equalize_color" if is_colour else "equalize_histogram", img, source.key)
        left, right = st.columns(2)
        with left:
            show_image(global_result.image, caption="Global equalisation: one curve for the whole image")
        with right:
            show_image(result, caption=caption)
        links = st.columns(2)
        links[0].page_link(lesson.page, label="Try it on moon", icon=":material/image:",
                           query_params={"img": "moon", "histograms_op": "clahe"})
        links[1].page_link(lesson.page, label="Try it on page", icon=":material/image:",
                           query_params={"img": "page", "histograms_op": "clahe"})

    # 4. Look closer: where one input level lands -----------------------------------------------------------
    st.header("Look closer: where one input level lands", anchor=False)
    # The channel the curve is built from: grey, or the lightness L of a colour image (equalise, CLAHE).
    uses_lightness = is_colour and (op == "clahe" or (op == "equalise" and lut.ndim == 1))
    channel, channel_key = (lightness(source.key, img), f"{source.key}|L") if uses_lightness else (img, source.key)
    counts = computed("histogram", channel, channel_key)

    @st.fragment
    def where_one_level_lands() -> None:
        """Moving the input level reruns only this panel: the operation is not applied again."""
        level = st.slider("Input level", 0, 255, 100, key="histograms_level", bind="query-params")
        log_scale, _ = histogram_options()
        histogram_column, curve_column = st.columns(2, gap="medium")
        with histogram_column:
            title = ("Histogram of L (lightness)" if uses_lightness else "Histogram of the input") + (
                " and its cumulative share (dotted)" if op == "equalise" else "")
            show_chart(closer_histogram_svg(channel_key, level, log_scale, op == "equalise", title, counts),
                       alt=f"{title}, level {level} marked")
        share_at = counts[:, level].sum() / counts.sum()
        if lut is not None:
            landed = int(lut.reshape(-1, 256)[0][level])
            with curve_column:
                show_chart(transfer_svg(result_key, level, "Transfer curve", HALF_WIDTH, 300, lut),
                           alt=f"Transfer curve: input level {level} becomes {landed}")
            text = f"**{share_at:.2%}** of the {'lightness ' if uses_lightness else ''}values sit at level {level}; "
            if lut.ndim == 2:  # R, G, B equalised separately: one curve per channel
                red, green, blue = (int(v) for v in lut[:, level])
                text += (f"every red one becomes **{red}**, every green one **{green}** and every blue one "
                         f"**{blue}** (the chart follows red).")
            else:
                text += f"every one of them becomes **{landed}**."
            if op == "equalise":
                cdf = intensity.cumulative_histogram(counts)[0]
                text += (f" For equalisation the curve *is* the cumulative histogram, rescaled: {cdf[level]:.1%} of "
                         f"the {'pixels' if counts.shape[0] == 1 else 'red values'} are at or below {level}, so level "
                         f"{level} moves to about that share of 255 (counted from the darkest level present). Crowded "
                         "levels are spread apart; rare ones are squeezed together.")
            st.markdown(text)
        else:
            after_channel = lightness(result_key, result) if is_colour else result
            spread = clahe_spread(result_key, level, channel, after_channel)
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
    if op == "equalise":
        notes.append("Equalisation aims for a flat histogram, but it can only move whole bars, not split them: the "
                     "bars keep their height and are spread apart where they were crowded, so the result's "
                     "cumulative curve only approaches a straight line.")
    st.subheader("What to notice", anchor=False)
    st.markdown(" ".join(notes))

    # The code, right under the result it reproduces ---------------------------------------------------------
    show_code(body, source=source, result=result)


point_operation()

# 6. Where it breaks: one curve for uneven light ----------------------------------------------------------------
st.header("Where it breaks: one curve cannot fix uneven light", anchor=False)
page, page_equalised, page_local = uneven_light_pictures()
columns = st.columns(3)
for column, picture, text in zip(columns, (page, page_equalised, page_local),
                                 ("Scanned page, darker towards one side", "Global equalisation: one curve",
                                  "CLAHE, clip 2, 8 × 8 tiles: a curve per tile")):
    with column:
        show_image(picture, caption=text)
st.markdown(
    "A point operation gives every pixel of one level the same output. On this page the paper in the shadow is "
    "as dark as the ink in the light, so no single curve can make both paper areas white and both inks black: "
    "equalisation brightens the whole page and the shadowed text stays murky. Local methods look at each "
    "pixel's neighbourhood instead: CLAHE here, and adaptive thresholds to turn such a page into clean black "
    "and white."
)
lesson_link("thresholding", "Thresholding: adaptive thresholds for uneven light")

# 8. Check yourself ------------------------------------------------------------------------------------------
st.header("Check yourself", anchor=False)
line, equalised_example, ramp_options = exercise_material()
numeric_exercise(
    "histograms_clip", number=1,
    question="With out = 1.5 · in − 40, saturated to 0-255 as `cv2.LUT` with a clipped table does, what does an "
    "input level of 200 become?",
    answer=int(line[200]),
    hint="Compute 1.5 × 200 − 40, then remember what a uint8 can hold.",
    explanation=f"1.5 × 200 − 40 = 260, clipped to {int(line[200])}. Every input from "
    f"{int(np.argmax(line == 255))} up lands on 255: the highlights merge.",
)
numeric_exercise(
    "histograms_equalise", number=2,
    question="An 8-pixel image holds the levels 50, 50, 50, 50, 100, 100, 150, 200. After histogram equalisation "
    "(`cv2.equalizeHist`), what does level 150 become?",
    answer=int(equalised_example.lut[150]), tolerance=1,
    hint="Count pixels at or below 150 (the CDF), subtract the 4 at the darkest level, divide by 8 − 4, times 255.",
    explanation=f"(7 − 4) / (8 − 4) × 255 = 191.25, so {int(equalised_example.lut[150])}. Level 50 goes to 0, "
    f"100 to {int(equalised_example.lut[100])} and 200 to 255.",
)
choice_exercise(
    "histograms_gamma", number=3,
    question="A grey ramp (black on the left, white on the right) went through three curves. Which one is "
    "gamma 0.5, the curve that brightens the shadows?",
    options=list(ramp_options), correct="C", pictures=list(ramp_options.values()),
    hint="Gamma keeps black at the left and white at the right; 0.5 lifts the dark half.",
    explanation="C: the ramp turns light quickly. A is gamma 2 (stays dark longer), B is the negative.",
)

finish_lesson("histograms")
