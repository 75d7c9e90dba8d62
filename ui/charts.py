"""Charts shared by the lessons: histograms, drawn as SVG.

Histograms are drawn as SVG text (`ui.svg`): 256 values per channel, never the
pixels, made once per cached array, and cheap for the browser to show.
"""

from __future__ import annotations

import base64
import math
from collections.abc import Sequence
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

import numpy as np
import plotly.graph_objects as go
import streamlit as st

from processing.arrays import window_around
from processing.color import PixelSample, as_gray, hue_wheel_colors
from processing.convolution import PixelExplanation
from processing.display import to_uint8
from processing.io import encode_image
from processing.masks import MaskedHistogram
from processing.stats import CHANNEL_NAMES, channel_histograms
from ui.alt import check_alt, histogram_alt
from ui.cache import ArrayMemo, step
from ui.svg import (
    AXIS_COLOUR,
    FONT,
    FONT_SIZE,
    FULL_WIDTH,
    HALF_WIDTH,
    TEXT_COLOUR,
    Band,
    Line,
    Marker,
    line_chart,
    pixel_grid,
)

if TYPE_CHECKING:  # for type hints only: the lessons that chart them import these modules
    import pandas as pd

    from processing.edges import EdgeWindow, GradientVector
    from processing.measure import LineProfile
    from processing.segmentation import KMeansResult

#: Line colour of each channel: every channel is drawn in its own colour, from Okabe and Ito's palette (vermillion,
#: bluish green, blue), so the three stay apart with any colour vision (tests/test_colour_vision.py).
CHANNEL_COLOURS = {"grey": "#6b6b6b", "red": "#d55e00", "green": "#009e73", "blue": "#0072b2"}
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


def show_chart(svg: str, *, alt: str, caption: str | None = None) -> None:
    """Show an SVG chart (from `ui.svg` or `histogram_svg`) stretched to its column, with alt text."""
    st.image(svg, caption=caption, alt=check_alt(alt), width="stretch")


def show_figure(figure: go.Figure, *, key: str, alt: str) -> None:
    """Show a Plotly figure with its description written under it: a Plotly chart has no alt text, so the
    words that say what it shows (`ui.alt.check_alt` rules) are on the page for everyone, in the same keyed
    container (``{key}_figure``) as the chart."""
    with st.container(key=f"{key}_figure"):
        st.plotly_chart(figure, key=key, config=PLOT_CONFIG)
        st.caption(f"Chart: {check_alt(alt)}")


def scatter_alt(sample: PixelSample) -> str:
    """What `colour_scatter` shows, in words: how many pixels, the space, and each axis's median and 90 % range."""
    parts = []
    for index, info in enumerate(sample.axes):
        values = sample.coords[:, index].astype(np.float64)
        lo, median, hi = np.percentile(values, [5, 50, 95]) if len(values) else (0, 0, 0)
        parts.append(f"{info.name} median {median:.0f}, 90% between {lo:.0f} and {hi:.0f} ({info.low}-{info.high})")
    return f"3-D scatter of {len(sample.colors):,} pixels, each in its own colour: " + "; ".join(parts)


def cluster_shares_alt(clusters: KMeansResult) -> str:
    """What `cluster_shares_figure` shows, in words: each cluster's share of the pixels, largest first."""
    shares = ", ".join(f"cluster {i + 1} {100 * clusters.shares[i]:.1f}%" for i in clusters.order)
    return f"Bar chart of the {len(clusters.order)} clusters' shares of the pixels, largest first: {shares}"


def histogram_chart(image: np.ndarray, *, title: str | None = None, height: int = 200) -> tuple[str, str]:
    """The histogram of an image as SVG, with its alt text (each made once per image and switch setting).

    Parameters
    ----------
    image : ndarray
        uint8 ``(H, W)`` / ``(H, W, 3)``, or a bool mask (counted as 0 and 255).
    title : str, optional
        Chart title.
    height : int
        Chart height in chart pixels.

    Returns
    -------
    svg : str
    alt : str
    """
    options = histogram_options()
    channels = CHANNEL_NAMES[image.ndim]
    svg = _CHARTS.get(image, (options, title, height), lambda: histogram_svg(
        image_histograms(image), channels=channels, log_scale=options[0], cumulative=options[1], title=title,
        height=height))
    alt = _CHARTS.get(image, ("alt", title), lambda: histogram_alt(image_histograms(image), channels, title))
    return svg, alt


