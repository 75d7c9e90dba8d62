"""Tests for processing.masks against NumPy definitions, scikit-image and hand-made arrays."""

from __future__ import annotations

import math

import cv2
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from skimage import data
from skimage.draw import polygon2mask

from processing.masks import (
    blend,
    centre_crop_box,
    checkerboard,
    circle_mask,
    color_range_mask,
    combine_masks,
    cut_out,
    cut_out_png,
    ellipse_mask,
    find_specks_and_holes,
    fit_to_shape,
    gray_range_mask,
    invert_mask,
    mask_iou,
    masked_blend,
    masked_histogram,
    overlap_counts,
    polygon_mask,
    rectangle_mask,
    specks_picture,
    threshold_mask,
    to_rgba,
    truth_table,
    venn_masks,
    venn_picture,
)

ASTRONAUT = data.astronaut()[::4, ::4].copy()  # 128 x 128 RGB
CAMERA = data.camera()[::4, ::4].copy()  # 128 x 128 grey

shapes = st.tuples(st.integers(1, 10), st.integers(1, 10))
fast = settings(max_examples=40, deadline=None)


@st.composite
def image_and_mask(draw, channels=st.sampled_from([None, 3])):
    shape = draw(shapes)
    n = draw(channels)
    image = draw(arrays(np.uint8, shape if n is None else (*shape, n)))
    mask = draw(arrays(bool, shape))
    return image, mask


def pixel_grid(shape):
    rows, cols = np.indices(shape)
    return cols, rows  # x, y


# --- shapes ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "corner1, corner2", [((2, 1), (5, 3)), ((5, 3), (2, 1)), ((-4, -2), (1, 30))]
)
def test_rectangle_mask_matches_slicing(corner1, corner2):
    shape = (8, 10)
    (x0, x1), (y0, y1) = sorted([corner1[0], corner2[0]]), sorted([corner1[1], corner2[1]])
    expected = np.zeros(shape, dtype=bool)
    expected[max(y0, 0) : y1 + 1, max(x0, 0) : x1 + 1] = True  # both corners included
    result = rectangle_mask(shape, corner1=corner1, corner2=corner2)
    assert result.dtype == bool
    np.testing.assert_array_equal(result, expected)


@pytest.mark.parametrize("center, radius", [((20, 15), 9), ((0, 0), 12), ((33, 40), 25)])
def test_circle_mask_matches_disc_equation_away_from_the_rim(center, radius):
    shape = (50, 60)
    x, y = pixel_grid(shape)
    distance = np.hypot(x - center[0], y - center[1])
    result = circle_mask(shape, center=center, radius=radius)
    assert result.dtype == bool and result.shape == shape
    assert result[distance <= radius - 1].all()
    assert not result[distance >= radius + 1].any()


def test_circle_mask_radius_zero_is_one_pixel():
    result = circle_mask((5, 5), center=(3, 1), radius=0)
    assert np.argwhere(result).tolist() == [[1, 3]]


@pytest.mark.parametrize("angle", [0.0, 30.0, 90.0])
def test_ellipse_mask_matches_ellipse_equation_away_from_the_rim(angle):
    shape = (60, 70)
    center, axes = (35, 30), (25, 12)
    x, y = pixel_grid(shape)
    theta = np.deg2rad(angle)
    # Rotate the pixel offsets back into the ellipse's own frame (y points down).
    u = (x - center[0]) * np.cos(theta) + (y - center[1]) * np.sin(theta)
    v = -(x - center[0]) * np.sin(theta) + (y - center[1]) * np.cos(theta)
    radius = np.sqrt((u / axes[0]) ** 2 + (v / axes[1]) ** 2)
    result = ellipse_mask(shape, center=center, axes=axes, angle=angle)
    assert result[radius <= 0.9].all()
    assert not result[radius >= 1.1].any()


def distance_to_outline(points: np.ndarray, vertices: np.ndarray) -> np.ndarray:
    """Distance from each (x, y) point to the closest edge of a closed polygon."""
    start, end = vertices, np.roll(vertices, -1, axis=0)
    edge = end - start
    t = np.clip(
        np.einsum("pkd,kd->pk", points[:, None, :] - start[None], edge) / (edge**2).sum(1), 0, 1
    )
    closest = start[None] + t[..., None] * edge[None]
    return np.linalg.norm(points[:, None, :] - closest, axis=2).min(axis=1)


