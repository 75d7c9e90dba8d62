"""The app's code never executes user text, never renders HTML and never writes uploads to disk."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
APP_FILES = sorted([ROOT / "app.py", *(ROOT / "pages").glob("*.py"), *(ROOT / "ui").glob("*.py"),
                    *(ROOT / "processing").glob("*.py")])
FORBIDDEN = {
    "eval(": re.compile(r"(?<![\w.])eval\s*\("),
    "exec(": re.compile(r"(?<![\w.])exec\s*\("),
    "literal_eval": re.compile(r"literal_eval"),
    "unsafe_allow_html=True": re.compile(r"unsafe_allow_html\s*=\s*True"),
    "unsafe_allow_javascript": re.compile(r"unsafe_allow_javascript"),
    "components.v1.html": re.compile(r"components\.v1|components\.html"),
    "writing files": re.compile(r"open\([^)]*['\"][wa]b?['\"]|\.write_bytes\(|\.write_text\(|cv2\.imwrite\(|\.save\("),
    "pickle": re.compile(r"\bpickle\b"),
}


def code_lines(path: Path):
    """Lines of code with string contents and comments removed (code panels show learners cv2.imwrite in text)."""
    source = path.read_text()
    source = re.sub(r'("""|\'\'\')[\s\S]*?\1', '""', source)
    for number, line in enumerate(source.splitlines(), 1):
        line = re.sub(r"#.*", "", line)
        # Keep short strings such as file modes ("wb"); blank longer ones (code shown to learners).
        line = re.sub(r'"(\\.|[^"\\])*"|\'(\\.|[^\'\\])*\'', lambda m: m[0] if len(m[0]) <= 4 else '""', line)
        yield number, line


