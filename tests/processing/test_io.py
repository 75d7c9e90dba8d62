"""Decoding untrusted files: every case loads upright with a stated conversion, or is refused in plain words."""

import re

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image, ImageOps

from processing.io import (
    ImageDecodeError,
    apply_exif_orientation,
    decode_image,
    encode_image,
    sniff_format,
    working_copy,
)
from tests import corpus
from tests.corpus import Case

CASES = corpus.cases()


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_corpus_case_has_its_expected_outcome(case: Case):
    if case.refusal is not None:
        with pytest.raises(ImageDecodeError) as caught:
            decode_image(case.data, name=case.name)
        assert case.refusal.lower() in caught.value.reason.lower()
        # Plain words for a learner: no library internals such as "PngImagePlugin.MAX_TEXT_CHUNK" or "cv2.error".
        assert not re.search(r"Plugin|[A-Z]{3,}_[A-Z]|cv2|Error\b|errno", caught.value.reason), caught.value.reason
        assert caught.value.name == case.name
        assert str(caught.value).startswith(case.name)
        return
    decoded = decode_image(case.data, name=case.name)
    assert decoded.pixels.shape == case.shape
    assert decoded.pixels.dtype == np.uint8
    assert decoded.pixels.flags.c_contiguous
    if case.note is None:
        assert decoded.notes == ()
    else:
        assert any(case.note.lower() in note.lower() for note in decoded.notes), decoded.notes


def test_exif_orientation_6_turns_the_stored_top_left_to_the_top_right():
    decoded = decode_image(corpus.exif_jpeg(6), name="exif.jpg")
    top_right = decoded.pixels[:8, -8:].reshape(-1, 3).mean(axis=0)
    top_left = decoded.pixels[:8, :8].reshape(-1, 3).mean(axis=0)
    assert top_right[0] > 200 and top_right[1] < 60  # red: where a viewer shows it
    assert top_left[0] < 60


@pytest.mark.parametrize("orientation", range(1, 9))
def test_exif_orientation_matches_pillow_exif_transpose(orientation):
    data = corpus.exif_jpeg(orientation)
    reference = np.asarray(ImageOps.exif_transpose(Image.open(__import__("io").BytesIO(data))).convert("RGB"))
    decoded = decode_image(data, name="e.jpg")
    np.testing.assert_array_equal(decoded.pixels, reference)


@given(st.integers(0, 20))
def test_unknown_exif_orientation_leaves_pixels_alone(orientation):
    pixels = np.arange(12).reshape(3, 4)
    if orientation in range(2, 9):
        assert apply_exif_orientation(pixels, orientation).size == 12
    else:
        np.testing.assert_array_equal(apply_exif_orientation(pixels, orientation), pixels)


def test_invalid_exif_orientation_value_loads_as_stored():
    decoded = decode_image(corpus.exif_jpeg(9), name="odd.jpg")
    assert decoded.pixels.shape == (30, 40, 3)
    assert not any("orientation" in note for note in decoded.notes)


def test_16bit_grey_is_scaled_by_its_min_and_max():
    decoded = decode_image(corpus.png_16bit_grey(), name="g16.png")
    # The ramp runs from 1000 to 60000: its ends must become 0 and 255, evenly in between.
    row = decoded.pixels[0].astype(float)
    assert row[0] == 0 and row[-1] == 255
    expected = np.round((np.linspace(1000, 60000, 64).astype(np.uint16).astype(float) - 1000) * 255 / 59000)
    np.testing.assert_array_equal(row, expected)
    assert "min (1000) and max (60000)" in decoded.notes[0]


def test_16bit_rgb_keeps_channel_ratios():
    decoded = decode_image(corpus.png_16bit_rgb(), name="rgb16.png")
    last = decoded.pixels[0, -1].astype(int)
    # One common min and max over all channels, so R:G:B stays 4:2:1.
    assert last[0] == 255 and abs(last[1] - 128) <= 1 and abs(last[2] - 64) <= 1


def test_rgba_is_composited_on_white():
    transparent = Image.new("RGBA", (4, 4), (255, 0, 0, 0))
    decoded = decode_image(corpus.pil_bytes(transparent, "PNG"), name="t.png")
    assert (decoded.pixels == 255).all()
    half = Image.new("RGBA", (4, 4), (0, 0, 0, 128))
    decoded = decode_image(corpus.pil_bytes(half, "PNG"), name="h.png")
    assert abs(int(decoded.pixels[0, 0, 0]) - 127) <= 1


def test_animated_gif_gives_the_first_frame_and_says_how_many():
    decoded = decode_image(corpus.animated_gif(12), name="a.gif")
    assert "12 frames" in decoded.notes[0]
    assert (decoded.pixels == 0).all()  # frame 0 is black; later frames are brighter


def test_cmyk_colours_convert_to_the_expected_rgb():
    decoded = decode_image(corpus.pil_bytes(Image.new("CMYK", (8, 8), (0, 255, 255, 0)), "JPEG"), name="c.jpg")
    red, green, blue = decoded.pixels[4, 4].astype(int)
    assert red > 200 and green < 50 and blue < 50  # no cyan, full magenta and yellow: red


def test_large_jpeg_can_be_drafted_at_reduced_size():
    big = np.zeros((2000, 3000, 3), np.uint8)
    data = encode_image(big, file_format="jpeg")
    full = decode_image(data, name="big.jpg")
    drafted = decode_image(data, name="big.jpg", draft_pixels=1_000_000)
    assert full.pixels.shape == (2000, 3000, 3)
    assert drafted.pixels.shape == (1000, 1500, 3)
    assert any("reduced size" in note for note in drafted.notes)


