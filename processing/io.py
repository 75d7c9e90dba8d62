"""Reading image files safely and making the working copy.

Every decoded image comes out as grey ``uint8`` ``(H, W)`` or RGB ``uint8``
``(H, W, 3)``, upright according to its EXIF orientation, together with the
list of conversions that were made, in plain words, so a page can say what
happened to the file.

Files are untrusted. The pixel count is checked from the header before any
pixel is decoded (OpenCV would decode a forged 30000 x 30000 header into
gigabytes of grey), and every way a decoder can fail ends in one exception
type, `ImageDecodeError`, whose message names the file and the reason.
"""

from __future__ import annotations

import io
import math
import struct
from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image, UnidentifiedImageError

from processing._checks import check_image, check_int

#: Largest image Pixel Lab decodes: 50 megapixels (a 12 MP phone photo is far below).
MAX_PIXELS = 50_000_000
#: Longest side Pixel Lab decodes, in pixels.
MAX_SIDE = 25_000
#: Size of the working copy lessons interact with: about 2 megapixels, so a 1080p
#: frame (2.07 MP) is kept whole and larger photos are shrunk.
WORKING_PIXELS = 2_100_000

FORMATS_READ = ("PNG", "JPEG", "BMP", "TIFF", "WebP", "GIF")

# Signatures of files people upload by mistake, checked before any decoder runs.
_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"BM", "BMP"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
)
# What Pillow's plugins raise on malformed data once a file has opened (found by fuzzing:
# GIF and TIFF frame counting raise IndexError, KeyError, TypeError and struct.error).
_DAMAGED_FILE_ERRORS = (OSError, ValueError, SyntaxError, struct.error, IndexError, KeyError, TypeError, EOFError)
_EXIF_ORIENTATION_TAG = 0x0112
_ORIENTATION_WORDS = {
    2: "mirrored left to right",
    3: "rotated 180°",
    4: "mirrored top to bottom",
    5: "mirrored along its diagonal",
    6: "rotated 90° clockwise",
    7: "mirrored along its anti-diagonal",
    8: "rotated 90° counter-clockwise",
}


class ImageDecodeError(ValueError):
    """A file could not be turned into an image.

    Attributes
    ----------
    name : str
        The file name as the user gave it (untrusted text: show it as plain text).
    reason : str
        What went wrong, in plain words, written by Pixel Lab (safe to show).
    """

    def __init__(self, name: str, reason: str) -> None:
        super().__init__(f"{name}: {reason}")
        self.name = name
        self.reason = reason


@dataclass(frozen=True)
class DecodedImage:
    """An image read from a file.

    Attributes
    ----------
    pixels : ndarray
        uint8, shape ``(H, W)`` (grey) or ``(H, W, 3)`` (RGB), upright.
    file_format : str
        The format the decoder recognised, e.g. ``"PNG"``.
    file_size : tuple of int
        ``(width, height)`` as stored in the file, before orientation.
    notes : tuple of str
        Every conversion made, in plain words (empty when none was needed).
    """

    pixels: np.ndarray
    file_format: str
    file_size: tuple[int, int]
    notes: tuple[str, ...]


def sniff_format(data: bytes) -> str | None:
    """Name the image format from the first bytes of a file.

    Parameters
    ----------
    data : bytes
        The file's content.

    Returns
    -------
    str or None
        One of ``PNG, JPEG, GIF, BMP, TIFF, WebP``; ``SVG``, ``HEIC``, ``AVIF``,
        ``PDF`` or ``ZIP`` for formats people upload by mistake; ``None`` if
        the bytes match nothing known.
    """
    for magic, name in _MAGIC:
        if data.startswith(magic):
            return name
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WebP"
    if data[4:8] == b"ftyp":
        brand = data[8:12]
        if brand in (b"avif", b"avis"):
            return "AVIF"
        if brand in (b"heic", b"heix", b"hevc", b"hevx", b"mif1", b"msf1", b"heim", b"heis"):
            return "HEIC"
    if data.startswith(b"%PDF"):
        return "PDF"
    if data.startswith(b"PK\x03\x04"):
        return "ZIP"
    head = data[:1024].lstrip().lower()
    if head.startswith(b"<svg") or (head.startswith(b"<?xml") and b"<svg" in head):
        return "SVG"
    return None


