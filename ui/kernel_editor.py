"""The convolution lesson's kernel editor: choose a preset or type weights, and say how to apply them.

`choose_kernel` draws the controls (preset, size, sigma, normalise; operation,
border, display) and an editor of the weights: a grid of cells in a form that
waits for Apply, and the same kernel as one line of text, which is what a link
carries. It returns the kernel in use. Every piece of text a learner types is
read by `processing.kernel_text` (a tiny grammar, never ``eval``) and shown only
as plain text. `number_table` and `kernel_table` draw weights and products as
Markdown tables tinted by sign.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from processing import convolution as conv
from processing import kernel_text
from ui.url import url_choice

DEFAULT_PRESET = "sobel_x"
CUSTOM = "custom"
PRESET_LABELS = {
    "identity": "Identity", "box": "Box blur", "gaussian": "Gaussian blur", "sharpen": "Sharpen",
    "emboss": "Emboss", "outline": "Outline", "sobel_x": "Sobel x", "sobel_y": "Sobel y",
    "prewitt_x": "Prewitt x", "prewitt_y": "Prewitt y", "laplacian": "Laplacian",
    CUSTOM: "Custom (typed below)",
}
SIZE_LABELS = {str(n): f"{n} × {n}" for n in kernel_text.EDITOR_SIZES}
BORDER_LABELS = {"zero": "zero", "replicate": "replicate", "reflect": "reflect (OpenCV default)", "wrap": "wrap"}
MAPPING_LABELS = {"auto": "automatic", "abs": "absolute value", "offset": "offset to 128", "clip": "clipped to 0–255"}
_START = "0,0,0;0,1,0;0,0,0"


@dataclass(frozen=True)
class ChosenKernel:
    """The kernel in use and how it is applied.

    Attributes
    ----------
    preset : str
        A key of `PRESET_LABELS` (``"custom"`` for typed weights).
    name : str
        What captions call it: the preset's label, or "your kernel".
    size : int
        Side of the square kernel.
    sigma : float or None
        The Gaussian preset's sigma; None for every other kernel.
    weights : ndarray of float64, shape (size, size)
        The kernel as chosen or typed.
    kernel : ndarray of float64, shape (size, size)
        The kernel in use: `weights`, divided by their sum when `normalised`.
    normalise : bool
        The learner asked for normalising.
    normalised : bool
        The weights were divided by their sum (not possible when they sum to 0).
    kind : str
        ``"smoothing"``, ``"edge"``, ... (`processing.convolution.PRESETS`, or guessed for typed weights).
    operation, border : str
        How it is applied (`processing.convolution.filter_image`).
    mapping_choice : str
        The display the learner chose, a key of `MAPPING_LABELS` (``"auto"`` included).
    mapping : str
        The display mapping in use (``"auto"`` resolved by `processing.convolution.suggested_mapping`).
    """

    preset: str
    name: str
    size: int
    sigma: float | None
    weights: np.ndarray
    kernel: np.ndarray
    normalise: bool
    normalised: bool
    kind: str
    operation: str
    border: str
    mapping_choice: str
    mapping: str


def _cell_key(row: int, col: int) -> str:
    return f"convolution_cell_{row}_{col}"


# Callbacks run before the script, so they may set widget values. -------------------------------------
def _remember_custom_start() -> None:
    """Choosing "Custom" starts from the kernel that was on screen."""
    if st.session_state.get("convolution_preset") == CUSTOM:
        try:
            kernel_text.parse_kernel_text(st.session_state.get("convolution_kernel", ""))
        except ValueError:
            st.session_state["convolution_kernel"] = st.session_state.get("convolution_last_text", _START)


def _text_edited() -> None:
    """A kernel typed as one line is a custom kernel."""
    st.session_state["convolution_preset"] = CUSTOM


def _resize_custom() -> None:
    """Changing the size of a typed kernel pads it with zeros or keeps its centre."""
    if st.session_state.get("convolution_preset") != CUSTOM:
        return
    text = st.session_state.get("convolution_kernel", "")
    try:
        kernel_text.parse_kernel_text(text)
    except ValueError:
        return
    cells = kernel_text.resize_cells(kernel_text.split_kernel_text(text), int(st.session_state["convolution_size"]))
    st.session_state["convolution_kernel"] = kernel_text.kernel_to_text(cells)


def _apply_cells(size: int) -> None:
    """Apply: read the edited cells with the safe parser; keep the old kernel if one is bad."""
    cells = [[st.session_state.get(_cell_key(r, c), "") for c in range(size)] for r in range(size)]
    try:
        kernel_text.parse_kernel(cells)
    except ValueError as error:
        st.session_state["convolution_edit_error"] = str(error)
        return
    st.session_state.pop("convolution_edit_error", None)
    st.session_state["convolution_kernel"] = kernel_text.kernel_to_text(cells)
    st.session_state["convolution_preset"] = CUSTOM


def choose_kernel() -> tuple[ChosenKernel, DeltaGenerator | None]:
    """Draw the kernel controls and editor, every control bound to the URL, and return the kernel in use.

    Returns
    -------
    chosen : ChosenKernel
    beside : container or None
        The free half of the row beside a 3 × 3 grid of cells, for the page to fill; None for larger kernels,
        whose cells take (nearly) the whole row.
    """
    row_one = st.columns([1.3, 1, 1, 0.8])
    row_two = st.columns([1, 1.5, 1.5])
    grid_slot = st.container()  # the cells, drawn once the size is known, above the one-line form

    preset = url_choice(row_one[0].selectbox, "Kernel preset", PRESET_LABELS, key="convolution_preset",
                        default=DEFAULT_PRESET, on_change=_remember_custom_start)
    # Drawn before the size control because a typed kernel decides the size.
    text = st.text_input(
        "The kernel as one line (this is what a link carries)", key="convolution_kernel", bind="query-params",
        on_change=_text_edited, placeholder="for example 1,2,1;0,0,0;-1,-2,-1",
        help="Rows separated by ; and cells by , — numbers such as 2, -0.5 or 1/9. Press Enter to use it.",
    )
    link_problem = typed_cells = None
    if preset == CUSTOM:
        try:
            weights = kernel_text.parse_kernel_text(text)
            typed_cells = [[cell.strip() for cell in row] for row in kernel_text.split_kernel_text(text)]
            st.session_state["convolution_size"] = str(weights.shape[0])
        except ValueError as error:
            link_problem = str(error)
            weights = conv.kernel_preset(DEFAULT_PRESET)
            st.session_state["convolution_size"] = "3"
        sizes = kernel_text.EDITOR_SIZES
    else:
        sizes = conv.PRESETS[preset].sizes
        if int(st.session_state.get("convolution_size", "3")) not in sizes:
            st.session_state["convolution_size"] = "3"
    with row_one[1]:
        size = int(url_choice(st.segmented_control, "Size", SIZE_LABELS, key="convolution_size", default="3",
                              disabled=len(sizes) == 1, on_change=_resize_custom))
        # A link may name a size the preset lacks, or disagree with a typed kernel: the kernel decides.
        size = weights.shape[0] if preset == CUSTOM else (size if size in sizes else 3)
        if len(sizes) == 1:
            st.caption(f"{PRESET_LABELS[preset]} is defined as 3 × 3 only.")
    sigma = row_one[2].slider("Gaussian σ (pixels)", 0.3, 5.0, 1.0, 0.1, key="convolution_sigma",
                              bind="query-params", disabled=preset != "gaussian",
                              help="Width of the bell curve; Gaussian preset only.")
    normalise = row_one[3].toggle("Normalise", key="convolution_normalise", bind="query-params",
                                  help="Divide every weight by the sum, so the weights add up to 1.")
    operation = row_two[0].radio("Operation", conv.OPERATIONS, key="convolution_op", bind="query-params",
                                 horizontal=True,
                                 help="cv2.filter2D computes correlation; convolution flips the kernel first.")
    border = url_choice(row_two[1].radio, "Border: values outside the image", BORDER_LABELS,
                        key="convolution_border", default="reflect", horizontal=True)
    mapping_choice = url_choice(row_two[2].radio, "Show signed results as", MAPPING_LABELS,
                                key="convolution_mapping", default="auto", horizontal=True)

    if preset != CUSTOM:
        weights = conv.kernel_preset(preset, size=size, sigma=sigma if preset == "gaussian" else None)
    kernel, normalised = weights, False
    if normalise:
        try:
            kernel, normalised = conv.normalize_kernel(weights), True
        except ValueError:
            pass
    st.session_state["convolution_last_text"] = kernel_text.kernel_to_text(kernel_text.kernel_cells(weights))

    # The editor: a form, so typing in a cell reruns nothing until Apply. -----------------------------------
    # Each cell wide enough to show a weight such as 0.075114 at 1280 px: half the row for 3 × 3, more for more.
    with grid_slot:
        grid_column, beside = st.columns([1, 1], gap="large") if size == 3 else (st.container(), None)
    with grid_column if size != 5 else grid_column.columns([3, 1])[0]:
        st.markdown(f"**Edit the weights** ({size} × {size}); press **Apply** to use them.")
        cells = typed_cells if typed_cells is not None else kernel_text.kernel_cells(weights)
        signature = (preset, size, sigma if preset == "gaussian" else None, text if preset == CUSTOM else None)
        if st.session_state.get("convolution_cells_for") != signature:
            for r, cells_row in enumerate(cells):
                for c, cell in enumerate(cells_row):
                    st.session_state[_cell_key(r, c)] = cell
            st.session_state["convolution_cells_for"] = signature
        with st.form("convolution_editor", border=True):
            for r in range(size):
                for c, column in enumerate(st.columns(size, gap="small")):
                    column.text_input(f"Weight row {r + 1}, column {c + 1}", key=_cell_key(r, c),
                                      label_visibility="collapsed", max_chars=24)
            st.form_submit_button("Apply", icon=":material/check:", on_click=_apply_cells, args=(size,),
                                  type="primary")
        if "convolution_edit_error" in st.session_state:
            st.warning("Not applied: every cell must be a number such as 2, -0.5 or 1/9 (the kernel in use did not "
                       "change).", icon=":material/edit_off:")
            st.text(st.session_state["convolution_edit_error"])  # quotes the learner's text: plain text only
    if link_problem is not None:
        st.warning(f"The kernel in the link could not be read, so the {PRESET_LABELS[DEFAULT_PRESET]} preset is "
                   "shown instead. The reason:", icon=":material/link_off:")
        st.text(link_problem)  # contains the learner's text: plain text only

    if preset != CUSTOM:
        name = PRESET_LABELS[preset]
    else:
        name = "your kernel" if link_problem is None else PRESET_LABELS[DEFAULT_PRESET]
    kind = conv.classify_kernel(kernel) if preset == CUSTOM else conv.PRESETS[preset].kind
    mapping = conv.suggested_mapping(kernel) if mapping_choice == "auto" else mapping_choice
    return ChosenKernel(preset, name, size, sigma if preset == "gaussian" else None, weights, kernel, normalise,
                        normalised, kind, operation, border, mapping_choice, mapping), beside


def number_table(values: np.ndarray, *, rows, cols, corner: str) -> str:
    """A grid of numbers as a Markdown table, each cell tinted by its sign: red above 0, blue below.

    Text, not a Plotly heatmap: the kernel panel, look closer and the flip redraw these on every kernel
    change, and a table costs the browser about a millisecond where a heatmap cost tens.

    Parameters
    ----------
    values : ndarray
        Finite numbers, shape ``(len(rows), len(cols))``.
    rows, cols : sequence
        Row and column labels.
    corner : str
        Text of the top-left cell (Markdown).
    """
    tint = {1: ":red-background[{}]", -1: ":blue-background[{}]", 0: "{}"}
    lines = [f"| {corner} | " + " | ".join(f"**{c}**" for c in cols) + " |", "|---:" * (len(cols) + 1) + "|"]
    for label, row in zip(rows, values):
        cells = (tint[int(np.sign(v))].format(kernel_text.format_table_number(float(v))) for v in row)
        lines.append(f"| **{label}** | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def kernel_table(kernel: np.ndarray) -> str:
    """A kernel's weights as a table indexed by offsets from the centre (row offset i, column offset j)."""
    offsets = range(-(kernel.shape[0] // 2), kernel.shape[0] // 2 + 1)
    return number_table(kernel, rows=offsets, cols=offsets, corner="i \\\\ j")
