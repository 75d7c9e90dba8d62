"""Tests for processing.edges.

References: scipy.ndimage (sobel, prewitt, correlate, laplace, gaussian_filter,
label), skimage.color.hsv2rgb, cv2.Canny for the staged Canny, and hand-computed
arrays for directions, zero crossings and non-maximum suppression.
"""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import ndimage
from skimage import color, data

from processing import edges


@pytest.fixture(scope="module")
def camera():
    return data.camera()[80:280, 120:360].copy()  # 200 x 240 grey


@pytest.fixture(scope="module")
def coins():
    return data.coins()[:150, :200].copy()


def grey_images(min_side=1, max_side=16):
    return st.tuples(
        st.integers(min_side, max_side), st.integers(min_side, max_side), st.integers(0, 10**6)
    ).map(lambda t: np.random.default_rng(t[2]).integers(0, 256, (t[0], t[1]), dtype=np.uint8))


# --------------------------------------------------------------------------- gradients


def test_sobel_and_prewitt_match_scipy(camera):
    image = camera.astype(np.float64)
    for operator, reference in (("sobel", ndimage.sobel), ("prewitt", ndimage.prewitt)):
        gx, gy = edges.gradients(camera, operator=operator)
        assert gx.dtype == gy.dtype == np.float32
        np.testing.assert_array_equal(gx, reference(image, axis=1, mode="mirror"))
        np.testing.assert_array_equal(gy, reference(image, axis=0, mode="mirror"))


def test_scharr_matches_hand_kernel(camera):
    kernel = np.array([[-3, 0, 3], [-10, 0, 10], [-3, 0, 3]], dtype=np.float64)
    gx, gy = edges.gradients(camera, operator="scharr")
    np.testing.assert_array_equal(
        gx, ndimage.correlate(camera.astype(np.float64), kernel, mode="mirror")
    )
    np.testing.assert_array_equal(
        gy, ndimage.correlate(camera.astype(np.float64), kernel.T, mode="mirror")
    )


def test_gradient_signs_and_extremes():
    step = np.zeros((5, 6), dtype=np.uint8)
    step[:, 3:] = 255
    gx, gy = edges.gradients(step)
    assert gx.max() == 1020 and gx.min() == 0  # brighter to the right: positive
    assert np.all(gy == 0)
    gx, gy = edges.gradients(step.T.copy())
    assert gy.max() == 1020 and np.all(gx == 0)


def test_magnitude_and_direction_hand_values():
    gx = np.array([3.0, 1.0, 0.0, -1.0, 0.0, 0.0, 1.0, -1e-9])
    gy = np.array([4.0, 0.0, 1.0, 0.0, -1.0, 0.0, 1.0, -1e-9])
    np.testing.assert_allclose(
        edges.gradient_magnitude(gx, gy),
        [5, 1, 1, 1, 1, 0, np.sqrt(2), np.sqrt(2) * 1e-9],
        rtol=1e-6,
    )
    direction = edges.gradient_direction(gx, gy)
    assert direction.dtype == np.float32
    np.testing.assert_allclose(direction[1:7], [0, 90, 180, 270, 0, 45], atol=1e-5)
    assert direction[0] == pytest.approx(np.degrees(np.arctan2(4, 3)), abs=1e-4)
    assert 0 <= direction[7] < 360


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.floats(-2000, 2000, allow_nan=False), min_size=2, max_size=40).filter(
        lambda v: len(v) % 2 == 0
    )
)
def test_direction_range_property(values):
    gx, gy = np.array(values[::2]), np.array(values[1::2])
    direction = edges.gradient_direction(gx, gy)
    assert np.all((direction >= 0) & (direction < 360))


def test_direction_to_rgb_matches_skimage_hsv():
    angles = np.radians(np.arange(0, 360, 15, dtype=np.float64))
    gx = (np.cos(angles) * 100)[None, :]
    gy = (np.sin(angles) * 100)[None, :]
    gx[0, 0], gy[0, 0] = 50, 0  # half magnitude: half brightness
    rgb = edges.direction_to_rgb(gx, gy)
    assert rgb.dtype == np.uint8 and rgb.shape == (1, 24, 3)
    hsv = np.stack([np.degrees(angles) / 360, np.ones(24), np.hypot(gx, gy)[0] / 100], axis=-1)[
        None
    ]
    expected = color.hsv2rgb(hsv) * 255
    # Hue is stored in 2-degree steps by OpenCV: allow a few levels.
    assert np.abs(rgb.astype(np.float64) - expected).max() <= 5
    assert np.abs(rgb[0, 8].astype(int) - (0, 255, 0)).max() <= 2  # 120° is green
    np.testing.assert_array_equal(
        edges.direction_to_rgb(np.zeros((3, 3)), np.zeros((3, 3))), np.zeros((3, 3, 3))
    )


