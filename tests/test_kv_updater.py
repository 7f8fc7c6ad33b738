"""The KV updater as a real process against a real Valkey (PROTOCOL sections 1 and 2)."""

from __future__ import annotations

import asyncio
import json
import random
import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import redis
import redis.asyncio as aioredis

from glanceboard.envelope import parse_envelope
from server.kv_store import STORE_SCRIPT_SHA, store_envelope
from server.settings import RedisSettings, with_password
from server.valkey import EmbeddedValkey
from tests.producer_support import Subscriber
from tests.servers import (
    Child,
    KvUpdaterProcess,
    dumps,
    http_get,
    python_module,
    start_kv_updater,
    wait_until,
)
from tests.servers import make_envelope as envelope

StartUpdater = Callable[..., KvUpdaterProcess]


@pytest.fixture
def start_updater(tmp_path: Path, valkey: EmbeddedValkey) -> Iterator[StartUpdater]:
    """Starts ``python -m server.kv_updater`` with a health port; waits until subscribed."""
    children: list[KvUpdaterProcess] = []

    def start(*extra: str, wait_ready: bool = True, url: str = valkey.url
              ) -> KvUpdaterProcess:
        proc = start_kv_updater(url, tmp_path / f"kv-updater-{len(children)}.log", *extra,
                                wait=wait_ready)
        children.append(proc)
        return proc

    try:
        yield start
    finally:
        for proc in children:
            proc.kill()


@pytest.fixture
def r(valkey: EmbeddedValkey) -> Iterator[redis.Redis]:
    client = redis.Redis.from_url(valkey.url)
    try:
        yield client
    finally:
        client.close()


def held(r: redis.Redis, kind: str, key: str = "state") -> dict | None:
    raw = r.hget(key, kind)
    return None if raw is None else json.loads(raw)


def test_publish_lands_in_the_hash_and_is_counted(start_updater: StartUpdater,
                                                  r: redis.Redis) -> None:
    proc = start_updater()
    weather = envelope("Weather", {"current": {"temp": 41.5}}, ts=1_000, extra_field="kept")
    r.publish("update", dumps(weather))
    r.publish("update", dumps(envelope("Weather-Server", {"message": "Weather started."},
                                       ts=1_001)))
    wait_until(lambda: held(r, "Weather-Server"), what="the announcement in the hash")
    assert held(r, "Weather") == weather  # whole envelope, type and unknown fields included
    assert held(r, "Weather-Server")["values"] == {"message": "Weather started."}
    assert proc.metric("glanceboard_kv_stored_total") == 2
    assert http_get(proc.base + "/live")[0] == 200
    assert proc.alive()


def test_older_ts_never_replaces_newer(start_updater: StartUpdater, r: redis.Redis) -> None:
    proc = start_updater()
    r.publish("update", dumps(envelope("AQI", {"aqi_score": 20}, ts=2_000)))
    r.publish("update", dumps(envelope("AQI", {"aqi_score": 99}, ts=1_000)))  # older
    wait_until(lambda: proc.metric("glanceboard_kv_stale_dropped_total") == 1,
             what="the older AQI to be dropped")
    assert held(r, "AQI")["values"] == {"aqi_score": 20}
    # Same ts again is not older: it is written (a replay, or a second producer).
    r.publish("update", dumps(envelope("AQI", {"aqi_score": 21}, ts=2_000)))
    wait_until(lambda: held(r, "AQI")["values"] == {"aqi_score": 21}, what="equal ts written")
    # Without ts, arrival order decides (older producers send none).
    r.publish("update", dumps(envelope("AQI", {"aqi_score": 5})))
    wait_until(lambda: held(r, "AQI")["values"] == {"aqi_score": 5}, what="ts-less written")
    # Held without ts: a message with ts is written too.
    r.publish("update", dumps(envelope("AQI", {"aqi_score": 6}, ts=10)))
    wait_until(lambda: held(r, "AQI")["values"] == {"aqi_score": 6}, what="ts over none")
    assert proc.metric("glanceboard_kv_stale_dropped_total") == 1


DEEP = '{"a":' * 80 + "1" + "}" * 80
MALFORMED: list[tuple[str, bytes]] = [
    ("not_json", b'{"type": "Weather", "values": '),
    ("not_object", b'[{"type": "Weather"}]'),
    ("missing_field", dumps({"type": "Weather", "values": {"x": 1}}).encode()),
    ("bad_type", dumps(envelope("bad type!", {"x": 1})).encode()),
    ("null_values", dumps(envelope("Weather") | {"values": None}).encode()),
    ("oversize", dumps(envelope("Weather", {"pad": "x" * 3000})).encode()),
    ("too_deep", ('{"type":"Weather","updated":"2026-11-26T16:55:08-05:00",'
                  '"valid":"2026-11-26T17:55:08-05:00","values":' + DEEP + "}").encode()),
    ("invalid_utf8", b'{"type":"Weather","values":"\xff\xfe","updated":"x","valid":"y"}'),
]


