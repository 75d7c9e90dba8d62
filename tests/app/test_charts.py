"""SVG charts (ui.svg, ui.charts): valid documents whose marks sit where the numbers say."""

import math
import re
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from processing.stats import channel_histograms
from ui.charts import CHANNEL_COLOURS, histogram_svg
from tests.app.helpers import SVG, svg_plot_box
from ui.svg import Band, Line, Marker, line_chart, nice_ticks, pixel_grid, tick_label

def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    return root


def step_heights(path: str) -> list[float]:
    """The y of every flat step of a step path ("M x,y V y H x V y H x ...")."""
    return [float(v) for v in re.findall(r"V(-?[\d.]+)H", path)]


def test_histogram_steps_are_proportional_to_hand_made_counts():
    counts = np.zeros((1, 256), np.int64)
    counts[0, 10], counts[0, 200] = 100, 50
    root = parse(histogram_svg(counts, channels=("grey",)))
    _, top, _, height = svg_plot_box(root)
    path = next(p.get("d") for p in root.iter(f"{SVG}path") if p.get("stroke") == CHANNEL_COLOURS["grey"])
    heights = step_heights(path)
    assert len(heights) == 256
    bottom = top + height
    # The y axis runs from 0 to the peak plus 4 %: 100 counts reach 1/1.04 of the height, 50 half of that.
    assert heights[10] == pytest.approx(bottom - height / 1.04, abs=0.1)
    assert heights[200] == pytest.approx(bottom - height / 2.08, abs=0.1)
    assert all(h == pytest.approx(bottom, abs=0.1) for i, h in enumerate(heights) if i not in (10, 200))


def test_every_channel_is_drawn_in_its_own_colour_with_a_legend():
    image = np.random.default_rng(1).integers(0, 256, (20, 30, 3), dtype=np.uint8)
    svg = histogram_svg(channel_histograms(image), channels=("red", "green", "blue"))
    root = parse(svg)
    strokes = {p.get("stroke") for p in root.iter(f"{SVG}path")}
    assert {CHANNEL_COLOURS[c] for c in ("red", "green", "blue")} <= strokes
    texts = ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]
    assert {"— red", "— green", "— blue"} <= set(texts)
    assert "pixel value (level)" in texts and "pixel count" in texts
    assert {"0", "128", "255"} <= set(texts)  # level ticks


def test_log_scale_and_cumulative_share_stay_finite():
    counts = np.zeros((1, 256), np.int64)
    counts[0, :128] = 1000  # half the levels empty: log(0) must not reach the drawing
    svg = histogram_svg(counts, channels=("grey",), log_scale=True, cumulative=True)
    root = parse(svg)
    assert "nan" not in svg.lower() and "inf" not in svg.lower()
    texts = ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]
    assert "cumulative %" in texts and "pixel count (log)" in texts
    assert {"1", "10", "100", "1000"} <= set(texts)
    cumulative = next(p for p in root.iter(f"{SVG}polyline") if p.get("stroke-dasharray"))
    ys = [float(point.split(",")[1]) for point in cumulative.get("points").split()]
    _, top, _, height = svg_plot_box(root)
    assert ys[127] == pytest.approx(top, abs=0.1) and ys[0] == pytest.approx(top + height * (1 - 1 / 128), abs=0.1)


def test_markers_and_bands_sit_at_their_levels():
    counts = np.ones((1, 256), np.int64)
    root = parse(histogram_svg(counts, channels=("grey",), markers=[Marker(100.5, "t = 100", "#d62728")],
                               bands=[Band(100.5, 255.5, "#d62728")]))
    left, _, width, _ = svg_plot_box(root)
    x_of = lambda level: left + (level + 0.5) * width / 256  # noqa: E731 - levels -0.5 .. 255.5 span the plot
    line = next(e for e in root.iter(f"{SVG}line") if e.get("stroke") == "#d62728")
    assert float(line.get("x1")) == pytest.approx(x_of(100.5), abs=0.1)
    band = next(r for r in root.iter(f"{SVG}rect") if r.get("fill") == "#d62728")
    assert float(band.get("x")) == pytest.approx(x_of(100.5), abs=0.1)
    assert float(band.get("x")) + float(band.get("width")) == pytest.approx(left + width, abs=0.1)
    assert any("".join(t.itertext()) == "t = 100" for t in root.iter(f"{SVG}text"))


