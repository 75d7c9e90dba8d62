"""Lesson: Blur and restoration.

Image maths: processing/restoration.py (tests/processing/test_restoration.py), PSNR and SSIM from
processing/filters.py, the working copy from processing/frequency.py. Page tests: tests/app/test_restoration.py.
"""

import math

import streamlit as st

from processing import restoration as rs
from processing.frequency import fit_within
from ui.alt import values_spread_of_shares
from ui.cache import step
from ui.charts import iterations_chart, noise_fit_chart, order_chart, response_chart, show_chart
from ui.code import show_code
from ui.display import Picture, before_after, clickable_image, follow_click, picture_row, show_image
from ui.exercises import choice_exercise, numeric_exercise, target_exercise
from ui.page import finish_lesson, index_slider, keep_in_range, lesson_link, start_lesson
from ui.url import url_choice

lesson, source = start_lesson("restoration")
clean = step(fit_within, source.grey, max_side=rs.MAX_SIDE)
height, width = clean.shape
PREP = ("grey = cv2.cvtColor(img, cv2.COLOR_RGB2GRAY)\n" if source.image.ndim == 3 else "grey = img\n") + (
    f"grey = cv2.resize(grey, ({width}, {height}), interpolation=cv2.INTER_AREA)  # longer side {rs.MAX_SIDE}\n"
    if clean.shape != source.grey.shape else "")
METHODS = {"inverse": "Inverse", "wiener": "Wiener", "richardson_lucy": "Richardson-Lucy"}
RL_MAX = 100


def scored(scores: rs.Scores) -> str:
    """PSNR and SSIM as text (∞ for identical images, SSIM only from 7 pixels a side)."""
    value = "∞ dB" if math.isinf(scores.psnr) else f"{scores.psnr:.1f} dB"
    return f"PSNR {value}" + ("" if math.isnan(scores.ssim) else f", SSIM {scores.ssim:.2f}")


# 1. The idea -------------------------------------------------------------------------------------------
st.markdown(
    "A blurred photograph is the sharp scene f convolved with a **point-spread function** h (the picture one "
    "point of light makes: a streak for a shaking camera, a disc for a lens out of focus), plus noise n. In the "
    "frequency domain the convolution is a product:"
)
st.latex(r"g = h * f + n \qquad\Longleftrightarrow\qquad G = H\,F + N")
st.markdown(
    "Dividing by H (the **inverse filter**) undoes the blur exactly when there is no noise, but where |H| is almost "
    "0 it multiplies the noise by almost infinity. The **Wiener filter** divides only where the signal outweighs "
    "the noise, K being the noise-to-signal ratio; **Richardson-Lucy** improves a guess step by step instead:"
)
st.latex(r"\hat F = \frac{H^*}{|H|^2 + K}\,G \qquad\qquad \hat f_{k+1} = \hat f_k \cdot "
         r"\Bigl(h' * \frac{g}{h * \hat f_k}\Bigr)")
st.caption(f"The lesson restores the grey image shrunk so that its longer side is at most {rs.MAX_SIDE} pixels "
           f"(here {width} × {height}): Richardson-Lucy runs {RL_MAX} iterations, and every slider answers at once.")

# 2.-6. The main panel: blur it, then restore it ---------------------------------------------------------------
st.header("Blur it, then restore it", anchor=False)
PSFS = {"motion": "Motion", "defocus": "Defocus"}  # "Out of focus" is cut off in a fifth of 1280 px