def test_polygon_mask_matches_skimage_up_to_edge_pixels():
    shape = (40, 45)
    points = [(3, 2), (40, 5), (30, 35), (8, 28)]
    result = polygon_mask(shape, points=points)
    # scikit-image wants (row, col) = (y, x) vertices and leaves edge pixels out.
    reference = polygon2mask(shape, [(y, x) for x, y in points])
    assert np.all(result >= reference)
    extra = np.argwhere(result & ~reference)[:, ::-1].astype(float)  # as (x, y)
    assert extra.size and distance_to_outline(extra, np.array(points, float)).max() <= 1.0


def test_polygon_mask_hand_computed_triangle():
    result = polygon_mask((6, 6), points=[(0, 0), (5, 0), (0, 5)])
    x, y = pixel_grid((6, 6))
    np.testing.assert_array_equal(result, x + y <= 5)


@pytest.mark.parametrize(
    "call, name",
    [
        (lambda: rectangle_mask((0, 5), corner1=(0, 0), corner2=(1, 1)), "shape"),
        (lambda: rectangle_mask((5,), corner1=(0, 0), corner2=(1, 1)), "shape"),
        (lambda: rectangle_mask((5, 5), corner1=(0, 0, 0), corner2=(1, 1)), "corner1"),
        (lambda: circle_mask((5, 5), center=(2, 2), radius=-1), "radius"),
        (lambda: circle_mask((5, 5), center=(2.5, 2), radius=1), "center"),
        (lambda: ellipse_mask((5, 5), center=(2, 2), axes=(1,)), "axes"),
        (lambda: ellipse_mask((5, 5), center=(2, 2), axes=(1, 1), angle=float("nan")), "angle"),
        (lambda: polygon_mask((5, 5), points=[(0, 0), (4, 4)]), "points"),
        (lambda: polygon_mask((5, 5), points=[(0, 0), (4, 4), (1,)]), "points"),
    ],
)
def test_shape_masks_reject_bad_arguments(call, name):
    with pytest.raises(ValueError, match=name):
        call()


# --- colour range and threshold -------------------------------------------------------


@fast
@given(
    image=arrays(np.uint8, st.tuples(st.integers(1, 8), st.integers(1, 8), st.just(3))),
    bounds=st.lists(st.tuples(st.integers(0, 255), st.integers(0, 255)), min_size=3, max_size=3),
)
def test_rgb_range_matches_numpy(image, bounds):
    lower = tuple(min(b) for b in bounds)
    upper = tuple(max(b) for b in bounds)
    result = color_range_mask(image, lower=lower, upper=upper)
    expected = np.all((image >= lower) & (image <= upper), axis=-1)
    assert result.dtype == bool
    np.testing.assert_array_equal(result, expected)


@fast
@given(
    image=arrays(np.uint8, st.tuples(st.integers(1, 8), st.integers(1, 8), st.just(3))),
    hues=st.tuples(st.integers(0, 179), st.integers(0, 179)),
)
def test_hsv_range_with_hue_wrap_matches_numpy(image, hues):
    hsv = cv2.cvtColor(image, cv2.COLOR_RGB2HSV)
    lower, upper = (hues[0], 40, 30), (hues[1], 255, 220)
    hue = hsv[..., 0]
    hue_ok = (hue >= hues[0]) & (hue <= hues[1]) if hues[0] <= hues[1] else (
        (hue >= hues[0]) | (hue <= hues[1])
    )
    expected = hue_ok & (hsv[..., 1] >= 40) & (hsv[..., 2] >= 30) & (hsv[..., 2] <= 220)
    np.testing.assert_array_equal(
        color_range_mask(image, lower=lower, upper=upper, space="hsv"), expected
    )


def test_hsv_range_selects_known_colours():
    # Red, yellow, green, blue, a dark red, white: OpenCV hues are degrees / 2.
    image = np.array(
        [[[255, 0, 0], [255, 255, 0], [0, 255, 0], [0, 0, 255], [120, 0, 10], [255, 255, 255]]],
        dtype=np.uint8,
    )
    def select(lower, upper):
        return color_range_mask(image, lower=lower, upper=upper, space="hsv")[0].tolist()

    assert select((55, 100, 100), (65, 255, 255)) == [False, False, True, False, False, False]
    assert select((115, 100, 100), (125, 255, 255)) == [False, False, False, True, False, False]
    assert select((25, 100, 100), (35, 255, 255)) == [False, True, False, False, False, False]
    # Red straddles hue 0: 170..10 wraps round and finds both reds (hues 0 and ~177).
    assert select((170, 100, 50), (10, 255, 255)) == [True, False, False, False, True, False]
    # The same bounds read as RGB would be a different box entirely.
    assert color_range_mask(image, lower=(200, 0, 0), upper=(255, 50, 50))[0].tolist() == [
        True, False, False, False, False, False
    ]


