"""The pipeline lab's editor: the pipeline kept in the session and in the link, its controls, its run.

The pipeline's truth is a tuple of `processing.pipeline.Step` in the session. The link carries it as text
(``?pipeline=grey|gaussian:sigma=2|otsu``, `processing.pipeline.to_text`), rewritten after every change, so
a copied link or presenter mode's QR code reopens it. The link is read on the lab's first run in a session and
after back or forward (see `_reads_the_link`) with `processing.pipeline.parse`, which refuses what it cannot
use with notes, never raising.

Every setting of a step is a control with the lesson's limits, made with the pipeline's value; a change comes
back through the control's callback. When the pipeline changes otherwise (a step added, moved or removed, a
link opened) the controls get new keys (a revision number), so they are made afresh from the pipeline: a
control's value is never written from outside, which would fight a learner pressing arrow keys quickly.

`run` calls each step through `ui.cache.step` with the previous step's output: keys chain, so a change to
step k recomputes steps k..n and reuses the ones before (tests count the calls).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from processing import challenges, pipeline
from processing.pipeline import Step
from ui.cache import step
from ui.lessons import LESSONS_BY_SLUG
from ui.source import ImageSource

#: Parameters of the address the lab owns: the pipeline's text and the step shown large.
URL_KEY, SHOW_KEY = "pipeline", "pipeline_show"
_MODEL, _NOTES, _REVISION = "pipeline_steps", "pipeline_notes", "pipeline_revision"
_SHOWN, _READING = "pipeline_shown", "pipeline_reads_link"
_MADE_WITH = "pipeline_made_with"  # widget key -> the value its control was made with
#: Address parameters of the page that are no control of the editor (kept when the editor tidies the address).
OWN_PARAMETERS = (URL_KEY, SHOW_KEY, "pipeline_on")


def widget_key(number: int, item: Step, name: str) -> str:
    """The key of step `number`'s control for setting `name`: ``pipeline_2_gaussian_sigma`` until the pipeline is
    first changed other than by its controls, then ``pipeline_2_gaussian_sigma_v1``, ``_v2``, ..."""
    revision = st.session_state.get(_REVISION, 0)
    return f"pipeline_{number}_{item.name}_{name}" + (f"_v{revision}" if revision else "")


# --------------------------------------------------------------------------- the pipeline in session and link


def _reads_the_link() -> bool:
    """Whether this run takes the pipeline from the address: the lab's first run in this session (a link opened, a
    QR code scanned, a reload) or the browser's back and forward buttons.

    On any other run the session's pipeline wins and is written back into the address. The address a rerun
    carries can lag behind: a learner pressing an arrow key twice quickly sends the second press with the address
    from before the first was written, and reading it would undo the first press. Streamlit's own link-bound
    controls follow the same rule.
    """
    context = get_script_run_ctx()
    return _MODEL not in st.session_state or bool(context is not None and context.is_history_navigation)


def load(default_text: str = pipeline.DEFAULT_TEXT) -> tuple[Step, ...]:
    """The pipeline to show: the link's on the lab's first run in a session and after back or forward (the
    default when the link names none), else the session's. Notes about what a link's text could not use are kept
    for `link_notes`."""
    reading = _reads_the_link()
    st.session_state[_READING] = reading
    if reading:
        url_value = st.query_params.get(URL_KEY)
        parsed = pipeline.parse(default_text if url_value is None else url_value)
        if _MODEL in st.session_state:  # controls made for another pipeline: new ones
            st.session_state[_REVISION] = st.session_state.get(_REVISION, 0) + 1
        st.session_state[_MODEL], st.session_state[_NOTES] = parsed.steps, parsed.notes
    return st.session_state[_MODEL]


def load_starter(starter_id: str) -> None:
    """Callback of a starting pipeline's button: load it, on the sample that shows it best, on the sidebar's image."""
    starter = pipeline.STARTERS[starter_id]
    steps = pipeline.parse(starter.text).steps
    _replace(steps, shown=len(steps))
    st.query_params["img"] = starter.sample  # the image chooser follows a changed address
    st.query_params["pipeline_on"] = "image"


def link_notes() -> tuple[str, ...]:
    """What the last link's pipeline text could not use (plain text: it quotes the link)."""
    return st.session_state.get(_NOTES, ())


