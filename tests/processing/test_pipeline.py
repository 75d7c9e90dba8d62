"""Tests for processing.pipeline: the step registry against the lessons' processing functions, the pipeline
text (round trips, refusals, fuzzing), kinds and problems, and the exported code run in a fresh process on
every sample."""

from __future__ import annotations

import inspect
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import skimage.data
from hypothesis import given, settings
from hypothesis import strategies as st

from processing import color, convolution, edges, filters, geometry, intensity, measure, morphology, pipeline
from processing import restoration, segmentation, threshold
from processing.display import to_uint8
from processing.pipeline import KINDS, MAX_STEPS, STEP_TYPES, Step, make_step, parse, to_text
from processing.samples import SAMPLES, load_sample
from ui.lessons import LESSONS_BY_SLUG

ROOT = Path(__file__).resolve().parents[2]

COINS = skimage.data.coins()
COLOUR = np.ascontiguousarray(skimage.data.astronaut()[100:260, 150:330])
MASK = filters.gaussian_blur(COINS, sigma=2.0) > 110
LABELS = segmentation.connected_components(MASK)[0]
INPUTS = {"colour": COLOUR, "grey": COINS, "mask": MASK, "labels": LABELS}

#: A setting other than the default for each step type (defaults are tested by the pipelines below).
VARIANTS = {
    "grey": {"method": "average"}, "channel": {"channel": "saturation"},
    "resize": {"factor": 0.35, "interpolation": "cubic"}, "linear": {"a": 0.8, "b": 30}, "gamma": {"gamma": 2.2},
    "invert": {}, "stretch": {"low": 5.0, "high": 90.5}, "equalise": {}, "clahe": {"clip": 4.0, "tiles": 4},
    "box": {"size": 7}, "gaussian": {"sigma": 2.7}, "median": {"size": 3},
    "bilateral": {"diameter": 5, "sigma_colour": 40}, "adaptive_median": {"max_size": 9},
    "kernel": {"kernel": "sobel_y", "size": 5, "mapping": "offset"},
    "magnitude": {"operator": "scharr", "scale": 0.1}, "canny": {"sigma": 2.0, "low": 20, "high": 90},
    "threshold": {"t": 90, "dark": True}, "otsu": {"dark": True},
    "adaptive": {"method": "gaussian", "block": 21, "offset": -5, "dark": True},
    "erode": {"size": 3, "shape": "cross"}, "dilate": {"size": 7, "iterations": 2}, "open": {"shape": "rectangle"},
    "close": {"size": 9}, "morph_gradient": {"size": 3}, "tophat": {"size": 15}, "blackhat": {"size": 11},
    "fill": {}, "small": {"min_area": 300, "connectivity": "4"}, "label": {"connectivity": "4"},
    "watershed": {"markers": "threshold", "fraction": 0.4}, "measure": {},
}


def fp(shape, size):
    return morphology.structuring_element(shape, size=size)


