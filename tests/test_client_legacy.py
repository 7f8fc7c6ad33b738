"""Against an older API server: no /state, /key/{type} per type, /events without ids.

The older server is a few lines of the standard library speaking the older
contract (PROTOCOL: "a part written against the older contract must keep
working against ours", and ours against it).
"""

from __future__ import annotations

import json
import logging
import queue
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from glanceboard.backoff import Backoff
from glanceboard.timefmt import now_ms
from matrix_client.store import StateStore
from matrix_client.sync import StreamFollower, _RetrySniffer
from tests.servers import wait_until

VALID = "2099-01-01T00:00:00+00:00"


def body(n: int) -> dict:
    return {"values": {"n": n}, "updated": VALID, "valid": VALID}


class OldServer:
    def __init__(self) -> None:
        self.keys: dict[str, dict] = {"Weather": body(1)}
        self.raw_keys: dict[str, str] = {}  # answered as they are, JSON or not
        self.events: queue.Queue[str | None] = queue.Queue()
        self.requests: list[tuple[str, str | None]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                server.requests.append((self.path, self.headers.get("Last-Event-ID")))
                if self.path.startswith("/key/"):
                    kind = self.path[5:]
                    raw = server.raw_keys.get(kind)
                    payload = (raw if raw is not None
                               else json.dumps(server.keys.get(kind, {}))).encode()
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                elif self.path == "/events":
                    self.send_response(200)
                    self.send_header("Content-Type", "text/event-stream")
                    self.end_headers()
                    self.wfile.write(b"retry: 200\n\n")
                    self.wfile.flush()
                    while True:
                        data = server.events.get()
                        if data is None:  # close this stream
                            return
                        self.wfile.write(f"event: update\ndata: {data}\n\n".encode())
                        self.wfile.flush()
                else:
                    self.send_error(404)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.events.put(None)
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def old_server() -> Iterator[OldServer]:
    server = OldServer()
    try:
        yield server
    finally:
        server.close()


def test_falls_back_to_keys_and_rereads_after_reconnect(old_server: OldServer) -> None:
    store = StateStore()
    follower = StreamFollower(old_server.url, store, legacy_types=("Weather", "AQI"),
                              backoff=Backoff(base=0.05, cap=0.2))
    follower.start()
    try:
        wait_until(lambda: follower.connected, 10, what="stream open")
        assert follower.legacy
        assert store.get("Weather")["values"] == {"n": 1}
        assert store.get("AQI") is None  # {} = not held
        assert ("/events", None) in old_server.requests  # no id to resume from
        old_server.events.put(json.dumps({"type": "AQI", **body(5)}))
        wait_until(lambda: (store.get("AQI") or {}).get("values") == {"n": 5}, 10,
                   what="streamed update")
        old_server.events.put(json.dumps({"type": "webcontrol", "command": "pp"}))
        assert follower.controls.get(timeout=5)["command"] == "pp"
        # Missed while the stream was down: only re-reading the keys finds it.
        old_server.keys["Weather"] = body(2)
        old_server.events.put(None)
        wait_until(lambda: store.get("Weather")["values"] == {"n": 2}, 10,
                   what="keys read again after reconnect")
        # The keys are read before the stream reopens: wait for the reopening too.
        wait_until(lambda: follower.stats.connects >= 2, 10, what="stream reopened")
        assert follower.backoff.base == pytest.approx(0.2)  # retry: 200 ms, within the cap
    finally:
        follower.stop()
    assert not follower.running  # stop interrupts a blocked read, not waiting for a timeout


def test_a_hostile_key_answer_costs_only_its_type(old_server: OldServer, caplog) -> None:
    """Nesting past any parser's stack and a NaN in /key answers: rejected by reason,
    the other types load, and the sync thread logs no traceback."""
    deep = "[" * 50_000 + "]" * 50_000
    old_server.raw_keys = {"Weather": deep, "Moon": '{"values": NaN, "updated": "x"}'}
    old_server.keys["AQI"] = body(3)
    store = StateStore()
    follower = StreamFollower(old_server.url, store, legacy_types=("Weather", "Moon", "AQI"),
                              backoff=Backoff(base=0.05, cap=0.2))
    follower.start()
    try:
        wait_until(lambda: follower.connected, 10, what="stream open")
        assert (store.get("AQI") or {}).get("values") == {"n": 3}
        assert store.get("Weather") is None and store.get("Moon") is None
        assert follower.stats.reasons.get("too_deep") and follower.stats.reasons.get("non_finite")
    finally:
        follower.stop()
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]


def test_retry_lines_are_seen_across_chunk_boundaries() -> None:
    sniffer = _RetrySniffer([b": hi\n\nret", b"ry: 25", b"00\n\ndata: x\n\n"])
    assert b"".join(sniffer) == b": hi\n\nretry: 2500\n\ndata: x\n\n"
    assert sniffer.retry_ms == 2500


def test_the_client_rejects_what_the_rules_reject_and_counts_it_by_reason(
        old_server: OldServer, caplog: pytest.LogCaptureFixture) -> None:
    """A foreign or older server forwards anything: the client applies the same strict
    rules as the API server (findings 1-4), logs each reason once, counts every one."""
    store = StateStore()
    follower = StreamFollower(old_server.url, store, legacy_types=("Weather",),
                              backoff=Backoff(base=0.05, cap=0.2))
    bad = {
        "lone_surrogate": '{"type":"AQI","values":{"s":"\\ud800"},"updated":"%s","valid":"%s"}',
        "non_finite": '{"type":"AQI","values":{"n":NaN},"updated":"%s","valid":"%s"}',
        "bad_type": '{"type":"AQI\\n","values":{"n":1},"updated":"%s","valid":"%s"}',
        "bad_ts": '{"type":"AQI","values":{"n":1},"updated":"%s","valid":"%s","ts":1e30}',
        "too_deep": '{"type":"AQI","values":' + "[" * 3000 + "]" * 3000
                    + ',"updated":"%s","valid":"%s"}',
    }
    follower.start()
    try:
        wait_until(lambda: follower.connected, 10, what="stream open")
        with caplog.at_level("WARNING", logger="matrix_client.sync"):
            for template in bad.values():
                for _ in range(3):
                    old_server.events.put(template.replace("%s", VALID))
            old_server.events.put(json.dumps({"type": "AQI", "values": {"n": 1},
                                              "updated": VALID, "valid": VALID,
                                              "ts": 10 ** 30}))
            old_server.events.put('{"type":"webcontrol","command":"notify",'
                                  '"args":{"text":"\\udc00"}}')
            old_server.events.put(json.dumps({"type": "AQI", **body(7), "ts": 1}))
            wait_until(lambda: (store.get("AQI") or {}).get("values") == {"n": 7}, 10,
                       what="the good AQI after the bad ones (a far-future ts froze it)")
        assert follower.running and follower.connected
        # 1e30 is a float: a bad ts; 10**30 an integer a day too far ahead.
        assert follower.stats.reasons == {"lone_surrogate": 4, "non_finite": 3,
                                          "bad_type": 3, "bad_ts": 3, "too_deep": 3,
                                          "future_ts": 1}
        assert follower.stats.rejected == 17
        assert follower.controls.empty()
        lines = [r.getMessage() for r in caplog.records if "rejected message" in r.getMessage()]
        assert sorted(line.split(" ")[2].strip("(,") for line in lines) == sorted(
            ["lone_surrogate", "non_finite", "bad_type", "bad_ts", "too_deep", "future_ts"])
    finally:
        follower.stop()
    assert follower.now_ms() >= now_ms() - 1000  # the later of its clock and the server's
