"""Histograms and point operations: brightness, contrast, gamma, log, stretching, equalisation.

A point operation changes each pixel by its own value alone, so it is fully
described by a lookup table (LUT) of 256 output levels, ``out = lut[in]``. Every
point operation here returns that table with the image so a page can draw the
transfer curve.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import cv2
import numpy as np

from processing._checks import check_choice, check_float, check_gray, check_image, check_int
from processing.color import as_gray
from processing.stats import channel_histograms

__all__ = [
    "COLOR_EQUALIZE_METHODS",
    "LEVELS",
    "LevelLanding",
    "LinearResult",
    "MatchResult",
    "PointResult",
    "StretchResult",
    "adjust_brightness_contrast",
    "adjust_gamma",
    "clahe",
    "count_levels",
    "cumulative_histogram",
    "equalize_color",
    "equalize_histogram",
    "equalize_lut",
    "histogram",
    "invert",
    "level_landing",
    "level_spread",
    "levels_sent_to",
    "lightness_channel",
    "log_transform",
    "match_histogram",
    "match_lut",
    "point_code",
    "stretch_contrast",
]

#: The 256 input levels 0..255 as float64, the x axis of every transfer curve.
LEVELS = np.arange(256, dtype=np.float64)

COLOR_EQUALIZE_METHODS: tuple[str, ...] = ("rgb", "lightness")



class PointResult(NamedTuple):
    """Output of a point operation.

    Attributes
    ----------
    image : ndarray, uint8
        The transformed image, same shape as the input.
    lut : ndarray, uint8, shape (256,) or (3, 256)
        The transfer curve: ``image == lut[input]`` (per channel for (3, 256)).
    """

    image: np.ndarray
    lut: np.ndarray


class LinearResult(NamedTuple):
    """Output of `adjust_brightness_contrast`.

    Attributes
    ----------
    image, lut
        As in `PointResult`; `lut` has shape (256,).
    clipped_low, clipped_high : float
        Share (0-1) of values whose ``a * x + b`` fell below 0 or above 255 and
        were clipped: detail lost in the shadows or highlights.
    """

    image: np.ndarray
    lut: np.ndarray
    clipped_low: float
    clipped_high: float


class StretchResult(NamedTuple):
    """Output of `stretch_contrast`.

    Attributes
    ----------
    image, lut
        As in `PointResult`; `lut` has shape (256,).
    low_level, high_level : int
        Input levels at the chosen percentiles, sent to 0 and 255.
    """

    image: np.ndarray
    lut: np.ndarray
    low_level: int
    high_level: int


def _lut_from_curve(curve: np.ndarray) -> np.ndarray:
    # Round to nearest (ties to even, like OpenCV's saturate_cast) and saturate.
    return np.clip(np.rint(curve), 0, 255).astype(np.uint8)


# --- histograms ----------------------------------------------------------------


def histogram(image: np.ndarray) -> np.ndarray:
    """Count pixels at each level, per channel.

    Parameters
    ----------
    image : ndarray, uint8, shape (H, W) or (H, W, 3)
        Grey or RGB image.

    Returns
    -------
    ndarray, int64, shape (C, 256)
        ``counts[c, v]`` is the number of pixels whose channel ``c`` equals
        ``v``; ``C`` is 1 for grey and 3 (R, G, B) for RGB. Each row sums to
        ``H * W``. The same counts the histogram figures draw
        (`processing.stats.channel_histograms`).
    """
    return channel_histograms(image)


def cumulative_histogram(counts: np.ndarray) -> np.ndarray:
    """Cumulative distribution of a histogram.

    Parameters
    ----------
    counts : ndarray, integer, shape (C, 256) or (256,)
        Histogram counts, as returned by `histogram`.

    Returns
    -------
    ndarray, float64, same shape as `counts`
        ``cdf[..., v]``: share of pixels at level ``v`` or below, rising from
        0-1 to exactly 1 at level 255.
    """
    counts = np.asarray(counts)
    if counts.ndim not in (1, 2) or counts.shape[-1] != 256:
        raise ValueError(f"counts must have shape (256,) or (C, 256), got {counts.shape}")
    if not np.issubdtype(counts.dtype, np.integer) or np.any(counts < 0):
        raise ValueError("counts must be non-negative integers")
    totals = counts.sum(axis=-1, keepdims=True)
    if np.any(totals == 0):
        raise ValueError("counts must not be all zero")
    return np.cumsum(counts, axis=-1) / totals


# --- point operations ----------------------------------------------------------


def adjust_brightness_contrast(
    image: np.ndarray, *, contrast: float = 1.0, brightness: float = 0.0
) -> LinearResult:
    """Linear point operation ``out = contrast * in + brightness``, clipped to 0-255.

    Parameters
    ----------
    image : ndarray, uint8, shape (H, W) or (H, W, 3)
        Grey or RGB image (every channel gets the same curve).
    contrast : float
        Gain ``a``, 0-10; above 1 spreads levels apart, below 1 squeezes them.
    brightness : float
        Offset ``b``, -255 to 255, added after the gain.

    Returns
    -------
    LinearResult
        ``image`` (uint8, same shape), ``lut`` (uint8, (256,)) and the shares
        ``clipped_low`` and ``clipped_high`` (floats 0-1, counted over all
        channel values) that fell outside 0-255 before saturation.

    Notes
    -----
    ``cv2.convertScaleAbs`` looks like the same thing but takes the absolute
    value, so negative results come back positive instead of 0.
    """
    check_image(image)
    a = check_float(contrast, name="contrast", low=0.0, high=10.0)
    b = check_float(brightness, name="brightness", low=-255.0, high=255.0)
    curve = a * LEVELS + b
    lut = _lut_from_curve(curve)
    counts = histogram(image).sum(axis=0)
    total = counts.sum()
    clipped_low = float(counts[curve < 0].sum() / total)
    clipped_high = float(counts[curve > 255].sum() / total)
    return LinearResult(cv2.LUT(image, lut), lut, clipped_low, clipped_high)


def adjust_gamma(image: np.ndarray, *, gamma: float) -> PointResult:
    """Gamma curve ``out = 255 * (in / 255) ** gamma``.

    Parameters
    ----------
    image : ndarray, uint8, shape (H, W) or (H, W, 3)
        Grey or RGB image.
    gamma : float
        Exponent, 0.01-100. Below 1 brightens the shadows, above 1 darkens
        them; 0 and 255 stay fixed.

    Returns
    -------
    PointResult
        ``image`` (uint8, same shape) and ``lut`` (uint8, (256,)).
    """
    check_image(image)
    gamma = check_float(gamma, name="gamma", low=0.01, high=100.0)
    lut = _lut_from_curve(255.0 * (LEVELS / 255.0) ** gamma)
    return PointResult(cv2.LUT(image, lut), lut)


def invert(image: np.ndarray) -> PointResult:
    """Photographic negative ``out = 255 - in``.

    Parameters
    ----------
    image : ndarray, uint8, shape (H, W) or (H, W, 3)
        Grey or RGB image.

    Returns
    -------
    PointResult
        ``image`` (uint8, same shape) and ``lut`` (uint8, (256,), 255 down to 0).
    """
    check_image(image)
    lut = (255 - np.arange(256)).astype(np.uint8)
    return PointResult(cv2.LUT(image, lut), lut)


def log_transform(image: np.ndarray) -> PointResult:
    """Log curve ``out = c * ln(1 + in)`` with ``c = 255 / ln(256)``.

    Parameters
    ----------
    image : ndarray, uint8, shape (H, W) or (H, W, 3)
        Grey or RGB image.

    Returns
    -------
    PointResult
        ``image`` (uint8, same shape) and ``lut`` (uint8, (256,)). Dark levels
        are spread out and bright ones squeezed; 0 and 255 stay fixed.
    """
    check_image(image)
    lut = _lut_from_curve(255.0 / np.log(256.0) * np.log1p(LEVELS))
    return PointResult(cv2.LUT(image, lut), lut)


def stretch_contrast(
    image: np.ndarray, *, low_percentile: float = 2.0, high_percentile: float = 98.0
) -> StretchResult:
    """Stretch the levels between two percentiles to the full 0-255 range.

    Parameters
    ----------
    image : ndarray, uint8, shape (H, W) or (H, W, 3)
        Grey or RGB image. For RGB the percentiles are taken over all channel
        values together and one curve is applied to every channel, so colours
        do not shift.
    low_percentile, high_percentile : float
        Percentiles 0-100, ``low_percentile < high_percentile``. The level at
        each is the smallest level with at least that share of values at or
        below it (``np.percentile(image, p, method="inverted_cdf")``).

    Returns
    -------
    StretchResult
        ``image`` (uint8), ``lut`` (uint8, (256,)) mapping ``low_level`` to 0
        and ``high_level`` to 255 in a straight line, clipping outside, and the
        two levels. If they are equal (a nearly constant image) there is no
        range to stretch and the image is returned unchanged with the identity
        curve.
    """
    check_image(image)
    low_p = check_float(low_percentile, name="low_percentile", low=0.0, high=100.0)
    high_p = check_float(high_percentile, name="high_percentile", low=0.0, high=100.0)
    if low_p >= high_p:
        raise ValueError(
            f"low_percentile must be below high_percentile, got {low_p} and {high_p}"
        )
    # Percentiles read off the cumulative histogram: no sort of millions of pixels.
    cumulative = np.cumsum(histogram(image).sum(axis=0))
    total = int(cumulative[-1])

    def level_at(p: float) -> int:
        rank = min(max(int(np.ceil(total * p / 100.0)), 1), total)
        return int(np.searchsorted(cumulative, rank, side="left"))

    low_level, high_level = level_at(low_p), level_at(high_p)
    if high_level <= low_level:
        lut = np.arange(256, dtype=np.uint8)
    else:
        lut = _lut_from_curve((LEVELS - low_level) * 255.0 / (high_level - low_level))
    return StretchResult(cv2.LUT(image, lut), lut, low_level, high_level)


# --- equalisation --------------------------------------------------------------


def equalize_lut(counts: np.ndarray) -> np.ndarray:
    """The histogram-equalisation curve for one channel's histogram.

    Parameters
    ----------
    counts : ndarray, integer, shape (256,)
        Histogram of one channel.

    Returns
    -------
    ndarray, uint8, shape (256,)
        ``lut[v] = round(255 * (cdf(v) - cdf(v_min)) / (1 - cdf(v_min)))``,
        where ``v_min`` is the darkest level present: the darkest level goes to
        0 and the brightest to 255. Arithmetic is in float32 with ties to even,
        as in ``cv2.equalizeHist``, so the result matches it exactly. For a
        constant channel (one level only) the curve is the identity, because
        OpenCV leaves such an image unchanged.
    """
    counts = np.asarray(counts)
    if counts.shape != (256,):
        raise ValueError(f"counts must have shape (256,), got {counts.shape}")
    if not np.issubdtype(counts.dtype, np.integer) or np.any(counts < 0):
        raise ValueError("counts must be non-negative integers")
    total = int(counts.sum())
    if total == 0:
        raise ValueError("counts must not be all zero")
    v_min = int(np.flatnonzero(counts)[0])
    if counts[v_min] == total:
        return np.arange(256, dtype=np.uint8)
    scale = np.float32(255.0 / (total - int(counts[v_min])))
    # Pixels above the darkest level; negative below it, which the clip sends to 0.
    above_darkest = np.cumsum(counts) - counts[v_min]
    lut = np.rint(above_darkest.astype(np.float32) * scale)
    return np.clip(lut, 0, 255).astype(np.uint8)


def equalize_histogram(image: np.ndarray) -> PointResult:
    """Histogram equalisation, written out: histogram, CDF, lookup table.

    Parameters
    ----------
    image : ndarray, uint8, shape (H, W)
        Grey image (for colour, see `equalize_color`).

    Returns
    -------
    PointResult
        ``image`` (uint8, (H, W)), equal to ``cv2.equalizeHist(image)``, and
        ``lut`` (uint8, (256,)) from `equalize_lut`.
    """
    check_gray(image)
    lut = equalize_lut(histogram(image)[0])
    return PointResult(cv2.LUT(image, lut), lut)


def _rgb(image: np.ndarray) -> np.ndarray:
    check_image(image)
    if image.ndim != 3:
        raise ValueError(f"image must be an RGB (H, W, 3) image, got shape {image.shape}")
    return image


def equalize_color(image: np.ndarray, *, method: str = "lightness") -> PointResult:
    """Histogram equalisation of a colour image, two ways.

    Parameters
    ----------
    image : ndarray, uint8, shape (H, W, 3)
        RGB image.
    method : {"lightness", "rgb"}
        ``"lightness"``: convert to LAB (``cv2.COLOR_RGB2LAB``), equalise only
        L, convert back; a and b (the colour) are kept, so hues stay put.
        LAB is chosen over YCrCb because L is perceptual lightness, and the
        OpenCV CLAHE tutorial uses it too. ``"rgb"``: equalise R, G and B each
        on its own; their balance changes, so colours shift.

    Returns
    -------
    PointResult
        ``image`` (uint8, (H, W, 3)) and ``lut``: shape (3, 256), one curve
        per RGB channel, for ``"rgb"``; shape (256,), the curve applied to
        the L channel, for ``"lightness"``.
    """
    _rgb(image)
    check_choice(method, name="method", choices=COLOR_EQUALIZE_METHODS)
    if method == "rgb":
        luts = np.stack([equalize_lut(counts) for counts in histogram(image)])
        channels = [cv2.LUT(image[..., c], luts[c]) for c in range(3)]
        return PointResult(cv2.merge(channels), luts)
    lab = cv2.cvtColor(image, cv2.COLOR_RGB2LAB)
    lightness, lut = equalize_histogram(np.ascontiguousarray(lab[..., 0]))
    lab[..., 0] = lightness
    return PointResult(cv2.cvtColor(lab, cv2.COLOR_LAB2RGB), lut)


def clahe(
    image: np.ndarray, *, clip_limit: float = 2.0, tile_grid: tuple[int, int] = (8, 8)
) -> np.ndarray:
    """Contrast-limited adaptive histogram equalisation (CLAHE), via OpenCV.

    Each tile gets its own equalisation curve, with every histogram bin capped
    at `clip_limit` times the average bin before the curve is built; pixels
    blend the curves of the four nearest tiles. There is no single LUT.

    Parameters
    ----------
    image : ndarray, uint8, shape (H, W) or (H, W, 3)
        Grey image, or RGB image whose LAB lightness is equalised (as in
        `equalize_color` with ``method="lightness"``).
    clip_limit : float
        0.1-100. Low values limit contrast gain and noise boost; large values
        approach plain per-tile equalisation.
    tile_grid : (int, int)
        Number of tiles as OpenCV's ``tileGridSize``: ``(columns, rows)``,
        each 1-64.

    Returns
    -------
    ndarray, uint8, same shape as `image`
        ``cv2.createCLAHE(clip_limit, tile_grid).apply(...)``.
    """
    check_image(image)
    clip_limit = check_float(clip_limit, name="clip_limit", low=0.1, high=100.0)
    if (
        not isinstance(tile_grid, (tuple, list))
        or len(tile_grid) != 2
        or any(isinstance(t, bool) or not isinstance(t, (int, np.integer)) for t in tile_grid)
        or not all(1 <= t <= 64 for t in tile_grid)
    ):
        raise ValueError(
            f"tile_grid must be two integers (columns, rows), each 1-64, got {tile_grid!r}"
        )
    equalizer = cv2.createCLAHE(clipLimit=clip_limit, tileGridSize=tuple(int(t) for t in tile_grid))
    if image.ndim == 2:
        return equalizer.apply(image)
    lab = cv2.cvtColor(image, cv2.COLOR_RGB2LAB)
    lab[..., 0] = equalizer.apply(np.ascontiguousarray(lab[..., 0]))
    return cv2.cvtColor(lab, cv2.COLOR_LAB2RGB)


# --- looking closer ------------------------------------------------------------


def count_levels(image: np.ndarray) -> int:
    """How many distinct levels an image uses (per channel, the largest count).

    Parameters
    ----------
    image : ndarray, uint8, shape (H, W) or (H, W, 3)
        Grey or RGB image.

    Returns
    -------
    int
        1-256: the number of non-empty histogram bins of the channel that
        uses the most levels. A point operation can merge levels, never split
        them, so this number never grows under one.
    """
    return int(np.count_nonzero(histogram(image), axis=1).max())


def level_spread(before: np.ndarray, after: np.ndarray, *, level: int) -> tuple[int, int, int] | None:
    """Where the pixels of one input level went: how many, lowest and highest output.

    A point operation sends every pixel of a level to the same output, so
    lowest == highest; an adaptive method such as CLAHE does not.

    Parameters
    ----------
    before, after : ndarray, uint8, shape (H, W)
        Grey image before and after an operation that keeps the shape.
    level : int
        Input level, 0-255.

    Returns
    -------
    (count, lowest, highest) or None
        Number of pixels at `level` in `before` and the smallest and largest
        value they have in `after`; None if no pixel has that level.
    """
    check_gray(before, name="before")
    check_gray(after, name="after")
    if before.shape != after.shape:
        raise ValueError(f"after must have the shape of before {before.shape}, got {after.shape}")
    level = check_int(level, name="level", low=0, high=255)
    picked = after[before == level]
    if picked.size == 0:
        return None
    return int(picked.size), int(picked.min()), int(picked.max())


def lightness_channel(image: np.ndarray) -> np.ndarray:
    """The channel equalisation and CLAHE work on: the image itself if grey, its LAB lightness if RGB.

    Parameters
    ----------
    image : ndarray, uint8, shape (H, W) or (H, W, 3)
        Grey or RGB image.

    Returns
    -------
    ndarray, uint8, shape (H, W)
        `image` for grey; for RGB the L channel of ``cv2.COLOR_RGB2LAB`` (OpenCV's 8-bit scaling,
        0-255 for L 0-100), C-contiguous.
    """
    check_image(image)
    if image.ndim == 2:
        return image
    return np.ascontiguousarray(cv2.cvtColor(image, cv2.COLOR_RGB2LAB)[..., 0])


@dataclass(frozen=True)
class LevelLanding:
    """Where one input level goes under a transfer curve; see `level_landing`.

    Attributes
    ----------
    share : float
        Share (0-1) of all values, every channel counted, that sit at the level.
    at_or_below : float
        Share (0-1) of the first channel's values at the level or below (its cumulative histogram).
    outputs : tuple of int
        The level's output under each curve (one for a single curve, R, G, B for three).
    """

    share: float
    at_or_below: float
    outputs: tuple[int, ...]


def level_landing(counts: np.ndarray, lut: np.ndarray, *, level: int) -> LevelLanding:
    """How many values sit at one level and where the transfer curve sends them.

    Parameters
    ----------
    counts : ndarray, integer, shape (C, 256)
        Histogram of the channels the curve is applied to, as returned by `histogram`.
    lut : ndarray, uint8, shape (256,) or (K, 256)
        One transfer curve, or one per channel.
    level : int
        Input level, 0-255.

    Returns
    -------
    LevelLanding
    """
    level = check_int(level, name="level", low=0, high=255)
    lut = np.asarray(lut)
    if lut.ndim not in (1, 2) or lut.shape[-1] != 256:
        raise ValueError(f"lut must have shape (256,) or (K, 256), got {lut.shape}")
    curves = lut.reshape(-1, 256)
    cdf = cumulative_histogram(counts)
    counts = np.asarray(counts).reshape(-1, 256)
    share = float(counts[:, level].sum() / counts.sum())
    return LevelLanding(share, float(cdf.reshape(-1, 256)[0, level]), tuple(int(c[level]) for c in curves))


def levels_sent_to(lut: np.ndarray, *, output: int) -> tuple[int, int] | None:
    """The lowest and highest input levels a transfer curve sends to `output`.

    Parameters
    ----------
    lut : ndarray, uint8, shape (256,)
        A transfer curve.
    output : int
        Output level, 0-255.

    Returns
    -------
    (lowest, highest) or None
        Input levels 0-255; None if no level lands on `output`. For a rising curve every level in between
        lands there too (for example all the highlights a clipped line merges into 255).
    """
    lut = np.asarray(lut)
    if lut.shape != (256,):
        raise ValueError(f"lut must have shape (256,), got {lut.shape}")
    output = check_int(output, name="output", low=0, high=255)
    levels = np.flatnonzero(lut == output)
    return None if levels.size == 0 else (int(levels[0]), int(levels[-1]))


# --- histogram matching ---------------------------------------------------------


def match_lut(counts: np.ndarray, reference_counts: np.ndarray) -> np.ndarray:
    """The histogram-matching (specification) curve for one channel.

    Level ``v`` goes to the level at which the reference's cumulative share
    reaches the image's cumulative share at ``v``, read off the reference's
    levels present by linear interpolation and rounded to nearest (ties to
    even): ``lut[v] = rint(interp(cdf(v), ref_cdf, ref_levels))``. This is
    ``skimage.exposure.match_histograms`` on uint8 images, rounded.
    Equalisation is the special case of a flat reference.

    Parameters
    ----------
    counts : ndarray, integer, shape (256,)
        Histogram of the channel to change.
    reference_counts : ndarray, integer, shape (256,)
        Histogram to aim for.

    Returns
    -------
    ndarray, uint8, shape (256,)
        Non-decreasing, so levels keep their order.
    """
    for name, values in (("counts", counts), ("reference_counts", reference_counts)):
        values = np.asarray(values)
        if values.shape != (256,) or not np.issubdtype(values.dtype, np.integer) or np.any(values < 0):
            raise ValueError(f"{name} must be 256 non-negative integers, got {values.dtype} {values.shape}")
        if values.sum() == 0:
            raise ValueError(f"{name} must not be all zero")
    counts, reference_counts = np.asarray(counts), np.asarray(reference_counts)
    cdf = np.cumsum(counts) / counts.sum()
    present = np.flatnonzero(reference_counts)
    reference_cdf = np.cumsum(reference_counts[present]) / reference_counts.sum()
    return np.clip(np.rint(np.interp(cdf, reference_cdf, present)), 0, 255).astype(np.uint8)


@dataclass(frozen=True)
class MatchResult:
    """Output of `match_histogram`.

    Attributes
    ----------
    image : ndarray, uint8
        The matched image, same shape as the input.
    lut : ndarray, uint8, shape (256,) or (3, 256)
        The curve applied: to the grey image or the LAB lightness, or one per R, G, B channel.
    reference_counts : ndarray, int64, shape (1, 256) or (3, 256)
        The histogram(s) aimed for: the reference's grey or lightness, or its R, G, B.
    """

    image: np.ndarray
    lut: np.ndarray
    reference_counts: np.ndarray


def match_histogram(image: np.ndarray, reference: np.ndarray, *, method: str = "lightness") -> MatchResult:
    """Histogram matching (specification): give an image the histogram of a reference image.

    Parameters
    ----------
    image : ndarray, uint8, shape (H, W) or (H, W, 3)
        Grey or RGB image.
    reference : ndarray, uint8, shape (h, w) or (h, w, 3)
        The image whose histogram to aim for; any size.
    method : {"lightness", "rgb"}
        For an RGB image, as in `equalize_color`: ``"lightness"`` matches the
        LAB lightness L to the reference's lightness (hues stay put),
        ``"rgb"`` matches R, G and B each to the reference's same channel. A
        grey reference counts as the RGB image with that grey in every
        channel. For a grey image the reference's grey (`color.as_gray`) is
        used and `method` is not looked at.

    Returns
    -------
    MatchResult
        ``image`` (uint8, same shape), ``lut`` (`match_lut` of each channel)
        and ``reference_counts``.
    """
    check_image(image)
    check_image(reference, name="reference")
    if image.ndim == 2:
        target = histogram(as_gray(reference))
        lut = match_lut(histogram(image)[0], target[0])
        return MatchResult(cv2.LUT(image, lut), lut, target)
    check_choice(method, name="method", choices=COLOR_EQUALIZE_METHODS)
    reference = reference if reference.ndim == 3 else cv2.cvtColor(reference, cv2.COLOR_GRAY2RGB)
    if method == "rgb":
        target = histogram(reference)
        luts = np.stack([match_lut(counts, aim) for counts, aim in zip(histogram(image), target)])
        return MatchResult(cv2.merge([cv2.LUT(image[..., c], luts[c]) for c in range(3)]), luts, target)
    target = histogram(lightness_channel(reference))
    lab = cv2.cvtColor(image, cv2.COLOR_RGB2LAB)
    lightness = np.ascontiguousarray(lab[..., 0])
    lut = match_lut(histogram(lightness)[0], target[0])
    lab[..., 0] = cv2.LUT(lightness, lut)
    return MatchResult(cv2.cvtColor(lab, cv2.COLOR_LAB2RGB), lut, target)


# --- the code a lesson shows ------------------------------------------------------

#: The point operations `point_code` writes code for.
POINT_OPERATIONS: tuple[str, ...] = ("linear", "gamma", "negative", "log", "stretch", "equalise", "match", "clahe")

_MATCHING_CURVE = """def matching_curve(channel, reference):
    cdf = np.cumsum(np.bincount(channel.ravel(), minlength=256)) / channel.size  # share at or below each level
    counts = np.bincount(reference.ravel(), minlength=256)
    present = np.flatnonzero(counts)  # the reference's levels
    reference_cdf = np.cumsum(counts[present]) / reference.size
    # each level goes to the reference level with the same share of pixels at or below it
    return np.clip(np.rint(np.interp(cdf, reference_cdf, present)), 0, 255).astype(np.uint8)

