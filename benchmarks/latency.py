"""Browser latency of every lesson: from a learner's input to the page showing its result (issues 7 and 18).

Usage::

    python benchmarks/latency.py [--inputs default 1080p 12MP] [--lessons arrays edges]
                                 [--controls main|all] [--walk alternate|fresh] [--throttle 4]
                                 [--interactions 12] [--cold-start 3 | --cold-start-only]
                                 [--paired ROUNDS] [--json benchmarks/results/latency.json]

What is measured
----------------
Pixel Lab runs with ``streamlit run app.py`` on a free loopback port
(`benchmarks.server.running_app`) and is driven by headless Chromium through
Playwright (Debian's ``/usr/bin/chromium``; nothing is downloaded). Each input
gets its own browser context, i.e. its own Streamlit session:

* ``default``: the lesson's default sample (astronaut);
* ``1080p`` and ``12MP``: a photo (``skimage.data.coffee`` enlarged with
  ``cv2.INTER_CUBIC`` to 1920 × 1080 or 4000 × 3000, JPEG quality 90), uploaded
  once through the sidebar (``/?img=upload``, then the file chooser). The
  upload lives in the session, so lessons are opened by clicking their link in
  the sidebar menu (a client-side page switch in the same session); ``page.goto``
  would open a new session without the upload. The script checks on every
  lesson that the sidebar still names the uploaded file.

Which controls (``--controls``):

* ``main`` (default): each lesson's MAIN control (`MAIN_CONTROLS`, chosen by
  reading the page: the first control of its "Controls" section that a teacher
  would drag), after its setup (a toggle switched or a button pressed);
* ``all``: after the main control's setup, every slider, select slider,
  selectbox, segmented control and radio of the lesson's main area, found in the
  page by their ``st-key-<key>`` containers (`discover_controls`), in page order;
  left out (and listed): exercise answers, the sidebar, disabled or hidden
  controls and controls without a key. Each control is walked, then put back as
  it was found (untimed), so the next one starts from the page as opened.

How a control is walked (``--walk``), `slider_plan` and `choice_plan`:

* ``alternate`` (cached values): a warm-up input one step (the next option)
  away, not counted, then ``--interactions`` inputs back and forth between the
  two, so every timed value was shown before and cached steps answer;
* ``fresh`` (values never shown before, no cached result can be reused): a
  slider steps away from its start value, first towards the side with room, then
  (after going back untimed) the other side, after one uncounted warm-up step;
  a select control chooses every other option once, in order, without a warm-up
  (each is new), so it has at most options - 1 samples.

A slider is moved by ArrowRight / ArrowLeft on its focused thumb (a range
slider's upper thumb, unless `MAIN_CONTROLS` says otherwise), a select control
by clicking the option (a selectbox is opened first).

``--throttle RATE`` slows the tab's CPU down RATE times through the DevTools
protocol (``Emulation.setCPUThrottlingRate``; 4 is Chrome's "mid-tier mobile"),
the reference pages' tabs the same way: the phone row.

How one interaction is timed (in the page, with ``performance.now()``)
--------------------------------------------------------------------------
Every tab gets a small recorder before any page script runs (`WIRE`): it wraps
``WebSocket`` and notes when the frontend asks for a rerun (a ``BackMsg`` with
``rerun_script``) and when the server says a run is over (a ``ForwardMsg`` with
``script_finished``), reading only the frames' top-level protobuf field numbers.
Right before the input, a second script is installed (`ARM`): it takes the
input's ``keydown`` / ``pointerdown`` ``timeStamp`` as the start, notes the time
of every change (DOM mutation, picture ``load``) in ``[data-testid='stMain']``,
and checks on every mutation, every load and every 5 ms whether it is over:

1. a rerun was asked for after the input, and the server has said
   ``script_finished`` after the last rerun asked for;
2. ``[data-testid='stApp']`` reads ``data-test-script-state='notRunning'``;
3. no element is ``[data-stale='true']``;
4. every ``<img>`` in the main area is ``complete`` with ``naturalWidth > 0``;
5. the main area has not changed for `QUIET_MS` (150 ms; waited, not timed).

The figure is from the input event to the later of ``script_finished`` and the
last change to the main area: the moment the page shows the result, whether or
not a picture changed. (Until this round the end was the first check passing
after a picture's ``src`` changed or the script state was seen leaving
``notRunning``; a control whose result looks the same, such as a Hough vote
count that finds the same lines, changes no picture and, on a fast rerun, React
draws ``running`` and ``notRunning`` in one frame, so neither was ever seen:
"not settled after 60000 ms".) Each timing also records whether a picture's
``src`` changed, when ``script_finished`` arrived, and how many elements the server
sent (``ForwardMsg`` frames with a ``delta`` or its ``ref_hash``): the browser
redraws each, so they show what limits a control (column ``sent``). After every interaction
the page must stay settled for two looks 150 ms apart before the next one (not
timed). Every wait has a timeout; a failed interaction is reported in the row,
never a hang, and after a lesson that failed outright the next one starts from a
new session.

Not included: pictures inside component iframes, paint time after the last DOM
change.

The reference row is benchmarks/reference_page.py (a slider and a 4 × 4
image), in its own ``streamlit run`` process, measured the same way before the
lessons and again after them; the ratios use both sets pooled. A second
reference, benchmarks/reference_page_frozen.py, is the same page with its
imported objects frozen out of the garbage collector as Pixel Lab's pages do
(Streamlit collects garbage after every run): the ×frz column compares with it. Each row gives
the median and the 95th percentile (linear interpolation between samples; with
12 samples it lies between the two slowest) and their ratios to the reference.

Paired (``--paired ROUNDS``, main controls only): the reference page and the
lesson are timed in turns, ``--interactions`` inputs on one, then on the other,
ROUNDS times, each in its own tab and session with both servers running; each
row gives both medians over the same rounds, their ratio and each round's
ratio. The default run times the reference before and after all the lessons, so
a change in the machine's load between those minutes moves the ratio; taking
turns exposes both pages to the same load (on this 2-core machine the same
page's ratio spread over 0.9 × between default runs).

Cold start (``--cold-start N``, default 3, run first; ``--cold-start-only``):
a fresh ``streamlit run app.py`` each time, with Chromium already open; the
time from launching the server to ``/_stcore/health`` answering, and to the
first picture of a deep link (``--cold-link``, default ``/smoothing``) being
loaded; medians of N.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import re
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

import cv2
import numpy as np
import skimage.data

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.server import CHROMIUM_ARGS, REFERENCE_PAGE, find_chromium, running_app  # noqa: E402
from ui.lessons import LESSONS, LESSONS_BY_SLUG  # noqa: E402


class Control(NamedTuple):
    """A lesson's main control: its kind and key, plus what the benchmark needs to drive it."""

    kind: str  # "slider", "segmented" or "selectbox"
    key: str  # widget key: the element container carries the class st-key-<key>
    why: str
    thumb: int = 0  # which thumb of a range slider
    setup: tuple[str, ...] = ()  # toggles switched or buttons pressed (by key; "key=text": an option) first
    skip: tuple[str, ...] = ()  # options never chosen (by label)


