"""Unusual and hostile image files, generated in code (no binary files are committed).

Each case is a name, the file bytes, and the expected outcome: either the
shape the decoded image must have (plus a word its notes must contain) or a
phrase the refusal reason must contain.
"""

from __future__ import annotations

import functools
import io
import struct
import zipfile
import zlib
from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image, features


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


@functools.cache
def real_bomb_png(width: int = 8000, height: int = 7000) -> bytes:
    """A genuine grey PNG of `width` × `height` zeros (56 MP by default) that compresses to ~55 KB.

    Built row by row through a streaming compressor, so generating it never holds the
    whole image in memory; cached because it takes a few tenths of a second.
    """
    compressor = zlib.compressobj(9)
    row = b"\0" * (width + 1)  # filter byte 0, then the row's pixels
    rows_per_chunk = max(1, 1_000_000 // len(row))
    parts = []
    for start in range(0, height, rows_per_chunk):
        parts.append(compressor.compress(row * min(rows_per_chunk, height - start)))
    parts.append(compressor.flush())
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header) + _png_chunk(b"IDAT", b"".join(parts))
        + _png_chunk(b"IEND", b"")
    )


def random_bytes(size: int = 4096, seed: int = 1) -> bytes:
    return np.random.default_rng(seed).integers(0, 256, size, dtype=np.uint8).tobytes()


def good_png() -> bytes:
    return pil_bytes(Image.fromarray(photo()), "PNG")


def animated_png(frames: int = 3) -> bytes:
    images = [Image.fromarray(np.full((20, 30, 3), 40 * i, np.uint8)) for i in range(frames)]
    return pil_bytes(images[0], "PNG", save_all=True, append_images=images[1:], duration=100)


def multipage_tiff(pages: int = 3) -> bytes:
    images = [Image.fromarray(np.roll(photo(), 10 * i, axis=1)) for i in range(pages)]
    return pil_bytes(images[0], "TIFF", save_all=True, append_images=images[1:])


def float_tiff() -> bytes:
    return pil_bytes(Image.fromarray(np.linspace(-1, 1, 60 * 80, dtype=np.float32).reshape(60, 80)), "TIFF")


def int32_tiff() -> bytes:
    values = np.arange(60 * 80, dtype=np.int32).reshape(60, 80) * 1000 - 70000
    return pil_bytes(Image.fromarray(values), "TIFF")


def palette_png_with_transparency() -> bytes:
    image = Image.fromarray(photo()).convert("P")
    return pil_bytes(image, "PNG", transparency=0)


def grey_alpha_png() -> bytes:
    grey_alpha = np.dstack([np.full((60, 80), 90, np.uint8), np.tile(np.linspace(0, 255, 80).astype(np.uint8), (60, 1))])
    return pil_bytes(Image.fromarray(grey_alpha, "LA"), "PNG")


def png_with_huge_icc(size: int = 2 * 1024 * 1024) -> bytes:
    """A valid PNG with an iCCP chunk that inflates to `size` bytes (Pillow refuses over 1 MB)."""
    data = good_png()
    iccp = _png_chunk(b"iCCP", b"huge\0\0" + zlib.compress(b"\0" * size, 9))
    return data[:33] + iccp + data[33:]  # right after the 8-byte signature and 25-byte IHDR


def jpeg_with_huge_icc(size: int = 2 * 1024 * 1024) -> bytes:
    """A JPEG whose ICC profile (`size` bytes of zeros) is split over ~33 APP2 segments."""
    return pil_bytes(Image.fromarray(photo()), "JPEG", icc_profile=b"\0" * size)


def exif_text(file_format: str, length: int) -> bytes:
    """An image whose EXIF ImageDescription is `length` characters (JPEG allows at most ~64 KB of EXIF)."""
    image = Image.fromarray(photo())
    exif = image.getexif()
    exif[0x010E] = "A" * length
    return pil_bytes(image, file_format, exif=exif)


def zip_archive() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("readme.txt", "This archive hides after a PNG.\n" * 50)
    return buffer.getvalue()


def gif_cut_after_first_frame() -> bytes:
    """An animated GIF cut one byte into its second frame (Pillow's frame count raised IndexError on it)."""
    data = animated_gif(3)
    second = data.find(b"!\xf9\x04", data.find(b"!\xf9\x04") + 1)
    return data[: second + 1]


def avif_case() -> Case:
    """Loads where Pillow has AVIF support (Pillow 13 wheels do); otherwise a header that is refused."""
    if features.check("avif"):
        return Case("good.avif", pil_bytes(Image.fromarray(photo()), "AVIF"), shape=(60, 80, 3))
    return Case("good.avif", b"\x00\x00\x00\x1cftypavif" + b"\x00" * 64, refusal="AVIF")


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
        # Hostile and unusual files added for the "Bad input" issue.
        Case("random.jpg", random_bytes(), refusal="not an image"),
        Case("truncated.png", good_png()[: len(good_png()) // 2], refusal="truncated"),
        Case("bomb-real.png", real_bomb_png(), refusal="56.0 megapixels"),
        # 12000 × 10000 = 120 MP: Pillow only warns here (89.5-179 MP); Pixel Lab must still refuse.
        Case("bomb-warning-band.png", forged_png(12000, 10000), refusal="megapixels"),
        Case("exif-3.jpg", exif_jpeg(3), shape=(30, 40, 3), note="orientation 3"),
        Case("exif-8.jpg", exif_jpeg(8), shape=(40, 30, 3), note="orientation 8"),
        Case("exif-0.jpg", exif_jpeg(0), shape=(30, 40, 3)),  # invalid value: loaded as stored, no note
        Case("exif-9.jpg", exif_jpeg(9), shape=(30, 40, 3)),  # invalid value: loaded as stored, no note
        Case("float32.tiff", float_tiff(), shape=(60, 80), note="min (-1) and max (1)"),
        Case("int32.tiff", int32_tiff(), shape=(60, 80), note="32-bit integer image scaled"),
        Case("palette-transparent.png", palette_png_with_transparency(), shape=(60, 80, 3), note="transparency"),
        Case("grey-alpha.png", grey_alpha_png(), shape=(60, 80), note="alpha composited"),
        Case("animated.png", animated_png(3), shape=(20, 30, 3), note="3 frames"),
        Case("tall-1x5000.png", pil_bytes(Image.new("L", (1, 5000), 7), "PNG"), shape=(5000, 1)),
        Case("wide-20000x1.png", pil_bytes(Image.new("L", (20000, 1), 7), "PNG"), shape=(1, 20000)),
        avif_case(),
        Case("pages.tiff", multipage_tiff(3), shape=(60, 80, 3), note="3 pages"),
        Case("icc-huge.png", png_with_huge_icc(), refusal="unpacks to more than 1 MB"),
        Case("icc-huge.jpg", jpeg_with_huge_icc(), shape=(60, 80, 3)),
        Case("exif-text-64k.jpg", exif_text("JPEG", 60_000), shape=(60, 80, 3)),
        Case("exif-text-2mb.png", exif_text("PNG", 2 * 1024 * 1024), shape=(60, 80, 3)),
        Case("trailing-garbage.png", good_png() + b"GARBAGE!" * 1000, shape=(60, 80, 3)),
        Case("png-and-zip.png", good_png() + zip_archive(), shape=(60, 80, 3)),
        Case("damaged-frames.gif", gif_cut_after_first_frame(), shape=(20, 30, 3), note="later frames"),
    ]
