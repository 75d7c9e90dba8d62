"""Take the lesson home: every lesson's "Download as notebook" runs top to bottom in a fresh Python process
and reproduces the arrays the page showed (ui/notebook.py, ui/code.py, ui/page.py)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import nbformat
import numpy as np
import pytest
from PIL import Image

from tests.app.helpers import ROOT, CodeRecorder, new_app, problems
from tests.corpus import pil_bytes
from ui import notebook
from ui.code import Panel
from ui.lessons import LESSONS, LESSONS_BY_SLUG

#: Runs a notebook's code cells in order in one namespace and saves ``result`` after each panel's cell.
RUNNER = """
import json, sys
import numpy as np
cells = json.load(open(sys.argv[1], encoding="utf-8"))["cells"]
namespace = {"__name__": "__main__"}
for cell in cells:
    if cell["cell_type"] != "code":
        continue
    exec(compile("".join(cell["source"]), "<cell>", "exec"), namespace)
    panel = cell["metadata"].get("pixel_lab", {}).get("panel")
    if panel is not None:
        np.save(f"{sys.argv[2]}/panel_{panel}.npy", np.asarray(namespace["result"]))
"""

#: Extra settings per lesson beyond its defaults: the masks blend inside the mask starts from the cut-out's mask.
EXTRA = {"masks": {"masks_inside": "true"}}


def downloaded_notebook(monkeypatch, page: str, query: dict[str, str] | None = None, upload: bytes | None = None):
    """Open `page` in AppTest; return (app, code panels recorded, the notebook file its button would send)."""
    from streamlit.runtime.media_file_manager import MediaFileManager

    deferred = []
    original = MediaFileManager.add_deferred

    def record(self, data_callable, mimetype, coordinates, file_name=None, **kwargs):
        deferred.append((mimetype, file_name, data_callable))
        return original(self, data_callable, mimetype, coordinates, file_name, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", record)
    with CodeRecorder() as recorder:
        app = new_app(page, query).run()
        if upload is not None:
            deferred.clear()
            recorder.panels.clear()
            app.file_uploader(key="upload_file").upload("my photo.png", upload, "image/png")
            app.run()
    assert not problems(app), problems(app)
    notebooks = [(name, make) for mimetype, name, make in deferred if mimetype == notebook.MIME]
    assert notebooks, "no notebook download on the page"
    name, make = notebooks[-1]
    return app, recorder.panels, name, make()


def run_notebook(data: bytes, workdir: Path) -> dict[int, np.ndarray]:
    """Run the notebook's code cells in order in a fresh Python process (in `workdir`); results per panel."""
    path = workdir / "lesson.ipynb"
    path.write_bytes(data)
    (workdir / "runner.py").write_text(RUNNER)
    completed = subprocess.run([sys.executable, str(workdir / "runner.py"), str(path), str(workdir)],
                               cwd=workdir, capture_output=True, text=True, timeout=300)
    assert completed.returncode == 0, completed.stderr[-3000:]
    return {int(p.stem.split("_")[1]): np.load(p) for p in workdir.glob("panel_*.npy")}


#: The pipeline lab offers its own script and notebook, made from its steps (tests/app/test_pipeline.py runs them).
CODE_PANEL_LESSONS = [lesson for lesson in LESSONS if lesson.slug != "pipeline"]


@pytest.mark.parametrize("lesson", CODE_PANEL_LESSONS, ids=[lesson.slug for lesson in CODE_PANEL_LESSONS])
def test_every_lessons_notebook_runs_and_reproduces_the_page(monkeypatch, tmp_path, lesson):
    app, panels, name, data = downloaded_notebook(monkeypatch, lesson.page, EXTRA.get(lesson.slug))
    assert name == f"pixel-lab-{lesson.slug}.ipynb"
    book = nbformat.reads(data.decode("utf-8"), as_version=4)
    nbformat.validate(book)  # the notebook schema
    assert book.cells[0].cell_type == "markdown" and book.cells[0].source.startswith(f"# {lesson.title}")
    assert book.cells[1].source.startswith("import cv2\nimport numpy as np")
    tagged = [cell for cell in book.cells if cell.cell_type == "code" and "pixel_lab" in cell.metadata]
    assert len(tagged) == len(panels) >= 1  # one code cell per code panel
    results = run_notebook(data, tmp_path)
    assert sorted(results) == list(range(len(panels)))
    for index, (code, _, shown) in enumerate(panels):
        made = results[index]
        assert made.shape == shown.shape, code
        np.testing.assert_array_equal(made, shown, err_msg=code)


