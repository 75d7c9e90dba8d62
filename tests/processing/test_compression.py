"""Tests for processing.compression.

References: ``cv2.dct`` and ``scipy.fft.dctn`` for the from-scratch DCT; the JPEG
standard's tables (ITU-T T.81 Annex K) and the IJG scaling formula, checked against
the tables Pillow reads back from OpenCV's real files; Pillow's JFIF YCbCr
conversion; OpenCV's real JPEG (libjpeg-turbo) for the whole round trip and its
optimised-Huffman file size for the entropy estimate; hand-computed arrays.
"""

from __future__ import annotations

import io

import cv2
import numpy as np
import pytest
import scipy.fft
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image
from skimage import data

from processing import compression as jpeg
from processing.filters import psnr

#: The rebuilt image's PSNR may differ from the real JPEG's by at most this (dB): libjpeg-turbo's DCT is
#: in integers and its colour conversion in fixed point, ours in floating point.
PSNR_MARGIN = 0.1


def images(max_side=20):
    """Small grey or RGB uint8 images."""
    return st.tuples(st.integers(1, max_side), st.integers(1, max_side), st.booleans(), st.integers(0, 10**6)).map(
        lambda t: np.random.default_rng(t[3]).integers(0, 256, (t[0], t[1], 3) if t[2] else (t[0], t[1]),
                                                       dtype=np.uint8))


@pytest.fixture(scope="module")
def astronaut():
    return data.astronaut()[100:300, 120:360].copy()  # 200 x 240 RGB: face, suit, flag


@pytest.fixture(scope="module")
def camera():
    return data.camera()[::2, ::2].copy()  # 256 x 256 grey


# --------------------------------------------------------------------------- tables


def test_quality_50_is_the_standard_luminance_table():
    standard = np.array([
        [16, 11, 10, 16, 24, 40, 51, 61], [12, 12, 14, 19, 26, 58, 60, 55],
        [14, 13, 16, 24, 40, 57, 69, 56], [14, 17, 22, 29, 51, 87, 80, 62],
        [18, 22, 37, 56, 68, 109, 103, 77], [24, 35, 55, 64, 81, 104, 113, 92],
        [49, 64, 78, 87, 103, 121, 120, 101], [72, 92, 95, 98, 112, 100, 103, 99],
    ])
    np.testing.assert_array_equal(jpeg.quantisation_table(50), standard)
    assert jpeg.quantisation_table(50, chroma=True)[0, :4].tolist() == [17, 18, 24, 47]
    assert (jpeg.quantisation_table(50, chroma=True)[4:] == 99).all()


@pytest.mark.parametrize("quality", [1, 10, 25, 49, 50, 51, 75, 90, 99, 100])
def test_other_qualities_follow_the_ijg_formula(quality):
    scale = 5000 / quality if quality < 50 else 200 - 2 * quality
    for base, chroma in ((jpeg.LUMINANCE_TABLE, False), (jpeg.CHROMINANCE_TABLE, True)):
        expected = np.clip(np.floor((base * int(scale) + 50) / 100), 1, 255)
        np.testing.assert_array_equal(jpeg.quantisation_table(quality, chroma=chroma), expected)
    assert jpeg.quality_scale(quality) == int(scale)


@pytest.mark.parametrize("quality", [5, 30, 50, 80, 100])
def test_tables_are_the_ones_in_a_real_file(quality, astronaut):
    """Pillow reads the tables OpenCV wrote into the file (natural order, luma first)."""
    ok, data_ = cv2.imencode(".jpg", astronaut, [cv2.IMWRITE_JPEG_QUALITY, quality])
    tables = Image.open(io.BytesIO(data_.tobytes())).quantization
    np.testing.assert_array_equal(np.reshape(tables[0], (8, 8)), jpeg.quantisation_table(quality))
    np.testing.assert_array_equal(np.reshape(tables[1], (8, 8)), jpeg.quantisation_table(quality, chroma=True))


def test_hand_computed_steps():
    assert jpeg.quantisation_table(25)[0, 0] == 32  # 16 × 200 % → 32
    assert jpeg.quantisation_table(90)[0, 0] == 3  # (16 × 20 + 50) // 100
    assert jpeg.quantisation_table(100).max() == 1
    assert jpeg.quantisation_table(1).max() == 255  # baseline caps at 255