def test_direction_to_rgb_max_magnitude_clips():
    gx = np.array([[10.0, 40.0]])
    rgb = edges.direction_to_rgb(gx, np.zeros_like(gx), max_magnitude=20)
    np.testing.assert_array_equal(rgb, [[[128, 0, 0], [255, 0, 0]]])


@pytest.mark.parametrize("operator", edges.OPERATORS)
def test_pixel_gradient_equals_full_gradients(coins, operator):
    gx, gy = edges.gradients(coins, operator=operator)
    height, width = coins.shape
    for row, col in [
        (0, 0),
        (0, width - 1),
        (height - 1, 0),
        (height - 1, width - 1),
        (0, 7),
        (9, 0),
        (75, 100),
    ]:
        vector = edges.pixel_gradient(coins, row=row, col=col, operator=operator)
        assert vector.gx == gx[row, col] and vector.gy == gy[row, col]
        assert vector.magnitude == pytest.approx(np.hypot(gx[row, col], gy[row, col]))
        expected_angle = edges.gradient_direction(
            gx[row : row + 1, col : col + 1], gy[row : row + 1, col : col + 1]
        )
        assert vector.angle == pytest.approx(float(expected_angle[0, 0]), abs=1e-3)
        assert vector.neighbourhood.shape == (3, 3)


@settings(max_examples=30, deadline=None)
@given(grey_images(), st.sampled_from(edges.OPERATORS))
def test_gradients_contract(image, operator):
    gx, gy = edges.gradients(image, operator=operator)
    assert gx.shape == gy.shape == image.shape
    assert gx.dtype == gy.dtype == np.float32
    assert edges.gradient_magnitude(gx, gy).min() >= 0
    assert edges.direction_to_rgb(gx, gy).shape == image.shape + (3,)


# --------------------------------------------------------------------------- Laplacian


def test_laplacian_matches_scipy(camera):
    np.testing.assert_array_equal(
        edges.laplacian(camera), ndimage.laplace(camera.astype(np.float64), mode="mirror")
    )
    kernel = np.array([[2, 0, 2], [0, -8, 0], [2, 0, 2]], dtype=np.float64)
    np.testing.assert_array_equal(
        edges.laplacian(camera, ksize=3),
        ndimage.correlate(camera.astype(np.float64), kernel, mode="mirror"),
    )


@pytest.mark.parametrize("sigma", [1.0, 2.5])
def test_laplacian_of_gaussian_matches_scipy(camera, sigma):
    blurred = ndimage.gaussian_filter(camera.astype(np.float64), sigma, mode="mirror", truncate=4.0)
    reference = ndimage.laplace(blurred, mode="mirror")
    result = edges.laplacian_of_gaussian(camera, sigma=sigma)
    assert result.dtype == np.float32
    np.testing.assert_allclose(result, reference, atol=2e-3)


def test_zero_crossings_hand_cases():
    response = np.array(
        [
            [3.0, -1.0, -2.0],
            [0.0, 0.0, 0.0],
            [1.0, 0.0, -1.0],
        ]
    )
    expected = np.array([[0, 1, 0], [0, 0, 0], [0, 1, 0]], dtype=bool)
    np.testing.assert_array_equal(edges.zero_crossings(response), expected)
    # Slope of the top crossing is 4, of the zero in the bottom row 2.
    np.testing.assert_array_equal(
        edges.zero_crossings(response, threshold=3), [[0, 1, 0], [0, 0, 0], [0, 0, 0]]
    )
    np.testing.assert_array_equal(
        edges.zero_crossings(response, threshold=5), np.zeros((3, 3), bool)
    )
    vertical = np.array([[5.0], [2.0], [-4.0]])
    np.testing.assert_array_equal(edges.zero_crossings(vertical), [[False], [True], [False]])


