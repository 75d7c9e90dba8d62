"""Take the lesson home: a Jupyter notebook of the lesson's idea and its code panels, with the current settings.

Built from what every page already gives: the lesson's registry entry (title, summary), the page's own
idea paragraph (read from the page file, see `lesson_idea`) and the code panels drawn in this run
(`ui.code.collected`), so it works for any lesson, including ones added later.

The cells, in order:

1. Markdown: the title, the summary, the idea, and how to run the notebook.
2. Code: the imports, and ``show``, which turns an image array into a picture in Jupyter.
3. The image: the loading lines of the current sample (the same lines as the code panels' header). For an
   upload, a Markdown cell first asks the learner to put their file beside the notebook under its name
   (shown as literal text), and the code reads that name.
4. Per code panel: a Markdown heading with the panel's title and a code cell with its body, which assigns
   ``result`` (the array the page showed) and ends with ``show(result)``.

Code panels are written to run alone from ``img``; in one notebook they run one after another, so:
a cell that changes ``img`` (assigns it, assigns into it, draws on it) is followed by the loading lines
again before the next cell that reads it; a panel that starts from an array another panel makes (the
masks lesson's blend reads the cut-out's ``mask``) is placed after that panel; and an array that no
panel makes is written into the notebook (compressed) as a last resort.
"""

from __future__ import annotations

import ast
import base64
import functools
import io
import re
import zlib
from collections.abc import Sequence
from pathlib import Path

import nbformat
import numpy as np

from ui.code import IMPORTS, Panel, describe_array
from ui.lessons import Lesson

ROOT = Path(__file__).resolve().parents[1]
MIME = "application/x-ipynb+json"
#: The file name in an upload's loading lines (``cv2.imread("your_image.png", ...)`` in ui.source): the notebook
#: puts the uploaded file's own name there.
READ_FILE = re.compile(r"""(imread\(\s*)(["'])[^"'\n]*\2""")
#: Longest uploaded file name kept in the notebook (longer ones are cut, keeping the extension).
MAX_FILE_NAME = 80

SHOW = '''

def show(array):
    """A picture of an image array (uint8 or bool) in Jupyter; any other array is returned as it is."""
    array = np.asarray(array)
    if array.dtype == bool:
        array = array.astype(np.uint8) * 255
    if array.dtype == np.uint8 and (array.ndim == 2 or (array.ndim == 3 and array.shape[2] in (3, 4))):
        from PIL import Image

        return Image.fromarray(array)
    return array'''

HOW_TO = (
    "Run the cells from top to bottom (*Run All*). Each code cell below is one code panel of the lesson, with "
    "the settings you had when you downloaded it; change the numbers and run it again. It needs Python with "
    "`opencv-python-headless`, `numpy`, `scikit-image` and `pillow` (Pixel Lab's `requirements.txt`)."
)

# OpenCV drawing functions change their first argument in place.
_DRAWING = {"line", "rectangle", "circle", "ellipse", "polylines", "fillPoly", "fillConvexPoly", "putText",
            "drawContours", "drawMarker", "arrowedLine", "floodFill"}
_IN_PLACE_METHODS = {"fill", "sort", "resize", "put", "itemset", "setflags", "partition"}


# ---- The idea, as the page states it ------------------------------------------------------------------

