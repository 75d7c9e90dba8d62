"""A headless Streamlit client that speaks the browser's websocket protocol (shared by memory.py and classroom.py).

One `Session` is one browser tab as the server sees it: a websocket to
``/_stcore/stream`` carrying protobuf ``BackMsg`` (client → server) and
``ForwardMsg`` (server → client) frames from ``streamlit.proto``. No browser,
no JavaScript: the client does what the frontend does on the wire, derived
from Streamlit 1.67's Python side:

* **Connect.** ``GET /_stcore/health`` first, as the frontend does, to get the
  ``_streamlit_xsrf`` cookie (and, behind deploy/'s nginx, the
  ``pixel_lab_route`` cookie that keeps the tab on one process); every later
  request of the tab sends its cookies, as a browser does. The websocket offers the subprotocols
  ``["streamlit", <xsrf token>]`` (web/server/starlette/starlette_websocket.py:
  first entry is the protocol the server selects, second the XSRF token, third
  an existing session id for reconnects) and sends the cookie and a same-host
  ``Origin``. The stream itself does not require the XSRF token (it only gates
  the auth cookie); uploads do.
* **Open a page.** ``BackMsg.rerun_script`` with a ``ClientState`` whose
  ``page_name`` is the URL path (``"smoothing"`` for ``/smoothing``; the pages
  manager matches it against each page's ``url_pathname``), ``page_script_hash``
  empty and the URL's ``query_string`` (``"img=coffee"``).
* **Change a widget.** ``rerun_script`` again, with ``widget_states`` holding the
  widget's server-assigned id (read from the element in the first run's deltas)
  and its new value (sliders: ``double_array_value``; select sliders:
  ``string_array_value`` of option labels), the current query string (tracked
  from ``page_info_changed``) and ``fragment_id`` when the widget was drawn
  inside an ``st.fragment``. Widgets not sent keep their previous value
  (SessionState keeps them in ``_old_state``), so sending the changed widget
  alone is enough.
* **A run is over** at ``ForwardMsg.script_finished``. Exceptions the app shows
  are ``Element.exception`` deltas; images are ``Element.imgs`` with ``/media/...``
  URLs, served over plain HTTP.
* **Upload.** ``BackMsg.file_urls_request`` → ``ForwardMsg.file_urls_response``
  (upload URL with a server-made file id) → HTTP ``PUT`` multipart with the
  ``X-Xsrftoken`` header and cookie (403 without them, since the app keeps
  ``enableXsrfProtection``) → rerun with a ``file_uploader_state_value``.

Needs only what Streamlit itself installs: ``websockets`` (a Streamlit
dependency) and ``protobuf``. Media and uploads use a small asyncio HTTP/1.1
client below, so many sessions can share one event loop without threads.
"""

from __future__ import annotations

import asyncio
import random
import time
import uuid
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.asyncio.client import connect

XSRF_COOKIE = "_streamlit_xsrf"
FINISHED = {
    ForwardMsg.FINISHED_SUCCESSFULLY: "ok",
    ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY: "ok",
    ForwardMsg.FINISHED_WITH_COMPILE_ERROR: "compile error",
    ForwardMsg.FINISHED_EARLY_FOR_RERUN: "early for rerun",
}


class ClientError(RuntimeError):
    """The server refused, closed or did not answer in time."""


@dataclass
class Widget:
    """A widget element as the server drew it in the latest run."""

    kind: str  # "slider", "file_uploader", ...
    proto: object  # the element's own proto (Slider, FileUploader, ...)
    fragment_id: str  # "" unless drawn inside st.fragment
    path: tuple[int, ...]

    @property
    def id(self) -> str:
        return self.proto.id

    @property
    def key(self) -> str:
        """The user key (``conv_ksize``): widget ids of keyed widgets end in ``-<key>``."""
        bound = getattr(self.proto, "query_param_key", "")
        return bound or self.proto.id.rsplit("-", 1)[-1]


@dataclass
class RunResult:
    """One script run, from the BackMsg sent to the script_finished received."""

    status: str
    seconds: float
    messages: int
    bytes: int
    exceptions: list[str] = field(default_factory=list)
    media: list[str] = field(default_factory=list)  # /media/... URLs in this run's deltas


