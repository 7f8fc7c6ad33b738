"""PROTOCOL section 1: what the envelope accepts and what it rejects, by reason."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

import pytest

from glanceboard.envelope import RejectedMessage, parse_envelope
from glanceboard.timefmt import format_time, now_ms, parse_time

GOOD = {
    "type": "Weather",
    "values": {"current": {"temp": 41}},
    "updated": "2026-11-26T16:55:08-05:00",
    "valid": "11/26/2026 5:55 PM -0500",
    "ts": 1764176108000,
    "extra": {"kept": True},
}


def reason_of(raw: bytes | str, **kwargs: int) -> str:
    with pytest.raises(RejectedMessage) as info:
        parse_envelope(raw, **kwargs)
    return info.value.reason


def test_good_message_keeps_unknown_fields() -> None:
    env = parse_envelope(json.dumps(GOOD).encode())
    assert env.type == "Weather"
    assert env.ts == 1764176108000
    assert env.data["extra"] == {"kept": True}
    assert json.loads(env.to_json()) == GOOD
    assert "type" not in env.without_type()


def test_both_time_formats() -> None:
    eastern = timezone(timedelta(hours=-5))
    assert parse_time("2026-11-26T16:55:08-05:00") == datetime(2026, 11, 26, 16, 55, 8,
                                                               tzinfo=eastern)
    assert parse_time("11/26/2026 4:55 PM -0500") == datetime(2026, 11, 26, 16, 55,
                                                              tzinfo=eastern)
    assert parse_time("11/26/2026 4:55:30 PM -0500").second == 30
    assert parse_time("2026-11-26T21:55:08Z") == datetime(2026, 11, 26, 21, 55, 8, tzinfo=UTC)
    assert format_time(datetime(2026, 11, 26, 16, 55, 8, 123, tzinfo=eastern)) == \
        "2026-11-26T16:55:08-05:00"


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"{not json", "not_json"),
        (b"[1, 2]", "not_object"),
        (b"\xff\xfe{}", "invalid_utf8"),
        (json.dumps({k: v for k, v in GOOD.items() if k != "valid"}), "missing_field"),
        (json.dumps({**GOOD, "type": "bad type!"}), "bad_type"),
        (json.dumps({**GOOD, "type": "x" * 65}), "bad_type"),
        (json.dumps({**GOOD, "values": None}), "null_values"),
        (json.dumps({**GOOD, "updated": "yesterday"}), "bad_time"),
        (json.dumps({**GOOD, "ts": "soon"}), "bad_ts"),
        (json.dumps({**GOOD, "ts": True}), "bad_ts"),
        ("[" * 100 + "]" * 100, "not_object"),
        (json.dumps({**GOOD, "values": json.loads("[" * 100 + "]" * 100)}), "too_deep"),
        ("[" * 100_000 + "]" * 100_000, "too_deep"),
    ],
)
def test_rejections_name_their_reason(raw: bytes | str, reason: str) -> None:
    assert reason_of(raw) == reason


def test_oversize_is_rejected_before_parsing() -> None:
    big = json.dumps({**GOOD, "values": "x" * 300_000})
    assert reason_of(big) == "oversize"
    assert reason_of(big.encode(), max_bytes=1000) == "oversize"


def test_ts_ordering() -> None:
    newer = parse_envelope(json.dumps(GOOD))
    older = parse_envelope(json.dumps({**GOOD, "ts": GOOD["ts"] - 1}))
    untimed = parse_envelope(json.dumps({k: v for k, v in GOOD.items() if k != "ts"}))
    assert not older.supersedes(newer)
    assert newer.supersedes(older)
    assert newer.supersedes(newer)
    assert untimed.supersedes(newer)  # without ts, arrival order decides
    assert older.supersedes(None)


# --- strict JSON, the full-string type rule and the ts window (issue findings 1-4) ---------

NOW_MS = 1_764_176_108_000  # GOOD's ts: the receiver's clock in these tests


def strict_reason(text: str) -> str:
    with pytest.raises(RejectedMessage) as info:
        parse_envelope(text, now=NOW_MS)
    return info.value.reason


@pytest.mark.parametrize(("text", "reason"), [
    # Valid JSON syntax, but no UTF-8 form: re-encoding it used to stop the services.
    (json.dumps({**GOOD, "values": {"s": "\ud800"}}), "lone_surrogate"),
    (json.dumps({**GOOD, "values": {"\udfff": 1}}), "lone_surrogate"),
    (json.dumps({**GOOD, "odd": ["ok", "\udc80"]}), "lone_surrogate"),
    ('{"type":"Weather","values":{"s":"\\ud800"},"updated":"2026-11-26T16:55:08-05:00",'
     '"valid":"2026-11-26T17:55:08-05:00"}', "lone_surrogate"),
    # Python's json reads these; browsers and Lua's cjson do not.
    (json.dumps({**GOOD, "values": {"temp": float("nan")}}), "non_finite"),
    (json.dumps({**GOOD, "values": [float("inf")]}), "non_finite"),
    (json.dumps({**GOOD, "values": -float("inf")}), "non_finite"),
    (json.dumps(GOOD)[:-1] + ',"big":1e400}', "non_finite"),
    (json.dumps({**GOOD, "values": 10 ** 400}), "non_finite"),
    # "$" matched before a final newline: "AQI\n" became a type of its own.
    (json.dumps({**GOOD, "type": "AQI\n"}), "bad_type"),
    (json.dumps({**GOOD, "type": "\nAQI"}), "bad_type"),
    # A far-future ts outranked every real message of its type.
    (json.dumps({**GOOD, "ts": 10 ** 30}), "future_ts"),
    (json.dumps({**GOOD, "ts": NOW_MS + 24 * 3600 * 1000 + 1}), "future_ts"),
    (json.dumps({**GOOD, "ts": 1.5}), "bad_ts"),
    # Times that do not exist in UTC.
    (json.dumps({**GOOD, "valid": "9999-12-31T23:59:59-05:00"}), "bad_time"),
    (json.dumps({**GOOD, "updated": "0001-01-01T00:00:00+05:00"}), "bad_time"),
])
def test_only_strict_utf8_json_with_a_sane_ts_is_accepted(text: str, reason: str) -> None:
    assert strict_reason(text) == reason


def test_what_is_accepted_round_trips_as_strict_utf8_json() -> None:
    text = json.dumps({**GOOD, "values": {"emoji": "\U0001f600", "pair": "\ud83d\ude00",
                                          "big": 10 ** 300, "small": 1e-300}})
    env = parse_envelope(text, now=NOW_MS)
    again = json.loads(env.encoded.decode("utf-8", errors="strict"),
                       parse_constant=lambda name: pytest.fail(f"{name} in the output"))
    assert again == json.loads(text)
    assert env.to_json() == env.encoded.decode("utf-8")


def test_the_ts_window_is_a_day_ahead_of_the_receivers_clock() -> None:
    day = 24 * 3600 * 1000
    assert parse_envelope(json.dumps({**GOOD, "ts": NOW_MS + day}), now=NOW_MS).ts == NOW_MS + day
    assert parse_envelope(json.dumps({**GOOD, "ts": 0}), now=NOW_MS).ts == 0  # old is fine
    # A receiver whose clock was never set (1970 on a Pi without RTC) cannot judge it.
    assert parse_envelope(json.dumps({**GOOD, "ts": 10 ** 30}), now=5_000).ts == 10 ** 30
    # Without ``now`` the system clock is the receiver's clock.
    assert reason_of(json.dumps({**GOOD, "ts": now_ms() + 2 * day})) == "future_ts"
    assert parse_envelope(json.dumps({**GOOD, "ts": now_ms() + day // 2})).ts
