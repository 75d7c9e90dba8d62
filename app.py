"""Pixel Lab home page: what it is, the course map, and the current image's facts."""

import streamlit as st

from processing.stats import image_facts
from ui.cache import step
from ui.display import show_image
from ui.exercises import solved
from ui.lessons import LESSONS, SECTIONS
from ui.page import show_source_notes, start_page
from ui.source import link_state


source = start_page(title="Home", icon=":material/home:")

st.title("Pixel Lab", anchor=False)
st.markdown(
    "An interactive course in digital image processing. Every lesson takes one idea, lets you move its "
    "controls on a real photograph, and shows the image **before and after** with their histograms, "
    "the **plain OpenCV/NumPy code** for your exact settings, and **exercises** that check your answers."
)

st.header("Course map", anchor=False)
done = solved()
carry = link_state()
for section in SECTIONS:
    lessons = [lesson for lesson in LESSONS if lesson.section == section]
    if not lessons:
        continue
    st.subheader(section, anchor=False)
    for column, lesson in zip(st.columns(3), lessons):
        with column.container(border=True):
            st.page_link(lesson.page, label=f"**{lesson.title}**", icon=lesson.icon, query_params=carry)
            st.caption(lesson.summary)
            if lesson.exercises:
                count = sum(exercise in done for exercise in lesson.exercises)
                st.progress(count / len(lesson.exercises), text=f"Exercises solved: {count} of {len(lesson.exercises)}")

total = sum(len(lesson.exercises) for lesson in LESSONS)
count = sum(exercise in done for lesson in LESSONS for exercise in lesson.exercises)
st.metric("Your progress this session", f"{count} of {total} exercises")

st.header("Using Pixel Lab in class", anchor=False)
st.markdown(
    "- **Share a link.** Every control that changes the picture is stored in the address bar, so a copied "
    "link reopens the same lesson, sample and settings for everyone.\n"
    "- **Pick the image** in the sidebar: sixteen samples (photos from scikit-image and patterns drawn in code), "
    "your own upload, or the webcam. Uploads stay in your session and do not travel in links.\n"
    "- **Projector:** use the browser zoom (Ctrl +) and collapse the sidebar; the images keep their full sharpness.\n"
    "- Large photos are shrunk to a working copy of about 2 megapixels so every control answers at once; "
    "**Full size** in the sidebar works on every pixel."
)

st.header("The current image", anchor=False)
facts = step(image_facts, source.image)
picture, card = st.columns([1, 2])
with picture:
    show_image(source.image, caption=source.title, alt=f"The current image: {source.title}")
with card:
    height, width = facts.shape[:2]
    kind = "grey (one channel)" if len(facts.channels) == 1 else "colour, RGB (three channels)"
    st.markdown(
        f"- **Size:** {width} × {height} pixels ({width * height:,} pixels)\n"
        f"- **Kind:** {kind}\n"
        f"- **NumPy:** shape `{facts.shape}`, dtype `{facts.dtype}`\n"
        + "".join(
            f"- **{name}:** min {low}, max {high}, mean {mean:.1f}\n"
            for name, low, high, mean in zip(facts.channels, facts.minimum, facts.maximum, facts.mean)
        )
    )
    if source.is_upload:
        st.text(f"File: {source.file_name}")
    if not source.notes:
        st.caption("Nothing was converted: these are the pixels as stored.")
show_source_notes(source)