@pytest.mark.parametrize(
    "kwargs, name",
    [
        ({"lower": (10, 0, 0), "upper": (5, 255, 255)}, "lower"),
        ({"lower": (0, 0, 0), "upper": (180, 255, 255), "space": "hsv"}, "upper"),
        ({"lower": (0, 200, 0), "upper": (10, 100, 255), "space": "hsv"}, "lower"),
        ({"lower": (0, 0), "upper": (1, 1, 1)}, "lower"),
        ({"lower": (0, 0, 0), "upper": (1, 1, 1), "space": "lab"}, "space"),
    ],
)
def test_color_range_rejects_bad_arguments(kwargs, name):
    with pytest.raises(ValueError, match=name):
        color_range_mask(ASTRONAUT, **kwargs)
    with pytest.raises(ValueError, match="image"):
        color_range_mask(CAMERA, lower=(0, 0, 0), upper=(1, 1, 1))


def test_threshold_mask_grey_and_rgb():
    np.testing.assert_array_equal(threshold_mask(CAMERA, threshold=90), CAMERA > 90)
    np.testing.assert_array_equal(
        threshold_mask(CAMERA, threshold=90, dark_objects=True), CAMERA <= 90
    )
    # RGB goes through the standard luma weights first.
    weights = np.array([0.299, 0.587, 0.114])
    grey = ASTRONAUT.astype(np.float64) @ weights
    result = threshold_mask(ASTRONAUT, threshold=120)
    assert result[grey > 121].all() and not result[grey < 120].any()
    with pytest.raises(ValueError, match="threshold"):
        threshold_mask(CAMERA, threshold=300)


# --- combining ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "operation, expected",
    [
        ("and", [True, False, False, False]),
        ("or", [True, True, True, False]),
        ("xor", [False, True, True, False]),
        ("minus", [False, True, False, False]),
        ("a", [True, True, False, False]),
        ("b", [True, False, True, False]),
    ],
)
def test_combine_masks_truth_table(operation, expected):
    a = np.array([[True, True, False, False]])
    b = np.array([[True, False, True, False]])
    np.testing.assert_array_equal(combine_masks(a, b, operation=operation), [expected])
    inverted = combine_masks(a, b, operation=operation, invert=True)
    np.testing.assert_array_equal(inverted, [[not value for value in expected]])
    assert truth_table(operation) == tuple(expected)
    assert truth_table(operation, invert=True) == tuple(not value for value in expected)


def test_combine_masks_never_hands_back_or_changes_its_inputs():
    a = np.array([[True, False]])
    b = np.array([[False, False]])
    for operation in ("a", "b"):
        result = combine_masks(a, b, operation=operation, invert=True)
        assert result is not a and result is not b
    np.testing.assert_array_equal(a, [[True, False]])
    np.testing.assert_array_equal(b, [[False, False]])


def test_invert_and_venn_masks():
    np.testing.assert_array_equal(invert_mask(np.array([[True, False]])), [[False, True]])
    a, b = venn_masks(size=32)
    assert a.shape == b.shape == (32, 48) and a.dtype == bool
    # Every row of the truth table occurs in the picture.
    for in_a in (True, False):
        for in_b in (True, False):
            assert np.any((a == in_a) & (b == in_b)), (in_a, in_b)


@pytest.mark.parametrize("image", [ASTRONAUT, CAMERA], ids=["rgb", "grey"])
def test_gray_range_matches_numpy(image):
    grey = cv2.cvtColor(image, cv2.COLOR_RGB2GRAY) if image.ndim == 3 else image
    result = gray_range_mask(image, lower=60, upper=130)
    assert result.dtype == bool
    np.testing.assert_array_equal(result, (grey >= 60) & (grey <= 130))
    np.testing.assert_array_equal(gray_range_mask(CAMERA, lower=0, upper=255), np.ones(CAMERA.shape, bool))
    with pytest.raises(ValueError, match="lower"):
        gray_range_mask(CAMERA, lower=200, upper=100)
    with pytest.raises(ValueError, match="upper"):
        gray_range_mask(CAMERA, lower=0, upper=256)


