"""Measuring objects: code panels reproduce the page, the table agrees with scikit-image and OpenCV,
calibration scales it, exercises grade right and wrong answers, links reopen settings."""

import json
import re

import cv2
import numpy as np
import pytest
import scipy.ndimage as ndi
from skimage.measure import regionprops

from processing.samples import load_sample
from ui.charts import CHANNEL_COLOURS
from tests.app.helpers import (
    answer,
    assert_code_panels_reproduce,
    feedback,
    new_app,
    problems,
    record_panels,
    SVG,
    svg_chart,
    svg_plot_box,
    SWEEP_SAMPLES,
)

PAGE = "pages/12_measuring.py"
COINS = {"img": "coins", "measuring_auto": "false", "measuring_level": "120", "measuring_min_area": "100",
         "measuring_edge": "true"}

SETTINGS = [
    {},  # the coins, Otsu's threshold
    COINS,
    {**COINS, "measuring_unit": "mm", "measuring_pixel": "0.5", "measuring_circ": ["0.8", "1.0"]},
    {"img": "hubble", "measuring_min_area": "5", "measuring_hist": "mean_intensity"},
    {"img": "cell", "measuring_fill": "false"},
    {"img": "page", "measuring_dark": "true", "measuring_min_area": "20", "measuring_max_area": "400"},
    {"img": "shapes", "measuring_min_area": "0"},
]


def table_of(app):
    """The results table's data (every column, whichever the page shows), with the plain column names."""
    return app.dataframe[0].value


def column_config(app) -> dict:
    """Each column's configuration as the page sends it: title, number format, help."""
    return json.loads(app.dataframe[0].proto.columns)


def coins_reference():
    """Independent: threshold 120, fill holes, OpenCV components, areas >= 100, not touching the edge."""
    coins = load_sample("coins")
    mask = ndi.binary_fill_holes(coins > 120)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(mask.astype(np.uint8), connectivity=8, ltype=cv2.CV_32S)
    props = [p for p in regionprops(labels, intensity_image=coins) if p.area >= 100]
    h, w = labels.shape
    props = [p for p in props if p.bbox[0] > 0 and p.bbox[1] > 0 and p.bbox[2] < h and p.bbox[3] < w]
    return coins, labels, stats, props


def test_every_code_panel_reproduces_what_the_page_shows(tmp_path):
    panels = record_panels(PAGE, SETTINGS)
    assert_code_panels_reproduce(panels, tmp_path)  # label images: exact


def test_table_agrees_with_regionprops_and_opencv():
    _, labels, stats, props = coins_reference()
    app = new_app(PAGE, COINS).run()
    table = table_of(app)
    assert len(table) == len(props) == 24
    assert app.metric[0].value == "24"
    assert table["label"].tolist() == [p.label for p in props]
    np.testing.assert_allclose(table["area"], [p.area for p in props])
    np.testing.assert_allclose(table["area"], stats[table["label"], cv2.CC_STAT_AREA])  # OpenCV's areas
    np.testing.assert_allclose(table["perimeter"], [p.perimeter for p in props])
    np.testing.assert_allclose(table["centroid_row"], [p.centroid[0] for p in props])
    np.testing.assert_allclose(table["centroid_col"], [p.centroid[1] for p in props])
    np.testing.assert_allclose(table["eccentricity"], [p.eccentricity for p in props], atol=1e-9)
    np.testing.assert_allclose(table["mean_intensity"], [p.intensity_mean for p in props])


def test_calibration_scales_lengths_and_areas():
    plain = table_of(new_app(PAGE, COINS).run())
    app = new_app(PAGE, {**COINS, "measuring_unit": "mm", "measuring_pixel": "0.5"}).run()
    scaled = table_of(app)
    assert column_config(app)["area"]["label"] == "area (mm²)"
    np.testing.assert_allclose(scaled["area"], plain["area"] * 0.25)
    np.testing.assert_allclose(scaled["perimeter"], plain["perimeter"] * 0.5)
    np.testing.assert_allclose(scaled["equivalent_diameter"], plain["equivalent_diameter"] * 0.5)
    for column in ("centroid_row", "centroid_col", "circularity", "eccentricity", "mean_intensity"):
        np.testing.assert_allclose(scaled[column], plain[column])
    assert [m.value for m in app.metric][4] == [m.value for m in new_app(PAGE, COINS).run().metric][4]


