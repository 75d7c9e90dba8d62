"""Lesson: Finding features (being written)."""
from ui.page import finish_lesson, start_lesson

lesson, source = start_lesson("features")
finish_lesson("features")
