"""Tests for processing.measure.

References: synthetic shapes with known sizes (a 20 x 30 rectangle, discs drawn
by formula), OpenCV contours and connected components, scikit-image's
``regionprops`` object by object, hand-computed arrays and NumPy.
"""

from __future__ import annotations

import io
import math

import cv2
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from skimage import data
from skimage.filters import threshold_otsu
from skimage.measure import regionprops

from processing.measure import (
    COLUMNS,
    filter_regions,
    keep_regions,
    line_profile,
    mask_statistics,
    measure_regions,
    summarize_regions,
    table_to_csv,
)

SETTINGS = settings(max_examples=40, deadline=None, database=None)


def disc(shape: tuple[int, int], center: tuple[float, float], radius: float) -> np.ndarray:
    rows, cols = np.indices(shape)
    return (rows - center[0]) ** 2 + (cols - center[1]) ** 2 <= radius**2


def contour_length(mask: np.ndarray) -> float:
    """Perimeter by OpenCV: length of the outer contour through pixel centres."""
    contours, _ = cv2.findContours(
        mask.astype(np.uint8), cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE
    )
    assert len(contours) == 1
    return cv2.arcLength(contours[0], closed=True)


def rectangle_labels() -> np.ndarray:
    labels = np.zeros((50, 60), np.int32)
    labels[5:25, 10:40] = 1  # 20 rows x 30 cols
    return labels


@pytest.fixture(scope="module")
def coins_labels() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    coins = data.coins()
    mask = coins > threshold_otsu(coins)
    _, labels = cv2.connectedComponents(mask.astype(np.uint8), connectivity=8, ltype=cv2.CV_32S)
    return coins, mask, labels


# ------------------------------------------------------------------ known shapes


def test_rectangle_has_known_measurements():
    table = measure_regions(rectangle_labels())
    assert list(table.columns) == list(COLUMNS)
    assert len(table) == 1
    row = table.iloc[0]
    assert row["label"] == 1
    assert row["area"] == 600
    # Outline through the centres of the boundary pixels: 2 * (19 + 29).
    assert row["perimeter"] == pytest.approx(96)
    assert row["perimeter"] == pytest.approx(contour_length(rectangle_labels() > 0))
    assert (row["centroid_row"], row["centroid_col"]) == (14.5, 24.5)
    assert (row["bbox_min_row"], row["bbox_min_col"], row["bbox_max_row"], row["bbox_max_col"]) == (
        5, 10, 25, 40,
    )
    assert row["equivalent_diameter"] == pytest.approx(math.sqrt(4 * 600 / math.pi))
    # Variance of n consecutive integers is (n^2 - 1) / 12 along each axis.
    ratio = (20**2 - 1) / (30**2 - 1)
    assert row["eccentricity"] == pytest.approx(math.sqrt(1 - ratio))
    assert row["circularity"] == pytest.approx(4 * math.pi * 600 / 96**2)
    assert not row["touches_border"]


def test_disc_drawn_by_formula():
    radius = 15
    mask = disc((64, 70), (30, 33), radius)
    table = measure_regions(mask.astype(np.int32))
    row = table.iloc[0]
    assert row["area"] == pytest.approx(math.pi * radius**2, rel=0.01)
    assert (row["centroid_row"], row["centroid_col"]) == pytest.approx((30, 33))
    assert row["eccentricity"] == pytest.approx(0, abs=1e-6)
    assert row["equivalent_diameter"] == pytest.approx(2 * radius, rel=0.01)
    assert row["perimeter"] == pytest.approx(contour_length(mask), rel=0.05)
    # The staircase outline is a little longer than the true circle ...
    assert row["perimeter"] == pytest.approx(2 * math.pi * radius, rel=0.06)
    # ... so a large digital disc scores about 0.91, not 1.
    assert 0.88 < row["circularity"] < 0.95


