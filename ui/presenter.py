"""Presenter mode for a projector: large text and controls, no sidebar, a QR code of the page's link.

Switched on by the sidebar toggle or ``present=1`` in the address (and carried by the menu and the
previous/next links). The styling comes from a components-v2 component mounted without style
isolation (its CSS applies to the page while it is mounted), never from raw HTML. Its small script
also keeps the QR code current: a control inside a fragment reruns only that fragment and changes
the address, so the script notices the new address and asks for one full rerun, which redraws the
code with the new settings.

The QR code and the link under it carry every setting of the page: the parameters in the address and
the values that bound widgets leave out of it because they equal their defaults (so the link still
means the same page if a default changes), but not ``present`` (phones open the normal page) and not
an uploaded image (it cannot travel in a link).
"""

from __future__ import annotations

from urllib.parse import urlencode

import cv2
import numpy as np
import segno
import streamlit as st

PARAM = "present"
# The toggle's key differs from the address's parameter, so turning it off is not taken for a link setting
# the page could not use (ui.url.link_fallbacks compares parameters with widgets of the same key).
_KEY = "pl_present"
_LAST_URL_VALUE = "pl_present_in_address"
PANEL_KEY = "pl_presenter"
#: Largest shown width of the QR code in CSS pixels (about a third of a 720-line projector's height); it is
#: drawn at a whole number of pixels per module (at least 3), so every module is equally wide on screen.
QR_WIDTH = 260

_CSS = """
/* Presenter mode (Pixel Lab): no sidebar, no toolbar; text, controls and spacing (all in rem) 1.375 times. */
html { font-size: 22px; }
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stExpandSidebarButton"],
header[data-testid="stHeader"] { display: none !important; }
[data-testid="stMainBlockContainer"] {
    max-width: none; padding: 1.2rem calc(%(qr)dpx + 3.2rem) 4rem 1.6rem;
}
[data-testid="stMain"] h1 { font-size: 2.2rem; padding-top: 0; }
[data-testid="stMain"] [data-testid="stElementContainer"] { scroll-margin-top: 0.5rem; }
/* Pictures as large as their column allows, but never taller than half the screen. */
[data-testid="stMain"] [data-testid="stImage"] img { max-height: 50vh; width: auto !important; max-width: 100%%;
    object-fit: contain; }
.st-key-%(panel)s {
    position: fixed; top: 0.6rem; right: 0.6rem; width: calc(%(qr)dpx + 1.6rem); z-index: 999990;
    max-height: calc(100vh - 1.2rem); overflow-y: auto; padding: 0.5rem 0.7rem; gap: 0.3rem;
    background: var(--st-background-color, #fff); border: 1px solid rgba(49, 51, 63, 0.2); border-radius: 0.5rem;
    box-shadow: 0 0.2rem 0.8rem rgba(0, 0, 0, 0.12);
}
.st-key-%(panel)s img { image-rendering: pixelated; }
/* A narrow screen (a phone in presenter mode): the panel goes back into the page, after the lesson. */
@media (max-width: 900px) {
    [data-testid="stMainBlockContainer"] { padding-right: 1.6rem; }
    .st-key-%(panel)s { position: static; width: auto; max-height: none; box-shadow: none; }
}
.st-key-%(panel)s [data-testid="stCode"] pre, .st-key-%(panel)s [data-testid="stCode"] code {
    font-size: 0.5rem; line-height: 1.35; white-space: pre-wrap; word-break: break-all;
}
.st-key-%(panel)s [data-testid="stCode"] pre { padding: 0.3rem 0.4rem; }
.st-key-%(panel)s [data-testid="stPageLink"] p, .st-key-%(panel)s button p { font-size: 0.7rem; }
""" % {"qr": QR_WIDTH, "panel": PANEL_KEY}

