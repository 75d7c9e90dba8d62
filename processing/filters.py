"""Smoothing, noise and sharpening: add noise, remove it, measure, sharpen.

Images are uint8 grey ``(H, W)`` or RGB ``(H, W, 3)``; every function returning an
image returns uint8 of the same shape unless it says otherwise. Noise uses NumPy's
``default_rng(seed)``, so the same seed gives the same noise on every run and for
every learner (OpenCV's ``cv2.randn`` uses one process-wide generator, shared by all
sessions, so it is avoided).

Measured on a shared 2-core machine (ranges span quiet and busy moments).
1-megapixel (1000×1000) image: box / Gaussian / median (5×5) a few milliseconds;
bilateral (d=9) 170 ms for RGB; non-local means 1.2–2.3 s grey and 5.5–6.4 s RGB
with the default windows (7, 21), 0.5 s grey and 1.4 s RGB with a search window
of 11. Non-local means is therefore too slow for a slider on a full photo: run it
on a downscaled copy or behind a button, and cache it. 2-megapixel RGB: Gaussian
noise 60–100 ms, SSIM 0.35–0.9 s (grey 0.15 s), PSNR 1 ms, unsharp mask 60–80 ms.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from processing._checks import check_choice, check_float, check_gray, check_image, check_int
from processing.arrays import window_around
from processing.display import to_uint8

__all__ = [
    "DENOISERS",
    "NOISE_KINDS",
    "DarkBias",
    "OvershootStats",
    "Quality",
    "SharpenResult",
    "UnsharpPixel",
    "UnsharpResult",
    "add_gaussian_noise",
    "add_noise",
    "add_salt_and_pepper",
    "add_speckle_noise",
    "bilateral_filter",
    "box_blur",
    "crop_around",
    "dark_bias",
    "gaussian_blur",
    "halo_overlay",
    "median_blur",
    "nl_means_denoise",
    "overshoot_stats",
    "psnr",
    "quality",
    "sharpen",
    "sharpen_kernel",
    "ssim",
    "ssim_map",
    "step_edge",
    "unsharp_mask",
    "unsharp_pixel",
]

_MAX_SEED = 2**32 - 1


# --------------------------------------------------------------------------- noise


#: `halo_overlay`'s marks over the half-bright grey original: bright halos orange, dark halos blue (Okabe-Ito).
BRIGHT_HALO_COLOUR = (230, 159, 0)
DARK_HALO_COLOUR = (0, 114, 178)


def add_gaussian_noise(image: np.ndarray, *, sigma: float, seed: int = 0) -> np.ndarray:
    """Add zero-mean Gaussian noise, independently per pixel and channel.

    Parameters
    ----------
    image : ndarray of uint8, shape (H, W) or (H, W, 3)
    sigma : float
        Standard deviation in grey levels, 0 to 100.
    seed : int
        Seed for ``np.random.default_rng``, 0 to 2**32 - 1.

    Returns
    -------
    ndarray of uint8, same shape
        ``image + noise``, rounded and clipped to 0..255 (clipping makes the noise
        slightly weaker near black and white).
    """
    check_image(image)
    sigma = check_float(sigma, name="sigma", low=0.0, high=100.0)
    seed = check_int(seed, name="seed", low=0, high=_MAX_SEED)
    rng = np.random.default_rng(seed)
    # float32 noise: half the memory and time of float64, far finer than 1 grey level.
    noise = rng.standard_normal(image.shape, dtype=np.float32)
    noise *= np.float32(sigma)
    noise += image
    return to_uint8(noise)


def add_salt_and_pepper(image: np.ndarray, *, amount: float, seed: int = 0) -> np.ndarray:
    """Set a random share of pixels to black (pepper) or white (salt).

    Parameters
    ----------
    image : ndarray of uint8, shape (H, W) or (H, W, 3)
    amount : float
        Expected share of pixels hit, 0 to 1; half become 0, half 255. In RGB the
        whole pixel (all three channels) is hit, as a dead or hot sensor pixel is.
    seed : int
        Seed for ``np.random.default_rng``.

    Returns
    -------
    ndarray of uint8, same shape
    """
    check_image(image)
    amount = check_float(amount, name="amount", low=0.0, high=1.0)
    seed = check_int(seed, name="seed", low=0, high=_MAX_SEED)
    draw = np.random.default_rng(seed).random(image.shape[:2], dtype=np.float32)
    noisy = image.copy()
    noisy[draw < amount / 2] = 0
    noisy[(draw >= amount / 2) & (draw < amount)] = 255
    return noisy


def add_speckle_noise(image: np.ndarray, *, sigma: float, seed: int = 0) -> np.ndarray:
    """Multiplicative noise: ``image · (1 + n)`` with n Gaussian of std `sigma`.

    Bright areas get noisier than dark ones, as in ultrasound or radar images.

    Parameters
    ----------
    image : ndarray of uint8, shape (H, W) or (H, W, 3)
    sigma : float
        Standard deviation of n, 0 to 2 (0.2 means ±20 % typical variation).
    seed : int
        Seed for ``np.random.default_rng``.

    Returns
    -------
    ndarray of uint8, same shape, rounded and clipped to 0..255
    """
    check_image(image)
    sigma = check_float(sigma, name="sigma", low=0.0, high=2.0)
    seed = check_int(seed, name="seed", low=0, high=_MAX_SEED)
    factor = np.random.default_rng(seed).standard_normal(image.shape, dtype=np.float32)
    factor *= np.float32(sigma)
    factor += np.float32(1.0)
    factor *= image
    return to_uint8(factor)


#: Noise kinds understood by `add_noise`.
NOISE_KINDS: tuple[str, ...] = ("gaussian", "salt_pepper", "speckle")


def add_noise(image: np.ndarray, *, kind: str, strength: float, seed: int = 0) -> np.ndarray:
    """Add noise of one of the `NOISE_KINDS` (one entry point for pages and tests).

    Parameters
    ----------
    image : ndarray of uint8, shape (H, W) or (H, W, 3)
    kind : {"gaussian", "salt_pepper", "speckle"}
    strength : float
        ``sigma`` in grey levels for "gaussian" (0 to 100), ``amount`` for
        "salt_pepper" (0 to 1), ``sigma`` for "speckle" (0 to 2).
    seed : int
        Seed for ``np.random.default_rng``.

    Returns
    -------
    ndarray of uint8, same shape
        Exactly `add_gaussian_noise`, `add_salt_and_pepper` or `add_speckle_noise`.
    """
    check_choice(kind, name="kind", choices=NOISE_KINDS)
    if kind == "gaussian":
        return add_gaussian_noise(image, sigma=strength, seed=seed)
    if kind == "salt_pepper":
        return add_salt_and_pepper(image, amount=strength, seed=seed)
    return add_speckle_noise(image, sigma=strength, seed=seed)


# --------------------------------------------------------------------------- denoising


def box_blur(image: np.ndarray, *, size: int = 5) -> np.ndarray:
    """Mean of the ``size × size`` neighbourhood (``cv2.blur``).

    Parameters
    ----------
    image : ndarray of uint8, shape (H, W) or (H, W, 3)
    size : int
        Odd window side, 1 to 51.

    Returns
    -------
    ndarray of uint8, same shape (rounded; border ``BORDER_REFLECT_101``)
    """
    check_image(image)
    size = check_int(size, name="size", low=1, high=51, odd=True)
    return cv2.blur(image, (size, size))


def gaussian_blur(image: np.ndarray, *, sigma: float = 1.5, size: int = 0) -> np.ndarray:
    """Gaussian-weighted mean (``cv2.GaussianBlur``).

    Parameters
    ----------
    image : ndarray of uint8, shape (H, W) or (H, W, 3)
    sigma : float
        Standard deviation in pixels, 0.1 to 25.
    size : int
        Odd window side, or 0 to let OpenCV choose it from sigma (for uint8 about
        ``6·sigma + 1``, covering ±3 sigma).

    Returns
    -------
    ndarray of uint8, same shape
    """
    check_image(image)
    sigma = check_float(sigma, name="sigma", low=0.1, high=25.0)
    size = check_int(size, name="size", low=0, high=151)
    if size != 0 and size % 2 == 0:
        raise ValueError(f"size must be odd or 0, got {size}")
    return cv2.GaussianBlur(image, (size, size), sigma)


def median_blur(image: np.ndarray, *, size: int = 5) -> np.ndarray:
    """Median of the ``size × size`` neighbourhood (``cv2.medianBlur``).

    Removes salt-and-pepper noise while keeping edges sharp.

    Parameters
    ----------
    image : ndarray of uint8, shape (H, W) or (H, W, 3)
    size : int
        Odd window side, 3 to 31. Each channel is filtered on its own.

    Returns
    -------
    ndarray of uint8, same shape (border: replicated)
    """
    check_image(image)
    size = check_int(size, name="size", low=3, high=31, odd=True)
    return cv2.medianBlur(image, size)


def bilateral_filter(
    image: np.ndarray, *, diameter: int = 9, sigma_color: float = 75.0, sigma_space: float = 75.0
) -> np.ndarray:
    """Edge-preserving smoothing (``cv2.bilateralFilter``).

    Each neighbour within ``diameter // 2`` pixels is weighted by a Gaussian of its
    distance (`sigma_space`) times a Gaussian of its colour difference
    (`sigma_color`), so pixels across an edge barely count. Border: reflected
    (``BORDER_REFLECT_101``).

    Parameters
    ----------
    image : ndarray of uint8, shape (H, W) or (H, W, 3)
    diameter : int
        Neighbourhood diameter in pixels, 1 to 25 (cost grows with its square).
    sigma_color : float
        Colour tolerance in grey levels, 1 to 255. For RGB the colour difference is
        the sum of the absolute channel differences (OpenCV's choice).
    sigma_space : float
        Spatial standard deviation in pixels, 0.5 to 100.

    Returns
    -------
    ndarray of uint8, same shape
    """
    check_image(image)
    diameter = check_int(diameter, name="diameter", low=1, high=25)
    sigma_color = check_float(sigma_color, name="sigma_color", low=1.0, high=255.0)
    sigma_space = check_float(sigma_space, name="sigma_space", low=0.5, high=100.0)
    # The colour difference treats the channels alike, so RGB order needs no conversion.
    return cv2.bilateralFilter(image, diameter, sigma_color, sigma_space)


def nl_means_denoise(
    image: np.ndarray, *, h: float = 10.0, template_size: int = 7, search_size: int = 21
) -> np.ndarray:
    """Non-local means (``cv2.fastNlMeansDenoising`` / ``...Colored``).

    Averages pixels whose surrounding patches look alike, wherever they are in
    the search window. Strong, but slow: see the module docstring for timings.

    Parameters
    ----------
    image : ndarray of uint8, shape (H, W) or (H, W, 3)
    h : float
        Filter strength, 1 to 50; about the noise sigma is a good start.
        Used for both lightness and colour in RGB.
    template_size : int
        Odd patch side, 3 to 11.
    search_size : int
        Odd search window side, 5 to 35 (time grows with its square).

    Returns
    -------
    ndarray of uint8, same shape

    Notes
    -----
    The colour version converts BGR to CIELAB internally, so an RGB image is
    turned into BGR for the call and back afterwards.
    """
    check_image(image)
    h = check_float(h, name="h", low=1.0, high=50.0)
    template_size = check_int(template_size, name="template_size", low=3, high=11, odd=True)
    search_size = check_int(search_size, name="search_size", low=5, high=35, odd=True)
    if image.ndim == 2:
        return cv2.fastNlMeansDenoising(image, None, h, template_size, search_size)
    bgr = cv2.cvtColor(image, cv2.COLOR_RGB2BGR)
    denoised = cv2.fastNlMeansDenoisingColored(bgr, None, h, h, template_size, search_size)
    return cv2.cvtColor(denoised, cv2.COLOR_BGR2RGB)


#: The smoothing filters by name (`NOISE_KINDS`' counterpart): ``DENOISERS["box"](image, size=5)``.
DENOISERS = {
    "box": box_blur,
    "gaussian": gaussian_blur,
    "median": median_blur,
    "bilateral": bilateral_filter,
    "nl_means": nl_means_denoise,
}


# --------------------------------------------------------------------------- quality


def _check_pair(reference: np.ndarray, test: np.ndarray) -> None:
    check_image(reference, name="reference")
    check_image(test, name="test")
    if reference.shape != test.shape:
        raise ValueError(
            f"reference and test must have the same shape, got {reference.shape} and {test.shape}"
        )


def psnr(reference: np.ndarray, test: np.ndarray) -> float:
    """Peak signal-to-noise ratio in decibels: ``10 · log10(255² / MSE)``.

    Parameters
    ----------
    reference : ndarray of uint8, shape (H, W) or (H, W, 3)
        The clean image.
    test : ndarray of uint8, same shape
        The noisy or restored image.

    Returns
    -------
    float
        Higher is closer; ``inf`` for identical images. About 20 dB looks very
        noisy, above 40 dB differences are hard to see.

    Notes
    -----
    The mean squared error over all pixels and channels comes from
    ``cv2.norm(reference, test, cv2.NORM_L2SQR)`` (exact integer sum, fast).
    """
    _check_pair(reference, test)
    squared_error = cv2.norm(reference, test, cv2.NORM_L2SQR)
    if squared_error == 0:
        return float("inf")
    mse = squared_error / reference.size
    return float(10.0 * np.log10(255.0**2 / mse))


_SSIM_WINDOW = 7


def ssim_map(reference: np.ndarray, test: np.ndarray) -> np.ndarray:
    """Local structural similarity, averaged over channels.

    The formula and settings of ``skimage.metrics.structural_similarity`` with
    ``data_range=255`` and its defaults (7×7 uniform window, sample covariance,
    K1 = 0.01, K2 = 0.03), computed with ``cv2.blur`` in float64, three to four times
    faster (2-megapixel RGB: about 0.35 s against 1.4 s).

    Parameters
    ----------
    reference, test : ndarray of uint8, same shape (H, W) or (H, W, 3), sides >= 7

    Returns
    -------
    ndarray of float64, shape (H, W), values in [-1, 1]
        1 where the two images agree locally. Values within 3 pixels of the border
        are computed with reflected borders and left out of `ssim`.
    """
    _check_pair(reference, test)
    if min(reference.shape[:2]) < _SSIM_WINDOW:
        raise ValueError(f"reference must be at least {_SSIM_WINDOW} pixels on each side")
    x = reference.astype(np.float64)
    y = test.astype(np.float64)
    window = (_SSIM_WINDOW, _SSIM_WINDOW)
    # scipy's "reflect" (used by scikit-image) repeats the edge pixel: BORDER_REFLECT.
    border = cv2.BORDER_REFLECT
    samples = _SSIM_WINDOW**2
    covariance_norm = samples / (samples - 1)  # sample, not population, covariance
    c1, c2 = (0.01 * 255) ** 2, (0.03 * 255) ** 2

    mean_x = cv2.blur(x, window, borderType=border)
    mean_y = cv2.blur(y, window, borderType=border)
    mean_xx = cv2.sqrBoxFilter(x, -1, window, borderType=border)
    mean_yy = cv2.sqrBoxFilter(y, -1, window, borderType=border)
    mean_xy = cv2.blur(np.multiply(x, y, out=x), window, borderType=border)
    # From here on the arithmetic is in place: on a 2-megapixel RGB image each
    # temporary float64 array costs ~50 MB and ~10 ms.
    cross = mean_x * mean_y
    mean_x *= mean_x  # now mean_x²
    mean_y *= mean_y  # now mean_y²
    var_sum = mean_xx + mean_yy
    var_sum -= mean_x
    var_sum -= mean_y
    var_sum *= covariance_norm  # var_x + var_y
    covariance = mean_xy - cross
    covariance *= covariance_norm
    # SSIM = (2 μx μy + C1)(2 σxy + C2) / ((μx² + μy² + C1)(σx² + σy² + C2))
    numerator = 2 * cross + c1
    numerator *= 2 * covariance + c2
    denominator = mean_x + mean_y + c1
    denominator *= var_sum + c2
    similarity = np.divide(numerator, denominator, out=numerator)
    return similarity.mean(axis=2) if similarity.ndim == 3 else similarity


def ssim(reference: np.ndarray, test: np.ndarray) -> float:
    """Structural similarity index (mean SSIM), as scikit-image computes it.

    Parameters
    ----------
    reference, test : ndarray of uint8, same shape (H, W) or (H, W, 3), sides >= 7

    Returns
    -------
    float
        1.0 for identical images, lower for less similar ones (can be negative).
        Equals ``skimage.metrics.structural_similarity(reference, test,
        data_range=255, channel_axis=-1 for RGB)`` to about 1e-9.
    """
    local = ssim_map(reference, test)
    margin = _SSIM_WINDOW // 2
    return float(local[margin:-margin, margin:-margin].mean())


@dataclass(frozen=True)
class Quality:
    """How close a result is to the clean image; see `quality`.

    Attributes
    ----------
    psnr : float
        `psnr` over every pixel and channel, in dB (``inf`` when identical).
    ssim : float or None
        `ssim` of the two luminance (grey) versions; None when a side is shorter
        than 7 pixels, where SSIM cannot be computed.
    """

    psnr: float
    ssim: float | None


def quality(reference: np.ndarray, test: np.ndarray) -> Quality:
    """Score a noisy or restored image against the clean one: PSNR on all channels, SSIM on luminance.

    Parameters
    ----------
    reference : ndarray of uint8, shape (H, W) or (H, W, 3)
        The clean image.
    test : ndarray of uint8, same shape

    Returns
    -------
    Quality

    Notes
    -----
    SSIM on the grey versions (``cv2.COLOR_RGB2GRAY``) is three times faster than
    on the colours and close to it.
    """
    _check_pair(reference, test)
    score = psnr(reference, test)
    if min(reference.shape[:2]) < _SSIM_WINDOW:
        return Quality(psnr=score, ssim=None)
    if reference.ndim == 3:
        reference = cv2.cvtColor(reference, cv2.COLOR_RGB2GRAY)
        test = cv2.cvtColor(test, cv2.COLOR_RGB2GRAY)
    return Quality(psnr=score, ssim=ssim(reference, test))


@dataclass(frozen=True)
class DarkBias:
    """What noise and a filter do to the black parts of an image; see `dark_bias`.

    Attributes
    ----------
    share : float
        Share of values (pixels × channels) at most `level` in the clean image, 0 to 1.
    clean_mean, noisy_mean, result_mean : float
        Mean of those values in the clean, noisy and filtered images (nan when `share` is 0).
    """

    share: float
    clean_mean: float
    noisy_mean: float
    result_mean: float


def dark_bias(clean: np.ndarray, noisy: np.ndarray, result: np.ndarray, *, level: int = 5) -> DarkBias:
    """Measure how far black is lifted where the clean image is (nearly) black.

    Noise cannot take a value below 0: clipping keeps the upward half of it, so
    near black the noise is no longer zero-mean (Gaussian noise of σ 25 on 0
    averages σ / √(2π), about 10), and a filter that averages keeps that bias.

    Parameters
    ----------
    clean, noisy, result : ndarray of uint8, same shape (H, W) or (H, W, 3)
    level : int
        Clean values 0 to `level` (0 to 255) count as black.

    Returns
    -------
    DarkBias
    """
    _check_pair(clean, noisy)
    _check_pair(clean, result)
    level = check_int(level, name="level", low=0, high=255)
    dark = clean <= level
    count = int(np.count_nonzero(dark))
    if count == 0:
        return DarkBias(share=0.0, clean_mean=float("nan"), noisy_mean=float("nan"), result_mean=float("nan"))
    return DarkBias(share=count / clean.size, clean_mean=float(clean[dark].mean()),
                    noisy_mean=float(noisy[dark].mean()), result_mean=float(result[dark].mean()))


# --------------------------------------------------------------------------- sharpening


@dataclass(frozen=True)
class UnsharpResult:
    """Stages of `unsharp_mask`.

    Attributes
    ----------
    blurred : ndarray of uint8, same shape as the image
        Gaussian-blurred image.
    detail : ndarray of float32, same shape
        ``image - blurred``, signed (before the threshold); show it with an offset.
    unclipped : ndarray of float32, same shape
        ``image + amount · detail`` where ``|detail| >= threshold``; may leave 0..255.
    result : ndarray of uint8, same shape
        `unclipped` rounded and clipped to 0..255.
    """

    blurred: np.ndarray
    detail: np.ndarray
    unclipped: np.ndarray
    result: np.ndarray


def unsharp_mask(
    image: np.ndarray, *, amount: float = 1.0, sigma: float = 2.0, threshold: float = 0.0
) -> UnsharpResult:
    """Sharpen by adding back an amplified detail layer.

    Parameters
    ----------
    image : ndarray of uint8, shape (H, W) or (H, W, 3)
    amount : float
        How much detail to add, 0 to 5 (1 doubles the detail).
    sigma : float
        Gaussian radius in pixels, 0.1 to 25: the size of detail that gets boosted.
    threshold : float
        Detail smaller than this (in grey levels, 0 to 255) is left alone, so flat,
        noisy areas are not sharpened.

    Returns
    -------
    UnsharpResult

    Notes
    -----
    Equivalent NumPy/OpenCV code::

        blurred = cv2.GaussianBlur(image, (0, 0), sigma)
        detail = image.astype(np.float32) - blurred
        unclipped = image + amount * np.where(np.abs(detail) >= threshold, detail, 0)
        result = np.clip(np.rint(unclipped), 0, 255).astype(np.uint8)
    """
    check_image(image)
    amount = check_float(amount, name="amount", low=0.0, high=5.0)
    sigma = check_float(sigma, name="sigma", low=0.1, high=25.0)
    threshold = check_float(threshold, name="threshold", low=0.0, high=255.0)
    blurred = cv2.GaussianBlur(image, (0, 0), sigma)
    detail = image.astype(np.float32) - blurred
    boost = np.where(np.abs(detail) >= threshold, detail, np.float32(0.0))
    unclipped = image + np.float32(amount) * boost
    return UnsharpResult(
        blurred=blurred, detail=detail, unclipped=unclipped, result=to_uint8(unclipped)
    )


def sharpen_kernel(*, strength: float = 1.0) -> np.ndarray:
    """The plain 3×3 sharpening kernel: identity minus `strength` × Laplacian.

    Parameters
    ----------
    strength : float
        0 to 5; 1 gives the classic ``[[0, -1, 0], [-1, 5, -1], [0, -1, 0]]``.

    Returns
    -------
    ndarray of float64, shape (3, 3), sums to 1
    """
    strength = check_float(strength, name="strength", low=0.0, high=5.0)
    laplacian = np.array([[0.0, 1.0, 0.0], [1.0, -4.0, 1.0], [0.0, 1.0, 0.0]])
    identity = np.zeros((3, 3))
    identity[1, 1] = 1.0
    return identity - strength * laplacian


@dataclass(frozen=True)
class SharpenResult:
    """Output of `sharpen`: the float result and its clipped uint8 version."""

    unclipped: np.ndarray
    result: np.ndarray


def sharpen(image: np.ndarray, *, strength: float = 1.0) -> SharpenResult:
    """Filter with `sharpen_kernel`.

    Parameters
    ----------
    image : ndarray of uint8, shape (H, W) or (H, W, 3)
    strength : float
        0 to 5, see `sharpen_kernel`.

    Returns
    -------
    SharpenResult
        ``unclipped``: float32, same shape, may leave 0..255. ``result``: uint8,
        rounded and clipped; equal to ``cv2.filter2D(image, -1, kernel)``, which
        saturates the same way.
    """
    check_image(image)
    kernel = sharpen_kernel(strength=strength)
    unclipped = cv2.filter2D(image.astype(np.float32), -1, kernel.astype(np.float32))
    return SharpenResult(unclipped=unclipped, result=to_uint8(unclipped))


def step_edge(*, low: int = 80, high: int = 176, size: int = 24) -> np.ndarray:
    """A vertical step edge between two greys: the left half `low`, the right half `high`.

    Between mid-greys, sharpening's overshoots on both sides stay inside 0-255,
    so they show instead of being clipped away.

    Parameters
    ----------
    low, high : int
        The two grey levels, 0 to 255.
    size : int
        Side of the square, 2 to 512.

    Returns
    -------
    ndarray of uint8, shape (size, size)
        Columns ``0 .. size // 2 - 1`` are `low`, the rest `high`.
    """
    low = check_int(low, name="low", low=0, high=255)
    high = check_int(high, name="high", low=0, high=255)
    size = check_int(size, name="size", low=2, high=512)
    edge = np.full((size, size), low, dtype=np.uint8)
    edge[:, size // 2 :] = high
    return edge


@dataclass(frozen=True)
class UnsharpPixel:
    """Unsharp masking at one pixel; see `unsharp_pixel`.

    Attributes
    ----------
    value : int
        The pixel.
    blurred : int
        The Gaussian-blurred image there (uint8, as ``cv2.GaussianBlur`` rounds it).
    unclipped : float
        ``value + amount · (value - blurred)``: the result before clipping.
    """

    value: int
    blurred: int
    unclipped: float


def unsharp_pixel(
    gray: np.ndarray, *, row: int, col: int, amount: float = 1.5, sigma: float = 2.0
) -> UnsharpPixel:
    """The numbers of `unsharp_mask` (threshold 0) at one pixel of a grey image.

    Parameters
    ----------
    gray : ndarray of uint8, shape (H, W)
    row, col : int
        ``0 <= row < H``, ``0 <= col < W``.
    amount, sigma : float
        As for `unsharp_mask`.

    Returns
    -------
    UnsharpPixel
        ``unclipped`` equals ``unsharp_mask(gray, amount=amount, sigma=sigma).unclipped[row, col]``.
    """
    check_gray(gray, name="gray")
    row = check_int(row, name="row", low=0, high=gray.shape[0] - 1)
    col = check_int(col, name="col", low=0, high=gray.shape[1] - 1)
    stages = unsharp_mask(gray, amount=amount, sigma=sigma)
    return UnsharpPixel(value=int(gray[row, col]), blurred=int(stages.blurred[row, col]),
                        unclipped=float(stages.unclipped[row, col]))


def _check_sharpened(
    original: np.ndarray, sharpened: np.ndarray, *, size: int, tolerance: float
) -> tuple[np.ndarray, np.ndarray, float]:
    """Check `overshoot_stats`' arguments: (the values as float32, the size × size window, the tolerance)."""
    check_image(original, name="original")
    sharpened = np.asarray(sharpened)
    if sharpened.shape != original.shape or not np.issubdtype(sharpened.dtype, np.number):
        raise ValueError(
            f"sharpened must be a numeric array of shape {original.shape}, got {sharpened.shape}"
        )
    size = check_int(size, name="size", low=1, high=15, odd=True)
    tolerance = check_float(tolerance, name="tolerance", low=0.0)
    return sharpened.astype(np.float32, copy=False), np.ones((size, size), dtype=np.uint8), tolerance


@dataclass(frozen=True)
class OvershootStats:
    """How much a sharpened image overshoots; see `overshoot_stats`.

    Attributes
    ----------
    clipped_low_fraction, clipped_high_fraction : float
        Share of values (pixels × channels) below 0 / above 255, which clipping
        flattens to pure black / white.
    clipped_fraction : float
        Sum of the two.
    max_overshoot : float
        Largest amount, in grey levels, by which a value exceeds the brightest
        original value in its neighbourhood: the bright halo along an edge.
    max_undershoot : float
        Largest amount by which a value falls below the darkest original value in
        its neighbourhood: the dark halo.
    halo_fraction : float
        Share of values outside their neighbourhood's original range by more than
        the tolerance.
    """

    clipped_low_fraction: float
    clipped_high_fraction: float
    clipped_fraction: float
    max_overshoot: float
    max_undershoot: float
    halo_fraction: float


def overshoot_stats(
    original: np.ndarray, sharpened: np.ndarray, *, size: int = 3, tolerance: float = 1.0
) -> OvershootStats:
    """Measure clipping and halos caused by sharpening.

    A sharpened value is a halo when it leaves the range ``[min, max]`` of the
    original values in its ``size × size`` neighbourhood: sharpening should steepen
    an edge, not invent values brighter or darker than either side of it.

    Parameters
    ----------
    original : ndarray of uint8, shape (H, W) or (H, W, 3)
    sharpened : ndarray of float, same shape
        The *unclipped* result (``UnsharpResult.unclipped`` or
        ``SharpenResult.unclipped``); a uint8 result has already lost what was clipped.
    size : int
        Odd neighbourhood side, 1 to 15.
    tolerance : float
        Grey levels of excess ignored when counting halo values (rounding), >= 0.

    Returns
    -------
    OvershootStats
    """
    values, window, tolerance = _check_sharpened(original, sharpened, size=size, tolerance=tolerance)
    local_max = cv2.dilate(original, window)
    local_min = cv2.erode(original, window)
    above = values - local_max
    below = local_min - values
    count = values.size
    low_fraction = float(np.count_nonzero(values < 0) / count)
    high_fraction = float(np.count_nonzero(values > 255) / count)
    halo = np.count_nonzero((above > tolerance) | (below > tolerance))
    return OvershootStats(
        clipped_low_fraction=low_fraction,
        clipped_high_fraction=high_fraction,
        clipped_fraction=low_fraction + high_fraction,
        max_overshoot=max(0.0, float(above.max())),
        max_undershoot=max(0.0, float(below.max())),
        halo_fraction=float(halo / count),
    )


def halo_overlay(
    original: np.ndarray, sharpened: np.ndarray, *, size: int = 3, tolerance: float = 1.0
) -> np.ndarray:
    """Paint the halos `overshoot_stats` counts, on a dimmed grey copy of the original.

    Parameters
    ----------
    original : ndarray of uint8, shape (H, W) or (H, W, 3)
    sharpened : ndarray of float, same shape
        The unclipped sharpened values.
    size, tolerance
        As for `overshoot_stats`.

    Returns
    -------
    ndarray of uint8, shape (H, W, 3), RGB
        The original's luminance at half brightness (``0.5 · grey``, rounded down);
        orange ``(230, 159, 0)`` where any channel rises more than `tolerance`
        above its neighbourhood's brightest original value (bright halo), blue
        ``(0, 114, 178)`` where one falls below the darkest (dark halo); a pixel with
        both counts as bright.
    """
    values, window, tolerance = _check_sharpened(original, sharpened, size=size, tolerance=tolerance)
    above = values - cv2.dilate(original, window) > tolerance
    below = cv2.erode(original, window) - values > tolerance
    if original.ndim == 3:
        above, below = above.any(axis=2), below.any(axis=2)
        gray = cv2.cvtColor(original, cv2.COLOR_RGB2GRAY)
    else:
        gray = original
    overlay = np.repeat((gray // 2)[:, :, np.newaxis], 3, axis=2)
    overlay[below] = DARK_HALO_COLOUR
    overlay[above] = BRIGHT_HALO_COLOUR
    return overlay


def crop_around(image: np.ndarray, *, row: int, col: int, size: int) -> tuple[np.ndarray, tuple[int, int]]:
    """A ``size × size`` window centred on (row, col) as far as possible, kept inside the image.

    Unlike a window cut at the border, the crop keeps its full size (when the image
    is large enough), so several images cropped alike line up for a zoomed view
    (`processing.arrays.window_around` places it).

    Parameters
    ----------
    image : ndarray, shape (H, W) or (H, W, C)
    row, col : int
        ``0 <= row < H``, ``0 <= col < W``.
    size : int
        Window side, 1 to 512; limited to the image's sides.

    Returns
    -------
    window : ndarray
        A copy (it can be kept without the image) of shape ``(min(size, H), min(size, W)[, C])``.
    origin : tuple of int
        ``(top, left)`` of the window in the image.
    """
    image = np.asarray(image)
    if image.ndim not in (2, 3) or image.shape[0] == 0 or image.shape[1] == 0:
        raise ValueError(f"image must be a non-empty 2-D or 3-D array, got shape {image.shape}")
    size = check_int(size, name="size", low=1, high=512)
    top, left, bottom, right = window_around(image.shape, row=row, col=col, size=size)
    return image[top:bottom, left:right].copy(), (top, left)