@st.fragment
def restoration_panel() -> float:
    """Controls, before and after, the PSF, the gains, what to notice, the code, side by side, where it breaks."""
    row1 = st.columns([2, 2, 2, 2, 2])
    with row1[0]:
        kind = url_choice(st.segmented_control, "Blur", PSFS, key="restoration_psf", default="motion")
    length = row1[1].slider("Motion length (pixels)", 1, 41, 15, key="restoration_length", bind="query-params",
                            disabled=kind != "motion")
    angle = row1[2].slider("Motion angle (degrees)", 0, 179, 30, key="restoration_angle", bind="query-params",
                           disabled=kind != "motion", help="Counter-clockwise from horizontal.")
    radius = row1[3].slider("Out-of-focus radius (pixels)", 0, 20, 4, key="restoration_radius",
                            bind="query-params", disabled=kind != "defocus")
    noise = row1[4].slider("Noise σ (grey levels)", 0.0, 20.0, 3.0, step=0.5, key="restoration_noise",
                           bind="query-params")
    row2 = st.columns([3, 2, 2, 3])
    with row2[0]:
        method = url_choice(st.segmented_control, "Restore with", METHODS, key="restoration_method", default="wiener")
    epsilon = row2[1].select_slider("Inverse: cut-off ε", [0.001, 0.003, 0.01, 0.03, 0.1, 0.3], 0.01,
                                    key="restoration_eps", bind="query-params", help="Frequencies with |H| < ε "
                                    "are dropped instead of divided.")
    balance = row2[2].select_slider("Wiener: K", [0.0001, 0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0], 0.03,
                                    key="restoration_k", bind="query-params", help="Noise-to-signal ratio.")
    iterations = row2[3].slider("Richardson-Lucy: iterations", 1, RL_MAX, 10, key="restoration_iterations",
                                bind="query-params")
    psf = step(rs.point_spread_function, kind=kind, length=length, angle=float(angle), radius=radius)
    degraded = step(rs.degrade, clean, psf, noise=noise)
    series = step(rs.richardson_lucy_series, degraded, psf, clean, iterations=RL_MAX)
    results = {"inverse": step(rs.restore, degraded, psf, method="inverse", threshold=epsilon),
               "wiener": step(rs.restore, degraded, psf, method="wiener", balance=balance),
               "richardson_lucy": step(rs.series_picture, series, iterations=iterations)}
    quality = {name: step(rs.scores, clean, picture) for name, picture in results.items()}
    blurred = step(rs.scores, clean, degraded)
    setting = {"inverse": f"ε = {epsilon:g}", "wiener": f"K = {balance:g}",
               "richardson_lucy": f"{iterations} iterations"}
    before_after(degraded, results[method], before_caption=f"Blurred, noise σ = {noise:g}: {scored(blurred)}",
                 after_caption=f"{METHODS[method]}, {setting[method]}: {scored(quality[method])}")
    psf_picture, transfer_picture = step(rs.psf_pictures, psf, clean.shape)
    picture_row([Picture(clean, caption="The original (grey)"),
                 Picture(psf_picture, caption=f"The PSF h, {psf.shape[1]} × {psf.shape[0]} (white: largest weight)",
                         crisp=True),
                 Picture(transfer_picture, caption="|H|, centred, log scale: black ≤ 0.001, white 1")])

    # 4. Look closer: how much each filter multiplies each frequency
    st.subheader("Look closer: what each filter does to each frequency", anchor=False)
    direction = f"{angle}°" if kind == "motion" else "any direction"
    response = step(rs.filter_response, psf, angle=float(angle) if kind == "motion" else 0.0, threshold=epsilon,
                    balance=balance)
    show_chart(step(response_chart, response.frequency, response.magnitude, response.inverse, response.wiener,
                    direction=direction), alt=f"The blur's |H|, the inverse and the Wiener filters' gains against "
                                              f"frequency from 0 to 0.5 cycles per pixel along {direction}, log "
                                              f"scale; |H| falls to {response.lowest:.4f} at "
                                              f"{response.lowest_at:.3f}")
    st.markdown(
        f"Along {direction}, |H| falls to **{response.lowest:.4f}** at {response.lowest_at:.3f} cycles per pixel: "
        f"the blur leaves almost nothing there. The inverse filter multiplies what is left, mostly noise, by up to "
        f"**{response.inverse.max():,.0f}** (only ε stops it); the Wiener filter never by more than "
        f"**{response.wiener.max():.1f}** (at most 1 / (2√K) = {1 / (2 * math.sqrt(balance)):.1f}).")

    # 5. What to notice
    st.subheader("What to notice", anchor=False)
    best = max(quality, key=lambda name: quality[name].psnr)
    st.markdown(
        f"The blurred image scores {scored(blurred)} against the original; {METHODS[method]} brings it to "
        f"**{scored(quality[method])}**. Of the three methods at their settings here, **{METHODS[best]}** scores "
        f"best ({scored(quality[best])}). PSNR counts every grey level of error, SSIM compares local structure: "
        "noise amplified into fine ripples costs SSIM more than a slight remaining blur.")
    if kind == "motion" and length == 1:
        psf_code = "psf = np.ones((1, 1))  # a motion 1 pixel long: no blur\n"
    elif kind == "motion":
        side, centre, half = psf.shape[0], psf.shape[0] // 2, length // 2
        psf_code = (f"psf = np.zeros(({side}, {side}))\npsf[{centre}, {centre - half}:{centre + half + 1}] = 1\n"
                    + (f"psf[{centre}, [{centre - half}, {centre + half}]] = 0.5  # even length: half ends\n"
                       if length % 2 == 0 else "")
                    + f"rotation = cv2.getRotationMatrix2D(({centre}, {centre}), {float(angle)}, 1.0)\n"
                    f"psf = cv2.warpAffine(psf, rotation, ({side}, {side}), flags=cv2.INTER_LINEAR)\n")
    else:
        psf_code = (f"psf = np.zeros(({2 * radius + 1}, {2 * radius + 1}))\n"
                    f"cv2.circle(psf, ({radius}, {radius}), {radius}, 1.0, thickness=-1)\n")
    restore_code = {
        "inverse": f"ratio = np.zeros_like(H)\nkept = np.abs(H) >= {epsilon:g}  # elsewhere: dropped\n"
                   "ratio[kept] = 1 / H[kept]\nvalues = np.fft.irfft2(np.fft.rfft2(g) * ratio, s=g.shape)\n",
        "wiener": f"gain = np.conj(H) / (np.abs(H) ** 2 + {balance:g})\n"
                  "values = np.fft.irfft2(np.fft.rfft2(g) * gain, s=g.shape)\n"
                  f"# scikit-image: restoration.wiener(g, psf, balance={balance:g}, reg=np.ones((1, 1)), clip=False)\n",
        "richardson_lucy": f"x, observed = np.full(g.shape, 0.5), g / 255\nfor _ in range({iterations}):\n"
                           "    blurred_x = np.fft.irfft2(np.fft.rfft2(x) * H, s=g.shape) + 1e-12\n"
                           "    x *= np.fft.irfft2(np.fft.rfft2(observed / blurred_x) * np.conj(H), s=g.shape)\n"
                           "values = 255 * x  # Pixel Lab runs this in float32: the same picture within a level\n"
                           f"# scikit-image (zero borders): restoration.richardson_lucy(g / 255, psf, {iterations})\n",
    }
    show_code(
        f"{PREP}{psf_code}psf /= psf.sum()\n"
        "# H: the PSF's DFT at the image's size, its centre moved to pixel (0, 0), the rest wrapped around\n"
        "rows = (np.arange(psf.shape[0]) - psf.shape[0] // 2) % grey.shape[0]\n"
        "cols = (np.arange(psf.shape[1]) - psf.shape[1] // 2) % grey.shape[1]\n"
        "placed = np.zeros(grey.shape)\nnp.add.at(placed, np.ix_(rows, cols), psf)\nH = np.fft.rfft2(placed)\n"
        "blurred = np.fft.irfft2(np.fft.rfft2(grey) * H, s=grey.shape)  # periodic blur\n"
        f"noise = np.random.default_rng(0).normal(0.0, {noise:g}, grey.shape)\n"
        "g = np.clip(np.rint(blurred + noise), 0, 255).astype(np.uint8)\n"
        f"{restore_code[method]}result = np.clip(np.rint(values), 0, 255).astype(np.uint8)",
        source=source, result=results[method], title="The code: blur, then restore",
    )

    # Side by side: the three methods at their current settings
    st.subheader("Side by side", anchor=False)
    picture_row([Picture(picture, caption=f"{METHODS[name]}, {setting[name]}: {scored(quality[name])}")
                 for name, picture in results.items()])

    # 6. Where it breaks
    st.header("Where it breaks", anchor=False)
    wrong_length = min(rs.MOTION_LENGTH_MAX, max(1, round(length * 1.5)))  # the slider's 41 would make 62
    wrong = step(rs.point_spread_function, kind=kind, length=wrong_length, angle=float(angle + 20), radius=radius + 2)
    wrong_result = step(rs.restore, degraded, wrong, method="wiener", balance=balance)
    camera = step(rs.degrade, clean, psf, noise=noise, border="reflect")
    camera_result = step(rs.restore, camera, psf, method="wiener", balance=balance)
    guess = f"length {wrong_length} at {angle + 20}°" if kind == "motion" else f"radius {radius + 2}"
    columns = st.columns(3, gap="medium")
    with columns[0]:
        show_image(wrong_result, caption=f"Wrong PSF ({guess}), Wiener: {scored(step(rs.scores, clean, wrong_result))}")
    with columns[1]:
        show_image(camera_result, caption="Blurred as a camera does (the scene goes on past the frame), Wiener: "
                                          f"{scored(step(rs.scores, clean, camera_result))}")
    columns[2].markdown(
        "**The wrong PSF** restores edges that were never blurred that way: ghosts and ripples. **Borders**: the "
        "filters assume the image wraps around; a camera's picture does not, so each border is a jump the "
        "restoration tries to explain, and it rings.")
    best_count = int(series.psnr.argmax()) + 1
    show_chart(step(iterations_chart, series.psnr, chosen=iterations, blurred=blurred.psnr),
               alt=f"PSNR of Richardson-Lucy after 1 to {RL_MAX} iterations; the best is {best_count}")
    st.markdown(
        "**Too many iterations**: Richardson-Lucy first sharpens, then fits the noise; here it is best after "
        f"**{best_count}** iterations ({series.psnr.max():.1f} dB) and ends at {series.psnr[-1]:.1f} dB after "
        f"{RL_MAX}.")
    lesson_link("fourier", "The frequency domain: why the DFT wraps around, and the window that tames borders")
    return series.shortfall(iterations)


