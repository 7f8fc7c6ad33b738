"""The household settings store against a real Valkey: reading what is (or is not)
stored, the versioned atomic change, the version on the settings channel, the
Settings envelope, both redis-py clients, and the sources hash."""

from __future__ import annotations

import asyncio
import json
import logging
import threading
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta

import pytest
import redis
import redis.asyncio as aioredis
from hypothesis import given, settings
from hypothesis import strategies as st

from glanceboard.payloads.settings import Settings
from server import keys, settings_store
from server.settings import RedisSettings
from server.settings_store import (
    SettingsConflict,
    SettingsDocument,
    change,
    lock_reasons,
    parse_sources,
    read_document,
    read_sources,
    sync,
    write_source,
    write_sources,
)
from server.user_settings import PUBLIC_NAMES, check_change
from server.valkey import EmbeddedValkey
from tests.fuzzing import fuzz_examples

SETTINGS = RedisSettings()
DOC_KEY = keys.settings_key(SETTINGS)


def checked(values: dict[str, object]) -> dict[str, object]:
    normalised, errors = check_change(values)
    assert errors == {}
    return normalised


@pytest.fixture
def client(valkey: EmbeddedValkey) -> Iterator[redis.Redis]:
    sync_client = redis.Redis.from_url(valkey.url)
    yield sync_client
    sync_client.close()


@pytest.fixture
async def aclient(valkey: EmbeddedValkey) -> AsyncIterator[aioredis.Redis]:
    async_client = aioredis.from_url(valkey.url)
    yield async_client
    await async_client.aclose()


def test_missing_and_unreadable_documents_read_as_version_0_with_one_warning(
        client: redis.Redis, caplog: pytest.LogCaptureFixture) -> None:
    assert sync(client, read_document, SETTINGS) == SettingsDocument()
    for raw in (b"not json \x01 missing", b'{"values": {"units": "metric"}}',
                b'{"version": -4, "values": {}}', b"[" * 5000 + b"]" * 5000):
        client.set(DOC_KEY, raw)
        caplog.clear()
        with caplog.at_level(logging.WARNING, "glanceboard.settings"):
            assert sync(client, read_document, SETTINGS) == SettingsDocument(), raw[:40]
            assert sync(client, read_document, SETTINGS) == SettingsDocument()
        assert len(caplog.records) == 1, (raw[:40], caplog.records)  # once, not per read
    client.delete(DOC_KEY)
    client.hset(DOC_KEY, "a", "b")  # another type at the key
    assert sync(client, read_document, SETTINGS) == SettingsDocument()
    # A change writes over it, as version 1.
    document, changed = sync(client, change, SETTINGS, checked({"units": "metric"}))
    assert changed and document.version == 1
    assert json.loads(client.get(DOC_KEY))["values"] == {"units": "metric"}


def test_values_no_longer_valid_are_left_out_and_named(client: redis.Redis,
                                                        caplog: pytest.LogCaptureFixture
                                                        ) -> None:
    client.set(DOC_KEY, json.dumps({"version": 7, "updated": "2026-12-01T10:00:00.000Z",
                                    "values": {"units": "kelvin", "place": "Home",
                                               "future_field": 1}}))
    with caplog.at_level(logging.WARNING, "glanceboard.settings"):
        document = sync(client, read_document, SETTINGS)
    assert document.version == 7 and document.values == {"place": "Home"}
    assert "units" in caplog.text and "future_field" in caplog.text
    document, _ = sync(client, change, SETTINGS, checked({"clock": "24h"}))
    assert document.version == 8 and document.values == {"place": "Home", "clock": "24h"}


