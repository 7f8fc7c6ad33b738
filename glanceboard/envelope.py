"""The message envelope: parse, validate, order and serialize (PROTOCOL section 1).

Every part that first sees a message from outside runs it through
:func:`parse_envelope` (or :func:`validate_object` for JSON it decoded
itself); a rejection carries a short machine reason (used as a metric label)
and a human detail (used in the log line). An accepted envelope carries its
strict UTF-8 JSON encoding, made once, which every part passes on as is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from glanceboard import strictjson
from glanceboard.strictjson import MAX_DEPTH, RejectedMessage, check_tree
from glanceboard.timefmt import TimeFormatError, now_ms, parse_time

DEFAULT_MAX_BYTES = 256 * 1024
# Matched against the whole string (fullmatch): "$" would also match before a final "\n".
TYPE_PATTERN = re.compile(r"[A-Za-z0-9_.-]{1,64}")
REQUIRED_FIELDS = ("type", "values", "updated", "valid")
CONTROL_TYPE = "webcontrol"
# How far ahead of the receiver's clock a ``ts`` may be. Further ahead it would
# outrank every real message of its type for that long, so it is rejected.
MAX_FUTURE_MS = 24 * 3600 * 1000
# A clock before this (2024-01-01 UTC) has not been set yet (a Pi without a
# real-time clock before NTP): there is no "now" to measure ``ts`` against, so
# the future check waits rather than reject every message.
CLOCK_FLOOR_MS = 1_704_067_200_000

# Every reason a message can be rejected for; metrics pre-register these labels.
REJECT_REASONS = (
    "oversize",
    "invalid_utf8",
    "not_json",
    "non_finite",
    "lone_surrogate",
    "too_deep",
    "not_object",
    "missing_field",
    "bad_type",
    "null_values",
    "bad_time",
    "bad_ts",
    "future_ts",
)

__all__ = ["MAX_DEPTH", "RejectedMessage"]  # re-exported: most callers import them from here


@dataclass(frozen=True, slots=True)
class Envelope:
    """A validated message. ``data`` is the whole object, unknown fields included;
    ``encoded`` its compact strict UTF-8 JSON (do not change ``data`` after)."""

    type: str
    data: dict[str, Any]
    ts: int | None
    encoded: bytes

    @property
    def values(self) -> Any:
        return self.data["values"]

    @property
    def updated(self) -> datetime:
        return parse_time(self.data["updated"])

    @property
    def valid(self) -> datetime:
        return parse_time(self.data["valid"])

    def to_json(self) -> str:
        """Compact JSON of the whole envelope, ``type`` included."""
        return self.encoded.decode("utf-8")

    def without_type(self) -> dict[str, Any]:
        """The ``/key/{type}`` shape: the envelope less its ``type``."""
        return {k: v for k, v in self.data.items() if k != "type"}

    def supersedes(self, held: Envelope | None) -> bool:
        """Whether this message may replace ``held`` of the same type.

        An older ``ts`` than the one held is dropped; without ``ts`` on either
        side, arrival order decides.
        """
        return is_not_older(self.ts, held.ts if held is not None else None)


def is_not_older(incoming_ts: int | None, held_ts: int | None) -> bool:
    """The ordering rule on bare ``ts`` values (None = absent)."""
    if incoming_ts is None or held_ts is None:
        return True
    return incoming_ts >= held_ts


def parse_envelope(raw: bytes | str, max_bytes: int = DEFAULT_MAX_BYTES,
                   now: int | None = None) -> Envelope:
    """Validate one message from the wire; raise :class:`RejectedMessage` if it is bad.

    ``now`` is the receiver's clock in ms (default: the system clock), for the
    ``ts`` window.
    """
    size = len(raw.encode("utf-8", "surrogatepass")) if isinstance(raw, str) else len(raw)
    if size > max_bytes:
        raise RejectedMessage("oversize", f"{size} bytes, limit {max_bytes}")
    return validate_object(strictjson.loads(raw), now)


def validate_object(obj: Any, now: int | None = None) -> Envelope:
    """Validate an already-decoded JSON value as an envelope (``now`` as above)."""
    if not isinstance(obj, dict):
        raise RejectedMessage("not_object", f"got a JSON {type(obj).__name__}")
    check_tree(obj, MAX_DEPTH)
    missing = [field for field in REQUIRED_FIELDS if field not in obj]
    if missing:
        raise RejectedMessage("missing_field", "missing " + ", ".join(missing))
    kind = obj["type"]
    if not isinstance(kind, str) or not TYPE_PATTERN.fullmatch(kind):
        raise RejectedMessage("bad_type", f"type {kind!r:.80} is not 1-64 of [A-Za-z0-9_.-]")
    if obj["values"] is None:
        raise RejectedMessage("null_values", f"{kind}: values is null")
    for field in ("updated", "valid"):
        try:
            parse_time(obj[field])
        except TimeFormatError as exc:
            raise RejectedMessage("bad_time", f"{kind}: {field}: {exc}") from None
    ts = obj.get("ts")
    if ts is not None:
        check_ts(kind, ts, now_ms() if now is None else now)
    try:
        encoded = strictjson.dumps(obj)
    except RejectedMessage as exc:
        raise RejectedMessage(exc.reason, f"{kind}: {exc.detail}") from None
    return Envelope(type=kind, data=obj, ts=ts, encoded=encoded)


def check_ts(kind: str, ts: Any, now: int) -> None:
    """``ts``: a non-negative integer no more than :data:`MAX_FUTURE_MS` ahead of ``now``."""
    if isinstance(ts, bool) or not isinstance(ts, int) or ts < 0:
        raise RejectedMessage("bad_ts", f"{kind}: ts {ts!r:.40} is not a non-negative integer")
    if now >= CLOCK_FLOOR_MS and ts > now + MAX_FUTURE_MS:
        hours = (ts - now) / 3_600_000
        raise RejectedMessage("future_ts", f"{kind}: ts {str(ts):.40} is {hours:.3g} hours "
                              f"ahead of this clock (limit {MAX_FUTURE_MS // 3_600_000} hours)")


def is_control(obj: Any) -> bool:
    """A web control command as it travels on the stream (no envelope fields)."""
    return isinstance(obj, dict) and obj.get("type") == CONTROL_TYPE
