"""Tests for processing.features.

References: ``cv2.HoughLinesWithAccumulator`` for the NumPy accumulator (votes and local peaks); a
synthetic test card with known lines (ρ, θ) and circles (centre, radius); a from-scratch NumPy Harris
(Sobel, window sums, ``det - k trace²`` with OpenCV's scaling and reflected borders) on small arrays;
a from-scratch NumPy squared difference for template matching and a patch pasted at a known position;
scikit-image's Shi-Tomasi measure; hand-computed values.
"""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from skimage import data
from skimage import feature as sk_feature

from processing import features as ft
from processing.edges import canny_opencv


@pytest.fixture(scope="module")
def camera():
    return data.camera()


@pytest.fixture(scope="module")
def camera_edges(camera):
    return canny_opencv(camera, sigma=2.0, low=50, high=100)


# --------------------------------------------------------------------------- lines


def opencv_lines(edges, rho_step, theta_step, threshold):
    found = cv2.HoughLinesWithAccumulator(edges.astype(np.uint8) * 255, rho_step, np.deg2rad(theta_step), threshold)
    return np.zeros((0, 3)) if found is None else found.reshape(-1, 3)


@pytest.mark.parametrize(("rho_step", "theta_step"), [(1, 1), (2, 0.5), (1.5, 1), (5, 4), (1, 3)])
def test_accumulator_votes_are_opencvs(camera_edges, rho_step, theta_step):
    space = ft.hough_space(camera_edges, rho_step=rho_step, theta_step=theta_step)
    lines = opencv_lines(camera_edges, rho_step, theta_step, 80)
    assert len(lines) > 5
    for rho, theta, votes in lines:
        t = int(round(theta / np.deg2rad(theta_step)))
        r = int(round((rho - space.rhos[0]) / rho_step))
        assert space.votes[t, r] == votes
        assert space.rhos[r] == pytest.approx(rho) and space.thetas[t] == pytest.approx(theta, abs=1e-5)


def test_opencvs_lines_are_the_accumulators_local_peaks(camera_edges):
    """OpenCV keeps a cell above the threshold that beats its left and upper neighbours and ties at least the
    right and lower ones (ρ across, θ down, the θ axis not wrapped)."""
    space = ft.hough_space(camera_edges)
    votes = np.pad(space.votes, 1)
    centre = votes[1:-1, 1:-1]
    peaks = ((centre > 100) & (centre > votes[1:-1, :-2]) & (centre >= votes[1:-1, 2:])
             & (centre > votes[:-2, 1:-1]) & (centre >= votes[2:, 1:-1]))
    ours = {(round(float(space.rhos[r])), t) for t, r in zip(*np.nonzero(peaks))}
    theirs = {(round(float(rho)), int(round(theta / np.deg2rad(1)))) for rho, theta, _ in opencv_lines(
        camera_edges, 1, 1, 100)}
    assert ours == theirs


def test_hough_lines_returns_the_strongest_first(camera_edges):
    result = ft.hough_lines(camera_edges, threshold=100, max_lines=5)
    assert result.found == len(opencv_lines(camera_edges, 1, 1, 100)) > 5
    assert result.lines.shape == (5, 3)
    assert (np.diff(result.lines[:, 2]) <= 0).all()


def test_known_lines_are_found_from_their_pixels():
    card = ft.known_lines_and_circles()
    lines = ft.hough_lines(card > 128, threshold=150, max_lines=10).lines  # the lines' own pixels (and discs)
    for rho, theta in ft.KNOWN_LINES:
        distances = [abs(r - rho) + 10 * abs(np.rad2deg(t) - theta) for r, t, _ in lines[:4]]
        best = lines[int(np.argmin(distances))]
        assert abs(best[0] - rho) <= 1.5 and abs(np.rad2deg(best[1]) - theta) <= 1.0


