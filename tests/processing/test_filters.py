"""Tests for processing.filters.

References: skimage.metrics (PSNR, SSIM), skimage.filters.unsharp_mask,
scipy.ndimage (uniform, Gaussian and median filters), a from-scratch NumPy
bilateral filter, cv2.filter2D, noise statistics and hand-computed arrays.
"""

from __future__ import annotations

import numpy as np
import pytest
import cv2
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import ndimage
from skimage import data, metrics
from skimage import filters as sk_filters

from processing import filters as flt
from processing.convolution import kernel_preset


@pytest.fixture(scope="module")
def camera():
    return data.camera()[100:260, 150:330].copy()  # 160 x 180 grey, has edges and texture


@pytest.fixture(scope="module")
def astronaut():
    return data.astronaut()[40:160, 150:290].copy()  # 120 x 140 RGB


def images(max_side=12):
    """Small grey or RGB uint8 images."""
    return st.tuples(
        st.integers(1, max_side), st.integers(1, max_side), st.booleans(), st.integers(0, 10**6)
    ).map(
        lambda t: np.random.default_rng(t[3]).integers(
            0, 256, (t[0], t[1], 3) if t[2] else (t[0], t[1]), dtype=np.uint8
        )
    )


# --------------------------------------------------------------------------- noise


def test_gaussian_noise_statistics_and_seed():
    flat = np.full((300, 300), 128, dtype=np.uint8)
    noisy = flt.add_gaussian_noise(flat, sigma=15, seed=3)
    difference = noisy.astype(np.float64) - 128
    assert abs(difference.mean()) < 0.2
    assert difference.std() == pytest.approx(15, rel=0.03)
    np.testing.assert_array_equal(noisy, flt.add_gaussian_noise(flat, sigma=15, seed=3))
    assert not np.array_equal(noisy, flt.add_gaussian_noise(flat, sigma=15, seed=4))
    np.testing.assert_array_equal(flt.add_gaussian_noise(flat, sigma=0, seed=3), flat)


def test_gaussian_noise_clips_instead_of_wrapping():
    white = np.full((50, 50), 250, dtype=np.uint8)
    noisy = flt.add_gaussian_noise(white, sigma=40, seed=1)
    # Wrapping would put many bright pixels near 0; clipping piles them at 255.
    assert noisy.min() > 100
    assert np.mean(noisy == 255) > 0.3


def test_salt_and_pepper_rgb_hits_whole_pixels():
    image = np.full((200, 200, 3), (90, 120, 150), dtype=np.uint8)
    noisy = flt.add_salt_and_pepper(image, amount=0.2, seed=0)
    black = np.all(noisy == 0, axis=2)
    white = np.all(noisy == 255, axis=2)
    untouched = np.all(noisy == image, axis=2)
    assert np.all(black | white | untouched)  # no pixel has only some channels hit
    assert black.mean() == pytest.approx(0.1, abs=0.01)
    assert white.mean() == pytest.approx(0.1, abs=0.01)
    np.testing.assert_array_equal(flt.add_salt_and_pepper(image, amount=0.0), image)
    assert np.all(np.isin(flt.add_salt_and_pepper(image, amount=1.0), [0, 255]))


def test_speckle_noise_is_multiplicative():
    image = np.zeros((200, 400), dtype=np.uint8)
    image[:, 200:] = 200
    noisy = flt.add_speckle_noise(image, sigma=0.1, seed=2).astype(np.float64)
    assert np.all(noisy[:, :200] == 0)  # 0 times anything stays 0
    assert noisy[:, 200:].std() == pytest.approx(200 * 0.1, rel=0.05)


@settings(max_examples=25, deadline=None)
@given(images(), st.integers(0, 2**32 - 1))
def test_noise_contract(image, seed):
    for noisy in (
        flt.add_gaussian_noise(image, sigma=10, seed=seed),
        flt.add_salt_and_pepper(image, amount=0.3, seed=seed),
        flt.add_speckle_noise(image, sigma=0.3, seed=seed),
    ):
        assert noisy.shape == image.shape and noisy.dtype == np.uint8


