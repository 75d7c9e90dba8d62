#!/usr/bin/env bash
# Run the Dockerfile's steps as plain shell commands, for a machine without Docker.
#
#   bash deploy/check_docker_steps.sh            # needs python3.11 with venv, runuser, curl; about 2-4 minutes
#
# It reads ../Dockerfile and ../.dockerignore and translates each instruction:
#   FROM python:X-slim  -> a fresh virtual environment made by a python X that any user can run
#   ENV                 -> exported variables
#   RUN useradd ...     -> a home folder for "nobody" (this machine's user list is left alone)
#   RUN <other>         -> run as written, as root, in the copy of WORKDIR, with the venv's python first on PATH
#   WORKDIR, COPY       -> a folder under $DOCKERISH_DIR; COPY . . copies only what .dockerignore lets in
#   USER                -> the server runs as "nobody" (via runuser), so it cannot write the app's files
#   EXPOSE, CMD         -> CMD as written, with port 8501 replaced by a free one and 0.0.0.0 by 127.0.0.1
#   HEALTHCHECK         -> its command, run as that user, must succeed
# Then it fetches /_stcore/health and a lesson page (and, if Playwright and Chromium are there, renders
# the lesson in a headless browser), and stops the server. Exit status 0 means every step passed.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="${DOCKERISH_DIR:-/tmp/dockerish}"
RUN_AS="${DOCKERISH_USER:-nobody}"
STEPS="$WORK.steps.sh"
CLIENT_PYTHON="${DOCKERISH_CLIENT_PYTHON:-$(command -v python3 || true)}"   # the browser check only; resolved before the venv comes first on PATH
START=$(date +%s)
SERVER_PID=""   # runuser, started by this script
APP_PID=""      # the server process it started as the non-root user

log() { printf '[%4ss] %s\n' "$(( $(date +%s) - START ))" "$*"; }
fail() { log "FAIL: $*"; exit 1; }

cleanup() {
    local pid
    for pid in $APP_PID $SERVER_PID; do
        kill -0 "$pid" 2>/dev/null || continue
        kill "$pid" 2>/dev/null || true
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
        kill -9 "$pid" 2>/dev/null || true
    done
}
trap cleanup EXIT

[[ $EUID -eq 0 ]] || fail "run as root (runuser is needed to start the server as $RUN_AS)"
command -v runuser >/dev/null || fail "runuser not found"
command -v curl >/dev/null || fail "curl not found"
id "$RUN_AS" >/dev/null || fail "no user $RUN_AS"

rm -rf "$WORK" "$STEPS"
mkdir -p "$WORK"

# ---- Translate the Dockerfile into a shell script ------------------------------------------------
python3 - "$ROOT" "$WORK" "$RUN_AS" > "$STEPS" <<'PY'
import json, os, re, shlex, shutil, socket, sys
from pathlib import Path

root, work, run_as = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
q = shlex.quote


def instructions(text):
    """(KEYWORD, arguments) per instruction, continuation lines joined, comments dropped."""
    logical, current = [], ""
    for line in text.splitlines():
        if not current and (not line.strip() or line.lstrip().startswith("#")):
            continue
        if line.rstrip().endswith("\\"):
            current += line.rstrip()[:-1] + " "
            continue
        logical.append(current + line)
        current = ""
    for line in logical:
        keyword, _, rest = line.strip().partition(" ")
        yield keyword.upper(), rest.strip()


def ignore_rules(text):
    """(negated, regex) per .dockerignore line, in order (the last matching rule wins, as in Docker)."""
    rules = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        negated = line.startswith("!")
        pattern = os.path.normpath(line.lstrip("!").strip()).lstrip("/")
        regex = ""
        i = 0
        while i < len(pattern):
            if pattern.startswith("**/", i):
                regex += "(?:.*/)?"; i += 3
            elif pattern.startswith("**", i):
                regex += ".*"; i += 2
            elif pattern[i] == "*":
                regex += "[^/]*"; i += 1
            elif pattern[i] == "?":
                regex += "[^/]"; i += 1
            else:
                regex += re.escape(pattern[i]); i += 1
        rules.append((negated, re.compile(regex + r"\Z")))
    return rules


def excluded(relative, rules):
    """Docker's rule: a path is out if the last rule matching it, or one of its parent folders, excludes it."""
    parts = relative.split("/")
    prefixes = ["/".join(parts[: n + 1]) for n in range(len(parts))]
    out = False
    for negated, regex in rules:
        if any(regex.match(prefix) for prefix in prefixes):
            out = not negated
    return out


