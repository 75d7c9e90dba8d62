"""Picking a place of a spectrum: click on it, or move the u and v sliders (keyboard users).

A spectrum is centred (u = v = 0 in the middle, see `processing.frequency`), so its sliders run over signed
frequencies, while a click lands on a picture row and column: `frequency_sliders` turns a click on
`clickable_spectrum` into u and v through `ui.display.follow_click`. The sliders come first, so that what the
picture shows (marks, notches) can follow them.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from ui.cache import step
from ui.display import clickable_image, follow_click, mark_pixel
from ui.page import keep_in_range

def _signed_slider(column, label: str, *, size: int, key: str, default: int, help_text: str) -> int:
    """A URL-bound slider over ``-(size // 2) .. size - size // 2 - 1``; a note and 0 for a side of one pixel."""
    low, high = -(size // 2), size - size // 2 - 1
    if high <= low:
        column.caption(f"{label}: 0 (the image is one pixel in this direction)")
        return 0
    keep_in_range(key, low, high)
    return column.slider(label, low, high, min(max(default, low), high), key=key, bind="query-params",
                         help=help_text)


def frequency_sliders(*, prefix: str, height: int, width: int, default: tuple[int, int] = (0, 0)) -> tuple[int, int]:
    """The u and v sliders of a spectrum of `height` × `width`, moved first by a new click on `clickable_spectrum`.

    Parameters
    ----------
    prefix : str
        Widget keys: ``{prefix}_u`` and ``{prefix}_v`` (sliders, in the URL); the picture is ``{prefix}_click``.
    height, width : int
        The spectrum's shape.
    default : tuple of int
        ``(u, v)`` before anything is chosen (kept inside the spectrum).

    Returns
    -------
    tuple of int
        ``(u, v)``: cycles across the width and down the height; the place is row ``H // 2 + v``, column
        ``W // 2 + u`` of a centred spectrum.
    """
    clicked = st.session_state.get(f"{prefix}_click")
    followed = st.session_state.get(f"{prefix}_last_click")
    follow_click(clicked, prefix=prefix, height=height, width=width)
    if clicked is not None and st.session_state.get(f"{prefix}_last_click") != followed:
        st.session_state[f"{prefix}_u"] = st.session_state[f"{prefix}_col"] - width // 2
        st.session_state[f"{prefix}_v"] = st.session_state[f"{prefix}_row"] - height // 2
    left, right = st.columns(2)
    u = _signed_slider(left, "u (cycles across the width)", size=width, key=f"{prefix}_u", default=default[0],
                       help_text="Positive: to the right of the centre. Click on the spectrum to set u and v at once.")
    v = _signed_slider(right, "v (cycles down the height)", size=height, key=f"{prefix}_v", default=default[1],
                       help_text="Positive: below the centre (rows count downwards).")
    return u, v


def clickable_spectrum(picture: np.ndarray, *, prefix: str, u: int, v: int) -> None:
    """A centred spectrum picture (`ui.display.clickable_image`), with (u, v) and its partner (-u, -v) marked; a
    click on it moves `frequency_sliders` of the same `prefix` on the next run.

    Parameters
    ----------
    picture : ndarray of uint8, shape (H, W) or (H, W, 3)
    prefix : str
        As given to `frequency_sliders`.
    u, v : int
        What `frequency_sliders` returned.
    """
    height, width = picture.shape[:2]
    marked = step(mark_pixel, picture, row=height // 2 + v, col=width // 2 + u)
    if (u, v) != (0, 0):
        marked = step(mark_pixel, marked, row=(height // 2 - v) % height, col=(width // 2 - u) % width)
    clickable_image(marked, key=f"{prefix}_click", crisp=True,
                    alt=f"Centred magnitude spectrum, {width} × {height}, with (u, v) = ({u}, {v}) and its mirror "
                        f"({-u}, {-v}) framed in yellow; the u and v sliders choose the point too")