"""
_EQUALISE_FROM_SCRATCH = """counts = np.bincount(img.ravel(), minlength=256)  # the histogram
cdf = np.cumsum(counts)  # pixels at or below each level
cdf_min = cdf[counts > 0][0]  # pixels at the darkest level present
lut = np.rint((cdf - cdf_min).astype(np.float32) * np.float32(255 / (img.size - cdf_min)))
lut = np.clip(lut, 0, 255).astype(np.uint8)  # darkest level -> 0, brightest -> 255
result = cv2.LUT(img, lut)
assert np.array_equal(result, cv2.equalizeHist(img))  # from scratch = OpenCV"""


def _lut_code(expression: str) -> str:
    return (f"lut = np.clip(np.rint({expression}), 0, 255).astype(np.uint8)  # the transfer curve\n"
            "result = cv2.LUT(img, lut)")


def _on_lightness(expression: str) -> str:
    return ("lab = cv2.cvtColor(img, cv2.COLOR_RGB2LAB)\nl = np.ascontiguousarray(lab[:, :, 0])  # the lightness\n"
            f"lab[:, :, 0] = {expression}  # L only: a and b (the colour) stay\n"
            "result = cv2.cvtColor(lab, cv2.COLOR_LAB2RGB)")


def point_code(
    operation: str,
    *,
    colour: bool = False,
    method: str = "lightness",
    contrast: float = 1.0,
    brightness: float = 0.0,
    gamma: float = 1.0,
    percentiles: tuple[float, float] = (2.0, 98.0),
    levels: tuple[int, int] = (0, 255),
    one_level: bool = False,
    clip_limit: float = 2.0,
    tiles: int = 8,
    reference_code: str = "ref = skimage.data.moon()",
    reference_colour: bool = False,
) -> str:
    """Plain OpenCV/NumPy code that reproduces one of this module's point operations, for a lesson's code panel.

    The code reads ``img`` (uint8, grey or RGB) and assigns ``result``, exactly the ``image`` the matching
    function returns for the same settings; ``cv2`` and ``np`` are imported by the panel's header.

    Parameters
    ----------
    operation : str
        One of `POINT_OPERATIONS`: ``"linear"`` (`adjust_brightness_contrast` with `contrast` and
        `brightness`), ``"gamma"`` (`gamma`), ``"negative"``, ``"log"``, ``"stretch"`` (`stretch_contrast`:
        `percentiles` and the `levels` they fell on), ``"equalise"`` (`equalize_histogram`, or
        `equalize_color` with `method`; `one_level` for an image of a single level), ``"match"``
        (`match_histogram` with `method`, the reference loaded by `reference_code`) or ``"clahe"``
        (`clip_limit`, `tiles` per side).
    colour : bool
        `img` is RGB.
    method : {"lightness", "rgb"}
        How equalisation and matching treat a colour image.
    contrast, brightness, gamma : float
        As for the functions.
    percentiles : (float, float)
        The stretch's low and high percentiles.
    levels : (int, int)
        The levels they fell on (`StretchResult`); equal levels mean nothing to stretch.
    one_level : bool
        The grey image holds one level only (equalisation leaves it unchanged).
    clip_limit : float
        CLAHE's clip limit.
    tiles : int
        CLAHE's tiles per side.
    reference_code : str
        A line that assigns the reference image to ``ref``.
    reference_colour : bool
        The reference is RGB.

    Returns
    -------
    str
    """
    check_choice(operation, name="operation", choices=POINT_OPERATIONS)
    check_choice(method, name="method", choices=COLOR_EQUALIZE_METHODS)
    method = method if colour else "grey"
    if operation == "linear":
        return f"a, b = {contrast:g}, {brightness:g}\n" + _lut_code("a * np.arange(256) + b")
    if operation == "gamma":
        return f"gamma = {gamma:g}\n" + _lut_code("255.0 * (np.arange(256) / 255.0) ** gamma")
    if operation == "negative":
        return "result = 255 - img  # uint8 minus uint8 never goes below 0 here"
    if operation == "log":
        return _lut_code("255.0 / np.log(256.0) * np.log1p(np.arange(256))")
    if operation == "stretch":
        if levels[1] <= levels[0]:
            return "result = img.copy()  # both percentiles fall on one level: nothing to stretch"
        return (f'low, high = np.percentile(img, [{percentiles[0]:g}, {percentiles[1]:g}], method="inverted_cdf")'
                f"  # {levels[0]}, {levels[1]}\n" + _lut_code("(np.arange(256) - low) * 255.0 / (high - low)"))
    if operation == "equalise":
        return {"lightness": _on_lightness("cv2.equalizeHist(l)"),
                "rgb": "result = cv2.merge([cv2.equalizeHist(np.ascontiguousarray(img[:, :, c])) for c in range(3)])",
                "grey": "result = img.copy()  # one level only: cv2.equalizeHist leaves it unchanged" if one_level
                else _EQUALISE_FROM_SCRATCH}[method]
    if operation == "match":
        convert = ""
        if reference_colour and not colour:
            convert = "ref = cv2.cvtColor(ref, cv2.COLOR_RGB2GRAY)  # the reference's grey\n"
        elif colour and not reference_colour:
            convert = "ref = cv2.cvtColor(ref, cv2.COLOR_GRAY2RGB)  # a grey reference in every channel\n"
        return _MATCHING_CURVE + f"{reference_code}  # the reference\n" + convert + {
            "grey": "result = cv2.LUT(img, matching_curve(img, ref))",
            "lightness": "ref_l = cv2.cvtColor(ref, cv2.COLOR_RGB2LAB)[:, :, 0]\n"
                         + _on_lightness("cv2.LUT(l, matching_curve(l, ref_l))"),
            "rgb": "result = cv2.merge([cv2.LUT(np.ascontiguousarray(img[:, :, c]), "
                   "matching_curve(img[:, :, c], ref[:, :, c])) for c in range(3)])"}[method]
    call = f"clahe = cv2.createCLAHE(clipLimit={clip_limit:g}, tileGridSize=({tiles}, {tiles}))\n"
    return call + (_on_lightness("clahe.apply(l)") if colour else "result = clahe.apply(img)")