def test_text_is_escaped():
    svg = line_chart([Line([0, 1], [0, 1], "#000", name="<b>a & b</b>")], x_title="<script>alert(1)</script>",
                     y_title="y", title='"quoted" & <tag>')
    root = parse(svg)
    assert not any(element.tag.endswith("script") for element in root.iter())
    texts = ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]
    assert "<script>alert(1)</script>" in texts and '"quoted" & <tag>' in texts


def test_gaps_in_a_line_break_it():
    root = parse(line_chart([Line([0, 1, 2, 3, 4], [1, 2, math.nan, 3, 4], "#000")], x_title="x", y_title="y"))
    pieces = [p.get("points") for p in root.iter(f"{SVG}polyline")]
    assert [len(p.split()) for p in pieces] == [2, 2]


def test_counts_of_the_wrong_shape_are_refused():
    with pytest.raises(ValueError, match="counts must have shape"):
        histogram_svg(np.zeros((3, 256)), channels=("grey",))


@given(st.floats(-1e6, 1e6), st.floats(1e-3, 1e6))
def test_nice_ticks_are_round_evenly_spaced_and_inside(low, span):
    high = low + span
    ticks = nice_ticks(low, high)
    assert 2 <= len(ticks) <= 7
    assert all(low - 1e-9 * span <= t <= high + 1e-9 * span for t in ticks)
    steps = np.diff(ticks)
    assert np.allclose(steps, steps[0], rtol=1e-6)
    mantissa = steps[0] / 10 ** math.floor(math.log10(steps[0]))
    assert any(math.isclose(mantissa, m, rel_tol=1e-6) for m in (1, 2, 5, 10))


@pytest.mark.parametrize(("value", "text"), [(0, "0"), (5000, "5000"), (12000, "12k"), (250000, "250k"),
                                             (3e6, "3M"), (0.25, "0.25"), (-20, "-20")])
def test_tick_labels(value, text):
    assert tick_label(value) == text


def test_close_marker_labels_go_on_two_rows_and_stay_inside():
    counts = np.ones((1, 256), np.int64)
    root = parse(histogram_svg(counts, channels=("grey",), markers=[
        Marker(40.5, "low = 40", "#1f77b4"), Marker(44.5, "high = 44", "#d62728"), Marker(255, "end = 255", "#000")]))
    labels = {"".join(t.itertext()): t for t in root.iter(f"{SVG}text") if "=" in "".join(t.itertext())}
    assert float(labels["low = 40"].get("y")) != float(labels["high = 44"].get("y"))  # stacked, not overprinted
    width = float(root.get("width"))
    end = labels["end = 255"]
    assert float(end.get("x")) + 0.62 * 13 * len("end = 255") / 2 <= width


def test_pixel_grid_prints_every_value_in_its_own_colour():
    window = np.array([[[255, 0, 0], [0, 0, 0]], [[10, 200, 30], [255, 255, 255]]], np.uint8)
    root = parse(pixel_grid(window, origin=(5, 7), highlight=(6, 8), arrow=(1.0, 0.0)))
    cells = [r for r in root.iter(f"{SVG}rect") if r.get("stroke") == "#ffffff"]
    assert [c.get("fill") for c in cells] == ["#ff0000", "#000000", "#0ac81e", "#ffffff"]
    texts = ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]
    assert {"5", "6", "7", "8"} <= set(texts)  # image rows and columns
    assert texts.count("255") == 4 and texts.count("200") == 1  # red: 255 0 0, white: 255 255 255
    white_cell_text = [t for t in root.iter(f"{SVG}text") if t.get("fill") == "#000000"]
    assert len(white_cell_text) == 3  # dark ink only on the light (white) pixel
    assert any(r.get("stroke") == "#ffbf00" for r in root.iter(f"{SVG}rect"))
    arrow = next(e for e in root.iter(f"{SVG}line") if e.get("stroke") == "#d62728")
    assert float(arrow.get("y2")) > float(arrow.get("y1")) and float(arrow.get("x2")) == float(arrow.get("x1"))