# --------------------------------------------------------------------------- the transform


def test_dct_matrix_is_orthonormal_and_matches_the_formula():
    c = jpeg.dct_matrix()
    np.testing.assert_allclose(c @ c.T, np.eye(8), atol=1e-12)
    assert c[0, 3] == pytest.approx(1 / np.sqrt(8))
    assert c[2, 1] == pytest.approx(0.5 * np.cos(3 * 2 * np.pi / 16))


@given(st.integers(0, 10**6))
@settings(max_examples=30, deadline=None)
def test_block_dct_matches_scipy_and_opencv(seed):
    block = np.random.default_rng(seed).uniform(-128, 127, (8, 8))
    ours = jpeg.block_dct(block)
    np.testing.assert_allclose(ours, scipy.fft.dctn(block, norm="ortho"), atol=1e-9)
    np.testing.assert_allclose(ours, cv2.dct(block), atol=1e-9)
    np.testing.assert_allclose(jpeg.block_idct(ours), block, atol=1e-9)
    np.testing.assert_allclose(jpeg.block_idct(ours), cv2.idct(ours), atol=1e-9)


def test_block_dct_works_on_stacks_of_blocks():
    blocks = np.random.default_rng(1).uniform(-128, 127, (3, 4, 8, 8))
    np.testing.assert_allclose(jpeg.block_dct(blocks), scipy.fft.dctn(blocks, axes=(-2, -1), norm="ortho"),
                               atol=1e-9)


def test_flat_block_has_only_a_dc_coefficient():
    coefficients = jpeg.block_dct(np.full((8, 8), 10.0))
    assert coefficients[0, 0] == pytest.approx(80.0)  # 8 × the mean
    coefficients[0, 0] = 0
    np.testing.assert_allclose(coefficients, 0, atol=1e-12)


def test_basis_images_are_the_inverse_dct_of_one_coefficient():
    for u, v in ((0, 0), (0, 1), (3, 5), (7, 7)):
        unit = np.zeros((8, 8))
        unit[u, v] = 1
        np.testing.assert_allclose(jpeg.basis_image(u, v), scipy.fft.idctn(unit, norm="ortho"), atol=1e-12)
    picture = jpeg.basis_picture(cell=2, gap=1)
    assert picture.shape == (8 * 17 + 1, 8 * 17 + 1, 3) and picture.dtype == np.uint8
    framed = jpeg.basis_picture(cell=2, gap=1, used=np.eye(8, dtype=bool))
    assert (framed != picture).any()


def test_zigzag_order_starts_and_ends_as_the_standard():
    order = jpeg.zigzag_order()
    assert order[:10].tolist() == [[0, 0], [0, 1], [1, 0], [2, 0], [1, 1], [0, 2], [0, 3], [1, 2], [2, 1], [3, 0]]
    assert order[-3:].tolist() == [[6, 7], [7, 6], [7, 7]]
    assert len({tuple(p) for p in order}) == 64
    # The standard's zig-zag index of each natural position (T.81 Figure A.6), row by row.
    index = np.empty((8, 8), int)
    index[order[:, 0], order[:, 1]] = np.arange(64)
    assert index[0].tolist() == [0, 1, 5, 6, 14, 15, 27, 28]
    assert index[7].tolist() == [35, 36, 48, 49, 57, 58, 62, 63]


# --------------------------------------------------------------------------- colour


def test_ycbcr_matches_pillows_jfif_conversion(astronaut):
    ours = jpeg.to_ycbcr(astronaut).astype(int)
    pillow = np.asarray(Image.fromarray(astronaut).convert("YCbCr")).astype(int)
    assert np.abs(ours - pillow).max() <= 1
    back = jpeg.from_ycbcr(jpeg.to_ycbcr(astronaut)).astype(int)
    assert np.abs(back - astronaut).max() <= 3  # rounding to uint8 in between


