"""Lesson: Images as arrays."""

from dataclasses import dataclass

import numpy as np
import streamlit as st

from processing import arrays, color
from processing.samples import gradient_ramp
from processing.stats import image_facts
from ui.cache import cached_step
from ui.charts import show_chart
from ui.code import show_code
from ui.display import before_after, clickable_image, fit_width, follow_click, mark_pixel, show_image
from ui.exercises import choice_exercise, numeric_exercise
from ui.page import finish_lesson, index_slider, keep_in_range, start_lesson
from ui.svg import pixel_grid
from ui.url import url_choice


# Cached steps: keyed on the image's key and the settings, so a rerun shows the same read-only arrays.
@cached_step(max_entries=8)
def summary(key: str, click_width: int, _image) -> tuple:
    """(image facts, the three channels as grey pictures or None, the channels swapped BGR-style or None,
    the inspector's picture `click_width` wide at most)."""
    preview = fit_width(_image, max_width=click_width)
    if _image.ndim == 2:
        return image_facts(_image), None, None, preview
    return image_facts(_image), color.split_channels(_image), arrays.swap_red_blue(_image), preview


@dataclass(frozen=True)
class Experiment:
    """What one experiment shows: the array the code makes, its picture, and the numbers quoted about it."""

    result: np.ndarray
    shown: np.ndarray
    numbers: dict


@cached_step(max_entries=32)
def experiment(key: str, operation: str, settings: tuple, _image) -> Experiment:
    """Run one experiment of "Change the array" with its settings (see the page for each tuple)."""
    numbers = {}
    if operation == "paint":
        top, left, bottom, right, value = settings
        result = arrays.paint_rectangle(_image, top=top, left=left, bottom=bottom, right=right, value=value)
        numbers["changed"] = arrays.changed_pixels(_image, result)
    elif operation == "crop":
        top, left, bottom, right = settings
        result = arrays.crop(_image, top=top, left=left, bottom=bottom, right=right)
    elif operation == "pixels":
        numbers["small"], result = arrays.fewer_pixels(_image, factor=settings[0])
    elif operation == "levels":
        result = arrays.quantise(_image, levels=settings[0])
        numbers["distinct"] = arrays.distinct_values(result)
    elif operation == "add":
        amount, method = settings
        result = arrays.add_constant(_image, amount=amount, method=method)
        if method == "numpy uint8":
            numbers["share"] = arrays.wrap_share(_image, amount=amount)  # values that wrapped around
        elif method == "cv2.add":
            numbers["share"] = float(np.count_nonzero(result == (255 if amount > 0 else 0)) / result.size)
        numbers["low"], numbers["high"] = float(result.min()), float(result.max())
    else:  # save
        file_format, quality = settings
        saved = arrays.save_and_reload(_image, file_format=file_format, quality=quality)
        result = saved.decoded
        # Keep the file's bytes, not the int16 difference: the panel shows only the amplified picture.
        numbers.update(data=saved.data, amplified=arrays.amplified_difference(saved.difference),
                       changed_share=np.count_nonzero(saved.difference) / saved.difference.size,
                       largest_change=int(np.abs(saved.difference).max()))
    return Experiment(result=result, shown=arrays.clip_to_uint8(result), numbers=numbers)


@cached_step(max_entries=64)
def pixel_numbers(key: str, row: int, col: int, size: int, _image) -> str:
    """The k × k pixels around (row, col) with their values printed, as an SVG grid."""
    window, origin = arrays.neighbourhood(_image, row=row, col=col, size=size)
    return pixel_grid(window, origin=origin, highlight=(row, col))


@cached_step(max_entries=1)
def quantised_ramps(levels: tuple[int, ...]) -> list[np.ndarray]:
    ramp = gradient_ramp(height=48, width=256)  # a ramp holds every level, so each option shows all its levels
    return [arrays.quantise(ramp, levels=n) for n in levels]


