"""Tests for processing.segmentation.

References: scikit-image's own labelling, SciPy's exact distance transform,
hand-built masks with known object counts, synthetic colour images with known
clusters, and brute-force NumPy nearest-centre search.
"""

from __future__ import annotations

import cv2
import numpy as np
import pytest
import scipy.cluster.vq
import scipy.ndimage as ndi
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from skimage.measure import label as sk_label

from processing.segmentation import (
    PALETTE,
    connected_components,
    connectivity_example,
    kmeans_colors,
    label_to_rgb,
    superpixels,
    watershed_split,
)

SETTINGS = settings(max_examples=40, deadline=None, database=None)

small_masks = arrays(
    np.bool_, st.tuples(st.integers(1, 12), st.integers(1, 12)), elements=st.booleans()
)
small_rgb = arrays(
    np.uint8,
    st.tuples(st.integers(1, 10), st.integers(1, 10), st.just(3)),
    elements=st.integers(0, 255),
)


def same_partition(a: np.ndarray, b: np.ndarray) -> bool:
    """True if two label images split the pixels the same way (up to renumbering)."""
    if not np.array_equal(a == 0, b == 0):
        return False
    pairs = np.unique(np.stack([a.ravel(), b.ravel()]), axis=1)
    # A bijection: every label of a pairs with exactly one label of b and back.
    return len(np.unique(pairs[0])) == len(np.unique(pairs[1])) == pairs.shape[1]


def disc(shape: tuple[int, int], center: tuple[float, float], radius: float) -> np.ndarray:
    rows, cols = np.indices(shape)
    return (rows - center[0]) ** 2 + (cols - center[1]) ** 2 <= radius**2


def two_overlapping_discs() -> np.ndarray:
    # Radius 20, centres 32 apart: the discs overlap in a neck 24 px wide.
    return disc((80, 120), (40, 40), 20) | disc((80, 120), (40, 72), 20)


# ------------------------------------------------------------ connected components


def test_connected_components_hand_counted():
    mask = np.array(
        [
            [1, 1, 0, 0, 0],
            [1, 1, 0, 1, 0],
            [0, 0, 1, 0, 0],
            [0, 0, 0, 0, 1],
        ],
        dtype=bool,
    )
    # 4-connectivity: the 2x2 block, (1,3), (2,2) and (3,4) are separate -> 4.
    # 8-connectivity: (2,2) touches the block and (1,3) by corners, joining
    # them; (3,4) is two columns from (2,2) -> 2.
    labels4, count4 = connected_components(mask, connectivity=4)
    labels8, count8 = connected_components(mask, connectivity=8)
    assert (count4, count8) == (4, 2)
    assert labels4.dtype == np.int32 and labels8.dtype == np.int32
    assert labels8[0, 0] == labels8[2, 2] == labels8[1, 3] != labels8[3, 4]


@SETTINGS
@given(mask=small_masks, connectivity=st.sampled_from([4, 8]))
def test_connected_components_agrees_with_skimage(mask, connectivity):
    labels, count = connected_components(mask, connectivity=connectivity)
    reference = sk_label(mask, connectivity=1 if connectivity == 4 else 2)
    assert labels.shape == mask.shape and labels.dtype == np.int32
    assert count == reference.max()
    assert same_partition(labels, reference)
    assert set(np.unique(labels[mask])) == set(range(1, count + 1))
    if connectivity == 4:
        # OpenCV's 4-connected scan numbers objects in raster order, like skimage.
        np.testing.assert_array_equal(labels, reference)


def test_connectivity_example_counts_differ():
    mask = connectivity_example(size=48)
    assert mask.dtype == np.bool_ and mask.shape == (48, 48)
    assert connected_components(mask, connectivity=8)[1] == 2
    assert connected_components(mask, connectivity=4)[1] == 2 + 48 // 4
    # Independent check with scikit-image.
    assert sk_label(mask, connectivity=2).max() == 2
    assert sk_label(mask, connectivity=1).max() == 2 + 48 // 4


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"mask": np.ones((4, 4), np.uint8)}, "mask"),
        ({"mask": np.ones((4, 4, 3), bool)}, "mask"),
        ({"mask": np.ones((0, 4), bool)}, "mask"),
        ({"mask": np.ones((4, 4), bool), "connectivity": 6}, "connectivity"),
        ({"mask": np.ones((4, 4), bool), "connectivity": 8.0}, "connectivity"),
    ],
)
def test_connected_components_rejects_bad_arguments(kwargs, match):
    mask = kwargs.pop("mask")
    with pytest.raises(ValueError, match=match):
        connected_components(mask, **kwargs)


def test_connectivity_example_rejects_bad_size():
    with pytest.raises(ValueError, match="size"):
        connectivity_example(size=50)
    with pytest.raises(ValueError, match="size"):
        connectivity_example(size=8)


# ----------------------------------------------------------------- label colouring


