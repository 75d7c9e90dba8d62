"""Images as NumPy arrays: looking at pixels, slicing, uint8 arithmetic, fewer pixels and levels, saving."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from processing._checks import check_choice, check_image, check_int
from processing.display import to_uint8
from processing.io import encode_image
from processing.stats import channel_histograms

ADD_METHODS = ("numpy uint8", "cv2.add", "float")
SAVE_FORMATS = ("jpeg", "png", "webp")


def neighbourhood(image: np.ndarray, *, row: int, col: int, size: int) -> tuple[np.ndarray, tuple[int, int]]:
    """The `size` × `size` window of pixels centred on (`row`, `col`), cut at the image border.

    Parameters
    ----------
    image : ndarray
        uint8, ``(H, W)`` or ``(H, W, 3)``.
    row, col : int
        Centre pixel, ``0 <= row < H`` and ``0 <= col < W``.
    size : int
        Odd window side, 1 to 15.

    Returns
    -------
    window : ndarray
        uint8, at most ``(size, size[, 3])``; smaller where it meets the border.
    origin : tuple of int
        ``(top, left)``: the image coordinates of ``window[0, 0]``.
    """
    check_image(image)
    height, width = image.shape[:2]
    row = check_int(row, name="row", low=0, high=height - 1)
    col = check_int(col, name="col", low=0, high=width - 1)
    size = check_int(size, name="size", low=1, high=15, odd=True)
    half = size // 2
    top, left = max(row - half, 0), max(col - half, 0)
    return image[top : row + half + 1, left : col + half + 1], (top, left)


def paint_rectangle(
    image: np.ndarray, *, top: int, left: int, bottom: int, right: int, value: int | tuple[int, int, int]
) -> np.ndarray:
    """A copy of `image` with ``image[top:bottom, left:right] = value``.

    Parameters
    ----------
    image : ndarray
        uint8, ``(H, W)`` or ``(H, W, 3)``.
    top, left, bottom, right : int
        Slice bounds, as in NumPy (bottom and right excluded), clipped to the image.
    value : int or tuple of 3 int
        Grey level, or (R, G, B) for a colour image; each 0-255.

    Returns
    -------
    ndarray
        uint8, same shape as `image`.
    """
    check_image(image)
    values = np.atleast_1d(np.asarray(value))
    if values.size not in (1, 3) or values.min() < 0 or values.max() > 255:
        raise ValueError(f"value must be one grey level or three RGB levels in 0-255, got {value!r}")
    if image.ndim == 2 and values.size != 1:
        raise ValueError("value must be a single grey level for a grey image")
    painted = image.copy()
    painted[top:bottom, left:right] = values.astype(np.uint8) if image.ndim == 3 else int(values[0])
    return painted


def window_around(shape: tuple[int, ...], *, row: int, col: int, size: int) -> tuple[int, int, int, int]:
    """Where a square window of `size` pixels centred on (`row`, `col`) lies, kept whole inside the image.

    Near an edge the window slides inward instead of shrinking, so several
    pictures cut alike line up for a zoomed view; it is smaller than `size`
    only along a side of the image that is shorter than `size`. For an odd
    `size` away from the edges, (`row`, `col`) is the centre pixel.

    Parameters
    ----------
    shape : tuple of int
        The image's shape, ``(H, W)`` or ``(H, W, C)``.
    row, col : int
        The pixel to centre on, ``0 <= row < H`` and ``0 <= col < W``.
    size : int
        Side of the window, 1 to 4096.

    Returns
    -------
    (top, left, bottom, right) : tuple of int
        The window is ``image[top:bottom, left:right]`` (end exclusive), with
        ``bottom - top = min(size, H)`` and ``right - left = min(size, W)``.
    """
    if len(shape) not in (2, 3) or shape[0] < 1 or shape[1] < 1:
        raise ValueError(f"shape must be (H, W) or (H, W, C) of a non-empty image, got {tuple(shape)}")
    height, width = int(shape[0]), int(shape[1])
    row = check_int(row, name="row", low=0, high=height - 1)
    col = check_int(col, name="col", low=0, high=width - 1)
    size = check_int(size, name="size", low=1, high=4096)
    rows, cols = min(size, height), min(size, width)
    top = min(max(row - rows // 2, 0), height - rows)
    left = min(max(col - cols // 2, 0), width - cols)
    return top, left, top + rows, left + cols


def crop(image: np.ndarray, *, top: int, left: int, bottom: int, right: int) -> np.ndarray:
    """``image[top:bottom, left:right]``, as a copy.

    Returns
    -------
    ndarray
        uint8, shape ``(bottom - top, right - left[, 3])``.

    Raises
    ------
    ValueError
        If the crop would be empty.
    """
    check_image(image)
    height, width = image.shape[:2]
    if not (0 <= top < bottom <= height):
        raise ValueError(f"top and bottom must satisfy 0 <= top < bottom <= {height}, got {top}, {bottom}")
    if not (0 <= left < right <= width):
        raise ValueError(f"left and right must satisfy 0 <= left < right <= {width}, got {left}, {right}")
    return image[top:bottom, left:right].copy()


def add_constant(image: np.ndarray, *, amount: int, method: str) -> np.ndarray:
    """Add `amount` to every pixel in one of three ways, to show the uint8 pitfalls.

    Parameters
    ----------
    image : ndarray
        uint8, ``(H, W)`` or ``(H, W, 3)``.
    amount : int
        -255 to 255.
    method : {"numpy uint8", "cv2.add", "float"}
        ``"numpy uint8"``: ``image + np.uint8(amount)``, which wraps around
        modulo 256 (250 + 10 gives 4). ``"cv2.add"``: OpenCV's saturating
        add (250 + 10 gives 255, 5 - 10 gives 0). ``"float"``: exact sum as
        float32, which may leave the 0-255 range.

    Returns
    -------
    ndarray
        uint8 for the first two methods, float32 for ``"float"``.
    """
    check_image(image)
    amount = check_int(amount, name="amount", low=-255, high=255)
    check_choice(method, name="method", choices=ADD_METHODS)
    if method == "numpy uint8":
        # Adding a negative amount modulo 256 is what uint8 arithmetic does.
        return image + np.uint8(amount % 256)
    if method == "cv2.add":
        # A full array, not a scalar: cv2.add(img, 10) would add 10 to the first channel only.
        return cv2.add(image, np.full(image.shape, abs(amount), np.uint8)) if amount >= 0 else cv2.subtract(
            image, np.full(image.shape, -amount, np.uint8)
        )
    return image.astype(np.float32) + np.float32(amount)


@dataclass(frozen=True)
class Addition:
    """What adding a number to every value did (see `add_and_count`).

    Attributes
    ----------
    result : ndarray
        `add_constant`'s result: uint8, or float32 for ``"float"``.
    share : float
        0-1, a share of all values (every channel counted): for ``"numpy uint8"`` the values that
        wrapped around (`wrap_share`); for ``"cv2.add"`` the values that now sit at the limit the sum
        saturates to (255 when `amount` > 0, else 0); for ``"float"`` the values outside 0-255.
    low, high : float
        The smallest and largest value of `result`.
    """

    result: np.ndarray
    share: float
    low: float
    high: float


def add_and_count(image: np.ndarray, *, amount: int, method: str) -> Addition:
    """Add `amount` to every value with `add_constant`, and count what left the 0-255 range.

    Parameters
    ----------
    image : ndarray
        uint8, ``(H, W)`` or ``(H, W, 3)``.
    amount : int
        -255 to 255.
    method : {"numpy uint8", "cv2.add", "float"}
        As in `add_constant`.

    Returns
    -------
    Addition
    """
    result = add_constant(image, amount=amount, method=method)
    if method == "numpy uint8":
        share = wrap_share(image, amount=amount)
    elif method == "cv2.add":
        share = float(_value_counts(result)[255 if amount > 0 else 0] / result.size)
    else:
        share = float(np.count_nonzero((result < 0) | (result > 255)) / result.size)
    low, high, _, _ = cv2.minMaxLoc(result.reshape(result.shape[0], -1))
    return Addition(result=result, share=share, low=float(low), high=float(high))


def frame(image: np.ndarray, *, width: int = 3, value: int = 40) -> np.ndarray:
    """A copy of `image` inside a frame of `width` pixels of grey `value` (``np.pad`` with a constant).

    Pictures shown side by side as swatches (ramps, colour patches) each get a thin dark frame, so
    where one ends and the next begins stays clear on a white page and a projector.

    Parameters
    ----------
    image : ndarray
        uint8, ``(H, W)`` or ``(H, W, 3)``.
    width : int
        Frame width in pixels, 1 to 64.
    value : int
        Grey level of the frame, 0-255 (every channel of a colour image).

    Returns
    -------
    ndarray
        uint8, shape ``(H + 2 * width, W + 2 * width[, 3])``.
    """
    check_image(image)
    width = check_int(width, name="width", low=1, high=64)
    value = check_int(value, name="value", low=0, high=255)
    pad = ((width, width), (width, width)) + (((0, 0),) if image.ndim == 3 else ())
    return np.pad(image, pad, mode="constant", constant_values=value)


def quantise(image: np.ndarray, *, levels: int) -> np.ndarray:
    """Keep only `levels` evenly spaced grey levels per channel.

    Each value ``v`` falls into bin ``q = floor(v * levels / 256)`` and is
    replaced by the bin's representative ``round(q * 255 / (levels - 1))``, so
    black stays 0 and white stays 255.

    Parameters
    ----------
    image : ndarray
        uint8, ``(H, W)`` or ``(H, W, 3)``.
    levels : int
        2 to 256; 256 returns the image unchanged.

    Returns
    -------
    ndarray
        uint8, same shape; at most `levels` distinct values per channel.
    """
    check_image(image)
    levels = check_int(levels, name="levels", low=2, high=256)
    bins = (np.arange(256) * levels) // 256
    table = np.round(bins * 255.0 / (levels - 1)).astype(np.uint8)
    return cv2.LUT(image, table)


def fewer_pixels(image: np.ndarray, *, factor: int) -> tuple[np.ndarray, np.ndarray]:
    """Keep one pixel in `factor` along each axis, and show it at the original size.

    Parameters
    ----------
    image : ndarray
        uint8, ``(H, W)`` or ``(H, W, 3)``.
    factor : int
        1 to 64.

    Returns
    -------
    small : ndarray
        ``image[::factor, ::factor]``: uint8, shape ``(ceil(H/f), ceil(W/f)[, 3])``.
    blocky : ndarray
        `small` enlarged back by repeating each pixel `factor` times and cut to
        ``(H, W)``, so each kept pixel shows as a square.
    """
    check_image(image)
    factor = check_int(factor, name="factor", low=1, high=64)
    small = image[::factor, ::factor]
    blocky = np.repeat(np.repeat(small, factor, axis=0), factor, axis=1)
    return np.ascontiguousarray(small), np.ascontiguousarray(blocky[: image.shape[0], : image.shape[1]])


@dataclass(frozen=True)
class SavedImage:
    """The result of saving an image and reading it back.

    Attributes
    ----------
    data : bytes
        The encoded file.
    decoded : ndarray
        uint8, the pixels read back from `data` (same shape as the input).
    difference : ndarray
        int16, ``decoded - original``: what the format changed (0 everywhere for PNG).
    changed_share : float
        0-1: the share of values (all channels together) that changed on the way.
    largest_change : int
        0-255: the largest change of one value, ``max(abs(difference))``.
    """

    data: bytes
    decoded: np.ndarray
    difference: np.ndarray
    changed_share: float
    largest_change: int


def save_and_reload(image: np.ndarray, *, file_format: str, quality: int = 90) -> SavedImage:
    """Encode `image` as `file_format` with OpenCV, decode it again, and compare.

    Parameters
    ----------
    image : ndarray
        uint8, ``(H, W)`` or ``(H, W, 3)`` RGB.
    file_format : {"jpeg", "png", "webp"}
        PNG is lossless; JPEG and WebP lose detail to save space.
    quality : int
        1-100, for JPEG and WebP.

    Returns
    -------
    SavedImage
    """
    check_image(image)
    check_choice(file_format, name="file_format", choices=SAVE_FORMATS)
    quality = check_int(quality, name="quality", low=1, high=100)
    data = encode_image(image, file_format=file_format, jpeg_quality=quality)
    flag = cv2.IMREAD_GRAYSCALE if image.ndim == 2 else cv2.IMREAD_COLOR
    decoded = cv2.imdecode(np.frombuffer(data, np.uint8), flag)
    if image.ndim == 3:
        decoded = cv2.cvtColor(decoded, cv2.COLOR_BGR2RGB)
    difference = decoded.astype(np.int16) - image.astype(np.int16)
    return SavedImage(data=data, decoded=decoded, difference=difference,
                      changed_share=float(np.count_nonzero(difference) / difference.size),
                      largest_change=int(np.abs(difference).max()))


def amplified_difference(difference: np.ndarray, *, gain: float = 10.0) -> np.ndarray:
    """Show a signed difference as grey: 128 means no change, brighter or darker by `gain` per level.

    Parameters
    ----------
    difference : ndarray
        Signed integer or float, any shape.
    gain : float
        Display gain; differences beyond ±128/gain are clipped for display.

    Returns
    -------
    ndarray
        uint8, same shape: ``clip(rint(128 + gain * difference), 0, 255)``, the mapping of
        `processing.display.to_uint8` with ``low = -128 / gain`` and ``high = 127 / gain``.
    """
    gain = float(gain)
    if not (np.isfinite(gain) and gain > 0):
        raise ValueError(f"gain must be a positive number, got {gain}")
    return to_uint8(difference, low=-128.0 / gain, high=127.0 / gain)


def _value_counts(image: np.ndarray) -> np.ndarray:
    """How often each value 0-255 occurs in `image`, all channels together (int64, shape (256,))."""
    return channel_histograms(image).sum(axis=0)


def changed_pixels(before: np.ndarray, after: np.ndarray) -> int:
    """How many pixels differ between two images of the same shape (a colour pixel counts once).

    Parameters
    ----------
    before, after : ndarray
        uint8, the same shape ``(H, W)`` or ``(H, W, 3)``.

    Returns
    -------
    int
        Pixels where at least one channel differs, 0 to ``H * W``.
    """
    check_image(before, name="before")
    check_image(after, name="after")
    if before.shape != after.shape:
        raise ValueError(f"after must have the shape of before {before.shape}, got {after.shape}")
    differs = cv2.absdiff(before, after)
    if differs.ndim == 3:
        # The saturating sum of the three differences is 0 exactly where every channel agrees.
        differs = cv2.transform(differs, np.ones((1, 3)))
    return int(cv2.countNonZero(differs))


def distinct_values(image: np.ndarray) -> int:
    """How many different values (0-255) occur in `image`, over all channels together.

    Parameters
    ----------
    image : ndarray
        uint8, ``(H, W)`` or ``(H, W, 3)``; the channels are counted together.

    Returns
    -------
    int
        1 to 256; the number of spikes in a histogram of every value.
    """
    check_image(image)
    return int(np.count_nonzero(_value_counts(image)))


def wrap_share(image: np.ndarray, *, amount: int) -> float:
    """Share of values that wrap around when `amount` is added in uint8 arithmetic.

    Adding a positive amount wraps values ``>= 256 - amount`` (250 + 10 gives 4);
    adding a negative amount wraps values ``< -amount`` (5 - 10 gives 251).

    Parameters
    ----------
    image : ndarray
        uint8, ``(H, W)`` or ``(H, W, 3)``.
    amount : int
        -255 to 255.

    Returns
    -------
    float
        0-1: wrapped values divided by ``image.size``.
    """
    check_image(image)
    amount = check_int(amount, name="amount", low=-255, high=255)
    counts = _value_counts(image)
    wrapped = counts[256 - amount :].sum() if amount > 0 else counts[: -amount].sum()
    return float(wrapped / image.size)
