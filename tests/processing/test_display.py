"""processing.display: the one mapping of real values to uint8, and pixels drawn as cells."""

import numpy as np
import pytest
import skimage.exposure
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from processing.display import draw_cells, framed, to_uint8


def test_to_uint8_rounds_half_to_even_and_clips():
    values = np.array([-3.0, 0.4, 0.5, 1.5, 2.5, 254.6, 255.0, 1e9])
    np.testing.assert_array_equal(to_uint8(values), [0, 0, 0, 2, 2, 255, 255, 255])


def test_to_uint8_never_wraps_integers():
    values = np.array([-1, 256, 300, 128], np.int16)
    np.testing.assert_array_equal(to_uint8(values), [0, 255, 255, 128])  # astype(uint8) gives 255, 0, 44, 128


def test_to_uint8_signed_range_puts_zero_at_mid_grey():
    np.testing.assert_array_equal(to_uint8(np.array([-4.0, -2.0, 0.0, 2.0, 4.0, 9.0]), low=-4, high=4),
                                  [0, 64, 128, 191, 255, 255])  # 63.75 -> 64, 127.5 -> 128 (ties to even), 191.25


@given(arrays(np.float64, st.integers(1, 40), elements=st.floats(-1e4, 1e4)),
       st.floats(-500, 500), st.floats(0.01, 1000))
def test_to_uint8_equals_scikit_image_rescale_then_rint(values, low, span):
    high = low + span
    reference = skimage.exposure.rescale_intensity(np.clip(values, low, high), in_range=(low, high),
                                                   out_range=(0.0, 255.0))
    made = to_uint8(values, low=low, high=high)
    assert made.dtype == np.uint8 and made.shape == values.shape
    assert np.abs(made.astype(float) - np.rint(reference)).max() <= 1  # float rounding at exact halves
    by_formula = np.clip(np.rint(255 * (values - low) / (high - low)), 0, 255)
    assert np.abs(made.astype(float) - by_formula).max() <= 1  # equal but at exact halves


@pytest.mark.parametrize("scale", [1, 3, 400, 1e-3, 2 ** 0.5, 1234.5678])
def test_to_uint8_puts_zero_exactly_at_128_for_any_symmetric_range(scale):
    assert to_uint8(np.array([0.0]), low=-scale, high=scale)[0] == 128  # 127.5, ties to even


def test_to_uint8_keeps_uint8_and_maps_bool():
    image = np.arange(256, dtype=np.uint8)
    assert to_uint8(image) is image
    np.testing.assert_array_equal(to_uint8(np.array([False, True]), low=0, high=1), [0, 255])


@pytest.mark.parametrize("kwargs, match", [({"low": 5, "high": 5}, "low < high"),
                                           ({"low": 0, "high": float("inf")}, "finite")])
def test_to_uint8_refuses_an_empty_or_infinite_range(kwargs, match):
    with pytest.raises(ValueError, match=match):
        to_uint8(np.zeros(3), **kwargs)


def test_to_uint8_refuses_complex_and_text():
    for values in (np.zeros(2, complex), np.array(["a"])):
        with pytest.raises(ValueError, match="values"):
            to_uint8(values)


def test_draw_cells_by_hand():
    mask = np.array([[True, False]])
    out = draw_cells(mask, cell=4, line_color=(9, 9, 9))
    assert out.shape == (5, 9, 3)
    expected = np.full((5, 9), 9, np.uint8)
    expected[1:4, 1:4] = 255  # the white pixel's cell, inside its grid lines
    expected[1:4, 5:8] = 0
    np.testing.assert_array_equal(out[..., 0], expected)
    np.testing.assert_array_equal(out[..., 1], expected)


@given(arrays(np.uint8, st.tuples(st.integers(1, 5), st.integers(1, 5), st.just(3))), st.integers(4, 12))
def test_draw_cells_puts_each_pixel_in_its_cell(picture, cell):
    out = draw_cells(picture, cell=cell)
    assert out.shape == (picture.shape[0] * cell + 1, picture.shape[1] * cell + 1, 3)
    for row in range(picture.shape[0]):
        for col in range(picture.shape[1]):
            block = out[row * cell + 1:(row + 1) * cell, col * cell + 1:(col + 1) * cell]
            assert (block == picture[row, col]).all()
    assert (out[0] == 128).all() and (out[:, -1] == 128).all()


def test_draw_cells_refuses_floats_and_bad_cells():
    with pytest.raises(ValueError, match="picture"):
        draw_cells(np.zeros((2, 2)))
    with pytest.raises(ValueError, match="cell"):
        draw_cells(np.zeros((2, 2), np.uint8), cell=2)


def test_framed_puts_a_dark_frame_around_the_picture():
    ramp = np.tile(np.arange(0, 256, 51, dtype=np.uint8), (3, 1))  # (3, 6), white at the right end
    out = framed(ramp, width=2)
    assert out.shape == (7, 10, 3) and out.dtype == np.uint8
    np.testing.assert_array_equal(out[2:-2, 2:-2], np.repeat(ramp[..., None], 3, axis=2))
    frame = np.ones((7, 10), bool)
    frame[2:-2, 2:-2] = False
    assert (out[frame] == (49, 51, 63)).all()
    colour = np.zeros((2, 2, 3), np.uint8)
    np.testing.assert_array_equal(framed(colour, width=1, line_color=(255, 0, 0))[0, 0], [255, 0, 0])
    with pytest.raises(ValueError, match="width"):
        framed(ramp, width=0)
    with pytest.raises(ValueError, match="picture"):
        framed(ramp.astype(float))
