"""The API server's state bookkeeping and command validation, without processes."""

from __future__ import annotations

import json
import logging

import pytest

from server.api.control import BadCommand, parse_control_message, validate_command
from server.api.hub import batches
from server.api.state import StateHolder, parse_types
from tests.servers import make_envelope


def raw(kind: str, ts: int | None = None, **values: object) -> bytes:
    return json.dumps(make_envelope(kind, values or {"v": ts}, ts)).encode()


def test_events_are_encoded_once_as_sse_frames_with_growing_ids() -> None:
    state = StateHolder()
    first = state.ingest(raw("Weather", 1))
    second = state.ingest(raw("AQI", 2))
    assert first is not None and second is not None
    assert first.frame.startswith(f"id: {state.run_id}-1\nevent: update\ndata: ".encode())
    assert first.frame.endswith(b"\n\n")
    data = first.frame.split(b"data: ", 1)[1].rstrip(b"\n")
    assert json.loads(data)["type"] == "Weather"
    assert b"\n" not in data  # one data line
    assert state.last_event_id == f"{state.run_id}-2"


def test_an_older_ts_never_replaces_a_newer_one() -> None:
    state = StateHolder()
    assert state.ingest(raw("Weather", 200)) is not None
    assert state.ingest(raw("Weather", 100)) is None
    assert state.key("Weather")["ts"] == 200
    assert state.stale_dropped == 1


def test_the_same_message_twice_makes_one_event() -> None:
    state = StateHolder()
    assert state.ingest(raw("Weather", 5)) is not None
    assert state.ingest(raw("Weather", 5)) is None
    assert state.seq == 1


def test_resume_gets_events_after_the_id_or_the_whole_state() -> None:
    state = StateHolder(replay_size=3)
    for ts in range(1, 6):
        state.ingest(raw("Weather" if ts % 2 else "AQI", ts))
    # No id: no history.
    assert state.events_after(None, None) == []
    # A recent id of this run: exactly the events after it.
    after3 = state.events_after(f"{state.run_id}-3", None)
    assert [ev.seq for ev in after3] == [4, 5]
    # The newest id: nothing to send.
    assert state.events_after(state.last_event_id, None) == []
    # Older than the replay buffer, another run's id, or garbage: the whole state.
    for stale in (f"{state.run_id}-1", "0-3", "garbage", f"{state.run_id}-99"):
        whole = state.events_after(stale, None)
        assert sorted(ev.type for ev in whole) == ["AQI", "Weather"], stale
        assert [ev.seq for ev in whole] == sorted(ev.seq for ev in whole)


def test_resume_respects_the_types_filter() -> None:
    state = StateHolder()
    for ts, kind in enumerate(["Weather", "AQI", "Moon"], start=1):
        state.ingest(raw(kind, ts))
    assert [ev.type for ev in state.events_after(f"{state.run_id}-0", frozenset({"AQI"}))] \
        == ["AQI"]
    assert [ev.type for ev in state.events_after("unknown", frozenset({"Moon"}))] == ["Moon"]


def test_snapshot_merge_keeps_newer_held_data_and_reports_changes() -> None:
    state = StateHolder()
    state.ingest(raw("Weather", 10))
    events = state.merge_snapshot({b"Weather": raw("Weather", 5), b"AQI": raw("AQI", 7)})
    assert [ev.type for ev in events] == ["AQI"]
    assert state.key("Weather")["ts"] == 10
    assert state.loaded


@pytest.mark.parametrize("payload, reason", [
    (b"{nope", "not_json"),
    (b"[1, 2]", "not_object"),
    (b'{"type": "Weather", "values": 1}', "missing_field"),
    (json.dumps(make_envelope("bad type!")).encode(), "bad_type"),
    (json.dumps(make_envelope("Weather", values=None) | {"values": None}).encode(),
     "null_values"),
    (b'{"type": "\xff"}', "invalid_utf8"),
    (b'{"a":' * 200 + b"1" + b"}" * 200, "too_deep"),
])
def test_each_malformed_class_is_counted_by_reason(payload: bytes, reason: str) -> None:
    state = StateHolder()
    assert state.ingest(payload) is None
    assert state.rejected[reason] == 1
    assert state.held == {}


def test_control_on_the_data_channel_is_ignored_not_rejected() -> None:
    state = StateHolder()
    assert state.ingest(b'{"type": "webcontrol", "command": "pp", "args": {}}') is None
    assert sum(state.rejected.values()) == 0


def test_a_flood_of_rejections_logs_one_line_per_reason_per_interval(
        caplog: pytest.LogCaptureFixture) -> None:
    state = StateHolder()
    state.rejections.interval = 3600.0  # nothing leaves the interval during the test
    with caplog.at_level(logging.WARNING, logger="glanceboard.api.state"):
        for _ in range(50):
            state.ingest(b"{nope")
        state.ingest(b"[1]")
    assert state.rejected["not_json"] == 50 and state.rejected["not_object"] == 1
    lines = [record.getMessage() for record in caplog.records]
    assert len(lines) == 2, lines
    assert "from update channel: not_json: " in lines[0]
    assert ": not_object: " in lines[1]
    state.rejections.interval = 0.0  # the next line reports what was held back
    state.ingest(b"{nope")
    assert "(and 49 more like it since the last line)" in caplog.records[-1].getMessage()


def test_types_filter_parsing() -> None:
    assert parse_types("Weather, AQI") == frozenset({"Weather", "AQI"})
    assert parse_types("") is None
    assert parse_types(None) is None