# slug -> main control. "Why" says what a teacher does with it on the default settings.
MAIN_CONTROLS: dict[str, Control] = {
    "arrays": Control("slider", "arrays_rows", "default experiment Paint: drag the rectangle's top row (first thumb)"),
    "colour": Control("slider", "colour_hue", "first control of 'Pick an object by its hue'; upper end, so the "
                      "lower one never blocks it", thumb=1),
    "geometry": Control("slider", "geometry_angle", "default transform Rotate: the angle is what one drags"),
    "histograms": Control("slider", "histograms_a", "default Linear point operation: its first slider, contrast a"),
    "convolution": Control("selectbox", "convolution_preset", "first control; σ is disabled for the default "
                           "Sobel x, so a teacher switches kernels", skip=("Custom (typed below)",)),
    "smoothing": Control("slider", "smoothing_sigma", "first slider: the noise σ (every filter reruns on it)"),
    "edges": Control("segmented", "edges_operator", "the only control of 'Gradients': Sobel / Prewitt / Scharr"),
    "thresholding": Control("slider", "thresholding_t", "default Manual method: the threshold t"),
    "morphology": Control("slider", "morphology_size", "first slider: the structuring element's size"),
    "masks": Control("slider", "masks_cx", "default circle: first slider, its centre x"),
    "segmentation": Control("slider", "segmentation_level", "the threshold level of step 1 (Otsu switched "
                            "off first, as a teacher does to show it)", setup=("segmentation_auto",)),
    "measuring": Control("slider", "measuring_level", "the threshold level (Otsu switched off first; the "
                         "filters below it only hide rows)", setup=("measuring_auto",)),
    "fourier": Control("slider", "fourier_cutoff", "the cutoff D0 of 'Filter by masking the spectrum': mask, "
                       "inverse DFT, pictures and the row profile rerun"),
    "restoration": Control("slider", "restoration_length", "first slider of 'Blur it, then restore it': the blur, "
                           "all three restorations and Richardson-Lucy's 100 iterations rerun"),
    "compression": Control("slider", "compression_quality", "the quality: the rebuilt image, the file, the block, the "
                           "close-ups and the curve's point follow it (the curve itself is kept per image)"),
    "features": Control("slider", "features_votes", "default method Lines: the votes a line needs"),
    "pipeline": Control("slider", "pipeline_2_gaussian_sigma", "the σ of step 2 of the six-step pipeline the page "
                        "opens with (/pipeline?img=coins&pipeline=grey|gaussian:sigma=2|otsu|fill|small|label), "
                        "step 2 selected first (under 'Step shown large'): steps 2-6 rerun, step 1 comes from the "
                        "cache", setup=("pipeline_look=2. ",)),
}
REFERENCE = Control("slider", "reference_level", "the reference page's only control")
FROZEN_REFERENCE = "benchmarks/reference_page_frozen.py"
INPUTS = {"default": None, "1080p": (1080, 1920), "12MP": (3000, 4000)}
VIEWPORT = {"width": 1440, "height": 900}

# Installed in every browser context before any page script runs: it records, in the page's own clock, when
# the frontend asks the server for a rerun (BackMsg.rerun_script, field 11) and when the server says a run is over
# (ForwardMsg.script_finished, field 6), by reading the top-level protobuf field numbers of each websocket frame.
WIRE = r"""(() => {
    if (window.__plWire) return;
    const wire = window.__plWire = {sent: [], finished: [], deltas: 0};
    const varint = (b, i) => {
        let value = 0, scale = 1, byte;
        do { byte = b[i++]; value += (byte & 0x7f) * scale; scale *= 128; } while ((byte & 0x80) && i < b.length);
        return [value, i];
    };
    const fields = b => {  // the top-level field numbers of a protobuf message
        const found = [];
        let i = 0, tag, size;
        while (i < b.length) {
            [tag, i] = varint(b, i);
            const type = tag & 7;
            found.push(Math.floor(tag / 8));
            if (type === 0) [size, i] = varint(b, i);
            else if (type === 2) { [size, i] = varint(b, i); i += size; }
            else if (type === 1) i += 8;
            else if (type === 5) i += 4;
            else break;
        }
        return found;
    };
    const bytes = d => d instanceof ArrayBuffer ? new Uint8Array(d)
        : ArrayBuffer.isView(d) ? new Uint8Array(d.buffer, d.byteOffset, d.byteLength) : null;
    const Native = window.WebSocket;
    class Recorded extends Native {
        constructor(...args) {
            super(...args);
            this.addEventListener("message", event => {  // added first: runs before the frontend's own handler
                const at = performance.now();
                const note = b => {
                    const found = fields(b);
                    if (found.includes(6)) wire.finished.push(at);
                    if (found.includes(5) || found.includes(11)) wire.deltas += 1;  // an element, or its hash
                };
                const b = bytes(event.data);
                if (b) note(b);
                else if (event.data instanceof Blob) event.data.arrayBuffer().then(d => note(new Uint8Array(d)));
            });
        }
        send(data) {
            const b = bytes(data);
            if (b && fields(b).includes(11)) wire.sent.push(performance.now());
            return super.send(data);
        }
    }
    window.WebSocket = Recorded;
})()"""

