"""Segmentation: code panels reproduce the page, exercises grade right and wrong answers, links reopen settings."""

import json
import re

import cv2
import numpy as np
import pytest
import scipy.ndimage as ndi
from skimage.measure import label as sk_label
from skimage.segmentation import clear_border

from processing.samples import load_sample
from processing.segmentation import kmeans_colors, random_mask
from tests.app.helpers import (
    answer,
    assert_code_panels_reproduce,
    CodeRecorder,
    feedback,
    new_app,
    problems,
    record_panels,
    SWEEP_SAMPLES,
)

PAGE = "pages/11_segmentation.py"

SETTINGS = [
    {},  # components on the coins (the lesson's own sample), Otsu, holes filled
    {"img": "coins", "segmentation_auto": "false", "segmentation_level": "120", "segmentation_min_area": "100",
     "segmentation_connectivity": "4"},
    {"img": "page", "segmentation_dark": "true", "segmentation_fill": "false", "segmentation_min_area": "0"},
    {"img": "coins", "segmentation_method": "watershed", "segmentation_min_distance": "15"},
    {"img": "hubble", "segmentation_method": "watershed", "segmentation_markers": "threshold",
     "segmentation_fraction": "0.3"},
    {"segmentation_method": "kmeans", "segmentation_k": "5"},
    {"img": "coffee", "segmentation_method": "kmeans", "segmentation_space": "lab", "segmentation_k": "3"},
    {"img": "checkerboard", "segmentation_method": "kmeans", "segmentation_k": "4"},  # 2 colours < k
    {"img": "camera", "segmentation_method": "kmeans", "segmentation_k": "3"},  # grey
    {"segmentation_method": "slic", "segmentation_segments": "120", "segmentation_compactness": "20"},
    {"img": "moon", "segmentation_method": "slic"},  # grey
]


def test_every_code_panel_reproduces_what_the_page_shows(tmp_path):
    panels = record_panels(PAGE, SETTINGS)
    # Label images and k-means colours are integers: exact equality.
    assert_code_panels_reproduce(panels, tmp_path)


def test_code_panel_names_the_current_settings():
    with CodeRecorder() as recorder:
        new_app(PAGE, {"img": "coins", "segmentation_auto": "false", "segmentation_level": "120"}).run()
    code = recorder.panels[0][0]
    assert "cv2.threshold(gray, 120, 255, cv2.THRESH_BINARY)" in code and "skimage.data.coins()" in code


def test_counts_agree_with_scikit_image():
    """The page's count is scikit-image's label count after the same threshold, hole filling and size filter."""
    coins = load_sample("coins")
    mask = ndi.binary_fill_holes(coins > 120)
    labels = sk_label(mask, connectivity=1)
    expected = int((np.bincount(labels.ravel())[1:] >= 100).sum())
    with CodeRecorder() as recorder:
        app = new_app(PAGE, {"img": "coins", "segmentation_auto": "false", "segmentation_level": "120",
                             "segmentation_min_area": "100", "segmentation_connectivity": "4"}).run()
    assert not problems(app)
    labels = recorder.panels[0][2]
    assert labels.max() == expected
    np.testing.assert_array_equal(np.unique(labels), np.arange(expected + 1))


def test_connectivity_exercise():
    expected = int(sk_label(random_mask((9, 9), density=0.4, seed=3), connectivity=1).max())
    app = new_app(PAGE).run()
    assert feedback(answer(app, "segmentation_connectivity", expected + 1))[1]
    right = answer(app, "segmentation_connectivity", expected)
    assert feedback(right)[0] and "segmentation_connectivity" in right.session_state["pl_progress"]


def test_coins_exercise():
    coins = load_sample("coins")
    # Independently: threshold 120, fill holes, drop specks, drop objects touching the edge.
    labels = sk_label(ndi.binary_fill_holes(coins > 120))
    sizes = np.bincount(labels.ravel())
    labels[sizes[labels] < 100] = 0
    expected = len(np.unique(clear_border(labels))) - 1
    assert expected == 24  # what a person counts on the picture
    app = new_app(PAGE).run()
    assert feedback(answer(app, "segmentation_coins", 23))[1]
    assert feedback(answer(app, "segmentation_coins", expected))[0]


@pytest.mark.parametrize("sample_id", ["astronaut", "coins"])
def test_kmeans_exercise(sample_id):
    result = kmeans_colors(np.dstack([load_sample(sample_id)] * 3) if sample_id == "coins" else load_sample(sample_id),
                           k=3, seed=0)
    correct = "ABC"[int(np.argmax(result.shares))]
    wrong = next(option for option in "ABC" if option != correct)
    app = new_app(PAGE, {"img": sample_id}).run()
    assert feedback(answer(app, "segmentation_kmeans", wrong))[1]
    assert feedback(answer(app, "segmentation_kmeans", correct))[0]


