"""Pipeline lab: links reopen pipelines (and refuse damaged ones), the editor's controls, only changed steps
recompute, the code panel and the downloads reproduce the page's arrays in a fresh process, and the four
challenges grade (model solution passes, naive attempt gets a hint)."""

from __future__ import annotations

import nbformat
import numpy as np
import pandas as pd
import pytest

from processing import challenges, pipeline
from processing.pipeline import DEFAULT_TEXT, make_step, parse, to_text
from processing.samples import SAMPLES, load_sample
from tests.app.helpers import (
    assert_code_panels_reproduce,
    assert_rerun_encodes_no_picture,
    check_target,
    feedback,
    new_app,
    problems,
    record_panels,
)
from tests.processing.test_pipeline import assert_reproduced, run_scripts, tour
from ui import code, pipeline_editor, pipeline_export
from ui.cache import STEPS, mark

PAGE = "pages/17_pipeline.py"


def open_page(query: dict[str, str] | None = None):
    app = new_app(PAGE, query).run()
    assert not problems(app), problems(app)
    return app


def link_text(app) -> str:
    return app.query_params["pipeline"][0] if isinstance(app.query_params["pipeline"], list) \
        else app.query_params["pipeline"]


def image_captions(app) -> list[str]:
    """Captions of every st.image on the page."""
    return [caption for element in app.get("image") for caption in element.captions]


def subheaders(app) -> list[str]:
    return [element.value for element in app.subheader]


# --------------------------------------------------------------------------- links


def test_the_page_opens_on_six_steps_counting_the_coins_and_writes_them_into_the_link():
    app = open_page()
    assert link_text(app) == DEFAULT_TEXT and len(parse(DEFAULT_TEXT).steps) == 6
    assert app.selectbox(key="img").value == "coins"
    strip = app.segmented_control(key="pipeline_look")
    assert strip.value == 6 and strip.options == ["Input", "1. Colour to grey", "2. Gaussian blur", "3. Threshold (Otsu)", "4. Fill holes",
                       "5. Remove small objects", "6. Connected components"]
    assert any(text.startswith("Step 6: Connected components") for text in subheaders(app))  # the last, selected
    assert app.segmented_control(key="pipeline_6_label_connectivity").value == "8"
    captions = image_captions(app)
    assert "6. Connected components · label image: 22 objects" in captions
    assert "3. Threshold (Otsu) · mask: 42.3% white" in captions and "Input · grey image, 384 × 303" in captions
    # the selected step names the lesson that explains it, with a link
    assert any("**Step 6: Connected components**" in text.value and "](segmentation)" in text.value
               for text in app.markdown)


def test_a_link_reopens_the_pipeline_its_settings_and_the_step_selected():
    text = "grey|gaussian:sigma=3.5|adaptive:block=51,offset=-5,dark=true|open:size=7,shape=cross|label"
    app = open_page({"pipeline": text, "pipeline_show": "3", "img": "camera"})
    assert link_text(app) == text
    assert app.slider(key="pipeline_3_adaptive_block").value == 51
    assert app.slider(key="pipeline_3_adaptive_offset").value == -5
    assert app.toggle(key="pipeline_3_adaptive_dark").value is True
    assert "Step 3: Threshold (adaptive)" in " ".join(subheaders(app))
    assert app.query_params["pipeline_show"] in ("3", ["3"])
    app = open_page({"pipeline": text, "pipeline_show": "2"})
    assert app.slider(key="pipeline_2_gaussian_sigma").value == 3.5
    assert "Step 2: Gaussian blur (Gaussian σ 3.5)" in subheaders(app)


def test_a_damaged_link_is_refused_piece_by_piece_with_notes_as_plain_text():
    app = open_page({"pipeline": "grey|rm -rf /|gaussian:sigma=abc|otsu:dark=true,x=<b>1</b>", "pipeline_show": "99"})
    assert any("parts this page cannot use" in warning.value for warning in app.warning)
    notes = next(block.value for block in app.code if "is not a step this page knows" in block.value)
    assert "'rm -rf /'" in notes and "sigma must be a number" in notes and "<b>1</b>" in notes
    assert not any("<b>1</b>" in markdown.value for markdown in app.markdown)  # user text never as Markdown
    assert link_text(app) == "grey|gaussian|otsu:dark=true"  # rewritten: what the page could use
    assert "Step 3: Threshold (Otsu) (Objects are darker)" in subheaders(app)  # an unusable step number: last