_JS = """
// Each page opens at its experiment: the first control of the main area at the top, the pictures under it.
const CONTROLS = ["stSlider", "stButtonGroup", "stSelectbox", "stRadio", "stCheckbox", "stNumberInput",
                  "stSelectSlider", "stTextArea", "stTextInput", "stMultiSelect", "stColorPicker"];
function firstControl() {
    const main = document.querySelector("[data-testid='stMain']");
    if (!main) return null;
    const selector = CONTROLS.map(id => `[data-testid='${id}']`).join(", ");
    const control = main.querySelector(selector);
    return control ? control.closest("[data-testid='stElementContainer']") || control : null;
}
const sorted = query => { const params = new URLSearchParams(query); params.sort(); return params.toString(); };
// Streamlit 1.67 mounts this function again whenever its data changes but calls only the newest mount's
// cleanup, so the state lives once per tab: one watcher, one set of listeners, whatever the number of mounts.
const tab = window.__pixelLabPresenter || (window.__pixelLabPresenter = { generation: 0 });
const moved = () => { tab.userMoved = true; };
const EVENTS = ["wheel", "touchmove", "keydown", "mousedown"];
// A fragment rerun changes the address but not this component: ask for a full rerun, which redraws the QR
// code. The address is compared with the one the newest mount was drawn for (not with the address at mount
// time, which a fragment may already have changed). An ask can be lost (a run interrupted), so it is repeated
// after 1.5 s while the two still differ, at most three times for one address (no endless reruns).
function watch() {
    if (window.location.pathname !== tab.page) return;  // another page: its own panel takes over
    const now = sorted(window.location.search);
    if (now === tab.drawn) return;
    const asked = tab.asked;
    if (asked && asked.address === now && (asked.count >= 3 || Date.now() - asked.at < 1500)) return;
    tab.asked = { address: now, count: asked && asked.address === now ? asked.count + 1 : 1, at: Date.now() };
    tab.ask("address", `${now}#${tab.asked.count}`);
}
function stop() {
    clearInterval(tab.watcher);
    tab.watcher = null;
    EVENTS.forEach(name => window.removeEventListener(name, moved));
}
export default function ({ data, setStateValue }) {
    const generation = ++tab.generation;
    tab.drawn = sorted((data && data.params || []).map(([key, value]) => [key, value]));
    tab.ask = setStateValue;
    const page = window.location.pathname;
    if (tab.page !== page) {  // each page opens at its experiment, unless the reader has already moved
        tab.page = page;
        tab.userMoved = false;
        const scroll = () => {
            const control = firstControl();
            if (!tab.userMoved && control) control.scrollIntoView({ block: "start" });
        };
        [0, 400, 1200, 2500].forEach(delay => setTimeout(scroll, delay));
    }
    if (!tab.watcher) {
        tab.watcher = setInterval(watch, 300);
        EVENTS.forEach(name => window.addEventListener(name, moved, { passive: true }));
    }
    return () => { if (tab.generation === generation) stop(); };
}
"""

_style = st.components.v2.component("pixel_lab_presenter", css=_CSS, js=_JS, isolate_styles=False)

#: Every page, presenter mode or not: what the theme options cannot reach (tests/e2e/test_accessibility.py).
#: Mounted with the progress component (`ui.progress`), which every page draws once.
PAGE_CSS = """
/* A disabled control's label: Streamlit draws it at 40 % of the text colour (2.6:1); at 60 % it is 4.95:1 on
   white, as readable as a caption, and still lighter than an enabled label. */
label[data-testid="stWidgetLabel"][disabled] { color: rgba(14, 17, 23, 0.6); }
/* A formula is a scrollable box that the keyboard cannot reach; its brackets overhang it by a pixel or two,
   which made it scroll. A little room on each side keeps it still. */
.katex-display { padding: 0 0.25em; }
/* Labels of metrics, controls and buttons and the text of links wrap instead of ending in "…": at 1280 x 720
   some were cut ("Exclude objects on the edge", the pipeline's "6. Connected components"; in presenter mode
   "Pixels selected" and most links between lessons). */
[data-testid="stMain"] [data-testid="stMetricLabel"] *,
[data-testid="stMain"] :is([data-testid="stWidgetLabel"], button) [data-testid="stMarkdownContainer"],
[data-testid="stMain"] :is([data-testid="stWidgetLabel"], button) [data-testid="stMarkdownContainer"] *,
[data-testid="stMain"] [data-testid="stPageLink-NavLink"] > span {
    white-space: normal; overflow: visible;
}
"""


def is_on() -> bool:
    """True while presenter mode is on for this session."""
    return bool(st.session_state.get(_KEY))


def presenter_switch() -> bool:
    """Draw the sidebar toggle (reading ``present=1`` from the address) and keep the address in step.

    Returns
    -------
    bool
        Whether presenter mode is on.
    """
    url_value = st.query_params.get(PARAM)
    if url_value != st.session_state.get(_LAST_URL_VALUE):  # opened from a link, or back/forward
        st.session_state[_KEY] = url_value in ("1", "true")
    on = st.sidebar.toggle(
        "Presenter mode", key=_KEY,
        help="For a projector: hides this sidebar, enlarges text and controls, hides exercise answers until "
             "revealed and shows a QR code of this page with its settings. Also `present=1` in the address.",
    )
    if on:
        st.query_params[PARAM] = "1"
    else:
        st.query_params.pop(PARAM, None)
    st.session_state[_LAST_URL_VALUE] = "1" if on else None
    return on


def link_params() -> dict[str, str]:
    """Query parameters that keep presenter mode on across links (empty when it is off)."""
    return {PARAM: "1"} if is_on() else {}


def _leave() -> None:
    st.session_state[_KEY] = False