def test_zero_crossings_of_log_follow_a_disc_outline():
    yy, xx = np.mgrid[:64, :64]
    disc = np.where((yy - 32) ** 2 + (xx - 32) ** 2 <= 15**2, 200, 30).astype(np.uint8)
    crossings = edges.zero_crossings(edges.laplacian_of_gaussian(disc, sigma=2.0), threshold=1.0)
    radius = np.hypot(yy - 32, xx - 32)[crossings]
    assert crossings.sum() > 60  # a closed ring, roughly 2π·15 pixels
    assert np.all(np.abs(radius - 15) <= 1.5)


@settings(max_examples=40, deadline=None)
@given(
    st.integers(1, 10), st.integers(1, 10), st.integers(0, 1000), st.floats(0, 50), st.floats(0, 50)
)
def test_zero_crossings_threshold_is_monotone(height, width, seed, t1, t2):
    response = np.random.default_rng(seed).normal(0, 10, (height, width))
    low, high = sorted((t1, t2))
    strict = edges.zero_crossings(response, threshold=high)
    loose = edges.zero_crossings(response, threshold=low)
    assert strict.dtype == bool and strict.shape == response.shape
    assert np.all(loose | ~strict)  # raising the threshold only removes crossings
    assert not edges.zero_crossings(np.full((height, width), 3.0)).any()


# --------------------------------------------------------------------------- Canny


def test_non_maximum_suppression_hand_case():
    # A vertical ridge of magnitude: gx > 0 everywhere, so compare left/right.
    gx = np.array([[1.0, 3.0, 5.0, 3.0, 1.0]] * 3)
    gy = np.zeros_like(gx)
    np.testing.assert_array_equal(edges.non_maximum_suppression(gx, gy), [[0, 0, 5, 0, 0]] * 3)
    # A plateau two pixels wide keeps its left pixel (strict left, non-strict right).
    plateau = np.array([[1.0, 4.0, 4.0, 1.0]])
    np.testing.assert_array_equal(
        edges.non_maximum_suppression(plateau, np.zeros_like(plateau)), [[0, 4, 0, 0]]
    )
    # Diagonal gradient (gx = gy > 0): compare up-left and down-right neighbours.
    values = np.array([[9.0, 0, 0], [0, 5, 0], [0, 0, 1]])
    suppressed = edges.non_maximum_suppression(values, values)
    assert suppressed[1, 1] == 0 and suppressed[0, 0] == pytest.approx(9 * np.sqrt(2))


def test_hysteresis_matches_scipy_label(camera):
    stages = edges.canny_stages(camera, sigma=1.0, low=20, high=80)
    labels = edges.hysteresis(stages.suppressed, low=20, high=80)
    candidate = stages.suppressed > 20
    strong = stages.suppressed > 80
    components, _ = ndimage.label(candidate, structure=np.ones((3, 3)))
    kept = np.isin(components, np.unique(components[strong])) & candidate
    np.testing.assert_array_equal(labels == edges.STRONG, strong)
    np.testing.assert_array_equal(labels >= edges.WEAK_KEPT, kept)
    np.testing.assert_array_equal(labels == edges.WEAK_REJECTED, candidate & ~kept)
    assert (labels == edges.WEAK_KEPT).any() and (labels == edges.WEAK_REJECTED).any()


def test_hysteresis_hand_case():
    suppressed = np.array(
        [
            [0, 50, 0, 0, 0],
            [0, 0, 30, 0, 30],
            [0, 0, 0, 30, 0],
            [30, 0, 0, 0, 0],
        ],
        dtype=np.float32,
    )
    labels = edges.hysteresis(suppressed, low=20, high=40)
    expected = np.array(
        [
            [0, 3, 0, 0, 0],
            [0, 0, 2, 0, 2],  # diagonal chain reaches the strong pixel
            [0, 0, 0, 2, 0],
            [1, 0, 0, 0, 0],  # isolated weak pixel
        ]
    )
    np.testing.assert_array_equal(labels, expected)


@pytest.mark.parametrize(
    ("sigma", "low", "high"),
    [(1.4, 20, 60), (0.0, 50, 100), (2.0, 10, 30), (1.0, 100, 300), (1.0, 40, 40)],
)
def test_canny_stages_agree_with_opencv(camera, coins, sigma, low, high):
    for image in (camera, coins):
        stages = edges.canny_stages(image, sigma=sigma, low=low, high=high)
        reference = (
            cv2.Canny(
                cv2.GaussianBlur(image, (0, 0), sigma) if sigma else image,
                low,
                high,
                L2gradient=True,
            )
            > 0
        )
        assert reference.sum() > 100
        mismatched = np.count_nonzero(stages.edges != reference)
        # Measured: identical. Allow a handful in case a future OpenCV changes ties.
        assert mismatched <= 0.001 * reference.sum()
        np.testing.assert_array_equal(
            edges.canny_opencv(image, sigma=sigma, low=low, high=high), reference
        )


