"""Follow the API server: ``GET /state``, then ``/events`` from its ``event_id``.

Runs in one background thread. Data envelopes go into the
:class:`~matrix_client.store.StateStore` (ordered by ``ts``); web control
commands go to a queue for the render loop. A link that stays silent for
``read_timeout`` seconds (the server pings every 15 s) counts as dead and is
reopened with backoff and jitter; after a reconnect ``Last-Event-ID`` makes
the server replay what was missed. Against an older server without
``/state`` the client reads ``/key/{type}`` per type and follows ``/events``
without ids, reading the keys again after every reconnect so nothing is lost.

Each time the stream opens, the follower reads this display's profile
(``GET /displays/{id}/profile``) and hands it to ``on_profile``; while the stream
is open, ``profile`` events naming this display bring each change
(docs/profiles.md).
"""

from __future__ import annotations

import contextlib
import logging
import queue
import socket
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import quote

import requests
import urllib3.exceptions
from sseclient import SSEClient

from glanceboard import strictjson
from glanceboard.backoff import Backoff
from glanceboard.envelope import Envelope, RejectedMessage, is_control, validate_object
from glanceboard.payloads import names
from glanceboard.timefmt import now_ms
from matrix_client.store import StateStore

log = logging.getLogger(__name__)

# Everything that means "the server cannot be reached or read right now". A stream that
# goes silent past the read timeout surfaces as urllib3's own ReadTimeoutError, since
# the body is read from the raw response; a non-JSON answer (a proxy's error page) is a
# ValueError. All are one handled case: warn once per outage, back off, retry.
LINK_ERRORS: tuple[type[BaseException], ...] = (
    requests.RequestException, urllib3.exceptions.HTTPError, OSError, ValueError)

# What an older server (no /state) is asked for, one /key/{type} each.
LEGACY_TYPES = names.DISPLAY_TYPES


@dataclass
class SyncStats:
    connects: int = 0
    events: int = 0
    rejected: int = 0
    failures: int = 0  # failed tries to reach or read the server, over the whole run
    controls: int = 0
    not_ours: int = 0  # control commands targeted at another display, ignored
    profiles: int = 0  # profiles read or received for this display
    reloads: int = 0
    last_error: str = ""
    reasons: dict[str, int] = field(default_factory=dict)


class _RetrySniffer:
    """Passes stream chunks through and notes ``retry:`` lines.

    sseclient-py drops events without data, so a lone ``retry: 3000`` would
    never reach us; this sees the raw lines first.
    """

    def __init__(self, chunks: Iterable[bytes],
                 on_retry: Callable[[int], None] = lambda ms: None) -> None:
        self._chunks = chunks
        self._partial = b""
        self._on_retry = on_retry
        self.retry_ms: int | None = None

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self._chunks:
            lines = (self._partial + chunk).split(b"\n")
            self._partial = lines.pop()[-64:]
            for line in lines:
                if line.startswith(b"retry:"):
                    with contextlib.suppress(ValueError):
                        self.retry_ms = int(line[6:].strip())
                        self._on_retry(self.retry_ms)
            yield chunk


def _interrupt(response: requests.Response) -> None:
    """Wake a thread blocked reading ``response``, from another thread.

    Closing the response would wait for the reader's buffer lock (up to the
    read timeout); shutting the socket down makes the read return at once.
    """
    raw = response.raw
    connection = getattr(raw, "_connection", None)
    sock = getattr(connection, "sock", None)
    if sock is None:  # the connection is detached while streaming: reach the socket via fp
        sock = getattr(getattr(getattr(getattr(raw, "_fp", None), "fp", None), "raw", None),
                       "_sock", None)
    if isinstance(sock, socket.socket):
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)
    else:
        response.close()


def _arriving_chunks(response: requests.Response) -> Iterator[bytes]:
    """The body as it arrives, chunked or not.

    ``iter_content(None)`` waits for the end of a body sent without chunked
    encoding (an HTTP/1.0 server streams that way); ``read1`` returns
    whatever bytes are there.
    """
    raw = response.raw
    if not hasattr(raw, "read1"):  # urllib3 1.x
        yield from response.iter_content(chunk_size=None)
        return
    while True:
        data = raw.read1(8192)
        if not data:
            return
        yield data


