"""Page scaffolding: configuration, the grouped sidebar menu, the lesson header and its end.

Pages are plain files in ``pages/``; Streamlit's automatic menu is hidden in
``.streamlit/config.toml`` and this menu is drawn from the lesson registry
instead, so deep links to a freshly started server show the right menu.

Every page starts with `start_page` (lessons: `start_lesson`) and ends with `finish_page`
(lessons: `finish_lesson`), which between them also: restore and save the learner's progress
(`ui.progress`), switch presenter mode (`ui.presenter`), offer the lesson as a notebook
(`ui.notebook`) and link the previous and next lessons. The tab's icon is an emoji, drawn by the
browser itself: a Material icon as ``page_icon`` would make every page fetch it from a font host.
"""

from __future__ import annotations

import gc
import sys
import threading

import streamlit as st

from processing.samples import DEFAULT_SAMPLE
from ui import code, notebook, presenter, progress
from ui.lessons import LESSONS, LESSONS_BY_SLUG, SECTIONS, Lesson
from ui.source import ImageSource, image_source, link_state
from ui.url import link_fallbacks, remember_link_values

#: Longest link value repeated back on the page (the rest is cut).
SHOWN_LINK_VALUE = 40
# Each session's script runs in its own thread: the place kept for notes about the link.
_page = threading.local()

HOME_PAGE = "app.py"
#: The browser tab's icon on every page: an emoji needs no request (a Material icon is fetched from a font host).
FAVICON = "🔬"


def carried() -> dict[str, str]:
    """Query parameters every link to another page carries: the image choice and presenter mode."""
    return {**link_state(), **presenter.link_params()}


_PAGES: dict[str, st.Page] = {}


def page_object(path: str) -> st.Page:
    """The `st.Page` of a page file (made in the first run that asks for it, then kept for all sessions).

    `st.page_link` given a file name resolves the path on disk and searches the registered pages on every
    call; given the page itself it does neither (a quarter of the menu's time on this project's machine).
    """
    page = _PAGES.get(path)
    if page is None:
        page = _PAGES[path] = st.Page(path, default=path == HOME_PAGE)
    return page


def sidebar_menu(container) -> None:
    """Draw the course menu, grouped by section, from the lesson registry, into `container`.

    The links carry the image choice, so the next lesson opens on the same image.
    """
    carry = carried()
    with container:
        st.page_link(page_object(HOME_PAGE), label="Pixel Lab", icon=":material/home:", query_params=carry)
        for section in SECTIONS:
            lessons = [lesson for lesson in LESSONS if lesson.section == section]
            if not lessons:
                continue
            st.caption(section.upper())
            for lesson in lessons:
                st.page_link(page_object(lesson.page), label=lesson.title, icon=lesson.icon, query_params=carry)


def histogram_switches() -> None:
    """The two histogram switches every page shares (log scale, cumulative)."""
    with st.sidebar:
        st.subheader("Histograms", anchor=False)
        st.toggle("Log scale", key="hist_log", bind="query-params", help="Count axis on a log scale.")
        st.toggle("Cumulative", key="hist_cdf", bind="query-params", help="Add the cumulative share of pixels.")


def freeze_imported_objects() -> None:
    """Move everything alive now into the garbage collector's permanent generation, once per new import.

    Streamlit runs a full ``gc.collect()`` after every script run (``runner.postScriptGC``). With OpenCV,
    scikit-image, SciPy, pandas and Plotly imported there are about 140,000 tracked objects, and each of
    those collections took 30-60 ms on this project's 2-core machine (260 ms under load) on every slider
    move, holding the interpreter lock. Module-level objects live as long as the server, so they are frozen
    when a page's imports are done; objects made by script runs are still collected after every run.
    """
    global _frozen_module_count
    if len(sys.modules) != _frozen_module_count:
        _frozen_module_count = len(sys.modules)
        gc.freeze()


_frozen_module_count = 0


def start_page(*, title: str, icon: str, default_sample: str = DEFAULT_SAMPLE) -> ImageSource:
    """Configure the page and draw the shared sidebar; returns the image to work on (`default_sample`
    unless the learner or the link chose another). `icon` is the page's Material icon (menus); the tab
    shows `FAVICON`. End the page with `finish_page` (lessons: `finish_lesson`)."""
    freeze_imported_objects()
    st.set_page_config(page_title=f"{title} · Pixel Lab", page_icon=FAVICON, layout="wide")
    remember_link_values()
    progress.receive()  # before any exercise is drawn, so restored ones show as solved
    _page.title = title
    menu = st.sidebar.container()  # drawn last, on top, once the image choice is known
    presenter.presenter_switch()
    source = image_source(default_sample)
    histogram_switches()
    sidebar_menu(menu)
    if progress.note():
        st.sidebar.warning(progress.note(), icon=":material/history:")
    return source


def finish_page(*, title: str | None = None, links: tuple = ()) -> None:
    """End any page: the presenter panel (with its QR code of every current setting) and the progress
    component, which saves this run's solved exercises in the browser.

    Parameters
    ----------
    title : str, optional
        The presenter panel's heading (default: the page's title).
    links : tuple of (page, label, icon)
        Pages the presenter panel links to (the previous and next lesson).
    """
    presenter.presenter_panel(title or getattr(_page, "title", "Pixel Lab"), links=links, carry=link_state())
    progress.send()