@pytest.mark.parametrize(
    ("call", "word"),
    [
        (lambda im: flt.add_gaussian_noise(im, sigma=-1), "sigma"),
        (lambda im: flt.add_gaussian_noise(im, sigma=1, seed=-1), "seed"),
        (lambda im: flt.add_salt_and_pepper(im, amount=1.5), "amount"),
        (lambda im: flt.add_speckle_noise(im, sigma=float("nan")), "sigma"),
        (lambda im: flt.add_gaussian_noise(im.astype(np.float32), sigma=1), "image"),
    ],
)
def test_noise_rejects_bad_arguments(call, word):
    with pytest.raises(ValueError, match=word):
        call(np.zeros((4, 4), np.uint8))


# --------------------------------------------------------------------------- denoising


def test_box_blur_matches_scipy_uniform_filter(astronaut):
    reference = ndimage.uniform_filter(astronaut.astype(np.float64), size=(5, 5, 1), mode="mirror")
    difference = np.abs(flt.box_blur(astronaut, size=5).astype(np.float64) - reference)
    assert difference.max() <= 0.5 + 1e-9  # only the rounding to uint8


def test_gaussian_blur_matches_scipy(camera):
    # OpenCV's uint8 window covers ±3 sigma, so truncate scipy's at 3 sigma too.
    reference = ndimage.gaussian_filter(
        camera.astype(np.float64), sigma=2.0, mode="mirror", truncate=3.0
    )
    difference = np.abs(flt.gaussian_blur(camera, sigma=2.0).astype(np.float64) - reference)
    # Rounding plus OpenCV's fixed-point uint8 kernel (measured max 1.04).
    assert difference.max() <= 1.5
    assert difference.mean() < 0.35


@pytest.mark.parametrize("size", [3, 5, 7])
def test_median_blur_matches_scipy(astronaut, size):
    reference = ndimage.median_filter(astronaut, size=(size, size, 1), mode="nearest")
    np.testing.assert_array_equal(flt.median_blur(astronaut, size=size), reference)


def _bilateral_reference(image, diameter, sigma_color, sigma_space):
    """From-scratch bilateral filter with OpenCV's conventions (round window, L1 colour)."""
    radius = diameter // 2
    height, width = image.shape[:2]
    pad = [(radius, radius), (radius, radius)] + [(0, 0)] * (image.ndim - 2)
    padded = np.pad(image.astype(np.float64), pad, mode="reflect")
    total = np.zeros(image.shape)
    weights = np.zeros(image.shape[:2])
    for dy in range(-radius, radius + 1):
        for dx in range(-radius, radius + 1):
            if dy * dy + dx * dx > radius * radius:
                continue
            shifted = padded[radius + dy : radius + dy + height, radius + dx : radius + dx + width]
            colour = np.abs(shifted - image)
            if image.ndim == 3:
                colour = colour.sum(axis=2)
            weight = np.exp(
                -(dy * dy + dx * dx) / (2 * sigma_space**2) - colour**2 / (2 * sigma_color**2)
            )
            weights += weight
            total += (weight[..., None] if image.ndim == 3 else weight) * shifted
    return total / (weights[..., None] if image.ndim == 3 else weights)


@pytest.mark.parametrize(
    ("diameter", "sigma_color", "sigma_space"), [(5, 30.0, 3.0), (9, 75.0, 75.0)]
)
def test_bilateral_matches_numpy_reference(astronaut, camera, diameter, sigma_color, sigma_space):
    for image in (camera[:40, :50], astronaut[:30, :40]):
        result = flt.bilateral_filter(
            image, diameter=diameter, sigma_color=sigma_color, sigma_space=sigma_space
        )
        reference = _bilateral_reference(image, diameter, sigma_color, sigma_space)
        assert np.abs(result - reference).max() <= 1.0  # rounding and OpenCV's lookup tables


def test_bilateral_keeps_a_step_edge_that_gaussian_blurs():
    step = np.zeros((20, 20), dtype=np.uint8)
    step[:, 10:] = 200
    bilateral = flt.bilateral_filter(step, diameter=9, sigma_color=20, sigma_space=5)
    gaussian = flt.gaussian_blur(step, sigma=2)
    np.testing.assert_array_equal(bilateral, step)
    assert 50 < gaussian[10, 10] < 200


def test_median_beats_gaussian_on_salt_and_pepper(camera):
    noisy = flt.add_salt_and_pepper(camera, amount=0.1, seed=5)
    median = flt.psnr(camera, flt.median_blur(noisy, size=3))
    gaussian = flt.psnr(camera, flt.gaussian_blur(noisy, sigma=1.0))
    assert median > gaussian + 5