def show_histogram(image: np.ndarray, *, title: str | None = None, height: int = 200) -> None:
    """Draw the histogram of an image (`histogram_chart`), usually right under its picture."""
    svg, alt = histogram_chart(image, title=title, height=height)
    show_chart(svg, alt=alt)


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


# --------------------------------------------------------------------------- smoothing and edges

#: One colour per line of the smoothing lesson's edge profile (Okabe-Ito, told apart with colour blindness
#: too); the clean image is drawn thick and black, the noisy one dotted grey.
PROFILE_COLOURS = {"Clean": "#000000", "Noisy": "#6b6b6b", "Box": "#e69f00", "Gaussian": "#56b4e9",
                   "Median": "#009e73", "Bilateral": "#d55e00", "Non-local means": "#cc79a7"}


def edge_profile_chart(panels: dict[str, np.ndarray], *, window: EdgeWindow) -> str:
    """Grey values across an edge in each picture, one line each, as SVG (the smoothing lesson's look closer).

    Parameters
    ----------
    panels : dict of str to ndarray
        Names (keys of `PROFILE_COLOURS`) to uint8 pictures of one shape, grey or RGB (drawn as luminance).
    window : EdgeWindow
        Where the edge is: the profile runs along its row when ``window.across_row``, else down its column.

    Returns
    -------
    str
        An SVG document.
    """
    positions = np.arange(window.left, window.right) if window.across_row else np.arange(window.top, window.bottom)
    lines = []
    for name, picture in panels.items():
        crop = as_gray(picture[window.top : window.bottom, window.left : window.right])
        values = crop[window.row - window.top] if window.across_row else crop[:, window.col - window.left]
        lines.append(Line(positions, values, PROFILE_COLOURS[name], name=name, width=3 if name == "Clean" else 1.5,
                          dash=name == "Noisy", dots=name != "Noisy"))
    return line_chart(lines, x_title=f"{'column x' if window.across_row else 'row y'} (across the edge)",
                      y_title="grey value", y_range=(-5, 260), width=FULL_WIDTH, height=300)


def halo_profile_chart(edge: np.ndarray, unclipped: np.ndarray) -> str:
    """The middle row of a step edge and of its sharpened values before clipping, with 0-255 shaded, as SVG.

    Parameters
    ----------
    edge : ndarray of uint8, shape (h, w)
        The clean edge (`processing.filters.step_edge`).
    unclipped : ndarray of float, shape (h, w)
        Its sharpened values before clipping.

    Returns
    -------
    str
        An SVG document.
    """
    middle = edge.shape[0] // 2
    positions = np.arange(edge.shape[1])
    low = min(-5.0, float(unclipped[middle].min()) - 5)
    high = max(260.0, float(unclipped[middle].max()) + 5)
    lines = [Line(positions, edge[middle], "#000000", name="clean", dash=True),
             Line(positions, unclipped[middle], "#000000", name="sharpened", width=2.5, dots=True)]
    return line_chart(lines, x_title="column x (across the edge)", y_title="value before clipping",
                      x_range=(0.0, float(positions[-1])), y_range=(low, high),
                      bands=[Band(0, 255, "#2f6db3", opacity=0.08, horizontal=True)], height=280)


def psnr_bar_range(rows: tuple) -> tuple[float, float]:
    """Where the PSNR bars of `show_psnr_table` start and end: 3 dB below the lowest finite score (so the
    differences between filters show), 1 dB above the highest."""
    finite = [row[2] for row in rows if math.isfinite(row[2])]
    return max(0.0, math.floor(min(finite, default=0.0)) - 3), max(finite, default=40.0) + 1


