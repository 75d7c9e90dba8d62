"""Showing images: one helper downsizes, encodes and captions every picture."""

from __future__ import annotations

import base64
from collections.abc import Sequence
from typing import NamedTuple

import cv2
import numpy as np
import streamlit as st

from processing.io import encode_image
from ui.alt import check_alt, picture_alt
from ui.cache import ArrayMemo
from ui.charts import histogram_chart, show_histogram

#: Widest image sent to the browser, in pixels. Two columns of a wide layout
#: on a 1920-px projector are about 900 px each.
DISPLAY_WIDTH = 900
#: Images with at most this many pixels are sent as PNG (exact, and small anyway).
SMALL_IMAGE_PIXELS = 256 * 256
#: Encoded pictures of read-only (cached) arrays: a rerun re-sends them instead of encoding again.
_ENCODED = ArrayMemo(max_entries=256)


def as_displayable(image: np.ndarray) -> np.ndarray:
    """Turn a bool mask into 0/255 uint8; check everything else is uint8.

    Signed or float results must be mapped for display by the page first,
    visibly, with one of the processing functions made for it.
    """
    if image.dtype == bool:
        return image.astype(np.uint8) * 255
    if image.dtype != np.uint8:
        raise ValueError(f"show_image needs uint8 or bool pixels, got {image.dtype}; map the values for display first")
    return image


def fit_width(image: np.ndarray, *, max_width: int) -> np.ndarray:
    """Shrink uint8 pixels to at most `max_width` columns (area interpolation); narrower images are returned
    as they are."""
    height, width = image.shape[:2]
    if width <= max_width:
        return image
    new_height = max(1, round(height * max_width / width))
    return cv2.resize(image, (max_width, new_height), interpolation=cv2.INTER_AREA)


def mark_pixel(preview: np.ndarray, *, row: float, col: float) -> np.ndarray:
    """An RGB copy of a display image with a yellow square around (`row`, `col`), in the preview's pixels."""
    marked = cv2.cvtColor(preview, cv2.COLOR_GRAY2RGB) if preview.ndim == 2 else preview.copy()
    half = 7
    centre_row, centre_col = int(row), int(col)
    cv2.rectangle(marked, (centre_col - half, centre_row - half), (centre_col + half, centre_row + half),
                  (255, 191, 0), 2)
    return marked


def encode_for_display(image: np.ndarray, *, crisp: bool | None = None, max_width: int = DISPLAY_WIDTH) -> bytes:
    """Downsize to `max_width` with area interpolation and encode.

    Parameters
    ----------
    image : ndarray
        uint8 or bool, ``(H, W)``, ``(H, W, 3)`` or ``(H, W, 4)``.
    crisp : bool, optional
        PNG (exact: masks, edges, labels, pixel views) instead of JPEG
        (photographs). By default masks and small images are crisp.
    max_width : int
        Widest width sent to the browser.

    Returns
    -------
    bytes
        An encoded PNG or JPEG file.
    """
    if crisp is None:
        crisp = image.dtype == bool or image.shape[0] * image.shape[1] <= SMALL_IMAGE_PIXELS
    pixels = fit_width(as_displayable(image), max_width=max_width)
    has_alpha = pixels.ndim == 3 and pixels.shape[2] == 4
    return encode_image(pixels, file_format="png" if crisp or has_alpha else "jpeg", jpeg_quality=90)


def show_image(
    image: np.ndarray,
    *,
    caption: str,
    alt: str | None = None,
    crisp: bool | None = None,
    max_width: int = DISPLAY_WIDTH,
) -> None:
    """Show one image, stretched to its column, with a caption and alt text.

    Parameters
    ----------
    image : ndarray
        uint8 or bool pixels (see `encode_for_display`).
    caption : str
        Pixel Lab's own text (never a file name or other user text).
    alt : str, optional
        Alt text for screen readers (`ui.alt.check_alt` rules: words and a number); by default the caption
        followed by the picture's size and kind (`ui.alt.picture_alt`). Give one when the caption alone does
        not say what the picture shows.
    crisp : bool, optional
        Force PNG (True) or JPEG (False); see `encode_for_display`.
    max_width : int
        Widest width sent to the browser.
    """
    data, file_format = _encoded(image, crisp=crisp, max_width=max_width)
    alt = check_alt(alt if alt is not None else picture_alt(caption, image))
    st.image(data, caption=caption, alt=alt, width="stretch", output_format=file_format)


