"""Lesson: Smoothing and sharpening."""

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

import numpy as np
import streamlit as st

from processing import filters
from processing.arrays import amplified_difference
from processing.color import to_gray
from processing.edges import pixel_gradient, strongest_edge
from ui.cache import cached_step
from ui.charts import CHANNEL_COLOURS, show_chart
from ui.code import show_code
from ui.display import DISPLAY_WIDTH, Picture, before_after, fit_width, picture_row, show_image, zoom_nearest
from ui.exercises import choice_exercise, numeric_exercise, target_exercise
from ui.page import finish_lesson, lesson_link, start_lesson
from ui.svg import FULL_WIDTH, Band, Line, line_chart
from ui.svg import TEXT_COLOUR as LEGEND_COLOUR
from ui.url import url_choice, url_number

if TYPE_CHECKING:
    import pandas as pd

lesson, source = start_lesson("smoothing")
img = source.image
height, width = img.shape[:2]
is_colour = img.ndim == 3
megapixels = height * width / 1e6

NOISES = {"gaussian": "Gaussian", "salt_pepper": "Salt and pepper", "speckle": "Speckle"}
FILTERS = {"box": "Box", "gaussian": "Gaussian", "median": "Median", "bilateral": "Bilateral",
           "nl_means": "Non-local means"}
NLM_TEMPLATE, NLM_SEARCH = 7, 11  # search window 11 instead of OpenCV's 21: four times faster, as good here
EDGE_CROP = 24  # pixels per side of the zoomed crops
SSIM_MIN_SIDE = 7
# A sharpened value counts as a halo when it leaves its 3 x 3 neighbourhood's original range by more than
# this many levels: smaller excursions are everywhere in textured photos and invisible.
HALO_TOLERANCE = 10.0
# One colour per line of the edge profile (Okabe-Ito, told apart with colour blindness too); the clean
# image is drawn thick and black, the noisy one dotted grey.
PROFILE_COLOURS = {"Clean": "#000000", "Noisy": "#9a9a9a", "Box": "#e69f00", "Gaussian": "#56b4e9",
                   "Median": "#009e73", "Bilateral": "#d55e00", "Non-local means": "#cc79a7"}


# Cached steps, keyed on the image's identity plus the parameters (never on the array). Each returns
# everything its panel shows, read-only, so a rerun re-sends the pictures and figures it already made. ----------
@cached_step(max_entries=16)
def make_noisy(key: str, kind: str, strength: float, seed: int, _image: np.ndarray) -> np.ndarray:
    return filters.add_noise(_image, kind=kind, strength=strength, seed=seed)


def run_filter(image: np.ndarray, method: str, params: tuple) -> np.ndarray:
    if method == "box":
        return filters.box_blur(image, size=params[0])
    if method == "gaussian":
        return filters.gaussian_blur(image, sigma=params[0])
    if method == "median":
        return filters.median_blur(image, size=params[0])
    if method == "bilateral":
        return filters.bilateral_filter(image, diameter=params[0], sigma_color=params[1], sigma_space=params[2])
    return filters.nl_means_denoise(image, h=params[0], template_size=NLM_TEMPLATE, search_size=NLM_SEARCH)


@cached_step(max_entries=32)
def make_filtered(key: str, noise: tuple, method: str, params: tuple, _noisy: np.ndarray) -> np.ndarray:
    return run_filter(_noisy, method, params)


@cached_step(max_entries=64)
def quality(key: str, noise: tuple, method: str, params: tuple, _clean: np.ndarray, _test: np.ndarray):
    """(PSNR in dB, SSIM on the luminance or None when the image is too small)."""
    score = filters.psnr(_clean, _test)
    if min(_clean.shape[:2]) < SSIM_MIN_SIDE:
        return score, None
    return score, filters.ssim(grey(_clean), grey(_test))


@cached_step(max_entries=64)
def exercise_psnr(key: str, noise: tuple, method: str, params: tuple, _clean: np.ndarray, _noisy: np.ndarray) -> float:
    """PSNR of one filter on the exercises' noise. The exercises show no picture, so only the number is kept,
    and no SSIM is computed."""
    return filters.psnr(_clean, run_filter(_noisy, method, params))


@dataclass(frozen=True)
class EdgeView:
    """Where the zoomed crops sit: around the strongest edge of the clean image."""

    row: int
    col: int
    top: int
    left: int
    crop_h: int
    crop_w: int
    cell: int  # screen pixels per image pixel
    across_row: bool  # the profile runs along the row (the edge is vertical), else down the column


