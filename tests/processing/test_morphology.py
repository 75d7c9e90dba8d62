"""Tests for processing.morphology against OpenCV, scikit-image and hand-made arrays."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from skimage import data, morphology

from processing.morphology import (
    OPERATIONS,
    SHAPES,
    apply_morphology,
    changes_overlay,
    closer_look,
    compare_with_opencv,
    count_objects,
    describe_change,
    dilated_square_width,
    dilate_numpy,
    element_cells,
    element_fit,
    element_fit_picture,
    element_picture,
    erode_numpy,
    example_patch,
    level_changes,
    mask_changes,
    paint_changes,
    patch_picture,
    speckled_shapes,
    structuring_element,
)

RNG = np.random.default_rng(7)
GREY = RNG.integers(0, 256, size=(37, 41), dtype=np.uint8)
# Blobs that touch the border, so border handling is exercised.
BINARY = data.binary_blobs(length=48, blob_size_fraction=0.15, rng=1)[:45, :48]
SIZES = [1, 3, 5, 7]

masks = arrays(bool, st.tuples(st.integers(1, 12), st.integers(1, 12)))
greys = arrays(np.uint8, st.tuples(st.integers(1, 12), st.integers(1, 12)))
fast = settings(max_examples=40, deadline=None)


def skimage_reference(image: np.ndarray, operation: str, footprint: np.ndarray, n: int):
    """The same operation from scikit-image's erosion/dilation (mode="ignore": border skipped)."""
    grey = image.view(np.uint8) if image.dtype == bool else image

    def erode(x):
        for _ in range(n):
            x = morphology.erosion(x, footprint, mode="ignore")
        return x

    def dilate(x):
        for _ in range(n):
            x = morphology.dilation(x, footprint, mode="ignore")
        return x

    # Differences as int so nothing wraps; all of them are >= 0 by construction.
    as_int = lambda x: x.astype(np.int16)  # noqa: E731
    result = {
        "erode": lambda: erode(grey),
        "dilate": lambda: dilate(grey),
        "open": lambda: dilate(erode(grey)),
        "close": lambda: erode(dilate(grey)),
        "gradient": lambda: as_int(dilate(grey)) - as_int(erode(grey)),
        "tophat": lambda: as_int(grey) - as_int(dilate(erode(grey))),
        "blackhat": lambda: as_int(erode(dilate(grey))) - as_int(grey),
    }[operation]()
    return result.astype(bool) if image.dtype == bool else result.astype(np.uint8)


# --- structuring element --------------------------------------------------------------