#: The same call written out independently of the registry: (input, settings) -> the step's output.
DIRECT = {
    "grey": lambda x, v: x if x.ndim == 2 else color.to_gray(x, method=v["method"]),
    "channel": lambda x, v: np.ascontiguousarray(
        color.convert_color(x, space=pipeline.CHANNELS[v["channel"]][0])[..., pipeline.CHANNELS[v["channel"]][1]]),
    "resize": lambda x, v: geometry.scale(x, factor=v["factor"], interpolation=v["interpolation"]),
    "linear": lambda x, v: intensity.adjust_brightness_contrast(x, contrast=v["a"], brightness=v["b"]).image,
    "gamma": lambda x, v: intensity.adjust_gamma(x, gamma=v["gamma"]).image,
    "invert": lambda x, v: intensity.invert(x).image,
    "stretch": lambda x, v: intensity.stretch_contrast(x, low_percentile=v["low"], high_percentile=v["high"]).image,
    "equalise": lambda x, v: (intensity.equalize_histogram(x) if x.ndim == 2 else intensity.equalize_color(x)).image,
    "clahe": lambda x, v: intensity.clahe(x, clip_limit=v["clip"], tile_grid=(v["tiles"], v["tiles"])),
    "box": lambda x, v: filters.box_blur(x, size=v["size"]),
    "gaussian": lambda x, v: filters.gaussian_blur(x, sigma=v["sigma"]),
    "median": lambda x, v: filters.median_blur(x, size=v["size"]),
    "bilateral": lambda x, v: filters.bilateral_filter(x, diameter=v["diameter"], sigma_color=v["sigma_colour"],
                                                       sigma_space=75.0),
    "adaptive_median": lambda x, v: restoration.adaptive_median(x, max_size=v["max_size"]),
    "kernel": lambda x, v: convolution.to_display(convolution.filter_image(
        x, convolution.kernel_preset(v["kernel"], size=v["size"])), mapping=v["mapping"]),
    "magnitude": lambda x, v: to_uint8(edges.gradient_magnitude(*edges.gradients(x, operator=v["operator"]))
                                       .astype(np.float64) * v["scale"]),
    "canny": lambda x, v: edges.canny_opencv(x, sigma=v["sigma"], low=v["low"], high=v["high"]),
    "threshold": lambda x, v: threshold.manual_threshold(x, threshold=v["t"], dark_objects=v["dark"]).mask,
    "otsu": lambda x, v: threshold.otsu_selection(x, dark_objects=v["dark"]).mask,
    "adaptive": lambda x, v: threshold.adaptive_threshold(x, method=v["method"], block_size=v["block"],
                                                          offset=v["offset"], dark_objects=v["dark"]),
    **{name: (lambda op: lambda x, v: morphology.apply_morphology(
        x, operation=op, footprint=fp(v["shape"], v["size"]), iterations=v["iterations"]))(
        "gradient" if name == "morph_gradient" else name)
       for name in ("erode", "dilate", "open", "close", "morph_gradient", "tophat", "blackhat")},
    "fill": lambda x, v: segmentation.fill_holes(x),
    "small": lambda x, v: (segmentation.drop_small(segmentation.connected_components(
        x, connectivity=int(v["connectivity"]))[0], min_area=v["min_area"])[0] > 0) if x.dtype == bool
    else segmentation.drop_small(x, min_area=v["min_area"])[0],
    "label": lambda x, v: segmentation.connected_components(x, connectivity=int(v["connectivity"]))[0],
    "watershed": lambda x, v: segmentation.watershed_split(x, markers=v["markers"], min_distance=v["min_distance"],
                                                           threshold=v["fraction"]).labels,
    "measure": lambda x, v: measure.measure_regions(x),
}


def same(made, expected) -> None:
    if isinstance(expected, pd.DataFrame):
        pd.testing.assert_frame_equal(made, expected)
    else:
        assert made.dtype == expected.dtype and made.shape == expected.shape
        np.testing.assert_array_equal(made, expected)


# --------------------------------------------------------------------------- the registry


def test_every_step_type_is_tested_and_declares_kinds_lesson_and_limits():
    assert set(STEP_TYPES) == set(DIRECT) == set(VARIANTS)
    for name, step_type in STEP_TYPES.items():
        assert step_type.name == name and set(step_type.inputs) <= set(KINDS)
        assert step_type.output is None or step_type.output in KINDS
        assert step_type.lesson in LESSONS_BY_SLUG and step_type.lesson != "pipeline"
        for param in step_type.params:
            assert param.check(param.default) == param.default, (name, param.name)
            if param.kind in ("int", "float"):
                assert param.low <= param.default <= param.high and param.step > 0
        # the arguments it passes are the function's own parameters, for every input kind it takes
        for kind in step_type.inputs:
            inspect.signature(step_type.function).bind(INPUTS[kind], **pipeline.arguments(make_step(name), kind))


@pytest.mark.parametrize("name", sorted(STEP_TYPES))
def test_each_step_type_calls_its_processing_function(name):
    """Every step, with its defaults and with other settings, on every kind it takes, equals the lesson's
    processing function called directly with those settings; its output has the kind it declares."""
    step_type = STEP_TYPES[name]
    for settings_ in ({}, VARIANTS[name]):
        item = make_step(name, **settings_)
        for kind in step_type.inputs:
            made = pipeline.apply(item, INPUTS[kind])
            same(made, DIRECT[name](INPUTS[kind], item.settings))
            assert pipeline.kind_of(made) == step_type.output_kind(kind), (name, kind)


