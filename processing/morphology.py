"""Morphology: growing, shrinking and cleaning shapes with a structuring element.

Operations work on binary masks (bool ``(H, W)``, True for foreground) and on
grey images (uint8 ``(H, W)``); the result has the input's dtype. On a mask,
erosion keeps a pixel only if the element, centred on it, *fits* inside the
foreground; dilation sets a pixel if the element *hits* any foreground. On a
grey image the same rules become the minimum and maximum under the element.

Pixels outside the image are ignored, as in OpenCV's default for
``cv2.erode``/``cv2.dilate``/``cv2.morphologyEx`` (a constant border of +inf
for erosion and -inf for dilation): shapes touching the edge are not eroded
from outside and nothing grows in from outside.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np

from processing._checks import check_choice, check_gray, check_int, check_mask
from processing.display import draw_cells
from processing.threshold import _check_color, otsu_selection

__all__ = [
    "OPERATIONS",
    "SHAPES",
    "Change",
    "CloserLook",
    "ElementFit",
    "MaskChanges",
    "ScratchCheck",
    "apply_morphology",
    "changes_overlay",
    "closer_look",
    "compare_with_opencv",
    "count_objects",
    "describe_change",
    "dilated_square_width",
    "dilate_numpy",
    "element_cells",
    "element_fit",
    "element_fit_picture",
    "element_picture",
    "erode_numpy",
    "example_patch",
    "speckled_shapes",
    "level_changes",
    "mask_changes",
    "paint_changes",
    "patch_picture",
    "structuring_element",
]

#: Colours of the pictures below (colour-blind safe: blue and orange, as in `changes_overlay`).
FOREGROUND_GREY = 225
BACKGROUND_GREY = 45
ON_FOREGROUND = (0, 114, 178)
ON_BACKGROUND = (230, 159, 0)
CHOSEN = (255, 220, 0)
GRID_LINES = (150, 150, 150)
#: `changes_overlay`'s colours: pixels an operation added (blue), removed (orange) and kept (white), on black.
ADDED_COLOUR = (0, 114, 178)
REMOVED_COLOUR = (230, 159, 0)
KEPT_COLOUR = (255, 255, 255)

#: Structuring-element shapes offered by `structuring_element`.
SHAPES = ("rectangle", "ellipse", "cross")

#: Operations offered by `apply_morphology`.
OPERATIONS = ("erode", "dilate", "open", "close", "gradient", "tophat", "blackhat")

_CV_SHAPES = {"rectangle": cv2.MORPH_RECT, "ellipse": cv2.MORPH_ELLIPSE, "cross": cv2.MORPH_CROSS}
_CV_OPERATIONS = {
    "erode": cv2.MORPH_ERODE,
    "dilate": cv2.MORPH_DILATE,
    "open": cv2.MORPH_OPEN,
    "close": cv2.MORPH_CLOSE,
    "gradient": cv2.MORPH_GRADIENT,
    "tophat": cv2.MORPH_TOPHAT,
    "blackhat": cv2.MORPH_BLACKHAT,
}


@dataclass(frozen=True)
class MaskChanges:
    """Pixels an operation added to or removed from a mask.

    Attributes
    ----------
    added : ndarray of bool, shape (H, W)
        Background before, foreground after.
    removed : ndarray of bool, shape (H, W)
        Foreground before, background after.
    n_added, n_removed : int
        Number of True pixels in `added` and `removed`.
    """

    added: np.ndarray
    removed: np.ndarray
    n_added: int
    n_removed: int


@dataclass(frozen=True)
class ElementFit:
    """The structuring element laid over one pixel of a mask (see `element_fit`).

    All arrays have the element's shape ``(kh, kw)``; cell ``(i, j)`` is the
    mask pixel ``(row + i - kh // 2, col + j - kw // 2)``.

    Attributes
    ----------
    window : ndarray of bool
        Mask values under the element's bounding box; False outside the image.
    inside : ndarray of bool
        True where the cell lies inside the image.
    footprint : ndarray of uint8
        The element, 0/1.
    on_foreground : ndarray of bool
        Element cells that land on foreground.
    on_background : ndarray of bool
        Element cells that land on background inside the image.
    fits : bool
        No element cell lands on background: erosion keeps the pixel.
    hits : bool
        Some element cell lands on foreground: dilation sets the pixel.
    """

    window: np.ndarray
    inside: np.ndarray
    footprint: np.ndarray
    on_foreground: np.ndarray
    on_background: np.ndarray
    fits: bool
    hits: bool

    @property
    def n_on_foreground(self) -> int:
        """Element cells on foreground."""
        return int(np.count_nonzero(self.on_foreground))

    @property
    def n_on_background(self) -> int:
        """Element cells on background inside the image."""
        return int(np.count_nonzero(self.on_background))

    @property
    def reaches_outside(self) -> bool:
        """True when the element's box reaches past the image's edge (those cells are ignored)."""
        return not self.inside.all()


def _check_footprint(footprint: np.ndarray) -> np.ndarray:
    """Check a 2-D 0/1 element with odd sides and return it as uint8."""
    if not isinstance(footprint, np.ndarray):
        raise ValueError(f"footprint must be a NumPy array, got {type(footprint).__name__}")
    if footprint.dtype not in (np.uint8, bool):
        raise ValueError(f"footprint must have dtype uint8 or bool, got {footprint.dtype}")
    if footprint.ndim != 2 or footprint.shape[0] % 2 == 0 or footprint.shape[1] % 2 == 0:
        raise ValueError(f"footprint must be 2-D with odd sides, got shape {footprint.shape}")
    footprint = footprint.astype(np.uint8)
    if footprint.max() > 1:
        raise ValueError("footprint must contain only 0 and 1")
    return footprint


def _check_mask_or_gray(image: np.ndarray) -> np.ndarray:
    """Accept a bool ``(H, W)`` mask or a grey uint8 ``(H, W)`` image."""
    if isinstance(image, np.ndarray) and image.dtype == bool:
        return check_mask(image, name="image")
    return check_gray(image)


def structuring_element(shape: str = "rectangle", *, size: int = 3) -> np.ndarray:
    """A square structuring element, as ``cv2.getStructuringElement`` makes it.

    Parameters
    ----------
    shape : {"rectangle", "ellipse", "cross"}
        Filled square, inscribed ellipse (a disc) or plus sign.
    size : int
        Side length, odd, 1 to 51; the anchor is the centre cell.

    Returns
    -------
    ndarray of uint8, shape (size, size)
        1 where the element is, 0 elsewhere.
    """
    check_choice(shape, name="shape", choices=SHAPES)
    size = check_int(size, name="size", low=1, high=51, odd=True)
    return cv2.getStructuringElement(_CV_SHAPES[shape], (size, size))


def element_cells(footprint: np.ndarray) -> int:
    """Number of cells of a structuring element (its 1s).

    Parameters
    ----------
    footprint : ndarray of uint8 or bool, shape (kh, kw)
        Structuring element, 0/1, odd sides.

    Returns
    -------
    int
        ``>= 0``; ``size * size`` for a rectangle.
    """
    return int(np.count_nonzero(_check_footprint(footprint)))


def apply_morphology(
    image: np.ndarray, *, operation: str, footprint: np.ndarray, iterations: int = 1
) -> np.ndarray:
    """Apply a morphological operation with ``cv2.morphologyEx``.

    Parameters
    ----------
    image : ndarray of bool or uint8, shape (H, W)
        Binary mask (bool) or grey image (uint8, 0..255).
    operation : {"erode", "dilate", "open", "close", "gradient", "tophat", "blackhat"}
        ``open`` = erode then dilate (removes specks), ``close`` = dilate then
        erode (fills holes), ``gradient`` = dilate - erode (outlines),
        ``tophat`` = image - open (small bright details), ``blackhat`` =
        close - image (small dark details).
    footprint : ndarray of uint8 or bool, shape (kh, kw)
        Structuring element, 0/1, odd sides (see `structuring_element`).
    iterations : int
        1 to 20. As in OpenCV, ``open`` with 2 iterations erodes twice and
        then dilates twice (it does not repeat the opening).

    Returns
    -------
    ndarray, shape (H, W)
        Same dtype as `image`: bool for a mask, uint8 (0..255) for a grey image.
    """
    _check_mask_or_gray(image)
    check_choice(operation, name="operation", choices=OPERATIONS)
    footprint = _check_footprint(footprint)
    iterations = check_int(iterations, name="iterations", low=1, high=20)
    if image.dtype == bool:
        # On 0/1 values every operation stays 0/1 (tophat and blackhat never go below 0).
        result = cv2.morphologyEx(
            image.view(np.uint8), _CV_OPERATIONS[operation], footprint, iterations=iterations
        )
        return result.astype(bool)
    return cv2.morphologyEx(image, _CV_OPERATIONS[operation], footprint, iterations=iterations)


def _min_or_max_filter(
    image: np.ndarray, footprint: np.ndarray, iterations: int, *, erode: bool
) -> np.ndarray:
    """Minimum (erosion) or maximum (dilation) over shifted copies of `image`."""
    rows, cols = footprint.shape
    pad_r, pad_c = rows // 2, cols // 2
    # Outside pixels must never win: the largest value for a minimum, the smallest for a maximum.
    fill = (True if erode else False) if image.dtype == bool else (255 if erode else 0)
    combine = np.minimum if erode else np.maximum
    height, width = image.shape
    result = image
    for _ in range(iterations):
        padded = np.pad(result, ((pad_r, pad_r), (pad_c, pad_c)), constant_values=fill)
        result = np.full_like(image, fill)
        for i, j in zip(*np.nonzero(footprint)):
            combine(result, padded[i : i + height, j : j + width], out=result)
    return result


def erode_numpy(image: np.ndarray, *, footprint: np.ndarray, iterations: int = 1) -> np.ndarray:
    """Erosion from scratch: the minimum over one shifted copy per element cell.

    Gives the same result as ``cv2.erode(image, footprint, iterations=...)``
    (pixels outside the image count as the maximum value). Written for
    reading, not speed: about one full-image pass per element cell.

    Parameters
    ----------
    image : ndarray of bool or uint8, shape (H, W)
        Binary mask or grey image.
    footprint : ndarray of uint8 or bool, shape (kh, kw)
        Structuring element, 0/1, odd sides.
    iterations : int
        1 to 20.

    Returns
    -------
    ndarray, shape (H, W)
        Same dtype as `image`.
    """
    _check_mask_or_gray(image)
    footprint = _check_footprint(footprint)
    iterations = check_int(iterations, name="iterations", low=1, high=20)
    return _min_or_max_filter(image, footprint, iterations, erode=True)


def dilate_numpy(image: np.ndarray, *, footprint: np.ndarray, iterations: int = 1) -> np.ndarray:
    """Dilation from scratch: the maximum over one shifted copy per element cell.

    Gives the same result as ``cv2.dilate(image, footprint, iterations=...)``
    (pixels outside the image count as 0). Like OpenCV, the element is not
    mirrored, which makes no difference for the symmetric shapes of
    `structuring_element`.

    Parameters
    ----------
    image : ndarray of bool or uint8, shape (H, W)
        Binary mask or grey image.
    footprint : ndarray of uint8 or bool, shape (kh, kw)
        Structuring element, 0/1, odd sides.
    iterations : int
        1 to 20.

    Returns
    -------
    ndarray, shape (H, W)
        Same dtype as `image`.
    """
    _check_mask_or_gray(image)
    footprint = _check_footprint(footprint)
    iterations = check_int(iterations, name="iterations", low=1, high=20)
    return _min_or_max_filter(image, footprint, iterations, erode=False)


def _check_same_shape_masks(before: np.ndarray, after: np.ndarray) -> None:
    check_mask(before, name="before")
    check_mask(after, name="after")
    if after.shape != before.shape:
        raise ValueError(f"after must have shape {before.shape}, got {after.shape}")


def mask_changes(before: np.ndarray, after: np.ndarray) -> MaskChanges:
    """Pixels added to and removed from a mask by an operation.

    Parameters
    ----------
    before, after : ndarray of bool, shape (H, W)
        The mask before and after.

    Returns
    -------
    MaskChanges
        ``added`` (``after & ~before``), ``removed`` (``before & ~after``), and their counts.
    """
    _check_same_shape_masks(before, after)
    added = after & ~before
    removed = before & ~after
    return MaskChanges(
        added=added,
        removed=removed,
        n_added=int(np.count_nonzero(added)),
        n_removed=int(np.count_nonzero(removed)),
    )


def changes_overlay(
    before: np.ndarray,
    after: np.ndarray,
    *,
    added_color: Sequence[int] = ADDED_COLOUR,
    removed_color: Sequence[int] = REMOVED_COLOUR,
    kept_color: Sequence[int] = KEPT_COLOUR,
) -> np.ndarray:
    """Draw what an operation changed in a mask.

    The defaults (blue for added, orange for removed) stay distinct for
    colour-blind viewers.

    Parameters
    ----------
    before, after : ndarray of bool, shape (H, W)
        The mask before and after.
    added_color, removed_color, kept_color : sequence of 3 int
        RGB colours (0..255) for added pixels, removed pixels, and pixels that
        are foreground in both. Background in both is black.

    Returns
    -------
    ndarray of uint8, shape (H, W, 3)
        RGB picture.
    """
    _check_same_shape_masks(before, after)
    palette = np.array(
        [
            (0, 0, 0),
            _check_color(added_color, name="added_color"),
            _check_color(removed_color, name="removed_color"),
            _check_color(kept_color, name="kept_color"),
        ],
        dtype=np.uint8,
    )
    # Index: 0 background, 1 added (after only), 2 removed (before only), 3 kept (both).
    index = before.view(np.uint8) * np.uint8(2) + after.view(np.uint8)
    # cv2.LUT on a 3-channel copy of the index is ~8x faster than palette[index].
    table = np.zeros((256, 1, 3), dtype=np.uint8)
    table[:4, 0] = palette
    return cv2.LUT(cv2.merge([index, index, index]), table)


def element_fit(mask: np.ndarray, *, row: int, col: int, footprint: np.ndarray) -> ElementFit:
    """Lay the structuring element over one pixel and see whether it fits or hits.

    ``fits`` equals ``cv2.erode(mask, footprint)[row, col]`` and ``hits``
    equals ``cv2.dilate(mask, footprint)[row, col]``: cells outside the image
    are ignored by both, as OpenCV's default border does.

    Parameters
    ----------
    mask : ndarray of bool, shape (H, W)
        Binary mask, typically a small patch.
    row, col : int
        The pixel under the element's centre, ``0 <= row < H``, ``0 <= col < W``.
    footprint : ndarray of uint8 or bool, shape (kh, kw)
        Structuring element, 0/1, odd sides.

    Returns
    -------
    ElementFit
        Window, per-cell agreement and the two verdicts; see `ElementFit`.
    """
    check_mask(mask)
    footprint = _check_footprint(footprint)
    height, width = mask.shape
    row = check_int(row, name="row", low=0, high=height - 1)
    col = check_int(col, name="col", low=0, high=width - 1)
    rows, cols = footprint.shape
    # Slice only the window (the mask may be large); cells off the image stay False.
    top, left = row - rows // 2, col - cols // 2
    r0, r1 = max(top, 0), min(top + rows, height)
    c0, c1 = max(left, 0), min(left + cols, width)
    window = np.zeros((rows, cols), dtype=bool)
    inside = np.zeros((rows, cols), dtype=bool)
    window[r0 - top : r1 - top, c0 - left : c1 - left] = mask[r0:r1, c0:c1]
    inside[r0 - top : r1 - top, c0 - left : c1 - left] = True
    element = footprint.astype(bool)
    on_foreground = element & window
    on_background = element & ~window & inside
    return ElementFit(
        window=window,
        inside=inside,
        footprint=footprint,
        on_foreground=on_foreground,
        on_background=on_background,
        fits=not on_background.any(),
        hits=bool(on_foreground.any()),
    )


def count_objects(mask: np.ndarray, *, connectivity: int = 8) -> int:
    """Number of connected foreground regions in a mask.

    Parameters
    ----------
    mask : ndarray of bool, shape (H, W)
        Binary mask.
    connectivity : {4, 8}
        Whether diagonal neighbours connect.

    Returns
    -------
    int
        Number of regions, ``>= 0``.
    """
    check_mask(mask)
    if connectivity not in (4, 8):
        raise ValueError(f"connectivity must be 4 or 8, got {connectivity!r}")
    count, _ = cv2.connectedComponents(mask.view(np.uint8), connectivity=connectivity)
    return int(count) - 1  # label 0 is the background


def level_changes(before: np.ndarray, after: np.ndarray) -> MaskChanges:
    """Pixels of a grey image that an operation made brighter or darker.

    Parameters
    ----------
    before, after : ndarray of uint8, shape (H, W)
        The grey image before and after.

    Returns
    -------
    MaskChanges
        ``added`` where ``after > before`` (brighter), ``removed`` where
        ``after < before`` (darker), and their counts.
    """
    check_gray(before, name="before")
    check_gray(after, name="after")
    if after.shape != before.shape:
        raise ValueError(f"after must have shape {before.shape}, got {after.shape}")
    added = after > before
    removed = after < before
    return MaskChanges(
        added=added, removed=removed, n_added=int(np.count_nonzero(added)), n_removed=int(np.count_nonzero(removed))
    )


def paint_changes(
    image: np.ndarray,
    changes: MaskChanges,
    *,
    added_color: Sequence[int] = ON_FOREGROUND,
    removed_color: Sequence[int] = ON_BACKGROUND,
) -> np.ndarray:
    """Paint added and removed pixels in two solid colours over a grey image.

    Parameters
    ----------
    image : ndarray of uint8, shape (H, W)
        The grey input.
    changes : MaskChanges
        From `level_changes` (or `mask_changes`), same shape as `image`.
    added_color, removed_color : sequence of 3 int
        RGB colours, each 0..255.

    Returns
    -------
    ndarray of uint8, shape (H, W, 3)
        The image as grey RGB with changed pixels painted.
    """
    check_gray(image)
    if changes.added.shape != image.shape:
        raise ValueError(f"changes must have shape {image.shape}, got {changes.added.shape}")
    rgb = cv2.cvtColor(image, cv2.COLOR_GRAY2RGB)
    solid = np.empty_like(rgb)
    # cv2.copyTo through a mask is ~10x faster on 2 MP than NumPy's rgb[mask] = colour.
    for mask, color, name in ((changes.added, added_color, "added_color"),
                              (changes.removed, removed_color, "removed_color")):
        solid[:] = _check_color(color, name=name)
        cv2.copyTo(solid, np.ascontiguousarray(mask).view(np.uint8), rgb)
    return rgb


@dataclass(frozen=True)
class ScratchCheck:
    """From-scratch erosion and dilation compared with OpenCV's (see `compare_with_opencv`).

    Attributes
    ----------
    erode_difference, dilate_difference : int
        Largest absolute difference between `erode_numpy` and ``cv2.erode``
        (and `dilate_numpy` and ``cv2.dilate``); 0 when they agree.
    shape : tuple of int
        ``(rows, cols)`` of the region compared.
    whole_image : bool
        False when a centred crop was compared to keep the work bounded.
    """

    erode_difference: int
    dilate_difference: int
    shape: tuple[int, int]
    whole_image: bool


def compare_with_opencv(
    image: np.ndarray, *, footprint: np.ndarray, iterations: int = 1, max_work: int = 60_000_000
) -> ScratchCheck:
    """Run `erode_numpy`/`dilate_numpy` and OpenCV on the same pixels and compare.

    Parameters
    ----------
    image : ndarray of bool or uint8, shape (H, W)
        Binary mask or grey image.
    footprint : ndarray of uint8 or bool
        Structuring element, 0/1, odd sides.
    iterations : int
        1 to 20.
    max_work : int
        Largest ``pixels * element cells * iterations`` compared; a bigger job
        compares a centred crop that fits (the NumPy version makes one pass per cell).

    Returns
    -------
    ScratchCheck
    """
    _check_mask_or_gray(image)
    footprint = _check_footprint(footprint)
    iterations = check_int(iterations, name="iterations", low=1, high=20)
    max_work = check_int(max_work, name="max_work", low=1)
    height, width = image.shape
    cells = int(np.count_nonzero(footprint)) * iterations
    whole = height * width * cells <= max_work
    if not whole:
        side = max(1, int((max_work / cells) ** 0.5))
        top, left = max(0, (height - side) // 2), max(0, (width - side) // 2)
        image = image[top : top + side, left : left + side]
    grey = image.view(np.uint8) if image.dtype == bool else image
    differences = []
    for ours, theirs in ((erode_numpy, cv2.erode), (dilate_numpy, cv2.dilate)):
        mine = ours(grey, footprint=footprint, iterations=iterations)
        reference = theirs(grey, footprint, iterations=iterations)
        differences.append(int(np.abs(mine.astype(np.int16) - reference.astype(np.int16)).max()))
    return ScratchCheck(differences[0], differences[1], (int(image.shape[0]), int(image.shape[1])), whole)


def example_patch() -> np.ndarray:
    """A small mask for looking closer: a blob with a hole, a thin line, a speck and a notch.

    Returns
    -------
    ndarray of bool, shape (13, 19)
    """
    patch = np.zeros((13, 19), dtype=bool)
    patch[2:10, 2:10] = True  # a blob ...
    patch[5, 5] = False  # ... with a one-pixel hole
    patch[2:4, 6] = False  # ... and a notch from the top
    patch[3:11, 13] = True  # a thin vertical line
    patch[10:12, 16:18] = True  # a speck of 2 x 2
    return patch


def _frame(picture: np.ndarray, row: int, col: int, *, cell: int, color: Sequence[int], width: int = 3) -> None:
    """Draw a frame around cell (row, col) of a `draw_cells` picture, in place.

    The frame lies on the grid lines and the neighbours' edges, never on the cell itself, so the cell's
    own colour (orange or blue under the element) stays whole inside it.
    """
    top, left = row * cell + 1, col * cell + 1  # the cell's first pixel
    bottom, right = top + cell - 1, left + cell - 1  # one past its last
    inside = picture[top:bottom, left:right].copy()
    picture[max(top - width, 0) : bottom + width, max(left - width, 0) : right + width] = color
    picture[top:bottom, left:right] = inside


def element_picture(footprint: np.ndarray, *, cell: int = 24) -> np.ndarray:
    """Draw a structuring element as a grid: its cells blue, the centre (anchor) framed.

    Parameters
    ----------
    footprint : ndarray of uint8 or bool, shape (kh, kw)
        Structuring element, 0/1, odd sides.
    cell : int
        Side of one cell in pixels, 4 to 64.

    Returns
    -------
    ndarray of uint8, shape (kh * cell + 1, kw * cell + 1, 3)
    """
    footprint = _check_footprint(footprint)
    colours = np.where(footprint[:, :, None] > 0, np.array(ON_FOREGROUND, np.uint8), np.uint8(255))
    picture = draw_cells(colours.astype(np.uint8), cell=cell, line_color=GRID_LINES)
    if cell >= 8:
        _frame(picture, footprint.shape[0] // 2, footprint.shape[1] // 2, cell=cell, color=CHOSEN,
               width=max(1, cell // 8))
    return picture


def patch_picture(mask: np.ndarray, *, cell: int = 24, highlight: tuple[int, int] | None = None) -> np.ndarray:
    """Draw a small mask as a grid (foreground light, background dark), one pixel optionally framed.

    Parameters
    ----------
    mask : ndarray of bool, shape (h, w)
        A small mask.
    cell : int
        Side of one cell in pixels, 4 to 64.
    highlight : tuple of int, optional
        ``(row, col)`` of a pixel to frame in yellow.

    Returns
    -------
    ndarray of uint8, shape (h * cell + 1, w * cell + 1, 3)
    """
    check_mask(mask)
    grey = np.where(mask, np.uint8(FOREGROUND_GREY), np.uint8(BACKGROUND_GREY))
    picture = draw_cells(grey, cell=cell, line_color=GRID_LINES)
    if highlight is not None:
        row = check_int(highlight[0], name="row", low=0, high=mask.shape[0] - 1)
        col = check_int(highlight[1], name="col", low=0, high=mask.shape[1] - 1)
        _frame(picture, row, col, cell=cell, color=CHOSEN, width=max(2, cell // 8))
    return picture


def element_fit_picture(
    mask: np.ndarray, *, row: int, col: int, footprint: np.ndarray, cell: int = 24
) -> np.ndarray:
    """Draw the element laid over one pixel of a small mask (see `element_fit`).

    Element cells on foreground are blue, element cells on background orange; the
    rest of the mask is light (foreground) or dark (background); the chosen pixel is framed.

    Parameters
    ----------
    mask : ndarray of bool, shape (h, w)
        A small mask.
    row, col : int
        The pixel under the element's centre.
    footprint : ndarray of uint8 or bool, shape (kh, kw)
        Structuring element, 0/1, odd sides.
    cell : int
        Side of one cell in pixels, 4 to 64.

    Returns
    -------
    ndarray of uint8, shape (h * cell + 1, w * cell + 1, 3)
    """
    fit = element_fit(mask, row=row, col=col, footprint=footprint)
    grey = np.where(mask, np.uint8(FOREGROUND_GREY), np.uint8(BACKGROUND_GREY))
    colours = np.repeat(grey[:, :, None], 3, axis=2)
    kh, kw = fit.footprint.shape
    for i, j in zip(*np.nonzero(fit.on_foreground | fit.on_background)):
        colours[row + i - kh // 2, col + j - kw // 2] = ON_FOREGROUND if fit.on_foreground[i, j] else ON_BACKGROUND
    picture = draw_cells(colours, cell=cell, line_color=GRID_LINES)
    _frame(picture, row, col, cell=cell, color=CHOSEN, width=max(2, cell // 8))
    return picture


@dataclass(frozen=True)
class CloserLook:
    """The element laid over one pixel of a small mask, and the mask eroded and dilated (see `closer_look`).

    Attributes
    ----------
    fit : ElementFit
        The verdicts at the pixel.
    on_element : ndarray of uint8, shape (h * cell + 1, w * cell + 1, 3)
        `element_fit_picture` of the mask.
    eroded, dilated : ndarray of uint8, same shape
        `patch_picture` of the eroded and of the dilated mask, the pixel framed.
    """

    fit: ElementFit
    on_element: np.ndarray
    eroded: np.ndarray
    dilated: np.ndarray


def closer_look(mask: np.ndarray, *, row: int, col: int, footprint: np.ndarray, cell: int = 24) -> CloserLook:
    """Lay the element over pixel (`row`, `col`) of a small mask and draw what erosion and dilation make of it.

    Parameters
    ----------
    mask : ndarray of bool, shape (h, w)
        A small mask (see `example_patch`).
    row, col : int
        The pixel under the element's centre.
    footprint : ndarray of uint8 or bool, shape (kh, kw)
        Structuring element, 0/1, odd sides.
    cell : int
        Side of one cell in pixels, 4 to 64.

    Returns
    -------
    CloserLook
    """
    pictures = [patch_picture(apply_morphology(mask, operation=operation, footprint=footprint), cell=cell,
                              highlight=(row, col)) for operation in ("erode", "dilate")]
    return CloserLook(fit=element_fit(mask, row=row, col=col, footprint=footprint),
                      on_element=element_fit_picture(mask, row=row, col=col, footprint=footprint, cell=cell),
                      eroded=pictures[0], dilated=pictures[1])


@dataclass(frozen=True)
class Change:
    """What a morphological operation did to its input (see `describe_change`).

    Attributes
    ----------
    picture : ndarray of uint8, shape (H, W, 3), or None
        A mask: `changes_overlay` (added blue, removed orange). A grey image after erode, dilate, open or
        close: `paint_changes` (brighter blue, darker orange). None for a grey gradient, top-hat or
        black-hat: their result is a new quantity (a difference), not an edited copy.
    n_added, n_removed : int
        Pixels added and removed (mask) or made brighter and darker (grey); 0 when `picture` is None.
    objects_before, objects_after : int
        8-connected foreground regions of a mask and of its result; 0 for a grey image.
    pixels_before, pixels_after : int
        Foreground pixels of a mask and of its result; 0 for a grey image.
    input_mask, result_mask : ndarray of bool, shape (H, W), or None
        Grey gradient, top-hat and black-hat only: Otsu's mask of the input (dark objects, ``<=``, for
        black-hat, whose details are dark) and of the result (``>``); None otherwise.
    input_threshold, result_threshold : int
        Otsu's ``t`` of the input and of the result in that case; 0 otherwise.
    low, high : int
        Smallest and largest value of the result (0 and 1 for a mask).
    mean : float
        Mean value of the result.
    """

    picture: np.ndarray | None
    n_added: int
    n_removed: int
    objects_before: int
    objects_after: int
    pixels_before: int
    pixels_after: int
    input_mask: np.ndarray | None
    result_mask: np.ndarray | None
    input_threshold: int
    result_threshold: int
    low: int
    high: int
    mean: float


def describe_change(before: np.ndarray, after: np.ndarray, *, operation: str) -> Change:
    """Compare an input with the result of `apply_morphology`: what was added, removed, merged or picked out.

    Parameters
    ----------
    before : ndarray of bool or uint8, shape (H, W)
        The input: a mask or a grey image.
    after : ndarray, same dtype and shape
        ``apply_morphology(before, operation=operation, ...)``.
    operation : {"erode", "dilate", "open", "close", "gradient", "tophat", "blackhat"}
        The operation that made `after`.

    Returns
    -------
    Change
        See `Change`.
    """
    check_choice(operation, name="operation", choices=OPERATIONS)
    _check_mask_or_gray(before)
    if after.dtype != before.dtype or after.shape != before.shape:
        raise ValueError(f"after must be {before.dtype} {before.shape}, got {after.dtype} {after.shape}")
    changes, picture, objects, pixels = None, None, (0, 0), (0, 0)
    otsu_masks, otsu_thresholds = (None, None), (0, 0)
    if before.dtype == bool:
        changes, picture = mask_changes(before, after), changes_overlay(before, after)
        objects = (count_objects(before), count_objects(after))
        pixels = (int(np.count_nonzero(before)), int(np.count_nonzero(after)))
    elif operation in ("erode", "dilate", "open", "close"):
        changes = level_changes(before, after)
        picture = paint_changes(before, changes)
    else:
        details, result = otsu_selection(before, dark_objects=operation == "blackhat"), otsu_selection(after)
        otsu_masks, otsu_thresholds = (details.mask, result.mask), (details.threshold, result.threshold)
    return Change(
        picture=picture, n_added=changes.n_added if changes else 0, n_removed=changes.n_removed if changes else 0,
        objects_before=objects[0], objects_after=objects[1], pixels_before=pixels[0], pixels_after=pixels[1],
        input_mask=otsu_masks[0], result_mask=otsu_masks[1], input_threshold=otsu_thresholds[0],
        result_threshold=otsu_thresholds[1], low=int(after.min()), high=int(after.max()), mean=float(after.mean()),
    )


def speckled_shapes(*, seed: int = 3) -> np.ndarray:
    """Shapes with small holes, on a background with small specks: what opening and closing are for.

    Parameters
    ----------
    seed : int
        Seed of the random specks and holes (the same seed gives the same mask).

    Returns
    -------
    ndarray of bool, shape (96, 128)
        Two discs and a rectangle (with 1-2 pixel holes) and 1-2 pixel specks around them.
    """
    canvas = np.zeros((96, 128), np.uint8)
    cv2.circle(canvas, (32, 34), 20, 1, thickness=-1)
    cv2.circle(canvas, (92, 62), 24, 1, thickness=-1)
    canvas[62:86, 12:50] = 1
    rng = np.random.default_rng(check_int(seed, name="seed", low=0))
    for value in (1, 0):  # specks on the background, then holes in the shapes
        for _ in range(40):
            row, col = int(rng.integers(0, 95)), int(rng.integers(0, 127))
            if canvas[row, col] != value:
                canvas[row : row + 1 + int(rng.integers(0, 2)), col : col + 1 + int(rng.integers(0, 2))] = value
    return canvas.astype(bool)


def dilated_square_width(side: int, *, footprint: np.ndarray, iterations: int = 1) -> int:
    """Width of a ``side`` × ``side`` white square after dilation with `footprint`.

    Parameters
    ----------
    side : int
        Side of the square, 1 to 200.
    footprint : ndarray of uint8 or bool
        Structuring element, 0/1, odd sides.
    iterations : int
        1 to 20.

    Returns
    -------
    int
        Number of columns holding foreground after ``cv2.dilate``
        (``side + (kw - 1) * iterations`` for elements whose middle row is full).
    """
    side = check_int(side, name="side", low=1, high=200)
    footprint = _check_footprint(footprint)
    iterations = check_int(iterations, name="iterations", low=1, high=20)
    margin = footprint.shape[1] * iterations  # room to grow without touching the border
    canvas = np.zeros((side + 2 * margin, side + 2 * margin), dtype=bool)
    canvas[margin : margin + side, margin : margin + side] = True
    grown = apply_morphology(canvas, operation="dilate", footprint=footprint, iterations=iterations)
    return int(np.count_nonzero(grown.any(axis=0)))
