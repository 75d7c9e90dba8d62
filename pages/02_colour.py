"""Lesson: Colour models. Processing: processing/color.py. Tests: tests/app/test_colour.py,
tests/processing/test_color.py."""

import streamlit as st

from processing import arrays, color
from processing.stats import image_facts
from ui.alt import hue_peak, picture_alt
from ui.cache import step
from ui.charts import colour_scatter, hue_chart, scatter_alt, show_chart, show_figure
from ui.code import show_code
from ui.display import Picture, before_after, picture_row
from ui.exercises import choice_exercise, numeric_exercise
from ui.page import finish_lesson, lesson_link, start_lesson
from ui.url import url_choice

lesson, source = start_lesson("colour")
img = source.image
is_colour = img.ndim == 3

COLOUR_SAMPLES = {"astronaut": "the orange suit", "coffee": "the red saucer", "chelsea": "ginger fur",
                  "ihc": "brown and blue stains"}


def colour_table(values: color.ColorValues) -> str:
    """One colour in every model, as a Markdown table (Pixel Lab's own numbers only)."""
    h, s, v = values.hsv
    lightness, a, b = values.lab
    y, cr, cb = values.ycrcb
    return (
        "| model | OpenCV 8-bit values | what they mean |\n|---|---|---|\n"
        f"| RGB | R {values.rgb[0]}, G {values.rgb[1]}, B {values.rgb[2]} | light of each primary; `{values.hex}` |\n"
        f"| HSV | H {h}, S {s}, V {v} | hue {2 * h}° (H = degrees / 2), saturation {s / 255:.0%}, "
        "value = max(R, G, B) |\n"
        f"| LAB | L {lightness}, a {a}, b {b} | L* = {lightness * 100 / 255:.0f} of 100, a* = {a - 128:+d} "
        f"({'red' if a >= 128 else 'green'}), b* = {b - 128:+d} ({'yellow' if b >= 128 else 'blue'}) |\n"
        f"| YCrCb | Y {y}, Cr {cr}, Cb {cb} | luma, red difference {cr - 128:+d}, blue difference {cb - 128:+d} |\n"
        f"| Grey | {values.gray} | luma Y′ = 0.299 R + 0.587 G + 0.114 B (BT.601) |"
    )


# 1. The idea -----------------------------------------------------------------------------
st.markdown("A colour pixel is three numbers, but *which* three is a choice. RGB says how much red, green and blue "
            "light to mix. HSV, LAB and YCrCb rearrange the same information so that one channel carries brightness "
            "and the other two carry the colour itself, which turns questions such as *where is everything orange?* "
            "into a simple range check on one number. Brightness alone is a weighted sum that favours green, "
            "because the eye is most sensitive to it. These BT.601 weights applied to the stored (gamma-encoded) "
            "values give *luma* Y′, not luminance, which would need linear light:")
st.latex(r"Y' = 0.299\,R' + 0.587\,G' + 0.114\,B'")


@st.fragment
def look_closer() -> None:
    """The colour picker: one colour written in every model (works without an image)."""
    st.header("Look closer: one colour in every model", anchor=False)
    picker_column, table_column = st.columns([1, 3], gap="medium")
    with picker_column:
        picked = st.color_picker("Pick a colour", "#D9662E", key="colour_pick", bind="query-params",
                                 help="The default is the orange of the astronaut's suit.")
        values = color.color_values(picked)
        st.caption("OpenCV stores every model in 8 bits (0-255); hue is halved to fit (0-179).")
    with table_column:
        st.markdown(colour_table(values))


if not is_colour:
    st.warning("This image is grey: it has one channel, so there are no colour models to compare. Converted to "
               "HSV every pixel would get hue 0 and saturation 0, and in LAB a = b = 128 (no colour). Pick a colour "
               "sample:", icon=":material/palette:")
    columns = st.columns(2)
    for index, (sample_id, what) in enumerate(COLOUR_SAMPLES.items()):
        columns[index % 2].page_link(lesson.page, label=f"Try it on {sample_id}: {what}", icon=":material/image:",
                                     query_params={"img": sample_id})
    look_closer()
    st.stop()

# 2. Controls: pick an object by its hue ------------------------------------------------------
st.header("Pick an object by its hue", anchor=False)
st.markdown("In HSV, **hue** is the angle on the colour wheel (0° red, 60° yellow, 120° green, 240° blue), "
            "**saturation** how far from grey, **value** how bright. An object of one colour is a range of hue, "
            "as long as its pixels are colourful and bright enough for the hue to mean something.")