def _refusal_for(sniffed: str | None) -> str | None:
    """Plain-words reason for formats that Pixel Lab recognises but cannot read."""
    readable = ", ".join(FORMATS_READ)
    if sniffed is None:
        return f"this is not an image file Pixel Lab can read (it reads {readable})."
    if sniffed == "SVG":
        return f"SVG is a vector drawing, not pixels; export it as PNG first (Pixel Lab reads {readable})."
    if sniffed == "HEIC":
        return (
            "HEIC (the iPhone photo format) cannot be read here; export the photo as JPEG "
            "(on iPhone: Settings › Camera › Formats › Most Compatible)."
        )
    if sniffed == "PDF":
        return "this is a PDF document, not an image; export the page as PNG first."
    if sniffed == "ZIP":
        return "this is a ZIP archive, not an image; unpack it and upload one picture."
    return None


def _png_bit_depth(data: bytes) -> int:
    """Bit depth stored in a PNG's IHDR chunk (Pillow hides 16-bit RGB)."""
    if len(data) >= 25 and data[12:16] == b"IHDR":
        return data[24]
    return 8


def _is_16bit_colour(pil_image: Image.Image, data: bytes, file_format: str) -> bool:
    """True for 16-bit RGB(A) files, which Pillow silently opens as 8-bit RGB."""
    if pil_image.mode not in ("RGB", "RGBA"):
        return False
    if file_format == "PNG":
        return _png_bit_depth(data) == 16
    if file_format == "TIFF":
        bits = pil_image.tag_v2.get(258, (8,))
        bits = bits if isinstance(bits, tuple) else (bits,)
        return any(b == 16 for b in bits)
    return False


def apply_exif_orientation(pixels: np.ndarray, orientation: int) -> np.ndarray:
    """Turn pixels stored with EXIF `orientation` upright.

    Parameters
    ----------
    pixels : ndarray
        Any dtype, shape ``(H, W)`` or ``(H, W, C)``, as stored in the file.
    orientation : int
        EXIF orientation tag, 1 to 8. Other values are treated as 1 (upright),
        as viewers do.

    Returns
    -------
    ndarray
        A view of `pixels`, rotated and/or mirrored; shape ``(W, H, ...)``
        for orientations 5 to 8.
    """
    if orientation == 2:
        return pixels[:, ::-1]
    if orientation == 3:
        return pixels[::-1, ::-1]
    if orientation == 4:
        return pixels[::-1, :]
    if orientation == 5:
        return pixels.swapaxes(0, 1)
    if orientation == 6:
        return np.rot90(pixels, k=-1)
    if orientation == 7:
        return pixels[::-1, ::-1].swapaxes(0, 1)
    if orientation == 8:
        return np.rot90(pixels, k=1)
    return pixels


def _scale_to_uint8(values: np.ndarray, label: str) -> tuple[np.ndarray, str]:
    """Map an integer or float array onto 0-255 using its own min and max."""
    values = values.astype(np.float64)
    finite = np.isfinite(values)
    if not finite.all():
        values = np.where(finite, values, np.nan)
    low = float(np.nanmin(values)) if finite.any() else 0.0
    high = float(np.nanmax(values)) if finite.any() else 0.0
    values = np.nan_to_num(values, nan=low)
    if high == low:
        scaled = np.zeros(values.shape, np.uint8)
        return scaled, f"{label} holds a single value ({low:g}); shown as black."
    scaled = np.round((values - low) * (255.0 / (high - low))).astype(np.uint8)
    return scaled, f"{label} scaled to 8-bit using its min ({low:g}) and max ({high:g})."


def _composite_on_white(rgba: np.ndarray) -> np.ndarray:
    """Blend an RGBA or grey+alpha uint8/float array over white; returns uint8 colour."""
    colour = rgba[..., :-1].astype(np.float32)
    alpha = rgba[..., -1:].astype(np.float32) / 255.0
    out = colour * alpha + 255.0 * (1.0 - alpha)
    return np.clip(np.round(out), 0, 255).astype(np.uint8)