@pytest.mark.parametrize("text", ["", "|||", "label|measure", "measure", "x" * 3000, "grey|" * 40, "%7C%3A",
                                  "otsu:dark=true|fill|label|measure|gaussian", "gaussian:sigma=" + "9" * 400])
def test_absurd_pipelines_in_a_link_never_break_the_page(text):
    app = open_page({"pipeline": text})
    assert len(parse(link_text(app)).steps) <= pipeline.MAX_STEPS


def test_a_step_that_cannot_run_says_why_and_the_ones_after_it_wait():
    app = open_page({"pipeline": "grey|fill|label", "pipeline_show": "2"})
    warnings = [warning.value for warning in app.warning]
    assert any("Fill holes needs a mask, but its input is a grey image: threshold it first" in w for w in warnings)
    captions = image_captions(app)
    assert "2. Fill holes · cannot run (see why below)" in captions
    assert "3. Connected components · waits for an earlier step" in captions


# --------------------------------------------------------------------------- the editor


def act(app, action: str) -> None:
    """Move or remove the selected step through its action control; the control is cleared again."""
    app.segmented_control(key="pipeline_action").set_value(action).run()
    assert app.segmented_control(key="pipeline_action").value is None


def add(app, name: str) -> None:
    """Choose step type `name` in the step chooser (by its label's place: AppTest knows only the labels); the
    chooser is cleared again."""
    chooser = app.selectbox(key="pipeline_add")
    chooser.select_index(chooser.options.index(pipeline_editor._type_label(name))).run()
    assert app.selectbox(key="pipeline_add").value is None


def test_moving_removing_and_inserting_steps():
    app = open_page({"pipeline": "grey|gaussian|otsu", "pipeline_show": "2"})
    assert app.segmented_control(key="pipeline_action").options == ["Move up", "Move down", "Remove"]
    act(app, "down")
    assert link_text(app) == "grey|otsu|gaussian"
    assert "Step 3: Gaussian blur" in subheaders(app)  # the moved step stays selected
    assert any("move this step before the threshold" in warning.value for warning in app.warning)
    assert app.segmented_control(key="pipeline_action").options == ["Move up", "Remove"]  # it is the last
    act(app, "up")
    assert link_text(app) == "grey|gaussian|otsu"
    app.segmented_control(key="pipeline_look").set_value(1).run()
    assert app.segmented_control(key="pipeline_action").options == ["Move down", "Remove"]  # it is the first
    act(app, "remove")
    assert link_text(app) == "gaussian|otsu"
    app.segmented_control(key="pipeline_look").set_value(2).run()
    offered = app.selectbox(key="pipeline_add").options  # the step types that take a mask, by label
    assert len(offered) == len(pipeline.fitting_types("mask")) and not any("Gaussian" in o for o in offered)
    add(app, "fill")
    assert not problems(app) and link_text(app) == "gaussian|otsu|fill"
    assert "Step 3: Fill holes" in subheaders(app)  # a new step is selected
    app.segmented_control(key="pipeline_look").set_value(0).run()
    assert len(app.selectbox(key="pipeline_add").options) == len(pipeline.fitting_types("grey"))
    add(app, "invert")
    assert link_text(app) == "invert|gaussian|otsu|fill"  # inserted after the input: first


