"""Lesson: Pipeline lab, the capstone. Processing: processing/pipeline.py (steps, text, code),
processing/challenges.py (tasks and grades). Editor and views: ui/pipeline_editor.py, ui/pipeline_views.py,
ui/pipeline_export.py. Tests: tests/app/test_pipeline.py, tests/processing/test_pipeline.py,
tests/processing/test_challenges.py, tests/e2e/test_pipeline.py."""

from urllib.parse import urlencode

import streamlit as st

from processing import challenges, pipeline
from processing.samples import SAMPLES
from ui import pipeline_editor as editor
from ui import pipeline_views as views
from ui.cache import step
from ui.code import show_code
from ui.display import Picture, picture_row
from ui.exercises import target_exercise
from ui.lessons import LESSONS_BY_SLUG
from ui.page import carried, finish_lesson, lesson_link, start_lesson
from ui.pipeline_export import download_buttons, remember
from ui.url import url_choice

lesson, source = start_lesson("pipeline")

# 1. The idea -----------------------------------------------------------------------
st.markdown(
    "Every lesson so far taught one operation. Real image analysis chains them: smooth away the noise, threshold, "
    "clean the mask, number the objects, measure them. In a **pipeline** each step's output is the next step's "
    "input, so the result is the steps applied one after another"
)
st.latex(r"\text{result} = f_n\Bigl(\dots f_2\bigl(f_1(\text{img})\bigr)\dots\Bigr)")
st.markdown(
    "Each step takes one kind of data and gives one: a colour or grey image, a **mask** (True or False per pixel), "
    "a **label image** (0 background, objects 1, 2, 3, …) or a **table** of measurements. Only a step that fits "
    "can follow. When the result is wrong, look at every step's picture and histogram: the first one that looks "
    "wrong is the step to fix."
)
starters = pipeline.STARTERS.values()
st.markdown("**Starting pipelines** (one click each, on the image that shows them best):")
for column, starter in zip(st.columns(len(starters)), starters):
    column.button(f"{starter.title} ({SAMPLES[starter.sample].title})", icon=starter.icon, width="stretch",
                  key=f"pipeline_starter_{starter.id}", on_click=editor.load_starter, args=(starter.id,))

# 2. Controls -------------------------------------------------------------------------
st.header("Your pipeline", anchor=False)
WORK_ON = {"image": "The sidebar's image"} | {
    challenge.id: f"Challenge {number}: {challenge.title}"
    for number, challenge in enumerate(challenges.CHALLENGES.values(), 1)}
work_on = url_choice(st.segmented_control, "Work on", WORK_ON, key="pipeline_on", default="image",
                     help="A challenge brings its own image; the sidebar's image waits until you come back.")
work = editor.work_source(source, work_on)
if work is not source:
    st.caption(f"The pipeline runs on {work.title} (the sidebar's image is set aside). Its grade is in "
               "**Check yourself** at the end of the page.")


@st.fragment
def lab() -> tuple:
    """Every step in a strip, the selected step's settings, its input and output large, look closer, what to
    notice, the code and the downloads. A fragment: changing a step reruns only this part. Returns the pipeline,
    for the challenges."""
    steps = editor.load()
    notes = editor.link_notes()
    if notes:
        st.warning("The link's pipeline had parts this page cannot use: unknown steps were left out, and settings "
                   "it could not use keep their usual values.", icon=":material/link_off:")
        st.code("\n".join(notes), language=None)  # they quote the link: plain text only
    runs = editor.run(work.image, steps)
    selected = editor.shown_step(len(steps))
    views.strip(work.title, work.image, runs, selected)
    editor.draw_selected(steps, runs, selected, input_kind=pipeline.kind_of(work.image), carry=carried())

    # 3. Before and after: the selected step large ------------------------------------------------------------
    views.large_view(work.title, work.image, runs, selected)

    # 4. Look closer -----------------------------------------------------------------------------------------
    if selected and not runs[selected - 1].problem:
        views.look_closer(runs[selected - 1])

    # 5. What to notice, the code, and the pipeline to take home --------------------------------------------
    st.markdown(f"### What to notice\n\n{views.notice(work.title, work.image, runs)}\n\n**Take it home.** The "
                f"pipeline as text, for a link or a note: `{pipeline.to_text(steps) or '—'}`")  # one element, not 3
    kinds = [outcome.input_kind for outcome in runs]
    output, _ = editor.last_output(work.image, runs, runnable=True)
    show_code(pipeline.body_code(steps, kinds), source=work, result=step(pipeline.result_array, output),
              title="The code: the whole pipeline", key="pipeline_code")
    remember(steps, kinds, work)  # for the download buttons under this panel
    editor.write_link(steps, selected)
    return steps


