"""ui.cache.step: keys that nobody writes, so a changed input can never show a stale picture."""

from __future__ import annotations

import dataclasses
import enum
import threading

import numpy as np
import pytest

from processing import color, intensity
from tests.app.helpers import LESSON_PAGES, new_app, problems
from ui import cache
from ui.cache import STEPS, key_of, mark, origin_of, step, step_key


@pytest.fixture(autouse=True)
def empty_store():
    STEPS.clear()
    yield
    STEPS.clear()


def image(value: int = 0, origin: str = "test:image") -> np.ndarray:
    return mark(np.full((100, 100, 3), value, np.uint8), origin)


def test_a_hit_hands_out_the_same_read_only_object():
    img = image()
    first = step(color.to_gray, img)
    assert step(color.to_gray, img) is first
    assert not first.flags.writeable


def test_results_carry_their_step_as_origin_and_key_the_next_step():
    img = image()
    grey = step(color.to_gray, img)
    assert origin_of(grey).startswith("to_gray#")
    result = step(intensity.adjust_gamma, grey, gamma=0.5)  # a dataclass: its arrays are marked by field
    assert origin_of(result.image).endswith(".image")
    assert origin_of(result.lut) is None and not result.lut.flags.writeable  # small: keyed by its bytes
    assert step(intensity.invert, result.image) is step(intensity.invert, result.image)


def test_a_change_upstream_changes_every_key_downstream():
    first, second = image(0, "sample:a"), image(0, "sample:b")  # same pixels, different origins
    grey_a, grey_b = step(color.to_gray, first), step(color.to_gray, second)
    assert grey_a is not grey_b
    assert step_key(intensity.invert, grey_a)[0] != step_key(intensity.invert, grey_b)[0]


def test_defaults_and_keywords_give_the_same_key():
    img = image()
    assert step_key(color.to_gray, img)[0] == step_key(color.to_gray, img, method="luminance")[0]
    assert step(color.to_gray, img) is step(color.to_gray, image=img, method="luminance")


def test_numbers_of_different_types_and_containers_are_told_apart():
    keys = {key_of(value) for value in (1, 1.0, True, "1", (1,), [1], None, b"1", np.int64(2))}
    assert len(keys) == 9
    assert key_of(np.float32(0.5)) == key_of(0.5)


def test_arrays_of_unknown_origin_are_refused_unless_small():
    with pytest.raises(TypeError, match="unknown origin"):
        step(color.to_gray, np.zeros((100, 100, 3), np.uint8))
    kernel = np.ones((3, 3))
    changed = kernel.copy()
    changed[1, 1] = 2
    assert key_of(kernel) != key_of(changed) and key_of(kernel) == key_of(kernel.copy())


def test_lambdas_local_functions_and_unkeyable_values_are_refused():
    with pytest.raises(TypeError, match="module-level function"):
        step(lambda image: image, image())

    def local(value):
        return value

    with pytest.raises(TypeError, match="module-level function"):
        step(local, 1)
    with pytest.raises(TypeError, match="gamma is a object"):
        step(intensity.adjust_gamma, image(), gamma=object())


class Shape(enum.Enum):
    DISC = 1
    SQUARE = 2


@dataclasses.dataclass(frozen=True)
class Settings:
    size: int
    shape: Shape


def test_frozen_dataclasses_and_enums_are_keyed_by_value():
    assert key_of(Settings(3, Shape.DISC)) == key_of(Settings(3, Shape.DISC))
    assert key_of(Settings(3, Shape.DISC)) != key_of(Settings(3, Shape.SQUARE))
    assert key_of(Settings(3, Shape.DISC)) != key_of(Settings(4, Shape.DISC))


def test_a_marked_array_keeps_its_first_origin_and_is_forgotten_when_freed():
    array = mark(np.zeros(5000), "first")
    mark(array, "second")
    assert origin_of(array) == "first"
    address = id(array)
    del array
    import gc
    gc.collect()
    assert address not in cache._ORIGINS


SLOW_CALLS: list[int] = []
GATE = threading.Event()


def slow_grey(image: np.ndarray) -> np.ndarray:
    SLOW_CALLS.append(1)
    GATE.wait(2)
    return color.to_gray(image)


