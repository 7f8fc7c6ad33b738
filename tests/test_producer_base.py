"""The producer base, run as a real process (tests/sample_producer.py) against a real Valkey.

The upstream is a local HTTP server; "Redis down" is either a real Valkey kill
or a TCP relay in front of Valkey that we close and reopen, so that a
subscriber connected straight to Valkey sees exactly what the producer sends
once its link is back.
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import redis

from glanceboard.timefmt import parse_time
from server.embedded_auth import embedded_url
from server.producers import main as producers_main
from server.producers.base import (
    ConfigError,
    ShapeError,
    load_config,
    require,
    resolve_period,
)
from server.settings import with_password
from server.valkey import EmbeddedValkey
from tests.pipeline_support import Child, free_port, http_get, python_module, wait_for
from tests.producer_support import (
    RecordedServer,
    Subscriber,
    seconds_valid,
    upstream_fixture,  # noqa: F401 - the `upstream` fixture
)
from tests.sample_producer import SampleProducer


class Relay:
    """A TCP relay to Valkey that can be taken down (connections cut, port closed)."""

    def __init__(self, target: EmbeddedValkey) -> None:
        self.target_port = target.port
        self.password = target.password
        self.port = free_port()
        self._listener: socket.socket | None = None
        self._conns: list[socket.socket] = []
        self._lock = threading.Lock()
        self.up()

    @property
    def url(self) -> str:
        return embedded_url(self.port, password=self.password)

    def up(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen()
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def down(self) -> None:
        with self._lock:
            if self._listener is not None:
                # shutdown() wakes the thread blocked in accept(); close() alone does not.
                with contextlib.suppress(OSError):
                    self._listener.shutdown(socket.SHUT_RDWR)
                self._listener.close()
                self._listener = None
            for conn in self._conns:
                conn.close()
            self._conns.clear()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            server = socket.create_connection(("127.0.0.1", self.target_port))
            with self._lock:
                self._conns += [client, server]
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)


OBS = "/obs"  # what tests/sample_producer.py GETs
GOOD = {"temp": 41.0}


@pytest.fixture
def source(upstream: RecordedServer) -> RecordedServer:
    """The sample producer's data source: answers GOOD until a test serves something else."""
    upstream.serve(OBS, GOOD)
    return upstream


@pytest.fixture
def collector(valkey: EmbeddedValkey) -> Iterator[Subscriber]:
    """Everything published on ``update``, via a subscription straight to Valkey."""
    with Subscriber(valkey.url) as sub:
        yield sub


@pytest.fixture
def children() -> Iterator[list[Child]]:
    started: list[Child] = []
    try:
        yield started
    finally:
        for proc in started:
            proc.kill()


def start_sample(children: list[Child], tmp_path: Path, redis_url: str, source: RecordedServer,
                 *extra: str, env: dict[str, str] | None = None) -> tuple[Child, str]:
    port = free_port()
    proc = Child(python_module("tests.sample_producer", "--redis-url", redis_url,
                               "--base-url", source.url, "--health-port", str(port),
                               "--health-host", "127.0.0.1",
                               "--http-retries", "0", *extra),
                 tmp_path / f"sample-{len(children)}.log", env=env)
    children.append(proc)
    return proc, f"http://127.0.0.1:{port}/live"


def live(url: str) -> dict[str, Any]:
    status, body = http_get(url)
    assert status == 200
    return json.loads(body)


