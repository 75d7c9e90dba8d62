"""Charts shared by the lessons: histograms, drawn as SVG.

Histograms are drawn as SVG text (`ui.svg`): 256 values per channel, never the
pixels, made once per cached array, and cheap for the browser to show.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import streamlit as st

from processing.convolution import PixelExplanation
from processing.display import to_uint8
from processing.stats import CHANNEL_NAMES, channel_histograms
from ui.cache import ArrayMemo
from ui.svg import HALF_WIDTH, Band, Line, Marker, line_chart, pixel_grid

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


#: The chosen input level on transfer curves and histograms (amber, dark enough for its label).
LEVEL_COLOUR = "#e69500"


def transfer_curve_svg(lut: np.ndarray, *, level: int | None = None, title: str = "Transfer curve",
                       width: int = HALF_WIDTH, height: int = 300) -> str:
    """A point operation's transfer curve as SVG: output level against input level.

    Parameters
    ----------
    lut : ndarray
        uint8, shape ``(256,)`` (one curve, drawn in grey) or ``(3, 256)`` (R, G, B, each in its colour).
    level : int, optional
        An input level whose path is drawn: up from the level to the curve, across to its output (the first
        curve's); the title then ends with ``level → output``.
    title : str
        Chart title.
    width, height : int
        Chart size in chart pixels.

    Returns
    -------
    str
        An SVG document; the identity is drawn dashed for reference.
    """
    curves = np.asarray(lut).reshape(-1, 256)
    names = ("grey",) if len(curves) == 1 else CHANNEL_NAMES[3]
    levels = np.arange(256)
    lines = [Line([0, 255], [0, 255], "#bbbbbb", dash=True)]
    lines += [Line(levels, curve, CHANNEL_COLOURS[name], name=name if len(curves) > 1 else "", width=2.5)
              for name, curve in zip(names, curves)]
    if level is not None:
        out = int(curves[0][level])
        lines.append(Line([level, level, 0], [0, out, out], LEVEL_COLOUR, width=3))
        title = f"{title}: {level} → {out}" + (" (red)" if len(curves) > 1 else "")
    return line_chart(lines, x_title="input level", y_title="output level", x_range=(-2, 257), y_range=(-2, 257),
                      x_ticks=(0, 64, 128, 192, 255), title=title, width=width, height=height)


def level_histogram_svg(counts: np.ndarray, *, level: int, log_scale: bool = False, cumulative: bool = False,
                        title: str | None = None, height: int = 300) -> str:
    """The histogram a transfer curve is built from, with one input level marked (see `histogram_svg`).

    Parameters
    ----------
    counts : ndarray
        int, shape ``(1, 256)`` (grey or lightness) or ``(3, 256)`` (R, G, B).
    level : int
        The level to mark, 0-255.
    log_scale, cumulative, title, height
        As for `histogram_svg`.
    """
    channels = CHANNEL_NAMES[2 if len(counts) == 1 else 3]
    return histogram_svg(counts, channels=channels, log_scale=log_scale, cumulative=cumulative, title=title,
                         markers=[Marker(level, f"level {level}", LEVEL_COLOUR)], height=height)


def neighbourhood_svg(explanation: PixelExplanation, *, row: int, col: int) -> str:
    """The input pixels under a kernel's window, each with its value, made-up ones tinted blue (SVG).

    Parameters
    ----------
    explanation : PixelExplanation
        One output pixel's arithmetic (`processing.convolution.explain_pixel`).
    row, col : int
        The output pixel, outlined.
    """
    origin = (int(explanation.rows[0]), int(explanation.cols[0]))
    return pixel_grid(to_uint8(explanation.neighbourhood), origin=origin, highlight=(row, col),
                      made_up=~explanation.inside)


#: The reference image's cumulative share on the histogram-matching chart.
REFERENCE_COLOUR = "#7b3fa0"


def matching_svg(counts: np.ndarray, reference_counts: np.ndarray, lut: np.ndarray, *, level: int,
                 height: int = 300) -> str:
    """How histogram matching moves one level, as SVG: the cumulative shares of the image and of the
    reference, and the level's path from its share in the image to the reference level with that share.

    Parameters
    ----------
    counts, reference_counts : ndarray
        int, shape ``(C, 256)``: the histogram matched and the one aimed for (the first row is drawn).
    lut : ndarray
        uint8, shape ``(256,)`` or ``(3, 256)``: the matching curve(s); the first one is followed.
    level : int
        The input level to follow, 0-255.
    height : int
        Chart height in chart pixels.
    """
    levels = np.arange(256)
    shares = [100.0 * np.cumsum(row[0]) / max(int(row[0].sum()), 1) for row in (counts, reference_counts)]
    out = int(np.asarray(lut).reshape(-1, 256)[0][level])
    share = float(shares[0][level])
    lines = [Line(levels, shares[0], CHANNEL_COLOURS["grey" if len(counts) == 1 else "red"], name="image",
                  width=2.5),
             Line(levels, shares[1], REFERENCE_COLOUR, name="reference", width=2.5, dash=True),
             Line([level, level, out, out], [0, share, share, 0], LEVEL_COLOUR, width=3)]
    return line_chart(lines, x_title="level", y_title="pixels at or below (%)", x_range=(-2, 257),
                      y_range=(0, 101), x_ticks=(0, 64, 128, 192, 255),
                      title=f"Same share of pixels: {level} → {out}" + (" (red)" if len(counts) > 1 else ""),
                      height=height)
