"""Pixel Lab home page: what it is, the course map, and the current image's facts."""

import streamlit as st

from processing.stats import image_facts
from ui.cache import step
from ui.alt import picture_alt
from ui.display import show_image
from ui import progress
from ui.exercises import solved
from ui.lessons import LESSONS, SECTIONS
from ui.page import carried, finish_page, show_source_notes, start_page


source = start_page(title="Home", icon=":material/home:")

st.title("Pixel Lab", anchor=False)
st.markdown(
    "An interactive course in digital image processing. Every lesson takes one idea, lets you move its "
    "controls on a real photograph, and shows the image **before and after** with their histograms, "
    "the **plain OpenCV/NumPy code** for your exact settings, and **exercises** that check your answers."
)

st.header("Course map", anchor=False)
done = solved()
carry = carried()
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

st.header("Your progress", anchor=False)
total = sum(len(lesson.exercises) for lesson in LESSONS)
count = sum(exercise in done for lesson in LESSONS for exercise in lesson.exercises)
st.metric("Exercises solved in this browser", f"{count} of {total}")
st.caption(
    "Solved exercises are kept in this browser only (its local storage: the ids of the exercises, nothing "
    "else), so they are here after a reload or a restart, and not on another computer or in a private window."
)
if progress.note():
    st.warning(progress.note(), icon=":material/history:")


def _ask_to_forget() -> None:
    st.session_state["pl_confirm_forget"] = True


def _forget() -> None:
    progress.forget()
    st.session_state["pl_confirm_forget"] = False
    st.session_state["pl_forgotten"] = True


def _keep() -> None:
    st.session_state["pl_confirm_forget"] = False


if st.session_state.get("pl_confirm_forget"):
    with st.container(border=True, key="pl_forget_confirmation"):
        st.warning(f"Forget all {count} solved exercises saved in this browser? This cannot be undone.",
                   icon=":material/warning:")
        yes, no = st.columns(2)
        yes.button("Yes, forget my progress", key="pl_forget_yes", on_click=_forget, type="primary")
        no.button("No, keep it", key="pl_forget_no", on_click=_keep)
else:
    st.button("Forget my progress", key="pl_forget", on_click=_ask_to_forget, icon=":material/delete:",
              disabled=count == 0 and not progress.note())
    if st.session_state.pop("pl_forgotten", False):
        st.success("Your progress is forgotten: this browser no longer keeps any solved exercise.",
                   icon=":material/check_circle:")

st.header("Using Pixel Lab in class", anchor=False)
st.markdown(
    "- **Share a link.** Every control that changes the picture is stored in the address bar, so a copied "
    "link reopens the same lesson, sample and settings for everyone.\n"
    "- **Presenter mode** (in the sidebar, or `present=1` in the address) is for the projector: no sidebar, "
    "larger text and controls, each lesson opened at its experiment, exercise answers hidden until you reveal "
    "them, and a large **QR code** of the page with all its settings that students scan to follow on their "
    "phones.\n"
    "- **Take a lesson home:** *Download as notebook* at the end of every lesson gives a Jupyter notebook with "
    "the idea and every code panel with your settings.\n"
    "- **Pick the image** in the sidebar: sixteen samples (photos from scikit-image and patterns drawn in code), "
    "your own upload, or the webcam. Uploads stay in your session and do not travel in links.\n"
    "- Large photos are shrunk to a working copy of about 2 megapixels so every control answers at once; "
    "**Full size** in the sidebar works on every pixel."
)

st.header("The current image", anchor=False)
facts = step(image_facts, source.image)
picture, card = st.columns([1, 2])
with picture:
    show_image(source.image, caption=source.title, alt=picture_alt(f"The current image, {source.title}", source.image))
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
finish_page(title="Pixel Lab")