def test_pure_colours_in_ycbcr():
    rgb = np.array([[[255, 255, 255], [0, 0, 0], [255, 0, 0], [0, 0, 255]]], np.uint8)
    ycc = jpeg.to_ycbcr(rgb)
    assert ycc[0, 0].tolist() == [255, 128, 128] and ycc[0, 1].tolist() == [0, 128, 128]
    assert ycc[0, 2, 0] == 76 and ycc[0, 2, 2] == 255  # red: Y = 0.299 · 255, Cr at its top
    assert ycc[0, 3, 1] == 255  # blue: Cb at its top


@pytest.mark.parametrize(("scheme", "kept", "chroma_shape"),
                         [("4:4:4", 1.0, (200, 240)), ("4:2:2", 2 / 3, (200, 120)), ("4:2:0", 0.5, (100, 120))])
def test_subsampling_keeps_the_stated_share(astronaut, scheme, kept, chroma_shape):
    result = jpeg.subsample_chroma(astronaut, subsampling=scheme)
    assert result.kept == pytest.approx(kept)
    assert result.cb.shape == result.cr.shape == chroma_shape and result.y.shape == (200, 240)
    assert result.rebuilt.shape == astronaut.shape and result.difference.dtype == np.int16
    if scheme == "4:4:4":
        assert result.psnr > 45  # only the rounding of the colour conversion
    else:
        assert 25 < result.psnr < 45


def test_subsampling_averages_blocks_of_chroma():
    ycc = np.zeros((2, 4, 3), np.uint8)
    ycc[..., 0] = 128
    ycc[..., 1] = [[100, 110, 120, 130], [102, 112, 122, 132]]
    ycc[..., 2] = 128
    rgb = jpeg.from_ycbcr(ycc)
    cb = jpeg.to_ycbcr(rgb)[..., 1].astype(float)
    expected = np.rint(cb.reshape(1, 2, 2, 2).mean(axis=(1, 3)))
    np.testing.assert_array_equal(jpeg.subsample_chroma(rgb, subsampling="4:2:0").cb, expected)


def test_odd_sizes_are_subsampled_with_the_last_row_repeated():
    rgb = np.random.default_rng(0).integers(0, 256, (5, 7, 3), dtype=np.uint8)
    result = jpeg.subsample_chroma(rgb, subsampling="4:2:0")
    assert result.cb.shape == (3, 4) and result.rebuilt.shape == rgb.shape


# --------------------------------------------------------------------------- one block


def test_block_analysis_by_hand():
    plane = np.full((16, 16), 128, np.uint8)
    plane[8:, 8:] = 200  # the bottom-right block is flat at 200: DC = 8 × 72 = 576
    block = jpeg.analyse_block(plane, row=12, col=9, quality=50)
    assert (block.top, block.left) == (8, 8)
    assert block.coefficients[0, 0] == pytest.approx(576)
    assert block.quantised[0, 0] == 36 and block.kept == 1 and block.last == 0  # round(576 / 16)
    assert (block.rebuilt == 200).all()  # 36 × 16 = 576: exact
    assert block.zigzag[0] == 36 and (block.zigzag[1:] == 0).all()


