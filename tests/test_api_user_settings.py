"""The household settings over HTTP, through a real Valkey and real API server processes:
GET/PUT /settings and /settings/schema, every field's validation (and nothing changed
by a refusal), versions and 409, the token, the Settings envelope on the stream, the
version on the settings channel, locks from the sources hash, restarts."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis
from hypothesis import given, settings
from hypothesis import strategies as st

from glanceboard import strictjson
from glanceboard.strictjson import RejectedMessage
from server import keys
from server.settings import RedisSettings
from server.settings_store import write_source
from server.user_settings import FIELDS, check_change, schema
from server.valkey import EmbeddedValkey
from tests.cluster_support import valkey_cluster
from tests.fuzzing import clean_text, fuzz_examples, strict_json, surrogate_text
from tests.servers import (
    API_TOKEN,
    AUTH,
    ApiProcess,
    SseClient,
    fsync_aof,
    running_api_server,
    wait_until,
)

REDIS = RedisSettings()
DOC_KEY = keys.settings_key(REDIS)

EVERY_FIELD = {
    "place": "  Brooklyn ", "latitude": 40.65, "longitude": -73, "timezone": "America/New_York",
    "units": "Metric", "clock": "24h", "mlb_teams": ["nyy", "AZ", 111], "nfl_teams": ["WAS", "kc"],
    "calendar_source": "webcal://cal.example/private-abc123/basic.ics",
    "events_source": "https://family.example/events.yaml", "github_repo": "owner/repo.name",
    "wifi_qr": "WIFI:T:WPA;S:home;P:hunter2;;",
}
NORMALISED = {
    "place": "Brooklyn", "latitude": 40.65, "longitude": -73.0, "timezone": "America/New_York",
    "units": "metric", "clock": "24h", "mlb_teams": ["NYY", "ARI", "BOS"],
    "nfl_teams": ["WSH", "KC"], "calendar_source": "webcal://cal.example/private-abc123/basic.ics",
    "events_source": "https://family.example/events.yaml", "github_repo": "owner/repo.name",
    "wifi_qr": "WIFI:T:WPA;S:home;P:hunter2;;",
}

# (field, a bad value, words its reason must contain)
BAD_VALUES: list[tuple[str, Any, str]] = [
    ("place", "x" * 65, "at most 64"),
    ("place", "two\nlines", "printable"),
    ("place", 12, "must be text"),
    ("latitude", 91, "between -90 and 90"),
    ("latitude", "40.7", "must be a number"),
    ("latitude", True, "must be a number"),
    ("longitude", -180.5, "between -180 and 180"),
    ("longitude", 2e200, "between"),
    ("timezone", "Mars/Olympus_Mons", "not a time zone"),
    ("timezone", "../../etc/passwd", "not a time zone"),
    ("timezone", ["UTC"], "must be text"),
    ("units", "kelvin", "imperial, metric"),
    ("clock", "25h", "12h, 24h"),
    ("mlb_teams", ["NYY", "XYZ"], "team 2: 'XYZ' is not an MLB team"),
    ("mlb_teams", "NYY", "must be a list"),
    ("mlb_teams", ["NYY"] * 9, "at most 8"),
    ("mlb_teams", [999], "no MLB team has the id 999"),
    ("nfl_teams", ["KC", {"a": 1}], "team 2"),
    ("nfl_teams", ["NYY"], "is not an NFL team"),
    ("calendar_source", "ftp://cal.example/x.ics", "https:// or http:// or webcal://"),
    ("calendar_source", "https://", "names no host"),
    ("calendar_source", "https://cal.example/a b.ics", "no spaces"),
    ("events_source", "events.yaml", "absolute file path"),
    ("events_source", "/srv/../etc/shadow", "without '..'"),
    ("github_repo", "just-a-name", "owner/name"),
    ("github_repo", "owner/name/extra", "owner/name"),
    ("wifi_qr", "S:home;P:pw;;", "must start with 'WIFI:'"),
    ("wifi_qr", "WIFI:" + "x" * 500, "at most 500"),
    ("favourite_colour", "blue", "unknown setting"),
]


def put(api: ApiProcess, body: Any, headers: dict[str, str] | None = None) -> httpx.Response:
    return httpx.put(api.url + "/settings", json=body, timeout=10,
                     headers=AUTH if headers is None else headers)


def put_raw(api: ApiProcess, content: bytes) -> httpx.Response:
    return httpx.put(api.url + "/settings", content=content, timeout=10,
                     headers={**AUTH, "Content-Type": "application/json"})


def get(api: ApiProcess) -> dict[str, Any]:
    answer = httpx.get(api.url + "/settings", headers=AUTH, timeout=10)
    assert answer.status_code == 200, answer.text
    return answer.json()


def values_of(document: dict[str, Any]) -> dict[str, Any]:
    """The values a GET shows (a secret as the marker "set")."""
    return {name: (field["value"] if not field["secret"] else "set")
            for name, field in document["fields"].items() if field["set"]}


@pytest.fixture
def store(valkey: EmbeddedValkey) -> Iterator[redis.Redis]:
    client = redis.Redis.from_url(valkey.url)
    yield client
    client.close()


def test_every_route_needs_the_token(api_server: ApiProcess) -> None:
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": API_TOKEN}):
        for prefix in ("", "/api"):
            for method, path in (("GET", "/settings"), ("GET", "/settings/schema"),
                                 ("PUT", "/settings")):
                answer = httpx.request(method, api_server.url + prefix + path, headers=headers,
                                       json={"values": {"units": "metric"}}, timeout=10)
                assert answer.status_code == 401, (headers, method, path, answer.text)
                assert answer.headers["www-authenticate"] == "Bearer"
    assert get(api_server)["version"] == 0  # nothing was written


def test_a_fresh_install_has_every_field_unset_with_what_the_page_needs(
        api_server: ApiProcess) -> None:
    document = get(api_server)
    assert document["version"] == 0 and document["updated"] is None
    assert list(document["fields"]) == list(FIELDS)
    for name, field in document["fields"].items():
        assert field["value"] is None and field["set"] is False, name
        assert field["label"] and field["help"] and field["locked"] is None, name
        assert field["kind"] in ("text", "number", "choice", "teams", "url", "zone"), name
        assert field["used_by"] == [], name
    assert document["fields"]["units"]["choices"] == ["imperial", "metric"]
    assert "NYY" in document["fields"]["mlb_teams"]["choices"]
    assert document["fields"]["calendar_source"]["secret"] is True


def test_put_get_round_trip_normalises_and_hides_the_secret(api_server: ApiProcess,
                                                             store: redis.Redis) -> None:
    answer = put(api_server, {"values": EVERY_FIELD})
    assert answer.status_code == 200, answer.text
    document = answer.json()
    assert document == get(api_server)
    assert document["version"] == 1 and document["updated"].endswith("Z")
    assert values_of(document) == {**NORMALISED, "calendar_source": "set"}
    assert document["fields"]["calendar_source"]["value"] is None
    assert "private-abc123" not in answer.text
    assert json.loads(store.get(DOC_KEY))["values"] == NORMALISED

    # null unsets, an empty text too (a cleared form field); others stay.
    answer = put(api_server, {"values": {"units": None, "place": "", "calendar_source": None},
                              "version": 1})
    assert answer.status_code == 200, answer.text
    document = answer.json()
    assert document["version"] == 2
    expected = {k: v for k, v in NORMALISED.items()
                if k not in ("units", "place", "calendar_source")}
    assert values_of(document) == expected
    assert json.loads(store.get(DOC_KEY))["values"] == expected
    # The older ingress prefix serves the same routes.
    assert httpx.get(api_server.url + "/api/settings", headers=AUTH).json() == document


def test_a_put_reaches_sse_clients_and_the_settings_channel(api_server: ApiProcess,
                                                            valkey: EmbeddedValkey) -> None:
    client = redis.Redis.from_url(valkey.url)
    listener = client.pubsub()
    listener.subscribe(keys.settings_channel(REDIS))
    assert listener.get_message(timeout=2)["type"] == "subscribe"
    try:
        with SseClient(api_server.url + "/events?types=Settings") as sse:
            sent = time.monotonic()
            assert put(api_server, {"values": EVERY_FIELD}).status_code == 200
            event = sse.wait_for(lambda e: e.json().get("type") == "Settings", timeout=5)
            assert time.monotonic() - sent < 2
        message = listener.get_message(ignore_subscribe_messages=True, timeout=5)
    finally:
        listener.close()
        client.close()
    assert message is not None and message["data"] == b"1"
    values = event.json()["values"]
    assert values == {"version": 1, **{k: v for k, v in NORMALISED.items()
                                       if k not in ("calendar_source", "events_source",
                                                    "github_repo")}}
    assert "private-abc123" not in event.data
    held = api_server.get("/state").json()["state"]["Settings"]
    assert held["values"] == values


def test_every_bad_value_is_refused_with_its_reason_and_changes_nothing(
        api_server: ApiProcess, store: redis.Redis) -> None:
    assert put(api_server, {"values": {"units": "imperial", "place": "Home"}}).status_code == 200
    before_doc = store.get(DOC_KEY)
    before_event = api_server.get("/state").json()["event_id"]
    for name, value, words in BAD_VALUES:
        # Beside a good value for another field: that one is not applied either.
        good = {"units": "metric"} if name == "clock" else {"clock": "12h"}
        answer = put(api_server, {"values": {**good, name: value}})
        assert answer.status_code == 422, (name, value, answer.text)
        errors = answer.json()["errors"]
        assert list(errors) == [name], (name, errors)
        assert words in errors[name], (name, value, errors[name])
    # All at once: every field's reason in one answer.
    everything = {name: value for name, value, _ in BAD_VALUES}
    answer = put(api_server, {"values": everything})
    assert answer.status_code == 422
    assert set(answer.json()["errors"]) == set(everything)
    assert store.get(DOC_KEY) == before_doc
    assert api_server.get("/state").json()["event_id"] == before_event
    assert get(api_server)["version"] == 1
    assert "Traceback" not in api_server.output()


def test_bodies_that_are_not_a_change_are_refused(api_server: ApiProcess,
                                                  store: redis.Redis) -> None:
    raw = [
        (b"", 400, "body"), (b"{units: metric}", 400, "body"), (b"[1]", 400, "body"),
        (b'{"values": {"latitude": NaN}}', 400, "body"),
        (b'{"values": {"place": "\\ud800"}}', 400, "body"),
        (b'{"values": "units=metric"}', 422, "values"),
        (b'{"units": "metric"}', 422, "units"),
        (b'{"values": {}, "version": "1"}', 422, "version"),
        (b'{"values": {}, "version": -1}', 422, "version"),
        (b'{"values": {"place": "' + b"x" * 17000 + b'"}}', 413, "body"),
    ]
    for content, status, field in raw:
        answer = put_raw(api_server, content)
        assert answer.status_code == status, (content[:40], answer.text)
        assert field in answer.json()["errors"], (content[:40], answer.text)
        assert answer.json()["detail"]
    assert store.get(DOC_KEY) is None


def test_a_stale_version_is_a_409_and_changes_nothing(api_server: ApiProcess,
                                                      store: redis.Redis) -> None:
    assert put(api_server, {"values": {"units": "metric"}, "version": 0}).status_code == 200
    before = store.get(DOC_KEY)
    answer = put(api_server, {"values": {"units": "imperial"}, "version": 0})
    assert answer.status_code == 409, answer.text
    assert answer.json()["current"] == 1 and "version 1" in answer.json()["detail"]
    assert store.get(DOC_KEY) == before
    ok = put(api_server, {"values": {"units": "imperial"}, "version": 1})
    assert ok.status_code == 200 and ok.json()["version"] == 2
    # Without a version the change applies to whatever is current.
    assert put(api_server, {"values": {"clock": "24h"}}).json()["version"] == 3


def test_a_field_a_running_part_fixed_by_a_flag_is_shown_locked_and_refused(
        api_server: ApiProcess, store: redis.Redis) -> None:
    now = int(time.time() * 1000)
    sources = keys.settings_sources_key(REDIS)
    store.hset(sources, mapping=dict([
        write_source("weather", "units", "metric", "flag --units", True, now),
        write_source("demo", "units", "imperial", "default", False, now),
        write_source("calendar", "calendar_source", "https://c.example/key", "env CALENDAR_SOURCE",
                     False, now),
        write_source("moon", "clock", "24h", "flag --clock24", True, now - 3 * 86_400_000),
    ]))
    document = get(api_server)
    units = document["fields"]["units"]
    assert units["locked"] == "fixed by flag --units of the weather producer"
    assert [(u["part"], u["origin"], u["value"]) for u in units["used_by"]] == [
        ("demo", "default", "imperial"), ("weather", "flag --units", "metric")]
    assert document["fields"]["calendar_source"]["used_by"][0]["value"] == "***"
    assert document["fields"]["clock"]["locked"] is None  # that part stopped long ago
    assert document["fields"]["clock"]["used_by"][0]["stale"] is True

    answer = put(api_server, {"values": {"units": "imperial", "place": "Home"}})
    assert answer.status_code == 422, answer.text
    assert answer.json()["errors"] == {
        "units": "fixed by flag --units of the weather producer"}
    assert store.get(DOC_KEY) is None
    assert put(api_server, {"values": {"clock": "12h", "units": None}}).status_code == 200
    store.hdel(sources, "weather/units")
    assert put(api_server, {"values": {"units": "metric"}}).status_code == 200


def test_the_served_schema_is_the_model_s(api_server: ApiProcess) -> None:
    served = httpx.get(api_server.url + "/settings/schema", headers=AUTH)
    assert served.status_code == 200
    assert served.headers["content-type"].startswith("application/schema+json")
    body = served.json()
    assert body == schema()
    assert body["additionalProperties"] is False and set(body["properties"]) == set(FIELDS)
    assert body["properties"]["calendar_source"]["x-secret"] is True


def _expected_status(body: bytes) -> tuple[int, dict[str, Any]]:
    """What the server must answer for ``body``, worked out here with the same model."""
    try:
        obj = strictjson.loads(body)
        strictjson.check_tree(obj)
        strictjson.dumps(obj)
    except RejectedMessage:
        return 400, {}
    change, errors = check_change(obj["values"])
    return (422, {}) if errors else (200, change)


hostile_values = st.one_of(strict_json, surrogate_text, st.just("__NAN__"),
                           st.integers(min_value=-(10**30), max_value=10**30),
                           st.lists(st.one_of(clean_text, st.integers()), max_size=10),
                           st.sampled_from(["NYY", "kc", "UTC", "Europe/Berlin", "metric",
                                            "WIFI:S:x;;", "https://x.example/a", "/a/b",
                                            "a/b", " ", ""]))


@settings(max_examples=fuzz_examples(120))
@given(change=st.dictionaries(st.one_of(st.sampled_from(list(FIELDS)), clean_text),
                              hostile_values, max_size=4))
def test_hostile_values_never_fail_the_server_nor_write_part_of_a_change(
        api_server: ApiProcess, store: redis.Redis, change: dict[str, Any]) -> None:
    body = json.dumps({"values": change}).replace('"__NAN__"', "NaN").encode()
    status, applied = _expected_status(body)
    before = store.get(DOC_KEY)
    before_values = json.loads(before)["values"] if before else {}
    answer = put_raw(api_server, body)
    assert answer.status_code == status, (change, answer.text)
    if status != 200:
        assert set(answer.json()["errors"]), answer.text
        assert store.get(DOC_KEY) == before
        return
    after = json.loads(store.get(DOC_KEY) or b'{"values": {}}')["values"]
    expected = {**before_values, **applied}
    assert after == {k: v for k, v in expected.items() if v is not None}


def test_the_settings_survive_a_valkey_restart(tmp_path: Path) -> None:
    data = tmp_path / "valkey"
    valkey = EmbeddedValkey(data, port=0)
    valkey.start()
    try:
        with running_api_server(valkey.url, token=API_TOKEN) as api:
            assert put(api, {"values": EVERY_FIELD}).status_code == 200
            # As if the disk kept the document but not the envelope written after it.
            client = redis.Redis.from_url(valkey.url)
            client.hdel(REDIS.state_key, "Settings")
            client.close()
            fsync_aof(valkey.url)
            port = valkey.port
            valkey.kill()
            wait_until(lambda: api.get("/ready").status_code == 503, 30, what="not ready")
            assert httpx.get(api.url + "/settings", headers=AUTH).status_code == 503
            valkey = EmbeddedValkey(data, port=port)
            valkey.start()
            api.wait_ready(timeout=30)
            document = get(api)
            assert document["version"] == 1
            assert values_of(document) == {**NORMALISED, "calendar_source": "set"}
            held = api.get("/state").json()["state"]["Settings"]["values"]
            assert held["version"] == 1 and held["units"] == "metric"
            client = redis.Redis.from_url(valkey.url)
            try:  # put back into the hash after the reconnect, for the next reader
                stored = wait_until(lambda: client.hget(REDIS.state_key, "Settings"), 10,
                                    what="the Settings envelope back in the state hash")
            finally:
                client.close()
            assert json.loads(stored)["values"] == held
            assert put(api, {"values": {"units": "imperial"}, "version": 1}).json()[
                "version"] == 2
        assert "Traceback" not in api.output()
    finally:
        valkey.kill()


def test_at_start_the_envelope_is_published_again_when_the_state_lags(
        valkey: EmbeddedValkey, store: redis.Redis) -> None:
    """A crash between the document and its envelope: the document is the truth."""
    store.set(DOC_KEY, json.dumps({"version": 5, "updated": "2026-12-01T08:00:00.000Z",
                                   "values": {"units": "metric", "clock": "24h",
                                              "calendar_source": "https://c.example/k"}}))
    old = {"type": "Settings", "values": {"version": 4, "units": "imperial"},
           "updated": "2026-11-30T08:00:00Z", "valid": "2036-11-30T08:00:00Z",
           "ts": 1796025600000}
    store.hset(REDIS.state_key, "Settings", json.dumps(old))
    with running_api_server(valkey.url, token=API_TOKEN) as api:
        held = wait_until(lambda: api.get("/key/Settings").json().get("values", {}).get(
            "version") == 5 and api.get("/key/Settings").json(), timeout=5,
            what="the API server holds settings v5")
        assert held["values"] == {"version": 5, "units": "metric", "clock": "24h"}
        stored = json.loads(store.hget(REDIS.state_key, "Settings"))
        assert stored["values"] == held["values"]
        assert "settings v5 stored, the state holds v4" in api.output()


def test_without_redis_a_put_is_a_503_and_the_server_carries_on(
        valkey: EmbeddedValkey, api_server: ApiProcess) -> None:
    valkey.kill()
    answer = put(api_server, {"values": {"units": "metric"}})
    assert answer.status_code == 503 and "Redis" in answer.json()["detail"], answer.text
    assert api_server.get("/live").status_code == 200


def test_concurrent_puts_each_get_their_own_version(api_server: ApiProcess) -> None:
    results: list[int] = []
    lock = threading.Lock()

    def one(n: int) -> None:
        answer = put(api_server, {"values": {"place": f"p{n}"}})
        with lock:
            results.append(answer.json()["version"])

    threads = [threading.Thread(target=one, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(results) == [1, 2, 3, 4, 5, 6]
    assert get(api_server)["version"] == 6


def test_settings_on_a_two_node_cluster(tmp_path: Path) -> None:
    """Through the seed node: the document, its channel and the envelope share the state
    key's hash tag, so they live on the node that owns it."""
    with valkey_cluster(tmp_path / "cluster", nodes=2) as cluster:
        owner = redis.Redis.from_url(cluster.url(1))  # owns the slot of {glanceboard}
        listener = owner.pubsub()
        listener.ssubscribe("{glanceboard}control:settings")
        try:
            assert listener.get_sharded_message(timeout=2)["type"] == "ssubscribe"
            with running_api_server(cluster.url(0), token=API_TOKEN,
                                    extra_args=["--cluster"]) as api:
                answer = put(api, {"values": {"units": "metric", "nfl_teams": ["kc"]}})
                assert answer.status_code == 200, answer.text + api.output()
                assert get(api)["version"] == 1
                wait_until(lambda: api.get("/key/Settings").json().get("values", {}).get(
                    "units") == "metric", 5, what="the Settings envelope held")
            message = listener.get_sharded_message(ignore_subscribe_messages=True, timeout=5)
            assert message is not None and message["data"] == b"1"
            assert json.loads(owner.get("{glanceboard}state:settings"))["values"] == {
                "units": "metric", "nfl_teams": ["KC"]}
            assert json.loads(owner.hget("{glanceboard}state", "Settings"))["values"][
                "version"] == 1
        finally:
            listener.close()
            owner.close()