def psnr_table(rows: tuple) -> "pd.DataFrame":
    """The comparison table from (filter, settings, PSNR, SSIM or None) rows, rounded as shown, with each PSNR
    again as a bar (an infinite one, identical images, fills it)."""
    # Imported here: pandas takes 0.3 s to import on a quiet machine (up to 2 s under load), and on a fresh
    # server the first pictures would wait for it.
    import pandas as pd

    top = psnr_bar_range(rows)[1]
    return pd.DataFrame([
        {"filter": name, "settings": settings, "PSNR (dB)": round(psnr_value, 2), "PSNR bar": min(psnr_value, top),
         "SSIM": None if ssim_value is None else round(ssim_value, 3)}
        for name, settings, psnr_value, ssim_value in rows
    ])


def show_psnr_table(rows: tuple, *, key: str) -> None:
    """Show `psnr_table` with its PSNR bars (the bars replace a bar chart: a chart re-drawn on every move of a
    slider cost the browser far more)."""
    low, high = psnr_bar_range(rows)
    st.dataframe(
        step(psnr_table, rows), hide_index=True, width="stretch", key=key,
        column_config={"settings": st.column_config.TextColumn(width=260), "PSNR bar": st.column_config.ProgressColumn(
            "PSNR compared", format=" ", min_value=low, max_value=high, width="medium",
            help=f"Each PSNR as a bar from {low:g} to {high:g} dB: the longest is the closest to the clean image "
                 "(∞, identical, fills the bar).")},
    )


#: The Canny threshold histogram's zones (dropped, weak, strong). None of them is a colour of the hysteresis
#: picture (white strong, blue weak kept, vermillion weak rejected): a weak pixel's fate is decided there.
CANNY_ZONE_COLOURS = ("#c4c4c4", "#cc79a7", "#444444")


def canny_threshold_chart(histogram: np.ndarray, bin_edges: np.ndarray, *, low: float, high: float,
                          log_scale: bool = False) -> str:
    """The ridge pixels' gradient magnitudes, shaded by zone, with both Canny thresholds marked, as SVG.

    Parameters
    ----------
    histogram : ndarray of int, shape (bins,)
        Ridge pixels per bin (`processing.edges.CannyView.histogram`).
    bin_edges : ndarray of float, shape (bins + 1,)
    low, high : float
        The hysteresis thresholds.
    log_scale : bool
        Logarithmic count axis.

    Returns
    -------
    str
        An SVG document.
    """
    centres = (bin_edges[:-1] + bin_edges[1:]) / 2
    counts = histogram.astype(np.float64)
    zone = np.where(centres > high, 2, np.where(centres > low, 1, 0))
    names = ("dropped (≤ low)", "weak (kept if connected)", "strong (> high)")
    lines = []
    for index, (name, colour) in enumerate(zip(names, CANNY_ZONE_COLOURS)):
        # Each zone's stretch of the curve, shaded in its colour; it reaches the next bin, so the stretches meet.
        inside = (zone == index) | np.r_[False, zone[:-1] == index]
        if inside.any():
            lines.append(Line(centres, np.where(inside, counts, np.nan), colour, name=name, fill=True, width=2))
    return line_chart(
        lines, x_title="gradient magnitude of the ridge pixels (after non-maximum suppression)",
        y_title="ridge pixels" + (" (log)" if log_scale else ""), log_y=log_scale,
        x_range=(0.0, float(bin_edges[-1])),
        markers=[Marker(low, f"low {low:g}", "#000000", dash=True), Marker(high, f"high {high:g}", "#000000")],
        width=round(FULL_WIDTH * 0.75), height=260,
    )


