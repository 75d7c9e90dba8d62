"""Caching that costs nothing on a hit: shared read-only results, bounded in bytes, keyed without anyone writing a key.

Two tools, both measured on Streamlit 1.67 (see benchmarks/):

* `step` runs a processing function once per distinct call for every
  session: ``step(threshold.otsu_threshold, grey)``. Its key is made from the
  function and its arguments; nobody writes one. An array argument is keyed by
  where it came from: the image source marks its image with its own key
  (`mark`), and `step` marks every array a step returns with that step's key,
  so a chain of steps keys itself. An array of unknown origin is refused,
  because keying on a large array's content is slow, and Streamlit's own
  hashing of one samples it (a one-pixel edit kept the key). A hit returns the
  very same object instead of an unpickled copy (`st.cache_data` copied 48 MB
  of convolution output in ~100 ms on every rerun), so results are made
  read-only. All steps share one least-recently-used store bounded in bytes
  (`STEP_CACHE_BYTES`): counted in entries, one 1080p sharpening result of
  75 MB times 16 entries made a server grow by gigabytes.
* `ArrayMemo` remembers what was derived from a read-only array (its display
  JPEG, its histogram) for as long as that array object lives. Steps hand out
  the same object on every rerun, so a rerun re-sends the bytes it already
  made instead of downsizing and encoding every picture again.
"""

from __future__ import annotations

import dataclasses
import enum
import functools
import hashlib
import inspect
import os
import sys
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

import numpy as np

Result = TypeVar("Result")

#: Bytes of step results kept for all sessions together (arrays counted by their buffers).
#: ``PIXEL_LAB_CACHE_MB`` overrides it for a server with more or less memory.
STEP_CACHE_BYTES = int(float(os.environ.get("PIXEL_LAB_CACHE_MB", "192")) * 1e6)
#: Key values a step may be keyed on: small and compared by value.
_KEY_TYPES = (str, int, float, bool, type(None), bytes)


def freeze(value: Any) -> Any:
    """Make every NumPy array in `value` (an array, or a tuple, list, dict or dataclass of them) read-only,
    in place, together with the arrays they are views of."""
    for array in _arrays_in(value):
        while isinstance(array, np.ndarray):
            array.flags.writeable = False
            array = array.base
    return value


def _arrays_in(value: Any) -> list[np.ndarray]:
    """The NumPy arrays in `value` and in the tuples, lists, dicts and dataclasses it holds."""
    if isinstance(value, np.ndarray):
        return [value]
    if isinstance(value, (tuple, list)):
        items = value
    elif isinstance(value, dict):
        items = value.values()
    elif hasattr(value, "__dataclass_fields__"):
        items = [getattr(value, name) for name in value.__dataclass_fields__]
    else:
        return []
    return [array for item in items for array in _arrays_in(item)]


def size_of(value: Any) -> int:
    """Approximate bytes held by a step result: its arrays' buffers (each counted once), else its shallow size."""
    arrays = _arrays_in(value)
    if not arrays:
        memory_usage = getattr(value, "memory_usage", None)  # pandas
        if callable(memory_usage):
            return int(memory_usage(deep=True).sum())
        return sys.getsizeof(value)
    buffers = {}
    for array in arrays:
        while isinstance(array.base, np.ndarray):
            array = array.base
        buffers[id(array)] = array.nbytes
    return sum(buffers.values()) + 256 * len(arrays)


def _key_of(value: Any, name: str) -> Hashable:
    """`value` as a cache key, refusing what cannot be compared cheaply and exactly (arrays, figures)."""
    if isinstance(value, (tuple, list)):
        return (type(value).__name__, *(_key_of(item, name) for item in value))
    if isinstance(value, np.generic):
        value = value.item()
    if not isinstance(value, _KEY_TYPES):
        raise TypeError(f"a cached step is keyed on its arguments; {name} is a {type(value).__name__}: "
                        "pass it as a parameter whose name starts with _ and key on an id instead")
    return type(value).__name__, value  # 1, 1.0 and True are different keys