def test_nl_means_reduces_noise_and_keeps_colours():
    image = np.zeros((48, 64, 3), dtype=np.uint8)
    image[:, :32] = (200, 30, 30)  # red half; a BGR/RGB mix-up would turn it blue
    image[:, 32:] = (30, 30, 200)
    noisy = flt.add_gaussian_noise(image, sigma=20, seed=0)
    denoised = flt.nl_means_denoise(noisy, h=20, search_size=11)
    assert denoised.shape == image.shape and denoised.dtype == np.uint8
    assert flt.psnr(image, denoised) > flt.psnr(image, noisy) + 5
    red = denoised[:, 2:30].reshape(-1, 3).mean(axis=0)
    assert red[0] > 150 and red[2] < 80
    grey = noisy[:, :, 0]
    assert (
        flt.psnr(image[:, :, 0], flt.nl_means_denoise(grey, h=20, search_size=11))
        > flt.psnr(image[:, :, 0], grey) + 5
    )


@settings(max_examples=15, deadline=None)
@given(images())
def test_denoiser_contract(image):
    for result in (
        flt.box_blur(image, size=3),
        flt.gaussian_blur(image, sigma=1.0),
        flt.median_blur(image, size=3),
        flt.bilateral_filter(image, diameter=5),
    ):
        assert result.shape == image.shape and result.dtype == np.uint8


@pytest.mark.parametrize(
    ("call", "word"),
    [
        (lambda im: flt.box_blur(im, size=4), "size"),
        (lambda im: flt.gaussian_blur(im, sigma=1, size=4), "size"),
        (lambda im: flt.gaussian_blur(im, sigma=0), "sigma"),
        (lambda im: flt.median_blur(im, size=1), "size"),
        (lambda im: flt.bilateral_filter(im, diameter=0), "diameter"),
        (lambda im: flt.bilateral_filter(im, sigma_color=0), "sigma_color"),
        (lambda im: flt.nl_means_denoise(im, search_size=4), "search_size"),
        (lambda im: flt.nl_means_denoise(im, h=0), "h"),
    ],
)
def test_denoisers_reject_bad_arguments(call, word):
    with pytest.raises(ValueError, match=word):
        call(np.zeros((8, 8), np.uint8))


# --------------------------------------------------------------------------- quality


@pytest.mark.parametrize("sigma", [2.0, 10.0, 40.0])
def test_psnr_matches_skimage(camera, astronaut, sigma):
    for image in (camera, astronaut):
        noisy = flt.add_gaussian_noise(image, sigma=sigma, seed=1)
        expected = metrics.peak_signal_noise_ratio(image, noisy, data_range=255)
        assert flt.psnr(image, noisy) == pytest.approx(expected, rel=1e-12)


def test_psnr_hand_values():
    image = np.full((4, 5), 100, dtype=np.uint8)
    assert flt.psnr(image, image) == float("inf")
    assert flt.psnr(image, image + 1) == pytest.approx(20 * np.log10(255))  # MSE 1
    other = image.copy()
    other[0, 0] = 0  # one error of 100 over 20 pixels: MSE 500
    assert flt.psnr(image, other) == pytest.approx(10 * np.log10(255**2 / 500))


@pytest.mark.parametrize("sigma", [5.0, 25.0])
def test_ssim_matches_skimage(camera, astronaut, sigma):
    for image in (camera, astronaut):
        noisy = flt.add_gaussian_noise(image, sigma=sigma, seed=2)
        expected = metrics.structural_similarity(
            image, noisy, data_range=255, channel_axis=-1 if image.ndim == 3 else None
        )
        assert flt.ssim(image, noisy) == pytest.approx(expected, abs=1e-9)
        _, full = metrics.structural_similarity(
            image[..., 0] if image.ndim == 3 else image,
            noisy[..., 0] if image.ndim == 3 else noisy,
            data_range=255,
            full=True,
        )
        mine = flt.ssim_map(
            image[..., 0] if image.ndim == 3 else image, noisy[..., 0] if image.ndim == 3 else noisy
        )
        np.testing.assert_allclose(mine, full, atol=1e-9)


