"""Tests for processing.geometry against NumPy slicing, hand-solved systems and OpenCV."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from skimage import data

from processing import geometry as geo

SETTINGS = settings(max_examples=30, deadline=None)

images = st.tuples(st.integers(1, 9), st.integers(1, 9), st.sampled_from([(), (3,)])).flatmap(
    lambda s: arrays(np.uint8, (s[0], s[1], *s[2]))
)


def noise(shape: tuple[int, ...], seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, 256, shape, dtype=np.uint8)


# --- resize ----------------------------------------------------------------------


def test_nearest_upscale_repeats_pixels():
    image = noise((5, 7, 3))
    out = geo.resize(image, width=21, height=15, interpolation="nearest")
    np.testing.assert_array_equal(out, image.repeat(3, axis=0).repeat(3, axis=1))


def test_area_downscale_is_the_block_mean():
    image = data.camera()[:200, :300]
    out = geo.resize(image, width=100, height=50, interpolation="area")
    block_mean = image.reshape(50, 4, 100, 3).mean(axis=(1, 3))
    assert np.abs(out - block_mean).max() <= 0.5 + 1e-9


def test_linear_upscale_matches_half_pixel_interpolation():
    # From-scratch bilinear with pixel-centre alignment and edge clamping.
    image = noise((6, 5), seed=1).astype(float)
    factor = 3
    out = geo.scale(image.astype(np.uint8), factor=factor, interpolation="linear")
    ys = np.clip((np.arange(18) + 0.5) / factor - 0.5, 0, 5)
    xs = np.clip((np.arange(15) + 0.5) / factor - 0.5, 0, 4)
    y0, x0 = np.minimum(ys.astype(int), 4), np.minimum(xs.astype(int), 3)
    fy, fx = (ys - y0)[:, None], (xs - x0)[None, :]
    top = image[y0][:, x0] * (1 - fx) + image[y0][:, x0 + 1] * fx
    bottom = image[y0 + 1][:, x0] * (1 - fx) + image[y0 + 1][:, x0 + 1] * fx
    expected = top * (1 - fy) + bottom * fy
    assert np.abs(out - expected).max() <= 1


@pytest.mark.parametrize("interpolation", sorted(geo.INTERPOLATIONS))
def test_every_interpolation_keeps_a_flat_image_flat(interpolation):
    image = np.full((9, 13, 3), (10, 120, 250), dtype=np.uint8)
    for width, height in [(26, 18), (5, 4)]:
        out = geo.resize(image, width=width, height=height, interpolation=interpolation)
        assert out.shape == (height, width, 3)
        np.testing.assert_array_equal(out, np.broadcast_to(image[0, 0], out.shape))


def test_scale_rounds_the_output_size():
    image = noise((10, 15))
    assert geo.scale(image, factor=0.5).shape == (5, 8)  # 7.5 rounds to even
    assert geo.scale(image, factor=0.01).shape == (1, 1)
    assert geo.scale(image, factor=2.5, interpolation="cubic").shape == (25, 38)


# --- matrices ---------------------------------------------------------------------


def test_rotation_by_90_with_expand_is_rot90():
    for shape in [(5, 8, 3), (6, 6), (1, 4)]:
        image = noise(shape)
        out = geo.rotate(image, angle=90, expand=True)
        np.testing.assert_array_equal(out, np.rot90(image, k=1))
        np.testing.assert_array_equal(
            geo.rotate(image, angle=-90, expand=True), np.rot90(image, k=-1)
        )


def test_rotation_by_180_in_place_is_a_double_flip():
    image = noise((7, 10, 3))
    np.testing.assert_array_equal(geo.rotate(image, angle=180), image[::-1, ::-1])


def test_rotation_matrix_hand_values():
    # 5 wide, 3 high: centre (2, 1). A counter-clockwise quarter turn on screen
    # sends (x, y) -> (cx + (y - cy), cy - (x - cx)).
    matrix, size = geo.rotation_matrix((3, 5), angle=90)
    assert size == (5, 3)
    np.testing.assert_allclose(matrix, [[0, 1, 1], [-1, 0, 3]], atol=1e-12)
    matrix, size = geo.rotation_matrix((3, 5), angle=90, expand=True)
    assert size == (3, 5)
    assert geo.transform_point(matrix, (0, 0)) == pytest.approx((0, 4))


@SETTINGS
@given(
    st.integers(1, 40), st.integers(1, 40), st.floats(-360, 360, allow_nan=False)
)
def test_expanded_rotation_keeps_every_corner_in_view(height, width, angle):
    matrix, (new_width, new_height) = geo.rotation_matrix((height, width), angle=angle, expand=True)
    right, bottom = width - 0.5, height - 0.5  # outer edges of the corner pixels
    for corner in [(-0.5, -0.5), (right, -0.5), (-0.5, bottom), (right, bottom)]:
        x, y = geo.transform_point(matrix, corner)
        assert -0.5 - 1e-6 <= x <= new_width - 0.5 + 1e-6
        assert -0.5 - 1e-6 <= y <= new_height - 0.5 + 1e-6
    # ...and the canvas is no bigger than the rotated box needs.
    assert new_width <= width + height and new_height <= width + height


def test_expanded_rotation_keeps_all_the_ink():
    image = np.full((30, 50), 255, dtype=np.uint8)
    cropped = geo.rotate(image, angle=30)
    expanded = geo.rotate(image, angle=30, expand=True)
    ink = image.sum(dtype=np.int64)
    assert expanded.sum(dtype=np.int64) == pytest.approx(ink, rel=0.02)
    assert cropped.sum(dtype=np.int64) < 0.9 * ink  # corners cut off


@pytest.mark.parametrize("direction", sorted(geo.FLIP_DIRECTIONS))
def test_flip_matches_numpy_and_its_matrix(direction):
    image = noise((6, 9, 3))
    expected = {
        "horizontal": image[:, ::-1],
        "vertical": image[::-1],
        "both": image[::-1, ::-1],
    }[direction]
    np.testing.assert_array_equal(geo.flip(image, direction=direction), expected)
    matrix = geo.flip_matrix(image.shape, direction=direction)
    np.testing.assert_array_equal(geo.warp_affine(image, matrix, interpolation="nearest"), expected)


def test_scale_matrix_matches_resize():
    image = data.camera()[100:164, 200:264]
    for factor in (2.0, 0.5):
        size = (round(64 * factor), round(64 * factor))
        warped = geo.warp_affine(
            image, geo.scale_matrix(factor=factor), size=size, border="replicate"
        )
        resized = geo.resize(image, width=size[0], height=size[1], interpolation="linear")
        # Same geometry; OpenCV's two code paths round their weights differently.
        assert np.abs(warped.astype(int) - resized).max() <= 1


def test_compose_affine_applies_in_order():
    shift = geo.translation_matrix(tx=10, ty=0)
    quarter, _ = geo.rotation_matrix((1, 1), angle=90)  # about the origin
    # Shift then turn: (0, 0) -> (10, 0) -> (0, -10). Turn then shift: (10, 0).
    shift_then_turn = geo.compose_affine(shift, quarter)
    turn_then_shift = geo.compose_affine(quarter, shift)
    assert geo.transform_point(shift_then_turn, (0, 0)) == pytest.approx((0, -10))
    assert geo.transform_point(turn_then_shift, (0, 0)) == pytest.approx((10, 0))
    np.testing.assert_allclose(
        geo.compose_affine(geo.translation_matrix(tx=1, ty=2), geo.translation_matrix(tx=3, ty=-5)),
        [[1, 0, 4], [0, 1, -3]],
    )


def test_transform_point_matches_opencv():
    affine = np.array([[1.2, -0.3, 5.0], [0.4, 0.9, -2.0]])
    homography = np.array([[1.1, 0.2, 3.0], [-0.1, 0.9, 4.0], [0.001, 0.002, 1.0]])
    point = (12.5, -7.25)
    expected_affine = cv2.transform(np.array([[point]], np.float64), affine)[0, 0]
    expected_persp = cv2.perspectiveTransform(np.array([[point]], np.float64), homography)[0, 0]
    assert geo.transform_point(affine, point) == pytest.approx(tuple(expected_affine))
    assert geo.transform_point(homography, point) == pytest.approx(tuple(expected_persp))
    # By hand: 1.2 * 12.5 + 0.3 * 7.25 + 5 = 22.175
    assert geo.transform_point(affine, point)[0] == pytest.approx(22.175)


# --- translation and borders --------------------------------------------------------


NUMPY_PAD = {"constant": "constant", "replicate": "edge", "reflect": "symmetric", "wrap": "wrap"}


@pytest.mark.parametrize("border", sorted(geo.BORDERS))
@pytest.mark.parametrize(("tx", "ty"), [(3, 2), (-4, 1), (0, -3)])
def test_integer_translation_matches_numpy_padding(border, tx, ty):
    image = noise((8, 11, 3), seed=4)
    pad = ((max(ty, 0), max(-ty, 0)), (max(tx, 0), max(-tx, 0)), (0, 0))
    padded = np.pad(image, pad, mode=NUMPY_PAD[border])
    # Output pixel (x, y) comes from input (x - tx, y - ty), found in the padding
    # when it lies outside the image.
    rows = np.arange(8) - ty + pad[0][0]
    cols = np.arange(11) - tx + pad[1][0]
    expected = padded[rows][:, cols]
    out = geo.translate(image, tx=tx, ty=ty, border=border)
    np.testing.assert_array_equal(out, expected)


def test_translation_with_wrap_is_roll():
    image = noise((9, 7), seed=5)
    np.testing.assert_array_equal(
        geo.translate(image, tx=3, ty=-2, border="wrap"), np.roll(image, (-2, 3), axis=(0, 1))
    )


def test_border_value_fills_the_uncovered_strip():
    image = np.zeros((4, 6, 3), dtype=np.uint8)
    out = geo.translate(image, tx=2, ty=0, border_value=200)
    np.testing.assert_array_equal(out[:, :2], 200)
    np.testing.assert_array_equal(out[:, 2:], 0)


# --- from point pairs ----------------------------------------------------------------


def test_affine_from_points_solves_the_six_equations():
    src = np.array([[0, 0], [10, 0], [0, 5]], float)
    dst = np.array([[3, 4], [13, 6], [2, 9]], float)
    matrix = geo.affine_from_points(src, dst)
    # Solve [x y 1] @ M.T = dst by hand with NumPy.
    design = np.hstack([src, np.ones((3, 1))])
    expected = np.linalg.solve(design, dst).T
    np.testing.assert_allclose(matrix, expected, atol=1e-9)
    for s, d in zip(src, dst):
        assert geo.transform_point(matrix, s) == pytest.approx(tuple(d))


def test_perspective_from_points_solves_the_eight_equations():
    src = np.array([[10, 20], [300, 15], [320, 400], [5, 380]], float)
    dst = np.array([[0, 0], [299, 0], [299, 399], [0, 399]], float)
    matrix = geo.perspective_from_points(src, dst)
    rows, rhs = [], []
    for (x, y), (u, v) in zip(src, dst):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        rhs += [u, v]
    expected = np.append(np.linalg.solve(np.array(rows), np.array(rhs)), 1).reshape(3, 3)
    np.testing.assert_allclose(matrix, expected, rtol=1e-6, atol=1e-9)
    for s, d in zip(src, dst):
        assert geo.transform_point(matrix, s) == pytest.approx(tuple(d), abs=1e-6)


def test_warp_affine_with_point_pairs_moves_a_dot():
    image = np.zeros((40, 40), dtype=np.uint8)
    image[10, 5] = 255
    src = [(0, 0), (39, 0), (0, 39)]
    dst = [(3, 2), (42, 2), (3, 41)]  # a shift by (3, 2)
    out = geo.warp_affine(image, geo.affine_from_points(src, dst), interpolation="nearest")
    assert out[12, 8] == 255 and out.sum() == 255


def test_order_corners_from_any_order():
    corners = np.array([[12, 8], [310, 20], [300, 420], [5, 400]], float)
    for permutation in [(0, 1, 2, 3), (2, 0, 3, 1), (3, 2, 1, 0), (1, 3, 0, 2)]:
        np.testing.assert_array_equal(geo.order_corners(corners[list(permutation)]), corners)
    # A page turned so its top-left corner sits just below the centre line on
    # the left: it sorts last by angle, but must still come first.
    turned = np.array([[0, 55], [70, 0], [100, 60], [40, 100]], float)
    np.testing.assert_array_equal(geo.order_corners(turned[[1, 2, 3, 0]]), turned)


def test_straighten_undoes_a_known_perspective():
    page = cv2.resize(data.text(), (200, 100), interpolation=cv2.INTER_AREA)
    corners = np.array([[40, 30], [260, 55], [250, 190], [30, 160]], float)
    flat = np.array([[0, 0], [199, 0], [199, 99], [0, 99]], float)
    tilt = cv2.getPerspectiveTransform(flat.astype(np.float32), corners.astype(np.float32))
    photo = cv2.warpPerspective(page, tilt, (300, 220), flags=cv2.INTER_CUBIC)
    out, matrix = geo.straighten(photo, corners[[2, 0, 3, 1]], width=200, height=100)
    assert out.shape == (100, 200) and matrix.shape == (3, 3)
    inner = (slice(3, -3), slice(3, -3))  # edges blend with the background
    error = np.abs(out[inner].astype(int) - page[inner])
    assert error.mean() < 6
    assert np.corrcoef(out[inner].ravel(), page[inner].ravel())[0, 1] > 0.95


def test_straighten_picks_size_from_the_edges():
    image = noise((200, 300, 3))
    out, _ = geo.straighten(image, [(10, 10), (110, 10), (110, 60), (10, 60)])
    # Axis-aligned corners: a plain crop, corners included.
    assert out.shape == (51, 101, 3)
    np.testing.assert_array_equal(out, image[10:61, 10:111])


# --- zoom -----------------------------------------------------------------------------


def test_enlarge_window_nearest_makes_squares_and_every_interpolation_is_there():
    image = noise((20, 30, 3), seed=9)
    out = geo.enlarge_window(image, row=8, col=10, size=4, factor=5)
    assert list(out) == list(geo.INTERPOLATIONS)
    expected = np.kron(image[6:10, 8:12], np.ones((5, 5, 1), dtype=np.uint8))  # rows 6-9, columns 8-11
    np.testing.assert_array_equal(out["nearest"], expected)
    np.testing.assert_array_equal(out["cubic"], cv2.resize(image[6:10, 8:12], (20, 20), interpolation=cv2.INTER_CUBIC))


def test_enlarge_window_slides_inside_the_image():
    image = noise((5, 30), seed=3)
    # At the bottom-right corner the 8 x 8 window slides in; the image is only 5 rows high.
    out = geo.enlarge_window(image, row=4, col=29, size=8, factor=2)
    np.testing.assert_array_equal(out["nearest"][::2, ::2], image[0:5, 22:30])


def test_follow_pixel_by_hand():
    shift = np.array([[1.0, 0.0, 2.5], [0.0, 1.0, -1.0]])
    path = geo.follow_pixel(shift, (3, 4), size=(10, 10))
    assert path.landing == (5.5, 3.0) and path.nearest == (6, 3) and path.source == (3.5, 4.0) and path.inside
    assert not geo.follow_pixel(shift, (9, 0), size=(10, 10)).inside  # lands at (11.5, -1)


@SETTINGS
@given(st.floats(-180, 180, allow_nan=False), st.integers(0, 20), st.integers(0, 20))
def test_follow_pixel_source_maps_back_onto_the_nearest_output_pixel(angle, x, y):
    matrix, size = geo.rotation_matrix((21, 21), angle=angle, expand=True)
    path = geo.follow_pixel(matrix, (x, y), size=size)
    np.testing.assert_allclose(geo.transform_point(matrix, path.source), path.nearest, atol=1e-6)
    assert abs(path.nearest[0] - path.landing[0]) <= 0.5 and abs(path.nearest[1] - path.landing[1]) <= 0.5
    assert path.inside == (0 <= path.nearest[0] < size[0] and 0 <= path.nearest[1] < size[1])


# --- contracts and errors --------------------------------------------------------------


@SETTINGS
@given(
    images,
    st.floats(-180, 180, allow_nan=False),
    st.booleans(),
    st.sampled_from(sorted(geo.BORDERS)),
)
def test_rotate_contract(image, angle, expand, border):
    out = geo.rotate(image, angle=angle, expand=expand, border=border)
    assert out.dtype == np.uint8 and out.ndim == image.ndim
    if not expand:
        assert out.shape == image.shape


@SETTINGS
@given(images, st.integers(1, 20), st.integers(1, 20), st.sampled_from(sorted(geo.INTERPOLATIONS)))
def test_resize_contract(image, width, height, interpolation):
    out = geo.resize(image, width=width, height=height, interpolation=interpolation)
    assert out.shape == (height, width, *image.shape[2:]) and out.dtype == np.uint8


@SETTINGS
@given(images, st.sampled_from(sorted(geo.FLIP_DIRECTIONS)))
def test_flip_twice_is_identity(image, direction):
    once = geo.flip(image, direction=direction)
    assert once.shape == image.shape
    np.testing.assert_array_equal(geo.flip(once, direction=direction), image)


@SETTINGS
@given(images, st.integers(0, 20), st.integers(0, 20), st.integers(1, 12), st.integers(1, 6))
def test_enlarge_window_contract(image, col, row, size, factor):
    height, width = image.shape[:2]
    col, row = min(col, width - 1), min(row, height - 1)
    rows, cols = min(size, height), min(size, width)
    out = geo.enlarge_window(image, row=row, col=col, size=size, factor=factor)
    for picture in out.values():
        assert picture.shape == (rows * factor, cols * factor, *image.shape[2:]) and picture.dtype == np.uint8
    # Nearest neighbour repeats the window's pixels; the window holds (row, col).
    window = out["nearest"][::factor, ::factor]
    assert any((window == image[top:top + rows, left:left + cols]).all()
               for top in range(max(0, row - rows + 1), min(row, height - rows) + 1)
               for left in range(max(0, col - cols + 1), min(col, width - cols) + 1))


IMG = np.zeros((10, 10, 3), dtype=np.uint8)


@pytest.mark.parametrize(
    ("call", "param"),
    [
        (lambda: geo.resize(IMG, width=0, height=5), "width"),
        (lambda: geo.resize(IMG, width=5, height=5, interpolation="bilinear"), "interpolation"),
        (lambda: geo.resize(IMG, width=20_000, height=20_000), "output"),
        (lambda: geo.resize(IMG.astype(np.float32), width=5, height=5), "image"),
        (lambda: geo.scale(IMG, factor=0), "factor"),
        (lambda: geo.rotate(IMG, angle=float("nan")), "angle"),
        (lambda: geo.rotate(IMG, angle=10, border="mirror"), "border"),
        (lambda: geo.rotate(IMG, angle=10, border_value=300), "border_value"),
        (lambda: geo.translate(IMG, tx=float("inf"), ty=0), "tx"),
        (lambda: geo.flip(IMG, direction="diagonal"), "direction"),
        (lambda: geo.warp_affine(IMG, np.eye(3)), "matrix"),
        (lambda: geo.warp_perspective(IMG, np.eye(2, 3)), "matrix"),
        (lambda: geo.warp_affine(IMG, np.eye(2, 3), size=(0, 4)), "size"),
        (lambda: geo.transform_point(np.eye(2, 3), (1, 2, 3)), "point"),
        (lambda: geo.affine_from_points([(0, 0), (1, 1), (2, 2)], [(0, 0), (1, 0), (0, 1)]), "src"),
        (lambda: geo.affine_from_points([(0, 0), (1, 0), (0, 1)], [(0, 0), (1, 0)]), "dst"),
        (
            lambda: geo.perspective_from_points(
                [(0, 0), (5, 0), (5, 5), (0, 5)], [(0, 0), (1, 0), (2, 0), (0, 1)]
            ),
            "dst",
        ),
        (lambda: geo.order_corners([(0, 0), (1, 0), (1, 1)]), "corners"),
        (lambda: geo.straighten(IMG, [(0, 0), (0, 0), (0, 0), (0, 0)]), "output|src"),
        (lambda: geo.enlarge_window(IMG, row=0, col=10), "col"),
        (lambda: geo.enlarge_window(IMG, row=0, col=0, factor=0), "factor"),
        (lambda: geo.enlarge_window(IMG, row=0, col=0, size=0), "size"),
        (lambda: geo.follow_pixel(np.zeros((2, 3)), (0, 0), size=(5, 5)), "singular"),
        (lambda: geo.compose_affine(), "matrices"),
        (lambda: geo.rotation_matrix((0, 5), angle=5), "shape"),
    ],
)
def test_bad_arguments_raise_value_error_naming_the_parameter(call, param):
    with pytest.raises(ValueError, match=param):
        call()


# --- forward mapping and looking closer -------------------------------------------


def test_forward_map_of_an_integer_shift_is_the_shifted_image():
    image = noise((6, 7, 3))
    out, holes = geo.forward_map(image, geo.translation_matrix(tx=2, ty=1))
    expected = np.zeros_like(image)
    expected[1:, 2:] = image[:-1, :-2]
    np.testing.assert_array_equal(out, expected)
    assert holes == 0.0


def test_forward_map_leaves_holes_when_enlarging():
    image = np.full((4, 4), 200, np.uint8)
    matrix = np.array([[2.0, 0, 0], [0, 2.0, 0]])  # pixel (x, y) lands on (2x, 2y)
    out, holes = geo.forward_map(image, matrix, size=(8, 8))
    expected = np.zeros((8, 8), np.uint8)
    expected[::2, ::2] = 200
    np.testing.assert_array_equal(out, expected)
    # Backward, OpenCV finds a source for output 0..6 on each axis (7 / 2 = 3.5 falls outside):
    # 49 covered pixels, of which the 16 landing spots are hit.
    assert holes == pytest.approx((49 - 16) / 49)


def test_forward_map_agrees_with_transform_point():
    image = noise((20, 30))
    matrix, size = geo.rotation_matrix(image.shape, angle=30, expand=True)
    out, holes = geo.forward_map(image, matrix, size=size)
    x, y = geo.transform_point(matrix, (7, 11))
    # Several inputs can land on one output; the pixel there came from some input whose landing rounds to it.
    assert out.shape == (size[1], size[0])
    assert 0 < holes < 0.5  # a turn leaves gaps between the rounded landing spots
    assert out[round(y), round(x)] in image


@pytest.mark.parametrize("kind", ["rotation", "perspective"])
def test_forward_map_is_a_pixel_by_pixel_push(kind):
    # From scratch: visit the input pixels in order, push each to its rounded landing spot (the last one wins).
    image = noise((9, 13, 3))
    if kind == "rotation":
        matrix, size = geo.rotation_matrix(image.shape, angle=33, expand=True)
    else:
        matrix, size = geo.perspective_from_points([[0, 0], [12, 0], [12, 8], [0, 8]],
                                                   [[3, 0], [9, 0], [12, 8], [0, 8]]), (13, 9)
    expected = np.zeros((size[1], size[0], 3), np.uint8)
    for y in range(image.shape[0]):
        for x in range(image.shape[1]):
            tx, ty = geo.transform_point(matrix, (x, y))
            col, row = int(np.round(tx)), int(np.round(ty))
            if 0 <= col < size[0] and 0 <= row < size[1]:
                expected[row, col] = image[y, x]
    out, _ = geo.forward_map(image, matrix, size=size)
    np.testing.assert_array_equal(out, expected)


def test_outside_share_counts_the_border():
    shape = (10, 20)
    assert geo.outside_share(shape, geo.translation_matrix(tx=5, ty=0)) == pytest.approx(5 / 20)
    assert geo.outside_share(shape, geo.translation_matrix(tx=0, ty=0)) == 0.0
    matrix, size = geo.rotation_matrix((50, 50), angle=45)
    share = geo.outside_share((50, 50), matrix, size=size)
    # The corners of the frame beyond the turned square: 1 - area inside, about 1 - ... (4 triangles)
    assert 0.15 < share < 0.2  # exact continuous value 3 - 2 * sqrt(2) = 0.1716
    perspective = geo.perspective_from_points([(0, 0), (9, 0), (9, 9), (0, 9)], [(2, 0), (7, 0), (9, 9), (0, 9)])
    assert 0 < geo.outside_share((10, 10), perspective) < 0.5


def test_mark_points_draws_rings_on_a_colour_copy():
    image = np.zeros((50, 50), np.uint8)
    out = geo.mark_points(image, [(25, 25), (1000, 1000), (float("nan"), 3)])
    assert out.shape == (50, 50, 3) and image.max() == 0
    assert (out == (255, 191, 0)).all(axis=2).any()
    assert out[25, 25].max() == 0  # a ring, not a dot: the centre stays visible


def test_invert_matrix_matches_opencv_and_undoes_the_map():
    matrix, _ = geo.rotation_matrix((40, 60), angle=30, expand=True)
    inverse = geo.invert_matrix(matrix)
    np.testing.assert_allclose(inverse, cv2.invertAffineTransform(matrix), atol=1e-12)
    x, y = geo.transform_point(matrix, (12.0, 7.0))
    np.testing.assert_allclose(geo.transform_point(inverse, (x, y)), (12.0, 7.0), atol=1e-9)
    perspective = geo.perspective_from_points([(0, 0), (9, 0), (9, 9), (0, 9)], [(2, 0), (7, 0), (9, 9), (0, 9)])
    back = geo.invert_matrix(perspective)
    np.testing.assert_allclose(geo.transform_point(back, geo.transform_point(perspective, (3, 4))), (3, 4), atol=1e-9)
    with pytest.raises(ValueError, match="matrix"):
        geo.invert_matrix(np.zeros((2, 3)))
