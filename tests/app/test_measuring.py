"""Measuring objects: code panels reproduce the page, the table agrees with scikit-image and OpenCV,
calibration scales it, exercises grade right and wrong answers, links reopen settings."""

import cv2
import numpy as np
import pytest
import scipy.ndimage as ndi
from skimage.measure import regionprops

from processing.samples import load_sample
from tests.app.helpers import (
    answer,
    assert_code_panels_reproduce,
    feedback,
    new_app,
    problems,
    record_panels,
    SWEEP_SAMPLES,
)

PAGE = "pages/12_measuring.py"
COINS = {"img": "coins", "measuring_auto": "false", "measuring_level": "120", "measuring_min_area": "100",
         "measuring_edge": "true"}

SETTINGS = [
    {},
    COINS,
    {**COINS, "measuring_unit": "mm", "measuring_pixel": "0.5", "measuring_circ": ["0.8", "1.0"]},
    {"img": "hubble", "measuring_min_area": "5", "measuring_hist": "mean_intensity"},
    {"img": "cell", "measuring_fill": "false"},
    {"img": "page", "measuring_dark": "true", "measuring_min_area": "20", "measuring_max_area": "400"},
    {"img": "shapes", "measuring_min_area": "0"},
]


def table_of(app):
    """The results table as shown, with the plain column names."""
    frame = app.dataframe[0].value
    return frame.rename(columns=lambda c: c.split(" (")[0].replace(" ", "_"))


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
    assert "area (mm²)" in app.dataframe[0].value.columns
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


def test_calibrate_exercise():
    _, labels, _, _ = coins_reference()
    app = new_app(PAGE, COINS).run()
    coins = load_sample("coins")
    all_labels = cv2.connectedComponents(ndi.binary_fill_holes(coins > 120).astype(np.uint8), connectivity=8)[1]
    largest = np.bincount(all_labels.ravel())[1:].max()
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


# ------------------------------------------------------------------ lesson-specific extremes

from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage  # noqa: E402

from processing.measure import COLUMNS  # noqa: E402
from tests.app.helpers import open_with_upload  # noqa: E402


def test_zero_objects_give_an_empty_table_a_header_only_csv_and_graded_exercises(monkeypatch):
    downloads = []
    store = MemoryMediaFileStorage.load_and_get_id

    def keep(self, path_or_data, mimetype, kind, filename=None):
        if mimetype == "text/csv":
            downloads.append(path_or_data)
        return store(self, path_or_data, mimetype, kind, filename)

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", keep)
    app = new_app(PAGE, {"img": "ramp", "measuring_auto": "false", "measuring_level": "255"}).run()
    assert not problems(app), problems(app)
    frame = app.dataframe[0].value
    assert len(frame) == 0 and len(frame.columns) == 14
    assert any(i.value.startswith("The table is empty") for i in app.info)
    # The CSV is still offered, and holds the column names (every column of the table, mean grey level last).
    data = downloads[-1]
    text = data.decode() if isinstance(data, bytes) else data
    assert text == ",".join([*COLUMNS, "mean_intensity"]) + "\n"
    # The exercises still grade: nothing to count, the made-up 400-pixel object, and "0" for no object.
    assert feedback(answer(app, "measuring_count", 1))[1]
    assert feedback(answer(app, "measuring_count", 0))[0]
    assert feedback(answer(app, "measuring_calibrate", 200))[1]
    assert feedback(answer(app, "measuring_calibrate", 100))[0]
    assert feedback(answer(app, "measuring_elongated", 0))[0]


def test_one_pixel_image_measures_one_object():
    app = open_with_upload(PAGE, np.array([[200]], np.uint8), {"measuring_min_area": "0"})
    assert not problems(app), problems(app)
    # Otsu finds no split in one grey level (t = 0), so the pixel is one object of area 1 touching the edge.
    frame = table_of(app)
    assert frame["area"].tolist() == [1] and frame["touches_border"].tolist() == [True]
    assert [n.value for n in app.number_input if n.key in ("measuring_r0", "measuring_c1")] == [0, 0]
    assert any("same pixel" in i.value for i in app.info)  # a line from the pixel to itself


def test_line_profile_on_a_one_row_image_reads_every_pixel():
    import json

    ramp = np.linspace(0, 255, 40).astype(np.uint8)[np.newaxis, :]
    app = open_with_upload(PAGE, ramp)
    assert not problems(app), problems(app)
    assert [n.value for n in app.number_input if n.key.startswith("measuring_") and n.key[-2:] in
            ("r0", "c0", "r1", "c1")] == [0, 0, 0, 39]
    chart = next(c for c in app.get("plotly_chart") if "distance from the start" in c.proto.spec)
    trace = json.loads(chart.proto.spec)["data"][0]
    # One sample per pixel, 1 px apart, values exactly the row's.
    np.testing.assert_allclose(decode(trace["x"]), np.arange(40))
    np.testing.assert_allclose(decode(trace["y"]), ramp[0])


def decode(values):
    """A Plotly JSON array: a plain list, or {"dtype", "bdata"} (base64) for NumPy arrays."""
    if isinstance(values, dict):
        import base64

        return np.frombuffer(base64.b64decode(values["bdata"]), dtype=np.dtype(values["dtype"]))
    return np.asarray(values, float)