lesson, source = start_lesson("arrays")
img = source.image
height, width = img.shape[:2]
is_colour = img.ndim == 3

# 1. The idea -----------------------------------------------------------------
st.markdown(
    "A digital image is a grid of numbers. In Python it is a NumPy array: `img[row, col]` is the pixel in "
    "that row (counted from the top) and column (from the left). A grey image has one number per pixel, "
    "shape `(height, width)`; a colour image has three, red, green and blue, shape `(height, width, 3)`. "
    "Photos use `uint8`: whole numbers from 0 (black) to 255 (full brightness)."
)
click_width = min(width, 560)
facts, channels, swapped, preview = summary(source.key, click_width, img)
shape_column, dtype_column, table_column = st.columns([1, 1, 2])
shape_column.metric("img.shape", str(facts.shape))
dtype_column.metric("img.dtype", facts.dtype)
table_column.markdown(
    "| channel | min | max | mean |\n|---|---|---|---|\n"
    + "".join(
        f"| {name} | {low} | {high} | {mean:.1f} |\n"
        for name, low, high, mean in zip(facts.channels, facts.minimum, facts.maximum, facts.mean)
    )
)

# 2. Controls ----------------------------------------------------------------------
OPERATIONS = {
    "paint": "Paint a rectangle",
    "crop": "Crop",
    "pixels": "Fewer pixels",
    "levels": "Fewer levels",
    "add": "Add a number",
    "save": "Save as a file",
}
st.header("Change the array", anchor=False)


