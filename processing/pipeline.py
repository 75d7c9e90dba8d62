"""Pipelines: chains of the operations the lessons teach, as readable text and as plain code.

A pipeline is a sequence of steps. Each step has a type from `STEP_TYPES`, which says

* what it takes and what it gives, one of `KINDS`: a colour image, a grey image, a mask (bool),
  a label image (int32, 0 background, objects 1..N) or a table (pandas);
* its parameters (`Param`: name, type, range, default; the same limits as the lesson's controls);
* the processing function it calls (the lessons' own: ``filters.gaussian_blur``,
  ``threshold.otsu_selection``, ...) and which part of that function's result it passes on;
* the lesson that explains it;
* how to write it as plain OpenCV/NumPy/scikit-image code (`step_code`), which reproduces its
  output exactly (tests run the code and compare).

A pipeline travels as text a person can read, one step after another, separated by ``|``, each
step's settings after a colon (only those that differ from the defaults)::

    grey|gaussian:sigma=2|otsu|open:size=3|label

`parse` reads such text from an untrusted link. It never executes anything (a tiny grammar of
names and numbers, no ``eval``), never raises, and refuses what it cannot use piece by piece,
each with a note: an unknown step is left out, a setting it cannot use keeps its default.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

import cv2
import numpy as np
import pandas as pd

from processing import color, convolution, edges, filters, geometry, intensity, measure, morphology, restoration
from processing import segmentation, threshold
from processing._checks import check_image
from processing.arrays import window_around
from processing.display import to_uint8

__all__ = [
    "DEFAULT_TEXT", "KINDS", "KIND_NAMES", "MAX_STEPS", "MAX_TEXT", "STARTERS", "STEP_TYPES", "CloseUp", "Outcome",
    "Param", "Parsed", "Starter", "Step", "StepType", "apply", "arguments", "body_code", "change_share", "close_up",
    "code_imports", "colour_channel", "equalise", "fitting_types", "gradient_image", "kernel_filter", "kind_of",
    "make_step", "parse", "pick", "problem_with", "remove_small", "result_array", "run", "run_text", "script",
    "step_code", "to_grey", "to_text",
]

#: What a step takes and gives.
KINDS = ("colour", "grey", "mask", "labels", "table")
#: Each kind in words, for notes on the page.
KIND_NAMES = {"colour": "colour image", "grey": "grey image", "mask": "mask", "labels": "label image",
              "table": "table of measurements"}
#: Longest pipeline read from a link, in steps, and longest text read at all, in characters.
MAX_STEPS = 12
MAX_TEXT = 2000
#: Longest piece of a link repeated back in a note (the rest is cut).
SHOWN = 40
#: Errors a processing function raises for an input it cannot handle (OpenCV's own besides ValueError).
RUN_ERRORS = (ValueError, cv2.error)

_NAME = re.compile(r"[a-z][a-z0-9_]{0,30}")
_INT = re.compile(r"[+-]?[0-9]{1,7}")
_FLOAT = re.compile(r"[+-]?(?:[0-9]{1,7}(?:\.[0-9]{0,6})?|\.[0-9]{1,6})")
_TRUE, _FALSE = ("true", "yes", "on", "1"), ("false", "no", "off", "0")


def _shown(text: str) -> str:
    """Untrusted text cut to `SHOWN` characters, for a note (pages show notes as plain text)."""
    return text if len(text) <= SHOWN else text[:SHOWN] + "…"


def _decimals(step: float) -> int:
    """Decimal places of a slider step (0.05 -> 2, 0.5 -> 1, 1 -> 0)."""
    text = f"{step:.6f}".rstrip("0")
    return len(text.split(".")[1]) if "." in text else 0


# --------------------------------------------------------------------------- parameters


@dataclass(frozen=True)
class Param:
    """One setting of a step type, with the limits of the lesson control it mirrors.

    Attributes
    ----------
    name : str
        Its name in the pipeline text (``sigma``).
    label : str
        The control's label on the page.
    kind : {"int", "float", "choice", "bool"}
        A whole number or a number on a slider's grid (`low` + k `step`), one of `choices`, or on/off.
    default : int, float, str or bool
    low, high, step : float
        Range and grid of a number.
    choices : tuple of (str, str)
        (id, label) of each choice; the id is what the text carries.
    help : str
        One sentence for the control's tooltip.
    kinds : tuple of str
        The input kinds it matters for (empty: all); the page hides it for others.
    """

    name: str
    label: str
    kind: str
    default: Any
    low: float = 0
    high: float = 0
    step: float = 1
    choices: tuple[tuple[str, str], ...] = ()
    help: str = ""
    kinds: tuple[str, ...] = ()

    @property
    def decimals(self) -> int:
        """Decimal places of the grid (a float's step)."""
        return _decimals(self.step)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(choice for choice, _ in self.choices)

    def check(self, value: Any) -> Any:
        """`value` as this parameter holds it (an int, a float on the grid, a choice id or a bool).

        Raises
        ------
        ValueError
            In plain words, when the value is of the wrong type, outside the range, off the grid or not a choice.
        """
        if self.kind == "bool":
            if not isinstance(value, (bool, np.bool_)):
                raise ValueError(f"{self.name} must be true or false")
            return bool(value)
        if self.kind == "choice":
            if not isinstance(value, str) or value not in self.ids:
                raise ValueError(f"{self.name} must be one of {', '.join(self.ids)}")
            return value
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
            raise ValueError(f"{self.name} must be a number")
        number = float(value)
        if not math.isfinite(number) or not self.low - 1e-9 <= number <= self.high + 1e-9:
            raise ValueError(f"{self.name} must lie between {self.write(self.low)} and {self.write(self.high)}")
        steps = (number - self.low) / self.step
        if abs(steps - round(steps)) > 1e-6:
            raise ValueError(f"{self.name} must be {self.write(self.low)} plus a multiple of {self.write(self.step)}")
        if self.kind == "int":
            return int(round(number))
        return round(self.low + round(steps) * self.step, _decimals(self.step))

    def read(self, text: str) -> Any:
        """Read a value from the pipeline text (`check` rules; no exponents, names or expressions)."""
        text = text.strip().lower()
        if self.kind == "bool":
            if text in _TRUE or text in _FALSE:
                return text in _TRUE
            raise ValueError(f"{self.name} must be true or false")
        if self.kind == "choice":
            return self.check(text)
        pattern = _INT if self.kind == "int" else _FLOAT
        if not pattern.fullmatch(text):
            raise ValueError(f"{self.name} must be a {'whole ' if self.kind == 'int' else ''}number")
        return self.check(int(text) if self.kind == "int" else float(text))

    def write(self, value: Any) -> str:
        """`value` as the pipeline text writes it (`read` gives it back)."""
        if self.kind == "bool":
            return "true" if value else "false"
        if self.kind == "choice":
            return str(value)
        if self.kind == "int" or float(value).is_integer():
            return str(int(round(float(value))))
        return f"{float(value):.{max(_decimals(self.step), 1)}f}".rstrip("0").rstrip(".")

    def label_of(self, value: Any) -> str:
        """The value as the page names it (a choice's label)."""
        return dict(self.choices).get(value, self.write(value)) if self.kind == "choice" else self.write(value)


def _int(name, label, default, low, high, step=1, help=""):
    return Param(name, label, "int", default, low, high, step, help=help)


def _float(name, label, default, low, high, step, help=""):
    return Param(name, label, "float", default, low, high, step, help=help)


def _choice(name, label, default, choices, help=""):
    return Param(name, label, "choice", default, choices=tuple(choices), help=help)


def _bool(name, label, default=False, help=""):
    return Param(name, label, "bool", default, help=help)


# --------------------------------------------------------------------------- step types


@dataclass(frozen=True)
class StepType:
    """One kind of step: what it takes and gives, its settings, the function it calls and its code.

    Attributes
    ----------
    name : str
        Its name in the pipeline text (``gaussian``).
    title : str
        Its name on the page (``Gaussian blur``).
    group : str
        Where the page lists it (``Smoothing``).
    lesson : str
        Slug of the lesson that explains it.
    summary : str
        One sentence: what it does.
    inputs : tuple of str
        The `KINDS` it accepts.
    output : str or None
        The kind it gives; None: the same kind as its input.
    params : tuple of Param
    function : callable
        The processing function it calls, with the input first.
    arguments : callable
        Settings (a dict by `Param.name`) and input kind -> keyword arguments of `function`.
    pick : str, int or None
        Which part of `function`'s result is the output: an attribute (``"mask"``), an index, or None
        for the result itself.
    code : callable
        (settings, input name, output name, input kind) -> plain code lines; see `step_code`.
    imports : tuple of str
        Import lines its code needs besides ``cv2`` and ``numpy as np``.
    helpers : str
        Function definitions its code calls, written once at the top of a script.
    check : callable or None
        (settings) -> why these settings cannot run, in plain words, or None.
    """

    name: str
    title: str
    group: str
    lesson: str
    summary: str
    inputs: tuple[str, ...]
    output: str | None
    params: tuple[Param, ...]
    function: Callable[..., Any]
    arguments: Callable[[dict, str], dict]
    pick: str | int | None
    code: Callable[[dict, str, str, str], str]
    imports: tuple[str, ...] = ()
    helpers: str = ""
    check: Callable[[dict], str | None] | None = None

    def params_by_name(self) -> dict[str, Param]:
        return {param.name: param for param in self.params}

    def output_kind(self, kind: str) -> str:
        return self.output or kind


def _same(names: Sequence[str] = ()) -> Callable[[dict, str], dict]:
    """Settings passed on under the same names (all of them when `names` is empty)."""
    return lambda values, kind: {name: values[name] for name in (names or values)}


# ---- functions that join two or three processing calls into one step ------------------------------------


def to_grey(image: np.ndarray, *, method: str = "luminance") -> np.ndarray:
    """The grey version of an image: RGB with `color.to_gray` (`method`), grey returned as it is.

    Parameters
    ----------
    image : ndarray of uint8, shape (H, W) or (H, W, 3)
    method : {"luminance", "average"}

    Returns
    -------
    ndarray of uint8, shape (H, W)
    """
    check_image(image)
    return image if image.ndim == 2 else color.to_gray(image, method=method)


#: The channels `colour_channel` picks: (colour space, index, label).
CHANNELS = {"red": ("rgb", 0, "Red"), "green": ("rgb", 1, "Green"), "blue": ("rgb", 2, "Blue"),
            "saturation": ("hsv", 1, "Saturation (HSV)"), "value": ("hsv", 2, "Value (HSV)"),
            "lightness": ("lab", 0, "Lightness L (LAB)")}


def colour_channel(image: np.ndarray, *, channel: str) -> np.ndarray:
    """One channel of an RGB image (or of its HSV or LAB version) as a grey image.

    Parameters
    ----------
    image : ndarray of uint8, shape (H, W, 3)
    channel : {"red", "green", "blue", "saturation", "value", "lightness"}
        See `CHANNELS`; OpenCV's 8-bit ranges (`color.convert_color`).

    Returns
    -------
    ndarray of uint8, shape (H, W)
    """
    if channel not in CHANNELS:
        raise ValueError(f"channel must be one of {', '.join(CHANNELS)}; got {channel!r}")
    space, index, _ = CHANNELS[channel]
    return np.ascontiguousarray(color.convert_color(image, space=space)[..., index])


def equalise(image: np.ndarray) -> intensity.PointResult:
    """Histogram equalisation: `intensity.equalize_histogram` for grey, `intensity.equalize_color` on the
    lightness for colour (hues stay put).

    Returns
    -------
    PointResult
        ``image`` (uint8, same shape) and the curve ``lut`` (uint8, (256,)).
    """
    check_image(image)
    return intensity.equalize_histogram(image) if image.ndim == 2 else intensity.equalize_color(image)


def kernel_filter(image: np.ndarray, *, kernel: np.ndarray, mapping: str = "clip") -> np.ndarray:
    """Correlate with a kernel (`convolution.filter_image`, borders reflected) and map the signed result to
    uint8 (`convolution.to_display`).

    Parameters
    ----------
    image : ndarray of uint8, shape (H, W) or (H, W, 3)
    kernel : ndarray, shape (k, k)
        For example ``convolution.kernel_preset("sharpen")``.
    mapping : {"clip", "abs", "offset"}
        How values outside 0-255 are shown (see `convolution.to_display`).

    Returns
    -------
    ndarray of uint8, same shape as `image`
    """
    if mapping == "wrap":
        raise ValueError("mapping must be clip, abs or offset; wrap is the pitfall the convolution lesson shows")
    return convolution.to_display(convolution.filter_image(image, kernel), mapping=mapping)


def gradient_image(gray: np.ndarray, *, operator: str = "sobel", scale: float = 0.25) -> np.ndarray:
    """The gradient magnitude ``sqrt(gx² + gy²)`` (`edges.gradients`, `edges.gradient_magnitude`) times
    `scale`, as uint8 (`processing.display.to_uint8`: rounded, clipped at 255).

    Parameters
    ----------
    gray : ndarray of uint8, shape (H, W)
    operator : {"sobel", "prewitt", "scharr"}
    scale : float
        0.01 to 10. Sobel magnitudes reach about 1,443, so 0.25 keeps most edges below white.

    Returns
    -------
    ndarray of uint8, shape (H, W)
    """
    if not 0.01 <= scale <= 10:
        raise ValueError(f"scale must lie between 0.01 and 10, got {scale}")
    magnitude = edges.gradient_magnitude(*edges.gradients(gray, operator=operator))
    return to_uint8(magnitude.astype(np.float64) * scale)


def remove_small(image: np.ndarray, *, min_area: int, connectivity: int = 8) -> np.ndarray:
    """Remove objects of fewer than `min_area` pixels from a mask or a label image.

    Parameters
    ----------
    image : ndarray of bool or int, shape (H, W)
        A mask (objects: connected groups of True pixels, `segmentation.connected_components` with
        `connectivity`) or a label image (objects: labels; renumbered 1..N by `segmentation.drop_small`).
    min_area : int
        Smallest area kept, 0 to 10**9 (0 and 1 keep everything).
    connectivity : {4, 8}
        For a mask: the neighbours that join pixels into one object.

    Returns
    -------
    ndarray, same dtype and shape
    """
    if isinstance(image, np.ndarray) and image.dtype == bool:
        labels, _ = segmentation.connected_components(image, connectivity=connectivity)
        return segmentation.drop_small(labels, min_area=min_area)[0] > 0
    return segmentation.drop_small(image, min_area=min_area)[0]


def result_array(output: Any) -> np.ndarray:
    """A pipeline's final output as an array for a code panel: arrays as they are, a table's numbers as float64
    (``table.to_numpy(dtype=float)``, True as 1)."""
    if isinstance(output, pd.DataFrame):
        return output.to_numpy(dtype=np.float64)
    return output


# ---- the plain code of each step --------------------------------------------------------------------------

def _lut(expression: str, src: str, dst: str) -> str:
    return (f"lut = np.clip(np.rint({expression}), 0, 255).astype(np.uint8)  # the transfer curve\n"
            f"{dst} = cv2.LUT({src}, lut)")


def _on_lightness(call: str, src: str, dst: str) -> str:
    return (f"lab = cv2.cvtColor({src}, cv2.COLOR_RGB2LAB)\n"
            f"lab[:, :, 0] = {call.format('np.ascontiguousarray(lab[:, :, 0])')}  # L only: the colours stay\n"
            f"{dst} = cv2.cvtColor(lab, cv2.COLOR_LAB2RGB)")


def _code_grey(v, src, dst, kind):
    if kind == "grey":
        return f"{dst} = {src}  # already grey"
    if v["method"] == "average":
        return f"{dst} = cv2.transform({src}, np.full((1, 3), 1 / 3))  # (R + G + B) / 3, rounded"
    return f"{dst} = cv2.cvtColor({src}, cv2.COLOR_RGB2GRAY)  # 0.299 R + 0.587 G + 0.114 B"


def _code_channel(v, src, dst, kind):
    space, index, label = CHANNELS[v["channel"]]
    if space == "rgb":
        return f"{dst} = np.ascontiguousarray({src}[:, :, {index}])  # {label.lower()}"
    return f"{dst} = np.ascontiguousarray(cv2.cvtColor({src}, cv2.COLOR_RGB2{space.upper()})[:, :, {index}])  # {label}"


_CV_INTERPOLATION = {"nearest": "cv2.INTER_NEAREST", "linear": "cv2.INTER_LINEAR", "cubic": "cv2.INTER_CUBIC",
                     "area": "cv2.INTER_AREA", "lanczos": "cv2.INTER_LANCZOS4"}


def _code_resize(v, src, dst, kind):
    factor = v["factor"]
    return (f"height, width = {src}.shape[:2]\n"
            f"{dst} = cv2.resize({src}, (max(1, round(width * {factor!r})), max(1, round(height * {factor!r}))), "
            f"interpolation={_CV_INTERPOLATION[v['interpolation']]})")


def _code_linear(v, src, dst, kind):
    return _lut(f"{v['a']!r} * np.arange(256) + {v['b']}", src, dst)


def _code_gamma(v, src, dst, kind):
    return _lut(f"255.0 * (np.arange(256) / 255.0) ** {v['gamma']!r}", src, dst)


def _code_invert(v, src, dst, kind):
    return f"{dst} = 255 - {src}"


def _code_stretch(v, src, dst, kind):
    return (f'low, high = np.percentile({src}, [{v["low"]!r}, {v["high"]!r}], method="inverted_cdf")\n'
            f"if high > low:\n"
            f"    lut = np.clip(np.rint((np.arange(256) - low) * 255.0 / (high - low)), 0, 255).astype(np.uint8)\n"
            f"else:  # both percentiles fall on one level: nothing to stretch\n"
            f"    lut = np.arange(256, dtype=np.uint8)\n"
            f"{dst} = cv2.LUT({src}, lut)")


def _code_equalise(v, src, dst, kind):
    if kind == "grey":
        return f"{dst} = cv2.equalizeHist({src})"
    return _on_lightness("cv2.equalizeHist({})", src, dst)


def _code_clahe(v, src, dst, kind):
    call = f"cv2.createCLAHE(clipLimit={v['clip']!r}, tileGridSize=({v['tiles']}, {v['tiles']})).apply" + "({})"
    if kind == "grey":
        return f"{dst} = {call.format(src)}"
    return _on_lightness(call, src, dst)


def _code_box(v, src, dst, kind):
    return f"{dst} = cv2.blur({src}, ({v['size']}, {v['size']}))"


def _code_gaussian(v, src, dst, kind):
    return f"{dst} = cv2.GaussianBlur({src}, (0, 0), {v['sigma']!r})  # window from sigma"


def _code_median(v, src, dst, kind):
    return f"{dst} = cv2.medianBlur({src}, {v['size']})"


#: The bilateral filter's spatial sigma in pixels, fixed as in the smoothing lesson.
BILATERAL_SIGMA_SPACE = 75.0


def _code_bilateral(v, src, dst, kind):
    sigmas = f"{float(v['sigma_colour'])!r}, {BILATERAL_SIGMA_SPACE!r}"
    return f"{dst} = cv2.bilateralFilter({src}, {v['diameter']}, {sigmas})  # sigma colour, sigma space"


_ADAPTIVE_MEDIAN = '''def rank_filters(image, size):
    """Minimum, median and maximum of every size x size neighbourhood, borders mirrored."""
    r = size // 2
    padded = np.pad(image, r, mode="symmetric")
    inner = (slice(r, r + image.shape[0]), slice(r, r + image.shape[1]))
    square = np.ones((size, size), np.uint8)
    return cv2.erode(padded, square)[inner], cv2.medianBlur(padded, size)[inner], cv2.dilate(padded, square)[inner]


def adaptive_median(image, max_size):
    """Gonzalez & Woods: grow the window until its median is not an extreme, then replace only impulses."""
    result = np.zeros_like(image)
    undecided = np.ones(image.shape, bool)
    for size in range(3, max_size + 1, 2):
        low, median, high = rank_filters(image, size)
        trusted = undecided & (low < median) & (median < high)
        keep = (low < image) & (image < high)
        result[trusted] = np.where(keep, image, median)[trusted]
        undecided &= ~trusted
        if size == max_size:
            result[undecided] = median[undecided]
    return result
'''


def _code_adaptive_median(v, src, dst, kind):
    return f"{dst} = adaptive_median({src}, {v['max_size']})"


KERNELS = ("box", "gaussian", "sharpen", "emboss", "outline", "sobel_x", "sobel_y", "laplacian")


def _kernel_literal(kernel: np.ndarray) -> str:
    rows = ", ".join("[" + ", ".join(f"{value!r}" for value in row) + "]" for row in kernel.tolist())
    return f"np.array([{rows}])"


def _code_kernel(v, src, dst, kind):
    kernel = convolution.kernel_preset(v["kernel"], size=v["size"])
    mapped = {"clip": "values", "abs": "np.abs(values)", "offset": "values + 128"}[v["mapping"]]
    return (f"kernel = {_kernel_literal(kernel)}  # {v['kernel']}, {v['size']} x {v['size']}\n"
            f"values = cv2.filter2D({src}.astype(np.float64), -1, kernel, borderType=cv2.BORDER_REFLECT_101)\n"
            f"{dst} = np.clip(np.rint({mapped}), 0, 255).astype(np.uint8)  # signed values shown: {v['mapping']}")


def _code_magnitude(v, src, dst, kind):
    operator = v["operator"]
    if operator == "sobel":
        derivatives = (f"gx = cv2.Sobel({src}, cv2.CV_32F, 1, 0, ksize=3)\n"
                       f"gy = cv2.Sobel({src}, cv2.CV_32F, 0, 1, ksize=3)\n")
    elif operator == "scharr":
        derivatives = f"gx = cv2.Scharr({src}, cv2.CV_32F, 1, 0)\ngy = cv2.Scharr({src}, cv2.CV_32F, 0, 1)\n"
    else:
        derivatives = ("kx = np.array([[-1.0, 0.0, 1.0], [-1.0, 0.0, 1.0], [-1.0, 0.0, 1.0]])  # Prewitt\n"
                       f"gx = cv2.filter2D({src}, cv2.CV_32F, kx)\ngy = cv2.filter2D({src}, cv2.CV_32F, kx.T.copy())\n")
    return (derivatives + "magnitude = np.hypot(gx, gy).astype(np.float64)  # the gradient's length\n"
            f"{dst} = np.clip(np.rint(magnitude * {v['scale']!r}), 0, 255).astype(np.uint8)")


def _code_canny(v, src, dst, kind):
    smooth = f"{src}.copy()" if v["sigma"] == 0 else f"cv2.GaussianBlur({src}, (0, 0), {v['sigma']!r})"
    return f"{dst} = cv2.Canny({smooth}, {float(v['low'])!r}, {float(v['high'])!r}, L2gradient=True) > 0"


def _code_threshold(v, src, dst, kind):
    return f"{dst} = {src} {'<=' if v['dark'] else '>'} {v['t']}  # True: selected"


def _code_otsu(v, src, dst, kind):
    return (f"t, _ = cv2.threshold({src}, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)  # Otsu's t\n"
            f"{dst} = {src} {'<=' if v['dark'] else '>'} t")


def _code_adaptive(v, src, dst, kind):
    method = "cv2.ADAPTIVE_THRESH_MEAN_C" if v["method"] == "mean" else "cv2.ADAPTIVE_THRESH_GAUSSIAN_C"
    kind_flag = "cv2.THRESH_BINARY_INV" if v["dark"] else "cv2.THRESH_BINARY"
    return f"{dst} = cv2.adaptiveThreshold({src}, 255, {method}, {kind_flag}, {v['block']}, {v['offset']}) > 0"


_CV_SHAPES = {"rectangle": "cv2.MORPH_RECT", "ellipse": "cv2.MORPH_ELLIPSE", "cross": "cv2.MORPH_CROSS"}


def _morphology_code(operation: str) -> Callable[[dict, str, str, str], str]:
    def code(v, src, dst, kind):
        element = f"element = cv2.getStructuringElement({_CV_SHAPES[v['shape']]}, ({v['size']}, {v['size']}))\n"
        call = f"cv2.MORPH_{operation.upper()}, element, iterations={v['iterations']}"
        if kind == "mask":
            return element + f"{dst} = cv2.morphologyEx({src}.astype(np.uint8), {call}) > 0"
        return element + f"{dst} = cv2.morphologyEx({src}, {call})"
    return code


def _code_fill(v, src, dst, kind):
    return f"{dst} = ndi.binary_fill_holes({src})  # enclosed background becomes object"


def _code_small(v, src, dst, kind):
    if kind == "mask":
        return (f"_, objects = cv2.connectedComponents({src}.astype(np.uint8), connectivity={v['connectivity']}, "
                "ltype=cv2.CV_32S)\n"
                "areas = np.bincount(objects.ravel())  # pixels per object (0: background)\n"
                f"{dst} = (objects > 0) & (areas[objects] >= {v['min_area']})")
    return (f"areas = np.bincount({src}.ravel())  # pixels per label (0: background)\n"
            f"keep = np.flatnonzero(areas[1:] >= {v['min_area']}) + 1\n"
            "renumber = np.zeros(len(areas), np.int32)\n"
            "renumber[keep] = np.arange(1, len(keep) + 1)\n"
            f"{dst} = renumber[{src}]  # 0 background, objects 1..N")


def _code_label(v, src, dst, kind):
    return (f"_, {dst} = cv2.connectedComponents({src}.astype(np.uint8), connectivity={v['connectivity']}, "
            "ltype=cv2.CV_32S)  # 0 background, objects 1..N")


def _code_watershed(v, src, dst, kind):
    if v["markers"] == "peaks":
        markers = (
            "_, parts = cv2.connectedComponents(mask, connectivity=8, ltype=cv2.CV_32S)\n"
            f"peaks = peak_local_max(distance, min_distance={v['min_distance']}, labels=parts, exclude_border=False)\n"
            "missing = np.setdiff1d(np.arange(1, parts.max() + 1), parts[tuple(peaks.T)])  # flat: no peak\n"
            "if missing.size:\n"
            "    extra = ndi.maximum_position(distance, parts, missing)\n"
            "    peaks = np.vstack([peaks, np.array(extra, dtype=peaks.dtype).reshape(-1, 2)])\n"
            "markers = np.zeros(mask.shape, np.int32)\n"
            "markers[tuple(peaks.T)] = np.arange(1, len(peaks) + 1)\n")
    else:
        markers = (f"sure = (distance > {v['fraction']!r} * distance.max()).astype(np.uint8)  # sure foreground\n"
                   "_, markers = cv2.connectedComponents(sure, connectivity=8, ltype=cv2.CV_32S)\n")
    return (f"mask = {src}.astype(np.uint8)\n"
            "if mask.all():  # no background: measure to just outside the image\n"
            "    padded = cv2.copyMakeBorder(mask, 1, 1, 1, 1, cv2.BORDER_CONSTANT, value=0)\n"
            "    distance = cv2.distanceTransform(padded, cv2.DIST_L2, cv2.DIST_MASK_PRECISE)[1:-1, 1:-1]\n"
            "else:\n"
            "    distance = cv2.distanceTransform(mask, cv2.DIST_L2, cv2.DIST_MASK_PRECISE)\n"
            + markers
            + f"{dst} = watershed(-distance, markers, connectivity=2, mask=mask > 0).astype(np.int32)")


_MEASURE = '''def measure(labels):
    """One row per object: area, perimeter, centroid, box, diameter, eccentricity, circularity, border contact."""
    props = regionprops_table(labels, properties=("label", "area", "perimeter", "centroid", "bbox",
                                                  "equivalent_diameter_area", "eccentricity"))
    height, width = labels.shape
    table = pd.DataFrame({
        "label": props["label"], "area": props["area"], "perimeter": props["perimeter"],
        "centroid_row": props["centroid-0"], "centroid_col": props["centroid-1"],
        "bbox_min_row": props["bbox-0"], "bbox_min_col": props["bbox-1"],
        "bbox_max_row": props["bbox-2"], "bbox_max_col": props["bbox-3"],
        "equivalent_diameter": props["equivalent_diameter_area"], "eccentricity": props["eccentricity"]})
    with np.errstate(divide="ignore"):  # one pixel has perimeter 0: circularity 1
        table["circularity"] = np.minimum(4 * np.pi * table["area"] / table["perimeter"] ** 2, 1.0)
    table["touches_border"] = ((table["bbox_min_row"] == 0) | (table["bbox_min_col"] == 0)
                               | (table["bbox_max_row"] == height) | (table["bbox_max_col"] == width))
    return table
'''


def _code_measure(v, src, dst, kind):
    return f"{dst} = measure({src})  # a pandas table, one row per object"


# ---- checks in plain words ----------------------------------------------------------------------------------

def _check_stretch(v):
    if v["low"] >= v["high"]:
        return (f"the low percentile ({v['low']:g}) must be below the high one ({v['high']:g}): there is no range "
                "to stretch between them")
    return None


def _check_kernel(v):
    sizes = convolution.PRESETS[v["kernel"]].sizes
    if v["size"] not in sizes:
        return (f"the {v['kernel'].replace('_', ' ')} kernel exists only as "
                + " or ".join(f"{s} × {s}" for s in sizes) + f", not {v['size']} × {v['size']}")
    return None


def _check_canny(v):
    if v["low"] > v["high"]:
        return (f"the low threshold ({v['low']}) must not be above the high one ({v['high']}): hysteresis keeps "
                "strong edges above high and weak ones above low")
    return None


# ---- the registry -------------------------------------------------------------------------------------------

_IMAGES = ("colour", "grey")
_SIZES = dict(low=3, high=15, step=2)
_CONNECTIVITY = _choice("connectivity", "Neighbours", "8", (("8", "8 (corners touch)"), ("4", "4 (edges only)")),
                        help="Which neighbours join pixels into one object.")
_DARK = _bool("dark", "Objects are darker", help="Select pixels at or below the threshold (dark objects) instead of "
              "above it.")
_MORPHOLOGY = {
    "erode": ("Erode", "Shrinks white regions: keeps a pixel only where the element fits inside them."),
    "dilate": ("Dilate", "Grows white regions by the element."),
    "open": ("Open", "Erode, then dilate: removes specks smaller than the element."),
    "close": ("Close", "Dilate, then erode: fills gaps and holes smaller than the element."),
    "gradient": ("Morphological gradient", "Dilate minus erode: the outlines."),
    "tophat": ("Top-hat", "Image minus its opening: small bright details on an uneven background."),
    "blackhat": ("Black-hat", "Closing minus the image: small dark details (text on paper) turned bright."),
}


def _morphology_type(operation: str) -> StepType:
    title, summary = _MORPHOLOGY[operation]
    return StepType(
        "morph_gradient" if operation == "gradient" else operation, title, "Morphology", "morphology", summary,
        ("mask", "grey"), None,
        (_int("size", "Element size (pixels)", 5, 1, 51, 2, "Side of the structuring element; odd: it has a centre."),
         _choice("shape", "Element shape", "ellipse", (("rectangle", "Rectangle"), ("ellipse", "Ellipse"),
                                                         ("cross", "Cross"))),
         _int("iterations", "Iterations", 1, 1, 10, help="As in OpenCV: open twice erodes twice, then dilates twice.")),
        morphology.apply_morphology,
        lambda v, kind, op=operation: {"operation": op, "iterations": v["iterations"],
                                       "footprint": morphology.structuring_element(v["shape"], size=v["size"])},
        None, _morphology_code(operation))


STEP_TYPES: dict[str, StepType] = {t.name: t for t in (
    StepType("grey", "Colour to grey", "Colour and size", "colour",
             "One number per pixel: a weighted sum of red, green and blue (a grey image passes unchanged).",
             _IMAGES, "grey",
             (_choice("method", "Weights", "luminance", (("luminance", "Luminance 0.299 R + 0.587 G + 0.114 B"),
                                                         ("average", "Average (R + G + B) / 3"))),),
             to_grey, _same(), None, _code_grey),
    StepType("channel", "One colour channel", "Colour and size", "colour",
             "Keep one channel of RGB, HSV or LAB as a grey image.",
             ("colour",), "grey",
             (_choice("channel", "Channel", "red", tuple((k, label) for k, (_, _, label) in CHANNELS.items())),),
             colour_channel, _same(), None, _code_channel),
    StepType("resize", "Resize", "Colour and size", "geometry", "Scale the image by a factor, keeping its shape.",
             _IMAGES, None,
             (_float("factor", "Scale by", 0.5, 0.1, 2.0, 0.05),
              _choice("interpolation", "Interpolation", "area",
                      (("nearest", "Nearest neighbour"), ("linear", "Linear"), ("cubic", "Cubic"), ("area", "Area"),
                       ("lanczos", "Lanczos")), help="Area averages the covered pixels: the right choice to shrink.")),
             geometry.scale, _same(), None, _code_resize),
    StepType("linear", "Brightness and contrast", "Point operations", "histograms",
             "out = a · in + b, clipped to 0-255.", _IMAGES, None,
             (_float("a", "Contrast a", 1.5, 0.0, 3.0, 0.05), _int("b", "Brightness b", -40, -128, 128)),
             intensity.adjust_brightness_contrast, lambda v, k: {"contrast": v["a"], "brightness": v["b"]}, "image",
             _code_linear),
    StepType("gamma", "Gamma", "Point operations", "histograms", "out = 255 · (in / 255)^γ: γ < 1 lifts shadows.",
             _IMAGES, None, (_float("gamma", "Gamma", 0.5, 0.2, 5.0, 0.05),),
             intensity.adjust_gamma, _same(), "image", _code_gamma),
    StepType("invert", "Negative", "Point operations", "histograms", "out = 255 − in: dark objects become bright.",
             _IMAGES, None, (), intensity.invert, _same(), "image", _code_invert),
    StepType("stretch", "Stretch contrast", "Point operations", "histograms",
             "Send two percentiles to 0 and 255, in a straight line.", _IMAGES, None,
             (_float("low", "Low percentile (to 0)", 2.0, 0.0, 100.0, 0.5),
              _float("high", "High percentile (to 255)", 98.0, 0.0, 100.0, 0.5)),
             intensity.stretch_contrast, lambda v, k: {"low_percentile": v["low"], "high_percentile": v["high"]},
             "image", _code_stretch, check=_check_stretch),
    StepType("equalise", "Equalise the histogram", "Point operations", "histograms",
             "Spread the levels so each is used about equally (colour: the lightness only).", _IMAGES, None, (),
             equalise, _same(), "image", _code_equalise),
    StepType("clahe", "CLAHE (local equalisation)", "Point operations", "histograms",
             "Equalise tile by tile, with the contrast gain capped.", _IMAGES, None,
             (_float("clip", "Clip limit", 2.0, 0.5, 10.0, 0.5), _int("tiles", "Tiles per side", 8, 1, 16)),
             intensity.clahe, lambda v, k: {"clip_limit": v["clip"], "tile_grid": (v["tiles"], v["tiles"])}, None,
             _code_clahe),
    StepType("box", "Box blur", "Smoothing", "smoothing", "The plain mean of each window.", _IMAGES, None,
             (_int("size", "Window (pixels)", 5, **_SIZES),), filters.box_blur, _same(), None, _code_box),
    StepType("gaussian", "Gaussian blur", "Smoothing", "smoothing", "A weighted mean: near pixels count more.",
             _IMAGES, None, (_float("sigma", "Gaussian σ (px)", 1.0, 0.3, 5.0, 0.1),),
             filters.gaussian_blur, _same(), None, _code_gaussian),
    StepType("median", "Median filter", "Smoothing", "smoothing",
             "The middle value of each window: removes salt and pepper, keeps edges.", _IMAGES, None,
             (_int("size", "Window (pixels)", 5, **_SIZES),), filters.median_blur, _same(), None, _code_median),
    StepType("bilateral", "Bilateral filter", "Smoothing", "smoothing",
             "Averages only neighbours of a similar level: smooths regions, keeps edges.", _IMAGES, None,
             (_int("diameter", "Bilateral d (px)", 9, **_SIZES),
              _int("sigma_colour", "Bilateral σ colour", 75, 5, 150, 5)),
             filters.bilateral_filter,
             lambda v, k: {"diameter": v["diameter"], "sigma_color": float(v["sigma_colour"]),
                           "sigma_space": BILATERAL_SIGMA_SPACE}, None, _code_bilateral),
    StepType("adaptive_median", "Adaptive median", "Smoothing", "restoration",
             "A median whose window grows until it is not an impulse; replaces only impulses.", ("grey",), None,
             (_int("max_size", "Largest window (pixels)", 7, **_SIZES),),
             restoration.adaptive_median, _same(), None, _code_adaptive_median, helpers=_ADAPTIVE_MEDIAN),
    StepType("kernel", "A kernel (convolution)", "Filtering", "convolution",
             "Slide a small table of weights over the image (correlation, borders reflected).", _IMAGES, None,
             (_choice("kernel", "Kernel", "sharpen", tuple((k, k.replace("_", " ").capitalize()) for k in KERNELS)),
              _int("size", "Kernel size", 3, 3, 7, 2),
              _choice("mapping", "Values outside 0-255", "clip", (("clip", "Clip"), ("abs", "Absolute value"),
                                                                 ("offset", "Offset +128")))),
             kernel_filter,
             lambda v, k: {"kernel": convolution.kernel_preset(v["kernel"], size=v["size"]), "mapping": v["mapping"]},
             None, _code_kernel, check=_check_kernel),
    StepType("magnitude", "Gradient magnitude", "Edges", "edges",
             "How steeply the grey level changes at each pixel: edges are bright.", ("grey",), "grey",
             (_choice("operator", "Derivative kernels", "sobel", (("sobel", "Sobel"), ("prewitt", "Prewitt"),
                                                                  ("scharr", "Scharr"))),
              _float("scale", "Scale (grey level per unit)", 0.25, 0.05, 1.0, 0.05,
                     "Magnitudes reach ~1,443 for Sobel: scaled, then clipped at 255.")),
             gradient_image, _same(), None, _code_magnitude),
    StepType("canny", "Canny edges", "Edges", "edges", "Thin, connected edges: smooth, gradient, thin, hysteresis.",
             ("grey",), "mask",
             (_float("sigma", "Smoothing σ (px)", 1.4, 0.0, 5.0, 0.1),
              _int("low", "Low threshold", 40, 0, 800), _int("high", "High threshold", 120, 0, 800)),
             edges.canny_opencv, lambda v, k: {"sigma": v["sigma"], "low": float(v["low"]), "high": float(v["high"])},
             None, _code_canny, check=_check_canny),
    StepType("threshold", "Threshold (manual)", "Thresholds", "thresholding",
             "Select the pixels above t (or at or below it, for dark objects).", ("grey",), "mask",
             (_int("t", "Threshold t", 128, 0, 255), _DARK),
             threshold.manual_threshold, lambda v, k: {"threshold": v["t"], "dark_objects": v["dark"]}, "mask",
             _code_threshold),
    StepType("otsu", "Threshold (Otsu)", "Thresholds", "thresholding",
             "The threshold that separates the histogram's two classes best.", ("grey",), "mask", (_DARK,),
             threshold.otsu_selection, lambda v, k: {"dark_objects": v["dark"]}, "mask", _code_otsu),
    StepType("adaptive", "Threshold (adaptive)", "Thresholds", "thresholding",
             "Compare each pixel with the mean of its own neighbourhood: copes with uneven light.", ("grey",), "mask",
             (_choice("method", "Local mean", "mean", (("mean", "Mean"), ("gaussian", "Gaussian"))),
              _int("block", "Block size (pixels)", 35, 3, 255, 2), _int("offset", "Offset C", 10, -30, 30), _DARK),
             threshold.adaptive_threshold,
             lambda v, k: {"method": v["method"], "block_size": v["block"], "offset": v["offset"],
                           "dark_objects": v["dark"]}, None, _code_adaptive),
    *(_morphology_type(operation) for operation in _MORPHOLOGY),
    StepType("fill", "Fill holes", "Objects", "segmentation",
             "Background enclosed by an object becomes object.", ("mask",), None, (),
             segmentation.fill_holes, _same(), None, _code_fill, imports=("import scipy.ndimage as ndi",)),
    StepType("small", "Remove small objects", "Objects", "segmentation",
             "Drop objects of fewer pixels than the smallest area.", ("mask", "labels"), None,
             (_int("min_area", "Smallest object (pixels)", 50, 0, 500, 5),
              replace(_CONNECTIVITY, kinds=("mask",),
                      help="Which neighbours join mask pixels into one object (a label image has its objects).")),
             remove_small, lambda v, k: {"min_area": v["min_area"], "connectivity": int(v["connectivity"])}, None,
             _code_small),
    StepType("label", "Connected components", "Objects", "segmentation",
             "Number each connected group of mask pixels: 0 background, objects 1..N.", ("mask",), "labels",
             (_CONNECTIVITY,), segmentation.connected_components, lambda v, k: {"connectivity": int(v["connectivity"])},
             0, _code_label),
    StepType("watershed", "Watershed split", "Objects", "segmentation",
             "Split touching round objects along the necks of the distance map.", ("mask",), "labels",
             (_choice("markers", "Markers", "peaks", (("peaks", "Peaks of the distance"),
                                                      ("threshold", "Threshold on the distance"))),
              _int("min_distance", "Smallest distance between peaks (pixels)", 10, 1, 60),
              _float("fraction", "Marker threshold (share of the largest distance)", 0.5, 0.05, 0.95, 0.05)),
             segmentation.watershed_split,
             lambda v, k: {"markers": v["markers"], "min_distance": v["min_distance"], "threshold": v["fraction"]},
             "labels", _code_watershed,
             imports=("import scipy.ndimage as ndi", "from skimage.feature import peak_local_max",
                      "from skimage.segmentation import watershed")),
    StepType("measure", "Measure the objects", "Objects", "measuring",
             "A table with one row per object: area, perimeter, centroid, shape.", ("labels",), "table", (),
             measure.measure_regions, _same(), None, _code_measure,
             imports=("import pandas as pd", "from skimage.measure import regionprops_table"), helpers=_MEASURE),
)}

#: The groups of `STEP_TYPES`, in the order the page lists them.
GROUPS = tuple(dict.fromkeys(t.group for t in STEP_TYPES.values()))


# --------------------------------------------------------------------------- steps and their text


@dataclass(frozen=True)
class Step:
    """One step of a pipeline: a type's name and every one of its settings, in the type's order.

    Attributes
    ----------
    name : str
        A key of `STEP_TYPES`.
    values : tuple of (str, value)
        (parameter name, value) for each of the type's parameters.
    """

    name: str
    values: tuple[tuple[str, Any], ...] = ()

    @property
    def type(self) -> StepType:
        return STEP_TYPES[self.name]

    @property
    def settings(self) -> dict[str, Any]:
        return dict(self.values)

    def replace(self, name: str, value: Any) -> Step:
        """This step with one setting changed (checked against the parameter's limits)."""
        param = self.type.params_by_name()[name]
        return Step(self.name, tuple((key, param.check(value) if key == name else old) for key, old in self.values))

    def describe(self) -> str:
        """The step's title and the settings that differ from the defaults, for captions."""
        changed = [(param.label if value else f"not: {param.label}") if param.kind == "bool"
                   else f"{param.label.split(' (')[0]} {param.label_of(value)}"
                   for param, (_, value) in zip(self.type.params, self.values) if value != param.default]
        return self.type.title + (f" ({', '.join(changed)})" if changed else "")


def make_step(name: str, **settings: Any) -> Step:
    """A step of type `name` with its defaults, some replaced by `settings` (checked)."""
    step_type = STEP_TYPES[name]
    known = step_type.params_by_name()
    unknown = set(settings) - set(known)
    if unknown:
        raise ValueError(f"settings must be among {', '.join(known) or 'none'}; got {', '.join(sorted(unknown))}")
    return Step(name, tuple((param.name, param.check(settings.get(param.name, param.default)))
                            for param in step_type.params))


def to_text(steps: Sequence[Step]) -> str:
    """The pipeline as text (see the module docstring): `parse` reads it back to the same steps."""
    parts = []
    for item in steps:
        changed = [f"{param.name}={param.write(value)}" for param, (_, value) in zip(item.type.params, item.values)
                   if value != param.default]
        parts.append(item.name + (":" + ",".join(changed) if changed else ""))
    return "|".join(parts)


@dataclass(frozen=True)
class Parsed:
    """What `parse` read: the steps it could use and a note for each thing it refused."""

    steps: tuple[Step, ...]
    notes: tuple[str, ...]


def parse(text: Any) -> Parsed:
    """Read pipeline text from a link. Never executes anything and never raises.

    Parameters
    ----------
    text : str
        Steps separated by ``|``; a step is a name from `STEP_TYPES`, optionally followed by ``:`` and
        settings ``name=value`` separated by ``,``. Case and spaces around the parts do not matter.

    Returns
    -------
    Parsed
        The steps (at most `MAX_STEPS`) and one plain-words note per refusal: an unknown or garbled step is
        left out; a setting that is unknown, repeated or outside its limits keeps its default; text beyond
        `MAX_TEXT` characters and steps beyond `MAX_STEPS` are not read. Notes quote at most `SHOWN`
        characters of the text (show them as plain text: they repeat a link's content).
    """
    try:
        return _parse(text)
    except Exception:  # noqa: BLE001 - a link must never break the page; _parse is written not to get here
        return Parsed((), ("The pipeline in the link could not be read at all, so it was left out.",))


def _parse(text: Any) -> Parsed:
    if not isinstance(text, str):
        return Parsed((), ("The pipeline in the link is not text, so it was left out.",))
    notes: list[str] = []
    if len(text) > MAX_TEXT:
        notes.append(f"The pipeline text is longer than {MAX_TEXT} characters; only the beginning was read.")
        text = text[:MAX_TEXT]
    steps: list[Step] = []
    pieces = [piece.strip() for piece in text.split("|")]
    for number, piece in enumerate((piece for piece in pieces if piece), 1):
        if len(steps) == MAX_STEPS:
            notes.append(f"A pipeline has at most {MAX_STEPS} steps; step {number} and the ones after it were "
                         "left out.")
            break
        name, _, rest = piece.partition(":")
        name = name.strip().lower()
        if not _NAME.fullmatch(name) or name not in STEP_TYPES:
            notes.append(f"Step {number}, {_shown(piece)!r}, is not a step this page knows: left out.")
            continue
        step_type = STEP_TYPES[name]
        known = step_type.params_by_name()
        values = {param.name: param.default for param in step_type.params}
        seen: set[str] = set()
        for setting in (part.strip() for part in rest.split(",")) if rest.strip() else ():
            key, equals, value = setting.partition("=")
            key = key.strip().lower()
            if not equals or key not in known:
                notes.append(f"Step {number} ({step_type.title}): {_shown(setting)!r} is not one of its settings "
                             f"({', '.join(known) or 'it has none'}): ignored.")
                continue
            if key in seen:
                notes.append(f"Step {number} ({step_type.title}): {key} is given twice; the first one counts.")
                continue
            seen.add(key)
            try:
                values[key] = known[key].read(value)
            except ValueError as error:
                notes.append(f"Step {number} ({step_type.title}): {_shown(value.strip())!r} cannot be used, "
                             f"{error}; the default {known[key].write(known[key].default)} is used.")
        steps.append(Step(name, tuple((param.name, values[param.name]) for param in step_type.params)))
    return Parsed(tuple(steps), tuple(notes))


# --------------------------------------------------------------------------- kinds and problems


def kind_of(value: Any) -> str | None:
    """The kind (`KINDS`) of a step's input or output, or None for anything else."""
    if isinstance(value, pd.DataFrame):
        return "table"
    if not isinstance(value, np.ndarray) or value.ndim not in (2, 3) or value.size == 0:
        return None
    if value.dtype == np.uint8:
        return "grey" if value.ndim == 2 else "colour" if value.shape[2] == 3 else None
    if value.ndim == 2 and value.dtype == bool:
        return "mask"
    if value.ndim == 2 and np.issubdtype(value.dtype, np.integer):
        return "labels"
    return None


#: What to do when a step needs another kind of input: (needed, given) -> advice.
_ADVICE = {
    ("grey", "colour"): "make it grey first (Colour to grey, or One colour channel)",
    ("mask", "grey"): "threshold it first (manual, Otsu or adaptive), or find its edges with Canny",
    ("mask", "colour"): "make it grey and threshold it first",
    ("labels", "mask"): "number its objects first (Connected components or Watershed split)",
    ("labels", "grey"): "threshold it and number its objects first",
    ("labels", "colour"): "make it grey, threshold it and number its objects first",
    ("grey", "mask"): "a mask holds only True and False: move this step before the threshold",
    ("colour", "mask"): "a mask holds only True and False: move this step before the threshold",
    ("grey", "labels"): "a label image holds object numbers, not grey levels: move this step before the labelling",
    ("mask", "labels"): "use the objects' mask instead: move this step before the labelling",
}


def problem_with(item: Step, kind: str | None) -> str | None:
    """Why `item` cannot run on an input of `kind`, in plain words, or None when it can.

    Parameters
    ----------
    item : Step
    kind : str or None
        The input's kind (`kind_of`); None when an earlier step could not run.
    """
    step_type = item.type
    if kind is None:
        return "It waits for an earlier step that cannot run."
    if kind not in step_type.inputs:
        needed = " or a ".join(KIND_NAMES[k] for k in step_type.inputs)
        if kind == "table":
            return (f"{step_type.title} needs a {needed}, but its input is a table of measurements: a table ends a "
                    "pipeline, nothing can follow Measure the objects.")
        advice = next((_ADVICE[(k, kind)] for k in step_type.inputs if (k, kind) in _ADVICE), None)
        return (f"{step_type.title} needs a {needed}, but its input is a {KIND_NAMES[kind]}"
                + (f": {advice}." if advice else "."))
    if step_type.check is not None:
        reason = step_type.check(item.settings)
        if reason:
            return f"{step_type.title} cannot run: {reason}."
    return None


def fitting_types(kind: str | None) -> tuple[str, ...]:
    """Names of the step types that accept an input of `kind`, in `GROUPS` order (all of them for None)."""
    return tuple(t.name for group in GROUPS for t in STEP_TYPES.values()
                 if t.group == group and (kind is None or kind in t.inputs))


def arguments(item: Step, kind: str) -> dict[str, Any]:
    """The keyword arguments of ``item.type.function`` for an input of `kind`."""
    return item.type.arguments(item.settings, kind)


def pick(result: Any, part: str | int | None) -> Any:
    """The part of a processing function's result that a step passes on (see `StepType.pick`)."""
    if part is None:
        return result
    return result[part] if isinstance(part, int) else getattr(result, part)


def apply(item: Step, image: Any) -> Any:
    """Run one step on `image` (no cache): ``pick(function(image, **arguments), pick)``.

    Raises
    ------
    ValueError
        If `problem_with` finds a reason, or the processing function refuses the input (`RUN_ERRORS`).
    """
    kind = kind_of(image)
    reason = problem_with(item, kind)
    if reason:
        raise ValueError(reason)
    return pick(item.type.function(image, **arguments(item, kind)), item.type.pick)


@dataclass(frozen=True)
class Outcome:
    """One step's run: its input's kind, its output and the output's kind, or why it could not run."""

    input_kind: str | None
    output: Any
    kind: str | None
    problem: str | None


def run(image: np.ndarray, steps: Sequence[Step]) -> tuple[Outcome, ...]:
    """Run a pipeline without any cache (tests and fixed examples; the page runs it through ``ui.cache.step``).

    A step that cannot run (`problem_with`, or its function refuses the input) gets its reason, and the
    steps after it wait.
    """
    outcomes = []
    current, kind = image, kind_of(image)
    for item in steps:
        reason = problem_with(item, kind)
        output = None
        if reason is None:
            try:
                output = pick(item.type.function(current, **arguments(item, kind)), item.type.pick)
            except RUN_ERRORS as error:
                reason = f"{item.type.title} could not run on this input: {error}"
        outcomes.append(Outcome(kind, output, None if reason else kind_of(output), reason))
        current, kind = (output, kind_of(output)) if reason is None else (None, None)
    return tuple(outcomes)


def run_text(image: np.ndarray, *, text: str) -> tuple[Any, ...]:
    """The outputs of the pipeline `text` (parsed with `parse`) on `image`: None for steps that cannot run.
    For fixed examples on a page (a step's result: a tuple of arrays and tables)."""
    return tuple(outcome.output for outcome in run(image, parse(text).steps))


# --------------------------------------------------------------------------- looking closer


def _as_levels(image: np.ndarray) -> np.ndarray:
    """A picture's levels as float32 for comparing: a mask as 0 and 255."""
    return image.astype(np.float32) * (255.0 if image.dtype == bool else 1.0)


def _difference(before: np.ndarray, after: np.ndarray) -> np.ndarray:
    """|after - before| per pixel (largest over the channels; grey against colour: the grey repeated)."""
    first, second = _as_levels(before), _as_levels(after)
    if first.ndim != second.ndim:
        first, second = (np.repeat(x[..., None], 3, axis=2) if x.ndim == 2 else x for x in (first, second))
    difference = np.abs(first - second)
    return difference.max(axis=2) if difference.ndim == 3 else difference


def change_share(before: np.ndarray, after: np.ndarray) -> float | None:
    """Share of pixels a step changed (in any channel), 0-1; None unless both are images or masks of the same
    kind and size."""
    if kind_of(before) not in ("colour", "grey", "mask") or kind_of(before) != kind_of(after) \
            or before.shape != after.shape:
        return None
    difference = _difference(before, after)
    return float(np.count_nonzero(difference) / difference.size)


@dataclass(frozen=True)
class CloseUp:
    """The same small window of a step's input and output, enlarged, where the step changed the most.

    Attributes
    ----------
    before, after : ndarray of uint8
        The windows, each pixel a `factor` × `factor` square (masks as 0/255).
    pair : ndarray of uint8
        Both side by side, before on the left, with a white gap of `factor` pixels (RGB if either is).
    row, col : int
        The window's centre in the image.
    size : int
        The window's side in image pixels (smaller only if the image is).
    mean_change : float
        Mean absolute change of the level inside the window (largest over the channels).
    """

    before: np.ndarray
    after: np.ndarray
    pair: np.ndarray
    row: int
    col: int
    size: int
    mean_change: float


def close_up(before: np.ndarray, after: np.ndarray, *, size: int = 24, factor: int = 10) -> CloseUp:
    """Find where a step changed its input the most (the largest mean change over `size` × `size` windows) and
    cut that window from both, enlarged by `factor` (nearest neighbour: every pixel stays a square).

    Parameters
    ----------
    before, after : ndarray
        The step's input and output: uint8 grey or RGB images or bool masks, the same height and width.
    size : int
        Window side, 3 to 64 pixels.
    factor : int
        Enlargement, 1 to 32.

    Returns
    -------
    CloseUp
    """
    for name, image in (("before", before), ("after", after)):
        if kind_of(image) not in ("colour", "grey", "mask"):
            raise ValueError(f"{name} must be a uint8 image or a bool mask")
    if before.shape[:2] != after.shape[:2]:
        raise ValueError(f"before and after must have the same size, got {before.shape[:2]} and {after.shape[:2]}")
    if not (3 <= size <= 64 and 1 <= factor <= 32):
        raise ValueError(f"size must lie in 3-64 and factor in 1-32, got {size} and {factor}")
    difference = _difference(before, after)
    local = cv2.blur(difference, (size, size), borderType=cv2.BORDER_REFLECT)
    row, col = np.unravel_index(int(np.argmax(local)), local.shape)
    top, left, bottom, right = window_around(before.shape, row=int(row), col=int(col), size=size)

    def enlarged(image: np.ndarray) -> np.ndarray:
        window = image[top:bottom, left:right]
        window = window.astype(np.uint8) * 255 if window.dtype == bool else window
        return np.repeat(np.repeat(window, factor, axis=0), factor, axis=1)

    first, second = enlarged(before), enlarged(after)
    if first.ndim != second.ndim:
        first, second = (np.repeat(x[..., None], 3, axis=2) if x.ndim == 2 else x for x in (first, second))
    gap = np.full((first.shape[0], factor) + first.shape[2:], 255, np.uint8)
    return CloseUp(first, second, np.hstack([first, gap, second]), int(row), int(col),
                   max(bottom - top, right - left), float(difference[top:bottom, left:right].mean()))


# --------------------------------------------------------------------------- code


def step_code(item: Step, src: str, dst: str, kind: str) -> str:
    """Plain OpenCV/NumPy/scikit-image lines that turn `src` (of `kind`) into `dst`, exactly as `apply` does.

    Imports (`code_imports`) and helper functions (`StepType.helpers`) are written once at the top of a script.
    """
    return item.type.code(item.settings, src, dst, kind)


def code_imports(steps: Sequence[Step]) -> tuple[list[str], list[str]]:
    """(import lines, helper definitions) the code of `steps` needs besides ``cv2`` and ``numpy as np``."""
    imports = list(dict.fromkeys(line for item in steps for line in item.type.imports))
    helpers = list(dict.fromkeys(item.type.helpers for item in steps if item.type.helpers))
    return imports, helpers


def _body(steps: Sequence[Step], kinds: Sequence[str | None], source: str) -> tuple[list[str], str, str | None]:
    """(code lines, name of the last output, its kind) of `body_code`, without the ``result`` line."""
    imports, helpers = code_imports(steps)
    lines = [*imports]
    if helpers:
        lines += ["", *helpers]
    lines.append(f"step0 = {source}  # the input")
    last, last_kind = "step0", None
    for number, (item, kind) in enumerate(zip(steps, kinds), 1):
        if kind is None or problem_with(item, kind):
            lines.append(f"# step {number} ({item.type.title}) cannot run on its input: the pipeline stops here")
            break
        lines.append(f"# {number}. {item.describe()}")
        lines.append(step_code(item, last, f"step{number}", kind))
        last, last_kind = f"step{number}", item.type.output_kind(kind)
    return lines, last, last_kind


def body_code(steps: Sequence[Step], kinds: Sequence[str | None], *, source: str = "img") -> str:
    """The lines that run a pipeline from `source`: ``step1 = ...``, ``step2 = ...``, then ``result``.

    Parameters
    ----------
    steps : sequence of Step
    kinds : sequence of str or None
        Each step's input kind as it ran (`Outcome.input_kind`); the code stops before the first step that
        cannot run (None, or `problem_with` finds a reason), with a comment.
    source : str
        The name of the pipeline's input.

    Returns
    -------
    str
        Code that needs ``cv2`` and ``np`` imported above it (its own imports are at its top) and leaves
        ``result``: the last output (a table's numbers, ``.to_numpy(dtype=float)``, as `result_array`).
    """
    lines, last, last_kind = _body(steps, kinds, source)
    lines.append(f"result = {last}.to_numpy(dtype=float)  # the table's numbers" if last_kind == "table"
                 else f"result = {last}")
    return "\n".join(lines).strip() + "\n"


_SAVE = """
if __name__ == "__main__":
    last = {last}
    if hasattr(last, "to_csv"):  # a table
        last.to_csv("pipeline_result.csv", index=False)
        print("saved the last step as pipeline_result.csv")
    else:
        picture = last.astype(np.uint8) * 255 if last.dtype == bool else last
        if picture.dtype != np.uint8:  # a label image: objects white, background black
            picture = ((picture > 0) * 255).astype(np.uint8)
        if picture.ndim == 3:
            picture = cv2.cvtColor(picture, cv2.COLOR_RGB2BGR)  # OpenCV writes BGR
        cv2.imwrite("pipeline_result.png", picture)
        print("saved the last step as pipeline_result.png")
"""


def script(steps: Sequence[Step], kinds: Sequence[str | None], *, load_code: str, image_title: str = "") -> str:
    """A Python script that runs the pipeline on the image `load_code` makes (as ``img``).

    Parameters
    ----------
    steps, kinds
        As for `body_code`.
    load_code : str
        Lines that make ``img`` (an image source's loading lines).
    image_title : str
        The image's name, for a comment (Pixel Lab's own text).

    Returns
    -------
    str
        Every step's output is kept as ``step1``, ``step2``, ...; run as a program, the script saves the last
        one beside itself as ``pipeline_result.png`` (a table: ``pipeline_result.csv``).
    """
    lines, last, _ = _body(steps, kinds, "img")
    text = to_text(steps) or "(no steps)"
    header = (f'"""A Pixel Lab pipeline: {text}\n\nOpen it again in Pixel Lab at /pipeline?pipeline=... with the '
              "text above.\nNeeds Python with opencv-python-headless, numpy, scipy, scikit-image and pandas.\n"
              'Run it with: python pixel_lab_pipeline.py\n"""\n'
              "import cv2\nimport numpy as np\nimport skimage.data\n")
    image = f"# The image{': ' + image_title if image_title else ''}\n{load_code.strip()}\n"
    return header + "\n" + image + "\n" + "\n".join(lines).strip() + "\n" + _SAVE.format(last=last)


# --------------------------------------------------------------------------- starting pipelines


@dataclass(frozen=True)
class Starter:
    """A worked example loadable in one click: a pipeline and the sample that shows it best."""

    id: str
    title: str
    text: str
    sample: str
    icon: str


STARTERS = {starter.id: starter for starter in (
    Starter("count", "Count objects", "grey|gaussian:sigma=2|otsu|fill|small|label", "coins", ":material/toll:"),
    Starter("edges", "Find edges", "grey|gaussian:sigma=1.5|magnitude|otsu", "camera", ":material/line_style:"),
    Starter("scan", "Clean a scan", "grey|blackhat:size=15|otsu|small:min_area=5", "page", ":material/article:"),
)}
#: The pipeline the page opens with (six steps: counting objects).
DEFAULT_TEXT = STARTERS["count"].text

