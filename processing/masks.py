"""Masks: making binary masks, combining them and using them on images.

A mask is a bool array of shape ``(H, W)``, True where a pixel is selected.
Shape masks take the image size as ``shape = (height, width)`` (as in
``image.shape[:2]``) but points as ``(x, y)`` = (column, row), as OpenCV's
drawing functions and click coordinates do.

Nothing here fails on an empty mask (no True pixel): images come back with
every pixel masked out, histograms come back as zeros, and statistics that
would need at least one pixel (a mean) are None. The IoU of two empty masks
is 0 / 0: undefined, returned as NaN (`mask_iou`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np

from processing._checks import check_choice, check_float, check_image, check_int, check_mask
from processing.io import encode_image
from processing.stats import channel_histograms, channels_of
from processing.threshold import manual_threshold

__all__ = [
    "A_COLOUR",
    "BACKGROUNDS",
    "B_COLOUR",
    "HOLE_COLOUR",
    "SPECK_COLOUR",
    "COLOR_SPACES",
    "COMBINE_OPERATIONS",
    "MaskOverlap",
    "MaskedHistogram",
    "Specks",
    "blend",
    "centre_crop_box",
    "checkerboard",
    "circle_mask",
    "color_range_mask",
    "combine_masks",
    "cut_out",
    "cut_out_png",
    "ellipse_mask",
    "find_specks_and_holes",
    "fit_to_shape",
    "gray_range_mask",
    "invert_mask",
    "mask_iou",
    "masked_blend",
    "masked_histogram",
    "overlap_counts",
    "parse_points",
    "polygon_mask",
    "rectangle_mask",
    "specks_picture",
    "threshold_mask",
    "to_rgba",
    "truth_table",
    "venn_masks",
    "venn_picture",
]

#: Tints of the two masks A and B shown side by side (Masks lesson): sky blue and vermillion from Okabe and Ito's
#: palette, apart with any colour vision (tests/test_colour_vision.py).
A_COLOUR = (86, 180, 233)
B_COLOUR = (213, 94, 0)
#: Specks and holes marked by `find_specks_and_holes`' picture: red-orange and blue.
SPECK_COLOUR = (230, 30, 30)
HOLE_COLOUR = (40, 120, 255)

#: Colour spaces accepted by `color_range_mask`.
COLOR_SPACES = ("rgb", "hsv")

#: Operations accepted by `combine_masks`.
COMBINE_OPERATIONS = ("a", "b", "and", "or", "xor", "minus")

#: Backgrounds accepted by `cut_out`.
BACKGROUNDS = ("black", "checkerboard")

# Coordinates may lie off the image (drawing clips them), within reason.
_COORD_LIMIT = 1_000_000
_SIDE_LIMIT = 20_000

#: Longest polygon text `parse_points` reads (20 corners of "100.00,100.00; " fit easily).
POINTS_TEXT_LIMIT = 300
_POINT = re.compile(r"\s*(\d+(?:\.\d+)?)\s*,\s*(\d+(?:\.\d+)?)\s*")


@dataclass(frozen=True)
class MaskedHistogram:
    """Grey-level counts inside a mask and over the whole image.

    Attributes
    ----------
    masked : ndarray of int64, shape (C, 256)
        Counts of each value 0..255 among masked pixels, one row per channel
        (C = 1 for grey, 3 for R, G, B). All zeros for an empty mask.
    whole : ndarray of int64, shape (C, 256)
        The same over every pixel.
    n_masked, n_total : int
        Number of masked pixels and of all pixels.
    masked_mean : tuple of float or None
        Mean value per channel inside the mask; None when the mask is empty.
    whole_mean : tuple of float
        Mean value per channel over the image.
    """

    masked: np.ndarray
    whole: np.ndarray
    n_masked: int
    n_total: int
    masked_mean: tuple[float, ...] | None
    whole_mean: tuple[float, ...]

    @property
    def empty(self) -> bool:
        """True when the mask selects no pixel."""
        return self.n_masked == 0


@dataclass(frozen=True)
class MaskOverlap:
    """How two masks overlap: the pixel count of each row of the truth table.

    Attributes
    ----------
    both, only_a, only_b, neither : int
        Pixels in A and B, in A but not B, in B but not A, in neither.
    """

    both: int
    only_a: int
    only_b: int
    neither: int

    @property
    def total(self) -> int:
        """All pixels."""
        return self.both + self.only_a + self.only_b + self.neither

    @property
    def union(self) -> int:
        """Pixels in A or B (or both)."""
        return self.both + self.only_a + self.only_b

    @property
    def in_a(self) -> int:
        """Pixels in A."""
        return self.both + self.only_a

    @property
    def in_b(self) -> int:
        """Pixels in B."""
        return self.both + self.only_b

    @property
    def cases(self) -> tuple[tuple[bool, bool, int], ...]:
        """The four rows of the truth table as (in A, in B, pixels), in the order of `truth_table`."""
        return (True, True, self.both), (True, False, self.only_a), (False, True, self.only_b), (False, False,
                                                                                                  self.neither)

    @property
    def iou(self) -> float:
        """Intersection over union, ``|A and B| / |A or B|`` in ``[0, 1]``; NaN when both masks are
        empty (0 / 0 is undefined: two empty masks neither agree nor disagree about any pixel)."""
        return self.both / self.union if self.union else math.nan


@dataclass(frozen=True)
class Specks:
    """Small pieces of a mask (specks) and small gaps in it (holes).

    Attributes
    ----------
    specks : ndarray of bool, shape (H, W)
        Pixels of foreground pieces (8-connected) of at most `max_area` pixels.
    holes : ndarray of bool, shape (H, W)
        Pixels of background pieces (4-connected, the complement of 8-connected
        foreground) of at most `max_area` pixels, including small gaps at the border.
    n_pieces : int
        Number of foreground pieces.
    n_specks, n_holes : int
        Number of small foreground and background pieces.
    max_area : int
        The size limit used, in pixels.
    """

    specks: np.ndarray
    holes: np.ndarray
    n_pieces: int
    n_specks: int
    n_holes: int
    max_area: int


def _check_shape(shape: Sequence[int]) -> tuple[int, int]:
    if isinstance(shape, (str, bytes)) or not isinstance(shape, (Sequence, np.ndarray)):
        raise ValueError(f"shape must be (height, width), got {shape!r}")
    if len(shape) != 2:
        raise ValueError(f"shape must be (height, width), got {len(shape)} values")
    return (
        check_int(shape[0], name="shape", low=1, high=_SIDE_LIMIT),
        check_int(shape[1], name="shape", low=1, high=_SIDE_LIMIT),
    )


def _check_point(point: Sequence[int], *, name: str) -> tuple[int, int]:
    if isinstance(point, (str, bytes)) or not isinstance(point, (Sequence, np.ndarray)):
        raise ValueError(f"{name} must be a point (x, y), got {point!r}")
    if len(point) != 2:
        raise ValueError(f"{name} must be a point (x, y), got {len(point)} values")
    return (
        check_int(point[0], name=name, low=-_COORD_LIMIT, high=_COORD_LIMIT),
        check_int(point[1], name=name, low=-_COORD_LIMIT, high=_COORD_LIMIT),
    )


def _check_triple(values: Sequence[int], *, name: str, highs: Sequence[int]) -> tuple[int, ...]:
    if isinstance(values, (str, bytes)) or not isinstance(values, (Sequence, np.ndarray)):
        raise ValueError(f"{name} must be three integers, got {values!r}")
    if len(values) != 3:
        raise ValueError(f"{name} must have 3 values, got {len(values)}")
    return tuple(check_int(v, name=name, low=0, high=h) for v, h in zip(values, highs))


def _check_mask_for(mask: np.ndarray, image: np.ndarray) -> np.ndarray:
    check_mask(mask)
    if mask.shape != image.shape[:2]:
        raise ValueError(f"mask must have shape {image.shape[:2]}, got {mask.shape}")
    return mask


def rectangle_mask(
    shape: Sequence[int], *, corner1: Sequence[int], corner2: Sequence[int]
) -> np.ndarray:
    """A filled axis-aligned rectangle, as ``cv2.rectangle(..., thickness=-1)`` draws it.

    Parameters
    ----------
    shape : (int, int)
        Mask size ``(height, width)``, each 1 to 20000.
    corner1, corner2 : (int, int)
        Opposite corners as ``(x, y)``; both are inside the rectangle. Parts off
        the image are clipped.

    Returns
    -------
    ndarray of bool, shape (height, width)
        True inside the rectangle.
    """
    height, width = _check_shape(shape)
    corner1 = _check_point(corner1, name="corner1")
    corner2 = _check_point(corner2, name="corner2")
    mask = np.zeros((height, width), dtype=np.uint8)
    cv2.rectangle(mask, corner1, corner2, 1, thickness=-1)
    return mask.view(bool)


def circle_mask(shape: Sequence[int], *, center: Sequence[int], radius: int) -> np.ndarray:
    """A filled disc, as ``cv2.circle(..., thickness=-1)`` draws it.

    Parameters
    ----------
    shape : (int, int)
        Mask size ``(height, width)``.
    center : (int, int)
        Centre as ``(x, y)``; may lie off the image.
    radius : int
        Radius in pixels, ``>= 0``; 0 gives the single centre pixel.

    Returns
    -------
    ndarray of bool, shape (height, width)
        True inside the disc (pixels whose centre is within about `radius`
        of `center`; OpenCV's rasteriser decides the boundary pixels).
    """
    height, width = _check_shape(shape)
    center = _check_point(center, name="center")
    radius = check_int(radius, name="radius", low=0, high=_COORD_LIMIT)
    mask = np.zeros((height, width), dtype=np.uint8)
    cv2.circle(mask, center, radius, 1, thickness=-1)
    return mask.view(bool)


def ellipse_mask(
    shape: Sequence[int], *, center: Sequence[int], axes: Sequence[int], angle: float = 0.0
) -> np.ndarray:
    """A filled ellipse, as ``cv2.ellipse(..., 0, 360, thickness=-1)`` draws it.

    Parameters
    ----------
    shape : (int, int)
        Mask size ``(height, width)``.
    center : (int, int)
        Centre as ``(x, y)``.
    axes : (int, int)
        Half-lengths ``(along x, along y)`` before rotation, each ``>= 0``.
    angle : float
        Rotation in degrees, -360 to 360; positive turns clockwise on screen
        (the y axis points down).

    Returns
    -------
    ndarray of bool, shape (height, width)
        True inside the ellipse. OpenCV approximates the outline by a polygon,
        so boundary pixels can differ from the exact ellipse equation.
    """
    height, width = _check_shape(shape)
    center = _check_point(center, name="center")
    if isinstance(axes, (str, bytes)) or not isinstance(axes, (Sequence, np.ndarray)):
        raise ValueError(f"axes must be two integers, got {axes!r}")
    if len(axes) != 2:
        raise ValueError(f"axes must have 2 values, got {len(axes)}")
    axes = tuple(check_int(a, name="axes", low=0, high=_COORD_LIMIT) for a in axes)
    angle = check_float(angle, name="angle", low=-360.0, high=360.0)
    mask = np.zeros((height, width), dtype=np.uint8)
    cv2.ellipse(mask, center, axes, angle, 0, 360, 1, thickness=-1)
    return mask.view(bool)


def polygon_mask(shape: Sequence[int], *, points: Sequence[Sequence[int]]) -> np.ndarray:
    """A filled polygon, as ``cv2.fillPoly`` draws it.

    Parameters
    ----------
    shape : (int, int)
        Mask size ``(height, width)``.
    points : sequence of (int, int)
        At least 3 vertices as ``(x, y)``, in drawing order; the last joins the
        first. Self-intersecting outlines are filled by the even-odd rule.

    Returns
    -------
    ndarray of bool, shape (height, width)
        True inside the polygon, edges included.
    """
    height, width = _check_shape(shape)
    if isinstance(points, (str, bytes)) or not isinstance(points, (Sequence, np.ndarray)):
        raise ValueError(f"points must be a list of (x, y) points, got {points!r}")
    if len(points) < 3:
        raise ValueError(f"points must hold at least 3 points, got {len(points)}")
    vertices = np.array([_check_point(p, name="points") for p in points], dtype=np.int32)
    mask = np.zeros((height, width), dtype=np.uint8)
    cv2.fillPoly(mask, [vertices], 1)
    return mask.view(bool)


def color_range_mask(
    image: np.ndarray,
    *,
    lower: Sequence[int],
    upper: Sequence[int],
    space: str = "rgb",
) -> np.ndarray:
    """Select pixels whose colour lies in a box, as ``cv2.inRange`` does.

    Parameters
    ----------
    image : ndarray of uint8, shape (H, W, 3)
        RGB image.
    lower, upper : sequence of 3 int
        Inclusive bounds per channel. For ``space="rgb"``: (R, G, B), each 0..255.
        For ``space="hsv"``: OpenCV's 8-bit HSV, hue 0..179 (degrees / 2),
        saturation and value 0..255. ``lower`` must not exceed ``upper``,
        except for hue: ``lower[0] > upper[0]`` wraps round red, selecting
        hues ``>= lower[0]`` or ``<= upper[0]``.
    space : {"rgb", "hsv"}
        Colour space of the bounds; the image is converted with
        ``cv2.COLOR_RGB2HSV`` (not ``BGR2HSV``: the image is RGB).

    Returns
    -------
    ndarray of bool, shape (H, W)
        True where every channel lies within its bounds.
    """
    check_image(image)
    if image.ndim != 3:
        raise ValueError(f"image must be an RGB (H, W, 3) image, got shape {image.shape}")
    check_choice(space, name="space", choices=COLOR_SPACES)
    highs = (179, 255, 255) if space == "hsv" else (255, 255, 255)
    lower = _check_triple(lower, name="lower", highs=highs)
    upper = _check_triple(upper, name="upper", highs=highs)
    first_checked = 1 if space == "hsv" else 0  # hue may wrap, the others may not
    for channel in range(first_checked, 3):
        if lower[channel] > upper[channel]:
            raise ValueError(
                f"lower must not exceed upper in channel {channel}: "
                f"{lower[channel]} > {upper[channel]}"
            )
    pixels = cv2.cvtColor(image, cv2.COLOR_RGB2HSV) if space == "hsv" else image
    if space == "hsv" and lower[0] > upper[0]:
        high_hues = cv2.inRange(pixels, lower, (179, upper[1], upper[2]))
        low_hues = cv2.inRange(pixels, (0, lower[1], lower[2]), upper)
        return (high_hues | low_hues) > 0
    return cv2.inRange(pixels, lower, upper) > 0


def threshold_mask(
    image: np.ndarray, *, threshold: int, dark_objects: bool = False
) -> np.ndarray:
    """Select pixels by brightness; see `processing.threshold.manual_threshold`.

    Parameters
    ----------
    image : ndarray of uint8, shape (H, W) or (H, W, 3)
        Grey or RGB image; RGB is first made grey with ``cv2.COLOR_RGB2GRAY``
        (``0.299 R + 0.587 G + 0.114 B``, rounded).
    threshold : int
        ``t`` in ``[0, 255]``.
    dark_objects : bool
        False: ``grey > t``; True: ``grey <= t``.

    Returns
    -------
    ndarray of bool, shape (H, W)
        True for selected pixels.
    """
    check_image(image)
    grey = cv2.cvtColor(image, cv2.COLOR_RGB2GRAY) if image.ndim == 3 else image
    return manual_threshold(grey, threshold=threshold, dark_objects=dark_objects).mask


def gray_range_mask(image: np.ndarray, *, lower: int, upper: int) -> np.ndarray:
    """Select pixels whose grey level lies in ``[lower, upper]``, as ``cv2.inRange`` does.

    Parameters
    ----------
    image : ndarray of uint8, shape (H, W) or (H, W, 3)
        Grey or RGB image; RGB is first made grey with ``cv2.COLOR_RGB2GRAY``.
    lower, upper : int
        Inclusive bounds, ``0 <= lower <= upper <= 255``.

    Returns
    -------
    ndarray of bool, shape (H, W)
        True where ``lower <= grey <= upper``.
    """
    check_image(image)
    lower = check_int(lower, name="lower", low=0, high=255)
    upper = check_int(upper, name="upper", low=0, high=255)
    if lower > upper:
        raise ValueError(f"lower must not exceed upper: {lower} > {upper}")
    grey = cv2.cvtColor(image, cv2.COLOR_RGB2GRAY) if image.ndim == 3 else image
    return cv2.inRange(grey, lower, upper) > 0


def combine_masks(mask_a: np.ndarray, mask_b: np.ndarray, *, operation: str, invert: bool = False) -> np.ndarray:
    """Combine two masks pixel by pixel.

    Parameters
    ----------
    mask_a, mask_b : ndarray of bool, shape (H, W)
        Masks of the same shape.
    operation : {"a", "b", "and", "or", "xor", "minus"}
        ``a`` or ``b``: that mask alone; ``and``: in both (``a & b``); ``or``: in either
        (``a | b``); ``xor``: in exactly one (``a ^ b``); ``minus``: in ``a`` but not ``b`` (``a & ~b``).
    invert : bool
        Then swap selected and not selected (``~``, see `invert_mask`).

    Returns
    -------
    ndarray of bool, shape (H, W)
        The combined mask (a new array).
    """
    check_mask(mask_a, name="mask_a")
    check_mask(mask_b, name="mask_b")
    if mask_b.shape != mask_a.shape:
        raise ValueError(f"mask_b must have shape {mask_a.shape}, got {mask_b.shape}")
    check_choice(operation, name="operation", choices=COMBINE_OPERATIONS)
    if operation in ("a", "b"):
        combined = (mask_a if operation == "a" else mask_b).copy()
    elif operation == "and":
        combined = mask_a & mask_b
    elif operation == "or":
        combined = mask_a | mask_b
    elif operation == "xor":
        combined = mask_a ^ mask_b
    else:
        combined = mask_a & ~mask_b
    return np.logical_not(combined, out=combined) if invert else combined


def truth_table(operation: str, *, invert: bool = False) -> tuple[bool, bool, bool, bool]:
    """Which of the four cases a `combine_masks` operation selects.

    Parameters
    ----------
    operation : str
        One of `COMBINE_OPERATIONS`.
    invert : bool
        As in `combine_masks`.

    Returns
    -------
    tuple of 4 bool
        Selected or not for a pixel in A and B, in A only, in B only, and in neither.
    """
    in_a = np.array([[True, True, False, False]])
    in_b = np.array([[True, False, True, False]])
    return tuple(bool(v) for v in combine_masks(in_a, in_b, operation=operation, invert=invert)[0])


def invert_mask(mask: np.ndarray) -> np.ndarray:
    """Swap foreground and background (``~mask``).

    Parameters
    ----------
    mask : ndarray of bool, shape (H, W)

    Returns
    -------
    ndarray of bool, shape (H, W)
    """
    check_mask(mask)
    return ~mask


def parse_points(
    text: str, *, min_points: int = 3, max_points: int = 20
) -> tuple[list[tuple[float, float]] | None, str | None]:
    """Read polygon corners typed as ``"x,y; x,y; ..."``, each a percentage of the width and height.

    Untrusted text (it may come from a link) is bounded before it is split, and
    anything that is not that format is refused with a reason, never an exception.

    Parameters
    ----------
    text : str
        The typed corners: pairs of numbers from 0 to 100,
        separated by semicolons. At most `POINTS_TEXT_LIMIT` characters.
    min_points, max_points : int
        How many corners are accepted (3 to 20 by default).

    Returns
    -------
    points : list of (float, float) or None
        ``(x, y)`` in ``[0, 100]``, in the order typed; None when the text is refused.
    reason : str or None
        Why the text was refused, in a sentence a page can show; None when it was read.
    """
    if not isinstance(text, str):
        return None, "the corners must be text."
    if len(text) > POINTS_TEXT_LIMIT:
        return None, f"the text is {len(text):,} characters long; at most {POINTS_TEXT_LIMIT} are read."
    parts = [part for part in text.split(";") if part.strip()]
    if not min_points <= len(parts) <= max_points:
        plural = "s" if len(parts) != 1 else ""
        return None, f"it has {len(parts)} corner{plural}; {min_points} to {max_points} are needed."
    points = []
    for number, part in enumerate(parts, start=1):
        match = _POINT.fullmatch(part)
        if match is None:
            return None, f"corner {number} is not two numbers separated by a comma."
        x, y = float(match[1]), float(match[2])
        if x > 100 or y > 100:
            return None, f"corner {number} lies outside the image (positions go from 0 to 100 %)."
        points.append((x, y))
    return points, None


def venn_masks(*, size: int = 64) -> tuple[np.ndarray, np.ndarray]:
    """Two overlapping discs, for picturing `combine_masks` as a truth table.

    Parameters
    ----------
    size : int
        Height of the square-ish picture, 8 to 512; the width is ``3 * size // 2``.

    Returns
    -------
    (ndarray of bool, ndarray of bool), each shape (size, 3 * size // 2)
        Disc A on the left and disc B on the right; they overlap in the middle,
        so every combination of "in A" and "in B" occurs.
    """
    size = check_int(size, name="size", low=8, high=512)
    shape = (size, 3 * size // 2)
    radius = size * 2 // 5
    disc_a = circle_mask(shape, center=(size // 2, size // 2), radius=radius)
    disc_b = circle_mask(shape, center=(size, size // 2), radius=radius)
    return disc_a, disc_b


def venn_picture(selected: np.ndarray, *, color: Sequence[int] = (47, 109, 179)) -> np.ndarray:
    """Draw a combination of the two `venn_masks` discs: selected area filled, outlines and labels on top.

    Parameters
    ----------
    selected : ndarray of bool, shape (size, 3 * size // 2)
        A mask made from the discs of ``venn_masks(size=size)``, e.g.
        ``combine_masks(a, b, operation="xor")``.
    color : sequence of 3 int
        Fill colour (R, G, B) of the selected area.

    Returns
    -------
    ndarray of uint8, shape (size, 3 * size // 2, 3)
        RGB picture: white background, `color` where selected, both disc outlines
        in dark grey, and the letters A and B beside their discs.
    """
    check_mask(selected, name="selected")
    size = selected.shape[0]
    disc_a, disc_b = venn_masks(size=size)
    if selected.shape != disc_a.shape:
        raise ValueError(f"selected must have shape {disc_a.shape} (venn_masks(size={size})), got {selected.shape}")
    fill = np.array(_check_triple(color, name="color", highs=(255, 255, 255)), dtype=np.uint8)
    picture = np.full((*selected.shape, 3), 255, dtype=np.uint8)
    picture[selected] = fill
    radius = size * 2 // 5
    thickness = max(1, size // 60)
    dark = (60, 60, 60)
    cv2.circle(picture, (size // 2, size // 2), radius, dark, thickness, lineType=cv2.LINE_AA)
    cv2.circle(picture, (size, size // 2), radius, dark, thickness, lineType=cv2.LINE_AA)
    scale = size / 160
    text_thickness = max(1, round(2 * scale))
    cv2.putText(picture, "A", (max(0, size // 2 - radius - round(18 * scale)), round(30 * scale)),
                cv2.FONT_HERSHEY_SIMPLEX, scale, dark, text_thickness, cv2.LINE_AA)
    cv2.putText(picture, "B", (min(selected.shape[1] - round(20 * scale), size + radius), round(30 * scale)),
                cv2.FONT_HERSHEY_SIMPLEX, scale, dark, text_thickness, cv2.LINE_AA)
    return picture


def overlap_counts(mask_a: np.ndarray, mask_b: np.ndarray) -> MaskOverlap:
    """Count the pixels of each row of the truth table of two masks.

    Parameters
    ----------
    mask_a, mask_b : ndarray of bool, shape (H, W)
        Masks of the same shape.

    Returns
    -------
    MaskOverlap
        Pixel counts in both, only A, only B and neither; ``iou`` from them.
    """
    check_mask(mask_a, name="mask_a")
    check_mask(mask_b, name="mask_b")
    if mask_b.shape != mask_a.shape:
        raise ValueError(f"mask_b must have shape {mask_a.shape}, got {mask_b.shape}")
    n_a = int(np.count_nonzero(mask_a))
    n_b = int(np.count_nonzero(mask_b))
    both = int(np.count_nonzero(mask_a & mask_b))
    return MaskOverlap(both=both, only_a=n_a - both, only_b=n_b - both, neither=mask_a.size - n_a - n_b + both)


def mask_iou(mask_a: np.ndarray, mask_b: np.ndarray) -> float:
    """Intersection over union of two masks: how well they agree.

    Parameters
    ----------
    mask_a, mask_b : ndarray of bool, shape (H, W)
        Masks of the same shape.

    Returns
    -------
    float
        ``|A & B| / |A | B|`` in ``[0, 1]`` (1 for identical masks); NaN when both masks are empty:
        0 / 0 is undefined, two empty masks neither agree nor disagree about any pixel. Show it as
        "undefined", never as 0 or 1.
    """
    return overlap_counts(mask_a, mask_b).iou


def _small_pieces(mask: np.ndarray, *, connectivity: int, max_area: int) -> tuple[np.ndarray, int, int]:
    """(pixels of pieces of at most `max_area` pixels, number of pieces, number of small pieces)."""
    n_labels, labels, stats, _ = cv2.connectedComponentsWithStats(
        np.ascontiguousarray(mask).view(np.uint8), connectivity=connectivity, ltype=cv2.CV_32S
    )
    small = stats[:, cv2.CC_STAT_AREA] <= max_area
    small[0] = False  # label 0 is everything outside the mask
    return small[labels], n_labels - 1, int(np.count_nonzero(small))


def find_specks_and_holes(mask: np.ndarray, *, max_area: int) -> Specks:
    """Find the small pieces and small gaps of a mask, the usual flaws of colour and threshold masks.

    Parameters
    ----------
    mask : ndarray of bool, shape (H, W)
        The mask to inspect; may be empty or full.
    max_area : int
        Pieces of at most this many pixels count as specks or holes, 1 to 10**8.

    Returns
    -------
    Specks
        Masks of the specks and holes and their counts. Foreground pieces are
        8-connected and background pieces 4-connected, so that a diagonal line
        of foreground separates the background, as it looks.
    """
    check_mask(mask)
    max_area = check_int(max_area, name="max_area", low=1, high=10**8)
    specks, n_pieces, n_specks = _small_pieces(mask, connectivity=8, max_area=max_area)
    holes, _, n_holes = _small_pieces(~mask, connectivity=4, max_area=max_area)
    return Specks(specks=specks, holes=holes, n_pieces=n_pieces, n_specks=n_specks, n_holes=n_holes,
                  max_area=max_area)


def specks_picture(mask: np.ndarray, flaws: Specks, *, grow: int = 0) -> np.ndarray:
    """Draw a mask in grey with its specks in red and its holes in blue.

    Parameters
    ----------
    mask : ndarray of bool, shape (H, W)
        The mask.
    flaws : Specks
        From ``find_specks_and_holes(mask, ...)``.
    grow : int
        Thicken the red and blue marks by this many pixels (0 to 50), so that
        one-pixel flaws stay visible when the picture is shown smaller.

    Returns
    -------
    ndarray of uint8, shape (H, W, 3)
        RGB: mask pixels light grey (200), background black, specks red, holes blue.
    """
    check_mask(mask)
    if flaws.specks.shape != mask.shape:
        raise ValueError(f"flaws must belong to a mask of shape {mask.shape}, got {flaws.specks.shape}")
    grow = check_int(grow, name="grow", low=0, high=50)
    picture = np.zeros((*mask.shape, 3), dtype=np.uint8)
    picture[mask] = 200
    for marks, colour in ((flaws.specks, SPECK_COLOUR), (flaws.holes, HOLE_COLOUR)):
        marks_u8 = np.ascontiguousarray(marks).view(np.uint8)
        if grow:
            element = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * grow + 1, 2 * grow + 1))
            marks_u8 = cv2.dilate(marks_u8, element)
        picture[marks_u8 > 0] = colour
    return picture


def checkerboard(shape: Sequence[int], *, square: int = 16) -> np.ndarray:
    """The grey-and-white checkerboard image editors show behind transparency.

    Parameters
    ----------
    shape : (int, int)
        Size ``(height, width)``.
    square : int
        Side of one square in pixels, 1 to 512.

    Returns
    -------
    ndarray of uint8, shape (height, width)
        255 and 204 squares; the top-left square is 255.
    """
    height, width = _check_shape(shape)
    square = check_int(square, name="square", low=1, high=512)
    row_parity = (np.arange(height) // square) % 2
    col_parity = (np.arange(width) // square) % 2
    return np.where(row_parity[:, None] != col_parity[None, :], 204, 255).astype(np.uint8)


def cut_out(
    image: np.ndarray, mask: np.ndarray, *, background: str = "black", square: int = 16
) -> np.ndarray:
    """Keep the masked pixels and replace the rest by a background.

    Parameters
    ----------
    image : ndarray of uint8, shape (H, W) or (H, W, 3)
        Grey or RGB image.
    mask : ndarray of bool, shape (H, W)
        Pixels to keep.
    background : {"black", "checkerboard"}
        Black (as ``cv2.bitwise_and(image, image, mask=...)``) or a checkerboard
        that reads as "transparent" (see `checkerboard`).
    square : int
        Checkerboard square size in pixels, 1 to 512.

    Returns
    -------
    ndarray of uint8, same shape as `image`
        The cut-out; all background for an empty mask.
    """
    check_image(image)
    _check_mask_for(mask, image)
    check_choice(background, name="background", choices=BACKGROUNDS)
    if background == "black":
        return cv2.bitwise_and(image, image, mask=np.ascontiguousarray(mask).view(np.uint8))
    board = checkerboard(image.shape[:2], square=square)
    if image.ndim == 3:
        board = cv2.cvtColor(board, cv2.COLOR_GRAY2RGB)
    return cv2.copyTo(image, np.ascontiguousarray(mask).view(np.uint8), board)


def to_rgba(image: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Attach a mask as the alpha channel.

    Parameters
    ----------
    image : ndarray of uint8, shape (H, W) or (H, W, 3)
        Grey (shown as grey RGB) or RGB image.
    mask : ndarray of bool, shape (H, W)
        True becomes opaque (alpha 255), False fully transparent (alpha 0).

    Returns
    -------
    ndarray of uint8, shape (H, W, 4)
        RGBA image; colour channels are the image's own everywhere (alpha alone
        hides the background), so saving as PNG keeps a cut-out.
    """
    check_image(image)
    _check_mask_for(mask, image)
    rgba = cv2.cvtColor(image, cv2.COLOR_GRAY2RGBA if image.ndim == 2 else cv2.COLOR_RGB2RGBA)
    rgba[:, :, 3] = mask.view(np.uint8) * np.uint8(255)
    return rgba


def cut_out_png(image: np.ndarray, mask: np.ndarray) -> bytes:
    """A PNG file of the image with the mask as its alpha channel (see `to_rgba`).

    Parameters
    ----------
    image : ndarray of uint8, shape (H, W) or (H, W, 3)
        Grey or RGB image.
    mask : ndarray of bool, shape (H, W)
        Opaque where True, transparent where False.

    Returns
    -------
    bytes
        An RGBA PNG file, the pixels re-encoded (never an uploaded file's own bytes).
    """
    return encode_image(to_rgba(image, mask))


def centre_crop_box(shape: Sequence[int], *, aspect_of: Sequence[int]) -> tuple[int, int, int, int]:
    """The largest centred box of an image of `shape` with the aspect ratio of `aspect_of`.

    Parameters
    ----------
    shape : (int, int)
        ``(height, width)`` of the image to crop.
    aspect_of : (int, int)
        ``(height, width)`` whose aspect ratio the box takes.

    Returns
    -------
    (top, left, bottom, right) : tuple of int
        ``image[top:bottom, left:right]``: the full height or the full width is kept, the other
        side is cut evenly on both ends (rounded), never to less than one pixel.
    """
    height, width = _check_shape(shape)
    target_height, target_width = _check_shape(aspect_of)
    if width * target_height > height * target_width:  # too wide: keep the height
        new_width = max(1, min(width, round(height * target_width / target_height)))
        left = (width - new_width) // 2
        return 0, left, height, left + new_width
    new_height = max(1, min(height, round(width * target_height / target_width)))
    top = (height - new_height) // 2
    return top, 0, top + new_height, width


def fit_to_shape(image: np.ndarray, *, shape: Sequence[int]) -> np.ndarray:
    """Bring an image to `shape` without distorting it: cut its centre to the aspect ratio, then resize.

    Parameters
    ----------
    image : ndarray of uint8, shape (H, W) or (H, W, 3)
        Grey or RGB image.
    shape : (int, int)
        ``(height, width)`` wanted.

    Returns
    -------
    ndarray of uint8, shape (height, width) or (height, width, 3)
        ``cv2.resize`` of the `centre_crop_box` crop, ``INTER_AREA`` when shrinking both sides,
        else ``INTER_LINEAR``; `image` itself when it already has that size.
    """
    check_image(image)
    height, width = _check_shape(shape)
    if image.shape[:2] == (height, width):
        return image
    top, left, bottom, right = centre_crop_box(image.shape[:2], aspect_of=(height, width))
    crop = image[top:bottom, left:right]
    shrinking = crop.shape[0] >= height and crop.shape[1] >= width
    return cv2.resize(crop, (width, height), interpolation=cv2.INTER_AREA if shrinking else cv2.INTER_LINEAR)


def blend(image_a: np.ndarray, image_b: np.ndarray, *, alpha: float = 0.5) -> np.ndarray:
    """Mix two images: ``alpha * a + (1 - alpha) * b``, as ``cv2.addWeighted``.

    Parameters
    ----------
    image_a : ndarray of uint8, shape (H, W) or (H, W, 3)
        First image; it sets the output size.
    image_b : ndarray of uint8, shape (H2, W2) or (H2, W2, 3)
        Second image. If its size differs it is brought to ``(H, W)`` by
        `fit_to_shape` (its centre, cut to the aspect ratio of `image_a`, resized):
        nothing is stretched. If one image is grey and the other RGB, the grey one is made RGB.
    alpha : float
        Weight of `image_a` in ``[0, 1]``; `image_b` gets ``1 - alpha``.

    Returns
    -------
    ndarray of uint8, shape (H, W) if both are grey, else (H, W, 3)
        The mix, rounded to the nearest integer.
    """
    alpha = check_float(alpha, name="alpha", low=0.0, high=1.0)
    image_a, image_b = _matched(image_a, image_b)
    return cv2.addWeighted(image_a, alpha, image_b, 1.0 - alpha, 0.0)


def _matched(image_a: np.ndarray, image_b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Check two images and bring `image_b` to `image_a`'s size, and both to RGB if either is (see `blend`)."""
    check_image(image_a, name="image_a")
    check_image(image_b, name="image_b")
    image_b = fit_to_shape(image_b, shape=image_a.shape[:2])
    if image_a.ndim != image_b.ndim:
        if image_a.ndim == 2:
            image_a = cv2.cvtColor(image_a, cv2.COLOR_GRAY2RGB)
        else:
            image_b = cv2.cvtColor(image_b, cv2.COLOR_GRAY2RGB)
    return image_a, image_b


def masked_blend(image_a: np.ndarray, image_b: np.ndarray, mask: np.ndarray, *, alpha: float = 1.0) -> np.ndarray:
    """Blend inside a mask only: the mask as a per-pixel weight.

    Inside the mask the result is ``alpha * a + (1 - alpha) * b`` (as `blend`);
    outside it is `image_b`. With ``alpha = 1`` the masked part of `image_a` is
    pasted onto `image_b`.

    Parameters
    ----------
    image_a : ndarray of uint8, shape (H, W) or (H, W, 3)
        The image the mask belongs to; it sets the output size.
    image_b : ndarray of uint8, shape (H2, W2) or (H2, W2, 3)
        The background, fitted and made RGB as in `blend`.
    mask : ndarray of bool, shape (H, W)
        Where `image_a` takes part; may be empty (the result is then `image_b`).
    alpha : float
        Weight of `image_a` inside the mask, in ``[0, 1]``.

    Returns
    -------
    ndarray of uint8, shape (H, W) if both are grey, else (H, W, 3)
    """
    alpha = check_float(alpha, name="alpha", low=0.0, high=1.0)
    image_a, image_b = _matched(image_a, image_b)
    _check_mask_for(mask, image_a)
    mixed = cv2.addWeighted(image_a, alpha, image_b, 1.0 - alpha, 0.0)
    return cv2.copyTo(mixed, np.ascontiguousarray(mask).view(np.uint8), image_b.copy())


def masked_histogram(image: np.ndarray, mask: np.ndarray) -> MaskedHistogram:
    """Histogram of the masked pixels next to that of the whole image.

    Parameters
    ----------
    image : ndarray of uint8, shape (H, W) or (H, W, 3)
        Grey or RGB image.
    mask : ndarray of bool, shape (H, W)
        Pixels to count; may be empty.

    Returns
    -------
    MaskedHistogram
        Per-channel counts over 256 bins (one per value 0..255) inside the
        mask and overall, pixel counts and means; ``masked_mean`` is None for
        an empty mask.
    """
    check_image(image)
    _check_mask_for(mask, image)
    whole = channel_histograms(image)
    if mask.size >= 2**24:
        # calcHist counts in float32, exact only below 2**24 pixels (as in channel_histograms).
        counts = [np.bincount(plane[mask], minlength=256) for plane in channels_of(image)]
    else:
        contiguous = np.ascontiguousarray(image)
        mask_u8 = np.ascontiguousarray(mask).view(np.uint8)
        counts = [
            cv2.calcHist([contiguous], [c], mask_u8, [256], [0, 256]).ravel()
            for c in range(whole.shape[0])
        ]
    masked = np.rint(np.stack(counts)).astype(np.int64)
    n_masked = int(np.count_nonzero(mask))
    n_total = mask.size
    levels = np.arange(256)
    whole_mean = tuple(float(v) for v in whole @ levels / n_total)
    masked_mean = tuple(float(v) for v in masked @ levels / n_masked) if n_masked else None
    return MaskedHistogram(
        masked=masked,
        whole=whole,
        n_masked=n_masked,
        n_total=n_total,
        masked_mean=masked_mean,
        whole_mean=whole_mean,
    )