@pytest.mark.parametrize("side", [2, 3, 4, 8, 10, 20])
def test_square_circularity_and_cap(side):
    labels = np.zeros((side + 4, side + 4), np.int32)
    labels[2 : 2 + side, 2 : 2 + side] = 1
    row = measure_regions(labels).iloc[0]
    # Through the boundary pixel centres a side x side square has perimeter 4 (side - 1).
    assert row["perimeter"] == pytest.approx(4 * (side - 1))
    raw = 4 * math.pi * side**2 / (4 * (side - 1)) ** 2
    # Small squares have raw ratios above 1 (2 x 2: pi); those are reported as 1.
    assert row["circularity"] == pytest.approx(min(raw, 1.0))
    assert (raw > 1) == (side <= 8)


def test_single_pixel_and_thin_line_have_finite_values():
    labels = np.zeros((10, 12), np.int32)
    labels[4, 4] = 1  # perimeter 0
    labels[8, 2:11] = 2  # a line: eccentricity 1
    table = measure_regions(labels).set_index("label")
    assert table.loc[1, "area"] == 1 and table.loc[1, "perimeter"] == 0
    assert table.loc[1, "circularity"] == 1.0 and table.loc[1, "eccentricity"] == 0
    assert table.loc[2, "eccentricity"] == pytest.approx(1)
    assert np.isfinite(table.select_dtypes("number").to_numpy()).all()


def test_touches_border_on_every_side():
    labels = np.zeros((20, 30), np.int32)
    labels[0, 10] = 1  # top
    labels[10, 0] = 2  # left
    labels[19, 10] = 3  # bottom
    labels[10, 29] = 4  # right
    labels[5:8, 5:8] = 5  # inside
    table = measure_regions(labels)
    assert table["touches_border"].tolist() == [True, True, True, True, False]


def test_intensity_and_non_consecutive_labels():
    labels = np.zeros((6, 6), np.int32)
    labels[0:2, 0:2] = 3
    labels[4:6, 3:6] = 7
    grey = np.arange(36, dtype=np.uint8).reshape(6, 6)
    table = measure_regions(labels, intensity_image=grey)
    assert table["label"].tolist() == [3, 7]
    assert list(table.columns) == list(COLUMNS) + ["mean_intensity"]
    # Hand-computed means: (0 + 1 + 6 + 7) / 4 and (27 + 28 + 29 + 33 + 34 + 35) / 6.
    np.testing.assert_allclose(table["mean_intensity"], [3.5, 31.0])
    assert "mean_intensity" not in measure_regions(labels).columns


# ----------------------------------------------------------- against references


def test_coins_agree_with_regionprops_and_opencv(coins_labels):
    coins, mask, labels = coins_labels
    table = measure_regions(labels, intensity_image=coins)
    count = cv2.connectedComponents(mask.astype(np.uint8), connectivity=8)[0] - 1
    assert len(table) == count > 10
    props = regionprops(labels, intensity_image=coins)
    assert table["label"].tolist() == [p.label for p in props]
    expected = pd.DataFrame(
        {
            "area": [p.area for p in props],
            "perimeter": [p.perimeter for p in props],
            "centroid_row": [p.centroid[0] for p in props],
            "centroid_col": [p.centroid[1] for p in props],
            "bbox_min_row": [p.bbox[0] for p in props],
            "bbox_min_col": [p.bbox[1] for p in props],
            "bbox_max_row": [p.bbox[2] for p in props],
            "bbox_max_col": [p.bbox[3] for p in props],
            "equivalent_diameter": [p.equivalent_diameter_area for p in props],
            "eccentricity": [p.eccentricity for p in props],
            "mean_intensity": [p.intensity_mean for p in props],
        }
    )
    for column in expected:
        np.testing.assert_allclose(
            table[column].to_numpy(float), expected[column], rtol=1e-9, atol=1e-9,
            err_msg=column,
        )
    # OpenCV's own per-component areas and boxes agree too.
    _, _, stats, centroids = cv2.connectedComponentsWithStats(mask.astype(np.uint8))
    np.testing.assert_array_equal(table["area"], stats[1:, cv2.CC_STAT_AREA])
    np.testing.assert_array_equal(table["bbox_min_col"], stats[1:, cv2.CC_STAT_LEFT])
    np.testing.assert_allclose(table["centroid_col"], centroids[1:, 0])


small_labels = arrays(
    np.int32, st.tuples(st.integers(1, 10), st.integers(1, 10)), elements=st.integers(0, 5)
)