def test_known_lines_are_found_through_canny_as_two_edges():
    """A line 3 pixels wide has an edge on either side: two peaks, ρ about 2 pixels either side of the truth."""
    card = ft.known_lines_and_circles()
    lines = ft.hough_lines(canny_opencv(card, sigma=1.4, low=50, high=100), threshold=150, max_lines=4).lines
    for rho, theta in ft.KNOWN_LINES:
        near = [(r, np.rad2deg(t)) for r, t, _ in lines if abs(np.rad2deg(t) - theta) <= 1.0]
        assert len(near) == 2
        assert abs(np.mean([r for r, _ in near]) - rho) <= 1.0
        assert all(abs(r - rho) <= 3.5 for r, _ in near)


def test_segments_lie_on_the_known_lines():
    card = ft.known_lines_and_circles()
    segments = ft.hough_segments(card > 128, threshold=80, min_length=100, max_gap=5)
    assert len(segments) >= 2
    for x1, y1, x2, y2 in segments:  # inside the 3-pixel band of a true line, give or take two pixels
        middle = [abs(ft.rho_of((x1 + x2) / 2, (y1 + y2) / 2, theta=theta) - rho) for rho, theta in ft.KNOWN_LINES]
        assert min(middle) <= 3.5
        line = ft.KNOWN_LINES[int(np.argmin(middle))]
        assert all(abs(ft.rho_of(x, y, theta=line[1]) - line[0]) <= 4.0 for x, y in ((x1, y1), (x2, y2)))


def test_rho_of_by_hand():
    assert ft.rho_of(30, 40, theta=0) == pytest.approx(30)
    assert ft.rho_of(30, 40, theta=90) == pytest.approx(40)
    assert ft.rho_of(30, 40, theta=60) == pytest.approx(15 + 20 * np.sqrt(3))


def test_pictures_of_lines_and_the_accumulator(camera, camera_edges):
    result = ft.hough_lines(camera_edges, threshold=120)
    drawn = ft.draw_lines(camera, result.lines)
    assert drawn.shape == (512, 512, 3) and (drawn != camera[..., None]).any()
    picture = ft.accumulator_picture(ft.hough_space(camera_edges), result.lines, height=200)
    assert picture.shape == (200, 360, 3) and picture.dtype == np.uint8
    assert ft.draw_segments(camera, np.array([[0, 0, 10, 10]])).shape == (512, 512, 3)
    assert ft.draw_lines(camera, np.zeros((0, 3))).shape == (512, 512, 3)


def test_resolution_table_trades_cells_for_accuracy():
    rows = ft.hough_resolution()
    assert [row.cells for row in rows] == sorted((row.cells for row in rows), reverse=True)
    assert rows[0].angle_error <= 0.25 and rows[-1].angle_error <= 5.0
    assert all(row.milliseconds > 0 for row in rows)


# --------------------------------------------------------------------------- circles


def test_known_circles_are_found():
    card = ft.known_lines_and_circles()
    found = ft.find_circles(card, min_radius=15, max_radius=60, threshold=30)
    assert found.count == len(ft.KNOWN_CIRCLES)
    for x, y, r in ft.KNOWN_CIRCLES:
        distance = np.hypot(found.circles[:, 0] - x, found.circles[:, 1] - y)
        best = int(np.argmin(distance))
        assert distance[best] <= 1.5 and abs(found.circles[best, 2] - r) <= 1.5
    assert (found.votes > 30).all()


def test_all_coins_can_be_found():
    coins = data.coins()
    assert ft.find_circles(coins, min_radius=15, max_radius=40, threshold=25).count == ft.COINS_COUNT
    assert ft.find_circles(coins, min_radius=15, max_radius=40, threshold=30).count < ft.COINS_COUNT


def test_noise_makes_false_lines_and_circles():
    scores = []
    for noise in (0.0, 30.0):
        card = ft.known_lines_and_circles(noise=noise)
        lines = ft.hough_lines(canny_opencv(card, sigma=1.0, low=50, high=100), threshold=60, max_lines=500)
        circles = ft.find_circles(card, min_radius=15, max_radius=60, threshold=20, blur=1.0)
        scores.append(ft.card_score(lines.lines, circles.circles))
    clean, noisy = scores
    assert clean[1] == 0 and clean[3] == 0 and clean[0] >= 2 and clean[2] == 2  # everything found is real
    assert noisy[1] > 10 and noisy[3] > 10  # noise: false lines and circles


