"""The reference page for benchmarks: a slider and a tiny image, the floor Streamlit itself sets."""

import numpy as np
import streamlit as st

level = st.slider("Level", 0, 255, 128, key="reference_level")
st.image(np.full((4, 4), level, np.uint8), caption=f"level {level}")