@SETTINGS
@given(labels=small_labels)
def test_measure_contract_against_regionprops(labels):
    # Labels here may be split into pieces or missing: regionprops copes, so must we.
    grey = (labels * 40).astype(np.uint8)
    table = measure_regions(labels, intensity_image=grey)
    present = np.unique(labels[labels > 0])
    assert table["label"].tolist() == present.tolist()
    assert table["area"].sum() == np.count_nonzero(labels)
    assert table["label"].dtype == np.int32 and table["area"].dtype == np.int64  # whole pixels
    props = regionprops(labels)
    np.testing.assert_allclose(table["eccentricity"], [p.eccentricity for p in props], atol=1e-7)
    np.testing.assert_allclose(table["perimeter"], [p.perimeter for p in props])
    np.testing.assert_allclose(table["mean_intensity"], table["label"] * 40)
    assert table["circularity"].between(0, 1).all()
    assert table["eccentricity"].between(0, 1).all()
    for row in table.itertuples():
        rows, cols = np.nonzero(labels == row.label)
        assert (row.bbox_min_row, row.bbox_max_row) == (rows.min(), rows.max() + 1)
        assert (row.bbox_min_col, row.bbox_max_col) == (cols.min(), cols.max() + 1)


def test_pixel_size_scales_lengths_and_areas():
    labels = rectangle_labels()
    labels[30:45, 40:50] = 2
    plain = measure_regions(labels)
    scaled = measure_regions(labels, pixel_size=0.5)
    np.testing.assert_allclose(scaled["area"], plain["area"] * 0.25)
    assert scaled.loc[0, "area"] == 150  # 600 px of 0.5 x 0.5 units
    np.testing.assert_allclose(scaled["perimeter"], plain["perimeter"] * 0.5)
    np.testing.assert_allclose(scaled["equivalent_diameter"], plain["equivalent_diameter"] * 0.5)
    unitless = ["label", "centroid_row", "centroid_col", "bbox_min_row", "bbox_max_col",
                "eccentricity", "circularity", "touches_border"]
    pd.testing.assert_frame_equal(scaled[unitless], plain[unitless])
    # The area fraction does not depend on the unit.
    plain_summary = summarize_regions(plain, image_shape=labels.shape)
    scaled_summary = summarize_regions(scaled, image_shape=labels.shape, pixel_size=0.5)
    assert scaled_summary.area_fraction == pytest.approx(plain_summary.area_fraction)
    assert scaled_summary.total_area == pytest.approx(plain_summary.total_area * 0.25)


# ---------------------------------------------------------- filters and summary


def particles() -> np.ndarray:
    labels = np.zeros((60, 80), np.int32)
    labels[5:25, 5:25] = 1  # square, area 400
    labels[30:34, 5:9] = 2  # small square, area 16
    labels[55, 10:70] = 3  # thin line, area 60, circularity ~0
    labels[0:10, 60:70] = 4  # square touching the top edge, area 100
    labels[30:50, 30:50] = disc((20, 20), (10, 10), 9) * 5  # disc, circularity ~0.91
    return labels


def test_filter_regions_like_analyze_particles():
    table = measure_regions(particles())
    assert filter_regions(table).tolist() == [1, 2, 3, 4, 5]
    assert filter_regions(table, area_range=(100, math.inf)).tolist() == [1, 4, 5]
    assert filter_regions(table, area_range=(16, 100)).tolist() == [2, 3, 4]  # inclusive
    # Circularities: 20 x 20 square 0.87, 4 x 4 square 1 (capped), 10 x 10
    # square 0.97, disc about 0.91, and the line 0.22: a one-pixel-wide line's
    # perimeter through pixel centres is its length (58), not twice it.
    circularity = table.set_index("label")["circularity"]
    assert circularity[1] == pytest.approx(4 * math.pi * 400 / 76**2)
    assert circularity[3] < 0.3 and 0.88 < circularity[5] < 0.95
    assert filter_regions(table, circularity_range=(0.5, 1)).tolist() == [1, 2, 4, 5]
    assert filter_regions(table, circularity_range=(0.95, 1)).tolist() == [2, 4]
    assert filter_regions(table, circularity_range=(0, 0.5)).tolist() == [3]
    assert filter_regions(table, exclude_border=True).tolist() == [1, 2, 3, 5]
    kept = filter_regions(table, area_range=(50, 500), exclude_border=True)
    assert kept.tolist() == [1, 3, 5] and kept.dtype == np.int32


