"""Lesson: The frequency domain (Fourier).

Image maths: processing/frequency.py (tests/processing/test_frequency.py). Page tests: tests/app/test_fourier.py.
"""

import math

import streamlit as st

from processing import frequency as fq
from processing.color import as_gray
from processing.filters import psnr
from processing.samples import SAMPLES, load_sample
from ui.cache import step
from ui.charts import profile_chart, show_chart, spectrum_chart
from ui.code import show_code
from ui.display import Picture, before_after, picture_row, show_image
from ui.exercises import choice_exercise, numeric_exercise, target_exercise
from ui.page import finish_lesson, index_slider, lesson_link, start_lesson
from ui.spectrum import clickable_spectrum, frequency_sliders
from ui.url import url_choice

lesson, source = start_lesson("fourier")
grey = step(fq.fit_within, source.grey, max_side=fq.MAX_SIDE)
height, width = grey.shape
spec = step(fq.spectrum, grey)
PREP = ("grey = cv2.cvtColor(img, cv2.COLOR_RGB2GRAY)\n" if source.image.ndim == 3 else "grey = img\n") + (
    f"grey = cv2.resize(grey, ({width}, {height}), interpolation=cv2.INTER_AREA)  # longer side {fq.MAX_SIDE}\n"
    if grey.shape != source.grey.shape else "")
NOISE_AMPLITUDE = 30.0

# 1. The idea -------------------------------------------------------------------------------------------
st.markdown(
    "Every image is a sum of **sinusoidal gratings**: soft stripes of every frequency and direction. The "
    "discrete Fourier transform (DFT) says how much of each grating the image holds (the *magnitude*) and where "
    "its crests lie (the *phase*). For an image f of W columns and H rows:"
)
st.latex(r"F(u, v) = \sum_{x=0}^{W-1} \sum_{y=0}^{H-1} f(x, y)\, e^{-2\pi i\,(u x / W + v y / H)}")
st.markdown(
    "u counts cycles across the width and v down the height; u / W and v / H are **cycles per pixel**, and 0.5 "
    "(a crest every two pixels) is the finest an image can hold. Filtering becomes multiplication: blurring with a "
    "kernel h multiplies the spectrum by h's spectrum, G = H · F (the *convolution theorem*)."
)
st.caption(f"This lesson transforms the grey image, shrunk so that its longer side is at most {fq.MAX_SIDE} "
           f"pixels (here {width} × {height}), so every control answers in a fraction of a second.")

# The spectrum of this image (it changes only with the image) -----------------------------------------------
st.header("The spectrum of this image", anchor=False)
columns = st.columns(3, gap="medium")
with columns[0]:
    show_image(grey, caption=f"The image, grey, {width} × {height}")
with columns[1]:
    show_chart(step(spectrum_chart, spec.magnitude_picture, title="Magnitude, log(1 + |F|)"),
               alt="The centred log-magnitude spectrum, axes in cycles per pixel from -0.5 to 0.5")
    st.caption("The centre is u = v = 0, the mean; further out, finer detail. Bright means much of that grating. "
               "A line through the centre comes from straight edges at right angles to it.")
with columns[2]:
    show_chart(step(spectrum_chart, spec.phase_picture, title="Phase, -π (black) to π (white)"),
               alt="The centred phase spectrum, axes in cycles per pixel from -0.5 to 0.5")
    st.caption("The phase looks like noise, yet it says where every crest lies: see *Magnitude versus phase*.")


@st.fragment
def one_point() -> None:
    """One place (u, v) of the spectrum: the grating it stands for."""
    st.header("What one point of the spectrum means", anchor=False)
    st.markdown("Click on the spectrum, or set u and v, to see the grating that point stands for. Its partner "
                "(-u, -v) is marked too: a real image's spectrum is symmetric, and the pair makes one grating.")
    left, right = st.columns(2, gap="medium")
    with left:
        u, v = frequency_sliders(prefix="fourier", height=height, width=width, default=(16, -8))
        clickable_spectrum(spec.magnitude_picture, prefix="fourier", u=u, v=v)
    point = step(fq.component, spec.transform, u=u, v=v)
    with right:
        show_image(point.picture, caption=f"The grating at (u, v) = ({u}, {v}), stretched: -A black, +A white")
        if point.frequency == 0:
            st.markdown(f"(0, 0) is no grating: it is the **mean** of the image, {point.amplitude:.1f} grey levels.")
        else:
            st.markdown(
                f"**{point.fx:+.4f}** cycles per pixel across and **{point.fy:+.4f}** down: "
                f"{point.frequency:.4f} cycles per pixel, one crest every **{point.period:.1f} pixels**, changing "
                f"in the direction {point.angle:.0f}° (0° = left to right, 90° = top to bottom). The image holds "
                f"it with amplitude **A = {point.amplitude:.2f} grey levels** (2|F| / (W H)) and phase "
                f"{point.phase:+.2f} rad."
            )


