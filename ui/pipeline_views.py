"""The pipeline lab's pictures: every step as a thumbnail with its histogram (or a note), the chosen step large
with its before and after, the look-closer view of the lesson it comes from, and what to notice.

Masks, label images and tables get a note instead of a histogram (a histogram of True/False or of object
numbers says nothing); a label image is drawn in colours (`processing.segmentation.label_to_rgb`), a table as
the histogram of its objects' areas. Every picture comes out of a cached step, so a rerun re-sends it unencoded.
"""

from __future__ import annotations

import base64
import functools
import re
from typing import Any

import numpy as np
import streamlit as st

from processing import measure, morphology, pipeline, segmentation, threshold
from processing.stats import CHANNEL_NAMES
from ui.alt import check_alt, curve_points, picture_alt, values_spread
from ui.cache import ArrayMemo, step
from ui.charts import (
    CHANNEL_COLOURS,
    histogram_alt,
    histogram_options,
    histogram_svg,
    image_histograms,
    measurement_histogram_svg,
    row_profile_svg,
    show_chart,
    show_threshold_histogram,
    transfer_curve_svg,
)
from ui.display import DISPLAY_WIDTH, encode_for_display, mask_share, show_image
from ui.pipeline_editor import Run, show
from ui.svg import AXIS_COLOUR, FONT, HALF_WIDTH, TEXT_COLOUR

#: Widest thumbnail sent to the browser, and the width of a cell of the strip on the page.
THUMB_WIDTH, CELL_WIDTH = 300, 132
#: The key of the control that selects the step shown large.
STRIP_KEY = "pipeline_look"
_CELLS = ArrayMemo(max_entries=256)
_LARGE = ArrayMemo(max_entries=64)
#: Height of the step shown large's histograms, in chart pixels (their width is `ui.svg.HALF_WIDTH`).
LARGE_HISTOGRAM_HEIGHT = 200
_INLINE = ArrayMemo(max_entries=256)
_POINT_OPERATIONS = ("linear", "gamma", "invert", "stretch", "equalise")
_MORPHOLOGY = ("erode", "dilate", "open", "close", "morph_gradient", "tophat", "blackhat")


def inline_image(image: np.ndarray, *, alt: str, crisp: bool | None = None, max_width: int = THUMB_WIDTH) -> None:
    """A small picture at its own width (at most `max_width`, less on a narrow screen), sent inside the page's
    update as a data URL (`inline_url`). It has no caption: Streamlit gives a caption the picture's width, so a
    captioned picture would keep that width on a phone, wider than the screen."""
    st.image(inline_url(image, crisp=crisp, max_width=max_width), alt=check_alt(alt),
             width=min(image.shape[1], max_width))


def inline_url(image: np.ndarray, *, crisp: bool | None, max_width: int) -> str:
    """A picture as a data URL, encoded once per read-only array.

    A picture shown with `show_image` is fetched by the browser in a request of its own after the update arrives;
    the pipeline's pictures change several at once when a step's setting moves. Inline they need no request
    (measured on the loaded 2-core machine: median 235 ms against 251 ms per slider move, a small gain).
    """
    return _INLINE.get(image, (crisp, max_width),
                       lambda: _data_url(encode_for_display(image, crisp=crisp, max_width=max_width)))


def _data_url(data: bytes) -> str:
    kind = "png" if data.startswith(b"\x89PNG") else "jpeg"
    return f"data:image/{kind};base64,{base64.b64encode(data).decode('ascii')}"


def picture(value: Any, kind: str | None) -> np.ndarray | None:
    """What to draw for a step's output: images and masks as they are, a label image in colours, else None."""
    if kind in ("colour", "grey", "mask"):
        return value
    if kind == "labels":
        return step(segmentation.label_to_rgb, value)
    return None


def note(value: Any, kind: str | None) -> str | None:
    """What to write under a picture instead of a histogram (None: draw the histogram)."""
    if kind == "mask":
        return mask_share(value)
    if kind == "labels":
        stats = step(segmentation.area_stats, value)
        if not stats.count:
            return "Label image: no objects (every pixel is background, 0)."
        return (f"Label image: {stats.count} object{'s' * (stats.count != 1)}, areas {stats.smallest:,} to "
                f"{stats.largest:,} pixels (median {stats.median:,.0f}); colours repeat every 10 labels.")
    if kind == "table":
        return f"Table: {len(value)} row{'s' * (len(value) != 1)}, one per object, {len(value.columns)} columns."
    return None