def test_palette_is_distinguishable_and_not_black():
    assert PALETTE.dtype == np.uint8 and PALETTE.shape == (10, 3)
    colours = PALETTE.astype(float)
    distances = np.linalg.norm(colours[:, None] - colours[None, :], axis=-1)
    np.fill_diagonal(distances, np.inf)
    assert distances.min() > 40  # every pair clearly apart in RGB
    assert np.linalg.norm(colours, axis=1).min() > 100  # far from black background


def test_label_to_rgb_background_cycle_and_neighbours():
    labels = np.arange(25, dtype=np.int32).reshape(5, 5)  # 0..24
    rgb = label_to_rgb(labels)
    assert rgb.shape == (5, 5, 3) and rgb.dtype == np.uint8
    np.testing.assert_array_equal(rgb[0, 0], [0, 0, 0])
    flat = rgb.reshape(-1, 3)
    np.testing.assert_array_equal(flat[1], PALETTE[0])
    np.testing.assert_array_equal(flat[11], flat[1])  # cycles every 10 labels
    np.testing.assert_array_equal(flat[21], flat[1])
    for n in range(1, 24):  # consecutive labels never share a colour
        assert not np.array_equal(flat[n], flat[n + 1])


def test_label_to_rgb_plain_code_and_other_int_dtypes():
    labels = np.array([[0, 3, 3], [12, 0, 1]], dtype=np.int64)
    lut = np.vstack([[0, 0, 0], PALETTE[np.arange(labels.max()) % 10]])
    expected = np.take(lut, labels, axis=0).astype(np.uint8)
    np.testing.assert_array_equal(label_to_rgb(labels), expected)
    np.testing.assert_array_equal(label_to_rgb(labels.astype(np.uint16)), expected)
    np.testing.assert_array_equal(label_to_rgb(np.zeros((2, 3), np.int32)), 0)


@SETTINGS
@given(labels=arrays(np.int32, st.tuples(st.integers(1, 8), st.integers(1, 8)),
                     elements=st.integers(0, 40)))
def test_label_to_rgb_contract(labels):
    rgb = label_to_rgb(labels)
    assert rgb.shape == labels.shape + (3,) and rgb.dtype == np.uint8
    assert np.all(rgb[labels == 0] == 0)
    assert np.all(rgb[labels > 0].max(axis=-1) > 0)


@pytest.mark.parametrize(
    "labels",
    [
        np.array([[0, -1]], np.int32),
        np.zeros((3, 3), np.float32),
        np.zeros((3, 3), bool),
        np.zeros((3, 3, 3), np.int32),
        [[0, 1]],
    ],
)
def test_label_to_rgb_rejects_bad_labels(labels):
    with pytest.raises(ValueError, match="labels"):
        label_to_rgb(labels)


# ------------------------------------------------------------------------ k-means