def test_canny_stage_relations(camera):
    stages = edges.canny_stages(camera, sigma=1.4, low=30, high=90)
    assert stages.smoothed.dtype == np.uint8
    np.testing.assert_array_equal(stages.smoothed, cv2.GaussianBlur(camera, (0, 0), 1.4))
    np.testing.assert_allclose(stages.magnitude, np.hypot(stages.gx, stages.gy), rtol=1e-6)
    ridge = stages.suppressed > 0
    np.testing.assert_array_equal(stages.suppressed[ridge], stages.magnitude[ridge])
    assert ridge.mean() < 0.5 * (stages.magnitude > 0).mean()  # thinning removes most pixels
    np.testing.assert_array_equal(stages.edges, stages.labels >= edges.WEAK_KEPT)
    assert np.all(stages.suppressed[stages.labels == edges.STRONG] > 90)


@settings(max_examples=30, deadline=None)
@given(
    grey_images(min_side=3, max_side=24),
    st.integers(0, 200),
    st.integers(0, 200),
    st.sampled_from([0.0, 1.0]),
)
def test_canny_property_matches_opencv_on_random_images(image, t1, t2, sigma):
    low, high = sorted((t1, t2))
    stages = edges.canny_stages(image, sigma=sigma, low=low, high=high)
    assert stages.edges.shape == image.shape and stages.edges.dtype == bool
    assert stages.labels.dtype == np.uint8 and stages.labels.max() <= edges.STRONG
    np.testing.assert_array_equal(
        stages.edges, edges.canny_opencv(image, sigma=sigma, low=low, high=high)
    )


