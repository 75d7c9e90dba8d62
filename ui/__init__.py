"""Streamlit helpers shared by every Pixel Lab page: one way to do each thing."""
