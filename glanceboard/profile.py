"""Display profiles: what one display shows, when, and how bright (docs/profiles.md).

A profile is edited on the API server and followed by the display it names. This
module is the one reading of it both sides use (standard library only: the Pi
client imports it): :func:`parse_profile` checks a profile strictly, every error
at once by its path (``rotation[2].seconds``), and the pure rules say whether a
rotation entry is due at a moment (:func:`entry_due`), whether a favourite team
plays (:func:`favourite_live`, :func:`game_day`) and what the brightness schedule
is (:meth:`Profile.brightness_schedule`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from glanceboard.display_id import check_display_id
from glanceboard.zones import zone_named

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WHEN = ("always", "has_data", "fresh", "favourite_live", "game_day")
DEFAULT_WHEN = "has_data"
# The conditions that read a league's games, and the pages they apply to.
SPORT_WHEN = frozenset({"favourite_live", "game_day"})
SPORT_PAGES = {"mlb": "MLB", "nfl": "NFL"}
# The pages the project brings (matrix_client.pages; a test keeps the two in step).
# A profile may name others too: plugin pages differ from display to display.
BUILTIN_PAGES = ("clock", "weather", "hourly", "forecast", "moon", "calendar", "events",
                 "github", "uptime", "mlb", "nfl", "track", "wifi", "out", "generic", "apps")
PAGE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
PAGE_RULE = "1-64 characters: letters, digits, '.', '_' or '-', starting with a letter or digit"
FIELDS = ("timezone", "rotation", "brightness")
ENTRY_FIELDS = ("page", "seconds", "enabled", "when", "schedule")
WINDOW_FIELDS = ("days", "from", "to")
BRIGHTNESS_FIELDS = ("at", "percent")
# Bounds: a profile travels in one stream event to every display.
MAX_ROTATION = 64
MAX_WINDOWS = 8
MAX_BRIGHTNESS = 48
MIN_SECONDS, MAX_SECONDS = 1, 86400
MAX_ZONE = 64
MAX_UPDATED = 40
MAX_VERSION = 2**53 - 1  # exact in every JSON reader
MAX_PROFILE_BYTES = 32 * 1024
_HHMM = re.compile(r"^([01][0-9]|2[0-3]):([0-5][0-9])$")


class ProfileError(ValueError):
    """A profile refused: ``errors`` maps each bad field's path to why."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        self.errors = dict(errors)
        super().__init__("; ".join(f"{path}: {why}" for path, why in self.errors.items()))


@dataclass(frozen=True)
class Window:
    """A time window on some weekdays, in the display's zone: ``start`` to ``end``
    (minutes of the day, ``end`` 1440 = midnight); an ``end`` before ``start`` wraps
    past midnight, and that part belongs to the day the window started."""

    days: tuple[str, ...]
    start: int
    end: int

    def contains(self, now: datetime) -> bool:
        minute = now.hour * 60 + now.minute
        today = DAYS[now.weekday()]
        yesterday = DAYS[(now.weekday() - 1) % 7]
        if self.start < self.end:
            return today in self.days and self.start <= minute < self.end
        # Wraps: the evening part today, or the early part that began yesterday.
        return ((today in self.days and minute >= self.start)
                or (yesterday in self.days and minute < self.end))

    def to_json(self) -> dict[str, Any]:
        return {"days": list(self.days), "from": _hhmm(self.start), "to": _hhmm(self.end)}


@dataclass(frozen=True)
class ProfileEntry:
    page: str
    seconds: float = 10.0
    enabled: bool = True
    when: str = DEFAULT_WHEN
    schedule: tuple[Window, ...] = ()

    def in_schedule(self, now: datetime) -> bool:
        """Whether ``now`` falls in one of the windows (any time without windows)."""
        return not self.schedule or any(window.contains(now) for window in self.schedule)

    def to_json(self) -> dict[str, Any]:
        seconds: float | int = int(self.seconds) if self.seconds.is_integer() else self.seconds
        return {"page": self.page, "seconds": seconds, "enabled": self.enabled,
                "when": self.when, "schedule": [w.to_json() for w in self.schedule]}


@dataclass(frozen=True)
class BrightnessPoint:
    at: int  # minute of the day
    percent: int

    def to_json(self) -> dict[str, Any]:
        return {"at": _hhmm(self.at), "percent": self.percent}