async def test_a_change_is_versioned_published_and_becomes_a_settings_envelope(
        aclient: aioredis.Redis) -> None:
    listener = aclient.pubsub()
    await listener.subscribe(keys.settings_channel(SETTINGS), SETTINGS.data_channel)
    await listener.get_message(timeout=1)
    await listener.get_message(timeout=1)
    values = checked({"place": "Brooklyn", "latitude": 40.65, "longitude": -73.95,
                      "timezone": "America/New_York", "units": "metric", "clock": "24h",
                      "mlb_teams": ["nyy", "AZ"], "nfl_teams": ["WAS"],
                      "calendar_source": "https://cal.example/private-key/basic.ics",
                      "events_source": "/srv/events.yaml", "github_repo": "owner/name",
                      "wifi_qr": "WIFI:T:WPA;S:home;P:pw;;"})
    document, changed = await change(aclient, SETTINGS, values)
    assert changed and document.version == 1

    got: dict[str, list[bytes]] = {}
    while len(got) < 2:
        message = await listener.get_message(ignore_subscribe_messages=True, timeout=5)
        assert message is not None, f"only {got} arrived"
        got.setdefault(message["channel"].decode(), []).append(message["data"])
    await listener.aclose()
    assert got[keys.settings_channel(SETTINGS)] == [b"1"]
    published = json.loads(got[SETTINGS.data_channel][0])

    stored = json.loads(await aclient.get(DOC_KEY))
    assert stored["version"] == 1 and stored["values"]["mlb_teams"] == ["NYY", "ARI"]
    assert stored["values"]["nfl_teams"] == ["WSH"]
    assert datetime.fromisoformat(stored["updated"]) > datetime.now(UTC) - timedelta(minutes=1)
    envelope = json.loads(await aclient.hget(SETTINGS.state_key, "Settings"))
    assert envelope == published
    assert envelope["type"] == "Settings"
    assert set(envelope["values"]) == {"version", "place", "latitude", "longitude", "timezone",
                                       "units", "clock", "mlb_teams", "nfl_teams", "wifi_qr"}
    assert "private-key" not in json.dumps(envelope) and "events" not in json.dumps(envelope)
    read = Settings.parse(envelope["values"])
    assert (read.version, read.units, read.mlb_teams, read.timezone) == (
        1, "metric", ("NYY", "ARI"), "America/New_York")

    # Unsetting is a change too; the next envelope's ts is later.
    document, changed = await change(aclient, SETTINGS, {"units": None, "place": None})
    assert changed and document.version == 2 and "units" not in document.values
    second = json.loads(await aclient.hget(SETTINGS.state_key, "Settings"))
    assert second["ts"] > envelope["ts"]
    assert "units" not in second["values"] and second["values"]["version"] == 2
    assert await read_document(aclient, SETTINGS) == document


async def test_a_change_that_changes_nothing_keeps_the_version(aclient: aioredis.Redis) -> None:
    first, _ = await change(aclient, SETTINGS, {"units": "metric"})
    again, changed = await change(aclient, SETTINGS, {"units": "metric", "place": None})
    assert not changed and again == first and again.version == 1


async def test_a_stale_expected_version_is_a_conflict_and_changes_nothing(
        aclient: aioredis.Redis) -> None:
    await change(aclient, SETTINGS, {"units": "metric"}, expected_version=0)
    before = await aclient.get(DOC_KEY)
    with pytest.raises(SettingsConflict) as caught:
        await change(aclient, SETTINGS, {"units": "imperial"}, expected_version=0)
    assert caught.value.current == 1
    assert await aclient.get(DOC_KEY) == before
    document, _ = await change(aclient, SETTINGS, {"units": "imperial"}, expected_version=1)
    assert document.version == 2


async def test_concurrent_writers_lose_no_change(valkey: EmbeddedValkey) -> None:
    """Writers on separate connections, async and sync at once: every change lands, each
    with its own version (a write that skipped the compare would lose some)."""
    fields = ["place", "latitude", "longitude", "timezone", "units", "clock"]
    values = [40.0, -73.0, "UTC", "metric", "24h"]
    changes = [{name: value} for name, value in zip(fields[1:], values, strict=True)]
    changes.append({"place": "Home"})
    clients = [aioredis.from_url(valkey.url) for _ in changes]
    sync_client = redis.Redis.from_url(valkey.url)
    sync_versions: list[int] = []

    def sync_writer() -> None:
        for n in range(5):
            document, _ = sync(sync_client, change, SETTINGS, {"wifi_qr": f"WIFI:S:{n};;"})
            sync_versions.append(document.version)

    try:
        thread = threading.Thread(target=sync_writer)
        thread.start()
        done = await asyncio.gather(*(change(c, SETTINGS, checked(one))
                                      for c, one in zip(clients, changes, strict=True)))
        thread.join(30)
        document = await read_document(clients[0], SETTINGS)
    finally:
        for c in clients:
            await c.aclose()
        sync_client.close()
    versions = [d.version for d, _ in done] + sync_versions
    assert sorted(versions) == list(range(1, len(changes) + 6))
    assert document.version == len(changes) + 5
    assert document.values == {"latitude": 40.0, "longitude": -73.0, "timezone": "UTC",
                               "units": "metric", "clock": "24h", "place": "Home",
                               "wifi_qr": "WIFI:S:4;;"}


async def test_the_names_follow_the_state_key(aclient: aioredis.Redis) -> None:
    other = RedisSettings(state_key="house2", control_channel="control2")
    listener = aclient.pubsub()
    await listener.subscribe("control2:settings")
    await listener.get_message(timeout=1)
    await change(aclient, other, {"clock": "12h"})
    message = await listener.get_message(ignore_subscribe_messages=True, timeout=5)
    await listener.aclose()
    assert message is not None and message["data"] == b"1"
    assert await aclient.exists("house2:settings") and not await aclient.exists(DOC_KEY)
    assert await aclient.hexists("house2", "Settings")


