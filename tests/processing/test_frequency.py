"""Tests for processing.frequency.

References: cv2.dft (the DFT itself), Parseval's theorem, gratings written with np.cos (two peaks, their
amplitude and phase), cv2.GaussianBlur on a wrap-padded image (the convolution theorem), a notch on a
synthetic grating-plus-noise image (PSNR), hand-computed masks, and hypothesis for shape and dtype contracts.
"""

from __future__ import annotations

import math

import cv2
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import ndimage
from skimage import data

from processing import frequency as fq
from processing.filters import psnr


@pytest.fixture(scope="module")
def camera():
    return fq.fit_within(data.camera(), max_side=128)  # 128 x 128 grey, edges and texture


def grey_images(max_side=12):
    return st.tuples(st.integers(1, max_side), st.integers(1, max_side), st.integers(0, 10**6)).map(
        lambda t: np.random.default_rng(t[2]).integers(0, 256, (t[0], t[1]), dtype=np.uint8))


def cos_image(shape, u, v, *, mean=128.0, amplitude=60.0, phase=0.0):
    """An independent grating: mean + amplitude cos(2π (u x / W + v y / H) + phase), float."""
    y, x = np.indices(shape)
    return mean + amplitude * np.cos(2 * np.pi * (u * x / shape[1] + v * y / shape[0]) + phase)


# --------------------------------------------------------------------------- the DFT


def test_spectrum_is_cv2_dft_centred(camera):
    ours = np.fft.ifftshift(fq.spectrum(camera).transform)
    reference = cv2.dft(camera.astype(np.float64), flags=cv2.DFT_COMPLEX_OUTPUT)
    np.testing.assert_allclose(ours, reference[..., 0] + 1j * reference[..., 1], rtol=1e-9, atol=1e-6)


@pytest.mark.parametrize("shape", [(7, 10), (16, 16), (1, 9), (33, 1)])
def test_parseval(shape):
    image = np.random.default_rng(3).integers(0, 256, shape, dtype=np.uint8)
    transform = fq.spectrum(image).transform
    np.testing.assert_allclose(np.sum(image.astype(np.float64) ** 2), np.sum(np.abs(transform) ** 2) / image.size,
                               rtol=1e-12)


def test_frequencies_are_centred_cycles_per_pixel():
    fy, fx = fq.frequencies((4, 5))
    np.testing.assert_allclose(fy.ravel(), [-0.5, -0.25, 0.0, 0.25])
    np.testing.assert_allclose(fx.ravel(), [-0.4, -0.2, 0.0, 0.2, 0.4])
    assert fy.shape == (4, 1) and fx.shape == (1, 5)


def test_a_single_grating_has_exactly_two_peaks_at_the_right_places():
    shape, u, v = (64, 96), 7, -5
    image = np.rint(cos_image(shape, u, v)).astype(np.uint8)
    transform = fq.spectrum(image).transform
    magnitude = np.abs(transform)
    magnitude[32, 48] = 0  # the mean
    strongest = np.argsort(magnitude.ravel())[::-1]
    places = {tuple(int(i) for i in np.unravel_index(index, shape)) for index in strongest[:2]}
    assert places == {(32 + v, 48 + u), (32 - v, 48 - u)}
    # Everything else comes from rounding to whole grey levels, two orders of magnitude below.
    assert magnitude.ravel()[strongest[2]] < 1e-2 * magnitude.ravel()[strongest[0]]


def test_a_pattern_of_gratings_has_two_peaks_per_grating():
    pattern = fq.pattern_from_gratings(((0.1, 0.0), (0.05, 90.0), (0.0, 45.0), (0.2, 45.0)), size=64)
    assert pattern.peaks == ((6, 0), (0, -3), (9, -9))  # round(0.1 · 64), round(-0.05 · 64), 0.2 · 64 / √2
    levels = pattern.picture.astype(np.float64)
    magnitude = np.abs(np.fft.fftshift(np.fft.fft2(levels)))
    magnitude[32, 32] = 0
    strongest = {tuple(int(i) for i in np.unravel_index(k, magnitude.shape))
                 for k in np.argsort(magnitude.ravel())[::-1][:6]}
    expected = {(32 + v * s, 32 + u * s) for u, v in pattern.peaks for s in (1, -1)}
    assert strongest == expected
    assert pattern.spectrum_picture.shape == (64, 64) and pattern.spectrum_picture.dtype == np.uint8