def mini_histogram_svg(counts: np.ndarray, channels: tuple[str, ...], *, log_scale: bool = False,
                       cumulative: bool = False, width: int = 220, height: int = 70) -> str:
    """A histogram small enough to sit under a thumbnail, as SVG: each channel's counts as a filled outline in its
    colour (scaled to the tallest), levels 0-255 across (marked at both ends), the cumulative share dashed.

    Parameters
    ----------
    counts : ndarray
        int, shape ``(C, 256)`` (`ui.charts.image_histograms`).
    channels : tuple of str
        Their names, keys of ``ui.charts.CHANNEL_COLOURS``.
    log_scale, cumulative : bool
        The sidebar's histogram switches.
    width, height : int
        Size in chart pixels.
    """
    counts = np.asarray(counts, dtype=np.float64)
    values = np.log1p(counts) if log_scale else counts
    top = max(float(values.max()), 1.0)
    left, right, plot_h = 4.0, width - 4.0, height - 16.0
    xs = left + (np.arange(256) + 0.5) * (right - left) / 256
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
             f'height="{height}" font-family="{FONT}" font-size="11">',
             f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>']
    for name, row in zip(channels, values):
        ys = plot_h - row / top * (plot_h - 2)
        points = " ".join(f"{x:.1f},{y:.1f}" for x, y in zip(xs, ys))
        colour = CHANNEL_COLOURS[name]
        parts.append(f'<polygon points="{left:.1f},{plot_h:.1f} {points} {right:.1f},{plot_h:.1f}" fill="{colour}" '
                     f'fill-opacity="0.25" stroke="{colour}" stroke-width="1"/>')
        if cumulative:
            share = np.cumsum(counts[channels.index(name)]) / max(float(counts[channels.index(name)].sum()), 1.0)
            line = " ".join(f"{x:.1f},{plot_h - s * (plot_h - 2):.1f}" for x, s in zip(xs, share))
            parts.append(f'<polyline points="{line}" fill="none" stroke="{colour}" stroke-dasharray="3 2"/>')
    parts.append(f'<line x1="{left}" y1="{plot_h}" x2="{right}" y2="{plot_h}" stroke="{AXIS_COLOUR}"/>')
    parts.append(f'<text x="{left}" y="{height - 3}" fill="{TEXT_COLOUR}">0</text>')
    parts.append(f'<text x="{right}" y="{height - 3}" fill="{TEXT_COLOUR}" text-anchor="end">255</text>')
    parts.append(f'<text x="{width / 2}" y="{height - 3}" fill="{TEXT_COLOUR}" text-anchor="middle">level</text>')
    return "".join(parts) + "</svg>"


def _area_chart(table: Any, width: int) -> None:
    if len(table):
        count = len(table)
        show_chart(step(measurement_histogram_svg, table, "area", title="area (px²)", width=width, height=200),
                   alt=f"Histogram of the areas of the {count} object{'s' * (count != 1)} in the table (px²): "
                   + values_spread(table["area"].to_numpy(dtype=float)))


def short_note(value: Any, kind: str | None) -> str | None:
    """What a thumbnail's caption says instead of a histogram (None: an image, with a histogram)."""
    if kind == "mask":
        return f"mask: {np.count_nonzero(value) / value.size:.1%} white"
    if kind == "labels":
        count = step(segmentation.area_stats, value).count
        return f"label image: {count} object{'s' * (count != 1)}"
    if kind == "table":
        return f"table: {len(value)} row{'s' * (len(value) != 1)}"
    return None


def _nested(svg: str, *, y: float, width: float, height: float) -> str:
    """An SVG document placed inside another at height `y`, scaled to `width` × `height` (its viewBox stays)."""
    opening = re.match(r"<svg[^>]*>", svg).group(0)
    attributes = re.sub(r'\s(x|y|width|height)="[^"]*"', "", opening[4:-1])
    return f'<svg x="0" y="{y:.0f}" width="{width:.0f}" height="{height:.0f}"{attributes}>{svg[len(opening):]}'