def _replace(steps: tuple[Step, ...], *, shown: int | None = None, structure: bool = True) -> None:
    """Make `steps` the pipeline (an edit: the link's notes are done with); optionally show step `shown`.
    A change of `structure` (not one setting through its control) gives the controls new keys."""
    st.session_state[_MODEL] = tuple(steps)
    st.session_state[_NOTES] = ()
    if structure:
        st.session_state[_REVISION] = st.session_state.get(_REVISION, 0) + 1
    if shown is not None:
        st.session_state[_SHOWN] = shown


def write_link(steps: tuple[Step, ...], shown: int) -> None:
    """Write the pipeline (always) and the step shown large (unless it is the last) into the address, and
    drop address parameters that name the editor's own controls: they are no settings a link can carry, so
    `ui.page.finish_lesson` lists them among the settings the page could not use."""
    st.query_params[URL_KEY] = pipeline.to_text(steps)
    if shown == len(steps):
        st.query_params.pop(SHOW_KEY, None)
    else:
        st.query_params[SHOW_KEY] = str(shown)
    for name in list(st.query_params):
        if name.startswith("pipeline_") and name not in OWN_PARAMETERS:
            st.query_params.pop(name, None)
    made_with = st.session_state.get(_MADE_WITH, {})
    for key in [key for key in made_with if key not in st.session_state]:  # controls no longer drawn
        del made_with[key]


def shown_step(count: int) -> int:
    """Which step is selected and shown large: 0 (the input) to `count`; the link's choice when `load` read the
    link (the last step when it names none or one that does not exist), else the learner's."""
    if st.session_state.get(_READING):
        url_value = st.query_params.get(SHOW_KEY) or ""
        st.session_state[_SHOWN] = int(url_value) if url_value.isdecimal() and len(url_value) < 3 else count
    shown = st.session_state.get(_SHOWN)
    if not isinstance(shown, int) or not 0 <= shown <= count:
        shown = count
    st.session_state[_SHOWN] = shown
    return shown


def show(number: int) -> None:
    """Callback: show step `number` large."""
    st.session_state[_SHOWN] = number


# --------------------------------------------------------------------------- the run


@dataclass(frozen=True)
class Run:
    """One step as it ran on the page.

    Attributes
    ----------
    number : int
        1 for the first step.
    step : Step
    input, output : ndarray, DataFrame or None
        What went in and what came out (None if it could not run).
    input_kind, kind : str or None
        Their kinds (`processing.pipeline.KINDS`).
    problem : str or None
        Why it could not run, in plain words.
    whole : object
        The processing function's whole result (its curve, its threshold), for looking closer.
    """

    number: int
    step: Step
    input: Any
    input_kind: str | None
    output: Any
    kind: str | None
    problem: str | None
    whole: Any = None


def run(image: Any, steps: tuple[Step, ...]) -> list[Run]:
    """Run the pipeline on `image` (the image source's or a challenge's, both marked), every step through
    `ui.cache.step` with the previous step's output, so keys chain; a step that cannot run stops the chain."""
    runs = []
    current, kind = image, pipeline.kind_of(image)
    for number, item in enumerate(steps, 1):
        problem = pipeline.problem_with(item, kind)
        output = whole = None
        if problem is None:
            try:
                whole = step(item.type.function, current, **pipeline.arguments(item, kind))
                output = pipeline.pick(whole, item.type.pick)
            except pipeline.RUN_ERRORS as error:
                problem = f"{item.type.title} could not run on this input: {error}"
        runs.append(Run(number, item, current, kind, output, None if problem else pipeline.kind_of(output), problem,
                        whole))
        current, kind = (output, pipeline.kind_of(output)) if problem is None else (None, None)
    return runs


def last_output(image: Any, runs: list[Run], *, runnable: bool = False) -> tuple[Any, str | None]:
    """The pipeline's last output and its kind: the input when there are no steps; (None, None) when a step
    cannot run, or with `runnable` the output of the last step before it (what the code panel ends with)."""
    broken = next((index for index, outcome in enumerate(runs) if outcome.problem), None)
    if broken is None:
        return (runs[-1].output, runs[-1].kind) if runs else (image, pipeline.kind_of(image))
    if not runnable:
        return None, None
    return (runs[broken - 1].output, runs[broken - 1].kind) if broken else (image, pipeline.kind_of(image))