def _pixels_from_pil(pil_image: Image.Image, notes: list[str]) -> np.ndarray:
    """Convert any Pillow mode to grey or RGB uint8, recording each conversion."""
    mode = pil_image.mode
    if mode == "L":
        return np.asarray(pil_image)
    if mode == "RGB":
        return np.asarray(pil_image)
    if mode == "1":
        notes.append("1-bit black-and-white image converted to grey 0/255.")
        return np.asarray(pil_image.convert("L"))
    if mode == "P":
        has_alpha = "transparency" in pil_image.info or pil_image.palette.mode == "RGBA"
        if has_alpha:
            notes.append("Palette image with transparency: colours looked up, alpha composited on white.")
            return _composite_on_white(np.asarray(pil_image.convert("RGBA")))
        notes.append("Palette image: colour indices looked up in its palette to give RGB.")
        return np.asarray(pil_image.convert("RGB"))
    if mode in ("LA", "La", "PA"):
        notes.append("Grey image with an alpha channel: alpha composited on white.")
        return _composite_on_white(np.asarray(pil_image.convert("LA")))[..., 0]
    if mode in ("RGBA", "RGBa"):
        notes.append("Alpha (transparency) composited on white.")
        return _composite_on_white(np.asarray(pil_image.convert("RGBA")))
    if mode == "CMYK":
        notes.append("CMYK (print colours) converted to RGB.")
        return np.asarray(pil_image.convert("RGB"))
    if mode.startswith("I;16") or mode == "I":
        label = "16-bit image" if mode.startswith("I;16") else "32-bit integer image"
        scaled, note = _scale_to_uint8(np.asarray(pil_image), label)
        notes.append(note)
        return scaled
    if mode == "F":
        scaled, note = _scale_to_uint8(np.asarray(pil_image), "Floating-point image")
        notes.append(note)
        return scaled
    notes.append(f"{mode} colours converted to RGB.")
    return np.asarray(pil_image.convert("RGB"))


def _pixels_16bit_colour(data: bytes, notes: list[str]) -> np.ndarray:
    """Decode 16-bit RGB(A) with OpenCV, which keeps all 16 bits (Pillow does not)."""
    decoded = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_UNCHANGED)
    if decoded is None or decoded.ndim != 3:
        raise ValueError("OpenCV could not decode the 16-bit colour data")
    if decoded.shape[2] == 4:
        rgba = cv2.cvtColor(decoded, cv2.COLOR_BGRA2RGBA).astype(np.float64)
        colour, note = _scale_to_uint8(rgba[..., :3], "16-bit colour image")
        alpha = np.round(rgba[..., 3:] / 257.0)
        notes.append(note)
        notes.append("Alpha (transparency) composited on white.")
        return _composite_on_white(np.concatenate([colour, alpha], axis=2))
    colour, note = _scale_to_uint8(cv2.cvtColor(decoded, cv2.COLOR_BGR2RGB), "16-bit colour image")
    notes.append(note)
    return colour


