"""Charts shared by the lessons: histograms, drawn as SVG.

Histograms are drawn as SVG text (`ui.svg`): 256 values per channel, never the
pixels, made once per cached array, and cheap for the browser to show.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import plotly.graph_objects as go
import streamlit as st

from processing.stats import CHANNEL_NAMES, channel_histograms
from ui.cache import ArrayMemo
from ui.svg import HALF_WIDTH, Band, Line, Marker, line_chart

if TYPE_CHECKING:  # for type hints only: the lessons that chart them import these modules
    from processing.measure import LineProfile
    from processing.segmentation import KMeansResult

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


def number_text(value: float) -> str:
    """A measurement for reading: whole numbers with thousands separators from 1000 up, else 4 digits."""
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.4g}"


def cluster_shares_figure(clusters: KMeansResult) -> go.Figure:
    """A bar per k-means cluster (`processing.segmentation.kmeans_colors`), largest share first, each bar in
    its centre's colour, named "cluster 1" ... in the clusters' numbering, heights in percent of the pixels."""
    order = clusters.order
    figure = go.Figure(go.Bar(
        x=[f"cluster {i + 1}" for i in order], y=100 * clusters.shares[order],
        marker={"color": [f"rgb({r},{g},{b})" for r, g, b in clusters.centers[order]],
                "line": {"color": "#444", "width": 1}},
        hovertemplate="%{x}: %{y:.1f} % of the pixels<extra></extra>",
    ))
    figure.update_layout(height=240, margin={"l": 10, "r": 10, "t": 10, "b": 10},
                         xaxis={"title": {"text": "cluster (bar colour = its centre)"}},
                         yaxis={"title": {"text": "share of pixels (%)"}, "rangemode": "tozero"})
    return figure


def measurement_histogram_svg(values: np.ndarray, *, title: str, width: int, height: int = 260) -> str:
    """Histogram of one measurement over the objects of a results table, its median marked.

    Parameters
    ----------
    values : ndarray
        float, shape ``(n,)``: one value per object (non-finite values are left out).
    title : str
        The measurement with its unit, e.g. "area (px²)": the x axis title.
    width, height : int
        Chart size in chart pixels (see `ui.svg.line_chart`).

    Returns
    -------
    str
        An SVG document titled "<title> of the <n> objects"; 5 to 40 bars.
    """
    values = np.asarray(values, dtype=float)
    values = values[np.isfinite(values)]
    counts, edges = np.histogram(values, bins=min(40, max(5, len(values) // 2)))
    # Every bar as an outline up from the axis and back down: (left, 0) (left, n) (right, n) (right, 0).
    xs = np.column_stack([edges[:-1], edges[:-1], edges[1:], edges[1:]]).ravel()
    ys = np.column_stack([np.zeros_like(counts), counts, counts, np.zeros_like(counts)]).ravel()
    median = float(np.median(values)) if len(values) else None
    return line_chart(
        [Line(xs, ys, "#2f6db3", fill=True)],
        x_title=title, y_title="objects", x_range=(float(edges[0]), float(edges[-1])),
        y_range=(0, max(int(counts.max()), 4) * 1.04),
        markers=[] if median is None else [Marker(median, f"median {number_text(median)}", "#d62728", dash=True)],
        title=f"{title} of the {len(values)} objects", width=width, height=height,
    )


def line_profile_svg(profile: LineProfile, *, unit: str, width: int, height: int = 260) -> str:
    """The values along a line (`processing.measure.line_profile`), one line per channel in its colour.

    Parameters
    ----------
    profile : LineProfile
        ``distance`` (N,) and ``values`` (N,) for grey or (N, 3) for RGB, 0-255.
    unit : str
        Unit of the distance axis.
    width, height : int
        Chart size in chart pixels.

    Returns
    -------
    str
        An SVG document; a short line (64 samples or fewer) gets a dot on every sample.
    """
    values = profile.values.reshape(len(profile.distance), -1)
    names = CHANNEL_NAMES[3] if values.shape[1] == 3 else CHANNEL_NAMES[2]
    few = len(profile.distance) <= 64  # a short line: a dot on every sample shows where the pixels are
    return line_chart(
        [Line(profile.distance, values[:, index], CHANNEL_COLOURS[name], name=name if len(names) > 1 else "",
              dots=few) for index, name in enumerate(names)],
        x_title=f"distance from the start ({unit})", y_title="pixel value", y_range=(0, 255),
        width=width, height=height,
    )
