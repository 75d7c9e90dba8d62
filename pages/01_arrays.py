"""Lesson: Images as arrays. Processing: processing/arrays.py, processing/stats.py.
Tests: tests/app/test_arrays.py, tests/processing/test_arrays.py."""

import numpy as np
import streamlit as st

from processing import arrays, color
from processing.display import to_uint8
from processing.samples import gradient_ramp
from processing.stats import image_facts
from ui.cache import step
from ui.charts import show_chart
from ui.code import show_code
from ui.display import (Picture, before_after, clickable_image, fit_width, follow_click, mark_pixel, picture_row,
                        show_image)
from ui.exercises import choice_exercise, numeric_exercise
from ui.page import finish_lesson, index_slider, keep_in_range, start_lesson
from ui.svg import pixel_grid
from ui.url import url_choice

lesson, source = start_lesson("arrays")
img = source.image
height, width = img.shape[:2]
is_colour = img.ndim == 3

# 1. The idea -----------------------------------------------------------------
st.markdown(
    "A digital image is a grid of numbers. In Python it is a NumPy array: `img[row, col]` is the pixel in "
    "that row (counted from the top) and column (from the left). A grey image has one number per pixel, "
    "shape `(height, width)`; a colour image has three, red, green and blue, shape `(height, width, 3)`. "
    "Photos use `uint8`: whole numbers from 0 (black) to 255 (full brightness). OpenCV functions that take a "
    "point, such as `cv2.circle(img, (x, y), ...)`, write it as (x, y): x is the column and y the row, so the "
    "point (x, y) is `img[y, x]`."
)
facts = step(image_facts, img)
shape_column, dtype_column, table_column = st.columns([2, 1, 2])  # the shape fits in presenter mode
shape_column.metric("img.shape", str(facts.shape))
dtype_column.metric("img.dtype", facts.dtype)
table_column.markdown("| channel | min | max | mean |\n|---|---|---|---|\n" + "".join(
    f"| {name} | {low} | {high} | {mean:.1f} |\n"
    for name, low, high, mean in zip(facts.channels, facts.minimum, facts.maximum, facts.mean)))

# 2. Controls ----------------------------------------------------------------------
OPERATIONS = {"paint": "Paint a rectangle", "crop": "Crop", "pixels": "Fewer pixels", "levels": "Fewer levels",
              "add": "Add a number", "save": "Save as a file"}
EXTENSIONS = {"jpeg": ".jpg", "png": ".png", "webp": ".webp"}
SAVE_PARAMS = {"jpeg": "[cv2.IMWRITE_JPEG_QUALITY, {}]", "webp": "[cv2.IMWRITE_WEBP_QUALITY, {}]",
               "png": "[cv2.IMWRITE_PNG_COMPRESSION, 1]"}
st.header("Change the array", anchor=False)


