"""Numbers that describe a whole image: its facts card and its histograms."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from processing._checks import check_image

#: Channel names in array order, for grey and RGB images.
CHANNEL_NAMES = {2: ("grey",), 3: ("red", "green", "blue")}


@dataclass(frozen=True)
class ImageFacts:
    """Shape, dtype and per-channel statistics of an image.

    Attributes
    ----------
    shape : tuple of int
        ``array.shape``.
    dtype : str
        ``str(array.dtype)``.
    channels : tuple of str
        Channel names in array order (``("grey",)`` or ``("red", "green", "blue")``).
    minimum, maximum : tuple of int
        Per-channel minimum and maximum.
    mean : tuple of float
        Per-channel mean.
    """

    shape: tuple[int, ...]
    dtype: str
    channels: tuple[str, ...]
    minimum: tuple[int, ...]
    maximum: tuple[int, ...]
    mean: tuple[float, ...]


def channels_of(image: np.ndarray) -> list[np.ndarray]:
    """Split an image into 2-D channel views (one for grey, three for RGB)."""
    check_image(image)
    return [image] if image.ndim == 2 else [image[:, :, c] for c in range(3)]


def image_facts(image: np.ndarray) -> ImageFacts:
    """Describe an image: shape, dtype and each channel's min, max and mean.

    Parameters
    ----------
    image : ndarray
        uint8, ``(H, W)`` or ``(H, W, 3)``.

    Returns
    -------
    ImageFacts
    """
    planes = channels_of(image)
    extremes = [cv2.minMaxLoc(plane)[:2] for plane in planes]
    return ImageFacts(
        shape=tuple(image.shape),
        dtype=str(image.dtype),
        channels=CHANNEL_NAMES[image.ndim],
        minimum=tuple(int(low) for low, _ in extremes),
        maximum=tuple(int(high) for _, high in extremes),
        mean=tuple(float(cv2.mean(plane)[0]) for plane in planes),
    )


def channel_histograms(image: np.ndarray) -> np.ndarray:
    """Count how many pixels take each value 0-255, per channel.

    Parameters
    ----------
    image : ndarray
        uint8, ``(H, W)`` or ``(H, W, 3)``.

    Returns
    -------
    ndarray
        int64, shape ``(C, 256)`` with ``C`` = 1 (grey) or 3 (R, G, B);
        each row sums to ``H * W``.
    """
    planes = channels_of(image)
    if image.shape[0] * image.shape[1] >= 2**24:
        # calcHist counts in float32, exact only below 2**24 pixels.
        return np.stack([np.bincount(p.ravel(), minlength=256) for p in planes]).astype(np.int64)
    counts = [cv2.calcHist([np.ascontiguousarray(p)], [0], None, [256], [0, 256]).ravel() for p in planes]
    return np.rint(np.stack(counts)).astype(np.int64)
