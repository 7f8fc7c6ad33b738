"""The SSE stream of a real API server: resume, filter, heartbeat, slow clients, limit."""

from __future__ import annotations

import socket
import time

import httpx

from server.valkey import EmbeddedValkey
from tests.servers import (
    ApiProcess,
    SseClient,
    make_envelope,
    publish,
    running_api_server,
    start_api_server,
    wait_until,
)


def connection_ends(sock: socket.socket, timeout: float) -> bool:
    """Read until the peer closes or resets the connection; False if it is still open
    (or still trickling data) after ``timeout``."""
    deadline = time.monotonic() + timeout
    try:
        while (left := deadline - time.monotonic()) > 0:
            sock.settimeout(left)
            if not sock.recv(1 << 20):
                return True
    except ConnectionResetError:
        return True
    except TimeoutError:
        return False
    return False


def test_resume_replays_the_missed_events(valkey: EmbeddedValkey,
                                          api_server: ApiProcess) -> None:
    events = api_server.url + "/events"
    with SseClient(events) as sse:
        publish(valkey.url, make_envelope("Weather", {"t": 1}, ts=1))
        seen = sse.next_event(5)
    missed = [make_envelope("Weather", {"t": 2}, ts=2), make_envelope("AQI", {"a": 1}, ts=3),
              make_envelope("Weather", {"t": 3}, ts=4)]
    for message in missed:
        publish(valkey.url, message)
    wait_until(lambda: api_server.get("/key/Weather").json().get("ts") == 4)
    with SseClient(events, last_event_id=seen.id) as sse:
        replayed = [sse.next_event(5) for _ in missed]
        assert [e.json() for e in replayed] == missed
        assert sse.drain(0.3) == []
        ids = [seen.id, *(e.id for e in replayed)]
        assert len(set(ids)) == len(ids)
    # The same through the query parameter, for clients that cannot set headers.
    with SseClient(f"{events}?last_event_id={replayed[0].id}") as sse:
        assert [sse.next_event(5).json() for _ in missed[1:]] == missed[1:]


def test_unknown_id_gets_the_whole_state_and_no_id_gets_no_history(
        valkey: EmbeddedValkey, api_server: ApiProcess) -> None:
    state = {kind: make_envelope(kind, {"k": kind}, ts=i)
             for i, kind in enumerate(["Weather", "AQI", "Moon"], start=1)}
    for message in state.values():
        publish(valkey.url, message)
    wait_until(lambda: len(api_server.get("/state").json()["state"]) == 3)
    with SseClient(api_server.url + "/events", last_event_id="from-another-server-7") as sse:
        got = {e.json()["type"]: e.json() for e in (sse.next_event(5) for _ in state)}
        assert got == state
    with SseClient(api_server.url + "/events") as sse:
        publish(valkey.url, make_envelope("Marker", {}, ts=1))
        assert sse.next_event(5).json()["type"] == "Marker"


def test_an_id_older_than_the_replay_buffer_gets_the_whole_state(valkey: EmbeddedValkey) -> None:
    with running_api_server(valkey.url, extra_args=["--replay-size", "2"]) as api:
        with SseClient(api.url + "/events") as sse:
            publish(valkey.url, make_envelope("Weather", {}, ts=1))
            old_id = sse.next_event(5).id
        for ts in range(2, 6):
            publish(valkey.url, make_envelope("AQI" if ts % 2 else "Moon", {"ts": ts}, ts=ts))
        wait_until(lambda: api.get("/key/AQI").json().get("ts") == 5)
        with SseClient(api.url + "/events", last_event_id=old_id) as sse:
            got = sorted(e.json()["type"] for e in sse.drain(0.5))
        assert got == ["AQI", "Moon", "Weather"]


def test_types_filter_passes_control_commands(valkey: EmbeddedValkey,
                                              api_server: ApiProcess) -> None:
    with SseClient(api_server.url + "/events?types=AQI,Moon") as sse:
        publish(valkey.url, make_envelope("Weather", {}, ts=1))
        publish(valkey.url, make_envelope("AQI", {}, ts=1))
        answer = httpx.put(api_server.url + "/webcontrol/rew",
                           headers={"Authorization": "Bearer test-control-token"})
        assert answer.status_code == 202
        first, second = sse.next_event(5), sse.next_event(5)
        assert first.json()["type"] == "AQI"
        assert second.json() == {"type": "webcontrol", "command": "rew", "args": {}}
        assert second.id is None
        assert sse.drain(0.3) == []


def test_heartbeat_comment(valkey: EmbeddedValkey) -> None:
    api = start_api_server(valkey.url, extra_args=["--heartbeat", "0.2"])
    try:
        with SseClient(api.url + "/events") as sse:
            wait_until(lambda: sse.comments.count("ping") >= 2, 5, what="two pings")
    finally:
        api.stop()