def test_the_notebook_starts_with_the_idea_and_the_loading_lines(monkeypatch):
    lesson = LESSONS_BY_SLUG["histograms"]
    _, panels, _, data = downloaded_notebook(monkeypatch, lesson.page, {"img": "coins"})
    book = nbformat.reads(data.decode("utf-8"), as_version=4)
    idea = notebook.lesson_idea(lesson)
    assert "histogram" in idea and "$$" in idea  # the page's own paragraph and its formula
    assert idea in book.cells[0].source
    assert lesson.summary in book.cells[0].source
    assert book.cells[2].cell_type == "markdown" and book.cells[2].source.startswith("## The image\n\n")
    assert book.cells[3].source.startswith("img = skimage.data.coins()")
    assert book.cells[3].source.splitlines()[-1] == "show(img)"
    # Each panel: a heading with its title, then its code with the current settings, ending with show(result).
    first_panel = next(i for i, cell in enumerate(book.cells) if "pixel_lab" in cell.metadata)
    assert book.cells[first_panel - 1].source.startswith("## 1. ")
    assert book.cells[first_panel].source.endswith("show(result)")
    assert panels[0][0].endswith(book.cells[first_panel].source.removesuffix("\nshow(result)").strip() + "\n")


def test_an_upload_notebook_asks_for_the_file_beside_it_and_reads_it(monkeypatch, tmp_path):
    """For an upload the notebook says, as plain text, which file to put beside it, and reads that name."""
    pixels = np.random.default_rng(3).integers(0, 256, (60, 80, 3), dtype=np.uint8)
    png = pil_bytes(Image.fromarray(pixels), "PNG")
    lesson = LESSONS_BY_SLUG["thresholding"]
    _, panels, _, data = downloaded_notebook(monkeypatch, lesson.page, {"img": "upload"}, upload=png)
    book = nbformat.reads(data.decode("utf-8"), as_version=4)
    nbformat.validate(book)
    assert book.cells[2].cell_type == "markdown"
    assert "` my photo.png `" in book.cells[2].source  # shown as literal text
    assert "imread('my photo.png'" in book.cells[3].source and "your_image" not in book.cells[3].source
    (tmp_path / "my photo.png").write_bytes(png)
    results = run_notebook(data, tmp_path)
    assert len(results) == len(panels) >= 1
    for index, (code, _, shown) in enumerate(panels):
        np.testing.assert_array_equal(results[index], shown, err_msg=code)


# ---- The pieces ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "safe"), [
    ("photo.png", "photo.png"),
    ("../../etc/passwd", "passwd"),
    ("C:\\Users\\me\\cat.jpg", "cat.jpg"),
    ('a"b\'c`d.png', "abcd.png"),
    ("line\nbreak.png", "linebreak.png"),
    ("", "your_image.png"),
    ("...", "your_image.png"),
    ("x" * 300 + ".jpeg", "x" * 75 + ".jpeg"),  # cut to 80 characters, the extension kept
], ids=["plain", "folders", "windows", "quotes", "control", "empty", "dots", "long"])
def test_uploaded_file_names_are_made_safe(name, safe):
    assert notebook.safe_file_name(name) == safe


def test_user_text_in_markdown_is_a_literal_code_span():
    assert notebook._literal_text("a*b*") == "` a*b* `"
    assert notebook._literal_text("x``y`") == "``` x``y` ```"


