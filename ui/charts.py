"""Charts shared by the lessons: histograms (SVG) and the zoomed pixel grid (Plotly).

Histograms are drawn as SVG text (`ui.svg`): 256 values per channel, never the
pixels, made once per cached array, and cheap for the browser to show.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go
import streamlit as st

from processing.stats import CHANNEL_NAMES, channel_histograms
from ui.cache import ArrayMemo
from ui.svg import HALF_WIDTH, Band, Line, Marker, line_chart

#: Line colour of each channel: every channel is drawn in its own colour.
CHANNEL_COLOURS = {"grey": "#6b6b6b", "red": "#d62728", "green": "#2ca02c", "blue": "#1f77b4"}
_FILL_ALPHA = 0.18
PLOT_CONFIG = {"displayModeBar": False}
LEVEL_TICKS = (0, 32, 64, 96, 128, 160, 192, 224, 255)
#: Histogram counts and charts of read-only (cached) arrays, computed once per array.
_COUNTS = ArrayMemo(max_entries=256)
_CHARTS = ArrayMemo(max_entries=256)


def _rgba(hex_colour: str, alpha: float) -> str:
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


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


def histogram_figure(
    counts: np.ndarray,
    *,
    channels: tuple[str, ...],
    log_scale: bool = False,
    cumulative: bool = False,
    height: int = 220,
    title: str | None = None,
) -> go.Figure:
    """A histogram figure: one line per channel, each in its own colour.

    Parameters
    ----------
    counts : ndarray
        int, shape ``(C, 256)``: pixel count per level for each channel.
    channels : tuple of str
        Channel names, keys of `CHANNEL_COLOURS`, one per row of `counts`.
    log_scale : bool
        Logarithmic count axis (shows rare levels next to common ones).
    cumulative : bool
        Also draw the cumulative share of pixels (0-100 %) on a right axis.
    height : int
        Figure height in pixels.
    title : str, optional
        Figure title.
    """
    levels = np.arange(256)
    figure = go.Figure()
    for name, row in zip(channels, counts):
        colour = CHANNEL_COLOURS[name]
        figure.add_trace(
            go.Scatter(
                x=levels, y=row, name=name, mode="lines", line={"color": colour, "width": 1.5, "shape": "hvh"},
                fill="tozeroy", fillcolor=_rgba(colour, _FILL_ALPHA),
                hovertemplate=f"{name} level %{{x}}: %{{y:,}} pixels<extra></extra>",
            )
        )
        if cumulative:
            share = 100.0 * np.cumsum(row) / max(int(row.sum()), 1)
            figure.add_trace(
                go.Scatter(
                    x=levels, y=share, name=f"{name} cumulative", yaxis="y2", mode="lines",
                    line={"color": colour, "width": 1.5, "dash": "dot"},
                    hovertemplate=f"{name} ≤ %{{x}}: %{{y:.1f}} %<extra></extra>",
                )
            )
    layout = {
        "height": height,
        "margin": {"l": 10, "r": 10, "t": 30 if title else 8, "b": 10},
        "showlegend": False,
        "xaxis": {"title": {"text": "pixel value (level)"}, "range": [-1, 256], "tickvals": [0, 64, 128, 192, 255]},
        "yaxis": {"title": {"text": "pixel count"}, "type": "log" if log_scale else "linear", "rangemode": "tozero"},
        "title": {"text": title} if title else None,
    }
    if cumulative:
        layout["yaxis2"] = {
            "title": {"text": "cumulative %"}, "overlaying": "y", "side": "right", "range": [0, 100.5], "showgrid": False
        }
    figure.update_layout(**{k: v for k, v in layout.items() if v is not None})
    return figure


def pixel_grid_figure(
    window: np.ndarray, *, origin: tuple[int, int], highlight: tuple[int, int] | None = None, height: int = 380
) -> go.Figure:
    """A zoomed block of pixels with each pixel's value printed in its square.

    Parameters
    ----------
    window : ndarray
        uint8, ``(h, w)`` or ``(h, w, 3)``: the pixels to show.
    origin : tuple of int
        ``(top, left)`` image coordinates of ``window[0, 0]``; axes show image rows and columns.
    highlight : tuple of int, optional
        ``(row, col)`` image coordinates of a pixel to outline.
    height : int
        Figure height in pixels.
    """
    top, left = origin
    rgb = np.repeat(window[:, :, np.newaxis], 3, axis=2) if window.ndim == 2 else window
    rows, cols = np.mgrid[0 : window.shape[0], 0 : window.shape[1]]
    if window.ndim == 2:
        labels = [str(v) for v in window.ravel()]
    else:
        labels = [f"{r}<br>{g}<br>{b}" for r, g, b in window.reshape(-1, 3)]
    # Dark text on light pixels, light text on dark ones (Rec. 601 luma).
    luma = rgb.reshape(-1, 3) @ np.array([0.299, 0.587, 0.114])
    text_colours = np.where(luma > 140, "black", "white").tolist()
    figure = go.Figure(go.Image(z=rgb, x0=left, y0=top, dx=1, dy=1, hoverinfo="skip"))
    font_size = 14 if window.ndim == 2 else 11
    if window.shape[1] > 7:
        font_size -= 3
    figure.add_trace(
        go.Scatter(
            x=(cols + left).ravel(), y=(rows + top).ravel(), mode="text", text=labels,
            textfont={"color": text_colours, "size": font_size}, hoverinfo="skip",
        )
    )
    if highlight is not None:
        r, c = highlight
        figure.add_shape(type="rect", x0=c - 0.5, x1=c + 0.5, y0=r - 0.5, y1=r + 0.5,
                         line={"color": "#ffbf00", "width": 4})
    figure.update_layout(
        height=height, margin={"l": 10, "r": 10, "t": 10, "b": 10}, showlegend=False,
        xaxis={"title": {"text": "column"}, "dtick": 1, "side": "top", "showgrid": False},
        yaxis={"title": {"text": "row"}, "dtick": 1, "showgrid": False, "scaleanchor": "x"},
    )
    return figure
