"""Server memory per open session and over a long session (issue 7).

Usage::

    python benchmarks/memory.py [--page smoothing] [--image upload|sample] [--distinct]
                                [--sessions 1 10 40] [--interactions 300] [--json PATH]

Targets: at most 40 MB more server RSS per open session; RSS grows by no more
than 5 % over 300 interactions in one session.

Method. The app runs with ``streamlit run`` on a loopback port
(benchmarks/server.py); RSS is the streamlit process's VmRSS. Each simulated
learner is a headless websocket client (benchmarks/client.py) that speaks the
browser's protocol, so the server does exactly the work a browser tab causes
(a session, its script runs, widget state, uploads, media) without a browser
sharing the two cores.

1. *Open sessions.* On a fresh server, sessions are opened one after another
   on ``/<page>`` and kept open. With ``--image upload`` (the honest case, the
   default) each session selects "your own image" (``?img=upload``) and uploads
   a 1080p JPEG through the sidebar uploader (``skimage.data.coffee`` enlarged
   to 1920 × 1080 with ``cv2.INTER_CUBIC``, quality 90, 340 KB) exactly as the
   frontend does (file URL request, XSRF-checked PUT, rerun); the session then
   holds the upload's bytes (uploaded-file manager and session state). All
   sessions upload the *same* file unless ``--distinct``, which gives each
   session its own photo (the same picture rolled sideways by a per-session
   amount and numbered), so decoded images, cached steps and media are no
   longer shared: a class where every learner brings a photo. With
   ``--image sample`` sessions open the default sample instead (no sample in
   Pixel Lab is 1080p; this is the floor: session state and widgets only).
   RSS is read after the 1st, at each count in ``--sessions`` (default 1, 10,
   40). MB per added session = (RSS_n − RSS_1) / (n − 1).
2. *Long session.* On another fresh server, one session opens the page (same
   image choice), is warmed by 5 interactions, then moves a random slider of
   the page to a random valid value ``--interactions`` times (seeded), back to
   back, for ``--rounds`` rounds. RSS before and after each round, with
   readings every 50. The first round also fills the step cache, which is
   bounded in bytes (``ui.cache.STEP_CACHE_BYTES``); later rounds show whether
   anything grows once it is full (a leak would).

Every RSS figure is "settled": 2 s after the last request (garbage collection
and media clean-up run at the end of a script run), the median of 5 reads
0.2 s apart. Every run is checked: script finished, no exception element in the
deltas, the upload shown as the image ("File: photo.jpg" in the sidebar).
With the sessions still open, Streamlit's own accounting (``/_stcore/metrics``:
media and upload bytes, entries per ``st.cache_resource`` cache) is printed to
say where the memory is. ``--server-env MALLOC_MMAP_THRESHOLD_=1048576`` (or
``MALLOC_ARENA_MAX=2``) reruns with glibc returning large blocks at once, to
tell memory the allocator keeps from memory the app holds.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

import cv2
import numpy as np
import skimage.data

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.client import ClientError, RunResult, Session, http_request, working_tree  # noqa: E402
from benchmarks.server import running_app, rss_bytes  # noqa: E402

MB = 1e6
TARGET_MB_PER_SESSION = 40.0
TARGET_GROWTH = 0.05
UPLOAD_NAME = "photo.jpg"


def photo_1080p(variant: int | None = None) -> bytes:
    """The 1080p test photo as a quality-90 JPEG; ``variant`` makes a distinct photo per session."""
    image = cv2.resize(skimage.data.coffee(), (1920, 1080), interpolation=cv2.INTER_CUBIC)
    if variant is not None:
        image = np.roll(image, 37 * (variant + 1), axis=1)
        cv2.putText(image, f"learner {variant}", (40, 1040), cv2.FONT_HERSHEY_SIMPLEX, 2, (255, 255, 255), 4)
    return cv2.imencode(".jpg", cv2.cvtColor(image, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, 90])[1].tobytes()


async def settled_rss(pid: int, *, wait: float = 2.0, reads: int = 5, gap: float = 0.2) -> int:
    await asyncio.sleep(wait)
    values = []
    for _ in range(reads):
        values.append(rss_bytes(pid))
        await asyncio.sleep(gap)
    return int(statistics.median(values))


async def cache_metrics(url: str) -> dict[str, float]:
    """Streamlit's own accounting from ``/_stcore/metrics``, family ``cache_memory_bytes``.

    Bytes for ``st.cache_data`` (pickled size), media files, uploads and
    session state; for ``st.cache_resource`` Streamlit cannot size the objects
    and reports a count per cache (entries), which is what we print for them.
    """
    status, _, body = await http_request(f"{url}/_stcore/metrics?families=cache_memory_bytes", timeout=60)
    found: dict[str, float] = {}
    if status != 200:
        return found
    for line in body.decode().splitlines():
        if line.startswith("cache_memory_bytes{"):
            labels, _, value = line.rpartition(" ")
            kind = labels.split('cache_type="', 1)[1].split('"', 1)[0]
            name = labels.split('cache="', 1)[1].split('"', 1)[0]
            found[f"{kind}:{name}" if name else kind] = float(value)
    return found


def describe_metrics(found: dict[str, float]) -> str:
    resource = {k.split(":", 1)[1]: v for k, v in found.items() if k.startswith("st_cache_resource:")}
    others = {k: v for k, v in found.items() if not k.startswith("st_cache_resource:")}
    top = sorted(resource.items(), key=lambda item: -item[1])[:6]
    return ("; ".join(f"{k} {v / MB:.1f} MB" for k, v in sorted(others.items(), key=lambda item: -item[1]))
            + f"; cache_resource entries {sum(resource.values()):.0f} in {len(resource)} caches (most: "
            + ", ".join(f"{k} {v:.0f}" for k, v in top) + ")")


def check(result: RunResult, what: str) -> None:
    if result.status != "ok":
        raise ClientError(f"{what}: script finished with {result.status}")
    if result.exceptions:
        raise ClientError(f"{what}: the app showed an exception: {result.exceptions[0]}")


async def open_session(url: str, page: str, image: str, data: bytes | None, timeout: float) -> Session:
    """A session on /page showing the 1080p upload (image="upload") or the default sample."""
    session = Session(url, page, "img=upload" if image == "upload" else "", timeout=timeout)
    await session.connect()
    check(await session.run(), f"open /{page}")
    if image == "upload":
        check(await session.upload("upload_file", UPLOAD_NAME, data), "upload")
        if f"File: {UPLOAD_NAME}" not in session.texts():
            raise ClientError("after the upload the sidebar does not name the file: the upload is not in use")
    return session


async def sessions_phase(url: str, pid: int, args, *, log) -> dict:
    counts = sorted(set(args.sessions))
    same = None if args.distinct else (photo_1080p() if args.image == "upload" else None)
    sessions: list[Session] = []
    readings = {}
    try:
        rss_empty = await settled_rss(pid)
        for count in counts:
            start = time.perf_counter()
            while len(sessions) < count:
                data = photo_1080p(len(sessions)) if args.distinct and args.image == "upload" else same
                sessions.append(await open_session(url, args.page, args.image, data, args.timeout))
            opened = time.perf_counter() - start
            readings[count] = await settled_rss(pid)
            log(f"  {count:3} sessions open: RSS {readings[count] / MB:7.1f} MB  (opened in {opened:.1f} s)")
        metrics = await cache_metrics(url)
        log(f"  Streamlit's accounting with {counts[-1]} open: {describe_metrics(metrics)}")
    finally:
        await asyncio.gather(*(session.close() for session in sessions), return_exceptions=True)
    first = counts[0]
    per_session = {
        f"{first}->{n}": (readings[n] - readings[first]) / (n - first) / MB for n in counts if n > first
    }
    for (a, b) in zip(counts[1:], counts[2:]):
        per_session[f"{a}->{b}"] = (readings[b] - readings[a]) / (b - a) / MB
    return {"rss_no_session_mb": rss_empty / MB, "rss_mb": {n: v / MB for n, v in readings.items()},
            "mb_per_added_session": per_session, "streamlit_metrics": metrics}


async def interactions_phase(url: str, pid: int, args, *, log) -> dict:
    rng = random.Random(args.seed)
    data = photo_1080p() if args.image == "upload" else None
    session = await open_session(url, args.page, args.image, data, args.timeout)
    latencies, curve, rounds = [], {}, []
    try:
        if not session.sliders():
            raise ClientError(f"/{args.page} has no slider to move")
        for _ in range(5):  # warm-up: first runs fill caches that every later session reuses
            result, _ = await session.set_slider(rng.choice(session.sliders()), rng)
            check(result, "warm-up")
        before = await settled_rss(pid)
        curve[0] = before / MB
        start = time.perf_counter()
        done = 0
        for round_number in range(1, args.rounds + 1):
            round_start = await settled_rss(pid) if round_number > 1 else before
            for _ in range(args.interactions):
                done += 1
                widget = rng.choice(session.sliders())
                result, value = await session.set_slider(widget, rng)
                check(result, f"interaction {done} ({widget.key} = {value})")
                latencies.append(result.seconds)
                if done % 50 == 0:
                    curve[done] = rss_bytes(pid) / MB
                    log(f"  {done:4} interactions: RSS {curve[done]:7.1f} MB  "
                        f"(median rerun {1000 * statistics.median(latencies):.0f} ms)")
            round_end = await settled_rss(pid)
            rounds.append({"rss_before_mb": round_start / MB, "rss_after_mb": round_end / MB,
                           "growth": round_end / round_start - 1})
            log(f"  round {round_number}: RSS {round_start / MB:.1f} -> {round_end / MB:.1f} MB "
                f"({round_end / round_start - 1:+.1%})")
        elapsed = time.perf_counter() - start
        after = round_end
        metrics = await cache_metrics(url)
        log(f"  Streamlit's accounting after: {describe_metrics(metrics)}")
    finally:
        await session.close()
    return {"rss_before_mb": before / MB, "rss_after_mb": after / MB, "growth": rounds[0]["growth"],
            "rounds": rounds, "curve_mb": curve, "interactions": args.interactions, "seconds": elapsed,
            "median_rerun_ms": 1000 * statistics.median(latencies), "streamlit_metrics": metrics}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--page", default="smoothing", help="lesson URL path (default smoothing)")
    parser.add_argument("--image", choices=["upload", "sample"], default="upload")
    parser.add_argument("--distinct", action="store_true", help="a different 1080p photo per session")
    parser.add_argument("--sessions", type=int, nargs="+", default=[1, 10, 40])
    parser.add_argument("--interactions", type=int, default=300, help="0 skips the long-session phase")
    parser.add_argument("--rounds", type=int, default=2,
                        help="rounds of --interactions in the long session: the first fills the bounded step "
                             "cache (growth up to its budget), the later ones show the steady state")
    parser.add_argument("--skip-sessions", action="store_true", help="only the long-session phase")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds allowed per script run")
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--server-log", type=Path, default=None)
    parser.add_argument("--server-env", action="append", default=[], metavar="NAME=VALUE",
                        help="environment for the server, e.g. MALLOC_ARENA_MAX=2 or MALLOC_MMAP_THRESHOLD_=1048576 "
                             "(glibc tunables: tell memory the allocator keeps from memory the app holds)")
    args = parser.parse_args()
    for item in args.server_env:
        name, _, value = item.partition("=")
        os.environ[name] = value  # inherited by `streamlit run`

    def log(text: str) -> None:
        print(text, flush=True)

    image = ("1080p upload, " + ("a distinct photo per session" if args.distinct else "the same photo in every session")
             if args.image == "upload" else "default sample (not 1080p)")
    arena = "".join(f", {item}" for item in args.server_env)
    tree = working_tree(str(ROOT))
    log(f"memory: /{args.page}, {image}{arena}, {time.strftime('%Y-%m-%d %H:%M')}, code {tree}")
    report: dict = {"page": args.page, "image": args.image, "distinct": args.distinct, "code": tree,
                    "server_env": args.server_env}
    started = time.perf_counter()
    if not args.skip_sessions:
        with running_app(log=args.server_log) as app:
            log(f"sessions (server pid {app.process.pid}):")
            report["sessions"] = asyncio.run(sessions_phase(app.url, app.process.pid, args, log=log))
    if args.interactions:
        with running_app(log=args.server_log) as app:
            log(f"one session, {args.interactions} interactions (fresh server, pid {app.process.pid}):")
            report["interactions"] = asyncio.run(interactions_phase(app.url, app.process.pid, args, log=log))
    report["wall_seconds"] = time.perf_counter() - started

    log("")
    if "sessions" in report:
        s = report["sessions"]
        log(f"RSS with no session {s['rss_no_session_mb']:.1f} MB; "
            + ", ".join(f"{n} open: {v:.1f} MB" for n, v in s["rss_mb"].items()))
        for span, mb in s["mb_per_added_session"].items():
            verdict = "meets" if mb <= TARGET_MB_PER_SESSION else "MISSES"
            log(f"  MB per added session ({span}): {mb:6.2f}   {verdict} target <= {TARGET_MB_PER_SESSION:g} MB")
    if "interactions" in report:
        i = report["interactions"]
        log(f"{i['interactions']} interactions per round, {len(i['rounds'])} rounds in {i['seconds']:.0f} s "
            f"(median rerun {i['median_rerun_ms']:.0f} ms):")
        for number, one in enumerate(i["rounds"], 1):
            verdict = "meets" if one["growth"] <= TARGET_GROWTH else "MISSES"
            log(f"  round {number}: RSS {one['rss_before_mb']:.1f} -> {one['rss_after_mb']:.1f} MB, "
                f"growth {one['growth']:+.1%}   {verdict} target <= {TARGET_GROWTH:.0%}"
                + ("  (includes filling the step cache up to its budget)" if number == 1 else ""))
    log(f"wall time {report['wall_seconds']:.0f} s")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
