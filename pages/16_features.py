"""Lesson: Finding features.

Processing: processing/features.py (Canny edges from processing/edges.py).
Tests: tests/processing/test_features.py, tests/app/test_features.py.
"""

import streamlit as st

from processing import features as ft
from processing.color import as_gray
from processing.edges import canny_opencv
from processing.samples import load_sample
from ui.cache import step
from ui.charts import show_chart, votes_svg
from ui.code import show_code
from ui.display import Picture, before_after, clickable_image, fit_width, follow_click, picture_row, show_image
from ui.exercises import choice_exercise, numeric_exercise, target_exercise
from ui.page import finish_lesson, index_slider, lesson_link, start_lesson
from ui.url import url_choice

lesson, source = start_lesson("features")
img, grey = source.image, source.grey
height, width = grey.shape
GREY_LINE = "gray = cv2.cvtColor(img, cv2.COLOR_RGB2GRAY)" if img.ndim == 3 else "gray = img  # already grey"
START = "result = img.copy()" if img.ndim == 3 else "result = cv2.cvtColor(img, cv2.COLOR_GRAY2RGB)"
CANNY = "edges = cv2.Canny(cv2.GaussianBlur(gray, (0, 0), 2.0), 50, 100, L2gradient=True)  # as in Edge detection"
METHODS = {"lines": "Lines", "circles": "Circles", "corners": "Corners", "templates": "Templates"}
CIRCLE_DEFAULTS = {"features_radius": (15, 40), "features_acc": 30, "features_min_dist": 20}

# 1. The idea ---------------------------------------------------------------------------------------------------
st.markdown(
    "A **feature** is a small piece of structure a program can find again: a straight line, a circle, a corner, a "
    "known patch. Every method here works the same way: compute a **vote or a score everywhere**, then keep the "
    "peaks. For lines, the **Hough transform** lets every edge pixel vote for every line through it. A line is "
    "all points with"
)
st.latex(r"x\cos\theta + y\sin\theta = \rho")
st.markdown(
    "(θ the direction of its normal, ρ its signed distance from the top-left corner), so one pixel votes along a "
    "sine curve in the (θ, ρ) plane and the curves of all pixels on one line cross in one cell. Circles vote for "
    "centres, Harris scores how much a small window changes when it moves, and template matching scores every "
    "placement of a patch."
)
st.markdown("**Good images for each method** (one click each):")
best = st.columns(4)
best[0].page_link(lesson.page, label="Lines: Cameraman", icon=":material/straighten:",
                  query_params={"img": "camera", "features_method": "lines"})
best[1].page_link(lesson.page, label="Circles: Greek coins (24)", icon=":material/toll:",
                  query_params={"img": "coins", "features_method": "circles"})
best[2].page_link(lesson.page, label="Corners: Shapes (16)", icon=":material/crop_free:",
                  query_params={"img": "shapes", "features_method": "corners"})
best[3].page_link(lesson.page, label="Templates: Astronaut", icon=":material/image_search:",
                  query_params={"img": "astronaut", "features_method": "templates"})
st.caption("Why these: the cameraman's tripod legs and the building are long straight edges; the coins are 24 "
           "circles of known number; the shapes have exactly 16 right-angled corners (and a disc with none); the "
           "astronaut's white suit shows how plain correlation is fooled by bright areas.")

st.header("Find them", anchor=False)
method = url_choice(st.segmented_control, "Feature", METHODS, key="features_method", default="lines")