@fast
@given(masks=shapes.flatmap(lambda s: st.tuples(arrays(bool, s), arrays(bool, s))))
def test_overlap_counts_are_the_truth_table(masks):
    a, b = masks
    counts = overlap_counts(a, b)
    assert counts.both == np.sum(a & b) and counts.only_a == np.sum(a & ~b)
    assert counts.only_b == np.sum(~a & b) and counts.neither == np.sum(~a & ~b)
    assert counts.total == a.size and counts.union == np.sum(a | b)
    assert (counts.in_a, counts.in_b) == (np.sum(a), np.sum(b))
    assert [n for _, _, n in counts.cases] == [counts.both, counts.only_a, counts.only_b, counts.neither]
    if (a | b).any():
        assert counts.iou == mask_iou(a, b) == np.sum(a & b) / np.sum(a | b)
        assert 0.0 <= mask_iou(a, b) == mask_iou(b, a) <= 1.0
    else:
        assert math.isnan(counts.iou) and math.isnan(mask_iou(a, b))


def test_overlap_counts_hand_computed_and_bad_arguments():
    a = np.array([[True, True, False, False]])
    b = np.array([[True, False, True, False]])
    counts = overlap_counts(a, b)
    assert (counts.both, counts.only_a, counts.only_b, counts.neither) == (1, 1, 1, 1)
    assert counts.iou == pytest.approx(1 / 3)
    with pytest.raises(ValueError, match="mask_b"):
        overlap_counts(a, b[:, :3])


def test_venn_picture_fills_exactly_the_selected_area():
    a, b = venn_masks(size=120)
    selected = combine_masks(a, b, operation="xor")
    picture = venn_picture(selected, color=(10, 20, 30))
    assert picture.shape == (*a.shape, 3) and picture.dtype == np.uint8
    filled = np.all(picture == (10, 20, 30), axis=2)
    white = np.all(picture == 255, axis=2)
    # Outlines and letters are drawn on top, so compare away from them: no fill outside the selection,
    # no white inside it.
    assert not filled[~selected].any()
    assert not white[selected].any()
    assert filled.sum() > 0.8 * selected.sum()
    with pytest.raises(ValueError, match="selected"):
        venn_picture(selected[:, :-1])


def test_specks_and_holes_hand_made():
    mask = np.zeros((30, 30), bool)
    mask[5:25, 5:25] = True  # one big square (400 px)
    mask[10:12, 10:12] = False  # a 4-px hole
    mask[0, 0] = mask[28, 2] = True  # two one-pixel specks
    flaws = find_specks_and_holes(mask, max_area=10)
    assert (flaws.n_pieces, flaws.n_specks, flaws.n_holes) == (3, 2, 1)
    assert flaws.specks.sum() == 2 and flaws.specks[0, 0] and flaws.specks[28, 2]
    np.testing.assert_array_equal(np.argwhere(flaws.holes), np.argwhere(~mask[10:12, 10:12]) + 10)
    picture = specks_picture(mask, flaws)
    assert tuple(picture[0, 0]) == (230, 30, 30) and tuple(picture[10, 10]) == (40, 120, 255)
    assert tuple(picture[20, 20]) == (200, 200, 200) and tuple(picture[1, 1]) == (0, 0, 0)
    grown = specks_picture(mask, flaws, grow=1)
    assert tuple(grown[1, 0]) == (230, 30, 30)  # thickened for display


def test_specks_of_empty_and_full_masks():
    empty = find_specks_and_holes(np.zeros((4, 5), bool), max_area=3)
    assert (empty.n_pieces, empty.n_specks, empty.n_holes) == (0, 0, 0)  # the background is one large piece
    full = find_specks_and_holes(np.ones((4, 5), bool), max_area=100)
    assert (full.n_pieces, full.n_specks, full.n_holes) == (1, 1, 0)
    with pytest.raises(ValueError, match="max_area"):
        find_specks_and_holes(np.ones((4, 5), bool), max_area=0)


def test_combine_masks_rejects_bad_arguments():
    a = np.zeros((3, 3), bool)
    with pytest.raises(ValueError, match="operation"):
        combine_masks(a, a, operation="nand")
    with pytest.raises(ValueError, match="mask_b"):
        combine_masks(a, np.zeros((3, 4), bool), operation="and")
    with pytest.raises(ValueError, match="mask_a"):
        combine_masks(a.astype(np.uint8), a, operation="and")
    with pytest.raises(ValueError, match="mask"):
        invert_mask(np.zeros((3, 3), np.uint8))


