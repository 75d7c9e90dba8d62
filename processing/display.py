"""Turning results into pictures: one mapping of real values to uint8, and pixels drawn as cells.

Every lesson that shows a signed or float result (a difference, a gradient, a
filter output, a distance) maps it to uint8 with `to_uint8`, a visible step
with a stated range and explicit rounding, never a silent ``astype(np.uint8)``
(which truncates floats and wraps integers around).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from processing._checks import check_int


def to_uint8(values: np.ndarray, *, low: float = 0.0, high: float = 255.0) -> np.ndarray:
    """Map real values linearly onto 0-255 for display: `low` becomes 0, `high` becomes 255.

    Values are rounded to the nearest integer (ties to even, as ``np.rint``) and
    clipped, so anything below `low` shows black and above `high` white.

    Parameters
    ----------
    values : ndarray
        Integer, bool or float, any shape, finite.
    low, high : float
        The values drawn black and white, ``low < high``. The defaults keep
        values as they are (rounded and clipped to 0-255). A signed result with
        0 at mid-grey uses ``low=-m, high=m`` (0 maps to 127.5, shown as 128).

    Returns
    -------
    ndarray of uint8, same shape
        ``clip(rint(255 * (values - low) / (high - low)), 0, 255)``.

    Examples
    --------
    >>> to_uint8(np.array([-1.0, 0.4, 0.6, 300.0]))
    array([  0,   0,   1, 255], dtype=uint8)
    >>> to_uint8(np.array([-2.0, 0.0, 2.0]), low=-2, high=2)
    array([  0, 128, 255], dtype=uint8)
    """
    values = np.asarray(values)
    if values.dtype == np.uint8 and low == 0 and high == 255:
        return values
    if values.dtype != bool and (not np.issubdtype(values.dtype, np.number)
                                 or np.issubdtype(values.dtype, np.complexfloating)):
        raise ValueError(f"values must be real numbers, got dtype {values.dtype}")
    low, high = float(low), float(high)
    if not (np.isfinite(low) and np.isfinite(high) and low < high):
        raise ValueError(f"low and high must be finite with low < high, got low={low}, high={high}")
    # One float64 array, then in-place steps: a 2-megapixel RGB result is 48 MB.
    mapped = values.astype(np.float64)
    if low != 0.0 or high != 255.0:
        # Measured from the middle of the range, so the middle maps to exactly 127.5 (shown as 128) for
        # any range; 255 * (values - low) / (high - low) gave 127.4999... for some ranges.
        mapped -= (low + high) / 2
        mapped *= 255.0
        mapped /= high - low
        mapped += 127.5
    np.rint(mapped, out=mapped)
    np.clip(mapped, 0, 255, out=mapped)
    return mapped.astype(np.uint8)


def draw_cells(picture: np.ndarray, *, cell: int = 24, line_color: Sequence[int] = (128, 128, 128)) -> np.ndarray:
    """Enlarge a small picture so that each pixel is a `cell` × `cell` square, with grid lines between.

    Parameters
    ----------
    picture : ndarray
        bool ``(h, w)`` (a mask: white on black), or uint8 ``(h, w)`` or ``(h, w, 3)``.
    cell : int
        Side of one pixel's square on screen, including its grid line, 4 to 64.
    line_color : sequence of 3 int
        RGB of the 1-pixel grid lines and the frame (grey by default, so white
        cells at the edge stay visible on a white page).

    Returns
    -------
    ndarray of uint8, shape (h * cell + 1, w * cell + 1, 3)
        RGB; the pixel at (row, col) fills rows ``row * cell + 1 .. (row + 1) * cell - 1``
        and the same columns.
    """
    picture = np.asarray(picture)
    if picture.dtype == bool:
        picture = picture.astype(np.uint8) * 255
    if picture.dtype != np.uint8 or not (picture.ndim == 2 or (picture.ndim == 3 and picture.shape[2] == 3)):
        raise ValueError(f"picture must be bool or uint8, (h, w) or (h, w, 3), got {picture.dtype} {picture.shape}")
    cell = check_int(cell, name="cell", low=4, high=64)
    line = np.asarray(line_color)
    if line.shape != (3,) or not np.all((line >= 0) & (line <= 255)):
        raise ValueError(f"line_color must be three values 0-255, got {line_color!r}")
    rgb = np.repeat(picture[..., None], 3, axis=2) if picture.ndim == 2 else picture
    height, width = rgb.shape[:2]
    out = np.empty((height * cell + 1, width * cell + 1, 3), np.uint8)
    out[1:, 1:] = np.repeat(np.repeat(rgb, cell, axis=0), cell, axis=1)
    out[::cell, :] = line
    out[:, ::cell] = line
    return out


def framed(picture: np.ndarray, *, width: int = 2, line_color: Sequence[int] = (49, 51, 63)) -> np.ndarray:
    """A picture inside a thin dark frame, so that a swatch or a ramp with white or black ends shows where it
    stops against the page and its neighbours.

    Parameters
    ----------
    picture : ndarray
        uint8, ``(h, w)`` or ``(h, w, 3)``.
    width : int
        Frame width in pixels, 1 to 16.
    line_color : sequence of 3 int
        RGB of the frame (Streamlit's text colour by default).

    Returns
    -------
    ndarray of uint8, shape (h + 2 * width, w + 2 * width, 3)
        RGB; the picture sits at ``[width:-width, width:-width]``.
    """
    picture = np.asarray(picture)
    if picture.dtype != np.uint8 or not (picture.ndim == 2 or (picture.ndim == 3 and picture.shape[2] == 3)):
        raise ValueError(f"picture must be uint8, (h, w) or (h, w, 3), got {picture.dtype} {picture.shape}")
    width = check_int(width, name="width", low=1, high=16)
    line = np.asarray(line_color)
    if line.shape != (3,) or not np.all((line >= 0) & (line <= 255)):
        raise ValueError(f"line_color must be three values 0-255, got {line_color!r}")
    height, columns = picture.shape[:2]
    out = np.empty((height + 2 * width, columns + 2 * width, 3), np.uint8)
    out[...] = line
    out[width:-width, width:-width] = picture[..., None] if picture.ndim == 2 else picture
    return out