@st.fragment
def lines_panel() -> None:
    """Hough lines: votes, resolution, segments; the accumulator; the code."""
    controls = st.columns(4)
    votes = controls[0].slider("Votes a line needs", 10, 400, 120, key="features_votes", bind="query-params",
                               help="The accumulator threshold: edge pixels that must lie on a line.")
    rho_step = controls[1].select_slider("ρ step (pixels)", [0.5, 1.0, 2.0, 3.0, 5.0], 1.0, key="features_rho_step",
                                         bind="query-params")
    theta_step = controls[2].select_slider("θ step (degrees)", [0.25, 0.5, 1.0, 2.0, 5.0], 1.0,
                                           key="features_theta_step", bind="query-params")
    segments = controls[3].toggle("Segments (probabilistic)", key="features_segments", bind="query-params",
                                  help="cv2.HoughLinesP: pieces of lines with ends, instead of endless lines.")
    edges = step(canny_opencv, grey, sigma=2.0, low=50.0, high=100.0)
    found = step(ft.hough_lines, edges, rho_step=rho_step, theta_step=theta_step, threshold=votes, max_lines=30)
    if segments:
        gap_col, length_col = st.columns(2)
        min_length = length_col.slider("Shortest segment (pixels)", 5, 300, 40, key="features_min_length",
                                       bind="query-params")
        max_gap = gap_col.slider("Largest gap bridged (pixels)", 0, 30, 5, key="features_gap", bind="query-params")
        pieces = step(ft.hough_segments, edges, rho_step=rho_step, theta_step=theta_step, threshold=votes,
                      min_length=min_length, max_gap=max_gap)
        result, what = step(ft.draw_segments, img, pieces), f"{len(pieces)} segments of at least {min_length} pixels"
    else:
        result = step(ft.draw_lines, img, found.lines)
        shown = len(found.lines)
        what = f"{found.found} lines with more than {votes} votes" + (f", the {shown} strongest drawn"
                                                                      if found.found > shown else "")
    before_after(edges, result, before_caption="Canny edges (σ = 2, thresholds 50 and 100): each pixel votes",
                 after_caption=what + " (strongest in yellow)", after_alt=what, crisp_after=False,
                 before_note=f"{int(edges.sum()):,} edge pixels", after_note=what)
    lesson_link("edges", "How these edges are made: Canny, stage by stage, in Edge detection")

    st.subheader("Look closer: the accumulator", anchor=False)
    space = step(ft.hough_space, edges, rho_step=rho_step, theta_step=theta_step)
    left, right = st.columns(2, gap="medium")
    with left:
        show_image(step(ft.accumulator_picture, space, found.lines, height=300), crisp=True,
                   caption="Votes in (θ, ρ): θ from 0° (left) to 180° (right), ρ down; found lines circled")
    with right:
        cells = space.votes.size
        st.markdown(
            f"The accumulator has **{space.thetas.size} angles × {space.rhos.size} distances = {cells:,} cells**. "
            f"Each of the {int(edges.sum()):,} edge pixels adds one vote in every column: "
            f"{int(space.votes.sum()):,} votes in all, drawn as the bright sine curves."
        )
        if found.found:
            rho, theta, count = found.lines[0]
            st.markdown(
                f"The brightest cell, circled in yellow: **θ = {theta * 180 / 3.141592653589793:.2f}°, ρ = "
                f"{rho:.1f} px, {int(count)} votes**: {int(count)} edge pixels lie within half a ρ step of that "
                "line. A line is kept when its cell has more votes than the threshold and than its neighbours."
            )
        else:
            st.markdown(f"No cell has more than {votes} votes: lower the threshold.")

    st.subheader("What to notice", anchor=False)
    st.markdown(
        f"The standard transform found {found.found} lines, and each is endless: the accumulator only knows "
        "direction and distance, not where the edge pixels start and stop. A thick line or a dark bar has an edge "
        "on each side, so it shows as two nearby peaks. **Segments** sample the edge pixels at random (OpenCV fixes "
        "the seed, so the result repeats) and follow each line while pixels are on it. A finer θ or ρ step separates "
        f"close lines but spreads the votes over more cells: at {theta_step}° and {rho_step} px there are {cells:,}."
    )
    if segments:
        body = (f"{GREY_LINE}\n{CANNY}\n"
                f"found = cv2.HoughLinesP(edges, {rho_step}, np.deg2rad({theta_step}), {votes}, "
                f"minLineLength={min_length}, maxLineGap={max_gap})\n{START}\n"
                "for x1, y1, x2, y2 in ([] if found is None else found.reshape(-1, 4)):\n"
                "    cv2.line(result, (x1, y1), (x2, y2), (0, 158, 115), 2, cv2.LINE_AA)\n"
                "    for point in ((x1, y1), (x2, y2)):\n"
                "        cv2.circle(result, point, 3, (240, 228, 66), -1, cv2.LINE_AA)")
    else:
        body = (f"{GREY_LINE}\n{CANNY}\n"
                f"lines = cv2.HoughLines(edges, {rho_step}, np.deg2rad({theta_step}), {votes})  # strongest first\n"
                f"{START}\nreach = 2.0 * (img.shape[0] + img.shape[1])  # far enough to cross the image\n"
                "for i, (rho, theta) in enumerate([] if lines is None else lines.reshape(-1, 2)[:30]):\n"
                "    rho, theta = float(rho), float(theta)\n"
                "    x0, y0, dx, dy = rho * np.cos(theta), rho * np.sin(theta), -np.sin(theta), np.cos(theta)\n"
                "    p1 = (int(round(x0 + reach * dx)), int(round(y0 + reach * dy)))\n"
                "    p2 = (int(round(x0 - reach * dx)), int(round(y0 - reach * dy)))\n"
                "    cv2.line(result, p1, p2, (240, 228, 66) if i == 0 else (213, 94, 0), 2, cv2.LINE_AA)")
    show_code(body, source=source, result=result)


