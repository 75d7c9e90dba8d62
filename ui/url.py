"""Choice widgets whose URL parameter is a stable id, not the label shown.

``bind="query-params"`` on a selectbox, radio or segmented control with a
``format_func`` writes the *formatted label* into the URL (measured on 1.67:
``?img=Greek+coins``, and ``?img=coins`` is ignored). Links would then break
whenever a label is reworded. `url_choice` keeps the id in the URL instead.
Plain widgets (sliders, toggles, choices without ``format_func``) use
``bind="query-params"`` directly.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import streamlit as st


def url_choice(
    widget: Callable[..., Any], label: str, options: Mapping[str, str], *, key: str, default: str, **kwargs: Any
) -> str:
    """Draw a single-choice widget whose value travels in the URL as its id.

    Parameters
    ----------
    widget : callable
        ``st.selectbox``, ``st.radio``, ``st.segmented_control`` or ``st.pills``
        (or the same method of a container, e.g. ``st.sidebar.selectbox``).
    label : str
        Widget label.
    options : mapping of str to str
        Option id (what the URL carries) to the label shown.
    key : str
        Widget key, also the URL parameter name.
    default : str
        The id used when the URL names none, or names one that does not exist
        (an untrusted link never raises).

    Returns
    -------
    str
        The chosen id.
    """
    url_value = st.query_params.get(key)
    last_written = st.session_state.get(f"_url_{key}")
    current = st.session_state.get(key)
    if url_value in options and url_value != last_written:
        chosen = url_value  # opened from a link, or back/forward
    elif current in options:
        chosen = current
    else:
        chosen = last_written if last_written in options else default
    # Assigned on every run: a widget re-created on another page ignores its old
    # value unless it is set through the Session State API before it is drawn.
    st.session_state[key] = chosen
    if widget.__name__ in ("segmented_control", "pills"):
        kwargs.setdefault("required", True)
    value = widget(label, list(options), format_func=options.get, key=key, **kwargs)
    if value == default:
        st.query_params.pop(key, None)
        st.session_state[f"_url_{key}"] = None
    else:
        st.query_params[key] = value
        st.session_state[f"_url_{key}"] = value
    return value


def _whole_number(text: str) -> int | None:
    text = text.strip()
    digits = text.lstrip("+-")
    if not digits.isdecimal() or len(digits) > 15 or len(text) - len(digits) > 1:
        return None
    return int(text)


def url_number(
    widget: Callable[..., Any], label: str, min_value: int, max_value: int, value: int, *, key: str, **kwargs: Any
) -> int:
    """Draw a whole-number input whose value travels in the URL, safe against any value in a link.

    Streamlit 1.67's ``number_input(..., bind="query-params")`` raises
    ``OverflowError`` for a whole-number input when the link holds ``1e999`` or a
    few hundred digits (it turns float infinity into an int), so this reads and
    checks the link value itself, like `url_choice`.

    Parameters
    ----------
    widget : callable
        ``st.number_input``, or the same method of a container.
    label : str
        Widget label.
    min_value, max_value, value : int
        Range and default; a link value outside the range, or not a whole number, gives the default.
    key : str
        Widget key, also the URL parameter name.

    Returns
    -------
    int
        The number shown.
    """
    url_value = st.query_params.get(key)
    if url_value is not None and url_value != st.session_state.get(f"_url_{key}"):
        number = _whole_number(url_value)
        st.session_state[key] = number if number is not None and min_value <= number <= max_value else value
    number = int(widget(label, min_value, max_value, value, key=key, **kwargs))
    if number == value:
        st.query_params.pop(key, None)
        st.session_state[f"_url_{key}"] = None
    else:
        st.query_params[key] = str(number)
        st.session_state[f"_url_{key}"] = str(number)
    return number


_LINK_VALUES = "pl_link_values"


def remember_link_values() -> None:
    """Note the URL's parameters as the run starts, before any widget reads them (see `link_fallbacks`)."""
    st.session_state[_LINK_VALUES] = {key: st.query_params.get_all(key) for key in st.query_params}


def _same(url_values: list[str], value: Any) -> bool:
    values = list(value) if isinstance(value, (tuple, list)) else [value]
    if len(values) != len(url_values):
        return False
    for text, item in zip(url_values, values):
        if isinstance(item, bool) or not isinstance(item, (int, float)):
            if text.lower() != str(item).lower():
                return False
            continue
        try:
            if float(text) != float(item):
                return False
        except ValueError:
            return False
    return True


def link_fallbacks() -> list[tuple[str, str]]:
    """Settings the link asked for that this run could not use, as (parameter, value in the link).

    A bound widget given an out-of-range or malformed value (``?segmentation_k=1000000000``)
    quietly shows its default and removes the parameter from the URL; a parameter
    that was in the link, is gone now and differs from the widget's value is one
    such fallback. Call it after every widget of the page is drawn.
    """
    fallbacks = []
    for key, url_values in st.session_state.get(_LINK_VALUES, {}).items():
        if key in st.query_params or key not in st.session_state:
            continue
        if not _same(url_values, st.session_state[key]):
            fallbacks.append((key, ", ".join(url_values)))
    return fallbacks