@pytest.mark.parametrize("name", sorted(STEP_TYPES))
def test_each_step_types_code_reproduces_it(name):
    """The plain code of every step (defaults and other settings, every input kind) gives the same output."""
    for settings_ in ({}, VARIANTS[name]):
        item = make_step(name, **settings_)
        for kind in STEP_TYPES[name].inputs:
            imports, helpers = pipeline.code_imports([item])
            namespace = {"src": INPUTS[kind].copy()}
            exec("import cv2\nimport numpy as np\n" + "\n".join(imports) + "\n" + "\n".join(helpers), namespace)
            exec(pipeline.step_code(item, "src", "dst", kind), namespace)
            expected = pipeline.apply(item, INPUTS[kind])
            if isinstance(expected, pd.DataFrame):
                assert_tables_close(namespace["dst"], expected)
            else:
                same(namespace["dst"], expected)


def assert_tables_close(made: pd.DataFrame, expected: pd.DataFrame) -> None:
    assert list(made.columns) == list(expected.columns)
    np.testing.assert_allclose(made.to_numpy(dtype=float), expected.to_numpy(dtype=float), rtol=1e-9, atol=1e-9)


def test_steps_refuse_what_they_cannot_take_in_plain_words():
    assert "threshold it first" in pipeline.problem_with(make_step("fill"), "grey")
    assert "make it grey first" in pipeline.problem_with(make_step("otsu"), "colour")
    assert "number its objects first" in pipeline.problem_with(make_step("measure"), "mask")
    assert "nothing can follow" in pipeline.problem_with(make_step("gaussian"), "table")
    assert "move this step before the threshold" in pipeline.problem_with(make_step("gaussian"), "mask")
    assert "waits" in pipeline.problem_with(make_step("gaussian"), None)
    assert "must be below the high one" in pipeline.problem_with(make_step("stretch", low=60.0, high=40.0), "grey")
    assert "only as 3 × 3" in pipeline.problem_with(make_step("kernel", kernel="sharpen", size=5), "grey")
    assert "must not be above" in pipeline.problem_with(make_step("canny", low=200, high=100), "grey")
    assert pipeline.problem_with(make_step("gaussian"), "grey") is None
    with pytest.raises(ValueError, match="threshold it first"):
        pipeline.apply(make_step("fill"), COINS)


def test_a_step_that_cannot_run_stops_the_pipeline_and_says_why():
    outcomes = pipeline.run(COINS, parse("otsu|gaussian|label").steps)
    assert outcomes[0].problem is None and outcomes[0].kind == "mask"
    assert "before the threshold" in outcomes[1].problem and outcomes[1].output is None
    assert "waits" in outcomes[2].problem and outcomes[2].input_kind is None


def test_an_error_of_the_processing_function_becomes_a_problem():
    tiny = np.zeros((1, 1), np.uint8)
    outcome = pipeline.run(tiny, [make_step("resize", factor=0.1)] * 1)[0]
    assert outcome.problem is None and outcome.output.shape == (1, 1)  # never below one pixel
    broken = pipeline.run(np.zeros((3, 3, 3), np.float32), [make_step("gaussian")])[0]
    assert broken.problem == "It waits for an earlier step that cannot run."  # an input of no known kind


def test_fitting_types_offer_only_steps_that_take_the_kind():
    for kind in KINDS:
        offered = pipeline.fitting_types(kind)
        assert all(kind in STEP_TYPES[name].inputs for name in offered)
        assert len(offered) == sum(kind in t.inputs for t in STEP_TYPES.values())
    assert pipeline.fitting_types("table") == ()
    assert "measure" in pipeline.fitting_types("labels") and "otsu" not in pipeline.fitting_types("mask")


def test_kind_of():
    assert [pipeline.kind_of(x) for x in (COLOUR, COINS, MASK, LABELS, pd.DataFrame())] == list(KINDS)
    assert pipeline.kind_of(np.zeros((2, 2), np.float64)) is None and pipeline.kind_of("x") is None
    assert pipeline.kind_of(np.zeros((0, 3), np.uint8)) is None


# --------------------------------------------------------------------------- the text


step_settings = st.sampled_from(sorted(STEP_TYPES)).flatmap(lambda name: st.fixed_dictionaries({
    param.name: (st.booleans() if param.kind == "bool" else st.sampled_from(param.ids) if param.kind == "choice"
                 else st.integers(0, int(round((param.high - param.low) / param.step))).map(
                     lambda k, p=param: p.check(p.low + k * p.step)))
    for param in STEP_TYPES[name].params}).map(lambda values, name=name: make_step(name, **values)))


@given(st.lists(step_settings, max_size=MAX_STEPS))
def test_text_round_trips_every_step_and_setting(steps):
    text = to_text(steps)
    assert parse(text) == pipeline.Parsed(tuple(steps), ())
    assert "\n" not in text and " " not in text
    assert (text == "") == (not steps) and (not steps or all(text.split("|")))


