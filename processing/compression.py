"""JPEG from the inside: colour to YCbCr, chroma subsampling, the 8×8 DCT, quantisation and entropy.

Images are uint8 grey ``(H, W)`` or RGB ``(H, W, 3)``. The from-scratch path
(`compress`) follows the baseline JPEG encoder and decoder step by step, in
floating point: RGB to YCbCr (JFIF, full range), chroma averaged over 2 × 1 or
2 × 2 pixels, planes padded to whole 8 × 8 blocks by repeating the last row and
column, each block shifted by −128, transformed with the orthonormal 2-D DCT-II,
divided by the quantisation table and rounded (the only lossy step besides
subsampling), then multiplied back, inverse-transformed, rounded and clipped to
0..255; chroma is brought back to full size with the triangle ("fancy")
upsampling libjpeg uses, and YCbCr turned back into RGB. What it does not do is
write a file: the entropy coding (run lengths of zeros and Huffman codes) that
makes a real JPEG small is estimated by `coefficient_entropy` instead.
The real encoder is OpenCV's (libjpeg-turbo), in memory (`real_jpeg`).

Measured on this project's 2-core machine, 512 × 512 RGB: `compress` about 25 ms,
`real_jpeg` 5 ms, `coefficient_entropy` 15 ms; `quality_curve` (13 encodings,
PSNR and SSIM of Y each, on at most `CURVE_PIXELS` pixels) about 0.4 s, once per image.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

from processing._checks import check_choice, check_float, check_gray, check_image, check_int
from processing.display import to_uint8
from processing.filters import psnr, ssim

__all__ = [
    "BLOCK",
    "CHROMINANCE_TABLE",
    "CURVE_PIXELS",
    "CURVE_QUALITIES",
    "LUMINANCE_TABLE",
    "SUBSAMPLING",
    "BlockAnalysis",
    "ChromaResult",
    "Compressed",
    "EntropyEstimate",
    "GenerationLoss",
    "QualityCurve",
    "QualityPoint",
    "RealJpeg",
    "analyse_block",
    "basis_image",
    "basis_picture",
    "block_preview",
    "block_dct",
    "block_idct",
    "coefficient_entropy",
    "compress",
    "crop_difference",
    "curve_copy",
    "dct_matrix",
    "edge_crops",
    "from_ycbcr",
    "generation_loss",
    "line_drawing",
    "luma_plane",
    "png_size",
    "quality_curve",
    "quality_point",
    "quality_scale",
    "quantisation_table",
    "real_code",
    "real_jpeg",
    "scratch_code",
    "subsample_chroma",
    "to_ycbcr",
    "zigzag_order",
]

#: Side of a JPEG block.
BLOCK = 8
#: Chroma subsampling schemes: (rows, columns) of full-size pixels averaged into one chroma sample.
SUBSAMPLING: dict[str, tuple[int, int]] = {"4:4:4": (1, 1), "4:2:2": (1, 2), "4:2:0": (2, 2)}
#: OpenCV's names for the same schemes.
_CV_SAMPLING = {"4:4:4": cv2.IMWRITE_JPEG_SAMPLING_FACTOR_444, "4:2:2": cv2.IMWRITE_JPEG_SAMPLING_FACTOR_422,
                "4:2:0": cv2.IMWRITE_JPEG_SAMPLING_FACTOR_420}
#: Qualities of the quality curve.
CURVE_QUALITIES: tuple[int, ...] = (5, 10, 15, 20, 30, 40, 50, 60, 70, 80, 90, 95, 100)
#: The quality curve and generation loss run on at most this many pixels (every bundled sample but the
#: Hubble field fits): each encodes the image a dozen times or more.
CURVE_PIXELS = 320_000

#: The luminance quantisation table of the JPEG standard (ITU-T T.81, Annex K, Table K.1): quality 50.
LUMINANCE_TABLE = np.array([
    [16, 11, 10, 16, 24, 40, 51, 61],
    [12, 12, 14, 19, 26, 58, 60, 55],
    [14, 13, 16, 24, 40, 57, 69, 56],
    [14, 17, 22, 29, 51, 87, 80, 62],
    [18, 22, 37, 56, 68, 109, 103, 77],
    [24, 35, 55, 64, 81, 104, 113, 92],
    [49, 64, 78, 87, 103, 121, 120, 101],
    [72, 92, 95, 98, 112, 100, 103, 99],
], dtype=np.int32)
#: The chrominance table of the standard (Table K.2): quality 50.
CHROMINANCE_TABLE = np.array([
    [17, 18, 24, 47, 99, 99, 99, 99],
    [18, 21, 26, 66, 99, 99, 99, 99],
    [24, 26, 56, 99, 99, 99, 99, 99],
    [47, 66, 99, 99, 99, 99, 99, 99],
    [99, 99, 99, 99, 99, 99, 99, 99],
    [99, 99, 99, 99, 99, 99, 99, 99],
    [99, 99, 99, 99, 99, 99, 99, 99],
    [99, 99, 99, 99, 99, 99, 99, 99],
], dtype=np.int32)
LUMINANCE_TABLE.flags.writeable = False
CHROMINANCE_TABLE.flags.writeable = False


# --------------------------------------------------------------------------- the transform


def quality_scale(quality: int) -> int:
    """The IJG (libjpeg) scaling of the standard tables for a quality setting, in percent.

    Parameters
    ----------
    quality : int
        1 (smallest file) to 100 (largest).

    Returns
    -------
    int
        ``5000 / quality`` (integer division) below 50, ``200 - 2 * quality`` from 50 on:
        100 at quality 50 (the standard tables), 0 at 100.
    """
    quality = check_int(quality, name="quality", low=1, high=100)
    return 5000 // quality if quality < 50 else 200 - 2 * quality


def quantisation_table(quality: int, *, chroma: bool = False) -> np.ndarray:
    """The quantisation table libjpeg uses at `quality` (baseline: steps 1 to 255).

    Parameters
    ----------
    quality : int
        1 to 100.
    chroma : bool
        The chrominance table (Cb and Cr) instead of the luminance one (Y).

    Returns
    -------
    ndarray of int32, shape (8, 8), values 1..255
        ``clip((base * quality_scale(quality) + 50) // 100, 1, 255)``: the step by which each
        DCT coefficient is divided. Row = vertical frequency, column = horizontal.
    """
    base = CHROMINANCE_TABLE if chroma else LUMINANCE_TABLE
    return np.clip((base * quality_scale(quality) + 50) // 100, 1, 255).astype(np.int32)


def dct_matrix(size: int = BLOCK) -> np.ndarray:
    """The orthonormal DCT-II matrix ``C``: ``C @ x`` transforms a column of `size` samples.

    Returns
    -------
    ndarray of float64, shape (size, size)
        ``C[k, n] = a(k) cos(pi (2n + 1) k / (2 size))`` with ``a(0) = sqrt(1/size)`` and
        ``a(k) = sqrt(2/size)`` otherwise; ``C @ C.T`` is the identity.
    """
    size = check_int(size, name="size", low=1, high=64)
    k = np.arange(size)[:, None]
    n = np.arange(size)[None, :]
    matrix = np.cos(np.pi * (2 * n + 1) * k / (2 * size)) * np.sqrt(2.0 / size)
    matrix[0] /= np.sqrt(2.0)
    return matrix


_C = dct_matrix()
_C.flags.writeable = False


def _check_blocks(values: np.ndarray, name: str) -> np.ndarray:
    values = np.asarray(values)
    if values.ndim < 2 or values.shape[-2:] != (BLOCK, BLOCK) or not np.issubdtype(values.dtype, np.number):
        raise ValueError(f"{name} must be numbers with shape (..., 8, 8), got {values.dtype} {values.shape}")
    return values.astype(np.float64)


def block_dct(block: np.ndarray) -> np.ndarray:
    """The 2-D DCT-II of 8 × 8 blocks: ``C @ block @ C.T``.

    Parameters
    ----------
    block : ndarray, shape (..., 8, 8)
        Real values (JPEG subtracts 128 from the pixels first).

    Returns
    -------
    ndarray of float64, same shape
        Coefficient ``[u, v]`` weighs the basis image with `u` cycles / 2 down and `v` across;
        ``[0, 0]`` (DC) is 8 × the block's mean. Equals ``scipy.fft.dctn(block, norm="ortho")``.
    """
    return _C @ _check_blocks(block, "block") @ _C.T


def block_idct(coefficients: np.ndarray) -> np.ndarray:
    """The inverse of `block_dct`: ``C.T @ coefficients @ C``.

    Returns
    -------
    ndarray of float64, shape (..., 8, 8)
    """
    return _C.T @ _check_blocks(coefficients, "coefficients") @ _C


def basis_image(u: int, v: int) -> np.ndarray:
    """The 8 × 8 pattern that DCT coefficient ``[u, v]`` adds (the inverse DCT of a single 1).

    Returns
    -------
    ndarray of float64, shape (8, 8), values within ±0.25
    """
    u = check_int(u, name="u", low=0, high=BLOCK - 1)
    v = check_int(v, name="v", low=0, high=BLOCK - 1)
    return np.outer(_C[u], _C[v])


def basis_picture(*, cell: int = 4, gap: int = 2, used: np.ndarray | None = None) -> np.ndarray:
    """The 64 basis images in an 8 × 8 grid, each pixel a `cell` × `cell` square.

    Parameters
    ----------
    cell : int
        Screen pixels per basis pixel, 1 to 16.
    gap : int
        Pixels between basis images, 0 to 8.
    used : ndarray of bool, shape (8, 8), optional
        Basis images to frame in orange (the coefficients a block keeps after quantisation).

    Returns
    -------
    ndarray of uint8, shape (S, S, 3), S = 8 * (8 * cell + gap) + gap
        RGB; each basis image mapped from [-0.25, 0.25] to black..white (0 is mid-grey).
    """
    cell = check_int(cell, name="cell", low=1, high=16)
    gap = check_int(gap, name="gap", low=0, high=8)
    if used is not None and (np.shape(used) != (BLOCK, BLOCK) or np.asarray(used).dtype != bool):
        raise ValueError(f"used must be a bool (8, 8) array, got {np.shape(used)}")
    side = BLOCK * cell
    size = BLOCK * (side + gap) + gap
    picture = np.full((size, size, 3), 255, np.uint8)
    for u in range(BLOCK):
        for v in range(BLOCK):
            pattern = np.clip(np.rint((basis_image(u, v) / 0.25 + 1) * 127.5), 0, 255).astype(np.uint8)
            top, left = gap + u * (side + gap), gap + v * (side + gap)
            picture[top:top + side, left:left + side] = np.kron(pattern, np.ones((cell, cell), np.uint8))[..., None]
            if used is not None and used[u, v] and gap:
                frame = (slice(top - gap, top + side + gap), slice(left - gap, left + side + gap))
                inner = picture[top:top + side, left:left + side].copy()
                picture[frame] = (230, 120, 0)
                picture[top:top + side, left:left + side] = inner
    return picture


def zigzag_order(size: int = BLOCK) -> np.ndarray:
    """The zig-zag scan of a block, from low to high frequency.

    Returns
    -------
    ndarray of int, shape (size * size, 2)
        ``(row, col)`` of each position in scan order: (0, 0), (0, 1), (1, 0), (2, 0), (1, 1), (0, 2), ...
    """
    size = check_int(size, name="size", low=1, high=64)
    cells = [(r, c) for r in range(size) for c in range(size)]
    # Along each anti-diagonal r + c = d: upwards (row falling) when d is even, downwards when odd.
    cells.sort(key=lambda rc: (rc[0] + rc[1], rc[1] if (rc[0] + rc[1]) % 2 == 0 else rc[0]))
    return np.array(cells, dtype=np.int64)


_ZIGZAG = zigzag_order()


# --------------------------------------------------------------------------- colour and chroma


def to_ycbcr(image: np.ndarray) -> np.ndarray:
    """RGB to JPEG's YCbCr (JFIF: full range, Cb and Cr centred on 128), rounded to uint8.

    Parameters
    ----------
    image : ndarray of uint8, shape (H, W, 3), RGB

    Returns
    -------
    ndarray of uint8, shape (H, W, 3)
        Channels Y, Cb, Cr: ``Y = 0.299 R + 0.587 G + 0.114 B``, ``Cb = 128 + 0.564 (B - Y)``,
        ``Cr = 128 + 0.713 (R - Y)`` (OpenCV's ``COLOR_RGB2YCrCb``, whose channel order is Y, Cr, Cb).
    """
    check_image(image)
    if image.ndim != 3:
        raise ValueError(f"image must be RGB (H, W, 3), got shape {image.shape}")
    return cv2.cvtColor(image, cv2.COLOR_RGB2YCrCb)[..., [0, 2, 1]]


def from_ycbcr(ycbcr: np.ndarray) -> np.ndarray:
    """The inverse of `to_ycbcr` (``cv2.COLOR_YCrCb2RGB``), rounded and clipped to uint8 RGB.

    Parameters
    ----------
    ycbcr : ndarray of uint8, shape (H, W, 3), channels Y, Cb, Cr

    Returns
    -------
    ndarray of uint8, shape (H, W, 3), RGB
    """
    check_image(ycbcr, name="ycbcr")
    if ycbcr.ndim != 3:
        raise ValueError(f"ycbcr must be (H, W, 3), got shape {ycbcr.shape}")
    return cv2.cvtColor(np.ascontiguousarray(ycbcr[..., [0, 2, 1]]), cv2.COLOR_YCrCb2RGB)


def luma_plane(image: np.ndarray) -> np.ndarray:
    """The plane JPEG codes with the luminance table: the image itself if grey, else Y of `to_ycbcr`.

    Returns
    -------
    ndarray of uint8, shape (H, W)
    """
    check_image(image)
    return image if image.ndim == 2 else np.ascontiguousarray(to_ycbcr(image)[..., 0])


def _downsample(plane: np.ndarray, factor: tuple[int, int]) -> np.ndarray:
    """Mean of each `factor` block (the last row/column repeated to fill), rounded to uint8."""
    fy, fx = factor
    if (fy, fx) == (1, 1):
        return plane
    height, width = plane.shape
    padded = np.pad(plane, ((0, -height % fy), (0, -width % fx)), mode="edge").astype(np.float64)
    means = padded.reshape(padded.shape[0] // fy, fy, padded.shape[1] // fx, fx).mean(axis=(1, 3))
    return np.rint(means).astype(np.uint8)


def _upsample(plane: np.ndarray, factor: tuple[int, int], shape: tuple[int, int]) -> np.ndarray:
    """Back to full size by the triangle filter (libjpeg's "fancy upsampling": 3/4 of the nearer sample and
    1/4 of the farther one), cropped to `shape`."""
    fy, fx = factor
    if (fy, fx) == (1, 1):
        return plane
    grown = cv2.resize(plane, (plane.shape[1] * fx, plane.shape[0] * fy), interpolation=cv2.INTER_LINEAR)
    return grown[: shape[0], : shape[1]]


@dataclass(frozen=True)
class ChromaResult:
    """What chroma subsampling keeps and what it throws away.

    Attributes
    ----------
    y, cb, cr : ndarray of uint8
        The planes as stored: Y at full size ``(H, W)``, Cb and Cr at their subsampled size.
    rebuilt : ndarray of uint8, shape (H, W, 3)
        RGB from Y and the upsampled Cb and Cr: the picture with only subsampling done to it.
    difference : ndarray of int16, shape (H, W, 3)
        ``rebuilt - image``.
    kept : float
        Share of the samples kept (1, 2/3 or 1/2).
    psnr : float
        PSNR of `rebuilt` against the image, dB (``inf`` when nothing changed).
    """

    y: np.ndarray
    cb: np.ndarray
    cr: np.ndarray
    rebuilt: np.ndarray
    difference: np.ndarray
    kept: float
    psnr: float


def subsample_chroma(image: np.ndarray, *, subsampling: str = "4:2:0") -> ChromaResult:
    """Convert to YCbCr, keep fewer colour samples, and rebuild RGB: subsampling alone, no DCT.

    Parameters
    ----------
    image : ndarray of uint8, shape (H, W, 3), RGB
    subsampling : {"4:4:4", "4:2:2", "4:2:0"}
        Every chroma sample kept; one per 2 pixels across; one per 2 × 2 pixels.

    Returns
    -------
    ChromaResult
    """
    check_choice(subsampling, name="subsampling", choices=tuple(SUBSAMPLING))
    ycbcr = to_ycbcr(image)
    factor = SUBSAMPLING[subsampling]
    y, cb, cr = (np.ascontiguousarray(ycbcr[..., i]) for i in range(3))
    cb_small, cr_small = _downsample(cb, factor), _downsample(cr, factor)
    shape = y.shape
    rebuilt = from_ycbcr(np.dstack([y, _upsample(cb_small, factor, shape), _upsample(cr_small, factor, shape)]))
    kept = (y.size + cb_small.size + cr_small.size) / (3 * y.size)
    return ChromaResult(y, cb_small, cr_small, rebuilt, rebuilt.astype(np.int16) - image, kept, psnr(image, rebuilt))


# --------------------------------------------------------------------------- one block


@dataclass(frozen=True)
class BlockAnalysis:
    """One 8 × 8 block through the encoder and back.

    Attributes
    ----------
    top, left : int
        Position of the block's top-left pixel (multiples of 8).
    pixels : ndarray of uint8, shape (8, 8)
        The block (the last row and column repeated where the image ends inside it).
    coefficients : ndarray of float64, shape (8, 8)
        DCT of ``pixels - 128``.
    table : ndarray of int32, shape (8, 8)
        Quantisation steps at the quality.
    quantised : ndarray of int32, shape (8, 8)
        ``round(coefficients / table)``: what the file stores.
    zigzag : ndarray of int32, shape (64,)
        `quantised` in zig-zag order.
    rebuilt : ndarray of uint8, shape (8, 8)
        ``clip(round(idct(quantised * table) + 128))``.
    kept : int
        Non-zero quantised coefficients.
    last : int
        Zig-zag index of the last non-zero coefficient, -1 if all are zero (the file writes an
        end-of-block code after it).
    """

    top: int
    left: int
    pixels: np.ndarray
    coefficients: np.ndarray
    table: np.ndarray
    quantised: np.ndarray
    zigzag: np.ndarray
    rebuilt: np.ndarray
    kept: int
    last: int

    @property
    def error(self) -> np.ndarray:
        """``rebuilt - pixels``, int16, shape (8, 8): what the round trip changed."""
        return self.rebuilt.astype(np.int16) - self.pixels


def analyse_block(plane: np.ndarray, *, row: int, col: int, quality: int, chroma: bool = False) -> BlockAnalysis:
    """The 8 × 8 block holding pixel (`row`, `col`) of a plane, through DCT, quantisation and back.

    Parameters
    ----------
    plane : ndarray of uint8, shape (H, W)
        A grey image or one YCbCr plane.
    row, col : int
        Any pixel of the block, inside the plane.
    quality : int
        1 to 100.
    chroma : bool
        Use the chrominance table.

    Returns
    -------
    BlockAnalysis
    """
    check_gray(plane, name="plane")
    row = check_int(row, name="row", low=0, high=plane.shape[0] - 1)
    col = check_int(col, name="col", low=0, high=plane.shape[1] - 1)
    top, left = row - row % BLOCK, col - col % BLOCK
    padded = _pad_to_blocks(plane[top:top + BLOCK, left:left + BLOCK])
    coefficients = block_dct(padded.astype(np.float64) - 128)
    table = quantisation_table(quality, chroma=chroma)
    quantised = np.round(coefficients / table).astype(np.int32)
    rebuilt = _to_pixels(block_idct(quantised * table) + 128)
    zigzag = quantised[_ZIGZAG[:, 0], _ZIGZAG[:, 1]]
    nonzero = np.flatnonzero(zigzag)
    return BlockAnalysis(top, left, padded, coefficients, table, quantised, zigzag, rebuilt,
                         int(nonzero.size), int(nonzero[-1]) if nonzero.size else -1)


def _pad_to_blocks(plane: np.ndarray) -> np.ndarray:
    """Repeat the last row and column until both sides are multiples of 8 (as libjpeg does)."""
    height, width = plane.shape
    return np.pad(plane, ((0, -height % BLOCK), (0, -width % BLOCK)), mode="edge")


def _to_pixels(values: np.ndarray) -> np.ndarray:
    return np.clip(np.rint(values), 0, 255).astype(np.uint8)


# --------------------------------------------------------------------------- the whole image


@dataclass(frozen=True)
class EntropyEstimate:
    """How many bits the quantised coefficients need, estimated from their statistics.

    Attributes
    ----------
    coefficients : int
        Quantised coefficients in all planes (64 per block).
    zeros : float
        Share of them that are zero.
    order0_bits : float
        Each coefficient coded on its own at the entropy of its plane's values: ``N · H``.
    symbol_bits : float
        Coded as JPEG does: DC as the difference from the previous block's DC (a size category plus that
        many bits), AC as (run of zeros, size) symbols with end-of-block and 16-zero codes, plus each
        value's bits; every symbol at its entropy (separately for luma and chroma), i.e. what ideal
        Huffman tables would reach.
    """

    coefficients: int
    zeros: float
    order0_bits: float
    symbol_bits: float


def _entropy_bits(symbols: np.ndarray) -> float:
    """Total bits to code `symbols` at their empirical entropy: ``sum(-log2 p)``."""
    if symbols.size == 0:
        return 0.0
    counts = np.bincount((symbols - symbols.min()).ravel())  # integer symbols in a small range: fast counting
    counts = counts[counts > 0]
    return float(-(counts * np.log2(counts / symbols.size)).sum())


def _size_category(values: np.ndarray) -> np.ndarray:
    """JPEG's size category: the number of bits of ``|value|`` (0 for 0)."""
    return np.frexp(np.abs(values))[1].astype(np.int64)  # |v| = f · 2^e with 0.5 <= f < 1: e bits (0 for 0)


def _symbols(blocks: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    """DC categories, AC (run, size) symbols and the extra value bits of quantised blocks ``(n, 8, 8)``."""
    scan = blocks.reshape(-1, 64)[:, _ZIGZAG[:, 0] * BLOCK + _ZIGZAG[:, 1]].astype(np.int32)
    dc = np.diff(scan[:, 0].astype(np.int64), prepend=0)
    dc_size = _size_category(dc)
    ac = scan[:, 1:]
    rows, cols = np.nonzero(ac)
    previous = np.full(rows.size, -1, np.int64)  # column of the previous non-zero AC in the same block
    same = np.zeros(rows.size, bool)
    same[1:] = rows[1:] == rows[:-1]
    previous[1:][same[1:]] = cols[:-1][same[1:]]
    runs = cols - previous - 1
    sizes = _size_category(ac[rows, cols])
    symbols = [16 * (runs % 16) + sizes, np.full(int((runs // 16).sum()), 0xF0)]  # ZRL: 16 zeros
    last = np.full(ac.shape[0], -1, np.int64)
    if rows.size:
        last[rows] = cols  # rows are sorted, so the last write per row is its last non-zero column
    symbols.append(np.zeros(int(np.count_nonzero(last < 62)), np.int64))  # end of block (0x00)
    extra = float(dc_size.sum() + sizes.sum())
    return dc_size, np.concatenate(symbols), extra


def coefficient_entropy(planes: tuple[np.ndarray, ...]) -> EntropyEstimate:
    """Estimate the bits of a JPEG's entropy-coded data from its quantised coefficients.

    Parameters
    ----------
    planes : tuple of ndarray of int, each shape (n, 8, 8)
        Quantised blocks of each plane, in raster order; the first is luma, the others chroma.

    Returns
    -------
    EntropyEstimate
    """
    if not planes or any(np.ndim(p) != 3 or np.shape(p)[1:] != (BLOCK, BLOCK) for p in planes):
        raise ValueError("planes must be a non-empty tuple of (n, 8, 8) arrays")
    total = sum(int(np.size(p)) for p in planes)
    zeros = sum(int(np.count_nonzero(np.asarray(p) == 0)) for p in planes) / max(total, 1)
    order0 = sum(_entropy_bits(np.asarray(p).ravel()) for p in planes)
    luma, chroma = _symbols(np.asarray(planes[0])), [_symbols(np.asarray(p)) for p in planes[1:]]
    symbol_bits = _entropy_bits(luma[0]) + _entropy_bits(luma[1]) + luma[2]
    if chroma:
        symbol_bits += (_entropy_bits(np.concatenate([c[0] for c in chroma]))
                        + _entropy_bits(np.concatenate([c[1] for c in chroma])) + sum(c[2] for c in chroma))
    return EntropyEstimate(total, zeros, order0, float(symbol_bits))


@dataclass(frozen=True)
class Compressed:
    """The from-scratch JPEG round trip of a whole image.

    Attributes
    ----------
    rebuilt : ndarray of uint8, same shape as the image
        What a decoder shows.
    quantised : tuple of ndarray of int32, each (rows, cols, 8, 8)
        Quantised blocks of each plane (Y, then Cb and Cr for colour).
    entropy : EntropyEstimate
    psnr : float
        PSNR of `rebuilt` against the image, dB.
    """

    rebuilt: np.ndarray
    quantised: tuple[np.ndarray, ...]
    entropy: EntropyEstimate
    psnr: float

    @property
    def estimated_bits_per_pixel(self) -> float:
        """`entropy`'s symbol estimate per image pixel."""
        rows, cols = self.rebuilt.shape[:2]
        return self.entropy.symbol_bits / (rows * cols)


def _round_trip(plane: np.ndarray, table: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Quantised blocks ``(rows, cols, 8, 8)`` and the rebuilt plane (cropped to its size) of one plane."""
    height, width = plane.shape
    padded = _pad_to_blocks(plane).astype(np.float64) - 128
    rows, cols = padded.shape[0] // BLOCK, padded.shape[1] // BLOCK
    blocks = padded.reshape(rows, BLOCK, cols, BLOCK).swapaxes(1, 2)
    quantised = np.round(block_dct(blocks) / table).astype(np.int32)
    rebuilt = block_idct(quantised * table).swapaxes(1, 2).reshape(rows * BLOCK, cols * BLOCK) + 128
    return quantised, _to_pixels(rebuilt[:height, :width])


def compress(image: np.ndarray, *, quality: int, subsampling: str = "4:2:0") -> Compressed:
    """JPEG's lossy steps from scratch: YCbCr, subsampling, block DCT, quantisation, and back.

    Parameters
    ----------
    image : ndarray of uint8, shape (H, W) or (H, W, 3)
    quality : int
        1 to 100 (IJG scaling of the standard tables).
    subsampling : {"4:4:4", "4:2:2", "4:2:0"}
        Chroma subsampling (colour images only).

    Returns
    -------
    Compressed
    """
    check_image(image)
    luma_table = quantisation_table(quality)
    check_choice(subsampling, name="subsampling", choices=tuple(SUBSAMPLING))
    if image.ndim == 2:
        quantised, rebuilt = _round_trip(image, luma_table)
        planes = (quantised,)
    else:
        chroma_table = quantisation_table(quality, chroma=True)
        factor = SUBSAMPLING[subsampling]
        ycbcr = to_ycbcr(image)
        results = [_round_trip(np.ascontiguousarray(ycbcr[..., 0]), luma_table)]
        results += [_round_trip(_downsample(np.ascontiguousarray(ycbcr[..., i]), factor), chroma_table)
                    for i in (1, 2)]
        planes = tuple(q for q, _ in results)
        shape = image.shape[:2]
        rebuilt = from_ycbcr(np.dstack([results[0][1]] + [_upsample(p, factor, shape) for _, p in results[1:]]))
    entropy = coefficient_entropy(tuple(q.reshape(-1, BLOCK, BLOCK) for q in planes))
    return Compressed(rebuilt, planes, entropy, psnr(image, rebuilt))


# --------------------------------------------------------------------------- real files


@dataclass(frozen=True)
class RealJpeg:
    """A real JPEG file made by OpenCV (libjpeg-turbo) in memory, and what it decodes to.

    Attributes
    ----------
    decoded : ndarray of uint8, same shape as the image
    size : int
        File size in bytes (standard Huffman tables).
    optimised_size : int
        File size with Huffman tables made for this image (``IMWRITE_JPEG_OPTIMIZE``).
    bits_per_pixel : float
        ``8 · size / (H · W)``.
    psnr : float
        Of `decoded` against the image (SSIM, which costs a hundred times more, is in `quality_point`).
    """

    decoded: np.ndarray
    size: int
    optimised_size: int
    bits_per_pixel: float
    psnr: float


def _encode(image: np.ndarray, quality: int, subsampling: str, optimise: bool = False) -> np.ndarray:
    bgr = image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_RGB2BGR)
    params = [cv2.IMWRITE_JPEG_QUALITY, quality, cv2.IMWRITE_JPEG_SAMPLING_FACTOR, _CV_SAMPLING[subsampling],
              cv2.IMWRITE_JPEG_OPTIMIZE, int(optimise)]
    ok, data = cv2.imencode(".jpg", bgr, params)
    if not ok:  # pragma: no cover - OpenCV encodes every uint8 grey or RGB image
        raise ValueError("OpenCV could not encode the image as JPEG")
    return data


def _decode(data: np.ndarray, grey: bool) -> np.ndarray:
    if grey:
        return cv2.imdecode(data, cv2.IMREAD_GRAYSCALE)
    return cv2.cvtColor(cv2.imdecode(data, cv2.IMREAD_COLOR), cv2.COLOR_BGR2RGB)


def _ssim_or_nan(reference: np.ndarray, test: np.ndarray) -> float:
    """SSIM of the brightness planes (Y, as codec studies report it; a third of the cost of RGB), ``nan`` for
    images under 7 pixels a side."""
    if min(reference.shape[:2]) < 7:
        return float("nan")
    return ssim(luma_plane(reference), luma_plane(test))


def real_jpeg(image: np.ndarray, *, quality: int, subsampling: str = "4:2:0") -> RealJpeg:
    """Encode with OpenCV at `quality` in memory, decode, and measure.

    Parameters
    ----------
    image : ndarray of uint8, shape (H, W) or (H, W, 3)
    quality : int
        1 to 100.
    subsampling : {"4:4:4", "4:2:2", "4:2:0"}
        Ignored for grey images.

    Returns
    -------
    RealJpeg
    """
    check_image(image)
    quality = check_int(quality, name="quality", low=1, high=100)
    check_choice(subsampling, name="subsampling", choices=tuple(SUBSAMPLING))
    data = _encode(image, quality, subsampling)
    decoded = _decode(data, image.ndim == 2)
    optimised = int(_encode(image, quality, subsampling, optimise=True).size)
    pixels = image.shape[0] * image.shape[1]
    return RealJpeg(decoded, int(data.size), optimised, 8 * int(data.size) / pixels, psnr(image, decoded))


def png_size(image: np.ndarray) -> int:
    """Bytes of the image as a PNG file (OpenCV, default compression level 1): lossless.

    Parameters
    ----------
    image : ndarray of uint8, shape (H, W) or (H, W, 3)

    Returns
    -------
    int
    """
    check_image(image)
    ok, data = cv2.imencode(".png", image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_RGB2BGR))
    return int(data.size)


def curve_copy(image: np.ndarray, *, max_pixels: int = CURVE_PIXELS) -> np.ndarray:
    """The image itself if it has at most `max_pixels` pixels, else a copy shrunk to fit (area interpolation).

    Returns
    -------
    ndarray of uint8, same number of channels
    """
    check_image(image)
    max_pixels = check_int(max_pixels, name="max_pixels", low=1)
    height, width = image.shape[:2]
    if height * width <= max_pixels:
        return image
    scale = math.sqrt(max_pixels / (height * width))
    size = (max(1, int(width * scale)), max(1, int(height * scale)))
    return cv2.resize(image, size, interpolation=cv2.INTER_AREA)


@dataclass(frozen=True)
class QualityPoint:
    """One real JPEG's place on the quality curve: bits per pixel, PSNR (dB, all channels) and SSIM (of the
    brightness Y: `luma_plane` of both images)."""

    quality: int
    bits_per_pixel: float
    psnr: float
    ssim: float


@dataclass(frozen=True)
class QualityCurve:
    """Size against error over `CURVE_QUALITIES`, and the lossless PNG for comparison.

    Attributes
    ----------
    points : tuple of QualityPoint
        One per quality, in increasing quality.
    png_bits_per_pixel : float
        The PNG file (PSNR infinite, SSIM 1).
    shape : tuple of int
        Shape of the image the curve was measured on (see `curve_copy`).
    """

    points: tuple[QualityPoint, ...]
    png_bits_per_pixel: float
    shape: tuple[int, ...]


def quality_point(image: np.ndarray, *, quality: int, subsampling: str = "4:2:0") -> QualityPoint:
    """`real_jpeg` at one quality, as a point of the curve (on `curve_copy` of the image).

    Returns
    -------
    QualityPoint
    """
    small = curve_copy(image)
    quality = check_int(quality, name="quality", low=1, high=100)
    check_choice(subsampling, name="subsampling", choices=tuple(SUBSAMPLING))
    data = _encode(small, quality, subsampling)
    decoded = _decode(data, small.ndim == 2)
    return QualityPoint(quality, 8 * int(data.size) / (small.shape[0] * small.shape[1]), psnr(small, decoded),
                        _ssim_or_nan(small, decoded))


def quality_curve(image: np.ndarray, *, subsampling: str = "4:2:0") -> QualityCurve:
    """Bits per pixel, PSNR and SSIM of real JPEGs at `CURVE_QUALITIES`, and the PNG's bits per pixel.

    Parameters
    ----------
    image : ndarray of uint8, shape (H, W) or (H, W, 3)
        Measured on `curve_copy` of it (at most `CURVE_PIXELS` pixels).
    subsampling : {"4:4:4", "4:2:2", "4:2:0"}

    Returns
    -------
    QualityCurve
    """
    small = curve_copy(image)
    points = tuple(quality_point(small, quality=q, subsampling=subsampling) for q in CURVE_QUALITIES)
    return QualityCurve(points, 8 * png_size(small) / (small.shape[0] * small.shape[1]), small.shape)


@dataclass(frozen=True)
class GenerationLoss:
    """PSNR against the original after each of several JPEG re-saves.

    Attributes
    ----------
    generations : ndarray of int, shape (n,)
        1, 2, ..., n.
    same_grid : ndarray of float64, shape (n,)
        Decoded and saved again as it is, at the same quality.
    shifted_grid : ndarray of float64, shape (n,)
        Moved one pixel right and down before each save (an edit or a crop): the 8 × 8 grid falls on
        new places each time. Compared with the original over the part both cover.
    """

    generations: np.ndarray
    same_grid: np.ndarray
    shifted_grid: np.ndarray


def generation_loss(image: np.ndarray, *, quality: int = 75, generations: int = 15) -> GenerationLoss:
    """Re-save a JPEG again and again (on `curve_copy` of the image) and measure what is lost.

    Parameters
    ----------
    image : ndarray of uint8, shape (H, W) or (H, W, 3), at least 2 pixels a side
    quality : int
        1 to 100, the same for every save (4:2:0 for colour).
    generations : int
        Saves, 1 to 50.

    Returns
    -------
    GenerationLoss
    """
    small = curve_copy(image)
    quality = check_int(quality, name="quality", low=1, high=100)
    generations = check_int(generations, name="generations", low=1, high=50)
    if min(small.shape[:2]) < 2:
        raise ValueError(f"image must be at least 2 pixels on each side, got shape {image.shape}")
    grey = small.ndim == 2
    same, shifted = small, small
    same_psnr, shifted_psnr = [], []
    for generation in range(1, generations + 1):
        same = _decode(_encode(same, quality, "4:2:0"), grey)
        same_psnr.append(psnr(small, same))
        moved = np.pad(shifted, ((1, 0), (1, 0)) + ((0, 0),) * (small.ndim - 2), mode="edge")[:-1, :-1]
        shifted = _decode(_encode(np.ascontiguousarray(moved), quality, "4:2:0"), grey)
        g = min(generation, min(small.shape[:2]) - 1)
        shifted_psnr.append(psnr(np.ascontiguousarray(small[:-g, :-g]), np.ascontiguousarray(shifted[g:, g:])))
    return GenerationLoss(np.arange(1, generations + 1), np.array(same_psnr), np.array(shifted_psnr))


# --------------------------------------------------------------------------- pictures for the lesson


def edge_crops(image: np.ndarray, *, row: int, col: int, qualities: tuple[int, ...], size: int = 40,
               zoom: int = 6, subsampling: str = "4:2:0") -> tuple[np.ndarray, ...]:
    """A crop around (`row`, `col`), enlarged, as it is and after a real JPEG round trip at each quality.

    Only a window around the crop is encoded, starting on the 16-pixel grid of 4:2:0 blocks and reaching
    16 pixels past the crop where the image allows: inside it, blocks and colour samples are those of the
    whole image's file (tests compare), and it costs a few milliseconds instead of encoding a whole photo.

    Parameters
    ----------
    image : ndarray of uint8, shape (H, W) or (H, W, 3)
    row, col : int
        Centre of the crop, inside the image.
    qualities : tuple of int
        One crop per quality, 1 to 100 each.
    size : int
        Side of the crop, 8 to 128 (smaller where the image is smaller).
    zoom : int
        Screen pixels per pixel (nearest neighbour), 1 to 16.

    Returns
    -------
    tuple of ndarray of uint8
        The original crop, then one per quality, each ``(s * zoom, s * zoom[, 3])``.
    """
    check_image(image)
    row = check_int(row, name="row", low=0, high=image.shape[0] - 1)
    col = check_int(col, name="col", low=0, high=image.shape[1] - 1)
    size = check_int(size, name="size", low=8, high=128)
    zoom = check_int(zoom, name="zoom", low=1, high=16)
    check_choice(subsampling, name="subsampling", choices=tuple(SUBSAMPLING))
    qualities = tuple(check_int(q, name="qualities", low=1, high=100) for q in qualities)
    rows = _span(row, size, image.shape[0])
    cols = _span(col, size, image.shape[1])
    top, left = max(0, rows.start - 16) // 16 * 16, max(0, cols.start - 16) // 16 * 16
    window = np.ascontiguousarray(image[top:rows.stop + 16, left:cols.stop + 16])
    inner = (slice(rows.start - top, rows.stop - top), slice(cols.start - left, cols.stop - left))
    versions = [window] + [_decode(_encode(window, q, subsampling), window.ndim == 2) for q in qualities]
    return tuple(np.repeat(np.repeat(v[inner], zoom, axis=0), zoom, axis=1) for v in versions)


def crop_difference(before: np.ndarray, after: np.ndarray, *, gain: float = 8.0) -> np.ndarray:
    """``after - before`` made visible: mid-grey for no change, `gain` grey levels per level of difference.

    Parameters
    ----------
    before, after : ndarray of uint8, same shape
    gain : float
        1 to 64.

    Returns
    -------
    ndarray of uint8, same shape
        ``to_uint8(after - before, low=-128 / gain, high=128 / gain)``.
    """
    check_image(before, name="before")
    check_image(after, name="after")
    if before.shape != after.shape:
        raise ValueError(f"before and after must have the same shape, got {before.shape} and {after.shape}")
    gain = check_float(gain, name="gain", low=1.0, high=64.0)
    return to_uint8(after.astype(np.int16) - before, low=-128 / gain, high=128 / gain)


def _span(centre: int, size: int, length: int) -> slice:
    size = min(size, length)
    start = min(max(centre - size // 2, 0), length - size)
    return slice(start, start + size)


def line_drawing(*, height: int = 120, width: int = 240) -> np.ndarray:
    """Black text and lines on white, drawn with OpenCV: sharp edges, few grey levels.

    Returns
    -------
    ndarray of uint8, shape (height, width)
    """
    height = check_int(height, name="height", low=40, high=1000)
    width = check_int(width, name="width", low=80, high=2000)
    canvas = np.full((height, width), 255, np.uint8)
    cv2.putText(canvas, "JPEG", (width // 12, height // 2), cv2.FONT_HERSHEY_SIMPLEX, height / 60, 0, 2, cv2.LINE_8)
    cv2.line(canvas, (width // 12, height * 2 // 3), (width * 11 // 12, height * 2 // 3), 0, 1, cv2.LINE_8)
    cv2.rectangle(canvas, (width // 12, height * 3 // 4), (width // 2, height * 9 // 10), 0, 2, cv2.LINE_8)
    cv2.circle(canvas, (width * 3 // 4, height * 5 // 6), height // 12, 0, 1, cv2.LINE_8)
    return canvas


def block_preview(image: np.ndarray, *, row: int, col: int, max_width: int = 640) -> np.ndarray:
    """The image shrunk to at most `max_width` columns (area interpolation), the 8 × 8 block holding
    (`row`, `col`) framed in orange (at least 7 screen pixels wide, so it stays visible when shrunk).

    Returns
    -------
    ndarray of uint8, shape (h, w, 3)
    """
    check_image(image)
    row = check_int(row, name="row", low=0, high=image.shape[0] - 1)
    col = check_int(col, name="col", low=0, high=image.shape[1] - 1)
    max_width = check_int(max_width, name="max_width", low=16, high=4000)
    height, width = image.shape[:2]
    scale = min(1.0, max_width / width)
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    shown = image if scale == 1.0 else cv2.resize(image, size, interpolation=cv2.INTER_AREA)
    picture = cv2.cvtColor(shown, cv2.COLOR_GRAY2RGB) if shown.ndim == 2 else shown.copy()
    top, left = (row - row % BLOCK) * scale, (col - col % BLOCK) * scale
    side = max(BLOCK * scale, 7)
    cv2.rectangle(picture, (int(left) - 1, int(top) - 1), (int(left + side), int(top + side)), (255, 140, 0), 2)
    return picture


# --------------------------------------------------------------------------- code for the lesson's panels

def _table_rows(table: np.ndarray) -> str:
    return ",\n    ".join(str(row) for row in table.tolist())


def scratch_code(quality: int, subsampling: str, *, colour: bool) -> str:
    """Plain NumPy/OpenCV code for `compress`'s round trip at these settings, for a lesson's code panel.

    The code reads ``img`` (uint8, grey or RGB) and assigns ``result``, the ``rebuilt`` image `compress`
    returns for the same settings; ``cv2`` and ``np`` are imported by the panel's header.

    Parameters
    ----------
    quality : int
        1-100, as for `compress`.
    subsampling : {"4:4:4", "4:2:2", "4:2:0"}
        Chroma subsampling (used for a colour image only).
    colour : bool
        `img` is RGB.

    Returns
    -------
    str
    """
    quality = check_int(quality, name="quality", low=1, high=100)
    check_choice(subsampling, name="subsampling", choices=tuple(SUBSAMPLING))
    fy, fx = SUBSAMPLING[subsampling]
    head = f"""quality = {quality}
LUMA = np.array([
    {_table_rows(LUMINANCE_TABLE)}])
CHROMA = np.array([
    {_table_rows(CHROMINANCE_TABLE)}])
scale = 5000 // quality if quality < 50 else 200 - 2 * quality  # IJG: percent of the standard tables
luma_table, chroma_table = (np.clip((t * scale + 50) // 100, 1, 255) for t in (LUMA, CHROMA))
k, n = np.arange(8)[:, None], np.arange(8)[None, :]
C = np.cos(np.pi * (2 * n + 1) * k / 16) * np.sqrt(2 / 8)  # the 8-point DCT-II matrix
C[0] /= np.sqrt(2)

def round_trip(plane, table):
    h, w = plane.shape  # repeat the last row and column up to whole blocks, shift by -128
    padded = np.pad(plane, ((0, -h % 8), (0, -w % 8)), mode="edge").astype(np.float64) - 128
    blocks = padded.reshape(padded.shape[0] // 8, 8, padded.shape[1] // 8, 8).swapaxes(1, 2)
    quantised = np.round(C @ blocks @ C.T / table)  # what the file stores: mostly zeros
    rebuilt = (C.T @ (quantised * table) @ C).swapaxes(1, 2).reshape(padded.shape) + 128
    return np.clip(np.rint(rebuilt[:h, :w]), 0, 255).astype(np.uint8)
"""
    if not colour:
        return head + "\nresult = round_trip(img, luma_table)"
    return head + f"""
ycc = cv2.cvtColor(img, cv2.COLOR_RGB2YCrCb)  # OpenCV's order: Y, Cr, Cb
h, w = img.shape[:2]
fy, fx = {fy}, {fx}  # {subsampling}: one colour sample per {fy} x {fx} pixels
planes = [round_trip(np.ascontiguousarray(ycc[..., 0]), luma_table)]
for i in (1, 2):
    c = np.pad(ycc[..., i], ((0, -h % fy), (0, -w % fx)), mode="edge").astype(np.float64)
    small = np.rint(c.reshape(c.shape[0] // fy, fy, c.shape[1] // fx, fx).mean(axis=(1, 3))).astype(np.uint8)
    small = round_trip(small, chroma_table)
    size = (small.shape[1] * fx, small.shape[0] * fy)  # back to full size: libjpeg's triangle filter
    planes.append(cv2.resize(small, size, interpolation=cv2.INTER_LINEAR)[:h, :w])
result = cv2.cvtColor(np.dstack(planes), cv2.COLOR_YCrCb2RGB)"""


def real_code(quality: int, subsampling: str, *, colour: bool) -> str:
    """Plain OpenCV code for `real_jpeg`: a real JPEG file in memory and what it decodes to.

    Parameters
    ----------
    quality : int
        1-100.
    subsampling : {"4:4:4", "4:2:2", "4:2:0"}
        Chroma subsampling (used for a colour image only).
    colour : bool
        `img` is RGB.

    Returns
    -------
    str
        Code that reads ``img`` and assigns ``data`` (the file's bytes) and ``result`` (the decoded image).
    """
    quality = check_int(quality, name="quality", low=1, high=100)
    check_choice(subsampling, name="subsampling", choices=tuple(SUBSAMPLING))
    if not colour:
        return (f"data = cv2.imencode('.jpg', img, [cv2.IMWRITE_JPEG_QUALITY, {quality}])[1]  # the file's bytes\n"
                "result = cv2.imdecode(data, cv2.IMREAD_GRAYSCALE)")
    flag = "cv2.IMWRITE_JPEG_SAMPLING_FACTOR_" + subsampling.replace(":", "")
    return (f"params = [cv2.IMWRITE_JPEG_QUALITY, {quality}, cv2.IMWRITE_JPEG_SAMPLING_FACTOR, {flag}]\n"
            "data = cv2.imencode('.jpg', cv2.cvtColor(img, cv2.COLOR_RGB2BGR), params)[1]  # the file's bytes\n"
            "result = cv2.cvtColor(cv2.imdecode(data, cv2.IMREAD_COLOR), cv2.COLOR_BGR2RGB)")
