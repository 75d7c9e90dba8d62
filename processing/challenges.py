"""The pipeline lab's challenges: real tasks on bundled images, each graded against a hidden reference.

* **coins**: count the coins of ``skimage.data.coins`` (24), each exactly once. The reference coins come
  from scikit-image's gallery method (a watershed of the Sobel elevation map from markers at the histogram's
  two ends), not from any step the lab offers.
* **cell**: segment the floating cell of ``skimage.data.cell`` under strong Gaussian noise; intersection
  over union with the cell segmented on the clean image (Gaussian σ 2, Otsu, holes filled, largest object).
* **page**: keep the text of the scanned page ``skimage.data.page`` (uneven light); the text-pixel accuracy
  (F1 score) against Sauvola's local threshold, a method the course does not teach.
* **noise**: remove salt-and-pepper noise from the cameraman (20 % of the pixels hit); PSNR against the
  clean image.

Each challenge has a model solution and a naive attempt (pipeline text) whose grades the tests check: the
model reaches the goal, the naive one does not.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import scipy.ndimage as ndi
import skimage.data
from skimage.filters import sobel, threshold_sauvola
from skimage.segmentation import watershed

from processing import filters, masks, restoration, segmentation, threshold
from processing.pipeline import kind_of

__all__ = ["CHALLENGES", "Challenge", "Grade", "challenge_image", "grade", "reference"]

CELL_NOISE = 40.0
CELL_SEED = 7
PAGE_WINDOW = 25
SALT_PEPPER = 20
NOISE_SEED = 1
REFERENCE_COINS = 24
#: The score of a result identical to the clean image (its PSNR is infinite).
IDENTICAL_PSNR = 100.0


@dataclass(frozen=True)
class Challenge:
    """One challenge.

    Attributes
    ----------
    id : str
        Short id, the link's ``pipeline_on`` value (``"coins"``).
    exercise : str
        Exercise id in the lesson registry (Home counts it).
    title, task : str
        Heading and the task in a sentence or two (Markdown, Pixel Lab's own text).
    needs : tuple of str
        Output kinds the grade reads (`processing.pipeline.KINDS`).
    score_name, unit : str
        What the score is and its unit.
    target : float
        The goal.
    higher_is_better : bool
        The score must reach at least `target` (True) or at most it (False).
    solution, naive : str
        Pipeline text of the model solution and of a naive attempt.
    lesson : str
        The lesson whose method the hint points to.
    hint : str
        The general hint after a miss (the grade adds what went wrong for the pipeline tried).
    why : str
        Why the model solution works, shown with it after a success.
    load_code : str
        Plain code that makes the challenge's image as ``img``.
    """

    id: str
    exercise: str
    title: str
    task: str
    needs: tuple[str, ...]
    score_name: str
    unit: str
    target: float
    higher_is_better: bool
    solution: str
    naive: str
    lesson: str
    hint: str
    why: str
    load_code: str


CHALLENGES: dict[str, Challenge] = {c.id: c for c in (
    Challenge(
        "coins", "pipeline_coins", "Count the coins",
        "Build a pipeline that counts the coins of the Greek coins photograph: every coin exactly once, nothing "
        "else. End it with **Connected components** (or Watershed split, or Measure the objects).",
        ("labels", "table"), "counting mistakes", "", 0, False,
        "grey|gaussian:sigma=2|adaptive:block=101,offset=-10|fill|open:size=5|small:min_area=200|label",
        "grey|otsu|fill|small|label", "thresholding",
        "Several coins are darker than the bright top border; one threshold for the whole photo cannot separate "
        "them all. Try an adaptive threshold with a large block and a negative offset, then clean the mask.",
        "An adaptive threshold compares every coin with its own surroundings, so the dim coins are found as well as "
        "the bright ones; the opening and the smallest area remove what joins or litters them.",
        "img = skimage.data.coins()"),
    Challenge(
        "cell", "pipeline_cell", "Segment the cell",
        "The floating cell photographed through heavy noise: make a mask of the cell (True on the cell) that "
        "overlaps the reference outline with an intersection over union of at least 0.9.",
        ("mask",), "IoU with the reference cell", "", 0.9, True,
        "gaussian:sigma=3|otsu|fill|small:min_area=500", "otsu", "smoothing",
        "Noise pushes single pixels across any threshold: smooth first, then threshold, then drop the specks.",
        "Smoothing averages the noise away before any pixel is judged, so the threshold sees the cell; filling its "
        "holes and dropping the last specks finish the mask.",
        "img = skimage.data.cell()\n"
        f"rng = np.random.default_rng({CELL_SEED})  # Gaussian noise, σ = {CELL_NOISE:g} grey levels\n"
        f"noisy = rng.standard_normal(img.shape, dtype=np.float32) * np.float32({CELL_NOISE!r}) + img\n"
        "img = np.clip(np.rint(noisy.astype(np.float64)), 0, 255).astype(np.uint8)"),
    Challenge(
        "page", "pipeline_page", "Clean the scanned page",
        "The scanned page is lit unevenly. Make a mask of its text (True on the letters) that a reader could "
        "use: a text-pixel accuracy (F1 score against a reference) of at least 0.93.",
        ("mask",), "text-pixel accuracy (F1)", "", 0.93, True,
        "adaptive:block=25,offset=15,dark=true", "otsu:dark=true", "thresholding",
        "One threshold for the whole page swallows the dark left side. Compare each pixel with its own "
        "neighbourhood, and raise the offset until the plain paper stays out of the mask.",
        "A local threshold follows the light across the page, and the offset keeps the flat paper, where a pixel is "
        "compared with a mean of its own level, out of the mask.",
        "img = skimage.data.page()"),
    Challenge(
        "noise", "pipeline_noise", "Remove the salt and pepper",
        f"{SALT_PEPPER} % of the cameraman's pixels were set to black or white. Give back a grey image as close to "
        "the clean photograph as you can: a PSNR of at least 30 dB.",
        ("grey",), "PSNR against the clean image", " dB", 30.0, True,
        "adaptive_median", "median:size=3", "restoration",
        "A plain median also changes the pixels the noise missed, and blurs the fine detail. A filter that "
        "replaces only the impulses does better.",
        "The adaptive median replaces only the pixels that are impulses (the extremes of their window) and leaves "
        "every other pixel exactly as it was.",
        "img = skimage.data.camera()\n"
        f"draw = np.random.default_rng({NOISE_SEED}).random(img.shape)  # {SALT_PEPPER} % salt and pepper\n"
        f"img = img.copy()\nimg[draw < {SALT_PEPPER / 200!r}] = 0\n"
        f"img[(draw >= {SALT_PEPPER / 200!r}) & (draw < {SALT_PEPPER / 100!r})] = 255"),
)}


def challenge_image(challenge_id: str) -> np.ndarray:
    """The image a challenge's pipeline works on (uint8 grey), made exactly as its `Challenge.load_code`.

    Raises
    ------
    ValueError
        If `challenge_id` is not a key of `CHALLENGES`.
    """
    if challenge_id == "coins":
        return skimage.data.coins()
    if challenge_id == "cell":
        return filters.add_gaussian_noise(skimage.data.cell(), sigma=CELL_NOISE, seed=CELL_SEED)
    if challenge_id == "page":
        return skimage.data.page()
    if challenge_id == "noise":
        return restoration.add_noise(skimage.data.camera(), model="salt_pepper", level=SALT_PEPPER, seed=NOISE_SEED)
    raise ValueError(f"challenge_id must be one of {', '.join(CHALLENGES)}; got {challenge_id!r}")


def reference(challenge_id: str) -> np.ndarray:
    """The hidden reference of a challenge.

    Returns
    -------
    ndarray
        coins: int32 labels of the 24 coins (0 background); cell, page: bool masks (cell, text);
        noise: the clean uint8 cameraman.
    """
    if challenge_id == "coins":
        coins = skimage.data.coins()
        markers = np.zeros(coins.shape, np.uint8)
        markers[coins < 30], markers[coins > 150] = 1, 2  # sure background, sure coin
        regions = ndi.binary_fill_holes(watershed(sobel(coins), markers) == 2)
        labels, _ = segmentation.connected_components(regions)
        return segmentation.drop_small(labels, min_area=100)[0]  # a two-pixel speck is not a coin
    if challenge_id == "cell":
        clean = filters.gaussian_blur(skimage.data.cell(), sigma=2.0)
        labels, count = segmentation.connected_components(segmentation.fill_holes(threshold.otsu_selection(clean).mask))
        return labels == int(np.argmax(np.bincount(labels.ravel())[1:])) + 1
    if challenge_id == "page":
        page = skimage.data.page()
        return page <= threshold_sauvola(page, window_size=PAGE_WINDOW)
    if challenge_id == "noise":
        return skimage.data.camera()
    raise ValueError(f"challenge_id must be one of {', '.join(CHALLENGES)}; got {challenge_id!r}")


@dataclass(frozen=True)
class Grade:
    """A pipeline's grade on a challenge.

    Attributes
    ----------
    score : float
        The challenge's score (NaN when the output cannot be graded).
    passed : bool
        The goal is reached.
    detail : str
        What the score means for this pipeline, in plain words (Pixel Lab's own text and numbers).
    """

    score: float
    passed: bool
    detail: str


def _reached(challenge: Challenge, score: float) -> bool:
    if not math.isfinite(score):
        return False
    return score >= challenge.target if challenge.higher_is_better else score <= challenge.target


def _centres(output: Any) -> np.ndarray:
    """(row, col) of every object of a label image or a measurement table, shape (N, 2)."""
    if isinstance(output, pd.DataFrame):
        return output[["centroid_row", "centroid_col"]].to_numpy(dtype=np.float64).reshape(-1, 2)
    labels = output.astype(np.int64, copy=False)
    counts = np.bincount(labels.ravel())
    present = np.flatnonzero(counts[1:]) + 1
    rows, cols = np.indices(labels.shape)
    sums_r = np.bincount(labels.ravel(), rows.ravel(), len(counts))
    sums_c = np.bincount(labels.ravel(), cols.ravel(), len(counts))
    return np.column_stack([sums_r[present] / counts[present], sums_c[present] / counts[present]])


def _grade_coins(challenge: Challenge, output: Any) -> Grade:
    coins = reference("coins")
    height, width = coins.shape
    centres = _centres(output)
    if len(centres) and (centres.max(axis=0) > (height, width)).any():
        return Grade(math.nan, False, "The objects lie outside the photograph: keep its size (no Resize step).")
    rows = np.clip(np.rint(centres[:, 0]).astype(int), 0, height - 1) if len(centres) else np.zeros(0, int)
    cols = np.clip(np.rint(centres[:, 1]).astype(int), 0, width - 1) if len(centres) else np.zeros(0, int)
    hit = coins[rows, cols]
    per_coin = np.bincount(hit, minlength=REFERENCE_COINS + 1)[1:]
    missed = int(np.count_nonzero(per_coin == 0))
    doubled = int((per_coin[per_coin > 1] - 1).sum())
    off = int(np.count_nonzero(hit == 0))
    mistakes = missed + doubled + off
    found = int(np.count_nonzero(per_coin == 1))
    detail = (f"Your pipeline finds {len(centres)} object{'s' * (len(centres) != 1)}: {found} of the "
              f"{REFERENCE_COINS} coins have exactly one object centred on them")
    parts = []
    if missed:
        parts.append(f"{missed} coin{'s have' if missed != 1 else ' has'} none (lost, or joined to a neighbour "
                     "or the border)")
    if doubled:
        parts.append(f"{doubled} extra object{'s' * (doubled != 1)} on coins already counted (a coin cut in pieces)")
    if off:
        parts.append(f"{off} object{'s' * (off != 1)} centred off the coins (background, or several coins joined)")
    detail += (": " + "; ".join(parts) + ".") if parts else ", and nothing else is counted."
    return Grade(float(mistakes), mistakes <= challenge.target, detail)


def _text_f1(mask: np.ndarray, text: np.ndarray) -> float:
    both = int(np.count_nonzero(mask & text))
    total = int(np.count_nonzero(mask)) + int(np.count_nonzero(text))
    return 2 * both / total if total else math.nan


def grade(challenge_id: str, output: Any, kind: str | None = None) -> Grade:
    """Grade a pipeline's last output on a challenge.

    Parameters
    ----------
    challenge_id : str
        A key of `CHALLENGES`.
    output : ndarray, DataFrame or None
        The last step's output on `challenge_image` (None: a step could not run).
    kind : str, optional
        Its kind (`processing.pipeline.kind_of` by default).

    Returns
    -------
    Grade
        coins: counting mistakes (coins with no object, extra objects on a coin, objects off the coins, by
        each object's centre); cell: IoU with the reference mask (`processing.masks.mask_iou`); page: F1
        score of the text pixels, ``2 |mask ∧ text| / (|mask| + |text|)``; noise: PSNR in dB
        (`processing.filters.psnr`; `IDENTICAL_PSNR` for the clean image itself). NaN, with the reason, when the
        output is of another kind or size.
    """
    challenge = CHALLENGES[challenge_id]
    kind = kind_of(output) if kind is None else kind
    if output is None or kind is None:
        return Grade(math.nan, False, "The pipeline stops before its end: a step cannot run (see the steps above).")
    if kind not in challenge.needs:
        needed = " or a ".join({"labels": "label image", "table": "table of measurements", "mask": "mask",
                                "grey": "grey image"}[k] for k in challenge.needs)
        return Grade(math.nan, False, f"This challenge grades a {needed}, but the pipeline ends in a "
                                      f"{kind.replace('labels', 'label image')}.")
    if challenge_id == "coins":
        return _grade_coins(challenge, output)
    expected = reference(challenge_id)
    if output.shape != expected.shape:
        return Grade(math.nan, False, f"The result is {output.shape[1]} × {output.shape[0]} pixels but the image is "
                                      f"{expected.shape[1]} × {expected.shape[0]}: keep its size (no Resize step).")
    if challenge_id == "cell":
        score = masks.mask_iou(output, expected)
        share, cell = np.count_nonzero(output) / output.size, np.count_nonzero(expected) / expected.size
        detail = f"Your mask selects {share:.1%} of the image; the cell covers {cell:.1%}. IoU {score:.3f}."
    elif challenge_id == "page":
        score = _text_f1(output, expected)
        found = np.count_nonzero(output & expected) / max(np.count_nonzero(expected), 1)
        extra = np.count_nonzero(output & ~expected) / max(np.count_nonzero(~expected), 1)
        detail = (f"Your mask finds {found:.1%} of the text pixels and marks {extra:.1%} of the paper as text. "
                  f"F1 {score:.3f}.")
    else:
        score = filters.psnr(expected, output)
        noisy = filters.psnr(expected, challenge_image("noise"))
        if math.isinf(score):  # identical: infinite in theory; a finite number the exercise can compare
            score = IDENTICAL_PSNR
            detail = f"Identical to the clean image: PSNR infinite, counted as {IDENTICAL_PSNR:g} dB."
        else:
            detail = f"PSNR {score:.2f} dB (the noisy image: {noisy:.2f} dB)."
    return Grade(float(score), _reached(challenge, float(score)), detail)
