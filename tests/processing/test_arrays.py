"""Images as arrays: checked against hand-computed arrays and plain NumPy."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays as np_arrays

from processing import arrays
from processing.arrays import window_around

images = st.one_of(
    np_arrays(np.uint8, st.tuples(st.integers(1, 12), st.integers(1, 12))),
    np_arrays(np.uint8, st.tuples(st.integers(1, 12), st.integers(1, 12), st.just(3))),
)


def test_uint8_add_wraps_saturates_or_stays_exact():
    values = np.array([[5, 128, 250]], np.uint8)
    np.testing.assert_array_equal(arrays.add_constant(values, amount=10, method="numpy uint8"), [[15, 138, 4]])
    np.testing.assert_array_equal(arrays.add_constant(values, amount=10, method="cv2.add"), [[15, 138, 255]])
    np.testing.assert_array_equal(arrays.add_constant(values, amount=-10, method="cv2.add"), [[0, 118, 240]])
    np.testing.assert_array_equal(arrays.add_constant(values, amount=-10, method="numpy uint8"), [[251, 118, 240]])
    exact = arrays.add_constant(values, amount=10, method="float")
    assert exact.dtype == np.float32
    np.testing.assert_array_equal(exact, [[15, 138, 260]])


def test_cv2_add_applies_to_every_channel_of_a_colour_image():
    # cv2.add(img, 10) with a plain scalar would only touch the first channel.
    colour = np.full((2, 2, 3), 100, np.uint8)
    assert (arrays.add_constant(colour, amount=10, method="cv2.add") == 110).all()


@given(images, st.integers(-255, 255))
def test_numpy_add_is_modulo_256(image, amount):
    expected = ((image.astype(np.int64) + amount) % 256).astype(np.uint8)
    np.testing.assert_array_equal(arrays.add_constant(image, amount=amount, method="numpy uint8"), expected)
    saturated = np.clip(image.astype(np.int64) + amount, 0, 255)
    np.testing.assert_array_equal(arrays.add_constant(image, amount=amount, method="cv2.add"), saturated)


@pytest.mark.parametrize(
    ("levels", "expected"),
    [(2, [0, 0, 255, 255]), (4, [0, 85, 170, 255]), (256, [0, 100, 128, 255])],
)
def test_quantise_hand_computed(levels, expected):
    values = np.array([[0, 100, 128, 255]], np.uint8) if levels == 256 else np.array([[0, 100, 150, 255]], np.uint8)
    np.testing.assert_array_equal(arrays.quantise(values, levels=levels), [expected])


@given(images, st.integers(2, 256))
def test_quantise_keeps_at_most_levels_values_and_keeps_black_and_white(image, levels):
    result = arrays.quantise(image, levels=levels)
    assert result.shape == image.shape and result.dtype == np.uint8
    assert len(np.unique(result)) <= levels
    assert (result[image == 0] == 0).all() and (result[image == 255] == 255).all()


def test_quantise_of_a_ramp_has_exactly_levels_values():
    ramp = np.arange(256, dtype=np.uint8)[np.newaxis, :]
    for levels in (2, 4, 16, 256):
        assert len(np.unique(arrays.quantise(ramp, levels=levels))) == levels


@given(images, st.integers(1, 5))
def test_fewer_pixels_keeps_every_nth_pixel_and_restores_the_shape(image, factor):
    small, blocky = arrays.fewer_pixels(image, factor=factor)
    np.testing.assert_array_equal(small, image[::factor, ::factor])
    assert blocky.shape == image.shape
    np.testing.assert_array_equal(blocky[::factor, ::factor], small)


def test_neighbourhood_is_cut_at_the_border():
    image = np.arange(100, dtype=np.uint8).reshape(10, 10)
    window, origin = arrays.neighbourhood(image, row=0, col=9, size=5)
    assert origin == (0, 7)
    np.testing.assert_array_equal(window, image[0:3, 7:10])
    window, origin = arrays.neighbourhood(image, row=5, col=5, size=3)
    np.testing.assert_array_equal(window, [[44, 45, 46], [54, 55, 56], [64, 65, 66]])


def test_neighbourhood_rejects_even_size_and_outside_pixels():
    image = np.zeros((4, 4), np.uint8)
    with pytest.raises(ValueError, match="size"):
        arrays.neighbourhood(image, row=1, col=1, size=4)
    with pytest.raises(ValueError, match="row"):
        arrays.neighbourhood(image, row=4, col=1, size=3)


def test_paint_and_crop_match_slicing():
    image = np.zeros((6, 8, 3), np.uint8)
    painted = arrays.paint_rectangle(image, top=1, left=2, bottom=3, right=5, value=(1, 2, 3))
    assert (painted[1:3, 2:5] == (1, 2, 3)).all()
    assert painted.sum() == 6 * (1 + 2 + 3) and image.sum() == 0  # the input is untouched
    cropped = arrays.crop(painted, top=1, left=2, bottom=3, right=5)
    assert cropped.shape == (2, 3, 3) and not np.shares_memory(cropped, painted)
    with pytest.raises(ValueError, match="top"):
        arrays.crop(image, top=3, left=0, bottom=3, right=2)
    with pytest.raises(ValueError, match="value"):
        arrays.paint_rectangle(image, top=0, left=0, bottom=1, right=1, value=300)


@pytest.mark.parametrize("file_format", arrays.SAVE_FORMATS)
def test_save_and_reload(file_format):
    rng = np.random.default_rng(1)
    image = rng.integers(0, 256, (32, 48, 3), dtype=np.uint8)
    saved = arrays.save_and_reload(image, file_format=file_format, quality=50)
    assert saved.decoded.shape == image.shape
    np.testing.assert_array_equal(saved.difference, saved.decoded.astype(int) - image.astype(int))
    assert saved.changed_share == pytest.approx(np.mean(saved.decoded != image))
    assert saved.largest_change == np.abs(saved.decoded.astype(int) - image).max()
    if file_format == "png":
        assert not saved.difference.any()
    else:
        assert saved.difference.any()  # lossy at quality 50 on noise


def test_lower_jpeg_quality_gives_smaller_files_and_larger_errors():
    rows, cols = np.mgrid[0:128, 0:128]
    image = ((rows * 2 + cols) % 256).astype(np.uint8)
    low, high = (arrays.save_and_reload(image, file_format="jpeg", quality=q) for q in (10, 95))
    assert len(low.data) < len(high.data)
    assert np.abs(low.difference).mean() > np.abs(high.difference).mean()


def test_amplified_difference_centres_on_128_and_clips():
    difference = np.array([-100, -1, 0, 1, 100], np.int16)
    np.testing.assert_array_equal(arrays.amplified_difference(difference, gain=10), [0, 118, 128, 138, 255])
    # Rounded, not truncated: 128 + 2 * 0.3 = 128.6 shows as 129, 128 - 2 * 0.3 = 127.4 as 127.
    np.testing.assert_array_equal(arrays.amplified_difference(np.array([0.3, -0.3]), gain=2), [129, 127])
    with pytest.raises(ValueError, match="gain"):
        arrays.amplified_difference(difference, gain=0)


@given(np_arrays(np.int16, st.integers(1, 40), elements=st.integers(-255, 255)), st.sampled_from([1, 2, 4, 10]))
def test_amplified_difference_of_integers_is_128_plus_gain_times_difference_clipped(difference, gain):
    expected = np.clip(128 + gain * difference.astype(np.int64), 0, 255)
    np.testing.assert_array_equal(arrays.amplified_difference(difference, gain=gain), expected)


@pytest.mark.parametrize(("amount", "method", "share"), [
    (10, "numpy uint8", 1 / 3),  # 250 wraps to 4
    (10, "cv2.add", 1 / 3),  # 250 + 10 sits at 255
    (-10, "cv2.add", 1 / 3),  # 5 - 10 sits at 0
    (130, "float", 2 / 3),  # 258 and 380 leave 0-255
])
def test_add_and_count_by_hand(amount, method, share):
    values = np.array([[5, 128, 250]], np.uint8)
    added = arrays.add_and_count(values, amount=amount, method=method)
    np.testing.assert_array_equal(added.result, arrays.add_constant(values, amount=amount, method=method))
    assert added.share == pytest.approx(share)
    assert (added.low, added.high) == (float(added.result.min()), float(added.result.max()))


@given(images, st.integers(-255, 255), st.sampled_from(arrays.ADD_METHODS))
def test_add_and_count_contract(image, amount, method):
    added = arrays.add_and_count(image, amount=amount, method=method)
    exact = image.astype(np.int64) + amount
    assert added.result.shape == image.shape and 0 <= added.share <= 1
    assert (added.low, added.high) == (float(added.result.min()), float(added.result.max()))
    if method == "cv2.add":
        limit = 255 if amount > 0 else 0
        assert added.share == pytest.approx(np.mean(np.clip(exact, 0, 255) == limit))
    else:
        assert added.share == pytest.approx(np.mean((exact < 0) | (exact > 255)))


@given(image=images, data=st.data())
def test_changed_pixels_counts_pixels_where_any_channel_differs(image, data):
    after = image.copy()
    flips = data.draw(np_arrays(bool, image.shape))
    after[flips] ^= 1
    expected = np.any(flips, axis=-1).sum() if image.ndim == 3 else flips.sum()
    assert arrays.changed_pixels(image, after) == expected
    assert arrays.changed_pixels(image, image) == 0


def test_changed_pixels_rejects_different_shapes():
    with pytest.raises(ValueError, match="after"):
        arrays.changed_pixels(np.zeros((2, 2), np.uint8), np.zeros((2, 3), np.uint8))


@given(image=images)
def test_distinct_values_is_numpy_unique(image):
    assert arrays.distinct_values(image) == len(np.unique(image))


@given(image=images, amount=st.integers(-255, 255))
def test_wrap_share_is_the_share_that_uint8_addition_wraps(image, amount):
    # Independent reference: the exact sum in int16 leaves 0-255 exactly where uint8 wraps.
    exact = image.astype(np.int16) + amount
    expected = np.mean((exact < 0) | (exact > 255))
    assert arrays.wrap_share(image, amount=amount) == pytest.approx(expected)


def test_frame_pads_with_a_constant_and_keeps_the_picture():
    grey = np.full((2, 3), 200, np.uint8)
    framed = arrays.frame(grey, width=1, value=40)
    np.testing.assert_array_equal(framed, np.pad(grey, 1, constant_values=40))
    colour = np.full((2, 3, 3), 200, np.uint8)
    framed = arrays.frame(colour, width=2)
    assert framed.shape == (6, 7, 3) and (framed[2:4, 2:5] == 200).all() and (framed[0] == 40).all()
    with pytest.raises(ValueError, match="width"):
        arrays.frame(grey, width=0)


@given(st.integers(1, 9), st.integers(1, 9), st.integers(1, 12), st.data())
def test_window_around_is_the_best_centred_window_inside_the_image(height, width, size, data):
    row = data.draw(st.integers(0, height - 1))
    col = data.draw(st.integers(0, width - 1))
    top, left, bottom, right = window_around((height, width, 3), row=row, col=col, size=size)
    assert (bottom - top, right - left) == (min(size, height), min(size, width))
    assert 0 <= top <= row < bottom <= height and 0 <= left <= col < right <= width
    # Brute force: no other placement inside the image puts (row, col) nearer the window's centre cell.
    def offset(start, length, index):
        return abs(index - (start + length // 2))
    best_top = min(range(height - (bottom - top) + 1), key=lambda t: (offset(t, bottom - top, row), t))
    best_left = min(range(width - (right - left) + 1), key=lambda s: (offset(s, right - left, col), s))
    assert offset(top, bottom - top, row) == offset(best_top, bottom - top, row)
    assert offset(left, right - left, col) == offset(best_left, right - left, col)


def test_window_around_by_hand_and_refusals():
    assert window_around((10, 20), row=5, col=10, size=3) == (4, 9, 7, 12)  # centred
    assert window_around((10, 20), row=0, col=19, size=4) == (0, 16, 4, 20)  # slid inside at a corner
    assert window_around((2, 20), row=1, col=0, size=5) == (0, 0, 2, 5)  # shorter side: the whole height
    with pytest.raises(ValueError, match="row"):
        window_around((10, 20), row=10, col=0, size=3)
    with pytest.raises(ValueError, match="shape"):
        window_around((0, 5), row=0, col=0, size=3)
