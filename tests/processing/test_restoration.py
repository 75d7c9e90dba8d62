"""Tests for processing.restoration.

References: skimage.restoration.wiener and richardson_lucy, skimage.restoration.uft.ir2tf (the transfer
function), scipy.ndimage (order-statistic filters, wrapped and mirrored convolution, a trimmed mean), a
pure-Python adaptive median written from Gonzalez & Woods' description, the closed form of a box blur's
spectrum, noise statistics, and hypothesis for shape and dtype contracts.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import ndimage
from skimage import data, restoration
from skimage.restoration import uft

from processing import restoration as rs
from processing.filters import psnr


@pytest.fixture(scope="module")
def camera():
    return data.camera()[::4, ::4].copy()  # 128 x 128 grey


def grey_images(min_side=1, max_side=12):
    return st.tuples(st.integers(min_side, max_side), st.integers(min_side, max_side), st.integers(0, 10**6)).map(
        lambda t: np.random.default_rng(t[2]).integers(0, 256, (t[0], t[1]), dtype=np.uint8))


# --------------------------------------------------------------------------- noise models


def test_noise_statistics_and_seed():
    flat = np.full((200, 200), 128, np.uint8)
    for model in ("gaussian", "uniform"):
        noise = rs.add_noise(flat, model=model, level=10, seed=1).astype(float) - 128
        assert noise.std() == pytest.approx(10, rel=0.03) and abs(noise.mean()) < 0.2
    uniform = rs.add_noise(flat, model="uniform", level=10, seed=1).astype(float) - 128
    assert uniform.min() >= -math.sqrt(3) * 10 - 0.5 and uniform.max() <= math.sqrt(3) * 10 + 0.5
    salted = rs.add_noise(flat, model="salt_pepper", level=20, seed=1)
    assert np.mean(salted == 0) == pytest.approx(0.1, abs=0.01)
    assert np.mean(salted == 255) == pytest.approx(0.1, abs=0.01)
    counted = rs.add_noise(np.full((200, 200), 64, np.uint8), model="poisson", level=16, seed=1).astype(float)
    gain = 16**2 / 128
    assert counted.var() == pytest.approx(gain * 64, rel=0.05)  # photon noise: variance = gain × mean
    np.testing.assert_array_equal(rs.add_noise(flat, model="gaussian", level=5, seed=3),
                                  rs.add_noise(flat, model="gaussian", level=5, seed=3))
    np.testing.assert_array_equal(rs.add_noise(flat, model="poisson", level=0), flat)


def test_flattest_patch_finds_the_flat_mid_grey_square():
    image = np.random.default_rng(0).integers(60, 200, (100, 120), dtype=np.uint8)
    image[50:90, 20:60] = 140
    image[5:45, 70:110] = 0  # flatter still, but black: noise there would be clipped
    row, col = rs.flattest_patch(image, size=32)
    assert 50 + 16 <= row <= 90 - 16 and 20 + 16 <= col <= 60 - 16


@pytest.mark.parametrize(("model", "level", "base"), [
    ("gaussian", 8, 120), ("uniform", 12, 120), ("salt_pepper", 10, 120), ("poisson", 30, 40)])
def test_the_model_that_made_the_noise_fits_best(model, level, base):
    noisy = rs.add_noise(np.full((64, 64), base, np.uint8), model=model, level=level, seed=2)
    fit = rs.fit_noise_models(noisy, row=32, col=32, size=64)
    assert min(fit.distances, key=fit.distances.get) == model, fit.distances
    assert fit.box == (0, 0, 64, 64)
    for shares in (fit.shares, *fit.models.values()):
        assert shares.shape == (256,) and shares.sum() == pytest.approx(1.0)


def test_noise_fit_estimates_by_hand():
    patch = np.array([[10, 20], [30, 40]], np.uint8)
    fit = rs.fit_noise_models(patch, row=0, col=0, size=2)
    assert fit.mean == 25 and fit.std == pytest.approx(math.sqrt(125))
    assert fit.parameters["gaussian"] == "μ = 25.0, σ = 11.2"
    assert fit.shares[[10, 20, 30, 40]].tolist() == [0.25] * 4


# --------------------------------------------------------------------------- order statistics


@pytest.mark.parametrize("size", [1, 3, 5, 7])
def test_min_max_median_are_scipy_rank_filters(size):
    image = np.random.default_rng(size).integers(0, 256, (23, 31), dtype=np.uint8)
    np.testing.assert_array_equal(rs.order_filter(image, kind="min", size=size),
                                  ndimage.minimum_filter(image, size, mode="reflect"))
    np.testing.assert_array_equal(rs.order_filter(image, kind="max", size=size),
                                  ndimage.maximum_filter(image, size, mode="reflect"))
    np.testing.assert_array_equal(rs.order_filter(image, kind="median", size=size),
                                  ndimage.median_filter(image, size, mode="reflect"))
    midpoint = (ndimage.minimum_filter(image, size, mode="reflect").astype(float)
                + ndimage.maximum_filter(image, size, mode="reflect")) / 2
    np.testing.assert_array_equal(rs.order_filter(image, kind="midpoint", size=size), np.rint(midpoint))


@pytest.mark.parametrize(("size", "trim"), [(3, 0), (3, 2), (3, 8), (5, 6)])
def test_alpha_trimmed_mean_against_a_generic_filter(size, trim):
    image = np.random.default_rng(trim).integers(0, 256, (17, 19), dtype=np.uint8)

    def trimmed(values):
        ordered = np.sort(values)
        return ordered[trim // 2: len(ordered) - trim // 2].mean()

    reference = ndimage.generic_filter(image.astype(float), trimmed, size=size, mode="reflect")
    np.testing.assert_array_equal(rs.order_filter(image, kind="alpha_trimmed", size=size, trim=trim),
                                  np.rint(reference))


def test_alpha_trimmed_by_hand():
    image = np.array([[0, 10, 20], [30, 255, 50], [60, 70, 80]], np.uint8)
    # Centre: 0 10 20 30 50 60 70 80 255 sorted; d = 2 drops 0 and 255: mean of the other seven = 320 / 7.
    assert rs.order_filter(image, kind="alpha_trimmed", size=3, trim=2)[1, 1] == round(320 / 7)


def adaptive_median_reference(image: np.ndarray, max_size: int) -> np.ndarray:
    """Gonzalez & Woods' adaptive median, pixel by pixel, borders mirrored as scipy's "reflect"."""
    out = np.empty_like(image)
    for r in range(image.shape[0]):
        for c in range(image.shape[1]):
            z = int(image[r, c])
            size = 3
            while True:
                padded = np.pad(image, size // 2, mode="symmetric")
                window = padded[r: r + size, c: c + size].astype(int)
                low, median, high = window.min(), int(np.median(window)), window.max()
                if low < median < high:
                    out[r, c] = z if low < z < high else median
                    break
                size += 2
                if size > max_size:
                    out[r, c] = median
                    break
    return out


@pytest.mark.parametrize(("density", "max_size"), [(0.1, 3), (0.3, 5), (0.6, 7)])
def test_adaptive_median_against_a_pixel_by_pixel_reference(density, max_size):
    rng = np.random.default_rng(int(density * 10))
    image = rng.integers(40, 200, (15, 18), dtype=np.uint8)
    hit = rng.random(image.shape)
    image[hit < density / 2] = 0
    image[(hit >= density / 2) & (hit < density)] = 255
    np.testing.assert_array_equal(rs.adaptive_median(image, max_size=max_size),
                                  adaptive_median_reference(image, max_size))


def test_order_filters_compared_by_psnr(camera):
    comparison = rs.compare_order_filters(camera, densities=(0.1, 0.4), size=3, trim=2, seed=5)
    noisy = rs.add_noise(camera, model="salt_pepper", level=40.0, seed=5)
    assert comparison.filtered["median"][1] == psnr(camera, rs.order_filter(noisy, kind="median", size=3))
    assert comparison.noisy[1] == psnr(camera, noisy)
    # At 40 % the adaptive median beats the plain median, and min and max do worse than nothing.
    assert comparison.filtered["adaptive_median"][1] > comparison.filtered["median"][1]
    assert comparison.filtered["min"][1] < comparison.noisy[1] and comparison.filtered["max"][1] < comparison.noisy[1]


# --------------------------------------------------------------------------- point-spread functions


def test_motion_psf_is_a_line_of_the_given_length():
    horizontal = rs.motion_psf(length=5, angle=0)
    assert horizontal.shape == (7, 7) and horizontal.sum() == pytest.approx(1.0)
    expected = np.zeros((7, 7))
    expected[3, 1:6] = 0.2
    np.testing.assert_allclose(horizontal, expected, atol=1e-12)
    even = rs.motion_psf(length=4, angle=0)
    np.testing.assert_allclose(even[3, 1:6], [0.125, 0.25, 0.25, 0.25, 0.125])
    np.testing.assert_allclose(rs.motion_psf(length=5, angle=90), expected.T, atol=1e-12)
    assert rs.motion_psf(length=1, angle=37).tolist() == [[1.0]]
    tilted = rs.motion_psf(length=15, angle=30)
    np.testing.assert_allclose(tilted, tilted[::-1, ::-1], atol=1e-12)  # symmetric about its centre
    assert tilted[8 - 3, 8 + 5] > 0 and tilted[8 + 3, 8 + 5] == 0  # up and to the right, as on screen


def test_defocus_psf_is_a_disc():
    assert rs.defocus_psf(radius=0).tolist() == [[1.0]]
    disc = rs.defocus_psf(radius=3)
    assert disc.shape == (7, 7) and disc.sum() == pytest.approx(1.0)
    assert disc[3, 0] > 0 and disc[0, 0] == 0
    assert len(np.unique(disc[disc > 0])) == 1


def test_transfer_function_is_skimages_ir2tf():
    psf = rs.motion_psf(length=7, angle=20)
    np.testing.assert_allclose(rs.transfer_function(psf, (40, 50)), uft.ir2tf(psf, (40, 50), is_real=False),
                               atol=1e-12)
    np.testing.assert_allclose(rs.transfer_function(psf, (40, 50), real=True), uft.ir2tf(psf, (40, 50)), atol=1e-12)


def test_a_psf_larger_than_the_image_wraps_onto_itself():
    transfer = rs.transfer_function(np.full((5, 5), 1 / 25), (2, 3))
    assert transfer[0, 0] == pytest.approx(1.0)
    assert transfer.shape == (2, 3)


def test_box_spectrum_matches_its_closed_form():
    length = 9
    response = rs.filter_response(rs.motion_psf(length=length, angle=0), angle=0, threshold=0.01, balance=0.01)
    f = response.frequency[1:]
    dirichlet = np.abs(np.sin(np.pi * length * f) / (length * np.sin(np.pi * f)))
    np.testing.assert_allclose(response.magnitude[1:], dirichlet, atol=1e-12)
    assert response.magnitude[0] == pytest.approx(1.0)
    assert response.lowest < 1e-3
    kept = response.magnitude >= 0.01
    np.testing.assert_allclose(response.inverse[kept], 1 / response.magnitude[kept])
    assert np.all(response.inverse[~kept] == 0)
    assert response.wiener.max() <= 1 / (2 * math.sqrt(0.01)) + 1e-12


def test_psf_pictures():
    psf = rs.defocus_psf(radius=2)
    picture, spectrum = rs.psf_pictures(psf, (32, 40))
    assert picture.shape == (5 * 60 + 1, 5 * 60 + 1, 3) and spectrum.shape == (32, 40)
    assert spectrum[16, 20] == 255  # |H(0)| = 1: white


# --------------------------------------------------------------------------- degradation and restoration


def test_periodic_degradation_is_scipy_wrapped_convolution(camera):
    psf = rs.motion_psf(length=9, angle=45)
    reference = ndimage.convolve(camera.astype(float), psf, mode="wrap")
    np.testing.assert_allclose(rs.degrade(camera, psf, noise=0), np.clip(np.rint(reference), 0, 255), atol=1)
    camera_like = ndimage.convolve(camera.astype(float), psf, mode="reflect")
    np.testing.assert_allclose(rs.degrade(camera, psf, noise=0, border="reflect"),
                               np.clip(np.rint(camera_like), 0, 255), atol=1)
    noisy = rs.degrade(camera, psf, noise=5, seed=1).astype(float) - rs.degrade(camera, psf, noise=0)
    assert noisy.std() == pytest.approx(5, rel=0.1)


def test_wiener_is_skimages_with_a_flat_regulariser(camera):
    psf = rs.defocus_psf(radius=3)
    degraded = rs.degrade(camera, psf, noise=2)
    for balance in (0.001, 0.03, 1.0):
        reference = restoration.wiener(degraded.astype(float), psf, balance=balance, reg=np.ones((1, 1)), clip=False)
        np.testing.assert_allclose(rs.wiener_filter(degraded, psf, balance=balance), reference, atol=1e-9)


def test_inverse_filter_undoes_a_blur_without_zeros():
    image = data.camera()[100:164, 200:264].copy()
    psf = np.array([[0.0, 0.1, 0.0], [0.1, 0.6, 0.1], [0.0, 0.1, 0.0]])  # |H| >= 0.2 everywhere
    restored = rs.inverse_filter(rs.degrade(image, psf, noise=0), psf, threshold=1e-6)
    assert np.abs(restored - image).max() < 0.5 / 0.2 + 1e-9  # only the rounding of the blur, amplified
    np.testing.assert_allclose(rs.wiener_filter(rs.degrade(image, psf, noise=0), psf, balance=0), restored, atol=1e-9)


def test_inverse_filter_drops_the_frequencies_below_the_cut_off():
    psf = rs.motion_psf(length=8, angle=0)
    degraded = rs.degrade(np.full((16, 32), 100, np.uint8), psf, noise=0)
    restored = rs.inverse_filter(degraded, psf, threshold=0.5)
    np.testing.assert_allclose(restored, 100, atol=1e-9)  # a flat image lives at u = v = 0 only


def test_richardson_lucy_is_skimages_on_a_periodic_image(camera):
    """scikit-image uses zero borders; on a periodically tiled copy its centre sees none for a few iterations."""
    small = camera[40:88, 40:88].copy()
    psf = rs.motion_psf(length=5, angle=30)
    degraded = rs.degrade(small, psf, noise=0)
    iterations = 6
    tiled = np.pad(degraded.astype(float) / 255, 48, mode="wrap")
    reference = restoration.richardson_lucy(tiled, psf, num_iter=iterations, clip=False)[48:96, 48:96]
    np.testing.assert_allclose(rs.richardson_lucy(degraded, psf, iterations=iterations) / 255, reference, atol=2e-5)


def test_richardson_lucy_series(camera):
    psf = rs.defocus_psf(radius=2)
    degraded = rs.degrade(camera, psf, noise=3)
    series = rs.richardson_lucy_series(degraded, psf, camera, iterations=12)
    assert series.pictures.shape == (12, *camera.shape) and series.psnr.shape == (12,)
    for count in (1, 7, 12):
        picture = rs.restore(degraded, psf, method="richardson_lucy", iterations=count)
        np.testing.assert_array_equal(rs.series_picture(series, iterations=count), picture)
        assert series.psnr[count - 1] == psnr(camera, picture)
    assert series.shortfall(int(series.psnr.argmax()) + 1) == 0.0
    assert series.shortfall(1) <= 0.0


def test_scores():
    image = data.camera()[:40, :40].copy()
    same = rs.scores(image, image)
    assert math.isinf(same.psnr) and same.ssim == pytest.approx(1.0)
    tiny = rs.scores(image[:3, :3], image[:3, :3] // 2)
    assert math.isnan(tiny.ssim) and math.isfinite(tiny.psnr)


def test_patch_picture_outlines_the_patch():
    picture = rs.patch_picture(np.zeros((10, 12), np.uint8), box=(2, 3, 6, 8), zoom=2)
    assert picture.shape == (20, 24, 3)
    assert tuple(picture[4, 6]) == (255, 191, 0) and tuple(picture[8, 10]) == (0, 0, 0)


@settings(max_examples=30, deadline=None)
@given(grey_images(), st.sampled_from(rs.ORDER_FILTERS), st.sampled_from(rs.METHODS))
def test_shapes_and_dtypes(image, kind, method):
    filtered = rs.order_filter(image, kind=kind, size=3, trim=2)
    assert filtered.shape == image.shape and filtered.dtype == np.uint8
    psf = rs.motion_psf(length=5, angle=45)
    degraded = rs.degrade(image, psf, noise=2)
    assert degraded.shape == image.shape and degraded.dtype == np.uint8
    restored = rs.restore(degraded, psf, method=method, threshold=0.05, balance=0.01, iterations=3)
    assert restored.shape == image.shape and restored.dtype == np.uint8
    fit = rs.fit_noise_models(image, row=0, col=image.shape[1] - 1, size=8)
    assert all(0.0 <= d <= 1.0 + 1e-9 for d in fit.distances.values())


@pytest.mark.parametrize(("call", "name"), [
    (lambda: rs.add_noise(np.zeros((4, 4), np.uint8), model="pink", level=1), "model"),
    (lambda: rs.add_noise(np.zeros((4, 4), np.uint8), model="gaussian", level=101), "level"),
    (lambda: rs.order_filter(np.zeros((4, 4), np.uint8), kind="mode"), "kind"),
    (lambda: rs.order_filter(np.zeros((4, 4), np.uint8), kind="min", size=4), "size"),
    (lambda: rs.order_filter(np.zeros((4, 4), np.uint8), kind="alpha_trimmed", size=3, trim=3), "trim"),
    (lambda: rs.order_filter(np.zeros((4, 4), np.uint8), kind="alpha_trimmed", size=3, trim=10), "trim"),
    (lambda: rs.adaptive_median(np.zeros((4, 4), np.uint8), max_size=17), "max_size"),
    (lambda: rs.motion_psf(length=0, angle=0), "length"),
    (lambda: rs.defocus_psf(radius=-1), "radius"),
    (lambda: rs.point_spread_function(kind="gaussian"), "kind"),
    (lambda: rs.degrade(np.zeros((4, 4), np.uint8), np.ones((2, 2)), noise=0), "psf"),
    (lambda: rs.degrade(np.zeros((4, 4), np.uint8), np.ones((3, 3)), noise=0, border="wrap"), "border"),
    (lambda: rs.degrade(np.zeros((4, 4), np.uint8), np.ones((3, 3)), noise=60), "noise"),
    (lambda: rs.inverse_filter(np.zeros((4, 4), np.uint8), np.ones((3, 3)), threshold=0), "threshold"),
    (lambda: rs.wiener_filter(np.zeros((4, 4)), np.ones((3, 3))), "degraded"),
    (lambda: rs.richardson_lucy(np.zeros((4, 4), np.uint8), -np.ones((3, 3))), "psf"),
    (lambda: rs.richardson_lucy(np.zeros((4, 4), np.uint8), np.ones((3, 3)), iterations=0), "iterations"),
    (lambda: rs.restore(np.zeros((4, 4), np.uint8), np.ones((3, 3)), method="blind"), "method"),
    (lambda: rs.flattest_patch(np.zeros((4, 4), np.uint8), size=0), "size"),
    (lambda: rs.patch_picture(np.zeros((4, 4), np.uint8), box=(0, 0, 2, 2), zoom=0), "zoom"),
])
def test_bad_arguments_name_the_parameter(call, name):
    with pytest.raises(ValueError, match=name):
        call()
