"""Shared helpers for the producer tests: recorded upstream answers served over real HTTP.

No test reaches the internet: each upstream API is replayed by a real
``http.server`` on 127.0.0.1 and the producer's base URL points at it.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import parse_qs, urlsplit

import pytest
import redis

from server.producers.base import Producer, ProducerRunner, build_parser, http_session
from server.producers.shape import UpstreamShapeError
from server.settings import RedisSettings

RECORDED = Path(__file__).parent / "recorded"
REPO = Path(__file__).resolve().parent.parent
P = TypeVar("P", bound=Producer)


def recorded(name: str) -> bytes:
    return (RECORDED / name).read_bytes()


def recorded_json(name: str) -> Any:
    return json.loads(recorded(name))


@dataclass
class Reply:
    status: int = 200
    body: bytes = b"{}"
    ctype: str = "application/json"
    delay: float = 0.0  # seconds before answering: a hung source


@dataclass
class Seen:
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]


@dataclass
class RecordedServer:
    """path -> Reply, changeable while running; every request is recorded in ``seen``."""

    # path -> [(query items that must match, reply)], the most specific first
    routes: dict[str, list[tuple[dict[str, str], Reply]]] = field(default_factory=dict)
    seen: list[Seen] = field(default_factory=list)
    port: int = 0
    _server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def serve(self, path: str, body: bytes | str | Any, status: int = 200,
              ctype: str = "application/json", query: dict[str, str] | None = None,
              delay: float = 0.0) -> None:
        if isinstance(body, str):
            body = body.encode("utf-8")
        elif not isinstance(body, bytes):
            body = json.dumps(body).encode("utf-8")
        match = query or {}
        entries = [e for e in self.routes.get(path, []) if e[0] != match]
        entries.append((match, Reply(status, body, ctype, delay)))
        entries.sort(key=lambda e: -len(e[0]))
        self.routes[path] = entries

    def fail(self, path: str, status: int = 500) -> None:
        """Every request to ``path`` answers ``status``, whatever its query."""
        self.routes[path] = [({}, Reply(status, b'{"message": "upstream broke"}'))]

    def _reply(self, path: str, query: dict[str, list[str]]) -> Reply:
        for match, reply in self.routes.get(path, []):
            if all(query.get(k) == [v] for k, v in match.items()):
                return reply
        return Reply(404, b'{"message": "Not Found"}')

    def hits(self, path: str) -> int:
        return sum(1 for s in self.seen if s.path == path)

    def start(self) -> None:
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                parts = urlsplit(self.path)
                owner.seen.append(Seen(parts.path, parse_qs(parts.query),
                                       {k.lower(): v for k, v in self.headers.items()}))
                reply = owner._reply(parts.path, parse_qs(parts.query))
                time.sleep(reply.delay)
                self.send_response(reply.status)
                self.send_header("Content-Type", reply.ctype)
                self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                self.wfile.write(reply.body)

            def log_message(self, format: str, *args: object) -> None:
                return

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.port = int(self._server.server_address[1])
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None


# A test module gets the fixture `upstream` by importing `upstream_fixture` (unused by
# name there, so the import carries noqa F401); the two names differ so that a test's
# parameter does not shadow the import.
@pytest.fixture(name="upstream")
def upstream_fixture() -> Iterator[RecordedServer]:
    """A RecordedServer on a free loopback port, for one test."""
    server = RecordedServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()


def make_producer(cls: type[P], argv: list[str], config: dict[str, Any] | None = None,
                  fast_retries: bool = True, now: datetime | None = None) -> P:
    """A producer built from command-line flags, exactly as ``run_producer`` builds it.

    ``now`` stops its clock at that moment (None: the real clock).
    """
    args = build_parser(cls, "test").parse_args(argv)
    producer = cls(args, config or {})
    if fast_retries:  # the retry path is the same, only the waits are shorter
        producer.http = http_session(retries=2, backoff_factor=0.01)
    if now is not None:
        producer.now = lambda: now  # type: ignore[method-assign]
    return producer


def dead_port_url() -> str:
    """A loopback URL where nothing listens (connection refused)."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/"


