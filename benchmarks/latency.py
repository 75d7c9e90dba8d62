"""Browser latency of every lesson: from a learner's input to the new pictures on screen (issue 7).

Usage::

    python benchmarks/latency.py [--inputs default 1080p 12MP] [--lessons arrays edges]
                                 [--interactions 12] [--walk alternate|fresh]
                                 [--cold-start 3 | --cold-start-only] [--json benchmarks/results/latency.json]

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

On each lesson the MAIN control (`MAIN_CONTROLS`, chosen by reading the page:
the first control of its "Controls" section that a teacher would drag) is used
once to warm the caches (not counted) and then ``--interactions`` times:
a slider by ArrowRight / ArrowLeft on its focused thumb (alternating, so the
value stays in range; ``--walk fresh`` keeps stepping one way instead, so that
no value repeats and no cached result can be reused), a segmented control or
selectbox by clicking its options in turn.

How one interaction is timed (in the page, with ``performance.now()``)
--------------------------------------------------------------------------
Right before the input, a small script is installed in the page (`ARM`): it
notes the ``src`` of every ``<img>`` in the main area, listens (capture phase)
for the input's ``keydown`` / ``pointerdown`` and takes that event's
``timeStamp`` as the start, and then re-checks on every DOM mutation, every
image ``load`` event and every 5 ms whether the interaction is over:

1. the script has run: an image ``src`` changed, or the app's
   ``data-test-script-state`` was seen leaving ``notRunning`` (a
   MutationObserver with old values catches even a brief ``running``);
2. ``[data-testid='stApp']`` reads ``data-test-script-state='notRunning'``;
3. no element is ``[data-stale='true']``;
4. every ``<img>`` in ``[data-testid='stMain']`` is ``complete`` with
   ``naturalWidth > 0`` (the new pictures are downloaded and decoded).

The end is the ``performance.now()`` of the first check that passes, so the
figure is input event → last changed picture loaded and script finished,
without Playwright's round trips (Playwright only arms, presses, and collects
the result). Each timing also records whether a picture changed and when the
script was seen finished. After every interaction the page must stay settled
for two looks 150 ms apart before the next one (not timed). Every wait has a
timeout; a failed interaction is reported in the row, never a hang, and after a
lesson that failed outright the next one starts from a new session.

Both signals in (1) are needed: for a fast rerun (the reference page) React
often draws ``running`` and ``notRunning`` in one frame, so the state change is
not seen (measured: 9 of 24 times), and a control that changes no picture has
no ``src`` to watch. With ``--walk alternate`` every timed value was already
shown once (the warm-up or the page load), so cached steps answer; ``fresh``
measures new values.

Not included: Plotly charts (histograms) drawing after their data arrived,
pictures inside component iframes (the clickable inspector), paint time.

The reference row is benchmarks/reference_page.py (a slider and a 4 × 4
image), in its own ``streamlit run`` process, measured the same way before the
lessons and again after them; the ratios use both sets pooled. A second
reference, benchmarks/reference_page_frozen.py, is the same page with its
imported objects frozen out of the garbage collector as Pixel Lab's pages do
(Streamlit collects garbage after every run): the ×frz column compares with it. Each row gives
the median and the 95th percentile (linear interpolation between samples; with
12 samples it lies between the two slowest) and their ratios to the reference.

Cold start (``--cold-start N``, default 3, run first; ``--cold-start-only``):
a fresh ``streamlit run app.py`` each time, with Chromium already open; the
time from launching the server to ``/_stcore/health`` answering, and to the
first picture of a deep link (``--cold-link``, default ``/smoothing``) being
loaded; medians of N.
"""

from __future__ import annotations

import argparse
import json
import os
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

from benchmarks.server import CHROMIUM_ARGS, find_chromium, running_app  # noqa: E402
from ui.lessons import LESSONS, LESSONS_BY_SLUG  # noqa: E402


class Control(NamedTuple):
    """A lesson's main control: its kind and key, plus what the benchmark needs to drive it."""

    kind: str  # "slider", "segmented" or "selectbox"
    key: str  # widget key: the element container carries the class st-key-<key>
    why: str
    thumb: int = 0  # which thumb of a range slider
    setup: tuple[str, ...] = ()  # toggles switched or buttons pressed (by key) once before warming up
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
                        "step 2 selected first (its button in the strip): steps 2-6 rerun, step 1 comes from the "
                        "cache", setup=("pipeline_look_2",)),
}
REFERENCE = Control("slider", "reference_level", "the reference page's only control")
FROZEN_REFERENCE = "benchmarks/reference_page_frozen.py"
INPUTS = {"default": None, "1080p": (1080, 1920), "12MP": (3000, 4000)}
VIEWPORT = {"width": 1440, "height": 900}

