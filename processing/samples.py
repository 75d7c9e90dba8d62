"""The sample images every lesson can use.

Photographs come from ``skimage.data`` (bundled with scikit-image, nothing is
downloaded); patterns are drawn in code so their properties are exactly known.
A sample is chosen by its id, which is what travels in a shared link
(``?img=coins``): user text is only ever looked up here, never used as a path.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import cv2
import numpy as np
import skimage.data


@dataclass(frozen=True)
class Sample:
    """One sample image.

    Attributes
    ----------
    id : str
        Short identifier used in URLs, e.g. ``"coins"``.
    title : str
        Name shown to the learner.
    description : str
        One line on what the image is good for.
    credit : str
        Where the image comes from and its licence.
    load : callable
        Returns the pixels, uint8 ``(H, W)`` or ``(H, W, 3)``.
    code : str
        Plain Python that makes the same pixels as ``img``, for code panels.
    """

    id: str
    title: str
    description: str
    credit: str
    load: Callable[[], np.ndarray]
    code: str


def gradient_ramp(*, height: int = 256, width: int = 512) -> np.ndarray:
    """A horizontal grey ramp from 0 at the left to 255 at the right.

    Returns
    -------
    ndarray
        uint8, shape ``(height, width)``; column ``x`` holds
        ``round(255 * x / (width - 1))``.
    """
    row = np.round(np.linspace(0, 255, width)).astype(np.uint8)
    return np.repeat(row[np.newaxis, :], height, axis=0)


#: Shapes drawn by `known_shapes`, with their exact areas in pixels.
KNOWN_SHAPES = {
    "rectangle 100 × 60": 6000,
    "square 50 × 50": 2500,
    "rectangle 20 × 120": 2400,
    "square 30 × 30": 900,
}


def known_shapes() -> np.ndarray:
    """Four filled white rectangles of known area on black, plus one disc.

    Returns
    -------
    ndarray
        uint8, shape ``(300, 400)``, values 0 and 255. The rectangles'
        areas are listed in `KNOWN_SHAPES`; the disc has radius 40 (its pixel
        count, 5,025, is close to π·40² ≈ 5,027).
    """
    canvas = np.zeros((300, 400), np.uint8)
    canvas[30:90, 30:130] = 255  # 100 x 60
    canvas[40:90, 200:250] = 255  # 50 x 50
    canvas[150:270, 30:50] = 255  # 20 x 120
    canvas[230:260, 330:360] = 255  # 30 x 30
    cv2.circle(canvas, (220, 190), 40, 255, thickness=-1)
    return canvas


_SHAPES_CODE = """img = np.zeros((300, 400), np.uint8)
img[30:90, 30:130] = 255    # 100 x 60
img[40:90, 200:250] = 255   # 50 x 50
img[150:270, 30:50] = 255   # 20 x 120
img[230:260, 330:360] = 255 # 30 x 30
cv2.circle(img, (220, 190), 40, 255, thickness=-1)"""


def _checkerboard() -> np.ndarray:
    # Fine squares (8 px) so that shrinking it shows aliasing clearly.
    tiles = (np.indices((320, 320)) // 8).sum(axis=0) % 2
    return (tiles * 255).astype(np.uint8)


SAMPLES: dict[str, Sample] = {
    sample.id: sample
    for sample in (
        Sample("astronaut", "Astronaut", "Colour portrait with strong colours (the orange suit).",
               "Eileen Collins, NASA; public domain (scikit-image).", skimage.data.astronaut,
               "img = skimage.data.astronaut()"),
        Sample("camera", "Cameraman", "Classic grey test photo: sky, coat, tripod, grass.",
               "Lav Varshney; CC0 (scikit-image).", skimage.data.camera,
               "img = skimage.data.camera()"),
        Sample("coffee", "Coffee cup", "Colour photo with red saucer, smooth and grainy textures.",
               "Rachel Michetti; CC0 (scikit-image).", skimage.data.coffee,
               "img = skimage.data.coffee()"),
        Sample("chelsea", "Chelsea the cat", "Fur texture and edges in many directions.",
               "Stefan van der Walt; CC0 (scikit-image).", skimage.data.chelsea,
               "img = skimage.data.chelsea()"),
        Sample("moon", "Moon surface", "Low contrast: all values in a narrow band.",
               "scikit-image sample; no known copyright restrictions.", skimage.data.moon,
               "img = skimage.data.moon()"),
        Sample("page", "Scanned page", "Printed text under uneven lighting.",
               "scikit-image sample; no known copyright restrictions.", skimage.data.page,
               "img = skimage.data.page()"),
        Sample("text", "Text on a photo", "Dark text and shapes on an uneven background.",
               "Wikipedia 'Corner.png'; public domain (scikit-image).", skimage.data.text,
               "img = skimage.data.text()"),
        Sample("coins", "Greek coins", "Coins on a plain background: objects to segment and count.",
               "Brooklyn Museum; no known copyright restrictions (scikit-image).", skimage.data.coins,
               "img = skimage.data.coins()"),
        Sample("cell", "Floating cell", "Quantitative phase image of a cell.",
               "Paul Müller; CC0 (scikit-image).", skimage.data.cell,
               "img = skimage.data.cell()"),
        Sample("hubble", "Hubble deep field", "Hundreds of small bright galaxies on black.",
               "NASA; public domain (scikit-image).", skimage.data.hubble_deep_field,
               "img = skimage.data.hubble_deep_field()"),
        Sample("ihc", "Stained tissue", "Immunohistochemistry stain: brown and blue dyes.",
               "Center for Microscopy and Molecular Imaging (CMMI); no known copyright restrictions (scikit-image).",
               skimage.data.immunohistochemistry,
               "img = skimage.data.immunohistochemistry()"),
        Sample("brick", "Brick wall", "Regular texture; shows moiré when shrunk.",
               "CC0Textures; CC0 (scikit-image).", skimage.data.brick,
               "img = skimage.data.brick()"),
        Sample("grass", "Grass", "Irregular fine texture.",
               "linolafett on DeviantArt; CC0 (scikit-image).", skimage.data.grass,
               "img = skimage.data.grass()"),
        Sample("checkerboard", "Checkerboard", "Black and white 8-pixel squares (made in code).",
               "Pixel Lab, drawn in code.", _checkerboard,
               "img = ((np.indices((320, 320)) // 8).sum(axis=0) % 2 * 255).astype(np.uint8)"),
        Sample("ramp", "Gradient ramp", "Grey levels 0 to 255 from left to right (made in code).",
               "Pixel Lab, drawn in code.", gradient_ramp,
               "img = np.repeat(np.round(np.linspace(0, 255, 512)).astype(np.uint8)[np.newaxis, :], 256, axis=0)"),
        Sample("shapes", "Shapes of known area", "White rectangles of known area and a disc (made in code).",
               "Pixel Lab, drawn in code.", known_shapes,
               _SHAPES_CODE),
    )
}

DEFAULT_SAMPLE = "astronaut"


def load_sample(sample_id: str) -> np.ndarray:
    """Load a sample's pixels by id.

    Parameters
    ----------
    sample_id : str
        A key of `SAMPLES`.

    Returns
    -------
    ndarray
        uint8, ``(H, W)`` or ``(H, W, 3)``, C-contiguous.

    Raises
    ------
    ValueError
        If `sample_id` is not a known sample.
    """
    if sample_id not in SAMPLES:
        raise ValueError(f"sample_id must be one of {', '.join(SAMPLES)}; got {sample_id!r}")
    return np.ascontiguousarray(SAMPLES[sample_id].load(), dtype=np.uint8)
