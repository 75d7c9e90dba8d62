"""The code panel: plain OpenCV/NumPy code that reproduces what the page shows.

A page passes the code body, the arrays it starts from and the array it
shows. Tests register a listener that receives the complete code exactly as
displayed, runs it in a separate Python process and compares its ``result``
with the array the page showed.

Every panel drawn is also kept for the lesson's "Download as notebook" (`ui.notebook`), by its
place on the page: a fragment that reruns replaces its own panels and leaves the others.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import streamlit as st

from ui.source import ImageSource

#: Called with (displayed code, inputs, result) for every code panel drawn; empty in the app.
LISTENERS: list[Callable[[str, dict[str, np.ndarray], np.ndarray], None]] = []

IMPORTS = "import cv2\nimport numpy as np\nimport skimage.data"


PANELS_STATE = "pl_code_panels"


@dataclass(frozen=True)
class Panel:
    """One code panel as drawn, for the notebook.

    Attributes
    ----------
    title : str
        The panel's label.
    body : str
        The code after the header (imports and loading lines).
    source : ImageSource
        The image the code starts from (its loading lines and name).
    inputs : dict of str to ndarray
        Arrays the body starts from besides ``img`` (the notebook makes them from other cells or
        writes them in).
    """

    title: str
    body: str
    source: ImageSource
    inputs: dict[str, np.ndarray]


def start_collecting() -> dict:
    """Begin a new collection of the page's panels (a full run of a lesson); returns it.

    The returned mapping is the one later panels and fragment reruns of this page fill in, so a
    download made from it on click sees the panels as they are then.
    """
    panels: dict = {}
    st.session_state[PANELS_STATE] = panels
    return panels


def collected() -> list[Panel]:
    """The panels collected for the current page, in page order."""
    return in_page_order(st.session_state.get(PANELS_STATE))


def in_page_order(panels: dict | None) -> list[Panel]:
    """The panels of a collection (`start_collecting`), in page order. Needs no script run (a download
    made on click calls it), and copes with a fragment rerun adding a panel meanwhile."""
    snapshot = dict(panels or {})
    return [snapshot[place] for place in sorted(snapshot)]


def _remember(panel: Panel, expander) -> None:
    panels = st.session_state.get(PANELS_STATE)
    if panels is None:
        return
    cursor = getattr(expander, "_cursor", None)  # the expander's place on the page, e.g. (0, 12, 1, 3)
    place = tuple(cursor.delta_path) if cursor is not None else (len(panels),)
    panels[place] = panel


def describe_array(array: np.ndarray) -> str:
    """A short comment such as ``uint8, shape (303, 384)``."""
    return f"{array.dtype}, shape {tuple(array.shape)}"


def show_code(
    body: str,
    *,
    source: ImageSource,
    result: np.ndarray,
    inputs: dict[str, np.ndarray] | None = None,
    title: str = "The code",
    expanded: bool = False,
    key: str | None = None,
) -> None:
    """Show copyable code that turns the image on screen into `result`.

    Parameters
    ----------
    body : str
        Code that reads ``img`` (and any other `inputs`) and assigns ``result``;
        ``cv2`` and ``np`` are imported by the header.
    source : ImageSource
        Where ``img`` comes from: its loading lines form the header.
    result : ndarray
        The array the page shows for the current settings.
    inputs : dict of str to ndarray, optional
        Arrays the body starts from; defaults to ``{"img": source.image}``.
    title : str
        Expander label.
    expanded : bool
        Open the expander at first.
    key : str, optional
        With a key the code is sent only while the panel is open (opening it reruns the page, or the fragment it
        is in): for a long panel inside a fragment that reruns on every slider move.
    """
    inputs = {"img": source.image} if inputs is None else inputs
    header = f"{IMPORTS}\n\n{source.load_code}  # {describe_array(source.image)}"
    code = f"{header}\n\n{body.strip()}\n"
    for listener in LISTENERS:
        listener(code, inputs, result)
    expander = st.expander(title, icon=":material/code:", expanded=expanded, key=key,
                           on_change="ignore" if key is None else "rerun")
    if key is None or expander.open:
        with expander:
            st.code(code, language="python")
    extra = {name: array for name, array in inputs.items() if name != "img"}
    _remember(Panel(title=title, body=body.strip(), source=source, inputs=extra), expander)