@cached_step(max_entries=16)
def edge_view(key: str, _image: np.ndarray) -> EdgeView:
    grey_image = grey(_image)
    row, col = strongest_edge(grey_image)
    window, (top, left) = filters.crop_around(_image, row=row, col=col, size=EDGE_CROP)
    crop_h, crop_w = window.shape[:2]
    vector = pixel_gradient(grey_image, row=row, col=col)
    return EdgeView(row=row, col=col, top=top, left=left, crop_h=crop_h, crop_w=crop_w,
                    cell=max(1, 192 // max(crop_h, crop_w)), across_row=abs(vector.gx) >= abs(vector.gy))


def crop_of(picture: np.ndarray, view: EdgeView) -> np.ndarray:
    return picture[view.top : view.top + view.crop_h, view.left : view.left + view.crop_w]


def positions_of(view: EdgeView) -> np.ndarray:
    return (np.arange(view.left, view.left + view.crop_w) if view.across_row
            else np.arange(view.top, view.top + view.crop_h))


def cut_of(view: EdgeView) -> tuple:
    """Index of the profile across the edge, in crop coordinates."""
    return ((view.row - view.top, slice(None)) if view.across_row else (slice(None), view.col - view.left))


@dataclass(frozen=True)
class EdgeCloseup:
    zooms: dict  # panel name to its zoomed crop
    profile: str  # SVG chart of the grey values across the edge


@cached_step(max_entries=16)
def edge_closeup(key: str, panel_ids: tuple, _view: EdgeView, _panels: dict) -> EdgeCloseup:
    """Zoomed crops of every panel and the grey profile across the edge; `panel_ids` names what `_panels` holds."""
    view = _view
    zooms, lines = {}, []
    for name, picture in _panels.items():
        crop = crop_of(picture, view)
        zooms[name] = zoom_nearest(crop, cell=view.cell)
        lines.append(Line(positions_of(view), grey(crop)[cut_of(view)], PROFILE_COLOURS[name], name=name,
                          width=3 if name == "Clean" else 1.5, dash=name == "Noisy", dots=name != "Noisy"))
    profile = line_chart(lines, x_title=f"{'column' if view.across_row else 'row'} (across the edge)",
                         y_title="grey value", y_range=(-5, 260), width=FULL_WIDTH, height=300)
    return EdgeCloseup(zooms=zooms, profile=profile)


@dataclass(frozen=True)
class SharpeningPanel:
    """What the sharpening panel shows, and no more: the float stages (detail, unclipped values) are
    summed up in `stats`, `halos` and `profile`; the middle pictures are kept at the size they are sent."""

    result: np.ndarray  # uint8, full size: shown, and reproduced by the code panel
    blurred: np.ndarray | None  # unsharp mask only
    detail_shown: np.ndarray | None  # unsharp mask only
    halos: np.ndarray
    stats: filters.OvershootStats
    clean_zoom: np.ndarray
    sharp_zoom: np.ndarray
    profile: str  # SVG chart of the values across the edge, before clipping


@cached_step(max_entries=16)
def sharpening_panel(key: str, method: str, amount: float, radius: float, threshold: float, strength: float,
                     _image: np.ndarray) -> SharpeningPanel:
    if method == "unsharp":
        stages = filters.unsharp_mask(_image, amount=amount, sigma=radius, threshold=threshold)
        blurred = fit_width(stages.blurred, max_width=DISPLAY_WIDTH)
        detail_shown = fit_width(amplified_difference(stages.detail, gain=2.0), max_width=DISPLAY_WIDTH)
    else:
        stages = filters.sharpen(_image, strength=strength)
        blurred = detail_shown = None
    view = edge_view(key, _image)
    colour = _image.ndim == 3
    clean_cut, sharp_cut = crop_of(_image, view)[cut_of(view)], crop_of(stages.unclipped, view)[cut_of(view)]
    positions = positions_of(view)
    if colour:
        # One pair of lines per channel, in its colour; the legend says which style is which.
        lines = [Line([], [], LEGEND_COLOUR, name="clean", dash=True),
                 Line([], [], LEGEND_COLOUR, name="sharpened")]
        for index, name in enumerate(("red", "green", "blue")):
            lines.append(Line(positions, clean_cut[:, index], CHANNEL_COLOURS[name], dash=True))
            lines.append(Line(positions, sharp_cut[:, index], CHANNEL_COLOURS[name], width=2.5, dots=True))
    else:
        lines = [Line(positions, clean_cut, "#000000", name="clean", dash=True),
                 Line(positions, sharp_cut, "#000000", name="sharpened", width=2.5, dots=True)]
    profile = line_chart(lines, x_title=f"{'column' if view.across_row else 'row'} (across the edge)",
                         y_title="value before clipping", x_range=(float(positions[0]), float(positions[-1])),
                         bands=[Band(0, 255, "#2f6db3", opacity=0.08, horizontal=True)], height=280)
    return SharpeningPanel(
        result=stages.result, blurred=blurred, detail_shown=detail_shown,
        halos=fit_width(filters.halo_overlay(_image, stages.unclipped, tolerance=HALO_TOLERANCE),
                        max_width=DISPLAY_WIDTH),
        stats=filters.overshoot_stats(_image, stages.unclipped, tolerance=HALO_TOLERANCE),
        clean_zoom=zoom_nearest(crop_of(_image, view), cell=view.cell),
        sharp_zoom=zoom_nearest(crop_of(stages.result, view), cell=view.cell), profile=profile,
    )


@dataclass(frozen=True)
class DetailLoss:
    psnr: float
    clean_zoom: np.ndarray
    filtered_zoom: np.ndarray


@cached_step(max_entries=16)
def detail_loss(key: str, method: str, params: tuple, _image: np.ndarray) -> DetailLoss:
    """The filter run on the clean image: what it changes there, at the centre, zoomed (the whole filtered
    image is not kept)."""
    filtered = run_filter(_image, method, params)
    centre, (top, left) = filters.crop_around(_image, row=_image.shape[0] // 2, col=_image.shape[1] // 2, size=64)
    cell = max(1, 256 // max(centre.shape[:2]))
    crop = filtered[top : top + centre.shape[0], left : left + centre.shape[1]]
    return DetailLoss(psnr=filters.psnr(_image, filtered), clean_zoom=zoom_nearest(centre, cell=cell),
                      filtered_zoom=zoom_nearest(crop, cell=cell))


def bar_range(rows: tuple) -> tuple[float, float]:
    """Where the PSNR bars start and end: 3 dB below the lowest finite score (so the differences between
    filters show), 1 dB above the highest."""
    finite = [row[2] for row in rows if math.isfinite(row[2])]
    return max(0.0, math.floor(min(finite, default=0.0)) - 3), max(finite, default=40.0) + 1


@cached_step(max_entries=32)
def score_table(rows: tuple) -> "pd.DataFrame":
    """The comparison table from (filter, settings, PSNR, SSIM or None) rows, rounded as shown, with each PSNR
    again as a bar (an infinite one, identical images, fills it)."""
    # Imported here: pandas takes 0.3 s to import on a quiet machine (up to 2 s under load), and on a fresh
    # server the first pictures would wait for it.
    import pandas as pd

    top = bar_range(rows)[1]
    return pd.DataFrame([
        {"filter": name, "settings": settings, "PSNR (dB)": round(psnr_value, 2), "PSNR bar": min(psnr_value, top),
         "SSIM": None if ssim_value is None else round(ssim_value, 3)}
        for name, settings, psnr_value, ssim_value in rows
    ])


@cached_step(max_entries=16)
def unsharp_quiz(key: str, _image: np.ndarray) -> tuple[int, int, int, int]:
    """Exercise 3: (row, col, grey value, grey value blurred with σ = 2) at the strongest edge."""
    view = edge_view(key, _image)
    grey_image = grey(_image)
    blurred = filters.gaussian_blur(grey_image, sigma=2.0)
    return view.row, view.col, int(grey_image[view.row, view.col]), int(blurred[view.row, view.col])


def grey(image: np.ndarray) -> np.ndarray:
    return to_gray(image) if image.ndim == 3 else image


def fmt_psnr(value: float) -> str:
    """A PSNR for the reader: identical images have no error, so their PSNR is infinite."""
    return f"{value:.1f} dB" if math.isfinite(value) else "∞ dB (identical)"


def settings_text(method: str, params: tuple) -> str:
    if method in ("box", "median"):
        return f"{params[0]} × {params[0]} window"
    if method == "gaussian":
        return f"σ = {params[0]:g} px"
    if method == "bilateral":
        return f"d {params[0]}, σ colour {params[1]:g}, σ space {params[2]:g}"
    return f"h = {params[0]:g}, patch {NLM_TEMPLATE}, search {NLM_SEARCH}"


# 1. The idea ------------------------------------------------------------------------------------
st.markdown(
    "Every camera adds **noise**: random errors on top of the true pixel values. A smoothing filter replaces "
    "each pixel by a combination of its neighbours, so random errors average out, but so does real detail. "
    "The filters differ in *which* neighbours count: the box and Gaussian filters average everything nearby, "
    "the median takes the middle value, the bilateral filter ignores neighbours of a different colour and "
    "non-local means averages patches that look alike. We score each against the clean image with the "
    "peak signal-to-noise ratio (higher is closer):"
)
st.latex(r"\mathrm{PSNR} = 10\,\log_{10}\frac{255^2}{\mathrm{MSE}},\qquad "
         r"\mathrm{MSE} = \text{mean of }(\text{clean} - \text{result})^2")

# 2. Controls ------------------------------------------------------------------------------------
st.header("Add noise, then remove it", anchor=False)


class Denoising(NamedTuple):
    """The panel's settings and the PSNR of the filter shown, for the exercises (read on full runs)."""

    kind: str
    strength: float
    seed: int
    shown_method: str
    params: dict
    shown_psnr: float


@st.fragment
def denoising_panel() -> Denoising:
    """Noise and filter controls, the two before/afters, the comparison, the edge close-up, what to notice,
    the code and where it breaks: every part that moves with the noise or a filter setting.

    A fragment: moving one of its controls reruns only this part of the page.
    """
    noise_columns = st.columns([2, 2, 1])
    with noise_columns[0]:
        kind = url_choice(st.segmented_control, "Noise", NOISES, key="smoothing_noise", default="gaussian")
    with noise_columns[1]:
        if kind == "gaussian":
            strength = st.slider("Noise σ (grey levels)", 0, 60, 25, key="smoothing_sigma", bind="query-params",
                                 help="Standard deviation of the noise added to every value.")
        elif kind == "salt_pepper":
            strength = st.slider("Share of pixels hit", 0.0, 0.5, 0.05, 0.01, key="smoothing_amount",
                                 bind="query-params", help="Half of them turn black, half white.")
        else:
            strength = st.slider("Speckle σ (relative)", 0.0, 1.0, 0.3, 0.05, key="smoothing_speckle",
                                 bind="query-params", help="Each value is multiplied by 1 + n, n of this spread.")
    with noise_columns[2]:
        seed = url_number(st.number_input, "Seed", 0, 9999, 0, key="smoothing_seed",
                          help="Same seed, same noise: for you, your classmates and the code below.")
    strength = float(strength)
    noise_key = (kind, strength, int(seed))

    shown_method = url_choice(st.segmented_control, "Filter shown below (all are compared in the table)", FILTERS,
                              key="smoothing_filter", default="bilateral")
    filter_columns = st.columns(5)
    size = filter_columns[0].slider("Window (box, median)", 3, 15, 5, 2, key="smoothing_size", bind="query-params")
    gauss_sigma = filter_columns[1].slider("Gaussian σ (px)", 0.3, 5.0, 1.0, 0.1, key="smoothing_gsigma",
                                           bind="query-params")
    diameter = filter_columns[2].slider("Bilateral diameter (px)", 3, 15, 9, 2, key="smoothing_diameter",
                                        bind="query-params")
    sigma_colour = filter_columns[3].slider(
        "Bilateral σ colour (levels)", 5, 150, 75, 5, key="smoothing_scolour", bind="query-params",
        help="Neighbours whose value differs by much more than this barely count.")
    with filter_columns[4]:
        with_nlm = st.toggle("Non-local means (slow)", value=True, key="smoothing_nlm", bind="query-params",
                             help="It compares whole 7 × 7 patches: about 1.4 s per megapixel in colour, so it "
                                  "runs once per setting, with a spinner, and is remembered.")
        nlm_h = st.slider("Its strength h", 3, 40, 20, key="smoothing_h", bind="query-params", disabled=not with_nlm)

    params = {
        "box": (size,),
        "gaussian": (gauss_sigma,),
        "median": (size,),
        "bilateral": (diameter, float(sigma_colour), 75.0),
        "nl_means": (float(nlm_h),),
    }
    methods = [m for m in FILTERS if m != "nl_means" or with_nlm or shown_method == "nl_means"]

    # A window wider or taller than the image is mostly border: what the filter sees there is invented.
    if size > min(height, width) and shown_method in ("box", "median"):
        st.info(
            f"The {size} × {size} window is larger than this {width} × {height} image, so most of it falls outside "
            "the image. OpenCV fills the missing neighbours by mirroring the border (the median repeats the border "
            "pixels), so the box and median results mostly average copies of the same few pixels. Use a larger "
            "image to see what the window does.", icon=":material/info:",
        )

    def filtered_by(method: str) -> np.ndarray:
        if method != "nl_means":
            return make_filtered(source.key, noise_key, method, params[method], noisy)
        with st.spinner(f"Non-local means on {megapixels:.1f} megapixels (runs once for these settings)…"):
            return make_filtered(source.key, noise_key, method, params[method], noisy)

    # 3. Before and after: each picture is sent as soon as it is made, so the noise and the filter shown
    # appear before the other filters (non-local means among them) run for the comparison. -------------
    with st.spinner("Adding the noise…"):
        noisy = make_noisy(source.key, kind, strength, int(seed), img)
        noisy_psnr, noisy_ssim = quality(source.key, noise_key, "noisy", (), img, noisy)
    st.subheader("1 · The noise", anchor=False)
    before_after(img, noisy, before_caption="Clean image (the reference)",
                 after_caption=f"With {NOISES[kind].lower()} noise ({'σ' if kind != 'salt_pepper' else 'amount'} "
                               f"{strength:g}, seed {seed}): PSNR {fmt_psnr(noisy_psnr)}")
    result = filtered_by(shown_method)
    shown_score = quality(source.key, noise_key, shown_method, params[shown_method], img, result)
    st.subheader(f"2 · The {FILTERS[shown_method].lower()} filter", anchor=False)
    before_after(noisy, result, before_caption="Noisy input",
                 after_caption=f"{FILTERS[shown_method]} ({settings_text(shown_method, params[shown_method])}): "
                               f"PSNR {fmt_psnr(shown_score[0])}")

    with st.spinner("Running the other filters…"):
        others = {m: make_filtered(source.key, noise_key, m, params[m], noisy)
                  for m in methods if m not in (shown_method, "nl_means")}
    if "nl_means" in methods and shown_method != "nl_means":
        others["nl_means"] = filtered_by("nl_means")
    results: dict[str, np.ndarray] = {m: result if m == shown_method else others[m] for m in methods}
    with st.spinner("Scoring every filter against the clean image…"):
        scores = {m: quality(source.key, noise_key, m, params[m], img, results[m]) for m in methods}
    best_method = max(methods, key=lambda m: scores[m][0])

    st.subheader("3 · Every filter against the clean image", anchor=False)
    rows = (("none (noisy image)", "", noisy_psnr, noisy_ssim),
            *((FILTERS[m], settings_text(m, params[m]), *scores[m]) for m in methods))
    low, high = bar_range(rows)
    # The bars replace a bar chart: a chart re-drawn on every move of a slider cost the browser far more.
    st.dataframe(
        score_table(rows), hide_index=True, width="stretch", key="smoothing_table",
        column_config={"PSNR bar": st.column_config.ProgressColumn(
            "PSNR compared", format=" ", min_value=low, max_value=high, width="medium",
            help=f"Each PSNR as a bar from {low:g} to {high:g} dB: the longest is the closest to the clean image "
                 "(∞, identical, fills the bar).")},
    )
    st.caption(
        "PSNR uses every pixel and channel. SSIM (structural similarity, 1 = identical) compares local means, "
        "contrasts and structure in 7 × 7 windows; here it is computed on the luminance (grey) version of "
        "both images, which is faster and close to the colour value."
        + (" This image is smaller than 7 pixels on a side, so SSIM cannot be computed (—)." if noisy_ssim is None
           else "")
        + (" A PSNR of ∞ (inf) means the result equals the clean image pixel for pixel: with no error at all the "
           "ratio has no finite value." if not all(math.isfinite(row[2]) for row in rows) else "")
        + ("" if with_nlm else " Non-local means is switched off.")
    )

    # 4. Look closer: one edge, pixel by pixel ----------------------------------------------------
    st.header("Look closer: what each filter does to an edge", anchor=False)
    view = edge_view(source.key, img)
    st.markdown(
        f"The {view.crop_w} × {view.crop_h} pixels around the strongest edge of the clean image (row {view.row}, "
        f"column {view.col}), each pixel drawn as a {view.cell} × {view.cell} square so nothing is blurred by the "
        "display."
    )
    panels = {"Clean": img, "Noisy": noisy, **{FILTERS[m]: results[m] for m in methods}}
    panel_ids = (noise_key, tuple((m, params[m]) for m in methods))
    closeup = edge_closeup(source.key, panel_ids, view, panels)
    for column, name in zip(st.columns(len(panels)), panels):
        with column:
            show_image(closeup.zooms[name], caption=name, crisp=True, alt=f"{name}: zoomed crop across an edge")
    # The profile runs across the edge: along the row when the edge is vertical, else down the column.
    where = f"row {view.row}" if view.across_row else f"column {view.col}"
    show_chart(closeup.profile, alt=f"Grey values along {where} across the edge for " + ", ".join(panels),
               caption=f"Grey values along {where}" + (" (luminance of the colour images)." if is_colour else "."))

    # 5. What to notice ---------------------------------------------------------------------------
    st.subheader("What to notice", anchor=False)
    worst_method = min(methods, key=lambda m: scores[m][0])
    best_psnr = scores[best_method][0]
    sentences = []
    if not math.isfinite(noisy_psnr):
        sentences.append("With this setting no pixel changed: the noisy image equals the clean one (PSNR is "
                         "infinite).")
    elif not math.isfinite(best_psnr):
        sentences.append(
            f"On this {NOISES[kind].lower()} noise, **{FILTERS[best_method].lower()}** gives back the clean image "
            f"exactly (PSNR ∞: no pixel differs), starting from {fmt_psnr(noisy_psnr)} for the noisy image; "
            f"{FILTERS[worst_method].lower()} gives the least, {fmt_psnr(scores[worst_method][0])}."
        )
    else:
        sentences.append(
            f"On this {NOISES[kind].lower()} noise, **{FILTERS[best_method].lower()}** gives the best PSNR here, "
            f"{best_psnr:.1f} dB, {best_psnr - noisy_psnr:+.1f} dB against the noisy image ({noisy_psnr:.1f} dB); "
            f"{FILTERS[worst_method].lower()} gives the least, {scores[worst_method][0]:.1f} dB."
        )
    if noisy_ssim is not None:
        best_ssim_method = max(methods, key=lambda m: scores[m][1])
        sentences.append(
            f"By SSIM the winner is {FILTERS[best_ssim_method].lower()} ({scores[best_ssim_method][1]:.3f}): "
            + ("the same filter, so both scores agree." if best_ssim_method == best_method else
               "a different filter, because SSIM rewards kept structure and PSNR only counts squared errors.")
        )
    sentences.append(
        "In the zoomed crops, the box and Gaussian filters spread the edge over several pixels; the median and "
        "bilateral filters keep it steep, the median because it picks a value from one side, the bilateral "
        "because it ignores neighbours of a different brightness. Try salt and pepper: the averaging filters "
        "smear each speck into a grey blot, the median removes it."
    )
    st.markdown(" ".join(sentences))

    # The code, right under the result it reproduces ---------------------------------------------------
    if kind == "gaussian":
        noise_code = (
            f"sigma, seed = {strength!r}, {int(seed)}\n"
            "rng = np.random.default_rng(seed)  # the same seed gives the same noise\n"
            "noise = rng.standard_normal(img.shape, dtype=np.float32) * np.float32(sigma)\n"
            "noisy = np.clip(np.rint(img + noise), 0, 255).astype(np.uint8)"
        )
    elif kind == "salt_pepper":
        noise_code = (
            f"amount, seed = {strength!r}, {int(seed)}\n"
            "draw = np.random.default_rng(seed).random(img.shape[:2], dtype=np.float32)  # one draw per pixel\n"
            "noisy = img.copy()\n"
            "noisy[draw < amount / 2] = 0  # pepper\n"
            "noisy[(draw >= amount / 2) & (draw < amount)] = 255  # salt"
        )
    else:
        noise_code = (
            f"sigma, seed = {strength!r}, {int(seed)}\n"
            "rng = np.random.default_rng(seed)\n"
            "factor = rng.standard_normal(img.shape, dtype=np.float32) * np.float32(sigma) + np.float32(1.0)\n"
            "noisy = np.clip(np.rint(factor * img), 0, 255).astype(np.uint8)  # multiplicative"
        )
    p = params[shown_method]
    if shown_method == "box":
        filter_code = f"result = cv2.blur(noisy, ({p[0]}, {p[0]}))"
    elif shown_method == "gaussian":
        filter_code = f"result = cv2.GaussianBlur(noisy, (0, 0), {p[0]!r})  # window chosen from sigma"
    elif shown_method == "median":
        filter_code = f"result = cv2.medianBlur(noisy, {p[0]})"
    elif shown_method == "bilateral":
        filter_code = (f"result = cv2.bilateralFilter(noisy, {p[0]}, {p[1]!r}, {p[2]!r})"
                       "  # diameter, sigma colour, sigma space")
    elif is_colour:
        filter_code = (
            "bgr = cv2.cvtColor(noisy, cv2.COLOR_RGB2BGR)  # the colour version expects BGR\n"
            f"result = cv2.fastNlMeansDenoisingColored(bgr, None, {p[0]!r}, {p[0]!r}, {NLM_TEMPLATE}, {NLM_SEARCH})\n"
            "result = cv2.cvtColor(result, cv2.COLOR_BGR2RGB)"
        )
    else:
        filter_code = f"result = cv2.fastNlMeansDenoising(noisy, None, {p[0]!r}, {NLM_TEMPLATE}, {NLM_SEARCH})"
    show_code(
        f"{noise_code}\n{filter_code}\nprint(f\"PSNR {{cv2.PSNR(img, result):.2f}} dB\")",
        source=source, result=result, title="The code: noise and denoising",
    )

    # 6. Where it breaks: the filter shown, with its settings, on the clean image -----------------------
    st.header("Where it breaks: a filter cannot tell noise from detail", anchor=False)
    loss = detail_loss(source.key, shown_method, params[shown_method], img)
    st.markdown(
        f"Run the {FILTERS[shown_method].lower()} filter with the same settings on the **clean** image: there is "
        "no noise to remove, yet it changes the picture"
        + (f" (PSNR {loss.psnr:.1f} dB against the original). " if math.isfinite(loss.psnr) else
           " — except on this image, which it leaves exactly as it was (PSNR ∞: identical), because there is no "
           "detail smaller than the window to lose. ")
        + "Everything smaller than the window, fine texture, thin lines, sharp corners, looks to the filter just "
          "like noise. On a binary image (a mask, a scanned page, the shapes sample) specks are better removed by "
          "their size and shape: opening and closing remove spots smaller than a structuring element and leave "
          "straight outlines exactly in place."
    )
    break_columns = st.columns(3)
    with break_columns[0]:
        show_image(loss.clean_zoom, crisp=True, caption="Clean image, centre, zoomed")
    with break_columns[1]:
        show_image(loss.filtered_zoom, crisp=True,
                   caption=f"{FILTERS[shown_method]} on the clean image: detail lost, no noise removed"
                   if math.isfinite(loss.psnr) else f"{FILTERS[shown_method]} on the clean image: identical")
    lesson_link("morphology", "Morphology: remove specks by shape, not by blurring")
    return Denoising(kind, strength, int(seed), shown_method, params, scores[shown_method][0])


denoising = denoising_panel()

# 7. Sharpening ----------------------------------------------------------------------------------


@st.fragment
def sharpening_section() -> None:
    st.header("Sharpening: add the detail back, amplified", anchor=False)
    st.markdown(
        "Blurring removes the fine detail; subtracting the blurred image from the original keeps *only* it. "
        "**Unsharp masking** adds that detail layer back, amplified:"
    )
    st.latex(r"\text{result} = \text{img} + \text{amount}\cdot(\text{img} - \text{blurred})")
    methods_sharp = {"unsharp": "Unsharp mask", "kernel": "Sharpen kernel (3 × 3)"}
    controls = st.columns([2, 1, 1, 1])
    with controls[0]:
        method = url_choice(st.segmented_control, "Method", methods_sharp, key="smoothing_sharp", default="unsharp")
    with controls[1]:
        amount = st.slider("Amount", 0.0, 5.0, 1.5, 0.1, key="smoothing_usm_amount", bind="query-params",
                           disabled=method != "unsharp")
    with controls[2]:
        radius = st.slider("Radius σ (px)", 0.5, 10.0, 2.0, 0.5, key="smoothing_usm_radius", bind="query-params",
                           disabled=method != "unsharp", help="Size of the detail that gets boosted.")
    with controls[3]:
        if method == "unsharp":
            threshold = st.slider("Threshold (levels)", 0, 50, 0, key="smoothing_usm_threshold",
                                  bind="query-params",
                                  help="Detail smaller than this is left alone (flat areas, noise).")
            strength_k = 1.0
        else:
            strength_k = st.slider("Kernel strength", 0.0, 3.0, 1.0, 0.1, key="smoothing_kernel_strength",
                                   bind="query-params")
            threshold = 0
    panel = sharpening_panel(source.key, method, float(amount), float(radius), float(threshold), float(strength_k),
                             img)
    stats = panel.stats
    caption = (f"Unsharp mask: amount {amount:g}, radius {radius:g}, threshold {threshold}" if method == "unsharp"
               else f"Sharpen kernel, strength {strength_k:g}")
    before_after(img, panel.result, before_caption="Clean image", after_caption=caption)

    st.subheader("The stages", anchor=False)
    if method == "unsharp":
        picture_row([
            Picture(panel.blurred, caption=f"1 · Blurred (Gaussian, σ = {radius:g})"),
            Picture(panel.detail_shown, crisp=True,
                    caption="2 · Detail = img − blurred, shown as 128 + 2 × detail: grey is 0, "
                            "brighter is positive, darker negative (clipped beyond ±64)"),
            Picture(panel.halos, crisp=True, caption="3 · Halos: orange brighter than any original neighbour, "
                                                     "blue darker than any"),
        ])
    else:
        kernel = filters.sharpen_kernel(strength=strength_k)
        columns = st.columns([1, 2])
        with columns[0]:
            st.markdown("The kernel (it sums to 1, so flat areas stay as they are):")
            rows = r" \\ ".join(" & ".join(f"{v:g}" for v in row) for row in kernel)
            st.latex(r"\begin{bmatrix}" + rows + r"\end{bmatrix}")
            st.caption("It is the identity minus strength × the Laplacian: the centre minus its neighbours is "
                       "the detail, added to the pixel.")
        with columns[1]:
            show_image(panel.halos, crisp=True, caption="Halos: orange brighter than any original neighbour, "
                                                        "blue darker than any")

    st.subheader("Look closer: the halo along an edge", anchor=False)
    cells = st.columns([1, 1, 2])
    with cells[0]:
        show_image(panel.clean_zoom, crisp=True, caption="Clean, zoomed")
    with cells[1]:
        show_image(panel.sharp_zoom, crisp=True, caption="Sharpened, zoomed")
    with cells[2]:
        show_chart(panel.profile, alt="Values across the edge before clipping, clean dotted and sharpened solid, "
                                      "with the range 0-255 shaded")
    metric_columns = st.columns(4)
    metric_columns[0].metric("Brightest overshoot", f"{stats.max_overshoot:.0f} levels")
    metric_columns[1].metric("Darkest undershoot", f"{stats.max_undershoot:.0f} levels")
    metric_columns[2].metric(f"Values in a halo (> {HALO_TOLERANCE:g} levels)", f"{stats.halo_fraction:.1%}")
    metric_columns[3].metric("Values clipped at 0 or 255", f"{stats.clipped_fraction:.1%}")
    st.markdown(
        f"The sharpened values leave the range of their 3 × 3 original neighbourhood by up to "
        f"{stats.max_overshoot:.0f} levels upwards and {stats.max_undershoot:.0f} downwards: the bright and dark "
        f"rims along each edge (the shaded band in the chart is 0–255). {stats.halo_fraction:.1%} of the values "
        f"are more than {HALO_TOLERANCE:g} levels outside it (a visible halo) and {stats.clipped_fraction:.1%} "
        "left 0–255 and were clipped to pure black or white. "
        + ("Raise the amount and watch both numbers grow; a threshold leaves the flat areas alone."
           if method == "unsharp" else "Raise the strength and watch both numbers grow.")
    )

    if method == "unsharp":
        body = (
            f"amount, sigma, threshold = {float(amount)!r}, {float(radius)!r}, {float(threshold)!r}\n"
            "blurred = cv2.GaussianBlur(img, (0, 0), sigma)\n"
            "detail = img.astype(np.float32) - blurred  # signed\n"
            "boost = np.where(np.abs(detail) >= threshold, detail, np.float32(0.0))\n"
            "unclipped = img + np.float32(amount) * boost  # may leave 0-255: the halos\n"
            "result = np.clip(np.rint(unclipped), 0, 255).astype(np.uint8)"
        )
    else:
        kernel_rows = [[float(v) for v in row] for row in filters.sharpen_kernel(strength=strength_k)]
        body = (
            f"kernel = np.array({kernel_rows}, np.float32)  # identity - {strength_k:g} x Laplacian\n"
            "unclipped = cv2.filter2D(img.astype(np.float32), -1, kernel)\n"
            "result = np.clip(np.rint(unclipped), 0, 255).astype(np.uint8)"
        )
    show_code(body, source=source, result=panel.result, title="The code: sharpening")


sharpening_section()

# 8. Check yourself ------------------------------------------------------------------------------------
st.header("Check yourself", anchor=False)
EXERCISE_AMOUNT = 0.10
# The settings of the panel above as this full run drew them: grading ("Check") is a full run, so it always
# uses the settings on screen.
seed, params = denoising.seed, denoising.params
exercise_noise = ("salt_pepper", EXERCISE_AMOUNT, seed)
with st.spinner("Preparing the exercises (salt-and-pepper noise through four filters)…"):
    exercise_noisy = make_noisy(source.key, "salt_pepper", EXERCISE_AMOUNT, seed, img)
    exercise_scores = {
        m: exercise_psnr(source.key, exercise_noise, m, (5,) if m in ("box", "median") else params[m], img,
                         exercise_noisy)
        for m in ("box", "gaussian", "median", "bilateral")
    }
    median3 = exercise_psnr(source.key, exercise_noise, "median", (3,), img, exercise_noisy)
# Reachable with the right filter (1 dB below a 3 x 3 median), rounded down to half a decibel.
target = min(60.0, math.floor((median3 - 1.0) * 2) / 2) if math.isfinite(median3) else 60.0
on_task = denoising.kind == "salt_pepper" and denoising.strength >= EXERCISE_AMOUNT
target_exercise(
    "smoothing_salt", number=1,
    question=f"Set the noise to **salt and pepper** with at least {EXERCISE_AMOUNT:.2f} of the pixels hit, then "
             f"choose the filter shown and its settings so that its PSNR reaches {target:g} dB.",
    score=denoising.shown_psnr if on_task else float("nan"), target=target, score_name="PSNR of the filter shown",
    unit=" dB",
    hint="Salt and pepper values are extremes: an average is pulled far by one of them, the middle value is not."
    if on_task else f"First choose salt and pepper noise with a share of at least {EXERCISE_AMOUNT:.2f}.",
    explanation="The median ignores the extreme values as long as fewer than half of the window is hit; "
                "a small window keeps more detail.",
)
best_on_salt = max(exercise_scores, key=exercise_scores.get)
choice_exercise(
    "smoothing_best", number=2,
    question=f"Predict before you try: on this image with salt-and-pepper noise ({EXERCISE_AMOUNT:.2f} of the "
             "pixels, this seed), which filter scores the highest PSNR? (Box and median with a 5 × 5 window, the "
             "others with their current settings.)",
    options=[FILTERS[m] for m in exercise_scores], correct=FILTERS[best_on_salt],
    hint="Think about what one white pixel among 24 normal ones does to a mean, and to a median.",
    explanation="PSNR here: " + ", ".join(f"{FILTERS[m].lower()} {v:.1f} dB" for m, v in exercise_scores.items())
                + ".",
)
usm_row, usm_col, usm_value, usm_blurred = unsharp_quiz(source.key, img)
usm_answer = usm_value + 1.5 * (usm_value - usm_blurred)
numeric_exercise(
    "smoothing_unsharp", number=3,
    question=f"In the grey image, the pixel at row {usm_row}, column {usm_col} is {usm_value}; blurred with "
             f"σ = 2 it is {usm_blurred}. What does unsharp masking with amount 1.5 and threshold 0 give there, "
             "before clipping?",
    answer=usm_answer, tolerance=0.5, step=0.5,
    hint="Detail = pixel − blurred; the result is pixel + amount × detail.",
    explanation=f"{usm_value} + 1.5 × ({usm_value} − {usm_blurred}) = {usm_answer:g}"
                + (" — outside 0-255, so it would be clipped: a halo." if not 0 <= usm_answer <= 255 else "."),
)

finish_lesson("smoothing")