def test_ssim_hand_cases(camera):
    assert flt.ssim(camera, camera) == pytest.approx(1.0, abs=1e-12)
    np.testing.assert_allclose(flt.ssim_map(camera, camera), 1.0, atol=1e-12)
    inverted = 255 - camera
    assert flt.ssim(camera, inverted) < 0  # anti-correlated structure


@settings(max_examples=20, deadline=None)
@given(st.integers(7, 20), st.integers(7, 20), st.integers(0, 1000))
def test_ssim_is_symmetric_and_at_most_one(height, width, seed):
    rng = np.random.default_rng(seed)
    a = rng.integers(0, 256, (height, width), dtype=np.uint8)
    b = rng.integers(0, 256, (height, width), dtype=np.uint8)
    assert flt.ssim(a, b) == pytest.approx(flt.ssim(b, a), abs=1e-12)
    assert flt.ssim(a, b) <= 1.0 + 1e-12


def test_quality_rejects_bad_arguments():
    a = np.zeros((10, 10), np.uint8)
    with pytest.raises(ValueError, match="same shape"):
        flt.psnr(a, np.zeros((10, 11), np.uint8))
    with pytest.raises(ValueError, match="test"):
        flt.ssim(a, a.astype(np.float64))
    with pytest.raises(ValueError, match="reference"):
        flt.ssim(np.zeros((5, 10), np.uint8), np.zeros((5, 10), np.uint8))


# --------------------------------------------------------------------------- sharpening


def test_unsharp_mask_equals_documented_code(astronaut):
    sigma, amount, threshold = 2.0, 1.5, 4.0
    result = flt.unsharp_mask(astronaut, amount=amount, sigma=sigma, threshold=threshold)
    blurred = cv2.GaussianBlur(astronaut, (0, 0), sigma)
    detail = astronaut.astype(np.float32) - blurred
    unclipped = astronaut + amount * np.where(np.abs(detail) >= threshold, detail, 0)
    np.testing.assert_array_equal(result.blurred, blurred)
    np.testing.assert_array_equal(result.detail, detail)
    assert result.detail.dtype == np.float32 and result.detail.min() < 0
    np.testing.assert_allclose(result.unclipped, unclipped, atol=1e-4)
    np.testing.assert_array_equal(
        result.result, np.clip(np.rint(unclipped), 0, 255).astype(np.uint8)
    )


@pytest.mark.parametrize(("amount", "sigma"), [(1.0, 1.0), (2.0, 3.0)])
def test_unsharp_mask_matches_skimage(camera, amount, sigma):
    ours = flt.unsharp_mask(camera, amount=amount, sigma=sigma).unclipped
    reference = sk_filters.unsharp_mask(camera, radius=sigma, amount=amount, preserve_range=True)
    # skimage blurs with a "nearest" border: compare away from the border. Other
    # differences come from OpenCV rounding the blurred image to uint8.
    margin = int(4 * sigma) + 1
    difference = np.abs(ours - reference)[margin:-margin, margin:-margin]
    assert difference.max() <= 1.5 * amount + 1e-6
    assert difference.mean() < 0.6 * amount


def test_unsharp_mask_amount_zero_and_large_threshold_change_nothing(camera):
    np.testing.assert_array_equal(flt.unsharp_mask(camera, amount=0.0).result, camera)
    np.testing.assert_array_equal(
        flt.unsharp_mask(camera, amount=2.0, threshold=255).result, camera
    )


def test_sharpen_kernel_and_filter2d(astronaut):
    np.testing.assert_array_equal(flt.sharpen_kernel(), kernel_preset("sharpen"))
    for strength in (1.0, 2.0, 0.0):
        kernel = flt.sharpen_kernel(strength=strength)
        assert kernel.sum() == pytest.approx(1.0)
        sharpened = flt.sharpen(astronaut, strength=strength)
        np.testing.assert_array_equal(sharpened.result, cv2.filter2D(astronaut, -1, kernel))
        assert sharpened.unclipped.dtype == np.float32
    assert flt.sharpen(astronaut).unclipped.min() < 0  # what clipping hides