def _picture_over_chart(url: str, *, width: int, high: int, chart: str = "", gap: int = 0, chart_height: int = 0,
                        crisp: bool = False) -> str:
    """One SVG: the picture at `url`, `width` × `high`, and under it (`gap` lower) `chart` scaled to `width` ×
    `chart_height` (none if `chart` is empty). A crisp picture (a mask, labels) is scaled without smoothing."""
    total = high + gap + chart_height if chart else high
    rendering = ' style="image-rendering: pixelated"' if crisp else ""
    below = _nested(chart, y=high + gap, width=width, height=chart_height) if chart else ""
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {total}" width="{width}" '
            f'height="{total}"><image href="{url}" x="0" y="0" width="{width}" height="{high}" '
            f'preserveAspectRatio="xMidYMid meet"{rendering}/>{below}</svg>')


def _placeholder_svg(*lines: str) -> str:
    """A grey cell of the strip that says, in short lines, why it has no picture."""
    width, top = CELL_WIDTH, 49 - 8 * (len(lines) - 1)
    text = "".join(f'<text x="{width / 2}" y="{top + 16 * row}" text-anchor="middle" fill="{TEXT_COLOUR}">{line}</text>'
                   for row, line in enumerate(lines))
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} 90" width="{width}" height="90" '
            f'font-family="{FONT}" font-size="12"><rect width="{width}" height="90" fill="#eeeeee"/>{text}</svg>')


def strip_cell_svg(value: Any, kind: str | None, *, with_histogram: bool) -> str:
    """One cell of the strip as one SVG: the step's picture, with its mini histogram under it if `with_histogram`
    (an image; a mask or a label image has a note in its caption instead), or a table's area histogram."""
    width = CELL_WIDTH
    shown = picture(value, kind)
    if shown is None:  # a table: its objects' areas
        if not len(value):
            return _placeholder_svg("no objects")
        chart = step(measurement_histogram_svg, value, "area", title="area (px²)", width=300, height=200)
        return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {width * 2 / 3:.0f}" width="{width}" '
                f'height="{width * 2 / 3:.0f}">' + _nested(chart, y=0, width=width, height=width * 2 / 3) + "</svg>")
    crisp = kind in ("mask", "labels")
    url = inline_url(shown, crisp=crisp, max_width=THUMB_WIDTH)
    high = round(width * min(shown.shape[0] / shown.shape[1], 1.5))
    if not with_histogram:
        return _picture_over_chart(url, width=width, high=high, crisp=crisp)
    log_scale, cumulative = histogram_options()
    chart = mini_histogram_svg(image_histograms(value), CHANNEL_NAMES[value.ndim], log_scale=log_scale,
                               cumulative=cumulative)
    return _picture_over_chart(url, width=width, high=high, chart=chart, gap=4,
                               chart_height=round(width * 70 / 220), crisp=crisp)  # mini_histogram_svg's proportions


def strip_cell(name: str, value: Any, kind: str | None, problem: str | None, *, alt_name: str) -> tuple[str, str, str]:
    """One cell of the strip: its picture (`strip_cell_svg`, or a grey box for a step that cannot run), its
    caption (`name` and what the step gave) and its alt text (starting with `alt_name`)."""
    if problem:
        waits = "waits" in problem
        words = "waits for an earlier step" if waits else "cannot run (see why below)"
        svg = _placeholder_svg(*(("waits for an", "earlier step") if waits else ("cannot run",)))
        return svg, f"{name} · {words}", check_alt(f"{alt_name}: {words}, no picture")
    text = short_note(value, kind)
    svg = strip_cell_svg(value, kind, with_histogram=text is None)
    if kind == "table":
        alt = f"{alt_name}: an empty table, no objects"
        if len(value):
            alt = (f"{alt_name}: histogram of the areas of the {len(value)} objects in the table (px²): "
                   + values_spread(value["area"].to_numpy(dtype=float)))
        return svg, f"{name} · {text}", check_alt(alt)
    size = f"{value.shape[1]} × {value.shape[0]}"
    alt = f"{alt_name}: {pipeline.KIND_NAMES[kind]}, {size} pixels"
    if text:
        return svg, f"{name} · {text}", check_alt(f"{alt}, {text}")
    scale = " (log scale)" if histogram_options()[0] else ""
    histogram = histogram_alt(image_histograms(value), CHANNEL_NAMES[value.ndim])
    return svg, f"{name} · {pipeline.KIND_NAMES[kind]}, {size}", check_alt(f"{alt}; under it: {histogram}{scale}")


