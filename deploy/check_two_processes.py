"""Two Pixel Lab processes behind nginx with cookie affinity, used by several learners in headless Chromium.

    python deploy/check_two_processes.py                     # about 2 minutes; prints PASS or FAIL
    python deploy/check_two_processes.py --no-affinity       # the same with plain round-robin: shows what breaks

What it does, all on loopback addresses and all stopped at the end:

1. starts two ``streamlit run app.py`` processes on free ports with the same cookie secret
   (``STREAMLIT_SERVER_COOKIE_SECRET``);
2. fills in ``deploy/nginx.conf.template`` and runs nginx in the foreground with it (``nginx -c ... -p ...``);
3. opens several learner sessions through nginx (each its own browser context, so its own cookies), at
   ``http://pixel-lab.localhost:<port>``: a name that is not an address, as a school's domain would be, so
   Streamlit's same-origin check for the websocket is exercised as in a real deployment;
4. in each session: uploads a generated PNG of its own size through the sidebar uploader (one session
   uploads a ~12 MB photo-sized file, past nginx's default 1 MB body limit), checks that Home states that
   size, opens two lessons from the sidebar menu, moves a slider with the keyboard, and comes back Home;
5. asserts: no exception element, no page error, no HTTP error response, every <img> decoded, the size
   shown, each session served by one process only (X-Upstream header), and both processes used.

Needs nginx (Debian: ``apt-get install nginx``; only the binary is used, no service) and Chromium
(see benchmarks/server.py).
"""

from __future__ import annotations

import argparse
import io
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from benchmarks.server import (  # noqa: E402
    CHROMIUM_ARGS, find_chromium, free_port, render_nginx_conf, rss_bytes, wait_healthy,
)

HOST = "pixel-lab.localhost"  # Chromium resolves *.localhost to the loopback address itself
APP_READY = "[data-testid='stApp'][data-test-script-state='notRunning']"
LESSON_STEPS = (("Histograms and point operations", "histograms"), ("Thresholding", "thresholding"))


@dataclass
class Session:
    number: int
    width: int
    height: int
    png: bytes
    big: bool = False
    upstreams: Counter = field(default_factory=Counter)
    bad_responses: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    slider_ms: list[float] = field(default_factory=list)
    upload_ms: float = 0.0


def log(message: str) -> None:
    print(f"[{time.monotonic() - STARTED:6.1f}s] {message}", flush=True)


STARTED = time.monotonic()


class Deadline(BaseException):
    """The whole check ran out of time (a BaseException, so no per-step handler swallows it)."""


def timed(session: "Session", what: str, started: float) -> None:
    log(f"session {session.number}: {what} ({time.perf_counter() - started:.1f} s)")