def test_text_reads_like_the_lessons():
    steps = parse("grey|gaussian:sigma=2|otsu|open:size=3|label").steps
    assert [item.name for item in steps] == ["grey", "gaussian", "otsu", "open", "label"]
    assert steps[1].settings == {"sigma": 2.0} and steps[3].settings["size"] == 3
    assert to_text(steps) == "grey|gaussian:sigma=2|otsu|open:size=3|label"
    assert parse(" GREY | Gaussian : Sigma = 2.5 ,  | otsu:dark=yes ").steps == (
        make_step("grey"), make_step("gaussian", sigma=2.5), make_step("otsu", dark=True))


@pytest.mark.parametrize(("text", "kept", "note"), [
    ("grey|frobnicate|otsu", ["grey", "otsu"], "Step 2, 'frobnicate', is not a step"),
    ("gaussian:sigma=99", ["gaussian"], "sigma must lie between 0.3 and 5"),
    ("gaussian:sigma=2.05", ["gaussian"], "multiple of 0.1"),
    ("gaussian:sigma=1e3", ["gaussian"], "must be a number"),
    ("gaussian:sigma=nan", ["gaussian"], "must be a number"),
    ("median:size=4", ["median"], "plus a multiple of 2"),
    ("otsu:dark=maybe", ["otsu"], "true or false"),
    ("otsu:colour=red", ["otsu"], "is not one of its settings"),
    ("open:size=3,size=5", ["open"], "given twice"),
    ("kernel:kernel=__import__('os')", ["kernel"], "must be one of"),
    ("fill:x", ["fill"], "is not one of its settings (it has none)"),
    ("eval(1)|label", ["label"], "is not a step this page knows"),
])
def test_text_refuses_piece_by_piece(text, kept, note):
    parsed = parse(text)
    assert [item.name for item in parsed.steps] == kept
    assert len(parsed.notes) == 1 and note in parsed.notes[0], parsed.notes
    for item in parsed.steps:  # a refused setting keeps its default
        assert all(param.check(item.settings[param.name]) == item.settings[param.name] for param in item.type.params)


def test_text_limits_steps_length_and_quotes():
    parsed = parse("|".join(["invert"] * (MAX_STEPS + 5)))
    assert len(parsed.steps) == MAX_STEPS and "at most 12 steps" in parsed.notes[0]
    parsed = parse("invert|" + "x" * 5000)
    assert "longer than" in parsed.notes[0] and all(len(note) < 300 for note in parsed.notes)
    assert parse("").steps == () and parse("||").notes == ()
    assert parse(None).steps == () and "not text" in parse(None).notes[0]
    assert parse(b"grey").steps == ()


MUTATIONS = st.sampled_from(["|", ":", "=", ",", " ", "", "\x00", "é", "%7C", "<script>", "9" * 30, "-", ".", "\n"])


@st.composite
def mutated(draw):
    """A valid pipeline's text with characters deleted, inserted or replaced."""
    text = list(to_text(draw(st.lists(step_settings, min_size=1, max_size=6))))
    for _ in range(draw(st.integers(1, 6))):
        where = draw(st.integers(0, len(text)))
        action = draw(st.sampled_from(["insert", "delete", "replace"]))
        piece = draw(MUTATIONS)
        if action == "insert" or not text:
            text[where:where] = list(piece)
        elif action == "delete":
            del text[min(where, len(text) - 1)]
        else:
            text[min(where, len(text) - 1)] = piece
    return "".join(text)


@settings(max_examples=300)
@given(st.one_of(st.text(max_size=300), mutated(), st.text(alphabet="|:=,.-0123456789abcdeginoprstuwxy", max_size=200)))
def test_fuzzed_text_never_raises_and_gives_only_valid_steps(text):
    parsed = parse(text)
    assert isinstance(parsed, pipeline.Parsed) and len(parsed.steps) <= MAX_STEPS
    for item in parsed.steps:
        assert isinstance(item, Step) and item.name in STEP_TYPES
        assert [name for name, _ in item.values] == [param.name for param in item.type.params]
        for param in item.type.params:
            assert param.check(item.settings[param.name]) == item.settings[param.name]
    assert all(isinstance(note, str) and len(note) < 400 for note in parsed.notes)
    assert parse(to_text(parsed.steps)) == pipeline.Parsed(parsed.steps, ())


