"""Charts shared by the lessons: histograms, drawn as SVG.

Histograms are drawn as SVG text (`ui.svg`): 256 values per channel, never the
pixels, made once per cached array, and cheap for the browser to show.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go
import streamlit as st

from processing.color import PixelSample, hue_wheel_colors
from processing.stats import CHANNEL_NAMES, channel_histograms
from ui.cache import ArrayMemo
from ui.svg import FULL_WIDTH, HALF_WIDTH, Band, Line, Marker, line_chart

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


def hue_chart(counts: np.ndarray, *, lo: int, hi: int, title: str) -> str:
    """A histogram of hue on the colour wheel (0-360 degrees), with a selected range, as SVG.

    OpenCV hue ``h`` stands for ``2h`` degrees, so each count is drawn as a bar two degrees wide centred on
    ``2h``; behind the bars every hue is shaded in its own colour, strongly where selected (as
    `processing.color.hue_mask` selects: ``lo > hi`` runs through 0°). Each end of the range is labelled in
    degrees and in OpenCV's units.

    Parameters
    ----------
    counts : ndarray
        int, shape ``(180,)``: pixels at each OpenCV hue (`processing.color.hue_histogram`).
    lo, hi : int
        The selected range in degrees, 0-360.
    title : str
        Chart title (Pixel Lab's own text).

    Returns
    -------
    str
        An SVG document.
    """
    degrees = 2 * np.arange(180)
    inside = ((degrees >= lo) | (degrees <= hi)) if lo > hi else ((degrees >= lo) & (degrees <= hi))
    # Two one-degree steps per hue, at 2h - 0.5 and 2h + 0.5: one bar from 2h - 1 to 2h + 1.
    x = np.arange(360) - 0.5
    selected, other = np.repeat(np.where(inside, counts, 0), 2), np.repeat(np.where(inside, 0, counts), 2)
    bands = [Band(d - 1, d + 1, f"#{r:02x}{g:02x}{b:02x}", opacity=0.5 if chosen else 0.12)
             for d, (r, g, b), chosen in zip(degrees, hue_wheel_colors(), inside)]
    ends = {lo: f"{lo}° (H {-(-lo // 2)})", hi: f"{hi}° (H {hi // 2})"}
    return line_chart(
        [Line(x, other, "#8c8c8c", name="other hues", step=True, fill=True),
         Line(x, selected, "#1a1a1a", name="selected hues", step=True, fill=True)],
        x_title="hue in degrees (OpenCV H = degrees / 2)", y_title="pixel count", x_range=(0, 360),
        x_ticks=range(0, 361, 60), markers=[Marker(value, ends[value], "#1a1a1a", dash=True) for value in sorted(ends)],
        bands=bands, title=title, width=FULL_WIDTH, height=260,
    )


#: Font sizes of the 3-D scatter, readable on a projector at 1280 × 720 (Plotly's default ticks are 12 px).
SCATTER_TICK_SIZE = 15
SCATTER_TITLE_SIZE = 17


def colour_scatter(sample: PixelSample) -> go.Figure:
    """A 3-D scatter of sampled pixels in a colour space, each drawn in its own colour.

    Parameters
    ----------
    sample : PixelSample
        From `processing.color.sample_pixels`: coordinates in the space and the pixels' RGB colours.

    Returns
    -------
    plotly.graph_objects.Figure
        Axes named and ranged after the space's channels (hue says it is degrees / 2), with tick labels and
        titles large enough to read on a projector.
    """
    x, y, z = sample.coords.T
    axes = sample.axes
    figure = go.Figure(go.Scatter3d(
        x=x, y=y, z=z, mode="markers",
        marker={"size": 2.5, "color": [f"rgb({r},{g},{b})" for r, g, b in sample.colors]},
        hovertemplate=f"{axes[0].name} %{{x}}, {axes[1].name} %{{y}}, {axes[2].name} %{{z}}<extra></extra>",
    ))
    scene = {
        f"{name}axis": {
            "title": {"text": f"{info.name}{' = degrees / 2' if info.name == 'H' else ''} ({info.low}-{info.high})",
                      "font": {"size": SCATTER_TITLE_SIZE}},
            "range": [info.low, info.high], "tickfont": {"size": SCATTER_TICK_SIZE}, "nticks": 4,
        }
        for name, info in zip("xyz", axes)
    }
    figure.update_layout(height=520, margin={"l": 0, "r": 0, "t": 0, "b": 0}, scene=scene)
    return figure