def test_announces_once_then_publishes_envelopes(
        tmp_path: Path, valkey: EmbeddedValkey, source: RecordedServer, collector: Subscriber,
        children: list[Child]) -> None:
    before = time.time()
    proc, _ = start_sample(children, tmp_path, valkey.url, source, "--period", "0.4",
                           "--station", "KBOS")
    wait_for(lambda: len(collector.of("Sample")) >= 3, what="three Sample messages")
    announcements = collector.of("Sample-Server")
    assert [m["values"] for m in announcements] == [{"message": "Sample started."}]
    assert collector.all()[0]["type"] == "Sample-Server"  # announced first
    first = collector.of("Sample")[0]
    assert first["values"] == {"temp": 41.0, "station": "KBOS", "live": False}
    updated, valid = parse_time(first["updated"]), parse_time(first["valid"])
    assert "T" in first["updated"] and first["updated"][-6] in "+-"  # ISO with offset
    assert abs((valid - updated).total_seconds() - 0.4) <= 1.0  # whole seconds on the wire
    assert before * 1000 - 1000 <= first["ts"] <= time.time() * 1000 + 1000
    tss = [m["ts"] for m in collector.of("Sample")]
    assert tss == sorted(tss)
    assert all(s.query["station"] == ["KBOS"] for s in source.seen)
    assert proc.alive()


@pytest.mark.parametrize(("flag", "env", "config", "expected"), [
    (None, None, 120, 120),
    (None, "60", 120, 60),
    ("30", "60", 120, 30),
    (None, None, None, 30),  # the class default
])
def test_period_flag_beats_env_beats_config(
        tmp_path: Path, valkey: EmbeddedValkey, source: RecordedServer, collector: Subscriber,
        children: list[Child], flag: str | None, env: str | None, config: int | None,
        expected: int) -> None:
    extra = ["--once"]
    if flag:
        extra += ["--period", flag]
    if config is not None:
        path = tmp_path / "sample.yaml"
        path.write_text(f"period: {config}\nstation: KSEA\n")
        extra += ["--config", str(path)]
    proc, _ = start_sample(children, tmp_path, valkey.url, source, *extra,
                           env={"PERIOD": env} if env else {"PERIOD": ""})
    assert proc.process.wait(20) == 0, proc.log()
    message = collector.of("Sample")[0] if collector.of("Sample") else wait_for(
        lambda: collector.of("Sample"), what="the Sample message")[0]
    assert seconds_valid(message) == expected
    if config is not None:
        assert message["values"]["station"] == "KSEA"  # other settings from the file too


def test_dynamic_period_while_live(tmp_path: Path, valkey: EmbeddedValkey,
                                   source: RecordedServer, collector: Subscriber,
                                   children: list[Child]) -> None:
    source.serve(OBS, {"temp": 50.0, "live": True})  # "a game is on": next_period() = 0.3 s
    start_sample(children, tmp_path, valkey.url, source)  # configured period: 30 s
    wait_for(lambda: len(collector.of("Sample")) >= 5, 10, "fast fetches while live")
    source.serve(OBS, {"temp": 50.0, "live": False})
    wait_for(lambda: not collector.of("Sample")[-1]["values"]["live"], 10, "a non-live fetch")
    count = len(source.seen)
    time.sleep(1.0)
    assert len(source.seen) == count  # back to the 30 s period


def test_failed_fetch_keeps_last_good_and_retries_with_backoff(
        tmp_path: Path, valkey: EmbeddedValkey, source: RecordedServer, collector: Subscriber,
        children: list[Child]) -> None:
    proc, live_url = start_sample(children, tmp_path, valkey.url, source, "--period", "1")
    wait_for(lambda: collector.of("Sample"), what="a good message")
    source.serve(OBS, {"message": "down for maintenance"}, status=503)
    wait_for(lambda: live(live_url)["fetch_failures"] >= 2, 15, "two failed fetches")
    count = len(collector.of("Sample"))
    state = live(live_url)
    assert "503" in state["last_error"]
    assert proc.alive()
    # A malformed answer is a failure too, named by field, and not published.
    source.serve(OBS, {"temp": "warm"})
    wait_for(lambda: "Sample.temp" in (live(live_url)["last_error"] or ""), 15,
             "the shape error named")
    assert len(collector.of("Sample")) == count
    assert all(m["values"]["temp"] == 41.0 for m in collector.of("Sample"))
    source.serve(OBS, {"temp": 39.5})
    wait_for(lambda: collector.of("Sample")[-1]["values"]["temp"] == 39.5, 15,
             "the recovery published")
    assert live(live_url)["last_error"] is None
    log = proc.log()
    assert "fetch failed" in log and "keeping the last good message" in log