def _encoded(image: np.ndarray, *, crisp: bool | None, max_width: int) -> tuple[bytes, str]:
    """The picture as sent (encoded once per read-only array) and its format, "PNG" or "JPEG".

    Naming the format stops st.image from re-encoding: with "auto" it opens the bytes and turns every PNG
    without alpha into a JPEG (ringing around mask edges, ~7 ms an image).
    """
    data = _ENCODED.get(image, (crisp, max_width), lambda: encode_for_display(image, crisp=crisp, max_width=max_width))
    return data, "PNG" if data.startswith(b"\x89PNG") else "JPEG"


class Picture(NamedTuple):
    """One picture of a `picture_row`: the arguments of `show_image`."""

    image: np.ndarray
    caption: str
    alt: str | None = None
    crisp: bool | None = None
    max_width: int = DISPLAY_WIDTH


def picture_row(pictures: Sequence[Picture], spec: int | Sequence[float] | None = None, *, gap: str = "small") -> None:
    """Pictures side by side, one per column, each with its caption.

    Parameters
    ----------
    pictures : sequence of Picture
        What to show, left to right.
    spec : int or sequence of float, optional
        ``st.columns``' spec: how many columns, or their relative widths; one column per picture by default.
    gap : str
        ``st.columns``' gap between columns.
    """
    for column, picture in zip(st.columns(spec or len(pictures), gap=gap), pictures):
        with column:
            show_image(picture.image, caption=picture.caption, alt=picture.alt, crisp=picture.crisp,
                       max_width=picture.max_width)


def zoom_nearest(image: np.ndarray, *, cell: int) -> np.ndarray:
    """Enlarge every pixel to a `cell` × `cell` square (nearest neighbour).

    Returns
    -------
    ndarray
        Same dtype, shape ``(H * cell, W * cell[, C])``.
    """
    if cell < 1:
        raise ValueError(f"cell must be at least 1, got {cell}")
    return np.repeat(np.repeat(image, cell, axis=0), cell, axis=1)


def mask_share(mask: np.ndarray) -> str:
    """What to show under a mask instead of a histogram: its share of white (foreground) pixels."""
    white = int(np.count_nonzero(mask))
    return f"White (foreground): {white / mask.size:.1%} of the pixels ({white:,} of {mask.size:,})"


def show_with_summary(image: np.ndarray, *, caption: str, alt: str | None = None, crisp: bool | None = None,
                      note: str | None = None) -> None:
    """A picture (`show_image`) with its summary (`show_summary`) under it. A picture and its histogram are
    one element (`st.image` stacks a list of pictures in a column): every element re-sent on a rerun costs
    the browser about a millisecond to draw again."""
    if note is not None or image.dtype == bool:
        show_image(image, caption=caption, alt=alt, crisp=crisp)
        show_summary(image, note)
        return
    data, file_format = _encoded(image, crisp=crisp, max_width=DISPLAY_WIDTH)
    chart, chart_alt = histogram_chart(image)
    st.image([data, chart], caption=[caption, ""], width="stretch", output_format=file_format,
             alt=[check_alt(alt if alt is not None else picture_alt(caption, image)), check_alt(chart_alt)])


def show_summary(image: np.ndarray, note: str | None = None) -> None:
    """What goes under a picture: `note` if given (object counts, areas), a mask's foreground share,
    or else the histogram. A histogram of a mask, label map or overlay says nothing, so pages give a note."""
    if note is not None:
        st.caption(note)
    elif image.dtype == bool:
        st.caption(mask_share(image))
    else:
        show_histogram(image)


def before_after(
    before: np.ndarray,
    after: np.ndarray,
    *,
    before_caption: str,
    after_caption: str,
    before_alt: str | None = None,
    after_alt: str | None = None,
    crisp_after: bool | None = None,
    before_note: str | None = None,
    after_note: str | None = None,
) -> None:
    """The input and the result side by side, each with its histogram (or a summary) underneath.

    Parameters
    ----------
    before, after : ndarray
        uint8 or bool pixels (map signed or float results for display first).
    before_caption, after_caption : str
        Captions (Pixel Lab's own text).
    before_alt, after_alt : str, optional
        Alt texts (see `show_image`); by default the caption (for `before`: "The input picture (caption)"),
        size and kind.
    crisp_after : bool, optional
        Send the result as PNG (masks, edges, few levels) instead of JPEG.
    before_note, after_note : str, optional
        Shown under the picture instead of its histogram: give one for a label map or an overlay
        (the object count, the areas). A bool mask gets its foreground share without one.
    """
    left, right = st.columns(2, gap="medium")
    with left:
        alt = before_alt or picture_alt(f"The input picture ({before_caption})", before)
        show_with_summary(before, caption=before_caption, alt=alt, note=before_note)
    with right:
        show_with_summary(after, caption=after_caption, alt=after_alt, crisp=crisp_after, note=after_note)