one_point()


@st.fragment
def build_a_pattern() -> None:
    """Add up to three gratings and see their spectrum: a pair of points each."""
    st.header("Build a pattern from sinusoids", anchor=False)
    controls, pictures = st.columns([2, 3], gap="medium")
    gratings = []
    for index, (frequency, angle) in enumerate(((0.05, 0), (0.1, 60), (0.0, 120)), start=1):
        gratings.append((
            controls.slider(f"Grating {index}: frequency (cycles per pixel, 0 = off)", 0.0, 0.45, frequency,
                            step=0.01, key=f"fourier_f{index}", bind="query-params"),
            controls.slider(f"Grating {index}: direction (degrees)", 0, 179, angle, key=f"fourier_a{index}",
                            bind="query-params"),
        ))
    pattern = step(fq.pattern_from_gratings, tuple(gratings))
    with pictures:
        picture_row([Picture(pattern.picture, caption="Their mean, 256 × 256", crisp=True),
                     Picture(pattern.spectrum_picture, caption="Its spectrum (points drawn 3 pixels wide)",
                             crisp=True)])
        places = ", ".join(f"({u}, {v}) and ({-u}, {-v})" for u, v in pattern.peaks) or "only the centre"
        st.markdown(f"Bright points at (u, v) = {places}: **two per grating**, mirrored through the centre, on the "
                    "line along which the grating changes, further out the finer it is. Each grating is moved to a "
                    "whole number of cycles across the picture, so it repeats exactly and nothing else lights up.")


build_a_pattern()

# 2.-5. The main panel: filtering by masking the spectrum ---------------------------------------------------
st.header("Filter by masking the spectrum", anchor=False)
KINDS = {"ideal": "Ideal", "butterworth": "Butterworth", "gaussian": "Gaussian"}
PASSES = {"low": "Low-pass", "high": "High-pass"}
MASK_CODE = {"ideal": "(D <= {c}).astype(float)", "butterworth": "1 / (1 + (D / {c}) ** (2 * {n}))",
             "gaussian": "np.exp(-D**2 / (2 * {c}**2))"}