def test_card_score_by_hand():
    (rho, theta), (x, y, r) = ft.KNOWN_LINES[0], ft.KNOWN_CIRCLES[0]
    lines = np.array([[rho + 1, np.deg2rad(theta)], [rho + 20, np.deg2rad(theta)]])
    circles = np.array([[x + 1, y, r], [5, 5, 20]])
    assert ft.card_score(lines, circles) == (1, 1, 1, 1)


def test_draw_circles():
    picture = ft.draw_circles(np.zeros((50, 50), np.uint8), np.array([[25, 25, 10]]))
    assert picture[25, 35].tolist() != [0, 0, 0] and picture[25, 25].tolist() != [0, 0, 0]


# --------------------------------------------------------------------------- corners


def harris_from_scratch(grey, block_size, ksize, k):
    """Harris with NumPy only: Sobel by explicit kernels, reflected (101) borders, window sums, det - k trace²."""
    assert ksize == 3
    image = grey.astype(np.float64)
    scale = 1.0 / ((1 << (ksize - 1)) * block_size * 255.0)
    padded = np.pad(image, 1, mode="reflect")  # NumPy's "reflect" is OpenCV's BORDER_REFLECT_101
    smooth, diff = np.array([1, 2, 1]), np.array([-1, 0, 1])
    h, w = image.shape
    ix = sum(smooth[i] * diff[j] * padded[i:i + h, j:j + w] for i in range(3) for j in range(3)) * scale
    iy = sum(diff[i] * smooth[j] * padded[i:i + h, j:j + w] for i in range(3) for j in range(3)) * scale
    # OpenCV anchors the window at block_size // 2: that many pixels before the centre, the rest after.
    before = block_size // 2
    after = block_size - 1 - before
    sums = []
    for product in (ix * ix, ix * iy, iy * iy):
        p = np.pad(product, (before, after), mode="reflect")
        sums.append(sum(p[i:i + h, j:j + w] for i in range(block_size) for j in range(block_size)))
    a, b, c = sums
    return a * c - b * b - k * (a + c) ** 2


@given(st.integers(0, 10**6), st.sampled_from([2, 3, 5]), st.floats(0.02, 0.2))
@settings(max_examples=30, deadline=None)
def test_harris_matches_numpy_from_scratch(seed, block_size, k):
    rng = np.random.default_rng(seed)
    grey = rng.integers(0, 256, (rng.integers(6, 20), rng.integers(6, 20)), dtype=np.uint8)
    ours = ft.harris_response(grey, block_size=block_size, ksize=3, k=k)
    reference = harris_from_scratch(grey, block_size, 3, k)
    np.testing.assert_allclose(ours, reference, rtol=1e-4, atol=1e-6 * np.abs(reference).max())


def test_structure_tensor_gives_the_response_at_its_pixel(camera):
    response = ft.harris_response(camera, block_size=3, k=0.05)
    for row, col in ((100, 100), (300, 250), (0, 511)):
        tensor = ft.structure_tensor(camera, row=row, col=col, block_size=3, k=0.05)
        assert tensor.response == pytest.approx(float(response[row, col]), rel=1e-4, abs=1e-9)
        assert tensor.small <= tensor.large
        assert tensor.small * tensor.large == pytest.approx(tensor.a * tensor.c - tensor.b ** 2, rel=1e-6, abs=1e-12)


def test_a_square_has_four_corners():
    grey = np.zeros((60, 80), np.uint8)
    grey[20:40, 30:55] = 255
    corners = ft.harris_corners(ft.harris_response(grey), threshold=0.1)
    assert len(corners) == 4
    for row, col in ((20, 30), (20, 54), (39, 30), (39, 54)):
        assert np.hypot(*(corners - (row, col)).T).min() <= 1.5
    assert len(ft.harris_corners(ft.harris_response(grey), threshold=0.1, suppress=False)) > 4


