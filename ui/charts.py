"""Charts shared by the lessons: histograms, drawn as SVG.

Histograms are drawn as SVG text (`ui.svg`): 256 values per channel, never the
pixels, made once per cached array, and cheap for the browser to show.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import streamlit as st

from processing.stats import CHANNEL_NAMES, channel_histograms
from ui.cache import ArrayMemo
from ui.svg import HALF_WIDTH, Band, Line, Marker, line_chart

#: Line colour of each channel: every channel is drawn in its own colour.
CHANNEL_COLOURS = {"grey": "#6b6b6b", "red": "#d62728", "green": "#2ca02c", "blue": "#1f77b4"}
PLOT_CONFIG = {"displayModeBar": False}
LEVEL_TICKS = (0, 32, 64, 96, 128, 160, 192, 224, 255)
#: Histogram counts and charts of read-only (cached) arrays, computed once per array.
_COUNTS = ArrayMemo(max_entries=256)
_CHARTS = ArrayMemo(max_entries=256)


def histogram_svg(
    counts: np.ndarray,
    *,
    channels: tuple[str, ...],
    log_scale: bool = False,
    cumulative: bool = False,
    title: str | None = None,
    markers: Sequence[Marker] = (),
    bands: Sequence[Band] = (),
    height: int = 200,
    width: int = HALF_WIDTH,
) -> str:
    """A histogram as SVG: one step line per channel, each in its own colour, levels 0-255 across.

    Parameters
    ----------
    counts : ndarray
        int, shape ``(C, 256)``: pixel count per level for each channel.
    channels : tuple of str
        Channel names, keys of `CHANNEL_COLOURS`, one per row of `counts`.
    log_scale : bool
        Logarithmic count axis (shows rare levels next to common ones).
    cumulative : bool
        Also draw the cumulative share of pixels (0-100 %) against a right-hand axis.
    title : str, optional
        Chart title.
    markers, bands : sequence
        Labelled levels (thresholds) and shaded level ranges; a threshold ``t`` that
        separates ``<= t`` from ``> t`` belongs at ``t + 0.5``.
    height, width : int
        Chart size in chart pixels (see `ui.svg.line_chart`).

    Returns
    -------
    str
        An SVG document.
    """
    counts = np.asarray(counts)
    if counts.ndim != 2 or counts.shape[1] != 256 or counts.shape[0] != len(channels):
        raise ValueError(f"counts must have shape ({len(channels)}, 256), got {counts.shape}")
    levels = np.arange(256)
    named = len(channels) > 1 or cumulative
    lines = [Line(levels, row, CHANNEL_COLOURS[name], name=name if named else "", step=True, fill=True)
             for name, row in zip(channels, counts)]
    if cumulative:
        for name, row in zip(channels, counts):
            share = 100.0 * np.cumsum(row) / max(int(row.sum()), 1)
            lines.append(Line(levels, share, CHANNEL_COLOURS[name], dash=True, right=True))
    return line_chart(
        lines, x_title="pixel value (level)", y_title="pixel count" + (" (log)" if log_scale else ""),
        x_range=(-0.5, 255.5), x_ticks=LEVEL_TICKS, log_y=log_scale,
        right_title="cumulative %" if cumulative else None, markers=markers, bands=bands, title=title, height=height,
        width=width,
    )


def histogram_options() -> tuple[bool, bool]:
    """Read the sidebar's shared histogram switches: (log scale, cumulative)."""
    return bool(st.session_state.get("hist_log", False)), bool(st.session_state.get("hist_cdf", False))


def image_histograms(image: np.ndarray) -> np.ndarray:
    """Counts per level of each channel (see `processing.stats.channel_histograms`); a bool mask
    counts as 0 and 255. Remembered for read-only arrays, so a cached result is counted once."""
    if image.dtype == bool:
        return _COUNTS.get(image, "mask", lambda: channel_histograms(image.astype(np.uint8) * 255))
    return _COUNTS.get(image, "levels", lambda: channel_histograms(image))


def histogram_alt(channels: tuple[str, ...], title: str | None = None) -> str:
    """Alt text of a histogram chart."""
    named = " and ".join(channels) if len(channels) < 3 else "red, green and blue"
    return f"{title + ': ' if title else ''}histogram, pixel count at each level 0-255 for {named}"


def show_chart(svg: str, *, alt: str, caption: str | None = None) -> None:
    """Show an SVG chart (from `ui.svg` or `histogram_svg`) stretched to its column, with alt text."""
    st.image(svg, caption=caption, alt=alt, width="stretch")


