"""Hypothesis strategies for the fuzz tests: envelopes, control messages and request
bodies, valid ones and each class of invalid one, as an attacker or a buggy producer
would send them.

Every invalid strategy yields ``(raw, reason)``: the text or bytes, and the reason the
envelope rules must give for it. The profiles (tests/conftest.py) bound the number of
examples: ``ci`` by default, ``long`` for a longer run.
"""

from __future__ import annotations

import json
import string
from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import strategies as st

from glanceboard.envelope import MAX_FUTURE_MS
from glanceboard.timefmt import now_ms

# The clock at import: strategies must not change between runs of one test.
NOW_MS = now_ms()
TYPE_CHARS = string.ascii_letters + string.digits + "_.-"
KNOWN_TYPES = ("Weather", "AQI", "Moon", "Calendar", "Events", "GitHub", "MLB", "NFL",
               "Track", "Weather-Server")

types = st.one_of(st.sampled_from(KNOWN_TYPES),
                  st.text(alphabet=TYPE_CHARS, min_size=1, max_size=64))

# Text as a producer may send it: any character a UTF-8 string can hold, emoji included.
clean_text = st.text(st.characters(codec="utf-8"), max_size=40)
# Text with lone surrogates in it: valid JSON escapes, no UTF-8 form.
surrogate_text = st.builds(
    lambda head, bad, tail: head + bad + tail, clean_text,
    st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF), clean_text)

strict_scalars = st.one_of(
    st.none(), st.booleans(),
    st.integers(min_value=-(2 ** 63), max_value=2 ** 63),
    st.floats(allow_nan=False, allow_infinity=False), clean_text)
# JSON every consumer reads, nested at most a few levels (the rule allows 64).
strict_json = st.recursive(
    strict_scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=5),
                            st.dictionaries(clean_text, inner, max_size=5)),
    max_leaves=25)

moments = st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2100, 1, 1),
                       timezones=st.sampled_from([UTC, None]))


def _iso(moment: datetime) -> str:
    return moment.isoformat() if moment.tzinfo else moment.isoformat() + "Z"


def _legacy(moment: datetime) -> str:
    return moment.strftime("%m/%d/%Y %I:%M %p +0000")


times = st.one_of(moments.map(_iso), moments.map(_legacy))


