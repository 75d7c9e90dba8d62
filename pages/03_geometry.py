"""Lesson: Geometric transforms. Processing: processing/geometry.py. Tests: tests/app/test_geometry.py,
tests/processing/test_geometry.py."""

import numpy as np
import streamlit as st

from processing import geometry
from ui.cache import step
from ui.code import show_code
from ui.display import Picture, before_after, picture_row
from ui.exercises import choice_exercise, numeric_exercise
from ui.page import finish_lesson, index_slider, keep_in_range, lesson_link, start_lesson
from ui.url import url_choice

lesson, source = start_lesson("geometry")
img = source.image
height, width = img.shape[:2]

FLAGS = {name: f"cv2.INTER_{name.upper()}" for name in geometry.INTERPOLATIONS} | {"lanczos": "cv2.INTER_LANCZOS4"}
INTERPOLATIONS = {name: name.capitalize() for name in geometry.INTERPOLATIONS} | {"nearest": "Nearest neighbour"}
BORDERS = {"constant": "Constant (black)", "replicate": "Replicate the edge", "reflect": "Reflect",
           "wrap": "Wrap around"}
# A fixed 4 x 4 pattern for the interpolation exercise: its answer never depends on the image.
PATTERN = np.array([[0, 255, 0, 128], [255, 0, 128, 255], [64, 192, 255, 0], [255, 64, 0, 192]], np.uint8)


# 1. The idea ------------------------------------------------------------------------------------------
st.markdown("A geometric transform moves pixels without changing their values. An **affine** transform (rotate, "
            "scale, shear, translate, flip) is a 2 × 3 matrix that sends each input position (x, y) to an output "
            "position (x′, y′); straight lines stay straight and parallel lines stay parallel. A **perspective** "
            "transform needs a 3 × 3 matrix and keeps only straight lines, as a camera does. As in OpenCV, x is the "
            "column (to the right) and y the row (down), so the pixel at (x, y) is `img[y, x]`.")
st.latex(r"\begin{bmatrix} x' \\ y' \end{bmatrix} = \begin{bmatrix} a & b & c \\ d & e & f \end{bmatrix}"
         r"\begin{bmatrix} x \\ y \\ 1 \end{bmatrix}")

# 2. Controls ---------------------------------------------------------------------------------------
OPERATIONS = {"rotate": "Rotate", "scale": "Scale", "translate": "Translate", "flip": "Flip",
              "affine": "Affine from 3 points", "perspective": "Perspective from 4 points"}
if min(height, width) < 8:  # point pairs need room: three corners of a tiny image are nearly one point
    OPERATIONS = {k: v for k, v in OPERATIONS.items() if k not in ("affine", "perspective")}
    if st.query_params.get("geometry_op") in ("affine", "perspective"):
        st.info(f"Moving corners needs an image at least 8 pixels on each side; this one is {width} × {height}, "
                "so its corners are nearly one point. Rotate, scale, translate and flip still work.",
                icon=":material/info:")