@st.fragment
def circles_panel() -> None:
    """Hough gradient circles: radius range, threshold; votes; compared with the true count of coins."""
    controls = st.columns(3)
    low, high = controls[0].slider("Radius range (pixels)", 1, 150, CIRCLE_DEFAULTS["features_radius"],
                                   key="features_radius", bind="query-params")
    threshold = controls[1].slider("Votes a centre needs", 5, 100, CIRCLE_DEFAULTS["features_acc"],
                                   key="features_acc", bind="query-params",
                                   help="Lower finds more circles, and more circles that are not there.")
    spacing = controls[2].slider("Closest centres (pixels)", 5, 100, CIRCLE_DEFAULTS["features_min_dist"],
                                 key="features_min_dist", bind="query-params")
    found = step(ft.find_circles, grey, min_radius=low, max_radius=high, threshold=threshold, min_distance=spacing)
    result = step(ft.draw_circles, img, found.circles)
    is_coins = source.sample_id == "coins"
    truth = (f"; the image has {ft.COINS_COUNT} coins" if is_coins else "")
    before_after(img, result, before_caption=source.title, after_caption=f"{found.count} circles found{truth}",
                 after_note=f"{found.count} circles, radius {low} to {high} px")
    if is_coins:
        st.metric("Circles found against coins", f"{found.count} of {ft.COINS_COUNT}",
                  f"{found.count - ft.COINS_COUNT:+d}", delta_color="off")
    else:
        st.caption(f"The true number of circles in this image is not known here; on the coins sample it is "
                   f"{ft.COINS_COUNT}, counted by eye.")

    st.subheader("Look closer: the votes of each centre", anchor=False)
    left, right = st.columns([3, 2], gap="medium")
    with left:
        show_chart(votes_svg(found.votes.tolist(), threshold=threshold),
                   alt=f"Votes of the {found.count} circles found, strongest first, against the threshold {threshold}")
    with right:
        st.markdown(
            "The **Hough gradient method** does not try every centre and radius. It smooths the image (σ = 2), "
            "finds Canny edges (high threshold 100), and each edge pixel votes along its gradient direction, "
            f"for centres {low} to {high} pixels away. Centres with more than {threshold} votes (after the "
            f"accumulator is scaled to the image) and at least {spacing} px apart become circles, each given the "
            "radius most of its edge pixels agree on."
            + (f" The strongest has {int(found.votes[0])} votes, the weakest kept {int(found.votes[-1])}."
               if found.count else "")
        )
    st.subheader("What to notice", anchor=False)
    st.markdown(
        "Too narrow a radius range misses coins; too wide a range lets arcs of neighbouring coins and the texture "
        "inside them vote together for centres that are not there. The threshold trades missed circles against "
        f"false ones: with {threshold} votes this image gives {found.count}."
    )
    show_code(f"{GREY_LINE}\nsmoothed = cv2.GaussianBlur(gray, (0, 0), 2.0)\n"
              f"found = cv2.HoughCircles(smoothed, cv2.HOUGH_GRADIENT, dp=1, minDist={spacing}, param1=100, "
              f"param2={threshold}, minRadius={low}, maxRadius={high})\n{START}\n"
              "for x, y, r in ([] if found is None else found.reshape(-1, 3)):\n"
              "    centre = (int(round(float(x))), int(round(float(y))))\n"
              "    cv2.circle(result, centre, int(round(float(r))), (0, 158, 115), 2, cv2.LINE_AA)\n"
              "    cv2.circle(result, centre, 2, (213, 94, 0), -1, cv2.LINE_AA)", source=source, result=result)


