"""Every pair of colours that tells things apart stays apart with any colour vision (issue 19).

Each colour is seen as a protanope, a deuteranope and a tritanope would see it (Machado, Oliveira and Fernandes
2009, severity 1.0, applied to linear RGB), and as it is; the distance between the two colours of a pair is the
CIEDE2000 colour difference of the results in CIELAB (D65 white). A pair passes when its smallest distance over
the four visions is at least `MIN_DELTA_E`.

Why CIEDE2000 and 10: CIEDE2000 corrects CIE76's overweighting of saturated colours (ΔE76 calls two blues far
apart that look alike), so one threshold holds across the palette. About 2.3 is one just-noticeable difference
between large patches seen side by side; a line in a legend, a mark on a photograph or a label region is small
and not side by side, so it needs several: 10 is the usual "different at a glance" bar of palette checkers. It
fails what the issue is about (Tableau's red and green: 4.6 for a deuteranope; Streamlit's success and error
boxes: 0.5) and passes Okabe and Ito's palette, whose closest pair (orange and reddish purple) is 10.9.

The colours are imported from where they are defined (processing and ui), and the theme's from .streamlit/config.toml.
"""

from __future__ import annotations

import itertools
import tomllib
from pathlib import Path

import numpy as np
import pytest

from processing import edges, features, filters, masks, morphology, segmentation
from ui import charts, grids

ROOT = Path(__file__).resolve().parents[1]
MIN_DELTA_E = 10.0

#: Machado et al. (2009), severity 1.0: linear RGB in, linear RGB out.
MACHADO = {
    "protanopia": np.array([[0.152286, 1.052583, -0.204868],
                            [0.114503, 0.786281, 0.099216],
                            [-0.003882, -0.048116, 1.051998]]),
    "deuteranopia": np.array([[0.367322, 0.860646, -0.227968],
                              [0.280085, 0.672501, 0.047413],
                              [-0.011820, 0.042940, 0.968881]]),
    "tritanopia": np.array([[1.255528, -0.076749, -0.178779],
                            [-0.078411, 0.930809, 0.147602],
                            [0.004733, 0.691367, 0.303900]]),
}
VISIONS = ("normal", *MACHADO)
_RGB_TO_XYZ = np.array([[0.4124564, 0.3575761, 0.1804375],
                        [0.2126729, 0.7151522, 0.0721750],
                        [0.0193339, 0.1191920, 0.9503041]])
_WHITE = np.array([0.95047, 1.0, 1.08883])


def rgb(colour) -> np.ndarray:
    """An sRGB colour, ``"#rrggbb"`` or a triple of 0-255, as floats 0-255."""
    if isinstance(colour, str):
        text = colour.lstrip("#")
        return np.array([int(text[i : i + 2], 16) for i in (0, 2, 4)], dtype=np.float64)
    return np.asarray(colour, dtype=np.float64)


def linear(colour) -> np.ndarray:
    c = rgb(colour) / 255
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def seen(colour, vision: str) -> np.ndarray:
    """Linear RGB of `colour` as seen with `vision` (clipped to the gamut)."""
    values = linear(colour)
    return values if vision == "normal" else np.clip(MACHADO[vision] @ values, 0.0, 1.0)


def lab(linear_rgb: np.ndarray) -> np.ndarray:
    xyz = _RGB_TO_XYZ @ linear_rgb / _WHITE
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def delta_e_2000(first: np.ndarray, second: np.ndarray) -> float:
    """CIEDE2000 (Sharma, Wu and Dalal 2005) between two CIELAB colours."""
    (l1, a1, b1), (l2, a2, b2) = first, second
    c_mean = (np.hypot(a1, b1) + np.hypot(a2, b2)) / 2
    g = 0.5 * (1 - np.sqrt(c_mean**7 / (c_mean**7 + 25**7)))
    a1p, a2p = (1 + g) * a1, (1 + g) * a2
    c1p, c2p = np.hypot(a1p, b1), np.hypot(a2p, b2)
    h1p = np.degrees(np.arctan2(b1, a1p)) % 360 if c1p else 0.0
    h2p = np.degrees(np.arctan2(b2, a2p)) % 360 if c2p else 0.0
    if c1p * c2p == 0:
        dhp = 0.0
    elif abs(h2p - h1p) <= 180:
        dhp = h2p - h1p
    else:
        dhp = h2p - h1p - 360 if h2p > h1p else h2p - h1p + 360
    d_l, d_c = l2 - l1, c2p - c1p
    d_h = 2 * np.sqrt(c1p * c2p) * np.sin(np.radians(dhp / 2))
    l_mean, cp_mean = (l1 + l2) / 2, (c1p + c2p) / 2
    if c1p * c2p == 0:
        hp_mean = h1p + h2p
    elif abs(h1p - h2p) <= 180:
        hp_mean = (h1p + h2p) / 2
    else:
        hp_mean = (h1p + h2p + 360) / 2 if h1p + h2p < 360 else (h1p + h2p - 360) / 2
    t = (1 - 0.17 * np.cos(np.radians(hp_mean - 30)) + 0.24 * np.cos(np.radians(2 * hp_mean))
         + 0.32 * np.cos(np.radians(3 * hp_mean + 6)) - 0.20 * np.cos(np.radians(4 * hp_mean - 63)))
    rotation = -2 * np.sqrt(cp_mean**7 / (cp_mean**7 + 25**7)) * np.sin(
        np.radians(60 * np.exp(-(((hp_mean - 275) / 25) ** 2))))
    s_l = 1 + 0.015 * (l_mean - 50) ** 2 / np.sqrt(20 + (l_mean - 50) ** 2)
    s_c, s_h = 1 + 0.045 * cp_mean, 1 + 0.015 * cp_mean * t
    return float(np.sqrt((d_l / s_l) ** 2 + (d_c / s_c) ** 2 + (d_h / s_h) ** 2
                         + rotation * (d_c / s_c) * (d_h / s_h)))


