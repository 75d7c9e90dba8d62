"""Tests for processing.convolution.

References: hand-computed arrays, the from-scratch NumPy filter against the OpenCV
path, scipy.ndimage.correlate/convolve as a third implementation, and
cv2.getDerivKernels / cv2.getGaussianKernel for the presets.
"""

from __future__ import annotations

import itertools

import cv2
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import ndimage

from processing import convolution as conv

BORDERS = tuple(conv.BORDER_MODES)
SCIPY_MODES = {"zero": "constant", "replicate": "nearest", "reflect": "mirror", "wrap": "grid-wrap"}
ALL_PRESET_SIZES = [(name, size) for name, p in conv.PRESETS.items() for size in p.sizes]


def random_image(shape, seed=0):
    return np.random.default_rng(seed).integers(0, 256, size=shape, dtype=np.uint8)


# --------------------------------------------------------------------------- presets


@pytest.mark.parametrize(("name", "size"), ALL_PRESET_SIZES)
def test_preset_sum_matches_its_kind(name, size):
    kernel = conv.kernel_preset(name, size=size)
    assert kernel.shape == (size, size)
    assert kernel.dtype == np.float64
    kind = conv.PRESETS[name].kind
    expected_sum = 0.0 if kind == "edge" else 1.0
    assert conv.kernel_sum(kernel) == pytest.approx(expected_sum, abs=1e-12)
    if kind == "smoothing":
        assert np.all(kernel >= 0)


@pytest.mark.parametrize("size", [3, 5, 7])
def test_sobel_presets_match_opencv_deriv_kernels(size):
    kx, ky = cv2.getDerivKernels(1, 0, size)
    np.testing.assert_array_equal(conv.kernel_preset("sobel_x", size=size), np.outer(ky, kx))
    kx, ky = cv2.getDerivKernels(0, 1, size)
    np.testing.assert_array_equal(conv.kernel_preset("sobel_y", size=size), np.outer(ky, kx))


@pytest.mark.parametrize(("size", "sigma"), [(3, None), (5, 1.0), (7, 2.5), (5, None)])
def test_gaussian_preset_matches_opencv(size, sigma):
    rule = 0.3 * ((size - 1) * 0.5 - 1) + 0.8  # OpenCV's sigma-from-size rule
    profile = cv2.getGaussianKernel(size, rule if sigma is None else sigma, cv2.CV_64F)
    np.testing.assert_allclose(
        conv.kernel_preset("gaussian", size=size, sigma=sigma), profile @ profile.T, atol=1e-12
    )


def test_fixed_presets_hand_values():
    np.testing.assert_array_equal(
        conv.kernel_preset("laplacian"), [[0, 1, 0], [1, -4, 1], [0, 1, 0]]
    )
    np.testing.assert_array_equal(
        conv.kernel_preset("sharpen"), [[0, -1, 0], [-1, 5, -1], [0, -1, 0]]
    )
    np.testing.assert_array_equal(
        conv.kernel_preset("prewitt_y"), [[-1, -1, -1], [0, 0, 0], [1, 1, 1]]
    )
    np.testing.assert_array_equal(conv.kernel_preset("box", size=5), np.full((5, 5), 1 / 25))
    identity = conv.kernel_preset("identity", size=7)
    assert identity[3, 3] == 1 and identity.sum() == 1


def test_sobel_x_is_positive_where_image_gets_brighter_to_the_right():
    ramp = np.tile(np.arange(0, 200, 20, dtype=np.uint8), (6, 1))
    result = conv.filter_image(ramp, conv.kernel_preset("sobel_x"), border="replicate")
    assert np.all(result[:, 1:-1] == 4 * 20 * 2)  # (1+2+1) * (right - left)


@pytest.mark.parametrize(
    ("kwargs", "word"),
    [
        ({"name": "blur"}, "name"),
        ({"name": "sharpen", "size": 5}, "size"),
        ({"name": "box", "size": 4}, "size"),
        ({"name": "box", "sigma": 1.0}, "sigma"),
        ({"name": "gaussian", "sigma": 0.0}, "sigma"),
    ],
)
def test_preset_rejects_bad_arguments(kwargs, word):
    name = kwargs.pop("name")
    with pytest.raises(ValueError, match=word):
        conv.kernel_preset(name, **kwargs)


# --------------------------------------------------------------------------- kernel maths


