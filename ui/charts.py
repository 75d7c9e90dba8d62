"""Charts shared by the lessons: histograms, drawn as SVG.

Histograms are drawn as SVG text (`ui.svg`): 256 values per channel, never the
pixels, made once per cached array, and cheap for the browser to show.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import streamlit as st

from processing.masks import MaskedHistogram
from processing.stats import CHANNEL_NAMES, channel_histograms
from ui.cache import ArrayMemo, step
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
    show_chart(svg, alt="Histogram of the grey image with "
               + ", ".join(f"{name} = {t}" for t, name, _ in lines) + " marked")


def otsu_variance_svg(variance: np.ndarray, *, otsu_t: int, compare_t: int, compare_name: str) -> str:
    """Otsu's between-class variance for every t (Thresholding), with Otsu's peak and a compared t marked."""
    return line_chart(
        [Line(np.arange(256), variance, "#444444", width=2)],
        x_title="threshold t", y_title="between-class variance σ²B", x_range=(-0.5, 255.5), x_ticks=LEVEL_TICKS,
        markers=[Marker(otsu_t, f"Otsu {otsu_t}", "#2ca02c"),
                 Marker(compare_t, f"{compare_name} {compare_t}", "#d62728", dash=True)],
        width=FULL_WIDTH, height=280,
    )


def row_profile_svg(image: np.ndarray, surface: np.ndarray, *, row: int, global_t: int, surface_name: str) -> str:
    """One row of a grey image against its local thresholds and one global threshold (Thresholding).

    The global line is drawn at ``global_t + 0.5``: a pixel above it is foreground (``gray > t``).
    """
    columns = np.arange(image.shape[1])
    return line_chart(
        [Line(columns, image[row], "#6b6b6b", name="pixel value", width=1),
         Line(columns, surface[row], "#1f77b4", name=surface_name, width=2),
         Line([0, image.shape[1] - 1], [global_t + 0.5] * 2, "#d62728", name=f"Otsu t = {global_t}", dash=True,
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
                            title=title), alt=histogram_alt(channels, title))