links = st.columns(2)
links[0].page_link(lesson.page, label="Try it on astronaut: the orange suit", icon=":material/image:",
                   query_params={"img": "astronaut", "colour_hue": ["6", "22"], "colour_wrap": "false",
                                 "colour_smin": "80", "colour_vmin": "50"})
links[1].page_link(lesson.page, label="Try it on coffee: the red saucer, across 0°", icon=":material/image:",
                   query_params={"img": "coffee", "colour_hue": ["12", "340"], "colour_wrap": "true",
                                 "colour_smin": "120", "colour_vmin": "80"})


@st.fragment
def pick_by_hue() -> None:
    """Controls, before and after, the stages, the hue histogram, what to notice, the code and where it breaks.
    A fragment: moving one of its controls reruns only this part of the page; nothing outside it reads them."""
    controls = st.columns([2, 1, 1, 1])
    hue_range = controls[0].slider("Hue range (degrees)", 0, 360, (6, 22), step=2, key="colour_hue",
                                   bind="query-params", help="OpenCV stores hue as degrees / 2 (H 0-179): the "
                                   "captions give both.")
    wrap = controls[1].toggle("Wrap at 0°", key="colour_wrap", bind="query-params", help="Wrap through red: keep "
                              "the hues *outside* the range instead, as red sits at both ends of the scale.")
    s_min = controls[2].slider("Minimum saturation", 0, 255, 80, key="colour_smin", bind="query-params")
    v_min = controls[3].slider("Minimum value", 0, 255, 50, key="colour_vmin", bind="query-params")
    low, high = hue_range
    lo, hi = (high, low) if wrap else (low, high)  # lo > hi means the range runs through 0°
    h_lo, h_hi = -(-lo // 2), hi // 2  # OpenCV hue units: ceil(lo / 2) to floor(hi / 2)
    kept = f"{lo}°-360° and 0°-{hi}° (H {h_lo}-179, 0-{h_hi})" if wrap else f"{lo}°-{hi}° (H {h_lo}-{h_hi})"

    # 3. Before and after, and the stages -------------------------------------------------------
    selection = step(color.select_hue, img, lo=lo, hi=hi, s_min=s_min, v_min=v_min)
    before_after(img, selection.splash, before_caption="img (RGB)",
                 after_caption=f"Hue {kept}, S ≥ {s_min}, V ≥ {v_min}: in colour; the rest in grey")

    st.subheader("The stages: hue, saturation, value, mask", anchor=False)
    hue_picture, saturation, value = step(color.model_channels, img, space="hsv")
    picture_row([Picture(hue_picture, caption="H drawn on the colour wheel (grey pixels get H = 0: red)"),
                 Picture(saturation, caption=f"S (0 = grey, 255 = pure); kept where ≥ {s_min}"),
                 Picture(value, caption=f"V = max(R, G, B); kept where ≥ {v_min}"),
                 Picture(selection.mask, caption=f"Mask: {selection.selected:.1%} of the pixels", crisp=True)])

    chart_title = f"Hue of the pixels with S ≥ {s_min} and V ≥ {v_min}"
    show_chart(step(hue_chart, selection.counts, lo=lo, hi=hi, title=chart_title),
               alt=f"Histogram of the hue (0-360 degrees) of the pixels with S ≥ {s_min} and V ≥ {v_min}, each hue "
                   f"shaded in its own colour; the selected range {kept} is shaded strongly and its bars are black; "
                   + hue_peak(selection.counts))

    # 5. What to notice -------------------------------------------------------------------------------
    st.subheader("What to notice", anchor=False)
    if selection.common_hue is not None:
        common_text = (f"Among the colourful, bright pixels the most common hue is {2 * selection.common_hue}° "
                       f"(OpenCV H {selection.common_hue}, the tallest bar).")
    else:
        common_text = "No pixel is both that colourful and that bright: lower the minimum saturation or value."
    if selection.selected == 0:
        why = (f"every pixel is too grey or too dark (S < {s_min} or V < {v_min}) for its hue to count"
               if selection.unreliable == 1 else f"none of the colourful, bright pixels has a hue in {kept}")
        st.info(f"No pixel has a hue in {kept} with S ≥ {s_min} and V ≥ {v_min}: {why}. The mask is empty and the "
                "picture on the right is all grey. Widen the hue range, or lower the minimum saturation or value.",
                icon=":material/info:")
    st.markdown(f"The range {kept} with S ≥ {s_min} and V ≥ {v_min} keeps **{selection.selected:.1%}** of the "
                f"pixels. **{selection.unreliable:.1%}** of the image is too grey or too dark (S < {s_min} or "
                f"V < {v_min}) to be selected whatever the range: their hue is unreliable, so the thresholds on S "
                f"and V matter as much as the hue range. {common_text}")

    # The code, right under the result it reproduces ------------------------------------------------
    if wrap:
        mask_code = (f"# Hue wraps at red: keep {lo}°-360° or 0°-{hi}°\n"
                     f"mask = cv2.inRange(hsv, ({h_lo}, {s_min}, {v_min}), (179, 255, 255)) | "
                     f"cv2.inRange(hsv, (0, {s_min}, {v_min}), ({h_hi}, 255, 255))")
    else:
        mask_code = f"mask = cv2.inRange(hsv, ({h_lo}, {s_min}, {v_min}), ({h_hi}, 255, 255))  # hue {lo}°-{hi}°"
    show_code(
        "hsv = cv2.cvtColor(img, cv2.COLOR_RGB2HSV)  # H is degrees / 2 (0-179), S and V 0-255\n"
        f"{mask_code}\n"
        "grey = cv2.cvtColor(cv2.cvtColor(img, cv2.COLOR_RGB2GRAY), cv2.COLOR_GRAY2RGB)\n"
        "result = np.where(mask[:, :, None] > 0, img, grey)  # colour where selected, grey elsewhere",
        source=source, result=selection.splash, title="The code: pick by hue",
    )

    # 6. Where it breaks: the same range without the limits on S and V (it reads the controls) ----------
    st.header("Where it breaks: hue alone picks specks", anchor=False)
    bare = step(color.select_hue, img, lo=lo, hi=hi, s_min=0, v_min=0)
    picture_row([Picture(bare.mask, caption=f"Hue {kept} only: {bare.selected:.1%} of the pixels", crisp=True),
                 Picture(selection.mask, caption=f"With S ≥ {s_min}, V ≥ {v_min}: {selection.selected:.1%}",
                         crisp=True)])
    st.markdown(f"Without limits on saturation and value the same hue range selects **{bare.selected:.1%}** of "
                f"the pixels instead of {selection.selected:.1%}: greyish and dark pixels have a hue too, and it is "
                "mostly noise (pure grey even counts as red, hue 0). Even with the limits, a colour range keeps "
                "isolated specks and leaves holes where highlights wash the colour out. Cleaning a mask is a job "
                "for morphology: an opening removes the specks, a closing fills the holes.")
    lesson_link("morphology", "Morphology: clean a mask with opening and closing")


pick_by_hue()

# 4. Look closer (its own fragment; it reads no control of the one above) --------------------------------
look_closer()

# The channels of each model (a fragment: the model choice redraws only this section) ---------------------
MODELS = {"rgb": "RGB", "hsv": "HSV", "lab": "LAB", "ycrcb": "YCrCb"}
WHEN = {
    "rgb": "How cameras and screens store colour. Every channel mixes brightness and colour, so a shadow "
           "changes all three numbers.",
    "hsv": "Pick colours by name: hue is the colour, and a shadow mostly lowers V. Hue is an angle, so "
           "red sits at both ends (0° and 360°).",
    "lab": "Designed so equal steps look equally different: use it to measure colour differences, and to "
           "change lightness (L) without touching colour (a, b), as histogram equalisation of colour images does.",
    "ycrcb": "Luma and two colour differences, as in JPEG and video: the eye sees detail in Y, so Cr and Cb "
             "can be stored at lower resolution. Skin tones cluster tightly in Cr-Cb.",
}


@st.fragment
def four_models() -> None:
    st.header("Four models, three channels each", anchor=False)
    model = url_choice(st.segmented_control, "Colour model", MODELS, key="colour_model", default="rgb")
    st.markdown(WHEN[model])
    picture_row([Picture(picture, caption=f"{info.name}: {info.meaning} ({info.low}-{info.high})")
                 for picture, info in zip(step(color.model_channels, img, space=model), color.COLOR_SPACES[model])])
    if model == "rgb":
        st.markdown("The same channels tinted in their own colour: add the three and you get the photograph back.")
        picture_row([Picture(picture, caption=f"{name} channel, tinted")
                     for picture, name in zip(step(color.tint_channels, img), ("red", "green", "blue"))])
        channel_means = step(image_facts, img).mean
        st.markdown("**OpenCV's BGR order.** `cv2.imread` returns the channels as **B, G, R**. Shown as RGB without "
                    "`cv2.cvtColor(img, cv2.COLOR_BGR2RGB)`, red and blue trade places: this image's mean red "
                    f"({channel_means[0]:.0f}) and mean blue ({channel_means[2]:.0f}) swap, and the picture turns "
                    f"{'bluer' if channel_means[0] > channel_means[2] else 'redder'}.")
        picture_row([Picture(img, caption="RGB array shown as RGB (right)"),
                     Picture(step(color.swap_rgb_bgr, img), caption="BGR array shown as RGB (the classic mistake)")])


four_models()

# Greyscale two ways -------------------------------------------------------------------------------------
st.header("Greyscale: plain average or luma weights", anchor=False)
greys = step(color.compare_grays, img)
shown_difference = step(arrays.amplified_difference, greys.difference, gain=4)
picture_row([Picture(greys.average, caption="(R + G + B) / 3",
                     alt=picture_alt("Grey as the plain average (R + G + B) / 3", greys.average)),
             Picture(greys.luma, caption="0.299 R + 0.587 G + 0.114 B (cv2.COLOR_RGB2GRAY)"),
             Picture(shown_difference, caption="luma − average, × 4 around grey 128", crisp=True)])
st.markdown("The difference is signed (−255 to 255), so it is shown as `128 + 4 × difference`, clipped: grey 128 "
            "means both agree, lighter means the luma grey is brighter (greens), darker means it is darker "
            f"(blues). Here the two disagree by up to **{greys.largest} levels**. A plain average calls pure blue "
            "as bright as pure green; to the eye green looks far brighter, which is what the weights encode.")
show_code(
    "average = cv2.transform(img, np.full((1, 3), 1 / 3))  # (R + G + B) / 3, rounded\n"
    "luma = cv2.cvtColor(img, cv2.COLOR_RGB2GRAY)  # Y' = 0.299 R + 0.587 G + 0.114 B (BT.601)\n"
    "difference = luma.astype(np.int16) - average.astype(np.int16)  # signed: no uint8 wrap-around\n"
    "result = np.clip(np.rint(128 + 4 * difference.astype(np.float32)), 0, 255).astype(np.uint8)  # for display",
    source=source, result=shown_difference, title="The code: greyscale two ways",
)

# The colour distribution: a fragment, so switching the space redraws only the scatter ------------------------
SPACES_3D = {"rgb": "RGB cube", "hsv": "HSV: hue, saturation, value"}


@st.fragment
def colour_distribution() -> None:
    st.header(f"Where the colours sit: {min(3000, img.shape[0] * img.shape[1]):,} pixels in colour space",
              anchor=False)
    space = url_choice(st.radio, "Space", SPACES_3D, key="colour_space", default="rgb", horizontal=True)
    sample = step(color.sample_pixels, img, n=3000, space=space, seed=0)
    drawn = len(sample.colors)
    show_figure(step(colour_scatter, sample), key="colour_scatter", alt=scatter_alt(sample))
    st.caption((f"A random sample of {drawn:,} pixels (fixed seed), each drawn in its own colour. " if drawn == 3000
                else f"All {drawn:,} pixel{'s' if drawn > 1 else ''} of this small image, each drawn in its own "
                "colour. ")
               + ("Greys lie on the diagonal from black to white; colourful pixels lie far from it." if space == "rgb"
                  else "Hue runs along one axis, but it is an angle: the reds at H 0 (0°) and H 179 (358°) are "
                  "neighbours."))


colour_distribution()

# 8. Check yourself --------------------------------------------------------------------------------------
st.header("Check yourself", anchor=False)
green = color.color_values((0, 255, 0))
numeric_exercise(
    "colour_gray", number=1,
    question="What grey level does `cv2.cvtColor(img, cv2.COLOR_RGB2GRAY)` give a pure green pixel (0, 255, 0)?",
    answer=green.gray, tolerance=1,
    hint="Only the green weight counts: 0.587 × 255.",
    explanation=f"0.587 × 255 = 149.7, stored as {green.gray}. Pure blue would give only 0.114 × 255 ≈ 29.",
)
yellow = color.color_values((255, 255, 0))
numeric_exercise(
    "colour_hue", number=2,
    question="What hue value does OpenCV store (`cv2.COLOR_RGB2HSV`, uint8) for pure yellow (255, 255, 0)?",
    answer=yellow.hsv[0],
    hint="Yellow sits at 60° on the colour wheel; OpenCV halves degrees to fit 360 into 0-179.",
    explanation=f"60° / 2 = {yellow.hsv[0]}. Red is 0, green 60, blue 120 in OpenCV's units.",
)
choice_exercise(
    "colour_bgr", number=3,
    question="One of these is the image read with `cv2.imread` and shown without converting. Which?",
    options=["A", "B", "C"], correct="A",
    pictures=[step(color.swap_rgb_bgr, img), img, step(color.tint_channels, img)[1]],
    hint="OpenCV keeps the channels in the order blue, green, red.",
    explanation="A: red and blue have traded places. B is correct RGB; C keeps only the green channel.",
)

finish_lesson("colour")
