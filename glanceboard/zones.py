"""Time zones by IANA name, looked up one way everywhere.

``ZoneInfo`` raises more than ``ZoneInfoNotFoundError``: ValueError for a path or an
empty name, and IsADirectoryError (an OSError) for a name like "America", which is a
directory of zones. A name from a message, a form or a config file must never get
past a check with one of those, so every check asks :func:`zone_named`.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def zone_named(name: object) -> ZoneInfo | None:
    """The zone called ``name`` if this machine knows one, else None; never raises."""
    if not isinstance(name, str) or not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None
