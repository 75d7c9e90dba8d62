"""Every lesson copes with the extreme images that do load, and with absurd values in its link.

Lesson-specific extremes (a kernel larger than the image, k above the number of
colours, an empty mask, zero objects) and the message each shows are tested in
the lesson's own test file.
"""

import numpy as np
import pytest

from tests.app.helpers import LESSON_PAGES, new_app, open_with_upload, problems

EXTREMES = {
    "1x1 grey": np.array([[128]], np.uint8),
    "1x1 colour": np.array([[[200, 30, 30]]], np.uint8),
    "1x40 grey ramp": np.linspace(0, 255, 40).astype(np.uint8)[np.newaxis, :],
    "40x1 colour": np.stack([np.linspace(0, 255, 40).astype(np.uint8)] * 3, axis=-1)[:, np.newaxis, :],
    "constant grey": np.full((64, 64), 77, np.uint8),
    "constant colour": np.full((48, 64, 3), (20, 120, 200), np.uint8),
}

#: Values nobody should put in a link; each kind goes into every control's parameter at once.
ABSURD = {
    "huge": "1000000000",
    "text": "abc<script>",
    "long": "9" * 5000,
}
SHARED_KEYS = {"img", "full_size", "hist_log", "hist_cdf", "upload_file", "use_camera", "camera_shot"}


@pytest.mark.parametrize("name", EXTREMES)
@pytest.mark.parametrize("page", LESSON_PAGES)
def test_lesson_runs_clean_on_extreme_images(page, name):
    app = open_with_upload(page, EXTREMES[name])
    assert not problems(app), problems(app)
    assert app.selectbox(key="img").value == "upload"


def learner_sets(widget) -> bool:
    """Whether the learner sets `widget` in the lesson's panels (not the shared sidebar, not an exercise answer)."""
    return bool(widget.key) and widget.key not in SHARED_KEYS and not widget.key.startswith("answer_")


def control_keys(app) -> dict[str, object]:
    """Key and value of every control a learner sets on the page (not exercises or the shared sidebar)."""
    widgets = [*app.slider, *app.select_slider, *app.number_input, *app.selectbox, *app.radio, *app.toggle,
               *app.checkbox, *app.text_input, *app.get("segmented_control"), *app.get("pills")]
    return {widget.key: widget.value for widget in widgets if learner_sets(widget)}


@pytest.mark.parametrize("kind", ABSURD)
@pytest.mark.parametrize("page", LESSON_PAGES)
def test_absurd_link_values_fall_back_with_a_note(page, kind):
    defaults = control_keys(new_app(page).run())
    app = new_app(page, {key: ABSURD[kind] for key in defaults}).run()
    assert not problems(app), problems(app)
    # Text boxes take any text (the page parses it, see the lesson's tests); every other control falls back.
    texts = {widget.key for widget in app.text_input}
    assert {k: v for k, v in control_keys(app).items() if k not in texts} == {
        k: v for k, v in defaults.items() if k not in texts}
    notes = [warning.value for warning in app.warning if "The link asked for settings" in warning.value]
    assert len(notes) == 1
    listed = {line.split(" = ")[0] for block in app.code for line in block.value.splitlines() if " = " in line}
    # Every numeric control refuses these values, so each one drawn is named in the note.
    numeric = {w.key for w in [*app.slider, *app.number_input] if w.key in defaults}
    assert numeric <= listed, numeric - listed
    # A long value is cut: the page never repeats 5,000 characters of someone's link.
    assert not any("9" * 41 in block.value for block in app.code)


@pytest.mark.parametrize("page", LESSON_PAGES)
def test_every_slider_at_its_limits(page):
    """Every enabled slider, select slider and bounded number box the page opens with, put at its highest value
    at once, then at its lowest, as a learner dragging each to its end would: the page runs clean. (A step that
    scaled the motion length 41 to 62, past the PSF's 61, failed only at the slider's end.)"""
    app = new_app(page).run()
    for end in ("max", "min"):
        moved = []
        for slider in app.slider:
            if learner_sets(slider) and not slider.disabled:
                limit = slider.max if end == "max" else slider.min
                slider.set_value((limit, limit) if isinstance(slider.value, tuple) else limit)
                moved.append(slider.key)
        for slider in app.select_slider:
            if learner_sets(slider) and not slider.disabled:
                # Every select slider's options are numbers shown as str() shows them.
                limit = type(slider.value)(slider.options[-1 if end == "max" else 0])
                slider.set_value(limit)
                moved.append(slider.key)
        for box in app.number_input:
            limit = box.max if end == "max" else box.min
            if learner_sets(box) and not box.disabled and limit is not None:
                box.set_value(limit)
                moved.append(box.key)
        app.run()
        assert not problems(app), (end, moved, problems(app))
        assert moved or page.endswith("17_pipeline.py")  # the lab opens with an empty pipeline: no slider yet