st.caption("Choose a step under **Step shown large**: its settings and its input and output, large, appear below. "
           "Masks, label images and tables have a note instead of a histogram: a histogram of True/False or of "
           "object numbers says nothing.")
steps = lab()
download_buttons()

# 6. Where it breaks ---------------------------------------------------------------------------
st.header("Where it breaks: the order of the steps", anchor=False)
noisy_cell = step(challenges.challenge_image, "cell")
ORDERS = {"fill": "otsu|fill|open:size=5", "open": "otsu|open:size=5|fill",
          "smooth": challenges.CHALLENGES["cell"].solution}
made = {name: step(pipeline.run_text, noisy_cell, text=text)[-1] for name, text in ORDERS.items()}
iou = {name: step(challenges.grade, "cell", mask, "mask").score for name, mask in made.items()}
st.markdown(
    f"The same steps in another order are another pipeline. On the noisy cell, Otsu's threshold leaves specks all "
    f"over the background. **Fill holes first**, and the specks enclose nearly all the background between them, so "
    f"it is filled: the mask overlaps the cell with an IoU of {iou['fill']:.2f}. **Open first**, and the specks are "
    f"gone before anything is filled: IoU {iou['open']:.2f}. Smoothing before the threshold does better still "
    f"(IoU {iou['smooth']:.2f}): it judges no pixel alone."
)
picture_row([
    Picture(noisy_cell, caption="The cell under Gaussian noise (σ = 40)"),
    Picture(made["fill"], caption=f"Otsu, fill holes, open 5: IoU {iou['fill']:.2f}", crisp=True),
    Picture(made["open"], caption=f"Otsu, open 5, fill holes: IoU {iou['open']:.2f}", crisp=True),
])
links = st.columns(2)
with links[0]:
    lesson_link("morphology", "What an opening removes: Morphology",
                query_params={"img": "coins", "morphology_op": "open", "morphology_size": "5"})
with links[1]:
    lesson_link("smoothing", "Why averaging removes noise: Smoothing and sharpening",
                query_params={"img": "cell", "smoothing_noise": "gaussian", "smoothing_sigma": "40"})

# 8. Check yourself --------------------------------------------------------------------------------
st.header("Check yourself: four challenges", anchor=False)
st.markdown("Each challenge grades **the pipeline above** on its own image, whatever image you work on. Choose the "
            "challenge under **Work on** to see every step on that image, change the steps, then check.")
for number, challenge in enumerate(challenges.CHALLENGES.values(), 1):
    graded = editor.grade(challenge.id, steps)
    solution = "?" + urlencode({"pipeline": challenge.solution, "pipeline_on": challenge.id})
    target_exercise(
        challenge.exercise, number=number, question=f"**{challenge.title}.** {challenge.task}",
        score=graded.score, target=challenge.target, score_name=challenge.score_name, unit=challenge.unit,
        higher_is_better=challenge.higher_is_better,
        hint=f"{graded.detail} {challenge.hint} (The lesson: [{LESSONS_BY_SLUG[challenge.lesson].title}]"
             f"({challenge.lesson}).)",
        explanation=f"{challenge.why} A model solution: `{challenge.solution}` "
                    f"([open it in the lab, in a new tab]({solution})).",
    )

finish_lesson("pipeline", notebook_button=False)  # its own downloads are the pipeline, above
