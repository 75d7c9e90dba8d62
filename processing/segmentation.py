"""Segmentation: split an image into objects or regions.

Connected components of a mask, a categorical colouring of label images, k-means
colour clustering, watershed for touching objects and SLIC superpixels.

Conventions: masks are ``bool`` arrays of shape ``(H, W)``; label images are
``int32`` arrays of shape ``(H, W)`` where 0 is background and objects are
numbered 1, 2, ...; colour images are RGB ``uint8`` of shape ``(H, W, 3)``.

Timings (shared 2-core machine, 1600 x 1200 image, best of 3): connected
components 5 ms, label colouring 7 ms, k-means (k = 8) 0.1 s in RGB and 0.15 s
in Lab, watershed 0.25-0.45 s; SLIC 0.85 s on a 1000 x 1000 RGB image. Cache the
slow ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import cv2
import numpy as np
import scipy.cluster.vq
import scipy.ndimage as ndi
from skimage.feature import peak_local_max
from skimage.segmentation import find_boundaries, slic, watershed

from processing._checks import (
    check_choice,
    check_float,
    check_gray,
    check_image,
    check_int,
    check_labels,
    check_mask,
)
from processing.threshold import manual_threshold, otsu_threshold

__all__ = [
    "PALETTE",
    "AreaStats",
    "KMeansResult",
    "SuperpixelResult",
    "ThresholdObjects",
    "WatershedResult",
    "area_stats",
    "as_rgb",
    "connected_components",
    "connectivity_example",
    "draw_markers",
    "drop_small",
    "fill_holes",
    "inner_boundaries",
    "kmeans_colors",
    "kmeans_colors_code",
    "label_masks",
    "label_to_rgb",
    "mean_colors",
    "overlay_labels",
    "random_mask",
    "superpixel_working_size",
    "superpixels",
    "superpixels_code",
    "swatch",
    "threshold_objects",
    "threshold_objects_code",
    "touching_discs",
    "watershed_split",
    "watershed_split_code",
]

#: Colours for labels 1, 2, 3, ... (label ``n`` gets ``PALETTE[(n - 1) % 10]``): Okabe and Ito's seven colours
#: and three more chosen to stay apart from them, from each other and from black (the background) with any colour
#: vision: every pair differs by at least 10 CIEDE2000 under simulated protanopia, deuteranopia and tritanopia
#: (tests/test_colour_vision.py). Tableau 10, used before, had red and green 0.7 apart for deuteranopes.
PALETTE: np.ndarray = np.array(
    [
        [0, 114, 178],  # blue
        [230, 159, 0],  # orange
        [213, 94, 0],  # vermillion
        [86, 180, 233],  # sky blue
        [0, 158, 115],  # bluish green
        [240, 228, 66],  # yellow
        [204, 121, 167],  # reddish purple
        [128, 32, 0],  # dark brown
        [0, 0, 160],  # navy
        [192, 224, 192],  # pale green
    ],
    dtype=np.uint8,
)
PALETTE.flags.writeable = False


# ------------------------------------------------------------ connected components


def connected_components(mask: np.ndarray, *, connectivity: int = 8) -> tuple[np.ndarray, int]:
    """Number the connected groups of True pixels in a mask.

    Parameters
    ----------
    mask : ndarray of bool, shape (H, W)
        Foreground pixels are True.
    connectivity : {4, 8}, optional
        4: pixels touch only through an edge (up, down, left, right).
        8: pixels also touch through a corner (diagonals).

    Returns
    -------
    labels : ndarray of int32, shape (H, W)
        0 for background, 1..count for the objects, numbered roughly from top
        to bottom. With connectivity 8 OpenCV scans 2 x 2 blocks, so the
        numbers can differ from ``skimage.measure.label``'s row-by-row order;
        the objects themselves are the same.
    count : int
        Number of objects, background not included.

    Notes
    -----
    Plain OpenCV (``n`` counts the background as label 0)::

        n, labels = cv2.connectedComponents(mask.astype(np.uint8),
                                            connectivity=8, ltype=cv2.CV_32S)
        count = n - 1

    About 5 ms on a 2-megapixel mask.
    """
    check_mask(mask)
    connectivity = check_int(connectivity, name="connectivity")
    check_choice(connectivity, name="connectivity", choices=(4, 8))
    # OpenCV wants uint8; a bool array viewed as uint8 is 0/1 without a copy.
    n, labels = cv2.connectedComponents(
        mask.view(np.uint8), connectivity=connectivity, ltype=cv2.CV_32S
    )
    return labels, int(n) - 1


def connectivity_example(*, size: int = 48) -> np.ndarray:
    """A mask whose object count depends on the connectivity.

    Two filled squares touch only at one corner, and a one-pixel-wide diagonal
    line runs in the free corner of the image. With 8-connectivity (corners
    count) there are 2 objects: the pair of squares and the line. With
    4-connectivity (edges only) there are ``2 + size // 4`` objects: the two
    squares separately and every pixel of the diagonal line on its own.

    Parameters
    ----------
    size : int, optional
        Side of the square mask in pixels, 16 to 4096, a multiple of 4.

    Returns
    -------
    ndarray of bool, shape (size, size)
    """
    size = check_int(size, name="size", low=16, high=4096)
    if size % 4:
        raise ValueError(f"size must be a multiple of 4, got {size}")
    q = size // 4
    mask = np.zeros((size, size), dtype=bool)
    # Squares at rows/cols [q, 2q) and [2q, 3q): they share only the corner point
    # between pixels (2q-1, 2q-1) and (2q, 2q).
    mask[q : 2 * q, q : 2 * q] = True
    mask[2 * q : 3 * q, 2 * q : 3 * q] = True
    # Diagonal line of q pixels in the top-right corner, away from the squares.
    line = np.arange(q)
    mask[line, size - q + line] = True
    return mask


# ------------------------------------------------------- from a threshold to objects


@dataclass(frozen=True)
class ThresholdObjects:
    """Result of `threshold_objects`.

    Attributes
    ----------
    threshold : int
        The level used, 0..255: Otsu's when no level was given.
    raw_mask : ndarray of bool, shape (H, W)
        The threshold's mask: ``image > threshold`` (``<=`` for dark objects).
    raw_share : float
        Share of the pixels in `raw_mask`, 0..1.
    mask : ndarray of bool, shape (H, W)
        The objects' pixels (``labels > 0``): `raw_mask` with its holes filled
        if asked, specks dropped.
    labels : ndarray of int32, shape (H, W)
        0 for background, the objects numbered 1..count in the order of
        `connected_components`.
    count : int
        Number of objects.
    """

    threshold: int
    raw_mask: np.ndarray
    raw_share: float
    mask: np.ndarray
    labels: np.ndarray
    count: int


def threshold_objects(
    image: np.ndarray,
    *,
    threshold: int | None = None,
    dark_objects: bool = False,
    fill_holes: bool = True,
    connectivity: int = 8,
    min_area: int = 0,
) -> ThresholdObjects:
    """Objects of a grey image: threshold, fill holes, connected components, drop specks.

    The pipeline both lessons on objects start from (Segmentation and
    Measuring); `threshold_objects_code` writes it as plain OpenCV code.

    Parameters
    ----------
    image : ndarray of uint8, shape (H, W)
        Grey image.
    threshold : int, optional
        Level 0..255; None (default) lets Otsu's method choose it (`otsu_threshold`).
    dark_objects : bool, optional
        Objects darker than the background: keep ``image <= threshold``.
    fill_holes : bool, optional
        Fill the holes of the mask first (background enclosed by an object,
        such as the engravings of a coin, becomes object).
    connectivity : {4, 8}, optional
        Neighbours that join pixels into one object (see `connected_components`).
    min_area : int, optional
        Drop objects of fewer pixels, 0 to 10**9, and renumber the rest (`drop_small`);
        0 and 1 keep every object.

    Returns
    -------
    ThresholdObjects
        The level, both masks, the label image and the object count.
    """
    check_gray(image)
    level = otsu_threshold(image) if threshold is None else check_int(threshold, name="threshold", low=0, high=255)
    raw = manual_threshold(image, threshold=level, dark_objects=bool(dark_objects))
    mask = ndi.binary_fill_holes(raw.mask) if fill_holes else raw.mask
    labels, count = connected_components(mask, connectivity=connectivity)
    if check_int(min_area, name="min_area", low=0, high=10**9) > 1:
        labels, count = drop_small(labels, min_area=min_area)
        mask = labels > 0
    return ThresholdObjects(threshold=level, raw_mask=raw.mask, raw_share=float(raw.fraction), mask=mask,
                            labels=labels, count=count)


def threshold_objects_code(
    *,
    colour: bool,
    level: int,
    threshold: int | None = None,
    dark_objects: bool = False,
    fill_holes: bool = True,
    connectivity: int = 8,
    min_area: int = 0,
) -> str:
    """Plain OpenCV/SciPy code for `threshold_objects` with these settings, for a lesson's code panel.

    Parameters
    ----------
    colour : bool
        The code starts from an RGB ``img`` (True) or a grey one.
    level : int
        The level in effect (Otsu's result when `threshold` is None), quoted in a comment.
    threshold, dark_objects, fill_holes, connectivity, min_area
        As in `threshold_objects`.

    Returns
    -------
    str
        Lines that read ``img`` and leave ``gray``, ``mask`` and ``labels``
        (int32, 0 background, objects 1..N: the `ThresholdObjects.labels` of
        the same settings), each line ending in a newline.
    """
    flag = "cv2.THRESH_BINARY_INV" if dark_objects else "cv2.THRESH_BINARY"
    if threshold is None:
        threshold_line = f"t, mask = cv2.threshold(gray, 0, 255, {flag} + cv2.THRESH_OTSU)  # Otsu: t = {level}\n"
    else:
        sign = "≤" if dark_objects else ">"
        threshold_line = (f"t, mask = cv2.threshold(gray, {threshold}, 255, {flag})  "
                          f"# 255 where gray {sign} {threshold}\n")
    code = (
        "import scipy.ndimage as ndi\n\n"
        + ("gray = cv2.cvtColor(img, cv2.COLOR_RGB2GRAY)\n" if colour else "gray = img\n")
        + threshold_line
        + ("mask = ndi.binary_fill_holes(mask > 0)  # enclosed background becomes object\n" if fill_holes
           else "mask = mask > 0\n")
        + f"n, labels = cv2.connectedComponents(mask.astype(np.uint8), connectivity={connectivity}, "
        "ltype=cv2.CV_32S)\n"
    )
    if min_area > 1:
        code += (
            "areas = np.bincount(labels.ravel())  # pixels per label (label 0: background)\n"
            f"keep = np.flatnonzero(areas[1:] >= {min_area}) + 1  # drop specks\n"
            "renumber = np.zeros(len(areas), np.int32)\n"
            "renumber[keep] = np.arange(1, len(keep) + 1)\n"
            "labels = renumber[labels]  # 0 background, objects 1..N\n"
        )
    return code


def label_to_rgb(labels: np.ndarray) -> np.ndarray:
    """Colour a label image with a fixed categorical palette.

    Parameters
    ----------
    labels : ndarray of int, shape (H, W)
        Label image, values >= 0; 0 is background.

    Returns
    -------
    ndarray of uint8, shape (H, W, 3)
        RGB image: background black, label ``n`` coloured ``PALETTE[(n - 1) % 10]``,
        so colours repeat every 10 labels. Consecutive labels always differ in
        colour; two distant objects may share one.

    Notes
    -----
    Plain NumPy: one colour per label value, then a table look-up::

        lut = np.vstack([[0, 0, 0], PALETTE[np.arange(labels.max()) % 10]])
        rgb = np.take(lut, labels, axis=0).astype(np.uint8)

    About 7 ms on a 2-megapixel label image (``np.take`` is 3x faster than
    ``lut[labels]`` here).
    """
    check_labels(labels)
    # Row n of the table is label n's colour: label 0 black, then the palette cycled.
    lut = np.vstack([np.zeros((1, 3), np.uint8), PALETTE[np.arange(labels.max()) % len(PALETTE)]])
    return np.take(lut, labels, axis=0)


# ------------------------------------------------------------------------ k-means


@dataclass(frozen=True)
class KMeansResult:
    """Result of `kmeans_colors`.

    Attributes
    ----------
    labels : ndarray of int32, shape (H, W)
        Cluster index of each pixel, 0..n_clusters-1. Not a label image in the
        usual sense: there is no background, every pixel belongs to a cluster.
    centers : ndarray of uint8, shape (n_clusters, 3)
        Each cluster's centre as an RGB colour (a swatch).
    shares : ndarray of float64, shape (n_clusters,)
        Fraction of all pixels in each cluster, in [0, 1], summing to 1.
    order : ndarray of int64, shape (n_clusters,)
        Cluster indices, largest share first (ties: lower index first).
    quantized : ndarray of uint8, shape (H, W, 3), or (H, W) for a grey image
        The image with every pixel replaced by its cluster's centre.
    """

    labels: np.ndarray
    centers: np.ndarray
    shares: np.ndarray
    order: np.ndarray
    quantized: np.ndarray


def _rgb_to_space(rgb: np.ndarray, space: str) -> np.ndarray:
    """RGB uint8 ``(..., 3)`` -> float32 features ``(..., 3)`` in `space`."""
    if space == "rgb":
        return rgb.astype(np.float32)
    # Float input gives true CIELAB (L 0..100, a, b about -128..127), where equal
    # distances look about equally different; uint8 Lab would stretch L by 2.55.
    # cvtColor needs a 3-channel image: view the pixel list as an (N, 1) image.
    lab = cv2.cvtColor(rgb.reshape(-1, 1, 3).astype(np.float32) / 255.0, cv2.COLOR_RGB2Lab)
    return lab.reshape(rgb.shape)


def _space_to_rgb(features: np.ndarray, space: str) -> np.ndarray:
    """Float32 centres ``(k, 3)`` in `space` -> RGB uint8 ``(k, 3)``."""
    if space == "rgb":
        rgb = features
    else:
        # Lab centres can fall outside the RGB gamut: clip rather than wrap.
        rgb = cv2.cvtColor(features.reshape(-1, 1, 3), cv2.COLOR_Lab2RGB).reshape(-1, 3) * 255.0
    return np.clip(np.rint(rgb), 0, 255).astype(np.uint8)


def kmeans_colors(
    image: np.ndarray,
    *,
    k: int = 4,
    space: Literal["rgb", "lab"] = "rgb",
    seed: int = 0,
    max_samples: int = 50_000,
) -> KMeansResult:
    """Group the pixels of a colour image into `k` colour clusters (k-means).

    k-means alternates two steps: give each pixel to the nearest centre, move
    each centre to the mean of its pixels. To stay fast on large images, the
    centres are learnt from a random sample of at most `max_samples` pixels
    (drawn with `seed`), then every pixel is given to its nearest centre.

    Parameters
    ----------
    image : ndarray of uint8, shape (H, W, 3) or (H, W)
        RGB image, values 0..255. A grey image is clustered as RGB with three
        equal channels (`as_rgb`), and its `quantized` picture stays grey.
    k : int, optional
        Number of clusters, 1 to 32.
    space : {"rgb", "lab"}, optional
        Space in which distances are measured. "lab" is CIELAB (computed from
        float RGB in [0, 1]), where distances follow perceived difference better.
    seed : int, optional
        Seed for the pixel sample and for OpenCV's k-means++ start; the same
        image, parameters and seed give the same result.
    max_samples : int, optional
        Largest number of pixels used to learn the centres, 1000 to 10,000,000.

    Returns
    -------
    KMeansResult
        ``labels`` int32 (H, W), ``centers`` uint8 (n_clusters, 3) RGB,
        ``shares`` float64 (n_clusters,), ``order`` (n_clusters,), ``quantized``
        uint8 with the image's shape.
        ``n_clusters == k``, except when the sample has only ``m <= k`` distinct
        colours: then the centres are exactly those ``m`` colours (more
        clusters than colours would only repeat centres).

    Notes
    -----
    Plain code for the same result (``space="rgb"``, more than `k` colours)::

        pixels = image.reshape(-1, 3).astype(np.float32)
        rng = np.random.default_rng(seed)
        if len(pixels) > max_samples:
            sample = pixels[np.sort(rng.choice(len(pixels), max_samples, replace=False))]
        else:
            sample = pixels
        cv2.setRNGSeed(seed)
        criteria = (cv2.TERM_CRITERIA_EPS + cv2.TERM_CRITERIA_MAX_ITER, 20, 0.5)
        _, _, centers = cv2.kmeans(sample, k, None, criteria, 1, cv2.KMEANS_PP_CENTERS)
        labels, _ = scipy.cluster.vq.vq(pixels, centers)  # nearest centre
        centers_rgb = np.clip(np.rint(centers), 0, 255).astype(np.uint8)
        quantized = centers_rgb[labels].reshape(image.shape)

    About 0.1 s on a 1600 x 1200 image with k = 8 (k-means on 50,000 pixels
    15 ms, nearest centre for all pixels 35 ms, building the outputs 40 ms);
    "lab" adds about 50 ms of colour conversion.
    """
    rgb = as_rgb(image)
    k = check_int(k, name="k", low=1, high=32)
    check_choice(space, name="space", choices=("rgb", "lab"))
    seed = check_int(seed, name="seed", low=0, high=2**31 - 1)
    max_samples = check_int(max_samples, name="max_samples", low=1000, high=10_000_000)

    rgb_pixels = rgb.reshape(-1, 3)
    n_pixels = rgb_pixels.shape[0]
    features = _rgb_to_space(rgb_pixels, space)
    if n_pixels > max_samples:
        rng = np.random.default_rng(seed)
        # Sorted indices read memory in order: same sample, faster gather.
        sample_index = np.sort(rng.choice(n_pixels, max_samples, replace=False))
        rgb_sample, sample = rgb_pixels[sample_index], features[sample_index]
    else:
        rgb_sample, sample = rgb_pixels, features

    # Pack each colour into one int so np.unique runs on a 1-D array (fast).
    packed = (
        (rgb_sample[:, 0].astype(np.int32) << 16)
        | (rgb_sample[:, 1].astype(np.int32) << 8)
        | rgb_sample[:, 2].astype(np.int32)
    )
    distinct = np.unique(packed)

    if len(distinct) <= k:
        # Fewer colours than clusters: each colour is its own cluster, exactly.
        centers_rgb = np.stack(
            [(distinct >> 16) & 255, (distinct >> 8) & 255, distinct & 255], axis=1
        ).astype(np.uint8)
        centers = _rgb_to_space(centers_rgb, space)
    else:
        # cv2's RNG is per thread; seeding it right before the call makes
        # k-means++ repeatable without touching other learners' sessions.
        cv2.setRNGSeed(seed)
        criteria = (cv2.TERM_CRITERIA_EPS + cv2.TERM_CRITERIA_MAX_ITER, 20, 0.5)
        _, _, centers = cv2.kmeans(sample, k, None, criteria, 1, cv2.KMEANS_PP_CENTERS)
        centers_rgb = _space_to_rgb(centers, space)

    labels, _ = scipy.cluster.vq.vq(features, centers.astype(np.float32), check_finite=False)
    labels = labels.astype(np.int32)
    shares = np.bincount(labels, minlength=len(centers)) / n_pixels
    # A grey image's centres are grey (three equal channels): paint it with the first.
    palette = centers_rgb if image.ndim == 3 else centers_rgb[:, 0]
    return KMeansResult(
        labels=labels.reshape(image.shape[:2]),
        centers=centers_rgb,
        shares=shares,
        order=np.argsort(-shares, kind="stable"),
        quantized=palette[labels].reshape(image.shape),
    )


def kmeans_colors_code(*, colour: bool, k: int, space: str = "rgb", seed: int = 0) -> str:
    """Plain OpenCV/SciPy code for `kmeans_colors` with these settings, for a lesson's code panel.

    Parameters
    ----------
    colour : bool
        The code starts from an RGB ``img`` (True) or a grey one.
    k, space, seed
        As in `kmeans_colors` (`max_samples` is 50,000).

    Returns
    -------
    str
        Lines that read ``img`` and leave ``result``: the `KMeansResult.quantized` picture.
    """
    check_choice(space, name="space", choices=("rgb", "lab"))
    if space == "lab":
        space_code = (
            "def features_of(rgb):  # CIELAB from float RGB in [0, 1]\n"
            "    return cv2.cvtColor(rgb.reshape(-1, 1, 3).astype(np.float32) / 255.0, "
            "cv2.COLOR_RGB2Lab).reshape(-1, 3)\n"
        )
        back = ("centers_rgb = cv2.cvtColor(centers.reshape(-1, 1, 3), cv2.COLOR_Lab2RGB).reshape(-1, 3) * 255.0\n"
                "    centers_rgb = np.clip(np.rint(centers_rgb), 0, 255).astype(np.uint8)\n")
    else:
        space_code = "def features_of(rgb):\n    return rgb.astype(np.float32)\n"
        back = "centers_rgb = np.clip(np.rint(centers), 0, 255).astype(np.uint8)\n"
    return (
        "import scipy.cluster.vq\n\n"
        + ("" if colour else "img = cv2.cvtColor(img, cv2.COLOR_GRAY2RGB)  # k-means wants three channels\n")
        + space_code + f"k, seed = {k}, {seed}\n"
        "pixels = img.reshape(-1, 3)\n"
        "features = features_of(pixels)\n"
        "rng = np.random.default_rng(seed)  # learn the centres from 50,000 pixels at most (speed)\n"
        "sample = np.sort(rng.choice(len(pixels), 50_000, replace=False)) if len(pixels) > 50_000 "
        "else np.arange(len(pixels))\n"
        "distinct = np.unique(pixels[sample], axis=0)\n"
        "if len(distinct) <= k:  # no more colours than clusters: each colour is a cluster\n"
        "    centers_rgb, centers = distinct, features_of(distinct)\n"
        "else:\n"
        "    cv2.setRNGSeed(seed)\n"
        "    criteria = (cv2.TERM_CRITERIA_EPS + cv2.TERM_CRITERIA_MAX_ITER, 20, 0.5)\n"
        "    _, _, centers = cv2.kmeans(features[sample], k, None, criteria, 1, cv2.KMEANS_PP_CENTERS)\n"
        "    " + back
        + "labels, _ = scipy.cluster.vq.vq(features, centers.astype(np.float32))  # nearest centre for every pixel\n"
        "result = centers_rgb[labels].reshape(img.shape)\n"
        + ("" if colour else "result = result[..., 0]  # grey in, grey out: the three channels are equal\n")
    )


# ---------------------------------------------------------------------- watershed


@dataclass(frozen=True)
class WatershedResult:
    """Result of `watershed_split`.

    Attributes
    ----------
    labels : ndarray of int32, shape (H, W)
        Label image: 0 background, 1..count the separated objects.
    count : int
        Number of objects.
    distance : ndarray of float32, shape (H, W)
        Euclidean distance of each foreground pixel to the nearest background
        pixel, in pixels; 0 on background. (If the mask has no background,
        the distance to just outside the image.)
    max_distance : float
        The largest distance, in pixels (the radius of the widest object); 0
        for an empty mask.
    markers : ndarray of int32, shape (H, W)
        Seed regions the flooding started from, numbered 1..count; 0 elsewhere.
    boundaries : ndarray of bool, shape (H, W)
        Object pixels on the outline of an object (including the line where
        two objects meet), for drawing over the image.
    """

    labels: np.ndarray
    count: int
    distance: np.ndarray
    max_distance: float
    markers: np.ndarray
    boundaries: np.ndarray


def watershed_split(
    mask: np.ndarray,
    *,
    markers: Literal["peaks", "threshold"] = "peaks",
    min_distance: int = 7,
    threshold: float = 0.5,
) -> WatershedResult:
    """Split touching objects in a mask with the distance-transform watershed.

    The distance of each object pixel to the background peaks at the centre of
    each round object. Starting from one marker per peak, the watershed floods
    the negated distance (valleys at the centres) and stops where two floods
    meet: along the "neck" between touching objects.

    Parameters
    ----------
    mask : ndarray of bool, shape (H, W)
        Foreground pixels are True.
    markers : {"peaks", "threshold"}, optional
        "peaks": one marker per local maximum of the distance, maxima closer
        than `min_distance` merged (``skimage.feature.peak_local_max``, per
        connected component; an object with a flat distance, where it finds
        no peak, gets one marker at its maximum, so every object keeps at
        least one marker).
        "threshold": markers are the connected regions where the distance
        exceeds ``threshold * distance.max()`` (the OpenCV tutorial's "sure
        foreground"); objects too thin to pass it get no marker and are dropped.
    min_distance : int, optional
        For "peaks": smallest distance in pixels between two markers, 1 to 500.
        Raise it when objects are split into too many pieces.
    threshold : float, optional
        For "threshold": fraction of the largest distance, 0 < threshold < 1.

    Returns
    -------
    WatershedResult
        ``labels`` int32, ``count``, ``distance`` float32, ``max_distance``,
        ``markers`` int32, ``boundaries`` bool, all arrays of shape (H, W).

    Notes
    -----
    Plain code for ``markers="peaks"``::

        distance = cv2.distanceTransform(mask.astype(np.uint8), cv2.DIST_L2,
                                         cv2.DIST_MASK_PRECISE)
        _, components = cv2.connectedComponents(mask.astype(np.uint8))
        peaks = peak_local_max(distance, min_distance=min_distance,
                               labels=components, exclude_border=False)
        markers = np.zeros(mask.shape, np.int32)
        markers[tuple(peaks.T)] = np.arange(1, len(peaks) + 1)
        # (the function also adds a marker to any object without a peak)
        labels = skimage.segmentation.watershed(-distance, markers, connectivity=2,
                                                mask=mask)
        boundaries = skimage.segmentation.find_boundaries(labels, mode="inner")

    About 0.3-0.45 s on a 1600 x 1200 mask with 300-800 objects (distance
    15 ms, peaks 0.1-0.2 s, flooding 0.2 s, boundaries 35 ms); "threshold"
    markers save the peak search (0.25 s). Cache the result per mask.
    """
    check_mask(mask)
    check_choice(markers, name="markers", choices=("peaks", "threshold"))
    min_distance = check_int(min_distance, name="min_distance", low=1, high=500)
    threshold = check_float(threshold, name="threshold", low=0.0, high=1.0)
    if not 0.0 < threshold < 1.0:
        raise ValueError(f"threshold must be strictly between 0 and 1, got {threshold}")

    mask_u8 = mask.view(np.uint8)
    # DIST_MASK_PRECISE gives the exact Euclidean distance (same as
    # scipy.ndimage.distance_transform_edt) about 10x faster than SciPy.
    distance = cv2.distanceTransform(mask_u8, cv2.DIST_L2, cv2.DIST_MASK_PRECISE)
    if mask.all():
        # No background at all: OpenCV returns ~1.8e19 everywhere. Measure to
        # just outside the image instead, so the distance stays meaningful.
        padded = cv2.copyMakeBorder(mask_u8, 1, 1, 1, 1, cv2.BORDER_CONSTANT, value=0)
        distance = cv2.distanceTransform(padded, cv2.DIST_L2, cv2.DIST_MASK_PRECISE)[1:-1, 1:-1]

    if markers == "peaks":
        n, components = cv2.connectedComponents(mask_u8, connectivity=8, ltype=cv2.CV_32S)
        # labels=components finds peaks per object, so a big object's peak
        # cannot suppress a small neighbour's within min_distance.
        peaks = peak_local_max(
            distance, min_distance=min_distance, labels=components, exclude_border=False
        )
        # peak_local_max finds no peak where the distance is flat over the
        # whole object (e.g. a mask without background): give such objects
        # one marker at their maximum so that no object is lost.
        has_peak = np.zeros(n, bool)
        has_peak[components[tuple(peaks.T)]] = True
        missing = np.flatnonzero(~has_peak[1:]) + 1
        if missing.size:
            extra = ndi.maximum_position(distance, components, missing)
            peaks = np.vstack([peaks, np.array(extra, dtype=peaks.dtype).reshape(-1, 2)])
        marker_image = np.zeros(mask.shape, np.int32)
        marker_image[tuple(peaks.T)] = np.arange(1, len(peaks) + 1, dtype=np.int32)
    else:
        sure = distance > threshold * distance.max()  # all False for an empty mask
        _, marker_image = cv2.connectedComponents(
            sure.view(np.uint8), connectivity=8, ltype=cv2.CV_32S
        )

    # connectivity=2 floods through corners too, matching the 8-connected
    # components above: otherwise a part joined by a corner gets no label.
    labels = watershed(-distance, marker_image, connectivity=2, mask=mask).astype(
        np.int32, copy=False
    )
    return WatershedResult(
        labels=labels,
        count=int(marker_image.max()),
        distance=distance,
        max_distance=float(distance.max()),
        markers=marker_image,
        boundaries=inner_boundaries(labels),
    )


def watershed_split_code(
    *, markers: str = "peaks", min_distance: int = 7, threshold: float = 0.5, full: bool = False
) -> str:
    """Plain OpenCV/scikit-image code for `watershed_split` with these settings, for a lesson's code panel.

    Parameters
    ----------
    markers, min_distance, threshold
        As in `watershed_split`.
    full : bool, optional
        The mask covers every pixel (the distance is then measured to just outside the image).

    Returns
    -------
    str
        Lines that read ``labels`` (the objects of a mask, 0 background) and
        leave ``result``: the `WatershedResult.labels` of that mask. ``ndi``
        (scipy.ndimage) must be imported.
    """
    check_choice(markers, name="markers", choices=("peaks", "threshold"))
    distance_code = (
        "padded = cv2.copyMakeBorder(mask, 1, 1, 1, 1, cv2.BORDER_CONSTANT, value=0)  # no background at all\n"
        "distance = cv2.distanceTransform(padded, cv2.DIST_L2, cv2.DIST_MASK_PRECISE)[1:-1, 1:-1]\n"
        if full else "distance = cv2.distanceTransform(mask, cv2.DIST_L2, cv2.DIST_MASK_PRECISE)\n"
    )
    if markers == "peaks":
        marker_code = (
            "_, components = cv2.connectedComponents(mask, connectivity=8, ltype=cv2.CV_32S)\n"
            f"peaks = peak_local_max(distance, min_distance={min_distance}, labels=components, "
            "exclude_border=False)\n"
            "# an object whose distance has no peak (flat) still gets one marker at its maximum\n"
            "missing = np.setdiff1d(np.arange(1, components.max() + 1), components[tuple(peaks.T)])\n"
            "if missing.size:\n"
            "    extra = ndi.maximum_position(distance, components, missing)\n"
            "    peaks = np.vstack([peaks, np.array(extra, dtype=peaks.dtype).reshape(-1, 2)])\n"
            "markers = np.zeros(mask.shape, np.int32)\n"
            "markers[tuple(peaks.T)] = np.arange(1, len(peaks) + 1)\n"
        )
    else:
        marker_code = (
            f"sure = (distance > {threshold:g} * distance.max()).astype(np.uint8)  # sure foreground\n"
            "_, markers = cv2.connectedComponents(sure, connectivity=8, ltype=cv2.CV_32S)\n"
        )
    return (
        "from skimage.feature import peak_local_max\nfrom skimage.segmentation import watershed\n\n"
        "mask = (labels > 0).astype(np.uint8)\n" + distance_code + marker_code
        + "result = watershed(-distance, markers, connectivity=2, mask=mask > 0)  # flood the upside-down distance\n"
    )


# -------------------------------------------------------------------- superpixels


@dataclass(frozen=True)
class SuperpixelResult:
    """Result of `superpixels`.

    Attributes
    ----------
    labels : ndarray of int32, shape (H, W)
        Superpixel of each pixel, numbered from 1 (every pixel belongs to one).
    count : int
        Number of superpixels (can differ from the `n_segments` asked for).
    boundaries : ndarray of bool, shape (H, W)
        Pixels on the edge of a superpixel (both sides of each border), for
        drawing over the image.
    """

    labels: np.ndarray
    count: int
    boundaries: np.ndarray


def superpixels(
    image: np.ndarray,
    *,
    n_segments: int = 200,
    compactness: float = 10.0,
    max_pixels: int | None = None,
) -> SuperpixelResult:
    """Cut an image into compact regions of similar colour (SLIC superpixels).

    SLIC is k-means on (colour, position): centres start on a regular grid and
    each pixel joins the nearest centre in a window around it, with distance
    ``d_colour + (compactness / grid_step) * d_position``.

    Parameters
    ----------
    image : ndarray of uint8, shape (H, W, 3) or (H, W)
        RGB (clustered in CIELAB) or grey image, values 0..255.
    n_segments : int, optional
        Approximate number of superpixels, 2 to 10,000.
    compactness : float, optional
        Weight of position against colour, 0.01 to 100. High: square, grid-like
        regions; low: regions hug colour edges but grow irregular.
    max_pixels : int, optional
        If given (1000 or more) and the image is larger, SLIC runs on a copy
        shrunk to about `max_pixels` (``cv2.resize`` with ``INTER_AREA``) and the
        labels are enlarged back with ``INTER_NEAREST``: 2 MP then takes
        well under a second instead of 2-3 s (with 300,000), borders accurate
        to the shrink factor.

    Returns
    -------
    SuperpixelResult
        ``labels`` int32 (H, W), ``count``, ``boundaries`` bool (H, W).

    Notes
    -----
    SLIC starts from a regular grid and has no random step, so no seed is
    needed: the same input always gives the same superpixels. Plain code::

        labels = skimage.segmentation.slic(image, n_segments=200, compactness=10,
                                           start_label=1)  # channel_axis=None if grey
        boundaries = skimage.segmentation.find_boundaries(labels, mode="inner")

    Slow: 0.85 s for a 1000 x 1000 RGB image (0.5 s grey, 0.2 s at 500 x 500);
    the time grows with the pixel count, barely with `n_segments` (1000
    segments: 0.93 s). Run it on a downsized image or cache the result.
    """
    check_image(image)
    n_segments = check_int(n_segments, name="n_segments", low=2, high=10_000)
    compactness = check_float(compactness, name="compactness", low=0.01, high=100.0)
    if max_pixels is not None:
        max_pixels = check_int(max_pixels, name="max_pixels", low=1000)
    small_size = superpixel_working_size(image.shape, max_pixels=max_pixels)
    height, width = image.shape[:2]
    work = image if small_size is None else cv2.resize(image, small_size, interpolation=cv2.INTER_AREA)
    labels = slic(
        work,
        n_segments=n_segments,
        compactness=compactness,
        start_label=1,
        channel_axis=-1 if image.ndim == 3 else None,
    ).astype(np.int32, copy=False)
    if small_size is not None:
        # Enlarging with nearest neighbour keeps every label (each small pixel covers >= 1 pixel).
        labels = cv2.resize(labels, (width, height), interpolation=cv2.INTER_NEAREST)
    return SuperpixelResult(
        labels=labels,
        count=int(labels.max()),
        boundaries=inner_boundaries(labels),
    )


def superpixel_working_size(shape: tuple[int, ...], *, max_pixels: int | None) -> tuple[int, int] | None:
    """The ``(width, height)`` `superpixels` shrinks an image of `shape` to, or None if it does not.

    Parameters
    ----------
    shape : tuple of int
        ``image.shape``.
    max_pixels : int or None
        The `superpixels` argument.

    Returns
    -------
    (int, int) or None
        ``(round(W * f), round(H * f))`` with ``f = sqrt(max_pixels / (H * W))``
        (each at least 1), for ``cv2.resize``; None when no shrinking is needed.
    """
    height, width = shape[:2]
    if max_pixels is None or height * width <= max_pixels:
        return None
    factor = (max_pixels / (height * width)) ** 0.5
    return max(1, round(width * factor)), max(1, round(height * factor))


def superpixels_code(
    *, shape: tuple[int, ...], n_segments: int = 200, compactness: float = 10.0, max_pixels: int | None = None
) -> str:
    """Plain OpenCV/scikit-image code for `superpixels` with these settings, for a lesson's code panel.

    Parameters
    ----------
    shape : tuple of int
        ``img.shape``: grey or RGB, and whether it is shrunk first.
    n_segments, compactness, max_pixels
        As in `superpixels`.

    Returns
    -------
    str
        Lines that read ``img`` and leave ``result`` (the `SuperpixelResult.labels`) and ``outlines``.
    """
    slic_call = (f"skimage.segmentation.slic({{}}, n_segments={n_segments}, compactness={compactness:g}, "
                 f"start_label=1, channel_axis={'-1' if len(shape) == 3 else 'None'})")
    small_size = superpixel_working_size(shape, max_pixels=max_pixels)
    if small_size is None:
        slic_code = f"result = {slic_call.format('img')}\n"
    else:
        slic_code = (
            f"small = cv2.resize(img, {small_size}, interpolation=cv2.INTER_AREA)  # SLIC is slow: run it on "
            f"{max_pixels / 1e6:g} MP\n"
            f"labels = {slic_call.format('small')}.astype(np.int32)\n"
            f"result = cv2.resize(labels, ({shape[1]}, {shape[0]}), interpolation=cv2.INTER_NEAREST)\n"
        )
    return ("import skimage.segmentation\n\n" + slic_code
            + "outlines = skimage.segmentation.find_boundaries(result, mode=\"inner\")  # drawn in yellow\n")


# ------------------------------------------------------------- helpers for lessons


def as_rgb(image: np.ndarray) -> np.ndarray:
    """Return an RGB view of a grey or RGB image (grey repeated in three channels).

    Parameters
    ----------
    image : ndarray of uint8, shape (H, W) or (H, W, 3)

    Returns
    -------
    ndarray of uint8, shape (H, W, 3)
        `image` itself if it is RGB, else ``cv2.cvtColor(image, cv2.COLOR_GRAY2RGB)``.
    """
    check_image(image)
    return image if image.ndim == 3 else cv2.cvtColor(image, cv2.COLOR_GRAY2RGB)


def fill_holes(mask: np.ndarray) -> np.ndarray:
    """Fill the holes of a mask: background pixels not connected to the image edge.

    Parameters
    ----------
    mask : ndarray of bool, shape (H, W)

    Returns
    -------
    ndarray of bool, shape (H, W)
        ``scipy.ndimage.binary_fill_holes(mask)``: a coin with dark engravings
        becomes one solid disc (holes are found with 4-connected background).
    """
    check_mask(mask)
    return ndi.binary_fill_holes(mask)


def drop_small(labels: np.ndarray, *, min_area: int) -> tuple[np.ndarray, int]:
    """Remove objects smaller than `min_area` pixels and renumber the rest 1..count.

    Parameters
    ----------
    labels : ndarray of int, shape (H, W)
        Label image, 0 background.
    min_area : int
        Smallest area kept, in pixels, 0 to 10**9 (0 and 1 keep everything).

    Returns
    -------
    labels : ndarray of int32, shape (H, W)
        Kept objects numbered 1..count in their original order; 0 elsewhere.
    count : int
        Number of kept objects.

    Notes
    -----
    Plain NumPy (``areas[n]`` is the pixel count of label ``n``)::

        areas = np.bincount(labels.ravel())
        keep = np.flatnonzero(areas[1:] >= min_area) + 1
        table = np.zeros(len(areas), np.int32)
        table[keep] = np.arange(1, len(keep) + 1)
        result = table[labels]
    """
    check_labels(labels)
    min_area = check_int(min_area, name="min_area", low=0, high=10**9)
    areas = np.bincount(labels.ravel())
    keep = np.flatnonzero(areas[1:] >= min_area) + 1
    table = np.zeros(len(areas), np.int32)
    table[keep] = np.arange(1, len(keep) + 1, dtype=np.int32)
    return np.take(table, labels), len(keep)


def overlay_labels(
    image: np.ndarray,
    labels: np.ndarray,
    *,
    alpha: float = 0.45,
    boundaries: np.ndarray | None = None,
) -> np.ndarray:
    """Tint each object of a label image in its palette colour over the image.

    Parameters
    ----------
    image : ndarray of uint8, shape (H, W) or (H, W, 3)
        Grey or RGB image.
    labels : ndarray of int, shape (H, W)
        Label image, 0 background (left untouched).
    alpha : float, optional
        Tint strength in [0, 1]: object pixels become
        ``(1 - alpha) * pixel + alpha * colour``, rounded.
    boundaries : ndarray of bool, shape (H, W), optional
        Pixels drawn in the object's full colour (outlines); default: the
        inner boundaries of `labels` (``find_boundaries(labels, mode="inner")``).

    Returns
    -------
    ndarray of uint8, shape (H, W, 3)
        RGB image, colours as in `label_to_rgb`.
    """
    rgb = as_rgb(image)
    check_labels(labels)
    if labels.shape != rgb.shape[:2]:
        raise ValueError(f"labels must have the image's shape {rgb.shape[:2]}, got {labels.shape}")
    alpha = check_float(alpha, name="alpha", low=0.0, high=1.0)
    if boundaries is None:
        boundaries = inner_boundaries(labels)
    else:
        check_mask(boundaries, name="boundaries")
        if boundaries.shape != labels.shape:
            raise ValueError(f"boundaries must have the shape of labels {labels.shape}, got {boundaries.shape}")
    # Every output value depends only on (what the pixel is, its level): background (0), tinted in
    # palette colour 1..10, or outline in colour 1..10 (11..20). So the float blend is computed once per
    # (kind, level) in a table and looked up: exactly the same rounding, ~5x faster than blending pixels.
    kind_of_label = np.zeros(int(labels.max()) + 1, np.uint16)
    kind_of_label[1:] = np.arange(len(kind_of_label) - 1) % len(PALETTE) + 1
    kind = np.take(kind_of_label, labels)
    kind[boundaries & (labels > 0)] += len(PALETTE)
    kind <<= 8  # row start in the table: kind * 256
    tables = _overlay_tables(alpha)
    out = np.empty_like(rgb)
    for channel in range(3):
        np.take(tables[channel], kind + rgb[..., channel], out=out[..., channel])
    return out


def _overlay_tables(alpha: float) -> np.ndarray:
    """Output level of `overlay_labels` for each channel, pixel kind (0 background, 1..10 tinted with
    palette colour 1..10, 11..20 outline) and input level: uint8, shape (3, 21 * 256)."""
    levels = np.arange(256, dtype=np.float64)
    tables = np.empty((3, 1 + 2 * len(PALETTE), 256), np.uint8)
    tables[:, 0] = levels
    for channel in range(3):
        colours = PALETTE[:, channel].astype(np.float64)
        tables[channel, 1 : 1 + len(PALETTE)] = np.rint((1.0 - alpha) * levels + alpha * colours[:, np.newaxis])
        tables[channel, 1 + len(PALETTE) :] = PALETTE[:, channel, np.newaxis]
    return tables.reshape(3, -1)


#: Cross-shaped 3 x 3 neighbourhood (the 4 edge neighbours and the pixel itself).
_CROSS = cv2.getStructuringElement(cv2.MORPH_CROSS, (3, 3))
#: Largest label float32 holds exactly (inner_boundaries compares labels as float32).
_EXACT_FLOAT32 = 2**24


def inner_boundaries(labels: np.ndarray) -> np.ndarray:
    """Object pixels with an edge neighbour of another label (outlines, and lines where objects meet).

    Parameters
    ----------
    labels : ndarray of int, shape (H, W)
        Label image, values >= 0; 0 is background.

    Returns
    -------
    ndarray of bool, shape (H, W)
        The same as ``skimage.segmentation.find_boundaries(labels, mode="inner")``:
        True where the largest and smallest label among the pixel and its four
        edge neighbours differ, on object pixels only.

    Notes
    -----
    OpenCV's 3 x 3 dilation and erosion with a cross, on the labels as
    float32 (exact up to 2**24 labels), about 4x faster than scikit-image::

        cross = cv2.getStructuringElement(cv2.MORPH_CROSS, (3, 3))
        f = labels.astype(np.float32)
        result = (cv2.dilate(f, cross) != cv2.erode(f, cross)) & (labels > 0)
    """
    check_labels(labels)
    if labels.size and int(labels.max()) >= _EXACT_FLOAT32:
        return find_boundaries(labels, mode="inner")
    values = labels.astype(np.float32)
    return (cv2.dilate(values, _CROSS) != cv2.erode(values, _CROSS)) & (labels > 0)


@dataclass(frozen=True)
class AreaStats:
    """Sizes of the objects of a label image (result of `area_stats`).

    Attributes
    ----------
    areas : ndarray of int64, shape (labels.max(),)
        Entry ``n - 1`` is the pixel count of label ``n`` (0 for a number not used);
        empty when there is no object.
    count : int
        Objects present: labels with at least one pixel.
    total : int
        Pixels in objects (label > 0).
    smallest, largest : int
        Areas of the smallest and the largest object; 0 when there is no object.
    median : float
        Median area of the objects present; 0.0 when there is no object.
    """

    areas: np.ndarray
    count: int
    total: int
    smallest: int
    largest: int
    median: float


def area_stats(labels: np.ndarray) -> AreaStats:
    """Pixel count of each object of a label image, and their summary.

    Parameters
    ----------
    labels : ndarray of int, shape (H, W)
        Label image, values >= 0; 0 is background.

    Returns
    -------
    AreaStats
        Plain NumPy: ``areas = np.bincount(labels.ravel())[1:]``, then the
        count, sum, min, max and median of ``areas[areas > 0]``.
    """
    check_labels(labels)
    areas = np.bincount(labels.ravel(), minlength=1)[1:]
    present = areas[areas > 0]
    if present.size == 0:
        return AreaStats(areas=areas, count=0, total=0, smallest=0, largest=0, median=0.0)
    return AreaStats(areas=areas, count=int(present.size), total=int(present.sum()), smallest=int(present.min()),
                     largest=int(present.max()), median=float(np.median(present)))


def mean_colors(image: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Paint every region of a label image in its mean colour (a superpixel picture).

    Parameters
    ----------
    image : ndarray of uint8, shape (H, W) or (H, W, 3)
    labels : ndarray of int, shape (H, W)
        Region of each pixel; every value, 0 included, is a region.

    Returns
    -------
    ndarray of uint8, same shape as `image`
        Each pixel replaced by the rounded mean of its region, per channel.

    Notes
    -----
    Plain NumPy, per channel ``c``::

        sums = np.bincount(labels.ravel(), image[..., c].ravel())
        means = np.rint(sums / np.bincount(labels.ravel()))
        result[..., c] = means[labels]
    """
    check_image(image)
    check_labels(labels)
    if labels.shape != image.shape[:2]:
        raise ValueError(f"labels must have the image's shape {image.shape[:2]}, got {labels.shape}")
    flat = labels.ravel()
    counts = np.maximum(np.bincount(flat), 1)  # absent labels: avoid 0 / 0
    channels = image.reshape(-1, 1) if image.ndim == 2 else image.reshape(-1, 3)
    means = np.stack(
        [np.rint(np.bincount(flat, channels[:, c], len(counts)) / counts) for c in range(channels.shape[1])],
        axis=1,
    ).astype(np.uint8)
    return np.take(means, flat, axis=0).reshape(image.shape)


def touching_discs(*, shape: tuple[int, int] = (100, 180)) -> np.ndarray:
    """A mask of three overlapping discs: one blob for connected components, three for watershed.

    Discs of radius 28, 24 and 20 whose centres lie on the middle row, each
    overlapping the next by a neck narrower than the discs.

    Parameters
    ----------
    shape : (int, int), optional
        ``(H, W)``; the default is the size the discs are drawn for. Larger
        shapes add background.

    Returns
    -------
    ndarray of bool, shape `shape`
    """
    height = check_int(shape[0], name="shape", low=100, high=4096)
    width = check_int(shape[1], name="shape", low=180, high=4096)
    rows, cols = np.indices((height, width))
    mask = np.zeros((height, width), bool)
    for centre_col, radius in ((45, 28), (92, 24), (133, 20)):
        mask |= (rows - 50) ** 2 + (cols - centre_col) ** 2 <= radius**2
    return mask


def draw_markers(image: np.ndarray, markers: np.ndarray, *, radius: int = 3) -> np.ndarray:
    """Draw a filled dot at the centre of every marker region, in its palette colour.

    Parameters
    ----------
    image : ndarray of uint8, shape (H, W) or (H, W, 3)
        Picture to draw on (grey is shown as grey RGB); not modified.
    markers : ndarray of int, shape (H, W)
        Marker image (e.g. `WatershedResult.markers`), 0 where there is none.
    radius : int, optional
        Dot radius in pixels, 1 to 100 (single-pixel markers are invisible
        on screen otherwise).

    Returns
    -------
    ndarray of uint8, shape (H, W, 3)
        RGB copy with one dot per marker, outlined in white.
    """
    out = as_rgb(image).copy()
    check_labels(markers, name="markers")
    if markers.shape != out.shape[:2]:
        raise ValueError(f"markers must have the image's shape {out.shape[:2]}, got {markers.shape}")
    radius = check_int(radius, name="radius", low=1, high=100)
    present = np.flatnonzero(np.bincount(markers.ravel())[1:]) + 1
    if present.size == 0:
        return out
    centres = ndi.center_of_mass(np.ones(markers.shape), markers, present)
    for label, (row, col) in zip(present, centres):
        colour = tuple(int(v) for v in PALETTE[(label - 1) % len(PALETTE)])
        centre = (int(round(col)), int(round(row)))
        cv2.circle(out, centre, radius + 1, (255, 255, 255), -1, cv2.LINE_AA)
        cv2.circle(out, centre, radius, colour, -1, cv2.LINE_AA)
    return out


def random_mask(shape: tuple[int, int], *, density: float = 0.4, seed: int = 0) -> np.ndarray:
    """A random mask for counting exercises: each pixel True with probability `density`.

    Parameters
    ----------
    shape : (int, int)
        ``(H, W)``, each 1 to 256.
    density : float, optional
        Probability of True, 0 to 1.
    seed : int, optional
        Seed of ``np.random.default_rng``: the same seed gives the same mask.

    Returns
    -------
    ndarray of bool, shape `shape`
    """
    height = check_int(shape[0], name="shape", low=1, high=256)
    width = check_int(shape[1], name="shape", low=1, high=256)
    density = check_float(density, name="density", low=0.0, high=1.0)
    seed = check_int(seed, name="seed", low=0)
    return np.random.default_rng(seed).random((height, width)) < density


def swatch(colour: np.ndarray | tuple[int, int, int], *, size: int = 48, border: int = 1,
           width: int | None = None) -> np.ndarray:
    """A square of one colour in a thin dark frame, for showing a cluster centre.

    Parameters
    ----------
    colour : (int, int, int)
        RGB, each 0..255.
    size : int, optional
        Side of the square in pixels, frame included, 1 to 1024.
    border : int, optional
        Width of the dark grey (64, 64, 64) frame, 0 to ``size // 2``: it keeps
        a white or pale swatch visible on a white page.
    width : int, optional
        Width of the picture, `size` to 4096 (default `size`): the square sits
        in the middle of a white strip, so swatches stretched to side-by-side
        columns stay small and keep white gaps between them.

    Returns
    -------
    ndarray of uint8, shape (size, width, 3)
    """
    values = np.asarray(colour)
    if values.shape != (3,) or not np.all((values >= 0) & (values <= 255)):
        raise ValueError(f"colour must be three values in 0..255, got {colour!r}")
    size = check_int(size, name="size", low=1, high=1024)
    border = check_int(border, name="border", low=0, high=size // 2)
    width = size if width is None else check_int(width, name="width", low=size, high=4096)
    out = np.full((size, width, 3), 255, np.uint8)
    left = (width - size) // 2
    out[:, left : left + size] = 64
    out[border : size - border, left + border : left + size - border] = values.astype(np.uint8)
    return out


def label_masks(labels: np.ndarray, *, count: int, max_width: int | None = None) -> tuple[np.ndarray, ...]:
    """One picture per label 0 .. count - 1: white where the label is, black elsewhere (e.g. k-means clusters).

    Parameters
    ----------
    labels : ndarray of int, shape (H, W)
        Label image, values >= 0 (0 is a label like the others here).
    count : int
        Number of pictures, 1 to 256.
    max_width : int, optional
        Shrink the pictures to at most this many columns, 16 to 8192 (area
        interpolation, so edges turn grey): thumbnails cost less to keep.

    Returns
    -------
    tuple of ndarray of uint8, each shape (h, w)
        0 and 255 (grey levels between them only on shrunk edges).
    """
    check_labels(labels)
    count = check_int(count, name="count", low=1, high=256)
    if max_width is not None:
        max_width = check_int(max_width, name="max_width", low=16, high=8192)
    height, width = labels.shape
    size = None
    if max_width is not None and width > max_width:
        size = (max_width, max(1, round(height * max_width / width)))
    pictures = []
    for label in range(count):
        picture = (labels == label).view(np.uint8) * np.uint8(255)
        pictures.append(picture if size is None else cv2.resize(picture, size, interpolation=cv2.INTER_AREA))
    return tuple(pictures)