def test_component_reads_amplitude_phase_period_and_direction():
    shape = (80, 120)
    image = np.rint(cos_image(shape, 6, -4, mean=100, amplitude=50, phase=0.7)).astype(np.uint8)
    point = fq.component(fq.spectrum(image).transform, u=6, v=-4)
    assert point.amplitude == pytest.approx(50, abs=0.2)  # rounding to whole levels costs a little
    assert point.phase == pytest.approx(0.7, abs=0.01)
    assert (point.fx, point.fy) == (6 / 120, -4 / 80)
    assert point.period == pytest.approx(1 / math.hypot(0.05, 0.05))
    assert point.angle == pytest.approx(45.0)  # up and to the right on screen
    mean = fq.component(fq.spectrum(image).transform, u=0, v=0)
    assert mean.amplitude == pytest.approx(image.mean()) and math.isinf(mean.period)
    assert (mean.picture == 128).all()
    # The grating picture is the wave itself, -A black and +A white.
    np.testing.assert_allclose(point.picture, np.rint(127.5 + 127.5 * np.cos(
        2 * np.pi * (6 * np.indices(shape)[1] / 120 - 4 * np.indices(shape)[0] / 80) + point.phase)), atol=1)


def test_component_at_a_nyquist_place_is_its_own_partner():
    image = np.rint(cos_image((8, 8), 4, 0, amplitude=20)).astype(np.uint8)  # alternating columns
    point = fq.component(fq.spectrum(image).transform, u=-4, v=0)
    assert point.amplitude == pytest.approx(20, abs=0.5)


# --------------------------------------------------------------------------- masks and filters


def test_ideal_mask_by_hand():
    mask = fq.filter_mask((4, 4), kind="ideal", pass_type="low", cutoff=0.25)
    expected = np.array([[0, 0, 0, 0], [0, 0, 1, 0], [0, 1, 1, 1], [0, 0, 1, 0]], float)
    np.testing.assert_array_equal(mask, expected)
    np.testing.assert_array_equal(fq.filter_mask((4, 4), kind="ideal", pass_type="high", cutoff=0.25), 1 - expected)


def test_butterworth_and_gaussian_at_the_cutoff():
    fy, fx = fq.frequencies((1, 10))
    at_cutoff = (0, int(np.argmin(np.abs(fx.ravel() - 0.2))))
    for order in (1, 2, 5):
        mask = fq.filter_mask((1, 10), kind="butterworth", pass_type="low", cutoff=0.2, order=order)
        assert mask[at_cutoff] == pytest.approx(0.5)
        assert mask[0, 5] == 1.0
    gaussian = fq.filter_mask((1, 10), kind="gaussian", pass_type="low", cutoff=0.2)
    assert gaussian[at_cutoff] == pytest.approx(math.exp(-0.5))


def test_low_and_high_pass_add_up_to_the_image(camera):
    transform = fq.spectrum(camera).transform
    for kind in fq.FILTER_KINDS:
        low = fq.filter_spectrum(transform, kind=kind, pass_type="low", cutoff=0.1)
        high = fq.filter_spectrum(transform, kind=kind, pass_type="high", cutoff=0.1)
        np.testing.assert_allclose(low.values + high.values, camera, atol=1e-9)
        assert low.kept_energy + high.kept_energy <= 1 + 1e-12  # M² + (1 - M)² <= 1 for 0 <= M <= 1
    ideal = fq.filter_spectrum(transform, kind="ideal", pass_type="low", cutoff=0.1)
    high = fq.filter_spectrum(transform, kind="ideal", pass_type="high", cutoff=0.1)
    assert ideal.kept_energy + high.kept_energy == pytest.approx(1.0)  # an ideal mask splits the energy
    # Parseval: the kept share is the filtered image's energy over the image's.
    assert ideal.kept_energy == pytest.approx(np.sum(ideal.values**2) / np.sum(camera.astype(float) ** 2))


def test_high_pass_picture_draws_zero_mid_grey(camera):
    result = fq.filter_spectrum(fq.spectrum(camera).transform, kind="gaussian", pass_type="high", cutoff=0.2)
    np.testing.assert_array_equal(result.picture, np.clip(np.rint(result.values + 127.5), 0, 255).astype(np.uint8))
    assert abs(result.values.mean()) < 1e-9  # the mean is removed


def test_ideal_low_pass_rings_but_gaussian_does_not(camera):
    transform = fq.spectrum(camera).transform
    ideal = fq.filter_spectrum(transform, kind="ideal", pass_type="low", cutoff=0.05)
    gaussian = fq.filter_spectrum(transform, kind="gaussian", pass_type="low", cutoff=0.05)
    low, high = int(camera.min()), int(camera.max())
    assert ideal.low < low - 5 or ideal.high > high + 5
    assert low - 1e-6 <= gaussian.low and gaussian.high <= high + 1e-6