class StepStore:
    """Results of every step, least recently used first out once they hold more than `budget` bytes.

    A result larger than the whole budget is handed out but not kept. While one
    session computes a result, another asking for the same key waits for it
    instead of computing it too.
    """

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self.bytes = 0
        self._entries: OrderedDict[Hashable, tuple[Any, int]] = OrderedDict()
        self._lock = threading.Lock()
        self._computing: dict[Hashable, threading.Lock] = {}

    def get(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        """The result for `key`: kept, or made now by ``compute()`` (frozen, then kept if it fits)."""
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                return self._entries[key][0]
            key_lock = self._computing.setdefault(key, threading.Lock())
        with key_lock:
            with self._lock:
                if key in self._entries:
                    self._entries.move_to_end(key)
                    return self._entries[key][0]
            try:
                value = freeze(compute())
            except BaseException:
                with self._lock:
                    self._computing.pop(key, None)
                raise
            size = size_of(value)
            with self._lock:
                self._computing.pop(key, None)
                if size <= self.budget:
                    self._entries[key] = (value, size)
                    self.bytes += size
                    while self.bytes > self.budget:
                        _, (_, freed) = self._entries.popitem(last=False)
                        self.bytes -= freed
            return value

    def drop(self, predicate: Callable[[Hashable], bool]) -> None:
        """Forget every entry whose key satisfies `predicate`."""
        with self._lock:
            for key in [key for key in self._entries if predicate(key)]:
                self.bytes -= self._entries.pop(key)[1]

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self.bytes = 0

    def __len__(self) -> int:
        return len(self._entries)


#: The one store behind every `step`.
STEPS = StepStore(STEP_CACHE_BYTES)
#: Arrays up to this many elements may be keyed by their bytes (kernels, structuring elements, tiny
#: examples): exact, and cheaper than the call. Larger arrays must carry an origin.
SMALL_ARRAY_ELEMENTS = 4096
#: Called with (function, arguments by name, key) for every `step` call; empty in the app (tests record keys).
LISTENERS: list[Callable[[Callable[..., Any], dict[str, Any], Hashable], None]] = []
# id(array) -> (weak reference to it, origin): where each read-only array handed out came from.
_ORIGINS: dict[int, tuple[weakref.ref, str]] = {}
_ORIGINS_LOCK = threading.Lock()
_SIGNATURES: dict[Callable[..., Any], inspect.Signature] = {}


def mark(array: np.ndarray, origin: str) -> np.ndarray:
    """Freeze `array` and record where it came from, so `step` can key on it.

    The first origin recorded for an array object stays for as long as the object lives (a step that hands
    back its input keeps the input's origin: both name the same pixels). An origin is a string that names
    the pixels exactly, such as an image source's key.

    Returns
    -------
    ndarray
        `array` itself, now read-only.
    """
    if isinstance(array, np.ndarray):
        freeze(array)
    with _ORIGINS_LOCK:
        known = _ORIGINS.get(id(array))
        if known is None or known[0]() is not array:
            _ORIGINS[id(array)] = (weakref.ref(array, functools.partial(_forget_origin, id(array))), origin)
    return array


def _forget_origin(address: int, ref: weakref.ref) -> None:
    with _ORIGINS_LOCK:
        known = _ORIGINS.get(address)
        if known is not None and known[0] is ref:
            del _ORIGINS[address]


def _is_table(value: Any) -> bool:
    """A pandas DataFrame or Series (pandas is imported by the modules that make them, not here)."""
    return type(value).__module__.split(".")[0] == "pandas" and type(value).__name__ in ("DataFrame", "Series")


def origin_of(array: Any) -> str | None:
    """Where `array` (or a table) came from (see `mark`), or None if nobody marked it."""
    with _ORIGINS_LOCK:
        known = _ORIGINS.get(id(array))
    return known[1] if known is not None and known[0]() is array else None


def _mark_result(value: Any, origin: str) -> Any:
    """Mark every array in a step's result with the step's origin and its place in the result."""
    if isinstance(value, np.ndarray) and value.size <= SMALL_ARRAY_ELEMENTS:
        freeze(value)  # keyed by its bytes, always: marking it would change the key of a small input handed back
    elif isinstance(value, np.ndarray) or _is_table(value):  # a step's tables are shared: never modify them
        mark(value, origin)
    elif isinstance(value, tuple) and hasattr(value, "_fields"):  # a NamedTuple
        for name, item in zip(value._fields, value):
            _mark_result(item, f"{origin}.{name}")
    elif isinstance(value, (tuple, list)):
        for index, item in enumerate(value):
            _mark_result(item, f"{origin}[{index}]")
    elif isinstance(value, dict):
        for name, item in value.items():
            _mark_result(item, f"{origin}[{name!r}]")
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            _mark_result(getattr(value, field.name), f"{origin}.{field.name}")
    return value


def key_of(value: Any, name: str = "argument") -> Hashable:
    """`value` as part of a step's key: exact, cheap to compare, and different for different values.

    Numbers, strings, bytes, booleans and None are keyed with their type (1, 1.0 and True differ); tuples,
    lists and dicts item by item; enums and frozen dataclasses by type and fields; module-level functions
    by name; an array by its origin (see `mark`), or by its bytes when it is small; a pandas table that a
    step returned by its origin.

    Raises
    ------
    TypeError
        For anything else, naming `name`: an array of unknown origin, a figure, an object without a value.
    """
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, (str, int, float, bool, bytes, type(None))):
        return type(value).__name__, value
    if isinstance(value, (tuple, list)):
        return (type(value).__name__, *(key_of(item, f"{name}[{index}]") for index, item in enumerate(value)))
    if isinstance(value, dict):
        return ("dict", *sorted((str(k), key_of(v, f"{name}[{k!r}]")) for k, v in value.items()))
    if isinstance(value, np.ndarray):
        origin = origin_of(value)
        if origin is not None:
            return "array", origin
        if value.size <= SMALL_ARRAY_ELEMENTS:
            return "small array", value.dtype.str, value.shape, np.ascontiguousarray(value).tobytes()
        raise TypeError(
            f"{name} is a {value.shape} array of unknown origin: a step keys an array by where it came from. "
            "Pass the image source's image or an array a step returned (or make the array in a step)."
        )
    if _is_table(value) and origin_of(value) is not None:
        return "table", origin_of(value)
    if isinstance(value, enum.Enum):
        return "enum", type(value).__qualname__, value.name
    if dataclasses.is_dataclass(value) and not isinstance(value, type) and value.__dataclass_params__.frozen:
        return ("dataclass", type(value).__qualname__,
                *((f.name, key_of(getattr(value, f.name), f"{name}.{f.name}")) for f in dataclasses.fields(value)))
    if callable(value) and _is_named_function(value):
        return "function", value.__module__, value.__qualname__
    raise TypeError(f"{name} is a {type(value).__name__}, which a step cannot be keyed on")