iterations_gap = restoration_panel()


@st.fragment
def noise_models() -> None:
    """Add noise of one model and fit the four models to a flat patch."""
    st.header("The noise term: models estimated from a flat patch", anchor=False)
    st.markdown("Noise is best measured where the image itself is flat: there every change is noise. Pick a flat "
                "patch (click, or set the row and column); the four models are fitted to its histogram. Choose "
                "**None** to measure the noise your own photograph already has.")
    models = {"gaussian": "Gaussian", "uniform": "Uniform", "salt_pepper": "Salt and pepper", "poisson": "Poisson"}
    controls = st.columns([3, 2])
    with controls[0]:
        model = url_choice(st.segmented_control, "Noise added", {**models, "none": "None: the image as it is"},
                           key="restoration_model", default="gaussian")
    level = controls[1].slider("Strength (σ, or % for salt and pepper)", 1, 50, 12, key="restoration_level",
                               bind="query-params")
    noisy = clean if model == "none" else step(rs.add_noise, clean, model=model, level=float(level))
    start_row, start_col = step(rs.flattest_patch, clean, size=32)
    follow_click(st.session_state.get("restoration_click"), prefix="restoration", height=height, width=width)
    left, right = st.columns([2, 3], gap="medium")
    with left:
        sliders = st.columns(2)
        row = index_slider(sliders[0], "Patch row", size=height, key="restoration_row", default=start_row)
        col = index_slider(sliders[1], "Patch column", size=width, key="restoration_col", default=start_col)
        fit = step(rs.fit_noise_models, noisy, row=row, col=col, size=32)
        clickable_image(step(rs.patch_picture, noisy, box=fit.box), key="restoration_click", crisp=True,
                        alt=f"The noisy image with the 32 × 32 patch at row {row}, column {col} framed in yellow; "
                            "the Patch row and Patch column sliders move it too")
        added = "No noise added" if model == "none" else f"{models[model]} noise, strength {level}"
        st.caption(f"{added}; the 32 × 32 patch in yellow (pixels drawn 2 × 2)")
    with right:
        show_chart(step(noise_fit_chart, fit.shares, fit.models, names=models),
                   alt=f"Histogram of the 32 × 32 patch at row {row}, column {col} ("
                       + values_spread_of_shares(fit.shares) + f") with the {len(fit.models)} fitted noise models")
        closest = min(fit.distances, key=fit.distances.get)
        st.markdown("| model | estimated | distance |\n|---|---|---|\n" + "\n".join(
            f"| {'**' + models[name] + '**' if name == closest else models[name]} | {fit.parameters[name]} | "
            f"{fit.distances[name]:.2f} |" for name in models))
        st.caption(f"Distance: half the summed difference of the two histograms, 0 (same) to 1. Closest: "
                   f"{models[closest]}. Measured σ = {fit.std:.1f} grey levels: on a real photograph, this is how "
                   "the noise σ (and Wiener's K) is estimated.")