def test_link_reopens_the_same_settings():
    query = {"img": "coins", "segmentation_method": "watershed", "segmentation_markers": "threshold",
             "segmentation_fraction": "0.3", "segmentation_min_area": "80", "segmentation_connectivity": "4",
             "segmentation_dark": "true", "segmentation_auto": "false", "segmentation_level": "90"}
    app = new_app(PAGE, query).run()
    assert app.selectbox(key="img").value == "coins"
    assert app.segmented_control(key="segmentation_method").value == "watershed"
    assert app.radio(key="segmentation_markers").value == "threshold"
    assert app.slider(key="segmentation_fraction").value == pytest.approx(0.3)
    assert app.slider(key="segmentation_min_area").value == 80
    assert app.radio(key="segmentation_connectivity").value == 4
    assert app.toggle(key="segmentation_dark").value is True
    assert app.slider(key="segmentation_level").value == 90
    app = new_app(PAGE, {"segmentation_method": "kmeans", "segmentation_k": "7", "segmentation_space": "lab"}).run()
    assert app.slider(key="segmentation_k").value == 7
    assert app.radio(key="segmentation_space").value == "lab"
    app = new_app(PAGE, {"segmentation_method": "slic", "segmentation_segments": "300"}).run()
    assert app.slider(key="segmentation_segments").value == 300


def test_page_runs_clean_on_every_sample():
    # Every run also computes the comparison panel: watershed, k-means and SLIC on each sample.
    app = new_app(PAGE, {"segmentation_method": "watershed"}).run()
    for sample_id in SWEEP_SAMPLES:
        app.selectbox(key="img").set_value(sample_id).run()
        assert not problems(app), (sample_id, problems(app))


def test_zero_objects_give_a_message_not_an_error():
    app = new_app(PAGE, {"img": "ramp", "segmentation_min_area": "500", "segmentation_auto": "false",
                         "segmentation_level": "255"}).run()
    assert not problems(app)
    assert any("No object is left" in m.value for m in app.markdown)


def test_superpixels_on_a_large_image_use_a_shrunk_copy_and_say_so(tmp_path):
    # Hubble (872 x 1000) is above SLIC's 300,000-pixel working size: the code panel shows the resizes.
    with CodeRecorder() as recorder:
        app = new_app(PAGE, {"img": "hubble", "segmentation_method": "slic", "segmentation_segments": "100"}).run()
    assert not problems(app)
    code = recorder.panels[0][0]
    assert "cv2.resize(img, (" in code and "INTER_NEAREST" in code
    assert_code_panels_reproduce(recorder.panels, tmp_path)


# ------------------------------------------------------------------ lesson-specific extremes

def infos(app) -> list[str]:
    return [i.value for i in app.info]


def test_kmeans_with_more_clusters_than_colours_says_how_many_are_possible():
    from tests.app.helpers import open_with_upload

    # Three colours in stripes: k = 5 can only give 3 clusters.
    pixels = np.zeros((30, 30, 3), np.uint8)
    pixels[:, 10:20] = (200, 30, 30)
    pixels[:, 20:] = (30, 200, 30)
    app = open_with_upload(PAGE, pixels, {"segmentation_method": "kmeans", "segmentation_k": "5"})
    assert not problems(app), problems(app)
    note = next(text for text in infos(app) if "distinct" in text)
    assert "k = 5" in note and "only 3 distinct colours" in note and "at most 3 clusters" in note
    # The share chart has a bar for each of the three colours, not five.
    chart = next(c for c in app.get("plotly_chart") if "share of pixels" in c.proto.spec)
    assert len(json.loads(chart.proto.spec)["data"][0]["x"]) == 3
    assert kmeans_colors(pixels, k=5, seed=0).centers.shape == (3, 3)  # the processing result agrees


def test_superpixels_with_more_segments_than_pixels_say_so():
    from tests.app.helpers import open_with_upload

    pixels = np.arange(4 * 5 * 3, dtype=np.uint8).reshape(4, 5, 3) * 4
    app = open_with_upload(PAGE, pixels, {"segmentation_method": "slic", "segmentation_segments": "1000"})
    assert not problems(app), problems(app)
    note = next(text for text in infos(app) if "superpixels" in text)
    assert "about 1000 superpixels" in note and "20 pixels" in note


@pytest.mark.parametrize("value, mask_word", [(77, "every pixel"), (0, "empty")])
def test_watershed_on_a_constant_image_explains_instead_of_failing(value, mask_word):
    from tests.app.helpers import open_with_upload

    app = open_with_upload(PAGE, np.full((40, 50), value, np.uint8), {"segmentation_method": "watershed"})
    assert not problems(app), problems(app)
    otsu = next(text for text in infos(app) if "Otsu" in text)
    assert "this image has one" in otsu and mask_word in otsu
    if value == 0:  # nothing above t = 0: nothing to flood
        assert any("nothing to flood" in text for text in infos(app))
        assert any("No objects" in text for text in infos(app))
    else:  # the whole image is one object (which the flat ridge of its distance may still split)
        assert any(m.value.startswith("Connected components found 1 object;") for m in app.markdown)