@st.fragment
def transform_panel() -> None:
    """Controls, before and after with the matrix, where one pixel goes, what to notice and the code.
    A fragment: moving one of its controls reruns only this part of the page; nothing outside it reads them."""
    op = url_choice(st.segmented_control, "Transform", OPERATIONS, key="geometry_op", default="rotate")
    controls = st.columns(4)
    interpolation = url_choice(controls[2].selectbox, "Interpolation", INTERPOLATIONS, key="geometry_interp",
                               default="linear", help="How a value is read between pixel centres.")
    border = url_choice(controls[3].selectbox, "Border", BORDERS, key="geometry_border", default="constant",
                        help="What fills output pixels that come from outside the image.",
                        disabled=op in ("scale", "flip"))
    flags = f"flags={FLAGS[interpolation]}, borderMode=cv2.BORDER_{border.upper()}"
    size = (width, height)
    if op == "rotate":
        angle = controls[0].slider("Angle (°)", -180, 180, 30, key="geometry_angle", bind="query-params",
                                   help="Degrees, counter-clockwise on screen (OpenCV's sign).")
        expand = controls[1].toggle("Grow the canvas", key="geometry_expand", bind="query-params",
                                    help="Grow the canvas to keep every pixel; off, the corners are cut off.")
        matrix, size = geometry.rotation_matrix(img.shape, angle=angle, expand=expand)
        grow = (f"M[0, 2] += ({size[0]} - 1) / 2 - (w - 1) / 2  # move the centre to the middle of the bigger canvas\n"
                f"M[1, 2] += ({size[1]} - 1) / 2 - (h - 1) / 2\n" if expand else "")
        body = ("h, w = img.shape[:2]\n"
                f"M = cv2.getRotationMatrix2D(((w - 1) / 2, (h - 1) / 2), {angle}, 1.0)  # about the centre\n"
                f"{grow}result = cv2.warpAffine(img, M, {size}, {flags})")
        caption = f"Rotated by {angle}°" + (f", canvas grown to {size[0]} × {size[1]}" if expand
                                            else ", cropped to the frame")
    elif op == "scale":
        factor = controls[0].slider("Scale by", 0.1, 2.0, 0.5, step=0.05, key="geometry_factor", bind="query-params")
        matrix = geometry.scale_matrix(factor=factor)
        result = step(geometry.scale, img, factor=factor, interpolation=interpolation)
        size = (result.shape[1], result.shape[0])
        body = f"result = cv2.resize(img, {size}, interpolation={FLAGS[interpolation]})"
        caption = f"Scaled by {factor:g}: {size[0]} × {size[1]} pixels"
    elif op == "translate":
        keep_in_range("geometry_tx", -width, width)
        keep_in_range("geometry_ty", -height, height)
        tx = controls[0].slider("Shift right (px)", -width, width, width // 8, key="geometry_tx", bind="query-params")
        ty = controls[1].slider("Shift down (px)", -height, height, height // 8, key="geometry_ty", bind="query-params")
        matrix = geometry.translation_matrix(tx=tx, ty=ty)
        body = ("h, w = img.shape[:2]\n"
                f"M = np.float64([[1, 0, {tx}], [0, 1, {ty}]])\n"
                f"result = cv2.warpAffine(img, M, (w, h), {flags})")
        caption = f"Shifted by ({tx}, {ty})"
    elif op == "flip":
        direction = controls[0].radio("Mirror", list(geometry.FLIP_DIRECTIONS), key="geometry_flip",
                                      bind="query-params", horizontal=True)
        matrix = geometry.flip_matrix(img.shape, direction=direction)
        result = step(geometry.flip, img, direction=direction)
        body = (f"result = cv2.flip(img, {geometry.FLIP_DIRECTIONS[direction]})"
                "  # 1 left-right, 0 top-bottom, -1 both")
        caption = f"Flipped {direction}"
    elif op == "affine":
        down = controls[0].slider("Top-right down (%)", -40, 40, 20, key="geometry_down", bind="query-params",
                                  help="How far the top-right corner moves down, in % of the height.")
        right = controls[1].slider("Bottom-left right (%)", -40, 40, 25, key="geometry_right", bind="query-params",
                                   help="How far the bottom-left corner moves right, in % of the width.")
        dy, dx = round(down * (height - 1) / 100), round(right * (width - 1) / 100)
        src = [[0, 0], [width - 1, 0], [0, height - 1]]
        dst = [[0, 0], [width - 1, dy], [dx, height - 1]]
        matrix = geometry.affine_from_points(src, dst)
        body = ("h, w = img.shape[:2]\n"
                f"src = np.float32({src})  # top-left, top-right, bottom-left corners\n"
                f"dst = np.float32({dst})  # where they go\n"
                "M = cv2.getAffineTransform(src, dst)  # six equations, six unknowns\n"
                f"result = cv2.warpAffine(img, M, (w, h), {flags})")
        caption = "Three corners moved: a shear"
    else:  # perspective
        tilt = controls[0].slider("Lean back (%)", 0, 45, 25, key="geometry_tilt", bind="query-params",
                                  help="How far both top corners move in, in % of the width.")
        inset = round(tilt * (width - 1) / 100)
        src = [[0, 0], [width - 1, 0], [width - 1, height - 1], [0, height - 1]]
        dst = [[inset, 0], [width - 1 - inset, 0], [width - 1, height - 1], [0, height - 1]]
        matrix = geometry.perspective_from_points(src, dst)
        body = ("h, w = img.shape[:2]\n"
                f"src = np.float32({src})  # the four corners, clockwise\n"
                f"dst = np.float32({dst})  # the top pair moved in: the picture leans back\n"
                "M = cv2.getPerspectiveTransform(src, dst)  # 3 x 3, eight unknowns\n"
                f"result = cv2.warpPerspective(img, M, (w, h), {flags})")
        caption = f"Leaning back: the top edge is {width - 1 - 2 * inset} pixels long instead of {width - 1}"

    if op not in ("scale", "flip"):  # a resize and a flip are not warps
        warp = geometry.warp_perspective if op == "perspective" else geometry.warp_affine
        with st.spinner("Transforming the image…"):
            result = step(warp, img, matrix, size=size, interpolation=interpolation, border=border)
    if interpolation == "area" and op not in ("scale",):
        st.caption("Warps have no area mode: OpenCV uses linear interpolation instead.")

    # 3. Before and after, with the matrix ----------------------------------------------------------------
    before_after(img, result, before_caption=f"img, {width} × {height}", after_caption=caption)
    outside = 0.0 if op in ("scale", "flip") else step(geometry.outside_share, img.shape, matrix, size=size)
    if border == "constant" and outside >= 0.01:  # a large fill: say what the spike in the histogram is
        st.caption(f"The spike at level 0 in the result's histogram is the black fill: {outside:.1%} of the output "
                   "pixels come from outside the input (constant border). **Log scale** in the sidebar shows the rest.")
    matrix_column, text_column = st.columns([1, 2])
    rows = r" \\ ".join(" & ".join(f"{value:.3f}".rstrip("0").rstrip(".") for value in row) for row in matrix)
    matrix_column.latex(r"M = \begin{bmatrix}" + rows + r"\end{bmatrix}")
    if op == "scale":
        text_column.markdown(f"`cv2.resize` behaves like this matrix: pixels are squares, so the image's outer edge "
                             "(at −0.5) stays put rather than the first pixel centre, hence the offset "
                             f"{(factor - 1) / 2:g}.")
    elif matrix.shape[0] == 2:
        det = float(matrix[0, 0] * matrix[1, 1] - matrix[0, 1] * matrix[1, 0])
        text_column.markdown(f"The left 2 × 2 block turns, scales and shears; the last column moves. Its determinant, "
                             f"{det:.3f}, is how areas scale{' (negative: a mirror image)' if det < 0 else ''}.")
    else:
        text_column.markdown("The bottom row makes it a perspective transform: x′ and y′ are divided by "
                             f"{matrix[2, 0]:.5f} x {matrix[2, 1]:+.5f} y + 1, so the scale changes across the "
                             "picture.")

    if op == "perspective":
        st.subheader("Straighten it back", anchor=False)
        straight = step(geometry.straighten, result, dst, width=width, height=height, interpolation=interpolation)[0]
        picture_row([Picture(step(geometry.mark_points, result, dst),
                             caption="The four corners found in the leaning picture"),
                     Picture(straight, caption="cv2.getPerspectiveTransform(corners, rectangle): straightened")])
        st.markdown("This is how a phone straightens a photographed page: click the four corners, map them to a "
                    f"rectangle. The top rows were squeezed to {(width - 1 - 2 * inset) / max(width - 1, 1):.0%} of "
                    "their width, so detail lost there does not come back: it is interpolated, and looks softer than "
                    "the bottom.")
        st.page_link(lesson.page, label="Try it on page: the scanned page", icon=":material/image:",
                     query_params={"img": "page", "geometry_op": "perspective"})

    # 4. Look closer: where one pixel goes (a fragment of its own: the pixel's sliders redraw only it) ---
    with st.spinner("Pushing every input pixel forward, one by one (about a second on a large image)…"):
        forward, holes = step(geometry.forward_map, img, matrix, size=size)

    @st.fragment
    def where_one_pixel_goes() -> None:
        st.header("Look closer: where one pixel goes, and why warps work backwards", anchor=False)
        point_controls = st.columns(2)
        x = index_slider(point_controls[0], "Pixel x (column)", size=width, key="geometry_x", default=width * 2 // 5)
        y = index_slider(point_controls[1], "Pixel y (row)", size=height, key="geometry_y", default=height // 5)
        path = geometry.follow_pixel(matrix, (x, y), size=size)
        landing = path.landing
        if matrix.shape[0] == 2:
            (a, b, c), (d, e, f) = matrix
            st.latex(rf"x' = {a:.3f}\cdot{x} {b:+.3f}\cdot{y} {c:+.2f} = {landing[0]:.2f} \qquad "
                     rf"y' = {d:.3f}\cdot{x} {e:+.3f}\cdot{y} {f:+.2f} = {landing[1]:.2f}")
        else:
            st.latex(rf"(x, y) = ({x}, {y}) \;\longrightarrow\; (x', y') = ({landing[0]:.2f}, {landing[1]:.2f})")
        picture_row([Picture(step(geometry.mark_points, img, [(x, y)]), caption=f"Input pixel ({x}, {y})"),
                     Picture(step(geometry.mark_points, result, [landing]),
                             caption=f"It lands at ({landing[0]:.2f}, {landing[1]:.2f})"
                             + ("" if path.inside else ": outside the output"))])
        picture_row([Picture(forward, caption="Forward mapping: push each input pixel to its rounded landing spot "
                                              f"({holes:.1%} holes)"),
                     Picture(result, caption="Inverse mapping (what cv2.warpAffine does): no holes")])
        st.markdown(f"The landing spot ({landing[0]:.2f}, {landing[1]:.2f}) is not a pixel centre. Pushing every "
                    f"input pixel to its nearest output pixel leaves **{holes:.1%}** of the covered output never hit "
                    "(black specks), while other output pixels are hit twice. Warping functions work the other way "
                    "round: for each *output* pixel they apply the inverse matrix and ask where it came from. Output "
                    f"pixel {path.nearest} comes from input position ({path.source[0]:.2f}, {path.source[1]:.2f}), "
                    f"which lies between pixel centres: {OPERATIONS.get(op, op).lower()} with *{interpolation}* "
                    "interpolation reads the value there from its neighbours.")

        # Interpolation up close -----------------------------------------------------------------------------
        st.subheader("Interpolation up close: a 12 × 12 crop around the pixel, enlarged 20 times", anchor=False)
        picture_row([Picture(enlarged, caption=name, crisp=True)
                     for name, enlarged in step(geometry.enlarge_window, img, row=y, col=x).items()])
        st.caption("Nearest copies the closest pixel (blocks); linear blends 2 × 2 neighbours, cubic 4 × 4 and "
                   "Lanczos 8 × 8 (sharper, with slight halos); area, when enlarging, is nearest with blended block "
                   "edges.")

    where_one_pixel_goes()

    # 5. What to notice ------------------------------------------------------------------------------------
    st.subheader("What to notice", anchor=False)
    if op == "scale":
        notice = (f"The output has {size[0] * size[1]:,} pixels for {width * height:,} in the input "
                  f"({size[0] * size[1] / (width * height):.0%}): scaling by {factor:g} multiplies the pixel count "
                  f"by about {factor ** 2:.2f}. ")
    elif op == "flip":
        notice = "A flip sends every pixel exactly onto another pixel centre: no interpolation and no holes. "
    else:
        notice = (f"**{outside:.1%}** of the output pixels come from outside the input and are filled by the "
                  f"*{border}* border mode. ")
    st.markdown(notice + f"Forward mapping would leave **{holes:.1%}** holes; inverse mapping leaves none, "
                "which is why every library warps backwards.")

    # The code, right under the result it reproduces ------------------------------------------------
    show_code(body, source=source, result=result)


transform_panel()

# 6. Where it breaks: aliasing (a fragment: the shrink slider redraws only this section) ------------------
@st.fragment
def aliasing() -> None:
    st.header("Where it breaks: shrinking without smoothing", anchor=False)
    shrink = st.slider("Shrink to 1 / N", 2, 10, 4, key="geometry_shrink", bind="query-params")
    shrunk = {name: step(geometry.scale, img, factor=1 / shrink, interpolation=name)
              for name in ("nearest", "linear", "area")}
    picture_row([Picture(picture, caption=f"{name}: {picture.shape[1]} × {picture.shape[0]}", crisp=True)
                 for name, picture in shrunk.items()])
    st.markdown(f"Nearest neighbour keeps **1 pixel in {shrink * shrink}** and drops the rest; linear interpolation "
                "reads only the 2 × 2 pixels around each sample, so it also ignores most of them. Fine, regular "
                "detail (stripes, brick, fabric) then turns into false coarse patterns: **aliasing** or moiré. Area "
                f"interpolation averages all {shrink * shrink} pixels of each block, a low-pass filter before "
                "sampling, which is the cure.")
    link_columns = st.columns(3)
    link_columns[0].page_link(lesson.page, label="Try it on checkerboard", icon=":material/image:",
                              query_params={"img": "checkerboard", "geometry_shrink": "5"})
    link_columns[1].page_link(lesson.page, label="Try it on brick", icon=":material/image:",
                              query_params={"img": "brick", "geometry_shrink": "6"})
    with link_columns[2]:
        lesson_link("smoothing", "Smoothing: blur before you sample")


aliasing()

# 8. Check yourself -------------------------------------------------------------------------------------
st.header("Check yourself", anchor=False)
turned = geometry.transform_point(geometry.rotation_matrix((101, 101), angle=90)[0], (10, 0))
numeric_exercise(
    "geometry_landing", number=1,
    question="A 101 × 101 image is turned 90° counter-clockwise about its centre (50, 50) with "
    "`cv2.getRotationMatrix2D((50, 50), 90, 1.0)`. The pixel at x = 10, y = 0 lands where? Give its new **y**.",
    answer=round(turned[1]), tolerance=0.5,
    hint="Counter-clockwise on screen, the top edge becomes the left edge; x = 10 is near the left end of it.",
    explanation=f"It lands at ({turned[0]:.0f}, {turned[1]:.0f}): y′ = −x + 100 = 90.")
_, grown = geometry.rotation_matrix(img.shape, angle=30, expand=True)
numeric_exercise(
    "geometry_canvas", number=2,
    question=f"This image is {width} pixels wide and {height} high. Turned by 30° with the canvas grown to keep "
    "every pixel, how many pixels wide is the result?",
    answer=grown[0], tolerance=1,
    hint="The turned rectangle's bounding box is W·cos θ + H·sin θ wide; round up.",
    explanation=f"{width} × cos 30° + {height} × sin 30° = {width * 0.8660254 + height * 0.5:.1f}, "
                f"so {grown[0]} pixels.")
options = {"A": "linear", "B": "nearest", "C": "cubic"}
choice_exercise(
    "geometry_interp", number=3,
    question="The same 4 × 4 pattern, enlarged 48 times three ways. Which one used nearest neighbour?",
    options=list(options), correct="B",
    pictures=[step(geometry.resize, PATTERN, width=192, height=192, interpolation=name) for name in options.values()],
    hint="Nearest neighbour copies values: no new grey levels appear.",
    explanation="B: sharp squares of the original 16 values. A (linear) and C (cubic) blend neighbours into ramps.")

finish_lesson("geometry")
