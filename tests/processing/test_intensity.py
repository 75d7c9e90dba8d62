"""Tests for processing.intensity against OpenCV, scikit-image and hand-computed curves."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from skimage import data, exposure, util
from skimage import color as skcolor

from processing import intensity

SETTINGS = settings(max_examples=30, deadline=None)

images = st.tuples(st.integers(1, 9), st.integers(1, 9), st.sampled_from([(), (3,)])).flatmap(
    lambda s: arrays(np.uint8, (s[0], s[1], *s[2]))
)


def few_levels_images(max_side: int = 12):
    """Grey images built from a handful of levels, the hard case for equalisation."""

    def build(args):
        (h, w), levels, seed = args
        picks = np.random.default_rng(seed).integers(0, len(levels), (h, w))
        return np.array(levels, dtype=np.uint8)[picks]

    return st.tuples(
        st.tuples(st.integers(1, max_side), st.integers(1, max_side)),
        st.lists(st.integers(0, 255), min_size=1, max_size=4, unique=True),
        st.integers(0, 2**16),
    ).map(build)


def noise(shape: tuple[int, ...], seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, 256, shape, dtype=np.uint8)


CAMERA = data.camera()
COFFEE = data.coffee()


# --- histograms ----------------------------------------------------------------------


def test_histogram_hand_example():
    image = np.array([[0, 0, 3], [255, 3, 3]], dtype=np.uint8)
    counts = intensity.histogram(image)
    assert counts.shape == (1, 256) and counts.dtype == np.int64
    expected = np.zeros(256, int)
    expected[[0, 3, 255]] = [2, 3, 1]
    np.testing.assert_array_equal(counts[0], expected)


def test_histogram_matches_numpy_per_channel():
    counts = intensity.histogram(COFFEE)
    assert counts.shape == (3, 256)
    for c in range(3):
        reference, _ = np.histogram(COFFEE[..., c], bins=256, range=(0, 256))
        np.testing.assert_array_equal(counts[c], reference)


def test_cumulative_histogram_hand_example():
    counts = np.zeros(256, dtype=np.int64)
    counts[[0, 1, 2]] = [1, 1, 2]
    cdf = intensity.cumulative_histogram(counts)
    np.testing.assert_allclose(cdf[:4], [0.25, 0.5, 1.0, 1.0])
    assert cdf[-1] == 1.0
    rgb_cdf = intensity.cumulative_histogram(intensity.histogram(COFFEE))
    assert rgb_cdf.shape == (3, 256)
    assert np.all(np.diff(rgb_cdf, axis=1) >= 0)
    np.testing.assert_allclose(rgb_cdf[:, -1], 1.0)
    # Share of red values at or below 100, counted directly.
    assert rgb_cdf[0, 100] == pytest.approx(np.mean(COFFEE[..., 0] <= 100))


# --- linear, gamma, negative, log ------------------------------------------------------


@pytest.mark.parametrize(
    ("contrast", "brightness"), [(1.0, 0.0), (2.0, -50.0), (0.5, 100.0), (1.3, 37.5)]
)
def test_brightness_contrast_matches_per_pixel_arithmetic(contrast, brightness):
    result = intensity.adjust_brightness_contrast(COFFEE, contrast=contrast, brightness=brightness)
    raw = contrast * COFFEE.astype(np.float64) + brightness
    np.testing.assert_array_equal(result.image, np.clip(np.rint(raw), 0, 255))
    assert result.clipped_low == pytest.approx(np.mean(raw < 0))
    assert result.clipped_high == pytest.approx(np.mean(raw > 255))


def test_brightness_contrast_hand_lut_and_opencv_agree_without_negatives():
    result = intensity.adjust_brightness_contrast(CAMERA, contrast=2.0, brightness=-50.0)
    assert result.lut.shape == (256,) and result.lut.dtype == np.uint8
    assert list(result.lut[[0, 25, 26, 100, 152, 153, 255]]) == [0, 0, 2, 150, 254, 255, 255]
    # With no negative values, cv2.convertScaleAbs computes the same thing.
    positive = intensity.adjust_brightness_contrast(CAMERA, contrast=1.5, brightness=20.0)
    np.testing.assert_array_equal(
        positive.image, cv2.convertScaleAbs(CAMERA, alpha=1.5, beta=20.0)
    )


def test_gamma_matches_skimage():
    for gamma in (0.4, 1.0, 2.2):
        result = intensity.adjust_gamma(COFFEE, gamma=gamma)
        np.testing.assert_array_equal(result.image, exposure.adjust_gamma(COFFEE, gamma))
        assert result.lut[0] == 0 and result.lut[255] == 255
    brighter = intensity.adjust_gamma(CAMERA, gamma=0.5)
    assert brighter.image.mean() > CAMERA.mean()


def test_invert_matches_skimage_and_opencv():
    result = intensity.invert(COFFEE)
    np.testing.assert_array_equal(result.image, util.invert(COFFEE))
    np.testing.assert_array_equal(result.image, cv2.bitwise_not(COFFEE))
    np.testing.assert_array_equal(result.lut, np.arange(255, -1, -1))


def test_log_hand_values():
    lut = intensity.log_transform(CAMERA).lut
    # 255 * ln(1 + x) / ln(256): x = 1 -> 255/8 = 31.9, x = 3 -> 255/4 = 63.75.
    assert list(lut[[0, 1, 3, 255]]) == [0, 32, 64, 255]
    assert np.all(np.diff(lut.astype(int)) >= 0)


# --- contrast stretching ---------------------------------------------------------------


@pytest.mark.parametrize(("low", "high"), [(2, 98), (0, 100), (10, 60), (0.5, 99.5)])
def test_stretch_levels_are_numpy_percentiles(low, high):
    for image in (CAMERA, data.moon(), COFFEE):
        result = intensity.stretch_contrast(image, low_percentile=low, high_percentile=high)
        assert result.low_level == np.percentile(image, low, method="inverted_cdf")
        assert result.high_level == np.percentile(image, high, method="inverted_cdf")


@SETTINGS
@given(images, st.floats(0, 100), st.floats(0, 100))
def test_stretch_levels_on_small_images(image, p, q):
    low, high = sorted((p, q))
    if low == high:
        return
    result = intensity.stretch_contrast(image, low_percentile=low, high_percentile=high)
    assert result.low_level == np.percentile(image, low, method="inverted_cdf")
    assert result.high_level == np.percentile(image, high, method="inverted_cdf")


def test_stretch_levels_hand_example():
    # Ten values 0..9: the 15th percentile is the 2nd smallest (1.5 rounds up).
    ramp = np.arange(10, dtype=np.uint8).reshape(2, 5)
    result = intensity.stretch_contrast(ramp, low_percentile=15, high_percentile=80)
    assert (result.low_level, result.high_level) == (1, 7)
    assert list(result.lut[[0, 1, 4, 7, 9]]) == [0, 0, 128, 255, 255]  # 127.5 -> 128


def test_stretch_image_matches_skimage_rescale_intensity():
    moon = data.moon()
    result = intensity.stretch_contrast(moon, low_percentile=2, high_percentile=98)
    reference = exposure.rescale_intensity(
        moon, in_range=(result.low_level, result.high_level), out_range=(0, 255)
    )
    # scikit-image truncates where we round.
    difference = result.image.astype(int) - reference
    assert difference.min() >= 0 and difference.max() <= 1
    assert result.image.min() == 0 and result.image.max() == 255


def test_stretch_uses_one_curve_for_all_channels():
    result = intensity.stretch_contrast(COFFEE, low_percentile=5, high_percentile=95)
    np.testing.assert_array_equal(result.image, result.lut[COFFEE])
    assert result.lut.shape == (256,)


def test_stretch_leaves_a_constant_image_alone():
    image = np.full((5, 7), 90, dtype=np.uint8)
    result = intensity.stretch_contrast(image)
    np.testing.assert_array_equal(result.image, image)
    np.testing.assert_array_equal(result.lut, np.arange(256))
    assert result.low_level == result.high_level == 90


# --- equalisation ------------------------------------------------------------------


def _equalisation_cases():
    rng = np.random.default_rng(11)
    two_levels = np.where(rng.random((40, 50)) < 0.3, 10, 200).astype(np.uint8)
    return {
        "camera": CAMERA,
        "moon": data.moon(),
        "page": data.page(),
        "coins": data.coins(),
        "noise": noise((123, 77), seed=3),
        "two levels": two_levels,
        "black and white": np.where(rng.random((30, 30)) < 0.5, 0, 255).astype(np.uint8),
        "three levels": rng.choice(np.array([5, 6, 250], np.uint8), (17, 19)),
        "constant": np.full((8, 9), 77, dtype=np.uint8),
        "constant black": np.zeros((4, 4), dtype=np.uint8),
        "one pixel": np.array([[200]], dtype=np.uint8),
        "dark ramp": np.tile(np.arange(0, 40, dtype=np.uint8), (10, 1)),
        # 143 * 255 / 374 is exactly 97.5 but 97.49999999999999 in float64:
        # only float32 arithmetic, as OpenCV uses, rounds it to 98.
        "float32 tie": np.repeat(np.arange(3, dtype=np.uint8), [2, 143, 231])[np.newaxis],
        # 1 * 255 / 6 = 42.5 rounds to even, 42.
        "half tie": np.repeat(np.arange(3, dtype=np.uint8), [1, 1, 5])[np.newaxis],
        "big": cv2.resize(CAMERA, (2400, 1800), interpolation=cv2.INTER_LINEAR),
    }


@pytest.mark.parametrize("name", list(_equalisation_cases()))
def test_equalize_histogram_matches_opencv_exactly(name):
    image = _equalisation_cases()[name]
    result = intensity.equalize_histogram(image)
    np.testing.assert_array_equal(result.image, cv2.equalizeHist(image))
    assert np.all(np.diff(result.lut.astype(int)) >= 0)


@SETTINGS
@given(few_levels_images())
def test_equalize_histogram_matches_opencv_on_few_levels(image):
    result = intensity.equalize_histogram(image)
    np.testing.assert_array_equal(result.image, cv2.equalizeHist(image))
    present = np.unique(image)
    if len(present) > 1:
        assert result.lut[present[0]] == 0 and result.lut[present[-1]] == 255


def test_equalize_lut_hand_example():
    # 4 pixels at levels 0, 0, 1, 2: v_min = 0; the others go to
    # 255 * (3 - 2) / 2 = 127.5 -> 128 (ties to even) and 255.
    counts = np.zeros(256, dtype=np.int64)
    counts[[0, 1, 2]] = [2, 1, 1]
    lut = intensity.equalize_lut(counts)
    assert list(lut[:4]) == [0, 128, 255, 255]
    # Ties go to even: 1 * 255 / 6 = 42.5 -> 42; 143 * 255 / 374 = 97.5 -> 98.
    counts[:3] = [1, 1, 5]
    assert intensity.equalize_lut(counts)[1] == 42
    counts[:3] = [2, 143, 231]
    assert intensity.equalize_lut(counts)[1] == 98


def test_equalize_color_rgb_is_opencv_per_channel():
    result = intensity.equalize_color(COFFEE, method="rgb")
    expected = np.dstack([cv2.equalizeHist(np.ascontiguousarray(COFFEE[..., c])) for c in range(3)])
    np.testing.assert_array_equal(result.image, expected)
    assert result.lut.shape == (3, 256)
    for c in range(3):
        np.testing.assert_array_equal(result.image[..., c], result.lut[c][COFFEE[..., c]])


def _hue_shift(a: np.ndarray, b: np.ndarray) -> float:
    """Mean hue change in degrees over well-saturated pixels (scikit-image HSV)."""
    hsv_a, hsv_b = skcolor.rgb2hsv(a), skcolor.rgb2hsv(b)
    keep = (hsv_a[..., 1] > 0.3) & (hsv_a[..., 2] > 0.2) & (hsv_b[..., 1] > 0.3)
    diff = np.abs(hsv_a[..., 0] - hsv_b[..., 0])[keep]
    return float(np.mean(np.minimum(diff, 1 - diff)) * 360)


def test_equalize_color_lightness_equalises_lab_l_and_keeps_hue():
    result = intensity.equalize_color(COFFEE, method="lightness")
    assert result.image.shape == COFFEE.shape and result.lut.shape == (256,)
    lightness_in = skcolor.rgb2lab(COFFEE)[..., 0] * 255 / 100
    lightness_out = skcolor.rgb2lab(result.image)[..., 0] * 255 / 100
    target = cv2.equalizeHist(np.clip(np.rint(lightness_in), 0, 255).astype(np.uint8))
    # Equalised L, up to the 8-bit LAB round trip and gamut clipping.
    assert np.mean(np.abs(lightness_out - target)) < 2.5
    # An equalised channel spreads over the whole range: its CDF is near a line.
    cdf = np.cumsum(np.histogram(lightness_out, bins=16, range=(0, 256))[0]) / lightness_out.size
    assert np.abs(cdf - np.linspace(1 / 16, 1, 16)).max() < 0.08
    rgb_way = intensity.equalize_color(COFFEE, method="rgb").image
    assert _hue_shift(COFFEE, result.image) < 0.5 * _hue_shift(COFFEE, rgb_way)


def test_equalize_color_keeps_grey_grey():
    grey = np.dstack([CAMERA[::4, ::4]] * 3)
    for method in intensity.COLOR_EQUALIZE_METHODS:
        out = intensity.equalize_color(grey, method=method).image.astype(int)
        assert np.abs(out - out[..., :1]).max() <= 1
    rgb_way = intensity.equalize_color(grey, method="rgb").image
    np.testing.assert_array_equal(rgb_way[..., 1], cv2.equalizeHist(CAMERA[::4, ::4]))


def test_clahe_with_one_tile_and_no_clipping_is_the_plain_cdf():
    for image in (CAMERA, data.moon()):
        out = intensity.clahe(image, clip_limit=100.0, tile_grid=(1, 1))
        # One tile, nothing clipped: lut[v] = round(255 * count(<= v) / N).
        lut = np.rint(np.cumsum(np.bincount(image.ravel(), minlength=256)) * 255 / image.size)
        np.testing.assert_array_equal(out, lut[image])


def test_clahe_clip_limit_limits_contrast():
    moon = data.moon()
    gentle = intensity.clahe(moon, clip_limit=1.0, tile_grid=(8, 8))
    strong = intensity.clahe(moon, clip_limit=8.0, tile_grid=(8, 8))
    assert moon.std() < gentle.std() < strong.std()
    np.testing.assert_array_equal(
        strong, cv2.createCLAHE(clipLimit=8.0, tileGridSize=(8, 8)).apply(moon)
    )


def test_clahe_on_colour_changes_lightness_not_colour():
    out = intensity.clahe(COFFEE, clip_limit=3.0)
    assert out.shape == COFFEE.shape and out.dtype == np.uint8
    lab_in, lab_out = skcolor.rgb2lab(COFFEE), skcolor.rgb2lab(out)
    assert np.mean(np.abs(lab_out[..., 0] - lab_in[..., 0])) > 3  # lightness moved
    chroma_change = np.abs(lab_out[..., 1:] - lab_in[..., 1:]).mean()
    assert chroma_change < 2.5


# --- contracts and errors ----------------------------------------------------------


@SETTINGS
@given(
    images,
    st.floats(0, 10, allow_nan=False),
    st.floats(-255, 255, allow_nan=False),
    st.floats(0.05, 20, allow_nan=False),
)
def test_point_operations_are_their_lookup_tables(image, contrast, brightness, gamma):
    results = [
        intensity.adjust_brightness_contrast(image, contrast=contrast, brightness=brightness),
        intensity.adjust_gamma(image, gamma=gamma),
        intensity.invert(image),
        intensity.log_transform(image),
        intensity.stretch_contrast(image, low_percentile=1, high_percentile=99),
    ]
    for result in results:
        assert result.image.shape == image.shape and result.image.dtype == np.uint8
        assert result.lut.shape == (256,) and result.lut.dtype == np.uint8
        np.testing.assert_array_equal(result.image, result.lut[image])
    linear = results[0]
    assert 0 <= linear.clipped_low <= 1 and 0 <= linear.clipped_high <= 1
    counts = intensity.histogram(image)
    assert counts.shape == (1 if image.ndim == 2 else 3, 256)
    np.testing.assert_array_equal(counts.sum(axis=1), image.shape[0] * image.shape[1])


@SETTINGS
@given(images.filter(lambda im: im.ndim == 3), st.sampled_from(intensity.COLOR_EQUALIZE_METHODS))
def test_colour_equalisation_contract(image, method):
    result = intensity.equalize_color(image, method=method)
    assert result.image.shape == image.shape and result.image.dtype == np.uint8
    assert intensity.clahe(image, tile_grid=(2, 2)).shape == image.shape


GREY = np.zeros((8, 8), dtype=np.uint8)
RGB = np.zeros((8, 8, 3), dtype=np.uint8)


@pytest.mark.parametrize(
    ("call", "param"),
    [
        (lambda: intensity.histogram(np.zeros((4, 4), np.uint16)), "image"),
        (lambda: intensity.cumulative_histogram(np.zeros(255, int)), "counts"),
        (lambda: intensity.cumulative_histogram(np.zeros(256, int)), "counts"),
        (lambda: intensity.cumulative_histogram(np.full(256, 0.5)), "counts"),
        (lambda: intensity.adjust_brightness_contrast(GREY, contrast=-1), "contrast"),
        (lambda: intensity.adjust_brightness_contrast(GREY, brightness=300), "brightness"),
        (lambda: intensity.adjust_gamma(GREY, gamma=0), "gamma"),
        (lambda: intensity.adjust_gamma(GREY, gamma=float("nan")), "gamma"),
        (lambda: intensity.stretch_contrast(GREY, low_percentile=-1), "low_percentile"),
        (lambda: intensity.stretch_contrast(GREY, high_percentile=101), "high_percentile"),
        (
            lambda: intensity.stretch_contrast(GREY, low_percentile=60, high_percentile=40),
            "low_percentile",
        ),
        (lambda: intensity.equalize_histogram(RGB), "image"),
        (lambda: intensity.equalize_lut(np.zeros((1, 256), int)), "counts"),
        (lambda: intensity.equalize_lut(np.zeros(256, int)), "counts"),
        (lambda: intensity.equalize_color(GREY), "image"),
        (lambda: intensity.equalize_color(RGB, method="hsv"), "method"),
        (lambda: intensity.clahe(GREY, clip_limit=0), "clip_limit"),
        (lambda: intensity.clahe(GREY, tile_grid=(0, 8)), "tile_grid"),
        (lambda: intensity.clahe(GREY, tile_grid=8), "tile_grid"),
    ],
)
def test_bad_arguments_raise_value_error_naming_the_parameter(call, param):
    with pytest.raises(ValueError, match=param):
        call()


# --- looking closer ------------------------------------------------------------------


def test_count_levels_hand_example_and_never_grows_under_a_lut():
    assert intensity.count_levels(np.array([[0, 0, 3], [255, 3, 3]], np.uint8)) == 3
    rgb = np.zeros((2, 2, 3), np.uint8)
    rgb[..., 1] = [[1, 2], [3, 4]]
    assert intensity.count_levels(rgb) == 4
    before = intensity.count_levels(CAMERA)
    assert before == len(np.unique(CAMERA))
    assert intensity.count_levels(intensity.equalize_histogram(CAMERA).image) <= before


def test_level_spread_is_one_value_for_a_point_operation_and_many_for_clahe():
    moon = data.moon()
    level = int(np.bincount(moon.ravel()).argmax())
    count = int(np.count_nonzero(moon == level))
    equalised = intensity.equalize_histogram(moon)
    assert intensity.level_spread(moon, equalised.image, level=level) == (count, equalised.lut[level], equalised.lut[level])
    local = intensity.clahe(moon, clip_limit=2.0, tile_grid=(8, 8))
    n, lowest, highest = intensity.level_spread(moon, local, level=level)
    assert n == count and lowest < highest
    assert lowest == local[moon == level].min() and highest == local[moon == level].max()
    assert intensity.level_spread(np.zeros((3, 3), np.uint8), np.zeros((3, 3), np.uint8), level=7) is None
    with pytest.raises(ValueError, match="after"):
        intensity.level_spread(moon, moon[:10], level=3)
    with pytest.raises(ValueError, match="level"):
        intensity.level_spread(moon, moon, level=256)


def test_lightness_channel_is_the_grey_image_or_lab_lightness():
    assert intensity.lightness_channel(CAMERA) is CAMERA
    lightness = intensity.lightness_channel(COFFEE)
    assert lightness.shape == COFFEE.shape[:2] and lightness.dtype == np.uint8 and lightness.flags.c_contiguous
    # scikit-image's L* runs 0-100; OpenCV's 8-bit L is L* * 255 / 100, rounded.
    reference = skcolor.rgb2lab(COFFEE)[..., 0] * 255 / 100
    assert np.abs(lightness - reference).max() <= 1.5
    with pytest.raises(ValueError, match="image"):
        intensity.lightness_channel(np.zeros((2, 2), np.float64))


@SETTINGS
@given(images)
def test_lightness_channel_contract(image):
    lightness = intensity.lightness_channel(image)
    assert lightness.shape == image.shape[:2] and lightness.dtype == np.uint8


def test_level_landing_hand_example():
    image = np.array([[50, 50, 50, 50], [100, 100, 150, 200]], np.uint8)
    counts = intensity.histogram(image)
    lut = intensity.equalize_histogram(image).lut
    landing = intensity.level_landing(counts, lut, level=100)
    # 2 of 8 pixels sit at 100, 6 of 8 are at or below it; (6 - 4) / (8 - 4) * 255 = 127.5 -> 128 (ties to even).
    assert landing == intensity.LevelLanding(share=0.25, at_or_below=0.75, outputs=(128,))
    assert intensity.level_landing(counts, lut, level=101).share == 0.0


def test_level_landing_follows_one_curve_per_channel():
    counts = intensity.histogram(COFFEE)
    luts = intensity.equalize_color(COFFEE, method="rgb").lut
    landing = intensity.level_landing(counts, luts, level=90)
    assert landing.outputs == tuple(int(v) for v in luts[:, 90])
    assert landing.share == pytest.approx(np.mean(COFFEE == 90))
    assert landing.at_or_below == pytest.approx(np.mean(COFFEE[..., 0] <= 90))
    with pytest.raises(ValueError, match="level"):
        intensity.level_landing(counts, luts, level=-1)
    with pytest.raises(ValueError, match="lut"):
        intensity.level_landing(counts, np.zeros(10, np.uint8), level=3)


def test_levels_sent_to_hand_example():
    line = intensity.adjust_brightness_contrast(np.zeros((1, 1), np.uint8), contrast=1.5, brightness=-40).lut
    # 1.5 * 196 - 40 = 254; 1.5 * 197 - 40 = 255.5, which rounds (to even) to 256 and is clipped to 255.
    assert intensity.levels_sent_to(line, output=255) == (197, 255)
    assert intensity.levels_sent_to(line, output=0) == (0, 27)  # 1.5 * 27 - 40 = 0.5 -> 0, 28 -> 2
    assert intensity.levels_sent_to(line, output=1) is None
    with pytest.raises(ValueError, match="output"):
        intensity.levels_sent_to(line, output=256)


# --- histogram matching ---------------------------------------------------------------


def test_match_lut_hand_example():
    # Image: 4 pixels at 10, 4 at 20 (cumulative shares 0.5 and 1). Reference: 2 at 100, 6 at 200 (0.25, 1).
    counts = np.bincount([10] * 4 + [20] * 4, minlength=256)
    reference = np.bincount([100] * 2 + [200] * 6, minlength=256)
    lut = intensity.match_lut(counts, reference)
    # Share 0.5 lies a third of the way from 0.25 (level 100) to 1 (level 200): 133.33 -> 133. Share 1 -> 200.
    assert lut[10] == 133 and lut[20] == 200
    assert lut[0] == 100  # share 0, below the reference's first share: its darkest level
    with pytest.raises(ValueError, match="reference_counts"):
        intensity.match_lut(counts, np.zeros(256, np.int64))
    with pytest.raises(ValueError, match="counts"):
        intensity.match_lut(counts[:10], reference)


@pytest.mark.parametrize("reference", ["moon", "coffee"])
def test_match_histogram_of_a_grey_image_is_skimage_rounded(reference):
    target = getattr(data, reference)()
    result = intensity.match_histogram(CAMERA, target)
    grey_target = target if target.ndim == 2 else cv2.cvtColor(target, cv2.COLOR_RGB2GRAY)
    np.testing.assert_array_equal(result.image, np.rint(exposure.match_histograms(CAMERA, grey_target)))
    np.testing.assert_array_equal(result.image, result.lut[CAMERA])
    np.testing.assert_array_equal(result.reference_counts[0], np.bincount(grey_target.ravel(), minlength=256))


def test_match_histogram_rgb_matches_each_channel_like_skimage():
    result = intensity.match_histogram(COFFEE, data.astronaut(), method="rgb")
    expected = np.rint(exposure.match_histograms(COFFEE.astype(float), data.astronaut().astype(float),
                                                 channel_axis=-1))
    np.testing.assert_array_equal(result.image, expected)
    assert result.lut.shape == (3, 256) and result.reference_counts.shape == (3, 256)


def test_match_histogram_lightness_matches_lab_l_and_keeps_hue():
    result = intensity.match_histogram(COFFEE, data.moon())
    lightness = cv2.cvtColor(COFFEE, cv2.COLOR_RGB2LAB)[..., 0]
    moon_l = cv2.cvtColor(cv2.cvtColor(data.moon(), cv2.COLOR_GRAY2RGB), cv2.COLOR_RGB2LAB)[..., 0]
    np.testing.assert_array_equal(result.lut[lightness], np.rint(exposure.match_histograms(lightness, moon_l)))
    assert _hue_shift(COFFEE, result.image) < 6


def test_matching_an_image_to_itself_changes_nothing_and_to_a_ramp_equalises():
    np.testing.assert_array_equal(intensity.match_histogram(CAMERA, CAMERA).image, CAMERA)
    ramp = np.tile(np.arange(256, dtype=np.uint8), (4, 1))  # every level once per row: a flat histogram
    matched = intensity.match_histogram(CAMERA, ramp).image
    assert np.abs(matched.astype(int) - intensity.equalize_histogram(CAMERA).image).max() <= 2


@SETTINGS
@given(images, images, st.sampled_from(intensity.COLOR_EQUALIZE_METHODS))
def test_match_histogram_contract(image, reference, method):
    result = intensity.match_histogram(image, reference, method=method)
    assert result.image.shape == image.shape and result.image.dtype == np.uint8
    assert np.all(np.diff(result.lut.reshape(-1, 256).astype(int), axis=1) >= 0)  # a curve keeps the order


def test_match_histogram_rejects_bad_arguments():
    with pytest.raises(ValueError, match="reference"):
        intensity.match_histogram(COFFEE, np.zeros((3, 3), np.float32))
    with pytest.raises(ValueError, match="method"):
        intensity.match_histogram(COFFEE, COFFEE, method="hsv")


# --- the code a lesson shows --------------------------------------------------------------


def run_code(code: str, img: np.ndarray) -> np.ndarray:
    namespace = {"cv2": cv2, "np": np, "skimage": __import__("skimage.data"), "img": img}
    exec(code, namespace)  # noqa: S102 - our own code text, in a test
    return namespace["result"]


@pytest.mark.parametrize("image", [CAMERA, COFFEE], ids=["grey", "colour"])
@pytest.mark.parametrize(("operation", "settings", "call"), [
    ("linear", {"contrast": 1.5, "brightness": -40},
     lambda im: intensity.adjust_brightness_contrast(im, contrast=1.5, brightness=-40).image),
    ("gamma", {"gamma": 0.45}, lambda im: intensity.adjust_gamma(im, gamma=0.45).image),
    ("negative", {}, lambda im: intensity.invert(im).image),
    ("log", {}, lambda im: intensity.log_transform(im).image),
    ("stretch", {"percentiles": (5.0, 90.0)}, lambda im: intensity.stretch_contrast(im, low_percentile=5,
                                                                                    high_percentile=90).image),
    ("equalise", {"method": "lightness"}, lambda im: intensity.equalize_color(im).image if im.ndim == 3
     else intensity.equalize_histogram(im).image),
    ("equalise", {"method": "rgb"}, lambda im: intensity.equalize_color(im, method="rgb").image if im.ndim == 3
     else intensity.equalize_histogram(im).image),
    ("match", {"method": "lightness"}, lambda im: intensity.match_histogram(im, data.moon()).image),
    ("match", {"method": "rgb"}, lambda im: intensity.match_histogram(im, data.moon(), method="rgb").image),
    ("clahe", {"clip_limit": 3.0, "tiles": 4}, lambda im: intensity.clahe(im, clip_limit=3.0, tile_grid=(4, 4))),
])
def test_point_code_reproduces_the_operation(image, operation, settings, call):
    if operation == "stretch":
        out = intensity.stretch_contrast(image, low_percentile=5, high_percentile=90)
        settings = {**settings, "levels": (out.low_level, out.high_level)}
    code = intensity.point_code(operation, colour=image.ndim == 3, **settings)
    np.testing.assert_array_equal(run_code(code, image), call(image))


def test_point_code_of_the_edge_cases():
    constant = np.full((4, 5), 9, np.uint8)
    np.testing.assert_array_equal(run_code(intensity.point_code("equalise", one_level=True), constant), constant)
    np.testing.assert_array_equal(run_code(intensity.point_code("stretch", levels=(9, 9)), constant), constant)
    code = intensity.point_code("match", reference_code="ref = skimage.data.coffee()", reference_colour=True)
    np.testing.assert_array_equal(run_code(code, CAMERA), intensity.match_histogram(CAMERA, data.coffee()).image)
    with pytest.raises(ValueError, match="operation"):
        intensity.point_code("sharpen")