def strip(title: str, image: np.ndarray, runs: list[Run], selected: int) -> None:
    """Every step in a row (the input first), each its picture with its histogram or a note, and one control
    that selects the step shown large. One control and one list of pictures: the browser redraws two elements,
    not four per step, when a setting moves. A cell of a read-only array (a cached step's output) is made once."""
    cells = [(0, "Input", image, pipeline.kind_of(image), None)]
    cells += [(r.number, f"{r.number}. {r.step.type.title}", r.output, r.kind, r.problem) for r in runs]
    names = {number: name for number, name, *_ in cells}
    st.session_state[STRIP_KEY] = selected
    st.segmented_control("Step shown large", list(names), format_func=names.get, key=STRIP_KEY, required=True,
                         on_change=lambda: show(st.session_state[STRIP_KEY]), width="stretch")
    made = []
    for number, name, value, kind, problem in cells:
        alt_name = name if number else f"Input ({title})"
        make = functools.partial(strip_cell, name, value, kind, problem, alt_name=alt_name)
        made.append(_CELLS.get(value, (name, alt_name, kind, problem, histogram_options()), make)
                    if isinstance(value, np.ndarray) else make())
    pictures, captions, alts = zip(*made)
    st.image(list(pictures), caption=list(captions), alt=list(alts), width=CELL_WIDTH)


def large_picture(value: Any, kind: str | None, *, caption: str, alt_name: str) -> tuple[str, str, str]:
    """One side of the step shown large as one picture: an image with its histogram under it in the same SVG
    (one element for the browser to redraw, not two), a mask or label image with its note in the caption.
    Returns the picture (an SVG or a data URL), its caption and its alt text (starting with `alt_name`)."""
    shown = picture(value, kind)
    url = inline_url(shown, crisp=kind in ("mask", "labels"), max_width=DISPLAY_WIDTH)
    words = note(value, kind)
    if words is not None:
        return url, f"{caption} · {words}", check_alt(f"{picture_alt(alt_name, shown)}; {words}")
    log_scale, cumulative = histogram_options()
    channels = CHANNEL_NAMES[value.ndim]
    counts = image_histograms(value)
    chart = histogram_svg(counts, channels=channels, log_scale=log_scale, cumulative=cumulative, width=HALF_WIDTH,
                          height=LARGE_HISTOGRAM_HEIGHT)
    svg = _picture_over_chart(url, width=HALF_WIDTH, high=round(HALF_WIDTH * value.shape[0] / value.shape[1]),
                              chart=chart, gap=8, chart_height=LARGE_HISTOGRAM_HEIGHT)
    scale = " (log scale)" if log_scale else ""
    alt = f"{picture_alt(alt_name, value)}; under it: {histogram_alt(counts, channels)}{scale}"
    return svg, caption, check_alt(alt)


def _caption(value: Any, kind: str | None, what: str) -> str:
    size = f"{value.shape[1]} × {value.shape[0]}" if isinstance(value, np.ndarray) else ""
    return f"{what}: {pipeline.KIND_NAMES.get(kind, '')}" + (f", {size} pixels" if size else "")


def large_view(title: str, image: np.ndarray, runs: list[Run], shown: int) -> None:
    """The step shown large: its input and output side by side, each one picture with its histogram (or a note in
    its caption). A picture of a read-only array (a cached step's output) is made once."""
    if shown == 0:
        st.subheader(f"The input: {title}", anchor=False)
        kind = pipeline.kind_of(image)
        sides = [(image, kind, _caption(image, kind, "Input"), f"The input picture ({title})"),
                 (image, kind, "…and the same input, before any step", "The same input picture")]
    else:
        outcome = runs[shown - 1]
        st.subheader(f"Step {shown}: {outcome.step.describe()}", anchor=False)
        if outcome.problem:
            st.warning(outcome.problem, icon=":material/block:")
            return
        sides = [(outcome.input, outcome.input_kind, _caption(outcome.input, outcome.input_kind, "Before (its input)"),
                  f"Before step {shown} (its input)"),
                 (outcome.output, outcome.kind, _caption(outcome.output, outcome.kind, "After (its output)"),
                  f"After step {shown} (its output)")]
    left, right = st.columns(2, gap="medium")
    (before, before_kind, before_caption, _), (after, after_kind, _, _) = sides
    if after_kind == "table":
        with left:
            show_image(picture(before, before_kind), caption=before_caption, crisp=True)
            st.caption(note(before, before_kind))
        with right:
            st.dataframe(after, height=300, hide_index=True)
            st.caption(note(after, after_kind))
        return
    for column, (value, value_kind, caption, alt_name) in zip((left, right), sides):
        make = functools.partial(large_picture, value, value_kind, caption=caption, alt_name=alt_name)
        made = _LARGE.get(value, (value_kind, caption, alt_name, histogram_options()), make)
        column.image(made[0], caption=made[1], alt=made[2], width="stretch")