# Installed right before one input; resolves with the timings (see the module docstring).
ARM = """([timeoutMs]) => {
    const main = document.querySelector("[data-testid='stMain']") || document.body;
    const app = document.querySelector("[data-testid='stApp']");
    const sources = () => Array.from(main.querySelectorAll("img")).map(i => i.getAttribute("src"));
    const before = new Set(sources());
    const s = {start: null, busyAt: null, busySeen: false, changed: false, scriptDone: null, end: null};
    let finish;
    window.__plResult = new Promise(resolve => { finish = resolve; });
    const onInput = event => { if (s.start === null) s.start = event.timeStamp; };
    const check = () => {
        if (s.end !== null || s.start === null) return;
        if (!s.changed && sources().some(src => !before.has(src))) s.changed = true;
        const idle = app.getAttribute("data-test-script-state") === "notRunning";
        if (!idle) { s.busySeen = true; if (s.busyAt === null) s.busyAt = performance.now(); return; }
        if (!(s.changed || s.busySeen)) return;
        if (s.scriptDone === null) s.scriptDone = performance.now();
        if (document.querySelector("[data-stale='true']")) return;
        if (!Array.from(main.querySelectorAll("img")).every(i => i.complete && i.naturalWidth > 0)) return;
        s.end = performance.now();
        stop();
        finish({ok: true, ms: s.end - s.start, script_ms: s.scriptDone - s.start, changed: s.changed,
                running_ms: s.busyAt === null ? null : s.busyAt - s.start,
                images: main.querySelectorAll("img").length});
    };
    const observer = new MutationObserver(records => {
        for (const r of records) {
            if (r.target === app && r.attributeName === "data-test-script-state" && s.start !== null
                && r.oldValue !== "notRunning") {
                s.busySeen = true;
                if (s.busyAt === null) s.busyAt = performance.now();
            }
        }
        check();
    });
    observer.observe(document.body, {subtree: true, childList: true, attributes: true, attributeOldValue: true,
                                     attributeFilter: ["data-test-script-state", "data-stale", "src"]});
    const onLoad = () => check();
    document.addEventListener("keydown", onInput, true);
    document.addEventListener("pointerdown", onInput, true);
    document.addEventListener("load", onLoad, true);
    const poll = setInterval(check, 5);
    const timer = setTimeout(() => {
        stop();
        finish({ok: false, error: s.start === null ? "the input never reached the page"
                : `not settled after ${timeoutMs} ms (picture changed: ${s.changed}, script seen: ${s.busySeen})`});
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


def slider_step(index: int, walk: str) -> str:
    """Key for the index-th press: alternate right/left, or always right ("fresh": values never repeat)."""
    if walk == "fresh":
        return "ArrowRight"
    return "ArrowRight" if index % 2 == 0 else "ArrowLeft"


def choice_labels(page, control: Control) -> list[str]:
    if control.kind == "segmented":
        labels = container(page, control.key).locator("button[role='radio']").all_inner_texts()
    else:
        container(page, control.key).locator("button[aria-label='Open']").click(timeout=10_000)
        options = page.locator("[role='option']")
        options.first.wait_for(timeout=10_000)
        labels = options.all_inner_texts()
        page.keyboard.press("Escape")
        page.locator("[role='option']").first.wait_for(state="detached", timeout=10_000)
    return [label.strip() for label in labels if label.strip() not in control.skip]


def current_choice(page, control: Control) -> str:
    if control.kind == "segmented":
        return container(page, control.key).locator("button[aria-checked='true']").inner_text().strip()
    return container(page, control.key).locator("input[role='combobox']").input_value().strip()


def interact(page, control: Control, index: int, labels: list[str], walk: str, timeout_ms: int) -> dict:
    """One timed input on `control`; returns the in-page result (ok, ms, script_ms, changed, images)."""
    if control.kind == "slider":
        thumb = container(page, control.key).locator("input[type='range']").nth(control.thumb)
        thumb.focus(timeout=10_000)
        before = thumb.input_value()
        page.evaluate(ARM, [timeout_ms])
        page.keyboard.press(slider_step(index, walk))
    else:
        now = current_choice(page, control)
        target = labels[(labels.index(now) + 1) % len(labels)] if now in labels else labels[0]
        if control.kind == "segmented":
            option = container(page, control.key).locator("button[role='radio']").filter(has_text=target)
        else:
            container(page, control.key).locator("button[aria-label='Open']").click(timeout=10_000)
            option = page.get_by_role("option", name=target, exact=True)
            option.wait_for(timeout=10_000)
        page.evaluate(ARM, [timeout_ms])
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


def run_control(page, control: Control, interactions: int, walk: str, timeout_ms: int) -> dict:
    """Set up, warm up once, then time `interactions` inputs on one control of the open page."""
    for key in control.setup:  # waited for like a timed input, not counted
        page.evaluate(ARM, [timeout_ms])
        container(page, key).locator("label, button").first.click(timeout=10_000)
        result = page.evaluate("() => window.__plResult")
        if not result.get("ok"):
            raise InteractionError(f"setup {key}: {result.get('error')}")
        settle(page, timeout=timeout_ms / 1000)
    labels = choice_labels(page, control) if control.kind != "slider" else []
    samples, script, running, changed, errors = [], [], [], 0, []
    warmed = False
    for index in range(interactions + 4):  # a few spare attempts for failed inputs
        if len(samples) == interactions:
            break
        try:
            result = interact(page, control, index, labels, walk, timeout_ms)
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
        if not warmed:
            warmed = True  # the first successful input fills the caches: not counted
            continue
        samples.append(result["ms"])
        script.append(result["script_ms"])
        running.append(result["running_ms"])
        changed += bool(result["changed"])
    return {"samples_ms": samples, "script_done_ms": script, "running_seen_ms": running, "image_changed": changed,
            "errors": errors}


def summary(samples: list[float]) -> tuple[float | None, float | None]:
    if not samples:
        return None, None
    return float(statistics.median(samples)), float(np.percentile(samples, 95))


def open_context(browser):
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    return context, page


def measure_reference(browser, interactions: int, walk: str, timeout_ms: int, log: Path,
                      script: str = "benchmarks/reference_page.py") -> dict:
    with running_app(script, log=log) as app:
        context, page = open_context(browser)
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


def measure_input(browser, base: str, input_name: str, slugs: list[str], args, folder: Path) -> list[dict]:
    """Every chosen lesson in one browser context (one session) for one input.

    After a lesson fails, a new session is opened (and the photo uploaded again) for the next one.
    """
    rows = []
    context, page = open_context(browser)
    try:
        upload_name = start_session(page, base, input_name, folder)
        for slug in slugs:
            control = MAIN_CONTROLS[slug]
            row = {"input": input_name, "lesson": slug, "control": f"{control.kind} {control.key}"}
            started = time.monotonic()
            try:
                open_lesson(page, slug, upload_name, args.timeout * 1000)
                row.update(run_control(page, control, args.interactions, args.walk, args.timeout * 1000))
            except Exception as error:  # noqa: BLE001 - the lesson is reported as failed, the run goes on
                row.update({"samples_ms": [], "script_done_ms": [], "running_seen_ms": [], "image_changed": 0,
                            "errors": [str(error).splitlines()[0][:200]]})
            if page.errors:
                row["errors"] = row["errors"] + [f"page error: {e[:120]}" for e in page.errors]
                page.errors.clear()
            row["median_ms"], row["p95_ms"] = summary(row["samples_ms"])
            row["script_median_ms"], _ = summary(row["script_done_ms"])
            row["seconds"] = round(time.monotonic() - started, 1)
            rows.append(row)
            print(f"  {input_name:7} {slug:13} median {fmt(row['median_ms'])} ms  p95 {fmt(row['p95_ms'])} ms  "
                  f"pictures changed {row['image_changed']}/{len(row['samples_ms'])}"
                  + (f"  ERRORS {row['errors']}" if row["errors"] else ""), flush=True)
            if not row["samples_ms"]:
                upload_name = start_session(page, base, input_name, folder)
    finally:
        context.close()
    return rows


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
    reference = {key: before[key] + after[key] for key in ("samples_ms", "script_done_ms", "running_seen_ms", "errors")}
    reference["image_changed"] = before["image_changed"] + after["image_changed"]
    reference["median_ms"], reference["p95_ms"] = summary(reference["samples_ms"])
    reference["script_median_ms"], _ = summary(reference["script_done_ms"])
    reference["median_before_ms"], _ = summary(before["samples_ms"])
    reference["median_after_ms"], _ = summary(after["samples_ms"])
    return reference


def fmt(value: float | None, digits: int = 0) -> str:
    return "  -  " if value is None else f"{value:5.{digits}f}"


def print_table(rows: list[dict], reference: dict, interactions: int, walk: str, frozen: dict) -> None:
    ref_median, ref_p95 = reference["median_ms"], reference["p95_ms"]
    print(f"\nbrowser latency, input event → changed pictures loaded and script finished; "
          f"{interactions} interactions after 1 warm-up, sliders walked '{walk}'; {time.strftime('%Y-%m-%d %H:%M')}")
    print(f"{'input':8} {'lesson':13} {'control':28} {'median':>7} {'p95':>7} {'med×ref':>8} {'p95×ref':>8} "
          f"{'med×frz':>8} {'script':>7} {'changed':>8}  errors")
    for name, row in (("reference", reference), ("ref-frozen", frozen)):
        print(f"{'-':8} {name:13} {'slider reference_level':28} {fmt(row['median_ms']):>7} {fmt(row['p95_ms']):>7} "
              f"{fmt(row['median_ms'] / ref_median, 2):>8} {fmt(row['p95_ms'] / ref_p95, 2):>8} "
              f"{fmt(row['median_ms'] / frozen['median_ms'], 2):>8} {fmt(row['script_median_ms']):>7} "
              f"{row['image_changed']:>4}/{len(row['samples_ms']):<3}  {'; '.join(row['errors'])[:120]}")
    for row in rows:
        ratio_m = row["median_ms"] / ref_median if row["median_ms"] and ref_median else None
        ratio_p = row["p95_ms"] / ref_p95 if row["p95_ms"] and ref_p95 else None
        ratio_f = row["median_ms"] / frozen["median_ms"] if row["median_ms"] and frozen["median_ms"] else None
        row["median_ratio"], row["p95_ratio"], row["median_ratio_frozen"] = ratio_m, ratio_p, ratio_f
        print(f"{row['input']:8} {row['lesson']:13} {row['control']:28} {fmt(row['median_ms']):>7} "
              f"{fmt(row['p95_ms']):>7} {fmt(ratio_m, 2):>8} {fmt(ratio_p, 2):>8} {fmt(ratio_f, 2):>8} "
              f"{fmt(row['script_median_ms']):>7} "
              f"{row['image_changed']:>4}/{len(row['samples_ms']):<3}  {'; '.join(row['errors'])[:120]}")
    print("times in ms; ×ref: ratio to the reference page (the target's); ×frz: to the reference page with its "
          "imports frozen out of the garbage collector, as Pixel Lab's pages do; 'script' = input → script seen "
          "finished; 'changed' = timed inputs after which a picture's src changed")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inputs", nargs="+", default=["default", "1080p", "12MP"], choices=list(INPUTS))
    parser.add_argument("--lessons", nargs="+", default=None, choices=[lesson.slug for lesson in LESSONS],
                        metavar="SLUG", help="subset of lessons by slug (default: all)")
    parser.add_argument("--interactions", type=int, default=12, help="timed inputs per lesson (after 1 warm-up)")
    parser.add_argument("--walk", choices=["alternate", "fresh"], default="alternate",
                        help="sliders: ArrowRight/ArrowLeft in turn (values repeat, caches hit) or always "
                             "ArrowRight (every value new)")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds one interaction may take")
    parser.add_argument("--cold-start", type=int, default=3, metavar="N",
                        help="fresh-server cold starts measured first (0: none)")
    parser.add_argument("--cold-start-only", action="store_true", help="measure only the cold starts")
    parser.add_argument("--cold-link", default="smoothing", help="deep link opened on the fresh server")
    parser.add_argument("--json", type=Path, default=ROOT / "benchmarks" / "results" / "latency.json")
    args = parser.parse_args()
    if args.interactions < 1:
        parser.error("--interactions must be at least 1")
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
                    "controls": {slug: MAIN_CONTROLS[slug]._asdict() for slug in slugs}}
    with tempfile.TemporaryDirectory(prefix="pixel-lab-latency-") as temp, sync_playwright() as playwright:
        folder = Path(temp)
        browser = playwright.chromium.launch(executable_path=find_chromium(playwright), args=CHROMIUM_ARGS)
        try:
            if args.cold_start or args.cold_start_only:
                print(f"cold start ({max(args.cold_start, 1)} fresh servers)", flush=True)
                output["cold_start"] = cold_start(browser, max(args.cold_start, 1), args.cold_link, folder)
            if not args.cold_start_only:
                print("reference page (before)", flush=True)
                before = measure_reference(browser, args.interactions, args.walk, args.timeout * 1000,
                                           folder / "reference.log")
                print("reference page with frozen imports (before)", flush=True)
                frozen_before = measure_reference(browser, args.interactions, args.walk, args.timeout * 1000,
                                                  folder / "reference-frozen.log", FROZEN_REFERENCE)
                rows = []
                with running_app("app.py", log=folder / "app.log") as app:
                    for input_name in args.inputs:
                        print(f"input {input_name}", flush=True)
                        rows += measure_input(browser, app.url, input_name, slugs, args, folder)
                print("reference page (after)", flush=True)
                after = measure_reference(browser, args.interactions, args.walk, args.timeout * 1000,
                                          folder / "reference.log")
                print("reference page with frozen imports (after)", flush=True)
                frozen_after = measure_reference(browser, args.interactions, args.walk, args.timeout * 1000,
                                                 folder / "reference-frozen.log", FROZEN_REFERENCE)
                reference = pooled(before, after)
                frozen = pooled(frozen_before, frozen_after)
                print_table(rows, reference, args.interactions, args.walk, frozen)
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
