"""Words for every picture: the rules an alt text must meet, and alt texts computed from what is shown.

A screen reader reads a picture's alt text instead of the picture, so it has to say what the picture shows
with the numbers that matter: a result names its operation and settings, a histogram its channels and where
most of their values lie. `check_alt` refuses what says nothing (empty, a bare number, a file name, one or two
words, no number at all); every picture Pixel Lab draws goes through it (`ui.display.show_image`,
`ui.charts.show_chart`, `ui.display.clickable_image`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence

import numpy as np

#: Shortest alt text in words (letters only count): "img" or "Result" says nothing.
MIN_WORDS = 3
#: Longest alt text in characters: a screen reader reads all of it before the learner can move on.
MAX_CHARS = 400
_FILE_NAME = re.compile(r"^\S+\.(png|jpe?g|gif|bmp|tiff?|webp|svg|heic|avif)$", re.IGNORECASE)
_BARE_NUMBER = re.compile(r"^[\d\s.,:;%×x()+\-−/=]*$")
_WORD = re.compile(r"[^\W\d_]{2,}")


def alt_problem(text: str | None) -> str | None:
    """What is wrong with `text` as an alt text, or None if nothing.

    An alt text must not be empty, a bare number, a file name or an address; it must have at least `MIN_WORDS`
    words, at most `MAX_CHARS` characters, and at least one number (a size, a setting, a count, a level).
    """
    if text is None or not text.strip():
        return "empty"
    stripped = text.strip()
    if _BARE_NUMBER.match(stripped):
        return f"a bare number: {stripped!r}"
    if _FILE_NAME.match(stripped) or stripped.startswith(("http:", "https:", "data:", "/media/")):
        return f"a file name or address: {stripped!r}"
    if len(_WORD.findall(stripped)) < MIN_WORDS:
        return f"fewer than {MIN_WORDS} words: {stripped!r}"
    if len(stripped) > MAX_CHARS:
        return f"longer than {MAX_CHARS} characters ({len(stripped)}): {stripped[:60]!r}..."
    if not re.search(r"\d", stripped):
        return f"no number: {stripped!r}"
    return None


def check_alt(text: str | None) -> str:
    """`text` stripped if it is a good alt text (see `alt_problem`).

    Otherwise, under the tests (``PIXEL_LAB_STRICT_ALT=1``, set by tests/conftest.py, also for the servers the
    browser tests start) a ValueError names what is wrong, so every page the suite opens checks its words; a
    learner's page never fails over an alt text and shows the words it has.
    """
    problem = alt_problem(text)
    if problem is None:
        return text.strip()
    if os.environ.get("PIXEL_LAB_STRICT_ALT") == "1":
        raise ValueError(f"alt text is {problem}")
    return (text or "").strip() or "A picture of this lesson"


def picture_kind(image: np.ndarray) -> str:
    """A picture's size and kind in words: "512 × 512 colour picture", "303 × 384 black-and-white mask"."""
    height, width = image.shape[:2]
    if image.dtype == bool:
        kind = "black-and-white mask"
    elif image.ndim == 3 and image.shape[2] == 4:
        kind = "colour picture with transparency"
    elif image.ndim == 3:
        kind = "colour picture"
    else:
        kind = "grey picture"
    return f"{width} × {height} {kind}"


def picture_alt(caption: str, image: np.ndarray) -> str:
    """The alt text `ui.display.show_image` derives from a caption: the caption (Pixel Lab's words for the
    operation and its settings), then the picture's size and kind."""
    return f"{caption.rstrip('. ')}: {picture_kind(image)}"


def level_spread(counts: np.ndarray, *, low: float = 0.05, high: float = 0.95) -> tuple[int, int, int]:
    """The median level and the levels between which `high - low` (90 %) of the pixels lie, from one
    channel's counts per level (shape ``(256,)``; any length: the index is the level)."""
    counts = np.asarray(counts, dtype=np.float64).ravel()
    total = counts.sum()
    if total <= 0:
        return 0, 0, 0
    cumulative = np.cumsum(counts) / total
    at = [int(np.searchsorted(cumulative, share - 1e-12)) for share in (low, 0.5, high)]
    return at[1], at[0], at[2]


def histogram_alt(counts: np.ndarray, channels: Sequence[str], title: str | None = None) -> str:
    """Alt text of a level histogram: its channels, and for each the median and the range holding 90 % of the
    pixels (5th to 95th percentile), computed from the counts.

    Parameters
    ----------
    counts : ndarray
        int, shape ``(C, 256)``: pixels per level for each channel.
    channels : sequence of str
        Channel names, one per row of `counts`.
    title : str, optional
        The chart's title, said first.

    Returns
    -------
    str
        E.g. "Histogram of red, green and blue, levels 0-255: red median 120, 90% of pixels between 8 and 231;
        ...".
    """
    counts = np.asarray(counts)
    names = ", ".join(channels[:-1]) + " and " + channels[-1] if len(channels) > 1 else channels[0]
    parts = []
    for name, row in zip(channels, counts):
        median, lo, hi = level_spread(row)
        parts.append(f"{name} median {median}, 90% of pixels between {lo} and {hi}")
    lead = f"{title}: histogram" if title else "Histogram"
    return f"{lead} of {names}, levels 0-255: " + "; ".join(parts)


def values_spread(values: np.ndarray) -> str:
    """Where most of a set of measurements lie, in words: "median 412, 90% between 120 and 980"."""
    values = np.asarray(values, dtype=np.float64)
    values = values[np.isfinite(values)]
    if values.size == 0:
        return "no values"
    lo, median, hi = np.percentile(values, [5, 50, 95])
    return f"median {_number(median)}, 90% between {_number(lo)} and {_number(hi)}"


def _number(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}"


def curve_points(lut: np.ndarray) -> str:
    """Where a transfer curve sends five input levels, in words:
    "0 → 0, 64 → 80, 128 → 150, 192 → 210, 255 → 255"
    (the red curve's of three)."""
    curves = np.asarray(lut).reshape(-1, 256)
    points = ", ".join(f"{level} → {int(curves[0][level])}" for level in (0, 64, 128, 192, 255))
    return f"levels {points}" + (" (red)" if len(curves) > 1 else "")


def values_spread_of_shares(shares: np.ndarray) -> str:
    """`level_spread` of a histogram given as shares per level, in words: "median 120, 90% between 96 and 141"."""
    median, lo, hi = level_spread(shares)
    return f"median {median}, 90% between {lo} and {hi}"


def binned_spread(histogram: np.ndarray, edges: np.ndarray) -> str:
    """Where most values of a binned histogram lie, in words: "median about 84, 90% between about 20 and 310"
    (bin centres; `edges` has one more entry than `histogram`)."""
    centres = (np.asarray(edges[:-1], dtype=np.float64) + np.asarray(edges[1:], dtype=np.float64)) / 2
    median, lo, hi = level_spread(histogram)
    if np.asarray(histogram).sum() <= 0:
        return "no values"
    return f"median about {_number(centres[median])}, 90% between about {_number(centres[lo])} and " \
           f"{_number(centres[hi])}"


def hue_peak(counts: np.ndarray) -> str:
    """The most common hue of an OpenCV hue histogram (180 bins of 2 degrees), in words: "most common hue 24°"."""
    counts = np.asarray(counts)
    return "no pixels counted" if counts.sum() <= 0 else f"most common hue {2 * int(np.argmax(counts))}°"