@dataclass(frozen=True)
class Profile:
    """One display's profile; a field that is None is not set: the display's local
    configuration holds for it."""

    display: str
    version: int = 0
    updated: str | None = None
    timezone: str | None = None
    rotation: tuple[ProfileEntry, ...] | None = None
    brightness: tuple[BrightnessPoint, ...] | None = None

    @property
    def empty(self) -> bool:
        return self.timezone is None and self.rotation is None and self.brightness is None

    def brightness_schedule(self) -> list[tuple[int, int]] | None:
        """The schedule as matrix_client.brightness takes it: (minute, percent) by time."""
        if self.brightness is None:
            return None
        return sorted((point.at, point.percent) for point in self.brightness)

    def zone(self) -> tzinfo | None:
        return ZoneInfo(self.timezone) if self.timezone else None

    def fields_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.timezone is not None:
            out["timezone"] = self.timezone
        if self.rotation is not None:
            out["rotation"] = [entry.to_json() for entry in self.rotation]
        if self.brightness is not None:
            out["brightness"] = [point.to_json() for point in self.brightness]
        return out

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"display": self.display, "version": self.version}
        if self.updated is not None:
            out["updated"] = self.updated
        return {**out, **self.fields_json()}


def _hhmm(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def _minute(value: Any, allow_midnight: bool = False) -> int | None:
    if not isinstance(value, str):
        return None
    if allow_midnight and value == "24:00":
        return 1440
    found = _HHMM.match(value)
    return int(found[1]) * 60 + int(found[2]) if found else None


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value == value


def check_page_name(name: Any, pages: Collection[str] | None = None) -> str | None:
    """Why ``name`` cannot be a page here (None: it can): the page-name rule, and with
    ``pages`` given, membership of that list."""
    if not isinstance(name, str) or not PAGE_NAME.match(name):
        return f"must be a page name ({PAGE_RULE})"
    if pages is not None and name not in pages:
        return f"unknown page {name!r}; known: {', '.join(sorted(pages))}"
    return None


def check_zone(value: Any) -> str | None:
    """Why ``value`` is not a time zone this machine knows (None: it is)."""
    if not isinstance(value, str) or not value or len(value) > MAX_ZONE:
        return "must be an IANA time zone name such as Europe/Berlin"
    if zone_named(value) is None:
        return f"unknown time zone {value!r:.70} (use an IANA name such as Europe/Berlin)"
    return None


class _Errors:
    def __init__(self) -> None:
        self.found: dict[str, str] = {}

    def add(self, path: str, why: str) -> None:
        self.found.setdefault(path, why)


def _unknown(obj: Mapping[str, Any], allowed: Iterable[str], where: str, errors: _Errors
             ) -> None:
    allowed = tuple(allowed)
    for name in obj:
        if name not in allowed:
            errors.add(f"{where}.{name}" if where else str(name)[:64],
                       f"unknown field; allowed: {', '.join(allowed)}")


def _window(raw: Any, path: str, errors: _Errors) -> Window | None:
    if not isinstance(raw, dict):
        errors.add(path, "must be an object with days, from and to")
        return None
    _unknown(raw, WINDOW_FIELDS, path, errors)
    ok = True
    days_raw = raw.get("days", list(DAYS))
    days: list[str] = []
    if not isinstance(days_raw, list) or len(days_raw) > len(DAYS):
        errors.add(f"{path}.days", f"must be a list of weekdays ({', '.join(DAYS)})")
        ok = False
    else:
        for n, day in enumerate(days_raw):
            if not isinstance(day, str) or day.lower() not in DAYS:
                errors.add(f"{path}.days[{n}]", f"must be one of {', '.join(DAYS)}")
                ok = False
            elif day.lower() not in days:
                days.append(day.lower())
        if ok and not days:
            errors.add(f"{path}.days", "must name at least one day (leave the schedule "
                       "empty for any time)")
            ok = False
    start = _minute(raw.get("from"))
    end = _minute(raw.get("to"), allow_midnight=True)
    if start is None:
        errors.add(f"{path}.from", "must be a time HH:MM, 00:00-23:59")
    if end is None:
        errors.add(f"{path}.to", "must be a time HH:MM, 00:00-24:00")
    if start is not None and end is not None and start == end:
        errors.add(f"{path}.to", "must differ from 'from' (use 00:00 to 24:00 for a whole "
                   "day)")
        return None
    if not ok or start is None or end is None:
        return None
    ordered = tuple(day for day in DAYS if day in days)
    return Window(ordered, start, end)


def _entry(raw: Any, path: str, pages: Collection[str] | None, errors: _Errors
           ) -> ProfileEntry | None:
    if isinstance(raw, str):
        raw = {"page": raw}
    if not isinstance(raw, dict):
        errors.add(path, "must be an object with page and seconds")
        return None
    before = len(errors.found)
    _unknown(raw, ENTRY_FIELDS, path, errors)
    page = raw.get("page")
    why = check_page_name(page, pages)
    if why:
        errors.add(f"{path}.page", why)
    seconds = raw.get("seconds", 10)
    if not _is_number(seconds) or not MIN_SECONDS <= seconds <= MAX_SECONDS:
        errors.add(f"{path}.seconds",
                   f"must be a number of seconds, {MIN_SECONDS}-{MAX_SECONDS}")
    enabled = raw.get("enabled", True)
    if not isinstance(enabled, bool):
        errors.add(f"{path}.enabled", "must be true or false")
    when = raw.get("when", DEFAULT_WHEN)
    if not isinstance(when, str) or when not in WHEN:
        errors.add(f"{path}.when", f"must be one of {', '.join(WHEN)}")
    elif when in SPORT_WHEN and isinstance(page, str) and page not in SPORT_PAGES:
        errors.add(f"{path}.when", f"{when} is for the {' and '.join(SPORT_PAGES)} pages")
    schedule_raw = raw.get("schedule", [])
    windows: list[Window] = []
    if not isinstance(schedule_raw, list) or len(schedule_raw) > MAX_WINDOWS:
        errors.add(f"{path}.schedule", f"must be a list of at most {MAX_WINDOWS} windows")
    else:
        for n, item in enumerate(schedule_raw):
            window = _window(item, f"{path}.schedule[{n}]", errors)
            if window is not None:
                windows.append(window)
    if len(errors.found) > before:
        return None
    return ProfileEntry(page=page, seconds=float(seconds), enabled=enabled, when=when,
                        schedule=tuple(windows))


def _rotation(raw: Any, pages: Collection[str] | None, errors: _Errors
              ) -> tuple[ProfileEntry, ...] | None:
    if not isinstance(raw, list) or not 1 <= len(raw) <= MAX_ROTATION:
        errors.add("rotation", f"must be a list of 1-{MAX_ROTATION} pages (leave it out "
                   "for the display's own rotation)")
        return None
    entries = [_entry(item, f"rotation[{n}]", pages, errors) for n, item in enumerate(raw)]
    if not any(entry is not None and entry.enabled for entry in entries) and \
            all(entry is not None for entry in entries):
        errors.add("rotation", "must have at least one enabled page")
    return tuple(entry for entry in entries if entry is not None)


def _brightness(raw: Any, errors: _Errors) -> tuple[BrightnessPoint, ...] | None:
    if not isinstance(raw, list) or not 1 <= len(raw) <= MAX_BRIGHTNESS:
        errors.add("brightness", f"must be a list of 1-{MAX_BRIGHTNESS} levels, each "
                   "{\"at\": \"HH:MM\", \"percent\": 0-100}")
        return None
    points: list[BrightnessPoint] = []
    seen: dict[int, int] = {}
    for n, item in enumerate(raw):
        path = f"brightness[{n}]"
        if not isinstance(item, dict):
            errors.add(path, "must be an object with at and percent")
            continue
        _unknown(item, BRIGHTNESS_FIELDS, path, errors)
        at = _minute(item.get("at"))
        percent = item.get("percent")
        if at is None:
            errors.add(f"{path}.at", "must be a time HH:MM, 00:00-23:59")
        elif at in seen:
            errors.add(f"{path}.at", f"the same time as brightness[{seen[at]}]")
            at = None
        else:
            seen[at] = n
        if not _is_int(percent) or not 0 <= percent <= 100:
            errors.add(f"{path}.percent", "must be an integer 0-100")
        elif at is not None:
            points.append(BrightnessPoint(at, percent))
    return tuple(sorted(points, key=lambda point: point.at))


def parse_fields(obj: Any, pages: Collection[str] | None = None) -> dict[str, Any]:
    """The profile fields of ``obj`` (a PUT body: any of timezone, rotation, brightness
    and an optional version), checked: ``{"timezone": str | None, "rotation": ...,
    "brightness": ..., "version": int | None}``; :class:`ProfileError` with every
    error by path otherwise. ``pages``: the page names allowed (None: any name that
    follows the page-name rule)."""
    if not isinstance(obj, dict):
        raise ProfileError({"": "must be a JSON object with timezone, rotation, brightness"})
    errors = _Errors()
    _unknown(obj, (*FIELDS, "version", "display", "updated"), "", errors)
    out: dict[str, Any] = {"timezone": None, "rotation": None, "brightness": None,
                           "version": None}
    if obj.get("timezone") is not None:
        why = check_zone(obj["timezone"])
        if why:
            errors.add("timezone", why)
        else:
            out["timezone"] = obj["timezone"]
    if obj.get("rotation") is not None:
        out["rotation"] = _rotation(obj["rotation"], pages, errors)
    if obj.get("brightness") is not None:
        out["brightness"] = _brightness(obj["brightness"], errors)
    version = obj.get("version")
    if version is not None:
        if not _is_int(version) or not 0 <= version <= MAX_VERSION:
            errors.add("version", "must be a whole number >= 0")
        else:
            out["version"] = version
    updated = obj.get("updated")
    if updated is not None and (not isinstance(updated, str) or len(updated) > MAX_UPDATED):
        errors.add("updated", "must be an ISO 8601 time")
    if errors.found:
        raise ProfileError(errors.found)
    return out


def parse_profile(obj: Any, pages: Collection[str] | None = None,
                  display: str | None = None) -> Profile:
    """A stored or delivered profile (``display`` and ``version`` included), checked as
    :func:`parse_fields` does; with ``display`` given it must name that display."""
    fields = parse_fields(obj, pages)
    errors = _Errors()
    name = obj.get("display")
    try:
        check_display_id(name)
    except ValueError as exc:
        errors.add("display", str(exc))
    if display is not None and name != display:
        errors.add("display", f"is for {name!r:.70}, not {display!r}")
    if fields["version"] is None:
        errors.add("version", "must be a whole number >= 0")
    if errors.found:
        raise ProfileError(errors.found)
    return Profile(display=name, version=fields["version"], updated=obj.get("updated"),
                   timezone=fields["timezone"], rotation=fields["rotation"],
                   brightness=fields["brightness"])


# --- the rules -----------------------------------------------------------------------------


class Conditions(Protocol):
    """What the ``when`` rules ask about an entry's page at this moment; each answer is
    looked at only when a rule needs it."""

    def has_data(self) -> bool: ...

    def stale(self) -> bool: ...

    def favourite_live(self) -> bool: ...

    def game_day(self) -> bool: ...


def condition_met(when: str, facts: Conditions) -> bool:
    """Whether an entry with this ``when`` shows, given ``facts`` about its page."""
    if when == "always":
        return True
    if when == "fresh":
        return facts.has_data() and not facts.stale()
    if when == "favourite_live":
        return facts.has_data() and facts.favourite_live()
    if when == "game_day":
        return facts.has_data() and facts.game_day()
    return facts.has_data()  # has_data, and anything unknown


def entry_due(entry: ProfileEntry, now: datetime, facts: Conditions) -> bool:
    """Whether ``entry`` takes its turn at ``now`` (aware, in the display's zone): it is
    enabled, ``now`` is in its schedule, and its condition holds."""
    return entry.enabled and entry.in_schedule(now) and condition_met(entry.when, facts)


def _teams_of(game: Any) -> set[str]:
    return {str(getattr(side, "abbreviation", None) or "").upper()
            for side in (getattr(game, "home", None), getattr(game, "away", None))} - {""}


def _involves(game: Any, favourites: Collection[str]) -> bool:
    """A favourite team plays in ``game``; with no favourites, every game counts (the
    pages then show each game)."""
    if not favourites:
        return True
    wanted = {team.upper() for team in favourites}
    return bool(_teams_of(game) & wanted)


def favourite_live(games: Iterable[Any], favourites: Collection[str]) -> bool:
    """Whether a favourite team's game is in play among ``games`` (MLB or NFL views)."""
    return any(getattr(game, "live", False) and _involves(game, favourites) for game in games)


def game_day(games: Iterable[Any], favourites: Collection[str], today: date,
             zone: tzinfo | None) -> bool:
    """Whether a favourite team plays on ``today`` (in the display's ``zone``): a game of
    theirs starts that day, or is in play."""
    for game in games:
        if not _involves(game, favourites):
            continue
        if getattr(game, "live", False):
            return True
        start = getattr(game, "start", None)
        if isinstance(start, datetime):
            local = start.astimezone(zone) if start.tzinfo is not None else start
            if local.date() == today:
                return True
    return False


def games_of(view: Any) -> tuple[Any, ...]:
    """The games in an MLB view (a tuple of games) or an NFL one (a week of them)."""
    if view is None:
        return ()
    games = getattr(view, "games", view)
    return tuple(games) if isinstance(games, tuple | list) else ()


def due_entries(entries: Iterable[ProfileEntry], now: datetime,
                facts_for: Callable[[ProfileEntry], Conditions]) -> list[ProfileEntry]:
    """The entries that are due at ``now``, in order."""
    return [entry for entry in entries if entry_due(entry, now, facts_for(entry))]