def test_normalize_kernel_and_zero_sum():
    kernel = np.array([[1.0, 2.0, 1.0]])
    np.testing.assert_allclose(conv.normalize_kernel(kernel), [[0.25, 0.5, 0.25]])
    assert conv.kernel_sum(kernel) == 4.0
    with pytest.raises(ValueError, match="kernel"):
        conv.normalize_kernel(conv.kernel_preset("sobel_x"))


@pytest.mark.parametrize(
    ("name", "size", "rank"),
    [
        ("box", 5, 1),
        ("gaussian", 7, 1),
        ("sobel_x", 5, 1),
        ("prewitt_y", 3, 1),
        ("identity", 3, 1),
        ("laplacian", 3, 2),
        ("sharpen", 3, 2),
        ("outline", 3, 2),
        ("emboss", 3, 3),
    ],
)
def test_separate_kernel_rank_and_factors(name, size, rank):
    kernel = conv.kernel_preset(name, size=size)
    result = conv.separate_kernel(kernel)
    assert result.rank == rank == np.linalg.matrix_rank(kernel)
    assert result.separable == (rank == 1)
    if rank == 1:
        np.testing.assert_allclose(np.outer(result.column, result.row), kernel, atol=1e-12)
    else:
        assert result.column is None and result.row is None


def test_separate_gaussian_gives_the_1d_gaussian():
    profile = cv2.getGaussianKernel(5, 1.2, cv2.CV_64F).ravel()
    result = conv.separate_kernel(np.outer(profile, profile))
    np.testing.assert_allclose(result.column, profile, atol=1e-12)
    np.testing.assert_allclose(result.row, profile, atol=1e-12)


def test_separable_filter_equals_two_1d_passes():
    image = random_image((20, 17))
    kernel = conv.kernel_preset("sobel_y", size=5)
    parts = conv.separate_kernel(kernel)
    two_pass = conv.filter_image_numpy(image, parts.column[:, None], border="zero")
    # Second pass on float data: use the NumPy reference with the row factor.
    padded = np.pad(two_pass, ((0, 0), (2, 2)))
    second = sum(parts.row[j] * padded[:, j : j + image.shape[1]] for j in range(5))
    np.testing.assert_allclose(second, conv.filter_image(image, kernel, border="zero"), atol=1e-9)


def test_separate_zero_kernel_is_rank_zero():
    result = conv.separate_kernel(np.zeros((3, 3)))
    assert result.rank == 0 and result.separable
    np.testing.assert_array_equal(np.outer(result.column, result.row), np.zeros((3, 3)))


@pytest.mark.parametrize(
    "bad", [np.ones((2, 3)), np.ones(3), np.full((3, 3), np.nan), np.ones((33, 33))]
)
def test_kernel_checks(bad):
    with pytest.raises(ValueError, match="kernel"):
        conv.kernel_sum(bad)


# --------------------------------------------------------------------------- filtering


def test_filter_hand_computed_corner_for_each_border():
    image = np.arange(1, 10, dtype=np.uint8).reshape(3, 3)
    box = np.ones((3, 3))
    # Neighbourhood of (0, 0), written out by hand for each border mode.
    expected = {
        "zero": 1 + 2 + 4 + 5,
        "replicate": (1 + 1 + 2) * 2 + (4 + 4 + 5),
        "reflect": (5 + 4 + 5) * 2 + (2 + 1 + 2),
        "wrap": 9 + 7 + 8 + 3 + 1 + 2 + 6 + 4 + 5,
    }
    for border, value in expected.items():
        assert conv.filter_image(image, box, border=border)[0, 0] == value, border


def test_correlation_vs_convolution_on_an_impulse():
    impulse = np.zeros((7, 7), dtype=np.uint8)
    impulse[3, 3] = 1
    kernel = np.arange(1.0, 10.0).reshape(3, 3)
    conv_result = conv.filter_image(impulse, kernel, operation="convolution")
    corr_result = conv.filter_image(impulse, kernel, operation="correlation")
    # Convolution stamps the kernel itself; correlation stamps it flipped.
    np.testing.assert_array_equal(conv_result[2:5, 2:5], kernel)
    np.testing.assert_array_equal(corr_result[2:5, 2:5], kernel[::-1, ::-1])