def make_png(width: int, height: int, *, noise: bool, seed: int) -> bytes:
    """A colour PNG: smooth gradients with a few shapes, or (noise=True) incompressible noise, a big file."""
    rng = np.random.default_rng(seed)
    if noise:
        pixels = rng.integers(0, 256, (height, width, 3), dtype=np.uint8)
    else:
        y, x = np.mgrid[0:height, 0:width]
        pixels = np.stack([x * 255 // max(width - 1, 1), y * 255 // max(height - 1, 1),
                           (x + y) * 255 // max(width + height - 2, 1)], axis=-1).astype(np.uint8)
        for _ in range(5):
            cy, cx, r = rng.integers(0, height), rng.integers(0, width), rng.integers(10, 60)
            pixels[(y - cy) ** 2 + (x - cx) ** 2 < r * r] = rng.integers(0, 256, 3, dtype=np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, "PNG", compress_level=1)
    return buffer.getvalue()


def stop(process: subprocess.Popen, name: str) -> None:
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM if name != "nginx" else signal.SIGQUIT)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


READY = """() => {
    const app = document.querySelector("[data-testid='stApp']");
    if (!app || app.getAttribute("data-test-script-state") !== "notRunning") return null;
    if (!document.querySelector("h1") || document.querySelector("[data-stale='true']")) return null;
    if (![...document.images].every(i => i.complete)) return null;
    return document.images.length;
}"""


def wait_ready(page, timeout: float = 90.0) -> None:
    """The script has finished, nothing is stale, and the same number of loaded images on three looks.

    The script state reads "notRunning" for a moment before a run starts, and images can arrive
    shortly after the run ends, so one look is not enough (as in tests/e2e/test_browser.py).
    """
    deadline = time.monotonic() + timeout
    history: list[int | None] = []
    while time.monotonic() < deadline:
        history.append(page.evaluate(READY))
        if len(history) >= 3 and history[-1] is not None and history[-1] == history[-2] == history[-3]:
            return
        page.wait_for_timeout(250)
    raise TimeoutError(f"the page did not settle within {timeout:.0f} s (image counts seen: {history[-6:]})")


def check_page(session: Session, page, where: str) -> None:
    if page.locator("[data-testid='stException']").count():
        session.problems.append(f"{where}: exception on the page: "
                                f"{page.locator('[data-testid=stException]').first.inner_text()[:300]}")
    widths = page.eval_on_selector_all("[data-testid='stApp'] img", "imgs => imgs.map(i => i.naturalWidth)")
    if not widths:
        session.problems.append(f"{where}: no image on the page")
    elif not all(width > 0 for width in widths):
        session.problems.append(f"{where}: {sum(w == 0 for w in widths)} of {len(widths)} images not decoded")


CHANGED_IMAGE = """before => {
    const images = [...document.querySelectorAll("[data-testid='stImage'] img")];
    return images.some(i => !before.includes(i.src)) && images.every(i => i.complete);
}"""


def slider_step(session: Session, page, where: str) -> None:
    """Move the first visible slider one step right with the keyboard; time it until a new picture has loaded."""
    # Streamlit 1.67's slider is a visually hidden <input type="range"> (react-aria); disabled ones are skipped.
    handle = page.locator("[data-testid='stMain'] [data-testid='stSlider'] input[type='range']:not([disabled])").first
    handle.wait_for(state="attached", timeout=20_000)
    handle.evaluate("input => input.closest(\"[data-testid='stSlider']\").scrollIntoView({block: 'center'})")
    before_value = handle.input_value()
    before = page.eval_on_selector_all("[data-testid='stImage'] img", "imgs => imgs.map(i => i.src)")
    handle.focus()
    started = time.perf_counter()
    page.keyboard.press("ArrowRight")
    page.wait_for_function(CHANGED_IMAGE, arg=before, timeout=60_000)
    session.slider_ms.append((time.perf_counter() - started) * 1000)
    wait_ready(page)
    if handle.input_value() == before_value:
        session.problems.append(f"{where}: the slider did not move ({before_value})")


def open_from_menu(page, title: str, slug: str) -> None:
    """Click a link in the sidebar menu; `slug` "" is Home."""
    page.locator("[data-testid='stSidebar'] a", has_text=title).first.click()
    page.wait_for_url(re.compile(rf"/{slug}(\?|$)"), timeout=30_000)
    page.wait_for_selector(f"h1:has-text('{title}')", timeout=60_000)
    wait_ready(page)


def open_session(session: Session, page, base: str) -> None:
    started = time.perf_counter()
    page.goto(f"{base}/?img=upload")
    page.wait_for_selector("[data-testid='stFileUploaderDropzoneInput']", state="attached", timeout=90_000)
    wait_ready(page)
    timed(session, "opened /?img=upload", started)


def run_session_steps(sessions: list[Session], pages: list) -> None:
    """Each step for every session in turn, so all sessions are open on the servers at the same time."""
    for session, page in zip(sessions, pages):
        started = time.perf_counter()
        page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(
            {"name": f"session{session.number}.png", "mimeType": "image/png", "buffer": session.png})
        size = f"{session.width} × {session.height} pixels"
        try:
            page.get_by_text(size).first.wait_for(timeout=90_000)
            session.upload_ms = (time.perf_counter() - started) * 1000
            wait_ready(page)
            check_page(session, page, "Home after upload")
            timed(session, f"uploaded {len(session.png) / 1e6:.2f} MB, Home shows {size}", started)
        except Exception as error:  # noqa: BLE001 - reported, the check goes on with the other sessions
            session.problems.append(f"Home: '{size}' never appeared after the upload ({type(error).__name__})")
    for title, slug in LESSON_STEPS:
        for session, page in zip(sessions, pages):
            try:
                started = time.perf_counter()
                open_from_menu(page, title, slug)
                timed(session, f"opened {slug} from the menu", started)
                if not page.get_by_text(f"File: session{session.number}.png").count():
                    session.problems.append(f"{slug}: the lesson does not show this session's upload")
                check_page(session, page, slug)
                started = time.perf_counter()
                slider_step(session, page, slug)
                check_page(session, page, f"{slug} after the slider")
                timed(session, f"moved a slider on {slug}: new picture in {session.slider_ms[-1]:.0f} ms", started)
            except Exception as error:  # noqa: BLE001
                session.problems.append(f"{slug}: {type(error).__name__}: {str(error).splitlines()[0][:200]}")
    for session, page in zip(sessions, pages):
        size = f"{session.width} × {session.height} pixels"
        try:
            started = time.perf_counter()
            open_from_menu(page, "Pixel Lab", "")
            page.get_by_text(size).first.wait_for(timeout=30_000)
            check_page(session, page, "Home again")
            timed(session, f"back Home, still {size}", started)
        except Exception as error:  # noqa: BLE001
            session.problems.append(f"Home again: '{size}' not shown ({type(error).__name__}: "
                                    f"{str(error).splitlines()[0][:120]})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=6, help="learner sessions to open (default 6)")
    parser.add_argument("--no-affinity", action="store_true", help="round-robin instead of the route cookie")
    parser.add_argument("--timeout", type=int, default=600, help="give up after this many seconds (default 600)")
    parser.add_argument("--keep", action="store_true", help="keep the run folder (logs, nginx.conf)")
    args = parser.parse_args()
    affinity = not args.no_affinity
    if args.sessions < 2:
        parser.error("--sessions must be at least 2")

    def give_up(signum, _frame):
        raise Deadline(f"the check took longer than {args.timeout} s" if signum == signal.SIGALRM
                       else f"stopped by signal {signum}")

    signal.signal(signal.SIGALRM, give_up)
    signal.signal(signal.SIGTERM, give_up)
    signal.alarm(args.timeout)

    nginx = shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if Path(p).exists()), None)
    if not nginx:
        print("FAIL: nginx not found (Debian: apt-get install -y nginx)")
        return 1
    run_dir = Path(tempfile.mkdtemp(prefix="pixel-lab-lb-"))
    os.chmod(run_dir, 0o755)
    secret = secrets.token_hex(32)
    app_ports, nginx_port = [free_port(), free_port()], free_port()
    processes: list[tuple[str, subprocess.Popen]] = []
    logs = []
    sessions: list[Session] = []
    failures: list[str] = []
    try:
        env = {**os.environ, "STREAMLIT_SERVER_COOKIE_SECRET": secret}
        for index, port in enumerate(app_ports):
            output = open(run_dir / f"app{index}.log", "w")
            logs.append(output)
            command = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
                       "--server.port", str(port), "--server.address", "127.0.0.1",
                       "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"]
            processes.append((f"app{index}", subprocess.Popen(command, cwd=ROOT, env=env, stdout=output,
                                                             stderr=subprocess.STDOUT)))
        for (name, process), port in zip(processes, app_ports):
            wait_healthy(f"http://127.0.0.1:{port}", process, seconds=90)
        log(f"two app processes healthy on 127.0.0.1:{app_ports[0]} and :{app_ports[1]} (same cookie secret)")

        conf = run_dir / "nginx.conf"
        conf.write_text(render_nginx_conf(run_dir, f"127.0.0.1:{nginx_port}", app_ports, affinity=affinity))
        nginx_args = [nginx, "-c", str(conf), "-p", str(run_dir), "-e", str(run_dir / "error.log")]
        tested = subprocess.run([*nginx_args, "-t"], capture_output=True, text=True, timeout=30)
        if tested.returncode:
            raise RuntimeError(f"nginx -t failed: {tested.stderr}")
        processes.append(("nginx", subprocess.Popen([*nginx_args, "-g", "daemon off;"],
                                                    stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)))
        base = f"http://{HOST}:{nginx_port}"
        wait_healthy(f"http://127.0.0.1:{nginx_port}", processes[-1][1], seconds=20)
        log(f"nginx on 127.0.0.1:{nginx_port} ({'cookie affinity' if affinity else 'round-robin, NO affinity'}); "
            f"learners open {base}")

        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=find_chromium(playwright),
                args=[*CHROMIUM_ARGS, f"--host-resolver-rules=MAP {HOST} 127.0.0.1"])
            pages = []
            # Open sessions; if the random route cookies happened to put them all on one process, open a
            # few more (each lands on either with probability 1/2) so that both are exercised.
            while len(sessions) < args.sessions or (
                    affinity and len({u for s in sessions for u in s.upstreams}) < 2 and len(sessions) < 16):
                number = len(sessions)
                big = number == 0
                width, height = (2400, 1700) if big else (300 + 23 * number, 200 + 17 * number)
                session = Session(number, width, height, make_png(width, height, noise=big, seed=number), big)
                sessions.append(session)
                context = browser.new_context(viewport={"width": 1400, "height": 1000})
                context.set_default_timeout(60_000)
                page = context.new_page()

                def on_response(response, session=session):
                    upstream = response.headers.get("x-upstream")
                    if upstream:
                        session.upstreams[upstream] += 1
                    if response.status >= 400:
                        session.bad_responses.append(f"{response.status} {response.request.method} "
                                                     f"{response.url.split(HOST, 1)[-1][:90]}")

                page.on("response", on_response)
                page.on("pageerror", lambda error, session=session: session.page_errors.append(str(error)[:200]))
                pages.append(page)
                open_session(session, page, base)
            log(f"{len(sessions)} sessions open, each with its own cookies; session 0 uploads a "
                f"{len(sessions[0].png) / 1e6:.1f} MB PNG, the others {min(len(s.png) for s in sessions[1:]) / 1e3:.0f}"
                f"-{max(len(s.png) for s in sessions[1:]) / 1e3:.0f} kB")
            run_session_steps(sessions, pages)
            memory = {name: rss_bytes(process.pid) for name, process in processes if name != "nginx"}
            log("resident memory with every session still open: "
                + ", ".join(f"{name} {size / 2**20:.0f} MiB" for name, size in memory.items()))
            browser.close()
        log("browser sessions done")
    except (Exception, Deadline) as error:  # noqa: BLE001 - reported in the summary
        failures.append(f"{type(error).__name__}: {error}")
    finally:
        signal.alarm(0)
        for name, process in reversed(processes):
            stop(process, name)
        for handle in logs:
            handle.close()
    still_running = [name for name, process in processes if process.poll() is None]
    if still_running:
        failures.append(f"still running after stop: {still_running}")

    # ---- Summary ------------------------------------------------------------------------------------
    upstream_names = {f"127.0.0.1:{port}": f"app{index}" for index, port in enumerate(app_ports)}
    per_process = Counter()
    print()
    print(f"{'session':>7} {'image':>11} {'process':>8} {'responses':>9} {'upload ms':>9} {'slider ms':>13}  problems")
    for session in sessions:
        served = {upstream_names.get(u.split(",")[0].strip(), u) for u in session.upstreams}
        # Round-robin answers from both; with affinity a session must see exactly one.
        label = "+".join(sorted(served)) or "-"
        if len(served) == 1:
            per_process[label] += 1
        problems = session.problems + [f"page error: {e}" for e in session.page_errors] + \
            [f"HTTP {r}" for r in session.bad_responses[:6]]
        if affinity and len(served) != 1:
            problems.append(f"served by {label}: affinity broken")
        sliders = "/".join(f"{ms:.0f}" for ms in session.slider_ms) or "-"
        print(f"{session.number:>7} {session.width:>5}×{session.height:<5} {label:>8} "
              f"{sum(session.upstreams.values()):>9} {session.upload_ms:>9.0f} {sliders:>13}  "
              f"{'; '.join(problems) if problems else 'none'}")
        failures += [f"session {session.number}: {p}" for p in problems]

    websockets = Counter()
    access_log = run_dir / "access.log"
    if access_log.exists():
        for line in access_log.read_text().splitlines():
            if "/_stcore/stream" in line:
                match = re.search(r"upstream=(\S+)", line)
                websockets[upstream_names.get(match[1].split(",")[0], match[1]) if match else "?"] += 1
    print(f"\nsessions per process (X-Upstream): {dict(sorted(per_process.items()))}; "
          f"websockets per process (nginx access log): {dict(sorted(websockets.items()))}")
    if affinity and sessions and len(per_process) < 2:
        failures.append(f"only {list(per_process)} served sessions: the load was not spread")
    slider_times = sorted(ms for s in sessions for ms in s.slider_ms)
    if slider_times:
        print(f"slider → new pictures through nginx: median {slider_times[len(slider_times) // 2]:.0f} ms, "
              f"max {slider_times[-1]:.0f} ms over {len(slider_times)} moves")
    print(f"total time {time.monotonic() - STARTED:.0f} s; logs in {run_dir}" if args.keep
          else f"total time {time.monotonic() - STARTED:.0f} s")
    if not args.keep:
        shutil.rmtree(run_dir, ignore_errors=True)

    if not affinity:
        broke = [f for f in failures if "session" in f]
        print("\nWITHOUT AFFINITY (round-robin):", f"{len(broke)} problems, as expected" if broke else
              "nothing broke: unexpected")
        for failure in failures[:20]:
            print(f"  - {failure}")
        return 0 if broke else 1
    if failures:
        print(f"\nFAIL: {len(failures)} problems")
        for failure in failures:
            print(f"  - {failure}")
        return 1
    print(f"\nPASS: {len(sessions)} sessions through nginx, each kept on one process, both processes used; "
          "uploads, images and lessons worked in every session")
    return 0


if __name__ == "__main__":
    sys.exit(main())
