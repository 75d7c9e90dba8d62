"""Lesson: Measuring objects (a results table like ImageJ's Analyze Particles).

Processing: processing/measure.py, processing/segmentation.py (threshold to objects).
Tests: tests/app/test_measuring.py, tests/processing/test_measure.py.
"""

import functools
import math

import pandas as pd
import streamlit as st

from processing import measure, segmentation
from processing.display import to_uint8
from ui.alt import values_spread
from ui.cache import step
from ui.charts import line_profile_svg, measurement_histogram_svg, number_text, show_chart
from ui.code import show_code
from ui.display import Picture, before_after, picture_row, show_image
from ui.exercises import numeric_exercise
from ui.lessons import LESSONS_BY_SLUG
from ui.page import finish_lesson, keep_in_range, start_lesson
from ui.svg import FULL_WIDTH
from ui.url import url_number

lesson, source = start_lesson("measuring")
img, gray = source.image, source.grey
height, width = img.shape[:2]
is_colour = img.ndim == 3

UNITS = ["px", "µm", "mm", "cm", "m", "in"]
#: Columns a learner can plot, with their axis titles (lengths get the unit added).
PLOTTABLE = ["area", "perimeter", "equivalent_diameter", "circularity", "eccentricity", "mean_intensity"]
#: Beyond ~150 objects the numbers cover the picture: then only the chosen object is numbered.
MAX_NUMBERS = 150
#: The table's columns a learner needs; the switch above it adds the rest.
MAIN_COLUMNS = ["label", "area", "perimeter", "circularity", "eccentricity", "centroid_row", "centroid_col",
                "touches_border"]
ALL_COLUMNS = [*measure.COLUMNS, "mean_intensity"]
#: Width the line picture is sent at.
LINE_WIDTH = 900
#: The histogram and the line profile sit in the wider of two columns (2 : 1): charts made at that width
#: keep their text at about the size of the page's.
WIDE_COLUMN = round(FULL_WIDTH * 2 / 3)
#: The starting settings (Otsu's threshold, bright objects, holes filled): exercise 2's object and
#: exercise 1's size come from them, so their questions do not change while the threshold moves.
STARTING_SETTINGS = {"threshold": None, "dark_objects": False, "fill_holes": True}


def titled(column: str, unit: str) -> str:
    """A table column's title: area in unit², lengths in unit, the bounding box's end marked exclusive."""
    suffix = {"area": f"{unit}²", "perimeter": unit, "equivalent_diameter": unit}.get(column, "")
    suffix = "exclusive" if column.startswith("bbox_max") else suffix
    return column.replace("_", " ") + (f" ({suffix})" if suffix else "")


def column_format(column: str, unit: str) -> str | None:
    """How the table shows a column: areas and counts as whole numbers in pixels, ratios to 3 decimals."""
    if column == "area":
        return "localized"  # 187,119 as in the text; calibrated areas with their decimals
    if column in ("perimeter", "equivalent_diameter"):
        return "%.1f" if unit == "px" else "%.4g"
    return {"centroid_row": "%.1f", "centroid_col": "%.1f", "mean_intensity": "%.1f", "eccentricity": "%.3f",
            "circularity": "%.3f"}.get(column)


# 1. The idea -------------------------------------------------------------------
st.markdown(
    "Once every object has a label, each one becomes a row of numbers: its **area** (pixel count), its "
    "**perimeter** (length of the outline), its centre, its bounding box, its mean grey level. Ratios of them "
    "describe shape: a circle has the largest area for its perimeter, so"
)
st.latex(r"\text{circularity} = \frac{4\pi \cdot \text{area}}{\text{perimeter}^2} \quad "
         r"(1 \text{ for a disc, near } 0 \text{ for a thin line})")
st.markdown("Filters on those numbers keep the objects you mean (coins, not specks), and a **pixel size** turns "
            "pixels into micrometres or millimetres.")
try_columns = st.columns(3)
examples = (
    ("Count and size the coins", {"img": "coins", "measuring_auto": "false", "measuring_level": "120",
                                  "measuring_min_area": "100", "measuring_edge": "true"}),
    ("Count the Hubble stars", {"img": "hubble", "measuring_min_area": "5",
                                "measuring_hist": "mean_intensity"}),
    ("Measure the cell", {"img": "cell"}),
)
for column, (label, query) in zip(try_columns, examples):
    with column:
        st.page_link(lesson.page, label=label, icon=":material/image:", query_params=query)


