"""Lesson: Measuring objects (a results table like ImageJ's Analyze Particles)."""

import math
from typing import NamedTuple

import numpy as np
import pandas as pd
import streamlit as st

from processing import measure, segmentation
from processing.color import to_gray
from processing.threshold import manual_threshold, otsu_threshold
from ui.cache import cached_step
from ui.charts import CHANNEL_COLOURS, show_chart
from ui.code import show_code
from ui.display import before_after, fit_width, show_image
from ui.exercises import numeric_exercise
from ui.lessons import LESSONS_BY_SLUG
from ui.page import finish_lesson, keep_in_range, start_lesson
from ui.svg import FULL_WIDTH, Line, Marker, line_chart
from ui.url import url_number

lesson, source = start_lesson("measuring")
img = source.image
height, width = img.shape[:2]
is_colour = img.ndim == 3

UNITS = ["px", "µm", "mm", "cm", "m", "in"]
#: Columns a learner can plot, with their axis titles (lengths get the unit added).
PLOTTABLE = ["area", "perimeter", "equivalent_diameter", "circularity", "eccentricity", "mean_intensity"]
#: Beyond ~150 objects the numbers cover the picture: then only the chosen object is numbered.
MAX_NUMBERS = 150
#: Width the line picture is sent at (it is stored at that size).
LINE_WIDTH = 900
#: The histogram and the line profile sit in the wider of two columns (2 : 1): charts made at that width
#: keep their text at about the size of the page's.
WIDE_COLUMN = round(FULL_WIDTH * 2 / 3)
#: The starting settings (Otsu's threshold, bright objects, holes filled): exercise 2's object and
#: exercise 1's size come from them, so their questions do not change while the threshold moves.
STARTING_SETTINGS = (True, 128, False, True)


# ---------------------------------------------------------------- processing steps
# Each step is cached on the image's key and the settings it depends on, so a rerun with nothing changed
# reuses the same read-only results (and their encoded pictures), and a change redoes only what depends on it.
@cached_step(max_entries=8)
def grey_of(source_key: str, _img: np.ndarray) -> np.ndarray:
    return to_gray(_img) if _img.ndim == 3 else _img


class Objects(NamedTuple):
    threshold: int
    labels: np.ndarray
    table: pd.DataFrame  # in pixels, every component (do not modify: it is shared)
    quiz_area: int  # a size between the specks and the objects
    largest_label: int | None
    largest_area: int | None


@cached_step(max_entries=8)
def objects_for(source_key: str, auto: bool, level: int, dark: bool, fill: bool, _gray: np.ndarray) -> Objects:
    """Threshold → (fill holes) → 8-connected components → the table in pixels (with mean grey level)."""
    threshold = otsu_threshold(_gray) if auto else level
    mask = manual_threshold(_gray, threshold=threshold, dark_objects=dark).mask
    if fill:
        mask = segmentation.fill_holes(mask)
    labels, _ = segmentation.connected_components(mask, connectivity=8)
    table = measure.measure_regions(labels, intensity_image=_gray)
    # Exercise 1 asks about a size between the specks and the objects: the median area of the
    # components of 20 pixels or more.
    sizeable = table.loc[table["area"] >= 20, "area"]
    quiz_area = max(10, int(round(sizeable.median() / 10) * 10)) if len(sizeable) else 50
    big = table.loc[table["area"].idxmax()] if len(table) else None
    return Objects(threshold=threshold, labels=labels, table=table, quiz_area=quiz_area,
                   largest_label=None if big is None else int(big["label"]),
                   largest_area=None if big is None else int(big["area"]))


class Kept(NamedTuple):
    labels: np.ndarray  # label image of the kept objects
    table: pd.DataFrame  # their rows, in pixels
    outlined: np.ndarray  # the image with the kept objects tinted
    inside: measure.IntensityStats
    outside: measure.IntensityStats


@cached_step(max_entries=8)
def kept_for(object_key: tuple, area_range: tuple, circularity: tuple, exclude_edge: bool,
             _img: np.ndarray, _gray: np.ndarray, _objects: Objects) -> Kept:
    """The objects that pass the filters, drawn, and the grey levels inside and outside them."""
    kept = measure.filter_regions(_objects.table, area_range=area_range, circularity_range=circularity,
                                  exclude_border=exclude_edge)
    labels = measure.keep_regions(_objects.labels, kept)
    return Kept(labels=labels, table=_objects.table[_objects.table["label"].isin(kept)].reset_index(drop=True),
                outlined=segmentation.overlay_labels(_img, labels),
                inside=measure.mask_statistics(_gray, labels > 0), outside=measure.mask_statistics(_gray, labels == 0))


