"""Bounded fuzzing of the decoder: mutated PNG/JPEG/GIF/TIFF bytes give an image or a clean refusal, nothing else."""

import functools

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from processing.io import DecodedImage, ImageDecodeError, decode_image
from tests import corpus


@functools.cache
def seeds() -> tuple[bytes, ...]:
    """Small valid files in each format the fuzzer starts from."""
    rgb = Image.fromarray(corpus.photo(12, 16))
    grey = Image.fromarray(corpus.photo(12, 16)[..., 1])
    return (
        corpus.pil_bytes(rgb, "PNG"),
        corpus.pil_bytes(grey, "PNG"),
        corpus.pil_bytes(rgb.convert("P"), "PNG", transparency=0),
        corpus.pil_bytes(rgb, "JPEG", quality=80),
        corpus.pil_bytes(grey, "JPEG", progressive=True),
        corpus.animated_gif(3),
        corpus.pil_bytes(rgb, "TIFF"),
        corpus.pil_bytes(rgb, "TIFF", compression="tiff_deflate"),
        corpus.float_tiff(),
    )


@st.composite
def mutated_files(draw) -> bytes:
    data = bytearray(draw(st.sampled_from(seeds())))
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["flip", "set", "truncate", "splice", "duplicate", "delete"]))
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        if kind == "flip":
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif kind == "set":
            data[at] = draw(st.sampled_from([0x00, 0xFF, 0x7F, 0x80, draw(st.integers(0, 255))]))
        elif kind == "truncate":
            del data[at:]
        elif kind == "splice":
            data[at:at] = draw(st.binary(min_size=1, max_size=32))
        elif kind == "duplicate":
            end = min(len(data), at + draw(st.integers(1, 64)))
            data[at:at] = data[at:end]
        else:
            del data[at : at + draw(st.integers(1, 16))]
    return bytes(data)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None)
@given(mutated_files())
def test_mutated_files_load_or_are_refused_cleanly(data):
    try:
        decoded = decode_image(data, name="fuzz.bin")
    except ImageDecodeError as exc:
        assert exc.name == "fuzz.bin" and exc.reason
        return
    assert isinstance(decoded, DecodedImage)
    pixels = decoded.pixels
    assert isinstance(pixels, np.ndarray) and pixels.dtype == np.uint8
    assert pixels.ndim == 2 or (pixels.ndim == 3 and pixels.shape[2] == 3), pixels.shape
    assert pixels.size > 0


def test_gif_damaged_after_its_first_frame_shows_the_first_frame():
    # Found by this fuzzer: counting frames raised IndexError out of decode_image.
    decoded = decode_image(corpus.gif_cut_after_first_frame(), name="cut.gif")
    assert decoded.pixels.shape == (20, 30, 3) and (decoded.pixels == 0).all()
    assert any("later frames" in note for note in decoded.notes)


def test_tiff_with_a_broken_second_page_is_an_image_or_a_clean_refusal():
    data = bytearray(corpus.multipage_tiff(3))
    # Point the first page's "next IFD" offset past the end of the file.
    first_ifd = int.from_bytes(data[4:8], "little")
    entries = int.from_bytes(data[first_ifd : first_ifd + 2], "little")
    next_at = first_ifd + 2 + 12 * entries
    data[next_at : next_at + 4] = (len(data) + 1000).to_bytes(4, "little")
    try:
        decoded = decode_image(bytes(data), name="pages.tiff")
    except ImageDecodeError as exc:
        assert exc.reason
    else:
        assert decoded.pixels.shape == (60, 80, 3)
