"""The lesson registry: the single list that drives the menu, the course map and the tests.

Adding a lesson is one `Lesson` entry here plus one page file in ``pages/``.
"""

from __future__ import annotations

from dataclasses import dataclass

SECTIONS = ("Foundations", "Intensity", "Filtering", "Binary images", "Analysis")


@dataclass(frozen=True)
class Lesson:
    """One lesson page.

    Attributes
    ----------
    slug : str
        URL path of the page (``/arrays``); also the prefix of its widget keys.
    title : str
        Title shown in the menu, the course map and the page header.
    section : str
        One of `SECTIONS`.
    icon : str
        A Material icon, e.g. ``":material/grid_on:"``.
    summary : str
        One line for the course map.
    page : str
        Page file, relative to the app root.
    exercises : tuple of str
        Ids of the page's exercises, so Home can count progress.
    """

    slug: str
    title: str
    section: str
    icon: str
    summary: str
    page: str
    exercises: tuple[str, ...] = ()


LESSONS: tuple[Lesson, ...] = (
    Lesson(
        slug="arrays",
        title="Images as arrays",
        section="Foundations",
        icon=":material/grid_on:",
        summary="Pixels are numbers in a NumPy array: shape, dtype, slicing, uint8 pitfalls, saving.",
        page="pages/01_arrays.py",
        exercises=("arrays_shape", "arrays_pixel", "arrays_wrap", "arrays_quantise"),
    ),
)

LESSONS_BY_SLUG = {lesson.slug: lesson for lesson in LESSONS}
