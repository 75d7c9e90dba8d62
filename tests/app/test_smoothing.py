"""Smoothing and sharpening: code panels reproduce the page, quoted scores are the processing values,
exercises grade right and wrong answers, links reopen settings, every sample and tiny uploads run clean."""


import re

import numpy as np
import pytest

from processing import filters
from processing.color import to_gray
from processing.edges import strongest_edge
from processing.samples import load_sample
from tests.app.helpers import (
    answer,
    check_target,
    assert_code_panels_reproduce,
    CodeRecorder,
    feedback,
    new_app,
    open_with_upload,
    problems,
    SWEEP_SAMPLES,
)

PAGE = "pages/06_smoothing.py"

SETTINGS = [
    {},  # defaults: Gaussian noise, bilateral shown, unsharp mask
    {"smoothing_noise": "salt_pepper", "smoothing_amount": "0.2", "smoothing_filter": "median",
     "smoothing_size": "3", "smoothing_sharp": "kernel", "smoothing_kernel_strength": "1.7"},
    {"img": "camera", "smoothing_noise": "speckle", "smoothing_speckle": "0.5", "smoothing_filter": "box",
     "smoothing_usm_amount": "3.0", "smoothing_usm_radius": "1.5", "smoothing_usm_threshold": "5"},
    {"smoothing_filter": "gaussian", "smoothing_gsigma": "2.5", "smoothing_seed": "7", "smoothing_sigma": "40"},
    {"img": "coins", "smoothing_filter": "nl_means", "smoothing_h": "12", "smoothing_nlm": "false"},
    {"img": "chelsea", "smoothing_filter": "nl_means", "smoothing_noise": "salt_pepper"},
]


def run(query=None):
    app = new_app(PAGE, query).run()
    assert not problems(app), problems(app)
    return app


def test_every_code_panel_reproduces_what_the_page_shows(tmp_path):
    panels = []
    for query in SETTINGS:
        with CodeRecorder() as recorder:
            run(query)
        assert len(recorder.panels) == 2, query
        denoising, sharpening = recorder.panels  # the denoising panel's code comes first, then sharpening's
        assert "cv2.PSNR(img, result)" in denoising[0] and "unclipped" in sharpening[0], query
        panels += recorder.panels
    assert_code_panels_reproduce(panels, tmp_path)


def test_noise_code_uses_the_seed_and_the_processing_noise():
    with CodeRecorder() as recorder:
        run({"smoothing_seed": "42", "smoothing_filter": "box"})
    code, _, shown = recorder.panels[0]  # noise and denoising (sharpening's comes after)
    assert "np.random.default_rng(seed)" in code and "sigma, seed = 25.0, 42" in code
    noisy = filters.add_gaussian_noise(load_sample("astronaut"), sigma=25, seed=42)
    np.testing.assert_array_equal(shown, filters.box_blur(noisy, size=5))


def expected_scores(clean, results):
    grey = to_gray if clean.ndim == 3 else (lambda x: x)
    return {name: (round(filters.psnr(clean, r), 2), round(filters.ssim(grey(clean), grey(r)), 3))
            for name, r in results.items()}


@pytest.mark.parametrize("sample", ["astronaut", "camera"])
def test_quoted_psnr_and_ssim_equal_the_processing_values(sample):
    app = run({"img": sample, "smoothing_noise": "salt_pepper", "smoothing_amount": "0.1"})
    clean = load_sample(sample)
    noisy = filters.add_salt_and_pepper(clean, amount=0.1, seed=0)
    results = {
        "none (noisy image)": noisy,
        "Box": filters.box_blur(noisy, size=5),
        "Gaussian": filters.gaussian_blur(noisy, sigma=1.0),
        "Median": filters.median_blur(noisy, size=5),
        "Bilateral": filters.bilateral_filter(noisy, diameter=9, sigma_color=75, sigma_space=75),
        "Non-local means": filters.nl_means_denoise(noisy, h=20, template_size=7, search_size=11),
    }
    table = app.dataframe[0].value
    quoted = {row["filter"]: (row["PSNR (dB)"], row["SSIM"]) for _, row in table.iterrows()}
    assert quoted == expected_scores(clean, results)
    best = max((name for name in results if name != "none (noisy image)"), key=lambda n: quoted[n][0])
    notice = next(m.value for m in app.markdown if "gives the best PSNR here" in m.value)
    assert f"**{best.lower()}** gives the best PSNR here, {quoted[best][0]:.1f} dB" in notice
    # The bars draw the same scores: the best filter has the longest one.
    bars = table.set_index("filter")["PSNR bar"]
    assert bars.idxmax() == best and (bars.round(2) == table.set_index("filter")["PSNR (dB)"]).all()


