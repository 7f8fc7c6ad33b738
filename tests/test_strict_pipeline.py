"""Messages that used to pass validation and break a part later (issue findings 1-5),
through a real Valkey, a real KV updater and a real API server."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import redis

from glanceboard.timefmt import now_ms
from server.valkey import EmbeddedValkey
from tests.servers import (
    API_TOKEN,
    ApiProcess,
    KvUpdaterProcess,
    SseClient,
    make_envelope,
    publish,
    running_api_server,
    start_kv_updater,
    wait_until,
)

UPDATED = '"updated":"2026-11-26T16:55:08-05:00","valid":"2026-11-26T17:55:08-05:00"'
# Each is valid JSON syntax as Python's json reads it; none is what every consumer can read.
SURROGATE = '{"type":"Weather","values":{"s":"\\ud800"},' + UPDATED + "}"
SURROGATE_KEY = '{"type":"Weather","values":{"\\udfff":1},' + UPDATED + "}"
NAN = '{"type":"AQI","values":{"aqi_score":NaN},' + UPDATED + "}"
INFINITY = '{"type":"AQI","values":[Infinity, -Infinity],' + UPDATED + "}"
HUGE = '{"type":"AQI","values":{"aqi_score":1e400},' + UPDATED + "}"
NEWLINE_TYPE = json.dumps(make_envelope("AQI\n", {"aqi_score": 1}))
FUTURE_TS = json.dumps(make_envelope("Moon", {"phase": 99}, ts=10 ** 30))


@pytest.fixture
def pipeline(valkey: EmbeddedValkey, tmp_path: Path
             ) -> Iterator[tuple[KvUpdaterProcess, ApiProcess]]:
    updater = start_kv_updater(valkey.url, tmp_path / "kv-updater.log")
    try:
        with running_api_server(valkey.url, token=API_TOKEN) as api:
            yield updater, api
    finally:
        updater.kill()


def both_alive(updater: KvUpdaterProcess, api: ApiProcess) -> None:
    assert updater.alive(), f"the KV updater exited:\n{updater.log()}"
    assert api.process is not None and api.process.poll() is None, \
        f"the API server exited:\n{api.output()}"


def deliver_marker(valkey: EmbeddedValkey, updater: KvUpdaterProcess, api: ApiProcess,
                   sse: SseClient, ts: int) -> None:
    """A good message after the bad ones: it reaches the hash, the API and the stream."""
    store = redis.Redis.from_url(valkey.url)
    try:
        publish(valkey.url, make_envelope("Marker", {"n": ts}, ts=ts))
        event = sse.next_event(10)
        assert event.json()["type"] == "Marker", event.data
        wait_until(lambda: store.hget("state", "Marker"), 10, what="the marker in the hash")
        assert api.get("/key/Marker").json()["ts"] == ts
    finally:
        store.close()
    both_alive(updater, api)


def test_lone_surrogates_stop_nothing(valkey: EmbeddedValkey,
                                      pipeline: tuple[KvUpdaterProcess, ApiProcess]) -> None:
    """Finding 1: one such message stopped both services, on either channel."""
    updater, api = pipeline
    with SseClient(api.url + "/events") as sse:
        for raw in (SURROGATE, SURROGATE_KEY):
            publish(valkey.url, raw)
        publish(valkey.url, '{"type":"webcontrol","command":"notify","args":{"text":"\\ud800"}}',
                channel="control")
        deliver_marker(valkey, updater, api, sse, ts=1)
        auth = {"Authorization": f"Bearer {API_TOKEN}"}
        for command, body in (("notify", '{"text":"\\ud800"}'), ("page", '{"name":"\\udc00"}')):
            answer = httpx.put(f"{api.url}/webcontrol/{command}", content=body, headers=auth)
            assert answer.status_code == 400, answer.text
            assert "lone_surrogate" in answer.json()["detail"]
        # Nothing of it reached the stream.
        assert [e.json()["type"] for e in sse.drain(quiet=0.5)] == []
    wait_until(lambda: updater.metric("glanceboard_kv_rejected_total",
                                      {"reason": "lone_surrogate"}) == 2, 5)
    assert api.metric("glanceboard_api_messages_rejected_total",
                      {"reason": "lone_surrogate"}) == 2
    assert api.metric("glanceboard_api_control_rejected_total",
                      {"reason": "lone_surrogate"}) == 1
    assert api.metric("glanceboard_api_webcontrol_refused_total",
                      {"reason": "lone_surrogate"}) == 2
    assert "Weather" not in api.get("/state").json()["state"]
    both_alive(updater, api)


def test_non_finite_numbers_are_neither_stored_nor_streamed(
        valkey: EmbeddedValkey, pipeline: tuple[KvUpdaterProcess, ApiProcess]) -> None:
    """Finding 2: NaN and Infinity were stored, streamed, and made /key answer 500."""
    updater, api = pipeline
    with SseClient(api.url + "/events") as sse:
        for raw in (NAN, INFINITY, HUGE):
            publish(valkey.url, raw)
        deliver_marker(valkey, updater, api, sse, ts=2)
    store = redis.Redis.from_url(valkey.url)
    try:
        assert store.hget("state", "AQI") is None
    finally:
        store.close()
    answer = api.get("/key/AQI")
    assert answer.status_code == 200 and answer.json() == {}
    assert api.get("/state").status_code == 200
    assert updater.metric("glanceboard_kv_rejected_total", {"reason": "non_finite"}) == 3
    assert api.metric("glanceboard_api_messages_rejected_total", {"reason": "non_finite"}) == 3


def test_a_type_with_a_trailing_newline_is_rejected(
        valkey: EmbeddedValkey, pipeline: tuple[KvUpdaterProcess, ApiProcess]) -> None:
    """Finding 3: "AQI\\n" became a hash field of its own."""
    updater, api = pipeline
    with SseClient(api.url + "/events") as sse:
        publish(valkey.url, NEWLINE_TYPE)
        deliver_marker(valkey, updater, api, sse, ts=3)
    store = redis.Redis.from_url(valkey.url)
    try:
        assert store.hkeys("state") == [b"Marker"]
    finally:
        store.close()
    assert list(api.get("/state").json()["state"]) == ["Marker"]
    assert updater.metric("glanceboard_kv_rejected_total", {"reason": "bad_type"}) == 1
    assert api.metric("glanceboard_api_messages_rejected_total", {"reason": "bad_type"}) == 1


def test_a_far_future_ts_does_not_freeze_its_type(
        valkey: EmbeddedValkey, pipeline: tuple[KvUpdaterProcess, ApiProcess]) -> None:
    """Finding 4: after ts = 10^30 every real message of the type was dropped as older."""
    updater, api = pipeline
    publish(valkey.url, FUTURE_TS)
    real = make_envelope("Moon", {"phase": 50}, ts=now_ms())
    publish(valkey.url, json.dumps(real))
    store = redis.Redis.from_url(valkey.url)
    try:
        held = wait_until(lambda: store.hget("state", "Moon"), 10, what="Moon in the hash")
        assert json.loads(held) == real
    finally:
        store.close()
    wait_until(lambda: api.get("/key/Moon").json().get("ts") == real["ts"], 10,
               what="the API server holds the real Moon")
    assert updater.metric("glanceboard_kv_rejected_total", {"reason": "future_ts"}) == 1
    assert api.metric("glanceboard_api_messages_rejected_total", {"reason": "future_ts"}) == 1
    both_alive(updater, api)


def test_the_kv_updater_removes_hash_fields_no_reader_accepts(valkey: EmbeddedValkey,
                                                              tmp_path: Path) -> None:
    """A hash written before these rules (or by hand) may hold a ts of 10^30: the store
    script would drop every real message of that type for good. The KV updater removes
    such fields once subscribed; valid ones stay."""
    good = make_envelope("Weather", {"n": 1}, ts=5)
    store = redis.Redis.from_url(valkey.url)
    try:
        store.hset("state", mapping={"Moon": FUTURE_TS, "AQI": NAN, "AQI\n": NEWLINE_TYPE,
                                     "Calendar": json.dumps(good), "Weather": json.dumps(good)})
        updater = start_kv_updater(valkey.url, tmp_path / "kv-updater.log")
        try:
            wait_until(lambda: updater.metric("glanceboard_kv_invalid_fields_removed_total")
                       == 4, 10, what="four invalid fields removed")
            assert sorted(store.hkeys("state")) == [b"Weather"]
            real = make_envelope("Moon", {"phase": 50}, ts=now_ms())
            publish(valkey.url, json.dumps(real))
            held = wait_until(lambda: store.hget("state", "Moon"), 10, what="the real Moon")
            assert json.loads(held) == real
            assert "removed field 'Moon' from state: future_ts" in updater.log()
        finally:
            updater.kill()
    finally:
        store.close()
