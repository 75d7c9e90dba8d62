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
