"""The API server's REST side on a real Valkey: /state, /key, /api/ prefix, ordering,
start-up loading, malformed input, readiness."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import httpx
import redis

from server.embedded_auth import embedded_url, ensure_password
from server.valkey import EmbeddedValkey, free_port
from tests.servers import (
    ApiProcess,
    SseClient,
    make_envelope,
    publish,
    running_api_server,
    start_api_server,
    wait_until,
)


def test_publish_reaches_state_key_and_stream_with_an_id(valkey: EmbeddedValkey,
                                                         api_server: ApiProcess) -> None:
    with SseClient(api_server.url + "/events") as sse:
        message = make_envelope("Weather", {"current": {"temp": 41}}, ts=1000, extra="kept")
        publish(valkey.url, message)
        event = sse.next_event(timeout=5)
        assert event.event == "update"
        assert event.id
        assert event.json() == message
        assert sse.retry == 3000
    state = api_server.get("/state").json()
    assert state["state"]["Weather"] == message
    assert state["event_id"] == event.id
    key = api_server.get("/key/Weather").json()
    assert key == {k: v for k, v in message.items() if k != "type"}
    assert key["extra"] == "kept"


def test_api_prefix_environment_and_unknown_key(valkey: EmbeddedValkey,
                                                api_server: ApiProcess) -> None:
    for kind, ts in (("AQI", 1), ("Weather", 2)):
        publish(valkey.url, make_envelope(kind, {"k": kind}, ts=ts))
    wait_until(lambda: api_server.get("/key/Weather").json(), what="Weather held")
    assert api_server.get("/api/key/AQI").json()["values"] == {"k": "AQI"}
    assert api_server.get("/api/state").json() == api_server.get("/state").json()
    env = api_server.get("/key/Environment").json()
    assert set(env) == {"AQI", "Moon", "Weather"}
    assert env["Moon"] == {}
    assert env["Weather"]["values"] == {"k": "Weather"}
    assert api_server.get("/api/key/Environment").json() == env
    unknown = api_server.get("/key/NoSuchType")
    assert unknown.status_code == 200 and unknown.json() == {}
    assert api_server.get("/api/live").status_code == 200


def test_an_older_ts_never_replaces_a_newer_one_nor_reaches_the_stream(
        valkey: EmbeddedValkey, api_server: ApiProcess) -> None:
    with SseClient(api_server.url + "/events") as sse:
        publish(valkey.url, make_envelope("Moon", {"phase": 50}, ts=2000))
        publish(valkey.url, make_envelope("Moon", {"phase": 10}, ts=1000))
        publish(valkey.url, make_envelope("Marker", {}, ts=1))
        events = [sse.next_event(5), sse.next_event(5)]
    assert [(e.json()["type"], e.json()["ts"]) for e in events] == [("Moon", 2000), ("Marker", 1)]
    assert api_server.get("/key/Moon").json()["values"] == {"phase": 50}
    assert api_server.metric("glanceboard_api_messages_stale_total") == 1


def test_server_started_after_data_exists_loads_it(valkey: EmbeddedValkey) -> None:
    client = redis.Redis.from_url(valkey.url)
    stored = make_envelope("Calendar", [["Dentist", "9:00", "10:00"]], ts=5)
    client.hset("state", "Calendar", json.dumps(stored))
    client.close()
    with running_api_server(valkey.url) as api:
        assert api.get("/key/Calendar").json()["values"] == [["Dentist", "9:00", "10:00"]]
        # A client that must miss nothing: /state, then /events from its event_id.
        state = api.get("/state").json()
        assert state["state"]["Calendar"] == stored
        with SseClient(api.url + "/events", last_event_id=state["event_id"]) as sse:
            publish(valkey.url, make_envelope("Calendar", [["Gym", "18:00", "19:00"]], ts=6))
            assert sse.next_event(5).json()["ts"] == 6


def test_a_message_published_while_the_server_starts_is_not_lost(
        valkey: EmbeddedValkey) -> None:
    """Every few milliseconds a new type is published once (stored in the hash first, as the
    KV updater does) from before the server starts until after it is ready: whichever side
    of the subscription a message falls on, the server must end up with all of them."""
    stop = threading.Event()
    published: list[str] = []

    def produce() -> None:
        client = redis.Redis.from_url(valkey.url)
        n = 0
        while not stop.is_set():
            kind = f"Type{n}"
            raw = json.dumps(make_envelope(kind, {"n": n}, ts=n))
            client.hset("state", kind, raw)
            client.publish("update", raw)
            published.append(kind)
            n += 1
            stop.wait(0.003)
        client.close()

    producer = threading.Thread(target=produce, daemon=True)
    producer.start()
    api = start_api_server(valkey.url)
    try:
        wait_until(lambda: api.get("/ready", timeout=1).status_code == 200, 20, interval=0.01)
        stop.wait(0.2)
        stop.set()
        producer.join(5)
        assert len(published) > 20
        wait_until(lambda: len(api.get("/state").json()["state"]) == len(published), 5,
                   what=f"all {len(published)} types held")
        assert set(api.get("/state").json()["state"]) == set(published)
    finally:
        stop.set()
        api.stop()


def test_each_malformed_class_is_rejected_and_counted(valkey: EmbeddedValkey,
                                                      api_server: ApiProcess) -> None:
    good = make_envelope("AQI", {"aqi_score": 42}, ts=10)
    publish(valkey.url, good)
    wait_until(lambda: api_server.get("/key/AQI").json(), what="AQI held")
    before = api_server.get("/state").json()
    bad: dict[str, bytes] = {
        "not_json": b"{this is not json",
        "not_object": b'["AQI", 1]',
        "missing_field": json.dumps({"type": "AQI", "values": {}}).encode(),
        "bad_type": json.dumps(make_envelope("AQI score!", ts=11)).encode(),
        "null_values": json.dumps(make_envelope("AQI", ts=12) | {"values": None}).encode(),
        "oversize": json.dumps(make_envelope("AQI", "x" * 300_000, ts=13)).encode(),
        "too_deep": b'{"type":"AQI","values":' + b'{"a":' * 100 + b"1" + b"}" * 100
        + b',"updated":"2026-11-26T16:55:08-05:00","valid":"2026-11-26T17:55:08-05:00"}',
        "invalid_utf8": b'{"type":"AQI","values":"\xff\xfe","updated":"x","valid":"y"}',
        "bad_time": json.dumps(make_envelope("AQI", ts=14) | {"updated": "yesterday"}).encode(),
        "bad_ts": json.dumps(make_envelope("AQI") | {"ts": "soon"}).encode(),
    }
    with SseClient(api_server.url + "/events") as sse:
        for payload in bad.values():
            publish(valkey.url, payload)
        publish(valkey.url, make_envelope("Marker", {}, ts=1))
        # Nothing malformed reaches the stream: the first event is the marker.
        assert sse.next_event(5).json()["type"] == "Marker"
    for reason in bad:
        assert api_server.metric("glanceboard_api_messages_rejected_total",
                                 {"reason": reason}) == 1, reason
        # Logged with what was wrong and where it came from.
        assert f"from channel 'update' ({len(bad[reason])} bytes): {reason}: " in \
            api_server.output(), reason
    after = api_server.get("/state").json()
    assert after["state"]["AQI"] == before["state"]["AQI"] == good
    assert api_server.alive
    assert api_server.get("/ready").status_code == 200


def test_ready_is_503_until_redis_is_reachable(tmp_path: Path) -> None:
    port = free_port()
    # The password it will require is made now, so the URL carries it before it starts.
    api = start_api_server(embedded_url(port, password=ensure_password(tmp_path / "late")))
    server = EmbeddedValkey(tmp_path / "late", port=port)
    try:
        answer = api.get("/ready")
        assert answer.status_code == 503
        assert "Redis" in answer.json()["reason"]
        assert api.get("/live").status_code == 200
        assert api.metric("glanceboard_api_redis_connected") == 0
        server.start()
        api.wait_ready(timeout=30)
        assert api.get("/ready").json()["status"] == "ready"
    finally:
        api.stop()
        server.kill()


def test_metrics_are_prometheus_text(api_server: ApiProcess) -> None:
    answer = httpx.get(api_server.url + "/metrics")
    assert answer.headers["content-type"].startswith("text/plain; version=0.0.4")
    text = answer.text
    for name in ("glanceboard_api_sse_clients", "glanceboard_api_events_in_total",
                 "glanceboard_api_events_out_total", "glanceboard_api_redis_reconnects_total",
                 'glanceboard_api_messages_rejected_total{reason="oversize"}'):
        assert f"\n{name} " in text, name


def test_cors_lets_a_page_elsewhere_read(api_server: ApiProcess) -> None:
    answer = api_server.get("/state", headers={"Origin": "http://dashboard.example"})
    assert answer.headers["access-control-allow-origin"] == "*"
    with SseClient(api_server.url + "/events",
                   headers={"Origin": "http://dashboard.example"}) as sse:
        assert sse.response_headers["access-control-allow-origin"] == "*"
        assert sse.response_headers["content-type"].startswith("text/event-stream")
    # The preflight of a cross-origin stream that resumes with a Last-Event-ID header.
    preflight = httpx.options(api_server.url + "/events", headers={
        "Origin": "http://dashboard.example", "Access-Control-Request-Method": "GET",
        "Access-Control-Request-Headers": "last-event-id"}, timeout=5)
    assert preflight.status_code == 204, preflight.text
    assert preflight.headers["access-control-allow-origin"] == "*"
    assert "last-event-id" in preflight.headers["access-control-allow-headers"].lower()


def test_web_display_is_served_at_root_after_the_api_routes(valkey: EmbeddedValkey,
                                                            tmp_path: Path) -> None:
    web = tmp_path / "web"
    web.mkdir()
    (web / "index.html").write_text("<!doctype html><title>board</title>")
    (web / "state").write_text("a file that must not shadow the route")
    api = start_api_server(valkey.url, extra_args=["--web-dir", str(web)])
    try:
        page = api.get("/")
        assert page.status_code == 200 and "<title>board</title>" in page.text
        assert api.get("/state").json()["state"] == {}
        with SseClient(api.url + "/events") as sse:
            assert sse.status == 200
    finally:
        api.stop()
    bare = tmp_path / "empty"
    bare.mkdir()
    api = start_api_server(valkey.url, extra_args=["--web-dir", str(bare)])
    try:
        assert api.get("/").status_code == 404
    finally:
        api.stop()