def test_buffers_newest_while_redis_is_unreachable_and_publishes_when_back(
        tmp_path: Path, valkey: EmbeddedValkey, source: RecordedServer, collector: Subscriber,
        children: list[Child]) -> None:
    relay = Relay(valkey)
    try:
        proc, live_url = start_sample(children, tmp_path, relay.url, source, "--period", "0.3")
        wait_for(lambda: collector.of("Sample"), what="a first message")
        relay.down()
        wait_for(lambda: live(live_url)["redis"] == "down", 15, "the producer to see Redis down")
        source.serve(OBS, {"temp": 12.5})  # fetched while Redis is down
        wait_for(lambda: live(live_url)["pending"] >= 1, 15, "a message pending")
        seen_before = len(collector.all())
        time.sleep(1.0)  # several periods pass; only the newest is kept
        assert len(collector.all()) == seen_before  # nothing got through
        assert proc.alive()
        relay.up()
        wait_for(lambda: any(m["values"]["temp"] == 12.5 for m in collector.of("Sample")), 20,
                 "the buffered message published once Redis is back")
        assert live(live_url)["redis"] == "up"
        assert len(collector.of("Sample-Server")) == 1  # not re-announced
    finally:
        relay.down()


def test_survives_a_real_valkey_kill(tmp_path: Path, valkey: EmbeddedValkey,
                                     source: RecordedServer, children: list[Child]) -> None:
    proc, live_url = start_sample(children, tmp_path, valkey.url, source, "--period", "0.3")
    wait_for(lambda: live(live_url)["published"] >= 2, what="publishing")
    valkey.kill()
    wait_for(lambda: live(live_url)["redis"] == "down", 15, "Redis seen down")
    time.sleep(1.0)
    assert proc.alive(), proc.log()
    assert live(live_url)["pending"] >= 1
    valkey.start()
    published = live(live_url)["published"]
    wait_for(lambda: live(live_url)["published"] > published
             and live(live_url)["redis"] == "up", 30, "publishing again after the restart")


def test_starts_while_redis_is_down(tmp_path: Path, valkey: EmbeddedValkey,
                                    source: RecordedServer, children: list[Child]) -> None:
    valkey.kill()
    proc, live_url = start_sample(children, tmp_path, valkey.url, source)
    wait_for(lambda: live(live_url)["pending"] == 2, 15, "announcement and message pending")
    assert proc.alive()
    valkey.start()
    wait_for(lambda: live(live_url)["pending"] == 0, 30, "both published")


def test_sigterm_exits_zero_promptly_even_during_a_hung_fetch(
        tmp_path: Path, valkey: EmbeddedValkey, source: RecordedServer,
        children: list[Child]) -> None:
    source.serve(OBS, GOOD, delay=30.0)
    proc, live_url = start_sample(children, tmp_path, valkey.url, source,
                                  "--http-timeout", "60")
    wait_for(lambda: source.seen, 15, "the fetch to start")
    started = time.monotonic()
    assert proc.terminate(timeout=10) == 0
    assert time.monotonic() - started < 5


def test_once_reports_a_failed_fetch(tmp_path: Path, valkey: EmbeddedValkey,
                                     source: RecordedServer, children: list[Child]) -> None:
    source.serve(OBS, {"nothing": True})
    proc, _ = start_sample(children, tmp_path, valkey.url, source, "--once")
    assert proc.process.wait(20) == 1
    assert "Sample.temp is NoneType None, expected int, float" in proc.log()


def test_bad_config_file_is_named(tmp_path: Path, valkey: EmbeddedValkey, source: RecordedServer,
                                  children: list[Child]) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("period: [1, 2\n")
    proc, _ = start_sample(children, tmp_path, valkey.url, source, "--config", str(path))
    assert proc.process.wait(20) == 2
    assert "bad.yaml" in proc.log() and "not valid YAML" in proc.log()


