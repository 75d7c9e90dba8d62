"""Rules every lesson's pictures follow (issue 20): a histogram only where it means something, and each
lesson opens on the sample its registry entry names unless the learner or a link chose another."""

from __future__ import annotations

import importlib

import pytest

from processing.samples import DEFAULT_SAMPLE, SAMPLES
from tests.app.helpers import new_app, problems
from ui import display
from ui.cache import origin_of
from ui.lessons import LESSONS, LESSONS_BY_SLUG

#: Steps whose pictures are label maps, overlays or drawings on top of an image: their histogram counts
#: colours that Pixel Lab painted, so it says nothing about the image and must not be drawn.
PAINTED = (
    "edges.edge_labels_to_rgb", "features.draw_boxes", "features.draw_circles", "features.draw_lines",
    "features.draw_points", "features.draw_segments", "filters.halo_overlay", "geometry.mark_points",
    "masks.specks_picture", "masks.venn_picture", "measure.draw_label_numbers", "measure.highlight_object",
    "morphology.changes_overlay", "morphology.paint_changes", "segmentation.draw_markers",
    "segmentation.label_masks", "segmentation.label_to_rgb", "segmentation.overlay_labels",
    "threshold.labels_to_gray", "threshold.overlay_mask",
)


def test_the_painted_steps_exist():
    """A renamed function would silently drop out of the rule above."""
    for name in PAINTED:
        module, function = name.split(".")
        assert callable(getattr(importlib.import_module(f"processing.{module}"), function)), name


def histogrammed(monkeypatch, page: str, query: dict[str, str] | None = None) -> list[tuple[str, str]]:
    """(dtype, origin) of every picture that got a histogram under it while `page` ran."""
    seen = []
    real = display.show_histogram
    monkeypatch.setattr(display, "show_histogram", lambda image, **kwargs: seen.append(
        (str(image.dtype), origin_of(image) or "")) or real(image, **kwargs))
    app = new_app(page, query).run()
    assert not problems(app), problems(app)
    return seen


#: Lessons whose default view shows masks, labels or overlays, with the settings that show more of them.
SETTINGS = [("pages/08_thresholding.py", {}), ("pages/09_morphology.py", {}), ("pages/10_masks.py", {}),
            ("pages/11_segmentation.py", {}), ("pages/11_segmentation.py", {"segmentation_method": "watershed"}),
            ("pages/12_measuring.py", {}), ("pages/07_edges.py", {}), ("pages/16_features.py", {})]


@pytest.mark.parametrize(("page", "query"), SETTINGS)
def test_no_histogram_under_a_mask_label_map_or_overlay(monkeypatch, page, query):
    seen = histogrammed(monkeypatch, page, query)
    painted = [origin for dtype, origin in seen
               if dtype == "bool" or origin.split("#")[0] in {name.split(".")[1] for name in PAINTED}]
    assert painted == []


def test_the_rule_catches_a_histogram_under_an_overlay(monkeypatch):
    """The check above fails when before_after draws a histogram under an overlay."""
    real = display.show_summary
    monkeypatch.setattr(display, "show_summary", lambda image, note=None: real(image, None)
                        if image.dtype != bool else real(image, note))  # ignores every note
    seen = histogrammed(monkeypatch, "pages/12_measuring.py")
    assert any(origin.split("#")[0] in {"overlay_labels", "draw_label_numbers", "highlight_object"}
               for _, origin in seen)


@pytest.mark.parametrize("lesson", LESSONS, ids=[lesson.slug for lesson in LESSONS])
def test_each_lesson_opens_on_its_registry_sample(lesson):
    assert lesson.default_sample in SAMPLES
    app = new_app(lesson.page).run()
    assert not problems(app), problems(app)
    assert app.selectbox(key="img").value == lesson.default_sample


def test_the_binary_lessons_open_on_coins_and_a_link_still_wins():
    for slug in ("thresholding", "morphology", "segmentation", "measuring"):
        assert LESSONS_BY_SLUG[slug].default_sample == "coins"
    app = new_app(LESSONS_BY_SLUG["thresholding"].page, {"img": "camera"}).run()
    assert app.selectbox(key="img").value == "camera"


def test_an_image_the_learner_picked_follows_them_to_the_next_lesson():
    app = new_app(LESSONS_BY_SLUG["colour"].page).run()
    assert app.selectbox(key="img").value == DEFAULT_SAMPLE
    app.selectbox(key="img").set_value("chelsea").run()
    app.switch_page(LESSONS_BY_SLUG["thresholding"].page).run()
    assert app.selectbox(key="img").value == "chelsea"  # not thresholding's own default


def test_without_a_choice_each_lesson_keeps_its_own_default():
    app = new_app(LESSONS_BY_SLUG["thresholding"].page).run()
    assert app.selectbox(key="img").value == "coins"
    app.switch_page(LESSONS_BY_SLUG["colour"].page).run()
    assert app.selectbox(key="img").value == LESSONS_BY_SLUG["colour"].default_sample
