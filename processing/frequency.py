"""The frequency domain: an image's 2-D DFT, filters that mask it, gratings, notches, magnitude and phase.

Conventions are NumPy's (``np.fft.fft2``). An image of H rows and W columns has the spectrum

    F(v, u) = sum over y, x of f(y, x) · exp(-2πi (u x / W + v y / H)),

where u counts cycles across the image's width and v cycles down its height; ``u / W`` and ``v / H`` are
frequencies in cycles per pixel, and 0.5 (two pixels per cycle) is the highest an image holds. Spectra
are returned *centred* (``np.fft.fftshift``): u = v = 0 sits at row ``H // 2``, column ``W // 2``, u grows
to the right and v downwards, as rows do. ``cv2.dft(np.float32(f), flags=cv2.DFT_COMPLEX_OUTPUT)`` computes
the same numbers (uncentred, as two channels: real and imaginary).

Speed on the project's 2-core machine: ``np.fft.fft2`` of 512 × 512 float64 takes 10-25 ms, so the
lesson works on a copy whose longer side is at most `MAX_SIDE` (`fit_within`) and a filter (mask, product,
inverse DFT, pictures) stays well under 100 ms.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

from processing._checks import check_choice, check_float, check_gray, check_image, check_int
from processing.display import to_uint8

__all__ = [
    "BorderEffect", "Component", "FILTER_KINDS", "FilterResult", "MAX_SIDE", "NOISE_FREQUENCY", "NotchResult",
    "PASS_TYPES", "Pattern", "Spectrum", "Swap", "add_periodic_noise", "axis_energy_share", "blur_difference",
    "border_effect", "component", "filter_mask", "filter_spectrum", "fit_within", "frequencies", "gaussian_sigma",
    "grating", "log_magnitude_picture", "noise_position", "notch_filter", "pattern_from_gratings",
    "periodic_gaussian_blur", "spectrum", "swap_magnitude_phase",
]

#: Longest side of the copy the lesson transforms (see the module docstring).
MAX_SIDE = 512
FILTER_KINDS = ("ideal", "butterworth", "gaussian")
PASS_TYPES = ("low", "high")
#: Frequency of the periodic noise of the notch section, cycles per pixel (across, down): stripes about
#: five pixels apart, tilted, far enough from the centre to be told apart from the image's own energy.
NOISE_FREQUENCY = (0.16, -0.1)


def fit_within(image: np.ndarray, *, max_side: int = MAX_SIDE) -> np.ndarray:
    """Shrink an image (area interpolation) so that its longer side is at most `max_side`; never enlarge.

    Parameters
    ----------
    image : ndarray of uint8, shape (H, W) or (H, W, 3)
    max_side : int
        Longest side allowed, at least 1.

    Returns
    -------
    ndarray of uint8
        `image` itself when it fits, else ``cv2.resize(image, (w, h), interpolation=cv2.INTER_AREA)`` with
        ``w, h = round(W · s), round(H · s)`` (at least 1) and ``s = max_side / max(H, W)``.
    """
    check_image(image)
    max_side = check_int(max_side, name="max_side", low=1)
    height, width = image.shape[:2]
    if max(height, width) <= max_side:
        return image
    scale = max_side / max(height, width)
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    return cv2.resize(image, size, interpolation=cv2.INTER_AREA)


def frequencies(shape: tuple[int, ...]) -> tuple[np.ndarray, np.ndarray]:
    """The frequency of every place of a centred spectrum, in cycles per pixel.

    Parameters
    ----------
    shape : tuple of int
        ``(H, W, ...)`` of the image; only the first two are used.

    Returns
    -------
    fy : ndarray of float64, shape (H, 1)
        ``np.fft.fftshift(np.fft.fftfreq(H))``: -0.5 (or just above) at the top, 0 at row ``H // 2``.
    fx : ndarray of float64, shape (1, W)
        The same across the columns.
    """
    height, width = (check_int(side, name="shape", low=1) for side in shape[:2])
    return (np.fft.fftshift(np.fft.fftfreq(height))[:, np.newaxis],
            np.fft.fftshift(np.fft.fftfreq(width))[np.newaxis, :])


def _check_transform(transform: np.ndarray, name: str = "transform") -> np.ndarray:
    if not isinstance(transform, np.ndarray) or transform.ndim != 2 or 0 in transform.shape:
        raise ValueError(f"{name} must be a non-empty 2-D array (a centred spectrum), got {transform!r:.60}")
    if not np.iscomplexobj(transform):
        raise ValueError(f"{name} must be complex (a spectrum), got dtype {transform.dtype}")
    return transform


def log_magnitude_picture(transform: np.ndarray, *, low: float | None = None, high: float | None = None) -> np.ndarray:
    """Show a spectrum's magnitude on a log scale: ``log(1 + |F|)`` from `low` (black) to `high` (white).

    Parameters
    ----------
    transform : ndarray of complex, shape (H, W)
        A centred spectrum.
    low, high : float, optional
        The values of ``log(1 + |F|)`` drawn black and white; by default its 1st percentile (the floor most
        of the spectrum sits on, so the structure above it shows) and its largest (the mean's, at the centre).
        Give the unmasked spectrum's to draw a masked spectrum on the same scale (removed places: black).

    Returns
    -------
    ndarray of uint8, shape (H, W)
    """
    _check_transform(transform)
    values = np.log1p(np.abs(transform))
    top = float(values.max()) if high is None else check_float(high, name="high", low=0.0)
    bottom = float(np.percentile(values, 1)) if low is None else check_float(low, name="low", low=0.0)
    bottom = min(bottom, top * 0.99)
    return to_uint8(values, low=bottom, high=max(top, bottom + 1e-12))


@dataclass(frozen=True)
class Spectrum:
    """The DFT of a grey image, centred, with its two pictures.

    Attributes
    ----------
    transform : ndarray of complex128, shape (H', W')
        ``np.fft.fftshift(np.fft.fft2(f))`` of the (windowed, padded) image.
    magnitude_picture : ndarray of uint8, shape (H', W')
        ``log(1 + |F|)``, black at `floor` to white at `peak` (`log_magnitude_picture`).
    phase_picture : ndarray of uint8, shape (H', W')
        The phase angle, black -π to white +π.
    floor, peak : float
        The values of ``log(1 + |F|)`` drawn black and white in `magnitude_picture`.
    image : ndarray of uint8, shape (H', W')
        What was transformed (the image, windowed and padded if asked), for showing.
    """

    transform: np.ndarray
    magnitude_picture: np.ndarray
    phase_picture: np.ndarray
    floor: float
    peak: float
    image: np.ndarray


def spectrum(image: np.ndarray, *, window: str = "none", zero_pad: bool = False) -> Spectrum:
    """The centred 2-D DFT of a grey image.

    Parameters
    ----------
    image : ndarray of uint8, shape (H, W)
    window : {"none", "hann"}
        ``"hann"`` multiplies the image by a Hann window (``np.outer(np.hanning(H), np.hanning(W))``) first,
        so it fades to black at every border and the periodic copies the DFT assumes meet without a jump.
    zero_pad : bool
        Put the (windowed) image in the top-left corner of a black canvas twice as high and wide: the
        spectrum is then sampled twice as finely, with no new information.

    Returns
    -------
    Spectrum
    """
    check_gray(image)
    check_choice(window, name="window", choices=("none", "hann"))
    values = image.astype(np.float64)
    if window == "hann":
        values = values * np.outer(np.hanning(image.shape[0]), np.hanning(image.shape[1]))
    if zero_pad:
        values = np.pad(values, ((0, image.shape[0]), (0, image.shape[1])))
    transform = np.fft.fftshift(np.fft.fft2(values))
    logs = np.log1p(np.abs(transform))
    peak, floor = float(logs.max()), min(float(np.percentile(logs, 1)), float(logs.max()) * 0.99)
    return Spectrum(transform, log_magnitude_picture(transform, low=floor, high=peak),
                    to_uint8(np.angle(transform), low=-math.pi, high=math.pi), floor, peak, to_uint8(values))


def filter_mask(shape: tuple[int, ...], *, kind: str, pass_type: str, cutoff: float, order: int = 2) -> np.ndarray:
    """A centred frequency mask: how much of each frequency a filter keeps (0 to 1).

    With ``D`` the distance from the centre in cycles per pixel and ``D0 = cutoff``, the low-passes are
    ideal ``D <= D0``, Butterworth ``1 / (1 + (D / D0)^(2n))`` and Gaussian ``exp(-D² / (2 D0²))``; each
    high-pass is ``1 - low-pass``.

    Parameters
    ----------
    shape : tuple of int
        ``(H, W)`` of the spectrum.
    kind : {"ideal", "butterworth", "gaussian"}
    pass_type : {"low", "high"}
    cutoff : float
        ``D0`` in cycles per pixel, 0.001 to 0.75 (the corners of a spectrum are at 0.707).
    order : int
        Butterworth order ``n``, 1 to 20; ignored by the others.

    Returns
    -------
    ndarray of float64, shape (H, W), values in [0, 1]
    """
    check_choice(kind, name="kind", choices=FILTER_KINDS)
    check_choice(pass_type, name="pass_type", choices=PASS_TYPES)
    cutoff = check_float(cutoff, name="cutoff", low=0.001, high=0.75)
    order = check_int(order, name="order", low=1, high=20)
    fy, fx = frequencies(shape)
    distance = np.hypot(fy, fx)
    if kind == "ideal":
        low = (distance <= cutoff).astype(np.float64)
    elif kind == "butterworth":
        low = 1.0 / (1.0 + (distance / cutoff) ** (2 * order))
    else:
        low = np.exp(-(distance**2) / (2 * cutoff**2))
    return low if pass_type == "low" else 1.0 - low


@dataclass(frozen=True)
class FilterResult:
    """A spectrum filtered by a mask, and the image it gives back.

    Attributes
    ----------
    mask_picture : ndarray of uint8, shape (H, W)
        The mask, 0 black (removed) to 1 white (kept), framed by a 1-pixel grey (128) border when both sides
        are above 2 pixels.
    masked_picture : ndarray of uint8, shape (H, W)
        ``log(1 + |F · mask|)`` on the same scale as the unmasked spectrum's picture.
    values : ndarray of float64, shape (H, W)
        The filtered image: the real part of the inverse DFT of ``F · mask``.
    picture : ndarray of uint8, shape (H, W)
        For showing: a low-pass's `values` rounded and clipped to 0-255; a high-pass's (centred on 0, its
        mean removed) drawn as ``127.5 + values``, rounded and clipped.
    kept_energy : float
        Share of the spectrum's energy ``sum |F|²`` that the mask keeps, 0 to 1.
    low, high : float
        The smallest and largest of `values` (a filtered image can leave 0-255).
    """

    mask_picture: np.ndarray
    masked_picture: np.ndarray
    values: np.ndarray
    picture: np.ndarray
    kept_energy: float
    low: float
    high: float


def filter_spectrum(
    transform: np.ndarray, *, kind: str, pass_type: str, cutoff: float, order: int = 2
) -> FilterResult:
    """Filter an image in the frequency domain: multiply its spectrum by a `filter_mask`, transform back.

    Parameters
    ----------
    transform : ndarray of complex, shape (H, W)
        The image's centred spectrum (`spectrum`).
    kind, pass_type, cutoff, order
        See `filter_mask`.

    Returns
    -------
    FilterResult
    """
    _check_transform(transform)
    mask = filter_mask(transform.shape, kind=kind, pass_type=pass_type, cutoff=cutoff, order=order)
    masked = transform * mask
    values = np.fft.ifft2(np.fft.ifftshift(masked)).real
    energy = float(np.sum(np.abs(transform) ** 2))
    kept = float(np.sum(np.abs(masked) ** 2)) / energy if energy > 0 else 1.0
    logs = np.log1p(np.abs(transform))
    peak, floor = float(logs.max()), min(float(np.percentile(logs, 1)), float(logs.max()) * 0.99)
    picture = to_uint8(values) if pass_type == "low" else to_uint8(values, low=-127.5, high=127.5)
    mask_picture = to_uint8(mask, low=0.0, high=1.0)
    if min(mask.shape) > 2:  # a grey frame, so a mostly white (high-pass) mask does not melt into the page
        mask_picture[[0, -1], :] = mask_picture[:, [0, -1]] = 128
    return FilterResult(mask_picture, log_magnitude_picture(masked, low=floor, high=peak),
                        values, picture, kept, float(values.min()), float(values.max()))


def gaussian_sigma(cutoff: float) -> float:
    """The σ (pixels) of the spatial Gaussian blur whose spectrum is the Gaussian low-pass of `cutoff`.

    A Gaussian of σ pixels has the transfer function ``exp(-2π² σ² D²)``, which is ``exp(-D² / (2 D0²))``
    when ``σ = 1 / (2π D0)``.

    Parameters
    ----------
    cutoff : float
        ``D0`` in cycles per pixel, positive.

    Returns
    -------
    float
    """
    cutoff = check_float(cutoff, name="cutoff", low=1e-6)
    return 1.0 / (2.0 * math.pi * cutoff)


def periodic_gaussian_blur(image: np.ndarray, *, sigma: float) -> np.ndarray:
    """A spatial Gaussian blur that wraps around the borders, as the DFT does.

    The image is tiled around itself (``np.pad(..., mode="wrap")``) by the kernel's radius, blurred with
    ``cv2.GaussianBlur`` (kernel ``2 ceil(4σ) + 1`` wide) and cropped back.

    Parameters
    ----------
    image : ndarray of uint8, shape (H, W)
    sigma : float
        Standard deviation in pixels, 0.1 to 200.

    Returns
    -------
    ndarray of float64, shape (H, W)
    """
    check_gray(image)
    sigma = check_float(sigma, name="sigma", low=0.1, high=200.0)
    radius = math.ceil(4 * sigma)
    tiled = np.pad(image.astype(np.float64), radius, mode="wrap")
    blurred = cv2.GaussianBlur(tiled, (2 * radius + 1, 2 * radius + 1), sigma, sigmaY=sigma)
    return blurred[radius:-radius, radius:-radius]


def blur_difference(image: np.ndarray, values: np.ndarray, *, cutoff: float) -> float:
    """The largest difference between a Gaussian low-pass result and the matching periodic spatial blur.

    Parameters
    ----------
    image : ndarray of uint8, shape (H, W)
        The image that was filtered.
    values : ndarray of float64, shape (H, W)
        Its Gaussian low-pass with `cutoff` (`FilterResult.values`).
    cutoff : float
        ``D0`` in cycles per pixel; the blur uses ``σ = gaussian_sigma(cutoff)`` (at most 200 pixels).

    Returns
    -------
    float
        ``max |values - periodic_gaussian_blur(image, sigma=σ)|`` in grey levels.
    """
    check_gray(image)
    if not isinstance(values, np.ndarray) or values.shape != image.shape:
        raise ValueError(f"values must have the image's shape {image.shape}")
    sigma = min(gaussian_sigma(cutoff), 200.0)
    return float(np.abs(values - periodic_gaussian_blur(image, sigma=max(sigma, 0.1))).max())


@dataclass(frozen=True)
class Component:
    """What one place (u, v) of a spectrum stands for: a sinusoidal grating and how much of it the image holds.

    Attributes
    ----------
    u, v : int
        Cycles across the width and down the height (v counts downwards, as rows do).
    fx, fy : float
        The same in cycles per pixel: ``u / W`` and ``v / H``.
    frequency : float
        ``hypot(fx, fy)`` cycles per pixel.
    period : float
        ``1 / frequency`` pixels from one crest to the next (``inf`` at u = v = 0, the mean).
    angle : float
        Direction in which the grating changes, degrees in [0, 180), counter-clockwise on screen from
        "left to right" (0: vertical stripes; 90: horizontal stripes).
    amplitude : float
        Grey levels: the image holds ``amplitude · cos(2π (u x / W + v y / H) + phase)``; that is
        ``2 |F| / (H W)`` for a pair of points, ``|F| / (H W)`` where (u, v) is its own partner (the mean,
        and the Nyquist frequencies of even sides).
    phase : float
        Radians, -π to π.
    picture : ndarray of uint8, shape (H, W)
        The grating, stretched so that ``-amplitude`` is black and ``+amplitude`` white (mid-grey when flat).
    """

    u: int
    v: int
    fx: float
    fy: float
    frequency: float
    period: float
    angle: float
    amplitude: float
    phase: float
    picture: np.ndarray


def grating(shape: tuple[int, ...], *, u: float, v: float, phase: float = 0.0) -> np.ndarray:
    """A sinusoidal grating ``cos(2π (u x / W + v y / H) + phase)``.

    Parameters
    ----------
    shape : tuple of int
        ``(H, W)``.
    u, v : float
        Cycles across the width and down the height.
    phase : float
        Radians.

    Returns
    -------
    ndarray of float64, shape (H, W), values in [-1, 1]
    """
    height, width = (check_int(side, name="shape", low=1) for side in shape[:2])
    u, v = check_float(u, name="u"), check_float(v, name="v")
    phase = check_float(phase, name="phase")
    y, x = np.mgrid[0:height, 0:width]
    return np.cos(2 * np.pi * (u * x / width + v * y / height) + phase)


def component(transform: np.ndarray, *, u: int, v: int) -> Component:
    """Read one place of a centred spectrum as a grating.

    Parameters
    ----------
    transform : ndarray of complex, shape (H, W)
        A centred spectrum (`spectrum`).
    u : int
        ``-(W // 2)`` to ``W - W // 2 - 1``.
    v : int
        ``-(H // 2)`` to ``H - H // 2 - 1``.

    Returns
    -------
    Component
    """
    _check_transform(transform)
    height, width = transform.shape
    u = check_int(u, name="u", low=-(width // 2), high=width - width // 2 - 1)
    v = check_int(v, name="v", low=-(height // 2), high=height - height // 2 - 1)
    value = transform[v + height // 2, u + width // 2]
    own_partner = (2 * u) % width == 0 and (2 * v) % height == 0
    amplitude = abs(value) / (height * width) * (1 if own_partner else 2)
    fx, fy = u / width, v / height
    frequency = math.hypot(fx, fy)
    phase = float(np.angle(value))
    wave = grating(transform.shape, u=u, v=v, phase=phase)
    picture = to_uint8(wave, low=-1.0, high=1.0) if frequency > 0 else np.full(transform.shape, 128, np.uint8)
    angle = math.degrees(math.atan2(-fy, fx)) % 180.0 if frequency > 0 else 0.0
    return Component(u, v, fx, fy, frequency, 1.0 / frequency if frequency > 0 else math.inf, angle, amplitude,
                     phase, picture)


@dataclass(frozen=True)
class Pattern:
    """A pattern made of gratings, and its spectrum.

    Attributes
    ----------
    picture : ndarray of uint8, shape (size, size)
        The mean of the gratings, drawn from black (-1) to white (+1).
    spectrum_picture : ndarray of uint8, shape (size, size)
        Its centred log-magnitude spectrum, each point drawn 3 × 3 pixels large so it shows.
    peaks : tuple of (int, int)
        ``(u, v)`` of each grating (its partner is at ``(-u, -v)``).
    """

    picture: np.ndarray
    spectrum_picture: np.ndarray
    peaks: tuple[tuple[int, int], ...]


def pattern_from_gratings(gratings: tuple[tuple[float, float], ...], *, size: int = 256) -> Pattern:
    """Add gratings given by frequency and angle, each on whole cycles so the pattern repeats exactly.

    Parameters
    ----------
    gratings : tuple of (float, float)
        ``(frequency in cycles per pixel, 0 to 0.5; angle in degrees)`` of each grating, the angle as in
        `Component`. Each is moved to the nearest whole number of cycles across and down
        (``u = round(f · size · cos θ)``, ``v = round(-f · size · sin θ)``); a frequency of 0 leaves it out.
    size : int
        Side of the square pattern, 4 to 1024.

    Returns
    -------
    Pattern
    """
    size = check_int(size, name="size", low=4, high=1024)
    peaks = []
    total = np.zeros((size, size))
    for index, (frequency, angle) in enumerate(gratings):
        frequency = check_float(frequency, name=f"gratings[{index}] frequency", low=0.0, high=0.5)
        radians = math.radians(check_float(angle, name=f"gratings[{index}] angle"))
        u, v = round(frequency * size * math.cos(radians)), round(-frequency * size * math.sin(radians))
        u, v = min(u, size // 2 - 1) if u > 0 else u, min(v, size // 2 - 1) if v > 0 else v
        if frequency > 0 and (u, v) != (0, 0):
            peaks.append((u, v))
            total += grating((size, size), u=u, v=v)
    total /= max(len(peaks), 1)
    shown = cv2.dilate(log_magnitude_picture(np.fft.fftshift(np.fft.fft2(total))), np.ones((3, 3), np.uint8))
    return Pattern(to_uint8(total, low=-1.0, high=1.0), shown, tuple(peaks))


def noise_position(shape: tuple[int, ...]) -> tuple[int, int]:
    """Where the periodic noise of `NOISE_FREQUENCY` sits in an image's spectrum: ``(u, v)``, whole cycles."""
    height, width = (check_int(side, name="shape", low=1) for side in shape[:2])
    u = min(round(NOISE_FREQUENCY[0] * width), width - width // 2 - 1)
    v = max(round(NOISE_FREQUENCY[1] * height), -(height // 2))
    return u, v


def add_periodic_noise(image: np.ndarray, *, amplitude: float = 40.0) -> np.ndarray:
    """Add a grating of `NOISE_FREQUENCY` (whole cycles: `noise_position`) to a grey image.

    Parameters
    ----------
    image : ndarray of uint8, shape (H, W)
    amplitude : float
        Grey levels, 0 to 255.

    Returns
    -------
    ndarray of uint8, shape (H, W)
        ``image + amplitude · cos(2π (u x / W + v y / H))``, rounded and clipped.
    """
    check_gray(image)
    amplitude = check_float(amplitude, name="amplitude", low=0.0, high=255.0)
    u, v = noise_position(image.shape)
    return to_uint8(image + amplitude * grating(image.shape, u=u, v=v))


@dataclass(frozen=True)
class NotchResult:
    """A notch filter's spectrum picture and result.

    Attributes
    ----------
    spectrum_picture : ndarray of uint8, shape (H, W, 3)
        The input's log-magnitude spectrum in grey, black up to its median so that spikes stand out, each
        place drawn as bright as its brightest neighbour (3 × 3) so a single-place spike shows; the notches
        (removed discs) in red.
    values : ndarray of float64, shape (H, W)
        The filtered image.
    picture : ndarray of uint8, shape (H, W)
        `values` rounded and clipped.
    """

    spectrum_picture: np.ndarray
    values: np.ndarray
    picture: np.ndarray


def notch_filter(image: np.ndarray, *, u: int, v: int, radius: int) -> NotchResult:
    """Remove the frequencies within `radius` of ``(u, v)`` and of its partner ``(-u, -v)`` (an ideal notch).

    Parameters
    ----------
    image : ndarray of uint8, shape (H, W)
    u, v : int
        Centre of the notch in cycles across and down (see `component`).
    radius : int
        Radius of each notch in whole cycles (places of the spectrum), 0 to 100; 0 removes one place.

    Returns
    -------
    NotchResult
    """
    check_gray(image)
    radius = check_int(radius, name="radius", low=0, high=100)
    transform = spectrum(image).transform
    height, width = image.shape
    u = check_int(u, name="u", low=-(width // 2), high=width - width // 2 - 1)
    v = check_int(v, name="v", low=-(height // 2), high=height - height // 2 - 1)
    rows = np.arange(height)[:, np.newaxis] - height // 2
    cols = np.arange(width)[np.newaxis, :] - width // 2
    removed = ((cols - u) ** 2 + (rows - v) ** 2 <= radius**2) | ((cols + u) ** 2 + (rows + v) ** 2 <= radius**2)
    values = np.fft.ifft2(np.fft.ifftshift(np.where(removed, 0, transform))).real
    logs = np.log1p(np.abs(transform))
    # Black from the median up, and every place drawn 3 × 3 (its brightest neighbour): isolated spikes show.
    shown = cv2.dilate(log_magnitude_picture(transform, low=float(np.median(logs)), high=float(logs.max())),
                       np.ones((3, 3), np.uint8))
    picture = np.repeat(shown[:, :, np.newaxis], 3, axis=2)
    picture[removed] = (220, 40, 40)
    return NotchResult(picture, values, to_uint8(values))


@dataclass(frozen=True)
class Swap:
    """Two images with their magnitudes and phases exchanged.

    Attributes
    ----------
    second : ndarray of uint8, shape (H, W)
        The second image, resized to the first's shape.
    first_magnitude : ndarray of uint8, shape (H, W)
        The first image's magnitude with the second's phase, rounded and clipped.
    second_magnitude : ndarray of uint8, shape (H, W)
        The second's magnitude with the first's phase.
    follows_phase : tuple of float
        Correlation of each mix with the image whose *phase* it has (first mix, second mix), -1 to 1.
    follows_magnitude : tuple of float
        Correlation of each mix with the image whose *magnitude* it has.
    """

    second: np.ndarray
    first_magnitude: np.ndarray
    second_magnitude: np.ndarray
    follows_phase: tuple[float, float]
    follows_magnitude: tuple[float, float]


def _correlation(first: np.ndarray, second: np.ndarray) -> float:
    a, b = first.astype(np.float64).ravel(), second.astype(np.float64).ravel()
    a, b = a - a.mean(), b - b.mean()
    scale = math.sqrt(float(a @ a) * float(b @ b))
    return float(a @ b) / scale if scale > 0 else 0.0


def swap_magnitude_phase(first: np.ndarray, second: np.ndarray) -> Swap:
    """Build ``|F1| exp(i ∠F2)`` and ``|F2| exp(i ∠F1)`` and transform them back.

    Parameters
    ----------
    first : ndarray of uint8, shape (H, W)
    second : ndarray of uint8, shape (H2, W2)
        Resized to ``(H, W)`` first (``cv2.INTER_AREA``).

    Returns
    -------
    Swap
    """
    check_gray(first, name="first")
    check_gray(second, name="second")
    second = cv2.resize(second, first.shape[::-1], interpolation=cv2.INTER_AREA)
    f1, f2 = np.fft.fft2(first.astype(np.float64)), np.fft.fft2(second.astype(np.float64))
    mix1 = to_uint8(np.fft.ifft2(np.abs(f1) * np.exp(1j * np.angle(f2))).real)
    mix2 = to_uint8(np.fft.ifft2(np.abs(f2) * np.exp(1j * np.angle(f1))).real)
    return Swap(second, mix1, mix2, (_correlation(mix1, second), _correlation(mix2, first)),
                (_correlation(mix1, first), _correlation(mix2, second)))


def axis_energy_share(transform: np.ndarray, *, beyond: float = 0.05) -> float:
    """Share of a centred spectrum's energy (``|F|²``) beyond `beyond` cycles per pixel that lies on its
    central row and column.

    A jump between opposite borders of an image puts energy along these two lines, out to the highest
    frequencies: the bright cross. Frequencies nearer the centre are left out, where any picture's (and a
    window's) own slow changes dominate.

    Parameters
    ----------
    transform : ndarray of complex, shape (H, W)
    beyond : float
        Cycles per pixel, 0 to 0.5.

    Returns
    -------
    float
        0 to 1 (0 when nothing lies beyond).
    """
    _check_transform(transform)
    beyond = check_float(beyond, name="beyond", low=0.0, high=0.5)
    energy = np.abs(transform) ** 2
    fy, fx = frequencies(transform.shape)
    energy[np.hypot(fy, fx) < beyond] = 0.0
    energy[transform.shape[0] // 2, transform.shape[1] // 2] = 0.0
    height, width = transform.shape
    total = float(energy.sum())
    on_axes = float(energy[height // 2, :].sum() + energy[:, width // 2].sum())
    return on_axes / total if total > 0 else 0.0


@dataclass(frozen=True)
class BorderEffect:
    """The image's spectrum as it is, through a Hann window, and zero-padded to twice its size.

    Attributes
    ----------
    plain, windowed, padded : Spectrum
    shares : tuple of float
        `axis_energy_share` of the three, in that order.
    jumps : tuple of float
        Mean absolute difference (grey levels) between the left and right columns, and between the top and
        bottom rows: where the periodic copies the DFT assumes meet.
    """

    plain: Spectrum
    windowed: Spectrum
    padded: Spectrum
    shares: tuple[float, float, float]
    jumps: tuple[float, float]


def border_effect(image: np.ndarray) -> BorderEffect:
    """Compare the spectrum of a grey image with that of its windowed and its zero-padded versions.

    Parameters
    ----------
    image : ndarray of uint8, shape (H, W)

    Returns
    -------
    BorderEffect
    """
    spectra = (spectrum(image), spectrum(image, window="hann"), spectrum(image, zero_pad=True))
    values = image.astype(np.float64)
    jumps = (float(np.abs(values[:, 0] - values[:, -1]).mean()), float(np.abs(values[0] - values[-1]).mean()))
    return BorderEffect(*spectra, tuple(axis_energy_share(s.transform) for s in spectra), jumps)
