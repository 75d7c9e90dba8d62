"""Running pages in AppTest and running their displayed code in a fresh Python process."""

from __future__ import annotations

import base64
import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
from streamlit.testing.v1 import AppTest

from ui import code as code_panel
from ui.lessons import LESSONS

ROOT = Path(__file__).resolve().parents[2]
PAGES = ["app.py", *(lesson.page for lesson in LESSONS)]
#: Samples for sweeping a lesson's non-default modes (test_pages.py opens every sample on several pages): grey,
#: colour, small, the largest, binary, a ramp, and a grey binary one last.
SWEEP_SAMPLES = ("camera", "coffee", "text", "hubble", "checkerboard", "ramp", "shapes")
LESSON_PAGES = [lesson.page for lesson in LESSONS]


def new_app(page: str = "app.py", query: dict[str, str] | None = None) -> AppTest:
    """An AppTest of the whole app, switched to `page`, with URL query parameters set (not yet run)."""
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    for name, value in (query or {}).items():
        app.query_params[name] = value
    if page != "app.py":
        app.switch_page(page)
    return app


def problems(app: AppTest) -> list[str]:
    """Exceptions and error alerts on the page (an empty list when it ran clean)."""
    return [f"exception: {e.message}\n{''.join(e.stack_trace)}" for e in app.exception] + [
        f"error: {e.value}" for e in app.error
    ]


class CodeRecorder:
    """Collects (displayed code, inputs, result) of every code panel while it is registered."""

    def __init__(self) -> None:
        self.panels: list[tuple[str, dict[str, np.ndarray], np.ndarray]] = []

    def __call__(self, code: str, inputs: dict[str, np.ndarray], result: np.ndarray) -> None:
        self.panels.append((code, {k: np.array(v) for k, v in inputs.items()}, np.array(result)))

    def __enter__(self) -> CodeRecorder:
        code_panel.LISTENERS.append(self)
        return self

    def __exit__(self, *exc) -> None:
        code_panel.LISTENERS.remove(self)


RUNNER = """
import json, runpy, sys
import numpy as np
jobs = json.load(open(sys.argv[1]))
for job in jobs:
    inputs = dict(np.load(job["inputs"]))
    namespace = runpy.run_path(job["script"], init_globals=inputs)
    np.save(job["output"], np.asarray(namespace["result"]))
"""


