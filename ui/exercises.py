"""Exercises with automatic feedback, and the learner's progress.

Three kinds: a numeric answer checked with a tolerance, a choice among
options (pictures or words), and a target reached by moving the lesson's own
controls (graded by a score such as IoU or PSNR). A wrong try shows a hint; a
right one shows the explanation and is counted on the Home page. Solved
exercises are kept in the learner's browser by `ui.progress`.

In presenter mode (`ui.presenter`) nothing gives the answer away on the
projector: a check says only "Right" or "Not yet", and the hint, the
explanation and the answer itself wait in closed expanders until the teacher
opens them.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np
import streamlit as st

from ui import presenter
from ui.alt import picture_alt
from ui.display import show_image

_PROGRESS = "pl_progress"

#: Called with the id of every exercise drawn (tests use it); empty in the app.
LISTENERS: list[Callable[[str], None]] = []


def grade_numeric(given: float | None, *, answer: float, tolerance: float) -> bool:
    """True if `given` is within `tolerance` of `answer` (inclusive)."""
    if given is None or not math.isfinite(given):
        return False
    return abs(given - answer) <= tolerance


def grade_choice(given: str | None, *, correct: str) -> bool:
    """True if the chosen option is the correct one."""
    return given == correct


def grade_target(score: float, *, target: float, higher_is_better: bool = True) -> bool:
    """True once `score` reaches `target` (at least, or at most if lower is better)."""
    if not math.isfinite(score):
        return False
    return score >= target if higher_is_better else score <= target


def solved() -> set[str]:
    """Ids of the exercises solved in this session."""
    return set(st.session_state.get(_PROGRESS, ()))


def _record(exercise_id: str, correct: bool) -> None:
    tries = st.session_state.setdefault("pl_tries", {})
    tries[exercise_id] = tries.get(exercise_id, 0) + 1
    if correct:
        st.session_state.setdefault(_PROGRESS, set()).add(exercise_id)


def _feedback(correct: bool, *, hint: str, explanation: str) -> None:
    if presenter.is_on():
        if correct:
            st.success("Right.", icon=":material/check_circle:")
            with st.expander("Show the explanation"):
                st.markdown(explanation)
        else:
            st.error("Not yet.", icon=":material/lightbulb:")
            with st.expander("Show a hint"):
                st.markdown(hint)
    elif correct:
        st.success(f"Right. {explanation}", icon=":material/check_circle:")
    else:
        st.error(f"Not yet. Hint: {hint}", icon=":material/lightbulb:")


def _reveal(answer: str, explanation: str) -> None:
    """In presenter mode: the answer and its explanation in a closed expander, for the teacher to open."""
    if presenter.is_on():
        with st.expander("Reveal the answer", icon=":material/visibility:"):
            st.markdown(f"{answer}  \n{explanation}")


def _heading(number: int, question: str, exercise_id: str) -> None:
    for listener in LISTENERS:
        listener(exercise_id)
    done = " :green[✓ solved]" if exercise_id in solved() else ""
    st.markdown(f"**Exercise {number}.** {question}{done}")


def numeric_exercise(
    exercise_id: str,
    *,
    number: int,
    question: str,
    answer: float,
    tolerance: float = 0.0,
    hint: str,
    explanation: str,
    step: float = 1.0,
) -> None:
    """Ask for a number; right when within `tolerance` of `answer`.

    Parameters
    ----------
    exercise_id : str
        Unique id, listed in the lesson's registry entry.
    number : int
        Exercise number on the page.
    question : str
        The question (Markdown, Pixel Lab's own text).
    answer : float
        The right answer, computed from the image on screen.
    tolerance : float
        Largest accepted distance from `answer`.
    hint, explanation : str
        Shown after a wrong and a right try.
    step : float
        Step of the number input (1 for integers).
    """
    with st.container(border=True):
        _heading(number, question, exercise_id)
        with st.form(f"exercise_{exercise_id}", border=False):
            whole = float(step).is_integer()  # integer answers get an integer input
            given = st.number_input(
                "Your answer", value=None, step=int(step) if whole else step, key=f"answer_{exercise_id}",
                format=None if whole else "%g",
            )
            checked = st.form_submit_button("Check")
        if checked:
            correct = grade_numeric(None if given is None else float(given), answer=answer, tolerance=tolerance)
            _record(exercise_id, correct)
            _feedback(correct, hint=hint, explanation=explanation)
        within = f" (± {tolerance:g})" if tolerance else ""
        _reveal(f"**Answer:** {answer:g}{within}", explanation)


def choice_exercise(
    exercise_id: str,
    *,
    number: int,
    question: str,
    options: Sequence[str],
    correct: str,
    hint: str,
    explanation: str,
    pictures: Sequence[np.ndarray] | None = None,
) -> None:
    """Ask the learner to pick one option (optionally each shown as a picture).

    Parameters
    ----------
    options : sequence of str
        Option labels, e.g. ``("A", "B", "C")`` or short phrases.
    correct : str
        The right option.
    pictures : sequence of ndarray, optional
        One uint8 or bool image per option, shown above the choice.
    """
    if correct not in options:
        raise ValueError(f"correct must be one of the options, got {correct!r}")
    with st.container(border=True):
        _heading(number, question, exercise_id)
        if pictures is not None:
            for column, label, picture in zip(st.columns(len(options)), options, pictures):
                with column:
                    # An exercise's picture is identified, not described: its description would be the answer
                    # (WCAG 2.1, 1.1.1, "Test or exercise").
                    show_image(picture, caption=label, alt=picture_alt(
                        f"Option {label} of {len(options)} for exercise {number}", picture))
        with st.form(f"exercise_{exercise_id}", border=False):
            given = st.radio("Your answer", options, index=None, horizontal=True, key=f"answer_{exercise_id}")
            checked = st.form_submit_button("Check")
        if checked:
            correct_now = grade_choice(given, correct=correct)
            _record(exercise_id, correct_now)
            _feedback(correct_now, hint=hint, explanation=explanation)
        _reveal(f"**Answer:** {correct}", explanation)


def target_exercise(
    exercise_id: str,
    *,
    number: int,
    question: str,
    score: float,
    target: float,
    score_name: str,
    hint: str,
    explanation: str,
    higher_is_better: bool = True,
    unit: str = "",
) -> None:
    """A goal reached with the lesson's own controls, graded by a score when the learner asks.

    The controls sit in the lesson's fragment above, which reruns on its own
    while the learner moves them; a live score down here would lag behind. So
    the learner presses **Check my settings**, which reruns the whole page, and
    the `score` the page computed for the current settings is compared with `target`.
    """
    with st.container(border=True):
        _heading(number, question, exercise_id)
        relation = "≥" if higher_is_better else "≤"
        goal = f"{relation} {target:g}{unit}"
        with st.form(f"exercise_{exercise_id}", border=False):
            st.caption(f"Goal: {score_name} {goal}. Move the controls above, then check.")
            checked = st.form_submit_button("Check my settings")
        if checked:
            reached = grade_target(score, target=target, higher_is_better=higher_is_better)
            _record(exercise_id, reached)
            now = f"{score:.3g}{unit}" if math.isfinite(score) else "not defined for these settings"
            if presenter.is_on():  # the score is what the room sees; the rest waits to be revealed
                if reached:
                    st.success(f"Goal reached: {score_name} is {now} ({goal}).", icon=":material/check_circle:")
                else:
                    st.error(f"Not yet: {score_name} is {now} (goal {goal}).", icon=":material/lightbulb:")
                    with st.expander("Show a hint"):
                        st.markdown(hint)
            elif reached:
                st.success(f"Goal reached: {score_name} is {now} ({goal}). {explanation}",
                           icon=":material/check_circle:")
            else:
                st.error(f"Not yet: {score_name} is {now} (goal {goal}). Hint: {hint}", icon=":material/lightbulb:")
        _reveal(f"**Goal:** {score_name} {goal}", explanation)