def test_concurrent_identical_misses_compute_once():
    img = image()
    results = []
    threads = [threading.Thread(target=lambda: results.append(step(slow_grey, img))) for _ in range(4)]
    for thread in threads:
        thread.start()
    GATE.set()
    for thread in threads:
        thread.join()
    assert len(SLOW_CALLS) == 1 and len(results) == 4 and all(result is results[0] for result in results)


# --------------------------------------------------------------------------- every step a page calls

def changed(value):
    """A different value of the same kind, for checking that the key notices the change."""
    if isinstance(value, np.ndarray):
        if origin_of(value) is not None:
            return mark(value.copy(), origin_of(value) + "~other")  # same pixels, made from something else
        other = value.copy()
        other.flat[0] = 1 - other.flat[0] if value.dtype == bool else other.flat[0] + 1
        return other
    if origin_of(value) is not None:  # a table a step made
        return mark(value.copy(), origin_of(value) + "~other")
    if isinstance(value, bool):
        return not value
    if isinstance(value, (int, np.integer)):
        return value + 1
    if isinstance(value, (float, np.floating)):
        return 0.0 if value != value else value + 0.5
    if isinstance(value, str):
        return value + "~"
    if isinstance(value, bytes):
        return value + b"~"
    if value is None:
        return 0
    if isinstance(value, (tuple, list)):
        return type(value)([changed(value[0]), *value[1:]]) if value else type(value)([0])
    if isinstance(value, dict):
        return {**value, "~": 0}
    if isinstance(value, enum.Enum):
        return next(member for member in type(value) if member is not value)
    if dataclasses.is_dataclass(value):
        first = dataclasses.fields(value)[0].name
        return dataclasses.replace(value, **{first: changed(getattr(value, first))})
    if callable(value):
        return changed  # another function
    raise AssertionError(f"no change known for a {type(value).__name__}")


def unnoticed_changes(calls) -> list[str]:
    """Every (function, argument) whose change would leave the step's key as it was: a stale picture."""
    missed = []
    for function, arguments, _ in calls:
        key = step_key(function, **arguments)[0]  # under the key scheme in force: a test may swap in a broken one
        for name, value in arguments.items():
            try:
                other = changed(value)
            except StopIteration:  # a one-member enum has nothing to change to
                continue
            new_key = step_key(function, **{**arguments, name: other})[0]
            if new_key == key:
                missed.append(f"{function.__qualname__}({name}=...)")
    return missed


def record_steps(page: str) -> list:
    calls = []
    cache.LISTENERS.append(lambda function, arguments, key: calls.append((function, arguments, key)))
    try:
        app = new_app(page).run()
    finally:
        cache.LISTENERS.pop()
    assert not problems(app), problems(app)
    return calls


@pytest.mark.parametrize("page", ["app.py", *LESSON_PAGES])
def test_every_argument_of_every_step_a_page_calls_is_in_its_key(page):
    calls = record_steps(page)
    assert calls, "the page calls no step"
    assert unnoticed_changes(calls) == []


def test_a_key_scheme_that_forgets_an_argument_is_caught(monkeypatch):
    calls = record_steps("pages/08_thresholding.py")
    assert unnoticed_changes(calls) == []
    real_key_of = cache.key_of

    def forgets_origins(value, name="argument"):  # keys every marked array alike: a stale picture
        if isinstance(value, np.ndarray) and origin_of(value) is not None:
            return "array"
        return real_key_of(value, name)

    monkeypatch.setattr(cache, "key_of", forgets_origins)
    assert unnoticed_changes(calls), "a key scheme that ignores where arrays came from went unnoticed"


def test_a_table_a_step_returned_keys_the_next_step():
    import pandas as pd

    from processing import measure

    labels = mark(np.repeat(np.arange(4, dtype=np.int32), 1500).reshape(60, 100), "test:labels")
    table = step(measure.measure_regions, labels)
    assert isinstance(table, pd.DataFrame) and origin_of(table).startswith("measure_regions#")
    assert key_of(table) == ("table", origin_of(table))
    with pytest.raises(TypeError, match="DataFrame"):
        key_of(pd.DataFrame({"a": [1]}))  # a table of unknown origin


def test_a_small_array_handed_back_keeps_its_key():
    """A step that returns a small input array must not change that array's key for the next call."""
    small = np.arange(16, dtype=np.uint8).reshape(4, 4)
    before = key_of(small)
    assert step(color.as_gray, small) is small  # a grey image comes back as it is
    assert key_of(small) == before and origin_of(small) is None
