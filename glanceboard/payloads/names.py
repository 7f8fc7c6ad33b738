"""The message type names, in one place (PROTOCOL section 6, docs/payloads.md)."""

from __future__ import annotations

WEATHER = "Weather"
AQI = "AQI"
MOON = "Moon"
CALENDAR = "Calendar"
EVENTS = "Events"
GITHUB = "GitHub"
MLB = "MLB"
NFL = "NFL"
TRACK = "Track"
HOST = "Host"
APPS = "Apps"  # cards pushed over HTTP (PUT /apps/{name}), the whole live set
SETTINGS = "Settings"  # the household settings displays follow (PUT /settings)
CONTROL = "webcontrol"
SERVER_SUFFIX = "-Server"

# The data types of the original ecosystem, in the order its Pi client asks for them.
ORIGINAL_TYPES = (AQI, EVENTS, TRACK, MLB, MOON, CALENDAR, NFL, WEATHER, GITHUB)
# What the displays show, and what the original API server's /key/Environment holds.
DISPLAY_TYPES = (WEATHER, AQI, MOON, CALENDAR, EVENTS, GITHUB, MLB, NFL, TRACK)
ENVIRONMENT_TYPES = (AQI, MOON, WEATHER)

# A producer announces itself as "<Name>-Server"; the original clients expect
# its original class name in the message.
ORIGINAL_PRODUCER_CLASSES: dict[str, str] = {
    WEATHER: "OWMServer", AQI: "AQIServer", MOON: "MoonServer", CALENDAR: "CalendarServer",
    EVENTS: "NextEvent", GITHUB: "GithubServer", MLB: "MLBServer", NFL: "NFLServer",
    TRACK: "GarminServer",
}


def server_type(name: str) -> str:
    """``Weather`` -> ``Weather-Server``, the type of a producer's start-up announcement."""
    return name + SERVER_SUFFIX


def is_server_type(kind: str) -> bool:
    return kind.endswith(SERVER_SUFFIX) and len(kind) > len(SERVER_SUFFIX)


def producer_of(kind: str) -> str:
    """``Weather-Server`` -> ``Weather``."""
    return kind[: -len(SERVER_SUFFIX)] if is_server_type(kind) else kind