def test_edge_labels_to_rgb():
    labels = np.array([[0, 1], [2, 3]], dtype=np.uint8)
    rgb = edges.edge_labels_to_rgb(labels)
    assert rgb.shape == (2, 2, 3) and rgb.dtype == np.uint8
    for value in range(4):
        assert tuple(rgb[value // 2, value % 2]) == edges.EDGE_LABEL_COLORS[value]
    with pytest.raises(ValueError, match="labels"):
        edges.edge_labels_to_rgb(np.array([[4]], dtype=np.uint8))


def test_magnitude_histogram_matches_numpy(camera):
    stages = edges.canny_stages(camera)
    counts, bin_edges = edges.magnitude_histogram(stages.suppressed, bins=32)
    ridge = stages.suppressed[stages.suppressed != 0]
    expected_counts, expected_edges = np.histogram(ridge, bins=32, range=(0, ridge.max()))
    np.testing.assert_array_equal(counts, expected_counts)
    np.testing.assert_allclose(bin_edges, expected_edges)
    assert counts.sum() == ridge.size
    all_counts, _ = edges.magnitude_histogram(
        stages.magnitude, bins=10, max_value=2000, ignore_zeros=False
    )
    assert all_counts.sum() == camera.size
    zero_counts, zero_edges = edges.magnitude_histogram(np.zeros((4, 4)))
    assert zero_counts.sum() == 0 and zero_edges[-1] == 1.0


@pytest.mark.parametrize(
    ("call", "word"),
    [
        (lambda im: edges.gradients(im, operator="roberts"), "operator"),
        (lambda im: edges.gradients(np.dstack([im] * 3)), "gray"),
        (lambda im: edges.gradient_magnitude(np.zeros(3), np.zeros(4)), "same shape"),
        (lambda im: edges.laplacian(im, ksize=7), "ksize"),
        (lambda im: edges.laplacian_of_gaussian(im, sigma=0), "sigma"),
        (lambda im: edges.zero_crossings(np.zeros(5)), "response"),
        (lambda im: edges.zero_crossings(np.zeros((3, 3)), threshold=-1), "threshold"),
        (lambda im: edges.canny_stages(im, low=100, high=50), "low"),
        (lambda im: edges.canny_stages(im, sigma=-1), "sigma"),
        (lambda im: edges.canny_opencv(im, high=5000), "high"),
        (lambda im: edges.hysteresis(np.zeros((3, 3)), low=5, high=1), "low"),
        (lambda im: edges.pixel_gradient(im, row=8, col=0), "row"),
        (lambda im: edges.magnitude_histogram(np.zeros((3, 3)), bins=0), "bins"),
        (
            lambda im: edges.direction_to_rgb(np.zeros((3, 3)), np.zeros((3, 3)), max_magnitude=-1),
            "max_magnitude",
        ),
    ],
)
def test_edges_reject_bad_arguments(call, word):
    with pytest.raises(ValueError, match=word):
        call(np.zeros((8, 8), np.uint8))


# --------------------------------------------------------------------------- display and comparison


def test_response_picture_maps_with_to_uint8_and_the_display_scale():
    values = np.array([[-300.0, -100.0, 0.0], [50.0, 100.0, 400.0]])
    signed = edges.response_picture(values, percentile=100)
    assert signed.scale == 400.0
    # 255 * (v + 400) / 800, rounded; 0 lands on 127.5, mid-grey (127 or 128, as floating point rounds).
    assert signed.image[0, 2] in (127, 128)
    np.testing.assert_array_equal(signed.image.ravel()[[0, 1, 3, 4, 5]], [32, 96, 143, 159, 255])
    magnitude = edges.response_picture(np.array([[0.0, 40.0], [100.0, 150.0]]), signed=False, percentile=100)
    np.testing.assert_array_equal(magnitude.image, [[0, 68], [170, 255]])
    flat = edges.response_picture(np.zeros((2, 2)))
    assert flat.scale == 1.0 and (flat.image == 128).all()


def test_gradient_pictures_follow_the_gradients(camera):
    shown = edges.gradient_pictures(camera, operator="scharr")
    gx, gy = edges.gradients(camera, operator="scharr")
    magnitude = np.hypot(gx, gy)
    np.testing.assert_allclose(shown.magnitude, magnitude, rtol=1e-6)
    assert shown.top == pytest.approx(magnitude.max())
    assert shown.scale == pytest.approx(np.percentile(magnitude, 99.5), rel=1e-6)
    both = np.abs(np.concatenate([gx.ravel(), gy.ravel()]))
    assert shown.signed_scale == pytest.approx(np.percentile(both, 99.5), rel=1e-6)
    expected_gx = 255 * (gx.astype(np.float64) + shown.signed_scale) / (2 * shown.signed_scale)
    assert np.abs(shown.gx_shown - np.clip(expected_gx, 0, 255)).max() <= 0.5 + 1e-6
    np.testing.assert_array_equal(shown.direction_shown,
                                  edges.direction_to_rgb(gx, gy, max_magnitude=shown.scale))
    assert shown.magnitude_shown.dtype == np.uint8 and shown.magnitude_shown.max() == 255


def test_canny_view_matches_the_stages_and_opencv(camera):
    view = edges.canny_view(camera, sigma=1.4, low=40, high=120)
    stages = edges.canny_stages(camera, sigma=1.4, low=40, high=120)
    np.testing.assert_array_equal(view.edges, edges.canny_opencv(camera, sigma=1.4, low=40, high=120))
    assert view.counts == edges.hysteresis_counts(stages.labels)
    assert view.ridge_pixels == np.count_nonzero(stages.suppressed) == view.histogram.sum()
    assert view.edge_share == pytest.approx(view.edges.mean())
    assert view.bin_edges[-1] >= 121 and len(view.histogram) == 80
    _, count = ndimage.label(view.edges, structure=np.ones((3, 3)))
    assert view.pieces == count
    np.testing.assert_array_equal(view.labels_shown, edges.edge_labels_to_rgb(stages.labels))


def test_canny_on_noise_compares_against_the_clean_edges(camera):
    noisy = edges.canny_on_noise(camera, noise_sigma=30, sigma=1.4, low=40, high=120)
    from processing.filters import add_gaussian_noise

    np.testing.assert_array_equal(noisy.noisy, add_gaussian_noise(camera, sigma=30, seed=0))
    reference = edges.canny_opencv(camera, sigma=1.4, low=40, high=120)
    raw = edges.canny_opencv(noisy.noisy, sigma=0, low=40, high=120)
    np.testing.assert_array_equal(noisy.raw_edges, raw)
    assert noisy.raw_count == raw.sum() and noisy.raw_match == edges.edge_match(reference, raw)
    assert noisy.smooth_match > noisy.raw_match and noisy.smooth_count < noisy.raw_count


@pytest.mark.parametrize("vertical", [True, False])
def test_edge_window_sits_on_a_step_and_knows_its_direction(vertical):
    image = np.full((60, 80), 40, np.uint8)
    if vertical:
        image[:, 50:] = 200
    else:
        image[20:, :] = 200
    window = edges.edge_window(image, size=24)
    row, col = edges.strongest_edge(image)
    assert (window.row, window.col) == (row, col) and window.across_row is vertical
    assert window.bottom - window.top == 24 and window.right - window.left == 24
    assert window.top <= row < window.bottom and window.left <= col < window.right
    small = edges.edge_window(np.zeros((3, 5), np.uint8), size=24)
    assert (small.top, small.left, small.bottom, small.right) == (0, 0, 3, 5)


@settings(max_examples=30, deadline=None)
@given(grey_images())
def test_edge_window_and_count_contract(gray):
    window = edges.edge_window(gray, size=8)
    assert 0 <= window.top <= window.row < window.bottom <= gray.shape[0]
    assert 0 <= window.left <= window.col < window.right <= gray.shape[1]
    mask = gray > 128
    counted = edges.count_edges(mask)
    assert counted.pixels == mask.sum() and counted.share == pytest.approx(mask.mean())


def test_count_edges_refuses_grey_values():
    with pytest.raises(ValueError, match="edges"):
        edges.count_edges(np.zeros((3, 3), np.uint8))


def test_display_scale_is_a_percentile_of_absolute_values():
    values = np.concatenate([np.linspace(-10, 10, 1000), [5000.0]])
    assert edges.display_scale(values, percentile=99) == pytest.approx(np.percentile(np.abs(values), 99))
    assert edges.display_scale(values, percentile=100) == 5000.0
    assert edges.display_scale(np.zeros((3, 3))) == 1.0
    sparse = np.zeros(1000)
    sparse[0] = 7.0  # the percentile is 0 but the image is not flat
    assert edges.display_scale(sparse) == 7.0


def test_direction_legend_colours_follow_direction_to_rgb():
    wheel = edges.direction_legend(size=21)
    assert wheel.shape == (21, 21, 3)
    np.testing.assert_array_equal(wheel[10, 20], (255, 0, 0))  # pointing right: red
    right_down = edges.direction_to_rgb(np.array([[0.0]]), np.array([[10.0]]), max_magnitude=10)
    np.testing.assert_array_equal(wheel[20, 10], right_down[0, 0])  # pointing down
    np.testing.assert_array_equal(wheel[0, 0], (0, 0, 0))  # outside the disc
    np.testing.assert_array_equal(wheel[10, 10], (0, 0, 0))  # centre: no magnitude


def test_strongest_edge_finds_a_step():
    image = np.full((40, 60), 30, np.uint8)
    image[:, 41:] = 220
    row, col = edges.strongest_edge(image)
    assert col in (40, 41)
    assert edges.strongest_edge(np.full((9, 7), 5, np.uint8)) == (4, 3)


def test_edge_fragments_matches_scipy_label():
    mask = np.zeros((10, 12), bool)
    mask[1, 1:5] = True
    mask[2, 5] = True  # diagonal neighbour: same piece with 8-connectivity
    mask[7:9, 8] = True
    count, colours = edges.edge_fragments(mask)
    expected = ndimage.label(mask, structure=np.ones((3, 3)))[1]
    assert count == expected == 2
    assert np.all(colours[~mask] == 0) and np.all(colours[mask].max(axis=1) >= 70)
    assert len({tuple(c) for c in colours[mask]}) <= 2
    with pytest.raises(ValueError, match="edges"):
        edges.edge_fragments(mask.astype(np.uint8))


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 10**6), st.integers(0, 3))
def test_edge_match_equals_brute_force(seed, distance):
    rng = np.random.default_rng(seed)
    reference = rng.random((9, 11)) < 0.15
    detected = rng.random((9, 11)) < 0.2
    near = [
        reference[max(r - distance, 0) : r + distance + 1, max(c - distance, 0) : c + distance + 1].any()
        for r, c in zip(*np.nonzero(detected))
    ]
    expected = float(np.mean(near)) if near else 1.0
    assert edges.edge_match(reference, detected, distance=distance) == pytest.approx(expected)


def test_hysteresis_counts_match_the_label_image(camera):
    labels = edges.canny_stages(camera, low=30, high=90).labels
    counts = edges.hysteresis_counts(labels)
    assert counts == {k: int(np.sum(labels == k)) for k in range(4)}
    assert sum(counts.values()) == camera.size
    with pytest.raises(ValueError, match="labels"):
        edges.hysteresis_counts(np.full((2, 2), 4, np.uint8))