@pytest.mark.parametrize(("body", "changes"), [
    ("result = img + 1", False),
    ("img = cv2.resize(img, (4, 4))\nresult = img", True),
    ("img[0, 0] = 255\nresult = img", True),
    ("img += 1\nresult = img", True),
    ("cv2.rectangle(img, (0, 0), (2, 2), 255, -1)\nresult = img", True),
    ("cv2.rectangle(canvas, (0, 0), (2, 2), 255, -1)\nresult = canvas", False),
    ("img.fill(0)\nresult = img", True),
    ("cv2.add(img, img, dst=img)\nresult = img", True),
    ("# img = 0 in a comment\nresult = img.copy()", False),
])
def test_changes_to_img_are_noticed(body, changes):
    assert notebook.changes_img(body) == changes


def _panel(source, title, body, **inputs):
    return Panel(title=title, body=body, source=source, inputs=inputs)


def test_cells_run_in_an_order_that_gives_each_its_arrays(tmp_path):
    """A panel that reads another panel's array comes after it; img is loaded again after a cell changes it;
    an array no panel makes is written in."""
    from ui.source import _sample_source

    source = _sample_source("camera", False)
    img = source.image
    mask = img > 100
    panels = [
        _panel(source, "uses the mask", "result = np.where(mask, img, 0)", mask=mask),
        _panel(source, "changes img", "img = img // 2\nresult = img"),
        _panel(source, "makes the mask", "mask = img > 100\nresult = mask"),
        _panel(source, "reads a given array", "result = img + offset.astype(np.uint8)", offset=np.ones_like(img)),
    ]
    book = notebook.build_notebook(LESSONS_BY_SLUG["thresholding"], panels)
    nbformat.validate(book)
    order = [cell.metadata["pixel_lab"]["panel"] for cell in book.cells if "pixel_lab" in cell.metadata]
    assert order == [1, 2, 0, 3]
    texts = {cell.metadata["pixel_lab"]["panel"]: cell.source for cell in book.cells if "pixel_lab" in cell.metadata}
    assert "a cell above changed it" in texts[2]
    assert "offset comes from another part of the lesson" in texts[3]
    results = run_notebook(nbformat.writes(book).encode(), tmp_path)
    np.testing.assert_array_equal(results[0], np.where(mask, img, 0))
    np.testing.assert_array_equal(results[1], img // 2)
    np.testing.assert_array_equal(results[2], mask)
    np.testing.assert_array_equal(results[3], img + 1)


def test_the_idea_falls_back_to_nothing_for_a_page_without_one(tmp_path, monkeypatch):
    page = tmp_path / "pages" / "99_new.py"
    page.parent.mkdir()
    page.write_text('import streamlit as st\nlesson, source = start_lesson("new")\n'
                    'st.markdown("The idea " + "of a new lesson.")\nst.latex(r"a^2")\nst.header("Controls")\n')
    monkeypatch.setattr(notebook, "ROOT", tmp_path)
    lesson = LESSONS_BY_SLUG["arrays"].__class__("new", "New", "Analysis", ":material/star:", "A new lesson.",
                                                 "pages/99_new.py")
    assert notebook.lesson_idea(lesson) == "The idea of a new lesson.\n\n$$\na^2\n$$"
    bare = lesson.__class__("bare", "Bare", "Analysis", ":material/star:", "No idea.", "pages/98_bare.py")
    (tmp_path / "pages" / "98_bare.py").write_text("import streamlit as st\nst.header('Controls')\n")
    assert notebook.lesson_idea(bare) == ""
    missing = lesson.__class__("gone", "Gone", "Analysis", ":material/star:", "No file.", "pages/97_gone.py")
    assert notebook.lesson_idea(missing) == ""


def test_a_notebook_file_is_json_that_jupyter_reads():
    lesson = LESSONS_BY_SLUG["arrays"]
    data = notebook.notebook_bytes(lesson, [], url="http://example.org/arrays")
    parsed = json.loads(data)
    assert parsed["nbformat"] == 4 and parsed["metadata"]["kernelspec"]["name"] == "python3"
    nbformat.validate(nbformat.reads(data.decode(), as_version=4))
    assert (ROOT / "requirements.txt").read_text().count("nbformat==") == 1