def three_colour_image(noise: int = 0, seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """60 x 40 image: red top half, green bottom-left, blue bottom-right quarter."""
    colours = np.array([[200, 30, 30], [30, 180, 60], [40, 50, 220]], np.uint8)
    index = np.zeros((60, 40), int)
    index[30:, :20] = 1
    index[30:, 20:] = 2
    image = colours[index].astype(int)
    if noise:
        image += np.random.default_rng(seed).integers(-noise, noise + 1, image.shape)
    return np.clip(image, 0, 255).astype(np.uint8), colours


@pytest.mark.parametrize("space", ["rgb", "lab"])
def test_kmeans_finds_known_clusters(space):
    image, colours = three_colour_image(noise=4)
    result = kmeans_colors(image, k=3, space=space, seed=0)
    assert result.centers.shape == (3, 3) and result.centers.dtype == np.uint8
    # Match each true colour to its nearest centre: the noise averages out.
    order = [int(np.argmin(np.abs(result.centers.astype(int) - c).sum(1))) for c in colours]
    assert sorted(order) == [0, 1, 2]
    np.testing.assert_allclose(result.centers[order], colours, atol=2)
    np.testing.assert_allclose(result.shares[order], [0.5, 0.25, 0.25])
    assert result.labels[0, 0] == order[0] and result.labels[-1, 0] == order[1]
    assert result.labels[-1, -1] == order[2]
    np.testing.assert_array_equal(result.quantized, result.centers[result.labels])


def test_kmeans_on_a_grey_image_clusters_it_as_rgb_and_paints_it_grey():
    grey = np.repeat(np.array([10, 10, 200, 90], np.uint8), 3).reshape(1, 12)
    result = kmeans_colors(grey, k=3, seed=0)
    rgb = kmeans_colors(np.dstack([grey] * 3), k=3, seed=0)
    np.testing.assert_array_equal(result.labels, rgb.labels)
    np.testing.assert_array_equal(result.centers, rgb.centers)
    assert result.quantized.shape == grey.shape
    np.testing.assert_array_equal(result.quantized, rgb.quantized[..., 0])
    np.testing.assert_array_equal(result.quantized, grey)  # three grey levels, three clusters
    # Centres 10, 90, 200 with shares 1/2, 1/4, 1/4: the largest first, ties in their own order.
    np.testing.assert_array_equal(result.order, [0, 1, 2])


def test_kmeans_is_deterministic_with_sampling():
    image, _ = three_colour_image(noise=60, seed=3)
    image = np.tile(image, (2, 2, 1))  # 9600 pixels > max_samples: sampled path
    first = kmeans_colors(image, k=5, seed=7, max_samples=1000)
    second = kmeans_colors(image, k=5, seed=7, max_samples=1000)
    np.testing.assert_array_equal(first.labels, second.labels)
    np.testing.assert_array_equal(first.centers, second.centers)
    np.testing.assert_array_equal(first.quantized, second.quantized)


def test_kmeans_plain_code_reproduces_result():
    image, _ = three_colour_image(noise=40, seed=5)
    k, seed, max_samples = 4, 11, 1000
    # The plain code from the docstring.
    pixels = image.reshape(-1, 3).astype(np.float32)
    rng = np.random.default_rng(seed)
    if len(pixels) > max_samples:
        sample = pixels[np.sort(rng.choice(len(pixels), max_samples, replace=False))]
    else:
        sample = pixels
    cv2.setRNGSeed(seed)
    criteria = (cv2.TERM_CRITERIA_EPS + cv2.TERM_CRITERIA_MAX_ITER, 20, 0.5)
    _, _, centers = cv2.kmeans(sample, k, None, criteria, 1, cv2.KMEANS_PP_CENTERS)
    labels, _ = scipy.cluster.vq.vq(pixels, centers)
    centers_rgb = np.clip(np.rint(centers), 0, 255).astype(np.uint8)
    quantized = centers_rgb[labels].reshape(image.shape)

    result = kmeans_colors(image, k=k, seed=seed, max_samples=max_samples)
    np.testing.assert_array_equal(result.labels.ravel(), labels)
    np.testing.assert_array_equal(result.centers, centers_rgb)
    np.testing.assert_array_equal(result.quantized, quantized)


@pytest.mark.parametrize("space", ["rgb", "lab"])
def test_kmeans_more_clusters_than_colours(space):
    image = np.zeros((4, 6, 3), np.uint8)
    image[:, 3:] = [255, 128, 0]
    result = kmeans_colors(image, k=8, space=space)
    assert {tuple(c) for c in result.centers} == {(0, 0, 0), (255, 128, 0)}
    np.testing.assert_allclose(sorted(result.shares), [0.5, 0.5])
    np.testing.assert_array_equal(result.quantized, image)
    # A single pixel with k larger than the pixel count.
    one = kmeans_colors(np.full((1, 1, 3), 9, np.uint8), k=5, space=space)
    np.testing.assert_array_equal(one.centers, [[9, 9, 9]])
    np.testing.assert_array_equal(one.shares, [1.0])


@SETTINGS
@given(image=small_rgb, k=st.integers(1, 5), seed=st.integers(0, 1000))
def test_kmeans_contract_and_nearest_centre(image, k, seed):
    result = kmeans_colors(image, k=k, seed=seed)
    h, w = image.shape[:2]
    n = len(result.centers)
    distinct = len(np.unique(image.reshape(-1, 3), axis=0))
    assert n == min(k, distinct)
    assert result.labels.shape == (h, w) and result.labels.dtype == np.int32
    assert result.labels.min() >= 0 and result.labels.max() < n
    assert result.quantized.shape == image.shape and result.quantized.dtype == np.uint8
    np.testing.assert_allclose(result.shares.sum(), 1.0)
    np.testing.assert_allclose(
        result.shares, np.bincount(result.labels.ravel(), minlength=n) / (h * w)
    )
    np.testing.assert_array_equal(result.quantized, result.centers[result.labels])
    np.testing.assert_array_equal(result.shares[result.order], np.sort(result.shares)[::-1])  # largest first
    # Brute force: every pixel sits with a nearest centre. The float centres
    # were rounded to uint8, so allow that rounding (sqrt(3) * 0.5) of slack.
    pixels = image.reshape(-1, 3).astype(float)
    centres = result.centers.astype(float)
    distances = np.linalg.norm(pixels[:, None] - centres[None], axis=-1)
    own = distances[np.arange(len(pixels)), result.labels.ravel()]
    assert np.all(own <= distances.min(axis=1) + 2 * 0.8661)


@pytest.mark.parametrize(
    "image, kwargs, match",
    [
        (np.zeros((4, 4, 4), np.uint8), {}, "image"),
        (np.zeros((4, 4, 3), np.float32), {}, "image"),
        (np.zeros((4, 4, 3), np.uint8), {"k": 0}, "k"),
        (np.zeros((4, 4, 3), np.uint8), {"k": 33}, "k"),
        (np.zeros((4, 4, 3), np.uint8), {"space": "hsv"}, "space"),
        (np.zeros((4, 4, 3), np.uint8), {"seed": -1}, "seed"),
        (np.zeros((4, 4, 3), np.uint8), {"max_samples": 10}, "max_samples"),
    ],
)
def test_kmeans_rejects_bad_arguments(image, kwargs, match):
    with pytest.raises(ValueError, match=match):
        kmeans_colors(image, **kwargs)


# ---------------------------------------------------------------------- watershed


@pytest.mark.parametrize(
    "kwargs", [{"markers": "peaks"}, {"markers": "threshold", "threshold": 0.7}]
)
def test_watershed_splits_two_overlapping_discs(kwargs):
    mask = two_overlapping_discs()
    assert connected_components(mask)[1] == 1  # one blob for connected components
    result = watershed_split(mask, **kwargs)
    assert result.count == 2
    assert set(np.unique(result.labels)) == {0, 1, 2}
    left, right = result.labels[40, 40], result.labels[40, 72]
    assert {left, right} == {1, 2}
    # The cut runs through the neck, halfway between the centres (col 56).
    row = result.labels[40, 20:93]
    cut = 20 + int(np.flatnonzero(row == right)[0])
    assert 55 <= cut <= 57
    # Each half is about half of the union (the discs are equal).
    areas = np.bincount(result.labels.ravel())[1:]
    np.testing.assert_allclose(areas, mask.sum() / 2, rtol=0.03)
    # Boundaries: on objects only, along the cut, not at the centres.
    assert result.boundaries.dtype == np.bool_
    assert not np.any(result.boundaries & ~mask)
    assert result.boundaries[40, cut] or result.boundaries[40, cut - 1]
    assert not result.boundaries[40, 40] and not result.boundaries[40, 72]


def test_watershed_distance_matches_scipy():
    mask = two_overlapping_discs()
    mask[10:20, 90:115] = True
    result = watershed_split(mask)
    assert result.distance.dtype == np.float32
    np.testing.assert_allclose(result.distance, ndi.distance_transform_edt(mask), atol=1e-3)
    assert result.markers.dtype == np.int32 and result.labels.dtype == np.int32


def test_watershed_min_distance_merges_close_peaks():
    mask = two_overlapping_discs()
    # The peaks are 32 px apart: min_distance 40 keeps only one of them.
    assert watershed_split(mask, min_distance=40).count == 1


def test_watershed_full_mask_is_one_object():
    result = watershed_split(np.ones((5, 7), bool))
    assert result.count == 1
    np.testing.assert_array_equal(result.labels, 1)
    # Distance to just outside the image: 1 on the edge, 3 in the middle row.
    assert result.distance.max() == pytest.approx(3)
    assert result.distance[0].max() == pytest.approx(1)


def test_watershed_empty_mask():
    result = watershed_split(np.zeros((20, 30), bool))
    assert result.count == 0
    assert not result.labels.any() and not result.boundaries.any()
    result = watershed_split(np.zeros((20, 30), bool), markers="threshold")
    assert result.count == 0


@SETTINGS
@given(mask=small_masks, markers=st.sampled_from(["peaks", "threshold"]))
def test_watershed_contract(mask, markers):
    result = watershed_split(mask, markers=markers, min_distance=2)
    assert result.labels.shape == mask.shape and result.labels.dtype == np.int32
    assert not np.any(result.labels[~mask])
    assert set(np.unique(result.labels[result.labels > 0])) <= set(range(1, result.count + 1))
    if markers == "peaks":
        # Every object gets a marker, so every mask pixel gets a label ...
        np.testing.assert_array_equal(result.labels > 0, mask)
        # ... and watershed never merges objects, only splits them.
        assert result.count >= connected_components(mask)[1]


@pytest.mark.parametrize(
    "mask, kwargs, match",
    [
        (np.ones((5, 5), np.uint8), {}, "mask"),
        (np.ones((5, 5), bool), {"markers": "maxima"}, "markers"),
        (np.ones((5, 5), bool), {"min_distance": 0}, "min_distance"),
        (np.ones((5, 5), bool), {"threshold": 1.0}, "threshold"),
        (np.ones((5, 5), bool), {"threshold": 0}, "threshold"),
    ],
)
def test_watershed_rejects_bad_arguments(mask, kwargs, match):
    with pytest.raises(ValueError, match=match):
        watershed_split(mask, **kwargs)


# -------------------------------------------------------------------- superpixels


def test_superpixels_follow_a_strong_edge():
    image = np.zeros((60, 90, 3), np.uint8)
    image[:, :37] = [220, 40, 40]  # edge off the SLIC grid on purpose
    image[:, 37:] = [30, 60, 200]
    result = superpixels(image, n_segments=12, compactness=5.0)
    assert result.labels.dtype == np.int32 and result.labels.shape == (60, 90)
    assert result.labels.min() == 1 and result.count == result.labels.max()
    assert 4 <= result.count <= 30
    # No superpixel straddles the colour edge.
    for n in range(1, result.count + 1):
        cols = np.nonzero(result.labels == n)[1]
        assert cols.max() < 37 or cols.min() >= 37
    # Boundaries along the edge, not inside uniform areas far from others.
    assert result.boundaries.dtype == np.bool_
    assert result.boundaries[:, 36:38].any(axis=1).all()


def test_superpixels_grey_and_deterministic():
    rows, cols = np.indices((48, 64))
    grey = ((rows * 3 + cols * 2) % 256).astype(np.uint8)
    first = superpixels(grey, n_segments=20)
    second = superpixels(grey, n_segments=20)
    np.testing.assert_array_equal(first.labels, second.labels)
    assert first.labels.min() == 1
    # Boundaries: exactly the pixels with a 4-neighbour in another superpixel.
    labels = first.labels
    padded = np.pad(labels, 1, mode="edge")
    differs = np.zeros_like(labels, bool)
    for dr, dc in ((0, 1), (2, 1), (1, 0), (1, 2)):
        differs |= padded[dr : dr + 48, dc : dc + 64] != labels
    np.testing.assert_array_equal(first.boundaries, differs)


@pytest.mark.parametrize(
    "image, kwargs, match",
    [
        (np.zeros((8, 8, 4), np.uint8), {}, "image"),
        (np.zeros((8, 8, 3), np.uint8), {"n_segments": 1}, "n_segments"),
        (np.zeros((8, 8, 3), np.uint8), {"compactness": 0}, "compactness"),
    ],
)
def test_superpixels_rejects_bad_arguments(image, kwargs, match):
    with pytest.raises(ValueError, match=match):
        superpixels(image, **kwargs)


# ------------------------------------------------------------- helpers for lessons

from skimage.measure import regionprops  # noqa: E402
from skimage.segmentation import find_boundaries as sk_find_boundaries  # noqa: E402

from processing.segmentation import (  # noqa: E402
    as_rgb,
    draw_markers,
    drop_small,
    fill_holes,
    label_masks,
    mean_colors,
    overlay_labels,
    random_mask,
    superpixel_working_size,
    swatch,
    touching_discs,
)
from skimage.segmentation import slic as skimage_slic  # noqa: E402


@SETTINGS
@given(mask=small_masks, min_area=st.integers(0, 8))
def test_drop_small_agrees_with_skimage(mask, min_area):
    labels, _ = connected_components(mask, connectivity=8)
    kept, count = drop_small(labels, min_area=min_area)
    # Reference: scikit-image's objects, keeping those with at least min_area pixels.
    reference = sk_label(mask, connectivity=2)
    big = [p.label for p in regionprops(reference) if p.area >= min_area]
    reference = np.where(np.isin(reference, big), reference, 0)
    assert kept.dtype == np.int32 and count == len(big)
    assert same_partition(kept, reference)
    np.testing.assert_array_equal(np.unique(kept[kept > 0]), np.arange(1, count + 1))  # renumbered 1..count


def test_drop_small_plain_code_and_order():
    labels = np.array([[1, 1, 0, 2], [3, 0, 0, 0], [3, 3, 3, 0]], np.int32)
    kept, count = drop_small(labels, min_area=2)
    np.testing.assert_array_equal(kept, [[1, 1, 0, 0], [2, 0, 0, 0], [2, 2, 2, 0]])
    assert count == 2
    with pytest.raises(ValueError, match="min_area"):
        drop_small(labels, min_area=-1)


def test_fill_holes_fills_only_enclosed_background():
    mask = np.zeros((7, 7), bool)
    mask[1:6, 1:6] = True
    mask[3, 3] = False  # a hole
    mask[0:2, 6] = False
    filled = fill_holes(mask)
    assert filled[3, 3] and not filled[0, 0]
    np.testing.assert_array_equal(filled, ndi.binary_fill_holes(mask))


def test_touching_discs_is_one_component_and_three_watershed_objects():
    mask = touching_discs()
    assert connected_components(mask)[1] == 1
    assert sk_label(mask).max() == 1
    for markers in ("peaks", "threshold"):
        result = watershed_split(mask, markers=markers)
        assert result.count == 3
        # Largest disc on the left: areas decrease from left to right.
        areas = [np.count_nonzero(result.labels == result.labels[50, c]) for c in (45, 92, 133)]
        assert areas == sorted(areas, reverse=True)


def test_overlay_labels_tints_objects_and_keeps_background():
    image = np.full((6, 8), 100, np.uint8)
    labels = np.zeros((6, 8), np.int32)
    labels[1:5, 1:5] = 1
    out = overlay_labels(image, labels, alpha=0.5)
    assert out.shape == (6, 8, 3) and out.dtype == np.uint8
    np.testing.assert_array_equal(out[0, 0], [100, 100, 100])
    np.testing.assert_array_equal(out[1, 1], PALETTE[0])  # boundary: full colour
    np.testing.assert_array_equal(out[2, 2], np.rint(0.5 * 100 + 0.5 * PALETTE[0].astype(float)))
    assert np.array_equal(sk_find_boundaries(labels, mode="inner") & (labels > 0),
                          np.all(out == PALETTE[0], axis=-1))
    with pytest.raises(ValueError, match="labels"):
        overlay_labels(image, labels[:5])


def test_mean_colors_hand_computed():
    image = np.array([[[0, 0, 0], [10, 20, 31]], [[100, 100, 100], [200, 0, 50]]], np.uint8)
    labels = np.array([[1, 1], [2, 2]], np.int32)
    out = mean_colors(image, labels)
    np.testing.assert_array_equal(out[0, 0], [5, 10, 16])  # 15.5 rounds to even 16
    np.testing.assert_array_equal(out[1, 1], [150, 50, 75])
    grey = mean_colors(np.array([[0, 9], [3, 3]], np.uint8), labels)
    np.testing.assert_array_equal(grey, [[4, 4], [3, 3]])


def test_watershed_reports_its_largest_distance():
    result = watershed_split(touching_discs())
    assert result.max_distance == float(result.distance.max()) == pytest.approx(28.0, abs=0.05)  # the radius
    assert watershed_split(np.zeros((5, 5), bool)).max_distance == 0.0


def test_draw_markers_dots_in_palette_colours():
    markers = np.zeros((30, 40), np.int32)
    markers[10, 10] = 1
    markers[20, 30] = 2
    out = draw_markers(np.zeros((30, 40), np.uint8), markers, radius=3)
    np.testing.assert_array_equal(out[10, 10], PALETTE[0])
    np.testing.assert_array_equal(out[20, 30], PALETTE[1])
    assert not out[0, 0].any()
    np.testing.assert_array_equal(draw_markers(np.zeros((5, 5), np.uint8), np.zeros((5, 5), np.int32)), 0)


def test_small_pictures_for_exercises():
    first, second = random_mask((9, 9), seed=3), random_mask((9, 9), seed=3)
    np.testing.assert_array_equal(first, second)
    assert first.dtype == np.bool_ and 0 < first.sum() < 81
    # The exercise mask: connectivity changes the count.
    assert connected_components(first, connectivity=4)[1] != connected_components(first, connectivity=8)[1]
    np.testing.assert_array_equal(swatch((1, 2, 3), size=4, border=0), np.broadcast_to([1, 2, 3], (4, 4, 3)))
    np.testing.assert_array_equal(as_rgb(np.full((2, 2), 7, np.uint8)), 7)


def test_swatch_is_framed_and_sits_in_a_white_strip():
    picture = swatch((200, 100, 0), size=6, border=1, width=10)
    assert picture.shape == (6, 10, 3) and picture.dtype == np.uint8
    np.testing.assert_array_equal(picture[:, :2], 255)  # white gaps either side
    np.testing.assert_array_equal(picture[:, 8:], 255)
    np.testing.assert_array_equal(picture[0, 2:8], 64)  # the dark frame
    np.testing.assert_array_equal(picture[1:5, 2], 64)
    np.testing.assert_array_equal(picture[1:5, 3:7], np.broadcast_to([200, 100, 0], (4, 4, 3)))
    for kwargs, name in (({"border": 4}, "border"), ({"width": 5}, "width"), ({"size": 0}, "size")):
        with pytest.raises(ValueError, match=name):
            swatch((1, 2, 3), **{"size": 6, **kwargs})


def test_label_masks_one_picture_per_label():
    labels = np.array([[0, 1, 1, 2], [0, 0, 2, 2]], np.int32)
    masks = label_masks(labels, count=3)
    assert len(masks) == 3 and all(m.dtype == np.uint8 for m in masks)
    for label, mask in enumerate(masks):
        np.testing.assert_array_equal(mask, np.where(labels == label, 255, 0))
    wide = np.tile(labels, (5, 25))  # 10 x 100, shrunk to 2 x 20 with area interpolation (the mean of 5 x 5)
    small = label_masks(wide, count=3, max_width=20)
    assert small[0].shape == (2, 20)
    expected = cv2.resize(np.where(wide == 1, 255, 0).astype(np.uint8), (20, 2), interpolation=cv2.INTER_AREA)
    np.testing.assert_array_equal(small[1], expected)
    with pytest.raises(ValueError, match="count"):
        label_masks(labels, count=0)


def test_superpixels_on_a_shrunk_copy():
    image, _ = three_colour_image(noise=10)
    image = np.ascontiguousarray(np.tile(image, (4, 4, 1)))  # 240 x 160 = 38,400 pixels
    result = superpixels(image, n_segments=30, max_pixels=9_600)
    size = superpixel_working_size(image.shape, max_pixels=9_600)
    assert size == (80, 120)  # (width, height), 9,600 pixels
    small = skimage_slic(cv2.resize(image, size, interpolation=cv2.INTER_AREA), n_segments=30, compactness=10.0,
                         start_label=1)
    expected = cv2.resize(small.astype(np.int32), (160, 240), interpolation=cv2.INTER_NEAREST)
    np.testing.assert_array_equal(result.labels, expected)
    assert result.count == len(np.unique(small)) == len(np.unique(result.labels))
    assert superpixel_working_size(image.shape, max_pixels=None) is None
    assert superpixel_working_size(image.shape, max_pixels=10**6) is None
    np.testing.assert_array_equal(superpixels(image, n_segments=30, max_pixels=10**6).labels,
                                  superpixels(image, n_segments=30).labels)
    with pytest.raises(ValueError, match="max_pixels"):
        superpixels(image, max_pixels=10)


# ------------------------------------------------- fast overlay, boundaries and areas

from processing.segmentation import area_stats, inner_boundaries  # noqa: E402

small_labels = arrays(np.int32, st.tuples(st.integers(1, 12), st.integers(1, 12)), elements=st.integers(0, 25))


def overlay_reference(image, labels, alpha, boundaries):
    """Pixel by pixel, as the docstring says: tint (rounded half to even), outline in full colour."""
    rgb = np.dstack([image] * 3) if image.ndim == 2 else image
    out = rgb.copy()
    for (row, col), label in np.ndenumerate(labels):
        if label == 0:
            continue
        colour = PALETTE[(label - 1) % 10].astype(np.float64)
        if boundaries[row, col]:
            out[row, col] = colour
        else:
            out[row, col] = np.rint((1 - alpha) * rgb[row, col].astype(np.float64) + alpha * colour)
    return out


@SETTINGS
@given(labels=small_labels, alpha=st.sampled_from([0.0, 0.3, 0.45, 0.5, 1.0]), grey=st.booleans(),
       seed=st.integers(0, 1000), own_outline=st.booleans())
def test_overlay_labels_matches_the_pixel_by_pixel_formula(labels, alpha, grey, seed, own_outline):
    # Labels above 10 cycle the palette; 0.45 and 0.5 hit exact halves, where rounding must agree.
    rng = np.random.default_rng(seed)
    shape = labels.shape if grey else (*labels.shape, 3)
    image = rng.integers(0, 256, shape, dtype=np.uint8)
    boundaries = rng.random(labels.shape) < 0.3 if own_outline else sk_find_boundaries(labels, mode="inner")
    out = overlay_labels(image, labels, alpha=alpha, boundaries=boundaries if own_outline else None)
    np.testing.assert_array_equal(out, overlay_reference(image, labels, alpha, boundaries))


@SETTINGS
@given(labels=small_labels)
def test_inner_boundaries_agree_with_skimage(labels):
    np.testing.assert_array_equal(inner_boundaries(labels), sk_find_boundaries(labels, mode="inner"))


def test_inner_boundaries_beyond_float32_labels_and_one_pixel():
    labels = np.zeros((5, 6), np.int64)
    labels[1:4, 1:4] = 2**24 + 1  # float32 rounds 2**24 + 1 to 2**24: the exact fallback must be used
    labels[1:4, 4:6] = 2**24
    np.testing.assert_array_equal(inner_boundaries(labels), sk_find_boundaries(labels, mode="inner"))
    assert not inner_boundaries(np.array([[3]], np.int32)).any()
    with pytest.raises(ValueError, match="labels"):
        inner_boundaries(np.zeros((3, 3), bool))


def test_area_stats_count_pixels_per_label():
    labels = np.array([[0, 1, 1], [3, 3, 3], [0, 0, 3]], np.int32)
    stats = area_stats(labels)
    np.testing.assert_array_equal(stats.areas, [2, 0, 4])  # label 2 is not used
    assert (stats.count, stats.total, stats.smallest, stats.largest, stats.median) == (2, 6, 2, 4, 3.0)
    empty = area_stats(np.zeros((4, 4), np.int32))
    assert empty.areas.size == 0 and (empty.count, empty.total, empty.smallest, empty.largest) == (0, 0, 0, 0)
    coins_labels = sk_label(ndi.binary_fill_holes(load_coins() > 120))
    areas = [p.area for p in regionprops(coins_labels)]
    stats = area_stats(coins_labels)
    np.testing.assert_array_equal(stats.areas, areas)
    assert (stats.count, stats.total, stats.largest, stats.median) == (len(areas), sum(areas), max(areas),
                                                                        np.median(areas))


@SETTINGS
@given(labels=small_labels)
def test_area_stats_contract(labels):
    stats = area_stats(labels)
    values, counts = np.unique(labels[labels > 0], return_counts=True)
    assert stats.areas.shape == (labels.max(),) and stats.areas.dtype.kind == "i"
    np.testing.assert_array_equal(stats.areas[values - 1], counts)
    assert stats.count == len(values) and stats.total == np.count_nonzero(labels)
    if len(values):
        assert (stats.smallest, stats.largest, stats.median) == (counts.min(), counts.max(), np.median(counts))


def load_coins() -> np.ndarray:
    from skimage import data

    return data.coins()


# ------------------------------------------------------- from a threshold to objects, and the code panels

from processing.segmentation import (  # noqa: E402
    kmeans_colors_code,
    superpixels_code,
    threshold_objects,
    threshold_objects_code,
    watershed_split_code,
)

small_grey = arrays(np.uint8, st.tuples(st.integers(1, 14), st.integers(1, 14)), elements=st.integers(0, 255))


def objects_reference(grey, *, threshold, dark, fill, connectivity, min_area):
    """scikit-image and SciPy, step by step: the level, the mask, the labels, the specks dropped."""
    level = int(cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)[0]) if threshold is None else threshold
    raw = grey <= level if dark else grey > level
    mask = ndi.binary_fill_holes(raw) if fill else raw
    labels = sk_label(mask, connectivity=1 if connectivity == 4 else 2)
    areas = np.bincount(labels.ravel())
    labels[(areas < min_area)[labels] & (labels > 0)] = 0
    return level, raw, labels


