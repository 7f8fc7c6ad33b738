"""Web control commands: ``{"type": "webcontrol", "command": ..., "args": {...}}``.

The original API server sends the first five; the others are ours (the
original Pi client answers them with "Unknown web control command").

``notify`` args: ``text``, ``seconds`` and, optionally, ``level``, ``icon`` and
``blink``. A notify without a level is an ``info`` one, as before levels existed.
:func:`notify_fields` checks the optional fields the same way on the API server
and on the displays.
"""

from __future__ import annotations

from typing import Any

from glanceboard.payloads.icons import ICON_NAMES

ORIGINAL_COMMANDS = ("pp", "fwd", "rew", "out", "reload")
COMMANDS = (*ORIGINAL_COMMANDS, "brightness", "page", "notify", "dismiss")
NO_ARGS_COMMANDS = frozenset((*ORIGINAL_COMMANDS, "dismiss"))

NOTIFY_LEVELS = ("info", "warning", "critical")
DEFAULT_NOTIFY_LEVEL = "info"
DEFAULT_NOTIFY_SECONDS = 10
# A critical notification stays until dismissed; without ``seconds`` it gives up after this.
DEFAULT_CRITICAL_SECONDS = 120
MIN_NOTIFY_SECONDS, MAX_NOTIFY_SECONDS = 1, 600


class NotifyFieldError(ValueError):
    """A ``notify`` field with a value it cannot have; the text names the field."""


def notify_fields(args: dict[str, Any]) -> tuple[str, str, bool]:
    """``(level, icon, blink)`` of notify ``args`` (defaults: info, no icon, no blink);
    :class:`NotifyFieldError` naming the field for anything else."""
    level = args.get("level", DEFAULT_NOTIFY_LEVEL)
    if not isinstance(level, str) or level not in NOTIFY_LEVELS:
        raise NotifyFieldError(f"'level' must be one of {', '.join(NOTIFY_LEVELS)}, "
                               f"got {level!r:.40}")
    icon = args.get("icon", "")
    if not isinstance(icon, str) or (icon and icon not in ICON_NAMES):
        raise NotifyFieldError(f"'icon' must be one of the icon names "
                               f"({', '.join(ICON_NAMES)}), got {icon!r:.40}")
    blink = args.get("blink", False)
    if not isinstance(blink, bool):
        raise NotifyFieldError(f"'blink' must be true or false, got {blink!r:.40}")
    return level, icon, blink


def default_notify_seconds(level: str) -> int:
    return DEFAULT_CRITICAL_SECONDS if level == "critical" else DEFAULT_NOTIFY_SECONDS