def test_each_malformed_class_is_rejected_counted_and_harmless(
        start_updater: StartUpdater, r: redis.Redis) -> None:
    proc = start_updater("--max-bytes", "2048")
    good = envelope("Weather", {"current": {"temp": 50}}, ts=5_000)
    r.publish("update", dumps(good))
    wait_until(lambda: held(r, "Weather"), what="the good message stored")
    for reason, raw in MALFORMED:
        assert reason in str(_reason_of(raw)), f"test input for {reason} is not one"
        r.publish("update", raw)
        wait_until(lambda reason=reason: proc.metric(
            "glanceboard_kv_rejected_total", {"reason": reason}) == 1,
            what=f"a rejection counted as {reason}")
        assert proc.alive(), proc.log()
        assert r.hgetall("state") == {b"Weather": dumps(good).encode()}, reason
    assert proc.metric("glanceboard_kv_stored_total") == 1
    log = proc.log()
    for reason, _ in MALFORMED:
        assert f": {reason}: " in log, f"no log line for {reason}:\n{log}"
    # Still working after all that.
    r.publish("update", dumps(envelope("Weather", {"current": {"temp": 51}}, ts=6_000)))
    wait_until(lambda: held(r, "Weather")["ts"] == 6_000, what="a good message after bad ones")


def _reason_of(raw: bytes) -> str:
    try:
        parse_envelope(raw, max_bytes=2048)
    except ValueError as exc:
        return str(exc)
    return "accepted"


def test_control_messages_are_ignored(start_updater: StartUpdater, r: redis.Redis) -> None:
    proc = start_updater()
    r.publish("update", dumps({"type": "webcontrol", "command": "pp", "args": {}}))
    r.publish("update", dumps(envelope("webcontrol", {"command": "fwd"}, ts=1)))
    wait_until(lambda: proc.metric("glanceboard_kv_control_ignored_total") == 2,
             what="two control messages ignored")
    assert r.hgetall("state") == {}
    assert proc.metric('glanceboard_kv_rejected_total{reason="missing_field"}') == 0


def test_legacy_keys_hold_the_key_shape(start_updater: StartUpdater, r: redis.Redis) -> None:
    start_updater("--legacy-keys")
    moon = envelope("Moon", {"phase": 37}, ts=9)
    r.publish("update", dumps(moon))
    wait_until(lambda: r.get("Moon"), what="the legacy Moon key")
    assert json.loads(r.get("Moon")) == {k: v for k, v in moon.items() if k != "type"}
    assert held(r, "Moon") == moon
    r.publish("update", dumps(envelope("Moon", {"phase": 1}, ts=3)))  # older: neither changes
    r.publish("update", dumps(envelope("Moon-Server", {"message": "m"}, ts=4)))
    wait_until(lambda: held(r, "Moon-Server"), what="a later message")
    assert json.loads(r.get("Moon"))["values"] == {"phase": 37}


def _aof_contains(valkey: EmbeddedValkey, marker: bytes) -> bool:
    return any(marker in path.read_bytes()
               for path in (valkey.data_dir / "appendonlydir").glob("*.aof"))


def test_state_survives_valkey_restart_and_updater_resumes(
        start_updater: StartUpdater, r: redis.Redis, valkey: EmbeddedValkey) -> None:
    proc = start_updater()
    r.publish("update", dumps(envelope("GitHub", {"latest_commit": "abc1234"}, ts=100)))
    wait_until(lambda: held(r, "GitHub"), what="GitHub stored")
    # AOF is fsynced every second; a crash keeps what reached the disk.
    wait_until(lambda: _aof_contains(valkey, b"abc1234"), 10, "the write to reach the AOF")
    valkey.kill()
    wait_until(lambda: http_get(proc.base + "/ready")[0] == 503, 20, "the updater to notice")
    valkey.start()
    assert held(r, "GitHub")["values"] == {"latest_commit": "abc1234"}
    wait_until(lambda: http_get(proc.base + "/ready")[0] == 200, 30, "the updater to resubscribe")
    r.publish("update", dumps(envelope("GitHub", {"latest_commit": "def5678"}, ts=200)))
    wait_until(lambda: held(r, "GitHub")["ts"] == 200, what="a new publish stored after restart")
    assert proc.metric("glanceboard_kv_redis_reconnects_total") >= 1
    assert proc.alive()


