"""Edge detection: gradients, Laplacian, zero crossings and Canny in stages.

All functions take a grey uint8 image ``(H, W)``; convert RGB first. Derivatives
are signed and returned as float32 (exact for these integer kernels on uint8
input: Sobel values stay within ±1020, Scharr within ±4080). Unless stated
otherwise the border is OpenCV's default ``BORDER_REFLECT_101`` (``cb|abcd|cb``).

Image coordinates: x is the column and grows to the right, y is the row and grows
*down*; pixel positions are given as ``row=, col=``. A gradient direction of 90°
therefore points down the screen, and angles turn clockwise on screen.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import cv2
import numpy as np

from processing._checks import check_choice, check_float, check_gray, check_int
from processing.arrays import window_around
from processing.convolution import explain_pixel, kernel_preset
from processing.display import to_uint8
from processing.filters import add_gaussian_noise

__all__ = [
    "EDGE_LABEL_COLORS",
    "NOT_EDGE",
    "OPERATORS",
    "STRONG",
    "WEAK_KEPT",
    "WEAK_REJECTED",
    "CannyStages",
    "CannyView",
    "EdgeCount",
    "EdgeWindow",
    "GradientPictures",
    "GradientVector",
    "NoisyCanny",
    "ResponsePicture",
    "canny_on_noise",
    "canny_opencv",
    "canny_stages",
    "canny_view",
    "count_edges",
    "direction_legend",
    "direction_to_rgb",
    "display_scale",
    "edge_fragments",
    "edge_labels_to_rgb",
    "edge_match",
    "edge_window",
    "gradient_direction",
    "gradient_magnitude",
    "gradient_pictures",
    "gradients",
    "hysteresis",
    "hysteresis_counts",
    "laplacian",
    "laplacian_of_gaussian",
    "magnitude_histogram",
    "non_maximum_suppression",
    "operator_kernels",
    "pixel_gradient",
    "response_picture",
    "strongest_edge",
    "zero_crossings",
]

OPERATORS: tuple[str, ...] = ("sobel", "prewitt", "scharr")

#: Values in the label image returned by `hysteresis`.
NOT_EDGE, WEAK_REJECTED, WEAK_KEPT, STRONG = 0, 1, 2, 3

#: Suggested colours (RGB) for the labels, from the colour-blind-safe Okabe-Ito set.
EDGE_LABEL_COLORS: dict[int, tuple[int, int, int]] = {
    NOT_EDGE: (0, 0, 0),
    WEAK_REJECTED: (213, 94, 0),  # vermillion
    WEAK_KEPT: (86, 180, 233),  # sky blue
    STRONG: (255, 255, 255),
}

_SCHARR_X = np.array([[-3.0, 0.0, 3.0], [-10.0, 0.0, 10.0], [-3.0, 0.0, 3.0]])

# OpenCV's Canny decides the direction sector with fixed-point tan(22.5°): using the
# same constant makes our non-maximum suppression agree with cv2.Canny pixel for pixel.
_TAN_22_5_NUMERATOR, _FIXED_ONE = 13573, 1 << 15  # 13573 / 32768 ≈ 0.414215


def operator_kernels(operator: str) -> tuple[np.ndarray, np.ndarray]:
    """The 3×3 x and y derivative kernels of an operator (for correlation).

    Parameters
    ----------
    operator : {"sobel", "prewitt", "scharr"}

    Returns
    -------
    kx, ky : ndarray of float64, shape (3, 3)
        ``ky`` is ``kx`` transposed. Positive response where the image gets brighter
        to the right (``kx``) or downwards (``ky``).
    """
    check_choice(operator, name="operator", choices=OPERATORS)
    if operator == "scharr":
        kx = _SCHARR_X.copy()
    else:
        kx = kernel_preset(f"{operator}_x", size=3)
    return kx, kx.T.copy()


def gradients(gray: np.ndarray, *, operator: str = "sobel") -> tuple[np.ndarray, np.ndarray]:
    """Horizontal and vertical derivatives.

    Parameters
    ----------
    gray : ndarray of uint8, shape (H, W)
    operator : {"sobel", "prewitt", "scharr"}

    Returns
    -------
    gx, gy : ndarray of float32, shape (H, W)
        Signed: Sobel within ±1020, Prewitt ±765, Scharr ±4080.

    Notes
    -----
    OpenCV equivalent: ``cv2.Sobel(gray, cv2.CV_32F, 1, 0, ksize=3)`` (and 0, 1),
    ``cv2.Scharr(gray, cv2.CV_32F, 1, 0)``; Prewitt has no OpenCV function, so
    ``cv2.filter2D(gray, cv2.CV_32F, kx)`` with the kernel from `operator_kernels`.
    """
    check_gray(gray, name="gray")
    check_choice(operator, name="operator", choices=OPERATORS)
    if operator == "sobel":
        return cv2.Sobel(gray, cv2.CV_32F, 1, 0, ksize=3), cv2.Sobel(
            gray, cv2.CV_32F, 0, 1, ksize=3
        )
    if operator == "scharr":
        return cv2.Scharr(gray, cv2.CV_32F, 1, 0), cv2.Scharr(gray, cv2.CV_32F, 0, 1)
    kx, ky = operator_kernels(operator)
    return cv2.filter2D(gray, cv2.CV_32F, kx), cv2.filter2D(gray, cv2.CV_32F, ky)


def _check_pair(gx: np.ndarray, gy: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    gx, gy = _check_real(gx, name="gx"), _check_real(gy, name="gy")
    if gx.shape != gy.shape:
        raise ValueError(f"gx and gy must have the same shape, got {gx.shape} and {gy.shape}")
    return gx, gy


def _check_real(values: np.ndarray, *, name: str, ndim: int | None = None) -> np.ndarray:
    values = np.asarray(values)
    if values.dtype == np.bool_ or not (
        np.issubdtype(values.dtype, np.integer) or np.issubdtype(values.dtype, np.floating)
    ):
        raise ValueError(f"{name} must be a real numeric array, got dtype {values.dtype}")
    if ndim is not None and values.ndim != ndim:
        raise ValueError(f"{name} must be {ndim}-D, got shape {values.shape}")
    if values.size == 0:
        raise ValueError(f"{name} must not be empty")
    return values


def gradient_magnitude(gx: np.ndarray, gy: np.ndarray) -> np.ndarray:
    """Length of the gradient vector, ``sqrt(gx² + gy²)``.

    Parameters
    ----------
    gx, gy : ndarray of float, same shape

    Returns
    -------
    ndarray of float32, same shape, >= 0
    """
    gx, gy = _check_pair(gx, gy)
    return np.hypot(gx.astype(np.float32, copy=False), gy.astype(np.float32, copy=False))


def gradient_direction(gx: np.ndarray, gy: np.ndarray) -> np.ndarray:
    """Direction of the gradient (towards brighter) in degrees.

    Parameters
    ----------
    gx, gy : ndarray of float, same shape

    Returns
    -------
    ndarray of float32, same shape, in [0, 360)
        0° points right, 90° down (y grows downwards), 180° left, 270° up.
        Where both derivatives are 0 the direction is 0 by convention.
    """
    gx, gy = _check_pair(gx, gy)
    degrees = np.degrees(
        np.arctan2(gy.astype(np.float32, copy=False), gx.astype(np.float32, copy=False))
    )
    degrees = np.mod(degrees, np.float32(360.0))
    # float32 mod can round a tiny negative angle up to exactly 360.
    degrees[degrees >= 360.0] = 0.0
    return degrees


def direction_to_rgb(
    gx: np.ndarray, gy: np.ndarray, *, max_magnitude: float | None = None
) -> np.ndarray:
    """Draw gradient direction as hue and magnitude as brightness.

    Parameters
    ----------
    gx, gy : ndarray of float, shape (H, W)
    max_magnitude : float or None
        Magnitude drawn at full brightness; larger ones are clipped. None uses the
        image's largest magnitude (a flat image is then all black).

    Returns
    -------
    ndarray of uint8, shape (H, W, 3), RGB
        Hue = direction (0° red, 120° green, 240° blue), saturation full,
        value = 255 · magnitude / max_magnitude.

    Notes
    -----
    OpenCV stores 8-bit hue as degrees / 2 (0..179), so the HSV image is built with
    ``hue = direction / 2`` before ``cv2.cvtColor(hsv, cv2.COLOR_HSV2RGB)``.
    """
    gx, gy = _check_pair(gx, gy)
    if gx.ndim != 2:
        raise ValueError(f"gx must be 2-D, got shape {gx.shape}")
    # cartToPolar's angle is accurate to about 0.3°, plenty for a hue in 2° steps.
    magnitude, angle = cv2.cartToPolar(
        gx.astype(np.float32), gy.astype(np.float32), angleInDegrees=True
    )
    if max_magnitude is None:
        scale = float(magnitude.max())
    else:
        scale = check_float(max_magnitude, name="max_magnitude", low=0.0)
    if scale == 0.0:
        return np.zeros(gx.shape + (3,), dtype=np.uint8)
    hsv = np.empty(gx.shape + (3,), dtype=np.uint8)
    hsv[..., 0] = np.rint(angle * 0.5) % 180
    hsv[..., 1] = 255
    hsv[..., 2] = np.clip(np.rint(magnitude * (255.0 / scale)), 0, 255)
    return cv2.cvtColor(hsv, cv2.COLOR_HSV2RGB)


@dataclass(frozen=True)
class GradientVector:
    """One pixel's gradient; see `pixel_gradient`.

    Attributes
    ----------
    neighbourhood : ndarray of float64, shape (3, 3)
        Grey values around the pixel (border values filled in by reflection).
    gx, gy : float
        Derivatives, equal to ``gradients(...)`` at the pixel.
    magnitude : float
        ``hypot(gx, gy)``.
    angle : float
        Direction in degrees, [0, 360), as `gradient_direction`.
    """

    neighbourhood: np.ndarray
    gx: float
    gy: float
    magnitude: float
    angle: float


def pixel_gradient(
    gray: np.ndarray, *, row: int, col: int, operator: str = "sobel"
) -> GradientVector:
    """Gradient vector at one pixel, computed from its 3×3 neighbourhood only.

    Parameters
    ----------
    gray : ndarray of uint8, shape (H, W)
    row, col : int
        ``0 <= row < H``, ``0 <= col < W``.
    operator : {"sobel", "prewitt", "scharr"}

    Returns
    -------
    GradientVector
    """
    check_gray(gray, name="gray")
    kx, ky = operator_kernels(operator)
    along_x = explain_pixel(gray, kx, row=row, col=col, border="reflect")
    along_y = explain_pixel(gray, ky, row=row, col=col, border="reflect")
    gx, gy = along_x.total, along_y.total
    angle = float(np.degrees(np.arctan2(gy, gx))) % 360.0
    return GradientVector(
        neighbourhood=along_x.neighbourhood,
        gx=gx,
        gy=gy,
        magnitude=float(np.hypot(gx, gy)),
        angle=0.0 if angle >= 360.0 else angle,
    )


# --------------------------------------------------------------------------- second derivative


def laplacian(gray: np.ndarray, *, ksize: int = 1) -> np.ndarray:
    """Laplacian ``d²/dx² + d²/dy²`` (``cv2.Laplacian``).

    Parameters
    ----------
    gray : ndarray of uint8, shape (H, W)
    ksize : {1, 3, 5}
        1 uses ``[[0, 1, 0], [1, -4, 1], [0, 1, 0]]``; 3 uses
        ``[[2, 0, 2], [0, -8, 0], [2, 0, 2]]``; 5 sums two 5×5 Sobel second
        derivatives (smoother, much larger values).

    Returns
    -------
    ndarray of float32, shape (H, W), signed
    """
    check_gray(gray, name="gray")
    check_choice(ksize, name="ksize", choices=(1, 3, 5))
    return cv2.Laplacian(gray, cv2.CV_32F, ksize=ksize)


def laplacian_of_gaussian(gray: np.ndarray, *, sigma: float = 2.0) -> np.ndarray:
    """Gaussian blur (in float) followed by the 4-neighbour Laplacian.

    Parameters
    ----------
    gray : ndarray of uint8, shape (H, W)
    sigma : float
        Gaussian standard deviation in pixels, 0.3 to 20. The kernel radius is
        about 4·sigma (OpenCV's rule for float images).

    Returns
    -------
    ndarray of float32, shape (H, W), signed
        Not scale-normalised: responses shrink roughly like 1 / sigma².

    Notes
    -----
    OpenCV equivalent::

        blurred = cv2.GaussianBlur(gray.astype(np.float32), (0, 0), sigma)
        cv2.Laplacian(blurred, cv2.CV_32F, ksize=1)

    Blurring in float matters: blurring the uint8 image would round away the small
    differences the second derivative is made of.
    """
    check_gray(gray, name="gray")
    sigma = check_float(sigma, name="sigma", low=0.3, high=20.0)
    blurred = cv2.GaussianBlur(gray.astype(np.float32), (0, 0), sigma)
    return cv2.Laplacian(blurred, cv2.CV_32F, ksize=1)


def _along(array: np.ndarray, start: int | None, stop: int | None, *, axis: int) -> np.ndarray:
    """``array[start:stop]`` along `axis` (0 rows, 1 columns) as a view."""
    return array[start:stop, :] if axis == 0 else array[:, start:stop]


def zero_crossings(response: np.ndarray, *, threshold: float = 0.0) -> np.ndarray:
    """Where a signed response (Laplacian, LoG) changes sign.

    For each pair of horizontal or vertical neighbours with opposite signs, the one
    closer to zero is marked, giving one-pixel-wide lines. A pixel that is exactly
    0 is marked when its two opposite neighbours (left/right or up/down) have
    opposite signs. A crossing counts only if its slope, the absolute difference
    across it, is at least `threshold`; this removes the many weak crossings that
    noise produces in flat regions.

    Parameters
    ----------
    response : ndarray of float (or int), shape (H, W)
    threshold : float
        Minimum slope, >= 0, in the units of `response`.

    Returns
    -------
    ndarray of bool, shape (H, W)
    """
    values = _check_real(response, name="response", ndim=2)
    if not np.issubdtype(values.dtype, np.floating):
        values = values.astype(np.float64)
    threshold = check_float(threshold, name="threshold", low=0.0)
    sign = np.sign(values).astype(np.int8)  # signs, not products: no underflow to 0
    magnitude = np.abs(values)
    mask = np.zeros(values.shape, dtype=bool)
    for axis in (0, 1):
        part = functools.partial(_along, axis=axis)
        crossing = part(sign, None, -1) * part(sign, 1, None) < 0
        if threshold > 0:
            crossing &= np.abs(part(values, None, -1) - part(values, 1, None)) >= threshold
        first_closer = part(magnitude, None, -1) <= part(magnitude, 1, None)
        part(mask, None, -1)[...] |= crossing & first_closer
        part(mask, 1, None)[...] |= crossing & ~first_closer
        # Exact zeros sitting between a positive and a negative neighbour.
        zero_between = (part(sign, 1, -1) == 0) & (part(sign, None, -2) * part(sign, 2, None) < 0)
        if threshold > 0:
            zero_between &= np.abs(part(values, None, -2) - part(values, 2, None)) >= threshold
        part(mask, 1, -1)[...] |= zero_between
    return mask


# --------------------------------------------------------------------------- Canny


def non_maximum_suppression(gx: np.ndarray, gy: np.ndarray) -> np.ndarray:
    """Keep the gradient magnitude only where it is a maximum across the edge.

    The gradient direction is put in one of four sectors (horizontal, vertical,
    two diagonals) and each pixel is compared with its two neighbours along it,
    exactly as OpenCV's Canny does: the sector limits use OpenCV's fixed-point
    tan(22.5°); a pixel must be strictly larger than the neighbour on the left /
    above and at least as large as the one on the right / below (so a plateau two
    pixels wide keeps one); diagonal comparisons are strict on both sides; outside
    the image the magnitude counts as 0.

    Parameters
    ----------
    gx, gy : ndarray of float, shape (H, W)
        Derivatives, e.g. Sobel.

    Returns
    -------
    ndarray of float32, shape (H, W)
        The magnitude ``hypot(gx, gy)`` at local maxima, 0 elsewhere.
    """
    gx, gy = _check_pair(gx, gy)
    if gx.ndim != 2:
        raise ValueError(f"gx must be 2-D, got shape {gx.shape}")
    gx = gx.astype(np.float32, copy=False)
    gy = gy.astype(np.float32, copy=False)
    # Compare squared magnitudes: for Sobel derivatives of uint8 (integers up to
    # ±1020) every product and sum below is an exact float32 integer, so the strict
    # comparisons see the same numbers as OpenCV's integer code.
    squared = gx * gx + gy * gy
    height, width = squared.shape
    padded = np.zeros((height + 2, width + 2), dtype=np.float32)
    padded[1:-1, 1:-1] = squared
    centre = padded[1:-1, 1:-1]

    def neighbour(dy: int, dx: int) -> np.ndarray:
        return padded[1 + dy : height + 1 + dy, 1 + dx : width + 1 + dx]

    abs_x, abs_y = np.abs(gx), np.abs(gy)
    tan22_x = abs_x * np.float32(_TAN_22_5_NUMERATOR)
    horizontal = abs_y * np.float32(_FIXED_ONE) < tan22_x
    # |gy| > tan(67.5°)·|gx| with tan 67.5° = tan 22.5° + 2, kept exact in float32.
    vertical = (abs_y - 2 * abs_x) * np.float32(_FIXED_ONE) > tan22_x
    diagonal = ~(horizontal | vertical)
    opposite_signs = (gx < 0) != (gy < 0)

    keep = horizontal & (centre > neighbour(0, -1)) & (centre >= neighbour(0, 1))
    keep |= vertical & (centre > neighbour(-1, 0)) & (centre >= neighbour(1, 0))
    # Gradient pointing down-left / up-right: compare the up-right and down-left pixels.
    keep |= diagonal & opposite_signs & (centre > neighbour(-1, 1)) & (centre > neighbour(1, -1))
    keep |= diagonal & ~opposite_signs & (centre > neighbour(-1, -1)) & (centre > neighbour(1, 1))
    return np.where(keep, np.sqrt(squared), np.float32(0.0))


def hysteresis(suppressed: np.ndarray, *, low: float, high: float) -> np.ndarray:
    """Double threshold with hysteresis, as a label image.

    Pixels above `high` are strong edges. Pixels above `low` but not above `high`
    are weak: kept if they are 8-connected (through other pixels above `low`) to a
    strong pixel, rejected otherwise. Comparisons are strict, as in OpenCV.

    Parameters
    ----------
    suppressed : ndarray of float, shape (H, W)
        Thinned gradient magnitude from `non_maximum_suppression` (0 = not a ridge).
    low, high : float
        Thresholds in magnitude units, ``0 <= low <= high``.

    Returns
    -------
    ndarray of uint8, shape (H, W)
        `NOT_EDGE` (0), `WEAK_REJECTED` (1), `WEAK_KEPT` (2) or `STRONG` (3).
        The final edges are ``labels >= WEAK_KEPT``.
    """
    values = _check_real(suppressed, name="suppressed", ndim=2)
    low = check_float(low, name="low", low=0.0)
    high = check_float(high, name="high", low=0.0)
    if low > high:
        raise ValueError(f"low must be at most high, got low={low} and high={high}")
    candidate = values > low
    strong = values > high
    count, components = cv2.connectedComponents(candidate.view(np.uint8), connectivity=8)
    has_strong = np.zeros(count, dtype=bool)
    has_strong[components[strong]] = True
    has_strong[0] = False  # component 0 is the background
    labels = np.full(values.shape, NOT_EDGE, dtype=np.uint8)
    kept = has_strong[components]
    labels[candidate] = WEAK_REJECTED
    labels[candidate & kept] = WEAK_KEPT
    labels[strong] = STRONG
    return labels


def hysteresis_counts(labels: np.ndarray) -> dict[int, int]:
    """How many pixels carry each `hysteresis` label.

    Parameters
    ----------
    labels : ndarray of uint8, shape (H, W), values 0..3

    Returns
    -------
    dict of int to int
        `NOT_EDGE`, `WEAK_REJECTED`, `WEAK_KEPT` and `STRONG` to their pixel counts
        (every label present, summing to ``H * W``).
    """
    labels = np.asarray(labels)
    if labels.dtype != np.uint8 or labels.ndim != 2 or labels.size == 0 or labels.max() > STRONG:
        raise ValueError("labels must be a non-empty 2-D uint8 array with values 0..3")
    counts = np.bincount(labels.ravel(), minlength=4)
    return {label: int(counts[label]) for label in (NOT_EDGE, WEAK_REJECTED, WEAK_KEPT, STRONG)}


def edge_labels_to_rgb(labels: np.ndarray) -> np.ndarray:
    """Colour a `hysteresis` label image with `EDGE_LABEL_COLORS`.

    Parameters
    ----------
    labels : ndarray of uint8, shape (H, W), values 0..3

    Returns
    -------
    ndarray of uint8, shape (H, W, 3), RGB
    """
    labels = np.asarray(labels)
    if labels.dtype != np.uint8 or labels.ndim != 2 or labels.size == 0 or labels.max() > STRONG:
        raise ValueError("labels must be a non-empty 2-D uint8 array with values 0..3")
    palette = np.array([EDGE_LABEL_COLORS[i] for i in range(4)], dtype=np.uint8)
    return palette[labels]


@dataclass(frozen=True)
class CannyStages:
    """Every intermediate image of `canny_stages`.

    Attributes
    ----------
    smoothed : ndarray of uint8, shape (H, W)
        Gaussian-blurred input (the input itself when sigma is 0).
    gx, gy : ndarray of float32, shape (H, W)
        Sobel derivatives of `smoothed` (3×3, replicated border, as in cv2.Canny).
    magnitude : ndarray of float32, shape (H, W)
        ``hypot(gx, gy)``, 0 to about 1443.
    suppressed : ndarray of float32, shape (H, W)
        `magnitude` at ridge pixels, 0 elsewhere (`non_maximum_suppression`).
    labels : ndarray of uint8, shape (H, W)
        `hysteresis` labels: 0 none, 1 weak rejected, 2 weak kept, 3 strong.
    edges : ndarray of bool, shape (H, W)
        Final edges, ``labels >= WEAK_KEPT``.
    """

    smoothed: np.ndarray
    gx: np.ndarray
    gy: np.ndarray
    magnitude: np.ndarray
    suppressed: np.ndarray
    labels: np.ndarray
    edges: np.ndarray


def _smooth(gray: np.ndarray, sigma: float) -> np.ndarray:
    return gray.copy() if sigma == 0.0 else cv2.GaussianBlur(gray, (0, 0), sigma)


def _check_thresholds(low: float, high: float) -> tuple[float, float]:
    low = check_float(low, name="low", low=0.0, high=2000.0)
    high = check_float(high, name="high", low=0.0, high=2000.0)
    if low > high:
        raise ValueError(f"low must be at most high, got low={low} and high={high}")
    return low, high


def canny_stages(
    gray: np.ndarray, *, sigma: float = 1.4, low: float = 50.0, high: float = 100.0
) -> CannyStages:
    """Canny edge detection with every stage exposed.

    Smooth with a Gaussian, take Sobel derivatives, thin the magnitude to one-pixel
    ridges (non-maximum suppression), then keep ridges above `high` and those above
    `low` connected to them (hysteresis). The edges equal `canny_opencv` with the
    same arguments (tested pixel for pixel), because the gradient, the direction
    sectors, the tie rules and the borders follow OpenCV's implementation.

    Parameters
    ----------
    gray : ndarray of uint8, shape (H, W)
    sigma : float
        Gaussian standard deviation in pixels, 0 (no smoothing) to 10.
    low, high : float
        Hysteresis thresholds on the L2 gradient magnitude, ``0 <= low <= high <= 2000``
        (a 3×3 Sobel magnitude on uint8 is at most about 1443).

    Returns
    -------
    CannyStages
    """
    check_gray(gray, name="gray")
    sigma = check_float(sigma, name="sigma", low=0.0, high=10.0)
    low, high = _check_thresholds(low, high)
    smoothed = _smooth(gray, sigma)
    # cv2.Canny computes its Sobel derivatives with a replicated border.
    gx = cv2.Sobel(smoothed, cv2.CV_32F, 1, 0, ksize=3, borderType=cv2.BORDER_REPLICATE)
    gy = cv2.Sobel(smoothed, cv2.CV_32F, 0, 1, ksize=3, borderType=cv2.BORDER_REPLICATE)
    suppressed = non_maximum_suppression(gx, gy)
    labels = hysteresis(suppressed, low=low, high=high)
    return CannyStages(
        smoothed=smoothed,
        gx=gx,
        gy=gy,
        magnitude=gradient_magnitude(gx, gy),
        suppressed=suppressed,
        labels=labels,
        edges=labels >= WEAK_KEPT,
    )


def canny_opencv(
    gray: np.ndarray, *, sigma: float = 1.4, low: float = 50.0, high: float = 100.0
) -> np.ndarray:
    """The OpenCV answer: Gaussian blur, then ``cv2.Canny`` with the L2 magnitude.

    Parameters
    ----------
    gray : ndarray of uint8, shape (H, W)
    sigma, low, high : float
        As for `canny_stages`.

    Returns
    -------
    ndarray of bool, shape (H, W)
        ``cv2.Canny`` returns 0/255 uint8; this is that result ``> 0``.

    Notes
    -----
    OpenCV equivalent::

        smoothed = cv2.GaussianBlur(gray, (0, 0), sigma)
        edges = cv2.Canny(smoothed, low, high, L2gradient=True) > 0

    ``cv2.Canny`` itself does not smooth, and by default (``L2gradient=False``) uses
    ``|gx| + |gy|`` as magnitude; the lesson uses the true length throughout.
    """
    check_gray(gray, name="gray")
    sigma = check_float(sigma, name="sigma", low=0.0, high=10.0)
    low, high = _check_thresholds(low, high)
    return cv2.Canny(_smooth(gray, sigma), low, high, L2gradient=True) > 0


def magnitude_histogram(
    values: np.ndarray, *, bins: int = 64, max_value: float | None = None, ignore_zeros: bool = True
) -> tuple[np.ndarray, np.ndarray]:
    """Histogram of gradient magnitudes, for drawing the Canny thresholds on it.

    Parameters
    ----------
    values : ndarray of float, any shape
        Usually `CannyStages.suppressed` (ridge magnitudes) or `.magnitude`.
    bins : int
        Number of equal-width bins, 1 to 1024.
    max_value : float or None
        Upper end of the last bin; None uses the largest value (1 if all are 0).
        Values above it are not counted.
    ignore_zeros : bool
        Leave out exact zeros (the non-ridge pixels after suppression, which would
        otherwise swamp the first bin).

    Returns
    -------
    counts : ndarray of int64, shape (bins,)
    bin_edges : ndarray of float64, shape (bins + 1,), from 0 to `max_value`
    """
    values = _check_real(values, name="values")
    bins = check_int(bins, name="bins", low=1, high=1024)
    data = values[values != 0] if ignore_zeros else values.ravel()
    if max_value is None:
        top = float(data.max()) if data.size else 0.0
        top = top if top > 0 else 1.0
    else:
        top = check_float(max_value, name="max_value", low=0.0)
        if top == 0.0:
            raise ValueError("max_value must be greater than 0")
    counts, bin_edges = np.histogram(data, bins=bins, range=(0.0, top))
    return counts.astype(np.int64), bin_edges


@dataclass(frozen=True)
class CannyView:
    """Canny's stages ready to show, with the numbers a lesson quotes; see `canny_view`.

    Attributes
    ----------
    smoothed : ndarray of uint8, shape (H, W)
    edges : ndarray of bool, shape (H, W)
        The final edges (`CannyStages.edges`).
    counts : dict of int to int
        `hysteresis_counts` of the labels.
    ridge_pixels : int
        Pixels left by non-maximum suppression (magnitude > 0).
    scale : float
        `display_scale` of the magnitude, drawn white in both magnitude pictures.
    magnitude_shown, suppressed_shown : ndarray of uint8, shape (H, W)
    labels_shown : ndarray of uint8, shape (H, W, 3)
        `edge_labels_to_rgb` of the labels.
    histogram : ndarray of int64, shape (bins,)
        Ridge pixels per magnitude bin (`magnitude_histogram`).
    bin_edges : ndarray of float64, shape (bins + 1,)
        From 0 to the largest ridge magnitude or ``high + 1``, whichever is larger,
        so the high threshold is always on the axis.
    edge_share : float
        Share of the pixels that are edges, 0 to 1.
    pieces : int
        Separate 8-connected edge pieces (`edge_fragments`).
    pieces_shown : ndarray of uint8, shape (H, W, 3)
        Each piece in its own colour.
    """

    smoothed: np.ndarray
    edges: np.ndarray
    counts: dict[int, int]
    ridge_pixels: int
    scale: float
    magnitude_shown: np.ndarray
    suppressed_shown: np.ndarray
    labels_shown: np.ndarray
    histogram: np.ndarray
    bin_edges: np.ndarray
    edge_share: float
    pieces: int
    pieces_shown: np.ndarray


def canny_view(
    gray: np.ndarray, *, sigma: float = 1.4, low: float = 50.0, high: float = 100.0, bins: int = 80
) -> CannyView:
    """`canny_stages` as pictures, the ridge magnitudes' histogram and the edge pieces.

    Parameters
    ----------
    gray : ndarray of uint8, shape (H, W)
    sigma, low, high : float
        As for `canny_stages`.
    bins : int
        Bins of the ridge-magnitude histogram, 1 to 1024.

    Returns
    -------
    CannyView
    """
    stages = canny_stages(gray, sigma=sigma, low=low, high=high)
    ridge = stages.suppressed[stages.suppressed > 0]
    top = max(float(ridge.max()) if ridge.size else 1.0, float(high) + 1.0)
    histogram, bin_edges = magnitude_histogram(stages.suppressed, bins=bins, max_value=top)
    magnitude = response_picture(stages.magnitude, signed=False)
    pieces, pieces_shown = edge_fragments(stages.edges)
    return CannyView(
        smoothed=stages.smoothed, edges=stages.edges, counts=hysteresis_counts(stages.labels),
        ridge_pixels=int(ridge.size), scale=magnitude.scale, magnitude_shown=magnitude.image,
        suppressed_shown=to_uint8(stages.suppressed, high=magnitude.scale),
        labels_shown=edge_labels_to_rgb(stages.labels), histogram=histogram, bin_edges=bin_edges,
        edge_share=float(stages.edges.mean()), pieces=pieces, pieces_shown=pieces_shown,
    )


@dataclass(frozen=True)
class NoisyCanny:
    """Canny on a noisy copy, without and with smoothing; see `canny_on_noise`.

    Attributes
    ----------
    noisy : ndarray of uint8, shape (H, W)
    raw_edges, smooth_edges : ndarray of bool, shape (H, W)
        Canny without smoothing, and after a Gaussian of the given sigma.
    raw_count, smooth_count : int
        Their edge pixels.
    raw_match, smooth_match : float
        `edge_match` of each against Canny (same sigma) on the image without noise.
    """

    noisy: np.ndarray
    raw_edges: np.ndarray
    smooth_edges: np.ndarray
    raw_count: int
    smooth_count: int
    raw_match: float
    smooth_match: float


def canny_on_noise(
    gray: np.ndarray, *, noise_sigma: float, sigma: float = 1.4, low: float = 50.0, high: float = 100.0,
    seed: int = 0,
) -> NoisyCanny:
    """Why Canny smooths first: its edges on a noisy copy, with and without smoothing, against the true edges.

    Parameters
    ----------
    gray : ndarray of uint8, shape (H, W)
    noise_sigma : float
        Gaussian noise added (`processing.filters.add_gaussian_noise`), 0 to 100 grey levels.
    sigma : float
        Smoothing of the second run and of the reference, 0 to 10.
    low, high : float
        Hysteresis thresholds, as for `canny_opencv`.
    seed : int
        Seed of the noise.

    Returns
    -------
    NoisyCanny
    """
    noisy = add_gaussian_noise(gray, sigma=noise_sigma, seed=seed)
    reference = canny_opencv(gray, sigma=sigma, low=low, high=high)
    raw = canny_opencv(noisy, sigma=0.0, low=low, high=high)
    smooth = canny_opencv(noisy, sigma=sigma, low=low, high=high)
    return NoisyCanny(
        noisy=noisy, raw_edges=raw, smooth_edges=smooth,
        raw_count=int(np.count_nonzero(raw)), smooth_count=int(np.count_nonzero(smooth)),
        raw_match=edge_match(reference, raw), smooth_match=edge_match(reference, smooth),
    )


# --------------------------------------------------------------------------- display and comparison


def display_scale(values: np.ndarray, *, percentile: float = 99.5) -> float:
    """A robust largest magnitude for display: the `percentile` of ``|values|``.

    A few extreme responses would otherwise squeeze every other value into mid-grey;
    the values beyond the scale are clipped by `response_picture`.

    Parameters
    ----------
    values : ndarray of float (or int), any shape
    percentile : float
        50 to 100; 100 gives the true maximum.

    Returns
    -------
    float
        > 0 (1.0 when every value is 0).
    """
    values = _check_real(values, name="values")
    percentile = check_float(percentile, name="percentile", low=50.0, high=100.0)
    scale = float(np.percentile(np.abs(values), percentile))
    if scale == 0.0:
        scale = float(np.abs(values).max())
    return scale if scale > 0.0 else 1.0


@dataclass(frozen=True)
class ResponsePicture:
    """A float response mapped for display; see `response_picture`.

    Attributes
    ----------
    image : ndarray of uint8, same shape as the response
    scale : float
        The value drawn white (and, for a signed response, ``-scale`` drawn black).
    """

    image: np.ndarray
    scale: float


def response_picture(values: np.ndarray, *, signed: bool = True, percentile: float = 99.5) -> ResponsePicture:
    """Show a derivative as grey, its `display_scale` drawn white.

    Parameters
    ----------
    values : ndarray of float (or int), any shape
    signed : bool
        True: 0 is mid-grey, ``+scale`` white, ``-scale`` black
        (``to_uint8(values, low=-scale, high=scale)``). False (a magnitude, >= 0):
        0 black, ``scale`` white (``to_uint8(values, high=scale)``).
    percentile : float
        Passed to `display_scale`.

    Returns
    -------
    ResponsePicture
        Values beyond the scale are clipped.
    """
    scale = display_scale(values, percentile=percentile)
    return ResponsePicture(image=to_uint8(values, low=-scale if signed else 0.0, high=scale), scale=scale)


@dataclass(frozen=True)
class GradientPictures:
    """The gradient of a grey image, ready to show; see `gradient_pictures`.

    Attributes
    ----------
    magnitude : ndarray of float32, shape (H, W)
        ``hypot(gx, gy)``.
    top : float
        The largest magnitude.
    scale : float
        `display_scale` of the magnitude: drawn white in `magnitude_shown`, full
        brightness in `direction_shown`.
    signed_scale : float
        `display_scale` of gx and gy together: white (+) and black (-) in both.
    gx_shown, gy_shown : ndarray of uint8, shape (H, W)
        0 is mid-grey 128.
    magnitude_shown : ndarray of uint8, shape (H, W)
    direction_shown : ndarray of uint8, shape (H, W, 3)
        `direction_to_rgb` with ``max_magnitude=scale``.
    """

    magnitude: np.ndarray
    top: float
    scale: float
    signed_scale: float
    gx_shown: np.ndarray
    gy_shown: np.ndarray
    magnitude_shown: np.ndarray
    direction_shown: np.ndarray


def gradient_pictures(gray: np.ndarray, *, operator: str = "sobel") -> GradientPictures:
    """The derivatives, magnitude and direction of a grey image as pictures, with their display scales.

    Parameters
    ----------
    gray : ndarray of uint8, shape (H, W)
    operator : {"sobel", "prewitt", "scharr"}

    Returns
    -------
    GradientPictures
    """
    gx, gy = gradients(gray, operator=operator)
    magnitude = gradient_magnitude(gx, gy)
    shown = response_picture(magnitude, signed=False)
    signed_scale = display_scale(np.concatenate([gx.ravel(), gy.ravel()]))
    return GradientPictures(
        magnitude=magnitude, top=float(magnitude.max()), scale=shown.scale, signed_scale=signed_scale,
        gx_shown=to_uint8(gx, low=-signed_scale, high=signed_scale),
        gy_shown=to_uint8(gy, low=-signed_scale, high=signed_scale),
        magnitude_shown=shown.image, direction_shown=direction_to_rgb(gx, gy, max_magnitude=shown.scale),
    )


def direction_legend(*, size: int = 121) -> np.ndarray:
    """A colour wheel that reads `direction_to_rgb`: each point's colour is the hue of
    a gradient pointing from the centre to it (brightness grows with the distance).

    Parameters
    ----------
    size : int
        Odd side in pixels, 11 to 1001.

    Returns
    -------
    ndarray of uint8, shape (size, size, 3), RGB
        ``direction_to_rgb(x, y, max_magnitude=size // 2)`` with ``x, y`` the offsets
        from the centre (y down), black outside the disc.
    """
    size = check_int(size, name="size", low=11, high=1001, odd=True)
    half = size // 2
    y, x = np.mgrid[-half : half + 1, -half : half + 1].astype(np.float32)
    wheel = direction_to_rgb(x, y, max_magnitude=float(half))
    wheel[np.hypot(x, y) > half] = 0
    return wheel


def strongest_edge(gray: np.ndarray, *, sigma: float = 2.0) -> tuple[int, int]:
    """Where the smoothed image changes fastest: a good place to look at an edge.

    Parameters
    ----------
    gray : ndarray of uint8, shape (H, W)
    sigma : float
        Gaussian smoothing before the Sobel gradient, 0 (none) to 10, so that a
        single noisy pixel does not win.

    Returns
    -------
    row, col : int
        The first (in row-major order) pixel of largest gradient magnitude; the
        centre of the image when it is flat.
    """
    check_gray(gray, name="gray")
    sigma = check_float(sigma, name="sigma", low=0.0, high=10.0)
    smoothed = _smooth(gray, sigma)
    magnitude = gradient_magnitude(*gradients(smoothed, operator="sobel"))
    if not magnitude.any():
        return gray.shape[0] // 2, gray.shape[1] // 2
    row, col = np.unravel_index(int(np.argmax(magnitude)), magnitude.shape)
    return int(row), int(col)


@dataclass(frozen=True)
class EdgeWindow:
    """A square window around the strongest edge of an image; see `edge_window`.

    Attributes
    ----------
    row, col : int
        The pixel of `strongest_edge`.
    top, left, bottom, right : int
        The window ``image[top:bottom, left:right]`` (`processing.arrays.window_around`).
    across_row : bool
        True when the edge runs up and down (``|gx| >= |gy|``), so a profile across
        it runs along row `row`; False: down column `col`.
    """

    row: int
    col: int
    top: int
    left: int
    bottom: int
    right: int
    across_row: bool


def edge_window(gray: np.ndarray, *, size: int = 24) -> EdgeWindow:
    """Where to zoom in on an edge: a `size` × `size` window around the strongest one, and its direction.

    Parameters
    ----------
    gray : ndarray of uint8, shape (H, W)
    size : int
        Window side, 1 to 4096; smaller along a side of the image shorter than it.

    Returns
    -------
    EdgeWindow
    """
    row, col = strongest_edge(gray)
    top, left, bottom, right = window_around(gray.shape, row=row, col=col, size=size)
    vector = pixel_gradient(gray, row=row, col=col)
    return EdgeWindow(row=row, col=col, top=top, left=left, bottom=bottom, right=right,
                      across_row=abs(vector.gx) >= abs(vector.gy))


def edge_fragments(edges: np.ndarray, *, seed: int = 0) -> tuple[int, np.ndarray]:
    """Count the separate pieces of an edge map and give each its own colour.

    Parameters
    ----------
    edges : ndarray of bool, shape (H, W)
    seed : int
        Seed for the random (but repeatable) colours.

    Returns
    -------
    count : int
        Number of 8-connected edge pieces.
    colours : ndarray of uint8, shape (H, W, 3), RGB
        Black background; each piece in one bright colour.
    """
    edges = np.asarray(edges)
    if edges.dtype != np.bool_ or edges.ndim != 2 or edges.size == 0:
        raise ValueError(f"edges must be a non-empty 2-D bool array, got {edges.dtype} {edges.shape}")
    count, labels = cv2.connectedComponents(edges.view(np.uint8), connectivity=8)
    palette = np.random.default_rng(seed).integers(70, 256, (count, 3), dtype=np.uint8)
    palette[0] = 0
    return count - 1, palette[labels]


def edge_match(reference: np.ndarray, detected: np.ndarray, *, distance: int = 1) -> float:
    """Share of detected edge pixels lying within `distance` pixels of a reference edge.

    Used to tell real edges from edges that noise invented: 1.0 means every
    detected pixel is near a true edge.

    Parameters
    ----------
    reference, detected : ndarray of bool, same shape (H, W)
    distance : int
        Chessboard distance allowed, 0 to 10.

    Returns
    -------
    float
        In [0, 1]; 1.0 when nothing is detected.
    """
    reference, detected = np.asarray(reference), np.asarray(detected)
    if reference.dtype != np.bool_ or detected.dtype != np.bool_ or reference.ndim != 2:
        raise ValueError("reference and detected must be 2-D bool arrays")
    if reference.shape != detected.shape:
        raise ValueError(
            f"reference and detected must have the same shape, got {reference.shape} and {detected.shape}"
        )
    distance = check_int(distance, name="distance", low=0, high=10)
    found = int(np.count_nonzero(detected))
    if found == 0:
        return 1.0
    window = np.ones((2 * distance + 1, 2 * distance + 1), dtype=np.uint8)
    near = cv2.dilate(reference.view(np.uint8), window, borderType=cv2.BORDER_CONSTANT, borderValue=0) > 0
    return float(np.count_nonzero(detected & near) / found)


@dataclass(frozen=True)
class EdgeCount:
    """How many pixels an edge map marks; see `count_edges`."""

    pixels: int
    share: float


def count_edges(edges: np.ndarray) -> EdgeCount:
    """Count the marked pixels of an edge map (Canny edges, zero crossings).

    Parameters
    ----------
    edges : ndarray of bool, shape (H, W)

    Returns
    -------
    EdgeCount
        ``pixels``: how many are True; ``share``: their share of all pixels, 0 to 1.
    """
    edges = np.asarray(edges)
    if edges.dtype != np.bool_ or edges.ndim != 2 or edges.size == 0:
        raise ValueError(f"edges must be a non-empty 2-D bool array, got {edges.dtype} {edges.shape}")
    pixels = int(np.count_nonzero(edges))
    return EdgeCount(pixels=pixels, share=pixels / edges.size)
