"""Every page in the registry runs clean in AppTest: on defaults, on samples, from a URL."""

import numpy as np
import pytest

from processing.samples import SAMPLES
from tests.app.helpers import LESSON_PAGES, PAGES, CodeRecorder, new_app, problems
from ui import exercises
from ui.lessons import LESSONS


#: Samples per page for the sweep below: each page takes the next four of the sixteen in turn, so every sample
#: is opened on four or five different pages (a sample on every page would be 288 runs; this is 72).
PER_PAGE = 4


def samples_for(page: str) -> list[str]:
    start = PAGES.index(page) * PER_PAGE
    return [list(SAMPLES)[(start + offset) % len(SAMPLES)] for offset in range(PER_PAGE)]


def test_the_sweep_opens_every_sample_on_several_pages():
    opened = [sample_id for page in PAGES for sample_id in samples_for(page)]
    assert {sample_id: opened.count(sample_id) >= 4 for sample_id in SAMPLES} == dict.fromkeys(SAMPLES, True)


@pytest.mark.parametrize("page", PAGES)
def test_page_runs_clean_on_its_share_of_the_samples(page):
    app = new_app(page).run()
    assert not problems(app), problems(app)
    for sample_id in samples_for(page):
        app.selectbox(key="img").set_value(sample_id).run()
        assert not problems(app), (sample_id, problems(app))


@pytest.mark.parametrize("page", PAGES)
def test_page_opens_on_the_sample_named_in_the_url(page):
    app = new_app(page, {"img": "coins"}).run()
    assert app.selectbox(key="img").value == "coins"
    assert not problems(app)


def test_registry_pages_exist_and_slugs_match_their_urls():
    from tests.app.helpers import ROOT

    for lesson in LESSONS:
        path = ROOT / lesson.page
        assert path.exists(), lesson.page
        # A file pages/NN_slug.py is served at /slug: the slug is what teachers share.
        assert path.stem.split("_", 1)[1] == lesson.slug
    assert len({lesson.slug for lesson in LESSONS}) == len(LESSONS)
    assert len({e for lesson in LESSONS for e in lesson.exercises}) == sum(len(x.exercises) for x in LESSONS)


@pytest.mark.parametrize("page", LESSON_PAGES)
def test_lesson_shows_exactly_its_registered_exercises(page):
    lesson = next(lesson for lesson in LESSONS if lesson.page == page)
    shown: list[str] = []
    exercises.LISTENERS.append(shown.append)
    try:
        app = new_app(page).run()
    finally:
        exercises.LISTENERS.remove(shown.append)
    assert not problems(app)
    assert len(lesson.exercises) >= 2
    assert sorted(shown) == sorted(lesson.exercises)


#: Code panels that send their code only while open (`ui.code.show_code`'s key), by page.
LAZY_CODE_PANELS = {"pages/17_pipeline.py": "pipeline_code"}


@pytest.mark.parametrize("page", LESSON_PAGES)
def test_lesson_has_a_code_panel_for_its_result(page):
    with CodeRecorder() as recorder:
        app = new_app(page)
        if page in LAZY_CODE_PANELS:
            app.session_state[LAZY_CODE_PANELS[page]] = True  # what opening the panel does
        app.run()
    assert not problems(app)
    assert recorder.panels, "every lesson shows the code for its current settings"
    assert any(code.strip() in block.value for code, _, _ in recorder.panels for block in app.code)


def test_a_control_changes_the_result():
    with CodeRecorder() as recorder:
        app = new_app("pages/01_arrays.py", {"arrays_op": "levels"}).run()
        app.select_slider(key="arrays_levels").set_value(16).run()
    (_, _, four), (_, _, sixteen) = recorder.panels[0], recorder.panels[-1]
    assert len(np.unique(four)) <= 4 < len(np.unique(sixteen)) <= 16


@pytest.mark.parametrize(
    ("query", "key", "kind", "expected"),
    [
        ({"arrays_op": "levels", "arrays_levels": "16"}, "arrays_levels", "select_slider", 16),
        ({"arrays_op": "add", "arrays_amount": "-30"}, "arrays_amount", "slider", -30),
        ({"arrays_op": "pixels", "arrays_factor": "4"}, "arrays_factor", "slider", 4),
        ({"arrays_op": "save", "arrays_format": "png"}, "arrays_format", "radio", "png"),
        ({"arrays_row": "10", "arrays_col": "20"}, "arrays_col", "slider", 20),
        ({"hist_log": "true"}, "hist_log", "toggle", True),
    ],
)
def test_query_parameters_seed_the_widgets(query, key, kind, expected):
    app = new_app("pages/01_arrays.py", query).run()
    assert not problems(app)
    assert getattr(app, kind)(key=key).value == expected


def test_out_of_range_url_values_fall_back_to_defaults():
    app = new_app("pages/01_arrays.py", {"arrays_op": "levels", "arrays_levels": "3", "img": "nope"}).run()
    assert not problems(app)
    assert app.select_slider(key="arrays_levels").value == 4
    assert app.selectbox(key="img").value == "astronaut"


def test_imported_objects_are_frozen_once_per_new_import(monkeypatch):
    """Streamlit's full collection after every run must not walk the libraries' objects again and again."""
    import gc
    import sys
    import types

    from ui import page

    gc.unfreeze()
    monkeypatch.setattr(page, "_frozen_module_count", 0)  # as in a fresh server
    page.freeze_imported_objects()
    frozen = gc.get_freeze_count()
    assert frozen > 10_000
    # Nothing new imported: nothing new frozen. Frozen objects that other threads free meanwhile lower the count
    # (CI once saw 2 fewer), so the test checks that the objects made since were not frozen.
    made_since = [[] for _ in range(1000)]
    page.freeze_imported_objects()
    assert gc.get_freeze_count() < frozen + len(made_since) // 2
    sys.modules["pixel_lab_test_new_module"] = types.ModuleType("pixel_lab_test_new_module")
    try:
        leftovers = [[] for _ in range(1000)]  # objects alive at the next import-time freeze
        page.freeze_imported_objects()
        assert gc.get_freeze_count() >= frozen + len(leftovers)
    finally:
        del sys.modules["pixel_lab_test_new_module"]
