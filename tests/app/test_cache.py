"""The caches behind fast reruns: remembered only for read-only arrays, forgotten with them, and correct bytes sent."""

import gc
import threading
import time

import numpy as np
import pytest

from ui import display
from ui.cache import ArrayMemo, StepStore, freeze, is_frozen, size_of


def counting_memo():
    calls = []
    memo = ArrayMemo(max_entries=2)

    def compute(array):
        return lambda: calls.append(1) or float(array.sum())

    return memo, calls, compute


def test_read_only_array_is_computed_once_per_option():
    memo, calls, compute = counting_memo()
    image = freeze(np.arange(12, dtype=np.uint8).reshape(3, 4))
    assert memo.get(image, "a", compute(image)) == 66
    assert memo.get(image, "a", compute(image)) == 66
    assert len(calls) == 1
    memo.get(image, "b", compute(image))
    assert len(calls) == 2


def test_writable_arrays_and_views_of_them_are_never_remembered():
    memo, calls, compute = counting_memo()
    image = np.ones((3, 3), np.uint8)
    view = image[:2]
    view.flags.writeable = False  # read-only view, but the pixels can still change through `image`
    assert not is_frozen(view)
    for array in (image, view, image, view):
        memo.get(array, None, compute(array))
    assert len(calls) == 4
    image[0, 0] = 9
    assert memo.get(view, None, compute(view)) == 14  # the new pixel counts


def test_a_freed_array_is_forgotten_and_a_new_one_at_the_same_address_is_computed():
    memo, calls, compute = counting_memo()
    first = freeze(np.zeros((2, 2), np.uint8))
    memo.get(first, None, compute(first))
    del first
    gc.collect()
    assert len(memo) == 0
    second = freeze(np.full((2, 2), 5, np.uint8))
    assert memo.get(second, None, compute(second)) == 20


def test_least_recently_used_entries_go_first():
    memo, calls, compute = counting_memo()
    arrays = [freeze(np.full((2, 2), value, np.uint8)) for value in range(3)]
    for array in arrays:
        memo.get(array, None, compute(array))
    assert len(memo) == 2
    memo.get(arrays[0], None, compute(arrays[0]))  # evicted: computed again
    assert len(calls) == 4


def test_freeze_reaches_arrays_inside_containers():
    pair = freeze((np.zeros(3), {"mask": np.zeros(2, bool)}, [np.ones(1)]))
    assert not pair[0].flags.writeable and not pair[1]["mask"].flags.writeable and not pair[2][0].flags.writeable
    view = freeze(np.arange(12).reshape(3, 4)[:, 1])  # the arrays it is a view of are frozen too
    assert is_frozen(view)


@pytest.mark.parametrize("image, crisp, magic", [
    (np.zeros((40, 40), bool), None, b"\x89PNG"),
    (np.random.default_rng(0).integers(0, 256, (600, 600, 3), dtype=np.uint8), None, b"\xff\xd8"),
    (np.random.default_rng(0).integers(0, 256, (600, 600), dtype=np.uint8), True, b"\x89PNG"),
])
def test_show_image_sends_the_encoded_bytes_unchanged(monkeypatch, image, crisp, magic):
    """st.image with output_format "auto" turned PNG masks into JPEG; the bytes must reach it as encoded."""
    sent = {}
    monkeypatch.setattr(display.st, "image", lambda data, **kwargs: sent.update(data=data, **kwargs))
    display.show_image(image, caption="c", alt="A test picture, 30 × 30 pixels", crisp=crisp)
    assert sent["data"].startswith(magic)
    assert sent["output_format"] == ("PNG" if magic == b"\x89PNG" else "JPEG")


def test_show_image_encodes_a_cached_array_once(monkeypatch):
    monkeypatch.setattr(display.st, "image", lambda data, **kwargs: None)
    calls = []
    original = display.encode_for_display
    monkeypatch.setattr(display, "encode_for_display", lambda *a, **k: calls.append(1) or original(*a, **k))
    image = freeze(np.zeros((30, 30, 3), np.uint8))
    for _ in range(3):
        display.show_image(image, caption="A test picture")
    display.show_image(np.zeros((30, 30, 3), np.uint8), caption="A test picture")  # writable: encoded every time
    assert len(calls) == 2


def test_the_store_keeps_results_within_its_byte_budget_least_recently_used_first_out():
    store = StepStore(budget=3000)
    made = []

    def make(value):
        return lambda: made.append(value) or np.full(1000, value, np.uint8)

    for value in (1, 2):
        store.get(value, make(value))
    store.get(1, make(1))  # used again: now the most recent
    store.get(3, make(3))  # 3 x ~1.3 kB > 3 kB: the least recently used (2) goes
    assert made == [1, 2, 3] and store.bytes <= 3000
    store.get(1, make(1))
    store.get(2, make(2))
    assert made == [1, 2, 3, 2]
    huge = store.get("huge", lambda: np.zeros(10_000, np.uint8))  # larger than the budget: handed out, not kept
    assert huge.size == 10_000 and not huge.flags.writeable and store.bytes <= 3000
    store.get("huge", lambda: made.append("huge") or np.zeros(10_000, np.uint8))
    assert made[-1] == "huge"


def test_two_sessions_asking_for_the_same_result_compute_it_once():
    store = StepStore(budget=10**6)
    started, calls = threading.Event(), []

    def slow():
        calls.append(1)
        started.set()
        time.sleep(0.2)
        return np.zeros(10)

    results = []
    first = threading.Thread(target=lambda: results.append(store.get("k", slow)))
    first.start()
    started.wait()
    results.append(store.get("k", slow))
    first.join()
    assert len(calls) == 1 and results[0] is results[1]


def test_a_failed_computation_is_not_kept_and_can_be_retried():
    store = StepStore(budget=10**6)
    with pytest.raises(ZeroDivisionError):
        store.get("k", lambda: 1 / 0)
    assert store.get("k", lambda: np.ones(2)).sum() == 2


def test_size_of_counts_shared_buffers_once():
    base = np.zeros(1000, np.uint8)
    assert size_of((base, base[:10], base[5:])) < 2 * base.nbytes
    assert size_of({"a": np.zeros(100, np.float64), "b": np.zeros(100, np.float64)}) >= 1600