def test_keep_regions_zeroes_the_others():
    labels = np.array([[1, 1, 0, 2], [3, 0, 2, 2], [0, 4, 4, 0]], np.int32)
    kept = keep_regions(labels, [2, 4, 9])
    expected = np.array([[0, 0, 0, 2], [0, 0, 2, 2], [0, 4, 4, 0]], np.int32)
    np.testing.assert_array_equal(kept, expected)
    assert kept.dtype == np.int32
    np.testing.assert_array_equal(keep_regions(labels, []), 0)
    np.testing.assert_array_equal(keep_regions(labels, np.array([], np.int32)), 0)


def test_summary_hand_computed():
    table = measure_regions(particles())
    summary = summarize_regions(table, image_shape=(60, 80))
    areas = [400, 16, 60, 100, float(disc((20, 20), (10, 10), 9).sum())]
    assert summary.count == 5
    assert summary.total_area == pytest.approx(sum(areas))
    assert summary.mean_area == pytest.approx(sum(areas) / 5)
    assert summary.median_area == pytest.approx(100)
    assert summary.area_fraction == pytest.approx(sum(areas) / (60 * 80))
    assert (summary.smallest_area, summary.largest_area) == (16, 400)
    subset = table[table["label"].isin([1, 2])]
    assert summarize_regions(subset, image_shape=(60, 80)).median_area == pytest.approx(208)


def test_zero_objects_give_empty_results():
    empty = np.zeros((30, 40), np.int32)
    table = measure_regions(empty, intensity_image=np.zeros((30, 40), np.uint8))
    assert len(table) == 0
    assert list(table.columns) == list(COLUMNS) + ["mean_intensity"]
    assert filter_regions(table, exclude_border=True).size == 0
    summary = summarize_regions(table, image_shape=(30, 40))
    assert (summary.count, summary.total_area, summary.area_fraction) == (0, 0.0, 0.0)
    assert summary.smallest_area is None and summary.largest_area is None
    assert summary.mean_area is None and summary.median_area is None
    csv = table_to_csv(table)
    assert csv == ",".join(list(COLUMNS) + ["mean_intensity"]) + "\n"


def test_csv_round_trip():
    table = measure_regions(particles(), intensity_image=np.full((60, 80), 7, np.uint8),
                            pixel_size=0.37)
    text = table_to_csv(table)
    assert isinstance(text, str)
    assert text.splitlines()[0] == ",".join(table.columns)
    assert len(text.splitlines()) == len(table) + 1
    back = pd.read_csv(io.StringIO(text))
    assert back["label"].tolist() == table["label"].tolist()
    assert back["touches_border"].tolist() == table["touches_border"].tolist()
    for column in ("area", "perimeter", "centroid_row", "eccentricity", "circularity"):
        np.testing.assert_allclose(back[column], table[column], rtol=1e-9)


# ------------------------------------------------------------------ bad arguments


@pytest.mark.parametrize(
    "labels, kwargs, match",
    [
        (np.zeros((4, 4), np.float64), {}, "labels"),
        (np.full((4, 4), -1, np.int32), {}, "labels"),
        (np.zeros((4, 4, 2), np.int32), {}, "labels"),
        (np.zeros((4, 4), np.int32), {"intensity_image": np.zeros((4, 5), np.uint8)},
         "intensity_image"),
        (np.zeros((4, 4), np.int32), {"intensity_image": np.zeros((4, 4, 3), np.uint8)},
         "intensity_image"),
        (np.zeros((4, 4), np.int32), {"pixel_size": 0}, "pixel_size"),
        (np.zeros((4, 4), np.int32), {"pixel_size": math.inf}, "pixel_size"),
    ],
)
def test_measure_regions_rejects_bad_arguments(labels, kwargs, match):
    with pytest.raises(ValueError, match=match):
        measure_regions(labels, **kwargs)