# --- applying masks -------------------------------------------------------------------


def test_checkerboard_hand_computed():
    np.testing.assert_array_equal(
        checkerboard((3, 5), square=2),
        [
            [255, 255, 204, 204, 255],
            [255, 255, 204, 204, 255],
            [204, 204, 255, 255, 204],
        ],
    )


@fast
@given(pair=image_and_mask())
def test_cut_outs_and_rgba(pair):
    image, mask = pair
    black = cut_out(image, mask)
    assert black.shape == image.shape and black.dtype == np.uint8
    np.testing.assert_array_equal(black[mask], image[mask])
    assert not black[~mask].any()
    board = cut_out(image, mask, background="checkerboard", square=2)
    np.testing.assert_array_equal(board[mask], image[mask])
    expected_board = checkerboard(mask.shape, square=2)
    if image.ndim == 3:
        expected_board = np.repeat(expected_board[:, :, None], 3, axis=2)
    np.testing.assert_array_equal(board[~mask], expected_board[~mask])
    rgba = to_rgba(image, mask)
    assert rgba.shape == (*mask.shape, 4) and rgba.dtype == np.uint8
    np.testing.assert_array_equal(rgba[..., 3], np.where(mask, 255, 0))
    rgb = image if image.ndim == 3 else np.repeat(image[:, :, None], 3, axis=2)
    np.testing.assert_array_equal(rgba[..., :3], rgb)


def test_empty_mask_is_handled_everywhere():
    empty = np.zeros(ASTRONAUT.shape[:2], dtype=bool)
    assert not cut_out(ASTRONAUT, empty).any()
    assert not to_rgba(ASTRONAUT, empty)[..., 3].any()
    stats = masked_histogram(ASTRONAUT, empty)
    assert stats.empty and stats.n_masked == 0 and stats.masked_mean is None
    assert stats.masked.shape == (3, 256) and not stats.masked.any()
    assert stats.whole.sum() == 3 * empty.size


def test_apply_mask_rejects_bad_arguments():
    mask = np.ones(CAMERA.shape, dtype=bool)
    with pytest.raises(ValueError, match="mask"):
        cut_out(CAMERA, mask[:, :-1])
    with pytest.raises(ValueError, match="mask"):
        to_rgba(CAMERA, mask.astype(np.uint8))
    with pytest.raises(ValueError, match="background"):
        cut_out(CAMERA, mask, background="white")
    with pytest.raises(ValueError, match="square"):
        cut_out(CAMERA, mask, background="checkerboard", square=0)


# --- blending -------------------------------------------------------------------------


@fast
@given(
    images=st.tuples(st.integers(1, 8), st.integers(1, 8)).flatmap(
        lambda s: st.tuples(arrays(np.uint8, (*s, 3)), arrays(np.uint8, (*s, 3)))
    ),
    alpha=st.floats(0, 1),
)
def test_blend_matches_float_formula(images, alpha):
    a, b = images
    result = blend(a, b, alpha=alpha)
    expected = alpha * a.astype(np.float64) + (1 - alpha) * b.astype(np.float64)
    assert result.dtype == np.uint8 and result.shape == a.shape
    assert np.all(np.abs(result - expected) <= 0.5 + 1e-4)  # rounded to the nearest level


def test_blend_extremes_and_resizing():
    np.testing.assert_array_equal(blend(ASTRONAUT, ASTRONAUT[::-1], alpha=1.0), ASTRONAUT)
    np.testing.assert_array_equal(blend(ASTRONAUT, ASTRONAUT[::-1], alpha=0.0), ASTRONAUT[::-1])
    big = data.astronaut()  # 512 x 512, shrunk to 128 x 128 with INTER_AREA
    small = cv2.resize(big, (128, 128), interpolation=cv2.INTER_AREA)
    np.testing.assert_array_equal(blend(ASTRONAUT, big, alpha=0.0), small)
    tiny = ASTRONAUT[:10, :20]  # its centre 10 x 10 (columns 5-14) enlarged with INTER_LINEAR: not stretched
    enlarged = cv2.resize(tiny[:, 5:15], (128, 128), interpolation=cv2.INTER_LINEAR)
    np.testing.assert_array_equal(blend(ASTRONAUT, tiny, alpha=0.0), enlarged)
    # Grey meets RGB: the result is RGB, the grey image repeated in each channel.
    mixed = blend(CAMERA, ASTRONAUT, alpha=1.0)
    assert mixed.shape == (128, 128, 3)
    np.testing.assert_array_equal(mixed, np.repeat(CAMERA[:, :, None], 3, axis=2))
    assert blend(CAMERA, CAMERA, alpha=0.3).shape == CAMERA.shape