def _constant_text(node: ast.AST) -> str | None:
    """The value of a string literal, or of literals joined with +; None for anything else."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _constant_text(node.left), _constant_text(node.right)
        if left is not None and right is not None:
            return left + right
    return None


def _markdown_of(statement: ast.stmt) -> str | None:
    """Markdown for ``st.markdown("...")``, ``st.latex("...")`` or ``st.caption("...")`` with literal text."""
    if not (isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call)):
        return None
    call = statement.value
    function = call.func
    if not (isinstance(function, ast.Attribute) and isinstance(function.value, ast.Name)
            and function.value.id == "st" and function.attr in ("markdown", "latex", "caption") and call.args):
        return None
    text = _constant_text(call.args[0])
    if text is None:
        return None
    if function.attr == "latex":
        return f"$$\n{text}\n$$"
    return f"*{text}*" if function.attr == "caption" else text


@functools.lru_cache(maxsize=64)
def _idea_from_file(path: str, modified: float) -> str:
    source = Path(path).read_text(encoding="utf-8")
    tree = ast.parse(source)
    marker = next((number for number, line in enumerate(source.splitlines(), 1)
                   if re.match(r"\s*#\s*1\.\s*The idea", line)), None)
    if marker is None:  # no marker: the first literal text after the lesson starts
        starts = [node.lineno for node in tree.body if "start_lesson(" in (ast.get_source_segment(source, node) or "")]
        marker = starts[0] if starts else 0
    parts = []
    for statement in (node for node in tree.body if node.lineno > marker):
        text = _markdown_of(statement)
        if text is None:
            if parts:
                break
            continue
        parts.append(text)
    return "\n\n".join(parts)


def lesson_idea(lesson: Lesson) -> str:
    """The lesson's idea as its page states it: the literal ``st.markdown``/``st.latex``/``st.caption`` calls
    right after the page's ``# 1. The idea`` comment, as Markdown ("" if the page has none)."""
    path = ROOT / lesson.page
    try:
        return _idea_from_file(str(path), path.stat().st_mtime)
    except (OSError, SyntaxError, ValueError):
        return ""


# ---- What a code cell reads and changes -----------------------------------------------------------------

def _names(body: str) -> tuple[set[str], set[str]]:
    """(names the code reads, names it assigns)."""
    tree = ast.parse(body)
    read, written = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (written if isinstance(node.ctx, ast.Store) else read).add(node.id)
    return read, written


def changes_img(body: str) -> bool:
    """True if the code assigns ``img``, assigns into it, or changes it in place (OpenCV drawing, methods)."""
    for node in ast.walk(ast.parse(body)):
        if isinstance(node, ast.Name) and node.id == "img" and isinstance(node.ctx, ast.Store):
            return True
        if isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Store) and _is_img(node.value):
            return True
        if isinstance(node, ast.Call):
            function = node.func
            if isinstance(function, ast.Attribute):
                if function.attr in _DRAWING and node.args and _is_img(node.args[0]):
                    return True
                if function.attr in _IN_PLACE_METHODS and _is_img(function.value):
                    return True
                if function.attr == "copyto" and node.args and _is_img(node.args[0]):
                    return True
            if any(keyword.arg == "dst" and _is_img(keyword.value) for keyword in node.keywords):
                return True
    return False


def _is_img(node: ast.AST) -> bool:
    return isinstance(node, ast.Name) and node.id == "img"


def _ordered(panels: Sequence[Panel]) -> list[tuple[int, Panel]]:
    """Panels with their page index, each after any panel that makes an array it starts from."""
    pending = list(enumerate(panels))
    made = {index: _names(panel.body)[1] for index, panel in pending}
    needs = {index: set(panel.inputs) & _names(panel.body)[0] for index, panel in pending}
    done: set[str] = set()
    ordered = []
    while pending:
        for position, (index, panel) in enumerate(pending):
            missing = needs[index] - done
            waits = any(made[other] & missing for other, _ in pending if other != index)
            if not waits:
                break
        else:
            position = 0  # a cycle: keep page order (the arrays are written in)
        index, panel = pending.pop(position)
        ordered.append((index, panel))
        done |= made[index]
    return ordered


def _written_in(name: str, array: np.ndarray) -> str:
    buffer = io.BytesIO()
    np.lib.format.write_array(buffer, np.ascontiguousarray(array), allow_pickle=False)  # the .npy format
    text = base64.b64encode(zlib.compress(buffer.getvalue(), 9)).decode("ascii")
    return (f"# {name} comes from another part of the lesson; here it is written in ({describe_array(array)})\n"
            "import base64, io, zlib\n"
            f'{name} = np.load(io.BytesIO(zlib.decompress(base64.b64decode("{text}"))))')


# ---- The image --------------------------------------------------------------------------------------------