def test_overshoot_hand_case():
    original = np.array([[50, 50, 50, 200, 200, 200]], dtype=np.uint8)
    sharpened = np.array([[50, 50, 30, 220, 200, 200]], dtype=np.float32)
    stats = flt.overshoot_stats(original, sharpened)
    assert stats.max_overshoot == 20 and stats.max_undershoot == 20
    assert stats.halo_fraction == pytest.approx(2 / 6)
    assert stats.clipped_fraction == 0
    clipped = flt.overshoot_stats(
        original, np.array([[50, 50, -10, 300, 200, 200]], dtype=np.float32)
    )
    assert clipped.clipped_low_fraction == pytest.approx(1 / 6)
    assert clipped.clipped_high_fraction == pytest.approx(1 / 6)
    assert clipped.max_overshoot == 100 and clipped.max_undershoot == 60


def test_overshoot_grows_with_amount_and_is_zero_for_identity(camera):
    assert flt.overshoot_stats(camera, camera.astype(np.float32)).max_overshoot == 0
    step = np.zeros((30, 30), dtype=np.uint8)
    step[:, 15:] = 255
    previous = 0.0
    for amount in (0.5, 1.0, 2.0):
        stats = flt.overshoot_stats(step, flt.unsharp_mask(step, amount=amount, sigma=2).unclipped)
        assert stats.max_overshoot > previous
        assert stats.clipped_fraction > 0  # a black/white edge always clips
        previous = stats.max_overshoot


def test_sharpening_rejects_bad_arguments(camera):
    with pytest.raises(ValueError, match="amount"):
        flt.unsharp_mask(camera, amount=-1)
    with pytest.raises(ValueError, match="threshold"):
        flt.unsharp_mask(camera, threshold=300)
    with pytest.raises(ValueError, match="strength"):
        flt.sharpen_kernel(strength=-0.5)
    with pytest.raises(ValueError, match="sharpened"):
        flt.overshoot_stats(camera, camera[:10].astype(np.float32))
    with pytest.raises(ValueError, match="size"):
        flt.overshoot_stats(camera, camera.astype(np.float32), size=2)


# --------------------------------------------------------------------------- page helpers


@pytest.mark.parametrize(
    ("kind", "strength", "function", "keyword"),
    [
        ("gaussian", 12.0, flt.add_gaussian_noise, "sigma"),
        ("salt_pepper", 0.2, flt.add_salt_and_pepper, "amount"),
        ("speckle", 0.3, flt.add_speckle_noise, "sigma"),
    ],
)
def test_add_noise_dispatches_to_each_kind(astronaut, kind, strength, function, keyword):
    expected = function(astronaut, **{keyword: strength}, seed=5)
    np.testing.assert_array_equal(flt.add_noise(astronaut, kind=kind, strength=strength, seed=5), expected)
    with pytest.raises(ValueError, match="kind"):
        flt.add_noise(astronaut, kind="poisson", strength=1.0)