def test_a_setting_changed_on_the_page_goes_into_the_link():
    app = open_page({"pipeline_show": "2"})
    app.slider(key="pipeline_2_gaussian_sigma").set_value(3.0).run()
    assert link_text(app) == DEFAULT_TEXT.replace("sigma=2", "sigma=3")
    kept = app.session_state["pipeline_take_home"]  # what the download buttons make their files from, when clicked
    assert to_text(kept["steps"]) == link_text(app) and len(kept["kinds"]) == 6
    app.segmented_control(key="pipeline_look").set_value(3).run()
    app.toggle(key="pipeline_3_otsu_dark").set_value(True).run()
    assert "otsu:dark=true" in link_text(app)
    app.segmented_control(key="pipeline_look").set_value(0).run()
    assert any(text.startswith("The input") for text in subheaders(app))
    assert app.query_params["pipeline_show"] in ("0", ["0"])


def look_closer(app) -> list:
    """What follows the heading "Look closer": the heading alone (a subheader, before a lesson's view) or opening
    a text (a Markdown element, when there is no lesson's view)."""
    own = [text.value for text in app.markdown if text.value.startswith("### Look closer\n\n")]
    return ["Look closer"] * subheaders(app).count("Look closer") + [text.split("\n\n", 1)[1] for text in own]


def test_the_selected_step_shows_the_look_closer_view_of_its_lesson():
    app = open_page({"pipeline_show": "3"})  # Otsu's threshold: the thresholding lesson's histogram
    assert look_closer(app) == ["Look closer"]
    assert any(text.value.startswith("**The threshold on the histogram**") for text in app.markdown)
    app.segmented_control(key="pipeline_look").set_value(2).run()  # the blur: where it changed the image most
    [text] = look_closer(app)
    assert text.startswith("**Where this step changed the most**")
    app.segmented_control(key="pipeline_look").set_value(0).run()
    assert look_closer(app) == []  # the input is no step


def test_look_closer_says_why_a_step_that_changes_the_kind_has_no_comparison():
    app = open_page({"img": "astronaut", "pipeline": "grey|gaussian", "pipeline_show": "1"})
    [text] = look_closer(app)
    height, width = load_sample("astronaut").shape[:2]
    assert text.startswith(f"**No pixel-by-pixel comparison here:** this step turns a colour image of {width} × "
                           f"{height} pixels into a grey image of {width} × {height} pixels.")


def test_every_step_type_shown_large_has_one_look_closer_and_no_error():
    for text in tour("colour"):
        app = open_page({"img": "astronaut", "pipeline": text})
        for number in range(1, len(parse(text).steps) + 1):
            app.segmented_control(key="pipeline_look").set_value(number).run()
            assert not problems(app), (text, number, problems(app))
            assert len(look_closer(app)) == 1, (text, number, look_closer(app))


def test_controls_follow_a_step_when_it_moves():
    app = open_page({"pipeline": "gaussian:sigma=4|median:size=9", "pipeline_show": "1"})
    act(app, "down")
    assert app.slider(key="pipeline_2_gaussian_sigma_v1").value == 4.0  # new controls, made from the pipeline
    app.slider(key="pipeline_2_gaussian_sigma_v1").set_value(2.5).run()
    assert link_text(app) == "median:size=9|gaussian:sigma=2.5"
    app.segmented_control(key="pipeline_look").set_value(1).run()
    assert app.slider(key="pipeline_1_median_size_v1").value == 9


def test_a_label_images_small_objects_need_no_neighbours_setting():
    app = open_page({"pipeline": "grey|otsu|label|small", "pipeline_show": "4"})
    assert app.slider(key="pipeline_4_small_min_area").value == 50
    assert not [w for w in app.get("segmented_control") if w.key and w.key.startswith("pipeline_4_small")]


def test_a_change_to_one_step_recomputes_only_that_step_and_the_ones_after_it(monkeypatch):
    """Keys chain through ui.cache.step: steps before the changed one come from the store."""
    computed = []
    original = STEPS.get
    monkeypatch.setattr(STEPS, "get", lambda key, compute: original(key, lambda: computed.append(key[1]) or compute()))
    STEPS.clear()
    image = mark(load_sample("coins"), "test:pipeline-coins")
    steps = parse("grey|gaussian:sigma=2|otsu|fill|small|label").steps
    first = pipeline_editor.run(image, steps)
    assert len(computed) == 6
    computed.clear()
    changed = list(steps)
    changed[3 - 1] = make_step("otsu", dark=True)  # step 3 of 6
    again = pipeline_editor.run(image, tuple(changed))
    assert computed == ["otsu_selection", "fill_holes", "remove_small", "connected_components"]
    assert all(a.output is b.output for a, b in zip(first[:2], again[:2]))
    computed.clear()
    pipeline_editor.run(image, tuple(changed))
    assert computed == []  # nothing changed: nothing recomputed
    STEPS.clear()