@SETTINGS
@given(grey=small_grey, threshold=st.one_of(st.none(), st.integers(0, 255)), dark=st.booleans(),
       fill=st.booleans(), connectivity=st.sampled_from([4, 8]), min_area=st.integers(0, 6))
def test_threshold_objects_agrees_with_scikit_image(grey, threshold, dark, fill, connectivity, min_area):
    result = threshold_objects(grey, threshold=threshold, dark_objects=dark, fill_holes=fill,
                               connectivity=connectivity, min_area=min_area)
    level, raw, labels = objects_reference(grey, threshold=threshold, dark=dark, fill=fill,
                                           connectivity=connectivity, min_area=min_area)
    assert result.threshold == level
    np.testing.assert_array_equal(result.raw_mask, raw)
    assert result.raw_share == pytest.approx(raw.mean())
    assert result.labels.dtype == np.int32 and result.labels.shape == grey.shape
    assert same_partition(result.labels, labels)
    assert result.count == len(np.unique(labels[labels > 0]))
    np.testing.assert_array_equal(result.mask, result.labels > 0)
    np.testing.assert_array_equal(np.unique(result.labels[result.labels > 0]), np.arange(1, result.count + 1))


def test_threshold_objects_on_the_coins_and_bad_arguments():
    coins = load_coins()
    result = threshold_objects(coins, threshold=120, min_area=100)
    assert (result.threshold, result.count) == (120, 25)  # 24 coins and the piece of lit background at the top
    assert threshold_objects(coins).threshold == 107  # Otsu's level
    for kwargs, name in (({"threshold": 256}, "threshold"), ({"connectivity": 6}, "connectivity"),
                         ({"min_area": -1}, "min_area")):
        with pytest.raises(ValueError, match=name):
            threshold_objects(coins, **kwargs)
    with pytest.raises(ValueError, match="image"):
        threshold_objects(np.dstack([coins] * 3))