def _is_named_function(function: Callable[..., Any]) -> bool:
    """True for a function importable by name: not a lambda, not local, not defined in a page script."""
    qualname = getattr(function, "__qualname__", "")
    return (inspect.isfunction(function) and "<" not in qualname and function.__module__ != "__main__"
            and not function.__closure__)


def step_key(function: Callable[..., Any], *args: Any, **kwargs: Any) -> tuple[Hashable, dict[str, Any]]:
    """The key `step` uses for ``function(*args, **kwargs)``, and the arguments by name (defaults filled in)."""
    if not _is_named_function(function):
        raise TypeError(f"a step must be a module-level function of processing/ or ui/, got {function!r}")
    signature = _SIGNATURES.get(function)
    if signature is None:
        signature = _SIGNATURES[function] = inspect.signature(function)
    bound = signature.bind(*args, **kwargs)
    bound.apply_defaults()
    arguments = dict(bound.arguments)
    key = (function.__module__, function.__qualname__,
           tuple((name, key_of(value, name)) for name, value in arguments.items()))
    return key, arguments


def step(function: Callable[..., Result], /, *args: Any, **kwargs: Any) -> Result:
    """``function(*args, **kwargs)``, computed once for every session and handed out read-only.

    Parameters
    ----------
    function : callable
        A module-level function, usually of `processing` (image maths) or `ui` (a chart): it must depend on
        its arguments only.
    *args, **kwargs
        Its arguments: values `key_of` accepts. Arrays must be the image source's image, an array an
        earlier step returned, or small.

    Returns
    -------
    object
        The result, shared by every session: arrays in it are read-only and marked with this step's key,
        so passing them to the next step keys that step too. Tables (pandas) in it are marked the same
        way; they cannot be made read-only, so never modify one (pandas operations return new tables).
    """
    key, arguments = step_key(function, *args, **kwargs)
    for listener in LISTENERS:
        listener(function, arguments, key)

    def compute() -> Any:
        origin = f"{function.__qualname__}#{hashlib.blake2b(repr(key).encode(), digest_size=12).hexdigest()}"
        return _mark_result(function(*args, **kwargs), origin)

    return STEPS.get(key, compute)


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