# --------------------------------------------------------------------------- look closer


def _threshold_view(outcome: Run) -> None:
    settings, otsu = outcome.step.settings, outcome.step.name == "otsu"
    t = int(outcome.whole.threshold) if otsu else settings["t"]
    view, words = st.columns(2, gap="medium")
    words.markdown(f"**The threshold on the histogram** (as in the thresholding lesson): t = {t}; the red band is the "
                   f"range of levels it selects, {outcome.whole.fraction:.1%} of the pixels.")
    with view:
        show_threshold_histogram(outcome.input, lines=[(t, "Otsu t" if otsu else "t", "#d62728")],
                                 selected=(t, settings["dark"]))


def _adaptive_view(outcome: Run) -> None:
    settings, source = outcome.step.settings, outcome.input
    local = step(threshold.adaptive_selection, source, method=settings["method"], block_size=settings["block"],
                 offset=settings["offset"], dark_objects=settings["dark"])
    row = source.shape[0] // 2
    otsu_t = step(threshold.otsu_threshold, source)
    st.markdown(f"**One row, two kinds of threshold** (as in the thresholding lesson): the local threshold follows "
                f"the light, from {local.low} to {local.high} on this image; Otsu's one number is {otsu_t}.")
    show_chart(step(row_profile_svg, source, local.surface, row=row, global_t=otsu_t,
                    surface_name=f"local threshold ({settings['method']}, C = {settings['offset']})"),
               alt=f"Grey levels along row {row} against the local threshold and Otsu's t = {otsu_t}")


def _curve_view(outcome: Run) -> None:
    view, words = st.columns(2, gap="medium")
    words.markdown("**The transfer curve** (as in the histograms lesson): every input level goes to one output "
                   "level; the dashed line would change nothing. Where the curve is steep, levels are spread "
                   "apart; where it is flat, they are squeezed together.")
    with view:
        show_chart(step(transfer_curve_svg, outcome.whole.lut, title=outcome.step.type.title),
                   alt=f"Transfer curve of {outcome.step.type.title}, output level against input level: "
                       f"{curve_points(outcome.whole.lut)}")