def test_count_exercise():
    coins = load_sample("coins")
    app = new_app(PAGE, {"img": "coins"}).run()
    # The question names the size; read it, then count independently with scikit-image on the Otsu mask.
    question = next(m.value for m in app.markdown if "Exercise 1." in m.value)
    size = int(question.split("at least **")[1].split(" ")[0])
    threshold = int(cv2.threshold(coins, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)[0])
    labels = ndi.label(ndi.binary_fill_holes(coins > threshold), structure=np.ones((3, 3)))[0]
    h, w = labels.shape
    expected = sum(p.area >= size and p.bbox[0] > 0 and p.bbox[1] > 0 and p.bbox[2] < h and p.bbox[3] < w
                   for p in regionprops(labels))
    assert feedback(answer(app, "measuring_count", expected + 2))[1]
    assert feedback(answer(app, "measuring_count", expected))[0]


def largest_otsu_component(image: np.ndarray) -> int:
    """Independent: the largest 8-connected component after Otsu's threshold and hole filling (the starting settings)."""
    otsu = cv2.threshold(image, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)[0]
    labels = cv2.connectedComponents(ndi.binary_fill_holes(image > otsu).astype(np.uint8), connectivity=8)[1]
    return int(np.bincount(labels.ravel())[1:].max())


def test_calibrate_exercise():
    # The question quotes the largest component with the starting settings (Otsu), whatever the threshold on
    # screen (here 120), so it cannot change while the threshold moves.
    largest = largest_otsu_component(load_sample("coins"))
    app = new_app(PAGE, COINS).run()
    question = next(m.value for m in app.markdown if "Exercise 2." in m.value)
    assert f"covers {largest:,} pixels" in question
    assert feedback(answer(app, "measuring_calibrate", largest * 0.5))[1]  # lengths, not areas
    assert feedback(answer(app, "measuring_calibrate", largest * 0.25))[0]


def test_elongated_exercise():
    _, _, _, props = coins_reference()
    expected = max(props, key=lambda p: p.eccentricity).label
    app = new_app(PAGE, COINS).run()
    assert feedback(answer(app, "measuring_elongated", 0))[1]
    assert feedback(answer(app, "measuring_elongated", expected))[0]
    empty = new_app(PAGE, {"img": "ramp", "measuring_auto": "false", "measuring_level": "255"}).run()
    assert feedback(answer(empty, "measuring_elongated", 0))[0]


def test_link_reopens_the_same_settings():
    query = {**COINS, "measuring_unit": "µm", "measuring_pixel": "0.65", "measuring_circ": ["0.5", "0.95"],
             "measuring_max_area": "3000", "measuring_hist": "circularity", "measuring_r0": "40", "measuring_c1": "200"}
    app = new_app(PAGE, query).run()
    assert not problems(app)
    assert app.selectbox(key="img").value == "coins"
    assert app.toggle(key="measuring_auto").value is False
    assert app.slider(key="measuring_level").value == 120
    assert app.number_input(key="measuring_min_area").value == 100
    assert app.number_input(key="measuring_max_area").value == 3000
    assert app.toggle(key="measuring_edge").value is True
    assert app.slider(key="measuring_circ").value == pytest.approx((0.5, 0.95))
    assert app.selectbox(key="measuring_unit").value == "µm"
    assert app.number_input(key="measuring_pixel").value == pytest.approx(0.65)
    assert app.selectbox(key="measuring_hist").value == "circularity"
    assert app.number_input(key="measuring_r0").value == 40
    assert app.number_input(key="measuring_c1").value == 200


def test_page_runs_clean_on_every_sample():
    app = new_app(PAGE, {"measuring_r0": "300", "measuring_c1": "500"}).run()
    for sample_id in SWEEP_SAMPLES:
        app.selectbox(key="img").set_value(sample_id).run()
        assert not problems(app), (sample_id, problems(app))
    assert app.number_input(key="measuring_c1").value <= 399  # clamped into the last image (shapes, 400 wide)


def test_no_object_gives_messages_not_errors():
    app = new_app(PAGE, {"img": "ramp", "measuring_auto": "false", "measuring_level": "255"}).run()
    assert not problems(app)
    assert app.metric[0].value == "0"
    assert any("No object passes the filters" in i.value for i in app.info)
    assert any("| inside the kept objects | 0 | — | — | — | — | — |" in m.value for m in app.markdown)


# ------------------------------------------------------------------ lesson-specific extremes

from streamlit.runtime.media_file_manager import MediaFileManager  # noqa: E402