noise_models()

DENSITIES = (0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5)
ORDER = {"min": "Min", "max": "Max", "midpoint": "Midpoint", "median": "Median", "alpha_trimmed": "α-trimmed mean",
         "adaptive_median": "Adaptive median"}


@st.fragment
def order_statistics() -> None:
    """Salt and pepper at one density, one order-statistic filter, then all of them over rising densities."""
    st.header("Noise alone: order-statistic filters beyond the median", anchor=False)
    st.markdown("An order-statistic filter sorts each neighbourhood and keeps one value: the minimum, the maximum, "
                "their midpoint, the median, the mean of the middle values (**α-trimmed**: d values dropped), or an "
                "**adaptive median** whose window grows until its median is not an impulse itself.")
    controls = st.columns([2, 3, 2, 2])
    density = controls[0].slider("Salt and pepper (% of pixels)", 0, 60, 20, key="restoration_density",
                                 bind="query-params")
    with controls[1]:
        kind = url_choice(st.selectbox, "Filter", ORDER, key="restoration_filter", default="adaptive_median")
    size = controls[2].select_slider("Window (pixels)", [3, 5, 7], 3, key="restoration_size", bind="query-params")
    keep_in_range("restoration_trim", 0, size * size - 1)
    trim = controls[3].slider("α-trimmed: d dropped", 0, size * size - 1, 2, step=2, key="restoration_trim",
                              bind="query-params", disabled=kind != "alpha_trimmed")
    noisy = step(rs.add_noise, clean, model="salt_pepper", level=float(density))
    filtered = step(rs.order_filter, noisy, kind=kind, size=size, trim=trim // 2 * 2)
    before_after(noisy, filtered, before_caption=f"{density}% salt and pepper: {scored(step(rs.scores, clean, noisy))}",
                 after_caption=f"{ORDER[kind]}, {size} × {size}: {scored(step(rs.scores, clean, filtered))}")
    comparison = step(rs.compare_order_filters, clean, densities=DENSITIES, size=size, trim=trim // 2 * 2)
    show_chart(step(order_chart, comparison.densities, comparison.noisy, comparison.filtered, names=ORDER),
               alt=f"PSNR of the {len(comparison.filtered)} order-statistic filters, {size} × {size}, against the "
                   f"share of pixels hit by salt and pepper, {100 * comparison.densities[0]:g}% to "
                   f"{100 * comparison.densities[-1]:g}%")
    st.markdown(
        "Min removes salt but spreads pepper, max the reverse, and the midpoint averages two impulses. The median "
        f"holds until impulses fill half a window; the adaptive median (up to {min(size + 4, 15)} × "
        f"{min(size + 4, 15)}) grows past them and leaves clean pixels untouched. At 50 % here: median "
        f"{comparison.filtered['median'][-1]:.1f} dB, adaptive {comparison.filtered['adaptive_median'][-1]:.1f} dB.")
    lesson_link("smoothing", "Smoothing and sharpening: the median against Gaussian noise")


order_statistics()

# 8. Check yourself -------------------------------------------------------------------------------------------
st.header("Check yourself", anchor=False)
numeric_exercise(
    "restoration_zero", number=1,
    question="A horizontal motion blur 8 pixels long averages 8 neighbours in a row. At which horizontal frequency "
             "(cycles per pixel) is its |H| zero for the first time?",
    answer=1 / 8, tolerance=0.005, step=0.001,
    hint="A grating whose period fits the blur a whole number of times averages to its mean.",
    explanation="At 1/8 cycles per pixel one period spans the 8 pixels, whose average is flat: that grating is "
                "gone, and an inverse filter would divide by 0 there (and at 2/8, 3/8, ...).",
)
fixed = step(rs.compare_order_filters, clean, densities=(0.4,), size=3, trim=2)
contenders = ("median", "alpha_trimmed", "adaptive_median", "midpoint")
winner = max(contenders, key=lambda name: fixed.filtered[name][0])
choice_exercise(
    "restoration_order", number=2,
    question="With 40 % of this image's pixels hit by salt and pepper, which 3 × 3 filter (d = 2) gives the highest "
             "PSNR?",
    options=[ORDER[name] for name in contenders], correct=ORDER[winner],
    hint="Which one can look beyond a window filled with impulses, and leaves clean pixels alone?",
    explanation=f"{ORDER[winner]}: " + ", ".join(f"{ORDER[n]} {fixed.filtered[n][0]:.1f} dB" for n in contenders)
                + " on this image.",
)
target_exercise(
    "restoration_iterations", number=3,
    question="Set **Richardson-Lucy: iterations** so that its PSNR is within 0.2 dB of the best count (1 to 100) "
             "for the blur and noise set above.",
    score=iterations_gap, target=-0.2,
    score_name="PSNR minus the best count's PSNR", unit=" dB",
    hint="Watch the chart in *Where it breaks*: the best count is marked.",
    explanation="Past the best count each iteration fits more of the noise than of the image.",
)

finish_lesson("restoration")