# Installed right before one input; resolves with the timings (see the module docstring).
ARM = """([timeoutMs, quietMs]) => {
    const main = document.querySelector("[data-testid='stMain']") || document.body;
    const app = document.querySelector("[data-testid='stApp']");
    const wire = window.__plWire || null;
    const sources = () => Array.from(main.querySelectorAll("img")).map(i => i.getAttribute("src"));
    const before = new Set(sources());
    const sent0 = wire ? wire.sent.length : 0, finished0 = wire ? wire.finished.length : 0;
    const deltas0 = wire ? wire.deltas : 0;
    const s = {start: null, busyAt: null, busySeen: false, changed: false, lastChange: null, end: null};
    let finish;
    window.__plResult = new Promise(resolve => { finish = resolve; });
    const onInput = event => { if (s.start === null) s.start = event.timeStamp; };
    const loaded = () => Array.from(main.querySelectorAll("img")).every(i => i.complete && i.naturalWidth > 0);
    const check = () => {
        if (s.end !== null || s.start === null) return;
        if (!s.changed && sources().some(src => !before.has(src))) s.changed = true;
        const idle = app.getAttribute("data-test-script-state") === "notRunning";
        if (!idle) { s.busySeen = true; if (s.busyAt === null) s.busyAt = performance.now(); return; }
        let finished = null, sentAt = null;
        if (wire) {  // the server said the last rerun asked for after the input is over
            const sent = wire.sent.slice(sent0), done = wire.finished.slice(finished0);
            if (!sent.length || !done.length || done[done.length - 1] < sent[sent.length - 1]) return;
            finished = done[done.length - 1];
            sentAt = sent[0];
        } else if (!(s.changed || s.busySeen)) return;
        if (document.querySelector("[data-stale='true']")) return;
        if (!loaded()) return;
        const now = performance.now();
        let end = now;
        if (wire) {  // the last change to the main area, once it has been quiet for quietMs
            end = Math.max(finished, s.lastChange === null ? 0 : s.lastChange);
            if (now - end < quietMs) return;
        }
        s.end = end;
        stop();
        finish({ok: true, ms: end - s.start, script_ms: (finished === null ? now : finished) - s.start,
                changed: s.changed, sent_ms: sentAt === null ? null : sentAt - s.start,
                running_ms: s.busyAt === null ? null : s.busyAt - s.start, signal: wire ? "wire" : "dom",
                images: main.querySelectorAll("img").length, deltas: wire ? wire.deltas - deltas0 : null});
    };
    const observer = new MutationObserver(records => {
        for (const r of records) {
            if (s.start === null) break;
            if (r.target === app && r.attributeName === "data-test-script-state" && r.oldValue !== "notRunning") {
                s.busySeen = true;
                if (s.busyAt === null) s.busyAt = performance.now();
            }
            if (main.contains(r.target)) s.lastChange = performance.now();
        }
        check();
    });
    observer.observe(document.body, {subtree: true, childList: true, attributes: true, characterData: true,
                                     attributeOldValue: true});
    const onLoad = event => { if (s.start !== null && main.contains(event.target)) s.lastChange = performance.now();
                              check(); };
    document.addEventListener("keydown", onInput, true);
    document.addEventListener("pointerdown", onInput, true);
    document.addEventListener("load", onLoad, true);
    const poll = setInterval(check, 5);
    const timer = setTimeout(() => {
        stop();
        const sent = wire ? wire.sent.length - sent0 : null, done = wire ? wire.finished.length - finished0 : null;
        finish({ok: false, error: s.start === null ? "the input never reached the page"
                : `not settled after ${timeoutMs} ms (picture changed: ${s.changed}, script seen: ${s.busySeen}, `
                  + `reruns asked ${sent}, runs finished ${done})`});
    }, timeoutMs);
    function stop() {
        observer.disconnect(); clearInterval(poll); clearTimeout(timer);
        document.removeEventListener("keydown", onInput, true);
        document.removeEventListener("pointerdown", onInput, true);
        document.removeEventListener("load", onLoad, true);
    }
}"""

SETTLED = """() => {
    const app = document.querySelector("[data-testid='stApp']");
    const main = document.querySelector("[data-testid='stMain']");
    if (!app || !main || app.getAttribute("data-test-script-state") !== "notRunning") return null;
    const wire = window.__plWire;  // a rerun asked for and not yet finished
    if (wire && wire.sent.length && !(wire.finished.length && wire.finished.at(-1) > wire.sent.at(-1))) return null;
    if (document.querySelector("[data-stale='true']")) return null;
    const images = Array.from(main.querySelectorAll("img"));
    if (!images.every(i => i.complete && i.naturalWidth > 0)) return null;
    return images.length;
}"""

FIRST_IMAGE = """() => Array.from(document.querySelectorAll("[data-testid='stMain'] [data-testid='stImage'] img"))
    .some(i => i.complete && i.naturalWidth > 0)"""


PAGE_STATE = """() => [document.querySelector("[data-testid='stApp']")?.getAttribute("data-test-script-state"),
    document.querySelectorAll("[data-stale='true']").length]"""


class InteractionError(RuntimeError):
    pass


def photo_jpeg(height: int, width: int) -> bytes:
    """A real photograph (coffee) enlarged to the given size, as a quality-90 JPEG."""
    enlarged = cv2.resize(skimage.data.coffee(), (width, height), interpolation=cv2.INTER_CUBIC)
    return cv2.imencode(".jpg", cv2.cvtColor(enlarged, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, 90])[1].tobytes()


def settle(page, *, timeout: float = 120.0, looks: int = 3, gap_ms: int = 300, min_images: int = 1) -> int:
    """Wait until the page is settled (script done, nothing stale, main images loaded) on `looks` looks in a row."""
    deadline = time.monotonic() + timeout
    history: list[int | None] = []
    while time.monotonic() < deadline:
        history.append(page.evaluate(SETTLED))
        recent = history[-looks:]
        if len(recent) == looks and recent[0] is not None and recent[0] >= min_images and len(set(recent)) == 1:
            return recent[0]
        page.wait_for_timeout(gap_ms)
    raise InteractionError(f"page did not settle within {timeout:.0f} s (image counts seen: {history[-6:]})")


def container(page, key: str):
    return page.locator(f"[data-testid='stMain'] .st-key-{key}")


SLIDER_STATE = """el => Array.from(el.querySelectorAll("input[type='range']")).map(i => ({
    value: Number(i.value), min: Number(i.min), max: Number(i.max), step: Number(i.step) || 1}))"""

# The slider and select controls of the main area, in page order, with what the walk needs to know about them.
DISCOVER = """() => {
    const main = document.querySelector("[data-testid='stMain']");
    const kinds = {stSlider: "slider", stSelectbox: "selectbox", stRadio: "radio", stButtonGroup: "segmented"};
    const selector = Object.keys(kinds).map(id => `[data-testid='${id}']`).join(", ");
    return Array.from(main.querySelectorAll(selector)).map(el => {
        const holder = el.closest(".stElementContainer") || el.parentElement;
        const keyClass = Array.from(holder.classList).find(name => name.startsWith("st-key-"));
        // A label's help button stays enabled when the control is disabled: it does not count.
        const inputs = Array.from(el.querySelectorAll("input, button"))
            .filter(i => !i.closest("[data-testid='stTooltipIcon']"));
        const off = i => i.disabled || i.getAttribute("aria-disabled") === "true";
        const disabled = inputs.length === 0 || inputs.every(off);
        const box = el.getBoundingClientRect();
        const label = el.querySelector("[data-testid='stWidgetLabel']");
        return {kind: kinds[el.dataset.testid], key: keyClass ? keyClass.slice("st-key-".length) : null, disabled,
                visible: box.width > 0 && box.height > 0, label: label ? label.innerText.trim().slice(0, 60) : "",
                thumbs: el.querySelectorAll("input[type='range']").length,
                exercise: el.closest("[class*='st-key-pl_exercise'], [class*='st-key-answer_']") !== null};
    });
}"""

