"""Compatibility with the original ecosystem, through the real pipeline.

1. The original producers' messages (tests/fixtures/legacy), published as they
   publish them, come back from ``/key/{type}`` exactly as the original API
   server answered (the stored ``{updated, valid, values}``), and the state
   hash, the per-type legacy keys and the stream carry them untouched.
2. Every message our producers publish passes the original clients' field
   expectations (glanceboard.payloads.original, written from their tables).
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import redis

from glanceboard.payloads import original
from server.producers.aqi import AirQuality
from server.producers.base import Producer
from server.producers.calendar import Calendar
from server.producers.events import Events
from server.producers.github import GitHub
from server.producers.mlb import MLB
from server.producers.moon import Moon
from server.producers.nfl import NFL
from server.producers.weather import Weather
from server.valkey import EmbeddedValkey
from tests.legacy_samples import legacy, legacy_names, legacy_text
from tests.producer_support import (
    RECORDED,
    RecordedServer,
    Subscriber,
    make_producer,
    recorded,
    upstream_fixture,  # noqa: F401 - the `upstream` fixture
)
from tests.servers import (
    API_TOKEN,
    Child,
    SseClient,
    publish,
    python_module,
    start_api_server,
    start_kv_updater,
    wait_until,
)

NY = ZoneInfo("America/New_York")
DATA_SAMPLES = [n for n in legacy_names() if n != "webcontrol"]


def _as_original_publishes(name: str) -> str:
    """``json.dumps(envelope)``: default separators, ASCII escapes, one line."""
    return json.dumps(json.loads(legacy_text(name)))


def test_original_messages_come_back_as_the_original_api_server_answered(
        valkey: EmbeddedValkey, tmp_path: Path) -> None:
    updater = start_kv_updater(valkey.url, tmp_path / "kv-updater.log", "--legacy-keys")
    api = start_api_server(valkey.url, token=API_TOKEN)
    store = redis.Redis.from_url(valkey.url, decode_responses=True)
    try:
        api.wait_ready()
        updater.wait_ready()
        assert api.get("/key/MLB").json() == {}  # nothing yet: {} with 200, as the original
        with SseClient(api.url + "/events") as sse:
            for name in DATA_SAMPLES:
                sample = legacy(name)
                kind = sample["type"]
                publish(valkey.url, _as_original_publishes(name))
                event = sse.next_event(5)
                while event.event != "update":  # pings and the like
                    event = sse.next_event(5)
                # The stream: event "update", one line of data, the message as published.
                assert "\n" not in event.data and event.json() == sample, name
                stored = {k: v for k, v in sample.items() if k != "type"}
                wait_until(lambda kind=kind, sample=sample: store.hget("state", kind) and
                           json.loads(store.hget("state", kind)) == sample, 5,
                           what=f"the hash holds {name}")
                # The per-type key the original API server reads: {updated, valid, values}.
                assert json.loads(store.get(kind)) == stored, name
                answer = api.get(f"/key/{kind}")
                assert answer.status_code == 200 and answer.json() == stored, name
        # /key/Environment: AQI, Moon and Weather, as the original web display reads them.
        environment = api.get("/key/Environment").json()
        for kind in ("AQI", "Moon", "Weather"):
            assert environment[kind] == {k: v for k, v in legacy(kind).items() if k != "type"}
        assert api.get("/api/key/Track").json()["values"] == legacy("Track")["values"]
    finally:
        store.close()
        api.stop()
        updater.kill()


def test_web_control_answers_as_the_original_api_server(valkey: EmbeddedValkey) -> None:
    api = start_api_server(valkey.url, token=API_TOKEN)
    try:
        api.wait_ready()
        with SseClient(api.url + "/events") as sse:
            answer = httpx.put(api.url + "/webcontrol/pp",
                               headers={"Authorization": f"Bearer {API_TOKEN}"})
            assert answer.status_code == 202 and answer.json() == {"status": "Command queued"}
            event = sse.next_event(5)
            while event.json().get("type") != "webcontrol":
                event = sse.next_event(5)
        command = event.json()
        # The original's {"type", "command"}; our "args" beside it is ignored by its clients.
        assert {k: command[k] for k in ("type", "command")} == legacy("webcontrol")
        assert original.problems(command) == []
        bad = httpx.put(api.url + "/webcontrol/dance",
                        headers={"Authorization": f"Bearer {API_TOKEN}"})
        assert bad.status_code == 400
    finally:
        api.stop()


def _serve(upstream: RecordedServer) -> None:
    upstream.serve("/forecast", recorded("open_meteo_forecast.json"))
    upstream.serve("/air-quality", recorded("open_meteo_air_quality.json"))
    upstream.serve("/schedule", recorded("mlb_schedule_live.json"))
    upstream.serve("/scoreboard", recorded("espn_nfl_scoreboard_live.json"))
    upstream.serve("/repos/o/r/commits", recorded("github_commits.json"))
    upstream.serve("/repos/o/r/actions/runs", recorded("github_runs.json"))


def _producers(url: str) -> list[Producer]:
    place = ["--latitude", "40.71", "--longitude", "-74.01", "--timezone", "America/New_York"]
    zone = ["--timezone", "America/New_York"]
    now = datetime(2026, 11, 26, 16, 55, 8, tzinfo=NY)
    return [
        make_producer(Weather, ["--base-url", url, *place], now=now),
        make_producer(AirQuality, ["--base-url", url, *place], now=now),
        make_producer(Moon, place, now=now),
        make_producer(Calendar, ["--source", str(RECORDED / "family.ics"), *zone], now=now),
        make_producer(Events, ["--source", str(RECORDED / "family.ics"), *zone], now=now),
        make_producer(GitHub, ["--base-url", url, "--repo", "o/r", *zone], now=now),
        make_producer(MLB, ["--base-url", url, *zone], now=now),
        make_producer(NFL, ["--base-url", url, *zone], now=now),
    ]


def test_every_producer_message_meets_the_original_expectations(
        upstream: RecordedServer) -> None:
    _serve(upstream)
    for producer in _producers(upstream.url):
        for kind, values in producer.fetch_messages().items():
            producer.check_shape(kind, values)
            envelope: dict[str, Any] = json.loads(producer.envelope(kind, values, 600))
            assert original.problems(envelope) == [], kind
        kind, announcement = producer.announcement(600)
        assert original.problems(json.loads(announcement)) == [], kind


def test_the_demo_process_publishes_what_the_original_clients_read(
        valkey: EmbeddedValkey, tmp_path: Path) -> None:
    collector = Subscriber(valkey.url)
    try:
        proc = Child(python_module("server.producers", "demo", "--once", "--redis-url",
                                   valkey.url, "--seed", "1", "--start-time",
                                   "2025-09-14T14:35:00-04:00"), tmp_path / "demo.log")
        assert proc.process.wait(30) == 0, proc.log()
        for kind in ("Weather", "AQI", "Moon", "Calendar", "Events", "GitHub", "MLB", "NFL"):
            (message,) = collector.wait_for(kind)
            assert original.problems(message) == [], kind
    finally:
        collector.close()
