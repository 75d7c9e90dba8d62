"""Lesson: Compression, JPEG from the inside.

Processing: processing/compression.py (PSNR and SSIM from processing/filters.py).
Tests: tests/processing/test_compression.py, tests/app/test_compression.py.
"""

import streamlit as st

from processing import compression as jpeg
from processing.display import to_uint8
from processing.edges import strongest_edge
from processing.samples import load_sample
from ui.cache import step
from ui.charts import generation_loss_svg, quality_curve_svg, show_chart
from ui.code import show_code
from ui.display import Picture, clickable_image, follow_click, picture_row, show_image, show_with_summary
from ui.exercises import choice_exercise, numeric_exercise
from ui.grids import value_grid_svg
from ui.page import finish_lesson, index_slider, lesson_link, start_lesson
from ui.url import url_choice

lesson, source = start_lesson("compression")
img = source.image
is_colour = img.ndim == 3
height, width = img.shape[:2]
luma = step(jpeg.luma_plane, img)  # the plane coded with the luminance table: Y, or the grey image itself
edge_row, edge_col = step(strongest_edge, luma)
ZIGZAG = [tuple(int(i) for i in cell) for cell in jpeg.zigzag_order()]
SCHEMES = {"4:4:4": "4:4:4", "4:2:2": "4:2:2", "4:2:0": "4:2:0"}

# 1. The idea ---------------------------------------------------------------------------------------------------
st.markdown(
    "A JPEG file does not store pixels. The encoder turns colour into brightness **Y** and two colour differences "
    "**Cb** and **Cr**, and keeps fewer colour samples than brightness samples (**chroma subsampling**). It cuts "
    "each plane into 8 × 8 blocks and rewrites every block as 64 **DCT coefficients**: how much of each of 64 fixed "
    "cosine patterns the block contains. Each coefficient is divided by a step from a **quantisation table** and "
    "rounded, and the **quality** setting scales that table. The rounding is where detail is lost: most "
    "high-frequency coefficients become 0, and runs of zeros cost almost nothing to store."
)
st.latex(r"F(u,v)=\frac{c_u c_v}{4}\sum_{r=0}^{7}\sum_{c=0}^{7}\bigl(f(r,c)-128\bigr)"
         r"\cos\frac{(2r+1)u\pi}{16}\cos\frac{(2c+1)v\pi}{16},"
         r"\qquad \hat F(u,v)=\operatorname{round}\frac{F(u,v)}{Q(u,v)}")
st.markdown("with $c_0 = 1/\\sqrt2$ and $c_k = 1$ otherwise. The decoder multiplies back, $F \\approx \\hat F\\,Q$, "
            "and inverts the transform: what was rounded away does not come back.")
st.markdown("**Good images for this lesson** (one click each):")
links = st.columns(3)
links[0].page_link(lesson.page, label="Astronaut: colour edges", icon=":material/palette:",
                   query_params={"img": "astronaut"})
links[1].page_link(lesson.page, label="Ramp: blocks show", icon=":material/gradient:",
                   query_params={"img": "ramp", "compression_quality": "10"})
links[2].page_link(lesson.page, label="Shapes: edges ring", icon=":material/category:",
                   query_params={"img": "shapes", "compression_quality": "30"})


# 2-7. Controls, before and after, the steps, look closer, what to notice, the code -----------------------------
st.header("Compress it", anchor=False)