async def http_request(url: str, method: str = "GET", *, headers: dict[str, str] | None = None,
                       body: bytes = b"", timeout: float = 30.0) -> tuple[int, dict[str, str], bytes]:
    """A minimal HTTP/1.1 request over asyncio (loopback only: no TLS, no redirects, no chunked bodies)."""
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")

    async def go() -> tuple[int, dict[str, str], bytes]:
        reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
        try:
            lines = [f"{method} {path} HTTP/1.1", f"Host: {parts.netloc}", "Connection: close",
                     f"Content-Length: {len(body)}"]
            lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
            writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)
            await writer.drain()
            raw = await reader.read()
        finally:
            writer.close()
        head, _, payload = raw.partition(b"\r\n\r\n")
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        response_headers: dict[str, str] = {}
        for line in header_lines:
            name, _, value = line.partition(":")
            name = name.strip().lower()
            response_headers[name] = (response_headers[name] + "\n" if name in response_headers else "") + value.strip()
        return int(status_line.split()[1]), response_headers, payload

    return await asyncio.wait_for(go(), timeout)


async def first_cookies(base_url: str, timeout: float = 30.0) -> dict[str, str]:
    """The cookies set on ``/_stcore/health`` (the frontend's first request): Streamlit's XSRF cookie, and
    behind the nginx of deploy/ the ``pixel_lab_route`` cookie that keeps this tab on one process."""
    status, headers, _ = await http_request(f"{base_url}/_stcore/health", timeout=timeout)
    if status != 200:
        raise ClientError(f"/_stcore/health answered {status}")
    cookies = {}
    for line in headers.get("set-cookie", "").split("\n"):
        name, _, rest = line.partition("=")
        if name.strip():
            cookies[name.strip()] = rest.split(";", 1)[0]
    if XSRF_COOKIE not in cookies:
        raise ClientError("no _streamlit_xsrf cookie (is server.enableXsrfProtection off?)")
    return cookies