def test_a_setting_is_replaced_only_within_its_limits():
    item = make_step("gaussian")
    assert item.replace("sigma", 1.4000000000000001).settings["sigma"] == 1.4
    with pytest.raises(ValueError, match="sigma must lie between"):
        item.replace("sigma", 9.0)
    with pytest.raises(ValueError, match="settings must be among"):
        make_step("gaussian", size=3)
    assert make_step("gaussian", sigma=2.0).describe() == "Gaussian blur (Gaussian σ 2)"


# --------------------------------------------------------------------------- looking closer


def test_change_share_and_close_up_on_hand_made_images():
    before = np.zeros((40, 50), np.uint8)
    after = before.copy()
    after[30:34, 40:44] = 200
    assert pipeline.change_share(before, after) == 16 / 2000
    assert pipeline.change_share(before, before > 0) is None  # a grey image and a mask: different kinds
    closer = pipeline.close_up(before, after, size=8, factor=3)
    assert 28 <= closer.row <= 35 and 38 <= closer.col <= 45
    assert closer.before.shape == closer.after.shape == (24, 24)
    assert closer.after.max() == 200 and closer.before.max() == 0
    assert closer.mean_change == pytest.approx(16 * 200 / 64)
    assert closer.pair.shape == (24, 24 + 3 + 24) and (closer.pair[:, 24:27] == 255).all()
    mask = pipeline.close_up(before > 0, after > 0, size=8, factor=1)
    assert mask.after.dtype == np.uint8 and mask.after.max() == 255
    with pytest.raises(ValueError, match="same size"):
        pipeline.close_up(before, after[:10])


# --------------------------------------------------------------------------- the exported script


def tour(kind: str) -> list[str]:
    """Pipelines that together use every step type, starting from an image of `kind`."""
    first = "channel:channel=lightness" if kind == "colour" else "grey:method=average"
    return [
        "resize:factor=0.75|linear|gamma|invert|stretch|equalise|clahe|box|gaussian|median|bilateral|kernel",
        f"{first}|adaptive_median|magnitude:operator=prewitt|threshold:t=40|dilate|erode:shape=cross|open|close"
        "|morph_gradient",
        "grey|tophat|blackhat:size=9|otsu:dark=true|fill|small|label|small:min_area=20|measure",
        f"{first}|gaussian:sigma=2|canny|close:size=3|fill|watershed|measure",
        f"{first}|adaptive:method=gaussian,block=21,offset=5|watershed:markers=threshold|small",
    ]


def test_the_tour_uses_every_step_type():
    used = {item.name for kind in ("colour", "grey") for text in tour(kind) for item in parse(text).steps}
    assert used == set(STEP_TYPES)


RUNNER = """
import json, runpy, sys
import numpy as np
jobs = json.load(open(sys.argv[1]))
for job in jobs:
    namespace = runpy.run_path(job["script"])  # not as __main__: nothing is saved
    arrays = {}
    for name, value in namespace.items():
        if name.startswith("step") and name[4:].isdigit():
            arrays[name] = value.to_numpy(dtype=float) if hasattr(value, "to_numpy") else np.asarray(value)
            if hasattr(value, "columns"):
                arrays[name + "_columns"] = np.array(list(value.columns))
    np.savez(job["output"], **arrays)
"""


