"""Lesson: Segmentation (connected components, watershed, k-means colours, superpixels).

Processing: processing/segmentation.py (and processing/measure.py for the coins). Tests: tests/app/test_segmentation.py,
tests/processing/test_segmentation.py.
"""

import streamlit as st

from processing import measure, segmentation
from processing.display import draw_cells, to_uint8
from processing.samples import load_sample
from processing.stats import image_facts
from processing.threshold import overlay_mask
from ui.cache import step
from ui.charts import cluster_shares_alt, cluster_shares_figure, show_figure
from ui.code import show_code
from ui.display import Picture, before_after, picture_row, show_image
from ui.exercises import choice_exercise, numeric_exercise
from ui.page import finish_lesson, lesson_link, start_lesson
from ui.url import url_choice

lesson, source = start_lesson("segmentation")
img, gray = source.image, source.grey
height, width = img.shape[:2]
is_colour = img.ndim == 3

METHODS = {
    "components": "Threshold + connected components",
    "watershed": "Watershed (touching objects)",
    "kmeans": "k-means colours",
    "slic": "Superpixels (SLIC)",
}
#: SLIC runs on a copy of at most this many pixels (~0.4 s instead of 2-3 s on 2 MP; 512 × 512 stays whole).
SLIC_PIXELS = 300_000
# Starting value of every control: the comparison of the methods runs each with these.
DEFAULTS = {
    "segmentation_auto": True, "segmentation_level": 128, "segmentation_dark": False, "segmentation_fill": True,
    "segmentation_min_area": 50, "segmentation_connectivity": 8, "segmentation_markers": "peaks",
    "segmentation_min_distance": 10, "segmentation_fraction": 0.5, "segmentation_k": 4,
    "segmentation_space": "rgb", "segmentation_segments": 200, "segmentation_compactness": 10.0,
}
#: Width of the cluster thumbnails: they are kept at the size they are sent at.
TINY_WIDTH = 300
YELLOW = (255, 221, 0)


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def sizes_note(count: int, word: str, sizes: segmentation.AreaStats) -> str:
    """What goes under a label map or an overlay instead of a histogram: how many objects, how large."""
    return (f"{plural(count, word)} of {sizes.smallest:,} to {sizes.largest:,} pixels (median {sizes.median:,.0f})"
            if count else f"No {word}s")


# 1. The idea -------------------------------------------------------------------
st.markdown(
    "Segmentation turns pixels into **objects**: it gives every pixel a *label*, 0 for the background and "
    "1, 2, 3, ... for the objects. The simplest way: threshold the image, then call two foreground pixels "
    "the same object if a path of foreground neighbours joins them (**connected components**). Touching "
    "objects need more: the **watershed** floods from one marker per object. Without a threshold, "
    "**k-means** groups pixels by colour, minimising"
)
st.latex(r"\sum_{j=1}^{k} \sum_{x \in C_j} \lVert x - \mu_j \rVert^2 \quad "
         r"\text{(each pixel } x \text{ joins the nearest centre } \mu_j\text{)}")
try_columns = st.columns(4)
for column, (sample_id, label) in zip(try_columns, (("coins", "Try it on coins"), ("cell", "Try it on the cell"),
                                                    ("hubble", "Try it on the Hubble deep field"))):
    with column:
        st.page_link(lesson.page, label=label, icon=":material/image:", query_params={"img": sample_id})

# 2. Controls -------------------------------------------------------------------
# The method decides what the whole page shows: changing it reruns everything.
method = url_choice(st.segmented_control, "Method", METHODS, key="segmentation_method", default="components")


def mask_controls() -> dict:
    """Step 1's controls (components and watershed): the settings of `segmentation.threshold_objects`."""
    columns = st.columns(4)
    auto = columns[0].toggle("Otsu's threshold", value=True, key="segmentation_auto", bind="query-params",
                             help="Let Otsu's method choose the level (see the Thresholding lesson).")
    level = columns[0].slider("Threshold level", 0, 255, 128, key="segmentation_level", bind="query-params",
                              disabled=auto)
    dark = columns[1].toggle("Dark objects", value=False, key="segmentation_dark", bind="query-params",
                             help="Objects darker than the background: keep grey ≤ t.")
    fill = columns[1].toggle("Fill holes", value=True, key="segmentation_fill", bind="query-params",
                             help="Background enclosed by an object becomes object (engravings on a coin).")
    min_area = columns[2].slider("Smallest object (pixels)", 0, 500, 50, step=5, key="segmentation_min_area",
                                 bind="query-params", help="Smaller components are specks of noise: dropped.")
    connectivity = columns[3].radio("Neighbours", [8, 4], key="segmentation_connectivity", bind="query-params",
                                    horizontal=True,
                                    help="8: pixels touching at a corner are connected; 4: edges only.")
    return {"threshold": None if auto else level, "dark_objects": dark, "fill_holes": fill, "min_area": min_area,
            "connectivity": connectivity}


