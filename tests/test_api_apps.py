"""Apps over HTTP through a real Valkey and real API server processes: PUT, GET, DELETE,
the served schema, every refusal (and nothing changed by one), expiry, restarts."""

from __future__ import annotations

import base64
import io
import json
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import redis
from PIL import Image

from server.api.apps import MAX_BODY_BYTES, schema
from server.valkey import EmbeddedValkey
from tests.servers import API_TOKEN, AUTH, ApiProcess, SseClient, running_api_server, wait_until
from tests.test_pages_apps import png_bomb


def png(size: tuple[int, int] = (8, 8)) -> str:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, "PNG")
    return base64.b64encode(out.getvalue()).decode()


def put(api: ApiProcess, name: str, body: Any, headers: dict[str, str] | None = None,
        **kwargs: Any) -> httpx.Response:
    return httpx.put(f"{api.url}/apps/{name}", json=body, headers=AUTH if headers is None
                     else headers, timeout=10, **kwargs)


def names_listed(api: ApiProcess) -> list[str]:
    return [app["name"] for app in api.get("/apps").json()["apps"]]


@pytest.fixture
def store(valkey: EmbeddedValkey) -> Iterator[redis.Redis]:
    client = redis.Redis.from_url(valkey.url)
    yield client
    client.close()


def held_apps(store: redis.Redis) -> list[dict[str, Any]] | None:
    raw = store.hget("state", "Apps")
    return None if raw is None else json.loads(raw)["values"]["apps"]


def test_put_lists_streams_stores_and_deletes(api_server: ApiProcess, store) -> None:
    with SseClient(api_server.url + "/events?types=Apps") as sse:
        answer = put(api_server, "doorbell", {"text": "Parcel at the door", "icon": "rain",
                                              "color": "amber", "lifetime": 600})
        assert answer.status_code == 200, answer.text
        assert answer.json()["name"] == "doorbell"
        event = sse.wait_for(lambda e: e.json().get("type") == "Apps", timeout=10)
        app = event.json()["values"]["apps"][0]
    assert app["name"] == "doorbell" and app["color"] == "#ffb030"  # the palette's amber
    assert app["expires"] - app["updated"] == 600_000
    listed = api_server.get("/apps").json()
    assert [a["name"] for a in listed["apps"]] == ["doorbell"]
    assert 590 < listed["apps"][0]["expires_in"] <= 600
    assert held_apps(store)[0]["text"] == "Parcel at the door"
    assert api_server.get("/state").json()["state"]["Apps"]["values"]["apps"][0] == app

    assert put(api_server, "build", {"lines": ["CI", "green"], "image": png()}).status_code == 200
    assert names_listed(api_server) == ["build", "doorbell"]
    assert httpx.put(api_server.url + "/api/apps/doorbell", json={"text": "again"},
                     headers=AUTH).status_code == 200  # the older ingress prefix, replacing
    assert names_listed(api_server) == ["build", "doorbell"]
    assert held_apps(store)[1]["text"] == "again"

    gone = httpx.delete(api_server.url + "/apps/doorbell", headers=AUTH)
    assert gone.status_code == 200, gone.text
    assert names_listed(api_server) == ["build"]
    assert [a["name"] for a in held_apps(store)] == ["build"]
    again = httpx.delete(api_server.url + "/apps/doorbell", headers=AUTH)
    assert again.status_code == 404 and again.json()["errors"][0]["field"] == "name"


def test_the_served_schema_is_the_model_s(api_server: ApiProcess) -> None:
    served = api_server.get("/apps/schema")
    assert served.status_code == 200
    assert served.headers["content-type"].startswith("application/schema+json")
    body = served.json()
    assert body == schema()
    assert body["additionalProperties"] is False
    assert "rain" in json.dumps(body["properties"]["icon"])
    assert body["properties"]["lifetime"]["maximum"] == 7 * 24 * 3600


BAD_BODIES: list[tuple[str, str, Any, int, str]] = [
    # (what, app name, body, status, field named in the errors)
    ("a bad icon", "ok", {"text": "x", "icon": "sunglasses"}, 422, "icon"),
    ("a hostile PNG (decompression bomb)", "ok", {"image": png_bomb(20000, 20000)},
     422, "image"),
    ("a PNG larger than the panel", "ok", {"image": png((200, 20))}, 422, "image"),
    ("an image that is not one", "ok", {"image": base64.b64encode(b"<svg/>").decode()},
     422, "image"),
    ("a bad colour", "ok", {"text": "x", "color": "#12"}, 422, "color"),
    ("an unknown field", "ok", {"text": "x", "sound": "beep"}, 422, "sound"),
    ("a lifetime too long", "ok", {"text": "x", "lifetime": 10**9}, 422, "lifetime"),
    ("a duration as a string", "ok", {"text": "x", "duration": "5"}, 422, "duration"),
    ("nothing to show", "ok", {"duration": 5}, 422, "body"),
    ("a chart too long", "ok", {"chart": {"values": list(range(65))}}, 422, "chart.values"),
    ("a bad name", "Not OK", {"text": "x"}, 400, "name"),
    ("a reserved name", "schema", {"text": "x"}, 400, "name"),
    ("a name too long", "a" * 33, {"text": "x"}, 400, "name"),
    ("not an object", "ok", ["text"], 400, "body"),
]


