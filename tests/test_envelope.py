"""PROTOCOL section 1: what the envelope accepts and what it rejects, by reason."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

import pytest

from glanceboard.envelope import RejectedMessage, parse_envelope
from glanceboard.timefmt import format_time, parse_time

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