def test_suppression_keeps_one_pixel_of_a_tie():
    response = np.zeros((9, 9), np.float32)
    response[4:6, 4:6] = 1.0  # four equal pixels
    assert ft.harris_corners(response, threshold=0.5).tolist() == [[4, 4]]


def test_checkerboard_inner_corners():
    from processing.samples import load_sample

    board = load_sample("checkerboard")
    assert len(ft.harris_corners(ft.harris_response(board))) == 39 * 39


def test_shi_tomasi_corners_are_peaks_of_the_smaller_eigenvalue(camera):
    corners = ft.shi_tomasi_corners(camera, max_corners=50, quality=0.05, min_distance=10)
    measure = sk_feature.corner_shi_tomasi(camera, sigma=1)
    assert len(corners) == 50
    assert np.median(measure[corners[:, 0], corners[:, 1]]) > np.percentile(measure, 99)


def test_rotation_keeps_more_corners_than_halving(camera):
    rotated = ft.corner_change(camera, angle=30)
    halved = ft.corner_change(camera, scale=0.5)
    same = ft.corner_change(camera)
    assert same.kept == same.before > 50
    assert rotated.share > halved.share
    assert halved.picture.shape == (256, 256, 3)


def test_response_picture_colours():
    response = np.array([[1.0, -1.0, 0.0]], np.float32)
    picture = ft.response_picture(response)
    assert picture[0, 0, 0] == 255 and picture[0, 1, 2] == 255 and picture[0, 2].tolist() == [0, 0, 0]


# --------------------------------------------------------------------------- templates


def sqdiff_from_scratch(image, template):
    h, w = template.shape
    out = np.empty((image.shape[0] - h + 1, image.shape[1] - w + 1))
    for r in range(out.shape[0]):
        for c in range(out.shape[1]):
            out[r, c] = ((image[r:r + h, c:c + w].astype(float) - template) ** 2).sum()
    return out


def test_squared_difference_matches_numpy():
    rng = np.random.default_rng(3)
    image = rng.integers(0, 256, (20, 24), dtype=np.uint8)
    template = rng.integers(0, 256, (5, 7), dtype=np.uint8)
    match = ft.match_template(image, template, method="sqdiff")
    np.testing.assert_allclose(match.scores, sqdiff_from_scratch(image, template), rtol=1e-5)


@given(st.integers(0, 10**6))
@settings(max_examples=20, deadline=None)
def test_a_pasted_patch_is_found_where_it_was_pasted(seed):
    rng = np.random.default_rng(seed)
    image = rng.integers(0, 256, (60, 80), dtype=np.uint8)
    patch = rng.integers(0, 256, (12, 12), dtype=np.uint8)
    top, left = int(rng.integers(0, 48)), int(rng.integers(0, 68))
    image[top:top + 12, left:left + 12] = patch
    for method in ("sqdiff", "ccoeff_normed"):
        match = ft.match_template(image, patch, method=method)
        assert (match.top, match.left) == (top, left)
    assert ft.match_template(image, patch, method="ccoeff_normed").best == pytest.approx(1.0, abs=1e-4)


def test_plain_correlation_prefers_bright_places():
    image = np.full((40, 40), 50, np.uint8)
    image[5:15, 5:15] = np.arange(100, dtype=np.uint8).reshape(10, 10) + 50  # the patch
    image[25:35, 25:35] = 255  # a white square
    patch = image[5:15, 5:15].copy()
    assert (ft.match_template(image, patch, method="ccorr").top, ) != (5, )
    assert (ft.match_template(image, patch, method="ccoeff_normed").top,
            ft.match_template(image, patch, method="ccoeff_normed").left) == (5, 5)


