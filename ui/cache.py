"""Caching that costs nothing on a hit: shared read-only results, and work remembered per array.

Two tools, both measured on Streamlit 1.67 (see benchmarks/):

* `cached_step` caches a page's processing step in `st.cache_resource`, so a
  hit returns the very same array object instead of an unpickled copy
  (`st.cache_data` copied 48 MB of convolution output in ~100 ms on every
  rerun). Sessions share the object, so it is made read-only.
* `ArrayMemo` remembers what was derived from a read-only array (its display
  JPEG, its histogram) for as long as that array object lives. Cached steps
  hand out the same object on every rerun, so a rerun re-sends the bytes it
  already made instead of downsizing and encoding every picture again.
"""

from __future__ import annotations

import functools
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

import numpy as np
import streamlit as st

Result = TypeVar("Result")


def freeze(value: Any) -> Any:
    """Make every NumPy array in `value` (an array, or a tuple, list, dict or dataclass of them) read-only,
    in place, together with the arrays they are views of."""
    if isinstance(value, np.ndarray):
        array = value
        while isinstance(array, np.ndarray):
            array.flags.writeable = False
            array = array.base
    elif isinstance(value, (tuple, list)):
        for item in value:
            freeze(item)
    elif isinstance(value, dict):
        for item in value.values():
            freeze(item)
    elif hasattr(value, "__dataclass_fields__"):
        for name in value.__dataclass_fields__:
            freeze(getattr(value, name))
    return value


#: One Streamlit cache per step, kept across reruns: (qualified name, code) -> (cached function, [latest step]).
_STEPS: dict[tuple[str, object], tuple[Callable[..., Any], list[Callable[..., Any]]]] = {}
_STEPS_LOCK = threading.Lock()


def cached_step(*, max_entries: int) -> Callable[[Callable[..., Result]], Callable[..., Result]]:
    """Cache a processing step for every session, returning read-only results.

    Key the step on small values (the image's ``source.key`` and the
    parameters) and pass arrays as parameters whose names start with ``_``,
    which Streamlit leaves out of the key (hashing a large array is slow and,
    above 500,000 elements, samples only part of it). A step must depend on
    its arguments only, never on a page variable.

    A page defines its steps again on every rerun; decorating anew made
    Streamlit read each function's source (~1 ms a step, 10 steps a page), so
    the cache made for a step's code is kept and handed out again.

    Parameters
    ----------
    max_entries : int
        Results kept for this step, across all sessions (least recently used go first).
    """

    def decorate(step: Callable[..., Result]) -> Callable[..., Result]:
        identity = (step.__qualname__, step.__code__)  # equal code objects: same bytecode, names and constants
        with _STEPS_LOCK:
            known = _STEPS.get(identity)
            if known is not None:
                known[1][0] = step
                return known[0]
            latest = [step]

            @functools.wraps(step)
            def frozen_step(*args: Any, **kwargs: Any) -> Result:
                return freeze(latest[0](*args, **kwargs))

            cached = st.cache_resource(max_entries=max_entries, show_spinner=False)(frozen_step)
            _STEPS[identity] = (cached, latest)
            return cached

    return decorate


def is_frozen(array: np.ndarray) -> bool:
    """True when neither `array` nor any array it is a view of can be written."""
    while isinstance(array, np.ndarray):
        if array.flags.writeable:
            return False
        array = array.base
    return True


class ArrayMemo:
    """Remember values derived from read-only arrays, for as long as each array object lives.

    Writable arrays are never remembered (their pixels may change under the
    same object); for them `get` simply computes.

    Parameters
    ----------
    max_entries : int
        Values kept at most (least recently used go first).
    """

    def __init__(self, *, max_entries: int) -> None:
        self._max_entries = max_entries
        self._values: OrderedDict[tuple[int, Hashable], tuple[weakref.ref, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, array: np.ndarray, options: Hashable, compute: Callable[[], Result]) -> Result:
        """The value for (`array`, `options`): remembered, or computed now by `compute()`."""
        if not is_frozen(array):
            return compute()
        key = (id(array), options)
        with self._lock:
            entry = self._values.get(key)
            if entry is not None and entry[0]() is array:
                self._values.move_to_end(key)
                return entry[1]
        value = compute()
        with self._lock:
            # The callback drops the entry when the array is freed, so a new array at the same id never matches.
            self._values[key] = (weakref.ref(array, functools.partial(self._forget, key)), value)
            self._values.move_to_end(key)
            while len(self._values) > self._max_entries:
                self._values.popitem(last=False)
        return value

    def _forget(self, key: tuple[int, Hashable], _ref: weakref.ref) -> None:
        with self._lock:
            entry = self._values.get(key)
            if entry is not None and entry[0] is _ref:
                del self._values[key]

    def __len__(self) -> int:
        return len(self._values)
