"""Tests for processing.kernel_text: the cell grammar, the one-line form, and numbers as tables and code print them.

References: hand-written cells and values, Python's own fractions, and round trips through the parser.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from processing import convolution as conv
from processing import kernel_text


# --------------------------------------------------------------------------- parsing


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("2", 2.0),
        ("-0.5", -0.5),
        ("+3", 3.0),
        ("1/9", 1 / 9),
        ("-1/16", -1 / 16),
        (" 2 / 4 ", 0.5),
        (".25", 0.25),
        ("3.", 3.0),
        ("0", 0.0),
        ("1.5/0.5", 3.0),
    ],
)
def test_parse_cell_accepts_numbers_and_fractions(text, value):
    assert kernel_text.parse_kernel_cell(text) == pytest.approx(value, rel=1e-15)


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        "abc",
        "1/0",
        "1/-2",
        "--1",
        "1e3",
        "nan",
        "inf",
        "1/2/3",
        "2*3",
        "__import__('os')",
        "(1)",
        "1,5",
        "9" * 30,
        "\u0661",  # ARABIC-INDIC DIGIT ONE: float() accepts it, the grammar does not
        "1\n",
    ],
)
def test_parse_cell_rejects_anything_else(text):
    with pytest.raises(ValueError, match="text"):
        kernel_text.parse_kernel_cell(text)


def test_parse_cell_rejects_non_strings():
    with pytest.raises(ValueError, match="text"):
        kernel_text.parse_kernel_cell(1.0)


@settings(max_examples=60, deadline=None)
@given(st.integers(-999, 999), st.integers(1, 999))
def test_parse_cell_fraction_property(numerator, denominator):
    assert kernel_text.parse_kernel_cell(f"{numerator}/{denominator}") == pytest.approx(
        numerator / denominator, rel=1e-15
    )


def test_parse_kernel_builds_array_and_names_bad_cell():
    kernel = kernel_text.parse_kernel([["1/9"] * 3] * 3)
    np.testing.assert_allclose(kernel, conv.kernel_preset("box"))
    with pytest.raises(ValueError, match="row 2, column 3"):
        kernel_text.parse_kernel([["0", "0", "0"], ["0", "1", "x"], ["0", "0", "0"]])
    with pytest.raises(ValueError, match="same number of columns"):
        kernel_text.parse_kernel([["1", "2", "3"], ["1"], ["1", "2", "3"]])
    with pytest.raises(ValueError, match="odd"):
        kernel_text.parse_kernel([["1", "2"], ["3", "4"]])


# --------------------------------------------------------------------------- kernel text


@pytest.mark.parametrize(
    ("value", "text"),
    [(2.0, "2"), (-1.0, "-1"), (0.0, "0"), (0.5, "0.5"), (1 / 9, "1/9"), (-1 / 16, "-1/16"),
     (1 / 49, "1/49"), (3 / 256, "3/256"), (0.0751136, "0.075114"), (1e-9, "0.000000001"),
     (-2e-5, "-0.00002")],
)
def test_format_kernel_cell_hand_values(value, text):
    assert kernel_text.format_kernel_cell(value) == text


@settings(max_examples=60, deadline=None)
@given(st.floats(-1e4, 1e4, allow_nan=False))
def test_format_kernel_cell_is_read_back_by_the_parser(value):
    text = kernel_text.format_kernel_cell(value)
    assert len(text) <= 24
    assert kernel_text.parse_kernel_cell(text) == pytest.approx(value, rel=1e-4, abs=1e-12)


@settings(max_examples=40, deadline=None)
@given(st.integers(-300, 300), st.integers(1, 256))
def test_exact_fractions_round_trip_exactly(numerator, denominator):
    value = numerator / denominator
    assert kernel_text.parse_kernel_cell(kernel_text.format_kernel_cell(value)) == value


def test_kernel_text_round_trip_and_checks():
    cells = [["1", "2", "1"], ["0", " 0 ", "0"], ["-1", "-2", "1/9"]]
    text = kernel_text.kernel_to_text(cells)
    assert text == "1,2,1;0,0,0;-1,-2,1/9"
    assert kernel_text.split_kernel_text(text)[2] == ["-1", "-2", "1/9"]
    np.testing.assert_allclose(kernel_text.parse_kernel_text(text), [[1, 2, 1], [0, 0, 0], [-1, -2, 1 / 9]])
    assert kernel_text.parse_kernel_text("0,0,0,0,0;" * 4 + "0,0,1,0,0").shape == (5, 5)
    for bad, word in [("1,2;3,4", "odd"), ("1", "square"), ("1,1,1", "square"), ("1,1,1;1,1;1,1,1", "columns"),
                      ("1,x,1;1,1,1;1,1,1", "row 1, column 2"), ("1" * 2001, "2000"), ("", "text")]:
        with pytest.raises(ValueError, match=word):
            kernel_text.parse_kernel_text(bad)
    nine = ";".join([",".join(["0"] * 9)] * 9)
    with pytest.raises(ValueError, match="square kernel"):
        kernel_text.parse_kernel_text(nine)  # 9 x 9 is valid in general but not offered by the editor
    assert kernel_text.parse_kernel_text(nine, sizes=(9,)).shape == (9, 9)


def test_resize_cells_pads_and_crops_around_the_centre():
    cells = [["1", "2", "3"], ["4", "5", "6"], ["7", "8", "9"]]
    grown = kernel_text.resize_cells(cells, 5)
    assert grown[0] == ["0"] * 5 and grown[2] == ["0", "4", "5", "6", "0"]
    assert kernel_text.resize_cells(grown, 3) == cells
    assert kernel_text.resize_cells(cells, 1) == [["5"]]
    with pytest.raises(ValueError, match="size"):
        kernel_text.resize_cells(cells, 4)
    with pytest.raises(ValueError, match="cells"):
        kernel_text.resize_cells([["1", "2"], ["3", "4"]], 3)


def test_kernel_cells_write_every_weight_as_typed():
    assert kernel_text.kernel_cells(conv.kernel_preset("box")) == [["1/9"] * 3] * 3
    assert kernel_text.kernel_cells(conv.kernel_preset("sobel_x")) == [["-1", "0", "1"], ["-2", "0", "2"],
                                                                      ["-1", "0", "1"]]


@pytest.mark.parametrize(
    ("value", "text"),
    [(2.0, "2"), (1 / 9, "1/9"), (-0.5, "-0.5"), (0.0751136, "0.0751"), (0.15915494, "0.159"),
     (2e-5, "0.00002"), (1e-9, "≈0"), (-3 / 256, "-3/256"), (1234567.0, "1234567")],
)
def test_format_table_number_hand_values(value, text):
    assert kernel_text.format_table_number(value) == text


@settings(max_examples=60, deadline=None)
@given(st.floats(-1e4, 1e4, allow_nan=False))
def test_table_numbers_are_short_and_close(value):
    text = kernel_text.format_table_number(value)
    assert len(text) <= 12
    if text != "≈0":
        assert float(Fraction(text)) == pytest.approx(value, rel=5e-3, abs=5e-6)


@settings(max_examples=60, deadline=None)
@given(st.floats(-1e4, 1e4, allow_nan=False))
def test_python_number_is_exactly_the_value(value):
    assert eval(kernel_text.python_number(value)) == value  # noqa: S307 - our own literal, in a test
    assert kernel_text.python_number(1 / 9) == "1/9" and kernel_text.python_number(0.1 + 0.2) == repr(0.1 + 0.2)
