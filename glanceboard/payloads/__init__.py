"""One typed model per message type, reading both the original ecosystem's
shapes and ours, and writing the shape our producers publish.

``view(kind, envelope)`` is what pages and the server read: a frozen
dataclass whose fields are ``None`` where the message had nothing usable.
Reading never raises; see docs/payloads.md for every field.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from glanceboard.payloads import names
from glanceboard.payloads.agenda import Agenda
from glanceboard.payloads.apps import Apps
from glanceboard.payloads.aqi import Aqi
from glanceboard.payloads.events import Events
from glanceboard.payloads.github import GitHub
from glanceboard.payloads.mlb import Game as MlbGame
from glanceboard.payloads.mlb import parse_games, write_games
from glanceboard.payloads.moon import Moon
from glanceboard.payloads.nfl import Week
from glanceboard.payloads.server import Announcement
from glanceboard.payloads.settings import Settings
from glanceboard.payloads.times import parse_any
from glanceboard.payloads.track import Track
from glanceboard.payloads.weather import Weather


def updated_of(envelope: Mapping[str, Any] | None) -> datetime | None:
    return parse_any(envelope.get("updated")) if envelope else None


def view(kind: str, envelope: Mapping[str, Any] | None) -> Any:
    """The typed view of an envelope's ``values`` (an empty view when it is None)."""
    values = envelope.get("values") if envelope else None
    at = updated_of(envelope)
    if kind == names.WEATHER:
        return Weather.parse(values, at)
    if kind == names.AQI:
        return Aqi.parse(values)
    if kind == names.MOON:
        return Moon.parse(values)
    if kind == names.CALENDAR:
        return Agenda.parse(values)
    if kind == names.EVENTS:
        return Events.parse(values)
    if kind == names.GITHUB:
        return GitHub.parse(values)
    if kind == names.MLB:
        return parse_games(values)
    if kind == names.NFL:
        return Week.parse(values)
    if kind == names.TRACK:
        return Track.parse(values, at.tzinfo if at else None)
    if kind == names.APPS:
        return Apps.parse(values)
    if kind == names.SETTINGS:
        return Settings.parse(values)
    if names.is_server_type(kind):
        return Announcement.parse(values)
    return values


def write(kind: str, parsed: Any) -> Any:
    """The ``values`` our producers publish for a view of ``kind`` (original fields and our
    extensions); a type without a model passes through as it is."""
    if kind == names.MLB:
        return write_games(parsed)
    to_values = getattr(parsed, "to_values", None)
    return to_values() if callable(to_values) else parsed


def rewrite(kind: str, envelope: Mapping[str, Any]) -> Any:
    """An envelope's ``values``, of either shape, in the shape our producers publish."""
    return write(kind, view(kind, envelope))


__all__ = ["Agenda", "Announcement", "Apps", "Aqi", "Events", "GitHub", "MlbGame", "Moon",
           "Settings", "Track", "Weather", "Week", "names", "rewrite", "updated_of", "view",
           "write"]
