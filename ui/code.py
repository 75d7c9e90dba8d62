"""The code panel: plain OpenCV/NumPy code that reproduces what the page shows.

A page passes the code body, the arrays it starts from and the array it
shows. Tests register a listener that receives the complete code exactly as
displayed, runs it in a separate Python process and compares its ``result``
with the array the page showed.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import streamlit as st

from ui.source import ImageSource

#: Called with (displayed code, inputs, result) for every code panel drawn; empty in the app.
LISTENERS: list[Callable[[str, dict[str, np.ndarray], np.ndarray], None]] = []

IMPORTS = "import cv2\nimport numpy as np\nimport skimage.data"


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
    """
    inputs = {"img": source.image} if inputs is None else inputs
    header = f"{IMPORTS}\n\n{source.load_code}  # {describe_array(source.image)}"
    code = f"{header}\n\n{body.strip()}\n"
    for listener in LISTENERS:
        listener(code, inputs, result)
    with st.expander(title, icon=":material/code:", expanded=expanded):
        st.code(code, language="python")
