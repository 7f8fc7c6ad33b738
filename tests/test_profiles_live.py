"""Display profiles end to end: a real Valkey, a real API server process and
``python -m matrix_client`` on the headless backend, watched through its reports
(``GET /displays``: the page on screen, the profile version it applies)."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from server.valkey import EmbeddedValkey, free_port
from tests.servers import (
    API_TOKEN,
    AUTH,
    ApiProcess,
    Child,
    python_module,
    running_api_server,
    wait_until,
)

# The local rotation: the clock for an hour, then the moon for an hour.
LOCAL_ROTATION = "- page: clock\n  seconds: 3600\n- page: moon\n  seconds: 3600\n"


def _display(api: ApiProcess, display_id: str = "kitchen") -> dict[str, Any] | None:
    answer = api.get("/displays")
    assert answer.status_code == 200, answer.text
    return {entry["id"]: entry for entry in answer.json()["displays"]}.get(display_id)


def _put(api: ApiProcess, body: dict[str, Any], display_id: str = "kitchen"
         ) -> httpx.Response:
    return httpx.put(f"{api.url}/displays/{display_id}/profile", json=body, headers=AUTH,
                     timeout=5)


def _shows(api: ApiProcess, page: str, version: int | None = None) -> Callable[[], bool]:
    def check() -> bool:
        entry = _display(api)
        return entry is not None and entry["page"] == page and \
            (version is None or entry["profile_applied"] == version)
    return check


@pytest.fixture
def start_client(tmp_path: Path) -> Iterator[Callable[[str], Child]]:
    """Starts ``python -m matrix_client`` headless as display "kitchen" against a URL;
    the cache file and the rotation file stay the same across starts."""
    rotation = tmp_path / "rotation.yaml"
    rotation.write_text(LOCAL_ROTATION)
    children: list[Child] = []

    def start(api_url: str) -> Child:
        child = Child(python_module(
            "matrix_client", "--backend", "headless", "--api", api_url, "--display-id",
            "kitchen", "--rotation", str(rotation), "--cache", str(tmp_path / "cache.json")),
            tmp_path / f"client-{len(children)}.log", env={"GLANCEBOARD_API_TOKEN": API_TOKEN})
        children.append(child)
        return child

    try:
        yield start
    finally:
        for child in children:
            if child.alive():
                child.terminate()


def test_a_profile_change_reaches_the_running_display_within_2_s(
        api_server: ApiProcess, start_client: Callable[[str], Child]) -> None:
    client = start_client(api_server.url)
    wait_until(_shows(api_server, "clock"), 20, "the client on its local rotation")
    assert _display(api_server)["profile_applied"] is None, "no profile yet, none reported"

    sent = time.monotonic()
    answer = _put(api_server, {"rotation": [{"page": "moon", "seconds": 3600,
                                             "when": "always"}]})
    assert answer.status_code == 200, answer.text
    assert answer.json()["version"] == 1
    wait_until(_shows(api_server, "moon", 1), 10, "the profile's rotation on screen")
    assert time.monotonic() - sent < 2.0, "the change took longer than 2 s to show"
    assert _display(api_server)["profile_version"] == 1

    # Order and seconds: two pages of one second each take turns.
    answer = _put(api_server, {"version": 1, "rotation": [
        {"page": "uptime", "seconds": 1, "when": "always"},
        {"page": "clock", "seconds": 1, "when": "always"},
        {"page": "moon", "seconds": 1, "enabled": False}]})
    assert answer.status_code == 200, answer.text
    seen: set[str] = set()

    def both_seen() -> bool:
        entry = _display(api_server)
        if entry is not None and entry["profile_applied"] == 2:
            seen.add(entry["page"])
        return {"uptime", "clock"} <= seen
    wait_until(both_seen, 15, "uptime and clock taking turns")
    assert "moon" not in seen, "a disabled page was shown"

    # Deleting the profile: back to the local rotation, live.
    deleted = httpx.delete(f"{api_server.url}/displays/kitchen/profile", headers=AUTH)
    assert deleted.status_code == 200 and deleted.json() == {"display": "kitchen",
                                                             "version": 0}
    wait_until(lambda: (_display(api_server) or {}).get("profile_applied") is None, 10,
               "the display back on its local config")
    assert client.alive(), client.log()
    assert "Traceback" not in client.log(), client.log()


def test_a_display_offline_during_a_change_gets_it_when_it_starts(
        api_server: ApiProcess, start_client: Callable[[str], Child]) -> None:
    first = start_client(api_server.url)
    wait_until(_shows(api_server, "clock"), 20, "the client on its local rotation")
    assert first.terminate() == 0
    answer = _put(api_server, {"rotation": [{"page": "moon", "seconds": 60,
                                             "when": "always"}],
                               "brightness": [{"at": "00:00", "percent": 35}]})
    assert answer.status_code == 200, answer.text
    second = start_client(api_server.url)
    wait_until(_shows(api_server, "moon", 1), 20, "the profile applied after the start")
    assert _display(api_server)["brightness"] == 35
    assert second.alive(), second.log()


def test_api_unreachable_at_start_uses_the_cached_profile_else_the_local_config(
        valkey: EmbeddedValkey, start_client: Callable[[str], Child], tmp_path: Path) -> None:
    nowhere = f"http://127.0.0.1:{free_port()}"
    with running_api_server(valkey.url, token=API_TOKEN) as api:
        client = start_client(api.url)
        wait_until(_shows(api, "clock"), 20, "the client on its local rotation")
        assert _put(api, {"rotation": [{"page": "moon", "seconds": 60,
                                        "when": "always"}]}).status_code == 200
        wait_until(_shows(api, "moon", 1), 10, "the profile applied")
        cache = tmp_path / "cache.json"
        wait_until(lambda: cache.is_file() and json.loads(cache.read_text())
                   .get("profile", {}).get("version") == 1, 10, "the profile in the cache")
        assert client.terminate() == 0
    # No API at all: the cached profile is what the display follows.
    offline = start_client(nowhere)
    wait_until(lambda: "profile: v1 applied" in offline.log(), 20,
               "the cached profile applied offline")
    assert offline.terminate() == 0
    # Without a cache (a new Pi) and no API: the local rotation file.
    cache.unlink()
    fresh = start_client(nowhere)
    wait_until(lambda: "first frame" in fresh.log(), 20, "the first frame")
    time.sleep(0.5)
    assert "profile: v" not in fresh.log(), fresh.log()
    assert fresh.terminate() == 0


def test_bad_profiles_get_422_per_path_and_change_nothing(api_server: ApiProcess) -> None:
    good = {"timezone": "Europe/Berlin",
            "rotation": [{"page": "clock", "seconds": 10, "schedule": [
                {"days": ["mon", "fri"], "from": "22:00", "to": "02:00"}]}],
            "brightness": [{"at": "07:00", "percent": 100}, {"at": "22:00", "percent": 20}]}
    stored = _put(api_server, good)
    assert stored.status_code == 200, stored.text
    before = api_server.get("/displays/kitchen/profile").json()
    assert before["version"] == 1 and before["timezone"] == "Europe/Berlin"
    assert before["rotation"][0]["when"] == "has_data"  # the default, written out

    bad = {"timezone": "Mars/Olympus",
           "rotation": [{"page": "clock"}, {"page": "clock", "seconds": 0},
                        {"page": "../x"}, {"page": "clock", "when": "favourite_live"},
                        {"page": "moon", "schedule": [{"days": ["someday"], "from": "25:00",
                                                       "to": "07:00"}]},
                        {"page": "moon", "colour": "red"}],
           "brightness": [{"at": "7", "percent": 101}]}
    answer = _put(api_server, bad)
    assert answer.status_code == 422, answer.text
    errors = answer.json()["errors"]
    assert set(errors) == {"timezone", "rotation[1].seconds", "rotation[2].page",
                           "rotation[3].when", "rotation[4].schedule[0].days[0]",
                           "rotation[4].schedule[0].from", "rotation[5].colour",
                           "brightness[0].at", "brightness[0].percent"}, errors
    assert "Mars/Olympus" in errors["timezone"]
    for body, status in [(b"{", 400), (b'{"rotation": NaN}', 400), (b"[]", 422),
                         (b'{"rotation": []}', 422), (b'{"version": 7}', 409),
                         (b"x" * 40000, 413)]:
        answer = httpx.put(f"{api_server.url}/displays/kitchen/profile", content=body,
                           headers=AUTH)
        assert answer.status_code == status, (body[:40], answer.text)
    unauthorised = httpx.put(f"{api_server.url}/displays/kitchen/profile", json=good)
    assert unauthorised.status_code == 401
    assert httpx.delete(f"{api_server.url}/displays/kitchen/profile").status_code == 401
    assert httpx.put(f"{api_server.url}/displays/a%20b/profile", json=good,
                     headers=AUTH).status_code == 400
    assert api_server.get("/displays/kitchen/profile").json() == before
    assert api_server.get("/displays/nobody/profile").json() == {"display": "nobody",
                                                                   "version": 0}


def test_registry_and_profiles_survive_an_api_restart_and_replicas_agree(
        valkey: EmbeddedValkey) -> None:
    report = {"width": 64, "height": 32, "page": "clock", "profile": 1}
    with running_api_server(valkey.url, token=API_TOKEN) as api, \
            running_api_server(valkey.url, token=API_TOKEN) as replica:
        assert httpx.put(f"{api.url}/displays/hall", json=report,
                         headers=AUTH).status_code == 200
        assert _put(api, {"timezone": "Asia/Tokyo"}, "hall").status_code == 200
        hall = _display(replica, "hall")
        assert hall is not None and hall["profile_version"] == 1 \
            and hall["profile_applied"] == 1, hall
        assert _put(replica, {"version": 0, "timezone": "UTC"}, "hall").status_code == 409
        api.restart()
        hall = _display(api, "hall")
        assert hall is not None and hall["page"] == "clock" and hall["profile_version"] == 1
        assert api.get("/displays/hall/profile").json()["timezone"] == "Asia/Tokyo"


def test_a_profile_event_is_not_a_control_command_for_older_clients(
        api_server: ApiProcess) -> None:
    from tests.servers import SseClient

    with SseClient(api_server.url + "/events") as stream:
        stream.start_reading()
        assert _put(api_server, {"timezone": "UTC"}, "hall").status_code == 200
        event = stream.wait_for(lambda e: e.event == "profile", 5)
    assert event.json()["profile"]["timezone"] == "UTC"
    assert event.json()["display"] == "hall" and event.json()["type"] != "webcontrol"
    # Not an "update" (what older clients read) and never on the control channel.
    assert not any(e.event == "update" for e in stream.received), stream.received
    assert api_server.metric("glanceboard_api_control_received_total") == 0
    assert api_server.metric("glanceboard_api_profiles_delivered_total") == 1


def test_bad_messages_on_the_profiles_channel_are_counted_and_stop_nothing(
        valkey: EmbeddedValkey, api_server: ApiProcess) -> None:
    from tests.servers import SseClient, publish

    channel = "control:profiles"
    good = {"type": "profile", "display": "hall", "profile": {"display": "hall", "version": 3}}
    bad: list[Any] = [b"\xff\xfe", "not json", '{"type": "profile", "display": "x y"}',
                      {**good, "profile": {"display": "hall", "version": 3,
                                           "rotation": "clock"}},
                      {**good, "profile": {"display": "other", "version": 3}},
                      {"type": "webcontrol", "command": "fwd"}, b"[" * 5000]
    with SseClient(api_server.url + "/events") as stream:
        for message in bad:
            publish(valkey.url, message, channel=channel)
        publish(valkey.url, good, channel=channel)
        event = stream.wait_for(lambda e: e.event == "profile", 5)
    assert event.json() == good  # the one good message, after every bad one
    assert api_server.metric("glanceboard_api_profiles_rejected_total",
                             {"reason": "bad_profile"}) == len(bad)
    assert api_server.get("/ready").status_code == 200


def test_a_display_cut_off_during_a_change_gets_it_at_reconnect(
        valkey: EmbeddedValkey, start_client: Callable[[str], Child]) -> None:
    with running_api_server(valkey.url, token=API_TOKEN) as api, \
            running_api_server(valkey.url, token=API_TOKEN) as other:
        client = start_client(api.url)
        wait_until(_shows(other, "clock"), 20, "the client on its local rotation")
        port = api.port
        api.stop()  # the display's API server goes away; the change is made on another
        assert _put(other, {"rotation": [{"page": "moon", "seconds": 60,
                                          "when": "always"}]}).status_code == 200
        api.start(port=port)
        wait_until(_shows(other, "moon", 1), 30, "the change applied after the reconnect")
        assert client.alive(), client.log()


def test_registry_and_profiles_on_a_two_node_cluster(tmp_path: Path) -> None:
    """The registry hash, the change script and the profiles channel work through the
    cluster client (the keys and the channel share the control channel's hash tag)."""
    from tests.cluster_support import valkey_cluster
    from tests.servers import SseClient, start_api_server

    with valkey_cluster(tmp_path / "cluster", nodes=2) as cluster:
        api = start_api_server(cluster.url(0), token=API_TOKEN, extra_args=["--cluster"])
        try:
            api.wait_ready(30)
            report = {"width": 64, "height": 32, "page": "clock"}
            assert httpx.put(f"{api.url}/displays/kitchen", json=report,
                             headers=AUTH).status_code == 200
            with SseClient(api.url + "/events") as stream:
                stored = _put(api, {"rotation": ["clock"], "version": 0})
                assert stored.status_code == 200, stored.text
                event = stream.wait_for(lambda e: e.event == "profile", 10)
            assert event.json()["profile"]["version"] == 1
            assert _put(api, {"rotation": ["clock"], "version": 0}).status_code == 409
            assert _display(api)["profile_version"] == 1
        finally:
            api.stop()