def gradient_grid(gray: np.ndarray, *, row: int, col: int, vector: GradientVector) -> str:
    """The 5 × 5 grey values around (row, col), the pixel outlined and its gradient drawn as an arrow (SVG).

    Parameters
    ----------
    gray : ndarray of uint8, shape (H, W)
    row, col : int
        The pixel (`processing.arrays.window_around` keeps the 5 × 5 window inside the image).
    vector : GradientVector
        Its gradient (`processing.edges.pixel_gradient`); no arrow when it is 0.

    Returns
    -------
    str
        An SVG document.
    """
    top, left, bottom, right = window_around(gray.shape, row=row, col=col, size=5)
    return pixel_grid(gray[top:bottom, left:right], origin=(top, left), highlight=(row, col),
                      arrow=(vector.gy, vector.gx) if vector.magnitude > 0 else None)


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


def measurement_histogram_svg(table: pd.DataFrame, column: str, *, title: str, width: int, height: int = 260) -> str:
    """Histogram of one measurement over the objects of a results table, its median marked.

    Parameters
    ----------
    table : pandas.DataFrame
        A results table (`processing.measure`), one row per object.
    column : str
        The measurement to plot; non-finite values are left out.
    title : str
        The measurement with its unit, e.g. "area (px²)": the x axis title.
    width, height : int
        Chart size in chart pixels (see `ui.svg.line_chart`).

    Returns
    -------
    str
        An SVG document titled "<title> of the <n> objects"; 5 to 40 bars.
    """
    values = table[column].to_numpy(dtype=float)
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
        markers=[] if median is None else [Marker(median, f"median {number_text(median)}", SERIES_COLOURS[1],
                                                  dash=True)],
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


# --------------------------------------------------------------------------- frequency and restoration
# (appended for the lessons "The frequency domain" and "Blur and restoration")



#: One colour per series of a chart (restoration, compression, features, thresholding), told apart by name in each
#: legend and, with any colour vision, by colour (Okabe and Ito: blue, vermillion, bluish green, reddish purple,
#: orange, sky blue; next to `SERIES_GREY` for the reference series). Six: the most series one chart draws.
SERIES_COLOURS = ("#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9")
#: The reference series beside `SERIES_COLOURS` (the input, "no filter", the blurred image).
SERIES_GREY = "#6b6b6b"


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
         Line(columns, before, SERIES_GREY, name="before", width=1.2),
         Line(columns, after, SERIES_COLOURS[1], name=after_name, width=1.8)],
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
        [Line(frequency, magnitude, SERIES_GREY, name="|H|: what the blur keeps", width=2),
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
         Line([1, len(psnrs)], [min(blurred, 99.0)] * 2, SERIES_GREY, name="the blurred image", dash=True)],
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
    lines = [Line(levels, 100 * np.asarray(shares), SERIES_GREY, name="the patch", step=True, fill=True)]
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
    lines = [Line(share, np.minimum(noisy, 60.0), SERIES_GREY, name="no filter", dash=True)]
    lines += [Line(share, np.minimum(values, 60.0), colour, name=names[name], width=1.8, dots=True)
              for (name, values), colour in zip(filtered.items(), SERIES_COLOURS)]
    return line_chart(lines, x_title="pixels hit by salt and pepper (%)", y_title="PSNR (dB)", width=FULL_WIDTH,
                      height=300)


def threshold_histogram_svg(
    image: np.ndarray, *, markers: Sequence[Marker], band: Band | None, log_scale: bool, cumulative: bool
) -> str:
    """A grey image's histogram with thresholds marked (Thresholding): `histogram_svg` with markers and a band.

    Foreground is ``gray > t``, so the marker for ``t`` sits at ``t + 0.5``, between the last background
    level and the first foreground one; `band` shades the levels a threshold selects.
    """
    return histogram_svg(image_histograms(image), channels=CHANNEL_NAMES[2], log_scale=log_scale,
                         cumulative=cumulative, markers=markers, bands=[] if band is None else [band], height=220)


