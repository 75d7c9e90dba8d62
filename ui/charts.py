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


# Charts of the compression and features lessons (appended: the import sits here to keep the additions in one block).
from ui.svg import FULL_WIDTH  # noqa: E402


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
        Line(bits, _finite_or_nan(psnrs), "#1f77b4", name="PSNR, dB (left)", dots=True, width=2),
        Line(bits, _finite_or_nan(ssims), "#e67800", name="SSIM (right)", dots=True, width=2, right=True),
        Line([chosen_bits], _finite_or_nan([chosen_psnr]), "#d62728", dots=True, width=4),
        Line([chosen_bits], _finite_or_nan([chosen_ssim]), "#d62728", dots=True, width=4, right=True),
        Line([png_bits], [1.0], "#2ca02c", name="PNG: SSIM 1, PSNR ∞", dots=True, width=4, right=True),
    ]
    right = max(png_bits, max(bits, default=1.0), chosen_bits)
    return line_chart(
        lines, x_title="bits per pixel (file size × 8 / pixels)", y_title="PSNR (dB)", x_range=(0.0, 1.06 * right),
        y_range=(float(low), float(high)), right_title="SSIM", right_range=(float(ssim_low), 1.0),
        markers=[Marker(chosen_bits, f"your quality {quality}", "#d62728"),
                 Marker(png_bits, "PNG (lossless)", "#2ca02c", dash=True)],
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
        [Line(generations, _finite_or_nan(same), "#1f77b4", name="saved again as it is", dots=True, width=2),
         Line(generations, _finite_or_nan(shifted), "#d62728", name="moved 1 pixel before each save", dots=True,
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
        [Line(ranks, list(votes), "#2ca02c", name="votes", dots=True, width=2),
         Line([0.5, max(len(votes), 1) + 0.5], [threshold, threshold], "#d62728", name="threshold", dash=True)],
        x_title="detection (strongest first)", y_title="votes", x_range=(0.5, max(len(votes), 1) + 0.5),
        y_range=(0.0, float(top)), width=width, height=height,
    )