def decode_image(
    data: bytes,
    *,
    name: str = "image",
    max_pixels: int = MAX_PIXELS,
    max_side: int = MAX_SIDE,
    draft_pixels: int | None = None,
) -> DecodedImage:
    """Decode an untrusted image file into upright grey or RGB uint8 pixels.

    Parameters
    ----------
    data : bytes
        The file's content.
    name : str
        The file name, used only in error messages.
    max_pixels : int
        Refuse images with more pixels than this, judged from the header
        before decoding.
    max_side : int
        Refuse images whose width or height exceeds this.
    draft_pixels : int, optional
        If given, a JPEG may be decoded at 1/2, 1/4 or 1/8 scale as long as
        the result keeps at least this many pixels (much faster and lighter
        for a large photo that will be downscaled anyway).

    Returns
    -------
    DecodedImage
        ``pixels`` is uint8 ``(H, W)`` or ``(H, W, 3)``, values 0-255.

    Raises
    ------
    ImageDecodeError
        For every file that cannot be read, with the reason in plain words.
    """
    if len(data) == 0:
        raise ImageDecodeError(name, "the file is empty (0 bytes).")
    sniffed = sniff_format(data)
    refusal = _refusal_for(sniffed)
    if refusal is not None:
        raise ImageDecodeError(name, refusal)
    try:
        pil_image = Image.open(io.BytesIO(data))
    except Image.DecompressionBombError:
        raise ImageDecodeError(name, _too_large_reason(None, max_pixels)) from None
    except Image.DecompressionBombWarning:  # only raised when warnings are errors
        raise ImageDecodeError(name, _too_large_reason(None, max_pixels)) from None
    except UnidentifiedImageError:
        if sniffed == "AVIF":
            raise ImageDecodeError(name, "AVIF images cannot be read on this server; export as PNG or JPEG.") from None
        raise ImageDecodeError(name, f"the file looks like {sniffed} but its header is damaged.") from None
    except _DAMAGED_FILE_ERRORS as exc:
        reason = _damage_reason(exc, "the file could not be opened: its header is damaged.")
        raise ImageDecodeError(name, reason) from None

    width, height = pil_image.size
    if width < 1 or height < 1:
        raise ImageDecodeError(name, f"the header says {width} × {height} pixels, which is empty.")
    if width > max_side or height > max_side or width * height > max_pixels:
        raise ImageDecodeError(name, _too_large_reason((width, height), max_pixels, max_side))

    notes: list[str] = []
    try:
        # Counting frames walks the whole file (GIF, TIFF, APNG); a damaged later frame
        # raises whatever the plugin hits (IndexError, KeyError, TypeError, struct.error...).
        frames = getattr(pil_image, "n_frames", 1)
    except _DAMAGED_FILE_ERRORS:
        # The failed walk may leave the image on another frame: reopen (it opened before).
        pil_image = Image.open(io.BytesIO(data))
        frames = 1
        notes.append("The file's later frames or pages are damaged; only the first is shown.")
    if frames > 1:
        kind = "page" if pil_image.format == "TIFF" else "frame"
        notes.append(f"The file holds {frames} {kind}s; the first {kind} is shown.")
    file_format = pil_image.format or sniffed or "image"
    try:
        orientation = int(pil_image.getexif().get(_EXIF_ORIENTATION_TAG, 1))
    except _DAMAGED_FILE_ERRORS:
        orientation = 1  # unreadable EXIF is ignored, as image viewers do
    try:
        if _is_16bit_colour(pil_image, data, file_format):
            pixels = _pixels_16bit_colour(data, notes)
        else:
            if draft_pixels is not None and file_format == "JPEG":
                _draft_jpeg(pil_image, draft_pixels)
            pil_image.load()
            pixels = _pixels_from_pil(pil_image, notes)
    except MemoryError:
        raise ImageDecodeError(name, "the image is too large to decode on this server.") from None
    except (*_DAMAGED_FILE_ERRORS, cv2.error) as exc:
        raise ImageDecodeError(name, _damage_reason(exc, "the file is truncated or damaged.")) from None
    if pil_image.size != (width, height):
        notes.append(
            f"Large JPEG decoded at reduced size ({pil_image.size[0]} × {pil_image.size[1]}) "
            "because only the working copy is needed."
        )
    if orientation in _ORIENTATION_WORDS:
        pixels = apply_exif_orientation(pixels, orientation)
        notes.append(f"Turned upright using its EXIF orientation {orientation} ({_ORIENTATION_WORDS[orientation]}).")
    pixels = np.ascontiguousarray(pixels, dtype=np.uint8)
    return DecodedImage(pixels=pixels, file_format=file_format, file_size=(width, height), notes=tuple(notes))