_CLICKABLE_CSS = """
.pl-clickable-picture { display: block; width: 100%; height: auto; cursor: crosshair; }
"""

_CLICKABLE_JS = """
// A picture that reports where it was clicked, in pixels of the picture as shown, and its shown size.
export default function ({ parentElement, data, setStateValue }) {
    const picture = parentElement.querySelector("img.pl-clickable-picture");
    if (picture.getAttribute("src") !== data.src) picture.setAttribute("src", data.src);
    picture.setAttribute("alt", data.alt);
    const clicked = event => {
        const box = picture.getBoundingClientRect();
        setStateValue("click", {x: Math.round(event.clientX - box.left), y: Math.round(event.clientY - box.top),
                                width: Math.round(box.width), height: Math.round(box.height), unix_time: Date.now()});
    };
    picture.addEventListener("click", clicked);
    return () => picture.removeEventListener("click", clicked);
}
"""

# In the page itself (no iframe, no shadow root), so the picture's alt text is read like any other picture's.
_clickable = st.components.v2.component(
    "pixel_lab_clickable_picture", html='<img class="pl-clickable-picture" alt="" draggable="false">',
    css=_CLICKABLE_CSS, js=_CLICKABLE_JS, isolate_styles=False,
)


def _data_url(data: bytes) -> str:
    kind = "png" if data.startswith(b"\x89PNG") else "jpeg"
    return f"data:image/{kind};base64," + base64.b64encode(data).decode("ascii")


def _followed() -> None:
    """The click is read from session state by `follow_click` on the run it causes; nothing to do here."""


def clickable_image(image: np.ndarray, *, key: str, alt: str, crisp: bool = False) -> dict | None:
    """Show a picture, scaled to its column with its aspect kept, that reports where it was clicked.

    Parameters
    ----------
    image : ndarray
        uint8 or bool pixels (a cached, read-only array is encoded once). It is
        stretched to the column's width, so send it at about the width it will
        be shown (at most `DISPLAY_WIDTH`).
    key : str
        Widget key; the last click is also in ``st.session_state[key]`` (see `last_click`).
    alt : str
        What the picture shows, for screen readers (see `check_alt`). A click on it has a keyboard
        equivalent on every page: the row and column controls next to it.
    crisp : bool
        PNG (exact) instead of JPEG quality 90.

    Returns
    -------
    dict or None
        ``x``, ``y`` (pixels of the picture as shown), ``width``, ``height`` (its size as shown) and
        ``unix_time`` of the last click; `follow_click` maps them back to image pixels.
    """
    file_format = "png" if crisp else "jpeg"
    source = _ENCODED.get(image, ("click-url", file_format), lambda: _data_url(encode_image(
        as_displayable(image), file_format=file_format, jpeg_quality=90)))
    result = _clickable(key=key, data={"src": source, "alt": check_alt(alt)}, on_click_change=_followed)
    return last_click(result)


def last_click(state) -> dict | None:
    """The last click of a `clickable_image` from its session state (or its result): a dict with ``x``, ``y``,
    ``width``, ``height`` and ``unix_time``, or None. A dict of those keys set directly (tests) is returned as is."""
    if state is None:
        return None
    if isinstance(state, dict) and "x" in state:
        return state
    click = state.get("click") if hasattr(state, "get") else getattr(state, "click", None)
    return click if isinstance(click, dict) and "x" in click else None


def follow_click(clicked: dict | None, *, prefix: str, height: int, width: int) -> None:
    """Point the ``{prefix}_row`` and ``{prefix}_col`` sliders at the pixel under a new click.

    Parameters
    ----------
    clicked : dict or None
        What `clickable_image` returned (display pixels); a click already followed is ignored.
    prefix : str
        Key prefix of the row and column sliders; ``{prefix}_last_click`` remembers the last click followed.
    height, width : int
        Size of the image the sliders index (the clickable picture may be smaller).
    """
    clicked = last_click(clicked)
    if clicked is None or clicked.get("unix_time") == st.session_state.get(f"{prefix}_last_click"):
        return
    st.session_state[f"{prefix}_last_click"] = clicked.get("unix_time")
    shown_height, shown_width = max(clicked["height"], 1), max(clicked["width"], 1)
    st.session_state[f"{prefix}_row"] = min(height - 1, max(0, int(clicked["y"] * height / shown_height)))
    st.session_state[f"{prefix}_col"] = min(width - 1, max(0, int(clicked["x"] * width / shown_width)))
