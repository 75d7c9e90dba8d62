"""Samples: every sample loads, and its code line makes exactly the same pixels."""

import subprocess
import sys

import numpy as np
import pytest

from processing.samples import KNOWN_SHAPES, SAMPLES, gradient_ramp, known_shapes, load_sample


@pytest.mark.parametrize("sample_id", list(SAMPLES))
def test_sample_loads_as_grey_or_rgb_uint8(sample_id):
    image = load_sample(sample_id)
    assert image.dtype == np.uint8 and image.ndim in (2, 3)
    assert image.ndim == 2 or image.shape[2] == 3
    assert SAMPLES[sample_id].description and SAMPLES[sample_id].credit


def test_sample_code_reproduces_the_pixels(tmp_path):
    # The code panels start from these lines, so each must really make the sample.
    script = ["import cv2, numpy as np, skimage.data", "out = {}"]
    for sample_id, sample in SAMPLES.items():
        script.append(sample.code)
        script.append(f"out[{sample_id!r}] = img")
    script.append(f"np.savez({str(tmp_path / 'made.npz')!r}, **out)")
    subprocess.run([sys.executable, "-c", "\n".join(script)], check=True, timeout=120)
    made = np.load(tmp_path / "made.npz")
    for sample_id in SAMPLES:
        np.testing.assert_array_equal(made[sample_id], load_sample(sample_id), err_msg=sample_id)


def test_known_shapes_have_their_stated_areas():
    from scipy import ndimage

    labels, count = ndimage.label(known_shapes() > 0)
    areas = np.bincount(labels.ravel())[1:].tolist()
    assert count == len(KNOWN_SHAPES) + 1  # the rectangles and one disc
    for area in KNOWN_SHAPES.values():
        areas.remove(area)  # raises if a stated area is missing
    (disc,) = areas
    assert abs(disc - np.pi * 40**2) < 0.01 * np.pi * 40**2


def test_gradient_ramp_runs_from_0_to_255():
    ramp = gradient_ramp(height=2, width=256)
    np.testing.assert_array_equal(ramp[0], np.arange(256))


def test_unknown_sample_is_refused():
    with pytest.raises(ValueError, match="sample_id"):
        load_sample("../../etc/passwd")