def work_source(source: ImageSource, work_on: str) -> ImageSource:
    """What the pipeline works on: the sidebar's image, or a challenge's own (`processing.challenges`), as an image
    source whose loading lines make it for the code panel and the downloads."""
    if work_on not in challenges.CHALLENGES:
        return source
    challenge = challenges.CHALLENGES[work_on]
    image = step(challenges.challenge_image, work_on)
    return ImageSource(key=f"challenge:{work_on}", image=image, title=f"the image of challenge “{challenge.title}”",
                       file_name=None, notes=(), original_shape=image.shape, load_code=challenge.load_code)


def grade(challenge_id: str, steps: tuple[Step, ...]) -> challenges.Grade:
    """The pipeline's grade on a challenge: run on the challenge's image (through `ui.cache.step`), then graded."""
    image = step(challenges.challenge_image, challenge_id)
    output, kind = last_output(image, run(image, steps))
    return step(challenges.grade, challenge_id, output, kind)


# --------------------------------------------------------------------------- the controls


def _set(index: int, step_name: str, name: str, key: str) -> None:
    """Callback of a setting's control: put its new value into the pipeline."""
    steps = list(st.session_state[_MODEL])
    value = st.session_state.get(key)
    if value is None or index >= len(steps) or steps[index].name != step_name:
        return
    try:
        steps[index] = steps[index].replace(name, value)
    except ValueError:  # a value the control cannot give (its limits are the parameter's)
        return
    _replace(tuple(steps), structure=False)


#: What the selected step's action control offers, by id: a label with its icon.
ACTIONS = {"up": ":material/arrow_upward: Move up", "down": ":material/arrow_downward: Move down",
           "remove": ":material/delete: Remove"}
_ACTION_KEY, _ADD_KEY = "pipeline_action", "pipeline_add"


def _act(index: int) -> None:
    """Callback of the selected step's action control: move step `index` up or down, or remove it; then clear the
    control, which acts like three buttons (one control, not three: fewer elements for the browser to redraw)."""
    action, st.session_state[_ACTION_KEY] = st.session_state.get(_ACTION_KEY), None
    steps = list(st.session_state[_MODEL])
    if not 0 <= index < len(steps):
        return
    if action == "remove":
        del steps[index]
        _replace(tuple(steps), shown=min(index + 1, len(steps)))
    elif action in ("up", "down"):
        other = index + (1 if action == "down" else -1)
        if 0 <= other < len(steps):
            steps[index], steps[other] = steps[other], steps[index]
            _replace(tuple(steps), shown=other + 1)


def _add(position: int) -> None:
    """Callback of the step chooser: insert the chosen step type at `position` (0: before every step), select it
    and clear the chooser."""
    name, st.session_state[_ADD_KEY] = st.session_state.get(_ADD_KEY), None
    steps = list(st.session_state[_MODEL])
    if name in pipeline.STEP_TYPES and len(steps) < pipeline.MAX_STEPS and 0 <= position <= len(steps):
        steps.insert(position, pipeline.make_step(name))
        _replace(tuple(steps), shown=position + 1)


def _setting(container, number: int, item: Step, param: pipeline.Param) -> None:
    """Draw one setting's control, made with the pipeline's value.

    The control keeps the value it was made with as its default for as long as it lives (it then shows the value
    its learner gave it): a default that followed every move would make the browser draw a new slider, which
    loses the keyboard focus after each arrow key.
    """
    key = widget_key(number, item, param.name)
    made_with = st.session_state.setdefault(_MADE_WITH, {})
    if key not in st.session_state or key not in made_with:
        made_with[key] = item.settings[param.name]
    value = made_with[key]
    common = {"key": key, "on_change": _set, "args": (number - 1, item.name, param.name, key),
              "help": param.help or None}
    if param.kind in ("int", "float"):
        kind = int if param.kind == "int" else float
        container.slider(param.label, kind(param.low), kind(param.high), kind(value), step=kind(param.step),
                         format="%d" if param.kind == "int" else f"%.{max(param.decimals, 1)}f", **common)
    elif param.kind == "bool":
        container.toggle(param.label, value=bool(value), **common)
    elif len(param.choices) <= 3 and sum(len(label) for _, label in param.choices) < 40:
        container.segmented_control(param.label, list(param.ids), default=value,
                                    format_func=dict(param.choices).get, required=True, **common)
    else:
        container.selectbox(param.label, list(param.ids), index=list(param.ids).index(value),
                            format_func=dict(param.choices).get, **common)


