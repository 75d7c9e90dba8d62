"""The image source in the sidebar: a sample, an upload, or the webcam.

The chosen sample travels in the URL (``?img=coins``). Uploads cannot travel
in a link; the last good one is kept in the session (never on disk), so a bad
file leaves the previous image in place. Decoded images are cached per
sample id or per content digest (never keyed on a large array) and made
read-only, because every session shares the cached object.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np
import streamlit as st

from processing.color import as_gray
from processing.io import WORKING_PIXELS, ImageDecodeError, decode_image, working_copy
from processing.samples import DEFAULT_SAMPLE, SAMPLES, load_sample
from ui.cache import mark, step
from ui.url import url_choice

UPLOAD = "upload"
# The last four cannot be read, but accepting them lets the page explain why
# (and what to do) instead of the browser silently refusing the file.
UPLOAD_TYPES = ["png", "jpg", "jpeg", "bmp", "tif", "tiff", "webp", "gif", "heic", "heif", "avif", "svg"]
_UPLOAD_STATE = "pl_upload"


@dataclass(frozen=True)
class ImageSource:
    """The image every lesson works on.

    Attributes
    ----------
    key : str
        Stable identity of the pixels (sample id or content digest, and size):
        the image's origin for `ui.cache.step`.
    image : ndarray
        Read-only uint8 working copy, ``(H, W)`` or ``(H, W, 3)``, marked with `key`.
    title : str
        Pixel Lab's name for it ("Greek coins", "your upload"): safe to show.
    file_name : str or None
        The uploaded file's name: untrusted, show only as plain text.
    notes : tuple of str
        Conversions made while reading it and making the working copy.
    original_shape : tuple of int
        Shape before the working copy was made.
    load_code : str
        Python lines that produce ``img`` (the image on screen) for code panels.
    sample_id : str or None
        The sample's id (``"coins"``), or None for an upload.
    """

    key: str
    image: np.ndarray
    title: str
    file_name: str | None
    notes: tuple[str, ...]
    original_shape: tuple[int, ...]
    load_code: str
    sample_id: str | None = None

    @property
    def is_upload(self) -> bool:
        return self.file_name is not None

    @property
    def grey(self) -> np.ndarray:
        """The image in grey (`processing.color.as_gray`: itself if it is grey), computed once, read-only."""
        return step(as_gray, self.image)


def _working_note(original: np.ndarray, work: np.ndarray) -> str:
    (h, w), (hw, ww) = original.shape[:2], work.shape[:2]
    return (
        f"Working copy: {w} × {h} pixels shrunk to {ww} × {hw} (area interpolation) so every control "
        "answers at once. Switch on **Full size** in the sidebar to work on every pixel."
    )


def _resize_code(original: np.ndarray, work: np.ndarray) -> str:
    hw, ww = work.shape[:2]
    return f"\nimg = cv2.resize(img, ({ww}, {hw}), interpolation=cv2.INTER_AREA)  # the working copy"


@st.cache_resource(max_entries=40, show_spinner=False)
def _sample_source(sample_id: str, full_size: bool) -> ImageSource:
    sample = SAMPLES[sample_id]
    original = load_sample(sample_id)
    work, scale = (original, 1.0) if full_size else working_copy(original, max_pixels=WORKING_PIXELS)
    notes = () if scale == 1.0 else (_working_note(original, work),)
    code = sample.code + ("" if scale == 1.0 else _resize_code(original, work))
    key = f"sample:{sample_id}:{'full' if full_size else 'work'}"
    return ImageSource(
        key=key,
        image=mark(work, key),
        title=sample.title,
        file_name=None,
        notes=notes,
        original_shape=original.shape,
        load_code=code,
        sample_id=sample_id,
    )


@st.cache_resource(max_entries=8, show_spinner=False)
def _decoded_upload(
    digest: str, full_size: bool, _data: bytes
) -> tuple[tuple[int, ...], np.ndarray, tuple[str, ...], str] | str:
    """Decode an upload once per content digest; returns (original shape, working copy, notes, code) or a
    refusal reason. Only the working copy is kept: a 12-megapixel original would hold 36 MB per entry."""
    try:
        decoded = decode_image(_data, draft_pixels=None if full_size else WORKING_PIXELS)
    except ImageDecodeError as error:
        return error.reason
    original = decoded.pixels
    work, scale = (original, 1.0) if full_size else working_copy(original, max_pixels=WORKING_PIXELS)
    notes = decoded.notes + (() if scale == 1.0 else (_working_note(original, work),))
    read = (
        'img = cv2.imread("your_image.png", cv2.IMREAD_GRAYSCALE)'
        if work.ndim == 2
        else 'img = cv2.cvtColor(cv2.imread("your_image.png"), cv2.COLOR_BGR2RGB)  # OpenCV reads BGR'
    )
    code = read + ("" if scale == 1.0 else _resize_code(original, work))
    return original.shape, mark(work, f"upload:{digest}:{'full' if full_size else 'work'}"), notes, code


def _upload_source(upload: dict, full_size: bool) -> ImageSource | str:
    decoded = _decoded_upload(upload["digest"], full_size, upload["data"])
    if isinstance(decoded, str):
        return decoded
    original_shape, work, notes, code = decoded
    return ImageSource(
        key=f"upload:{upload['digest']}:{'full' if full_size else 'work'}",
        image=work,
        title="your upload",
        file_name=upload["name"],
        notes=notes,
        original_shape=original_shape,
        load_code=code,
    )


def _receive(file, full_size: bool) -> None:
    """Decode a newly uploaded or captured file once; keep it only if it is a good image.

    The uploader hands back the same file on every rerun: it is read and hashed
    only when its id changes, and a refusal stays on screen while it is there.
    """
    seen = st.session_state.get("pl_upload_seen")
    if seen is None or seen[0] != file.file_id:
        data = file.getvalue()
        candidate = {"digest": hashlib.sha256(data).hexdigest(), "data": data, "name": file.name}
        outcome = _upload_source(candidate, full_size)
        refusal = outcome if isinstance(outcome, str) else None
        if refusal is None:
            st.session_state[_UPLOAD_STATE] = candidate
        seen = (file.file_id, refusal)
        st.session_state["pl_upload_seen"] = seen
    if seen[1] is not None:
        st.error(f"This file cannot be used: {seen[1]} The previous image stays.", icon=":material/error:")
        st.text(f"File: {file.name}")  # user text: plain text only, never markdown


_CHOSEN = "pl_img_chosen"


def _remember_choice() -> None:
    st.session_state[_CHOSEN] = st.session_state.get("img")


def _preselect(options: dict[str, str], default: str) -> None:
    """Put the image to show into the chooser before it is drawn.

    An image the learner picked, or a link named, follows them from lesson to
    lesson; until then each lesson opens on its own default sample.
    """
    url_value = st.query_params.get("img")
    if url_value in options and url_value != st.session_state.get("_url_img"):
        st.session_state[_CHOSEN] = url_value  # a link names it
    chosen = st.session_state.get(_CHOSEN)
    st.session_state["img"] = chosen if chosen in options else default


def image_source(default: str = DEFAULT_SAMPLE) -> ImageSource:
    """Draw the sidebar's image chooser and return the image to work on.

    Parameters
    ----------
    default : str
        The sample this page opens on when neither the learner nor the link chose one (the lesson's
        registry entry names it).

    Returns
    -------
    ImageSource
        The chosen sample, or the last good upload; the default sample while
        "your own image" is chosen but nothing good was uploaded yet.
    """
    with st.sidebar:
        st.subheader("Image", anchor=False)
        options = {sample_id: sample.title for sample_id, sample in SAMPLES.items()}
        options[UPLOAD] = "Your own image (upload or webcam)"
        _preselect(options, default)
        choice = url_choice(st.selectbox, "Image", options, key="img", default=default,
                            label_visibility="collapsed", on_change=_remember_choice)
        full_size = st.toggle(
            "Full size", key="full_size", bind="query-params",
            help=f"Images above {WORKING_PIXELS / 1e6:g} megapixels are shrunk for speed; this works on every pixel.",
        )
        if choice == UPLOAD:
            file = st.file_uploader(
                "Upload an image", type=UPLOAD_TYPES, key="upload_file",
                help="PNG, JPEG, BMP, TIFF, WebP or GIF. The file stays in memory for this session only.",
            )
            if file is not None:
                _receive(file, full_size)
            if st.toggle("Use the webcam", key="use_camera"):
                shot = st.camera_input("Take a photo", key="camera_shot")
                if shot is not None:
                    _receive(shot, full_size)
        upload = st.session_state.get(_UPLOAD_STATE)
        if choice == UPLOAD and upload is not None:
            source = _upload_source(upload, full_size)
            if isinstance(source, ImageSource):
                st.caption("Your image stays in this session: a copied link carries the settings, not the image.")
                st.text(f"File: {source.file_name}")
                return source
        if choice == UPLOAD:
            st.info("No image uploaded yet: showing the default sample until you add one.", icon=":material/upload:")
            sample_id = default
        else:
            sample_id = choice
        sample = SAMPLES[sample_id]
        st.caption(f"{sample.description}  \nCredit: {sample.credit}")
    return _sample_source(sample_id, full_size)


def link_state() -> dict[str, str]:
    """Query parameters that carry the image choice to another page's link."""
    state: dict[str, str] = {}
    if st.session_state.get(_CHOSEN) is not None:
        state["img"] = str(st.session_state[_CHOSEN])
    if st.session_state.get("full_size"):
        state["full_size"] = "true"
    return state