def test_filters_and_summary_reject_bad_arguments():
    table = measure_regions(particles())
    with pytest.raises(ValueError, match="area_range"):
        filter_regions(table, area_range=(50, 10))
    with pytest.raises(ValueError, match="area_range"):
        filter_regions(table, area_range=(-1, 10))
    with pytest.raises(ValueError, match="circularity_range"):
        filter_regions(table, circularity_range=(0, 2))
    with pytest.raises(ValueError, match="circularity_range"):
        filter_regions(table, circularity_range=0.5)
    with pytest.raises(ValueError, match="exclude_border"):
        filter_regions(table, exclude_border="yes")
    with pytest.raises(ValueError, match="table"):
        filter_regions(table.drop(columns="circularity"))
    with pytest.raises(ValueError, match="table"):
        table_to_csv({"label": [1]})
    with pytest.raises(ValueError, match="image_shape"):
        summarize_regions(table, image_shape=(0, 10))
    with pytest.raises(ValueError, match="keep"):
        keep_regions(particles(), [[1, 2]])


# ------------------------------------------------------------------- line profile


def ramp() -> np.ndarray:
    """Grey ramp: value 2 * column, 0..118, on 40 rows x 60 columns."""
    return np.tile((2 * np.arange(60)).astype(np.uint8), (40, 1))


def test_line_profile_along_a_row():
    profile = line_profile(ramp(), (5, 0), (5, 59))
    np.testing.assert_allclose(profile.distance, np.arange(60))
    np.testing.assert_allclose(profile.values, 2 * np.arange(60))


def test_line_profile_diagonal_interpolates_without_rounding():
    # Length 50 (a 30-40-50 triangle): 51 samples, columns 0, 0.8, 1.6, ...
    profile = line_profile(ramp(), (0, 0), (30, 40))
    assert profile.values.dtype == np.float64 and profile.values.shape == (51,)
    np.testing.assert_allclose(profile.distance, np.linspace(0, 50, 51))
    np.testing.assert_allclose(profile.values, 2 * np.linspace(0, 40, 51))
    assert profile.values[1] == pytest.approx(1.6)  # not rounded to 2


def test_line_profile_down_a_column_rgb_and_calibrated():
    image = np.dstack([ramp().T[:40, :40]] * 3)  # value 2 * row in every channel
    profile = line_profile(image, (10, 3), (20, 3), pixel_size=0.25)
    assert profile.values.shape == (11, 3)
    np.testing.assert_allclose(profile.values[:, 1], 2 * np.arange(10, 21))
    np.testing.assert_allclose(profile.distance, 0.25 * np.arange(11))


def test_line_profile_width_averages_across_the_line():
    image = np.zeros((20, 20), np.uint8)
    image[9] = 30
    image[10] = 90
    image[11] = 60
    thin = line_profile(image, (10, 2), (10, 17))
    wide = line_profile(image, (10, 2), (10, 17), linewidth=3)
    np.testing.assert_allclose(thin.values, 90)
    np.testing.assert_allclose(wide.values, 60)  # (30 + 90 + 60) / 3


def test_line_profile_single_point_and_bad_arguments():
    profile = line_profile(ramp(), (3, 7), (3, 7))
    np.testing.assert_allclose(profile.values, [14])
    np.testing.assert_allclose(profile.distance, [0])
    with pytest.raises(ValueError, match="start"):
        line_profile(ramp(), (40, 0), (5, 5))
    with pytest.raises(ValueError, match="end"):
        line_profile(ramp(), (0, 0), (5, -1))
    with pytest.raises(ValueError, match="end"):
        line_profile(ramp(), (0, 0), (5,))
    with pytest.raises(ValueError, match="linewidth"):
        line_profile(ramp(), (0, 0), (5, 5), linewidth=0)
    with pytest.raises(ValueError, match="image"):
        line_profile(ramp().astype(float), (0, 0), (5, 5))


# -------------------------------------------------------------- mask statistics


def test_mask_statistics_hand_computed():
    image = np.array([[0, 10, 50], [20, 30, 255]], np.uint8)
    mask = np.array([[True, True, False], [True, False, False]])
    stats = mask_statistics(image, mask)
    assert stats.count == 3
    assert stats.mean == pytest.approx(10)
    assert stats.std == pytest.approx(math.sqrt((100 + 0 + 100) / 3))
    assert (stats.min, stats.max, stats.median) == (0, 20, 10)
    assert isinstance(stats.min, int) and isinstance(stats.mean, float)


