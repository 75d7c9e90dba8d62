"""The reference page with its imported objects frozen out of the garbage collector, as Pixel Lab does.

Streamlit runs a full ``gc.collect()`` after every script run; Pixel Lab freezes the objects its
imports made (``ui.page.freeze_imported_objects``), so that collection no longer walks them. This
page shows what the floor becomes when a page does the same, to compare like with like.
"""

import gc

import numpy as np
import streamlit as st

if gc.get_freeze_count() == 0:
    gc.freeze()
level = st.slider("Level", 0, 255, 128, key="reference_level")
st.image(np.full((4, 4), level, np.uint8), caption=f"level {level}")