@st.fragment
def change_the_array() -> None:
    """The experiment and its controls, before and after, what to notice and the code.

    A fragment: moving one of its controls reruns only this part of the page; nothing outside it reads them.
    """
    operation = url_choice(st.segmented_control, "Experiment", OPERATIONS, key="arrays_op", default="paint")
    controls = st.columns(3)
    if operation in ("paint", "crop"):
        keep_in_range("arrays_rows", 0, height)
        keep_in_range("arrays_cols", 0, width)
        rows = controls[0].slider(
            "Rows (top, bottom)", 0, height, (height // 4, height // 2), key="arrays_rows", bind="query-params",
            help="A NumPy slice: the bottom row is not included.",
        )
        cols = controls[1].slider(
            "Columns (left, right)", 0, width, (width // 4, width // 2), key="arrays_cols", bind="query-params"
        )
        (top, bottom), (left, right) = rows, cols
    if operation == "paint":
        if is_colour:
            hex_colour = controls[2].color_picker("Colour", "#00FFFF", key="arrays_colour", bind="query-params")
            value = tuple(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
        else:
            value = controls[2].slider("Grey level", 0, 255, 255, key="arrays_grey", bind="query-params")
        run = experiment(source.key, operation, (top, left, bottom, right, value), img)
        if bottom <= top or right <= left:
            st.info("The rectangle is empty, so nothing was painted: make the bottom row larger than the top and "
                    "right larger than left.", icon=":material/info:")
        body = f"result = img.copy()\nresult[{top}:{bottom}, {left}:{right}] = {value}"
        caption = f"img[{top}:{bottom}, {left}:{right}] = {value}"
    elif operation == "crop":
        if bottom <= top or right <= left:
            st.warning("The crop is empty: make the bottom row larger than the top and right larger than left.")
            top, bottom, left, right = 0, max(bottom, 1), 0, max(right, 1)
        run = experiment(source.key, operation, (top, left, bottom, right), img)
        body = f"result = img[{top}:{bottom}, {left}:{right}].copy()"
        caption = f"img[{top}:{bottom}, {left}:{right}], shape {run.result.shape}"
    elif operation == "pixels":
        factor = controls[0].slider("Keep one pixel in", 1, 32, 8, key="arrays_factor", bind="query-params")
        run = experiment(source.key, operation, (factor,), img)
        small = run.numbers["small"]
        if factor >= height and factor >= width and factor > 1:
            st.info(f"This image is only {width} × {height} pixels, no larger than one {factor} × {factor} block, so "
                    "only its top-left pixel is kept.", icon=":material/info:")
        body = (
            f"small = img[::{factor}, ::{factor}]  # shape {small.shape}\n"
            f"result = np.repeat(np.repeat(small, {factor}, axis=0), {factor}, axis=1)[:{height}, :{width}]"
        )
        caption = (f"img[::{factor}, ::{factor}]: {small.shape[1]} × {small.shape[0]} pixels, "
                   f"each drawn {factor} × {factor}")
    elif operation == "levels":
        levels = controls[0].select_slider(
            "Grey levels per channel", [2, 4, 8, 16, 32, 64, 128, 256], value=4, key="arrays_levels",
            bind="query-params",
        )
        run = experiment(source.key, operation, (levels,), img)
        body = (
            f"levels = {levels}\n"
            "table = np.round((np.arange(256) * levels // 256) * 255 / (levels - 1)).astype(np.uint8)\n"
            "result = cv2.LUT(img, table)"
        )
        caption = f"{levels} levels per channel ({int(np.log2(levels))} bits)"
    elif operation == "add":
        amount = controls[0].slider("Number to add", -100, 100, 60, key="arrays_amount", bind="query-params")
        method = controls[1].radio(
            "Arithmetic", arrays.ADD_METHODS, key="arrays_method", bind="query-params",
            help="uint8 wraps around, cv2.add saturates at 0 and 255, float keeps the exact sum.",
        )
        run = experiment(source.key, operation, (amount, method), img)
        if method == "numpy uint8":
            body = f"result = img + np.uint8({amount % 256})  # uint8 arithmetic is modulo 256"
        elif method == "cv2.add":
            call = "cv2.add" if amount >= 0 else "cv2.subtract"
            body = f"result = {call}(img, np.full(img.shape, {abs(amount)}, np.uint8))  # saturates at 0 and 255"
        else:
            body = f"result = img.astype(np.float32) + {amount}  # exact, may leave 0-255"
        caption = f"img + {amount} with {method}"
    else:  # save
        file_format = controls[0].radio("Format", arrays.SAVE_FORMATS, key="arrays_format", bind="query-params",
                                        horizontal=True)
        quality = controls[1].slider("Quality", 1, 100, 20, key="arrays_quality", bind="query-params",
                                     disabled=file_format == "png", help="JPEG and WebP only; PNG is lossless.")
        with st.spinner(f"Saving as {file_format.upper()} and reading it back…"):
            run = experiment(source.key, operation, (file_format, quality), img)
        data = run.numbers["data"]
        extension = {"jpeg": ".jpg", "png": ".png", "webp": ".webp"}[file_format]
        params = {
            "jpeg": f"[cv2.IMWRITE_JPEG_QUALITY, {quality}]",
            "webp": f"[cv2.IMWRITE_WEBP_QUALITY, {quality}]",
            "png": "[cv2.IMWRITE_PNG_COMPRESSION, 1]",
        }[file_format]
        if is_colour:
            body = (
                f'ok, data = cv2.imencode("{extension}", cv2.cvtColor(img, cv2.COLOR_RGB2BGR), {params})\n'
                "result = cv2.cvtColor(cv2.imdecode(data, cv2.IMREAD_COLOR), cv2.COLOR_BGR2RGB)\n"
                'print(len(data), "bytes")'
            )
        else:
            body = (
                f'ok, data = cv2.imencode("{extension}", img, {params})\n'
                "result = cv2.imdecode(data, cv2.IMREAD_GRAYSCALE)\n"
                'print(len(data), "bytes")'
            )
        caption = (f"Saved as {file_format.upper()}" + ("" if file_format == "png" else f" at quality {quality}")
                   + ", read back")

    # 3. Before and after ------------------------------------------------------------
    result, shown, numbers = run.result, run.shown, run.numbers
    before_after(img, shown, before_caption=f"img, shape {img.shape}", after_caption=caption,
                 crisp_after=operation == "levels")
    if result.dtype != np.uint8:
        st.info(
            f"The float result runs from {numbers['low']:.0f} to {numbers['high']:.0f}. To show it, values are "
            "clipped to 0-255 with `np.clip(result, 0, 255).astype(np.uint8)`, a visible step you choose, not a "
            "silent wrap.",
            icon=":material/info:",
        )

    # What to notice (numbers computed for the image on screen) ---------------------------
    st.subheader("What to notice", anchor=False)
    if operation == "paint":
        st.markdown(
            f"One line of slicing set {(bottom - top) * (right - left):,} pixels "
            f"({(bottom - top) * (right - left) / (height * width):.1%} of the image); {numbers['changed']:,} of them "
            f"actually changed value. The histogram on the right gains a spike at {value}, the painted level."
        )
    elif operation == "crop":
        st.markdown(
            f"A crop is only a slice: the result has shape `{result.shape}`, {result.size:,} numbers instead of "
            f"{img.size:,}. Without `.copy()`, NumPy returns a *view* that shares memory with `img`, so painting "
            "the crop would paint the original too."
        )
    elif operation == "pixels":
        st.markdown(
            f"Keeping one pixel in {factor} along each axis leaves {small.shape[0] * small.shape[1]:,} pixels of "
            f"{height * width:,} ({1 / factor**2:.1%}). Detail smaller than {factor} pixels cannot survive: edges "
            "turn into staircases. The histogram barely changes, because the kept pixels are a fair sample."
        )
    elif operation == "levels":
        distinct = numbers["distinct"]
        st.markdown(
            f"With {levels} levels the image holds only {distinct} distinct value(s) (the histogram is {distinct} "
            "spikes). Smooth gradients such as skies and skin turn into bands with visible steps: that is "
            f"*posterisation*. 256 levels need 8 bits; {levels} need {int(np.log2(levels))}."
        )
    elif operation == "add":
        if method == "numpy uint8":
            threshold = 256 - amount if amount > 0 else -amount
            st.markdown(
                f"{numbers['share']:.1%} of the values were "
                f"{'≥ ' + str(threshold) if amount > 0 else '< ' + str(threshold)} "
                f"and wrapped around: with uint8, 250 + 10 is 4, so the brightest parts turned dark. Switch to "
                "cv2.add to saturate instead, or to float to keep the exact sum."
            )
        elif method == "cv2.add":
            st.markdown(
                f"cv2.add saturates: every sum above 255 becomes 255 and every result below 0 becomes 0. "
                f"{numbers['share']:.1%} of the values now sit at {255 if amount > 0 else 0}, the spike at the "
                "histogram's edge."
            )
        else:
            st.markdown(
                f"The float result is exact (from {numbers['low']:.0f} to {numbers['high']:.0f}) but is no longer a "
                "valid uint8 image: to show or save it you must choose how to bring it back to 0-255."
            )
    else:
        raw = img.size
        st.markdown(
            f"The file takes {len(data):,} bytes against {raw:,} bytes of raw pixels "
            f"({raw / len(data):.1f} times smaller). {numbers['changed_share']:.1%} of the values "
            f"changed on the way, by at most {numbers['largest_change']} levels."
            + (" PNG is lossless: nothing changed." if file_format == "png" else "")
        )
        diff_column, download_column = st.columns([2, 1])
        with diff_column:
            show_image(numbers["amplified"], crisp=True,
                       caption="Difference (read back − original) × 10, grey 128 = no change")
        with download_column:
            st.metric("File size", f"{len(data) / 1024:,.1f} KB")
            st.download_button(
                "Download this file", data, file_name=f"pixel-lab{extension}",
                mime={"jpeg": "image/jpeg", "png": "image/png", "webp": "image/webp"}[file_format],
                icon=":material/download:",
            )

    # The code, right under the result it reproduces ------------------------------------------------
    show_code(body, source=source, result=result)


change_the_array()

# 4. Look closer: the pixel inspector (a fragment: its controls redraw only this section) ------------
@st.fragment
def pixel_inspector() -> None:
    st.header("Look closer: one pixel and its neighbours", anchor=False)
    st.markdown("Click on the picture, or set the row and column, to see the numbers stored around that pixel.")
    inspector_controls = st.columns(3)
    size = inspector_controls[2].select_slider("Neighbourhood size (k × k)", [3, 5, 7, 9], value=5,
                                               key="arrays_size", bind="query-params")
    # The click from the previous interaction is read before the sliders are drawn, so it can move them.
    clicked = st.session_state.get("arrays_click")
    follow_click(clicked, prefix="arrays", height=height, width=width)
    row = index_slider(inspector_controls[0], "Row", size=height, key="arrays_row", default=height // 2)
    col = index_slider(inspector_controls[1], "Column", size=width, key="arrays_col", default=width // 2)
    picture_column, grid_column = st.columns([1, 1], gap="medium")
    with picture_column:
        scale = preview.shape[1] / width
        clickable_image(mark_pixel(preview, row=(row + 0.5) * scale, col=(col + 0.5) * scale), key="arrays_click")
    with grid_column:
        show_chart(pixel_numbers(source.key, row, col, size, img),
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
    for index, (column, name) in enumerate(zip(st.columns(3), ("red", "green", "blue"))):
        with column:
            show_image(channels[index], caption=f"img[:, :, {index}]: {name}")
else:
    st.markdown("This image is grey: one channel, so `img.ndim` is 2 and there is nothing to split. "
                "Pick a colour sample in the sidebar to see three channels.")

# 5. Where it breaks ------------------------------------------------------------------
st.header("Where it breaks: uint8 arithmetic and channel order", anchor=False)
demo = np.array([[5, 128, 250]], np.uint8)
wrapped_demo = arrays.add_constant(demo, amount=10, method="numpy uint8")
saturated_demo = arrays.add_constant(demo, amount=10, method="cv2.add")
st.markdown(
    f"Adding 10 to the values `{demo.ravel().tolist()}` gives `{wrapped_demo.ravel().tolist()}` in NumPy "
    f"uint8 (250 + 10 wraps around to 4) but `{saturated_demo.ravel().tolist()}` with `cv2.add`, which "
    "saturates. Convert to a wider type (`img.astype(np.int16)` or `np.float32`) before arithmetic whose "
    "result can leave 0-255, and decide explicitly how to come back."
)
st.markdown(
    "| | read with | channel order | dtype | shape |\n|---|---|---|---|---|\n"
    "| OpenCV | `cv2.imread(path)` | **B, G, R** | uint8 | (H, W, 3) |\n"
    "| Pillow | `np.asarray(Image.open(path))` | R, G, B | uint8 | (H, W, 3); grey (H, W) |\n"
    "| scikit-image | `skimage.io.imread(path)` | R, G, B | uint8 | (H, W, 3) |\n\n"
    "OpenCV also *writes* BGR: `cv2.imwrite(path, img)` expects BGR, so convert RGB arrays with "
    "`cv2.cvtColor(img, cv2.COLOR_RGB2BGR)` first. Floats are another trap: scikit-image's float images "
    "run from 0 to 1, so a float array holding 0-255 shows almost entirely white."
)
if is_colour:
    left, right = st.columns(2)
    with left:
        show_image(img, caption="RGB shown as RGB (correct)")
    with right:
        show_image(swapped, caption="BGR shown as RGB: red and blue swapped")

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
choice_exercise(
    "arrays_quantise", number=4,
    question="These are one grey ramp (0 to 255) quantised three ways. Which keeps exactly 4 grey levels?",
    options=list(option_levels), correct="C",
    pictures=quantised_ramps(tuple(option_levels.values())),
    hint="Count the distinct shades; 2 levels is pure black and white.",
    explanation="C has 4 levels (0, 85, 170, 255); A has 16 and B has 2.",
)

finish_lesson("arrays")