def safe_file_name(name: str | None) -> str:
    """An uploaded file's name made safe to use as a plain file name beside the notebook.

    Folders are dropped, control characters and quotes removed, long names cut (keeping the extension);
    an empty result becomes ``your_image.png``.
    """
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable() and ch not in "\"'`")
    name = name.strip().lstrip(".")
    if len(name) > MAX_FILE_NAME:
        stem, dot, extension = name.rpartition(".")
        extension = extension[:10] if dot else ""
        name = stem[: MAX_FILE_NAME - len(extension) - 1] + "." + extension if extension else name[:MAX_FILE_NAME]
    return name or "your_image.png"


def _literal_text(text: str) -> str:
    """`text` as a Markdown code span, so it is shown exactly as written (no links, HTML or emphasis)."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    return f"{fence} {text} {fence}"


def _load_code(panel_source) -> str:
    code = panel_source.load_code
    if panel_source.is_upload:
        name = repr(safe_file_name(panel_source.file_name))  # a Python literal whatever the name holds
        code = READ_FILE.sub(lambda match: match.group(1) + name, code)
    return code


# ---- The notebook ----------------------------------------------------------------------------------------

def build_notebook(lesson: Lesson, panels: Sequence[Panel], *, url: str = "") -> nbformat.NotebookNode:
    """The lesson as a notebook (see the module docstring for its cells).

    Parameters
    ----------
    lesson : Lesson
        The lesson's registry entry.
    panels : sequence of Panel
        The code panels drawn, in page order (`ui.code.collected`).
    url : str
        The lesson's address, named in the first cell.

    Returns
    -------
    nbformat.NotebookNode
        A version-4 notebook; each panel's code cell has ``metadata["pixel_lab"]["panel"]``, its index
        in `panels`.
    """
    cells = []
    idea = lesson_idea(lesson)
    intro = [f"# {lesson.title}", f"*{lesson.summary}*"]
    if idea:
        intro.append(idea)
    intro.append(HOW_TO)
    if url:
        intro.append(f"Made with Pixel Lab, lesson {_literal_text(url)}.")
    cells.append(nbformat.v4.new_markdown_cell("\n\n".join(intro)))
    cells.append(nbformat.v4.new_code_cell(IMPORTS + "\n" + SHOW))

    source = panels[0].source if panels else None
    if source is not None:
        if source.is_upload:
            name = safe_file_name(source.file_name)
            cells.append(nbformat.v4.new_markdown_cell(
                "## The image\n\nThis lesson ran on your own image. Put that file in the same folder as this "
                f"notebook, named {_literal_text(name)}, or change the file name in the next cell."))
        else:
            cells.append(nbformat.v4.new_markdown_cell(f"## The image\n\n{source.title}"))
        cells.append(nbformat.v4.new_code_cell(f"{_load_code(source)}  # {describe_array(source.image)}\nshow(img)"))

    img_changed = False  # True once a cell has left img other than the loading lines make it
    made: set[str] = set()
    for number, (index, panel) in enumerate(_ordered(panels), 1):
        read, written = _names(panel.body)
        own_image = source is not None and panel.source.key != source.key
        lines = []
        if own_image:
            lines.append(f"{_load_code(panel.source)}  # this panel's image")
        elif img_changed and "img" in read:
            lines.append(f"{_load_code(source)}  # img again as loaded: a cell above changed it")
            img_changed = False
        for name in sorted((set(panel.inputs) & read) - made - written):
            lines.append(_written_in(name, panel.inputs[name]))
        lines.append(panel.body)
        lines.append("show(result)")
        cells.append(nbformat.v4.new_markdown_cell(f"## {number}. {panel.title}"))
        cell = nbformat.v4.new_code_cell("\n".join(lines))
        cell.metadata["pixel_lab"] = {"panel": index}
        cells.append(cell)
        made |= written
        img_changed = img_changed or own_image or changes_img(panel.body)
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    notebook.metadata["language_info"] = {"name": "python"}
    return notebook


def notebook_bytes(lesson: Lesson, panels: Sequence[Panel], *, url: str = "") -> bytes:
    """`build_notebook`, written as ``.ipynb`` text (UTF-8)."""
    return nbformat.writes(build_notebook(lesson, panels, url=url)).encode("utf-8")