def test_a_rerun_with_nothing_changed_encodes_no_picture_again(monkeypatch):
    assert_rerun_encodes_no_picture(monkeypatch, PAGE, {})


# --------------------------------------------------------------------------- the code and the downloads


def test_the_code_panel_reproduces_the_pipelines_result(tmp_path):
    settings = [
        {},  # six steps ending in labels
        {"img": "astronaut", "pipeline": "resize|equalise|kernel:kernel=emboss"},
        {"img": "coffee", "pipeline": "channel:channel=value|otsu|label|measure"},  # a table: its numbers
        {"img": "camera", "pipeline": "grey|fill|label"},  # stops at step 2: the code ends at step 1
        {"pipeline_on": "noise", "pipeline": "adaptive_median"},  # a challenge's own image
    ]
    panels = record_panels(PAGE, settings)
    assert "adaptive_median(step0, 7)" in panels[-1][0] and "default_rng(1)" in panels[-1][0]
    assert_code_panels_reproduce(panels, tmp_path, atol=1e-9)


def test_the_code_panel_sends_its_code_only_while_open():
    """The whole pipeline's code is long, and its panel is part of what a setting's change redraws: closed, the panel
    sends no code; opened, it shows the code that `test_the_code_panel_reproduces_the_pipelines_result` runs."""
    shown = []
    listener = lambda text, inputs, result: shown.append(text)
    code.LISTENERS.append(listener)
    try:
        app = open_page()
        panel = next(block for block in app.expander if block.label == "The code: the whole pipeline")
        assert not panel.code
        app.session_state["pipeline_code"] = True  # what opening the panel does
        app.run()
    finally:
        code.LISTENERS.remove(listener)
    panel = next(block for block in app.expander if block.label == "The code: the whole pipeline")
    assert [block.value for block in panel.code] == [shown[-1].rstrip()] and "cv2.GaussianBlur" in shown[-1]


class Recorder:
    """What the page ran (every `pipeline_editor.run` of the work image) and handed to the downloads."""

    def __init__(self, monkeypatch) -> None:
        self.runs, self.downloads = [], []
        original_run, original_remember = pipeline_editor.run, pipeline_export.remember

        def run(image, steps):
            runs = original_run(image, steps)
            self.runs.append((image, runs))
            return runs

        def remember(steps, kinds, source):  # what the download buttons make their files from
            self.downloads.append((tuple(steps), tuple(kinds), source))
            return original_remember(steps, kinds, source)

        monkeypatch.setattr(pipeline_editor, "run", run)
        monkeypatch.setattr(pipeline_export, "remember", remember)

    def page_run(self):
        """(image, runs) of the work image in the last page run: the first run after the downloads' last call."""
        steps, _, source = self.downloads[-1]
        return next((image, runs) for image, runs in self.runs if image is source.image and
                    tuple(r.step for r in runs) == steps)


def notebook_script(data: bytes) -> str:
    notebook = nbformat.reads(data.decode("utf-8"), as_version=4)
    return "\n\n".join(cell.source for cell in notebook.cells if cell.cell_type == "code")


