"""Tests for processing.threshold against OpenCV, scikit-image and from-scratch NumPy."""

from __future__ import annotations

import math

import cv2
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy import ndimage
from skimage import color, data, filters

from processing.threshold import (
    AUTO_METHODS,
    adaptive_selection,
    adaptive_threshold,
    auto_thresholds,
    between_class_variance,
    class_shares,
    global_and_local,
    labels_to_gray,
    local_threshold,
    manual_threshold,
    multi_otsu,
    otsu_curve,
    otsu_selection,
    otsu_threshold,
    overlay_mask,
    triangle_threshold,
)

SAMPLES = {
    "camera": data.camera(),
    "coins": data.coins(),
    "moon": data.moon(),
    "page": data.page(),
    "text": data.text(),
    "coffee": (color.rgb2gray(data.coffee()) * 255).round().astype(np.uint8),
}

grey_images = arrays(
    np.uint8,
    st.tuples(st.integers(1, 12), st.integers(1, 12)),
    elements=st.integers(0, 255),
)
few_level_images = arrays(
    np.uint8,
    st.tuples(st.integers(1, 8), st.integers(1, 8)),
    elements=st.sampled_from([0, 1, 2, 100, 101, 254, 255]),
)
fast = settings(max_examples=40, deadline=None)


# --- manual threshold -----------------------------------------------------------------


def test_manual_threshold_hand_computed():
    image = np.array([[0, 99, 100, 101, 255]], dtype=np.uint8)
    bright = manual_threshold(image, threshold=100)
    dark = manual_threshold(image, threshold=100, dark_objects=True)
    # A pixel equal to the threshold is background for bright objects, foreground for dark.
    np.testing.assert_array_equal(bright.mask, [[False, False, False, True, True]])
    np.testing.assert_array_equal(dark.mask, [[True, True, True, False, False]])
    assert bright.fraction == pytest.approx(0.4)
    assert dark.fraction == pytest.approx(0.6)


@pytest.mark.parametrize("threshold", [0, 57, 128, 254, 255])
@pytest.mark.parametrize("dark_objects", [False, True])
def test_manual_threshold_matches_cv2_threshold(threshold, dark_objects):
    image = SAMPLES["camera"]
    kind = cv2.THRESH_BINARY_INV if dark_objects else cv2.THRESH_BINARY
    _, expected = cv2.threshold(image, threshold, 255, kind)
    result = manual_threshold(image, threshold=threshold, dark_objects=dark_objects)
    np.testing.assert_array_equal(result.mask, expected == 255)
    assert result.fraction == np.count_nonzero(expected) / expected.size


@fast
@given(image=grey_images, threshold=st.integers(0, 255))
def test_manual_threshold_contract(image, threshold):
    bright = manual_threshold(image, threshold=threshold)
    dark = manual_threshold(image, threshold=threshold, dark_objects=True)
    assert bright.mask.dtype == bool and bright.mask.shape == image.shape
    np.testing.assert_array_equal(bright.mask, ~dark.mask)
    assert bright.fraction + dark.fraction == pytest.approx(1.0)
    assert 0.0 <= bright.fraction <= 1.0


@pytest.mark.parametrize(
    "kwargs, name",
    [
        ({"image": np.zeros((4, 4, 3), np.uint8), "threshold": 10}, "image"),
        ({"image": np.zeros((4, 4), np.float32), "threshold": 10}, "image"),
        ({"image": np.zeros((4, 4), np.uint8), "threshold": 256}, "threshold"),
        ({"image": np.zeros((4, 4), np.uint8), "threshold": -2}, "threshold"),
        ({"image": np.zeros((4, 4), np.uint8), "threshold": 1.5}, "threshold"),
    ],
)
def test_manual_threshold_rejects_bad_arguments(kwargs, name):
    image = kwargs.pop("image")
    with pytest.raises(ValueError, match=name):
        manual_threshold(image, **kwargs)


# --- Otsu -----------------------------------------------------------------------------