def mask_objects(mask: dict) -> segmentation.ThresholdObjects:
    """Step 1 for the current settings, with a note where it finds nothing."""
    objects = step(segmentation.threshold_objects, gray, **mask)
    facts = step(image_facts, gray)
    if mask["threshold"] is None and facts.minimum == facts.maximum:
        st.info(f"Otsu's method needs at least two grey levels; this image has one ({facts.minimum[0]}), so it "
                f"finds no split and returns t = {objects.threshold}: the mask is "
                f"{'every pixel' if objects.raw_share else 'empty'}.", icon=":material/info:")
    if objects.count == 0:
        st.info(f"No objects: the mask (grey {'≤' if mask['dark_objects'] else '>'} {objects.threshold}) is empty"
                + (f", or every component is smaller than {mask['min_area']} pixels" if objects.raw_share else "")
                + ". Move the threshold, switch *Dark objects* or lower the smallest size.", icon=":material/info:")
    return objects


def mask_code(mask: dict, objects: segmentation.ThresholdObjects) -> str:
    return segmentation.threshold_objects_code(colour=is_colour, level=objects.threshold, **mask)


def components_panel() -> None:
    mask = mask_controls()
    objects = mask_objects(mask)
    count, connectivity, t = objects.count, mask["connectivity"], objects.threshold
    sizes = step(segmentation.area_stats, objects.labels)
    sign = "≤" if mask["dark_objects"] else ">"
    before_after(img, step(segmentation.label_to_rgb, objects.labels), before_caption="img",
                 after_caption=f"{plural(count, 'object')}, {connectivity}-connected, one colour per label",
                 crisp_after=True, after_note=sizes_note(count, "object", sizes))
    picture_row([
        Picture(gray, caption=f"1. Grey image (threshold t = {t})"),
        Picture(objects.raw_mask, caption=f"2. Mask: grey {sign} {t}", crisp=True),
        Picture(objects.mask, crisp=True, caption=f"3. {'Holes filled, ' if mask['fill_holes'] else ''}"
                f"specks under {mask['min_area']} px dropped"),
    ])

    # 4. Look closer -------------------------------------------------------------------------
    st.header("Look closer: 4 or 8 neighbours?", anchor=False)
    toy = step(segmentation.connectivity_example, size=16)
    toy_labels = {n: step(segmentation.connected_components, toy, connectivity=n) for n in (8, 4)}
    other = 4 if connectivity == 8 else 8
    other_count = step(segmentation.threshold_objects, gray, **{**mask, "connectivity": other}).count
    st.markdown(
        "Two squares touch at one corner, and a diagonal line runs across the corner. With **8 neighbours** a "
        f"corner is enough to connect pixels: {toy_labels[8][1]} objects. With **4 neighbours** only edges "
        f"count: the squares separate and every pixel of the line stands alone: {toy_labels[4][1]} objects. "
        f"On the image on screen: **{count}** objects with {connectivity} neighbours, **{other_count}** with "
        f"{other} (same mask and specks filter)."
    )
    picture_row([Picture(step(draw_cells, toy, cell=12), caption="The mask (16 × 16 pixels)", crisp=True)] + [
        Picture(step(draw_cells, step(segmentation.label_to_rgb, toy_labels[n][0]), cell=12), crisp=True,
                caption=f"{n} neighbours: {toy_labels[n][1]} objects") for n in (8, 4)])

    # 5. What to notice -------------------------------------------------------------------------
    st.subheader("What to notice", anchor=False)
    if count == 0:
        st.markdown(f"No object is left: every component of the mask (grey {sign} {t}) is smaller than "
                    f"{mask['min_area']} pixels, or the mask is empty. Lower the smallest size or move the threshold.")
    else:
        st.markdown(
            f"The threshold keeps {objects.raw_share:.0%} of the pixels; after cleaning, {plural(count, 'object')} "
            f"remain, from {sizes.smallest:,} to {sizes.largest:,} pixels. The largest holds "
            f"{sizes.largest / sizes.total:.0%} of the foreground: if that is far more than the others, it is "
            "probably several objects, or background, joined together. Colours repeat every 10 labels: two distant "
            "objects may share a colour but never a label."
        )
    show_code(mask_code(mask, objects) + "result = labels\n", source=source, result=objects.labels)