def test_updater_waits_for_a_redis_that_is_not_up_yet(
        start_updater: StartUpdater, r: redis.Redis, valkey: EmbeddedValkey) -> None:
    valkey.kill()
    proc = start_updater(wait_ready=False)
    wait_until(lambda: http_get(proc.base + "/ready")[0] == 503, 20, "the health port, not ready")
    assert proc.alive()
    valkey.start()
    wait_until(lambda: http_get(proc.base + "/ready")[0] == 200, 30, "the updater to connect")
    r.publish("update", dumps(envelope("NFL", {"events": []}, ts=1)))
    wait_until(lambda: held(r, "NFL"), what="NFL stored")


def test_sigterm_exits_zero_promptly(start_updater: StartUpdater) -> None:
    proc = start_updater()
    started = time.monotonic()
    assert proc.terminate(timeout=10) == 0
    assert time.monotonic() - started < 5, "SIGTERM took too long"
    assert "KV updater stopped" in proc.log()


def test_bad_settings_exit_with_a_clear_error(tmp_path: Path) -> None:
    proc = Child(python_module("server.kv_updater", "--cluster", "--legacy-keys"),
                 tmp_path / "bad.log")
    assert proc.process.wait(20) == 2
    assert "--legacy-keys" in proc.log()
    proc = Child(python_module("server.kv_updater", "--cluster", "--state-key", "mystate"),
                 tmp_path / "bad2.log")
    assert proc.process.wait(20) == 2
    assert "hash tag" in proc.log()
    for index, (env, says) in enumerate([
            ({"HEALTH_PORT": "http"}, "environment variable HEALTH_PORT='http': not a port"),
            ({"MAX_MESSAGE_BYTES": "0"}, "environment variable MAX_MESSAGE_BYTES='0': must be"),
            ({"LOG_LEVEL": "loud"}, "environment variable LOG_LEVEL='loud': 'loud' is not one"),
            ({"REDIS_URL": "localhost"}, "--redis-url / REDIS_URL 'localhost': Redis URL must")]):
        proc = Child(python_module("server.kv_updater"), tmp_path / f"env{index}.log", env)
        assert proc.process.wait(20) == 2, proc.log()
        lines = proc.log().strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith(f"error: {says}"), proc.log()


def test_redis_refusing_the_data_channel_is_one_clear_line(
        r: redis.Redis, valkey: EmbeddedValkey, tmp_path: Path) -> None:
    r.execute_command("ACL", "SETUSER", "nochan", "on", ">pw", "resetchannels", "&other",
                      "~state", "+subscribe", "+ping", "+hget", "+evalsha", "+eval")
    proc = Child(python_module("server.kv_updater", "--redis-url",
                               with_password(valkey.url, "pw", user="nochan")),
                 tmp_path / "nochan.log")
    assert proc.process.wait(20) == 2, proc.log()
    last = proc.log().strip().splitlines()[-1]
    assert last.startswith("error: Redis at redis://nochan:***@127.0.0.1:"), last
    assert "refused the KV updater: NoPermissionError" in last


async def test_store_envelope_script_loads_itself_and_orders(valkey: EmbeddedValkey) -> None:
    """The reusable write: EVALSHA falls back to EVAL after SCRIPT FLUSH; ts ordering."""
    client = aioredis.from_url(valkey.url)
    settings = RedisSettings(url=valkey.url, state_key="st")
    try:
        await client.script_flush()
        assert await client.script_exists(STORE_SCRIPT_SHA) == [False]
        new = parse_envelope(dumps(envelope("Calendar", ["No events"], ts=50)))
        old = parse_envelope(dumps(envelope("Calendar", [["x", "a", "b"]], ts=49)))
        assert await store_envelope(client, settings, new) is True
        assert await client.script_exists(STORE_SCRIPT_SHA) == [True]
        assert await store_envelope(client, settings, old) is False
        assert json.loads(await client.hget("st", "Calendar"))["ts"] == 50
    finally:
        await client.aclose()


