"""Argument checks shared by the processing modules.

Each check raises ``ValueError`` naming the offending parameter, so a page can
show the message as it is.
"""

from __future__ import annotations

import numpy as np


def check_image(image: np.ndarray, *, name: str = "image") -> np.ndarray:
    """Check that `image` is a grey ``(H, W)`` or RGB ``(H, W, 3)`` uint8 array.

    Parameters
    ----------
    image : ndarray
        The array to check.
    name : str
        Parameter name used in the error message.

    Returns
    -------
    ndarray
        The same array, unchanged (not copied).

    Raises
    ------
    ValueError
        If `image` is not a non-empty uint8 array of shape ``(H, W)`` or ``(H, W, 3)``.
    """
    if not isinstance(image, np.ndarray):
        raise ValueError(f"{name} must be a NumPy array, got {type(image).__name__}")
    if image.dtype != np.uint8:
        raise ValueError(f"{name} must have dtype uint8, got {image.dtype}")
    if image.ndim == 3 and image.shape[2] != 3:
        raise ValueError(f"{name} must have 3 channels when 3-D, got {image.shape[2]}")
    if image.ndim not in (2, 3):
        raise ValueError(f"{name} must be 2-D (grey) or 3-D (RGB), got {image.ndim}-D")
    if image.shape[0] == 0 or image.shape[1] == 0:
        raise ValueError(f"{name} must not be empty, got shape {image.shape}")
    return image


def check_gray(image: np.ndarray, *, name: str = "image") -> np.ndarray:
    """Check that `image` is a grey ``(H, W)`` uint8 array; see `check_image`."""
    check_image(image, name=name)
    if image.ndim != 2:
        raise ValueError(f"{name} must be a grey (H, W) image, got shape {image.shape}")
    return image


def check_int(
    value: int, *, name: str, low: int | None = None, high: int | None = None, odd: bool = False
) -> int:
    """Check that `value` is an integer in ``[low, high]`` (and odd if asked).

    Returns
    -------
    int
        `value` as a Python int.
    """
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise ValueError(f"{name} must be an integer, got {value!r}")
    value = int(value)
    if low is not None and value < low:
        raise ValueError(f"{name} must be at least {low}, got {value}")
    if high is not None and value > high:
        raise ValueError(f"{name} must be at most {high}, got {value}")
    if odd and value % 2 == 0:
        raise ValueError(f"{name} must be odd, got {value}")
    return value


def check_float(
    value: float, *, name: str, low: float | None = None, high: float | None = None
) -> float:
    """Check that `value` is a finite number in ``[low, high]``.

    Returns
    -------
    float
        `value` as a Python float.
    """
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise ValueError(f"{name} must be a number, got {value!r}")
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value}")
    if low is not None and value < low:
        raise ValueError(f"{name} must be at least {low}, got {value}")
    if high is not None and value > high:
        raise ValueError(f"{name} must be at most {high}, got {value}")
    return value


def check_choice(value: str, *, name: str, choices: tuple[str, ...] | list[str]) -> str:
    """Check that `value` is one of `choices`."""
    if value not in choices:
        raise ValueError(f"{name} must be one of {', '.join(map(str, choices))}; got {value!r}")
    return value


def check_mask(mask: np.ndarray, *, name: str = "mask") -> np.ndarray:
    """Check that `mask` is a non-empty ``bool`` array of shape ``(H, W)``."""
    if not isinstance(mask, np.ndarray):
        raise ValueError(f"{name} must be a NumPy array, got {type(mask).__name__}")
    if mask.dtype != np.bool_:
        raise ValueError(f"{name} must have dtype bool, got {mask.dtype}")
    if mask.ndim != 2:
        raise ValueError(f"{name} must be 2-D (H, W), got shape {mask.shape}")
    if mask.shape[0] == 0 or mask.shape[1] == 0:
        raise ValueError(f"{name} must not be empty, got shape {mask.shape}")
    return mask


def check_labels(labels: np.ndarray, *, name: str = "labels") -> np.ndarray:
    """Check that `labels` is a non-empty, non-negative integer ``(H, W)`` array.

    Any integer dtype is accepted (scikit-image returns int64), so learners can
    pass their own label images; results are always int32.
    """
    if not isinstance(labels, np.ndarray):
        raise ValueError(f"{name} must be a NumPy array, got {type(labels).__name__}")
    if labels.dtype == np.bool_ or not np.issubdtype(labels.dtype, np.integer):
        raise ValueError(f"{name} must have an integer dtype, got {labels.dtype}")
    if labels.ndim != 2:
        raise ValueError(f"{name} must be 2-D (H, W), got shape {labels.shape}")
    if labels.shape[0] == 0 or labels.shape[1] == 0:
        raise ValueError(f"{name} must not be empty, got shape {labels.shape}")
    if labels.min() < 0:
        raise ValueError(f"{name} must not contain negative values, got {labels.min()}")
    if labels.max() > np.iinfo(np.int32).max:
        raise ValueError(f"{name} must fit in int32, got a maximum of {labels.max()}")
    return labels
