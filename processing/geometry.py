"""Geometric transforms: resize, rotate, translate, flip, affine and perspective warps.

Coordinates are ``(x, y)`` in pixels with the origin at the centre of the
top-left pixel, x to the right and y down, as in OpenCV: x is the column and
y the row, so point ``(x, y)`` is the pixel ``image[y, x]``. Matrices map input
coordinates to output coordinates (forward), exactly as ``cv2.warpAffine`` and
``cv2.warpPerspective`` take them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np

from processing._checks import check_choice, check_float, check_image, check_int
from processing.arrays import window_around

__all__ = [
    "BORDERS",
    "FLIP_DIRECTIONS",
    "INTERPOLATIONS",
    "MAX_OUTPUT_PIXELS",
    "affine_from_points",
    "compose_affine",
    "enlarge_window",
    "flip",
    "flip_matrix",
    "follow_pixel",
    "forward_map",
    "invert_matrix",
    "mark_points",
    "order_corners",
    "outside_share",
    "PixelPath",
    "perspective_from_points",
    "resize",
    "rotate",
    "rotation_matrix",
    "scale",
    "scale_matrix",
    "straighten",
    "transform_point",
    "translate",
    "translation_matrix",
    "warp_affine",
    "warp_perspective",
]

#: Interpolation names and the OpenCV flags they stand for.
INTERPOLATIONS: dict[str, int] = {
    "nearest": cv2.INTER_NEAREST,
    "linear": cv2.INTER_LINEAR,
    "cubic": cv2.INTER_CUBIC,
    "area": cv2.INTER_AREA,
    "lanczos": cv2.INTER_LANCZOS4,
}

#: Border names and the OpenCV flags they stand for. ``"reflect"`` is
#: ``cv2.BORDER_REFLECT`` (``fedcba|abcdef``, edge pixel repeated), the same as
#: NumPy's ``np.pad(mode="symmetric")``.
BORDERS: dict[str, int] = {
    "constant": cv2.BORDER_CONSTANT,
    "replicate": cv2.BORDER_REPLICATE,
    "reflect": cv2.BORDER_REFLECT,
    "wrap": cv2.BORDER_WRAP,
}

#: Flip names and the ``flipCode`` that ``cv2.flip`` takes for each.
FLIP_DIRECTIONS: dict[str, int] = {"horizontal": 1, "vertical": 0, "both": -1}

#: Largest output, in pixels, that a function here will allocate (150 MB as RGB).
MAX_OUTPUT_PIXELS = 50_000_000

# OpenCV's remapping works with signed 16-bit coordinates.
_MAX_SIDE = 32_767


def _check_size(width: int, height: int, *, name: str) -> tuple[int, int]:
    width = check_int(width, name=f"{name} width", low=1, high=_MAX_SIDE)
    height = check_int(height, name=f"{name} height", low=1, high=_MAX_SIDE)
    if width * height > MAX_OUTPUT_PIXELS:
        raise ValueError(
            f"{name} {width}x{height} exceeds {MAX_OUTPUT_PIXELS:,} pixels; choose a smaller one"
        )
    return width, height


def _shape_hw(shape: Sequence[int], *, name: str = "shape") -> tuple[int, int]:
    if len(shape) not in (2, 3) or any(isinstance(s, bool) for s in shape):
        raise ValueError(f"{name} must be an image shape (H, W) or (H, W, C), got {shape!r}")
    height = check_int(shape[0], name=f"{name}[0]", low=1)
    width = check_int(shape[1], name=f"{name}[1]", low=1)
    return height, width


def _check_matrix(
    matrix: np.ndarray, *, rows: int | tuple[int, ...], name: str = "matrix"
) -> np.ndarray:
    allowed = (rows,) if isinstance(rows, int) else rows
    m = np.asarray(matrix, dtype=np.float64)
    if m.ndim != 2 or m.shape[1] != 3 or m.shape[0] not in allowed:
        shapes = " or ".join(f"({r}, 3)" for r in allowed)
        raise ValueError(f"{name} must have shape {shapes}, got {m.shape}")
    if not np.all(np.isfinite(m)):
        raise ValueError(f"{name} must contain only finite numbers")
    return m


def _check_points(points: np.ndarray | Sequence, *, n: int, name: str) -> np.ndarray:
    p = np.asarray(points, dtype=np.float64)
    if p.shape != (n, 2):
        raise ValueError(f"{name} must be {n} (x, y) points, shape ({n}, 2), got {p.shape}")
    if not np.all(np.isfinite(p)):
        raise ValueError(f"{name} must contain only finite numbers")
    return p


def _triangle_area(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> float:
    return abs((b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])) / 2


def _check_not_collinear(points: np.ndarray, *, name: str) -> None:
    # Any three collinear points make the transform singular (squash to a line).
    n = len(points)
    for i in range(n):
        for j in range(i + 1, n):
            for k in range(j + 1, n):
                if _triangle_area(points[i], points[j], points[k]) < 1e-6:
                    raise ValueError(f"{name} must not contain three points on one line")


def _warp_flags(interpolation: str, border: str, border_value: int) -> tuple[int, int, tuple]:
    check_choice(interpolation, name="interpolation", choices=tuple(INTERPOLATIONS))
    check_choice(border, name="border", choices=tuple(BORDERS))
    value = check_int(border_value, name="border_value", low=0, high=255)
    return INTERPOLATIONS[interpolation], BORDERS[border], (value, value, value)


# --- resizing ------------------------------------------------------------------


def resize(
    image: np.ndarray, *, width: int, height: int, interpolation: str = "linear"
) -> np.ndarray:
    """Resize an image to ``width`` x ``height`` pixels.

    Parameters
    ----------
    image : ndarray, uint8, shape (H, W) or (H, W, 3)
        Grey or RGB image.
    width, height : int
        Output size in pixels, each 1-32767.
    interpolation : {"nearest", "linear", "cubic", "area", "lanczos"}
        How new pixel values are computed (`INTERPOLATIONS`). ``"area"``
        averages the covered pixels, the right choice for shrinking.

    Returns
    -------
    ndarray, uint8, shape (height, width) or (height, width, 3)
        Resized image, same number of channels as the input.
    """
    check_image(image)
    width, height = _check_size(width, height, name="output")
    check_choice(interpolation, name="interpolation", choices=tuple(INTERPOLATIONS))
    return cv2.resize(image, (width, height), interpolation=INTERPOLATIONS[interpolation])


def scale(image: np.ndarray, *, factor: float, interpolation: str = "linear") -> np.ndarray:
    """Resize an image by a factor, keeping its aspect ratio.

    Parameters
    ----------
    image : ndarray, uint8, shape (H, W) or (H, W, 3)
        Grey or RGB image.
    factor : float
        Scale factor, 0.01-32; above 1 enlarges.
    interpolation : {"nearest", "linear", "cubic", "area", "lanczos"}
        See `resize`.

    Returns
    -------
    ndarray, uint8, shape (round(H*factor), round(W*factor)[, 3])
        Each side at least 1 pixel.
    """
    check_image(image)
    factor = check_float(factor, name="factor", low=0.01, high=32.0)
    height, width = image.shape[:2]
    return resize(
        image,
        width=max(1, round(width * factor)),
        height=max(1, round(height * factor)),
        interpolation=interpolation,
    )


# --- 2x3 matrices ---------------------------------------------------------------


def rotation_matrix(
    shape: Sequence[int], *, angle: float, expand: bool = False
) -> tuple[np.ndarray, tuple[int, int]]:
    """Matrix that rotates an image about its centre, and the output size.

    Parameters
    ----------
    shape : tuple of int
        The image's shape, ``(H, W)`` or ``(H, W, C)``.
    angle : float
        Angle in degrees, counter-clockwise as seen on screen (OpenCV's sign).
    expand : bool
        If True, grow the canvas so every input pixel stays in view and put the
        rotated image in its middle; if False, keep the input's frame (corners
        are cut off).

    Returns
    -------
    matrix : ndarray, float64, shape (2, 3)
        ``cv2.getRotationMatrix2D(((W - 1) / 2, (H - 1) / 2), angle, 1.0)``,
        with its last column shifted to the new centre when `expand` is True.
    size : (int, int)
        Output ``(width, height)``, as ``cv2.warpAffine`` takes it.
    """
    height, width = _shape_hw(shape)
    angle = check_float(angle, name="angle")
    # The centre of the pixel grid, so a 180 degree turn maps pixels onto pixels.
    cx, cy = (width - 1) / 2, (height - 1) / 2
    matrix = cv2.getRotationMatrix2D((cx, cy), angle, 1.0)
    if not expand:
        return matrix, (width, height)
    cos, sin = abs(matrix[0, 0]), abs(matrix[0, 1])
    # Bounding box of the rotated pixel squares; the small tolerance keeps a
    # 90 degree turn (cos ~ 6e-17) from gaining a column.
    new_width = max(1, math.ceil(width * cos + height * sin - 1e-6))
    new_height = max(1, math.ceil(width * sin + height * cos - 1e-6))
    _check_size(new_width, new_height, name="rotated")
    matrix[0, 2] += (new_width - 1) / 2 - cx
    matrix[1, 2] += (new_height - 1) / 2 - cy
    return matrix, (new_width, new_height)


def translation_matrix(*, tx: float, ty: float) -> np.ndarray:
    """Matrix that moves every pixel by ``(tx, ty)``.

    Parameters
    ----------
    tx, ty : float
        Shift in pixels; positive moves right and down.

    Returns
    -------
    ndarray, float64, shape (2, 3)
        ``[[1, 0, tx], [0, 1, ty]]``.
    """
    tx = check_float(tx, name="tx")
    ty = check_float(ty, name="ty")
    return np.array([[1.0, 0.0, tx], [0.0, 1.0, ty]])


def scale_matrix(*, factor: float) -> np.ndarray:
    """Matrix that scales pixel centres the way ``cv2.resize`` does.

    Parameters
    ----------
    factor : float
        Scale factor, 0.01-32.

    Returns
    -------
    ndarray, float64, shape (2, 3)
        ``[[s, 0, (s - 1) / 2], [0, s, (s - 1) / 2]]``: pixels are squares, so
        the edge of the image (at -0.5), not the first pixel centre, stays put.
    """
    s = check_float(factor, name="factor", low=0.01, high=32.0)
    offset = (s - 1) / 2
    return np.array([[s, 0.0, offset], [0.0, s, offset]])


def flip_matrix(shape: Sequence[int], *, direction: str) -> np.ndarray:
    """Matrix that mirrors an image of the given shape within its own frame.

    Parameters
    ----------
    shape : tuple of int
        The image's shape, ``(H, W)`` or ``(H, W, C)``.
    direction : {"horizontal", "vertical", "both"}
        ``"horizontal"`` mirrors left-right (``x -> W - 1 - x``),
        ``"vertical"`` top-bottom, ``"both"`` is a 180 degree turn.

    Returns
    -------
    ndarray, float64, shape (2, 3)
        Warping with it gives the same pixels as `flip`.
    """
    height, width = _shape_hw(shape)
    check_choice(direction, name="direction", choices=tuple(FLIP_DIRECTIONS))
    matrix = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])
    if direction in ("horizontal", "both"):
        matrix[0] = [-1.0, 0.0, width - 1]
    if direction in ("vertical", "both"):
        matrix[1] = [0.0, -1.0, height - 1]
    return matrix


def compose_affine(*matrices: np.ndarray) -> np.ndarray:
    """Chain 2x3 affine matrices into one, applied in the order given.

    Parameters
    ----------
    *matrices : ndarray, shape (2, 3)
        At least one matrix; the first is applied first.

    Returns
    -------
    ndarray, float64, shape (2, 3)
        ``M_n @ ... @ M_1`` in homogeneous coordinates, cut back to 2x3.
    """
    if not matrices:
        raise ValueError("matrices must contain at least one (2, 3) matrix")
    total = np.eye(3)
    for i, m in enumerate(matrices):
        m = _check_matrix(m, rows=2, name=f"matrices[{i}]")
        total = np.vstack([m, [0.0, 0.0, 1.0]]) @ total
    return total[:2]


def transform_point(matrix: np.ndarray, point: Sequence[float]) -> tuple[float, float]:
    """Map one point forward through an affine (2x3) or perspective (3x3) matrix.

    Parameters
    ----------
    matrix : ndarray, shape (2, 3) or (3, 3)
        The transform, as given to ``cv2.warpAffine`` or ``cv2.warpPerspective``.
    point : (float, float)
        Input ``(x, y)`` in pixels.

    Returns
    -------
    (float, float)
        Output ``(x, y)``: ``matrix @ (x, y, 1)``, divided by the third
        coordinate for a 3x3 matrix.
    """
    m = _check_matrix(matrix, rows=(2, 3))
    p = np.asarray(point, dtype=np.float64)
    if p.shape != (2,) or not np.all(np.isfinite(p)):
        raise ValueError(f"point must be one finite (x, y) pair, got {point!r}")
    out = m @ np.array([p[0], p[1], 1.0])
    if m.shape[0] == 3:
        if abs(out[2]) < 1e-12:
            raise ValueError("point maps to infinity under this perspective matrix")
        out = out / out[2]
    return float(out[0]), float(out[1])


# --- warps ----------------------------------------------------------------------


def warp_affine(
    image: np.ndarray,
    matrix: np.ndarray,
    *,
    size: tuple[int, int] | None = None,
    interpolation: str = "linear",
    border: str = "constant",
    border_value: int = 0,
) -> np.ndarray:
    """Apply a 2x3 affine matrix to an image.

    Parameters
    ----------
    image : ndarray, uint8, shape (H, W) or (H, W, 3)
        Grey or RGB image.
    matrix : ndarray, shape (2, 3)
        Forward map from input to output coordinates.
    size : (int, int), optional
        Output ``(width, height)``; the input's size if omitted.
    interpolation : {"nearest", "linear", "cubic", "area", "lanczos"}
        See `INTERPOLATIONS` (OpenCV treats ``"area"`` as linear when warping).
    border : {"constant", "replicate", "reflect", "wrap"}
        How pixels that come from outside the input are filled (`BORDERS`).
    border_value : int
        Grey level 0-255 used by ``"constant"``.

    Returns
    -------
    ndarray, uint8, shape (height, width) or (height, width, 3)
        ``cv2.warpAffine(image, matrix, size, flags=..., borderMode=...,
        borderValue=...)``.
    """
    check_image(image)
    m = _check_matrix(matrix, rows=2)
    if size is None:
        size = (image.shape[1], image.shape[0])
    size = _check_size(*size, name="size")
    flags, border_mode, value = _warp_flags(interpolation, border, border_value)
    return cv2.warpAffine(image, m, size, flags=flags, borderMode=border_mode, borderValue=value)


def warp_perspective(
    image: np.ndarray,
    matrix: np.ndarray,
    *,
    size: tuple[int, int] | None = None,
    interpolation: str = "linear",
    border: str = "constant",
    border_value: int = 0,
) -> np.ndarray:
    """Apply a 3x3 perspective matrix (homography) to an image.

    Parameters
    ----------
    image : ndarray, uint8, shape (H, W) or (H, W, 3)
        Grey or RGB image.
    matrix : ndarray, shape (3, 3)
        Forward map from input to output coordinates.
    size, interpolation, border, border_value
        As in `warp_affine`.

    Returns
    -------
    ndarray, uint8, shape (height, width) or (height, width, 3)
        ``cv2.warpPerspective(image, matrix, size, ...)``.
    """
    check_image(image)
    m = _check_matrix(matrix, rows=3)
    if size is None:
        size = (image.shape[1], image.shape[0])
    size = _check_size(*size, name="size")
    flags, border_mode, value = _warp_flags(interpolation, border, border_value)
    return cv2.warpPerspective(
        image, m, size, flags=flags, borderMode=border_mode, borderValue=value
    )


def rotate(
    image: np.ndarray,
    *,
    angle: float,
    expand: bool = False,
    interpolation: str = "linear",
    border: str = "constant",
    border_value: int = 0,
) -> np.ndarray:
    """Rotate an image about its centre.

    Parameters
    ----------
    image : ndarray, uint8, shape (H, W) or (H, W, 3)
        Grey or RGB image.
    angle : float
        Degrees, counter-clockwise on screen.
    expand : bool
        Grow the canvas to keep every pixel (True) or keep the input's frame
        and crop (False); see `rotation_matrix`.
    interpolation, border, border_value
        As in `warp_affine`.

    Returns
    -------
    ndarray, uint8, shape (H', W') or (H', W', 3)
        Rotated image; ``(H', W') == (H, W)`` unless `expand` is True.
    """
    check_image(image)
    matrix, size = rotation_matrix(image.shape, angle=angle, expand=expand)
    return warp_affine(
        image, matrix, size=size, interpolation=interpolation, border=border,
        border_value=border_value,
    )


def translate(
    image: np.ndarray,
    *,
    tx: float,
    ty: float,
    interpolation: str = "linear",
    border: str = "constant",
    border_value: int = 0,
) -> np.ndarray:
    """Shift an image by ``(tx, ty)`` pixels inside its own frame.

    Parameters
    ----------
    image : ndarray, uint8, shape (H, W) or (H, W, 3)
        Grey or RGB image.
    tx, ty : float
        Shift in pixels, positive right and down; fractions interpolate.
    interpolation, border, border_value
        As in `warp_affine`; `border` fills the strip that is uncovered.

    Returns
    -------
    ndarray, uint8, same shape as `image`
    """
    return warp_affine(
        image, translation_matrix(tx=tx, ty=ty), interpolation=interpolation,
        border=border, border_value=border_value,
    )


def flip(image: np.ndarray, *, direction: str) -> np.ndarray:
    """Mirror an image.

    Parameters
    ----------
    image : ndarray, uint8, shape (H, W) or (H, W, 3)
        Grey or RGB image.
    direction : {"horizontal", "vertical", "both"}
        Left-right, top-bottom, or both (a 180 degree turn).

    Returns
    -------
    ndarray, uint8, same shape as `image`
        ``cv2.flip(image, flipCode)`` with the code from `FLIP_DIRECTIONS`.
    """
    check_image(image)
    check_choice(direction, name="direction", choices=tuple(FLIP_DIRECTIONS))
    return cv2.flip(image, FLIP_DIRECTIONS[direction])


# --- from point pairs ------------------------------------------------------------


def affine_from_points(src: np.ndarray | Sequence, dst: np.ndarray | Sequence) -> np.ndarray:
    """The affine matrix that sends three points to three others.

    Parameters
    ----------
    src, dst : array_like, shape (3, 2)
        ``(x, y)`` points; ``src[i]`` is sent to ``dst[i]``. Neither set may be
        collinear.

    Returns
    -------
    ndarray, float64, shape (2, 3)
        ``cv2.getAffineTransform(src, dst)``.
    """
    s = _check_points(src, n=3, name="src")
    d = _check_points(dst, n=3, name="dst")
    _check_not_collinear(s, name="src")
    _check_not_collinear(d, name="dst")
    return cv2.getAffineTransform(s.astype(np.float32), d.astype(np.float32))


def perspective_from_points(src: np.ndarray | Sequence, dst: np.ndarray | Sequence) -> np.ndarray:
    """The perspective matrix (homography) that sends four points to four others.

    Parameters
    ----------
    src, dst : array_like, shape (4, 2)
        ``(x, y)`` points; ``src[i]`` is sent to ``dst[i]``. No three points of
        either set may lie on one line.

    Returns
    -------
    ndarray, float64, shape (3, 3)
        ``cv2.getPerspectiveTransform(src, dst)``, scaled so ``matrix[2, 2] == 1``.
    """
    s = _check_points(src, n=4, name="src")
    d = _check_points(dst, n=4, name="dst")
    _check_not_collinear(s, name="src")
    _check_not_collinear(d, name="dst")
    return cv2.getPerspectiveTransform(s.astype(np.float32), d.astype(np.float32))


def order_corners(corners: np.ndarray | Sequence) -> np.ndarray:
    """Put four corner points in the order top-left, top-right, bottom-right, bottom-left.

    Parameters
    ----------
    corners : array_like, shape (4, 2)
        ``(x, y)`` corners of a quadrilateral, in any order (e.g. as clicked).

    Returns
    -------
    ndarray, float64, shape (4, 2)
        The same points, going clockwise on screen and starting from the one
        nearest the top-left (smallest ``x + y``).
    """
    p = _check_points(corners, n=4, name="corners")
    centre = p.mean(axis=0)
    # With y pointing down, increasing atan2 goes clockwise on screen.
    angles = np.arctan2(p[:, 1] - centre[1], p[:, 0] - centre[0])
    clockwise = p[np.argsort(angles, kind="stable")]
    start = int(np.argmin(clockwise.sum(axis=1)))
    return np.roll(clockwise, -start, axis=0)


def straighten(
    image: np.ndarray,
    corners: np.ndarray | Sequence,
    *,
    width: int | None = None,
    height: int | None = None,
    interpolation: str = "linear",
    border: str = "replicate",
) -> tuple[np.ndarray, np.ndarray]:
    """Cut out a quadrilateral (a photographed page) and warp it to a rectangle.

    Parameters
    ----------
    image : ndarray, uint8, shape (H, W) or (H, W, 3)
        Grey or RGB image.
    corners : array_like, shape (4, 2)
        The quadrilateral's ``(x, y)`` corners in any order (see `order_corners`).
    width, height : int, optional
        Output size; by default the longer of each pair of opposite edges,
        rounded, plus one (corners are pixel centres, so an edge of length L
        spans L + 1 pixels); the page keeps roughly its size and aspect.
    interpolation, border
        As in `warp_affine`.

    Returns
    -------
    image : ndarray, uint8, shape (height, width) or (height, width, 3)
        The straightened page.
    matrix : ndarray, float64, shape (3, 3)
        The perspective matrix used, from `perspective_from_points`.
    """
    check_image(image)
    tl, tr, br, bl = ordered = order_corners(corners)
    if width is None:
        width = max(1, round(max(np.hypot(*(tr - tl)), np.hypot(*(br - bl)))) + 1)
    if height is None:
        height = max(1, round(max(np.hypot(*(bl - tl)), np.hypot(*(br - tr)))) + 1)
    width, height = _check_size(width, height, name="output")
    if width < 2 or height < 2:
        raise ValueError(f"output must be at least 2x2 pixels, got {width}x{height}")
    target = np.array([[0, 0], [width - 1, 0], [width - 1, height - 1], [0, height - 1]], float)
    matrix = perspective_from_points(ordered, target)
    out = warp_perspective(
        image, matrix, size=(width, height), interpolation=interpolation, border=border
    )
    return out, matrix


# --- looking closer --------------------------------------------------------------


def enlarge_window(image: np.ndarray, *, row: int, col: int, size: int = 12,
                   factor: int = 20) -> dict[str, np.ndarray]:
    """The window of `size` × `size` pixels around (`row`, `col`), enlarged `factor` times with every interpolation.

    Parameters
    ----------
    image : ndarray, uint8, shape (H, W) or (H, W, 3)
        Grey or RGB image.
    row, col : int
        The pixel to centre on (y and x), ``0 <= row < H`` and ``0 <= col < W``.
    size : int
        Side of the window, 1-64; near an edge it slides inward (`processing.arrays.window_around`)
        and it is smaller only along a side of the image shorter than `size`.
    factor : int
        Enlargement, 1-64.

    Returns
    -------
    dict of str to ndarray
        One picture per name of `INTERPOLATIONS`, in that order: uint8,
        shape ``(h * factor, w * factor[, 3])`` for a window of ``h`` × ``w`` pixels.
    """
    check_image(image)
    size = check_int(size, name="size", low=1, high=64)
    factor = check_int(factor, name="factor", low=1, high=64)
    top, left, bottom, right = window_around(image.shape, row=row, col=col, size=size)
    window = image[top:bottom, left:right]
    return {name: cv2.resize(window, ((right - left) * factor, (bottom - top) * factor), interpolation=flag)
            for name, flag in INTERPOLATIONS.items()}


def _apply_matrix(matrix: np.ndarray, xs: np.ndarray, ys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Map coordinate arrays through a 2x3 or 3x3 matrix (vectorised `transform_point`)."""
    out_x = matrix[0, 0] * xs + matrix[0, 1] * ys + matrix[0, 2]
    out_y = matrix[1, 0] * xs + matrix[1, 1] * ys + matrix[1, 2]
    if matrix.shape[0] == 3:
        w = matrix[2, 0] * xs + matrix[2, 1] * ys + matrix[2, 2]
        w = np.where(np.abs(w) < 1e-12, np.nan, w)
        out_x, out_y = out_x / w, out_y / w
    return out_x, out_y