def test_bad_bodies_are_refused_per_field_and_change_nothing(api_server: ApiProcess,
                                                             store) -> None:
    assert put(api_server, "keep", {"text": "kept"}).status_code == 200
    before_hash = store.hget("state", "Apps")
    before_event = api_server.get("/state").json()["event_id"]
    for what, name, body, status, field in BAD_BODIES:
        answer = put(api_server, name, body)
        assert answer.status_code == status, (what, answer.text)
        errors = answer.json()["errors"]
        assert field in [e["field"] for e in errors], (what, errors)
        assert all(e["message"] for e in errors), what
    raw = [
        ("not JSON", b"{text: 1}", 400),
        ("a lone surrogate", b'{"text": "\\ud800"}', 400),
        ("NaN", b'{"progress": NaN}', 400),
        ("empty", b"", 400),
        ("oversized", b'{"text": "' + b"x" * MAX_BODY_BYTES + b'"}', 413),
    ]
    for what, content, status in raw:
        answer = httpx.put(api_server.url + "/apps/ok", content=content, headers=AUTH)
        assert answer.status_code == status, (what, answer.text)
        assert answer.json()["detail"], what
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": API_TOKEN}):
        assert put(api_server, "ok", {"text": "x"}, headers=headers).status_code == 401
        assert httpx.delete(api_server.url + "/apps/keep", headers=headers).status_code == 401
    assert store.hget("state", "Apps") == before_hash
    assert api_server.get("/state").json()["event_id"] == before_event
    assert names_listed(api_server) == ["keep"]
    assert "Traceback" not in api_server.output()


def test_the_count_limit_is_a_409(api_server: ApiProcess) -> None:
    limit = api_server.get("/apps").json()["limit"]
    for n in range(limit):
        assert put(api_server, f"app{n}", {"text": str(n)}).status_code == 200
    full = put(api_server, "onemore", {"text": "x"})
    assert full.status_code == 409 and "limit" in full.json()["detail"]
    assert put(api_server, "app0", {"text": "replaced"}).status_code == 200  # replacing is fine
    assert len(names_listed(api_server)) == limit


def test_an_app_disappears_at_its_lifetime(api_server: ApiProcess, store) -> None:
    assert put(api_server, "long", {"text": "stays"}).status_code == 200
    sent = time.monotonic()  # the server's clock reads this or later when it takes the PUT
    assert put(api_server, "short", {"text": "brief", "lifetime": 2}).status_code == 200
    assert "short" in names_listed(api_server)
    wait_until(lambda: names_listed(api_server) == ["long"], timeout=5, what="short expired")
    assert time.monotonic() - sent >= 1.95  # not before its lifetime
    wait_until(lambda: [a["name"] for a in held_apps(store)] == ["long"], timeout=5,
               what="the stored set pruned")


def test_apps_survive_a_restart_and_expire_while_it_was_away(valkey: EmbeddedValkey,
                                                             store) -> None:
    with running_api_server(valkey.url, token=API_TOKEN) as api:
        assert put(api, "kept", {"text": "survives"}).status_code == 200
        assert put(api, "brief", {"text": "gone", "lifetime": 2}).status_code == 200
        ts = json.loads(store.hget("state", "Apps"))["ts"]
    time.sleep(2.2)  # "brief" expires while no API server runs
    with running_api_server(valkey.url, token=API_TOKEN) as api:
        assert names_listed(api) == ["kept"]
        wait_until(lambda: [a["name"] for a in held_apps(store)] == ["kept"], timeout=5,
                   what="the stored set pruned at start")
        assert json.loads(store.hget("state", "Apps"))["ts"] > ts
        assert put(api, "more", {"text": "after"}).status_code == 200
        assert names_listed(api) == ["kept", "more"]


def test_without_redis_a_put_is_a_503_and_the_server_carries_on(valkey: EmbeddedValkey,
                                                                  api_server: ApiProcess) -> None:
    assert put(api_server, "before", {"text": "x"}).status_code == 200
    valkey.kill()
    answer = put(api_server, "during", {"text": "y"})
    assert answer.status_code == 503 and "Redis" in answer.json()["detail"], answer.text
    assert names_listed(api_server) == ["before"]  # nothing changed
    assert api_server.get("/live").status_code == 200