#: After the last change to the main area, how long it must stay unchanged before an interaction counts as over
#: (waited, not timed: the figure ends at that last change).
QUIET_MS = 150


class Move(NamedTuple):
    """One input of a walk: a slider key press ("ArrowRight"/"ArrowLeft") or an option to choose."""

    target: str
    timed: bool = True  # False: the warm-up
    before: tuple[str, ...] = ()  # slider key presses made first, untimed (back across values already shown)


def slider_step(index: int, walk: str) -> str:
    """Key for the index-th press: alternate right/left, or always right ("fresh": values never repeat)."""
    if walk == "fresh":
        return "ArrowRight"
    return "ArrowRight" if index % 2 == 0 else "ArrowLeft"


def thumb_of(page, control: Control):
    return container(page, control.key).locator("input[type='range']").nth(control.thumb)


def slider_values(page, control: Control) -> list[float]:
    return [thumb["value"] for thumb in container(page, control.key).first.evaluate(SLIDER_STATE)]


def slider_room(page, control: Control) -> tuple[int, int]:
    """Steps the control's thumb can move left and right (a range slider's thumbs do not pass each other)."""
    thumbs = container(page, control.key).first.evaluate(SLIDER_STATE)
    me = thumbs[control.thumb]
    low = thumbs[control.thumb - 1]["value"] if control.thumb > 0 else me["min"]
    high = thumbs[control.thumb + 1]["value"] if control.thumb + 1 < len(thumbs) else me["max"]
    return round((me["value"] - low) / me["step"]), round((high - me["value"]) / me["step"])


def opposite(key: str) -> str:
    return "ArrowLeft" if key == "ArrowRight" else "ArrowRight"


def slider_plan(room: tuple[int, int], walk: str, count: int) -> list[Move]:
    """A warm-up and `count` timed presses.

    alternate: one step away and back, so every timed value was shown before (the page load or the warm-up);
    fresh: away from the start value, towards the side with room first, then (after going back untimed) the
    other side, so no value is shown twice; fewer presses when the slider has fewer positions.
    """
    left, right = room
    first = "ArrowRight" if right >= count + 1 or right >= left else "ArrowLeft"
    if walk == "alternate":
        if max(left, right) == 0:
            return []
        moves = [first if index % 2 == 0 else opposite(first) for index in range(count + 1)]
        return [Move(key, timed=index > 0) for index, key in enumerate(moves)]
    first_room, second_room = (right, left) if first == "ArrowRight" else (left, right)
    keys = [first] * min(first_room, count + 1)
    moves = [Move(key, timed=index > 0) for index, key in enumerate(keys)]
    missing = count + 1 - len(moves)
    if missing > 0 and second_room > 0:
        back = tuple([opposite(first)] * len(keys))
        second = [opposite(first)] * min(second_room, missing)
        moves += [Move(key, timed=bool(moves) or index > 0, before=back if index == 0 else ())
                  for index, key in enumerate(second)]
    return moves


def choice_plan(labels: list[str], now: str, walk: str, count: int) -> list[Move]:
    """alternate: a warm-up on the next option, then that option and the current one in turn (both shown before);
    fresh: every other option once, in order, no warm-up (each one is new; at most `count`)."""
    if len(labels) < 2:
        return []
    start = labels.index(now) if now in labels else -1
    others = [labels[(start + step) % len(labels)] for step in range(1, len(labels) + 1)]
    others = [label for label in others if label != now]
    if walk == "fresh":
        return [Move(label) for label in others[:count]]
    return [Move(others[0] if index % 2 == 0 else now, timed=index > 0) for index in range(count + 1)]


def open_list(page, control: Control) -> None:
    """Open a selectbox's list of options. A click on its arrow right after another selectbox's list closed
    sometimes only focuses the box (geometry_border after geometry_interp): the arrow-down key opens it then."""
    # Imported where used, as in main().
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    box = container(page, control.key)
    box.locator("button[aria-label='Open']").click(timeout=10_000)
    options = page.locator("[role='option']")
    try:
        options.first.wait_for(timeout=2_000)
    except PlaywrightTimeout:
        box.locator("input[role='combobox']").press("ArrowDown")
        options.first.wait_for(timeout=10_000)


def choice_labels(page, control: Control) -> list[str]:
    if control.kind == "segmented":
        labels = container(page, control.key).locator("button[role='radio']").all_inner_texts()
    elif control.kind == "radio":
        labels = container(page, control.key).locator("[data-testid='stRadioOption']").all_inner_texts()
    else:
        open_list(page, control)
        labels = page.locator("[role='option']").all_inner_texts()
        page.keyboard.press("Escape")
        page.locator("[role='option']").first.wait_for(state="detached", timeout=10_000)
    return [label.strip() for label in labels if label.strip() not in control.skip]


def current_choice(page, control: Control) -> str:
    if control.kind == "segmented":
        return container(page, control.key).locator("button[aria-checked='true']").inner_text().strip()
    if control.kind == "radio":
        return container(page, control.key).locator("[data-testid='stRadioOption']").filter(
            has=page.locator("input:checked")).inner_text().strip()
    return container(page, control.key).locator("input[role='combobox']").input_value().strip()


def exactly(text: str) -> re.Pattern:
    return re.compile(f"^\\s*{re.escape(text)}\\s*$")


def option_to_click(page, control: Control, target: str):
    """The element to click to choose `target` (a selectbox is opened first)."""
    if control.kind == "segmented":
        return container(page, control.key).locator("button[role='radio']").filter(has_text=exactly(target))
    if control.kind == "radio":
        return container(page, control.key).locator("[data-testid='stRadioOption']").filter(has_text=exactly(target))
    open_list(page, control)
    option = page.get_by_role("option", name=target, exact=True)
    option.wait_for(timeout=10_000)
    return option


def press_quickly(page, control: Control, keys: tuple[str, ...] | list[str], timeout_ms: int) -> None:
    """Untimed slider presses in quick succession, then wait until the page has settled."""
    if not keys:
        return
    thumb_of(page, control).focus(timeout=10_000)
    for key in keys:
        page.keyboard.press(key)
        page.wait_for_timeout(30)
    settle(page, timeout=timeout_ms / 1000, looks=2, gap_ms=200, min_images=0)


def perform(page, control: Control, move: Move, timeout_ms: int) -> dict:
    """One timed input; returns the in-page result (ok, ms, script_ms, changed, images, ...)."""
    if control.kind == "slider":
        press_quickly(page, control, move.before, timeout_ms)
        thumb = thumb_of(page, control)
        thumb.focus(timeout=10_000)
        before = thumb.input_value()
        page.evaluate(ARM, [timeout_ms, QUIET_MS])
        page.keyboard.press(move.target)
    else:
        option = option_to_click(page, control, move.target)
        page.evaluate(ARM, [timeout_ms, QUIET_MS])
        option.click(timeout=10_000)
    result = page.evaluate("() => window.__plResult")
    if control.kind == "slider" and result.get("ok"):
        result["value"] = thumb.input_value()
        if result["value"] == before:
            result = {"ok": False, "error": f"the slider did not move (at {before})"}
    if not result.get("ok"):
        raise InteractionError(result.get("error", "failed"))
    settle(page, timeout=timeout_ms / 1000, looks=2, gap_ms=150, min_images=0)
    return result


