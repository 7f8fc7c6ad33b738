"""Web control through a real Valkey: token, validation, and fan-out across replicas."""

from __future__ import annotations

import httpx

from server.valkey import EmbeddedValkey
from tests.servers import API_TOKEN, ApiProcess, SseClient, start_api_server

AUTH = {"Authorization": f"Bearer {API_TOKEN}"}


def test_token_is_required_when_configured(api_server: ApiProcess) -> None:
    url = api_server.url + "/webcontrol/pp"
    missing = httpx.put(url)
    assert missing.status_code == 401
    assert missing.headers["www-authenticate"] == "Bearer"
    assert httpx.put(url, headers={"Authorization": "Bearer wrong"}).status_code == 401
    accepted = httpx.put(url, headers=AUTH)
    assert accepted.status_code == 202
    assert accepted.json() == {"status": "Command queued"}
    assert httpx.put(api_server.url + "/api/webcontrol/fwd", headers=AUTH).status_code == 202


def test_unknown_command_or_bad_body_is_400_with_a_reason(api_server: ApiProcess) -> None:
    cases = [
        ("selfdestruct", None, "unknown command"),
        ("brightness", {"value": 250}, "0-100"),
        ("brightness", None, "needs a JSON body"),
        ("page", {"title": "x"}, "unknown field"),
        ("notify", {"text": "hi", "seconds": 9000}, "1-600"),
    ]
    for command, body, words in cases:
        answer = httpx.put(f"{api_server.url}/webcontrol/{command}", json=body, headers=AUTH)
        assert answer.status_code == 400, command
        assert words in answer.json()["detail"], answer.text


def test_a_client_of_each_of_two_servers_receives_the_command(valkey: EmbeddedValkey,
                                                              api_server: ApiProcess) -> None:
    other = start_api_server(valkey.url, token=API_TOKEN)
    try:
        other.wait_ready()
        with SseClient(api_server.url + "/events") as one, \
                SseClient(other.url + "/events?types=Weather") as two:
            answer = httpx.put(other.url + "/webcontrol/notify",
                               json={"text": "Dinner is ready", "seconds": 30}, headers=AUTH)
            assert answer.status_code == 202
            expected = {"type": "webcontrol", "command": "notify",
                        "args": {"text": "Dinner is ready", "seconds": 30}}
            for client in (one, two):
                event = client.next_event(5)
                assert event.event == "update"
                assert event.id is None
                assert event.json() == expected
    finally:
        other.stop()


def test_without_a_token_configured_anyone_may_send(valkey: EmbeddedValkey) -> None:
    api = start_api_server(valkey.url)
    try:
        api.wait_ready()
        with SseClient(api.url + "/events") as sse:
            answer = httpx.put(api.url + "/webcontrol/brightness", json={"value": 30})
            assert answer.status_code == 202
            assert sse.next_event(5).json()["args"] == {"value": 30}
    finally:
        api.stop()
