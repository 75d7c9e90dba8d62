"""Finding features: code panels reproduce the page for every method, quoted numbers are the processing module's,
the URL reopens the settings, a click or the sliders pick the template, and every exercise grades right and wrong."""

import numpy as np
import pytest

from processing import features as ft
from processing.color import as_gray
from processing.edges import canny_opencv
from processing.samples import load_sample
from tests.app.helpers import (
    answer,
    assert_code_panels_reproduce,
    check_target,
    feedback,
    new_app,
    problems,
    record_panels,
)

PAGE = "pages/16_features.py"

SETTINGS = [
    {},  # camera, lines
    {"features_votes": "60", "features_rho_step": "2.0", "features_theta_step": "0.5"},
    {"img": "brick", "features_segments": "true", "features_min_length": "80", "features_gap": "10"},
    {"img": "coffee", "features_votes": "400"},  # colour, no line at all
    {"img": "coins", "features_method": "circles"},
    {"img": "astronaut", "features_method": "circles", "features_radius": ["5", "120"], "features_acc": "15"},
    {"img": "shapes", "features_method": "corners"},
    {"img": "chelsea", "features_method": "corners", "features_k": "0.12", "features_share": "5.0",
     "features_nms": "false"},
    {"img": "astronaut", "features_method": "templates"},
    {"img": "coins", "features_method": "templates", "features_size": "96", "features_row": "0", "features_col": "383"},
]


def grey(sample_id):
    return as_gray(load_sample(sample_id))


def test_every_code_panel_reproduces_what_the_page_shows(tmp_path):
    panels = record_panels(PAGE, SETTINGS, per_run=1)
    assert_code_panels_reproduce(panels, tmp_path)


def test_lines_quote_the_accumulator():
    edges = canny_opencv(grey("camera"), sigma=2.0, low=50, high=100)
    found = ft.hough_lines(edges, threshold=120)
    space = ft.hough_space(edges)
    app = new_app(PAGE).run()
    assert not problems(app)
    text = " ".join(m.value for m in app.markdown)
    assert f"{space.thetas.size} angles × {space.rhos.size} distances = {space.votes.size:,} cells" in text
    rho, theta, votes = found.lines[0]
    assert f"θ = {np.rad2deg(theta):.2f}°, ρ = {rho:.1f} px, {int(votes)} votes" in text
    assert f"{found.found} lines with more than 120 votes" in " ".join(c.value for c in app.caption)


def test_circles_on_coins_are_compared_with_the_true_count():
    found = ft.find_circles(grey("coins"))
    app = new_app(PAGE, {"img": "coins", "features_method": "circles"}).run()
    assert not problems(app)
    assert next(m.value for m in app.metric if m.label.startswith("Circles found")) == f"{found.count} of 24"
    other = new_app(PAGE, {"img": "camera", "features_method": "circles"}).run()
    assert not other.metric and any("not known here" in c.value for c in other.caption)


def test_corners_open_on_the_strongest_corner_and_quote_its_matrix():
    shapes = load_sample("shapes")
    corners = ft.harris_corners(ft.harris_response(shapes))
    app = new_app(PAGE, {"img": "shapes", "features_method": "corners"}).run()
    assert not problems(app)
    assert (app.slider(key="features_row").value, app.slider(key="features_col").value) == tuple(corners[0])
    tensor = ft.structure_tensor(shapes, row=int(corners[0][0]), col=int(corners[0][1]))
    text = " ".join(m.value for m in app.markdown)
    assert f"R = ac − b² − k(a + c)² = **{tensor.response:.3g}**: a corner" in text
    assert f"{len(corners)} corners" in " ".join(c.value for c in app.caption)


def test_a_click_picks_the_template_and_the_sliders_do_too():
    app = new_app(PAGE, {"img": "astronaut", "features_method": "templates"}).run()
    assert (app.slider(key="features_row").value, app.slider(key="features_col").value) == (256, 256)
    # The clickable picture is the 512 × 512 image at its own width: a click at x = 100, y = 50 picks (50, 100).
    app.session_state["features_click"] = {"x": 100, "y": 50, "width": 512, "height": 512, "unix_time": 7}
    app.run()
    assert not problems(app)
    assert (app.slider(key="features_row").value, app.slider(key="features_col").value) == (50, 100)
    app.slider(key="features_col").set_value(300).run()
    assert app.slider(key="features_col").value == 300
    assert any("top, left = 34, 284" in c.value for c in app.code)


