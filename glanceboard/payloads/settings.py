"""Settings: the household's choices every display follows (``Settings`` envelope).

The API server keeps the settings document in Valkey, validates every change strictly
(server/user_settings.py) and publishes the part displays need as one ``Settings``
envelope, so it reaches them at start (``/state``) and over the stream like any type.
This is the lenient reader they use: a field that is missing or malformed is None
(not set here: the display keeps its own configuration for it), nothing raises.
Calendar and event sources are not in it: they are the producers' business.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from glanceboard.payloads.read import compact, integer, mapping, number, sequence, string
from glanceboard.payloads.teams import UnknownTeam, mlb_team, nfl_team
from glanceboard.zones import zone_named

UNITS = ("imperial", "metric")
CLOCKS = ("12h", "24h")
MAX_TEAMS = 8
MAX_PLACE = 64
MAX_WIFI_QR = 500


def zone_name(value: Any) -> str | None:
    """An IANA time zone name this machine knows, else None."""
    name = string(value, 64)
    return name if zone_named(name) is not None else None


def _teams(value: Any, normalise: Any) -> tuple[str, ...] | None:
    if value is None:
        return None
    teams = []
    for raw in sequence(value, MAX_TEAMS):
        try:
            team = normalise(string(raw, 8) or "")
        except UnknownTeam:
            continue
        if team not in teams:
            teams.append(team)
    return tuple(teams)


def _choice(value: Any, choices: tuple[str, ...]) -> str | None:
    text = string(value, 16)
    return text if text in choices else None


def _coordinate(value: Any, limit: float) -> float | None:
    n = number(value)
    return n if n is not None and -limit <= n <= limit else None


@dataclass(frozen=True, slots=True)
class Settings:
    version: int | None = None
    place: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    timezone: str | None = None
    units: str | None = None  # "imperial" or "metric"
    clock: str | None = None  # "12h" or "24h"
    mlb_teams: tuple[str, ...] | None = None  # ESPN abbreviations, favourites first
    nfl_teams: tuple[str, ...] | None = None
    wifi_qr: str | None = None

    @classmethod
    def parse(cls, values: Any) -> Settings:
        data = mapping(values)
        qr = string(data.get("wifi_qr"), MAX_WIFI_QR)
        return cls(
            version=integer(data.get("version"), 0),
            place=string(data.get("place"), MAX_PLACE) or None,
            latitude=_coordinate(data.get("latitude"), 90),
            longitude=_coordinate(data.get("longitude"), 180),
            timezone=zone_name(data.get("timezone")),
            units=_choice(data.get("units"), UNITS),
            clock=_choice(data.get("clock"), CLOCKS),
            mlb_teams=_teams(data.get("mlb_teams"), mlb_team),
            nfl_teams=_teams(data.get("nfl_teams"), nfl_team),
            wifi_qr=qr if qr and qr.startswith("WIFI:") else None,
        )

    def to_values(self) -> dict[str, Any]:
        values: dict[str, Any] = {
            "version": self.version, "place": self.place, "latitude": self.latitude,
            "longitude": self.longitude, "timezone": self.timezone, "units": self.units,
            "clock": self.clock, "wifi_qr": self.wifi_qr,
            "mlb_teams": None if self.mlb_teams is None else list(self.mlb_teams),
            "nfl_teams": None if self.nfl_teams is None else list(self.nfl_teams),
        }
        return compact(values)