def _draft_jpeg(pil_image: Image.Image, draft_pixels: int) -> None:
    """Ask the JPEG decoder for the smallest 1/2^k scale that keeps `draft_pixels`."""
    width, height = pil_image.size
    scale = 1
    while scale < 8 and (width // (scale * 2)) * (height // (scale * 2)) >= draft_pixels:
        scale *= 2
    if scale > 1:
        pil_image.draft(pil_image.mode, (math.ceil(width / scale), math.ceil(height / scale)))


def _too_large_reason(size: tuple[int, int] | None, max_pixels: int, max_side: int = MAX_SIDE) -> str:
    limit = f"Pixel Lab reads up to {max_pixels / 1e6:g} megapixels and {max_side:,} pixels a side"
    if size is None:
        return f"its header claims far too many pixels (a decompression bomb?). {limit}."
    width, height = size
    return f"its header says {width:,} × {height:,} pixels ({width * height / 1e6:,.1f} megapixels). {limit}."


def _damage_reason(exc: BaseException, general: str) -> str:
    """A plain-words reason for a decoder's exception (the library's own words name its internals)."""
    if "Decompressed data too large" in str(exc):  # Pillow's guard on PNG text and colour-profile chunks
        return (
            "a block of metadata in it (a colour profile or text) unpacks to more than 1 MB, far more than "
            "a real image needs. Save the picture again without its metadata."
        )
    return general


def working_copy(image: np.ndarray, *, max_pixels: int = WORKING_PIXELS) -> tuple[np.ndarray, float]:
    """Downscale an image to at most `max_pixels` pixels for interaction.

    Parameters
    ----------
    image : ndarray
        uint8, ``(H, W)`` or ``(H, W, 3)``.
    max_pixels : int
        Pixel budget of the working copy, at least 1.

    Returns
    -------
    copy : ndarray
        uint8, same number of channels; `image` itself if it already fits.
    scale : float
        Linear factor applied (1.0 when unchanged, < 1 when shrunk).

    Notes
    -----
    Shrinking uses area interpolation, which averages the pixels that fall
    into each output pixel and so avoids aliasing (moiré).
    """
    check_image(image)
    max_pixels = check_int(max_pixels, name="max_pixels", low=1)
    height, width = image.shape[:2]
    if height * width <= max_pixels:
        return image, 1.0
    scale = math.sqrt(max_pixels / (height * width))
    new_width = max(1, int(width * scale))
    new_height = max(1, int(height * scale))
    shrunk = cv2.resize(image, (new_width, new_height), interpolation=cv2.INTER_AREA)
    return shrunk, new_width / width


def encode_image(image: np.ndarray, *, file_format: str = "png", jpeg_quality: int = 90) -> bytes:
    """Encode grey or RGB uint8 pixels as PNG, JPEG or WebP bytes.

    Parameters
    ----------
    image : ndarray
        uint8, ``(H, W)``, ``(H, W, 3)`` (RGB) or ``(H, W, 4)`` (RGBA).
    file_format : {"png", "jpeg", "webp"}
        Output format.
    jpeg_quality : int
        Quality 1-100 for JPEG and WebP.

    Returns
    -------
    bytes
        The encoded file.
    """
    if not isinstance(image, np.ndarray) or image.dtype != np.uint8 or image.ndim not in (2, 3):
        raise ValueError("image must be a uint8 array of shape (H, W), (H, W, 3) or (H, W, 4)")
    if file_format not in ("png", "jpeg", "webp"):
        raise ValueError(f"file_format must be png, jpeg or webp; got {file_format!r}")
    jpeg_quality = check_int(jpeg_quality, name="jpeg_quality", low=1, high=100)
    if image.ndim == 3 and image.shape[2] == 3:
        image = cv2.cvtColor(image, cv2.COLOR_RGB2BGR)
    elif image.ndim == 3 and image.shape[2] == 4:
        image = cv2.cvtColor(image, cv2.COLOR_RGBA2BGRA)
    elif image.ndim == 3:
        raise ValueError(f"image must have 1, 3 or 4 channels, got {image.shape[2]}")
    params: list[int] = []
    if file_format == "jpeg":
        params = [cv2.IMWRITE_JPEG_QUALITY, jpeg_quality]
    elif file_format == "webp":
        params = [cv2.IMWRITE_WEBP_QUALITY, jpeg_quality]
    else:
        params = [cv2.IMWRITE_PNG_COMPRESSION, 1]  # fast; size barely differs from level 9 on photos
    ok, buffer = cv2.imencode("." + file_format, np.ascontiguousarray(image), params)
    if not ok:
        raise ValueError("OpenCV could not encode the image")
    return buffer.tobytes()