def watershed_panel() -> None:
    mask = mask_controls()
    columns = st.columns(4)
    markers = url_choice(columns[0].radio, "Markers", {"peaks": "Peaks of the distance",
                                                       "threshold": "Threshold on the distance"},
                         key="segmentation_markers", default="peaks")
    min_distance = columns[1].slider("Smallest distance between peaks (pixels)", 1, 60, 10,
                                     key="segmentation_min_distance", bind="query-params", disabled=markers != "peaks",
                                     help="Raise it when one object is cut into several pieces.")
    fraction = columns[2].slider("Marker threshold (share of the largest distance)", 0.05, 0.95, 0.5, step=0.05,
                                 key="segmentation_fraction", bind="query-params", disabled=markers != "threshold")
    objects = mask_objects(mask)
    count = objects.count
    split = step(segmentation.watershed_split, objects.mask, markers=markers, min_distance=min_distance,
                 threshold=fraction)
    top = split.max_distance
    distance = step(to_uint8, split.distance, high=top or 1.0)
    before_after(img, step(segmentation.overlay_labels, img, split.labels, boundaries=split.boundaries),
                 before_caption="img", crisp_after=True,
                 after_caption=f"Watershed: {split.count} objects (connected components: {count})",
                 after_note=sizes_note(split.count, "object", step(segmentation.area_stats, split.labels)))
    if count == 0:
        st.info("The mask is empty, so the distance is 0 everywhere and there is nothing to flood: "
                "no markers, no objects.", icon=":material/info:")
    picture_row([
        Picture(objects.mask, caption=f"1. Mask: {count} connected {'object' if count == 1 else 'objects'}",
                crisp=True),
        Picture(distance, crisp=True, caption=f"2. Distance to the background, shown as 255 · d / {top:.1f}"),
        Picture(step(segmentation.draw_markers, distance, split.markers, radius=max(2, width // 150)), crisp=True,
                caption=f"3. {split.count} markers: where the flooding starts"),
        Picture(step(segmentation.label_to_rgb, split.labels), crisp=True,
                caption=f"4. Flooded from the markers: {split.count} objects"),
    ])

    # 4. Look closer -------------------------------------------------------------------------
    st.header("Look closer: why the distance splits touching objects", anchor=False)
    discs = step(segmentation.touching_discs)
    merged, merged_count = step(segmentation.connected_components, discs)
    discs_split = step(segmentation.watershed_split, discs, markers=markers, min_distance=min_distance,
                       threshold=fraction)
    st.markdown(
        "Three overlapping discs form **one** connected component. Their distance to the background peaks at "
        f"each disc's centre (the peak height is the radius: {discs_split.max_distance:.0f} px for the largest) "
        "and dips at the necks. Flooding the upside-down distance from one marker per peak, the floods meet in "
        f"the necks: with your marker settings the watershed finds **{discs_split.count}** objects."
    )
    picture_row([
        Picture(step(segmentation.label_to_rgb, merged), crisp=True,
                caption=f"Connected components: {merged_count} object"),
        Picture(step(segmentation.draw_markers, step(to_uint8, discs_split.distance, high=discs_split.max_distance),
                     discs_split.markers), crisp=True,
                caption=f"Distance (255 · d / {discs_split.max_distance:.1f}) and markers"),
        Picture(step(segmentation.overlay_labels, step(to_uint8, discs, high=1), discs_split.labels,
                     boundaries=discs_split.boundaries), crisp=True,
                caption=f"Watershed: {discs_split.count} objects"),
    ])

    # 5. What to notice -------------------------------------------------------------------------
    st.subheader("What to notice", anchor=False)
    change = split.count - count
    st.markdown(
        f"Connected components found {plural(count, 'object')}; the watershed found {split.count} "
        f"({'+' if change >= 0 else ''}{change}). Each marker becomes one object, so the count is the marker "
        "count: too many markers cut one object into pieces (raise the smallest distance), too few merge "
        f"neighbours. The largest distance, {top:.1f} px, is the radius of the widest object."
    )
    full = step(segmentation.area_stats, objects.labels).total == height * width
    show_code(mask_code(mask, objects) + segmentation.watershed_split_code(
        markers=markers, min_distance=min_distance, threshold=fraction, full=full),
        source=source, result=split.labels)


def kmeans_panel() -> None:
    columns = st.columns(4)
    k = columns[0].slider("Clusters k", 2, 12, 4, key="segmentation_k", bind="query-params")
    space = url_choice(columns[1].radio, "Colour space", {"rgb": "RGB", "lab": "CIELAB"}, key="segmentation_space",
                       default="rgb", horizontal=True,
                       help="CIELAB distances follow perceived colour differences better than RGB.")
    columns[2].caption("Seed 0: the same image and settings always give the same clusters.")
    with st.spinner("Clustering the colours…"):
        clusters = step(segmentation.kmeans_colors, img, k=k, space=space, seed=0)
    found = len(clusters.centers)
    before_after(img, clusters.quantized, before_caption="img", crisp_after=True,
                 after_caption=f"{found} colours: every pixel painted its cluster's centre")
    if not is_colour:
        st.info("This image is grey, so k-means groups grey levels (its three channels are equal).",
                icon=":material/info:")
    if found < k:
        st.info(f"You asked for k = {k} clusters, but the pixels k-means learns from hold only {found} distinct "
                f"colour{'s' if found > 1 else ''}, so at most {found} cluster{'s are' if found > 1 else ' is'} "
                "possible: each colour is its own cluster (more centres would only repeat one).",
                icon=":material/info:")

    # 4. Look closer -------------------------------------------------------------------------
    st.header("Look closer: the clusters", anchor=False)
    # A bar chart (ui.svg draws lines only); it reruns with k and the colour space, not with step 1.
    show_figure(step(cluster_shares_figure, clusters), key="segmentation_shares", alt=cluster_shares_alt(clusters))
    st.caption("Each cluster as a mask (white = the pixels nearest to that centre):")
    masks = step(segmentation.label_masks, clusters.labels, count=found, max_width=TINY_WIDTH)
    per_row = 6
    for start in range(0, found, per_row):
        for column, index in zip(st.columns(per_row), clusters.order[start:start + per_row]):
            with column:
                r, g, b = clusters.centers[index]
                show_image(masks[index], crisp=True, max_width=TINY_WIDTH,
                           caption=f"cluster {index + 1}: RGB ({r}, {g}, {b}), {clusters.shares[index]:.1%}")

    # 5. What to notice -------------------------------------------------------------------------
    st.subheader("What to notice", anchor=False)
    top = clusters.order[0]
    st.markdown(
        f"The largest cluster (centre RGB {tuple(int(v) for v in clusters.centers[top])}) covers "
        f"{clusters.shares[top]:.0%} of the image. k-means knows nothing of position: one cluster can hold "
        "pixels from opposite corners, so a cluster is a colour class, not an object. Switching between RGB and "
        "CIELAB changes which colours count as close."
    )
    show_code(segmentation.kmeans_colors_code(colour=is_colour, k=k, space=space, seed=0),
        source=source, result=clusters.quantized)


def superpixels_panel() -> None:
    columns = st.columns(4)
    n_segments = columns[0].slider("Superpixels (about)", 20, 1000, 200, step=10, key="segmentation_segments",
                                   bind="query-params")
    compactness = columns[1].slider("Compactness", 1.0, 40.0, 10.0, step=1.0, key="segmentation_compactness",
                                    bind="query-params",
                                    help="High: square, grid-like regions. Low: regions hug colour edges.")
    with st.spinner("Finding superpixels…"):
        regions = step(segmentation.superpixels, img, n_segments=n_segments, compactness=compactness,
                       max_pixels=SLIC_PIXELS)
    sizes = step(segmentation.area_stats, regions.labels)
    before_after(img, step(overlay_mask, img, regions.boundaries, color=YELLOW, alpha=1.0), before_caption="img",
                 after_caption=f"{regions.count} superpixels (outlined in yellow)", crisp_after=True,
                 after_note=sizes_note(regions.count, "superpixel", sizes))
    show_image(step(segmentation.mean_colors, img, regions.labels), max_width=700,
               caption=f"Each superpixel painted its mean colour: {regions.count} regions describe the picture")
    small_size = segmentation.superpixel_working_size(img.shape, max_pixels=SLIC_PIXELS)
    working_pixels = height * width if small_size is None else small_size[0] * small_size[1]
    if n_segments > working_pixels:
        st.info(f"You asked for about {n_segments} superpixels, but SLIC works on {working_pixels:,} pixel"
                f"{'s' if working_pixels > 1 else ''}: a superpixel holds at least one pixel, so it made "
                f"{regions.count}.", icon=":material/info:")

    # 4. Look closer -------------------------------------------------------------------------
    st.header("Look closer: one superpixel", anchor=False)
    st.markdown(
        f"SLIC starts from a grid of about {n_segments} squares (side ≈ "
        f"{(height * width / n_segments) ** 0.5:.0f} px) and moves each centre to the pixels most similar in "
        f"colour *and* position. It returned {regions.count} superpixels of {sizes.smallest:,} to "
        f"{sizes.largest:,} pixels (median {sizes.median:,.0f}): not objects, but building blocks far fewer than "
        f"the {height * width:,} pixels."
    )

    # 5. What to notice -------------------------------------------------------------------------
    st.subheader("What to notice", anchor=False)
    st.markdown(
        f"{regions.count} superpixels replace {height * width:,} pixels. Their borders follow strong colour "
        "edges; in flat areas they stay close to squares. Lower the compactness and they hug edges more tightly "
        "but grow ragged."
    )
    show_code(segmentation.superpixels_code(shape=img.shape, n_segments=n_segments, compactness=compactness,
                                            max_pixels=SLIC_PIXELS),
              source=source, result=regions.labels)


PANELS = {"components": components_panel, "watershed": watershed_panel, "kmeans": kmeans_panel,
          "slic": superpixels_panel}


@st.fragment
def segmentation_panel() -> None:
    """The method's controls, before and after with its stages, look closer, what to notice and the code.

    A fragment: moving one of its controls reruns only this part of the page. Step 1 (the mask) and the
    watershed's markers share it, because the watershed floods step 1's mask; k-means and SLIC have only
    their own controls here.
    """
    PANELS[method]()


if method in ("components", "watershed"):
    st.caption("Step 1: a foreground mask from a threshold, cleaned; step 2: the objects.")
segmentation_panel()

# Compare the methods ------------------------------------------------------------------
# Every method with its starting settings: the comparison reads no control, so it is made once per image and
# never goes stale while the panel above reruns on its own. The calls are the panel's own, so they share results.
st.header("The methods side by side", anchor=False)
st.caption(
    "Same image, every method with its starting settings, so the four stay comparable whatever you set above: "
    f"Otsu's threshold with holes filled, specks under {DEFAULTS['segmentation_min_area']} px dropped, "
    f"{DEFAULTS['segmentation_connectivity']} neighbours; watershed markers at distance peaks at least "
    f"{DEFAULTS['segmentation_min_distance']} px apart; k-means with k = {DEFAULTS['segmentation_k']} in RGB; "
    f"about {DEFAULTS['segmentation_segments']} superpixels of compactness {DEFAULTS['segmentation_compactness']:g}."
)
with st.spinner("Running every method…"):
    # Each is cached: the method on screen may come back at once, the others run on the first visit only.
    start_objects = step(segmentation.threshold_objects, gray, threshold=None, dark_objects=False, fill_holes=True,
                         min_area=DEFAULTS["segmentation_min_area"], connectivity=DEFAULTS["segmentation_connectivity"])
    start_split = step(segmentation.watershed_split, start_objects.mask, markers=DEFAULTS["segmentation_markers"],
                       min_distance=DEFAULTS["segmentation_min_distance"], threshold=DEFAULTS["segmentation_fraction"])
    start_kmeans = step(segmentation.kmeans_colors, img, k=DEFAULTS["segmentation_k"],
                        space=DEFAULTS["segmentation_space"], seed=0)
    start_regions = step(segmentation.superpixels, img, n_segments=DEFAULTS["segmentation_segments"],
                         compactness=DEFAULTS["segmentation_compactness"], max_pixels=SLIC_PIXELS)
picture_row([
    Picture(step(segmentation.label_to_rgb, start_objects.labels), crisp=True,
            caption=f"Connected components: {start_objects.count} objects"),
    Picture(step(segmentation.label_to_rgb, start_split.labels), crisp=True,
            caption=f"Watershed: {start_split.count} objects"),
    Picture(start_kmeans.quantized, crisp=True, caption=f"k-means: {len(start_kmeans.centers)} colour classes"),
    Picture(step(overlay_mask, img, start_regions.boundaries, color=YELLOW, alpha=1.0), crisp=True,
            caption=f"SLIC: {start_regions.count} superpixels"),
])

# 6. Where it breaks ---------------------------------------------------------------------
st.header("Where it breaks: one threshold for an unevenly lit background", anchor=False)
coins = step(load_sample, "coins")
otsu = step(segmentation.threshold_objects, coins, min_area=100)
fixed = step(segmentation.threshold_objects, coins, threshold=120, min_area=100)
otsu_sizes = step(segmentation.area_stats, otsu.labels)
# The coins: objects at level 120 not touching the image edge (the lit strip at the top touches it).
coin_count = len(step(measure.filter_regions, step(measure.measure_regions, fixed.labels), exclude_border=True))
on_edge = fixed.count - coin_count
st.markdown(
    f"On the coins, Otsu's threshold ({otsu.threshold}) is below the brightness of the lit background at the top: "
    f"that strip and the coin touching it become **one object of {otsu_sizes.largest:,} pixels**, "
    f"{otsu_sizes.largest / otsu_sizes.median:.0f} times a typical coin. The count, {otsu.count}, "
    + ("matches the coins only by accident. " if otsu.count == coin_count else f"is not the {coin_count} coins. ")
    + f"A level of {fixed.threshold} frees the coin: {fixed.count} objects, of which {on_edge} "
    f"{'touches' if on_edge == 1 else 'touch'} the image edge (what is left of the lit strip). Connected "
    "components can only be as good as the mask: fix the threshold (a local, adaptive one) first."
)
picture_row([
    Picture(step(segmentation.overlay_labels, coins, otsu.labels), crisp=True,
            caption=f"Otsu (t = {otsu.threshold}): {otsu.count} objects, one of them background + coin"),
    Picture(step(segmentation.overlay_labels, coins, fixed.labels), crisp=True,
            caption=f"t = {fixed.threshold}: {fixed.count} objects, {coin_count} not touching the edge"),
])
lesson_link("thresholding", "Thresholding: adaptive thresholds for uneven light")

# 8. Check yourself -------------------------------------------------------------------------
st.header("Check yourself", anchor=False)
quiz_mask = step(segmentation.random_mask, (9, 9), density=0.4, seed=3)
count4, count8 = (step(segmentation.connected_components, quiz_mask, connectivity=n)[1] for n in (4, 8))
quiz_columns = st.columns([1, 2])
with quiz_columns[0]:
    show_image(step(draw_cells, quiz_mask, cell=24), caption="A 9 × 9 mask", crisp=True)
with quiz_columns[1]:
    numeric_exercise(
        "segmentation_connectivity", number=1,
        question="How many objects does this mask hold with **4-connectivity** (edges only, corners do not join)?",
        answer=count4, hint="Two white squares are one object only if they share a side. Count groups, not squares.",
        explanation=f"{count4} objects with 4 neighbours; with 8 neighbours the diagonal contacts join them "
        f"into {count8}.",
    )
quiz_columns = st.columns([1, 2])
with quiz_columns[0]:
    show_image(coins, caption="Greek coins (skimage.data.coins)")
with quiz_columns[1]:
    numeric_exercise(
        "segmentation_coins", number=2,
        question="How many coins are in this picture?",
        answer=coin_count, hint="Count row by row, and count every coin once.",
        explanation=f"{coin_count}. Threshold {fixed.threshold}, holes filled, specks under 100 px dropped and the "
        "piece of lit background at the top edge excluded gives exactly that; Otsu's level merges one coin with "
        "the background (see above).",
    )
quiz_clusters = step(segmentation.kmeans_colors, img, k=3, space="rgb", seed=0)
options = ["A", "B", "C"][: len(quiz_clusters.centers)]
if len(options) >= 2:
    biggest = options[quiz_clusters.order[0]]
    choice_exercise(
        "segmentation_kmeans", number=3,
        question="k-means with k = 3 (RGB) on the image on screen found these three centre colours. "
        "Which cluster covers the most pixels?",
        options=options, correct=biggest,
        pictures=[step(segmentation.swatch, centre, size=48, width=192) for centre in quiz_clusters.centers],
        hint="Switch the method to k-means colours with k = 3 and read the share chart.",
        explanation=f"Cluster {biggest} holds {quiz_clusters.shares[quiz_clusters.order[0]]:.0%} of the pixels.",
    )
else:
    choice_exercise(
        "segmentation_kmeans", number=3,
        question="This image has a single colour. How many clusters can k-means find in it?",
        options=["1", "3"], correct="1",
        hint="A centre is the mean of its pixels.", explanation="One: every pixel has the same colour.",
    )

finish_lesson("segmentation")