def interact(page, control: Control, index: int, labels: list[str], walk: str, timeout_ms: int) -> dict:
    """One timed input on `control`: the index-th press of a slider (`slider_step`), or the next option."""
    if control.kind == "slider":
        return perform(page, control, Move(slider_step(index, walk)), timeout_ms)
    now = current_choice(page, control)
    target = labels[(labels.index(now) + 1) % len(labels)] if now in labels else labels[0]
    return perform(page, control, Move(target), timeout_ms)


def restore(page, control: Control, original, timeout_ms: int) -> None:
    """Put the control back where it was found (untimed)."""
    if control.kind != "slider":
        if current_choice(page, control) != original:
            option_to_click(page, control, original).click(timeout=10_000)
            settle(page, timeout=timeout_ms / 1000, looks=2, gap_ms=200, min_images=0)
        if current_choice(page, control) != original:
            raise InteractionError(f"could not put {control.key} back to {original!r}")
        return
    for _ in range(3):
        now = slider_values(page, control)[control.thumb]
        target = original[control.thumb]
        if now == target:
            return
        step = container(page, control.key).first.evaluate(SLIDER_STATE)[control.thumb]["step"]
        presses = round(abs(now - target) / step)
        press_quickly(page, control, ["ArrowLeft" if now > target else "ArrowRight"] * presses, timeout_ms)
    raise InteractionError(f"could not put {control.key} back to {original}")


def setup_target(page, entry: str):
    """What to click for one `Control.setup` entry: a toggle or button by key, or with "key=text" the option of
    a segmented control whose label has that text."""
    key, _, option = entry.partition("=")
    target = container(page, key).locator("label, button")
    return (target.filter(has_text=option) if option else target).first


def run_control(page, control: Control, interactions: int, walk: str, timeout_ms: int,
                setup: bool = True) -> dict:
    """Set up, then walk one control of the open page (`slider_plan`, `choice_plan`) and put it back."""
    for entry in control.setup if setup else ():  # waited for like a timed input, not counted
        page.evaluate(ARM, [timeout_ms, QUIET_MS])
        setup_target(page, entry).click(timeout=10_000)
        result = page.evaluate("() => window.__plResult")
        if not result.get("ok"):
            raise InteractionError(f"setup {entry}: {result.get('error')}")
        settle(page, timeout=timeout_ms / 1000)
    if control.kind == "slider":
        # Under a 4x CPU throttle the page can settle before this slider is drawn (its state was then empty).
        thumb_of(page, control).wait_for(timeout=timeout_ms)
        original = slider_values(page, control)
        moves = slider_plan(slider_room(page, control), walk, interactions)
    else:
        original = current_choice(page, control)
        moves = choice_plan(choice_labels(page, control), original, walk, interactions)
    samples, script, sent, deltas, changed, errors, signals = [], [], [], [], 0, [], set()
    for index, move in enumerate(moves):
        try:
            result = perform(page, control, move, timeout_ms)
        except Exception as error:  # noqa: BLE001 - one failed input is reported, the run goes on
            try:
                state = page.evaluate(PAGE_STATE)
            except Exception:  # noqa: BLE001
                state = ["unknown", "?"]
            errors.append(f"#{index}: {str(error).splitlines()[0][:160]} (app {state[0]}, {state[1]} stale)")
            if len(errors) >= 3 and not samples:
                errors.append("three failures before any success: stopped")
                break
            try:
                settle(page, timeout=timeout_ms / 1000, looks=2, gap_ms=300, min_images=0)
            except Exception:  # noqa: BLE001
                errors.append("page did not recover: stopped")
                break
            continue
        if not move.timed:
            continue  # the warm-up fills the caches: not counted
        samples.append(result["ms"])
        script.append(result["script_ms"])
        sent.append(result.get("sent_ms"))
        deltas.append(result.get("deltas"))
        changed += bool(result["changed"])
        signals.add(result.get("signal"))
    try:
        restore(page, control, original, timeout_ms)
    except Exception as error:  # noqa: BLE001
        errors.append(f"restore: {str(error).splitlines()[0][:160]}")
    return {"samples_ms": samples, "script_done_ms": script, "rerun_sent_ms": sent, "deltas": deltas,
            "image_changed": changed, "planned": sum(move.timed for move in moves),
            "signals": sorted(filter(None, signals)), "errors": errors}


#: Select controls that act instead of setting something (choosing an option edits the Pipeline lab's pipeline,
#: then the control is cleared): walking them would change the page under the walk, so they are left out.
ACTION_CONTROLS = ("pipeline_action", "pipeline_add")


def discover_controls(page, slug: str) -> tuple[list[Control], list[dict]]:
    """The enabled, visible, keyed slider and select controls of the open lesson's main area, in page order
    (exercise answers and `ACTION_CONTROLS` left out), and the ones left out with the reason."""
    main = MAIN_CONTROLS.get(slug)
    controls, left_out = [], []
    for found in page.evaluate(DISCOVER):
        why = ("no key" if found["key"] is None else "exercise answer" if found["exercise"]
               or found["key"].startswith("answer_") else "an action, not a setting"
               if found["key"] in ACTION_CONTROLS else "disabled" if found["disabled"]
               else "not visible" if not found["visible"] else None)
        if why:
            left_out.append({**found, "why": why})
            continue
        if main is not None and found["key"] == main.key:
            controls.append(main._replace(setup=(), why="main control: " + main.why))
        else:
            controls.append(Control(found["kind"], found["key"], found["label"] or found["key"],
                                    thumb=found["thumbs"] - 1 if found["thumbs"] > 1 else 0))
    return controls, left_out


def summary(samples: list[float]) -> tuple[float | None, float | None]:
    if not samples:
        return None, None
    return float(statistics.median(samples)), float(np.percentile(samples, 95))


def open_context(browser, throttle: float = 1.0):
    """A new context (its own Streamlit session) and tab, with the websocket recorder installed and, if
    `throttle` > 1, the tab's CPU slowed down that many times (DevTools ``Emulation.setCPUThrottlingRate``)."""
    context = browser.new_context(viewport=VIEWPORT)
    context.add_init_script(WIRE)
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    if throttle > 1:
        page.devtools = context.new_cdp_session(page)
        page.devtools.send("Emulation.setCPUThrottlingRate", {"rate": throttle})
    return context, page