@pytest.mark.parametrize("path", APP_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_forbidden_construct(path):
    found = [
        f"{path.name}:{number}: {name}"
        for number, line in code_lines(path)
        for name, pattern in FORBIDDEN.items()
        if pattern.search(line)
    ]
    assert not found, found


def test_the_scan_catches_what_it_looks_for(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text('x = eval(text)\nst.markdown(name, unsafe_allow_html=True)\nopen(path, "wb")\n# eval( in a comment\n')
    hits = {name for _, line in code_lines(bad) for name, pattern in FORBIDDEN.items() if pattern.search(line)}
    assert hits == {"eval(", "unsafe_allow_html=True", "writing files"}


def test_xsrf_protection_stays_on():
    config = (ROOT / ".streamlit" / "config.toml").read_text()
    assert re.search(r"^enableXsrfProtection\s*=\s*true", config, re.M)
    assert re.search(r"^maxUploadSize\s*=\s*20", config, re.M)


# ---- The uploaded file's own bytes never go back to a browser ----------------------------------------

def _marked_uploads(marker: str) -> dict[str, tuple[bytes, str]]:
    """A PNG (tEXt and iTXt chunks) and a JPEG (comment and EXIF) of noise, each carrying `marker` in its metadata."""
    import io

    import numpy as np
    from PIL import Image, PngImagePlugin

    pixels = np.random.default_rng(7).integers(0, 256, (90, 120, 3), dtype=np.uint8)
    image = Image.fromarray(pixels)
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", marker)
    info.add_itxt("Description", marker)
    png = io.BytesIO()
    image.save(png, "PNG", pnginfo=info)
    exif = Image.Exif()
    exif[0x010E] = marker  # ImageDescription
    jpeg = io.BytesIO()
    image.save(jpeg, "JPEG", quality=95, comment=marker.encode(), exif=exif)
    return {"png": (png.getvalue(), "image/png"), "jpeg": (jpeg.getvalue(), "image/jpeg")}


@pytest.mark.parametrize("file_format", ["png", "jpeg"])
def test_uploaded_file_bytes_never_reach_the_browser(monkeypatch, file_format):
    """Upload a file whose metadata carries a unique marker, open every page (and the "save as a file"
    experiment in each format), and record everything the app sends: every websocket message
    (ForwardMsgQueue.enqueue) and every file served over HTTP (MediaFileManager.add, images and downloads;
    add_deferred, downloads made on click, are called here as a click would). Neither the marker nor the
    original file may appear in any of it, and every image sent is a fresh encoding of pixels."""
    import io
    import secrets

    from PIL import Image
    from streamlit.runtime.forward_msg_queue import ForwardMsgQueue
    from streamlit.runtime.media_file_manager import MediaFileManager

    from tests.app.helpers import PAGES, new_app, problems

    marker = f"PIXEL-LAB-MARKER-{secrets.token_hex(8)}"
    data, mime = _marked_uploads(marker)[file_format]
    assert marker.encode() in data  # the marker is really in the file (as plain bytes)

    messages: list[bytes] = []
    media: list[tuple[str, bytes]] = []  # (mimetype, data) of images and static downloads
    static_downloads: list[str] = []  # their mimetypes
    deferred: list = []
    add, add_deferred, enqueue = MediaFileManager.add, MediaFileManager.add_deferred, ForwardMsgQueue.enqueue

    def record_add(self, path_or_data, mimetype, coordinates, file_name=None, is_for_static_download=False):
        blob = path_or_data if isinstance(path_or_data, bytes) else Path(path_or_data).read_bytes()
        media.append((mimetype, blob))
        if is_for_static_download:
            static_downloads.append(mimetype)
        return add(self, path_or_data, mimetype, coordinates, file_name, is_for_static_download)

    def record_deferred(self, data_callable, mimetype, coordinates, file_name=None, **kwargs):
        deferred.append((mimetype, data_callable))
        return add_deferred(self, data_callable, mimetype, coordinates, file_name, **kwargs)

    def record_message(self, msg):
        messages.append(msg.SerializeToString())
        return enqueue(self, msg)

    monkeypatch.setattr(MediaFileManager, "add", record_add)
    monkeypatch.setattr(MediaFileManager, "add_deferred", record_deferred)
    monkeypatch.setattr(ForwardMsgQueue, "enqueue", record_message)

    # One learner's session: upload on Home, then every page, as the sidebar menu would switch them.
    app = new_app("app.py", {"img": "upload"}).run()
    app.file_uploader(key="upload_file").upload(f"upload.{file_format}", data, mime)
    app.run()

    def check(where: str) -> None:
        assert not problems(app), (where, problems(app))
        assert any(text.value == f"File: upload.{file_format}" for text in app.text), f"{where} left the upload"

    for page in PAGES:
        app.switch_page(page)
        app.run()
        check(page)
    # The "save as a file" experiment, in each format (the page's download button sends the saved file).
    app.query_params["arrays_op"] = "save"
    app.switch_page("pages/01_arrays.py")
    app.run()
    for save_format in ("png", "jpeg", "webp"):
        app.radio(key="arrays_format").set_value(save_format)
        app.run()
        check(f"arrays, saved as {save_format}")

    downloads = [(mimetype, make()) for mimetype, make in deferred]  # what a click would send
    downloads = [(m, d.read() if hasattr(d, "read") else d) for m, d in downloads]
    downloads = [(m, d.encode() if isinstance(d, str) else bytes(d)) for m, d in downloads]
    blobs = messages + [blob for _, blob in media + downloads]
    # The recording saw the traffic: many messages and pictures, the three saved files, the cut-out PNG.
    assert len(messages) > 50 and len(media) > 20, (len(messages), len(media))
    assert {"image/png", "image/jpeg", "image/webp"} <= set(static_downloads), static_downloads
    assert "image/png" in [m for m, _ in downloads], [m for m, _ in downloads]
    leaks = [index for index, blob in enumerate(blobs) if marker.encode() in blob or data in blob]
    assert not leaks, f"{len(leaks)} of {len(blobs)} messages or files carry the upload's own bytes"

    # Every image file sent (shown or offered for download) decodes, and carries no metadata text of the upload.
    images = [(m, blob) for m, blob in media + downloads if m.startswith("image/")]
    assert images
    for mimetype, blob in images:
        assert blob != data
        with Image.open(io.BytesIO(blob)) as picture:
            picture.load()
            assert marker not in repr(picture.info)
            assert marker not in repr(dict(picture.getexif()))