def show_histogram(image: np.ndarray, *, title: str | None = None, height: int = 200) -> None:
    """Draw the histogram of an image, usually right under its picture.

    Parameters
    ----------
    image : ndarray
        uint8 ``(H, W)`` / ``(H, W, 3)``, or a bool mask (counted as 0 and 255).
    title : str, optional
        Chart title.
    height : int
        Chart height in chart pixels.
    """
    options = histogram_options()
    channels = CHANNEL_NAMES[image.ndim]
    svg = _CHARTS.get(image, (options, title, height), lambda: histogram_svg(
        image_histograms(image), channels=channels, log_scale=options[0], cumulative=options[1], title=title,
        height=height))
    show_chart(svg, alt=histogram_alt(channels, title))


# --------------------------------------------------------------------------- frequency and restoration
# (appended for the lessons "The frequency domain" and "Blur and restoration")

import base64  # noqa: E402
import math  # noqa: E402
from xml.sax.saxutils import escape  # noqa: E402

from processing.io import encode_image  # noqa: E402
from ui.svg import AXIS_COLOUR, FONT, FONT_SIZE, FULL_WIDTH, TEXT_COLOUR  # noqa: E402

#: One colour per series of the restoration charts, told apart by name in each legend.
SERIES_COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#17becf")