def measure_reference(browser, interactions: int, walk: str, timeout_ms: int, log: Path,
                      script: str = REFERENCE_PAGE, throttle: float = 1.0) -> dict:
    with running_app(script, log=log) as app:
        context, page = open_context(browser, throttle)
        try:
            page.goto(app.url, timeout=60_000)
            settle(page)
            return run_control(page, REFERENCE, interactions, walk, timeout_ms)
        finally:
            context.close()


def open_lesson(page, slug: str, upload_name: str | None, timeout_ms: int) -> None:
    """Switch to a lesson through the sidebar menu (same session) and wait until it has settled."""
    title = LESSONS_BY_SLUG[slug].title
    link = page.locator("[data-testid='stSidebar'] [data-testid='stPageLink-NavLink']").filter(
        has=page.get_by_text(title, exact=True))
    link.first.click(timeout=20_000)
    page.wait_for_url(f"**/{slug}**", timeout=60_000)
    exception = page.locator("[data-testid='stException']")
    page.locator("h1").filter(has_text=title).or_(exception).first.wait_for(timeout=timeout_ms)
    if exception.count() == 0:
        settle(page, timeout=max(120.0, timeout_ms / 1000))
    if exception.count():
        raise InteractionError("the page shows an exception (see the server log)")
    if upload_name is not None and page.locator("[data-testid='stSidebar']").get_by_text(
            f"File: {upload_name}").count() == 0:
        raise InteractionError("the upload was lost on the page switch")


def start_session(page, base: str, input_name: str, folder: Path) -> str | None:
    """Open Home in a new session, uploading the input's photo; returns the uploaded file's name."""
    if INPUTS[input_name] is None:
        page.goto(f"{base}/", timeout=60_000)
        settle(page)
        return None
    height, width = INPUTS[input_name]
    upload_name = f"coffee-{input_name}.jpg"
    path = folder / upload_name
    if not path.exists():
        path.write_bytes(photo_jpeg(height, width))
    page.goto(f"{base}/?img=upload", timeout=60_000)
    settle(page)
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(path))
    page.locator("[data-testid='stSidebar']").get_by_text(f"File: {upload_name}").wait_for(timeout=120_000)
    settle(page)
    return upload_name


def failed_row(error: Exception) -> dict:
    return {"samples_ms": [], "script_done_ms": [], "rerun_sent_ms": [], "deltas": [], "image_changed": 0,
            "planned": 0, "signals": [], "errors": [str(error).splitlines()[0][:200]]}


def finish_row(row: dict, page, started: float) -> dict:
    if page.errors:
        row["errors"] = row["errors"] + [f"page error: {e[:120]}" for e in page.errors]
        page.errors.clear()
    row["median_ms"], row["p95_ms"] = summary(row["samples_ms"])
    row["script_median_ms"], _ = summary(row["script_done_ms"])
    row["deltas_median"], _ = summary([n for n in row["deltas"] if n is not None])
    row["seconds"] = round(time.monotonic() - started, 1)
    print(f"  {row['input']:7} {row['lesson']:13} {row['control']:34.34} median {fmt(row['median_ms'])} ms  "
          f"p95 {fmt(row['p95_ms'])} ms  n {len(row['samples_ms'])}  pictures changed {row['image_changed']}"
          + (f"  ERRORS {row['errors']}" if row["errors"] else ""), flush=True)
    return row


def lesson_rows(page, slug: str, input_name: str, args) -> list[dict]:
    """The open lesson's rows: its main control, or (``--controls all``) every control `discover_controls` finds,
    each walked and put back, after the main control's setup."""
    timeout_ms = args.timeout * 1000
    main = MAIN_CONTROLS[slug]
    if args.controls == "main":
        controls = [main]
    else:
        for entry in main.setup:  # as a teacher would have it: the main control usable
            page.evaluate(ARM, [timeout_ms, QUIET_MS])
            setup_target(page, entry).click(timeout=10_000)
            page.evaluate("() => window.__plResult")
            settle(page, timeout=timeout_ms / 1000)
        controls, left_out = discover_controls(page, slug)
        if left_out:
            print(f"  {input_name:7} {slug:13} left out: " + ", ".join(
                f"{found['key']} ({found['why']})" for found in left_out), flush=True)
    rows = []
    for control in controls:
        started = time.monotonic()
        row = {"input": input_name, "lesson": slug, "control": f"{control.kind} {control.key}",
               "main": control.key == main.key, "throttle": args.throttle}
        try:
            row.update(run_control(page, control, args.interactions, args.walk, timeout_ms,
                                   setup=args.controls == "main"))
        except Exception as error:  # noqa: BLE001 - the control is reported as failed, the run goes on
            row.update(failed_row(error))
        rows.append(finish_row(row, page, started))
    return rows


def measure_input(browser, base: str, input_name: str, slugs: list[str], args, folder: Path) -> list[dict]:
    """Every chosen lesson in one browser context (one session) for one input.

    After a lesson fails, a new session is opened (and the photo uploaded again) for the next one.
    """
    rows = []
    context, page = open_context(browser, args.throttle)
    try:
        upload_name = start_session(page, base, input_name, folder)
        for slug in slugs:
            started = time.monotonic()
            try:
                open_lesson(page, slug, upload_name, args.timeout * 1000)
                found = lesson_rows(page, slug, input_name, args)
            except Exception as error:  # noqa: BLE001 - the lesson is reported as failed, the run goes on
                control = MAIN_CONTROLS[slug]
                found = [finish_row({"input": input_name, "lesson": slug, "control": f"{control.kind} {control.key}",
                                     "main": True, "throttle": args.throttle, **failed_row(error)}, page, started)]
            rows += found
            if not any(row["samples_ms"] for row in found):
                upload_name = start_session(page, base, input_name, folder)
    finally:
        context.close()
    return rows


def measure_paired(browser, base: str, input_name: str, slugs: list[str], args, folder: Path) -> list[dict]:
    """Each lesson's main control and the reference page, timed in turns (see "Paired" above)."""
    rows = []
    timeout_ms = args.timeout * 1000
    with running_app(REFERENCE_PAGE, log=folder / "reference.log") as reference_app:
        reference_context, reference_page = open_context(browser, args.throttle)
        context, page = open_context(browser, args.throttle)
        try:
            reference_page.goto(reference_app.url, timeout=60_000)
            settle(reference_page)
            upload_name = start_session(page, base, input_name, folder)
            for slug in slugs:
                control = MAIN_CONTROLS[slug]
                row = {"input": input_name, "lesson": slug, "control": f"{control.kind} {control.key}",
                       "rounds": [], "errors": []}
                try:
                    open_lesson(page, slug, upload_name, timeout_ms)
                    for number in range(args.paired):
                        reference = run_control(reference_page, REFERENCE, args.interactions, args.walk, timeout_ms)
                        lesson = run_control(page, control, args.interactions, args.walk, timeout_ms,
                                             setup=number == 0)
                        row["errors"] += reference["errors"] + lesson["errors"]
                        row["rounds"].append({"reference_ms": reference["samples_ms"],
                                              "lesson_ms": lesson["samples_ms"]})
                        medians = [fmt(summary(block["samples_ms"])[0]) for block in (reference, lesson)]
                        print(f"  {input_name:7} {slug:13} round {number + 1}: reference {medians[0]} ms, "
                              f"lesson {medians[1]} ms", flush=True)
                except Exception as error:  # noqa: BLE001 - the lesson is reported as failed, the run goes on
                    row["errors"].append(str(error).splitlines()[0][:200])
                    upload_name = start_session(page, base, input_name, folder)  # as measure_input does
                rows.append(paired_row(row))
        finally:
            context.close()
            reference_context.close()
    return rows