def run_scripts(scripts: list[str], workdir: Path) -> list[dict[str, np.ndarray]]:
    """Run each script in one fresh Python process; return every ``stepN`` it made."""
    jobs = []
    for index, text in enumerate(scripts):
        path = workdir / f"pipeline_{index}.py"
        path.write_text(text)
        jobs.append({"script": str(path), "output": str(workdir / f"steps_{index}.npz")})
    (workdir / "jobs.json").write_text(json.dumps(jobs))
    (workdir / "runner.py").write_text(RUNNER)
    done = subprocess.run([sys.executable, str(workdir / "runner.py"), str(workdir / "jobs.json")], cwd=workdir,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return [dict(np.load(job["output"])) for job in jobs]


def assert_reproduced(made: dict[str, np.ndarray], image: np.ndarray, outcomes, label: str) -> None:
    """Every step's output equals the script's ``stepN`` (tables: same columns, numbers within 1e-9)."""
    np.testing.assert_array_equal(made["step0"], image)
    for number, outcome in enumerate(outcomes, 1):
        assert outcome.problem is None, (label, number, outcome.problem)
        name = f"step{number}"
        if isinstance(outcome.output, pd.DataFrame):
            assert list(made[name + "_columns"]) == list(outcome.output.columns), label
            np.testing.assert_allclose(made[name], outcome.output.to_numpy(dtype=float), rtol=1e-9, atol=1e-9,
                                       err_msg=f"{label} {name}")
        else:
            assert made[name].dtype == outcome.output.dtype, (label, name)
            np.testing.assert_array_equal(made[name], outcome.output, err_msg=f"{label} {name}")


def test_exported_scripts_reproduce_every_step_on_every_sample(tmp_path):
    """The downloaded script, run in a fresh process, makes every intermediate array the pipeline makes, for
    pipelines that use every step type, on every sample."""
    scripts, expected = [], []
    for sample_id, sample in SAMPLES.items():
        image = load_sample(sample_id)
        kind = pipeline.kind_of(image)
        for text in tour(kind):
            steps = parse(text).steps
            outcomes = pipeline.run(image, steps)
            scripts.append(pipeline.script(steps, [o.input_kind for o in outcomes], load_code=sample.code))
            expected.append((image, outcomes, f"{sample_id}: {text}"))
    for made, (image, outcomes, label) in zip(run_scripts(scripts, tmp_path), expected):
        assert_reproduced(made, image, outcomes, label)


def test_a_script_stops_before_a_step_that_cannot_run(tmp_path):
    steps = parse("grey|gaussian|fill|label").steps
    outcomes = pipeline.run(COINS, steps)
    text = pipeline.script(steps, [o.input_kind for o in outcomes], load_code="img = skimage.data.coins()")
    assert "# step 3 (Fill holes) cannot run on its input" in text and "step4 =" not in text
    (made,) = run_scripts([text], tmp_path)
    assert sorted(made) == ["step0", "step1", "step2"]
    body = pipeline.body_code(steps, [o.input_kind for o in outcomes])
    assert body.rstrip().endswith("result = step2")


def test_a_script_run_as_a_program_saves_the_last_step(tmp_path):
    for text, saved in (("grey|otsu|label|measure", "pipeline_result.csv"), ("grey|otsu", "pipeline_result.png")):
        steps = parse(text).steps
        outcomes = pipeline.run(COINS, steps)
        path = tmp_path / "pixel_lab_pipeline.py"
        kinds = [o.input_kind for o in outcomes]
        path.write_text(pipeline.script(steps, kinds, load_code="img = skimage.data.coins()"))
        done = subprocess.run([sys.executable, str(path)], cwd=tmp_path, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr[-2000:]
        assert (tmp_path / saved).exists() and saved in done.stdout


def test_starters_run_on_their_samples():
    for starter in pipeline.STARTERS.values():
        outcomes = pipeline.run(load_sample(starter.sample), parse(starter.text).steps)
        assert parse(starter.text).notes == () and all(o.problem is None for o in outcomes), starter.id
    assert len(parse(pipeline.DEFAULT_TEXT).steps) == 6


EXTREMES = {
    "1x1 grey": np.array([[128]], np.uint8),
    "1x1 colour": np.array([[[200, 30, 30]]], np.uint8),
    "1x40 grey ramp": np.linspace(0, 255, 40).astype(np.uint8)[np.newaxis, :],
    "40x1 colour": np.stack([np.linspace(0, 255, 40).astype(np.uint8)] * 3, axis=-1)[:, np.newaxis, :],
    "constant grey": np.full((64, 64), 77, np.uint8),
    "constant colour": np.full((48, 64, 3), (20, 120, 200), np.uint8),
    "black": np.zeros((30, 30), np.uint8),
    "white": np.full((30, 30), 255, np.uint8),
}


@pytest.mark.parametrize("name", EXTREMES)
def test_every_step_copes_with_extreme_images(name):
    """Tiny, one-pixel-wide and constant images, empty and full masks: every step runs or says why, never raises."""
    image = EXTREMES[name]
    texts = tour(pipeline.kind_of(image)) + [to_text([make_step(n, **VARIANTS[n])]) for n in STEP_TYPES]
    for prefix in ("", "grey|", "grey|otsu|", "grey|otsu|label|", "grey|threshold:t=255|", "grey|threshold:t=0|"):
        texts += [prefix + n for n in STEP_TYPES]
    for text in texts:
        for outcome in pipeline.run(image, parse(text).steps):
            assert outcome.problem is None or isinstance(outcome.problem, str)