@pytest.mark.parametrize("cutoff", [0.02, 0.05, 0.1])
def test_gaussian_low_pass_is_a_periodic_spatial_gaussian_blur(camera, cutoff):
    """The convolution theorem, within 0.05 grey levels for σ = 1 / (2π D0) ≥ 1.5 pixels."""
    sigma = 1 / (2 * math.pi * cutoff)
    assert fq.gaussian_sigma(cutoff) == pytest.approx(sigma)
    radius = math.ceil(4 * sigma)
    wrapped = np.pad(camera.astype(np.float64), radius, mode="wrap")
    reference = cv2.GaussianBlur(wrapped, (2 * radius + 1,) * 2, sigma)[radius:-radius, radius:-radius]
    result = fq.filter_spectrum(fq.spectrum(camera).transform, kind="gaussian", pass_type="low", cutoff=cutoff)
    assert np.abs(result.values - reference).max() < 0.05
    scipy_blur = ndimage.gaussian_filter(camera.astype(np.float64), sigma, mode="wrap", truncate=6)
    assert np.abs(result.values - scipy_blur).max() < 0.05
    assert fq.blur_difference(camera, result.values, cutoff=cutoff) == pytest.approx(
        np.abs(result.values - reference).max(), abs=1e-9)


def test_periodic_gaussian_blur_wraps_around():
    image = np.zeros((5, 40), np.uint8)
    image[:, 0] = 255
    blurred = fq.periodic_gaussian_blur(image, sigma=1.0)
    assert blurred[0, 39] == pytest.approx(blurred[0, 1])  # the light spills over the left border onto the right
    assert blurred.sum() == pytest.approx(image.astype(float).sum())


# --------------------------------------------------------------------------- notches, magnitude and phase


def test_notch_restores_a_grating_plus_noise_image_above_40_db():
    """A smooth synthetic scene plus a noise grating: one notch pair brings the PSNR above 40 dB."""
    y, x = np.indices((96, 128))
    scene = np.rint(128 + 60 * np.exp(-((x - 60) ** 2 + (y - 40) ** 2) / 800.0)).astype(np.uint8)
    noisy = fq.add_periodic_noise(scene, amplitude=30)
    u, v = fq.noise_position(scene.shape)
    assert (u, v) == (round(0.16 * 128), round(-0.1 * 96))
    np.testing.assert_array_equal(noisy, np.clip(np.rint(scene + 30 * np.cos(
        2 * np.pi * (u * x / 128 + v * y / 96))), 0, 255).astype(np.uint8))
    assert psnr(scene, noisy) < 22
    assert psnr(scene, fq.notch_filter(noisy, u=u, v=v, radius=2).picture) > 40
    assert psnr(scene, fq.notch_filter(noisy, u=-u, v=-v, radius=2).picture) > 40  # the partner: the same notch
    assert psnr(scene, fq.notch_filter(noisy, u=u + 10, v=v, radius=2).picture) < 22  # beside the spike: no use


def test_notch_picture_marks_the_removed_places_red():
    image = np.full((20, 30), 100, np.uint8)
    result = fq.notch_filter(image, u=5, v=-3, radius=1)
    red = np.all(result.spectrum_picture == (220, 40, 40), axis=2)
    assert red.sum() == 10 and red[10 - 3, 15 + 5] and red[10 + 3, 15 - 5]
    np.testing.assert_array_equal(result.picture, image)  # a flat image holds nothing there


def test_swapped_images_follow_their_phase():
    first = fq.fit_within(data.camera(), max_side=128)
    second = cv2.resize(data.text(), (200, 100), interpolation=cv2.INTER_AREA)
    swap = fq.swap_magnitude_phase(first, second)
    assert swap.second.shape == first.shape
    assert swap.follows_phase[0] > swap.follows_magnitude[0] and swap.follows_phase[1] > swap.follows_magnitude[1]
    same = fq.swap_magnitude_phase(first, first)
    np.testing.assert_allclose(same.first_magnitude, first, atol=1)


