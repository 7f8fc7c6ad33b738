"""The message envelope: parse, validate, order and serialize (PROTOCOL section 1).

Every part that first sees a message from outside runs it through
:func:`parse_envelope`; a rejection carries a short machine reason (used as a
metric label) and a human detail (used in the log line).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from glanceboard.timefmt import TimeFormatError, parse_time

DEFAULT_MAX_BYTES = 256 * 1024
MAX_DEPTH = 64
TYPE_PATTERN = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")
REQUIRED_FIELDS = ("type", "values", "updated", "valid")
CONTROL_TYPE = "webcontrol"

# Every reason a message can be rejected for; metrics pre-register these labels.
REJECT_REASONS = (
    "oversize",
    "invalid_utf8",
    "not_json",
    "too_deep",
    "not_object",
    "missing_field",
    "bad_type",
    "null_values",
    "bad_time",
    "bad_ts",
)


class RejectedMessage(ValueError):
    """A message that must not be stored or forwarded."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True, slots=True)
class Envelope:
    """A validated message. ``data`` is the whole object, unknown fields included."""

    type: str
    data: dict[str, Any]
    ts: int | None

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
        return json.dumps(self.data, separators=(",", ":"), ensure_ascii=False)

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


def _depth_exceeds(value: Any, limit: int) -> bool:
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


def parse_envelope(raw: bytes | str, max_bytes: int = DEFAULT_MAX_BYTES) -> Envelope:
    """Validate one message from the wire; raise :class:`RejectedMessage` if it is bad."""
    if isinstance(raw, str):
        size = len(raw.encode("utf-8", errors="surrogatepass"))
        if size > max_bytes:
            raise RejectedMessage("oversize", f"{size} bytes, limit {max_bytes}")
        text = raw
    else:
        if len(raw) > max_bytes:
            raise RejectedMessage("oversize", f"{len(raw)} bytes, limit {max_bytes}")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise RejectedMessage("invalid_utf8", f"byte {exc.start}: {exc.reason}") from None
    try:
        obj = json.loads(text)
    except RecursionError:
        raise RejectedMessage("too_deep", f"nesting deeper than {MAX_DEPTH}") from None
    except ValueError as exc:
        raise RejectedMessage("not_json", str(exc)) from None
    return validate_object(obj)


def validate_object(obj: Any) -> Envelope:
    """Validate an already-decoded JSON value as an envelope."""
    if not isinstance(obj, dict):
        raise RejectedMessage("not_object", f"got a JSON {type(obj).__name__}")
    if _depth_exceeds(obj, MAX_DEPTH):
        raise RejectedMessage("too_deep", f"nesting deeper than {MAX_DEPTH}")
    missing = [field for field in REQUIRED_FIELDS if field not in obj]
    if missing:
        raise RejectedMessage("missing_field", "missing " + ", ".join(missing))
    kind = obj["type"]
    if not isinstance(kind, str) or not TYPE_PATTERN.match(kind):
        raise RejectedMessage("bad_type", f"type {kind!r:.80} is not 1-64 of [A-Za-z0-9_.-]")
    if obj["values"] is None:
        raise RejectedMessage("null_values", f"{kind}: values is null")
    for field in ("updated", "valid"):
        try:
            parse_time(obj[field])
        except TimeFormatError as exc:
            raise RejectedMessage("bad_time", f"{kind}: {field}: {exc}") from None
    ts = obj.get("ts")
    if ts is not None and (isinstance(ts, bool) or not isinstance(ts, int) or ts < 0):
        raise RejectedMessage("bad_ts", f"{kind}: ts {ts!r:.40} is not a non-negative integer")
    return Envelope(type=kind, data=obj, ts=ts)


def is_control(obj: Any) -> bool:
    """A web control command as it travels on the stream (no envelope fields)."""
    return isinstance(obj, dict) and obj.get("type") == CONTROL_TYPE