@st.fragment
def corners_panel() -> None:
    """Harris: response heat map, k, threshold, suppression; Shi-Tomasi; one pixel's matrix; rotation and scale."""
    follow_click(st.session_state.get("features_click"), prefix="features", height=height, width=width)
    controls = st.columns(3)
    k = controls[0].slider("Harris k", 0.02, 0.20, 0.04, step=0.01, key="features_k", bind="query-params",
                           help="Larger k demands a more even change in both directions before R is positive.")
    share = controls[1].select_slider("Threshold (% of the largest R)", [0.1, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0], 1.0,
                                      key="features_share", bind="query-params")
    suppress = controls[2].toggle("Non-maximum suppression", True, key="features_nms", bind="query-params",
                                  help="Keep only the largest R in each 7 × 7 neighbourhood.")
    response = step(ft.harris_response, grey, block_size=3, ksize=3, k=k)
    corners = step(ft.harris_corners, response, threshold=share / 100, suppress=suppress)
    result = step(ft.draw_points, img, corners)
    before_after(step(ft.response_picture, response), result, crisp_after=False,
                 before_caption="Harris response R: red where R > 0 (corners), blue where R < 0 (edges)",
                 after_caption=f"{len(corners)} corners: R above {share}% of its largest value",
                 before_note="Shown as √(|R| / largest |R|) of each sign, so weak corners stay visible.",
                 after_note=f"{len(corners)} corners")
    shi = step(ft.shi_tomasi_corners, grey, max_corners=500, quality=0.01, min_distance=7)
    st.subheader("Look closer: one pixel's matrix, and Shi–Tomasi", anchor=False)
    sliders = st.columns(2)
    first = (int(corners[0][0]), int(corners[0][1])) if len(corners) else (height // 2, width // 2)
    row = index_slider(sliders[0], "Row", size=height, key="features_row", default=first[0])
    col = index_slider(sliders[1], "Column", size=width, key="features_col", default=first[1])
    tensor = step(ft.structure_tensor, grey, row=row, col=col, block_size=3, ksize=3, k=k)
    left, right = st.columns([3, 2], gap="medium")
    with left:
        clickable_image(step(fit_width, step(ft.draw_points, result, [[row, col]], colour=ft.BLUE, radius=9),
                             max_width=640), key="features_click",
                        alt=f"Harris corners in red rings and the chosen pixel at row {row}, column {col} in a blue "
                            "ring; the Row and Column sliders choose it too")
        st.caption("Click a pixel (or use the sliders): blue ring; it opens on the strongest corner. Red rings: "
                   "Harris corners.")
    with right:
        kind = {"corner": "a corner: both eigenvalues large", "edge": "an edge: one eigenvalue dominates",
                "flat": "flat: both eigenvalues small"}[tensor.kind]
        st.markdown(
            f"At row {row}, column {col} the 3 × 3 window sums are a = Σ Ix² = {tensor.a:.3g}, b = Σ Ix Iy = "
            f"{tensor.b:.3g}, c = Σ Iy² = {tensor.c:.3g} (derivatives scaled as OpenCV does). M's eigenvalues are "
            f"**{tensor.small:.3g}** and **{tensor.large:.3g}**, so R = ac − b² − k(a + c)² = "
            f"**{tensor.response:.3g}**: {kind}."
        )
        st.markdown(f"**Shi–Tomasi** keeps the smaller eigenvalue as its score (`cv2.goodFeaturesToTrack`, 1% of "
                    f"the best, 7 px apart): {len(shi)} corners here, against {len(corners)} for Harris.")
        show_image(step(ft.draw_points, img, shi, colour=ft.GREEN), caption=f"Shi–Tomasi: {len(shi)} corners")
    st.subheader("Rotation and scale", anchor=False)
    turned = step(ft.corner_change, grey, angle=30.0, threshold=share / 100)
    halved = step(ft.corner_change, grey, scale=0.5, threshold=share / 100)
    picture_row([Picture(turned.picture, f"Rotated 30°: {turned.kept} of {turned.before} corners found again"),
                 Picture(halved.picture, f"Half size: {halved.kept} of {halved.before} corners found again")])
    st.caption("Green rings: where the original corners moved; red: corners found in the changed image.")
    st.subheader("What to notice", anchor=False)
    shares = [f"{c.share:.0%}" if c.before else "nothing (no corners to find)" for c in (turned, halved)]
    st.markdown(
        f"Harris marks {len(corners)} corners. Rotation moves corners with the image, and Harris finds "
        f"{shares[0]} of them again where they moved: M's eigenvalues do not depend on direction. Halving the size "
        f"keeps {shares[1]}: the same 3 × 3 window now spans twice as much of the scene, so nearby corners merge and "
        "small ones fade. Harris is rotation-invariant, not scale-invariant."
    )
    nms = ("earlier = np.zeros((7, 7), np.uint8); earlier[:3] = 1; earlier[3, :3] = 1  # rows above, left\n"
           "later = 1 - earlier; later[3, 3] = 0\n"
           "keep &= (response > cv2.dilate(response, earlier)) & (response >= cv2.dilate(response, later))\n"
           if suppress else "")
    show_code(f"{GREY_LINE}\nresponse = cv2.cornerHarris(gray, 3, 3, {k})  # block 3, Sobel 3\n"
              f"keep = response > {share / 100} * response.max()\n{nms}rows, cols = np.nonzero(keep)\n"
              "order = np.argsort(-response[rows, cols], kind='stable')  # strongest first\n"
              f"{START}\nfor r, c in zip(rows[order], cols[order]):\n"
              "    cv2.circle(result, (int(c), int(r)), 4, (213, 94, 0), 2, cv2.LINE_AA)",
              source=source, result=result)


@st.fragment
def templates_panel() -> None:
    """Template matching: a patch picked by click or sliders, three scores, and rotation and scale."""
    follow_click(st.session_state.get("features_click"), prefix="features", height=height, width=width)
    controls = st.columns(3)
    size = controls[0].slider("Template size (pixels)", 8, 96, 32, step=4, key="features_size", bind="query-params")
    row = index_slider(controls[1], "Row", size=height, key="features_row", default=height // 2)
    col = index_slider(controls[2], "Column", size=width, key="features_col", default=width // 2)
    patch, top, left = step(ft.cut_template, grey, row=row, col=col, size=size)
    side = patch.shape[0]
    matches = {name: step(ft.match_template, grey, patch, method=name) for name in ft.MATCH_METHODS}
    colours = [ft.GREEN, ft.RED, ft.YELLOW, ft.BLUE]
    boxes = [(top, left, side, side)] + [(m.top, m.left, side, side) for m in matches.values()]
    picked, found = st.columns(2, gap="medium")
    with picked:
        clickable_image(step(fit_width, step(ft.draw_boxes, img, boxes[:1], colours=colours[:1]), max_width=640),
                        key="features_click", alt=f"The image with the {side} × {side} template at row {top}, column "
                                                  f"{left} in a green box; the Row and Column sliders move it too")
        st.caption(f"Click to cut the {side} × {side} template there (or use the sliders): green box.")
    with found:
        show_image(step(ft.draw_boxes, img, boxes, colours=colours),
                   caption="Best match of each score: squared difference red, correlation yellow, normalised "
                           "correlation blue (green: where the template came from)")
    maps = [Picture(step(ft.score_picture, m, size=(side, side)), crisp=False, caption=(
        f"{ft.MATCH_METHODS[name][1]}: best {'lowest' if m.lowest_is_best else 'highest'} = {m.best:.3g}, at "
        f"row {m.top}, column {m.left}" + (" ✓" if (m.top, m.left) == (top, left) else " ✗ not the template")))
        for name, m in matches.items()]
    st.subheader("Look closer: the score of every placement", anchor=False)
    picture_row(maps)
    st.caption("Bright (yellow) = a good match by that score (squared difference is flipped so that bright is "
               "good); each map is padded to the image's size so that it lines up with it.")
    st.subheader("What to notice", anchor=False)
    hits = [ft.MATCH_METHODS[name][1] for name, m in matches.items() if (m.top, m.left) == (top, left)]
    bright = matches["ccorr"]
    st.markdown(
        f"Found where the template was cut: {', '.join(hits) if hits else 'by no score (it repeats elsewhere)'}. "
        "An exact copy gives a squared difference of 0 (OpenCV sums in floating point, so a few units of rounding "
        "can show) and a normalised correlation of 1. Plain correlation, "
        f"Σ image × template, grows with brightness: its best placement here is row {bright.top}, column "
        f"{bright.left}. Normalised correlation subtracts the means and divides by the contrasts, so it also finds "
        "the template in a darker or brighter copy."
    )
    show_code(f"{GREY_LINE}\ntop, left = {top}, {left}  # the template: {side} x {side} around row {row}, column "
              f"{col}\ntemplate = gray[top:top + {side}, left:left + {side}]\n"
              "result = cv2.matchTemplate(gray, template, cv2.TM_CCOEFF_NORMED)  # score of every placement\n"
              "_, best, _, (x, y) = cv2.minMaxLoc(result)  # best score and its top-left corner",
              source=source, result=matches["ccoeff_normed"].scores)
    st.subheader("Where template matching fails: a rotated or rescaled target", anchor=False)
    changes = [step(ft.template_change, grey, row=row, col=col, size=size, angle=30.0),
               step(ft.template_change, grey, row=row, col=col, size=size, scale=2.0)]
    picture_row([Picture(c.picture, f"Image {c.label}: best score {c.score:.2f}, "
                         + (f"{c.error:.0f} px from the true place" if c.error > 2 else "found")) for c in changes])
    st.caption("Green: where the template's pixels really went; yellow: the best normalised-correlation match of the "
               "unchanged template. A template matches one size and one orientation only.")


{"lines": lines_panel, "circles": circles_panel, "corners": corners_panel, "templates": templates_panel}[method]()

# 6. Where it breaks ------------------------------------------------------------------------------------------------
st.header("Where it breaks", anchor=False)
clean, noisy = step(ft.known_lines_and_circles), step(ft.known_lines_and_circles, noise=30.0)
results = []
for card in (clean, noisy):
    card_lines = step(ft.hough_lines, step(canny_opencv, card, sigma=1.0, low=50.0, high=100.0), threshold=70,
                      max_lines=500)
    card_circles = step(ft.find_circles, card, min_radius=15, max_radius=60, threshold=40, blur=1.0)
    results.append((step(ft.card_score, card_lines.lines, card_circles.circles),
                    step(ft.draw_circles, step(ft.draw_lines, card, card_lines.lines), card_circles.circles)))
(clean_lines, clean_false, clean_circles, _), (_, noisy_false, noisy_circles, noisy_fake) = (
    results[0][0], results[1][0])
st.markdown(
    f"**Noise.** The test card has {len(ft.KNOWN_LINES)} lines and {len(ft.KNOWN_CIRCLES)} circles of known "
    "position. With light smoothing (Canny σ = 1), 70 votes for a line and 40 for a circle, the clean card gives "
    f"{clean_lines + clean_false} lines, {clean_false} of them false (the rest are near-duplicates along the two "
    f"thick lines), and {clean_circles} circles. With Gaussian noise of σ = 30 the same settings give "
    f"**{noisy_false} false lines and {noisy_fake} false circles**, and find {noisy_circles} of the "
    f"{len(ft.KNOWN_CIRCLES)} real circles: noise puts edge pixels everywhere, and enough of them line up by chance "
    "to beat the thresholds."
)
picture_row([Picture(results[0][1], "Clean test card: everything found"),
             Picture(results[1][1], "The same with noise (σ = 30), same settings")])
lesson_link("smoothing", "Remove the noise first: Smoothing and sharpening")
rows = step(ft.hough_resolution)
st.markdown(
    "**Resolution.** A finer accumulator measures a line more exactly but has more cells to fill and to search. "
    f"On one known line of the test card (θ = {ft.KNOWN_LINES[0][1]}°, ρ = {ft.KNOWN_LINES[0][0]:.0f} px):"
)
st.table({"θ step (°)": [f"{r.theta_step:g}" for r in rows], "ρ step (px)": [f"{r.rho_step:g}" for r in rows],
          "cells": [f"{r.cells:,}" for r in rows], "time (ms, measured now)": [f"{r.milliseconds:.2f}" for r in rows],
          "angle error (°)": [f"{r.angle_error:.2f}" for r in rows],
          "offset error (px)": [f"{r.offset_error:.1f}" for r in rows]})

# 8. Check yourself -------------------------------------------------------------------------------------------------
st.header("Check yourself", anchor=False)
numeric_exercise(
    "features_rho", number=1,
    question="An edge pixel at x = 30, y = 40 votes in the column θ = 60° of the accumulator. For which ρ "
             "(pixels, one decimal)?",
    answer=round(ft.rho_of(30, 40, theta=60), 1), tolerance=0.15, step=0.1,
    hint="ρ = x cos θ + y sin θ, with cos 60° = 0.5 and sin 60° ≈ 0.866.",
    explanation=f"30 × 0.5 + 40 × 0.866 = {ft.rho_of(30, 40, theta=60):.2f}: one point of the pixel's sine curve.",
)
settings = {key: st.session_state.get(key, value) for key, value in CIRCLE_DEFAULTS.items()}
coins_found = step(ft.find_circles, step(load_sample, "coins"), min_radius=int(settings["features_radius"][0]),
                   max_radius=int(settings["features_radius"][1]), threshold=int(settings["features_acc"]),
                   min_distance=int(settings["features_min_dist"])).count
target_exercise(
    "features_coins", number=2,
    question=f"Open **Circles** on the coins and set the radius range, votes and spacing so that exactly "
             f"{ft.COINS_COUNT} circles are found.",
    score=abs(coins_found - ft.COINS_COUNT), target=0, higher_is_better=False,
    score_name="circles found minus coins (absolute)",
    hint=f"With your settings the coins give {coins_found} circles. Too few: lower the votes or widen the range; "
         "too many: raise the votes or the spacing.",
    explanation="Every coin has one circle. Check the picture: a count can also come out right by luck.",
)
turned, halved = step(ft.corner_change, grey, angle=30.0), step(ft.corner_change, grey, scale=0.5)
gap = (turned.share - halved.share) if turned.before and halved.before else 0.0
choice_exercise(
    "features_scale", number=3,
    question="Harris corners of **this image** (threshold 1%): which change loses more of them?",
    options=["Rotating it by 30°", "Halving its size", "Both about the same (within 5 points)"],
    correct="Halving its size" if gap > 0.05 else "Rotating it by 30°" if gap < -0.05 else
            "Both about the same (within 5 points)",
    hint="Open Corners: the two pictures under Rotation and scale count the corners found again.",
    explanation=f"Rotated: {turned.kept} of {turned.before} found again; half size: {halved.kept} of "
                f"{halved.before}. The window does not turn with the image, but it does not shrink with it either.",
)
astronaut = step(as_gray, step(load_sample, "astronaut"))
patch, top, left = step(ft.cut_template, astronaut, row=256, col=256, size=32)
astro = {ft.MATCH_METHODS[name][1]: step(ft.match_template, astronaut, patch, method=name) for name in ft.MATCH_METHODS}
choice_exercise(
    "features_bright", number=4,
    question="On the astronaut, a 32 × 32 template cut at the centre is searched for with each score. Which "
             "score's best match lands somewhere else?",
    options=list(astro), correct=max(astro, key=lambda n: abs(astro[n].top - top) + abs(astro[n].left - left)),
    hint="Open Templates on the astronaut and look at the three best matches.",
    explanation="Correlation, Σ image × template, is largest where the image is brightest: the white suit.",
)

finish_lesson("features")