def test_downloads_reproduce_every_array_of_the_page_in_a_fresh_process(monkeypatch, tmp_path):
    """Script and notebook, as the download buttons make them, run in a fresh process: every intermediate array
    equals the page's, for pipelines that use every step type, on a grey and a colour sample and an upload."""
    recorder = Recorder(monkeypatch)
    texts, expected = [], []
    for sample_id in ("coins", "astronaut"):
        for text in tour(pipeline.kind_of(load_sample(sample_id))):
            open_page({"img": sample_id, "pipeline": text})
            steps, kinds, source = recorder.downloads[-1]
            assert to_text(steps) == to_text(parse(text).steps)
            image, runs = recorder.page_run()
            texts.append(pipeline_export.script_bytes(steps, kinds, source).decode())
            texts.append(notebook_script(pipeline_export.notebook_bytes(steps, kinds, source)))
            outcomes = [pipeline.Outcome(r.input_kind, r.output, r.kind, r.problem) for r in runs]
            expected += [(image, outcomes, f"{sample_id} script: {text}"), (image, outcomes, f"{sample_id} nb")]
    for made, (image, outcomes, label) in zip(run_scripts(texts, tmp_path), expected):
        assert_reproduced(made, image, outcomes, label)


def test_the_pages_runner_makes_the_arrays_the_exported_code_is_tested_against_on_every_sample():
    """The page runs steps through ui.cache.step (`pipeline_editor.run`); tests/processing/test_pipeline.py runs the
    exported scripts on every sample against `processing.pipeline.run`. Both make the same arrays, on every sample,
    so the scripts reproduce the page's arrays on every sample."""
    for sample_id in SAMPLES:
        image = mark(load_sample(sample_id), f"test:every-sample:{sample_id}")
        for text in tour(pipeline.kind_of(image)):
            steps = parse(text).steps
            for page_run, plain in zip(pipeline_editor.run(image, steps), pipeline.run(image, steps)):
                assert page_run.problem is None and plain.problem is None, (sample_id, text)
                if isinstance(plain.output, pd.DataFrame):
                    pd.testing.assert_frame_equal(page_run.output, plain.output)
                else:
                    np.testing.assert_array_equal(page_run.output, plain.output, err_msg=f"{sample_id}: {text}")
    STEPS.clear()


def test_the_notebook_has_a_cell_per_step_and_names_the_lessons():
    image = mark(load_sample("coins"), "test:coins-notebook")
    steps = parse("grey|otsu|fill|label|measure").steps
    runs = pipeline_editor.run(image, steps)
    from ui.source import ImageSource

    source = ImageSource(key="test", image=image, title="Greek coins", file_name="évil\"name'.png", notes=(),
                         original_shape=image.shape,
                         load_code='img = cv2.imread("your_image.png", cv2.IMREAD_GRAYSCALE)')
    notebook = pipeline_export.build_notebook(steps, [r.input_kind for r in runs], source)
    numbered = [cell.metadata["pixel_lab"]["step"] for cell in notebook.cells if "pixel_lab" in cell.metadata]
    assert numbered == [1, 2, 3, 4, 5]
    text = "\n".join(cell.source for cell in notebook.cells)
    assert "Segmentation" in text and "Measuring objects" in text and "imread('évilname.png'" in text


# --------------------------------------------------------------------------- the challenges


@pytest.mark.parametrize("challenge_id", list(challenges.CHALLENGES))
def test_each_challenge_passes_with_its_model_solution_and_hints_after_a_naive_one(challenge_id):
    challenge = challenges.CHALLENGES[challenge_id]
    naive = check_target(open_page({"pipeline": challenge.naive, "pipeline_on": challenge_id}), challenge.exercise)
    successes, errors = feedback(naive)
    assert not successes and any(error.startswith("Not yet") and challenge.hint in error for error in errors)
    solved = check_target(open_page({"pipeline": challenge.solution}), challenge.exercise)  # graded on its image
    successes, _ = feedback(solved)
    assert any(text.startswith("Goal reached") and "model solution" in text and "pipeline_on=" + challenge_id in text
               for text in successes)
    assert challenge.exercise in solved.session_state["pl_progress"]


def test_working_on_a_challenge_runs_the_pipeline_on_its_image():
    app = open_page({"pipeline_on": "cell", "pipeline": "gaussian:sigma=3|otsu"})
    assert any("challenge “Segment the cell”" in caption.value for caption in app.caption)
    assert app.get("segmented_control")[0].value == "cell"