def run_displayed_code(panels, workdir: Path) -> list[np.ndarray]:
    """Run each panel's displayed code as a script in one fresh Python process; return each ``result``.

    Extra inputs (arrays the code does not make itself) are provided as globals;
    ``img`` is provided too but the displayed code makes its own from the sample.
    """
    jobs = []
    for index, (code, inputs, _) in enumerate(panels):
        script = workdir / f"panel_{index}.py"
        script.write_text(code)
        inputs_path = workdir / f"inputs_{index}.npz"
        np.savez(inputs_path, **inputs)
        jobs.append({"script": str(script), "inputs": str(inputs_path), "output": str(workdir / f"out_{index}.npy")})
    (workdir / "jobs.json").write_text(json.dumps(jobs))
    (workdir / "runner.py").write_text(RUNNER)
    completed = subprocess.run(
        [sys.executable, str(workdir / "runner.py"), str(workdir / "jobs.json")],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    return [np.load(job["output"]) for job in jobs]


def answer(app: AppTest, exercise_id: str, value) -> AppTest:
    """Type or pick `value` in an exercise and press Check; returns the app after the rerun."""
    numbers = [w for w in app.number_input if w.key == f"answer_{exercise_id}"]
    if numbers:
        numbers[0].set_value(value)
    else:
        app.radio(key=f"answer_{exercise_id}").set_value(value)
    app.button(key=f"FormSubmitter:exercise_{exercise_id}-Check").click()
    return app.run()


def check_target(app: AppTest, exercise_id: str) -> AppTest:
    """Press "Check my settings" on a target exercise; returns the app after the rerun."""
    app.button(key=f"FormSubmitter:exercise_{exercise_id}-Check my settings").click()
    return app.run()


#: The SVG namespace, for finding elements in a parsed chart: ``root.iter(f"{SVG}text")``.
SVG = "{http://www.w3.org/2000/svg}"


def svg_text(app: AppTest, alt_start: str) -> str:
    """The SVG document of the chart on the page whose alt text starts with `alt_start` (st.image keeps an
    SVG as a base64 data URL)."""
    for element in app.get("image"):
        for picture in element.proto.imgs:
            if picture.alt.startswith(alt_start):
                assert picture.url.startswith("data:image/svg+xml;base64,"), picture.url[:40]
                return base64.b64decode(picture.url.split(",", 1)[1]).decode()
    raise AssertionError(f"no chart whose alt text starts with {alt_start!r}")


def svg_chart(app: AppTest, alt_start: str) -> ET.Element:
    """`svg_text`, parsed."""
    return ET.fromstring(svg_text(app, alt_start))


def svg_plot_box(root: ET.Element) -> tuple[float, float, float, float]:
    """(left, top, width, height) of a `ui.svg.line_chart`'s plot area, in chart pixels."""
    rect = root.find(f"{SVG}clipPath/{SVG}rect")
    return tuple(float(rect.get(key)) for key in ("x", "y", "width", "height"))


def feedback(app: AppTest) -> tuple[list[str], list[str]]:
    """(success texts, error texts) currently on the page."""
    return [s.value for s in app.success], [e.value for e in app.error]


def assert_code_panels_reproduce(panels, tmp_path: Path, *, atol: float = 0.0) -> None:
    """Run every panel's displayed code and compare its ``result`` with the array the page showed."""
    assert panels, "no code panel was drawn"
    outputs = run_displayed_code(panels, tmp_path)
    for (code, _, shown), made in zip(panels, outputs):
        assert made.shape == shown.shape, code
        if atol == 0:
            np.testing.assert_array_equal(made, shown, err_msg=code)
        else:
            np.testing.assert_allclose(made, shown, atol=atol, err_msg=code)


def record_panels(page: str, settings: list[dict], *, per_run: int = 1) -> list:
    """Open `page` once per URL query in `settings`; each run must be clean and draw `per_run` code panels."""
    panels = []
    for query in settings:
        with CodeRecorder() as recorder:
            app = new_app(page, query).run()
        assert not problems(app), (query, problems(app))
        assert len(recorder.panels) == per_run, query
        panels += recorder.panels
    return panels


def open_with_upload(page: str, pixels: np.ndarray, query: dict[str, str] | None = None) -> AppTest:
    """`page` opened on an upload of `pixels` (grey or RGB uint8, sent as PNG) with URL `query`; already run."""
    from tests.corpus import pil_bytes  # the corpus module encodes test files the same way
    from PIL import Image

    app = new_app(page, {"img": "upload", **(query or {})}).run()
    app.file_uploader(key="upload_file").upload("upload.png", pil_bytes(Image.fromarray(pixels), "PNG"), "image/png")
    return app.run()


def assert_rerun_encodes_no_picture(monkeypatch, page: str, query: dict[str, str]) -> None:
    """Every picture of `page` comes out of a cached step (one read-only object), so a rerun with nothing
    changed reuses its encoding: ui.display.encode_for_display is not called again."""
    import streamlit as st

    from ui import display
    from ui.cache import STEPS

    calls = []
    original = display.encode_for_display
    monkeypatch.setattr(display, "encode_for_display", lambda *a, **k: calls.append(1) or original(*a, **k))
    st.cache_resource.clear()  # earlier tests may have left these very pictures cached
    STEPS.clear()
    app = new_app(page, query).run()
    assert not problems(app) and calls, "the first run encodes the pictures"
    calls.clear()
    app.run()
    assert not problems(app)
    assert not calls, f"{len(calls)} picture(s) encoded again on a rerun"