def test_salt_and_pepper_target_exercise():
    reached = check_target(run({"smoothing_noise": "salt_pepper", "smoothing_amount": "0.1",
                                "smoothing_filter": "median", "smoothing_size": "3"}), "smoothing_salt")
    assert any("Goal reached" in s for s in feedback(reached)[0])
    assert "smoothing_salt" in reached.session_state["pl_progress"]
    for query in ({"smoothing_noise": "salt_pepper", "smoothing_amount": "0.1", "smoothing_filter": "box"},
                  {"smoothing_noise": "gaussian", "smoothing_filter": "median", "smoothing_size": "3"},
                  {"smoothing_noise": "salt_pepper", "smoothing_amount": "0.05", "smoothing_filter": "median",
                   "smoothing_size": "3"}):
        missed = check_target(run(query), "smoothing_salt")
        assert not any("Goal reached" in s for s in feedback(missed)[0]), query
        progress = missed.session_state["pl_progress"] if "pl_progress" in missed.session_state else set()
        assert "smoothing_salt" not in progress


def test_best_filter_exercise_answer_is_computed():
    clean = load_sample("astronaut")
    noisy = filters.add_salt_and_pepper(clean, amount=0.1, seed=0)
    scores = {
        "Box": filters.psnr(clean, filters.box_blur(noisy, size=5)),
        "Gaussian": filters.psnr(clean, filters.gaussian_blur(noisy, sigma=1.0)),
        "Median": filters.psnr(clean, filters.median_blur(noisy, size=5)),
        "Bilateral": filters.psnr(clean, filters.bilateral_filter(noisy, diameter=9, sigma_color=75, sigma_space=75)),
    }
    best = max(scores, key=scores.get)
    app = run()
    wrong = next(name for name in scores if name != best)
    assert feedback(answer(app, "smoothing_best", wrong))[1]
    assert feedback(answer(app, "smoothing_best", best))[0]


@pytest.mark.parametrize("sample", ["astronaut", "coins"])
def test_unsharp_exercise(sample):
    clean = load_sample(sample)
    grey = to_gray(clean) if clean.ndim == 3 else clean
    row, col = strongest_edge(grey)
    value, blurred = int(grey[row, col]), int(filters.gaussian_blur(grey, sigma=2.0)[row, col])
    expected = value + 1.5 * (value - blurred)
    # The same number comes out of unsharp_mask on the grey image.
    assert filters.unsharp_mask(grey, amount=1.5, sigma=2.0).unclipped[row, col] == pytest.approx(expected)
    app = run({"img": sample})
    assert feedback(answer(app, "smoothing_unsharp", expected + 3))[1]
    assert feedback(answer(app, "smoothing_unsharp", expected))[0]