def run_code(code: str, **inputs) -> dict:
    """Run a code panel's lines as the page shows them (cv2 and np imported), return their variables."""
    namespace = {"cv2": cv2, "np": np, **inputs}
    exec(code, namespace)  # noqa: S102 - our own generated code
    return namespace


@pytest.mark.parametrize("settings", [
    {},
    {"threshold": 120, "min_area": 100, "connectivity": 4},
    {"threshold": 90, "dark_objects": True, "fill_holes": False},
    {"min_area": 1},
])
@pytest.mark.parametrize("colour", [False, True])
def test_threshold_objects_code_reproduces_the_labels(settings, colour):
    coins = load_coins()
    img = np.dstack([coins, coins // 2, coins]) if colour else coins
    grey = cv2.cvtColor(img, cv2.COLOR_RGB2GRAY) if colour else img
    result = threshold_objects(grey, **settings)
    code = threshold_objects_code(colour=colour, level=result.threshold, **settings)
    assert ("Otsu: t = " in code) == ("threshold" not in settings)
    np.testing.assert_array_equal(run_code(code, img=img)["labels"], result.labels)


@pytest.mark.parametrize("settings", [{}, {"markers": "peaks", "min_distance": 15},
                                      {"markers": "threshold", "threshold": 0.3}])
def test_watershed_split_code_reproduces_the_labels(settings):
    mask = threshold_objects(load_coins(), threshold=120, min_area=100).mask
    result = watershed_split(mask, **settings)
    code = "import scipy.ndimage as ndi\n" + watershed_split_code(**settings)
    np.testing.assert_array_equal(run_code(code, labels=mask.astype(np.int32))["result"], result.labels)
    full = np.ones((20, 30), bool)  # no background: the distance is measured to just outside the image
    code = "import scipy.ndimage as ndi\n" + watershed_split_code(**settings, full=True)
    np.testing.assert_array_equal(run_code(code, labels=full.astype(np.int32))["result"],
                                  watershed_split(full, **settings).labels)


@pytest.mark.parametrize("space", ["rgb", "lab"])
@pytest.mark.parametrize("grey", [False, True])
def test_kmeans_colors_code_reproduces_the_picture(space, grey):
    image, _ = three_colour_image(noise=40, seed=2)
    image = np.ascontiguousarray(np.tile(image, (8, 8, 1)))  # 76,800 pixels: the sampled path
    img = image[..., 0].copy() if grey else image
    result = kmeans_colors(img, k=4, space=space, seed=0)
    code = kmeans_colors_code(colour=not grey, k=4, space=space, seed=0)
    np.testing.assert_array_equal(run_code(code, img=img)["result"], result.quantized)


@pytest.mark.parametrize("max_pixels", [None, 9_600])
def test_superpixels_code_reproduces_the_labels(max_pixels):
    image, _ = three_colour_image(noise=10)
    image = np.ascontiguousarray(np.tile(image, (4, 4, 1)))  # 38,400 pixels
    result = superpixels(image, n_segments=30, compactness=5.0, max_pixels=max_pixels)
    code = superpixels_code(shape=image.shape, n_segments=30, compactness=5.0, max_pixels=max_pixels)
    assert ("cv2.resize" in code) == (max_pixels is not None)
    namespace = run_code(code, img=image)
    np.testing.assert_array_equal(namespace["result"], result.labels)
    np.testing.assert_array_equal(namespace["outlines"], result.boundaries)