@pytest.mark.parametrize(("shape", "aspect_of", "box"), [
    ((300, 451), (512, 512), (0, 75, 300, 375)),  # Chelsea onto the astronaut: the middle 300 columns
    ((512, 512), (300, 451), (85, 0, 426, 512)),  # the other way: 340.6 rows, rounded to 341
    ((10, 20), (10, 20), (0, 0, 10, 20)),  # same proportions: all of it
    ((1, 100), (100, 1), (0, 49, 1, 50)),  # never less than one pixel
])
def test_centre_crop_box_hand_computed(shape, aspect_of, box):
    assert centre_crop_box(shape, aspect_of=aspect_of) == box


@settings(max_examples=60, deadline=None)
@given(shape=st.tuples(st.integers(1, 600), st.integers(1, 600)),
       aspect_of=st.tuples(st.integers(1, 600), st.integers(1, 600)))
def test_centre_crop_box_keeps_a_side_and_the_proportions(shape, aspect_of):
    top, left, bottom, right = centre_crop_box(shape, aspect_of=aspect_of)
    height, width = bottom - top, right - left
    assert 0 <= top < bottom <= shape[0] and 0 <= left < right <= shape[1]
    assert height == shape[0] or width == shape[1]  # the largest box: one side whole
    assert abs(top - (shape[0] - bottom)) <= 1 and abs(left - (shape[1] - right)) <= 1  # centred
    # Its proportions are the target's, to within rounding one pixel.
    assert abs(height * aspect_of[1] - width * aspect_of[0]) <= max(aspect_of)


def test_fit_to_shape_crops_then_resizes():
    chelsea = data.chelsea()  # 300 x 451
    fitted = fit_to_shape(chelsea, shape=(512, 512))
    expected = cv2.resize(chelsea[:, 75:375], (512, 512), interpolation=cv2.INTER_LINEAR)
    np.testing.assert_array_equal(fitted, expected)
    shrunk = fit_to_shape(data.astronaut(), shape=(100, 200))  # 256 rows of 512, shrunk with INTER_AREA
    np.testing.assert_array_equal(shrunk, cv2.resize(data.astronaut()[128:384], (200, 100),
                                                     interpolation=cv2.INTER_AREA))
    assert fit_to_shape(CAMERA, shape=CAMERA.shape) is CAMERA
    with pytest.raises(ValueError, match="shape"):
        fit_to_shape(CAMERA, shape=(0, 5))


def test_masked_blend_inside_and_outside():
    mask = circle_mask(ASTRONAUT.shape[:2], center=(64, 64), radius=30)
    pasted = masked_blend(ASTRONAUT, CAMERA, mask, alpha=1.0)
    grey_rgb = np.repeat(CAMERA[:, :, None], 3, axis=2)
    np.testing.assert_array_equal(pasted[mask], ASTRONAUT[mask])
    np.testing.assert_array_equal(pasted[~mask], grey_rgb[~mask])
    half = masked_blend(ASTRONAUT, CAMERA, mask, alpha=0.4)
    np.testing.assert_array_equal(half[mask], blend(ASTRONAUT, CAMERA, alpha=0.4)[mask])
    empty = np.zeros_like(mask)
    np.testing.assert_array_equal(masked_blend(ASTRONAUT, CAMERA, empty, alpha=0.4), grey_rgb)
    with pytest.raises(ValueError, match="mask"):
        masked_blend(ASTRONAUT, CAMERA, mask[:-1])


def test_blend_rejects_bad_arguments():
    with pytest.raises(ValueError, match="alpha"):
        blend(CAMERA, CAMERA, alpha=1.5)
    with pytest.raises(ValueError, match="image_b"):
        blend(CAMERA, CAMERA.astype(np.float32), alpha=0.5)


# --- histogram ------------------------------------------------------------------------


