"""The one rule for a display's id, shared by the client's config, the API server's
routes and the control messages that target a display."""

from __future__ import annotations

import re

# A host name's alphabet: safe in a URL path, a log line and a Valkey field.
DISPLAY_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$")
ID_RULE = "1-63 characters: letters, digits, '.', '_' or '-', starting with a letter or digit"


def check_display_id(value: object) -> str:
    """``value`` if it is a valid display id, else ValueError saying why."""
    if not isinstance(value, str) or not DISPLAY_ID.match(value):
        raise ValueError(f"display id must be {ID_RULE}, got {value!r:.70}")
    return value


def host_display_id(hostname: str) -> str:
    """The host name as an id: its first label, cut to the rule's alphabet."""
    label = re.sub(r"[^A-Za-z0-9._-]", "-", hostname.split(".")[0]).strip("-._")[:63]
    return label or "display"