@pytest.mark.parametrize("border", BORDERS)
@pytest.mark.parametrize("operation", conv.OPERATIONS)
@pytest.mark.parametrize("kshape", [(3, 3), (5, 5), (7, 7), (3, 5), (7, 1)])
@pytest.mark.parametrize("ishape", [(13, 21), (9, 6, 3), (2, 3)])
def test_opencv_path_matches_numpy_and_scipy(border, operation, kshape, ishape):
    image = random_image(ishape, seed=sum(ishape))
    kernel = np.random.default_rng(7).normal(size=kshape)  # asymmetric on purpose
    fast = conv.filter_image(image, kernel, border=border, operation=operation)
    slow = conv.filter_image_numpy(image, kernel, border=border, operation=operation)
    assert fast.dtype == slow.dtype == np.float64
    assert fast.shape == image.shape
    assert np.max(np.abs(fast - slow)) < 1e-9
    # Third, independent implementation; its kernel gets a channel axis of size 1.
    scipy_kernel = kernel if image.ndim == 2 else kernel[:, :, None]
    scipy_filter = ndimage.convolve if operation == "convolution" else ndimage.correlate
    reference = scipy_filter(
        image.astype(np.float64), scipy_kernel, mode=SCIPY_MODES[border], cval=0.0
    )
    assert np.max(np.abs(fast - reference)) < 1e-9


def test_filter_result_keeps_negative_values():
    image = np.zeros((5, 5), dtype=np.uint8)
    image[:, 3:] = 200
    result = conv.filter_image(image, conv.kernel_preset("sobel_x"), operation="convolution")
    assert result.min() == -800  # convolution flips sobel_x: a bright right side is negative


@settings(max_examples=40, deadline=None)
@given(
    height=st.integers(1, 12),
    width=st.integers(1, 12),
    rgb=st.booleans(),
    kh=st.sampled_from([1, 3, 5, 7]),
    kw=st.sampled_from([1, 3, 5, 7]),
    border=st.sampled_from(BORDERS),
    operation=st.sampled_from(conv.OPERATIONS),
    seed=st.integers(0, 1000),
)
def test_filter_contract_property(height, width, rgb, kh, kw, border, operation, seed):
    shape = (height, width, 3) if rgb else (height, width)
    image = random_image(shape, seed)
    kernel = np.random.default_rng(seed).uniform(-2, 2, size=(kh, kw))
    result = conv.filter_image(image, kernel, border=border, operation=operation)
    assert result.shape == shape and result.dtype == np.float64
    reference = conv.filter_image_numpy(image, kernel, border=border, operation=operation)
    assert np.max(np.abs(result - reference)) < 1e-9


@pytest.mark.parametrize(
    ("args", "kwargs", "word"),
    [
        ((np.zeros((4, 4), np.float32), np.ones((3, 3))), {}, "image"),
        ((np.zeros((4, 4, 4), np.uint8), np.ones((3, 3))), {}, "image"),
        ((np.zeros((4, 4), np.uint8), np.ones((2, 2))), {}, "kernel"),
        ((np.zeros((4, 4), np.uint8), np.ones((3, 3))), {"border": "mirror"}, "border"),
        ((np.zeros((4, 4), np.uint8), np.ones((3, 3))), {"operation": "conv"}, "operation"),
    ],
)
def test_filter_rejects_bad_arguments(args, kwargs, word):
    for function in (conv.filter_image, conv.filter_image_numpy):
        with pytest.raises(ValueError, match=word):
            function(*args, **kwargs)


# --------------------------------------------------------------------------- display


def test_to_display_hand_values():
    values = np.array([-300.0, -1.6, -0.4, 0.0, 100.2, 254.6, 256.0, 300.0])
    expected = {
        "clip": [0, 0, 0, 0, 100, 255, 255, 255],
        "abs": [255, 2, 0, 0, 100, 255, 255, 255],
        "offset": [0, 126, 128, 128, 228, 255, 255, 255],
        "wrap": [(-300) % 256, 254, 0, 0, 100, 255, 0, 44],
    }
    for mapping, wanted in expected.items():
        shown = conv.to_display(values, mapping=mapping)
        assert shown.dtype == np.uint8
        np.testing.assert_array_equal(shown, wanted, err_msg=mapping)


def test_wrap_mapping_equals_the_astype_pitfall():
    values = np.random.default_rng(3).uniform(-1000, 1000, size=500)
    pitfall = np.rint(values).astype(np.int64).astype(np.uint8)
    np.testing.assert_array_equal(conv.to_display(values, mapping="wrap"), pitfall)