def test_starting_pipelines_load_in_one_click_on_their_samples():
    app = open_page({"pipeline": "invert", "pipeline_on": "cell"})
    for starter in pipeline.STARTERS.values():
        app.button(key=f"pipeline_starter_{starter.id}").click().run()
        assert not problems(app) and link_text(app) == starter.text
        assert app.selectbox(key="img").value == starter.sample
        assert app.get("segmented_control")[0].value == "image"  # back to the sidebar's image
        assert f"Step {len(parse(starter.text).steps)}:" in " ".join(subheaders(app))


def test_a_lagging_address_never_undoes_a_change():
    """A rerun can carry the address from before the last change was written (a second key press sent before the
    first one's address arrived): the session's pipeline wins, as for Streamlit's own link-bound controls."""
    app = open_page({"pipeline_show": "2"})
    app.slider(key="pipeline_2_gaussian_sigma").set_value(3.0).run()
    app.query_params["pipeline"] = DEFAULT_TEXT  # the browser's address one change behind
    app.slider(key="pipeline_2_gaussian_sigma").set_value(3.1).run()
    assert link_text(app) == DEFAULT_TEXT.replace("sigma=2", "sigma=3.1")


def test_the_thumbnails_histogram_draws_every_channel_in_its_colour():
    import xml.etree.ElementTree as ET

    from ui.charts import CHANNEL_COLOURS
    from ui.pipeline_views import mini_histogram_svg

    counts = np.zeros((3, 256), int)
    counts[0, 10], counts[1, 128], counts[2, 250] = 5, 10, 20
    root = ET.fromstring(mini_histogram_svg(counts, ("red", "green", "blue")))
    shapes = root.findall("{http://www.w3.org/2000/svg}polygon")
    assert [shape.get("stroke") for shape in shapes] == [CHANNEL_COLOURS[c] for c in ("red", "green", "blue")]
    tallest = min(float(point.split(",")[1]) for point in shapes[2].get("points").split())
    assert tallest == pytest.approx(2.0)  # the tallest bar reaches the top of the plot
    cumulative = ET.fromstring(mini_histogram_svg(counts[:1], ("grey",), cumulative=True, log_scale=True))
    assert len(cumulative.findall("{http://www.w3.org/2000/svg}polyline")) == 1


def large_pictures(app) -> dict[str, tuple[str, str]]:
    """The step shown large: each side's caption -> (its picture's source, its alt text)."""
    return {image.caption: (image.url, image.alt) for element in app.get("image") for image in element.proto.imgs
            if image.caption.startswith(("Before (its input)", "After (its output)"))}


def test_each_side_of_the_step_shown_large_is_one_picture_with_its_histogram_or_its_note():
    """An image's histogram is drawn into the same picture (one element for the browser, not two) and said in
    its alt text; a mask has no histogram, its white share is in the caption."""
    import base64
    import xml.etree.ElementTree as ET

    sides = large_pictures(open_page({"pipeline_show": "2"}))  # the Gaussian blur: grey in, grey out
    assert sorted(sides) == ["After (its output): grey image, 384 × 303 pixels",
                             "Before (its input): grey image, 384 × 303 pixels"]
    for url, alt in sides.values():
        root = ET.fromstring(base64.b64decode(url.removeprefix("data:image/svg+xml;base64,")))
        assert root.find("{http://www.w3.org/2000/svg}image").get("href").startswith("data:image/")
        assert root.find("{http://www.w3.org/2000/svg}svg") is not None  # the histogram, nested under it
        assert "; under it: " in alt and "median" in alt
    sides = large_pictures(open_page({"pipeline_show": "3"}))  # Otsu's threshold: grey in, mask out
    after = next(caption for caption in sides if caption.startswith("After"))
    assert after.startswith("After (its output): mask, 384 × 303 pixels · White (foreground): 42.3% of the pixels")
    assert sides[after][0].startswith("data:image/png;base64,") and "under it" not in sides[after][1]


def test_take_home_text_and_buttons_are_on_the_page():
    app = open_page()
    assert any(f"`{DEFAULT_TEXT}`" in markdown.value for markdown in app.markdown)
    labels = [button.proto.label for button in app.get("download_button")]
    assert "Download as Python script" in labels and labels.count("Download as notebook") >= 1