def _element_view(outcome: Run) -> None:
    shape, size = outcome.step.settings["shape"], outcome.step.settings["size"]
    footprint = step(morphology.structuring_element, shape, size=size)
    view, words = st.columns([1, 3], gap="medium")
    words.markdown(f"**The structuring element** (as in the morphology lesson): {size} × {size} {shape}, "
                   f"{int(footprint.sum())} cells; its centre is framed. Erosion keeps a pixel where the element "
                   "fits inside the white; dilation adds every pixel it touches.")
    with view:
        show_image(step(morphology.element_picture, footprint, cell=max(4, min(24, 240 // size))),
                   caption="The structuring element", crisp=True, max_width=260)


def _kernel_view(outcome: Run) -> None:
    kernel = pipeline.arguments(outcome.step, outcome.input_kind)["kernel"]
    view, words = st.columns([1, 2], gap="medium")
    words.markdown(f"**The kernel's weights** (as in the convolution lesson): they sum to {kernel.sum():g}; each "
                   "output pixel is this weighted sum of its neighbourhood, before the values outside 0-255 are "
                   "mapped for display.")
    view.dataframe(kernel, hide_index=True, width="content")


def _sizes_view(outcome: Run) -> None:
    table = outcome.output if outcome.kind == "table" else step(measure.measure_regions, outcome.output)
    view, words = st.columns(2, gap="medium")
    words.markdown(f"**The objects' sizes** (as in the segmentation and measuring lessons): {len(table)} objects. "
                   "One bar far to the right of the others is often several objects joined into one, a bar at the "
                   "left specks that survived.")
    with view:
        _area_chart(table, HALF_WIDTH)


#: The look-closer view of the lesson a step comes from, by step type (a label image or table: `_sizes_view`).
_LESSON_VIEWS = {"threshold": _threshold_view, "otsu": _threshold_view, "adaptive": _adaptive_view} | {
    name: _curve_view for name in _POINT_OPERATIONS} | {name: _element_view for name in _MORPHOLOGY} | {
    "kernel": _kernel_view}


def look_closer(outcome: Run) -> None:
    """Under the heading "Look closer": the look-closer view of the lesson the step comes from, where one exists (a
    chart beside its explanation), then where the step changed its input the most, enlarged. Without a lesson's
    view the heading opens the first text (one element fewer for the browser to redraw on every move)."""
    lesson_view = _LESSON_VIEWS.get(outcome.step.name) or (_sizes_view if outcome.kind in ("labels", "table")
                                                           else None)
    heading = "### Look closer\n\n"
    if lesson_view is not None:
        st.subheader("Look closer", anchor=False)
        lesson_view(outcome)
        heading = ""
    source = outcome.input
    change = step(pipeline.change_share, source, outcome.output)
    if change:
        closer = step(pipeline.close_up, source, outcome.output)
        st.markdown(f"{heading}**Where this step changed the most**: {change:.1%} of the pixels changed; in the "
                    f"{closer.size} × {closer.size} window around row {closer.row}, column {closer.col} the level "
                    f"moved by {closer.mean_change:.1f} on average. That window before (left) and after (right), "
                    "enlarged: every pixel a square.")
        alt = (f"The {closer.size} × {closer.size} window around row {closer.row}, column {closer.col}, before and "
               "after the step, enlarged")
        inline_image(closer.pair, alt=alt, crisp=True, max_width=520)
    elif change == 0.0:
        st.markdown(f"{heading}**This step changed no pixel** of this input.")
    elif heading:  # no lesson's view, and no pixel-by-pixel comparison: say why
        st.markdown(f"{heading}**No pixel-by-pixel comparison here:** this step turns a "
                    f"{_size_and_kind(source, outcome.input_kind)} into a "
                    f"{_size_and_kind(outcome.output, outcome.kind)}. Compare the two pictures above.")


def _size_and_kind(value: Any, kind: str | None) -> str:
    """"grey image of 384 × 303 pixels" (the size only for an array), to follow "a"."""
    size = f" of {value.shape[1]} × {value.shape[0]} pixels" if isinstance(value, np.ndarray) else ""
    return f"{pipeline.KIND_NAMES.get(kind, 'input')}{size}"


# --------------------------------------------------------------------------- what to notice


def notice(title: str, image: np.ndarray, runs: list[Run]) -> str:
    """Two or three sentences about the pipeline on screen, with its numbers."""
    kind = pipeline.kind_of(image)
    text = f"The input, {title}, is a {_size_and_kind(image, kind)}. "
    if not runs:
        return text + "The pipeline has no steps yet: add one above, or load a starting pipeline."
    broken = next((r for r in runs if r.problem), None)
    if broken is not None:
        return text + (f"Step {broken.number} ({broken.step.type.title}) cannot run on its input, so the "
                       f"{len(runs) - broken.number} step(s) after it wait: {broken.problem}")
    last = runs[-1]
    text += f"After {len(runs)} step{'s' * (len(runs) != 1)} it is a {pipeline.KIND_NAMES[last.kind]}"
    if last.kind == "mask":
        text += f" selecting {np.count_nonzero(last.output) / last.output.size:.1%} of the pixels. "
    elif last.kind == "labels":
        count = step(segmentation.area_stats, last.output).count
        text += f" of {count} object{'s' * (count != 1)}. "
    elif last.kind == "table":
        text += f" with {len(last.output)} row{'s' * (len(last.output) != 1)}, one per object. "
    else:
        text += f" of {last.output.shape[1]} × {last.output.shape[0]} pixels. "
    shares = [(step(pipeline.change_share, r.input, r.output), r) for r in runs]
    shares = [(share, r) for share, r in shares if share is not None]
    if shares:
        share, biggest = max(shares, key=lambda pair: pair[0])
        text += (f"Of the steps that keep the kind of their input, step {biggest.number} ({biggest.step.type.title}) "
                 f"changes the most: {share:.1%} of the pixels. ")
    kinds = [r.kind for r in runs]
    if "mask" in kinds:
        first = runs[kinds.index("mask")]
        text += (f"The image becomes a mask at step {first.number}: from there on every pixel is True or False, so "
                 "its histogram would say nothing and a note takes its place.")
    return text