def paired_row(row: dict) -> dict:
    """Medians over all rounds, their ratio, and each round's ratio of medians."""
    lesson = [ms for round_ in row["rounds"] for ms in round_["lesson_ms"]]
    reference = [ms for round_ in row["rounds"] for ms in round_["reference_ms"]]
    row["median_ms"], row["p95_ms"] = summary(lesson)
    row["reference_median_ms"], row["reference_p95_ms"] = summary(reference)
    row["median_ratio"] = row["median_ms"] / row["reference_median_ms"] if lesson and reference else None
    row["round_ratios"] = [statistics.median(r["lesson_ms"]) / statistics.median(r["reference_ms"])
                           for r in row["rounds"] if r["lesson_ms"] and r["reference_ms"]]
    return row


def print_paired(rows: list[dict], args) -> None:
    print(f"\npaired: the reference page and each lesson's main control timed in turns, {args.interactions} inputs "
          f"each per round, {args.paired} rounds, walked '{args.walk}', CPU throttled {args.throttle:g}×; "
          f"{time.strftime('%Y-%m-%d %H:%M')}")
    print(f"{'input':8} {'lesson':13} {'control':28} {'median':>7} {'ref':>7} {'med×ref':>8}  each round ×ref  "
          "errors")
    for row in rows:
        rounds = " ".join(f"{ratio:.2f}" for ratio in row["round_ratios"])
        print(f"{row['input']:8} {row['lesson']:13} {row['control']:28.28} {fmt(row['median_ms']):>7} "
              f"{fmt(row['reference_median_ms']):>7} {fmt(row['median_ratio'], 2):>8}  {rounds}  "
              f"{'; '.join(row['errors'])[:120]}")


def cold_start(browser, repeats: int, link: str, folder: Path) -> dict:
    """Launch → healthy and launch → first picture of a deep link, each on a fresh server."""
    runs = []
    for repeat in range(repeats):
        context, page = open_context(browser)
        try:
            with running_app("app.py", log=folder / f"cold-{repeat}.log") as app:
                healthy = app.healthy - app.started
                page.goto(f"{app.url}/{link}", timeout=120_000)
                page.wait_for_function(FIRST_IMAGE, polling="raf", timeout=300_000)
                first_image = time.perf_counter() - app.started
                settle(page, timeout=300)
                complete = time.perf_counter() - app.started
            runs.append({"healthy_s": healthy, "first_image_s": first_image, "settled_s": complete})
            print(f"  cold start {repeat + 1}: healthy {healthy:.2f} s, first picture of /{link} {first_image:.2f} s, "
                  f"page settled {complete:.2f} s", flush=True)
        finally:
            context.close()
    return {"link": f"/{link}", "runs": runs,
            **{f"median_{name}": statistics.median(run[name] for run in runs) for name in runs[0]}}


def pooled(before: dict, after: dict) -> dict:
    """One reference row from its runs before and after the lessons."""
    reference = {key: before[key] + after[key]
                 for key in ("samples_ms", "script_done_ms", "rerun_sent_ms", "deltas", "errors")}
    reference["image_changed"] = before["image_changed"] + after["image_changed"]
    reference["median_ms"], reference["p95_ms"] = summary(reference["samples_ms"])
    reference["script_median_ms"], _ = summary(reference["script_done_ms"])
    reference["deltas_median"], _ = summary([n for n in reference["deltas"] if n is not None])
    reference["median_before_ms"], _ = summary(before["samples_ms"])
    reference["median_after_ms"], _ = summary(after["samples_ms"])
    return reference


def fmt(value: float | None, digits: int = 0) -> str:
    return "  -  " if value is None else f"{value:5.{digits}f}"


