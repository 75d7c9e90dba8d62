"""Uploads through the sidebar: good files replace the image, bad ones leave a message and keep the previous image."""

import pytest

from tests import corpus
from tests.app.helpers import new_app, problems

CASES = corpus.cases()


def upload(app, name, data):
    app.file_uploader(key="upload_file").upload(name, data, "application/octet-stream")
    return app.run()


def size_line(app):
    return next(m.value for m in app.markdown if "**Size:**" in m.value)


def fresh_upload_app():
    app = new_app("app.py", {"img": "upload"}).run()
    assert any("No image uploaded yet" in i.value for i in app.info)
    return upload(app, "first.png", corpus.pil_bytes(corpus.Image.fromarray(corpus.photo(50, 70)), "PNG"))


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_corpus_file_through_the_uploader(case):
    app = fresh_upload_app()
    assert "70 × 50" in size_line(app)
    app = upload(app, case.name, case.data)
    assert not app.exception, [e.message for e in app.exception]
    if case.refusal is not None:
        errors = [e.value for e in app.error]
        assert errors and case.refusal.lower() in errors[0].lower()
        assert "previous image stays" in errors[0]
        assert any(t.value == f"File: {case.name}" for t in app.text)  # the name, as plain text
        assert "70 × 50" in size_line(app)  # the previous image is still the one in use
    else:
        assert not problems(app), problems(app)
        height, width = case.shape[:2]
        assert f"{width} × {height}" in size_line(app)
        if case.note:
            assert any(case.note.lower() in i.value.lower() for i in app.info), [i.value for i in app.info]


def test_upload_persists_across_pages_and_settings_survive_a_bad_file():
    app = fresh_upload_app()
    app.switch_page("pages/01_arrays.py").run()
    app.segmented_control(key="arrays_op").set_value("levels").run()
    app.select_slider(key="arrays_levels").set_value(8).run()
    assert app.metric[0].value == "(50, 70, 3)"
    app = upload(app, "broken.jpg", b"\xff\xd8\xff\xe0 not really")
    assert app.error and not app.exception
    assert app.metric[0].value == "(50, 70, 3)"
    assert app.select_slider(key="arrays_levels").value == 8
    assert app.segmented_control(key="arrays_op").value == "levels"


def test_file_name_is_never_rendered_as_markdown():
    app = new_app("app.py", {"img": "upload"}).run()
    name = "[click me](https://example.invalid) ![x](https://example.invalid/x.png).png"
    app = upload(app, name, b"not an image")
    assert any(t.value == f"File: {name}" for t in app.text)
    rendered = " ".join(m.value for m in app.markdown) + " ".join(e.value for e in app.error)
    assert "example.invalid" not in rendered


def test_camera_photo_is_used_like_an_upload():
    app = new_app("app.py", {"img": "upload"}).run()
    app.toggle(key="use_camera").set_value(True).run()
    jpeg = corpus.pil_bytes(corpus.Image.fromarray(corpus.photo(48, 64)), "JPEG")
    app.camera_input(key="camera_shot").upload("photo.jpg", jpeg)
    app.run()
    assert not problems(app)
    assert "64 × 48" in size_line(app)


def test_a_refused_file_is_hashed_once_and_its_message_stays_on_later_reruns(monkeypatch):
    import hashlib

    from ui import source

    app = fresh_upload_app()
    calls = []
    real_sha256 = hashlib.sha256
    monkeypatch.setattr(source.hashlib, "sha256", lambda data: calls.append(1) or real_sha256(data))
    app = upload(app, "broken.jpg", b"\xff\xd8\xff\xe0 not really")
    app.toggle(key="hist_log").set_value(True).run()  # an unrelated rerun
    app.run()
    assert len(calls) == 1
    assert app.error and "previous image stays" in app.error[0].value
    assert "70 × 50" in size_line(app)
