"""Kernels written as text: the cells of the lesson's editor, the one-line form a link carries, and numbers
as the tables and code panels print them.

A learner types weights such as ``2``, ``-0.5`` or ``1/9``; a link carries a whole
kernel as one line, ``"1,2,1;0,0,0;-1,-2,-1"`` (cells separated by ``,``, rows by
``;``). Both are untrusted text, read by a tiny hand-written grammar, never ``eval``.
Every number this module writes is read back exactly by `parse_kernel_cell`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from processing._checks import check_float, check_int
from processing.convolution import check_kernel

__all__ = [
    "EDITOR_SIZES",
    "format_kernel_cell",
    "format_table_number",
    "kernel_cells",
    "kernel_to_text",
    "parse_kernel",
    "parse_kernel_cell",
    "parse_kernel_text",
    "python_number",
    "resize_cells",
    "split_kernel_text",
]

# Optional sign, a decimal number ("2", "0.5", ".5", "2."), optionally "/" and a
# second unsigned decimal number. Nothing else: no exponents, names or expressions.
# ASCII digits only: float() would also accept other scripts' digits.
_NUMBER = r"([0-9]+\.?[0-9]*|\.[0-9]+)"
_CELL_PATTERN = re.compile(rf"[ \t]*([+-]?)[ \t]*{_NUMBER}[ \t]*(?:/[ \t]*{_NUMBER}[ \t]*)?")
_MAX_CELL_CHARS = 24


def parse_kernel_cell(text: str) -> float:
    """Parse one kernel cell such as ``"2"``, ``"-0.5"`` or ``"1/9"``.

    A tiny hand-written grammar, never ``eval``: optional sign, a decimal number,
    optionally ``/`` and a second decimal number. Spaces around the parts are allowed.

    Parameters
    ----------
    text : str
        The cell text, at most 24 characters.

    Returns
    -------
    float
        The value, finite.

    Raises
    ------
    ValueError
        If `text` does not match the grammar, divides by zero or is too long.
    """
    if not isinstance(text, str):
        raise ValueError(f"text must be a string, got {type(text).__name__}")
    if len(text) > _MAX_CELL_CHARS:
        raise ValueError(f"text must be at most {_MAX_CELL_CHARS} characters, got {len(text)}")
    match = _CELL_PATTERN.fullmatch(text)
    if match is None:
        raise ValueError(f"text must be a number such as 2, -0.5 or 1/9; got {text!r}")
    sign, numerator, denominator = match.groups()
    value = float(numerator)
    if denominator is not None:
        divisor = float(denominator)
        if divisor == 0.0:
            raise ValueError(f"text divides by zero: {text!r}")
        value /= divisor
    if not np.isfinite(value):
        raise ValueError(f"text must be a finite number, got {text!r}")
    return -value if sign == "-" else value


def parse_kernel(cells: Sequence[Sequence[str]]) -> np.ndarray:
    """Parse a grid of cell texts (see `parse_kernel_cell`) into a kernel.

    Parameters
    ----------
    cells : sequence of sequences of str
        Rows of cell texts; all rows the same length; odd number of rows and columns.

    Returns
    -------
    ndarray of float64, shape (rows, columns)

    Raises
    ------
    ValueError
        Naming the first bad cell by row and column (counted from 1), or the shape.
    """
    rows = [list(row) for row in cells]
    if not rows or not rows[0]:
        raise ValueError("cells must have at least one row and one column")
    width = len(rows[0])
    if any(len(row) != width for row in rows):
        raise ValueError("cells must have the same number of columns in every row")
    kernel = np.empty((len(rows), width))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            try:
                kernel[r, c] = parse_kernel_cell(text)
            except ValueError as error:
                raise ValueError(f"cells row {r + 1}, column {c + 1}: {error}") from None
    return check_kernel(kernel, name="cells")


#: Square kernel sizes the lesson's editor offers.
EDITOR_SIZES: tuple[int, ...] = (3, 5, 7)
_MAX_TEXT_CHARS = 2000
_MAX_DENOMINATOR = 256


def format_kernel_cell(value: float) -> str:
    """Write a weight the way a person would type it: ``"2"``, ``"-1/16"``, ``"0.07511"``.

    Integers are written as integers, short exact decimals as decimals (``0.5``),
    exact fractions with a denominator up to 256 as fractions (so a box kernel
    reads ``1/9``), anything else with five
    significant digits. `parse_kernel_cell` reads every result back.

    Parameters
    ----------
    value : float
        A finite weight.

    Returns
    -------
    str
        At most 24 characters.
    """
    value = check_float(value, name="value")
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    short = f"{value:g}"
    # 0.5, 0.25, -0.1: shorter than a fraction. Not "1e-09": the cell grammar has no exponents.
    if len(short) <= 5 and "e" not in short and float(short) == value:
        return short
    for denominator in range(2, _MAX_DENOMINATOR + 1):
        numerator = value * denominator
        if abs(numerator) < 1e6 and float(round(numerator)) / denominator == value:
            return f"{int(round(numerator))}/{denominator}"
    text = f"{value:.5g}"
    if "e" in text:  # the cell grammar has no exponents
        text = f"{value:.12f}".rstrip("0").rstrip(".") or "0"
        text = text[: _MAX_CELL_CHARS]
    return text


def kernel_to_text(cells: Sequence[Sequence[str]]) -> str:
    """Join cell texts into one line: cells separated by ``,``, rows by ``;``.

    ``[["1", "2", "1"], ["0", "0", "0"], ["-1", "-2", "-1"]]`` becomes
    ``"1,2,1;0,0,0;-1,-2,-1"``: short enough for a link, read back by
    `parse_kernel_text`. Spaces around each cell are dropped.
    """
    return ";".join(",".join(str(cell).strip() for cell in row) for row in cells)


def split_kernel_text(text: str) -> list[list[str]]:
    """Split a kernel line (see `kernel_to_text`) into rows of cell texts, without parsing them.

    Raises
    ------
    ValueError
        If `text` is not a string or longer than 2,000 characters.
    """
    if not isinstance(text, str):
        raise ValueError(f"text must be a string, got {type(text).__name__}")
    if len(text) > _MAX_TEXT_CHARS:
        raise ValueError(f"text must be at most {_MAX_TEXT_CHARS} characters, got {len(text)}")
    return [row.split(",") for row in text.strip().split(";")]


def parse_kernel_text(text: str, *, sizes: Sequence[int] = EDITOR_SIZES) -> np.ndarray:
    """Read a kernel written as one line, e.g. ``"1,2,1;0,0,0;-1,-2,-1"``.

    Every cell goes through `parse_kernel_cell` (a tiny grammar, never ``eval``).

    Parameters
    ----------
    text : str
        Rows separated by ``;``, cells by ``,``; at most 2,000 characters.
    sizes : sequence of int
        Allowed side lengths; the kernel must be square.

    Returns
    -------
    ndarray of float64, shape (n, n)

    Raises
    ------
    ValueError
        Naming the problem: a bad cell (by row and column), ragged rows, or a
        shape that is not one of the allowed squares.
    """
    kernel = parse_kernel(split_kernel_text(text))
    rows, cols = kernel.shape
    if rows != cols or rows not in sizes:
        allowed = ", ".join(f"{n}×{n}" for n in sizes)
        raise ValueError(f"text must describe a square kernel of size {allowed}; got {rows}×{cols}")
    return kernel


def resize_cells(cells: Sequence[Sequence[str]], size: int) -> list[list[str]]:
    """Grow or shrink a square grid of cell texts to `size` × `size`, keeping it centred.

    Growing adds ``"0"`` all round; shrinking keeps the centre block. Used when the
    learner changes the size of a kernel they typed.

    Parameters
    ----------
    cells : sequence of sequences of str
        Square grid with an odd side.
    size : int
        New odd side, >= 1.

    Returns
    -------
    list of lists of str
    """
    size = check_int(size, name="size", low=1, odd=True)
    rows = [list(row) for row in cells]
    side = len(rows)
    if side == 0 or side % 2 == 0 or any(len(row) != side for row in rows):
        raise ValueError("cells must form a square grid with an odd side")
    shift = (size - side) // 2  # > 0: pad, < 0: crop
    grid = [["0"] * size for _ in range(size)]
    for r in range(size):
        for c in range(size):
            source_r, source_c = r - shift, c - shift
            if 0 <= source_r < side and 0 <= source_c < side:
                grid[r][c] = rows[source_r][source_c]
    return grid


def kernel_cells(kernel: np.ndarray) -> list[list[str]]:
    """Every weight of a kernel as the editor shows it (`format_kernel_cell`), row by row.

    Parameters
    ----------
    kernel : array_like, shape (kh, kw)
        Finite weights.

    Returns
    -------
    list of lists of str
    """
    return [[format_kernel_cell(float(value)) for value in row] for row in np.asarray(kernel, dtype=np.float64)]


def format_table_number(value: float) -> str:
    """A weight or product as a table prints it: as typed when short, else rounded, so a 7 × 7 table fits.

    Parameters
    ----------
    value : float
        A finite number.

    Returns
    -------
    str
        `format_kernel_cell` when that is at most 6 characters (``2``, ``1/9``, ``-0.5``); otherwise the
        integer, or 3 significant digits with at most 5 decimals (``0.159``, ``0.00002``), and ``≈0`` for
        a value that rounds to 0 there.
    """
    typed = format_kernel_cell(value)
    if len(typed) <= 6:
        return typed
    value = float(value)
    if value.is_integer():
        return str(int(value))
    rounded = round(value, 5)
    if rounded == 0:
        return "≈0"
    return np.format_float_positional(rounded, precision=3, unique=False, fractional=False, trim="-")


def python_number(value: float) -> str:
    """A Python literal that gives exactly `value`, short when it can be (``2``, ``1/9``), for code panels.

    Parameters
    ----------
    value : float
        A finite number.

    Returns
    -------
    str
        `format_kernel_cell` when `parse_kernel_cell` reads it back as exactly `value`, else ``repr(value)``.
    """
    text = format_kernel_cell(value)
    return text if parse_kernel_cell(text) == value else repr(float(value))