def page_settings() -> dict[str, str | list[str]]:
    """Every setting of the page as it would appear in its address, defaults included.

    The parameters in the address come first, in their order; then, for every widget drawn in this
    run that is bound to the address (``bind="query-params"``) or keeps its value there through
    `ui.url` (``url_choice``, ``url_number``), its current value, written the way Streamlit writes it.
    Call it at the end of a run, once every widget is drawn.
    """
    from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx
    from streamlit.runtime.state.query_params import _coerce_value_for_query_url

    settings: dict[str, str | list[str]] = {}
    for key in st.query_params:
        values = st.query_params.get_all(key)
        settings[key] = values[0] if len(values) == 1 else values
    ctx = get_script_run_ctx()
    if ctx is None:
        return settings
    state = ctx.session_state._state  # Streamlit 1.67's SessionState (pinned in requirements.txt)
    keys_of = state._key_id_mapper.id_key_mapping
    found: dict[str, str | list[str]] = {}
    for widget_id in ctx.shared.widget_ids_this_run.snapshot():
        binding = state.query_params.get_binding_for_widget(widget_id)
        metadata = state._new_widget_state.widget_metadata.get(widget_id)
        if binding is not None and metadata is not None:
            value = _coerce_value_for_query_url(metadata.serializer(state[widget_id]), metadata.value_type)
            found[binding.param_key] = value[0] if isinstance(value, list) and len(value) == 1 else value
            continue
        key = keys_of.get(widget_id)
        if key is not None and f"_url_{key}" in st.session_state and key in st.session_state:
            found[key] = str(st.session_state[key])  # url_choice / url_number: the id or number itself
    for key in sorted(found):
        settings.setdefault(key, found[key])
    settings.pop(PARAM, None)
    if settings.get("img") == "upload":  # an upload cannot travel: the phone opens the default image
        settings.pop("img")
    return settings


def page_link() -> str:
    """The page's address with every setting (see `page_settings`), for the QR code."""
    base = st.context.url or ""
    settings = page_settings()
    query = urlencode(settings, doseq=True)
    return f"{base}?{query}" if query else base


def qr_modules(text: str) -> np.ndarray:
    """The QR code of `text` as a bool array (True = dark module), with the standard four-module quiet zone.

    Error correction level M (15 %, raised by segno when that costs no extra size): it still reads with a
    glare spot on a projection screen.
    """
    code = segno.make(text, error="m", micro=False)
    return np.pad(np.array(code.matrix, dtype=bool), 4)


def qr_png(text: str, *, module_pixels: int | None = None) -> bytes:
    """A QR code of `text` as PNG bytes, black on white, `module_pixels` per module (default:
    `module_size`)."""
    modules = qr_modules(text)
    return _png(modules, module_pixels or module_size(modules))


def module_size(modules: np.ndarray) -> int:
    """Pixels per module so that the code fits in `QR_WIDTH`, at least 3."""
    return max(3, QR_WIDTH // modules.shape[0])


def _png(modules: np.ndarray, module_pixels: int) -> bytes:
    pixels = np.where(np.kron(modules, np.ones((module_pixels, module_pixels), bool)), 0, 255).astype(np.uint8)
    ok, encoded = cv2.imencode(".png", pixels)
    if not ok:  # pragma: no cover - OpenCV always encodes a uint8 grey image
        raise RuntimeError("could not encode the QR code")
    return encoded.tobytes()


def presenter_panel(title: str, *, links: tuple = (), carry: dict[str, str] | None = None) -> None:
    """The fixed panel at the top right of the screen: the page's title, its QR code and link, the
    previous and next pages, and a way out. Call at the end of the run (when every setting is known).

    Parameters
    ----------
    title : str
        Pixel Lab's own page title.
    links : tuple of (page, label, icon)
        Pages to link to, e.g. the previous and next lesson.
    carry : dict of str to str, optional
        Query parameters the links carry (the image choice; presenter mode is added).
    """
    if not is_on():
        return
    drawn = [[key, value] for key in st.query_params for value in st.query_params.get_all(key)]
    _style(key="pl_presenter_style", data={"params": drawn}, on_address_change=_ignore, height=0)
    link = page_link()
    with st.container(key=PANEL_KEY):
        st.markdown(f"**{title}**")
        modules = qr_modules(link)
        pixels = module_size(modules)
        st.image(_png(modules, pixels), width=modules.shape[0] * pixels, output_format="PNG",
                 alt=f"QR code ({modules.shape[0]} × {modules.shape[0]} modules) of this page's link with its "
                     "current settings, written out below")
        st.caption("Scan to follow on your phone:")
        st.code(link, language=None, wrap_lines=True)
        for page, label, icon in links:
            st.page_link(page, label=label, icon=icon, query_params={**(carry or {}), **link_params()})
        st.button("Leave presenter mode", key="pl_leave_presenter", on_click=_leave, icon=":material/close:",
                  type="tertiary")


def _ignore() -> None:
    """The address report only asks for a rerun; nothing to do."""