def test_halo_overlay_marks_exactly_the_values_outside_the_neighbourhood_range():
    original = np.zeros((5, 6), np.uint8)
    original[:, 3:] = 200
    sharpened = original.astype(np.float32)
    sharpened[2, 3] = 260.0  # above the neighbourhood maximum 200: bright halo
    sharpened[1, 2] = -30.0  # below the minimum 0: dark halo
    sharpened[4, 4] = 200.5  # within the tolerance: no halo
    overlay = flt.halo_overlay(original, sharpened)
    assert overlay.shape == (5, 6, 3) and overlay.dtype == np.uint8
    np.testing.assert_array_equal(overlay[2, 3], (230, 159, 0))
    np.testing.assert_array_equal(overlay[1, 2], (0, 114, 178))
    np.testing.assert_array_equal(overlay[4, 4], (100, 100, 100))  # dimmed grey
    np.testing.assert_array_equal(overlay[0, 0], (0, 0, 0))
    # The halo pixels are the ones overshoot_stats counts.
    stats = flt.overshoot_stats(original, sharpened)
    painted = np.any(overlay != np.repeat((original // 2)[:, :, None], 3, axis=2), axis=2)
    assert painted.sum() == round(stats.halo_fraction * original.size) == 2


def test_halo_overlay_rgb_counts_any_channel(astronaut):
    stages = flt.unsharp_mask(astronaut, amount=3.0, sigma=2.0)
    overlay = flt.halo_overlay(astronaut, stages.unclipped)
    values = stages.unclipped
    window = np.ones((3, 3), np.uint8)
    above = (values - cv2.dilate(astronaut, window) > 1).any(axis=2)
    assert np.array_equal(np.all(overlay == (230, 159, 0), axis=2), above)
    with pytest.raises(ValueError, match="sharpened"):
        flt.halo_overlay(astronaut, values[:, :, 0])


@pytest.mark.parametrize(("row", "col"), [(0, 0), (5, 7), (119, 139), (60, 70)])
def test_crop_around_keeps_full_size_inside_the_image(astronaut, row, col):
    window, (top, left) = flt.crop_around(astronaut, row=row, col=col, size=16)
    assert window.shape == (16, 16, 3)
    np.testing.assert_array_equal(window, astronaut[top : top + 16, left : left + 16])
    assert top <= row < top + 16 and left <= col < left + 16
    small, origin = flt.crop_around(np.zeros((3, 40), np.uint8), row=1, col=39, size=10)
    assert small.shape == (3, 10) and origin == (0, 30)
    with pytest.raises(ValueError, match="row"):
        flt.crop_around(astronaut, row=120, col=0, size=4)


@pytest.mark.parametrize("shape", [(1, 1), (3, 5), (2, 7), (3, 5, 3), (1, 1, 3)])
def test_windows_larger_than_the_image_match_numpy_references(shape):
    """A 15 x 15 box or median on an image smaller than the window: OpenCV mirrors (box) or repeats (median)
    the border as often as needed; compared with np.pad and a from-scratch mean / median."""
    from numpy.lib.stride_tricks import sliding_window_view

    image = np.random.default_rng(sum(shape)).integers(0, 256, shape, dtype=np.uint8)
    size, half = 15, 7
    pad = [(half, half), (half, half)] + ([(0, 0)] if image.ndim == 3 else [])
    mirrored = np.pad(image.astype(np.float64), pad, mode="reflect")  # numpy "reflect" is BORDER_REFLECT_101
    means = sliding_window_view(mirrored, (size, size), axis=(0, 1)).mean(axis=(-2, -1))
    np.testing.assert_array_equal(flt.box_blur(image, size=size), np.floor(means + 0.5).astype(np.uint8))
    repeated = np.pad(image, pad, mode="edge")
    medians = np.median(sliding_window_view(repeated, (size, size), axis=(0, 1)), axis=(-2, -1))
    np.testing.assert_array_equal(flt.median_blur(image, size=size), medians.astype(np.uint8))
    if image.size // (image.shape[2] if image.ndim == 3 else 1) == 1:
        # One pixel: every neighbour is a copy of it, so both filters give it back unchanged.
        np.testing.assert_array_equal(flt.box_blur(image, size=size), image)
        np.testing.assert_array_equal(flt.median_blur(image, size=size), image)


def test_psnr_of_a_constant_image_and_its_filtered_copies():
    """A constant image is left exactly as it is by every smoothing filter: PSNR is infinite, not an error."""
    flat = np.full((20, 30, 3), (20, 120, 200), np.uint8)
    for smoothed in (flt.box_blur(flat, size=15), flt.median_blur(flat, size=15),
                     flt.gaussian_blur(flat, sigma=3.0),
                     flt.bilateral_filter(flat, diameter=9, sigma_color=75, sigma_space=75)):
        np.testing.assert_array_equal(smoothed, flat)
        assert flt.psnr(flat, smoothed) == float("inf")
    noisy = flt.add_gaussian_noise(flat, sigma=10, seed=0)
    mse = np.mean((flat.astype(np.float64) - noisy) ** 2)
    assert flt.psnr(flat, noisy) == pytest.approx(10 * np.log10(255**2 / mse))
    assert flt.ssim(flat, flat) == pytest.approx(1.0)


# --------------------------------------------------------------------------- lesson steps


def test_denoisers_name_each_filter(astronaut):
    assert flt.DENOISERS["box"] is flt.box_blur and flt.DENOISERS["nl_means"] is flt.nl_means_denoise
    np.testing.assert_array_equal(flt.DENOISERS["median"](astronaut, size=3), cv2.medianBlur(astronaut, 3))


@pytest.mark.parametrize("sigma", [5.0, 30.0])
def test_quality_is_psnr_on_colours_and_ssim_on_luminance(astronaut, sigma):
    noisy = flt.add_gaussian_noise(astronaut, sigma=sigma, seed=1)
    score = flt.quality(astronaut, noisy)
    assert score.psnr == pytest.approx(metrics.peak_signal_noise_ratio(astronaut, noisy, data_range=255))
    grey = [cv2.cvtColor(image, cv2.COLOR_RGB2GRAY) for image in (astronaut, noisy)]
    assert score.ssim == pytest.approx(metrics.structural_similarity(*grey, data_range=255), abs=1e-9)


def test_quality_has_no_ssim_below_seven_pixels():
    image = np.random.default_rng(0).integers(0, 256, (6, 30, 3), dtype=np.uint8)
    assert flt.quality(image, image) == flt.Quality(psnr=float("inf"), ssim=None)
    with pytest.raises(ValueError, match="same shape"):
        flt.quality(image, image[:, :20])


def test_dark_bias_of_clipped_noise_is_sigma_over_root_two_pi():
    """Gaussian noise on black is clipped at 0: what stays averages sigma / sqrt(2 pi) (the half-normal mean)."""
    clean = np.zeros((300, 300), np.uint8)
    clean[:, 150:] = 128
    noisy = flt.add_gaussian_noise(clean, sigma=25, seed=0)
    bias = flt.dark_bias(clean, noisy, flt.gaussian_blur(noisy, sigma=1.0))
    assert bias.share == 0.5 and bias.clean_mean == 0.0
    assert bias.noisy_mean == pytest.approx(25 / np.sqrt(2 * np.pi), rel=0.03)
    assert bias.result_mean == pytest.approx(bias.noisy_mean, rel=0.1)  # averaging keeps the bias
    hand = np.array([[0, 3, 9], [200, 5, 6]], np.uint8)
    lifted = hand + np.uint8(2)
    assert flt.dark_bias(hand, lifted, hand, level=5) == flt.DarkBias(
        share=0.5, clean_mean=8 / 3, noisy_mean=14 / 3, result_mean=8 / 3)
    empty = flt.dark_bias(np.full((2, 2), 50, np.uint8), np.zeros((2, 2), np.uint8), np.zeros((2, 2), np.uint8))
    assert empty.share == 0.0 and np.isnan(empty.noisy_mean)


def test_step_edge_and_its_halo_stays_inside_the_range():
    edge = flt.step_edge(low=80, high=176, size=6)
    np.testing.assert_array_equal(edge, np.repeat([[80, 80, 80, 176, 176, 176]], 6, axis=0).astype(np.uint8))
    sharpened = flt.unsharp_mask(flt.step_edge(), amount=1.5, sigma=2.0)
    stats = flt.overshoot_stats(flt.step_edge(), sharpened.unclipped)
    assert stats.max_overshoot > 20 and stats.max_undershoot > 20 and stats.clipped_fraction == 0.0
    with pytest.raises(ValueError, match="high"):
        flt.step_edge(high=300)


@settings(max_examples=20, deadline=None)
@given(st.integers(0, 255), st.integers(0, 255), st.integers(2, 40))
def test_step_edge_contract(low, high, size):
    edge = flt.step_edge(low=low, high=high, size=size)
    assert edge.shape == (size, size) and edge.dtype == np.uint8
    assert set(np.unique(edge[:, : size // 2])) == {low} and set(np.unique(edge[:, size // 2 :])) == {high}


@pytest.mark.parametrize(("row", "col"), [(0, 0), (80, 90), (159, 179)])
def test_unsharp_pixel_is_the_hand_formula_and_the_whole_image_value(camera, row, col):
    pixel = flt.unsharp_pixel(camera, row=row, col=col, amount=1.5, sigma=2.0)
    blurred = cv2.GaussianBlur(camera, (0, 0), 2.0)
    assert (pixel.value, pixel.blurred) == (camera[row, col], blurred[row, col])
    assert pixel.unclipped == pixel.value + 1.5 * (pixel.value - pixel.blurred)
    assert pixel.unclipped == flt.unsharp_mask(camera, amount=1.5, sigma=2.0).unclipped[row, col]
    with pytest.raises(ValueError, match="gray"):
        flt.unsharp_pixel(np.dstack([camera] * 3), row=0, col=0)
    with pytest.raises(ValueError, match="col"):
        flt.unsharp_pixel(camera, row=0, col=180)


def test_crop_around_is_a_copy(astronaut):
    window, _ = flt.crop_around(astronaut, row=5, col=5, size=8)
    assert window.base is None or not np.shares_memory(window, astronaut)
