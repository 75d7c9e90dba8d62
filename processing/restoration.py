"""Blur and restoration: noise models, order-statistic filters, point-spread functions and deconvolution.

The degradation model is ``g = h * f + n``: the image f blurred by a point-spread function (PSF) h and
noise n added; in the frequency domain ``G = H F + N``. Blurs here are *periodic* by default (the image
wraps around its borders, as the DFT assumes), so inverse and Wiener filtering meet exactly the model
they invert; ``border="reflect"`` blurs as a camera does, and shows what that costs.

References: ``skimage.restoration.wiener`` (with a flat regulariser it is the classic Wiener filter
computed here) and ``skimage.restoration.richardson_lucy`` (the same iteration, with zero borders instead
of periodic ones); ``scipy.ndimage`` for the order-statistic filters.

Speed on the project's 2-core machine: one Richardson-Lucy iteration on 256 × 256 pixels (four real
FFTs in float32) takes 2-4 ms, so the lesson works on a copy whose longer side is at most `MAX_SIDE`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np
import scipy.fft as sfft
from scipy import stats

from processing._checks import check_choice, check_float, check_gray, check_int
from processing.arrays import window_around
from processing.display import draw_cells, to_uint8
from processing.filters import psnr, ssim

__all__ = [
    "MAX_SIDE", "METHODS", "MOTION_LENGTH_MAX", "NOISE_MODELS", "NoiseFit", "ORDER_FILTERS", "OrderComparison",
    "PSF_KINDS",
    "Response", "Scores", "adaptive_median", "add_noise", "compare_order_filters", "defocus_psf", "degrade",
    "filter_response", "fit_noise_models", "flattest_patch", "inverse_filter", "motion_psf", "order_filter",
    "patch_picture", "point_spread_function", "psf_pictures", "restore", "richardson_lucy",
    "richardson_lucy_series", "Series", "scores", "series_picture",
    "transfer_function", "wiener_filter",
]

#: Longest side of the copy the lesson restores (see the module docstring).
MAX_SIDE = 256
PSF_KINDS = ("motion", "defocus")
#: Longest motion blur `motion_psf` draws, in pixels.
MOTION_LENGTH_MAX = 61
METHODS = ("inverse", "wiener", "richardson_lucy")
NOISE_MODELS = ("gaussian", "uniform", "salt_pepper", "poisson")
ORDER_FILTERS = ("min", "max", "midpoint", "median", "alpha_trimmed", "adaptive_median")


# --------------------------------------------------------------------------- noise models


def add_noise(image: np.ndarray, *, model: str, level: float, seed: int = 0) -> np.ndarray:
    """Add noise of one model to a grey image.

    Parameters
    ----------
    image : ndarray of uint8, shape (H, W)
    model : {"gaussian", "uniform", "salt_pepper", "poisson"}
        ``"gaussian"``: zero-mean, standard deviation `level`. ``"uniform"``: zero-mean, flat between
        ``±√3 · level`` (the same standard deviation). ``"salt_pepper"``: `level` per cent of the pixels set
        to 0 or 255 (half each). ``"poisson"``: photon counting, ``g · Poisson(f / g)`` with
        ``g = level² / 128``, so the standard deviation is `level` at mid-grey and grows as ``√f``.
    level : float
        0 to 100.
    seed : int
        Seed of ``np.random.default_rng``.

    Returns
    -------
    ndarray of uint8, shape (H, W)
        Rounded and clipped to 0-255.
    """
    check_gray(image)
    check_choice(model, name="model", choices=NOISE_MODELS)
    level = check_float(level, name="level", low=0.0, high=100.0)
    rng = np.random.default_rng(check_int(seed, name="seed", low=0))
    values = image.astype(np.float64)
    if model == "gaussian":
        values += rng.normal(0.0, level, image.shape)
    elif model == "uniform":
        values += rng.uniform(-math.sqrt(3) * level, math.sqrt(3) * level, image.shape)
    elif model == "salt_pepper":
        draw = rng.random(image.shape)
        values[draw < level / 200] = 0
        values[(draw >= level / 200) & (draw < level / 100)] = 255
    elif level > 0:
        gain = level**2 / 128
        values = rng.poisson(values / gain) * gain
    return to_uint8(values)


def flattest_patch(image: np.ndarray, *, size: int = 32) -> tuple[int, int]:
    """The centre (row, col) of the flattest `size` × `size` patch that is neither near black nor near white.

    Flat means the smallest standard deviation; patches whose mean is below 30 or above 225 (where noise
    is clipped) count only if there is no other.

    Parameters
    ----------
    image : ndarray of uint8, shape (H, W)
    size : int
        Side of the patch, 1 to 4096 (cut to the image's sides).

    Returns
    -------
    tuple of int
    """
    check_gray(image)
    size = check_int(size, name="size", low=1, high=4096)
    rows, cols = min(size, image.shape[0]), min(size, image.shape[1])
    values = image.astype(np.float64)
    mean = cv2.blur(values, (cols, rows), borderType=cv2.BORDER_REFLECT)
    spread = np.sqrt(np.maximum(cv2.blur(values**2, (cols, rows), borderType=cv2.BORDER_REFLECT) - mean**2, 0))
    inside = np.zeros(image.shape, bool)
    inside[rows // 2: image.shape[0] - (rows - 1) // 2, cols // 2: image.shape[1] - (cols - 1) // 2] = True
    score = spread + 1000.0 * ((mean < 30) | (mean > 225)) + 1e6 * ~inside
    row, col = np.unravel_index(int(np.argmin(score)), score.shape)
    return int(row), int(col)


@dataclass(frozen=True)
class NoiseFit:
    """A patch's histogram and the four noise models fitted to it.

    Attributes
    ----------
    shares : ndarray of float64, shape (256,)
        Share of the patch's pixels at each level.
    models : dict of str to ndarray
        Each model's predicted shares (shape (256,)), keyed by `NOISE_MODELS` name.
    distances : dict of str to float
        Total-variation distance of each model from the patch, 0 (same) to 1 (disjoint).
    parameters : dict of str to str
        The estimated parameters of each model, as text.
    mean, std : float
        The patch's mean and standard deviation.
    box : tuple of int
        ``(top, left, bottom, right)`` of the patch.
    """

    shares: np.ndarray
    models: dict[str, np.ndarray]
    distances: dict[str, float]
    parameters: dict[str, str]
    mean: float
    std: float
    box: tuple[int, int, int, int]


def _binned(cdf, levels: np.ndarray) -> np.ndarray:
    """Shares of a continuous law falling nearest each level, the tails clipped into 0 and 255."""
    edges = cdf(np.concatenate([[-np.inf], levels[1:] - 0.5, [np.inf]]))
    return np.diff(edges)


def fit_noise_models(image: np.ndarray, *, row: int, col: int, size: int = 32) -> NoiseFit:
    """Estimate each noise model's parameters from a patch and compare the predicted histograms with it.

    Gaussian: the patch's mean μ and standard deviation σ. Uniform: flat on ``μ ± √3 σ``. Salt and pepper:
    the shares of 0 and 255, the other pixels at their median. Poisson: ``g · Poisson(λ)`` with
    ``g = σ² / μ`` and ``λ = μ / g`` (the variance of photon counts equals their mean).

    Parameters
    ----------
    image : ndarray of uint8, shape (H, W)
    row, col : int
        Centre of the patch.
    size : int
        Side of the patch, 1 to 4096 (see `processing.arrays.window_around`).

    Returns
    -------
    NoiseFit
    """
    check_gray(image)
    box = window_around(image.shape, row=row, col=col, size=size)
    patch = image[box[0]:box[2], box[1]:box[3]]
    levels = np.arange(256)
    shares = np.bincount(patch.ravel(), minlength=256) / patch.size
    mean, std = float(patch.mean()), float(patch.std())
    spread = max(std, 0.5)  # a flat patch is modelled one level wide
    models = {"gaussian": _binned(stats.norm(mean, spread).cdf, levels)}
    half = math.sqrt(3) * spread
    models["uniform"] = _binned(stats.uniform(mean - half, 2 * half).cdf, levels)
    pepper, salt = float(shares[0]), float(shares[255])
    rest = patch[(patch > 0) & (patch < 255)]
    middle = int(np.median(rest)) if rest.size else 128
    models["salt_pepper"] = np.zeros(256)
    models["salt_pepper"][[0, 255, middle]] += (pepper, salt, 1 - pepper - salt)
    gain = std**2 / mean if mean > 0 and std > 0 else 0.0
    models["poisson"] = np.zeros(256)
    if gain > 0:
        counts = np.arange(int(stats.poisson(mean / gain).ppf(1 - 1e-9)) + 2)
        np.add.at(models["poisson"], np.clip(np.rint(gain * counts), 0, 255).astype(int),
                  stats.poisson(mean / gain).pmf(counts))
    else:
        models["poisson"][int(round(mean))] = 1.0
    distances = {name: float(0.5 * np.abs(model - shares).sum()) for name, model in models.items()}
    parameters = {
        "gaussian": f"μ = {mean:.1f}, σ = {std:.1f}",
        "uniform": f"from {mean - half:.1f} to {mean + half:.1f}",
        "salt_pepper": f"pepper {pepper:.1%}, salt {salt:.1%}, the rest at {middle}",
        "poisson": f"gain g = {gain:.2f} levels per count, λ = {mean / gain:.1f} counts" if gain else "no spread",
    }
    return NoiseFit(shares, models, distances, parameters, mean, std, box)


# --------------------------------------------------------------------------- order-statistic filters


def _padded(image: np.ndarray, radius: int) -> np.ndarray:
    """`image` mirrored past its borders by `radius` pixels, the edge pixel repeated (scipy's "reflect")."""
    return np.pad(image, radius, mode="symmetric")


def _rank_filters(image: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(minimum, median, maximum) of every pixel's `size` × `size` neighbourhood, borders as `_padded`.

    OpenCV computes them on the padded image (its own border rules then never come into play): erosion and
    dilation by a square are the minimum and maximum, ``cv2.medianBlur`` the median.
    """
    radius = size // 2
    padded = _padded(image, radius)
    inner = (slice(radius, radius + image.shape[0]), slice(radius, radius + image.shape[1]))
    square = np.ones((size, size), np.uint8)
    return (cv2.erode(padded, square)[inner], cv2.medianBlur(padded, size)[inner] if size > 1 else image.copy(),
            cv2.dilate(padded, square)[inner])


def order_filter(image: np.ndarray, *, kind: str, size: int = 3, trim: int = 2) -> np.ndarray:
    """Replace each pixel by an order statistic of its neighbourhood.

    Borders are mirrored with the edge pixel repeated (``scipy.ndimage``'s ``mode="reflect"``).

    Parameters
    ----------
    image : ndarray of uint8, shape (H, W)
    kind : {"min", "max", "midpoint", "median", "alpha_trimmed", "adaptive_median"}
        ``"midpoint"``: ``(min + max) / 2``; ``"alpha_trimmed"``: the mean of what is left once the
        ``trim / 2`` lowest and ``trim / 2`` highest values are dropped (both rounded half to even);
        ``"adaptive_median"``: `adaptive_median` with ``max_size = size + 4`` (3 to 15).
    size : int
        Odd side of the neighbourhood, 1 to 15.
    trim : int
        Even number of values the alpha-trimmed mean drops, 0 to ``size² - 1`` (only it reads it).

    Returns
    -------
    ndarray of uint8, shape (H, W)
    """
    check_gray(image)
    check_choice(kind, name="kind", choices=ORDER_FILTERS)
    size = check_int(size, name="size", low=1, high=15, odd=True)
    trim = check_int(trim, name="trim", low=0, high=max(size * size - 1, 0) if kind == "alpha_trimmed" else None)
    if trim % 2:
        raise ValueError(f"trim must be even, got {trim}")
    if kind == "adaptive_median":
        return adaptive_median(image, max_size=max(3, min(size + 4, 15)))
    if kind == "alpha_trimmed":
        windows = np.lib.stride_tricks.sliding_window_view(_padded(image, size // 2), (size, size))
        ordered = np.sort(windows.reshape(*image.shape, size * size), axis=-1)
        return to_uint8(ordered[..., trim // 2: size * size - trim // 2].mean(axis=-1))
    low, median, high = _rank_filters(image, size)
    if kind == "midpoint":
        return to_uint8((low.astype(np.float64) + high) / 2)
    return {"min": low, "median": median, "max": high}[kind]


def adaptive_median(image: np.ndarray, *, max_size: int = 7) -> np.ndarray:
    """The adaptive median filter (Gonzalez & Woods): a window that grows until its median is not an extreme.

    For each pixel z, starting with a 3 × 3 window: if ``min < median < max`` the median is trustworthy, and
    the pixel keeps z when ``min < z < max`` (it is not an impulse) or becomes the median otherwise. If the
    median is itself an extreme, the window grows by 2; past `max_size` the pixel becomes that last median.

    Parameters
    ----------
    image : ndarray of uint8, shape (H, W)
    max_size : int
        Largest odd window side, 3 to 15.

    Returns
    -------
    ndarray of uint8, shape (H, W)
    """
    check_gray(image)
    max_size = check_int(max_size, name="max_size", low=3, high=15, odd=True)
    result = np.zeros_like(image)
    undecided = np.ones(image.shape, bool)
    for size in range(3, max_size + 1, 2):
        low, median, high = _rank_filters(image, size)
        trusted = undecided & (low < median) & (median < high)
        keep = (low < image) & (image < high)
        result[trusted] = np.where(keep, image, median)[trusted]
        undecided &= ~trusted
        if size == max_size:
            result[undecided] = median[undecided]
    return result


@dataclass(frozen=True)
class OrderComparison:
    """PSNR of each order-statistic filter on salt-and-pepper noise of rising density.

    Attributes
    ----------
    densities : tuple of float
        Share of pixels hit.
    noisy : tuple of float
        PSNR of the noisy image itself at each density (dB; ``inf`` when equal).
    filtered : dict of str to tuple of float
        PSNR after each filter of `ORDER_FILTERS`, at each density.
    """

    densities: tuple[float, ...]
    noisy: tuple[float, ...]
    filtered: dict[str, tuple[float, ...]]


def compare_order_filters(
    image: np.ndarray, *, densities: tuple[float, ...], size: int = 3, trim: int = 2, seed: int = 0
) -> OrderComparison:
    """Add salt-and-pepper noise at each density, filter it with every order-statistic filter, measure PSNR.

    Parameters
    ----------
    image : ndarray of uint8, shape (H, W)
        The clean image.
    densities : tuple of float
        Shares of pixels hit, each 0 to 1.
    size, trim : int
        See `order_filter`.
    seed : int
        Seed of the noise.

    Returns
    -------
    OrderComparison
    """
    check_gray(image)
    noisy_images = [add_noise(image, model="salt_pepper", level=100 * check_float(d, name="densities", low=0,
                                                                                   high=1), seed=seed)
                    for d in densities]
    filtered = {kind: tuple(psnr(image, order_filter(noisy, kind=kind, size=size, trim=trim))
                            for noisy in noisy_images) for kind in ORDER_FILTERS}
    return OrderComparison(tuple(float(d) for d in densities), tuple(psnr(image, n) for n in noisy_images), filtered)


# --------------------------------------------------------------------------- point-spread functions


def motion_psf(*, length: int, angle: float) -> np.ndarray:
    """The PSF of a straight camera shake: a line `length` pixels long, normalised to sum 1.

    A horizontal line of ones (half weights at both ends for an even length, so it is exactly `length`
    long) in the middle row of a square of odd side ``2 (length // 2) + 3``, rotated about the centre by
    `angle` with ``cv2.warpAffine`` (bilinear).

    Parameters
    ----------
    length : int
        1 to `MOTION_LENGTH_MAX` (61) pixels; 1 is no blur.
    angle : float
        Degrees counter-clockwise on screen from horizontal.

    Returns
    -------
    ndarray of float64, shape (k, k), sums to 1, centre at ``(k // 2, k // 2)``; ``[[1.0]]`` for length 1
    """
    length = check_int(length, name="length", low=1, high=MOTION_LENGTH_MAX)
    angle = check_float(angle, name="angle")
    if length == 1:
        return np.ones((1, 1))  # a point: no blur in any direction
    half = length // 2
    side = 2 * half + 3
    centre = side // 2
    line = np.zeros((side, side))
    line[centre, centre - half: centre + half + 1] = 1.0
    if length % 2 == 0:
        line[centre, [centre - half, centre + half]] = 0.5
    rotation = cv2.getRotationMatrix2D((centre, centre), angle, 1.0)
    psf = cv2.warpAffine(line, rotation, (side, side), flags=cv2.INTER_LINEAR)
    return psf / psf.sum()


def defocus_psf(*, radius: int) -> np.ndarray:
    """The PSF of an out-of-focus lens: a filled disc (``cv2.circle``) of `radius` pixels, normalised to sum 1.

    Parameters
    ----------
    radius : int
        0 to 30; 0 is no blur.

    Returns
    -------
    ndarray of float64, shape (2 radius + 1, 2 radius + 1)
    """
    radius = check_int(radius, name="radius", low=0, high=30)
    disc = np.zeros((2 * radius + 1, 2 * radius + 1))
    cv2.circle(disc, (radius, radius), radius, 1.0, thickness=-1)
    return disc / disc.sum()


def point_spread_function(*, kind: str, length: int = 15, angle: float = 0.0, radius: int = 5) -> np.ndarray:
    """`motion_psf` (`length`, `angle`) or `defocus_psf` (`radius`), by `kind` ("motion" or "defocus")."""
    check_choice(kind, name="kind", choices=PSF_KINDS)
    return motion_psf(length=length, angle=angle) if kind == "motion" else defocus_psf(radius=radius)


def _check_psf(psf: np.ndarray) -> np.ndarray:
    if not isinstance(psf, np.ndarray) or psf.ndim != 2 or 0 in psf.shape or not np.all(np.isfinite(psf)):
        raise ValueError("psf must be a non-empty 2-D array of finite numbers")
    if psf.shape[0] % 2 == 0 or psf.shape[1] % 2 == 0:
        raise ValueError(f"psf must have odd sides (a centre pixel), got shape {psf.shape}")
    return psf


def transfer_function(psf: np.ndarray, shape: tuple[int, ...], *, real: bool = False) -> np.ndarray:
    """The PSF's DFT at an image's size (its optical transfer function H), for periodic convolution.

    The PSF's centre goes to pixel (0, 0) and the rest wraps around the borders (a PSF larger than the
    image wraps onto itself, as a periodic blur does).

    Parameters
    ----------
    psf : ndarray of float, shape (k, l), odd sides
    shape : tuple of int
        ``(H, W)`` of the image.
    real : bool
        Return ``np.fft.rfft2`` (shape ``(H, W // 2 + 1)``) instead of ``np.fft.fft2``.

    Returns
    -------
    ndarray of complex128, uncentred (u = v = 0 at [0, 0])
    """
    _check_psf(psf)
    height, width = (check_int(side, name="shape", low=1) for side in shape[:2])
    rows = (np.arange(psf.shape[0]) - psf.shape[0] // 2) % height
    cols = (np.arange(psf.shape[1]) - psf.shape[1] // 2) % width
    placed = np.zeros((height, width))
    np.add.at(placed, np.ix_(rows, cols), psf)
    return np.fft.rfft2(placed) if real else np.fft.fft2(placed)


def psf_pictures(psf: np.ndarray, shape: tuple[int, ...]) -> tuple[np.ndarray, np.ndarray]:
    """(the PSF enlarged with a grid, its transfer function's magnitude at `shape`, centred, log scale).

    Returns
    -------
    psf_picture : ndarray of uint8, shape (k · c + 1, l · c + 1, 3)
        Black 0 to white at the PSF's largest weight, each weight a cell of about 300 / k pixels.
    spectrum_picture : ndarray of uint8, shape (H, W)
        ``log10 |H|`` from -3 (black: |H| ≤ 0.001, where inverse filtering divides by almost nothing)
        to 0 (white: passed unchanged).
    """
    _check_psf(psf)
    shown = to_uint8(psf, low=0.0, high=max(float(psf.max()), 1e-12))
    cell = int(np.clip(300 // max(psf.shape), 4, 64))
    magnitude = np.abs(np.fft.fftshift(transfer_function(psf, shape)))
    return draw_cells(shown, cell=cell), to_uint8(np.log10(np.maximum(magnitude, 1e-3)), low=-3.0, high=0.0)


@dataclass(frozen=True)
class Response:
    """A PSF's transfer function and the restoring filters' gains along one direction.

    Attributes
    ----------
    frequency : ndarray of float64, shape (n,)
        Cycles per pixel, 0 to 0.5, along the direction.
    magnitude : ndarray of float64, shape (n,)
        ``|H|`` there.
    inverse : ndarray of float64, shape (n,)
        The inverse filter's gain: ``1 / |H|`` where ``|H| >= threshold``, else 0.
    wiener : ndarray of float64, shape (n,)
        The Wiener filter's gain ``|H| / (|H|² + K)``.
    lowest, lowest_at : float
        The smallest ``|H|`` and the frequency where it is.
    """

    frequency: np.ndarray
    magnitude: np.ndarray
    inverse: np.ndarray
    wiener: np.ndarray
    lowest: float
    lowest_at: float


def filter_response(psf: np.ndarray, *, angle: float, threshold: float, balance: float, samples: int = 241) -> Response:
    """Evaluate H (the PSF's continuous Fourier transform) and both filters' gains along a direction.

    Parameters
    ----------
    psf : ndarray of float, shape (k, l), odd sides
    angle : float
        Direction in degrees, counter-clockwise on screen from horizontal (a motion blur's own angle is where
        it blurs most).
    threshold, balance : float
        The inverse filter's cut-off ε and the Wiener filter's K (see `inverse_filter`, `wiener_filter`).
    samples : int
        Frequencies from 0 to 0.5, 2 to 2001.

    Returns
    -------
    Response
    """
    _check_psf(psf)
    angle = math.radians(check_float(angle, name="angle"))
    threshold = check_float(threshold, name="threshold", low=0.0)
    balance = check_float(balance, name="balance", low=0.0)
    samples = check_int(samples, name="samples", low=2, high=2001)
    frequency = np.linspace(0.0, 0.5, samples)
    rows, cols = np.indices(psf.shape)
    x, y = (cols - psf.shape[1] // 2).ravel(), (rows - psf.shape[0] // 2).ravel()
    phase = np.outer(frequency, math.cos(angle) * x - math.sin(angle) * y)
    magnitude = np.abs(np.exp(-2j * np.pi * phase) @ psf.ravel())
    safe = np.maximum(magnitude, 1e-300)
    inverse = np.where(magnitude >= max(threshold, 1e-300), 1.0 / safe, 0.0)
    lowest = int(np.argmin(magnitude))
    wiener = np.divide(magnitude, magnitude**2 + balance, out=np.zeros_like(magnitude), where=magnitude > 0)
    return Response(frequency, magnitude, inverse, wiener, float(magnitude[lowest]), float(frequency[lowest]))


# --------------------------------------------------------------------------- degradation and restoration


def degrade(image: np.ndarray, psf: np.ndarray, *, noise: float, seed: int = 0, border: str = "periodic") -> np.ndarray:
    """Blur a grey image with a PSF and add Gaussian noise: ``g = h * f + n``.

    Parameters
    ----------
    image : ndarray of uint8, shape (H, W)
    psf : ndarray of float, shape (k, l), odd sides
    noise : float
        Standard deviation of the noise in grey levels, 0 to 50.
    seed : int
        Seed of ``np.random.default_rng``.
    border : {"periodic", "reflect"}
        ``"periodic"``: the image wraps around (``G = H F``, as the DFT assumes). ``"reflect"``: the image is
        mirrored past its borders (edge repeated), as a camera sees a scene that goes on past the frame.

    Returns
    -------
    ndarray of uint8, shape (H, W)
        Rounded and clipped.
    """
    check_gray(image)
    _check_psf(psf)
    noise = check_float(noise, name="noise", low=0.0, high=50.0)
    check_choice(border, name="border", choices=("periodic", "reflect"))
    values = image.astype(np.float64)
    if border == "periodic":
        blurred = np.fft.irfft2(np.fft.rfft2(values) * transfer_function(psf, image.shape, real=True),
                                s=image.shape)
    else:
        top, left = psf.shape[0] // 2, psf.shape[1] // 2
        padded = np.pad(values, ((top, top), (left, left)), mode="symmetric")
        blurred = cv2.filter2D(padded, -1, cv2.flip(psf, -1), borderType=cv2.BORDER_CONSTANT)
        blurred = blurred[top: top + image.shape[0], left: left + image.shape[1]]
    rng = np.random.default_rng(check_int(seed, name="seed", low=0))
    return to_uint8(blurred + rng.normal(0.0, noise, image.shape))


def inverse_filter(degraded: np.ndarray, psf: np.ndarray, *, threshold: float = 0.01) -> np.ndarray:
    """Undo a periodic blur by dividing the spectrum by H, ``F̂ = G / H``, where ``|H| >= threshold``.

    Where ``|H| < threshold`` (the blur left almost nothing) that frequency is dropped instead: dividing
    there would multiply the noise by more than ``1 / threshold``.

    Parameters
    ----------
    degraded : ndarray of uint8, shape (H, W)
    psf : ndarray of float, shape (k, l), odd sides
    threshold : float
        ε, 1e-6 to 1.

    Returns
    -------
    ndarray of float64, shape (H, W), grey levels (not clipped)
    """
    check_gray(degraded, name="degraded")
    threshold = check_float(threshold, name="threshold", low=1e-6, high=1.0)
    transfer = transfer_function(psf, degraded.shape, real=True)
    kept = np.abs(transfer) >= threshold
    ratio = np.zeros_like(transfer)
    ratio[kept] = 1.0 / transfer[kept]
    return np.fft.irfft2(np.fft.rfft2(degraded.astype(np.float64)) * ratio, s=degraded.shape)


def wiener_filter(degraded: np.ndarray, psf: np.ndarray, *, balance: float = 0.01) -> np.ndarray:
    """The Wiener filter with a constant noise-to-signal ratio K: ``F̂ = H* G / (|H|² + K)``.

    Equals ``skimage.restoration.wiener(degraded, psf, balance=K, reg=np.ones((1, 1)), clip=False)``.

    Parameters
    ----------
    degraded : ndarray of uint8, shape (H, W)
    psf : ndarray of float, shape (k, l), odd sides
    balance : float
        K, 0 to 100: 0 is the plain inverse filter; larger K trusts the data less where H is small.

    Returns
    -------
    ndarray of float64, shape (H, W), grey levels (not clipped)
    """
    check_gray(degraded, name="degraded")
    balance = check_float(balance, name="balance", low=0.0, high=100.0)
    transfer = transfer_function(psf, degraded.shape, real=True)
    power = np.abs(transfer) ** 2 + balance
    gain = np.divide(np.conj(transfer), power, out=np.zeros_like(transfer), where=power > 0)
    return np.fft.irfft2(np.fft.rfft2(degraded.astype(np.float64)) * gain, s=degraded.shape)


def _richardson_lucy_steps(degraded: np.ndarray, psf: np.ndarray, iterations: int):
    """Yield the Richardson-Lucy estimate (0-1 scale) after each of `iterations` periodic iterations.

    In float32 with ``scipy.fft`` (five times faster than float64 here; the estimate agrees with a float64
    computation to about 1e-5 of the range).
    """
    observed = degraded.astype(np.float32) / np.float32(255.0)
    transfer = transfer_function(psf, degraded.shape, real=True).astype(np.complex64)
    mirrored = np.conj(transfer)  # the flipped PSF, in periodic convolution
    estimate = np.full(degraded.shape, 0.5, np.float32)
    for _ in range(iterations):
        blurred = sfft.irfft2(sfft.rfft2(estimate) * transfer, s=degraded.shape) + np.float32(1e-12)
        estimate *= sfft.irfft2(sfft.rfft2(observed / blurred) * mirrored, s=degraded.shape)
        yield estimate


def richardson_lucy(degraded: np.ndarray, psf: np.ndarray, *, iterations: int = 20) -> np.ndarray:
    """Richardson-Lucy deconvolution with periodic borders.

    Starting from 0.5 everywhere (on a 0-1 scale), each iteration multiplies the estimate x by
    ``h' * (g / (h * x))`` (``h'`` the flipped PSF): the iteration of
    ``skimage.restoration.richardson_lucy`` with ``clip=False``, with periodic convolution instead of
    zero borders. It keeps the estimate positive; with noise, too many iterations amplify it.

    Parameters
    ----------
    degraded : ndarray of uint8, shape (H, W)
    psf : ndarray of float, shape (k, l), odd sides, non-negative
    iterations : int
        1 to 500.

    Returns
    -------
    ndarray of float64, shape (H, W), grey levels (0-255 scale, not clipped)
    """
    check_gray(degraded, name="degraded")
    iterations = check_int(iterations, name="iterations", low=1, high=500)
    if np.any(_check_psf(psf) < 0):
        raise ValueError("psf must not be negative for Richardson-Lucy")
    for estimate in _richardson_lucy_steps(degraded, psf, iterations):
        pass
    return estimate.astype(np.float64) * 255.0


@dataclass(frozen=True)
class Series:
    """Richardson-Lucy after every iteration, for showing any count at once.

    Attributes
    ----------
    pictures : ndarray of uint8, shape (n, H, W)
        ``pictures[i]`` is the estimate after ``i + 1`` iterations, rounded and clipped (as `restore` gives).
    psnr : ndarray of float64, shape (n,)
        Its PSNR against the reference (``inf`` where equal).
    """

    pictures: np.ndarray
    psnr: np.ndarray

    def shortfall(self, iterations: int) -> float:
        """PSNR after `iterations` minus the best PSNR of any count here (0 at the best, negative elsewhere;
        ``nan`` when undefined, as when every result equals the reference)."""
        iterations = check_int(iterations, name="iterations", low=1, high=len(self.psnr))
        chosen, best = float(self.psnr[iterations - 1]), float(self.psnr.max())
        return chosen - best if math.isfinite(chosen) and math.isfinite(best) else math.nan


def richardson_lucy_series(degraded: np.ndarray, psf: np.ndarray, reference: np.ndarray, *, iterations: int = 100
                           ) -> Series:
    """Run `richardson_lucy` once for `iterations` and keep every intermediate result and its PSNR.

    Parameters
    ----------
    degraded : ndarray of uint8, shape (H, W)
    psf : ndarray of float, shape (k, l), odd sides, non-negative
    reference : ndarray of uint8, shape (H, W)
        The original, for the PSNR.
    iterations : int
        1 to 500 (a 256 × 256 image costs 64 KB per iteration).

    Returns
    -------
    Series
    """
    check_gray(reference, name="reference")
    check_gray(degraded, name="degraded")
    iterations = check_int(iterations, name="iterations", low=1, high=500)
    if np.any(_check_psf(psf) < 0):
        raise ValueError("psf must not be negative for Richardson-Lucy")
    pictures = np.stack([to_uint8(x.astype(np.float64) * 255.0)
                         for x in _richardson_lucy_steps(degraded, psf, iterations)])
    return Series(pictures, np.array([psnr(reference, picture) for picture in pictures]))


def series_picture(series: Series, *, iterations: int) -> np.ndarray:
    """The Richardson-Lucy result after `iterations` (1 to the series' length): a copy of one of its pictures.

    Returns
    -------
    ndarray of uint8, shape (H, W)
    """
    iterations = check_int(iterations, name="iterations", low=1, high=len(series.psnr))
    return series.pictures[iterations - 1].copy()


def patch_picture(image: np.ndarray, *, box: tuple[int, int, int, int], zoom: int = 2) -> np.ndarray:
    """An enlarged RGB copy of a grey image with a patch outlined in yellow, for clicking on.

    Parameters
    ----------
    image : ndarray of uint8, shape (H, W)
    box : tuple of int
        ``(top, left, bottom, right)`` of the patch, end exclusive.
    zoom : int
        Each pixel drawn `zoom` × `zoom`, 1 to 8.

    Returns
    -------
    ndarray of uint8, shape (H · zoom, W · zoom, 3)
    """
    check_gray(image)
    zoom = check_int(zoom, name="zoom", low=1, high=8)
    top, left, bottom, right = (check_int(v, name="box", low=0) for v in box)
    enlarged = np.repeat(np.repeat(image, zoom, axis=0), zoom, axis=1)
    picture = cv2.cvtColor(enlarged, cv2.COLOR_GRAY2RGB)
    cv2.rectangle(picture, (left * zoom, top * zoom), (right * zoom - 1, bottom * zoom - 1), (255, 191, 0), 2)
    return picture


def restore(
    degraded: np.ndarray, psf: np.ndarray, *, method: str, threshold: float = 0.01, balance: float = 0.01,
    iterations: int = 20,
) -> np.ndarray:
    """`inverse_filter`, `wiener_filter` or `richardson_lucy`, by `method`, rounded and clipped for showing.

    Returns
    -------
    ndarray of uint8, shape (H, W)
    """
    check_choice(method, name="method", choices=METHODS)
    if method == "inverse":
        values = inverse_filter(degraded, psf, threshold=threshold)
    elif method == "wiener":
        values = wiener_filter(degraded, psf, balance=balance)
    else:
        values = richardson_lucy(degraded, psf, iterations=iterations)
    return to_uint8(values)


@dataclass(frozen=True)
class Scores:
    """PSNR (dB, ``inf`` when equal) and SSIM (``nan`` below 7 pixels a side) of a result against the original."""

    psnr: float
    ssim: float


def scores(reference: np.ndarray, test: np.ndarray) -> Scores:
    """`processing.filters.psnr` and `processing.filters.ssim` of `test` against `reference` (uint8, same shape)."""
    small = min(reference.shape[:2]) < 7
    return Scores(psnr(reference, test), math.nan if small else ssim(reference, test))
