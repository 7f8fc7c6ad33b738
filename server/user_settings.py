"""The household settings: one strict model, what the settings page shows of each field,
and the check of a partial change (no I/O).

Every field is optional: a name not set leaves each part with its own bootstrap
configuration (flags, environment, files). A change is checked field by field and
every reason is returned at once, so the page can show each next to its field.
The values accepted here are the normalised form every part reads: team
abbreviations as ESPN writes them, numbers as floats, texts stripped.

The public fields travel to displays in the ``Settings`` envelope
(glanceboard/payloads/settings.py reads them); the others are the producers'
business, and the secret ones (a private iCal URL carries a key) are never shown.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit
from zoneinfo import available_timezones

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from glanceboard.payloads.settings import CLOCKS, MAX_PLACE, MAX_TEAMS, MAX_WIFI_QR, UNITS
from glanceboard.payloads.teams import MLB_TEAM_IDS, NFL_TEAMS, UnknownTeam, mlb_team, nfl_team
from glanceboard.zones import zone_named

MAX_URL = 2000
MAX_PATH = 1000
MAX_ZONE = 64
GITHUB_REPO = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}")
WIFI_PREFIX = "WIFI:"
SHOWN_BAD = 40  # characters of a refused value quoted back in its reason


@dataclass(frozen=True)
class SettingInfo:
    """What the settings page shows of a field and where the value may go."""

    label: str
    help: str
    kind: str  # "text", "number", "choice", "teams", "url", "zone"
    choices: tuple[str, ...] | None = None
    public: bool = False  # in the Settings envelope every display receives
    secret: bool = False  # never shown back, masked wherever it is listed


def _quoted(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= SHOWN_BAD else text[:SHOWN_BAD] + "..."


def _kind(value: Any) -> str:
    names = {bool: "a boolean", int: "a number", float: "a number", str: "text",
             list: "a list", dict: "an object"}
    return names.get(type(value), type(value).__name__)


def _text(value: Any, limit: int) -> str:
    """Printable text of at most ``limit`` characters, stripped at both ends."""
    if not isinstance(value, str):
        raise ValueError(f"must be text, got {_kind(value)}")
    text = value.strip()
    if len(text) > limit:
        raise ValueError(f"at most {limit} characters, got {len(text)}")
    if not text.isprintable():
        raise ValueError("must be printable text (no control characters or line breaks)")
    return text


def _optional(check: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """``check`` for a set value; None stays None (not set), and so does empty text, which
    is what a cleared field on a form sends."""
    def run(value: Any) -> Any:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        return check(value)
    return run


def check_place(value: Any) -> str:
    return _text(value, MAX_PLACE)


def _coordinate(limit: float, what: str) -> Callable[[Any], float]:
    def check(value: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError(f"must be a number (degrees {what}), got {_kind(value)}")
        number = float(value) if abs(value) < 1e300 else math.inf
        if not math.isfinite(number) or not -limit <= number <= limit:
            raise ValueError(f"must be between -{limit:g} and {limit:g}, got {_quoted(value)}")
        return number
    return check


@lru_cache(maxsize=1)
def _known_zones() -> frozenset[str]:
    return frozenset(available_timezones())


def check_zone(value: Any) -> str:
    name = _text(value, MAX_ZONE)
    known = _known_zones()
    if known and name not in known:
        raise ValueError(f"{_quoted(name)} is not a time zone this server knows; an IANA "
                         "name such as 'America/New_York' or 'Europe/Berlin'")
    if zone_named(name) is None:  # what the displays' reader does with it
        raise ValueError(f"{_quoted(name)} is not a time zone this server knows")
    return name


def _choice(choices: tuple[str, ...]) -> Callable[[Any], str]:
    def check(value: Any) -> str:
        if not isinstance(value, str):
            raise ValueError(f"must be one of {', '.join(choices)}, got {_kind(value)}")
        text = value.strip().lower()
        if text not in choices:
            raise ValueError(f"must be one of {', '.join(choices)}, got {_quoted(value)}")
        return text
    return check


def _teams(normalise: Callable[[Any], str], league: str) -> Callable[[Any], list[str]]:
    def check(value: Any) -> list[str]:
        if not isinstance(value, list):
            raise ValueError(f"must be a list of {league} team abbreviations (e.g. "
                             f"[\"{'NYY' if league == 'MLB' else 'KC'}\"]), got {_kind(value)}")
        if len(value) > MAX_TEAMS:
            raise ValueError(f"at most {MAX_TEAMS} teams, got {len(value)}")
        teams: list[str] = []
        for n, raw in enumerate(value, 1):
            if isinstance(raw, bool) or not isinstance(raw, str | int) or (
                    isinstance(raw, str) and len(raw) > 8):
                raise ValueError(f"team {n}: {_quoted(raw)} is not an {league} team abbreviation")
            try:
                team = normalise(raw)
            except UnknownTeam as exc:
                raise ValueError(f"team {n}: {exc}") from None
            if team not in teams:  # favourites first, each once
                teams.append(team)
        return teams
    return check


def _url(value: Any, schemes: tuple[str, ...]) -> str:
    text = _text(value, MAX_URL)
    if any(c.isspace() for c in text):
        raise ValueError("a URL has no spaces (write them as %20)")
    try:
        parts = urlsplit(text)
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError for a port that is not one
    except ValueError as exc:
        raise ValueError(f"not a URL: {exc}") from None
    if parts.scheme.lower() not in schemes:
        raise ValueError(f"must start with {' or '.join(s + '://' for s in schemes)}, "
                         f"got {_quoted(text)}")
    if not host:
        raise ValueError(f"names no host: {_quoted(text)}")
    return text


def check_calendar_source(value: Any) -> str:
    return _url(value, ("https", "http", "webcal"))


def check_events_source(value: Any) -> str:
    if isinstance(value, str) and value.strip().startswith("/"):
        path = _text(value, MAX_PATH)
        if "\x00" in path or "/../" in path + "/":
            raise ValueError("an absolute file path without '..' parts")
        return path
    try:
        return _url(value, ("https", "http"))
    except ValueError as exc:
        raise ValueError(f"an http(s) URL or an absolute file path: {exc}") from None


def check_github_repo(value: Any) -> str:
    text = _text(value, 140)
    name = text.partition("/")[2]
    if not GITHUB_REPO.fullmatch(text) or name in (".", ".."):
        raise ValueError(f"must be owner/name as on GitHub (e.g. 'python/cpython'), "
                         f"got {_quoted(text)}")
    return text


def check_wifi_qr(value: Any) -> str:
    text = _text(value, MAX_WIFI_QR)
    if not text.startswith(WIFI_PREFIX):
        raise ValueError("must start with 'WIFI:' (e.g. 'WIFI:T:WPA;S:home;P:secret;;'), "
                         f"got {_quoted(text)}")
    return text


def _field(info: SettingInfo, **constraints: Any) -> Any:
    # The check does all the work (with our own reasons); the type and the constraints
    # after it describe the result for the JSON schema and hold by construction.
    return Field(None, title=info.label, description=info.help,
                 json_schema_extra={"x-kind": info.kind, "x-secret": info.secret,
                                    "x-public": info.public}, **constraints)


FIELDS: dict[str, SettingInfo] = {
    "place": SettingInfo("Place", "The name shown for where you are, e.g. 'Brooklyn'.", "text",
                       public=True),
    "latitude": SettingInfo("Latitude", "Degrees north (negative: south), -90 to 90; weather, "
                          "air quality, moon and sun are for this place.", "number", public=True),
    "longitude": SettingInfo("Longitude", "Degrees east (negative: west), -180 to 180.",
                           "number", public=True),
    "timezone": SettingInfo("Time zone", "IANA name such as 'America/New_York': the household's "
                          "zone for producers and for displays without one of their own.",
                          "zone", public=True),
    "units": SettingInfo("Units", "imperial (°F, mph, inches) or metric (°C, km/h, mm).",
                       "choice", UNITS, public=True),
    "clock": SettingInfo("Clock", "12h or 24h times on the panel and the dashboard.", "choice",
                       CLOCKS, public=True),
    "mlb_teams": SettingInfo("MLB teams", f"Favourite MLB teams by abbreviation (e.g. NYY), "
                           f"at most {MAX_TEAMS}, the first first.", "teams",
                           tuple(sorted(MLB_TEAM_IDS)), public=True),
    "nfl_teams": SettingInfo("NFL teams", f"Favourite NFL teams by abbreviation (e.g. KC), "
                           f"at most {MAX_TEAMS}, the first first.", "teams",
                           tuple(sorted(NFL_TEAMS)), public=True),
    "calendar_source": SettingInfo("Calendar", "http(s):// or webcal:// URL of an iCal "
                                 "calendar. Kept secret: a private calendar URL is a key.",
                                 "url", secret=True),
    "events_source": SettingInfo("Family events", "http(s):// URL or absolute file path of the "
                               "family events list (YAML or JSON).", "url"),
    "github_repo": SettingInfo("GitHub repository", "owner/name of the repository to follow.",
                             "text"),
    "wifi_qr": SettingInfo("Wi-Fi QR", "The text of the Wi-Fi QR code, starting 'WIFI:' "
                         "(e.g. WIFI:T:WPA;S:home;P:password;;).", "text", public=True),
}
PUBLIC_NAMES = tuple(name for name, info in FIELDS.items() if info.public)
SECRET_NAMES = frozenset(name for name, info in FIELDS.items() if info.secret)

MlbTeam = Literal[tuple(sorted(MLB_TEAM_IDS))]  # type: ignore[valid-type]
NflTeam = Literal[tuple(sorted(NFL_TEAMS))]  # type: ignore[valid-type]


def _checked(check: Callable[[Any], Any]) -> BeforeValidator:
    return BeforeValidator(_optional(check))


class HouseholdSettings(BaseModel):
    """The household settings, every one optional (None: not set)."""

    model_config = ConfigDict(extra="forbid", frozen=True, title="glanceboard household settings")

    place: Annotated[str | None, _checked(check_place)] = _field(
        FIELDS["place"], max_length=MAX_PLACE)
    latitude: Annotated[float | None, _checked(_coordinate(90, "north"))] = _field(
        FIELDS["latitude"], ge=-90, le=90)
    longitude: Annotated[float | None, _checked(_coordinate(180, "east"))] = _field(
        FIELDS["longitude"], ge=-180, le=180)
    timezone: Annotated[str | None, _checked(check_zone)] = _field(
        FIELDS["timezone"], max_length=MAX_ZONE)
    units: Annotated[Literal["imperial", "metric"] | None, _checked(_choice(UNITS))] = _field(
        FIELDS["units"])
    clock: Annotated[Literal["12h", "24h"] | None, _checked(_choice(CLOCKS))] = _field(
        FIELDS["clock"])
    mlb_teams: Annotated[list[MlbTeam] | None, _checked(_teams(mlb_team, "MLB"))] = _field(
        FIELDS["mlb_teams"], max_length=MAX_TEAMS)
    nfl_teams: Annotated[list[NflTeam] | None, _checked(_teams(nfl_team, "NFL"))] = _field(
        FIELDS["nfl_teams"], max_length=MAX_TEAMS)
    calendar_source: Annotated[str | None, _checked(check_calendar_source)] = _field(
        FIELDS["calendar_source"], max_length=MAX_URL,
        pattern=r"^(?i:https?|webcal)://")
    events_source: Annotated[str | None, _checked(check_events_source)] = _field(
        FIELDS["events_source"], max_length=MAX_URL,
        pattern=r"^((?i:https?)://|/)")
    github_repo: Annotated[str | None, _checked(check_github_repo)] = _field(
        FIELDS["github_repo"], pattern="^" + GITHUB_REPO.pattern + "$")
    wifi_qr: Annotated[str | None, _checked(check_wifi_qr)] = _field(
        FIELDS["wifi_qr"], max_length=MAX_WIFI_QR, pattern="^WIFI:")


assert set(HouseholdSettings.model_fields) == set(FIELDS), "FIELDS and the model must agree"


def schema() -> dict[str, Any]:
    """The JSON schema of the settings values (``GET /settings/schema``)."""
    return HouseholdSettings.model_json_schema()


def _reason(error: Mapping[str, Any]) -> str:
    return str(error["msg"]).removeprefix("Value error, ")


def check_change(values: Any) -> tuple[dict[str, Any], dict[str, str]]:
    """A partial change ``{name: value or None}`` checked field by field.

    Returns (the change normalised, None meaning "unset"; errors name -> reason). Every
    field is checked and every error returned, unknown names too; with any error the
    change must not be applied.
    """
    if not isinstance(values, Mapping):
        return {}, {"values": f"must be an object of setting names, got {_kind(values)}"}
    errors: dict[str, str] = {}
    known = {}
    for name, value in values.items():
        if name in FIELDS:
            known[name] = value
        else:
            errors[str(name)] = f"unknown setting; known: {', '.join(FIELDS)}"
    try:
        model = HouseholdSettings.model_validate(known)
    except ValidationError as exc:
        for error in exc.errors(include_url=False):
            name = str(error["loc"][0]) if error["loc"] else "values"
            errors.setdefault(name, _reason(error))
        return {}, errors
    if errors:
        return {}, errors
    return {name: getattr(model, name) for name in known}, {}


def stored_values(values: Any) -> tuple[dict[str, Any], dict[str, str]]:
    """Values read back from storage: those still valid (None ones dropped), and the
    reasons the others were dropped (a hand edit, or a field a newer version wrote)."""
    if not isinstance(values, Mapping):
        return {}, {"values": "not an object"} if values is not None else {}
    kept: dict[str, Any] = {}
    dropped: dict[str, str] = {}
    for name, value in values.items():
        change, errors = check_change({name: value})
        if errors:
            dropped.update(errors)
        elif change.get(name) is not None:
            kept[name] = change[name]
    return kept, dropped


def public_values(values: Mapping[str, Any]) -> dict[str, Any]:
    """The values displays receive (the Settings envelope): never a source or a secret."""
    return {name: values[name] for name in PUBLIC_NAMES if values.get(name) is not None}
