"""Progress kept in the learner's browser (ui/progress.py, ui/exercises.py, app.py).

AppTest has no browser, so the browser's side is played by hand: a report is put where the component's
state arrives (``st.session_state["pl_progress_store"]``), and what Python sends back is recorded from the
component's ``data``. The real browser round trip (reload, server restart, closed browser, fresh context,
forget) is tests/e2e/test_journey.py.
"""

from __future__ import annotations

import itertools
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st_

from tests.app.helpers import new_app, problems
from ui import progress
from ui.lessons import LESSONS, LESSONS_BY_SLUG

KNOWN = sorted(progress.known_exercises())
TOTAL = len(KNOWN)
_stamps = itertools.count(1)


@pytest.fixture()
def sent(monkeypatch):
    """Every ``data`` the progress component is given (what the browser is asked to store)."""
    calls: list[dict] = []

    def fake_store(**kwargs):
        calls.append(kwargs["data"])

    monkeypatch.setattr(progress, "_store", fake_store)
    return calls


def report(app, text: str):
    """Play the browser: it reports `text` as what its storage holds; returns the app after the rerun."""
    app.session_state["pl_progress_store"] = {"stored": {"text": text, "at": next(_stamps)}}
    return app.run()


def home_count(app) -> str:
    return next(m.value for m in app.metric if m.label == "Exercises solved in this browser")


def solve_a_choice(app, lesson) -> str:
    """Solve the lesson's first choice exercise by trying its options; returns its id."""
    for exercise in lesson.exercises:
        radios = [r for r in app.radio if r.key == f"answer_{exercise}"]
        if not radios:
            continue
        for option in radios[0].options:
            app.radio(key=f"answer_{exercise}").set_value(option)
            app.button(key=f"FormSubmitter:exercise_{exercise}-Check").click()
            app.run()
            if any(s.value.startswith("Right") for s in app.success):
                return exercise
    raise AssertionError(f"no choice exercise of {lesson.slug} could be solved")


# ---- The stored text ----------------------------------------------------------------------------------------

def test_only_ids_and_a_version_are_stored():
    text = progress.serialize(["colour_hue", "arrays_pixel", "arrays_pixel"])
    assert json.loads(text) == {"version": 1, "solved": ["arrays_pixel", "colour_hue"]}
    assert progress.serialize([]) == ""  # nothing solved: the entry is removed


@given(st_.sets(st_.sampled_from(KNOWN)))
def test_a_stored_text_reads_back_as_it_was_written(solved):
    stored = progress.parse_stored(progress.serialize(solved))
    assert stored.solved == solved and stored.note is None and stored.usable


@pytest.mark.parametrize(("raw", "note_part"), [
    ('{"version": 1, "solved": [', "not readable"),
    ("not json at all", "not readable"),
    ("[1, 2, 3]", "not in Pixel Lab's format"),
    ('{"solved": ["arrays_pixel"]}', "not in Pixel Lab's format"),
    ('{"version": true, "solved": []}', "not in Pixel Lab's format"),
    ('{"version": 2, "solved": ["arrays_pixel"]}', "format version 2"),
    ('{"version": 1, "solved": "arrays_pixel"}', "no readable list"),
    ('{"version": 1, "solved": ["arrays_pixel", 3]}', "no readable list"),
    ('{"version": 1, "solved": [' + '"x",' * 6000 + '"y"]}', "too long"),
    (progress.UNAVAILABLE, "does not let Pixel Lab save"),
])
def test_a_damaged_or_edited_text_is_ignored_with_a_note(raw, note_part):
    stored = progress.parse_stored(raw)
    assert stored.solved == frozenset() and not stored.usable
    assert note_part in stored.note


def test_unknown_ids_are_left_out_with_a_note_and_known_ones_kept():
    stored = progress.parse_stored('{"version": 1, "solved": ["arrays_pixel", "no_such_exercise", "<b>x</b>"]}')
    assert stored.solved == {"arrays_pixel"} and stored.usable
    assert stored.note.startswith("2 saved entries name no exercise")


@given(st_.text(max_size=300))
def test_any_text_is_read_without_raising(raw):
    stored = progress.parse_stored(raw)
    assert stored.solved <= set(KNOWN)


# ---- The exchange with the browser -------------------------------------------------------------------------

def test_first_run_only_reads_then_a_solve_is_written(sent):
    lesson = LESSONS_BY_SLUG["histograms"]
    app = new_app(lesson.page).run()
    assert not problems(app)
    assert sent[-1] == {"write": None, "expect": None, "seen": None}  # read and report, write nothing
    report(app, "")
    assert sent[-1]["write"] is None and sent[-1]["seen"] == ""
    exercise = solve_a_choice(app, lesson)
    written = sent[-1]
    assert json.loads(written["write"]) == {"version": 1, "solved": [exercise]}
    assert written["expect"] == ""  # only over what Python last saw (another tab may have saved meanwhile)
    assert written["seen"] == written["write"]
    app.run()  # nothing new: nothing written again
    assert sent[-1]["write"] is None and sent[-1]["seen"] == written["write"]