def start_lesson(slug: str) -> tuple[Lesson, ImageSource]:
    """Start a lesson page: configuration, sidebar, title and notes about the image.

    Parameters
    ----------
    slug : str
        The lesson's registry slug.

    Returns
    -------
    lesson : Lesson
    source : ImageSource
    """
    lesson = LESSONS_BY_SLUG[slug]
    source = start_page(title=lesson.title, icon=lesson.icon, default_sample=lesson.default_sample)
    code.start_collecting()  # the code panels of this run, for "Download as notebook"
    st.title(lesson.title, anchor=False)
    _page.link_notes = st.container()  # filled by finish_lesson, once every control has read the link
    show_source_notes(source)
    return lesson, source


def finish_lesson(slug: str, *, notebook_button: bool = True) -> None:
    """End a lesson page: say which settings of the link could not be used, offer the lesson as a
    notebook, link the previous and next lessons (carrying the image choice, as the menu does), and
    `finish_page`.

    Parameters
    ----------
    slug : str
        The lesson's registry slug.
    notebook_button : bool
        Offer the lesson's code panels as a notebook (the pipeline lab offers its own instead).
    """
    fallbacks = link_fallbacks()
    if fallbacks:
        notes = getattr(_page, "link_notes", None)
        with notes if notes is not None else st.container():
            st.warning(
                "The link asked for settings this page cannot use (out of range or not a valid value), "
                "so their usual values are shown instead:", icon=":material/link_off:",
            )
            # Link values are user text: shown as code, never as markdown.
            st.code("\n".join(f"{key} = {value[:SHOWN_LINK_VALUE]}" for key, value in fallbacks), language=None)
    lesson = LESSONS_BY_SLUG[slug]
    index = [entry.slug for entry in LESSONS].index(slug)
    earlier = LESSONS[index - 1] if index > 0 else None
    later = LESSONS[index + 1] if index + 1 < len(LESSONS) else None
    carry = carried()
    st.divider()
    # The lesson's end, one row (wrapped on a phone): back, take it home, on to the next one.
    end = st.container(key="pl_lesson_end", horizontal=True, horizontal_alignment="distribute",
                       vertical_alignment="center")
    if earlier:
        end.page_link(page_object(earlier.page), label=f"Previous lesson: {earlier.title}", icon=earlier.icon,
                      query_params=carry)
    if notebook_button:
        panels = st.session_state.get(code.PANELS_STATE)
        url = st.context.url or ""
        end.download_button(
            "Download as notebook", data=lambda: notebook.notebook_bytes(lesson, code.in_page_order(panels), url=url),
            file_name=f"pixel-lab-{slug}.ipynb", mime=notebook.MIME, on_click="ignore", icon=":material/download:",
            key="pl_notebook", help="This lesson's idea and every code panel with your current settings, as a Jupyter "
                                    "notebook that runs top to bottom (your own image: put the file beside it).",
        )
    if later:
        end.page_link(page_object(later.page), label=f"Next lesson: {later.title}", icon=later.icon,
                      query_params=carry)
    neighbours = ((earlier, ":material/arrow_back:"), (later, ":material/arrow_forward:"))
    finish_page(links=tuple((page_object(target.page), target.title, icon) for target, icon in neighbours if target))


def show_source_notes(source: ImageSource) -> None:
    """Say what was done to the image on its way in (conversions, working copy)."""
    for note in source.notes:
        st.info(note, icon=":material/info:")


def keep_in_range(key: str, low: int, high: int) -> None:
    """Clamp a remembered slider value (or range) into ``[low, high]`` before the slider is drawn.

    Sliders whose limits depend on the image (rows, columns) would raise when a
    smaller image is chosen; clamping keeps the learner's setting where it can.
    """
    value = st.session_state.get(key)
    if value is None:
        return
    if isinstance(value, (tuple, list)):
        clamped = tuple(min(max(v, low), high) for v in value)
    else:
        clamped = min(max(value, low), high)
    if clamped != value:
        st.session_state[key] = clamped


def lesson_link(slug: str, label: str, *, query_params: dict[str, str] | None = None) -> None:
    """A link to another lesson (by registry slug), with that lesson's icon."""
    target = LESSONS_BY_SLUG[slug]
    st.page_link(page_object(target.page), label=label, icon=target.icon, query_params=query_params)


def index_slider(container, label: str, *, size: int, key: str, default: int) -> int:
    """A URL-bound slider over indices ``0 .. size - 1`` (a row or column).

    Streamlit refuses a slider whose minimum equals its maximum, so an image one
    pixel high or wide gets a plain note and index 0 instead.
    """
    if size <= 1:
        container.caption(f"{label}: 0 (the image is one pixel in this direction)")
        return 0
    keep_in_range(key, 0, size - 1)
    return container.slider(label, 0, size - 1, min(default, size - 1), key=key, bind="query-params")
