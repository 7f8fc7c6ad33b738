"""Web control commands: ``{"type": "webcontrol", "command": ..., "args": {...}}``.

The original API server sends the first five; the others are ours (the
original Pi client answers them with "Unknown web control command").
"""

from __future__ import annotations

ORIGINAL_COMMANDS = ("pp", "fwd", "rew", "out", "reload")
COMMANDS = (*ORIGINAL_COMMANDS, "brightness", "page", "notify")
NO_ARGS_COMMANDS = frozenset(ORIGINAL_COMMANDS)