class Session:
    """One simulated browser tab: a websocket session on one page of the app.

    Parameters
    ----------
    base_url : str
        ``http://127.0.0.1:PORT``.
    page : str
        URL path of the page without slash (``"smoothing"``); ``""`` for the main page.
    query_string : str
        The URL's query string without ``?`` (``"img=coffee"``).
    timeout : float
        Seconds allowed for connecting and for each script run.
    """

    def __init__(self, base_url: str, page: str = "", query_string: str = "", *, timeout: float = 60.0) -> None:
        self.base_url = base_url
        self.page = page
        self.query_string = query_string
        self.timeout = timeout
        self.session_id = ""
        self.xsrf = ""
        self.cookie = ""  # the Cookie header every request of this tab sends
        self.widgets: dict[str, Widget] = {}  # by widget id, from the latest run
        self.seen_media: set[str] = set()
        self.values: dict[str, list] = {}  # widget id -> value this tab last sent
        self._elements: dict[tuple[int, ...], tuple[str, object, str]] = {}
        self._ws = None
        self._inbox: asyncio.Queue[ForwardMsg | Exception] = asyncio.Queue()
        self._reader: asyncio.Task | None = None
        self._bytes = 0

    # -- connection -----------------------------------------------------------------------------
    async def connect(self) -> None:
        if not self.cookie:  # a reconnect keeps the tab's cookies, as a browser does
            cookies = await first_cookies(self.base_url, self.timeout)
            self.xsrf = cookies[XSRF_COOKIE]
            self.cookie = "; ".join(f"{name}={value}" for name, value in cookies.items())
        host = urlsplit(self.base_url).netloc
        self._ws = await asyncio.wait_for(connect(
            f"ws://{host}/_stcore/stream",
            subprotocols=["streamlit", self.xsrf],
            additional_headers={"Origin": self.base_url, "Cookie": self.cookie},
            max_size=256 * 1024 * 1024,
            open_timeout=self.timeout,
            ping_interval=None,
        ), self.timeout)
        self._reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        try:
            async for frame in self._ws:
                msg = ForwardMsg()
                msg.ParseFromString(frame)
                self._bytes += len(frame)
                await self._inbox.put(msg)
        except Exception as error:  # connection lost: hand it to whoever waits
            await self._inbox.put(error)
        else:
            await self._inbox.put(ClientError("websocket closed by the server"))

    async def close(self) -> None:
        if self._ws is not None:
            await self._ws.close()
        if self._reader is not None:
            self._reader.cancel()
            try:
                await self._reader
            except (asyncio.CancelledError, Exception):
                pass

    async def __aenter__(self) -> Session:
        await self.connect()
        return self

    async def __aexit__(self, *exc) -> None:
        await self.close()

    async def _send(self, back: BackMsg) -> None:
        await self._ws.send(back.SerializeToString())

    async def _next(self, deadline: float) -> ForwardMsg:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise ClientError("timed out waiting for the server")
        try:
            item = await asyncio.wait_for(self._inbox.get(), remaining)
        except asyncio.TimeoutError:
            raise ClientError("timed out waiting for the server") from None
        if isinstance(item, Exception):
            raise ClientError(f"connection lost: {item!r}") from item
        return item

    # -- script runs ------------------------------------------------------------------------------
    def _client_state(self, widget_states: list[WidgetState] = (), fragment_id: str = "") -> ClientState:
        state = ClientState(query_string=self.query_string, page_name=self.page, fragment_id=fragment_id)
        state.widget_states.widgets.extend(widget_states)
        state.context_info.timezone = "UTC"
        state.context_info.timezone_offset = 0
        state.context_info.locale = "en-GB"
        state.context_info.url = f"{self.base_url}/{self.page}" + (f"?{self.query_string}" if self.query_string else "")
        return state

    async def run(self, widget_states: list[WidgetState] = (), fragment_id: str = "") -> RunResult:
        """Request a rerun (the first call opens the page) and wait for script_finished."""
        if self._ws is None:
            await self.connect()
        back = BackMsg()
        back.rerun_script.CopyFrom(self._client_state(widget_states, fragment_id))
        start_bytes, count = self._bytes, 0
        exceptions, media = [], []
        start = time.perf_counter()
        await self._send(back)
        deadline = time.monotonic() + self.timeout
        while True:
            msg = await self._next(deadline)
            count += 1
            kind = msg.WhichOneof("type")
            if kind == "new_session":
                if msg.new_session.initialize.session_id:
                    self.session_id = msg.new_session.initialize.session_id
                if not fragment_id:
                    self._elements.clear()
            elif kind == "page_info_changed":
                self.query_string = msg.page_info_changed.query_string
            elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                element = msg.delta.new_element
                etype = element.WhichOneof("type")
                path = tuple(msg.metadata.delta_path)
                self._elements[path] = (etype, getattr(element, etype) if etype else None, msg.delta.fragment_id)
                if etype == "exception":
                    exceptions.append(f"{element.exception.type}: {element.exception.message}"[:300])
                elif etype == "imgs":
                    media += [img.url for img in element.imgs.imgs if img.url.startswith("/media/")]
            elif kind == "page_not_found":
                exceptions.append(f"page not found: {msg.page_not_found.page_name}")
            elif kind == "script_finished":
                status = FINISHED.get(msg.script_finished, str(msg.script_finished))
                if status == "early for rerun":
                    continue  # superseded by a newer run; keep waiting for that one
                seconds = time.perf_counter() - start
                break
        self.widgets = {
            proto.id: Widget(etype, proto, frag, path)
            for path, (etype, proto, frag) in sorted(self._elements.items())
            if etype is not None and hasattr(proto, "id") and proto.id
        }
        return RunResult(status, seconds, count, self._bytes - start_bytes, exceptions, media)

    def texts(self) -> list[str]:
        """Bodies of the text, markdown and caption elements of the latest run (sidebar included)."""
        return [proto.body for _, (etype, proto, _) in sorted(self._elements.items())
                if etype in ("text", "markdown") and proto is not None]

    def sliders(self) -> list[Widget]:
        """The enabled sliders and select sliders of the latest run, in page order."""
        return [w for w in self.widgets.values() if w.kind == "slider" and not w.proto.disabled]

    def find(self, key: str) -> Widget:
        for widget in self.widgets.values():
            if widget.key == key:
                return widget
        raise KeyError(f"no widget with key {key!r} on /{self.page}: {[w.key for w in self.widgets.values()]}")

    async def set_slider(self, widget: Widget, rng: random.Random) -> tuple[RunResult, list]:
        """Move a slider (or select slider) to a random valid value different from its current one, like a
        learner releasing the thumb, and wait for the rerun."""
        proto = widget.proto
        current = self.values.get(proto.id) or (list(proto.value) if proto.set_value else list(proto.default))
        count = max(1, len(proto.default))  # 2 for a range slider
        for _ in range(10):  # a different value, unless the slider has a single position
            if proto.options:  # select_slider: the value is option labels
                value = [proto.options[i] for i in sorted(rng.choices(range(len(proto.options)), k=count))]
            else:
                step = proto.step or (proto.max - proto.min) / 100 or 1.0
                positions = int(round((proto.max - proto.min) / step))
                value = sorted(min(proto.max, proto.min + rng.randint(0, positions) * step) for _ in range(count))
                if proto.data_type == proto.INT:
                    value = [float(round(v)) for v in value]
                else:
                    value = [round(v, 10) for v in value]
            if value != current:
                break
        state = WidgetState(id=proto.id)
        if proto.options:
            state.string_array_value.data.extend(value)
        else:
            state.double_array_value.data.extend(value)
        self.values[proto.id] = value
        result = await self.run([state], fragment_id=widget.fragment_id)
        return result, value

    async def upload(self, uploader_key: str, name: str, data: bytes, mime: str = "image/jpeg") -> RunResult:
        """Upload a file through the file_uploader with this key, as the frontend does, then rerun."""
        uploader = self.find(uploader_key)
        request_id = uuid.uuid4().hex
        back = BackMsg()
        back.file_urls_request.request_id = request_id
        back.file_urls_request.file_names.append(name)
        back.file_urls_request.session_id = self.session_id
        await self._send(back)
        deadline = time.monotonic() + self.timeout
        while True:
            msg = await self._next(deadline)
            if msg.WhichOneof("type") == "file_urls_response" and msg.file_urls_response.response_id == request_id:
                urls = msg.file_urls_response.file_urls[0]
                break
        boundary = uuid.uuid4().hex
        body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n"
                f"Content-Type: {mime}\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
        upload_url = urls.upload_url if urls.upload_url.startswith("http") else self.base_url + urls.upload_url
        status, _, answer = await http_request(upload_url, "PUT", body=body, timeout=self.timeout, headers={
            "Content-Type": f"multipart/form-data; boundary={boundary}", "X-Xsrftoken": self.xsrf,
            "Cookie": self.cookie, "Origin": self.base_url,
        })
        if status not in (200, 204):
            raise ClientError(f"upload PUT answered {status}: {answer[:200]!r}")
        state = WidgetState(id=uploader.id)
        info = state.file_uploader_state_value.uploaded_file_info.add()
        info.name, info.size, info.file_id = name, len(data), urls.file_id
        info.file_urls.CopyFrom(urls)
        return await self.run([state], fragment_id=uploader.fragment_id)

    async def fetch_media(self, urls: list[str], *, only_new: bool = True) -> list[int]:
        """GET the media URLs (only those this tab has not loaded yet, like a browser cache); HTTP statuses."""
        todo = [url for url in dict.fromkeys(urls) if not (only_new and url in self.seen_media)]
        statuses = []
        for url in todo:
            status, _, _ = await http_request(self.base_url + url, timeout=self.timeout,
                                              headers={"Cookie": self.cookie})
            statuses.append(status)
            if status == 200:
                self.seen_media.add(url)
        return statuses


def working_tree(root: str) -> str:
    """Which code was measured: the commit and how many files differ from it (pages change under us)."""
    import subprocess

    def git(*args: str) -> str:
        try:
            return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, timeout=10).stdout.strip()
        except (OSError, subprocess.TimeoutExpired):
            return "?"

    changed = [line for line in git("status", "--porcelain").splitlines() if line.strip()]
    return f"{git('rev-parse', '--short', 'HEAD')} + {len(changed)} changed files"