from processing.measure import COLUMNS  # noqa: E402
from tests.app.helpers import open_with_upload  # noqa: E402


def test_zero_objects_give_an_empty_table_a_header_only_csv_and_graded_exercises(monkeypatch):
    downloads = []
    register = MediaFileManager.add_deferred

    def keep(self, data_callable, mimetype, coordinates, file_name=None, **kwargs):
        if mimetype == "text/csv":
            downloads.append(data_callable)  # the CSV is written when the button is clicked
        return register(self, data_callable, mimetype, coordinates, file_name, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", keep)
    app = new_app(PAGE, {"img": "ramp", "measuring_auto": "false", "measuring_level": "255"}).run()
    assert not problems(app), problems(app)
    frame = app.dataframe[0].value
    assert len(frame) == 0 and len(frame.columns) == 14
    assert any(i.value.startswith("The table is empty") for i in app.info)
    # The CSV is still offered, and holds the column names (every column of the table, mean grey level last).
    text = downloads[-1]()
    assert text == ",".join([*COLUMNS, "mean_intensity"]) + "\n"
    # The exercises still grade: nothing to count at this threshold, and "0" for no object. Exercise 2 is about
    # the starting settings (Otsu), where the ramp does have a component.
    assert feedback(answer(app, "measuring_count", 1))[1]
    assert feedback(answer(app, "measuring_count", 0))[0]
    largest = largest_otsu_component(load_sample("ramp"))
    assert feedback(answer(app, "measuring_calibrate", largest * 0.5))[1]
    assert feedback(answer(app, "measuring_calibrate", largest * 0.25))[0]
    assert feedback(answer(app, "measuring_elongated", 0))[0]


def test_no_object_with_the_starting_settings_gives_the_made_up_object():
    # A black image: Otsu finds no split (t = 0) and nothing is above it, so exercise 2 asks about 400 pixels.
    app = open_with_upload(PAGE, np.zeros((20, 30), np.uint8))
    assert not problems(app), problems(app)
    assert any("An object covers 400 pixels." in m.value for m in app.markdown if "Exercise 2." in m.value)
    assert feedback(answer(app, "measuring_calibrate", 200))[1]
    assert feedback(answer(app, "measuring_calibrate", 100))[0]


def test_one_pixel_image_measures_one_object():
    app = open_with_upload(PAGE, np.array([[200]], np.uint8), {"measuring_min_area": "0"})
    assert not problems(app), problems(app)
    # Otsu finds no split in one grey level (t = 0), so the pixel is one object of area 1 touching the edge.
    frame = table_of(app)
    assert frame["area"].tolist() == [1] and frame["touches_border"].tolist() == [True]
    assert [n.value for n in app.number_input if n.key in ("measuring_r0", "measuring_c1")] == [0, 0]
    assert any("same pixel" in i.value for i in app.info)  # a line from the pixel to itself


def test_line_profile_on_a_one_row_image_reads_every_pixel():
    ramp = np.linspace(0, 255, 40).astype(np.uint8)[np.newaxis, :]
    app = open_with_upload(PAGE, ramp)
    assert not problems(app), problems(app)
    assert [n.value for n in app.number_input if n.key.startswith("measuring_") and n.key[-2:] in
            ("r0", "c0", "r1", "c1")] == [0, 0, 0, 39]
    root = svg_chart(app, "Pixel values along the line")
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "distance from the start (px)" in texts and "pixel value" in texts
    # One dot per sample, in the grey channel's colour: x runs 0..39 px, y 0..255 (read back from the chart).
    left, top, plot_w, plot_h = svg_plot_box(root)
    dots = [(float(c.get("cx")), float(c.get("cy"))) for c in root.iter(f"{SVG}circle")
            if c.get("fill") == CHANNEL_COLOURS["grey"]]
    assert len(dots) == 40
    distance = [(x - left) / plot_w * 39 for x, _ in dots]
    values = [(top + plot_h - y) / plot_h * 255 for _, y in dots]
    np.testing.assert_allclose(distance, np.arange(40), atol=0.05)  # one sample per pixel, 1 px apart
    np.testing.assert_allclose(values, ramp[0], atol=0.3)  # the row's values (drawn to 0.1 chart pixel)


def test_histogram_counts_every_kept_object_once():
    app = new_app(PAGE, COINS).run()
    assert not problems(app), problems(app)
    areas = table_of(app)["area"].to_numpy()
    root = svg_chart(app, "Histogram of the area")
    assert any(t.text == "area (px²) of the 24 objects" for t in root.iter(f"{SVG}text"))
    assert any(t.text == f"median {np.median(areas):,.0f}" or t.text == f"median {np.median(areas):.4g}"
               for t in root.iter(f"{SVG}text"))
    # The bars, read back from the outline against the y axis's tick labels: they add up to the 24 rows.
    left, _, _, _ = svg_plot_box(root)
    ticks = [(float(t.text), float(t.get("y")) - 4) for t in root.iter(f"{SVG}text")
             if t.get("x") == str(int(left) - 6) and t.get("text-anchor") == "end"]
    (v0, y0), (v1, y1) = ticks[0], ticks[-1]
    outline = next(p for p in root.iter(f"{SVG}polyline") if p.get("stroke") == "#2f6db3")
    points = np.array([[float(v) for v in pair.split(",")] for pair in outline.get("points").split()])
    heights = v0 + (points[1::4, 1] - y0) * (v1 - v0) / (y1 - y0)  # each bar's 2nd point is its top left corner
    np.testing.assert_allclose(heights, np.rint(heights), atol=0.05)
    assert np.rint(heights).sum() == 24


def test_grey_levels_inside_and_outside_the_kept_objects():
    coins, labels, _, props = coins_reference()
    inside = np.isin(labels, [p.label for p in props])
    app = new_app(PAGE, COINS).run()
    table = next(m.value for m in app.markdown if "| inside the kept objects |" in m.value)
    rows = {line.split("|")[1].strip(): [cell.strip() for cell in line.split("|")[2:-1]]
            for line in table.splitlines()[2:]}
    for name, pixels in (("inside the kept objects", coins[inside]), ("everywhere else", coins[~inside])):
        assert rows[name] == [f"{pixels.size:,}", f"{pixels.mean():.1f}", f"{pixels.std():.1f}", str(pixels.min()),
                              f"{np.median(pixels):.1f}", str(pixels.max())]


# ------------------------------------------------------------------ issue 20: the table a teacher reads

def test_table_and_text_agree_on_every_objects_area():
    """Areas are whole numbers of pixels everywhere: the table's cell, the close-up's text and the summary."""
    app = new_app(PAGE, {"img": "coins"}).run()
    table = table_of(app)
    assert table["area"].dtype.kind == "i" and column_config(app)["area"]["type_config"]["format"] == "localized"
    for index, row in table.iterrows():
        app.session_state["measuring_table"] = {"selection": {"rows": [index], "columns": [], "cells": []}}
        app.run()
        text = next(m.value for m in app.markdown if m.value.startswith(f"Object **{row['label']}** covers"))
        assert f"covers **{row['area']:,} pixels**" in text, (row["label"], text)
    notice = next(m.value for m in app.markdown if m.value.startswith("The threshold made"))
    areas = re.search(r"areas run from ([\d,]+) to ([\d,]+) px² \(median ([\d,.]+)\)", notice).groups()
    assert areas == (f"{table['area'].min():,}", f"{table['area'].max():,}", f"{table['area'].median():,.0f}")


def test_column_titles_formats_and_the_switch_for_every_column():
    app = new_app(PAGE, {"img": "coins"}).run()
    config = column_config(app)
    # Every format is keyed by the table's own column names, so none is lost to a renamed header.
    assert set(config) - {"_index"} == set(table_of(app).columns)
    assert config["centroid_row"]["type_config"]["format"] == "%.1f"
    assert config["bbox_max_row"]["label"] == "bbox max row (exclusive)" and "help" in config["bbox_max_col"]
    shown = list(app.dataframe[0].proto.column_order)
    assert shown == ["label", "area", "perimeter", "circularity", "eccentricity", "centroid_row", "centroid_col",
                     "touches_border"]
    app.toggle(key="measuring_all_columns").set_value(True).run()
    assert len(app.dataframe[0].proto.column_order) == 14


def test_the_numbered_overlay_gets_a_note_not_a_histogram():
    app = new_app(PAGE, {"img": "coins"}).run()
    alts = [picture.alt for element in app.get("image") for picture in element.proto.imgs]
    histograms = [alt for alt in alts if "levels 0-255" in alt]  # level histograms, not the measurements''' one
    assert len(histograms) == 1 and histograms[0].startswith("Histogram of grey, levels 0-255: grey median")
    areas = table_of(app)["area"]
    assert any(c.value == f"24 objects of {areas.min():,} to {areas.max():,} px²" for c in app.caption)
