"""Shared by the browser benchmarks: start Pixel Lab (or any page) with ``streamlit run``, find Chromium, read RSS.

Nothing here downloads anything: the browser is Playwright's own if installed,
else a ``chromium`` on PATH (Debian's package), else ``$PIXEL_LAB_CHROMIUM``.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: The minimal page every benchmark compares against: one slider and a 4 x 4 picture.
REFERENCE_PAGE = "benchmarks/reference_page.py"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def chromium_path(playwright) -> str | None:
    """Playwright's own browser if installed, else a chromium on PATH, else $PIXEL_LAB_CHROMIUM; None if none."""
    bundled = playwright.chromium.executable_path
    if bundled and Path(bundled).exists():
        return bundled
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    from_env = os.environ.get("PIXEL_LAB_CHROMIUM")
    return from_env if from_env and Path(from_env).exists() else None


def find_chromium(playwright) -> str:
    """`chromium_path`, or exit with what to install."""
    found = chromium_path(playwright)
    if found is None:
        raise SystemExit("No Chromium found: install one (apt-get install chromium) or set PIXEL_LAB_CHROMIUM.")
    return found


def wait_healthy(url: str, process: subprocess.Popen | None, *, seconds: float) -> None:
    """Wait until ``url`` answers ``/_stcore/health`` with "ok"; raise if `process` ends or time runs out."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read() == b"ok":
                return
        except OSError:
            pass
        if time.monotonic() > deadline or (process is not None and process.poll() is not None):
            raise RuntimeError(f"{url} did not become healthy")
        time.sleep(0.05)


@dataclass
class RunningApp:
    url: str
    process: subprocess.Popen
    started: float  # time.perf_counter() just before `streamlit run` was started
    healthy: float  # ... and when /_stcore/health first answered "ok"


@contextlib.contextmanager
def running_app(script: str | Path = "app.py", *, log: Path | None = None, extra_args: tuple[str, ...] = (),
                environment: dict[str, str] | None = None) -> Iterator[RunningApp]:
    """Run ``streamlit run script`` on a free loopback port until the block ends.

    Parameters
    ----------
    script : str or Path
        Entry point, relative to the repository root (``benchmarks/reference_page.py`` for the reference).
    log : Path, optional
        Where the server's output goes (default: discarded).
    extra_args : tuple of str
        More ``streamlit run`` options, e.g. ``("--server.maxUploadSize", "50")``.
    environment : dict of str to str, optional
        Extra environment variables for the server (e.g. ``STREAMLIT_SERVER_COOKIE_SECRET``).
    """
    port = free_port()
    command = [
        sys.executable, "-m", "streamlit", "run", str(script), "--server.headless", "true",
        "--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none", *extra_args,
    ]
    output = open(log, "w") if log else subprocess.DEVNULL
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, stdout=output, stderr=subprocess.STDOUT,
                               env={**os.environ, **(environment or {})})
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, process, seconds=90)
        yield RunningApp(url=url, process=process, started=started, healthy=time.perf_counter())
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        if log:
            output.close()


def rss_bytes(pid: int) -> int:
    """Resident memory of one process (Linux /proc), in bytes."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError(f"no VmRSS for process {pid}")


NGINX_TEMPLATE = ROOT / "deploy" / "nginx.conf.template"


def render_nginx_conf(run_dir: Path, listen: str, app_ports: list[int], *, affinity: bool = True) -> str:
    """deploy/nginx.conf.template filled in for processes on `app_ports`; ``affinity=False`` round-robins."""
    text = NGINX_TEMPLATE.read_text()
    servers = "\n        ".join(f"server 127.0.0.1:{port} max_fails=1 fail_timeout=5s;" for port in app_ports)
    text = text.replace("@@RUN_DIR@@", str(run_dir)).replace("@@LISTEN@@", listen)
    text = text.replace("@@UPSTREAM_SERVERS@@", servers)
    if not affinity:
        hash_line = "hash $pixel_lab_route consistent;"
        assert hash_line in text, "the template's hash line changed: update this check"
        text = text.replace(hash_line, "# (no affinity: nginx's default round-robin)")
    leftover = re.findall(r"@@\w+@@", text)
    assert not leftover, f"unfilled placeholders: {leftover}"
    return text


@dataclass
class RunningCluster:
    url: str  # nginx, in front of every process
    pids: list[int]  # the app processes


@contextlib.contextmanager
def running_cluster(processes: int, *, log_dir: Path) -> Iterator[RunningCluster]:
    """Run `processes` copies of ``streamlit run app.py`` (one cookie secret) behind nginx with cookie affinity,
    as README "Several processes behind nginx" describes, until the block ends. Needs Debian's nginx binary."""
    nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if nginx is None:
        raise SystemExit("nginx not found: apt-get install nginx (only the binary is used)")
    log_dir.mkdir(parents=True, exist_ok=True)
    # The same secret in every process; Streamlit refuses it as a command-line flag.
    secret = {"STREAMLIT_SERVER_COOKIE_SECRET": secrets.token_hex(32)}
    with contextlib.ExitStack() as stack:
        apps = [stack.enter_context(running_app("app.py", log=log_dir / f"app{index}.log", environment=secret))
                for index in range(processes)]
        port = free_port()
        conf = log_dir / "nginx.conf"
        conf.write_text(render_nginx_conf(log_dir, f"127.0.0.1:{port}", [int(app.url.rsplit(":", 1)[1]) for app in apps]))
        arguments = [nginx, "-c", str(conf), "-p", str(log_dir), "-e", str(log_dir / "error.log")]
        subprocess.run([*arguments, "-t"], check=True, capture_output=True, timeout=30)
        proxy = subprocess.Popen([*arguments, "-g", "daemon off;"], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        try:
            url = f"http://127.0.0.1:{port}"
            wait_healthy(url, proxy, seconds=20)
            yield RunningCluster(url=url, pids=[app.process.pid for app in apps])
        finally:
            proxy.send_signal(signal.SIGQUIT)
            try:
                proxy.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proxy.kill()
