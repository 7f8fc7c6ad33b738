"""Restarts: Valkey killed and brought back on the same data, and the API server itself."""

from __future__ import annotations

import json
from pathlib import Path

import redis

from server.valkey import EmbeddedValkey
from tests.servers import SseClient, fsync_aof, make_envelope, publish, start_api_server, wait_until


def test_valkey_killed_and_restarted_the_api_resumes_and_resuming_clients_miss_nothing(
        tmp_path: Path) -> None:
    data = tmp_path / "valkey"
    valkey = EmbeddedValkey(data, port=0)
    valkey.start()
    port = valkey.port
    api = start_api_server(valkey.url)
    try:
        api.wait_ready()
        with SseClient(api.url + "/events") as live:
            for kind, ts in (("Weather", 1), ("AQI", 1)):
                publish(valkey.url, make_envelope(kind, {"v": "before"}, ts=ts), store=True)
            before = [live.next_event(5) for _ in range(2)]
            last_seen = before[-1].id
            fsync_aof(valkey.url)
            valkey.kill()
            wait_until(lambda: api.get("/ready").status_code == 503, 30, what="not ready")

            # While the API server cannot reach it, the data changes (say a KV updater that
            # reconnected first wrote it): same data, another port, then back.
            during = EmbeddedValkey(data, port=0)
            during.start()
            changed = make_envelope("Weather", {"v": "during outage"}, ts=2)
            client = redis.Redis.from_url(during.url)
            client.hset("state", "Weather", json.dumps(changed))
            client.close()
            during.stop()

            valkey = EmbeddedValkey(data, port=port)
            valkey.start()
            api.wait_ready(timeout=30)
            assert api.metric("glanceboard_api_redis_reconnects_total") >= 1
            assert api.get("/key/AQI").json()["values"] == {"v": "before"}  # state survived
            assert api.get("/key/Weather").json()["values"] == {"v": "during outage"}
            # A client that stayed connected is told what changed during the outage...
            assert live.next_event(10).json() == changed
            # ...and one that reconnects with its Last-Event-ID misses nothing.
            with SseClient(api.url + "/events", last_event_id=last_seen) as back:
                assert back.next_event(5).json() == changed
                assert back.drain(0.3) == []
                after = make_envelope("AQI", {"v": "after"}, ts=3)
                publish(valkey.url, after, store=True)
                assert back.next_event(5).json() == after
                assert live.next_event(5).json() == after
    finally:
        api.stop()
        valkey.kill()


def test_api_server_restarted_on_the_same_port_serves_the_state_again(
        valkey: EmbeddedValkey) -> None:
    message = make_envelope("Moon", {"phase": 12}, ts=7)
    publish(valkey.url, message, store=True)
    api = start_api_server(valkey.url)
    try:
        api.wait_ready()
        url = api.url
        with SseClient(api.url + "/events") as sse:
            publish(valkey.url, make_envelope("AQI", {}, ts=1), store=True)
            old_id = sse.next_event(5).id
        api.restart()
        assert api.url == url
        api.wait_ready()
        assert api.get("/key/Moon").json()["values"] == {"phase": 12}
        # An id from the previous run is unknown here: the client gets the whole state.
        with SseClient(api.url + "/events", last_event_id=old_id) as sse:
            assert sorted(e.json()["type"] for e in sse.drain(0.5)) == ["AQI", "Moon"]
    finally:
        api.stop()
