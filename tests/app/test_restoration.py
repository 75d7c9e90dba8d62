"""Blur and restoration: code panels reproduce the page, exercises grade right and wrong answers, links reopen
the settings, a click picks the noise patch, and the page runs on other samples and modes."""

from processing import restoration as rs
from processing.color import as_gray
from processing.frequency import fit_within
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

PAGE = "pages/14_restoration.py"

SETTINGS = [
    {},
    {"restoration_method": "inverse", "restoration_eps": "0.1", "restoration_angle": "90"},
    {"restoration_method": "richardson_lucy", "restoration_iterations": "25", "restoration_psf": "defocus",
     "restoration_radius": "3"},
    {"img": "coffee", "restoration_length": "8", "restoration_angle": "0", "restoration_noise": "0",
     "restoration_k": "0.0001"},
    {"img": "hubble", "restoration_length": "1", "restoration_method": "richardson_lucy",
     "restoration_iterations": "3"},
]


def camera():
    return fit_within(as_gray(load_sample("camera")), max_side=rs.MAX_SIDE)


def test_every_code_panel_reproduces_what_the_page_shows(tmp_path):
    panels = record_panels(PAGE, SETTINGS, per_run=1)
    assert any("cv2.resize(grey" in code for code, _, _ in panels)  # the larger samples are shrunk to 256
    # Richardson-Lucy runs in float32 on the page and in float64 in the code: within one grey level.
    assert_code_panels_reproduce(panels, tmp_path, atol=1)
    assert_code_panels_reproduce(panels[:2] + panels[3:4], tmp_path)  # inverse and Wiener: exactly


def notes(app) -> str:
    return "\n".join(block.value for block in app.markdown)


def test_the_page_quotes_the_scores_of_the_image_on_screen():
    clean = camera()
    psf = rs.motion_psf(length=15, angle=30)
    degraded = rs.degrade(clean, psf, noise=3)
    restored = rs.restore(degraded, psf, method="wiener", balance=0.03)
    app = new_app(PAGE).run()
    assert not problems(app)
    text = notes(app)
    blurred, wiener = rs.scores(clean, degraded), rs.scores(clean, restored)
    assert f"scores PSNR {blurred.psnr:.1f} dB, SSIM {blurred.ssim:.2f}" in text
    assert f"brings it to **PSNR {wiener.psnr:.1f} dB, SSIM {wiener.ssim:.2f}**" in text
    best = int(rs.richardson_lucy_series(degraded, psf, clean, iterations=100).psnr.argmax()) + 1
    assert f"best after **{best}** iterations" in text


def test_link_reopens_the_same_settings():
    query = {"img": "coins", "restoration_psf": "defocus", "restoration_length": "9", "restoration_angle": "45",
             "restoration_radius": "6", "restoration_noise": "1.5", "restoration_method": "inverse",
             "restoration_eps": "0.1", "restoration_k": "0.001", "restoration_iterations": "40",
             "restoration_model": "poisson", "restoration_level": "20", "restoration_row": "10",
             "restoration_col": "20", "restoration_density": "35", "restoration_filter": "alpha_trimmed",
             "restoration_size": "5", "restoration_trim": "6"}
    app = new_app(PAGE, query).run()
    assert not problems(app)
    for key in ("restoration_length", "restoration_angle", "restoration_radius", "restoration_noise",
                "restoration_iterations", "restoration_level", "restoration_row", "restoration_col",
                "restoration_density", "restoration_trim"):
        assert app.slider(key=key).value == float(query[key]), key
    for key in ("restoration_eps", "restoration_k", "restoration_size"):
        assert app.select_slider(key=key).value == float(query[key]), key
    for key in ("restoration_psf", "restoration_method", "restoration_model"):
        assert app.segmented_control(key=key).value == query[key], key
    assert app.selectbox(key="restoration_filter").value == "alpha_trimmed"


def test_a_click_on_the_noisy_image_moves_the_patch():
    app = new_app(PAGE).run()
    # The picture is drawn 2 × 2 per pixel: (x, y) = (100, 300) is row 150, column 50.
    app.session_state["restoration_click"] = {"x": 100, "y": 300, "width": 512, "height": 512, "unix_time": 1}
    app.run()
    assert not problems(app)
    assert (app.slider(key="restoration_row").value, app.slider(key="restoration_col").value) == (150, 50)


def test_the_patch_starts_on_the_flat_sky_and_salt_and_pepper_is_recognised():
    app = new_app(PAGE).run()
    row, col = rs.flattest_patch(camera(), size=32)
    assert (app.slider(key="restoration_row").value, app.slider(key="restoration_col").value) == (row, col)
    assert "| **Gaussian** |" in notes(app)
    app = new_app(PAGE, {"restoration_model": "salt_pepper", "restoration_level": "20"}).run()
    assert "| **Salt and pepper** |" in notes(app)
    app = new_app(PAGE, {"restoration_model": "none"}).run()  # the image's own noise
    assert not problems(app)
    clean = camera()
    fit = rs.fit_noise_models(clean, row=row, col=col, size=32)
    assert f"| {fit.parameters['gaussian']} |" in notes(app)


def test_zero_exercise():
    app = new_app(PAGE).run()
    assert feedback(answer(app, "restoration_zero", 8))[1]
    assert feedback(answer(app, "restoration_zero", 0.125))[0]


def test_order_exercise():
    fixed = rs.compare_order_filters(camera(), densities=(0.4,), size=3, trim=2)
    assert fixed.filtered["adaptive_median"][0] > max(fixed.filtered[k][0] for k in ("median", "alpha_trimmed",
                                                                                      "midpoint"))
    app = new_app(PAGE).run()
    assert feedback(answer(app, "restoration_order", "Median"))[1]
    assert feedback(answer(app, "restoration_order", "Adaptive median"))[0]


def test_iterations_exercise():
    app = check_target(new_app(PAGE).run(), "restoration_iterations")  # 10 iterations: too few
    assert any("Not yet" in e.value for e in app.error)
    clean = camera()
    psf = rs.motion_psf(length=15, angle=30)
    series = rs.richardson_lucy_series(rs.degrade(clean, psf, noise=3), psf, clean, iterations=100)
    best = int(series.psnr.argmax()) + 1
    app = check_target(new_app(PAGE, {"restoration_iterations": str(best)}).run(), "restoration_iterations")
    assert any("Goal reached" in s.value for s in app.success), [e.value for e in app.error]


def test_page_runs_clean_on_other_samples_and_modes():
    app = new_app(PAGE, {"restoration_method": "richardson_lucy", "restoration_psf": "defocus",
                         "restoration_model": "uniform", "restoration_filter": "midpoint", "restoration_size": "7",
                         "restoration_trim": "48"}).run()
    for sample_id in ("coffee", "text", "checkerboard"):
        app.selectbox(key="img").set_value(sample_id).run()
        assert not problems(app), (sample_id, problems(app))
    app.select_slider(key="restoration_size").set_value(3).run()
    assert not problems(app)
    assert app.slider(key="restoration_trim").value == 8  # kept inside 0..3² - 1
