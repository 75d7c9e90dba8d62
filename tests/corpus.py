"""Unusual and hostile image files, generated in code (no binary files are committed).

Each case is a name, the file bytes, and the expected outcome: either the
shape the decoded image must have (plus a word its notes must contain) or a
phrase the refusal reason must contain.
"""

from __future__ import annotations

import io
import struct
import zlib
from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image


@dataclass(frozen=True)
class Case:
    name: str
    data: bytes
    shape: tuple[int, ...] | None = None  # expected decoded shape; None means refused
    note: str | None = None  # a phrase the decode notes must contain
    refusal: str | None = None  # a phrase the refusal reason must contain


def _png_chunk(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload) & 0xFFFFFFFF)


def forged_png(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims `width` × `height` grey pixels."""
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header) + _png_chunk(b"IDAT", zlib.compress(b"\0" * 1024))
        + _png_chunk(b"IEND", b"")
    )


def forged_jpeg(width: int, height: int) -> bytes:
    """A small real JPEG whose SOF header is rewritten to claim `width` × `height`."""
    data = bytearray(pil_bytes(Image.new("L", (16, 16), 128), "JPEG"))
    marker = data.find(b"\xff\xc0")
    data[marker + 5 : marker + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def pil_bytes(image: Image.Image, file_format: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, file_format, **options)
    return buffer.getvalue()


def photo(height: int = 60, width: int = 80) -> np.ndarray:
    """A smooth RGB test picture with a different colour in each corner."""
    rows, cols = np.mgrid[0:height, 0:width]
    red = 255 * cols / max(width - 1, 1)
    green = 255 * rows / max(height - 1, 1)
    blue = 255 - red
    return np.stack([red, green, blue], axis=2).round().astype(np.uint8)


def exif_jpeg(orientation: int, height: int = 30, width: int = 40) -> bytes:
    """A JPEG stored `height` × `width` with EXIF orientation `orientation`; top-left pixel is red."""
    pixels = np.zeros((height, width, 3), np.uint8)
    pixels[:10, :10] = (255, 0, 0)
    image = Image.fromarray(pixels)
    exif = image.getexif()
    exif[0x0112] = orientation
    return pil_bytes(image, "JPEG", exif=exif, quality=95)


def animated_gif(frames: int = 12) -> bytes:
    images = [Image.fromarray(np.full((20, 30), 20 * i, np.uint8)).convert("P") for i in range(frames)]
    return pil_bytes(images[0], "GIF", save_all=True, append_images=images[1:], duration=100)


def png_16bit_grey() -> bytes:
    ramp = np.tile(np.linspace(1000, 60000, 64).astype(np.uint16), (16, 1))
    return cv2.imencode(".png", ramp)[1].tobytes()


def png_16bit_rgb() -> bytes:
    """Red runs 0-65535, green half of that, blue a quarter (written in OpenCV's BGR order)."""
    ramp = np.tile(np.linspace(0, 65535, 64).astype(np.uint16), (16, 1))
    return cv2.imencode(".png", np.stack([ramp // 4, ramp // 2, ramp], axis=2))[1].tobytes()


def cases() -> list[Case]:
    """The corpus. The first nine are the foundation issue's list."""
    good_jpeg = cv2.imencode(".jpg", cv2.cvtColor(photo(120, 160), cv2.COLOR_RGB2BGR))[1].tobytes()
    return [
        Case("empty.png", b"", refusal="empty"),
        Case("notes.png", b"This is a text file, not a picture.\n", refusal="not an image"),
        Case("truncated.jpg", good_jpeg[: len(good_jpeg) // 2], refusal="truncated"),
        Case("grey16.png", png_16bit_grey(), shape=(16, 64), note="16-bit"),
        Case("cmyk.jpg", pil_bytes(Image.new("CMYK", (40, 30), (0, 255, 255, 0)), "JPEG"), shape=(30, 40, 3),
             note="CMYK"),
        Case("bomb-header.png", forged_png(30000, 30000), refusal="pixels"),
        Case("rgba.png", pil_bytes(Image.fromarray(np.dstack([photo(), np.full((60, 80), 128, np.uint8)])), "PNG"),
             shape=(60, 80, 3), note="alpha"),
        Case("animated.gif", animated_gif(12), shape=(20, 30, 3), note="first frame"),
        Case("exif-6.jpg", exif_jpeg(6), shape=(40, 30, 3), note="orientation 6"),
        Case("rgb16.png", png_16bit_rgb(), shape=(16, 64, 3), note="16-bit"),
        Case("bomb-header.jpg", forged_jpeg(30000, 30000), refusal="pixels"),
        Case("too-wide.png", forged_png(30000, 10), refusal="pixels a side"),
        Case("drawing.svg.png", b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"></svg>', refusal="SVG"),
        Case("photo.heic", b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 64, refusal="HEIC"),
        Case("one-bit.png", pil_bytes(Image.fromarray(np.eye(8, dtype=bool)), "PNG"), shape=(8, 8), note="1-bit"),
        Case("pixel.png", pil_bytes(Image.new("RGB", (1, 1), (10, 20, 30)), "PNG"), shape=(1, 1, 3)),
        Case("good.jpg", good_jpeg, shape=(120, 160, 3)),
        Case("good.bmp", pil_bytes(Image.fromarray(photo()), "BMP"), shape=(60, 80, 3)),
        Case("good.webp", pil_bytes(Image.fromarray(photo()), "WEBP", lossless=True), shape=(60, 80, 3)),
        Case("good.tiff", pil_bytes(Image.fromarray(photo()), "TIFF"), shape=(60, 80, 3)),
    ]