def test_a_client_that_stops_reading_is_dropped_and_others_keep_receiving(
        valkey: EmbeddedValkey) -> None:
    with running_api_server(valkey.url, extra_args=["--send-timeout", "1",
                                                    "--client-queue", "100000"]) as api, \
            SseClient(api.url + "/events") as reader, \
            SseClient(api.url + "/events", read=False, tiny_buffer=True) as stuck:
        wait_until(lambda: api.metric("glanceboard_api_sse_clients") == 2)
        big = "x" * 200_000
        count = 60  # 12 MB: more than the socket buffers of a client that reads nothing
        for ts in range(1, count + 1):
            publish(valkey.url, make_envelope("Calendar", [big], ts=ts))
        got = [reader.next_event(10).json()["ts"] for _ in range(count)]
        assert got == list(range(1, count + 1))
        wait_until(lambda: api.metric("glanceboard_api_sse_dropped_total",
                                      {"reason": "send_timeout"}) == 1, 15,
                   what="the stuck client dropped for its send timeout")
        assert api.metric("glanceboard_api_sse_clients") == 1
        publish(valkey.url, make_envelope("Marker", {}, ts=1))
        assert reader.next_event(5).json()["type"] == "Marker"
        # Its connection was cut, not left to drain into a socket nobody reads.
        assert connection_ends(stuck.sock, 10)


def test_a_slow_client_overflowing_its_queue_is_dropped(valkey: EmbeddedValkey) -> None:
    with running_api_server(valkey.url, extra_args=["--client-queue", "4"]) as api, \
            SseClient(api.url + "/events", read=False, tiny_buffer=True):
        wait_until(lambda: api.metric("glanceboard_api_sse_clients") == 1)
        big = "y" * 200_000
        for ts in range(1, 80):
            publish(valkey.url, make_envelope("Calendar", [big], ts=ts))
        wait_until(lambda: api.metric("glanceboard_api_sse_dropped_total",
                                      {"reason": "queue_full"}) == 1, 10)
        assert api.metric("glanceboard_api_sse_clients") == 0


def test_past_the_connection_limit_the_server_answers_503(valkey: EmbeddedValkey) -> None:
    api = start_api_server(valkey.url, extra_args=["--max-clients", "2"])
    try:
        first = SseClient(api.url + "/events")
        second = SseClient(api.url + "/api/events")
        try:
            refused = httpx.get(api.url + "/events", timeout=5)
            assert refused.status_code == 503
            assert api.metric("glanceboard_api_sse_refused_total") == 1
            first.close()
            wait_until(lambda: api.metric("glanceboard_api_sse_clients") == 1, 5)
            with SseClient(api.url + "/events") as third:
                assert third.status == 200
        finally:
            first.close()
            second.close()
    finally:
        api.stop()


def test_a_client_that_falls_behind_then_reads_gets_everything_in_order(
        valkey: EmbeddedValkey) -> None:
    with running_api_server(valkey.url, extra_args=["--client-queue", "1000"]) as api, \
            SseClient(api.url + "/events", read=False) as late:
        wait_until(lambda: api.metric("glanceboard_api_sse_clients") == 1)
        big = "z" * 200_000
        count = 40  # 8 MB: its socket fills, the rest waits in its queue
        for ts in range(1, count + 1):
            publish(valkey.url, make_envelope("Calendar", [big], ts=ts))
        wait_until(lambda: api.metric("glanceboard_api_sse_blocked_sends_total") >= 1, 10,
                   what="a send that had to wait")
        late.start_reading()
        got = [late.next_event(15).json()["ts"] for _ in range(count)]
        assert got == list(range(1, count + 1))
        assert api.metric("glanceboard_api_sse_clients") == 1


def test_a_long_replay_is_not_held_against_the_queue_limit(valkey: EmbeddedValkey) -> None:
    with running_api_server(valkey.url, extra_args=["--client-queue", "4",
                                                    "--replay-size", "100"]) as api:
        with SseClient(api.url + "/events") as sse:
            publish(valkey.url, make_envelope("Weather", {}, ts=0))
            last = sse.next_event(5).id
        for ts in range(1, 31):
            publish(valkey.url, make_envelope(f"Type{ts % 7}", {"n": ts}, ts=ts))
        wait_until(lambda: api.get("/key/Type2").json().get("ts") == 30)
        with SseClient(api.url + "/events", last_event_id=last) as sse:
            got = [sse.next_event(5).json()["values"]["n"] for _ in range(30)]
            assert got == list(range(1, 31))
            publish(valkey.url, make_envelope("Marker", {}, ts=1))
            assert sse.next_event(5).json()["type"] == "Marker"
        assert api.metric("glanceboard_api_sse_dropped_total", {"reason": "queue_full"}) == 0