def test_cut_template_stays_inside():
    grey = np.arange(100, dtype=np.uint8).reshape(10, 10)
    patch, top, left = ft.cut_template(grey, row=0, col=9, size=4)
    assert (top, left) == (0, 6) and patch.tolist() == grey[0:4, 6:10].tolist()
    patch, top, left = ft.cut_template(grey, row=5, col=5, size=40)
    assert patch.shape == (10, 10) and (top, left) == (0, 0)


def test_template_change(camera):
    unchanged = ft.template_change(camera, row=300, col=250, size=32)
    assert unchanged.score == pytest.approx(1.0, abs=1e-4) and unchanged.error == pytest.approx(0.0, abs=1e-6)
    rotated = ft.template_change(camera, row=300, col=250, size=32, angle=45)
    assert rotated.error > 20 and rotated.label == "rotated 45°"  # found, confidently, somewhere else
    pictures = ft.score_picture(ft.match_template(camera, camera[10:42, 10:42]), size=(32, 32))
    assert pictures.shape == (512, 512, 3)


# --------------------------------------------------------------------------- contracts and bad arguments


@given(st.integers(1, 30), st.integers(1, 30), st.integers(0, 10**6))
@settings(max_examples=30, deadline=None)
def test_contracts_on_small_images(height, width, seed):
    grey = np.random.default_rng(seed).integers(0, 256, (height, width), dtype=np.uint8)
    edges = grey > 128
    space = ft.hough_space(edges)
    assert space.votes.dtype == np.int32 and space.votes.shape == (space.thetas.size, space.rhos.size)
    assert space.votes.sum() == np.count_nonzero(edges) * space.thetas.size
    assert ft.hough_lines(edges, threshold=1).lines.shape[1] == 3
    assert ft.hough_segments(edges, threshold=1).shape[1] == 4
    response = ft.harris_response(grey)
    assert response.shape == grey.shape and response.dtype == np.float32
    assert ft.harris_corners(response).shape[1] == 2
    assert ft.find_circles(grey, min_radius=1, max_radius=5).circles.shape[1] == 3
    patch, _, _ = ft.cut_template(grey, row=height // 2, col=width // 2, size=5)
    for method in ft.MATCH_METHODS:
        match = ft.match_template(grey, patch, method=method)
        assert match.scores.shape == (height - patch.shape[0] + 1, width - patch.shape[1] + 1)


@pytest.mark.parametrize(("call", "name"), [
    (lambda: ft.hough_space(np.zeros((5, 5), np.uint8)), "edges"),
    (lambda: ft.hough_space(np.zeros((5, 5), bool), theta_step=0), "theta_step"),
    (lambda: ft.hough_lines(np.zeros((5, 5), bool), threshold=0), "threshold"),
    (lambda: ft.hough_segments(np.zeros((5, 5), bool), max_gap=-1), "max_gap"),
    (lambda: ft.find_circles(np.zeros((5, 5), np.uint8), min_radius=10, max_radius=5), "max_radius"),
    (lambda: ft.harris_response(np.zeros((5, 5), np.uint8), ksize=4), "ksize"),
    (lambda: ft.harris_response(np.zeros((5, 5, 3), np.uint8)), "grey"),
    (lambda: ft.harris_corners(np.zeros((5, 5)), threshold=0.1), "response"),
    (lambda: ft.match_template(np.zeros((5, 5), np.uint8), np.zeros((6, 2), np.uint8)), "template"),
    (lambda: ft.match_template(np.zeros((5, 5), np.uint8), np.zeros((2, 2), np.uint8), method="x"), "method"),
    (lambda: ft.corner_change(np.zeros((9, 9), np.uint8), scale=10), "scale"),
    (lambda: ft.template_change(np.zeros((9, 9), np.uint8), row=0, col=0, size=4, scale=3), "scale"),
    (lambda: ft.known_lines_and_circles(noise=-1), "noise"),
])
def test_bad_arguments_are_named(call, name):
    with pytest.raises(ValueError, match=name):
        call()
