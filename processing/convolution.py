"""Convolution playground: kernels, filtering with border modes, display mappings.

The lesson lets a learner pick or type a small kernel, slide it over an image and
look at one output pixel's arithmetic. Everything here works in float64 so that the
signed result of an edge kernel is kept as it is; turning it into something
displayable is a separate, explicit step (`to_display`).

Border modes and their OpenCV / NumPy names:

============  ==========================  ===================  ==========================
``border``    OpenCV                      ``np.pad`` mode      padding of ``abcd``
============  ==========================  ===================  ==========================
zero          ``cv2.BORDER_CONSTANT``     ``"constant"``       ``00|abcd|00``
replicate     ``cv2.BORDER_REPLICATE``    ``"edge"``           ``aa|abcd|dd``
reflect       ``cv2.BORDER_REFLECT_101``  ``"reflect"``        ``cb|abcd|cb``
wrap          ``cv2.BORDER_WRAP``         ``"wrap"``           ``cd|abcd|ab``
============  ==========================  ===================  ==========================

"reflect" is OpenCV's default border (``BORDER_REFLECT_101``, the edge pixel is not
repeated), so it matches what ``cv2.GaussianBlur``, ``cv2.Sobel`` and friends do
by default. ``cv2.filter2D`` refuses ``BORDER_WRAP``; for "wrap" the image is padded
with ``cv2.copyMakeBorder`` first and only the valid (unpadded) region is kept.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import cv2
import numpy as np

from processing._checks import check_choice, check_float, check_image, check_int
from processing.arrays import window_around
from processing.color import to_gray
from processing.display import draw_cells, to_uint8
from processing.filters import add_gaussian_noise

__all__ = [
    "BORDER_MODES",
    "DISPLAY_MAPPINGS",
    "OPERATIONS",
    "PRESETS",
    "FlipComparison",
    "ImplementationComparison",
    "NUMPY_PAD_MODES",
    "KernelPreset",
    "MADE_UP_BLUE",
    "NoiseResponse",
    "OutputCorner",
    "OutputStats",
    "PixelExplanation",
    "Separation",
    "SignedViews",
    "border_corner",
    "border_output_corner",
    "check_kernel",
    "classify_kernel",
    "compare_implementations",
    "display_clipping",
    "explain_pixel",
    "flip_comparison",
    "filter_image",
    "filter_image_numpy",
    "filter_region",
    "is_flip_symmetric",
    "kernel_preset",
    "kernel_sum",
    "max_abs_difference",
    "noise_response",
    "normalize_kernel",
    "output_corners",
    "output_stats",
    "padded_corners",
    "preset_responses",
    "readable_factors",
    "separate_kernel",
    "signed_views",
    "suggested_mapping",
    "to_display",
]

#: Border mode name -> OpenCV border type.
BORDER_MODES: dict[str, int] = {
    "zero": cv2.BORDER_CONSTANT,
    "replicate": cv2.BORDER_REPLICATE,
    "reflect": cv2.BORDER_REFLECT_101,
    "wrap": cv2.BORDER_WRAP,
}

#: Border mode name -> ``np.pad`` mode giving the same padding.
_NUMPY_PAD_MODES: dict[str, str] = {
    "zero": "constant",
    "replicate": "edge",
    "reflect": "reflect",
    "wrap": "wrap",
}

#: Public name of the padding table, for pages that show the NumPy code.
NUMPY_PAD_MODES = _NUMPY_PAD_MODES

#: "correlation" is what ``cv2.filter2D`` computes; "convolution" flips the kernel first.
OPERATIONS: tuple[str, ...] = ("correlation", "convolution")

#: Ways to turn a signed float result into uint8 for display; see `to_display`.
DISPLAY_MAPPINGS: tuple[str, ...] = ("clip", "abs", "offset", "wrap")

_MAX_KERNEL_SIDE = 31
#: Largest denominator `readable_factors` snaps a weight to (1/9, 1/16, ...), as `kernel_text` writes them.
_SNAP_DENOMINATOR = 256


# --------------------------------------------------------------------------- presets


@dataclass(frozen=True)
class KernelPreset:
    """Description of a named kernel.

    Attributes
    ----------
    name : str
        Key in `PRESETS` and argument of `kernel_preset`.
    kind : str
        ``"identity"``, ``"smoothing"`` (non-negative, sums to 1: brightness kept,
        output stays in 0..255), ``"sharpening"`` (sums to 1, has negative weights:
        output can leave 0..255), ``"emboss"`` (sums to 1, signed) or ``"edge"``
        (sums to 0: flat regions become 0 and the output is signed, so it needs a
        display mapping).
    sizes : tuple of int
        Odd kernel sizes the preset is defined for.
    description : str
        One sentence for the page.
    """

    name: str
    kind: str
    sizes: tuple[int, ...]
    description: str


PRESETS: dict[str, KernelPreset] = {
    p.name: p
    for p in (
        KernelPreset(
            "identity", "identity", (3, 5, 7), "A single 1 in the centre: output = input."
        ),
        KernelPreset(
            "box", "smoothing", (3, 5, 7), "Every weight 1/n²: the plain neighbourhood mean."
        ),
        KernelPreset(
            "gaussian", "smoothing", (3, 5, 7), "Weights fall off like a bell curve of width sigma."
        ),
        KernelPreset(
            "sharpen", "sharpening", (3,), "Centre 5, four neighbours −1: identity − Laplacian."
        ),
        KernelPreset(
            "emboss", "emboss", (3,), "Diagonal difference plus the pixel itself: a raised look."
        ),
        KernelPreset(
            "outline", "edge", (3,), "Centre 8, all eight neighbours −1: flat areas go to 0."
        ),
        KernelPreset(
            "sobel_x",
            "edge",
            (3, 5, 7),
            "Horizontal derivative, smoothed vertically (responds to vertical edges).",
        ),
        KernelPreset(
            "sobel_y",
            "edge",
            (3, 5, 7),
            "Vertical derivative, smoothed horizontally (responds to horizontal edges).",
        ),
        KernelPreset("prewitt_x", "edge", (3,), "Horizontal derivative, averaged vertically."),
        KernelPreset("prewitt_y", "edge", (3,), "Vertical derivative, averaged horizontally."),
        KernelPreset("laplacian", "edge", (3,), "Four neighbours minus four times the centre."),
    )
}


def _binomial(n: int) -> np.ndarray:
    """Row ``n - 1`` of Pascal's triangle, length `n` (the smoothing part of Sobel)."""
    row = np.array([1.0])
    for _ in range(n - 1):
        row = np.convolve(row, [1.0, 1.0])
    return row