def copy_context(source, destination, rules):
    """COPY <source> <destination> with the build context filtered by .dockerignore."""
    copied = 0
    base = root / source
    for path in sorted(base.rglob("*") if base.is_dir() else [base]):
        relative = path.relative_to(root).as_posix()
        if path.is_dir() or excluded(relative, rules):
            continue
        target = destination / (path.relative_to(base) if base.is_dir() else path.name)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)
        copied += 1
    return copied


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


rules = ignore_rules((root / ".dockerignore").read_text())
workdir = None
port = str(free_port())
exposed = None
home = work / "home"
print("set -euo pipefail")
for keyword, args in instructions((root / "Dockerfile").read_text()):
    print(f"step {q(keyword + ' ' + args[:110])}")
    if keyword == "FROM":
        match = re.fullmatch(r"python:(\d+\.\d+)(?:\.\d+)?-slim(?:-\w+)?", args)
        if not match:
            sys.exit(f"unsupported base image {args!r}: this check mirrors python:X.Y-slim only")
        version = match[1]
        # The interpreter must be runnable by the server's user (a pyenv under /root is not).
        print(f"PY=$(command -v /usr/bin/python{version} || command -v python{version})")
        print(f'runuser -u {q(run_as)} -- "$PY" -c "import sys; assert sys.version_info[:2] == ({version.replace(".", ", ")})"')
        print(f'"$PY" -m venv {q(str(work / "venv"))}')
        print(f'export PATH={q(str(work / "venv" / "bin"))}:"$PATH"')
        print('echo "    python: $(command -v python) ($(python --version))"')
    elif keyword == "ENV":
        for assignment in shlex.split(args):
            name, _, value = assignment.partition("=")
            print(f"export {name}={q(value)}")
    elif keyword == "WORKDIR":
        workdir = work / args.lstrip("/")
        print(f"mkdir -p {q(str(workdir))} && cd {q(str(workdir))}")
    elif keyword == "COPY":
        parts = shlex.split(args)
        parts = [p for p in parts if not p.startswith("--")]
        source, destination = parts[0], parts[-1]
        target = workdir if destination in (".", "./") else workdir / destination
        count = copy_context(source, target, rules)
        print(f"echo '    {count} files from {source} (filtered by .dockerignore)'")
    elif keyword == "RUN":
        if re.match(r"(useradd|adduser|groupadd)\b", args):
            print(f"mkdir -p {q(str(home))} && chown {q(run_as)} {q(str(home))}")
            print("echo " + q(f"    user: {run_as} with HOME={home} stands in (this machine's users are left alone)"))
        else:
            print(f"( {args} ) 2>&1 | tail -n 3 | sed 's/^/    /'")
    elif keyword == "USER":
        print(f"echo '    the server will run as {run_as}'")
    elif keyword == "EXPOSE":
        exposed = args.split("/")[0]
    elif keyword in ("HEALTHCHECK", "CMD"):
        if keyword == "HEALTHCHECK":
            options, _, args = args.partition("CMD ")
        command = json.loads(args)
        if exposed:
            command = [part.replace(exposed, port) for part in command]
        command = [("127.0.0.1" if part == "0.0.0.0" else part) for part in command]
        name = "HEALTH_CMD" if keyword == "HEALTHCHECK" else "SERVER_CMD"
        print(f"{name}=({' '.join(q(part) for part in command)})")
    elif keyword in ("LABEL", "ARG"):
        continue
    else:
        sys.exit(f"instruction {keyword} is not mirrored by this check")

print(f"PORT={port}")
print(f"APP_DIR={q(str(workdir))}")
print(f"HOME_DIR={q(str(home))}")
PY

step() { log "Dockerfile: $*"; }

# ---- Build: run the translated steps ----------------------------------------------------------
# shellcheck disable=SC1090
source "$STEPS"
cd "$APP_DIR"
log "image contents: $(find . -type f | sed 's|^\./||' | cut -d/ -f1 | sort | uniq -c | tr -s ' ' | tr '\n' ',' | sed 's/,$//')"
for unwanted in .git .venv test-output .hypothesis benchmarks tests requirements-test.txt; do
    [[ ! -e "$unwanted" ]] || fail "$unwanted was copied into the image"
done
[[ -f .streamlit/config.toml ]] || fail ".streamlit/config.toml is not in the image"
if python -m pip show pytest >/dev/null 2>&1 || python -m pip show playwright >/dev/null 2>&1; then
    fail "test tools were installed into the image"
fi
log "installed: $(python -m pip list --format=freeze 2>/dev/null | wc -l) distributions, no test tools; venv $(du -sh "$WORK/venv" | cut -f1)"