def test_mask_statistics_empty_mask():
    stats = mask_statistics(np.ones((3, 3), np.uint8), np.zeros((3, 3), bool))
    assert stats.count == 0
    assert (stats.mean, stats.std, stats.min, stats.max, stats.median) == (None,) * 5


@SETTINGS
@given(
    image=arrays(np.uint8, (6, 7), elements=st.integers(0, 255)),
    mask=arrays(np.bool_, (6, 7), elements=st.booleans()),
)
def test_mask_statistics_agree_with_numpy(image, mask):
    stats = mask_statistics(image, mask)
    values = image[mask].astype(float)
    assert stats.count == values.size
    if values.size:
        assert stats.mean == pytest.approx(values.mean())
        assert stats.std == pytest.approx(values.std())
        assert stats.median == pytest.approx(np.median(values))
        assert (stats.min, stats.max) == (values.min(), values.max())


def test_mask_statistics_rejects_bad_arguments():
    with pytest.raises(ValueError, match="mask"):
        mask_statistics(np.zeros((3, 3), np.uint8), np.zeros((3, 4), bool))
    with pytest.raises(ValueError, match="mask"):
        mask_statistics(np.zeros((3, 3), np.uint8), np.zeros((3, 3), np.uint8))
    with pytest.raises(ValueError, match="image"):
        mask_statistics(np.zeros((3, 3, 3), np.uint8), np.zeros((3, 3), bool))


# -------------------------------------------------- known shapes, samples, drawing

from processing.measure import calibrate, draw_label_numbers, draw_line  # noqa: E402
from processing.samples import KNOWN_SHAPES, known_shapes, load_sample  # noqa: E402
from processing.segmentation import connected_components  # noqa: E402


def test_known_shapes_have_their_exact_areas():
    image = known_shapes()
    labels, count = connected_components(image > 0)
    assert count == cv2.connectedComponents((image > 0).astype(np.uint8))[0] - 1 == 5
    table = measure_regions(labels)
    rectangles = sorted(KNOWN_SHAPES.values(), reverse=True)
    areas = sorted(table["area"].tolist(), reverse=True)
    disc_area = np.count_nonzero(cv2.circle(np.zeros((300, 400), np.uint8), (220, 190), 40, 255, -1))
    assert sorted(rectangles + [disc_area], reverse=True) == areas
    props = regionprops(labels)
    np.testing.assert_allclose(table["perimeter"], [p.perimeter for p in props])
    np.testing.assert_allclose(table["centroid_row"], [p.centroid[0] for p in props])
    np.testing.assert_allclose(table["centroid_col"], [p.centroid[1] for p in props])
    # A w x h rectangle: perimeter through pixel centres 2 (w - 1) + 2 (h - 1); centroid at its middle.
    square = table[table["area"] == 2500].iloc[0]
    assert square["perimeter"] == pytest.approx(4 * 49)
    assert (square["centroid_row"], square["centroid_col"]) == (64.5, 224.5)


@pytest.mark.parametrize("sample_id", ["hubble", "cell", "ihc"])
def test_samples_agree_with_regionprops_and_opencv(sample_id):
    image = load_sample(sample_id)
    grey = cv2.cvtColor(image, cv2.COLOR_RGB2GRAY) if image.ndim == 3 else image
    mask = grey > threshold_otsu(grey)
    labels, count = connected_components(mask)
    assert count == cv2.connectedComponents(mask.astype(np.uint8), connectivity=8)[0] - 1
    table = measure_regions(labels, intensity_image=grey)
    assert len(table) == count
    props = regionprops(labels, intensity_image=grey)
    np.testing.assert_allclose(table["area"], [p.area for p in props])
    np.testing.assert_allclose(table["perimeter"], [p.perimeter for p in props])
    np.testing.assert_allclose(table["centroid_row"], [p.centroid[0] for p in props])
    np.testing.assert_allclose(table["centroid_col"], [p.centroid[1] for p in props])
    np.testing.assert_allclose(table["mean_intensity"], [p.intensity_mean for p in props])