def show_threshold_histogram(image: np.ndarray, *, lines: Sequence[tuple[int, str, str]],
                             selected: tuple[int, bool] | None = None) -> None:
    """Draw a grey image's histogram with thresholds ``(t, name, colour)`` marked.

    ``selected=(t, dark)`` shades in red the levels threshold ``t`` selects: ``<= t`` for dark objects, else ``> t``.
    """
    log_scale, cumulative = histogram_options()
    band = None
    if selected is not None:
        t, dark = selected
        band = Band(-0.5, t + 0.5, colour="#ff0000") if dark else Band(t + 0.5, 255.5, colour="#ff0000")
    svg = step(threshold_histogram_svg, image, markers=[Marker(t + 0.5, f"{name} = {t}", colour)
                                                        for t, name, colour in lines],
               band=band, log_scale=log_scale, cumulative=cumulative)
    show_chart(svg, alt=histogram_alt(image_histograms(image), CHANNEL_NAMES[2], "The grey image") + "; "
               + ", ".join(f"{name} = {t}" for t, name, _ in lines) + " marked")


def otsu_variance_svg(variance: np.ndarray, *, otsu_t: int, compare_t: int, compare_name: str) -> str:
    """Otsu's between-class variance for every t (Thresholding), with Otsu's peak and a compared t marked."""
    return line_chart(
        [Line(np.arange(256), variance, "#444444", width=2)],
        x_title="threshold t", y_title="between-class variance σ²B", x_range=(-0.5, 255.5), x_ticks=LEVEL_TICKS,
        markers=[Marker(otsu_t, f"Otsu {otsu_t}", SERIES_COLOURS[2]),
                 Marker(compare_t, f"{compare_name} {compare_t}", SERIES_COLOURS[1], dash=True)],
        width=FULL_WIDTH, height=280,
    )


def row_profile_svg(image: np.ndarray, surface: np.ndarray, *, row: int, global_t: int, surface_name: str) -> str:
    """One row of a grey image against its local thresholds and one global threshold (Thresholding).

    The global line is drawn at ``global_t + 0.5``: a pixel above it is foreground (``gray > t``).
    """
    columns = np.arange(image.shape[1])
    return line_chart(
        [Line(columns, image[row], SERIES_GREY, name="pixel value", width=1),
         Line(columns, surface[row], SERIES_COLOURS[0], name=surface_name, width=2),
         Line([0, image.shape[1] - 1], [global_t + 0.5] * 2, SERIES_COLOURS[1], name=f"Otsu t = {global_t}", dash=True,
              width=2)],
        x_title="column", y_title="grey level", y_range=(0, 260), width=FULL_WIDTH, height=300,
    )


def show_masked_histograms(stats: MaskedHistogram, *, channels: tuple[str, ...]) -> None:
    """The whole image's histogram beside that of the masked pixels only (Masks), each titled with its count."""
    log_scale, cumulative = histogram_options()
    for column, counts, title in zip(
        st.columns(2, gap="medium"), (stats.whole, stats.masked),
        (f"Whole image: {stats.n_total:,} pixels", f"Inside the mask: {stats.n_masked:,} pixels"),
    ):
        with column:
            show_chart(step(histogram_svg, counts, channels=channels, log_scale=log_scale, cumulative=cumulative,
                            title=title), alt=histogram_alt(counts, channels, title))


# Charts of the compression and features lessons (appended: the import sits here to keep the additions in one block).


def _finite_or_nan(values: Sequence[float]) -> list[float]:
    return [float(v) if np.isfinite(v) else float("nan") for v in values]