def spectrum_chart(picture: np.ndarray, *, title: str, width: int = HALF_WIDTH) -> str:
    """A centred spectrum picture on axes labelled in cycles per pixel, as SVG (the picture embedded as JPEG).

    Parameters
    ----------
    picture : ndarray of uint8, shape (H, W)
        A centred spectrum (`processing.frequency`): u = v = 0 at row ``H // 2``, column ``W // 2``.
    title : str
        Pixel Lab's own text.
    width : int
        Chart width in chart pixels; the height follows the picture's shape.

    Returns
    -------
    str
        An SVG document.
    """
    rows, cols = picture.shape[:2]
    left, top, right, bottom = 52, 30, 12, 40
    plot_w = width - left - right
    plot_h = max(plot_w * rows / cols, 24.0)
    height = top + plot_h + bottom
    data = base64.b64encode(encode_image(picture, file_format="jpeg", jpeg_quality=90)).decode()
    # Pixel (row, col) covers frequencies (col - W // 2 ± 0.5) / W across and (row - H // 2 ± 0.5) / H down.
    x0, x1 = (-(cols // 2) - 0.5) / cols, (cols - cols // 2 - 0.5) / cols
    y0, y1 = (-(rows // 2) - 0.5) / rows, (rows - rows // 2 - 0.5) / rows
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height:.0f}" '
        f'viewBox="0 0 {width} {height:.0f}" font-family="{escape(FONT)}" font-size="{FONT_SIZE}" '
        f'fill="{TEXT_COLOUR}">',
        f'<rect width="{width}" height="{height:.0f}" fill="#ffffff"/>',
        f'<text x="{left + plot_w / 2:.1f}" y="{8 + FONT_SIZE}" text-anchor="middle" font-weight="600">'
        f"{escape(title)}</text>",
        f'<image x="{left}" y="{top}" width="{plot_w:.1f}" height="{plot_h:.1f}" preserveAspectRatio="none" '
        f'href="data:image/jpeg;base64,{data}"/>',
        f'<rect x="{left}" y="{top}" width="{plot_w:.1f}" height="{plot_h:.1f}" fill="none" stroke="{AXIS_COLOUR}"/>',
    ]
    for value in (-0.5, -0.25, 0.0, 0.25, 0.5):
        if x0 - 1e-9 <= value <= x1 + 1e-9:
            x = left + (value - x0) / (x1 - x0) * plot_w
            out.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top + plot_h:.1f}" y2="{top + plot_h + 4:.1f}" '
                       f'stroke="{AXIS_COLOUR}"/><text x="{x:.1f}" y="{top + plot_h + 4 + FONT_SIZE:.1f}" '
                       f'text-anchor="middle">{value:g}</text>')
        if y0 - 1e-9 <= value <= y1 + 1e-9:
            y = top + (value - y0) / (y1 - y0) * plot_h
            out.append(f'<line x1="{left - 4}" x2="{left}" y1="{y:.1f}" y2="{y:.1f}" stroke="{AXIS_COLOUR}"/>'
                       f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{value:g}</text>')
    out.append(f'<text x="{left + plot_w / 2:.1f}" y="{height - 6:.1f}" text-anchor="middle">'
               "u / W: cycles per pixel across</text>")
    out.append(f'<text transform="translate(14 {top + plot_h / 2:.1f}) rotate(-90)" text-anchor="middle">'
               "v / H: cycles per pixel down</text>")
    out.append("</svg>")
    return "".join(out)


def profile_chart(before: np.ndarray, after: np.ndarray, *, row: int, after_name: str) -> str:
    """One row of an image before and after a filter: grey levels against the column, 0 and 255 marked.

    Parameters
    ----------
    before, after : ndarray of float or uint8, shape (W,)
        The row's values; `after` may leave 0-255 (ringing).
    row : int
        Which row, for the title.
    after_name : str
        Legend name of `after`.

    Returns
    -------
    str
        An SVG document.
    """
    columns = np.arange(len(before))
    low = min(0.0, float(np.min(after)) - 5)
    high = max(255.0, float(np.max(after)) + 5)
    return line_chart(
        [Line(columns, [0.0] * len(columns), "#bbbbbb", dash=True), Line(columns, [255.0] * len(columns), "#bbbbbb",
                                                                          dash=True),
         Line(columns, before, "#6b6b6b", name="before", width=1.2),
         Line(columns, after, "#d62728", name=after_name, width=1.8)],
        x_title="column", y_title="grey level", y_range=(low, high), title=f"Row {row}", width=FULL_WIDTH,
        height=260,
    )


def response_chart(frequency: np.ndarray, magnitude: np.ndarray, inverse: np.ndarray, wiener: np.ndarray, *,
                   direction: str) -> str:
    """The blur's |H| and the inverse and Wiener filters' gains against frequency, on a log scale.

    Returns
    -------
    str
        An SVG document.
    """
    return line_chart(
        [Line(frequency, magnitude, "#6b6b6b", name="|H|: what the blur keeps", width=2),
         Line(frequency, inverse, SERIES_COLOURS[1], name="inverse filter's gain"),
         Line(frequency, wiener, SERIES_COLOURS[0], name="Wiener filter's gain")],
        x_title=f"frequency along {direction} (cycles per pixel)", y_title="gain (log)", log_y=True,
        y_range=(1e-3, 1e4), x_range=(0.0, 0.5), width=FULL_WIDTH, height=280,
    )


def iterations_chart(psnrs: np.ndarray, *, chosen: int, blurred: float) -> str:
    """PSNR of Richardson-Lucy after each iteration, the chosen count and the blurred image's PSNR marked.

    Returns
    -------
    str
        An SVG document.
    """
    counts = np.arange(1, len(psnrs) + 1)
    capped = np.minimum(np.asarray(psnrs, dtype=np.float64), 99.0)
    best = int(np.argmax(capped)) + 1
    low, high = min(float(capped.min()), min(blurred, 99.0)), max(float(capped.max()), min(blurred, 99.0))
    return line_chart(
        [Line(counts, capped, SERIES_COLOURS[0], name="Richardson-Lucy", width=2),
         Line([1, len(psnrs)], [min(blurred, 99.0)] * 2, "#6b6b6b", name="the blurred image", dash=True)],
        x_title="iterations", y_title="PSNR (dB)", y_range=(math.floor(low) - 1, math.ceil(high) + 1), markers=[
            Marker(best, f"best: {best}", SERIES_COLOURS[2]), Marker(chosen, f"yours: {chosen}", SERIES_COLOURS[1],
                                                                     dash=True)],
        width=FULL_WIDTH, height=260,
    )


def noise_fit_chart(shares: np.ndarray, models: dict, *, names: dict, width: int = 620) -> str:
    """A patch's histogram (bars) and each noise model's predicted histogram (lines).

    Parameters
    ----------
    shares : ndarray of float, shape (256,)
    models : dict of str to ndarray
        Model name to its predicted shares, shape (256,).
    names : dict of str to str
        Model name to the label shown.

    Returns
    -------
    str
        An SVG document.
    """
    levels = np.arange(256)
    lines = [Line(levels, 100 * np.asarray(shares), "#6b6b6b", name="the patch", step=True, fill=True)]
    lines += [Line(levels, 100 * np.asarray(values), colour, name=names[name], width=1.8)
              for (name, values), colour in zip(models.items(), SERIES_COLOURS)]
    top = 100 * float(max(np.max(shares), *(np.max(v) for v in models.values() if np.max(v) < 0.5), 0.01))
    return line_chart(lines, x_title="pixel value (level)", y_title="share of the patch (%)",
                      x_range=(-0.5, 255.5), x_ticks=LEVEL_TICKS, y_range=(0.0, 1.1 * top), width=width, height=300)


def order_chart(densities: tuple, noisy: tuple, filtered: dict, *, names: dict) -> str:
    """PSNR of each order-statistic filter against the salt-and-pepper density (∞ drawn at 60 dB).

    Returns
    -------
    str
        An SVG document.
    """
    share = 100 * np.asarray(densities)
    lines = [Line(share, np.minimum(noisy, 60.0), "#6b6b6b", name="no filter", dash=True)]
    lines += [Line(share, np.minimum(values, 60.0), colour, name=names[name], width=1.8, dots=True)
              for (name, values), colour in zip(filtered.items(), SERIES_COLOURS)]
    return line_chart(lines, x_title="pixels hit by salt and pepper (%)", y_title="PSNR (dB)", width=FULL_WIDTH,
                      height=300)
