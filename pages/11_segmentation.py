"""Lesson: Segmentation (connected components, watershed, k-means colours, superpixels)."""

from typing import NamedTuple

import numpy as np
import plotly.graph_objects as go
import streamlit as st

from processing import segmentation
from processing.color import to_gray
from processing.measure import filter_regions, measure_regions
from processing.samples import load_sample
from processing.threshold import manual_threshold, otsu_threshold, overlay_mask
from ui.cache import cached_step
from ui.charts import PLOT_CONFIG
from ui.code import show_code
from ui.display import Picture, as_displayable, before_after, fit_width, picture_row, show_image
from ui.exercises import choice_exercise, numeric_exercise
from ui.page import finish_lesson, lesson_link, start_lesson
from ui.url import url_choice

lesson, source = start_lesson("segmentation")
img = source.image
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
#: Width of the small panels (stages, comparison): pictures are stored at the size they are sent at.
PANEL_WIDTH = 900
TINY_WIDTH = 300
YELLOW = (255, 221, 0)


def panel(image: np.ndarray, *, max_width: int = PANEL_WIDTH) -> np.ndarray:
    """A picture as it is sent to the browser (uint8, at most `max_width` wide): what a cached step keeps."""
    return fit_width(as_displayable(image), max_width=max_width)


# ---------------------------------------------------------------- processing steps
# Every step is cached on the image's key and the settings it depends on, and returns what its panel
# shows, so a rerun with nothing changed reuses the same read-only pictures (already encoded).
@cached_step(max_entries=8)
def grey_of(source_key: str, _img: np.ndarray) -> np.ndarray:
    return to_gray(_img) if _img.ndim == 3 else _img


def threshold_objects(gray: np.ndarray, *, auto: bool, level: int, dark: bool, fill: bool, min_area: int,
                      connectivity: int) -> tuple[int, np.ndarray, np.ndarray, int]:
    """Threshold → (fill holes) → connected components → drop specks: (t, raw mask, labels, count)."""
    threshold = otsu_threshold(gray) if auto else level
    raw = manual_threshold(gray, threshold=threshold, dark_objects=dark).mask
    mask = segmentation.fill_holes(raw) if fill else raw
    labels, _ = segmentation.connected_components(mask, connectivity=connectivity)
    labels, count = segmentation.drop_small(labels, min_area=min_area)
    return threshold, raw, labels, count


class Objects(NamedTuple):
    threshold: int
    levels: int  # grey levels in the image
    raw_mask: np.ndarray  # display picture
    mask: np.ndarray  # display picture of labels > 0
    labels: np.ndarray
    count: int
    coloured: np.ndarray  # label_to_rgb(labels), full size (its histogram is shown)
    coloured_panel: np.ndarray
    kept_share: float  # share of pixels the threshold keeps
    foreground: int  # pixels in objects after cleaning
    sizes: np.ndarray  # area of each object


@cached_step(max_entries=8)
def objects_for(source_key: str, auto: bool, level: int, dark: bool, fill: bool, min_area: int, connectivity: int,
                _gray: np.ndarray) -> Objects:
    threshold, raw, labels, count = threshold_objects(_gray, auto=auto, level=level, dark=dark, fill=fill,
                                                      min_area=min_area, connectivity=connectivity)
    coloured = segmentation.label_to_rgb(labels)
    sizes = segmentation.label_areas(labels)
    levels = int(np.count_nonzero(np.bincount(_gray.ravel(), minlength=256)))
    return Objects(threshold=threshold, levels=levels, raw_mask=panel(raw), mask=panel(labels > 0), labels=labels,
                   count=count, coloured=coloured, coloured_panel=panel(coloured), kept_share=float(raw.mean()), foreground=int(sizes.sum()),
                   sizes=sizes)


@cached_step(max_entries=16)
def count_for(source_key: str, auto: bool, level: int, dark: bool, fill: bool, min_area: int, connectivity: int,
              _gray: np.ndarray) -> int:
    """Only the object count (for the other connectivity in "Look closer")."""
    return threshold_objects(_gray, auto=auto, level=level, dark=dark, fill=fill, min_area=min_area,
                             connectivity=connectivity)[3]


class Watershed(NamedTuple):
    labels: np.ndarray
    count: int
    top_distance: float
    empty_mask: bool
    overlay: np.ndarray  # full size (its histogram is shown)
    distance: np.ndarray  # display pictures from here on
    markers: np.ndarray
    coloured: np.ndarray


