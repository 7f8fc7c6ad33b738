"""Web control commands (PROTOCOL section 5), checked into small typed values.

The stream delivers ``{"type": "webcontrol", "command": ..., "args": {...}}``;
a bad one is logged and ignored, never raised into the render loop.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from glanceboard.payloads.control import (
    COMMANDS,
    MAX_NOTIFY_SECONDS,
    MIN_NOTIFY_SECONDS,
    NotifyFieldError,
    default_notify_seconds,
    notify_fields,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Command:
    name: str
    value: int | None = None  # brightness percent, notify seconds
    text: str = ""  # page name, notify text
    level: str = "info"  # notify: info, warning or critical
    icon: str = ""  # notify: a name from the icon set, or none
    blink: bool = False  # notify: flash the banner (there is no sound)


def parse_command(obj: Any) -> Command | None:
    """The command in a control event, or None (logged) if it is not one we can run."""
    if not isinstance(obj, dict):
        return None
    name = obj.get("command")
    args = obj.get("args") if isinstance(obj.get("args"), dict) else {}
    # Older servers put the arguments next to the command.
    args = {**{k: v for k, v in obj.items() if k not in ("type", "command", "args")}, **args}
    if name not in COMMANDS:
        log.warning("ignored unknown control command %r", name)
        return None
    if name == "brightness":
        value = args.get("value")
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 100:
            log.warning("ignored brightness command: value %r is not 0-100", value)
            return None
        return Command(name, value=int(value))
    if name == "page":
        page = args.get("name")
        if not isinstance(page, str) or not page:
            log.warning("ignored page command: name %r", page)
            return None
        return Command(name, text=page)
    if name == "notify":
        text = args.get("text")
        if not isinstance(text, str) or not text:
            log.warning("ignored notify command: text %r", text)
            return None
        try:
            level, icon, blink = notify_fields(args)
        except NotifyFieldError as exc:
            log.warning("ignored notify command: %s", exc)
            return None
        seconds = args.get("seconds", default_notify_seconds(level))
        if isinstance(seconds, bool) or not isinstance(seconds, int | float) \
                or not MIN_NOTIFY_SECONDS <= seconds <= MAX_NOTIFY_SECONDS:
            log.warning("ignored notify command: seconds %r is not %d-%d", seconds,
                        MIN_NOTIFY_SECONDS, MAX_NOTIFY_SECONDS)
            return None
        return Command(name, value=int(seconds), text=text, level=level, icon=icon, blink=blink)
    return Command(name)