def test_pixel_limits_are_checked_from_the_header():
    data = corpus.forged_png(4000, 4000)
    with pytest.raises(ImageDecodeError, match="16.0 megapixels"):
        decode_image(data, name="x.png", max_pixels=10_000_000)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"\x89PNG\r\n\x1a\n....", "PNG"),
        (b"\xff\xd8\xff\xe0", "JPEG"),
        (b"GIF89a", "GIF"),
        (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "WebP"),
        (b"II*\x00", "TIFF"),
        (b"\x00\x00\x00\x1cftypavif", "AVIF"),
        (b"  <svg xmlns=", "SVG"),
        (b"%PDF-1.7", "PDF"),
        (b"hello", None),
    ],
)
def test_sniff_format(data, expected):
    assert sniff_format(data) == expected


def test_working_copy_keeps_small_images_and_shrinks_large_ones():
    small = np.zeros((100, 100), np.uint8)
    same, scale = working_copy(small, max_pixels=20_000)
    assert same is small and scale == 1.0
    large = np.zeros((1080, 1920, 3), np.uint8)
    shrunk, scale = working_copy(large, max_pixels=500_000)
    assert shrunk.shape[0] * shrunk.shape[1] <= 500_000
    assert shrunk.shape[2] == 3
    assert abs(shrunk.shape[1] / shrunk.shape[0] - 1920 / 1080) < 0.01
    assert 0 < scale < 1


def test_working_copy_averages_like_area_interpolation():
    # A 2x2 checker of 0 and 200 shrunk to one pixel must average to 100 (no aliasing).
    checker = np.array([[0, 200], [200, 0]], np.uint8)
    shrunk, _ = working_copy(checker, max_pixels=1)
    assert shrunk.shape == (1, 1) and shrunk[0, 0] == 100


@given(
    st.integers(1, 40), st.integers(1, 40), st.sampled_from([None, 3]), st.sampled_from(["png", "jpeg", "webp"])
)
def test_encode_then_decode_round_trip_keeps_shape(height, width, channels, file_format):
    shape = (height, width) if channels is None else (height, width, channels)
    pixels = np.random.default_rng(0).integers(0, 256, shape, dtype=np.uint8)
    decoded = decode_image(encode_image(pixels, file_format=file_format), name="r")
    if file_format == "webp":
        shape = (height, width, 3)  # WebP has no grey mode: grey is stored as RGB
    assert decoded.pixels.shape == shape
    if file_format == "png":
        np.testing.assert_array_equal(decoded.pixels, pixels)


def test_encode_rejects_bad_arguments():
    with pytest.raises(ValueError, match="file_format"):
        encode_image(np.zeros((2, 2), np.uint8), file_format="gif")
    with pytest.raises(ValueError, match="jpeg_quality"):
        encode_image(np.zeros((2, 2), np.uint8), file_format="jpeg", jpeg_quality=0)
    with pytest.raises(ValueError, match="image"):
        encode_image(np.zeros((2, 2), np.float32))


# --- Memory and time per corpus case, measured in separate processes ---------------------------

_MEASURE_DRIVER = r'''
import json, multiprocessing, resource, sys, time
from processing.io import ImageDecodeError, decode_image
from tests import corpus

def child(case, queue):
    try:
        with open("/proc/self/clear_refs", "w") as handle:
            handle.write("5")  # reset the peak-RSS mark to the current RSS (Linux)
    except OSError:
        pass
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KB on Linux
    start = time.perf_counter()
    try:
        decoded = decode_image(case.data, name=case.name)
        outcome = "loaded %s" % "x".join(map(str, decoded.pixels.shape))
    except ImageDecodeError:
        outcome = "refused"
    except BaseException as exc:  # reported, and the test fails on it
        outcome = "CRASH %s: %s" % (type(exc).__name__, exc)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    queue.put({"name": case.name, "outcome": outcome, "extra_kb": after - before, "seconds": elapsed})

context = multiprocessing.get_context("fork")
results = []
for case in corpus.cases():
    queue = context.Queue()
    process = context.Process(target=child, args=(case, queue))
    process.start()
    try:
        results.append(queue.get(timeout=30))
    except Exception:
        results.append({"name": case.name, "outcome": "NO RESULT (timeout or crash)", "extra_kb": -1, "seconds": 30.0})
    process.join(5)
    if process.is_alive():
        process.kill()
        process.join()
print(json.dumps(results))
'''


def test_every_corpus_case_decodes_within_memory_and_time_limits():
    """Each case is decoded in its own forked process; its peak RSS growth and wall time are bounded."""
    import json
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(root), os.environ.get("PYTHONPATH")])))
    run = subprocess.run(
        [sys.executable, "-W", "ignore", "-c", _MEASURE_DRIVER],
        cwd=root, env=env, capture_output=True, text=True, timeout=300, check=False,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    results = json.loads(run.stdout.strip().splitlines()[-1])
    assert [r["name"] for r in results] == [case.name for case in CASES]
    print(f"\n{'case':28s} {'outcome':22s} {'peak extra MB':>13s} {'ms':>8s}")
    for r in results:
        print(f"{r['name']:28s} {r['outcome']:22s} {r['extra_kb'] / 1024:13.1f} {r['seconds'] * 1000:8.1f}")
    for case, r in zip(CASES, results):
        expected = "refused" if case.refusal is not None else "loaded " + "x".join(map(str, case.shape))
        assert r["outcome"] == expected, r
        assert 0 <= r["extra_kb"] < 500 * 1024, r
        assert r["seconds"] < 5.0, r
