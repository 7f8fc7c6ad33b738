"""Helpers that start the real server processes for tests, and a small SSE reader.

    api = start_api_server(valkey.url, token="secret")
    try:
        with SseClient(api.url + "/events") as sse:
            event = sse.next_event(timeout=5)
    finally:
        api.stop()

``ServerProcess`` runs a server module with its output kept per run (restartable);
``Child`` runs any command with its output in one log file, for tests that read
what a command printed.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

import httpx

from server import subprocesses
from server.valkey import free_port

ROOT = Path(__file__).resolve().parent.parent
# The control token the ``api_server`` fixture configures.
API_TOKEN = "test-control-token"
AUTH = {"Authorization": f"Bearer {API_TOKEN}"}  # the headers of a request that has it
# The token of the live_api fixture (conftest.py), which the live clients send.
LIVE_TOKEN = "test-token"
URL_LINE = re.compile(r"API server listening on (http://\S+)")
T = TypeVar("T")


def wait_until(predicate: Callable[[], T], timeout: float = 15.0, what: str = "condition",
               interval: float = 0.05) -> T:
    """Poll ``predicate`` until it returns something truthy, and return that; fail naming
    ``what`` after ``timeout`` (exceptions count as "not yet", e.g. while a server starts)."""
    deadline = time.monotonic() + timeout
    last_error: BaseException | None = None
    while time.monotonic() < deadline:
        try:
            result = predicate()
        except Exception as exc:  # noqa: BLE001 - retried until the deadline
            last_error = exc
        else:
            if result:
                return result
        time.sleep(interval)
    raise TimeoutError(f"{what} not met within {timeout}s"
                       + (f" (last error: {last_error!r})" if last_error else ""))


def http_get(url: str, timeout: float = 2.0) -> tuple[int, str]:
    """(status, body) of a GET; error statuses are answers too, not exceptions."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8")


def python_module(module: str, *args: str) -> list[str]:
    """The command line of ``python -m module args...`` with this interpreter."""
    return [sys.executable, "-m", module, *args]


class Child:
    """A child process whose output (stdout and stderr) goes to one log file."""

    def __init__(self, args: list[str], log_path: Path, env: dict[str, str] | None = None
                 ) -> None:
        self.args = args
        self.log_path = log_path
        full_env = {**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})}
        full_env["PYTHONPATH"] = str(ROOT) + os.pathsep + full_env.get("PYTHONPATH", "")
        self._log = open(log_path, "wb")  # noqa: SIM115 - closed in terminate()/kill()
        self.process = subprocess.Popen(args, stdout=self._log, stderr=subprocess.STDOUT,
                                        cwd=str(ROOT), env=full_env)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def alive(self) -> bool:
        return self.process.poll() is None

    def terminate(self, timeout: float = 10.0) -> int:
        """SIGTERM and wait; the exit code. Fails the test if it had to be killed."""
        ended = subprocesses.terminate(self.process, timeout)
        self._log.close()
        if not ended:
            raise AssertionError(f"{self.args} ignored SIGTERM for {timeout}s:\n" + self.log())
        return int(self.process.returncode)

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGCONT)  # in case it was paused
        subprocesses.kill(self.process)
        self._log.close()

    def pause(self) -> None:
        """SIGSTOP: it holds its sockets but does nothing, e.g. stays away from Redis."""
        self.process.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        self.process.send_signal(signal.SIGCONT)