# --- in-process parts --------------------------------------------------------------------

def test_require_names_the_field() -> None:
    values = {"current": {"temp": 4}, "forecast": [{"hi": True}]}
    assert require(values, "current.temp", (int, float)) == 4
    with pytest.raises(ShapeError, match=r"Weather\.current\.wind is missing"):
        require(values, "current.wind", where="Weather")
    with pytest.raises(ShapeError, match=r"values\.forecast\[3\] is missing"):
        require(values, "forecast[3].hi")
    with pytest.raises(ShapeError, match=r"forecast\[0\]\.hi is bool True, expected int, float"):
        require(values, "forecast[0].hi", (int, float))


def test_resolve_period_and_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PERIOD", raising=False)
    assert resolve_period(SampleProducer, None, {}) == 30.0
    assert resolve_period(SampleProducer, None, {"period": "45"}) == 45.0
    monkeypatch.setenv("PERIOD", "abc")
    with pytest.raises(ConfigError, match="env PERIOD: 'abc' is not a number"):
        resolve_period(SampleProducer, None, {})
    with pytest.raises(ConfigError, match="--period"):
        resolve_period(SampleProducer, -1, {})
    path = tmp_path / "list.yaml"
    path.write_text("- a\n")
    with pytest.raises(ConfigError, match="expected a mapping"):
        load_config(path)
    assert load_config(None) == {}


def test_dispatcher_lists_and_rejects_unknown(capsys: pytest.CaptureFixture[str]) -> None:
    assert producers_main(["--list"]) == 0
    assert "demo" in capsys.readouterr().out
    assert producers_main(["no-such-producer"]) == 2
    assert "no producer named 'no-such-producer'" in capsys.readouterr().err
    assert producers_main([]) == 2
    with pytest.raises(SystemExit) as exc:
        producers_main(["demo", "--help"])
    assert exc.value.code == 0
    assert "--seed" in capsys.readouterr().out


def test_envelope_times_carry_the_offset() -> None:
    class Fixed(SampleProducer):
        def now(self) -> datetime:
            return datetime.fromisoformat("2026-11-26T16:55:08.5-05:00")

    import argparse

    producer = Fixed(argparse.Namespace(), {})
    data = json.loads(producer.envelope("Sample", {"temp": 1}, 90))
    assert data["updated"] == "2026-11-26T16:55:08-05:00"
    assert data["valid"] == "2026-11-26T16:56:38-05:00"
    assert data["ts"] == 1795730108500


def test_a_refused_publish_is_retried_until_allowed(
        tmp_path: Path, valkey: EmbeddedValkey, source: RecordedServer, collector: Subscriber,
        children: list[Child]) -> None:
    admin = redis.Redis.from_url(valkey.url)
    try:
        admin.execute_command("ACL", "SETUSER", "prod", "on", ">pw", "resetchannels",
                              "&update", "+ping")  # no +publish yet
        url = with_password(valkey.url, "pw", user="prod")
        proc, live_url = start_sample(children, tmp_path, url, source, "--period", "0.5")
        wait_for(lambda: "publish refused" in proc.log(), 15, "the refusal logged")
        assert live(live_url)["redis"] == "down" and live(live_url)["pending"] >= 1
        assert proc.alive() and collector.all() == []
        # What a producer needs: its store-and-publish script and the commands it runs.
        admin.execute_command("ACL", "SETUSER", "prod", "~state", "+evalsha", "+eval",
                              "+hget", "+hset", "+publish")
        wait_for(lambda: collector.of("Sample") and collector.of("Sample-Server"), 20,
                 "published once allowed")
    finally:
        admin.close()


def test_cluster_names_without_a_shared_hash_tag_are_one_clear_error(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert producers_main(["moon", "--cluster", "--data-channel", "plain", "--once"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "--data-channel 'plain'" in err
    assert "Traceback" not in err
