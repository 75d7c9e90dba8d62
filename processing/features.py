"""Finding features: straight lines and circles (Hough), corners (Harris, Shi-Tomasi) and templates.

Grey images are uint8 ``(H, W)``; pictures returned for display are uint8 RGB.
Points are ``(row, col)`` like scikit-image, except where OpenCV's own results
are handed on (circles as ``(x, y, r)``, segments as ``(x1, y1, x2, y2)``), which
the docstrings say.

Lines use OpenCV's convention: a line is every point with ``x cos θ + y sin θ = ρ``,
θ in [0, π) measured from the x axis towards y (down the screen), ρ the signed
distance from the top-left corner. `hough_space` builds the accumulator in
NumPy with OpenCV's own discretisation, so the peaks it shows are the lines
``cv2.HoughLines`` returns (tests compare the two).

Measured on this project's 2-core machine, 512 × 512 grey with ~6,000 edge pixels:
`hough_space` at 1° and 1 px 25 ms, `hough_lines` 6 ms, `find_circles` 5 ms,
`harris_response` 3 ms, `match_template` 10-20 ms per method for a 32 × 32 patch.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import cv2
import numpy as np

from processing._checks import check_choice, check_float, check_gray, check_image, check_int, check_mask
from processing.display import to_uint8

__all__ = [
    "MATCH_METHODS",
    "COINS_COUNT",
    "CircleResult",
    "CornerChange",
    "HoughSpace",
    "LineResult",
    "ResolutionRow",
    "StructureTensor",
    "TemplateMatch",
    "TemplateChange",
    "accumulator_picture",
    "corner_change",
    "cut_template",
    "draw_boxes",
    "draw_circles",
    "draw_lines",
    "draw_points",
    "draw_segments",
    "find_circles",
    "harris_corners",
    "harris_response",
    "hough_lines",
    "hough_resolution",
    "hough_segments",
    "hough_space",
    "card_score",
    "known_lines_and_circles",
    "match_template",
    "response_picture",
    "score_picture",
    "shi_tomasi_corners",
    "structure_tensor",
    "template_change",
    "rho_of",
    "two_point_line",
]

#: Template matching scores: id -> (OpenCV flag, name, True when the best match is the smallest score).
MATCH_METHODS: dict[str, tuple[int, str, bool]] = {
    "sqdiff": (cv2.TM_SQDIFF, "squared difference", True),
    "ccorr": (cv2.TM_CCORR, "correlation", False),
    "ccoeff_normed": (cv2.TM_CCOEFF_NORMED, "normalised correlation", False),
}
#: The coins in scikit-image's ``coins`` sample, counted by eye (4 rows of 6).
COINS_COUNT = 24

# Marks drawn on the pictures, from Okabe and Ito's palette (vermillion, bluish green, yellow, blue): the four boxes
# of template matching are drawn together and stay apart with any colour vision (tests/test_colour_vision.py).
RED = (213, 94, 0)
GREEN = (0, 158, 115)
YELLOW = (240, 228, 66)
BLUE = (0, 114, 178)


def _rgb(image: np.ndarray) -> np.ndarray:
    check_image(image)
    return cv2.cvtColor(image, cv2.COLOR_GRAY2RGB) if image.ndim == 2 else image.copy()


def _check_edges(edges: np.ndarray) -> np.ndarray:
    check_mask(edges, name="edges")
    return edges.view(np.uint8) * np.uint8(255)


# --------------------------------------------------------------------------- lines


def _num_angles(theta_step: float) -> int:
    """OpenCV's count of angles in [0, π): one more than fit, less the one that would repeat θ = 0."""
    count = int(np.floor(np.pi / theta_step)) + 1
    if count > 1 and abs(np.pi - (count - 1) * theta_step) < theta_step / 2:
        count -= 1
    return count


@dataclass(frozen=True)
class HoughSpace:
    """The (θ, ρ) accumulator of the standard Hough transform.

    Attributes
    ----------
    votes : ndarray of int32, shape (n_theta, n_rho)
        Edge pixels on each line.
    thetas : ndarray of float64, shape (n_theta,)
        Angles in radians, ``k * theta_step`` from 0 up to below π (the votes use OpenCV's angles, summed
        step by step in float32, which drift from these by less than 1e-4 rad).
    rhos : ndarray of float64, shape (n_rho,)
        Signed distances in pixels, ``(index - (n_rho - 1) // 2) * rho_step`` (as OpenCV reports them).
    """

    votes: np.ndarray
    thetas: np.ndarray
    rhos: np.ndarray


