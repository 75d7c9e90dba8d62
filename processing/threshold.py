"""Thresholding: turning a grey image into a binary mask.

Every mask here is a bool array of shape ``(H, W)``, True for foreground. One
comparison is used throughout, the one OpenCV's ``THRESH_BINARY`` uses:

* bright objects (the default): foreground where ``pixel > t``;
* dark objects (``dark_objects=True``): foreground where ``pixel <= t``,
  as ``THRESH_BINARY_INV``.

So a pixel exactly equal to ``t`` is background for bright objects and
foreground for dark ones, and the two masks are exact complements.

How the libraries line up with that rule (checked in the tests):

* Otsu: OpenCV and ``skimage.filters.threshold_otsu`` both split into
  ``<= t`` and ``> t`` and agree on natural images; they can only differ
  between thresholds of equal variance (see `otsu_threshold`).
* Other scikit-image methods return floats with foreground ``image > t``;
  for integer pixels that is ``image > floor(t)`` (`AutoThreshold.level`).
* Triangle: OpenCV and scikit-image place the line slightly differently
  and can be one grey level apart either way (see `triangle_threshold`).
* Multi-Otsu: the optimised classes are ``<= t1 < ... <= t2 < ...``, i.e.
  ``np.digitize(image, thresholds, right=True)``, not the ``right=False``
  in scikit-image's own example (see `multi_otsu`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np
from skimage import filters

from processing._checks import check_choice, check_float, check_gray, check_image, check_int, check_mask
from processing.stats import channel_histograms

__all__ = [
    "AUTO_METHODS",
    "ADAPTIVE_METHODS",
    "AdaptiveResult",
    "AutoThreshold",
    "GlobalAndLocal",
    "MultiOtsuResult",
    "OtsuCurve",
    "ThresholdResult",
    "adaptive_selection",
    "adaptive_threshold",
    "auto_thresholds",
    "between_class_variance",
    "class_shares",
    "global_and_local",
    "labels_to_gray",
    "local_threshold",
    "manual_threshold",
    "multi_otsu",
    "otsu_curve",
    "otsu_selection",
    "otsu_threshold",
    "overlay_mask",
    "triangle_threshold",
]

#: Automatic methods offered by `auto_thresholds`, in display order.
AUTO_METHODS = ("otsu", "li", "yen", "isodata", "mean", "minimum", "triangle")

#: Local-mean kinds offered by `adaptive_threshold`.
ADAPTIVE_METHODS = ("mean", "gaussian")


@dataclass(frozen=True)
class ThresholdResult:
    """A binary mask, the threshold that made it and how much of the image it selects.

    Attributes
    ----------
    mask : ndarray of bool, shape (H, W)
        True where the pixel is foreground.
    fraction : float
        Share of pixels that are foreground, in ``[0, 1]``.
    count : int
        Number of foreground pixels.
    threshold : int
        The threshold ``t`` compared with (foreground ``> t``, or ``<= t`` for dark objects).
    """

    mask: np.ndarray
    fraction: float
    count: int = 0
    threshold: int = 0


@dataclass(frozen=True)
class AutoThreshold:
    """One automatic method's answer in `auto_thresholds`.

    Attributes
    ----------
    threshold : float or None
        The threshold as scikit-image returns it (foreground is ``image > threshold``),
        or None if the method has no answer for this image.
    level : int or None
        ``floor(threshold)`` clipped to ``[0, 255]``: the integer to give
        `manual_threshold` to get the same mask (for integer pixels,
        ``p > t`` exactly when ``p > floor(t)``). None when `threshold` is None.
    reason : str or None
        Why there is no threshold, in a sentence a page can show; None when there is one.
    """

    threshold: float | None
    level: int | None
    reason: str | None


@dataclass(frozen=True)
class MultiOtsuResult:
    """Thresholds and class labels from `multi_otsu`.

    Attributes
    ----------
    thresholds : tuple of int
        ``classes - 1`` increasing grey levels; empty when the image has too few
        distinct grey levels (see `reason`).
    labels : ndarray of uint8, shape (H, W)
        Class of each pixel, ``0 .. classes - 1``: class ``k`` holds the pixels with
        ``thresholds[k - 1] < pixel <= thresholds[k]``. All zeros when `thresholds` is empty.
    reason : str or None
        Why there are no thresholds; None when there are.
    """

    thresholds: tuple[int, ...]
    labels: np.ndarray
    reason: str | None


def _check_color(color: Sequence[int], *, name: str) -> tuple[int, int, int]:
    """Check an RGB colour given as three integers in ``[0, 255]``."""
    if isinstance(color, (str, bytes)) or not isinstance(color, (Sequence, np.ndarray)):
        raise ValueError(f"{name} must be three integers (R, G, B), got {color!r}")
    if len(color) != 3:
        raise ValueError(f"{name} must have 3 values (R, G, B), got {len(color)}")
    red, green, blue = (check_int(c, name=name, low=0, high=255) for c in color)
    return red, green, blue


def manual_threshold(
    image: np.ndarray, *, threshold: int, dark_objects: bool = False
) -> ThresholdResult:
    """Select the pixels above (or, for dark objects, at or below) a threshold.

    Parameters
    ----------
    image : ndarray of uint8, shape (H, W)
        Grey image, values 0..255.
    threshold : int
        Threshold ``t`` in ``[-1, 255]``. ``t = -1`` puts every pixel on the
        bright side; it is accepted because OpenCV's triangle method can
        return it (see `triangle_threshold`).
    dark_objects : bool
        False: foreground is ``image > t`` (``cv2.THRESH_BINARY``).
        True: foreground is ``image <= t`` (``cv2.THRESH_BINARY_INV``).

    Returns
    -------
    ThresholdResult
        ``mask`` (bool, shape (H, W)) and ``fraction`` of foreground pixels in ``[0, 1]``.

    Raises
    ------
    ValueError
        If `image` is not grey uint8 or `threshold` is not an integer in ``[-1, 255]``.
    """
    check_gray(image)
    threshold = check_int(threshold, name="threshold", low=-1, high=255)
    mask = image <= threshold if dark_objects else image > threshold
    count = int(np.count_nonzero(mask))
    return ThresholdResult(mask=mask, fraction=count / mask.size, count=count, threshold=threshold)


def otsu_selection(image: np.ndarray, *, dark_objects: bool = False) -> ThresholdResult:
    """The mask of Otsu's threshold: `manual_threshold` with ``t = otsu_threshold(image)``.

    Parameters
    ----------
    image : ndarray of uint8, shape (H, W)
        Grey image.
    dark_objects : bool
        False: foreground ``image > t``; True: ``image <= t``.

    Returns
    -------
    ThresholdResult
        The mask, its share and count, and Otsu's ``t`` as `threshold`.
    """
    return manual_threshold(image, threshold=otsu_threshold(image), dark_objects=dark_objects)


def otsu_threshold(image: np.ndarray) -> int:
    """Otsu's threshold exactly as OpenCV computes it.

    Parameters
    ----------
    image : ndarray of uint8, shape (H, W)
        Grey image.

    Returns
    -------
    int
        ``t`` in ``[0, 255]``; foreground is ``image > t``. It maximises the
        between-class variance of the split ``{<= t} | {> t}`` (see
        `between_class_variance`). For a constant image OpenCV finds no split
        and returns 0, which selects every pixel unless the image is all 0.

    Notes
    -----
    ``skimage.filters.threshold_otsu`` uses the same split (foreground
    ``> t``) and returns the same value for natural images. Where several
    thresholds give the same variance (a gap in the histogram, or a
    symmetric one) the libraries may pick different ones, because OpenCV
    updates its class means incrementally and rounding breaks the tie; such
    thresholds are equally good and, inside a gap, give the same mask.
    """
    check_gray(image)
    value, _ = cv2.threshold(image, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    return int(value)


def between_class_variance(image: np.ndarray) -> np.ndarray:
    """Otsu's between-class variance for every threshold 0..255.

    For threshold ``t`` the pixels split into class 0 (``pixel <= t``) and
    class 1 (``pixel > t``) with shares ``w0, w1`` and mean grey levels
    ``m0, m1``; the between-class variance is ``w0 * w1 * (m0 - m1) ** 2``.
    Otsu's threshold is where it peaks.

    Parameters
    ----------
    image : ndarray of uint8, shape (H, W)
        Grey image.

    Returns
    -------
    ndarray of float64, shape (256,)
        Variance in grey levels squared, ``>= 0``; 0 where a class is empty
        (below the darkest pixel, from the brightest one on, and everywhere
        for a constant image). ``np.argmax`` gives the first best threshold.

    Notes
    -----
    Computed from integer cumulative sums as
    ``(S * n0 - N * s0) ** 2 / (N**2 * n0 * (N - n0))`` (``n0, s0`` count and
    grey-level sum of class 0, ``N, S`` of the image), so thresholds that
    split the pixels identically get bit-identical values and ``argmax`` is
    well defined across a histogram gap.
    """
    check_gray(image)
    counts = channel_histograms(image)[0]
    n0 = np.cumsum(counts)
    s0 = np.cumsum(counts * np.arange(256, dtype=np.int64))
    total_n, total_s = int(n0[-1]), int(s0[-1])
    # Exact in int64 for images up to ~190 megapixels.
    numerator = (total_s * n0 - total_n * s0).astype(np.float64) ** 2
    denominator = float(total_n) ** 2 * n0.astype(np.float64) * (total_n - n0)
    return np.divide(
        numerator, denominator, out=np.zeros(256), where=(n0 > 0) & (n0 < total_n)
    )


@dataclass(frozen=True)
class OtsuCurve:
    """Otsu's threshold with the curve it is the peak of (see `otsu_curve`).

    Attributes
    ----------
    threshold : int
        Otsu's ``t`` as OpenCV computes it (`otsu_threshold`).
    variance : ndarray of float64, shape (256,)
        Between-class variance for every ``t`` (`between_class_variance`).
    peak : float
        The largest variance, ``>= 0``; 0 for an image with one grey level.
    n_levels : int
        Number of distinct grey levels in the image, 1 to 256.
    darkest : int
        The darkest grey level present (the only one when `n_levels` is 1).
    """

    threshold: int
    variance: np.ndarray
    peak: float
    n_levels: int
    darkest: int

    def share_of_peak(self, t: int) -> float:
        """The variance at ``t`` as a share of the peak, in ``[0, 1]``; 0 outside 0..255 or for a flat curve."""
        if self.peak <= 0 or not 0 <= t <= 255:
            return 0.0
        return float(self.variance[t]) / self.peak


def otsu_curve(image: np.ndarray) -> OtsuCurve:
    """Otsu's threshold, the between-class variance curve and the grey levels present.

    Parameters
    ----------
    image : ndarray of uint8, shape (H, W)
        Grey image.

    Returns
    -------
    OtsuCurve
        See `OtsuCurve`.
    """
    check_gray(image)
    counts = channel_histograms(image)[0]
    variance = between_class_variance(image)
    present = np.flatnonzero(counts)
    return OtsuCurve(threshold=otsu_threshold(image), variance=variance, peak=float(variance.max()),
                     n_levels=int(present.size), darkest=int(present[0]))


def triangle_threshold(image: np.ndarray) -> int:
    """The triangle threshold exactly as OpenCV computes it.

    The method draws a line from the histogram's peak to the far end of its
    longer tail and picks the grey level whose bar lies furthest below that line.

    Parameters
    ----------
    image : ndarray of uint8, shape (H, W)
        Grey image.

    Returns
    -------
    int
        ``t`` in ``[-1, 255]``; foreground is ``image > t``, the mask
        ``cv2.threshold(..., cv2.THRESH_BINARY | cv2.THRESH_TRIANGLE)`` gives.

    Notes
    -----
    OpenCV shifts its answer down by one (mirrored when the longer tail is
    on the bright side, so it works on the flipped histogram). When the histogram is squeezed against an end of
    the range (a constant image of 1, or only levels 253 and 254) that makes
    it return -1 (every pixel foreground, kept as is) or 256 (no pixel
    foreground, returned as 255, which selects the same nothing).

    ``skimage.filters.threshold_triangle`` can differ by one grey level either
    way: OpenCV widens the histogram by one empty bin on each side and then
    shifts the result by one, scikit-image does neither.
    """
    check_gray(image)
    value, _ = cv2.threshold(image, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_TRIANGLE)
    return min(int(value), 255)


def auto_thresholds(image: np.ndarray) -> dict[str, AutoThreshold]:
    """Thresholds of several automatic methods from scikit-image.

    Never raises for a valid image: a method that has no answer (a constant
    image, or ``threshold_minimum`` on a histogram without two peaks) gets
    ``threshold=None`` and a reason.

    Parameters
    ----------
    image : ndarray of uint8, shape (H, W)
        Grey image.

    Returns
    -------
    dict of str to AutoThreshold
        Keyed by the names in `AUTO_METHODS`, in that order. Each threshold
        is a float in ``[0, 255]`` with foreground ``image > threshold``.

    Raises
    ------
    ValueError
        If `image` is not grey uint8.
    """
    check_gray(image)
    low, high = int(image.min()), int(image.max())
    if low == high:
        reason = f"The image has a single grey level ({low}), so there is nothing to separate."
        return {name: AutoThreshold(None, None, reason) for name in AUTO_METHODS}

    # One histogram over min..max, which is what scikit-image builds itself for
    # integer images (a wider range would add empty bins and change some results).
    counts = channel_histograms(image)[0][low : high + 1]
    hist = (counts, np.arange(low, high + 1))
    methods = {
        "otsu": lambda: filters.threshold_otsu(hist=hist),
        "li": lambda: filters.threshold_li(image),
        "yen": lambda: filters.threshold_yen(hist=hist),
        "isodata": lambda: filters.threshold_isodata(hist=hist),
        "mean": lambda: filters.threshold_mean(image),
        "minimum": lambda: filters.threshold_minimum(hist=hist),
        "triangle": lambda: filters.threshold_triangle(image),
    }
    results = {}
    for name, method in methods.items():
        try:
            value = float(method())
        except (RuntimeError, ValueError) as error:
            results[name] = AutoThreshold(None, None, f"{name} found no threshold: {error}")
            continue
        if not math.isfinite(value):
            results[name] = AutoThreshold(None, None, f"{name} returned {value}.")
            continue
        results[name] = AutoThreshold(value, min(max(math.floor(value), 0), 255), None)
    return results


def multi_otsu(image: np.ndarray, *, classes: int = 3) -> MultiOtsuResult:
    """Split a grey image into several classes with multi-level Otsu.

    Parameters
    ----------
    image : ndarray of uint8, shape (H, W)
        Grey image.
    classes : int
        Number of classes, 2 to 4 (5 already takes seconds).

    Returns
    -------
    MultiOtsuResult
        ``thresholds`` (``classes - 1`` ints), ``labels`` (uint8, (H, W),
        ``0 .. classes - 1``) and ``reason`` (None unless the image has fewer
        distinct grey levels than `classes`, in which case there are no
        thresholds and all labels are 0).

    Notes
    -----
    ``skimage.filters.threshold_multiotsu`` maximises the between-class
    variance of the classes ``<= t1``, ``(t1, t2]``, ``> t2``, the same rule
    as Otsu's ``image > t``. Its docstring labels pixels with
    ``np.digitize(image, thresholds)``, which puts a pixel *equal* to a
    threshold in the upper class; here the labels follow the optimised split,
    i.e. ``np.digitize(image, thresholds, right=True)``.
    """
    check_gray(image)
    classes = check_int(classes, name="classes", low=2, high=4)
    counts = channel_histograms(image)[0]
    n_levels = np.count_nonzero(counts)
    labels = np.zeros(image.shape, dtype=np.uint8)
    if n_levels < classes:
        reason = (
            f"The image has {n_levels} distinct grey level{'s' if n_levels != 1 else ''}; "
            f"{classes} classes need at least {classes}."
        )
        return MultiOtsuResult(thresholds=(), labels=labels, reason=reason)
    # Same histogram (min..max) scikit-image would build from the image, built once and fast.
    low, high = int(np.flatnonzero(counts)[0]), int(np.flatnonzero(counts)[-1])
    hist = (counts[low : high + 1], np.arange(low, high + 1))
    thresholds = tuple(int(t) for t in filters.threshold_multiotsu(hist=hist, classes=classes))
    # A 256-entry lookup table is faster than comparing the image once per threshold.
    lut = np.digitize(np.arange(256), thresholds, right=True).astype(np.uint8)
    return MultiOtsuResult(thresholds=thresholds, labels=cv2.LUT(image, lut), reason=None)


def adaptive_threshold(
    image: np.ndarray,
    *,
    method: str = "mean",
    block_size: int = 11,
    offset: int = 2,
    dark_objects: bool = False,
) -> np.ndarray:
    """Threshold each pixel against the mean of its neighbourhood.

    Foreground is ``image > round(local_mean) - offset`` (or ``<=`` for dark
    objects), as ``cv2.adaptiveThreshold`` computes it: OpenCV rounds the
    local mean to an integer before comparing.

    Parameters
    ----------
    image : ndarray of uint8, shape (H, W)
        Grey image.
    method : {"mean", "gaussian"}
        Plain box mean (``ADAPTIVE_THRESH_MEAN_C``) or Gaussian-weighted mean
        (``ADAPTIVE_THRESH_GAUSSIAN_C``, sigma chosen by OpenCV from the block size).
    block_size : int
        Side of the square neighbourhood, odd, 3 to 255. Borders replicate the edge pixel.
    offset : int
        OpenCV's ``C``, in ``[-255, 255]``: subtracted from the local mean, so a
        positive offset keeps flat regions out of the foreground.
    dark_objects : bool
        False: ``THRESH_BINARY``; True: ``THRESH_BINARY_INV``.

    Returns
    -------
    ndarray of bool, shape (H, W)
        True for foreground.
    """
    check_gray(image)
    check_choice(method, name="method", choices=ADAPTIVE_METHODS)
    block_size = check_int(block_size, name="block_size", low=3, high=255, odd=True)
    offset = check_int(offset, name="offset", low=-255, high=255)
    cv_method = {"mean": cv2.ADAPTIVE_THRESH_MEAN_C, "gaussian": cv2.ADAPTIVE_THRESH_GAUSSIAN_C}
    cv_type = cv2.THRESH_BINARY_INV if dark_objects else cv2.THRESH_BINARY
    binary = cv2.adaptiveThreshold(image, 255, cv_method[method], cv_type, block_size, offset)
    return binary > 0


def local_threshold(
    image: np.ndarray, *, method: str = "mean", block_size: int = 11, offset: int = 2
) -> np.ndarray:
    """The threshold `adaptive_threshold` uses at every pixel: the local mean minus the offset.

    Parameters
    ----------
    image : ndarray of uint8, shape (H, W)
        Grey image.
    method, block_size, offset
        As in `adaptive_threshold`.

    Returns
    -------
    ndarray of int16, shape (H, W)
        ``round(local_mean) - offset``, in ``[-255, 510]``: ``adaptive_threshold``
        selects ``image > local_threshold`` (or ``<=`` for dark objects). The
        local mean is rounded to uint8 first, as ``cv2.adaptiveThreshold`` does.
    """
    check_gray(image)
    check_choice(method, name="method", choices=ADAPTIVE_METHODS)
    block_size = check_int(block_size, name="block_size", low=3, high=255, odd=True)
    offset = check_int(offset, name="offset", low=-255, high=255)
    # The filters and borders cv2.adaptiveThreshold uses: a separable Gaussian rounded to
    # uint8 (cv2.GaussianBlur's fixed-point path rounds differently and disagrees on ~0.1 %).
    border = cv2.BORDER_REPLICATE | cv2.BORDER_ISOLATED
    if method == "mean":
        local_mean = cv2.boxFilter(image, -1, (block_size, block_size), normalize=True, borderType=border)
    else:
        kernel = cv2.getGaussianKernel(block_size, 0)
        local_mean = cv2.sepFilter2D(image, -1, kernel, kernel, borderType=border)
    return local_mean.astype(np.int16) - np.int16(offset)


@dataclass(frozen=True)
class AdaptiveResult:
    """An adaptive threshold's mask with the local thresholds behind it (see `adaptive_selection`).

    Attributes
    ----------
    mask : ndarray of bool, shape (H, W)
        True for foreground, as `adaptive_threshold`.
    surface : ndarray of int16, shape (H, W)
        The threshold at every pixel, as `local_threshold`.
    low, high : int
        Smallest and largest value of `surface`.
    fraction : float
        Share of foreground pixels, in ``[0, 1]``.
    """

    mask: np.ndarray
    surface: np.ndarray
    low: int
    high: int
    fraction: float


def adaptive_selection(
    image: np.ndarray, *, method: str = "mean", block_size: int = 11, offset: int = 2, dark_objects: bool = False
) -> AdaptiveResult:
    """`adaptive_threshold` together with `local_threshold`, the surface it compares each pixel with.

    Parameters
    ----------
    image : ndarray of uint8, shape (H, W)
        Grey image.
    method, block_size, offset, dark_objects
        As in `adaptive_threshold`.

    Returns
    -------
    AdaptiveResult
        The mask, the local thresholds, their range and the share selected.
    """
    mask = adaptive_threshold(image, method=method, block_size=block_size, offset=offset, dark_objects=dark_objects)
    surface = local_threshold(image, method=method, block_size=block_size, offset=offset)
    return AdaptiveResult(mask=mask, surface=surface, low=int(surface.min()), high=int(surface.max()),
                          fraction=np.count_nonzero(mask) / mask.size)


@dataclass(frozen=True)
class GlobalAndLocal:
    """One image of dark objects thresholded three ways (see `global_and_local`).

    Attributes
    ----------
    otsu_threshold : int
        Otsu's ``t`` for the whole image.
    global_mask, local_mask, fixed_mask : ndarray of bool, shape (H, W)
        ``image <= otsu_threshold``, the adaptive mask, and ``image <= fixed``.
    left_share : float
        Share of the left quarter's pixels (``[:, : W // 4]``) in `global_mask`, in ``[0, 1]``.
    """

    otsu_threshold: int
    global_mask: np.ndarray
    local_mask: np.ndarray
    fixed_mask: np.ndarray
    left_share: float


def global_and_local(
    image: np.ndarray, *, method: str = "mean", block_size: int = 25, offset: int = 10, fixed: int = 200
) -> GlobalAndLocal:
    """Dark objects under uneven light: Otsu's single threshold, an adaptive one and a fixed one.

    Parameters
    ----------
    image : ndarray of uint8, shape (H, W)
        Grey image of dark objects (text) on a light background.
    method, block_size, offset
        The adaptive threshold, as in `adaptive_threshold`.
    fixed : int
        A hand-picked global threshold, ``[0, 255]``.

    Returns
    -------
    GlobalAndLocal
        The three masks (dark objects: ``<=``), Otsu's ``t`` and how much of the left quarter it selects.
    """
    otsu = otsu_selection(image, dark_objects=True)
    left = otsu.mask[:, : max(image.shape[1] // 4, 1)]
    return GlobalAndLocal(
        otsu_threshold=otsu.threshold,
        global_mask=otsu.mask,
        local_mask=adaptive_threshold(image, method=method, block_size=block_size, offset=offset, dark_objects=True),
        fixed_mask=manual_threshold(image, threshold=check_int(fixed, name="fixed", low=0, high=255),
                                    dark_objects=True).mask,
        left_share=np.count_nonzero(left) / left.size,
    )


def labels_to_gray(labels: np.ndarray, *, classes: int) -> np.ndarray:
    """Spread class labels ``0 .. classes - 1`` evenly over black to white, for display.

    Parameters
    ----------
    labels : ndarray of uint8, shape (H, W)
        Class of each pixel, as `multi_otsu` returns it.
    classes : int
        Number of classes, 2 to 4.

    Returns
    -------
    ndarray of uint8, shape (H, W)
        Class ``k`` becomes ``round(255 * k / (classes - 1))`` (3 classes: 0, 128, 255).
    """
    check_gray(labels, name="labels")
    classes = check_int(classes, name="classes", low=2, high=4)
    if labels.max() >= classes:
        raise ValueError(f"labels must be below classes ({classes}), got {labels.max()}")
    return cv2.LUT(labels, gray_levels(classes))


def gray_levels(classes: int) -> np.ndarray:
    """The display grey of each class: ``round(255 * k / (classes - 1))`` as a 256-entry uint8 table."""
    classes = check_int(classes, name="classes", low=2, high=4)
    table = np.zeros(256, dtype=np.uint8)
    table[:classes] = np.rint(255 * np.arange(classes) / (classes - 1))
    return table


def class_shares(labels: np.ndarray, *, classes: int) -> tuple[float, ...]:
    """Share of pixels in each class.

    Parameters
    ----------
    labels : ndarray of uint8, shape (H, W)
        Class of each pixel, ``0 .. classes - 1``.
    classes : int
        Number of classes, 2 to 4.

    Returns
    -------
    tuple of float
        One share per class, each in ``[0, 1]``, summing to 1.
    """
    check_gray(labels, name="labels")
    classes = check_int(classes, name="classes", low=2, high=4)
    counts = np.bincount(labels.ravel(), minlength=classes)
    if counts.size > classes:
        raise ValueError(f"labels must be below classes ({classes}), got {labels.max()}")
    return tuple(float(c) / labels.size for c in counts)


def overlay_mask(
    image: np.ndarray,
    mask: np.ndarray,
    *,
    color: Sequence[int] = (255, 0, 0),
    alpha: float = 0.5,
) -> np.ndarray:
    """Tint the foreground of a mask over an image.

    Parameters
    ----------
    image : ndarray of uint8, shape (H, W) or (H, W, 3)
        Grey or RGB image; grey is shown as grey RGB.
    mask : ndarray of bool, shape (H, W)
        Pixels to tint.
    color : sequence of 3 int
        Tint as (R, G, B), each 0..255.
    alpha : float
        Tint strength in ``[0, 1]``: masked pixels become
        ``(1 - alpha) * pixel + alpha * color``, rounded half to even
        (the same as ``cv2.addWeighted`` with a solid colour image, except
        possibly at exact halves, where OpenCV rounds in float32).

    Returns
    -------
    ndarray of uint8, shape (H, W, 3)
        RGB image; pixels outside the mask are the image's own.
    """
    check_image(image)
    check_mask(mask)
    if mask.shape != image.shape[:2]:
        raise ValueError(f"mask must have shape {image.shape[:2]}, got {mask.shape}")
    color = _check_color(color, name="color")
    alpha = check_float(alpha, name="alpha", low=0.0, high=1.0)
    rgb = cv2.cvtColor(image, cv2.COLOR_GRAY2RGB) if image.ndim == 2 else image
    # A per-channel lookup table of tinted values is ~20x faster on 2 MP than blending
    # with a solid colour image and copying through the mask with NumPy indexing.
    table = np.rint((1.0 - alpha) * np.arange(256)[:, None] + alpha * np.array(color))
    tinted = cv2.LUT(rgb, table.astype(np.uint8).reshape(256, 1, 3))
    return cv2.copyTo(tinted, np.ascontiguousarray(mask).view(np.uint8), rgb.copy())
