"""Line charts drawn as SVG text: histograms, curves and profiles that cost the browser almost nothing.

Why not Plotly for these: measured on this project's 2-core machine in headless
Chromium, every Plotly chart that changes on a rerun added 20-40 ms to a slider
move (figure validation and JSON on the server, then Plotly's layout and SVG
drawing in the page), about a third of the whole floor Streamlit itself sets.
An SVG chart is a few kilobytes of text made once per result; the browser shows
it as an ``<img>``, which it decodes off the main script. What is lost is hover:
numbers a learner needs are printed on the chart or beside it instead.

Everything here is Pixel Lab's own text: labels are XML-escaped anyway, and no
user text (file names, link values) may be passed in.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

import numpy as np

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
FONT_SIZE = 13
AXIS_COLOUR = "#555555"
GRID_COLOUR = "#e6e6e6"
TEXT_COLOUR = "#31333f"
#: Chart widths that match a half and a whole main column of the wide layout at 1440 px (about 380 and 780
#: screen pixels), so 13-pixel text shows at 11-12 pixels; wider screens enlarge charts and text alike.
HALF_WIDTH = 420
FULL_WIDTH = 860


@dataclass(frozen=True)
class Line:
    """One data series of a chart.

    Attributes
    ----------
    x, y : sequence of float
        Coordinates, same length. Non-finite ``y`` values break the line.
    colour : str
        CSS colour (each channel in its own colour: see ``ui.charts.CHANNEL_COLOURS``).
    name : str
        Legend entry; unnamed lines get none.
    step : bool
        Draw each value as a flat step one unit wide centred on its ``x`` (histogram bars).
    fill : bool
        Shade the area between the line and the bottom of the axis.
    dash : bool
        Dotted instead of solid.
    width : float
        Stroke width in chart pixels.
    dots : bool
        Also mark every point with a dot (profiles of a few dozen pixels).
    right : bool
        Drawn against the right-hand axis.
    """

    x: Sequence[float]
    y: Sequence[float]
    colour: str
    name: str = ""
    step: bool = False
    fill: bool = False
    dash: bool = False
    width: float = 1.5
    dots: bool = False
    right: bool = False


@dataclass(frozen=True)
class Marker:
    """A labelled vertical line at ``x`` (a threshold, a chosen level)."""

    x: float
    label: str
    colour: str
    dash: bool = False


@dataclass(frozen=True)
class Band:
    """A shaded stretch of the x axis (``horizontal=False``) or of the left y axis (``horizontal=True``)."""

    low: float
    high: float
    colour: str
    opacity: float = 0.15
    horizontal: bool = False


def nice_ticks(low: float, high: float, *, count: int = 5) -> list[float]:
    """Round tick values (1, 2 or 5 times a power of ten apart) covering ``[low, high]``.

    Returns at most about `count` + 1 values, all within the range.
    """
    if not (math.isfinite(low) and math.isfinite(high)):
        raise ValueError(f"the range must be finite, got {low}, {high}")
    if high <= low:
        return [low]
    raw = (high - low) / max(count, 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    first = math.ceil(low / step - 1e-9) * step
    ticks = []
    value = first
    while value <= high + step * 1e-9:
        ticks.append(0.0 if abs(value) < step * 1e-9 else value)
        value += step
    return ticks


def tick_label(value: float) -> str:
    """Short tick text: 5000 → "5000", 12000 → "12k", 3000000 → "3M", 0.25 → "0.25"."""
    magnitude = abs(value)
    for limit, unit, suffix in ((1e9, 1e9, "G"), (1e6, 1e6, "M"), (1e4, 1e3, "k")):
        if magnitude >= limit:
            return f"{value / unit:.3g}{suffix}"
    if float(value).is_integer():
        return f"{int(value):d}"
    return f"{value:.3g}"


class _Axis:
    """Maps data values to chart pixels along one direction (optionally logarithmic)."""

    def __init__(self, low: float, high: float, start: float, end: float, *, log: bool = False) -> None:
        self.log = log
        if log:
            low, high = math.log10(low), math.log10(high)
        if high <= low:
            high = low + 1.0
        self.low, self.high, self.start, self.end = low, high, start, end

    def __call__(self, values) -> np.ndarray:
        values = np.asarray(values, dtype=np.float64)
        if self.log:
            with np.errstate(divide="ignore", invalid="ignore"):
                values = np.log10(values)
        return self.start + (values - self.low) * (self.end - self.start) / (self.high - self.low)


def _data_range(lines: Sequence[Line], *, log: bool) -> tuple[float, float]:
    values = np.concatenate([np.asarray(line.y, dtype=np.float64).ravel() for line in lines] or [np.zeros(1)])
    values = values[np.isfinite(values)]
    if log:
        values = values[values > 0]
        if values.size == 0:
            return 0.5, 10.0
        return min(0.5, float(values.min()) / 2), float(values.max()) * 1.5
    if values.size == 0:
        return 0.0, 1.0
    low, high = min(0.0, float(values.min())), float(values.max())
    if high <= low:
        high = low + 1.0
    return low, high + 0.04 * (high - low)


def _points(xs: np.ndarray, ys: np.ndarray) -> list[str]:
    """Polyline pieces "x,y x,y ..." split where a value is not finite."""
    pieces, current = [], []
    for x, y in zip(xs, ys):
        if math.isfinite(x) and math.isfinite(y):
            current.append(f"{x:.1f},{y:.1f}")
        elif current:
            pieces.append(" ".join(current))
            current = []
    if current:
        pieces.append(" ".join(current))
    return pieces


def _step_path(xs: np.ndarray, ys: np.ndarray, half_width: float) -> str:
    """ "M x,y H x V y H x ..." for flat steps of width 2·`half_width` centred on each x."""
    parts = [f"M{xs[0] - half_width:.1f},{ys[0]:.1f}"]
    for x, y in zip(xs, ys):
        parts.append(f"V{y:.1f}H{x + half_width:.1f}")
    return "".join(parts)


def _text_width(text: str) -> float:
    """Rough width of `text` in chart pixels (bold labels of digits and letters)."""
    return 0.62 * FONT_SIZE * len(text)


def _label_rows(centres: Sequence[float], widths: Sequence[float]) -> list[tuple[float, int]]:
    """(centre, row) for labels centred at increasing `centres`: a label that would overlap the last label of
    row 0 goes to row 1 (and so on), so close thresholds keep readable labels."""
    ends: list[float] = []  # right end of the last label in each row
    placed = []
    for centre, width in zip(centres, widths):
        row = next((i for i, end in enumerate(ends) if centre - width / 2 > end + 4), len(ends))
        if row == len(ends):
            ends.append(0.0)
        ends[row] = centre + width / 2
        placed.append((centre, row))
    return placed


def line_chart(
    lines: Sequence[Line],
    *,
    x_title: str,
    y_title: str,
    x_range: tuple[float, float] | None = None,
    y_range: tuple[float, float] | None = None,
    log_y: bool = False,
    right_title: str | None = None,
    right_range: tuple[float, float] = (0.0, 100.0),
    x_ticks: Sequence[float] | None = None,
    markers: Sequence[Marker] = (),
    bands: Sequence[Band] = (),
    title: str | None = None,
    width: int = HALF_WIDTH,
    height: int = 200,
) -> str:
    """Draw lines on labelled axes as a standalone SVG document.

    Parameters
    ----------
    lines : sequence of Line
        The series, drawn in order (later on top).
    x_title, y_title : str
        Axis titles (what is counted, and in which unit).
    x_range, y_range : tuple of float, optional
        Axis limits; by default the data's, with the y axis starting at 0
        (or below, for negative data).
    log_y : bool
        Logarithmic left axis; values ≤ 0 are drawn on the bottom edge.
    right_title : str, optional
        Title of a right-hand axis for lines with ``right=True``.
    right_range : tuple of float
        Limits of the right-hand axis.
    x_ticks : sequence of float, optional
        Tick positions on the x axis; by default round numbers.
    markers : sequence of Marker
        Labelled vertical lines.
    bands : sequence of Band
        Shaded stretches, drawn under the lines.
    title : str, optional
        Chart title, above the plot.
    width, height : int
        Size in chart pixels; the picture is stretched to its column keeping this shape, so give
        the width of the column it goes in (`HALF_WIDTH`, `FULL_WIDTH`) and text keeps about its size.

    Returns
    -------
    str
        An SVG document (``<svg xmlns=...>...</svg>``).
    """
    left_lines = [line for line in lines if not line.right]
    right_lines = [line for line in lines if line.right]
    named = [line for line in lines if line.name]
    left, right, bottom = 58, 56 if right_lines else 14, 42
    plot_w = width - left - right
    if x_range is None:
        xs_all = np.concatenate([np.asarray(line.x, dtype=np.float64).ravel() for line in lines] or [np.zeros(1)])
        x_range = (float(np.nanmin(xs_all)), float(np.nanmax(xs_all)))
    x_axis = _Axis(x_range[0], x_range[1], left, left + plot_w)
    ordered_markers = [m for m in sorted(markers, key=lambda m: m.x)
                       if left - 0.5 <= float(x_axis(m.x)) <= left + plot_w + 0.5]
    label_widths = [_text_width(m.label) for m in ordered_markers]
    marker_rows = _label_rows([min(max(float(x_axis(m.x)), w / 2 + 2), width - w / 2 - 2)  # kept inside the chart
                               for m, w in zip(ordered_markers, label_widths)], label_widths)
    label_rows = 1 + max((row for _, row in marker_rows), default=-1)
    legend_row = 8 + (FONT_SIZE + 8 if title else 0) + FONT_SIZE  # baseline of the legend, if any
    top = legend_row - FONT_SIZE + (FONT_SIZE + 6 if named else 0) + label_rows * (FONT_SIZE + 4) + 2
    plot_h = height - top - bottom
    if plot_w < 40 or plot_h < 30:
        raise ValueError(f"width and height leave no room for the plot, got {width} x {height}")

    y_low, y_high = y_range if y_range is not None else _data_range(left_lines, log=log_y)
    if log_y:
        y_low = max(y_low, 1e-9)
    y_axis = _Axis(y_low, y_high, top + plot_h, top, log=log_y)
    r_axis = _Axis(right_range[0], right_range[1], top + plot_h, top)
    bottom_y, top_y = top + plot_h, top

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'font-family="{escape(FONT)}" font-size="{FONT_SIZE}" fill="{TEXT_COLOUR}">',
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
    ]
    if title:
        out.append(f'<text x="{left + plot_w / 2:.1f}" y="{8 + FONT_SIZE}" text-anchor="middle" '
                   f'font-weight="600">{escape(title)}</text>')

    # Grid and y ticks.
    if log_y:
        first, last = math.ceil(math.log10(y_low) - 1e-9), math.floor(math.log10(y_high) + 1e-9)
        y_ticks = [10.0**k for k in range(max(first, 0), last + 1)]
    else:
        y_ticks = nice_ticks(y_low, y_high)
    for value in y_ticks:
        y = float(y_axis(value))
        out.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID_COLOUR}"/>')
        out.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{tick_label(value)}</text>')
    if right_lines:
        for value in nice_ticks(*right_range):
            y = float(r_axis(value))
            out.append(f'<text x="{left + plot_w + 6}" y="{y + 4:.1f}">{tick_label(value)}</text>')

    for band in bands:
        if band.horizontal:
            y0, y1 = sorted(float(v) for v in y_axis([band.low, band.high]))
            y0, y1 = max(y0, top_y), min(y1, bottom_y)
            if y1 > y0:
                out.append(f'<rect x="{left}" y="{y0:.1f}" width="{plot_w}" height="{y1 - y0:.1f}" '
                           f'fill="{band.colour}" fill-opacity="{band.opacity}"/>')
        else:
            x0, x1 = (float(v) for v in x_axis([band.low, band.high]))
            x0, x1 = max(x0, left), min(x1, left + plot_w)
            if x1 > x0:
                out.append(f'<rect x="{x0:.1f}" y="{top_y}" width="{x1 - x0:.1f}" height="{plot_h}" '
                           f'fill="{band.colour}" fill-opacity="{band.opacity}"/>')

    # The data, clipped to the plot area.
    out.append(f'<clipPath id="plot"><rect x="{left}" y="{top_y}" width="{plot_w}" height="{plot_h}"/></clipPath>')
    out.append('<g clip-path="url(#plot)" fill="none" stroke-linejoin="round">')
    unit = abs(float(x_axis(1.0) - x_axis(0.0)))
    for line in lines:
        axis = r_axis if line.right else y_axis
        xs = x_axis(line.x)
        ys = axis(line.y)
        ys = np.where(np.isnan(ys) & np.isfinite(np.asarray(line.y, dtype=np.float64)), bottom_y, ys)
        if log_y and not line.right:
            ys = np.where(np.asarray(line.y, dtype=np.float64) <= 0, bottom_y, ys)
        ys = np.clip(ys, top_y - 2, bottom_y + 2)
        stroke = (f'stroke="{line.colour}" stroke-width="{line.width:g}"'
                  + (' stroke-dasharray="2 3"' if line.dash else ""))
        if line.step:
            ys = np.where(np.isfinite(ys), ys, bottom_y)
            path = _step_path(xs, ys, unit / 2)
            if line.fill:
                out.append(f'<path d="{path}V{bottom_y:.1f}H{xs[0] - unit / 2:.1f}Z" fill="{line.colour}" '
                           'fill-opacity="0.18" stroke="none"/>')
            out.append(f'<path d="{path}" {stroke}/>')
            continue
        for piece in _points(xs, ys):
            if line.fill:
                first_x, last_x = piece.split(" ")[0].split(",")[0], piece.split(" ")[-1].split(",")[0]
                out.append(f'<polygon points="{first_x},{bottom_y:.1f} {piece} {last_x},{bottom_y:.1f}" '
                           f'fill="{line.colour}" fill-opacity="0.18" stroke="none"/>')
            out.append(f'<polyline points="{piece}" {stroke}/>')
        if line.dots:
            for x, y in zip(xs, ys):
                if math.isfinite(x) and math.isfinite(y):
                    out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.2" fill="{line.colour}" stroke="none"/>')
    out.append("</g>")

    # Axes, x ticks and titles.
    out.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{bottom_y}" y2="{bottom_y}" stroke="{AXIS_COLOUR}"/>')
    out.append(f'<line x1="{left}" x2="{left}" y1="{top_y}" y2="{bottom_y}" stroke="{AXIS_COLOUR}"/>')
    for value in (x_ticks if x_ticks is not None else nice_ticks(*x_range, count=6)):
        x = float(x_axis(value))
        if left - 0.5 <= x <= left + plot_w + 0.5:
            out.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{bottom_y}" y2="{bottom_y + 4}" stroke="{AXIS_COLOUR}"/>')
            out.append(f'<text x="{x:.1f}" y="{bottom_y + 4 + FONT_SIZE}" text-anchor="middle">'
                       f"{tick_label(value)}</text>")
    out.append(f'<text x="{left + plot_w / 2:.1f}" y="{height - 6}" text-anchor="middle">{escape(x_title)}</text>')
    centre = top_y + plot_h / 2
    out.append(f'<text transform="translate(14 {centre:.1f}) rotate(-90)" text-anchor="middle">'
               f"{escape(y_title)}</text>")
    if right_lines and right_title:
        out.append(f'<text transform="translate({width - 10} {centre:.1f}) rotate(90)" text-anchor="middle">'
                   f"{escape(right_title)}</text>")

    # Markers: a line across the plot, its label above it; a label that would overlap the one before it
    # goes on a second row.
    for marker, (centre, row) in zip(ordered_markers, marker_rows):
        x = float(x_axis(marker.x))
        dash = ' stroke-dasharray="5 4"' if marker.dash else ""
        out.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top_y}" y2="{bottom_y}" stroke="{marker.colour}" '
                   f'stroke-width="2"{dash}/>')
        out.append(f'<text x="{centre:.1f}" y="{top_y - 5 - row * (FONT_SIZE + 4):.1f}" text-anchor="middle" '
                   f'fill="{marker.colour}" font-weight="600">{escape(marker.label)}</text>')

    # Legend: the names in their own colours, in a row above the plot (and above the marker labels).
    x = left + plot_w
    for line in reversed(named):
        out.append(f'<text x="{x:.1f}" y="{legend_row}" text-anchor="end" fill="{line.colour}">'
                   f"{'┄ ' if line.dash else '— '}{escape(line.name)}</text>")
        x -= 12 + 0.6 * FONT_SIZE * (len(line.name) + 2)
    out.append("</svg>")
    return "".join(out)


def pixel_grid(
    window: np.ndarray,
    *,
    origin: tuple[int, int],
    highlight: tuple[int, int] | None = None,
    arrow: tuple[float, float] | None = None,
    made_up: np.ndarray | None = None,
) -> str:
    """A zoomed block of pixels, each drawn in its own colour with its value printed in it, as SVG.

    Parameters
    ----------
    window : ndarray
        uint8, ``(h, w)`` grey or ``(h, w, 3)`` RGB: the pixels to show.
    origin : tuple of int
        ``(top, left)`` image coordinates of ``window[0, 0]``: rows and columns are labelled with them.
    highlight : tuple of int, optional
        ``(row, col)`` image coordinates of a pixel to outline.
    arrow : tuple of float, optional
        ``(dy, dx)``: a direction (y downwards, as in the image) drawn as a red arrow 1.6 pixels long from the
        centre of the highlighted pixel, e.g. a gradient.
    made_up : ndarray, optional
        bool, ``(h, w)``: cells that are not pixels of the image (a border rule invented them), tinted blue
        and outlined with dots.

    Returns
    -------
    str
        An SVG document.
    """
    if window.dtype != np.uint8 or window.ndim not in (2, 3) or (window.ndim == 3 and window.shape[2] != 3):
        raise ValueError(f"window must be uint8 (h, w) or (h, w, 3), got {window.dtype} {window.shape}")
    rows, cols = window.shape[:2]
    colour = window.ndim == 3
    cell = 58 if colour else 46
    left, top = 52, 40
    width, height = left + cols * cell + 6, top + rows * cell + 6
    rgb = window if colour else np.repeat(window[:, :, np.newaxis], 3, axis=2)
    luma = rgb.astype(np.float64) @ np.array([0.299, 0.587, 0.114])  # Rec. 601: dark text on light pixels
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'font-family="{escape(FONT)}" font-size="{FONT_SIZE}" fill="{TEXT_COLOUR}" text-anchor="middle">',
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
        f'<text x="{left + cols * cell / 2:.0f}" y="12">column</text>',
        f'<text transform="translate(12 {top + rows * cell / 2:.0f}) rotate(-90)">row</text>',
    ]
    for c in range(cols):
        out.append(f'<text x="{left + (c + 0.5) * cell:.0f}" y="{top - 8}">{origin[1] + c}</text>')
    for r in range(rows):
        out.append(f'<text x="{left - 8}" y="{top + (r + 0.5) * cell + 4:.0f}" text-anchor="end">'
                   f'{origin[0] + r}</text>')
        for c in range(cols):
            x, y = left + c * cell, top + r * cell
            red, green, blue = (int(v) for v in rgb[r, c])
            ink = "#000000" if luma[r, c] > 140 else "#ffffff"
            out.append(f'<rect x="{x}" y="{y}" width="{cell}" height="{cell}" fill="#{red:02x}{green:02x}{blue:02x}" '
                       'stroke="#ffffff" stroke-width="0.5"/>')
            values = (red, green, blue) if colour else (red,)
            first = y + cell / 2 + 4 - (len(values) - 1) * 7.5
            for index, value in enumerate(values):
                out.append(f'<text x="{x + cell / 2:.0f}" y="{first + 15 * index:.0f}" fill="{ink}">{value}</text>')
    if made_up is not None:  # the blue processing.convolution.border_corner mixes into made-up pixels
        for r, c in zip(*np.nonzero(made_up)):
            out.append(f'<rect x="{left + c * cell + 1}" y="{top + r * cell + 1}" width="{cell - 2}" '
                       f'height="{cell - 2}" fill="#3c78ff" fill-opacity="0.45" stroke="#3c78ff" '
                       'stroke-dasharray="3 3"/>')
    if highlight is not None:
        r, c = highlight[0] - origin[0], highlight[1] - origin[1]
        if 0 <= r < rows and 0 <= c < cols:
            out.append(f'<rect x="{left + c * cell + 2}" y="{top + r * cell + 2}" width="{cell - 4}" '
                       f'height="{cell - 4}" fill="none" stroke="#ffbf00" stroke-width="4"/>')
            if arrow is not None and math.hypot(*arrow) > 0:
                dy, dx = arrow
                scale = 1.6 * cell / math.hypot(dy, dx)
                x0, y0 = left + (c + 0.5) * cell, top + (r + 0.5) * cell
                x1, y1 = x0 + dx * scale, y0 + dy * scale
                angle = math.degrees(math.atan2(y1 - y0, x1 - x0))
                out.append(f'<line x1="{x0:.1f}" y1="{y0:.1f}" x2="{x1:.1f}" y2="{y1:.1f}" stroke="#d62728" '
                           'stroke-width="4" stroke-linecap="round"/>')
                out.append(f'<polygon points="0,0 -14,-8 -14,8" fill="#d62728" '
                           f'transform="translate({x1:.1f} {y1:.1f}) rotate({angle:.1f})"/>')
    out.append("</svg>")
    return "".join(out)
