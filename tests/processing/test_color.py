"""Tests for processing.color against hand-computed values, formulas and scikit-image."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from skimage import color as skcolor
from skimage import data

from processing import color

SETTINGS = settings(max_examples=30, deadline=None)

rgb_images = st.tuples(st.integers(1, 8), st.integers(1, 8)).flatmap(
    lambda hw: arrays(np.uint8, (*hw, 3))
)


def random_colors(n: int, seed: int = 1) -> np.ndarray:
    """n random RGB colours as an (1, n, 3) image."""
    return np.random.default_rng(seed).integers(0, 256, (1, n, 3), dtype=np.uint8)


def pixels(*rgb: tuple[int, int, int]) -> np.ndarray:
    return np.array([rgb], dtype=np.uint8)


RED, GREEN, BLUE, GREY = (255, 0, 0), (0, 255, 0), (0, 0, 255), (128, 128, 128)


# --- channels --------------------------------------------------------------------


def test_split_channels_hand_example():
    image = np.array([[[1, 2, 3], [4, 5, 6]]], dtype=np.uint8)
    red, green, blue = color.split_channels(image)
    np.testing.assert_array_equal(red, [[1, 4]])
    np.testing.assert_array_equal(green, [[2, 5]])
    np.testing.assert_array_equal(blue, [[3, 6]])
    assert red.flags.c_contiguous


@SETTINGS
@given(rgb_images)
def test_split_and_tint_contracts(image):
    channels = color.split_channels(image)
    np.testing.assert_array_equal(np.dstack(channels), image)
    tints = color.tint_channels(image)
    for c, tinted in enumerate(tints):
        assert tinted.shape == image.shape and tinted.dtype == np.uint8
        np.testing.assert_array_equal(tinted[..., c], image[..., c])
        others = [k for k in range(3) if k != c]
        assert not tinted[..., others].any()
    np.testing.assert_array_equal(sum(t.astype(int) for t in tints), image)


def test_swap_rgb_bgr_matches_opencv_and_undoes_itself():
    image = data.astronaut()[:64, :64]
    swapped = color.swap_rgb_bgr(image)
    np.testing.assert_array_equal(swapped, cv2.cvtColor(image, cv2.COLOR_RGB2BGR))
    np.testing.assert_array_equal(color.swap_rgb_bgr(swapped), image)
    assert swapped.flags.c_contiguous
    # Red becomes blue: the forgotten-BGR mistake.
    np.testing.assert_array_equal(color.swap_rgb_bgr(pixels(RED)), pixels(BLUE))


# --- greyscale -------------------------------------------------------------------


def test_luminance_gray_is_the_rounded_bt601_sum():
    image = random_colors(200_000)
    exact = image.astype(np.float64) @ np.array([0.299, 0.587, 0.114])
    gray = color.to_gray(image, method="luminance")
    assert gray.shape == image.shape[:2] and gray.dtype == np.uint8
    # OpenCV uses 15-bit fixed-point weights: every value is the exact sum
    # rounded, except that sums within a hair of .5 may round either way.
    assert np.abs(gray - exact).max() <= 0.5 + 0.01
    assert np.mean(np.abs(gray - exact) > 0.5) < 0.001
    np.testing.assert_array_equal(gray, cv2.cvtColor(image, cv2.COLOR_RGB2GRAY))


def test_gray_hand_values():
    image = pixels(RED, GREEN, BLUE, (255, 255, 255), (2, 0, 0), (1, 0, 0), (10, 20, 30))
    np.testing.assert_array_equal(
        color.to_gray(image, method="luminance"), [[76, 150, 29, 255, 1, 0, 18]]
    )
    # (R + G + B) / 3: 85, 85, 85, 255, 0.67 -> 1, 0.33 -> 0, 20.
    np.testing.assert_array_equal(
        color.to_gray(image, method="average"), [[85, 85, 85, 255, 1, 0, 20]]
    )


def test_average_gray_matches_numpy_mean_on_a_photo():
    image = data.coffee()
    expected = np.rint(image.mean(axis=2)).astype(np.uint8)
    np.testing.assert_array_equal(color.to_gray(image, method="average"), expected)


def test_compare_grays_difference_is_signed():
    greys = color.compare_grays(pixels(GREEN, BLUE, GREY, RED))
    assert greys.difference.dtype == np.int16
    # 150 - 85, 29 - 85, 128 - 128, 76 - 85: negative values must not wrap; blue is far darker, red a little.
    np.testing.assert_array_equal(greys.difference, [[65, -56, 0, -9]])
    np.testing.assert_array_equal(greys.luma, [[150, 29, 128, 76]])
    np.testing.assert_array_equal(greys.average, [[85, 85, 128, 85]])
    assert greys.largest == 65


@SETTINGS
@given(rgb_images)
def test_compare_grays_contract(image):
    greys = color.compare_grays(image)
    assert greys.difference.shape == image.shape[:2] and greys.difference.dtype == np.int16
    expected = cv2.cvtColor(image, cv2.COLOR_RGB2GRAY).astype(int) - np.rint(image.mean(axis=2))
    np.testing.assert_array_equal(greys.difference, expected)
    np.testing.assert_array_equal(greys.luma, cv2.cvtColor(image, cv2.COLOR_RGB2GRAY))
    assert greys.largest == np.abs(expected).max()


# --- colour models ---------------------------------------------------------------


def test_hsv_matches_skimage():
    image = np.concatenate([random_colors(50_000), data.coffee()[:100].reshape(1, -1, 3)], axis=1)
    hsv = color.convert_color(image, space="hsv").astype(float)
    ref = skcolor.rgb2hsv(image) * [180, 255, 255]
    hue_diff = np.abs(hsv[..., 0] - ref[..., 0])
    hue_diff = np.minimum(hue_diff, 180 - hue_diff)  # hue is an angle
    assert hue_diff.max() <= 1
    assert np.abs(hsv[..., 1:] - ref[..., 1:]).max() <= 1
    assert hsv[..., 0].max() <= 179


def test_hsv_hand_values():
    hsv = color.convert_color(pixels(RED, GREEN, BLUE, GREY, (255, 255, 0)), space="hsv")
    np.testing.assert_array_equal(
        hsv, [[[0, 255, 255], [60, 255, 255], [120, 255, 255], [0, 0, 128], [30, 255, 255]]]
    )


def test_lab_matches_skimage():
    image = np.concatenate([random_colors(50_000), data.astronaut()[:50].reshape(1, -1, 3)], axis=1)
    lab = color.convert_color(image, space="lab").astype(float)
    ref = skcolor.rgb2lab(image)
    ref = np.stack([ref[..., 0] * 255 / 100, ref[..., 1] + 128, ref[..., 2] + 128], axis=-1)
    diff = np.abs(lab - np.clip(np.rint(ref), 0, 255))
    assert diff.max() <= 3  # OpenCV's 8-bit tables are approximate
    assert diff.mean() < 0.5
    np.testing.assert_array_equal(
        color.convert_color(pixels((255, 255, 255), (0, 0, 0)), space="lab"),
        [[[255, 128, 128], [0, 128, 128]]],
    )


def test_ycrcb_matches_bt601_formula():
    image = random_colors(100_000)
    rgb = image.astype(float)
    y = rgb @ [0.299, 0.587, 0.114]
    cr = (rgb[..., 0] - y) * 0.713 + 128
    cb = (rgb[..., 2] - y) * 0.564 + 128
    ref = np.clip(np.rint(np.stack([y, cr, cb], axis=-1)), 0, 255)
    ycrcb = color.convert_color(image, space="ycrcb")
    assert np.abs(ycrcb - ref).max() <= 1
    # The channel order is Y, Cr, Cb: red raises Cr, not Cb.
    y_red, cr_red, cb_red = color.convert_color(pixels(RED), space="ycrcb")[0, 0]
    assert cr_red > 128 > cb_red


def test_convert_to_rgb_is_a_copy():
    image = data.astronaut()[:8, :8]
    out = color.convert_color(image, space="rgb")
    np.testing.assert_array_equal(out, image)
    assert not np.shares_memory(out, image)


def test_color_spaces_describe_every_space():
    for space, channels in color.COLOR_SPACES.items():
        assert len(channels) == 3
        converted = color.convert_color(random_colors(1000), space=space)
        for c, info in enumerate(channels):
            assert info.low <= converted[..., c].min() and converted[..., c].max() <= info.high


# --- hue image and mask ----------------------------------------------------------


def test_hue_image_matches_skimage_pure_colours():
    image = random_colors(20_000, seed=3)
    hue = color.convert_color(image, space="hsv")[..., 0].astype(float)
    pure = color.hue_image(image)
    hsv_ref = np.stack([hue * 2 / 360, np.ones(hue.shape), np.ones(hue.shape)], axis=-1)
    ref = np.rint(skcolor.hsv2rgb(hsv_ref) * 255)
    assert pure.shape == image.shape and pure.dtype == np.uint8
    assert np.abs(pure - ref).max() <= 1
    # Every pixel is fully saturated: one channel at 255, one at 0.
    assert (pure.max(axis=-1) == 255).all() and (pure.min(axis=-1) == 0).all()


def test_hue_image_draws_grey_as_red():
    np.testing.assert_array_equal(color.hue_image(pixels(GREY, (0, 0, 0))), pixels(RED, RED))


ALL_HUES = cv2.cvtColor(
    np.stack(
        np.meshgrid(np.arange(180), [40, 120, 255], [30, 255], indexing="ij"), axis=-1
    ).reshape(1, -1, 3).astype(np.uint8),
    cv2.COLOR_HSV2RGB,
)


@SETTINGS
@given(
    lo=st.integers(0, 360),
    hi=st.integers(0, 360),
    s_min=st.sampled_from([0, 50, 200]),
    v_min=st.sampled_from([0, 100]),
)
def test_hue_mask_follows_its_definition_in_degrees(lo, hi, s_min, v_min):
    hsv = cv2.cvtColor(ALL_HUES, cv2.COLOR_RGB2HSV).astype(int)
    degrees = 2 * hsv[..., 0]
    if lo <= hi:
        in_range = (degrees >= lo) & (degrees <= hi)
    else:
        in_range = (degrees >= lo) | (degrees <= hi)
    expected = in_range & (hsv[..., 1] >= s_min) & (hsv[..., 2] >= v_min)
    mask = color.hue_mask(ALL_HUES, lo=lo, hi=hi, s_min=s_min, v_min=v_min)
    assert mask.dtype == np.uint8 and mask.shape == ALL_HUES.shape[:2]
    assert set(np.unique(mask)) <= {0, 255}
    np.testing.assert_array_equal(mask == 255, expected)


def test_hue_mask_wraps_around_red():
    image = pixels(RED, GREEN, BLUE, (255, 0, 40), (255, 40, 0), GREY)
    mask = color.hue_mask(image, lo=340, hi=20, s_min=50)
    # Red and its two near neighbours across 0 degrees are kept; grey is dropped
    # by s_min although OpenCV gives it hue 0.
    np.testing.assert_array_equal(mask, [[255, 0, 0, 255, 255, 0]])
    np.testing.assert_array_equal(
        color.hue_mask(image, lo=120, hi=120), [[0, 255, 0, 0, 0, 0]]
    )
    np.testing.assert_array_equal(color.hue_mask(image, lo=0, hi=360), np.full((1, 6), 255))


# --- samples and picker ------------------------------------------------------------


def test_sample_pixels_is_reproducible_and_distinct():
    # Every pixel of this image has its own colour, so repeats would show.
    image = random_colors(4096, seed=7).reshape(64, 64, 3)
    image[..., 0] = np.arange(64)[:, None]
    image[..., 1] = np.arange(64)[None, :]
    a = color.sample_pixels(image, n=500, seed=5)
    b = color.sample_pixels(image, n=500, seed=5)
    c = color.sample_pixels(image, n=500, seed=6)
    np.testing.assert_array_equal(a.colors, b.colors)
    assert not np.array_equal(a.colors, c.colors)
    assert a.colors.shape == (500, 3) and a.colors.dtype == np.uint8
    assert len(np.unique(a.colors, axis=0)) == 500
    image_rows = {tuple(p) for p in image.reshape(-1, 3)}
    assert all(tuple(p) in image_rows for p in a.colors)
    np.testing.assert_array_equal(a.coords, a.colors)
    assert [axis.name for axis in a.axes] == ["R", "G", "B"]


def test_sample_pixels_returns_every_pixel_of_a_small_image():
    image = data.astronaut()[:10, :10]
    sample = color.sample_pixels(image, n=5000)
    assert sample.colors.shape == (100, 3)
    np.testing.assert_array_equal(
        np.sort(sample.colors.view("V3").ravel()), np.sort(image.reshape(-1, 3).view("V3").ravel())
    )


def test_sample_pixels_in_hsv_pairs_coords_with_colours():
    sample = color.sample_pixels(data.coffee(), n=300, space="hsv", seed=2)
    ref = skcolor.rgb2hsv(sample.colors[np.newaxis])[0] * [180, 255, 255]
    hue_diff = np.abs(sample.coords[:, 0] - ref[:, 0])
    assert np.minimum(hue_diff, 180 - hue_diff).max() <= 1
    assert np.abs(sample.coords[:, 1:] - ref[:, 1:]).max() <= 1
    assert [axis.name for axis in sample.axes] == ["H", "S", "V"]


def test_color_values_hand_example():
    values = color.color_values("#FF8000")
    assert values.rgb == (255, 128, 0)
    assert values.hex == "#ff8000"
    assert values.hsv == (15, 255, 255)  # 30 degrees / 2
    # Y = 0.299 * 255 + 0.587 * 128 = 151.4; Cr = (255 - Y) * 0.713 + 128 = 201.9;
    # Cb = (0 - Y) * 0.564 + 128 = 42.6
    assert values.gray == 151
    assert values.ycrcb == (151, 202, 43)
    lab = skcolor.rgb2lab(np.array([[[255, 128, 0]]], dtype=np.uint8))[0, 0]
    expected_lab = (lab[0] * 255 / 100, lab[1] + 128, lab[2] + 128)
    assert np.abs(np.array(values.lab) - expected_lab).max() <= 2
    assert color.color_values((255, 128, 0)) == values


@SETTINGS
@given(st.tuples(st.integers(0, 255), st.integers(0, 255), st.integers(0, 255)))
def test_color_values_agree_with_whole_image_conversion(rgb):
    values = color.color_values(rgb)
    assert color.color_values(values.hex) == values
    image = np.full((2, 2, 3), rgb, dtype=np.uint8)
    assert values.hsv == tuple(color.convert_color(image, space="hsv")[1, 1])
    assert values.gray == color.to_gray(image)[1, 1]
    assert all(isinstance(v, int) for v in (*values.rgb, *values.hsv, *values.lab, values.gray))


# --- contracts and errors --------------------------------------------------------


@SETTINGS
@given(rgb_images, st.sampled_from(sorted(color.COLOR_SPACES)))
def test_image_functions_keep_shape_and_dtype(image, space):
    assert color.convert_color(image, space=space).shape == image.shape
    assert color.hue_image(image).shape == image.shape
    for method in color.GRAY_METHODS:
        gray = color.to_gray(image, method=method)
        assert gray.shape == image.shape[:2] and gray.dtype == np.uint8
    mask = color.hue_mask(image, lo=300, hi=60)
    assert mask.shape == image.shape[:2] and mask.dtype == np.uint8


@pytest.mark.parametrize(
    ("call", "param"),
    [
        (lambda: color.to_gray(np.zeros((4, 4), np.uint8)), "image"),
        (lambda: color.to_gray(np.zeros((4, 4, 3), np.float32)), "image"),
        (lambda: color.to_gray(np.zeros((4, 4, 3), np.uint8), method="max"), "method"),
        (lambda: color.split_channels(np.zeros((4, 4, 4), np.uint8)), "image"),
        (lambda: color.convert_color(np.zeros((4, 4, 3), np.uint8), space="cmyk"), "space"),
        (lambda: color.hue_mask(np.zeros((4, 4, 3), np.uint8), lo=-1, hi=20), "lo"),
        (lambda: color.hue_mask(np.zeros((4, 4, 3), np.uint8), lo=0, hi=361), "hi"),
        (lambda: color.hue_mask(np.zeros((4, 4, 3), np.uint8), lo=0, hi=20, s_min=256), "s_min"),
        (lambda: color.hue_mask(np.zeros((4, 4, 3), np.uint8), lo=0, hi=20, v_min=-1), "v_min"),
        (lambda: color.sample_pixels(np.zeros((4, 4, 3), np.uint8), n=0), "n"),
        (lambda: color.sample_pixels(np.zeros((4, 4, 3), np.uint8), space="xyz"), "space"),
        (lambda: color.color_values("#12345"), "color"),
        (lambda: color.color_values("#zzzzzz"), "color"),
        (lambda: color.color_values("#1 2345"), "color"),
        (lambda: color.color_values((256, 0, 0)), "color"),
        (lambda: color.color_values((1, 2)), "color"),
    ],
)
def test_bad_arguments_raise_value_error_naming_the_parameter(call, param):
    with pytest.raises(ValueError, match=param):
        call()


# --- hue selection and channel pictures ----------------------------------------------


def test_hue_wheel_colors_are_the_hue_image_of_each_hue():
    wheel = color.hue_wheel_colors()
    assert wheel.shape == (180, 3) and wheel.dtype == np.uint8
    # OpenCV's HSV-to-RGB is exact to 1 level (see hue_image's notes).
    np.testing.assert_allclose(wheel[[0, 30, 60, 90, 120, 150]],
                               [RED, (255, 255, 0), GREEN, (0, 255, 255), BLUE, (255, 0, 255)], atol=1)
    # Every hue of a saturated row maps to its own wheel colour.
    row = cv2.cvtColor(np.stack([np.arange(180), np.full(180, 255), np.full(180, 255)], -1)[None].astype(np.uint8),
                       cv2.COLOR_HSV2RGB)
    hues = cv2.cvtColor(row, cv2.COLOR_RGB2HSV)[0, :, 0]
    np.testing.assert_array_equal(color.hue_image(row)[0], wheel[hues])


def test_hue_histogram_counts_hues_with_numpy():
    image = data.astronaut()
    hsv = skcolor.rgb2hsv(image)  # independent reference: floats 0-1
    counts = color.hue_histogram(image)
    assert counts.shape == (180,) and counts.dtype == np.int64 and counts.sum() == image.shape[0] * image.shape[1]
    ref = cv2.cvtColor(image, cv2.COLOR_RGB2HSV)
    np.testing.assert_array_equal(counts, np.bincount(ref[..., 0].ravel(), minlength=180))
    strong = color.hue_histogram(image, s_min=80, v_min=50)
    keep = (ref[..., 1] >= 80) & (ref[..., 2] >= 50)
    np.testing.assert_array_equal(strong, np.bincount(ref[..., 0][keep], minlength=180))
    # scikit-image agrees on where the orange suit sits (hue about 10-20 degrees).
    assert 5 <= 2 * int(strong.argmax()) <= 25
    assert abs(np.median(hsv[..., 0][keep & (ref[..., 0] < 15)]) * 360 - 2 * np.median(ref[..., 0][keep & (ref[..., 0] < 15)])) < 3


def test_select_hue_splash_keeps_colour_only_where_selected():
    image = pixels(RED, GREEN, (255, 10, 0), GREY, (40, 0, 0))
    selection = color.select_hue(image, lo=340, hi=20, s_min=50, v_min=50)
    np.testing.assert_array_equal(selection.mask, [[255, 0, 255, 0, 0]])
    grey = color.to_gray(image)
    np.testing.assert_array_equal(selection.splash[0, 0], RED)
    np.testing.assert_array_equal(selection.splash[0, 1], [grey[0, 1]] * 3)
    np.testing.assert_array_equal(selection.splash[0, 4], [grey[0, 4]] * 3)
    assert selection.selected == pytest.approx(2 / 5)
    assert selection.unreliable == pytest.approx(2 / 5)  # grey (S = 0) and dark red (V = 40)
    # The reliable pixels: red (hue 0), green (hue 60) and (255, 10, 0) (hue 1); ties go to the lower hue.
    np.testing.assert_array_equal(np.nonzero(selection.counts)[0], [0, 1, 60])
    assert selection.common_hue == 0
    assert color.select_hue(pixels(GREY), lo=0, hi=360, s_min=1).common_hue is None


@SETTINGS
@given(image=rgb_images, lo=st.integers(0, 360), hi=st.integers(0, 360))
def test_select_hue_contract(image, lo, hi):
    selection = color.select_hue(image, lo=lo, hi=hi, s_min=30, v_min=30)
    np.testing.assert_array_equal(selection.mask, color.hue_mask(image, lo=lo, hi=hi, s_min=30, v_min=30))
    assert selection.splash.shape == image.shape and selection.splash.dtype == np.uint8
    assert selection.selected == pytest.approx(np.mean(selection.mask == 255))
    assert selection.selected + selection.unreliable <= 1 + 1e-9


@pytest.mark.parametrize("space", list(color.COLOR_SPACES))
def test_model_channels_are_the_converted_channels(space):
    image = data.coffee()[::4, ::4]
    converted = color.convert_color(image, space=space)
    channels = color.model_channels(image, space=space)
    for c, channel in enumerate(channels):
        if space == "hsv" and c == 0:
            np.testing.assert_array_equal(channel, color.hue_image(image))
        else:
            np.testing.assert_array_equal(channel, converted[..., c])
            assert channel.flags.c_contiguous


@SETTINGS
@given(image=rgb_images, lo=st.integers(0, 360), hi=st.integers(0, 360), s_min=st.integers(0, 255),
       v_min=st.integers(0, 255))
def test_select_hue_splash_and_unreliable_share_follow_their_definitions(image, lo, hi, s_min, v_min):
    # Independent of the implementation: np.where for the splash, boolean arrays for the share.
    selection = color.select_hue(image, lo=lo, hi=hi, s_min=s_min, v_min=v_min)
    grey = np.repeat(cv2.cvtColor(image, cv2.COLOR_RGB2GRAY)[..., np.newaxis], 3, axis=2)
    np.testing.assert_array_equal(selection.splash, np.where(selection.mask[..., np.newaxis] > 0, image, grey))
    hsv = cv2.cvtColor(image, cv2.COLOR_RGB2HSV)
    assert selection.unreliable == pytest.approx(np.mean((hsv[..., 1] < s_min) | (hsv[..., 2] < v_min)))
    reliable = (hsv[..., 1] >= s_min) & (hsv[..., 2] >= v_min)
    np.testing.assert_array_equal(selection.counts, np.bincount(hsv[..., 0][reliable], minlength=180))
    assert selection.common_hue == (int(np.argmax(selection.counts)) if reliable.any() else None)


def test_hue_histogram_stays_exact_beyond_float32_counts():
    # 2**24 + 1 pixels of one hue: a float32 count would round to 2**24.
    image = np.zeros((2**12 + 1, 2**12, 3), np.uint8)
    image[..., 0] = 255  # pure red, hue 0
    image[-1, -1] = (0, 255, 0)  # one green pixel, hue 60
    counts = color.hue_histogram(image, s_min=1)
    assert counts[0] == 2**24 + 2**12 - 1 and counts[60] == 1 and counts.sum() == image.shape[0] * image.shape[1]