@pytest.mark.parametrize("pixel_size", [0.25, 0.65, 3.0])
def test_calibrate_equals_measuring_with_a_pixel_size(pixel_size):
    labels = particles()
    grey = (labels * 30).astype(np.uint8)
    expected = measure_regions(labels, intensity_image=grey, pixel_size=pixel_size)
    plain = measure_regions(labels, intensity_image=grey)
    pd.testing.assert_frame_equal(calibrate(plain, pixel_size), expected)
    assert plain.loc[0, "area"] == 400  # the input is not modified
    pd.testing.assert_frame_equal(calibrate(plain, 1.0), plain)  # in pixels: areas stay whole numbers
    with pytest.raises(ValueError, match="pixel_size"):
        calibrate(plain, 0)


def test_draw_label_numbers_writes_near_centroids_and_boxes_the_highlight():
    labels = particles()
    table = measure_regions(labels)
    picture = np.zeros((60, 80, 3), np.uint8)
    out = draw_label_numbers(picture, labels, highlight=1, display_width=80)
    assert not picture.any()  # not modified
    assert out.shape == picture.shape and out.dtype == np.uint8
    # White text near object 5's centroid, a yellow box along object 1's bounding box.
    row = table.set_index("label").loc[5]
    r, c = int(row["centroid_row"]), int(row["centroid_col"])
    assert out[r - 6 : r + 6, c - 6 : c + 6].min(axis=-1).max() > 150  # light grey to white (anti-aliased)
    np.testing.assert_array_equal(out[5, 12], [255, 221, 0])
    with pytest.raises(ValueError, match="image"):
        draw_label_numbers(np.zeros((60, 80), np.uint8), labels)
    with pytest.raises(ValueError, match="labels"):
        draw_label_numbers(picture, labels[:30])


def test_draw_label_numbers_numbers_only_the_highlight_when_there_are_too_many():
    labels = particles()
    picture = np.zeros((60, 80, 3), np.uint8)
    few = draw_label_numbers(picture, labels, highlight=1, max_numbers=1)
    np.testing.assert_array_equal(few, draw_label_numbers(picture, np.where(labels == 1, 1, 0), highlight=1))
    np.testing.assert_array_equal(draw_label_numbers(picture, labels, max_numbers=5),
                                  draw_label_numbers(picture, labels))  # five objects: all numbered


def test_draw_line_marks_the_profile_path():
    out = draw_line(np.zeros((20, 30), np.uint8), (10, 2), (10, 27), display_width=900)
    assert out.shape == (20, 30, 3)
    np.testing.assert_array_equal(out[10, 15], [255, 221, 0])
    assert not out[0, 15].any()
    with pytest.raises(ValueError, match="end"):
        draw_line(np.zeros((20, 30), np.uint8), (0, 0), (25, 0))


# ------------------------------------------------------------------ close-up of one object

from processing.measure import highlight_object  # noqa: E402
from processing.segmentation import overlay_labels  # noqa: E402


def square_window(bbox, margin, shape):
    """By hand: a square of side max(h, w) + 2 margin starting margin before the box, slid inside the image."""
    min_row, min_col, max_row, max_col = bbox
    side = max(max_row - min_row, max_col - min_col) + 2 * margin
    rows, cols = min(side, shape[0]), min(side, shape[1])
    top = min(max(min_row - margin, 0), shape[0] - rows)
    left = min(max(min_col - margin, 0), shape[1] - cols)
    return slice(top, top + rows), slice(left, left + cols)


def test_highlight_object_is_the_crop_of_the_whole_overlay(coins_labels):
    coins, _, labels = coins_labels
    table = measure_regions(labels)
    # Objects inside the image and touching each edge (the window slides inward there).
    picks = [*table.loc[~table["touches_border"], "label"][:3], *table.loc[table["touches_border"], "label"][:3]]
    assert len(picks) == 6
    for label in picks:
        row = table.set_index("label").loc[label]
        bbox = tuple(int(row[c]) for c in ("bbox_min_row", "bbox_min_col", "bbox_max_row", "bbox_max_col"))
        for margin in (1, 8):
            window = square_window(bbox, margin, labels.shape)
            expected = overlay_labels(coins, np.where(labels == label, label, 0))[window]
            got = highlight_object(coins, labels, label=int(label), bbox=bbox, margin=margin)
            np.testing.assert_array_equal(got, expected)
            # The whole object and its margin (inside the image) are in the window.
            assert window[0].start <= max(bbox[0] - margin, 0) and window[0].stop >= min(bbox[2] + margin, 303)
            assert window[1].start <= max(bbox[1] - margin, 0) and window[1].stop >= min(bbox[3] + margin, 384)
    with pytest.raises(ValueError, match="margin"):
        highlight_object(coins, labels, label=1, bbox=bbox, margin=0)
    with pytest.raises(ValueError, match="labels"):
        highlight_object(coins, labels[:10], label=1, bbox=bbox)
    with pytest.raises(ValueError, match="bbox"):
        highlight_object(coins, labels, label=1, bbox=(5, 5, 4, 8))