class Results(NamedTuple):
    table: pd.DataFrame  # calibrated
    summary: measure.RegionSummary
    csv: str


@cached_step(max_entries=16)
def results_for(kept_key: tuple, pixel_size: float, _kept: Kept) -> Results:
    table = measure.calibrate(_kept.table, pixel_size)
    summary = measure.summarize_regions(table, image_shape=_kept.labels.shape, pixel_size=pixel_size)
    return Results(table=table, summary=summary, csv=measure.table_to_csv(table))


@cached_step(max_entries=16)
def numbered_for(kept_key: tuple, chosen: int | None, _kept: Kept) -> np.ndarray:
    """The kept objects numbered as in the table, the chosen one boxed (only it, when there are too many)."""
    table = _kept.table if len(_kept.table) <= MAX_NUMBERS else _kept.table[_kept.table["label"] == chosen]
    return measure.draw_label_numbers(_kept.outlined, table, highlight=chosen)


@cached_step(max_entries=16)
def closeup_for(kept_key: tuple, chosen: int, bbox: tuple, _img: np.ndarray, _kept: Kept) -> np.ndarray:
    return measure.highlight_object(_img, _kept.labels, label=chosen, bbox=bbox)


@cached_step(max_entries=16)
def histogram_svg_for(kept_key: tuple, pixel_size: float, plotted: str, unit: str, _table: pd.DataFrame) -> str:
    """The chosen measurement's histogram over the kept objects, its median marked (made once per setting)."""
    values = _table[plotted].to_numpy(float)
    values = values[np.isfinite(values)]
    counts, edges = np.histogram(values, bins=min(40, max(5, len(values) // 2)))
    # Every bar as an outline up from the axis and back down: (left, 0) (left, n) (right, n) (right, 0).
    xs = np.column_stack([edges[:-1], edges[:-1], edges[1:], edges[1:]]).ravel()
    ys = np.column_stack([np.zeros_like(counts), counts, counts, np.zeros_like(counts)]).ravel()
    median = float(np.median(values)) if len(values) else None
    return line_chart(
        [Line(xs, ys, "#2f6db3", fill=True)],
        x_title=titled(plotted, unit), y_title="objects", x_range=(float(edges[0]), float(edges[-1])),
        y_range=(0, max(int(counts.max()), 4) * 1.04),
        markers=[] if median is None else [Marker(median, f"median {number(median)}", "#d62728", dash=True)],
        title=f"{titled(plotted, unit)} of the {len(values)} objects", width=WIDE_COLUMN, height=260,
    )


@cached_step(max_entries=16)
def profile_svg_for(source_key: str, start: tuple, end: tuple, pixel_size: float, unit: str, _img: np.ndarray) -> str:
    """The values along the line, one line per channel in its own colour (made once per line)."""
    profile = measure.line_profile(_img, start, end, pixel_size=pixel_size)
    names = ("red", "green", "blue") if _img.ndim == 3 else ("grey",)
    values = profile.values.reshape(len(profile.distance), -1)
    few = len(profile.distance) <= 64  # a short line: a dot on every sample shows where the pixels are
    return line_chart(
        [Line(profile.distance, values[:, index], CHANNEL_COLOURS[name], name=name if len(names) > 1 else "",
              dots=few) for index, name in enumerate(names)],
        x_title=f"distance from the start ({unit})", y_title="pixel value", y_range=(0, 255),
        width=WIDE_COLUMN, height=260,
    )


@cached_step(max_entries=16)
def line_picture_for(kept_key: tuple, start: tuple, end: tuple, _kept: Kept) -> np.ndarray:
    """The line over the outlined objects, at the size it is sent to the browser."""
    return fit_width(measure.draw_line(_kept.outlined, start, end, display_width=LINE_WIDTH), max_width=LINE_WIDTH)


class Discs(NamedTuple):
    merged: pd.Series  # the one row of the merged component
    split_count: int
    split_table: pd.DataFrame
    merged_picture: np.ndarray
    split_picture: np.ndarray


@cached_step(max_entries=1)
def discs_demo() -> Discs:
    """Three touching discs: one component for the table, three objects after the watershed."""
    discs = segmentation.touching_discs()
    merged_labels, _ = segmentation.connected_components(discs)
    merged_table = measure.measure_regions(merged_labels)
    split = segmentation.watershed_split(discs)
    split_table = measure.measure_regions(split.labels)
    white = discs.astype(np.uint8) * 255
    return Discs(
        merged=merged_table.iloc[0], split_count=split.count, split_table=split_table,
        merged_picture=measure.draw_label_numbers(segmentation.overlay_labels(white, merged_labels), merged_table,
                                                  display_width=400),
        split_picture=measure.draw_label_numbers(
            segmentation.overlay_labels(white, split.labels, boundaries=split.boundaries), split_table,
            display_width=400),
    )


def unit_of(column: str, unit: str) -> str:
    """The unit of a table column: area in unit², lengths in unit, the rest without unit."""
    if column == "area":
        return f"{unit}²"
    if column in ("perimeter", "equivalent_diameter"):
        return unit
    return ""


def number(value: float) -> str:
    """A measurement for reading: whole numbers with thousands separators from 1000 up, else 4 digits."""
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.4g}"


def titled(column: str, unit: str) -> str:
    suffix = unit_of(column, unit)
    return column.replace("_", " ") + (f" ({suffix})" if suffix else "")


# 1. The idea -------------------------------------------------------------------
st.markdown(
    "Once every object has a label, each one becomes a row of numbers: its **area** (pixel count), its "
    "**perimeter** (length of the outline), its centre, its bounding box, its mean grey level. Ratios of them "
    "describe shape: a circle has the largest area for its perimeter, so"
)
st.latex(r"\text{circularity} = \frac{4\pi \cdot \text{area}}{\text{perimeter}^2} \quad (1 \text{ for a disc, near } 0 \text{ for a thin line})")
st.markdown("Filters on those numbers keep the objects you mean (coins, not specks), and a **pixel size** turns "
            "pixels into micrometres or millimetres.")
try_columns = st.columns(3)
examples = (
    ("Count and size the coins", {"img": "coins", "measuring_auto": "false", "measuring_level": "120",
                                  "measuring_min_area": "100", "measuring_edge": "true"}),
    ("Count the stars in the Hubble deep field", {"img": "hubble", "measuring_min_area": "5",
                                                  "measuring_hist": "mean_intensity"}),
    ("Measure the cell", {"img": "cell"}),
)
for column, (label, query) in zip(try_columns, examples):
    with column:
        st.page_link(lesson.page, label=label, icon=":material/image:", query_params=query)

# 2. Controls -------------------------------------------------------------------
gray = grey_of(source.key, img)


@st.fragment
def measurement_histogram(kept_key: tuple, pixel_size: float, unit: str, table: pd.DataFrame) -> None:
    """Which measurement to plot changes only the chart: it reruns on its own."""
    plotted = st.selectbox("Histogram of", PLOTTABLE, key="measuring_hist", bind="query-params")
    show_chart(histogram_svg_for(kept_key, pixel_size, plotted, unit, table),
               alt=f"Histogram of the {titled(plotted, unit)} of the {len(table)} kept objects, median marked")


@st.fragment
def line_profile_section(kept_key: tuple, kept: Kept, pixel_size: float, unit: str) -> None:
    """The line's end points change only this section: it reruns on its own."""
    st.header("A line profile", anchor=False)
    st.markdown("The intensity along a straight line between two points, sampled about once per pixel "
                "(bilinear interpolation between pixels). Edges of objects show as steps.")
    profile_controls = st.columns(4)
    for key, high in (("measuring_r0", height - 1), ("measuring_c0", width - 1), ("measuring_r1", height - 1),
                      ("measuring_c1", width - 1)):
        keep_in_range(key, 0, high)
    r0 = url_number(profile_controls[0].number_input, "Start row", 0, height - 1, height // 2, key="measuring_r0")
    c0 = url_number(profile_controls[1].number_input, "Start column", 0, width - 1, 0, key="measuring_c0")
    r1 = url_number(profile_controls[2].number_input, "End row", 0, height - 1, height // 2, key="measuring_r1")
    c1 = url_number(profile_controls[3].number_input, "End column", 0, width - 1, width - 1, key="measuring_c1")
    if (r0, c0) == (r1, c1):
        st.info("Start and end are the same pixel, so the profile is a single value: move one end to draw a line.",
                icon=":material/info:")
    line_column, plot_column = st.columns([1, 2])
    with line_column:
        show_image(line_picture_for(kept_key, (r0, c0), (r1, c1), kept), caption="The line (dot: start)",
                   crisp=True, max_width=LINE_WIDTH)
    with plot_column:
        show_chart(profile_svg_for(source.key, (r0, c0), (r1, c1), pixel_size, unit, img),
                   alt=f"Pixel values along the line from row {r0}, column {c0} to row {r1}, column {c1}")


@st.fragment
def measuring_panel() -> tuple[Objects, pd.DataFrame]:
    """Controls, before and after, the results, look closer, the line profile, what to notice and the code.

    A fragment: moving one of its controls reruns only this part of the page (the histogram's choice and
    the line's end points rerun only their own sections). Returns (the objects, the results table).
    """
    controls = st.columns(4)
    auto = controls[0].toggle("Otsu's threshold", value=True, key="measuring_auto", bind="query-params")
    level = controls[0].slider("Threshold level", 0, 255, 128, key="measuring_level", bind="query-params",
                               disabled=auto)
    dark = controls[1].toggle("Dark objects", value=False, key="measuring_dark", bind="query-params",
                              help="Objects darker than the background: keep grey ≤ t.")
    fill = controls[1].toggle("Fill holes", value=True, key="measuring_fill", bind="query-params")
    st.subheader("Filters (like ImageJ's Analyze Particles) and calibration", anchor=False)
    filters = st.columns(4)
    min_area = url_number(filters[0].number_input, "Smallest area (pixels)", 0, 10**8, 50, step=10,
                          key="measuring_min_area")
    max_area = url_number(filters[0].number_input, "Largest area (pixels, 0 = no limit)", 0, 10**8, 0, step=100,
                          key="measuring_max_area")
    circularity = filters[1].slider("Circularity", 0.0, 1.0, (0.0, 1.0), step=0.05, key="measuring_circ",
                                    bind="query-params")
    exclude_edge = filters[1].toggle("Exclude objects on the edge", value=False, key="measuring_edge",
                                     bind="query-params", help="They are cut off, so their measurements are wrong.")
    unit = filters[2].selectbox("Unit", UNITS, key="measuring_unit", bind="query-params",
                                help="px: no calibration. Otherwise give the size of one pixel in that unit.")
    pixel_size = filters[2].number_input("Pixel size (unit per pixel)", min_value=1e-6, max_value=1e6, value=1.0,
                                         step=0.1, format="%g", key="measuring_pixel", bind="query-params",
                                         disabled=unit == "px")
    if unit == "px":
        pixel_size = 1.0

    object_key = (source.key, auto, level, dark, fill)
    objects = objects_for(*object_key, gray)  # no spinner: it costs a thread and two elements on every move
    threshold, table_px = objects.threshold, objects.table
    area_range = (float(min_area), float(max_area) if max_area > 0 else math.inf)
    if area_range[1] < area_range[0]:
        st.warning("The largest area is below the smallest: no object can pass. Raise it, or set 0 for no limit.")
        area_range = (area_range[0], area_range[0])
    kept_key = (*object_key, area_range, tuple(circularity), exclude_edge)
    kept = kept_for(object_key, area_range, tuple(circularity), exclude_edge, img, gray, objects)
    results = results_for(kept_key, pixel_size, kept)
    table, summary = results.table, results.summary

    # The results table (drawn below) chooses the highlighted object; read its selection first.
    selection = st.session_state.get("measuring_table")
    rows = list(selection["selection"]["rows"]) if selection else []
    if rows and rows[0] < len(table):
        chosen = int(table.loc[rows[0], "label"])
    elif len(table):
        chosen = int(table.loc[table["area"].idxmax(), "label"])  # nothing chosen: the largest object
    else:
        chosen = None

    # 3. Before and after -------------------------------------------------------------
    if chosen is None:
        after_caption = "No object passes the filters"
    elif len(table) <= MAX_NUMBERS:
        after_caption = f"{summary.count} objects kept, numbered as in the table (yellow box: object {chosen})"
    else:
        after_caption = (f"{summary.count} objects kept (too many to number: click a table row to box one; "
                         f"yellow box: object {chosen})")
    before_after(img, numbered_for(kept_key, chosen, kept), before_caption="img",
                 after_caption=after_caption, crisp_after=True)
    rejected = len(table_px) - summary.count
    metrics = st.columns(5)
    metrics[0].metric("Count", f"{summary.count}", help=f"{rejected} of {len(table_px)} components filtered out.")
    metrics[1].metric(f"Total area ({unit}²)", number(summary.total_area))
    metrics[2].metric(f"Mean area ({unit}²)", "—" if summary.mean_area is None else number(summary.mean_area))
    metrics[3].metric(f"Median area ({unit}²)", "—" if summary.median_area is None else number(summary.median_area))
    metrics[4].metric("Area fraction", f"{summary.area_fraction:.1%}")

    # The results table, its download and the histogram ---------------------------------
    st.header("Results", anchor=False)
    st.caption(f"Threshold t = {threshold}. Click a row to highlight its object. Positions are in pixels (row, "
               f"column); lengths in {unit}, areas in {unit}².")
    if not len(table):
        st.info(f"The table is empty: of {len(table_px)} connected components none passes the filters. The CSV "
                "download still holds the column names.", icon=":material/info:")
    shown_columns = ["label", "area", "perimeter", "centroid_row", "centroid_col", "bbox_min_row", "bbox_min_col",
                     "bbox_max_row", "bbox_max_col", "equivalent_diameter", "eccentricity", "circularity",
                     "mean_intensity", "touches_border"]
    st.dataframe(
        table[shown_columns].rename(columns={c: titled(c, unit) for c in shown_columns}), key="measuring_table",
        on_select="rerun", selection_mode="single-row", hide_index=True, height=300,
        column_config={titled(c, unit): st.column_config.NumberColumn(format="%.4g")
                       for c in ("area", "perimeter", "equivalent_diameter")}
        | {c: st.column_config.NumberColumn(format="%.1f") for c in ("centroid_row", "centroid_col", "mean_intensity")}
        | {c: st.column_config.NumberColumn(format="%.3f") for c in ("eccentricity", "circularity")},
    )
    table_column, chart_column = st.columns([1, 2])
    with table_column:
        st.download_button("Download the table (CSV)", results.csv, file_name="pixel-lab-objects.csv",
                           mime="text/csv", icon=":material/download:")
        if len(table):
            st.caption(f"{len(table)} rows: the objects that pass the filters, in {unit}.")
    with chart_column:
        measurement_histogram(kept_key, pixel_size, unit, table)

    # 4. Look closer: one object ---------------------------------------------------------
    st.header("Look closer: one object's numbers", anchor=False)
    if chosen is None:
        st.info("No object passes the filters: lower the smallest area, widen the circularity range or move the "
                "threshold.", icon=":material/info:")
    else:
        row = table[table["label"] == chosen].iloc[0]
        row_px = table_px[table_px["label"] == chosen].iloc[0]
        bbox = tuple(int(row[c]) for c in ("bbox_min_row", "bbox_min_col", "bbox_max_row", "bbox_max_col"))
        close_columns = st.columns([1, 2])
        with close_columns[0]:
            show_image(closeup_for(kept_key, chosen, bbox, img, kept), crisp=True, max_width=400,
                       caption=f"Object {chosen}: rows {bbox[0]}-{bbox[2] - 1}, columns {bbox[1]}-{bbox[3] - 1}")
        with close_columns[1]:
            st.markdown(
                f"Object **{chosen}** covers **{int(row_px['area']):,} pixels**"
                + (f" of {pixel_size:g} × {pixel_size:g} {unit}², so its area is {number(row['area'])} {unit}²"
                   if unit != "px" else "")
                + f". Its outline, traced through the centres of its edge pixels, is {row_px['perimeter']:,.1f} px "
                f"long. So circularity = 4π · {int(row_px['area']):,} / {row_px['perimeter']:,.1f}² = "
                f"**{row['circularity']:.3f}** (capped at 1: tiny objects' staircase outlines make the ratio "
                f"meaningless). A disc of the same area would be {number(row['equivalent_diameter'])} {unit} across. "
                f"Its centroid is at row {row['centroid_row']:.1f}, column {row['centroid_col']:.1f}; its mean grey "
                f"level is {row['mean_intensity']:.1f}"
                + (" and it **touches the edge**, so it is probably cut off." if row["touches_border"] else ".")
            )

    # Line profile (drawn over the kept objects, so it reruns with them too) -------------------
    line_profile_section(kept_key, kept, pixel_size, unit)

    # Intensity inside the mask ----------------------------------------------------------------
    st.subheader("Grey levels inside and outside the objects", anchor=False)
    inside, outside = kept.inside, kept.outside
    # One markdown table: a second data grid would cost the browser several times more on every move.
    rows = []
    for name, stats in (("inside the kept objects", inside), ("everywhere else", outside)):
        if stats.count:
            rows.append(f"| {name} | {stats.count:,} | {stats.mean:.1f} | {stats.std:.1f} | {stats.min} | "
                        f"{stats.median:.1f} | {stats.max} |")
        else:  # an empty region has no grey levels to describe
            rows.append(f"| {name} | 0 | — | — | — | — | — |")
    st.markdown("| region | pixels | mean | std | min | median | max |\n|:--|--:|--:|--:|--:|--:|--:|\n"
                + "\n".join(rows))

    # 5. What to notice ------------------------------------------------------------------------
    st.subheader("What to notice", anchor=False)
    if summary.count == 0:
        st.markdown(f"Of {len(table_px)} connected components none passes the filters, so there is nothing to "
                    "summarise: every number above is empty or zero, not an error.")
    else:
        specks = int((table_px["area"] < min_area).sum())
        on_edge = int(kept.table["touches_border"].sum())
        st.markdown(
            f"The threshold made {len(table_px)} components; {specks} of them are smaller than {min_area} pixels "
            f"and {summary.count} pass all filters. Their areas run from {number(table['area'].min())} to "
            f"{number(table['area'].max())} {unit}² (median {number(summary.median_area)}), together "
            f"{summary.area_fraction:.1%} of the image. "
            + (f"{on_edge} of the kept objects {'touches' if on_edge == 1 else 'touch'} the edge: switch on "
               "*Exclude objects on the edge* to drop them."
               if on_edge else "None of the kept objects touches the edge.")
        )

    # The code, right under the result it reproduces --------------------------------------------
    grey_line = "gray = cv2.cvtColor(img, cv2.COLOR_RGB2GRAY)\n" if is_colour else "gray = img\n"
    flag = "cv2.THRESH_BINARY_INV" if dark else "cv2.THRESH_BINARY"
    sign = "≤" if dark else ">"
    threshold_line = (f"t, mask = cv2.threshold(gray, 0, 255, {flag} + cv2.THRESH_OTSU)  # Otsu: t = {threshold}\n"
                      if auto else
                      f"t, mask = cv2.threshold(gray, {level}, 255, {flag})  # 255 where gray {sign} {level}\n")
    filters_code = [f'table["area"].between({min_area}, {"np.inf" if max_area == 0 else max(max_area, min_area)})',
                    f'table["circularity"].between({circularity[0]:g}, {circularity[1]:g})']
    if exclude_edge:
        filters_code.append('~table["touches_border"]')
    body = (
        "import pandas as pd\nimport scipy.ndimage as ndi\nfrom skimage.measure import regionprops_table\n\n"
        + grey_line + threshold_line
        + ("mask = ndi.binary_fill_holes(mask > 0)\n" if fill else "mask = mask > 0\n")
        + "n, labels = cv2.connectedComponents(mask.astype(np.uint8), connectivity=8, ltype=cv2.CV_32S)\n"
        "table = pd.DataFrame(regionprops_table(labels, gray, properties=(\n"
        '    "label", "area", "perimeter", "centroid", "bbox", "equivalent_diameter_area", "eccentricity",\n'
        '    "intensity_mean")))\n'
        'table["circularity"] = np.minimum(4 * np.pi * table["area"] / table["perimeter"] ** 2, 1)\n'
        "h, w = labels.shape\n"
        'table["touches_border"] = ((table["bbox-0"] == 0) | (table["bbox-1"] == 0)\n'
        '                           | (table["bbox-2"] == h) | (table["bbox-3"] == w))\n'
        "keep = (" + "\n        & ".join(filters_code) + ")\n"
        "table = table[keep]\n"
        + (f"pixel_size = {pixel_size:g}  # {unit} per pixel\n"
           'table["area"] *= pixel_size ** 2\n'
           'table["perimeter"] *= pixel_size\n'
           'table["equivalent_diameter_area"] *= pixel_size\n' if unit != "px" else "")
        + '# table.to_csv("objects.csv", index=False)  # save the results table\n'
        'result = np.where(np.isin(labels, table["label"]), labels, 0)  # the kept objects, numbered as in the table\n'
    )
    show_code(body, source=source, result=kept.labels)
    return objects, table


st.subheader("Objects: threshold, then connected components", anchor=False)
objects, table = measuring_panel()

# 6. Where it breaks -------------------------------------------------------------------------
st.header("Where it breaks: touching objects are measured as one", anchor=False)
discs = discs_demo()
merged, split_table = discs.merged, discs.split_table
st.markdown(
    f"Three overlapping discs are one connected component: the table reports **one object** of "
    f"{merged['area']:,.0f} px with circularity {merged['circularity']:.2f} and eccentricity "
    f"{merged['eccentricity']:.2f}, a shape that does not exist. Split by the watershed, they are "
    f"{discs.split_count} objects of {', '.join(f'{a:,.0f}' for a in split_table['area'])} px with circularities "
    f"{', '.join(f'{c:.2f}' for c in split_table['circularity'])}."
)
break_columns = st.columns(3)
with break_columns[0]:
    show_image(discs.merged_picture, crisp=True, caption="Connected components: 1 object")
with break_columns[1]:
    show_image(discs.split_picture, crisp=True, caption=f"Watershed: {discs.split_count} objects")
segmentation_lesson = LESSONS_BY_SLUG["segmentation"]
st.page_link(segmentation_lesson.page, label="Segmentation: split touching objects with the watershed",
             icon=segmentation_lesson.icon, query_params={"segmentation_method": "watershed", "img": "coins"})

# 8. Check yourself ---------------------------------------------------------------------------------
# The questions quote only numbers of the starting settings, which the controls above do not change; the
# answers of 1 and 3 come from the current settings when "Check" reruns the page.
st.header("Check yourself", anchor=False)
starting = objects_for(source.key, *STARTING_SETTINGS, gray)
quiz_area = starting.quiz_area
# Exercise 1 counts what the filters would keep: at least quiz_area pixels, not on the edge.
quiz_count = len(measure.filter_regions(objects.table, area_range=(quiz_area, math.inf), exclude_border=True))
numeric_exercise(
    "measuring_count", number=1,
    question=f"With the threshold as it is when you press Check, how many objects have an area of at least "
    f"**{quiz_area} pixels** and do **not** touch the image edge?",
    answer=quiz_count, hint=f"Set the smallest area to {quiz_area}, the largest to 0, the circularity to 0-1, "
    "switch on *Exclude objects on the edge* and read the count.",
    explanation=f"{quiz_count} objects: the filters work on the table's rows, exactly like Analyze Particles.",
)
if starting.largest_label is not None:
    quiz_pixels = starting.largest_area
    subject = (f"With the starting settings (Otsu's threshold, bright objects, holes filled), the largest "
               f"component of this image covers {quiz_pixels:,} pixels.")
else:
    quiz_pixels = 400
    subject = "An object covers 400 pixels."
numeric_exercise(
    "measuring_calibrate", number=2,
    question=f"{subject} If one pixel is 0.5 mm wide, what is its area in mm²?",
    answer=quiz_pixels * 0.25, tolerance=0.01, step=0.01,
    hint="A pixel 0.5 mm wide is a square of 0.5 × 0.5 mm: areas scale with the pixel size squared.",
    explanation=f"{quiz_pixels:,} × 0.5² = {quiz_pixels * 0.25:,g} mm². Lengths scale by 0.5, areas by 0.25.",
)
most_elongated = int(table.loc[table["eccentricity"].idxmax(), "label"]) if len(table) else 0
numeric_exercise(
    "measuring_elongated", number=3,
    question="Among the objects in the results table now (after your filters), which one is the most elongated "
    "(highest eccentricity)? Type its label, or 0 if the table is empty.",
    answer=most_elongated, hint="Click the eccentricity column's header to sort the table.",
    explanation=f"Object {most_elongated}" + (
        f", eccentricity {table['eccentricity'].max():.3f} (0 is a disc, 1 a line)." if len(table) else "."),
)

finish_lesson("measuring")
