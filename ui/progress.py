"""The learner's progress, kept in their own browser's ``localStorage``.

Nothing about progress is stored on the server: the set of solved exercises lives in the
session (``ui.exercises``) and is mirrored into the browser by a small components-v2
component written here (inline JavaScript, no third-party package). So progress survives
a reload, closing the browser, a server restart and a different server process, and a
different browser (or a private window) starts empty.

What is stored, under the key ``pixel-lab-progress``::

    {"version": 1, "solved": ["arrays_pixel", "colour_hue"]}

only the ids of solved exercises (their outcome: solved), never images, answers or settings.

The exchange, once per page run (the component is drawn at the end of the run, after the
exercises have recorded this run's answers):

1. The first time in a session, Python sends nothing to write; the browser reads the stored
   text and reports it (one extra run), unless nothing is stored: then Python's assumption
   "nothing stored yet" holds and a first visit costs no second run.
2. Python checks it (`parse_stored`): text that is not this format, from another version,
   too long or naming no exercise of the course is ignored with a note, never a traceback.
3. Python sends back what the browser should hold: the union of the stored set and the
   session's; the browser writes it only if storage still holds what Python last saw (another
   tab may have written meanwhile: then it reports that instead and Python merges again).
4. After "Forget my progress" Python asks, on every run until the next solve, for the entry to be
   removed whatever it holds, and merges no report meanwhile.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

import streamlit as st

from ui.lessons import LESSONS
from ui.presenter import PAGE_CSS

STORAGE_KEY = "pixel-lab-progress"
VERSION = 1
#: Longer stored text is refused unread (the whole course's ids take about 1 KB).
MAX_STORED_CHARS = 20_000
#: Reported by the browser when localStorage cannot be used (switched off, full, blocked).
UNAVAILABLE = "\u0000unavailable"

_SOLVED = "pl_progress"  # the session's set of solved ids (shared with ui.exercises)
_SEEN = "pl_progress_seen"  # the stored text as Python last knew it (None until the browser reported)
_NOTE = "pl_progress_note"
_FORGOTTEN = "pl_progress_forgotten"  # True from "Forget my progress" until the next solve
_CONSUMED = "pl_progress_consumed"  # the last report merged (its time stamp)
_COMPONENT_KEY = "pl_progress_store"

_JS = """
const KEY = "%(key)s";
const UNAVAILABLE = "\\u0000unavailable";
export default function ({ data, setStateValue }) {
    let raw;
    try {
        raw = window.localStorage.getItem(KEY) ?? "";
        const wanted = data ? data.write : null;
        // Write only over what Python last saw: another tab may have saved meanwhile.
        if (typeof wanted === "string" && raw !== wanted && (data.expect === null || raw === data.expect)) {
            if (wanted === "") window.localStorage.removeItem(KEY);
            else window.localStorage.setItem(KEY, wanted);
            raw = wanted;
        }
    } catch (error) {
        raw = UNAVAILABLE;
    }
    // Each report is new (a time stamp), so Python can tell it from one it has merged already. Empty storage
    // before any report is what Python assumes already: not reported, so a first visit runs the page once.
    const assumed = data && data.seen === null && raw === "";
    if ((!data || raw !== data.seen) && !assumed) {
        setStateValue("stored", { text: raw, at: Date.now() + Math.random() });
    }
}
""" % {"key": STORAGE_KEY}

# The page's own styles travel with this component, unisolated: every page mounts it once, so they need no
# component of their own (one element fewer on every run).
_store = st.components.v2.component("pixel_lab_progress", js=_JS, css=PAGE_CSS, isolate_styles=False)


def known_exercises() -> set[str]:
    """Every exercise id of the course (from the lesson registry)."""
    return {exercise for lesson in LESSONS for exercise in lesson.exercises}


@dataclass(frozen=True)
class Stored:
    """What a stored text holds once checked.

    Attributes
    ----------
    solved : frozenset of str
        Known exercise ids marked solved.
    note : str or None
        Why (part of) the text was ignored; None when it was read in full.
    usable : bool
        False when the whole text was ignored (it may be replaced by the next save).
    """

    solved: frozenset[str]
    note: str | None = None
    usable: bool = True


def serialize(solved: Iterable[str]) -> str:
    """The stored text for a set of solved exercise ids ("" for none: the entry is removed)."""
    ids = sorted(set(solved))
    return json.dumps({"version": VERSION, "solved": ids}, separators=(",", ":")) if ids else ""


def parse_stored(raw: str, known: set[str] | None = None) -> Stored:
    """Check a stored text; never raises.

    Parameters
    ----------
    raw : str
        What the browser holds ("" when nothing is stored).
    known : set of str, optional
        Exercise ids of the course (default: the registry's).

    Returns
    -------
    Stored
    """
    known = known_exercises() if known is None else known
    ignored = "so it is ignored; exercises you solve now are saved in its place."
    if raw == "":
        return Stored(frozenset())
    if raw == UNAVAILABLE:
        return Stored(frozenset(), "This browser does not let Pixel Lab save progress (its storage is switched off, "
                                   "full or blocked): solved exercises count only while this tab is open.", False)
    if not isinstance(raw, str) or len(raw) > MAX_STORED_CHARS:
        return Stored(frozenset(), f"The progress saved in this browser is too long to be Pixel Lab's, {ignored}",
                      False)
    try:
        value = json.loads(raw)
    except ValueError:
        return Stored(frozenset(), f"The progress saved in this browser is not readable (damaged or edited), {ignored}",
                      False)
    if not isinstance(value, dict) or not isinstance(value.get("version"), int) or isinstance(value["version"], bool):
        return Stored(frozenset(), f"The progress saved in this browser is not in Pixel Lab's format, {ignored}", False)
    if value["version"] != VERSION:
        return Stored(frozenset(), f"The progress saved in this browser has format version {value['version']}, this "
                                   f"Pixel Lab reads version {VERSION}, {ignored}", False)
    solved = value.get("solved")
    if not isinstance(solved, list) or not all(isinstance(item, str) for item in solved):
        return Stored(frozenset(), f"The progress saved in this browser has no readable list of solved exercises, "
                                   f"{ignored}", False)
    unknown = {item for item in solved if item not in known}
    note = None
    if unknown:
        count = len(unknown)
        note = (f"{count} saved {'entry names' if count == 1 else 'entries name'} no exercise of this course and "
                f"{'was' if count == 1 else 'were'} left out.")
    return Stored(frozenset(set(solved) - unknown), note)


def session_solved() -> set[str]:
    """The session's set of solved ids (the same object ui.exercises records into)."""
    solved = st.session_state.get(_SOLVED)
    if not isinstance(solved, set):
        solved = set(solved or ())
        st.session_state[_SOLVED] = solved
    return solved


def note() -> str | None:
    """A note about the stored progress (damaged, unreadable, not allowed), or None."""
    return st.session_state.get(_NOTE)


def receive() -> None:
    """Merge what the browser reported into the session's solved set. Call once, early in every run
    (before exercises are drawn, so they show as solved)."""
    state = st.session_state.get(_COMPONENT_KEY)
    report = state.get("stored") if hasattr(state, "get") else None
    if not isinstance(report, dict) or report.get("at") == st.session_state.get(_CONSUMED):
        return
    st.session_state[_CONSUMED] = report.get("at")
    raw = report.get("text")
    if not isinstance(raw, str) or st.session_state.get(_FORGOTTEN):
        return  # after "Forget": a report sent before the browser emptied its storage must not bring it back
    stored = parse_stored(raw)
    st.session_state[_NOTE] = stored.note
    solved = session_solved()
    solved |= stored.solved
    st.session_state[_SEEN] = raw


def forget() -> None:
    """Empty the progress: the session's and, at the end of this run, the browser's."""
    session_solved().clear()
    st.session_state.pop("pl_tries", None)
    st.session_state[_NOTE] = None
    st.session_state[_FORGOTTEN] = True
    st.session_state[_SEEN] = ""


def plan() -> dict:
    """What to send to the browser at the end of this run: ``write`` (text or None), ``expect`` and ``seen``."""
    seen = st.session_state.get(_SEEN)
    solved = session_solved()
    if st.session_state.get(_FORGOTTEN):
        if not solved:  # sent on every run until the next solve, so no skipped message can leave anything behind
            return {"write": "", "expect": None, "seen": ""}  # unconditionally: whatever is stored goes
        st.session_state[_FORGOTTEN] = False  # solved again since: back to merging (seen is "")
    if seen is None:  # not reported yet: the browser reports stored progress, and empty storage not at all
        if not solved:
            return {"write": None, "expect": None, "seen": None}  # only read
        seen = ""  # solved before any report: write over empty storage only (else the browser reports it)
    if seen == UNAVAILABLE:
        return {"write": None, "expect": None, "seen": seen}
    stored = parse_stored(seen)
    wanted = set(solved) | set(stored.solved)
    if (stored.usable and wanted == set(stored.solved)) or (not stored.usable and not solved):
        return {"write": None, "expect": None, "seen": seen}  # nothing new (a damaged text stays until a solve)
    text = serialize(wanted)
    st.session_state[_SEEN] = text
    return {"write": text, "expect": seen, "seen": text}


def send() -> None:
    """Draw the storage component, with the page's styles, at the end of the sidebar (call at the very end of
    every page run; it takes no room)."""
    with st.sidebar:
        _store(key=_COMPONENT_KEY, data=plan(), default={"stored": None}, on_stored_change=_ignore, height=0)


def _ignore() -> None:
    """The report is read by `receive` at the start of the rerun it causes."""