@st.fragment
def jpeg_panel() -> None:
    """Quality and subsampling, the result, each step, one block, the quality curve and the code."""
    follow_click(st.session_state.get("compression_click"), prefix="compression", height=height, width=width)
    controls = st.columns([3, 2])
    quality = controls[0].slider("Quality", 1, 100, 25, key="compression_quality", bind="query-params",
                                 help="Scales the quantisation tables: 50 is the standard's own table, lower "
                                      "divides by larger steps (more zeros, smaller file), 100 by steps of 1.")
    scheme = url_choice(controls[1].segmented_control, "Chroma subsampling", SCHEMES, key="compression_sub",
                        default="4:2:0", disabled=not is_colour,
                        help="Colour (Cb, Cr) samples kept: 4:4:4 all of them, 4:2:2 one per 2 pixels across, "
                             "4:2:0 one per 2 × 2 pixels. Brightness (Y) keeps every pixel.")
    ours = step(jpeg.compress, img, quality=quality, subsampling=scheme)
    real = step(jpeg.real_jpeg, img, quality=quality, subsampling=scheme)
    raw_bits = img.size * 8

    left, right = st.columns(2, gap="medium")
    with left:
        show_with_summary(img, caption=f"Input: {width} × {height}, {raw_bits / 8 / 1024:,.0f} KB as raw pixels",
                          crisp=True)
    with right:
        show_with_summary(ours.rebuilt, crisp=True, caption=f"JPEG from scratch, quality {quality}"
                          + (f", {scheme}" if is_colour else "") + f": PSNR {ours.psnr:.1f} dB")
    st.caption("Both pictures are sent to your browser as PNG, so you see exactly these pixels and no second JPEG.")
    metrics = st.columns(4)
    metrics[0].metric(f"Real JPEG file (OpenCV, {real.size / 1024:,.1f} KB): bits per pixel",
                      f"{real.bits_per_pixel:.2f}")
    metrics[1].metric("Quantised coefficients that are 0", f"{ours.entropy.zeros:.1%}")
    metrics[2].metric("PSNR from scratch", f"{ours.psnr:.2f} dB")
    metrics[3].metric("PSNR of the real file", f"{real.psnr:.2f} dB")

    st.subheader("Step 1: brightness and colour, fewer colour samples", anchor=False)
    if is_colour:
        chroma = step(jpeg.subsample_chroma, img, subsampling=scheme)
        picture_row([
            Picture(chroma.y, "Y, brightness: every pixel kept"),
            Picture(chroma.cb, f"Cb (blue − Y) as stored: {chroma.cb.shape[1]} × {chroma.cb.shape[0]}"),
            Picture(chroma.cr, f"Cr (red − Y) as stored: {chroma.cr.shape[1]} × {chroma.cr.shape[0]}"),
            Picture(step(to_uint8, chroma.difference, low=-8, high=8), crisp=True,
                    caption="What subsampling alone changed, × 16 (grey = nothing)"),
        ])
        st.markdown(
            f"{scheme} keeps **{chroma.kept:.0%}** of the samples. After this step alone the picture has a PSNR of "
            f"**{chroma.psnr:.1f} dB**; after every step, {ours.psnr:.1f} dB. The difference sits along sharp "
            "colour edges only: the eye resolves brightness detail far better than colour detail, so JPEG keeps "
            "every Y sample and halves the colour resolution without most people seeing it."
        )
    else:
        st.info("This image is grey: JPEG codes it as a single plane (Y is the image itself), so there is no "
                "colour step and no subsampling.", icon=":material/filter_b_and_w:")

    # 4. Look closer: one block through the encoder ------------------------------------------------------------
    st.subheader("Step 2, look closer: one 8 × 8 block through the encoder and back", anchor=False)
    sliders = st.columns(2)
    row = index_slider(sliders[0], "Row of a pixel in the block", size=height, key="compression_row", default=edge_row)
    col = index_slider(sliders[1], "Column of a pixel in the block", size=width, key="compression_col",
                       default=edge_col)
    block = step(jpeg.analyse_block, luma, row=row, col=col, quality=quality)
    pick, patterns = st.columns([3, 2], gap="medium")
    with pick:
        clickable_image(step(jpeg.block_preview, img, row=row, col=col, max_width=640), key="compression_click",
                        alt=f"The image with the 8 × 8 block at row {block.top}, column {block.left} framed in "
                            "orange; the row and column sliders pick a block too")
        st.caption(f"Click to pick a block (or use the sliders). The orange frame is the block at row {block.top}, "
                   f"column {block.left}, from the {'Y plane' if is_colour else 'image'}; it opens on the strongest "
                   "edge of the image.")
    with patterns:
        show_image(step(jpeg.basis_picture, cell=4, gap=3, used=block.quantised != 0), crisp=True,
                   caption="The 64 DCT patterns, low frequencies top left; framed: the ones this block keeps")
    grids = st.columns(3)
    views = [
        (block.pixels, "Pixels f(r, c)", "grey", False, None),
        (block.coefficients, "DCT of f − 128: F(u, v)", "signed", False, None),
        (block.table, f"Quantisation steps Q at quality {quality}", "steps", False, None),
        (block.quantised, "Stored: round(F / Q)", "signed", True, ZIGZAG),
        (block.rebuilt, "Rebuilt by the decoder", "grey", False, None),
        (block.error, "Rebuilt − pixels", "signed", True, None),
    ]
    for index, (values, title, scheme_name, faint, path) in enumerate(views):
        with grids[index % 3]:
            show_chart(value_grid_svg(values, title=title, scheme=scheme_name, faint_zeros=faint, path=path),
                       alt=f"{title}: an 8 by 8 grid of numbers")
    stored = ", ".join(str(v) for v in block.zigzag[: block.last + 1]) or "nothing"
    st.markdown(
        f"In zig-zag order (low to high frequency) the file stores **{stored}**, then an end-of-block code: "
        f"{block.kept} non-zero numbers of 64. The DC coefficient F(0, 0) = {block.coefficients[0, 0]:.1f} is 8 × the "
        f"block's mean minus 128; its step is {block.table[0, 0]}, while the finest pattern's step is "
        f"{block.table[7, 7]}: the table spends precision where the eye looks. The rebuilt block is off by at most "
        f"{abs(block.error).max()} grey levels."
    )

    st.subheader("Blocking and ringing, close up", anchor=False)
    crops = step(jpeg.edge_crops, img, row=edge_row, col=edge_col, qualities=(quality, 10), subsampling=scheme)
    picture_row([Picture(crops[0], "Input, around the strongest edge (× 6)", crisp=True),
                 Picture(crops[1], f"Real JPEG, quality {quality}", crisp=True),
                 Picture(crops[2], "Real JPEG, quality 10", crisp=True)])
    st.caption("Blocking: each 8 × 8 block keeps little more than its mean, so flat steps appear at block borders. "
               "Ringing: an edge needs many high frequencies; with them rounded away, ripples run along it.")

    st.subheader("Quality against size and error", anchor=False)
    curve = step(jpeg.quality_curve, img, subsampling=scheme)
    point = step(jpeg.quality_point, img, quality=quality, subsampling=scheme)
    show_chart(quality_curve_svg([p.bits_per_pixel for p in curve.points], [p.psnr for p in curve.points],
                                 [p.ssim for p in curve.points], png_bits=curve.png_bits_per_pixel,
                                 chosen=(quality, point.bits_per_pixel, point.psnr, point.ssim)),
               alt=f"PSNR and SSIM against bits per pixel for JPEG qualities {jpeg.CURVE_QUALITIES[0]} to 100, "
                   f"your quality {quality} marked, and PNG")
    measured = ("this image" if curve.shape == img.shape else
                f"a copy shrunk to {curve.shape[1]} × {curve.shape[0]} (area interpolation), because the curve "
                f"encodes the image {len(jpeg.CURVE_QUALITIES)} times")
    st.caption(f"Real JPEG files ({scheme if is_colour else 'grey'}) at qualities "
               f"{', '.join(map(str, jpeg.CURVE_QUALITIES))}, measured on {measured}; PSNR over every channel, SSIM "
               "of the brightness Y (as codec studies report it). PNG keeps every pixel: "
               f"{curve.png_bits_per_pixel:.2f} bits per pixel, "
               f"{curve.png_bits_per_pixel / max(point.bits_per_pixel, 1e-9):.1f} × your JPEG.")

    st.subheader("From scratch against the real file: why the file is small", anchor=False)
    estimate = ours.entropy
    pixels = width * height
    sizes = {  # bits
        "raw pixels, 8 bits per sample": raw_bits,
        "the quantised coefficients as 16-bit numbers": estimate.coefficients * 16,
        "each coefficient coded alone, at its entropy": estimate.order0_bits,
        "JPEG's (run of zeros, size) symbols, at their entropy": estimate.symbol_bits,
        "the real file (standard Huffman tables, headers)": real.size * 8,
        "the real file, Huffman tables made for this image": real.optimised_size * 8,
    }
    st.table({"stored as": list(sizes), "bits": [f"{bits:,.0f}" for bits in sizes.values()],
              "bits per pixel": [f"{bits / pixels:.2f}" for bits in sizes.values()]})

    # 5. What to notice --------------------------------------------------------------------------------------------
    st.subheader("What to notice", anchor=False)
    st.markdown(
        f"The lossy steps match: from scratch gives PSNR {ours.psnr:.2f} dB, OpenCV's real file {real.psnr:.2f} dB "
        "(libjpeg computes the DCT in integers and the colours in fixed point, we in floating point). The size comes "
        f"from what follows. {estimate.zeros:.0%} of the coefficients are 0, and JPEG never stores them one by one: "
        "it writes how many zeros come before each non-zero value, and a single end-of-block code for the zeros "
        f"at the end. Coded that way at their entropy the coefficients need {estimate.symbol_bits:,.0f} bits; the real "
        f"file has {real.size * 8:,} bits ({real.size:,} bytes), {raw_bits / 8 / real.size:.0f} times smaller than "
        "the raw pixels."
    )
    show_code(jpeg.scratch_code(quality, scheme, colour=is_colour), source=source, result=ours.rebuilt,
              title="The code: JPEG's lossy steps from scratch")
    show_code(jpeg.real_code(quality, scheme, colour=is_colour), source=source, result=real.decoded,
              title="The code: a real JPEG in memory")