# 2. Controls -------------------------------------------------------------------
@st.fragment
def measurement_histogram(table: pd.DataFrame, unit: str) -> None:
    """Which measurement to plot changes only the chart: it reruns on its own."""
    plotted = st.selectbox("Histogram of", PLOTTABLE, key="measuring_hist", bind="query-params")
    show_chart(step(measurement_histogram_svg, table, plotted, title=titled(plotted, unit), width=WIDE_COLUMN),
               alt=f"Histogram of the {titled(plotted, unit)} of the {len(table)} kept objects: "
                   + values_spread(table[plotted].to_numpy(dtype=float)))


@st.fragment
def line_profile_section(outlined, pixel_size: float, unit: str) -> None:
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
        show_image(step(measure.draw_line, outlined, (r0, c0), (r1, c1), display_width=LINE_WIDTH),
                   caption="The line (dot: start)", crisp=True, max_width=LINE_WIDTH)
    with plot_column:
        profile = step(measure.line_profile, img, (r0, c0), (r1, c1), pixel_size=pixel_size)
        show_chart(step(line_profile_svg, profile, unit=unit, width=WIDE_COLUMN),
                   alt=f"Pixel values along the line from row {r0}, column {c0} to row {r1}, column {c1}")


@st.fragment
def measuring_panel() -> tuple[pd.DataFrame, measure.Particles]:
    """Controls, before and after, the results, look closer, the line profile, what to notice and the code.

    A fragment: moving one of its controls reruns only this part of the page (the histogram's choice and
    the line's end points rerun only their own sections). Returns (the table in pixels, the kept objects).
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
    pixel_size = 1.0 if unit == "px" else pixel_size

    settings = {"threshold": None if auto else level, "dark_objects": dark, "fill_holes": fill}
    objects = step(segmentation.threshold_objects, gray, **settings)  # 8-connected, nothing dropped
    threshold = objects.threshold
    table_px = step(measure.measure_regions, objects.labels, intensity_image=gray)  # in pixels, every component
    area_range = (float(min_area), float(max_area) if max_area > 0 else math.inf)
    if area_range[1] < area_range[0]:
        st.warning("The largest area is below the smallest: no object can pass. Raise it, or set 0 for no limit.")
        area_range = (area_range[0], area_range[0])
    particles = step(measure.analyze_particles, table_px, image_shape=(height, width), area_range=area_range,
                     circularity_range=tuple(circularity), exclude_border=exclude_edge, pixel_size=pixel_size)
    table, summary = particles.table, particles.summary
    kept = step(measure.keep_objects, objects.labels, particles.kept, intensity_image=gray)
    outlined = step(segmentation.overlay_labels, img, kept.labels)

    # The results table (drawn below) chooses the highlighted object; read its selection first.
    selection = st.session_state.get("measuring_table")
    rows = list(selection["selection"]["rows"]) if selection else []
    chosen = int(table.loc[rows[0], "label"]) if rows and rows[0] < len(table) else particles.largest

    # 3. Before and after -------------------------------------------------------------
    if chosen is None:
        after_caption = "No object passes the filters"
    elif len(table) <= MAX_NUMBERS:
        after_caption = f"{summary.count} objects kept, numbered as in the table (yellow box: object {chosen})"
    else:
        after_caption = (f"{summary.count} objects kept (too many to number: click a table row to box one; "
                         f"yellow box: object {chosen})")
    before_after(img, step(measure.draw_label_numbers, outlined, kept.labels, highlight=chosen,
                           max_numbers=MAX_NUMBERS),
                 before_caption="img", after_caption=after_caption, crisp_after=True,
                 after_note=f"{summary.count} objects of {number_text(summary.smallest_area)} to "
                 f"{number_text(summary.largest_area)} {unit}²" if summary.count else "No objects")
    metrics = st.columns(5)
    metrics[0].metric("Count", f"{summary.count}",
                      help=f"{len(table_px) - summary.count} of {len(table_px)} components filtered out.")
    metrics[1].metric(f"Total area ({unit}²)", number_text(summary.total_area))
    metrics[2].metric(f"Mean area ({unit}²)", "—" if summary.mean_area is None else number_text(summary.mean_area))
    metrics[3].metric(f"Median area ({unit}²)",
                      "—" if summary.median_area is None else number_text(summary.median_area))
    metrics[4].metric("Area fraction", f"{summary.area_fraction:.1%}")

    # The results table, its download and the histogram ---------------------------------
    st.header("Results", anchor=False)
    st.caption(f"Threshold t = {threshold}. Click a row to highlight its object. Positions are in pixels (row, "
               f"column); lengths in {unit}, areas in {unit}².")
    if not len(table):
        st.info(f"The table is empty: of {len(table_px)} connected components none passes the filters. The CSV "
                "download still holds the column names.", icon=":material/info:")
    every_column = st.toggle("All 14 columns", key="measuring_all_columns", bind="query-params",
                             help="Add the bounding box, the equivalent diameter and the mean grey level.")
    st.dataframe(
        table, key="measuring_table", on_select="rerun", selection_mode="single-row", hide_index=True, height=400,
        column_order=ALL_COLUMNS if every_column else MAIN_COLUMNS,
        column_config={c: st.column_config.Column(titled(c, unit)) if c == "touches_border" else
                       st.column_config.NumberColumn(titled(c, unit), format=column_format(c, unit),
                                                     help="One past the object's last row or column (as in a slice)"
                                                     if c.startswith("bbox_max") else None) for c in ALL_COLUMNS},
    )
    table_column, chart_column = st.columns([1, 2])
    with table_column:
        # Written only when clicked: the CSV of many objects takes longer than the rest of a rerun.
        st.download_button("Download the table (CSV)", functools.partial(measure.table_to_csv, table),
                           file_name="pixel-lab-objects.csv", mime="text/csv", icon=":material/download:")
        if len(table):
            st.caption(f"{len(table)} rows: the objects that pass the filters, in {unit}.")
    with chart_column:
        measurement_histogram(table, unit)

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
            show_image(step(measure.highlight_object, img, kept.labels, label=chosen, bbox=bbox), crisp=True,
                       max_width=400,
                       caption=f"Object {chosen}: rows {bbox[0]}-{bbox[2] - 1}, columns {bbox[1]}-{bbox[3] - 1}")
        with close_columns[1]:
            st.markdown(
                f"Object **{chosen}** covers **{int(row_px['area']):,} pixels**"
                + (f" of {pixel_size:g} × {pixel_size:g} {unit}², so its area is {number_text(row['area'])} {unit}²"
                   if unit != "px" else "")
                + f". Its outline, traced through the centres of its edge pixels, is {row_px['perimeter']:,.1f} px "
                f"long. So circularity = 4π · {int(row_px['area']):,} / {row_px['perimeter']:,.1f}² = "
                f"**{row['circularity']:.3f}** (capped at 1: tiny objects' staircase outlines make the ratio "
                f"meaningless). A disc of the same area would be {number_text(row['equivalent_diameter'])} {unit} "
                f"across. Its centroid is at row {row['centroid_row']:.1f}, column {row['centroid_col']:.1f}; its "
                f"mean grey level is {row['mean_intensity']:.1f}"
                + (" and it **touches the edge**, so it is probably cut off." if row["touches_border"] else ".")
            )

    # Line profile (drawn over the kept objects, so it reruns with them too) -------------------
    line_profile_section(outlined, pixel_size, unit)

    # Intensity inside the mask ----------------------------------------------------------------
    st.subheader("Grey levels inside and outside the objects", anchor=False)
    # One markdown table: a second data grid would cost the browser several times more on every move.
    rows = []
    for name, stats in (("inside the kept objects", kept.inside), ("everywhere else", kept.outside)):
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
        on_edge = particles.on_border
        st.markdown(
            f"The threshold made {len(table_px)} components; {particles.small} of them are smaller than {min_area} "
            f"pixels and {summary.count} pass all filters. Their areas run from {number_text(summary.smallest_area)} "
            f"to {number_text(summary.largest_area)} {unit}² (median {number_text(summary.median_area)}), together "
            f"{summary.area_fraction:.1%} of the image. "
            + (f"{on_edge} of the kept objects {'touches' if on_edge == 1 else 'touch'} the edge: switch on "
               "*Exclude objects on the edge* to drop them."
               if on_edge else "None of the kept objects touches the edge.")
        )

    # The code, right under the result it reproduces --------------------------------------------
    show_code(segmentation.threshold_objects_code(colour=is_colour, level=threshold, **settings)
              + measure.analyze_particles_code(area_range=area_range, circularity_range=tuple(circularity),
                                               exclude_border=exclude_edge, pixel_size=pixel_size, unit=unit),
              source=source, result=kept.labels)
    return table_px, particles


st.header("Objects: threshold, then connected components", anchor=False)
table_px, particles = measuring_panel()

# 6. Where it breaks -------------------------------------------------------------------------
st.header("Where it breaks: touching objects are measured as one", anchor=False)
discs = step(segmentation.touching_discs)
merged_labels, _ = step(segmentation.connected_components, discs)
merged = step(measure.measure_regions, merged_labels).iloc[0]
split = step(segmentation.watershed_split, discs)
split_table = step(measure.measure_regions, split.labels)
white = step(to_uint8, discs, high=1)
st.markdown(
    f"Three overlapping discs are one connected component: the table reports **one object** of "
    f"{merged['area']:,.0f} px with circularity {merged['circularity']:.2f} and eccentricity "
    f"{merged['eccentricity']:.2f}, a shape that does not exist. Split by the watershed, they are "
    f"{split.count} objects of {', '.join(f'{a:,.0f}' for a in split_table['area'])} px with circularities "
    f"{', '.join(f'{c:.2f}' for c in split_table['circularity'])}."
)
picture_row([
    Picture(step(measure.draw_label_numbers, step(segmentation.overlay_labels, white, merged_labels), merged_labels,
                 display_width=400), crisp=True, caption="Connected components: 1 object"),
    Picture(step(measure.draw_label_numbers, step(segmentation.overlay_labels, white, split.labels,
                                                  boundaries=split.boundaries), split.labels, display_width=400),
            crisp=True, caption=f"Watershed: {split.count} objects"),
], spec=3)
segmentation_lesson = LESSONS_BY_SLUG["segmentation"]
st.page_link(segmentation_lesson.page, label="Segmentation: split touching objects with the watershed",
             icon=segmentation_lesson.icon, query_params={"segmentation_method": "watershed", "img": "coins"})

# 8. Check yourself ---------------------------------------------------------------------------------
# The questions quote only numbers of the starting settings, which the controls above do not change; the
# answers of 1 and 3 come from the current settings when "Check" reruns the page.
st.header("Check yourself", anchor=False)
starting = step(segmentation.threshold_objects, gray, **STARTING_SETTINGS)
starting_table = step(measure.measure_regions, starting.labels, intensity_image=gray)
# Exercise 1 asks about a size between the specks and the objects: the median area of the components of
# 20 pixels or more.
typical = measure.analyze_particles(starting_table, image_shape=(height, width), area_range=(20, math.inf))
quiz_area = max(10, int(round(typical.summary.median_area / 10) * 10)) if typical.summary.count else 50
# Exercise 1 counts what the filters would keep: at least quiz_area pixels, not on the edge.
quiz_count = len(step(measure.filter_regions, table_px, area_range=(quiz_area, math.inf), exclude_border=True))
numeric_exercise(
    "measuring_count", number=1,
    question=f"With the threshold as it is when you press Check, how many objects have an area of at least "
    f"**{quiz_area} pixels** and do **not** touch the image edge?",
    answer=quiz_count, hint=f"Set the smallest area to {quiz_area}, the largest to 0, the circularity to 0-1, "
    "switch on *Exclude objects on the edge* and read the count.",
    explanation=f"{quiz_count} objects: the filters work on the table's rows, exactly like Analyze Particles.",
)
largest = measure.analyze_particles(starting_table, image_shape=(height, width)).summary.largest_area
if largest is not None:
    quiz_pixels = int(largest)
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
most_elongated = particles.most_elongated or 0
eccentricity = particles.table.set_index("label")["eccentricity"].get(most_elongated)
numeric_exercise(
    "measuring_elongated", number=3,
    question="Among the objects in the results table now (after your filters), which one is the most elongated "
    "(highest eccentricity)? Type its label, or 0 if the table is empty.",
    answer=most_elongated, hint="Click the eccentricity column's header to sort the table.",
    explanation=f"Object {most_elongated}" + (
        f", eccentricity {eccentricity:.3f} (0 is a disc, 1 a line)." if eccentricity is not None else "."),
)

finish_lesson("measuring")