def test_url_seeds_every_control():
    query = {"features_votes": "90", "features_rho_step": "3.0", "features_theta_step": "2.0",
             "features_segments": "true", "features_min_length": "60", "features_gap": "12"}
    app = new_app(PAGE, query).run()
    assert not problems(app)
    assert app.slider(key="features_votes").value == 90
    assert app.select_slider(key="features_rho_step").value == 3.0
    assert app.select_slider(key="features_theta_step").value == 2.0
    assert app.toggle(key="features_segments").value
    assert (app.slider(key="features_min_length").value, app.slider(key="features_gap").value) == (60, 12)
    app = new_app(PAGE, {"features_method": "circles", "features_radius": ["10", "50"], "features_acc": "40",
                         "features_min_dist": "33"}).run()
    assert app.slider(key="features_radius").value == (10, 50)
    assert (app.slider(key="features_acc").value, app.slider(key="features_min_dist").value) == (40, 33)
    app = new_app(PAGE, {"features_method": "corners", "features_k": "0.1", "features_share": "5.0",
                         "features_nms": "false", "features_row": "12", "features_col": "34"}).run()
    assert app.slider(key="features_k").value == pytest.approx(0.1)
    assert app.select_slider(key="features_share").value == 5.0 and not app.toggle(key="features_nms").value
    assert (app.slider(key="features_row").value, app.slider(key="features_col").value) == (12, 34)
    app = new_app(PAGE, {"features_method": "templates", "features_size": "48"}).run()
    assert app.slider(key="features_size").value == 48


def test_noise_breaks_the_test_card():
    app = new_app(PAGE).run()
    text = next(m.value for m in app.markdown if m.value.startswith("**Noise.**"))
    noisy = ft.known_lines_and_circles(noise=30)
    lines = ft.hough_lines(canny_opencv(noisy, sigma=1.0, low=50, high=100), threshold=70, max_lines=500)
    circles = ft.find_circles(noisy, min_radius=15, max_radius=60, threshold=40, blur=1.0)
    _, false_lines, _, false_circles = ft.card_score(lines.lines, circles.circles)
    assert f"**{false_lines} false lines and {false_circles} false circles**" in text
    assert false_lines > 0 and false_circles > 0


def test_rho_exercise():
    app = new_app(PAGE).run()
    assert feedback(answer(app, "features_rho", 50.0))[1]
    assert feedback(answer(app, "features_rho", 49.6))[0]


def test_coins_exercise_is_reached_with_the_right_settings():
    app = check_target(new_app(PAGE, {"img": "coins", "features_method": "circles"}).run(), "features_coins")
    assert not feedback(app)[0]  # the defaults find 21
    right = check_target(new_app(PAGE, {"img": "coins", "features_method": "circles", "features_acc": "25"}).run(),
                         "features_coins")
    assert feedback(right)[0] and "features_coins" in right.session_state["pl_progress"]


@pytest.mark.parametrize("sample", ["camera", "shapes"])
def test_scale_exercise_answer_is_computed_for_the_image(sample):
    image = grey(sample)
    turned, halved = ft.corner_change(image, angle=30), ft.corner_change(image, scale=0.5)
    assert turned.share > halved.share + 0.05  # on both, halving loses more
    app = new_app(PAGE, {"img": sample}).run()
    assert feedback(answer(app, "features_scale", "Rotating it by 30°"))[1]
    assert feedback(answer(app, "features_scale", "Halving its size"))[0]


def test_bright_exercise():
    astronaut = grey("astronaut")
    patch, top, left = ft.cut_template(astronaut, row=256, col=256, size=32)
    bright = ft.match_template(astronaut, patch, method="ccorr")
    assert (bright.top, bright.left) != (top, left)
    app = new_app(PAGE).run()
    assert feedback(answer(app, "features_bright", "normalised correlation"))[1]
    assert feedback(answer(app, "features_bright", "correlation"))[0]


@pytest.mark.parametrize("method", ["lines", "corners", "templates"])
def test_a_rerun_with_nothing_changed_encodes_no_picture(monkeypatch, method):
    from tests.app.helpers import assert_rerun_encodes_no_picture

    assert_rerun_encodes_no_picture(monkeypatch, PAGE, {"features_method": method})


def test_votes_chart_marks_the_threshold():
    import xml.etree.ElementTree as ET

    from tests.app.helpers import SVG
    from ui.charts import votes_svg

    root = ET.fromstring(votes_svg([90.0, 50.0, 31.0], threshold=30))
    assert [t.text for t in root.iter(f"{SVG}text") if t.text and "threshold" in t.text]
    ET.fromstring(votes_svg([], threshold=30))  # nothing found: still a chart