def test_link_reopens_the_same_settings():
    query = {"img": "coffee", "smoothing_noise": "speckle", "smoothing_speckle": "0.45", "smoothing_seed": "3",
             "smoothing_filter": "median", "smoothing_size": "7", "smoothing_gsigma": "2.2",
             "smoothing_diameter": "5", "smoothing_scolour": "40", "smoothing_nlm": "false", "smoothing_h": "9",
             "smoothing_sharp": "unsharp", "smoothing_usm_amount": "2.5", "smoothing_usm_radius": "4.0",
             "smoothing_usm_threshold": "12"}
    app = run(query)
    assert app.selectbox(key="img").value == "coffee"
    assert app.segmented_control(key="smoothing_noise").value == "speckle"
    assert app.slider(key="smoothing_speckle").value == pytest.approx(0.45)
    assert app.number_input(key="smoothing_seed").value == 3
    assert app.segmented_control(key="smoothing_filter").value == "median"
    assert app.slider(key="smoothing_size").value == 7
    assert app.slider(key="smoothing_gsigma").value == pytest.approx(2.2)
    assert app.slider(key="smoothing_diameter").value == 5
    assert app.slider(key="smoothing_scolour").value == 40
    assert app.toggle(key="smoothing_nlm").value is False
    assert app.slider(key="smoothing_h").value == 9
    assert app.slider(key="smoothing_usm_amount").value == pytest.approx(2.5)
    assert app.slider(key="smoothing_usm_radius").value == pytest.approx(4.0)
    assert app.slider(key="smoothing_usm_threshold").value == 12
    filters_shown = list(app.dataframe[0].value["filter"])
    assert filters_shown[-1] == "Bilateral"  # non-local means left out


def test_page_runs_clean_on_every_sample():
    app = run({"smoothing_noise": "salt_pepper", "smoothing_sharp": "kernel"})
    for sample_id in SWEEP_SAMPLES:
        app.selectbox(key="img").set_value(sample_id).run()
        assert not problems(app), (sample_id, problems(app))


@pytest.mark.parametrize("shape", [(1, 1), (5, 4, 3), (6, 30)])
def test_tiny_uploads_show_a_message_instead_of_ssim(shape):
    pixels = np.random.default_rng(0).integers(0, 256, shape, dtype=np.uint8)
    app = open_with_upload(PAGE, pixels)
    assert not problems(app), problems(app)
    assert app.dataframe[0].value["SSIM"].isna().all()
    assert any("cannot be computed" in c.value for c in app.caption)


@pytest.mark.parametrize("method", ["box", "median"])
@pytest.mark.parametrize("shape", [(1, 1), (3, 5), (3, 5, 3)])
def test_a_window_larger_than_the_image_is_explained(shape, method):
    pixels = np.random.default_rng(2).integers(0, 256, shape, dtype=np.uint8)
    app = open_with_upload(PAGE, pixels, {"smoothing_filter": method, "smoothing_size": "15"})
    assert not problems(app), problems(app)
    assert app.slider(key="smoothing_size").value == 15
    notes = [info.value for info in app.info if "window is larger than this" in info.value]
    assert len(notes) == 1 and f"{shape[1]} × {shape[0]} image" in notes[0]
    # The table still scores the filter shown, against the processing value.
    noisy = filters.add_gaussian_noise(pixels, sigma=25, seed=0)
    filtered = (filters.box_blur if method == "box" else filters.median_blur)(noisy, size=15)
    row = app.dataframe[0].value.set_index("filter").loc[method.capitalize()]
    assert row["PSNR (dB)"] == round(filters.psnr(pixels, filtered), 2)


def test_a_window_that_fits_is_not_flagged():
    pixels = np.random.default_rng(3).integers(0, 256, (20, 30), dtype=np.uint8)
    app = open_with_upload(PAGE, pixels, {"smoothing_filter": "median", "smoothing_size": "15"})
    assert not problems(app), problems(app)
    assert not any("window is larger than this" in info.value for info in app.info)


def shown_text(app) -> str:
    """Markdown, captions and image captions on the page, as one string."""
    image_captions = [caption for element in app.get("image") for caption in element.captions]
    return " ".join([m.value for m in app.markdown] + [c.value for c in app.caption] + image_captions)