def _json_body(response: requests.Response) -> Any:
    """A JSON answer read by the protocol's strict rules: nesting past the limit or a
    NaN is a :class:`RejectedMessage` (a ValueError, so a link failure), never a
    RecursionError escaping the sync thread."""
    return strictjson.loads(response.content)


class StreamFollower:
    """The background thread that keeps the store in step with the API server."""

    def __init__(
        self,
        base_url: str,
        store: StateStore,
        controls: queue.Queue[dict[str, Any]] | None = None,
        *,
        token: str = "",
        read_timeout: float = 45.0,
        connect_timeout: float = 5.0,
        legacy_types: Iterable[str] = (),
        backoff: Backoff | None = None,
        on_change: Callable[[], None] | None = None,
        display_id: str = "",
        on_profile: Callable[[Any, str], Any] | None = None,
    ) -> None:
        self.display_id = display_id  # commands targeted at another id are not ours
        # Gets this display's profile as it came (JSON) and where from, to check and apply.
        self.on_profile = on_profile
        self.base_url = base_url.rstrip("/")
        self.store = store
        self.controls: queue.Queue[dict[str, Any]] = controls or queue.Queue(maxsize=256)
        self.read_timeout = read_timeout
        self.connect_timeout = connect_timeout
        self.legacy_types = tuple(legacy_types) or LEGACY_TYPES
        self.backoff = backoff or Backoff(base=0.5, cap=30.0)
        self.session = requests.Session()
        self.session.headers["Accept"] = "text/event-stream"
        if token:
            self.session.headers["Authorization"] = f"Bearer {token}"
        self.stats = SyncStats()
        # Called after anything the render loop should look at (data, control, link state).
        self.on_change = on_change or (lambda: None)
        self.last_event_id: str | None = None
        self.retry_ms: int | None = None  # the server's last ``retry:`` advice
        self.legacy = False
        self._connected = threading.Event()
        self._stop = threading.Event()
        self._response: requests.Response | None = None
        self._thread: threading.Thread | None = None
        self._state_loaded = False
        self._failures = 0  # failed tries in the current outage
        self._down_since = 0.0
        # The server's clock (its Date header, epoch ms) and when we read it (monotonic s).
        self._server_clock: tuple[int, float] | None = None

    # --- public ------------------------------------------------------------------------

    @property
    def connected(self) -> bool:
        """True while a stream is open and reading."""
        return self._connected.is_set()

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="glanceboard-sync", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 2.0) -> None:
        self._stop.set()
        response = self._response
        if response is not None:
            _interrupt(response)
        if self._thread is not None:
            self._thread.join(timeout)
        self.session.close()

    def load_once(self) -> bool:
        """Read the whole state once, in the caller's thread (``--snapshot``); True if read."""
        try:
            self._load_state()
            return True
        except LINK_ERRORS as exc:
            log.warning("could not read the state from %s: %s", self.base_url, exc)
            return False

    def reload(self) -> None:
        """Read the whole state again (the ``reload`` command), off the render thread."""
        threading.Thread(target=self._reload_safely, name="glanceboard-reload",
                         daemon=True).start()

    # --- the thread --------------------------------------------------------------------

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                # Without an event id to resume from, only a fresh read misses nothing.
                if not self._state_loaded or self.legacy or self.last_event_id is None:
                    self._load_state()
                    self._state_loaded = True
                self._follow()
            except LINK_ERRORS as exc:
                if self._stop.is_set():  # stop() shut the socket: not an outage
                    break
                self._link_failed(exc)
            except Exception as exc:  # noqa: BLE001 - never let the thread die
                self.stats.last_error = f"{type(exc).__name__}: {exc}"
                if not self._stop.is_set():  # closing the stream on stop breaks reads oddly
                    log.exception("sync error")
            finally:
                if self._connected.is_set():
                    self._connected.clear()
                    self.on_change()
            if self._stop.is_set():
                break
            if self.retry_ms is not None:
                # The server's retry: sets the first step of the backoff, jitter included.
                self.backoff.base = min(max(self.retry_ms / 1000, 0.1), self.backoff.cap)
            self._stop.wait(self.backoff.next_delay())

    def _link_failed(self, exc: BaseException) -> None:
        self.stats.last_error = f"{type(exc).__name__}: {exc}"
        self._failures += 1
        self.stats.failures += 1
        if self._failures == 1:
            self._down_since = time.monotonic()
        # Once per outage, then every 20th try: a Pi offline for a day keeps a short log.
        level = logging.WARNING if self._failures % 20 == 1 else logging.DEBUG
        log.log(level, "link to %s down (try %d): %s", self.base_url, self._failures,
                self.stats.last_error)

    def _link_up(self) -> None:
        if self._failures:
            log.info("link to %s up again after %d failed tries (%.0f s)", self.base_url,
                     self._failures, time.monotonic() - self._down_since)
        self._failures = 0

    def _get(self, path: str) -> requests.Response:
        response = self.session.get(f"{self.base_url}{path}",
                                    headers={"Accept": "application/json"},
                                    timeout=(self.connect_timeout, self.read_timeout))
        self._note_server_clock(response)
        return response

    def _note_server_clock(self, response: requests.Response) -> None:
        with contextlib.suppress(TypeError, ValueError, IndexError, OverflowError):
            moment = parsedate_to_datetime(response.headers.get("Date", ""))
            self._server_clock = (int(moment.timestamp() * 1000), time.monotonic())

    def now_ms(self) -> int:
        """The clock a message's ``ts`` is measured against: the later of ours and the
        server's. A Pi's clock may lag until NTP has run; the server's has."""
        local = now_ms()
        if self._server_clock is None:
            return local
        server_ms, read_at = self._server_clock
        return max(local, server_ms + int((time.monotonic() - read_at) * 1000))

    def _load_state(self) -> None:
        response = self._get("/state")
        if response.status_code == 404:
            if not self.legacy:
                log.info("%s has no /state; reading /key/{type} (older server)", self.base_url)
            self.legacy = True
            self.last_event_id = None
            self._load_keys()
            return
        response.raise_for_status()
        body = _json_body(response)
        if not isinstance(body, dict) or not isinstance(body.get("state"), dict):
            raise ValueError("/state answer has no 'state' object")
        envelopes = []
        for obj in body["state"].values():
            envelope = self._validate(obj)
            if envelope is not None:
                envelopes.append(envelope)
        if self.store.apply_many(envelopes):
            self.on_change()
        event_id = body.get("event_id")
        self.last_event_id = str(event_id) if event_id not in (None, "") else None
        self.legacy = False

    def _load_keys(self) -> None:
        envelopes = []
        for kind in self.legacy_types:
            response = self._get(f"/key/{kind}")
            if response.status_code != 200:
                continue
            try:
                body = _json_body(response)
            except RejectedMessage as exc:  # one bad key costs that type, not the others
                self._reject(exc.reason, f"/key/{kind}: {exc.detail}")
                continue
            if isinstance(body, dict) and body:  # {} = a type the server does not hold
                envelope = self._validate({**body, "type": kind})
                if envelope is not None:
                    envelopes.append(envelope)
        if self.store.apply_many(envelopes):
            self.on_change()

    def _reload_safely(self) -> None:
        try:
            if self.legacy:
                self._load_keys()
            else:
                response = self._get("/state")
                response.raise_for_status()
                body = _json_body(response)
                state = body.get("state") if isinstance(body, dict) else None
                envelopes = [e for e in map(self._validate, (state or {}).values()) if e]
                if self.store.apply_many(envelopes):
                    self.on_change()
            self.stats.reloads += 1
        except LINK_ERRORS as exc:
            log.warning("reload failed: %s", exc)

    def _set_retry(self, ms: int) -> None:
        self.retry_ms = ms

    def _follow(self) -> None:
        headers = {"Accept": "text/event-stream", "Cache-Control": "no-cache"}
        if self.last_event_id is not None:
            headers["Last-Event-ID"] = self.last_event_id
        response = self.session.get(f"{self.base_url}/events", headers=headers, stream=True,
                                    timeout=(self.connect_timeout, self.read_timeout))
        self._response = response
        self._note_server_clock(response)
        try:
            response.raise_for_status()
            self.stats.connects += 1
            self._connected.set()
            self._link_up()
            self.on_change()
            self.backoff.reset()
            log.info("following %s/events (last id %s)", self.base_url, self.last_event_id)
            # After the stream opened: a change from now on comes as an event behind it.
            self._load_profile()
            sniffer = _RetrySniffer(_arriving_chunks(response), self._set_retry)
            for event in SSEClient(sniffer).events():
                if self._stop.is_set():
                    break
                if event.event == "profile":
                    self._handle_profile(event.data)
                    continue
                if event.event not in ("update", "message"):
                    continue
                self._handle(event.data)
                if event.id:
                    self.last_event_id = event.id
        finally:
            self._response = None
            response.close()

    def _handle(self, data: str) -> None:
        self.stats.events += 1
        try:
            obj = strictjson.loads(data)
            if is_control(obj):  # envelopes get the same checks in _validate
                strictjson.check_tree(obj)
                strictjson.dumps(obj)
        except RejectedMessage as exc:
            self._reject(exc.reason, exc.detail)
            return
        if is_control(obj):
            target = obj.get("display")
            if target is not None and target != self.display_id:
                self.stats.not_ours += 1  # counted, not logged: one per command per display
                return
            self.stats.controls += 1
            try:
                self.controls.put_nowait(obj)
                self.on_change()
            except queue.Full:
                log.warning("control queue full; dropped %s", obj.get("command"))
            return
        envelope = self._validate(obj)
        if envelope is not None and self.store.apply(envelope):
            self.on_change()

    def _load_profile(self) -> None:
        """Read this display's profile; a server without profiles (404, an older one) or
        a failed read leaves the profile in use as it is (logged)."""
        if self.on_profile is None or not self.display_id or self.legacy:
            return
        path = f"/displays/{quote(self.display_id, safe='')}/profile"
        try:
            response = self._get(path)
            if response.status_code == 404:
                log.debug("%s has no display profiles (404)", self.base_url)
                return
            response.raise_for_status()
            body = _json_body(response)
        except LINK_ERRORS as exc:
            log.warning("could not read the profile from %s%s: %s", self.base_url, path, exc)
            return
        self.stats.profiles += 1
        self.on_profile(body, f"GET {path}")

    def _handle_profile(self, data: str) -> None:
        """A ``profile`` event: this display's new profile, or another display's (skipped)."""
        if self.on_profile is None:
            return
        try:
            obj = strictjson.loads(data)
        except RejectedMessage as exc:
            self._reject(exc.reason, f"profile event: {exc.detail}")
            return
        if not isinstance(obj, dict) or obj.get("display") != self.display_id:
            self.stats.not_ours += 1
            return
        self.stats.profiles += 1
        self.on_profile(obj.get("profile"), "the stream")

    def _validate(self, obj: Any) -> Envelope | None:
        try:
            return validate_object(obj, self.now_ms())
        except RejectedMessage as exc:
            self._reject(exc.reason, exc.detail)
            return None

    def _reject(self, reason: str, detail: str) -> None:
        self.stats.rejected += 1
        count = self.stats.reasons.get(reason, 0) + 1
        self.stats.reasons[reason] = count
        # The 1st, 10th, 100th... of each reason: a bad producer cannot flood the Pi's log,
        # and the count still shows how often it happens.
        if count == 1 or (count % 10 == 0 and str(count).rstrip("0") == "1"):
            log.warning("rejected message (%s, %d so far): %s", reason, count, detail[:200])