def test_structuring_elements_hand_computed():
    np.testing.assert_array_equal(structuring_element("rectangle", size=3), np.ones((3, 3)))
    np.testing.assert_array_equal(
        structuring_element("cross", size=5),
        [
            [0, 0, 1, 0, 0],
            [0, 0, 1, 0, 0],
            [1, 1, 1, 1, 1],
            [0, 0, 1, 0, 0],
            [0, 0, 1, 0, 0],
        ],
    )
    np.testing.assert_array_equal(
        structuring_element("ellipse", size=5),
        [
            [0, 0, 1, 0, 0],
            [1, 1, 1, 1, 1],
            [1, 1, 1, 1, 1],
            [1, 1, 1, 1, 1],
            [0, 0, 1, 0, 0],
        ],
    )
    assert structuring_element("ellipse", size=1).tolist() == [[1]]


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("size", [1, 3, 9, 21, 51])
def test_structuring_element_contract(shape, size):
    element = structuring_element(shape, size=size)
    assert element.dtype == np.uint8 and element.shape == (size, size)
    assert set(np.unique(element)) <= {0, 1}
    # Mirror-symmetric and centred, so mirroring the element never matters. (Not
    # transpose-symmetric: OpenCV's 9x9 ellipse has 1 cell atop but 3 on the left.)
    np.testing.assert_array_equal(element, element[::-1, :])
    np.testing.assert_array_equal(element, element[:, ::-1])
    assert element[size // 2, size // 2] == 1
    cross = structuring_element("cross", size=size)
    assert np.all(element >= cross)  # every shape contains the cross through its centre


@pytest.mark.parametrize(
    "args, kwargs, name",
    [
        (("disk",), {"size": 3}, "shape"),
        (("ellipse",), {"size": 4}, "size"),
        (("ellipse",), {"size": 0}, "size"),
        (("ellipse",), {"size": 53}, "size"),
        (("ellipse",), {"size": 3.0}, "size"),
    ],
)
def test_structuring_element_rejects_bad_arguments(args, kwargs, name):
    with pytest.raises(ValueError, match=name):
        structuring_element(*args, **kwargs)


# --- from-scratch erosion and dilation vs OpenCV --------------------------------------


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("iterations", [1, 2])
@pytest.mark.parametrize("image", [GREY, BINARY], ids=["grey", "binary"])
def test_numpy_erode_dilate_match_opencv(shape, size, iterations, image):
    footprint = structuring_element(shape, size=size)
    as_u8 = image.view(np.uint8) if image.dtype == bool else image
    expected_erode = cv2.erode(as_u8, footprint, iterations=iterations)
    expected_dilate = cv2.dilate(as_u8, footprint, iterations=iterations)
    eroded = erode_numpy(image, footprint=footprint, iterations=iterations)
    dilated = dilate_numpy(image, footprint=footprint, iterations=iterations)
    assert eroded.dtype == image.dtype and dilated.dtype == image.dtype
    np.testing.assert_array_equal(eroded.view(np.uint8), expected_erode)
    np.testing.assert_array_equal(dilated.view(np.uint8), expected_dilate)


def test_numpy_erode_dilate_non_square_footprint():
    footprint = np.array([[0, 1, 0], [1, 1, 1], [1, 1, 1], [0, 1, 1], [0, 0, 1]], dtype=np.uint8)
    np.testing.assert_array_equal(
        erode_numpy(GREY, footprint=footprint), cv2.erode(GREY, footprint)
    )
    np.testing.assert_array_equal(
        dilate_numpy(GREY, footprint=footprint), cv2.dilate(GREY, footprint)
    )


def test_border_is_ignored_as_in_opencv():
    footprint = structuring_element("rectangle", size=3)
    full = np.ones((5, 5), dtype=bool)
    # Outside counts as foreground for erosion: a full mask stays full.
    assert erode_numpy(full, footprint=footprint).all()
    assert apply_morphology(full, operation="erode", footprint=footprint).all()
    corner = np.zeros((5, 5), dtype=bool)
    corner[0, 0] = True
    expected = np.zeros((5, 5), dtype=bool)
    expected[:2, :2] = True  # nothing grows in from outside, nothing is lost outside
    np.testing.assert_array_equal(dilate_numpy(corner, footprint=footprint), expected)
    np.testing.assert_array_equal(
        apply_morphology(corner, operation="dilate", footprint=footprint), expected
    )


# --- apply_morphology vs scikit-image -------------------------------------------------


@pytest.mark.parametrize("operation", OPERATIONS)
@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("iterations", [1, 2])
@pytest.mark.parametrize("image", [GREY, BINARY], ids=["grey", "binary"])
def test_apply_morphology_matches_skimage(operation, shape, iterations, image):
    footprint = structuring_element(shape, size=5)
    result = apply_morphology(
        image, operation=operation, footprint=footprint, iterations=iterations
    )
    assert result.dtype == image.dtype and result.shape == image.shape
    np.testing.assert_array_equal(
        result, skimage_reference(image, operation, footprint, iterations)
    )


def test_apply_morphology_hand_computed():
    square = np.zeros((7, 7), dtype=bool)
    square[2:5, 2:5] = True
    cross = structuring_element("cross", size=3)
    eroded = apply_morphology(square, operation="erode", footprint=cross)
    assert np.argwhere(eroded).tolist() == [[3, 3]]
    dot = np.zeros((5, 5), dtype=bool)
    dot[2, 2] = True
    dilated = apply_morphology(dot, operation="dilate", footprint=cross)
    np.testing.assert_array_equal(dilated[1:4, 1:4], cross)
    assert dilated.sum() == 5
    # A one-pixel speck disappears under opening; a one-pixel hole is filled by closing.
    box = structuring_element("rectangle", size=3)
    speck = square.copy()
    speck[0, 6] = True
    np.testing.assert_array_equal(apply_morphology(speck, operation="open", footprint=box), square)
    holed = square.copy()
    holed[3, 3] = False
    np.testing.assert_array_equal(apply_morphology(holed, operation="close", footprint=box), square)
    np.testing.assert_array_equal(
        apply_morphology(holed, operation="blackhat", footprint=box), square & ~holed
    )


@fast
@given(mask=masks, shape=st.sampled_from(SHAPES), size=st.sampled_from([1, 3, 5]))
def test_morphology_order_properties(mask, shape, size):
    footprint = structuring_element(shape, size=size)

    def run(image, operation):
        return apply_morphology(image, operation=operation, footprint=footprint)

    eroded, dilated = run(mask, "erode"), run(mask, "dilate")
    opened, closed = run(mask, "open"), run(mask, "close")
    assert eroded.dtype == bool and eroded.shape == mask.shape
    # The element contains its centre, so erosion shrinks and dilation grows.
    assert np.all(eroded <= mask) and np.all(mask <= dilated)
    assert np.all(opened <= mask) and np.all(mask <= closed)
    # Opening and closing are idempotent.
    np.testing.assert_array_equal(run(opened, "open"), opened)
    np.testing.assert_array_equal(run(closed, "close"), closed)
    np.testing.assert_array_equal(run(mask, "gradient"), dilated & ~eroded)


@fast
@given(image=greys, operation=st.sampled_from(OPERATIONS), iterations=st.integers(1, 3))
def test_grey_morphology_contract(image, operation, iterations):
    footprint = structuring_element("ellipse", size=3)
    result = apply_morphology(
        image, operation=operation, footprint=footprint, iterations=iterations
    )
    assert result.dtype == np.uint8 and result.shape == image.shape
    np.testing.assert_array_equal(
        result, skimage_reference(image, operation, footprint, iterations)
    )


@pytest.mark.parametrize(
    "image, kwargs, name",
    [
        (np.zeros((4, 4, 3), np.uint8), {}, "image"),
        (np.zeros((4, 4), np.float64), {}, "image"),
        (np.zeros((0, 4), bool), {}, "image"),
        (GREY, {"operation": "thin"}, "operation"),
        (GREY, {"footprint": np.ones((4, 4), np.uint8)}, "footprint"),
        (GREY, {"footprint": np.full((3, 3), 2, np.uint8)}, "footprint"),
        (GREY, {"footprint": np.ones((3, 3), np.float32)}, "footprint"),
        (GREY, {"iterations": 0}, "iterations"),
        (GREY, {"iterations": 21}, "iterations"),
    ],
)
def test_apply_morphology_rejects_bad_arguments(image, kwargs, name):
    arguments = {"operation": "erode", "footprint": np.ones((3, 3), np.uint8), **kwargs}
    with pytest.raises(ValueError, match=name):
        apply_morphology(image, **arguments)


def test_numpy_versions_reject_bad_arguments():
    with pytest.raises(ValueError, match="footprint"):
        erode_numpy(GREY, footprint=np.ones((2, 3), np.uint8))
    with pytest.raises(ValueError, match="image"):
        dilate_numpy(GREY.astype(np.int32), footprint=np.ones((3, 3), np.uint8))


# --- what changed ---------------------------------------------------------------------


def test_mask_changes_and_overlay_hand_computed():
    before = np.array([[True, True, False, False]])
    after = np.array([[True, False, True, False]])
    changes = mask_changes(before, after)
    np.testing.assert_array_equal(changes.added, [[False, False, True, False]])
    np.testing.assert_array_equal(changes.removed, [[False, True, False, False]])
    assert (changes.n_added, changes.n_removed) == (1, 1)
    picture = changes_overlay(
        before, after, added_color=(0, 0, 255), removed_color=(255, 0, 0), kept_color=(9, 9, 9)
    )
    assert picture.dtype == np.uint8 and picture.shape == (1, 4, 3)
    np.testing.assert_array_equal(picture[0], [[9, 9, 9], [255, 0, 0], [0, 0, 255], [0, 0, 0]])


@fast
@given(data_=st.data(), shape=st.tuples(st.integers(1, 10), st.integers(1, 10)))
def test_mask_changes_partition_the_difference(data_, shape):
    before = data_.draw(arrays(bool, shape))
    after = data_.draw(arrays(bool, shape))
    changes = mask_changes(before, after)
    np.testing.assert_array_equal(changes.added | changes.removed, before ^ after)
    assert not np.any(changes.added & changes.removed)
    np.testing.assert_array_equal(before & ~changes.removed | changes.added, after)
    assert changes.n_added == changes.added.sum() and changes.n_removed == changes.removed.sum()
    picture = changes_overlay(before, after)
    assert not picture[~before & ~after].any()
    assert np.all(picture[changes.added] == (0, 114, 178))
    assert np.all(picture[changes.removed] == (230, 159, 0))


def test_mask_changes_rejects_bad_arguments():
    with pytest.raises(ValueError, match="after"):
        mask_changes(np.zeros((3, 3), bool), np.zeros((3, 4), bool))
    with pytest.raises(ValueError, match="before"):
        mask_changes(np.zeros((3, 3), np.uint8), np.zeros((3, 3), bool))
    with pytest.raises(ValueError, match="removed_color"):
        changes_overlay(np.zeros((3, 3), bool), np.zeros((3, 3), bool), removed_color=(1, 2))


# --- look closer ----------------------------------------------------------------------


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("size", [3, 5])
def test_element_fit_agrees_with_opencv_at_every_pixel(shape, size):
    mask = np.random.default_rng(size).random((9, 11)) < 0.6
    footprint = structuring_element(shape, size=size)
    eroded = cv2.erode(mask.view(np.uint8), footprint).astype(bool)
    dilated = cv2.dilate(mask.view(np.uint8), footprint).astype(bool)
    for row in range(mask.shape[0]):
        for col in range(mask.shape[1]):
            probe = element_fit(mask, row=row, col=col, footprint=footprint)
            assert probe.fits == eroded[row, col], (row, col)
            assert probe.hits == dilated[row, col], (row, col)


def test_element_fit_window_hand_computed():
    mask = np.array(
        [
            [1, 1, 0],
            [1, 1, 1],
            [0, 1, 1],
        ],
        dtype=bool,
    )
    cross = structuring_element("cross", size=3)
    corner = element_fit(mask, row=0, col=0, footprint=cross)
    np.testing.assert_array_equal(corner.inside, [[0, 0, 0], [0, 1, 1], [0, 1, 1]])
    np.testing.assert_array_equal(corner.window, [[0, 0, 0], [0, 1, 1], [0, 1, 1]])
    np.testing.assert_array_equal(corner.on_foreground, [[0, 0, 0], [0, 1, 1], [0, 1, 0]])
    assert not corner.on_background.any()
    assert corner.fits and corner.hits  # the cells off the image do not count
    centre = element_fit(mask, row=1, col=1, footprint=cross)
    assert centre.fits
    edge = element_fit(mask, row=0, col=2, footprint=cross)
    np.testing.assert_array_equal(edge.on_background, [[0, 0, 0], [0, 1, 0], [0, 0, 0]])
    assert not edge.fits and edge.hits


def test_element_fit_rejects_bad_arguments():
    mask = np.zeros((4, 4), bool)
    cross = structuring_element("cross", size=3)
    with pytest.raises(ValueError, match="row"):
        element_fit(mask, row=4, col=0, footprint=cross)
    with pytest.raises(ValueError, match="col"):
        element_fit(mask, row=0, col=-1, footprint=cross)
    with pytest.raises(ValueError, match="mask"):
        element_fit(mask.astype(np.uint8), row=0, col=0, footprint=cross)


# --- helpers for the page -----------------------------------------------------------


def test_count_objects_hand_computed():
    mask = np.zeros((5, 7), bool)
    mask[0, 0] = mask[1, 1] = True  # diagonal neighbours
    mask[3:5, 4:7] = True
    assert count_objects(mask) == 2
    assert count_objects(mask, connectivity=4) == 3
    assert count_objects(np.zeros((3, 3), bool)) == 0
    with pytest.raises(ValueError, match="connectivity"):
        count_objects(mask, connectivity=6)


def test_level_changes_and_paint_changes_hand_computed():
    before = np.array([[10, 20, 30]], np.uint8)
    after = np.array([[15, 20, 5]], np.uint8)
    changes = level_changes(before, after)
    np.testing.assert_array_equal(changes.added, [[True, False, False]])
    np.testing.assert_array_equal(changes.removed, [[False, False, True]])
    assert (changes.n_added, changes.n_removed) == (1, 1)
    painted = paint_changes(before, changes, added_color=(1, 2, 3), removed_color=(4, 5, 6))
    np.testing.assert_array_equal(painted, [[(1, 2, 3), (20, 20, 20), (4, 5, 6)]])
    with pytest.raises(ValueError, match="after"):
        level_changes(before, after[:, :2])


def test_grey_erosion_only_darkens_and_dilation_only_brightens():
    footprint = structuring_element("ellipse", size=5)
    assert level_changes(GREY, apply_morphology(GREY, operation="erode", footprint=footprint)).n_added == 0
    assert level_changes(GREY, apply_morphology(GREY, operation="dilate", footprint=footprint)).n_removed == 0


@pytest.mark.parametrize("image", [GREY, BINARY])
def test_compare_with_opencv_reports_agreement(image):
    footprint = structuring_element("cross", size=5)
    check = compare_with_opencv(image, footprint=footprint, iterations=2)
    assert (check.erode_difference, check.dilate_difference) == (0, 0)
    assert check.whole_image and check.shape == image.shape
    cropped = compare_with_opencv(image, footprint=footprint, iterations=1, max_work=9 * 9 * 9)  # a 5 x 5 cross has 9 cells
    assert not cropped.whole_image and cropped.shape == (9, 9)
    assert (cropped.erode_difference, cropped.dilate_difference) == (0, 0)


def test_pictures_have_grid_sizes_and_colours():
    patch = example_patch()
    assert patch.dtype == bool and patch.shape == (13, 19)
    element = element_picture(structuring_element("cross", size=3), cell=10)
    assert element.shape == (31, 31, 3) and element[0, 5].tolist() == [150, 150, 150]  # grid lines
    assert element[5, 5].tolist() == [255, 255, 255] and element[5, 15].tolist() == [0, 114, 178]
    picture = patch_picture(patch, cell=8, highlight=(5, 5))
    assert picture.shape == (13 * 8 + 1, 19 * 8 + 1, 3)
    footprint = structuring_element("cross", size=3)
    fit = element_fit_picture(patch, row=5, col=6, footprint=footprint, cell=10)
    # (5, 5) is the hole: the cross's left cell lands on background (orange); the right one on foreground (blue).
    assert fit[5 * 10 + 5, 5 * 10 + 5].tolist() == [230, 159, 0]
    assert fit[5 * 10 + 5, 7 * 10 + 5].tolist() == [0, 114, 178]
    # The chosen pixel's frame lies around its cell, not on it: the whole cell stays orange (issue 20).
    chosen = element_fit_picture(patch, row=5, col=5, footprint=footprint, cell=24)
    assert (chosen[5 * 24 + 1 : 6 * 24, 5 * 24 + 1 : 6 * 24] == [230, 159, 0]).all()
    assert chosen[5 * 24, 5 * 24 + 12].tolist() == [255, 220, 0]  # on the grid line: the frame
    with pytest.raises(ValueError, match="cell"):
        patch_picture(patch, cell=2)


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("size", [1, 3, 5, 9])
def test_element_cells_counts_the_ones(shape, size):
    footprint = structuring_element(shape, size=size)
    assert element_cells(footprint) == int(footprint.sum())
    assert element_cells(structuring_element("rectangle", size=size)) == size * size
    assert element_cells(structuring_element("cross", size=size)) == 2 * size - 1


def test_element_fit_counts_and_edges():
    patch = example_patch()
    fit = element_fit(patch, row=4, col=5, footprint=structuring_element("rectangle", size=3))
    assert (fit.n_on_background, fit.n_on_foreground) == (2, 7)  # the hole at (5, 5) and the notch at (3, 6)
    assert not fit.reaches_outside
    assert element_fit(patch, row=0, col=0, footprint=structuring_element("rectangle", size=3)).reaches_outside


@pytest.mark.parametrize(("row", "col"), [(5, 5), (4, 5), (0, 0), (10, 16)])
def test_closer_look_pictures_are_the_patch_eroded_and_dilated(row, col):
    patch = example_patch()
    footprint = structuring_element("ellipse", size=5)
    look = closer_look(patch, row=row, col=col, footprint=footprint, cell=12)
    eroded = cv2.erode(patch.astype(np.uint8), footprint).astype(bool)
    dilated = cv2.dilate(patch.astype(np.uint8), footprint).astype(bool)
    np.testing.assert_array_equal(look.eroded, patch_picture(eroded, cell=12, highlight=(row, col)))
    np.testing.assert_array_equal(look.dilated, patch_picture(dilated, cell=12, highlight=(row, col)))
    np.testing.assert_array_equal(look.on_element, element_fit_picture(patch, row=row, col=col, footprint=footprint,
                                                                       cell=12))
    assert look.fit.fits == eroded[row, col] and look.fit.hits == dilated[row, col]


def test_describe_change_of_a_mask_counts_pixels_and_objects():
    before = np.zeros((9, 12), bool)
    before[1:4, 1:4] = True  # a 3 x 3 square ...
    before[6, 8] = True  # ... and a speck
    footprint = structuring_element("rectangle", size=3)
    after = apply_morphology(before, operation="open", footprint=footprint)
    change = describe_change(before, after, operation="open")
    assert (change.n_added, change.n_removed) == (0, 1)  # the speck goes, the square stays
    assert (change.objects_before, change.objects_after, change.pixels_before, change.pixels_after) == (2, 1, 10, 9)
    np.testing.assert_array_equal(change.picture, changes_overlay(before, after))
    assert change.input_mask is None and change.result_mask is None
    assert (change.low, change.high, change.mean) == (0, 1, pytest.approx(9 / 108))


def test_describe_change_of_a_grey_image():
    footprint = structuring_element("ellipse", size=5)
    after = apply_morphology(GREY, operation="dilate", footprint=footprint)
    change = describe_change(GREY, after, operation="dilate")
    expected = level_changes(GREY, after)
    assert (change.n_added, change.n_removed) == (expected.n_added, expected.n_removed)
    np.testing.assert_array_equal(change.picture, paint_changes(GREY, expected))
    assert change.objects_before == change.pixels_after == 0 and change.input_mask is None


@pytest.mark.parametrize("operation", ["gradient", "tophat", "blackhat"])
def test_describe_change_of_a_difference_thresholds_both_with_otsu(operation):
    page = data.page()
    footprint = structuring_element("ellipse", size=15)
    after = apply_morphology(page, operation=operation, footprint=footprint)
    change = describe_change(page, after, operation=operation)
    t_in, _ = cv2.threshold(page, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    t_out, _ = cv2.threshold(after, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    assert (change.input_threshold, change.result_threshold) == (int(t_in), int(t_out))
    np.testing.assert_array_equal(change.input_mask, page <= t_in if operation == "blackhat" else page > t_in)
    np.testing.assert_array_equal(change.result_mask, after > t_out)
    assert change.picture is None and change.n_added == change.n_removed == 0
    assert (change.low, change.high) == (after.min(), after.max()) and change.mean == pytest.approx(after.mean())


def test_describe_change_refuses_mismatched_results():
    with pytest.raises(ValueError, match="after"):
        describe_change(BINARY, GREY[:45, :41], operation="open")
    with pytest.raises(ValueError, match="operation"):
        describe_change(BINARY, BINARY, operation="thin")


@settings(max_examples=30, deadline=None)
@given(mask=arrays(bool, st.tuples(st.integers(1, 10), st.integers(1, 10))), size=st.sampled_from([1, 3, 5]),
       operation=st.sampled_from(OPERATIONS))
def test_describe_change_contract_on_masks(mask, size, operation):
    after = apply_morphology(mask, operation=operation, footprint=structuring_element("ellipse", size=size))
    change = describe_change(mask, after, operation=operation)
    assert change.picture.shape == (*mask.shape, 3) and change.picture.dtype == np.uint8
    assert change.pixels_after - change.pixels_before == change.n_added - change.n_removed
    assert 0 <= change.objects_before <= mask.size and 0 <= change.objects_after <= mask.size


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("size", [1, 3, 5, 9])
@pytest.mark.parametrize("iterations", [1, 3])
def test_dilated_square_width(shape, size, iterations):
    # Every shape's middle row is full, so each iteration adds size - 1 columns.
    footprint = structuring_element(shape, size=size)
    assert dilated_square_width(20, footprint=footprint, iterations=iterations) == 20 + (size - 1) * iterations


def test_speckled_shapes_opening_removes_specks_and_closing_fills_holes():
    mask = speckled_shapes()
    assert mask.shape == (96, 128) and mask.dtype == bool
    assert np.array_equal(mask, speckled_shapes())
    footprint = structuring_element("ellipse", size=5)
    opened = apply_morphology(mask, operation="open", footprint=footprint)
    closed = apply_morphology(mask, operation="close", footprint=footprint)
    assert count_objects(mask) > 10 and count_objects(opened) == 3
    assert count_objects(~closed) == 1  # no holes left: the background is one region


# Extremes (issue 8) ---------------------------------------------------------------------------


@pytest.mark.parametrize("size", [3, 51])
@pytest.mark.parametrize("fill", [False, True], ids=["all-background", "all-foreground"])
def test_uniform_masks_are_unchanged_by_erosion_and_dilation_even_with_an_element_larger_than_the_image(fill, size):
    from processing.morphology import apply_morphology, structuring_element

    mask = np.full((7, 9), fill)
    element = structuring_element("ellipse", size=size)
    for operation in ("erode", "dilate", "open", "close"):
        np.testing.assert_array_equal(apply_morphology(mask, operation=operation, footprint=element), mask)
    for operation in ("gradient", "tophat", "blackhat"):  # differences of unchanged images
        assert not apply_morphology(mask, operation=operation, footprint=element).any()


def test_element_larger_than_the_image_gives_the_global_minimum_and_maximum():
    from processing.morphology import apply_morphology, structuring_element

    image = (np.arange(20 * 25, dtype=np.uint16).reshape(20, 25) % 251).astype(np.uint8)
    # A 51 × 51 rectangle (the largest the lesson offers) centred anywhere covers the whole 20 × 25 image:
    # every pixel becomes the minimum or maximum of all pixels.
    element = structuring_element("rectangle", size=51)
    assert np.all(apply_morphology(image, operation="erode", footprint=element) == image.min())
    assert np.all(apply_morphology(image, operation="dilate", footprint=element) == image.max())