@pytest.mark.parametrize("method", ["components", "watershed"])
def test_zero_components_after_thresholding_give_a_plain_note(method):
    app = new_app(PAGE, {"img": "ramp", "segmentation_auto": "false", "segmentation_level": "255",
                         "segmentation_method": method}).run()
    assert not problems(app), problems(app)
    assert any(text.startswith("No objects: the mask (grey > 255) is empty") for text in infos(app))


COMPARISON = re.compile(r"^(Connected components: \d+ objects|Watershed: \d+ objects|k-means: \d+ colour classes"
                        r"|SLIC: \d+ superpixels)$")


def comparison_captions(app) -> list[str]:
    return [c for element in app.get("image") for c in element.captions if COMPARISON.match(c)]


def test_comparison_runs_every_method_with_its_starting_settings():
    # The comparison reads no control (it sits outside the panel's fragment and must never go stale), so other
    # settings on screen leave it as it is.
    start = comparison_captions(new_app(PAGE, {"img": "coins"}).run())
    assert len(start) == 4
    for query in ({"segmentation_auto": "false", "segmentation_level": "120", "segmentation_min_area": "100",
                   "segmentation_connectivity": "4"},
                  {"segmentation_method": "kmeans", "segmentation_k": "7"}):
        app = new_app(PAGE, {"img": "coins", **query}).run()
        assert not problems(app)
        assert comparison_captions(app)[-4:] == start, query
    # Independently: Otsu, holes filled, 8-connected, components under 50 pixels dropped.
    coins = load_sample("coins")
    otsu = cv2.threshold(coins, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)[0]
    labels = sk_label(ndi.binary_fill_holes(coins > otsu), connectivity=2)
    assert start[0] == f"Connected components: {int((np.bincount(labels.ravel())[1:] >= 50).sum())} objects"


def test_kmeans_on_a_grey_image_shows_a_grey_result_and_histogram():
    """k-means works on RGB; for a grey input its three channels are equal, so the page shows one."""
    app = new_app(PAGE, {"img": "camera", "segmentation_method": "kmeans"}).run()
    assert not problems(app), problems(app)
    alts = [picture.alt for element in app.get("image") for picture in element.proto.imgs]
    histograms = [alt for alt in alts if "levels 0-255" in alt]  # level histograms, not the measurements''' one
    assert len(histograms) == 2
    assert all(alt.startswith("Histogram of grey, levels 0-255: grey median") for alt in histograms)


# ------------------------------------------------------------------ issue 20: what a teacher reads

@pytest.mark.parametrize("method, note", [
    ("components", r"24 objects of 1,104 to 9,076 pixels \(median [\d,]+\)"),
    ("watershed", r"\d+ objects of [\d,]+ to [\d,]+ pixels \(median [\d,]+\)"),
    ("slic", r"\d+ superpixels of [\d,]+ to [\d,]+ pixels \(median [\d,]+\)"),
])
def test_label_maps_and_overlays_get_a_note_not_a_histogram(method, note):
    app = new_app(PAGE, {"segmentation_method": method}).run()  # the lesson opens on the coins
    assert not problems(app), problems(app)
    assert app.selectbox(key="img").value == "coins"
    alts = [picture.alt for element in app.get("image") for picture in element.proto.imgs]
    histograms = [alt for alt in alts if "levels 0-255" in alt]  # level histograms, not the measurements''' one
    assert len(histograms) == 1 and histograms[0].startswith("Histogram of grey, levels 0-255: grey median")
    assert any(re.fullmatch(note, caption.value) for caption in app.caption), [c.value for c in app.caption]


def test_where_it_breaks_says_touches_for_one_object():
    app = new_app(PAGE).run()
    text = next(m.value for m in app.markdown if m.value.startswith("On the coins"))
    assert "25 objects, of which 1 touches the image edge" in text


def test_kmeans_swatches_are_small_framed_squares_with_gaps(monkeypatch):
    import ui.exercises

    shown = []
    monkeypatch.setattr(ui.exercises, "show_image", lambda image, **kwargs: shown.append(np.array(image)))
    app = new_app(PAGE, {"img": "coffee"}).run()
    assert not problems(app), problems(app)
    quiz = kmeans_colors(load_sample("coffee"), k=3, seed=0)
    assert len(shown) == 3
    for centre, pixels in zip(quiz.centers, shown):
        assert pixels.shape == (48, 192, 3)  # a 48-pixel square in a strip four times as wide: white gaps
        np.testing.assert_array_equal(pixels[24, [0, 71, 72, 96, 119, 120, 191]],
                                      [[255] * 3, [255] * 3, [64] * 3, centre, [64] * 3, [255] * 3, [255] * 3])