def test_block_analysis_equals_the_whole_image_round_trip(camera):
    whole = jpeg.compress(camera, quality=30)
    block = jpeg.analyse_block(camera, row=100, col=61, quality=30)
    np.testing.assert_array_equal(block.quantised, whole.quantised[0][100 // 8, 61 // 8])
    np.testing.assert_array_equal(block.rebuilt, whole.rebuilt[96:104, 56:64])


def test_a_block_at_the_edge_is_padded_by_repetition():
    plane = np.arange(10 * 10, dtype=np.uint8).reshape(10, 10)
    block = jpeg.analyse_block(plane, row=9, col=9, quality=80)
    np.testing.assert_array_equal(block.pixels[:2, :2], plane[8:, 8:])
    np.testing.assert_array_equal(block.pixels[:, 7], block.pixels[:, 1])


# --------------------------------------------------------------------------- the whole image


@pytest.mark.parametrize("quality", [10, 50, 90])
@pytest.mark.parametrize("scheme", ["4:4:4", "4:2:2", "4:2:0"])
def test_rebuilt_psnr_matches_a_real_jpeg(astronaut, quality, scheme):
    ours = jpeg.compress(astronaut, quality=quality, subsampling=scheme)
    real = jpeg.real_jpeg(astronaut, quality=quality, subsampling=scheme)
    assert abs(ours.psnr - real.psnr) <= PSNR_MARGIN
    assert psnr(ours.rebuilt, real.decoded) > 40  # the two pictures agree much better than either with the input


@pytest.mark.parametrize("quality", [10, 50, 90])
def test_grey_round_trip_matches_a_real_jpeg(camera, quality):
    ours = jpeg.compress(camera, quality=quality)
    real = jpeg.real_jpeg(camera, quality=quality)
    assert abs(ours.psnr - real.psnr) <= PSNR_MARGIN
    assert psnr(ours.rebuilt, real.decoded) > 45


def test_real_jpeg_agrees_with_pillow(astronaut):
    real = jpeg.real_jpeg(astronaut, quality=60, subsampling="4:2:0")
    buffer = io.BytesIO()
    Image.fromarray(astronaut).save(buffer, "JPEG", quality=60, subsampling=2)
    pillow = np.asarray(Image.open(buffer))
    assert psnr(pillow, real.decoded) > 40
    assert real.bits_per_pixel == pytest.approx(8 * real.size / (200 * 240))
    assert real.optimised_size < real.size


@pytest.mark.parametrize("quality", [10, 50, 90])
def test_entropy_estimate_is_close_to_the_optimised_file(astronaut, camera, quality):
    """Ideal codes for JPEG's own symbols need a little less than optimised Huffman codes (whole bits per symbol)
    plus the file's headers and tables (about 600 bytes)."""
    for image in (astronaut, camera):
        estimate = jpeg.compress(image, quality=quality).entropy
        real = jpeg.real_jpeg(image, quality=quality)
        assert 0.8 * real.optimised_size < estimate.symbol_bits / 8 < real.optimised_size
        assert estimate.symbol_bits < estimate.order0_bits  # runs of zeros are cheaper than zeros one by one


def test_entropy_by_hand():
    blocks = np.zeros((2, 8, 8), int)
    blocks[0, 0, 0] = 4  # DC 4 then 4 again: differences 4 (size 3) and 0 (size 0)
    blocks[1, 0, 0] = 4
    blocks[1, 0, 1] = -1  # one AC: run 0, size 1
    estimate = jpeg.coefficient_entropy((blocks,))
    assert estimate.coefficients == 128 and estimate.zeros == pytest.approx(125 / 128)
    # DC categories {3, 0}: 2 bits; AC symbols {EOB, 0x01, EOB}: 3 · H(2/3, 1/3); extra bits 3 + 1.
    ac = 3 * -(2 / 3 * np.log2(2 / 3) + 1 / 3 * np.log2(1 / 3))
    assert estimate.symbol_bits == pytest.approx(2 + ac + 4)
    values = blocks.ravel()
    p = np.bincount(values - values.min()) / values.size
    p = p[p > 0]
    assert estimate.order0_bits == pytest.approx(-values.size * (p * np.log2(p)).sum())


def test_long_runs_of_zeros_need_16_zero_codes():
    blocks = np.zeros((1, 8, 8), int)
    order = jpeg.zigzag_order()
    blocks[0, order[40, 0], order[40, 1]] = 1  # 39 zeros before it: two 16-zero codes, then run 7
    blocks[0, order[63, 0], order[63, 1]] = 1  # the last position: no end-of-block code
    estimate = jpeg.coefficient_entropy((blocks,))
    # 39 zeros: ZRL, ZRL, (run 7, size 1); then 22 zeros: ZRL, (6, 1); the last position needs no end of block.
    assert estimate.symbol_bits == pytest.approx(
        -(3 * np.log2(3 / 5) + np.log2(1 / 5) + np.log2(1 / 5)) + 2)


@given(images())
@settings(max_examples=40, deadline=None)
def test_compress_keeps_shape_and_dtype(image):
    result = jpeg.compress(image, quality=40, subsampling="4:2:0")
    assert result.rebuilt.shape == image.shape and result.rebuilt.dtype == np.uint8
    planes = 1 if image.ndim == 2 else 3
    assert len(result.quantised) == planes
    blocks = -(-image.shape[0] // 8) * -(-image.shape[1] // 8)
    assert result.quantised[0].shape == (-(-image.shape[0] // 8), -(-image.shape[1] // 8), 8, 8)
    assert result.entropy.coefficients >= 64 * blocks


@given(images(12))
@settings(max_examples=25, deadline=None)
def test_real_jpeg_keeps_shape(image):
    real = jpeg.real_jpeg(image, quality=70)
    assert real.decoded.shape == image.shape and real.decoded.dtype == np.uint8
    assert np.isnan(jpeg.quality_point(image, quality=70).ssim) == (min(image.shape[:2]) < 7)


def test_quality_100_is_nearly_lossless(camera):
    assert jpeg.compress(camera, quality=100).psnr > 45


def test_a_constant_image_keeps_only_its_rounded_dc():
    flat = np.full((16, 24), 77, np.uint8)
    # DC = 8 × (77 - 128) = -408; at quality 10 the step is 80: round(-5.1) = -5, back to -400: 78 everywhere.
    ours = jpeg.compress(flat, quality=10)
    assert (ours.rebuilt == 78).all() and ours.entropy.zeros == pytest.approx(63 / 64)
    np.testing.assert_array_equal(jpeg.real_jpeg(flat, quality=10).decoded, ours.rebuilt)
    assert jpeg.compress(np.full((16, 24), 128, np.uint8), quality=10).psnr == float("inf")


# --------------------------------------------------------------------------- curves and pictures


def test_quality_curve_rises_with_quality(astronaut):
    curve = jpeg.quality_curve(astronaut, subsampling="4:2:0")
    assert [p.quality for p in curve.points] == list(jpeg.CURVE_QUALITIES)
    bits = [p.bits_per_pixel for p in curve.points]
    assert bits == sorted(bits)
    assert curve.points[-1].psnr > curve.points[0].psnr + 10
    assert curve.points[-1].ssim > curve.points[0].ssim
    assert curve.png_bits_per_pixel > bits[-1]  # lossless costs more than quality 100
    point = jpeg.quality_point(astronaut, quality=50, subsampling="4:2:0")
    assert point == curve.points[jpeg.CURVE_QUALITIES.index(50)]
    from processing.filters import ssim

    real = jpeg.real_jpeg(astronaut, quality=50)
    assert point.ssim == pytest.approx(ssim(jpeg.luma_plane(astronaut), jpeg.luma_plane(real.decoded)))
    real = jpeg.real_jpeg(astronaut, quality=50)
    assert point.bits_per_pixel == pytest.approx(real.bits_per_pixel) and point.psnr == pytest.approx(real.psnr)


def test_curve_copy_shrinks_only_large_images():
    small = np.zeros((100, 100), np.uint8)
    assert jpeg.curve_copy(small) is small
    large = np.zeros((1000, 1000, 3), np.uint8)
    copy = jpeg.curve_copy(large)
    assert copy.shape[0] * copy.shape[1] <= jpeg.CURVE_PIXELS and copy.shape[2] == 3


def test_generation_loss_is_worse_when_the_grid_moves(camera):
    loss = jpeg.generation_loss(camera, quality=75, generations=8)
    assert loss.generations.tolist() == list(range(1, 9))
    assert loss.same_grid[-1] <= loss.same_grid[0] + 1e-9
    assert loss.same_grid[-1] > loss.same_grid[0] - 1.0  # re-saving as it is nearly settles
    assert loss.shifted_grid[-1] < loss.same_grid[-1] - 1.0  # moving the grid keeps losing


@pytest.mark.parametrize("scheme", ["4:4:4", "4:2:0"])
@pytest.mark.parametrize(("row", "col"), [(100, 200), (3, 5), (505, 510), (250, 37)])
def test_edge_crops_are_crops_of_the_whole_file(scheme, row, col):
    image = data.astronaut()
    crops = jpeg.edge_crops(image, row=row, col=col, qualities=(10,), size=40, zoom=1, subsampling=scheme)
    whole = jpeg.real_jpeg(image, quality=10, subsampling=scheme).decoded
    top, left = min(max(row - 20, 0), 512 - 40), min(max(col - 20, 0), 512 - 40)
    np.testing.assert_array_equal(crops[0], image[top:top + 40, left:left + 40])
    np.testing.assert_array_equal(crops[1], whole[top:top + 40, left:left + 40])


def test_edge_crops_and_previews():
    image = data.camera()
    crops = jpeg.edge_crops(image, row=100, col=200, qualities=(10, 90), size=40, zoom=4)
    assert len(crops) == 3 and all(c.shape == (160, 160) for c in crops)
    assert psnr(crops[0], crops[2]) > psnr(crops[0], crops[1])
    preview = jpeg.block_preview(image, row=100, col=200, max_width=256)
    assert preview.shape == (256, 256, 3)
    assert jpeg.line_drawing().shape == (120, 240)
    assert jpeg.luma_plane(image) is image
    assert jpeg.luma_plane(data.astronaut()).shape == (512, 512)


def test_png_is_smaller_than_jpeg_for_a_line_drawing():
    drawing = jpeg.line_drawing()
    assert jpeg.png_size(drawing) < jpeg.real_jpeg(drawing, quality=75).size


# --------------------------------------------------------------------------- bad arguments


@pytest.mark.parametrize(("call", "name"), [
    (lambda: jpeg.quantisation_table(0), "quality"),
    (lambda: jpeg.quantisation_table(101), "quality"),
    (lambda: jpeg.quality_scale(2.5), "quality"),
    (lambda: jpeg.block_dct(np.zeros((4, 4))), "block"),
    (lambda: jpeg.block_idct(np.zeros((8, 7))), "coefficients"),
    (lambda: jpeg.basis_image(8, 0), "u"),
    (lambda: jpeg.to_ycbcr(np.zeros((4, 4), np.uint8)), "image"),
    (lambda: jpeg.subsample_chroma(np.zeros((4, 4, 3), np.uint8), subsampling="4:1:1"), "subsampling"),
    (lambda: jpeg.analyse_block(np.zeros((8, 8), np.uint8), row=8, col=0, quality=50), "row"),
    (lambda: jpeg.analyse_block(np.zeros((8, 8, 3), np.uint8), row=0, col=0, quality=50), "plane"),
    (lambda: jpeg.compress(np.zeros((8, 8), np.float32), quality=50), "image"),
    (lambda: jpeg.real_jpeg(np.zeros((8, 8), np.uint8), quality=50, subsampling="nope"), "subsampling"),
    (lambda: jpeg.coefficient_entropy(()), "planes"),
    (lambda: jpeg.generation_loss(np.zeros((8, 8), np.uint8), generations=0), "generations"),
    (lambda: jpeg.edge_crops(np.zeros((8, 8), np.uint8), row=0, col=0, qualities=(10,), size=4), "size"),
    (lambda: jpeg.basis_picture(used=np.zeros((8, 8))), "used"),
])
def test_bad_arguments_are_named(call, name):
    with pytest.raises(ValueError, match=name):
        call()


# --------------------------------------------------------------------------- the code panels' text

def _run(code: str, img: np.ndarray) -> np.ndarray:
    scope = {"np": np, "cv2": cv2, "img": img}
    exec(code, scope)  # our own generated text, never user input
    return scope["result"]


@pytest.mark.parametrize("subsampling", list(jpeg.SUBSAMPLING))
@pytest.mark.parametrize("colour", [True, False])
def test_code_texts_reproduce_compress_and_real_jpeg(subsampling, colour):
    image = data.astronaut()[:61, :77] if colour else data.camera()[:61, :77]  # not whole blocks
    assert np.array_equal(_run(jpeg.scratch_code(30, subsampling, colour=colour), image),
                          jpeg.compress(image, quality=30, subsampling=subsampling).rebuilt)
    assert np.array_equal(_run(jpeg.real_code(30, subsampling, colour=colour), image),
                          jpeg.real_jpeg(image, quality=30, subsampling=subsampling).decoded)


def test_code_texts_name_bad_arguments():
    with pytest.raises(ValueError, match="quality"):
        jpeg.scratch_code(0, "4:2:0", colour=True)
    with pytest.raises(ValueError, match="subsampling"):
        jpeg.real_code(50, "4:1:1", colour=True)