jpeg_panel()

# 6. Where it breaks ------------------------------------------------------------------------------------------------
st.header("Where it breaks", anchor=False)
drawing = step(jpeg.line_drawing)
drawn = step(jpeg.real_jpeg, drawing, quality=75)
drawing_png = step(jpeg.png_size, drawing)
close = step(jpeg.edge_crops, drawing, row=48, col=40, qualities=(75,), size=32, zoom=8)
st.markdown(
    f"**Text and line drawings.** A sharp black-on-white edge needs every frequency, so quantisation leaves ripples "
    f"around it, and the flat white is no longer flat. At quality 75 this drawing's JPEG has {drawn.size:,} bytes "
    f"and PSNR {drawn.psnr:.1f} dB; as PNG it has **{drawing_png:,} bytes and every pixel exact**."
)
picture_row([Picture(drawing, "A line drawing (made in code)", crisp=True),
             Picture(close[0], "Close up (× 8)", crisp=True),
             Picture(close[1], "The same after JPEG, quality 75", crisp=True),
             Picture(step(jpeg.crop_difference, close[0], close[1], gain=8), crisp=True,
                     caption="JPEG − drawing, × 8: the ringing (grey = exact)")])
if min(height, width) >= 2:
    loss = step(jpeg.generation_loss, img, quality=75, generations=15)
    st.markdown(
        "**Saving again and again.** Each time a JPEG is opened, edited and saved, it is quantised again. Saved "
        f"as it is, it settles: {loss.same_grid[0]:.1f} dB after one save, {loss.same_grid[-1]:.1f} dB after 15. Moved "
        "by one pixel before each save (a crop, a small edit), the 8 × 8 grid falls somewhere new every time and "
        f"the loss keeps growing: {loss.shifted_grid[-1]:.1f} dB after 15 saves."
    )
    show_chart(generation_loss_svg(loss.generations.tolist(), loss.same_grid.tolist(), loss.shifted_grid.tolist()),
               alt="PSNR against the original after 1 to 15 JPEG saves at quality 75, as it is and moved each time")
