"""Web control commands and their bodies (PROTOCOL section 5).

Bodies and control-channel messages are read as strict JSON (the envelope's
rules: UTF-8, finite numbers, bounded nesting), and the args that pass are
encoded strictly too, so nothing a client sends can fail later on its way to
Redis or the stream.
"""

from __future__ import annotations

from typing import Any

from glanceboard import strictjson
from glanceboard.display_id import check_display_id
from glanceboard.envelope import CONTROL_TYPE
from glanceboard.payloads.control import (
    COMMANDS,
    MAX_NOTIFY_SECONDS,
    MIN_NOTIFY_SECONDS,
    NO_ARGS_COMMANDS,
    NotifyFieldError,
    default_notify_seconds,
    notify_fields,
)
from glanceboard.strictjson import RejectedMessage

NO_BODY_COMMANDS = NO_ARGS_COMMANDS
MAX_PAGE_NAME = 64
MAX_NOTIFY_TEXT = 500


# Every reason a command is refused for; metrics pre-register these labels.
REJECT_REASONS = ("oversize", "invalid_utf8", "not_json", "non_finite", "lone_surrogate",
                  "too_deep", "not_control", "unknown_command", "bad_args")


class BadCommand(ValueError):
    """An unknown command or a body that does not fit it; the text says which,
    ``reason`` (one of :data:`REJECT_REASONS`) is the metric label."""

    def __init__(self, message: str, reason: str = "bad_args") -> None:
        super().__init__(message)
        self.reason = reason


def _strict(what: str, raw: bytes | str) -> Any:
    """``raw`` as strict JSON, checked and encodable, or :class:`BadCommand`."""
    try:
        value = strictjson.read(raw)
    except RejectedMessage as exc:
        raise BadCommand(f"{what} is not JSON in the strict sense ({exc.reason}: {exc.detail})",
                         exc.reason) from None
    return value


def _body_object(command: str, body: bytes) -> dict[str, Any]:
    if not body.strip():
        raise BadCommand(f"{command} needs a JSON body")
    obj = _strict(f"{command}: body", body)
    if not isinstance(obj, dict):
        raise BadCommand(f"{command}: body must be a JSON object, got {type(obj).__name__}")
    return obj


def _only(command: str, obj: dict[str, Any], allowed: set[str]) -> None:
    extra = sorted(set(obj) - allowed)
    if extra:
        raise BadCommand(f"{command}: unknown field(s) {', '.join(extra)}; "
                         f"allowed: {', '.join(sorted(allowed))}")


def _integer(command: str, obj: dict[str, Any], name: str, low: int, high: int) -> int:
    value = obj.get(name)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise BadCommand(f"{command}: {name!r} must be an integer {low}-{high}, got {value!r:.40}")
    return value


def _text(command: str, obj: dict[str, Any], name: str, limit: int) -> str:
    value = obj.get(name)
    if not isinstance(value, str) or not value.strip() or len(value) > limit:
        raise BadCommand(f"{command}: {name!r} must be a non-empty string of at most "
                         f"{limit} characters, got {value!r:.40}")
    return value


def validate_command(command: str, body: bytes) -> dict[str, Any]:
    """The ``args`` of a valid command; raises :class:`BadCommand` otherwise."""
    if command in NO_BODY_COMMANDS:
        stripped = body.strip()
        if stripped and stripped not in (b"{}", b"null"):
            raise BadCommand(f"{command} takes no body (send none, or {{}})")
        return {}
    if command == "brightness":
        obj = _body_object(command, body)
        _only(command, obj, {"value"})
        return {"value": _integer(command, obj, "value", 0, 100)}
    if command == "page":
        obj = _body_object(command, body)
        _only(command, obj, {"name"})
        return {"name": _text(command, obj, "name", MAX_PAGE_NAME)}
    if command == "notify":
        obj = _body_object(command, body)
        _only(command, obj, {"text", "seconds", "level", "icon", "blink"})
        text = _text(command, obj, "text", MAX_NOTIFY_TEXT)
        try:
            level, icon, blink = notify_fields(obj)
        except NotifyFieldError as exc:
            raise BadCommand(f"{command}: {exc}") from None
        seconds = (_integer(command, obj, "seconds", MIN_NOTIFY_SECONDS, MAX_NOTIFY_SECONDS)
                   if "seconds" in obj else default_notify_seconds(level))
        # Only the fields sent travel on: an older notify stays the same message.
        extra = {name: value for name, value in
                 (("level", level), ("icon", icon), ("blink", blink)) if name in obj}
        return {"text": text, "seconds": seconds, **extra}
    raise BadCommand(f"unknown command {command!r:.40}; known: {', '.join(COMMANDS)}",
                     "unknown_command")


def validate_target(value: Any) -> str | None:
    """The display a command targets (None: every display); :class:`BadCommand` if the
    value is not a display id."""
    if value is None:
        return None
    try:
        return check_display_id(value)
    except ValueError as exc:
        raise BadCommand(f"target: {exc}") from None


def parse_control_message(raw: bytes | str) -> tuple[str, dict[str, Any], str | None]:
    """A command as it comes back on the control channel, checked again (other replicas
    or other tools may publish there): command, args and target display (None: all)."""
    obj = _strict("the message", raw)
    if not isinstance(obj, dict) or obj.get("type") != CONTROL_TYPE:
        raise BadCommand("not a webcontrol object", "not_control")
    command = obj.get("command")
    args = obj.get("args") or {}
    if not isinstance(command, str) or not isinstance(args, dict):
        raise BadCommand("command must be a string and args an object", "not_control")
    body = strictjson.dumps(args) if args else b""
    return command, validate_command(command, body), validate_target(obj.get("display"))