def print_table(rows: list[dict], reference: dict, args, frozen: dict) -> None:
    ref_median, ref_p95 = reference["median_ms"], reference["p95_ms"]
    print(f"\nbrowser latency, input event → last change of the main area after the script finished (pictures "
          f"loaded); {args.interactions} interactions per control after a warm-up, walked '{args.walk}', controls "
          f"'{args.controls}', CPU throttled {args.throttle:g}×; {time.strftime('%Y-%m-%d %H:%M')}")
    print(f"{'input':8} {'lesson':13} {'control':28} {'median':>7} {'p95':>7} {'med×ref':>8} {'p95×ref':>8} "
          f"{'med×frz':>8} {'script':>7} {'sent':>5} {'changed':>8}  errors")
    for name, row in (("reference", reference), ("ref-frozen", frozen)):
        print(f"{'-':8} {name:13} {'slider reference_level':28} {fmt(row['median_ms']):>7} {fmt(row['p95_ms']):>7} "
              f"{fmt(row['median_ms'] / ref_median, 2):>8} {fmt(row['p95_ms'] / ref_p95, 2):>8} "
              f"{fmt(row['median_ms'] / frozen['median_ms'], 2):>8} {fmt(row['script_median_ms']):>7} "
              f"{fmt(row.get('deltas_median')):>5} {row['image_changed']:>4}/{len(row['samples_ms']):<3}  "
              f"{'; '.join(row['errors'])[:120]}")
    for row in rows:
        ratio_m = row["median_ms"] / ref_median if row["median_ms"] and ref_median else None
        ratio_p = row["p95_ms"] / ref_p95 if row["p95_ms"] and ref_p95 else None
        ratio_f = row["median_ms"] / frozen["median_ms"] if row["median_ms"] and frozen["median_ms"] else None
        row["median_ratio"], row["p95_ratio"], row["median_ratio_frozen"] = ratio_m, ratio_p, ratio_f
        print(f"{row['input']:8} {row['lesson']:13} {row['control']:28.28} {fmt(row['median_ms']):>7} "
              f"{fmt(row['p95_ms']):>7} {fmt(ratio_m, 2):>8} {fmt(ratio_p, 2):>8} {fmt(ratio_f, 2):>8} "
              f"{fmt(row['script_median_ms']):>7} {fmt(row.get('deltas_median')):>5} "
              f"{row['image_changed']:>4}/{len(row['samples_ms']):<3}  {'; '.join(row['errors'])[:120]}")
    if args.controls == "all":
        print("\nworst control per lesson (highest median ratio; highest p95 ratio)")
        for (input_name, lesson), group in itertools.groupby(rows, key=lambda row: (row["input"], row["lesson"])):
            group = [row for row in group if row["median_ratio"]]
            if not group:
                continue
            by_median = max(group, key=lambda row: row["median_ratio"])
            by_p95 = max(group, key=lambda row: row["p95_ratio"])
            print(f"{input_name:8} {lesson:13} {len(group):2} controls  median ×{by_median['median_ratio']:.2f} "
                  f"({by_median['control']}: script {fmt(by_median['script_median_ms'])} ms, "
                  f"{fmt(by_median['deltas_median']).strip()} elements sent)  "
                  f"p95 ×{by_p95['p95_ratio']:.2f} ({by_p95['control']})")
    print("times in ms; ×ref: ratio to the reference page (the target's); ×frz: to the reference page with its "
          "imports frozen out of the garbage collector, as Pixel Lab's pages do; 'script' = input → the server's "
          "script_finished message; 'sent' = elements (delta messages) the server sent for one input, median: "
          "the browser redraws each; "
          "'changed' = timed inputs after which a picture's src changed")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inputs", nargs="+", default=["default", "1080p", "12MP"], choices=list(INPUTS))
    parser.add_argument("--lessons", nargs="+", default=None, choices=[lesson.slug for lesson in LESSONS],
                        metavar="SLUG", help="subset of lessons by slug (default: all)")
    parser.add_argument("--interactions", type=int, default=12, help="timed inputs per control (after a warm-up)")
    parser.add_argument("--walk", choices=["alternate", "fresh"], default="alternate",
                        help="alternate: one step (option) away and back in turn, every value shown before; "
                             "fresh: values never shown before (see slider_plan, choice_plan)")
    parser.add_argument("--controls", choices=["main", "all"], default="main",
                        help="main: each lesson's main control (MAIN_CONTROLS); all: every enabled slider and "
                             "select control of its main area (discover_controls), each put back after its walk")
    parser.add_argument("--throttle", type=float, default=1.0, metavar="RATE",
                        help="slow Chromium's CPU down RATE times (4: a phone), the reference pages too")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds one interaction may take")
    parser.add_argument("--cold-start", type=int, default=3, metavar="N",
                        help="fresh-server cold starts measured first (0: none)")
    parser.add_argument("--cold-start-only", action="store_true", help="measure only the cold starts")
    parser.add_argument("--cold-link", default="smoothing", help="deep link opened on the fresh server")
    parser.add_argument("--paired", type=int, default=0, metavar="ROUNDS",
                        help="time the reference page and each lesson's main control in turns, ROUNDS times")
    parser.add_argument("--json", type=Path, default=ROOT / "benchmarks" / "results" / "latency.json")
    args = parser.parse_args()
    if args.interactions < 1:
        parser.error("--interactions must be at least 1")
    if args.paired and (args.controls != "main" or args.cold_start_only):
        parser.error("--paired times main controls only, without --cold-start-only")
    slugs = args.lessons or [lesson.slug for lesson in LESSONS]
    missing = [slug for slug in slugs if slug not in MAIN_CONTROLS]
    if missing:
        parser.error(f"no main control known for {missing}: add them to MAIN_CONTROLS")

    from playwright.sync_api import sync_playwright

    # A plain `kill` would skip the cleanup and leave `streamlit run` servers behind: exit through it instead.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    began = time.monotonic()
    output: dict = {"date": time.strftime("%Y-%m-%d %H:%M"), "cpus": os.cpu_count(),
                    "load_average_start": os.getloadavg(), "interactions": args.interactions, "walk": args.walk,
                    "controls": args.controls, "throttle": args.throttle,
                    "main_controls": {slug: MAIN_CONTROLS[slug]._asdict() for slug in slugs}}
    with tempfile.TemporaryDirectory(prefix="pixel-lab-latency-") as temp, sync_playwright() as playwright:
        folder = Path(temp)
        browser = playwright.chromium.launch(executable_path=find_chromium(playwright), args=CHROMIUM_ARGS)
        try:
            if args.cold_start or args.cold_start_only:
                print(f"cold start ({max(args.cold_start, 1)} fresh servers)", flush=True)
                output["cold_start"] = cold_start(browser, max(args.cold_start, 1), args.cold_link, folder)
            if args.paired:
                rows = []
                with running_app("app.py", log=folder / "app.log") as app:
                    for input_name in args.inputs:
                        rows += measure_paired(browser, app.url, input_name, slugs, args, folder)
                print_paired(rows, args)
                output.update({"paired": args.paired, "rows": rows})
            elif not args.cold_start_only:
                print("reference page (before)", flush=True)
                before = measure_reference(browser, args.interactions, args.walk, args.timeout * 1000,
                                           folder / "reference.log", throttle=args.throttle)
                print("reference page with frozen imports (before)", flush=True)
                frozen_before = measure_reference(browser, args.interactions, args.walk, args.timeout * 1000,
                                                  folder / "reference-frozen.log", FROZEN_REFERENCE, args.throttle)
                rows = []
                with running_app("app.py", log=folder / "app.log") as app:
                    for input_name in args.inputs:
                        print(f"input {input_name}", flush=True)
                        rows += measure_input(browser, app.url, input_name, slugs, args, folder)
                print("reference page (after)", flush=True)
                after = measure_reference(browser, args.interactions, args.walk, args.timeout * 1000,
                                          folder / "reference.log", throttle=args.throttle)
                print("reference page with frozen imports (after)", flush=True)
                frozen_after = measure_reference(browser, args.interactions, args.walk, args.timeout * 1000,
                                                 folder / "reference-frozen.log", FROZEN_REFERENCE, args.throttle)
                reference = pooled(before, after)
                frozen = pooled(frozen_before, frozen_after)
                print_table(rows, reference, args, frozen)
                output.update({"reference": reference, "reference_frozen": frozen, "rows": rows})
        finally:
            browser.close()
    output["load_average_end"] = os.getloadavg()
    output["seconds"] = round(time.monotonic() - began, 1)
    if "cold_start" in output:
        cold = output["cold_start"]
        print(f"cold start, median of {len(cold['runs'])}: healthy {cold['median_healthy_s']:.2f} s, first picture "
              f"of {cold['link']} {cold['median_first_image_s']:.2f} s, settled {cold['median_settled_s']:.2f} s")
    print(f"total {output['seconds']:.0f} s; load average {output['load_average_start'][0]:.1f} → "
          f"{output['load_average_end'][0]:.1f} on {output['cpus']} CPUs")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(output, indent=2))


if __name__ == "__main__":
    main()
