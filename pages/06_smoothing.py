"""Lesson: Smoothing and sharpening. Processing: processing/filters.py (and processing/edges.py for the edge
close-up). Tests: tests/app/test_smoothing.py, tests/processing/test_filters.py."""

import math

import numpy as np
import streamlit as st

from processing import filters
from processing.arrays import amplified_difference
from processing.edges import edge_window
from ui import charts
from ui.cache import step
from ui.charts import show_chart
from ui.code import show_code
from ui.display import Picture, before_after, picture_row, show_image, zoom_nearest
from ui.exercises import choice_exercise, numeric_exercise, target_exercise
from ui.page import finish_lesson, lesson_link, start_lesson
from ui.url import url_choice, url_number

lesson, source = start_lesson("smoothing")
img = source.image
height, width = img.shape[:2]
is_colour = img.ndim == 3
megapixels = height * width / 1e6

NOISES = {"gaussian": "Gaussian", "salt_pepper": "Salt and pepper", "speckle": "Speckle"}
FILTERS = {"box": "Box", "gaussian": "Gaussian", "median": "Median", "bilateral": "Bilateral",
           "nl_means": "Non-local means"}
NLM_TEMPLATE, NLM_SEARCH = 7, 11  # search window 11 instead of OpenCV's 21: four times faster, as good here
SIGMA_SPACE = 75.0  # the bilateral filter's spatial σ (px), fixed: wider than any window, so distance barely counts
EDGE_CROP = 24  # pixels per side of the zoomed crops
ZOOM = 8  # each pixel of a zoomed crop is repeated as a ZOOM x ZOOM block
SETTINGS_TEXT = {"box": "{size} × {size} window", "gaussian": "σ = {sigma:g} px", "median": "{size} × {size} window",
                 "bilateral": "d {diameter}, σ colour {sigma_color:g}, σ space fixed at {sigma_space:g}",
                 "nl_means": "h = {h:g}, patch {template_size}, search {search_size}"}
# The code panel's lines for each noise and filter, filled in with the settings on screen.
NOISE_CODE = {
    "gaussian": "sigma, seed = {strength!r}, {seed}\n"
                "rng = np.random.default_rng(seed)  # the same seed gives the same noise\n"
                "noise = rng.standard_normal(img.shape, dtype=np.float32) * np.float32(sigma)\n"
                "noisy = np.clip(np.rint(img + noise), 0, 255).astype(np.uint8)",
    "salt_pepper": "amount, seed = {strength!r}, {seed}\n"
                   "draw = np.random.default_rng(seed).random(img.shape[:2], dtype=np.float32)  # one draw per pixel\n"
                   "noisy = img.copy()\n"
                   "noisy[draw < amount / 2] = 0  # pepper\n"
                   "noisy[(draw >= amount / 2) & (draw < amount)] = 255  # salt",
    "speckle": "sigma, seed = {strength!r}, {seed}\n"
               "rng = np.random.default_rng(seed)\n"
               "factor = rng.standard_normal(img.shape, dtype=np.float32) * np.float32(sigma) + np.float32(1.0)\n"
               "noisy = np.clip(np.rint(factor * img), 0, 255).astype(np.uint8)  # multiplicative",
}
FILTER_CODE = {
    "box": "result = cv2.blur(noisy, ({size}, {size}))",
    "gaussian": "result = cv2.GaussianBlur(noisy, (0, 0), {sigma!r})  # window chosen from sigma",
    "median": "result = cv2.medianBlur(noisy, {size})",
    "bilateral": "result = cv2.bilateralFilter(noisy, {diameter}, {sigma_color!r}, {sigma_space!r})"
                 "  # diameter, sigma colour, sigma space",
    "nl_means": "result = cv2.fastNlMeansDenoising(noisy, None, {h!r}, {template_size}, {search_size})",
    "nl_means colour": "bgr = cv2.cvtColor(noisy, cv2.COLOR_RGB2BGR)  # the colour version expects BGR\n"
                       "result = cv2.fastNlMeansDenoisingColored(bgr, None, {h!r}, {h!r}, {template_size}, "
                       "{search_size})\nresult = cv2.cvtColor(result, cv2.COLOR_BGR2RGB)",
}
SHARPEN_CODE = {
    "unsharp": "amount, sigma, threshold = {amount!r}, {sigma!r}, {threshold!r}\n"
               "blurred = cv2.GaussianBlur(img, (0, 0), sigma)\n"
               "detail = img.astype(np.float32) - blurred  # signed\n"
               "boost = np.where(np.abs(detail) >= threshold, detail, np.float32(0.0))\n"
               "unclipped = img + np.float32(amount) * boost  # may leave 0-255: the halos\n"
               "result = np.clip(np.rint(unclipped), 0, 255).astype(np.uint8)",
    "kernel": "kernel = np.array({kernel}, np.float32)  # identity - {strength:g} x Laplacian\n"
              "unclipped = cv2.filter2D(img.astype(np.float32), -1, kernel)\n"
              "result = np.clip(np.rint(unclipped), 0, 255).astype(np.uint8)",
}
# A sharpened value counts as a halo when it leaves its 3 x 3 neighbourhood's original range by more than
# this many levels: smaller excursions are everywhere in textured photos and invisible.
HALO_TOLERANCE = 10.0