def kernel_preset(name: str, *, size: int = 3, sigma: float | None = None) -> np.ndarray:
    """Return a named kernel as a float64 array.

    Parameters
    ----------
    name : str
        One of `PRESETS`: identity, box, gaussian, sharpen, emboss, outline,
        sobel_x, sobel_y, prewitt_x, prewitt_y, laplacian.
    size : int
        Odd side length; must be in ``PRESETS[name].sizes`` (3, 5, 7 for identity,
        box, gaussian and Sobel; 3 only for the others).
    sigma : float or None
        Gaussian only: standard deviation in pixels, > 0. None uses OpenCV's rule
        ``0.3 * ((size - 1) * 0.5 - 1) + 0.8``. (``cv2.getGaussianKernel`` with
        sigma 0 and size <= 7 returns fixed binomial tables instead; pass the sigma
        explicitly in the page's OpenCV code.) Must be None for other presets.

    Returns
    -------
    ndarray of float64, shape (size, size)
        The kernel. Smoothing kernels sum to 1, edge kernels to 0. Written for
        correlation (``cv2.filter2D``): ``sobel_x`` is positive where the image gets
        brighter to the right.

    Raises
    ------
    ValueError
        If `name`, `size` or `sigma` is not valid for the preset.
    """
    check_choice(name, name="name", choices=tuple(PRESETS))
    preset = PRESETS[name]
    size = check_int(size, name="size", low=1, odd=True)
    if size not in preset.sizes:
        raise ValueError(
            f"size must be one of {', '.join(map(str, preset.sizes))} for {name}; got {size}"
        )
    if sigma is not None:
        if name != "gaussian":
            raise ValueError(f"sigma only applies to the gaussian preset, not {name}")
        sigma = check_float(sigma, name="sigma", low=1e-3, high=100.0)

    if name == "identity":
        kernel = np.zeros((size, size))
        kernel[size // 2, size // 2] = 1.0
    elif name == "box":
        kernel = np.full((size, size), 1.0 / size**2)
    elif name == "gaussian":
        if sigma is None:
            sigma = 0.3 * ((size - 1) * 0.5 - 1) + 0.8
        offsets = np.arange(size) - size // 2
        profile = np.exp(-(offsets**2) / (2.0 * sigma**2))
        profile /= profile.sum()
        kernel = np.outer(profile, profile)
    elif name in ("sobel_x", "sobel_y"):
        # Sobel = binomial smoothing across x central difference, as cv2.getDerivKernels.
        smooth = _binomial(size)
        derivative = np.convolve(_binomial(size - 1), [1.0, -1.0])  # [-1, 0, 1] for size 3
        derivative = derivative[::-1]  # np.convolve flips; we want -1 on the left
        kernel = np.outer(smooth, derivative)
        if name == "sobel_y":
            kernel = kernel.T
    else:
        fixed = {
            "sharpen": [[0, -1, 0], [-1, 5, -1], [0, -1, 0]],
            "emboss": [[-2, -1, 0], [-1, 1, 1], [0, 1, 2]],
            "outline": [[-1, -1, -1], [-1, 8, -1], [-1, -1, -1]],
            "prewitt_x": [[-1, 0, 1], [-1, 0, 1], [-1, 0, 1]],
            "prewitt_y": [[-1, -1, -1], [0, 0, 0], [1, 1, 1]],
            "laplacian": [[0, 1, 0], [1, -4, 1], [0, 1, 0]],
        }
        kernel = np.array(fixed[name], dtype=np.float64)
    return kernel.astype(np.float64)


# --------------------------------------------------------------------------- kernel maths


def check_kernel(kernel: np.ndarray, *, name: str = "kernel") -> np.ndarray:
    """Return `kernel` as a C-contiguous float64 2-D array with odd sides, or raise ValueError naming `name`.

    Parameters
    ----------
    kernel : array_like
        Weights: 2-D, odd height and width, each side at most 31, finite.
    name : str
        The parameter's name, for the error message.

    Returns
    -------
    ndarray of float64, shape (kh, kw)
    """
    try:
        # Contiguous, so OpenCV and the flipped copy see a plain float64 matrix.
        array = np.ascontiguousarray(kernel, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a 2-D array of numbers") from None
    if array.ndim != 2:
        raise ValueError(f"{name} must be 2-D, got {array.ndim}-D")
    rows, cols = array.shape
    if rows % 2 == 0 or cols % 2 == 0:
        raise ValueError(f"{name} must have odd height and width, got shape {array.shape}")
    if rows > _MAX_KERNEL_SIDE or cols > _MAX_KERNEL_SIDE:
        raise ValueError(f"{name} sides must be at most {_MAX_KERNEL_SIDE}, got {array.shape}")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must contain only finite numbers")
    return array


def kernel_sum(kernel: np.ndarray) -> float:
    """Sum of the kernel weights.

    About 1 for smoothing (brightness kept), 0 for edge kernels (flat regions go to
    0, output is signed), anything else scales the brightness.

    Parameters
    ----------
    kernel : array_like, shape (kh, kw), odd sides

    Returns
    -------
    float
    """
    return float(check_kernel(kernel).sum())


def normalize_kernel(kernel: np.ndarray) -> np.ndarray:
    """Divide the kernel by its sum so that it sums to 1.

    Parameters
    ----------
    kernel : array_like, shape (kh, kw), odd sides

    Returns
    -------
    ndarray of float64, same shape

    Raises
    ------
    ValueError
        If the kernel sums to (almost) 0, as edge kernels do: there is nothing to
        normalise by.
    """
    array = check_kernel(kernel)
    total = array.sum()
    if abs(total) < 1e-12 * max(1.0, float(np.abs(array).sum())):
        raise ValueError("kernel sums to 0 and cannot be normalised")
    return array / total


@dataclass(frozen=True)
class Separation:
    """Result of `separate_kernel`.

    Attributes
    ----------
    rank : int
        Numerical rank of the kernel (0 for an all-zero kernel).
    separable : bool
        True when rank <= 1: the 2-D filter equals a column pass then a row pass.
    column : ndarray of float64, shape (kh,) or None
        Vertical 1-D factor when separable.
    row : ndarray of float64, shape (kw,) or None
        Horizontal 1-D factor; ``np.outer(column, row)`` rebuilds the kernel.
    singular_values : ndarray of float64
        All singular values, largest first.
    """

    rank: int
    separable: bool
    column: np.ndarray | None
    row: np.ndarray | None
    singular_values: np.ndarray


def separate_kernel(kernel: np.ndarray, *, tolerance: float = 1e-9) -> Separation:
    """Test whether a kernel is separable and, if so, return its two 1-D factors.

    A kernel is separable when it has rank 1, i.e. it is an outer product
    ``column ⊗ row``. Filtering with the two 1-D factors (a ``(kh, 1)`` then a
    ``(1, kw)`` kernel) gives the same result as the 2-D kernel for kh + kw instead
    of kh·kw multiplications per pixel.

    Parameters
    ----------
    kernel : array_like, shape (kh, kw), odd sides
    tolerance : float
        Singular values below ``tolerance * largest`` count as zero.

    Returns
    -------
    Separation
        For a rank-1 kernel the factors share the weight equally
        (``sqrt(s0) * u0`` and ``sqrt(s0) * v0``) with the sign chosen so that the
        largest-magnitude entry of `column` is positive. A zero kernel has rank 0
        and zero factors.
    """
    array = check_kernel(kernel)
    tolerance = check_float(tolerance, name="tolerance", low=0.0, high=1.0)
    u, s, vt = np.linalg.svd(array)
    if s[0] == 0.0:
        rank = 0
    else:
        rank = int(np.sum(s > tolerance * s[0]))
    if rank == 0:
        return Separation(0, True, np.zeros(array.shape[0]), np.zeros(array.shape[1]), s)
    if rank > 1:
        return Separation(rank, False, None, None, s)
    column = u[:, 0] * np.sqrt(s[0])
    row = vt[0] * np.sqrt(s[0])
    if column[np.argmax(np.abs(column))] < 0:
        column, row = -column, -row
    # + 0.0 turns -0.0 into 0.0 so the factors print cleanly on the page.
    return Separation(1, True, column + 0.0, row + 0.0, s)


# --------------------------------------------------------------------------- filtering


def _oriented_kernel(kernel: np.ndarray, operation: str) -> np.ndarray:
    """The kernel as it is actually slid over the image (flipped for convolution)."""
    return kernel[::-1, ::-1].copy() if operation == "convolution" else kernel


def filter_image(
    image: np.ndarray,
    kernel: np.ndarray,
    *,
    border: str = "reflect",
    operation: str = "correlation",
) -> np.ndarray:
    """Filter an image with a kernel, keeping the signed float result.

    Correlation computes ``out[y, x] = sum_ij k[i, j] * in[y + i - r, x + j - c]``
    (what ``cv2.filter2D`` does); convolution does the same with the kernel flipped
    in both directions. For symmetric kernels the two agree.

    Parameters
    ----------
    image : ndarray of uint8, shape (H, W) or (H, W, 3)
        Grey or RGB image, values 0..255. Each channel is filtered on its own.
    kernel : array_like, shape (kh, kw)
        Weights; odd sides, at most 31. Converted to float64.
    border : {"reflect", "zero", "replicate", "wrap"}
        How values outside the image are made up; see the module docstring.
    operation : {"correlation", "convolution"}

    Returns
    -------
    ndarray of float64, same shape as `image`
        Unclipped and possibly negative; see `to_display`.

    Notes
    -----
    Equivalent OpenCV code (not "wrap")::

        k = kernel[::-1, ::-1] if convolution else kernel
        cv2.filter2D(image.astype(np.float64), -1, k, borderType=cv2.BORDER_...)

    ``cv2.filter2D`` rejects ``BORDER_WRAP``, so for "wrap" the image is padded by
    half the kernel with ``cv2.copyMakeBorder(..., cv2.BORDER_WRAP)``, filtered, and
    the padding cut off again: only output pixels whose window lies entirely in the
    padded image are kept.
    """
    check_image(image)
    kernel = check_kernel(kernel)
    check_choice(border, name="border", choices=tuple(BORDER_MODES))
    check_choice(operation, name="operation", choices=OPERATIONS)
    applied = _oriented_kernel(kernel, operation)
    source = image.astype(np.float64)
    if border != "wrap":
        return cv2.filter2D(source, -1, applied, borderType=BORDER_MODES[border])
    pad_y, pad_x = applied.shape[0] // 2, applied.shape[1] // 2
    padded = cv2.copyMakeBorder(source, pad_y, pad_y, pad_x, pad_x, cv2.BORDER_WRAP)
    filtered = cv2.filter2D(padded, -1, applied)
    return np.ascontiguousarray(
        filtered[pad_y : pad_y + image.shape[0], pad_x : pad_x + image.shape[1]]
    )


def filter_image_numpy(
    image: np.ndarray,
    kernel: np.ndarray,
    *,
    border: str = "reflect",
    operation: str = "correlation",
) -> np.ndarray:
    """From-scratch version of `filter_image`: shifted, weighted sums in NumPy.

    Pads the image with ``np.pad`` and adds ``k[i, j] * padded[i:i+H, j:j+W]`` for
    every kernel cell, which is the definition of correlation written as whole-array
    operations (one loop step per kernel cell, none per pixel).

    Parameters and return value as for `filter_image`.
    """
    check_image(image)
    kernel = check_kernel(kernel)
    check_choice(border, name="border", choices=tuple(BORDER_MODES))
    check_choice(operation, name="operation", choices=OPERATIONS)
    applied = _oriented_kernel(kernel, operation)
    kh, kw = applied.shape
    height, width = image.shape[:2]
    pad = [(kh // 2, kh // 2), (kw // 2, kw // 2)] + [(0, 0)] * (image.ndim - 2)
    padded = np.pad(image.astype(np.float64), pad, mode=_NUMPY_PAD_MODES[border])
    result = np.zeros(image.shape, dtype=np.float64)
    for i in range(kh):
        for j in range(kw):
            result += applied[i, j] * padded[i : i + height, j : j + width]
    return result


def to_display(values: np.ndarray, *, mapping: str = "clip") -> np.ndarray:
    """Map a signed float result to uint8 for display, the way the learner chose.

    Every mapping first rounds to the nearest integer (ties to even), then:

    - ``"clip"``: values below 0 become 0, above 255 become 255
      (`processing.display.to_uint8`; what ``cv2.filter2D`` with a uint8 output does).
    - ``"abs"``: the absolute value, clipped to 255 (both edge polarities bright).
    - ``"offset"``: add 128 and clip, so 0 is mid-grey, negative darker, positive
      brighter.
    - ``"wrap"``: modulo 256, what ``.astype(np.uint8)`` does to integers
      (-1 becomes 255, 256 becomes 0). Shown on purpose: it is the pitfall.

    Parameters
    ----------
    values : ndarray of float, any shape
        For example the output of `filter_image`.
    mapping : {"clip", "abs", "offset", "wrap"}

    Returns
    -------
    ndarray of uint8, same shape, values 0..255
    """
    check_choice(mapping, name="mapping", choices=DISPLAY_MAPPINGS)
    values = np.asarray(values)
    if not np.issubdtype(values.dtype, np.number) or np.issubdtype(
        values.dtype, np.complexfloating
    ):
        raise ValueError(f"values must be a real numeric array, got dtype {values.dtype}")
    if mapping == "clip":
        return to_uint8(values)
    if mapping == "abs":
        return to_uint8(np.abs(values))  # rint is symmetric: |rint(v)| == rint(|v|)
    if mapping == "offset":
        return to_uint8(values, low=-128.0, high=127.0)  # v + 128: 0 becomes mid-grey
    # "wrap", the pitfall: explicit modulo, because casting out-of-range floats straight to uint8 is undefined.
    rounded = np.rint(values, dtype=np.float64)
    np.mod(rounded, 256, out=rounded)
    return rounded.astype(np.uint8)


def display_clipping(values: np.ndarray, *, mapping: str = "clip") -> tuple[float, float]:
    """How much of a signed result a display mapping clips: the spikes at 0 and 255 of the picture's histogram.

    Parameters
    ----------
    values : ndarray of float, any shape
        For example the output of `filter_image`.
    mapping : {"clip", "abs", "offset", "wrap"}
        As for `to_display`.

    Returns
    -------
    (at_0, at_255) : tuple of float
        Shares (0-1) of the values that `to_display` sends to 0 and to 255 because they lie beyond the
        range it can show (values that land there exactly are not counted). ``"wrap"`` clips nothing.
    """
    check_choice(mapping, name="mapping", choices=DISPLAY_MAPPINGS)
    values = np.asarray(values)
    if mapping == "wrap" or values.size == 0:
        return 0.0, 0.0
    # Compared without rounding a copy (48 MB for a 2-megapixel colour result): the rounding is to even, and
    # every end here is even, so low - 0.5 rounds to low (kept) and high + 0.5 rounds to high + 1 (clipped).
    if mapping == "abs":
        return 0.0, (np.count_nonzero(values >= 255.5) + np.count_nonzero(values <= -255.5)) / values.size
    low, high = (-128, 127) if mapping == "offset" else (0, 255)
    return np.count_nonzero(values < low - 0.5) / values.size, np.count_nonzero(values >= high + 0.5) / values.size


# --------------------------------------------------------------------------- look closer


@dataclass(frozen=True)
class PixelExplanation:
    """The arithmetic behind one output pixel; see `explain_pixel`.

    Attributes
    ----------
    rows, cols : ndarray of int, shapes (kh,), (kw,)
        Image coordinates the window covers (may be outside the image).
    inside : ndarray of bool, shape (kh, kw)
        True where the window cell lies inside the image; elsewhere the value came
        from the border mode.
    neighbourhood : ndarray of float64, shape (kh, kw)
        Input values under the window, border values filled in.
    kernel : ndarray of float64, shape (kh, kw)
        The kernel actually multiplied in (flipped for convolution).
    products : ndarray of float64, shape (kh, kw)
        ``neighbourhood * kernel``.
    total : float
        Sum of `products`: the filtered value at the pixel.
    display_value : int
        `total` after the display mapping, 0..255.
    """

    rows: np.ndarray
    cols: np.ndarray
    inside: np.ndarray
    neighbourhood: np.ndarray
    kernel: np.ndarray
    products: np.ndarray
    total: float
    display_value: int

    @property
    def outside(self) -> int:
        """How many cells of the window lie outside the image (their values came from the border mode)."""
        return int(self.inside.size - np.count_nonzero(self.inside))

    @property
    def inside_values(self) -> np.ndarray:
        """The input values of the window cells inside the image, row by row (float64, 1-D)."""
        return self.neighbourhood[self.inside]


def _border_index(index: np.ndarray, length: int, border: str) -> np.ndarray:
    """Map possibly out-of-range indices to in-range ones as the border mode does.

    For "zero" the out-of-range indices are clipped; the caller zeroes those cells.
    """
    if border in ("zero", "replicate"):
        return np.clip(index, 0, length - 1)
    if border == "wrap":
        return np.mod(index, length)
    # reflect (101): the sequence 0, 1, ..., n-1, n-2, ..., 1 repeats with period 2n-2.
    if length == 1:
        return np.zeros_like(index)
    period = 2 * length - 2
    folded = np.mod(index, period)
    return np.where(folded < length, folded, period - folded)


def explain_pixel(
    image: np.ndarray,
    kernel: np.ndarray,
    *,
    row: int,
    col: int,
    channel: int = 0,
    border: str = "reflect",
    operation: str = "correlation",
    mapping: str = "clip",
) -> PixelExplanation:
    """Show how `filter_image` computes the output at ``(row, col)``.

    Only the pixel's window is read, so this is cheap on any image size.

    Parameters
    ----------
    image : ndarray of uint8, shape (H, W) or (H, W, 3)
    kernel : array_like, shape (kh, kw), odd sides
    row, col : int
        Output pixel, ``0 <= row < H``, ``0 <= col < W``.
    channel : int
        0 for a grey image; 0, 1 or 2 (R, G, B) for RGB.
    border, operation
        As for `filter_image`.
    mapping : {"clip", "abs", "offset", "wrap"}
        As for `to_display`.

    Returns
    -------
    PixelExplanation
        ``total`` equals ``filter_image(...)[row, col(, channel)]`` and
        ``display_value`` equals ``to_display(filter_image(...), mapping=mapping)``
        at the same place.
    """
    check_image(image)
    kernel = check_kernel(kernel)
    check_choice(border, name="border", choices=tuple(BORDER_MODES))
    check_choice(operation, name="operation", choices=OPERATIONS)
    check_choice(mapping, name="mapping", choices=DISPLAY_MAPPINGS)
    height, width = image.shape[:2]
    row = check_int(row, name="row", low=0, high=height - 1)
    col = check_int(col, name="col", low=0, high=width - 1)
    channel = check_int(channel, name="channel", low=0, high=0 if image.ndim == 2 else 2)

    applied = _oriented_kernel(kernel, operation)
    kh, kw = applied.shape
    rows = np.arange(row - kh // 2, row + kh // 2 + 1)
    cols = np.arange(col - kw // 2, col + kw // 2 + 1)
    inside = ((rows >= 0) & (rows < height))[:, None] & ((cols >= 0) & (cols < width))[None, :]
    plane = image if image.ndim == 2 else image[:, :, channel]
    source_rows = _border_index(rows, height, border)
    source_cols = _border_index(cols, width, border)
    neighbourhood = plane[np.ix_(source_rows, source_cols)].astype(np.float64)
    if border == "zero":
        neighbourhood[~inside] = 0.0
    products = neighbourhood * applied
    total = float(products.sum())
    display_value = int(to_display(np.array([total]), mapping=mapping)[0])
    return PixelExplanation(
        rows=rows,
        cols=cols,
        inside=inside,
        neighbourhood=neighbourhood,
        # A copy, never the caller's array: a cache that marks the arrays of a result would mark the caller's too.
        kernel=applied.copy(),
        products=products,
        total=total,
        display_value=display_value,
    )


# --------------------------------------------------------------------------- kernel kinds


def classify_kernel(kernel: np.ndarray) -> str:
    """Guess what a (typed) kernel does from its weights.

    Returns
    -------
    str
        ``"smoothing"`` when no weight is negative (should sum to 1),
        ``"edge"`` when weights have both signs and sum to less than 0.5 in size
        (should sum to 0), otherwise ``"sharpening"`` (signed, sums to about 1).
        An all-zero kernel counts as ``"edge"``.
    """
    array = check_kernel(kernel)
    if np.all(array >= 0) and np.any(array > 0):
        return "smoothing"
    return "edge" if abs(array.sum()) < 0.5 else "sharpening"


def suggested_mapping(kernel: np.ndarray) -> str:
    """The display mapping that suits a kernel: ``"offset"`` when it sums to 0, else ``"clip"``.

    A zero-sum kernel maps flat regions to 0 and edges to either sign, so mid-grey
    for 0 shows both; a kernel summing to about 1 keeps brightness, so clipping the
    few overshoots is honest.
    """
    array = check_kernel(kernel)
    scale = max(1.0, float(np.abs(array).sum()))
    return "offset" if abs(float(array.sum())) < 1e-9 * scale else "clip"


def is_flip_symmetric(kernel: np.ndarray) -> bool:
    """True when flipping the kernel in both directions leaves it unchanged.

    Then convolution and correlation give the same result.
    """
    array = check_kernel(kernel)
    return bool(np.array_equal(array, array[::-1, ::-1]))


# --------------------------------------------------------------------------- regions


def _centre_window(shape: tuple[int, ...], max_side: int) -> tuple[int, int, int, int]:
    """``(top, left, bottom, right)`` of the central block of at most `max_side` × `max_side` pixels."""
    max_side = check_int(max_side, name="max_side", low=1, high=4096)
    return window_around(shape, row=shape[0] // 2, col=shape[1] // 2, size=max_side)


def _centre_crop(image: np.ndarray, max_side: int) -> np.ndarray:
    """The central block of at most `max_side` × `max_side` pixels, C-contiguous."""
    top, left, bottom, right = _centre_window(image.shape, max_side)
    return np.ascontiguousarray(image[top:bottom, left:right])


def _padded_window(
    image: np.ndarray, *, top: int, left: int, height: int, width: int, pad_y: int, pad_x: int, border: str
) -> tuple[np.ndarray, np.ndarray]:
    """Rows top-pad_y .. top+height+pad_y (and columns likewise) with the border mode's values.

    Returns the float64 window and a bool mask of the cells inside the image.
    """
    rows = np.arange(top - pad_y, top + height + pad_y)
    cols = np.arange(left - pad_x, left + width + pad_x)
    inside = ((rows >= 0) & (rows < image.shape[0]))[:, None] & ((cols >= 0) & (cols < image.shape[1]))[None, :]
    window = image[np.ix_(_border_index(rows, image.shape[0], border), _border_index(cols, image.shape[1], border))]
    window = window.astype(np.float64)
    if border == "zero":
        window[~inside] = 0.0
    return window, inside


def filter_region(
    image: np.ndarray,
    kernel: np.ndarray,
    *,
    top: int,
    left: int,
    height: int,
    width: int,
    border: str = "reflect",
    operation: str = "correlation",
) -> np.ndarray:
    """`filter_image` for one rectangle of the output only, reading just what it needs.

    Equal to ``filter_image(image, kernel, ...)[top:top+height, left:left+width]``,
    including the border values (for "wrap" the far side of the image is read), at
    a cost proportional to the rectangle, not the image.

    Parameters
    ----------
    image : ndarray of uint8, shape (H, W) or (H, W, 3)
    kernel : array_like, shape (kh, kw), odd sides
    top, left : int
        First output row and column, inside the image.
    height, width : int
        Size of the rectangle, >= 1, not reaching past the image.
    border, operation
        As for `filter_image`.

    Returns
    -------
    ndarray of float64, shape (height, width) or (height, width, 3)
    """
    check_image(image)
    kernel = check_kernel(kernel)
    check_choice(border, name="border", choices=tuple(BORDER_MODES))
    check_choice(operation, name="operation", choices=OPERATIONS)
    top = check_int(top, name="top", low=0, high=image.shape[0] - 1)
    left = check_int(left, name="left", low=0, high=image.shape[1] - 1)
    height = check_int(height, name="height", low=1, high=image.shape[0] - top)
    width = check_int(width, name="width", low=1, high=image.shape[1] - left)
    applied = _oriented_kernel(kernel, operation)
    kh, kw = applied.shape
    window, _ = _padded_window(
        image, top=top, left=left, height=height, width=width, pad_y=kh // 2, pad_x=kw // 2, border=border
    )
    result = np.zeros((height, width) + image.shape[2:], dtype=np.float64)
    for i in range(kh):
        for j in range(kw):
            result += applied[i, j] * window[i : i + height, j : j + width]
    return result


def border_corner(
    image: np.ndarray, *, size: int, pad: int, border: str, tint: tuple[int, int, int] = (60, 120, 255)
) -> np.ndarray:
    """The top-left corner of the padded image, with the made-up pixels tinted.

    Shows what the kernel sees at the corner under each border mode: `pad` rows
    and columns of border values above and left of the first `size` × `size`
    image pixels.

    Parameters
    ----------
    image : ndarray of uint8, shape (H, W) or (H, W, 3)
    size : int
        Image pixels to show along each side, >= 1 (fewer if the image is smaller).
    pad : int
        Border width, >= 0 (half the kernel side).
    border : {"zero", "replicate", "reflect", "wrap"}
    tint : tuple of int
        RGB colour mixed half and half into the pixels outside the image.

    Returns
    -------
    ndarray of uint8, shape (pad + s, pad + s', 3)
        RGB, where ``s, s'`` are `size` limited by the image.
    """
    check_image(image)
    size = check_int(size, name="size", low=1)
    pad = check_int(pad, name="pad", low=0)
    check_choice(border, name="border", choices=tuple(BORDER_MODES))
    height, width = min(size, image.shape[0]), min(size, image.shape[1])
    window, inside = _padded_window(
        image, top=0, left=0, height=height, width=width, pad_y=pad, pad_x=pad, border=border
    )
    window = window[: pad + height, : pad + width]
    inside = inside[: pad + height, : pad + width]
    rgb = window if window.ndim == 3 else np.repeat(window[:, :, None], 3, axis=2)
    mixed = np.where(inside[:, :, None], rgb, 0.5 * rgb + 0.5 * np.array(tint, dtype=np.float64))
    return np.rint(mixed).astype(np.uint8)


def border_output_corner(
    image: np.ndarray,
    kernel: np.ndarray,
    *,
    size: int,
    border: str,
    operation: str = "correlation",
    mapping: str = "clip",
    fill: int = 255,
) -> np.ndarray:
    """The filtered top-left corner, laid out like `border_corner` for side-by-side viewing.

    The output has no pixels outside the image, so the margin of half a kernel
    above and left of it is filled with `fill`; the output block then lines up
    with the image pixels of ``border_corner(image, size=size, pad=kh // 2, ...)``.

    Parameters
    ----------
    image : ndarray of uint8, shape (H, W) or (H, W, 3)
    kernel : array_like, shape (kh, kw), odd sides
    size : int
        Output pixels along each side, >= 1 (fewer if the image is smaller).
    border, operation, mapping
        As for `filter_image` and `to_display`.
    fill : int
        Grey level of the empty margin.

    Returns
    -------
    ndarray of uint8, shape (kh // 2 + s, kw // 2 + s', 3)
        RGB.
    """
    check_image(image)
    kernel = check_kernel(kernel)
    size = check_int(size, name="size", low=1)
    fill = check_int(fill, name="fill", low=0, high=255)
    height, width = min(size, image.shape[0]), min(size, image.shape[1])
    block = to_display(
        filter_region(image, kernel, top=0, left=0, height=height, width=width, border=border, operation=operation),
        mapping=mapping,
    )
    pad_y, pad_x = kernel.shape[0] // 2, kernel.shape[1] // 2
    canvas = np.full((pad_y + height, pad_x + width, 3), fill, dtype=np.uint8)
    canvas[pad_y:, pad_x:] = block if block.ndim == 3 else block[:, :, None]
    return canvas


def readable_factors(separation: Separation) -> tuple[np.ndarray, np.ndarray]:
    """Rescale a separable kernel's two factors so they read like textbook ones.

    The SVD shares the weight equally (Sobel x comes out as about
    ``[0.71, 1.41, 0.71]`` ⊗ ``[-0.71, 0, 0.71]``). This moves the scale so that
    the column is made of small whole numbers when it can be (``[1, 2, 1]`` ⊗
    ``[-1, 0, 1]``, box ``[1, 1, 1]`` ⊗ ``[1/9, 1/9, 1/9]``), otherwise so that the
    column sums to 1 (a Gaussian's 1-D profile). ``np.outer(column, row)`` still
    rebuilds the kernel.

    Parameters
    ----------
    separation : Separation
        A separable result of `separate_kernel`.

    Returns
    -------
    column, row : ndarray of float64

    Raises
    ------
    ValueError
        If the kernel is not separable.
    """
    if not separation.separable or separation.column is None or separation.row is None:
        raise ValueError("separation must be of a separable kernel")
    column, row = separation.column, separation.row
    magnitudes = np.abs(column)
    if magnitudes.max() == 0.0:
        return column.copy(), row.copy()
    scale = magnitudes[magnitudes > 1e-12 * magnitudes.max()].min()
    whole = column / scale
    if np.allclose(whole, np.round(whole), atol=1e-9) and np.abs(whole).max() <= 1000:
        return np.round(whole) + 0.0, _snap_fractions(row * scale)
    total = column.sum()
    if abs(total) > 1e-12 * magnitudes.sum():
        return column / total + 0.0, row * total + 0.0
    return column.copy(), row.copy()


def _snap_fractions(values: np.ndarray) -> np.ndarray:
    """Replace values within rounding error of a small fraction (1/9) by that fraction."""
    snapped = values.astype(np.float64).copy()
    for index, value in np.ndenumerate(values):
        for denominator in range(1, _SNAP_DENOMINATOR + 1):
            candidate = round(value * denominator) / denominator
            if abs(candidate - value) <= 1e-12 * max(1.0, abs(value)):
                snapped[index] = candidate
                break
    return snapped + 0.0


# --------------------------------------------------------------------------- facts


@dataclass(frozen=True)
class OutputStats:
    """Facts about a filter output, for the page's "what to notice".

    Attributes
    ----------
    minimum, maximum : float
        Range of the signed float output.
    below_zero, above_255 : float
        Share of values (0..1) below 0 and above 255: what a display mapping must handle.
    mean_in, mean_out : float
        Mean of the input and of the output (all channels): the kernel's sum scales it.
    mean_abs_out : float
        Mean absolute output: the overall strength of an edge response.
    """

    minimum: float
    maximum: float
    below_zero: float
    above_255: float
    mean_in: float
    mean_out: float
    mean_abs_out: float


def output_stats(image: np.ndarray, filtered: np.ndarray) -> OutputStats:
    """Summarise a filter output against its input.

    Parameters
    ----------
    image : ndarray of uint8, shape (H, W) or (H, W, 3)
    filtered : ndarray of float, same shape
        E.g. the output of `filter_image`; values are rounded first, as every
        display mapping does.

    Returns
    -------
    OutputStats
    """
    check_image(image)
    filtered = np.asarray(filtered)
    if filtered.shape != image.shape:
        raise ValueError(f"filtered must have the image's shape {image.shape}, got {filtered.shape}")
    rounded = np.rint(filtered)
    return OutputStats(
        minimum=float(rounded.min()),
        maximum=float(rounded.max()),
        below_zero=float(np.mean(rounded < 0)),
        above_255=float(np.mean(rounded > 255)),
        mean_in=float(image.mean()),
        mean_out=float(filtered.mean()),
        mean_abs_out=float(np.abs(filtered).mean()),
    )


def max_abs_difference(first: np.ndarray, second: np.ndarray) -> float:
    """Largest absolute difference between two arrays of the same shape (0 for identical ones).

    Integer inputs are compared as float64, so uint8 values cannot wrap around.

    Parameters
    ----------
    first, second : ndarray, same shape, real numbers

    Returns
    -------
    float
    """
    first, second = np.asarray(first, dtype=np.float64), np.asarray(second, dtype=np.float64)
    if first.shape != second.shape:
        raise ValueError(f"second must have the shape of first {first.shape}, got {second.shape}")
    return float(np.max(np.abs(first - second))) if first.size else 0.0


@dataclass(frozen=True)
class ImplementationComparison:
    """From-scratch NumPy against ``cv2.filter2D``, timed; see `compare_implementations`.

    Attributes
    ----------
    opencv_full_seconds : float
        `filter_image` on the whole image.
    opencv_seconds, numpy_seconds : float
        `filter_image` and `filter_image_numpy` on the compared block.
    compared_shape : tuple of int
        Shape of the block both were run on (the whole image when small enough).
    cropped : bool
        True when the block is a centre crop of a larger image.
    max_abs_difference : float
        Largest absolute difference between the two outputs on the block.
    """

    opencv_full_seconds: float
    opencv_seconds: float
    numpy_seconds: float
    compared_shape: tuple[int, ...]
    cropped: bool
    max_abs_difference: float


def compare_implementations(
    image: np.ndarray,
    kernel: np.ndarray,
    *,
    border: str = "reflect",
    operation: str = "correlation",
    max_side: int = 512,
    attempt: int = 0,
) -> ImplementationComparison:
    """Time `filter_image` (OpenCV) and `filter_image_numpy` and compare their outputs.

    The from-scratch version is run on a centre crop of at most `max_side` ×
    `max_side` pixels (OpenCV on the same crop, for a fair comparison, and on the
    whole image), so the comparison stays quick on a large photo.

    Parameters
    ----------
    image : ndarray of uint8, shape (H, W) or (H, W, 3)
    kernel : array_like, shape (kh, kw), odd sides
    border, operation
        As for `filter_image`.
    max_side : int
        Largest crop side for the from-scratch run, 1 to 4096.
    attempt : int
        Which measurement this is. Not used in the computation: a cache keyed on the arguments (such as
        ``ui.cache.step``) measures again when it changes.

    Returns
    -------
    ImplementationComparison
        Times are wall-clock seconds from one run each.
    """
    check_image(image)
    kernel = check_kernel(kernel)
    block = _centre_crop(image, max_side)
    start = time.perf_counter()
    filter_image(image, kernel, border=border, operation=operation)
    opencv_full = time.perf_counter() - start
    start = time.perf_counter()
    fast = filter_image(block, kernel, border=border, operation=operation)
    opencv_block = time.perf_counter() - start
    start = time.perf_counter()
    slow = filter_image_numpy(block, kernel, border=border, operation=operation)
    numpy_block = time.perf_counter() - start
    return ImplementationComparison(
        opencv_full_seconds=opencv_full,
        opencv_seconds=opencv_block,
        numpy_seconds=numpy_block,
        compared_shape=tuple(block.shape),
        cropped=block.shape != image.shape,
        max_abs_difference=max_abs_difference(fast, slow),
    )


# --------------------------------------------------------------------------- the lesson's side panels


#: The blue mixed into made-up pixels (`border_corner`) and drawn around outputs that used them.
MADE_UP_BLUE = (60, 120, 255)


def padded_corners(image: np.ndarray, *, size: int, pad: int, cell: int) -> dict[str, np.ndarray]:
    """The top-left corner as every border mode pads it (`border_corner`), each pixel drawn as a cell.

    Parameters
    ----------
    image : ndarray of uint8, shape (H, W) or (H, W, 3)
    size : int
        Image pixels along each side, >= 1 (fewer if the image is smaller).
    pad : int
        Made-up rows and columns, >= 0 (half the kernel side).
    cell : int
        Side of one pixel's cell, grid line included, 4 to 64 (`processing.display.draw_cells`).

    Returns
    -------
    dict of str to ndarray
        For each of `BORDER_MODES`: uint8 RGB, shape ``((pad + s) * cell + 1, (pad + s') * cell + 1, 3)``,
        made-up pixels tinted blue. Independent of the kernel's weights.
    """
    return {mode: draw_cells(border_corner(image, size=size, pad=pad, border=mode, tint=MADE_UP_BLUE), cell=cell)
            for mode in BORDER_MODES}


@dataclass(frozen=True)
class OutputCorner:
    """One border mode's filtered top-left corner; see `output_corners`.

    Attributes
    ----------
    picture : ndarray of uint8, shape (h, w, 4)
        RGBA, on the same grid as the mode's padded input corner (`padded_corners`), so the two line up
        cell for cell: the margin where the input has made-up pixels is transparent, and outputs whose
        window reached outside the image are outlined in blue.
    change : float
        Largest absolute difference from the "reflect" output in the corner, in grey levels after the mapping.
    """

    picture: np.ndarray
    change: float


def output_corners(
    image: np.ndarray, kernel: np.ndarray, *, size: int, operation: str, mapping: str, cell: int
) -> dict[str, OutputCorner]:
    """The filtered top-left corner under every border mode, drawn to line up with `padded_corners`.

    Parameters
    ----------
    image : ndarray of uint8, shape (H, W) or (H, W, 3)
    kernel : array_like, shape (kh, kw), odd sides
    size : int
        Output pixels along each side, >= 1 (fewer if the image is smaller).
    operation, mapping
        As for `filter_image` and `to_display`.
    cell : int
        Side of one pixel's cell, 4 to 64, as given to `padded_corners`.

    Returns
    -------
    dict of str to OutputCorner
        One per border mode, in the order of `BORDER_MODES`.
    """
    kernel = check_kernel(kernel)
    pad_y, pad_x = kernel.shape[0] // 2, kernel.shape[1] // 2
    outputs = {mode: border_output_corner(image, kernel, size=size, border=mode, operation=operation,
                                          mapping=mapping, fill=0) for mode in BORDER_MODES}
    # Outputs whose window reaches past the image (all of them on an image smaller than the kernel).
    rows, cols = np.arange(outputs["reflect"].shape[0] - pad_y), np.arange(outputs["reflect"].shape[1] - pad_x)
    reached = ((rows < pad_y) | (rows >= image.shape[0] - pad_y))[:, None] | \
        ((cols < pad_x) | (cols >= image.shape[1] - pad_x))[None, :]
    corners = {}
    for mode, canvas in outputs.items():
        cells = draw_cells(canvas, cell=cell)
        picture = np.dstack([cells, np.full(cells.shape[:2], 255, np.uint8)])
        picture[: pad_y * cell, :, 3] = 0  # no output there (the input's made-up margin): transparent
        picture[:, : pad_x * cell, 3] = 0
        ring = 2 if cell >= 12 else 1  # the outline's width: small cells keep most of their colour
        for r, c in zip(*np.nonzero(reached)):
            top, left = (pad_y + r) * cell + 1, (pad_x + c) * cell + 1
            inner = cell - 1  # the cell's pixels inside its grid lines
            for lines in (slice(top, top + ring), slice(top + inner - ring, top + inner)):
                picture[lines, left:left + inner, :3] = MADE_UP_BLUE
            for lines in (slice(left, left + ring), slice(left + inner - ring, left + inner)):
                picture[top:top + inner, lines, :3] = MADE_UP_BLUE
        block = canvas[pad_y:, pad_x:]
        corners[mode] = OutputCorner(picture, max_abs_difference(block, outputs["reflect"][pad_y:, pad_x:]))
    return corners


@dataclass(frozen=True)
class SignedViews:
    """A filter's signed output on a centre crop, and the crop under every display mapping.

    Attributes
    ----------
    stats : OutputStats
        Facts about the signed output on the crop.
    shape : tuple of int
        ``(height, width)`` of the crop.
    pictures : dict of str to ndarray
        uint8, one per `DISPLAY_MAPPINGS` (``"wrap"`` is the pitfall).
    """

    stats: OutputStats
    shape: tuple[int, int]
    pictures: dict[str, np.ndarray]


def signed_views(
    image: np.ndarray, kernel: np.ndarray, *, border: str = "reflect", operation: str = "correlation",
    max_side: int = 320,
) -> SignedViews:
    """Filter the central block of an image and map the signed result for display every way there is.

    Parameters
    ----------
    image : ndarray of uint8, shape (H, W) or (H, W, 3)
    kernel : array_like, shape (kh, kw), odd sides
    border, operation
        As for `filter_image`; the border only matters where the block touches the image's edge.
    max_side : int
        Largest side of the central block, 1 to 4096.

    Returns
    -------
    SignedViews
    """
    check_image(image)
    top, left, bottom, right = _centre_window(image.shape, max_side)
    signed = filter_region(image, kernel, top=top, left=left, height=bottom - top, width=right - left,
                           border=border, operation=operation)
    stats = output_stats(np.ascontiguousarray(image[top:bottom, left:right]), signed)
    return SignedViews(stats, (bottom - top, right - left),
                       {name: to_display(signed, mapping=name) for name in DISPLAY_MAPPINGS})


@dataclass(frozen=True)
class FlipComparison:
    """Correlation against convolution with one kernel; see `flip_comparison`.

    Attributes
    ----------
    mapping : str
        The display mapping used (`suggested_mapping` of the kernel).
    difference : float
        Largest absolute difference between the two signed outputs.
    negates : bool
        True when flipping the kernel gives its negative (every edge changes sign).
    pictures : dict of str to ndarray
        uint8, one per `OPERATIONS`.
    """

    mapping: str
    difference: float
    negates: bool
    pictures: dict[str, np.ndarray]


def flip_comparison(
    image: np.ndarray, kernel: np.ndarray, *, border: str = "reflect", max_side: int = 320
) -> FlipComparison:
    """Correlate and convolve the central block of an image with one kernel and compare.

    Parameters
    ----------
    image : ndarray of uint8, shape (H, W) or (H, W, 3)
    kernel : array_like, shape (kh, kw), odd sides
    border : str
        As for `filter_image`.
    max_side : int
        Largest side of the central block, 1 to 4096.

    Returns
    -------
    FlipComparison
    """
    check_image(image)
    kernel = check_kernel(kernel)
    top, left, bottom, right = _centre_window(image.shape, max_side)
    mapping = suggested_mapping(kernel)
    outputs = {op: filter_region(image, kernel, top=top, left=left, height=bottom - top, width=right - left,
                                 border=border, operation=op) for op in OPERATIONS}
    difference = max_abs_difference(outputs["convolution"], outputs["correlation"])
    negates = bool(np.array_equal(kernel[::-1, ::-1], -kernel))
    return FlipComparison(mapping, difference, negates,
                          {op: to_display(values, mapping=mapping) for op, values in outputs.items()})


@dataclass(frozen=True)
class NoiseResponse:
    """Sobel x on a clean and a noisy copy of an image's central block; see `noise_response`.

    Attributes
    ----------
    noisy : ndarray of uint8
        The block with Gaussian noise added.
    clean_edges, noisy_edges : ndarray of uint8
        The absolute Sobel x response of the clean and the noisy block, clipped to 255.
    clean_strength, noisy_strength : float
        Their mean absolute response (before clipping).
    spread : float
        Standard deviation of the clean block's values: how much the picture itself varies, to compare
        with the noise's sigma.
    """

    noisy: np.ndarray
    clean_edges: np.ndarray
    noisy_edges: np.ndarray
    clean_strength: float
    noisy_strength: float
    spread: float


def noise_response(image: np.ndarray, *, sigma: float, max_side: int = 320, seed: int = 0) -> NoiseResponse:
    """How a derivative kernel answers noise: Sobel x of an image's central block, with and without noise.

    Parameters
    ----------
    image : ndarray of uint8, shape (H, W) or (H, W, 3)
    sigma : float
        Standard deviation of the added noise in grey levels, 0 to 100 (`filters.add_gaussian_noise`).
    max_side : int
        Largest side of the central block, 1 to 4096.
    seed : int
        Seed of the noise.

    Returns
    -------
    NoiseResponse
    """
    check_image(image)
    crop = _centre_crop(image, max_side)
    noisy = add_gaussian_noise(crop, sigma=sigma, seed=seed)
    sobel = kernel_preset("sobel_x")
    clean_edges, noisy_edges = filter_image(crop, sobel), filter_image(noisy, sobel)
    return NoiseResponse(noisy, to_display(clean_edges, mapping="abs"), to_display(noisy_edges, mapping="abs"),
                         output_stats(crop, clean_edges).mean_abs_out, output_stats(noisy, noisy_edges).mean_abs_out,
                         float(crop.std()))


def preset_responses(image: np.ndarray, *, presets: tuple[str, ...], max_side: int = 160) -> tuple[np.ndarray, ...]:
    """The grey central block of an image filtered with each of some presets, as absolute values.

    Parameters
    ----------
    image : ndarray of uint8, shape (H, W) or (H, W, 3)
        Colour images are converted to grey (`color.to_gray`) after cropping.
    presets : tuple of str
        Names in `PRESETS`, each used at size 3.
    max_side : int
        Largest side of the central block, 1 to 4096.

    Returns
    -------
    tuple of ndarray
        uint8 ``(h, w)``, one per preset: ``to_display(filter_image(block, preset), mapping="abs")``.
    """
    check_image(image)
    block = _centre_crop(image, max_side)
    grey = to_gray(block) if block.ndim == 3 else block
    return tuple(to_display(filter_image(grey, kernel_preset(name)), mapping="abs") for name in presets)