def test_highlight_object_on_a_one_pixel_image():
    out = highlight_object(np.array([[200]], np.uint8), np.array([[1]], np.int32), label=1, bbox=(0, 0, 1, 1))
    np.testing.assert_array_equal(out, overlay_labels(np.array([[200]], np.uint8), np.array([[1]], np.int32)))


# ------------------------------------------------------------ Analyze Particles in one call

from processing.measure import analyze_particles, analyze_particles_code, keep_objects  # noqa: E402


def test_analyze_particles_filters_calibrates_and_counts():
    labels = particles()
    table = measure_regions(labels, intensity_image=(labels * 30).astype(np.uint8))
    result = analyze_particles(table, image_shape=labels.shape, area_range=(50, 500), exclude_border=True,
                               pixel_size=0.5)
    assert result.kept == (1, 3, 5)
    assert result.table["label"].tolist() == [1, 3, 5] and result.table.index.tolist() == [0, 1, 2]
    disc_area = int(disc((20, 20), (10, 10), 9).sum())
    np.testing.assert_allclose(result.table["area"], np.array([400, 60, disc_area]) * 0.25)
    assert result.summary.count == 3 and result.summary.largest_area == pytest.approx(100)
    assert result.small == 1  # the 16-pixel square is below 50 pixels
    assert (result.on_border, result.largest) == (0, 1)
    assert result.most_elongated == 3  # the line
    everything = analyze_particles(table, image_shape=labels.shape)
    assert everything.kept == (1, 2, 3, 4, 5) and everything.on_border == 1
    assert everything.table["area"].dtype == np.int64  # in pixels: whole numbers
    none = analyze_particles(table, image_shape=labels.shape, area_range=(1000, math.inf))
    assert none.kept == () and none.largest is None and none.most_elongated is None and none.summary.count == 0


def test_keep_objects_and_the_grey_levels_inside_and_outside():
    labels = particles()
    grey = (labels * 30 + 5).astype(np.uint8)
    kept = keep_objects(labels, (1, 5), intensity_image=grey)
    np.testing.assert_array_equal(kept.labels, keep_regions(labels, [1, 5]))
    inside = np.isin(labels, [1, 5])
    assert kept.inside == mask_statistics(grey, inside) and kept.outside == mask_statistics(grey, ~inside)
    assert kept.inside.count == 400 + disc((20, 20), (10, 10), 9).sum()
    with pytest.raises(ValueError, match="intensity_image"):
        keep_objects(labels, (1,), intensity_image=grey[:30])


@pytest.mark.parametrize("filters", [
    {},
    {"area_range": (100, math.inf), "exclude_border": True},
    {"area_range": (50, 500), "circularity_range": (0.5, 1.0), "pixel_size": 0.5, "unit": "mm"},
])
def test_analyze_particles_code_reproduces_the_kept_objects(coins_labels, filters):
    coins, _, labels = coins_labels
    table = measure_regions(labels, intensity_image=coins)
    options = {k: v for k, v in filters.items() if k != "unit"}
    result = analyze_particles(table, image_shape=labels.shape, **options)
    namespace = {"cv2": cv2, "np": np, "labels": labels, "gray": coins}
    exec(analyze_particles_code(**filters), namespace)  # noqa: S102 - our own generated code
    np.testing.assert_array_equal(namespace["result"], keep_objects(labels, result.kept, intensity_image=coins).labels)
    np.testing.assert_allclose(namespace["table"]["area"], result.table["area"])
