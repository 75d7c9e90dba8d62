"""Take the pipeline home: a Python script and a Jupyter notebook, both written from the step definitions.

The script is `processing.pipeline.script`; the notebook has the same code cut into cells: the imports and
helpers, the image, then one Markdown heading and one code cell per step (``stepN = ...`` and a picture of it).
Both start from the image's loading lines (an upload's file name made safe, as in the lesson notebooks) and keep
every step's output as ``step1``, ``step2``, ...: tests run them in a fresh process and compare every one with
the page's arrays.
"""

from __future__ import annotations

from collections.abc import Sequence

import nbformat
import streamlit as st

from processing import pipeline
from processing.pipeline import Step
from ui.lessons import LESSONS_BY_SLUG
from ui.notebook import READ_FILE, safe_file_name
from ui.source import ImageSource

SCRIPT_MIME = "text/x-python"
NOTEBOOK_MIME = "application/x-ipynb+json"

SHOW = '''

def show(value):
    """A step's output in Jupyter: images as they are, masks black and white, label images in colours, tables as
    tables."""
    if hasattr(value, "to_html"):
        return value
    value = np.asarray(value)
    if value.dtype == bool:
        value = value.astype(np.uint8) * 255
    elif value.dtype != np.uint8:  # a label image: every object its own colour, background black
        palette = np.random.default_rng(0).integers(64, 256, (int(value.max()) + 1, 3)).astype(np.uint8)
        palette[0] = 0
        value = palette[value]
    from PIL import Image

    return Image.fromarray(value)'''


def image_code(source: ImageSource) -> str:
    """The lines that make ``img``: the image source's, with an upload's own file name (made safe)."""
    code = source.load_code
    if source.is_upload:
        name = repr(safe_file_name(source.file_name))
        code = READ_FILE.sub(lambda match: match.group(1) + name, code)
    return code


def script_bytes(steps: Sequence[Step], kinds: Sequence[str | None], source: ImageSource) -> bytes:
    """The pipeline as a Python script (`processing.pipeline.script`), UTF-8."""
    return pipeline.script(steps, kinds, load_code=image_code(source), image_title=source.title).encode("utf-8")


def build_notebook(steps: Sequence[Step], kinds: Sequence[str | None], source: ImageSource) -> nbformat.NotebookNode:
    """The pipeline as a notebook: imports, the image, then one heading and one code cell per step.

    Parameters
    ----------
    steps : sequence of Step
    kinds : sequence of str or None
        Each step's input kind as it ran on the page (None: it could not run; the notebook stops there).
    source : ImageSource
        Where the image comes from.

    Returns
    -------
    nbformat.NotebookNode
        A version-4 notebook; each step's code cell has ``metadata["pixel_lab"]["step"]``, its number.
    """
    text = pipeline.to_text(steps) or "(no steps)"
    cells = [nbformat.v4.new_markdown_cell(
        "# A Pixel Lab pipeline\n\n"
        f"`{text}`\n\n"
        "Each step takes the output of the one before. Run the cells from top to bottom (*Run All*); change a "
        "number in a step's cell and run it and the cells after it again. It needs Python with "
        "`opencv-python-headless`, `numpy`, `scipy`, `scikit-image`, `pandas` and `pillow`.")]
    imports, helpers = pipeline.code_imports(steps)
    setup = "\n".join(["import cv2", "import numpy as np", "import skimage.data", *imports])
    if helpers:
        setup += "\n\n\n" + "\n\n".join(helper.strip() for helper in helpers)
    cells.append(nbformat.v4.new_code_cell(setup + "\n" + SHOW))
    title = source.title if not source.is_upload else "your own image"
    if source.is_upload:
        cells.append(nbformat.v4.new_markdown_cell(
            "## The image\n\nThe pipeline ran on your own image: put the file in the same folder as this notebook, "
            "under the name in the next cell (or change the name)."))
    else:
        cells.append(nbformat.v4.new_markdown_cell(f"## The image\n\n{title}"))
    cells.append(nbformat.v4.new_code_cell(f"{image_code(source).strip()}\nstep0 = img  # the input\nshow(step0)"))
    last = "step0"
    for number, (item, kind) in enumerate(zip(steps, kinds), 1):
        lesson = LESSONS_BY_SLUG[item.type.lesson]
        if kind is None or pipeline.problem_with(item, kind):
            cells.append(nbformat.v4.new_markdown_cell(
                f"## {number}. {item.type.title}\n\nThis step cannot run on its input, so the pipeline stops here."))
            break
        cells.append(nbformat.v4.new_markdown_cell(
            f"## {number}. {item.describe()}\n\n{item.type.summary} (Pixel Lab lesson: *{lesson.title}*.)"))
        cell = nbformat.v4.new_code_cell(f"{pipeline.step_code(item, last, f'step{number}', kind)}\nshow(step{number})")
        cell.metadata["pixel_lab"] = {"step": number}
        cells.append(cell)
        last = f"step{number}"
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    notebook.metadata["language_info"] = {"name": "python"}
    return notebook


def notebook_bytes(steps: Sequence[Step], kinds: Sequence[str | None], source: ImageSource) -> bytes:
    """`build_notebook`, written as ``.ipynb`` text (UTF-8)."""
    return nbformat.writes(build_notebook(steps, kinds, source)).encode("utf-8")


_TAKE_HOME = "pipeline_take_home"


def remember(steps: Sequence[Step], kinds: Sequence[str | None], source: ImageSource) -> None:
    """Keep the pipeline on screen for the download buttons (call it on every run of the panel that shows it)."""
    st.session_state.setdefault(_TAKE_HOME, {}).update(steps=tuple(steps), kinds=tuple(kinds), source=source)


def download_buttons() -> None:
    """"Download as Python script" and "Download as notebook", made when clicked from what `remember` kept last.

    The buttons may sit outside the panel's fragment: they read the session's mapping when clicked, which every
    rerun of the panel updates in place, so a download is never stale and moving a step's control does not redraw
    them.
    """
    kept = st.session_state.setdefault(_TAKE_HOME, {})
    left, right = st.columns(2)
    left.download_button(
        "Download as Python script", data=lambda: script_bytes(kept["steps"], kept["kinds"], kept["source"]),
        file_name="pixel_lab_pipeline.py", mime=SCRIPT_MIME, on_click="ignore", icon=":material/code:",
        key="pipeline_script", width="stretch",
        help="The whole pipeline as plain OpenCV, NumPy and scikit-image code; run it with python.")
    right.download_button(
        "Download as notebook", data=lambda: notebook_bytes(kept["steps"], kept["kinds"], kept["source"]),
        file_name="pixel_lab_pipeline.ipynb", mime=NOTEBOOK_MIME, on_click="ignore", icon=":material/download:",
        key="pipeline_notebook", width="stretch",
        help="The same code as a Jupyter notebook, one cell per step, each showing its result.")