def test_identical_images_show_an_infinite_psnr_honestly():
    """A constant image without noise: every PSNR is infinite; the page says so instead of "inf dB"."""
    flat = np.full((48, 64, 3), (20, 120, 200), np.uint8)
    app = open_with_upload(PAGE, flat, {"smoothing_sigma": "0", "smoothing_filter": "box"})
    assert not problems(app), problems(app)
    text = shown_text(app)
    assert "inf dB" not in text and not re.search(r"\bnan\b", text)
    assert "PSNR ∞ dB (identical)" in text  # the noisy and filtered captions
    assert "the noisy image equals the clean one (PSNR is infinite)" in text
    assert "A PSNR of ∞ (inf) means the result equals the clean image" in text
    table = app.dataframe[0].value.set_index("filter")["PSNR (dB)"]
    # Box, Gaussian, median and bilateral leave a constant image exactly as it is; non-local means works in
    # another colour space and comes back rounded, so it is scored like any other result.
    for name, expected in (("none (noisy image)", flat), ("Box", filters.box_blur(flat, size=5)),
                           ("Gaussian", filters.gaussian_blur(flat, sigma=1.0)),
                           ("Median", filters.median_blur(flat, size=5)),
                           ("Bilateral", filters.bilateral_filter(flat, diameter=9, sigma_color=75, sigma_space=75)),
                           ("Non-local means", filters.nl_means_denoise(flat, h=20, template_size=7, search_size=11))):
        assert table[name] == round(filters.psnr(flat, expected), 2), name
    assert np.isinf(table[["none (noisy image)", "Box", "Gaussian", "Median", "Bilateral"]]).all()
    # An infinite PSNR cannot be drawn as a bar of its length: it fills the bar (the number column says ∞).
    bars = app.dataframe[0].value.set_index("filter")["PSNR bar"]
    assert np.isfinite(bars).all() and (bars[np.isinf(table)] == bars.max()).all()
    assert "leaves exactly as it was (PSNR ∞: identical)" in text  # where it breaks


def test_a_constant_image_with_noise_keeps_finite_scores():
    flat = np.full((64, 64), 77, np.uint8)
    app = open_with_upload(PAGE, flat, {"smoothing_noise": "salt_pepper", "smoothing_amount": "0.05",
                                        "smoothing_filter": "median", "smoothing_size": "5"})
    assert not problems(app), problems(app)
    noisy = filters.add_salt_and_pepper(flat, amount=0.05, seed=0)
    median = filters.median_blur(noisy, size=5)
    table = app.dataframe[0].value.set_index("filter")
    assert table.loc["none (noisy image)", "PSNR (dB)"] == round(filters.psnr(flat, noisy), 2)
    # The median removes every speck of a constant image: the result is identical to the clean one.
    np.testing.assert_array_equal(median, flat)
    assert np.isinf(table.loc["Median", "PSNR (dB)"])
    assert table.loc["Box", "PSNR (dB)"] == round(filters.psnr(flat, filters.box_blur(noisy, size=5)), 2)
    text = shown_text(app)
    assert "inf dB" not in text
    assert "**median** gives back the clean image exactly (PSNR ∞" in text
    assert "PSNR ∞ dB (identical)" in text  # the caption of the filtered image


def test_black_lifted_by_clipped_noise_is_explained_with_the_processing_numbers():
    app = run({"img": "astronaut"})  # Gaussian noise of σ 25 and the bilateral filter: the defaults
    clean = load_sample("astronaut")
    noisy = filters.add_gaussian_noise(clean, sigma=25, seed=0)
    bias = filters.dark_bias(clean, noisy, filters.bilateral_filter(noisy, diameter=9, sigma_color=75,
                                                                    sigma_space=75))
    assert 9 < bias.noisy_mean < 11  # σ / √(2π): clipped noise on black is not zero-mean
    assert (f"the noisy image averages {bias.noisy_mean:.1f} and the bilateral result {bias.result_mean:.1f}"
            in shown_text(app))


def test_halo_close_up_uses_a_mid_grey_edge_whose_rims_are_not_clipped():
    app = run({"smoothing_usm_amount": "2.0", "smoothing_usm_radius": "1.5"})
    edge = filters.step_edge()
    stats = filters.overshoot_stats(edge, filters.unsharp_mask(edge, amount=2.0, sigma=1.5).unclipped)
    assert stats.clipped_fraction == 0 and stats.max_overshoot > 20
    assert (f"the bright side rises {stats.max_overshoot:.0f} levels above 176 and the dark side falls "
            f"{stats.max_undershoot:.0f} below 80") in shown_text(app)
