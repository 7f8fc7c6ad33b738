"""Settings as ``--show-settings`` prints them, in every part: secrets never in clear."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def mask_url(text: str) -> str:
    """A URL with its password replaced by *** (``redis://user:***@host:6379/0``)."""
    scheme, sep, rest = text.partition("://")
    if not sep or "@" not in rest.split("/", 1)[0]:
        return text
    creds, _, host = rest.partition("@")
    user, colon, _ = creds.partition(":")
    return f"{scheme}://{user}:***@{host}" if colon else f"{scheme}://***@{host}"


def shown_value(value: Any, secret: bool = False) -> str:
    """A value as text: a secret as *** (or (unset)), a URL without its password."""
    if secret:
        return "***" if value else "(unset)"
    if value is None or value == "" or value == () or value == {}:
        return "(unset)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple | list):
        return ",".join(map(str, value))
    if isinstance(value, Mapping):
        return ",".join(f"{k}={v}" for k, v in value.items())
    return mask_url(str(value))