def zoomed(picture: np.ndarray, *, row: int, col: int, size: int = EDGE_CROP, cell: int = ZOOM) -> np.ndarray:
    """The `size` × `size` window of `picture` around (row, col), each pixel repeated as a `cell` × `cell` block."""
    return step(zoom_nearest, step(filters.crop_around, picture, row=row, col=col, size=size)[0], cell=cell)


def fmt_psnr(value: float) -> str:
    """A PSNR for the reader: identical images have no error, so their PSNR is infinite."""
    return f"{value:.1f} dB" if math.isfinite(value) else "∞ dB (identical)"


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


@st.fragment
def denoising_panel() -> tuple[str, float, int, dict, float]:
    """Noise and filter controls, the two before/afters, the comparison, the edge close-up, what to notice,
    the code and where it breaks: every part that moves with the noise or a filter setting. Returns the
    settings and the PSNR of the filter shown, for the exercises (read on full runs).

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

    shown_method = url_choice(st.segmented_control, "Filter shown below (all are compared in the table)", FILTERS,
                              key="smoothing_filter", default="bilateral")
    filter_columns = st.columns([1, 1, 1, 1, 1.3])  # the widest for the switch's label
    size = filter_columns[0].slider("Window (box, median)", 3, 15, 5, 2, key="smoothing_size", bind="query-params")
    gauss_sigma = filter_columns[1].slider("Gaussian σ (px)", 0.3, 5.0, 1.0, 0.1, key="smoothing_gsigma",
                                           bind="query-params")
    diameter = filter_columns[2].slider(
        "Bilateral d (px)", 3, 15, 9, 2, key="smoothing_diameter", bind="query-params",
        help=f"Diameter of the neighbourhood. Its spatial σ is fixed at {SIGMA_SPACE:g} px, far wider: every "
             "neighbour inside it counts alike by distance, so only the colour difference decides.")
    sigma_colour = filter_columns[3].slider(
        "Bilateral σ colour", 5, 150, 75, 5, key="smoothing_scolour", bind="query-params",
        help="In grey levels: neighbours whose value differs by much more than this barely count.")
    with filter_columns[4]:
        with_nlm = st.toggle("Non-local means", value=True, key="smoothing_nlm", bind="query-params",
                             help="Slow: it compares whole 7 × 7 patches, about 1.4 s per megapixel in colour, so "
                                  "it runs once per setting, with a spinner, and is remembered.")
        nlm_h = st.slider("Its strength h", 3, 40, 20, key="smoothing_h", bind="query-params", disabled=not with_nlm)

    settings = {
        "box": {"size": size},
        "gaussian": {"sigma": gauss_sigma},
        "median": {"size": size},
        "bilateral": {"diameter": diameter, "sigma_color": float(sigma_colour), "sigma_space": SIGMA_SPACE},
        "nl_means": {"h": float(nlm_h), "template_size": NLM_TEMPLATE, "search_size": NLM_SEARCH},
    }
    methods = [m for m in FILTERS if m != "nl_means" or with_nlm or shown_method == "nl_means"]
    described = {m: SETTINGS_TEXT[m].format(**settings[m]) for m in methods}

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
            return step(filters.DENOISERS[method], noisy, **settings[method])
        with st.spinner(f"Non-local means on {megapixels:.1f} megapixels (runs once for these settings)…"):
            return step(filters.DENOISERS[method], noisy, **settings[method])

    # 3. Before and after: each picture is sent as soon as it is made, so the noise and the filter shown
    # appear before the other filters (non-local means among them) run for the comparison. -------------
    with st.spinner("Adding the noise…"):
        noisy = step(filters.add_noise, img, kind=kind, strength=strength, seed=int(seed))
        noisy_score = step(filters.quality, img, noisy)
    st.subheader("1 · The noise", anchor=False)
    before_after(img, noisy, before_caption="Clean image (the reference)",
                 after_caption=f"With {NOISES[kind].lower()} noise ({'σ' if kind != 'salt_pepper' else 'amount'} "
                               f"{strength:g}, seed {seed}): PSNR {fmt_psnr(noisy_score.psnr)}"
                               + ("; histogram spikes at 0 and 255: pepper, salt" if kind == "salt_pepper" else ""))
    result = filtered_by(shown_method)
    shown_score = step(filters.quality, img, result)
    st.subheader(f"2 · The {FILTERS[shown_method].lower()} filter", anchor=False)
    before_after(noisy, result, before_caption="Noisy input",
                 after_caption=f"{FILTERS[shown_method]} ({described[shown_method]}): "
                               f"PSNR {fmt_psnr(shown_score.psnr)}")

    with st.spinner("Running the other filters…"):
        results = {m: result if m == shown_method else filtered_by(m) for m in methods if m != "nl_means"}
    if "nl_means" in methods:
        results["nl_means"] = result if shown_method == "nl_means" else filtered_by("nl_means")
    with st.spinner("Scoring every filter against the clean image…"):
        scores = {m: step(filters.quality, img, results[m]) for m in methods}
    best_method = max(methods, key=lambda m: scores[m].psnr)

    st.subheader("3 · Every filter against the clean image", anchor=False)
    rows = (("none (noisy image)", "", noisy_score.psnr, noisy_score.ssim),
            *((FILTERS[m], described[m], scores[m].psnr, scores[m].ssim) for m in methods))
    charts.show_psnr_table(rows, key="smoothing_table")
    st.caption(
        "PSNR uses every pixel and channel. SSIM (structural similarity, 1 = identical) compares local means, "
        "contrasts and structure in 7 × 7 windows; here it is computed on the luma (grey) version of "
        "both images, which is faster and close to the colour value."
        + (" This image is smaller than 7 pixels on a side, so SSIM cannot be computed (—)."
           if noisy_score.ssim is None else "")
        + (" A PSNR of ∞ (inf) means the result equals the clean image pixel for pixel: with no error at all the "
           "ratio has no finite value." if not all(math.isfinite(row[2]) for row in rows) else "")
        + ("" if with_nlm else " Non-local means is switched off.")
    )

    # 4. Look closer: one edge, pixel by pixel ----------------------------------------------------
    st.header("Look closer: what each filter does to an edge", anchor=False)
    window = step(edge_window, source.grey, size=EDGE_CROP)
    st.markdown(
        f"The {window.right - window.left} × {window.bottom - window.top} pixels around the strongest edge of the "
        f"clean image (row y = {window.row}, column x = {window.col}), each pixel enlarged to a block of {ZOOM} × "
        f"{ZOOM} (nearest neighbour), so the enlargement adds no blur of its own."
    )
    panels = {"Clean": img, "Noisy": noisy, **{FILTERS[m]: results[m] for m in methods}}
    for start in range(0, len(panels), 4):  # four to a row: large enough to read on a projector
        picture_row([Picture(zoomed(panels[name], row=window.row, col=window.col), caption=name, crisp=True,
                             alt=f"{name}: zoomed crop across the edge at row {window.row}, column {window.col}")
                     for name in list(panels)[start : start + 4]], 4)
    # The profile runs across the edge: along the row when the edge is vertical, else down the column.
    where = f"row y = {window.row}" if window.across_row else f"column x = {window.col}"
    show_chart(step(charts.edge_profile_chart, panels, window=window),
               alt=f"Grey values along {where} across the edge for " + ", ".join(panels),
               caption=f"Grey values along {where}" + (" (luma of the colour images)." if is_colour else "."))

    # 5. What to notice ---------------------------------------------------------------------------
    st.subheader("What to notice", anchor=False)
    worst_method = min(methods, key=lambda m: scores[m].psnr)
    best_psnr, noisy_psnr, worst_psnr = scores[best_method].psnr, noisy_score.psnr, scores[worst_method].psnr
    sentences = []
    if not math.isfinite(noisy_psnr):
        sentences.append("With this setting no pixel changed: the noisy image equals the clean one (PSNR is "
                         "infinite).")
    elif not math.isfinite(best_psnr):
        sentences.append(
            f"On this {NOISES[kind].lower()} noise, **{FILTERS[best_method].lower()}** gives back the clean image "
            f"exactly (PSNR ∞: no pixel differs), starting from {fmt_psnr(noisy_psnr)} for the noisy image; "
            f"{FILTERS[worst_method].lower()} gives the least, {fmt_psnr(worst_psnr)}."
        )
    else:
        sentences.append(
            f"On this {NOISES[kind].lower()} noise, **{FILTERS[best_method].lower()}** gives the best PSNR here, "
            f"{best_psnr:.1f} dB, {best_psnr - noisy_psnr:+.1f} dB against the noisy image ({noisy_psnr:.1f} dB); "
            f"{FILTERS[worst_method].lower()} gives the least, {worst_psnr:.1f} dB."
        )
    if noisy_score.ssim is not None:
        best_ssim_method = max(methods, key=lambda m: scores[m].ssim)
        sentences.append(
            f"By SSIM the winner is {FILTERS[best_ssim_method].lower()} ({scores[best_ssim_method].ssim:.3f}): "
            + ("the same filter, so both scores agree." if best_ssim_method == best_method else
               "a different filter, because SSIM rewards kept structure and PSNR only counts squared errors.")
        )
    dark = step(filters.dark_bias, img, noisy, result)
    if dark.share >= 0.01 and dark.noisy_mean - dark.clean_mean >= 1:
        sentences.append(
            f"Black does not come back: where the clean image is black (values ≤ 5, {dark.share:.0%} of them, "
            f"mean {dark.clean_mean:.1f}) the noisy image averages {dark.noisy_mean:.1f} and the "
            f"{FILTERS[shown_method].lower()} result {dark.result_mean:.1f}. Noise cannot push a value below 0, "
            "so clipping keeps only its upward half: there the noise is no longer zero-mean, and no average "
            "removes that bias (white is pulled down the same way)."
        )
    sentences.append(
        "In the zoomed crops, the box and Gaussian filters spread the edge over several pixels; the median and "
        "bilateral filters keep it steep, the median because it picks a value from one side, the bilateral "
        "because it ignores neighbours of a different brightness. Try salt and pepper: the averaging filters "
        "smear each speck into a grey blot, the median removes it."
    )
    st.markdown(" ".join(sentences))

    # The code, right under the result it reproduces ---------------------------------------------------
    filter_code = FILTER_CODE["nl_means colour" if shown_method == "nl_means" and is_colour else shown_method]
    show_code(
        NOISE_CODE[kind].format(strength=strength, seed=int(seed)) + "\n"
        + filter_code.format(**settings[shown_method]) + "\nprint(f\"PSNR {cv2.PSNR(img, result):.2f} dB\")",
        source=source, result=result, title="The code: noise and denoising",
    )

    # 6. Where it breaks: the filter shown, with its settings, on the clean image -----------------------
    st.header("Where it breaks: a filter cannot tell noise from detail", anchor=False)
    on_clean = step(filters.DENOISERS[shown_method], img, **settings[shown_method])
    loss_psnr = step(filters.psnr, img, on_clean)
    st.markdown(
        f"Run the {FILTERS[shown_method].lower()} filter with the same settings on the **clean** image: there is "
        "no noise to remove, yet it changes the picture"
        + (f" (PSNR {loss_psnr:.1f} dB against the original). " if math.isfinite(loss_psnr) else
           " — except on this image, which it leaves exactly as it was (PSNR ∞: identical), because there is no "
           "detail smaller than the window to lose. ")
        + "Everything smaller than the window, fine texture, thin lines, sharp corners, looks to the filter just "
          "like noise. On a binary image (a mask, a scanned page, the shapes sample) specks are better removed by "
          "their size and shape: opening and closing remove spots smaller than a structuring element and leave "
          "straight outlines exactly in place."
    )
    centre = {"row": height // 2, "col": width // 2, "size": 64, "cell": 4}
    picture_row([
        Picture(zoomed(img, **centre), crisp=True, caption="Clean image, centre, zoomed"),
        Picture(zoomed(on_clean, **centre), crisp=True,
                caption=f"{FILTERS[shown_method]} on the clean image: detail lost, no noise removed"
                if math.isfinite(loss_psnr) else f"{FILTERS[shown_method]} on the clean image: identical"),
    ], 3)
    lesson_link("morphology", "Morphology: remove specks by shape, not by blurring")
    return kind, strength, int(seed), settings, scores[shown_method].psnr


noise_kind, noise_strength, seed, settings, shown_psnr = denoising_panel()

# 7. Sharpening ----------------------------------------------------------------------------------
st.header("Sharpening: add the detail back, amplified", anchor=False)
st.markdown(
    "Blurring removes the fine detail; subtracting the blurred image from the original keeps *only* it. "
    "**Unsharp masking** adds that detail layer back, amplified:"
)
st.latex(r"\text{result} = \text{img} + \text{amount}\cdot(\text{img} - \text{blurred})")


@st.fragment
def sharpening_section() -> None:
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
            threshold = st.slider("Threshold (levels)", 0, 50, 0, key="smoothing_usm_threshold", bind="query-params",
                                  help="Detail smaller than this is left alone (flat areas, noise).")
            strength_k = 1.0
        else:
            strength_k = st.slider("Kernel strength", 0.0, 3.0, 1.0, 0.1, key="smoothing_kernel_strength",
                                   bind="query-params")
            threshold = 0

    def sharpened(image: np.ndarray) -> filters.UnsharpResult | filters.SharpenResult:
        if method == "unsharp":
            return step(filters.unsharp_mask, image, amount=float(amount), sigma=float(radius),
                        threshold=float(threshold))
        return step(filters.sharpen, image, strength=float(strength_k))

    stages = sharpened(img)
    halos = step(filters.halo_overlay, img, stages.unclipped, tolerance=HALO_TOLERANCE)
    stats = step(filters.overshoot_stats, img, stages.unclipped, tolerance=HALO_TOLERANCE)
    caption = (f"Unsharp mask: amount {amount:g}, radius {radius:g}, threshold {threshold}" if method == "unsharp"
               else f"Sharpen kernel, strength {strength_k:g}")
    before_after(img, stages.result, before_caption="Clean image", after_caption=caption)

    st.subheader("The stages", anchor=False)
    halo_caption = "Halos: orange brighter than any original neighbour, blue darker than any"
    if method == "unsharp":
        picture_row([
            Picture(stages.blurred, caption=f"1 · Blurred (Gaussian, σ = {radius:g})"),
            Picture(step(amplified_difference, stages.detail, gain=2.0), crisp=True,
                    caption="2 · Detail = img − blurred, shown as 128 + 2 × detail: grey is 0, "
                            "brighter is positive, darker negative (clipped beyond ±64)"),
            Picture(halos, crisp=True, caption=f"3 · {halo_caption}"),
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
            show_image(halos, crisp=True, caption=halo_caption)

    st.subheader("Look closer: the halo along an edge", anchor=False)
    edge = step(filters.step_edge)  # 80 | 176: mid-greys, so neither overshoot is clipped away
    edge_stages = sharpened(edge)
    edge_stats = step(filters.overshoot_stats, edge, edge_stages.unclipped)
    st.markdown(
        "A step from grey 80 to grey 176, sharpened with these settings. Between mid-greys the rims stay inside "
        f"0–255: the bright side rises {edge_stats.max_overshoot:.0f} levels above 176 and the dark side falls "
        f"{edge_stats.max_undershoot:.0f} below 80. On an edge from black to white both rims would be clipped "
        "away and the picture would show no halo, though the values before clipping (the chart) still have it."
    )
    pictures_column, chart_column = st.columns(2)
    with pictures_column:
        picture_row([Picture(step(zoom_nearest, edge, cell=ZOOM), "Clean edge, zoomed", crisp=True),
                     Picture(step(zoom_nearest, edge_stages.result, cell=ZOOM), "Sharpened, zoomed", crisp=True)])
    with chart_column:
        show_chart(step(charts.halo_profile_chart, edge, edge_stages.unclipped),
                   alt="Values across the edge before clipping, clean dotted and sharpened solid, "
                       "with the range 0-255 shaded")
    metric_columns = st.columns(4)
    metric_columns[0].metric("Brightest overshoot", f"{stats.max_overshoot:.0f} levels")
    metric_columns[1].metric("Darkest undershoot", f"{stats.max_undershoot:.0f} levels")
    metric_columns[2].metric(f"Values in a halo (> {HALO_TOLERANCE:g} levels)", f"{stats.halo_fraction:.1%}")
    metric_columns[3].metric("Values clipped at 0 or 255", f"{stats.clipped_fraction:.1%}")
    st.markdown(
        f"On the whole image, the sharpened values leave the range of their 3 × 3 original neighbourhood by up to "
        f"{stats.max_overshoot:.0f} levels upwards and {stats.max_undershoot:.0f} downwards: the bright and dark "
        f"rims along each edge (the shaded band in the chart is 0–255). {stats.halo_fraction:.1%} of the values "
        f"are more than {HALO_TOLERANCE:g} levels outside it (a visible halo) and {stats.clipped_fraction:.1%} "
        "left 0–255 and were clipped to pure black or white. "
        + ("Raise the amount and watch both numbers grow; a threshold leaves the flat areas alone."
           if method == "unsharp" else "Raise the strength and watch both numbers grow.")
    )

    kernel_rows = [[float(v) for v in row] for row in filters.sharpen_kernel(strength=strength_k)]
    body = SHARPEN_CODE[method].format(amount=float(amount), sigma=float(radius), threshold=float(threshold),
                                       kernel=kernel_rows, strength=strength_k)
    show_code(body, source=source, result=stages.result, title="The code: sharpening")


sharpening_section()

# 8. Check yourself ------------------------------------------------------------------------------------
st.header("Check yourself", anchor=False)
EXERCISE_AMOUNT = 0.10
# The settings of the panel above as this full run drew them: grading ("Check") is a full run, so it always
# uses the settings on screen.
with st.spinner("Preparing the exercises (salt-and-pepper noise through four filters)…"):
    exercise_noisy = step(filters.add_noise, img, kind="salt_pepper", strength=EXERCISE_AMOUNT, seed=seed)
    exercise_scores = {
        m: step(filters.psnr, img, step(filters.DENOISERS[m], exercise_noisy,
                                        **({"size": 5} if m in ("box", "median") else settings[m])))
        for m in ("box", "gaussian", "median", "bilateral")
    }
    median3 = step(filters.psnr, img, step(filters.median_blur, exercise_noisy, size=3))
# Reachable with the right filter (1 dB below a 3 x 3 median), rounded down to half a decibel.
target = min(60.0, math.floor((median3 - 1.0) * 2) / 2) if math.isfinite(median3) else 60.0
on_task = noise_kind == "salt_pepper" and noise_strength >= EXERCISE_AMOUNT
target_exercise(
    "smoothing_salt", number=1,
    question=f"Set the noise to **salt and pepper** with at least {EXERCISE_AMOUNT:.2f} of the pixels hit, then "
             f"choose the filter shown and its settings so that its PSNR reaches {target:g} dB.",
    score=shown_psnr if on_task else float("nan"), target=target, score_name="PSNR of the filter shown", unit=" dB",
    hint="Salt and pepper values are extremes: an average is pulled far by one of them, the middle value is not."
    if on_task else f"First choose salt and pepper noise with a share of at least {EXERCISE_AMOUNT:.2f}.",
    explanation="The median ignores the extreme values as long as fewer than half of the window is hit; "
                "a small window keeps more detail.",
)
choice_exercise(
    "smoothing_best", number=2,
    question=f"Predict before you try: on this image with salt-and-pepper noise ({EXERCISE_AMOUNT:.2f} of the "
             "pixels, this seed), which filter scores the highest PSNR? (Box and median with a 5 × 5 window, the "
             "others with their current settings.)",
    options=[FILTERS[m] for m in exercise_scores], correct=FILTERS[max(exercise_scores, key=exercise_scores.get)],
    hint="Think about what one white pixel among 24 normal ones does to a mean, and to a median.",
    explanation="PSNR here: " + ", ".join(f"{FILTERS[m].lower()} {v:.1f} dB" for m, v in exercise_scores.items())
                + ".",
)
quiz_at = step(edge_window, source.grey, size=EDGE_CROP)  # the strongest edge
usm = step(filters.unsharp_pixel, source.grey, row=quiz_at.row, col=quiz_at.col, amount=1.5, sigma=2.0)
numeric_exercise(
    "smoothing_unsharp", number=3,
    question=f"In the grey image, the pixel at row {quiz_at.row}, column {quiz_at.col} is {usm.value}; blurred "
             f"with σ = 2 it is {usm.blurred}. What does unsharp masking with amount 1.5 and threshold 0 give "
             "there, before clipping?",
    answer=usm.unclipped, tolerance=0.5, step=0.5,
    hint="Detail = pixel − blurred; the result is pixel + amount × detail.",
    explanation=f"{usm.value} + 1.5 × ({usm.value} − {usm.blurred}) = {usm.unclipped:g}"
                + (" — outside 0-255, so it would be clipped: a halo." if not 0 <= usm.unclipped <= 255 else "."),
)

finish_lesson("smoothing")