def quality_curve_svg(
    bits: Sequence[float],
    psnrs: Sequence[float],
    ssims: Sequence[float],
    *,
    png_bits: float,
    chosen: tuple[int, float, float, float],
    width: int = FULL_WIDTH,
    height: int = 300,
) -> str:
    """Size against error of a lossy format: PSNR (left axis) and SSIM (right axis) over bits per pixel.

    Parameters
    ----------
    bits, psnrs, ssims : sequence of float
        One point per quality setting, in increasing quality. Infinite or undefined values break the line.
    png_bits : float
        Bits per pixel of the lossless file, drawn as a point at SSIM 1 (its PSNR is infinite) and a marker.
    chosen : tuple
        ``(quality, bits, psnr, ssim)`` of the learner's setting: marked and dotted in red.
    width, height : int
        Chart size (see `ui.svg.line_chart`).

    Returns
    -------
    str
        An SVG document.
    """
    quality, chosen_bits, chosen_psnr, chosen_ssim = chosen
    finite_psnr = [v for v in [*psnrs, chosen_psnr] if np.isfinite(v)]
    low = 5 * np.floor(min(finite_psnr, default=20.0) / 5)
    high = 5 * np.ceil(max(finite_psnr, default=50.0) / 5 + 0.2)
    finite_ssim = [v for v in [*ssims, chosen_ssim] if np.isfinite(v)]
    ssim_low = min(0.9, np.floor(10 * min(finite_ssim, default=0.5)) / 10)
    lines = [
        Line(bits, _finite_or_nan(psnrs), SERIES_COLOURS[0], name="PSNR, dB (left)", dots=True, width=2),
        Line(bits, _finite_or_nan(ssims), SERIES_COLOURS[4], name="SSIM (right)", dots=True, width=2, right=True),
        Line([chosen_bits], _finite_or_nan([chosen_psnr]), SERIES_COLOURS[1], dots=True, width=4),
        Line([chosen_bits], _finite_or_nan([chosen_ssim]), SERIES_COLOURS[1], dots=True, width=4, right=True),
        Line([png_bits], [1.0], SERIES_COLOURS[2], name="PNG: SSIM 1, PSNR ∞", dots=True, width=4, right=True),
    ]
    right = max(png_bits, max(bits, default=1.0), chosen_bits)
    return line_chart(
        lines, x_title="bits per pixel (file size × 8 / pixels)", y_title="PSNR (dB)", x_range=(0.0, 1.06 * right),
        y_range=(float(low), float(high)), right_title="SSIM", right_range=(float(ssim_low), 1.0),
        markers=[Marker(chosen_bits, f"your quality {quality}", SERIES_COLOURS[1]),
                 Marker(png_bits, "PNG (lossless)", SERIES_COLOURS[2], dash=True)],
        width=width, height=height,
    )


def generation_loss_svg(generations: Sequence[int], same: Sequence[float], shifted: Sequence[float], *,
                        width: int = FULL_WIDTH, height: int = 260) -> str:
    """PSNR against the original after each re-save: as it is, and moved by a pixel before each save.

    Returns
    -------
    str
        An SVG document.
    """
    values = [v for v in [*same, *shifted] if np.isfinite(v)]
    low = 5 * np.floor(min(values, default=20.0) / 5)
    high = 5 * np.ceil(max(values, default=50.0) / 5 + 0.2)
    return line_chart(
        [Line(generations, _finite_or_nan(same), SERIES_COLOURS[0], name="saved again as it is", dots=True, width=2),
         Line(generations, _finite_or_nan(shifted), SERIES_COLOURS[1], name="moved 1 pixel before each save", dots=True,
              width=2)],
        x_title="times saved as JPEG", y_title="PSNR against the original (dB)", y_range=(float(low), float(high)),
        x_range=(0.5, len(generations) + 0.5), width=width, height=height,
    )


def votes_svg(votes: Sequence[float], *, threshold: float, width: int = HALF_WIDTH, height: int = 220) -> str:
    """The accumulator votes of each detection, strongest first, with the threshold they had to beat.

    Returns
    -------
    str
        An SVG document.
    """
    ranks = list(range(1, len(votes) + 1))
    top = max([threshold, *votes]) * 1.1
    return line_chart(
        [Line(ranks, list(votes), SERIES_COLOURS[2], name="votes", dots=True, width=2),
         Line([0.5, max(len(votes), 1) + 0.5], [threshold, threshold], SERIES_COLOURS[1], name="threshold", dash=True)],
        x_title="detection (strongest first)", y_title="votes", x_range=(0.5, max(len(votes), 1) + 0.5),
        y_range=(0.0, float(top)), width=width, height=height,
    )


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