@st.fragment
def filter_panel() -> None:
    """Controls, before and after, the masks, ringing on a row, what to notice and the code."""
    controls = st.columns([3, 2, 3, 2])
    with controls[0]:
        kind = url_choice(st.segmented_control, "Filter", KINDS, key="fourier_kind", default="ideal")
    with controls[1]:
        pass_type = url_choice(st.segmented_control, "Keep", PASSES, key="fourier_pass", default="low")
    cutoff = controls[2].slider("Cutoff D0 (cycles per pixel)", 0.01, 0.5, 0.05, step=0.01, key="fourier_cutoff",
                                bind="query-params", help="Distance from the centre of the spectrum.")
    order = controls[3].slider("Butterworth order n", 1, 10, 2, key="fourier_order", bind="query-params",
                               disabled=kind != "butterworth", help="Higher: a sharper edge, closer to ideal.")
    result = step(fq.filter_spectrum, spec.transform, kind=kind, pass_type=pass_type, cutoff=cutoff, order=order)
    name = f"{KINDS[kind]} {PASSES[pass_type].lower()}, D0 = {cutoff:g}"
    before_after(grey, result.picture, before_caption="Before: the grey image",
                 after_caption=f"After: {name}" + (" (0 drawn mid-grey)" if pass_type == "high" else ""))
    picture_row([
        Picture(spec.magnitude_picture, caption="1. Spectrum F (log magnitude)"),
        Picture(result.mask_picture, caption="2. Mask: white kept, black removed", crisp=True),
        Picture(result.masked_picture, caption="3. F × mask, on the same scale"),
    ])
    st.caption(f"Step 4 transforms F × mask back (the inverse DFT). The mask keeps {result.kept_energy:.1%} of the "
               "spectrum's energy Σ|F|²: the mean (u = v = 0) alone holds most of it, and a high-pass removes it.")

    # 4. Look closer: ringing on one row
    st.subheader("Look closer: one row before and after", anchor=False)
    row = index_slider(st, "Row", size=height, key="fourier_row", default=height // 2)
    show_chart(step(profile_chart, grey[row], result.values[row], row=row, after_name=name),
               alt=f"Grey levels along row {row} before and after the filter")

    # 5. What to notice
    st.subheader("What to notice", anchor=False)
    ring = (f"the result runs from **{result.low:.0f} to {result.high:.0f}**, outside 0-255: the sharp edge of the "
            "mask makes every edge of the image ring (ripples on the row above), the *Gibbs* effect"
            if pass_type == "low" and (result.low < -1 or result.high > 256) else
            f"the result runs from {result.low:.0f} to {result.high:.0f}")
    notes = [f"With D0 = {cutoff:g} cycles per pixel (detail finer than {1 / cutoff:.0f} pixels "
             f"{'removed' if pass_type == 'low' else 'kept'}), {ring}."]
    if kind == "gaussian" and pass_type == "low":
        sigma = fq.gaussian_sigma(cutoff)
        gap = step(fq.blur_difference, grey, result.values, cutoff=cutoff)
        notes.append(f"A Gaussian mask is the spectrum of a Gaussian kernel: this result equals a spatial Gaussian "
                     f"blur with σ = 1 / (2π D0) = **{sigma:.2f} pixels** (`cv2.GaussianBlur` with wrapped borders) "
                     f"to within **{gap:.3f} grey levels** on this image. No ringing: a Gaussian has no sharp edge.")
    else:
        notes.append("Switch to **Gaussian** low-pass: its mask is the spectrum of a Gaussian kernel, and the "
                     "result is a plain blur, as in the convolution lesson.")
    st.markdown(" ".join(notes))
    lesson_link("convolution", "Convolution playground: the same blur as a kernel")
    mask = MASK_CODE[kind].format(c=cutoff, n=order)
    show_code(
        f"{PREP}F = np.fft.fftshift(np.fft.fft2(grey))  # centred: u = v = 0 in the middle\n"
        "fy = np.fft.fftshift(np.fft.fftfreq(grey.shape[0]))[:, None]  # cycles per pixel, down\n"
        "fx = np.fft.fftshift(np.fft.fftfreq(grey.shape[1]))[None, :]  # cycles per pixel, across\n"
        f"D = np.hypot(fx, fy)\nmask = {mask if pass_type == 'low' else f'1 - {mask}'}\n"
        "values = np.fft.ifft2(np.fft.ifftshift(F * mask)).real\n"
        + ("result = np.clip(np.rint(values), 0, 255).astype(np.uint8)\n" if pass_type == "low" else
           "result = np.clip(np.rint(values + 127.5), 0, 255).astype(np.uint8)  # 0 drawn mid-grey\n")
        + "# OpenCV: cv2.dft(np.float32(grey), flags=cv2.DFT_COMPLEX_OUTPUT) is np.fft.fft2(grey) before the\n"
          "# shift, as two channels (real, imaginary); cv2.idft(..., flags=cv2.DFT_SCALE) goes back.",
        source=source, result=result.picture, title="The code: filter in the frequency domain",
    )


filter_panel()

# Periodic noise and notch filters ---------------------------------------------------------------------------
noisy = step(fq.add_periodic_noise, grey, amplitude=NOISE_AMPLITUDE)
noisy_spec = step(fq.spectrum, noisy)
noise_u, noise_v = fq.noise_position(grey.shape)


@st.fragment
def notch_panel() -> tuple[int, int, int]:
    """Place a notch on the noise spikes; returns (u, v, radius) for the exercise."""
    st.header("Periodic noise and notch filters", anchor=False)
    st.markdown(f"Stripes of ±{NOISE_AMPLITUDE:.0f} grey levels were added to the image: one grating, so in the "
                "spectrum **two bright spikes**, the brightest points away from the centre (fainter copies further "
                "out come from clipping at black and white). Click on a spike, or set u and v, to put a notch there; "
                "its partner gets one too. A notch removes only those frequencies, and the stripes with them.")
    left, right = st.columns(2, gap="medium")
    with left:
        u, v = frequency_sliders(prefix="fourier_notch", height=height, width=width, default=(20, 20))
        radius = st.slider("Notch radius (places of the spectrum)", 0, 20, 3, key="fourier_radius",
                           bind="query-params")
        notch = step(fq.notch_filter, noisy, u=u, v=v, radius=radius)
        clickable_spectrum(notch.spectrum_picture, prefix="fourier_notch", u=u, v=v)
        st.caption(f"The noisy image's spectrum (points drawn 3 pixels wide, the faintest half black); notches of "
                   f"radius {radius} at ({u}, {v}) and ({-u}, {-v}) in red.")
    noisy_psnr, notch_psnr = psnr(grey, noisy), psnr(grey, notch.picture)
    with right:
        show_image(noisy, caption=f"With periodic noise: PSNR {noisy_psnr:.1f} dB against the clean image")
        show_image(notch.picture, caption=f"Notch filtered: PSNR {notch_psnr:.1f} dB")
    st.markdown(f"PSNR against the clean image goes from {noisy_psnr:.1f} dB to **{notch_psnr:.1f} dB**. "
                + ("The stripes are gone: the notch sits on the spikes." if notch_psnr > noisy_psnr + 6 else
                   "The stripes are still there: move the notch onto the two bright spikes away from the centre."))
    show_code(
        f"{PREP}rows, cols = grey.shape\ny, x = np.mgrid[0:rows, 0:cols]\n"
        f"stripes = {NOISE_AMPLITUDE:g} * np.cos(2 * np.pi * ({noise_u} * x / cols + {noise_v} * y / rows))\n"
        "noisy = np.clip(np.rint(grey + stripes), 0, 255).astype(np.uint8)\n"
        "F = np.fft.fftshift(np.fft.fft2(noisy))\n"
        "v, u = y - rows // 2, x - cols // 2  # each place's (u, v), centred\n"
        f"removed = (((u - {u}) ** 2 + (v - {v}) ** 2 <= {radius}**2)  # the notch and its partner\n"
        f"           | ((u + {u}) ** 2 + (v + {v}) ** 2 <= {radius}**2))\n"
        "values = np.fft.ifft2(np.fft.ifftshift(np.where(removed, 0, F))).real\n"
        "result = np.clip(np.rint(values), 0, 255).astype(np.uint8)",
        source=source, result=notch.picture, title="The code: a notch filter",
    )
    return u, v, radius


notch_u, notch_v, notch_radius = notch_panel()


@st.fragment
def magnitude_and_phase() -> None:
    """Swap the magnitude and phase of two images."""
    st.header("Magnitude versus phase", anchor=False)
    other = url_choice(st.selectbox, "Second image", {k: s.title for k, s in SAMPLES.items()}, key="fourier_other",
                       default="text")
    second = step(fq.fit_within, step(as_gray, step(load_sample, other)), max_side=fq.MAX_SIDE)
    swap = step(fq.swap_magnitude_phase, grey, second)
    picture_row([Picture(grey, caption="A: this image"), Picture(swap.second, caption="B: the second image"),
                 Picture(swap.first_magnitude, caption="A's magnitude with B's phase"),
                 Picture(swap.second_magnitude, caption="B's magnitude with A's phase")])
    st.markdown(
        f"Each mix looks like the image whose **phase** it has: the first correlates {swap.follows_phase[0]:.2f} "
        f"with B (whose phase it has) and {swap.follows_magnitude[0]:.2f} with A (whose magnitude it has); the "
        f"second {swap.follows_phase[1]:.2f} with A and {swap.follows_magnitude[1]:.2f} with B. The phase says where "
        "the edges are; the magnitude mostly says how much fine detail there is, which many images share."
    )


magnitude_and_phase()

# 6. Where it breaks: the borders -----------------------------------------------------------------------------
st.header("Where it breaks: the DFT sees a periodic image", anchor=False)
borders = step(fq.border_effect, grey)
st.markdown(
    "The DFT treats the image as one tile of an endless repeating wall: the right edge meets the left edge of the "
    f"next copy. Here they differ by **{borders.jumps[0]:.0f} grey levels** on average, and the top and bottom by "
    f"**{borders.jumps[1]:.0f}**. Those jumps are sharp edges the picture never had, and a sharp edge spreads "
    "along a line through the centre of the spectrum: the bright **cross**. A *window* fades the image to black at "
    "every border so the copies meet smoothly; *zero-padding* (a black frame twice the size) samples the spectrum "
    "twice as finely but adds no information, and its own frame edges draw the cross again."
)
picture_row([
    Picture(borders.plain.magnitude_picture, caption=f"As it is: {borders.shares[0]:.1%} on the cross"),
    Picture(borders.windowed.image, caption="Through a Hann window"),
    Picture(borders.windowed.magnitude_picture, caption=f"Windowed: {borders.shares[1]:.1%} on the cross"),
    Picture(borders.padded.magnitude_picture, caption=f"Zero-padded: {borders.shares[2]:.1%} on the cross"),
])
st.caption("Share of the spectrum's energy beyond 0.05 cycles per pixel that lies on the central row and column. "
           "A window costs the borders themselves; filtering in space with mirrored borders avoids the wrap-around.")
lesson_link("convolution", "Convolution playground: border rules that mirror instead of wrapping")

# 8. Check yourself (exercise 2's pictures: three gratings at 0.1 cycles per pixel) ---------------------------
stripes = [step(fq.pattern_from_gratings, ((0.1, angle),)).spectrum_picture for angle in (90.0, 45.0, 0.0)]
st.header("Check yourself", anchor=False)
numeric_exercise(
    "fourier_period", number=1,
    question="A 256 × 256 pattern has its two bright points at (u, v) = (16, -12) and (-16, 12). How many pixels "
             "apart are its crests?",
    answer=256 / math.hypot(16, 12), tolerance=0.2, step=0.1,  # 20 cycles across 256 pixels
    hint="The frequency is √(16² + 12²) cycles across 256 pixels.",
    explanation="√(16² + 12²) = 20 cycles per 256 pixels: one crest every 256 / 20 = 12.8 pixels.",
)
choice_exercise(
    "fourier_stripes", number=2,
    question="Which is the spectrum of **vertical stripes** (a pattern that changes only from left to right)?",
    options=["A", "B", "C"], correct="C", pictures=stripes,
    hint="The points lie on the line along which the pattern changes.",
    explanation="C: its points sit on the horizontal line through the centre (v = 0). A belongs to horizontal "
                "stripes, B to diagonal ones.",
)
numeric_exercise(
    "fourier_sigma", number=3,
    question="A Gaussian low-pass with D0 = 0.1 cycles per pixel equals a spatial Gaussian blur of which σ, in "
             "pixels?",
    answer=fq.gaussian_sigma(0.1), tolerance=0.05, step=0.01,
    hint="A Gaussian of σ pixels has the spectrum exp(-2π² σ² D²); match it with exp(-D² / (2 D0²)).",
    explanation="σ = 1 / (2π × 0.1) ≈ 1.59 pixels: the narrower the mask, the wider the blur.",
)
notch_score = psnr(grey, step(fq.notch_filter, noisy, u=notch_u, v=notch_v, radius=notch_radius).picture)
target_exercise(
    "fourier_notch", number=4,
    question="Place the notch (in *Periodic noise and notch filters*) so that the filtered image reaches a PSNR of "
             "30 dB against the clean image.",
    score=min(notch_score, 99.0), target=30.0, score_name="PSNR against the clean image", unit=" dB",
    hint="The two spikes are the brightest points away from the centre; a radius of 2 or 3 is enough.",
    explanation=f"The stripes are the single grating at (u, v) = ({noise_u}, {noise_v}): removing it and its "
                "partner removes them, and almost nothing of the image.",
)

finish_lesson("fourier")