def test_acl_user_with_the_documented_permissions(
        start_updater: StartUpdater, r: redis.Redis, valkey: EmbeddedValkey,
        tmp_path: Path) -> None:
    """docs/pipeline.md lists an ACL for the pipeline; the parts work with exactly that."""
    r.execute_command(
        "ACL", "SETUSER", "glanceboard", "on", ">s3cr@t", "resetchannels", "&update",
        "&control", "~state", "+publish", "+subscribe", "+ping", "+hget", "+hset", "+hgetall",
        "+evalsha", "+eval", "+script|load")
    url = with_password(valkey.url, "s3cr@t", user="glanceboard")
    proc = start_updater(url=url)  # waits until subscribed as the ACL user
    try:
        producer = Child(python_module("server.producers", "demo", "--once", "--redis-url", url),
                         tmp_path / "demo-acl.log")
        assert producer.process.wait(30) == 0, producer.log()
        wait_until(lambda: r.hlen("state") >= 9, 15, "the state written by the ACL user")
        assert "s3cr" not in proc.log() + producer.log()  # the password is never logged
    finally:
        proc.kill()


def test_a_refused_write_is_logged_and_the_updater_carries_on(
        start_updater: StartUpdater, r: redis.Redis, valkey: EmbeddedValkey) -> None:
    """A user without HSET: the write is refused (NOPERM), counted, logged; still running."""
    r.execute_command("ACL", "SETUSER", "reader", "on", ">pw", "resetchannels", "&update",
                      "~state", "+subscribe", "+ping", "+hget", "+evalsha", "+eval")
    url = with_password(valkey.url, "pw", user="reader")
    proc = start_updater(url=url)
    try:
        r.publish("update", dumps(envelope("AQI", {"aqi_score": 1}, ts=1)))
        wait_until(lambda: proc.metric("glanceboard_kv_store_errors_total") == 1, 10,
                 "the refused write counted")
        assert "could not store AQI in state" in proc.log() and "'hset'" in proc.log()
        assert proc.alive() and http_get(proc.base + "/ready")[0] == 200
        assert r.hlen("state") == 0
    finally:
        proc.kill()


async def test_racing_writers_leave_the_newest(valkey: EmbeddedValkey) -> None:
    """Four clients write 400 envelopes of one type in shuffled ts order, concurrently;
    the conditional script leaves exactly the newest one, whatever the interleaving."""
    settings = RedisSettings(url=valkey.url)
    clients = [aioredis.from_url(valkey.url) for _ in range(4)]
    stamps = list(range(1, 401))
    random.Random(4).shuffle(stamps)
    try:
        async def writer(index: int) -> list[bool]:
            return [await store_envelope(clients[index], settings,
                                         parse_envelope(dumps(envelope("MLB", [], ts=ts))))
                    for ts in stamps[index::4]]

        results = await asyncio.gather(*(writer(i) for i in range(4)))
        assert json.loads(await clients[0].hget("state", "MLB"))["ts"] == 400
        written = sum(sum(r) for r in results)
        assert 1 <= written < 400  # shuffled: many were refused as older
    finally:
        for client in clients:
            await client.aclose()


def test_a_kv_updater_gap_loses_none_of_our_producers_messages(
        start_updater: StartUpdater, r: redis.Redis, valkey: EmbeddedValkey,
        tmp_path: Path) -> None:
    """Valkey restarts; a real producer publishes while the KV updater is still away
    (held in its reconnect window by SIGSTOP, however soon its next retry would be).
    The producer stores and publishes in one step: every message is in the hash before
    the updater is back, and the updater says how long it was away."""
    proc = start_updater()
    valkey.kill()
    wait_until(lambda: proc.ready_status() == 503, 20, "the updater to notice")
    proc.pause()
    try:
        valkey.start()
        with Subscriber(valkey.url) as published:
            producer = Child(python_module("server.producers", "demo", "--once",
                                           "--redis-url", valkey.url),
                             tmp_path / "demo-once.log")
            assert producer.process.wait(30) == 0, producer.log()
            sent = {m["type"]: m for m in published.wait_for("Demo-Server")
                    + [m for m in published.all() if m["type"] != "Demo-Server"]}
        assert len(sent) >= 9, sorted(sent)  # the announcement and the demo's eight types
        assert {kind: held(r, kind) for kind in sent} == sent  # before the updater is back
    finally:
        proc.resume()
    wait_until(lambda: proc.ready_status() == 200, 30, "the updater to resubscribe")
    assert {kind: held(r, kind) for kind in sent} == sent
    gap = proc.metric("glanceboard_kv_redis_last_gap_seconds")
    assert gap is not None and gap > 0
    assert proc.metric("glanceboard_kv_redis_away_seconds_total") >= gap
    assert re.search(r"kv-updater: reconnected to Redis at redis://\S+ after \d+\.\d s away",
                     proc.log()), proc.log()