def forward_map(
    image: np.ndarray, matrix: np.ndarray, *, size: tuple[int, int] | None = None
) -> tuple[np.ndarray, float]:
    """Warp by pushing every input pixel to where the matrix sends it (forward mapping).

    This is the obvious way to warp, and the wrong one: output pixels that no
    input pixel lands on stay empty (holes), and where several land on one
    pixel the last one wins. Warping functions therefore map *backwards*: for
    each output pixel they ask where it came from and interpolate there.

    Parameters
    ----------
    image : ndarray, uint8, shape (H, W) or (H, W, 3)
        Grey or RGB image.
    matrix : ndarray, shape (2, 3) or (3, 3)
        Forward map from input to output coordinates.
    size : (int, int), optional
        Output ``(width, height)``; the input's size if omitted.

    Returns
    -------
    image : ndarray, uint8, shape (height, width) or (height, width, 3)
        Each input pixel copied to the output pixel nearest to where it lands
        (coordinates rounded half away from zero); never-hit pixels are 0.
    holes : float
        Share (0-1) of the output pixels that no input pixel landed on, among
        those whose backward-mapped position lies inside the input (pixels
        outside the picture are not holes but border).
    """
    check_image(image)
    m = _check_matrix(matrix, rows=(2, 3))
    if size is None:
        size = (image.shape[1], image.shape[0])
    width, height = _check_size(*size, name="size")
    # A row of x and a column of y broadcast to the full grid: no (H, W) index arrays to build.
    xs = np.arange(image.shape[1], dtype=np.float64)[np.newaxis, :]
    ys = np.arange(image.shape[0], dtype=np.float64)[:, np.newaxis]
    out_x, out_y = _apply_matrix(m, xs, ys)
    with np.errstate(invalid="ignore"):
        col = np.round(out_x).ravel()
        row = np.round(out_y).ravel()
        inside = (col >= 0) & (col < width) & (row >= 0) & (row < height)
    # One flat index per landing pixel: a single scatter, in input order (the last one wins).
    flat = row[inside].astype(np.intp) * width + col[inside].astype(np.intp)
    channels = image.shape[2:]
    out = np.zeros((height * width, *channels), dtype=np.uint8)
    out[flat] = image.reshape(-1, *channels)[inside]
    hit = np.zeros(height * width, dtype=bool)
    hit[flat] = True
    covered = _covered(image.shape, m, (width, height)).ravel()
    holes = float(np.count_nonzero(covered & ~hit) / max(np.count_nonzero(covered), 1))
    return out.reshape(height, width, *channels), holes