class Subscriber:
    """Subscribes to the data channel of ``url`` first, then collects envelopes by type."""

    def __init__(self, url: str, channel: str = "update") -> None:
        self.client = redis.Redis.from_url(url)
        self.pubsub = self.client.pubsub()
        self.pubsub.subscribe(channel)
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            msg = self.pubsub.get_message(timeout=0.5)
            if msg and msg["type"] == "subscribe":
                break
        else:
            raise AssertionError("no subscribe confirmation")
        self.messages: list[dict[str, Any]] = []

    def wait_for(self, kind: str, timeout: float = 20.0, count: int = 1,
                 proc: subprocess.Popen[bytes] | None = None) -> list[dict[str, Any]]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = [m for m in self.messages if m.get("type") == kind]
            if len(found) >= count:
                return found
            msg = self.pubsub.get_message(timeout=0.2)
            if msg and msg["type"] == "message":
                self.messages.append(json.loads(msg["data"]))
        detail = ""
        if proc is not None and proc.poll() is not None:
            detail = f"; producer exited {proc.returncode}: {proc.stderr.read()!r:.2000}"  # type: ignore[union-attr]
        raise AssertionError(f"no {count} x {kind} within {timeout}s; got "
                             f"{[m.get('type') for m in self.messages]}{detail}")

    def of(self, kind: str) -> list[dict[str, Any]]:
        self.drain()
        return [m for m in self.messages if m.get("type") == kind]

    def all(self) -> list[dict[str, Any]]:
        """Every message received so far, in order."""
        self.drain()
        return self.messages

    def drain(self) -> None:
        while (msg := self.pubsub.get_message(timeout=0.05)) is not None:
            if msg["type"] == "message":
                self.messages.append(json.loads(msg["data"]))

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.pubsub.close()
            self.client.close()

    def __enter__(self) -> Subscriber:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def producer_process(name: str, args: list[str], redis_url: str,
                     env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    """``python -m server.producers NAME ARGS`` as a real process."""
    full_env = {k: v for k, v in os.environ.items()
                if k not in ("PERIOD", "PRODUCER_CONFIG", "BASE_URL", "HEALTH_PORT")}
    full_env.update({"REDIS_URL": redis_url, "PYTHONUNBUFFERED": "1"})
    full_env.update(env or {})
    return subprocess.Popen([sys.executable, "-m", "server.producers", name, *args],
                            cwd=REPO, env=full_env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)


def stop_process(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)
    for stream in (proc.stdout, proc.stderr):
        if stream is not None:
            stream.close()


def wait_until(condition: Callable[[], bool], timeout: float = 20.0, what: str = "") -> None:
    """Poll ``condition`` until it holds, or fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout}s: {what or condition}")
        time.sleep(0.05)


class InProcess:
    """A ProducerRunner on its own event loop in a thread, so tests can read its counters."""

    def __init__(self, producer: Producer, redis_url: str, period: float) -> None:
        producer.options.period = period  # as --period would: producer and runner agree
        self.runner = ProducerRunner(producer, RedisSettings(url=redis_url), period)
        self.loop = asyncio.new_event_loop()
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._main, daemon=True)

    def _main(self) -> None:
        asyncio.set_event_loop(self.loop)
        try:
            self.loop.run_until_complete(self.runner.run())
        except BaseException as exc:  # reported by stop()
            self.error = exc
        finally:
            self.loop.close()

    def __enter__(self) -> InProcess:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        with contextlib.suppress(RuntimeError):  # the loop already ended
            self.loop.call_soon_threadsafe(self.runner.stop)
        self.thread.join(timeout=15)
        assert not self.thread.is_alive(), "producer did not stop"


def check_names_field(mapping: Callable[[], Any], field: str) -> None:
    """``mapping()`` refuses a changed upstream answer with an error naming ``field``."""
    with pytest.raises(UpstreamShapeError) as caught:
        mapping()
    assert caught.value.path == field
    assert f"'{field}'" in str(caught.value)


def seconds_valid(envelope: dict[str, Any]) -> float:
    """``valid - ts`` of a published envelope: the period it was made with (``updated`` is
    to the minute, as the original clients read it; ``ts`` is the precise time)."""
    from glanceboard.timefmt import parse_time

    return parse_time(envelope["valid"]).timestamp() - envelope["ts"] // 1000


def check_process_publishes(name: str, args: list[str], redis_url: str, kind: str,
                            env: dict[str, str] | None = None) -> dict[str, Any]:
    """``python -m server.producers NAME --once``: its message arrives via SUBSCRIBE."""
    with Subscriber(redis_url) as sub:
        proc = producer_process(name, ["--once", *args], redis_url, env)
        try:
            sub.wait_for(f"{kind}-Server", proc=proc)  # every producer here is named as its type
            message = sub.wait_for(kind, proc=proc)[0]
            assert proc.wait(timeout=20) == 0
            return message
        finally:
            stop_process(proc)


def check_live_period_published(producer: Producer, redis_url: str, kind: str) -> None:
    """A live game and ``--live-period 2``: rounds come 2 s apart, not the 600 s period."""
    with Subscriber(redis_url) as sub, InProcess(producer, redis_url, period=600):
        first, second = sub.wait_for(kind, count=2, timeout=15)[:2]
    assert seconds_valid(first) == 2
    assert 1000 <= second["ts"] - first["ts"] < 10_000
