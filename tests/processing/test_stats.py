"""Image facts and histograms against NumPy computed independently."""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays as np_arrays

from processing.stats import channel_histograms, image_facts

images = st.one_of(
    np_arrays(np.uint8, st.tuples(st.integers(1, 20), st.integers(1, 20))),
    np_arrays(np.uint8, st.tuples(st.integers(1, 20), st.integers(1, 20), st.just(3))),
)


@given(images)
def test_histograms_match_numpy_bincount(image):
    counts = channel_histograms(image)
    planes = [image] if image.ndim == 2 else [image[:, :, c] for c in range(3)]
    assert counts.shape == (len(planes), 256) and counts.dtype == np.int64
    for row, plane in zip(counts, planes):
        np.testing.assert_array_equal(row, np.bincount(plane.ravel(), minlength=256))


@given(images)
def test_facts_match_numpy(image):
    facts = image_facts(image)
    assert facts.shape == image.shape and facts.dtype == "uint8"
    axis = (0, 1)
    mins = np.atleast_1d(image.min(axis=axis))
    maxs = np.atleast_1d(image.max(axis=axis))
    means = np.atleast_1d(image.mean(axis=axis))
    assert facts.minimum == tuple(int(v) for v in mins)
    assert facts.maximum == tuple(int(v) for v in maxs)
    np.testing.assert_allclose(facts.mean, means, rtol=1e-9)
    assert len(facts.channels) == (1 if image.ndim == 2 else 3)


def test_histogram_of_a_large_image_is_exact():
    # Above 2**24 pixels OpenCV's float32 counts would lose precision.
    image = np.zeros((4100, 4100), np.uint8)
    image[0, 0] = 7
    counts = channel_histograms(image)
    assert counts[0, 0] == 4100 * 4100 - 1 and counts[0, 7] == 1