lesson_link("arrays", "Keep a master copy as PNG: saving in each format in Images as arrays")

# 8. Check yourself -------------------------------------------------------------------------------------------------
st.header("Check yourself", anchor=False)
dc_step = int(jpeg.quantisation_table(25)[0, 0])
numeric_exercise(
    "compression_step", number=1,
    question="At quality 25, by what step is the DC coefficient F(0, 0) of a brightness block divided?",
    answer=dc_step, tolerance=0,
    hint="Below quality 50 the standard table is scaled by 5000 / quality percent; its top-left step is 16.",
    explanation=f"5000 / 25 = 200 %, and 16 × 200 % = {dc_step}: set Quality to 25 and read the top-left step.",
)
at_50 = step(jpeg.compress, img, quality=50, subsampling="4:2:0")
numeric_exercise(
    "compression_zeros", number=2,
    question="At quality 50 (4:2:0 for a colour image), what percentage of this image's quantised coefficients "
             "are 0?",
    answer=round(100 * at_50.entropy.zeros, 1), tolerance=0.5, step=0.1,
    hint="Set Quality to 50 and Chroma subsampling to 4:2:0, then read the metric under the pictures.",
    explanation=f"{at_50.entropy.zeros:.1%}: the zeros are what makes the file small, once they are coded as runs.",
)
shapes = step(load_sample, "shapes")
shapes_png, shapes_jpeg = step(jpeg.png_size, shapes), step(jpeg.real_jpeg, shapes, quality=90).size
choice_exercise(
    "compression_png", number=3,
    question="The **Shapes** sample is four white rectangles and a disc on black. Which file of it is smaller?",
    options=["PNG (lossless)", "JPEG at quality 90", "About the same (within 10 %)"],
    correct=("About the same (within 10 %)" if abs(shapes_png - shapes_jpeg) <= 0.1 * max(shapes_png, shapes_jpeg)
             else "PNG (lossless)" if shapes_png < shapes_jpeg else "JPEG at quality 90"),
    hint="Open the Shapes sample (link at the top) and compare the PNG point with quality 90 on the curve.",
    explanation=f"PNG needs {shapes_png:,} bytes, JPEG at quality 90 {shapes_jpeg:,}: with two grey levels and "
                "long runs of equal pixels, lossless coding is both smaller and exact.",
)

finish_lesson("compression")
