"""Tests for processing.challenges: references, grades (hand-computed cases), and for every challenge the model
solution reaching its goal while a naive pipeline does not."""

from __future__ import annotations

import math

import numpy as np
import pytest
import skimage.data
from skimage import measure as skmeasure

from processing import challenges, pipeline
from processing.challenges import CHALLENGES, challenge_image, grade, reference
from processing.filters import psnr


def run_last(challenge_id: str, text: str):
    outcomes = pipeline.run(challenge_image(challenge_id), pipeline.parse(text).steps)
    return outcomes[-1].output, outcomes[-1].kind


@pytest.mark.parametrize("challenge_id", list(CHALLENGES))
def test_the_model_solution_reaches_the_goal_and_a_naive_one_does_not(challenge_id):
    challenge = CHALLENGES[challenge_id]
    assert pipeline.parse(challenge.solution).notes == () and pipeline.parse(challenge.naive).notes == ()
    solved = grade(challenge_id, *run_last(challenge_id, challenge.solution))
    naive = grade(challenge_id, *run_last(challenge_id, challenge.naive))
    assert solved.passed and math.isfinite(solved.score), solved
    assert not naive.passed and math.isfinite(naive.score), naive


def test_the_default_pipeline_does_not_solve_any_challenge():
    for challenge_id in CHALLENGES:
        assert not grade(challenge_id, *run_last(challenge_id, pipeline.DEFAULT_TEXT)).passed


def test_challenge_images_are_made_as_their_code_says():
    for challenge_id, challenge in CHALLENGES.items():
        namespace = {}
        exec("import numpy as np\nimport skimage.data\n" + challenge.load_code, namespace)
        np.testing.assert_array_equal(namespace["img"], challenge_image(challenge_id))
    with pytest.raises(ValueError, match="challenge_id must be one of"):
        challenge_image("nope")


def test_the_coin_reference_has_the_24_coins():
    coins = reference("coins")
    areas = np.bincount(coins.ravel())[1:]
    assert coins.max() == 24 and areas.min() > 1000  # every coin, no speck
    # an independent count: scikit-image's own labelling of the same regions
    assert skmeasure.label(coins > 0).max() == 24


def test_counting_mistakes_hand_made():
    coins = reference("coins")
    exact = grade("coins", coins)
    assert exact.score == 0 and exact.passed and "nothing else is counted" in exact.detail
    merged = coins.copy()
    merged[merged == 2] = 1  # two coins as one object, centred between them
    graded = grade("coins", merged)
    hit = coins[tuple(np.rint(np.argwhere(merged == 1).mean(axis=0)).astype(int))]
    # on one of the two: the other is missed; elsewhere both are missed, and the object is off or doubles a coin
    assert graded.score == (1 if hit in (1, 2) else 3) and not graded.passed
    assert "none" in graded.detail
    cut = coins.copy()
    rows, cols = np.nonzero(coins == 5)
    cut[rows[cols > np.median(cols)], cols[cols > np.median(cols)]] = 25  # one coin in two pieces
    assert grade("coins", cut).score == 1 and "extra object" in grade("coins", cut).detail
    speck = coins.copy()
    speck[0:3, 0:3] = 30
    assert grade("coins", speck).score == 1 and "off the coins" in grade("coins", speck).detail


def test_counting_reads_a_table_too():
    table = pipeline.apply(pipeline.make_step("measure"), reference("coins"))
    assert grade("coins", table).score == 0
    assert grade("coins", table.iloc[:20]).score == 4


def test_grades_refuse_the_wrong_kind_or_size_with_a_reason():
    cell = grade("cell", np.zeros((10, 10), np.int32))
    assert math.isnan(cell.score) and not cell.passed and "ends in a label image" in cell.detail
    assert "keep its size" in grade("page", np.zeros((10, 10), bool)).detail
    assert "a step cannot run" in grade("noise", None).detail
    assert "grades a label image or a table" in grade("coins", np.zeros((5, 5), bool)).detail


def test_cell_and_page_scores_hand_computed():
    cell = reference("cell")
    assert grade("cell", cell).score == 1.0
    half = cell.copy()
    half[: cell.shape[0] // 2 + 370 - 370] = False  # nothing of the cell lies in the top half
    assert grade("cell", half).score == pytest.approx(np.count_nonzero(half & cell) / np.count_nonzero(half | cell))
    text = reference("page")
    assert grade("page", text).score == 1.0
    nothing = grade("page", np.zeros_like(text))
    assert nothing.score == 0.0 and "finds 0.0% of the text" in nothing.detail
    both = np.zeros_like(text)
    both[: text.shape[0] // 2] = True
    expected = 2 * np.count_nonzero(both & text) / (np.count_nonzero(both) + np.count_nonzero(text))
    assert grade("page", both).score == pytest.approx(expected)


def test_noise_score_is_psnr_against_the_clean_camera():
    clean = skimage.data.camera()
    noisy = challenge_image("noise")
    assert np.count_nonzero(noisy != clean) / clean.size == pytest.approx(0.2, abs=0.02)
    assert grade("noise", noisy).score == pytest.approx(psnr(clean, noisy))
    perfect = grade("noise", clean)
    assert perfect.score == challenges.IDENTICAL_PSNR and perfect.passed and "Identical" in perfect.detail


def test_challenges_are_registered_as_the_lessons_exercises():
    from ui.lessons import LESSONS_BY_SLUG

    assert LESSONS_BY_SLUG["pipeline"].exercises == tuple(c.exercise for c in CHALLENGES.values())