def between_class_variance_by_definition(image: np.ndarray) -> np.ndarray:
    """w0 * w1 * (m0 - m1)**2 from the pixel sets themselves, one threshold at a time."""
    pixels = image.ravel().astype(np.float64)
    curve = np.zeros(256)
    for t in range(256):
        below, above = pixels[pixels <= t], pixels[pixels > t]
        if below.size and above.size:
            w0, w1 = below.size / pixels.size, above.size / pixels.size
            curve[t] = w0 * w1 * (below.mean() - above.mean()) ** 2
    return curve


@pytest.mark.parametrize("name", SAMPLES)
def test_otsu_curve_argmax_matches_opencv_and_skimage(name):
    image = SAMPLES[name]
    curve = between_class_variance(image)
    # All three use "foreground = pixel > t"; on natural images the optimum is unique.
    assert int(np.argmax(curve)) == otsu_threshold(image)
    assert int(np.argmax(curve)) == int(filters.threshold_otsu(image))
    _, cv_mask = cv2.threshold(image, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    np.testing.assert_array_equal(cv_mask == 255, image > np.argmax(curve))


def test_between_class_variance_matches_definition():
    rng = np.random.default_rng(3)
    image = rng.integers(20, 200, size=(30, 40), dtype=np.uint8)
    np.testing.assert_allclose(
        between_class_variance(image), between_class_variance_by_definition(image), rtol=1e-10
    )


def test_between_class_variance_hand_computed():
    # Two equal groups at 10 and 30: any split between them gives 0.5 * 0.5 * 20**2 = 100.
    image = np.array([[10, 10, 30, 30]], dtype=np.uint8)
    curve = between_class_variance(image)
    assert np.all(curve[10:30] == 100.0)
    assert np.all(curve[:10] == 0) and np.all(curve[30:] == 0)
    assert np.argmax(curve) == 10  # first of the plateau: same mask as any other


@fast
@given(image=grey_images)
def test_otsu_libraries_reach_the_curve_maximum(image):
    # Where several thresholds tie (a histogram gap or a symmetric histogram) the
    # libraries may pick different ones; what must agree is the variance they reach.
    curve = between_class_variance(image)
    assert curve.shape == (256,) and curve.dtype == np.float64 and np.all(curve >= 0)
    best = curve.max()
    assert curve[otsu_threshold(image)] == pytest.approx(best, rel=1e-9, abs=1e-9)
    if image.min() < image.max():
        assert curve[int(filters.threshold_otsu(image))] == pytest.approx(best, rel=1e-6)
        assert curve[image.max()] == 0 and best > 0
    else:
        assert best == 0


# --- triangle -------------------------------------------------------------------------


def triangle_from_scratch(image: np.ndarray) -> int:
    """Zack's triangle method with OpenCV's conventions, written from its description.

    The histogram is widened by one empty bin on each side, the line runs from the
    peak to the end of the longer tail, and the answer is the bin below the one
    furthest under the line.
    """
    hist = np.bincount(image.ravel(), minlength=256).astype(np.int64)
    nonzero = np.flatnonzero(hist)
    left, right = max(nonzero[0] - 1, 0), min(nonzero[-1] + 1, 255)
    peak = int(np.argmax(hist))
    flipped = peak - left < right - peak
    if flipped:
        hist, left, peak = hist[::-1], 255 - right, 255 - peak
    # Distance below the line, up to a constant factor: hist[peak] * i + (left - peak) * hist[i].
    levels = np.arange(left + 1, peak + 1)
    distance = hist[peak] * levels + (left - peak) * hist[levels]
    threshold = left
    if levels.size and distance.max() > 0:
        threshold = int(levels[np.argmax(distance)])
    threshold -= 1
    return 255 - threshold if flipped else threshold


@pytest.mark.parametrize("name", SAMPLES)
def test_triangle_matches_from_scratch_and_skimage(name):
    image = SAMPLES[name]
    assert triangle_threshold(image) == triangle_from_scratch(image)
    # scikit-image does not widen the histogram nor shift the result: one level apart at most.
    assert abs(triangle_threshold(image) - filters.threshold_triangle(image)) <= 1


@fast
@given(image=st.one_of(grey_images, few_level_images))
def test_triangle_contract(image):
    value = triangle_threshold(image)
    assert isinstance(value, int) and -1 <= value <= 255
    assert value == min(triangle_from_scratch(image), 255)
    # Whatever the value, manual_threshold reproduces OpenCV's own mask.
    _, expected = cv2.threshold(image, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_TRIANGLE)
    np.testing.assert_array_equal(manual_threshold(image, threshold=value).mask, expected == 255)


@pytest.mark.parametrize(
    "pixels, expected, selected",
    [([1, 1], -1, 1.0), ([253, 253, 254], 255, 0.0), ([7, 7], 6, 1.0)],
)
def test_triangle_at_the_ends_of_the_range(pixels, expected, selected):
    image = np.array([pixels], dtype=np.uint8)
    assert triangle_threshold(image) == expected
    assert manual_threshold(image, threshold=expected).fraction == selected


# --- try all --------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["camera", "coins", "text"])
def test_auto_thresholds_match_skimage_and_reproduce_masks(name):
    image = SAMPLES[name]
    results = auto_thresholds(image)
    assert tuple(results) == AUTO_METHODS
    for method, result in results.items():
        expected = float(getattr(filters, f"threshold_{method}")(image))
        assert result.threshold == pytest.approx(expected), method
        assert result.reason is None
        # The integer level gives the same mask through manual_threshold.
        np.testing.assert_array_equal(
            manual_threshold(image, threshold=result.level).mask, image > result.threshold
        )
    assert results["otsu"].threshold == otsu_threshold(image)
    assert results["mean"].threshold == pytest.approx(image.mean())


def test_auto_thresholds_reports_failing_method():
    image = np.array([[10, 10, 200, 200]], dtype=np.uint8)
    with pytest.raises(RuntimeError):
        filters.threshold_minimum(image)  # the failure being handled
    results = auto_thresholds(image)
    assert results["minimum"].threshold is None and results["minimum"].level is None
    assert "minimum" in results["minimum"].reason
    assert results["mean"].threshold == pytest.approx(105.0)


@fast
@given(image=st.one_of(grey_images, few_level_images))
def test_auto_thresholds_never_raise(image):
    for result in auto_thresholds(image).values():
        if result.threshold is None:
            assert result.level is None and isinstance(result.reason, str) and result.reason
        else:
            assert result.reason is None
            assert 0 <= result.threshold <= 255 and 0 <= result.level <= 255
            assert result.level == math.floor(result.threshold)


# --- multi-level Otsu -----------------------------------------------------------------


def best_three_class_split(image: np.ndarray) -> tuple[np.ndarray, tuple[int, int]]:
    """Brute force over every (t1 < t2): between-class variance of <= t1, (t1, t2], > t2."""
    p = np.bincount(image.ravel(), minlength=256) / image.size
    levels = np.arange(256)
    w, m = np.cumsum(p), np.cumsum(p * levels)
    t1, t2 = levels[:, None], levels[None, :]
    weights = [w[t1], w[t2] - w[t1], 1.0 - w[t2]]
    sums = [m[t1], m[t2] - m[t1], m[-1] - m[t2]]
    # Sum of w_k * mu_k**2 = s_k**2 / w_k; the constant -mu**2 does not move the optimum.
    variance = sum(
        np.divide(s**2, wk, out=np.zeros_like(s), where=wk > 1e-12) for s, wk in zip(sums, weights)
    )
    variance[t1 >= t2] = -1
    best = np.unravel_index(np.argmax(variance), variance.shape)
    return variance, (int(best[0]), int(best[1]))


@pytest.mark.parametrize("name", ["camera", "coins", "moon"])
def test_multi_otsu_matches_brute_force(name):
    image = SAMPLES[name]
    result = multi_otsu(image, classes=3)
    variance, best = best_three_class_split(image)
    assert result.reason is None and len(result.thresholds) == 2
    assert variance[result.thresholds] == pytest.approx(variance[best], rel=1e-7)
    t1, t2 = result.thresholds
    expected = (image > t1).astype(np.uint8) + (image > t2)
    np.testing.assert_array_equal(result.labels, expected)
    assert result.labels.dtype == np.uint8


@pytest.mark.parametrize("name", ["camera", "coins"])
def test_multi_otsu_two_classes_is_otsu(name):
    image = SAMPLES[name]
    result = multi_otsu(image, classes=2)
    assert result.thresholds == (otsu_threshold(image),)
    np.testing.assert_array_equal(result.labels == 1, image > otsu_threshold(image))


def test_multi_otsu_exactly_three_levels_and_too_few():
    image = np.array([[5, 5, 90, 200]], dtype=np.uint8)
    result = multi_otsu(image, classes=3)
    assert result.thresholds == (5, 90)
    np.testing.assert_array_equal(result.labels, [[0, 0, 1, 2]])
    two_levels = multi_otsu(np.array([[5, 200]], dtype=np.uint8), classes=3)
    assert two_levels.thresholds == () and "2 distinct" in two_levels.reason
    np.testing.assert_array_equal(two_levels.labels, [[0, 0]])


@fast
@given(image=st.one_of(grey_images, few_level_images), classes=st.integers(2, 4))
def test_multi_otsu_contract(image, classes):
    result = multi_otsu(image, classes=classes)
    assert result.labels.shape == image.shape and result.labels.dtype == np.uint8
    if result.reason is None:
        assert len(result.thresholds) == classes - 1
        assert list(result.thresholds) == sorted(result.thresholds)
        assert result.labels.max() <= classes - 1
    else:
        assert result.thresholds == () and not result.labels.any()


@pytest.mark.parametrize("classes", [1, 5, 2.0])
def test_multi_otsu_rejects_bad_classes(classes):
    with pytest.raises(ValueError, match="classes"):
        multi_otsu(SAMPLES["camera"], classes=classes)


# --- adaptive -------------------------------------------------------------------------


@pytest.mark.parametrize("block_size", [3, 11, 31])
@pytest.mark.parametrize("offset", [-4, 0, 5])
def test_adaptive_mean_matches_skimage_local_mean(block_size, offset):
    image = SAMPLES["text"]
    # scikit-image's local mean with replicated borders; OpenCV rounds it before comparing.
    local_mean = filters.threshold_local(
        image.astype(np.float64), block_size, method="mean", mode="nearest"
    )
    expected = image > np.rint(local_mean) - offset
    result = adaptive_threshold(image, method="mean", block_size=block_size, offset=offset)
    np.testing.assert_array_equal(result, expected)
    dark = adaptive_threshold(
        image, method="mean", block_size=block_size, offset=offset, dark_objects=True
    )
    np.testing.assert_array_equal(dark, ~expected)


def gaussian_kernel_like_opencv(size: int) -> np.ndarray:
    """OpenCV's documented kernel for sigma=0: fixed tables up to 7, else sigma from size."""
    tables = {
        3: [0.25, 0.5, 0.25],
        5: [0.0625, 0.25, 0.375, 0.25, 0.0625],
        7: [0.03125, 0.109375, 0.21875, 0.28125, 0.21875, 0.109375, 0.03125],
    }
    if size in tables:
        return np.array(tables[size])
    sigma = 0.3 * ((size - 1) * 0.5 - 1) + 0.8
    x = np.arange(size) - (size - 1) / 2
    kernel = np.exp(-(x**2) / (2 * sigma**2))
    return kernel / kernel.sum()


@pytest.mark.parametrize("block_size", [5, 11, 25])
def test_adaptive_gaussian_matches_float_reference_up_to_rounding(block_size):
    image = SAMPLES["page"]
    offset = 3
    kernel = gaussian_kernel_like_opencv(block_size)
    smooth = ndimage.correlate1d(image.astype(np.float64), kernel, axis=0, mode="nearest")
    smooth = ndimage.correlate1d(smooth, kernel, axis=1, mode="nearest")
    # OpenCV blurs in fixed point and rounds to uint8: allow the local mean to land on
    # either neighbouring integer, nothing more.
    surely_in = image > np.ceil(smooth) - offset
    maybe_in = image > np.floor(smooth) - offset
    result = adaptive_threshold(image, method="gaussian", block_size=block_size, offset=offset)
    assert np.all(result[surely_in]) and not np.any(result[~maybe_in])
    assert np.count_nonzero(surely_in != maybe_in) < 0.05 * image.size  # the slack is small


@fast
@given(image=grey_images, method=st.sampled_from(["mean", "gaussian"]))
def test_adaptive_contract(image, method):
    result = adaptive_threshold(image, method=method, block_size=5, offset=0)
    assert result.dtype == bool and result.shape == image.shape


@pytest.mark.parametrize(
    "kwargs, name",
    [
        ({"block_size": 4}, "block_size"),
        ({"block_size": 1}, "block_size"),
        ({"method": "median"}, "method"),
        ({"offset": 1.5}, "offset"),
        ({"offset": 300}, "offset"),
    ],
)
def test_adaptive_rejects_bad_arguments(kwargs, name):
    with pytest.raises(ValueError, match=name):
        adaptive_threshold(SAMPLES["camera"], **kwargs)


# --- constant images ------------------------------------------------------------------


@pytest.mark.parametrize("value", [0, 7, 255])
def test_constant_images_do_not_crash(value):
    image = np.full((6, 5), value, dtype=np.uint8)
    assert not np.any(between_class_variance(image))
    assert otsu_threshold(image) == 0  # OpenCV finds no split and reports 0
    assert 0 <= triangle_threshold(image) <= 255
    results = auto_thresholds(image)
    assert all(r.threshold is None and "single grey level" in r.reason for r in results.values())
    assert multi_otsu(image).reason is not None
    # Every pixel equals its local mean, so a positive offset selects them all.
    assert adaptive_threshold(image, block_size=3, offset=2).all()
    assert manual_threshold(image, threshold=value).fraction == 0.0


# --- overlay --------------------------------------------------------------------------


def test_overlay_mask_hand_computed():
    image = np.array([[100, 100]], dtype=np.uint8)
    mask = np.array([[True, False]])
    out = overlay_mask(image, mask, color=(255, 0, 40), alpha=0.25)
    # 0.75 * 100 + 0.25 * (255, 0, 40) = (138.75, 75, 85)
    np.testing.assert_array_equal(out, [[[139, 75, 85], [100, 100, 100]]])
    assert out.dtype == np.uint8


@fast
@given(
    image=arrays(np.uint8, st.tuples(st.integers(1, 8), st.integers(1, 8), st.just(3))),
    data_=st.data(),
    alpha=st.floats(0, 1),
)
def test_overlay_mask_matches_float_blend(image, data_, alpha):
    mask = data_.draw(arrays(bool, image.shape[:2]))
    out = overlay_mask(image, mask, color=(255, 0, 0), alpha=alpha)
    assert out.shape == image.shape and out.dtype == np.uint8
    np.testing.assert_array_equal(out[~mask], image[~mask])
    expected = (1 - alpha) * image[mask].astype(np.float64) + alpha * np.array([255, 0, 0])
    assert np.all(np.abs(out[mask] - expected) <= 0.5 + 1e-6)


def test_overlay_mask_rejects_bad_arguments():
    image = np.zeros((4, 4), np.uint8)
    mask = np.zeros((4, 4), bool)
    with pytest.raises(ValueError, match="mask"):
        overlay_mask(image, np.zeros((4, 5), bool))
    with pytest.raises(ValueError, match="mask"):
        overlay_mask(image, mask.astype(np.uint8))
    with pytest.raises(ValueError, match="alpha"):
        overlay_mask(image, mask, alpha=1.5)
    with pytest.raises(ValueError, match="color"):
        overlay_mask(image, mask, color=(255, 0))
    with pytest.raises(ValueError, match="color"):
        overlay_mask(image, mask, color=(256, 0, 0))


# --- helpers for the page: local threshold surface, IoU, class pictures -------------


@pytest.mark.parametrize("method", ["mean", "gaussian"])
@pytest.mark.parametrize("block_size", [3, 7, 35, 101])
@pytest.mark.parametrize("offset", [-5, 0, 10])
def test_local_threshold_is_what_adaptive_threshold_compares_with(method, block_size, offset):
    for image in (SAMPLES["page"], SAMPLES["camera"]):
        surface = local_threshold(image, method=method, block_size=block_size, offset=offset)
        assert surface.dtype == np.int16 and surface.shape == image.shape
        for dark in (False, True):
            expected = adaptive_threshold(
                image, method=method, block_size=block_size, offset=offset, dark_objects=dark
            )
            mine = image <= surface if dark else image > surface
            np.testing.assert_array_equal(mine, expected)


def test_local_threshold_mean_matches_skimage():
    image = SAMPLES["text"]
    local_mean = filters.threshold_local(image.astype(np.float64), 15, method="mean", mode="nearest")
    # OpenCV rounds the local mean; exact halves may go either way.
    assert np.abs(local_threshold(image, method="mean", block_size=15, offset=4) - (local_mean - 4)).max() <= 0.5 + 1e-9


def test_manual_threshold_reports_its_threshold_and_count():
    image = np.array([[0, 99, 100, 101, 255]], dtype=np.uint8)
    result = manual_threshold(image, threshold=99, dark_objects=True)
    assert (result.threshold, result.count) == (99, 2)


@pytest.mark.parametrize("sample_id", ["camera", "coins", "page"])
@pytest.mark.parametrize("dark_objects", [False, True])
def test_otsu_selection_is_opencvs_otsu_mask(sample_id, dark_objects):
    image = SAMPLES[sample_id]
    kind = cv2.THRESH_BINARY_INV if dark_objects else cv2.THRESH_BINARY
    t, expected = cv2.threshold(image, 0, 255, kind | cv2.THRESH_OTSU)
    result = otsu_selection(image, dark_objects=dark_objects)
    assert result.threshold == int(t)
    np.testing.assert_array_equal(result.mask, expected == 255)
    assert result.count == np.count_nonzero(expected) and result.fraction == result.count / image.size


def test_otsu_curve_hand_computed():
    image = np.array([[10, 10, 10, 200]], dtype=np.uint8)
    curve = otsu_curve(image)
    # Every t from 10 to 199 splits {10, 10, 10} | {200}: w0 w1 (m0 - m1)^2 = 3/4 * 1/4 * 190^2.
    assert curve.peak == pytest.approx(0.75 * 0.25 * 190**2)
    assert curve.variance[10] == curve.variance[199] == curve.peak and curve.variance[9] == curve.variance[200] == 0
    assert (curve.n_levels, curve.darkest) == (2, 10)
    assert curve.threshold == int(cv2.threshold(image, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)[0])
    assert curve.share_of_peak(100) == 1.0 and curve.share_of_peak(5) == 0.0 and curve.share_of_peak(-1) == 0.0
    flat = otsu_curve(np.full((3, 3), 77, np.uint8))
    assert (flat.peak, flat.n_levels, flat.darkest, flat.share_of_peak(77)) == (0.0, 1, 77, 0.0)


@fast
@given(image=grey_images)
def test_otsu_curve_contract(image):
    curve = otsu_curve(image)
    assert curve.variance.shape == (256,) and curve.variance.dtype == np.float64
    assert curve.peak == curve.variance.max() >= 0
    assert curve.n_levels == len(np.unique(image)) and curve.darkest == image.min()
    assert 0.0 <= curve.share_of_peak(int(image.max())) <= 1.0


@pytest.mark.parametrize("method", ["mean", "gaussian"])
def test_adaptive_selection_bundles_the_mask_and_its_surface(method):
    image = SAMPLES["page"]
    result = adaptive_selection(image, method=method, block_size=25, offset=10, dark_objects=True)
    np.testing.assert_array_equal(result.mask, adaptive_threshold(image, method=method, block_size=25, offset=10,
                                                                  dark_objects=True))
    np.testing.assert_array_equal(result.mask, image <= result.surface)  # dark objects: at or below the surface
    assert (result.low, result.high) == (result.surface.min(), result.surface.max())
    assert result.fraction == np.count_nonzero(result.mask) / image.size


def test_global_and_local_on_the_scanned_page():
    page = SAMPLES["page"]
    otsu, _ = cv2.threshold(page, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    result = global_and_local(page, block_size=25, offset=10, fixed=200)
    assert result.otsu_threshold == int(otsu)
    np.testing.assert_array_equal(result.global_mask, page <= otsu)
    np.testing.assert_array_equal(result.fixed_mask, page <= 200)
    expected_local = cv2.adaptiveThreshold(page, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 25, 10)
    np.testing.assert_array_equal(result.local_mask, expected_local > 0)
    left = (page <= otsu)[:, : page.shape[1] // 4]
    assert result.left_share == pytest.approx(left.mean())
    assert result.left_share > 0.5  # the dark left of the page is swallowed: what the lesson shows
    with pytest.raises(ValueError, match="fixed"):
        global_and_local(page, fixed=256)


def test_labels_to_gray_and_class_shares():
    labels = np.array([[0, 1, 2, 2]], np.uint8)
    np.testing.assert_array_equal(labels_to_gray(labels, classes=3), [[0, 128, 255, 255]])
    np.testing.assert_array_equal(labels_to_gray(labels[:, :2], classes=2), [[0, 255]])
    assert class_shares(labels, classes=3) == (0.25, 0.25, 0.5)
    assert class_shares(np.zeros((2, 2), np.uint8), classes=3) == (1.0, 0.0, 0.0)
    with pytest.raises(ValueError, match="labels"):
        labels_to_gray(labels, classes=2)
    with pytest.raises(ValueError, match="labels"):
        class_shares(labels, classes=2)


# Extremes (issue 8) ---------------------------------------------------------------------------


def test_adaptive_block_larger_than_the_image_is_a_replicate_padded_mean():
    from processing.threshold import adaptive_threshold, local_threshold

    rng = np.random.default_rng(8)
    image = rng.integers(0, 256, (9, 13), dtype=np.uint8)
    block, offset = 255, 3
    half = block // 2
    padded = np.pad(image.astype(np.float64), half, mode="edge")  # cv2.BORDER_REPLICATE, from scratch
    sums = padded.cumsum(0).cumsum(1)
    sums = np.pad(sums, ((1, 0), (1, 0)))
    h, w = image.shape
    window = sums[block:block + h, block:block + w] - sums[:h, block:block + w] - sums[block:block + h, :w] + sums[:h, :w]
    mean = window / block**2
    surface = local_threshold(image, method="mean", block_size=block, offset=offset)
    assert np.abs(surface.astype(np.float64) - (mean - offset)).max() <= 0.5 + 1e-9  # rounded to a whole level
    mask = adaptive_threshold(image, method="mean", block_size=block, offset=offset)
    np.testing.assert_array_equal(mask, image > surface)
    # Far from ties, the from-scratch mean decides the same pixels.
    clear = np.abs(image - (mean - offset)) > 1
    np.testing.assert_array_equal(mask[clear], (image > mean - offset)[clear])


def test_multi_otsu_with_fewer_levels_than_classes_has_a_reason_and_no_thresholds():
    from processing.threshold import multi_otsu

    two = np.zeros((6, 6), np.uint8)
    two[3:] = 200
    result = multi_otsu(two, classes=3)
    assert result.thresholds == () and "2 distinct grey levels" in result.reason
    assert not result.labels.any()


def test_otsu_of_one_grey_level_is_opencvs_zero_and_the_curve_is_flat():
    from processing.threshold import between_class_variance, otsu_threshold

    flat = np.full((5, 7), 77, np.uint8)
    assert otsu_threshold(flat) == int(cv2.threshold(flat, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)[0]) == 0
    assert not between_class_variance(flat).any()