def hough_space(edges: np.ndarray, *, rho_step: float = 1.0, theta_step: float = 1.0) -> HoughSpace:
    """Every edge pixel votes for every line through it: the accumulator ``cv2.HoughLines`` searches.

    Parameters
    ----------
    edges : ndarray of bool, shape (H, W)
        An edge map (Canny).
    rho_step : float
        Distance resolution in pixels, 0.5 to 20.
    theta_step : float
        Angle resolution in degrees, 0.1 to 30.

    Returns
    -------
    HoughSpace
        With OpenCV's discretisation: ``2 (W + H) + 1`` pixels of ρ over `rho_step`, ρ index
        ``round(x cos θ / rho_step + y sin θ / rho_step) + (n_rho - 1) // 2`` in float32.
    """
    image = _check_edges(edges)
    rho_step = check_float(rho_step, name="rho_step", low=0.5, high=20.0)
    theta_rad = np.deg2rad(check_float(theta_step, name="theta_step", low=0.1, high=30.0))
    height, width = image.shape
    n_theta = _num_angles(float(np.float32(theta_rad)))
    n_rho = int(np.rint((2 * (width + height) + 1) / rho_step))
    # OpenCV steps the angle in float32 and scales sin and cos by 1 / rho in float32.
    angles = np.cumsum(np.r_[0.0, np.full(n_theta - 1, np.float32(theta_rad))].astype(np.float32), dtype=np.float32)
    inverse = np.float32(1.0 / np.float32(rho_step))
    sines = (np.sin(angles.astype(np.float64)) * inverse).astype(np.float32)
    cosines = (np.cos(angles.astype(np.float64)) * inverse).astype(np.float32)
    ys, xs = np.nonzero(image)
    votes = np.zeros(n_theta * n_rho, np.int64)
    offsets = np.arange(n_theta, dtype=np.int64) * n_rho
    for start in range(0, xs.size, 8192):  # chunks bound the memory: pixels × angles indices at a time
        x = xs[start:start + 8192, None].astype(np.float32)
        y = ys[start:start + 8192, None].astype(np.float32)
        r = np.rint(x * cosines + y * sines).astype(np.int64) + (n_rho - 1) // 2
        votes += np.bincount((r + offsets).ravel(), minlength=votes.size)
    rhos = (np.arange(n_rho) - (n_rho - 1) // 2) * rho_step
    thetas = np.arange(n_theta) * float(np.float32(theta_rad))  # as OpenCV reports them: k × step
    return HoughSpace(votes.reshape(n_theta, n_rho).astype(np.int32), thetas, rhos)


@dataclass(frozen=True)
class LineResult:
    """Lines found by ``cv2.HoughLines``, strongest first.

    Attributes
    ----------
    lines : ndarray of float64, shape (n, 3)
        ``(rho, theta, votes)`` per line: ρ in pixels, θ in radians.
    found : int
        Lines above the threshold (`lines` keeps at most ``max_lines`` of them).
    """

    lines: np.ndarray
    found: int


def hough_lines(edges: np.ndarray, *, rho_step: float = 1.0, theta_step: float = 1.0, threshold: int = 100,
                max_lines: int = 30) -> LineResult:
    """Straight lines through many edge pixels: local peaks of `hough_space` with more than `threshold` votes.

    Parameters
    ----------
    edges : ndarray of bool, shape (H, W)
    rho_step, theta_step : float
        As for `hough_space` (pixels, degrees).
    threshold : int
        Votes a line needs, more than this; 1 to 100,000.
    max_lines : int
        Strongest lines kept, 1 to 500.

    Returns
    -------
    LineResult
    """
    image = _check_edges(edges)
    rho_step = check_float(rho_step, name="rho_step", low=0.5, high=20.0)
    theta_step = check_float(theta_step, name="theta_step", low=0.1, high=30.0)
    threshold = check_int(threshold, name="threshold", low=1, high=100_000)
    max_lines = check_int(max_lines, name="max_lines", low=1, high=500)
    found = cv2.HoughLinesWithAccumulator(image, rho_step, np.deg2rad(theta_step), threshold)
    lines = np.zeros((0, 3)) if found is None else found.reshape(-1, 3).astype(np.float64)
    return LineResult(lines[:max_lines], int(lines.shape[0]))


def hough_segments(edges: np.ndarray, *, rho_step: float = 1.0, theta_step: float = 1.0, threshold: int = 50,
                   min_length: int = 30, max_gap: int = 5) -> np.ndarray:
    """Line segments by the probabilistic Hough transform (``cv2.HoughLinesP``).

    Parameters
    ----------
    edges : ndarray of bool, shape (H, W)
    rho_step, theta_step : float
        Pixels, degrees.
    threshold : int
        Votes a line needs, 1 to 100,000.
    min_length : int
        Shortest segment kept, pixels, 0 to 10,000.
    max_gap : int
        Largest gap bridged along a segment, pixels, 0 to 1,000.

    Returns
    -------
    ndarray of int32, shape (n, 4)
        ``(x1, y1, x2, y2)`` per segment. OpenCV samples the edge pixels in a random order from a
        fixed seed, so the answer is the same on every run.
    """
    image = _check_edges(edges)
    rho_step = check_float(rho_step, name="rho_step", low=0.5, high=20.0)
    theta_step = check_float(theta_step, name="theta_step", low=0.1, high=30.0)
    threshold = check_int(threshold, name="threshold", low=1, high=100_000)
    min_length = check_int(min_length, name="min_length", low=0, high=10_000)
    max_gap = check_int(max_gap, name="max_gap", low=0, high=1_000)
    found = cv2.HoughLinesP(image, rho_step, np.deg2rad(theta_step), threshold, minLineLength=min_length,
                            maxLineGap=max_gap)
    return np.zeros((0, 4), np.int32) if found is None else found.reshape(-1, 4).astype(np.int32)


def _line_rows(lines: np.ndarray) -> np.ndarray:
    """`lines` as float64 rows ``(rho, theta[, votes])``; an empty input gives shape (0, 2)."""
    lines = np.asarray(lines, dtype=np.float64)
    if lines.size == 0:
        return np.zeros((0, 2))
    if lines.ndim != 2 or lines.shape[1] not in (2, 3):
        raise ValueError(f"lines must have shape (n, 2) or (n, 3), got {lines.shape}")
    return lines


def rho_of(x: float, y: float, *, theta: float) -> float:
    """The ρ for which the pixel (`x`, `y`) votes at angle `theta` (degrees): ``x cos θ + y sin θ``."""
    theta = np.deg2rad(check_float(theta, name="theta", low=-360.0, high=360.0))
    return float(check_float(x, name="x") * np.cos(theta) + check_float(y, name="y") * np.sin(theta))


def two_point_line(rho: float, theta: float, *, reach: float) -> tuple[tuple[int, int], tuple[int, int]]:
    """Two points ``(x, y)`` on the line ``x cos θ + y sin θ = ρ``, `reach` pixels either side of its foot."""
    x0, y0 = rho * np.cos(theta), rho * np.sin(theta)
    dx, dy = -np.sin(theta), np.cos(theta)
    return ((int(round(x0 + reach * dx)), int(round(y0 + reach * dy))),
            (int(round(x0 - reach * dx)), int(round(y0 - reach * dy))))


def draw_lines(image: np.ndarray, lines: np.ndarray, *, thickness: int = 2) -> np.ndarray:
    """The image in RGB with each ``(rho, theta, ...)`` line drawn across it in red (the strongest in yellow).

    Parameters
    ----------
    image : ndarray of uint8, shape (H, W) or (H, W, 3)
    lines : ndarray, shape (n, 2) or (n, 3)
        ρ (pixels), θ (radians)[, votes].
    thickness : int
        Pixels, 1 to 10.

    Returns
    -------
    ndarray of uint8, shape (H, W, 3)
    """
    picture = _rgb(image)
    thickness = check_int(thickness, name="thickness", low=1, high=10)
    reach = 2.0 * sum(image.shape[:2])
    for index, (rho, theta) in enumerate(_line_rows(lines)[:, :2]):
        start, end = two_point_line(rho, theta, reach=reach)
        cv2.line(picture, start, end, YELLOW if index == 0 else RED, thickness, cv2.LINE_AA)
    return picture


def draw_segments(image: np.ndarray, segments: np.ndarray, *, thickness: int = 2) -> np.ndarray:
    """The image in RGB with each ``(x1, y1, x2, y2)`` segment drawn in green, its ends in yellow.

    Returns
    -------
    ndarray of uint8, shape (H, W, 3)
    """
    picture = _rgb(image)
    thickness = check_int(thickness, name="thickness", low=1, high=10)
    for x1, y1, x2, y2 in np.asarray(segments, dtype=np.int64).reshape(-1, 4):
        cv2.line(picture, (int(x1), int(y1)), (int(x2), int(y2)), GREEN, thickness, cv2.LINE_AA)
        for point in ((int(x1), int(y1)), (int(x2), int(y2))):
            cv2.circle(picture, point, thickness + 1, YELLOW, -1, cv2.LINE_AA)
    return picture


def accumulator_picture(space: HoughSpace, lines: np.ndarray, *, height: int = 360) -> np.ndarray:
    """The accumulator as a picture, θ across (0° left to 180° right) and ρ down, the found lines circled.

    Votes are shown as ``sqrt(votes / max)`` (so that weak ridges stay visible next to the peaks), rows
    of ρ that no line reaches are cut off, and the rest is resized to `height` rows (area interpolation).

    Parameters
    ----------
    space : HoughSpace
    lines : ndarray, shape (n, 2) or (n, 3)
        ``(rho, theta[, votes])`` to circle (the strongest in yellow, the others in red).
    height : int
        Rows of the picture, 60 to 1000; it is ``2 n_theta`` columns wide (at most 720).

    Returns
    -------
    ndarray of uint8, shape (height, width, 3)
    """
    height = check_int(height, name="height", low=60, high=1000)
    votes = space.votes.T.astype(np.float64)  # rows: ρ, columns: θ
    used = np.flatnonzero(votes.any(axis=1))
    first, last = (int(used[0]), int(used[-1]) + 1) if used.size else (0, votes.shape[0])
    first, last = max(0, first - 2), min(votes.shape[0], last + 2)
    crop = votes[first:last]
    width = min(720, max(60, 2 * crop.shape[1]))
    peak = float(crop.max()) if crop.size and crop.max() > 0 else 1.0
    shown = cv2.resize(np.sqrt(crop / peak), (width, height), interpolation=cv2.INTER_AREA)
    picture = cv2.cvtColor(to_uint8(shown, low=0.0, high=1.0), cv2.COLOR_GRAY2RGB)
    rho_step = space.rhos[1] - space.rhos[0] if space.rhos.size > 1 else 1.0
    theta_span = space.thetas[-1] + (space.thetas[1] - space.thetas[0] if space.thetas.size > 1 else np.pi)
    for index, line in enumerate(_line_rows(lines)):
        row = ((line[0] - space.rhos[0]) / rho_step - first + 0.5) * height / crop.shape[0]
        col = (line[1] / theta_span) * width + 0.5 * width / crop.shape[1]
        cv2.circle(picture, (int(round(col)), int(round(row))), 7, YELLOW if index == 0 else RED, 2, cv2.LINE_AA)
    return picture


@dataclass(frozen=True)
class ResolutionRow:
    """One accumulator resolution on a test image with a known line.

    Attributes
    ----------
    theta_step, rho_step : float
        Degrees, pixels.
    cells : int
        Cells of the accumulator.
    milliseconds : float
        Time of ``cv2.HoughLines`` measured here (median of 5 runs).
    angle_error, offset_error : float
        Degrees and pixels between the strongest line found and the true one (``nan`` if none).
    """

    theta_step: float
    rho_step: float
    cells: int
    milliseconds: float
    angle_error: float
    offset_error: float


#: The lines and circles of `known_lines_and_circles`: (ρ px, θ degrees) and (x, y, r) px.
KNOWN_LINES = ((150.0, 33.7), (-100.0, 128.0))
KNOWN_CIRCLES = ((90, 230, 40), (300, 90, 28))


def known_lines_and_circles(*, noise: float = 0.0, seed: int = 0) -> np.ndarray:
    """A 320 × 400 grey test card: two straight lines and two circles of known position on dark grey.

    Parameters
    ----------
    noise : float
        Standard deviation of Gaussian noise added, grey levels, 0 to 100.
    seed : int
        Seed of the noise.

    Returns
    -------
    ndarray of uint8, shape (320, 400)
        Lines at `KNOWN_LINES` (ρ, θ in OpenCV's convention) 3 pixels wide, filled bright discs at
        `KNOWN_CIRCLES` (x, y, r).
    """
    noise = check_float(noise, name="noise", low=0.0, high=100.0)
    card = np.full((320, 400), 40, np.uint8)
    for rho, theta in KNOWN_LINES:
        start, end = two_point_line(rho, np.deg2rad(theta), reach=1000.0)
        cv2.line(card, start, end, 220, 3, cv2.LINE_AA)
    for x, y, r in KNOWN_CIRCLES:
        cv2.circle(card, (x, y), r, 200, -1, cv2.LINE_AA)
    if noise:
        values = card + np.random.default_rng(seed).normal(0.0, noise, card.shape)
        card = to_uint8(values)
    return card


def card_score(lines: np.ndarray, circles: np.ndarray, *, rho_tolerance: float = 12.0,
               theta_tolerance: float = 4.0, centre_tolerance: float = 5.0) -> tuple[int, int, int, int]:
    """Sort detections on the `known_lines_and_circles` card into true and false ones.

    Parameters
    ----------
    lines : ndarray, shape (n, 2) or (n, 3)
        ``(rho, theta[, votes])``, θ in radians.
    circles : ndarray, shape (m, 3)
        ``(x, y, r)``.
    rho_tolerance, theta_tolerance, centre_tolerance : float
        Pixels, degrees, pixels: how far a detection may be from a true line or circle centre. A line 3 pixels
        wide and anti-aliased gives several peaks up to about 10 pixels and 3° from its true cell.

    Returns
    -------
    tuple of int
        ``(true lines, false lines, true circles, false circles)``.
    """
    lines = _line_rows(lines)
    circles = np.asarray(circles, dtype=np.float64).reshape(-1, 3)
    true_lines = sum(any(abs(rho - r) <= rho_tolerance and abs(np.rad2deg(theta) - t) <= theta_tolerance
                         for r, t in KNOWN_LINES) for rho, theta in lines[:, :2])
    true_circles = sum(any(np.hypot(x - cx, y - cy) <= centre_tolerance for cx, cy, _ in KNOWN_CIRCLES)
                       for x, y, _ in circles)
    return int(true_lines), int(len(lines) - true_lines), int(true_circles), int(len(circles) - true_circles)


def hough_resolution(*, theta_steps: tuple[float, ...] = (0.25, 0.5, 1.0, 2.0, 5.0),
                     rho_steps: tuple[float, ...] = (1.0, 1.0, 1.0, 2.0, 5.0)) -> tuple[ResolutionRow, ...]:
    """Accuracy against cost of the accumulator's resolution, on one known line of the test card.

    Returns
    -------
    tuple of ResolutionRow
        One per (theta step, rho step) pair.
    """
    if len(theta_steps) != len(rho_steps) or not theta_steps:
        raise ValueError("theta_steps and rho_steps must be non-empty and of the same length")
    card = np.full((320, 400), 0, np.uint8)
    rho_true, theta_true = KNOWN_LINES[0]
    cv2.line(card, *two_point_line(rho_true, np.deg2rad(theta_true), reach=1000.0), 255, 1, cv2.LINE_8)
    rows = []
    for theta_step, rho_step in zip(theta_steps, rho_steps):
        theta_step = check_float(theta_step, name="theta_steps", low=0.1, high=30.0)
        rho_step = check_float(rho_step, name="rho_steps", low=0.5, high=20.0)
        cv2.HoughLines(card, rho_step, np.deg2rad(theta_step), 20)  # warm up: the first call allocates
        times = []
        for _ in range(5):
            start = time.perf_counter()
            found = cv2.HoughLines(card, rho_step, np.deg2rad(theta_step), 20)
            times.append(1000 * (time.perf_counter() - start))
        cells = _num_angles(np.deg2rad(theta_step)) * int(np.rint((2 * sum(card.shape) + 1) / rho_step))
        if found is None:
            rows.append(ResolutionRow(theta_step, rho_step, cells, float(np.median(times)), np.nan, np.nan))
            continue
        rho, theta = found[0, 0]
        rows.append(ResolutionRow(theta_step, rho_step, cells, float(np.median(times)),
                                  abs(float(np.rad2deg(theta)) - theta_true), abs(float(rho) - rho_true)))
    return tuple(rows)


# --------------------------------------------------------------------------- circles


@dataclass(frozen=True)
class CircleResult:
    """Circles found by the Hough gradient method.

    Attributes
    ----------
    circles : ndarray of float64, shape (n, 3)
        ``(x, y, r)`` per circle in pixels, strongest first.
    votes : ndarray of float64, shape (n,)
        Accumulator votes of each centre.
    """

    circles: np.ndarray
    votes: np.ndarray

    @property
    def count(self) -> int:
        return int(self.circles.shape[0])


def find_circles(grey: np.ndarray, *, min_radius: int = 15, max_radius: int = 40, threshold: int = 30,
                 min_distance: int = 20, edge_threshold: int = 100, blur: float = 2.0) -> CircleResult:
    """Circles by ``cv2.HoughCircles`` (``HOUGH_GRADIENT``) on a Gaussian-smoothed copy of the image.

    Edge pixels (Canny with high threshold `edge_threshold`, low half of it) vote along their gradient
    direction for centres `min_radius` to `max_radius` away; centres with more than `threshold` votes
    (after the accumulator is scaled to the image) become circles, each given the radius most of its
    edge pixels agree on.

    Parameters
    ----------
    grey : ndarray of uint8, shape (H, W)
    min_radius, max_radius : int
        Radii searched, pixels, 1 to 2,000, ``min_radius <= max_radius``.
    threshold : int
        Accumulator votes a centre needs, 1 to 500: lower finds more (and more false) circles.
    min_distance : int
        Smallest distance between two centres, pixels, 1 to 2,000.
    edge_threshold : int
        Canny's high threshold, 1 to 500.
    blur : float
        Sigma of the Gaussian smoothing first, 0 (none) to 10.

    Returns
    -------
    CircleResult
    """
    check_gray(grey, name="grey")
    min_radius = check_int(min_radius, name="min_radius", low=1, high=2000)
    max_radius = check_int(max_radius, name="max_radius", low=min_radius, high=2000)
    threshold = check_int(threshold, name="threshold", low=1, high=500)
    min_distance = check_int(min_distance, name="min_distance", low=1, high=2000)
    edge_threshold = check_int(edge_threshold, name="edge_threshold", low=1, high=500)
    blur = check_float(blur, name="blur", low=0.0, high=10.0)
    smoothed = cv2.GaussianBlur(grey, (0, 0), blur) if blur > 0 else grey
    found = cv2.HoughCirclesWithAccumulator(smoothed, cv2.HOUGH_GRADIENT, dp=1, minDist=min_distance,
                                            param1=edge_threshold, param2=threshold, minRadius=min_radius,
                                            maxRadius=max_radius)
    found = np.zeros((0, 4)) if found is None else found.reshape(-1, 4).astype(np.float64)
    return CircleResult(found[:, :3], found[:, 3])


def draw_circles(image: np.ndarray, circles: np.ndarray, *, thickness: int = 2) -> np.ndarray:
    """The image in RGB with each ``(x, y, r)`` circle in green and its centre in red.

    Returns
    -------
    ndarray of uint8, shape (H, W, 3)
    """
    picture = _rgb(image)
    thickness = check_int(thickness, name="thickness", low=1, high=10)
    for x, y, r in np.asarray(circles, dtype=np.float64).reshape(-1, 3):
        centre = (int(round(x)), int(round(y)))
        cv2.circle(picture, centre, int(round(r)), GREEN, thickness, cv2.LINE_AA)
        cv2.circle(picture, centre, 2, RED, -1, cv2.LINE_AA)
    return picture


# --------------------------------------------------------------------------- corners


def harris_response(grey: np.ndarray, *, block_size: int = 3, ksize: int = 3, k: float = 0.04) -> np.ndarray:
    """Harris' corner measure ``R = det(M) - k trace(M)²`` at every pixel (``cv2.cornerHarris``).

    ``M`` sums ``[[Ix², Ix Iy], [Ix Iy, Iy²]]`` over a `block_size` window; ``Ix, Iy`` are Sobel derivatives
    scaled by ``1 / (2^(ksize-1) · block_size · 255)``. Borders are reflected (``BORDER_REFLECT_101``).

    Parameters
    ----------
    grey : ndarray of uint8, shape (H, W)
    block_size : int
        Window side, 2 to 31.
    ksize : int
        Sobel aperture, 3, 5 or 7.
    k : float
        Harris' constant, 0.01 to 0.25 (usually 0.04 to 0.06).

    Returns
    -------
    ndarray of float32, shape (H, W)
        Large and positive at corners, negative along edges, near 0 in flat areas.
    """
    check_gray(grey, name="grey")
    block_size = check_int(block_size, name="block_size", low=2, high=31)
    ksize = check_int(ksize, name="ksize", low=3, high=7, odd=True)
    k = check_float(k, name="k", low=0.01, high=0.25)
    return cv2.cornerHarris(grey, block_size, ksize, k)


def harris_corners(response: np.ndarray, *, threshold: float = 0.01, suppress: bool = True,
                   window: int = 7) -> np.ndarray:
    """Pixels whose Harris response exceeds `threshold` × its maximum, optionally only local maxima.

    Parameters
    ----------
    response : ndarray of float32, shape (H, W)
        From `harris_response`.
    threshold : float
        Share of the largest response, 0.0001 to 1.
    suppress : bool
        Non-maximum suppression: keep a pixel only if it is the largest in its `window` × `window`
        neighbourhood, the first in reading order among equals (else every pixel of a corner's blob counts).
    window : int
        Odd side of that neighbourhood, 3 to 31.

    Returns
    -------
    ndarray of int64, shape (n, 2)
        ``(row, col)`` per corner, strongest first.
    """
    response = np.asarray(response)
    if response.ndim != 2 or response.dtype != np.float32 or response.size == 0:
        raise ValueError(f"response must be a float32 (H, W) array, got {response.dtype} {response.shape}")
    threshold = check_float(threshold, name="threshold", low=0.0001, high=1.0)
    window = check_int(window, name="window", low=3, high=31, odd=True)
    peak = float(response.max())
    if peak <= 0:
        return np.zeros((0, 2), np.int64)
    keep = response > threshold * peak
    if suppress:
        # A local maximum beats the neighbours before it (rows above, left in its row) and at least ties the
        # rest, so a plateau of equal values (the four pixels around a checkerboard corner) keeps one pixel.
        earlier = np.zeros((window, window), np.uint8)
        earlier[: window // 2] = 1
        earlier[window // 2, : window // 2] = 1
        later = np.ones((window, window), np.uint8) - earlier
        later[window // 2, window // 2] = 0
        keep &= (response > cv2.dilate(response, earlier)) & (response >= cv2.dilate(response, later))
    rows, cols = np.nonzero(keep)
    order = np.argsort(-response[rows, cols], kind="stable")
    return np.stack([rows[order], cols[order]], axis=1).astype(np.int64)


def shi_tomasi_corners(grey: np.ndarray, *, max_corners: int = 300, quality: float = 0.01,
                       min_distance: int = 7, block_size: int = 3) -> np.ndarray:
    """Corners by Shi and Tomasi's measure, the smaller eigenvalue of ``M`` (``cv2.goodFeaturesToTrack``).

    Parameters
    ----------
    grey : ndarray of uint8, shape (H, W)
    max_corners : int
        Strongest corners kept, 1 to 5,000.
    quality : float
        Share of the best corner's measure a corner needs, 0.0001 to 1.
    min_distance : int
        Smallest distance between two corners, pixels, 1 to 100.
    block_size : int
        Window side, 2 to 31.

    Returns
    -------
    ndarray of int64, shape (n, 2)
        ``(row, col)`` per corner, strongest first.
    """
    check_gray(grey, name="grey")
    max_corners = check_int(max_corners, name="max_corners", low=1, high=5000)
    quality = check_float(quality, name="quality", low=0.0001, high=1.0)
    min_distance = check_int(min_distance, name="min_distance", low=1, high=100)
    block_size = check_int(block_size, name="block_size", low=2, high=31)
    found = cv2.goodFeaturesToTrack(grey, max_corners, quality, min_distance, blockSize=block_size)
    if found is None:
        return np.zeros((0, 2), np.int64)
    return np.rint(found.reshape(-1, 2)[:, ::-1]).astype(np.int64)


def draw_points(image: np.ndarray, points: np.ndarray, *, colour: tuple[int, int, int] = RED,
                radius: int = 4) -> np.ndarray:
    """The image in RGB with a ring around each ``(row, col)`` point.

    Returns
    -------
    ndarray of uint8, shape (H, W, 3)
    """
    picture = _rgb(image)
    radius = check_int(radius, name="radius", low=1, high=50)
    for row, col in np.asarray(points, dtype=np.int64).reshape(-1, 2):
        cv2.circle(picture, (int(col), int(row)), radius, colour, 2, cv2.LINE_AA)
    return picture


def response_picture(response: np.ndarray) -> np.ndarray:
    """The Harris response as a heat map: corners (R > 0) red, edges (R < 0) blue, flat areas black.

    Each sign is shown as ``sqrt(|R| / max |R| of that sign)``, so weak corners stay visible.

    Returns
    -------
    ndarray of uint8, shape (H, W, 3)
    """
    response = np.asarray(response, dtype=np.float64)
    if response.ndim != 2 or response.size == 0:
        raise ValueError(f"response must be a non-empty (H, W) array, got shape {response.shape}")
    positive = np.maximum(response, 0.0)
    negative = np.maximum(-response, 0.0)
    corners = np.sqrt(positive / positive.max()) if positive.max() > 0 else positive
    edges = np.sqrt(negative / negative.max()) if negative.max() > 0 else negative
    return np.dstack([to_uint8(corners, high=1.0), to_uint8(0.25 * corners, high=1.0), to_uint8(edges, high=1.0)])


@dataclass(frozen=True)
class StructureTensor:
    """The Harris matrix ``M = [[a, b], [b, c]]`` at one pixel, its eigenvalues and the response.

    Attributes
    ----------
    a, b, c : float
        Window sums of ``Ix²``, ``Ix Iy``, ``Iy²`` (with `harris_response`'s scaling).
    small, large : float
        Eigenvalues of M, ``small <= large``.
    response : float
        ``a c - b² - k (a + c)²``.
    """

    a: float
    b: float
    c: float
    small: float
    large: float
    response: float

    @property
    def kind(self) -> str:
        """"flat" when the larger eigenvalue is below 0.001 (about a 30-level step across the window, with
        `harris_response`'s scaling), else "corner" when R > 0 and "edge" when not."""
        if self.large < 1e-3:
            return "flat"
        return "corner" if self.response > 0 else "edge"


def structure_tensor(grey: np.ndarray, *, row: int, col: int, block_size: int = 3, ksize: int = 3,
                     k: float = 0.04) -> StructureTensor:
    """`harris_response`'s matrix ``M`` at (`row`, `col`), computed as OpenCV computes it.

    Returns
    -------
    StructureTensor
    """
    check_gray(grey, name="grey")
    row = check_int(row, name="row", low=0, high=grey.shape[0] - 1)
    col = check_int(col, name="col", low=0, high=grey.shape[1] - 1)
    block_size = check_int(block_size, name="block_size", low=2, high=31)
    ksize = check_int(ksize, name="ksize", low=3, high=7, odd=True)
    k = check_float(k, name="k", low=0.01, high=0.25)
    scale = 1.0 / ((1 << (ksize - 1)) * block_size * 255.0)
    dx = cv2.Sobel(grey, cv2.CV_32F, 1, 0, ksize=ksize, scale=scale)
    dy = cv2.Sobel(grey, cv2.CV_32F, 0, 1, ksize=ksize, scale=scale)
    products = np.dstack([dx * dx, dx * dy, dy * dy])
    sums = cv2.boxFilter(products, -1, (block_size, block_size), normalize=False)
    a, b, c = (float(v) for v in sums[row, col])
    half_trace, root = (a + c) / 2, float(np.hypot((a - c) / 2, b))
    return StructureTensor(a, b, c, half_trace - root, half_trace + root, a * c - b * b - k * (a + c) ** 2)


@dataclass(frozen=True)
class CornerChange:
    """Corners found again after the image was rotated or rescaled.

    Attributes
    ----------
    before : int
        Corners of the original that land inside the changed image.
    kept : int
        Of those, corners with a corner of the changed image within `tolerance` pixels of where they moved.
    picture : ndarray of uint8, shape (h, w, 3)
        The changed image with its corners in red and the original corners moved onto it in green rings.
    """

    before: int
    kept: int
    picture: np.ndarray

    @property
    def share(self) -> float:
        """``kept / before`` (``nan`` when there was nothing to find)."""
        return self.kept / self.before if self.before else float("nan")


def corner_change(grey: np.ndarray, *, angle: float = 0.0, scale: float = 1.0, threshold: float = 0.01,
                  tolerance: float = 2.0) -> CornerChange:
    """Rotate (degrees, about the centre) and rescale the image, detect Harris corners in both, and count how
    many of the original corners are found again where the change moved them.

    Corners are `harris_corners` of `harris_response` with the defaults (3 × 3 window, k = 0.04), with
    non-maximum suppression and `threshold`.

    Parameters
    ----------
    grey : ndarray of uint8, shape (H, W)
    angle : float
        Degrees, -180 to 180 (counter-clockwise on screen).
    scale : float
        0.25 to 4.
    threshold : float
        As for `harris_corners`.
    tolerance : float
        Pixels, 0.5 to 20.

    Returns
    -------
    CornerChange
    """
    check_gray(grey, name="grey")
    angle = check_float(angle, name="angle", low=-180.0, high=180.0)
    scale = check_float(scale, name="scale", low=0.25, high=4.0)
    tolerance = check_float(tolerance, name="tolerance", low=0.5, high=20.0)
    height, width = grey.shape
    size = (max(1, int(round(width * scale))), max(1, int(round(height * scale))))
    matrix = cv2.getRotationMatrix2D(((width - 1) / 2, (height - 1) / 2), angle, scale)
    matrix[:, 2] += ((size[0] - 1) / 2 - (width - 1) / 2 * 1.0, (size[1] - 1) / 2 - (height - 1) / 2 * 1.0)
    changed = cv2.warpAffine(grey, matrix, size, flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT_101)
    original = harris_corners(harris_response(grey), threshold=threshold)
    found = harris_corners(harris_response(changed), threshold=threshold)
    moved = original[:, ::-1].astype(np.float64) @ matrix[:, :2].T + matrix[:, 2]  # (x, y)
    margin = 4
    inside = ((moved[:, 0] >= margin) & (moved[:, 0] <= size[0] - 1 - margin)
              & (moved[:, 1] >= margin) & (moved[:, 1] <= size[1] - 1 - margin))
    moved = moved[inside]
    if moved.size and found.size:
        distances = np.hypot(moved[:, None, 0] - found[None, :, 1], moved[:, None, 1] - found[None, :, 0])
        kept = int(np.count_nonzero(distances.min(axis=1) <= tolerance))
    else:
        kept = 0
    picture = draw_points(changed, found, colour=RED, radius=3)
    picture = draw_points(picture, np.rint(moved[:, ::-1]), colour=GREEN, radius=6)
    return CornerChange(int(moved.shape[0]), kept, picture)


# --------------------------------------------------------------------------- templates


def cut_template(grey: np.ndarray, *, row: int, col: int, size: int) -> tuple[np.ndarray, int, int]:
    """The `size` × `size` patch centred on (`row`, `col`), moved inside the image where it would stick out.

    Returns
    -------
    patch : ndarray of uint8, shape (s, s), s = min(size, H, W)
    top, left : int
        Its position in the image.
    """
    check_gray(grey, name="grey")
    row = check_int(row, name="row", low=0, high=grey.shape[0] - 1)
    col = check_int(col, name="col", low=0, high=grey.shape[1] - 1)
    size = min(check_int(size, name="size", low=1, high=1000), *grey.shape)
    top = min(max(row - size // 2, 0), grey.shape[0] - size)
    left = min(max(col - size // 2, 0), grey.shape[1] - size)
    return np.ascontiguousarray(grey[top:top + size, left:left + size]), top, left


@dataclass(frozen=True)
class TemplateMatch:
    """Where a template fits best by one matching score.

    Attributes
    ----------
    scores : ndarray of float32, shape (H - h + 1, W - w + 1)
        The score of the template placed with its top-left corner at each pixel.
    top, left : int
        Best placement.
    best : float
        The score there.
    lowest_is_best : bool
        True for squared difference.
    """

    scores: np.ndarray
    top: int
    left: int
    best: float
    lowest_is_best: bool


def match_template(grey: np.ndarray, template: np.ndarray, *, method: str = "ccoeff_normed") -> TemplateMatch:
    """Slide `template` over the image and score every placement (``cv2.matchTemplate``).

    Parameters
    ----------
    grey : ndarray of uint8, shape (H, W)
    template : ndarray of uint8, shape (h, w), h <= H and w <= W
    method : {"sqdiff", "ccorr", "ccoeff_normed"}
        Squared difference (lowest best), correlation (highest best: bright places win), normalised
        correlation coefficient (highest best, 1 for a perfect match, ignores brightness and contrast).

    Returns
    -------
    TemplateMatch
    """
    check_gray(grey, name="grey")
    check_gray(template, name="template")
    check_choice(method, name="method", choices=tuple(MATCH_METHODS))
    if template.shape[0] > grey.shape[0] or template.shape[1] > grey.shape[1]:
        raise ValueError(f"template must fit in the image, got {template.shape} for {grey.shape}")
    flag, _, lowest = MATCH_METHODS[method]
    scores = cv2.matchTemplate(grey, template, flag)
    index = int(np.argmin(scores) if lowest else np.argmax(scores))
    top, left = divmod(index, scores.shape[1])
    return TemplateMatch(scores, top, left, float(scores[top, left]), lowest)


def score_picture(match: TemplateMatch, *, size: tuple[int, int]) -> np.ndarray:
    """A score map as a picture the size of the image (best = white), the best placement boxed in yellow.

    Parameters
    ----------
    match : TemplateMatch
    size : tuple of int
        ``(h, w)`` of the template: the map is padded by it to the image's size (black where no placement
        exists) so that it lines up with the image.

    Returns
    -------
    ndarray of uint8, shape (H, W, 3)
    """
    scores = match.scores.astype(np.float64)
    low, high = float(scores.min()), float(scores.max())
    shown = to_uint8(scores, low=low, high=high) if high > low else np.full(scores.shape, 255, np.uint8)
    if match.lowest_is_best:
        shown = 255 - shown
    h, w = size
    padded = np.zeros((scores.shape[0] + h - 1, scores.shape[1] + w - 1), np.uint8)
    padded[h // 2:h // 2 + scores.shape[0], w // 2:w // 2 + scores.shape[1]] = shown
    picture = cv2.applyColorMap(padded, cv2.COLORMAP_VIRIDIS)[..., ::-1].copy()
    cv2.rectangle(picture, (match.left, match.top), (match.left + w - 1, match.top + h - 1), YELLOW, 2)
    return picture


def draw_boxes(image: np.ndarray, boxes: list[tuple[int, int, int, int]], *,
               colours: list[tuple[int, int, int]]) -> np.ndarray:
    """The image in RGB with rectangles ``(top, left, height, width)``, each in its colour.

    Returns
    -------
    ndarray of uint8, shape (H, W, 3)
    """
    picture = _rgb(image)
    if len(boxes) != len(colours):
        raise ValueError("boxes and colours must have the same length")
    for (top, left, h, w), colour in zip(boxes, colours):
        cv2.rectangle(picture, (int(left), int(top)), (int(left + w - 1), int(top + h - 1)), colour, 2)
    return picture


@dataclass(frozen=True)
class TemplateChange:
    """The template searched for in a rotated or rescaled copy of the image.

    Attributes
    ----------
    label : str
        What was changed ("rotated 20°", "scaled × 1.3").
    score : float
        Best normalised correlation (1 = perfect).
    error : float
        Pixels between the best match's centre and where the patch's centre really went.
    picture : ndarray of uint8
        The changed image, the true place boxed in green and the best match in yellow.
    """

    label: str
    score: float
    error: float
    picture: np.ndarray


def template_change(grey: np.ndarray, *, row: int, col: int, size: int, angle: float = 0.0,
                    scale: float = 1.0) -> TemplateChange:
    """Cut the template at (`row`, `col`), change the whole image, and look for the unchanged template in it.

    Parameters
    ----------
    grey : ndarray of uint8, shape (H, W)
    row, col, size : int
        As for `cut_template`.
    angle : float
        Degrees, -180 to 180.
    scale : float
        0.5 to 2.

    Returns
    -------
    TemplateChange
    """
    patch, top, left = cut_template(grey, row=row, col=col, size=size)
    angle = check_float(angle, name="angle", low=-180.0, high=180.0)
    scale = check_float(scale, name="scale", low=0.5, high=2.0)
    height, width = grey.shape
    centre = ((width - 1) / 2, (height - 1) / 2)
    matrix = cv2.getRotationMatrix2D(centre, angle, scale)
    changed = cv2.warpAffine(grey, matrix, (width, height), flags=cv2.INTER_LINEAR,
                             borderMode=cv2.BORDER_REFLECT_101)
    s = patch.shape[0]
    true_x, true_y = matrix @ np.array([left + (s - 1) / 2, top + (s - 1) / 2, 1.0])
    match = match_template(changed, patch, method="ccoeff_normed")
    error = float(np.hypot(match.left + (s - 1) / 2 - true_x, match.top + (s - 1) / 2 - true_y))
    picture = draw_boxes(changed, [(int(round(true_y - (s - 1) / 2)), int(round(true_x - (s - 1) / 2)), s, s),
                                   (match.top, match.left, s, s)], colours=[GREEN, YELLOW])
    parts = ([f"rotated {angle:g}°"] if angle else []) + ([f"scaled × {scale:g}"] if scale != 1 else [])
    return TemplateChange(", ".join(parts) or "unchanged", match.best, error, picture)