def test_a_solve_before_any_report_is_written_over_empty_storage_only(sent):
    """Empty storage is never reported (a first visit runs the page once), so a solve may come before any
    report: it is written only where the browser still holds nothing, else the browser reports what it holds."""
    lesson = LESSONS_BY_SLUG["histograms"]
    app = new_app(lesson.page).run()
    exercise = solve_a_choice(app, lesson)
    assert json.loads(sent[-1]["write"]) == {"version": 1, "solved": [exercise]} and sent[-1]["expect"] == ""
    report(app, progress.serialize(["arrays_pixel"]))  # another tab had saved first: merged and written
    assert set(json.loads(sent[-1]["write"])["solved"]) == {"arrays_pixel", exercise}


def test_stored_progress_is_restored_and_merged(sent):
    app = new_app("app.py").run()
    assert home_count(app) == f"0 of {TOTAL}"
    stored = progress.serialize(["arrays_pixel", "colour_hue"])
    report(app, stored)
    assert not problems(app)
    assert home_count(app) == f"2 of {TOTAL}"
    assert sent[-1]["write"] is None  # the browser already holds exactly this
    # The lesson shows it as solved.
    app.switch_page(LESSONS_BY_SLUG["colour"].page)
    app.run()
    assert any("colour_hue" in m.value or "✓ solved" in m.value for m in app.markdown)
    # Another tab saved one more: merged with this session's and written back.
    other_tab = progress.serialize(["edges_gx"])
    report(app, other_tab)
    assert set(json.loads(sent[-1]["write"])["solved"]) == {"arrays_pixel", "colour_hue", "edges_gx"}
    assert sent[-1]["expect"] == other_tab
    app.switch_page("app.py")
    app.run()
    assert home_count(app) == f"3 of {TOTAL}"
    # Per lesson on Home.
    bars = [p.value for p in app.get("progress")]
    assert len(bars) == len([lesson for lesson in LESSONS if lesson.exercises])


def test_a_damaged_value_gives_a_note_and_is_replaced_only_by_a_new_solve(sent):
    lesson = LESSONS_BY_SLUG["histograms"]
    app = new_app("app.py").run()
    damaged = '{"version": 1, "solved": [oops'
    report(app, damaged)
    assert not problems(app) and not app.exception
    notes = [w.value for w in app.warning]
    assert any("not readable (damaged or edited)" in note for note in notes), notes
    assert damaged not in " ".join(notes)  # the stored text itself is never shown
    assert sent[-1]["write"] is None  # left alone while nothing is solved
    app.switch_page(lesson.page)
    app.run()
    assert any("not readable" in w.value for w in app.sidebar.warning)
    exercise = solve_a_choice(app, lesson)
    assert json.loads(sent[-1]["write"])["solved"] == [exercise]
    assert sent[-1]["expect"] == damaged


def test_a_browser_that_cannot_store_gets_a_note(sent):
    app = new_app("app.py").run()
    report(app, progress.UNAVAILABLE)
    assert any("does not let Pixel Lab save progress" in w.value for w in app.warning)
    assert sent[-1]["write"] is None


def test_forget_my_progress_asks_first_then_empties_session_and_browser(sent):
    app = new_app("app.py").run()
    report(app, progress.serialize(["arrays_pixel", "colour_hue"]))
    assert home_count(app) == f"2 of {TOTAL}"
    app.button(key="pl_forget").click()
    app.run()
    assert any("Forget all 2 solved exercises" in w.value for w in app.warning)
    app.button(key="pl_forget_no").click()  # changed their mind
    app.run()
    assert home_count(app) == f"2 of {TOTAL}"
    app.button(key="pl_forget").click()
    app.run()
    app.button(key="pl_forget_yes").click()
    app.run()
    assert not problems(app)
    assert home_count(app) == f"0 of {TOTAL}"
    assert sent[-1] == {"write": "", "expect": None, "seen": ""}  # removed, whatever the browser holds
    assert any("Your progress is forgotten" in s.value for s in app.success)
    app.run()  # asked again on every run until the next solve: a skipped message cannot leave anything behind
    assert sent[-1] == {"write": "", "expect": None, "seen": ""} and home_count(app) == f"0 of {TOTAL}"
    assert app.button(key="pl_forget").disabled
    report(app, progress.serialize(["arrays_pixel"]))  # a report the browser sent before it emptied its storage
    assert home_count(app) == f"0 of {TOTAL}"


def test_a_solve_after_forgetting_is_saved_again(sent):
    lesson = LESSONS_BY_SLUG["histograms"]
    app = new_app("app.py").run()
    report(app, progress.serialize(["arrays_pixel"]))
    app.button(key="pl_forget").click()
    app.run()
    app.button(key="pl_forget_yes").click()
    app.run()
    app.switch_page(lesson.page)
    app.run()
    exercise = solve_a_choice(app, lesson)
    assert json.loads(sent[-1]["write"])["solved"] == [exercise] and sent[-1]["expect"] == ""


def test_a_report_already_merged_is_not_merged_again(sent):
    app = new_app("app.py").run()
    report(app, progress.serialize(["arrays_pixel"]))
    app.button(key="pl_forget").click()
    app.run()
    app.button(key="pl_forget_yes").click()
    app.run()
    app.run()  # the component's old report is still in its state: it must not bring the progress back
    assert home_count(app) == f"0 of {TOTAL}"