@cached_step(max_entries=8)
def watershed_for(source_key: str, mask_settings: tuple, markers: str, min_distance: int, fraction: float,
                  _img: np.ndarray, _labels: np.ndarray) -> Watershed:
    result = segmentation.watershed_split(_labels > 0, markers=markers, min_distance=min_distance,
                                          threshold=fraction)
    distance = segmentation.distance_to_uint8(result.distance)
    return Watershed(
        labels=result.labels, count=result.count, top_distance=float(result.distance.max()),
        empty_mask=not _labels.any(),
        overlay=segmentation.overlay_labels(_img, result.labels, boundaries=result.boundaries),
        distance=panel(distance),
        markers=panel(segmentation.draw_markers(distance, result.markers, radius=max(2, _img.shape[1] // 150))),
        coloured=panel(segmentation.label_to_rgb(result.labels)),
    )


class Clusters(NamedTuple):
    result: segmentation.KMeansResult
    order: np.ndarray  # cluster indices, largest share first
    masks: tuple  # display picture of each cluster's pixels
    shares_figure: go.Figure
    swatches: tuple
    shown: np.ndarray  # the painted picture, one channel for a grey input (its three channels are equal)


@cached_step(max_entries=8)
def kmeans_for(source_key: str, k: int, space: str, _image: np.ndarray) -> Clusters:
    result = segmentation.kmeans_colors(segmentation.as_rgb(_image), k=k, color_space=space, seed=0)
    order = np.argsort(result.shares)[::-1]
    figure = go.Figure(go.Bar(
        x=[f"cluster {i + 1}" for i in order], y=100 * result.shares[order],
        marker={"color": [f"rgb({r},{g},{b})" for r, g, b in result.centers[order]],
                "line": {"color": "#444", "width": 1}},
        hovertemplate="%{x}: %{y:.1f} % of the pixels<extra></extra>",
    ))
    figure.update_layout(height=240, margin={"l": 10, "r": 10, "t": 10, "b": 10},
                         xaxis={"title": {"text": "cluster (bar colour = its centre)"}},
                         yaxis={"title": {"text": "share of pixels (%)"}, "rangemode": "tozero"})
    return Clusters(
        result=result, order=order,
        masks=tuple(panel(result.labels == index, max_width=TINY_WIDTH) for index in range(len(result.centers))),
        shares_figure=figure, swatches=tuple(segmentation.swatch(c, size=48) for c in result.centers),
        shown=result.quantized if _image.ndim == 3 else np.ascontiguousarray(result.quantized[..., 0]),
    )


class Superpixels(NamedTuple):
    labels: np.ndarray
    count: int
    working_pixels: int  # pixels SLIC ran on
    outlined: np.ndarray  # full size (its histogram is shown)
    outlined_panel: np.ndarray
    mean_colours: np.ndarray  # display picture
    sizes: np.ndarray


@cached_step(max_entries=8)
def superpixels_for(source_key: str, n_segments: int, compactness: float, _image: np.ndarray) -> Superpixels:
    result = segmentation.superpixels(_image, n_segments=n_segments, compactness=compactness, max_pixels=SLIC_PIXELS)
    outlined = overlay_mask(_image, result.boundaries, color=YELLOW, alpha=1.0)
    small = segmentation.superpixel_working_size(_image.shape, max_pixels=SLIC_PIXELS)
    return Superpixels(
        labels=result.labels, count=result.count,
        working_pixels=_image.shape[0] * _image.shape[1] if small is None else small[0] * small[1],
        outlined=outlined, outlined_panel=panel(outlined),
        mean_colours=panel(segmentation.mean_colors(_image, result.labels), max_width=700),
        sizes=segmentation.label_areas(result.labels),
    )


class Toy(NamedTuple):
    grid: np.ndarray
    counts: dict
    grids: dict


@cached_step(max_entries=1)
def connectivity_toy() -> Toy:
    toy = segmentation.connectivity_example(size=16)
    labels = {n: segmentation.connected_components(toy, connectivity=n) for n in (4, 8)}
    return Toy(grid=segmentation.mask_grid(toy, cell=12), counts={n: labels[n][1] for n in labels},
               grids={n: segmentation.mask_grid(segmentation.label_to_rgb(labels[n][0]), cell=12) for n in labels})


class Discs(NamedTuple):
    count: int
    split_count: int
    top_distance: float
    coloured: np.ndarray
    markers: np.ndarray
    split: np.ndarray


@cached_step(max_entries=16)
def discs_for(markers: str, min_distance: int, fraction: float) -> Discs:
    """The three touching discs, as one component and split with the learner's marker settings."""
    discs = segmentation.touching_discs()
    labels, count = segmentation.connected_components(discs)
    split = segmentation.watershed_split(discs, markers=markers, min_distance=min_distance, threshold=fraction)
    return Discs(
        count=count, split_count=split.count, top_distance=float(split.distance.max()),
        coloured=segmentation.label_to_rgb(labels),
        markers=segmentation.draw_markers(segmentation.distance_to_uint8(split.distance), split.markers),
        split=segmentation.overlay_labels(discs.astype(np.uint8) * 255, split.labels, boundaries=split.boundaries),
    )


class CoinsDemo(NamedTuple):
    coins: np.ndarray
    levels: dict  # "otsu" / "fixed": threshold
    counts: dict
    overlays: dict
    largest: int  # area of Otsu's largest object
    typical: float  # median area of Otsu's objects
    coin_count: int


@cached_step(max_entries=1)
def coins_demo() -> CoinsDemo:
    """The coins sample with Otsu (fails: a coin merges with the lit background) and with a fixed level."""
    coins = load_sample("coins")
    levels, counts, overlays, labels_of = {}, {}, {}, {}
    for name, level in (("otsu", otsu_threshold(coins)), ("fixed", 120)):
        mask = segmentation.fill_holes(manual_threshold(coins, threshold=level).mask)
        labels, _ = segmentation.connected_components(mask)
        labels, counts[name] = segmentation.drop_small(labels, min_area=100)
        levels[name], labels_of[name] = level, labels
        overlays[name] = segmentation.overlay_labels(coins, labels)
    otsu_sizes = segmentation.label_areas(labels_of["otsu"])
    # The coins: objects at level 120 not touching the image edge (the lit strip at the top touches it).
    coin_count = len(filter_regions(measure_regions(labels_of["fixed"]), exclude_border=True))
    return CoinsDemo(coins=coins, levels=levels, counts=counts, overlays=overlays, largest=int(otsu_sizes.max()),
                     typical=float(np.median(otsu_sizes)), coin_count=coin_count)


class Quiz(NamedTuple):
    mask_grid: np.ndarray
    count4: int
    count8: int


@cached_step(max_entries=1)
def connectivity_quiz() -> Quiz:
    mask = segmentation.random_mask((9, 9), density=0.4, seed=3)
    return Quiz(mask_grid=segmentation.mask_grid(mask, cell=24),
                count4=segmentation.connected_components(mask, connectivity=4)[1],
                count8=segmentation.connected_components(mask, connectivity=8)[1])


# 1. The idea -------------------------------------------------------------------
st.markdown(
    "Segmentation turns pixels into **objects**: it gives every pixel a *label*, 0 for the background and "
    "1, 2, 3, ... for the objects. The simplest way: threshold the image, then call two foreground pixels "
    "the same object if a path of foreground neighbours joins them (**connected components**). Touching "
    "objects need more: the **watershed** floods from one marker per object. Without a threshold, "
    "**k-means** groups pixels by colour, minimising"
)
st.latex(r"\sum_{j=1}^{k} \sum_{x \in C_j} \lVert x - \mu_j \rVert^2 \quad \text{(each pixel } x \text{ joins the nearest centre } \mu_j\text{)}")
try_columns = st.columns(4)
for column, (sample_id, label) in zip(try_columns, (("coins", "Try it on coins"), ("cell", "Try it on the cell"),
                                                    ("hubble", "Try it on the Hubble deep field"))):
    with column:
        st.page_link(lesson.page, label=label, icon=":material/image:", query_params={"img": sample_id})

# 2. Controls -------------------------------------------------------------------
# The method decides what the whole page shows: changing it reruns everything.
method = url_choice(st.segmented_control, "Method", METHODS, key="segmentation_method", default="components")
uses_mask = method in ("components", "watershed")
gray = grey_of(source.key, img)
MASK_KEYS = ("segmentation_auto", "segmentation_level", "segmentation_dark", "segmentation_fill",
             "segmentation_min_area", "segmentation_connectivity")


@st.fragment
def segmentation_panel() -> None:
    """The method's controls, before and after with its stages, look closer, what to notice and the code.

    A fragment: moving one of its controls reruns only this part of the page. Step 1 (the mask) and the
    watershed's markers share it, because the watershed floods step 1's mask; k-means and SLIC have only
    their own controls here.
    """
    if uses_mask:
        mask_columns = st.columns(4)
        auto = mask_columns[0].toggle("Otsu's threshold", value=True, key="segmentation_auto", bind="query-params",
                                      help="Let Otsu's method choose the level (see the Thresholding lesson).")
        level = mask_columns[0].slider("Threshold level", 0, 255, 128, key="segmentation_level", bind="query-params",
                                       disabled=auto)
        dark = mask_columns[1].toggle("Dark objects", value=False, key="segmentation_dark",
                                      bind="query-params", help="Objects darker than the background: keep grey ≤ t.")
        fill = mask_columns[1].toggle("Fill holes", value=True, key="segmentation_fill", bind="query-params",
                                      help="Background enclosed by an object becomes object (engravings on a coin).")
        min_area = mask_columns[2].slider("Smallest object (pixels)", 0, 500, 50, step=5, key="segmentation_min_area",
                                          bind="query-params", help="Smaller components are specks of noise: dropped.")
        connectivity = mask_columns[3].radio("Neighbours", [8, 4], key="segmentation_connectivity",
                                             bind="query-params", horizontal=True,
                                             help="8: pixels touching at a corner are connected; 4: edges only.")
        mask_settings = (auto, level, dark, fill, min_area, connectivity)
        objects = objects_for(source.key, *mask_settings, gray)
        threshold, labels, count = objects.threshold, objects.labels, objects.count
        objects_word = "object" if count == 1 else "objects"
        comparison_sign = "≤" if dark else ">"

    if method == "watershed":
        method_columns = st.columns(4)
        markers = url_choice(method_columns[0].radio, "Markers", {"peaks": "Peaks of the distance",
                                                                  "threshold": "Threshold on the distance"},
                             key="segmentation_markers", default="peaks")
        min_distance = method_columns[1].slider("Smallest distance between peaks (pixels)", 1, 60, 10,
                                                key="segmentation_min_distance", bind="query-params",
                                                disabled=markers != "peaks",
                                                help="Raise it when one object is cut into several pieces.")
        fraction = method_columns[2].slider("Marker threshold (share of the largest distance)", 0.05, 0.95, 0.5,
                                            step=0.05, key="segmentation_fraction", bind="query-params",
                                            disabled=markers != "threshold")
        watershed = watershed_for(source.key, mask_settings, markers, min_distance, fraction, img, labels)
    elif method == "kmeans":
        method_columns = st.columns(4)
        k = method_columns[0].slider("Clusters k", 2, 12, 4, key="segmentation_k", bind="query-params")
        space = url_choice(method_columns[1].radio, "Colour space", {"rgb": "RGB", "lab": "CIELAB"},
                           key="segmentation_space", default="rgb", horizontal=True,
                           help="CIELAB distances follow perceived colour differences better than RGB.")
        method_columns[2].caption("Seed 0: the same image and settings always give the same clusters.")
        with st.spinner("Clustering the colours…"):
            clusters = kmeans_for(source.key, k, space, img)
        kmeans = clusters.result
    elif method == "slic":
        method_columns = st.columns(4)
        n_segments = method_columns[0].slider("Superpixels (about)", 20, 1000, 200, step=10,
                                              key="segmentation_segments", bind="query-params")
        compactness = method_columns[1].slider("Compactness", 1.0, 40.0, 10.0, step=1.0,
                                               key="segmentation_compactness", bind="query-params",
                                               help="High: square, grid-like regions. Low: regions hug colour edges.")
        with st.spinner("Finding superpixels…"):
            regions = superpixels_for(source.key, n_segments, compactness, img)

    # 3. Before and after (with the stages) ------------------------------------------
    if uses_mask and objects.levels == 1 and auto:
        st.info(f"Otsu's method needs at least two grey levels; this image has one ({int(gray.flat[0])}), so it "
                f"finds no split and returns t = {threshold}: the mask is "
                f"{'every pixel' if objects.kept_share else 'empty'}.", icon=":material/info:")
    if uses_mask and count == 0:
        st.info(f"No objects: the mask (grey {comparison_sign} {threshold}) is empty"
                + (f", or every component is smaller than {min_area} pixels" if objects.kept_share else "")
                + ". Move the threshold, switch *Dark objects* or lower the smallest size.", icon=":material/info:")
    if method == "components":
        result = labels
        before_after(img, objects.coloured, before_caption="img",
                     after_caption=f"{count} {objects_word}, {connectivity}-connected, one colour per label",
                     crisp_after=True)
        picture_row([
            Picture(gray, caption=f"1. Grey image (threshold t = {threshold})"),
            Picture(objects.raw_mask, caption=f"2. Mask: grey {comparison_sign} {threshold}", crisp=True),
            Picture(objects.mask, caption=f"3. {'Holes filled, ' if fill else ''}specks under {min_area} px dropped",
                    crisp=True),
        ])
    elif method == "watershed":
        result = watershed.labels
        before_after(img, watershed.overlay, before_caption="img",
                     after_caption=f"Watershed: {watershed.count} objects (connected components: {count})",
                     crisp_after=True)
        if watershed.empty_mask:
            st.info("The mask is empty, so the distance is 0 everywhere and there is nothing to flood: "
                    "no markers, no objects.", icon=":material/info:")
        picture_row([
            Picture(objects.mask, caption=f"1. Mask: {count} connected {objects_word}", crisp=True),
            Picture(watershed.distance, crisp=True,
                    caption=f"2. Distance to the background, shown as 255 · d / {watershed.top_distance:.1f}"),
            Picture(watershed.markers, crisp=True, caption=f"3. {watershed.count} markers: where the flooding starts"),
            Picture(watershed.coloured, crisp=True, caption=f"4. Flooded from the markers: {watershed.count} objects"),
        ])
    elif method == "kmeans":
        result = kmeans.quantized
        before_after(img, clusters.shown, before_caption="img",
                     after_caption=f"{len(kmeans.centers)} colours: every pixel painted its cluster's centre",
                     crisp_after=True)
        if not is_colour:
            st.info("This image is grey, so k-means groups grey levels (its three channels are equal).",
                    icon=":material/info:")
        if len(kmeans.centers) < k:
            found = len(kmeans.centers)
            st.info(f"You asked for k = {k} clusters, but the pixels k-means learns from hold only {found} distinct "
                    f"colour{'s' if found > 1 else ''}, so at most {found} cluster{'s are' if found > 1 else ' is'} "
                    "possible: each colour is its own cluster (more centres would only repeat one).",
                    icon=":material/info:")
    else:
        result = regions.labels
        before_after(img, regions.outlined, before_caption="img",
                     after_caption=f"{regions.count} superpixels (outlined in yellow)", crisp_after=True)
        show_image(regions.mean_colours, max_width=700,
                   caption=f"Each superpixel painted its mean colour: {regions.count} regions describe the picture")
        if n_segments > regions.working_pixels:
            st.info(f"You asked for about {n_segments} superpixels, but SLIC works on {regions.working_pixels:,} pixel"
                    f"{'s' if regions.working_pixels > 1 else ''}: a superpixel holds at least one pixel, so it made "
                    f"{regions.count}.", icon=":material/info:")

    # 4. Look closer ---------------------------------------------------------------------
    if method == "components":
        st.header("Look closer: 4 or 8 neighbours?", anchor=False)
        toy = connectivity_toy()
        other = 4 if connectivity == 8 else 8
        other_count = count_for(source.key, auto, level, dark, fill, min_area, other, gray)
        st.markdown(
            "Two squares touch at one corner, and a diagonal line runs across the corner. With **8 neighbours** a "
            f"corner is enough to connect pixels: {toy.counts[8]} objects. With **4 neighbours** only edges "
            f"count: the squares separate and every pixel of the line stands alone: {toy.counts[4]} objects. "
            f"On the image on screen: **{count}** objects with {connectivity} neighbours, **{other_count}** with "
            f"{other} (same mask and specks filter)."
        )
        toy_columns = st.columns(3)
        with toy_columns[0]:
            show_image(toy.grid, caption="The mask (16 × 16 pixels)", crisp=True)
        for column, n in zip(toy_columns[1:], (8, 4)):
            with column:
                show_image(toy.grids[n], crisp=True, caption=f"{n} neighbours: {toy.counts[n]} objects")
    elif method == "watershed":
        st.header("Look closer: why the distance splits touching objects", anchor=False)
        discs = discs_for(markers, min_distance, fraction)
        st.markdown(
            "Three overlapping discs form **one** connected component. Their distance to the background peaks at "
            f"each disc's centre (the peak height is the radius: {discs.top_distance:.0f} px for the largest) "
            "and dips at the necks. Flooding the upside-down distance from one marker per peak, the floods meet in "
            f"the necks: with your marker settings the watershed finds **{discs.split_count}** objects."
        )
        picture_row([
            Picture(discs.coloured, crisp=True, caption=f"Connected components: {discs.count} object"),
            Picture(discs.markers, crisp=True, caption=f"Distance (255 · d / {discs.top_distance:.1f}) and markers"),
            Picture(discs.split, crisp=True, caption=f"Watershed: {discs.split_count} objects"),
        ])
    elif method == "kmeans":
        st.header("Look closer: the clusters", anchor=False)
        # A bar chart (ui.svg draws lines only); it reruns with k and the colour space, not with step 1.
        st.plotly_chart(clusters.shares_figure, key="segmentation_shares", config=PLOT_CONFIG)
        st.caption("Each cluster as a mask (white = the pixels nearest to that centre):")
        per_row = 6
        for start in range(0, len(clusters.order), per_row):
            for column, index in zip(st.columns(per_row), clusters.order[start:start + per_row]):
                with column:
                    r, g, b = kmeans.centers[index]
                    show_image(clusters.masks[index], crisp=True, max_width=TINY_WIDTH,
                               caption=f"cluster {index + 1}: RGB ({r}, {g}, {b}), {kmeans.shares[index]:.1%}")
    else:
        st.header("Look closer: one superpixel", anchor=False)
        sizes = regions.sizes
        st.markdown(
            f"SLIC starts from a grid of about {n_segments} squares (side ≈ "
            f"{np.sqrt(height * width / n_segments):.0f} px) and moves each centre to the pixels most similar in "
            f"colour *and* position. It returned {regions.count} superpixels of {sizes.min():,} to {sizes.max():,} "
            f"pixels (median {np.median(sizes):,.0f}): not objects, but building blocks far fewer than the "
            f"{height * width:,} pixels."
        )

    # 5. What to notice -----------------------------------------------------------------
    st.subheader("What to notice", anchor=False)
    if method == "components":
        if count == 0:
            st.markdown(f"No object is left: every component of the mask (grey {comparison_sign} {threshold}) is "
                        f"smaller than {min_area} pixels, or the mask is empty. Lower the smallest size or move the "
                        "threshold.")
        else:
            sizes = objects.sizes
            share = sizes.max() / objects.foreground
            st.markdown(
                f"The threshold keeps {objects.kept_share:.0%} of the pixels; after cleaning, {count} {objects_word} "
                f"remain, from {sizes.min():,} to {sizes.max():,} pixels. The largest holds {share:.0%} of the "
                "foreground: if that is far more than the others, it is probably several objects, or background, "
                "joined together. Colours repeat every 10 labels: two distant objects may share a colour but never a "
                "label."
            )
    elif method == "watershed":
        change = watershed.count - count
        st.markdown(
            f"Connected components found {count} {objects_word}; the watershed found {watershed.count} "
            f"({'+' if change >= 0 else ''}{change}). Each marker becomes one object, so the count is the marker "
            "count: too many markers cut one object into pieces (raise the smallest distance), too few merge "
            f"neighbours. The largest distance, {watershed.top_distance:.1f} px, is the radius of the widest object."
        )
    elif method == "kmeans":
        top = int(np.argmax(kmeans.shares))
        st.markdown(
            f"The largest cluster (centre RGB {tuple(int(v) for v in kmeans.centers[top])}) covers "
            f"{kmeans.shares[top]:.0%} of the image. k-means knows nothing of position: one cluster can hold "
            "pixels from opposite corners, so a cluster is a colour class, not an object. Switching between RGB and "
            "CIELAB changes which colours count as close."
        )
    else:
        st.markdown(
            f"{regions.count} superpixels replace {height * width:,} pixels. Their borders follow strong colour "
            "edges; in flat areas they stay close to squares. Lower the compactness and they hug edges more tightly "
            "but grow ragged."
        )

    # The code, right under the result it reproduces ----------------------------------------
    if uses_mask:
        grey_line = "gray = cv2.cvtColor(img, cv2.COLOR_RGB2GRAY)\n" if is_colour else "gray = img\n"
        threshold_flag = "cv2.THRESH_BINARY_INV" if dark else "cv2.THRESH_BINARY"
        if auto:
            threshold_line = (f"t, mask = cv2.threshold(gray, 0, 255, {threshold_flag} + cv2.THRESH_OTSU)  "
                              f"# Otsu: t = {threshold}\n")
        else:
            threshold_line = (f"t, mask = cv2.threshold(gray, {level}, 255, {threshold_flag})  "
                              f"# 255 where gray {comparison_sign} {level}\n")
        mask_code = (
            "import scipy.ndimage as ndi\n\n" + grey_line + threshold_line
            + ("mask = ndi.binary_fill_holes(mask > 0)  # enclosed background becomes object\n" if fill
               else "mask = mask > 0\n")
            + f"n, labels = cv2.connectedComponents(mask.astype(np.uint8), connectivity={connectivity}, "
            "ltype=cv2.CV_32S)\n"
            "areas = np.bincount(labels.ravel())  # pixels per label (label 0: background)\n"
            f"keep = np.flatnonzero(areas[1:] >= {min_area}) + 1  # drop specks\n"
            "renumber = np.zeros(len(areas), np.int32)\n"
            "renumber[keep] = np.arange(1, len(keep) + 1)\n"
            "labels = renumber[labels]  # 0 background, objects 1..N\n"
        )
    if method == "components":
        body = mask_code + "result = labels\n"
    elif method == "watershed":
        full = objects.foreground == height * width
        distance_code = (
            "padded = cv2.copyMakeBorder(mask, 1, 1, 1, 1, cv2.BORDER_CONSTANT, value=0)  # no background at all\n"
            "distance = cv2.distanceTransform(padded, cv2.DIST_L2, cv2.DIST_MASK_PRECISE)[1:-1, 1:-1]\n"
            if full else "distance = cv2.distanceTransform(mask, cv2.DIST_L2, cv2.DIST_MASK_PRECISE)\n"
        )
        if markers == "peaks":
            marker_code = (
                "_, components = cv2.connectedComponents(mask, connectivity=8, ltype=cv2.CV_32S)\n"
                f"peaks = peak_local_max(distance, min_distance={min_distance}, labels=components, "
                "exclude_border=False)\n"
                "# an object whose distance has no peak (flat) still gets one marker at its maximum\n"
                "missing = np.setdiff1d(np.arange(1, components.max() + 1), components[tuple(peaks.T)])\n"
                "if missing.size:\n"
                "    extra = ndi.maximum_position(distance, components, missing)\n"
                "    peaks = np.vstack([peaks, np.array(extra, dtype=peaks.dtype).reshape(-1, 2)])\n"
                "markers = np.zeros(mask.shape, np.int32)\n"
                "markers[tuple(peaks.T)] = np.arange(1, len(peaks) + 1)\n"
            )
        else:
            marker_code = (
                f"sure = (distance > {fraction:g} * distance.max()).astype(np.uint8)  # sure foreground\n"
                "_, markers = cv2.connectedComponents(sure, connectivity=8, ltype=cv2.CV_32S)\n"
            )
        body = (
            "from skimage.feature import peak_local_max\nfrom skimage.segmentation import watershed\n"
            + mask_code + "\nmask = (labels > 0).astype(np.uint8)\n" + distance_code + marker_code
            + "result = watershed(-distance, markers, connectivity=2, mask=mask > 0)  # flood the upside-down distance\n"
        )
    elif method == "kmeans":
        to_rgb = "" if is_colour else "img = cv2.cvtColor(img, cv2.COLOR_GRAY2RGB)  # k-means wants three channels\n"
        if space == "lab":
            space_code = (
                "def features_of(rgb):  # CIELAB from float RGB in [0, 1]\n"
                "    return cv2.cvtColor(rgb.reshape(-1, 1, 3).astype(np.float32) / 255.0, "
                "cv2.COLOR_RGB2Lab).reshape(-1, 3)\n"
            )
            back = ("centers_rgb = cv2.cvtColor(centers.reshape(-1, 1, 3), cv2.COLOR_Lab2RGB).reshape(-1, 3) * 255.0\n"
                    "    centers_rgb = np.clip(np.rint(centers_rgb), 0, 255).astype(np.uint8)\n")
        else:
            space_code = "def features_of(rgb):\n    return rgb.astype(np.float32)\n"
            back = "centers_rgb = np.clip(np.rint(centers), 0, 255).astype(np.uint8)\n"
        body = (
            "import scipy.cluster.vq\n\n" + to_rgb + space_code
            + f"k, seed = {k}, 0\n"
            "pixels = img.reshape(-1, 3)\n"
            "features = features_of(pixels)\n"
            "rng = np.random.default_rng(seed)  # learn the centres from 50,000 pixels at most (speed)\n"
            "sample = np.sort(rng.choice(len(pixels), 50_000, replace=False)) if len(pixels) > 50_000 "
            "else np.arange(len(pixels))\n"
            "distinct = np.unique(pixels[sample], axis=0)\n"
            "if len(distinct) <= k:  # no more colours than clusters: each colour is a cluster\n"
            "    centers_rgb, centers = distinct, features_of(distinct)\n"
            "else:\n"
            "    cv2.setRNGSeed(seed)\n"
            "    criteria = (cv2.TERM_CRITERIA_EPS + cv2.TERM_CRITERIA_MAX_ITER, 20, 0.5)\n"
            "    _, _, centers = cv2.kmeans(features[sample], k, None, criteria, 1, cv2.KMEANS_PP_CENTERS)\n"
            "    " + back
            + "labels, _ = scipy.cluster.vq.vq(features, centers.astype(np.float32))  # nearest centre for every pixel\n"
            "result = centers_rgb[labels].reshape(img.shape)\n"
        )
    else:
        channel_axis = "-1" if is_colour else "None"
        small_size = segmentation.superpixel_working_size(img.shape, max_pixels=SLIC_PIXELS)
        slic_call = (f"skimage.segmentation.slic({{}}, n_segments={n_segments}, compactness={compactness:g}, "
                     f"start_label=1, channel_axis={channel_axis})")
        if small_size is None:
            slic_code = f"result = {slic_call.format('img')}\n"
        else:
            slic_code = (
                f"small = cv2.resize(img, {small_size}, interpolation=cv2.INTER_AREA)  # SLIC is slow: run it on 0.3 MP\n"
                f"labels = {slic_call.format('small')}.astype(np.int32)\n"
                f"result = cv2.resize(labels, ({width}, {height}), interpolation=cv2.INTER_NEAREST)\n"
            )
        body = (
            "import skimage.segmentation\n\n" + slic_code
            + "outlines = skimage.segmentation.find_boundaries(result, mode=\"inner\")  # drawn in yellow\n"
        )
    show_code(body, source=source, result=result)


if uses_mask:
    st.caption("Step 1: a foreground mask from a threshold, cleaned; step 2: the objects.")
segmentation_panel()

# Compare the methods ------------------------------------------------------------------
# Every method with its starting settings: the comparison reads no control, so it is made once per image and
# never goes stale while the panel above reruns on its own.
st.header("The methods side by side", anchor=False)
st.caption(
    "Same image, every method with its starting settings, so the four stay comparable whatever you set above: "
    f"Otsu's threshold with holes filled, specks under {DEFAULTS['segmentation_min_area']} px dropped, "
    f"{DEFAULTS['segmentation_connectivity']} neighbours; watershed markers at distance peaks at least "
    f"{DEFAULTS['segmentation_min_distance']} px apart; k-means with k = {DEFAULTS['segmentation_k']} in RGB; "
    f"about {DEFAULTS['segmentation_segments']} superpixels of compactness {DEFAULTS['segmentation_compactness']:g}."
)
start_mask = tuple(DEFAULTS[key] for key in MASK_KEYS)
with st.spinner("Running every method…"):
    # Each is cached: the method on screen may come back at once, the others run on the first visit only.
    start_objects = objects_for(source.key, *start_mask, gray)
    start_watershed = watershed_for(source.key, start_mask, DEFAULTS["segmentation_markers"],
                                    DEFAULTS["segmentation_min_distance"], DEFAULTS["segmentation_fraction"], img,
                                    start_objects.labels)
    start_kmeans = kmeans_for(source.key, DEFAULTS["segmentation_k"], DEFAULTS["segmentation_space"], img).result
    start_regions = superpixels_for(source.key, DEFAULTS["segmentation_segments"],
                                    DEFAULTS["segmentation_compactness"], img)
picture_row([
    Picture(start_objects.coloured_panel, crisp=True, caption=f"Connected components: {start_objects.count} objects"),
    Picture(start_watershed.coloured, crisp=True, caption=f"Watershed: {start_watershed.count} objects"),
    Picture(start_kmeans.quantized, crisp=True, caption=f"k-means: {len(start_kmeans.centers)} colour classes"),
    Picture(start_regions.outlined_panel, crisp=True, caption=f"SLIC: {start_regions.count} superpixels"),
])

# 6. Where it breaks ---------------------------------------------------------------------
st.header("Where it breaks: one threshold for an unevenly lit background", anchor=False)
demo = coins_demo()
coins, coin_count = demo.coins, demo.coin_count
otsu_level, otsu_count = demo.levels["otsu"], demo.counts["otsu"]
fixed_level, fixed_count = demo.levels["fixed"], demo.counts["fixed"]
st.markdown(
    f"On the coins, Otsu's threshold ({otsu_level}) is below the brightness of the lit background at the top: "
    f"that strip and the coin touching it become **one object of {demo.largest:,} pixels**, "
    f"{demo.largest / demo.typical:.0f} times a typical coin. The count, {otsu_count}, "
    + ("matches the coins only by accident. " if otsu_count == coin_count else f"is not the {coin_count} coins. ")
    + f"A level of {fixed_level} frees the coin: {fixed_count} objects, of which {fixed_count - coin_count} "
    "touch the image edge (what is left of the lit strip). Connected components can only be as good as the mask: "
    "fix the threshold (a local, adaptive one) first."
)
picture_row([
    Picture(demo.overlays["otsu"], crisp=True,
            caption=f"Otsu (t = {otsu_level}): {otsu_count} objects, one of them background + coin"),
    Picture(demo.overlays["fixed"], crisp=True,
            caption=f"t = {fixed_level}: {fixed_count} objects, {coin_count} not touching the edge"),
])
lesson_link("thresholding", "Thresholding: adaptive thresholds for uneven light")

# 8. Check yourself -------------------------------------------------------------------------
st.header("Check yourself", anchor=False)
quiz = connectivity_quiz()
quiz_columns = st.columns([1, 2])
with quiz_columns[0]:
    show_image(quiz.mask_grid, caption="A 9 × 9 mask", crisp=True)
with quiz_columns[1]:
    numeric_exercise(
        "segmentation_connectivity", number=1,
        question="How many objects does this mask hold with **4-connectivity** (edges only, corners do not join)?",
        answer=quiz.count4, hint="Two white squares are one object only if they share a side. Count groups, not squares.",
        explanation=f"{quiz.count4} objects with 4 neighbours; with 8 neighbours the diagonal contacts join them "
        f"into {quiz.count8}.",
    )
quiz_columns = st.columns([1, 2])
with quiz_columns[0]:
    show_image(coins, caption="Greek coins (skimage.data.coins)")
with quiz_columns[1]:
    numeric_exercise(
        "segmentation_coins", number=2,
        question="How many coins are in this picture?",
        answer=coin_count, hint="Count row by row, and count every coin once.",
        explanation=f"{coin_count}. Threshold {fixed_level}, holes filled, specks under 100 px dropped and the "
        "piece of lit background at the top edge excluded gives exactly that; Otsu's level merges one coin with "
        "the background (see above).",
    )
quiz_clusters = kmeans_for(source.key, 3, "rgb", img)
options = ["A", "B", "C"][: len(quiz_clusters.result.centers)]
if len(options) >= 2:
    biggest = options[int(np.argmax(quiz_clusters.result.shares))]
    choice_exercise(
        "segmentation_kmeans", number=3,
        question="k-means with k = 3 (RGB) on the image on screen found these three centre colours. "
        "Which cluster covers the most pixels?",
        options=options, correct=biggest,
        pictures=list(quiz_clusters.swatches),
        hint="Switch the method to k-means colours with k = 3 and read the share chart.",
        explanation=f"Cluster {biggest} holds {quiz_clusters.result.shares.max():.0%} of the pixels.",
    )
else:
    choice_exercise(
        "segmentation_kmeans", number=3,
        question="This image has a single colour. How many clusters can k-means find in it?",
        options=["1", "3"], correct="1",
        hint="A centre is the mean of its pixels.", explanation="One: every pixel has the same colour.",
    )

finish_lesson("segmentation")