@st.fragment
def change_the_array() -> None:
    """The experiment and its controls, before and after, what to notice and the code. A fragment: moving one
    of its controls reruns only this part of the page; nothing outside it reads them."""
    operation = url_choice(st.segmented_control, "Experiment", OPERATIONS, key="arrays_op", default="paint")
    controls = st.columns(3)
    if operation in ("paint", "crop"):
        keep_in_range("arrays_rows", 0, height)
        keep_in_range("arrays_cols", 0, width)
        top, bottom = controls[0].slider("Rows (top, bottom)", 0, height, (height // 4, height // 2),
                                         key="arrays_rows", bind="query-params",
                                         help="A NumPy slice: the bottom row is not included.")
        left, right = controls[1].slider("Columns (left, right)", 0, width, (width // 4, width // 2),
                                         key="arrays_cols", bind="query-params")
        empty = bottom <= top or right <= left
    if operation == "paint":
        if is_colour:
            hex_colour = controls[2].color_picker("Colour", "#00FFFF", key="arrays_colour", bind="query-params")
            value = tuple(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
        else:
            value = controls[2].slider("Grey level", 0, 255, 255, key="arrays_grey", bind="query-params")
        result = step(arrays.paint_rectangle, img, top=top, left=left, bottom=bottom, right=right, value=value)
        if empty:
            st.info("The rectangle is empty, so nothing was painted: make the bottom row larger than the top and "
                    "right larger than left.", icon=":material/info:")
        body = f"result = img.copy()\nresult[{top}:{bottom}, {left}:{right}] = {value}"
        caption = f"img[{top}:{bottom}, {left}:{right}] = {value}"
        changed = step(arrays.changed_pixels, img, result)
        notice = (f"One line of slicing set {(bottom - top) * (right - left):,} pixels "
                  f"({(bottom - top) * (right - left) / (height * width):.1%} of the image); {changed:,} of them "
                  f"actually changed value. The histogram on the right gains a spike at {value}, the painted level.")
    elif operation == "crop":
        if empty:
            st.warning("The crop is empty: make the bottom row larger than the top and right larger than left.")
            top, bottom, left, right = 0, max(bottom, 1), 0, max(right, 1)
        result = step(arrays.crop, img, top=top, left=left, bottom=bottom, right=right)
        body = f"result = img[{top}:{bottom}, {left}:{right}].copy()"
        caption = f"img[{top}:{bottom}, {left}:{right}], shape {result.shape}"
        notice = (f"A crop is only a slice: the result has shape `{result.shape}`, {result.size:,} numbers instead of "
                  f"{img.size:,}. Without `.copy()`, NumPy returns a *view* that shares memory with `img`, so painting "
                  "the crop would paint the original too.")
    elif operation == "pixels":
        factor = controls[0].slider("Keep one pixel in", 1, 32, 8, key="arrays_factor", bind="query-params")
        small, result = step(arrays.fewer_pixels, img, factor=factor)
        if factor >= height and factor >= width and factor > 1:
            st.info(f"This image is only {width} × {height} pixels, no larger than one {factor} × {factor} block, so "
                    "only its top-left pixel is kept.", icon=":material/info:")
        body = (f"small = img[::{factor}, ::{factor}]  # shape {small.shape}\n"
                f"result = np.repeat(np.repeat(small, {factor}, axis=0), {factor}, axis=1)[:{height}, :{width}]")
        caption = (f"img[::{factor}, ::{factor}]: {small.shape[1]} × {small.shape[0]} pixels, "
                   f"each drawn {factor} × {factor}")
        notice = (f"Keeping one pixel in {factor} along each axis leaves {small.shape[0] * small.shape[1]:,} pixels "
                  f"of {height * width:,} ({1 / factor**2:.1%}). Detail smaller than {factor} pixels cannot survive: "
                  "edges turn into staircases. The histogram barely changes, because the kept pixels are a fair "
                  "sample.")
    elif operation == "levels":
        levels = controls[0].select_slider("Grey levels per channel", [2, 4, 8, 16, 32, 64, 128, 256], value=4,
                                           key="arrays_levels", bind="query-params")
        result = step(arrays.quantise, img, levels=levels)
        distinct = step(arrays.distinct_values, result)
        bits = levels.bit_length() - 1
        body = (f"levels = {levels}\n"
                "table = np.round((np.arange(256) * levels // 256) * 255 / (levels - 1)).astype(np.uint8)\n"
                "result = cv2.LUT(img, table)")
        caption = f"{levels} levels per channel ({bits} bits)"
        notice = (f"With {levels} levels the image holds only {distinct} distinct value(s) (the histogram is "
                  f"{distinct} spikes). Smooth gradients such as skies and skin turn into bands with visible steps: "
                  f"that is *posterisation*. 256 levels need 8 bits; {levels} need {bits}.")
    elif operation == "add":
        amount = controls[0].slider("Number to add", -100, 100, 60, key="arrays_amount", bind="query-params")
        method = controls[1].radio(
            "Arithmetic", arrays.ADD_METHODS, key="arrays_method", bind="query-params",
            help="uint8 wraps around, cv2.add saturates at 0 and 255, float keeps the exact sum.")
        added = step(arrays.add_and_count, img, amount=amount, method=method)
        result = added.result
        limit = 255 if amount > 0 else 0
        if method == "numpy uint8":
            body = f"result = img + np.uint8({amount % 256})  # uint8 arithmetic is modulo 256"
            notice = (f"{added.share:.1%} of the values were {f'≥ {256 - amount}' if amount > 0 else f'< {-amount}'} "
                      "and wrapped around: with uint8, 250 + 10 is 4, so the brightest parts turned dark. Switch to "
                      "cv2.add to saturate instead, or to float to keep the exact sum.")
        elif method == "cv2.add":
            call = "cv2.add" if amount >= 0 else "cv2.subtract"
            body = f"result = {call}(img, np.full(img.shape, {abs(amount)}, np.uint8))  # saturates at 0 and 255"
            notice = ("cv2.add saturates: every sum above 255 becomes 255 and every result below 0 becomes 0. "
                      f"{added.share:.1%} of the values now sit at {limit}, the spike at the histogram's edge.")
        else:
            body = f"result = img.astype(np.float32) + {amount}  # exact, may leave 0-255"
            notice = (f"The float result is exact (from {added.low:.0f} to {added.high:.0f}) but is no longer a valid "
                      "uint8 image: to show or save it you must choose how to bring it back to 0-255.")
        caption = f"img + {amount} with {method}"
    else:  # save
        file_format = controls[0].radio("Format", arrays.SAVE_FORMATS, key="arrays_format", bind="query-params",
                                        horizontal=True)
        quality = controls[1].slider("Quality", 1, 100, 20, key="arrays_quality", bind="query-params",
                                     disabled=file_format == "png", help="JPEG and WebP only; PNG is lossless.")
        with st.spinner(f"Saving as {file_format.upper()} and reading it back…"):
            saved = step(arrays.save_and_reload, img, file_format=file_format, quality=quality)
        result, data = saved.decoded, saved.data
        extension, params = EXTENSIONS[file_format], SAVE_PARAMS[file_format].format(quality)
        write, read = (("cv2.cvtColor(img, cv2.COLOR_RGB2BGR)",
                        "cv2.cvtColor(cv2.imdecode(data, cv2.IMREAD_COLOR), cv2.COLOR_BGR2RGB)") if is_colour
                       else ("img", "cv2.imdecode(data, cv2.IMREAD_GRAYSCALE)"))
        body = f'ok, data = cv2.imencode("{extension}", {write}, {params})\nresult = {read}\nprint(len(data), "bytes")'
        caption = (f"Saved as {file_format.upper()}" + ("" if file_format == "png" else f" at quality {quality}")
                   + ", read back")
        notice = (f"The file takes {len(data):,} bytes against {img.size:,} bytes of raw pixels "
                  f"({img.size / len(data):.1f} times smaller). {saved.changed_share:.1%} of the values "
                  f"changed on the way, by at most {saved.largest_change} levels."
                  + (" PNG is lossless: nothing changed." if file_format == "png" else ""))

    # 3. Before and after ------------------------------------------------------------
    shown = result if result.dtype == "uint8" else step(to_uint8, result)
    before_after(img, shown, before_caption=f"img, shape {img.shape}", after_caption=caption,
                 crisp_after=operation == "levels")
    if shown is not result:
        st.info(f"The float result runs from {added.low:.0f} to {added.high:.0f}. To show it, values are rounded and "
                "clipped to 0-255 with `np.clip(np.rint(result), 0, 255).astype(np.uint8)`, a visible step you "
                "choose, not a silent wrap.", icon=":material/info:")

    # What to notice (numbers computed for the image on screen) ---------------------------
    st.subheader("What to notice", anchor=False)
    st.markdown(notice)
    if operation == "save":
        diff_column, download_column = st.columns([2, 1])
        with diff_column:
            show_image(step(arrays.amplified_difference, saved.difference, gain=10), crisp=True,
                       caption="Difference (read back − original) × 10, grey 128 = no change")
        with download_column:
            st.metric("File size", f"{len(data) / 1024:,.1f} KB")
            st.download_button("Download this file", data, file_name=f"pixel-lab{extension}",
                               mime=f"image/{file_format}", icon=":material/download:")

    # The code, right under the result it reproduces ------------------------------------------------
    show_code(body, source=source, result=result)


change_the_array()

# 4. Look closer: the pixel inspector (a fragment: its controls redraw only this section) ------------
preview = step(fit_width, img, max_width=min(width, 560))


@st.fragment
def pixel_inspector() -> None:
    st.header("Look closer: one pixel and its neighbours", anchor=False)
    st.markdown("Click on the picture, or set the row and column, to see the numbers stored around that pixel.")
    inspector_controls = st.columns(3)
    size = inspector_controls[2].select_slider("Neighbourhood size (k × k)", [3, 5, 7, 9], value=5,
                                               key="arrays_size", bind="query-params")
    # The click from the previous interaction is read before the sliders are drawn, so it can move them.
    follow_click(st.session_state.get("arrays_click"), prefix="arrays", height=height, width=width)
    row = index_slider(inspector_controls[0], "Row", size=height, key="arrays_row", default=height // 2)
    col = index_slider(inspector_controls[1], "Column", size=width, key="arrays_col", default=width // 2)
    picture_column, grid_column = st.columns([1, 1], gap="medium")
    with picture_column:
        scale = preview.shape[1] / width
        clickable_image(step(mark_pixel, preview, row=(row + 0.5) * scale, col=(col + 0.5) * scale),
                        key="arrays_click", alt=f"The image, {width} × {height}, with the pixel at row {row}, column "
                        f"{col} framed in yellow; the Row and Column sliders choose it too")
    with grid_column:
        window, origin = step(arrays.neighbourhood, img, row=row, col=col, size=size)
        show_chart(step(pixel_grid, window, origin=origin, highlight=(row, col)),
                   alt=f"The {size} × {size} pixels around row {row}, column {col}, with their values")
        pixel = img[row, col]
        if is_colour:
            st.markdown(f"`img[{row}, {col}]` = `{list(map(int, pixel))}`: red {pixel[0]}, green {pixel[1]}, "
                        f"blue {pixel[2]}.")
        else:
            st.markdown(f"`img[{row}, {col}]` = `{int(pixel)}` (0 is black, 255 is white).")
        if height < size or width < size:
            st.info(f"This image is only {height} × {width} pixels, so the {size} × {size} neighbourhood is cut "
                    f"at the border: the grid shows all {min(height, size) * min(width, size)} pixel(s) there are.",
                    icon=":material/info:")


pixel_inspector()

# Channels --------------------------------------------------------------------------
st.header("Three numbers per pixel: the channels", anchor=False)
if is_colour:
    st.markdown("Each channel is a grey image of its own: bright where that colour is strong.")
    picture_row([Picture(channel, caption=f"img[:, :, {index}]: {name}") for index, (channel, name)
                 in enumerate(zip(step(color.split_channels, img), ("red", "green", "blue")))])
else:
    st.markdown("This image is grey: one channel, so `img.ndim` is 2 and there is nothing to split. "
                "Pick a colour sample in the sidebar to see three channels.")

# 5. Where it breaks ------------------------------------------------------------------
st.header("Where it breaks: uint8 arithmetic and channel order", anchor=False)
demo = np.array([[5, 128, 250]], np.uint8)
wrapped_demo = step(arrays.add_constant, demo, amount=10, method="numpy uint8")
saturated_demo = step(arrays.add_constant, demo, amount=10, method="cv2.add")
st.markdown(
    f"Adding 10 to the values `{demo.ravel().tolist()}` gives `{wrapped_demo.ravel().tolist()}` in NumPy "
    f"uint8 (250 + 10 wraps around to 4) but `{saturated_demo.ravel().tolist()}` with `cv2.add`, which "
    "saturates. Convert to a wider type (`img.astype(np.int16)` or `np.float32`) before arithmetic whose "
    "result can leave 0-255, and decide explicitly how to come back."
)
st.markdown(
    "| library | read with | channel order | dtype | shape |\n|---|---|---|---|---|\n"
    "| OpenCV | `cv2.imread(path)` | **B, G, R** | uint8 | (H, W, 3) |\n"
    "| Pillow | `np.asarray(Image.open(path))` | R, G, B | uint8 | (H, W, 3); grey (H, W) |\n"
    "| scikit-image | `skimage.io.imread(path)` | R, G, B | uint8 | (H, W, 3) |\n\n"
    "OpenCV also *writes* BGR: `cv2.imwrite(path, img)` expects BGR, so convert RGB arrays with "
    "`cv2.cvtColor(img, cv2.COLOR_RGB2BGR)` first. Floats are another trap: scikit-image's float images "
    "run from 0 to 1, so a float array holding 0-255 shows almost entirely white."
)
if is_colour:
    picture_row([Picture(img, caption="RGB shown as RGB (correct)"),
                 Picture(step(color.swap_rgb_bgr, img), caption="BGR shown as RGB: red and blue swapped")])

# 7. Check yourself ---------------------------------------------------------------------
st.header("Check yourself", anchor=False)
numeric_exercise(
    "arrays_shape", number=1,
    question="How many numbers does the current image hold in total (height × width × channels)?",
    answer=img.size, hint=f"Read the shape above: multiply its entries ({' × '.join(map(str, img.shape))}).",
    explanation=f"{' × '.join(map(str, img.shape))} = {img.size:,}; that is also `img.size`.",
)
centre_row, centre_col = height // 2, width // 3
target_value = int(img[centre_row, centre_col, 1] if is_colour else img[centre_row, centre_col])
channel_words = "green value" if is_colour else "value"
numeric_exercise(
    "arrays_pixel", number=2,
    question=f"What is the {channel_words} of the pixel at row {centre_row}, column {centre_col}? "
    "Use the inspector above.",
    answer=target_value, hint="Set Row and Column in the inspector; for colour images green is the middle number.",
    explanation=f"`img[{centre_row}, {centre_col}{', 1' if is_colour else ''}]` is {target_value}.",
)
numeric_exercise(
    "arrays_wrap", number=3,
    question="In NumPy, `np.uint8(200) + np.uint8(100)` gives what number?",
    answer=44, hint="uint8 keeps only the remainder after dividing by 256.",
    explanation="300 − 256 = 44: uint8 arithmetic wraps around modulo 256. `cv2.add` would give 255.",
)
option_levels = {"A": 16, "B": 2, "C": 4}
ramp = step(gradient_ramp, height=48, width=256)  # a ramp holds every level, so each option shows all its levels
choice_exercise(
    "arrays_quantise", number=4,
    question="These are one grey ramp (0 to 255) quantised three ways. Which keeps exactly 4 grey levels?",
    options=list(option_levels), correct="C",
    # Each in a thin dark frame: the white end of one ramp never runs into the black start of the next.
    pictures=[step(arrays.frame, step(arrays.quantise, ramp, levels=n)) for n in option_levels.values()],
    hint="Count the distinct shades; 2 levels is pure black and white.",
    explanation="C has 4 levels (0, 85, 170, 255); A has 16 and B has 2.",
)

finish_lesson("arrays")