@st.composite
def envelopes(draw: st.DrawFn, kind: st.SearchStrategy[str] = types,
              values: st.SearchStrategy[Any] = strict_json) -> dict[str, Any]:
    """A valid envelope: ``ts`` (when present) is in the past or up to a day ahead."""
    message: dict[str, Any] = {
        "type": draw(kind),
        "values": draw(values.filter(lambda v: v is not None)),
        "updated": draw(times),
        "valid": draw(times),
    }
    if draw(st.booleans()):
        message["ts"] = draw(st.integers(0, NOW_MS + MAX_FUTURE_MS // 2))
    for name, extra in draw(st.dictionaries(st.sampled_from(["source", "extra", "v"]),
                                            strict_json, max_size=2)).items():
        message[name] = extra
    return message


def dumps(message: Any) -> str:
    return json.dumps(message, separators=(",", ":"), ensure_ascii=False)


def _ascii(message: Any) -> str:
    """JSON text with escapes only, so a lone surrogate travels as ``\\udXXX``."""
    return json.dumps(message)


def _nested(depth: int) -> Any:
    value: Any = 1
    for n in range(depth):
        value = [value] if n % 2 else {"k": value}
    return value


@st.composite
def invalid_envelopes(draw: st.DrawFn) -> tuple[str | bytes, str]:
    """One invalid message of a drawn class, and the reason it must be rejected for."""
    good = draw(envelopes())
    cls = draw(st.sampled_from(CLASSES))
    return cls(draw, good)


def _surrogate_value(draw: st.DrawFn, good: dict) -> tuple[str, str]:
    where = draw(st.sampled_from(["value", "key", "extra"]))
    bad = draw(surrogate_text)
    if where == "value":
        good["values"] = {"s": bad}
    elif where == "key":
        good["values"] = {bad: 1}
    else:
        good["extra"] = [bad]
    return _ascii(good), "lone_surrogate"


def _non_finite(draw: st.DrawFn, good: dict) -> tuple[str, str]:
    literal = draw(st.sampled_from(["NaN", "Infinity", "-Infinity", "1e400", "-2e308",
                                    "1" + "0" * 400]))
    good["values"] = {"x": "__HOLE__"}
    return _ascii(good).replace('"__HOLE__"', literal), "non_finite"


def _deep(draw: st.DrawFn, good: dict) -> tuple[str, str]:
    good["values"] = _nested(draw(st.integers(65, 200)))
    return _ascii(good), "too_deep"


def _very_deep(draw: st.DrawFn, good: dict) -> tuple[str, str]:
    depth = draw(st.integers(2_000, 20_000))
    head = dumps({k: v for k, v in good.items() if k != "values"})[:-1]
    return head + ',"values":' + "[" * depth + "]" * depth + "}", "too_deep"


def _bad_type(draw: st.DrawFn, good: dict) -> tuple[str, str]:
    good["type"] = draw(st.one_of(
        st.sampled_from(["AQI\n", "AQI\r\n", "\nAQI", "", "x" * 65, "bad type", "Wéather"]),
        st.builds(lambda t, end: t + end, st.sampled_from(KNOWN_TYPES),
                  st.sampled_from(["\n", " ", "\t", "\x00", "/"])),
        st.integers(), st.none(), st.lists(st.integers(), max_size=2)))
    return _ascii(good), "bad_type"


def _future_ts(draw: st.DrawFn, good: dict) -> tuple[str, str]:
    good["ts"] = draw(st.one_of(
        st.integers(NOW_MS + 2 * MAX_FUTURE_MS, 10 ** 40), st.just(10 ** 30)))
    return _ascii(good), "future_ts"


def _bad_ts(draw: st.DrawFn, good: dict) -> tuple[str, str]:
    good["ts"] = draw(st.one_of(st.integers(max_value=-1), st.floats(allow_nan=False,
                                                                      allow_infinity=False),
                                st.text(max_size=5), st.booleans(), st.lists(st.integers(),
                                                                            max_size=1)))
    return _ascii(good), "bad_ts"


def _bad_time(draw: st.DrawFn, good: dict) -> tuple[str, str]:
    field = draw(st.sampled_from(["updated", "valid"]))
    good[field] = draw(st.one_of(
        st.sampled_from(["yesterday", "", "9999-12-31T23:59:59-05:00",
                         "0001-01-01T00:00:00+05:00", "13/45/2026 1:00 PM -0500"]),
        st.integers(), st.none()))
    return _ascii(good), "bad_time"


def _missing(draw: st.DrawFn, good: dict) -> tuple[str, str]:
    for field in draw(st.sets(st.sampled_from(["values", "updated", "valid"]), min_size=1)):
        del good[field]
    return _ascii(good), "missing_field"


def _not_object(draw: st.DrawFn, good: dict) -> tuple[str, str]:
    return _ascii(draw(st.one_of(strict_scalars, st.lists(strict_json, max_size=3))
                       .filter(lambda v: not isinstance(v, dict)))), "not_object"


def _null_values(draw: st.DrawFn, good: dict) -> tuple[str, str]:
    good["values"] = None
    return _ascii(good), "null_values"


def _not_json(draw: st.DrawFn, good: dict) -> tuple[str, str]:
    text = dumps(good)
    cut = draw(st.integers(1, len(text) - 1))
    return text[:cut], "not_json"


def _invalid_utf8(draw: st.DrawFn, good: dict) -> tuple[bytes, str]:
    raw = dumps(good).encode("utf-8")
    garbage = draw(st.sampled_from([b"\xff", b"\xc0\xaf", b"\xed\xa0\x80", b"\x80", b"\xfe"]))
    at = raw.index(b'"type"')
    return raw[:at] + b'"x":"' + garbage + b'",' + raw[at:], "invalid_utf8"


def _oversize(draw: st.DrawFn, good: dict) -> tuple[str, str]:
    good["values"] = "x" * draw(st.integers(256 * 1024, 300 * 1024))
    return _ascii(good), "oversize"


CLASSES = (_surrogate_value, _non_finite, _deep, _very_deep, _bad_type, _future_ts, _bad_ts,
           _bad_time, _missing, _not_object, _null_values, _not_json, _invalid_utf8,
           _oversize)

# Bytes as they may arrive from anywhere: garbage, and garbage that looks like JSON.
garbage = st.one_of(
    st.binary(max_size=300),
    st.text(alphabet='{}[]":,0123456789.eE+-tfnaulrsNIy\\ud8', max_size=120)
    .map(lambda t: t.encode()))

commands = st.sampled_from(["pp", "fwd", "rew", "out", "reload", "brightness", "page",
                            "notify", "PP", "pp\n", "", "nope"])
valid_bodies = st.one_of(
    st.builds(lambda v: {"value": v}, st.integers(0, 100)),
    st.builds(lambda n: {"name": n}, st.text(st.characters(codec="utf-8"), min_size=1,
                                              max_size=64).filter(str.strip)),
    st.builds(lambda t, s: {"text": t, "seconds": s},
              st.text(st.characters(codec="utf-8"), min_size=1, max_size=500)
              .filter(str.strip), st.integers(1, 600)))


@st.composite
def bodies(draw: st.DrawFn) -> bytes:
    """A PUT /webcontrol body: valid, near-valid with odd values, or garbage."""
    kind = draw(st.sampled_from(["valid", "odd", "garbage", "surrogate", "deep"]))
    if kind == "valid":
        return dumps(draw(valid_bodies)).encode()
    if kind == "odd":
        name = draw(st.sampled_from(["value", "name", "text", "seconds"]))
        value = draw(st.one_of(strict_json, st.just("__NAN__")))
        return _ascii({name: value}).replace('"__NAN__"', "NaN").encode()
    if kind == "surrogate":
        return _ascii({draw(st.sampled_from(["name", "text"])): draw(surrogate_text)}).encode()
    if kind == "deep":
        depth = draw(st.integers(65, 5_000))
        return ('{"text":' + "[" * depth + "]" * depth + "}").encode()
    return draw(garbage)


@st.composite
def control_messages(draw: st.DrawFn) -> bytes:
    """A message on the control channel: a valid command, or any of the bad forms."""
    body = draw(bodies())
    command = draw(commands)
    try:
        args: Any = json.loads(body)
    except (ValueError, RecursionError):
        return body
    return _ascii({"type": "webcontrol", "command": command, "args": args}).encode()


def page_moments() -> st.SearchStrategy[datetime]:
    """Times a page may be asked to draw (the range /preview accepts), in odd zones too."""
    zones = st.sampled_from([UTC, "America/New_York", "Pacific/Kiritimati", "Asia/Kathmandu"])

    def place(moment: datetime, zone: Any) -> datetime:
        from zoneinfo import ZoneInfo

        tz = zone if not isinstance(zone, str) else ZoneInfo(zone)
        return moment.replace(tzinfo=UTC).astimezone(tz)

    return st.builds(place, st.datetimes(min_value=datetime(1900, 1, 2),
                                         max_value=datetime(2999, 12, 30)), zones)


def state_of(messages: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The last message per type, as a state mapping."""
    return {m["type"]: m for m in messages}


def around(moment: datetime, minutes: int) -> datetime:
    return moment + timedelta(minutes=minutes)


def fuzz_examples(count: int) -> int:
    """``count`` examples under the default profile, 20 times as many under ``long``."""
    import os

    return count * 20 if os.environ.get("HYPOTHESIS_PROFILE") == "long" else count