def test_to_display_rejects_bad_mapping_and_values():
    with pytest.raises(ValueError, match="mapping"):
        conv.to_display(np.zeros(3), mapping="scale")
    with pytest.raises(ValueError, match="values"):
        conv.to_display(np.array(["a"]))


# --------------------------------------------------------------------------- look closer


def _probe_pixels(height, width):
    rows = sorted({0, 1, height // 2, height - 2, height - 1} & set(range(height)))
    cols = sorted({0, 1, width // 2, width - 2, width - 1} & set(range(width)))
    return list(itertools.product(rows, cols))


def test_border_index_matches_np_pad():
    for length in (1, 2, 3, 5):
        values = np.arange(length)
        index = np.arange(-7, length + 7)
        for border, pad_mode in conv._NUMPY_PAD_MODES.items():
            if border == "zero":
                continue
            padded = np.pad(values, 7, mode=pad_mode)
            np.testing.assert_array_equal(
                values[conv._border_index(index, length, border)], padded, err_msg=border
            )


@pytest.mark.parametrize(("name", "size"), ALL_PRESET_SIZES)
def test_explain_pixel_equals_filtered_image(name, size):
    kernel = conv.kernel_preset(name, size=size)
    rgb = random_image((9, 11, 3), seed=size)
    grey = random_image((8, 10), seed=size + 1)
    for border, operation in itertools.product(BORDERS, conv.OPERATIONS):
        for image in (grey, rgb):
            filtered = conv.filter_image(image, kernel, border=border, operation=operation)
            shown = {m: conv.to_display(filtered, mapping=m) for m in conv.DISPLAY_MAPPINGS}
            channels = range(3) if image.ndim == 3 else [0]
            for channel in channels:
                plane = filtered if image.ndim == 2 else filtered[:, :, channel]
                for index, (row, col) in enumerate(_probe_pixels(*image.shape[:2])):
                    mapping = conv.DISPLAY_MAPPINGS[index % len(conv.DISPLAY_MAPPINGS)]
                    info = conv.explain_pixel(
                        image,
                        kernel,
                        row=row,
                        col=col,
                        channel=channel,
                        border=border,
                        operation=operation,
                        mapping=mapping,
                    )
                    where = (name, size, border, operation, channel, row, col)
                    assert abs(info.total - plane[row, col]) < 1e-9, where
                    np.testing.assert_allclose(info.products, info.neighbourhood * info.kernel)
                    assert info.total == pytest.approx(info.products.sum())
                    shown_plane = (
                        shown[mapping] if image.ndim == 2 else shown[mapping][:, :, channel]
                    )
                    assert info.display_value == shown_plane[row, col], where


def test_explain_pixel_on_image_smaller_than_kernel():
    image = random_image((2, 3), seed=5)
    kernel = np.random.default_rng(5).normal(size=(7, 7))
    for border in BORDERS:
        filtered = conv.filter_image(image, kernel, border=border, operation="convolution")
        for row, col in itertools.product(range(2), range(3)):
            info = conv.explain_pixel(
                image, kernel, row=row, col=col, border=border, operation="convolution"
            )
            assert abs(info.total - filtered[row, col]) < 1e-9


def test_explain_pixel_details_at_a_corner():
    image = np.arange(1, 10, dtype=np.uint8).reshape(3, 3)
    kernel = np.arange(9.0).reshape(3, 3)
    info = conv.explain_pixel(image, kernel, row=0, col=0, border="zero", operation="convolution")
    np.testing.assert_array_equal(info.rows, [-1, 0, 1])
    np.testing.assert_array_equal(
        info.inside, [[False, False, False], [False, True, True], [False, True, True]]
    )
    np.testing.assert_array_equal(info.neighbourhood, [[0, 0, 0], [0, 1, 2], [0, 4, 5]])
    np.testing.assert_array_equal(info.kernel, kernel[::-1, ::-1])
    assert info.total == 4 * 1 + 3 * 2 + 1 * 4 + 0 * 5


@pytest.mark.parametrize(
    ("kwargs", "word"),
    [
        ({"row": 5, "col": 0}, "row"),
        ({"row": 0, "col": -1}, "col"),
        ({"row": 0, "col": 0, "channel": 1}, "channel"),
        ({"row": 0, "col": 0, "mapping": "x"}, "mapping"),
    ],
)
def test_explain_pixel_rejects_bad_arguments(kwargs, word):
    with pytest.raises(ValueError, match=word):
        conv.explain_pixel(np.zeros((5, 5), np.uint8), np.ones((3, 3)), **kwargs)


# --------------------------------------------------------------------------- kernel kinds


@pytest.mark.parametrize(("name", "size"), ALL_PRESET_SIZES)
def test_classify_and_suggested_mapping_agree_with_the_presets(name, size):
    kernel = conv.kernel_preset(name, size=size)
    kind = conv.PRESETS[name].kind
    expected = {"identity": "smoothing", "emboss": "sharpening"}.get(kind, kind)
    assert conv.classify_kernel(kernel) == expected
    assert conv.suggested_mapping(kernel) == ("offset" if kind == "edge" else "clip")


def test_flip_symmetry():
    assert conv.is_flip_symmetric(conv.kernel_preset("gaussian", size=5))
    assert conv.is_flip_symmetric(conv.kernel_preset("laplacian"))
    assert not conv.is_flip_symmetric(conv.kernel_preset("sobel_x"))
    assert not conv.is_flip_symmetric(conv.kernel_preset("emboss"))


@pytest.mark.parametrize(("name", "column", "row"), [
    ("sobel_x", [1, 2, 1], [-1, 0, 1]), ("box", [1, 1, 1], [1 / 9] * 3), ("prewitt_y", [-1, 0, 1], [1, 1, 1])])
def test_readable_factors_are_the_textbook_ones(name, column, row):
    got_column, got_row = conv.readable_factors(conv.separate_kernel(conv.kernel_preset(name)))
    np.testing.assert_allclose(got_column, column, atol=1e-12)
    np.testing.assert_allclose(got_row, row, atol=1e-12)


def test_readable_factors_of_a_gaussian_sum_to_one_and_rebuild_it():
    kernel = conv.kernel_preset("gaussian", size=7, sigma=1.7)
    column, row = conv.readable_factors(conv.separate_kernel(kernel))
    assert column.sum() == pytest.approx(1.0)
    np.testing.assert_allclose(np.outer(column, row), kernel, atol=1e-12)
    with pytest.raises(ValueError, match="separable"):
        conv.readable_factors(conv.separate_kernel(conv.kernel_preset("laplacian")))


# --------------------------------------------------------------------------- regions


def test_the_centre_block_is_window_around_the_centre_pixel():
    image = random_image((10, 7, 3))
    assert conv._centre_window(image.shape, 4) == (3, 1, 7, 5)  # (top, left, bottom, right)
    np.testing.assert_array_equal(conv._centre_crop(image, 4), image[3:7, 1:5])
    assert conv._centre_crop(image, 50).shape == image.shape


@settings(max_examples=40, deadline=None)
@given(
    height=st.integers(1, 9),
    width=st.integers(1, 9),
    rgb=st.booleans(),
    ksize=st.sampled_from([1, 3, 5, 7]),
    border=st.sampled_from(BORDERS),
    operation=st.sampled_from(conv.OPERATIONS),
    data=st.data(),
)
def test_filter_region_equals_a_slice_of_filter_image(height, width, rgb, ksize, border, operation, data):
    image = random_image((height, width, 3) if rgb else (height, width), seed=height * 10 + width)
    kernel = np.random.default_rng(ksize).normal(size=(ksize, ksize))
    top = data.draw(st.integers(0, height - 1))
    left = data.draw(st.integers(0, width - 1))
    h = data.draw(st.integers(1, height - top))
    w = data.draw(st.integers(1, width - left))
    region = conv.filter_region(image, kernel, top=top, left=left, height=h, width=w, border=border,
                                operation=operation)
    full = conv.filter_image(image, kernel, border=border, operation=operation)
    assert np.max(np.abs(region - full[top : top + h, left : left + w])) < 1e-9


def test_filter_region_rejects_a_rectangle_past_the_image():
    with pytest.raises(ValueError, match="height"):
        conv.filter_region(random_image((5, 5)), np.ones((3, 3)), top=3, left=0, height=3, width=1)


@pytest.mark.parametrize("border", BORDERS)
def test_border_corner_shows_np_pad_values_tinted_outside(border):
    image = random_image((6, 8, 3))
    tint = (60, 120, 255)
    view = conv.border_corner(image, size=4, pad=2, border=border, tint=tint)
    padded = np.pad(image.astype(float), ((2, 2), (2, 2), (0, 0)), mode=conv._NUMPY_PAD_MODES[border])[:6, :6]
    np.testing.assert_array_equal(view[2:, 2:], image[:4, :4])
    expected_outside = np.rint(0.5 * padded + 0.5 * np.array(tint)).astype(np.uint8)
    np.testing.assert_array_equal(view[:2], expected_outside[:2])
    np.testing.assert_array_equal(view[:, :2], expected_outside[:, :2])


def test_border_corner_of_a_grey_image_smaller_than_asked():
    image = random_image((2, 3))
    view = conv.border_corner(image, size=10, pad=3, border="wrap")
    assert view.shape == (5, 6, 3)
    np.testing.assert_array_equal(view[3:, 3:, 1], image)


@pytest.mark.parametrize("border", BORDERS)
def test_border_output_corner_lines_up_with_the_output(border):
    image = random_image((9, 9))
    kernel = conv.kernel_preset("sobel_y", size=5)
    view = conv.border_output_corner(image, kernel, size=4, border=border, mapping="offset", fill=200)
    expected = conv.to_display(conv.filter_image(image, kernel, border=border), mapping="offset")[:4, :4]
    assert view.shape == (6, 6, 3)
    np.testing.assert_array_equal(view[2:, 2:, 0], expected)
    assert np.all(view[:2] == 200) and np.all(view[:, :2] == 200)


# --------------------------------------------------------------------------- facts


def test_output_stats_hand_values():
    image = np.array([[0, 10], [20, 30]], np.uint8)
    filtered = np.array([[-5.0, 0.4], [300.0, 100.0]])
    stats = conv.output_stats(image, filtered)
    assert (stats.minimum, stats.maximum) == (-5.0, 300.0)
    assert stats.below_zero == 0.25 and stats.above_255 == 0.25
    assert stats.mean_in == 15.0 and stats.mean_out == pytest.approx(98.85)
    assert stats.mean_abs_out == pytest.approx(101.35)
    with pytest.raises(ValueError, match="filtered"):
        conv.output_stats(image, np.zeros((3, 3)))


def test_max_abs_difference_does_not_wrap_uint8():
    first = np.array([0, 255], np.uint8)
    second = np.array([255, 250], np.uint8)
    assert conv.max_abs_difference(first, second) == 255.0
    assert conv.max_abs_difference(np.zeros((0,)), np.zeros((0,))) == 0.0
    with pytest.raises(ValueError, match="shape"):
        conv.max_abs_difference(np.zeros(2), np.zeros(3))


@pytest.mark.parametrize("border", BORDERS)
def test_compare_implementations_crops_large_images_and_agrees(border):
    image = random_image((70, 90, 3))
    result = conv.compare_implementations(image, conv.kernel_preset("gaussian", size=7, sigma=1.3),
                                          border=border, operation="convolution", max_side=32)
    assert result.cropped and result.compared_shape == (32, 32, 3)
    assert result.max_abs_difference < 1e-9
    assert min(result.opencv_full_seconds, result.opencv_seconds, result.numpy_seconds) > 0
    small = conv.compare_implementations(image[:10, :10], np.ones((3, 3)), max_side=32)
    assert not small.cropped and small.compared_shape == (10, 10, 3)


# --------------------------------------------------------------------------- the lesson's side panels


def reference(image, kernel, *, border="reflect", operation="correlation"):
    """scipy.ndimage's filter, one channel at a time: an independent implementation."""
    function = ndimage.convolve if operation == "convolution" else ndimage.correlate
    planes = [image] if image.ndim == 2 else [image[..., c] for c in range(image.shape[2])]
    out = [function(p.astype(np.float64), kernel, mode=SCIPY_MODES[border], cval=0.0) for p in planes]
    return out[0] if image.ndim == 2 else np.stack(out, axis=2)


def test_padded_corners_are_border_corners_drawn_as_cells():
    image = random_image((9, 11, 3))
    corners = conv.padded_corners(image, size=4, pad=1, cell=6)
    assert list(corners) == list(conv.BORDER_MODES)
    for mode, picture in corners.items():
        small = conv.border_corner(image, size=4, pad=1, border=mode)
        assert picture.shape == (31, 31, 3)  # 5 cells of 6 pixels and the closing grid line
        np.testing.assert_array_equal(picture[3::6, 3::6], small)  # the centre of every cell
        assert (picture[::6, :] == 128).all() and (picture[:, ::6] == 128).all()  # grey grid lines


@pytest.mark.parametrize("shape", [(12, 12), (12, 12, 3)])
def test_output_corners_line_up_with_the_padded_input_and_mark_what_used_made_up_values(shape):
    image = random_image(shape)
    kernel = conv.kernel_preset("laplacian")
    corners = conv.output_corners(image, kernel, size=5, operation="correlation", mapping="offset", cell=8)
    padded = conv.padded_corners(image, size=5, pad=1, cell=8)
    assert corners["reflect"].change == 0.0
    reflect = conv.to_display(reference(image, kernel), mapping="offset")[:5, :5]
    for mode, corner in corners.items():
        picture = corner.picture
        assert picture.shape == padded[mode].shape[:2] + (4,)  # the same grid: the cells line up
        expected = conv.to_display(reference(image, kernel, border=mode), mapping="offset")[:5, :5]
        centres = picture[12::8, 12::8, :3]  # cells 1..5: the margin is one cell wide
        np.testing.assert_array_equal(centres, np.broadcast_to(expected.reshape(5, 5, -1), (5, 5, 3)))
        assert (picture[:8, :, 3] == 0).all() and (picture[:, :8, 3] == 0).all()  # no output in the margin
        assert (picture[9:, 9:, 3] == 255).all()
        # Row 0 and column 0 of the output reached past the image: a blue ring inside their cells.
        np.testing.assert_array_equal(picture[9, 9 + 8 * 2 + 3, :3], conv.MADE_UP_BLUE)
        np.testing.assert_array_equal(picture[9 + 8 * 3 + 3, 9, :3], conv.MADE_UP_BLUE)
        assert not (picture[17:41, 17:41, :3] == conv.MADE_UP_BLUE).all(axis=2).any()  # inner cells: no ring
        assert corner.change == np.abs(expected.astype(int) - reflect).max()


def test_every_output_of_an_image_smaller_than_the_kernel_is_outlined():
    corners = conv.output_corners(random_image((2, 3)), np.ones((5, 5)), size=8, operation="correlation",
                                  mapping="clip", cell=10)
    picture = corners["zero"].picture
    assert picture.shape == (41, 51, 4)  # 2 + 2 rows and 2 + 3 columns of cells
    for r in range(2):
        for c in range(3):
            np.testing.assert_array_equal(picture[(2 + r) * 10 + 1, (2 + c) * 10 + 5, :3], conv.MADE_UP_BLUE)


def test_signed_views_map_the_centre_block_every_way():
    image = random_image((40, 50, 3))
    kernel = conv.kernel_preset("sobel_x")
    views = conv.signed_views(image, kernel, border="replicate", max_side=16)
    assert views.shape == (16, 16)
    block = reference(image, kernel, border="replicate")[12:28, 17:33]  # rows 20 - 8, columns 25 - 8
    assert (views.stats.minimum, views.stats.maximum) == (np.rint(block).min(), np.rint(block).max())
    assert set(views.pictures) == set(conv.DISPLAY_MAPPINGS)
    np.testing.assert_array_equal(views.pictures["abs"], np.clip(np.abs(np.rint(block)), 0, 255).astype(np.uint8))
    np.testing.assert_array_equal(views.pictures["wrap"], np.rint(block).astype(np.int64).astype(np.uint8))


def test_flip_comparison_on_an_antisymmetric_kernel():
    image = random_image((30, 30))
    kernel = conv.kernel_preset("sobel_x")  # flipped, it is its own negative
    flip = conv.flip_comparison(image, kernel, border="zero", max_side=10)
    correlated, convolved = reference(image, kernel, border="zero"), reference(image, kernel, border="zero",
                                                                               operation="convolution")
    np.testing.assert_allclose(convolved, -correlated)
    assert flip.negates and flip.mapping == "offset"
    assert flip.difference == pytest.approx(np.abs(convolved - correlated)[10:20, 10:20].max())
    np.testing.assert_array_equal(flip.pictures["convolution"],
                                  np.clip(np.rint(convolved[10:20, 10:20]) + 128, 0, 255).astype(np.uint8))
    symmetric = conv.flip_comparison(image, conv.kernel_preset("box"), max_side=10)
    assert symmetric.difference == 0.0 and not symmetric.negates and symmetric.mapping == "clip"


def test_noise_raises_the_sobel_response_of_a_flat_block():
    image = np.full((50, 60), 100, np.uint8)
    response = conv.noise_response(image, sigma=16.0, max_side=20, seed=3)
    assert response.noisy.shape == (20, 20) and response.spread == 0.0
    assert response.clean_strength == 0.0 and not response.clean_edges.any()
    # Sobel x of independent noise: sigma * sqrt(12) per pixel; the mean absolute value of a normal is
    # sqrt(2 / pi) times that.
    assert response.noisy_strength == pytest.approx(16 * np.sqrt(12) * np.sqrt(2 / np.pi), rel=0.2)
    np.testing.assert_array_equal(
        response.noisy_edges, np.clip(np.abs(np.rint(reference(response.noisy, conv.kernel_preset("sobel_x")))),
                                      0, 255).astype(np.uint8))


def test_preset_responses_are_grey_absolute_filters_of_the_centre():
    image = random_image((30, 40, 3))
    pictures = conv.preset_responses(image, presets=("sobel_y", "laplacian"), max_side=8)
    grey = cv2.cvtColor(image, cv2.COLOR_RGB2GRAY)[11:19, 16:24]
    for picture, name in zip(pictures, ("sobel_y", "laplacian")):
        expected = np.clip(np.abs(np.rint(reference(grey, conv.kernel_preset(name)))), 0, 255).astype(np.uint8)
        np.testing.assert_array_equal(picture, expected)


def test_explanation_counts_the_cells_outside_and_lists_the_ones_inside():
    image = np.arange(1, 26, dtype=np.uint8).reshape(5, 5)
    info = conv.explain_pixel(image, np.ones((3, 3)), row=0, col=4, border="zero")
    assert info.outside == 5
    np.testing.assert_array_equal(info.inside_values, [4, 5, 9, 10])
    assert info.total == 28.0


def test_to_display_agrees_with_the_shared_mapping_to_uint8():
    values = np.array([-300.4, -128.5, -0.5, 0.5, 1.5, 127.5, 254.5, 255.5, 400.0])
    np.testing.assert_array_equal(conv.to_display(values, mapping="clip"), [0, 0, 0, 0, 2, 128, 254, 255, 255])
    np.testing.assert_array_equal(conv.to_display(values, mapping="offset"), [0, 0, 128, 128, 130, 255, 255, 255, 255])
    np.testing.assert_array_equal(conv.to_display(values, mapping="abs"), [255, 128, 0, 0, 2, 128, 254, 255, 255])


def test_display_clipping_counts_what_each_mapping_sends_past_its_ends():
    values = np.array([-300.0, -128.4, -128.6, -0.4, 0.0, 127.4, 127.6, 255.4, 255.6, 600.0])
    assert conv.display_clipping(values, mapping="clip") == (0.3, 0.2)  # rounded: -300, -128, -129; 256, 600
    assert conv.display_clipping(values, mapping="offset") == (0.2, 0.4)  # -129, -300 and 128, 255, 256, 600
    assert conv.display_clipping(values, mapping="abs") == (0.0, 0.3)  # |v| of 256, 300 and 600
    assert conv.display_clipping(values, mapping="wrap") == (0.0, 0.0)
    shown = conv.to_display(values, mapping="offset")
    assert np.mean(shown == 0) >= 0.2 and np.mean(shown == 255) >= 0.4  # the spikes hold at least these


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from([-256.5, -255.5, -128.5, -127.5, -0.5, 0.5, 126.5, 127.5, 254.5, 255.5, 256.5])
                | st.floats(-400, 400), min_size=1).map(np.array),
       st.sampled_from(("clip", "abs", "offset")))
def test_display_clipping_agrees_with_to_display_at_every_tie(values, mapping):
    rounded = np.rint(values)
    shifted = {"clip": rounded, "abs": np.abs(rounded), "offset": rounded + 128}[mapping]
    at_0, at_255 = conv.display_clipping(values, mapping=mapping)
    assert at_0 == pytest.approx(np.mean(shifted < 0)) and at_255 == pytest.approx(np.mean(shifted > 255))