def _covered(shape: Sequence[int], matrix: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """Output pixels whose backward-mapped centre lies inside the input, as OpenCV decides it."""
    height, width = _shape_hw(shape)
    ones = np.full((height, width), 255, np.uint8)
    warp = cv2.warpPerspective if matrix.shape[0] == 3 else cv2.warpAffine
    covered = warp(ones, matrix, size, flags=cv2.INTER_NEAREST, borderMode=cv2.BORDER_CONSTANT, borderValue=0)
    return covered > 0


def outside_share(shape: Sequence[int], matrix: np.ndarray, *, size: tuple[int, int] | None = None) -> float:
    """Share of the output pixels that come from outside the input (filled by the border mode).

    Parameters
    ----------
    shape : tuple of int
        The input image's shape, ``(H, W)`` or ``(H, W, C)``.
    matrix : ndarray, shape (2, 3) or (3, 3)
        Forward map from input to output coordinates.
    size : (int, int), optional
        Output ``(width, height)``; the input's size if omitted.

    Returns
    -------
    float
        0-1: the share of output pixels whose source position, found by
        mapping backwards with nearest-neighbour rounding as ``cv2.warpAffine``
        does, lies outside the input.
    """
    height, width = _shape_hw(shape)
    m = _check_matrix(matrix, rows=(2, 3))
    size = _check_size(*(size or (width, height)), name="size")
    covered = _covered(shape, m, size)
    return float(1.0 - np.count_nonzero(covered) / covered.size)


def mark_points(
    image: np.ndarray, points: np.ndarray | Sequence, *, color: tuple[int, int, int] = (255, 191, 0)
) -> np.ndarray:
    """Draw a ring around each point, to show where pixels are (for display only).

    Parameters
    ----------
    image : ndarray, uint8, shape (H, W) or (H, W, 3)
        Grey or RGB image (grey is converted to RGB so the ring shows in colour).
    points : array_like, shape (N, 2)
        ``(x, y)`` centres in pixels; points outside the image draw nothing there.
    color : (int, int, int)
        RGB colour of the ring, drawn with a black outline so it shows on any image.

    Returns
    -------
    ndarray, uint8, shape (H, W, 3)
        A copy with the rings; ring size grows with the image (radius about
        2.5 % of the longer side, at least 3 pixels).
    """
    check_image(image)
    p = np.asarray(points, dtype=np.float64).reshape(-1, 2)
    out = cv2.cvtColor(image, cv2.COLOR_GRAY2RGB) if image.ndim == 2 else image.copy()
    radius = max(3, round(0.025 * max(image.shape[:2])))
    thickness = max(1, radius // 4)
    for x, y in p:
        if not (np.isfinite(x) and np.isfinite(y)) or abs(x) > _MAX_SIDE or abs(y) > _MAX_SIDE:
            continue
        centre = (int(round(x)), int(round(y)))
        cv2.circle(out, centre, radius, (0, 0, 0), thickness + 2)
        cv2.circle(out, centre, radius, tuple(int(c) for c in color), thickness)
    return out


def invert_matrix(matrix: np.ndarray) -> np.ndarray:
    """The backward map of an affine (2x3) or perspective (3x3) matrix.

    Parameters
    ----------
    matrix : ndarray, shape (2, 3) or (3, 3)
        Forward map from input to output coordinates.

    Returns
    -------
    ndarray, float64, same shape
        The map from output back to input coordinates, what ``cv2.warpAffine``
        and ``cv2.warpPerspective`` evaluate for every output pixel
        (``cv2.invertAffineTransform`` for 2x3).
    """
    m = _check_matrix(matrix, rows=(2, 3))
    full = m if m.shape[0] == 3 else np.vstack([m, [0.0, 0.0, 1.0]])
    if abs(np.linalg.det(full)) < 1e-12:
        raise ValueError("matrix is singular: it squashes the image onto a line and cannot be inverted")
    inverse = np.linalg.inv(full)
    return inverse / inverse[2, 2] if m.shape[0] == 3 else inverse[:2]


@dataclass(frozen=True)
class PixelPath:
    """Where one input pixel goes, and where the output pixel it lands nearest to is read from.

    Attributes
    ----------
    landing : (float, float)
        ``(x', y')``: the input pixel's centre mapped forward (`transform_point`).
    nearest : (int, int)
        ``(x, y)`` of the output pixel nearest to `landing` (each coordinate rounded, halves to even).
    source : (float, float)
        Where a warp reads `nearest` from: `nearest` mapped backward with `invert_matrix`, between input
        pixel centres in general.
    inside : bool
        True when `nearest` is a pixel of the output.
    """

    landing: tuple[float, float]
    nearest: tuple[int, int]
    source: tuple[float, float]
    inside: bool


def follow_pixel(matrix: np.ndarray, point: Sequence[float], *, size: tuple[int, int]) -> PixelPath:
    """Follow one pixel forward through a transform and back again, as forward and inverse mapping do.

    Parameters
    ----------
    matrix : ndarray, shape (2, 3) or (3, 3)
        Forward map from input to output coordinates; must be invertible.
    point : (float, float)
        Input ``(x, y)``: x is the column, y the row.
    size : (int, int)
        Output ``(width, height)``.

    Returns
    -------
    PixelPath
    """
    width, height = _check_size(*size, name="size")
    landing = transform_point(matrix, point)
    nearest = (round(landing[0]), round(landing[1]))
    source = transform_point(invert_matrix(matrix), nearest)
    return PixelPath(landing=landing, nearest=nearest, source=source,
                     inside=0 <= nearest[0] < width and 0 <= nearest[1] < height)
