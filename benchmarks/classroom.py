"""A bounded classroom load test: N simulated learners moving sliders on one server (issue 7).

Usage::

    python benchmarks/classroom.py [--learners 40] [--seconds 120] [--think 1 3] [--seed 7]
                                   [--single-per-page 3] [--processes 1] [--reference-single 30] [--json PATH]

Target: with 40 learners, the 95th-percentile interaction latency is at most
twice that of a single learner alone (p95 ratio <= 2), with no errors.

Simulated learners. Each learner is a headless client that speaks Streamlit's
own websocket protocol (benchmarks/client.py): it opens ``/_stcore/stream``
like the frontend, sends ``BackMsg.rerun_script`` with the lesson's URL path
and later with the new widget value, reads the protobuf ``ForwardMsg`` deltas
and fetches the new ``/media/...`` images over HTTP as a browser tab would.
A real browser per learner (a Playwright context each) was rejected: 40
Chromium renderers laying out plots and decoding JPEGs would compete with the
server for the machine's two cores, so the test would measure the browsers,
not the server. The protocol client costs the server exactly what a tab
costs (one session, the same script runs, the same media requests), and
costs the client process little (its CPU time is reported). What it does not
exercise: the browser's rendering time, which a learner also waits for, and
the frontend's request pacing (a real slider sends one rerun on release,
which is what the client does).

Method.

1. Start Pixel Lab (``streamlit run app.py``, loopback, the app's own
   ``.streamlit/config.toml``, so XSRF protection stays on). With
   ``--processes N`` (N > 1), N such processes share one cookie secret behind
   nginx with cookie affinity (deploy/nginx.conf.template, as README "Several
   processes behind nginx" describes); every learner, the lone one included,
   goes through nginx, and CPU and RSS are summed over the processes.
2. *Single learner alone*: open every lesson in the registry in turn and on
   each move a random slider to a random valid value ``--single-per-page``
   times, with the same think time. This also finds the lessons that can be
   used (that open and have a slider); the others are listed and left out.
   Its p95 is the baseline.
3. *Classroom*: ``--learners`` learners start within the first
   ``--think`` max seconds, learner i on usable lesson i mod n (spread over
   lessons), and repeat: think (uniform in ``--think`` seconds, seeded per
   learner), move a random slider of their lesson to a random valid value,
   wait for the run to finish, fetch the new images. No new interaction starts
   after ``--seconds``; interactions still running get ``--timeout`` more
   seconds, then everything is cancelled (hard deadline). Each learner makes at
   most seconds / min think + 1 interactions.
4. *The reference page* (``--reference-single N``, default 30; 0 skips it):
   steps 2 and 3 again on ``benchmarks/reference_page.py`` (one slider, a
   4 x 4 picture) in a process of its own, its lone learner making N
   interactions; both processes' server CPU seconds per interaction are
   printed side by side, since one process can only do about one core of
   Python work.

Latency is from sending the widget change to receiving ``script_finished``
(the client's clock, loopback). Also reported: until the new images are
fetched. Errors: exception elements in the deltas (what the learner sees as
an error box), failed or dropped connections, runs that exceed ``--timeout``,
media requests that do not answer 200; a learner whose connection fails
reconnects (reloads the page) if time remains. Server RSS is sampled every
0.5 s (peak reported); server CPU comes from /proc/<pid>/stat.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import random
import sys
import tempfile
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.client import ClientError, Session, working_tree  # noqa: E402
from benchmarks.server import REFERENCE_PAGE, running_app, running_cluster, rss_bytes  # noqa: E402
from ui.lessons import LESSONS  # noqa: E402

MB = 1e6
TARGET_RATIO = 2.0
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass
class Interaction:
    phase: str
    learner: int
    page: str
    widget: str
    sent: float  # seconds since the phase started
    seconds: float  # to script_finished
    with_media: float  # ... and the new images fetched
    status: str
    new_images: int  # /media/ URLs in the run's deltas that this tab had not loaded before


@dataclass
class Tally:
    interactions: list[Interaction] = field(default_factory=list)
    opens: list[float] = field(default_factory=list)
    errors: Counter = field(default_factory=Counter)
    examples: dict[str, str] = field(default_factory=dict)
    media_requests: int = 0

    def error(self, kind: str, detail: str) -> None:
        self.errors[kind] += 1
        self.examples.setdefault(kind, detail[:300])


def machine_busy_seconds() -> float:
    """CPU seconds all processes on the machine spent busy (/proc/stat: everything but idle and iowait)."""
    values = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    return (sum(values[:8]) - values[3] - values[4]) / CLOCK_TICKS


def server_cpu_seconds(pids: list[int]) -> float:
    """CPU seconds the server processes have used (utime + stime)."""
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])
    return total / CLOCK_TICKS


def server_rss(pids: list[int]) -> int:
    return sum(rss_bytes(pid) for pid in pids)


class SchedStats:
    """Per-thread scheduler accounting of the server (/proc/<pid>/task/*/schedstat), summed over samples.

    ``cpu`` is time on a CPU; ``runqueue`` is time a server thread was ready to
    run but waited for a CPU, i.e. the machine was busy (other processes, or
    more ready threads than cores). A thread waiting for the GIL sleeps and
    shows in neither. Threads that end between two samples lose at most one
    sampling interval.
    """

    def __init__(self, pids: list[int]) -> None:
        self.pids = pids
        self.last: dict[str, tuple[int, int]] = {}
        self.cpu = self.runqueue = 0.0
        self.sample()
        self.cpu = self.runqueue = 0.0

    def sample(self) -> None:
        for task in (task for pid in self.pids for task in Path(f"/proc/{pid}/task").iterdir()):
            try:
                cpu, wait, _ = (int(x) for x in (task / "schedstat").read_text().split())
            except (OSError, ValueError):
                continue
            old_cpu, old_wait = self.last.get(task.name, (0, 0))
            self.cpu += (cpu - old_cpu) / 1e9
            self.runqueue += (wait - old_wait) / 1e9
            self.last[task.name] = (cpu, wait)  # thread ids are unique across processes


async def sample_rss(pids: list[int], samples: list[tuple[float, int]], start: float, sched: SchedStats) -> None:
    while True:
        samples.append((time.perf_counter() - start, server_rss(pids)))
        try:
            sched.sample()
        except OSError:
            pass
        await asyncio.sleep(0.5)


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(values, q)) if values else math.nan


async def interact(session: Session, rng: random.Random, tally: Tally, *, phase: str, learner: int,
                   start: float, fetch_media: bool) -> None:
    """Move one random slider, wait for the run, fetch new images; record everything."""
    widget = rng.choice(session.sliders())
    sent = time.perf_counter()
    result, _ = await session.set_slider(widget, rng)
    seconds = time.perf_counter() - sent
    for message in result.exceptions:
        tally.error("exception shown", f"/{session.page} {widget.key}: {message}")
    new_images = len(set(result.media) - session.seen_media)
    if fetch_media:
        statuses = await session.fetch_media(result.media)
        tally.media_requests += len(statuses)
        for status in statuses:
            if status != 200:
                tally.error("media not 200", f"/{session.page}: HTTP {status}")
    tally.interactions.append(Interaction(phase, learner, session.page, widget.key, sent - start, seconds,
                                          time.perf_counter() - sent, result.status, new_images))


def kind_of(error: ClientError) -> str:
    return "timeout" if "timed out" in str(error) else "connection failed or lost"


async def open_page(url: str, page: str, query: str, timeout: float, tally: Tally) -> tuple[Session, list[str]]:
    session = Session(url, page, query, timeout=timeout)
    begin = time.perf_counter()
    try:
        await session.connect()
        result = await session.run()
    except BaseException:
        await session.close()
        raise
    tally.opens.append(time.perf_counter() - begin)
    for message in result.exceptions:
        tally.error("exception shown", f"/{page} on open: {message}")
    return session, result.exceptions


async def single_phase(url: str, args, tally: Tally, *, log, pages: list[tuple[str, int]]) -> list[str]:
    """One learner alone on every page of `pages` (path, interactions) in turn; returns the pages usable for the
    classroom."""
    rng = random.Random(args.seed)
    usable, start = [], time.perf_counter()
    for slug, count in pages:
        try:
            session, shown = await open_page(url, slug, args.query, args.timeout, tally)
        except ClientError as error:
            tally.error(kind_of(error), f"/{slug}: {error}")
            log(f"  /{slug}: cannot open ({error}); left out")
            continue
        try:
            if not session.sliders():
                log(f"  /{slug}: no slider" + (f" (the page shows an exception: {shown[0][:80]})"
                                               if shown else "") + "; left out")
                continue
            usable.append(slug)
            for _ in range(count):
                await asyncio.sleep(rng.uniform(*args.think))
                await interact(session, rng, tally, phase="single", learner=0, start=start,
                               fetch_media=not args.no_media)
            times = [i.seconds for i in tally.interactions if i.page == slug]
            log(f"  /{slug}: {len(session.sliders())} sliders, interactions "
                + ", ".join(f"{1000 * t:.0f}" for t in times) + " ms")
        except ClientError as error:
            tally.error(kind_of(error), f"/{slug}: {error}")
        finally:
            await session.close()
    return usable


async def learner(index: int, url: str, page: str, args, tally: Tally, *, start: float, stop: float) -> None:
    rng = random.Random(f"{args.seed}-{index}")
    budget = int(args.seconds / args.think[0]) + 1 if args.think[0] > 0 else 10_000
    await asyncio.sleep(rng.uniform(0, args.think[1]))  # a class does not press Enter in the same millisecond
    session = None
    try:
        while budget > 0 and time.perf_counter() < stop:
            if session is None:
                try:
                    session, _ = await open_page(url, page, args.query, args.timeout, tally)
                except ClientError as error:
                    tally.error(kind_of(error), f"learner {index} /{page} open: {error}")
                    session = None
                    await asyncio.sleep(1.0)
                    continue
            pause = rng.uniform(*args.think)
            if time.perf_counter() + pause >= stop:
                break
            await asyncio.sleep(pause)
            budget -= 1
            try:
                await interact(session, rng, tally, phase="classroom", learner=index, start=start,
                               fetch_media=not args.no_media)
            except ClientError as error:
                tally.error(kind_of(error), f"learner {index} /{page}: {error}")
                await session.close()
                session = None  # reload the page
    finally:
        if session is not None:
            await session.close()


async def classroom_phase(url: str, pages: list[str], args, tally: Tally) -> dict:
    start = time.perf_counter()
    stop = start + args.seconds
    tasks = [asyncio.create_task(learner(i, url, pages[i % len(pages)], args, tally, start=start, stop=stop))
             for i in range(args.learners)]
    done, pending = await asyncio.wait(tasks, timeout=args.seconds + args.timeout)
    for task in pending:  # hard deadline: whatever still runs is cut off
        task.cancel()
    cut_off = len(pending)
    if pending:
        await asyncio.wait(pending, timeout=10)
    for task in done:
        if task.exception() is not None and not isinstance(task.exception(), asyncio.CancelledError):
            tally.error("client error", repr(task.exception()))
    if cut_off:
        tally.error("cut off at the hard deadline", f"{cut_off} learners still waiting")
    return {"wall_seconds": time.perf_counter() - start, "cut_off": cut_off}


def summary(interactions: list[Interaction]) -> dict:
    seconds = [i.seconds for i in interactions]
    media = [i.with_media for i in interactions]
    return {"n": len(seconds), "p50_ms": 1000 * percentile(seconds, 50), "p95_ms": 1000 * percentile(seconds, 95),
            "max_ms": 1000 * max(seconds, default=math.nan),
            "with_media_p50_ms": 1000 * percentile(media, 50), "with_media_p95_ms": 1000 * percentile(media, 95),
            "with_new_images": sum(i.new_images > 0 for i in interactions),
            "not_finished_ok": sum(i.status != "ok" for i in interactions)}


async def run(url: str, pids: list[int], args, *, log, pages: list[tuple[str, int]]) -> dict:
    samples: list[tuple[float, int]] = []
    t0 = time.perf_counter()
    sched = SchedStats(pids)
    sampler = asyncio.create_task(sample_rss(pids, samples, t0, sched))
    client_cpu0 = time.process_time()
    try:
        single = Tally()
        log("single learner alone:")
        cpu0, begin = server_cpu_seconds(pids), time.perf_counter()
        pages = await single_phase(url, args, single, log=log, pages=pages)
        single_wall, single_cpu = time.perf_counter() - begin, server_cpu_seconds(pids) - cpu0
        if not pages:
            raise SystemExit("no usable lesson: nothing to load-test")
        rss_before = server_rss(pids)
        log(f"classroom: {args.learners} learners for {args.seconds:g} s on {len(pages)} lessons ...")
        crowd = Tally()
        cpu0, begin, mark = server_cpu_seconds(pids), time.perf_counter(), len(samples)
        sched.sample()
        sched_cpu0, sched_wait0, busy0 = sched.cpu, sched.runqueue, machine_busy_seconds()
        phase = await classroom_phase(url, pages, args, crowd)
        crowd_cpu = server_cpu_seconds(pids) - cpu0
        sched.sample()
        crowd_sched = {"on_cpu_seconds": sched.cpu - sched_cpu0, "runqueue_wait_seconds": sched.runqueue - sched_wait0,
                       "machine_busy_cores": (machine_busy_seconds() - busy0) / phase["wall_seconds"]}
        crowd_rss = [rss for _, rss in samples[mark:]] or [server_rss(pids)]
    finally:
        sampler.cancel()
    single_stats, crowd_stats = summary(single.interactions), summary(crowd.interactions)
    in_window = [i for i in crowd.interactions if i.sent + i.seconds <= args.seconds]
    per_page = {page: summary([i for i in crowd.interactions if i.page == page]) for page in pages}
    # With fewer learners than lessons the classroom covers only some lessons: compare like with like too.
    covered = {i.page for i in crowd.interactions}
    single_same = summary([i for i in single.interactions if i.page in covered])
    return {
        "learners": args.learners, "seconds": args.seconds, "think": args.think, "seed": args.seed,
        "query": args.query, "media": not args.no_media, "usable_pages": pages,
        "single": {**single_stats, "wall_seconds": single_wall, "server_cpu_cores": single_cpu / single_wall,
                   "server_cpu_seconds_per_interaction": single_cpu / max(1, len(single.interactions)),
                   "errors": dict(single.errors), "error_examples": single.examples},
        "classroom": {**crowd_stats, **phase, "throughput_per_s": len(in_window) / args.seconds,
                      "opens": len(crowd.opens), "open_p50_ms": 1000 * percentile(crowd.opens, 50),
                      "open_p95_ms": 1000 * percentile(crowd.opens, 95), "media_requests": crowd.media_requests,
                      "server_cpu_cores": crowd_cpu / phase["wall_seconds"],
                      "server_cpu_seconds_per_interaction": crowd_cpu / max(1, len(crowd.interactions)), **crowd_sched,
                      "rss_before_mb": rss_before / MB, "peak_rss_mb": max(crowd_rss) / MB,
                      "errors": dict(crowd.errors), "error_examples": crowd.examples, "per_page": per_page},
        "p95_ratio": crowd_stats["p95_ms"] / single_stats["p95_ms"] if single_stats["n"] else math.nan,
        "p95_ratio_same_lessons": (crowd_stats["p95_ms"] / single_same["p95_ms"]) if single_same["n"] else math.nan,
        "single_same_lessons_p95_ms": single_same["p95_ms"],
        "client_cpu_seconds": time.process_time() - client_cpu0,
        "wall_seconds": time.perf_counter() - t0,
        "rss_samples": [(round(t, 2), round(rss / MB, 1)) for t, rss in samples],
        "interactions": [asdict(i) for i in single.interactions + crowd.interactions],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=40)
    parser.add_argument("--seconds", type=float, default=120.0)
    parser.add_argument("--think", type=float, nargs=2, default=[1.0, 3.0], metavar=("MIN", "MAX"),
                        help="think time between interactions, uniform, seconds (default 1 3)")
    parser.add_argument("--single-per-page", type=int, default=3,
                        help="interactions per lesson for the single learner (default 3: ~30 in all)")
    parser.add_argument("--query", default="", help="query string every learner opens with (default: none, "
                        "the default sample); e.g. img=coffee")
    parser.add_argument("--no-media", action="store_true", help="do not fetch the /media/ images")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds allowed per script run and "
                        "the grace after --seconds before the hard stop")
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--server-log", type=Path, default=None)
    parser.add_argument("--reference-single", type=int, default=30, metavar="N",
                        help="then run the reference page (benchmarks/reference_page.py) in its own process with "
                             "the same learners, its lone learner making N interactions (default 30; 0: skip it)")
    parser.add_argument("--processes", type=int, default=1,
                        help="app processes behind nginx with cookie affinity, as README 'Several processes behind "
                             "nginx' describes (needs Debian's nginx binary); 1: one process, no proxy")
    args = parser.parse_args()

    def log(text: str) -> None:
        print(text, flush=True)

    tree = working_tree(str(ROOT))
    log(f"classroom: {time.strftime('%Y-%m-%d %H:%M')}, code {tree}, {os.cpu_count()} cores, load average "
        f"{' '.join(f'{x:.1f}' for x in os.getloadavg())} at start")
    lessons = [(lesson.slug, args.single_per_page) for lesson in LESSONS]
    if args.processes == 1:
        with running_app(log=args.server_log) as app:
            report = asyncio.run(run(app.url, [app.process.pid], args, log=log, pages=lessons))
    else:
        with tempfile.TemporaryDirectory(prefix="pixel-lab-cluster-") as folder, \
                running_cluster(args.processes, log_dir=Path(folder)) as cluster:
            log(f"{args.processes} processes behind nginx with cookie affinity (deploy/nginx.conf.template)")
            report = asyncio.run(run(cluster.url, cluster.pids, args, log=log, pages=lessons))
    report["processes"] = args.processes
    report["code"] = tree
    report["load_average_at_end"] = os.getloadavg()
    print_report(report, args, "Pixel Lab", log)
    if args.reference_single:
        log(f"\nthe reference page ({REFERENCE_PAGE}: one slider, a 4 x 4 picture), one process, the same learners; "
            f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
        with running_app(REFERENCE_PAGE) as app:
            reference = asyncio.run(run(app.url, [app.process.pid], args, log=log,
                                        pages=[("", args.reference_single)]))
        reference["load_average_at_end"] = os.getloadavg()
        print_report(reference, args, "reference", log)
        report["reference"] = reference
        ours = report["classroom"]["server_cpu_seconds_per_interaction"]
        theirs = reference["classroom"]["server_cpu_seconds_per_interaction"]
        log(f"\nserver CPU seconds per interaction in the classroom: Pixel Lab {ours:.3f}, reference page "
            f"{theirs:.3f} ({ours / theirs:.1f} times); alone: Pixel Lab "
            f"{report['single']['server_cpu_seconds_per_interaction']:.3f}, reference "
            f"{reference['single']['server_cpu_seconds_per_interaction']:.3f}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=2))


def print_report(report: dict, args, name: str, log) -> None:
    """Log one run's lone learner and classroom figures under `name`, and its verdict on the target."""
    single, crowd = report["single"], report["classroom"]
    log("")
    log(f"{name}, single learner: {single['n']} interactions, p50 {single['p50_ms']:.0f} ms, p95 "
        f"{single['p95_ms']:.0f} ms (with images {single['with_media_p95_ms']:.0f} ms), errors "
        f"{sum(single['errors'].values())}, {single['server_cpu_seconds_per_interaction']:.3f} CPU s per interaction")
    log(f"{name}, classroom: {args.learners} learners, {args.seconds:g} s, "
        f"think {args.think[0]:g}-{args.think[1]:g} s, "
        f"{len(report['usable_pages'])} pages")
    log(f"  {crowd['n']} interactions, throughput {crowd['throughput_per_s']:.2f}/s, "
        f"p50 {crowd['p50_ms']:.0f} ms, p95 {crowd['p95_ms']:.0f} ms, max {crowd['max_ms']:.0f} ms "
        f"(with images p95 {crowd['with_media_p95_ms']:.0f} ms); page opens {crowd['opens']}, "
        f"p95 {crowd['open_p95_ms']:.0f} ms")
    log(f"  checks: {crowd['n'] - crowd['not_finished_ok']} of {crowd['n']} runs finished successfully, "
        f"{crowd['with_new_images']} brought new /media/ images, {crowd['media_requests']} image requests "
        f"({crowd['errors'].get('media not 200', 0)} not 200)")
    log(f"  errors: {dict(crowd['errors']) or 'none'}")
    for kind, example in crowd["error_examples"].items():
        log(f"    e.g. {kind}: {example}")
    log(f"  server RSS {crowd['rss_before_mb']:.0f} MB before, peak {crowd['peak_rss_mb']:.0f} MB; "
        f"server CPU {crowd['server_cpu_cores']:.2f} cores (alone: {single['server_cpu_cores']:.2f}) of "
        f"{crowd['machine_busy_cores']:.2f} busy on the machine, "
        f"{crowd['server_cpu_seconds_per_interaction']:.3f} CPU s per interaction; server threads waited "
        f"{crowd['runqueue_wait_seconds']:.0f} s for a CPU (run queue) while running {crowd['on_cpu_seconds']:.0f} s; "
        f"client CPU {report['client_cpu_seconds']:.0f} s in {report['wall_seconds']:.0f} s")
    if len(crowd["per_page"]) > 1:
        log("  per lesson (classroom): " + "; ".join(
            f"{page} n={s['n']} p50 {s['p50_ms']:.0f} p95 {s['p95_ms']:.0f}" for page, s in crowd["per_page"].items()
            if s["n"]))
    ratio = report["p95_ratio"]
    verdict = "meets" if ratio <= TARGET_RATIO and not crowd["errors"] else "MISSES"
    log(f"{name}: p95 ratio classroom / single: {ratio:.2f}   {verdict} target <= {TARGET_RATIO:g} with no errors")
    if report["single_same_lessons_p95_ms"] != single["p95_ms"]:
        log(f"  (single learner on the lessons the classroom covered: p95 "
            f"{report['single_same_lessons_p95_ms']:.0f} ms, ratio {report['p95_ratio_same_lessons']:.2f})")


if __name__ == "__main__":
    main()