def test_a_hand_edited_updated_far_ahead_does_not_push_ts_away(client: redis.Redis) -> None:
    client.set(DOC_KEY, json.dumps({"version": 2, "updated": "9999-12-31T23:59:59.999Z",
                                    "values": {}}))
    document, _ = sync(client, change, SETTINGS, {"units": "metric"})
    envelope = json.loads(client.hget(SETTINGS.state_key, "Settings"))
    assert document.version == 3
    assert abs(envelope["ts"] / 1000 - datetime.now(UTC).timestamp()) < 60


def _entry(part: str, setting: str, value: object, origin: str, locked: bool, at: int
           ) -> tuple[str, str]:
    return write_source(part, setting, value, origin, locked, at)


async def test_sources_list_who_uses_what_and_lock_only_by_a_recent_flag(
        aclient: aioredis.Redis, caplog: pytest.LogCaptureFixture) -> None:
    now = int(datetime.now(UTC).timestamp() * 1000)
    day = 24 * 3600 * 1000
    entries = dict([
        _entry("weather", "units", "metric", "flag --units", True, now - 1000),
        _entry("demo", "units", "imperial", "live v3", False, now - 500),
        _entry("moon", "clock", "24h", "flag --clock24", True, now - 2 * day),  # stopped
        _entry("calendar", "calendar_source", "https://c.example/key", "env CALENDAR_SOURCE",
               False, now),
    ])
    # What a careless part might write: a secret in the clear, junk, an unknown setting.
    entries["events/calendar_source"] = json.dumps({"value": "https://leak.example/key",
                                                    "origin": "file /etc/e.yaml",
                                                    "locked": False, "at": now})
    entries["weather/units-typo"] = "{}"
    entries["broken/units"] = "not json"
    await write_sources(aclient, SETTINGS, entries.items())
    with caplog.at_level(logging.WARNING, "glanceboard.settings"):
        sources = await read_sources(aclient, SETTINGS)
    assert "broken/units" in caplog.text and "units-typo" in caplog.text
    assert [s.part for s in sources["units"]] == ["demo", "weather"]
    weather = sources["units"][1].to_json(now)
    assert weather == {"part": "weather", "setting": "units", "value": "metric",
                       "origin": "flag --units", "locked": True, "at": now - 1000,
                       "stale": False}
    assert sources["clock"][0].to_json(now)["stale"] is True
    assert {s.value for s in sources["calendar_source"]} == {"***"}
    assert "leak" not in json.dumps([s.to_json(now) for s in sources["calendar_source"]])
    assert lock_reasons(sources, now) == {
        "units": "fixed by flag --units of the weather producer"}
    assert parse_sources({}) == {}


def test_a_sync_client_runs_the_same_change(client: redis.Redis) -> None:
    document, changed = sync(client, change, SETTINGS, checked({"nfl_teams": ["kc", "KC"]}))
    assert changed and document.values == {"nfl_teams": ["KC"]}
    assert sync(client, read_document, SETTINGS) == document
    assert settings_store.held_version(
        json.loads(client.hget(SETTINGS.state_key, "Settings"))["values"]) == 1


plausible = {
    "place": st.text(max_size=70),
    "latitude": st.one_of(st.floats(-100, 100), st.integers(-100, 100)),
    "longitude": st.one_of(st.floats(-200, 200), st.integers(-200, 200)),
    "timezone": st.sampled_from(["UTC", "Europe/Berlin", "America/New_York", "Asia/Kathmandu",
                                 "Nowhere/City", "utc", " UTC "]),
    "units": st.sampled_from(["imperial", "metric", "Metric", " metric", "si"]),
    "clock": st.sampled_from(["12h", "24h", "24H", "24"]),
    "mlb_teams": st.lists(st.one_of(st.sampled_from(["nyy", "AZ", "CWS", "OAK", "bos", "XX"]),
                                    st.sampled_from([147, 109, 1])), max_size=9),
    "nfl_teams": st.lists(st.sampled_from(["kc", "WAS", "JAC", "LA", "GB", "ZZ"]), max_size=9),
    "wifi_qr": st.one_of(st.just("WIFI:S:home;;"), st.text(max_size=20).map("WIFI:".__add__),
                         st.text(max_size=10)),
}


@settings(max_examples=fuzz_examples(300))
@given(st.fixed_dictionaries({}, optional=plausible))
def test_what_the_model_accepts_displays_read_back_unchanged(values: dict[str, object]) -> None:
    """The strict model on the server and the lenient reader on the displays agree: every
    accepted public value arrives in the Settings envelope and reads back as stored."""
    change, errors = check_change(values)
    if errors:
        assert set(errors) <= set(values)
        return
    stored = {name: value for name, value in change.items() if value is not None}
    document = SettingsDocument(3, "2026-12-01T10:00:00.000Z", stored)
    envelope = settings_store.envelope_of(document, datetime(2026, 12, 2, tzinfo=UTC))
    read = Settings.parse(envelope.values).to_values()
    assert read == {"version": 3, **{k: v for k, v in stored.items() if k in PUBLIC_NAMES}}
    assert check_change(stored) == (stored, {})  # normalised values stay as they are