def test_the_border_cross():
    ramp = np.tile(np.linspace(0, 255, 64).astype(np.uint8), (48, 1))  # jumps from 255 back to 0 at the wrap
    effect = fq.border_effect(ramp)
    assert effect.jumps == (255.0, 0.0)
    assert effect.shares[0] == pytest.approx(1.0)  # all its energy on the central row
    assert effect.shares[1] < effect.shares[0]
    assert effect.padded.transform.shape == (96, 128)
    diagonal = np.rint(cos_image((32, 32), 5, 5)).astype(np.uint8)
    assert fq.axis_energy_share(fq.spectrum(diagonal).transform) < 1e-4
    stripes = np.rint(cos_image((32, 32), 5, 0)).astype(np.uint8)
    assert fq.axis_energy_share(fq.spectrum(stripes).transform) == pytest.approx(1.0)


def test_fit_within_shrinks_with_area_interpolation_and_never_enlarges():
    image = np.random.default_rng(0).integers(0, 256, (300, 1000), dtype=np.uint8)
    small = fq.fit_within(image, max_side=100)
    np.testing.assert_array_equal(small, cv2.resize(image, (100, 30), interpolation=cv2.INTER_AREA))
    assert fq.fit_within(image, max_side=1000) is image


@settings(max_examples=40, deadline=None)
@given(grey_images())
def test_shapes_and_dtypes(image):
    spec = fq.spectrum(image)
    assert spec.transform.shape == image.shape and np.iscomplexobj(spec.transform)
    assert spec.magnitude_picture.dtype == np.uint8 and spec.phase_picture.shape == image.shape
    result = fq.filter_spectrum(spec.transform, kind="butterworth", pass_type="high", cutoff=0.2, order=3)
    assert result.picture.dtype == np.uint8 and result.values.shape == image.shape
    assert 0.0 <= result.kept_energy <= 1.0 + 1e-12
    point = fq.component(spec.transform, u=-(image.shape[1] // 2), v=image.shape[0] - image.shape[0] // 2 - 1)
    assert point.picture.shape == image.shape and point.amplitude >= 0
    notch = fq.notch_filter(image, u=0, v=0, radius=0)
    assert notch.picture.shape == image.shape and notch.spectrum_picture.shape == (*image.shape, 3)
    assert fq.spectrum(image, window="hann", zero_pad=True).transform.shape == (2 * image.shape[0], 2 * image.shape[1])
    assert 0.0 <= fq.border_effect(image).shares[0] <= 1.0
    assert max(fq.fit_within(image, max_side=5).shape) <= 5


@pytest.mark.parametrize(("call", "name"), [
    (lambda: fq.spectrum(np.zeros((4, 4))), "image"),
    (lambda: fq.spectrum(np.zeros((4, 4, 3), np.uint8)), "image"),
    (lambda: fq.spectrum(np.zeros((4, 4), np.uint8), window="hamming"), "window"),
    (lambda: fq.filter_mask((4, 4), kind="box", pass_type="low", cutoff=0.1), "kind"),
    (lambda: fq.filter_mask((4, 4), kind="ideal", pass_type="band", cutoff=0.1), "pass_type"),
    (lambda: fq.filter_mask((4, 4), kind="ideal", pass_type="low", cutoff=0.0), "cutoff"),
    (lambda: fq.filter_mask((4, 4), kind="butterworth", pass_type="low", cutoff=0.1, order=0), "order"),
    (lambda: fq.filter_spectrum(np.zeros((4, 4)), kind="ideal", pass_type="low", cutoff=0.1), "transform"),
    (lambda: fq.component(np.zeros((4, 4), complex), u=2, v=0), "u"),
    (lambda: fq.component(np.zeros((4, 4), complex), u=0, v=-3), "v"),
    (lambda: fq.notch_filter(np.zeros((4, 4), np.uint8), u=0, v=0, radius=-1), "radius"),
    (lambda: fq.swap_magnitude_phase(np.zeros((4, 4)), np.zeros((4, 4), np.uint8)), "first"),
    (lambda: fq.swap_magnitude_phase(np.zeros((4, 4), np.uint8), np.zeros((4, 4, 3), np.uint8)), "second"),
    (lambda: fq.fit_within(np.zeros((4, 4), np.uint8), max_side=0), "max_side"),
    (lambda: fq.periodic_gaussian_blur(np.zeros((4, 4), np.uint8), sigma=0), "sigma"),
    (lambda: fq.add_periodic_noise(np.zeros((4, 4), np.uint8), amplitude=-1), "amplitude"),
    (lambda: fq.pattern_from_gratings(((0.7, 0.0),)), "gratings"),
    (lambda: fq.axis_energy_share(np.zeros((4, 4), complex), beyond=0.6), "beyond"),
])
def test_bad_arguments_name_the_parameter(call, name):
    with pytest.raises(ValueError, match=name):
        call()