def _lesson_link(item: Step, carry: dict[str, str]) -> str:
    """A Markdown link to the lesson that explains the step (a new tab, so the pipeline stays in this one)."""
    lesson = LESSONS_BY_SLUG[item.type.lesson]
    query = f"?{urlencode(carry)}" if carry else ""
    return f"([lesson: {lesson.title}]({lesson.slug}{query}))"


def _kind_after(steps: tuple[Step, ...], runs: list[Run], number: int, input_kind: str | None) -> str | None:
    """The kind of step `number`'s output (0: the input's), as it ran or, if it could not run, as declared."""
    if number == 0:
        return input_kind
    outcome = runs[number - 1]
    return outcome.kind or steps[number - 1].type.output or outcome.input_kind


def draw_selected(steps: tuple[Step, ...], runs: list[Run], selected: int, *, input_kind: str | None,
                  carry: dict[str, str]) -> None:
    """The selected step's box: its title, what it does and the lesson that explains it, its settings (the
    lesson's controls and limits), one control to move or remove it, why it cannot run if it cannot; then a
    chooser of the step types that can follow it, which inserts the one chosen after it.

    Parameters
    ----------
    steps : tuple of Step
    runs : list of Run
        `run`'s outcome for `steps`.
    selected : int
        The step selected in the strip (0: the input).
    input_kind : str or None
        The pipeline input's kind.
    carry : dict
        Query parameters every link to a lesson carries (the image choice).
    """
    with st.container(border=True, key="pipeline_selected"):
        if selected == 0:
            st.markdown("**The input** · every step starts from the output of the one before; the first from this "
                        "image. Select a step above to change it, or add one here.")
        else:
            index, item, outcome = selected - 1, steps[selected - 1], runs[selected - 1]
            st.markdown(f"**Step {selected}: {item.type.title}** · {item.type.summary} {_lesson_link(item, carry)}")
            params = [param for param in item.type.params if not param.kinds or outcome.input_kind in param.kinds]
            if len(params) > 1:
                for column, param in zip(st.columns(len(params)), params):
                    _setting(column, selected, item, param)
            elif params:
                _setting(st, selected, item, params[0])
            else:
                st.caption("No settings: it does one thing.")
            offered = [action for action in ACTIONS
                       if not (action == "up" and index == 0 or action == "down" and selected == len(steps))]
            st.segmented_control(f"Move or remove step {selected}", offered, format_func=ACTIONS.get,
                                 key=_ACTION_KEY, on_change=_act, args=(index,), label_visibility="collapsed")
            if outcome.problem:
                st.warning(outcome.problem, icon=":material/block:")
        kind = _kind_after(steps, runs, selected, input_kind)
        names = pipeline.fitting_types(kind)
        if len(steps) >= pipeline.MAX_STEPS:
            st.caption(f"A pipeline has at most {pipeline.MAX_STEPS} steps: remove one to add another.")
        elif not names:
            st.caption("A table of measurements ends a pipeline: no step can follow it.")
        else:
            where = "the input" if selected == 0 else f"step {selected}"
            st.selectbox(f"Add a step after {where} (it takes a {pipeline.KIND_NAMES.get(kind, 'input')})", names,
                         index=None, placeholder="Choose a step: it is added at once", key=_ADD_KEY,
                         format_func=_type_label, on_change=_add, args=(selected,),
                         help="Only the steps that can run on this output are offered.")


def _type_label(name: str) -> str:
    return f"{pipeline.STEP_TYPES[name].group} · {pipeline.STEP_TYPES[name].title}"
