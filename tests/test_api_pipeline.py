"""The whole Redis side together: publish -> KV updater -> hash -> API server -> SSE."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
import redis

from server.valkey import EmbeddedValkey
from tests.servers import (
    SseClient,
    make_envelope,
    publish,
    start_api_server,
    start_kv_updater,
    wait_until,
)


def test_publish_reaches_the_hash_the_rest_routes_and_the_stream(valkey: EmbeddedValkey,
                                                                 tmp_path: Path) -> None:
    updater = start_kv_updater(valkey.url, tmp_path / "kv-updater.log")
    api = start_api_server(valkey.url)
    try:
        api.wait_ready()
        store = redis.Redis.from_url(valkey.url)
        with SseClient(api.url + "/events") as sse:
            message = make_envelope("AQI", {"aqi_score": 17, "aqi_adjective": "Good"}, ts=100)
            publish(valkey.url, message)
            event = sse.next_event(5)
            assert event.id and event.json() == message
        held = wait_until(lambda: store.hget("state", "AQI"), 5, what="hash holds AQI")
        assert json.loads(held) == message
        assert api.get("/state").json()["state"]["AQI"] == message
        assert api.get("/key/AQI").json()["values"]["aqi_score"] == 17
        # An older ts changes neither the hash nor the API server.
        publish(valkey.url, make_envelope("AQI", {"aqi_score": 99}, ts=50))
        publish(valkey.url, make_envelope("Marker", {}, ts=1))
        wait_until(lambda: store.hget("state", "Marker"), 5)
        assert json.loads(store.hget("state", "AQI"))["ts"] == 100
        assert api.get("/key/AQI").json()["ts"] == 100
        store.close()
        # A new API server finds the state the KV updater kept.
        second = start_api_server(valkey.url)
        try:
            second.wait_ready()
            assert second.get("/key/AQI").json()["ts"] == 100
        finally:
            second.stop()
    finally:
        api.stop()
        updater.kill()


def test_a_paused_api_server_comes_back(valkey: EmbeddedValkey) -> None:
    api = start_api_server(valkey.url)
    try:
        api.wait_ready()
        api.pause()
        with pytest.raises(httpx.TimeoutException):
            httpx.get(api.url + "/live", timeout=0.5)
        api.resume()
        assert api.get("/live").status_code == 200
    finally:
        api.stop()
