"""Server-side rerun time of every page (AppTest), and the share spent encoding images for display.

Usage::

    python benchmarks/rerun.py [--runs 7] [--json benchmarks/results/rerun.json]

For each input (a 1080p photo and a 12-megapixel photo, both uploaded as JPEG
through the sidebar, as a learner would) and each page of the lesson registry,
the page is run once to warm its caches, then rerun ``--runs`` times; the
median wall time of ``AppTest.run()`` is printed with the median time spent
in ``ui.display.encode_for_display`` (downsizing and encoding every image sent
to the browser) and its share of the rerun. The reference row is a minimal
page (a slider and a tiny image, benchmarks/reference_page.py) measured the
same way in the same run.

Each page is compiled once, as ``streamlit run`` does (AppTest on its own
compiles the page on every run: ``--compile-every-run`` measures that way).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import cv2
import skimage.data

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import streamlit.testing.v1.app_test as app_test_module  # noqa: E402
import streamlit.testing.v1.local_script_runner as local_runner_module  # noqa: E402
from streamlit.runtime.scriptrunner.script_cache import ScriptCache  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from ui import display  # noqa: E402
from ui.lessons import LESSONS  # noqa: E402

INPUTS = {"1080p": (1080, 1920), "12MP": (3000, 4000)}


def photo_jpeg(height: int, width: int) -> bytes:
    """A real photograph (coffee) enlarged to the given size, as a quality-90 JPEG."""
    enlarged = cv2.resize(skimage.data.coffee(), (width, height), interpolation=cv2.INTER_CUBIC)
    return cv2.imencode(".jpg", cv2.cvtColor(enlarged, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, 90])[1].tobytes()


class EncodeTimer:
    """Wraps ui.display.encode_for_display to add up the time spent in it."""

    def __init__(self) -> None:
        self.original = display.encode_for_display
        self.seconds = 0.0

    def __call__(self, *args, **kwargs):
        start = time.perf_counter()
        try:
            return self.original(*args, **kwargs)
        finally:
            self.seconds += time.perf_counter() - start


def measure(app: AppTest, timer: EncodeTimer, runs: int) -> tuple[float, float]:
    """Median rerun time and median encoding time, in milliseconds."""
    totals, encodes = [], []
    for _ in range(runs):
        timer.seconds = 0.0
        start = time.perf_counter()
        app.run()
        totals.append(time.perf_counter() - start)
        encodes.append(timer.seconds)
        if app.exception:
            raise RuntimeError(app.exception[0].message)
    return 1000 * statistics.median(totals), 1000 * statistics.median(encodes)


def keep_compiled_scripts() -> None:
    """Compile each page once, as `streamlit run` does; AppTest otherwise compiles the page on every run."""
    shared = ScriptCache()
    app_test_module.ScriptCache = local_runner_module.ScriptCache = lambda: shared


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--pages", nargs="*", default=None,
                        help="only pages whose file name contains one of these words (e.g. edges smoothing)")
    parser.add_argument("--inputs", nargs="*", default=list(INPUTS), choices=list(INPUTS))
    parser.add_argument("--compile-every-run", action="store_true",
                        help="let AppTest compile the page on every run (its default) instead of once, like a server")
    args = parser.parse_args()
    if not args.compile_every_run:
        keep_compiled_scripts()

    timer = EncodeTimer()
    display.encode_for_display = timer
    rows = []

    reference = AppTest.from_file(str(ROOT / "benchmarks" / "reference_page.py"), default_timeout=120)
    reference.run()
    ref_total, ref_encode = measure(reference, timer, args.runs)
    rows.append({"input": "-", "page": "reference", "rerun_ms": ref_total, "encode_ms": ref_encode})

    pages = ["app.py", *(lesson.page for lesson in LESSONS)]
    if args.pages:
        pages = [page for page in pages if any(word in page for word in args.pages)]
    for input_name in args.inputs:
        height, width = INPUTS[input_name]
        data = photo_jpeg(height, width)
        for page in pages:
            app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
            app.query_params["img"] = "upload"
            app.run()
            app.file_uploader(key="upload_file").upload("photo.jpg", data, "image/jpeg")
            app.run()
            if page != "app.py":
                app.switch_page(page)
            app.run()  # first run: decodes and fills the caches
            total, encode = measure(app, timer, args.runs)
            rows.append({"input": input_name, "page": page, "rerun_ms": total, "encode_ms": encode})
            print(f"{input_name:6} {page:28} rerun {total:7.1f} ms   encode {encode:6.1f} ms "
                  f"({encode / total:5.1%})", flush=True)

    print(f"\nmedians of {args.runs} reruns each, AppTest, {time.strftime('%Y-%m-%d')}")
    print(f"{'input':6} {'page':28} {'rerun ms':>9} {'encode ms':>10} {'share':>6} {'× ref':>6}")
    for row in rows:
        share = row["encode_ms"] / row["rerun_ms"] if row["rerun_ms"] else 0.0
        print(f"{row['input']:6} {row['page']:28} {row['rerun_ms']:9.1f} {row['encode_ms']:10.1f} "
              f"{share:6.1%} {row['rerun_ms'] / ref_total:6.1f}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"runs": args.runs, "rows": rows}, indent=2))


if __name__ == "__main__":
    main()