# ---- Run: CMD as the non-root user ------------------------------------------------------------
log "CMD as $RUN_AS: ${SERVER_CMD[*]}"
touch "$WORK/started.marker"
runuser -u "$RUN_AS" -- env -i PATH="$PATH" HOME="$HOME_DIR" LANG=C.UTF-8 \
    PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 "${SERVER_CMD[@]}" > "$WORK/server.log" 2>&1 &
SERVER_PID=$!
URL="http://127.0.0.1:$PORT"
for _ in $(seq 300); do
    [[ "$(curl -s --max-time 2 "$URL/_stcore/health" || true)" == ok ]] && break
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server.log"; fail "the server exited"; }
    sleep 0.3
done
[[ "$(curl -s --max-time 2 "$URL/_stcore/health" || true)" == ok ]] || { tail -20 "$WORK/server.log"; fail "no health answer"; }
log "GET /_stcore/health -> ok"

APP_PID=$(pgrep -P "$SERVER_PID" | head -1 || true)
[[ -n "$APP_PID" ]] || APP_PID=$SERVER_PID
owner=$(ps -o user= -p "$APP_PID" | tr -d ' ')
log "server process $APP_PID runs as: $owner ($(ps -o args= -p "$APP_PID" | cut -c1-120))"
[[ "$owner" != root ]] || fail "the server runs as root"
if runuser -u "$RUN_AS" -- touch "$APP_DIR/written-by-app" 2>/dev/null; then
    fail "the app's user can write into the app folder"
fi
log "the app folder is read-only for $RUN_AS"

runuser -u "$RUN_AS" -- env -i PATH="$PATH" HOME="$HOME_DIR" "${HEALTH_CMD[@]}" || fail "HEALTHCHECK command failed"
log "HEALTHCHECK command exit 0"

page=$(curl -s --max-time 10 -w '\n%{http_code}' "$URL/convolution?img=coins")
[[ "$(tail -n1 <<<"$page")" == 200 ]] || fail "GET /convolution -> $(tail -n1 <<<"$page")"
grep -q '<div id="root">' <<<"$page" || fail "GET /convolution did not return the app's page"
log "GET /convolution?img=coins -> 200, the app's HTML"

# The HTML is the same for every path: the lesson itself runs over the websocket. Render it if a browser is at hand.
if "$CLIENT_PYTHON" -c "import playwright" 2>/dev/null && (cd "$ROOT" && "$CLIENT_PYTHON" -c "import benchmarks.server" 2>/dev/null); then
    (cd "$ROOT" && timeout 120 "$CLIENT_PYTHON" - "$URL" <<'PY') || fail "the lesson did not render in Chromium"
import sys, time
from playwright.sync_api import sync_playwright
from benchmarks.server import CHROMIUM_ARGS, find_chromium

url = sys.argv[1]
with sync_playwright() as p:
    browser = p.chromium.launch(executable_path=find_chromium(p), args=CHROMIUM_ARGS)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    started = time.perf_counter()
    page.goto(f"{url}/convolution?img=coins")
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning'] [data-testid='stImage'] img",
                           timeout=60_000)
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=60_000)
    page.wait_for_function("[...document.images].every(i => i.complete)", timeout=30_000)
    title = page.locator("h1").first.inner_text()
    images = page.eval_on_selector_all("[data-testid='stImage'] img", "imgs => imgs.map(i => i.naturalWidth)")
    exceptions = page.locator("[data-testid='stException']").count()
    browser.close()
assert not errors and not exceptions, (errors, exceptions)
assert images and all(width > 0 for width in images), images
print(f"    Chromium: '{title}' rendered in {time.perf_counter() - started:.1f} s, "
      f"{len(images)} images decoded, no exception")
PY
    log "lesson rendered by the server running as $RUN_AS"
else
    log "no Playwright in '$CLIENT_PYTHON': lesson rendering not checked (HTML only)"
fi

cleanup
SERVER_PID=""
APP_PID=""
# What the server wrote while it ran (for a read-only root filesystem in Kubernetes): files owned by its user.
written=$(find / -xdev \( -path /proc -o -path /sys \) -prune -o -user "$RUN_AS" -newer "$WORK/started.marker" -print 2>/dev/null \
    | grep -v "^$HOME_DIR$" || true)
if [[ -n "$written" ]]; then
    log "files the server wrote: $(head -5 <<<"$written" | tr '\n' ' ')"
else
    log "the server wrote no file anywhere (its HOME stayed empty)"
fi
if grep -qiE "Traceback|Permission denied|Error" "$WORK/server.log"; then
    grep -iE -m5 "Traceback|Permission denied|Error" "$WORK/server.log"
    fail "the server log shows errors ($WORK/server.log)"
fi
log "PASS: the Dockerfile's steps build and run (server log clean: $WORK/server.log)"