@pytest.mark.parametrize("image", [ASTRONAUT, CAMERA], ids=["rgb", "grey"])
def test_masked_histogram_matches_numpy(image):
    mask = circle_mask(image.shape[:2], center=(60, 50), radius=30)
    stats = masked_histogram(image, mask)
    pixels = image.reshape(-1, 1) if image.ndim == 2 else image.reshape(-1, 3)
    inside = pixels[mask.ravel()]
    channels = pixels.shape[1]
    assert stats.masked.shape == stats.whole.shape == (channels, 256)
    assert stats.masked.dtype == np.int64
    for c in range(channels):
        masked_counts, _ = np.histogram(inside[:, c], bins=256, range=(0, 256))
        whole_counts, _ = np.histogram(pixels[:, c], bins=256, range=(0, 256))
        np.testing.assert_array_equal(stats.masked[c], masked_counts)
        np.testing.assert_array_equal(stats.whole[c], whole_counts)
    assert stats.n_masked == mask.sum() and stats.n_total == mask.size and not stats.empty
    np.testing.assert_allclose(stats.masked_mean, inside.mean(axis=0))
    np.testing.assert_allclose(stats.whole_mean, pixels.mean(axis=0))


def test_masked_histogram_non_contiguous_inputs():
    image, mask = ASTRONAUT[::2, 1::3], (CAMERA > 100)[::2, 1::3]
    stats = masked_histogram(image, mask)
    for c in range(3):
        expected = np.bincount(image[..., c][mask], minlength=256)
        np.testing.assert_array_equal(stats.masked[c], expected)


def test_masked_histogram_counts_exactly_on_huge_images():
    # 2**24 pixels: past float32's exact integers, where calcHist would stop counting.
    image = np.full((4096, 4097), 9, dtype=np.uint8)
    image[0, :5] = 200
    mask = np.ones(image.shape, dtype=bool)
    stats = masked_histogram(image, mask)
    assert stats.masked[0, 9] == stats.whole[0, 9] == image.size - 5
    assert stats.masked[0, 200] == stats.whole[0, 200] == 5


def test_parse_points_refuses_what_it_cannot_read_with_a_reason():
    from processing.masks import POINTS_TEXT_LIMIT, parse_points

    assert parse_points("10,20; 80,20.5; 50,90") == ([(10.0, 20.0), (80.0, 20.5), (50.0, 90.0)], None)
    points, reason = parse_points(";".join(["1,1"] * 100_000))
    assert points is None and f"at most {POINTS_TEXT_LIMIT}" in reason
    for text in ("1,2; 3,4; x,5", "1,2; 3,4; 101,5", "1,2; 3,4; -1,5", "1,2", "", "nan,1; 1,1; 2,2"):
        points, reason = parse_points(text)
        assert points is None and reason, text


def test_iou_of_two_empty_masks_is_undefined_not_a_division_by_zero():
    from processing.masks import overlap_counts

    empty = np.zeros((4, 5), bool)
    counts = overlap_counts(empty, empty)
    assert math.isnan(counts.iou) and counts.union == 0 and counts.neither == 20
    assert math.isnan(mask_iou(empty, empty))  # 0 / 0: undefined, neither 0 (disagree) nor 1 (agree)
    one = empty.copy()
    one[0, 0] = True
    assert overlap_counts(one, empty).iou == mask_iou(one, empty) == 0.0
    assert overlap_counts(one, one).iou == mask_iou(one, one) == 1.0


def test_mask_iou_hand_computed_and_bad_arguments():
    a = np.array([[True, True, False, False]])
    b = np.array([[False, True, True, False]])
    assert mask_iou(a, b) == pytest.approx(1 / 3)
    with pytest.raises(ValueError, match="mask_b"):
        mask_iou(a, b[:, :3])
    with pytest.raises(ValueError, match="mask_a"):
        mask_iou(a.astype(np.uint8), b)


def test_cut_out_png_is_the_image_with_the_mask_as_alpha():
    mask = np.zeros(ASTRONAUT.shape[:2], bool)
    mask[100:200, 50:300] = True
    png = cut_out_png(ASTRONAUT, mask)
    assert png.startswith(b"\x89PNG")
    decoded = cv2.cvtColor(cv2.imdecode(np.frombuffer(png, np.uint8), cv2.IMREAD_UNCHANGED), cv2.COLOR_BGRA2RGBA)
    np.testing.assert_array_equal(decoded, to_rgba(ASTRONAUT, mask))
    np.testing.assert_array_equal(decoded[:, :, 3] == 255, mask)
