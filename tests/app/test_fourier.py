"""The frequency domain: code panels reproduce the page, exercises grade right and wrong answers, links reopen
the settings, a click on the spectrum (or the sliders alone) picks a point, and the page runs on other samples."""

from processing import frequency as fq
from processing.color import as_gray
from processing.filters import psnr
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

PAGE = "pages/13_fourier.py"
CAMERA_NOISE = fq.noise_position((512, 512))  # the default sample, 512 × 512

SETTINGS = [
    {},
    {"fourier_kind": "gaussian", "fourier_cutoff": "0.1", "fourier_notch_u": str(CAMERA_NOISE[0]),
     "fourier_notch_v": str(CAMERA_NOISE[1]), "fourier_radius": "2"},
    {"img": "coffee", "fourier_kind": "butterworth", "fourier_pass": "high", "fourier_order": "4",
     "fourier_cutoff": "0.2", "fourier_radius": "0"},
    {"img": "hubble", "fourier_pass": "high", "fourier_notch_u": "-30", "fourier_notch_v": "7"},
]


def test_every_code_panel_reproduces_what_the_page_shows(tmp_path):
    panels = record_panels(PAGE, SETTINGS, per_run=2)
    assert any("cv2.resize(grey" in code for code, _, _ in panels)  # hubble and coffee are shrunk to 512
    assert_code_panels_reproduce(panels, tmp_path)


def notes(app) -> str:
    return "\n".join(block.value for block in app.markdown)


def test_the_ideal_low_pass_rings_and_the_gaussian_is_a_blur():
    app = new_app(PAGE).run()
    assert "outside 0-255" in notes(app) and "Gibbs" in notes(app)
    app = new_app(PAGE, {"fourier_kind": "gaussian", "fourier_cutoff": "0.1"}).run()
    assert not problems(app)
    text = notes(app)
    assert "σ = 1 / (2π D0) = **1.59 pixels**" in text
    gap = float(text.split("to within **")[1].split(" grey levels")[0])
    assert gap < 0.05  # the convolution theorem, on the image on screen


def test_a_click_on_the_spectrum_moves_the_u_and_v_sliders():
    app = new_app(PAGE).run()
    # The spectrum is shown at its own width: pixel (x, y) is u = x - 256, v = y - 256.
    app.session_state["fourier_click"] = {"x": 266, "y": 230, "width": 512, "height": 512, "unix_time": 1}
    app.run()
    assert not problems(app)
    assert (app.slider(key="fourier_u").value, app.slider(key="fourier_v").value) == (10, -26)
    assert "one crest every **18.4 pixels**" in notes(app)  # 512 / √(10² + 26²)
    # A click shown on a picture half the size lands on the same place.
    app.session_state["fourier_click"] = {"x": 133, "y": 115, "width": 256, "height": 256, "unix_time": 2}
    app.run()
    assert (app.slider(key="fourier_u").value, app.slider(key="fourier_v").value) == (10, -26)


def test_the_sliders_alone_pick_a_point():
    app = new_app(PAGE).run()
    app.slider(key="fourier_u").set_value(32).run()
    app.slider(key="fourier_v").set_value(0).run()
    assert not problems(app)
    assert "one crest every **16.0 pixels**" in notes(app)  # 512 / 32
    app.slider(key="fourier_u").set_value(0).run()
    assert "it is the **mean** of the image" in notes(app)


def test_link_reopens_the_same_settings():
    query = {"img": "brick", "fourier_u": "5", "fourier_v": "-7", "fourier_f1": "0.2", "fourier_a1": "30",
             "fourier_f3": "0.1", "fourier_kind": "butterworth", "fourier_pass": "high", "fourier_cutoff": "0.3",
             "fourier_order": "6", "fourier_row": "100", "fourier_notch_u": "-3", "fourier_notch_v": "4",
             "fourier_radius": "7", "fourier_other": "coins"}
    app = new_app(PAGE, query).run()
    assert not problems(app)
    assert app.selectbox(key="img").value == "brick"
    for key in ("fourier_u", "fourier_v", "fourier_f1", "fourier_a1", "fourier_f3", "fourier_cutoff", "fourier_order",
                "fourier_row", "fourier_notch_u", "fourier_notch_v", "fourier_radius"):
        assert app.slider(key=key).value == type(app.slider(key=key).value)(float(query[key])), key
    assert app.segmented_control(key="fourier_kind").value == "butterworth"
    assert app.segmented_control(key="fourier_pass").value == "high"
    assert app.selectbox(key="fourier_other").value == "coins"


def test_period_exercise():
    app = new_app(PAGE).run()
    assert feedback(answer(app, "fourier_period", 20))[1]  # cycles, not pixels
    assert feedback(answer(app, "fourier_period", 12.8))[0]


def test_stripes_exercise():
    app = new_app(PAGE).run()
    assert feedback(answer(app, "fourier_stripes", "A"))[1]  # horizontal stripes
    assert feedback(answer(app, "fourier_stripes", "C"))[0]
    assert "fourier_stripes" in app.session_state["pl_progress"]


def test_sigma_exercise():
    app = new_app(PAGE).run()
    assert feedback(answer(app, "fourier_sigma", 0.1))[1]
    assert feedback(answer(app, "fourier_sigma", 1.59))[0]


def test_notch_exercise_passes_only_on_the_spikes():
    app = check_target(new_app(PAGE).run(), "fourier_notch")
    assert any("Not yet" in e.value for e in app.error)
    u, v = CAMERA_NOISE
    app = check_target(new_app(PAGE, {"fourier_notch_u": str(-u), "fourier_notch_v": str(-v)}).run(), "fourier_notch")
    assert any("Goal reached" in s.value for s in app.success), [e.value for e in app.error]


def test_the_notch_removes_the_stripes_the_page_added():
    grey = as_gray(load_sample("camera"))
    u, v = CAMERA_NOISE
    noisy = fq.add_periodic_noise(grey, amplitude=30)
    app = new_app(PAGE, {"fourier_notch_u": str(u), "fourier_notch_v": str(v), "fourier_radius": "3"}).run()
    assert "The stripes are gone" in notes(app)
    assert f"goes from {psnr(grey, noisy):.1f} dB to" in notes(app)


def test_page_runs_clean_on_other_samples_and_modes():
    app = new_app(PAGE, {"fourier_kind": "butterworth", "fourier_pass": "high", "fourier_u": "-200",
                         "fourier_v": "200"}).run()
    for sample_id in ("coffee", "text", "checkerboard", "ramp"):
        app.selectbox(key="img").set_value(sample_id).run()
        assert not problems(app), (sample_id, problems(app))
    # -200 was kept inside the checkerboard's -160..159 (320 wide) and stays there on the ramp.
    assert app.slider(key="fourier_u").value == -160