@pytest.mark.parametrize("command, body, args", [
    ("pp", b"", {}),
    ("fwd", b"{}", {}),
    ("brightness", b'{"value": 40}', {"value": 40}),
    ("page", b'{"name": "weather"}', {"name": "weather"}),
    ("notify", b'{"text": "dinner", "seconds": 30}', {"text": "dinner", "seconds": 30}),
    ("notify", b'{"text": "dinner"}', {"text": "dinner", "seconds": 10}),
    ("notify", b'{"text": "door", "level": "critical"}',
     {"text": "door", "seconds": 120, "level": "critical"}),
    ("notify", b'{"text": "rain", "level": "warning", "icon": "rain", "blink": false}',
     {"text": "rain", "seconds": 10, "level": "warning", "icon": "rain", "blink": False}),
    ("dismiss", b"", {}),
])
def test_valid_commands(command: str, body: bytes, args: dict[str, object]) -> None:
    assert validate_command(command, body) == args


@pytest.mark.parametrize("command, body, words", [
    ("nope", b"", "unknown command"),
    ("pp", b'{"x": 1}', "takes no body"),
    ("brightness", b"", "needs a JSON body"),
    ("brightness", b'{"value": 101}', "0-100"),
    ("brightness", b'{"value": true}', "0-100"),
    ("brightness", b"[1]", "JSON object"),
    ("page", b'{"name": ""}', "non-empty string"),
    ("notify", b'{"text": "x", "seconds": 0}', "1-600"),
    ("notify", b'{"text": "x", "color": "red"}', "unknown field"),
    ("notify", b'{"text": "x", "level": "CRITICAL"}', "'level' must be one of"),
    ("notify", b'{"text": "x", "level": null}', "'level' must be one of"),
    ("notify", b'{"text": "x", "icon": "../etc"}', "'icon' must be one of the icon names"),
    ("notify", b'{"text": "x", "blink": "true"}', "'blink' must be true or false"),
    ("dismiss", b'{"all": true}', "takes no body"),
    ("brightness", b"{bad", "not JSON"),
])
def test_bad_commands_say_what_is_wrong(command: str, body: bytes, words: str) -> None:
    with pytest.raises(BadCommand, match=words):
        validate_command(command, body)


def test_control_channel_messages_are_checked_again() -> None:
    assert parse_control_message(b'{"type":"webcontrol","command":"brightness",'
                                 b'"args":{"value":3}}') == ("brightness", {"value": 3}, None)
    # A target travels beside the args and is checked like a display id.
    assert parse_control_message(b'{"type":"webcontrol","command":"fwd","args":{},'
                                 b'"display":"kitchen"}') == ("fwd", {}, "kitchen")
    with pytest.raises(BadCommand, match="display id"):
        parse_control_message(b'{"type":"webcontrol","command":"fwd","display":"../x"}')
    with pytest.raises(BadCommand):
        parse_control_message(b'{"type":"webcontrol","command":"explode","args":{}}')
    # Another tool publishing a bad level on the channel: refused as bad_args, counted so.
    with pytest.raises(BadCommand, match="'level'") as refused:
        parse_control_message(b'{"type":"webcontrol","command":"notify",'
                              b'"args":{"text":"x","level":"panic"}}')
    assert refused.value.reason == "bad_args"


def test_a_webcontrol_typed_envelope_is_not_data() -> None:
    state = StateHolder()
    assert state.ingest(raw("webcontrol", 1)) is None
    assert state.held == {}
    assert state.control_on_data_channel == 1


def test_the_replay_buffer_is_bounded_in_bytes_too() -> None:
    state = StateHolder(replay_size=1000, replay_bytes=3000)
    for ts in range(1, 11):
        state.ingest(json.dumps(make_envelope("Weather", "x" * 900, ts)).encode())
    assert 1 <= len(state.replay) <= 3
    assert sum(len(ev.frame) for ev in state.replay) <= 3000
    # An id that fell out gets the whole state, a recent one the events after it.
    assert [ev.seq for ev in state.events_after(f"{state.run_id}-2", None)] == [10]
    assert [ev.seq for ev in state.events_after(f"{state.run_id}-9", None)] == [10]


def test_a_replay_goes_out_in_bounded_batches_in_order() -> None:
    frames = [bytes([65 + i % 26]) * 100 for i in range(50)]  # 5000 bytes
    sent = list(batches(frames, limit=1000))
    assert b"".join(sent) == b"".join(frames)  # nothing lost, reordered or split
    assert [len(body) for body in sent] == [1000] * 5
    big = b"x" * 3000  # larger than the limit: alone, whole
    assert list(batches([b"a", big, b"b"], limit=1000)) == [b"a", big, b"b"]
    assert list(batches([], limit=1000)) == []


def test_the_replay_buffer_uses_what_replay_mb_says() -> None:
    """Each replayed event is held once, as its frame: the memory the buffer really takes
    (traced allocations, measured as bench/replay_memory.py does) stays at the byte bound,
    whatever the envelopes look like."""
    from bench.replay_memory import traced

    def weather(ts: int) -> bytes:
        values = {"current": {"temp": ts % 40, "text": "Partly cloudy"},
                  "forecast": [{"day": d, "hi": 50 + d, "lo": 30 + d} for d in range(7)]}
        return json.dumps(make_envelope("Weather", values, ts)).encode()

    messages = [weather(ts) for ts in range(1, 6001)]  # ~3 MB, three times the bound
    bound = 1024 * 1024
    used, kept = traced(lambda: StateHolder(replay_size=10**6, replay_bytes=bound), messages)
    assert kept < len(messages)  # the bound was reached
    assert used <= 1.1 * bound, f"{used / bound:.2f}x --replay-mb"
