"""Small grids of numbers drawn as SVG: an 8 × 8 block's pixels, DCT coefficients, quantisation steps.

Each cell is tinted by its value and shows the value itself, so a learner can read
the numbers and see their pattern at once. Everything here is Pixel Lab's own text.
"""

from __future__ import annotations

from collections.abc import Sequence
from xml.sax.saxutils import escape

import numpy as np

from ui.svg import FONT, TEXT_COLOUR

#: Colour schemes: "grey" (0 black .. 255 white, for pixels), "signed" (negative blue, 0 white, positive red,
#: scaled by the largest magnitude), "steps" (1 white .. largest orange, for quantisation steps).
SCHEMES = ("grey", "signed", "steps")


#: Cell tints of a signed grid: positive values vermillion, negative ones blue (Okabe-Ito), the stronger the larger.
POSITIVE_COLOUR = (213, 94, 0)
NEGATIVE_COLOUR = (0, 114, 178)

def _fill(value: float, scheme: str, scale: float) -> tuple[str, str]:
    """(cell colour, text colour) for one value."""
    if scheme == "grey":
        level = int(np.clip(round(value), 0, 255))
        return f"rgb({level},{level},{level})", "#ffffff" if level < 128 else "#000000"
    share = 0.0 if scale <= 0 else float(np.clip(abs(value) / scale, 0.0, 1.0)) ** 0.5
    if scheme == "signed":
        base = POSITIVE_COLOUR if value > 0 else NEGATIVE_COLOUR
    else:
        base = (230, 120, 0)
    r, g, b = (round(255 + (c - 255) * share) for c in base)
    return f"rgb({r},{g},{b})", "#ffffff" if share > 0.75 else TEXT_COLOUR


def value_grid_svg(
    values: np.ndarray,
    *,
    title: str,
    scheme: str = "grey",
    decimals: int = 0,
    faint_zeros: bool = False,
    path: Sequence[tuple[int, int]] | None = None,
    cell: int = 34,
) -> str:
    """A grid of numbers, each cell tinted by its value, as a standalone SVG document.

    Parameters
    ----------
    values : ndarray, shape (rows, cols)
        Real numbers (at most 16 × 16).
    title : str
        Shown above the grid.
    scheme : {"grey", "signed", "steps"}
        How cells are tinted (see `SCHEMES`).
    decimals : int
        Digits after the decimal point, 0 to 2.
    faint_zeros : bool
        Print zeros in light grey (quantised coefficients: most of them are zero).
    path : sequence of (row, col), optional
        Cells joined in this order by a thin line (the zig-zag scan).
    cell : int
        Side of a cell in chart pixels.

    Returns
    -------
    str
        An SVG document.
    """
    values = np.asarray(values, dtype=np.float64)
    if values.ndim != 2 or not (1 <= values.shape[0] <= 16 and 1 <= values.shape[1] <= 16):
        raise ValueError(f"values must be a 2-D array of at most 16 × 16, got shape {values.shape}")
    if scheme not in SCHEMES:
        raise ValueError(f"scheme must be one of {', '.join(SCHEMES)}; got {scheme!r}")
    if decimals not in (0, 1, 2):
        raise ValueError(f"decimals must be 0, 1 or 2, got {decimals}")
    rows, cols = values.shape
    top, left = 26, 4
    width, height = left + cols * cell + 4, top + rows * cell + 4
    scale = float(np.abs(values).max()) if values.size else 1.0
    size = 11 if decimals or scale >= 100 else 12
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'font-family="{escape(FONT)}" font-size="{size}" fill="{TEXT_COLOUR}">',
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
        f'<text x="{left}" y="17" font-size="13" font-weight="600">{escape(title)}</text>',
    ]
    for r in range(rows):
        for c in range(cols):
            value = values[r, c]
            background, ink = _fill(value, scheme, scale)
            zero = faint_zeros and value == 0
            x, y = left + c * cell, top + r * cell
            out.append(f'<rect x="{x}" y="{y}" width="{cell}" height="{cell}" fill="{background}" '
                       'stroke="#bbbbbb" stroke-width="0.5"/>')
            text = f"{value:.{decimals}f}" if decimals else f"{int(round(value))}"
            if text in ("-0", "-0.0", "-0.00"):
                text = text[1:]
            out.append(f'<text x="{x + cell / 2:.1f}" y="{y + cell / 2 + 4:.1f}" text-anchor="middle" '
                       f'fill="{"#b0b0b0" if zero else ink}">{escape(text)}</text>')
    if path:
        points = " ".join(f"{left + (c + 0.5) * cell:.1f},{top + (r + 0.5) * cell:.1f}" for r, c in path)
        out.append(f'<polyline points="{points}" fill="none" stroke="#e67800" stroke-width="1.2" '
                   'stroke-opacity="0.7"/>')
    out.append("</svg>")
    return "".join(out)