class ServerProcess:
    """A ``python -m <module>`` child with its output in files, stopped on demand."""

    def __init__(self, module: str, args: Sequence[str], env: Mapping[str, str] | None,
                 name: str) -> None:
        self.module = module
        self.args = list(args)
        self.env = {**os.environ, **(env or {})}
        self.env.setdefault("PYTHONUNBUFFERED", "1")
        self.name = name
        self.logdir = Path(tempfile.mkdtemp(prefix=f"{name}-"))
        self.process: subprocess.Popen[bytes] | None = None
        self.starts = 0

    @property
    def stdout_path(self) -> Path:
        return self.logdir / f"stdout.{self.starts}"

    @property
    def stderr_path(self) -> Path:
        return self.logdir / f"stderr.{self.starts}"

    def _spawn(self, args: Sequence[str]) -> None:
        self.logdir.mkdir(parents=True, exist_ok=True)
        self.starts += 1
        with open(self.stdout_path, "wb") as out, open(self.stderr_path, "wb") as err:
            self.process = subprocess.Popen(
                python_module(self.module, *args),
                stdout=out, stderr=err, cwd=ROOT, env=self.env,
            )

    def output(self) -> str:
        """stdout and stderr of the current run, for failure messages."""
        parts = []
        for path in (self.stdout_path, self.stderr_path):
            if path.exists():
                parts.append(path.read_text(errors="replace"))
        return "\n".join(parts)

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self, timeout: float = 10.0) -> None:
        """SIGTERM, then SIGKILL if it does not exit in time."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGCONT)  # in case it was paused
        subprocesses.terminate(self.process, timeout)
        self.process = None
        shutil.rmtree(self.logdir, ignore_errors=True)

    def kill(self) -> None:
        if self.process is None:
            return
        subprocesses.kill(self.process)
        self.process = None
        shutil.rmtree(self.logdir, ignore_errors=True)

    def pause(self) -> None:
        """SIGSTOP: the process holds its sockets but does nothing."""
        assert self.process is not None
        self.process.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGCONT)

    def __enter__(self) -> ServerProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


class ApiProcess(ServerProcess):
    """``python -m server.api`` on a loopback port; ``url`` is its base URL."""

    def __init__(self, args: Sequence[str], env: Mapping[str, str] | None) -> None:
        super().__init__("server.api", args, env, "api")
        self.url = ""
        self.port = 0

    def start(self, port: int = 0, timeout: float = 20.0) -> ApiProcess:
        self._spawn(["--port", str(port), *self.args])
        try:
            self.url = wait_until(self._printed_url, timeout, what="API server URL on stdout")
            self.port = urlsplit(self.url).port or 0
            wait_until(lambda: httpx.get(self.url + "/live", timeout=1).status_code == 200,
                       timeout, what="API server /live")
        except BaseException:
            output = self.output()
            self.kill()
            raise RuntimeError(f"API server did not start; its output:\n{output}") from None
        return self

    def _printed_url(self) -> str | None:
        if self.process is not None and self.process.poll() is not None:
            raise RuntimeError(f"API server exited with {self.process.returncode}:\n"
                               + self.output())
        first = self.stdout_path.read_text(errors="replace").split("\n", 1)[0]
        match = URL_LINE.search(first)
        return match.group(1) if match else None

    def restart(self, timeout: float = 20.0) -> ApiProcess:
        """Stop, then start again on the same port."""
        port = self.port
        self.stop()
        return self.start(port=port, timeout=timeout)

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return httpx.get(self.url + path, timeout=kwargs.pop("timeout", 5), **kwargs)

    def metric(self, name: str, labels: Mapping[str, str] | None = None) -> float | None:
        """One sample from ``/metrics`` (None if absent)."""
        return parse_metric(self.get("/metrics").text, name, labels)

    def wait_ready(self, timeout: float = 15.0) -> None:
        wait_until(lambda: self.get("/ready", timeout=1).status_code == 200, timeout,
                   what=f"{self.url}/ready == 200")


def start_api_server(redis_url: str, *, token: str | None = None,
                     extra_args: Sequence[str] = (),
                     env: Mapping[str, str] | None = None) -> ApiProcess:
    """Start ``python -m server.api --port 0`` on ``redis_url``; returns once /live answers.
    ``token`` None starts it with ``--insecure-control``."""
    args = ["--redis-url", redis_url, *extra_args]
    # Without a token the server refuses to start unless told so on purpose.
    args += ["--control-token", token] if token is not None else ["--insecure-control"]
    return ApiProcess(args, env).start()


class KvUpdaterProcess(Child):
    """``python -m server.kv_updater`` with its health port on loopback at ``base``."""

    def __init__(self, redis_url: str | None, log_path: Path, *extra_args: str,
                 env: dict[str, str] | None = None) -> None:
        port = free_port()
        url = ["--redis-url", redis_url] if redis_url else []  # None: its own default
        super().__init__(python_module("server.kv_updater", *url,
                                       "--health-port", str(port), "--health-host", "127.0.0.1",
                                       *extra_args), log_path, env)
        self.base = f"http://127.0.0.1:{port}"

    def ready_status(self) -> int:
        return http_get(self.base + "/ready")[0]

    def wait_ready(self, timeout: float = 20.0) -> None:
        wait_until(lambda: self.ready_status() == 200 or not self.alive(), timeout,
                   f"{self.base}/ready == 200 (the KV updater subscribed)")
        assert self.alive(), f"the KV updater exited:\n{self.log()}"

    def metric(self, name: str, labels: Mapping[str, str] | None = None) -> float | None:
        """One sample from its ``/metrics`` (None if absent)."""
        status, text = http_get(self.base + "/metrics")
        assert status == 200, text
        return parse_metric(text, name, labels)


@contextmanager
def running_api_server(redis_url: str, *, token: str | None = None,
                       extra_args: Sequence[str] = (),
                       env: Mapping[str, str] | None = None) -> Iterator[ApiProcess]:
    """:func:`start_api_server`, ready (subscribed, state loaded) inside, stopped after."""
    api = start_api_server(redis_url, token=token, extra_args=extra_args, env=env)
    try:
        api.wait_ready()
        yield api
    finally:
        api.stop()


def start_kv_updater(redis_url: str | None, log_path: Path, *extra_args: str,
                     env: dict[str, str] | None = None, wait: bool = True,
                     timeout: float = 20.0) -> KvUpdaterProcess:
    """Start the KV updater on ``redis_url``; by default returns once /ready answers 200.
    The caller ends it (``kill()``/``terminate()``) in a ``finally``."""
    proc = KvUpdaterProcess(redis_url, log_path, *extra_args, env=env)
    if wait:
        try:
            proc.wait_ready(timeout)
        except BaseException:
            proc.kill()
            raise
    return proc


def parse_metric(text: str, name: str, labels: Mapping[str, str] | None = None) -> float | None:
    want = ",".join(f'{k}="{v}"' for k, v in (labels or {}).items())
    target = f"{name}{{{want}}}" if want else name
    for line in text.splitlines():
        if line.startswith("#"):
            continue
        key, _, value = line.rpartition(" ")
        if key == target:
            return float(value)
    return None


# --- SSE --------------------------------------------------------------------------------


@dataclass
class SseEvent:
    event: str = "message"
    data: str = ""
    id: str | None = None

    def json(self) -> Any:
        return json.loads(self.data)


@dataclass
class _Parser:
    """The SSE line protocol (WHATWG): fields, comments, blank line dispatches."""

    events: queue.Queue[SseEvent]
    on_comment: Callable[[str], None]
    on_retry: Callable[[int], None]
    buffer: bytes = b""
    event: str = ""
    data: list[str] = field(default_factory=list)
    id: str | None = None
    has_id: bool = False
    raw: bytearray = field(default_factory=bytearray)  # the body as received, for strict checks

    def feed(self, chunk: bytes) -> None:
        self.raw += chunk
        self.buffer += chunk
        while True:
            cut = re.search(rb"\r\n|\r|\n", self.buffer)
            if cut is None or (cut.group() == b"\r" and cut.end() == len(self.buffer)):
                return
            line = self.buffer[: cut.start()].decode("utf-8", "replace")
            self.buffer = self.buffer[cut.end():]
            self._line(line)

    def _line(self, line: str) -> None:
        if not line:
            if self.data or self.event:
                self.events.put(SseEvent(self.event or "message", "\n".join(self.data),
                                         self.id if self.has_id else None))
            self.event, self.data, self.id, self.has_id = "", [], None, False
            return
        if line.startswith(":"):
            self.on_comment(line[1:].strip())
            return
        name, _, value = line.partition(":")
        value = value[1:] if value.startswith(" ") else value
        if name == "data":
            self.data.append(value)
        elif name == "event":
            self.event = value
        elif name == "id":
            self.id, self.has_id = value, True
        elif name == "retry" and value.isdigit():
            self.on_retry(int(value))


class SseClient:
    """A raw-socket SSE client in a thread: HTTP/1.1, chunked decoding, SSE parsing.

    ``read=False`` connects and then reads nothing, like a client that hung, until
    ``start_reading()``; ``tiny_buffer`` makes its socket fill up after a few KB.
    """

    def __init__(self, url: str, *, last_event_id: str | None = None,
                 headers: Mapping[str, str] | None = None, read: bool = True,
                 tiny_buffer: bool = False, timeout: float = 10.0) -> None:
        parts = urlsplit(url)
        self.host = parts.hostname or "127.0.0.1"
        self.port = parts.port or 80
        self.target = parts.path + (f"?{parts.query}" if parts.query else "")
        self.events: queue.Queue[SseEvent] = queue.Queue()
        self.comments: list[str] = []
        self.retry: int | None = None
        self.status: int | None = None
        self.response_headers: dict[str, str] = {}
        self.closed = threading.Event()
        self.last_id: str | None = None
        self.received: list[SseEvent] = []
        head = [f"GET {self.target} HTTP/1.1", f"Host: {self.host}:{self.port}",
                "Accept: text/event-stream", "Cache-Control: no-cache"]
        if last_event_id is not None:
            head.append(f"Last-Event-ID: {last_event_id}")
        head += [f"{k}: {v}" for k, v in (headers or {}).items()]
        self.sock = socket.create_connection((self.host, self.port), timeout=timeout)
        if tiny_buffer:
            # So that a client that reads nothing fills the server's side quickly. (It
            # also stays slow once reading: the window never reaches one segment.)
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        self.sock.sendall(("\r\n".join(head) + "\r\n\r\n").encode("latin-1"))
        self._parser = _Parser(self.events, self.comments.append, self._set_retry)
        self._thread: threading.Thread | None = None
        self._timeout = timeout
        if read:
            self.start_reading()

    def start_reading(self) -> None:
        """Read the response from now on (for a client created with ``read=False``)."""
        if self._thread is not None:
            return
        self._read_head(self._timeout)
        self.sock.settimeout(None)
        self._thread = threading.Thread(target=self._pump, daemon=True)
        self._thread.start()

    def _set_retry(self, value: int) -> None:
        self.retry = value

    def _read_head(self, timeout: float) -> None:
        raw = b""
        deadline = time.monotonic() + timeout
        while b"\r\n\r\n" not in raw:
            if time.monotonic() > deadline:
                raise TimeoutError("no response head")
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError(f"closed before the response head: {raw!r}")
            raw += chunk
        head, _, rest = raw.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        self.status = int(lines[0].split()[1])
        for line in lines[1:]:
            key, _, value = line.partition(":")
            self.response_headers[key.strip().lower()] = value.strip()
        self._body = rest
        self._chunked = self.response_headers.get("transfer-encoding", "").lower() == "chunked"

    def _pump(self) -> None:
        pending = self._body
        try:
            while True:
                if self._chunked:
                    pending = self._dechunk(pending)
                else:
                    self._parser.feed(pending)
                    pending = b""
                chunk = self.sock.recv(65536)
                if not chunk:
                    return
                pending += chunk
        except (OSError, ValueError):
            return
        finally:
            self.closed.set()

    def _dechunk(self, data: bytes) -> bytes:
        while True:
            line_end = data.find(b"\r\n")
            if line_end < 0:
                return data
            size = int(data[:line_end].split(b";")[0], 16)
            if size == 0:
                raise ValueError("end of stream")
            if len(data) < line_end + 2 + size + 2:
                return data
            self._parser.feed(data[line_end + 2: line_end + 2 + size])
            data = data[line_end + 2 + size + 2:]

    @property
    def body(self) -> bytes:
        """Every byte of the stream's body so far (chunked encoding removed)."""
        return bytes(self._parser.raw)

    def next_event(self, timeout: float = 10.0) -> SseEvent:
        """The next event (comments are collected in ``comments``, not returned)."""
        try:
            event = self.events.get(timeout=timeout)
        except queue.Empty:
            raise TimeoutError(f"no SSE event within {timeout}s") from None
        self.received.append(event)
        if event.id is not None:
            self.last_id = event.id
        return event

    def wait_for(self, predicate: Callable[[SseEvent], bool], timeout: float = 10.0,
                 ) -> SseEvent:
        """Skip events until one satisfies ``predicate``."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"no matching SSE event within {timeout}s")
            event = self.next_event(timeout=left)
            if predicate(event):
                return event

    def drain(self, quiet: float = 0.5) -> list[SseEvent]:
        """Every event until none arrives for ``quiet`` seconds."""
        got = []
        while True:
            try:
                got.append(self.next_event(timeout=quiet))
            except TimeoutError:
                return got

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.sock.shutdown(socket.SHUT_RDWR)
        self.sock.close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> SseClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# --- messages -----------------------------------------------------------------------------


def make_envelope(kind: str, values: Any = None, ts: int | None = None,
                  **extra: Any) -> dict[str, Any]:
    """A valid envelope of ``kind`` (values default to a small dict)."""
    message: dict[str, Any] = {
        "type": kind,
        "values": {"n": 1} if values is None else values,
        "updated": "2026-11-26T16:55:08-05:00",
        "valid": "2026-11-26T17:55:08-05:00",
        **extra,
    }
    if ts is not None:
        message["ts"] = ts
    return message


def publish_until_held(redis_url: str, api: ApiProcess, messages: Sequence[dict[str, Any]]
                       ) -> dict[str, Any]:
    """Publish ``messages`` (and store them, as the KV updater would), then wait until the
    API server holds every one of them (same ``ts``); its state."""
    for message in messages:
        publish(redis_url, message, store=True)
    wanted = {m["type"]: m.get("ts") for m in messages}

    def held() -> dict[str, Any] | None:
        state = api.get("/state").json()["state"]
        ok = all(kind in state and state[kind].get("ts") == ts for kind, ts in wanted.items())
        return state if ok else None

    return wait_until(held, timeout=10, what=f"the API server holds {sorted(wanted)}")


def dumps(data: Any) -> str:
    """Compact JSON, as the producers send it."""
    return json.dumps(data, separators=(",", ":"))


def publish(redis_url: str, message: dict[str, Any] | bytes | str, *, store: bool = False,
            channel: str = "update", state_key: str = "state") -> None:
    """PUBLISH one message; ``store`` also writes it to the state hash first, as the KV
    updater would."""
    import redis

    raw = json.dumps(message) if isinstance(message, dict) else message
    client = redis.Redis.from_url(redis_url)
    try:
        if store and isinstance(message, dict):
            client.hset(state_key, message["type"], raw)
        client.publish(channel, raw)
    finally:
        client.close()


def fsync_aof(url: str) -> None:
    """Wait until the Valkey at ``url`` has its AOF on disk, so a SIGKILL keeps what was
    written."""
    import redis

    client = redis.Redis.from_url(url)
    try:
        assert client.execute_command("WAITAOF", 1, 0, 5000)[0] == 1
    finally:
        client.close()