def smallest_difference(first, second) -> tuple[float, str]:
    """The smallest CIEDE2000 between two colours over the four visions, and that vision."""
    return min((delta_e_2000(lab(seen(first, v)), lab(seen(second, v))), v) for v in VISIONS)


def _theme() -> dict:
    return tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())["theme"]


BLACK, WHITE = (0, 0, 0), (255, 255, 255)

#: Colours drawn together whose difference carries meaning, each group named after where it is used.
GROUPS: dict[str, dict[str, object]] = {
    "histogram and profile channel lines": {name: charts.CHANNEL_COLOURS[name] for name in ("red", "green", "blue")},
    "channel lines and the chosen level": {**charts.CHANNEL_COLOURS, "level": charts.LEVEL_COLOUR},
    "histogram matching": {"image": charts.CHANNEL_COLOURS["red"], "grey image": charts.CHANNEL_COLOURS["grey"],
                           "reference": charts.REFERENCE_COLOUR, "level": charts.LEVEL_COLOUR},
    "chart series": {**{f"series {i}": c for i, c in enumerate(charts.SERIES_COLOURS)},
                     "reference": charts.SERIES_GREY},
    "edge profile lines": dict(charts.PROFILE_COLOURS),
    "Canny threshold zones": dict(zip(("dropped", "weak", "strong"), charts.CANNY_ZONE_COLOURS)),
    "hysteresis labels": {str(label): colour for label, colour in edges.EDGE_LABEL_COLORS.items()},
    "morphology changes": {"added": morphology.ADDED_COLOUR, "removed": morphology.REMOVED_COLOUR,
                           "kept": morphology.KEPT_COLOUR, "background": BLACK},
    "structuring element on a mask": {"on foreground": morphology.ON_FOREGROUND,
                                      "on background": morphology.ON_BACKGROUND, "chosen": morphology.CHOSEN,
                                      "foreground": (morphology.FOREGROUND_GREY,) * 3,
                                      "background": (morphology.BACKGROUND_GREY,) * 3},
    "sharpening halos": {"bright halo": filters.BRIGHT_HALO_COLOUR, "dark halo": filters.DARK_HALO_COLOUR},
    "feature marks": {"red": features.RED, "green": features.GREEN, "yellow": features.YELLOW,
                      "blue": features.BLUE},
    "masks A and B": {"A": masks.A_COLOUR, "B": masks.B_COLOUR},
    "specks and holes": {"specks": masks.SPECK_COLOUR, "holes": masks.HOLE_COLOUR},
    "label colours": {"background": BLACK, **{f"label {i + 1}": tuple(c) for i, c in enumerate(segmentation.PALETTE)}},
    "signed grid cells": {"positive": grids.POSITIVE_COLOUR, "negative": grids.NEGATIVE_COLOUR},
    "exercise feedback": {"right": _theme()["greenBackgroundColor"], "not yet": _theme()["redBackgroundColor"]},
}
PAIRS = [(group, a, b) for group, colours in GROUPS.items() for a, b in itertools.combinations(colours, 2)]


@pytest.mark.parametrize(("group", "first", "second"), PAIRS, ids=[f"{g}: {a} vs {b}" for g, a, b in PAIRS])
def test_every_pair_stays_apart_with_any_colour_vision(group, first, second):
    colours = GROUPS[group]
    difference, vision = smallest_difference(colours[first], colours[second])
    assert difference >= MIN_DELTA_E, (
        f"{group}: {first} {colours[first]} and {second} {colours[second]} are only {difference:.1f} apart "
        f"(CIEDE2000) for {vision}")


def test_delta_e_2000_matches_sharma_wu_and_dalal():
    """Pairs 1, 7 and 17 of the CIEDE2000 test data (Sharma, Wu and Dalal 2005, table 1)."""
    assert delta_e_2000(np.array([50, 2.6772, -79.7751]), np.array([50, 0, -82.7485])) == pytest.approx(2.0425,
                                                                                                        abs=1e-4)
    assert delta_e_2000(np.array([50, 0, 0]), np.array([50, -1, 2])) == pytest.approx(2.3669, abs=1e-4)
    assert delta_e_2000(np.array([50, 2.5, 0]), np.array([73, 25, -18])) == pytest.approx(27.1492, abs=1e-4)


def test_the_simulation_confuses_what_each_deficiency_confuses_and_keeps_the_rest():
    # Red and green merge for protanopes and deuteranopes, blue and green for tritanopes; grey stays grey.
    assert smallest_difference("#d62728", "#2ca02c")[0] < 5  # Tableau's red and green: the case issue 19 is about
    assert delta_e_2000(lab(seen("#d62728", "tritanopia")), lab(seen("#2ca02c", "tritanopia"))) > 30
    for vision in MACHADO:
        np.testing.assert_allclose(seen((128, 128, 128), vision), linear((128, 128, 128)), atol=1e-3)
    assert smallest_difference(WHITE, BLACK)[0] == pytest.approx(100, abs=0.1)


def test_every_group_has_its_colours_and_the_meanings_are_kept():
    assert all(len(colours) >= 2 for colours in GROUPS.values())
    red, green, blue = (rgb(charts.CHANNEL_COLOURS[name]) for name in ("red", "green", "blue"))
    assert red.argmax() == 0 and green[1] > green[0] and blue.argmax() == 2  # red reddish, green greenish, blue blue
    assert rgb(features.RED).argmax() == 0 and rgb(features.BLUE).argmax() == 2
