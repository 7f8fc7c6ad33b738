"""Web control through a real Valkey: token, validation, and fan-out across replicas."""

from __future__ import annotations

import json
import socket

import httpx
import pytest

from server.valkey import EmbeddedValkey
from tests.servers import API_TOKEN, AUTH, ApiProcess, SseClient, running_api_server


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


def _put_head(api: ApiProcess, framing: str) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", api.port), timeout=15)
    sock.sendall(f"PUT /webcontrol/notify HTTP/1.1\r\nHost: x\r\n"
                 f"Authorization: Bearer {API_TOKEN}\r\n"
                 f"Content-Type: application/json\r\n{framing}\r\n\r\n".encode())
    return sock


def _answer(sock: socket.socket) -> tuple[int, str]:
    raw = b""
    while b"\r\n\r\n" not in raw or not raw.rstrip().endswith(b"}"):
        chunk = sock.recv(65536)
        if not chunk:
            break
        raw += chunk
    head, _, body = raw.partition(b"\r\n\r\n")
    return int(head.split()[1]), body.decode("utf-8", "replace")


@pytest.mark.parametrize("framing", ["Content-Length: 1000000000", "Transfer-Encoding: chunked"])
def test_an_oversize_body_is_refused_before_it_is_all_sent(api_server: ApiProcess,
                                                          framing: str) -> None:
    """The server stops reading at its body limit: it answers 400 while the client is
    still sending (a server that buffered first would wait for all of it)."""
    sock = _put_head(api_server, framing)
    try:
        piece = b"x" * 8192
        for _ in range(4):  # 32 KiB, over the 16 KiB limit, of a body that never ends
            sock.sendall(b"%x\r\n%s\r\n" % (len(piece), piece) if "chunked" in framing
                         else piece)
        status, body = _answer(sock)
    finally:
        sock.close()
    assert status == 400, body
    assert "limit" in json.loads(body)["detail"], body
    assert api_server.get("/live").status_code == 200


def test_a_client_of_each_of_two_servers_receives_the_command(valkey: EmbeddedValkey,
                                                              api_server: ApiProcess) -> None:
    with running_api_server(valkey.url, token=API_TOKEN) as other, \
            SseClient(api_server.url + "/events") as one, \
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


def test_without_a_token_configured_anyone_may_send(valkey: EmbeddedValkey) -> None:
    with running_api_server(valkey.url) as api, SseClient(api.url + "/events") as sse:
        answer = httpx.put(api.url + "/webcontrol/brightness", json={"value": 30})
        assert answer.status_code == 202
        assert sse.next_event(5).json()["args"] == {"value": 30}


def test_notify_levels_icons_and_dismiss(api_server: ApiProcess) -> None:
    refused = "glanceboard_api_webcontrol_refused_total"
    before = api_server.metric(refused, {"reason": "bad_args"}) or 0
    bad = [({"text": "x", "level": "urgent"}, "'level' must be one of info, warning, critical"),
           ({"text": "x", "icon": "rocket"}, "'icon' must be one of the icon names"),
           ({"text": "x", "level": 3}, "'level'"),
           ({"text": "x", "blink": 1}, "'blink' must be true or false"),
           ({"text": "x", "sound": True}, "unknown field(s) sound")]
    for body, words in bad:
        answer = httpx.put(api_server.url + "/webcontrol/notify", json=body, headers=AUTH)
        assert answer.status_code == 400, body
        assert words in answer.json()["detail"], answer.text
    assert api_server.metric(refused, {"reason": "bad_args"}) == before + len(bad)
    with SseClient(api_server.url + "/events") as sse:
        sent = [({"text": "Door open", "level": "critical", "icon": "trash", "blink": True},
                 {"text": "Door open", "seconds": 120, "level": "critical", "icon": "trash",
                  "blink": True}),  # a critical without seconds gives up after 120 s
                ({"text": "Rain", "level": "warning", "seconds": 20},
                 {"text": "Rain", "seconds": 20, "level": "warning"}),
                ({"text": "Dinner"}, {"text": "Dinner", "seconds": 10})]  # older form: as it was
        for body, args in sent:
            answer = httpx.put(api_server.url + "/webcontrol/notify", json=body, headers=AUTH)
            assert answer.status_code == 202, answer.text
            assert sse.next_event(5).json()["args"] == args
        assert httpx.put(api_server.url + "/webcontrol/dismiss", headers=AUTH).status_code == 202
        assert sse.next_event(5).json() == {"type": "webcontrol", "command": "dismiss",
                                            "args": {}}
    assert httpx.put(api_server.url + "/webcontrol/dismiss").status_code == 401
    answer = httpx.put(api_server.url + "/webcontrol/dismiss", json={"id": 3}, headers=AUTH)
    assert answer.status_code == 400 and "takes no body" in answer.json()["detail"]
